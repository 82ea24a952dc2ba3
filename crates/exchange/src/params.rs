//! The exchange's governed parameters: the deduction standards
//! (`params/exchange/deductions`, by date: tax rules) and its limits
//! (`params/exchange/limits`, by height: chain mechanics).

use fapiao_app::{Param, Timing};
use serde::{Deserialize, Serialize};

/// The special additional deduction standards, in fen *(tax rules: a version takes
/// effect on a date; a declaration uses the version in force on 1 January of its tax
/// year)*.
///
/// The defaults are the standards from 1 January 2023: 《个人所得税专项附加扣除暂行办法》
/// (国发〔2018〕41号) for continuing education, serious illness, housing-loan interest and
/// housing rent; 国发〔2022〕8号 for infant care; and 《国务院关于提高个人所得税有关专项
/// 附加扣除标准的通知》(国发〔2023〕13号), which raised children's education and infant care
/// to 2,000 a month per child and elderly support to 3,000 a month (a sibling's share at
/// most 1,500).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeductionStandards {
    /// 子女教育, per child per month.
    pub children_education_monthly: i64,
    /// 3岁以下婴幼儿照护, per child per month.
    pub infant_care_monthly: i64,
    /// 继续教育 (学历), per month.
    pub continuing_degree_monthly: i64,
    /// 继续教育 (职业资格证书), in the year the certificate is obtained.
    pub continuing_certificate_yearly: i64,
    /// 大病医疗: self-paid costs above this (per year) are deductible…
    pub serious_illness_threshold: i64,
    /// …up to this much a year.
    pub serious_illness_cap: i64,
    /// 住房贷款利息, per month.
    pub housing_loan_monthly: i64,
    /// 住房租金 per month in tier-1 cities (municipalities, provincial capitals…).
    pub rent_tier1_monthly: i64,
    /// …in other cities of more than one million registered residents.
    pub rent_tier2_monthly: i64,
    /// …in cities of at most one million.
    pub rent_tier3_monthly: i64,
    /// 赡养老人 per month, an only child's.
    pub elderly_only_child_monthly: i64,
    /// 赡养老人 per month, the most a sibling's share may be.
    pub elderly_sibling_max_monthly: i64,
}

impl Default for DeductionStandards {
    fn default() -> Self {
        DeductionStandards {
            children_education_monthly: 200_000,
            infant_care_monthly: 200_000,
            continuing_degree_monthly: 40_000,
            continuing_certificate_yearly: 360_000,
            serious_illness_threshold: 1_500_000,
            serious_illness_cap: 8_000_000,
            housing_loan_monthly: 100_000,
            rent_tier1_monthly: 150_000,
            rent_tier2_monthly: 110_000,
            rent_tier3_monthly: 80_000,
            elderly_only_child_monthly: 300_000,
            elderly_sibling_max_monthly: 150_000,
        }
    }
}

impl Param for DeductionStandards {
    const ID: &'static str = "exchange/deductions";
    const TIMING: Timing = Timing::Date;
    const ABOUT: &'static str = "The special additional deduction standards (专项附加扣除), fen: \
        children's education and infant care per child per month, continuing education per \
        month (degree) or in the year of a certificate, the serious-illness threshold and \
        cap, housing-loan interest and rent (three city tiers) per month, elderly support \
        for an only child and a sibling's largest share";

    fn check(&self) -> core::result::Result<(), String> {
        let all = [
            self.children_education_monthly,
            self.infant_care_monthly,
            self.continuing_degree_monthly,
            self.continuing_certificate_yearly,
            self.serious_illness_threshold,
            self.serious_illness_cap,
            self.housing_loan_monthly,
            self.rent_tier1_monthly,
            self.rent_tier2_monthly,
            self.rent_tier3_monthly,
            self.elderly_only_child_monthly,
            self.elderly_sibling_max_monthly,
        ];
        if all.iter().any(|a| !(0..=100_000_000_000).contains(a)) {
            return Err("every standard is between 0 and 1,000,000,000.00 yuan".into());
        }
        if self.elderly_sibling_max_monthly > self.elderly_only_child_monthly {
            return Err("a sibling's share cannot exceed an only child's amount".into());
        }
        Ok(())
    }
}

/// The exchange's limits *(chain mechanics: takes effect at an activation height)*.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExchangeLimits {
    /// Longest ciphertext of an envelope, bytes.
    pub max_ciphertext: u32,
    /// Most changes in one catalogue publication, envelopes in one distribution or
    /// finding, items in one declaration.
    pub max_list: u16,
    /// Most items a department's catalogue may ever hold.
    pub max_catalogue: u16,
    /// Longest consent, days.
    pub max_consent_days: u16,
}

impl Default for ExchangeLimits {
    fn default() -> Self {
        ExchangeLimits {
            max_ciphertext: 16_384,
            max_list: 32,
            max_catalogue: 128,
            max_consent_days: 400,
        }
    }
}

impl Param for ExchangeLimits {
    const ID: &'static str = "exchange/limits";
    const TIMING: Timing = Timing::Height;
    const ABOUT: &'static str = "The exchange's limits: the longest envelope ciphertext \
        (bytes), the most entries of one list in an action, the most items of a catalogue, \
        the longest consent (days)";

    fn check(&self) -> core::result::Result<(), String> {
        if !(64..=60_000).contains(&self.max_ciphertext) {
            return Err("max_ciphertext must be between 64 and 60000".into());
        }
        if !(1..=1024).contains(&self.max_list) || !(1..=1024).contains(&self.max_catalogue) {
            return Err("max_list and max_catalogue must be between 1 and 1024".into());
        }
        if !(1..=3660).contains(&self.max_consent_days) {
            return Err("max_consent_days must be between 1 and 3660".into());
        }
        Ok(())
    }
}
