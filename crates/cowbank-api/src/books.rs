//! The cow bank's routes: the open books of a village (everything a villager may read,
//! without signing in), one animal, a settlement preview, and the manager's and
//! households' actions.

use axum::{
    extract::{rejection::JsonRejection, Path, Query, State},
    http::{header, HeaderMap},
    response::{IntoResponse, Response},
    Json,
};
use fapiao_api::{
    access::{Access, Viewer},
    caller, custodial,
    error::{ApiError, ApiResult},
    failed_receipt, Reader, St,
};
use fapiao_cowbank::{
    parse_ear_tag,
    settle::{settle, Under},
    Code,
};
use fapiao_cowbank_types::*;
use fapiao_types::{hex32, Action, AppKey, ChinaDate, OrgKind, StateKey, TxOutput};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Every cow bank record is public (村务公开): the households' resident IDs are not on
/// the chain at all.
pub(crate) fn key_access(_: &dyn Reader, key: &AppKey, _: Option<&Viewer>) -> Option<Access> {
    CowbankKey::KINDS.contains(&key.kind()).then_some(Access::Party)
}

/// A refusal of the rules as the API answers it.
fn refused(e: fapiao_app::Error) -> ApiError {
    match e {
        fapiao_app::Error::Rejected { code, field, message } => {
            ApiError::declared(code, (!field.is_empty()).then_some(field.as_str()), message)
        }
        other => ApiError::internal(other),
    }
}

fn get<T: commonware_codec::Read<Cfg = ()>>(
    st: &fapiao_api::ApiState,
    key: CowbankKey,
) -> ApiResult<Option<T>> {
    Ok(st.reader.get::<T>(&StateKey::from(key))?)
}

/// The executed state as the seam's read side, for the parameters in force.
struct Executed<'a>(&'a dyn Reader);

impl fapiao_app::StateAccess for Executed<'_> {
    fn read(&self, key: &StateKey) -> Result<Option<Vec<u8>>, String> {
        self.0.get_raw(key).map_err(|e| e.to_string())
    }
    fn write(&mut self, _: &StateKey, _: Vec<u8>) {}
}

/// A village collective.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct VillageSummary {
    /// Organisation id.
    pub id: String,
    /// Name.
    pub name: String,
}

/// A household as the village publishes it: never its resident ID or the commitment.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct HouseholdView {
    /// Its id in the village.
    pub id: String,
    /// The head of household's name.
    pub name: String,
    /// Village group.
    pub group: String,
    /// Current status (`lifted`, `monitored`, `ordinary`).
    pub status: String,
    /// The status as people read it (脱贫户...).
    pub status_label: String,
    /// Since when (yyyy-mm-dd).
    pub since: String,
    /// Sales settled with it.
    pub sales: u32,
    /// Everything paid to it, yuan.
    pub paid: String,
    /// Animals it keeps now.
    pub keeps: u32,
    /// Animals it owns now.
    pub owns: u32,
}

/// An animal with its ear tag.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct AnimalView {
    /// Ear tag.
    pub tag: String,
    /// The record (`AnimalRecord`, docs/formats.md §19.2).
    #[schema(value_type = Object)]
    pub animal: AnimalRecord,
}

/// A sale with its id.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct SaleView {
    /// Sale id (the selling transaction's hash).
    pub id: String,
    /// The record (`SaleRecord` with its settlement).
    #[schema(value_type = Object)]
    pub sale: SaleRecord,
}

/// A fund with its id.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct FundView {
    /// Fund id.
    pub id: String,
    /// The record (`FundRecord`).
    #[schema(value_type = Object)]
    pub fund: FundRecord,
}

/// A contract with its id.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct ContractView {
    /// Contract id (the signing transaction's hash).
    pub id: String,
    /// The record (`ContractRecord`).
    #[schema(value_type = Object)]
    pub contract: ContractRecord,
}

