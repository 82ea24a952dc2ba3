//! HTML output: one self-contained page (inline CSS, the QR code as inline SVG, no
//! scripts, no external resources) with the layout of the PDF, which folds into a single
//! column on a phone.
//!
//! Every piece of caller text goes through [`escape`], attribute values included.

use crate::{model::PrintableInvoice, qr::QrMatrix};

/// `text` with `& < > " '` replaced by character references.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escaped, with line breaks kept as `<br>`.
fn escape_lines(text: &str) -> String {
    text.split('\n').map(|l| escape(l.trim_end_matches('\r'))).collect::<Vec<_>>().join("<br>")
}

const STYLE: &str = r#"
:root{--form:#94482a;--red:#d81414;--ink:#000}
*{box-sizing:border-box}
body{margin:0;padding:16px;background:#eee;color:var(--ink);
 font-family:"KaiTi","STKaiti","Kaiti SC","LXGW WenKai","Noto Serif CJK SC","Songti SC",serif}
.invoice{max-width:960px;margin:0 auto;background:#fff;padding:16px 28px 20px;
 box-shadow:0 1px 4px rgba(0,0,0,.2)}
.top{display:grid;grid-template-columns:120px 1fr auto;align-items:start;gap:12px}
.qr svg{width:120px;height:120px;display:block}
.heading{text-align:center}
.heading h1{display:inline-block;margin:14px 0 0;color:var(--form);font-size:26px;font-weight:700;
 letter-spacing:1px;border-bottom:4px double var(--form);padding-bottom:2px}
.red-mark{display:inline-block;margin-top:10px;padding:2px 14px;border:2px solid var(--red);
 color:var(--red);font-size:20px;font-weight:700;letter-spacing:2px}
.meta{margin:14px 0 0;font-size:14px;line-height:1.9}
.meta div{display:flex;gap:2px}
.meta dt{color:var(--form)}
.meta dd{margin:0}
.meta .status{font-size:12px}
.frame{border:1.5px solid var(--form);margin-top:8px}
.parties{display:grid;grid-template-columns:1fr 1fr}
.party{display:flex;min-height:84px}
.party+.party{border-left:1px solid var(--form)}
.side{writing-mode:vertical-rl;text-orientation:upright;margin:0;width:26px;flex:none;
 border-right:1px solid var(--form);color:var(--form);font-size:14px;font-weight:400;
 display:flex;align-items:center;justify-content:center;letter-spacing:2px;padding:8px 0}
.party dl{margin:0;padding:8px 10px;font-size:14px;line-height:1.7}
.party dt{color:var(--form);display:inline}
.party dd{display:inline;margin:0;overflow-wrap:anywhere}
.party dd::after{content:"";display:block}
.lines{border-top:1px solid var(--form);overflow-x:auto}
table{width:100%;border-collapse:collapse;font-size:14px;min-width:640px}
th{color:var(--form);font-weight:400;padding:4px 6px;white-space:nowrap}
td{padding:3px 6px;vertical-align:top}
tbody tr:last-child td{padding-bottom:24px}
td.num{text-align:right;white-space:nowrap}
td.mid{text-align:center}
tfoot th,tfoot td{padding-top:6px;padding-bottom:6px}
tfoot th{letter-spacing:1em}
.sum{display:grid;grid-template-columns:150px 1fr auto;border-top:1px solid var(--form);
 align-items:center;font-size:15px}
.sum .label{color:var(--form);text-align:center;border-right:1px solid var(--form);padding:6px}
.sum .caps{padding:6px 10px}
.sum .caps::before{content:"⊗";color:var(--form);margin-right:6px}
.sum .small{padding:6px 12px 6px 0;white-space:nowrap}
.sum .small span{color:var(--form)}
.remarks{display:flex;border-top:1px solid var(--form);min-height:64px}
.remarks .text{padding:6px 10px;font-size:14px;overflow-wrap:anywhere}
footer{margin-top:6px;padding-left:14px;font-size:14px}
footer span{color:var(--form)}
@media (max-width:720px){
 body{padding:0;background:#fff}
 .invoice{padding:12px;box-shadow:none}
 .top{grid-template-columns:1fr;justify-items:center;text-align:center}
 .heading h1{font-size:21px}
 .parties{grid-template-columns:1fr}
 .party+.party{border-left:0;border-top:1px solid var(--form)}
 .sum{grid-template-columns:1fr}
 .sum .label{border-right:0;border-bottom:1px solid var(--form)}
 .sum .small{padding:0 10px 8px}
}
@media print{body{background:#fff;padding:0}.invoice{box-shadow:none}}
"#;

/// The invoice as an HTML document; `qr` is its QR code.
pub(crate) fn render(inv: &PrintableInvoice, qr: &QrMatrix) -> String {
    let mut h = String::with_capacity(16 * 1024);
    let class = if inv.red { "invoice red" } else { "invoice" };
    h.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    h.push_str(&format!("<title>{} {}</title>", escape(&inv.title), escape(&inv.number)));
    h.push_str(&format!("<style>{STYLE}</style></head>\n<body><main class=\"{class}\">\n"));

    h.push_str("<header class=\"top\">");
    h.push_str(&format!("<div class=\"qr\">{}</div>", qr.to_svg()));
    h.push_str(&format!("<div class=\"heading\"><h1>{}</h1>", escape(&inv.title)));
    if inv.red {
        h.push_str("<br><div class=\"red-mark\">负数发票</div>");
    }
    h.push_str("</div><dl class=\"meta\">");
    h.push_str(&format!("<div><dt>发票号码：</dt><dd>{}</dd></div>", escape(&inv.number)));
    h.push_str(&format!("<div><dt>开票日期：</dt><dd>{}</dd></div>", escape(&inv.issue_date)));
    if !inv.status.is_empty() {
        h.push_str(&format!(
            "<div class=\"status\"><dt>状态：</dt><dd>{}</dd></div>",
            escape(&inv.status)
        ));
    }
    h.push_str("</dl></header>\n<section class=\"frame\">\n<div class=\"parties\">");
    for (label, party) in [("购买方信息", &inv.buyer), ("销售方信息", &inv.seller)] {
        h.push_str(&format!(
            "<div class=\"party\"><h2 class=\"side\">{label}</h2><dl>\
             <dt>名称：</dt><dd>{}</dd>\
             <dt>统一社会信用代码/纳税人识别号：</dt><dd>{}</dd></dl></div>",
            escape(&party.name),
            escape(&party.tax_id)
        ));
    }
    h.push_str("</div>\n<div class=\"lines\"><table><thead><tr>");
    for title in ["项目名称", "规格型号", "单位", "数量", "单价", "金额", "税率/征收率", "税额"]
    {
        h.push_str(&format!("<th>{title}</th>"));
    }
    h.push_str("</tr></thead>\n<tbody>");
    for l in &inv.lines {
        h.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td class=\"mid\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"mid\">{}</td>\
             <td class=\"num\">{}</td></tr>\n",
            escape_lines(&l.name),
            escape_lines(&l.spec),
            escape(&l.unit),
            escape(&l.quantity),
            escape(&l.unit_price),
            escape(&l.amount),
            escape(&l.rate),
            escape(&l.tax)
        ));
    }
    if inv.lines.is_empty() {
        h.push_str("<tr><td colspan=\"8\"></td></tr>");
    }
    h.push_str(&format!(
        "</tbody>\n<tfoot><tr><th>合计</th><td colspan=\"4\"></td><td class=\"num\">{}</td>\
         <td></td><td class=\"num\">{}</td></tr></tfoot></table></div>\n",
        escape(&inv.total_amount),
        escape(&inv.total_tax)
    ));
    h.push_str(&format!(
        "<div class=\"sum\"><div class=\"label\">价税合计（大写）</div>\
         <div class=\"caps\">{}</div><div class=\"small\"><span>（小写）</span>{}</div></div>\n",
        escape(&inv.capitals),
        escape(&inv.total_with_tax)
    ));
    h.push_str(&format!(
        "<div class=\"remarks\"><h2 class=\"side\">备注</h2><div class=\"text\">{}</div></div>\n",
        escape_lines(&inv.remarks)
    ));
    h.push_str(&format!(
        "</section>\n<footer><span>开票人：</span>{}</footer>\n</main></body></html>\n",
        escape(&inv.issuer)
    ));
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_markup_and_quotes() {
        assert_eq!(
            escape(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(escape("深圳市"), "深圳市");
        assert_eq!(escape_lines("a<b\nc"), "a&lt;b<br>c");
    }
}
