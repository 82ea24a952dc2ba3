//! Printable Chinese VAT e-invoices (数电发票 layout) as PDF with an embedded, per-document
//! subset CJK font, and as self-contained HTML.
//!
//! The input is a [`PrintableInvoice`]: display strings only, formatted by the caller, so
//! this crate decides nothing about amounts or rates; it places text. Both outputs have the
//! familiar layout: QR code top left, title centred (with a 负数发票 marker on red-letter
//! invoices), number and date top right; buyer and seller side by side; the lines table
//! with its 合计 row; 价税合计 in capitals and in figures; 备注; 开票人.
//!
//! - [`render_pdf`]: one or more 240 × 140 mm pages. The text is real text in an embedded
//!   TrueType CJK font ("Fapiao Kai", derived from LXGW WenKai, SIL OFL 1.1, covering GB
//!   2312) cut down to the glyphs of this document, with a `/ToUnicode` map, so it copies
//!   and extracts correctly; the QR code is drawn with vector squares.
//! - [`render_html`]: one self-contained page (inline CSS and SVG, no scripts), every
//!   caller string escaped, folding to one column on a phone.
//! - [`render_certificate_pdf`]: a tax-payment certificate (税收完税证明) on one page of
//!   the same size, from a [`PrintableCertificate`].
//! - [`qr_svg`]: the QR code alone, as SVG.
//! - [`render_report_pdf`]: an annual report (text, figures, bar charts) in the same font
//!   and page size, for applications that publish one (the village cow bank).
//!
//! ```
//! use fapiao_print::{render_html, render_pdf, Party, PrintLine, PrintableInvoice};
//!
//! let inv = PrintableInvoice {
//!     title: "电子发票（普通发票）".into(),
//!     number: "26442000000012345678".into(),
//!     issue_date: "2026年11月26日".into(),
//!     buyer: Party { name: "张三".into(), tax_id: String::new() },
//!     seller: Party { name: "广州市某某餐饮有限公司".into(), tax_id: "91440101MA59XXXX0X".into() },
//!     lines: vec![PrintLine {
//!         name: "*餐饮服务*餐费".into(),
//!         unit: "次".into(),
//!         quantity: "1".into(),
//!         unit_price: "100.00".into(),
//!         amount: "100.00".into(),
//!         rate: "6%".into(),
//!         tax: "6.00".into(),
//!         ..Default::default()
//!     }],
//!     total_amount: "¥100.00".into(),
//!     total_tax: "¥6.00".into(),
//!     total_with_tax: "¥106.00".into(),
//!     capitals: "壹佰零陆圆整".into(),
//!     issuer: "李四".into(),
//!     status: "正常".into(),
//!     qr_payload: "https://example.invalid/verify?n=26442000000012345678".into(),
//!     ..Default::default()
//! };
//! let pdf = render_pdf(&inv)?;
//! assert!(pdf.starts_with(b"%PDF-"));
//! assert!(render_html(&inv).contains("壹佰零陆圆整"));
//! # Ok::<(), fapiao_print::Error>(())
//! ```

mod error;
mod font;
mod html;
mod layout;
mod model;
mod pdf;
mod qr;
mod report;

pub use error::{Error, Result};
pub use html::escape;
pub use model::{CertificateLine, Party, PrintLine, PrintableCertificate, PrintableInvoice};
pub use report::{Bar, BarChart, PrintableReport};

/// Renders `inv` as a PDF document: one page, or more when the lines do not fit on one
/// (each page repeats the header; the totals are on the last).
///
/// Characters the embedded font lacks (it covers ASCII, CJK punctuation, full-width forms
/// and GB 2312) print as an empty box but still extract as themselves.
///
/// # Errors
///
/// [`Error::Qr`] if `qr_payload` is too long for a QR code (over 2,953 bytes);
/// [`Error::Font`] or [`Error::Subset`] only if the embedded font is broken.
pub fn render_pdf(inv: &PrintableInvoice) -> Result<Vec<u8>> {
    let font = font::Font::embedded()?;
    let qr = qr::QrMatrix::encode(&inv.qr_payload)?;
    let pages = layout::layout(inv, &font, &qr);
    let title = format!("{} {}", inv.title, inv.number);
    pdf::write(&pages, &font, title.trim())
}

/// Renders a tax-payment certificate as a one-page PDF (the invoice's page size, font and
/// QR code; see `layout/certificate.rs` for the form).
///
/// # Errors
///
/// As [`render_pdf`].
pub fn render_certificate_pdf(c: &PrintableCertificate) -> Result<Vec<u8>> {
    let font = font::Font::embedded()?;
    let qr = qr::QrMatrix::encode(&c.qr_payload)?;
    let page = layout::certificate::layout(c, &font, &qr);
    pdf::write(&[page], &font, &format!("税收完税证明 {}", c.number))
}

/// Renders an annual report as a PDF document: a cover page of text and figures, then
/// one page per bar chart, in the embedded font.
///
/// # Errors
///
/// [`Error::Font`] or [`Error::Subset`] only if the embedded font is broken.
pub fn render_report_pdf(report: &PrintableReport) -> Result<Vec<u8>> {
    let font = font::Font::embedded()?;
    let pages = report::layout(report, &font);
    pdf::write(&pages, &font, report.title.trim())
}

/// Renders `inv` as a self-contained HTML document (inline CSS, the QR code as inline SVG,
/// no scripts or external resources). Every caller string is HTML-escaped.
///
/// A payload too long for a QR code leaves the QR box empty rather than failing the page;
/// [`qr_svg`] reports that case as an error.
pub fn render_html(inv: &PrintableInvoice) -> String {
    let qr = qr::QrMatrix::encode(&inv.qr_payload).unwrap_or_else(|_| qr::QrMatrix::empty());
    html::render(inv, &qr)
}

/// The QR code of `payload` as an SVG element (quiet zone included, sized by its
/// `viewBox`).
///
/// # Errors
///
/// [`Error::Qr`] if `payload` is too long for a QR code (over 2,953 bytes).
pub fn qr_svg(payload: &str) -> Result<String> {
    Ok(qr::QrMatrix::encode(payload)?.to_svg())
}
