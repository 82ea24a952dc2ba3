//! The printed page as drawing operations: millimetres from the top-left corner, text
//! placed by its baseline. The PDF writer turns these into content streams; the geometry
//! lives here so that it can be tested without parsing PDF.
//!
//! The page is 240 × 140 mm, the proportions of the printed 数电发票:
//!
//! ```text
//!  [QR]            电子发票（普通发票）            发票号码：…
//!                  ══════════════════            开票日期：…
//! ┌──┬──────────────────────────┬──┬──────────────────────────┐
//! │购│名称：…                     │销│名称：…                     │
//! │买│统一社会信用代码/纳税人识别号：…│售│统一社会信用代码/纳税人识别号：…│
//! ├──┴──────────────────────────┴──┴──────────────────────────┤
//! │ 项目名称  规格型号  单位  数量  单价  金额  税率/征收率  税额     │
//! │ …lines…                                                    │
//! │ 合　计                             ¥…                 ¥…   │
//! ├───────────────┬────────────────────────────────────────────┤
//! │价税合计（大写）│ ⊗ …                        （小写）¥…         │
//! ├──┬────────────┴────────────────────────────────────────────┤
//! │备注│ …                                                      │
//! └──┴─────────────────────────────────────────────────────────┘
//!    开票人：…
//! ```
//!
//! Lines that do not fit the table go on to further pages, each with the full header; the
//! totals are printed on the last page only, and every page says which of how many it is.

pub(crate) mod certificate;

use crate::{
    font::Font,
    model::{PrintLine, PrintableInvoice},
    qr::QrMatrix,
};

/// Page width, mm.
pub(crate) const PAGE_W: f32 = 240.0;
/// Page height, mm.
pub(crate) const PAGE_H: f32 = 140.0;

/// An sRGB colour, components in `0..=1`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rgb(pub(crate) f32, pub(crate) f32, pub(crate) f32);

/// Data: what the invoice says.
pub(crate) const INK: Rgb = Rgb(0.0, 0.0, 0.0);
/// The form: frame, labels and title, in the brown of the printed form.
pub(crate) const FORM: Rgb = Rgb(0.58, 0.29, 0.14);
/// The red-letter marker.
pub(crate) const RED: Rgb = Rgb(0.85, 0.08, 0.08);

/// One drawing operation.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Op {
    /// Text starting at `(x, y)` (left end of the baseline), `size` in points.
    Text { x: f32, y: f32, size: f32, text: String, color: Rgb, bold: bool },
    /// A straight stroke, `width` in mm.
    Line { x1: f32, y1: f32, x2: f32, y2: f32, width: f32, color: Rgb },
    /// A stroked rectangle with top-left corner `(x, y)`, `width` in mm.
    Rect { x: f32, y: f32, w: f32, h: f32, width: f32, color: Rgb },
    /// A QR matrix (quiet zone included) with top-left corner `(x, y)`, `module` mm per
    /// module.
    Qr { x: f32, y: f32, module: f32, matrix: QrMatrix },
    /// A circled cross ⊗ centred on `(cx, cy)`, radius `r`, drawn as vector strokes.
    CircledCross { cx: f32, cy: f32, r: f32, color: Rgb },
    /// The enclosed operations read as `text` when extracted (vertical labels drawn
    /// character by character).
    Span { text: String, ops: Vec<Op> },
}

/// One page's operations.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Page {
    pub(crate) ops: Vec<Op>,
}

const LEFT: f32 = 10.0;
const RIGHT: f32 = 230.0;
const MID: f32 = 120.0;
const LABEL_COL: f32 = 6.0;
const PAD: f32 = 1.5;

const QR_X: f32 = 8.0;
const QR_Y: f32 = 2.0;
const QR_SIZE: f32 = 31.0;

const FRAME_TOP: f32 = 34.0;
const PARTY_H: f32 = 20.0;
const HEAD_H: f32 = 6.0;
const LINES_TOP: f32 = FRAME_TOP + PARTY_H + HEAD_H;
const LINES_H: f32 = 41.0;
const TOTAL_H: f32 = 6.5;
const CAPS_H: f32 = 7.5;
const REMARK_H: f32 = 13.0;
const FRAME_BOTTOM: f32 = LINES_TOP + LINES_H + TOTAL_H + CAPS_H + REMARK_H;
// The issuer line sits below the frame, and must stay on the page.
const _: () = assert!(FRAME_BOTTOM + 8.0 <= PAGE_H);

