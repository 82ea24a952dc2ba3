//! Integration tests of `fapiao-crypto`: published test vectors, batch/single
//! agreement and round trips.

mod batch;
mod sign;
mod vectors;

use fapiao_crypto::SigningKey;
use fapiao_types::Suite;
use rand::{rngs::StdRng, SeedableRng};

/// A deterministic RNG for reproducible tests.
pub fn rng(seed: u64) -> StdRng {
    StdRng::seed_from_u64(seed)
}

/// `n` keys alternating Ed25519 and SM2.
pub fn mixed_keys(n: usize, seed: u64) -> Vec<SigningKey> {
    let mut rng = rng(seed);
    (0..n)
        .map(|i| {
            let suite = if i % 2 == 0 { Suite::Ed25519 } else { Suite::Sm2 };
            SigningKey::generate(suite, &mut rng)
        })
        .collect()
}
