//! The tax-certificate application's story: Ping An's Shenzhen branch sells compulsory
//! motor insurance and collects the vehicle and vessel tax with it for a dozen vehicles —
//! petrol cars in several brackets, a pure-electric car, a plug-in hybrid, an
//! energy-saving car, a late payer with two back-tax years, a car bought this year, a
//! company truck, a bus and a motorcycle. Most owners exchange their collection for a
//! certificate in the wallet; Li Wei leaves his newest one for a newcomer to exchange.
//! The insurer settles a batch with the tax bureau, which confirms it, and a luxury car
//! is stolen: its refund runs from this month to December.
//!
//! Dates follow the clock: the tax year is the current one (China time) and the car
//! "bought this year" was bought in the current month at the latest, so the demo seeds
//! the same story on any day. Amounts are computed by the application's own
//! [`fapiao_certificate::collect::expected_lines`] on the node's tip, as an insurer's
//! console would; the chain recomputes them.

use crate::{
    story::{key_named, rand_salt, signed, submit_all_and_wait, SeedFuture},
    DemoMember, DemoOrg, Error, Result, Seeding, Story,
};
use fapiao_certificate::collect::expected_lines;
use fapiao_certificate_types::{
    CertificateAction, CertificateKey, CollectionRecord, CollectionRef, Energy, RecordCollection,
    RecordRefund, RefundEvent, SettlementRecord, SubmitSettlement, VehicleClass,
};
use fapiao_types::{sha256, Action, Hash32, OrgKind, Role, StateKey, Suite};
use fapiao_values::{ChinaDate, Vin};

/// The tax-certificate application's story.
pub struct CertificateStory;

const INSURER: &str = "pingan-insurance";
const INSURER_USCC: &str = "9144030071526726XG";
const COLLECTOR: &str = "Vehicle tax collector";

const ORGS: &[DemoOrg] = &[
    DemoOrg {
        id: INSURER,
        name: "中国平安财产保险深圳分公司",
        kind: OrgKind::Insurer,
        // A fictional USCC (valid check digits; the branch's real code is not used).
        tax_id: INSURER_USCC,
        // The collector also invoices: the policy's vehicle tax is invoiced to the owner
        // with the vehicle-tax block (特定要素) carrying the collection's figures.
        members: &[DemoMember::new(
            COLLECTOR,
            &[Role::InsurerCollector, Role::MerchantIssuer],
            Suite::Ed25519,
        )],
    },
    // Two more car owners with wallets on the consumer platform (Li Wei is the invoice
    // story's).
    DemoOrg {
        id: "wechat-pay",
        name: "深圳市腾讯计算机系统有限公司",
        kind: OrgKind::Platform,
        tax_id: "91440300708461136T",
        members: &[
            DemoMember::new("Wang Fang", &[Role::Consumer], Suite::Ed25519),
            DemoMember::new("Zhang Min", &[Role::Consumer], Suite::Ed25519),
        ],
    },
];

impl Story for CertificateStory {
    fn name(&self) -> &'static str {
        "certificate"
    }

    fn organisations(&self) -> &'static [DemoOrg] {
        ORGS
    }

    fn seed<'a>(&'a self, seeding: &'a Seeding<'a>) -> SeedFuture<'a> {
        Box::pin(seed(seeding))
    }
}

/// One demo vehicle.
struct Vehicle {
    owner: Owner,
    plate: &'static str,
    /// The VIN without its check digit (the first 16 characters count; the 9th of the
    /// VIN is computed).
    vin_stem: &'static str,
    class: VehicleClass,
    size: u32,
    energy: Energy,
    /// Acquisition: years before the current one (0: this year), month (0: the
    /// current month), day.
    acquired: (u32, u32, u32),
    /// Back-tax years, as years before the current one.
    back: &'static [u16],
    /// Whether the owner exchanges it for a certificate.
    exchange: bool,
}

const fn car(
    owner: Owner,
    plate: &'static str,
    vin_stem: &'static str,
    size: u32,
    energy: Energy,
    acquired: (u32, u32, u32),
) -> Vehicle {
    Vehicle {
        owner,
        plate,
        vin_stem,
        class: VehicleClass::Passenger,
        size,
        energy,
        acquired,
        back: &[],
        exchange: true,
    }
}

