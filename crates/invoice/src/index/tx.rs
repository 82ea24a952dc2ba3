//! Rows written after each transaction that succeeded: the history of every invoice it
//! touched, the wallet row of each such invoice's holder, and VAT filings.
//!
//! They read the state as the transaction left it ([`fapiao_app::TxIndex::state`]): the
//! holder after a transfer is the one this transaction set, even when a later
//! transaction of the same block moves the invoice again.

use super::{decode, fatal, indexed, key_of, Indexed, DISCLOSURES, FILINGS, HISTORY, WALLET};
use commonware_codec::Encode;
use fapiao_app::{IndexTxn, Result, TxIndex};
use fapiao_invoice_types::{Circulation, HistoryEvent, InvoiceKey, RedFormRecord};
use fapiao_types::{InvoiceNumber, StateKey};

/// The invoices a successful transaction touched: the number it names, every invoice
/// whose public record it wrote (its own keys; this covers invoices it created — issued,
/// claimed, or red), and the blue invoice of every red-letter form it wrote (`forms`), so
/// that confirming, refusing or withdrawing a form is in the blue invoice's history.
fn touched_invoices(
    named: Option<InvoiceNumber>,
    own_writes: &[Vec<u8>],
    forms: Vec<InvoiceNumber>,
) -> Vec<InvoiceNumber> {
    let mut out: Vec<InvoiceNumber> = named.into_iter().collect();
    for key in own_writes {
        // The chain writes only well-formed numbers under `invoice/`.
        let number = key
            .strip_prefix(b"invoice/")
            .and_then(|n| core::str::from_utf8(n).ok())
            .and_then(|n| InvoiceNumber::parse(n).ok());
        if let Some(n) = number {
            if !out.contains(&n) {
                out.push(n);
            }
        }
    }
    for n in forms {
        if !out.contains(&n) {
            out.push(n);
        }
    }
    out
}

/// Writes the rows of one transaction that succeeded.
///
/// # Errors
/// [`fapiao_app::Error::Fatal`] when the state cannot be read or decoded.
pub fn rows(t: &TxIndex<'_>, out: &mut dyn IndexTxn) -> Result<()> {
    let action = &t.tx.tx.action;
    let what = indexed(action);
    if let Indexed::FileVatReturn(month, uscc) = &what {
        let key = key_of(&[&month.to_be_bytes(), uscc.as_bytes()]);
        out.put(&FILINGS, key, t.receipt.height.to_be_bytes().to_vec());
    }
    if let Indexed::AuthoriseDisclosure(uscc) = &what {
        let key = key_of(&[
            uscc.as_bytes(),
            &[0],
            &t.receipt.height.to_be_bytes(),
            &t.receipt.index.to_be_bytes(),
        ]);
        out.put(&DISCLOSURES, key, t.receipt.tx_hash.to_vec());
    }
    let mut forms = Vec::new();
    for key in t.own_writes.iter().filter(|k| k.starts_with(b"red-form/")) {
        let Some(key) = core::str::from_utf8(key).ok().and_then(|k| StateKey::parse(k).ok()) else {
            continue;
        };
        let form: Option<RedFormRecord> =
            decode("red-letter form", t.state.after(&key).map_err(fatal)?)?;
        if let Some(f) = form {
            forms.push(f.blue_number);
        }
    }
    let named = match what {
        Indexed::OnInvoice(n) | Indexed::RaiseRedForm(n) => Some(n),
        _ => None,
    };
    for number in touched_invoices(named, t.own_writes, forms) {
        let event = HistoryEvent {
            action: action.name().into(),
            height: t.receipt.height,
            index: t.receipt.index,
            time_ms: t.time_ms,
            signer: t.tx.tx.sender_account(),
            tx_hash: t.receipt.tx_hash,
        };
        let key = key_of(&[
            number.as_bytes(),
            &[0],
            &t.receipt.height.to_be_bytes(),
            &t.receipt.index.to_be_bytes(),
        ]);
        out.put(&HISTORY, key, event.encode().to_vec());
        let circ =
            t.state.after(&StateKey::from(InvoiceKey::InvoiceCirc(number))).map_err(fatal)?;
        let circ: Option<Circulation> = decode("circulation", circ)?;
        if let Some(holder) = circ.and_then(|c| c.holder) {
            out.put(&WALLET, key_of(&[&holder.0, number.as_bytes()]), Vec::new());
        }
    }
    Ok(())
}
