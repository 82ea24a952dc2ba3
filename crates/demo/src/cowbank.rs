//! The village cow bank's story: Wutong village (梧桐村) runs a cow bank with a
//! rural-revitalisation grant. On first start its manager registers eight households
//! (脱贫户 and 防止返贫监测对象), opens the grant (earmarked for cattle, insurance and vet
//! care) and the collective's income fund, buys twenty cows, insures and vaccinates them,
//! hands sixteen to the households under contract (one household on 25/75 and its own
//! costs), records a year of births, two deaths (one insured, with its claim's payout),
//! five sales settled by their contracts (one by a household selling the calf it owns,
//! one at a loss), and files the annual report, which the township's official
//! countersigns.
//!
//! Every step checks the chain first, so a demo stopped half-way seeds the rest on its
//! next start.

use crate::{
    story::{key_named, rand_salt, signed, submit_all_and_wait, SeedFuture},
    DemoMember, DemoOrg, Error, Result, Seeding, Story,
};
use fapiao_cowbank_types::*;
use fapiao_crypto::SigningKey;
use fapiao_types::{Action, ChinaDate, OrgKind, Role, SignedTx, StateKey, Suite};

/// The village's organisation id.
pub const VILLAGE: &str = "wutong-village";
const MANAGER: &str = "Collective manager";
const HOUSEHOLD: &str = "Household Wang";
const OFFICIAL: &str = "Township official";
/// The county of the village's ear tags (GB/T 2260).
const COUNTY: &str = "511622";

/// The cow bank's story.
pub struct CowbankStory;

impl Story for CowbankStory {
    fn name(&self) -> &'static str {
        "cowbank"
    }

    fn organisations(&self) -> &'static [DemoOrg] {
        ORGS
    }

    fn seed<'a>(&'a self, seeding: &'a Seeding<'a>) -> SeedFuture<'a> {
        Box::pin(seed(seeding))
    }

    fn notes(&self, _demo_dir: &std::path::Path, base: &str) -> Vec<String> {
        vec![format!("Village cow bank, open books: {base}/village?v={VILLAGE}")]
    }
}

const ORGS: &[DemoOrg] = &[
    DemoOrg {
        id: "sz-tax",
        name: "国家税务总局深圳市税务局",
        kind: OrgKind::TaxAuthority,
        tax_id: "",
        members: &[DemoMember::new(OFFICIAL, &[Role::Auditor], Suite::Ed25519)],
    },
    DemoOrg {
        id: VILLAGE,
        name: "梧桐村股份经济合作社",
        kind: OrgKind::Collective,
        tax_id: "",
        members: &[
            DemoMember::new(MANAGER, &[Role::CollectiveManager], Suite::Ed25519),
            DemoMember::new(HOUSEHOLD, &[], Suite::Ed25519),
        ],
    },
];

/// The households: id, head of household, group, status, since.
const HOUSEHOLDS: &[(&str, &str, &str, HouseholdStatus, &str)] = &[
    ("h01", "王大山", "一组", HouseholdStatus::Lifted, "2020-12-20"),
    ("h02", "李秀英", "一组", HouseholdStatus::Lifted, "2020-12-20"),
    ("h03", "张建国", "二组", HouseholdStatus::Monitored, "2022-05-10"),
    ("h04", "刘玉兰", "二组", HouseholdStatus::Lifted, "2020-12-20"),
    ("h05", "陈志强", "三组", HouseholdStatus::Monitored, "2023-03-15"),
    ("h06", "杨桂芳", "三组", HouseholdStatus::Lifted, "2020-12-20"),
    ("h07", "赵永福", "四组", HouseholdStatus::Monitored, "2024-07-01"),
    ("h08", "黄春梅", "四组", HouseholdStatus::Lifted, "2020-12-20"),
];

