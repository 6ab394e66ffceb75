//! First-run setup, signing in and out, and locking: the commands that work with nobody
//! signed in. They show names to pick and nothing else about anybody.

use porchlight_core::access::{self, SignedIn};
use porchlight_core::accounts::{self, FirstRun, SignInChoice};
use porchlight_core::{settings, sync, volunteers};
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use crate::state::DeskState;

use super::declare::commands;

commands! {
    shell fn session_view[desk: State<'_, DeskState>]() -> SessionView {
        let session = desk.session();
        let view = desk
            .run(move |desk| {
                let signed_in = match &session {
                    Some(session) => access::signed_in(desk, session).ok(),
                    None => None,
                };
                let volunteer = match (&session, &signed_in) {
                    (Some(session), Some(_)) => volunteers::mine(desk, session)?.is_some(),
                    _ => false,
                };
                let needs_first_run = accounts::needs_first_run(desk)?;
                let joining_hub = if needs_first_run { sync::status(desk)?.hub_url } else { None };
                Ok(SessionView {
                    needs_first_run,
                    joining_hub,
                    center_named: settings::center_named(desk)?,
                    signed_in,
                    volunteer,
                    lock_after_minutes: settings::lock_after_minutes(desk)?,
                })
            })
            .await?;
        desk.set_idle_limit(view.lock_after_minutes);
        if view.signed_in.is_none() {
            desk.lock();
        }
        Ok(view)
    }

    /// Someone is using the window: the session's idle time starts again (the window sends this
    /// at most every few seconds while they type or point).
    shell fn session_activity[desk: State<'_, DeskState>]() -> () {
        desk.touch();
        Ok(())
    }

    shell fn first_run[desk: State<'_, DeskState>](input: FirstRun) -> SessionView {
        let session = desk.run(move |desk| accounts::first_run(desk, &input)).await?;
        desk.begin(session);
        session_view(desk).await
    }

    desk fn sign_in_choices() -> Vec<SignInChoice> = |desk| accounts::sign_in_choices(desk);

    shell fn sign_in_with_pin[desk: State<'_, DeskState>](account_id: String, pin: String) -> SessionView {
        let session = desk.run(move |desk| accounts::sign_in_with_pin(desk, &account_id, &pin)).await?;
        desk.begin(session);
        session_view(desk).await
    }

    /// Also how an admin who came in by PIN opens the admin screens: the same account, now by password.
    shell fn sign_in_with_password[desk: State<'_, DeskState>](account_id: String, password: String) -> SessionView {
        let session = desk.run(move |desk| accounts::sign_in_with_password(desk, &account_id, &password)).await?;
        desk.begin(session);
        session_view(desk).await
    }

    shell fn lock[desk: State<'_, DeskState>]() -> SessionView {
        desk.lock();
        session_view(desk).await
    }
}

/// Where the desk stands: not set up yet, locked, or who is signed in.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct SessionView {
    pub needs_first_run: bool,
    /// A desk not set up yet but connected to a hub is joining its center: it waits for its
    /// first sync to bring the center's staff.
    pub joining_hub: Option<String>,
    /// False until the center has a name of its own: first-run setup then starts with the
    /// name field empty rather than holding a stand-in to delete.
    pub center_named: bool,
    pub signed_in: Option<SignedIn>,
    /// The signed-in account is a volunteer's: the window offers them their own shifts.
    pub volunteer: bool,
    pub lock_after_minutes: u32,
}
