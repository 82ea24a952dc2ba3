//! Every refusal of the light client ([`Code`]), with its HTTP status and the field at
//! fault.

fapiao_app::refusals! {
    /// A refusal of the light client.
    pub enum Code in "crosschain" {
        /// The action is not one of the light client's.
        UnsupportedAction = ("unsupported_action", 400, "action"),
        /// No chain with this chain id is registered (the `crosschain/chains` parameter
        /// in force).
        UnknownChain = ("unknown_chain", 404, "chain"),
        /// The header's chain id is not the registered chain's.
        WrongChain = ("wrong_chain", 422, "header.chain_id"),
        /// The header does not descend from the registered genesis (a height-1 header
        /// whose parent is another genesis, or a genesis header relayed).
        WrongGenesis = ("wrong_genesis", 422, "header.parent"),
        /// The header or the finality blob does not decode, or the certificate is made
        /// for another validator set's size.
        Malformed = ("malformed", 400, "header"),
        /// The certificate finalizes another header (a forged or altered header).
        NotCertified = ("not_certified", 422, "certificate"),
        /// Fewer distinct registered validators signed than a quorum.
        TooFewSigners = ("too_few_signers", 422, "certificate"),
        /// A signature does not verify under its registered validator's key.
        BadSignature = ("bad_signature", 422, "certificate"),
        /// The header is older than every header of a full window.
        Stale = ("stale", 409, "header.height"),
        /// A different certified header at a height already kept, or one whose parent
        /// is not the kept header below it: the source's validators signed two chains.
        Conflict = ("conflict", 409, "header"),
        /// No header of the window at that height (a proof names the header it is
        /// against).
        UnknownHeader = ("unknown_header", 404, "height"),
        /// The state proof does not prove the claim under the header's state root.
        BadProof = ("bad_proof", 422, "proof"),
    }
}
