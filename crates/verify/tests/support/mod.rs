//! What the verifier's test binaries share: finality blobs whose certificates Commonware
//! assembles from real finalize votes.

use commonware_codec::Encode as _;
use commonware_consensus::{
    simplex::{
        scheme::ed25519::Scheme,
        types::{Finalization, Finalize, Proposal},
    },
    types::{Epoch, Round, View},
};
use commonware_cryptography::{ed25519, sha256, Signer as _};
use commonware_parallel::Sequential;
use commonware_utils::{iter::NonEmpty, ordered::Set};
use fapiao_types::NAMESPACE_CONSENSUS;

/// A finality blob `height ‖ digest ‖ Finalization`, the certificate assembled by
/// Commonware from the finalize votes of `signers` (genesis indices into `keys`).
pub fn blob(
    keys: &[ed25519::PrivateKey],
    signers: &[usize],
    height: u64,
    digest: [u8; 32],
    view: u64,
    parent: u64,
) -> Vec<u8> {
    let participants =
        Set::try_from(keys.iter().map(|k| k.public_key()).collect::<Vec<_>>()).unwrap();
    let proposal = Proposal::new(
        Round::new(Epoch::new(0), View::new(view)),
        View::new(parent),
        sha256::Digest(digest),
    );
    let votes: Vec<Finalize<Scheme, sha256::Digest>> = signers
        .iter()
        .map(|&g| {
            let scheme =
                Scheme::signer(NAMESPACE_CONSENSUS, participants.clone(), keys[g].clone()).unwrap();
            Finalize::sign(&scheme, proposal.clone()).unwrap()
        })
        .collect();
    let verifier = Scheme::verifier(NAMESPACE_CONSENSUS, participants);
    let cert = Finalization::from_finalizes(
        &verifier,
        NonEmpty::try_new(votes.iter()).unwrap(),
        &Sequential,
    )
    .unwrap()
    .encode()
    .to_vec();
    let mut out = height.to_be_bytes().to_vec();
    out.extend_from_slice(&digest);
    out.extend(cert);
    out
}
