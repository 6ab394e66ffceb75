//! The demo center's warmline: its volunteers, callers, resources and six months of calls.

use chrono::{Duration, TimeZone};
use rusqlite::params;

use crate::access::{self, Role, Session};
use crate::accounts::{self, AccountInput};
use crate::warmline::calls::{self, CallInput, Outcome};
use crate::warmline::follow_ups::FollowUpInput;
use crate::{new_id, Desk, Result, Timestamp};

use super::Size;

/// The demo's warmline volunteers and coordinator, whom anyone exploring the demo can sign in as.
pub const DEMO_WARMLINE: &[(&str, &str, Role)] = &[
    ("Casey L.", "4719", Role::Warmline),
    ("Morgan D.", "8352", Role::Warmline),
    ("Avery S.", "2964", Role::Coordinator),
];

const CALLER_ALIASES: &[&str] = &[
    "Birdie", "Sunny", "Moose", "Sparrow", "Tex", "Lucky", "Ziggy", "Pepper", "Dusty", "Rain", "Scout", "Willow",
    "Jazz", "Nova", "Bear", "Cricket", "Indigo", "Robin", "Sky", "Maple",
];
const RESOURCE_KINDS: &[(&str, &str)] = &[
    ("Food", "Food Pantry"),
    ("Housing", "Housing Help Desk"),
    ("Mental health", "Counseling Center"),
    ("Employment", "Job Center"),
    ("Legal", "Legal Aid Clinic"),
    ("Transportation", "Ride Line"),
    ("Treatment", "Recovery Clinic"),
    ("Family", "Family Resource Center"),
];
const PLACES: &[&str] =
    &["Eastside", "Riverside", "North End", "Harbor", "Hillcrest", "Old Town", "Westgate", "Maple Park"];
const CALL_NOTES: &[&str] = &[
    "Feeling isolated since moving; talked about the Tuesday meeting.",
    "Cravings after a hard day at work. Walked through the urge-surfing tool.",
    "Worried about a family member's drinking. Shared the family support circle.",
    "Lost housing voucher paperwork; gave 2-1-1 and the housing desk.",
    "Wanted someone to listen. Long pause, then talked about their dog.",
    "Asked about treatment options without insurance.",
    "Six months sober today and wanted to share it.",
    "Grief around the holidays; talked about what helped last year.",
];
const WHAT_HELPS: &[&str] = &[
    "Asking about their garden first.",
    "Letting silences sit; they come back to it.",
    "Short calls: they prefer to call again rather than stay on long.",
    "Talking through the next small step, not the whole week.",
];

