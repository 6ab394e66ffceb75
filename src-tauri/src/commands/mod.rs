//! The commands the window invokes: each takes the desk from state and calls core. One file
//! per core domain (plus `desk` and `desk_key` for the desk itself), each command a few lines.

mod accounts;
mod audit;
mod consent;
mod desk;
mod desk_key;
mod front_desk;
mod groups;
mod hub_link;
mod people;
mod reports;
mod services;
mod session;
mod settings;
mod sync;
mod visits;
mod warmline;

pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        desk_key::desk_key_need,
        desk_key::unlock_desk,
        desk_key::choose_desk_passphrase,
        session::session_view,
        session::first_run,
        session::sign_in_choices,
        session::sign_in_with_pin,
        session::sign_in_with_password,
        session::lock,
        settings::set_lock_after,
        accounts::list_accounts,
        accounts::create_account,
        accounts::update_account,
        accounts::link_account_person,
        accounts::set_account_active,
        accounts::unlock_account,
        accounts::set_account_pin,
        accounts::set_account_password,
        audit::browse_audit,
        desk::desk_info,
        settings::get_settings,
        settings::update_settings,
        reports::today_figures,
        front_desk::search_people,
        front_desk::find_member,
        people::get_person,
        people::register_person,
        people::update_person,
        front_desk::possible_duplicates,
        consent::person_consent,
        consent::record_consent,
        people::forget_person,
        visits::check_in,
        visits::check_in_anonymous,
        visits::check_out,
        visits::check_out_everyone,
        visits::undo_check_in,
        visits::set_visit_services,
        visits::here_now,
        services::list_services,
        services::add_service,
        services::rename_service,
        services::set_service_active,
        services::reorder_services,
        sync::sync_view,
        hub_link::sync_connect,
        hub_link::join_center,
        hub_link::sync_disconnect,
        sync::sync_now,
        groups::list_groups,
        groups::create_group,
        groups::update_group,
        groups::set_group_status,
        groups::set_group_schedule,
        groups::facilitator_choices,
        groups::upcoming_sessions,
        groups::cancel_session,
        groups::restore_session,
        groups::move_session,
        groups::set_session_substitute,
        groups::session_roster,
        groups::mark_attendance,
        groups::set_headcount,
        groups::set_session_notes,
        groups::groups_of_person,
        groups::group_figures,
        warmline::warmline_catalog,
        warmline::add_call_type,
        warmline::add_topic,
        warmline::set_warmline_item_retired,
        warmline::find_resources,
        warmline::list_resources,
        warmline::add_resource,
        warmline::update_resource,
        warmline::set_resource_retired,
        warmline::find_callers,
        warmline::add_caller,
        warmline::rename_caller,
        warmline::caller_profile,
        warmline::write_what_helps,
        warmline::add_caller_flag,
        warmline::remove_caller_flag,
        warmline::link_caller_person,
        warmline::start_call,
        warmline::save_open_call,
        warmline::open_call,
        warmline::discard_open_call,
        warmline::finish_call,
        warmline::log_call,
        warmline::get_call,
        warmline::update_call,
        warmline::calls_between,
        warmline::open_follow_ups,
        warmline::add_follow_up,
        warmline::complete_follow_up,
        warmline::shift_handoff,
        warmline::warmline_figures,
        warmline::set_warmline_hold,
        warmline::warmline_note_days,
        warmline::set_warmline_note_days,
    ]
}
