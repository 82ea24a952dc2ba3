//! Invoice data as it travels in transactions and lives in state: taxpayers, credit,
//! invoices (public part, private body, circulation), and the command payloads.
//!
//! Money is integer fen (`i64`, refused at decoding outside DECIMAL(18,2): the fields
//! marked `=> fen`). Quantities, unit prices, rates, identifiers, dates and months are the
//! value types of `fapiao-values` ([`Quantity`], [`UnitPrice`], [`RateCode`], [`Uscc`],
//! [`InvoiceNumber`], [`Vin`], [`ChinaDate`], [`Month`]): they encode as the `String` or
//! `u32` they replaced (a decimal or a rate as its canonical text) and are refused as they
//! decode when invalid or not canonical.

use fapiao_types::{canonical_struct, labels, string_enum};
use fapiao_types::{AccountId, Hash32, StatusLabel};
pub use fapiao_values::{
    ChinaDate, InvoiceKind, InvoiceNumber, Month, Quantity, RateCode, RegionCode, SellerType,
    UnitPrice, Uscc, Vin,
};

string_enum! {
    /// Registration status of a taxpayer.
    TaxpayerStatus {
        /// May issue and receive invoices.
        Active = (0, "active"),
        /// Frozen by the tax authority: cannot issue.
        Frozen = (1, "frozen"),
        /// Deregistered: cannot issue, ever again.
        Deregistered = (2, "deregistered"),
    }
}

string_enum! {
    /// Where an invoice is in its circulation.
    InvoiceStatus {
        /// Issued, with its holder.
        Issued = (0, "issued"),
        /// Submitted to an enterprise for reimbursement, awaiting its answer.
        Submitted = (1, "submitted"),
        /// Reimbursed: locked for good.
        Reimbursed = (2, "reimbursed"),
        /// Fully reversed by red invoices.
        Reversed = (3, "reversed"),
    }
}

string_enum! {
    /// Whether a buyer is a person or an enterprise.
    BuyerKind {
        /// A natural person (name only; tax id optional).
        Person = (0, "person"),
        /// An enterprise (name and taxpayer id).
        Enterprise = (1, "enterprise"),
    }
}

/// Every invoice status the pages show, with its labels, in enum and tag order:
/// taxpayers, invoices, orders, credit requests, express applications and red-letter
/// forms (the organisations' are [`fapiao_types::platform_status_labels`]). The pages get
/// their wording from these tables (served by `fapiao-web`), never a copy of their own.
/// Two enums that share a name (`active`, `pending`, `approved`) share its labels.
pub fn status_labels() -> Vec<StatusLabel> {
    macro_rules! all {
        ($($t:ty),*) => {{
            let mut out = Vec::new();
            $(out.extend(<$t>::ALL.iter().map(|s| StatusLabel {
                name: s.as_str(),
                zh: s.label_zh(),
                en: s.label_en(),
            }));)*
            out
        }};
    }
    all!(
        TaxpayerStatus,
        InvoiceStatus,
        OrderStatus,
        CreditDecision,
        crate::ApplicationStatus,
        crate::RedFormStatus
    )
}

labels!(TaxpayerStatus {
    Active => ("正常", "active"),
    Frozen => ("已冻结", "frozen"),
    Deregistered => ("已注销", "deregistered"),
});

labels!(InvoiceStatus {
    Issued => ("正常", "issued"),
    Submitted => ("报销中", "submitted for reimbursement"),
    Reimbursed => ("已报销", "reimbursed"),
    Reversed => ("已红冲", "reversed"),
});

canonical_struct! {
    /// A registered taxpayer.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct TaxpayerRecord {
        /// Unified Social Credit Code.
        pub uscc: Uscc,
        /// Name.
        pub name: String,
        /// 6-digit administrative division code.
        pub region: RegionCode,
        /// Seller type.
        pub seller_type: SellerType,
        /// Status.
        pub status: TaxpayerStatus,
        /// Accounts authorised to issue for it.
        pub issuers: Vec<AccountId>,
        /// Height of registration.
        pub registered_at: u64,
    }
}

canonical_struct! {
    /// A taxpayer's invoicing credit (授信额度).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct CreditRecord {
        /// Monthly ceiling, fen.
        pub monthly_ceiling: i64 => fen,
        /// The month (China time) `used` and `extra` belong to.
        pub month: Month,
        /// Issued this month, fen.
        pub used: i64 => fen,
        /// Extra credit approved for this month only, fen.
        pub extra: i64 => fen,
    }
}

