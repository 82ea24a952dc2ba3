//! `crosschain_relay_header`: a registered chain's finalized header, verified against
//! its registered validator set and kept in its window.
//!
//! Checks, in order (each refusal has its own code, [`Code`]):
//!
//! 1. the chain is registered in the `crosschain/chains` version in force
//!    (`unknown_chain`);
//! 2. the header decodes exactly (`malformed`), carries SHA-256 of the registered chain
//!    id (`wrong_chain`), is not a genesis header and, at height 1, names the registered
//!    genesis as its parent (`wrong_genesis`);
//! 3. the window: the same header already kept is a no-op (relayers race); a header
//!    lower than every header of a full window is `stale`;
//! 4. the finality blob finalizes this header with a quorum of the registered
//!    validators (`fapiao_verify::verify_certified_by`): `malformed`, `not_certified`,
//!    `too_few_signers`, `bad_signature`;
//! 5. consistency with the kept neighbours: another header at the same height, or a
//!    parent link to the kept header below (or from the kept header above) that does
//!    not hold, is a `conflict` — certified evidence that the source's validators
//!    signed two chains, which the light client refuses to choose between;
//! 6. the header is inserted by height and the window trimmed to `crosschain/window`
//!    headers, dropping the lowest.

use crate::{Code, Error, RegisteredChain, RegisteredChains, Result, StateAccess, WindowPolicy};
use commonware_codec::Encode;
use fapiao_app::Ctx;
use fapiao_crosschain_types::{chain_key, CrosschainKey, HeaderWindow, RelayHeader, WindowEntry};
use fapiao_types::{decode_exact, Header, StateKey};
use fapiao_verify::VerifyError;

/// What a relay did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relayed {
    /// The header was verified and kept.
    Kept,
    /// The same header was already kept (another relayer was first).
    AlreadyKept,
}

/// The registration of `chain_id` in force at `height`.
///
/// # Errors
/// `unknown_chain`, or [`Error::Fatal`] when the parameter cannot be read.
pub fn registered(
    state: &(impl StateAccess + ?Sized),
    chain_id: &str,
    height: u64,
) -> Result<RegisteredChain> {
    let (_, chains) = fapiao_app::params::at_height::<RegisteredChains>(state, height)?;
    chains.get(chain_id).cloned().ok_or_else(|| {
        Error::reject(Code::UnknownChain, "chain", format!("chain {chain_id:?} is not registered"))
    })
}

/// The window of chain `chain_id` (empty when nothing was relayed yet).
///
/// # Errors
/// [`Error::Fatal`] when the state cannot be read or the record does not decode.
pub fn window(state: &(impl StateAccess + ?Sized), chain_id: &str) -> Result<HeaderWindow> {
    let key = StateKey::from(CrosschainKey::window(chain_id));
    match state.read(&key).map_err(Error::Fatal)? {
        None => Ok(HeaderWindow::default()),
        Some(bytes) => decode_exact::<HeaderWindow>(&bytes, &())
            .map_err(|e| Error::Fatal(format!("{key}: {e}"))),
    }
}

/// Applies `crosschain_relay_header`; see the module docs for the checks.
///
/// # Errors
/// [`Error::Rejected`] with a [`Code`], or [`Error::Fatal`].
pub fn relay(
    state: &mut (impl StateAccess + ?Sized),
    r: &RelayHeader,
    ctx: &Ctx<'_>,
) -> Result<Relayed> {
    let chain = registered(state, &r.chain, ctx.height)?;
    let header = decode_exact::<Header>(&r.header.0, &())
        .map_err(|e| Error::reject(Code::Malformed, "header", format!("header: {e}")))?;
    if header.chain_id != chain_key(&chain.chain_id) {
        return Err(Error::reject(
            Code::WrongChain,
            "header.chain_id",
            format!("the header is not of chain {:?}", chain.chain_id),
        ));
    }
    let genesis = chain.genesis().map_err(Error::Fatal)?;
    if header.height == 0 {
        return Err(Error::reject(
            Code::WrongGenesis,
            "header.height",
            "a genesis header is registered, not relayed",
        ));
    }
    if header.height == 1 && header.parent != genesis {
        return Err(Error::reject(
            Code::WrongGenesis,
            "header.parent",
            format!("height 1 does not descend from genesis {}", chain.genesis_hash),
        ));
    }
    let digest = header.digest();
    let mut kept = window(state, &chain.chain_id)?;
    if kept.at(header.height).is_some_and(|e| e.digest == digest) {
        return Ok(Relayed::AlreadyKept);
    }
    let (_, policy) = fapiao_app::params::at_height::<WindowPolicy>(state, ctx.height)?;
    let size = policy.headers as usize;
    if kept.entries.len() >= size && kept.oldest().is_some_and(|o| header.height < o) {
        return Err(Error::reject(
            Code::Stale,
            "header.height",
            format!(
                "height {} is below the window ({} headers from height {})",
                header.height,
                kept.entries.len(),
                kept.oldest().unwrap_or_default()
            ),
        ));
    }
    let keys = chain.keys().map_err(Error::Fatal)?;
    fapiao_verify::verify_certified_by(&keys, &header, &r.certificate.0).map_err(refusal)?;
    if let Some(other) = kept.at(header.height) {
        return Err(Error::reject(
            Code::Conflict,
            "header",
            format!(
                "height {} is kept with digest {}, this one is {}",
                header.height,
                hex::encode(other.digest),
                hex::encode(digest)
            ),
        ));
    }
    let below = header.height.checked_sub(1).and_then(|h| kept.at(h));
    let above = kept.at(header.height + 1);
    if below.is_some_and(|b| b.digest != header.parent) || above.is_some_and(|a| a.parent != digest)
    {
        return Err(Error::reject(
            Code::Conflict,
            "header.parent",
            format!("height {} does not link to the kept headers beside it", header.height),
        ));
    }
    let entry = WindowEntry {
        height: header.height,
        digest,
        parent: header.parent,
        time_ms: header.time_ms,
        state_height: header.state_height,
        state_root: header.state_root,
        verified_at: ctx.height,
    };
    let at = kept.entries.partition_point(|e| e.height < header.height);
    kept.entries.insert(at, entry);
    if kept.entries.len() > size {
        let drop = kept.entries.len() - size;
        kept.entries.drain(..drop);
    }
    state.write(&StateKey::from(CrosschainKey::window(&chain.chain_id)), kept.encode().to_vec());
    Ok(Relayed::Kept)
}

/// The refusal of a failed certificate check.
fn refusal(e: VerifyError) -> Error {
    let code = match &e {
        VerifyError::CertificateDigest { .. } => Code::NotCertified,
        VerifyError::CertificateQuorum { .. } => Code::TooFewSigners,
        VerifyError::CertificateSignature { .. } => Code::BadSignature,
        _ => Code::Malformed,
    };
    Error::reject(code, "certificate", e.to_string())
}
