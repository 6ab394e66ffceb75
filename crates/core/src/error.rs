use serde::Serialize;
use ts_rs::TS;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An error's extra data by name, as the window receives it (see [`Error::detail`]).
pub type ErrorDetail = std::collections::BTreeMap<String, String>;

/// Declares a domain's errors in the domain's own module: each variant with the sentence a
/// person reads and, after `in`, the input field it belongs to, so the window shows it beside
/// that field. Each variant's machine code is its name in snake_case, derived (`AlreadyCheckedIn`
/// is `already_checked_in`) into the enum named after `codes`, which the TypeScript bindings
/// export and [`ErrorCode`] unites.
///
/// ```ignore
/// domain_errors! {
///     /// What stops a group from being saved.
///     pub enum GroupsError, codes GroupsErrorCode {
///         #[error("A group needs a name.")]
///         GroupNameRequired in "group_name",
///         #[error("That group no longer exists.")]
///         GroupNotFound,
///     }
/// }
/// ```
macro_rules! domain_errors {
    (
        $(#[$meta:meta])*
        pub enum $name:ident, codes $codes:ident {
            $(
                $(#[$variant_meta:meta])*
                $variant:ident
                    $(( $($tuple:ty),* ))?
                    $({ $($member:ident : $member_type:ty),* $(,)? })?
                    $(in $field:literal)?
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, thiserror::Error, strum::EnumDiscriminants)]
        #[strum_discriminants(
            name($codes),
            doc = concat!(" The machine codes of [`", stringify!($name), "`]: each variant's name in snake_case."),
            derive(strum::IntoStaticStr, strum::VariantArray, serde::Serialize, ts_rs::TS),
            strum(serialize_all = "snake_case"),
            serde(rename_all = "snake_case"),
            ts(export)
        )]
        pub enum $name {
            $(
                $(#[$variant_meta])*
                $variant $(( $($tuple),* ))? $({ $($member: $member_type),* })?,
            )*
        }

        impl $name {
            /// The input field the error is about, if it is about one.
            pub fn field(&self) -> Option<&'static str> {
                match self {
                    $( Self::$variant { .. } => $crate::error::field_named!($($field)?), )*
                }
            }
        }
    };
}
pub(crate) use domain_errors;

/// `Some` of a variant's field, or `None` for a variant declared without one.
macro_rules! field_named {
    () => {
        None
    };
    ($field:literal) => {
        Some($field)
    };
}
pub(crate) use field_named;

/// Unites the domains' errors in [`Error`] and their codes in [`ErrorCode`].
macro_rules! errors_by_domain {
    ($($domain:ident($error:ty, $codes:ty)),* $(,)?) => {
        /// What went wrong, said so that the shell can tell a person what to do about it. Each
        /// domain declares its own errors in its module (with `domain_errors!`); this holds
        /// whichever one it is, and answers for all of them with its code, field and detail.
        #[derive(Debug, thiserror::Error)]
        pub enum Error {
            $( #[error(transparent)] $domain(#[from] $error), )*
        }

        /// Every error's machine code, as the window and centers' scripts compare against it:
        /// serialized as the code alone (`"already_checked_in"`), and known to the window's
        /// TypeScript as the union `ErrorCode` of every domain's codes, so it cannot compare
        /// against a code that no longer exists.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
        #[serde(untagged)]
        #[ts(export)]
        pub enum ErrorCode {
            $( $domain($codes), )*
        }

        impl From<&Error> for ErrorCode {
            fn from(error: &Error) -> Self {
                match error {
                    $( Error::$domain(error) => ErrorCode::$domain(error.into()), )*
                }
            }
        }

        impl ErrorCode {
            /// The code as text (`already_checked_in`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $( ErrorCode::$domain(code) => code.into(), )*
                }
            }

            #[cfg(test)]
            fn every_one() -> Vec<ErrorCode> {
                let mut codes = Vec::new();
                $( codes.extend(<$codes as strum::VariantArray>::VARIANTS.iter().map(|code| ErrorCode::$domain(*code))); )*
                codes
            }
        }

        impl Error {
            /// The input field the error is about, so the UI can show it beside that field.
            pub fn field(&self) -> Option<&'static str> {
                match self {
                    $( Error::$domain(error) => error.field(), )*
                }
            }
        }
    };
}

