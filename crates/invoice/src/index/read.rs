//! Typed reads of the invoice application's index tables, over any
//! [`fapiao_app::IndexRead`]: the ledger at its durable tip, or the API's reader.
//!
//! Each read is a bounded prefix scan or a point lookup. Rows the chain wrote are
//! well-formed; one that does not decode is skipped (set and event rows) or reported as
//! corruption (history, totals).

use super::{
    block::{Sum, TOTAL_ALL, TOTAL_CATEGORY, TOTAL_MINUTE, TOTAL_SELLER},
    fatal, key_of, APPLICATIONS, BOOKED_BY, CREDIT_ADJUSTMENTS, CREDIT_REQUESTS, DISCLOSURES,
    FILINGS, HISTORY, ISSUED_BY, ISSUE_ORDER, ORDERS_WAITING, RED_FORMS_OPEN, SUBMITTED_TO,
    TAXPAYERS, TOTALS, TOTALS_RANK, WALLET,
};
use fapiao_app::{Error, IndexRead, Result, Rows, Scan};
use fapiao_invoice_types::HistoryEvent;
use fapiao_types::{AccountId, Hash32, InvoiceNumber, Month, Uscc};

/// An aggregate: how many invoices and their total with tax.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Bucket {
    /// What is counted: a category, a seller's USCC, or empty for the chain total.
    pub label: String,
    /// Display name (the seller's latest registered name; else empty).
    pub name: String,
    /// Number of invoices (red invoices count too).
    pub count: u64,
    /// Sum of their totals with tax, fen (red invoices are negative).
    pub amount: i64,
}

/// An invoice number stored in an index row (the chain writes only well-formed ones).
fn number(bytes: &[u8]) -> Option<InvoiceNumber> {
    InvoiceNumber::parse(core::str::from_utf8(bytes).ok()?).ok()
}

fn be_u64(b: &[u8]) -> Option<u64> {
    Some(u64::from_be_bytes(b.get(..8)?.try_into().ok()?))
}

fn hash32(b: &[u8]) -> Option<Hash32> {
    b.try_into().ok()
}

fn party_prefix(party: &str) -> Vec<u8> {
    key_of(&[party.as_bytes(), &[0]])
}

fn numbers(rows: Rows) -> Vec<InvoiceNumber> {
    rows.into_iter().filter_map(|(_, v)| number(&v)).collect()
}

fn ids(rows: Rows) -> Vec<Hash32> {
    rows.into_iter().filter_map(|(_, v)| hash32(&v)).collect()
}

fn scan(
    r: &(impl IndexRead + ?Sized),
    table: &'static fapiao_app::IndexTable,
    prefix: &[u8],
    limit: usize,
    dir: Scan,
) -> Result<Rows> {
    r.scan(table, prefix, limit, dir).map_err(fatal)
}

/// Invoice numbers held by `account` (the wallet), at most `limit`.
///
/// # Errors
/// [`Error::Fatal`] when the store fails.
pub fn wallet(
    r: &(impl IndexRead + ?Sized),
    account: &AccountId,
    limit: usize,
) -> Result<Vec<InvoiceNumber>> {
    Ok(scan(r, &WALLET, &account.0, limit, Scan::Forward)?
        .into_iter()
        .filter_map(|(k, _)| number(k.get(32..)?))
        .collect())
}

/// The event history of invoice `number`, oldest first.
///
/// # Errors
/// [`Error::Fatal`] when the store fails or a row does not decode.
pub fn history(r: &(impl IndexRead + ?Sized), number: &str) -> Result<Vec<HistoryEvent>> {
    scan(r, &HISTORY, &party_prefix(number), 10_000, Scan::Forward)?
        .into_iter()
        .map(|(_, v)| {
            fapiao_types::decode_exact::<HistoryEvent>(&v, &())
                .map_err(|e| Error::Fatal(format!("corrupt history: {e}")))
        })
        .collect()
}

/// Taxpayers that filed their VAT return for `month`, in USCC order.
///
/// # Errors
/// [`Error::Fatal`] when the store fails.
pub fn filings(r: &(impl IndexRead + ?Sized), month: Month) -> Result<Vec<Uscc>> {
    Ok(scan(r, &FILINGS, &month.yyyymm().to_be_bytes(), 100_000, Scan::Forward)?
        .into_iter()
        .filter_map(|(k, _)| Uscc::parse(core::str::from_utf8(k.get(4..)?).ok()?).ok())
        .collect())
}

