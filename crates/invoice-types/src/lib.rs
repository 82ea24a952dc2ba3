//! The invoice application's vocabulary on the chain.
//!
//! What the invoice application writes into transactions and state — its action payloads
//! (tags `0x10–0x4f` of the action envelope), its state keys and the records stored under
//! them — with their canonical encodings and nothing else. It has no logic, so the offline
//! verifier, the risk engine, the bench and the pages can read invoices without linking the
//! application itself (`fapiao-invoice`).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]
#![forbid(unsafe_code)]

mod actions;
mod credit;
mod disclosure;
mod express;
mod history;
mod invoice;
mod keys;
mod record_salt;
mod red;

pub use actions::{InvoiceAction, InvoiceBodies, NotInvoiceAction, INVOICE_TAGS};
pub use credit::{CreditAdjustmentKind, CreditAdjustmentRecord, CreditAutoRecord};
pub use disclosure::{
    commitment, salt, secret_id, AuthoriseDisclosure, DisclosureGrant, DisclosurePackage, Opening,
    RevokeDisclosure, SummaryField, SummaryMonth, SummaryStatus, SummaryValue, COMMIT_DOMAIN,
    MAX_GRANT_MONTHS, MAX_PURPOSE_LEN, SALT_DOMAIN, SECRET_ID_DOMAIN,
};
pub use express::{ApplicationRecord, ApplicationStatus, ApplyForRegistration, ReviewApplication};
pub use history::HistoryEvent;
pub use invoice::{
    status_labels, AcceptedPlatformsRecord, AutoIssueRecord, Buyer, BuyerKind, CatalogueItem,
    Circulation, ClaimOrder, CreditDecision, CreditRecord, CreditRequestRecord, DecideCredit,
    FileVatReturn, FlagInvoice, GrantCredit, Industry, InvoiceBody, InvoiceKind, InvoicePublic,
    InvoiceRef, InvoiceStatus, IssueForOrder, IssueInvoice, Line, LineInput, MonthTotals,
    OrderItem, OrderRecord, OrderStatus, PassengerTransport, RecordOrder, RegisterTaxpayer,
    RejectReimbursement, RequestCredit, SellerType, SetAcceptedPlatforms, SetAutoIssue,
    SetCatalogueItem, SetIssuers, SetTaxpayerStatus, SubmitInvoice, TaxpayerRecord, TaxpayerStatus,
    VatReturn, VehicleVesselTax, MAX_ACCEPTED_PLATFORMS,
};
pub use keys::InvoiceKey;
pub use record_salt::{record_salt, RECORD_SALT_DOMAIN};
pub use red::{
    RaiseRedForm, RedFormRecord, RedFormRef, RedFormStatus, RedLine, RedReason, RedTotals,
};
