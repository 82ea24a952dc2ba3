//! The display-only input: every field is already formatted text, exactly as it is to be
//! printed. Callers map their own records (amounts in fen, rates, dates) to it; this crate
//! does no arithmetic and no validation, so what is printed is what the caller decided.

/// An invoice as printed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrintableInvoice {
    /// Title, e.g. `电子发票（增值税专用发票）` or `电子发票（普通发票）`.
    pub title: String,
    /// The 20-digit invoice number (发票号码).
    pub number: String,
    /// Issue date as printed, e.g. `2026年11月26日` (开票日期).
    pub issue_date: String,
    /// The buyer (购买方).
    pub buyer: Party,
    /// The seller (销售方).
    pub seller: Party,
    /// The lines, in order.
    pub lines: Vec<PrintLine>,
    /// Sum of line amounts, e.g. `¥100.00` (negative on red invoices).
    pub total_amount: String,
    /// Sum of line taxes, e.g. `¥6.00`.
    pub total_tax: String,
    /// Total with tax in figures (价税合计（小写）), e.g. `¥106.00`.
    pub total_with_tax: String,
    /// Total with tax in capitals (价税合计（大写）), e.g. `壹佰零陆圆整` or
    /// `(负数)壹佰零陆圆整`.
    pub capitals: String,
    /// Remarks (备注); `\n` starts a new line.
    pub remarks: String,
    /// Who issued the invoice (开票人).
    pub issuer: String,
    /// A red-letter (负数) invoice: printed with a prominent 负数发票 marker.
    pub red: bool,
    /// Status shown small under the date, e.g. `正常` or `已红冲`; empty shows nothing.
    pub status: String,
    /// Text encoded in the QR code (usually a verification URL).
    pub qr_payload: String,
}

/// A buyer or seller as printed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Party {
    /// Name (名称).
    pub name: String,
    /// Unified social credit code or taxpayer ID (统一社会信用代码/纳税人识别号); may be
    /// empty for a natural person buying on an ordinary invoice.
    pub tax_id: String,
}

/// One line of the goods and services table, every cell already formatted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrintLine {
    /// Item name with its category, e.g. `*餐饮服务*餐费` (项目名称).
    pub name: String,
    /// Specification or model (规格型号), often empty.
    pub spec: String,
    /// Unit (单位), often empty.
    pub unit: String,
    /// Quantity (数量), often empty.
    pub quantity: String,
    /// Unit price (单价), often empty.
    pub unit_price: String,
    /// Amount without tax (金额).
    pub amount: String,
    /// Rate (税率/征收率), e.g. `6%` or `免税`.
    pub rate: String,
    /// Tax (税额).
    pub tax: String,
}

/// A tax-payment certificate (税收完税证明) as printed: display strings only.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrintableCertificate {
    /// Under the title, e.g. `（车船税 · 保险机构代收代缴）`.
    pub subtitle: String,
    /// The certificate number (证明号码).
    pub number: String,
    /// Issue date as printed (填发日期), e.g. `2026年12月02日`.
    pub issue_date: String,
    /// Status, e.g. `有效` or `已退税 ¥210.00`.
    pub status: String,
    /// The taxpayer as shown, masked (纳税人名称), e.g. `李*`.
    pub taxpayer: String,
    /// The masked resident ID or USCC (纳税人识别号).
    pub taxpayer_id: String,
    /// Plate (号牌号码).
    pub plate: String,
    /// VIN (车辆识别代号).
    pub vin: String,
    /// Vehicle type and size (车辆类型), e.g. `乘用车 1.598 L`.
    pub vehicle: String,
    /// The collecting insurer (扣缴义务人).
    pub collector: String,
    /// One row per tax year.
    pub lines: Vec<CertificateLine>,
    /// Total in figures, e.g. `¥721.80`.
    pub total: String,
    /// Total in capitals, e.g. `柒佰贰拾壹圆捌角整`.
    pub capitals: String,
    /// Remarks (备注): relief, refunds, how to check; `\n` starts a new line.
    pub remarks: String,
    /// Small print under the frame (where and how to verify).
    pub footer: String,
    /// Text encoded in the QR code (the check page's URL).
    pub qr_payload: String,
}

/// One tax year of a certificate as printed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CertificateLine {
    /// Tax (税种), `车船税`.
    pub tax: String,
    /// Item (品目名称), e.g. `乘用车 1.0–1.6 L`.
    pub item: String,
    /// Period (税款所属时期), e.g. `2026-01-01 至 2026-12-31`.
    pub period: String,
    /// Months taxed.
    pub months: String,
    /// Tax, e.g. `360.00`.
    pub amount: String,
    /// Late fee, e.g. `1.80`.
    pub late_fee: String,
}
