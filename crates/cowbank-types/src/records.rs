//! The cow bank's records: households, funds and their entries, cattle, contracts, sales
//! with their settlement, and annual reports — what is stored under its keys
//! ([`crate::CowbankKey`]), each a canonical struct.
//!
//! Money is fen (`i64`, range-checked as it is decoded); dates are China dates of the
//! event as the village records it (a birth, a sale), never after the block's date.

use crate::{EarTag, Slug};
use fapiao_types::{canonical_struct, string_enum, AccountId, ChinaDate, Hash32};

string_enum! {
    /// A household's standing in the anti-poverty registers in use since 2021.
    HouseholdStatus {
        /// 脱贫户: a household lifted out of poverty, still supported.
        Lifted = (0, "lifted"),
        /// 防止返贫监测对象: a household monitored against falling back into poverty.
        Monitored = (1, "monitored"),
        /// Neither (an ordinary household, or one whose monitoring ended).
        Ordinary = (2, "ordinary"),
    }
}

fapiao_types::labels!(HouseholdStatus {
    Lifted => ("脱贫户", "lifted out of poverty"),
    Monitored => ("防止返贫监测对象", "monitored against relapse"),
    Ordinary => ("一般户", "ordinary"),
});

string_enum! {
    /// Where a fund's money comes from.
    FundSource {
        /// The collective's own income (集体经营收入).
        CollectiveIncome = (0, "collective_income"),
        /// A rural-revitalisation grant (衔接推进乡村振兴补助资金), usually earmarked.
        Grant = (1, "grant"),
        /// A loan.
        Loan = (2, "loan"),
    }
}

string_enum! {
    /// What an inflow is.
    Source {
        /// Income of the collective (rent, services, contributions).
        Income = (0, "income"),
        /// A grant's transfer.
        Grant = (1, "grant"),
        /// A loan's disbursement.
        Loan = (2, "loan"),
        /// The collective's part of a sale's price (settlement).
        SaleProceeds = (3, "sale_proceeds"),
        /// A sold animal's purchase cost, back to the fund that bought it (settlement).
        CapitalReturn = (4, "capital_return"),
        /// An insurer's payout for a dead animal.
        InsurancePayout = (5, "insurance_payout"),
        /// The reversal of an outflow.
        Reversal = (6, "reversal"),
    }
}

string_enum! {
    /// What an outflow pays for (a grant's earmark is a list of these).
    Purpose {
        /// Buying cattle.
        BuyCattle = (0, "buy_cattle"),
        /// Feed.
        Feed = (1, "feed"),
        /// Veterinary care.
        Vet = (2, "vet"),
        /// Livestock insurance premiums.
        Insurance = (3, "insurance"),
        /// A household's share of a sale (settlement).
        HouseholdPayment = (4, "household_payment"),
        /// Repaying a loan.
        LoanRepayment = (5, "loan_repayment"),
        /// Sheds, water, fences.
        Infrastructure = (6, "infrastructure"),
        /// Anything else, described in the memo.
        Other = (7, "other"),
        /// The reversal of an inflow.
        Reversal = (8, "reversal"),
    }
}

string_enum! {
    /// Which way money moved.
    Direction {
        /// Into the fund.
        In = (0, "in"),
        /// Out of the fund.
        Out = (1, "out"),
    }
}

string_enum! {
    /// An animal's sex.
    Sex {
        /// A cow or heifer.
        Female = (0, "female"),
        /// A bull or steer.
        Male = (1, "male"),
    }
}

string_enum! {
    /// Where an animal is.
    AnimalStatus {
        /// In the herd.
        Kept = (0, "kept"),
        /// Sold (its sale is recorded).
        Sold = (1, "sold"),
        /// Died.
        Dead = (2, "dead"),
        /// Lost (strayed, stolen).
        Lost = (3, "lost"),
    }
}

fapiao_types::labels!(AnimalStatus {
    Kept => ("在栏", "kept"),
    Sold => ("已出售", "sold"),
    Dead => ("死亡", "dead"),
    Lost => ("走失", "lost"),
});

string_enum! {
    /// Who pays an animal's feed and vet costs under a contract.
    CostBearer {
        /// The household, out of its own pocket: nothing is deducted at sale.
        Household = (0, "household"),
        /// The collective, from a fund: recovered from the price before the split.
        Collective = (1, "collective"),
    }
}