canonical_struct! {
    /// The buyer (受票方) of an invoice.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Buyer {
        /// Person or enterprise.
        pub kind: BuyerKind,
        /// Name or title.
        pub name: String,
        /// Taxpayer id (USCC; none for a person without one).
        pub tax_id: Option<Uscc> as empty_is_none,
        /// The account that holds the invoice in its wallet, if any.
        pub holder: Option<AccountId>,
    }
}

canonical_struct! {
    /// One line as the issuer enters it: exact decimals (parsed where they entered, encoded
    /// as their canonical text, `"120"` for `"120.00"`); money fields are fen.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct LineInput {
        /// `*category*name`.
        pub name: String,
        /// 19-digit tax classification code.
        pub tax_code: String,
        /// Specification (may be empty).
        pub spec: String,
        /// Unit (may be empty).
        pub unit: String,
        /// Quantity (none: the empty text).
        pub quantity: Option<Quantity> as empty_is_none,
        /// Unit price excluding tax (none: the empty text).
        pub unit_price: Option<UnitPrice> as empty_is_none,
        /// Amount excluding tax, fen, when the issuer gives it.
        pub amount: Option<i64> => fen,
        /// Amount including tax, fen (price-including-tax entry).
        pub gross: Option<i64> => fen,
        /// Rate (`0.13`, … or exempt, out of scope).
        pub rate: RateCode,
        /// Tax, fen, when the issuer gives it (checked within ±0.06 yuan).
        pub tax: Option<i64> => fen,
    }
}

canonical_struct! {
    /// A computed invoice line.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Line {
        /// `*category*name`.
        pub name: String,
        /// Tax classification code.
        pub tax_code: String,
        /// Specification.
        pub spec: String,
        /// Unit.
        pub unit: String,
        /// Quantity, if given.
        pub quantity: Option<Quantity> as empty_is_none,
        /// Unit price excluding tax, if given.
        pub unit_price: Option<UnitPrice> as empty_is_none,
        /// Amount excluding tax, fen.
        pub amount: i64 => fen,
        /// Rate.
        pub rate: RateCode,
        /// Tax, fen.
        pub tax: i64 => fen,
    }
}

canonical_struct! {
    /// 特定要素 of a passenger-transport invoice (旅客运输服务).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct PassengerTransport {
        /// Traveller's name.
        pub traveller: String,
        /// Masked identity document number (optional, e.g. `110105********002X`;
        /// never a full resident ID).
        pub id_masked: String,
        /// Travel date, `yyyymmdd`.
        pub travel_date: ChinaDate,
        /// Departure.
        pub from: String,
        /// Destination.
        pub to: String,
        /// Vehicle type (火车, 飞机, 客车, 轮船, 地铁, …).
        pub vehicle_type: String,
        /// Seat class (may be empty).
        pub seat_class: String,
    }
}

canonical_struct! {
    /// 特定要素 of a vehicle-and-vessel tax (车船税) collected by an insurer on the tax
    /// bureau's behalf. Money is fen; `total = tax + late_fee`.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct VehicleVesselTax {
        /// Insurance policy number.
        pub policy_no: String,
        /// Plate number.
        pub plate: String,
        /// Vehicle identification number (17 characters, ISO 3779).
        pub vin: Vin,
        /// Tax period (`"2026"` or `"2026-01..2026-12"`).
        pub tax_period: String,
        /// Tax, fen.
        pub tax: i64 => fen,
        /// Late fee (滞纳金), fen.
        pub late_fee: i64 => fen,
        /// Total collected, fen.
        pub total: i64 => fen,
    }
}

/// The optional typed industry block (特定要素) of an invoice. Encoded as a one-byte
/// tag (`0` passenger transport, `1` vehicle-and-vessel tax) and the variant's struct.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Industry {
    /// Passenger transport.
    PassengerTransport(PassengerTransport),
    /// Vehicle-and-vessel tax collected by an insurer.
    VehicleVesselTax(VehicleVesselTax),
}

impl Industry {
    /// Stable name used in JSON (`passenger_transport`, `vehicle_vessel_tax`).
    pub fn as_str(&self) -> &'static str {
        match self {
            Industry::PassengerTransport(_) => "passenger_transport",
            Industry::VehicleVesselTax(_) => "vehicle_vessel_tax",
        }
    }

    /// One-byte tag in the canonical encoding.
    pub fn tag(&self) -> u8 {
        match self {
            Industry::PassengerTransport(_) => 0,
            Industry::VehicleVesselTax(_) => 1,
        }
    }
}

