//! The JSON shapes of the certificate routes and the conversions between them and the
//! chain's records: money as yuan strings with two decimals (`"360.00"`), dates
//! `yyyy-mm-dd`, ids 64 hex characters, certificate numbers 12 digits.

use axum::{extract::rejection::JsonRejection, Json};
use fapiao_api::{
    error::{ApiError, ApiResult},
    Reader,
};
use fapiao_certificate_types::{
    certificate_number_text, CertificatePublic, CollectionRecord, SettlementRecord, TaxLine,
};
use fapiao_types::{hex32, Hash32, OrgRecord, StateKey};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

// ---------------------------------------------------------------- requests

/// A collection as the insurer's console enters it: the vehicle, its owner and the
/// years collected. The server computes the lines, relief and total as the chain will.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, Default)]
pub struct CollectionInputJson {
    /// The compulsory-insurance (交强险) policy number (not needed for a preview).
    #[serde(default)]
    pub policy_no: String,
    /// Plate number, e.g. `粤B12345` (not needed for a preview).
    #[serde(default)]
    pub plate: String,
    /// VIN, 17 characters with a valid check digit (not needed for a preview).
    #[serde(default)]
    pub vin: String,
    /// `passenger`, `bus`, `truck` or `motorcycle`.
    pub class: String,
    /// Displacement in ml (passenger), seats (bus), curb weight in kg (truck), 0.
    #[serde(default)]
    pub size: u32,
    /// `conventional` (default), `energy_saving`, `pure_electric`, `fuel_cell`,
    /// `plug_in_hybrid`.
    #[serde(default)]
    pub energy: Option<String>,
    /// Acquisition date (the purchase invoice's), `yyyy-mm-dd`.
    pub acquired: String,
    /// The owner's wallet account (hex), from the wallet's QR code.
    #[serde(default)]
    pub owner: String,
    /// The owner's name as on the registration certificate.
    #[serde(default)]
    pub owner_name: String,
    /// The owner's resident ID or USCC in full: the chain keeps it masked
    /// (`440305********1234`) and as a salted commitment, never in full.
    #[serde(default)]
    pub owner_id: String,
    /// The commitment's salt (64 hex characters); a fresh one when absent. The answer
    /// returns it: it stays with the owner and the insurer.
    #[serde(default)]
    pub salt: Option<String>,
    /// The tax year collected (default: this year, China time).
    #[serde(default)]
    pub tax_year: Option<u16>,
    /// Earlier years collected as back tax (补缴), ascending.
    #[serde(default)]
    pub back_years: Vec<u16>,
}

/// A refund after a theft, scrapping or loss: the server computes the months and amount.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct RefundInputJson {
    /// `stolen`, `scrapped` or `lost`.
    pub event: String,
    /// The date on the police, scrapping or loss certificate, `yyyy-mm-dd`.
    pub event_date: String,
}

/// A settlement batch: the collections and refunds (by collection id) it settles. The
/// server sums them.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, Default)]
pub struct SettlementInputJson {
    /// Collection ids (hex).
    #[serde(default)]
    pub collections: Vec<String>,
    /// Refunds settled, by their collection's id (hex).
    #[serde(default)]
    pub refunds: Vec<String>,
}

// ---------------------------------------------------------------- answers

/// One tax year of a collection.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
pub struct TaxLineJson {
    /// The tax year.
    pub year: u16,
    /// Months taxed.
    pub months: u8,
    /// The annual tax after relief, yuan.
    pub annual: String,
    /// The year's tax, yuan.
    pub tax: String,
    /// Days late.
    pub late_days: u32,
    /// Late fee (滞纳金), yuan.
    pub late_fee: String,
}

/// A relief with its wording.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
pub struct ReliefJson {
    /// `none`, `energy_saving_half`, `new_energy_exempt`, `not_taxable`.
    pub code: String,
    /// In Chinese.
    pub label_zh: String,
    /// In English.
    pub label_en: String,
}

/// What the chain would compute for a collection today.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
pub struct PreviewJson {
    /// The tax year.
    pub tax_year: u16,
    /// The date the computation is for (today, China time).
    pub collected_on: String,
    /// The relief the class and energy type give.
    pub relief: ReliefJson,
    /// Back years ascending, then the tax year.
    pub lines: Vec<TaxLineJson>,
    /// Σ tax, yuan.
    pub tax: String,
    /// Σ late fees, yuan.
    pub late_fee: String,
    /// Σ (tax + late fee), yuan.
    pub total: String,
}

