//! The genesis file (`genesis.json`): chain id, organisations with their admin keys,
//! validators and consensus parameters.
//!
//! [`Genesis::from_json`] parses and validates it; everything downstream trusts the
//! validated value.

use crate::{
    hash::sha256, state::valid_org_id, tx::MAX_CHAIN_ID, Error, Hash32, OrgKind, PublicKey,
};
use serde::{Deserialize, Serialize};
use std::{
    collections::{BTreeMap, BTreeSet},
    net::SocketAddr,
};

/// Consensus and admission parameters every node must agree on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsensusParams {
    /// Target interval between blocks, in milliseconds (empty blocks included).
    #[serde(default = "defaults::block_interval_ms")]
    pub block_interval_ms: u64,
    /// How far ahead of the current height a transaction's expiry may be.
    #[serde(default = "defaults::expiry_window")]
    pub expiry_window: u64,
    /// Most transactions in one block.
    #[serde(default = "defaults::max_block_txs")]
    pub max_block_txs: u32,
    /// Largest encoded signed transaction, in bytes.
    #[serde(default = "defaults::max_tx_bytes")]
    pub max_tx_bytes: u32,
    /// How long a validator waits for a leader's proposal, in milliseconds.
    #[serde(default = "defaults::leader_timeout_ms")]
    pub leader_timeout_ms: u64,
    /// How long a validator waits for a notarization, in milliseconds.
    #[serde(default = "defaults::notarization_timeout_ms")]
    pub notarization_timeout_ms: u64,
    /// How far ahead of a validator's clock a proposal's time may be before it waits
    /// (rather than votes) until its clock catches up, in milliseconds. Left out of the
    /// JSON at its default, so genesis files written before it existed keep their bytes
    /// and their fingerprint.
    #[serde(
        default = "defaults::max_clock_drift_ms",
        skip_serializing_if = "defaults::is_default_clock_drift"
    )]
    pub max_clock_drift_ms: u64,
}

mod defaults {
    pub fn block_interval_ms() -> u64 {
        500
    }
    pub fn expiry_window() -> u64 {
        600
    }
    pub fn max_block_txs() -> u32 {
        5_000
    }
    pub fn max_tx_bytes() -> u32 {
        64 * 1024
    }
    pub fn leader_timeout_ms() -> u64 {
        2_000
    }
    pub fn notarization_timeout_ms() -> u64 {
        3_000
    }
    pub fn max_clock_drift_ms() -> u64 {
        2_000
    }
    pub fn is_default_clock_drift(ms: &u64) -> bool {
        *ms == max_clock_drift_ms()
    }
}

impl Default for ConsensusParams {
    fn default() -> Self {
        Self {
            block_interval_ms: defaults::block_interval_ms(),
            expiry_window: defaults::expiry_window(),
            max_block_txs: defaults::max_block_txs(),
            max_tx_bytes: defaults::max_tx_bytes(),
            leader_timeout_ms: defaults::leader_timeout_ms(),
            notarization_timeout_ms: defaults::notarization_timeout_ms(),
            max_clock_drift_ms: defaults::max_clock_drift_ms(),
        }
    }
}

/// An admin key of an organisation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisAdmin {
    /// Display name.
    pub name: String,
    /// `ed25519` or `sm2`.
    pub suite: String,
    /// Hex of the raw key bytes.
    pub public_key: String,
}

/// An optional USCC whose absence may be written as an empty text.
fn empty_is_none<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> core::result::Result<Option<crate::Uscc>, D::Error> {
    let s = <Option<std::borrow::Cow<'de, str>>>::deserialize(d)?;
    match s.as_deref() {
        None | Some("") => Ok(None),
        Some(t) => crate::Uscc::parse(t).map(Some).map_err(serde::de::Error::custom),
    }
}

/// An organisation in the genesis file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisOrg {
    /// Id (`[a-z0-9-]{1,64}`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Kind.
    pub kind: OrgKind,
    /// Taxpayer id (USCC) where it has one (an empty text, as files before the typed
    /// field wrote it, reads as none).
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "empty_is_none")]
    pub tax_id: Option<crate::Uscc>,
    /// Admin keys (each gets the `org.admin` role).
    pub admins: Vec<GenesisAdmin>,
}