/// A vehicle's owner: a demo member with a wallet, as the registration certificate names
/// them.
#[derive(Clone, Copy)]
struct Owner {
    /// The demo member's name (its account is the wallet).
    member: &'static str,
    /// The name on the registration certificate.
    name: &'static str,
    /// The resident ID or USCC (only its mask and a salted commitment go on chain).
    id: &'static str,
}

const LI_WEI: Owner = Owner { member: "Li Wei", name: "李伟", id: "440305199003071236" };
const WANG_FANG: Owner = Owner { member: "Wang Fang", name: "王芳", id: "440304198811235621" };
const ZHANG_MIN: Owner = Owner { member: "Zhang Min", name: "张敏", id: "440306197505120015" };
const HUAWEI: Owner =
    Owner {
        member: "Huawei finance office", name: "华为技术有限公司", id: "914403001922038216"
    };
const METRO: Owner =
    Owner {
        member: "Metro finance", name: "深圳市地铁集团有限公司", id: "914403002796543264"
    };

/// The dozen vehicles, in collection order. The plate of the stolen car is
/// [`STOLEN_PLATE`]; the last of Li Wei's is left for a newcomer to exchange.
const VEHICLES: &[Vehicle] = &[
    // A 1.5 L petrol car bought three years ago: 360.00.
    car(LI_WEI, "粤B8K2M6", "LFV2A215H3012345", 1498, Energy::Conventional, (3, 4, 18)),
    // A pure-electric car: outside the tax, 0.00.
    car(WANG_FANG, "粤BD10086", "LGXCE4CB2P0123456", 0, Energy::PureElectric, (1, 9, 2)),
    // A plug-in hybrid 1.5 L: new-energy, exempt.
    car(WANG_FANG, "粤BF20357", "LGXC74C4XR0234567", 1497, Energy::PlugInHybrid, (2, 3, 11)),
    // Energy-saving 1.5 L: half of 360, 180.00.
    car(ZHANG_MIN, "粤B3Q7H9", "LVGBE40K5PG345678", 1496, Energy::EnergySaving, (4, 6, 30)),
    // A late payer: 2.4 L (720.00) with two back-tax years and their late fees.
    Vehicle {
        back: &[2, 1],
        ..car(ZHANG_MIN, "粤B6J5T2", "LSGPC54U9FF456789", 2384, Energy::Conventional, (5, 2, 14))
    },
    // A 0.998 L city car: 60.00.
    car(LI_WEI, "粤B2C8N1", "LSGSA58M1HY567890", 998, Energy::Conventional, (6, 8, 8)),
    // A 3.0 L SUV: 1,800.00.
    car(WANG_FANG, "粤B9U6P3", "WBAJB110XKB678901", 2998, Energy::Conventional, (2, 11, 23)),
    // A 4.4 L luxury car: 4,500.00 — stolen this month, refunded to December.
    car(ZHANG_MIN, STOLEN_PLATE, "WDDUG8GB5LA789012", 4395, Energy::Conventional, (3, 1, 9)),
    // Huawei's delivery truck, 4,495 kg: 96 × 4.495 = 431.52.
    Vehicle {
        owner: HUAWEI,
        plate: "粤BA7352",
        vin_stem: "LZGJLGN4XMX89012",
        class: VehicleClass::Truck,
        size: 4495,
        energy: Energy::Conventional,
        acquired: (2, 5, 5),
        back: &[],
        exchange: true,
    },
    // The metro's 35-seat shuttle bus: 510.00.
    Vehicle {
        owner: METRO,
        plate: "粤BK8810",
        vin_stem: "LKLR1KSE4NB90123",
        class: VehicleClass::Bus,
        size: 35,
        energy: Energy::Conventional,
        acquired: (3, 7, 1),
        back: &[],
        exchange: true,
    },
    // A motorcycle: 120.00.
    Vehicle {
        owner: LI_WEI,
        plate: "粤B5M6C7",
        vin_stem: "LCETDJ4F0P1012345",
        class: VehicleClass::Motorcycle,
        size: 0,
        energy: Energy::Conventional,
        acquired: (1, 4, 20),
        back: &[],
        exchange: true,
    },
    // Li Wei's new 2.0 L car bought this year, taxed from its month: left unexchanged.
    Vehicle {
        exchange: false,
        ..car(LI_WEI, "粤BM9R05", "LFV3B28R8N1123456", 1984, Energy::Conventional, (0, 0, 1))
    },
];

