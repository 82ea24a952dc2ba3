//! `fapiao cowbank …`: the village cow bank for its manager, its households, the
//! township and anyone reading the open books. Reads need no token; writes go through
//! `POST /v1/cowbank/actions` signed custodially for the token's account. Values are
//! parsed here into the chain's types (an ear tag, a date, an amount), so a typo is
//! refused before anything is sent.

use crate::{
    client::block_on,
    invoice_cmd::{call, print, read_json, Conn},
};
use anyhow::{anyhow, Result};
use clap::Subcommand;
use fapiao_cowbank_types::{
    CountersignReport, CowbankAction, EarTag, FileReport, RecordBirth, SellAnimal, Sex, Slug,
};
use fapiao_types::ChinaDate;
use std::path::PathBuf;

/// Cow bank commands.
#[derive(Subcommand)]
pub enum CowbankCommand {
    /// List the village collectives.
    Villages,
    /// A village's open books (herd, funds, sales and their split, households, reports).
    Village {
        /// The collective's organisation id.
        village: String,
    },
    /// One animal.
    Animal {
        /// Its 15-digit ear tag.
        tag: String,
    },
    /// How a sale at a price would be settled now (nothing is written).
    Preview {
        /// Ear tag.
        #[arg(long)]
        tag: String,
        /// Price, yuan.
        #[arg(long)]
        price: String,
    },
    /// Send any cow bank action from a JSON file (`-` for stdin):
    /// `{"action": "sell_animal", "tag": …}` (docs/formats.md §19).
    Act {
        /// The JSON file.
        file: PathBuf,
    },
    /// Record a sale (the manager, or the household owning the animal).
    Sell {
        /// Ear tag.
        #[arg(long)]
        tag: String,
        /// Price, yuan.
        #[arg(long)]
        price: String,
        /// Buyer.
        #[arg(long)]
        buyer: String,
        /// Live weight, kg.
        #[arg(long)]
        weight_kg: u32,
        /// The fund the price is paid into.
        #[arg(long, default_value = "income")]
        fund: String,
        /// Date (yyyy-mm-dd).
        #[arg(long)]
        date: String,
    },
    /// Record a birth (the manager).
    Birth {
        /// The calf's ear tag.
        #[arg(long)]
        tag: String,
        /// The mother's ear tag.
        #[arg(long)]
        mother: String,
        /// `female` or `male`.
        #[arg(long)]
        sex: String,
        /// Breed.
        #[arg(long)]
        breed: String,
        /// Date (yyyy-mm-dd).
        #[arg(long)]
        date: String,
    },
    /// File (or refile, before it is countersigned) a year's report (the manager).
    Report {
        /// The year.
        #[arg(long)]
        year: u16,
        /// The manager's account of the year.
        #[arg(long)]
        text: String,
    },
    /// Countersign a village's report (the township's official).
    Countersign {
        /// The collective's organisation id.
        #[arg(long)]
        village: String,
        /// The year.
        #[arg(long)]
        year: u16,
        /// Opinion.
        #[arg(long)]
        opinion: String,
    },
}

fn tag(s: &str, field: &str) -> Result<EarTag> {
    fapiao_cowbank::parse_ear_tag(s, field).map_err(|e| anyhow!("{e}"))
}

fn date(s: &str) -> Result<ChinaDate> {
    ChinaDate::parse(s).map_err(|e| anyhow!("date: {e}"))
}

fn yuan(s: &str, field: &str) -> Result<i64> {
    fapiao_values::Fen::parse_unsigned(s).map(|f| f.fen()).map_err(|e| anyhow!("{field}: {e}"))
}

/// `fapiao cowbank`.
pub fn cowbank(conn: Conn, cmd: CowbankCommand) -> Result<()> {
    use CowbankCommand as C;
    let action = match &cmd {
        C::Sell { tag: t, price, buyer, weight_kg, fund, date: d } => {
            Some(CowbankAction::SellAnimal(SellAnimal {
                tag: tag(t, "tag")?,
                buyer: buyer.clone(),
                weight_kg: *weight_kg,
                price: yuan(price, "price")?,
                date: date(d)?,
                fund: Slug::parse(fund).map_err(|e| anyhow!("fund: {e}"))?,
            }))
        }
        C::Birth { tag: t, mother, sex, breed, date: d } => {
            Some(CowbankAction::RecordBirth(RecordBirth {
                tag: tag(t, "tag")?,
                mother: tag(mother, "mother")?,
                sex: Sex::parse(sex).map_err(|e| anyhow!("sex: {e}"))?,
                breed: breed.clone(),
                date: date(d)?,
            }))
        }
        C::Report { year, text } => {
            Some(CowbankAction::FileReport(FileReport { year: *year, text: text.clone() }))
        }
        C::Countersign { village, year, opinion } => {
            Some(CowbankAction::CountersignReport(CountersignReport {
                village: village.clone(),
                year: *year,
                opinion: opinion.clone(),
            }))
        }
        _ => None,
    };
    let v = block_on(async {
        if let Some(a) = action {
            return call(&conn, "POST", "/v1/cowbank/actions", Some(serde_json::to_value(a)?))
                .await;
        }
        match cmd {
            C::Villages => call(&conn, "GET", "/v1/cowbank/villages", None).await,
            C::Village { village } => {
                call(&conn, "GET", &format!("/v1/cowbank/villages/{village}"), None).await
            }
            C::Animal { tag: t } => {
                let t = tag(&t, "tag")?;
                call(&conn, "GET", &format!("/v1/cowbank/animals/{t}"), None).await
            }
            C::Preview { tag: t, price } => {
                let t = tag(&t, "tag")?;
                yuan(&price, "price")?;
                call(&conn, "GET", &format!("/v1/cowbank/preview?tag={t}&price={price}"), None)
                    .await
            }
            C::Act { file } => {
                let json = read_json(&file)?;
                // Checked against the chain's types before it is sent.
                serde_json::from_value::<CowbankAction>(json.clone())
                    .map_err(|e| anyhow!("{} is not a cow bank action: {e}", file.display()))?;
                call(&conn, "POST", "/v1/cowbank/actions", Some(json)).await
            }
            _ => unreachable!("the writes are built above"),
        }
    })??;
    print(&v)
}
