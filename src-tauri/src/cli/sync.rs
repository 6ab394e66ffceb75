//! `porchlight sync …`: connect this desk to a hub, sync now, or show where it stands.

use std::path::PathBuf;

use clap::Subcommand;
use porchlight_core::access::Session;
use porchlight_core::round::{self, Synced};
use porchlight_core::sync::{self, HubConnection, SyncError, SyncPhase};
use porchlight_core::{hub_link, Desk};

#[derive(Subcommand)]
pub enum SyncCommand {
    /// Enrol this desk with a hub, using a one-time code from the hub's operator.
    Connect {
        /// The hub's address, e.g. https://hub.example.org or http://127.0.0.1:8787.
        #[arg(long, value_name = "URL")]
        hub: String,
        /// The code printed by `porchlight-hub enrollment-code`.
        #[arg(long)]
        code: String,
        /// What staff call this desk, e.g. "Front desk".
        #[arg(long)]
        name: String,
        /// The hub's own certificate (PEM file), when no public authority signed it, e.g. one
        /// made by `porchlight-hub tls-certificate`. The desk then trusts only that certificate.
        #[arg(long, value_name = "FILE")]
        hub_certificate: Option<PathBuf>,
        /// Allow http:// to a hub on another computer: records cross the network unencrypted,
        /// so only on a private network the center trusts.
        #[arg(long)]
        allow_plain_http: bool,
    },
    /// The desk's round now: the day's retention sweep, one full push and pull, the month's figures;
    /// prints what it did.
    Now,
    /// Desks of this center waiting to be let in, each with the code it shows.
    JoinRequests,
    /// Let a waiting desk in: the center's key goes to it sealed. Compare the code first.
    LetIn {
        /// The code the waiting desk shows ("4829 1302 5561 0093 7718"), or its request id.
        code: String,
    },
    /// Take the center's key from the recovery sheet's 24 words, instead of waiting to be let in.
    /// The words are typed at the prompt (not shown), or read from standard input
    /// (`porchlight sync recover < sheet.txt`): never an argument, which shell history and the
    /// process list would keep. Numbers, commas and line breaks between them are fine.
    Recover,
    /// The desks of this center, as the hub lists them.
    Desks,
    /// Revoke a desk of this center (a lost or stolen laptop) and change the center's key, so
    /// that the key it holds opens nothing at the hub from now on.
    Revoke {
        /// The desk's device id, from `porchlight sync desks`.
        device_id: String,
        /// Only revoke: keep the center's key (for a desk retired, not lost).
        #[arg(long)]
        keep_key: bool,
    },
    /// Print the recovery sheet of the center key this desk made, until it is written down.
    RecoverySheet {
        /// The words are written down (or printed and put away): stop showing them.
        #[arg(long)]
        written_down: bool,
    },
    /// Take the hub's time as right for this desk, whose own clock is far from it and cannot
    /// be put right now: its changes are stamped in the hub's time from now on.
    AcceptHubTime,
    /// Say this computer's clock is right, after it was set back before a time this desk had
    /// reached (a clock that ran ahead, since put right): the desk dates and stamps by it again.
    TrustComputerClock,
    /// The hub, changes waiting to be sent, the last sync and any problem.
    Status,
}

