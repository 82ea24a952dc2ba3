//! The public verification page, `/verify`: a form (number, date, total — or a QR
//! payload) and the answer, rendered on the server so that it works in any browser
//! without scripts. A phone scanning an invoice's QR code lands here with `?qr=…`.

use crate::money::{parse_date, parse_yuan, yuan};
use axum::{
    extract::{Query, State},
    response::Html,
};
use fapiao_api::{error::ApiResult, ApiState, St};
use fapiao_invoice_types::{InvoiceKey, InvoicePublic};
use fapiao_print::escape as esc;
use fapiao_types::{InvoiceNumber, StateKey};
use fapiao_verify::QrPayload;
use serde::Deserialize;

/// Query of `/verify`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct VerifyPageQuery {
    number: Option<String>,
    date: Option<String>,
    total: Option<String>,
    qr: Option<String>,
    lang: Option<String>,
}

/// One answer of the page.
struct Answer {
    ok: bool,
    title: String,
    rows: Vec<(String, String)>,
}

fn t(en: bool, zh: &'static str, english: &'static str) -> String {
    if en {
        english.into()
    } else {
        zh.into()
    }
}

fn status_text(en: bool, p: &InvoicePublic) -> String {
    let base = if en { p.status.label_en() } else { p.status.label_zh() };
    if p.flagged {
        format!("{base} · {}", t(en, "税务机关核查中", "under investigation"))
    } else {
        base.to_string()
    }
}

fn public_rows(en: bool, p: &InvoicePublic) -> Vec<(String, String)> {
    vec![
        (t(en, "发票号码", "Number"), p.number.to_string()),
        (t(en, "开票日期", "Date"), p.date.to_string()),
        (t(en, "价税合计", "Total with tax"), format!("¥{}", yuan(p.total_with_tax))),
        (t(en, "销售方", "Seller"), format!("{} ({})", p.seller_name, p.seller_tax_id)),
        (t(en, "状态", "Status"), status_text(en, p)),
    ]
}

fn answer(st: &ApiState, q: &VerifyPageQuery, en: bool) -> ApiResult<Option<Answer>> {
    let height = st.reader.tip().height;
    let proven = (t(en, "核验区块高度", "Proven at height"), height.to_string());
    if let Some(text) = q.qr.as_deref().filter(|s| !s.trim().is_empty()) {
        let verified = QrPayload::parse(text).and_then(|p| p.verify(st.reader.genesis()));
        let p = match verified {
            Ok(v) => v,
            Err(e) => {
                return Ok(Some(Answer {
                    ok: false,
                    title: t(en, "二维码无效：签名或格式不符", "Invalid QR code"),
                    rows: vec![(t(en, "原因", "Reason"), e.to_string())],
                }))
            }
        };
        let on_chain = st
            .reader
            .get::<InvoicePublic>(&StateKey::from(InvoiceKey::Invoice(p.payload.number)))?;
        return Ok(Some(match on_chain {
            Some(c)
                if c.date == p.payload.date
                    && c.total_with_tax == p.payload.total_with_tax
                    && c.seller_tax_id == p.payload.seller_tax_id
                    && c.commitment == p.payload.commitment =>
            {
                let mut rows = public_rows(en, &c);
                rows.push((t(en, "二维码签名", "QR signed by"), p.validator_name));
                rows.push(proven);
                Answer { ok: true, title: t(en, "发票真实有效", "Genuine invoice"), rows }
            }
            _ => Answer {
                ok: false,
                title: t(en, "查无此票：二维码与链上记录不符", "No such invoice on the chain"),
                rows: vec![proven],
            },
        }));
    }
    let (Some(number), Some(date), Some(total)) = (&q.number, &q.date, &q.total) else {
        return Ok(None);
    };
    if number.is_empty() && date.is_empty() && total.is_empty() {
        return Ok(None);
    }
    let (Ok(d), Ok(total)) = (parse_date("date", date), parse_yuan("total", total)) else {
        return Ok(Some(Answer {
            ok: false,
            title: t(en, "请输入正确的日期和金额", "Enter a date (yyyy-mm-dd) and an amount"),
            rows: vec![],
        }));
    };
    // A malformed number is no invoice: the page answers "not found", as for any other.
    let found = match InvoiceNumber::parse(number.trim()) {
        Ok(n) => st
            .reader
            .get::<InvoicePublic>(&StateKey::from(InvoiceKey::Invoice(n)))?
            .filter(|p| p.date == d && p.total_with_tax == total),
        Err(_) => None,
    };
    Ok(Some(match found {
        Some(p) => {
            let mut rows = public_rows(en, &p);
            rows.push(proven);
            Answer { ok: true, title: t(en, "发票真实有效", "Genuine invoice"), rows }
        }
        None => Answer {
            ok: false,
            title: t(en, "查无此票", "No such invoice"),
            rows: vec![
                (
                    t(en, "说明", "Note"),
                    t(
                        en,
                        "号码、日期与金额须与发票一致",
                        "number, date and total must match the invoice",
                    ),
                ),
                proven,
            ],
        },
    }))
}