errors_by_domain! {
    Common(CommonError, CommonErrorCode),
    Store(crate::store::StoreError, crate::store::StoreErrorCode),
    Encryption(crate::encryption::EncryptionError, crate::encryption::EncryptionErrorCode),
    Backup(crate::backup::BackupError, crate::backup::BackupErrorCode),
    Sync(crate::sync::error::SyncError, crate::sync::error::SyncErrorCode),
    Access(crate::access::AccessError, crate::access::AccessErrorCode),
    Accounts(crate::accounts::AccountsError, crate::accounts::AccountsErrorCode),
    Settings(crate::settings::SettingsError, crate::settings::SettingsErrorCode),
    Services(crate::services::ServicesError, crate::services::ServicesErrorCode),
    People(crate::people::PeopleError, crate::people::PeopleErrorCode),
    Visits(crate::visits::VisitsError, crate::visits::VisitsErrorCode),
    SamePerson(crate::same_person::SamePersonError, crate::same_person::SamePersonErrorCode),
    Recurrence(crate::recurrence::RecurrenceError, crate::recurrence::RecurrenceErrorCode),
    Retirable(crate::retirable::RetirableError, crate::retirable::RetirableErrorCode),
    Groups(crate::groups::GroupsError, crate::groups::GroupsErrorCode),
    Warmline(crate::warmline::WarmlineError, crate::warmline::WarmlineErrorCode),
    Volunteers(crate::volunteers::VolunteersError, crate::volunteers::VolunteersErrorCode),
    Reports(crate::reports::ReportsError, crate::reports::ReportsErrorCode),
    Import(crate::import::ImportError, crate::import::ImportErrorCode),
    Demo(crate::demo::DemoError, crate::demo::DemoErrorCode),
}

/// What any domain can meet: a text too long, a day outside those kept, a reversed range, and
/// the database, files and CSV underneath.
#[derive(Debug, thiserror::Error, strum::EnumDiscriminants)]
#[strum_discriminants(
    name(CommonErrorCode),
    doc = " The machine codes of [`CommonError`]: each variant's name in snake_case (`Sqlite`'s is `database`).",
    derive(strum::IntoStaticStr, strum::VariantArray, Serialize, TS),
    strum(serialize_all = "snake_case"),
    serde(rename_all = "snake_case"),
    ts(export)
)]
pub enum CommonError {
    #[error("{label} can be at most {max} characters.")]
    TooLong { field: &'static str, label: &'static str, max: usize },
    #[error("{day} is outside the days Porchlight keeps (the years 1900 to 2999).")]
    DayNotHeld { day: String },
    #[error("The start date is after the end date.")]
    DateRangeReversed,
    #[error("The database is busy in another program; close the other Porchlight and try again.")]
    DatabaseLocked,
    #[error("Could not read or write a file: {0}")]
    Io(std::io::Error),
    #[error("Could not write CSV: {0}")]
    Csv(csv::Error),
    #[error("Database error: {0}")]
    #[strum_discriminants(strum(serialize = "database"))]
    #[strum_discriminants(serde(rename = "database"))]
    Sqlite(rusqlite::Error),
}

impl CommonError {
    /// The input field the error is about: a text's own, for one too long.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            CommonError::TooLong { field, .. } => Some(field),
            _ => None,
        }
    }
}