pub fn run(desk: &mut Desk, operator: &Session, command: SyncCommand) -> porchlight_core::Result<()> {
    match command {
        SyncCommand::Connect { hub, code, name, hub_certificate, allow_plain_http } => {
            let hub_certificate = hub_certificate.map(std::fs::read_to_string).transpose()?;
            let connection =
                HubConnection { hub_certificate, allow_plain_http, ..HubConnection::new(&hub, &code, &name) };
            let status = hub_link::connect(desk, operator, &connection)?;
            println!(
                "Connected \"{}\" to {} as device {}. Run `porchlight sync now` to sync.",
                status.desk_name.unwrap_or_default(),
                status.hub_url.unwrap_or_default(),
                status.device_id.unwrap_or_default()
            );
        }
        SyncCommand::Now => {
            let round = round::run(desk, |progress| {
                let phase = match progress.phase {
                    SyncPhase::Sealing => "sealed the hub's earlier history:",
                    SyncPhase::Pushing => "sent",
                    SyncPhase::Pulling => "received",
                };
                if progress.total > 0 {
                    eprintln!("  {phase} {} of {}", progress.done, progress.total);
                }
            })?;
            if let Some(swept) = round.swept.filter(|swept| swept.total() > 0) {
                println!("Erased the warmline notes of {} records past the center's period.", swept.total());
            }
            let Some(synced) = round.synced else { return Err(porchlight_core::Error::Sync(SyncError::NotConnected)) };
            let Synced { report, published } = synced?;
            println!(
                "Sent {} changes ({} the hub already had); received {}, of which {} changed this desk.",
                report.pushed, report.duplicates, report.pulled, report.changed
            );
            if let Some(month) = published {
                println!("Published this center's figures for {month} to the hub (counts only).");
            }
            if report.restamped > 0 {
                println!(
                    "This computer's clock is off; {} unsent changes were re-stamped with the hub's time.",
                    report.restamped
                );
            }
            if report.resent > 0 {
                println!(
                    "The hub held less than before (put back from a backup, or replaced): {} changes it had lost \
                     were sent again from this desk.",
                    report.resent
                );
            }
        }
        SyncCommand::JoinRequests => {
            let asks = hub_link::join_requests(desk, operator)?;
            if asks.is_empty() {
                println!("No desk is waiting to join.");
            }
            for ask in asks {
                println!("{}  {:<24} {}", ask.code, ask.desk_name, ask.request_id);
            }
        }
        SyncCommand::LetIn { code } => {
            let wanted = code.chars().filter(|c| !c.is_whitespace()).collect::<String>();
            let asks = hub_link::join_requests(desk, operator)?;
            let ask = asks
                .iter()
                .find(|ask| ask.request_id == code || ask.code.replace(' ', "") == wanted)
                .ok_or(porchlight_core::Error::Sync(SyncError::JoinRequestGone))?;
            hub_link::let_desk_in(desk, operator, &ask.request_id)?;
            println!("Let \"{}\" in. Its next sync brings it the center's records.", ask.desk_name);
        }
        SyncCommand::Desks => {
            let zone = desk.zone()?;
            let day = |at: Option<porchlight_core::Timestamp>| {
                at.map(|at| at.in_zone(zone).format("%Y-%m-%d %H:%M").to_string()).unwrap_or_else(|| "never".into())
            };
            println!("{:<38} {:<24} {:<18} state", "device", "name", "last seen");
            for each in hub_link::center_desks(desk, operator)? {
                let state = match (each.this_desk, each.revoked_at) {
                    (true, _) => "this desk".to_owned(),
                    (false, Some(at)) => format!("revoked {}", day(Some(at))),
                    (false, None) => "enrolled".to_owned(),
                };
                println!("{:<38} {:<24} {:<18} {state}", each.device_id, each.name, day(each.last_seen_at));
            }
        }
        SyncCommand::Revoke { device_id, keep_key } => {
            let status = hub_link::revoke_desk(desk, operator, &device_id, !keep_key)?;
            println!("Revoked {device_id}: the hub refuses it from now on.");
            if status.recovery_sheet_waiting {
                println!(
                    "The center's key was changed and the history at the hub sealed with the new one. The old \
                     recovery sheet no longer opens it: print the new one with `porchlight sync recovery-sheet`."
                );
            }
        }
        SyncCommand::Recover => {
            let words = super::read_secret_text("The recovery sheet's 24 words, in order")?;
            hub_link::recover_center_key(desk, Some(operator), &words)?;
            println!("This desk now holds the center's key. Run `porchlight sync now` to sync.");
        }
        SyncCommand::AcceptHubTime => {
            let before = sync::status(desk)?.clock_in_doubt;
            hub_link::accept_hub_time(desk, operator)?;
            match before {
                Some(gap) => println!("This desk now keeps the hub's time ({gap} this computer's clock)."),
                None => println!("This desk's clock and the hub's agree: nothing to take."),
            }
        }
        SyncCommand::TrustComputerClock => {
            let before = sync::status(desk)?.clock_wrong;
            hub_link::trust_computer_clock(desk, operator)?;
            match before {
                Some(_) => println!("This desk now dates and stamps by this computer's clock again."),
                None => println!("This desk already trusts this computer's clock: nothing to do."),
            }
        }
        SyncCommand::RecoverySheet { written_down } => {
            if written_down {
                hub_link::recovery_sheet_written_down(desk, operator)?;
                println!("The recovery sheet is no longer shown on this desk.");
                return Ok(());
            }
            match hub_link::recovery_sheet(desk, operator)? {
                Some(words) => {
                    println!(
                        "The center's recovery sheet. Write these 24 words down in order and keep them locked away:"
                    );
                    println!("with them, a new desk can open the center's records if no desk is left.");
                    for (row, words) in words.chunks(6).enumerate() {
                        let numbered: Vec<String> = words
                            .iter()
                            .enumerate()
                            .map(|(n, word)| format!("{:>2}. {word:<10}", row * 6 + n + 1))
                            .collect();
                        println!("  {}", numbered.join(" "));
                    }
                    println!("Then run `porchlight sync recovery-sheet --written-down`.");
                }
                None => {
                    println!("No recovery sheet is waiting here: it was written down, or another desk made the key.")
                }
            }
        }
        SyncCommand::Status => {
            let status = sync::status(desk)?;
            let zone = desk.zone()?;
            let Some(hub_url) = status.hub_url else {
                println!("Not connected to a hub. {} changes are kept for when it is.", status.pending_changes);
                return Ok(());
            };
            println!("Hub:             {hub_url}");
            println!(
                "Desk:            {} (device {})",
                status.desk_name.unwrap_or_default(),
                status.device_id.unwrap_or_default()
            );
            println!("Waiting to send: {} changes", status.pending_changes);
            let last = status.last_synced_at.map(|at| at.in_zone(zone).format("%Y-%m-%d %H:%M:%S %Z").to_string());
            println!("Last synced:     {}", last.as_deref().unwrap_or("never"));
            if status.waiting_records > 0 {
                println!("Not yet stored:  {} records from other desks:", status.waiting_records);
                for parked in &status.parked {
                    println!("                 {} {}: {}", parked.entity, parked.id, parked.reason);
                }
                let unnamed = status.waiting_records.saturating_sub(status.parked.len() as u64);
                if unnamed > 0 {
                    println!("                 and {unnamed} more");
                }
            }
            let sealing = if status.sealed {
                "sealed with the center's key (the hub cannot read them)".to_owned()
            } else if let Some(code) = &status.join_code {
                format!("waiting to be let in; code {code}")
            } else {
                "not yet (the next sync settles the center's key)".to_owned()
            };
            println!("Changes:         {sealing}");
            if status.unopened_changes > 0 {
                let changes = if status.unopened_changes == 1 { "change" } else { "changes" };
                println!("Set aside:       {} {changes} from this hub, not applied here:", status.unopened_changes);
                for change in &status.set_aside {
                    let from = change.desk_name.clone().unwrap_or_else(|| format!("desk {}", change.device_id));
                    let when = change.received_at.map(|at| at.in_zone(zone).format(", %Y-%m-%d %H:%M %Z").to_string());
                    println!(
                        "                 {} from {from}{}: {}",
                        change.entity,
                        when.unwrap_or_default(),
                        change.reason
                    );
                }
                let unnamed = status.unopened_changes.saturating_sub(status.set_aside.len() as u64);
                if unnamed > 0 {
                    println!("                 and {unnamed} more");
                }
            }
            if let Some(went_back) = &status.hub_went_back {
                let when = went_back.noticed_at.in_zone(zone).format("%Y-%m-%d %H:%M %Z");
                let done = match went_back.resent {
                    Some(resent) => {
                        format!("this desk took all it holds again and sent back {resent} changes it had lost")
                    }
                    None => "this desk is taking all it holds again, then sends back what it lost".to_owned(),
                };
                println!(
                    "Hub went back:   on {when} the hub held less than before (put back from a backup, or replaced); {done}"
                );
            }
            if let Some(gap) = &status.clock_in_doubt {
                println!(
                    "Clock:           the hub's is {gap} this computer's; no change is made or sent until the \
                     clock is put right or an admin runs `porchlight sync accept-hub-time`"
                );
            }
            if let Some(wrong) = &status.clock_wrong {
                let unless = if wrong.set_back {
                    ", or an admin runs `porchlight sync trust-computer-clock` if it reads right now"
                } else {
                    ""
                };
                println!(
                    "Clock:           {} No change is made until the clock is put right (then sync){unless}",
                    wrong.message
                );
            }
            match status.problem {
                Some(problem) => println!("Problem:         {}", problem.message),
                None => println!("Problem:         none"),
            }
        }
    }
    Ok(())
}
