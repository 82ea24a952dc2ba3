//! The pool itself.

use fapiao_app::Platform;
use fapiao_ledger::Rejection;
use fapiao_types::{AccountId, Hash32, SignedTx};
use parking_lot::Mutex;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Bounds of the pool.
#[derive(Clone, Copy, Debug)]
pub struct MempoolLimits {
    /// Most pending transactions.
    pub max_txs: usize,
    /// Most pending bytes (encoded signed transactions).
    pub max_bytes: usize,
    /// Most pending transactions of one sender account, so that one busy or hostile
    /// account cannot fill the pool for everyone.
    pub max_per_sender: usize,
}

impl MempoolLimits {
    /// Bounds of `max_txs` and `max_bytes` with the default sender quota: a quarter of
    /// the pool (at least one transaction).
    pub fn new(max_txs: usize, max_bytes: usize) -> Self {
        Self { max_txs, max_bytes, max_per_sender: (max_txs / 4).max(1) }
    }
}

impl Default for MempoolLimits {
    fn default() -> Self {
        Self::new(50_000, 64 * 1024 * 1024)
    }
}

/// Counters for status and metrics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MempoolStats {
    /// Pending transactions (including those in proposed, not yet executed blocks).
    pub pending: usize,
    /// Pending bytes.
    pub bytes: usize,
    /// Remembered hashes (pending or included, not yet expired).
    pub seen: usize,
}

struct Entry {
    tx: SignedTx,
    size: usize,
    /// Height of the block this transaction was last proposed in, if any.
    proposed_at: Option<u64>,
}

#[derive(Default)]
struct Inner {
    next_seq: u64,
    pending: BTreeMap<u64, Entry>,
    by_hash: HashMap<Hash32, u64>,
    bytes: usize,
    /// (expiry, hash) of every admitted hash until it expires.
    seen_by_expiry: BTreeSet<(u64, Hash32)>,
    seen: HashMap<Hash32, u64>,
    /// Pending transactions per sender account (entries at zero are removed).
    per_sender: HashMap<AccountId, usize>,
}

impl Inner {
    /// Removes the pending entry `seq`, keeping the counters right.
    fn remove(&mut self, seq: u64) -> Option<Entry> {
        let e = self.pending.remove(&seq)?;
        self.bytes -= e.size;
        self.by_hash.remove(&e.tx.hash());
        let sender = e.tx.tx.sender_account();
        if let Some(n) = self.per_sender.get_mut(&sender) {
            *n -= 1;
            if *n == 0 {
                self.per_sender.remove(&sender);
            }
        }
        Some(e)
    }
}

/// A bounded pool of admitted transactions.
pub struct Mempool {
    limits: MempoolLimits,
    inner: Mutex<Inner>,
}

impl Mempool {
    /// An empty pool.
    pub fn new(limits: MempoolLimits) -> Self {
        Self { limits, inner: Mutex::new(Inner::default()) }
    }

    /// The pool's bounds.
    pub fn limits(&self) -> MempoolLimits {
        self.limits
    }

    /// Adds an admitted transaction of `size` encoded bytes.
    ///
    /// # Errors
    /// `replayed` when its hash is pending or was included and has not expired;
    /// [`Platform::MempoolFull`] when the pool is at its bounds.
    pub fn insert(&self, tx: SignedTx, size: usize) -> Result<Hash32, Rejection> {
        let hash = tx.hash();
        let mut inner = self.inner.lock();
        if inner.seen.contains_key(&hash) {
            return Err(Rejection::new(
                Platform::Replayed,
                Some("tx"),
                "this transaction is already pending or was included",
            ));
        }
        if inner.pending.len() >= self.limits.max_txs || inner.bytes + size > self.limits.max_bytes
        {
            return Err(Rejection::new(
                Platform::MempoolFull,
                None,
                format!(
                    "the mempool holds {} transactions ({} bytes); retry shortly",
                    inner.pending.len(),
                    inner.bytes
                ),
            ));
        }
        let sender = tx.tx.sender_account();
        let of_sender = inner.per_sender.get(&sender).copied().unwrap_or(0);
        if of_sender >= self.limits.max_per_sender {
            return Err(Rejection::new(
                Platform::SenderQuota,
                Some("sender"),
                format!(
                    "this account has {of_sender} transactions pending (at most {}); retry once \
                     some are included",
                    self.limits.max_per_sender
                ),
            ));
        }
        *inner.per_sender.entry(sender).or_insert(0) += 1;
        let seq = inner.next_seq;
        inner.next_seq += 1;
        inner.bytes += size;
        inner.by_hash.insert(hash, seq);
        inner.seen.insert(hash, tx.tx.expiry);
        inner.seen_by_expiry.insert((tx.tx.expiry, hash));
        inner.pending.insert(seq, Entry { tx, size, proposed_at: None });
        Ok(hash)
    }