/// The warmline's history: calls of every type and outcome from repeat and anonymous callers,
/// referrals, follow-ups done and open, "what helps" and flags, and a few records on legal
/// hold, so retention has both something to erase and something to keep.
/// The warmline volunteers' accounts, who take the calls, are returned.
pub(super) fn seed_warmline(
    desk: &mut Desk,
    session: &Session,
    size: Size,
    rng: &mut fastrand::Rng,
) -> Result<Vec<String>> {
    if size.calls == 0 && size.callers == 0 && size.resources == 0 {
        return Ok(Vec::new());
    }
    let mut takers = Vec::new();
    for (name, pin, role) in DEMO_WARMLINE {
        let input = AccountInput { name: (*name).into(), roles: vec![*role], pin: (*pin).into(), ..Default::default() };
        let account = accounts::create(desk, session, &input)?;
        takers.push(access::Actor { account_id: Some(account.id), name: account.name, roles: vec![*role] });
    }
    let catalog = crate::warmline::catalog_in(desk.conn(), false)?;
    let (support, non_data): (Vec<_>, Vec<_>) =
        catalog.call_types.iter().partition(|t| t.kind == crate::warmline::CallKind::Support);
    let zone = desk.zone()?;
    let now = desk.now();
    let today = desk.today()?;
    desk.write(|tx, _| {
        let started = Timestamp(now.0 - Duration::days(size.call_days + 1));
        let mut resource_ids: Vec<String> = (1..=4).map(|n| format!("01933b00-0000-7000-8003-{n:012x}")).collect();
        for n in 0..size.resources {
            let (category, kind) = RESOURCE_KINDS[n % RESOURCE_KINDS.len()];
            let place = PLACES[(n / RESOURCE_KINDS.len()) % PLACES.len()];
            let round = n / (RESOURCE_KINDS.len() * PLACES.len());
            let name = if round == 0 { format!("{place} {kind}") } else { format!("{place} {kind} {}", round + 1) };
            let id = new_id();
            tx.prepare_cached(
                "INSERT INTO warmline_resources (id, name, category, phone, hours, created_at, retired_at)
                 VALUES (?1, ?2, ?3, ?4, 'Mon-Fri 9-5', ?5, ?6)",
            )?
            .execute(params![id, name, category, format!("555-01{:02}", n % 100), started, (n % 25 == 24).then_some(now)])?;
            if n % 25 != 24 {
                resource_ids.push(id);
            }
        }
        let mut caller_ids = Vec::with_capacity(size.callers);
        for n in 0..size.callers {
            let alias = CALLER_ALIASES[n % CALLER_ALIASES.len()];
            let round = n / CALLER_ALIASES.len();
            let alias = if round == 0 { alias.to_owned() } else { format!("{alias} {}", round + 1) };
            let id = new_id();
            tx.prepare_cached("INSERT INTO warmline_callers (id, alias, created_at) VALUES (?1, ?2, ?3)")?
                .execute(params![id, alias, started])?;
            if n % 5 == 0 {
                tx.prepare_cached(
                    "INSERT INTO warmline_caller_notes (id, caller_id, text, written_at, written_by) VALUES (?1, ?2, ?3, ?4, ?5)",
                )?
                .execute(params![
                    new_id(),
                    id,
                    WHAT_HELPS[n % WHAT_HELPS.len()],
                    Timestamp(now.0 - Duration::days(rng.i64(1..=size.call_days.max(1)))),
                    takers[0].account_id
                ])?;
            }
            if n % 17 == 3 {
                tx.prepare_cached(
                    "INSERT INTO warmline_caller_flags (id, caller_id, text, until, created_at, created_by)
                     VALUES (?1, ?2, 'Keep calls to 15 minutes', ?3, ?4, ?5)",
                )?
                .execute(params![new_id(), id, (today + Duration::days(30)).to_string(), now, takers[2].account_id])?;
            }
            caller_ids.push(id);
        }

        let topics: Vec<&str> = catalog.topics.iter().map(|t| t.id.as_str()).collect();
        // Logged in the order they were taken, as a real line's are (so their ids follow time).
        let mut starts: Vec<Timestamp> = (0..size.calls)
            .filter_map(|_| {
                let day = today - Duration::days(rng.i64(0..size.call_days.max(1)));
                // Busiest in the evening, when other help is closed.
                let hour = [9, 10, 11, 13, 14, 15, 16, 17, 18, 18, 19, 19, 20, 20, 21, 21, 22, 23][rng.usize(..18)];
                let local = day.and_hms_opt(hour, rng.u32(..60), 0).expect("a time of day");
                let start = Timestamp(zone.from_local_datetime(&local).earliest()?.to_utc());
                (start.0 <= now.0 - Duration::hours(1)).then_some(start)
            })
            .collect();
        starts.sort();
        for (n, start) in starts.into_iter().enumerate() {
            let taker = &takers[rng.usize(..2)];
            let call = if rng.u8(..100) < 22 {
                let kind = &non_data[rng.usize(..non_data.len())];
                let ended_at = Timestamp(start.0 + Duration::seconds(rng.i64(5..90)));
                CallInput { ended_at: Some(ended_at), ..CallInput::of_type(&kind.id, start) }
            } else {
                let kind = if rng.u8(..10) < 8 { &support[0] } else { &support[support.len() - 1] };
                let ended_at = Timestamp(start.0 + Duration::minutes(rng.i64(3..45)));
                let outcome = match rng.u8(..100) {
                    0..55 => Outcome::SupportiveListening,
                    55..82 => Outcome::InformationOrReferral,
                    82..96 => Outcome::FollowUpRequested,
                    96..99 => Outcome::TransferredToCrisisLine,
                    _ => Outcome::EmergencyServices,
                };
                let follow_up = (outcome == Outcome::FollowUpRequested).then(|| FollowUpInput {
                    due_at: Timestamp(ended_at.0 + Duration::hours(rng.i64(2..48))),
                    request: Some("Call back to check in".into()),
                    callback_number: Some(format!("555-02{:02}", rng.u8(..100))),
                });
                CallInput {
                    caller_id: match rng.u8(..10) {
                        0..4 => None,
                        // A few regulars call most; most callers now and then.
                        4..7 => caller_ids.get(rng.usize(..caller_ids.len().div_ceil(20).max(1))).cloned(),
                        _ => caller_ids.get(rng.usize(..caller_ids.len().max(1))).cloned(),
                    },
                    ended_at: Some(ended_at),
                    topic_ids: (0..rng.usize(1..=3)).map(|_| topics[rng.usize(..topics.len())].to_owned()).collect(),
                    resource_ids: if outcome == Outcome::InformationOrReferral || rng.u8(..4) == 0 {
                        (0..rng.usize(1..=2)).map(|_| resource_ids[rng.usize(..resource_ids.len())].clone()).collect()
                    } else {
                        Vec::new()
                    },
                    outcome: Some(outcome),
                    escalated: outcome.escalates(),
                    escalation_reason: outcome.escalates().then(|| "Spoke of not wanting to be here; warm transfer".into()),
                    notes: Some(CALL_NOTES[n % CALL_NOTES.len()].into()),
                    follow_up,
                    ..CallInput::of_type(&kind.id, start)
                }
            };
            let logged_at = call.ended_at.unwrap_or(start);
            let id = calls::insert(tx, logged_at, taker, &call)?;
            // Follow-ups asked for more than a day ago were made.
            if call.follow_up.is_some() && logged_at.0 < now.0 - Duration::days(2) {
                tx.prepare_cached(
                    "UPDATE warmline_follow_ups SET completed_at = due_at, completed_by = ?2,
                         completion_note = 'Reached them; doing better' WHERE call_id = ?1",
                )?
                .execute(params![id, taker.account_id])?;
            }
            if n % 400 == 7 {
                tx.prepare_cached("UPDATE warmline_calls SET held_reason = 'Records request 2026-114', held_at = ?2 WHERE id = ?1")?
                    .execute(params![id, now])?;
            }
        }
        if let Some(held) = caller_ids.get(1) {
            tx.execute(
                "UPDATE warmline_callers SET held_reason = 'Court order 26-CV-0412', held_at = ?2 WHERE id = ?1",
                params![held, now],
            )?;
        }
        Ok(takers[..2].iter().filter_map(|taker| taker.account_id.clone()).collect())
    })
}