/// Invoices `seller` issued, newest first, at most `limit`.
///
/// # Errors
/// [`Error::Fatal`] when the store fails.
pub fn issued_by(
    r: &(impl IndexRead + ?Sized),
    seller: &str,
    limit: usize,
) -> Result<Vec<InvoiceNumber>> {
    Ok(numbers(scan(r, &ISSUED_BY, &party_prefix(seller), limit, Scan::Backward)?))
}

/// The newest invoices of the chain, newest first, at most `limit`.
///
/// # Errors
/// [`Error::Fatal`] when the store fails.
pub fn newest_invoices(r: &(impl IndexRead + ?Sized), limit: usize) -> Result<Vec<InvoiceNumber>> {
    Ok(numbers(scan(r, &ISSUE_ORDER, &[], limit, Scan::Backward)?))
}

/// Orders of `merchant` claimed and waiting for it to issue, most recently recorded
/// first, at most `limit`.
///
/// # Errors
/// [`Error::Fatal`] when the store fails.
pub fn orders_waiting(
    r: &(impl IndexRead + ?Sized),
    merchant: &str,
    limit: usize,
) -> Result<Vec<Hash32>> {
    let prefix = party_prefix(merchant);
    Ok(scan(r, &ORDERS_WAITING, &prefix, limit, Scan::Backward)?
        .into_iter()
        .filter_map(|(k, _)| hash32(k.get(prefix.len() + 8..)?))
        .collect())
}

/// Invoices in status `submitted` to `enterprise`, in number order, at most `limit`.
///
/// # Errors
/// [`Error::Fatal`] when the store fails.
pub fn submitted_to(
    r: &(impl IndexRead + ?Sized),
    enterprise: &str,
    limit: usize,
) -> Result<Vec<InvoiceNumber>> {
    let prefix = party_prefix(enterprise);
    Ok(scan(r, &SUBMITTED_TO, &prefix, limit, Scan::Forward)?
        .into_iter()
        .filter_map(|(k, _)| number(k.get(prefix.len()..)?))
        .collect())
}

/// Invoices `enterprise` reimbursed (as the enterprise they were submitted to) or booked
/// (as their buyer), most recent first, at most `limit`.
///
/// # Errors
/// [`Error::Fatal`] when the store fails.
pub fn booked_by(
    r: &(impl IndexRead + ?Sized),
    enterprise: &str,
    limit: usize,
) -> Result<Vec<InvoiceNumber>> {
    let prefix = party_prefix(enterprise);
    Ok(scan(r, &BOOKED_BY, &prefix, limit, Scan::Backward)?
        .into_iter()
        .filter_map(|(k, _)| number(k.get(prefix.len() + 8..)?))
        .collect())
}

/// Red-letter forms pending as stored, or confirmed and awaiting their red invoice, on
/// invoices `party` sold or bought, as (raised at ms, form id), most recently raised
/// first, at most `limit`. A form past its deadline is still listed: apply
/// [`crate::effective_status`].
///
/// # Errors
/// [`Error::Fatal`] when the store fails.
pub fn open_red_forms(
    r: &(impl IndexRead + ?Sized),
    party: &str,
    limit: usize,
) -> Result<Vec<(u64, Hash32)>> {
    let prefix = party_prefix(party);
    Ok(scan(r, &RED_FORMS_OPEN, &prefix, limit, Scan::Backward)?
        .into_iter()
        .filter_map(|(k, _)| {
            let tail = k.get(prefix.len()..)?;
            Some((be_u64(tail)?, hash32(tail.get(8..)?)?))
        })
        .collect())
}

/// Registered taxpayers (USCCs), in USCC order, at most `limit`.
///
/// # Errors
/// [`Error::Fatal`] when the store fails.
pub fn taxpayers(r: &(impl IndexRead + ?Sized), limit: usize) -> Result<Vec<Uscc>> {
    Ok(scan(r, &TAXPAYERS, &[], limit, Scan::Forward)?
        .into_iter()
        .filter_map(|(k, _)| Uscc::parse(core::str::from_utf8(&k).ok()?).ok())
        .collect())
}

