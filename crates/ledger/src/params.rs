//! The chain's parameters: the platform's own (chain mechanics, risk rules) and every
//! registered application's, with their genesis values.
//!
//! `chain/mechanics` (block transaction cap, expiry window, clock drift) and
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
}

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
        }
    }
}

impl Param for ChainMechanics {
    const ID: &'static str = "chain/mechanics";
    const TIMING: Timing = Timing::Height;
    const ABOUT: &'static str =
        "block transaction cap, transaction expiry window and tolerated clock drift";

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