/// A refund as recorded against its collection.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct RefundJson {
    /// `stolen`, `scrapped`, `lost`.
    pub event: String,
    /// The event's date.
    pub event_date: String,
    /// Months refunded.
    pub months: u8,
    /// Amount refunded, yuan.
    pub amount: String,
    /// When the insurer recorded it.
    pub recorded_on: String,
    /// The settlement batch that settled it (hex), once settled.
    pub settlement: Option<String>,
}

/// A certificate's public record.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct CertificateJson {
    /// The 12-digit number.
    pub number: String,
    /// The tax year certified.
    pub tax_year: u16,
    /// The owner, masked.
    pub owner_masked: String,
    /// Tax and late fees collected, yuan.
    pub amount: String,
    /// Refunded, yuan.
    pub refunded: String,
    /// `valid` or `refunded`.
    pub status: String,
    /// The status in Chinese.
    pub label_zh: String,
    /// The status in English.
    pub label_en: String,
    /// The collecting insurer's name.
    pub insurer: String,
    /// Issue date.
    pub issued_on: String,
}

/// A collection as its owner, its insurer and the tax authority see it.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct CollectionJson {
    /// The collection id (hex).
    pub id: String,
    /// Policy number.
    pub policy_no: String,
    /// Plate.
    pub plate: String,
    /// VIN.
    pub vin: String,
    /// Vehicle class.
    pub class: String,
    /// Size (ml, seats, kg or 0).
    pub size: u32,
    /// Energy type.
    pub energy: String,
    /// Acquisition date.
    pub acquired: String,
    /// The owner's account (hex).
    pub owner: String,
    /// The owner's name.
    pub owner_name: String,
    /// The owner's ID, masked.
    pub owner_id_masked: String,
    /// The tax year.
    pub tax_year: u16,
    /// Back-tax years.
    pub back_years: Vec<u16>,
    /// Relief.
    pub relief: ReliefJson,
    /// Lines: back years, then the tax year.
    pub lines: Vec<TaxLineJson>,
    /// Total, yuan.
    pub total: String,
    /// The collecting insurer's organisation id.
    pub insurer: String,
    /// Its name.
    pub insurer_name: String,
    /// The collector's account (hex).
    pub collector: String,
    /// The collection date.
    pub collected_on: String,
    /// Block height.
    pub height: u64,
    /// The certificate exchanged for it, once exchanged.
    pub certificate: Option<CertificateJson>,
    /// The settlement batch that settled it (hex), once settled.
    pub settlement: Option<String>,
    /// The refund recorded against it, if any.
    pub refund: Option<RefundJson>,
}

/// A settlement batch.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct SettlementJson {
    /// The batch id (hex).
    pub id: String,
    /// The insurer's organisation id.
    pub insurer: String,
    /// Its name.
    pub insurer_name: String,
    /// Who submitted it (hex).
    pub submitted_by: String,
    /// When.
    pub submitted_on: String,
    /// Collections settled (hex ids).
    pub collections: Vec<String>,
    /// Refunds settled (hex collection ids).
    pub refunds: Vec<String>,
    /// Σ collection totals, yuan.
    pub collected: String,
    /// Σ refunds, yuan.
    pub refunded: String,
    /// What the insurer pays the bureau, yuan.
    pub net: String,
    /// `submitted` or `confirmed`.
    pub status: String,
    /// The status in Chinese.
    pub label_zh: String,
    /// The status in English.
    pub label_en: String,
    /// The tax officer who confirmed receipt (hex).
    pub confirmed_by: Option<String>,
    /// When.
    pub confirmed_on: Option<String>,
}

/// A committed custodial action.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct CommittedJson {
    /// Transaction hash (hex).
    pub tx_hash: String,
    /// Block height.
    pub height: u64,
    /// The collection or settlement the action created or changed (hex id).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The certificate number an exchange allocated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// The salt of the owner-ID commitment of a new collection.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub salt: Option<String>,
    /// The collection, as it stands after the action.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collection: Option<CollectionJson>,
    /// The settlement batch, as it stands after the action.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub settlement: Option<SettlementJson>,
}

// ---------------------------------------------------------------- conversions

pub(crate) use fapiao_api::money::{yuan, yuan_sum};

pub(crate) fn json_body<T>(body: core::result::Result<Json<T>, JsonRejection>) -> ApiResult<T> {
    body.map(|Json(b)| b)
        .map_err(|e| ApiError::refuse(fapiao_app::Platform::Malformed, Some("body"), e.body_text()))
}

