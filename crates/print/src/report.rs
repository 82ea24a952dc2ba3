//! A printable annual report: a cover page of text and figures, then one page per bar
//! chart, drawn with the same operations and the same embedded font as an invoice
//! (landscape 240 × 140 mm pages). Display strings and integer values only: the caller
//! formats the amounts and decides nothing here.

use crate::{
    font::Font,
    layout::{Op, Page, Rgb, INK, PAGE_H, PAGE_W},
};

/// An annual report to print (the village cow bank's, say).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrintableReport {
    /// Title (`梧桐村母牛银行 2026 年度报告`).
    pub title: String,
    /// One line under the title.
    pub subtitle: String,
    /// Paragraphs of text, wrapped to the page.
    pub paragraphs: Vec<String>,
    /// Figures, `(label, value)`, printed as a two-column list.
    pub figures: Vec<(String, String)>,
    /// The charts, one page each.
    pub charts: Vec<BarChart>,
    /// The last line of the cover (a countersignature, say).
    pub footer: String,
}

/// A horizontal bar chart.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BarChart {
    /// Its title.
    pub title: String,
    /// The bars, top to bottom.
    pub bars: Vec<Bar>,
}

/// One bar.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bar {
    /// Its label, left of the bar.
    pub label: String,
    /// Its length, in any unit (negative draws nothing).
    pub value: i64,
    /// What is printed after the bar (`¥8330.00`, `21`).
    pub shown: String,
}

const MARGIN: f32 = 12.0;
const BLUE: Rgb = Rgb(0.18, 0.44, 0.87);
const GREY: Rgb = Rgb(0.45, 0.45, 0.45);
/// Most bars on one chart page.
const MAX_BARS: usize = 24;

/// Breaks `text` into lines no wider than `width` mm at `size` pt.
fn wrap(font: &Font, text: &str, size: f32, width: f32) -> Vec<String> {
    let mut lines = vec![String::new()];
    for c in text.chars() {
        let last = lines.last_mut().expect("one line at least");
        let mut candidate = last.clone();
        candidate.push(c);
        if font.width_mm(&candidate, size) > width && !last.is_empty() {
            lines.push(c.to_string());
        } else {
            *last = candidate;
        }
    }
    lines
}

fn text(ops: &mut Vec<Op>, x: f32, y: f32, size: f32, t: &str, color: Rgb, bold: bool) {
    if !t.is_empty() {
        ops.push(Op::Text { x, y, size, text: t.to_string(), color, bold });
    }
}

/// Lays out the report's pages.
pub(crate) fn layout(r: &PrintableReport, font: &Font) -> Vec<Page> {
    let mut pages = Vec::new();
    let mut ops = Vec::new();
    let mut y = MARGIN + 6.0;
    text(&mut ops, MARGIN, y, 16.0, &r.title, INK, true);
    y += 7.0;
    text(&mut ops, MARGIN, y, 9.0, &r.subtitle, GREY, false);
    y += 8.0;
    let width = PAGE_W - 2.0 * MARGIN;
    for p in &r.paragraphs {
        for line in wrap(font, p, 10.0, width) {
            if y > PAGE_H - MARGIN - 30.0 {
                pages.push(Page { ops: std::mem::take(&mut ops) });
                y = MARGIN + 6.0;
            }
            text(&mut ops, MARGIN, y, 10.0, &line, INK, false);
            y += 5.0;
        }
        y += 2.0;
    }
    let col = width / 2.0;
    for (i, (label, value)) in r.figures.iter().enumerate() {
        if y > PAGE_H - MARGIN - 8.0 {
            pages.push(Page { ops: std::mem::take(&mut ops) });
            y = MARGIN + 6.0;
        }
        let x = MARGIN + if i % 2 == 0 { 0.0 } else { col };
        text(&mut ops, x, y, 10.0, label, GREY, false);
        text(&mut ops, x + 45.0, y, 10.0, value, INK, true);
        if i % 2 == 1 {
            y += 6.0;
        }
    }
    text(&mut ops, MARGIN, PAGE_H - MARGIN, 9.0, &r.footer, INK, false);
    pages.push(Page { ops });
    for chart in &r.charts {
        let mut ops = Vec::new();
        text(&mut ops, MARGIN, MARGIN + 6.0, 13.0, &chart.title, INK, true);
        let bars = &chart.bars[..chart.bars.len().min(MAX_BARS)];
        let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1) as f32;
        let top = MARGIN + 14.0;
        let room = PAGE_H - top - MARGIN;
        let step = (room / bars.len().max(1) as f32).min(12.0);
        let (label_w, value_w) = (40.0, 30.0);
        let span = width - label_w - value_w;
        for (i, b) in bars.iter().enumerate() {
            let cy = top + step * (i as f32 + 0.5);
            text(&mut ops, MARGIN, cy + 1.2, 9.0, &b.label, INK, false);
            let len = span * (b.value.max(0) as f32) / max;
            let x0 = MARGIN + label_w;
            if len > 0.0 {
                ops.push(Op::Line {
                    x1: x0,
                    y1: cy,
                    x2: x0 + len,
                    y2: cy,
                    width: step * 0.6,
                    color: BLUE,
                });
            }
            text(&mut ops, x0 + len + 2.0, cy + 1.2, 9.0, &b.shown, INK, false);
        }
        pages.push(Page { ops });
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_prints_its_cover_and_one_page_per_chart() {
        let r = PrintableReport {
            title: "梧桐村母牛银行 2026 年度报告".into(),
            subtitle: "梧桐村股份经济合作社".into(),
            paragraphs: vec!["全年产犊8头，出售5头，收益按合同三七分成。".repeat(8)],
            figures: vec![("在栏".into(), "21".into()), ("分给农户".into(), "¥9730.00".into())],
            charts: vec![BarChart {
                title: "分给农户".into(),
                bars: vec![
                    Bar { label: "王大山".into(), value: 833_000, shown: "¥8330.00".into() },
                    Bar { label: "李秀英".into(), value: 140_000, shown: "¥1400.00".into() },
                ],
            }],
            footer: "乡镇会签：账实相符".into(),
        };
        let pdf = crate::render_report_pdf(&r).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let font = Font::embedded().unwrap();
        let pages = layout(&r, &font);
        assert_eq!(pages.len(), 2);
        let bars = pages[1].ops.iter().filter(|o| matches!(o, Op::Line { .. })).count();
        assert_eq!(bars, 2);
        // Deterministic bytes, as for invoices.
        assert_eq!(crate::render_report_pdf(&r).unwrap(), pdf);
    }
}