impl Error {
    /// A stable machine name for the UI and scripts (`already_checked_in`, ...).
    pub fn code(&self) -> &'static str {
        ErrorCode::from(self).as_str()
    }

    /// What else the window needs to act on the error, beyond its sentence and field: the
    /// visit already open for `already_checked_in`. Empty for most errors.
    pub fn detail(&self) -> ErrorDetail {
        let mut detail = ErrorDetail::new();
        if let Error::Visits(crate::visits::VisitsError::AlreadyCheckedIn { visit_id, since }) = self {
            detail.insert("visit_id".into(), visit_id.clone());
            detail.insert("since".into(), since.to_string());
        }
        if let Error::Warmline(crate::warmline::WarmlineError::AliasTaken { caller_id, .. }) = self {
            detail.insert("caller_id".into(), caller_id.clone());
        }
        detail
    }
}

impl From<rusqlite::Error> for Error {
    fn from(err: rusqlite::Error) -> Self {
        match err.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                CommonError::DatabaseLocked.into()
            }
            _ => CommonError::Sqlite(err).into(),
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(err: std::io::Error) -> Self {
        CommonError::Io(err).into()
    }
}

impl From<csv::Error> for Error {
    fn from(err: csv::Error) -> Self {
        CommonError::Csv(err).into()
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
    use crate::access::AccessError;
    use crate::encryption::EncryptionError;
    use crate::people::PeopleError;
    use crate::sync::error::SyncError;
    use crate::visits::VisitsError;
    use crate::Timestamp;

    /// The codes the window and centers' scripts compare against: derived now, still the same.
    #[test]
    fn error_codes_are_the_variants_in_snake_case_and_stay_as_the_ui_knows_them() {
        let url = || "https://hub.example.org".to_owned();
        let codes = [
            (
                Error::Visits(VisitsError::AlreadyCheckedIn {
                    visit_id: "v".into(),
                    since: Timestamp::parse("2026-11-23T15:00:00Z").unwrap(),
                }),
                "already_checked_in",
            ),
            (Error::Access(AccessError::AccountLocked), "account_locked"),
            (Error::Access(AccessError::SignedOut), "signed_out"),
            (Error::Access(AccessError::NotAllowed { action: "check people in" }), "not_allowed"),
            (Error::Sync(SyncError::NotAuthorised), "not_authorised"),
            (Error::Sync(SyncError::HubUnreachable { url: url(), reason: "refused".into() }), "hub_unreachable"),
            (Error::Sync(SyncError::HubNotTrusted { url: url(), reason: "unknown issuer".into() }), "hub_not_trusted"),
            (
                Error::Encryption(EncryptionError::KeychainUnreachable { reason: "no D-Bus".into() }),
                "keychain_unreachable",
            ),
            (Error::People(PeopleError::PersonForgotten), "person_forgotten"),
            (Error::People(PeopleError::PersonNotFound), "person_not_found"),
            (Error::Sync(SyncError::PlainHttpRefused), "plain_http_refused"),
            (Error::Encryption(EncryptionError::NotADatabase { path: "x".into() }), "not_a_database"),
            (Error::Common(CommonError::Sqlite(rusqlite::Error::InvalidQuery)), "database"),
        ];
        for (error, code) in codes {
            assert_eq!(error.code(), code, "{error:?}");
        }
    }

    /// The window's union of codes (serde's names, through ts-rs) is the codes core answers with,
    /// and no two domains answer with the same code, which the window could not tell apart.
    #[test]
    fn the_windows_codes_are_the_codes_core_answers_with() {
        let codes = ErrorCode::every_one();
        for code in &codes {
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
        }
        let mut seen = std::collections::BTreeSet::new();
        let twice: Vec<&str> = codes.iter().map(|code| code.as_str()).filter(|name| !seen.insert(*name)).collect();
        assert!(twice.is_empty(), "codes declared by two domains: {twice:?}");
        let since = Timestamp::parse("2026-11-23T15:00:00Z").unwrap();
        let detail = Error::Visits(VisitsError::AlreadyCheckedIn { visit_id: "v1".into(), since }).detail();
        assert_eq!((detail["visit_id"].as_str(), detail["since"].as_str()), ("v1", "2026-11-23T15:00:00.000Z"));
        assert!(Error::People(PeopleError::PersonNotFound).detail().is_empty());
    }
}