pub(crate) fn line_json(l: &TaxLine) -> TaxLineJson {
    TaxLineJson {
        year: l.year,
        months: l.months,
        annual: yuan(l.annual),
        tax: yuan(l.tax),
        late_days: l.late_days,
        late_fee: yuan(l.late_fee),
    }
}

pub(crate) fn relief_json(r: fapiao_certificate_types::Relief) -> ReliefJson {
    ReliefJson {
        code: r.as_str().into(),
        label_zh: r.label_zh().into(),
        label_en: r.label_en().into(),
    }
}

/// The display name of organisation `id` (the id itself when unknown).
pub(crate) fn org_name(reader: &dyn Reader, id: &str) -> String {
    reader
        .get::<OrgRecord>(&StateKey::Org(id.to_string()))
        .ok()
        .flatten()
        .map_or_else(|| id.to_string(), |o| o.name)
}

pub(crate) fn certificate_json(reader: &dyn Reader, p: &CertificatePublic) -> CertificateJson {
    CertificateJson {
        number: certificate_number_text(p.number),
        tax_year: p.tax_year,
        owner_masked: p.owner_masked.clone(),
        amount: yuan(p.total),
        refunded: yuan(p.refunded),
        status: p.status.as_str().into(),
        label_zh: p.status.label_zh().into(),
        label_en: p.status.label_en().into(),
        insurer: org_name(reader, &p.insurer),
        issued_on: p.issued_on.to_string(),
    }
}

/// The JSON of collection `id` as stored (no access check).
pub(crate) fn collection_json(
    reader: &dyn Reader,
    id: &Hash32,
    r: &CollectionRecord,
) -> ApiResult<CollectionJson> {
    let c = &r.collection;
    let certificate = match r.certificate {
        Some(n) => reader
            .get::<CertificatePublic>(&StateKey::from(
                fapiao_certificate_types::CertificateKey::Certificate(n),
            ))?
            .map(|p| certificate_json(reader, &p)),
        None => None,
    };
    Ok(CollectionJson {
        id: hex32(id),
        policy_no: c.policy_no.clone(),
        plate: c.plate.clone(),
        vin: c.vin.to_string(),
        class: c.class.as_str().into(),
        size: c.size,
        energy: c.energy.as_str().into(),
        acquired: c.acquired.to_string(),
        owner: c.owner.to_string(),
        owner_name: c.owner_name.clone(),
        owner_id_masked: c.owner_id_masked.clone(),
        tax_year: c.tax_year,
        back_years: c.back_years.clone(),
        relief: relief_json(c.relief),
        lines: c.lines.iter().map(line_json).collect(),
        total: yuan(c.total),
        insurer: r.insurer.clone(),
        insurer_name: org_name(reader, &r.insurer),
        collector: r.collector.to_string(),
        collected_on: r.collected_on.to_string(),
        height: r.height,
        certificate,
        settlement: r.settlement.as_ref().map(hex32),
        refund: r.refund.as_ref().map(|f| RefundJson {
            event: f.event.as_str().into(),
            event_date: f.event_date.to_string(),
            months: f.months,
            amount: yuan(f.amount),
            recorded_on: f.recorded_on.to_string(),
            settlement: f.settlement.as_ref().map(hex32),
        }),
    })
}

pub(crate) fn settlement_json(
    reader: &dyn Reader,
    id: &Hash32,
    s: &SettlementRecord,
) -> SettlementJson {
    SettlementJson {
        id: hex32(id),
        insurer: s.insurer.clone(),
        insurer_name: org_name(reader, &s.insurer),
        submitted_by: s.submitted_by.to_string(),
        submitted_on: s.submitted_on.to_string(),
        collections: s.collections.iter().map(hex32).collect(),
        refunds: s.refunds.iter().map(hex32).collect(),
        collected: yuan(s.collected),
        refunded: yuan(s.refunded),
        net: yuan(s.net),
        status: s.status.as_str().into(),
        label_zh: s.status.label_zh().into(),
        label_en: s.status.label_en().into(),
        confirmed_by: s.confirmed_by.map(|a| a.to_string()),
        confirmed_on: s.confirmed_on.map(|d| d.to_string()),
    }
}

pub(crate) use fapiao_api::commit;

/// Milliseconds since the Unix epoch now (what a preview computes for: the chain uses
/// the block's time, the same China day but around midnight).
pub(crate) use fapiao_api::clock::now_ms;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_yuan_with_two_decimals() {
        assert_eq!(yuan(36_000), "360.00");
        assert_eq!(yuan(5), "0.05");
        assert_eq!(yuan(-150), "-1.50");
        assert_eq!(yuan_sum(i128::from(i64::MAX) * 2), "184467440737095516.14");
    }
}
