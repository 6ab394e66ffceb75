//! Access control: the center's policy (which roles may take which action, on which records,
//! with which proof) and the sessions that act under it. Every domain asks [`authorize`] (or
//! one of its siblings) with the acting [`Session`]; staff management itself is the `accounts`
//! domain, above this layer.

mod session;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use session::{authorize, authorize_own, signed_in, Actor, Session, SignInMethod, SignedIn};
pub(crate) use session::{authorize_in, authorize_own_in, AccountRow, ACCOUNTS};

/// What an account may be asked to do. An account may hold several roles.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    TS,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[ts(export)]
pub enum Role {
    Admin,
    Coordinator,
    FrontDesk,
    Facilitator,
    Warmline,
}

impl Role {
    pub const ALL: &'static [Role] = <Role as strum::VariantArray>::VARIANTS;

    /// The name it is stored and synced by: `front_desk`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The name people read: "Front desk".
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Admin",
            Role::Coordinator => "Coordinator",
            Role::FrontDesk => "Front desk",
            Role::Facilitator => "Facilitator",
            Role::Warmline => "Warmline",
        }
    }
}

/// Everything a desk can be asked to do that a role may or may not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, strum::VariantArray)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Action {
    SearchPeople,
    /// A person's whole record: contact details, year of birth, consent.
    ViewPerson,
    RegisterPerson,
    EditPerson,
    /// Erase who a person was, on every desk, at their request.
    ForgetPerson,
    CheckIn,
    CheckOut,
    /// Undo a check-in or change the services a visit recorded.
    CorrectVisit,
    SeeWhoIsHere,
    SeeTodaysFigures,
    /// The services catalog and the center's name and time zone, which every screen needs.
    ReadCatalog,
    ManageServices,
    ManageSettings,
    SeeSyncState,
    SyncNow,
    ConnectSync,
    /// One's own PIN, or password when signed in with it.
    ChangeOwnSecret,
    ExportPeople,
    ExportVisits,
    ImportPeople,
    Backup,
    /// Putting a backup in place of the desk's data.
    RestoreBackup,
    MakeDemo,
    ManageAccounts,
    ReadAuditLog,
    /// Groups' sessions: when and where they meet (front desk points visitors to the room).
    SeeSessions,
    /// A session's roster, marks, headcount, topic and note.
    TakeAttendance,
    /// "Did not meet": cancelling one session, or taking that back.
    CancelSession,
    /// Groups, their schedules and facilitators; moving a session, naming a substitute.
    ManageGroups,
    SeeGroupFigures,
    ExportGroups,
    /// The warmline: starting and logging calls, callers and their profiles, referrals,
    /// follow-ups and the shift handoff.
    TakeCalls,
    /// Changing a call once logged: a volunteer their own, for a day; a coordinator any.
    EditCall,
    /// The warmline's call types, topics, resource directory and callers' flags.
    ManageWarmline,
    SeeWarmlineFigures,
    /// Keeping a call or caller's notes past retention, for a legal reason.
    HoldWarmlineRecords,
    /// Calls, callers and resources as files, without their notes.
    ExportWarmline,
    /// The same with the calls' notes, "what helps" and callers' flags.
    ExportCallNotes,
    /// Volunteers, their credentials and hours, shift roles, templates and assignments.
    ManageVolunteers,
    /// The shift schedule with who holds each shift: a volunteer their own shifts and the open
    /// ones they could take.
    SeeShifts,
    /// Signing up for an open shift, and dropping one (a volunteer their own, until a day before).
    SignUpForShifts,
    /// Clocking in and out of a shift at the desk.
    ClockShifts,
    SeeVolunteerFigures,
    /// Volunteers, shifts and hours as files, never with visits.
    ExportVolunteers,
    /// The center's report for any period, on screen and as files for funders and the board.
    RunReports,
    /// Seeing likely duplicate people, and linking two records as one person (or keeping them apart).
    LinkPeople,
}

