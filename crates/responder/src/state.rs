//! The responder's state file: which answers are sealed but not yet known to be on the
//! chain (`pending`), and which queries are settled (`done`).
//!
//! An answer is recorded as pending — outcome and sealed envelope — before it is
//! submitted, and the file is replaced atomically (temporary file, fsync, rename, fsync
//! of the directory), so a responder killed at any point restarts with either no trace
//! of the answer (it will be made again: nothing was submitted) or the very envelope it
//! may have submitted, which it submits again unchanged. The chain accepts one answer
//! per query and refuses the next (`exchange.already_answered`), which settles it too.
//! Entries are dropped once their query has left the open inbox.
//!
//! ```json
//! {"version":1,
//!  "pending":{"<query id>":{"outcome":"found","envelope":{"suite":…,"key_epoch":1,"enc":…,"ciphertext":…}}},
//!  "done":{"<query id>":"answered"}}
//! ```

use std::{
    collections::BTreeMap,
    fs,
    io::Write,
    path::{Path, PathBuf},
};

use serde::{Deserialize, Serialize};

use crate::{node::EnvelopeJson, Error, Result};

/// A sealed answer not yet known to be on the chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    /// `found`, `not_found` or `declined`.
    pub outcome: String,
    /// The sealed answer, exactly as submitted.
    pub envelope: EnvelopeJson,
    /// The signed transaction carrying it (hex), when the responder signs its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tx: Option<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Data {
    version: u32,
    #[serde(default)]
    pending: BTreeMap<String, Pending>,
    #[serde(default)]
    done: BTreeMap<String, String>,
}

/// The state file and its contents.
#[derive(Debug)]
pub struct StateFile {
    path: PathBuf,
    data: Data,
}

impl StateFile {
    /// Open the state file at `path` (a missing file is an empty state).
    ///
    /// # Errors
    /// [`Error::State`] when it exists but cannot be read or parsed.
    pub fn open(path: &Path) -> Result<StateFile> {
        let data = match fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map_err(|e| Error::State(format!("{}: {e}", path.display())))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Data { version: 1, ..Data::default() }
            }
            Err(e) => return Err(Error::State(format!("{}: {e}", path.display()))),
        };
        Ok(StateFile { path: path.to_path_buf(), data })
    }

    /// The pending answer to `query`, if any.
    pub fn pending(&self, query: &str) -> Option<&Pending> {
        self.data.pending.get(query)
    }

    /// Whether `query` is settled.
    pub fn is_done(&self, query: &str) -> bool {
        self.data.done.contains_key(query)
    }

    /// How `query` was settled.
    pub fn done(&self, query: &str) -> Option<&str> {
        self.data.done.get(query).map(String::as_str)
    }

    /// The pending query ids.
    pub fn pending_ids(&self) -> impl Iterator<Item = &str> {
        self.data.pending.keys().map(String::as_str)
    }

    /// Record a sealed answer before submitting it; durable when this returns.
    ///
    /// # Errors
    /// [`Error::State`] when the file cannot be written.
    pub fn record_pending(&mut self, query: &str, pending: Pending) -> Result<()> {
        self.data.pending.insert(query.to_owned(), pending);
        self.save()
    }

    /// Settle `query` (`how`: `answered`, `already_answered`, `refused:<code>`).
    ///
    /// # Errors
    /// [`Error::State`] when the file cannot be written.
    pub fn settle(&mut self, query: &str, how: &str) -> Result<()> {
        self.data.pending.remove(query);
        self.data.done.insert(query.to_owned(), how.to_owned());
        self.save()
    }

    /// Forget every entry whose query is not in `open` (it has left the inbox: answered).
    ///
    /// # Errors
    /// [`Error::State`] when the file cannot be written.
    pub fn retain_open(&mut self, open: &std::collections::BTreeSet<&str>) -> Result<()> {
        let before = (self.data.pending.len(), self.data.done.len());
        self.data.pending.retain(|q, _| open.contains(q.as_str()));
        self.data.done.retain(|q, _| open.contains(q.as_str()));
        if before != (self.data.pending.len(), self.data.done.len()) {
            self.save()?;
        }
        Ok(())
    }

    fn save(&self) -> Result<()> {
        let err = |e: std::io::Error| Error::State(format!("{}: {e}", self.path.display()));
        let bytes = serde_json::to_vec(&self.data).map_err(|e| Error::State(e.to_string()))?;
        let mut name = self.path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
        name.push(".tmp");
        let tmp = self.path.with_file_name(name);
        let mut f = fs::File::create(&tmp).map_err(err)?;
        f.write_all(&bytes).and_then(|()| f.sync_all()).map_err(err)?;
        drop(f);
        fs::rename(&tmp, &self.path).map_err(err)?;
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::File::open(dir).and_then(|d| d.sync_all()).map_err(err)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn survives_reopen_and_prunes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let env = EnvelopeJson {
            suite: "sm2-sm4-gcm".into(),
            key_epoch: 1,
            enc: "00".into(),
            ciphertext: "11".into(),
        };
        let mut s = StateFile::open(&path).unwrap();
        s.record_pending(
            "aa",
            Pending { outcome: "found".into(), envelope: env.clone(), tx: None },
        )
        .unwrap();
        s.record_pending(
            "bb",
            Pending { outcome: "declined".into(), envelope: env, tx: Some("ab".into()) },
        )
        .unwrap();
        s.settle("bb", "answered").unwrap();
        let mut s = StateFile::open(&path).unwrap();
        assert_eq!(s.pending("aa").unwrap().outcome, "found");
        assert!(s.is_done("bb"));
        s.retain_open(&["bb"].into_iter().collect()).unwrap();
        let s = StateFile::open(&path).unwrap();
        assert!(s.pending("aa").is_none());
        assert_eq!(s.done("bb"), Some("answered"));
        assert!(!dir.path().join("state.json.tmp").exists());
    }
}