/// Births: calf serial, mother serial, sex, date.
const BIRTHS: &[(u32, u32, Sex, &str)] = &[
    (101, 2, Sex::Female, "2026-03-18"),
    (102, 4, Sex::Male, "2026-04-02"),
    (103, 6, Sex::Female, "2026-05-11"),
    (104, 10, Sex::Male, "2026-06-23"),
    (105, 12, Sex::Female, "2026-07-30"),
    (106, 14, Sex::Male, "2026-08-14"),
    (107, 16, Sex::Female, "2026-09-05"),
    (108, 18, Sex::Male, "2026-10-09"),
];

/// Sales: serial, buyer, kg, price in fen, date, sold by the household (else the manager).
const SALES: &[(u32, &str, u32, i64, &str, bool)] = &[
    (1, "固原牛羊交易市场", 620, 1_850_000, "2026-10-12", false),
    (3, "固原牛羊交易市场", 575, 1_580_000, "2026-10-12", false),
    (101, "邻村养殖场", 210, 620_000, "2026-11-02", true),
    (17, "县肉联厂", 560, 1_400_000, "2026-11-08", false),
    (9, "县肉联厂", 480, 1_150_000, "2026-11-15", false),
];

fn tag(serial: u32) -> Result<EarTag> {
    EarTag::parse(&format!("2{COUNTY}{serial:08}")).map_err(|e| Error::Seed(e.to_string()))
}

fn slug(s: &str) -> Result<Slug> {
    Slug::parse(s).map_err(|e| Error::Seed(e.to_string()))
}

fn date(s: &str) -> Result<ChinaDate> {
    ChinaDate::parse(s).map_err(|e| Error::Seed(e.to_string()))
}

/// A made-up resident ID of the county (valid check character), committed with a fresh
/// salt: the chain only ever sees the commitment.
fn commitment(n: usize) -> Result<fapiao_types::Hash32> {
    let body = format!("{COUNTY}1970{:02}{:02}{:03}", n % 12 + 1, 10 + n % 9, n * 7 % 1000);
    let bytes: [u8; 17] =
        body.as_bytes().try_into().map_err(|_| Error::Seed(format!("resident id body {body}")))?;
    // GB 11643: the weighted sum of the seventeen digits, modulo 11, picks the check
    // character.
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = bytes.iter().zip(WEIGHTS).map(|(b, w)| u32::from(b - b'0') * w).sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    let id = fapiao_values::ResidentId::parse(&format!("{body}{check}"))
        .map_err(|e| Error::Seed(e.to_string()))?;
    Ok(resident_commitment(&id, &rand_salt()))
}

fn get<T: commonware_codec::Read<Cfg = ()>>(h: &Seeding<'_>, key: CowbankKey) -> Result<Option<T>> {
    Ok(h.node.ledger.get::<T>(&StateKey::from(key))?)
}

fn animal(h: &Seeding<'_>, serial: u32) -> Result<Option<AnimalRecord>> {
    get(h, CowbankKey::Animal(tag(serial)?))
}

async fn send(h: &Seeding<'_>, key: &SigningKey, actions: Vec<CowbankAction>) -> Result<()> {
    let txs: Vec<SignedTx> = actions.into_iter().map(|a| signed(h, key, Action::from(a))).collect();
    submit_all_and_wait(h, txs).await
}

