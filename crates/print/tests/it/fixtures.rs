//! A realistic sample invoice: a restaurant bill to a Shenzhen company, two lines, totals
//! that add up (200.00 + 80.00 at 6% = 280.00 + 16.80 = 296.80).

use fapiao_print::{Party, PrintLine, PrintableInvoice};

/// What the QR code of the sample encodes: a verification URL of about 250 characters.
pub const SAMPLE_PAYLOAD: &str = "https://inv-veri.chinatax.example.invalid/verify?v=01&type=32&code=&number=26442000000123456789&date=20261126&amount=280.00&tax=16.80&total=296.80&seller=91440300MA5F8KXW3R&buyer=91440300708461136T&check=7D2C1A9F0B3E4D5C6B7A8F9E0D1C2B3A&sig=MEUCIQDx";

/// A blue (ordinary) invoice with two lines.
pub fn sample() -> PrintableInvoice {
    PrintableInvoice {
        title: "电子发票（普通发票）".into(),
        number: "26442000000123456789".into(),
        issue_date: "2026年11月26日".into(),
        buyer: Party {
            name: "深圳市腾讯计算机系统有限公司".into(),
            tax_id: "91440300708461136T".into(),
        },
        seller: Party {
            name: "深圳市南山区粤海街道老广茶餐厅".into(),
            tax_id: "91440300MA5F8KXW3R".into(),
        },
        lines: vec![
            PrintLine {
                name: "*餐饮服务*餐费".into(),
                spec: String::new(),
                unit: "次".into(),
                quantity: "1".into(),
                unit_price: "200.00".into(),
                amount: "200.00".into(),
                rate: "6%".into(),
                tax: "12.00".into(),
            },
            PrintLine {
                name: "*餐饮服务*茶位费".into(),
                spec: "每位".into(),
                unit: "位".into(),
                quantity: "8".into(),
                unit_price: "10.00".into(),
                amount: "80.00".into(),
                rate: "6%".into(),
                tax: "4.80".into(),
            },
        ],
        total_amount: "¥280.00".into(),
        total_tax: "¥16.80".into(),
        total_with_tax: "¥296.80".into(),
        capitals: "贰佰玖拾陆圆捌角".into(),
        remarks: "工作餐；用餐人数8人".into(),
        issuer: "陈晓敏".into(),
        red: false,
        status: "正常".into(),
        qr_payload: SAMPLE_PAYLOAD.into(),
    }
}

/// The red-letter invoice that reverses [`sample`] in full.
pub fn red_sample() -> PrintableInvoice {
    let mut inv = sample();
    inv.number = "26442000000123456790".into();
    inv.issue_date = "2026年11月28日".into();
    for line in &mut inv.lines {
        line.quantity = format!("-{}", line.quantity);
        line.amount = format!("-{}", line.amount);
        line.tax = format!("-{}", line.tax);
    }
    inv.total_amount = "¥-280.00".into();
    inv.total_tax = "¥-16.80".into();
    inv.total_with_tax = "¥-296.80".into();
    inv.capitals = "(负数)贰佰玖拾陆圆捌角".into();
    inv.remarks =
        "被红冲蓝字数电发票号码：26442000000123456789 红字发票信息确认单编号：44030026112800000001"
            .into();
    inv.red = true;
    inv
}

/// A special VAT invoice that stresses the layout: long names, a character outside the
/// font, multi-line remarks, and 30 lines (three pages).
pub fn long_sample() -> PrintableInvoice {
    let mut inv = sample();
    inv.title = "电子发票（增值税专用发票）".into();
    inv.buyer.name = "𠮷野家（中国）投资有限公司深圳前海蛇口自由贸易试验区分公司第一营业部".into();
    inv.seller.name = "深圳市南山区粤海街道老广茶餐厅饮食服务连锁管理有限公司科技园分店".into();
    inv.lines = (1..=30)
        .map(|i| PrintLine {
            name: if i % 7 == 0 {
                format!("*办公用品*签字笔{i}号（0.5mm黑色中性笔芯，含笔杆，十二支装）")
            } else {
                format!("*办公用品*签字笔{i}号")
            },
            spec: if i % 5 == 0 { "GP-1280 0.5mm".into() } else { String::new() },
            unit: "支".into(),
            quantity: "1".into(),
            unit_price: "2.00".into(),
            amount: "2.00".into(),
            rate: "13%".into(),
            tax: "0.26".into(),
        })
        .collect();
    inv.total_amount = "¥60.00".into();
    inv.total_tax = "¥7.80".into();
    inv.total_with_tax = "¥67.80".into();
    inv.capitals = "陆拾柒圆捌角".into();
    inv.remarks = "项目：2026年第四季度办公用品集中采购\n合同编号：SZ-2026-PO-000123；收货地址：深圳市南山区科技园".into();
    inv
}
