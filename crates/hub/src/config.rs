//! The hub's settings file. An installed hub keeps it in `/etc/porchlight-hub/hub.toml`, and
//! every subcommand reads it, so the service and the operator's `porchlight-hub enrollment-code`
//! open the same store. A flag or an environment variable still wins over the file.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::limits::ConnectionLimits;
use crate::store::{Database, StoreError};

/// Where the hub's package puts its settings; read when it exists and no other file is named.
pub const INSTALLED_CONFIG: &str = "/etc/porchlight-hub/hub.toml";

/// The keys of the settings file, named as the flags they stand for.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Address and port `serve` listens on.
    pub listen: Option<String>,
    /// The hub's SQLite database.
    pub db: Option<PathBuf>,
    /// Or its database as a URL: `postgres://…` or `sqlite://PATH`.
    pub database_url: Option<String>,
    /// The certificate chain `serve` offers (PEM).
    pub tls_cert: Option<PathBuf>,
    /// The certificate's private key (PEM).
    pub tls_key: Option<PathBuf>,
    /// Seconds a client has to send a request's head; an idle connection is closed after as long.
    pub header_timeout_seconds: Option<u64>,
    /// Seconds within which a whole request is sent and answered.
    pub request_timeout_seconds: Option<u64>,
    /// Connections one address may hold open (behind a reverse proxy, every desk's).
    pub max_connections_per_address: Option<usize>,
    /// Connections open at once from everywhere; raise `LimitNOFILE` with it past 900.
    pub max_connections: Option<usize>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}{hint}", hint = permission_hint(source))]
    Unreadable { path: PathBuf, source: std::io::Error },
    #[error("{path} is not a valid settings file: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error("the settings name two databases (db and database_url): keep one")]
    TwoDatabases,
    #[error("database_url in the settings: {0}")]
    DatabaseUrl(StoreError),
}

/// What an operator who typed a command without sudo should do instead.
pub const PERMISSION_HINT: &str = " (run it with sudo, or as a member of the porchlight-hub group)";

fn permission_hint(error: &std::io::Error) -> &'static str {
    if error.kind() == std::io::ErrorKind::PermissionDenied {
        PERMISSION_HINT
    } else {
        ""
    }
}

impl Config {
    /// The file named by `--config` (which must exist), else the installed one if there is one,
    /// else no settings at all.
    pub fn load(named: Option<&Path>) -> Result<Config, ConfigError> {
        let path = match named {
            Some(path) => path,
            None if Path::new(INSTALLED_CONFIG).exists() => Path::new(INSTALLED_CONFIG),
            None => return Ok(Config::default()),
        };
        let text = std::fs::read_to_string(path)
            .map_err(|source| ConfigError::Unreadable { path: path.to_owned(), source })?;
        Self::parse(&text).map_err(|message| ConfigError::Invalid { path: path.to_owned(), message })
    }

    /// The database the settings name, if they name one.
    pub fn database(&self) -> Result<Option<Database>, ConfigError> {
        match (&self.db, &self.database_url) {
            (Some(_), Some(_)) => Err(ConfigError::TwoDatabases),
            (Some(path), None) => Ok(Some(Database::Sqlite(path.clone()))),
            (None, Some(url)) => Database::from_url(url).map(Some).map_err(ConfigError::DatabaseUrl),
            (None, None) => Ok(None),
        }
    }

    /// The limits on connections, each the settings' where they name one.
    pub fn connection_limits(&self) -> ConnectionLimits {
        let default = ConnectionLimits::default();
        ConnectionLimits {
            header_timeout: self.header_timeout_seconds.map_or(default.header_timeout, Duration::from_secs),
            request_timeout: self.request_timeout_seconds.map_or(default.request_timeout, Duration::from_secs),
            per_address: self.max_connections_per_address.unwrap_or(default.per_address),
            overall: self.max_connections.unwrap_or(default.overall),
        }
    }

    fn parse(text: &str) -> Result<Config, String> {
        toml::from_str(text).map_err(|err| err.message().to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_installed_file_as_shipped_parses() {
        let shipped = include_str!("../../../packaging/hub/hub.toml");
        let config = Config::parse(shipped).unwrap();
        assert_eq!(config.db.as_deref(), Some(Path::new("/var/lib/porchlight-hub/hub.sqlite3")));
        assert!(config.listen.is_some());
        assert_eq!(config.connection_limits(), ConnectionLimits::default());
    }

    #[test]
    fn the_connection_limits_can_be_set() {
        let config = Config::parse("header_timeout_seconds = 5\nmax_connections = 4000\n").unwrap();
        let limits = config.connection_limits();
        assert_eq!((limits.header_timeout, limits.overall), (Duration::from_secs(5), 4000));
        assert_eq!(limits.per_address, ConnectionLimits::default().per_address);
    }

    #[test]
    fn the_settings_name_one_database() {
        let postgres = Config::parse("database_url = \"postgres://hub@db.example.org/hub\"\n").unwrap();
        assert_eq!(postgres.database().unwrap(), Some(Database::Postgres("postgres://hub@db.example.org/hub".into())));
        let both = Config::parse("db = \"hub.sqlite3\"\ndatabase_url = \"postgres://hub@db/hub\"\n").unwrap();
        assert!(matches!(both.database(), Err(ConfigError::TwoDatabases)));
        let unknown = Config::parse("database_url = \"mysql://hub@db/hub\"\n").unwrap();
        assert!(matches!(unknown.database(), Err(ConfigError::DatabaseUrl(_))));
    }

    #[test]
    fn a_misspelt_key_is_named() {
        let error = Config::parse("listn = \"0.0.0.0:8787\"\n").unwrap_err();
        assert!(error.contains("listn"), "{error}");
    }

    #[test]
    fn a_named_file_that_is_missing_is_an_error() {
        let error = Config::load(Some(Path::new("/nonexistent/hub.toml"))).unwrap_err();
        assert!(error.to_string().starts_with("cannot read /nonexistent/hub.toml"), "{error}");
    }
}
