//! The PostgreSQL baseline: the same workload shapes as against a node, run as plain
//! database transactions.
//!
//! One table `invoices` (number primary key; seller, buyer, holder, date, totals,
//! status and the canonical encoding of the issuing payload as BYTEA), indexed on
//! seller and on buyer, and `orders` for claims. Each operation is one database
//! transaction in autocommit, with the server's durable defaults (`fsync`,
//! `synchronous_commit`), through statements prepared once per connection:
//!
//! * issue: one `INSERT`;
//! * reimburse: `UPDATE invoices SET status = 'reimbursed' WHERE number = $1 AND
//!   status = 'held'` — a duplicate updates no row and counts as refused
//!   (`invoice.already_reimbursed`), and an invoice updated twice would be an escape;
//! * claim: an `INSERT` of the order, then once it committed one statement that marks
//!   it invoiced and inserts the invoice (nothing when already claimed);
//! * verify: `SELECT`s by number (the holder's full record) and by number, date and
//!   total (public verification).
//!
//! Totals are computed with the chain's own rules before the clock starts, as the
//! transactions are signed before it starts against a node.

use crate::{
    config::{Config, Load, Workload, MAX_POOL},
    drive::{self, Backend},
    gen,
    stats::{Stats, TxKind},
    Error, Result,
};
use commonware_codec::Encode;
use fapiao_invoice_types::InvoiceAction;
use fapiao_invoice_types::IssueInvoice;
use fapiao_types::{Action, InvoiceKind};
use parking_lot::Mutex;
use rand::Rng;
use std::{sync::Arc, time::Instant};
use tokio::sync::Semaphore;
use tokio_postgres::{Client, NoTls, Statement};

/// Connections the open loop uses.
const OPEN_LOOP_CONNECTIONS: usize = 64;
/// Uses of one invoice by the read workload (as against a node).
const READS_PER_NUMBER: usize = 25;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS invoices (
    number TEXT PRIMARY KEY,
    seller TEXT NOT NULL,
    buyer TEXT NOT NULL,
    holder TEXT,
    date INTEGER NOT NULL,
    total_amount BIGINT NOT NULL,
    total_tax BIGINT NOT NULL,
    total_with_tax BIGINT NOT NULL,
    status TEXT NOT NULL,
    body BYTEA NOT NULL
);
CREATE INDEX IF NOT EXISTS invoices_seller ON invoices (seller);
CREATE INDEX IF NOT EXISTS invoices_buyer ON invoices (buyer);
CREATE TABLE IF NOT EXISTS orders (
    id TEXT PRIMARY KEY,
    merchant TEXT NOT NULL,
    amount BIGINT NOT NULL,
    items BYTEA NOT NULL,
    claim_code_hash BYTEA NOT NULL,
    status TEXT NOT NULL,
    invoice TEXT
);
";

const INSERT: &str = "INSERT INTO invoices (number, seller, buyer, holder, date, total_amount, \
     total_tax, total_with_tax, status, body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
const REIMBURSE: &str =
    "UPDATE invoices SET status = 'reimbursed' WHERE number = $1 AND status = 'held'";
const VERIFY: &str =
    "SELECT status, seller FROM invoices WHERE number = $1 AND date = $2 AND total_with_tax = $3";
const PROOF: &str = "SELECT number, seller, buyer, holder, date, total_amount, total_tax, \
     total_with_tax, status, body FROM invoices WHERE number = $1";
const RECORD: &str = "INSERT INTO orders (id, merchant, amount, items, claim_code_hash, status) \
     VALUES ($1, $2, $3, $4, $5, 'open')";
const CLAIM: &str = "WITH o AS (UPDATE orders SET status = 'invoiced', invoice = $2 \
     WHERE id = $1 AND status = 'open' AND claim_code_hash = $3 RETURNING merchant) \
     INSERT INTO invoices (number, seller, buyer, holder, date, total_amount, total_tax, \
     total_with_tax, status, body) \
     SELECT $2, o.merchant, $4, $5, $6, $7, $8, $9, 'held', $10 FROM o";

/// An invoice row.
#[derive(Clone, Debug)]
pub(crate) struct Row {
    number: String,
    seller: String,
    buyer: String,
    holder: Option<String>,
    date: i32,
    amount: i64,
    tax: i64,
    total: i64,
    status: &'static str,
    body: Vec<u8>,
}

