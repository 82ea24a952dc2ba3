//! The light client's governed parameters: the chains it follows
//! (`params/crosschain/chains`) and how many headers it keeps per chain
//! (`params/crosschain/window`). Both are chain mechanics: a new version takes effect
//! at an activation height, after the governance activation delay.

use fapiao_app::{Param, Timing};
use serde::{Deserialize, Serialize};

/// Longest chain id, as `genesis.json` allows.
const MAX_CHAIN_ID: usize = 64;
/// Most validators of a registered chain (as `fapiao init` allows).
const MAX_VALIDATORS: usize = 64;

/// One registered chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisteredChain {
    /// Its chain id text (its headers carry the SHA-256 of it).
    pub chain_id: String,
    /// Hex of its genesis header's digest.
    pub genesis_hash: String,
    /// Hex of its validators' Ed25519 keys, in its genesis order.
    pub validators: Vec<String>,
}

impl RegisteredChain {
    /// Its genesis hash.
    ///
    /// # Errors
    /// Not 64 hex digits (a stored value was checked, so only a hand-built one fails).
    pub fn genesis(&self) -> core::result::Result<[u8; 32], String> {
        hex32(&self.genesis_hash)
            .ok_or_else(|| format!("{}: genesis_hash is not 32 bytes of hex", self.chain_id))
    }

    /// Its validators' keys, genesis order.
    ///
    /// # Errors
    /// A key that is not 32 bytes of hex.
    pub fn keys(&self) -> core::result::Result<Vec<[u8; 32]>, String> {
        self.validators
            .iter()
            .map(|k| {
                hex32(k).ok_or_else(|| {
                    format!("{}: validator key {k:?} is not 32 bytes of hex", self.chain_id)
                })
            })
            .collect()
    }

    fn check(&self) -> core::result::Result<(), String> {
        let id_ok = !self.chain_id.is_empty()
            && self.chain_id.len() <= MAX_CHAIN_ID
            && self.chain_id.bytes().all(|b| b.is_ascii_graphic());
        if !id_ok {
            return Err(format!("chain id {:?}: 1–64 printable ASCII characters", self.chain_id));
        }
        self.genesis()?;
        let keys = self.keys()?;
        if keys.is_empty() || keys.len() > MAX_VALIDATORS {
            return Err(format!("{}: 1–{MAX_VALIDATORS} validators", self.chain_id));
        }
        for (i, k) in keys.iter().enumerate() {
            if ed25519_consensus::VerificationKey::try_from(*k).is_err() {
                return Err(format!("{}: validator {i} is not an Ed25519 key", self.chain_id));
            }
            if keys[..i].contains(k) {
                return Err(format!("{}: validator {i} is listed twice", self.chain_id));
            }
        }
        Ok(())
    }
}

fn hex32(s: &str) -> Option<[u8; 32]> {
    let bytes = hex::decode(s).ok()?;
    // Lower-case only: the stored text is the canonical one.
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        return None;
    }
    bytes.try_into().ok()
}

/// The chains this chain follows *(chain mechanics: takes effect at an activation
/// height)*. Registering, replacing or dropping one is a governance proposal of a new
/// version of the whole list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisteredChains {
    /// The chains, each chain id once.
    pub chains: Vec<RegisteredChain>,
}

impl RegisteredChains {
    /// The chain with id `chain_id`.
    pub fn get(&self, chain_id: &str) -> Option<&RegisteredChain> {
        self.chains.iter().find(|c| c.chain_id == chain_id)
    }
}

impl Param for RegisteredChains {
    const ID: &'static str = "crosschain/chains";
    const TIMING: Timing = Timing::Height;
    const ABOUT: &'static str = "The chains whose certified headers this chain's light client \
        accepts: each chain id, genesis hash (hex) and validators' Ed25519 keys (hex, genesis \
        order); the source chain's validator set is fixed by its genesis";

    fn check(&self) -> core::result::Result<(), String> {
        for (i, c) in self.chains.iter().enumerate() {
            c.check()?;
            if self.chains[..i].iter().any(|o| o.chain_id == c.chain_id) {
                return Err(format!("chain {} is listed twice", c.chain_id));
            }
        }
        Ok(())
    }
}

/// How many verified headers the light client keeps per chain *(chain mechanics)*.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WindowPolicy {
    /// Headers kept per registered chain (the most recent by height); a proof must be
    /// against one of them.
    pub headers: u32,
}

impl Default for WindowPolicy {
    fn default() -> Self {
        WindowPolicy { headers: 64 }
    }
}

impl Param for WindowPolicy {
    const ID: &'static str = "crosschain/window";
    const TIMING: Timing = Timing::Height;
    const ABOUT: &'static str = "How many of each registered chain's most recent verified \
        headers the light client keeps; a proof against an older header is stale";

    fn check(&self) -> core::result::Result<(), String> {
        if !(1..=1024).contains(&self.headers) {
            return Err("headers must be between 1 and 1024".into());
        }
        Ok(())
    }
}
