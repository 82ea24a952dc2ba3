//! The finance application's derived tables (outside the state root, rebuilt by
//! re-execution): loans, financings and alerts by bank — what the loan desk lists.
//!
//! Row keys: `bank ‖ 00 ‖ height (u64 BE) ‖ id`, the id being a loan's or an alert's
//! 32-byte id or an invoice's 20-digit number; so a prefix scan lists one bank's rows in
//! chain order, and an empty prefix every bank's (the regulator's view). Values are
//! empty: the records are state.

use crate::{Error, Result};
use fapiao_app::{IndexRead, IndexTable, IndexTxn, Scan, TxIndex};
use fapiao_finance_types::{FinanceAction, FinanceAlert, FinanceKey, FinancingRecord, LoanRecord};
use fapiao_types::{decode_exact, Hash32, StateKey};
use fapiao_values::InvoiceNumber;

const fn table(name: &'static str) -> IndexTable {
    IndexTable { app: "finance", name }
}

/// Loans by bank.
pub static LOANS: IndexTable = table("finance_loans");
/// Financings by bank.
pub static FINANCINGS: IndexTable = table("finance_financings");
/// Alerts by bank.
pub static ALERTS: IndexTable = table("finance_alerts");

/// Every table of the application.
pub static TABLES: &[&IndexTable] = &[&LOANS, &FINANCINGS, &ALERTS];

/// The scan prefix of one bank's rows; `None` scans every bank's.
pub fn bank_prefix(bank: Option<&str>) -> Vec<u8> {
    bank.map_or_else(Vec::new, |b| {
        let mut k = b.as_bytes().to_vec();
        k.push(0);
        k
    })
}

fn row(bank: &str, height: u64, id: &[u8]) -> Vec<u8> {
    let mut k = bank_prefix(Some(bank));
    k.extend_from_slice(&height.to_be_bytes());
    k.extend_from_slice(id);
    k
}

fn after<T: commonware_codec::Read<Cfg = ()>>(
    t: &TxIndex<'_>,
    key: FinanceKey,
) -> Result<Option<T>> {
    let key = StateKey::from(key);
    t.state
        .after(&key)
        .map_err(Error::Fatal)?
        .map(|b| decode_exact::<T>(&b, &()))
        .transpose()
        .map_err(|e| Error::Fatal(format!("{key}: {e}")))
}

/// The rows of one successful transaction.
pub(crate) fn rows(t: &TxIndex<'_>, out: &mut dyn IndexTxn) -> Result<()> {
    let Ok(action) = FinanceAction::try_from(&t.tx.tx.action) else { return Ok(()) };
    let height = t.receipt.height;
    let tx = t.receipt.tx_hash;
    match action {
        FinanceAction::ApplyLoan(_) => {
            if let Some(l) = after::<LoanRecord>(t, FinanceKey::Loan(tx))? {
                out.put(&LOANS, row(&l.bank, height, &tx), Vec::new());
            }
        }
        FinanceAction::FinanceInvoice(a) => {
            let Ok(fapiao_invoice_types::InvoiceKey::Invoice(n)) =
                fapiao_invoice_types::InvoiceKey::parse(&a.invoice.key)
            else {
                return Ok(());
            };
            if let Some(f) = after::<FinancingRecord>(t, FinanceKey::Financing(n))? {
                out.put(&FINANCINGS, row(&f.bank, height, n.as_str().as_bytes()), Vec::new());
            }
        }
        FinanceAction::ReportReversal(_) => {
            if let Some(a) = after::<FinanceAlert>(t, FinanceKey::Alert(tx))? {
                out.put(&ALERTS, row(&a.bank, height, &tx), Vec::new());
            }
        }
        _ => {}
    }
    Ok(())
}

fn scan(
    index: &dyn IndexRead,
    table: &'static IndexTable,
    bank: Option<&str>,
    limit: usize,
) -> Result<fapiao_app::Rows> {
    index.scan(table, &bank_prefix(bank), limit, Scan::Backward).map_err(Error::Fatal)
}

/// The ids of the newest `limit` loans of `bank` (every bank's when `None`), newest
/// first when one bank's.
///
/// # Errors
/// [`Error::Fatal`] when the table cannot be read.
pub fn loans(index: &dyn IndexRead, bank: Option<&str>, limit: usize) -> Result<Vec<Hash32>> {
    Ok(scan(index, &LOANS, bank, limit)?
        .into_iter()
        .filter_map(|(k, _)| k.len().checked_sub(32).and_then(|at| k[at..].try_into().ok()))
        .collect())
}

/// The invoices of the newest `limit` financings of `bank` (every bank's when `None`).
///
/// # Errors
/// [`Error::Fatal`] when the table cannot be read.
pub fn financings(
    index: &dyn IndexRead,
    bank: Option<&str>,
    limit: usize,
) -> Result<Vec<InvoiceNumber>> {
    Ok(scan(index, &FINANCINGS, bank, limit)?
        .into_iter()
        .filter_map(|(k, _)| {
            let at = k.len().checked_sub(20)?;
            core::str::from_utf8(&k[at..]).ok().and_then(|s| InvoiceNumber::parse(s).ok())
        })
        .collect())
}

/// The ids of the newest `limit` alerts of `bank` (every bank's when `None`).
///
/// # Errors
/// [`Error::Fatal`] when the table cannot be read.
pub fn alerts(index: &dyn IndexRead, bank: Option<&str>, limit: usize) -> Result<Vec<Hash32>> {
    Ok(scan(index, &ALERTS, bank, limit)?
        .into_iter()
        .filter_map(|(k, _)| k.len().checked_sub(32).and_then(|at| k[at..].try_into().ok()))
        .collect())
}