/// One entry of the fund ledger with its number.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct EntryView {
    /// Entry number.
    pub n: u64,
    /// The record (`EntryRecord`).
    #[schema(value_type = Object)]
    pub entry: EntryRecord,
}

/// An annual report.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct ReportView {
    /// The year.
    pub year: u16,
    /// The record (`ReportRecord`), with its figures and countersignature.
    #[schema(value_type = Object)]
    pub report: ReportRecord,
    /// Countersigned (frozen).
    pub frozen: bool,
}

/// A village's open books.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct VillageBook {
    /// The collective.
    pub village: VillageSummary,
    /// Animals kept now.
    pub herd: u32,
    /// Animals sold, dead or lost.
    pub gone: u32,
    /// Everything that came in, yuan.
    pub inflow: String,
    /// Everything that went out, yuan.
    pub outflow: String,
    /// The funds' balance, yuan.
    pub balance: String,
    /// Paid to households by settlements, yuan.
    pub paid_to_households: String,
    /// The collective's part of the sales' net profit, yuan.
    pub collective_profit: String,
    /// Households, in registration order.
    pub households: Vec<HouseholdView>,
    /// Funds.
    pub funds: Vec<FundView>,
    /// Animals, in registration order.
    pub animals: Vec<AnimalView>,
    /// Contracts.
    pub contracts: Vec<ContractView>,
    /// Sales, oldest first.
    pub sales: Vec<SaleView>,
    /// The fund ledger, oldest first.
    pub entries: Vec<EntryView>,
    /// Annual reports.
    pub reports: Vec<ReportView>,
    /// The cow bank's policy in force (the default split offered).
    pub default_collective_share_bp: u16,
}

fn yuan(fen: i64) -> String {
    fapiao_values::Fen::new(fen).map(|f| f.to_string()).unwrap_or_default()
}

fn collectives(reader: &dyn Reader) -> Vec<VillageSummary> {
    reader
        .genesis()
        .organisations
        .iter()
        .filter(|o| o.kind == OrgKind::Collective)
        .map(|o| VillageSummary { id: o.id.clone(), name: o.name.clone() })
        .collect()
}

/// The village collectives of this chain.
#[utoipa::path(get, path = "/v1/cowbank/villages", tag = "cowbank",
    responses((status = 200, body = [VillageSummary])))]
pub(crate) async fn villages(State(st): St) -> ApiResult<Json<Vec<VillageSummary>>> {
    Ok(Json(collectives(&*st.reader)))
}

fn list(
    st: &fapiao_api::ApiState,
    village: &str,
    n: u32,
    kind: ListKind,
) -> ApiResult<Vec<String>> {
    let mut out = Vec::with_capacity(n as usize);
    for i in 0..u64::from(n) {
        let item: Option<ListItem> = get(st, CowbankKey::List(village.to_string(), kind, i))?;
        out.push(item.ok_or_else(|| ApiError::internal(format!("{village} list item {i}")))?.id);
    }
    Ok(out)
}

fn parse<T>(r: fapiao_types::Result<T>) -> ApiResult<T> {
    r.map_err(|e| ApiError::internal(format!("a stored id does not parse: {e}")))
}

/// A village's open books: herd, funds in and out, every sale and its split, what
/// each household received, the annual reports (no sign-in).
#[utoipa::path(get, path = "/v1/cowbank/villages/{village}", tag = "cowbank",
    params(("village" = String, Path, description = "the collective's organisation id")),
    responses((status = 200, body = VillageBook), (status = 404, body = crate::ErrorBody)))]
pub(crate) async fn village(
    State(st): St,
    Path(village): Path<String>,
) -> ApiResult<Json<VillageBook>> {
    book_of(&st, village).map(Json)
}

