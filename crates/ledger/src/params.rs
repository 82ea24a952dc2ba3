//! The chain's parameters: the platform's own (chain mechanics, risk rules) and every
//! registered application's, with their genesis values.
//!
//! `chain/mechanics` (block transaction cap, expiry window, clock drift, and the rate
//! limits that are the consortium's policy rather than one operator's capacity) and
//! `risk/rules` take effect at an activation height; where a block's verification
//! depends on them, they are read from the state at the block's `state_height` (the
//! state every validator has agreed on) for the block's own height.

use crate::{apps, Error, Result};
use fapiao_app::{Param, ParamSpec, Timing};
use fapiao_types::{
    ConsensusParams, Effective, Genesis, ParamSchedule, ParamValue, ParamVersion, StateKey,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Chain mechanics *(governed)*.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChainMechanics {
    /// Most transactions in one block (at most the genesis `consensus.max_block_txs`,
    /// which bounds block decoding).
    pub max_block_txs: u32,
    /// A transaction's expiry may be at most this many blocks after the current height.
    pub expiry_window: u64,
    /// How far ahead of a validator's clock a block's time may be before it waits.
    pub max_clock_drift_ms: u64,
    /// Verifications of one invoice number per minute without a token (`GET /v1/verify`,
    /// the proof and the verify page), so that nobody sweeps dates and totals for it.
    #[serde(default = "default_verify_per_minute")]
    pub verify_per_minute: u32,
    /// Transactions with a bad signature a sender may send per minute before the
    /// sender's transactions are refused unverified for a while (`signatures_throttled`).
    #[serde(default = "default_bad_signatures_per_minute")]
    pub bad_signatures_per_minute: u32,
}

fn default_verify_per_minute() -> u32 {
    VERIFY_PER_MINUTE
}

fn default_bad_signatures_per_minute() -> u32 {
    BAD_SIGNATURES_PER_MINUTE
}

/// The default of [`ChainMechanics::verify_per_minute`].
pub const VERIFY_PER_MINUTE: u32 = 30;
/// The default of [`ChainMechanics::bad_signatures_per_minute`].
pub const BAD_SIGNATURES_PER_MINUTE: u32 = 8;

impl Default for ChainMechanics {
    fn default() -> Self {
        Self::from(&ConsensusParams::default())
    }
}

impl From<&ConsensusParams> for ChainMechanics {
    fn from(c: &ConsensusParams) -> Self {
        ChainMechanics {
            max_block_txs: c.max_block_txs,
            expiry_window: c.expiry_window,
            max_clock_drift_ms: c.max_clock_drift_ms,
            verify_per_minute: VERIFY_PER_MINUTE,
            bad_signatures_per_minute: BAD_SIGNATURES_PER_MINUTE,
        }
    }
}

impl Param for ChainMechanics {
    const ID: &'static str = "chain/mechanics";
    const TIMING: Timing = Timing::Height;
    const ABOUT: &'static str = "block transaction cap, transaction expiry window, tolerated \
        clock drift, and the consortium's rate limits: verifications per invoice number and \
        bad signatures per sender, per minute";

    fn check(&self) -> core::result::Result<(), String> {
        if !(1..=100_000).contains(&self.max_block_txs) {
            return Err("max_block_txs must be between 1 and 100000".into());
        }
        if !(1..=100_000).contains(&self.expiry_window) {
            return Err("expiry_window must be between 1 and 100000".into());
        }
        if self.max_clock_drift_ms > 60_000 {
            return Err("max_clock_drift_ms must be at most 60000".into());
        }
        if !(1..=10_000).contains(&self.verify_per_minute) {
            return Err("verify_per_minute must be between 1 and 10000".into());
        }
        if !(1..=10_000).contains(&self.bad_signatures_per_minute) {
            return Err("bad_signatures_per_minute must be between 1 and 10000".into());
        }
        Ok(())
    }
}

/// The risk rules' parameters *(governed)*: derived alerts use the version in force at
/// the block's height.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RiskRules(pub fapiao_risk::RiskParams);

impl Param for RiskRules {
    const ID: &'static str = "risk/rules";
    const TIMING: Timing = Timing::Height;
    const ABOUT: &'static str = "thresholds and windows of the risk rules (volume jump, \
        invoicing rings, issue-then-reverse)";
}

/// Every parameter of the chain: the platform's, then each application's.
pub fn all() -> Vec<ParamSpec> {
    let mut out = vec![ParamSpec::of::<ChainMechanics>(), ParamSpec::of::<RiskRules>()];
    for app in apps::APPS {
        out.extend(app.params());
    }
    out
}

/// The spec of parameter `id`.
pub fn spec(id: &str) -> Option<ParamSpec> {
    all().into_iter().find(|s| s.id == id)
}

/// The genesis schedules: version 0 of every parameter — the genesis file's value when
/// it names one, the consensus section for `chain/mechanics`, the default otherwise.
///
/// # Errors
/// An unknown parameter id or a value its application refuses.
pub(crate) fn genesis_schedules(genesis: &Genesis) -> Result<BTreeMap<String, ParamSchedule>> {
    let specs = all();
    if let Some(id) = genesis.params.keys().find(|id| !specs.iter().any(|s| s.id == id.as_str())) {
        return Err(Error::Genesis(format!("params: unknown parameter {id:?}")));
    }
    let mut out = BTreeMap::new();
    for spec in specs {
        let text = match genesis.params.get(spec.id) {
            Some(v) => (spec.canonical)(v)
                .map_err(|e| Error::Genesis(format!("params.{}: {e}", spec.id)))?,
            None if spec.id == ChainMechanics::ID => {
                let m = ChainMechanics::from(&genesis.consensus);
                serde_json::to_string(&m).map_err(|e| Error::Genesis(e.to_string()))?
            }
            None => (spec.default)(),
        };
        let effective = match spec.timing {
            Timing::Height => Effective::AtHeight(0),
            Timing::Date => Effective::OnDate(0),
        };
        let version = ParamVersion {
            version: 0,
            effective,
            value: ParamValue(text),
            enacted_at: 0,
            proposal: 0,
        };
        out.insert(spec.id.to_string(), ParamSchedule { versions: vec![version] });
    }
    Ok(out)
}

/// The key of parameter `id`.
pub(crate) fn key(id: &str) -> StateKey {
    StateKey::Param(id.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameter_ids_are_unique_and_named_by_their_owner() {
        let specs = all();
        let mut ids: Vec<&str> = specs.iter().map(|s| s.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), specs.len(), "a parameter id is declared twice");
        for s in &specs {
            assert!(fapiao_types::governance::valid_param_id(s.id), "{}", s.id);
            let owner = s.id.split('/').next().unwrap_or_default();
            assert!(
                ["chain", "risk"].contains(&owner) || apps::APPS.iter().any(|a| a.name() == owner),
                "{} is not named after its owner",
                s.id
            );
            let text = (s.default)();
            assert_eq!(s.canonical_text(&text).unwrap(), text, "{}: default not canonical", s.id);
        }
    }
}
