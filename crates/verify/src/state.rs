//! State proofs: Jellyfish Merkle (jmt) sparse Merkle proofs over SHA-256, encoded with
//! borsh, of a key's value — or its absence — under a state root.

use borsh::BorshDeserialize;
use jmt::{proof::SparseMerkleProof, KeyHash, RootHash};
use sha2::Sha256;

/// Checks a state proof: `key` has `value` (or is absent when `None`) under `root`.
///
/// # Errors
/// A message saying why the proof does not verify (undecodable, wrong root, wrong
/// value).
pub fn verify_state_proof(
    root: &[u8; 32],
    key: &[u8],
    value: Option<&[u8]>,
    proof: &[u8],
) -> Result<(), String> {
    let proof = SparseMerkleProof::<Sha256>::try_from_slice(proof)
        .map_err(|e| format!("undecodable proof: {e}"))?;
    proof.verify(RootHash(*root), KeyHash::with::<Sha256>(key), value).map_err(|e| e.to_string())
}