/// A village's books, read item by item from its lists.
fn book_of(st: &fapiao_api::ApiState, village: String) -> ApiResult<VillageBook> {
    let summary = collectives(&*st.reader)
        .into_iter()
        .find(|v| v.id == village)
        .ok_or_else(|| ApiError::not_found(format!("no village {village}")))?;
    let v: VillageRecord = get(st, CowbankKey::Village(village.clone()))?.unwrap_or_default();
    let mut animals = Vec::new();
    for tag in list(st, &village, v.animals, ListKind::Animals)? {
        let tag = parse(EarTag::parse(&tag))?;
        if let Some(animal) = get::<AnimalRecord>(st, CowbankKey::Animal(tag))? {
            animals.push(AnimalView { tag: tag.to_string(), animal });
        }
    }
    let mut households = Vec::new();
    for id in list(st, &village, v.households, ListKind::Households)? {
        let slug = parse(Slug::parse(&id))?;
        let Some(h) =
            get::<HouseholdRecord>(st, CowbankKey::Household(village.clone(), slug.clone()))?
        else {
            continue;
        };
        let current = h.statuses.last();
        let kept = |a: &&AnimalView| a.animal.status == AnimalStatus::Kept;
        households.push(HouseholdView {
            id: id.clone(),
            name: h.name,
            group: h.group,
            status: current.map(|s| s.status.as_str().to_string()).unwrap_or_default(),
            status_label: current.map(|s| s.status.label_zh().to_string()).unwrap_or_default(),
            since: current.map(|s| s.since.to_string()).unwrap_or_default(),
            sales: h.sales,
            paid: yuan(h.paid),
            keeps: animals
                .iter()
                .filter(kept)
                .filter(|a| a.animal.keeper.as_ref() == Some(&slug))
                .count() as u32,
            owns: animals
                .iter()
                .filter(kept)
                .filter(|a| a.animal.owner.as_ref() == Some(&slug))
                .count() as u32,
        });
    }
    let mut funds = Vec::new();
    let (mut inflow, mut outflow, mut balance) = (0i64, 0i64, 0i64);
    for id in list(st, &village, v.funds, ListKind::Funds)? {
        let slug = parse(Slug::parse(&id))?;
        if let Some(fund) = get::<FundRecord>(st, CowbankKey::Fund(village.clone(), slug))? {
            inflow = inflow.saturating_add(fund.total_in);
            outflow = outflow.saturating_add(fund.total_out);
            balance = balance.saturating_add(fund.balance);
            funds.push(FundView { id, fund });
        }
    }
    let mut contracts = Vec::new();
    for id in list(st, &village, v.contracts, ListKind::Contracts)? {
        let h = parse(fapiao_types::parse_hex32("id", &id))?;
        if let Some(contract) = get::<ContractRecord>(st, CowbankKey::Contract(h))? {
            contracts.push(ContractView { id, contract });
        }
    }
    let mut sales = Vec::new();
    let (mut paid, mut profit) = (0i64, 0i64);
    for id in list(st, &village, v.sales, ListKind::Sales)? {
        let h = parse(fapiao_types::parse_hex32("id", &id))?;
        if let Some(sale) = get::<SaleRecord>(st, CowbankKey::Sale(h))? {
            paid = paid.saturating_add(sale.settlement.household_payment);
            profit = profit.saturating_add(sale.settlement.collective_share);
            sales.push(SaleView { id, sale });
        }
    }
    let mut entries = Vec::new();
    for n in 0..v.entries {
        if let Some(entry) = get::<EntryRecord>(st, CowbankKey::Entry(village.clone(), n))? {
            entries.push(EntryView { n, entry });
        }
    }
    let mut reports = Vec::new();
    for year in list(st, &village, v.reports, ListKind::Reports)? {
        let year: u16 = year.parse().map_err(ApiError::internal)?;
        if let Some(report) = get::<ReportRecord>(st, CowbankKey::Report(village.clone(), year))? {
            reports.push(ReportView { year, frozen: report.countersigned.is_some(), report });
        }
    }
    let herd = animals.iter().filter(|a| a.animal.status == AnimalStatus::Kept).count() as u32;
    let next = st.reader.tip().height + 1;
    let (_, policy) = fapiao_app::params::at_height::<fapiao_cowbank::CowbankPolicy>(
        &Executed(&*st.reader),
        next,
    )
    .map_err(ApiError::internal)?;
    Ok(VillageBook {
        village: summary,
        herd,
        gone: animals.len() as u32 - herd,
        inflow: yuan(inflow),
        outflow: yuan(outflow),
        balance: yuan(balance),
        paid_to_households: yuan(paid),
        collective_profit: yuan(profit),
        households,
        funds,
        animals,
        contracts,
        sales,
        entries,
        reports,
        default_collective_share_bp: policy.default_collective_share_bp,
    })
}

