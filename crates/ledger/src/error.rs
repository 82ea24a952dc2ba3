//! Errors of the ledger: storage failures, and the refusals (with stable codes) that
//! admission and execution give to transactions.

use fapiao_app::{Platform, RefusalCode};
use fapiao_types::Role;

/// A failure of the ledger itself (storage, corruption, misuse).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The storage engine failed.
    #[error("storage: {0}")]
    Store(String),
    /// Stored bytes did not decode: the database is corrupt or from another version.
    #[error("corrupt record in {what}: {reason}")]
    Corrupt {
        /// Which record.
        what: &'static str,
        /// Decoder message.
        reason: String,
    },
    /// A block was offered out of order.
    #[error("block {got} does not follow executed height {executed}")]
    Gap {
        /// Executed height.
        executed: u64,
        /// Offered height.
        got: u64,
    },
    /// An application handler could not read or decode the state it needed.
    #[error("application state: {0}")]
    Application(String),
    /// The data directory was written by another chain-format version.
    #[error(
        "this data directory holds chain format {found}; this node reads format {expected} only \
         and converts none: start it on an empty data directory (a full node syncs from its \
         peers) or keep running the release that wrote it"
    )]
    ChainFormat {
        /// The version the store was written with (1: milestone 1, which wrote none).
        found: u32,
        /// [`crate::CHAIN_FORMAT_VERSION`].
        expected: u32,
    },
    /// The stored genesis differs from the one given.
    #[error("the store was created from another genesis (chain {0})")]
    GenesisMismatch(String),
    /// A genesis key is invalid or weak.
    #[error("genesis key of {0} is not usable: {1}")]
    GenesisKey(String, String),
    /// A proof was asked for a record kept beside the state (a transaction record).
    #[error("{0} is not in the state: transaction records are proven by their block's tx_root, not by a state proof")]
    NotInTree(String),
    /// The node keeps no index of transactions by hash (its config switched it off).
    #[error("this node keeps no index of transactions by hash (`tx_index = false` in its config)")]
    TxIndexOff,
    /// The node dropped the body of this block (only its header and certificate stay).
    #[error("this node dropped the body of block {0} (`[storage] archived_bodies = \"drop\"`): ask a node that serves it")]
    BodyDropped(u64),
    /// The genesis is unusable (an unknown parameter, a value its owner refuses).
    #[error("genesis: {0}")]
    Genesis(String),
    /// The state database failed or refused a change ([`fapiao_state::Error`]).
    #[error(transparent)]
    State(#[from] fapiao_state::Error),
    /// [`crate::Ledger::record_at`] was asked for a kind whose history the ledger does not
    /// keep (only `account`, `org` and `params` records are kept per height).
    #[error("{0}: the ledger keeps past values of account, org and params records only")]
    NoHistory(String),
    /// Invalid genesis.
    #[error(transparent)]
    Types(#[from] fapiao_types::Error),
}

/// Result with the ledger's [`Error`].
pub type Result<T> = core::result::Result<T, Error>;

/// Why a transaction is refused, at admission or at execution: a stable `code`, a
/// message, and the field or right at fault.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct Rejection {
    /// Stable machine-readable code, declared in a refusal table (`bad_signature`,
    /// `missing_role`, `invoice.already_reimbursed`, …).
    pub code: &'static str,
    /// Human-readable explanation.
    pub message: String,
    /// The field at fault, if one is.
    pub field: Option<String>,
}

impl Rejection {
    /// A rejection with a declared code, message and field.
    pub fn new(code: impl RefusalCode, field: Option<&str>, message: impl Into<String>) -> Self {
        Self { code: code.code(), message: message.into(), field: field.map(str::to_string) }
    }

    /// The sender lacks `role`.
    pub fn missing_role(role: Role, action: &str) -> Self {
        Self::new(
            Platform::MissingRole,
            Some("sender"),
            format!("{action} needs the role {role}, which the sender does not hold"),
        )
    }
}
