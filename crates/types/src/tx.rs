//! Transactions: the signed envelope and the actions it carries.
//!
//! A [`Tx`] names the chain, the sender's public key, a random 64-bit nonce (so many
//! custodial signers can submit concurrently without sequence numbers) and an expiry
//! height. Its hash is SHA-256 of the unsigned encoding, so a re-signed or malleated
//! copy has the same hash and is refused as a replay. The signature covers
//! `len(NAMESPACE_TX) ‖ NAMESPACE_TX ‖ encode(tx)`.

use crate::{
    codec_util::{bytes_size, read_bounded_str, write_bytes},
    field::Field,
    governance::{NewOrganisation, ProposalRef, Propose},
    hash::sha256,
    AccountId, Hash32, PublicKey, Role, Signature,
};
use bytes::BufMut;
use commonware_codec::Buf;
use commonware_codec::{Encode, EncodeSize, Error as CodecError, Read, Write};
use core::ops::RangeInclusive;

/// Longest chain id, in bytes.
pub const MAX_CHAIN_ID: usize = 64;
/// Longest display name, in bytes.
pub const MAX_NAME: usize = 128;
/// Most roles one account holds.
pub const MAX_ROLES: usize = 16;

/// Decoding limits of a transaction.
#[derive(Clone, Copy, Debug)]
pub struct TxLimits {
    /// Largest encoded signed transaction accepted, in bytes.
    pub max_tx_bytes: usize,
    /// The decoders of the applications' actions (a tag no registered application owns
    /// is refused).
    pub actions: ActionCodecs,
}

impl TxLimits {
    /// The default size limit (64 KiB) with the applications' decoders `actions`.
    pub fn with_actions(actions: ActionCodecs) -> Self {
        Self { max_tx_bytes: 64 * 1024, actions }
    }
}

/// What the chain knows of one application action without decoding its body: its tag,
/// its stable name (stored in history rows), the role its sender needs and whether a key
/// with no account may send it.
#[derive(Debug, PartialEq, Eq)]
pub struct ActionSpec {
    /// One-byte tag in the canonical encoding.
    pub tag: u8,
    /// Stable name, used in receipts, history rows, logs and metrics.
    pub name: &'static str,
    /// The role the sender must hold (`None`: any account; the rule checks the sender's
    /// relation to the object).
    pub role: Option<Role>,
    /// Whether a key with no account may send it (an applicant's fresh key).
    pub keyless: bool,
}

/// An application's decoder of its action bodies: what the envelope needs to split a
/// transaction whose body it cannot read itself.
pub trait ActionBodies: Send + Sync + 'static {
    /// The tags it owns.
    fn tags(&self) -> RangeInclusive<u8>;

    /// The spec of `tag` (`None`: no action has it, though the range is owned).
    fn spec(&self, tag: u8) -> Option<&'static ActionSpec>;

    /// Fully decodes (every bound and range checked) the body of action `tag` at the start
    /// of `bytes`; returns its length.
    ///
    /// # Errors
    /// The body is malformed, out of bounds or truncated.
    fn body_len(&self, tag: u8, bytes: &[u8]) -> Result<usize, CodecError>;
}

/// The action decoders of the registered applications: the codec configuration of
/// [`Action`]. The default knows none, so it decodes platform actions only.
#[derive(Clone, Copy, Default)]
pub struct ActionCodecs(pub &'static [&'static dyn ActionBodies]);

impl ActionCodecs {
    /// The decoder owning `tag`, if any.
    pub fn owner(&self, tag: u8) -> Option<&'static dyn ActionBodies> {
        self.0.iter().copied().find(|b| b.tags().contains(&tag))
    }

    /// Whether every tag of `bodies` decodes through these decoders, with its spec.
    pub fn covers(&self, bodies: &dyn ActionBodies) -> bool {
        bodies.tags().all(|t| match (bodies.spec(t), self.owner(t).and_then(|o| o.spec(t))) {
            (None, _) => true,
            (Some(want), Some(have)) => core::ptr::eq(want, have),
            (Some(_), None) => false,
        })
    }
}

impl core::fmt::Debug for ActionCodecs {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_list().entries(self.0.iter().map(|b| b.tags())).finish()
    }
}

/// An application's action, opaque to the platform: its spec and its body (the bytes
/// after the tag), which its owner decodes. Its encoding is `tag ‖ body`, byte for byte
/// the encoding the owner gives the typed action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppAction {
    spec: &'static ActionSpec,
    body: Vec<u8>,
}

impl AppAction {
    /// The action `spec` with the canonical encoding `body` of its payload. Only the
    /// owning application builds one (from its typed action); the decoder builds the
    /// others after its owner checked the body.
    pub fn from_encoded(spec: &'static ActionSpec, body: Vec<u8>) -> Self {
        Self { spec, body }
    }

    /// Its spec: tag, name, role, keyless.
    pub fn spec(&self) -> &'static ActionSpec {
        self.spec
    }

    /// Its tag.
    pub fn tag(&self) -> u8 {
        self.spec.tag
    }

    /// The encoded payload (after the tag).
    pub fn body(&self) -> &[u8] {
        &self.body
    }
}