/// One animal.
#[utoipa::path(get, path = "/v1/cowbank/animals/{tag}", tag = "cowbank",
    params(("tag" = String, Path, description = "15-digit ear tag")),
    responses((status = 200, body = AnimalView), (status = 400, body = crate::ErrorBody),
              (status = 404, body = crate::ErrorBody)))]
pub(crate) async fn animal(State(st): St, Path(tag): Path<String>) -> ApiResult<Json<AnimalView>> {
    let tag = parse_ear_tag(&tag, "tag").map_err(refused)?;
    let animal = get::<AnimalRecord>(&st, CowbankKey::Animal(tag))?
        .ok_or_else(|| ApiError::refuse(Code::UnknownAnimal, Some("tag"), "no such animal"))?;
    Ok(Json(AnimalView { tag: tag.to_string(), animal }))
}

/// What a sale preview asks.
#[derive(Deserialize, IntoParams, Debug)]
pub(crate) struct PreviewQuery {
    /// The animal's ear tag.
    tag: String,
    /// The price, yuan.
    price: String,
}

/// A settlement preview.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct Preview {
    /// The animal.
    pub tag: String,
    /// The household settled with, by name.
    pub household_name: Option<String>,
    /// How the price would be divided (`Settlement`).
    #[schema(value_type = Object)]
    pub settlement: Settlement,
}

/// How a sale at a price would be settled, now (nothing is written).
#[utoipa::path(get, path = "/v1/cowbank/preview", tag = "cowbank", params(PreviewQuery),
    responses((status = 200, body = Preview), (status = 400, body = crate::ErrorBody),
              (status = 404, body = crate::ErrorBody), (status = 409, body = crate::ErrorBody)))]
pub(crate) async fn preview(
    State(st): St,
    Query(q): Query<PreviewQuery>,
) -> ApiResult<Json<Preview>> {
    let tag = parse_ear_tag(&q.tag, "tag").map_err(refused)?;
    let price = fapiao_values::Fen::parse_unsigned(&q.price)
        .map_err(|e| ApiError::refuse(Code::BadAmount, Some("price"), e.to_string()))?
        .fen();
    if price <= 0 {
        return Err(ApiError::refuse(Code::BadAmount, Some("price"), "must be positive"));
    }
    let a = get::<AnimalRecord>(&st, CowbankKey::Animal(tag))?
        .ok_or_else(|| ApiError::refuse(Code::UnknownAnimal, Some("tag"), "no such animal"))?;
    match a.status {
        AnimalStatus::Kept => {}
        AnimalStatus::Sold => return Err(ApiError::refuse(Code::AlreadySold, Some("tag"), "sold")),
        _ => return Err(ApiError::refuse(Code::NotAlive, Some("tag"), a.status.as_str())),
    }
    let contract = match a.contract {
        Some(id) => get::<ContractRecord>(&st, CowbankKey::Contract(id))?.map(|c| (id, c)),
        None => None,
    };
    let under = match &contract {
        Some((id, c)) => Under::Contract(*id, c),
        None => Under::Owner(a.owner.as_ref()),
    };
    let s = settle(price, a.costs, a.purchase_price, under)
        .ok_or_else(|| ApiError::refuse(Code::AmountOverflow, Some("price"), "overflows"))?
        .settlement;
    let household_name = match &s.household {
        Some(h) => {
            get::<HouseholdRecord>(&st, CowbankKey::Household(a.village.clone(), h.clone()))?
                .map(|r| r.name)
        }
        None => None,
    };
    Ok(Json(Preview { tag: tag.to_string(), household_name, settlement: s }))
}

