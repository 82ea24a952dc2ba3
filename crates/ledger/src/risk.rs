//! The risk index: after each block, the invoices it created become risk events, the
//! `fapiao-risk` engine runs over them, and its state and alerts are written in the
//! block's commit — derived from finalized blocks, outside the state root.

use crate::{exec::Committed, store::ReadStore, Error, Result};
use fapiao_invoice_types::{
    BuyerKind, InvoiceBody, InvoiceKey, InvoicePublic, TaxpayerRecord, TaxpayerStatus,
};
use fapiao_risk::{EventKind, InvoiceEvent};
use fapiao_types::{decode_exact, InvoiceNumber, StateKey, Uscc};
use std::collections::BTreeMap;

fn read<S: ReadStore + ?Sized, T: commonware_codec::Read<Cfg = ()>>(
    committed: &Committed<'_, S>,
    writes: &BTreeMap<Vec<u8>, Option<Vec<u8>>>,
    key: &StateKey,
) -> Result<Option<T>> {
    let k = key.to_bytes();
    let bytes = match writes.get(&k) {
        Some(v) => v.clone(),
        None => committed.get_raw(&k)?,
    };
    bytes
        .map(|b| {
            decode_exact::<T>(&b, &())
                .map_err(|e| Error::Corrupt { what: "risk input", reason: e.to_string() })
        })
        .transpose()
}

fn status<S: ReadStore + ?Sized>(
    committed: &Committed<'_, S>,
    writes: &BTreeMap<Vec<u8>, Option<Vec<u8>>>,
    uscc: &Uscc,
) -> Result<Option<TaxpayerStatus>> {
    Ok(read::<S, TaxpayerRecord>(committed, writes, &StateKey::from(InvoiceKey::Taxpayer(*uscc)))?
        .map(|t| t.status))
}

/// The invoices a block created (new `invoice/<number>` keys, in key order) as risk
/// events.
pub(crate) fn events<S: ReadStore + ?Sized>(
    committed: &Committed<'_, S>,
    writes: &BTreeMap<Vec<u8>, Option<Vec<u8>>>,
    height: u64,
    time_ms: u64,
) -> Result<Vec<InvoiceEvent>> {
    let mut out = Vec::new();
    for key in writes.keys() {
        let Some(number) = key.strip_prefix(b"invoice/") else { continue };
        if committed.get_raw(key)?.is_some() {
            continue; // an update of an existing invoice
        }
        // The chain writes only well-formed numbers under `invoice/`.
        let Some(number) =
            core::str::from_utf8(number).ok().and_then(|n| InvoiceNumber::parse(n).ok())
        else {
            continue;
        };
        let public: Option<InvoicePublic> =
            read(committed, writes, &StateKey::from(InvoiceKey::Invoice(number)))?;
        let body: Option<InvoiceBody> =
            read(committed, writes, &StateKey::from(InvoiceKey::InvoiceBody(number)))?;
        let (Some(public), Some(body)) = (public, body) else { continue };
        let kind = match &body.red_of {
            None => {
                let buyer = body.buyer.tax_id.filter(|_| body.buyer.kind == BuyerKind::Enterprise);
                let buyer_status = match &buyer {
                    Some(b) => status(committed, writes, b)?,
                    None => None,
                };
                EventKind::Issued {
                    seller: public.seller_tax_id,
                    buyer,
                    total_with_tax: public.total_with_tax,
                    seller_status: status(committed, writes, &public.seller_tax_id)?
                        .unwrap_or(TaxpayerStatus::Active),
                    buyer_status,
                }
            }
            Some(blue) => {
                let blue_public: Option<InvoicePublic> =
                    read(committed, writes, &StateKey::from(InvoiceKey::Invoice(*blue)))?;
                EventKind::Reversed {
                    seller: public.seller_tax_id,
                    amount: public.total_with_tax,
                    blue_number: *blue,
                    blue_issued_ms: blue_public.map_or(time_ms, |p| p.issued_at_ms),
                }
            }
        };
        out.push(InvoiceEvent { height, time_ms, number, kind });
    }
    Ok(out)
}
