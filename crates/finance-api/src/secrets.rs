//! The openings a bank's node keeps, off the chain: one file per loan,
//! `<secrets>/finance/<bank>/loans/<loan id>.json` ([`KeptOpenings`]), written after the
//! application is committed and read back to show the bank the facts it holds — the tax
//! summary's openings, and the industry chain's figures with the proven month records
//! whose commitments they open (the loan record cites only those records' hashes).

use fapiao_industry_types::OperatingOpening;
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
    /// The industry chain's figures the enterprise opened, checked against the proven
    /// commitments (absent in files written before they were kept).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub operating: Vec<OperatingOpening>,
    /// The proven `operating-commit` records those figures open (their values; the loan
    /// record cites each one's SHA-256).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub operating_records: Vec<KeptRecord>,
}

/// A proven record of another chain, kept with its value.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct KeptRecord {
    /// Its chain.
    pub chain_id: String,
    /// The header height it was proven at.
    pub height: u64,
    /// Its key.
    pub key: String,
    /// Its value's canonical encoding, hex.
    pub value: String,
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