impl fapiao_types::field::Field for Industry {
    fn write_field(&self, buf: &mut impl bytes::BufMut) {
        bytes::BufMut::put_u8(buf, self.tag());
        match self {
            Industry::PassengerTransport(p) => p.write_field(buf),
            Industry::VehicleVesselTax(v) => v.write_field(buf),
        }
    }
    fn field_size(&self) -> usize {
        1 + match self {
            Industry::PassengerTransport(p) => p.field_size(),
            Industry::VehicleVesselTax(v) => v.field_size(),
        }
    }
    fn read_field(buf: &mut impl commonware_codec::Buf) -> Result<Self, commonware_codec::Error> {
        match <u8 as commonware_codec::Read>::read_cfg(buf, &())? {
            0 => Ok(Industry::PassengerTransport(PassengerTransport::read_field(buf)?)),
            1 => Ok(Industry::VehicleVesselTax(VehicleVesselTax::read_field(buf)?)),
            t => Err(commonware_codec::Error::InvalidEnum(t)),
        }
    }
}

canonical_struct! {
    /// An issuance command.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct IssueInvoice {
        /// Seller's USCC.
        pub seller: Uscc,
        /// Kind.
        pub kind: InvoiceKind,
        /// The bureau's type code, kept as data (e.g. `"81"` special, `"82"` ordinary).
        pub type_code: String,
        /// Buyer.
        pub buyer: Buyer,
        /// Lines.
        pub lines: Vec<LineInput>,
        /// Remarks (备注).
        pub remarks: String,
        /// Random salt of the commitment to the private fields (chosen by whoever
        /// builds the transaction).
        pub salt: Hash32,
        /// Optional typed industry block (特定要素). Last, so that the encodings of
        /// everything before it are unchanged.
        pub industry: Option<Industry>,
    }
}

canonical_struct! {
    /// What public verification reveals of an invoice, plus a salted commitment to
    /// the rest (the `invoice/<number>` leaf).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct InvoicePublic {
        /// 20-digit number.
        pub number: InvoiceNumber,
        /// Kind.
        pub kind: InvoiceKind,
        /// Issue date, `yyyymmdd`, China time.
        pub date: ChinaDate,
        /// Issue time, ms since the Unix epoch (block time).
        pub issued_at_ms: u64,
        /// Total with tax, fen (negative for a red invoice).
        pub total_with_tax: i64 => fen,
        /// Seller's USCC.
        pub seller_tax_id: Uscc,
        /// Seller's name.
        pub seller_name: String,
        /// Status.
        pub status: InvoiceStatus,
        /// Flagged by the tax authority (under investigation).
        pub flagged: bool,
        /// SHA-256 of `salt ‖ encode(InvoiceBody without salt)`.
        pub commitment: Hash32,
        /// The version of the tax rules (`params/invoice/tax-rules`) it was computed
        /// with (a red invoice: its blue invoice's).
        pub rules_version: u32,
    }
}

canonical_struct! {
    /// The private, immutable content of an invoice (the `invoice-body/<number>` leaf).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct InvoiceBody {
        /// Salt of the commitment.
        pub salt: Hash32,
        /// The bureau's type code.
        pub type_code: String,
        /// Seller type at issue.
        pub seller_type: SellerType,
        /// Buyer.
        pub buyer: Buyer,
        /// Lines.
        pub lines: Vec<Line>,
        /// Σ amounts, fen.
        pub total_amount: i64 => fen,
        /// Σ taxes, fen.
        pub total_tax: i64 => fen,
        /// Total with tax in Chinese capitals.
        pub total_in_capitals: String,
        /// Remarks.
        pub remarks: String,
        /// The account that issued it.
        pub issuer: AccountId,
        /// The blue invoice a red invoice reverses.
        pub red_of: Option<InvoiceNumber>,
        /// Typed industry block (特定要素), private like the rest of the body.
        pub industry: Option<Industry>,
    }
}

