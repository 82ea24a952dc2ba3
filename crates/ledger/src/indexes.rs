//! The read indexes behind the desk, the dashboard and the alerts: rows derived from each
//! executed block and written in its commit, outside the state root (ADR 0004), so that
//! every read of them is a bounded prefix scan or a point lookup.
//!
//! Two kinds of row:
//!
//! * **Sets that follow a record's current state** (orders waiting for their merchant,
//!   invoices submitted to or reimbursed/booked by an enterprise, pending red-letter
//!   forms, the taxpayer registry): for every state key the block wrote, the rows of the
//!   record before the block and after it are computed, and the difference is written —
//!   rows that no longer hold are deleted.
//! * **Events in transaction order** (invoices issued, credit requests, automatic credit
//!   adjustments) and the
//!   chain-wide aggregates over the invoices issued (count and amount in total, per
//!   category, per seller with a ranking by amount, per minute of block time).
//!
//! Everything is a function of the state before the block and the block itself, so
//! re-executing the same blocks on a fresh store writes the same rows. Per transaction
//! the work is a few rows; the aggregates are read-modify-write of one row per bucket.
//! The layouts are in `docs/formats.md` §10.1.

use crate::{
    exec::Committed,
    ledger::Ledger,
    store::{ReadStore, Store, Table},
    Error, Result,
};
use fapiao_invoice_types::InvoiceKey;
use fapiao_types::{
    decode_exact, Action, Block, Circulation, Hash32, InvoiceBody, InvoiceNumber, InvoicePublic,
    InvoiceStatus, OrderRecord, OrderStatus, Receipt, RedFormRecord, RedFormStatus, StateKey, Uscc,
};
use std::collections::{BTreeMap, BTreeSet};

/// The row changes of one block: `Some(value)` puts the row, `None` deletes it.
pub(crate) type IndexRows = BTreeMap<(Table, Vec<u8>), Option<Vec<u8>>>;

/// Kind byte of a [`Table::Totals`] row: the chain-wide total (empty label).
const TOTAL_ALL: u8 = 0;
/// Kind byte: per category (label: the category, UTF-8).
const TOTAL_CATEGORY: u8 = 1;
/// Kind byte: per seller (label: the seller's USCC; the value ends with its name).
const TOTAL_SELLER: u8 = 2;
/// Kind byte: per minute of block time (label: minutes since the Unix epoch, u64 BE).
const TOTAL_MINUTE: u8 = 3;

/// The goods/service category of an invoice line name: the `*category*` it starts with,
/// else `其他` (other).
pub fn category(name: &str) -> String {
    let mut parts = name.split('*').filter(|p| !p.is_empty());
    match (name.starts_with('*'), parts.next()) {
        (true, Some(c)) => c.to_string(),
        _ => "其他".to_string(),
    }
}

fn corrupt(what: &'static str, e: impl ToString) -> Error {
    Error::Corrupt { what, reason: e.to_string() }
}

fn key_of(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// The record at `key` before the block (`committed`) or after it (`writes` first).
struct States<'a, S: ?Sized> {
    committed: &'a Committed<'a, S>,
    writes: &'a BTreeMap<Vec<u8>, Option<Vec<u8>>>,
}

impl<S: ReadStore + ?Sized> States<'_, S> {
    fn decode<T: commonware_codec::Read<Cfg = ()>>(bytes: Option<Vec<u8>>) -> Result<Option<T>> {
        bytes.map(|b| decode_exact::<T>(&b, &()).map_err(|e| corrupt("index input", e))).transpose()
    }

    fn before<T: commonware_codec::Read<Cfg = ()>>(&self, key: &StateKey) -> Result<Option<T>> {
        Self::decode(self.committed.get_raw(&key.to_bytes())?)
    }

    fn after<T: commonware_codec::Read<Cfg = ()>>(&self, key: &StateKey) -> Result<Option<T>> {
        let k = key.to_bytes();
        match self.writes.get(&k) {
            Some(v) => Self::decode(v.clone()),
            None => Self::decode(self.committed.get_raw(&k)?),
        }
    }
}

/// An invoice number stored in an index row (the chain writes only well-formed ones).
fn number(bytes: &[u8]) -> Option<InvoiceNumber> {
    InvoiceNumber::parse(core::str::from_utf8(bytes).ok()?).ok()
}

