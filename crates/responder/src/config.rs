//! The responder's configuration file (TOML), read and checked before anything starts.
//!
//! ```toml
//! node = "https://127.0.0.1:8443"   # the department's own node
//! tls_cert = "node.pem"             # optional: pin the node's certificate (as the CLI's --tls-cert)
//! token_file = "police.token"       # bearer token of an account of the department
//! account_key = "responder.key"     # optional: sign answers with this member key file
//! org = "police"                    # the department's organisation id
//! key_files = ["exchange-key-1.toml"] # its decryption keys (fapiao-envelope key files), one per epoch
//! state_file = "responder-state.json"
//! poll_ms = 1000                    # optional, default 1000
//!
//! [database]
//! sqlite = "police.db"              # or: postgres = "host=127.0.0.1 user=police dbname=police"
//! init_sql = "police.sql"           # optional, SQLite only: creates a missing database file
//!
//! [items.vehicle-ownership]         # one table per catalogue item the department answers
//! sql = "SELECT plate, model, registered FROM vehicles WHERE owner_id = $1 AND registered BETWEEN $2 AND $3"
//! params = ["subject", "period_from", "period_to"]
//! ```
//!
//! Relative paths are relative to the configuration file's directory. An item's `params`
//! name, in order, what `$1`, `$2`, … are bound to: `subject`, `person` and `purpose`
//! are the query's own, any other name a field of the decrypted query's `params` object.
//! Values are always bound as parameters, never spliced into the SQL. Every row becomes a
//! JSON object keyed by the result's column names (use `AS` to name them as the item's
//! answer schema does). The mapping stays here, never on the chain.

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
};

use crate::{Error, Result};

/// Where the answers come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Database {
    /// An SQLite database file.
    Sqlite(PathBuf),
    /// A PostgreSQL connection string (`host=… user=… dbname=…` or a `postgres://` URL).
    Postgres(String),
}

/// How one catalogue item is answered.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemMapping {
    /// A parameterised query (`$1`, `$2`, … in both backends).
    pub sql: String,
    /// What `$1`, `$2`, … are bound to, in order.
    #[serde(default)]
    pub params: Vec<String>,
}

/// The checked configuration.
#[derive(Clone, Debug)]
pub struct Config {
    /// The node's API base URL.
    pub node: String,
    /// Certificate files the node's TLS certificate must be one of (`https://` only).
    pub tls_certs: Vec<PathBuf>,
    /// The department account's bearer token.
    pub token: String,
    /// The department's organisation id.
    pub org: String,
    /// A member key file (`fapiao keygen`) of a department account holding
    /// `exchange.officer`: when given, the responder signs its answers itself and the node
    /// only relays them (`POST /v1/transactions`); without it the node signs them with
    /// the token's account (`POST /v1/exchange/answers`).
    pub account_key: Option<PathBuf>,
    /// The department's decryption key files.
    pub key_files: Vec<PathBuf>,
    /// The responder's state file.
    pub state_file: PathBuf,
    /// How often the inbox is read, in milliseconds.
    pub poll_ms: u64,
    /// The database.
    pub database: Database,
    /// SQLite only: the SQL that creates the database file when it does not exist yet
    /// (the demo's departments start from one).
    pub init_sql: Option<PathBuf>,
    /// The mapping, by catalogue item.
    pub items: BTreeMap<String, ItemMapping>,
    /// The tax bureau's feed of risk alerts into its watch list, if configured.
    pub watch_feed: Option<crate::watch_feed::WatchFeedConfig>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    node: String,
    #[serde(default)]
    tls_cert: Option<PathBuf>,
    #[serde(default)]
    token: Option<String>,
    #[serde(default)]
    token_file: Option<PathBuf>,
    #[serde(default)]
    account_key: Option<PathBuf>,
    org: String,
    key_files: Vec<PathBuf>,
    state_file: PathBuf,
    #[serde(default)]
    poll_ms: Option<u64>,
    database: RawDatabase,
    #[serde(default)]
    items: BTreeMap<String, ItemMapping>,
    #[serde(default)]
    watch_feed: Option<crate::watch_feed::WatchFeedConfig>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDatabase {
    #[serde(default)]
    sqlite: Option<PathBuf>,
    #[serde(default)]
    postgres: Option<String>,
    #[serde(default)]
    init_sql: Option<PathBuf>,
}

impl Config {
    /// Read and check the configuration file at `path`.
    ///
    /// # Errors
    /// [`Error::Config`] when it cannot be read, does not parse, or is inconsistent (no
    /// token, both or neither database, no key file, an item whose SQL uses a `$n` its
    /// `params` do not name).
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::Config(format!("{}: {e}", path.display())))?;
        let dir = path.parent().unwrap_or(Path::new("."));
        Config::parse(&text, dir).map_err(|e| match e {
            Error::Config(m) => Error::Config(format!("{}: {m}", path.display())),
            other => other,
        })
    }

    /// Parse configuration text, resolving relative paths against `dir`.
    ///
    /// # Errors
    /// As [`Config::load`].
    pub fn parse(text: &str, dir: &Path) -> Result<Config> {
        let raw: RawConfig =
            toml::from_str(text).map_err(|e| Error::Config(e.message().to_owned()))?;
        let at = |p: PathBuf| if p.is_absolute() { p } else { dir.join(p) };
        let token = match (raw.token, raw.token_file) {
            (Some(t), None) => t,
            (None, Some(f)) => {
                let f = at(f);
                std::fs::read_to_string(&f)
                    .map_err(|e| Error::Config(format!("token_file {}: {e}", f.display())))?
                    .trim()
                    .to_owned()
            }
            _ => return Err(Error::Config("give exactly one of token, token_file".into())),
        };
        if token.is_empty() {
            return Err(Error::Config("the token is empty".into()));
        }
        let database = match (raw.database.sqlite, raw.database.postgres) {
            (Some(p), None) => Database::Sqlite(at(p)),
            (None, Some(c)) => Database::Postgres(c),
            _ => {
                return Err(Error::Config(
                    "[database] needs exactly one of sqlite, postgres".into(),
                ))
            }
        };
        if raw.database.init_sql.is_some() && !matches!(database, Database::Sqlite(_)) {
            return Err(Error::Config("init_sql is for an SQLite database only".into()));
        }
        if raw.key_files.is_empty() {
            return Err(Error::Config("key_files is empty".into()));
        }
        if raw.org.trim().is_empty() {
            return Err(Error::Config("org is empty".into()));
        }
        for (item, m) in &raw.items {
            check_placeholders(item, m)?;
        }
        Ok(Config {
            node: raw.node.trim_end_matches('/').to_owned(),
            tls_certs: raw.tls_cert.map(at).into_iter().collect(),
            token,
            org: raw.org,
            account_key: raw.account_key.map(at),
            key_files: raw.key_files.into_iter().map(at).collect(),
            state_file: at(raw.state_file),
            poll_ms: raw.poll_ms.unwrap_or(1000).max(10),
            database,
            init_sql: raw.database.init_sql.map(at),
            items: raw.items,
            watch_feed: raw.watch_feed,
        })
    }
}