/// An order row and its claim code.
#[derive(Clone, Debug)]
pub(crate) struct Order {
    id: String,
    merchant: String,
    amount: i64,
    items: Vec<u8>,
    code_hash: Vec<u8>,
}

/// One operation against PostgreSQL.
#[derive(Debug)]
pub(crate) enum PgOp {
    Issue(Box<Row>),
    Reimburse {
        number: String,
        key: u32,
        duplicate: bool,
    },
    /// Record, then (after it committed) claim and issue.
    Claim(Box<(Order, Row)>),
    Verify {
        number: String,
        date: i32,
        total: i64,
    },
    Proof {
        number: String,
    },
}

struct Conn {
    client: Client,
    insert: Statement,
    reimburse: Statement,
    verify: Statement,
    proof: Statement,
    record: Statement,
    claim: Statement,
}

/// Connects and prepares the statements (creating the schema first with `schema`).
async fn connect(url: &str, schema: bool) -> Result<Conn> {
    let (client, connection) = tokio_postgres::connect(url, NoTls).await?;
    tokio::spawn(async move {
        // Ends when the client is dropped; an error then is expected.
        let _ = connection.await;
    });
    if schema {
        client.batch_execute(SCHEMA).await?;
    }
    Ok(Conn {
        insert: client.prepare(INSERT).await?,
        reimburse: client.prepare(REIMBURSE).await?,
        verify: client.prepare(VERIFY).await?,
        proof: client.prepare(PROOF).await?,
        record: client.prepare(RECORD).await?,
        claim: client.prepare(CLAIM).await?,
        client,
    })
}

/// A fixed pool of connections.
pub(crate) struct PgBackend {
    conns: Mutex<Vec<Conn>>,
    permits: Semaphore,
    stats: Arc<Stats>,
}

fn code_of(e: &tokio_postgres::Error) -> String {
    match e.code() {
        Some(c) => format!("sqlstate_{}", c.code()),
        None => "connection_error".into(),
    }
}

/// A connection taken from the pool; it goes back when dropped.
struct Lease<'a> {
    pool: &'a Mutex<Vec<Conn>>,
    conn: Option<Conn>,
    _permit: tokio::sync::SemaphorePermit<'a>,
}

impl std::ops::Deref for Lease<'_> {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        // Present from construction until drop.
        self.conn.as_ref().expect("a lease holds its connection until dropped")
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        if let Some(c) = self.conn.take() {
            self.pool.lock().push(c);
        }
    }
}

type DbResult<T> = std::result::Result<T, tokio_postgres::Error>;

impl PgBackend {
    async fn lease(&self) -> Option<Lease<'_>> {
        let permit = self.permits.acquire().await.ok()?;
        let conn = self.conns.lock().pop()?;
        Some(Lease { pool: &self.conns, conn: Some(conn), _permit: permit })
    }

    /// Records a write that updated `rows` (none: outcome `zero_rows`).
    fn wrote(
        &self,
        kind: TxKind,
        key: u32,
        started: Instant,
        zero_rows: &str,
        result: Option<DbResult<u64>>,
    ) {
        let done = Instant::now();
        match result {
            Some(Ok(rows)) => {
                self.stats.admitted();
                let outcome = if rows == 0 { zero_rows } else { "ok" };
                self.stats.committed(kind, key, started, done, outcome);
            }
            Some(Err(e)) => self.stats.refused(&code_of(&e)),
            None => self.stats.refused("no_connection"),
        }
    }

    fn read_done(&self, started: Instant, r: Option<DbResult<bool>>) {
        let done = Instant::now();
        match r {
            Some(Ok(true)) => self.stats.read(started, done, Ok(())),
            Some(Ok(false)) => self.stats.read(started, done, Err("not_found")),
            Some(Err(e)) => self.stats.read(started, done, Err(&code_of(&e))),
            None => self.stats.read(started, done, Err("no_connection")),
        }
    }
}

impl Backend for PgBackend {
    type Op = PgOp;

    fn units(op: &PgOp) -> u64 {
        match op {
            PgOp::Claim(_) => 2,
            _ => 1,
        }
    }

