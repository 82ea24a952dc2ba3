//! The records of the tax-certificate application and the payloads of its actions.
//!
//! Money is fen (`i64`, range-checked as it is decoded). A collection's amounts are
//! the collector's *declaration*: the application recomputes every line from the
//! schedule in force and refuses a collection whose figures differ.

use fapiao_types::{canonical_struct, labels, sha256, string_enum, AccountId, Hash32};
use fapiao_values::{ChinaDate, Vin};

/// Most back-tax years (补缴) one collection may carry.
pub const MAX_BACK_YEARS: usize = 10;
/// Most collections, and most refunds, one settlement batch may list.
pub const MAX_SETTLEMENT_ITEMS: usize = 1000;

string_enum! {
    /// The tax item (税目) of a motor vehicle, from the vehicle-and-vessel tax law's
    /// schedule. Insurers collect for motor vehicles only, so vessels have no item here.
    VehicleClass {
        /// 乘用车: by engine displacement (`size` is millilitres).
        Passenger = (0, "passenger"),
        /// 客车 (commercial, 9 or more seats): medium or large by seats (`size`).
        Bus = (1, "bus"),
        /// 货车: per tonne of curb weight (`size` is kilograms).
        Truck = (2, "truck"),
        /// 摩托车 (`size` is 0).
        Motorcycle = (3, "motorcycle"),
    }
}

string_enum! {
    /// The energy type on the registration certificate, which decides relief
    /// (财税〔2018〕74号).
    Energy {
        /// Petrol, diesel or gas, not on the energy-saving list.
        Conventional = (0, "conventional"),
        /// An energy-saving model on the ministries' list: half the tax.
        EnergySaving = (1, "energy_saving"),
        /// Pure electric: a passenger car is outside the tax; another vehicle is exempt
        /// as new-energy.
        PureElectric = (2, "pure_electric"),
        /// Fuel cell: as pure electric.
        FuelCell = (3, "fuel_cell"),
        /// Plug-in hybrid (including extended range): new-energy, exempt.
        PlugInHybrid = (4, "plug_in_hybrid"),
    }
}

string_enum! {
    /// The relief a collection states (and the application recomputes from the class
    /// and the energy type).
    Relief {
        /// Full tax.
        None = (0, "none"),
        /// 减半征收: energy-saving model.
        EnergySavingHalf = (1, "energy_saving_half"),
        /// 免征: new-energy vehicle.
        NewEnergyExempt = (2, "new_energy_exempt"),
        /// 不属于征税范围: pure-electric or fuel-cell passenger car.
        NotTaxable = (3, "not_taxable"),
    }
}

labels!(Relief {
    None => ("无", "none"),
    EnergySavingHalf => ("节能汽车减半征收", "energy-saving: half"),
    NewEnergyExempt => ("新能源车船免征", "new-energy: exempt"),
    NotTaxable => ("不属于车船税征税范围", "outside the tax"),
});

string_enum! {
    /// Why tax is refunded (车船税法实施条例 第十九条).
    RefundEvent {
        /// 被盗抢.
        Stolen = (0, "stolen"),
        /// 报废.
        Scrapped = (1, "scrapped"),
        /// 灭失.
        Lost = (2, "lost"),
    }
}

labels!(RefundEvent {
    Stolen => ("被盗抢", "stolen"),
    Scrapped => ("报废", "scrapped"),
    Lost => ("灭失", "lost"),
});

string_enum! {
    /// A certificate's status.
    CertificateStatus {
        /// Valid: the tax it certifies stands.
        Valid = (0, "valid"),
        /// Part of the year's tax was refunded after a theft, scrapping or loss.
        Refunded = (1, "refunded"),
    }
}

labels!(CertificateStatus {
    Valid => ("有效", "valid"),
    Refunded => ("已退税", "partly refunded"),
});

string_enum! {
    /// A settlement batch's status.
    SettlementStatus {
        /// Submitted by the insurer, awaiting the bureau.
        Submitted = (0, "submitted"),
        /// The bureau confirmed receipt of the money.
        Confirmed = (1, "confirmed"),
    }
}