const LABEL_PT: f32 = 8.5;
const VALUE_PT: f32 = 9.0;
const CELL_PT: f32 = 8.5;
const MIN_PT: f32 = 6.0;
const CELL_STEP: f32 = 3.7;
const CELL_PAD_V: f32 = 0.6;
const FRAME_W: f32 = 0.25;

#[derive(Clone, Copy)]
enum Align {
    Left,
    Center,
    Right,
}

struct Column {
    title: &'static str,
    width: f32,
    align: Align,
    wraps: bool,
}

const COLUMNS: [Column; 8] = [
    Column { title: "项目名称", width: 58.0, align: Align::Left, wraps: true },
    Column { title: "规格型号", width: 24.0, align: Align::Left, wraps: true },
    Column { title: "单位", width: 14.0, align: Align::Center, wraps: true },
    Column { title: "数量", width: 20.0, align: Align::Right, wraps: false },
    Column { title: "单价", width: 26.0, align: Align::Right, wraps: false },
    Column { title: "金额", width: 28.0, align: Align::Right, wraps: false },
    Column { title: "税率/征收率", width: 22.0, align: Align::Center, wraps: false },
    Column { title: "税额", width: 28.0, align: Align::Right, wraps: false },
];

/// Left edge of column `i`.
fn column_x(i: usize) -> f32 {
    LEFT + COLUMNS[..i].iter().map(|c| c.width).sum::<f32>()
}

/// A table row, measured: per column, the lines and the size they are set at.
struct Row {
    cells: Vec<(Vec<String>, f32)>,
    height: f32,
}

/// Lays out `inv` on as many pages as its lines need (at least one).
pub(crate) fn layout(inv: &PrintableInvoice, font: &Font, qr: &QrMatrix) -> Vec<Page> {
    let max_lines = ((LINES_H - CELL_PAD_V) / CELL_STEP).floor() as usize;
    let rows: Vec<Row> = inv.lines.iter().map(|l| measure_row(font, l, max_lines)).collect();
    let mut chunks: Vec<Vec<Row>> = vec![Vec::new()];
    let mut used = 0.0;
    for row in rows {
        let fits = used + row.height <= LINES_H + 1e-3;
        match chunks.last_mut() {
            Some(chunk) if fits || chunk.is_empty() => {
                used += row.height;
                chunk.push(row);
            }
            _ => {
                used = row.height;
                chunks.push(vec![row]);
            }
        }
    }
    let count = chunks.len();
    chunks
        .into_iter()
        .enumerate()
        .map(|(i, rows)| {
            let mut page = PageBuilder { font, ops: Vec::new() };
            page.header(inv, qr);
            page.parties(inv);
            page.table(&rows);
            page.totals(inv, i + 1 == count);
            page.remarks(inv);
            page.footer(inv, i + 1, count);
            Page { ops: page.ops }
        })
        .collect()
}

fn measure_row(font: &Font, line: &PrintLine, max_lines: usize) -> Row {
    let texts =
        [&line.name, &line.spec, &line.unit, &line.quantity, &line.unit_price, &line.amount];
    let texts = texts.into_iter().chain([&line.rate, &line.tax]);
    let cells: Vec<(Vec<String>, f32)> = COLUMNS
        .iter()
        .zip(texts)
        .map(|(col, text)| {
            let inner = col.width - 2.0 * PAD;
            let text = clean(text);
            if col.wraps {
                (
                    truncate(font, wrap(font, &text, CELL_PT, inner), max_lines, CELL_PT, inner),
                    CELL_PT,
                )
            } else {
                let one_line: String = text.split('\n').collect::<Vec<_>>().join(" ");
                let size = fit_size(font, &one_line, CELL_PT, MIN_PT, inner);
                (vec![one_line], size)
            }
        })
        .collect();
    let lines = cells.iter().map(|(l, _)| l.len()).max().unwrap_or(1).max(1);
    Row { cells, height: lines as f32 * CELL_STEP + CELL_PAD_V }
}

