//! Every refusal of the exchange ([`Code`]), with its HTTP status and the field at fault.

fapiao_app::refusals! {
    /// A refusal of the exchange.
    pub enum Code in "exchange" {
        /// The action is not one of the exchange's.
        UnsupportedAction = ("unsupported_action", 400, "action"),
        /// A text is empty where required, too long, or has control characters.
        BadText = ("bad_text", 422, ""),
        /// A list is empty where required, or longer than `exchange/limits` allows.
        BadCount = ("bad_count", 422, ""),
        /// A list names the same department or item twice.
        Duplicate = ("duplicate", 422, ""),
        /// The public key does not have the shape of its suite.
        BadKey = ("bad_key", 400, "public_key"),
        /// A person's resident-ID commitment cannot change with a key rotation.
        CommitmentChanged = ("commitment_changed", 409, "resident_commitment"),
        /// The organisation named does not exist.
        UnknownOrg = ("unknown_org", 404, ""),
        /// The organisation named is not of the kind required (a department, an
        /// enterprise, a tax authority).
        WrongKind = ("wrong_kind", 422, ""),
        /// Only the tax authority does this.
        NotTaxAuthority = ("not_tax_authority", 403, "sender"),
        /// The recipient has no registered key.
        NoKey = ("no_key", 409, "to"),
        /// The envelope's suite is not the recipient's key's suite.
        WrongSuite = ("wrong_suite", 422, "envelope.suite"),
        /// The envelope is not sealed to the recipient's current key epoch.
        WrongEpoch = ("wrong_epoch", 422, "envelope.key_epoch"),
        /// The envelope's sizes do not fit its suite or exceed `exchange/limits`.
        BadEnvelope = ("bad_envelope", 422, "envelope"),
        /// No such catalogue item of that department.
        UnknownItem = ("unknown_item", 404, "item"),
        /// The catalogue item is withdrawn.
        ItemWithdrawn = ("item_withdrawn", 409, "item"),
        /// The asking department is not among the item's askers.
        NotAnAsker = ("not_an_asker", 403, "item"),
        /// A department does not ask itself.
        CannotAskSelf = ("cannot_ask_self", 422, "to"),
        /// The item needs a person's consent: the query must name the person.
        PersonRequired = ("person_required", 422, "person"),
        /// The person has not registered in the exchange.
        NotRegistered = ("not_registered", 404, "person"),
        /// No such query.
        UnknownQuery = ("unknown_query", 404, "query"),
        /// Only the department asked answers a query.
        NotAddressed = ("not_addressed", 403, "sender"),
        /// The query is answered already.
        AlreadyAnswered = ("already_answered", 409, "query"),
        /// No unexpired, unrevoked consent of the person covers (asker, item, purpose).
        NoConsent = ("no_consent", 403, "query"),
        /// The watch key's epoch is not the last one's plus one.
        BadEpoch = ("bad_epoch", 409, "epoch"),
        /// The department already watches this tag.
        AlreadyWatching = ("already_watching", 409, "tag"),
        /// The department does not watch this tag.
        NotWatching = ("not_watching", 404, "tag"),
        /// No such case.
        UnknownCase = ("unknown_case", 404, "case"),
        /// Only the case's departments act on it.
        NotCaseDepartment = ("not_case_department", 403, "sender"),
        /// The case is closed.
        CaseClosed = ("case_closed", 409, "case"),
        /// The assignee is not an active account of one of the case's departments.
        BadAssignee = ("bad_assignee", 422, "assignee"),
        /// A finding is sealed once to each of the case's departments, to no one else.
        BadRecipients = ("bad_recipients", 422, "envelopes"),
        /// The tax year is not this year, the next, or one of the five before.
        BadYear = ("bad_year", 422, "year"),
        /// Months outside 1–12 (12 for the yearly kinds).
        BadMonths = ("bad_months", 422, "items[].months"),
        /// A share outside what the deduction allows (half or all where it may be split).
        BadShare = ("bad_share", 422, "items[].share_bp"),
        /// An amount that is not positive.
        BadAmount = ("bad_amount", 422, "items[].amount"),
        /// An amount above the standard in force (`exchange/deductions`).
        OverStandard = ("over_standard", 422, "items[].amount"),
        /// Serious-illness costs at or below the threshold deduct nothing.
        BelowThreshold = ("below_threshold", 422, "items[].amount"),
        /// A rent needs its city tier.
        MissingRentTier = ("missing_rent_tier", 422, "items[].rent_tier"),
        /// Housing-loan interest and housing rent are not both deducted in one year's
        /// declaration.
        ExclusiveItems = ("exclusive_items", 422, "items"),
        /// The consent's expiry is past, or further ahead than `exchange/limits` allows.
        BadExpiry = ("bad_expiry", 422, "expires_ms"),
        /// No such consent.
        UnknownConsent = ("unknown_consent", 404, "consent"),
        /// The consent is another person's.
        NotYourConsent = ("not_your_consent", 403, "consent"),
        /// The consent is revoked already.
        AlreadyRevoked = ("already_revoked", 409, "consent"),
        /// No such declaration.
        UnknownDeclaration = ("unknown_declaration", 404, "declaration"),
        /// Only the declaration's tax authority verifies it.
        NotItsTaxAuthority = ("not_its_tax_authority", 403, "sender"),
        /// The declaration has no item of that index.
        UnknownItemIndex = ("unknown_item_index", 404, "item"),
        /// An answer relied on is not an answered query of the verifying department (a
        /// verified item relies on at least one).
        BadEvidence = ("bad_evidence", 422, "answers"),
        /// An amount would leave the DECIMAL(18,2) range.
        AmountOverflow = ("amount_overflow", 422, "items"),
        /// (API) This node keeps no key of the department (or person) for that epoch: only
        /// the owner's own node can seal as it or open what is addressed to it.
        KeyNotHeld = ("key_not_held", 409, "authorization"),
        /// (API) No watch key has been shared with the caller's department, so it cannot
        /// tag a subject.
        NoWatchKey = ("no_watch_key", 409, ""),
        /// (API) An envelope does not open with the addressed key under its binding: it was
        /// sealed to another key or for another transaction, or altered.
        Unopenable = ("unopenable", 422, "envelope"),
    }
}
