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

mod block;
mod codec_util;
mod credit;
mod error;
mod express;
pub mod field;
mod frames;
mod genesis;
pub mod governance;
mod hash;
mod history;
mod invoice;
mod keys;
mod merkle;
pub mod node_auth;
mod receipt;
mod red;
mod role;
mod state;
mod tx;

pub use block::{Block, BlockLimits, Header, HEADER_VERSION};
pub use codec_util::{decode_exact, read_bounded_bytes, read_bounded_str, write_bytes};
pub use credit::{CreditAdjustmentKind, CreditAdjustmentRecord, CreditAutoRecord};
pub use error::{Error, Result};
pub use express::{ApplicationRecord, ApplicationStatus, ApplyForRegistration, ReviewApplication};
pub use fapiao_values::{
    ChinaDate, InvoiceNumber, Month, Quantity, RateCode, RegionCode, UnitPrice, Uscc, Vin,
};
pub use frames::{push_frame, split_frames};
pub use genesis::{
    ConsensusParams, Genesis, GenesisAdmin, GenesisNode, GenesisOrg, GenesisValidator,
    ValidatorInfo,
};
pub use governance::{
    Change, Effective, FullNodeRecord, GovernanceConfig, NewAdmin, NewOrganisation, OrgStatus,
    ParamSchedule, ParamValue, ParamVersion, ProposalRecord, ProposalRef, ProposalSeq,
    ProposalStatus, Propose,
};
pub use hash::{hex32, parse_hex32, sha256, Hash32};
pub use history::HistoryEvent;
pub use invoice::status_labels;
pub use invoice::{
    AcceptedPlatformsRecord, AutoIssueRecord, Buyer, BuyerKind, CatalogueItem, Circulation,
    ClaimOrder, CreditDecision, CreditRecord, CreditRequestRecord, DecideCredit, FileVatReturn,
    FlagInvoice, GrantCredit, Industry, InvoiceBody, InvoiceKind, InvoicePublic, InvoiceRef,
    InvoiceStatus, IssueForOrder, IssueInvoice, Line, LineInput, MonthTotals, OrderItem,
    OrderRecord, OrderStatus, PassengerTransport, RecordOrder, RegisterTaxpayer,
    RejectReimbursement, RequestCredit, SellerType, SetAcceptedPlatforms, SetAutoIssue,
    SetCatalogueItem, SetIssuers, SetTaxpayerStatus, StatusLabel, SubmitInvoice, TaxpayerRecord,
    TaxpayerStatus, VatReturn, VehicleVesselTax, MAX_ACCEPTED_PLATFORMS,
};
pub use keys::{AccountId, PublicKey, Signature, Suite};
pub use merkle::{merkle_proof, merkle_root, verify_merkle_proof, MerkleProof};
pub use receipt::{Outcome, Receipt, TxOutput, MAX_RECEIPT_TEXT};
pub use red::{
    RaiseRedForm, RedFormRecord, RedFormRef, RedFormStatus, RedLine, RedReason, RedTotals,
};
pub use role::{OrgKind, Role};
pub use state::{
    valid_key_kind, valid_org_id, valid_sku, AccountRecord, AppKey, OrgRecord, StateKey, TxRecord,
    MAX_APP_KEY, MAX_KEY_KIND, PLATFORM_KINDS,
};
pub use tx::{Action, NewAccount, SignedTx, Tx, TxLimits, MAX_NAME};

/// Signing namespace of transactions (`_FAPIAO_TX`).
pub const NAMESPACE_TX: &[u8] = b"_FAPIAO_TX";
/// Signing namespace of consensus messages (`_FAPIAO_CONSENSUS`), passed to simplex.
pub const NAMESPACE_CONSENSUS: &[u8] = b"_FAPIAO_CONSENSUS";
/// Handshake namespace of the authenticated peer-to-peer network (`_FAPIAO_P2P`).
pub const NAMESPACE_P2P: &[u8] = b"_FAPIAO_P2P";
