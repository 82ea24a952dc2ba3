//! Every refusal of the finance application ([`Code`]), with its HTTP status and the
//! field at fault. The light client's codes (`crosschain.unknown_chain`,
//! `crosschain.unknown_header`, `crosschain.stale`, `crosschain.bad_proof`) pass through
//! unchanged, their field prefixed with the claim's (`records[2].proof`).

fapiao_app::refusals! {
    /// A refusal of the finance application.
    pub enum Code in "finance" {
        /// The action is not one of the finance application's.
        UnsupportedAction = ("unsupported_action", 400, "action"),
        /// The sender's organisation is not a bank.
        NotABank = ("not_a_bank", 403, "sender"),
        /// An amount that is not positive, above the invoice's total, or not 0 on a
        /// decline.
        BadAmount = ("bad_amount", 422, "amount"),
        /// A term outside 1–360 months, or not 0 on a decline.
        BadTerm = ("bad_term", 422, "term_months"),
        /// A rate outside 1–10000 basis points, or not 0 on a decline.
        BadRate = ("bad_rate", 422, "rate_bp"),
        /// An empty, over-long or control-character text.
        BadText = ("bad_text", 422, "purpose"),
        /// More claims than an application may carry.
        TooManyClaims = ("too_many_claims", 422, "records"),
        /// A claim of a chain other than the tax chain the `finance/financing` parameter
        /// names (a proof from another chain).
        NotTaxChain = ("not_tax_chain", 422, "grant.chain_id"),
        /// A claim's key is not of the kind the field carries.
        WrongKey = ("wrong_key", 422, "grant.key"),
        /// A claim of a key the action needs present proves it absent.
        Absent = ("absent", 404, "grant.value"),
        /// A proven value that does not decode, or disagrees with its key.
        BadRecord = ("bad_record", 422, "grant.value"),
        /// The grant names another receiving chain.
        OtherChain = ("other_chain", 422, "grant.value.chain_id"),
        /// The grant names another bank than the sender's.
        NotGrantee = ("not_grantee", 403, "grant.value.bank"),
        /// A record, grant or invoice of another enterprise than the one named.
        WrongUscc = ("wrong_uscc", 422, "uscc"),
        /// The grant was revoked at the proven header.
        GrantRevoked = ("grant_revoked", 409, "grant"),
        /// The grant had expired at the proven header, or has at this block's time.
        GrantExpired = ("grant_expired", 409, "grant.value.expires_ms"),
        /// A record or an opening of a field or month the grant does not cover; an
        /// opening of the industry package of a month or metric its proven records do not
        /// commit.
        UndisclosedField = ("undisclosed_field", 422, "records"),
        /// A tax record proven at another header than the grant.
        MixedHeights = ("mixed_heights", 422, "records"),
        /// The same record claimed twice, or the same figure opened twice.
        DuplicateClaim = ("duplicate_claim", 422, "records"),
        /// The grant was already used for an application (a replay, or a second
        /// application of the same grant).
        DuplicateApplication = ("duplicate_application", 409, "grant"),
        /// No loan with this id.
        UnknownLoan = ("unknown_loan", 404, "loan"),
        /// The loan is another bank's.
        NotYourLoan = ("not_your_loan", 403, "loan"),
        /// The loan is decided already.
        AlreadyDecided = ("already_decided", 409, "loan"),
        /// The invoice is reversed (fully, by red invoices) or flagged by the tax
        /// authority at the proven header.
        InvoiceReversed = ("invoice_reversed", 409, "invoice.value"),
        /// A red invoice (negative total) is not financed.
        RedInvoice = ("red_invoice", 422, "invoice.value"),
        /// The proof's header is older than the `finance/financing` freshness window.
        ProofTooOld = ("proof_too_old", 409, "invoice.height"),
        /// The invoice is financed already, by this bank or another.
        AlreadyFinanced = ("already_financed", 409, "invoice.key"),
        /// No financing of this invoice.
        UnknownFinancing = ("unknown_financing", 404, "number"),
        /// The financing is another bank's.
        NotYourFinancing = ("not_your_financing", 403, "number"),
        /// The relayed proof does not show the invoice reversed or flagged.
        NotReversed = ("not_reversed", 409, "invoice.value"),
        /// The proof is against a header older than the financing's latest proof.
        OlderProof = ("older_proof", 409, "invoice.height"),
        /// The financing is at risk already.
        AlreadyAtRisk = ("already_at_risk", 409, "number"),
        /// The financing is repaid or settled.
        Closed = ("closed", 409, "number"),
        /// An opening (of the tax summary or of the industry package) does not open the
        /// proven commitment (a wrong salt or value): the bank's node refuses the package
        /// before anything is submitted.
        WrongSalt = ("wrong_salt", 422, "openings"),
        /// The tax (or industry) header the package is proven at is not yet in this
        /// chain's window; retry once the relayer has carried it.
        HeaderPending = ("header_pending", 503, "grant.height"),
    }
}
