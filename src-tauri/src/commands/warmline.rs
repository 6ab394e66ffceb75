use porchlight_core::warmline::callers::{self, CallerMatch, CallerProfile};
use porchlight_core::warmline::calls::{self, Call, CallInput, CallSummary, OpenCall};
use porchlight_core::warmline::figures::{self, WarmlineFigures};
use porchlight_core::warmline::follow_ups::{self, FollowUp, FollowUpInput};
use porchlight_core::warmline::handoff::{self, Handoff, HandoffNote};
use porchlight_core::warmline::resources::{self, Resource, ResourceInput};
use porchlight_core::warmline::retention::{self, HoldOn};
use porchlight_core::warmline::{self, CallKind, CallType, Catalog, Topic, WarmlineError};
use porchlight_core::{reports, settings};


use super::declare::commands;

commands! {
    signed_in fn warmline_catalog(with_retired: bool) -> Catalog =
        |desk, session| warmline::catalog(desk, session, with_retired);

    signed_in fn add_call_type(name: String, kind: CallKind) -> CallType =
        |desk, session| warmline::add_call_type(desk, session, &name, kind);

    signed_in fn add_topic(name: String) -> Topic = |desk, session| warmline::add_topic(desk, session, &name);

    signed_in fn set_warmline_item_retired(id: String, retired: bool) -> Catalog =
        |desk, session| warmline::set_retired(desk, session, &id, retired);

    signed_in fn find_resources(query: String) -> Vec<Resource> =
        |desk, session| resources::find(desk, session, &query, TYPE_AHEAD);

    signed_in fn list_resources(with_retired: bool) -> Vec<Resource> =
        |desk, session| resources::list(desk, session, with_retired);

    signed_in fn add_resource(input: ResourceInput) -> Resource = |desk, session| resources::add(desk, session, &input);

    signed_in fn update_resource(id: String, input: ResourceInput) -> Resource =
        |desk, session| resources::update(desk, session, &id, &input);

    signed_in fn set_resource_retired(id: String, retired: bool) -> Resource =
        |desk, session| resources::set_retired(desk, session, &id, retired);

    signed_in fn find_callers(query: String) -> Vec<CallerMatch> =
        |desk, session| callers::find(desk, session, &query, TYPE_AHEAD);

    signed_in fn add_caller(alias: String) -> CallerMatch = |desk, session| callers::add(desk, session, &alias);

    signed_in fn rename_caller(id: String, alias: String) -> () =
        |desk, session| callers::rename(desk, session, &id, &alias);

    signed_in fn caller_profile(id: String) -> CallerProfile = |desk, session| callers::profile(desk, session, &id);

    signed_in fn write_what_helps(caller_id: String, text: Option<String>) -> CallerProfile =
        |desk, session| callers::write_what_helps(desk, session, &caller_id, text.as_deref());

    signed_in fn add_caller_flag(caller_id: String, text: String, until: String) -> CallerProfile = |desk, session| {
        let until = reports::parse_day(&until).map_err(|_| porchlight_core::Error::Warmline(WarmlineError::FlagUntilOutOfRange))?;
        callers::add_flag(desk, session, &caller_id, &text, until)
    };

    signed_in fn remove_caller_flag(flag_id: String) -> CallerProfile =
        |desk, session| callers::remove_flag(desk, session, &flag_id);

    signed_in fn link_caller_person(
        caller_id: String,
        person_id: Option<String>,
        consent_given: bool,
    ) -> () = |desk, session| {
        callers::link_person(desk, session, &caller_id, person_id.as_deref(), consent_given)
    };

    signed_in fn start_call() -> OpenCall = |desk, session| calls::start(desk, session);

    signed_in fn save_open_call(draft: String) -> OpenCall = |desk, session| calls::save_open(desk, session, &draft);

    signed_in fn open_call() -> Option<OpenCall> = |desk, session| calls::open_call(desk, session);

    signed_in fn discard_open_call() -> () = |desk, session| calls::discard_open(desk, session);

    signed_in fn finish_call(input: CallInput) -> Call = |desk, session| calls::finish(desk, session, &input);

    signed_in fn log_call(input: CallInput) -> Call = |desk, session| calls::log(desk, session, &input);

    signed_in fn call_takers() -> Vec<calls::Named> = |desk, session| calls::takers(desk, session);

    signed_in fn get_call(id: String) -> Call = |desk, session| calls::get(desk, session, &id);

    signed_in fn update_call(id: String, input: CallInput) -> Call =
        |desk, session| calls::update(desk, session, &id, &input);

    signed_in fn calls_between(from: String, to: String) -> Vec<CallSummary> = |desk, session| {
        calls::between(desk, session, reports::parse_day(&from)?, reports::parse_day(&to)?)
    };

    signed_in fn leave_handoff_note(note: String) -> HandoffNote =
        |desk, session| handoff::leave_note(desk, session, &note);

    signed_in fn caller_calls(caller_id: String) -> Vec<CallSummary> =
        |desk, session| calls::of_caller(desk, session, &caller_id);

    signed_in fn open_follow_ups() -> Vec<FollowUp> = |desk, session| follow_ups::open(desk, session);

    signed_in fn add_follow_up(call_id: String, input: FollowUpInput) -> FollowUp =
        |desk, session| follow_ups::add(desk, session, &call_id, &input);

    signed_in fn complete_follow_up(id: String, note: Option<String>) -> FollowUp =
        |desk, session| follow_ups::complete(desk, session, &id, note.as_deref());

    signed_in fn shift_handoff() -> Handoff = |desk, session| handoff::current(desk, session);

    signed_in fn warmline_figures(from: String, to: String) -> WarmlineFigures = |desk, session| {
        figures::for_period(desk, session, reports::parse_day(&from)?, reports::parse_day(&to)?)
    };

    signed_in fn set_warmline_hold(on: HoldOn, id: String, reason: Option<String>) -> () =
        |desk, session| retention::set_hold(desk, session, on, &id, reason.as_deref());

    signed_in fn warmline_note_days() -> u32 = |desk, _| settings::warmline_note_days(desk);

    signed_in fn set_warmline_note_days(days: u32) -> u32 =
        |desk, session| settings::set_warmline_note_days(desk, session, days);
}

/// How many matches a type-ahead offers.
const TYPE_AHEAD: usize = 8;
