//! Chain data types and their one canonical binary encoding: transactions, blocks, headers,
//! receipts, state keys.
//!
//! Everything that is hashed or signed on a Fapiao chain is encoded with
//! [`commonware_codec`]: fixed-width big-endian integers, `u32`-bounded varint
//! lengths, one-byte enum tags. `docs/formats.md` documents each layout byte by byte
//! and `tests/golden.rs` freezes them.
//!
//! ```
//! use fapiao_types::{Action, PublicKey, Tx};
//! use commonware_codec::Encode;
//!
//! let tx = Tx {
//!     chain_id: "fapiao-demo".into(),
//!     sender: PublicKey::Ed25519([7; 32]),
//!     nonce: 42,
//!     expiry: 600,
//!     action: Action::RevokeAccount { account: [9; 32].into() },
//! };
//! assert_eq!(tx.hash(), fapiao_types::sha256(&tx.encode()));
//! ```
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]

#[macro_use]
mod macros;

mod app_actions;
mod block;
mod codec_util;
pub mod commit;
mod error;
pub mod field;
mod frames;
mod genesis;
pub mod governance;
mod hash;
mod keys;
mod merkle;
pub mod node_auth;
mod receipt;
mod role;
pub mod serde_hex;
pub mod serde_yuan;
mod state;
pub mod state_order;
mod tx;

pub use app_actions::{no_keyless, NotAppAction};
pub use block::{Block, BlockLimits, Header, HEADER_VERSION};
pub use codec_util::{decode_exact, read_bounded_bytes, read_bounded_str, write_bytes};
pub use error::{Error, Result};
pub use fapiao_values::{
    ChinaDate, InvoiceKind, InvoiceNumber, Month, Quantity, RateCode, RegionCode, SellerType,
    UnitPrice, Uscc, Vin,
};
pub use frames::{push_frame, split_frames};
pub use genesis::{
    ConsensusParams, Genesis, GenesisAdmin, GenesisNode, GenesisOrg, GenesisValidator,
    ValidatorInfo,
};
pub use governance::{
    platform_status_labels, Change, Effective, FullNodeRecord, GovernanceConfig, NewAdmin,
    NewOrganisation, OrgStatus, ParamSchedule, ParamValue, ParamVersion, ProposalRecord,
    ProposalRef, ProposalSeq, ProposalStatus, Propose, StatusLabel,
};
pub use hash::{hex32, parse_hex32, sha256, Hash32};
pub use keys::{AccountId, PublicKey, Signature, Suite};
pub use merkle::{merkle_proof, merkle_root, verify_merkle_proof, MerkleProof};
pub use receipt::{Outcome, Receipt, TxOutput, MAX_RECEIPT_TEXT};
pub use role::{OrgKind, Role};
pub use state::{
    valid_key_kind, valid_org_id, valid_sku, AccountRecord, AppKey, OrgRecord, StateKey, TxRecord,
    MAX_APP_KEY, MAX_KEY_KIND, PLATFORM_KINDS,
};
pub use state_order::{KeyOrder, KindOrder};
pub use tx::{
    Action, ActionBodies, ActionCodecs, ActionSpec, AppAction, NewAccount, SignedTx, Tx, TxLimits,
    MAX_NAME,
};

/// What the exported macros' expansions name, so that a crate using them needs none of
/// these dependencies itself. Not a public API.
#[doc(hidden)]
pub mod __private {
    pub use bytes;
    pub use commonware_codec;
    pub use serde;
}

/// Signing namespace of transactions (`_FAPIAO_TX`).
pub const NAMESPACE_TX: &[u8] = b"_FAPIAO_TX";
/// Signing namespace of consensus messages (`_FAPIAO_CONSENSUS`), passed to simplex.
pub const NAMESPACE_CONSENSUS: &[u8] = b"_FAPIAO_CONSENSUS";
/// Handshake namespace of the authenticated peer-to-peer network (`_FAPIAO_P2P`).
pub const NAMESPACE_P2P: &[u8] = b"_FAPIAO_P2P";
