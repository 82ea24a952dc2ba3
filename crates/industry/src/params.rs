//! The pin of the chain secret (`params/industry/secret`): the public identifier
//! ([`fapiao_types::commit::secret_id`]) of the secret the commitments are computed
//! under. Execution checks the node's secret against it, so a validator configured with
//! another secret (or none) stops rather than compute another state.

use fapiao_app::{Param, Timing};
use serde::{Deserialize, Serialize};

/// The industry chain's secret pin *(chain mechanics: takes effect at an activation
/// height)*.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndustrySecret {
    /// `secret_id` of the chain secret, 64 hex digits; `null` (the default): no secret
    /// is pinned and attestations are refused (`industry.no_secret`).
    pub secret_id: Option<String>,
}

impl IndustrySecret {
    /// The pinned identifier, if any.
    ///
    /// # Errors
    /// What is wrong with a stored text (never, once enacted: it was checked).
    pub fn id(&self) -> core::result::Result<Option<fapiao_types::Hash32>, String> {
        self.secret_id
            .as_deref()
            .map(|s| fapiao_types::parse_hex32("secret_id", s).map_err(|e| e.to_string()))
            .transpose()
    }
}

impl Param for IndustrySecret {
    const ID: &'static str = "industry/secret";
    const TIMING: Timing = Timing::Height;
    const ABOUT: &'static str = "The identifier (secret_id) of the chain secret the \
        industry chain's operating figures are committed under; null refuses attestations";

    fn check(&self) -> core::result::Result<(), String> {
        match &self.secret_id {
            Some(s)
                if s.len() != 64 || !s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) =>
            {
                Err("secret_id must be 64 lower-case hex digits".into())
            }
            _ => Ok(()),
        }
    }
}
