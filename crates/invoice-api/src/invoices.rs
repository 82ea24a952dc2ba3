//! The invoice routes: taxpayers, credit, issuance (and its preview), circulation,
//! booking, VAT returns, verification. Writes are the Bearer-token (custodial)
//! convenience: the node builds the transaction, signs it with the caller's held key
//! and waits for its receipt; the same actions pre-signed go to `POST /v1/transactions`.

use crate::access;
use crate::money::{china_time, parse_date, parse_month, parse_value, parse_yuan, yuan};
use axum::{
    extract::{rejection::JsonRejection, Path, Query, State},
    http::HeaderMap,
    Json,
};
use fapiao_api::{
    caller,
    error::{ApiError, ApiResult},
    viewer, ApiState, St,
};
use fapiao_invoice::index::read;
use fapiao_invoice_types::*;
use fapiao_invoice_types::{InvoiceAction, InvoiceKey};
use fapiao_types::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

// ---------------------------------------------------------------- JSON shapes

/// A taxpayer registration.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct TaxpayerJson {
    /// Unified Social Credit Code.
    pub uscc: String,
    /// Name.
    pub name: String,
    /// 6-digit administrative division code.
    pub region: String,
    /// `general` or `small_scale`.
    pub seller_type: String,
    /// Accounts authorised to issue (hex).
    #[serde(default)]
    pub issuers: Vec<String>,
    /// `active`, `frozen` or `deregistered` (responses only).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub status: String,
}

/// A status change.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct StatusChange {
    /// `active`, `frozen` or `deregistered`.
    pub status: String,
    /// Why.
    pub reason: String,
}

/// A credit ceiling.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct CreditJson {
    /// Monthly ceiling, yuan (`"100000.00"`).
    pub monthly_ceiling: String,
}

/// A credit request.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct CreditRequestJson {
    /// Taxpayer.
    pub uscc: String,
    /// Extra credit asked for this month, yuan.
    pub amount: String,
    /// Why.
    pub reason: String,
}

/// A decision on a credit request.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct DecisionJson {
    /// Approve (else decline).
    pub approve: bool,
    /// Why.
    #[serde(default)]
    pub reason: String,
}

/// A buyer.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct BuyerJson {
    /// `person` or `enterprise` (default: enterprise when a tax id is given).
    #[serde(default)]
    pub kind: Option<String>,
    /// Name or title.
    pub name: String,
    /// Taxpayer id (USCC).
    #[serde(default)]
    pub tax_id: String,
    /// The holder's account (hex), whose wallet receives the invoice.
    #[serde(default)]
    pub holder: Option<String>,
}

/// A line as entered.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, Default)]
pub struct LineInputJson {
    /// `*category*name`.
    pub name: String,
    /// 19-digit tax classification code.
    pub tax_code: String,
    /// Specification.
    #[serde(default)]
    pub spec: String,
    /// Unit.
    #[serde(default)]
    pub unit: String,
    /// Quantity (decimal).
    #[serde(default)]
    pub quantity: String,
    /// Unit price excluding tax (decimal).
    #[serde(default)]
    pub unit_price: String,
    /// Amount excluding tax, yuan.
    #[serde(default)]
    pub amount: Option<String>,
    /// Amount including tax, yuan.
    #[serde(default)]
    pub gross: Option<String>,
    /// Rate (`"0.13"`, `"exempt"`, `"out_of_scope"`).
    pub rate: String,
    /// Tax, yuan (checked within ±0.06).
    #[serde(default)]
    pub tax: Option<String>,
    /// A discount line (折扣行) for the line just above it: same name, classification
    /// code and rate, a negative `amount` (or `gross`) of at most that line's. A line
    /// with a negative amount must say so, and a discount line must be negative.
    #[serde(default)]
    pub discount: bool,
}

/// An issuance request.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct IssueJson {
    /// Seller's USCC.
    pub seller: String,
    /// `special` or `ordinary`.
    pub kind: String,
    /// The bureau's type code (default 81 special, 82 ordinary).
    #[serde(default)]
    pub type_code: Option<String>,
    /// Buyer.
    pub buyer: BuyerJson,
    /// Lines.
    pub lines: Vec<LineInputJson>,
    /// Remarks.
    #[serde(default)]
    pub remarks: String,
    /// Optional typed industry block (特定要素).
    #[serde(default)]
    pub industry: Option<IndustryJson>,
}

/// The typed industry block (特定要素), tagged by `type`.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum IndustryJson {
    /// Passenger transport (旅客运输服务).
    PassengerTransport(PassengerTransportJson),
    /// Vehicle-and-vessel tax (车船税) collected by an insurer.
    VehicleVesselTax(VehicleVesselTaxJson),
}

/// 特定要素 of passenger transport.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
pub struct PassengerTransportJson {
    /// Traveller's name.
    pub traveller: String,
    /// Masked identity document number (`110105********002X`; never in full).
    #[serde(default)]
    pub id_masked: String,
    /// Travel date, `yyyy-mm-dd`.
    pub travel_date: String,
    /// Departure.
    pub from: String,
    /// Destination.
    pub to: String,
    /// 火车, 飞机, 客车, 轮船, 地铁, …
    pub vehicle_type: String,
    /// Seat class.
    #[serde(default)]
    pub seat_class: String,
}