canonical_struct! {
    /// Private, mutable circulation state (the `invoice-circ/<number>` leaf).
    #[derive(Clone, Debug, PartialEq, Eq, Default)]
    pub struct Circulation {
        /// [`crate::record_salt`] of the chain secret and this record's path, written when
        /// the invoice is issued and never changed: the state stores a commitment to the
        /// record, which the salt keeps from being confirmed by guessing.
        pub salt: Hash32,
        /// The holder's account.
        pub holder: Option<AccountId>,
        /// The enterprise it is submitted to or reimbursed by.
        pub enterprise: Option<Uscc> as empty_is_none,
        /// Height of reimbursement (0 = not reimbursed).
        pub reimbursed_at: u64,
        /// Height of booking for deduction (0 = not booked).
        pub booked_at: u64,
        /// Reason of the latest rejection.
        pub last_rejection: String,
        /// Fen reversed so far by red invoices (≤ 0).
        pub reversed: i64 => fen,
    }
}

canonical_struct! {
    /// The tax authority registers a taxpayer.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct RegisterTaxpayer {
        /// USCC (check characters verified).
        pub uscc: Uscc,
        /// Name.
        pub name: String,
        /// 6-digit administrative division code.
        pub region: RegionCode,
        /// Seller type.
        pub seller_type: SellerType,
        /// Accounts authorised to issue for it.
        pub issuers: Vec<AccountId>,
    }
}

canonical_struct! {
    /// The tax authority freezes, unfreezes or deregisters a taxpayer.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct SetTaxpayerStatus {
        /// USCC.
        pub uscc: Uscc,
        /// New status.
        pub status: TaxpayerStatus,
        /// Why.
        pub reason: String,
    }
}

canonical_struct! {
    /// The tax authority replaces the accounts authorised to issue for a taxpayer.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct SetIssuers {
        /// USCC.
        pub uscc: Uscc,
        /// The authorised accounts.
        pub issuers: Vec<AccountId>,
    }
}

canonical_struct! {
    /// The tax authority sets a taxpayer's monthly credit ceiling.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct GrantCredit {
        /// USCC.
        pub uscc: Uscc,
        /// Monthly ceiling, fen.
        pub monthly_ceiling: i64 => fen,
    }
}

canonical_struct! {
    /// A merchant asks for more credit this month (the online 领用 flow).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct RequestCredit {
        /// USCC.
        pub uscc: Uscc,
        /// Extra credit asked for, fen.
        pub amount: i64 => fen,
        /// Why.
        pub reason: String,
    }
}

canonical_struct! {
    /// The tax authority approves or declines a credit request.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct DecideCredit {
        /// The request id (the hash of the requesting transaction).
        pub request: Hash32,
        /// Approve (else decline).
        pub approve: bool,
        /// Why.
        pub reason: String,
    }
}

canonical_struct! {
    /// The holder submits an invoice to an enterprise for reimbursement.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct SubmitInvoice {
        /// The invoice.
        pub number: InvoiceNumber,
        /// The enterprise it is submitted to.
        pub enterprise: Uscc,
    }
}

canonical_struct! {
    /// An action on one invoice by number alone (accept a reimbursement, book an invoice).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct InvoiceRef {
        /// The invoice.
        pub number: InvoiceNumber,
    }
}

canonical_struct! {
    /// The enterprise rejects a submitted invoice.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct RejectReimbursement {
        /// The invoice.
        pub number: InvoiceNumber,
        /// Why.
        pub reason: String,
    }
}

canonical_struct! {
    /// A taxpayer files its VAT return for a month, as the chain computes it.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct FileVatReturn {
        /// USCC.
        pub uscc: Uscc,
        /// Month, `yyyymm`.
        pub month: Month,
    }
}

string_enum! {
    /// Where a credit request is (its tag is the `u8` the record carried: 0, 1, 2).
    CreditDecision {
        /// Awaiting the tax authority.
        Pending = (0, "pending"),
        /// Approved: this month's extra credit grew.
        Approved = (1, "approved"),
        /// Declined.
        Declined = (2, "declined"),
    }
}

labels!(CreditDecision {
    Pending => ("待审批", "pending"),
    Approved => ("已批准", "approved"),
    Declined => ("已拒绝", "declined"),
});

canonical_struct! {
    /// A credit request as stored.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct CreditRequestRecord {
        /// USCC.
        pub uscc: Uscc,
        /// Amount asked for, fen.
        pub amount: i64 => fen,
        /// Month it is for (`yyyymm`).
        pub month: Month,
        /// Why.
        pub reason: String,
        /// Who asked.
        pub requested_by: AccountId,
        /// Pending, approved or declined.
        pub decision: CreditDecision,
        /// Decision reason.
        pub decision_reason: String,
    }
}