/// Drops control characters other than `\n`; tabs become spaces.
fn clean(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\n' => Some('\n'),
            '\t' => Some(' '),
            '\r' => None,
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

/// The largest size from `size` down to `min` at which `text` fits `width` mm (`min` if
/// none does).
fn fit_size(font: &Font, text: &str, size: f32, min: f32, width: f32) -> f32 {
    let natural = font.width_mm(text, size);
    if natural <= width {
        size
    } else {
        (size * width / natural).max(min)
    }
}

/// Breaks `text` into lines no wider than `width` mm at `size` points: at `\n`, else
/// after the last space of a line when that keeps at least half of it, else anywhere (CJK
/// text has no spaces and may break between any two characters).
fn wrap(font: &Font, text: &str, size: f32, width: f32) -> Vec<String> {
    let mut out = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        for c in para.chars() {
            let mut candidate = line.clone();
            candidate.push(c);
            if font.width_mm(&candidate, size) <= width || line.is_empty() {
                line = candidate;
                continue;
            }
            let split = line.rfind(' ').filter(|&i| i * 2 >= line.len() && c != ' ');
            match split {
                Some(i) => {
                    let rest = line[i + 1..].to_string();
                    line.truncate(i);
                    out.push(std::mem::take(&mut line));
                    line = rest;
                    line.push(c);
                }
                None => {
                    out.push(std::mem::take(&mut line));
                    if c != ' ' {
                        line.push(c);
                    }
                }
            }
        }
        out.push(line);
    }
    out
}

/// Keeps at most `max` lines; a cut last line ends in `…`.
fn truncate(font: &Font, mut lines: Vec<String>, max: usize, size: f32, width: f32) -> Vec<String> {
    if lines.len() <= max {
        return lines;
    }
    lines.truncate(max.max(1));
    if let Some(last) = lines.last_mut() {
        while !last.is_empty() && font.width_mm(&format!("{last}…"), size) > width {
            last.pop();
        }
        last.push('…');
    }
    lines
}

struct PageBuilder<'a> {
    font: &'a Font,
    ops: Vec<Op>,
}

