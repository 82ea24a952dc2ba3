//! The openings a bank's node keeps, off the chain: one file per loan,
//! `<secrets>/finance/<bank>/loans/<loan id>.json` ([`KeptOpenings`]), written after the
//! application is committed and read back to show the bank the facts it holds.

use fapiao_invoice_types::Opening;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// What the node keeps for one loan.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct KeptOpenings {
    /// The loan's id (hex).
    pub loan: String,
    /// The enterprise.
    pub uscc: String,
    /// The openings the enterprise handed the bank, checked against the proven
    /// commitments.
    pub openings: Vec<Opening>,
}

/// The file of loan `loan` (hex) of `bank` under `secrets`.
pub fn path(secrets: &Path, bank: &str, loan: &str) -> PathBuf {
    secrets.join("finance").join(bank).join("loans").join(format!("{loan}.json"))
}

/// Writes the openings of a loan.
///
/// # Errors
/// The file cannot be written.
pub fn store(secrets: &Path, bank: &str, kept: &KeptOpenings) -> std::io::Result<()> {
    let p = path(secrets, bank, &kept.loan);
    if let Some(dir) = p.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let json = serde_json::to_vec_pretty(kept).map_err(std::io::Error::other)?;
    let tmp = p.with_extension("json.tmp");
    std::fs::write(&tmp, json)?;
    std::fs::rename(tmp, p)
}

/// The openings of a loan, when this node keeps them.
pub fn load(secrets: &Path, bank: &str, loan: &str) -> Option<KeptOpenings> {
    let bytes = std::fs::read(path(secrets, bank, loan)).ok()?;
    serde_json::from_slice(&bytes).ok()
}
