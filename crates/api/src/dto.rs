//! JSON shapes of requests and responses. Hashes, keys and encodings are lower-case
//! hex; heights are integers.

use commonware_codec::Encode;
use fapiao_types::{Action, Header, Outcome, Receipt, SignedTx};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A validator of the genesis.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct ValidatorJson {
    /// Display name.
    pub name: String,
    /// Ed25519 public key (hex).
    pub public_key: String,
    /// Peer-to-peer address.
    pub p2p_address: String,
}

/// A consensus peer as this node sees it.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
pub struct PeerStatus {
    /// Ed25519 public key (hex).
    pub public_key: String,
    /// Address.
    pub address: String,
    /// Whether this is the node itself.
    pub is_self: bool,
    /// Whether a connection is up (`null` when this node does not track it).
    pub connected: Option<bool>,
    /// Latest height the peer was seen at, if known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub height: Option<u64>,
}

/// Mempool counters.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct MempoolJson {
    /// Pending transactions.
    pub pending: usize,
    /// Pending bytes.
    pub bytes: usize,
}

/// `GET /v1/status`.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct StatusResponse {
    /// Chain id.
    pub chain_id: String,
    /// `validator` or `full` (a non-voting node that follows the validators).
    pub role: String,
    /// Latest executed height.
    pub height: u64,
    /// Latest finalized height known to consensus.
    pub finalized_height: u64,
    /// The state height the latest header commits to.
    pub state_height: u64,
    /// The state root of `state_height` (hex).
    pub state_root: String,
    /// Root of the state after executing `height` (hex).
    pub executed_state_root: String,
    /// Digest of the latest executed header (hex).
    pub head_digest: String,
    /// Validators.
    pub validators: Vec<ValidatorJson>,
    /// Peers.
    pub peers: Vec<PeerStatus>,
    /// Mempool.
    pub mempool: MempoolJson,
}

/// `POST /v1/transactions` JSON body.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct SubmitJson {
    /// Hex of the canonical signed transaction.
    pub tx: String,
}

/// A receipt.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
pub struct ReceiptJson {
    /// Transaction hash (hex).
    pub tx_hash: String,
    /// Block height.
    pub height: u64,
    /// Position in the block.
    pub index: u32,
    /// `ok` or `failed`.
    pub status: String,
    /// Failure code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The field at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// What the transaction created with a chain-allocated id (an invoice number, an
    /// order id, a red-letter form id).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub output: String,
    /// Failure message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl From<&Receipt> for ReceiptJson {
    fn from(r: &Receipt) -> Self {
        let (status, code, field, message) = match &r.outcome {
            Outcome::Ok => ("ok", None, None, None),
            Outcome::Failed { code, field, message } => (
                "failed",
                Some(code.clone()),
                (!field.is_empty()).then(|| field.clone()),
                Some(message.clone()),
            ),
        };
        Self {
            tx_hash: hex::encode(r.tx_hash),
            height: r.height,
            index: r.index,
            status: status.into(),
            code,
            field,
            output: r.output.to_string(),
            message,
        }
    }
}

/// `POST /v1/transactions` answer.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct SubmitResponse {
    /// Transaction hash (hex).
    pub hash: String,
    /// `committed` (executed; see `receipt`) or `pending` (admitted, not yet executed).
    pub status: String,
    /// Block height, when committed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub height: Option<u64>,
    /// Receipt, when committed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub receipt: Option<ReceiptJson>,
}

/// A transaction, decoded.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct TxJson {
    /// Chain id.
    pub chain_id: String,
    /// Sender suite.
    pub suite: String,
    /// Sender public key (hex).
    pub sender: String,
    /// Sender account id (hex).
    pub sender_account: String,
    /// Nonce.
    pub nonce: u64,
    /// Expiry height.
    pub expiry: u64,
    /// The action: `{"type": name, ...fields}`.
    #[schema(value_type = Object)]
    pub action: serde_json::Value,
    /// Signature (hex).
    pub signature: String,
    /// Canonical encoding of the signed transaction (hex).
    pub encoded: String,
}

/// JSON of an action.
pub fn action_json(action: &Action) -> serde_json::Value {
    match action {
        Action::AddAccount(a) => serde_json::json!({
            "type": action.name(),
            "suite": a.public_key.suite().as_str(),
            "public_key": a.public_key.to_hex(),
            "account": a.public_key.account_id().to_string(),
            "name": a.name,
            "roles": a.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
        }),
        Action::RevokeAccount { account } => serde_json::json!({
            "type": action.name(),
            "account": account.to_string(),
        }),
        #[allow(unreachable_patterns)]
        other => serde_json::json!({ "type": other.name() }),
    }
}

impl From<&SignedTx> for TxJson {
    fn from(s: &SignedTx) -> Self {
        Self {
            chain_id: s.tx.chain_id.clone(),
            suite: s.tx.sender.suite().as_str().into(),
            sender: s.tx.sender.to_hex(),
            sender_account: s.tx.sender_account().to_string(),
            nonce: s.tx.nonce,
            expiry: s.tx.expiry,
            action: action_json(&s.tx.action),
            signature: hex::encode(s.signature.0),
            encoded: hex::encode(s.encode()),
        }
    }
}

