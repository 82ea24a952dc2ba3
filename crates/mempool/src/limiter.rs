//! [`KeyedLimiter`]: token buckets per key with bounded memory that never reset a spent
//! budget. A bucket that has refilled carries no information and is forgotten when room
//! is needed; while every tracked bucket is still spent, a new key is refused rather than
//! an old one forgotten (flooding fresh keys must not give anyone a new budget).

use parking_lot::Mutex;
use std::{
    collections::HashMap,
    hash::Hash,
    sync::atomic::{AtomicU64, Ordering},
    time::Instant,
};

/// Most keys one [`KeyedLimiter`] tracks.
pub const MAX_TRACKED: usize = 100_000;

/// Token buckets keyed by `K`, with bounded memory (see the module docs).
pub struct KeyedLimiter<K> {
    /// Bucket size: the burst allowed.
    capacity: AtomicU64,
    /// Refill, in tokens per minute.
    per_minute: AtomicU64,
    max_keys: usize,
    buckets: Mutex<Buckets<K>>,
}

/// The tracked buckets, and when refilled ones were last swept out.
struct Buckets<K> {
    map: HashMap<K, Bucket>,
    swept_at: Option<Instant>,
}

/// Sweeping is a pass over every bucket: while the map stays full of spent buckets, it
/// runs at most this often, not on every request for a new key.
const SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// A bucket's tokens in thousandths, and when they were last counted.
#[derive(Clone, Copy)]
struct Bucket {
    milli: u64,
    at: Instant,
}

/// Why a request was not allowed.
#[derive(Debug, PartialEq, Eq)]
pub enum Denied {
    /// The key's budget is spent; retry after this many seconds.
    Spent(u64),
    /// Too many keys have spent budgets at once; retry after this many seconds.
    Crowded(u64),
}

impl Denied {
    /// Seconds until a retry may succeed.
    pub fn retry_after(&self) -> u64 {
        match self {
            Denied::Spent(s) | Denied::Crowded(s) => *s,
        }
    }
}

impl<K: Hash + Eq + Clone> KeyedLimiter<K> {
    /// Buckets of `capacity` requests refilled at `per_minute` requests a minute.
    pub fn new(capacity: u32, per_minute: u32) -> Self {
        Self::with_max_keys(capacity, per_minute, MAX_TRACKED)
    }

    /// As [`KeyedLimiter::new`], tracking at most `max_keys` keys.
    pub fn with_max_keys(capacity: u32, per_minute: u32, max_keys: usize) -> Self {
        Self {
            capacity: AtomicU64::new(u64::from(capacity.max(1))),
            per_minute: AtomicU64::new(u64::from(per_minute.max(1))),
            max_keys: max_keys.max(1),
            buckets: Mutex::new(Buckets { map: HashMap::new(), swept_at: None }),
        }
    }

    /// Changes the burst and the refill (a governed limit changed); buckets keep what
    /// they hold, up to the new burst.
    pub fn set_rate(&self, capacity: u32, per_minute: u32) {
        self.capacity.store(u64::from(capacity.max(1)), Ordering::Relaxed);
        self.per_minute.store(u64::from(per_minute.max(1)), Ordering::Relaxed);
    }

    /// The burst and the refill per minute now.
    pub fn rate(&self) -> (u64, u64) {
        (self.capacity.load(Ordering::Relaxed), self.per_minute.load(Ordering::Relaxed))
    }

    fn refilled(&self, b: Bucket, now: Instant) -> u64 {
        let (capacity, per_minute) = self.rate();
        let elapsed_ms = now.saturating_duration_since(b.at).as_millis() as u64;
        // per_minute tokens per 60 000 ms = per_minute milli-tokens per 60 ms.
        let gained = elapsed_ms.saturating_mul(per_minute) / 60;
        b.milli.saturating_add(gained).min(capacity * 1000)
    }

    /// Seconds until one token is back in a bucket holding `milli` thousandths.
    fn wait_secs(&self, milli: u64) -> u64 {
        let missing = 1000u64.saturating_sub(milli);
        (missing * 60).div_ceil(self.rate().1 * 1000).max(1)
    }