/// The set rows an order stands for: one while it is claimed and waiting.
fn order_rows(id: &Hash32, o: Option<&OrderRecord>) -> BTreeSet<(Table, Vec<u8>)> {
    let mut out = BTreeSet::new();
    if let Some(o) = o.filter(|o| o.status == OrderStatus::Claimed) {
        let key = key_of(&[o.merchant.as_bytes(), &[0], &o.recorded_at.to_be_bytes(), id]);
        out.insert((Table::OrdersWaiting, key));
    }
    out
}

/// The set rows an invoice stands for: submitted to an enterprise (awaiting its
/// decision); reimbursed by that enterprise or booked by the buyer, under each of the two
/// at the height of its first such act.
fn invoice_rows(
    number: &InvoiceNumber,
    public: Option<&InvoicePublic>,
    circ: Option<&Circulation>,
    buyer: &str,
) -> BTreeSet<(Table, Vec<u8>)> {
    let mut out = BTreeSet::new();
    let Some(c) = circ else { return out };
    let ent = c.enterprise.as_deref().unwrap_or("");
    if !ent.is_empty() && public.is_some_and(|p| p.status == InvoiceStatus::Submitted) {
        out.insert((Table::SubmittedTo, key_of(&[ent.as_bytes(), &[0], number.as_bytes()])));
    }
    let mut first: BTreeMap<&str, u64> = BTreeMap::new();
    for (party, height) in [(ent, c.reimbursed_at), (buyer, c.booked_at)] {
        if !party.is_empty() && height != 0 {
            let h = first.entry(party).or_insert(height);
            *h = (*h).min(height);
        }
    }
    for (party, h) in first {
        let key = key_of(&[party.as_bytes(), &[0], &h.to_be_bytes(), number.as_bytes()]);
        out.insert((Table::BookedBy, key));
    }
    out
}

/// The set rows a red-letter form stands for: one per party while it is pending as
/// stored (the read applies the deadline), or confirmed by the buyer and awaiting the
/// seller's red invoice.
fn form_rows(
    id: &Hash32,
    f: Option<&RedFormRecord>,
    parties: &[String],
) -> BTreeSet<(Table, Vec<u8>)> {
    let mut out = BTreeSet::new();
    let Some(f) = f else { return out };
    let pending = matches!(
        f.status,
        RedFormStatus::SellerEnteredAwaitingBuyer | RedFormStatus::BuyerEnteredAwaitingSeller
    ) || fapiao_invoice::awaiting_red(f);
    if !pending {
        return out;
    }
    for party in parties.iter().filter(|p| !p.is_empty()) {
        let key = key_of(&[party.as_bytes(), &[0], &f.raised_at_ms.to_be_bytes(), id]);
        out.insert((Table::RedFormsOpen, key));
    }
    out
}

/// Writes the difference between the rows before and after.
fn diff(
    rows: &mut IndexRows,
    before: BTreeSet<(Table, Vec<u8>)>,
    after: BTreeSet<(Table, Vec<u8>)>,
) {
    for gone in before.difference(&after) {
        rows.insert(gone.clone(), None);
    }
    for new in after.difference(&before) {
        rows.insert(new.clone(), Some(Vec::new()));
    }
}

/// A bucket of the aggregates: invoice count, amount in fen, display name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Sum {
    count: u64,
    amount: i64,
    name: String,
}

impl Sum {
    fn encode(&self) -> Vec<u8> {
        key_of(&[&self.count.to_be_bytes(), &self.amount.to_be_bytes(), self.name.as_bytes()])
    }

    fn decode(b: &[u8]) -> Result<Self> {
        let count = b.get(..8).and_then(|s| s.try_into().ok()).map(u64::from_be_bytes);
        let amount = b.get(8..16).and_then(|s| s.try_into().ok()).map(i64::from_be_bytes);
        let name = b.get(16..).map(|n| String::from_utf8_lossy(n).into_owned());
        match (count, amount, name) {
            (Some(count), Some(amount), Some(name)) => Ok(Sum { count, amount, name }),
            _ => Err(corrupt("totals", "short row")),
        }
    }
}

/// An amount as bytes whose order is numeric order (sign bit flipped, big-endian).
fn ordered(amount: i64) -> [u8; 8] {
    ((amount as u64) ^ (1 << 63)).to_be_bytes()
}

