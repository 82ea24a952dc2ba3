//! The loan routes: apply with the enterprise's packages (the tax summary's and the
//! industry chain's openings checked here, off the chain), list, show with the verified
//! facts and figures the bank holds, review and decide.

use crate::common::{done, reader_scope, Executed, Index, Scope};
use crate::json::{
    AppliedJson, ApplyRequest, DecisionRequest, DoneJson, FactJson, FigureJson, LoanJson,
    ReviewRequest,
};
use crate::secrets::{self, KeptOpenings};
use axum::{
    extract::{rejection::JsonRejection, Path, State},
    http::HeaderMap,
    Json,
};
use fapiao_api::{access::Access, commit, error::ApiError, ApiResult, ApiState, St};
use fapiao_crosschain_types::StateClaim;
use fapiao_finance::{Code, FinancingPolicy};
use fapiao_finance_types::{ApplyLoan, DecideLoan, FinanceKey, LoanRecord, ReviewLoan};
use fapiao_invoice_types::{
    DisclosureGrant, InvoiceKey, Opening, SummaryField, SummaryMonth, SummaryStatus, SummaryValue,
};
use fapiao_types::{decode_exact, hex32, Hash32, StateKey, TxOutput};
use fapiao_values::Uscc;
use std::time::Duration;

/// How long an application waits for the relayer to carry the package's tax header.
const HEADER_WAIT: Duration = Duration::from_secs(5);

fn body<T>(b: Result<Json<T>, JsonRejection>) -> ApiResult<T> {
    b.map(|Json(v)| v)
        .map_err(|e| ApiError::refuse(fapiao_app::Platform::Malformed, Some("body"), e.body_text()))
}

/// A bank officer of a bank (401, 403).
fn officer(st: &ApiState, headers: &HeaderMap) -> ApiResult<String> {
    match reader_scope(st, headers)? {
        (_, Scope::Bank(b)) => Ok(b),
        (_, Scope::All) => Err(ApiError::refuse(
            Code::NotABank,
            Some("authorization"),
            "the regulator reads; it does not lend",
        )),
    }
}

fn decode<T: commonware_codec::Read<Cfg = ()>>(claim: &StateClaim, field: &str) -> ApiResult<T> {
    let v = claim.value.as_ref().ok_or_else(|| {
        ApiError::refuse(Code::Absent, Some(field), format!("{} is proven absent", claim.key))
    })?;
    decode_exact::<T>(&v.0, &())
        .map_err(|e| ApiError::refuse(Code::BadRecord, Some(field), format!("{}: {e}", claim.key)))
}

/// The default value of a month with no record (no activity).
fn absent_value(field: SummaryField) -> SummaryValue {
    match field {
        SummaryField::OnTime => SummaryValue::Flag(false),
        _ => SummaryValue::Fen(0),
    }
}

/// The commitment a record claim proves for `field` (`None`: the month has no record).
fn committed(claim: &StateClaim, field: SummaryField, at: &str) -> ApiResult<Option<Hash32>> {
    if claim.value.is_none() {
        return Ok(None);
    }
    Ok(Some(match field {
        SummaryField::Status => decode::<SummaryStatus>(claim, at)?.status,
        SummaryField::Sales => decode::<SummaryMonth>(claim, at)?.sales,
        SummaryField::VatPaid => decode::<SummaryMonth>(claim, at)?.vat_paid,
        SummaryField::OnTime => decode::<SummaryMonth>(claim, at)?.on_time,
    }))
}

/// Whether `o` opens `commitment` (`None`: the month had no record, so its value must be
/// the default).
fn opens(o: &Opening, uscc: &Uscc, commitment: Option<&Hash32>) -> bool {
    match commitment {
        Some(c) => o.opens(uscc, c).unwrap_or(false),
        None => SummaryValue::parse(o.field, &o.value).is_ok_and(|v| v == absent_value(o.field)),
    }
}

