//! Every refusal of the invoice application, in one table: the rules of this crate
//! (lines, totals, rates, regions, capitals) and the lifecycle of `fapiao-invoice`
//! (taxpayers, issuing, circulation, orders, red letters, credit, VAT returns, the
//! express edition). Codes are namespaced `invoice.`; a value refused by its type
//! answers with the shared values' codes (`bad_amount`, `bad_uscc`, …) and a missing
//! right with the platform's (`missing_role`, `unknown_account`, …).

fapiao_values::refusals! {
    /// A refusal of the invoice application.
    pub enum Code in "invoice" {
        // Documents: lines, amounts, rates, totals (this crate's rules).
        /// The amount in capitals is not a well-formed 大写 amount.
        BadCapitals = ("bad_capitals", 422, "total_capitals"),
        /// The amount in capitals does not say the total.
        CapitalsMismatch = ("capitals_mismatch", 422, "total_capitals"),
        /// No VAT rate of that value is known.
        UnknownRate = ("unknown_rate", 422, "lines[].rate"),
        /// The rate is not in force on the invoice's date.
        RateNotEffective = ("rate_not_effective", 422, "lines[].rate"),
        /// The rate is not open to the seller's type (a small-scale taxpayer's 3 %, …).
        RateNotAllowedForSeller = ("rate_not_allowed_for_seller", 422, "lines[].rate"),
        /// A rate table (a parameter) is malformed.
        BadRateConfig = ("bad_rate_config", 422, "rates"),
        /// A name is empty, too long or has control characters.
        BadName = ("bad_name", 422, ""),
        /// A text field is too long or has control characters.
        BadText = ("bad_text", 422, ""),
        /// A tax classification code is not 19 digits.
        BadTaxCode = ("bad_tax_code", 422, "lines[].tax_code"),
        /// A quantity without a unit price, or a unit price without a quantity.
        IncompleteQuantityPrice = ("incomplete_quantity_price", 422, "lines[]"),
        /// A line has neither an amount nor a quantity and unit price.
        AmountRequired = ("amount_required", 422, "lines[].amount"),
        /// A line's amount is not its quantity times its unit price.
        AmountMismatch = ("amount_mismatch", 422, "lines[].amount"),
        /// A line's tax is not its amount times its rate.
        LineTaxMismatch = ("line_tax_mismatch", 422, "lines[].tax"),
        /// An exempt or zero-rated line carries tax.
        TaxMustBeZero = ("tax_must_be_zero", 422, "lines[].tax"),
        /// A line's tax has the other sign than its amount.
        TaxSignMismatch = ("tax_sign_mismatch", 422, "lines[].tax"),
        /// An amount that must be positive is not.
        NonPositiveAmount = ("non_positive_amount", 422, ""),
        /// A red invoice's amount is not negative.
        RedAmountNotNegative = ("red_amount_not_negative", 422, "lines[].amount"),
        /// A discount line is not negative.
        DiscountNotNegative = ("discount_not_negative", 422, "lines[].amount"),
        /// A discount line does not follow the line it discounts.
        DiscountWithoutLine = ("discount_without_line", 422, "lines[]"),
        /// A discount line names another item than its line.
        DiscountNameMismatch = ("discount_name_mismatch", 422, "lines[].name"),
        /// A discount line has another rate than its line.
        DiscountRateMismatch = ("discount_rate_mismatch", 422, "lines[].rate"),
        /// A discount line has another tax code than its line.
        DiscountTaxCodeMismatch = ("discount_tax_code_mismatch", 422, "lines[].tax_code"),
        /// A discount is larger than its line.
        DiscountExceedsLine = ("discount_exceeds_line", 422, "lines[].amount"),
        /// A red invoice has a discount line.
        DiscountOnRed = ("discount_on_red", 422, "lines[]"),
        /// The invoice has no line.
        NoLines = ("no_lines", 422, "lines"),
        /// The invoice has more lines than the tax rules allow.
        TooManyLines = ("too_many_lines", 422, "lines"),
        /// The document's tax differs from the sum of its lines' by more than the tolerance.
        DocumentTaxToleranceExceeded = ("document_tax_tolerance_exceeded", 422, "total_tax"),
        /// A total is not the sum of the lines.
        TotalsMismatch = ("totals_mismatch", 422, ""),
        /// A special VAT invoice (or a company buyer) needs the buyer's tax ID.
        BuyerTaxIdRequired = ("buyer_tax_id_required", 422, "buyer.tax_id"),
        /// A special VAT invoice cannot carry an exempt line.
        ExemptOnSpecial = ("exempt_on_special", 422, "lines[].rate"),
        /// No invoice-number region is configured for the division code.
        UnknownRegion = ("unknown_region", 422, ""),
        /// A region table entry is malformed or duplicated.
        BadRegionConfig = ("bad_region_config", 422, "regions[]"),
        // Requests.
        /// The action is not one this application handles.
        UnsupportedAction = ("unsupported_action", 400, "action"),
        /// An amount is malformed or out of range for its purpose.
        InvalidAmount = ("invalid_amount", 422, "amount"),
        /// A name is empty or too long.
        InvalidName = ("invalid_name", 422, "name"),
        /// A reason is empty or too long.
        InvalidReason = ("invalid_reason", 422, "reason"),
        /// Remarks are too long.
        InvalidRemarks = ("invalid_remarks", 422, "remarks"),
        /// A contact is empty or too long.
        InvalidContact = ("invalid_contact", 422, "contact"),
        /// A catalogue SKU is empty or too long.
        InvalidSku = ("invalid_sku", 422, "sku"),
        /// An order has no items or too many.
        InvalidItems = ("invalid_items", 422, "items"),
        /// A type code is not 1–8 digits.
        InvalidTypeCode = ("invalid_type_code", 422, "type_code"),
        // Taxpayers and their rights.
        /// A taxpayer with that USCC is registered.
        TaxpayerExists = ("taxpayer_exists", 409, "uscc"),
        /// No taxpayer has that USCC.
        UnknownTaxpayer = ("unknown_taxpayer", 404, "uscc"),
        /// The taxpayer is deregistered.
        TaxpayerDeregistered = ("taxpayer_deregistered", 409, "uscc"),
        /// The seller is deregistered.
        SellerDeregistered = ("seller_deregistered", 409, "seller"),
        /// The seller's invoicing is frozen.
        SellerFrozen = ("seller_frozen", 409, "seller"),
        /// The taxpayer already has that status.
        StatusUnchanged = ("status_unchanged", 409, "status"),
        /// The taxpayer belongs to another organisation.
        NotYourTaxpayer = ("not_your_taxpayer", 403, "uscc"),
        /// The sender is not an issuer of the seller.
        NotAnIssuer = ("not_an_issuer", 403, "sender"),
        /// An issuer account is not a member of the taxpayer's organisation.
        IssuerNotInOrg = ("issuer_not_in_org", 403, "issuers[]"),
        /// An issuer is listed twice.
        DuplicateIssuer = ("duplicate_issuer", 422, "issuers[]"),
        /// More issuers than allowed.
        TooManyIssuers = ("too_many_issuers", 422, "issuers"),
        /// The organisation is not a platform (it runs no consumer wallet).
        NotAPlatform = ("not_a_platform", 422, "platform_org"),
        /// A platform is listed twice.
        DuplicatePlatform = ("duplicate_platform", 422, "platforms[]"),
        /// More platforms than allowed.
        TooManyPlatforms = ("too_many_platforms", 422, "platforms"),
        /// The merchant does not accept orders from the sender's platform.
        PlatformNotAccepted = ("platform_not_accepted", 403, "sender"),
        /// The buyer is the seller.
        BuyerIsSeller = ("buyer_is_seller", 422, "buyer.tax_id"),
        /// The invoice total is over the seller's remaining credit.
        OverCredit = ("over_credit", 422, "total_with_tax"),
        /// The seller's invoice numbers for the year are used up.
        SequenceExhausted = ("sequence_exhausted", 409, "number"),
        // Industry invoices.
        /// An industry field is required for this kind.
        IndustryFieldRequired = ("industry_field_required", 422, "industry"),
        /// An industry field is too long.
        IndustryFieldTooLong = ("industry_field_too_long", 422, "industry"),
        /// An industry invoice's rate is not the one its kind requires.
        IndustryRateMismatch = ("industry_rate_mismatch", 422, "lines[].rate"),
        /// An industry total is not the invoice's.
        IndustryTotalMismatch = ("industry_total_mismatch", 422, "industry.total"),
        /// A resident ID is shown unmasked.
        UnmaskedId = ("unmasked_id", 422, "industry.id_masked"),
        /// A tax period is malformed or out of order.
        BadTaxPeriod = ("bad_tax_period", 422, "industry.tax_period"),
        // Invoices in circulation.
        /// No invoice has that number.
        UnknownInvoice = ("unknown_invoice", 404, "number"),
        /// The sender does not hold the invoice.
        NotHolder = ("not_holder", 403, "sender"),
        /// The sender is not the invoice's buyer.
        NotBuyer = ("not_buyer", 403, "sender"),
        /// The sender is not a party to the invoice.
        NotAParty = ("not_a_party", 403, "sender"),
        /// The sender is not the invoice's seller.
        NotTheSeller = ("not_the_seller", 403, "sender"),
        /// The invoice is submitted to another enterprise than the sender's.
        NotYourEnterprise = ("not_your_enterprise", 403, "sender"),
        /// The invoice is already submitted for reimbursement.
        AlreadySubmitted = ("already_submitted", 409, "number"),
        /// The invoice is not submitted for reimbursement.
        NotSubmitted = ("not_submitted", 409, "number"),
        /// The invoice is already reimbursed.
        AlreadyReimbursed = ("already_reimbursed", 409, "number"),
        /// The invoice is already booked.
        AlreadyBooked = ("already_booked", 409, "number"),
        /// The invoice is flagged by the tax authority.
        InvoiceFlagged = ("invoice_flagged", 409, "number"),
        /// The flag already has that value.
        FlagUnchanged = ("flag_unchanged", 409, "flagged"),
        /// The invoice is fully reversed by red invoices.
        InvoiceReversed = ("invoice_reversed", 409, "number"),
        /// Only a special VAT invoice can be booked for deduction.
        NotSpecial = ("not_special", 422, "number"),
        // Orders and claims.
        /// No order has that id.
        UnknownOrder = ("unknown_order", 404, "order_id"),
        /// The claim code is not the order's.
        WrongClaimCode = ("wrong_claim_code", 403, "claim_code"),
        /// The order was already claimed.
        OrderAlreadyClaimed = ("order_already_claimed", 409, "order_id"),
        /// The order was already invoiced.
        OrderAlreadyInvoiced = ("order_already_invoiced", 409, "order_id"),
        /// The order is not claimed yet.
        OrderNotClaimed = ("order_not_claimed", 409, "order_id"),
        /// The order's items do not sum to its total.
        OrderTotalMismatch = ("order_total_mismatch", 422, "items"),
        /// No catalogue entry has that SKU.
        UnknownSku = ("unknown_sku", 422, "items[].sku"),
        // Red letters.
        /// No red-letter form has that id.
        UnknownForm = ("unknown_form", 404, "form"),
        /// A red-letter form for the invoice is already open.
        FormOpen = ("form_open", 409, "blue_number"),
        /// The form is confirmed, refused, withdrawn or issued.
        FormClosed = ("form_closed", 409, "form"),
        /// The form's confirmation deadline has passed.
        FormExpired = ("form_expired", 409, "form"),
        /// The form is not confirmed yet.
        FormNotConfirmed = ("form_not_confirmed", 409, "form"),
        /// The red invoice of the form is issued; the form cannot be withdrawn.
        RedInvoiceIssued = ("red_invoice_issued", 409, "form"),
        /// The sender did not raise the form.
        NotTheRaiser = ("not_the_raiser", 403, "sender"),
        /// The sender is not the party that must confirm the form.
        NotTheOtherParty = ("not_the_other_party", 403, "sender"),
        /// A red invoice cannot itself be reversed.
        RedOfRed = ("red_of_red", 422, "blue_number"),
        /// The blue invoice awaits reimbursement: the enterprise must answer first.
        InvoiceSubmitted = ("invoice_submitted", 409, "blue_number"),
        /// Nothing is left to reverse on the blue invoice.
        NothingToReverse = ("nothing_to_reverse", 409, "blue_number"),
        /// The red lines reverse more than the blue invoice has left.
        RedExceedsBlue = ("red_exceeds_blue", 422, "lines[].amount"),
        /// The buyer has not used the invoice: it can only be reversed in full.
        PartialNotAllowed = ("partial_not_allowed", 422, "lines"),
        /// The reason given (an issuing error, …) always reverses in full.
        FullReversalRequired = ("full_reversal_required", 422, "lines"),
        /// A red line names no line of the blue invoice.
        UnknownLine = ("unknown_line", 422, "lines[].line"),
        /// A blue line is reversed twice.
        DuplicateLine = ("duplicate_line", 422, "lines[].line"),
        /// A red line names a discount line: reverse the line it discounts, net of it.
        DiscountLine = ("discount_line", 422, "lines[].line"),
        // Credit, VAT returns, the express edition.
        /// No credit request has that id.
        UnknownRequest = ("unknown_request", 404, "request"),
        /// The request or application is already decided.
        AlreadyDecided = ("already_decided", 409, ""),
        /// The credit request expired before it was decided.
        RequestExpired = ("request_expired", 409, "request"),
        /// The month's VAT return is filed.
        AlreadyFiled = ("already_filed", 409, "month"),
        /// The month is not over yet.
        MonthNotClosed = ("month_not_closed", 409, "month"),
        /// No application has that id.
        UnknownApplication = ("unknown_application", 404, "application"),
        /// An application for that USCC is pending.
        ApplicationPending = ("application_pending", 409, "uscc"),
        /// An application is not signed by a new key of the applicant's (one with no account).
        NotANewKey = ("not_a_new_key", 409, "sender"),
        // Disclosure grants of the tax summary (issue 18, ADR 0012).
        /// The receiving chain id is empty, too long, or this chain's own.
        BadChainId = ("bad_chain_id", 422, "chain_id"),
        /// The bank is not a plausible organisation id (1–64 of `[a-z0-9-]`).
        BadBank = ("bad_bank", 422, "bank"),
        /// The purpose is empty, blank or longer than 200 bytes.
        BadPurpose = ("bad_purpose", 422, "purpose"),
        /// The fields are empty, repeated or out of order.
        BadFields = ("bad_fields", 422, "fields"),
        /// The first month is after the last.
        MonthsOutOfOrder = ("months_out_of_order", 422, "first_month"),
        /// The grant covers more than 12 months.
        GrantTooLong = ("grant_too_long", 422, "last_month"),
        /// The expiry is not after the block's time, or more than a year ahead.
        BadExpiry = ("bad_expiry", 422, "expires_ms"),
        /// No disclosure grant has that id.
        UnknownGrant = ("unknown_grant", 404, "id"),
        /// The grant is another taxpayer's.
        NotYourGrant = ("not_your_grant", 403, "id"),
        /// The grant is already revoked.
        GrantRevoked = ("grant_revoked", 409, "id"),
        /// The grant has expired (a package is built for a grant in force only).
        GrantExpired = ("grant_expired", 409, "id"),
        /// This node cannot open the tax summary: the chain does not keep it, or the node
        /// lacks the chain secret it pins.
        NoChainSecret = ("no_chain_secret", 503, ""),
    }
}