/// A validator in the genesis file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisValidator {
    /// Display name.
    pub name: String,
    /// Organisation that runs it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub org: String,
    /// Hex of its Ed25519 consensus and network public key.
    pub public_key: String,
    /// `host:port` of its peer-to-peer listener.
    pub p2p_address: String,
}

/// A full node of the consortium: it does not vote, but its key may call the
/// node-to-node routes (block sync, relay, attestation) of every node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisNode {
    /// Display name.
    pub name: String,
    /// Organisation that runs it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub org: String,
    /// Hex of its Ed25519 node key.
    pub public_key: String,
}

/// A validated validator entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidatorInfo {
    /// Display name.
    pub name: String,
    /// Ed25519 public key.
    pub public_key: [u8; 32],
    /// Peer-to-peer address.
    pub p2p_address: SocketAddr,
}

/// The genesis file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Genesis {
    /// The chain id (transactions name it).
    pub chain_id: String,
    /// Time of the genesis block, in milliseconds since the Unix epoch.
    pub genesis_time_ms: u64,
    /// Consensus parameters.
    #[serde(default)]
    pub consensus: ConsensusParams,
    /// Organisations.
    pub organisations: Vec<GenesisOrg>,
    /// Validators, in consensus order.
    pub validators: Vec<GenesisValidator>,
    /// Full nodes whose keys may call the node-to-node routes (validators may too).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub full_nodes: Vec<GenesisNode>,
    /// A demo chain (`fapiao demo`, `fapiao init --demo`): its keystore passphrase is
    /// printed in public, and nodes refuse that passphrase on any other chain.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub demo: bool,
    /// Who enacts governance proposals, and how far ahead parameters take effect.
    #[serde(default)]
    pub governance: crate::GovernanceConfig,
    /// Initial values of parameters, by id (`<app>/<name>`), overriding each
    /// application's default; each becomes version 0 of its schedule.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, serde_json::Value>,
}

impl Genesis {
    /// Parses and validates a genesis file.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming the first field at fault.
    pub fn from_json(text: &str) -> crate::Result<Self> {
        let g: Genesis =
            serde_json::from_str(text).map_err(|e| Error::invalid("genesis", e.to_string()))?;
        g.validate()?;
        Ok(g)
    }