impl PageBuilder<'_> {
    fn text(&mut self, x: f32, y: f32, size: f32, text: &str, color: Rgb) {
        if !text.is_empty() {
            self.ops.push(Op::Text { x, y, size, text: text.to_string(), color, bold: false });
        }
    }

    fn bold(&mut self, x: f32, y: f32, size: f32, text: &str, color: Rgb) {
        self.ops.push(Op::Text { x, y, size, text: text.to_string(), color, bold: true });
    }

    /// `text` aligned in the box `[x0, x1]`, shrunk (down to [`MIN_PT`]) to fit it.
    fn aligned(
        &mut self,
        (x0, x1): (f32, f32),
        y: f32,
        size: f32,
        text: &str,
        align: Align,
        color: Rgb,
    ) {
        let size = fit_size(self.font, text, size, MIN_PT, x1 - x0);
        let w = self.font.width_mm(text, size);
        let x = match align {
            Align::Left => x0,
            Align::Center => (x0 + x1 - w) / 2.0,
            Align::Right => x1 - w,
        };
        self.text(x, y, size, text, color);
    }

    fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32) {
        self.ops.push(Op::Line { x1, y1, x2, y2, width: FRAME_W, color: FORM });
    }

    /// A label written top to bottom, centred in the column `[x, x + LABEL_COL]` between
    /// `top` and `bottom`.
    fn vertical_label(&mut self, x: f32, top: f32, bottom: f32, label: &str) {
        let size = LABEL_PT;
        let step = size / crate::font::PT_PER_MM * 1.1;
        let n = label.chars().count() as f32;
        let first = (top + bottom) / 2.0 - n * step / 2.0 + step * 0.82;
        let ops = label
            .chars()
            .enumerate()
            .map(|(i, c)| {
                let s = c.to_string();
                let w = self.font.width_mm(&s, size);
                Op::Text {
                    x: x + (LABEL_COL - w) / 2.0,
                    y: first + i as f32 * step,
                    size,
                    text: s,
                    color: FORM,
                    bold: false,
                }
            })
            .collect();
        self.ops.push(Op::Span { text: label.to_string(), ops });
    }

    fn header(&mut self, inv: &PrintableInvoice, qr: &QrMatrix) {
        let module = QR_SIZE / qr.size() as f32;
        self.ops.push(Op::Qr { x: QR_X, y: QR_Y, module, matrix: qr.clone() });

        let title = clean(&inv.title).replace('\n', " ");
        let size = fit_size(self.font, &title, 17.0, 10.0, 105.0);
        let w = self.font.width_mm(&title, size);
        let x = MID - w / 2.0;
        self.bold(x, 13.0, size, &title, FORM);
        for y in [15.4, 16.2] {
            self.ops.push(Op::Line { x1: x, y1: y, x2: x + w, y2: y, width: 0.2, color: FORM });
        }
        if inv.red {
            let label = "负数发票";
            let lw = self.font.width_mm(label, 14.0);
            let (bw, bh, top) = (lw + 8.0, 8.5, 19.5);
            self.ops.push(Op::Rect {
                x: MID - bw / 2.0,
                y: top,
                w: bw,
                h: bh,
                width: 0.6,
                color: RED,
            });
            self.bold(MID - lw / 2.0, top + 6.3, 14.0, label, RED);
        }

        let rows = [("发票号码：", clean(&inv.number)), ("开票日期：", clean(&inv.issue_date))];
        let label_w = self.font.width_mm("发票号码：", LABEL_PT);
        let value_w = rows
            .iter()
            .map(|(_, v)| self.font.width_mm(v, VALUE_PT))
            .fold(0.0_f32, f32::max)
            .min(RIGHT - 175.0 - label_w);
        let x = RIGHT - label_w - value_w;
        for (i, (label, value)) in rows.iter().enumerate() {
            let y = 11.0 + 6.0 * i as f32;
            self.text(x, y, LABEL_PT, label, FORM);
            self.aligned((x + label_w, RIGHT), y, VALUE_PT, value, Align::Left, INK);
        }
        let status = clean(&inv.status).replace('\n', " ");
        if !status.is_empty() {
            self.text(x, 23.5, 7.5, "状态：", FORM);
            let sx = x + self.font.width_mm("状态：", 7.5);
            self.aligned((sx, RIGHT), 23.5, 7.5, &status, Align::Left, INK);
        }
    }

    fn parties(&mut self, inv: &PrintableInvoice) {
        let bottom = FRAME_TOP + PARTY_H;
        self.line(MID, FRAME_TOP, MID, bottom);
        let sides =
            [(LEFT, MID, "购买方信息", &inv.buyer), (MID, RIGHT, "销售方信息", &inv.seller)];
        for (x0, x1, label, party) in sides {
            self.line(x0 + LABEL_COL, FRAME_TOP, x0 + LABEL_COL, bottom);
            self.vertical_label(x0, FRAME_TOP, bottom, label);
            let cx = x0 + LABEL_COL + 2.0;
            let right = x1 - 2.0;

            let name_label = "名称：";
            self.text(cx, FRAME_TOP + 7.5, LABEL_PT, name_label, FORM);
            let nx = cx + self.font.width_mm(name_label, LABEL_PT);
            let name = clean(&party.name).replace('\n', " ");
            let size = fit_size(self.font, &name, VALUE_PT, 7.0, right - nx);
            if self.font.width_mm(&name, size) <= right - nx + 1e-3 {
                self.text(nx, FRAME_TOP + 7.5, size, &name, INK);
            } else {
                let lines = truncate(
                    self.font,
                    wrap(self.font, &name, 7.0, right - nx),
                    2,
                    7.0,
                    right - nx,
                );
                for (i, l) in lines.iter().enumerate() {
                    self.text(nx, FRAME_TOP + 5.9 + 3.0 * i as f32, 7.0, l, INK);
                }
            }

            let id_label = "统一社会信用代码/纳税人识别号：";
            self.text(cx, FRAME_TOP + 15.0, LABEL_PT, id_label, FORM);
            let ix = cx + self.font.width_mm(id_label, LABEL_PT);
            let id = clean(&party.tax_id).replace('\n', " ");
            self.aligned((ix, right), FRAME_TOP + 15.0, VALUE_PT, &id, Align::Left, INK);
        }
        self.line(LEFT, bottom, RIGHT, bottom);
    }

    fn table(&mut self, rows: &[Row]) {
        let head_y = FRAME_TOP + PARTY_H + HEAD_H - 1.7;
        for (i, col) in COLUMNS.iter().enumerate() {
            let x = column_x(i);
            self.aligned((x, x + col.width), head_y, LABEL_PT, col.title, Align::Center, FORM);
        }
        let mut top = LINES_TOP;
        for row in rows {
            for (i, (col, (lines, size))) in COLUMNS.iter().zip(&row.cells).enumerate() {
                let x = column_x(i);
                for (j, l) in lines.iter().enumerate() {
                    let y = top + CELL_PAD_V / 2.0 + 2.9 + j as f32 * CELL_STEP;
                    let (x0, x1) = (x + PAD, x + col.width - PAD);
                    self.aligned((x0, x1), y, *size, l, col.align, INK);
                }
            }
            top += row.height;
        }
    }

    fn totals(&mut self, inv: &PrintableInvoice, last: bool) {
        let top = LINES_TOP + LINES_H;
        let y = top + TOTAL_H - 2.0;
        // Spaced out as on the printed form, but extracted as the word.
        let start = self.ops.len();
        self.aligned((column_x(0), column_x(1)), y, LABEL_PT, "合　　计", Align::Center, FORM);
        let ops = self.ops.split_off(start);
        self.ops.push(Op::Span { text: "合计".into(), ops });
        if last {
            let amount = clean(&inv.total_amount);
            let tax = clean(&inv.total_tax);
            self.aligned(
                (column_x(5) + PAD, column_x(6) - PAD),
                y,
                CELL_PT,
                &amount,
                Align::Right,
                INK,
            );
            self.aligned((column_x(7) + PAD, RIGHT - PAD), y, CELL_PT, &tax, Align::Right, INK);
        } else {
            self.aligned((column_x(5), RIGHT - PAD), y, CELL_PT, "（续下页）", Align::Right, FORM);
        }
        let top = top + TOTAL_H;
        self.line(LEFT, top, RIGHT, top);

        let y = top + CAPS_H - 2.3;
        let label_w = 38.0;
        self.line(LEFT + label_w, top, LEFT + label_w, top + CAPS_H);
        self.aligned((LEFT, LEFT + label_w), y, LABEL_PT, "价税合计（大写）", Align::Center, FORM);
        let small = "（小写）";
        let small_x = 165.0;
        self.text(small_x, y, LABEL_PT, small, FORM);
        if last {
            let cx = LEFT + label_w + 4.5;
            self.ops.push(Op::CircledCross { cx, cy: y - 1.1, r: 1.5, color: FORM });
            let caps = clean(&inv.capitals).replace('\n', " ");
            self.aligned((cx + 3.0, small_x - 2.0), y, 9.5, &caps, Align::Left, INK);
            let sx = small_x + self.font.width_mm(small, LABEL_PT);
            let total = clean(&inv.total_with_tax);
            self.aligned((sx, RIGHT - PAD), y, 9.5, &total, Align::Left, INK);
        }
        let top = top + CAPS_H;
        self.line(LEFT, top, RIGHT, top);
    }

    fn remarks(&mut self, inv: &PrintableInvoice) {
        let top = FRAME_BOTTOM - REMARK_H;
        self.line(LEFT + LABEL_COL, top, LEFT + LABEL_COL, FRAME_BOTTOM);
        self.vertical_label(LEFT, top, FRAME_BOTTOM, "备注");
        let (x0, x1) = (LEFT + LABEL_COL + 2.0, RIGHT - 2.0);
        let size = CELL_PT;
        let max = ((REMARK_H - 1.5) / CELL_STEP).floor() as usize;
        let lines = truncate(
            self.font,
            wrap(self.font, &clean(&inv.remarks), size, x1 - x0),
            max,
            size,
            x1 - x0,
        );
        for (i, l) in lines.iter().enumerate() {
            self.text(x0, top + 3.8 + i as f32 * CELL_STEP, size, l, INK);
        }
        self.ops.push(Op::Rect {
            x: LEFT,
            y: FRAME_TOP,
            w: RIGHT - LEFT,
            h: FRAME_BOTTOM - FRAME_TOP,
            width: 0.35,
            color: FORM,
        });
    }

    fn footer(&mut self, inv: &PrintableInvoice, page: usize, count: usize) {
        let y = FRAME_BOTTOM + 5.5;
        let label = "开票人：";
        self.text(LEFT + 4.0, y, LABEL_PT, label, FORM);
        let x = LEFT + 4.0 + self.font.width_mm(label, LABEL_PT);
        let issuer = clean(&inv.issuer).replace('\n', " ");
        self.aligned((x, MID), y, VALUE_PT, &issuer, Align::Left, INK);
        if count > 1 {
            let text = format!("第{page}页/共{count}页");
            self.aligned((MID, RIGHT), y, LABEL_PT, &text, Align::Right, FORM);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn font() -> Font {
        Font::embedded().unwrap()
    }

    #[test]
    fn wrap_breaks_cjk_anywhere_and_words_at_spaces() {
        let f = font();
        let lines = wrap(&f, "*餐饮服务*餐费餐费餐费餐费餐费餐费餐费餐费", CELL_PT, 20.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| f.width_mm(l, CELL_PT) <= 20.0));
        assert_eq!(lines.concat(), "*餐饮服务*餐费餐费餐费餐费餐费餐费餐费餐费");
        let lines = wrap(&f, "stainless steel bolt M8", CELL_PT, 20.0);
        assert_eq!(lines.join(" "), "stainless steel bolt M8");
        assert!(lines.iter().all(|l| !l.starts_with(' ') && !l.ends_with(' ')));
        assert_eq!(wrap(&f, "a\nb", CELL_PT, 20.0), ["a", "b"]);
    }

    #[test]
    fn truncate_marks_the_cut() {
        let f = font();
        let lines = vec!["一".repeat(5), "二".repeat(5), "三".repeat(5)];
        let cut = truncate(&f, lines, 2, CELL_PT, 15.0);
        assert_eq!(cut.len(), 2);
        assert!(cut[1].ends_with('…'));
        assert!(f.width_mm(&cut[1], CELL_PT) <= 15.0);
    }

    #[test]
    fn columns_fill_the_frame() {
        assert!((column_x(COLUMNS.len()) - RIGHT).abs() < 1e-3);
    }

    #[test]
    fn many_lines_go_on_to_more_pages_with_totals_on_the_last() {
        let f = font();
        let qr = QrMatrix::encode("x").unwrap();
        let line = PrintLine {
            name: "*餐饮服务*餐费".into(),
            amount: "100.00".into(),
            rate: "6%".into(),
            tax: "6.00".into(),
            ..Default::default()
        };
        let inv = PrintableInvoice {
            lines: vec![line; 25],
            total_amount: "¥2500.00".into(),
            ..Default::default()
        };
        let pages = layout(&inv, &f, &qr);
        assert!(pages.len() >= 3, "{}", pages.len());
        let has = |p: &Page, s: &str| {
            p.ops.iter().any(|op| matches!(op, Op::Text { text, .. } if text == s))
        };
        let n = pages.len();
        assert!(has(&pages[n - 1], "¥2500.00") && !has(&pages[0], "¥2500.00"));
        assert!(has(&pages[0], "（续下页）") && has(&pages[0], &format!("第1页/共{n}页")));
        let rows: usize = pages
            .iter()
            .map(|p| {
                p.ops
                    .iter()
                    .filter(|op| matches!(op, Op::Text { text, .. } if text == "*餐饮服务*餐费"))
                    .count()
            })
            .sum();
        assert_eq!(rows, 25);
    }

    #[test]
    fn everything_stays_on_the_page() {
        let f = font();
        let qr = QrMatrix::encode("x").unwrap();
        let long = "很长的名称".repeat(30);
        let inv = PrintableInvoice {
            title: "电子发票（增值税专用发票）".into(),
            buyer: crate::Party { name: long.clone(), tax_id: "9".repeat(40) },
            lines: vec![PrintLine {
                name: long.clone(),
                amount: "-99999999999.99".into(),
                ..Default::default()
            }],
            remarks: long,
            red: true,
            ..Default::default()
        };
        for page in layout(&inv, &f, &qr) {
            for op in page.ops {
                if let Op::Text { x, y, size, text, .. } = op {
                    let w = f.width_mm(&text, size);
                    assert!(x >= LEFT - 1e-3 && x + w <= RIGHT + 1e-3, "{text} at {x}+{w}");
                    assert!(y > 0.0 && y < PAGE_H, "{text} at y={y}");
                }
            }
        }
    }
}
