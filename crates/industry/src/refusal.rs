//! Every refusal of the industry application ([`Code`]), with its HTTP status and the
//! field at fault.

fapiao_app::refusals! {
    /// A refusal of the industry application.
    pub enum Code in "industry" {
        /// The action is not one of the industry application's.
        UnsupportedAction = ("unsupported_action", 400, "action"),
        /// Only the park operator (a `platform` organisation) registers enterprises.
        NotParkOperator = ("not_park_operator", 403, "sender"),
        /// The enterprise is registered already.
        EnterpriseExists = ("enterprise_exists", 409, "uscc"),
        /// The enterprise is not registered with the park.
        UnknownEnterprise = ("unknown_enterprise", 404, "uscc"),
        /// A name or reason is empty, too long, or has control characters.
        BadText = ("bad_text", 422, ""),
        /// The month has not ended at the block's date.
        MonthNotEnded = ("month_not_ended", 422, "month"),
        /// The figure is over 10¹⁵.
        ValueTooLarge = ("value_too_large", 422, "value"),
        /// The sender's organisation does not attest this metric (electricity: a utility;
        /// insured headcount: the social-security office; logistics: a logistics operator
        /// or the park operator).
        WrongAttester = ("wrong_attester", 403, "metric"),
        /// That month's figure of that metric is attested already: correct it instead.
        AlreadyAttested = ("already_attested", 409, "metric"),
        /// No figure of that metric for that month to correct.
        UnknownFigure = ("unknown_figure", 404, "metric"),
        /// Only the organisation that attested a figure corrects it.
        NotTheAttester = ("not_the_attester", 403, "sender"),
        /// The correction does not change the figure.
        NoChange = ("no_change", 409, "value"),
        /// The figure has been corrected too many times.
        TooManyCorrections = ("too_many_corrections", 422, "metric"),
        /// The chain pins no secret (`industry/secret`): no commitment can be computed,
        /// so nothing is attested.
        NoSecret = ("no_secret", 409, "secret"),
    }
}