    async fn run(self: Arc<Self>, op: PgOp, intended: Instant, _wait: bool) {
        match op {
            PgOp::Issue(r) => {
                self.stats.submitted(TxKind::Issue, 1);
                let result = match self.lease().await {
                    Some(c) => Some(insert(&c, &r).await),
                    None => None,
                };
                self.wrote(TxKind::Issue, 0, intended, "no_row", result);
            }
            PgOp::Reimburse { number, key, duplicate } => {
                let kind = if duplicate { TxKind::Duplicate } else { TxKind::Reimburse };
                self.stats.submitted(kind, 1);
                let result = match self.lease().await {
                    Some(c) => Some(c.client.execute(&c.reimburse, &[&number]).await),
                    None => None,
                };
                self.wrote(kind, key, intended, "invoice.already_reimbursed", result);
            }
            PgOp::Claim(pair) => {
                let (order, row) = *pair;
                self.stats.submitted(TxKind::Record, 1);
                let result = match self.lease().await {
                    Some(c) => Some(
                        c.client
                            .execute(
                                &c.record,
                                &[
                                    &order.id,
                                    &order.merchant,
                                    &order.amount,
                                    &order.items,
                                    &order.code_hash,
                                ],
                            )
                            .await,
                    ),
                    None => None,
                };
                let recorded = matches!(result, Some(Ok(1)));
                self.wrote(TxKind::Record, 0, intended, "no_row", result);
                if !recorded {
                    return;
                }
                let started = Instant::now();
                self.stats.submitted(TxKind::Claim, 1);
                let result = match self.lease().await {
                    Some(c) => Some(
                        c.client
                            .execute(
                                &c.claim,
                                &[
                                    &order.id,
                                    &row.number,
                                    &order.code_hash,
                                    &row.buyer,
                                    &row.holder,
                                    &row.date,
                                    &row.amount,
                                    &row.tax,
                                    &row.total,
                                    &row.body,
                                ],
                            )
                            .await,
                    ),
                    None => None,
                };
                self.wrote(TxKind::Claim, 0, started, "invoice.order_already_claimed", result);
            }
            PgOp::Verify { number, date, total } => {
                let r = match self.lease().await {
                    Some(c) => Some(
                        c.client
                            .query(&c.verify, &[&number, &date, &total])
                            .await
                            .map(|rows| !rows.is_empty()),
                    ),
                    None => None,
                };
                self.read_done(intended, r);
            }
            PgOp::Proof { number } => {
                let r = match self.lease().await {
                    Some(c) => Some(
                        c.client.query(&c.proof, &[&number]).await.map(|rows| !rows.is_empty()),
                    ),
                    None => None,
                };
                self.read_done(intended, r);
            }
        }
    }

    async fn drain(self: Arc<Self>, _deadline: Instant) {
        // Every operation finishes within its own call.
    }
}

type Param<'a> = &'a (dyn tokio_postgres::types::ToSql + Sync);

/// The parameters of [`INSERT`] for `r`.
fn params(r: &Row) -> [Param<'_>; 10] {
    [
        &r.number, &r.seller, &r.buyer, &r.holder, &r.date, &r.amount, &r.tax, &r.total, &r.status,
        &r.body,
    ]
}

async fn insert(c: &Conn, r: &Row) -> DbResult<u64> {
    c.client.execute(&c.insert, &params(r)).await
}

/// Builds invoice rows as a node would hold them: numbers of this run, merchants'
/// fresh USCCs, generated lines and their totals, the issuing payload's encoding.
struct Rows {
    merchants: Vec<fapiao_types::Uscc>,
    /// First sequence number of this run (numbers are `YY95 1 SSS…`).
    base: u64,
    date: u32,
}

impl Rows {
    fn new(merchants: usize) -> Result<Self> {
        let mut rng = rand::thread_rng();
        let merchants =
            (0..merchants).map(|_| gen::fresh_uscc(&mut rng)).collect::<Result<Vec<_>>>()?;
        Ok(Self { merchants, base: rng.gen_range(0..900_000_000_000_000u64), date: gen::today() })
    }