/// What an action's transaction did.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct Done {
    /// Transaction hash (hex).
    pub tx_hash: String,
    /// Block height.
    pub height: u64,
    /// The id of the record it created (a contract, a sale), hex.
    pub record: Option<String>,
}

/// Sends a cow bank action, signed with the caller's key: the JSON of a
/// `CowbankAction` (`{"action": "sell_animal", "tag": …}`; docs/formats.md §19).
#[utoipa::path(post, path = "/v1/cowbank/actions", tag = "cowbank",
    request_body(content = Object, description = "a cow bank action: `action` (register_household, set_household_status, open_fund, record_inflow, record_outflow, reverse_entry, buy_animal, record_birth, sign_contract, vaccinate, insure, record_cost, record_death, sell_animal, file_report, countersign_report) and its payload's fields; amounts in yuan as text, dates yyyy-mm-dd"),
    security(("bearer" = [])),
    responses((status = 200, body = Done), (status = 400, body = crate::ErrorBody),
              (status = 401, body = crate::ErrorBody), (status = 403, body = crate::ErrorBody),
              (status = 404, body = crate::ErrorBody), (status = 409, body = crate::ErrorBody),
              (status = 422, body = crate::ErrorBody)))]
pub(crate) async fn act(
    State(st): St,
    headers: HeaderMap,
    body: core::result::Result<Json<CowbankAction>, JsonRejection>,
) -> ApiResult<Json<Done>> {
    let action = body.map(|Json(a)| a).map_err(|e| {
        let text = e.body_text();
        if text.contains("ear_tag") {
            ApiError::refuse(Code::BadEarTag, Some("tag"), text)
        } else {
            ApiError::refuse(fapiao_app::Platform::Malformed, Some("body"), text)
        }
    })?;
    let action = Action::from(action);
    let who = caller(&st, &headers)?
        .ok_or_else(|| ApiError::unauthorized("a bearer token is required"))?;
    if let Some(role) = action.required_role() {
        if !who.1.has_role(role) {
            return Err(ApiError::from(fapiao_ledger::Rejection::missing_role(
                role,
                action.name(),
            )));
        }
    }
    let (hash, receipt) = custodial(&st, &who, action).await?;
    if let Some(e) = failed_receipt(&receipt) {
        return Err(e);
    }
    let record = match receipt.output {
        TxOutput::Record(h) => Some(hex32(&h)),
        _ => None,
    };
    Ok(Json(Done { tx_hash: hex32(&hash), height: receipt.height, record }))
}

/// A village's annual report as a PDF: its text, figures and countersignature, then the
/// charts — herd at the end of each month, income by source, payments to households.
#[utoipa::path(get, path = "/v1/cowbank/villages/{village}/reports/{year}/pdf", tag = "cowbank",
    params(("village" = String, Path, description = "the collective's organisation id"),
           ("year" = u16, Path, description = "the year")),
    responses((status = 200, content_type = "application/pdf", description = "The PDF"),
              (status = 404, body = crate::ErrorBody)))]
pub(crate) async fn report_pdf(
    State(st): St,
    Path((village, year)): Path<(String, u16)>,
) -> ApiResult<Response> {
    let book = book_of(&st, village.clone())?;
    let report = book.reports.iter().find(|r| r.year == year).ok_or_else(|| {
        ApiError::refuse(Code::UnknownReport, Some("year"), "no report of that year")
    })?;
    let printable = printable_report(&book, report);
    let bytes = fapiao_api::off_runtime(move || fapiao_print::render_report_pdf(&printable))
        .await?
        .map_err(ApiError::internal)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (header::CONTENT_DISPOSITION, format!("inline; filename=\"{village}-{year}.pdf\"")),
        ],
        bytes,
    )
        .into_response())
}