/// The plate of the car stolen in the demo.
pub const STOLEN_PLATE: &str = "粤B7L4X8";

/// The VIN of a stem (its first 16 characters): the check digit (ISO 3779) that makes
/// it valid goes in position 9.
fn vin(stem: &str) -> Result<Vin> {
    let (a, b) = (stem.get(..8).unwrap_or(stem), stem.get(8..16).unwrap_or(""));
    "0123456789X"
        .chars()
        .find_map(|c| Vin::parse(&format!("{a}{c}{b}")).ok())
        .ok_or_else(|| Error::Seed(format!("no check digit fits VIN stem {stem}")))
}

fn masked(id: &str) -> String {
    let n = id.len();
    let keep = |i: usize| i < 6 || i + 4 >= n;
    id.chars().enumerate().map(|(i, c)| if keep(i) { c } else { '*' }).collect()
}

fn date(y: u32, m: u32, d: u32) -> Result<ChinaDate> {
    ChinaDate::from_yyyymmdd(y * 10_000 + m * 100 + d)
        .map_err(|e| Error::Seed(format!("demo date {y}-{m}-{d}: {e}")))
}

async fn seed(h: &Seeding<'_>) -> Result<()> {
    let collector = key_named(h.planned, COLLECTOR)?;
    let today = ChinaDate::from_unix_ms(h.node.ledger.tip().header.time_ms.max(now_ms()));
    let year = today.year();
    let tax_year = u16::try_from(year).map_err(|_| Error::Seed("year out of range".into()))?;
    // Collections (a block may close after midnight China time: the chain then refuses
    // the late fees computed the day before; recompute and send again once).
    let mut recorded = Vec::new();
    for attempt in 0..2 {
        let mut txs = Vec::new();
        recorded.clear();
        for v in VEHICLES {
            let vin = vin(v.vin_stem)?;
            let taken = StateKey::from(CertificateKey::VehicleYear(vin, tax_year));
            if h.node.ledger.get::<Hash32>(&taken)?.is_some() {
                continue;
            }
            let owner = key_named(h.planned, v.owner.member)?.account_id();
            let (ago, month, day) = v.acquired;
            let month = if month == 0 { today.month().month_of_year() } else { month };
            let mut c = RecordCollection {
                policy_no: format!("PDAA{year}4403{:07}", 1000 + txs.len()),
                plate: v.plate.into(),
                vin,
                class: v.class,
                size: v.size,
                energy: v.energy,
                acquired: date(year - ago, month, day)?,
                owner,
                owner_name: v.owner.name.into(),
                owner_id_masked: masked(v.owner.id),
                owner_id_commitment: commitment(v.owner.id),
                tax_year,
                back_years: v.back.iter().map(|b| tax_year.saturating_sub(*b)).collect(),
                relief: fapiao_certificate::compute::relief(v.class, v.energy),
                lines: Vec::new(),
                total: 0,
            };
            c.lines = expected_lines(&h.node.ledger.view(), &c, today)
                .map_err(|e| Error::Seed(format!("vehicle {}: {e}", v.plate)))?;
            c.total = c.lines.iter().map(|l| l.tax + l.late_fee).sum();
            recorded.push((v, c.clone()));
            let action = Action::from(CertificateAction::RecordCollection(c));
            txs.push(signed(h, collector, action));
        }
        match submit_all_and_wait(h, txs).await {
            Ok(()) => break,
            Err(e) if attempt == 0 => tracing::warn!("certificate story: {e}; recomputing once"),
            Err(e) => return Err(e),
        }
    }
    invoice_collections(h, &recorded).await?;
    let collections = collections(h, tax_year)?;
    // Exchanges: every owner but Li Wei's newest car.
    let mut txs = Vec::new();
    for (v, (id, record)) in VEHICLES.iter().zip(&collections) {
        if v.exchange && record.certificate.is_none() {
            let owner = key_named(h.planned, v.owner.member)?;
            let action = CertificateAction::ExchangeCertificate(CollectionRef { collection: *id });
            txs.push(signed(h, owner, Action::from(action)));
        }
    }
    submit_all_and_wait(h, txs).await?;
    // One settlement batch: the first eight collections, confirmed by the bureau.
    let batch: Vec<(Hash32, &CollectionRecord)> =
        collections.iter().take(8).map(|(id, r)| (*id, r)).collect();
    if batch.iter().all(|(_, r)| r.settlement.is_none()) {
        let collected: i64 = batch.iter().map(|(_, r)| r.collection.total).sum();
        let action = CertificateAction::SubmitSettlement(SubmitSettlement {
            collections: batch.iter().map(|(id, _)| *id).collect(),
            refunds: Vec::new(),
            collected,
            refunded: 0,
            net: collected,
        });
        let stx = signed(h, collector, Action::from(action));
        let id = stx.hash();
        submit_all_and_wait(h, vec![stx]).await?;
        let officer = key_named(h.planned, "Officer Chen")?;
        let confirm =
            CertificateAction::ConfirmSettlement(fapiao_certificate_types::SettlementRef {
                settlement: id,
            });
        submit_all_and_wait(h, vec![signed(h, officer, Action::from(confirm))]).await?;
        let key = StateKey::from(CertificateKey::Settlement(id));
        if h.node.ledger.get::<SettlementRecord>(&key)?.is_none() {
            return Err(Error::Seed("the settlement batch is not on chain".into()));
        }
    }
    // The luxury car is stolen today: the rest of the year is refunded.
    let stolen = VEHICLES.iter().position(|v| v.plate == STOLEN_PLATE);
    if let Some((id, record)) = stolen.and_then(|i| collections.get(i)) {
        if record.refund.is_none() {
            let view = h.node.ledger.view();
            let schedule = fapiao_certificate::collect::schedule_for(
                &view,
                tax_year,
                record.collection.acquired,
            )
            .map_err(|e| Error::Seed(e.to_string()))?;
            let annual = fapiao_certificate::collect::annual(&schedule, &record.collection)
                .map_err(|e| Error::Seed(e.to_string()))?;
            let year_tax = record.collection.lines.last().map_or(0, |l| l.tax);
            let (months, amount) = fapiao_certificate::compute::refund(
                annual,
                today.month().month_of_year(),
                year_tax,
            );
            let action = CertificateAction::RecordRefund(RecordRefund {
                collection: *id,
                event: RefundEvent::Stolen,
                event_date: today,
                months,
                amount,
            });
            submit_all_and_wait(h, vec![signed(h, collector, Action::from(action))]).await?;
        }
    }
    Ok(())
}