/// On which records a role may take an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    /// Any record the action applies to.
    Any,
    /// Only the acting account's own: its own PIN; a volunteer's own shifts, a facilitator's
    /// own groups, the calls a volunteer took.
    Own,
}

/// Who may take an action, on which records, and with which proof.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Each role that may take the action, with its scope. A role not named may not.
    pub grants: &'static [(Role, Scope)],
    /// Asks for the account's password, not a PIN that someone may have seen typed at a shared desk.
    pub needs_password: bool,
}

impl Action {
    pub const ALL: &'static [Action] = <Action as strum::VariantArray>::VARIANTS;

    /// The center's privacy policy in one place, written out action by action: warmline
    /// volunteers never reach the people directory, and only admins (by password) manage
    /// accounts, settings, sync, backups and people exports.
    pub fn rule(self) -> Rule {
        use Role::*;
        use Scope::*;
        let (grants, needs_password): (&'static [(Role, Scope)], bool) = match self {
            Action::SearchPeople | Action::RegisterPerson => {
                (&[(Admin, Any), (Coordinator, Any), (FrontDesk, Any), (Facilitator, Any)], false)
            }
            Action::ViewPerson | Action::EditPerson | Action::SeeTodaysFigures => {
                (&[(Admin, Any), (Coordinator, Any), (FrontDesk, Any)], false)
            }
            Action::CheckIn | Action::CheckOut | Action::CorrectVisit | Action::SeeWhoIsHere => {
                (&[(Admin, Any), (FrontDesk, Any)], false)
            }
            Action::ReadCatalog | Action::SeeSyncState | Action::SyncNow => {
                (&[(Admin, Any), (Coordinator, Any), (FrontDesk, Any), (Facilitator, Any), (Warmline, Any)], false)
            }
            Action::ChangeOwnSecret => {
                (&[(Admin, Own), (Coordinator, Own), (FrontDesk, Own), (Facilitator, Own), (Warmline, Own)], false)
            }
            Action::ExportVisits
            | Action::ManageGroups
            | Action::ExportGroups
            | Action::ManageWarmline
            | Action::ExportWarmline
            | Action::ManageVolunteers
            | Action::SeeVolunteerFigures
            | Action::ExportVolunteers
            | Action::RunReports
            | Action::LinkPeople => (&[(Admin, Any), (Coordinator, Any)], false),
            // The line's own volunteers see how it is doing: the figures hold no notes.
            Action::SeeWarmlineFigures => (&[(Admin, Any), (Coordinator, Any), (Warmline, Any)], false),
            Action::SeeShifts => {
                (&[(Admin, Any), (Coordinator, Any), (FrontDesk, Any), (Facilitator, Own), (Warmline, Own)], false)
            }
            Action::SignUpForShifts => {
                (&[(Admin, Any), (Coordinator, Any), (FrontDesk, Own), (Facilitator, Own), (Warmline, Own)], false)
            }
            Action::ClockShifts => {
                (&[(Admin, Any), (Coordinator, Any), (FrontDesk, Any), (Facilitator, Own), (Warmline, Own)], false)
            }
            Action::TakeCalls => (&[(Admin, Any), (Coordinator, Any), (Warmline, Any)], false),
            Action::EditCall => (&[(Admin, Any), (Coordinator, Any), (Warmline, Own)], false),
            Action::SeeSessions => (&[(Admin, Any), (Coordinator, Any), (FrontDesk, Any), (Facilitator, Own)], false),
            Action::TakeAttendance | Action::CancelSession | Action::SeeGroupFigures => {
                (&[(Admin, Any), (Coordinator, Any), (Facilitator, Own)], false)
            }
            Action::ManageServices
            | Action::ManageSettings
            | Action::ConnectSync
            | Action::ExportPeople
            | Action::ImportPeople
            | Action::Backup
            | Action::RestoreBackup
            | Action::MakeDemo
            | Action::ManageAccounts
            | Action::ForgetPerson
            | Action::ReadAuditLog
            | Action::HoldWarmlineRecords
            | Action::ExportCallNotes => (&[(Admin, Any)], true),
        };
        Rule { grants, needs_password }
    }

