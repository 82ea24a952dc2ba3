//! The relayer's configuration file (TOML):
//!
//! ```toml
//! key = "relayer-key.json"   # member key file of the account it submits with
//! poll_ms = 500              # optional, default 500
//! tls_certs = ["tax.crt"]    # optional: certificates an `https://` node may present
//!
//! [[pairs]]
//! source = "http://127.0.0.1:27100"        # a node of the source chain
//! destination = "http://127.0.0.1:27300"   # a node of the destination chain
//! ```
//!
//! Relative `key` and `tls_certs` paths are read relative to the configuration file's
//! directory. Over `https://` only the pinned certificates are accepted (no certificate
//! authorities), as with the CLI's `--tls-cert`.

use crate::{Error, Result};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// One direction to relay in.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Pair {
    /// API URL of a node of the source chain.
    pub source: String,
    /// API URL of a node of the destination chain.
    pub destination: String,
}

/// The relayer's configuration.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The key file of the account it submits with (an account of the destination
    /// chains; any role).
    pub key: PathBuf,
    /// Milliseconds between polls.
    #[serde(default = "default_poll")]
    pub poll_ms: u64,
    /// Certificates (PEM) an `https://` node may present.
    #[serde(default)]
    pub tls_certs: Vec<PathBuf>,
    /// The directions to relay in.
    pub pairs: Vec<Pair>,
}

fn default_poll() -> u64 {
    500
}

impl Config {
    /// Reads `path`; relative paths are resolved against its directory.
    ///
    /// # Errors
    /// [`Error::Config`].
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::Config(format!("{}: {e}", path.display())))?;
        let mut cfg = Config::parse(&text)?;
        if let Some(dir) = path.parent() {
            for p in core::iter::once(&mut cfg.key).chain(cfg.tls_certs.iter_mut()) {
                if p.is_relative() {
                    *p = dir.join(&*p);
                }
            }
        }
        Ok(cfg)
    }

    /// Parses and checks a configuration text.
    ///
    /// # Errors
    /// [`Error::Config`].
    pub fn parse(text: &str) -> Result<Config> {
        let cfg: Config = toml::from_str(text).map_err(|e| Error::Config(e.to_string()))?;
        if cfg.pairs.is_empty() {
            return Err(Error::Config("no [[pairs]]".into()));
        }
        if !(10..=60_000).contains(&cfg.poll_ms) {
            return Err(Error::Config("poll_ms must be between 10 and 60000".into()));
        }
        for p in &cfg.pairs {
            if p.source.trim_end_matches('/') == p.destination.trim_end_matches('/') {
                return Err(Error::Config(format!("{} relays to itself", p.source)));
            }
        }
        Ok(cfg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_config_names_a_key_and_at_least_one_pair() {
        let cfg = Config::parse(
            "key = \"k.json\"\n[[pairs]]\nsource = \"http://a\"\ndestination = \"http://b\"\n",
        )
        .unwrap();
        assert_eq!(cfg.poll_ms, 500);
        assert_eq!(cfg.pairs.len(), 1);
        assert!(Config::parse("key = \"k.json\"\npairs = []\n").is_err());
        assert!(Config::parse(
            "key = \"k\"\n[[pairs]]\nsource = \"http://a\"\ndestination = \"http://a/\"\n"
        )
        .is_err());
        assert!(Config::parse("key = \"k\"\nwho = 1\n").is_err());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("relayer.toml");
        std::fs::write(
            &path,
            "key = \"k.json\"\n[[pairs]]\nsource = \"http://a\"\ndestination = \"http://b\"\n",
        )
        .unwrap();
        assert_eq!(Config::load(&path).unwrap().key, dir.path().join("k.json"));
        std::fs::write(
            &path,
            "key = \"/k.json\"\ntls_certs = [\"a.crt\"]\n[[pairs]]\nsource = \"https://a\"\ndestination = \"https://b\"\n",
        )
        .unwrap();
        let cfg = Config::load(&path).unwrap();
        assert_eq!(
            (cfg.key.as_path(), cfg.tls_certs[0].clone()),
            (Path::new("/k.json"), dir.path().join("a.crt"))
        );
    }
}
