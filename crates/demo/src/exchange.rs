//! The department exchange's story: the tax bureau, police, customs and the central
//! bank's Shenzhen branch — and, for personal income tax, the education, human-resources,
//! health-insurance and housing-fund departments — register their encryption keys and
//! publish their catalogues; each runs a responder (`fapiao responder`) over its own
//! SQLite database, from `assets/exchange/*.sql`; the bureau shares a watch key with the
//! four intelligence departments; customs watches one of the ring companies for
//! export-rebate fraud and the bureau's responder feeds its risk alerts into its watch
//! list, flagging the same company as an invoice mill, which raises a joint alert; Li Wei registers, declares
//! his 2026 deductions with Huawei as withholding agent and consents to the bureau's
//! checks; the bureau asks the source departments, and once their responders have
//! answered, records what it verified. Every read of Li Wei's data is in his access log.
//!
//! Keys: each department's decryption key is generated into the node's secrets
//! directory (`DIR/secrets/exchange/<org>/key-1.toml`), which the responders read too.
//! The responders' configurations, databases and tokens are under `DIR/demo/responders`.
//! Every step checks the chain first, so a demo stopped half-way seeds the rest on its
//! next start.

use crate::{
    story::{key_named, signed, submit_all_and_wait, SeedFuture},
    DemoMember, DemoOrg, Error, Result, Seeding, Story,
};
use fapiao_envelope::{binding, KeyFile, SecretKey, Suite as EnvSuite};
use fapiao_exchange_api::secrets::{addressed_aad, deduction_info, watch_key_info};
use fapiao_exchange_types::*;
use fapiao_types::{Action, OrgKind, Role, StateKey, Suite};
use std::path::{Path, PathBuf};

/// The exchange's story.
pub struct ExchangeStory;

impl Story for ExchangeStory {
    fn name(&self) -> &'static str {
        "exchange"
    }

    fn organisations(&self) -> &'static [DemoOrg] {
        ORGS
    }

    fn seed<'a>(&'a self, seeding: &'a Seeding<'a>) -> SeedFuture<'a> {
        Box::pin(seed(seeding))
    }

    fn notes(&self, _demo_dir: &Path, base: &str) -> Vec<String> {
        vec![
            format!("Department exchange desk: {base}/exchange/desk (sign in as Customs desk)"),
            format!("Li Wei's data and access log: {base}/exchange/me"),
        ]
    }
}

const EX: &[Role] = &[Role::ExchangeOfficer];
const TAX_DESK: &str = "Tax exchange desk";
const LI_WEI: &str = "Li Wei";
/// Li Wei's resident ID (the certificate story's; GB 11643 check digit valid).
const LI_WEI_ID: &str = "440305199003071236";
/// His daughter's, enrolled in primary school (`assets/exchange/education.sql`).
const CHILD_ID: &str = "440305201805154324";
/// The ring company customs and the bureau both watch (the invoice story's shell A).
const RING_COMPANY: &str = "91440300MA5D1X2Q9B";
/// The purpose Li Wei's consents and the bureau's checks name.
const IIT_PURPOSE: &str = "IIT-2026-440305";
/// The tax year declared.
const YEAR: u16 = 2026;

/// A department of the demo, with its responder.
struct Dept {
    org: &'static str,
    desk: Option<&'static str>,
    responder: &'static str,
    /// The national suite (SM2 + SM4-GCM) rather than HPKE.
    national: bool,
    /// Its database, `assets/exchange/<sql>.sql`.
    sql: &'static str,
    /// Its catalogue: item, title, subject kind, answer fields, askers, legal basis,
    /// consent, and the responder's SQL with the names its `$n` bind.
    items: &'static [Item],
}

struct Item {
    id: &'static str,
    title: &'static str,
    subject: SubjectKind,
    fields: &'static [&'static str],
    askers: &'static [&'static str],
    consent: bool,
    sql: &'static str,
    params: &'static [&'static str],
}

const TAX_LAW: &str = "《中华人民共和国税收征收管理法》第五条";
const IIT_LAW: &str = "《中华人民共和国个人所得税法》第十五条";
const INTEL: &[&str] = &["sz-tax", "sz-police", "sz-customs", "pbc-shenzhen"];