/// 特定要素 of a vehicle-and-vessel tax collected by an insurer.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
pub struct VehicleVesselTaxJson {
    /// Insurance policy number.
    pub policy_no: String,
    /// Plate number.
    pub plate: String,
    /// Vehicle identification number (17 characters).
    pub vin: String,
    /// Tax period (`2026` or `2026-01..2026-12`).
    pub tax_period: String,
    /// Tax, yuan (`"960.00"`).
    pub tax: String,
    /// Late fee, yuan (default `"0.00"`).
    #[serde(default)]
    pub late_fee: Option<String>,
    /// Total, yuan (= tax + late fee).
    pub total: String,
}

/// A computed line.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct LineJson {
    /// `*category*name`.
    pub name: String,
    /// Tax classification code.
    pub tax_code: String,
    /// Specification.
    pub spec: String,
    /// Unit.
    pub unit: String,
    /// Quantity.
    pub quantity: String,
    /// Unit price.
    pub unit_price: String,
    /// Amount, yuan.
    pub amount: String,
    /// Rate.
    pub rate: String,
    /// Tax, yuan.
    pub tax: String,
    /// A discount line (折扣行) of the line above it (a blue invoice's negative line).
    #[serde(default)]
    pub discount: bool,
}

/// An invoice as its parties see it.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct InvoiceJson {
    /// 20-digit number.
    pub number: String,
    /// `special` or `ordinary`.
    pub kind: String,
    /// The bureau's type code.
    pub type_code: String,
    /// `issued`, `submitted`, `reimbursed`, `reversed`.
    pub status: String,
    /// Under investigation by the tax authority.
    pub flagged: bool,
    /// Issue time, RFC 3339, China time.
    pub issued_at: String,
    /// Issue date, `yyyy-mm-dd`.
    pub date: String,
    /// Seller.
    pub seller: SellerJson,
    /// Buyer.
    pub buyer: InvoiceBuyerJson,
    /// Lines.
    pub lines: Vec<LineJson>,
    /// Σ amounts, yuan.
    pub total_amount: String,
    /// Σ taxes, yuan.
    pub total_tax: String,
    /// Total with tax, yuan.
    pub total_with_tax: String,
    /// Total with tax in Chinese capitals.
    pub total_with_tax_in_capitals: String,
    /// Remarks.
    pub remarks: String,
    /// The issuing account.
    pub issuer: String,
    /// The blue invoice this red one reverses.
    pub red_of: Option<String>,
    /// The typed industry block (特定要素), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub industry: Option<IndustryJson>,
    /// What stands of a blue invoice after red invoices, yuan.
    pub remaining: String,
    /// Circulation: holder, enterprise, reimbursed/booked heights.
    pub circulation: CirculationJson,
    /// Hex of the salted commitment to the private fields.
    pub commitment: String,
    /// The version of the tax rules (`GET /v1/params`, `invoice/tax-rules`) it was
    /// computed with.
    pub rules_version: u32,
}

/// The seller of an invoice.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct SellerJson {
    /// USCC.
    #[schema(value_type = String, example = "91440300708461136T")]
    pub tax_id: Uscc,
    /// Name.
    pub name: String,
    /// `general` or `small_scale`.
    #[schema(value_type = String, example = "general")]
    pub seller_type: SellerType,
}

/// The buyer of an invoice.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct InvoiceBuyerJson {
    /// `person` or `enterprise`.
    #[schema(value_type = String, example = "enterprise")]
    pub kind: BuyerKind,
    /// Name or title.
    pub name: String,
    /// USCC, or `""` for a person without one.
    pub tax_id: String,
    /// The holding account (hex), if any.
    pub holder: Option<String>,
}

/// Where an invoice is in its circulation (`null`: not so far).
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct CirculationJson {
    /// The holding account (hex).
    pub holder: Option<String>,
    /// USCC of the enterprise it is submitted to or was reimbursed by.
    #[schema(value_type = Option<String>)]
    pub enterprise: Option<Uscc>,
    /// Height of reimbursement.
    pub reimbursed_at: Option<u64>,
    /// Height of booking for deduction.
    pub booked_at: Option<u64>,
    /// Reason of the latest rejection.
    pub last_rejection: Option<String>,
}

/// A preview of an issuance.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct PreviewJson {
    /// Computed lines.
    pub lines: Vec<LineJson>,
    /// Σ amounts, yuan.
    pub total_amount: String,
    /// Σ taxes, yuan.
    pub total_tax: String,
    /// Total with tax, yuan.
    pub total_with_tax: String,
    /// In capitals.
    pub total_with_tax_in_capitals: String,
}

/// Submission to an enterprise.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct SubmitInvoiceJson {
    /// The enterprise's USCC.
    pub enterprise: String,
}

/// A reason.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, Default)]
pub struct ReasonJson {
    /// Why.
    #[serde(default)]
    pub reason: String,
}

/// A flag.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct FlagJson {
    /// Flag (true) or clear (false).
    #[serde(default = "yes")]
    pub flagged: bool,
    /// Why.
    pub reason: String,
}

fn yes() -> bool {
    true
}

/// The answer of public verification: genuine or not, status, seller — nothing else.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct VerifyJson {
    /// Whether an invoice with this number, date and total exists.
    pub genuine: bool,
    /// Its status (when genuine).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Flagged by the tax authority (when genuine).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flagged: Option<bool>,
    /// Seller name (when genuine).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seller_name: Option<String>,
    /// Executed height of the answer.
    pub height: u64,
}

