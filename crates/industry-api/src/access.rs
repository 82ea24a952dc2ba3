//! Who reads the industry chain's records (`GET /v1/state` and the routes alike).
//!
//! * `industry-enterprise/…`: everyone (the park's register of names and codes).
//! * `operating/<uscc>/…` (a figure in clear): the enterprise itself (its organisation's
//!   USCC), the park operator (a `platform` organisation), and the organisation that
//!   attested the figure.
//! * `operating-commit/<uscc>/…` (commitments only): the enterprise, the park operator and
//!   the attesting kinds (utility, social security, logistics).
//!
//! Anyone else is answered 404, as for a record that does not exist (a tax authority, if
//! the chain had one, would read by oversight, audited).

use fapiao_api::{
    access::{Access, Viewer},
    Reader,
};
use fapiao_industry_types::{IndustryKey, Metric, OperatingRecord};
use fapiao_types::{AppKey, OrgKind, StateKey};

/// The executed state as the seam's read side, for the parameters in force.
pub(crate) struct Executed<'a>(pub &'a dyn Reader);

impl fapiao_app::StateAccess for Executed<'_> {
    fn read(&self, key: &StateKey) -> Result<Option<Vec<u8>>, String> {
        self.0.get_raw(key).map_err(|e| e.to_string())
    }
    fn write(&mut self, _: &StateKey, _: Vec<u8>) {}
}

/// Whether `v` is the park operator.
pub(crate) fn is_park(v: &Viewer) -> bool {
    v.org.kind == OrgKind::Platform
}

/// Whether `v`'s organisation attests some metric.
pub(crate) fn is_attester(v: &Viewer) -> bool {
    Metric::ALL.iter().any(|m| m.attested_by(v.org.kind))
}

pub(crate) fn key_access(reader: &dyn Reader, key: &AppKey, v: Option<&Viewer>) -> Option<Access> {
    if !IndustryKey::KINDS.contains(&key.kind()) {
        return None;
    }
    let Ok(k) = IndustryKey::try_from(key) else { return Some(Access::Denied) };
    let party = match (&k, v) {
        (IndustryKey::Enterprise(_), _) => true,
        (_, None) => false,
        (IndustryKey::Operating(u, ..), Some(v)) => {
            v.is_taxpayer(u.as_str())
                || is_park(v)
                || reader
                    .get::<OperatingRecord>(&StateKey::from(&k))
                    .ok()
                    .flatten()
                    .is_some_and(|r| r.attester == v.org.id)
        }
        (IndustryKey::OperatingCommit(u, _), Some(v)) => {
            v.is_taxpayer(u.as_str()) || is_park(v) || is_attester(v)
        }
    };
    Some(if party { Access::Party } else { v.map_or(Access::Denied, |v| v.access(false)) })
}