const fn item(
    id: &'static str,
    title: &'static str,
    subject: SubjectKind,
    fields: &'static [&'static str],
    askers: &'static [&'static str],
    consent: bool,
    (sql, params): (&'static str, &'static [&'static str]),
) -> Item {
    Item { id, title, subject, fields, askers, consent, sql, params }
}

use SubjectKind::{ResidentId as Rid, Uscc as Org};

const DEPTS: &[Dept] = &[
    Dept {
        org: "sz-tax",
        desk: Some(TAX_DESK),
        responder: "Tax responder",
        national: true,
        sql: "tax",
        items: &[
            item("tax.taxpayer_status", "纳税人登记状态", Org, &["name", "status", "registered"],
                &["sz-police", "sz-customs", "pbc-shenzhen"], false,
                ("SELECT name, status, registered FROM taxpayers WHERE uscc = $1", &["subject"])),
            item("tax.risk_flags", "涉税风险标记", Org, &["flag", "raised"],
                &["sz-police", "sz-customs", "pbc-shenzhen"], false,
                ("SELECT flag, raised FROM risk_flags WHERE uscc = $1", &["subject"])),
        ],
    },
    Dept {
        org: "sz-police",
        desk: Some("Police desk"),
        responder: "Police responder",
        national: true,
        sql: "police",
        items: &[
            item("police.identity", "居民身份核查", Rid, &["name", "birth_date", "status"],
                &["sz-tax", "sz-customs", "pbc-shenzhen"], false,
                ("SELECT name, birth_date, status FROM residents WHERE resident_id = $1", &["subject"])),
            item("police.vehicle_owner", "机动车所有人查询", Rid, &["plate", "vin", "registered"],
                &["sz-tax", "sz-customs"], false,
                ("SELECT plate, vin, registered FROM vehicles WHERE owner_id = $1", &["subject"])),
            item("police.household_relations", "户籍家庭关系（个税专项附加扣除）", Rid,
                &["relation", "name", "birth_date"], &["sz-tax"], true,
                ("SELECT r.relation AS relation, p.name AS name, p.birth_date AS birth_date FROM relations r JOIN residents p ON p.resident_id = r.relative_id WHERE r.resident_id = $1 ORDER BY r.relation", &["subject"])),
        ],
    },
    Dept {
        org: "sz-customs",
        desk: Some("Customs desk"),
        responder: "Customs responder",
        national: false,
        sql: "customs",
        items: &[item("customs.export_declarations", "出口报关单（按经营单位、月份）", Org,
            &["declaration_no", "month", "goods", "fob_fen", "port"], &["sz-tax", "sz-police", "pbc-shenzhen"], false,
            ("SELECT declaration_no, month, goods, fob_fen, port FROM export_declarations WHERE exporter_uscc = $1 AND month >= $2 AND month <= $3 ORDER BY month", &["subject", "period_from", "period_to"]))],
    },
    Dept {
        org: "pbc-shenzhen",
        desk: Some("Central bank desk"),
        responder: "Central bank responder",
        national: true,
        sql: "centralbank",
        items: &[item("centralbank.transaction_reports", "大额和可疑交易报告", Org,
            &["report_no", "kind", "day", "amount_fen", "counterparty"], &["sz-tax", "sz-police", "sz-customs"], false,
            ("SELECT report_no, kind, day, amount_fen, counterparty FROM transaction_reports WHERE holder_id = $1 AND day >= $2 AND day <= $3 ORDER BY day", &["subject", "period_from", "period_to"]))],
    },
    Dept {
        org: "sz-education",
        desk: None,
        responder: "Education responder",
        national: false,
        sql: "education",
        items: &[item("education.enrolment", "子女学籍（子女教育扣除）", Rid, &["school", "stage", "since"],
            &["sz-tax"], true, ("SELECT school, stage, since FROM enrolment WHERE child_id = $1", &["subject"]))],
    },
    Dept {
        org: "sz-hrss",
        desk: None,
        responder: "HR responder",
        national: false,
        sql: "hr",
        items: &[item("hr.continuing_education", "职业资格与继续教育（继续教育扣除）", Rid, &["kind", "title", "year"],
            &["sz-tax"], true,
            ("SELECT kind, title, year FROM continuing_education WHERE resident_id = $1 AND year = CAST($2 AS INTEGER)", &["subject", "year"]))],
    },
    Dept {
        org: "sz-healthcare",
        desk: None,
        responder: "Health insurance responder",
        national: false,
        sql: "health",
        items: &[item("health.serious_illness_costs", "医保目录内个人负担费用（大病医疗扣除）", Rid, &["year", "self_paid_fen"],
            &["sz-tax"], true,
            ("SELECT year, self_paid_fen FROM medical_costs WHERE resident_id = $1 AND year = CAST($2 AS INTEGER)", &["subject", "year"]))],
    },
    Dept {
        org: "sz-housing-fund",
        desk: None,
        responder: "Housing fund responder",
        national: false,
        sql: "housing",
        items: &[
            item("housing.first_home_loan", "首套住房贷款（住房贷款利息扣除）", Rid, &["contract_no", "lender", "first_home", "since"],
                &["sz-tax"], true,
                ("SELECT contract_no, lender, first_home, since FROM home_loans WHERE resident_id = $1", &["subject"])),
            item("housing.registered_rent", "住房租赁登记备案（住房租金扣除）", Rid, &["city", "tier", "since"],
                &["sz-tax"], true, ("SELECT city, tier, since FROM rentals WHERE resident_id = $1", &["subject"])),
        ],
    },
];

const fn dept_org(
    id: &'static str,
    name: &'static str,
    kind: OrgKind,
    members: &'static [DemoMember],
) -> DemoOrg {
    DemoOrg { id, name, kind, tax_id: "", members }
}

const ORGS: &[DemoOrg] = &[
    dept_org(
        "sz-tax",
        "国家税务总局深圳市税务局",
        OrgKind::TaxAuthority,
        &[
            DemoMember::new(TAX_DESK, EX, Suite::Sm2),
            DemoMember::new("Tax responder", EX, Suite::Ed25519),
        ],
    ),
    dept_org(
        "sz-police",
        "深圳市公安局",
        OrgKind::Police,
        &[
            DemoMember::new("Police desk", EX, Suite::Sm2),
            DemoMember::new("Police responder", EX, Suite::Ed25519),
        ],
    ),
    dept_org(
        "sz-customs",
        "中华人民共和国深圳海关",
        OrgKind::Customs,
        &[
            DemoMember::new("Customs desk", EX, Suite::Sm2),
            DemoMember::new("Customs responder", EX, Suite::Ed25519),
        ],
    ),
    dept_org(
        "pbc-shenzhen",
        "中国人民银行深圳市分行",
        OrgKind::CentralBank,
        &[
            DemoMember::new("Central bank desk", EX, Suite::Sm2),
            DemoMember::new("Central bank responder", EX, Suite::Ed25519),
        ],
    ),
    dept_org(
        "sz-education",
        "深圳市教育局",
        OrgKind::Education,
        &[DemoMember::new("Education responder", EX, Suite::Ed25519)],
    ),
    dept_org(
        "sz-hrss",
        "深圳市人力资源和社会保障局",
        OrgKind::HumanResources,
        &[DemoMember::new("HR responder", EX, Suite::Ed25519)],
    ),
    dept_org(
        "sz-healthcare",
        "深圳市医疗保障局",
        OrgKind::HealthInsurance,
        &[DemoMember::new("Health insurance responder", EX, Suite::Ed25519)],
    ),
    dept_org(
        "sz-housing-fund",
        "深圳市住房公积金管理中心",
        OrgKind::Housing,
        &[DemoMember::new("Housing fund responder", EX, Suite::Ed25519)],
    ),
];

/// The SQL of each department's database.
fn sql_of(name: &str) -> Option<&'static str> {
    Some(match name {
        "tax" => include_str!("../assets/exchange/tax.sql"),
        "police" => include_str!("../assets/exchange/police.sql"),
        "customs" => include_str!("../assets/exchange/customs.sql"),
        "centralbank" => include_str!("../assets/exchange/centralbank.sql"),
        "education" => include_str!("../assets/exchange/education.sql"),
        "hr" => include_str!("../assets/exchange/hr.sql"),
        "health" => include_str!("../assets/exchange/health.sql"),
        "housing" => include_str!("../assets/exchange/housing.sql"),
        _ => return None,
    })
}

