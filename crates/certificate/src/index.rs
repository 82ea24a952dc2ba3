//! The application's derived tables (outside the state root, rebuilt by re-execution):
//! collections by insurer and by owner, settlements by insurer — what the insurer
//! console, the owner's wallet and the bureau's outstanding view list.
//!
//! Rows are keys only (the value is empty): `org ‖ 00 ‖ height (u64 BE) ‖ id (32)` for
//! insurers, `owner account (32) ‖ height (u64 BE) ‖ id (32)` for owners, so a prefix scan
//! lists one insurer's or one owner's records in chain order.

use crate::{Error, Result};
use fapiao_app::{IndexRead, IndexTable, IndexTxn, Scan, TxIndex};
use fapiao_certificate_types::CertificateAction;
use fapiao_types::{AccountId, Hash32, TxOutput};

const fn table(name: &'static str) -> IndexTable {
    IndexTable { app: "certificate", name }
}

/// Collections by the collecting insurer.
pub static BY_INSURER: IndexTable = table("certificate_by_insurer");
/// Collections by the owner's account.
pub static BY_OWNER: IndexTable = table("certificate_by_owner");
/// Settlement batches by insurer.
pub static SETTLEMENTS: IndexTable = table("certificate_settlements");

/// Every table of the application.
pub static TABLES: &[&IndexTable] = &[&BY_INSURER, &BY_OWNER, &SETTLEMENTS];

fn org_key(org: &str, height: u64, id: &Hash32) -> Vec<u8> {
    let mut k = org_prefix(org);
    k.extend_from_slice(&height.to_be_bytes());
    k.extend_from_slice(id);
    k
}

/// The scan prefix of one organisation's rows.
pub fn org_prefix(org: &str) -> Vec<u8> {
    let mut k = org.as_bytes().to_vec();
    k.push(0);
    k
}

pub(crate) fn rows(t: &TxIndex<'_>, out: &mut dyn IndexTxn) -> Result<()> {
    let Ok(action) = CertificateAction::try_from(&t.tx.tx.action) else { return Ok(()) };
    let TxOutput::Record(id) = t.receipt.output else { return Ok(()) };
    let height = t.receipt.height;
    let org = || -> Result<String> {
        let key = fapiao_types::StateKey::Account(t.tx.tx.sender_account());
        let bytes = t.state.after(&key).map_err(Error::Fatal)?;
        let account = bytes
            .map(|b| fapiao_types::decode_exact::<fapiao_types::AccountRecord>(&b, &()))
            .transpose()
            .map_err(|e| Error::Fatal(format!("{key}: {e}")))?;
        Ok(account.map(|a| a.org).unwrap_or_default())
    };
    match action {
        CertificateAction::RecordCollection(c) => {
            out.put(&BY_INSURER, org_key(&org()?, height, &id), Vec::new());
            let mut k = c.owner.0.to_vec();
            k.extend_from_slice(&height.to_be_bytes());
            k.extend_from_slice(&id);
            out.put(&BY_OWNER, k, Vec::new());
        }
        CertificateAction::SubmitSettlement(_) => {
            out.put(&SETTLEMENTS, org_key(&org()?, height, &id), Vec::new());
        }
        _ => {}
    }
    Ok(())
}

fn ids(rows: fapiao_app::Rows) -> Vec<Hash32> {
    rows.into_iter()
        .filter_map(|(k, _)| k.len().checked_sub(32).and_then(|at| k[at..].try_into().ok()))
        .collect()
}

/// The newest `limit` collections of insurer `org`, newest first.
///
/// # Errors
/// [`Error::Fatal`] when the index cannot be read.
pub fn collections_of_insurer(r: &dyn IndexRead, org: &str, limit: usize) -> Result<Vec<Hash32>> {
    r.scan(&BY_INSURER, &org_prefix(org), limit, Scan::Backward).map(ids).map_err(Error::Fatal)
}

/// The newest `limit` collections for owner `owner`, newest first.
///
/// # Errors
/// [`Error::Fatal`] when the index cannot be read.
pub fn collections_of_owner(
    r: &dyn IndexRead,
    owner: &AccountId,
    limit: usize,
) -> Result<Vec<Hash32>> {
    r.scan(&BY_OWNER, &owner.0, limit, Scan::Backward).map(ids).map_err(Error::Fatal)
}

/// The newest `limit` settlement batches of insurer `org`, newest first.
///
/// # Errors
/// [`Error::Fatal`] when the index cannot be read.
pub fn settlements_of_insurer(r: &dyn IndexRead, org: &str, limit: usize) -> Result<Vec<Hash32>> {
    r.scan(&SETTLEMENTS, &org_prefix(org), limit, Scan::Backward).map(ids).map_err(Error::Fatal)
}
