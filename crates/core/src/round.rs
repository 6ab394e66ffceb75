//! A desk's round: what it does on its own, whoever is signed in, each time its schedule comes
//! round (in the app: every 30 seconds, soon after a write, and when staff ask; at the command
//! line: `porchlight sync now`). The warmline's narrative past its period is erased once a
//! day, the desk syncs with its hub when it has one, and the last month's figures go to the hub
//! when the center chose to publish them. The app and the command line run this same round.

use std::collections::BTreeSet;

use crate::sync::{self, state, SyncPhase, SyncProgress, SyncReport};
use crate::warmline::retention::{self, Swept};
use crate::{reports, Desk, Result};

/// The center's local day this desk last ran the retention sweep.
const SWEPT_ON: &str = "retention_swept_on";

/// What one round did.
#[derive(Debug)]
pub struct Round {
    /// What the retention sweep erased, when it was due (once a day).
    pub swept: Option<Swept>,
    /// The sync, when the desk is connected to a hub: what it did, or why it could not. The
    /// sweep's erasing stands either way, and goes out at the next sync.
    pub synced: Option<Result<Synced>>,
}

/// A sync that went through, and what followed it.
#[derive(Debug)]
pub struct Synced {
    pub report: SyncReport,
    /// The month whose figures went to the hub (the center publishes them, and they changed).
    pub published: Option<String>,
}

impl Round {
    /// The record types the round changed on this desk (arrived from other desks, or erased
    /// by the sweep), by their name on the wire: what the window reloads.
    pub fn changed_entities(&self) -> BTreeSet<String> {
        let mut changed = self.swept.map(|swept| swept.entities()).unwrap_or_default();
        if let Some(Ok(synced)) = &self.synced {
            changed.extend(synced.report.changed_entities.iter().cloned());
        }
        changed
    }
}

/// Runs one round: the sweep when due, then (on a desk connected to a hub) one full sync,
/// telling `on_progress` as it goes (from its start: nothing sent of nothing yet), and
/// publishing after it. An error is one the desk itself
/// met (its file); the hub's are in [`Round::synced`].
pub fn run(desk: &mut Desk, on_progress: impl FnMut(SyncProgress)) -> Result<Round> {
    let swept = sweep_if_due(desk)?;
    let synced = sync::hub_url(desk.conn())?.map(|_| {
        let report = sync::sync_now(desk, with_a_start(on_progress))?;
        let published = reports::network::publish_if_chosen(desk, &report)?;
        Ok(Synced { report, published })
    });
    Ok(Round { swept, synced })
}

/// `on_progress`, told at once that the sync began, so a window shows it syncing before the
/// first batch is through.
fn with_a_start(mut on_progress: impl FnMut(SyncProgress)) -> impl FnMut(SyncProgress) {
    on_progress(SyncProgress { phase: SyncPhase::Pushing, done: 0, total: 0 });
    on_progress
}

/// Erases the warmline's narrative past its period, the first round of each of the center's
/// days (the cutoff moves a day at a time, so once a day erases all there is).
fn sweep_if_due(desk: &mut Desk) -> Result<Option<Swept>> {
    let today = desk.today()?.to_string();
    if state::get(desk.conn(), SWEPT_ON)?.as_deref() == Some(today.as_str()) {
        return Ok(None);
    }
    let swept = retention::sweep(desk)?;
    state::set(desk.conn(), SWEPT_ON, &today)?;
    Ok(Some(swept))
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;
    use crate::warmline::calls::{self, tests::line, CallInput};
    use crate::warmline::PEER_SUPPORT;
    use crate::Timestamp;

    #[test]
    fn a_round_sweeps_the_first_time_each_day_and_a_desk_with_no_hub_only_sweeps() {
        let (mut desk, kim) = line();
        let started_at = Timestamp(desk.now().0 - Duration::minutes(30));
        let input =
            CallInput { notes: Some("Talked about the move".into()), ..CallInput::of_type(PEER_SUPPORT, started_at) };
        calls::log(&mut desk, &kim, &input).unwrap();

        let first = run(&mut desk, |_| panic!("no hub, no sync")).unwrap();
        assert_eq!(first.swept.map(|swept| swept.total()), Some(0), "the day's sweep, with nothing old enough");
        assert!(first.synced.is_none());
        assert!(run(&mut desk, |_| {}).unwrap().swept.is_none(), "once a day");

        desk.clock.advance(Duration::days(91));
        let later = run(&mut desk, |_| {}).unwrap();
        assert_eq!(later.swept.map(|swept| swept.calls), Some(1));
        assert_eq!(later.changed_entities(), BTreeSet::from(["warmline_call".to_owned()]), "what the window reloads");
    }
}
