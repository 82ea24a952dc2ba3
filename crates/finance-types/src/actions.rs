//! The finance application's actions: [`FinanceAction`], its specs and its decoder.
//!
//! One payload per tag of `0xb0..=0xbf` (docs/formats.md §25.1); `0xb0–0xb5` are used.

use bytes::{Buf as _, BufMut};
use commonware_codec::{Buf, Copying, Error as CodecError};
use core::ops::RangeInclusive;
use fapiao_crosschain_types::StateClaim;
use fapiao_types::{
    canonical_struct, field::Field, Action, ActionBodies, ActionSpec, AppAction, Hash32, Role,
};
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
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NotFinanceAction {
    /// A platform action, or another application's.
    Foreign {
        /// Its name.
        name: &'static str,
    },
    /// One of its tags whose body does not decode.
    BadBody {
        /// The action's name.
        name: &'static str,
        /// What the decoder said.
        error: String,
    },
}

impl core::fmt::Display for NotFinanceAction {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Foreign { name } => write!(f, "{name} is not a finance action"),
            Self::BadBody { name, error } => {
                write!(f, "the body of {name} does not decode: {error}")
            }
        }
    }
}

impl std::error::Error for NotFinanceAction {}

/// What a finance transaction does.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FinanceAction {
    /// Apply for a loan.
    ApplyLoan(ApplyLoan),
    /// Review a loan.
    ReviewLoan(ReviewLoan),
    /// Decide a loan.
    DecideLoan(DecideLoan),
    /// Finance an invoice.
    FinanceInvoice(FinanceInvoice),
    /// Report a financed invoice's reversal.
    ReportReversal(ReportReversal),
    /// Settle a financing.
    SettleFinancing(SettleFinancing),
}

const BANK: Option<Role> = Some(Role::BankOfficer);

impl FinanceAction {
    /// The spec of every action (tag, name, role).
    pub const SPECS: &'static [ActionSpec] = &[
        ActionSpec { tag: 0xb0, name: "finance_apply_loan", role: BANK, keyless: false },
        ActionSpec { tag: 0xb1, name: "finance_review_loan", role: BANK, keyless: false },
        ActionSpec { tag: 0xb2, name: "finance_decide_loan", role: BANK, keyless: false },
        ActionSpec { tag: 0xb3, name: "finance_finance_invoice", role: BANK, keyless: false },
        ActionSpec { tag: 0xb4, name: "finance_report_reversal", role: None, keyless: false },
        ActionSpec { tag: 0xb5, name: "finance_settle_financing", role: BANK, keyless: false },
    ];

    /// Its spec.
    pub fn spec(&self) -> &'static ActionSpec {
        let i = match self {
            FinanceAction::ApplyLoan(_) => 0,
            FinanceAction::ReviewLoan(_) => 1,
            FinanceAction::DecideLoan(_) => 2,
            FinanceAction::FinanceInvoice(_) => 3,
            FinanceAction::ReportReversal(_) => 4,
            FinanceAction::SettleFinancing(_) => 5,
        };
        &Self::SPECS[i]
    }

    /// Its one-byte tag.
    pub fn tag(&self) -> u8 {
        self.spec().tag
    }

    /// Its stable name.
    pub fn name(&self) -> &'static str {
        self.spec().name
    }

    /// Reads the payload of action `tag`.
    ///
    /// # Errors
    /// An unknown tag (`InvalidEnum`) or a malformed payload.
    pub fn read_body(tag: u8, buf: &mut impl Buf) -> Result<Self, CodecError> {
        Ok(match tag {
            0xb0 => FinanceAction::ApplyLoan(ApplyLoan::read_field(buf)?),
            0xb1 => FinanceAction::ReviewLoan(ReviewLoan::read_field(buf)?),
            0xb2 => FinanceAction::DecideLoan(DecideLoan::read_field(buf)?),
            0xb3 => FinanceAction::FinanceInvoice(FinanceInvoice::read_field(buf)?),
            0xb4 => FinanceAction::ReportReversal(ReportReversal::read_field(buf)?),
            0xb5 => FinanceAction::SettleFinancing(SettleFinancing::read_field(buf)?),
            t => return Err(CodecError::InvalidEnum(t)),
        })
    }

    fn write_body(&self, buf: &mut impl BufMut) {
        match self {
            FinanceAction::ApplyLoan(p) => p.write_field(buf),
            FinanceAction::ReviewLoan(p) => p.write_field(buf),
            FinanceAction::DecideLoan(p) => p.write_field(buf),
            FinanceAction::FinanceInvoice(p) => p.write_field(buf),
            FinanceAction::ReportReversal(p) => p.write_field(buf),
            FinanceAction::SettleFinancing(p) => p.write_field(buf),
        }
    }

    fn body_size(&self) -> usize {
        match self {
            FinanceAction::ApplyLoan(p) => p.field_size(),
            FinanceAction::ReviewLoan(p) => p.field_size(),
            FinanceAction::DecideLoan(p) => p.field_size(),
            FinanceAction::FinanceInvoice(p) => p.field_size(),
            FinanceAction::ReportReversal(p) => p.field_size(),
            FinanceAction::SettleFinancing(p) => p.field_size(),
        }
    }
}

fn spec_of(tag: u8) -> Option<&'static ActionSpec> {
    FinanceAction::SPECS.iter().find(|s| s.tag == tag)
}

impl From<FinanceAction> for Action {
    fn from(a: FinanceAction) -> Action {
        let mut body = Vec::with_capacity(a.body_size());
        a.write_body(&mut body);
        Action::App(AppAction::from_encoded(a.spec(), body))
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

impl TryFrom<&AppAction> for FinanceAction {
    type Error = NotFinanceAction;

    fn try_from(a: &AppAction) -> Result<Self, NotFinanceAction> {
        let name = a.spec().name;
        if spec_of(a.tag()).is_none_or(|s| !core::ptr::eq(s, a.spec())) {
            return Err(NotFinanceAction::Foreign { name });
        }
        let mut buf = Copying(a.body());
        let action = FinanceAction::read_body(a.tag(), &mut buf)
            .map_err(|e| NotFinanceAction::BadBody { name, error: e.to_string() })?;
        if buf.remaining() != 0 {
            return Err(NotFinanceAction::BadBody { name, error: "trailing bytes".into() });
        }
        Ok(action)
    }
}

impl TryFrom<&Action> for FinanceAction {
    type Error = NotFinanceAction;

    fn try_from(a: &Action) -> Result<Self, NotFinanceAction> {
        match a {
            Action::App(app) => FinanceAction::try_from(app),
            other => Err(NotFinanceAction::Foreign { name: other.name() }),
        }
    }
}

/// The decoder of the finance application's action bodies.
#[derive(Clone, Copy, Debug, Default)]
pub struct FinanceBodies;

impl ActionBodies for FinanceBodies {
    fn tags(&self) -> RangeInclusive<u8> {
        FINANCE_TAGS
    }

    fn spec(&self, tag: u8) -> Option<&'static ActionSpec> {
        spec_of(tag)
    }

    fn body_len(&self, tag: u8, bytes: &[u8]) -> Result<usize, CodecError> {
        let mut buf = Copying(bytes);
        FinanceAction::read_body(tag, &mut buf)?;
        Ok(bytes.len() - buf.remaining())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