string_enum! {
    /// Who owns a calf born to a handed-over cow.
    CalfRule {
        /// The household that raises it (谁养牛犊，牛归谁).
        HouseholdOwns = (0, "household_owns"),
        /// The collective, kept by the household under the same contract.
        CollectiveOwns = (1, "collective_owns"),
    }
}

string_enum! {
    /// How a sale at a loss is borne (a household is never paid a negative amount).
    LossRule {
        /// The collective bears the whole loss; the household is paid nothing.
        CollectiveBears = (0, "collective_bears"),
        /// The household's share of the loss is carried forward and taken from its
        /// next positive share under the same contract.
        CarryForward = (1, "carry_forward"),
    }
}

canonical_struct! {
    /// A change of a household's status, with the date it took effect.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    pub struct StatusChange {
        /// The status.
        pub status: HouseholdStatus,
        /// From when (China date).
        pub since: ChinaDate,
    }
}

canonical_struct! {
    /// A household as stored (`cowbank-household/<village>/<id>`).
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    pub struct HouseholdRecord {
        /// The head of household's name, as the village publishes it.
        pub name: String,
        /// SHA-256 commitment to the resident ID with a salt the village keeps
        /// ([`crate::resident_commitment`]); the ID itself is never on the chain.
        #[serde(with = "crate::yuan::hex")]
        pub resident_commitment: Hash32,
        /// The village group (村民小组).
        pub group: String,
        /// Status history, oldest first; the last is current.
        pub statuses: Vec<StatusChange>,
        /// The household's own account, if it signs for itself (it may then sell the
        /// animals it owns).
        #[serde(with = "crate::yuan::hex::opt", default)]
        pub account: Option<AccountId>,
        /// Sales settled with it.
        pub sales: u32,
        /// Everything paid to it by settlements, fen.
        #[serde(with = "crate::yuan")]
        pub paid: i64 => fen,
    }
}

canonical_struct! {
    /// A fund of the collective (`cowbank-fund/<village>/<id>`).
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    pub struct FundRecord {
        /// Its name.
        pub name: String,
        /// Where its money comes from.
        pub source: FundSource,
        /// What it may be spent on (empty: anything).
        pub earmark: Vec<Purpose>,
        /// Balance, fen (never negative).
        #[serde(with = "crate::yuan")]
        pub balance: i64 => fen,
        /// Everything that came in, fen (reversals subtract).
        #[serde(with = "crate::yuan")]
        pub total_in: i64 => fen,
        /// Everything that went out, fen (reversals subtract).
        #[serde(with = "crate::yuan")]
        pub total_out: i64 => fen,
    }
}

canonical_struct! {
    /// One entry of the fund ledger (`cowbank-entry/<village>/<n>`), never edited: a
    /// correction is a reversal entry naming it.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    pub struct EntryRecord {
        /// The fund.
        pub fund: Slug,
        /// In or out.
        pub direction: Direction,
        /// Amount, fen (positive).
        #[serde(with = "crate::yuan")]
        pub amount: i64 => fen,
        /// What came in (inflows).
        pub source: Option<Source>,
        /// What it paid for (outflows).
        pub purpose: Option<Purpose>,
        /// Date of the movement.
        pub date: ChinaDate,
        /// Free text.
        pub memo: String,
        /// The animal it concerns.
        pub animal: Option<EarTag>,
        /// The household it concerns (a payment).
        pub household: Option<Slug>,
        /// The sale it settles.
        #[serde(with = "crate::yuan::hex::opt", default)]
        pub sale: Option<Hash32>,
        /// The entry it reverses.
        pub reverses: Option<u64>,
        /// The entry that reversed it.
        pub reversed_by: Option<u64>,
        /// The recording transaction.
        #[serde(with = "crate::yuan::hex")]
        pub tx: Hash32,
    }
}

canonical_struct! {
    /// A vaccination.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    pub struct Vaccination {
        /// When.
        pub date: ChinaDate,
        /// Which vaccine (口蹄疫, 布病...).
        pub vaccine: String,
    }
}

canonical_struct! {
    /// A livestock insurance policy.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    pub struct Policy {
        /// Policy number.
        pub policy: String,
        /// The insurer.
        pub insurer: String,
        /// Sum insured, fen.
        #[serde(with = "crate::yuan")]
        pub insured: i64 => fen,
        /// Last day covered.
        pub until: ChinaDate,
    }
}