fn get<T: commonware_codec::Read<Cfg = ()>>(
    s: &Seeding<'_>,
    key: ExchangeKey,
) -> Result<Option<T>> {
    Ok(s.ledger.get::<T>(&StateKey::from(key))?)
}

fn seed_err(what: &str) -> impl Fn(fapiao_envelope::Error) -> Error + '_ {
    move |e| Error::Seed(format!("{what}: {e}"))
}

/// `DIR/secrets`, beside `DIR/demo`: the node's secrets directory.
fn secrets_dir(s: &Seeding<'_>) -> PathBuf {
    s.demo_dir.parent().unwrap_or(Path::new(".")).join("secrets")
}

/// The key file of `owner` (a department, or `persons/<account>`) for epoch 1, created on
/// first use.
fn key_file(s: &Seeding<'_>, owner: &str, national: bool) -> Result<(PathBuf, SecretKey)> {
    let dir = secrets_dir(s).join("exchange").join(owner);
    let path = dir.join("key-1.toml");
    if !path.exists() {
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let suite =
            if national { EnvSuite::Sm2Sm4Gcm } else { EnvSuite::HpkeX25519ChaCha20Poly1305 };
        let secret = SecretKey::generate(suite, &mut fapiao_envelope::os_rng());
        fapiao_envelope::write_key_file(&path, &KeyFile { epoch: 1, secret })
            .map_err(seed_err("writing a department key"))?;
    }
    let file =
        fapiao_envelope::read_key_file(&path).map_err(seed_err("reading a department key"))?;
    Ok((path, file.secret))
}