    /// Pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Checks every field.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming the first field at fault.
    pub fn validate(&self) -> crate::Result<()> {
        if self.chain_id.is_empty()
            || self.chain_id.len() > MAX_CHAIN_ID
            || !self.chain_id.bytes().all(|b| b.is_ascii_graphic())
        {
            return Err(Error::invalid("chain_id", "1-64 printable ASCII characters"));
        }
        let c = &self.consensus;
        if c.block_interval_ms < 10 || c.block_interval_ms > 60_000 {
            return Err(Error::invalid("consensus.block_interval_ms", "between 10 and 60000"));
        }
        if c.expiry_window == 0 || c.expiry_window > 100_000 {
            return Err(Error::invalid("consensus.expiry_window", "between 1 and 100000"));
        }
        if c.max_block_txs == 0 || c.max_block_txs > 100_000 {
            return Err(Error::invalid("consensus.max_block_txs", "between 1 and 100000"));
        }
        if c.max_tx_bytes < 256 || c.max_tx_bytes > 4 * 1024 * 1024 {
            return Err(Error::invalid("consensus.max_tx_bytes", "between 256 and 4 MiB"));
        }
        if c.leader_timeout_ms <= c.block_interval_ms {
            return Err(Error::invalid(
                "consensus.leader_timeout_ms",
                "must exceed block_interval_ms (a leader waits that long to propose)",
            ));
        }
        if c.notarization_timeout_ms <= c.leader_timeout_ms || c.notarization_timeout_ms > 600_000 {
            return Err(Error::invalid(
                "consensus.notarization_timeout_ms",
                "must exceed leader_timeout_ms and be at most 600000",
            ));
        }
        if c.max_clock_drift_ms > 60_000 {
            return Err(Error::invalid("consensus.max_clock_drift_ms", "at most 60000"));
        }
        let mut ids = BTreeSet::new();
        let mut keys = BTreeSet::new();
        if self.organisations.is_empty() {
            return Err(Error::invalid("organisations", "at least one organisation"));
        }
        for org in &self.organisations {
            if !valid_org_id(&org.id) {
                return Err(Error::invalid("organisations.id", format!("bad id {:?}", org.id)));
            }
            if !ids.insert(org.id.as_str()) {
                return Err(Error::invalid("organisations.id", format!("duplicate {:?}", org.id)));
            }
            if org.name.is_empty() || org.name.len() > crate::tx::MAX_NAME {
                return Err(Error::invalid("organisations.name", "1-128 bytes"));
            }
            if org.admins.is_empty() {
                return Err(Error::invalid(
                    "organisations.admins",
                    format!("{} has no admin key", org.id),
                ));
            }
            for a in &org.admins {
                if a.name.is_empty() || a.name.len() > crate::tx::MAX_NAME {
                    return Err(Error::invalid("admins.name", "1-128 bytes"));
                }
                let pk = PublicKey::from_hex(&a.suite, &a.public_key)?;
                if !keys.insert(pk) {
                    return Err(Error::invalid("admins.public_key", "a key appears twice"));
                }
            }
        }
        let gov = &self.governance;
        if gov.threshold == 0 || gov.threshold as usize > self.organisations.len() {
            return Err(Error::invalid(
                "governance.threshold",
                "between 1 and the number of organisations",
            ));
        }
        if gov.proposal_ttl == 0 {
            return Err(Error::invalid("governance.proposal_ttl", "at least 1 block"));
        }
        if let Some(id) = self.params.keys().find(|id| !crate::governance::valid_param_id(id)) {
            return Err(Error::invalid("params", format!("bad parameter id {id:?}")));
        }
        if self.validators.is_empty() {
            return Err(Error::invalid("validators", "at least one validator"));
        }
        let mut vkeys = BTreeSet::new();
        for v in self.validator_infos()? {
            if !vkeys.insert(v.public_key) {
                return Err(Error::invalid("validators.public_key", "a key appears twice"));
            }
        }
        for n in &self.full_nodes {
            if n.name.is_empty() || n.name.len() > crate::tx::MAX_NAME {
                return Err(Error::invalid("full_nodes.name", "1-128 bytes"));
            }
            let key = crate::parse_hex32("full_nodes.public_key", &n.public_key)?;
            if !vkeys.insert(key) {
                return Err(Error::invalid(
                    "full_nodes.public_key",
                    "a key appears twice (among validators and full nodes)",
                ));
            }
        }
        Ok(())
    }

    /// Every key that may call the node-to-node routes, with its display name:
    /// the validators' consensus keys, then the full nodes' keys.
    ///
    /// # Errors
    /// [`Error::Invalid`] for a bad key.
    pub fn node_keys(&self) -> crate::Result<Vec<([u8; 32], String)>> {
        let mut out = Vec::with_capacity(self.validators.len() + self.full_nodes.len());
        for v in &self.validators {
            out.push((crate::parse_hex32("validators.public_key", &v.public_key)?, v.name.clone()));
        }
        for n in &self.full_nodes {
            out.push((crate::parse_hex32("full_nodes.public_key", &n.public_key)?, n.name.clone()));
        }
        Ok(out)
    }

    /// The validators, typed, in genesis order.
    ///
    /// # Errors
    /// [`Error::Invalid`] for a bad key or address.
    pub fn validator_infos(&self) -> crate::Result<Vec<ValidatorInfo>> {
        self.validators
            .iter()
            .map(|v| {
                let public_key = crate::parse_hex32("validators.public_key", &v.public_key)?;
                let p2p_address = v
                    .p2p_address
                    .parse()
                    .map_err(|_| Error::invalid("validators.p2p_address", &v.p2p_address))?;
                Ok(ValidatorInfo { name: v.name.clone(), public_key, p2p_address })
            })
            .collect()
    }

    /// SHA-256 of the chain id, as carried in headers.
    pub fn chain_id_hash(&self) -> Hash32 {
        sha256(self.chain_id.as_bytes())
    }

    /// The organisation with `id`.
    pub fn org(&self, id: &str) -> Option<&GenesisOrg> {
        self.organisations.iter().find(|o| o.id == id)
    }
}
