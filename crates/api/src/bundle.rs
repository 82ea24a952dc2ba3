//! Proofs that verify offline with the genesis alone (`fapiao_verify`): every proof
//! bundle and package of any application's state keys (an invoice's, a tax
//! certificate's, a disclosure package, an industry operating package) and the state
//! read route's proof go through [`certify`].
//!
//! The state can be proven only as it is now (ADR 0009): the keys are proven at the
//! durable executed tip *t* (the state after block *t*, root *R*), and that root is
//! certified later, by the first executed header *H* above *t* whose `state_height` is
//! *t* (its `state_root` is then *R*; usually block *t + 1*, about one block interval
//! later, since headers certify the executed height, which lags, ADR 0002). The answer
//! carries *H*, the headers from *H* up to the nearest one at or above it (within
//! [`CERTIFIED_WINDOW`]) that its stored finality blob finalizes directly, and that
//! blob. Until *H* and its certificate are there, the request waits (polling every
//! [`POLL`] or on each executed block) for at most [`wait_bound`]; a later header whose
//! `state_height` passes *t* without one equal to it (a skipped state height) makes it
//! prove again at the new tip, at most [`MAX_PROVES`] times. When the bound runs out the
//! route answers 503 `not_final_yet` with `Retry-After` ([`not_final_yet`]).

use crate::{error::ApiResult, ApiError, ApiState, Reader};
use axum::{
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
};
use commonware_codec::Encode;
use fapiao_ledger::ProvenState;
use fapiao_types::{Genesis, Header, StateKey};
use fapiao_verify::{BundleEntry, ProofBundle};
use std::time::Duration;
use tokio::{sync::watch, time::Instant};

/// How far above the certifying header a bundle looks for a directly certified one.
pub const CERTIFIED_WINDOW: u64 = 32;
/// How many block intervals a request waits for the certifying header (see
/// [`wait_bound`]).
pub const WAIT_INTERVALS: u64 = 6;
/// How often a waiting request looks again when no executed block wakes it.
pub const POLL: Duration = Duration::from_millis(50);
/// How many times one request proves the keys (again after a skipped state height).
pub const MAX_PROVES: u32 = 4;

/// How long a request waits for its proof to be certified: [`WAIT_INTERVALS`] block
/// intervals of the genesis, at least 2 s and at most 10 s.
pub fn wait_bound(genesis: &Genesis) -> Duration {
    let ms = genesis.consensus.block_interval_ms.saturating_mul(WAIT_INTERVALS);
    Duration::from_millis(ms.clamp(2_000, 10_000))
}

/// Keys proven at an executed height, with the headers that certify that state.
#[derive(Clone, Debug)]
pub struct Certified {
    /// The proofs: the state after block `proven.height`, root `proven.root`.
    pub proven: ProvenState,
    /// The first executed header whose `state_height` is `proven.height` (its
    /// `state_root` is `proven.root`).
    pub header: Header,
    /// The headers after `header` up to the certified one, in order (empty when the
    /// certificate finalizes `header` itself).
    pub descendants: Vec<Header>,
    /// The stored finality blob of the last of them, which finalizes it directly.
    pub certificate: Vec<u8>,
}

impl Certified {
    /// The height of the header the certificate finalizes.
    pub fn certified_height(&self) -> u64 {
        self.descendants.last().unwrap_or(&self.header).height
    }

    /// The bundle of `format` for record `number` over `keys` (the keys proven, in order).
    pub fn bundle(
        &self,
        format: &str,
        chain_id: &str,
        number: String,
        keys: &[StateKey],
    ) -> ProofBundle {
        ProofBundle {
            format: format.into(),
            chain_id: chain_id.into(),
            number,
            entries: keys
                .iter()
                .zip(&self.proven.proofs)
                .map(|(k, p)| BundleEntry {
                    key: k.to_string(),
                    value_hex: p.value.as_ref().map(hex::encode),
                    proof_hex: hex::encode(&p.proof),
                })
                .collect(),
            header_hex: hex::encode(self.header.encode()),
            descendants_hex: self.descendants.iter().map(|h| hex::encode(h.encode())).collect(),
            certificate_hex: hex::encode(&self.certificate),
        }
    }
}