/// `GET /v1/transactions/{hash}`.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct TxResponse {
    /// Hash (hex).
    pub hash: String,
    /// The transaction.
    pub tx: TxJson,
    /// Its receipt.
    pub receipt: ReceiptJson,
}

/// A block header.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
pub struct HeaderJson {
    /// Layout version.
    pub version: u8,
    /// SHA-256 of the chain id (hex).
    pub chain_id: String,
    /// Height.
    pub height: u64,
    /// Parent digest (hex).
    pub parent: String,
    /// Proposer time, ms since the Unix epoch.
    pub time_ms: u64,
    /// Proposer's validator index.
    pub proposer: u32,
    /// Merkle root of the transaction hashes (hex).
    pub tx_root: String,
    /// Number of transactions.
    pub tx_count: u32,
    /// Height whose state this header commits to.
    pub state_height: u64,
    /// State root after `state_height` (hex).
    pub state_root: String,
}

impl From<&Header> for HeaderJson {
    fn from(h: &Header) -> Self {
        Self {
            version: h.version,
            chain_id: hex::encode(h.chain_id),
            height: h.height,
            parent: hex::encode(h.parent),
            time_ms: h.time_ms,
            proposer: h.proposer,
            tx_root: hex::encode(h.tx_root),
            tx_count: h.tx_count,
            state_height: h.state_height,
            state_root: hex::encode(h.state_root),
        }
    }
}

/// `GET /v1/blocks/{height}`.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct BlockResponse {
    /// Height.
    pub height: u64,
    /// Header digest (hex) — what consensus certified.
    pub digest: String,
    /// The header.
    pub header: HeaderJson,
    /// Canonical header encoding (hex); SHA-256 of it is `digest`.
    pub header_hex: String,
    /// Transaction hashes in order (hex).
    pub tx_hashes: Vec<String>,
    /// Outcome of each transaction, in the same order: `ok`, or the failure code
    /// (`replayed`, `invoice.already_reimbursed`, …) — what a client following commits needs; the
    /// receipt's output and message stay with the parties (`GET /v1/transactions/{hash}`).
    pub outcomes: Vec<String>,
    /// The finalization certificate, decoded (absent for genesis, and when the node cannot
    /// decode the blob); `certificate_hex` is what a verifier checks.
    #[schema(value_type = Object, required = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate: Option<serde_json::Value>,
    /// The stored finality blob (hex; empty for genesis).
    pub certificate_hex: String,
}

/// A state proof.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct ProofJson {
    /// The executed height whose resulting state is proven (the node's tip when asked;
    /// `header.state_height`).
    pub state_height: u64,
    /// borsh-encoded jmt `SparseMerkleProof<Sha256>` (hex).
    pub proof: String,
    /// The first header whose `state_height` is `state_height`: its `state_root` is the
    /// root the proof is against.
    pub header: HeaderJson,
    /// Its canonical encoding (hex).
    pub header_hex: String,
    /// Its digest (hex).
    pub header_digest: String,
    /// The headers after `header` up to the one the certificate finalizes, in order
    /// (canonical encodings, hex); empty when it finalizes `header` itself.
    #[serde(default)]
    pub descendants_hex: Vec<String>,
    /// The finalization certificate of the last header (`header` or the last descendant),
    /// decoded (absent when the node cannot decode it, or the blob is empty);
    /// `certificate_hex` is what a verifier checks.
    #[schema(value_type = Object, required = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate: Option<serde_json::Value>,
    /// The stored finality blob (hex).
    pub certificate_hex: String,
}

/// `GET /v1/state/{key}`.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct StateResponse {
    /// The key path.
    pub key: String,
    /// The record decoded, **only** for `org/`, `account/` and `tx/` keys; absent for every
    /// other key (read `value_hex`) and when the key has no value.
    #[schema(value_type = Object, required = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<serde_json::Value>,
    /// The record's canonical encoding (hex, docs/formats.md §8), what the proof proves:
    /// present whenever the key has a value; absent only with `?proof=true` for a key the
    /// proof shows absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_hex: Option<String>,
    /// Proof, when `?proof=true`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proof: Option<ProofJson>,
}

/// `POST /v1/accounts` body: an org admin (the token's account) adds a member whose
/// key this node generates and keeps.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct NewAccountRequest {
    /// Display name.
    pub name: String,
    /// Roles (e.g. `merchant.issuer`).
    #[serde(default)]
    pub roles: Vec<String>,
    /// `ed25519` (default) or `sm2`.
    #[serde(default)]
    pub suite: Option<String>,
    /// Also create an API token for the new member (default true).
    #[serde(default)]
    pub create_token: Option<bool>,
}

/// `POST /v1/accounts` answer.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct NewAccountResponse {
    /// New account id (hex).
    pub account: String,
    /// Suite.
    pub suite: String,
    /// Public key (hex).
    pub public_key: String,
    /// API token for the member (shown once).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// The add-account transaction's hash (hex).
    pub tx_hash: String,
    /// Where it committed.
    pub height: u64,
}

/// `POST /v1/accounts/{account}/revoke` answer, and any custodial submission.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct CustodialResponse {
    /// Transaction hash (hex).
    pub tx_hash: String,
    /// The receipt.
    pub receipt: ReceiptJson,
}
