//! The industry chain's package on the bank's node: each opening of the enterprise's
//! `OperatingPackage` (ADR 0014) checked, off the chain, against the commitment its
//! proven `operating-commit/<uscc>/<yyyymm>` record holds, and the figures the node keeps
//! shown back to the bank, each verified again against the record whose hash the loan
//! cites.
//!
//! Refusals name the field at fault: `finance.wrong_salt` (a wrong salt or value,
//! `industry.openings[i]`), `finance.undisclosed_field` (an opening of a month the package
//! proves no record of, a month proven empty, or a metric the month's record does not
//! commit), `finance.duplicate_claim` (a figure opened twice), `finance.wrong_uscc` and
//! `finance.wrong_key` (a package of another enterprise, a record that is not an
//! `operating-commit` of the enterprise), `finance.bad_record` (a proven value that does
//! not decode or is not its key's).

use crate::json::FigureJson;
use crate::secrets::KeptRecord;
use fapiao_api::{error::ApiError, ApiResult};
use fapiao_crosschain_types::StateClaim;
use fapiao_finance::Code;
use fapiao_finance_types::ProvenFact;
use fapiao_industry_types::{IndustryKey, OperatingCommit, OperatingOpening, OperatingPackage};
use fapiao_types::{decode_exact, hex32, sha256};
use fapiao_values::Uscc;
use std::collections::BTreeSet;

/// A package whose openings all open their proven commitments (empty: no package).
#[derive(Default)]
pub(crate) struct Checked {
    /// Its records as the claims the application carries.
    pub claims: Vec<StateClaim>,
    /// The proven records the bank's node keeps to show the figures again.
    pub records: Vec<KeptRecord>,
    /// The openings the bank's node keeps.
    pub openings: Vec<OperatingOpening>,
}

/// The month record `key` of `claim` holds, decoded (`None`: proven absent).
fn commit_of(claim: &StateClaim, at: &str) -> ApiResult<Option<OperatingCommit>> {
    let Some(v) = &claim.value else { return Ok(None) };
    let c: OperatingCommit = decode_exact(&v.0, &())
        .map_err(|e| ApiError::refuse(Code::BadRecord, Some(at), format!("{}: {e}", claim.key)))?;
    match IndustryKey::parse(&claim.key) {
        Ok(IndustryKey::OperatingCommit(u, m)) if u == c.uscc && m == c.month => Ok(Some(c)),
        _ => Err(ApiError::refuse(Code::BadRecord, Some(at), "not its key's record")),
    }
}

/// Checks the enterprise's industry package for a loan to `uscc` (see the module docs).
///
/// # Errors
/// The refusals of the module docs; `platform.invalid_field` for a malformed claim or
/// opening.
pub(crate) fn check(uscc: &Uscc, p: &OperatingPackage) -> ApiResult<Checked> {
    if p.uscc != uscc.as_str() {
        return Err(ApiError::refuse(
            Code::WrongUscc,
            Some("industry.uscc"),
            "the industry package is another enterprise's",
        ));
    }
    let mut claims = Vec::with_capacity(p.records.len());
    for (i, c) in p.records.iter().enumerate() {
        let at = format!("industry.records[{i}]");
        let claim = c.to_claim().map_err(|e| ApiError::bad_field(&at, e.to_string()))?;
        match IndustryKey::parse(&claim.key) {
            Ok(IndustryKey::OperatingCommit(u, _)) if u == *uscc => {}
            Ok(IndustryKey::OperatingCommit(..)) => {
                return Err(ApiError::refuse(
                    Code::WrongUscc,
                    Some(&format!("{at}.key")),
                    "another enterprise's record",
                ))
            }
            _ => {
                return Err(ApiError::refuse(
                    Code::WrongKey,
                    Some(&format!("{at}.key")),
                    "expected operating-commit/<uscc>/<yyyymm>",
                ))
            }
        }
        claims.push(claim);
    }
    let mut seen = BTreeSet::new();
    for (i, o) in p.openings.iter().enumerate() {
        let at = format!("industry.openings[{i}]");
        if !seen.insert((o.metric.tag(), o.month)) {
            return Err(ApiError::refuse(
                Code::DuplicateClaim,
                Some(&at),
                format!("{} of {} opened twice", o.metric, o.month),
            ));
        }
        let key = format!("operating-commit/{uscc}/{}", o.month);
        let Some((j, claim)) = claims.iter().enumerate().find(|(_, c)| c.key == key) else {
            return Err(ApiError::refuse(
                Code::UndisclosedField,
                Some(&at),
                format!("the package proves no {key}"),
            ));
        };
        let Some(commit) = commit_of(claim, &format!("industry.records[{j}].value"))? else {
            return Err(ApiError::refuse(
                Code::UndisclosedField,
                Some(&at),
                format!("{key} is proven absent: nothing was attested that month"),
            ));
        };
        let Some(commitment) = commit.get(o.metric) else {
            return Err(ApiError::refuse(
                Code::UndisclosedField,
                Some(&at),
                format!("{key} commits no {}", o.metric),
            ));
        };
        match o.opens(uscc, commitment) {
            Ok(true) => {}
            Ok(false) => {
                return Err(ApiError::refuse(
                    Code::WrongSalt,
                    Some(&at),
                    format!(
                        "the opening of {} of {} does not open the proven commitment",
                        o.metric, o.month
                    ),
                ))
            }
            Err(fapiao_types::Error::Invalid { field, reason }) => {
                return Err(ApiError::bad_field(&format!("{at}.{field}"), reason))
            }
            Err(e) => return Err(ApiError::bad_field(&at, e.to_string())),
        }
    }
    let records = claims
        .iter()
        .filter_map(|c| {
            c.value.as_ref().map(|v| KeptRecord {
                chain_id: c.chain_id.clone(),
                height: c.height,
                key: c.key.clone(),
                value: hex::encode(&v.0),
            })
        })
        .collect();
    Ok(Checked { claims, records, openings: p.openings.clone() })
}

/// The figures of the proven fact `fact` this node holds: the commitments of the kept
/// record whose SHA-256 is the one the loan cites, each with the kept opening of its
/// figure and whether it opens it. Empty when the fact is not an `operating-commit`
/// record or the node keeps no matching record.
pub(crate) fn figures(
    uscc: &Uscc,
    fact: &ProvenFact,
    records: &[KeptRecord],
    openings: &[OperatingOpening],
) -> Vec<FigureJson> {
    let Some(hash) = fact.value_hash else { return Vec::new() };
    let kept = records.iter().find_map(|r| {
        let bytes = hex::decode(&r.value).ok()?;
        let same = r.chain_id == fact.chain_id && r.height == fact.height && r.key == fact.key;
        (same && sha256(&bytes) == hash).then_some(bytes)
    });
    let Some(commit) = kept.and_then(|b| decode_exact::<OperatingCommit>(&b, &()).ok()) else {
        return Vec::new();
    };
    let month = commit.month.yyyymm();
    commit
        .commitments
        .iter()
        .map(|c| {
            let opening = openings.iter().find(|o| o.metric == c.metric && o.month == month);
            FigureJson {
                metric: c.metric.as_str().to_string(),
                month,
                commitment: hex32(&c.commitment),
                value: opening.map(|o| o.value.clone()),
                verified: opening.is_some_and(|o| o.opens(uscc, &c.commitment).unwrap_or(false)),
            }
        })
        .collect()
}
