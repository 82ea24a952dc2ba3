//! Golden fixtures of the cow bank: the canonical encoding of every action (inside a
//! transaction), every record and every key kind is frozen in `tests/fixtures/*.hex`.
//! A change here is a change of the chain format: update `docs/formats.md` §19 first.
//! The fixtures were written once by the bless mechanism when the types were new
//! (`FAPIAO_BLESS=1`, which must never be run against existing fixtures).

#![allow(clippy::inconsistent_digit_grouping)]

use commonware_codec::Encode;
use fapiao_cowbank_types::*;
use fapiao_types::*;

#[path = "../../types/tests/support/golden.rs"]
mod support;
use support::{check, check_actions};

const CODECS: ActionCodecs = ActionCodecs(&[&CowbankBodies]);

fn tag(n: u32) -> EarTag {
    EarTag::parse(&format!("2511222{n:08}")).unwrap()
}

fn slug(s: &str) -> Slug {
    Slug::parse(s).unwrap()
}

fn date(s: &str) -> ChinaDate {
    ChinaDate::parse(s).unwrap()
}

fn terms() -> ContractTerms {
    ContractTerms {
        collective_share_bp: 3000,
        cost_bearer: CostBearer::Collective,
        capital_return: true,
        calf_rule: CalfRule::HouseholdOwns,
        loss_rule: LossRule::CarryForward,
    }
}

/// One sample of every action, named as its fixture.
fn actions() -> Vec<(&'static str, CowbankAction)> {
    vec![
        (
            "tx_cowbank_register_household",
            CowbankAction::RegisterHousehold(RegisterHousehold {
                household: slug("h01"),
                name: "王大山".into(),
                resident_commitment: [0xC1; 32],
                group: "第三村民小组".into(),
                status: HouseholdStatus::Lifted,
                since: date("2021-03-01"),
                account: Some(AccountId([0x21; 32])),
            }),
        ),
        (
            "tx_cowbank_set_household_status",
            CowbankAction::SetHouseholdStatus(SetHouseholdStatus {
                household: slug("h01"),
                status: HouseholdStatus::Monitored,
                since: date("2026-06-30"),
            }),
        ),
        (
            "tx_cowbank_open_fund",
            CowbankAction::OpenFund(OpenFund {
                fund: slug("grant-2026"),
                name: "衔接资金".into(),
                source: FundSource::Grant,
                earmark: vec![Purpose::BuyCattle, Purpose::Insurance],
            }),
        ),
        (
            "tx_cowbank_record_inflow",
            CowbankAction::RecordInflow(RecordInflow {
                fund: slug("grant-2026"),
                amount: 20_000_000,
                source: Source::Grant,
                date: date("2026-01-05"),
                memo: "县农业农村局拨付".into(),
            }),
        ),
        (
            "tx_cowbank_record_outflow",
            CowbankAction::RecordOutflow(RecordOutflow {
                fund: slug("income"),
                amount: 35_000,
                purpose: Purpose::Infrastructure,
                date: date("2026-02-01"),
                memo: "牛棚修缮".into(),
            }),
        ),
        (
            "tx_cowbank_reverse_entry",
            CowbankAction::ReverseEntry(ReverseEntry {
                entry: 7,
                date: date("2026-02-02"),
                reason: "金额录错".into(),
            }),
        ),
        (
            "tx_cowbank_buy_animal",
            CowbankAction::BuyAnimal(BuyAnimal {
                tag: tag(1),
                breed: "西门塔尔".into(),
                sex: Sex::Female,
                born: Some(date("2024-04-10")),
                date: date("2026-01-10"),
                price: 1_200_000,
                fund: slug("grant-2026"),
                seller: "县良种场".into(),
            }),
        ),
        (
            "tx_cowbank_record_birth",
            CowbankAction::RecordBirth(RecordBirth {
                tag: tag(101),
                mother: tag(1),
                sex: Sex::Male,
                breed: "西门塔尔".into(),
                date: date("2026-09-18"),
            }),
        ),
        (
            "tx_cowbank_sign_contract",
            CowbankAction::SignContract(SignContract {
                household: slug("h01"),
                animals: vec![tag(1), tag(2)],
                start: date("2026-01-15"),
                end: date("2028-01-14"),
                terms: terms(),
            }),
        ),
        (
            "tx_cowbank_vaccinate",
            CowbankAction::Vaccinate(Vaccinate {
                tag: tag(1),
                date: date("2026-03-01"),
                vaccine: "口蹄疫".into(),
            }),
        ),
        (
            "tx_cowbank_insure",
            CowbankAction::Insure(Insure {
                tag: tag(1),
                policy: Policy {
                    policy: "PICC-NX-2026-0001".into(),
                    insurer: "中国人保财险".into(),
                    insured: 1_000_000,
                    until: date("2026-12-31"),
                },
            }),
        ),
        (
            "tx_cowbank_record_cost",
            CowbankAction::RecordCost(RecordCost {
                tag: tag(1),
                fund: slug("income"),
                amount: 12_050,
                purpose: Purpose::Vet,
                date: date("2026-05-05"),
                memo: "兽医出诊".into(),
            }),
        ),
        (
            "tx_cowbank_record_death",
            CowbankAction::RecordDeath(RecordDeath {
                tag: tag(2),
                date: date("2026-07-07"),
                lost: false,
                cause: "难产".into(),
                claim: Some(ClaimPayout {
                    claim: "CLM-0042".into(),
                    payout: 800_000,
                    fund: slug("grant-2026"),
                }),
            }),
        ),
        (
            "tx_cowbank_sell_animal",
            CowbankAction::SellAnimal(SellAnimal {
                tag: tag(1),
                buyer: "固原牛羊交易市场".into(),
                weight_kg: 612,
                price: 1_850_001,
                date: date("2026-11-20"),
                fund: slug("income"),
            }),
        ),
        (
            "tx_cowbank_file_report",
            CowbankAction::FileReport(FileReport { year: 2026, text: "全年出栏5头".into() }),
        ),
        (
            "tx_cowbank_countersign_report",
            CowbankAction::CountersignReport(CountersignReport {
                village: "wutong-village".into(),
                year: 2026,
                opinion: "账实相符".into(),
            }),
        ),
    ]
}