#[cfg(test)]
fn unordered(b: &[u8]) -> Option<i64> {
    let raw: [u8; 8] = b.get(..8)?.try_into().ok()?;
    Some((u64::from_be_bytes(raw) ^ (1 << 63)) as i64)
}

/// The aggregates a block touches: bucket key → (before the block, after it).
#[derive(Default)]
struct Totals {
    buckets: BTreeMap<(u8, Vec<u8>), (Option<Sum>, Sum)>,
}

impl Totals {
    fn add<S: ReadStore + ?Sized>(
        &mut self,
        committed: &Committed<'_, S>,
        kind: u8,
        label: Vec<u8>,
        name: &str,
        amount: i64,
    ) -> Result<()> {
        let key = (kind, label);
        if !self.buckets.contains_key(&key) {
            let row = key_of(&[&[kind], &key.1]);
            let before =
                committed.store.get(Table::Totals, &row)?.map(|b| Sum::decode(&b)).transpose()?;
            let now = before.clone().unwrap_or_default();
            self.buckets.insert(key.clone(), (before, now));
        }
        if let Some((_, sum)) = self.buckets.get_mut(&key) {
            sum.count = sum.count.saturating_add(1);
            sum.amount = sum.amount.saturating_add(amount);
            if !name.is_empty() {
                sum.name = name.to_string();
            }
        }
        Ok(())
    }

    fn write(self, rows: &mut IndexRows) {
        for ((kind, label), (before, after)) in self.buckets {
            rows.insert((Table::Totals, key_of(&[&[kind], &label])), Some(after.encode()));
            if !matches!(kind, TOTAL_CATEGORY | TOTAL_SELLER) {
                continue;
            }
            let rank = |amount: i64| key_of(&[&[kind], &ordered(amount), &label]);
            match before {
                Some(b) if b.amount == after.amount => {}
                Some(b) => {
                    rows.insert((Table::TotalsRank, rank(b.amount)), None);
                    rows.insert((Table::TotalsRank, rank(after.amount)), Some(Vec::new()));
                }
                None => {
                    rows.insert((Table::TotalsRank, rank(after.amount)), Some(Vec::new()));
                }
            }
        }
    }
}

