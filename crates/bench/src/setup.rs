//! Before the clock starts (not measured): bench merchants on the chain, the invoices a
//! reimbursement or read workload needs, and every measured transaction signed.
//!
//! Merchants: up to `--merchants` of the consortium's enterprise taxpayers, each signing
//! with an issuing key of its own organisation from the identities (a taxpayer's
//! issuers are accounts of its own organisation, and only genesis creates
//! organisations); the officer grants each a large monthly credit. For
//! claims each merchant also keeps a small catalogue, accepts orders from the payment
//! platform and delegates automatic issuing to it.

use crate::{
    config::{Config, Load, Workload, MAX_POOL},
    follow::{NodeOp, ReadOp, Stage, TxMeta},
    gen,
    identities::{Identities, Identity},
    node::{Admission, NodeClient},
    stats::TxKind,
    Error, Result,
};
use bytes::Bytes;
use commonware_codec::Encode;
use fapiao_crypto::SigningKey;
use fapiao_invoice_types::InvoiceAction;
use fapiao_invoice_types::{
    ClaimOrder, GrantCredit, InvoiceRef, IssueInvoice, OrderItem, RecordOrder,
    SetAcceptedPlatforms, SetAutoIssue, SetCatalogueItem,
};
use fapiao_types::{Action, Hash32, InvoiceKind, Role, SignedTx, Tx};
use futures::StreamExt;
use rand::Rng;
use std::{
    collections::HashMap,
    sync::Arc,
    time::{Duration, Instant},
};

/// Expiry window assumed when no genesis file is found next to the identities.
const DEFAULT_EXPIRY_WINDOW: u64 = 600;
/// Monthly credit of a bench merchant: ten billion yuan.
const CREDIT_FEN: i64 = 1_000_000_000_000;
/// Transactions per setup request (well under the node's 1 MiB body limit).
const SETUP_BATCH: usize = 500;
/// Setup transactions in the pool at once (the default pool holds 50,000).
const SETUP_CHUNK: usize = 20_000;
/// Uses of one invoice number by the read workload: under the node's limit of 30
/// verifications per number per minute.
const READS_PER_NUMBER: usize = 25;

/// A bench merchant: its taxpayer id and its issuing key.
pub(crate) struct Merchant {
    uscc: fapiao_types::Uscc,
    issuer: SigningKey,
}

/// A member whose key signs measured transactions and whose token reads.
struct Member {
    key: SigningKey,
    token: Arc<str>,
    /// The node holding its token.
    node: Arc<str>,
    org: String,
    tax_id: Option<String>,
}

/// The chain-side context of a run.
pub(crate) struct NodeSetup {
    client: NodeClient,
    /// First target: setup goes there.
    url: String,
    chain_id: String,
    /// Expiry of every transaction of the run.
    expiry: u64,
    officer: Member,
    /// The consortium's merchants: each enterprise taxpayer's issuing key from the
    /// identities (a taxpayer's issuers are accounts of its own organisation, and only
    /// genesis creates organisations).
    issuers: Vec<Merchant>,
    consumer: Option<Member>,
    finance: Option<Member>,
    gateway: Option<Member>,
    merchants: Vec<Merchant>,
    notes: Vec<String>,
}

/// What preparation produced.
pub(crate) struct Prepared {
    pub ops: Vec<NodeOp>,
    /// Transactions and reads prepared.
    pub units: u64,
    /// Time spent signing the measured transactions.
    pub signing: Duration,
    pub notes: Vec<String>,
}

fn random_nonce() -> u64 {
    rand::thread_rng().gen()
}

/// Signs `action` by `key`.
fn sign(key: &SigningKey, chain_id: &str, expiry: u64, action: Action) -> SignedTx {
    key.sign_tx(Tx {
        chain_id: chain_id.to_string(),
        sender: key.public_key(),
        nonce: random_nonce(),
        expiry,
        action,
    })
}

/// Maps `items` on every core.
fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).max(1);
    let per = items.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> =
            items.chunks(per).map(|c| s.spawn(|| c.iter().map(&f).collect::<Vec<R>>())).collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
    })
}

