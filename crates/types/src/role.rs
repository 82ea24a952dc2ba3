//! The role catalogue and the kinds of organisation.
//!
//! Roles are what a transaction's action requires; an organisation's admin grants
//! them to its own accounts, and only the roles that fit the organisation's kind
//! (a bank cannot mint tax officers).

string_enum! {
    /// A right an account holds.
    Role {
        /// Manages its own organisation's accounts.
        OrgAdmin = (0, "org.admin"),
        /// Tax officer: registers taxpayers, grants credit, freezes, sees everything.
        TaxOfficer = (1, "tax.officer"),
        /// Issues invoices for a merchant (staff, POS terminal).
        MerchantIssuer = (2, "merchant.issuer"),
        /// Records payment orders on a payment platform.
        PlatformPayments = (3, "platform.payments"),
        /// Enterprise finance office: reimbursement, booking, filing.
        EnterpriseFinance = (4, "enterprise.finance"),
        /// A consumer who claims and holds invoices.
        Consumer = (5, "consumer"),
        /// Bank officer: loan reviews on authorised data.
        BankOfficer = (6, "bank.officer"),
        /// Insurer staff collecting vehicle and vessel tax.
        InsurerCollector = (7, "insurer.collector"),
        /// Police analyst in the intelligence exchange.
        PoliceAnalyst = (8, "police.analyst"),
        /// Customs officer in the intelligence exchange.
        CustomsOfficer = (9, "customs.officer"),
        /// Central bank branch officer in the intelligence exchange.
        CentralBankOfficer = (10, "centralbank.officer"),
        /// Manages a village collective's ledger (the cow bank).
        CollectiveManager = (11, "collective.manager"),
        /// Read-only auditor.
        Auditor = (12, "auditor"),
        /// A department's officer (or its responder) in the four-department exchange:
        /// publishes its catalogue, asks and answers queries, keeps its watch list.
        ExchangeOfficer = (13, "exchange.officer"),
        /// Attests an enterprise's monthly operating data on the industry chain (a
        /// utility, the social-security office, a logistics operator, the park
        /// operator), and, held by the park operator, registers the park's enterprises.
        IndustryAttester = (14, "industry.attester"),
    }
}

string_enum! {
    /// What kind of organisation a consortium member is.
    OrgKind {
        /// A tax bureau (税务局).
        TaxAuthority = (0, "tax_authority"),
        /// The platform operator running the consumer-facing service.
        Platform = (1, "platform"),
        /// A payment platform recording payment orders.
        PaymentPlatform = (2, "payment_platform"),
        /// A merchant or any other enterprise.
        Enterprise = (3, "enterprise"),
        /// A bank.
        Bank = (4, "bank"),
        /// An insurer.
        Insurer = (5, "insurer"),
        /// A police department.
        Police = (6, "police"),
        /// Customs.
        Customs = (7, "customs"),
        /// A central bank branch.
        CentralBank = (8, "central_bank"),
        /// A village collective.
        Collective = (9, "collective"),
        /// An education bureau (教育局): school enrolment, for personal income tax deductions.
        Education = (10, "education"),
        /// A human resources and social security bureau (人社局): continuing-education
        /// certificates.
        HumanResources = (11, "human_resources"),
        /// A health insurance bureau (医保局): serious-illness costs.
        HealthInsurance = (12, "health_insurance"),
        /// A housing authority or housing fund centre (住建 / 住房公积金中心): first-home
        /// loans and registered rents.
        Housing = (13, "housing"),
        /// A utility (供电、供水、供气公司): attests an enterprise's electricity use.
        Utility = (14, "utility"),
        /// A social-security office (社会保险经办机构): attests an enterprise's insured
        /// headcount.
        SocialSecurity = (15, "social_security"),
        /// A logistics operator (物流公司): attests an enterprise's logistics volume.
        Logistics = (16, "logistics"),
    }
}

impl Role {
    /// Whether an organisation of `kind` may grant this role to its accounts.
    pub fn allowed_in(self, kind: OrgKind) -> bool {
        use OrgKind as K;
        match self {
            Role::OrgAdmin | Role::Auditor => true,
            Role::TaxOfficer => kind == K::TaxAuthority,
            // An insurer invoices its premiums and the vehicle tax it collects.
            Role::MerchantIssuer => matches!(kind, K::Enterprise | K::Insurer),
            Role::EnterpriseFinance => kind == K::Enterprise,
            Role::PlatformPayments => matches!(kind, K::PaymentPlatform | K::Platform),
            Role::Consumer => matches!(kind, K::Platform | K::PaymentPlatform),
            Role::BankOfficer => matches!(kind, K::Bank | K::CentralBank),
            Role::InsurerCollector => kind == K::Insurer,
            Role::PoliceAnalyst => kind == K::Police,
            Role::CustomsOfficer => kind == K::Customs,
            Role::CentralBankOfficer => kind == K::CentralBank,
            Role::CollectiveManager => kind == K::Collective,
            Role::ExchangeOfficer => matches!(
                kind,
                K::TaxAuthority
                    | K::Police
                    | K::Customs
                    | K::CentralBank
                    | K::Education
                    | K::HumanResources
                    | K::HealthInsurance
                    | K::Housing
            ),
            Role::IndustryAttester => {
                matches!(kind, K::Utility | K::SocialSecurity | K::Logistics | K::Platform)
            }
        }
    }
}