    /// Takes up to `max` transactions, in arrival order, for a block proposed at
    /// `height`, skipping those already in a proposed block that is not yet executed and
    /// those that would be expired at `height`.
    pub fn select(&self, height: u64, max: usize) -> Vec<SignedTx> {
        let mut inner = self.inner.lock();
        let mut out = Vec::new();
        for entry in inner.pending.values_mut() {
            if out.len() >= max {
                break;
            }
            if entry.proposed_at.is_some() || entry.tx.tx.expiry < height {
                continue;
            }
            entry.proposed_at = Some(height);
            out.push(entry.tx.clone());
        }
        out
    }

    /// Records that a peer proposed block `height` with `hashes`: those transactions are
    /// not selected again until that height is executed (when they leave the pool, or
    /// become eligible again if the proposal was not the one finalized).
    pub fn mark_proposed(&self, height: u64, hashes: &[Hash32]) {
        let mut inner = self.inner.lock();
        for h in hashes {
            if let Some(seq) = inner.by_hash.get(h).copied() {
                if let Some(e) = inner.pending.get_mut(&seq) {
                    e.proposed_at = Some(e.proposed_at.map_or(height, |p| p.max(height)));
                }
            }
        }
    }

    /// Records that block `height` was executed with `included` transaction hashes:
    /// drops them from the pending set, makes transactions proposed at or below
    /// `height` but not included eligible again, and forgets hashes and drops pending
    /// transactions whose expiry is below `height + 1`.
    pub fn on_executed(&self, height: u64, included: &[Hash32]) {
        let mut inner = self.inner.lock();
        for h in included {
            if let Some(seq) = inner.by_hash.get(h).copied() {
                inner.remove(seq);
            }
        }
        let mut expired = Vec::new();
        for (seq, e) in inner.pending.iter_mut() {
            if e.proposed_at.is_some_and(|p| p <= height) {
                e.proposed_at = None;
            }
            if e.tx.tx.expiry <= height {
                expired.push(*seq);
            }
        }
        for seq in expired {
            inner.remove(seq);
        }
        // A hash whose expiry is at or below `height` can never be included again, and
        // the ledger refuses it at admission as expired: no need to remember it.
        while let Some(&(expiry, hash)) = inner.seen_by_expiry.first() {
            if expiry > height {
                break;
            }
            inner.seen_by_expiry.pop_first();
            if !inner.by_hash.contains_key(&hash) {
                inner.seen.remove(&hash);
            }
        }
    }

    /// Whether this very transaction — same hash and same signature bytes — is pending,
    /// that is, was admitted here (its signature verified).
    pub fn holds_verified(&self, stx: &SignedTx) -> bool {
        let inner = self.inner.lock();
        inner
            .by_hash
            .get(&stx.hash())
            .and_then(|seq| inner.pending.get(seq))
            .is_some_and(|e| e.tx.signature == stx.signature)
    }

    /// Whether `hash` is pending.
    pub fn contains(&self, hash: &Hash32) -> bool {
        self.inner.lock().by_hash.contains_key(hash)
    }

    /// Whether `hash` is pending or was included and has not expired: a submission of it
    /// would be refused as a replay, so admission skips its signature check.
    pub fn seen(&self, hash: &Hash32) -> bool {
        self.inner.lock().seen.contains_key(hash)
    }