#[test]
fn every_action_encoding_is_frozen() {
    check_actions(actions(), CowbankAction::SPECS, CODECS, CowbankAction::name);
}

fn settlement() -> Settlement {
    Settlement {
        household: Some(slug("h01")),
        contract: Some([0xC0; 32]),
        collective_share_bp: 3000,
        price: 1_850_001,
        costs: 12_050,
        capital: 1_200_000,
        net: 637_951,
        collective_share: 191_385,
        household_share: 446_566,
        loss_recovered: 0,
        loss_carried: 0,
        household_payment: 446_566,
        collective_income: 1_403_435,
        capital_returned: 1_200_000,
    }
}

#[test]
fn every_record_encoding_is_frozen() {
    fn frozen<T: Encode + commonware_codec::Read<Cfg = ()> + PartialEq + core::fmt::Debug>(
        name: &str,
        v: &T,
    ) {
        check(name, &v.encode());
        assert_eq!(&decode_exact::<T>(&v.encode(), &()).unwrap(), v, "{name}");
    }
    frozen(
        "cowbank_household",
        &HouseholdRecord {
            name: "王大山".into(),
            resident_commitment: [0xC1; 32],
            group: "第三村民小组".into(),
            statuses: vec![
                StatusChange { status: HouseholdStatus::Lifted, since: date("2021-03-01") },
                StatusChange { status: HouseholdStatus::Monitored, since: date("2026-06-30") },
            ],
            account: None,
            sales: 1,
            paid: 446_566,
        },
    );
    frozen(
        "cowbank_fund",
        &FundRecord {
            name: "衔接资金".into(),
            source: FundSource::Grant,
            earmark: vec![Purpose::BuyCattle],
            balance: 8_000_000,
            total_in: 20_000_000,
            total_out: 12_000_000,
        },
    );
    frozen(
        "cowbank_entry",
        &EntryRecord {
            fund: slug("income"),
            direction: Direction::Out,
            amount: 446_566,
            source: None,
            purpose: Some(Purpose::HouseholdPayment),
            date: date("2026-11-20"),
            memo: String::new(),
            animal: Some(tag(1)),
            household: Some(slug("h01")),
            sale: Some([0x5A; 32]),
            reverses: None,
            reversed_by: Some(9),
            tx: [0x5A; 32],
        },
    );
    frozen(
        "cowbank_animal",
        &AnimalRecord {
            village: "wutong-village".into(),
            breed: "西门塔尔".into(),
            sex: Sex::Female,
            born: Some(date("2024-04-10")),
            acquired: date("2026-01-10"),
            purchase_price: 1_200_000,
            fund: Some(slug("grant-2026")),
            mother: None,
            owner: None,
            keeper: Some(slug("h01")),
            contract: Some([0xC0; 32]),
            status: AnimalStatus::Dead,
            status_date: Some(date("2026-07-07")),
            costs: 12_050,
            vaccinations: vec![Vaccination {
                date: date("2026-03-01"), vaccine: "口蹄疫".into()
            }],
            policy: Some(Policy {
                policy: "PICC-NX-2026-0001".into(),
                insurer: "中国人保财险".into(),
                insured: 1_000_000,
                until: date("2026-12-31"),
            }),
            claim: Some(Claim {
                claim: "CLM-0042".into(),
                payout: 800_000,
                fund: slug("grant-2026"),
            }),
            cause: "难产".into(),
            sale: None,
        },
    );
    frozen(
        "cowbank_contract",
        &ContractRecord {
            village: "wutong-village".into(),
            household: slug("h01"),
            animals: vec![tag(1), tag(101)],
            start: date("2026-01-15"),
            end: date("2028-01-14"),
            terms: terms(),
            carried_loss: 1_234,
            sales: 2,
        },
    );
    frozen(
        "cowbank_sale",
        &SaleRecord {
            village: "wutong-village".into(),
            animal: tag(1),
            seller: AccountId([0x21; 32]),
            buyer: "固原牛羊交易市场".into(),
            weight_kg: 612,
            date: date("2026-11-20"),
            fund: slug("income"),
            settlement: settlement(),
        },
    );
    frozen(
        "cowbank_report",
        &ReportRecord {
            year: 2026,
            text: "全年出栏5头".into(),
            figures: ReportFigures {
                herd: 21,
                bought: 20,
                born: 8,
                died: 2,
                sold: 5,
                inflow: 29_000_000,
                outflow: 25_000_000,
                paid_to_households: 2_000_000,
                balance: 4_000_000,
            },
            filed_by: AccountId([0x31; 32]),
            filed_at_ms: 1_796_000_000_000,
            countersigned: Some(Countersignature {
                by: AccountId([0x41; 32]),
                org: "sz-tax".into(),
                opinion: "账实相符".into(),
                at_ms: 1_796_000_100_000,
            }),
        },
    );
    frozen(
        "cowbank_village",
        &VillageRecord {
            households: 8,
            funds: 2,
            animals: 28,
            contracts: 8,
            sales: 5,
            reports: 1,
            entries: 60,
        },
    );
    frozen("cowbank_list_item", &ListItem { id: "h01".into() });
}