/// The insurer invoices each collection that collected tax (an exempt vehicle has no
/// invoice) to the owner's wallet, the tax out of VAT scope as the line and the
/// vehicle-tax block with the collection's figures.
async fn invoice_collections(
    h: &Seeding<'_>,
    recorded: &[(&Vehicle, RecordCollection)],
) -> Result<()> {
    use fapiao_invoice_types::{
        CreditRecord, GrantCredit, Industry, InvoiceAction, InvoiceKey, IssueInvoice, LineInput,
        VehicleVesselTax,
    };
    let taxed: Vec<&(&Vehicle, RecordCollection)> =
        recorded.iter().filter(|(_, c)| c.total > 0).collect();
    if taxed.is_empty() {
        return Ok(());
    }
    let seller: fapiao_types::Uscc = INSURER_USCC
        .parse()
        .map_err(|e: fapiao_values::Error| Error::Seed(format!("insurer USCC: {e}")))?;
    let credit = StateKey::from(InvoiceKey::Credit(seller));
    if h.node.ledger.get::<CreditRecord>(&credit)?.is_none() {
        let officer = key_named(h.planned, "Officer Chen")?;
        let grant =
            InvoiceAction::GrantCredit(GrantCredit { uscc: seller, monthly_ceiling: 10_000_000 });
        submit_all_and_wait(h, vec![signed(h, officer, Action::from(grant))]).await?;
    }
    let collector = key_named(h.planned, COLLECTOR)?;
    let mut txs = Vec::new();
    for (vehicle, c) in taxed {
        let tax: i64 = c.lines.iter().map(|l| l.tax).sum();
        let late_fee: i64 = c.lines.iter().map(|l| l.late_fee).sum();
        let first = c.lines.first();
        let start_month = first.map_or(1, |l| 13 - u32::from(l.months));
        let tax_period = match first {
            Some(l) if c.lines.len() == 1 && l.months == 12 => l.year.to_string(),
            Some(l) => format!("{}-{start_month:02}..{}-12", l.year, c.tax_year),
            None => c.tax_year.to_string(),
        };
        let issue = IssueInvoice {
            seller,
            kind: fapiao_values::InvoiceKind::Ordinary,
            type_code: "82".into(),
            buyer: owner_buyer(vehicle, c),
            lines: vec![LineInput {
                name: "*代收车船税*车船税".into(),
                // 613 代收车船税 of the goods-and-services tax classification codes.
                tax_code: "6130000000000000000".into(),
                spec: String::new(),
                unit: String::new(),
                quantity: None,
                unit_price: None,
                amount: Some(c.total),
                gross: None,
                rate: fapiao_types::RateCode::OutOfScope,
                tax: None,
            }],
            remarks: format!("交强险保单 {}", c.policy_no),
            salt: rand_salt(),
            industry: Some(Industry::VehicleVesselTax(VehicleVesselTax {
                policy_no: c.policy_no.clone(),
                plate: c.plate.clone(),
                vin: c.vin,
                tax_period,
                tax,
                late_fee,
                total: c.total,
            })),
        };
        txs.push(signed(h, collector, Action::from(InvoiceAction::IssueInvoice(issue))));
    }
    submit_all_and_wait(h, txs).await
}

