use porchlight_core::reports;
use porchlight_core::volunteers::assignments::{self, Candidate};
use porchlight_core::volunteers::credentials::{self, CredentialAlert, CredentialInput, HeldCredential};
use porchlight_core::volunteers::hours::{self, HoursInput, VolunteerFigures, VolunteerHours};
use porchlight_core::volunteers::shifts::{self, Shift};
use porchlight_core::volunteers::templates::{self, OneOffInput, ShiftTemplate, TemplateInput};
use porchlight_core::volunteers::{self, VolunteerCatalog, Volunteer, VolunteerInput, VolunteerSummary};


use super::declare::commands;

commands! {
    signed_in fn volunteer_catalog() -> VolunteerCatalog = |desk, session| volunteers::catalog(desk, session);

    signed_in fn add_shift_role(name: String, warmline: bool, credential_ids: Vec<String>) -> VolunteerCatalog =
        |desk, session| volunteers::add_role(desk, session, &name, warmline, &credential_ids);

    signed_in fn set_role_requirements(role_id: String, credential_ids: Vec<String>) -> VolunteerCatalog =
        |desk, session| volunteers::set_role_requirements(desk, session, &role_id, &credential_ids);

    signed_in fn add_credential_kind(name: String) -> VolunteerCatalog =
        |desk, session| volunteers::add_credential_kind(desk, session, &name);

    signed_in fn set_volunteer_item_retired(id: String, retired: bool) -> VolunteerCatalog =
        |desk, session| volunteers::set_retired(desk, session, &id, retired);

    signed_in fn list_volunteers() -> Vec<VolunteerSummary> = |desk, session| volunteers::list(desk, session);

    signed_in fn get_volunteer(id: String) -> Volunteer = |desk, session| volunteers::get(desk, session, &id);

    signed_in fn my_volunteer_record() -> Option<Volunteer> = |desk, session| volunteers::mine(desk, session);

    signed_in fn save_volunteer(person_id: String, input: VolunteerInput) -> Volunteer =
        |desk, session| volunteers::save(desk, session, &person_id, &input);

    signed_in fn set_volunteer_active(id: String, active: bool) -> Volunteer =
        |desk, session| volunteers::set_active(desk, session, &id, active);

    signed_in fn add_blackout(
        volunteer_id: String,
        first_day: String,
        last_day: String,
    ) -> Volunteer = |desk, session| {
        volunteers::add_blackout(
            desk,
            session,
            &volunteer_id,
            reports::parse_day(&first_day)?,
            reports::parse_day(&last_day)?,
        )
    };

    signed_in fn remove_blackout(blackout_id: String) -> Volunteer =
        |desk, session| volunteers::remove_blackout(desk, session, &blackout_id);

    signed_in fn add_credential(volunteer_id: String, input: CredentialInput) -> Vec<HeldCredential> =
        |desk, session| credentials::add(desk, session, &volunteer_id, &input);

    signed_in fn remove_credential(credential_id: String) -> Vec<HeldCredential> =
        |desk, session| credentials::remove(desk, session, &credential_id);

    signed_in fn credential_alerts() -> Vec<CredentialAlert> = |desk, session| credentials::alerts(desk, session);

    signed_in fn list_shift_templates() -> Vec<ShiftTemplate> = |desk, session| templates::list(desk, session);

    signed_in fn create_shift_template(input: TemplateInput) -> ShiftTemplate =
        |desk, session| templates::create(desk, session, &input);

    signed_in fn update_shift_template(id: String, input: TemplateInput) -> ShiftTemplate =
        |desk, session| templates::update(desk, session, &id, &input);

    signed_in fn end_shift_template(id: String) -> ShiftTemplate = |desk, session| templates::end(desk, session, &id);

    signed_in fn add_one_off_shift(input: OneOffInput) -> ShiftTemplate =
        |desk, session| templates::add_one_off(desk, session, &input);

    signed_in fn facilitator_shifts_for_group(group_id: String, needed: u32) -> ShiftTemplate =
        |desk, session| templates::for_group(desk, session, &group_id, needed);

    signed_in fn shifts_between(from: String, to: String) -> Vec<Shift> = |desk, session| {
        shifts::between(desk, session, reports::parse_day(&from)?, reports::parse_day(&to)?)
    };

    signed_in fn shift_gaps() -> Vec<Shift> = |desk, session| shifts::gaps(desk, session);

    signed_in fn get_shift(shift_id: String) -> Shift = |desk, session| shifts::get(desk, session, &shift_id);

    signed_in fn cancel_shift(shift_id: String, reason: String) -> Shift =
        |desk, session| shifts::cancel(desk, session, &shift_id, &reason);

    signed_in fn restore_shift(shift_id: String) -> Shift = |desk, session| shifts::restore(desk, session, &shift_id);

    signed_in fn shift_candidates(shift_id: String) -> Vec<Candidate> =
        |desk, session| assignments::candidates(desk, session, &shift_id);

    signed_in fn assign_shift(shift_id: String, volunteer_id: String) -> Shift =
        |desk, session| assignments::assign(desk, session, &shift_id, &volunteer_id);

    signed_in fn sign_up_for_shift(shift_id: String, volunteer_id: String) -> Shift =
        |desk, session| assignments::sign_up(desk, session, &shift_id, &volunteer_id);

    signed_in fn drop_shift(assignment_id: String) -> Shift =
        |desk, session| assignments::drop_shift(desk, session, &assignment_id);

    signed_in fn swap_shift(assignment_id: String, volunteer_id: String) -> Shift =
        |desk, session| assignments::swap(desk, session, &assignment_id, &volunteer_id);

    signed_in fn clock_in(assignment_id: String) -> Shift =
        |desk, session| assignments::clock_in(desk, session, &assignment_id);

    signed_in fn clock_out(assignment_id: String) -> Shift =
        |desk, session| assignments::clock_out(desk, session, &assignment_id);

    signed_in fn mark_no_show(assignment_id: String, comment: String) -> Shift =
        |desk, session| assignments::mark_no_show(desk, session, &assignment_id, &comment);

    signed_in fn confirm_shift_day(day: String) -> usize =
        |desk, session| assignments::confirm_day(desk, session, reports::parse_day(&day)?);

    signed_in fn log_volunteer_hours(input: HoursInput) -> VolunteerHours =
        |desk, session| hours::log(desk, session, &input);

    signed_in fn volunteer_hours(volunteer_id: String, from: String, to: String) -> VolunteerHours = |desk, session| {
        hours::of_volunteer(desk, session, &volunteer_id, reports::parse_day(&from)?, reports::parse_day(&to)?)
    };

    signed_in fn volunteer_figures(from: String, to: String) -> VolunteerFigures = |desk, session| {
        hours::figures(desk, session, reports::parse_day(&from)?, reports::parse_day(&to)?)
    };
}