/// Credit request ids, newest first, at most `limit`.
///
/// # Errors
/// [`Error::Fatal`] when the store fails.
pub fn credit_requests(r: &(impl IndexRead + ?Sized), limit: usize) -> Result<Vec<Hash32>> {
    Ok(ids(scan(r, &CREDIT_REQUESTS, &[], limit, Scan::Backward)?))
}

/// Automatic credit adjustment ids (`credit-adjustment/<id>`), newest first, at most
/// `limit`.
///
/// # Errors
/// [`Error::Fatal`] when the store fails.
pub fn credit_adjustments(r: &(impl IndexRead + ?Sized), limit: usize) -> Result<Vec<Hash32>> {
    Ok(ids(scan(r, &CREDIT_ADJUSTMENTS, &[], limit, Scan::Backward)?))
}

/// Express-edition application ids, newest first, at most `limit`.
///
/// # Errors
/// [`Error::Fatal`] when the store fails.
pub fn applications(r: &(impl IndexRead + ?Sized), limit: usize) -> Result<Vec<Hash32>> {
    Ok(ids(scan(r, &APPLICATIONS, &[], limit, Scan::Backward)?))
}

/// The disclosure grant ids of `uscc`, newest first, at most `limit`.
///
/// # Errors
/// [`Error::Fatal`] when the store fails.
pub fn disclosures(
    r: &(impl IndexRead + ?Sized),
    uscc: &Uscc,
    limit: usize,
) -> Result<Vec<Hash32>> {
    Ok(ids(scan(r, &DISCLOSURES, &party_prefix(uscc.as_str()), limit, Scan::Backward)?))
}

fn total(r: &(impl IndexRead + ?Sized), kind: u8, label: &[u8]) -> Result<Option<Sum>> {
    r.get(&TOTALS, &key_of(&[&[kind], label])).map_err(fatal)?.map(|b| Sum::decode(&b)).transpose()
}

/// Every invoice of the chain: count and total with tax.
///
/// # Errors
/// [`Error::Fatal`] when the store fails or the row is corrupt.
pub fn invoice_totals(r: &(impl IndexRead + ?Sized)) -> Result<Bucket> {
    let s = total(r, TOTAL_ALL, &[])?.unwrap_or_default();
    Ok(Bucket { label: String::new(), name: String::new(), count: s.count, amount: s.amount })
}

/// Invoices issued in minute `minute` of block time (minutes since the Unix epoch).
///
/// # Errors
/// [`Error::Fatal`] when the store fails or the row is corrupt.
pub fn minute_totals(r: &(impl IndexRead + ?Sized), minute: u64) -> Result<Bucket> {
    let s = total(r, TOTAL_MINUTE, &minute.to_be_bytes())?.unwrap_or_default();
    Ok(Bucket { label: String::new(), name: String::new(), count: s.count, amount: s.amount })
}

fn ranked(r: &(impl IndexRead + ?Sized), kind: u8, limit: usize) -> Result<Vec<Bucket>> {
    let mut out = Vec::new();
    for (k, _) in scan(r, &TOTALS_RANK, &[kind], limit, Scan::Backward)? {
        let label =
            k.get(9..).ok_or_else(|| Error::Fatal("corrupt totals rank: short key".into()))?;
        // The figures come from the bucket itself: a commit landing between the two
        // reads may have moved it on since the rank row was read.
        let Some(s) = total(r, kind, label)? else { continue };
        out.push(Bucket {
            label: String::from_utf8_lossy(label).into_owned(),
            name: s.name,
            count: s.count,
            amount: s.amount,
        });
    }
    Ok(out)
}

/// Categories (`*category*` of an invoice's first line) by total amount, largest first,
/// at most `limit`.
///
/// # Errors
/// [`Error::Fatal`] when the store fails or a row is corrupt.
pub fn top_categories(r: &(impl IndexRead + ?Sized), limit: usize) -> Result<Vec<Bucket>> {
    ranked(r, TOTAL_CATEGORY, limit)
}

/// Sellers (label: USCC, name: seller name) by total amount, largest first, at most
/// `limit`.
///
/// # Errors
/// [`Error::Fatal`] when the store fails or a row is corrupt.
pub fn top_sellers(r: &(impl IndexRead + ?Sized), limit: usize) -> Result<Vec<Bucket>> {
    ranked(r, TOTAL_SELLER, limit)
}
