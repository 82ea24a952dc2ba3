//! The JSON of the finance routes: requests, and views of the records (bytes in hex,
//! amounts in fen).

use fapiao_crosschain_types::ClaimJson;
use fapiao_finance_types::{FinanceAlert, FinancingRecord, LoanRecord};
use fapiao_industry_types::OperatingPackage;
use fapiao_invoice_types::DisclosurePackage;
use fapiao_types::hex32;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A committed write.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct DoneJson {
    /// The transaction's hash.
    pub tx_hash: String,
    /// The height it was executed at.
    pub height: u64,
}

/// `POST /v1/finance/loans`: the enterprise's package and the loan asked for.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct ApplyRequest {
    /// What the enterprise handed the bank (`GET /v1/disclosures/{id}/package` of its tax
    /// node): the grant and records with their proofs, and the openings.
    #[schema(value_type = Object)]
    pub package: DisclosurePackage,
    /// Amount asked, fen.
    pub amount: i64,
    /// Term asked, months.
    pub term_months: u32,
    /// What for.
    pub purpose: String,
    /// Operating data of the industry chain (claims of keys naming the USCC).
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub operating: Vec<ClaimJson>,
    /// What the enterprise's industry node handed the bank
    /// (`GET /v1/industry/enterprises/{uscc}/package`): the months' `operating-commit`
    /// records with their proofs, carried as operating data, and the openings of the
    /// figures, each checked here against its proven commitment and kept by this node.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub industry: Option<OperatingPackage>,
}

/// The answer to an application.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct AppliedJson {
    /// The loan's id (the transaction's hash).
    pub loan: String,
    /// The height it was executed at.
    pub height: u64,
    /// How many openings of the tax summary this node keeps for it (0 when it keeps no
    /// secrets).
    pub openings_kept: usize,
    /// How many figures of the industry package this node keeps for it (0 when it keeps
    /// no secrets or none were opened).
    #[serde(default)]
    pub figures_kept: usize,
}

/// `POST /v1/finance/loans/{id}/review`.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct ReviewRequest {
    /// The reviewer's notes.
    #[serde(default)]
    pub notes: String,
}

/// `POST /v1/finance/loans/{id}/decision`.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    /// Approve or decline.
    pub approve: bool,
    /// Amount granted, fen (0 on a decline).
    #[serde(default)]
    pub amount: i64,
    /// Yearly rate, basis points (0 on a decline).
    #[serde(default)]
    pub rate_bp: u32,
    /// Term, months (0 on a decline).
    #[serde(default)]
    pub term_months: u32,
    /// Why.
    pub reasons: String,
}

/// A proven commitment and, for its bank, the opened value it verified.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
pub struct FactJson {
    /// The field (`sales`, `vat_paid`, `on_time`, `status`).
    pub field: String,
    /// Its month `yyyymm`; absent for the status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub month: Option<u32>,
    /// The commitment the proof established (hex); absent for a month proven to have no
    /// record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commitment: Option<String>,
    /// The opened value, from the bank's node only (never on the chain).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Whether the opened value opens the commitment proven at the loan's tax height.
    pub verified: bool,
}

/// A decision.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct DecisionJson {
    /// Approved or declined.
    pub approve: bool,
    /// Amount, fen.
    pub amount: i64,
    /// Rate, basis points.
    pub rate_bp: u32,
    /// Term, months.
    pub term_months: u32,
    /// Why.
    pub reasons: String,
    /// Height of the decision.
    pub decided_at: u64,
}

/// A figure of a proven `operating-commit` record, as the bank's node holds it.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
pub struct FigureJson {
    /// `electricity_kwh`, `insured_headcount` or `logistics_tonnes`.
    pub metric: String,
    /// Its month, `yyyymm`.
    pub month: u32,
    /// The commitment the proven record holds (hex).
    pub commitment: String,
    /// The opened figure (decimal text), from the bank's node only (never on the chain).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Whether the opened figure opens the commitment of the record proven at the fact's
    /// height (the record's SHA-256 is the one the loan cites).
    pub verified: bool,
}

/// A proven fact of another chain.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct OperatingJson {
    /// Its chain.
    pub chain_id: String,
    /// The header height.
    pub height: u64,
    /// The key.
    pub key: String,
    /// SHA-256 of its value (hex); absent when proven absent.
    pub value_hash: Option<String>,
    /// For the bank's own node, the figures of an `operating-commit` record it keeps:
    /// each commitment with the opened figure and whether it verified; empty otherwise.
    #[serde(default)]
    pub figures: Vec<FigureJson>,
}

/// A loan as its bank (or the regulator) sees it.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct LoanJson {
    /// Its id.
    pub id: String,
    /// The bank.
    pub bank: String,
    /// The enterprise.
    pub uscc: String,
    /// Amount asked, fen.
    pub amount: i64,
    /// Term asked, months.
    pub term_months: u32,
    /// What for.
    pub purpose: String,
    /// `applied`, `under_review`, `approved`, `declined`.
    pub status: String,
    /// The tax chain.
    pub tax_chain: String,
    /// The tax header height the facts are proven at.
    pub tax_height: u64,
    /// That header's time, ms.
    pub tax_time_ms: u64,
    /// The grant's id.
    pub grant: String,
    /// The grant's expiry, ms.
    pub grant_expires_ms: u64,
    /// Height of the application.
    pub applied_at: u64,
    /// Reviewer's notes.
    pub notes: String,
    /// The facts: commitments, with the opened values for the bank's own node.
    pub facts: Vec<FactJson>,
    /// Proven operating data.
    pub operating: Vec<OperatingJson>,
    /// The decision.
    pub decision: Option<DecisionJson>,
}

