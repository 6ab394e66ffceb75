use porchlight_core::consent::{self, Consent, ConsentKind};


use super::declare::commands;

commands! {
    signed_in fn person_consent(person_id: String) -> Vec<Consent> =
        |desk, session| consent::current(desk, session, &person_id);

    signed_in fn record_consent(person_id: String, kind: ConsentKind, given: bool) -> Vec<Consent> =
        |desk, session| consent::record(desk, session, &person_id, kind, given);
}