labels!(SettlementStatus {
    Submitted => ("待确认", "awaiting confirmation"),
    Confirmed => ("已确认", "confirmed"),
});

canonical_struct! {
    /// One tax year of a collection: the current year or a back-tax year (补缴).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct TaxLine {
        /// The tax year.
        pub year: u16,
        /// Months taxed (12, or fewer in the year of acquisition).
        pub months: u8,
        /// The annual tax after relief, fen.
        pub annual: i64 => fen,
        /// The year's tax: annual × months ÷ 12, rounded half-up to the fen.
        pub tax: i64 => fen,
        /// Days late: from the day after the year's deadline to the collection date.
        pub late_days: u32,
        /// Late fee (滞纳金): tax × 0.05 % per day late, rounded half-up, fen.
        pub late_fee: i64 => fen,
    }
}

canonical_struct! {
    /// An insurer's collection of vehicle tax with a compulsory-insurance policy.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct RecordCollection {
        /// The compulsory-insurance (交强险) policy number.
        pub policy_no: String,
        /// Plate number (号牌号码), e.g. `粤B12345` or `粤BD12345`.
        pub plate: String,
        /// Vehicle identification number, check digit verified.
        pub vin: Vin,
        /// Tax item.
        pub class: VehicleClass,
        /// Displacement in ml (passenger), seats (bus), curb weight in kg (truck), 0.
        pub size: u32,
        /// Energy type on the registration certificate.
        pub energy: Energy,
        /// Acquisition date (the date on the purchase invoice).
        pub acquired: ChinaDate,
        /// The owner's wallet account (shown as a QR code when buying the policy).
        pub owner: AccountId,
        /// The owner's name as on the registration certificate.
        pub owner_name: String,
        /// The owner's resident ID or USCC, masked (`440305********1234`).
        pub owner_id_masked: String,
        /// SHA-256 of a salt and the full resident ID or USCC (the salt stays with the
        /// owner and the insurer).
        pub owner_id_commitment: Hash32,
        /// The tax year collected.
        pub tax_year: u16,
        /// Earlier years collected as back tax (补缴), ascending.
        pub back_years: Vec<u16>,
        /// The relief the collector applied.
        pub relief: Relief,
        /// One line per year: back years ascending, then the tax year.
        pub lines: Vec<TaxLine>,
        /// Σ (tax + late fee), fen.
        pub total: i64 => fen,
    }
}

canonical_struct! {
    /// Names a collection (its id, the recording transaction's hash).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct CollectionRef {
        /// The collection id.
        pub collection: Hash32,
    }
}

canonical_struct! {
    /// The collecting insurer records a refund after a theft, scrapping or loss.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct RecordRefund {
        /// The collection refunded.
        pub collection: Hash32,
        /// What happened.
        pub event: RefundEvent,
        /// When (the date on the police, scrapping or loss certificate).
        pub event_date: ChinaDate,
        /// Months refunded: from the event's month to December, that month included.
        pub months: u8,
        /// The refund: annual × months ÷ 12, rounded half-up, fen.
        pub amount: i64 => fen,
    }
}

canonical_struct! {
    /// An insurer's settlement batch (结报): the collections it hands over and the
    /// refunds it paid out, netted.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct SubmitSettlement {
        /// Collections settled (each once).
        pub collections: Vec<Hash32>,
        /// Refunds settled (by their collection's id; each once).
        pub refunds: Vec<Hash32>,
        /// Σ collection totals, fen.
        pub collected: i64 => fen,
        /// Σ refund amounts, fen.
        pub refunded: i64 => fen,
        /// collected − refunded: what the insurer pays the bureau, fen.
        pub net: i64 => fen,
    }
}

canonical_struct! {
    /// Names a settlement batch (its id, the submitting transaction's hash).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct SettlementRef {
        /// The settlement id.
        pub settlement: Hash32,
    }
}

