//! A claim about another chain's state as a transaction carries it ([`StateClaim`]), and
//! its JSON form for clients ([`ClaimJson`]): the key, its value (or its absence) and the
//! Merkle proof of it against a header of that chain the light client keeps.

use crate::Blob;
use fapiao_types::canonical_struct;

/// The longest state key a claim carries, in bytes.
pub const MAX_CLAIM_KEY: usize = 256;

canonical_struct! {
    /// A (key, value) of a registered chain's state — or the key's absence — with its
    /// proof against that chain's header at `height`, which must be in this chain's
    /// window (`fapiao_crosschain::proven` checks it).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct StateClaim {
        /// The source chain's id (as registered).
        pub chain_id: String,
        /// The source header's height.
        pub height: u64,
        /// The state key's path (`invoice/<number>`).
        pub key: String,
        /// Its canonical record (a private kind's record, not its commitment); absent to
        /// claim the key is absent.
        pub value: Option<Blob>,
        /// The source node's QMDB state proof (`GET /v1/state/{key}?proof=true`): a value or
        /// absence proof as `fapiao_verify::current` decodes it (docs/formats.md §9.1).
        pub proof: Blob,
    }
}

/// A [`StateClaim`] in JSON: bytes in lower-case hex.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ClaimJson {
    /// The source chain's id.
    pub chain_id: String,
    /// The source header's height.
    pub height: u64,
    /// The state key's path.
    pub key: String,
    /// The value's canonical encoding in hex; `null` for an absent key.
    pub value: Option<String>,
    /// The proof in hex.
    pub proof: String,
}

impl ClaimJson {
    /// The claim it spells.
    ///
    /// # Errors
    /// [`fapiao_types::Error::Invalid`] naming `key`, `value` or `proof` when one is not
    /// well formed.
    pub fn to_claim(&self) -> fapiao_types::Result<StateClaim> {
        let hex = |field: &'static str, s: &str| {
            hex::decode(s).map_err(|e| fapiao_types::Error::invalid(field, e.to_string()))
        };
        if self.key.is_empty() || self.key.len() > MAX_CLAIM_KEY {
            return Err(fapiao_types::Error::invalid("key", "1 to 256 bytes"));
        }
        let value = match &self.value {
            Some(v) => Some(Blob(hex("value", v)?)),
            None => None,
        };
        let proof = Blob(hex("proof", &self.proof)?);
        for (field, b) in [("value", value.as_ref()), ("proof", Some(&proof))] {
            if b.is_some_and(|b| b.0.len() > crate::MAX_BLOB) {
                return Err(fapiao_types::Error::invalid(field, "longer than 16 KiB"));
            }
        }
        Ok(StateClaim {
            chain_id: self.chain_id.clone(),
            height: self.height,
            key: self.key.clone(),
            value,
            proof,
        })
    }
}

impl From<&StateClaim> for ClaimJson {
    fn from(c: &StateClaim) -> Self {
        ClaimJson {
            chain_id: c.chain_id.clone(),
            height: c.height,
            key: c.key.clone(),
            value: c.value.as_ref().map(|v| hex::encode(&v.0)),
            proof: hex::encode(&c.proof.0),
        }
    }
}
