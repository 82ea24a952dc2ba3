//! State proofs: a path's current record — or its absence — under a state root, as the
//! QMDB state database proves it (`qmdb::current::ordered`, checked by [`crate::current`]).

use crate::current::{verify_state_absence, verify_state_record};

/// Checks a state proof: state path `key` holds `value` (or nothing, when `None`) under
/// `root`. A private kind's `value` is the record itself; the proof is of its commitment
/// ([`fapiao_types::state_order::stored_value`]). Kinds kept beside the state
/// ([`fapiao_types::state_order::OFF_STATE_KINDS`]) have no state proof.
///
/// # Errors
/// A message saying why the proof does not verify (undecodable, wrong root, wrong value,
/// a path with no state proof).
pub fn verify_state_proof(
    root: &[u8; 32],
    key: &[u8],
    value: Option<&[u8]>,
    proof: &[u8],
) -> Result<(), String> {
    if !fapiao_types::state_order::in_state(key) {
        return Err(format!(
            "{} is kept beside the state and has no state proof",
            String::from_utf8_lossy(key)
        ));
    }
    match value {
        Some(record) => verify_state_record(root, key, record, proof),
        None => verify_state_absence(root, key, proof),
    }
    .map_err(|e| e.to_string())
}