/// Checks every opening of the package against the proven records, off the chain.
fn check_openings(
    uscc: &Uscc,
    grant: &DisclosureGrant,
    records: &[StateClaim],
    openings: &[Opening],
) -> ApiResult<()> {
    for (i, o) in openings.iter().enumerate() {
        let at = format!("openings[{i}]");
        let month =
            o.period().map_err(|e| ApiError::bad_field(&format!("{at}.month"), e.to_string()))?;
        if !grant.covers(o.field, month) {
            return Err(ApiError::refuse(
                Code::UndisclosedField,
                Some(&at),
                format!(
                    "the grant does not disclose {}{}",
                    o.field,
                    month.map_or(String::new(), |m| format!(" of {}", m.yyyymm()))
                ),
            ));
        }
        let key = match month {
            Some(m) => InvoiceKey::SummaryMonth(*uscc, m),
            None => InvoiceKey::SummaryStatus(*uscc),
        }
        .to_string();
        let Some((j, claim)) = records.iter().enumerate().find(|(_, c)| c.key == key) else {
            return Err(ApiError::refuse(
                Code::Absent,
                Some(&at),
                format!("the package proves no {key}"),
            ));
        };
        let commitment = committed(claim, o.field, &format!("package.records[{j}]"))?;
        if !opens(o, uscc, commitment.as_ref()) {
            return Err(ApiError::refuse(
                Code::WrongSalt,
                Some(&at),
                format!("the opening of {} does not open the proven commitment", o.field),
            ));
        }
    }
    Ok(())
}

