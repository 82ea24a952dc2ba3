//! The light client's record: [`HeaderWindow`], the most recent verified headers of one
//! source chain.

use fapiao_types::{canonical_struct, Hash32};

canonical_struct! {
    /// One verified header of a source chain: what proofs against it need.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct WindowEntry {
        /// Its height on the source chain.
        pub height: u64,
        /// Its digest (SHA-256 of its canonical encoding).
        pub digest: Hash32,
        /// Its parent's digest.
        pub parent: Hash32,
        /// Its block time, ms since the Unix epoch (the source proposer's clock).
        pub time_ms: u64,
        /// The source height whose state it commits to.
        pub state_height: u64,
        /// That state's root: proofs of the source's state are checked against it.
        pub state_root: Hash32,
        /// The height of this chain's block that verified it.
        pub verified_at: u64,
    }
}

canonical_struct! {
    /// The most recent verified headers of one source chain, ascending by height, at most
    /// the `crosschain/window` parameter's `headers` of them
    /// (`crosschain-window/<chain hash>`).
    #[derive(Clone, Debug, PartialEq, Eq, Default)]
    pub struct HeaderWindow {
        /// The headers, ascending by height, no height twice.
        pub entries: Vec<WindowEntry>,
    }
}

impl HeaderWindow {
    /// The entry at source height `height`.
    pub fn at(&self, height: u64) -> Option<&WindowEntry> {
        self.entries
            .binary_search_by_key(&height, |e| e.height)
            .ok()
            .and_then(|i| self.entries.get(i))
    }

    /// The highest verified header.
    pub fn latest(&self) -> Option<&WindowEntry> {
        self.entries.last()
    }

    /// The lowest height still kept.
    pub fn oldest(&self) -> Option<u64> {
        self.entries.first().map(|e| e.height)
    }
}