/// A member account an organisation admin adds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAccount {
    /// The member's public key (its suite is the account's suite).
    pub public_key: PublicKey,
    /// Display name.
    pub name: String,
    /// Roles granted (must fit the organisation's kind).
    pub roles: Vec<Role>,
}

macro_rules! payload_actions {
    ($( $(#[$m:meta])* $variant:ident($payload:ty) = $tag:expr, $name:expr, $role:expr; )*) => {
        /// What a transaction does.
        #[derive(Clone, Debug, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum Action {
            /// Adds an account to the sender's organisation (needs `org.admin`).
            AddAccount(NewAccount),
            /// Revokes an account of the sender's organisation (needs `org.admin`).
            RevokeAccount {
                /// The account to revoke.
                account: AccountId,
            },
            $( $(#[$m])* $variant($payload), )*
            /// An application's action (tags `0x10..=0x4f`), decoded by its owner.
            App(AppAction),
        }

        impl Action {
            /// Stable name of the action, used in receipts, logs and metrics.
            pub fn name(&self) -> &'static str {
                match self {
                    Action::AddAccount(_) => "add_account",
                    Action::RevokeAccount { .. } => "revoke_account",
                    $( Action::$variant(_) => $name, )*
                    Action::App(a) => a.spec.name,
                }
            }

            /// The role the sender must hold (`None`: any account; the rule checks
            /// the sender's relation to the object, e.g. the invoice's holder).
            pub fn required_role(&self) -> Option<Role> {
                match self {
                    Action::AddAccount(_) | Action::RevokeAccount { .. } => Some(Role::OrgAdmin),
                    $( Action::$variant(_) => $role, )*
                    Action::App(a) => a.spec.role,
                }
            }

            /// One-byte tag of the action in the canonical encoding; ranges of tags belong
            /// to applications.
            pub fn tag(&self) -> u8 {
                match self {
                    Action::AddAccount(_) => 0x01,
                    Action::RevokeAccount { .. } => 0x02,
                    $( Action::$variant(_) => $tag, )*
                    Action::App(a) => a.spec.tag,
                }
            }

            /// Whether a key with no account may send it (only an application's action
            /// can say so).
            pub fn keyless(&self) -> bool {
                matches!(self, Action::App(a) if a.spec.keyless)
            }

            /// The application action it is, if it is one.
            pub fn app(&self) -> Option<&AppAction> {
                match self {
                    Action::App(a) => Some(a),
                    _ => None,
                }
            }
        }

        impl Write for Action {
            fn write(&self, buf: &mut impl BufMut) {
                buf.put_u8(self.tag());
                match self {
                    Action::AddAccount(a) => {
                        a.public_key.write(buf);
                        write_bytes(a.name.as_bytes(), buf);
                        a.roles.write(buf);
                    }
                    Action::RevokeAccount { account } => account.write(buf),
                    $( Action::$variant(p) => Field::write_field(p, buf), )*
                    Action::App(a) => buf.put_slice(&a.body),
                }
            }
        }

        impl EncodeSize for Action {
            fn encode_size(&self) -> usize {
                1 + match self {
                    Action::AddAccount(a) => {
                        a.public_key.encode_size()
                            + bytes_size(a.name.as_bytes())
                            + a.roles.encode_size()
                    }
                    Action::RevokeAccount { account } => account.encode_size(),
                    $( Action::$variant(p) => Field::field_size(p), )*
                    Action::App(a) => a.body.len(),
                }
            }
        }

        impl Read for Action {
            type Cfg = ActionCodecs;
            fn read_cfg(buf: &mut impl Buf, codecs: &ActionCodecs) -> Result<Self, CodecError> {
                match u8::read_cfg(buf, &())? {
                    0x01 => {
                        let public_key = PublicKey::read_cfg(buf, &())?;
                        let name = read_bounded_str(buf, MAX_NAME)?;
                        let roles = Vec::<Role>::read_cfg(buf, &((0..=MAX_ROLES).into(), ()))?;
                        Ok(Action::AddAccount(NewAccount { public_key, name, roles }))
                    }
                    0x02 => Ok(Action::RevokeAccount { account: AccountId::read_cfg(buf, &())? }),
                    $( $tag => Ok(Action::$variant(<$payload as Field>::read_field(buf)?)), )*
                    t => read_app(t, buf, codecs),
                }
            }
        }
    };
}

payload_actions! {
    /// An organisation admin proposes a governance change (their organisation approves).
    Propose(Propose) = 0x50, "propose", Some(Role::OrgAdmin);
    /// An organisation admin approves a proposal for their organisation; the approval
    /// that reaches the threshold enacts it.
    ApproveProposal(ProposalRef) = 0x51, "approve_proposal", Some(Role::OrgAdmin);
    /// An admin of the proposing organisation withdraws an open proposal.
    WithdrawProposal(ProposalRef) = 0x52, "withdraw_proposal", Some(Role::OrgAdmin);
    /// The tax authority creates an enterprise organisation (a merchant or other
    /// taxpayer) with its admins.
    CreateEnterprise(NewOrganisation) = 0x53, "create_enterprise", Some(Role::TaxOfficer);
}

/// Reads the body of application action `tag` with its owner's decoder, which checks it
/// fully (a bad body makes the transaction, and its block, undecodable).
fn read_app(tag: u8, buf: &mut impl Buf, codecs: &ActionCodecs) -> Result<Action, CodecError> {
    let Some((owner, spec)) = codecs.owner(tag).and_then(|o| Some((o, o.spec(tag)?))) else {
        return Err(CodecError::InvalidEnum(tag));
    };
    let chunk = buf.chunk();
    let len = owner.body_len(tag, chunk).map_err(|e| {
        // Every input of the chain is one contiguous slice; a body split across the
        // chunks of some other buffer is refused rather than misread.
        if chunk.len() < buf.remaining() {
            CodecError::Invalid("Action", "application body split across buffer chunks")
        } else {
            e
        }
    })?;
    if len > chunk.len() {
        return Err(CodecError::EndOfBuffer);
    }
    let body = chunk[..len].to_vec();
    buf.advance(len);
    Ok(Action::App(AppAction { spec, body }))
}

/// An unsigned transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tx {
    /// The chain this transaction is for (refused elsewhere).
    pub chain_id: String,
    /// The sender's public key; the sender account is its [`PublicKey::account_id`].
    pub sender: PublicKey,
    /// Random 64-bit value making otherwise-equal transactions distinct.
    pub nonce: u64,
    /// Last height at which the transaction may be included.
    pub expiry: u64,
    /// What it does.
    pub action: Action,
}

impl Tx {
    /// The transaction hash: SHA-256 of the unsigned canonical encoding.
    pub fn hash(&self) -> Hash32 {
        sha256(&self.encode())
    }

    /// The sender's account id.
    pub fn sender_account(&self) -> AccountId {
        self.sender.account_id()
    }
}

impl Write for Tx {
    fn write(&self, buf: &mut impl BufMut) {
        write_bytes(self.chain_id.as_bytes(), buf);
        self.sender.write(buf);
        self.nonce.write(buf);
        self.expiry.write(buf);
        self.action.write(buf);
    }
}

impl EncodeSize for Tx {
    fn encode_size(&self) -> usize {
        bytes_size(self.chain_id.as_bytes())
            + self.sender.encode_size()
            + 8
            + 8
            + self.action.encode_size()
    }
}

impl Read for Tx {
    type Cfg = ActionCodecs;
    fn read_cfg(buf: &mut impl Buf, codecs: &ActionCodecs) -> Result<Self, CodecError> {
        Ok(Tx {
            chain_id: read_bounded_str(buf, MAX_CHAIN_ID)?,
            sender: PublicKey::read_cfg(buf, &())?,
            nonce: u64::read_cfg(buf, &())?,
            expiry: u64::read_cfg(buf, &())?,
            action: Action::read_cfg(buf, codecs)?,
        })
    }
}

/// A transaction with its sender's signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedTx {
    /// The transaction.
    pub tx: Tx,
    /// Signature by `tx.sender` over the namespaced encoding of `tx`.
    pub signature: Signature,
}