/// A VAT return.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct VatReturnJson {
    /// Taxpayer.
    pub uscc: String,
    /// Month, `yyyy-mm`.
    pub month: String,
    /// Output tax, yuan.
    pub output_tax: String,
    /// Input tax, yuan.
    pub input_tax: String,
    /// Credit carried in, yuan.
    pub carried_in: String,
    /// Payable, yuan.
    pub payable: String,
    /// Carried forward, yuan.
    pub carry_forward: String,
    /// Whether filed, and at which height.
    pub filed_at: Option<u64>,
    /// Whether it was filed by the 15th of the next month, China time (`false` while
    /// not filed; statutory holiday extensions are not modelled).
    #[serde(default)]
    pub on_time: bool,
}

/// A committed custodial action.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct Committed {
    /// Transaction hash (hex).
    pub tx_hash: String,
    /// Block height.
    pub height: u64,
    /// The affected invoice, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invoice: Option<InvoiceJson>,
    /// An id the action created (a credit request).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

// ---------------------------------------------------------------- conversions

pub(crate) fn json_body<T>(body: core::result::Result<Json<T>, JsonRejection>) -> ApiResult<T> {
    body.map(|Json(b)| b)
        .map_err(|e| ApiError::refuse(fapiao_app::Platform::Malformed, Some("body"), e.body_text()))
}

fn parse_account(field: &str, s: &str) -> ApiResult<AccountId> {
    AccountId::from_hex(s).map_err(|e| ApiError::bad_field(field, e.to_string()))
}

/// A value given as text, absent when empty.
fn opt_value<T: std::str::FromStr<Err = fapiao_invoice_rules::ValueError>>(
    field: &str,
    s: &str,
) -> ApiResult<Option<T>> {
    (!s.is_empty()).then(|| parse_value(field, s)).transpose()
}

fn opt_yuan(field: &str, v: &Option<String>) -> ApiResult<Option<i64>> {
    v.as_deref().filter(|s| !s.is_empty()).map(|s| parse_yuan(field, s)).transpose()
}

fn to_industry(j: IndustryJson) -> ApiResult<Industry> {
    Ok(match j {
        IndustryJson::PassengerTransport(p) => Industry::PassengerTransport(PassengerTransport {
            traveller: p.traveller,
            id_masked: p.id_masked,
            travel_date: parse_date("industry.travel_date", &p.travel_date)?,
            from: p.from,
            to: p.to,
            vehicle_type: p.vehicle_type,
            seat_class: p.seat_class,
        }),
        IndustryJson::VehicleVesselTax(v) => Industry::VehicleVesselTax(VehicleVesselTax {
            policy_no: v.policy_no,
            plate: v.plate,
            vin: parse_value("industry.vin", &v.vin)?,
            tax_period: v.tax_period,
            tax: parse_yuan("industry.tax", &v.tax)?,
            late_fee: opt_yuan("industry.late_fee", &v.late_fee)?.unwrap_or(0),
            total: parse_yuan("industry.total", &v.total)?,
        }),
    })
}

fn industry_json(i: &Industry) -> IndustryJson {
    match i {
        Industry::PassengerTransport(p) => {
            IndustryJson::PassengerTransport(PassengerTransportJson {
                traveller: p.traveller.clone(),
                id_masked: p.id_masked.clone(),
                travel_date: p.travel_date.to_string(),
                from: p.from.clone(),
                to: p.to.clone(),
                vehicle_type: p.vehicle_type.clone(),
                seat_class: p.seat_class.clone(),
            })
        }
        Industry::VehicleVesselTax(v) => IndustryJson::VehicleVesselTax(VehicleVesselTaxJson {
            policy_no: v.policy_no.clone(),
            plate: v.plate.clone(),
            vin: v.vin.to_string(),
            tax_period: v.tax_period.clone(),
            tax: yuan(v.tax),
            late_fee: Some(yuan(v.late_fee)),
            total: yuan(v.total),
        }),
    }
}