    fn row(&self, i: usize, employer: bool, status: &'static str) -> Result<Row> {
        let mut rng = rand::thread_rng();
        let seller = &self.merchants[i % self.merchants.len()];
        let buyer =
            if employer { gen::huawei_buyer(None) } else { gen::buyer(&mut rng, None, seller) };
        let lines = gen::lines(&mut rng);
        let (amount, tax, total) = gen::totals(&lines, buyer.tax_id.as_ref(), self.date)?;
        let buyer_key = match &buyer.tax_id {
            Some(t) => t.to_string(),
            None => buyer.name.clone(),
        };
        let holder = (employer || buyer.tax_id.is_none()).then(|| "li-wei".to_string());
        let body = Action::from(InvoiceAction::IssueInvoice(IssueInvoice {
            seller: *seller,
            kind: InvoiceKind::Ordinary,
            type_code: "82".into(),
            buyer,
            lines,
            remarks: String::new(),
            salt: gen::salt(&mut rng),
            industry: None,
        }))
        .encode()
        .to_vec();
        Ok(Row {
            number: format!("{:02}951{:015}", (self.date / 10_000) % 100, self.base + i as u64),
            seller: seller.to_string(),
            buyer: buyer_key,
            holder,
            date: i32::try_from(self.date).unwrap_or(i32::MAX),
            amount,
            tax,
            total,
            status,
            body,
        })
    }

    /// Rows `from..from + n` on every core.
    fn rows(
        &self,
        from: usize,
        n: usize,
        employer: bool,
        status: &'static str,
    ) -> Result<Vec<Row>> {
        let idx: Vec<usize> = (from..from + n).collect();
        let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
        let per = idx.len().div_ceil(threads).max(1);
        std::thread::scope(|s| {
            let handles: Vec<_> = idx
                .chunks(per)
                .map(|c| {
                    s.spawn(move || {
                        c.iter().map(|&i| self.row(i, employer, status)).collect::<Result<Vec<_>>>()
                    })
                })
                .collect();
            let mut out = Vec::with_capacity(n);
            for h in handles {
                out.extend(h.join().map_err(|_| Error::Data("row builder panicked".into()))??);
            }
            Ok(out)
        })
    }
}

