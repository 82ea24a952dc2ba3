//! The invoice application's actions: [`InvoiceAction`], its specs and its decoder.
//!
//! Each action is one payload under one tag of the range `0x10..=0x4f` of the action
//! envelope (docs/formats.md §4.2). The platform carries them as an opaque
//! [`AppAction`]; [`InvoiceBodies`] is the decoder the codec configuration holds for them,
//! and it decodes a body fully, so a malformed invoice payload makes its transaction (and
//! any block carrying it) undecodable, as if the envelope knew the payload itself.

use crate::{
    ApplyForRegistration, AuthoriseDisclosure, ClaimOrder, DecideCredit, FileVatReturn,
    FlagInvoice, GrantCredit, InvoiceRef, IssueForOrder, IssueInvoice, RaiseRedForm, RecordOrder,
    RedFormRef, RegisterTaxpayer, RejectReimbursement, RequestCredit, ReviewApplication,
    RevokeDisclosure, SetAcceptedPlatforms, SetAutoIssue, SetCatalogueItem, SetIssuers,
    SetTaxpayerStatus, SubmitInvoice,
};
use core::ops::RangeInclusive;
use fapiao_types::Role;

/// The action tags the invoice application owns.
pub const INVOICE_TAGS: RangeInclusive<u8> = 0x10..=0x4f;

/// Why an action is not one of the invoice application's.
pub type NotInvoiceAction = fapiao_types::NotAppAction;

/// Whether the action `tag` may come from a key with no account: only an applicant's
/// fresh key applying for registration (express edition, docs/formats.md §4.9).
const fn keyless(tag: u8) -> bool {
    tag == 0x16
}

fapiao_types::app_actions! {
    app: "invoice", tags: INVOICE_TAGS, keyless: keyless,
    /// What an invoice transaction does: the payload of one invoice action tag.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub enum InvoiceAction;
    /// The decoder of the invoice actions' bodies, for the codec configuration
    /// ([`fapiao_types::ActionCodecs`]).
    pub struct InvoiceBodies;
    actions {
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
        /// An enterprise authorises a bank of another chain to receive fields of its tax
        /// summary (issue 18).
        AuthoriseDisclosure(AuthoriseDisclosure) = 0x27, "authorise_disclosure", Some(Role::EnterpriseFinance);
        /// An enterprise revokes one of its disclosure grants.
        RevokeDisclosure(RevokeDisclosure) = 0x28, "revoke_disclosure", Some(Role::EnterpriseFinance);
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
        /// The seller issues the red invoice of a form the buyer confirmed.
        IssueRedInvoice(RedFormRef) = 0x44, "issue_red_invoice", None;
        /// Express edition: an applicant's fresh key (no account yet; the ledger admits this
        /// action alone from such a key) applies for registration and invoicing rights.
        ApplyForRegistration(ApplyForRegistration) = 0x16, "apply_for_registration", None;
        /// The tax authority approves (registering the taxpayer and its issuer) or rejects
        /// an application.
        ReviewApplication(ReviewApplication) = 0x17, "review_application", Some(Role::TaxOfficer);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use commonware_codec::Error as CodecError;
    use fapiao_types::{Action, ActionBodies};

    /// The specs are the table the platform's `Action` held before the invoice actions
    /// left it (tag, name, role): history rows store these names, so they never drift.
    #[test]
    fn the_specs_are_the_former_action_table() {
        let old: &[(u8, &str, Option<Role>)] = &[
            (0x10, "register_taxpayer", Some(Role::TaxOfficer)),
            (0x11, "set_taxpayer_status", Some(Role::TaxOfficer)),
            (0x12, "set_issuers", Some(Role::TaxOfficer)),
            (0x13, "grant_credit", Some(Role::TaxOfficer)),
            (0x14, "request_credit", None),
            (0x15, "decide_credit", Some(Role::TaxOfficer)),
            (0x20, "issue_invoice", Some(Role::MerchantIssuer)),
            (0x21, "submit_invoice", None),
            (0x22, "accept_reimbursement", Some(Role::EnterpriseFinance)),
            (0x23, "reject_reimbursement", Some(Role::EnterpriseFinance)),
            (0x24, "book_invoice", Some(Role::EnterpriseFinance)),
            (0x25, "flag_invoice", Some(Role::TaxOfficer)),
            (0x26, "file_vat_return", Some(Role::EnterpriseFinance)),
            (0x27, "authorise_disclosure", Some(Role::EnterpriseFinance)),
            (0x28, "revoke_disclosure", Some(Role::EnterpriseFinance)),
            (0x30, "set_catalogue_item", Some(Role::MerchantIssuer)),
            (0x31, "set_auto_issue", Some(Role::MerchantIssuer)),
            (0x35, "set_accepted_platforms", Some(Role::MerchantIssuer)),
            (0x32, "record_order", None),
            (0x33, "claim_order", Some(Role::Consumer)),
            (0x34, "issue_for_order", Some(Role::MerchantIssuer)),
            (0x40, "raise_red_form", None),
            (0x41, "confirm_red_form", None),
            (0x42, "refuse_red_form", None),
            (0x43, "withdraw_red_form", None),
            (0x44, "issue_red_invoice", None),
            (0x16, "apply_for_registration", None),
            (0x17, "review_application", Some(Role::TaxOfficer)),
        ];
        let now: Vec<(u8, &str, Option<Role>)> =
            InvoiceAction::SPECS.iter().map(|s| (s.tag, s.name, s.role)).collect();
        assert_eq!(now, old);
        let keyless: Vec<&str> =
            InvoiceAction::SPECS.iter().filter(|s| s.keyless).map(|s| s.name).collect();
        assert_eq!(keyless, ["apply_for_registration"]);
        for s in InvoiceAction::SPECS {
            assert!(INVOICE_TAGS.contains(&s.tag), "{}", s.name);
            assert_eq!(InvoiceAction::SPECS.iter().filter(|o| o.tag == s.tag).count(), 1);
        }
    }

    #[test]
    fn a_foreign_or_unknown_action_is_not_an_invoice_action() {
        let revoke = Action::RevokeAccount { account: [1; 32].into() };
        assert!(matches!(InvoiceAction::try_from(&revoke), Err(NotInvoiceAction::Foreign { .. })));
        assert!(InvoiceBodies.spec(0x4f).is_none());
        assert!(matches!(
            InvoiceBodies.body_len(0x4f, &[0; 8]),
            Err(CodecError::InvalidEnum(0x4f))
        ));
    }
}