canonical_struct! {
    /// An insurance claim for a dead animal and its payout.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    pub struct Claim {
        /// The insurer's claim number.
        pub claim: String,
        /// Payout, fen.
        #[serde(with = "crate::yuan")]
        pub payout: i64 => fen,
        /// The fund it was paid into.
        pub fund: Slug,
    }
}

canonical_struct! {
    /// An animal (`cowbank-animal/<ear tag>`; tags are unique nationally).
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    pub struct AnimalRecord {
        /// The collective that registered it.
        pub village: String,
        /// Breed (西门塔尔, 安格斯...).
        pub breed: String,
        /// Sex.
        pub sex: Sex,
        /// Birth date, when known.
        pub born: Option<ChinaDate>,
        /// When it joined the herd (purchase or birth).
        pub acquired: ChinaDate,
        /// Purchase price, fen (0 for a calf born in the herd).
        #[serde(with = "crate::yuan")]
        pub purchase_price: i64 => fen,
        /// The fund it was bought from.
        pub fund: Option<Slug>,
        /// Its mother, for a calf born in the herd.
        pub mother: Option<EarTag>,
        /// Its owner: a household, or the collective (`None`).
        pub owner: Option<Slug>,
        /// The household keeping it (`None`: the collective's own shed).
        pub keeper: Option<Slug>,
        /// The contract it is kept under.
        #[serde(with = "crate::yuan::hex::opt", default)]
        pub contract: Option<Hash32>,
        /// Kept, sold, dead or lost.
        pub status: AnimalStatus,
        /// Date of the last status change (sale, death).
        pub status_date: Option<ChinaDate>,
        /// Costs the collective paid for it, fen (recovered at sale).
        #[serde(with = "crate::yuan")]
        pub costs: i64 => fen,
        /// Vaccinations, oldest first.
        pub vaccinations: Vec<Vaccination>,
        /// Its insurance.
        pub policy: Option<Policy>,
        /// The insurance claim at its death.
        pub claim: Option<Claim>,
        /// Cause of death or loss.
        pub cause: String,
        /// Its sale.
        #[serde(with = "crate::yuan::hex::opt", default)]
        pub sale: Option<Hash32>,
    }
}

canonical_struct! {
    /// The terms of a contract (the split is a term, not a constant).
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    pub struct ContractTerms {
        /// The collective's share of the net profit, basis points (3000 = 30 %); the
        /// household's is the rest.
        pub collective_share_bp: u16,
        /// Who pays feed and vet costs.
        pub cost_bearer: CostBearer,
        /// Whether the purchase cost returns to its fund before the profit is split.
        pub capital_return: bool,
        /// Who owns calves born to the contract's cows.
        pub calf_rule: CalfRule,
        /// How a loss is borne.
        pub loss_rule: LossRule,
    }
}

canonical_struct! {
    /// A contract handing animals to a household (`cowbank-contract/<id>`, the
    /// signing transaction's hash).
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    pub struct ContractRecord {
        /// The collective.
        pub village: String,
        /// The household.
        pub household: Slug,
        /// The animals handed over, then the calves born under it.
        pub animals: Vec<EarTag>,
        /// First day.
        pub start: ChinaDate,
        /// Last day.
        pub end: ChinaDate,
        /// The terms.
        pub terms: ContractTerms,
        /// The household's share of losses not yet recovered, fen.
        #[serde(with = "crate::yuan")]
        pub carried_loss: i64 => fen,
        /// Sales settled under it.
        pub sales: u32,
    }
}