/// The public verification page a phone opens from an invoice's QR code (HTML):
/// a form, or with `qr` or `number`, `date` and `total` the answer.
#[utoipa::path(get, path = "/verify", tag = "invoices",
    responses((status = 200, description = "HTML page", content_type = "text/html"),
        (status = 429, description = "Too many checks of one invoice; see Retry-After", body = crate::ErrorBody)))]
pub(crate) async fn verify_page(
    State(st): St,
    Query(q): Query<VerifyPageQuery>,
) -> ApiResult<Html<String>> {
    st.metrics.http_requests.inc();
    let en = q.lang.as_deref() == Some("en");
    let result = answer(&st, &q, en)?;
    let v = |o: &Option<String>| esc(o.as_deref().unwrap_or_default());
    let mut html = String::with_capacity(4096);
    html.push_str(&format!(
        r#"<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{title}</title><style>
body{{font-family:system-ui,"PingFang SC","Noto Sans CJK SC",sans-serif;margin:0;background:#f6f4ef;color:#222}}
main{{max-width:34rem;margin:0 auto;padding:1rem}}h1{{font-size:1.3rem;color:#8b1a1a}}
form{{background:#fff;border-radius:.5rem;padding:1rem;display:grid;gap:.6rem}}
label{{display:grid;gap:.2rem;font-size:.9rem}}input,textarea{{font:inherit;padding:.5rem;border:1px solid #bbb;border-radius:.3rem}}
button{{font:inherit;padding:.6rem;background:#8b1a1a;color:#fff;border:0;border-radius:.3rem}}
.r{{margin-top:1rem;padding:1rem;border-radius:.5rem;background:#fff;border-left:.4rem solid}}
.ok{{border-color:#1a7f37}}.bad{{border-color:#c62828}}dl{{display:grid;grid-template-columns:auto 1fr;gap:.3rem .8rem}}
dt{{color:#666}}dd{{margin:0;word-break:break-all}}.lang{{float:right;font-size:.85rem}}
</style></head><body><main>
<a class="lang" href="?lang={other}">{switch}</a>
<h1>{title}</h1>
<form method="get" action="/verify">
<input type="hidden" name="lang" value="{lang}">
<label>{l_number}<input name="number" inputmode="numeric" maxlength="20" value="{number}"></label>
<label>{l_date}<input name="date" type="date" value="{date}"></label>
<label>{l_total}<input name="total" inputmode="decimal" placeholder="472.80" value="{total}"></label>
<label>{l_qr}<textarea name="qr" rows="3" placeholder="FP1.…">{qr}</textarea></label>
<button type="submit">{l_go}</button>
</form>
"#,
        lang = if en { "en" } else { "zh" },
        other = if en { "zh" } else { "en" },
        switch = if en { "中文" } else { "English" },
        title = t(en, "发票查验", "Verify an invoice"),
        l_number = t(en, "发票号码（20位）", "Invoice number (20 digits)"),
        l_date = t(en, "开票日期", "Issue date"),
        l_total = t(en, "价税合计（元）", "Total with tax (yuan)"),
        l_qr = t(en, "或粘贴二维码内容", "or paste the QR code's content"),
        l_go = t(en, "查验", "Verify"),
        number = v(&q.number),
        date = v(&q.date),
        total = v(&q.total),
        qr = v(&q.qr),
    ));
    if let Some(a) = result {
        html.push_str(&format!(
            r#"<section class="r {cls}" id="result"><h2>{title}</h2><dl>"#,
            cls = if a.ok { "ok" } else { "bad" },
            title = esc(&a.title)
        ));
        for (k, val) in &a.rows {
            html.push_str(&format!("<dt>{}</dt><dd>{}</dd>", esc(k), esc(val)));
        }
        html.push_str("</dl></section>");
    }
    html.push_str("</main></body></html>");
    Ok(Html(html))
}