fn chain_suite(s: EnvSuite) -> EnvelopeSuite {
    fapiao_exchange_api::secrets::chain_suite(s)
}

/// Seals `plaintext` to a registered key (the exchange API's sealing, as the desks'
/// nodes seal).
fn seal(
    epoch: u32,
    key: &KeyRecord,
    info: &[u8],
    aad: &[u8],
    plaintext: &[u8],
) -> Result<Envelope> {
    fapiao_exchange_api::secrets::seal(epoch, key, info, aad, plaintext).map_err(api_err)
}

/// A department's current key.
fn current_key(s: &Seeding<'_>, org: &str) -> Result<(u32, KeyRecord)> {
    let reader: &dyn fapiao_api::Reader = s.ledger.as_ref();
    fapiao_exchange_api::secrets::current_key(reader, org).map_err(api_err)
}

fn api_err(e: fapiao_api::ApiError) -> Error {
    Error::Seed(format!("{}: {}", e.body.code, e.body.message))
}

async fn seed(s: &Seeding<'_>) -> Result<()> {
    register_departments(s).await?;
    write_responders(s)?;
    spawn_responders(&s.demo_dir, s.helper.as_deref())?;
    let watch_key = watch_key(s).await?;
    joint_alert(s, &watch_key).await?;
    li_wei(s, &watch_key).await?;
    if s.helper.is_some() {
        verify_when_answered(s).await?;
    }
    Ok(())
}

