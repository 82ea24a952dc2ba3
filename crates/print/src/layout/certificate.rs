//! The printed tax-payment certificate (税收完税证明, vehicle and vessel tax collected by an
//! insurer) as drawing operations, on the invoice's page size and with its form colours:
//!
//! ```text
//!  [QR]        中华人民共和国税收完税证明            证明号码：…
//!              （车船税 · 保险机构代收代缴）          填发日期：…
//!                                                  状态：…
//! ┌──────────┬─────────────────┬──────────┬──────────────────┐
//! │纳税人名称  │ …               │纳税人识别号 │ …                 │
//! │号牌号码    │ …               │车辆识别代号 │ …                 │
//! │车辆类型    │ …               │扣缴义务人   │ …                 │
//! ├──────────┴──┬──────────────┴─────┬────┴───┬────────┬─────────┤
//! │ 税种  品目名称 │ 税款所属时期          │ 月数    │ 税额     │ 滞纳金    │
//! │ …lines…                                                    │
//! ├────────────────────────────────────────────────────────────┤
//! │金额合计（大写） …                              （小写）¥…     │
//! ├──┬─────────────────────────────────────────────────────────┤
//! │备注│ …                                                      │
//! └──┴─────────────────────────────────────────────────────────┘
//! ```

use super::{
    clean, fit_size, wrap, Align, Op, Page, PageBuilder, FORM, INK, LABEL_PT, LEFT, MID, QR_SIZE,
    QR_X, QR_Y, RIGHT, VALUE_PT,
};
use crate::{font::Font, model::PrintableCertificate, qr::QrMatrix};

const TOP: f32 = 34.0;
const ROW_H: f32 = 7.0;
const LABEL_W: f32 = 24.0;
const HEAD_H: f32 = 6.0;
const LINE_H: f32 = 4.6;
/// Most tax lines on the page (a collection carries at most 11: ten back years).
const MAX_LINES: usize = 11;

/// Columns of the tax lines: title, width (mm), alignment.
const COLUMNS: [(&str, f32, Align); 6] = [
    ("税种", 20.0, Align::Center),
    ("品目名称", 52.0, Align::Left),
    ("税款所属时期", 58.0, Align::Center),
    ("月数", 18.0, Align::Center),
    ("税额", 36.0, Align::Right),
    ("滞纳金", 36.0, Align::Right),
];

