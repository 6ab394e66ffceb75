use porchlight_core::visits::{self, OpenVisit, Visit};


use super::declare::commands;

commands! {
    signed_in fn check_in(person_id: String, service_ids: Vec<String>) -> Visit =
        |desk, session| visits::check_in(desk, session, &person_id, &service_ids);

    signed_in fn check_in_anonymous(service_ids: Vec<String>) -> Visit =
        |desk, session| visits::check_in_anonymous(desk, session, &service_ids);

    signed_in fn check_out(visit_id: String) -> Visit = |desk, session| visits::check_out(desk, session, &visit_id);

    /// A check-out made by mistake, taken back: the same visit open again.
    signed_in fn undo_check_out(visit_id: String) -> Visit =
        |desk, session| visits::undo_check_out(desk, session, &visit_id);

    signed_in fn check_out_everyone() -> usize = |desk, session| visits::check_out_everyone(desk, session);

    signed_in fn undo_check_in(visit_id: String) -> () =
        |desk, session| visits::undo_check_in(desk, session, &visit_id);

    signed_in fn set_visit_services(visit_id: String, service_ids: Vec<String>) -> Visit =
        |desk, session| visits::set_services(desk, session, &visit_id, &service_ids);

    signed_in fn here_now() -> Vec<OpenVisit> = |desk, session| visits::here_now(desk, session);
}