/// Keys and catalogues of every department.
async fn register_departments(s: &Seeding<'_>) -> Result<()> {
    let mut txs = Vec::new();
    for d in DEPTS {
        let member = d.desk.unwrap_or(d.responder);
        let key = key_named(s.planned, member)?;
        let dept: Option<DepartmentRecord> = get(s, ExchangeKey::Department(d.org.into()))?;
        if dept.as_ref().is_none_or(|r| r.key_epoch == 0) {
            let (_, secret) = key_file(s, d.org, d.national)?;
            let public = secret.public_key();
            let action = RegisterKey {
                suite: chain_suite(public.suite()),
                public_key: KeyBytes(public.to_bytes()),
            };
            txs.push(signed(s, key, Action::from(ExchangeAction::RegisterKey(action))));
        }
        if dept.as_ref().is_none_or(|r| r.items.is_empty()) {
            let changes = d
                .items
                .iter()
                .map(|i| {
                    Ok(CatalogueChange {
                        item: ItemId::parse(i.id).map_err(|e| Error::Seed(e.to_string()))?,
                        entry: Some(CatalogueEntry {
                            title: i.title.into(),
                            subject_kind: i.subject,
                            answer_schema: i.fields.iter().map(|f| f.to_string()).collect(),
                            askers: i.askers.iter().map(|a| a.to_string()).collect(),
                            legal_basis: if i.consent { IIT_LAW } else { TAX_LAW }.into(),
                            consent_required: i.consent,
                        }),
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            txs.push(signed(
                s,
                key,
                Action::from(ExchangeAction::PublishCatalogue(PublishCatalogue { changes })),
            ));
        }
    }
    // Keys first (a catalogue needs no key, but keep the order a reader expects).
    submit_all_and_wait(s, txs).await
}

/// Each department's responder: its database (created from the SQL once), a token for
/// its responder account, and its configuration, under `DIR/demo/responders/<org>/`.
fn write_responders(s: &Seeding<'_>) -> Result<()> {
    for d in DEPTS {
        let dir = s.demo_dir.join("responders").join(d.org);
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let sql_path = dir.join("database.sql");
        if !sql_path.exists() {
            let sql = sql_of(d.sql).ok_or_else(|| Error::Seed(format!("no SQL for {}", d.sql)))?;
            fapiao_node::write_atomic(&sql_path, sql.as_bytes())?;
        }
        let token_path = dir.join("token");
        if !token_path.exists() {
            let account = key_named(s.planned, d.responder)?.account_id();
            let token = fapiao_api::Custody::create_token(&*s.custody, &account, "responder")
                .map_err(Error::Seed)?;
            fapiao_node::write_atomic(&token_path, token.as_bytes())?;
        }
        let (key_path, _) = key_file(s, d.org, d.national)?;
        // The responder signs its answers with its own member key where the demo wrote
        // one (the node then only relays them).
        let root = s.demo_dir.parent().unwrap_or(Path::new("."));
        let account_key = crate::key_file(root, d.responder);
        let signing = if account_key.exists() {
            format!("account_key = {:?}\n", account_key.display().to_string())
        } else {
            String::new()
        };
        let mut toml = format!(
            "# The {org} responder of the demo: `fapiao responder --config {cfg}`.\n\
             node = \"http://{http}\"\ntoken_file = \"token\"\n{signing}org = \"{org}\"\n\
             key_files = [{key:?}]\nstate_file = \"state.json\"\npoll_ms = 500\n\n\
             [database]\nsqlite = \"{org}.db\"\ninit_sql = \"database.sql\"\n",
            org = d.org,
            cfg = dir.join("responder.toml").display(),
            http = s.http,
            key = key_path.display().to_string(),
        );
        if d.org == "sz-tax" {
            // The bureau's risk watch: its risk alerts feed its watch list.
            toml.push_str("\n[watch_feed]\nrules = { circular_ring = \"invoice_mill\", frozen_counterparty = \"shell_company\" }\n");
        }
        for i in d.items {
            toml.push_str(&format!(
                "\n[items.\"{}\"]\nsql = {:?}\nparams = {:?}\n",
                i.id, i.sql, i.params
            ));
        }
        fapiao_node::write_atomic(&dir.join("responder.toml"), toml.as_bytes())?;
    }
    Ok(())
}

/// The watch key: distributed once by the bureau's desk to the four intelligence
/// departments; returned as the bureau opens its share.
async fn watch_key(s: &Seeding<'_>) -> Result<[u8; 32]> {
    if get::<WatchHead>(s, ExchangeKey::WatchHead)?.is_none() {
        let key = crate::story::rand_salt();
        let mut shares = Vec::new();
        for org in INTEL {
            let (epoch, rec) = current_key(s, org)?;
            let env = seal(epoch, &rec, &watch_key_info(1), &addressed_aad(org, epoch), &key)?;
            shares.push(Addressed { to: (*org).into(), envelope: env });
        }
        let action = ExchangeAction::DistributeWatchKey(DistributeWatchKey { epoch: 1, shares });
        submit_all_and_wait(
            s,
            vec![signed(s, key_named(s.planned, TAX_DESK)?, Action::from(action))],
        )
        .await?;
    }
    let head: WatchHead =
        get(s, ExchangeKey::WatchHead)?.ok_or_else(|| Error::Seed("no watch key".into()))?;
    let rec: WatchKeyRecord = get(s, ExchangeKey::WatchKey(head.epoch))?
        .ok_or_else(|| Error::Seed("watch key record missing".into()))?;
    let share = rec
        .shares
        .iter()
        .find(|a| a.to == "sz-tax")
        .ok_or_else(|| Error::Seed("no tax share".into()))?;
    let (_, secret) = key_file(s, "sz-tax", true)?;
    let bytes = fapiao_envelope::open(
        &secret,
        fapiao_exchange_api::secrets::suite_of(share.envelope.suite),
        &share.envelope.enc,
        &share.envelope.ciphertext,
        &watch_key_info(head.epoch),
        &addressed_aad("sz-tax", share.envelope.key_epoch),
    )
    .map_err(seed_err("opening the bureau's watch-key share"))?;
    bytes.try_into().map_err(|_| Error::Seed("the watch key is not 32 bytes".into()))
}

/// Customs watches the ring company for export-rebate fraud. The bureau's side comes
/// from its responder's risk watch (`[watch_feed]`), which watches every taxpayer of the
/// invoice story's circular ring as an invoice mill: the ring company's tag meets
/// customs' entry, and the chain raises the joint alert in that block.
async fn joint_alert(s: &Seeding<'_>, watch_key: &[u8; 32]) -> Result<()> {
    let tag = subject_tag(watch_key, SubjectKind::Uscc, RING_COMPANY);
    let list: Option<WatchList> = get(s, ExchangeKey::Watch(tag))?;
    if list.as_ref().is_some_and(|l| l.entries.iter().any(|e| e.department == "sz-customs")) {
        return Ok(());
    }
    let (epoch, rec) = current_key(s, "sz-customs")?;
    let note = serde_json::json!({ "subject": RING_COMPANY,
        "note": "出口额与进项发票不匹配，疑似骗取出口退税" });
    let aad = binding::note_aad(&tag, epoch);
    let env = seal(epoch, &rec, &binding::note_info(), &aad, note.to_string().as_bytes())?;
    let action = ExchangeAction::Watch(Watch {
        tag,
        category: WatchCategory::ExportRebateFraud,
        note: Some(env),
    });
    submit_all_and_wait(
        s,
        vec![signed(s, key_named(s.planned, "Customs desk")?, Action::from(action))],
    )
    .await
}

/// Li Wei registers, declares his 2026 deductions with Huawei and consents to the
/// bureau's checks; the bureau asks the source departments.
async fn li_wei(s: &Seeding<'_>, watch_key: &[u8; 32]) -> Result<()> {
    let key = key_named(s.planned, LI_WEI)?;
    let person = key.account_id();
    if get::<PersonRecord>(s, ExchangeKey::Person(person))?.is_none() {
        let (_, secret) = key_file(s, &format!("persons/{person}"), false)?;
        let public = secret.public_key();
        let salt = crate::story::rand_salt();
        let action = RegisterPerson {
            suite: chain_suite(public.suite()),
            public_key: KeyBytes(public.to_bytes()),
            resident_commitment: resident_commitment(LI_WEI_ID, &salt),
        };
        submit_all_and_wait(
            s,
            vec![signed(s, key, Action::from(ExchangeAction::RegisterPerson(action)))],
        )
        .await?;
    }
    let ix = &*s.ledger;
    if fapiao_exchange::index::declarations_of_person(ix, &person, 1)
        .map_err(|e| Error::Seed(e.to_string()))?
        .is_empty()
    {
        let (epoch, rec) = current_key(s, "sz-tax")?;
        let details = |text: &str| {
            seal(
                epoch,
                &rec,
                &deduction_info(&person, YEAR),
                &addressed_aad("sz-tax", epoch),
                text.as_bytes(),
            )
        };
        let monthly = |kind, amount, share_bp, only_child, text: &str| -> Result<DeductionItem> {
            Ok(DeductionItem {
                kind,
                months: 12,
                amount,
                share_bp,
                rent_tier: None,
                only_child,
                details: details(text)?,
            })
        };
        let items = vec![
            monthly(
                DeductionKind::ChildrenEducation,
                200_000,
                10_000,
                false,
                &format!("李小明 {CHILD_ID} 深圳市南山区第二实验学校 小学"),
            )?,
            monthly(
                DeductionKind::ElderlySupport,
                150_000,
                5_000,
                false,
                "父 李建国 1958-09-12；母 王秀兰 1961-04-20；与姐妹李娜均摊",
            )?,
            monthly(
                DeductionKind::HousingLoanInterest,
                100_000,
                10_000,
                false,
                "GJJ-SZ-2021-0088412 招商银行深圳分行 首套",
            )?,
            DeductionItem {
                kind: DeductionKind::ContinuingEducationCertificate,
                months: 12,
                amount: 360_000,
                share_bp: 10_000,
                rent_tier: None,
                only_child: false,
                details: details("注册会计师（CPA）全科合格证 2026")?,
            },
        ];
        let action = DeclareDeductions {
            year: YEAR,
            withholding_agent: "huawei".into(),
            tax_authority: "sz-tax".into(),
            items,
        };
        submit_all_and_wait(
            s,
            vec![signed(s, key, Action::from(ExchangeAction::DeclareDeductions(action)))],
        )
        .await?;
    }
    let checks: [(&str, &str, &str, serde_json::Value); 4] = [
        ("sz-education", "education.enrolment", CHILD_ID, serde_json::json!({})),
        ("sz-police", "police.household_relations", LI_WEI_ID, serde_json::json!({})),
        ("sz-housing-fund", "housing.first_home_loan", LI_WEI_ID, serde_json::json!({})),
        (
            "sz-hrss",
            "hr.continuing_education",
            LI_WEI_ID,
            serde_json::json!({ "year": YEAR.to_string() }),
        ),
    ];
    // Consents first, a year long.
    let consents = fapiao_exchange::index::consents_of(ix, &person, 16)
        .map_err(|e| Error::Seed(e.to_string()))?;
    if consents.is_empty() {
        let expires_ms = fapiao_api::clock::now_ms() + 365 * 86_400_000;
        let txs = checks
            .iter()
            .map(|(org, item, _, _)| {
                let item = ItemId::parse(item).map_err(|e| Error::Seed(e.to_string()))?;
                let action = GrantConsent {
                    department: "sz-tax".into(),
                    item,
                    purpose: IIT_PURPOSE.into(),
                    expires_ms,
                };
                let _ = org;
                Ok(signed(s, key, Action::from(ExchangeAction::GrantConsent(action))))
            })
            .collect::<Result<Vec<_>>>()?;
        submit_all_and_wait(s, txs).await?;
    }
    // The bureau's checks, once.
    let asked = fapiao_exchange::index::queries_out(ix, "sz-tax", 64)
        .map_err(|e| Error::Seed(e.to_string()))?;
    if asked.is_empty() {
        let desk = key_named(s.planned, TAX_DESK)?;
        let mut txs = Vec::new();
        for (org, item, subject, params) in &checks {
            let item = ItemId::parse(item).map_err(|e| Error::Seed(e.to_string()))?;
            let tag = subject_tag(watch_key, SubjectKind::ResidentId, subject);
            let (epoch, rec) = current_key(s, org)?;
            let person_text = person.to_string();
            let aad = binding::query_aad(&binding::QueryBinding {
                from: "sz-tax",
                to: org,
                item: item.as_str(),
                subject_tag: &tag,
                purpose: IIT_PURPOSE,
                person: Some(&person_text),
                key_epoch: epoch,
            });
            let plaintext = serde_json::json!({ "subject": subject, "params": params }).to_string();
            let envelope = seal(epoch, &rec, &binding::query_info(), &aad, plaintext.as_bytes())?;
            let action = Query {
                to: (*org).into(),
                item,
                subject_tag: tag,
                purpose: IIT_PURPOSE.into(),
                person: Some(person),
                envelope,
            };
            txs.push(signed(s, desk, Action::from(ExchangeAction::Query(action))));
        }
        submit_all_and_wait(s, txs).await?;
    }
    Ok(())
}

/// The departments whose responders this process started.
static SPAWNED: std::sync::Mutex<std::collections::BTreeSet<&'static str>> =
    std::sync::Mutex::new(std::collections::BTreeSet::new());

/// Starts each department's responder (`fapiao responder --config … --parent <pid>`,
/// logging to `responder.log` beside its configuration) once per process; each stops
/// when this process does. Without `exe` (a test binary), nothing starts.
///
/// # Errors
/// [`Error::Io`] when a log file cannot be opened or a process cannot start.
pub fn spawn_responders(demo_dir: &Path, exe: Option<&Path>) -> Result<()> {
    let Some(exe) = exe else { return Ok(()) };
    let mut spawned =
        SPAWNED.lock().map_err(|_| Error::Seed("responder registry poisoned".into()))?;
    for d in DEPTS {
        let dir = demo_dir.join("responders").join(d.org);
        let config = dir.join("responder.toml");
        if !config.exists() || spawned.contains(d.org) {
            continue;
        }
        let log_path = dir.join("responder.log");
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log_path)
            .map_err(|e| Error::io(&log_path, e))?;
        let err = log.try_clone().map_err(|e| Error::io(&log_path, e))?;
        std::process::Command::new(exe)
            .arg("responder")
            .arg("--config")
            .arg(&config)
            .arg("--parent")
            .arg(std::process::id().to_string())
            .stdin(std::process::Stdio::null())
            .stdout(log)
            .stderr(err)
            .spawn()
            .map_err(|e| Error::io(exe, e))?;
        spawned.insert(d.org);
        tracing::info!(org = d.org, log = %log_path.display(), "responder started");
    }
    Ok(())
}

/// What each declared item is checked with.
const EVIDENCE: [(DeductionKind, &str); 4] = [
    (DeductionKind::ChildrenEducation, "education.enrolment"),
    (DeductionKind::ElderlySupport, "police.household_relations"),
    (DeductionKind::HousingLoanInterest, "housing.first_home_loan"),
    (DeductionKind::ContinuingEducationCertificate, "hr.continuing_education"),
];

/// Once the source departments' responders have answered the bureau's checks (at most
/// 30 s), the bureau opens each answer and records its verdict on the matching item:
/// verified when the department found records, rejected otherwise.
async fn verify_when_answered(s: &Seeding<'_>) -> Result<()> {
    let person = key_named(s.planned, LI_WEI)?.account_id();
    let ix = &*s.ledger;
    let Some(declaration) = fapiao_exchange::index::declarations_of_person(ix, &person, 1)
        .map_err(|e| Error::Seed(e.to_string()))?
        .first()
        .copied()
    else {
        return Ok(());
    };
    let d: DeclarationRecord = get(s, ExchangeKey::Declaration(declaration))?
        .ok_or_else(|| Error::Seed("the declaration is missing".into()))?;
    if d.items.iter().all(|i| i.verification.is_some()) {
        return Ok(());
    }
    let asked = fapiao_exchange::index::queries_out(ix, "sz-tax", 64)
        .map_err(|e| Error::Seed(e.to_string()))?;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let answered = loop {
        let mut answered = Vec::new();
        for id in &asked {
            if let Some(q) = get::<QueryRecord>(s, ExchangeKey::Query(*id))? {
                if let Some(a) = get::<AnswerRecord>(s, ExchangeKey::Answer(*id))? {
                    answered.push((*id, q, a));
                }
            }
        }
        if answered.len() == asked.len() || std::time::Instant::now() > deadline {
            break answered;
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    };
    let (_, secret) = key_file(s, "sz-tax", true)?;
    let desk = key_named(s.planned, TAX_DESK)?;
    let mut txs = Vec::new();
    for (n, item) in d.items.iter().enumerate() {
        if item.verification.is_some() {
            continue;
        }
        let Some((_, source)) = EVIDENCE.iter().find(|(k, _)| *k == item.kind) else { continue };
        let Some((id, q, a)) = answered.iter().find(|(_, q, _)| q.item.as_str() == *source) else {
            tracing::warn!(item = source, "no answer yet: the declaration stays pending");
            continue;
        };
        let aad = binding::answer_aad(&binding::AnswerBinding {
            query_id: id,
            from: &q.to,
            to: &q.from,
            outcome: a.outcome.as_str(),
            key_epoch: a.envelope.key_epoch,
        });
        let rows = fapiao_envelope::open(
            &secret,
            fapiao_exchange_api::secrets::suite_of(a.envelope.suite),
            &a.envelope.enc,
            &a.envelope.ciphertext,
            &binding::answer_info(id),
            &aad,
        )
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .and_then(|v| v.get("rows").and_then(|r| r.as_array()).map(Vec::len))
        .unwrap_or(0);
        let verdict = if a.outcome == AnswerOutcome::Found && rows > 0 {
            Verdict::Verified
        } else {
            Verdict::Rejected
        };
        let item = u16::try_from(n).map_err(|_| Error::Seed("too many items".into()))?;
        let action = VerifyDeclaration { declaration, item, verdict, answers: vec![*id] };
        txs.push(signed(s, desk, Action::from(ExchangeAction::VerifyDeclaration(action))));
    }
    submit_all_and_wait(s, txs).await
}
