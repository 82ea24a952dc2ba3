//! Authenticated state: a Jellyfish Merkle tree over a narrow Store trait (redb and in-memory), block execution and proofs.