/// The invoice's buyer: a person's invoice goes to the owner's wallet; an enterprise
/// (its owner ID a USCC) is invoiced by its taxpayer id, as enterprises receive invoices.
fn owner_buyer(v: &Vehicle, c: &RecordCollection) -> fapiao_invoice_types::Buyer {
    use fapiao_invoice_types::{Buyer, BuyerKind};
    match v.owner.id.parse::<fapiao_types::Uscc>().ok() {
        Some(uscc) => Buyer {
            kind: BuyerKind::Enterprise,
            name: c.owner_name.clone(),
            tax_id: Some(uscc),
            holder: None,
        },
        None => Buyer {
            kind: BuyerKind::Person,
            name: c.owner_name.clone(),
            tax_id: None,
            holder: Some(c.owner),
        },
    }
}

/// The demo vehicles' collections of `tax_year`, in [`VEHICLES`] order.
fn collections(h: &Seeding<'_>, tax_year: u16) -> Result<Vec<(Hash32, CollectionRecord)>> {
    let mut out = Vec::with_capacity(VEHICLES.len());
    for v in VEHICLES {
        let vin = vin(v.vin_stem)?;
        let taken = StateKey::from(CertificateKey::VehicleYear(vin, tax_year));
        let id = h
            .node
            .ledger
            .get::<Hash32>(&taken)?
            .ok_or_else(|| Error::Seed(format!("no collection for {}", v.plate)))?;
        let record = h
            .node
            .ledger
            .get::<CollectionRecord>(&StateKey::from(CertificateKey::Collection(id)))?
            .ok_or_else(|| Error::Seed(format!("collection of {} missing", v.plate)))?;
        out.push((id, record));
    }
    Ok(out)
}

/// The salted commitment to an owner's full ID (the salt would stay with the owner and
/// the insurer; the demo does not keep it).
fn commitment(id: &str) -> Hash32 {
    let mut m = rand_salt().to_vec();
    m.extend_from_slice(id.as_bytes());
    sha256(&m)
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_vin_and_plate_is_valid_and_unique() {
        let mut vins = std::collections::BTreeSet::new();
        for v in VEHICLES {
            let vin = vin(v.vin_stem).unwrap();
            assert!(vins.insert(vin), "{}", v.plate);
            assert!(fapiao_certificate::collect::valid_plate(v.plate), "{}", v.plate);
        }
        assert_eq!(VEHICLES.len(), 12);
        assert_eq!(masked(LI_WEI.id), "440305********1236");
    }

    #[test]
    fn every_demo_owner_id_passes_its_check_digit() {
        for o in [LI_WEI, WANG_FANG, ZHANG_MIN] {
            assert!(fapiao_values::ResidentId::parse(o.id).is_ok(), "{}", o.id);
        }
    }
}
