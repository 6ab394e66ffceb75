use std::path::PathBuf;

use serde::Serialize;
use ts_rs::TS;

use crate::Timestamp;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An error's extra data by name, as the window receives it (see [`Error::detail`]).
pub type ErrorDetail = std::collections::BTreeMap<String, String>;

/// What went wrong, said so that the shell can tell a person what to do about it.
/// Each variant's machine code ([`Error::code`], an [`ErrorCode`]) is its name in snake_case,
/// derived: `AlreadyCheckedIn` is `already_checked_in`. The window's TypeScript knows the codes
/// as the union `ErrorCode`, generated from the same enum, so it cannot compare against a code
/// that no longer exists.
#[derive(Debug, thiserror::Error, strum::EnumDiscriminants)]
#[strum_discriminants(
    name(ErrorCode),
    derive(strum::IntoStaticStr, strum::VariantArray, Serialize, TS),
    strum(serialize_all = "snake_case"),
    serde(rename_all = "snake_case"),
    ts(export)
)]
pub enum Error {
    #[error("A display name is needed: a first name and last initial, or an alias.")]
    DisplayNameRequired,
    #[error("{label} can be at most {max} characters.")]
    TooLong { field: &'static str, label: &'static str, max: usize },
    #[error("That email address doesn't look right (it needs an @ and a domain).")]
    InvalidEmail,
    #[error("A phone number needs 7 to 15 digits.")]
    InvalidPhone,
    #[error("Year of birth must be between {min} and {max}.")]
    InvalidBirthYear { min: i32, max: i32 },
    #[error("No person with that id or member code.")]
    PersonNotFound,
    #[error("That visit no longer exists.")]
    VisitNotFound,
    #[error("Already checked in since {since}.")]
    AlreadyCheckedIn { visit_id: String, since: Timestamp },
    #[error("That visit is already checked out.")]
    AlreadyCheckedOut,
    #[error("One of the chosen services is not in the catalog any more.")]
    UnknownService,
    #[error("A service needs a name.")]
    ServiceNameRequired,
    #[error("There is already a service called \"{0}\".")]
    DuplicateServiceName(String),
    #[error("A center name is needed.")]
    CenterNameRequired,
    #[error("\"{0}\" is not a time zone Porchlight knows (try one like America/Chicago).")]
    UnknownTimeZone(String),
    #[error("A date must look like 2026-11-23, not \"{0}\".")]
    InvalidDate(String),
    #[error("{day} is outside the days Porchlight keeps (the years 1900 to 2999).")]
    DayNotHeld { day: String },
    #[error("The start date is after the end date.")]
    DateRangeReversed,
    #[error("The file has {} problem(s); nothing was imported.", .0.len())]
    ImportRejected(Vec<ImportRowError>),
    #[error("Porchlight cannot write to its data folder {path}: {source}")]
    DataDirNotWritable { path: PathBuf, source: std::io::Error },
    #[error("The database is busy in another program; close the other Porchlight and try again.")]
    DatabaseLocked,
    #[error("{path} is not a Porchlight database (it may be damaged or encrypted).")]
    NotADatabase { path: PathBuf },
    #[error("The key for {path} is not the right one (or the file is damaged); nothing was changed.")]
    WrongDatabaseKey { path: PathBuf },
    #[error("This desk's data at {path} is damaged: the file no longer reads whole (its key is right). Put back the last good backup, or set this desk up afresh and take the center's records from the hub again.")]
    DeskDataDamaged { path: PathBuf },
    #[error("This desk's data at {path} does not open without a key, and the note of how its key is kept ({note}) is missing: without it no passphrase or keychain opens it. Put {note} back from a backup of the data folder (it holds no secret), then open the desk again; if the desk was never encrypted, the file is damaged: put back the last good backup. Nothing was changed.")]
    DeskKeyNoteMissing { path: PathBuf, note: PathBuf },
    #[error("This desk's data at {path} is missing or empty, though this desk kept its records there. Put back the last good backup (copy it to {path}), or set this desk up afresh in a new folder and take the center's records from the hub again.")]
    DeskDataGone { path: PathBuf },
    #[error("The backup {path} cannot be put back: {reason}. Nothing was changed.")]
    BackupUnusable { path: PathBuf, reason: String },
    #[error("Backups cannot be kept in {folder}: {reason}.")]
    BackupFolderUnusable { folder: PathBuf, reason: String },
    #[error("Reports cannot be saved into {folder}: {reason}.")]
    ReportFolderUnusable { folder: PathBuf, reason: String },
    #[error("That is not a usable database key.")]
    KeyNotUsable,
    #[error("{path} is damaged: it says where this desk's key is kept. Restore it from where the desk was set up.")]
    KeyNoteDamaged { path: PathBuf },
    #[error("This desk's data is already encrypted with its own key.")]
    DeskKeyAlreadyChosen,
    #[error("This desk's data is not kept with a passphrase.")]
    NoDeskPassphrase,
    #[error("A desk passphrase needs at least {min} characters; a few words together are easy to remember and hard to guess.")]
    PassphraseTooShort { min: usize },
    #[error("The two passphrases are not the same.")]
    PassphrasesDiffer,
    #[error("That passphrase does not open this desk's data. Nothing was changed; try again.")]
    WrongDeskPassphrase,
    #[error("This desk's key is kept in the computer's keychain, which cannot be reached now ({reason}). Sign in to the computer as the person who set Porchlight up on it, with the keychain unlocked.")]
    KeychainUnreachable { reason: String },
    #[error("This database was written by a newer Porchlight (schema {found}); update this desk.")]
    DatabaseTooNew { found: i64 },
    #[error("The demo center can only be made on a desk with no people yet; use a new --data-dir.")]
    DemoNeedsEmptyDesk,
    #[error("A hub address looks like https://hub.example.org or http://127.0.0.1:8787.")]
    InvalidHubUrl,
    #[error("This hub is on another computer and its address starts with http://, so people's records would cross the network unencrypted. Use its https:// address, or allow plain HTTP only on a private network the center trusts.")]
    PlainHttpRefused,
    #[error("That is not a certificate: paste the hub's certificate as text, from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----.")]
    InvalidHubCertificate,
    #[error("That is the hub's private key, which must stay on the hub. Paste its certificate (hub.crt) instead, and tell the hub's operator the key was copied.")]
    HubKeyGivenToDesk,
    #[error("The hub at {url} did not show a certificate this desk trusts ({reason}). If the hub uses its own certificate, give it to this desk when connecting.")]
    HubNotTrusted { url: String, reason: String },
    #[error("A desk name is needed, such as \"Front desk\".")]
    DeskNameRequired,
    #[error("The enrollment code from the hub's operator is needed.")]
    EnrollmentCodeRequired,
    #[error("The hub did not accept that enrollment code: {message}")]
    EnrollmentRefused { message: String },
    #[error("This desk is already connected to {hub_url}; disconnect it first.")]
    AlreadyConnected { hub_url: String },
    #[error("This desk is not connected to a hub yet.")]
    NotConnected,
    #[error("The hub at {url} cannot be reached ({reason}). Changes are kept and sent later.")]
    HubUnreachable { url: String, reason: String },
    #[error("The hub no longer accepts this desk: it was revoked, or the hub was put back from a copy made before this desk connected. Ask the hub's operator for a new enrollment code, disconnect, and connect again: the desk then sends the hub whatever it lacks.")]
    NotAuthorised,
    #[error("The hub's disk is full, so it can take nothing from this desk. Changes are kept here and sent once the hub's operator frees space.")]
    HubDiskFull,
    #[error("The hub refused the request ({status} {code}): {message}")]
    HubRefused { status: u16, code: String, message: String },
    #[error("This desk is waiting to be let into the center. At a desk that already syncs, an admin opens Settings → Sync and lets it in; the code shown there must read {code}. Or type the center's recovery words here.")]
    WaitingToJoin { code: String },
    #[error("The hub at {url} is older than this desk and cannot keep its changes sealed. Ask the hub's operator to update porchlight-hub.")]
    HubTooOld { url: String },
    #[error(
        "That desk no longer asks to join (it may have asked again, or another desk let it in). Sync, then look again."
    )]
    JoinRequestGone,
    #[error("The keys another desk sent could not be opened here. This desk asks to join again; let it in once more.")]
    JoinKeysUnreadable,
    #[error("This desk does not hold the center's key yet, so it cannot let another desk in.")]
    NoCenterKeyHere,
    #[error("The hub says this center now seals with a key (id {key_id}) that no desk of the center proved to this one. Nothing was sent or taken. If an admin changed the center's key, type the newest recovery words here; otherwise tell the hub's operator.")]
    CenterKeyUntraced { key_id: String },
    #[error("The hub keeps a signing key for this center that is not the center's: whoever registered it could revoke desks or let desks in. Nothing was sent. Tell the hub's operator, who can forget it (porchlight-hub centers forget-verifier); this desk then registers the center's own at its next sync.")]
    CenterVerifierNotOurs,
    #[error("The hub has no such desk in this center. Look at the list again.")]
    NoSuchDesk,
    #[error("This is the desk you are using: revoke it from another desk, or disconnect it here.")]
    CannotRevokeThisDesk,
    #[error("{reason}")]
    NotRecoveryWords { reason: String },
    #[error("This computer's clock is far from the hub's (the hub's is {gap} it), so this desk makes no change until the clock is put right. Set the computer's date and time, then sync; or an admin takes the hub's time in Settings → Sync.")]
    ClockInDoubt { gap: String },
    /// What the clock reads, why that cannot be right, and what puts it right.
    #[error("{message}")]
    ClockWrong { message: String },
    #[error("These recovery words are a real key, but not the one this center seals with now. Check that the sheet is this center's newest.")]
    RecoveryWordsOfAnotherKey,
    #[error("This desk holds no center key, so no recovery words can show that you speak for the center. Ask another admin to set the password in the app, or open this desk with its passphrase.")]
    NoRecoveryWordsHere,
    #[error("The hub went back to an earlier state of this center's records (it was put back from a backup, or replaced): this desk takes everything the hub holds again and sends what the hub lost.")]
    HubWentBack,
    #[error("The hub's answer could not be understood: {reason}")]
    HubAnswerNotUnderstood { reason: String },
    #[error("Another desk sent a {entity} whose {field} this desk cannot store.")]
    UnusableSyncedValue { entity: &'static str, field: &'static str },
    #[error("This desk is already set up; sign in instead.")]
    AlreadySetUp,
    #[error("A name is needed, as staff know this person (\"Ana P.\").")]
    AccountNameRequired,
    #[error("Choose at least one role.")]
    RoleRequired,
    #[error("A PIN is 4 to 8 digits.")]
    PinFormat,
    #[error("That PIN is too easy to guess (like 1234, 0000, 1212 or a year). Choose digits without a pattern.")]
    WeakPin,
    #[error("A password needs at least {min} characters; a few words together are easy to remember.")]
    PasswordTooShort { min: usize },
    #[error("An admin account needs a password as well as a PIN.")]
    AdminNeedsPassword,
    #[error("Wrong PIN. {}", tries_left_warning(*tries_left))]
    WrongPin { tries_left: usize },
    #[error("Wrong password. {}", tries_left_warning(*tries_left))]
    WrongPassword { tries_left: usize },
    #[error("Too many wrong tries: wait {seconds} seconds before trying again.")]
    TryAgainIn { seconds: i64 },
    #[error("This account is locked after too many wrong tries. An admin can unlock it.")]
    AccountLocked,
    #[error("That staff account does not exist.")]
    AccountNotFound,
    #[error("This account has been turned off; an admin can turn it back on.")]
    AccountTurnedOff,
    #[error("This is the only admin: make another account an admin first.")]
    LastAdmin,
    #[error("Your roles do not allow {action}.")]
    NotAllowed { action: &'static str },
    #[error("{action} needs an admin's password: sign in with your password, not your PIN.")]
    PasswordNeeded { action: &'static str },
    #[error("The desk is locked or you were signed out; sign in again.")]
    SignedOut,
    #[error("This person was forgotten at the center's request: their record cannot be changed.")]
    PersonForgotten,
    #[error("Lock the desk after {min} to {max} minutes without use.")]
    LockAfterOutOfRange { min: u32, max: u32 },
    #[error("The secret could not be stored safely; nothing was changed.")]
    SecretNotStored,
    #[error("A group needs a name.")]
    GroupNameRequired,
    #[error("There is already a group called \"{0}\".")]
    DuplicateGroupName(String),
    #[error("That group no longer exists.")]
    GroupNotFound,
    #[error("Capacity is a number of people, 1 or more (leave it empty for no limit).")]
    InvalidCapacity,
    #[error("The schedule ends before it starts: the end date must be on or after the start date.")]
    ScheduleEndsBeforeStart,
    #[error("This schedule never meets: no chosen weekday falls between its start and end dates.")]
    ScheduleYieldsNothing,
    #[error("Choose at least one weekday.")]
    WeekdaysRequired,
    #[error("Every 1 to 52 weeks.")]
    InvalidInterval,
    #[error("Choose one or more of the 1st to 5th and the last weekday of the month.")]
    InvalidWeekOfMonth,
    #[error("A time must look like 18:30, not \"{0}\".")]
    InvalidTime(String),
    #[error("A session lasts 1 minute to {max} minutes.")]
    InvalidDuration { max: u32 },
    #[error("A schedule another desk sent cannot be read ({0}).")]
    UnusableRecurrence(String),
    #[error("That session is not on the schedule any more.")]
    SessionNotFound,
    #[error("This session was cancelled ({reason}), so it takes no attendance. Restore it first if it met after all.")]
    SessionCancelled { reason: String },
    #[error("This session meets on {day}: its attendance is taken on the day, as people come.")]
    SessionNotYet { day: String },
    #[error("This is a headcount-only meeting: it records how many came, never who.")]
    HeadcountOnly,
    #[error("A headcount is a number from 0 to 10000.")]
    InvalidHeadcount,
    #[error("Say why the session did not meet.")]
    CancelReasonRequired,
    #[error("Choose the call's type first.")]
    CallTypeRequired,
    #[error("That call type or topic is no longer offered.")]
    NotOffered,
    #[error("A name is needed.")]
    NameRequired,
    #[error("There is already one called \"{0}\".")]
    DuplicateName(String),
    #[error("The call ends before it starts: check the end time.")]
    CallEndsBeforeStart,
    #[error("A call cannot start in the future.")]
    CallStartsInFuture,
    #[error("A call lasts at most {max_hours} hours.")]
    CallTooLong { max_hours: u32 },
    #[error("An escalation needs a short reason.")]
    EscalationReasonRequired,
    #[error("A follow-up is due later than now: choose a time ahead.")]
    FollowUpDueInPast,
    #[error("A callback needs the number to call.")]
    CallbackNumberRequired,
    #[error("{0} is no longer in the directory: choose another resource.")]
    ResourceRetired(String),
    #[error("That resource is not in the directory.")]
    ResourceNotFound,
    #[error("A caller needs the alias they chose.")]
    AliasRequired,
    #[error("A caller already uses the alias \"{alias}\": pick them, or ask for another alias.")]
    AliasTaken { alias: String, caller_id: String },
    #[error("That caller is not on this desk.")]
    CallerNotFound,
    #[error("That call is not on this desk.")]
    CallNotFound,
    #[error("That follow-up is not on this desk.")]
    FollowUpNotFound,
    #[error("This follow-up was already completed.")]
    FollowUpAlreadyDone,
    #[error("A volunteer may change their own call for {hours} hours after it; ask a coordinator now.")]
    EditWindowClosed { hours: u32 },
    #[error("Say why the records are kept (a court order, an investigation).")]
    HoldReasonRequired,
    #[error("A flag needs its text.")]
    FlagTextRequired,
    #[error("Write what the next volunteer should know.")]
    HandoffNoteRequired,
    #[error("A flag lasts from today to at most a year ahead.")]
    FlagUntilOutOfRange,
    #[error("Link a caller to a person only with the person's consent, given to you now.")]
    LinkNeedsConsent,
    #[error("Keep warmline notes {min} to {max} days.")]
    RetentionOutOfRange { min: u32, max: u32 },
    #[error("The call in progress is too long to save ({max} characters at most).")]
    DraftTooLarge { max: usize },
    #[error("That volunteer role or credential is no longer offered.")]
    RoleNotOffered,
    #[error("That person is not a volunteer yet.")]
    VolunteerNotFound,
    #[error("Your account is not linked to a volunteer record; ask a coordinator to link it.")]
    NoVolunteerRecord,
    #[error("{name} is not volunteering now (marked inactive).")]
    VolunteerInactive { name: String },
    #[error("Availability needs a start before its end on each day (\"09:00\" to \"17:00\").")]
    InvalidAvailability,
    #[error("A credential cannot expire before it was issued.")]
    CredentialExpiresBeforeIssued,
    #[error("A credential cannot be issued in the future.")]
    CredentialIssuedInFuture,
    #[error("That credential is not on this desk.")]
    CredentialNotFound,
    #[error("A shift ends after it starts: check the end time.")]
    ShiftEndsBeforeStart,
    #[error("A shift lasts at most {max_hours} hours.")]
    ShiftTooLong { max_hours: u32 },
    #[error("A shift needs at least 1 volunteer.")]
    NeededAtLeastOne,
    #[error("The ideal number cannot be below the minimum ({min}).")]
    IdealBelowMinimum { min: u32 },
    #[error("This schedule's shifts overlap each other ({at}): shorten the shift or space the days.")]
    TemplateOverlapsItself { at: String },
    #[error("That shift template is not on this desk.")]
    TemplateNotFound,
    #[error("That shift is not on the schedule.")]
    ShiftNotFound,
    #[error("That assignment is not on this desk.")]
    AssignmentNotFound,
    #[error("{name} is not signed up for the {role} role.")]
    NotInRole { name: String, role: String },
    #[error("{name} has no {credential}, which {role} shifts need.")]
    CredentialMissing { name: String, credential: String, role: String },
    #[error("{name}'s {credential} expired on {expired_on}, before this shift on {shift_day}.")]
    CredentialExpired { name: String, credential: String, expired_on: String, shift_day: String },
    #[error("{name} is already on {other}, which overlaps this shift.")]
    ShiftOverlaps { name: String, other: String },
    #[error("{name} is unavailable on {day}: {why}.")]
    VolunteerUnavailable { name: String, day: String, why: String },
    #[error("This shift is full ({needed} needed).")]
    ShiftFull { needed: u32 },
    #[error("This shift has already ended.")]
    ShiftEnded,
    #[error("This shift is cancelled ({reason}).")]
    ShiftCancelled { reason: String },
    #[error("{name} is already on this shift.")]
    AlreadyOnShift { name: String },
    #[error("A shift can be dropped until {hours} hours before it starts; ask a coordinator now.")]
    DropTooLate { hours: u32 },
    #[error("This volunteer no longer holds this shift.")]
    NotHoldingShift,
    #[error("Clock in first: there is no clock-in to clock out from.")]
    NotClockedIn,
    #[error("Already clocked in at {at}.")]
    AlreadyClockedIn { at: Timestamp },
    #[error("Clocking in opens {minutes} minutes before the shift starts.")]
    TooEarlyToClockIn { minutes: u32 },
    #[error("This shift has not started yet.")]
    ShiftNotStarted,
    #[error("Hours cannot be logged for a day still to come.")]
    HoursInFuture,
    #[error("Hours are 0.25 to 24 on one day.")]
    HoursOutOfRange,
    #[error("Say what the hours were for.")]
    HoursWhatRequired,
    #[error("Say what happened, for the volunteer's record (\"no word from them\", \"called in sick late\").")]
    NoShowCommentRequired,
    #[error("Those hours are not on this desk.")]
    HoursNotFound,
    #[error("A record cannot be linked with itself.")]
    LinkToItself,
    #[error("A report cannot reach past today ({today}): choose a period that has happened.")]
    ReportPeriodInFuture { today: String },
    #[error("A report covers at most {years} years; choose a shorter period.")]
    ReportPeriodTooLong { years: u32 },
    #[error("{path} already exists; choose a new file name, or replace it on purpose (--force).")]
    OutputExists { path: String },
    #[error("Fiscal years start in a month from 1 to 12.")]
    FiscalYearStartOutOfRange,
    #[error("Small counts are hidden below a number from {min} to {max}.")]
    SmallCountOutOfRange { min: u32, max: u32 },
    #[error("Could not make the {format} file: {reason}")]
    ReportFileFailed { format: &'static str, reason: String },
    #[error("Could not read or write a file: {0}")]
    Io(#[from] std::io::Error),
    #[error("Could not write CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("Database error: {0}")]
    #[strum_discriminants(strum(serialize = "database"))]
    #[strum_discriminants(serde(rename = "database"))]
    Sqlite(rusqlite::Error),
}

impl Error {
    /// A stable machine name for the UI and scripts (`already_checked_in`, ...).
    pub fn code(&self) -> &'static str {
        ErrorCode::from(self).into()
    }

    /// What else the window needs to act on the error, beyond its sentence and field: the
    /// visit already open for `already_checked_in`. Empty for most errors.
    pub fn detail(&self) -> ErrorDetail {
        let mut detail = ErrorDetail::new();
        if let Error::AlreadyCheckedIn { visit_id, since } = self {
            detail.insert("visit_id".into(), visit_id.clone());
            detail.insert("since".into(), since.to_string());
        }
        if let Error::AliasTaken { caller_id, .. } = self {
            detail.insert("caller_id".into(), caller_id.clone());
        }
        detail
    }

    /// The input field the error is about, so the UI can show it beside that field.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Error::DisplayNameRequired => Some("display_name"),
            Error::TooLong { field, .. } => Some(field),
            Error::InvalidEmail => Some("email"),
            Error::InvalidPhone => Some("phone"),
            Error::InvalidBirthYear { .. } => Some("birth_year"),
            Error::ServiceNameRequired | Error::DuplicateServiceName(_) => Some("service_name"),
            Error::CenterNameRequired => Some("center_name"),
            Error::UnknownTimeZone(_) => Some("time_zone"),
            Error::InvalidHubUrl | Error::PlainHttpRefused => Some("hub_url"),
            Error::InvalidHubCertificate | Error::HubKeyGivenToDesk | Error::HubNotTrusted { .. } => {
                Some("hub_certificate")
            }
            Error::AccountNameRequired => Some("account_name"),
            Error::RoleRequired => Some("roles"),
            Error::PinFormat | Error::WeakPin | Error::WrongPin { .. } => Some("pin"),
            Error::PasswordTooShort { .. } | Error::AdminNeedsPassword | Error::WrongPassword { .. } => {
                Some("password")
            }
            Error::DeskNameRequired => Some("desk_name"),
            Error::PassphraseTooShort { .. } | Error::WrongDeskPassphrase => Some("passphrase"),
            Error::PassphrasesDiffer => Some("passphrase_again"),
            Error::LockAfterOutOfRange { .. } => Some("lock_after_minutes"),
            Error::BackupFolderUnusable { .. } => Some("backup_folder"),
            Error::ReportFolderUnusable { .. } => Some("report_folder"),
            Error::EnrollmentCodeRequired | Error::EnrollmentRefused { .. } => Some("enrollment_code"),
            Error::NotRecoveryWords { .. } | Error::RecoveryWordsOfAnotherKey | Error::NoRecoveryWordsHere => {
                Some("recovery_words")
            }
            Error::GroupNameRequired | Error::DuplicateGroupName(_) => Some("group_name"),
            Error::InvalidCapacity => Some("capacity"),
            Error::ScheduleEndsBeforeStart => Some("ends_on"),
            Error::ScheduleYieldsNothing => Some("schedule"),
            Error::WeekdaysRequired => Some("weekdays"),
            Error::InvalidInterval => Some("every_weeks"),
            Error::InvalidWeekOfMonth => Some("weeks_of_month"),
            Error::InvalidTime(_) => Some("start_time"),
            Error::InvalidDuration { .. } => Some("duration_minutes"),
            Error::InvalidHeadcount => Some("anonymous_count"),
            Error::CancelReasonRequired => Some("cancel_reason"),
            Error::CallTypeRequired => Some("call_type_id"),
            Error::NameRequired | Error::DuplicateName(_) => Some("name"),
            Error::CallEndsBeforeStart => Some("ended_at"),
            Error::CallStartsInFuture => Some("started_at"),
            Error::CallTooLong { .. } => Some("duration_seconds"),
            Error::EscalationReasonRequired => Some("escalation_reason"),
            Error::FollowUpDueInPast => Some("due_at"),
            Error::CallbackNumberRequired => Some("callback_number"),
            Error::ResourceRetired(_) | Error::ResourceNotFound => Some("resource_ids"),
            Error::AliasRequired | Error::AliasTaken { .. } => Some("alias"),
            Error::HoldReasonRequired => Some("hold_reason"),
            Error::FlagTextRequired => Some("flag_text"),
            Error::HandoffNoteRequired => Some("handoff_note"),
            Error::FlagUntilOutOfRange => Some("until"),
            Error::LinkNeedsConsent => Some("consent"),
            Error::RetentionOutOfRange { .. } => Some("warmline_note_days"),
            Error::InvalidAvailability => Some("availability"),
            Error::CredentialExpiresBeforeIssued => Some("expires_on"),
            Error::CredentialIssuedInFuture => Some("issued_on"),
            Error::ShiftEndsBeforeStart | Error::ShiftTooLong { .. } => Some("end_time"),
            Error::NeededAtLeastOne => Some("needed_min"),
            Error::IdealBelowMinimum { .. } => Some("needed_ideal"),
            Error::TemplateOverlapsItself { .. } => Some("schedule"),
            Error::RoleNotOffered => Some("role_id"),
            Error::NotInRole { .. }
            | Error::CredentialMissing { .. }
            | Error::CredentialExpired { .. }
            | Error::ShiftOverlaps { .. }
            | Error::VolunteerUnavailable { .. }
            | Error::AlreadyOnShift { .. }
            | Error::VolunteerInactive { .. } => Some("volunteer_id"),
            Error::HoursInFuture => Some("worked_on"),
            Error::HoursOutOfRange => Some("minutes"),
            Error::HoursWhatRequired => Some("what"),
            Error::NoShowCommentRequired => Some("no_show_comment"),
            Error::ReportPeriodInFuture { .. } | Error::ReportPeriodTooLong { .. } => Some("to"),
            Error::OutputExists { .. } => Some("output"),
            Error::FiscalYearStartOutOfRange => Some("fiscal_year_starts"),
            Error::SmallCountOutOfRange { .. } => Some("small_counts_below"),
            _ => None,
        }
    }
}