/// Every `$n` in the SQL must be one of the `params` (and every param used): a mapping
/// that binds too few values would fail at the first query instead of at start-up.
fn check_placeholders(item: &str, m: &ItemMapping) -> Result<()> {
    let bytes = m.sql.as_bytes();
    let mut highest = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'$' {
            let digits: String = bytes[i + 1..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .map(|&b| b as char)
                .collect();
            if let Ok(n) = digits.parse::<usize>() {
                highest = highest.max(n);
            }
            i += 1 + digits.len();
        } else {
            i += 1;
        }
    }
    if highest != m.params.len() {
        return Err(Error::Config(format!(
            "item {item}: the SQL uses ${highest} at most but params names {} value(s)",
            m.params.len()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = r#"
node = "http://127.0.0.1:8080/"
token = "t0k"
org = "police"
key_files = ["k1.toml"]
state_file = "state.json"
[database]
sqlite = "police.db"
[items.identity]
sql = "SELECT name FROM residents WHERE id = $1"
params = ["subject"]
"#;

    #[test]
    fn parses_and_resolves_paths() {
        let c = Config::parse(BASE, Path::new("/etc/fapiao")).unwrap();
        assert_eq!(c.node, "http://127.0.0.1:8080");
        assert_eq!(c.database, Database::Sqlite("/etc/fapiao/police.db".into()));
        assert_eq!(c.key_files, vec![PathBuf::from("/etc/fapiao/k1.toml")]);
        assert_eq!(c.poll_ms, 1000);
        assert_eq!(c.items["identity"].params, vec!["subject".to_string()]);
    }

    #[test]
    fn refuses_inconsistent_files() {
        let dir = Path::new("/");
        let both = BASE.replace("[database]\n", "[database]\npostgres = \"host=x\"\n");
        assert!(Config::parse(&both, dir).is_err());
        let unbound = BASE.replace("id = $1", "id = $1 AND x = $2");
        assert!(Config::parse(&unbound, dir).is_err());
        let unknown = format!("{BASE}\nextra = 1\n");
        assert!(Config::parse(&unknown, dir).is_err());
        assert!(Config::parse(&BASE.replace("token = \"t0k\"", ""), dir).is_err());
    }
}
