//! The PDF: structure, size, determinism, the text layer and the QR code.

use fapiao_print::render_pdf;

use crate::{
    fixtures::{long_sample, red_sample, sample, SAMPLE_PAYLOAD},
    tools::{pdftotext, qr_codes},
};

/// Pages in the document, counted by their `/Type /Page` dictionaries.
fn page_count(pdf: &[u8]) -> usize {
    let needle = b"/Type /Page";
    pdf.windows(needle.len() + 1)
        .filter(|w| &w[..needle.len()] == needle && w[needle.len()] != b's')
        .count()
}

#[test]
fn is_a_small_single_page_pdf() {
    let pdf = render_pdf(&sample()).unwrap();
    assert!(pdf.starts_with(b"%PDF-1."), "{:?}", &pdf[..8]);
    assert!(pdf.ends_with(b"%%EOF\n") || pdf.ends_with(b"%%EOF"));
    // The embedded font file is 3.4 MB; only the document's glyphs go in.
    assert!(pdf.len() < 1_000_000, "{} bytes", pdf.len());
    assert!(pdf.len() < 150_000, "{} bytes: is the font subset?", pdf.len());
    assert_eq!(page_count(&pdf), 1);
    let text = String::from_utf8_lossy(&pdf);
    assert!(text.contains("/FontFile2") && text.contains("/ToUnicode"));
    assert!(text.contains("/CIDFontType2") && text.contains("+FapiaoKai-Regular"));
}

#[test]
fn same_invoice_same_bytes() {
    assert_eq!(render_pdf(&sample()).unwrap(), render_pdf(&sample()).unwrap());
    assert_ne!(render_pdf(&sample()).unwrap(), render_pdf(&red_sample()).unwrap());
}

#[test]
fn text_layer_has_the_invoice() {
    let Some(text) = pdftotext(&render_pdf(&sample()).unwrap()) else { return };
    for expected in [
        "电子发票（普通发票）",
        "26442000000123456789",
        "2026年11月26日",
        "购买方信息",
        "销售方信息",
        "深圳市腾讯计算机系统有限公司",
        "91440300708461136T",
        "深圳市南山区粤海街道老广茶餐厅",
        "*餐饮服务*餐费",
        "*餐饮服务*茶位费",
        "¥280.00",
        "¥16.80",
        "¥296.80",
        "贰佰玖拾陆圆捌角",
        "价税合计（大写）",
        "合计",
        "工作餐；用餐人数8人",
        "开票人：陈晓敏",
    ] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }
    assert!(!text.contains("负数"), "a blue invoice has no 负数 marker:\n{text}");
}

#[test]
fn qr_code_decodes_to_the_payload() {
    let Some(codes) = qr_codes(&render_pdf(&sample()).unwrap()) else { return };
    assert_eq!(codes, [SAMPLE_PAYLOAD]);
}

#[test]
fn red_invoice_is_marked() {
    let pdf = render_pdf(&red_sample()).unwrap();
    let Some(text) = pdftotext(&pdf) else { return };
    assert!(text.contains("负数发票"), "no 负数发票 marker:\n{text}");
    assert!(text.contains("(负数)贰佰玖拾陆圆捌角"));
    assert!(text.contains("¥-296.80") && text.contains("-200.00"));
}

#[test]
fn characters_outside_the_font_print_as_boxes_but_extract() {
    let mut inv = sample();
    // 𠮷 (U+20BB7) is outside GB 2312, so the embedded font has no glyph for it.
    inv.buyer.name = "𠮷野家（深圳）餐饮管理有限公司".into();
    let pdf = render_pdf(&inv).unwrap();
    assert!(String::from_utf8_lossy(&pdf).contains("/CIDToGIDMap"));
    let Some(text) = pdftotext(&pdf) else { return };
    assert!(text.contains("𠮷野家（深圳）餐饮管理有限公司"), "{text}");
}

#[test]
fn long_invoices_continue_on_more_pages() {
    let pdf = render_pdf(&long_sample()).unwrap();
    let pages = page_count(&pdf);
    assert!(pages >= 3, "{pages} pages");
    let Some(text) = pdftotext(&pdf) else { return };
    for i in 1..=30 {
        assert!(text.contains(&format!("*办公用品*签字笔{i}号")), "line {i} missing");
    }
    assert!(text.contains(&format!("第1页/共{pages}页")));
    assert!(text.contains(&format!("第{pages}页/共{pages}页")));
    assert!(text.contains("（续下页）"));
    assert_eq!(text.matches("¥67.80").count(), 1, "the total is on the last page only");
}

#[test]
fn payload_too_long_for_a_qr_code_is_an_error() {
    let mut inv = sample();
    inv.qr_payload = "x".repeat(3000);
    let err = render_pdf(&inv).unwrap_err();
    assert!(matches!(err, fapiao_print::Error::Qr { len: 3000, .. }), "{err}");
}
