//! [`proven`]: whether a registered chain's state held a (key, value) — or did not hold a
//! key — at a header of the window. The function other applications call (the finance
//! chain's loan and invoice-financing applications, next), from their own `apply`.

use crate::{relay::window, Code, Error, Result, StateAccess};
use fapiao_crosschain_types::WindowEntry;

/// What a checked proof establishes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proven {
    /// The window entry of the header the proof is against: its height, its certified
    /// state root, the source state height, its time.
    pub header: WindowEntry,
}

/// A claim about a registered chain's state, as another application receives it.
#[derive(Clone, Copy, Debug)]
pub struct Claim<'a> {
    /// The source chain's id.
    pub chain_id: &'a str,
    /// The height of the source header the proof is against (in the window).
    pub height: u64,
    /// The state key's bytes (its path, `invoice/<number>`).
    pub key: &'a [u8],
    /// Its canonical value; `None` claims the key is absent.
    pub value: Option<&'a [u8]>,
    /// The source node's state proof (`GET /v1/state/{key}?proof=true`, field `proof`):
    /// the engine's encoding of a QMDB `KeyValueProof` (value) or `ExclusionProof`
    /// (absence), as `fapiao_verify::current` decodes it.
    pub proof: &'a [u8],
}

/// Checks `claim` at block height `now` of this chain: its chain is registered in the
/// `crosschain/chains` version in force (a chain dropped by governance proves nothing
/// any more), its header is in the window, and the proof verifies with
/// `fapiao_verify::verify_state_proof` against that header's certified state root.
///
/// # Errors
/// `unknown_chain`, `unknown_header` (no header at that height in the window), `stale`
/// (below the window), `bad_proof`, or [`Error::Fatal`].
pub fn proven(state: &(impl StateAccess + ?Sized), now: u64, claim: &Claim<'_>) -> Result<Proven> {
    let chain = crate::registered(state, claim.chain_id, now)?;
    let kept = window(state, &chain.chain_id)?;
    let Some(header) = kept.at(claim.height).cloned() else {
        let code = if kept.oldest().is_some_and(|o| claim.height < o) {
            Code::Stale
        } else {
            Code::UnknownHeader
        };
        return Err(Error::reject(
            code,
            "height",
            format!("no header of {:?} at height {} in the window", claim.chain_id, claim.height),
        ));
    };
    fapiao_verify::verify_state_proof(&header.state_root, claim.key, claim.value, claim.proof)
        .map_err(|why| Error::reject(Code::BadProof, "proof", why))?;
    Ok(Proven { header })
}

impl<'a> From<&'a fapiao_crosschain_types::StateClaim> for Claim<'a> {
    fn from(c: &'a fapiao_crosschain_types::StateClaim) -> Self {
        Claim {
            chain_id: &c.chain_id,
            height: c.height,
            key: c.key.as_bytes(),
            value: c.value.as_ref().map(|v| v.0.as_slice()),
            proof: &c.proof.0,
        }
    }
}
