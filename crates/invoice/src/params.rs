//! The invoice application's governed tax rules (`params/invoice/tax-rules`): the rate
//! schedule, the document tax tolerance, the line cap, the red-letter deadline, the
//! credit policy and the invoice-number regions, each version with its legal effective
//! date.
//!
//! An invoice is computed with the version in force on its issue date (China time) and
//! records that version (`InvoicePublic::rules_version`); a red invoice copies its blue
//! invoice's rates whatever the current version says. Parsed versions are cached by their
//! canonical text, so a block of invoices parses the rules once.

use crate::{Error, Result, StateAccess};
use fapiao_app::{Param, Timing};
use fapiao_invoice_rules as r;
use serde::{Deserialize, Serialize};
use std::sync::{Arc, Mutex};

/// The tax rules of invoicing *(policy)*.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaxRules {
    /// The rate schedule: which rates exist, when, for which sellers.
    pub rates: Vec<r::RateEntry>,
    /// DOMAIN rule 5: largest `|Σ line tax − Σ per-rate recomputed tax|`, in fen.
    pub document_tax_tolerance_fen: i64,
    /// Most lines on one invoice.
    pub max_lines: u32,
    /// How long a red-letter form waits for the other party, in hours of block time
    /// (DOMAIN: 72); a form uses the rules in force on the day it was raised.
    pub red_form_deadline_hours: u32,
    /// The automatic credit adjustments: restore on red, top-ups for low-risk taxpayers.
    pub credit: crate::CreditPolicy,
    /// The invoice-number regions: which `RR` a seller's division code numbers under.
    pub regions: Vec<r::RegionEntry>,
}

impl Default for TaxRules {
    fn default() -> Self {
        let policy = r::Policy::default();
        TaxRules {
            rates: r::RateTable::default_prc().entries().to_vec(),
            document_tax_tolerance_fen: policy.document_tax_tolerance.fen(),
            max_lines: u32::try_from(policy.max_lines).unwrap_or(u32::MAX),
            red_form_deadline_hours: 72,
            credit: crate::CreditPolicy::default(),
            regions: r::RegionTable::default_prc().entries().to_vec(),
        }
    }
}

impl Param for TaxRules {
    const ID: &'static str = "invoice/tax-rules";
    const TIMING: Timing = Timing::Date;
    const ABOUT: &'static str = "VAT and collection rates by date and seller type, the \
        per-invoice tax tolerance (DOMAIN rule 5), the most lines on one invoice, the red-letter \
        form deadline, the credit policy and the invoice-number regions";

    fn check(&self) -> core::result::Result<(), String> {
        r::RateTable::new(self.rates.clone()).map_err(|e| e.to_string())?;
        r::RegionTable::new(self.regions.clone()).map_err(|e| e.to_string())?;
        if !(0..=10_000).contains(&self.document_tax_tolerance_fen) {
            return Err("document_tax_tolerance_fen must be between 0 and 10000".into());
        }
        if !(1..=2000).contains(&self.max_lines) {
            return Err("max_lines must be between 1 and 2000".into());
        }
        if !(1..=8760).contains(&self.red_form_deadline_hours) {
            return Err("red_form_deadline_hours must be between 1 and 8760".into());
        }
        let c = &self.credit;
        if c.top_up_threshold_percent > 100 || c.top_up_percent > 100 {
            return Err("credit percentages must be at most 100".into());
        }
        if c.low_risk_max_reversed_percent > 100 || c.max_top_ups_per_month > 31 {
            return Err("credit.low_risk_max_reversed_percent at most 100, \
                        credit.max_top_ups_per_month at most 31"
                .into());
        }
        Ok(())
    }
}

/// A version of the rules, ready to compute with.
#[derive(Debug)]
pub(crate) struct Compiled {
    /// Its version number (recorded on the invoice).
    pub version: u32,
    /// The validated rate table.
    pub rates: r::RateTable,
    /// The document policy.
    pub policy: r::Policy,
    /// How long a red-letter form waits for the other party, ms.
    pub red_form_deadline_ms: u64,
    /// The credit policy.
    pub credit: crate::CreditPolicy,
    /// The validated region table.
    pub regions: r::RegionTable,
}

