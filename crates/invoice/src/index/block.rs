//! Rows written after the block's last transaction.
//!
//! * **Sets that follow a record's current state** (orders waiting for their merchant,
//!   invoices submitted to or reimbursed/booked by an enterprise, pending red-letter
//!   forms, the taxpayer registry): for every state key the block wrote, the rows of the
//!   record before the block and after it are computed, and the difference is written —
//!   rows that no longer hold are deleted.
//! * **Events in transaction order** (invoices issued, credit requests, automatic credit
//!   adjustments) and the chain-wide aggregates over the invoices issued (count and
//!   amount in total, per category, per seller with a ranking by amount, per minute of
//!   block time).
//!
//! Everything is a function of the state before the block and the block itself, so
//! re-executing the same blocks on a fresh store writes the same rows. The aggregates
//! are read-modify-write of one row per bucket, read through the block's
//! [`IndexTxn`], which sees the previous block's rows even while its commit is in
//! flight.

use super::{
    decode, fatal, indexed, key_of, Indexed, APPLICATIONS, BOOKED_BY, CREDIT_ADJUSTMENTS,
    CREDIT_REQUESTS, ISSUED_BY, ISSUE_ORDER, ORDERS_WAITING, RED_FORMS_OPEN, SUBMITTED_TO,
    TAXPAYERS, TOTALS, TOTALS_RANK,
};
use fapiao_app::{BlockIndex, Error, IndexTable, IndexTxn, Result, States};
use fapiao_invoice_types::{
    Circulation, InvoiceBody, InvoiceKey, InvoicePublic, InvoiceStatus, OrderRecord, OrderStatus,
    RedFormRecord, RedFormStatus,
};
use fapiao_types::{Hash32, InvoiceNumber, StateKey};
use std::collections::{BTreeMap, BTreeSet};

/// Kind byte of a [`TOTALS`] row: the chain-wide total (empty label).
pub(crate) const TOTAL_ALL: u8 = 0;
/// Kind byte: per category (label: the category, UTF-8).
pub(crate) const TOTAL_CATEGORY: u8 = 1;
/// Kind byte: per seller (label: the seller's USCC; the value ends with its name).
pub(crate) const TOTAL_SELLER: u8 = 2;
/// Kind byte: per minute of block time (label: minutes since the Unix epoch, u64 BE).
pub(crate) const TOTAL_MINUTE: u8 = 3;