fn node_units(op: &NodeOp) -> u64 {
    <crate::follow::NodeBackend as crate::drive::Backend>::units(op)
}

/// Runs `f`, adding its time to `total`.
fn timed<R>(total: &mut Duration, f: impl FnOnce() -> R) -> R {
    let t = Instant::now();
    let out = f();
    *total += t.elapsed();
    out
}

/// A signed, encoded measured transaction.
struct Ready {
    meta: TxMeta,
    bytes: Bytes,
}

fn ready(stx: &SignedTx, kind: TxKind, key: u32) -> Ready {
    Ready { meta: TxMeta { hash: stx.hash(), kind, key }, bytes: stx.encode() }
}

/// Cuts transactions into request bodies of `batch` (frames), or single bodies.
fn stages(txs: Vec<Ready>, batch: usize) -> Vec<Stage> {
    let single = batch == 1;
    txs.chunks(batch)
        .map(|c| {
            let body = if single {
                c.first().map(|r| r.bytes.clone()).unwrap_or_default()
            } else {
                let mut out = Vec::with_capacity(c.iter().map(|r| r.bytes.len() + 4).sum());
                for r in c {
                    fapiao_types::push_frame(&mut out, &r.bytes);
                }
                Bytes::from(out)
            };
            Stage { body, txs: c.iter().map(|r| r.meta).collect() }
        })
        .collect()
}

impl NodeSetup {
    /// Reads the identities and the chain's status.
    ///
    /// # Errors
    /// A missing identity or key file, an unreachable node.
    pub(crate) async fn connect(cfg: &Config, client: NodeClient) -> Result<Self> {
        let ids = Identities::load(&cfg.identities)?;
        let url = cfg.targets[0].clone();
        let status = client.status(&url).await?;
        let mut notes = Vec::new();
        let window = ids.expiry_window().unwrap_or_else(|| {
            notes.push(format!(
                "no genesis.json next to {}: assumed an expiry window of {DEFAULT_EXPIRY_WINDOW}",
                ids.path.display()
            ));
            DEFAULT_EXPIRY_WINDOW
        });
        let member = |i: &Identity| -> Result<Member> {
            let node = if cfg
                .targets
                .iter()
                .any(|t| t.trim_end_matches('/') == i.node.trim_end_matches('/'))
            {
                i.node.clone()
            } else {
                url.clone()
            };
            Ok(Member {
                key: i.key()?,
                token: Arc::from(i.token.as_str()),
                node: Arc::from(node.as_str()),
                org: i.org.clone(),
                tax_id: i.tax_id.clone(),
            })
        };
        let officer = member(ids.pick("Officer Chen", Role::TaxOfficer.as_str(), |_| true)?)?;
        let mut issuers: Vec<Merchant> = Vec::new();
        for i in &ids.all {
            let Some(uscc) = i.tax_id.as_deref().and_then(|t| fapiao_types::Uscc::parse(t).ok())
            else {
                continue;
            };
            if i.org_kind == "enterprise"
                && i.has(Role::MerchantIssuer.as_str())
                && !issuers.iter().any(|m| m.uscc == uscc)
            {
                issuers.push(Merchant { uscc, issuer: i.key()? });
            }
        }
        if issuers.is_empty() {
            return Err(Error::Identities("no enterprise with a merchant.issuer".into()));
        }
        let w = cfg.workload;
        let needs_consumer = w != Workload::Issue;
        let consumer = match ids.pick("Li Wei", Role::Consumer.as_str(), |_| true) {
            Ok(i) => Some(member(i)?),
            Err(e) if needs_consumer => return Err(e),
            Err(_) => None,
        };
        let finance = if matches!(w, Workload::Reimburse | Workload::Mixed) {
            Some(member(ids.pick(
                "Huawei finance office",
                Role::EnterpriseFinance.as_str(),
                |i| i.tax_id.as_deref().is_some_and(|t| !t.is_empty()),
            )?)?)
        } else {
            None
        };
        let gateway = if w == Workload::Claim {
            Some(member(ids.pick("Payments gateway", Role::PlatformPayments.as_str(), |i| {
                matches!(i.org_kind.as_str(), "platform" | "payment_platform")
            })?)?)
        } else {
            None
        };
        Ok(Self {
            client,
            url,
            chain_id: status.chain_id,
            expiry: status.height + window.saturating_sub(10).max(1),
            officer,
            issuers,
            consumer,
            finance,
            gateway,
            merchants: Vec::new(),
            notes,
        })
    }