/// The report as fapiao-print lays it out (display strings; the charts' values in fen or
/// head).
fn printable_report(book: &VillageBook, r: &ReportView) -> fapiao_print::PrintableReport {
    use fapiao_print::{Bar, BarChart};
    let f = &r.report.figures;
    let year = u32::from(r.year);
    let mut herd = Vec::new();
    for m in 1..=12u32 {
        let end = ChinaDate::from_yyyymmdd(year * 10_000 + m * 100 + 28).ok();
        let n = book
            .animals
            .iter()
            .filter(|a| {
                end.is_some_and(|end| {
                    a.animal.acquired <= end
                        && (a.animal.status == AnimalStatus::Kept
                            || a.animal.status_date.is_none_or(|d| d > end))
                })
            })
            .count() as i64;
        herd.push(Bar { label: format!("{year}-{m:02}"), value: n, shown: n.to_string() });
    }
    let mut income: Vec<(Source, i64)> = Vec::new();
    for e in &book.entries {
        let e = &e.entry;
        if e.direction != Direction::In || e.date.year() != year {
            continue;
        }
        let Some(src) = e.source.filter(|s| *s != Source::Reversal) else { continue };
        match income.iter_mut().find(|(s, _)| *s == src) {
            Some((_, v)) => *v += e.amount,
            None => income.push((src, e.amount)),
        }
    }
    let source_name = |s: Source| match s {
        Source::Income => "集体收入",
        Source::Grant => "衔接资金",
        Source::Loan => "贷款",
        Source::SaleProceeds => "售牛收入",
        Source::CapitalReturn => "本金回收",
        Source::InsurancePayout => "保险理赔",
        Source::Reversal => "冲销",
    };
    // Payments of the year's sales, by household, in registration order.
    let mut paid: Vec<Bar> = Vec::new();
    for h in &book.households {
        let fen: i64 = book
            .sales
            .iter()
            .filter(|s| s.sale.date.year() == year)
            .filter(|s| s.sale.settlement.household.as_ref().is_some_and(|x| x.as_str() == h.id))
            .map(|s| s.sale.settlement.household_payment)
            .sum();
        if fen > 0 {
            paid.push(Bar { label: h.name.clone(), value: fen, shown: format!("¥{}", yuan(fen)) });
        }
    }
    let footer = match &r.report.countersigned {
        Some(c) => format!("乡镇会签（{}）：{}", c.org, c.opinion),
        None => "待乡镇会签".to_string(),
    };
    fapiao_print::PrintableReport {
        title: format!("{} 母牛银行 {} 年度报告", book.village.name, r.year),
        subtitle: "村务公开 · 数据取自区块链".into(),
        paragraphs: vec![r.report.text.clone()],
        figures: vec![
            ("年末在栏".into(), f.herd.to_string()),
            ("购入".into(), f.bought.to_string()),
            ("出生".into(), f.born.to_string()),
            ("死亡或走失".into(), f.died.to_string()),
            ("出售".into(), f.sold.to_string()),
            ("资金收入".into(), format!("¥{}", yuan(f.inflow))),
            ("资金支出".into(), format!("¥{}", yuan(f.outflow))),
            ("分给农户".into(), format!("¥{}", yuan(f.paid_to_households))),
            ("结余".into(), format!("¥{}", yuan(f.balance))),
        ],
        charts: vec![
            BarChart { title: format!("{year} 年存栏变化（头）"), bars: herd },
            BarChart {
                title: format!("{year} 年收入来源"),
                bars: income
                    .into_iter()
                    .map(|(s, v)| Bar {
                        label: source_name(s).into(),
                        value: v,
                        shown: format!("¥{}", yuan(v)),
                    })
                    .collect(),
            },
            BarChart { title: "分给农户".into(), bars: paid },
        ],
        footer,
    }
}
