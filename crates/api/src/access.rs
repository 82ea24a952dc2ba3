//! Read access: which state records and transactions a caller may see.
//!
//! Membership data (organisations, accounts, the receipts of membership
//! transactions) is consortium-public: every participant must be able to check who
//! may sign what. Records that hold private data are added with their application
//! and served only to the parties and the tax authority; everyone else gets 404, so
//! a stranger cannot even learn that a private record exists.

use fapiao_types::{AccountRecord, Action, StateKey};

/// Whether `caller` (if authenticated) may read the record under `key`.
pub fn may_read_key(key: &StateKey, _caller: Option<&AccountRecord>) -> bool {
    matches!(key, StateKey::Org(_) | StateKey::Account(_) | StateKey::Tx(_))
}

/// Whether `caller` may read a transaction carrying `action`.
pub fn may_read_action(action: &Action, _caller: Option<&AccountRecord>) -> bool {
    matches!(action, Action::AddAccount(_) | Action::RevokeAccount { .. })
}