/// Waits (a few seconds) until the header of `chain` at `height` is in this chain's
/// window; refusals name `at.chain_id` and `at.height`.
async fn header_in_window(st: &ApiState, chain: &str, height: u64, at: &str) -> ApiResult<()> {
    // An unregistered chain will never be relayed: refused at once, with the light
    // client's code.
    let tip = st.reader.tip().height;
    if let Err(e) = fapiao_crosschain::registered(&Executed(&*st.reader), chain, tip) {
        return Err(match e {
            fapiao_app::Error::Rejected { code, message, .. } => {
                ApiError::declared(code, Some(&format!("{at}.chain_id")), message)
            }
            other => ApiError::internal(other),
        });
    }
    let deadline = tokio::time::Instant::now() + HEADER_WAIT;
    loop {
        let kept =
            fapiao_crosschain::window(&Executed(&*st.reader), chain).map_err(ApiError::internal)?;
        if kept.at(height).is_some() || kept.oldest().is_some_and(|o| height < o) {
            // Kept, or already below the window (the chain answers `stale`).
            return Ok(());
        }
        if tokio::time::Instant::now() >= deadline {
            return Err(ApiError::refuse(
                Code::HeaderPending,
                Some(&format!("{at}.height")),
                format!("{chain} header {height} is not yet relayed to this chain; retry shortly"),
            ));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// A bank officer applies with the enterprise's disclosure package.
#[utoipa::path(post, path = "/v1/finance/loans", tag = "finance",
    request_body = ApplyRequest,
    security(("bearer" = [])),
    responses((status = 200, body = AppliedJson), (status = 400, body = crate::ErrorBody),
              (status = 401, body = crate::ErrorBody), (status = 403, body = crate::ErrorBody),
              (status = 404, body = crate::ErrorBody), (status = 409, body = crate::ErrorBody),
              (status = 422, body = crate::ErrorBody), (status = 503, body = crate::ErrorBody)))]
pub(crate) async fn apply(
    State(st): St,
    headers: HeaderMap,
    req: Result<Json<ApplyRequest>, JsonRejection>,
) -> ApiResult<Json<AppliedJson>> {
    let bank = officer(&st, &headers)?;
    let req = body(req)?;
    let p = &req.package;
    let uscc =
        Uscc::parse(&p.uscc).map_err(|e| ApiError::bad_field("package.uscc", e.to_string()))?;
    let grant =
        p.grant.to_claim().map_err(|e| ApiError::bad_field("package.grant", e.to_string()))?;
    let records = p
        .records
        .iter()
        .enumerate()
        .map(|(i, c)| {
            c.to_claim()
                .map_err(|e| ApiError::bad_field(&format!("package.records[{i}]"), e.to_string()))
        })
        .collect::<ApiResult<Vec<_>>>()?;
    let mut operating = req
        .operating
        .iter()
        .enumerate()
        .map(|(i, c)| {
            c.to_claim().map_err(|e| ApiError::bad_field(&format!("operating[{i}]"), e.to_string()))
        })
        .collect::<ApiResult<Vec<_>>>()?;
    let g: DisclosureGrant = decode(&grant, "package.grant.value")?;
    check_openings(&uscc, &g, &records, &p.openings)?;
    let industry = match &req.industry {
        Some(package) => crate::operating::check(&uscc, package)?,
        None => crate::operating::Checked::default(),
    };
    header_in_window(&st, &grant.chain_id, grant.height, "package.grant").await?;
    // Every distinct header the industry records are proven at (one, from an industry
    // node).
    let mut waited: Vec<(&str, u64)> = Vec::new();
    for (i, c) in industry.claims.iter().enumerate() {
        if !waited.contains(&(c.chain_id.as_str(), c.height)) {
            header_in_window(&st, &c.chain_id, c.height, &format!("industry.records[{i}]")).await?;
            waited.push((&c.chain_id, c.height));
        }
    }
    operating.extend(industry.claims.iter().cloned());
    let action = ApplyLoan {
        uscc,
        amount: req.amount,
        term_months: req.term_months,
        purpose: req.purpose.clone(),
        grant,
        records,
        operating,
    };
    let (hash, receipt) = commit(&st, &headers, action).await?;
    let loan = match receipt.output {
        TxOutput::Record(id) => id,
        _ => hash,
    };
    let kept = KeptOpenings {
        loan: hex32(&loan),
        uscc: p.uscc.clone(),
        openings: p.openings.clone(),
        operating: industry.openings,
        operating_records: industry.records,
    };
    let (openings_kept, figures_kept) = match &st.secrets {
        Some(dir) => match secrets::store(dir, &bank, &kept) {
            Ok(()) => (kept.openings.len(), kept.operating.len()),
            Err(e) => {
                tracing::error!(error = %e, loan = %kept.loan, "the openings could not be kept");
                (0, 0)
            }
        },
        None => (0, 0),
    };
    tracing::info!(loan = %kept.loan, bank = %bank, height = receipt.height, figures = figures_kept, "loan applied");
    Ok(Json(AppliedJson { loan: kept.loan, height: receipt.height, openings_kept, figures_kept }))
}

/// The view of `loan`: its proven commitments, with the opened values this node keeps
/// for `bank` (when it is the loan's bank), each checked against the commitment; and the
/// industry figures it keeps, each checked against the record the loan cites.
fn view(st: &ApiState, loan: &LoanRecord, own: bool) -> LoanJson {
    let kept = own
        .then(|| st.secrets.as_deref().and_then(|d| secrets::load(d, &loan.bank, &hex32(&loan.id))))
        .flatten();
    let figures: Vec<Vec<FigureJson>> = match &kept {
        Some(k) => loan
            .operating
            .iter()
            .map(|f| crate::operating::figures(&loan.uscc, f, &k.operating_records, &k.operating))
            .collect(),
        None => Vec::new(),
    };
    LoanJson::of(loan, facts(loan, kept.as_ref()), figures)
}

/// The tax facts of `loan` with the openings `kept`.
fn facts(loan: &LoanRecord, kept: Option<&KeptOpenings>) -> Vec<FactJson> {
    loan.commitments
        .iter()
        .map(|c| {
            let month = (c.month != 0).then_some(c.month);
            let opening = kept
                .and_then(|k| k.openings.iter().find(|o| o.field == c.field && o.month == month));
            FactJson {
                field: c.field.as_str().to_string(),
                month,
                commitment: c.commitment.as_ref().map(hex32),
                value: opening.map(|o| o.value.clone()),
                verified: opening.is_some_and(|o| opens(o, &loan.uscc, c.commitment.as_ref())),
            }
        })
        .collect()
}

fn loan_of(st: &ApiState, id: &Hash32) -> ApiResult<LoanRecord> {
    st.reader
        .get::<LoanRecord>(&StateKey::from(FinanceKey::Loan(*id)))?
        .ok_or_else(|| ApiError::refuse(Code::UnknownLoan, Some("id"), "no such loan"))
}

/// The loans the caller may read: its bank's, or every bank's for the regulator.
#[utoipa::path(get, path = "/v1/finance/loans", tag = "finance",
    security(("bearer" = [])),
    responses((status = 200, body = Vec<LoanJson>), (status = 401, body = crate::ErrorBody),
              (status = 403, body = crate::ErrorBody)))]
