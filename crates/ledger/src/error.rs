//! Errors of the ledger: storage failures, and the refusals (with stable codes) that
//! admission and execution give to transactions.

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
    /// The Merkle tree failed.
    #[error("merkle tree: {0}")]
    Tree(String),
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
    /// A proof was asked for a record kept beside the state tree (a transaction record).
    #[error("{0} is not in the state tree: transaction records are proven by their block's tx_root, not by a state proof")]
    NotInTree(String),
    /// The genesis is unusable (an unknown parameter, a value its owner refuses).
    #[error("genesis: {0}")]
    Genesis(String),
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
    /// Stable machine-readable code (`bad_signature`, `missing_role`, …).
    pub code: &'static str,
    /// Human-readable explanation.
    pub message: String,
    /// The field at fault, if one is.
    pub field: Option<String>,
}

impl Rejection {
    /// A rejection with a code, message and field.
    pub fn new(code: &'static str, field: Option<&str>, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), field: field.map(str::to_string) }
    }

    /// The sender lacks `role`.
    pub fn missing_role(role: Role, action: &str) -> Self {
        Self::new(
            "missing_role",
            Some("sender"),
            format!("{action} needs the role {role}, which the sender does not hold"),
        )
    }
}

/// Stable rejection codes.
pub mod codes {
    /// The encoding is not a canonical signed transaction.
    pub const MALFORMED: &str = "malformed";
    /// The transaction is over the size limit.
    pub const TOO_LARGE: &str = "too_large";
    /// The signature does not verify.
    pub const BAD_SIGNATURE: &str = "bad_signature";
    /// The transaction names another chain.
    pub const WRONG_CHAIN: &str = "wrong_chain";
    /// The sender is not a known account.
    pub const UNKNOWN_ACCOUNT: &str = "unknown_account";
    /// The sender's account was revoked.
    pub const REVOKED_ACCOUNT: &str = "revoked_account";
    /// The sender lacks the role the action needs.
    pub const MISSING_ROLE: &str = "missing_role";
    /// The expiry height has passed.
    pub const EXPIRED: &str = "expired";
    /// The expiry height is further ahead than the genesis window allows.
    pub const EXPIRY_TOO_FAR: &str = "expiry_too_far";
    /// The transaction hash was already used (or is already pending).
    pub const REPLAYED: &str = "replayed";
    /// The account to add already exists.
    pub const ACCOUNT_EXISTS: &str = "account_exists";
    /// The account named does not exist.
    pub const NO_SUCH_ACCOUNT: &str = "no_such_account";
    /// The account belongs to another organisation.
    pub const NOT_IN_ORG: &str = "not_in_org";
    /// The role cannot be held in this kind of organisation.
    pub const ROLE_NOT_ALLOWED: &str = "role_not_allowed";
    /// The account is already revoked.
    pub const ALREADY_REVOKED: &str = "already_revoked";
    /// An admin may not revoke itself.
    pub const CANNOT_REVOKE_SELF: &str = "cannot_revoke_self";
    /// A public key is not a valid point, or is a weak (small-order) key.
    pub const INVALID_KEY: &str = "invalid_key";
    /// A field value is invalid.
    pub const INVALID_FIELD: &str = "invalid_field";
    /// Executing the transaction panicked (a bug, caught): it failed and wrote nothing.
    pub const EXECUTION_FAULT: &str = "execution_fault";
    /// The sender's organisation is suspended or removed by governance.
    pub const ORG_INACTIVE: &str = "org_inactive";
    /// The organisation named does not exist.
    pub const UNKNOWN_ORG: &str = "unknown_org";
    /// An organisation with this id already exists.
    pub const ORG_EXISTS: &str = "org_exists";
    /// The organisation kind cannot be created this way.
    pub const KIND_NOT_ALLOWED: &str = "kind_not_allowed";
    /// The parameter id names no parameter of this chain.
    pub const UNKNOWN_PARAM: &str = "unknown_param";
    /// The parameter value is refused by the application that owns it.
    pub const INVALID_PARAM: &str = "invalid_param";
    /// The effective height or date is too early (or of the wrong kind).
    pub const BAD_EFFECTIVE: &str = "bad_effective";
    /// The proposal does not exist.
    pub const UNKNOWN_PROPOSAL: &str = "unknown_proposal";
    /// The proposal is enacted, withdrawn or expired.
    pub const PROPOSAL_CLOSED: &str = "proposal_closed";
    /// The sender's organisation already approved the proposal.
    pub const ALREADY_APPROVED: &str = "already_approved";
    /// Only the proposing organisation may withdraw a proposal.
    pub const NOT_PROPOSER: &str = "not_proposer";
    /// The full node key is already listed (or is a validator's).
    pub const NODE_EXISTS: &str = "node_exists";
    /// The full node key is not listed by governance.
    pub const UNKNOWN_NODE: &str = "unknown_node";
    /// The change would leave nothing to do (same status, no admin…).
    pub const NO_CHANGE: &str = "no_change";
}
