//! Transactions: the signed envelope and the actions it carries.
//!
//! A [`Tx`] names the chain, the sender's public key, a random 64-bit nonce (so many
//! custodial signers can submit concurrently without sequence numbers) and an expiry
//! height. Its hash is SHA-256 of the unsigned encoding, so a re-signed or malleated
//! copy has the same hash and is refused as a replay. The signature covers
//! `len(NAMESPACE_TX) ‖ NAMESPACE_TX ‖ encode(tx)`.

use crate::{
    codec_util::{bytes_size, read_bounded_str, write_bytes},
    express::*,
    field::Field,
    governance::{NewOrganisation, ProposalRef, Propose},
    hash::sha256,
    invoice::*,
    red::*,
    AccountId, Hash32, PublicKey, Role, Signature,
};
use bytes::BufMut;
use commonware_codec::Buf;
use commonware_codec::{Encode, EncodeSize, Error as CodecError, Read, Write};

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
}

impl Default for TxLimits {
    fn default() -> Self {
        Self { max_tx_bytes: 64 * 1024 }
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
        }

        impl Action {
            /// Stable name of the action, used in receipts, logs and metrics.
            pub fn name(&self) -> &'static str {
                match self {
                    Action::AddAccount(_) => "add_account",
                    Action::RevokeAccount { .. } => "revoke_account",
                    $( Action::$variant(_) => $name, )*
                }
            }

            /// The role the sender must hold (`None`: any account; the rule checks
            /// the sender's relation to the object, e.g. the invoice's holder).
            pub fn required_role(&self) -> Option<Role> {
                match self {
                    Action::AddAccount(_) | Action::RevokeAccount { .. } => Some(Role::OrgAdmin),
                    $( Action::$variant(_) => $role, )*
                }
            }

            /// One-byte tag of the action in the canonical encoding; ranges of tags belong
            /// to applications.
            pub fn tag(&self) -> u8 {
                match self {
                    Action::AddAccount(_) => 0x01,
                    Action::RevokeAccount { .. } => 0x02,
                    $( Action::$variant(_) => $tag, )*
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
                }
            }
        }

        impl Read for Action {
            type Cfg = ();
            fn read_cfg(buf: &mut impl Buf, _: &()) -> Result<Self, CodecError> {
                match u8::read_cfg(buf, &())? {
                    0x01 => {
                        let public_key = PublicKey::read_cfg(buf, &())?;
                        let name = read_bounded_str(buf, MAX_NAME)?;
                        let roles = Vec::<Role>::read_cfg(buf, &((0..=MAX_ROLES).into(), ()))?;
                        Ok(Action::AddAccount(NewAccount { public_key, name, roles }))
                    }
                    0x02 => Ok(Action::RevokeAccount { account: AccountId::read_cfg(buf, &())? }),
                    $( $tag => Ok(Action::$variant(<$payload as Field>::read_field(buf)?)), )*
                    t => Err(CodecError::InvalidEnum(t)),
                }
            }
        }
    };
}