/// The index rows of one executed block: `committed` is the state before it, `writes`
/// its final state writes, `receipts` one per transaction.
pub(crate) fn rows<S: ReadStore + ?Sized>(
    committed: &Committed<'_, S>,
    writes: &BTreeMap<Vec<u8>, Option<Vec<u8>>>,
    block: &Block,
    receipts: &[Receipt],
) -> Result<IndexRows> {
    let states = States { committed, writes };
    let mut rows = IndexRows::new();
    let mut invoices = BTreeSet::new();
    let mut created = BTreeSet::new();
    for raw in writes.keys() {
        let Ok(key) =
            std::str::from_utf8(raw).map_err(drop).and_then(|k| StateKey::parse(k).map_err(drop))
        else {
            continue;
        };
        // A platform key, or another application's, is no invoice key: no rows.
        match InvoiceKey::try_from(&key) {
            Ok(InvoiceKey::Order(id)) => {
                let before = states.before::<OrderRecord>(&key)?;
                let after = states.after::<OrderRecord>(&key)?;
                diff(&mut rows, order_rows(&id, before.as_ref()), order_rows(&id, after.as_ref()));
            }
            Ok(InvoiceKey::Invoice(n)) => {
                if committed.get_raw(raw)?.is_none() {
                    created.insert(n);
                }
                invoices.insert(n);
            }
            Ok(InvoiceKey::InvoiceCirc(n)) => {
                invoices.insert(n);
            }
            Ok(InvoiceKey::RedForm(id)) => {
                let before = states.before::<RedFormRecord>(&key)?;
                let after = states.after::<RedFormRecord>(&key)?;
                let Some(blue) = after.as_ref().or(before.as_ref()).map(|f| f.blue_number) else {
                    continue;
                };
                let seller = states
                    .after::<InvoicePublic>(&StateKey::from(InvoiceKey::Invoice(blue)))?
                    .map(|p| p.seller_tax_id.to_string())
                    .unwrap_or_default();
                let buyer = states
                    .after::<InvoiceBody>(&StateKey::from(InvoiceKey::InvoiceBody(blue)))?
                    .and_then(|b| b.buyer.tax_id)
                    .map(|t| t.to_string())
                    .unwrap_or_default();
                let parties = [seller, buyer];
                diff(
                    &mut rows,
                    form_rows(&id, before.as_ref(), &parties),
                    form_rows(&id, after.as_ref(), &parties),
                );
            }
            Ok(InvoiceKey::Taxpayer(uscc)) => {
                rows.insert((Table::Taxpayers, uscc.as_bytes().to_vec()), Some(Vec::new()));
            }
            _ => {}
        }
    }
    for n in &invoices {
        // The buyer is fixed at issue: the body is written once.
        let buyer = states
            .after::<InvoiceBody>(&StateKey::from(InvoiceKey::InvoiceBody(*n)))?
            .and_then(|b| b.buyer.tax_id)
            .map(|t| t.to_string())
            .unwrap_or_default();
        // An invoice the block created stood for nothing before it (no reads needed).
        let before = if created.contains(n) {
            BTreeSet::new()
        } else {
            invoice_rows(
                n,
                states.before::<InvoicePublic>(&StateKey::from(InvoiceKey::Invoice(*n)))?.as_ref(),
                states
                    .before::<Circulation>(&StateKey::from(InvoiceKey::InvoiceCirc(*n)))?
                    .as_ref(),
                &buyer,
            )
        };
        let after = invoice_rows(
            n,
            states.after::<InvoicePublic>(&StateKey::from(InvoiceKey::Invoice(*n)))?.as_ref(),
            states.after::<Circulation>(&StateKey::from(InvoiceKey::InvoiceCirc(*n)))?.as_ref(),
            &buyer,
        );
        diff(&mut rows, before, after);
    }
    // Events in transaction order. A new invoice belongs to the transaction whose output
    // names it, or whose red-letter form issued it at once (the output is then the form
    // id); one neither names (none today) is placed after the block's last.
    let h = block.header.height;
    let mut issued: Vec<(u32, InvoiceNumber)> = Vec::new();
    for (stx, r) in block.txs.iter().zip(receipts) {
        if !r.outcome.is_ok() {
            continue;
        }
        if let Action::RequestCredit(_) = &stx.tx.action {
            let key = key_of(&[&h.to_be_bytes(), &r.index.to_be_bytes()]);
            rows.insert((Table::CreditRequests, key), Some(r.tx_hash.to_vec()));
        }
        if let Action::ApplyForRegistration(_) = &stx.tx.action {
            let key = key_of(&[&h.to_be_bytes(), &r.index.to_be_bytes()]);
            rows.insert((Table::Applications, key), Some(r.tx_hash.to_vec()));
        }
        if writes.contains_key(&StateKey::from(InvoiceKey::CreditAdjustment(r.tx_hash)).to_bytes())
        {
            let key = key_of(&[&h.to_be_bytes(), &r.index.to_be_bytes()]);
            rows.insert((Table::CreditAdjustments, key), Some(r.tx_hash.to_vec()));
        }
        let mut named: Vec<InvoiceNumber> = r.output.invoice().into_iter().collect();
        if let Action::RaiseRedForm(_) = &stx.tx.action {
            if let Some(f) =
                states.after::<RedFormRecord>(&StateKey::from(InvoiceKey::RedForm(r.tx_hash)))?
            {
                named.extend(f.red_number);
            }
        }
        for n in named {
            if created.remove(&n) {
                issued.push((r.index, n));
            }
        }
    }
    let last = u32::try_from(block.txs.len()).unwrap_or(u32::MAX);
    issued.extend(created.into_iter().map(|n| (last, n)));
    let mut totals = Totals::default();
    let minute = (block.header.time_ms / 60_000).to_be_bytes().to_vec();
    for (index, number) in issued {
        let Some(p) =
            states.after::<InvoicePublic>(&StateKey::from(InvoiceKey::Invoice(number)))?
        else {
            continue;
        };
        let at = key_of(&[&h.to_be_bytes(), &index.to_be_bytes()]);
        let seller = p.seller_tax_id.as_bytes();
        rows.insert(
            (Table::IssuedBy, key_of(&[seller, &[0], &at])),
            Some(number.as_bytes().to_vec()),
        );
        rows.insert((Table::IssueOrder, at), Some(number.as_bytes().to_vec()));
        let cat = states
            .after::<InvoiceBody>(&StateKey::from(InvoiceKey::InvoiceBody(number)))?
            .and_then(|b| b.lines.first().map(|l| category(&l.name)))
            .unwrap_or_else(|| category(""));
        let amount = p.total_with_tax;
        totals.add(committed, TOTAL_ALL, Vec::new(), "", amount)?;
        totals.add(committed, TOTAL_CATEGORY, cat.into_bytes(), "", amount)?;
        totals.add(committed, TOTAL_SELLER, seller.to_vec(), &p.seller_name, amount)?;
        totals.add(committed, TOTAL_MINUTE, minute.clone(), "", amount)?;
    }
    totals.write(&mut rows);
    Ok(rows)
}

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

