//! The platform's refusal table, beside the values' (re-exported from `fapiao-values`,
//! which declares the machinery: [`Refusal`], [`RefusalCode`], `refusals!`).
//!
//! [`Platform`] lists every code the chain itself answers with, before or around an
//! application: transaction admission and authorisation, membership, governance, the
//! mempool, and the API's own (authentication, limits, routing). They have no namespace;
//! an application's codes carry its name (`invoice.…`).

pub use fapiao_values::refusal::{check_unique, Code as ValueCode, Refusal, RefusalCode, Refused};

fapiao_values::refusals! {
    /// Every refusal of the platform.
    pub enum Platform {
        // Transactions: encoding, signature, expiry, sender.
        /// The body is not a canonical signed transaction (or not the JSON expected).
        Malformed = ("malformed", 400, "body"),
        /// The transaction or request body is over the size limit.
        TooLarge = ("too_large", 413, "tx"),
        /// The signature does not verify.
        BadSignature = ("bad_signature", 401, "signature"),
        /// The transaction names another chain.
        WrongChain = ("wrong_chain", 400, "chain_id"),
        /// The sender (or the account named) is not a known account.
        UnknownAccount = ("unknown_account", 403, "sender"),
        /// The sender's account was revoked.
        RevokedAccount = ("revoked_account", 403, "sender"),
        /// The sender lacks the role the action needs.
        MissingRole = ("missing_role", 403, "sender"),
        /// The expiry height has passed.
        Expired = ("expired", 400, "expiry"),
        /// The expiry height is further ahead than the governed window allows.
        ExpiryTooFar = ("expiry_too_far", 400, "expiry"),
        /// The transaction hash was already used (or is already pending).
        Replayed = ("replayed", 409, "tx"),
        /// Executing the transaction panicked (a bug, caught): it failed and wrote nothing.
        ExecutionFault = ("execution_fault", 500, "tx"),
        /// The transaction wrote a state record the state database cannot hold: a path
        /// over `MAX_STATE_PATH` bytes or a stored value over `MAX_STATE_VALUE` (the field
        /// names the key). It failed and wrote nothing.
        RecordTooLarge = ("record_too_large", 422, ""),
        /// A field value is invalid (a path segment, a query, a JSON field).
        InvalidField = ("invalid_field", 400, ""),
        // Membership.
        /// The account to add already exists.
        AccountExists = ("account_exists", 409, "public_key"),
        /// The account named does not exist.
        NoSuchAccount = ("no_such_account", 404, "account"),
        /// The account belongs to another organisation.
        NotInOrg = ("not_in_org", 403, "account"),
        /// The role cannot be held in this kind of organisation.
        RoleNotAllowed = ("role_not_allowed", 422, "roles"),
        /// The account is already revoked.
        AlreadyRevoked = ("already_revoked", 409, "account"),
        /// An admin may not revoke itself.
        CannotRevokeSelf = ("cannot_revoke_self", 422, "account"),
        /// A public key is not a valid point, or is a weak (small-order) key.
        InvalidKey = ("invalid_key", 400, "public_key"),
        // Organisations and governance.
        /// The sender's organisation is suspended or removed by governance.
        OrgInactive = ("org_inactive", 403, "sender"),
        /// The organisation named does not exist.
        UnknownOrg = ("unknown_org", 404, "org"),
        /// An organisation with this id already exists.
        OrgExists = ("org_exists", 409, "change.org.id"),
        /// The organisation kind cannot be created this way.
        KindNotAllowed = ("kind_not_allowed", 422, "change.org.kind"),
        /// The parameter id names no parameter of this chain.
        UnknownParam = ("unknown_param", 404, "change.param"),
        /// The parameter value is refused by the application that owns it.
        InvalidParam = ("invalid_param", 422, "change.value"),
        /// The effective height or date is too early (or of the wrong kind).
        BadEffective = ("bad_effective", 422, "change.effective"),
        /// The proposal does not exist.
        UnknownProposal = ("unknown_proposal", 404, "proposal"),
        /// The proposal is enacted, withdrawn or expired.
        ProposalClosed = ("proposal_closed", 409, "proposal"),
        /// The sender's organisation already approved the proposal.
        AlreadyApproved = ("already_approved", 409, "proposal"),
        /// Only the proposing organisation may withdraw a proposal.
        NotProposer = ("not_proposer", 403, "sender"),
        /// The full node key is already listed (or is a validator's).
        NodeExists = ("node_exists", 409, "change.public_key"),
        /// The full node key is not listed by governance.
        UnknownNode = ("unknown_node", 404, "change.public_key"),
        /// The change would leave nothing to do (same status, no admin…).
        NoChange = ("no_change", 409, "change"),
        // The mempool.
        /// The pool is full; retry later.
        MempoolFull = ("mempool_full", 503, "tx"),
        /// The sender has too many transactions pending.
        SenderQuota = ("sender_quota", 429, "sender"),
        /// The sender's signatures kept failing; it is refused unverified for a while.
        SignaturesThrottled = ("signatures_throttled", 429, "sender"),
        // The API.
        /// No such route or object.
        NotFound = ("not_found", 404, ""),
        /// A bearer token is required, or the one given is unknown, expired or revoked.
        Unauthorized = ("unauthorized", 401, "authorization"),
        /// A node-to-node request is not signed by a consortium node.
        NodeAuth = ("node_auth", 401, "authorization"),
        /// This node does not hold the caller's key, so it cannot sign for it.
        NotCustodial = ("not_custodial", 403, "authorization"),
        /// A token's, an address's or an invoice's request budget is spent.
        RateLimited = ("rate_limited", 429, ""),
        /// Too many requests in flight.
        Busy = ("busy", 503, ""),
        /// The request (or the wait for its block) took too long.
        Timeout = ("timeout", 503, ""),
        /// The token store cannot be read now; no token is trusted until it can.
        TokensUnavailable = ("tokens_unavailable", 503, "authorization"),
        /// This node holds no QR signing key and no validator answered for it.
        NoQrSigner = ("no_qr_signer", 503, ""),
        /// The block is not finalized yet.
        NotFinalYet = ("not_final_yet", 503, ""),
        /// This node keeps no index for the lookup asked (its config switched it off).
        NotIndexed = ("not_indexed", 501, ""),
        /// A bug or a storage failure.
        Internal = ("internal", 500, ""),
    }
}
