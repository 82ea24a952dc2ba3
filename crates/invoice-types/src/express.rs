//! The express edition (极速版): a merchant applies online for registration and
//! invoicing rights, and the tax authority reviews the application. The application is
//! signed by the applicant's own fresh key, which has no account yet: the application
//! creates a restricted applicant account in an organisation of its own, and approval
//! registers the taxpayer, makes that organisation the taxpayer's (its `tax_id`), grants
//! the account `org.admin`, `merchant.issuer` and `enterprise.finance` and sets the
//! monthly credit ceiling.

use crate::SellerType;
use fapiao_types::AccountId;
use fapiao_types::{canonical_struct, string_enum};

string_enum! {
    /// Where an application is.
    ApplicationStatus {
        /// Awaiting the tax authority's review.
        Pending = (0, "pending"),
        /// Approved: the taxpayer is registered and may issue.
        Approved = (1, "approved"),
        /// Rejected (the reason is recorded).
        Rejected = (2, "rejected"),
    }
}

fapiao_types::labels!(ApplicationStatus {
    Pending => ("待审批", "pending"),
    Approved => ("已批准", "approved"),
    Rejected => ("已驳回", "rejected"),
});

canonical_struct! {
    /// An applicant applies online for registration and invoicing rights.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ApplyForRegistration {
        /// The Unified Social Credit Code it registers under.
        pub uscc: fapiao_types::Uscc,
        /// Name.
        pub name: String,
        /// 6-digit administrative division code.
        pub region: fapiao_types::RegionCode,
        /// Seller type asked for.
        pub seller_type: SellerType,
        /// Contact (person and phone or e-mail), for the reviewer.
        pub contact: String,
        /// Monthly credit asked for, fen.
        pub requested_ceiling: i64 => fen,
    }
}

canonical_struct! {
    /// The tax authority decides an application.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ReviewApplication {
        /// The application id (the applying transaction's hash).
        pub application: fapiao_types::Hash32,
        /// Approve (else reject).
        pub approve: bool,
        /// Monthly credit ceiling granted on approval, fen (unused on rejection).
        pub monthly_ceiling: i64 => fen,
        /// Why (required on rejection).
        pub reason: String,
    }
}

canonical_struct! {
    /// An application as stored (`application/<id>`).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ApplicationRecord {
        /// What was applied for.
        pub uscc: fapiao_types::Uscc,
        /// Name.
        pub name: String,
        /// Region code.
        pub region: fapiao_types::RegionCode,
        /// Seller type.
        pub seller_type: SellerType,
        /// Contact.
        pub contact: String,
        /// Monthly credit asked for, fen.
        pub requested_ceiling: i64 => fen,
        /// The applicant's account (created by the application).
        pub applicant: AccountId,
        /// The organisation the application created for it (`express-<16 hex>`).
        pub org: String,
        /// Status.
        pub status: ApplicationStatus,
        /// Block time of the application, ms.
        pub applied_at_ms: u64,
        /// The deciding tax officer, once decided.
        pub decided_by: Option<AccountId>,
        /// Monthly ceiling granted, fen (0 unless approved).
        pub granted_ceiling: i64 => fen,
        /// Why (rejection).
        pub reason: String,
    }
}