canonical_struct! {
    /// How one sale's price is divided, worked out exactly in fen.
    #[derive(Clone, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
    pub struct Settlement {
        /// The household settled with (`None`: the collective's own animal).
        pub household: Option<Slug>,
        /// The contract applied.
        #[serde(with = "crate::yuan::hex::opt", default)]
        pub contract: Option<Hash32>,
        /// The collective's share, basis points (10000 with no contract).
        pub collective_share_bp: u16,
        /// The price, fen.
        #[serde(with = "crate::yuan")]
        pub price: i64 => fen,
        /// The collective's costs deducted, fen.
        #[serde(with = "crate::yuan")]
        pub costs: i64 => fen,
        /// The purchase cost deducted (capital-return contracts), fen.
        #[serde(with = "crate::yuan")]
        pub capital: i64 => fen,
        /// Price − costs − capital, fen (negative: a loss).
        #[serde(with = "crate::yuan")]
        pub net: i64 => fen,
        /// The collective's share of a positive net, rounded down, fen.
        #[serde(with = "crate::yuan")]
        pub collective_share: i64 => fen,
        /// The household's share of a positive net (gets the odd fen), fen.
        #[serde(with = "crate::yuan")]
        pub household_share: i64 => fen,
        /// Carried losses taken from the household's share, fen.
        #[serde(with = "crate::yuan")]
        pub loss_recovered: i64 => fen,
        /// The household's share of a loss, carried forward, fen.
        #[serde(with = "crate::yuan")]
        pub loss_carried: i64 => fen,
        /// Paid to the household, fen (never negative).
        #[serde(with = "crate::yuan")]
        pub household_payment: i64 => fen,
        /// Kept by the collective (price − payment), fen.
        #[serde(with = "crate::yuan")]
        pub collective_income: i64 => fen,
        /// Of that, returned to the fund that bought the animal, fen.
        #[serde(with = "crate::yuan")]
        pub capital_returned: i64 => fen,
    }
}

canonical_struct! {
    /// A sale (`cowbank-sale/<id>`, the selling transaction's hash).
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    pub struct SaleRecord {
        /// The collective.
        pub village: String,
        /// The animal.
        pub animal: EarTag,
        /// Who recorded it (the manager or the owner household's account).
        #[serde(with = "crate::yuan::hex")]
        pub seller: AccountId,
        /// The buyer.
        pub buyer: String,
        /// Live weight, kg.
        pub weight_kg: u32,
        /// Date.
        pub date: ChinaDate,
        /// The fund the price was paid into.
        pub fund: Slug,
        /// The settlement.
        pub settlement: Settlement,
    }
}

canonical_struct! {
    /// A year's figures, computed by the chain when the report is filed.
    #[derive(Clone, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
    pub struct ReportFigures {
        /// Animals kept at the end of the year (or at filing).
        pub herd: u32,
        /// Bought in the year.
        pub bought: u32,
        /// Born in the year.
        pub born: u32,
        /// Died or lost in the year.
        pub died: u32,
        /// Sold in the year.
        pub sold: u32,
        /// Inflows, fen (net of reversals).
        #[serde(with = "crate::yuan")]
        pub inflow: i64 => fen,
        /// Outflows, fen (net of reversals).
        #[serde(with = "crate::yuan")]
        pub outflow: i64 => fen,
        /// Paid to households, fen.
        #[serde(with = "crate::yuan")]
        pub paid_to_households: i64 => fen,
        /// The funds' balance at filing, fen.
        #[serde(with = "crate::yuan")]
        pub balance: i64 => fen,
    }
}

canonical_struct! {
    /// The township's countersignature.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    pub struct Countersignature {
        /// The official.
        #[serde(with = "crate::yuan::hex")]
        pub by: AccountId,
        /// Their organisation.
        pub org: String,
        /// Their opinion.
        pub opinion: String,
        /// Block time, ms.
        pub at_ms: u64,
    }
}

canonical_struct! {
    /// An annual report (`cowbank-report/<village>/<year>`), frozen once countersigned.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    pub struct ReportRecord {
        /// The year.
        pub year: u16,
        /// The manager's account of the year.
        pub text: String,
        /// The figures.
        pub figures: ReportFigures,
        /// Who filed it.
        #[serde(with = "crate::yuan::hex")]
        pub filed_by: AccountId,
        /// Block time of filing, ms.
        pub filed_at_ms: u64,
        /// The countersignature.
        pub countersigned: Option<Countersignature>,
    }
}

canonical_struct! {
    /// A village's counters (`cowbank-village/<village>`): how many of each list item
    /// it has ([`crate::ListKind`]); item `n` of a list is under `cowbank-list/…/<n>`.
    #[derive(Clone, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
    pub struct VillageRecord {
        /// Households registered.
        pub households: u32,
        /// Funds opened.
        pub funds: u32,
        /// Animals registered (bought or born).
        pub animals: u32,
        /// Contracts signed.
        pub contracts: u32,
        /// Sales.
        pub sales: u32,
        /// Reports filed (first filing of each year).
        pub reports: u32,
        /// Fund entries.
        pub entries: u64,
    }
}

canonical_struct! {
    /// One item of a village list: the id of a household, fund, animal, contract, sale
    /// or report year, as text.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    pub struct ListItem {
        /// The id.
        pub id: String,
    }
}
