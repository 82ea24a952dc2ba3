//! The industry chain's records: an enterprise of the park, one month's attested figure
//! (private) and the month's commitments (provable) — what is stored under its keys
//! ([`crate::IndustryKey`]), each a canonical struct.

use fapiao_types::{canonical_struct, string_enum, AccountId, Hash32, OrgKind};
use fapiao_values::{Month, Uscc};

/// The largest figure an attester may record (10¹⁵: exact in every JSON reader).
pub const MAX_VALUE: u64 = 1_000_000_000_000_000;
/// The longest enterprise name, in characters.
pub const MAX_NAME_CHARS: usize = 128;
/// The longest correction reason, in characters.
pub const MAX_REASON_CHARS: usize = 200;
/// The most corrections one figure keeps.
pub const MAX_CORRECTIONS: usize = 32;

string_enum! {
    /// What an attester measures for a month. The name is the commitment's field name,
    /// unique across applications (the tax summary uses `sales`, `vat_paid`, ...).
    Metric {
        /// Electricity used in the month, kWh — attested by a utility.
        ElectricityKwh = (0, "electricity_kwh"),
        /// Employees insured by social security at the month's end — attested by the
        /// social-security office.
        InsuredHeadcount = (1, "insured_headcount"),
        /// Goods shipped in the month, tonnes — attested by a logistics operator or the
        /// park operator.
        LogisticsTonnes = (2, "logistics_tonnes"),
    }
}

fapiao_types::labels!(Metric {
    ElectricityKwh => ("用电量（千瓦时）", "electricity used (kWh)"),
    InsuredHeadcount => ("参保人数", "insured headcount"),
    LogisticsTonnes => ("物流量（吨）", "logistics volume (tonnes)"),
});

impl Metric {
    /// Whether an organisation of `kind` attests this metric.
    pub fn attested_by(self, kind: OrgKind) -> bool {
        match self {
            Metric::ElectricityKwh => kind == OrgKind::Utility,
            Metric::InsuredHeadcount => kind == OrgKind::SocialSecurity,
            Metric::LogisticsTonnes => matches!(kind, OrgKind::Logistics | OrgKind::Platform),
        }
    }
}

canonical_struct! {
    /// An enterprise of the park (`industry-enterprise/<uscc>`), registered by the park
    /// operator: the industry chain has no tax authority, so this is its register.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct EnterpriseRecord {
        /// Its registered name.
        pub name: String,
        /// The park operator's organisation id.
        pub registered_by: String,
        /// Height of the registration.
        pub registered_at: u64,
    }
}

canonical_struct! {
    /// An earlier value of a figure, replaced by a correction.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Correction {
        /// The value it had.
        pub previous: u64,
        /// Why it was corrected.
        pub reason: String,
        /// Height of the correction.
        pub height: u64,
    }
}

canonical_struct! {
    /// One month's figure of one metric for one enterprise
    /// (`operating/<uscc>/<yyyymm>/<metric>`): **private** — the enterprise, the attester
    /// and the park operator read it.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct OperatingRecord {
        /// The figure as it stands.
        pub value: u64,
        /// The attesting organisation.
        pub attester: String,
        /// The account that attested it.
        pub account: AccountId,
        /// Height of the attestation.
        pub height: u64,
        /// Corrections, oldest first (each keeps the value it replaced).
        pub corrections: Vec<Correction>,
    }
}

canonical_struct! {
    /// The commitment to one metric's figure.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct MetricCommitment {
        /// The metric.
        pub metric: Metric,
        /// [`crate::commitment`] of its figure.
        pub commitment: Hash32,
    }
}

canonical_struct! {
    /// The commitments of an enterprise's month (`operating-commit/<uscc>/<yyyymm>`):
    /// provable, shown to other chains; one commitment per metric attested, in metric
    /// order.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct OperatingCommit {
        /// The enterprise.
        pub uscc: Uscc,
        /// The month.
        pub month: Month,
        /// One per metric attested, in metric order.
        pub commitments: Vec<MetricCommitment>,
        /// Height of the last change.
        pub updated_at: u64,
    }
}

impl OperatingCommit {
    /// The commitment of `metric`, if attested.
    pub fn get(&self, metric: Metric) -> Option<&Hash32> {
        self.commitments.iter().find(|c| c.metric == metric).map(|c| &c.commitment)
    }

    /// Sets the commitment of `metric`, keeping metric order.
    pub fn set(&mut self, metric: Metric, commitment: Hash32) {
        match self.commitments.iter_mut().find(|c| c.metric == metric) {
            Some(c) => c.commitment = commitment,
            None => {
                self.commitments.push(MetricCommitment { metric, commitment });
                self.commitments.sort_by_key(|c| c.metric.tag());
            }
        }
    }
}