    /// Takes one token of `key`'s bucket at `now`.
    ///
    /// # Errors
    /// [`Denied`] when the bucket is empty, or when `key` is new and every tracked
    /// bucket is still spent.
    pub fn check_at(&self, key: &K, now: Instant) -> Result<(), Denied> {
        let mut buckets = self.buckets.lock();
        if let Some(b) = buckets.map.get_mut(key) {
            let milli = self.refilled(*b, now);
            if milli < 1000 {
                return Err(Denied::Spent(self.wait_secs(milli)));
            }
            *b = Bucket { milli: milli - 1000, at: now };
            return Ok(());
        }
        if buckets.map.len() >= self.max_keys {
            let due =
                buckets.swept_at.is_none_or(|at| now.saturating_duration_since(at) >= SWEEP_EVERY);
            if due {
                let full = self.rate().0 * 1000;
                buckets.map.retain(|_, b| self.refilled(*b, now) < full);
                buckets.swept_at = Some(now);
            }
            if buckets.map.len() >= self.max_keys {
                return Err(Denied::Crowded(self.wait_secs(0)));
            }
        }
        buckets.map.insert(key.clone(), Bucket { milli: self.rate().0 * 1000 - 1000, at: now });
        Ok(())
    }

    /// [`KeyedLimiter::check_at`] now.
    ///
    /// # Errors
    /// As [`KeyedLimiter::check_at`].
    pub fn check(&self, key: &K) -> Result<(), Denied> {
        self.check_at(key, Instant::now())
    }

    /// Whether `key`'s bucket is empty now (without taking a token).
    pub fn exhausted(&self, key: &K) -> bool {
        let now = Instant::now();
        self.buckets.lock().map.get(key).is_some_and(|b| self.refilled(*b, now) < 1000)
    }

    /// Keys tracked now.
    pub fn tracked(&self) -> usize {
        self.buckets.lock().map.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_bucket_spends_and_refills() {
        let l = KeyedLimiter::<u32>::new(3, 60); // 3 at once, one a second
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(l.check_at(&1, t0), Ok(()));
        }
        assert_eq!(l.check_at(&1, t0), Err(Denied::Spent(1)));
        assert_eq!(l.check_at(&2, t0), Ok(()), "another key has its own budget");
        assert_eq!(l.check_at(&1, t0 + Duration::from_millis(500)), Err(Denied::Spent(1)));
        assert_eq!(l.check_at(&1, t0 + Duration::from_millis(1000)), Ok(()));
    }

    /// Regression: the verification limiter reset every counter once 100,000 numbers
    /// were tracked, so flooding fresh keys gave everyone a new budget.
    #[test]
    fn flooding_keys_never_resets_a_spent_budget() {
        let l = KeyedLimiter::<u32>::with_max_keys(2, 2, 1_000); // 2 a minute
        let t0 = Instant::now();
        assert!(l.check_at(&0, t0).is_ok());
        assert!(l.check_at(&0, t0).is_ok());
        assert!(l.check_at(&0, t0).is_err());
        let mut crowded = 0;
        for k in 1..100_000u32 {
            match l.check_at(&k, t0 + Duration::from_millis(u64::from(k) / 100)) {
                Ok(()) => {}
                Err(Denied::Crowded(_)) => crowded += 1,
                Err(Denied::Spent(_)) => panic!("a fresh key is never spent"),
            }
        }
        assert!(crowded > 0, "new keys are refused while every tracked one is spent");
        assert!(l.tracked() <= 1_000, "memory is bounded");
        assert!(l.check_at(&0, t0 + Duration::from_secs(1)).is_err(), "key 0 is still spent");
        // Once buckets refill they are forgotten and new keys fit again.
        assert!(l.check_at(&500_000, t0 + Duration::from_secs(120)).is_ok());
    }

    /// While the map is full of spent buckets, a new key does not trigger a pass over all
    /// of them on every request: sweeps come at most once a second.
    #[test]
    fn a_crowded_map_is_swept_at_most_once_a_second() {
        let l = KeyedLimiter::<u32>::with_max_keys(1, 120, 2); // one every half second
        let t0 = Instant::now();
        assert!(l.check_at(&1, t0).is_ok());
        assert!(l.check_at(&2, t0).is_ok());
        // Crowded: the sweep at t0 frees nothing.
        assert!(matches!(l.check_at(&3, t0), Err(Denied::Crowded(_))));
        // Key 1 has refilled 0.9 s later, but the next sweep is not due yet.
        assert!(matches!(l.check_at(&4, t0 + Duration::from_millis(900)), Err(Denied::Crowded(_))));
        // A second after the last sweep, the refilled buckets go and a new key fits.
        assert!(l.check_at(&5, t0 + Duration::from_millis(1_000)).is_ok());
    }
}
