//! The HTML page: escaping, content, and the inline QR code.

use fapiao_print::{qr_svg, render_html};

use crate::fixtures::{red_sample, sample, SAMPLE_PAYLOAD};

#[test]
fn caller_text_is_escaped() {
    let mut inv = sample();
    inv.buyer.name = "<script>alert('x')</script>&Co".into();
    inv.remarks = "\"><img src=x onerror=alert(1)>".into();
    let html = render_html(&inv);
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("<img"));
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;Co"));
    assert!(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
}

#[test]
fn page_has_the_invoice_and_an_inline_qr() {
    let html = render_html(&sample());
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<meta name=\"viewport\""));
    for expected in [
        "电子发票（普通发票）",
        "26442000000123456789",
        "购买方信息",
        "深圳市腾讯计算机系统有限公司",
        "91440300708461136T",
        "*餐饮服务*茶位费",
        "¥296.80",
        "贰佰玖拾陆圆捌角",
        "陈晓敏",
    ] {
        assert!(html.contains(expected), "{expected:?} missing");
    }
    assert!(html.contains("<svg"));
    assert!(html.contains(&qr_svg(SAMPLE_PAYLOAD).unwrap()));
    // Self-contained: nothing is fetched.
    for external in ["<link", "<script", "src=\"http", "url("] {
        assert!(!html.contains(external), "{external}");
    }
    assert!(!html.contains("负数发票"));
}

#[test]
fn red_invoice_is_marked() {
    let html = render_html(&red_sample());
    assert!(html.contains("负数发票"));
    assert!(html.contains("(负数)贰佰玖拾陆圆捌角"));
}

#[test]
fn qr_svg_is_square_with_quiet_zone() {
    let svg = qr_svg("https://example.invalid/").unwrap();
    assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    // Version 2 (25 modules) plus a 4-module quiet zone on each side.
    assert!(svg.contains("viewBox=\"0 0 33 33\""), "{svg}");
    assert!(svg.contains("M4 4h7v1h-7z"), "the finder pattern starts at the quiet zone");
    assert!(qr_svg(&"x".repeat(3000)).is_err());
}

#[test]
fn a_discount_line_prints_under_its_line_with_its_name_and_a_negative_amount() {
    let mut inv = sample();
    let mut discount = inv.lines[1].clone();
    (discount.spec, discount.unit, discount.quantity, discount.unit_price) =
        (String::new(), String::new(), String::new(), String::new());
    (discount.amount, discount.tax) = ("-20.00".into(), "-1.20".into());
    inv.lines.insert(2, discount);
    let html = render_html(&inv);
    let line = html.find("<td>*餐饮服务*茶位费</td><td>每位</td>").unwrap();
    let disc = html.rfind("<td>*餐饮服务*茶位费</td><td></td>").unwrap();
    assert!(line < disc, "the discount follows its line");
    assert!(html[disc..].contains("<td class=\"num\">-20.00</td>"));
    assert!(html[disc..].contains("<td class=\"num\">-1.20</td>"));
}
