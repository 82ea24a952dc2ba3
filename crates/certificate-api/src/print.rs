//! The printable tax-payment certificate (税收完税证明) as PDF (`fapiao-print`), with a
//! QR code of its public check page: for the collection's parties (the owner, the
//! collecting insurer, the tax authority), since it shows the plate and the VIN.

use crate::access;
use crate::json::{org_name, yuan};
use axum::{
    extract::{Path, State},
    http::{header, HeaderMap},
    response::{IntoResponse, Response},
};
use fapiao_api::{
    error::{ApiError, ApiResult},
    viewer, St,
};
use fapiao_certificate_types::{
    certificate_number_text, parse_certificate_number, CertificateKey, CertificatePublic,
    CertificateStatus, CollectionRecord, Relief, VehicleClass,
};
use fapiao_print::{CertificateLine, PrintableCertificate};
use fapiao_types::StateKey;
use fapiao_values::ChinaDate;

/// `2026年12月02日`.
fn printed_date(d: ChinaDate) -> String {
    format!("{}年{:02}月{:02}日", d.year(), d.month().month_of_year(), d.day())
}

/// The tax item and size as printed: `乘用车 1.598 L`, `客车 20 座`, `货车 4.500 吨`.
fn vehicle(class: VehicleClass, size: u32) -> (String, String) {
    let thousandths = |n: u32| format!("{}.{:03}", n / 1000, n % 1000);
    match class {
        VehicleClass::Passenger => ("乘用车".into(), format!("乘用车 {} L", thousandths(size))),
        VehicleClass::Bus => ("客车".into(), format!("客车 {size} 座")),
        VehicleClass::Truck => ("货车".into(), format!("货车 {} 吨", thousandths(size))),
        _ => ("摩托车".into(), "摩托车".into()),
    }
}

/// Percent-encodes a query value (the plate) for the QR code's URL.
fn query_value(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The certificate as printed; `base` is the node's URL the QR code points at.
fn printable(
    p: &CertificatePublic,
    r: &CollectionRecord,
    insurer: String,
    base: &str,
) -> PrintableCertificate {
    let c = &r.collection;
    let number = certificate_number_text(p.number);
    let (item, vehicle) = vehicle(c.class, c.size);
    let (taxpayer, taxpayer_id) = match p.owner_masked.split_once(' ') {
        Some((name, id)) => (name.to_string(), id.to_string()),
        None => (p.owner_masked.clone(), c.owner_id_masked.clone()),
    };
    let lines = c
        .lines
        .iter()
        .map(|l| {
            let from = 13u8.saturating_sub(l.months).max(1);
            CertificateLine {
                tax: "车船税".into(),
                item: item.clone(),
                period: format!("{}-{from:02}-01 至 {}-12-31", l.year, l.year),
                months: l.months.to_string(),
                amount: yuan(l.tax),
                late_fee: yuan(l.late_fee),
            }
        })
        .collect();
    let mut remarks = Vec::new();
    if c.relief != Relief::None {
        remarks.push(c.relief.label_zh().to_string());
    }
    if let Some(f) = &r.refund {
        remarks.push(format!(
            "{}于 {}，退还 {} 个月税款 ¥{}",
            f.event.label_zh(),
            f.event_date,
            f.months,
            yuan(f.amount)
        ));
    }
    remarks.push("凭证明号码和号牌号码查验".into());
    let check = format!("{base}/certificates/check");
    PrintableCertificate {
        subtitle: "（车船税 · 保险机构代收代缴）".into(),
        number: number.clone(),
        issue_date: printed_date(p.issued_on),
        status: match p.status {
            CertificateStatus::Refunded => format!("{} ¥{}", p.status.label_zh(), yuan(p.refunded)),
            s => s.label_zh().into(),
        },
        taxpayer,
        taxpayer_id,
        plate: c.plate.clone(),
        vin: c.vin.to_string(),
        vehicle,
        collector: insurer,
        lines,
        total: format!("¥{}", yuan(c.total)),
        capitals: fapiao_invoice_rules::money::Fen::new(c.total)
            .map(fapiao_invoice_rules::capitals::to_capitals)
            .unwrap_or_default(),
        remarks: remarks.join("\n"),
        footer: format!("查验：{check}（证明号码与号牌号码）"),
        qr_payload: format!("{check}?number={number}&plate={}", query_value(&c.plate)),
    }
}

/// The certificate as a one-page PDF with a QR code of its check page, for the
/// collection's owner, collecting insurer and the tax authority (404 for anyone else).
#[utoipa::path(get, path = "/v1/certificates/{number}/pdf", tag = "certificates",
    params(("number" = String, Path, description = "12-digit certificate number")),
    security(("bearer" = [])),
    responses((status = 200, description = "The certificate (application/pdf)", content_type = "application/pdf"),
        (status = 404, body = crate::ErrorBody)))]
pub(crate) async fn pdf(
    State(st): St,
    headers: HeaderMap,
    Path(number): Path<String>,
) -> ApiResult<Response> {
    let not_found = || ApiError::not_found("no such certificate");
    let number = parse_certificate_number(&number).ok_or_else(not_found)?;
    let l = &*st.reader;
    let p = l
        .get::<CertificatePublic>(&StateKey::from(CertificateKey::Certificate(number)))?
        .ok_or_else(not_found)?;
    let who = viewer(&st, &headers)?;
    if !access::may_read_collection(l, &p.collection, who.as_ref()) {
        return Err(not_found());
    }
    let r = l
        .get::<CollectionRecord>(&StateKey::from(CertificateKey::Collection(p.collection)))?
        .ok_or_else(not_found)?;
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let doc = printable(&p, &r, org_name(l, &p.insurer), &format!("http://{host}"));
    let bytes = fapiao_api::off_runtime(move || fapiao_print::render_certificate_pdf(&doc))
        .await?
        .map_err(ApiError::internal)?;
    let name = certificate_number_text(number);
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (header::CONTENT_DISPOSITION, format!("inline; filename=\"{name}.pdf\"")),
        ],
        bytes,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vehicles_and_dates_print_as_on_the_paper_form() {
        assert_eq!(vehicle(VehicleClass::Passenger, 1598).1, "乘用车 1.598 L");
        assert_eq!(vehicle(VehicleClass::Truck, 4500).1, "货车 4.500 吨");
        assert_eq!(vehicle(VehicleClass::Bus, 20).1, "客车 20 座");
        let d = ChinaDate::parse("2026-12-02").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(printed_date(d), "2026年12月02日");
        assert_eq!(query_value("粤B1"), "%E7%B2%A4B1");
    }
}