canonical_struct! {
    /// A VAT return for one taxpayer and month.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct VatReturn {
        /// USCC.
        pub uscc: Uscc,
        /// Month (`yyyymm`).
        pub month: Month,
        /// Output tax: Σ tax of sales invoices issued in the month, net of red, fen.
        pub output_tax: i64 => fen,
        /// Input tax: Σ tax of special invoices booked in the month, fen.
        pub input_tax: i64 => fen,
        /// Credit carried in from the previous month's return (≥ 0), fen.
        pub carried_in: i64 => fen,
        /// Payable (≥ 0), fen.
        pub payable: i64 => fen,
        /// Credit carried forward to next month (≥ 0), fen.
        pub carry_forward: i64 => fen,
        /// Height it was filed at (0 = not filed).
        pub filed_at: u64,
        /// Whether it was filed on time: by the 15th of the next month, China time
        /// (statutory holiday extensions are not modelled); `false` while not filed.
        pub on_time: bool,
    }
}

canonical_struct! {
    /// Running monthly tax totals of a taxpayer (`vat-month/<uscc>/<yyyymm>`), updated as
    /// invoices are issued, reversed and booked.
    #[derive(Clone, Debug, PartialEq, Eq, Default)]
    pub struct MonthTotals {
        /// Σ output tax, fen.
        pub output_tax: i64 => fen,
        /// Σ input tax booked, fen.
        pub input_tax: i64 => fen,
        /// Invoices issued.
        pub issued: u32,
        /// Σ amount (tax excluded) of sales invoices issued in the month, net of red
        /// invoices issued in it, fen.
        pub sales: i64 => fen,
    }
}

canonical_struct! {
    /// The tax authority flags (or clears) an invoice under investigation.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct FlagInvoice {
        /// The number.
        pub number: InvoiceNumber,
        /// Flag or clear.
        pub flagged: bool,
        /// Why.
        pub reason: String,
    }
}

string_enum! {
    /// Where a payment order is in self-service claiming (交易即开票).
    OrderStatus {
        /// Recorded; waiting for the consumer to claim it with its code.
        Open = (0, "open"),
        /// Claimed by a consumer; waiting for the merchant to issue (no automatic
        /// issuing).
        Claimed = (1, "claimed"),
        /// Its (blue) invoice is issued: the order yields no other.
        Invoiced = (2, "invoiced"),
    }
}

labels!(OrderStatus {
    Open => ("待领取", "open"),
    Claimed => ("待商家开票", "waiting for the merchant"),
    Invoiced => ("已开票", "invoiced"),
});

canonical_struct! {
    /// A merchant sets an entry of its product catalogue: what an order item with this
    /// SKU is called, its tax classification code and its rate.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct SetCatalogueItem {
        /// The merchant's USCC.
        pub uscc: Uscc,
        /// Stock-keeping unit, `[A-Za-z0-9._-]{1,64}`.
        pub sku: String,
        /// `*category*name`.
        pub name: String,
        /// 19-digit tax classification code.
        pub tax_code: String,
        /// Rate.
        pub rate: RateCode,
    }
}

canonical_struct! {
    /// A catalogue entry as stored (`catalogue/<uscc>/<sku>`).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct CatalogueItem {
        /// `*category*name`.
        pub name: String,
        /// 19-digit tax classification code.
        pub tax_code: String,
        /// Rate.
        pub rate: RateCode,
        /// Height of the last change.
        pub updated_at: u64,
    }
}

canonical_struct! {
    /// A merchant turns automatic issuing on or off: a revocable delegation letting a
    /// platform organisation issue for it as soon as a consumer claims an order.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct SetAutoIssue {
        /// The merchant's USCC.
        pub uscc: Uscc,
        /// The delegated organisation (kind `platform` or `payment_platform`); may be
        /// empty when turning off.
        pub platform_org: String,
        /// On (else off).
        pub enabled: bool,
    }
}

canonical_struct! {
    /// A merchant lists the payment platforms it accepts orders from: orders recorded
    /// by any other platform organisation are refused. Replaces the previous list; an
    /// empty list accepts no platform (the merchant's own issuers can always record).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct SetAcceptedPlatforms {
        /// The merchant's USCC.
        pub uscc: Uscc,
        /// Organisation ids (kind `platform` or `payment_platform`), at most
        /// [`MAX_ACCEPTED_PLATFORMS`], no duplicates.
        pub platforms: Vec<String>,
    }
}

/// Most platforms a merchant accepts orders from.
pub const MAX_ACCEPTED_PLATFORMS: usize = 32;