payload_actions! {
    /// The tax authority registers a taxpayer.
    RegisterTaxpayer(RegisterTaxpayer) = 0x10, "register_taxpayer", Some(Role::TaxOfficer);
    /// The tax authority freezes, unfreezes or deregisters a taxpayer.
    SetTaxpayerStatus(SetTaxpayerStatus) = 0x11, "set_taxpayer_status", Some(Role::TaxOfficer);
    /// The tax authority sets who may issue for a taxpayer.
    SetIssuers(SetIssuers) = 0x12, "set_issuers", Some(Role::TaxOfficer);
    /// The tax authority sets a monthly credit ceiling.
    GrantCredit(GrantCredit) = 0x13, "grant_credit", Some(Role::TaxOfficer);
    /// A merchant's authorised issuer asks for more credit this month, or a tax officer
    /// raises such a request on a taxpayer's behalf; the lifecycle checks which (`None`
    /// here).
    RequestCredit(RequestCredit) = 0x14, "request_credit", None;
    /// The tax authority decides a credit request.
    DecideCredit(DecideCredit) = 0x15, "decide_credit", Some(Role::TaxOfficer);
    /// A merchant issues an invoice.
    IssueInvoice(IssueInvoice) = 0x20, "issue_invoice", Some(Role::MerchantIssuer);
    /// The holder submits an invoice to an enterprise.
    SubmitInvoice(SubmitInvoice) = 0x21, "submit_invoice", None;
    /// The enterprise accepts a submitted invoice: reimbursed, locked for good.
    AcceptReimbursement(InvoiceRef) = 0x22, "accept_reimbursement", Some(Role::EnterpriseFinance);
    /// The enterprise rejects a submitted invoice, with a reason.
    RejectReimbursement(RejectReimbursement) = 0x23, "reject_reimbursement", Some(Role::EnterpriseFinance);
    /// The buyer enterprise books a special invoice for input-tax deduction.
    BookInvoice(InvoiceRef) = 0x24, "book_invoice", Some(Role::EnterpriseFinance);
    /// The tax authority flags or clears an invoice.
    FlagInvoice(FlagInvoice) = 0x25, "flag_invoice", Some(Role::TaxOfficer);
    /// A taxpayer files its VAT return for a month.
    FileVatReturn(FileVatReturn) = 0x26, "file_vat_return", Some(Role::EnterpriseFinance);
    /// A merchant sets an entry of its product catalogue (authorised issuer only).
    SetCatalogueItem(SetCatalogueItem) = 0x30, "set_catalogue_item", Some(Role::MerchantIssuer);
    /// A merchant turns automatic issuing by a platform on or off (authorised issuer
    /// only).
    SetAutoIssue(SetAutoIssue) = 0x31, "set_auto_issue", Some(Role::MerchantIssuer);
    /// A merchant lists the payment platforms it accepts orders from (authorised
    /// issuer only).
    SetAcceptedPlatforms(SetAcceptedPlatforms) = 0x35, "set_accepted_platforms", Some(Role::MerchantIssuer);
    /// A payment platform (`platform.payments`) or an authorised issuer of the merchant
    /// records a payment order; the lifecycle checks which (`None` here).
    RecordOrder(RecordOrder) = 0x32, "record_order", None;
    /// A consumer claims an order; issued at once under automatic issuing.
    ClaimOrder(ClaimOrder) = 0x33, "claim_order", Some(Role::Consumer);
    /// The merchant issues the invoice of a claimed order.
    IssueForOrder(IssueForOrder) = 0x34, "issue_for_order", Some(Role::MerchantIssuer);
    /// The seller or the buyer raises a red-letter form for a blue invoice (issued at
    /// once when the seller reverses an unused invoice in full).
    RaiseRedForm(RaiseRedForm) = 0x40, "raise_red_form", None;
    /// The other party confirms a form: the seller's confirmation issues the red
    /// invoice at once; the buyer's leaves it to the seller (`IssueRedInvoice`).
    ConfirmRedForm(RedFormRef) = 0x41, "confirm_red_form", None;
    /// The other party refuses a form.
    RefuseRedForm(RedFormRef) = 0x42, "refuse_red_form", None;
    /// The raiser withdraws a form before confirmation, or (the seller) after the
    /// buyer's confirmation as long as the red invoice is not issued.
    WithdrawRedForm(RedFormRef) = 0x43, "withdraw_red_form", None;
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
    /// The seller issues the red invoice of a form the buyer confirmed.
    IssueRedInvoice(RedFormRef) = 0x44, "issue_red_invoice", None;
    /// Express edition: an applicant's fresh key (no account yet; the ledger admits this
    /// action alone from such a key) applies for registration and invoicing rights.
    ApplyForRegistration(ApplyForRegistration) = 0x16, "apply_for_registration", None;
    /// The tax authority approves (registering the taxpayer and its issuer) or rejects
    /// an application.
    ReviewApplication(ReviewApplication) = 0x17, "review_application", Some(Role::TaxOfficer);
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
    type Cfg = ();
    fn read_cfg(buf: &mut impl Buf, _: &()) -> Result<Self, CodecError> {
        Ok(Tx {
            chain_id: read_bounded_str(buf, MAX_CHAIN_ID)?,
            sender: PublicKey::read_cfg(buf, &())?,
            nonce: u64::read_cfg(buf, &())?,
            expiry: u64::read_cfg(buf, &())?,
            action: Action::read_cfg(buf, &())?,
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
        use commonware_codec::DecodeExt;
        Ok(Self::decode(commonware_codec::Copying(bytes))?)
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
    type Cfg = ();
    fn read_cfg(buf: &mut impl Buf, _: &()) -> Result<Self, CodecError> {
        Ok(SignedTx { tx: Tx::read_cfg(buf, &())?, signature: Signature::read_cfg(buf, &())? })
    }
}