impl SignedTx {
    /// The transaction hash (of the unsigned part).
    pub fn hash(&self) -> Hash32 {
        self.tx.hash()
    }

    /// The exact bytes the sender signs: `len ‖ NAMESPACE_TX ‖ encode(tx)`.
    pub fn signing_payload(tx: &Tx) -> Vec<u8> {
        let body = tx.encode();
        let mut out = Vec::with_capacity(1 + crate::NAMESPACE_TX.len() + body.len());
        out.push(crate::NAMESPACE_TX.len() as u8);
        out.extend_from_slice(crate::NAMESPACE_TX);
        out.extend_from_slice(&body);
        out
    }

    /// Decodes a signed transaction, refusing more than `limits.max_tx_bytes` or
    /// trailing bytes.
    ///
    /// # Errors
    /// [`crate::Error::Invalid`] (`tx`, too large) or [`crate::Error::Codec`].
    pub fn decode_limited(bytes: &[u8], limits: &TxLimits) -> crate::Result<Self> {
        if bytes.len() > limits.max_tx_bytes {
            return Err(crate::Error::invalid(
                "tx",
                format!("{} bytes is over the limit of {}", bytes.len(), limits.max_tx_bytes),
            ));
        }
        use commonware_codec::Decode;
        Ok(Self::decode_cfg(commonware_codec::Copying(bytes), &limits.actions)?)
    }
}

impl Write for SignedTx {
    fn write(&self, buf: &mut impl BufMut) {
        self.tx.write(buf);
        self.signature.write(buf);
    }
}

impl EncodeSize for SignedTx {
    fn encode_size(&self) -> usize {
        self.tx.encode_size() + 64
    }
}

impl Read for SignedTx {
    type Cfg = ActionCodecs;
    fn read_cfg(buf: &mut impl Buf, codecs: &ActionCodecs) -> Result<Self, CodecError> {
        Ok(SignedTx { tx: Tx::read_cfg(buf, codecs)?, signature: Signature::read_cfg(buf, &())? })
    }
}