fn tries_left_warning(tries_left: usize) -> String {
    match tries_left {
        1 => "One more wrong try locks this account.".to_owned(),
        n => format!("{n} more wrong tries lock this account."),
    }
}

impl From<rusqlite::Error> for Error {
    fn from(err: rusqlite::Error) -> Self {
        match err.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => Error::DatabaseLocked,
            _ => Error::Sqlite(err),
        }
    }
}

/// One bad row of an import file, by its line number in the file (the header is line 1).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ImportRowError {
    pub line: u64,
    pub message: String,
}

impl std::fmt::Display for ImportRowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The codes the window and centers' scripts compare against: derived now, still the same.
    #[test]
    fn error_codes_are_the_variants_in_snake_case_and_stay_as_the_ui_knows_them() {
        let url = || "https://hub.example.org".to_owned();
        let codes = [
            (
                Error::AlreadyCheckedIn {
                    visit_id: "v".into(),
                    since: Timestamp::parse("2026-11-23T15:00:00Z").unwrap(),
                },
                "already_checked_in",
            ),
            (Error::AccountLocked, "account_locked"),
            (Error::SignedOut, "signed_out"),
            (Error::NotAllowed { action: "check people in" }, "not_allowed"),
            (Error::NotAuthorised, "not_authorised"),
            (Error::HubUnreachable { url: url(), reason: "refused".into() }, "hub_unreachable"),
            (Error::HubNotTrusted { url: url(), reason: "unknown issuer".into() }, "hub_not_trusted"),
            (Error::KeychainUnreachable { reason: "no D-Bus".into() }, "keychain_unreachable"),
            (Error::PersonForgotten, "person_forgotten"),
            (Error::PersonNotFound, "person_not_found"),
            (Error::PlainHttpRefused, "plain_http_refused"),
            (Error::NotADatabase { path: "x".into() }, "not_a_database"),
            (Error::Sqlite(rusqlite::Error::InvalidQuery), "database"),
        ];
        for (error, code) in codes {
            assert_eq!(error.code(), code, "{error:?}");
        }
    }

    /// The window's union of codes (serde's names, through ts-rs) is the codes core answers with.
    #[test]
    fn the_windows_codes_are_the_codes_core_answers_with() {
        for code in <ErrorCode as strum::VariantArray>::VARIANTS {
            let name: &str = code.into();
            assert_eq!(serde_json::to_value(code).unwrap(), name);
        }
        let since = Timestamp::parse("2026-11-23T15:00:00Z").unwrap();
        let detail = Error::AlreadyCheckedIn { visit_id: "v1".into(), since }.detail();
        assert_eq!((detail["visit_id"].as_str(), detail["since"].as_str()), ("v1", "2026-11-23T15:00:00.000Z"));
        assert!(Error::PersonNotFound.detail().is_empty());
    }
}