#[test]
fn every_key_kind_is_frozen() {
    let v = "wutong-village".to_string();
    let keys = vec![
        CowbankKey::Village(v.clone()),
        CowbankKey::List(v.clone(), ListKind::Animals, 12),
        CowbankKey::Household(v.clone(), slug("h01")),
        CowbankKey::Fund(v.clone(), slug("grant-2026")),
        CowbankKey::Entry(v.clone(), 0),
        CowbankKey::Animal(tag(1)),
        CowbankKey::Contract([0xC0; 32]),
        CowbankKey::Sale([0x5A; 32]),
        CowbankKey::Report(v, 2026),
    ];
    let mut kinds: Vec<&str> = keys.iter().map(CowbankKey::kind).collect();
    kinds.dedup();
    assert_eq!(kinds, CowbankKey::KINDS);
    let mut text = String::new();
    for k in &keys {
        let path = k.to_string();
        assert_eq!(&CowbankKey::parse(&path).unwrap(), k, "{path}");
        let state = StateKey::from(k);
        assert_eq!(CowbankKey::try_from(&state).unwrap(), *k);
        assert!(AppKey::parse(&path).is_ok(), "{path}");
        text.push_str(&path);
        text.push('\n');
    }
    check("cowbank_state_keys", text.as_bytes());
    for bad in [
        "cowbank-animal/144030600000017",
        "cowbank-entry/wutong-village/01",
        "cowbank-list/wutong-village/cows/0",
        "cowbank-report/wutong-village/99",
        "cowbank-household/Wutong/h01",
        "cowbank-fund/wutong-village",
        "cowbank-nothing/x",
    ] {
        assert!(CowbankKey::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn a_malformed_ear_tag_or_split_does_not_decode() {
    let (_, action) = actions().remove(6);
    let mut body = Vec::new();
    action.write_body(&mut body);
    // The tag's text starts after its length byte: make it a pig's (species 1).
    assert_eq!(&body[..2], &[15, b'2']);
    body[1] = b'1';
    assert!(CowbankBodies.body_len(0x66, &body).is_err());
}

/// Every action reads back from its JSON (the API's and the CLI's form): amounts in
/// yuan text, ids in hex, the action's name without `cowbank_` beside its fields.
#[test]
fn every_action_round_trips_through_json() {
    for (name, action) in actions() {
        let json = serde_json::to_value(&action).unwrap();
        assert_eq!(json["action"], name.trim_start_matches("tx_cowbank_"), "{json}");
        let back: CowbankAction = serde_json::from_value(json).unwrap();
        assert_eq!(back, action);
    }
    let sale: CowbankAction = serde_json::from_str(
        r#"{"action":"sell_animal","tag":"251122200000001","buyer":"市场","weight_kg":600,
            "price":"18500.01","date":"2026-11-20","fund":"income"}"#,
    )
    .unwrap();
    assert!(matches!(sale, CowbankAction::SellAnimal(SellAnimal { price: 18500_01, .. })));
    let bad = r#"{"action":"sell_animal","tag":"151122200000001","buyer":"市场","weight_kg":600,
            "price":"1","date":"2026-11-20","fund":"income"}"#;
    assert!(serde_json::from_str::<CowbankAction>(bad).is_err(), "a pig's tag");
}
