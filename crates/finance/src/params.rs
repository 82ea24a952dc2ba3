//! The finance application's governed parameter: `params/finance/financing` (chain
//! mechanics, by height) — which registered chain is the tax chain and how fresh an
//! invoice's status proof must be.

use fapiao_app::{Param, Timing};
use serde::{Deserialize, Serialize};

/// The tax chain and the freshness window of invoice proofs *(chain mechanics: takes
/// effect at an activation height)*.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FinancingPolicy {
    /// The registered chain whose grants, summaries and invoices the application
    /// accepts (`fapiao-tax`).
    pub tax_chain: String,
    /// How old, at most, the header of an invoice proof may be at the block's time when
    /// a bank finances or settles, ms (default 10 minutes).
    pub freshness_ms: u64,
}

impl Default for FinancingPolicy {
    fn default() -> Self {
        FinancingPolicy { tax_chain: "fapiao-tax".into(), freshness_ms: 600_000 }
    }
}

impl Param for FinancingPolicy {
    const ID: &'static str = "finance/financing";
    const TIMING: Timing = Timing::Height;
    const ABOUT: &'static str = "The registered chain the finance application takes tax \
        facts from, and how old (ms) an invoice's status proof may be when it is financed or \
        settled";

    fn check(&self) -> core::result::Result<(), String> {
        if self.tax_chain.is_empty() || self.tax_chain.len() > 64 {
            return Err("tax_chain: 1 to 64 characters".into());
        }
        if !(1_000..=86_400_000).contains(&self.freshness_ms) {
            return Err("freshness_ms must be between 1 second and 1 day".into());
        }
        Ok(())
    }
}