    /// The widest scope any of `roles` holds for this action; `None` if none may take it.
    pub fn scope_for(self, roles: &[Role]) -> Option<Scope> {
        self.rule().grants.iter().filter(|(role, _)| roles.contains(role)).map(|(_, scope)| *scope).min()
    }

    pub fn allowed_for(self, roles: &[Role]) -> bool {
        self.scope_for(roles).is_some()
    }

    pub fn needs_password(self) -> bool {
        self.rule().needs_password
    }

    /// What the action is, for "Your roles do not allow …".
    pub fn describe(self) -> &'static str {
        match self {
            Action::SearchPeople => "searching the people directory",
            Action::ViewPerson => "seeing a person's full record",
            Action::RegisterPerson => "registering people",
            Action::EditPerson => "editing people's records",
            Action::ForgetPerson => "forgetting a person",
            Action::CheckIn => "checking people in",
            Action::CheckOut => "checking people out",
            Action::CorrectVisit => "correcting visits",
            Action::SeeWhoIsHere => "seeing who is here now",
            Action::SeeTodaysFigures => "seeing today's figures",
            Action::ReadCatalog => "reading the services catalog",
            Action::ManageServices => "changing the services catalog",
            Action::ManageSettings => "changing the center's settings",
            Action::SeeSyncState => "seeing how sync stands",
            Action::SyncNow => "syncing",
            Action::ConnectSync => "connecting this desk to a hub",
            Action::ChangeOwnSecret => "changing your own PIN or password",
            Action::ExportPeople => "exporting people",
            Action::ExportVisits => "exporting visits",
            Action::ImportPeople => "importing people",
            Action::Backup => "making backups",
            Action::RestoreBackup => "putting a backup back",
            Action::MakeDemo => "making the demo center",
            Action::ManageAccounts => "managing staff accounts",
            Action::ReadAuditLog => "reading the audit log",
            Action::SeeSessions => "seeing this group's sessions",
            Action::TakeAttendance => "taking attendance for this group",
            Action::CancelSession => "cancelling this group's sessions",
            Action::ManageGroups => "setting up groups and their schedules",
            Action::SeeGroupFigures => "seeing this group's figures",
            Action::ExportGroups => "exporting groups, sessions and attendance",
            Action::TakeCalls => "taking warmline calls",
            Action::EditCall => "changing this call",
            Action::ManageWarmline => "setting up the warmline's lists and directory",
            Action::SeeWarmlineFigures => "seeing the warmline's figures",
            Action::HoldWarmlineRecords => "putting warmline records on legal hold",
            Action::ExportWarmline => "exporting the warmline's calls, callers and resources",
            Action::ExportCallNotes => "exporting call notes",
            Action::ManageVolunteers => "managing volunteers, their credentials and the shift schedule",
            Action::SeeShifts => "seeing this shift",
            Action::SignUpForShifts => "signing this volunteer up for shifts or dropping theirs",
            Action::ClockShifts => "clocking this volunteer in or out",
            Action::SeeVolunteerFigures => "seeing volunteer figures",
            Action::ExportVolunteers => "exporting volunteers, shifts and hours",
            Action::RunReports => "running the center's reports",
            Action::LinkPeople => "linking people's records as one person",
        }
    }
}