/// A bundle of `format` for record `number`, proving `keys` at the tip under the first
/// header that certifies that state (see the module docs). `None` when no such header
/// with its certificate came within [`wait_bound`]: answer [`not_final_yet`].
///
/// # Errors
/// Storage errors; `NotInTree` (400 `proof`) for records kept beside the tree.
pub async fn certified_bundle(
    st: &ApiState,
    format: &str,
    number: String,
    keys: Vec<StateKey>,
) -> ApiResult<Option<ProofBundle>> {
    let Some(certified) = certify(st, keys.clone()).await? else {
        return Ok(None);
    };
    let chain_id = st.reader.genesis().chain_id.clone();
    Ok(Some(certified.bundle(format, &chain_id, number, &keys)))
}

/// Records a package read at one moment: the keys it proves, their values then (`None`:
/// absent), and what the caller derived from them (openings checked against the
/// commitments the values hold).
pub struct Reading<T> {
    /// The keys to prove, in order.
    pub keys: Vec<StateKey>,
    /// Their records as read, one per key.
    pub values: Vec<Option<Vec<u8>>>,
    /// What the caller derived from those records.
    pub derived: T,
}

/// How many times [`certified_reading`] reads and proves when the records change between
/// the reading and the proof.
pub const READING_ATTEMPTS: usize = 3;

/// A package's proofs (disclosures, industry figures): `read` reads the records (off the
/// runtime), then they are proven at the tip ([`certify`]). The proofs must show what was
/// read (else the records changed in between) and the certificate must finalize the
/// proving header itself (a package's claims name one header, which a relayer carries with
/// its own certificate); otherwise it reads again, at most [`READING_ATTEMPTS`] times.
/// Returns the bundle of `format`, the proving header's height and what the caller derived;
/// `None` when it could not be certified in time: answer [`not_final_yet`].
///
/// # Errors
/// What `read` returns; as [`certify`].
pub async fn certified_reading<T, F>(
    st: &ApiState,
    format: &str,
    number: &str,
    read: F,
) -> ApiResult<Option<(ProofBundle, u64, T)>>
where
    T: Send + 'static,
    F: Fn() -> ApiResult<Reading<T>> + Send + Sync + 'static,
{
    let read = std::sync::Arc::new(read);
    for _ in 0..READING_ATTEMPTS {
        let r = read.clone();
        let reading = crate::off_runtime(move || r()).await??;
        let Some(certified) = certify(st, reading.keys.clone()).await? else {
            return Ok(None);
        };
        let shows_reading =
            certified.proven.proofs.iter().map(|p| &p.value).eq(reading.values.iter());
        if !certified.descendants.is_empty() || !shows_reading {
            continue;
        }
        let chain_id = st.reader.genesis().chain_id.clone();
        let bundle = certified.bundle(format, &chain_id, number.to_string(), &reading.keys);
        return Ok(Some((bundle, certified.header.height, reading.derived)));
    }
    Ok(None)
}

/// Proves `keys` at the durable tip and waits for the header that certifies them (see
/// the module docs); `None` when none came within [`wait_bound`].
///
/// # Errors
/// Storage errors; `NotInTree` for records kept beside the tree; `internal` when a
/// header at the proven `state_height` names another root (a corrupt store).
pub async fn certify(st: &ApiState, keys: Vec<StateKey>) -> ApiResult<Option<Certified>> {
    let deadline = Instant::now() + wait_bound(st.reader.genesis());
    let mut executed = st.executed.clone();
    let keys = std::sync::Arc::new(keys);
    for _ in 0..MAX_PROVES {
        let (reader, k) = (st.reader.clone(), keys.clone());
        let proven = crate::off_runtime(move || reader.prove(&k)).await??;
        let mut search = Search::new(proven);
        loop {
            match search.step(&*st.reader)? {
                Step::Certified(c) => return Ok(Some(*c)),
                Step::ProveAgain => break,
                Step::Wait => {}
            }
            let now = Instant::now();
            if now >= deadline {
                return Ok(None);
            }
            wait(&mut executed, POLL.min(deadline - now)).await;
        }
    }
    Ok(None)
}

