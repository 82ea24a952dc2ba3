//! The demo's `identities.json`: who signs what, with which key file and token.

use crate::{Error, Result};
use fapiao_crypto::SigningKey;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// One member of the demo consortium, as `fapiao demo` and `fapiao init --demo` write it.
#[derive(Clone, Debug, Deserialize)]
pub struct Identity {
    /// Display name ("Officer Chen", "huawei admin", …).
    pub name: String,
    /// Organisation id.
    pub org: String,
    /// Organisation kind (`tax_authority`, `enterprise`, `platform`, …).
    #[serde(default)]
    pub org_kind: String,
    /// Roles (`tax.officer`, `org.admin`, …).
    #[serde(default)]
    pub roles: Vec<String>,
    /// API token (bearer) on `node`.
    #[serde(default)]
    pub token: String,
    /// The node holding this member's token.
    #[serde(default)]
    pub node: String,
    /// The member's key file, for client-side signing.
    pub key_file: PathBuf,
    /// The organisation's taxpayer id, where it has one.
    #[serde(default)]
    pub tax_id: Option<String>,
}

impl Identity {
    /// Whether it holds `role`.
    pub fn has(&self, role: &str) -> bool {
        self.roles.iter().any(|r| r == role)
    }

    /// Reads its key file.
    ///
    /// # Errors
    /// [`Error::Key`].
    pub fn key(&self) -> Result<SigningKey> {
        fapiao_keystore::read_key_file(&self.key_file)
            .map_err(|source| Error::Key { path: self.key_file.clone(), source })
    }
}

/// Everyone in the file.
#[derive(Clone, Debug)]
pub struct Identities {
    /// The members.
    pub all: Vec<Identity>,
    /// Where the file was read from (the genesis is looked up next to it).
    pub path: PathBuf,
}

impl Identities {
    /// Reads and parses the file.
    ///
    /// # Errors
    /// [`Error::Io`] or [`Error::Identities`] when it is not the expected JSON.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
        let all: Vec<Identity> = serde_json::from_str(&text)
            .map_err(|e| Error::Identities(format!("{}: {e}", path.display())))?;
        Ok(Self { all, path: path.to_path_buf() })
    }

    /// The member named `preferred` if it holds `role`, else the first that holds it
    /// (and satisfies `also`).
    ///
    /// # Errors
    /// [`Error::Identities`] when nobody fits.
    pub fn pick(
        &self,
        preferred: &str,
        role: &str,
        also: impl Fn(&Identity) -> bool,
    ) -> Result<&Identity> {
        self.all
            .iter()
            .find(|i| i.name == preferred && i.has(role) && also(i))
            .or_else(|| self.all.iter().find(|i| i.has(role) && also(i)))
            .ok_or_else(|| {
                Error::Identities(format!(
                    "{}: nobody with role {role} (wanted {preferred:?})",
                    self.path.display()
                ))
            })
    }

    /// The expiry window of the chain, from `genesis.json` next to the identities
    /// (`fapiao demo`: `DIR/genesis.json` beside `DIR/demo/`; `fapiao init`: the same
    /// folder), or `None` when there is none to read.
    pub fn expiry_window(&self) -> Option<u64> {
        let dir = self.path.parent()?;
        let candidates = [dir.join("genesis.json"), dir.parent()?.join("genesis.json")];
        candidates.iter().find_map(|p| {
            let text = std::fs::read_to_string(p).ok()?;
            fapiao_types::Genesis::from_json(&text).ok().map(|g| g.consensus.expiry_window)
        })
    }
}