fn to_issue(j: IssueJson) -> ApiResult<IssueInvoice> {
    let kind =
        InvoiceKind::parse(&j.kind).map_err(|e| ApiError::bad_field("kind", e.to_string()))?;
    let tax_id: Option<Uscc> = match j.buyer.tax_id.as_str() {
        "" => None,
        t => Some(parse_value("buyer.tax_id", t)?),
    };
    let buyer_kind = match j.buyer.kind.as_deref() {
        Some(k) => {
            BuyerKind::parse(k).map_err(|e| ApiError::bad_field("buyer.kind", e.to_string()))?
        }
        None if j.buyer.tax_id.is_empty() => BuyerKind::Person,
        None => BuyerKind::Enterprise,
    };
    let holder = j.buyer.holder.as_deref().map(|h| parse_account("buyer.holder", h)).transpose()?;
    let mut lines = Vec::with_capacity(j.lines.len());
    for (i, l) in j.lines.into_iter().enumerate() {
        let amount = opt_yuan(&format!("lines[{i}].amount"), &l.amount)?;
        let gross = opt_yuan(&format!("lines[{i}].gross"), &l.gross)?;
        // On chain a blue line is a discount line exactly when its amount (or gross) is
        // negative; the request says which it means, and the two must agree.
        let negative = amount.or(gross).is_some_and(|a| a < 0);
        let field = format!("lines[{i}].{}", if amount.is_some() { "amount" } else { "gross" });
        if l.discount && !negative {
            return Err(ApiError::refuse(
                fapiao_invoice::Code::DiscountNotNegative,
                Some(&field),
                "a discount line has a negative amount (or gross)",
            ));
        }
        if !l.discount && negative {
            return Err(ApiError::refuse(
                fapiao_invoice::Code::NonPositiveAmount,
                Some(&field),
                "a negative line is a discount line: mark it \"discount\": true",
            ));
        }
        lines.push(LineInput {
            name: l.name,
            tax_code: l.tax_code,
            spec: l.spec,
            unit: l.unit,
            quantity: opt_value(&format!("lines[{i}].quantity"), &l.quantity)?,
            unit_price: opt_value(&format!("lines[{i}].unit_price"), &l.unit_price)?,
            amount,
            gross,
            rate: parse_value(&format!("lines[{i}].rate"), &l.rate)?,
            tax: opt_yuan(&format!("lines[{i}].tax"), &l.tax)?,
        });
    }
    Ok(IssueInvoice {
        seller: parse_value("seller", &j.seller)?,
        kind,
        type_code: j.type_code.unwrap_or_else(|| {
            if kind == InvoiceKind::Special {
                "81".into()
            } else {
                "82".into()
            }
        }),
        buyer: Buyer { kind: buyer_kind, name: j.buyer.name, tax_id, holder },
        lines,
        remarks: j.remarks,
        salt: rand::random(),
        industry: j.industry.map(to_industry).transpose()?,
    })
}

/// A stored line as JSON; `red` says whether it belongs to a red invoice (whose lines
/// are all negative and none a discount).
fn line_json(l: &Line, red: bool) -> LineJson {
    LineJson {
        discount: !red && l.amount < 0,
        name: l.name.clone(),
        tax_code: l.tax_code.clone(),
        spec: l.spec.clone(),
        unit: l.unit.clone(),
        quantity: l.quantity.map(|q| q.to_string()).unwrap_or_default(),
        unit_price: l.unit_price.map(|p| p.to_string()).unwrap_or_default(),
        amount: yuan(l.amount),
        rate: l.rate.to_string(),
        tax: yuan(l.tax),
    }
}

