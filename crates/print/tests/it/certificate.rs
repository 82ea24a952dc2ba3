//! The printed tax-payment certificate: its text layer says what the certificate says,
//! its QR code decodes to the check page, and eleven tax lines still fit the page.

use crate::tools::{pdftotext, qr_codes};
use fapiao_print::{render_certificate_pdf, CertificateLine, PrintableCertificate};

const PAYLOAD: &str = "http://127.0.0.1:8080/certificates/check?number=202600000001";

fn line(year: u32, late: &str) -> CertificateLine {
    CertificateLine {
        tax: "车船税".into(),
        item: "乘用车 1.0–1.6 L（含）".into(),
        period: format!("{year}-01-01 至 {year}-12-31"),
        months: "12".into(),
        amount: "360.00".into(),
        late_fee: late.into(),
    }
}

fn sample() -> PrintableCertificate {
    PrintableCertificate {
        subtitle: "（车船税 · 保险机构代收代缴）".into(),
        number: "202600000001".into(),
        issue_date: "2026年01月12日".into(),
        status: "有效".into(),
        taxpayer: "李*".into(),
        taxpayer_id: "440305********1234".into(),
        plate: "粤B8K2M6".into(),
        vin: "LSVAU2187N2123456".into(),
        vehicle: "乘用车 1598 ml".into(),
        collector: "中国平安财产保险深圳分公司".into(),
        lines: vec![line(2025, "1.80"), line(2026, "0.00")],
        total: "¥721.80".into(),
        capitals: "柒佰贰拾壹圆捌角整".into(),
        remarks: "交强险保单 PDAA202644030001000；无减免".into(),
        footer: "凭证明号码和号牌号码查验：http://127.0.0.1:8080/certificates/check".into(),
        qr_payload: PAYLOAD.into(),
    }
}

#[test]
fn the_text_layer_has_the_certificate() {
    let pdf = render_certificate_pdf(&sample()).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert_eq!(render_certificate_pdf(&sample()).unwrap(), pdf, "same certificate, same bytes");
    let Some(text) = pdftotext(&pdf) else { return };
    for expected in [
        "中华人民共和国税收完税证明",
        "202600000001",
        "李*",
        "440305********1234",
        "粤B8K2M6",
        "LSVAU2187N2123456",
        "中国平安财产保险深圳分公司",
        "2025-01-01 至 2025-12-31",
        "柒佰贰拾壹圆捌角整",
        "¥721.80",
        "有效",
    ] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }
}

#[test]
fn the_qr_code_opens_the_check_page() {
    let Some(codes) = qr_codes(&render_certificate_pdf(&sample()).unwrap()) else { return };
    assert_eq!(codes, [PAYLOAD]);
}

#[test]
fn eleven_tax_lines_fit_on_the_page() {
    let mut c = sample();
    c.lines = (2016..2027).map(|y| line(y, "99.99")).collect();
    let pdf = render_certificate_pdf(&c).unwrap();
    let Some(text) = pdftotext(&pdf) else { return };
    assert!(text.contains("2016-01-01 至 2016-12-31") && text.contains("2026-01-01 至 2026-12-31"));
}
