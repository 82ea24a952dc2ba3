//! The finance application's actions: [`FinanceAction`], its specs and its decoder.
//!
//! One payload per tag of `0xb0..=0xbf` (docs/formats.md §25.1); `0xb0–0xb5` are used.

use core::ops::RangeInclusive;
use fapiao_crosschain_types::StateClaim;
use fapiao_types::{canonical_struct, Action, Hash32, Role};
use fapiao_values::{InvoiceNumber, Uscc};

/// The action tags the finance application owns.
pub const FINANCE_TAGS: RangeInclusive<u8> = 0xb0..=0xbf;

/// Most summary records (`tax-summary/…`, `tax-status/…`) one application carries:
/// twelve months and the status.
pub const MAX_RECORD_CLAIMS: usize = 13;
/// Most operating-data claims (industry chain) one application carries.
pub const MAX_OPERATING_CLAIMS: usize = 16;

canonical_struct! {
    /// A bank's officer applies for a loan on behalf of an enterprise, with the tax
    /// chain's proofs of the enterprise's grant and of the summary records it covers
    /// (`finance_apply_loan`).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ApplyLoan {
        /// The enterprise.
        pub uscc: Uscc,
        /// Amount asked, fen (positive).
        pub amount: i64,
        /// Term asked, months (1–360).
        pub term_months: u32,
        /// What for (1–200 characters).
        pub purpose: String,
        /// `disclosure/<id>` of the tax chain, proven.
        pub grant: StateClaim,
        /// `tax-summary/<uscc>/<yyyymm>` (present or absent) and `tax-status/<uscc>`,
        /// proven at the grant's header; each month or the status at most once.
        pub records: Vec<StateClaim>,
        /// Operating data of a registered chain (the industry chain) whose key names the
        /// enterprise's USCC, proven.
        pub operating: Vec<StateClaim>,
    }
}

canonical_struct! {
    /// The bank takes an application under review, with notes
    /// (`finance_review_loan`).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ReviewLoan {
        /// The loan's id.
        pub loan: Hash32,
        /// The reviewer's notes (0–500 characters).
        pub notes: String,
    }
}

canonical_struct! {
    /// The bank decides an application (`finance_decide_loan`): approve with the terms,
    /// or decline (amount, rate and term 0).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct DecideLoan {
        /// The loan's id.
        pub loan: Hash32,
        /// Approve (`true`) or decline.
        pub approve: bool,
        /// Amount granted, fen (positive when approved, 0 when declined).
        pub amount: i64,
        /// Yearly rate in basis points (1–10000 when approved, 0 when declined).
        pub rate_bp: u32,
        /// Term granted, months (1–360 when approved, 0 when declined).
        pub term_months: u32,
        /// Why (1–500 characters).
        pub reasons: String,
    }
}

canonical_struct! {
    /// A bank finances an invoice the enterprise issued, proven genuine and not reversed
    /// by a recent tax-chain proof of its public leaf (`finance_finance_invoice`).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct FinanceInvoice {
        /// The seller: the enterprise financed.
        pub uscc: Uscc,
        /// The loan it is financed under, if any (the same bank's, the same enterprise's).
        pub loan: Option<Hash32>,
        /// Amount advanced, fen (positive, at most the invoice's total with tax).
        pub amount: i64,
        /// `invoice/<number>` of the tax chain, proven.
        pub invoice: StateClaim,
    }
}

canonical_struct! {
    /// Anyone relays a proof that a financed invoice was reversed or flagged
    /// (`finance_report_reversal`).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ReportReversal {
        /// The invoice.
        pub number: InvoiceNumber,
        /// `invoice/<number>` of the tax chain at a header newer than the financing's.
        pub invoice: StateClaim,
    }
}

canonical_struct! {
    /// The financing bank closes a financing, with a fresh proof that the invoice still
    /// stands (`finance_settle_financing`).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct SettleFinancing {
        /// The invoice.
        pub number: InvoiceNumber,
        /// Repaid by the enterprise (`true`) or settled by the buyer.
        pub repaid: bool,
        /// `invoice/<number>` of the tax chain, fresh.
        pub invoice: StateClaim,
    }
}

/// Why an action is not one of the finance application's.
pub type NotFinanceAction = fapiao_types::NotAppAction;

const BANK: Option<Role> = Some(Role::BankOfficer);

fapiao_types::app_actions! {
    app: "finance", tags: FINANCE_TAGS, keyless: fapiao_types::no_keyless,
    /// What a finance transaction does.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub enum FinanceAction;
    /// The decoder of the finance application's action bodies.
    pub struct FinanceBodies;
    actions {
        /// Apply for a loan.
        ApplyLoan(ApplyLoan) = 0xb0, "finance_apply_loan", BANK;
        /// Review a loan.
        ReviewLoan(ReviewLoan) = 0xb1, "finance_review_loan", BANK;
        /// Decide a loan.
        DecideLoan(DecideLoan) = 0xb2, "finance_decide_loan", BANK;
        /// Finance an invoice.
        FinanceInvoice(FinanceInvoice) = 0xb3, "finance_finance_invoice", BANK;
        /// Report a financed invoice's reversal.
        ReportReversal(ReportReversal) = 0xb4, "finance_report_reversal", None;
        /// Settle a financing.
        SettleFinancing(SettleFinancing) = 0xb5, "finance_settle_financing", BANK;
    }
}

macro_rules! into_action {
    ($($t:ident),*) => {$(
        impl From<$t> for FinanceAction {
            fn from(a: $t) -> FinanceAction {
                FinanceAction::$t(a)
            }
        }

        impl From<$t> for Action {
            fn from(a: $t) -> Action {
                Action::from(FinanceAction::$t(a))
            }
        }
    )*};
}

into_action!(ApplyLoan, ReviewLoan, DecideLoan, FinanceInvoice, ReportReversal, SettleFinancing);

#[cfg(test)]
mod tests {
    use super::*;
    use commonware_codec::Error as CodecError;
    use fapiao_types::ActionBodies;

    #[test]
    fn the_specs_are_in_the_range_and_unused_tags_are_refused() {
        for (i, s) in FinanceAction::SPECS.iter().enumerate() {
            assert!(FINANCE_TAGS.contains(&s.tag));
            assert_eq!(s.tag, 0xb0 + i as u8);
            assert!(s.name.starts_with("finance_"));
        }
        assert!(matches!(FinanceBodies.body_len(0xb6, &[]), Err(CodecError::InvalidEnum(0xb6))));
    }
}