    fn sign(&self, key: &SigningKey, action: Action) -> SignedTx {
        sign(key, &self.chain_id, self.expiry, action)
    }

    /// Submits `txs` and waits until every one is committed with `ok`; returns where
    /// each one is (height, position in its block).
    async fn commit(&self, txs: &[SignedTx], what: &str) -> Result<Vec<(u64, usize)>> {
        let t = Instant::now();
        let mut positions = Vec::with_capacity(txs.len());
        for chunk in txs.chunks(SETUP_CHUNK) {
            let start = self.client.status(&self.url).await?.height;
            for part in chunk.chunks(SETUP_BATCH) {
                let mut body = Vec::new();
                for t in part {
                    fapiao_types::push_frame(&mut body, &t.encode());
                }
                let answers =
                    self.client.submit(&self.url, Bytes::from(body), part.len(), false).await;
                if let Some(Admission::Refused(code)) =
                    answers.iter().find(|a| **a != Admission::Admitted)
                {
                    return Err(Error::Setup(format!("{what}: refused at admission: {code}")));
                }
            }
            let index: HashMap<Hash32, usize> =
                chunk.iter().enumerate().map(|(i, t)| (t.hash(), i)).collect();
            let mut found: Vec<Option<(u64, usize, String)>> = vec![None; chunk.len()];
            let mut remaining = chunk.len();
            let deadline = Instant::now() + Duration::from_secs(60 + chunk.len() as u64 / 100);
            let mut next = start + 1;
            while remaining > 0 {
                if Instant::now() > deadline {
                    return Err(Error::Setup(format!(
                        "{what}: {remaining} of {} not committed in time",
                        chunk.len()
                    )));
                }
                let tip = self.client.status(&self.url).await?.height;
                while next <= tip {
                    let Some(b) = self.client.block(&self.url, next).await? else { break };
                    for (pos, (h, outcome)) in b.tx_hashes.iter().zip(b.outcomes).enumerate() {
                        if let Some(&i) = index.get(h) {
                            if found[i].is_none() {
                                found[i] = Some((b.height, pos, outcome));
                                remaining -= 1;
                            }
                        }
                    }
                    next += 1;
                }
                if remaining > 0 {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
            for (height, pos, outcome) in found.into_iter().flatten() {
                if outcome != "ok" {
                    return Err(Error::Setup(format!("{what}: failed with {outcome}")));
                }
                positions.push((height, pos));
            }
        }
        eprintln!(
            "[bench] setup: {what}: {} transactions committed in {:.1} s",
            txs.len(),
            t.elapsed().as_secs_f64()
        );
        Ok(positions)
    }

    /// The receipt output (invoice number) of a committed transaction, read as the tax
    /// officer.
    async fn output(&self, tx: &SignedTx) -> Result<String> {
        let officer = &self.officer;
        let path = format!("/v1/transactions/{}", hex::encode(tx.hash()));
        let v = self.client.get_json(&officer.node, &path, Some(&officer.token)).await?;
        v["receipt"]["output"]
            .as_str()
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .ok_or_else(|| Error::Setup(format!("{path}: no output in the receipt")))
    }

    /// The invoice numbers the issuances `txs` (committed at `positions`) got.
    ///
    /// Numbers are allocated in execution order from one sequence per prefix (year,
    /// region, channel), and every bench merchant is in Shenzhen. When the first and
    /// the last issuance in execution order are exactly `n − 1` apart, nobody else took
    /// a number in between and the rest follow; a few more are read as a check. Else
    /// (someone issued in Shenzhen meanwhile, or the year turned) every receipt is read.
    async fn outputs(&self, txs: &[SignedTx], positions: &[(u64, usize)]) -> Result<Vec<String>> {
        let t = Instant::now();
        let mut order: Vec<usize> = (0..txs.len()).collect();
        order.sort_by_key(|&i| positions.get(i).copied().unwrap_or_default());
        if let Some(numbers) = self.sequential_outputs(txs, &order).await? {
            return Ok(numbers);
        }
        let results: Vec<Result<String>> =
            futures::stream::iter(txs.iter().map(|tx| self.output(tx)))
                .buffered(32)
                .collect()
                .await;
        eprintln!(
            "[bench] setup: read {} invoice numbers in {:.1} s",
            txs.len(),
            t.elapsed().as_secs_f64()
        );
        results.into_iter().collect()
    }

    /// See [`Self::outputs`]: the numbers when they are consecutive, else `None`.
    async fn sequential_outputs(
        &self,
        txs: &[SignedTx],
        order: &[usize],
    ) -> Result<Option<Vec<String>>> {
        let (Some(&first), Some(&last)) = (order.first(), order.last()) else {
            return Ok(Some(Vec::new()));
        };
        let split = |n: &str| -> Option<(String, u64)> {
            (n.len() == 20)
                .then(|| (n[..5].to_string(), n[5..].parse().ok()))
                .and_then(|(p, s)| s.map(|s| (p, s)))
        };
        let (Some((prefix, start)), Some((prefix_last, end))) =
            (split(&self.output(&txs[first]).await?), split(&self.output(&txs[last]).await?))
        else {
            return Ok(None);
        };
        if prefix != prefix_last || end.checked_sub(start) != Some(order.len() as u64 - 1) {
            return Ok(None);
        }
        let mut numbers = vec![String::new(); txs.len()];
        for (k, &i) in order.iter().enumerate() {
            numbers[i] = format!("{prefix}{:015}", start + k as u64);
        }
        // A few more, as a check of the reasoning.
        for k in [order.len() / 3, order.len() / 2, order.len() * 2 / 3] {
            let i = order[k];
            if self.output(&txs[i]).await? != numbers[i] {
                return Ok(None);
            }
        }
        Ok(Some(numbers))
    }

    /// Prepares the bench merchants (see the module docs).
    pub(crate) async fn merchants(&mut self, count: usize, catalogue: bool) -> Result<()> {
        let merchants: Vec<Merchant> =
            self.issuers.drain(..count.min(self.issuers.len())).collect();
        if merchants.len() < count {
            self.notes.push(format!(
                "{count} merchants asked, the consortium has {}: using those",
                merchants.len()
            ));
        }
        let mut next: Vec<SignedTx> = merchants
            .iter()
            .map(|m| {
                self.sign(
                    &self.officer.key,
                    Action::from(InvoiceAction::GrantCredit(GrantCredit {
                        uscc: m.uscc,
                        monthly_ceiling: CREDIT_FEN,
                    })),
                )
            })
            .collect();
        if catalogue {
            let platform = self.gateway.as_ref().map(|g| g.org.clone()).unwrap_or_default();
            for m in &merchants {
                for (sku, name, code, rate) in gen::SKUS {
                    next.push(
                        self.sign(
                            &m.issuer,
                            Action::from(InvoiceAction::SetCatalogueItem(SetCatalogueItem {
                                uscc: m.uscc,
                                sku: (*sku).into(),
                                name: (*name).into(),
                                tax_code: (*code).into(),
                                rate: fapiao_types::RateCode::parse(rate)
                                    .map_err(|e| Error::Data(e.to_string()))?,
                            })),
                        ),
                    );
                }
                next.push(self.sign(
                    &m.issuer,
                    Action::from(InvoiceAction::SetAcceptedPlatforms(SetAcceptedPlatforms {
                        uscc: m.uscc,
                        platforms: vec![platform.clone()],
                    })),
                ));
                next.push(self.sign(
                    &m.issuer,
                    Action::from(InvoiceAction::SetAutoIssue(SetAutoIssue {
                        uscc: m.uscc,
                        platform_org: platform.clone(),
                        enabled: true,
                    })),
                ));
            }
        }
        self.commit(&next, "granting credit").await?;
        self.merchants = merchants;
        Ok(())
    }

    fn consumer(&self) -> Result<&Member> {
        self.consumer.as_ref().ok_or_else(|| Error::Identities("no consumer (Li Wei)".into()))
    }

    fn issue_action(
        &self,
        i: usize,
        buyer: fapiao_invoice_types::Buyer,
        rng: &mut impl Rng,
    ) -> Action {
        let m = &self.merchants[i % self.merchants.len()];
        Action::from(InvoiceAction::IssueInvoice(IssueInvoice {
            seller: m.uscc,
            kind: InvoiceKind::Ordinary,
            type_code: "82".into(),
            buyer,
            lines: gen::lines(rng),
            remarks: String::new(),
            salt: gen::salt(rng),
            industry: None,
        }))
    }

    /// `n` measured issuances, spread over the merchants.
    fn issues(&self, n: usize) -> Vec<Ready> {
        let holder = self.consumer.as_ref().map(|c| c.key.account_id());
        let idx: Vec<usize> = (0..n).collect();
        par_map(&idx, |&i| {
            let mut rng = rand::thread_rng();
            let m = &self.merchants[i % self.merchants.len()];
            let buyer = gen::buyer(&mut rng, holder, &m.uscc);
            let stx = self.sign(&m.issuer, self.issue_action(i, buyer, &mut rng));
            ready(&stx, TxKind::Issue, 0)
        })
    }

    /// Issues `n` invoices in setup (held by the consumer; Huawei's as buyer when
    /// `employer`) and returns their numbers.
    async fn issued_in_setup(&self, n: usize, employer: bool, what: &str) -> Result<Vec<String>> {
        let holder = self.consumer()?.key.account_id();
        let finance_buyer = self
            .finance
            .as_ref()
            .and_then(|f| f.tax_id.as_deref())
            .and_then(|t| fapiao_types::Uscc::parse(t).ok());
        let idx: Vec<usize> = (0..n).collect();
        let txs: Vec<SignedTx> = par_map(&idx, |&i| {
            let mut rng = rand::thread_rng();
            let m = &self.merchants[i % self.merchants.len()];
            let buyer = match (&finance_buyer, employer) {
                (Some(tax_id), true) => {
                    let mut b = gen::huawei_buyer(Some(holder));
                    if tax_id != gen::HUAWEI.1 {
                        b.tax_id = Some(*tax_id);
                        b.name = "报销单位".into();
                    }
                    b
                }
                _ => fapiao_invoice_types::Buyer {
                    kind: fapiao_invoice_types::BuyerKind::Person,
                    name: "李伟".into(),
                    tax_id: None,
                    holder: Some(holder),
                },
            };
            self.sign(&m.issuer, self.issue_action(i, buyer, &mut rng))
        });
        let positions = self.commit(&txs, what).await?;
        self.outputs(&txs, &positions).await
    }

    /// Date (`yyyy-mm-dd`) and total (`yuan`) of each invoice, read as its holder.
    async fn facts(&self, numbers: &[String]) -> Result<Vec<(String, String)>> {
        let c = self.consumer()?;
        let results: Vec<Result<(String, String)>> =
            futures::stream::iter(numbers.iter().map(|n| {
                let path = format!("/v1/invoices/{n}");
                async move {
                    let v = self.client.get_json(&c.node, &path, Some(&c.token)).await?;
                    match (v["date"].as_str(), v["total_with_tax"].as_str()) {
                        (Some(d), Some(t)) => Ok((d.to_string(), t.to_string())),
                        _ => Err(Error::Setup(format!("{path}: no date or total"))),
                    }
                }
            }))
            .buffered(32)
            .collect()
            .await;
        results.into_iter().collect()
    }

    /// Reimbursement attempts for `invoices` new invoices, submitted to the finance
    /// office's enterprise in setup: one acceptance each, plus `duplicate_rate` extra
    /// attempts for invoices already in the sequence (half right behind the first
    /// attempt, likely in the same block; half a few requests later).
    /// Returns them with the time spent signing them.
    async fn reimbursements(
        &self,
        invoices: usize,
        cfg: &Config,
    ) -> Result<(Vec<Ready>, Duration)> {
        let finance = self
            .finance
            .as_ref()
            .ok_or_else(|| Error::Identities("no enterprise finance office".into()))?;
        let enterprise: fapiao_types::Uscc = finance
            .tax_id
            .as_deref()
            .unwrap_or_default()
            .parse()
            .map_err(|e| Error::Identities(format!("the enterprise finance office: {e}")))?;
        let numbers = self.issued_in_setup(invoices, true, "issuing invoices to reimburse").await?;
        let numbers = numbers
            .iter()
            .map(|n| n.parse().map_err(|e| Error::Data(format!("invoice number {n}: {e}"))))
            .collect::<Result<Vec<fapiao_types::InvoiceNumber>>>()?;
        let consumer = self.consumer()?;
        let submits: Vec<SignedTx> = par_map(&numbers, |n| {
            self.sign(
                &consumer.key,
                Action::from(InvoiceAction::SubmitInvoice(fapiao_invoice_types::SubmitInvoice {
                    number: *n,
                    enterprise,
                })),
            )
        });
        self.commit(&submits, "submitting invoices to the enterprise").await?;
        let plan = gen::duplicate_plan(numbers.len(), cfg.duplicate_rate, cfg.batch);
        let t0 = Instant::now();
        let txs = par_map(&plan, |&(i, dup)| {
            let stx = self.sign(
                &finance.key,
                Action::from(InvoiceAction::AcceptReimbursement(InvoiceRef { number: numbers[i] })),
            );
            let key = u32::try_from(i).unwrap_or(u32::MAX);
            ready(&stx, if dup { TxKind::Duplicate } else { TxKind::Reimburse }, key)
        });
        Ok((txs, t0.elapsed()))
    }

    /// Reads over `invoices` new invoices: `READS_PER_NUMBER` per number, alternating
    /// proof bundles (as the holder) and public verifications.
    async fn reads(&self, invoices: usize) -> Result<Vec<NodeOp>> {
        let numbers = self.issued_in_setup(invoices, false, "issuing invoices to verify").await?;
        let facts = self.facts(&numbers).await?;
        let c = self.consumer()?;
        let mut ops = Vec::with_capacity(numbers.len() * READS_PER_NUMBER);
        for r in 0..numbers.len() * READS_PER_NUMBER {
            let i = r % numbers.len();
            let n = &numbers[i];
            ops.push(NodeOp::Read(if r % 2 == 0 {
                ReadOp {
                    path: format!("/v1/invoices/{n}/proof"),
                    token: Some(c.token.clone()),
                    node: Some(c.node.clone()),
                }
            } else {
                let (date, total) = &facts[i];
                ReadOp {
                    path: format!("/v1/verify?number={n}&date={date}&total={total}"),
                    token: None,
                    node: None,
                }
            }));
        }
        Ok(ops)
    }

    /// Record + claim pairs: the platform records an order (items by sku, from the
    /// merchant's catalogue), the consumer claims it with its code once committed.
    fn claims(&self, n: usize) -> Result<(Vec<Ready>, Vec<Ready>)> {
        let gateway =
            self.gateway.as_ref().ok_or_else(|| Error::Identities("no payment platform".into()))?;
        let consumer = self.consumer()?;
        let finance_buyer = gen::huawei_buyer(None);
        let idx: Vec<usize> = (0..n).collect();
        let pairs = par_map(&idx, |&i| {
            let mut rng = rand::thread_rng();
            let m = &self.merchants[i % self.merchants.len()];
            let items: Vec<OrderItem> = (0..rng.gen_range(1..=3))
                .map(|_| {
                    let (sku, ..) = gen::SKUS[rng.gen_range(0..gen::SKUS.len())];
                    OrderItem {
                        sku: sku.into(),
                        name: String::new(),
                        tax_code: String::new(),
                        rate: None,
                        amount: rng.gen_range(800..=30_000),
                    }
                })
                .collect();
            let code = hex::encode(gen::salt(&mut rng))[..20].to_string();
            let record = self.sign(
                &gateway.key,
                Action::from(InvoiceAction::RecordOrder(RecordOrder {
                    merchant: m.uscc,
                    amount: items.iter().map(|it| it.amount).sum(),
                    items,
                    claim_code_hash: fapiao_types::sha256(code.as_bytes()),
                })),
            );
            let buyer = if rng.gen_bool(0.25) {
                finance_buyer.clone()
            } else {
                gen::buyer(&mut rng, None, &m.uscc)
            };
            let claim = self.sign(
                &consumer.key,
                Action::from(InvoiceAction::ClaimOrder(ClaimOrder {
                    order_id: record.hash(),
                    claim_code: code,
                    kind: InvoiceKind::Ordinary,
                    buyer,
                    salt: gen::salt(&mut rng),
                })),
            );
            (ready(&record, TxKind::Record, 0), ready(&claim, TxKind::Claim, 0))
        });
        Ok(pairs.into_iter().unzip())
    }

    /// Sets up the workload's data and signs everything the measured phase sends.
    ///
    /// # Errors
    /// A setup transaction refused or failed, a node unreachable.
    pub(crate) async fn prepare(&mut self, cfg: &Config) -> Result<Prepared> {
        self.merchants(cfg.merchants, cfg.workload == Workload::Claim).await?;
        let secs = cfg.duration.as_secs_f64();
        let open_units = match cfg.load {
            Load::Open { rate } => Some((rate * secs).ceil() as usize),
            Load::Closed { .. } => None,
        };
        let mut signing = Duration::ZERO;
        let batch = cfg.batch;
        let one_stage = |txs: Vec<Ready>| -> Vec<NodeOp> {
            stages(txs, batch).into_iter().map(|s| NodeOp::Txs(vec![s])).collect()
        };
        let ops: Vec<NodeOp> = match cfg.workload {
            Workload::Issue => {
                let n = cfg.wanted(50_000.0, 1_000, MAX_POOL);
                one_stage(timed(&mut signing, || self.issues(n)))
            }
            Workload::Claim => {
                // Two transactions per order.
                let n = cfg.wanted(50_000.0, 1_000, MAX_POOL).div_ceil(2);
                let (records, claims) = timed(&mut signing, || self.claims(n))?;
                stages(records, batch)
                    .into_iter()
                    .zip(stages(claims, batch))
                    .map(|(r, c)| NodeOp::Txs(vec![r, c]))
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
                let (txs, took) = self.reimbursements(invoices, cfg).await?;
                signing += took;
                one_stage(txs)
            }
            Workload::Verify => {
                let reads = match (open_units, cfg.pool) {
                    (Some(u), _) => u,
                    (None, Some(p)) => p,
                    (None, None) => {
                        ((1_000.0 * secs) as usize).clamp(1_000, 20_000) * READS_PER_NUMBER
                    }
                };
                self.reads(reads.div_ceil(READS_PER_NUMBER).max(1)).await?
            }
            Workload::Mixed => {
                let total = open_units
                    .or(cfg.pool)
                    .unwrap_or_else(|| ((10_000.0 * secs) as usize).clamp(5_000, 300_000));
                let issue_n = total * 7 / 10;
                let reimb_invoices =
                    ((total as f64 * 0.2) / (1.0 + cfg.duplicate_rate)).ceil().max(1.0) as usize;
                let read_invoices = (total / 10).div_ceil(READS_PER_NUMBER).max(1);
                let (reimb, took) = self.reimbursements(reimb_invoices, cfg).await?;
                signing += took;
                let mut reads = self.reads(read_invoices).await?;
                reads.truncate((total / 10).max(1));
                let issues = one_stage(timed(&mut signing, || self.issues(issue_n)));
                crate::drive::interleave(vec![issues, one_stage(reimb), reads], node_units)
            }
        };
        let units = ops.iter().map(node_units).sum();
        // Proofs are against a certified header's state: wait until one covers setup.
        if matches!(cfg.workload, Workload::Verify | Workload::Mixed) {
            let h = self.client.status(&self.url).await?.height;
            let deadline = Instant::now() + Duration::from_secs(10);
            while self.client.status(&self.url).await?.state_height < h && Instant::now() < deadline
            {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
        Ok(Prepared { ops, units, signing, notes: std::mem::take(&mut self.notes) })
    }

    /// The height to follow from.
    pub(crate) async fn height(&self) -> Result<u64> {
        Ok(self.client.status(&self.url).await?.height)
    }
}
