//! Batch verification of many signatures of mixed suites.
//!
//! Ed25519 items are checked together with `ed25519_consensus::batch::Verifier`,
//! whose acceptance is identical to single ZIP-215 verification (cofactored
//! equation on both sides). That identity is what makes the search for bad items
//! sound: when a batch fails, it is split in halves and each half is checked again,
//! down to [`SINGLE_BELOW`] items which are checked one by one, so the indices
//! reported are exactly those a single verification would refuse. SM2 has no
//! batch equation; its items are verified one by one.
//!
//! ```
//! use fapiao_crypto::{BatchVerifier, SigningKey};
//! use fapiao_types::Suite;
//! use rand_core::OsRng;
//!
//! let ed = SigningKey::generate(Suite::Ed25519, &mut OsRng);
//! let sm = SigningKey::generate(Suite::Sm2, &mut OsRng);
//! let mut batch = BatchVerifier::new();
//! batch.add(&ed.public_key(), b"one", &ed.sign(b"one"));
//! batch.add(&sm.public_key(), b"two", &sm.sign(b"two"));
//! batch.add(&ed.public_key(), b"three", &ed.sign(b"not three"));
//! assert_eq!(batch.verify(&mut OsRng), Err(vec![2]));
//! ```

use crate::verify;
use ed25519_consensus::{batch, VerificationKeyBytes};
use fapiao_types::{PublicKey, Signature, SignedTx};
use rand_core::{CryptoRng, OsRng, RngCore};
use std::{
    num::NonZeroUsize,
    sync::atomic::{AtomicUsize, Ordering},
};

/// Number of items handed to one thread at a time by [`BatchVerifier::verify_parallel`].
pub const PARALLEL_CHUNK: usize = 64;

/// Ed25519 groups smaller than this are verified one by one instead of split further.
pub const SINGLE_BELOW: usize = 4;

/// Collects `(public key, message, signature)` items and verifies them together.
///
/// Items are numbered from 0 in the order they are added; verification returns
/// the numbers of the items that do not verify.
#[derive(Default, Clone)]
pub struct BatchVerifier {
    items: Vec<Item>,
}

impl std::fmt::Debug for BatchVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sm2 = self.items.iter().filter(|i| matches!(i, Item::Sm2 { .. })).count();
        f.debug_struct("BatchVerifier")
            .field("ed25519", &(self.items.len() - sm2))
            .field("sm2", &sm2)
            .finish()
    }
}

#[derive(Clone)]
enum Item {
    /// Holds `k = H(R ‖ A ‖ M)` already, not the message.
    Ed25519(batch::Item),
    /// SM2 keeps the message: its hash needs `Z_A`, so the key's point decompression.
    Sm2 { key: [u8; 33], msg: Vec<u8>, sig: Signature },
}

impl BatchVerifier {
    /// An empty batch.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty batch with room for `n` items.
    pub fn with_capacity(n: usize) -> Self {
        BatchVerifier { items: Vec::with_capacity(n) }
    }

    /// Number of items added.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether no item was added.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Adds an item; returns its index. The message is hashed (Ed25519) or copied
    /// (SM2) now, so it need not outlive the call.
    pub fn add(&mut self, pk: &PublicKey, msg: &[u8], sig: &Signature) -> usize {
        let item = match pk {
            PublicKey::Ed25519(key) => Item::Ed25519(batch::Item::from((
                VerificationKeyBytes::from(*key),
                ed25519_consensus::Signature::from(sig.0),
                msg,
            ))),
            PublicKey::Sm2(key) => Item::Sm2 { key: *key, msg: msg.to_vec(), sig: *sig },
        };
        self.items.push(item);
        self.items.len() - 1
    }

    /// Adds a transaction's signature by its sender over
    /// [`SignedTx::signing_payload`]; returns its index.
    pub fn add_signed_tx(&mut self, stx: &SignedTx) -> usize {
        self.add(&stx.tx.sender, &SignedTx::signing_payload(&stx.tx), &stx.signature)
    }

    /// Verifies every item on the calling thread.
    ///
    /// # Errors
    /// The indices (ascending) of the items that do not verify, exactly those
    /// [`verify`] would refuse.
    pub fn verify<R: RngCore + CryptoRng>(self, rng: &mut R) -> Result<(), Vec<usize>> {
        into_result(check(&self.items, 0, rng))
    }

    /// Verifies every item on up to `threads` threads (the caller's included),
    /// each taking chunks of [`PARALLEL_CHUNK`] items in turn, with [`OsRng`] for
    /// the batch coefficients. A batch of at most one chunk, or `threads = 1`,
    /// stays on the calling thread.
    ///
    /// # Errors
    /// As [`BatchVerifier::verify`].
    pub fn verify_parallel(self, threads: NonZeroUsize) -> Result<(), Vec<usize>> {
        let chunks: Vec<&[Item]> = self.items.chunks(PARALLEL_CHUNK).collect();
        let threads = threads.get().min(chunks.len());
        if threads <= 1 {
            return into_result(check(&self.items, 0, &mut OsRng));
        }
        let next = AtomicUsize::new(0);
        let work = || {
            let mut bad = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(chunk) = chunks.get(i) else {
                    break bad;
                };
                bad.extend(check(chunk, i * PARALLEL_CHUNK, &mut OsRng));
            }
        };
        let mut bad = std::thread::scope(|s| {
            let helpers: Vec<_> = (1..threads).map(|_| s.spawn(work)).collect();
            let mut bad = work();
            for helper in helpers {
                match helper.join() {
                    Ok(found) => bad.extend(found),
                    // Verification code does not panic; if it did, surface it here.
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            bad
        });
        bad.sort_unstable();
        into_result(bad)
    }
}

fn into_result(bad: Vec<usize>) -> Result<(), Vec<usize>> {
    if bad.is_empty() {
        Ok(())
    } else {
        Err(bad)
    }
}

/// The indices (plus `offset`) of the bad items in `items`, ascending.
fn check<R: RngCore + CryptoRng>(items: &[Item], offset: usize, rng: &mut R) -> Vec<usize> {
    let mut ed = Vec::new();
    let mut bad = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match item {
            Item::Ed25519(item) => ed.push((offset + i, item)),
            Item::Sm2 { key, msg, sig } => {
                if verify(&PublicKey::Sm2(*key), msg, sig).is_err() {
                    bad.push(offset + i);
                }
            }
        }
    }
    bisect(&ed, false, rng, &mut bad);
    bad.sort_unstable();
    bad
}

/// Pushes the indices of the bad Ed25519 items; returns whether it found any.
/// `known_bad` says the group is already known to contain a bad item.
fn bisect<R: RngCore + CryptoRng>(
    items: &[(usize, &batch::Item)],
    known_bad: bool,
    rng: &mut R,
    bad: &mut Vec<usize>,
) -> bool {
    if items.is_empty() {
        return false;
    }
    if items.len() < SINGLE_BELOW {
        let before = bad.len();
        for (i, item) in items {
            if (*item).clone().verify_single().is_err() {
                bad.push(*i);
            }
        }
        return bad.len() > before;
    }
    if !known_bad {
        let mut verifier = batch::Verifier::new();
        for (_, item) in items {
            verifier.queue((*item).clone());
        }
        if verifier.verify(&mut *rng).is_ok() {
            return false;
        }
    }
    let (left, right) = items.split_at(items.len() / 2);
    let left_bad = bisect(left, false, rng, bad);
    // If the left half is clean the bad item is on the right: skip its batch check.
    // (A batch check can wrongly pass only with probability ~2^-128.)
    let right_bad = bisect(right, !left_bad, rng, bad);
    left_bad || right_bad
}
