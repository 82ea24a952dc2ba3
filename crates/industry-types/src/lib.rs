//! The industry chain's vocabulary: the park's enterprises, monthly operating figures attested by utilities, the social-security office and logistics operators, their salted commitments and openings, with canonical encodings and no logic.
//!
//! The industry chain (issue 18) is run by an industrial park's operator and the
//! organisations that see an enterprise's activity from outside: a power utility
//! (electricity used), the social-security office (insured headcount) and a logistics
//! operator (tonnes shipped). The park operator registers the park's enterprises
//! ([`RegisterEnterprise`]); each attester records one month's figure of one
//! [`Metric`] for an enterprise ([`Attest`]) and may correct it with a reason
//! ([`Correct`]). This crate declares those actions (tags `0xc0–0xcf`,
//! [`IndustryAction`]), the keys ([`IndustryKey`]) and the records, so the pages, the CLI,
//! the finance chain's application and the demo read them without linking the rules
//! (`fapiao-industry`).
//!
//! A figure is kept in clear only in a private record ([`OperatingRecord`]); what other
//! chains can be shown is its **salted commitment** ([`OperatingCommit`], one per
//! enterprise and month, one commitment per metric attested), computed with
//! [`fapiao_types::commit`] under the chain's secret: subject the USCC, field the
//! metric's name, period `yyyymm`, value the figure's decimal text. The enterprise hands a
//! bank the [`OperatingOpening`]s it chooses, off the chain, in an [`OperatingPackage`].
//!
//! ```
//! use fapiao_industry_types::{commitment, salt, Metric, OperatingOpening};
//! use fapiao_values::{Month, Uscc};
//!
//! let uscc = Uscc::parse("914403001922038216").unwrap();
//! let month = Month::from_yyyymm(202610).unwrap();
//! let secret = [7u8; 32];
//! let s = salt(&secret, &uscc, Metric::ElectricityKwh, month);
//! let c = commitment(&s, &uscc, Metric::ElectricityKwh, month, 1_250_000);
//! let opening = OperatingOpening::new(&secret, &uscc, Metric::ElectricityKwh, month, 1_250_000);
//! assert!(opening.opens(&uscc, &c).unwrap());
//! ```
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]
#![forbid(unsafe_code)]

mod actions;
mod commit;
mod keys;
mod records;

pub use actions::{
    Attest, Correct, IndustryAction, IndustryBodies, NotIndustryAction, RegisterEnterprise,
    INDUSTRY_TAGS,
};
pub use commit::{commitment, salt, OperatingOpening, OperatingPackage};
pub use keys::IndustryKey;
pub use records::{
    Correction, EnterpriseRecord, Metric, MetricCommitment, OperatingCommit, OperatingRecord,
    MAX_CORRECTIONS, MAX_NAME_CHARS, MAX_REASON_CHARS, MAX_VALUE,
};
