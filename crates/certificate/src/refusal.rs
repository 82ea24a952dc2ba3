//! Every refusal of the tax-certificate application, in one table (codes
//! `certificate.…`). A value refused by its type answers with the shared values' codes
//! (`bad_vin`, `bad_date`, …), a missing right with the platform's (`missing_role`).

fapiao_app::refusals! {
    /// A refusal of the tax-certificate application.
    pub enum Code in "certificate" {
        /// The action is not one of this application's (a hand-built action).
        UnsupportedAction = ("unsupported_action", 422, "action"),
        /// The policy number is not 1–32 letters, digits or hyphens.
        BadPolicyNo = ("bad_policy_no", 422, "policy_no"),
        /// The plate is not a mainland plate number (`粤B12345`, `粤BD12345`).
        BadPlate = ("bad_plate", 422, "plate"),
        /// The size does not fit the vehicle class.
        BadSize = ("bad_size", 422, "size"),
        /// The owner's name or masked ID is missing, too long, or the ID is not masked.
        BadOwner = ("bad_owner", 422, "owner_name"),
        /// The owner's wallet account does not exist or is revoked.
        UnknownOwner = ("unknown_owner", 404, "owner"),
        /// The tax year is neither the collection year nor the next one.
        BadTaxYear = ("bad_tax_year", 422, "tax_year"),
        /// Back-tax years must be distinct earlier years, ascending, at most ten.
        BadBackYears = ("bad_back_years", 422, "back_years"),
        /// A year collected is before the vehicle was acquired.
        BeforeAcquisition = ("before_acquisition", 422, "acquired"),
        /// The relief stated is not the one the class and energy type give.
        ReliefMismatch = ("relief_mismatch", 422, "relief"),
        /// A line differs from the recomputation (the field names the line and figure).
        LineMismatch = ("line_mismatch", 422, "lines"),
        /// The total is not the sum of the lines' tax and late fees.
        TotalMismatch = ("total_mismatch", 422, "total"),
        /// The vehicle's tax for that year is already collected.
        AlreadyCollected = ("already_collected", 409, "tax_year"),
        /// No collection has that id.
        UnknownCollection = ("unknown_collection", 404, "collection"),
        /// Only the owner's account exchanges a collection for a certificate.
        NotOwner = ("not_owner", 403, "sender"),
        /// The collection was already exchanged for a certificate.
        AlreadyExchanged = ("already_exchanged", 409, "collection"),
        /// Only the collecting insurer refunds or settles a collection.
        NotCollectingInsurer = ("not_collecting_insurer", 403, "collection"),
        /// The event date is outside the tax year, before the collection or the
        /// acquisition, or after today.
        BadEventDate = ("bad_event_date", 422, "event_date"),
        /// The refund's months or amount differ from the recomputation.
        RefundMismatch = ("refund_mismatch", 422, "amount"),
        /// A refund is already recorded against the collection.
        AlreadyRefunded = ("already_refunded", 409, "collection"),
        /// The collection collected no tax for its year (an exempt vehicle).
        NothingToRefund = ("nothing_to_refund", 422, "collection"),
        /// A settlement lists nothing, or more than 1000 items of a kind.
        EmptySettlement = ("empty_settlement", 422, "collections"),
        /// A settlement lists an item twice.
        DuplicateItem = ("duplicate_item", 422, "collections"),
        /// A collection or refund listed is already settled.
        AlreadySettled = ("already_settled", 409, "collections"),
        /// A refund listed has no refund recorded.
        NoRefund = ("no_refund", 422, "refunds"),
        /// The settlement's totals do not reconcile to the fen.
        SettlementMismatch = ("settlement_mismatch", 422, "net"),
        /// No settlement has that id.
        UnknownSettlement = ("unknown_settlement", 404, "settlement"),
        /// The settlement is already confirmed.
        AlreadyConfirmed = ("already_confirmed", 409, "settlement"),
    }
}
