//! The invoice application's derived index tables (ADR 0004, ADR 0008 part B): what it
//! declares, the rows it writes from each executed block, and typed reads of them.
//!
//! Rows live outside the state root; the layouts are in `docs/formats.md` §10.1. The
//! tables keep the names they had when the ledger laid them out (chain format 4), so the
//! bytes on disk are unchanged:
//!
//! * **After each transaction that succeeded** ([`tx`]): the history of every invoice it
//!   touched, the holder's wallet row, and VAT filings. They use the state as that
//!   transaction left it, not the block's final state (two transactions of one block may
//!   touch the same invoice).
//! * **After the block** ([`block`]): sets that follow a record's current state, events
//!   in transaction order and the chain-wide aggregates.
//!
//! Reads ([`read`]) take any [`fapiao_app::IndexRead`]: the ledger, or the API's reader.

pub mod block;
pub mod read;
pub mod tx;

use fapiao_app::IndexTable;
use fapiao_types::Action;

pub use block::category;
pub use read::Bucket;

const fn table(name: &'static str) -> IndexTable {
    IndexTable { app: "invoice", name }
}

/// Invoice number ‖ 0x00 ‖ height (u64 BE) ‖ index (u32 BE) → encoded history event.
pub static HISTORY: IndexTable = table("history");
/// Holder account (32) ‖ number → empty.
pub static WALLET: IndexTable = table("wallet");
/// Month `yyyymm` (u32 BE) ‖ USCC → filing height (u64 BE).
pub static FILINGS: IndexTable = table("filings");
/// Invoices by seller in issue order: seller USCC ‖ 0x00 ‖ height (u64 BE) ‖ tx index
/// (u32 BE) → invoice number.
pub static ISSUED_BY: IndexTable = table("issued_by");
/// Every invoice in issue order: height (u64 BE) ‖ tx index (u32 BE) → invoice number.
pub static ISSUE_ORDER: IndexTable = table("issue_order");
/// Orders claimed and waiting for their merchant: merchant USCC ‖ 0x00 ‖ recorded height
/// (u64 BE) ‖ order id (32) → empty.
pub static ORDERS_WAITING: IndexTable = table("orders_waiting");
/// Invoices in status `submitted` to an enterprise: USCC ‖ 0x00 ‖ number → empty.
pub static SUBMITTED_TO: IndexTable = table("submitted_to");
/// Invoices an enterprise reimbursed or booked: USCC ‖ 0x00 ‖ height of its first such
/// act (u64 BE) ‖ number → empty.
pub static BOOKED_BY: IndexTable = table("booked_by");
/// Red-letter forms pending, by party: USCC ‖ 0x00 ‖ raised at (ms, u64 BE) ‖ form id
/// (32) → empty.
pub static RED_FORMS_OPEN: IndexTable = table("red_forms_open");
/// The taxpayer registry: USCC → empty.
pub static TAXPAYERS: IndexTable = table("taxpayers");
/// Credit requests in order: height (u64 BE) ‖ tx index (u32 BE) → request id (32).
pub static CREDIT_REQUESTS: IndexTable = table("credit_requests");
/// Chain-wide aggregates: kind (1 byte) ‖ label → count (u64 BE) ‖ amount in fen (i64
/// BE) ‖ display name.
pub static TOTALS: IndexTable = table("totals");
/// Aggregates ranked by amount: kind ‖ amount (i64 BE, sign bit flipped) ‖ label →
/// empty.
pub static TOTALS_RANK: IndexTable = table("totals_rank");
/// Automatic credit adjustments in order: height ‖ tx index → adjustment id (32).
pub static CREDIT_ADJUSTMENTS: IndexTable = table("credit_adjustments");
/// Express-edition applications in order: height ‖ tx index → application id (32).
pub static APPLICATIONS: IndexTable = table("applications");

/// Disclosure grants by enterprise in grant order: USCC ‖ 0x00 ‖ height (u64 BE) ‖ tx
/// index (u32 BE) → grant id (32).
pub static DISCLOSURES: IndexTable = table("disclosures");

/// Every table the invoice application declares.
pub static TABLES: &[&IndexTable] = &[
    &HISTORY,
    &WALLET,
    &FILINGS,
    &ISSUED_BY,
    &ISSUE_ORDER,
    &ORDERS_WAITING,
    &SUBMITTED_TO,
    &BOOKED_BY,
    &RED_FORMS_OPEN,
    &TAXPAYERS,
    &CREDIT_REQUESTS,
    &TOTALS,
    &TOTALS_RANK,
    &CREDIT_ADJUSTMENTS,
    &APPLICATIONS,
    &DISCLOSURES,
];

/// What the indexes need to know of an action: the one place they match on its variants.
pub(crate) enum Indexed {
    /// An action on an existing invoice it names.
    OnInvoice(fapiao_types::InvoiceNumber),
    /// A red-letter form raised on this blue invoice.
    RaiseRedForm(fapiao_types::InvoiceNumber),
    /// A VAT return filed for (month `yyyymm`, USCC).
    FileVatReturn(u32, fapiao_types::Uscc),
    /// A credit request.
    RequestCredit,
    /// An express-edition application.
    ApplyForRegistration,
    /// A disclosure grant of this enterprise.
    AuthoriseDisclosure(fapiao_types::Uscc),
    /// Anything else.
    Other,
}

/// What the indexes need to know of `action` (decoded again: an invoice action's body
/// is checked as its transaction is decoded, so a failure here is a foreign action).
pub(crate) fn indexed(action: &Action) -> Indexed {
    use fapiao_invoice_types::InvoiceAction as A;
    match A::try_from(action) {
        Ok(A::SubmitInvoice(r)) => Indexed::OnInvoice(r.number),
        Ok(A::RejectReimbursement(r)) => Indexed::OnInvoice(r.number),
        Ok(A::AcceptReimbursement(r) | A::BookInvoice(r)) => Indexed::OnInvoice(r.number),
        Ok(A::FlagInvoice(f)) => Indexed::OnInvoice(f.number),
        Ok(A::RaiseRedForm(r)) => Indexed::RaiseRedForm(r.blue_number),
        Ok(A::FileVatReturn(f)) => Indexed::FileVatReturn(f.month.yyyymm(), f.uscc),
        Ok(A::RequestCredit(_)) => Indexed::RequestCredit,
        Ok(A::ApplyForRegistration(_)) => Indexed::ApplyForRegistration,
        Ok(A::AuthoriseDisclosure(a)) => Indexed::AuthoriseDisclosure(a.uscc),
        _ => Indexed::Other,
    }
}

/// Decodes a stored record (a failure is corruption: the hook stops the block).
pub(crate) fn decode<T: commonware_codec::Read<Cfg = ()>>(
    what: &str,
    bytes: Option<Vec<u8>>,
) -> fapiao_app::Result<Option<T>> {
    bytes
        .map(|b| {
            fapiao_types::decode_exact::<T>(&b, &())
                .map_err(|e| fapiao_app::Error::Fatal(format!("corrupt {what}: {e}")))
        })
        .transpose()
}

/// A message of the seam's reads, as a fatal error.
pub(crate) fn fatal(e: String) -> fapiao_app::Error {
    fapiao_app::Error::Fatal(e)
}

/// Concatenates key parts.
pub(crate) fn key_of(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}