/// Sleeps `nap`, or less when a block is executed meanwhile.
async fn wait(executed: &mut watch::Receiver<u64>, nap: Duration) {
    if let Ok(Err(_)) = tokio::time::timeout(nap, executed.changed()).await {
        // Nobody reports executed blocks any more: poll.
        tokio::time::sleep(nap).await;
    }
}

/// What one look at the executed headers found.
enum Step {
    /// The proven state is certified.
    Certified(Box<Certified>),
    /// It never will be within the window: prove again at the new tip.
    ProveAgain,
    /// Not yet.
    Wait,
}

/// The search for the headers certifying one proven state, resumed where it stopped.
struct Search {
    proven: ProvenState,
    /// The next header to look at for the proven `state_height`.
    next: u64,
    /// The certifying header's height, once found.
    found: Option<u64>,
    /// The next height whose certificate to look at, once found.
    next_cert: u64,
}

impl Search {
    fn new(proven: ProvenState) -> Self {
        let next = proven.height.saturating_add(1);
        Self { proven, next, found: None, next_cert: 0 }
    }

    fn step(&mut self, reader: &dyn Reader) -> ApiResult<Step> {
        let tip = reader.tip().height;
        let t = self.proven.height;
        while self.found.is_none() && self.next <= tip {
            let Some(h) = reader.header(self.next)? else { break };
            if h.state_height > t {
                return Ok(Step::ProveAgain); // state height t was skipped
            }
            if h.state_height == t {
                if h.state_root != self.proven.root {
                    return Err(ApiError::internal(format!(
                        "header {} certifies state height {t} with another root",
                        h.height
                    )));
                }
                self.found = Some(h.height);
                self.next_cert = h.height;
            } else {
                self.next += 1;
            }
        }
        let Some(first) = self.found else { return Ok(Step::Wait) };
        let last = first.saturating_add(CERTIFIED_WINDOW);
        while self.next_cert <= tip.min(last) {
            let c = self.next_cert;
            if let (Some(header), Some(blob)) = (reader.header(c)?, reader.certificate(c)?) {
                if finalizes(&header, &blob) {
                    return self.certified(reader, first, c, blob);
                }
            }
            self.next_cert += 1;
        }
        Ok(if self.next_cert > last { Step::ProveAgain } else { Step::Wait })
    }

    fn certified(
        &self,
        reader: &dyn Reader,
        first: u64,
        last: u64,
        certificate: Vec<u8>,
    ) -> ApiResult<Step> {
        let mut headers = (first..=last)
            .map(|h| {
                reader.header(h)?.ok_or_else(|| ApiError::internal(format!("header {h} vanished")))
            })
            .collect::<ApiResult<Vec<Header>>>()?;
        let header = headers.remove(0);
        Ok(Step::Certified(Box::new(Certified {
            proven: self.proven.clone(),
            header,
            descendants: headers,
            certificate,
        })))
    }
}

/// Whether the stored finality `blob` (height ‖ digest ‖ certificate) finalizes `header`
/// itself (a blob stored with a block may finalize a descendant instead).
fn finalizes(header: &Header, blob: &[u8]) -> bool {
    blob.len() > 40 && blob[..8] == header.height.to_be_bytes() && blob[8..40] == header.digest()
}

/// 503 `not_final_yet`, `Retry-After: 1`: the state proven now is not yet under a
/// certified header.
pub fn not_final_yet(what: &str) -> Response {
    let mut r = ApiError::refuse(
        fapiao_app::Platform::NotFinalYet,
        None,
        format!(
            "the {what}'s current state is not yet under a certified header; retry in a second"
        ),
    )
    .into_response();
    r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    r
}