/// Inserts `rows` in setup, 1,000 per transaction.
async fn load(conn: &mut Conn, rows: &[Row]) -> Result<()> {
    for chunk in rows.chunks(1_000) {
        let tx = conn.client.transaction().await?;
        let stmt = &conn.insert;
        let all: Vec<[Param<'_>; 10]> = chunk.iter().map(params).collect();
        let inserts = all.iter().map(|p| tx.execute(stmt, p));
        futures::future::try_join_all(inserts).await?;
        tx.commit().await?;
    }
    Ok(())
}

/// What the PostgreSQL run prepared.
pub(crate) struct PgPrepared {
    pub backend: Arc<PgBackend>,
    pub ops: Vec<PgOp>,
    pub units: u64,
    pub connections: usize,
}

/// Connects, creates the schema, loads setup rows and builds the operations.
///
/// # Errors
/// [`Error::Postgres`] when the server refuses a connection or the schema.
pub(crate) async fn prepare(cfg: &Config, url: &str, stats: Arc<Stats>) -> Result<PgPrepared> {
    let connections = match cfg.load {
        Load::Closed { concurrency } => concurrency,
        Load::Open { .. } => OPEN_LOOP_CONNECTIONS,
    };
    let mut first = connect(url, true).await?;
    let rows = Rows::new(cfg.merchants)?;
    let secs = cfg.duration.as_secs_f64();
    let open_units = match cfg.load {
        Load::Open { rate } => Some((rate * secs).ceil() as usize),
        Load::Closed { .. } => None,
    };
    let ops: Vec<PgOp> = match cfg.workload {
        Workload::Issue => {
            let n = cfg.wanted(50_000.0, 1_000, MAX_POOL);
            rows.rows(1_000_000_000, n, false, "issued")?
                .into_iter()
                .map(|r| PgOp::Issue(Box::new(r)))
                .collect()
        }
        Workload::Reimburse => {
            let per = 1.0 + cfg.duplicate_rate;
            let invoices = match open_units {
                Some(u) => (u as f64 / per).ceil() as usize,
                None => cfg
                    .pool
                    .map(|p| (p as f64 / per).ceil() as usize)
                    .unwrap_or_else(|| ((2_000.0 * secs) as usize).clamp(2_000, 100_000)),
            }
            .max(1);
            reimbursement_ops(&mut first, &rows, invoices, cfg).await?
        }
        Workload::Verify => {
            let reads = match (open_units, cfg.pool) {
                (Some(u), _) => u,
                (None, Some(p)) => p,
                (None, None) => ((1_000.0 * secs) as usize).clamp(1_000, 20_000) * READS_PER_NUMBER,
            };
            let built =
                rows.rows(500_000_000, reads.div_ceil(READS_PER_NUMBER).max(1), false, "issued")?;
            load(&mut first, &built).await?;
            read_ops(&built, reads)
        }
        Workload::Claim => {
            let n = cfg.wanted(50_000.0, 1_000, MAX_POOL).div_ceil(2);
            let built = rows.rows(1_000_000_000, n, false, "held")?;
            let mut rng = rand::thread_rng();
            built
                .into_iter()
                .map(|row| {
                    let code = hex::encode(gen::salt(&mut rng));
                    let order = Order {
                        id: hex::encode(gen::salt(&mut rng)),
                        merchant: row.seller.clone(),
                        amount: row.total,
                        items: row.body.clone(),
                        code_hash: fapiao_types::sha256(code.as_bytes()).to_vec(),
                    };
                    PgOp::Claim(Box::new((order, row)))
                })
                .collect()
        }
        Workload::Mixed => {
            let total = open_units
                .or(cfg.pool)
                .unwrap_or_else(|| ((10_000.0 * secs) as usize).clamp(5_000, 300_000));
            let reimb_invoices =
                ((total as f64 * 0.2) / (1.0 + cfg.duplicate_rate)).ceil().max(1.0) as usize;
            let reimb = reimbursement_ops(&mut first, &rows, reimb_invoices, cfg).await?;
            let reads_n = (total / 10).max(1);
            let built =
                rows.rows(500_000_000, reads_n.div_ceil(READS_PER_NUMBER), false, "issued")?;
            load(&mut first, &built).await?;
            let reads = read_ops(&built, reads_n);
            let issues = rows
                .rows(1_000_000_000, total * 7 / 10, false, "issued")?
                .into_iter()
                .map(|r| PgOp::Issue(Box::new(r)))
                .collect();
            drive::interleave(vec![issues, reimb, reads], PgBackend::units)
        }
    };
    let mut conns = vec![first];
    for _ in 1..connections {
        conns.push(connect(url, false).await?);
    }
    let units = ops.iter().map(PgBackend::units).sum();
    Ok(PgPrepared {
        backend: Arc::new(PgBackend {
            conns: Mutex::new(conns),
            permits: Semaphore::new(connections),
            stats,
        }),
        ops,
        units,
        connections,
    })
}

/// Loads `invoices` held invoices of Huawei and returns the reimbursement attempts
/// (with duplicates) in sending order.
async fn reimbursement_ops(
    conn: &mut Conn,
    rows: &Rows,
    invoices: usize,
    cfg: &Config,
) -> Result<Vec<PgOp>> {
    let built = rows.rows(0, invoices, true, "held")?;
    load(conn, &built).await?;
    let plan = gen::duplicate_plan(built.len(), cfg.duplicate_rate, cfg.batch);
    Ok(plan
        .into_iter()
        .map(|(i, duplicate)| PgOp::Reimburse {
            number: built[i].number.clone(),
            key: u32::try_from(i).unwrap_or(u32::MAX),
            duplicate,
        })
        .collect())
}

fn read_ops(rows: &[Row], reads: usize) -> Vec<PgOp> {
    (0..reads)
        .map(|r| {
            let row = &rows[r % rows.len()];
            if r % 2 == 0 {
                PgOp::Proof { number: row.number.clone() }
            } else {
                PgOp::Verify { number: row.number.clone(), date: row.date, total: row.total }
            }
        })
        .collect()
}

/// The URL without its password, for the report.
pub(crate) fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return "postgres".into() };
    let Some((creds, host)) = rest.rsplit_once('@') else { return url.to_string() };
    let user = creds.split(':').next().unwrap_or("");
    format!("{scheme}://{user}@{host}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_not_reported() {
        assert_eq!(
            redact("postgres://bench:secret@127.0.0.1:5432/db"),
            "postgres://bench@127.0.0.1:5432/db"
        );
        assert_eq!(redact("postgres://127.0.0.1/db"), "postgres://127.0.0.1/db");
    }

    #[test]
    fn rows_have_distinct_numbers_and_consistent_totals() {
        let rows = Rows::new(4).unwrap();
        let built = rows.rows(0, 300, false, "issued").unwrap();
        let numbers: std::collections::BTreeSet<_> = built.iter().map(|r| &r.number).collect();
        assert_eq!(numbers.len(), 300);
        for r in &built {
            assert_eq!(r.number.len(), 20);
            assert_eq!(r.amount + r.tax, r.total);
        }
    }
}
