use porchlight_core::front_desk::{self, PersonMatch};
use porchlight_core::people::PersonInput;


use super::declare::commands;

commands! {
    signed_in fn search_people(query: String) -> Vec<PersonMatch> =
        |desk, session| front_desk::search(desk, session, &query, RESULTS_SHOWN);

    signed_in fn find_member(code: String) -> Option<PersonMatch> =
        |desk, session| front_desk::find_by_member_code(desk, session, &code);

    signed_in fn possible_duplicates(
        input: PersonInput,
        except_id: Option<String>,
    ) -> Vec<PersonMatch> = |desk, session| {
        front_desk::possible_duplicates(desk, session, &input, except_id.as_deref())
    };
}

const RESULTS_SHOWN: usize = 8;
