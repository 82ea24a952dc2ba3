//! Red-letter invoices (红字发票): the confirmation form (红字发票信息确认单) and its
//! commands. An invoice is never edited: a correction is a red invoice with negative
//! lines pointing at the blue one.

use fapiao_types::{canonical_struct, string_enum};
use fapiao_types::{AccountId, Hash32};
use fapiao_values::InvoiceNumber;

string_enum! {
    /// Why a red invoice is raised (the bureau's reason codes).
    RedReason {
        /// 01 issuing error: always a full reversal.
        IssuingError = (1, "01"),
        /// 02 goods returned: partial allowed after the buyer used the invoice.
        GoodsReturned = (2, "02"),
        /// 03 service stopped: full reversal.
        ServiceStopped = (3, "03"),
        /// 04 sales allowance: partial allowed after the buyer used the invoice.
        SalesAllowance = (4, "04"),
    }
}

string_enum! {
    /// Where a confirmation form is.
    RedFormStatus {
        /// The buyer had not used the invoice: the seller reversed it alone.
        NoConfirmationNeeded = (0, "no_confirmation_needed"),
        /// Raised by the seller, awaiting the buyer.
        SellerEnteredAwaitingBuyer = (1, "seller_entered_awaiting_buyer"),
        /// Raised by the buyer, awaiting the seller.
        BuyerEnteredAwaitingSeller = (2, "buyer_entered_awaiting_seller"),
        /// Both confirmed. When the seller confirmed (a form the buyer raised), the red
        /// invoice is issued at once; when the buyer confirmed (a form the seller raised),
        /// the seller issues it next (`red_number` empty until then).
        Confirmed = (3, "confirmed"),
        /// Void: the other party refused.
        VoidRefused = (4, "void_refused"),
        /// Void: unconfirmed past the deadline (evaluated when read or acted on).
        VoidExpired = (5, "void_expired"),
        /// Void: withdrawn by the party that raised it, before confirmation.
        VoidWithdrawn = (6, "void_withdrawn"),
        /// Void: withdrawn by the seller that raised it after the buyer confirmed it,
        /// before the red invoice was issued (an issued red invoice is never voided).
        VoidWithdrawnAfterConfirmation = (7, "void_withdrawn_after_confirmation"),
    }
}

fapiao_types::labels!(RedFormStatus {
    NoConfirmationNeeded => ("无需确认", "no confirmation needed"),
    SellerEnteredAwaitingBuyer => ("销方录入，待购方确认", "raised by the seller, awaiting the buyer"),
    BuyerEnteredAwaitingSeller => ("购方录入，待销方确认", "raised by the buyer, awaiting the seller"),
    Confirmed => ("已确认", "confirmed"),
    VoidRefused => ("已作废（对方拒绝）", "void: refused"),
    VoidExpired => ("已作废（逾期未确认）", "void: not confirmed in time"),
    VoidWithdrawn => ("已作废（已撤销）", "void: withdrawn"),
    VoidWithdrawnAfterConfirmation => ("已作废（确认后撤销）", "void: withdrawn after confirmation"),
});

canonical_struct! {
    /// One line of a partial reversal: which blue line, and how much (negative fen).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct RedLine {
        /// Index of the line on the blue invoice.
        pub line: u32,
        /// Amount excluding tax to reverse (negative), fen.
        pub amount: i64 => fen,
        /// Tax to reverse (negative), fen.
        pub tax: i64 => fen,
    }
}

canonical_struct! {
    /// Raise a red-letter confirmation form for a blue invoice (seller or buyer).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct RaiseRedForm {
        /// The blue invoice.
        pub blue_number: InvoiceNumber,
        /// Reason.
        pub reason: RedReason,
        /// Lines to reverse; empty for a full reversal of what stands.
        pub lines: Vec<RedLine>,
        /// Salt of the red invoice's commitment (used if it is issued at once).
        pub salt: Hash32,
    }
}

canonical_struct! {
    /// Confirm, refuse or withdraw a form, or issue the red invoice of a confirmed one.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct RedFormRef {
        /// The form id (the raising transaction's hash).
        pub form: Hash32,
        /// Refusal reason (refuse), unused otherwise.
        pub reason: String,
        /// Salt of the red invoice's commitment (confirm, issue).
        pub salt: Hash32,
    }
}

canonical_struct! {
    /// A confirmation form as stored (`red-form/<id>`).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct RedFormRecord {
        /// The blue invoice.
        pub blue_number: InvoiceNumber,
        /// Reason.
        pub reason: RedReason,
        /// The resolved lines to reverse (negative amounts).
        pub lines: Vec<RedLine>,
        /// Status as stored (a pending form past its deadline reads as `void_expired`).
        pub status: RedFormStatus,
        /// Who raised it.
        pub raised_by: AccountId,
        /// Raised by the seller (else the buyer).
        pub by_seller: bool,
        /// Block time it was raised, ms.
        pub raised_at_ms: u64,
        /// The red invoice's number, once issued (none while a confirmed form awaits
        /// the seller's red invoice).
        pub red_number: Option<InvoiceNumber> as empty_is_none,
        /// Refusal reason.
        pub refusal: String,
    }
}

canonical_struct! {
    /// What red invoices have reversed so far of each line of a blue invoice
    /// (`invoice-red/<number>`), amounts and taxes negative.
    #[derive(Clone, Debug, PartialEq, Eq, Default)]
    pub struct RedTotals {
        /// [`crate::record_salt`] of the chain secret and this record's path, written when
        /// the record is first created and never changed (see [`crate::Circulation`]).
        pub salt: Hash32,
        /// Per blue line: reversed amount, fen (≤ 0).
        pub amounts: Vec<i64> => fen,
        /// Per blue line: reversed tax, fen (≤ 0).
        pub taxes: Vec<i64> => fen,
        /// Red invoices issued against it.
        pub red_numbers: Vec<InvoiceNumber>,
        /// The form currently open against it, if any (it may have expired since).
        pub open_form: Option<Hash32>,
    }
}
