//! The finance application's records: loans ([`LoanRecord`]), financings
//! ([`FinancingRecord`]) and alerts to banks ([`FinanceAlert`]). They hold the tax
//! chain's commitments, heights and amounts the bank's proofs established — never a
//! disclosed value (every bank on the finance chain reads the chain).

use fapiao_invoice_types::SummaryField;
use fapiao_types::{canonical_struct, string_enum, AccountId, Hash32};
use fapiao_values::{InvoiceNumber, Uscc};

string_enum! {
    /// Where a loan application stands.
    LoanStatus {
        /// Applied, not yet reviewed.
        Applied = (0, "applied"),
        /// Under review.
        UnderReview = (1, "under_review"),
        /// Approved (final).
        Approved = (2, "approved"),
        /// Declined (final).
        Declined = (3, "declined"),
    }
}

string_enum! {
    /// Where a financing stands.
    FinancingStatus {
        /// Financed; the invoice stood at the last proof.
        Active = (0, "active"),
        /// A relayed proof showed the invoice reversed or flagged; its bank is alerted.
        AtRisk = (1, "at_risk"),
        /// Repaid by the enterprise (final).
        Repaid = (2, "repaid"),
        /// Settled by the buyer (final).
        Settled = (3, "settled"),
    }
}

canonical_struct! {
    /// One committed field of the tax summary, as the proof established it: the bank's
    /// node checks the enterprise's opening of it off the chain.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct SummaryCommitment {
        /// The field.
        pub field: SummaryField,
        /// Its month `yyyymm`; 0 for the status.
        pub month: u32,
        /// The commitment; `None` when the month's record was proven absent (no activity:
        /// sales 0, VAT paid 0, not on time, with no salt).
        pub commitment: Option<Hash32>,
    }
}

canonical_struct! {
    /// One proven record of another registered chain (operating data): where and what,
    /// by hash.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ProvenFact {
        /// The source chain.
        pub chain_id: String,
        /// Its header height the proof was against.
        pub height: u64,
        /// The key.
        pub key: String,
        /// SHA-256 of the proven value; `None` when proven absent.
        pub value_hash: Option<Hash32>,
    }
}

canonical_struct! {
    /// A bank's decision on a loan.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Decision {
        /// Approved or declined.
        pub approve: bool,
        /// Amount granted, fen (0 when declined).
        pub amount: i64,
        /// Yearly rate, basis points (0 when declined).
        pub rate_bp: u32,
        /// Term, months (0 when declined).
        pub term_months: u32,
        /// Why.
        pub reasons: String,
        /// The deciding account.
        pub by: AccountId,
        /// Height of the decision.
        pub decided_at: u64,
    }
}

canonical_struct! {
    /// A loan application (`loan/<id>`, the id being the applying transaction's hash).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct LoanRecord {
        /// Its id.
        pub id: Hash32,
        /// The bank (organisation id).
        pub bank: String,
        /// The applying officer's account.
        pub officer: AccountId,
        /// The enterprise.
        pub uscc: Uscc,
        /// Amount asked, fen.
        pub amount: i64,
        /// Term asked, months.
        pub term_months: u32,
        /// What for.
        pub purpose: String,
        /// The tax chain's id.
        pub tax_chain: String,
        /// The tax header height every tax proof was against.
        pub tax_height: u64,
        /// The tax state height that header commits to.
        pub tax_state_height: u64,
        /// That header's time, ms since the Unix epoch.
        pub tax_time_ms: u64,
        /// The disclosure grant's id.
        pub grant: Hash32,
        /// The grant's expiry, ms since the Unix epoch.
        pub grant_expires_ms: u64,
        /// The proven commitments of the fields the grant covers.
        pub commitments: Vec<SummaryCommitment>,
        /// Proven operating data of other chains.
        pub operating: Vec<ProvenFact>,
        /// Where it stands.
        pub status: LoanStatus,
        /// Height of the application.
        pub applied_at: u64,
        /// The reviewer's notes (empty until reviewed).
        pub notes: String,
        /// The decision, once made.
        pub decision: Option<Decision>,
    }
}

canonical_struct! {
    /// The financing of an invoice (`financing/<number>`), by whichever bank first.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct FinancingRecord {
        /// The invoice.
        pub number: InvoiceNumber,
        /// The financing bank.
        pub bank: String,
        /// The seller, financed.
        pub uscc: Uscc,
        /// The loan it is financed under, if any.
        pub loan: Option<Hash32>,
        /// Amount advanced, fen.
        pub amount: i64,
        /// The invoice's total with tax, fen, as proven.
        pub invoice_total: i64,
        /// The tax chain's id.
        pub tax_chain: String,
        /// The tax header height of the latest proof of its status.
        pub proof_height: u64,
        /// That header's time, ms.
        pub proof_time_ms: u64,
        /// Where it stands.
        pub status: FinancingStatus,
        /// Height of the financing.
        pub financed_at: u64,
        /// Height of the last change of status.
        pub updated_at: u64,
        /// The alert raised when it went at risk.
        pub alert: Option<Hash32>,
    }
}

canonical_struct! {
    /// An alert to a bank (`finance-alert/<id>`): a financed invoice was proven reversed
    /// or flagged on the tax chain.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct FinanceAlert {
        /// Its id.
        pub id: Hash32,
        /// The bank alerted.
        pub bank: String,
        /// The invoice.
        pub number: InvoiceNumber,
        /// `reversed` or `flagged`.
        pub reason: String,
        /// The tax header height of the proof.
        pub tax_height: u64,
        /// Height it was raised at.
        pub raised_at: u64,
        /// Block time it was raised at, ms.
        pub time_ms: u64,
    }
}
