use porchlight_core::services::{self, Service};


use super::declare::commands;

commands! {
    signed_in fn list_services(include_retired: bool) -> Vec<Service> =
        |desk, session| services::list(desk, session, include_retired);

    signed_in fn add_service(name: String) -> Service = |desk, session| services::add(desk, session, &name);

    signed_in fn rename_service(id: String, name: String) -> Service =
        |desk, session| services::rename(desk, session, &id, &name);

    signed_in fn set_service_active(id: String, active: bool) -> Service =
        |desk, session| services::set_active(desk, session, &id, active);

    signed_in fn reorder_services(ids: Vec<String>) -> Vec<Service> =
        |desk, session| services::reorder(desk, session, &ids);
}