canonical_struct! {
    /// The payment platforms a merchant accepts orders from, as stored
    /// (`accepted-platforms/<uscc>`).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct AcceptedPlatformsRecord {
        /// Organisation ids, in the order the merchant listed them.
        pub platforms: Vec<String>,
        /// Height of the last change.
        pub since_height: u64,
    }
}

canonical_struct! {
    /// A merchant's automatic-issuing delegation as stored (`auto-issue/<uscc>`).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct AutoIssueRecord {
        /// The delegated organisation.
        pub platform_org: String,
        /// Whether the delegation is in force.
        pub enabled: bool,
        /// Height of the last change.
        pub since_height: u64,
    }
}

canonical_struct! {
    /// One item of a payment order, as the consumer paid it (tax included). Empty
    /// `name`, `tax_code` or `rate` are taken from the merchant's catalogue by `sku`.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct OrderItem {
        /// The merchant's SKU (may be empty when the other fields are all given).
        pub sku: String,
        /// `*category*name` (empty: from the catalogue).
        pub name: String,
        /// 19-digit tax classification code (empty: from the catalogue).
        pub tax_code: String,
        /// Rate (none, the empty text: from the catalogue).
        pub rate: Option<RateCode> as empty_is_none,
        /// Amount paid, tax included, fen (> 0).
        pub amount: i64 => fen,
    }
}

canonical_struct! {
    /// A payment platform (or the merchant) records a payment order. The order id is
    /// the hash of the recording transaction.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct RecordOrder {
        /// The merchant's USCC.
        pub merchant: Uscc,
        /// Total paid, tax included, fen (= Σ items).
        pub amount: i64 => fen,
        /// Items.
        pub items: Vec<OrderItem>,
        /// SHA-256 of the one-time claim code's UTF-8 bytes (the code itself is
        /// generated at random by the recorder and printed on the receipt's QR code).
        pub claim_code_hash: Hash32,
    }
}

canonical_struct! {
    /// A payment order as stored (`order/<id>`).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct OrderRecord {
        /// The merchant's USCC.
        pub merchant: Uscc,
        /// Total paid, tax included, fen.
        pub amount: i64 => fen,
        /// Items, resolved against the catalogue (name, tax code and rate filled in).
        pub items: Vec<OrderItem>,
        /// SHA-256 of the claim code.
        pub claim_code_hash: Hash32,
        /// The account that recorded it (the issuer of an automatically issued invoice).
        pub recorded_by: AccountId,
        /// Height it was recorded at.
        pub recorded_at: u64,
        /// Status.
        pub status: OrderStatus,
        /// The consumer who claimed it.
        pub claimant: Option<AccountId>,
        /// Height of the claim (0 = not claimed).
        pub claimed_at: u64,
        /// Invoice kind the claimant asked for.
        pub kind: InvoiceKind,
        /// Buyer title given by the claimant (holder = the claimant).
        pub buyer: Option<Buyer>,
        /// Number of the invoice issued for it (none until issued).
        pub invoice: Option<InvoiceNumber> as empty_is_none,
    }
}

canonical_struct! {
    /// A consumer claims a payment order with its one-time code and a buyer title.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ClaimOrder {
        /// The order id.
        pub order_id: Hash32,
        /// The one-time claim code (its SHA-256 must match the order's).
        pub claim_code: String,
        /// Kind asked for (special only with the buyer's taxpayer id).
        pub kind: InvoiceKind,
        /// Buyer title; `holder` is ignored and set to the claimant.
        pub buyer: Buyer,
        /// Salt of the invoice commitment if it is issued at once.
        pub salt: Hash32,
    }
}

canonical_struct! {
    /// The merchant issues the invoice of a claimed order (no automatic issuing).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct IssueForOrder {
        /// The order id.
        pub order_id: Hash32,
        /// Salt of the invoice commitment.
        pub salt: Hash32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_name_has_one_wording() {
        let table = status_labels();
        for (i, a) in table.iter().enumerate() {
            assert!(!a.zh.is_empty() && !a.en.is_empty(), "{}", a.name);
            for b in &table[i + 1..] {
                if a.name == b.name {
                    assert_eq!(a, b, "{} is worded two ways", a.name);
                }
            }
        }
        let issued = table.iter().find(|s| s.name == "issued").unwrap();
        assert_eq!((issued.zh, issued.en), (InvoiceStatus::Issued.label_zh(), "issued"));
    }
}