/// A set row: (table, key).
type SetRow = (&'static IndexTable, Vec<u8>);

/// The goods/service category of an invoice line name: the `*category*` it starts with,
/// else `其他` (other).
pub fn category(name: &str) -> String {
    let mut parts = name.split('*').filter(|p| !p.is_empty());
    match (name.starts_with('*'), parts.next()) {
        (true, Some(c)) => c.to_string(),
        _ => "其他".to_string(),
    }
}

fn before<T: commonware_codec::Read<Cfg = ()>>(
    s: &dyn States,
    key: &StateKey,
) -> Result<Option<T>> {
    decode("index input", s.before(key).map_err(fatal)?)
}

fn after<T: commonware_codec::Read<Cfg = ()>>(s: &dyn States, key: &StateKey) -> Result<Option<T>> {
    decode("index input", s.after(key).map_err(fatal)?)
}

/// The set rows an order stands for: one while it is claimed and waiting.
fn order_rows(id: &Hash32, o: Option<&OrderRecord>) -> BTreeSet<SetRow> {
    let mut out = BTreeSet::new();
    if let Some(o) = o.filter(|o| o.status == OrderStatus::Claimed) {
        let key = key_of(&[o.merchant.as_bytes(), &[0], &o.recorded_at.to_be_bytes(), id]);
        out.insert((&ORDERS_WAITING, key));
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
) -> BTreeSet<SetRow> {
    let mut out = BTreeSet::new();
    let Some(c) = circ else { return out };
    let ent = c.enterprise.as_deref().unwrap_or("");
    if !ent.is_empty() && public.is_some_and(|p| p.status == InvoiceStatus::Submitted) {
        out.insert((&SUBMITTED_TO, key_of(&[ent.as_bytes(), &[0], number.as_bytes()])));
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
        out.insert((&BOOKED_BY, key));
    }
    out
}

/// The set rows a red-letter form stands for: one per party while it is pending as
/// stored (the read applies the deadline), or confirmed by the buyer and awaiting the
/// seller's red invoice.
fn form_rows(id: &Hash32, f: Option<&RedFormRecord>, parties: &[String]) -> BTreeSet<SetRow> {
    let mut out = BTreeSet::new();
    let Some(f) = f else { return out };
    let pending = matches!(
        f.status,
        RedFormStatus::SellerEnteredAwaitingBuyer | RedFormStatus::BuyerEnteredAwaitingSeller
    ) || crate::awaiting_red(f);
    if !pending {
        return out;
    }
    for party in parties.iter().filter(|p| !p.is_empty()) {
        let key = key_of(&[party.as_bytes(), &[0], &f.raised_at_ms.to_be_bytes(), id]);
        out.insert((&RED_FORMS_OPEN, key));
    }
    out
}

/// Writes the difference between the rows before and after.
fn diff(out: &mut dyn IndexTxn, before: BTreeSet<SetRow>, after: BTreeSet<SetRow>) {
    for (table, key) in before.difference(&after) {
        out.delete(table, key.clone());
    }
    for (table, key) in after.difference(&before) {
        out.put(table, key.clone(), Vec::new());
    }
}

/// A bucket of the aggregates: invoice count, amount in fen, display name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Sum {
    pub count: u64,
    pub amount: i64,
    pub name: String,
}

impl Sum {
    fn encode(&self) -> Vec<u8> {
        key_of(&[&self.count.to_be_bytes(), &self.amount.to_be_bytes(), self.name.as_bytes()])
    }

    pub(crate) fn decode(b: &[u8]) -> Result<Self> {
        let count = b.get(..8).and_then(|s| s.try_into().ok()).map(u64::from_be_bytes);
        let amount = b.get(8..16).and_then(|s| s.try_into().ok()).map(i64::from_be_bytes);
        let name = b.get(16..).map(|n| String::from_utf8_lossy(n).into_owned());
        match (count, amount, name) {
            (Some(count), Some(amount), Some(name)) => Ok(Sum { count, amount, name }),
            _ => Err(Error::Fatal("corrupt totals: short row".into())),
        }
    }
}

/// An amount as bytes whose order is numeric order (sign bit flipped, big-endian).
pub(crate) fn ordered(amount: i64) -> [u8; 8] {
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
    fn add(
        &mut self,
        out: &dyn IndexTxn,
        kind: u8,
        label: Vec<u8>,
        name: &str,
        amount: i64,
    ) -> Result<()> {
        let key = (kind, label);
        if !self.buckets.contains_key(&key) {
            let row = key_of(&[&[kind], &key.1]);
            let before =
                out.get(&TOTALS, &row).map_err(fatal)?.map(|b| Sum::decode(&b)).transpose()?;
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

    fn write(self, out: &mut dyn IndexTxn) {
        for ((kind, label), (before, after)) in self.buckets {
            out.put(&TOTALS, key_of(&[&[kind], &label]), after.encode());
            if !matches!(kind, TOTAL_CATEGORY | TOTAL_SELLER) {
                continue;
            }
            let rank = |amount: i64| key_of(&[&[kind], &ordered(amount), &label]);
            match before {
                Some(b) if b.amount == after.amount => {}
                Some(b) => {
                    out.delete(&TOTALS_RANK, rank(b.amount));
                    out.put(&TOTALS_RANK, rank(after.amount), Vec::new());
                }
                None => {
                    out.put(&TOTALS_RANK, rank(after.amount), Vec::new());
                }
            }
        }
    }
}

/// Writes the rows of one executed block.
///
/// # Errors
/// [`Error::Fatal`] when the state or an index cannot be read or decoded.
pub fn rows(b: &BlockIndex<'_>, out: &mut dyn IndexTxn) -> Result<()> {
    let states = b.state;
    let mut invoices = BTreeSet::new();
    let mut created = BTreeSet::new();
    for raw in b.writes.keys() {
        let Ok(key) =
            std::str::from_utf8(raw).map_err(drop).and_then(|k| StateKey::parse(k).map_err(drop))
        else {
            continue;
        };
        match InvoiceKey::try_from(&key) {
            Ok(InvoiceKey::Order(id)) => {
                let was = before::<OrderRecord>(states, &key)?;
                let now = after::<OrderRecord>(states, &key)?;
                diff(out, order_rows(&id, was.as_ref()), order_rows(&id, now.as_ref()));
            }
            Ok(InvoiceKey::Invoice(n)) => {
                if states.before(&key).map_err(fatal)?.is_none() {
                    created.insert(n);
                }
                invoices.insert(n);
            }
            Ok(InvoiceKey::InvoiceCirc(n)) => {
                invoices.insert(n);
            }
            Ok(InvoiceKey::RedForm(id)) => {
                let was = before::<RedFormRecord>(states, &key)?;
                let now = after::<RedFormRecord>(states, &key)?;
                let Some(blue) = now.as_ref().or(was.as_ref()).map(|f| f.blue_number) else {
                    continue;
                };
                let seller =
                    after::<InvoicePublic>(states, &StateKey::from(InvoiceKey::Invoice(blue)))?
                        .map(|p| p.seller_tax_id.to_string())
                        .unwrap_or_default();
                let buyer =
                    after::<InvoiceBody>(states, &StateKey::from(InvoiceKey::InvoiceBody(blue)))?
                        .and_then(|b| b.buyer.tax_id)
                        .map(|t| t.to_string())
                        .unwrap_or_default();
                let parties = [seller, buyer];
                diff(
                    out,
                    form_rows(&id, was.as_ref(), &parties),
                    form_rows(&id, now.as_ref(), &parties),
                );
            }
            Ok(InvoiceKey::Taxpayer(uscc)) => {
                out.put(&TAXPAYERS, uscc.as_bytes().to_vec(), Vec::new());
            }
            _ => {}
        }
    }
    for n in &invoices {
        // The buyer is fixed at issue: the body is written once.
        let buyer = after::<InvoiceBody>(states, &StateKey::from(InvoiceKey::InvoiceBody(*n)))?
            .and_then(|b| b.buyer.tax_id)
            .map(|t| t.to_string())
            .unwrap_or_default();
        // An invoice the block created stood for nothing before it (no reads needed).
        let was = if created.contains(n) {
            BTreeSet::new()
        } else {
            invoice_rows(
                n,
                before::<InvoicePublic>(states, &StateKey::from(InvoiceKey::Invoice(*n)))?.as_ref(),
                before::<Circulation>(states, &StateKey::from(InvoiceKey::InvoiceCirc(*n)))?
                    .as_ref(),
                &buyer,
            )
        };
        let now = invoice_rows(
            n,
            after::<InvoicePublic>(states, &StateKey::from(InvoiceKey::Invoice(*n)))?.as_ref(),
            after::<Circulation>(states, &StateKey::from(InvoiceKey::InvoiceCirc(*n)))?.as_ref(),
            &buyer,
        );
        diff(out, was, now);
    }
    // Events in transaction order. A new invoice belongs to the transaction whose output
    // names it, or whose red-letter form issued it at once (the output is then the form
    // id); one neither names (none today) is placed after the block's last.
    let block = b.block;
    let h = block.header.height;
    let mut issued: Vec<(u32, InvoiceNumber)> = Vec::new();
    for (stx, r) in block.txs.iter().zip(b.receipts) {
        if !r.outcome.is_ok() {
            continue;
        }
        let what = indexed(&stx.tx.action);
        let at = || key_of(&[&h.to_be_bytes(), &r.index.to_be_bytes()]);
        if let Indexed::RequestCredit = what {
            out.put(&CREDIT_REQUESTS, at(), r.tx_hash.to_vec());
        }
        if let Indexed::ApplyForRegistration = what {
            out.put(&APPLICATIONS, at(), r.tx_hash.to_vec());
        }
        if b.writes
            .contains_key(&StateKey::from(InvoiceKey::CreditAdjustment(r.tx_hash)).to_bytes())
        {
            out.put(&CREDIT_ADJUSTMENTS, at(), r.tx_hash.to_vec());
        }
        let mut named: Vec<InvoiceNumber> = r.output.invoice().into_iter().collect();
        if let Indexed::RaiseRedForm(_) = what {
            if let Some(f) =
                after::<RedFormRecord>(states, &StateKey::from(InvoiceKey::RedForm(r.tx_hash)))?
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
        let Some(p) = after::<InvoicePublic>(states, &StateKey::from(InvoiceKey::Invoice(number)))?
        else {
            continue;
        };
        let at = key_of(&[&h.to_be_bytes(), &index.to_be_bytes()]);
        let seller = p.seller_tax_id.as_bytes();
        out.put(&ISSUED_BY, key_of(&[seller, &[0], &at]), number.as_bytes().to_vec());
        out.put(&ISSUE_ORDER, at, number.as_bytes().to_vec());
        let cat = after::<InvoiceBody>(states, &StateKey::from(InvoiceKey::InvoiceBody(number)))?
            .and_then(|b| b.lines.first().map(|l| category(&l.name)))
            .unwrap_or_else(|| category(""));
        let amount = p.total_with_tax;
        totals.add(out, TOTAL_ALL, Vec::new(), "", amount)?;
        totals.add(out, TOTAL_CATEGORY, cat.into_bytes(), "", amount)?;
        totals.add(out, TOTAL_SELLER, seller.to_vec(), &p.seller_name, amount)?;
        totals.add(out, TOTAL_MINUTE, minute.clone(), "", amount)?;
    }
    totals.write(out);
    Ok(())
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