/// The full JSON of invoice `number` (no access check).
pub fn invoice_json(st: &ApiState, number: &InvoiceNumber) -> ApiResult<Option<InvoiceJson>> {
    let l = &*st.reader;
    let Some(p) = l.get::<InvoicePublic>(&StateKey::from(InvoiceKey::Invoice(*number)))? else {
        return Ok(None);
    };
    let b = l
        .get::<InvoiceBody>(&StateKey::from(InvoiceKey::InvoiceBody(*number)))?
        .ok_or_else(|| ApiError::internal(format!("invoice {number} has no body")))?;
    let c = l
        .get::<Circulation>(&StateKey::from(InvoiceKey::InvoiceCirc(*number)))?
        .unwrap_or_default();
    Ok(Some(InvoiceJson {
        number: p.number.to_string(),
        kind: p.kind.as_str().into(),
        type_code: b.type_code.clone(),
        status: p.status.as_str().into(),
        flagged: p.flagged,
        issued_at: china_time(p.issued_at_ms),
        date: p.date.to_string(),
        seller: SellerJson {
            tax_id: p.seller_tax_id,
            name: p.seller_name.clone(),
            seller_type: b.seller_type,
        },
        buyer: InvoiceBuyerJson {
            kind: b.buyer.kind,
            name: b.buyer.name.clone(),
            tax_id: b.buyer.tax_id.map(|t| t.to_string()).unwrap_or_default(),
            holder: b.buyer.holder.map(|h| h.to_string()),
        },
        lines: b.lines.iter().map(|l| line_json(l, b.red_of.is_some())).collect(),
        total_amount: yuan(b.total_amount),
        total_tax: yuan(b.total_tax),
        total_with_tax: yuan(p.total_with_tax),
        total_with_tax_in_capitals: b.total_in_capitals.clone(),
        remarks: b.remarks.clone(),
        issuer: b.issuer.to_string(),
        red_of: b.red_of.map(|n| n.to_string()),
        industry: b.industry.as_ref().map(industry_json),
        remaining: crate::money::yuan_sum(i128::from(p.total_with_tax) + i128::from(c.reversed)),
        circulation: CirculationJson {
            holder: c.holder.map(|h| h.to_string()),
            enterprise: c.enterprise,
            reimbursed_at: (c.reimbursed_at != 0).then_some(c.reimbursed_at),
            booked_at: (c.booked_at != 0).then_some(c.booked_at),
            last_rejection: (!c.last_rejection.is_empty()).then(|| c.last_rejection.clone()),
        },
        commitment: hex::encode(p.commitment),
        rules_version: p.rules_version,
    }))
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

pub(crate) fn invoice_error(e: fapiao_invoice::Error) -> ApiError {
    match e {
        fapiao_invoice::Error::Rejected { code, field, message } => {
            ApiError::declared(code, Some(&field), message)
        }
        other => ApiError::internal(other),
    }
}

pub(crate) use fapiao_api::commit;

pub(crate) fn committed(hash: Hash32, r: &Receipt) -> Committed {
    Committed { tx_hash: hex::encode(hash), height: r.height, invoice: None, id: None }
}

// ---------------------------------------------------------------- handlers

/// Register a taxpayer (tax officer).
#[utoipa::path(post, path = "/v1/taxpayers", tag = "invoices", request_body = TaxpayerJson,
    security(("bearer" = [])),
    responses((status = 200, body = Committed), (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn register_taxpayer(
    State(st): St,
    headers: HeaderMap,
    body: core::result::Result<Json<TaxpayerJson>, JsonRejection>,
) -> ApiResult<Json<Committed>> {
    let j = json_body(body)?;
    let seller_type = SellerType::parse(&j.seller_type)
        .map_err(|e| ApiError::bad_field("seller_type", e.to_string()))?;
    let issuers = j
        .issuers
        .iter()
        .enumerate()
        .map(|(i, a)| parse_account(&format!("issuers[{i}]"), a))
        .collect::<ApiResult<Vec<_>>>()?;
    let action = InvoiceAction::RegisterTaxpayer(RegisterTaxpayer {
        uscc: parse_value("uscc", &j.uscc)?,
        name: j.name,
        region: parse_value("region", &j.region)?,
        seller_type,
        issuers,
    });
    let (h, r) = commit(&st, &headers, action).await?;
    Ok(Json(committed(h, &r)))
}

/// A taxpayer's public registration.
#[utoipa::path(get, path = "/v1/taxpayers/{uscc}", tag = "invoices",
    params(("uscc" = String, Path, description = "USCC")),
    responses((status = 200, body = TaxpayerJson), (status = 404, body = crate::ErrorBody)))]
pub(crate) async fn get_taxpayer(
    State(st): St,
    Path(uscc): Path<String>,
) -> ApiResult<Json<TaxpayerJson>> {
    let not_found = || ApiError::not_found("no such taxpayer");
    let uscc = Uscc::parse(&uscc).map_err(|_| not_found())?;
    let t = st
        .reader
        .get::<TaxpayerRecord>(&StateKey::from(InvoiceKey::Taxpayer(uscc)))?
        .ok_or_else(not_found)?;
    Ok(Json(TaxpayerJson {
        uscc: t.uscc.to_string(),
        name: t.name,
        region: t.region.to_string(),
        seller_type: t.seller_type.as_str().into(),
        issuers: t.issuers.iter().map(ToString::to_string).collect(),
        status: t.status.as_str().into(),
    }))
}

/// Freeze, unfreeze or deregister a taxpayer (tax officer).
#[utoipa::path(post, path = "/v1/taxpayers/{uscc}/status", tag = "invoices", request_body = StatusChange,
    params(("uscc" = String, Path, description = "USCC")), security(("bearer" = [])),
    responses((status = 200, body = Committed), (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn set_status(
    State(st): St,
    headers: HeaderMap,
    Path(uscc): Path<String>,
    body: core::result::Result<Json<StatusChange>, JsonRejection>,
) -> ApiResult<Json<Committed>> {
    let j = json_body(body)?;
    let status = TaxpayerStatus::parse(&j.status)
        .map_err(|e| ApiError::bad_field("status", e.to_string()))?;
    let uscc = parse_value("uscc", &uscc)?;
    let action =
        InvoiceAction::SetTaxpayerStatus(SetTaxpayerStatus { uscc, status, reason: j.reason });
    let (h, r) = commit(&st, &headers, action).await?;
    Ok(Json(committed(h, &r)))
}

/// Set a taxpayer's monthly credit ceiling (tax officer).
#[utoipa::path(post, path = "/v1/taxpayers/{uscc}/credit", tag = "invoices", request_body = CreditJson,
    params(("uscc" = String, Path, description = "USCC")), security(("bearer" = [])),
    responses((status = 200, body = Committed), (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn grant_credit(
    State(st): St,
    headers: HeaderMap,
    Path(uscc): Path<String>,
    body: core::result::Result<Json<CreditJson>, JsonRejection>,
) -> ApiResult<Json<Committed>> {
    let j = json_body(body)?;
    let monthly_ceiling = parse_yuan("monthly_ceiling", &j.monthly_ceiling)?;
    let uscc = parse_value("uscc", &uscc)?;
    let (h, r) =
        commit(&st, &headers, InvoiceAction::GrantCredit(GrantCredit { uscc, monthly_ceiling }))
            .await?;
    Ok(Json(committed(h, &r)))
}

/// Ask for more credit this month (merchant issuer) — the online 领用 flow.
#[utoipa::path(post, path = "/v1/credit-requests", tag = "invoices", request_body = CreditRequestJson,
    security(("bearer" = [])),
    responses((status = 200, body = Committed), (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn request_credit(
    State(st): St,
    headers: HeaderMap,
    body: core::result::Result<Json<CreditRequestJson>, JsonRejection>,
) -> ApiResult<Json<Committed>> {
    let j = json_body(body)?;
    let amount = parse_yuan("amount", &j.amount)?;
    let uscc = parse_value("uscc", &j.uscc)?;
    let action = InvoiceAction::RequestCredit(RequestCredit { uscc, amount, reason: j.reason });
    let (h, r) = commit(&st, &headers, action).await?;
    Ok(Json(Committed { id: Some(hex::encode(h)), ..committed(h, &r) }))
}

/// Approve or decline a credit request (tax officer).
#[utoipa::path(post, path = "/v1/credit-requests/{id}/decision", tag = "invoices", request_body = DecisionJson,
    params(("id" = String, Path, description = "request id (hex)")), security(("bearer" = [])),
    responses((status = 200, body = Committed), (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn decide_credit(
    State(st): St,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: core::result::Result<Json<DecisionJson>, JsonRejection>,
) -> ApiResult<Json<Committed>> {
    let j = json_body(body)?;
    let request = parse_hex32("id", &id).map_err(|e| ApiError::bad_field("id", e.to_string()))?;
    let action =
        InvoiceAction::DecideCredit(DecideCredit { request, approve: j.approve, reason: j.reason });
    let (h, r) = commit(&st, &headers, action).await?;
    Ok(Json(committed(h, &r)))
}

/// Issue an invoice (merchant issuer).
#[utoipa::path(post, path = "/v1/invoices", tag = "invoices", request_body = IssueJson,
    security(("bearer" = [])),
    responses((status = 200, body = Committed), (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn issue(
    State(st): St,
    headers: HeaderMap,
    body: core::result::Result<Json<IssueJson>, JsonRejection>,
) -> ApiResult<Json<Committed>> {
    let cmd = to_issue(json_body(body)?)?;
    let (h, r) = commit(&st, &headers, InvoiceAction::IssueInvoice(cmd)).await?;
    let invoice = match r.output.invoice() {
        Some(n) => invoice_json(&st, &n)?,
        None => None,
    };
    Ok(Json(Committed { invoice, ..committed(h, &r) }))
}

/// Validate an issuance and compute its totals, tax and capitals without committing.
#[utoipa::path(post, path = "/v1/invoices/preview", tag = "invoices", request_body = IssueJson,
    responses((status = 200, body = PreviewJson), (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn preview(
    State(st): St,
    body: core::result::Result<Json<IssueJson>, JsonRejection>,
) -> ApiResult<Json<PreviewJson>> {
    let cmd = to_issue(json_body(body)?)?;
    let p = fapiao_invoice::preview(&*st.reader.view(), &cmd, now_ms()).map_err(invoice_error)?;
    Ok(Json(PreviewJson {
        lines: p.lines.iter().map(|l| line_json(l, false)).collect(),
        total_amount: yuan(p.total_amount),
        total_tax: yuan(p.total_tax),
        total_with_tax: yuan(p.total_with_tax),
        total_with_tax_in_capitals: p.total_in_capitals,
    }))
}

/// An invoice, for its parties and the tax authority (404 for anyone else).
#[utoipa::path(get, path = "/v1/invoices/{number}", tag = "invoices",
    params(("number" = String, Path, description = "20-digit number")), security(("bearer" = [])),
    responses((status = 200, body = InvoiceJson), (status = 404, body = crate::ErrorBody)))]
pub(crate) async fn get_invoice(
    State(st): St,
    headers: HeaderMap,
    Path(number): Path<String>,
) -> ApiResult<Json<InvoiceJson>> {
    let not_found = || ApiError::not_found("no such invoice");
    let number = InvoiceNumber::parse(&number).map_err(|_| not_found())?;
    let who = viewer(&st, &headers)?;
    if !access::may_read_invoice(&*st.reader, &number, who.as_ref()) {
        return Err(not_found());
    }
    invoice_json(&st, &number)?.map(Json).ok_or_else(not_found)
}

async fn on_invoice(
    st: &ApiState,
    headers: &HeaderMap,
    number: InvoiceNumber,
    action: InvoiceAction,
) -> ApiResult<Json<Committed>> {
    let (h, r) = commit(st, headers, action).await?;
    Ok(Json(Committed { invoice: invoice_json(st, &number)?, ..committed(h, &r) }))
}

/// The holder submits an invoice to an enterprise for reimbursement.
#[utoipa::path(post, path = "/v1/invoices/{number}/submit", tag = "invoices", request_body = SubmitInvoiceJson,
    params(("number" = String, Path, description = "number")), security(("bearer" = [])),
    responses((status = 200, body = Committed), (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn submit(
    State(st): St,
    headers: HeaderMap,
    Path(number): Path<String>,
    body: core::result::Result<Json<SubmitInvoiceJson>, JsonRejection>,
) -> ApiResult<Json<Committed>> {
    let j = json_body(body)?;
    let number = parse_value("number", &number)?;
    let enterprise = parse_value("enterprise", &j.enterprise)?;
    let a = InvoiceAction::SubmitInvoice(SubmitInvoice { number, enterprise });
    on_invoice(&st, &headers, number, a).await
}

/// The enterprise accepts a submitted invoice: reimbursed, locked for good.
#[utoipa::path(post, path = "/v1/invoices/{number}/reimburse", tag = "invoices",
    params(("number" = String, Path, description = "number")), security(("bearer" = [])),
    responses((status = 200, body = Committed), (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn reimburse(
    State(st): St,
    headers: HeaderMap,
    Path(number): Path<String>,
) -> ApiResult<Json<Committed>> {
    let number = parse_value("number", &number)?;
    let a = InvoiceAction::AcceptReimbursement(InvoiceRef { number });
    on_invoice(&st, &headers, number, a).await
}

/// The enterprise rejects a submitted invoice, with a reason.
#[utoipa::path(post, path = "/v1/invoices/{number}/reject", tag = "invoices", request_body = ReasonJson,
    params(("number" = String, Path, description = "number")), security(("bearer" = [])),
    responses((status = 200, body = Committed), (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn reject(
    State(st): St,
    headers: HeaderMap,
    Path(number): Path<String>,
    body: core::result::Result<Json<ReasonJson>, JsonRejection>,
) -> ApiResult<Json<Committed>> {
    let j = json_body(body)?;
    let number = parse_value("number", &number)?;
    let a = InvoiceAction::RejectReimbursement(RejectReimbursement { number, reason: j.reason });
    on_invoice(&st, &headers, number, a).await
}

/// The buyer enterprise books a special invoice for input-tax deduction.
#[utoipa::path(post, path = "/v1/invoices/{number}/book", tag = "invoices",
    params(("number" = String, Path, description = "number")), security(("bearer" = [])),
    responses((status = 200, body = Committed), (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn book(
    State(st): St,
    headers: HeaderMap,
    Path(number): Path<String>,
) -> ApiResult<Json<Committed>> {
    let number = parse_value("number", &number)?;
    let a = InvoiceAction::BookInvoice(InvoiceRef { number });
    on_invoice(&st, &headers, number, a).await
}

/// The tax authority flags (or clears) an invoice.
#[utoipa::path(post, path = "/v1/invoices/{number}/flag", tag = "invoices", request_body = FlagJson,
    params(("number" = String, Path, description = "number")), security(("bearer" = [])),
    responses((status = 200, body = Committed), (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn flag(
    State(st): St,
    headers: HeaderMap,
    Path(number): Path<String>,
    body: core::result::Result<Json<FlagJson>, JsonRejection>,
) -> ApiResult<Json<Committed>> {
    let j = json_body(body)?;
    let number = parse_value("number", &number)?;
    let a =
        InvoiceAction::FlagInvoice(FlagInvoice { number, flagged: j.flagged, reason: j.reason });
    on_invoice(&st, &headers, number, a).await
}

/// Query of public verification.
#[derive(Deserialize)]
pub(crate) struct VerifyQuery {
    number: Option<String>,
    date: Option<String>,
    total: Option<String>,
}

/// Public verification (查验) by number, issue date and total with tax: genuine or
/// not, status, seller name — nothing else.
#[utoipa::path(get, path = "/v1/verify", tag = "invoices",
    params(("number" = String, Query, description = "20-digit number"),
           ("date" = String, Query, description = "issue date yyyy-mm-dd"),
           ("total" = String, Query, description = "total with tax, e.g. 1506.80")),
    responses((status = 200, body = VerifyJson), (status = 400, body = crate::ErrorBody)))]
pub(crate) async fn verify(
    State(st): St,
    Query(q): Query<VerifyQuery>,
) -> ApiResult<Json<VerifyJson>> {
    let number = q
        .number
        .filter(|n| !n.is_empty())
        .ok_or_else(|| ApiError::bad_field("number", "required"))?;
    let number =
        InvoiceNumber::parse(&number).map_err(|_| ApiError::bad_field("number", "20 digits"))?;
    let d = parse_date("date", q.date.as_deref().unwrap_or(""))?;
    let total = parse_yuan("total", q.total.as_deref().unwrap_or(""))?;
    let height = st.reader.tip().height;
    let found = st
        .reader
        .get::<InvoicePublic>(&StateKey::from(InvoiceKey::Invoice(number)))?
        .filter(|p| p.date == d && p.total_with_tax == total);
    Ok(Json(match found {
        Some(p) => VerifyJson {
            genuine: true,
            status: Some(p.status.as_str().into()),
            flagged: Some(p.flagged),
            seller_name: Some(p.seller_name),
            height,
        },
        None => {
            VerifyJson { genuine: false, status: None, flagged: None, seller_name: None, height }
        }
    }))
}

pub(crate) fn vat_json(r: &VatReturn) -> VatReturnJson {
    VatReturnJson {
        uscc: r.uscc.to_string(),
        month: r.month.to_string(),
        output_tax: yuan(r.output_tax),
        input_tax: yuan(r.input_tax),
        carried_in: yuan(r.carried_in),
        payable: yuan(r.payable),
        carry_forward: yuan(r.carry_forward),
        filed_at: (r.filed_at != 0).then_some(r.filed_at),
        on_time: r.on_time,
    }
}

/// A taxpayer's VAT return for a month as the chain computes it (the taxpayer and the
/// tax authority only).
#[utoipa::path(get, path = "/v1/taxpayers/{uscc}/vat-returns/{month}", tag = "invoices",
    params(("uscc" = String, Path, description = "USCC"), ("month" = String, Path, description = "yyyy-mm")),
    security(("bearer" = [])),
    responses((status = 200, body = VatReturnJson), (status = 404, body = crate::ErrorBody)))]
pub(crate) async fn get_vat_return(
    State(st): St,
    headers: HeaderMap,
    Path((uscc, month)): Path<(String, String)>,
) -> ApiResult<Json<VatReturnJson>> {
    let m = parse_month("month", &month)?;
    let not_found = || ApiError::not_found("no such taxpayer");
    let uscc = Uscc::parse(&uscc).map_err(|_| not_found())?;
    let who = viewer(&st, &headers)?;
    if !access::may_read_key(&*st.reader, &InvoiceKey::VatReturn(uscc, m), who.as_ref())
        || st.reader.get::<TaxpayerRecord>(&StateKey::from(InvoiceKey::Taxpayer(uscc)))?.is_none()
    {
        return Err(not_found());
    }
    let r =
        fapiao_invoice::compute_vat_return(&*st.reader.view(), &uscc, m).map_err(invoice_error)?;
    Ok(Json(vat_json(&r)))
}

/// File the VAT return of a closed month (the taxpayer's finance office).
#[utoipa::path(post, path = "/v1/taxpayers/{uscc}/vat-returns/{month}", tag = "invoices",
    params(("uscc" = String, Path, description = "USCC"), ("month" = String, Path, description = "yyyy-mm")),
    security(("bearer" = [])),
    responses((status = 200, body = VatReturnJson), (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn file_vat_return(
    State(st): St,
    headers: HeaderMap,
    Path((uscc, month)): Path<(String, String)>,
) -> ApiResult<Json<VatReturnJson>> {
    let m = parse_month("month", &month)?;
    let uscc = parse_value("uscc", &uscc)?;
    commit(&st, &headers, InvoiceAction::FileVatReturn(FileVatReturn { uscc, month: m })).await?;
    let r =
        fapiao_invoice::compute_vat_return(&*st.reader.view(), &uscc, m).map_err(invoice_error)?;
    Ok(Json(vat_json(&r)))
}

/// One event in an invoice's history.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct HistoryJson {
    /// The action (`issue_invoice`, `submit_invoice`, …).
    pub action: String,
    /// Block height.
    pub height: u64,
    /// Block time, RFC 3339 China time.
    pub time: String,
    /// The signing account (hex).
    pub signer: String,
    /// The transaction (hex).
    pub tx_hash: String,
}

/// The caller's wallet: the invoices it holds, newest number last.
#[utoipa::path(get, path = "/v1/wallet", tag = "invoices", security(("bearer" = [])),
    responses((status = 200, body = [InvoiceJson]), (status = 401, body = crate::ErrorBody)))]
pub(crate) async fn wallet(State(st): St, headers: HeaderMap) -> ApiResult<Json<Vec<InvoiceJson>>> {
    let (who, _) = caller(&st, &headers)?
        .ok_or_else(|| ApiError::unauthorized("a bearer token is required"))?;
    let mut out = Vec::new();
    for number in read::wallet(&*st.reader, &who.account, 1000)? {
        if let Some(inv) = invoice_json(&st, &number)? {
            out.push(inv);
        }
    }
    Ok(Json(out))
}

/// Every event of an invoice — action, block, time, signer — for its parties and the
/// tax authority (404 for anyone else).
#[utoipa::path(get, path = "/v1/invoices/{number}/history", tag = "invoices",
    params(("number" = String, Path, description = "number")), security(("bearer" = [])),
    responses((status = 200, body = [HistoryJson]), (status = 404, body = crate::ErrorBody)))]
pub(crate) async fn history(
    State(st): St,
    headers: HeaderMap,
    Path(number): Path<String>,
) -> ApiResult<Json<Vec<HistoryJson>>> {
    let not_found = || ApiError::not_found("no such invoice");
    let number = InvoiceNumber::parse(&number).map_err(|_| not_found())?;
    let who = viewer(&st, &headers)?;
    if !access::may_read_invoice(&*st.reader, &number, who.as_ref()) {
        return Err(not_found());
    }
    Ok(Json(
        read::history(&*st.reader, &number)?
            .into_iter()
            .map(|e| HistoryJson {
                action: e.action,
                height: e.height,
                time: china_time(e.time_ms),
                signer: e.signer.to_string(),
                tx_hash: hex::encode(e.tx_hash),
            })
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn industry_blocks_round_trip_through_json() {
        for j in [
            serde_json::json!({
                "type": "vehicle_vessel_tax", "policy_no": "PDAA2026", "plate": "粤B12345",
                "vin": "LSVAU2187N2123456", "tax_period": "2026",
                "tax": "960.00", "late_fee": "0.00", "total": "960.00",
            }),
            serde_json::json!({
                "type": "passenger_transport", "traveller": "张三",
                "id_masked": "110105********002X", "travel_date": "2026-11-26",
                "from": "深圳北", "to": "广州南", "vehicle_type": "火车", "seat_class": "二等座",
            }),
        ] {
            let parsed: IndustryJson = serde_json::from_value(j.clone()).unwrap();
            let typed = to_industry(parsed).unwrap();
            assert_eq!(serde_json::to_value(industry_json(&typed)).unwrap(), j);
        }
        let Industry::VehicleVesselTax(v) = to_industry(
            serde_json::from_value(serde_json::json!({
                "type": "vehicle_vessel_tax", "policy_no": "P", "plate": "粤B1",
                "vin": "LSVAU2187N2123456", "tax_period": "2026", "tax": "960.00",
                "total": "960.00",
            }))
            .unwrap(),
        )
        .unwrap() else {
            panic!("wrong variant")
        };
        assert_eq!((v.tax, v.late_fee, v.total), (96000, 0, 96000));
        let bad: IndustryJson = serde_json::from_value(serde_json::json!({
            "type": "vehicle_vessel_tax", "policy_no": "P", "plate": "粤B1",
            "vin": "LSVAU2187N2123456", "tax_period": "2026", "tax": "9.601", "total": "9.60",
        }))
        .unwrap();
        assert!(to_industry(bad).is_err());
        assert!(
            serde_json::from_value::<IndustryJson>(serde_json::json!({"type": "taxi"})).is_err()
        );
    }
}