fn tail_after(key: &[u8], prefix_len: usize) -> Option<&[u8]> {
    key.get(prefix_len..)
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

impl<S: Store> Ledger<S> {
    fn numbers(rows: Vec<(Vec<u8>, Vec<u8>)>) -> Vec<InvoiceNumber> {
        rows.into_iter().filter_map(|(_, v)| number(&v)).collect()
    }

    /// Invoices `seller` issued, newest first, at most `limit`.
    ///
    /// # Errors
    /// Storage errors.
    pub fn issued_by(&self, seller: &str, limit: usize) -> Result<Vec<InvoiceNumber>> {
        Ok(Self::numbers(self.store().scan_back(Table::IssuedBy, &party_prefix(seller), limit)?))
    }

    /// The newest invoices of the chain, newest first, at most `limit`.
    ///
    /// # Errors
    /// Storage errors.
    pub fn newest_invoices(&self, limit: usize) -> Result<Vec<InvoiceNumber>> {
        Ok(Self::numbers(self.store().scan_back(Table::IssueOrder, &[], limit)?))
    }

    /// Orders of `merchant` claimed and waiting for it to issue, most recently recorded
    /// first, at most `limit`.
    ///
    /// # Errors
    /// Storage errors.
    pub fn orders_waiting(&self, merchant: &str, limit: usize) -> Result<Vec<Hash32>> {
        let prefix = party_prefix(merchant);
        Ok(self
            .store()
            .scan_back(Table::OrdersWaiting, &prefix, limit)?
            .into_iter()
            .filter_map(|(k, _)| hash32(tail_after(&k, prefix.len() + 8)?))
            .collect())
    }

    /// Invoices in status `submitted` to `enterprise`, in number order, at most `limit`.
    ///
    /// # Errors
    /// Storage errors.
    pub fn submitted_to(&self, enterprise: &str, limit: usize) -> Result<Vec<InvoiceNumber>> {
        let prefix = party_prefix(enterprise);
        Ok(self
            .store()
            .scan(Table::SubmittedTo, &prefix, limit)?
            .into_iter()
            .filter_map(|(k, _)| number(tail_after(&k, prefix.len())?))
            .collect())
    }

    /// Invoices `enterprise` reimbursed (as the enterprise they were submitted to) or
    /// booked (as their buyer), most recent first, at most `limit`.
    ///
    /// # Errors
    /// Storage errors.
    pub fn booked_by(&self, enterprise: &str, limit: usize) -> Result<Vec<InvoiceNumber>> {
        let prefix = party_prefix(enterprise);
        Ok(self
            .store()
            .scan_back(Table::BookedBy, &prefix, limit)?
            .into_iter()
            .filter_map(|(k, _)| number(tail_after(&k, prefix.len() + 8)?))
            .collect())
    }

    /// Red-letter forms pending as stored, or confirmed and awaiting their red invoice,
    /// on invoices `party` sold or bought, as (raised at ms, form id), most recently
    /// raised first, at most `limit`. A form past its deadline is still listed: apply
    /// `fapiao_invoice::effective_status`.
    ///
    /// # Errors
    /// Storage errors.
    pub fn open_red_forms(&self, party: &str, limit: usize) -> Result<Vec<(u64, Hash32)>> {
        let prefix = party_prefix(party);
        Ok(self
            .store()
            .scan_back(Table::RedFormsOpen, &prefix, limit)?
            .into_iter()
            .filter_map(|(k, _)| {
                let tail = tail_after(&k, prefix.len())?;
                Some((be_u64(tail)?, hash32(tail.get(8..)?)?))
            })
            .collect())
    }

    /// Registered taxpayers (USCCs), in USCC order, at most `limit`.
    ///
    /// # Errors
    /// Storage errors.
    pub fn taxpayers(&self, limit: usize) -> Result<Vec<Uscc>> {
        Ok(self
            .store()
            .scan(Table::Taxpayers, &[], limit)?
            .into_iter()
            .filter_map(|(k, _)| Uscc::parse(core::str::from_utf8(&k).ok()?).ok())
            .collect())
    }

    /// Credit request ids, newest first, at most `limit`.
    ///
    /// # Errors
    /// Storage errors.
    pub fn credit_requests(&self, limit: usize) -> Result<Vec<Hash32>> {
        Ok(self
            .store()
            .scan_back(Table::CreditRequests, &[], limit)?
            .into_iter()
            .filter_map(|(_, v)| hash32(&v))
            .collect())
    }

    /// Automatic credit adjustment ids (`credit-adjustment/<id>`), newest first, at most
    /// `limit`.
    ///
    /// # Errors
    /// Storage errors.
    pub fn credit_adjustments(&self, limit: usize) -> Result<Vec<Hash32>> {
        Ok(self
            .store()
            .scan_back(Table::CreditAdjustments, &[], limit)?
            .into_iter()
            .filter_map(|(_, v)| hash32(&v))
            .collect())
    }

    /// Express-edition application ids, newest first, at most `limit`.
    ///
    /// # Errors
    /// Storage errors.
    pub fn applications(&self, limit: usize) -> Result<Vec<Hash32>> {
        Ok(self
            .store()
            .scan_back(Table::Applications, &[], limit)?
            .into_iter()
            .filter_map(|(_, v)| hash32(&v))
            .collect())
    }

    fn total(&self, kind: u8, label: &[u8]) -> Result<Option<Sum>> {
        self.store()
            .get(Table::Totals, &key_of(&[&[kind], label]))?
            .map(|b| Sum::decode(&b))
            .transpose()
    }

    /// Every invoice of the chain: count and total with tax.
    ///
    /// # Errors
    /// Storage errors or corruption.
    pub fn invoice_totals(&self) -> Result<Bucket> {
        let s = self.total(TOTAL_ALL, &[])?.unwrap_or_default();
        Ok(Bucket { label: String::new(), name: String::new(), count: s.count, amount: s.amount })
    }

    /// Invoices issued in minute `minute` of block time (minutes since the Unix epoch).
    ///
    /// # Errors
    /// Storage errors or corruption.
    pub fn minute_totals(&self, minute: u64) -> Result<Bucket> {
        let s = self.total(TOTAL_MINUTE, &minute.to_be_bytes())?.unwrap_or_default();
        Ok(Bucket { label: String::new(), name: String::new(), count: s.count, amount: s.amount })
    }

    fn ranked(&self, kind: u8, limit: usize) -> Result<Vec<Bucket>> {
        let mut out = Vec::new();
        for (k, _) in self.store().scan_back(Table::TotalsRank, &[kind], limit)? {
            let label = k.get(9..).ok_or_else(|| corrupt("totals rank", "short key"))?;
            // The figures come from the bucket itself: a commit landing between the two
            // reads may have moved it on since the rank row was read.
            let Some(s) = self.total(kind, label)? else { continue };
            out.push(Bucket {
                label: String::from_utf8_lossy(label).into_owned(),
                name: s.name,
                count: s.count,
                amount: s.amount,
            });
        }
        Ok(out)
    }

    /// Categories (`*category*` of an invoice's first line) by total amount, largest
    /// first, at most `limit`.
    ///
    /// # Errors
    /// Storage errors or corruption.
    pub fn top_categories(&self, limit: usize) -> Result<Vec<Bucket>> {
        self.ranked(TOTAL_CATEGORY, limit)
    }

    /// Sellers (label: USCC, name: seller name) by total amount, largest first, at most
    /// `limit`.
    ///
    /// # Errors
    /// Storage errors or corruption.
    pub fn top_sellers(&self, limit: usize) -> Result<Vec<Bucket>> {
        self.ranked(TOTAL_SELLER, limit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_is_the_starred_prefix() {
        assert_eq!(category("*餐饮服务*午餐"), "餐饮服务");
        assert_eq!(category("午餐"), "其他");
    }

    #[test]
    fn ordered_amounts_sort_numerically() {
        let amounts = [i64::MIN, -5_00, -1, 0, 1, 66_00, i64::MAX];
        let keys: Vec<[u8; 8]> = amounts.iter().map(|a| ordered(*a)).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
        for a in amounts {
            assert_eq!(unordered(&ordered(a)), Some(a));
        }
    }
}