    /// Counters.
    pub fn stats(&self) -> MempoolStats {
        let inner = self.inner.lock();
        MempoolStats { pending: inner.pending.len(), bytes: inner.bytes, seen: inner.seen.len() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fapiao_crypto::SigningKey;
    use fapiao_types::{Action, Suite, Tx};

    fn tx(nonce: u64, expiry: u64) -> SignedTx {
        let k = SigningKey::from_bytes(Suite::Ed25519, &[3; 32]).unwrap();
        k.sign_tx(Tx {
            chain_id: "c".into(),
            sender: k.public_key(),
            nonce,
            expiry,
            action: Action::RevokeAccount { account: [1; 32].into() },
        })
    }

    #[test]
    fn bounded_by_count_and_bytes() {
        let m = Mempool::new(MempoolLimits { max_per_sender: 100, ..MempoolLimits::new(2, 1000) });
        m.insert(tx(1, 10), 100).unwrap();
        m.insert(tx(2, 10), 100).unwrap();
        assert_eq!(m.insert(tx(3, 10), 100).unwrap_err().code, Platform::MempoolFull.code());
        let m = Mempool::new(MempoolLimits { max_per_sender: 100, ..MempoolLimits::new(100, 250) });
        m.insert(tx(1, 10), 200).unwrap();
        assert_eq!(m.insert(tx(2, 10), 100).unwrap_err().code, Platform::MempoolFull.code());
    }

    fn tx_of(seed: u8, nonce: u64) -> SignedTx {
        let k = SigningKey::from_bytes(Suite::Ed25519, &[seed; 32]).unwrap();
        k.sign_tx(Tx {
            chain_id: "c".into(),
            sender: k.public_key(),
            nonce,
            expiry: 10,
            action: Action::RevokeAccount { account: [1; 32].into() },
        })
    }

    #[test]
    fn one_sender_gets_at_most_its_quota() {
        let m = Mempool::new(MempoolLimits { max_txs: 100, max_bytes: 1 << 20, max_per_sender: 3 });
        for n in 0..3 {
            m.insert(tx_of(5, n), 10).unwrap();
        }
        let refused = m.insert(tx_of(5, 3), 10).unwrap_err();
        assert_eq!(
            (refused.code, refused.field.as_deref()),
            (Platform::SenderQuota.code(), Some("sender"))
        );
        // Others are not affected.
        m.insert(tx_of(6, 0), 10).unwrap();
        // Once one is included, the sender may submit again.
        m.on_executed(1, &[tx_of(5, 0).hash()]);
        m.insert(tx_of(5, 3), 10).unwrap();
        assert_eq!(m.insert(tx_of(5, 4), 10).unwrap_err().code, Platform::SenderQuota.code());
        // Expiry frees the quota too.
        m.on_executed(10, &[]);
        assert_eq!(m.stats().pending, 0);
        for n in 100..103 {
            m.insert(tx_of(5, n), 10).unwrap();
        }
    }

    #[test]
    fn replay_refused_until_expiry_then_forgotten() {
        let m = Mempool::new(MempoolLimits::default());
        let t = tx(1, 5);
        m.insert(t.clone(), 10).unwrap();
        assert_eq!(m.insert(t.clone(), 10).unwrap_err().code, Platform::Replayed.code());
        m.on_executed(1, &[t.hash()]);
        assert!(!m.contains(&t.hash()));
        // Still remembered while it could be included again.
        assert_eq!(m.insert(t.clone(), 10).unwrap_err().code, Platform::Replayed.code());
        m.on_executed(5, &[]);
        assert_eq!(m.stats().seen, 0, "memory is bounded: expired hashes are pruned");
    }

    #[test]
    fn proposed_but_not_included_becomes_eligible_again() {
        let m = Mempool::new(MempoolLimits::default());
        let (a, b) = (tx(1, 50), tx(2, 50));
        m.insert(a.clone(), 10).unwrap();
        m.insert(b.clone(), 10).unwrap();
        assert_eq!(m.select(1, 1), vec![a.clone()]);
        assert_eq!(m.select(2, 10), vec![b.clone()], "a is in flight");
        assert!(m.select(3, 10).is_empty());
        // Block 1 was finalized without a (its proposal was nullified); block 2 has b.
        m.on_executed(1, &[]);
        m.on_executed(2, &[b.hash()]);
        assert_eq!(m.select(3, 10), vec![a]);
        assert_eq!(m.stats().pending, 1);
    }

    #[test]
    fn a_peers_proposal_is_marked_and_only_identical_copies_count_as_verified() {
        let m = Mempool::new(MempoolLimits::default());
        let (a, b) = (tx(1, 50), tx(2, 50));
        m.insert(a.clone(), 10).unwrap();
        m.insert(b.clone(), 10).unwrap();
        assert!(m.holds_verified(&a));
        let mut resigned = a.clone();
        resigned.signature.0[0] ^= 1;
        assert!(!m.holds_verified(&resigned), "same hash, other signature: not verified here");
        assert!(!m.holds_verified(&tx(3, 50)), "never admitted here");
        // A peer proposed block 7 with a: not selected again until 7 is executed.
        m.mark_proposed(7, &[a.hash()]);
        assert_eq!(m.select(7, 10), vec![b.clone()]);
        m.on_executed(7, &[]);
        assert_eq!(m.select(8, 10), vec![a, b], "neither proposal finalized: eligible again");
    }

    #[test]
    fn expired_pending_transactions_are_dropped() {
        let m = Mempool::new(MempoolLimits::default());
        m.insert(tx(1, 3), 10).unwrap();
        assert!(m.select(4, 10).is_empty());
        m.on_executed(3, &[]);
        assert_eq!(m.stats(), MempoolStats::default());
    }
}