canonical_struct! {
    /// A refund as recorded against its collection.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Refund {
        /// What happened.
        pub event: RefundEvent,
        /// When.
        pub event_date: ChinaDate,
        /// Months refunded.
        pub months: u8,
        /// Amount refunded, fen.
        pub amount: i64 => fen,
        /// The date the insurer recorded it.
        pub recorded_on: ChinaDate,
        /// The settlement batch that settled it, once settled.
        pub settlement: Option<Hash32>,
    }
}

canonical_struct! {
    /// A collection as stored under `cert-collection/<id>`: private to the owner, the
    /// collecting insurer and the tax authority.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct CollectionRecord {
        /// What the collector recorded (amounts recomputed and equal).
        pub collection: RecordCollection,
        /// The collecting insurer's organisation id.
        pub insurer: String,
        /// The collector's account.
        pub collector: AccountId,
        /// The collection date (the block's China date).
        pub collected_on: ChinaDate,
        /// The block height.
        pub height: u64,
        /// The certificate exchanged for it, once exchanged.
        pub certificate: Option<u64>,
        /// The settlement batch that settled it, once settled.
        pub settlement: Option<Hash32>,
        /// The refund recorded against it, if any.
        pub refund: Option<Refund>,
    }
}

canonical_struct! {
    /// The public part of a certificate (`certificate/<number>`): what a check by number
    /// and plate reveals, and what a proof bundle proves.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct CertificatePublic {
        /// The certificate number (year ‖ 8-digit serial).
        pub number: u64,
        /// [`plate_tag`] of the number and the plate: a check must name the plate.
        pub plate_tag: Hash32,
        /// The tax year certified.
        pub tax_year: u16,
        /// The owner, masked (`李*` and the masked ID).
        pub owner_masked: String,
        /// The vehicle class.
        pub class: VehicleClass,
        /// Tax and late fees collected, fen.
        pub total: i64 => fen,
        /// The relief applied.
        pub relief: Relief,
        /// The collecting insurer's organisation id.
        pub insurer: String,
        /// Status.
        pub status: CertificateStatus,
        /// Refunded, fen (0 unless refunded).
        pub refunded: i64 => fen,
        /// The date it was issued.
        pub issued_on: ChinaDate,
        /// The collection it certifies.
        pub collection: Hash32,
    }
}

canonical_struct! {
    /// A settlement batch as stored under `cert-settlement/<id>`.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct SettlementRecord {
        /// The insurer's organisation id.
        pub insurer: String,
        /// Who submitted it.
        pub submitted_by: AccountId,
        /// When.
        pub submitted_on: ChinaDate,
        /// Collections settled.
        pub collections: Vec<Hash32>,
        /// Refunds settled (by collection id).
        pub refunds: Vec<Hash32>,
        /// Σ collection totals, fen.
        pub collected: i64 => fen,
        /// Σ refunds, fen.
        pub refunded: i64 => fen,
        /// collected − refunded, fen.
        pub net: i64 => fen,
        /// Status.
        pub status: SettlementStatus,
        /// The tax officer who confirmed receipt.
        pub confirmed_by: Option<AccountId>,
        /// When.
        pub confirmed_on: Option<ChinaDate>,
    }
}

/// The tag that binds a certificate to its plate: SHA-256 of
/// `_FAPIAO_CERTIFICATE_PLATE ‖ number (12 digits) ‖ plate`. A certificate's public
/// record names no plate; a check must bring it.
pub fn plate_tag(number: u64, plate: &str) -> Hash32 {
    let mut m = b"_FAPIAO_CERTIFICATE_PLATE".to_vec();
    m.extend_from_slice(certificate_number_text(number).as_bytes());
    m.extend_from_slice(plate.trim().as_bytes());
    sha256(&m)
}

/// The certificate number as printed: 12 digits, the year and an 8-digit serial.
pub fn certificate_number_text(number: u64) -> String {
    format!("{number:012}")
}

/// Parses a printed certificate number (12 digits: a year 2000–9999 and a serial from 1).
pub fn parse_certificate_number(s: &str) -> Option<u64> {
    let s = s.trim();
    if s.len() != 12 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u64 = s.parse().ok()?;
    let (year, serial) = (n / 100_000_000, n % 100_000_000);
    ((2000..=9999).contains(&year) && serial >= 1).then_some(n)
}