pub(crate) async fn list(State(st): St, headers: HeaderMap) -> ApiResult<Json<Vec<LoanJson>>> {
    let (_, scope) = reader_scope(&st, &headers)?;
    let ids = fapiao_finance::index::loans(&Index(&*st.reader), scope.bank(), 500)
        .map_err(ApiError::internal)?;
    let mut out = Vec::new();
    for id in ids {
        let loan = loan_of(&st, &id)?;
        let own = scope.bank() == Some(loan.bank.as_str());
        out.push(view(&st, &loan, own));
    }
    Ok(Json(out))
}

/// One loan with the verified facts the bank holds.
#[utoipa::path(get, path = "/v1/finance/loans/{id}", tag = "finance",
    params(("id" = String, Path, description = "the loan's id (hex)")),
    security(("bearer" = [])),
    responses((status = 200, body = LoanJson), (status = 401, body = crate::ErrorBody),
              (status = 403, body = crate::ErrorBody), (status = 404, body = crate::ErrorBody)))]
pub(crate) async fn show(
    State(st): St,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Json<LoanJson>> {
    let (viewer, scope) = reader_scope(&st, &headers)?;
    let id = fapiao_api::parse_hash("id", &id)?;
    let loan = loan_of(&st, &id)?;
    match crate::access::bank_access(&loan.bank, &viewer) {
        Access::Denied => {
            return Err(ApiError::refuse(Code::UnknownLoan, Some("id"), "no such loan"))
        }
        Access::Oversight => {
            tracing::info!(loan = %hex32(&id), reader = %viewer.org.id, "regulator read a loan");
        }
        Access::Party => {}
    }
    let own = scope.bank() == Some(loan.bank.as_str());
    Ok(Json(view(&st, &loan, own)))
}

/// The bank takes a loan under review.
#[utoipa::path(post, path = "/v1/finance/loans/{id}/review", tag = "finance",
    params(("id" = String, Path, description = "the loan's id (hex)")),
    request_body = ReviewRequest,
    security(("bearer" = [])),
    responses((status = 200, body = DoneJson), (status = 400, body = crate::ErrorBody),
              (status = 401, body = crate::ErrorBody), (status = 403, body = crate::ErrorBody),
              (status = 404, body = crate::ErrorBody), (status = 409, body = crate::ErrorBody),
              (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn review(
    State(st): St,
    headers: HeaderMap,
    Path(id): Path<String>,
    req: Result<Json<ReviewRequest>, JsonRejection>,
) -> ApiResult<Json<DoneJson>> {
    let loan = fapiao_api::parse_hash("id", &id)?;
    let req = body(req)?;
    let (hash, receipt) = commit(&st, &headers, ReviewLoan { loan, notes: req.notes }).await?;
    Ok(Json(done(hash, &receipt)))
}

/// The bank decides a loan.
#[utoipa::path(post, path = "/v1/finance/loans/{id}/decision", tag = "finance",
    params(("id" = String, Path, description = "the loan's id (hex)")),
    request_body = DecisionRequest,
    security(("bearer" = [])),
    responses((status = 200, body = DoneJson), (status = 400, body = crate::ErrorBody),
              (status = 401, body = crate::ErrorBody), (status = 403, body = crate::ErrorBody),
              (status = 404, body = crate::ErrorBody), (status = 409, body = crate::ErrorBody),
              (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn decide(
    State(st): St,
    headers: HeaderMap,
    Path(id): Path<String>,
    req: Result<Json<DecisionRequest>, JsonRejection>,
) -> ApiResult<Json<DoneJson>> {
    let loan = fapiao_api::parse_hash("id", &id)?;
    let r = body(req)?;
    let action = DecideLoan {
        loan,
        approve: r.approve,
        amount: r.amount,
        rate_bp: r.rate_bp,
        term_months: r.term_months,
        reasons: r.reasons,
    };
    let (hash, receipt) = commit(&st, &headers, action).await?;
    Ok(Json(done(hash, &receipt)))
}

/// The `finance/financing` parameter in force at the tip.
pub(crate) fn policy(st: &ApiState) -> ApiResult<FinancingPolicy> {
    let height = st.reader.tip().height;
    fapiao_app::params::at_height::<FinancingPolicy>(&Executed(&*st.reader), height)
        .map(|(_, p)| p)
        .map_err(ApiError::internal)
}