crate::error::domain_errors! {
    /// What keeps a person from acting: signed out, locked, or not allowed by their roles.
    pub enum AccessError, codes AccessErrorCode {
        #[error("This account is locked after too many wrong tries. An admin can unlock it.")]
        AccountLocked,
        #[error("That staff account does not exist.")]
        AccountNotFound,
        #[error("Your roles do not allow {action}.")]
        NotAllowed { action: &'static str },
        #[error("{action} needs an admin's password: sign in with your password, not your PIN.")]
        PasswordNeeded { action: &'static str },
        #[error("The desk is locked or you were signed out; sign in again.")]
        SignedOut,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The center's privacy policy, role by role. `A` admin, `C` coordinator, `F` front desk,
    /// `G` group facilitator, `W` warmline; a lower-case letter holds the action for its own
    /// records only. `P`: asks for the password.
    #[test]
    fn each_role_is_allowed_exactly_what_the_policy_says() {
        let policy = [
            (Action::SearchPeople, "ACFG-", ""),
            (Action::ViewPerson, "ACF--", ""),
            (Action::RegisterPerson, "ACFG-", ""),
            (Action::EditPerson, "ACF--", ""),
            (Action::ForgetPerson, "A----", "P"),
            (Action::CheckIn, "A-F--", ""),
            (Action::CheckOut, "A-F--", ""),
            (Action::CorrectVisit, "A-F--", ""),
            (Action::SeeWhoIsHere, "A-F--", ""),
            (Action::SeeTodaysFigures, "ACF--", ""),
            (Action::ReadCatalog, "ACFGW", ""),
            (Action::ManageServices, "A----", "P"),
            (Action::ManageSettings, "A----", "P"),
            (Action::SeeSyncState, "ACFGW", ""),
            (Action::SyncNow, "ACFGW", ""),
            (Action::ConnectSync, "A----", "P"),
            (Action::ChangeOwnSecret, "acfgw", ""),
            (Action::ExportPeople, "A----", "P"),
            (Action::ExportVisits, "AC---", ""),
            (Action::ImportPeople, "A----", "P"),
            (Action::Backup, "A----", "P"),
            (Action::RestoreBackup, "A----", "P"),
            (Action::MakeDemo, "A----", "P"),
            (Action::ManageAccounts, "A----", "P"),
            (Action::ReadAuditLog, "A----", "P"),
            (Action::SeeSessions, "ACFg-", ""),
            (Action::TakeAttendance, "AC-g-", ""),
            (Action::CancelSession, "AC-g-", ""),
            (Action::ManageGroups, "AC---", ""),
            (Action::SeeGroupFigures, "AC-g-", ""),
            (Action::ExportGroups, "AC---", ""),
            (Action::TakeCalls, "AC--W", ""),
            (Action::EditCall, "AC--w", ""),
            (Action::ManageWarmline, "AC---", ""),
            (Action::SeeWarmlineFigures, "AC--W", ""),
            (Action::HoldWarmlineRecords, "A----", "P"),
            (Action::ExportWarmline, "AC---", ""),
            (Action::ExportCallNotes, "A----", "P"),
            (Action::ManageVolunteers, "AC---", ""),
            (Action::SeeShifts, "ACFgw", ""),
            (Action::SignUpForShifts, "ACfgw", ""),
            (Action::ClockShifts, "ACFgw", ""),
            (Action::SeeVolunteerFigures, "AC---", ""),
            (Action::ExportVolunteers, "AC---", ""),
            (Action::RunReports, "AC---", ""),
            (Action::LinkPeople, "AC---", ""),
        ];
        assert_eq!(policy.len(), Action::ALL.len(), "every action has a line");
        for (action, allowed, password) in policy {
            let actual: String = Role::ALL
                .iter()
                .zip("ACFGW".chars())
                .map(|(role, letter)| match action.scope_for(&[*role]) {
                    Some(Scope::Any) => letter,
                    Some(Scope::Own) => letter.to_ascii_lowercase(),
                    None => '-',
                })
                .collect();
            assert_eq!(actual, allowed, "{action:?}");
            assert_eq!(action.needs_password(), password == "P", "{action:?}");
            assert!(action.allowed_for(&[Role::Admin]), "{action:?}: admins may take every action");
        }
    }

    #[test]
    fn roles_keep_the_names_they_are_stored_and_synced_by() {
        let names: Vec<&str> = Role::ALL.iter().map(|role| role.as_str()).collect();
        assert_eq!(names, ["admin", "coordinator", "front_desk", "facilitator", "warmline"]);
        assert_eq!("front_desk".parse::<Role>().ok(), Some(Role::FrontDesk));
        assert!("janitor".parse::<Role>().is_err(), "a role a newer desk invented grants nothing");
    }
}
