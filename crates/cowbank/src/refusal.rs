//! Every refusal of the cow bank ([`Code`]), with its HTTP status and the field at fault.

fapiao_app::refusals! {
    /// A refusal of the cow bank.
    pub enum Code in "cowbank" {
        /// The action is not one of the cow bank's.
        UnsupportedAction = ("unsupported_action", 400, "action"),
        /// The sender's organisation is not a village collective.
        NotCollective = ("not_collective", 403, "sender"),
        /// A name or text is empty where required, too long, or has control characters.
        BadText = ("bad_text", 422, ""),
        /// A date is after the block's date, or out of order (an end before a start).
        BadDate = ("bad_date", 422, "date"),
        /// An amount, price or weight is not positive.
        BadAmount = ("bad_amount", 422, "amount"),
        /// An amount would leave the DECIMAL(18,2) range.
        AmountOverflow = ("amount_overflow", 422, "amount"),
        /// The ear tag is not a 15-digit cattle tag (species 2, county code, serial).
        BadEarTag = ("bad_ear_tag", 400, "tag"),
        /// The household is already registered.
        HouseholdExists = ("household_exists", 409, "household"),
        /// No such household in this village.
        UnknownHousehold = ("unknown_household", 404, "household"),
        /// The household's account is not a member of the collective.
        NotAMember = ("not_a_member", 422, "account"),
        /// The fund already exists.
        FundExists = ("fund_exists", 409, "fund"),
        /// No such fund in this village.
        UnknownFund = ("unknown_fund", 404, "fund"),
        /// A grant must name what it may be spent on.
        GrantNeedsEarmark = ("grant_needs_earmark", 422, "earmark"),
        /// The fund's earmark does not allow this purpose.
        Earmarked = ("earmarked", 422, "purpose"),
        /// The fund does not hold that much: balances never go negative.
        Overdrawn = ("overdrawn", 409, "amount"),
        /// That source or purpose is the chain's own (settlement, reversal, purchase),
        /// not recorded by hand.
        ReservedCategory = ("reserved_category", 422, "purpose"),
        /// No such entry in this village's ledger.
        UnknownEntry = ("unknown_entry", 404, "entry"),
        /// The entry is already reversed.
        AlreadyReversed = ("already_reversed", 409, "entry"),
        /// A reversal, or a settlement's entry, cannot be reversed.
        NotReversible = ("not_reversible", 422, "entry"),
        /// An animal with this ear tag is already registered.
        DuplicateEarTag = ("duplicate_ear_tag", 409, "tag"),
        /// No such animal.
        UnknownAnimal = ("unknown_animal", 404, "tag"),
        /// The animal belongs to another village.
        OtherVillage = ("other_village", 403, "tag"),
        /// The animal was sold already.
        AlreadySold = ("already_sold", 409, "tag"),
        /// The animal is dead or lost.
        NotAlive = ("not_alive", 409, "tag"),
        /// A calf's mother must be a cow.
        MotherNotFemale = ("mother_not_female", 422, "mother"),
        /// The animal is not the collective's to hand over, or is under a contract already.
        NotAvailable = ("not_available", 409, "animals[]"),
        /// A contract hands over at least one animal.
        EmptyContract = ("empty_contract", 422, "animals"),
        /// The split is over 100 %, or outside what the cow bank's policy allows.
        BadSplit = ("bad_split", 422, "terms.collective_share_bp"),
        /// The contract says the household bears feed and vet costs.
        CostsBorneByHousehold = ("costs_borne_by_household", 422, "tag"),
        /// The purpose is not a cost of an animal (feed, vet, insurance, other).
        NotACost = ("not_a_cost", 422, "purpose"),
        /// A claim payout for an animal with no insurance policy.
        NotInsured = ("not_insured", 422, "claim"),
        /// Too many vaccinations recorded for one animal.
        TooMany = ("too_many", 422, "tag"),
        /// Only the collective manager or the household owning the animal may sell it.
        NotOwnerOrManager = ("not_owner_or_manager", 403, "sender"),
        /// The report year is in the future or before 2000.
        BadYear = ("bad_year", 422, "year"),
        /// No report of that year.
        UnknownReport = ("unknown_report", 404, "year"),
        /// The report is countersigned: it is frozen.
        ReportFrozen = ("report_frozen", 409, "year"),
        /// Only a township official (an auditor of the tax authority) countersigns.
        NotTownship = ("not_township", 403, "sender"),
    }
}
