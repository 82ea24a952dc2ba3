//! Automatic credit adjustments (授信额度调整): the month's automatic top-ups and red
//! restorations of a taxpayer, and one auditable record per adjustment. The credit
//! itself is [`crate::CreditRecord`]; the policy that decides the adjustments lives in
//! `fapiao-invoice` (`CreditPolicy`).

use fapiao_types::{canonical_struct, string_enum};
string_enum! {
    /// What adjusted a taxpayer's credit automatically.
    CreditAdjustmentKind {
        /// Temporary top-up for a low-risk taxpayer whose use passed the threshold: this
        /// month's extra credit grows.
        AutoTopUp = (1, "auto_top_up"),
        /// A red invoice gave back the credit its blue invoice (of the same month)
        /// reserved: this month's use shrinks.
        RedRestore = (2, "red_restore"),
    }
}

canonical_struct! {
    /// The automatic side of a taxpayer's credit for one month (`credit-auto/<uscc>`):
    /// rolled over to zero when a new month starts, like the credit's use.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct CreditAutoRecord {
        /// The month (China time) the counters belong to.
        pub month: fapiao_types::Month,
        /// Automatic top-ups granted this month.
        pub top_ups: u32,
        /// Extra credit they added, fen.
        pub topped_up: i64 => fen,
        /// Σ of the red invoices the taxpayer issued this month (magnitude), fen.
        pub reversed: i64 => fen,
        /// Credit given back by red invoices this month, fen.
        pub restored: i64 => fen,
    }
}

canonical_struct! {
    /// One automatic credit adjustment, as stored (`credit-adjustment/<id>`, the id being
    /// the hash of the transaction that caused it).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct CreditAdjustmentRecord {
        /// The taxpayer.
        pub uscc: fapiao_types::Uscc,
        /// The month of the credit adjusted.
        pub month: fapiao_types::Month,
        /// What adjusted it.
        pub kind: CreditAdjustmentKind,
        /// How much room it made, fen (> 0).
        pub amount: i64 => fen,
        /// This month's use after it, fen.
        pub used_after: i64 => fen,
        /// This month's ceiling plus extra after it, fen.
        pub limit_after: i64 => fen,
        /// The invoice that caused it: the one whose issuance crossed the threshold, or
        /// the red invoice.
        pub invoice: fapiao_types::InvoiceNumber,
        /// Block height.
        pub height: u64,
    }
}