/// Lays out `c` on one page.
pub(crate) fn layout(c: &PrintableCertificate, font: &Font, qr: &QrMatrix) -> Page {
    let mut b = PageBuilder { font, ops: Vec::new() };
    header(&mut b, c, qr);
    let mut y = TOP;
    b.line(LEFT, y, RIGHT, y);
    let fields = [
        [("纳税人名称", &c.taxpayer), ("纳税人识别号", &c.taxpayer_id)],
        [("号牌号码", &c.plate), ("车辆识别代号", &c.vin)],
        [("车辆类型", &c.vehicle), ("扣缴义务人", &c.collector)],
    ];
    for row in fields {
        for (i, (label, value)) in row.iter().enumerate() {
            let x0 = if i == 0 { LEFT } else { MID };
            let x1 = if i == 0 { MID } else { RIGHT };
            b.aligned((x0 + 1.5, x0 + LABEL_W), y + 4.8, LABEL_PT, label, Align::Left, FORM);
            b.line(x0 + LABEL_W, y, x0 + LABEL_W, y + ROW_H);
            let value = clean(value).replace('\n', " ");
            b.aligned((x0 + LABEL_W + 1.5, x1 - 1.5), y + 4.8, VALUE_PT, &value, Align::Left, INK);
        }
        b.line(MID, y, MID, y + ROW_H);
        y += ROW_H;
        b.line(LEFT, y, RIGHT, y);
    }
    // The tax lines.
    let mut x = LEFT;
    for (title, w, _) in COLUMNS {
        b.aligned((x, x + w), y + 4.3, LABEL_PT, title, Align::Center, FORM);
        x += w;
    }
    y += HEAD_H;
    b.line(LEFT, y, RIGHT, y);
    let lines_top = y;
    for line in c.lines.iter().take(MAX_LINES) {
        let cells =
            [&line.tax, &line.item, &line.period, &line.months, &line.amount, &line.late_fee];
        let mut x = LEFT;
        for ((_, w, align), text) in COLUMNS.iter().zip(cells) {
            b.aligned((x + 1.2, x + w - 1.2), y + 3.4, VALUE_PT, &clean(text), *align, INK);
            x += w;
        }
        y += LINE_H;
    }
    let lines_bottom = lines_top + LINE_H * (c.lines.len().clamp(3, MAX_LINES) as f32);
    y = lines_bottom;
    b.line(LEFT, y, RIGHT, y);
    // Total: in capitals and in figures.
    let total_label = "金额合计（大写）";
    b.text(LEFT + 1.5, y + 5.2, LABEL_PT, total_label, FORM);
    let cx = LEFT + 2.5 + font.width_mm(total_label, LABEL_PT);
    b.aligned((cx, MID + 40.0), y + 5.2, VALUE_PT, &clean(&c.capitals), Align::Left, INK);
    let small = format!("（小写）{}", clean(&c.total));
    b.aligned((MID + 40.0, RIGHT - 2.0), y + 5.2, VALUE_PT, &small, Align::Right, INK);
    y += 7.5;
    b.line(LEFT, y, RIGHT, y);
    // Remarks.
    let remarks_h = 13.0;
    b.line(LEFT + 10.0, y, LEFT + 10.0, y + remarks_h);
    b.text(LEFT + 1.5, y + 5.0, LABEL_PT, "备注", FORM);
    let size = 7.5;
    for (i, text) in
        wrap(font, &clean(&c.remarks), size, RIGHT - LEFT - 14.0).iter().take(3).enumerate()
    {
        b.text(LEFT + 12.0, y + 4.0 + 3.4 * i as f32, size, text, INK);
    }
    y += remarks_h;
    // The frame's sides.
    b.line(LEFT, TOP, LEFT, y);
    b.line(RIGHT, TOP, RIGHT, y);
    b.line(LEFT, y, RIGHT, y);
    let mut x = LEFT;
    for (_, w, _) in &COLUMNS[..COLUMNS.len() - 1] {
        x += w;
        b.line(x, lines_top - HEAD_H, x, lines_bottom);
    }
    let footer = clean(&c.footer).replace('\n', " ");
    b.aligned((LEFT + 2.0, RIGHT), y + 5.5, 7.5, &footer, Align::Left, FORM);
    Page { ops: b.ops }
}

/// The bottom of the footer line: the page must hold it with 11 tax lines.
pub(crate) const BOTTOM: f32 =
    TOP + 3.0 * ROW_H + HEAD_H + LINE_H * MAX_LINES as f32 + 7.5 + 13.0 + 5.5;
const _: () = assert!(BOTTOM <= super::PAGE_H);

fn header(b: &mut PageBuilder<'_>, c: &PrintableCertificate, qr: &QrMatrix) {
    let module = QR_SIZE / qr.size() as f32;
    b.ops.push(Op::Qr { x: QR_X, y: QR_Y, module, matrix: qr.clone() });
    let title = "中华人民共和国税收完税证明";
    let size = 17.0;
    let w = b.font.width_mm(title, size);
    b.bold(MID - w / 2.0, 13.0, size, title, FORM);
    for y in [15.4, 16.2] {
        b.ops.push(Op::Line {
            x1: MID - w / 2.0,
            y1: y,
            x2: MID + w / 2.0,
            y2: y,
            width: 0.2,
            color: FORM,
        });
    }
    let sub = clean(&c.subtitle).replace('\n', " ");
    let sub_size = fit_size(b.font, &sub, 9.0, 6.0, 100.0);
    b.aligned((MID - 50.0, MID + 50.0), 22.0, sub_size, &sub, Align::Center, FORM);
    let rows = [("证明号码：", &c.number), ("填发日期：", &c.issue_date), ("状态：", &c.status)];
    let x = RIGHT - 58.0;
    for (i, (label, value)) in rows.iter().enumerate() {
        let y = 11.0 + 6.0 * i as f32;
        b.text(x, y, LABEL_PT, label, FORM);
        let lx = x + b.font.width_mm(label, LABEL_PT);
        b.aligned((lx, RIGHT), y, VALUE_PT, &clean(value).replace('\n', " "), Align::Left, INK);
    }
}