/// Parsed versions by canonical text (a handful at most: versions change rarely).
static CACHE: Mutex<Vec<(u32, String, Arc<Compiled>)>> = Mutex::new(Vec::new());
const CACHE_SIZE: usize = 8;

fn compile(version: u32, text: &str) -> Result<Arc<Compiled>> {
    if let Ok(cache) = CACHE.lock() {
        if let Some((_, _, c)) = cache.iter().find(|(v, t, _)| *v == version && t == text) {
            return Ok(c.clone());
        }
    }
    let rules: TaxRules = serde_json::from_str(text)
        .map_err(|e| Error::Fatal(format!("params/{} version {version}: {e}", TaxRules::ID)))?;
    let rates = r::RateTable::new(rules.rates)
        .map_err(|e| Error::Fatal(format!("params/{} version {version}: {e}", TaxRules::ID)))?;
    let policy = r::Policy {
        document_tax_tolerance: r::Fen::new(rules.document_tax_tolerance_fen)
            .map_err(|e| Error::Fatal(e.to_string()))?,
        max_lines: rules.max_lines as usize,
    };
    let regions = r::RegionTable::new(rules.regions)
        .map_err(|e| Error::Fatal(format!("params/{} version {version}: {e}", TaxRules::ID)))?;
    let red_form_deadline_ms = u64::from(rules.red_form_deadline_hours) * 3_600_000;
    let compiled = Arc::new(Compiled {
        version,
        rates,
        policy,
        red_form_deadline_ms,
        credit: rules.credit,
        regions,
    });
    if let Ok(mut cache) = CACHE.lock() {
        if cache.len() >= CACHE_SIZE {
            cache.remove(0);
        }
        cache.push((version, text.to_string(), compiled.clone()));
    }
    Ok(compiled)
}

/// The rules in force on `date` (`yyyymmdd`, China time).
///
/// # Errors
/// [`Error::Fatal`] when the state cannot be read or a stored version does not parse.
pub(crate) fn on_date(state: &(impl StateAccess + ?Sized), date: u32) -> Result<Arc<Compiled>> {
    let schedule = fapiao_app::params::schedule(state, TaxRules::ID).map_err(fatal)?;
    match schedule.on_date(date) {
        Some(v) => compile(v.version, &v.value.0),
        None => {
            let text = serde_json::to_string(&TaxRules::default())
                .map_err(|e| Error::Fatal(e.to_string()))?;
            compile(0, &text)
        }
    }
}

fn fatal(e: fapiao_app::Error) -> Error {
    Error::Fatal(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_rules_pass_their_own_check_and_round_trip() {
        let d = TaxRules::default();
        d.check().unwrap();
        assert_eq!(d.document_tax_tolerance_fen, 127);
        let spec = fapiao_app::ParamSpec::of::<TaxRules>();
        let text = (spec.default)();
        assert_eq!(spec.canonical_text(&text).unwrap(), text, "the default is canonical");
        let back: TaxRules = serde_json::from_str(&text).unwrap();
        assert_eq!(back, d);
    }

    #[test]
    fn inconsistent_rules_are_refused() {
        let mut t = TaxRules::default();
        t.rates[0].effective_until = Some(20000101);
        assert!(t.check().is_err(), "until before from");
        let t = TaxRules { max_lines: 0, ..TaxRules::default() };
        assert!(t.check().is_err());
        let t = TaxRules { document_tax_tolerance_fen: -1, ..TaxRules::default() };
        assert!(t.check().is_err());
        let spec = fapiao_app::ParamSpec::of::<TaxRules>();
        assert!(spec.canonical_text(r#"{"rates":[]}"#).is_err(), "missing fields");
    }
}
