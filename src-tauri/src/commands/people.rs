use porchlight_core::people::{self, Person, PersonInput};


use super::declare::commands;

commands! {
    signed_in fn get_person(id: String) -> Person = |desk, session| people::get(desk, session, &id);

    signed_in fn register_person(input: PersonInput) -> Person =
        |desk, session| people::register(desk, session, &input);

    signed_in fn update_person(id: String, input: PersonInput) -> Person =
        |desk, session| people::update(desk, session, &id, &input);

    signed_in fn forget_person(id: String) -> () = |desk, session| people::forget(desk, session, &id);
}