impl LoanJson {
    /// The view of `l` with `facts` and, per operating fact in order, its `figures`
    /// (missing entries: none).
    pub fn of(l: &LoanRecord, facts: Vec<FactJson>, mut figures: Vec<Vec<FigureJson>>) -> Self {
        figures.resize_with(l.operating.len(), Vec::new);
        LoanJson {
            id: hex32(&l.id),
            bank: l.bank.clone(),
            uscc: l.uscc.as_str().to_string(),
            amount: l.amount,
            term_months: l.term_months,
            purpose: l.purpose.clone(),
            status: l.status.as_str().to_string(),
            tax_chain: l.tax_chain.clone(),
            tax_height: l.tax_height,
            tax_time_ms: l.tax_time_ms,
            grant: hex32(&l.grant),
            grant_expires_ms: l.grant_expires_ms,
            applied_at: l.applied_at,
            notes: l.notes.clone(),
            facts,
            operating: l
                .operating
                .iter()
                .zip(figures)
                .map(|(o, figures)| OperatingJson {
                    chain_id: o.chain_id.clone(),
                    height: o.height,
                    key: o.key.clone(),
                    value_hash: o.value_hash.as_ref().map(hex32),
                    figures,
                })
                .collect(),
            decision: l.decision.as_ref().map(|d| DecisionJson {
                approve: d.approve,
                amount: d.amount,
                rate_bp: d.rate_bp,
                term_months: d.term_months,
                reasons: d.reasons.clone(),
                decided_at: d.decided_at,
            }),
        }
    }
}

/// `POST /v1/finance/financings`: an invoice's proof as a claim, or the enterprise's
/// invoice proof bundle (`GET /v1/invoices/{number}/proof` of the tax chain, as
/// `fapiao verify` reads it).
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct FinanceRequest {
    /// The seller financed.
    pub uscc: String,
    /// The loan it is financed under (hex), if any.
    #[serde(default)]
    pub loan: Option<String>,
    /// Amount advanced, fen.
    pub amount: i64,
    /// `invoice/<number>` proven against a tax header in the window.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub invoice: Option<ClaimJson>,
    /// Or the invoice proof bundle.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub bundle: Option<fapiao_verify::ProofBundle>,
}

/// `POST /v1/finance/financings/{number}/reversal`.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct ReversalRequest {
    /// `invoice/<number>` proven at a newer header.
    #[schema(value_type = Object)]
    pub invoice: ClaimJson,
}

/// `POST /v1/finance/financings/{number}/settle`.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct SettleRequest {
    /// Repaid by the enterprise (`true`) or settled by the buyer.
    pub repaid: bool,
    /// `invoice/<number>`, fresh.
    #[schema(value_type = Object)]
    pub invoice: ClaimJson,
}

/// A financing.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct FinancingJson {
    /// The invoice.
    pub number: String,
    /// The bank.
    pub bank: String,
    /// The seller.
    pub uscc: String,
    /// The loan, if any.
    pub loan: Option<String>,
    /// Advanced, fen.
    pub amount: i64,
    /// The invoice's total, fen.
    pub invoice_total: i64,
    /// `active`, `at_risk`, `repaid`, `settled`.
    pub status: String,
    /// The tax header height of the latest proof.
    pub proof_height: u64,
    /// Height of the financing.
    pub financed_at: u64,
    /// The alert, when at risk.
    pub alert: Option<String>,
}

impl From<&FinancingRecord> for FinancingJson {
    fn from(f: &FinancingRecord) -> Self {
        FinancingJson {
            number: f.number.as_str().to_string(),
            bank: f.bank.clone(),
            uscc: f.uscc.as_str().to_string(),
            loan: f.loan.as_ref().map(hex32),
            amount: f.amount,
            invoice_total: f.invoice_total,
            status: f.status.as_str().to_string(),
            proof_height: f.proof_height,
            financed_at: f.financed_at,
            alert: f.alert.as_ref().map(hex32),
        }
    }
}

/// An alert to a bank.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct AlertJson {
    /// Its id.
    pub id: String,
    /// The bank.
    pub bank: String,
    /// The invoice.
    pub number: String,
    /// `reversed` or `flagged`.
    pub reason: String,
    /// The tax height of the proof.
    pub tax_height: u64,
    /// Height raised at.
    pub raised_at: u64,
    /// Block time raised at, ms.
    pub time_ms: u64,
}

impl From<&FinanceAlert> for AlertJson {
    fn from(a: &FinanceAlert) -> Self {
        AlertJson {
            id: hex32(&a.id),
            bank: a.bank.clone(),
            number: a.number.as_str().to_string(),
            reason: a.reason.clone(),
            tax_height: a.tax_height,
            raised_at: a.raised_at,
            time_ms: a.time_ms,
        }
    }
}
