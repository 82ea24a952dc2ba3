//! What the handlers share: the signed-in bank officer or regulator, the index reader,
//! the executed state as the seam's read side, and the answer to a committed write.

use axum::http::HeaderMap;
use fapiao_api::{access::Viewer, error::ApiError, viewer, ApiResult, ApiState, Reader};
use fapiao_app::{IndexRead, Rows, Scan};
use fapiao_types::{hex32, Hash32, OrgKind, Receipt, Role, StateKey};

use crate::json::DoneJson;

/// The API's reader as the application's index reads take it.
pub(crate) struct Index<'a>(pub(crate) &'a dyn Reader);

impl IndexRead for Index<'_> {
    fn get(
        &self,
        table: &'static fapiao_app::IndexTable,
        key: &[u8],
    ) -> Result<Option<Vec<u8>>, String> {
        <dyn Reader as IndexRead>::get(self.0, table, key)
    }
    fn scan(
        &self,
        table: &'static fapiao_app::IndexTable,
        prefix: &[u8],
        limit: usize,
        dir: Scan,
    ) -> Result<Rows, String> {
        <dyn Reader as IndexRead>::scan(self.0, table, prefix, limit, dir)
    }
}

/// The executed state as the seam's read side (for `fapiao_crosschain::window` and the
/// parameters).
pub(crate) struct Executed<'a>(pub(crate) &'a dyn Reader);

impl fapiao_app::StateAccess for Executed<'_> {
    fn read(&self, key: &StateKey) -> Result<Option<Vec<u8>>, String> {
        self.0.get_raw(key).map_err(|e| e.to_string())
    }
    fn write(&mut self, _: &StateKey, _: Vec<u8>) {}
}

/// Whose records a reader sees: one bank's, or every bank's (the regulator).
pub(crate) enum Scope {
    /// A bank's officer: that bank's.
    Bank(String),
    /// The central bank's branch: every bank's.
    All,
}

impl Scope {
    pub(crate) fn bank(&self) -> Option<&str> {
        match self {
            Scope::Bank(b) => Some(b),
            Scope::All => None,
        }
    }
}

/// The signed-in viewer and what they may list: a `bank.officer` of a bank, or the
/// regulator's officer (401 without a token, 403 otherwise).
pub(crate) fn reader_scope(st: &ApiState, headers: &HeaderMap) -> ApiResult<(Viewer, Scope)> {
    let v =
        viewer(st, headers)?.ok_or_else(|| ApiError::unauthorized("a bearer token is required"))?;
    match v.org.kind {
        OrgKind::Bank => {
            let account = st.reader.account(&v.account)?;
            if !account.is_some_and(|a| a.has_role(Role::BankOfficer)) {
                return Err(ApiError::from(fapiao_ledger::Rejection::missing_role(
                    Role::BankOfficer,
                    "the loan desk",
                )));
            }
            let bank = v.org.id.clone();
            Ok((v, Scope::Bank(bank)))
        }
        OrgKind::CentralBank => Ok((v, Scope::All)),
        _ => Err(ApiError::refuse(
            fapiao_finance::Code::NotABank,
            Some("authorization"),
            "only banks and the regulator read the loan desk",
        )),
    }
}

/// The answer to a committed write.
pub(crate) fn done(hash: Hash32, receipt: &Receipt) -> DoneJson {
    DoneJson { tx_hash: hex32(&hash), height: receipt.height }
}
