//! Entries of the derived (non-consensus) indexes a node keeps beside the state: an
//! invoice's event history.

use fapiao_types::canonical_struct;
use fapiao_types::{AccountId, Hash32};

canonical_struct! {
    /// One event in an invoice's history: which action touched it, where, when, by whom.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct HistoryEvent {
        /// The action's name (`issue_invoice`, `submit_invoice`, …).
        pub action: String,
        /// Block height.
        pub height: u64,
        /// Position in the block.
        pub index: u32,
        /// Block time, ms since the Unix epoch.
        pub time_ms: u64,
        /// The signing account.
        pub signer: AccountId,
        /// The transaction.
        pub tx_hash: Hash32,
    }
}
