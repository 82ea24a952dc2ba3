//! What the exchange's handlers share: the signed-in officer or person, names of
//! organisations and accounts, times, and the answer to a committed write.

use crate::json::{DoneJson, OrgRef};
use axum::http::HeaderMap;
use fapiao_api::{caller, error::ApiError, ApiResult, ApiState, Caller, Reader};
use fapiao_exchange_types::{alert_id, AlertRecord, ExchangeKey};
use fapiao_types::{hex32, AccountId, AccountRecord, Hash32, Receipt, Role, StateKey, TxOutput};

/// The signed-in caller holding `role` (401 without a token, 403 `missing_role`).
pub fn require(
    st: &ApiState,
    headers: &HeaderMap,
    role: Role,
    what: &str,
) -> ApiResult<(Caller, AccountRecord)> {
    let who =
        caller(st, headers)?.ok_or_else(|| ApiError::unauthorized("a bearer token is required"))?;
    if !who.1.has_role(role) {
        return Err(ApiError::from(fapiao_ledger::Rejection::missing_role(role, what)));
    }
    Ok(who)
}

/// A department officer (`exchange.officer`).
pub fn officer(
    st: &ApiState,
    headers: &HeaderMap,
    what: &str,
) -> ApiResult<(Caller, AccountRecord)> {
    require(st, headers, Role::ExchangeOfficer, what)
}

/// The name of organisation `id` (its id when unknown).
pub fn org_name(reader: &dyn Reader, id: &str) -> String {
    reader
        .genesis()
        .organisations
        .iter()
        .find(|o| o.id == id)
        .map(|o| o.name.clone())
        .unwrap_or_else(|| id.to_string())
}

/// An organisation by id and name.
pub fn org_ref(reader: &dyn Reader, id: &str) -> OrgRef {
    OrgRef { id: id.to_string(), name: org_name(reader, id) }
}

/// The name of account `id` (its hex when unknown).
pub fn account_name(reader: &dyn Reader, id: &AccountId) -> String {
    match reader.account(id) {
        Ok(Some(a)) => a.name,
        _ => id.to_string(),
    }
}

/// `yyyy-mm-dd hh:mm`, China time, of a block time in Unix ms.
pub fn time_str(ms: u64) -> String {
    let secs = ms / 1000 + 8 * 3600;
    let day = fapiao_types::ChinaDate::from_unix_ms(ms);
    let (h, m) = ((secs / 3600) % 24, (secs / 60) % 60);
    format!("{day} {h:02}:{m:02}")
}

/// A hex id from a path or body.
pub fn parse_id(field: &str, s: &str) -> ApiResult<Hash32> {
    fapiao_api::parse_hash(field, s)
}

/// A hex account id.
pub fn parse_account(field: &str, s: &str) -> ApiResult<AccountId> {
    AccountId::from_hex(s.trim()).map_err(|e| ApiError::bad_field(field, e.to_string()))
}

/// The answer to a committed write: its hash, height, the record it created and the
/// joint alerts it raised.
pub fn done(reader: &dyn Reader, hash: Hash32, receipt: &Receipt) -> DoneJson {
    let record = match receipt.output {
        TxOutput::Record(h) => Some(hex32(&h)),
        _ => None,
    };
    let mut alerts = Vec::new();
    for n in 0..u16::MAX {
        let id = alert_id(&hash, n);
        match reader.get::<AlertRecord>(&StateKey::from(ExchangeKey::Alert(id))) {
            Ok(Some(_)) => alerts.push(hex32(&id)),
            _ => break,
        }
    }
    DoneJson {
        tx_hash: hex32(&hash),
        height: receipt.height,
        record,
        alert: alerts.first().cloned(),
        alerts,
    }
}