async fn seed(h: &Seeding<'_>) -> Result<()> {
    let manager = key_named(h.planned, MANAGER)?;
    let household = key_named(h.planned, HOUSEHOLD)?;
    let official = key_named(h.planned, OFFICIAL)?;
    let v = VILLAGE.to_string();

    // Households and funds.
    let mut batch = Vec::new();
    for (i, (id, name, group, status, since)) in HOUSEHOLDS.iter().enumerate() {
        if get::<HouseholdRecord>(h, CowbankKey::Household(v.clone(), slug(id)?))?.is_some() {
            continue;
        }
        batch.push(CowbankAction::RegisterHousehold(RegisterHousehold {
            household: slug(id)?,
            name: (*name).into(),
            resident_commitment: commitment(i)?,
            group: (*group).into(),
            status: *status,
            since: date(since)?,
            account: (i == 0).then(|| household.account_id()),
        }));
    }
    let funds = [
        (
            "grant-2026",
            "2026年衔接推进乡村振兴补助资金",
            FundSource::Grant,
            vec![Purpose::BuyCattle, Purpose::Insurance, Purpose::Vet],
        ),
        ("income", "村集体经营收入", FundSource::CollectiveIncome, vec![]),
    ];
    for (id, name, source, earmark) in &funds {
        if get::<FundRecord>(h, CowbankKey::Fund(v.clone(), slug(id)?))?.is_none() {
            batch.push(CowbankAction::OpenFund(OpenFund {
                fund: slug(id)?,
                name: (*name).into(),
                source: *source,
                earmark: earmark.clone(),
            }));
        }
    }
    send(h, manager, batch).await?;

    // Money in: the grant, and the collective's own income.
    let mut batch = Vec::new();
    let inflows = [
        ("grant-2026", 30_000_000, Source::Grant, "2026-01-05", "县农业农村局拨付衔接资金"),
        ("income", 2_000_000, Source::Income, "2026-01-08", "集体土地流转收入"),
    ];
    for (fund, amount, source, day, memo) in inflows {
        let f: Option<FundRecord> = get(h, CowbankKey::Fund(v.clone(), slug(fund)?))?;
        if f.is_some_and(|f| f.total_in == 0) {
            batch.push(CowbankAction::RecordInflow(RecordInflow {
                fund: slug(fund)?,
                amount,
                source,
                date: date(day)?,
                memo: memo.into(),
            }));
        }
    }
    send(h, manager, batch).await?;

    // Twenty cows bought with the grant.
    let mut batch = Vec::new();
    for n in 1..=20u32 {
        if animal(h, n)?.is_some() {
            continue;
        }
        batch.push(CowbankAction::BuyAnimal(BuyAnimal {
            tag: tag(n)?,
            breed: if n % 3 == 0 { "安格斯" } else { "西门塔尔" }.into(),
            sex: Sex::Female,
            born: Some(date(&format!("2024-0{}-1{}", n % 9 + 1, n % 10))?),
            date: date(&format!("2026-01-{}", 10 + n % 10))?,
            price: 1_200_000 + i64::from(n % 4) * 50_000,
            fund: slug("grant-2026")?,
            seller: "县良种繁育场".into(),
        }));
    }
    send(h, manager, batch).await?;

    // Insured and vaccinated while still the collective's (the premium is a cost of each
    // cow, recovered when it is sold).
    let mut batch = Vec::new();
    for n in 1..=20u32 {
        let Some(a) = animal(h, n)? else { continue };
        if a.policy.is_none() {
            batch.push(CowbankAction::Insure(Insure {
                tag: tag(n)?,
                policy: Policy {
                    policy: format!("PICC-NX-2026-{n:04}"),
                    insurer: "中国人民财产保险".into(),
                    insured: 1_000_000,
                    until: date("2026-12-31")?,
                },
            }));
            batch.push(CowbankAction::RecordCost(RecordCost {
                tag: tag(n)?,
                fund: slug("grant-2026")?,
                amount: 30_000,
                purpose: Purpose::Insurance,
                date: date("2026-01-20")?,
                memo: "能繁母牛保险保费".into(),
            }));
        }
        if a.vaccinations.is_empty() {
            batch.push(CowbankAction::Vaccinate(Vaccinate {
                tag: tag(n)?,
                date: date("2026-03-01")?,
                vaccine: "口蹄疫".into(),
            }));
        }
    }
    send(h, manager, batch).await?;

    // Two cows to each household; h05 on 25/75, paying its own feed and vet.
    let mut batch = Vec::new();
    for (i, (id, ..)) in HOUSEHOLDS.iter().enumerate() {
        let first = 2 * i as u32 + 1;
        if animal(h, first)?.is_some_and(|a| a.contract.is_some()) {
            continue;
        }
        let own_costs = *id == "h05";
        batch.push(CowbankAction::SignContract(SignContract {
            household: slug(id)?,
            animals: vec![tag(first)?, tag(first + 1)?],
            start: date("2026-02-01")?,
            end: date("2028-01-31")?,
            terms: ContractTerms {
                collective_share_bp: if own_costs { 2500 } else { 3000 },
                cost_bearer: if own_costs { CostBearer::Household } else { CostBearer::Collective },
                capital_return: true,
                calf_rule: CalfRule::HouseholdOwns,
                loss_rule: LossRule::CarryForward,
            },
        }));
    }
    send(h, manager, batch).await?;

    // A year of births, and a vet's visit paid by the collective.
    let mut batch = Vec::new();
    for (calf, mother, sex, day) in BIRTHS {
        if animal(h, *calf)?.is_none() {
            batch.push(CowbankAction::RecordBirth(RecordBirth {
                tag: tag(*calf)?,
                mother: tag(*mother)?,
                sex: *sex,
                breed: "西门塔尔".into(),
                date: date(day)?,
            }));
        }
    }
    if animal(h, 2)?.is_some_and(|a| a.costs == 30_000) {
        batch.push(CowbankAction::RecordCost(RecordCost {
            tag: tag(2)?,
            fund: slug("grant-2026")?,
            amount: 18_000,
            purpose: Purpose::Vet,
            date: date("2026-03-19")?,
            memo: "产后护理".into(),
        }));
    }
    send(h, manager, batch).await?;

    // Two deaths: an insured cow (the claim pays into the grant) and a calf.
    let mut batch = Vec::new();
    if animal(h, 7)?.is_some_and(|a| a.status == AnimalStatus::Kept) {
        batch.push(CowbankAction::RecordDeath(RecordDeath {
            tag: tag(7)?,
            date: date("2026-06-15")?,
            lost: false,
            cause: "急性瘤胃臌气".into(),
            claim: Some(ClaimPayout {
                claim: "PICC-CLM-2026-0615".into(),
                payout: 900_000,
                fund: slug("grant-2026")?,
            }),
        }));
    }
    if animal(h, 105)?.is_some_and(|a| a.status == AnimalStatus::Kept) {
        batch.push(CowbankAction::RecordDeath(RecordDeath {
            tag: tag(105)?,
            date: date("2026-08-20")?,
            lost: false,
            cause: "犊牛腹泻".into(),
            claim: None,
        }));
    }
    send(h, manager, batch).await?;

    // Five sales, settled by their contracts; the calf by the household that owns it.
    let (mut by_manager, mut by_household) = (Vec::new(), Vec::new());
    for (serial, buyer, kg, price, day, household_sells) in SALES {
        if animal(h, *serial)?.is_none_or(|a| a.status != AnimalStatus::Kept) {
            continue;
        }
        let sale = CowbankAction::SellAnimal(SellAnimal {
            tag: tag(*serial)?,
            buyer: (*buyer).into(),
            weight_kg: *kg,
            price: *price,
            date: date(day)?,
            fund: slug("income")?,
        });
        if *household_sells {
            by_household.push(sale);
        } else {
            by_manager.push(sale);
        }
    }
    send(h, manager, by_manager).await?;
    send(h, household, by_household).await?;

    // The annual report, countersigned by the township.
    let report: Option<ReportRecord> = get(h, CowbankKey::Report(v.clone(), 2026))?;
    if report.is_none() {
        send(
            h,
            manager,
            vec![CowbankAction::FileReport(FileReport {
                year: 2026,
                text:
                    "2026年村集体以衔接资金购入能繁母牛20头，交8户脱贫户和监测户饲养；全年产犊8头，\
                       死亡2头（1头获保险理赔），出售5头，收益按合同三七分成并已兑付农户。"
                        .into(),
            })],
        )
        .await?;
    }
    let report: Option<ReportRecord> = get(h, CowbankKey::Report(v.clone(), 2026))?;
    if report.is_some_and(|r| r.countersigned.is_none()) {
        send(
            h,
            official,
            vec![CowbankAction::CountersignReport(CountersignReport {
                village: v,
                year: 2026,
                opinion: "经核对，账实相符，收益分配符合合同约定。".into(),
            })],
        )
        .await?;
    }
    Ok(())
}
