//! A department's exchange responder: follows the chain through its node, opens the
//! queries addressed to it, answers them from its own database (PostgreSQL or SQLite)
//! and submits the sealed answers.
//!
//! It runs as its own process (`fapiao responder --config FILE`), beside the
//! department's node and never inside it: it holds the department's decryption keys
//! and reaches the department's database, which no validator may. Every round
//! ([`Responder::round`]) it reads `GET /v1/exchange/inbox?state=open`, and for each
//! open query it has not settled: opens the envelope ([`fapiao_envelope`], bound as
//! `docs/formats.md` §22 says), runs the item's parameterised SQL from its
//! configuration ([`config`]), seals `{"rows": […]}` as a `found` answer (or a
//! `not_found` / `declined` one) to the asker's current key from
//! `GET /v1/exchange/keys/{org}`, records it in its state file ([`state`]) and submits
//! it (below).
//!
//! A restart neither loses nor repeats an answer: every open query is read again at
//! start-up; an answer is durable in the state file before it is submitted and is
//! resubmitted unchanged after a crash; the chain takes one answer per query and
//! refuses the next with `exchange.already_answered`, which the responder takes as
//! settled.
//!
//! Answers are signed by the responder itself when its configuration names an
//! `account_key` (a member key file of a department account with `exchange.officer`):
//! the signed transaction is recorded with the answer, relayed by the node
//! (`POST /v1/transactions`) and, after a crash, relayed again byte for byte (the pool's
//! `replayed` settles it too; an `expired` one is signed again around the same
//! envelope). Without one, the node signs with the token's account
//! (`POST /v1/exchange/answers`, custodial). Either way the inbox is read with the token.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]
#![deny(missing_docs)]

pub mod config;
pub mod db;
pub mod node;
mod responder;
pub mod state;
pub mod watch_feed;

pub use config::{Config, Database, ItemMapping};
pub use responder::{FailPoint, Responder, Round, MAX_ANSWER_BYTES, MAX_ROWS};

use std::time::Duration;

/// Why the responder stopped, or why one query waits.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The configuration is unusable.
    #[error("configuration: {0}")]
    Config(String),
    /// A key file, or a key from the node, is unusable.
    #[error(transparent)]
    Key(#[from] fapiao_envelope::Error),
    /// The state file cannot be read or written.
    #[error("state file: {0}")]
    State(String),
    /// The database failed (the query is retried later).
    #[error("database: {0}")]
    Database(String),
    /// A value from a query payload does not fit its placeholder (the query is declined).
    #[error("parameter: {0}")]
    BadParam(String),
    /// The node cannot be reached or failed (retried later).
    #[error("node: {0}")]
    Node(String),
    /// The node or the chain refused the request.
    #[error("refused ({status}): {code}: {message}")]
    Refused {
        /// HTTP status.
        status: u16,
        /// The refusal's code (`exchange.already_answered`, …).
        code: String,
        /// Its message.
        message: String,
    },
    /// A test's fail point was reached.
    #[doc(hidden)]
    #[error("stopped at a fail point")]
    Stopped,
}

/// The crate's result type.
pub type Result<T> = core::result::Result<T, Error>;

/// Run the responder until the process is interrupted (Ctrl-C / SIGTERM end the
/// current round first) or, given `parent`, until that process is gone (a demo's
/// responders stop with the demo, even when it is killed). `http` is the client for the
/// node, with its TLS pins (`Config::tls_certs`) already applied by the caller.
///
/// # Errors
/// As [`run_until`].
pub async fn run(cfg: Config, http: reqwest::Client, parent: Option<u32>) -> Result<()> {
    run_until(cfg, http, shutdown(parent)).await
}

/// Run the responder until `stop` completes (checked between rounds): for a process
/// that runs responders among other things.
///
/// # Errors
/// Start-up failures ([`Responder::new`]) and a state file that can no longer be
/// written; a node or database that is away only delays answers.
pub async fn run_until(
    cfg: Config,
    http: reqwest::Client,
    stop: impl std::future::Future<Output = ()>,
) -> Result<()> {
    let poll = Duration::from_millis(cfg.poll_ms);
    tracing::info!(org = %cfg.org, node = %cfg.node, items = cfg.items.len(), "responder.start");
    let mut feed = match &cfg.watch_feed {
        Some(f) => Some(watch_feed::WatchFeed::new(
            f.clone(),
            http.clone(),
            &cfg.node,
            &cfg.token,
            &cfg.state_file,
        )?),
        None => None,
    };
    let mut responder = Responder::new(cfg, http).await?;
    tokio::pin!(stop);
    loop {
        match responder.round().await {
            Ok(r) if !r.settled.is_empty() || !r.deferred.is_empty() => {
                tracing::info!(
                    settled = r.settled.len(),
                    deferred = r.deferred.len(),
                    "responder.round"
                );
            }
            Ok(_) => {}
            Err(e @ Error::State(_)) => return Err(e),
            Err(e) => tracing::warn!(error = %e, "responder.round failed"),
        }
        if let Some(feed) = feed.as_mut() {
            match feed.round().await {
                Ok(f) if !f.watched.is_empty() => {
                    tracing::info!(
                        watched = f.watched.len(),
                        alerts = f.alerts.len(),
                        "watch_feed.round"
                    );
                }
                Ok(_) => {}
                Err(e @ Error::State(_)) => return Err(e),
                Err(e) => tracing::warn!(error = %e, "watch_feed.round failed"),
            }
        }
        tokio::select! {
            () = &mut stop => {
                tracing::info!("responder.stop");
                return Ok(());
            }
            () = tokio::time::sleep(poll) => {}
        }
    }
}

async fn shutdown(parent: Option<u32>) {
    let orphaned = async move {
        match parent {
            #[cfg(unix)]
            Some(pid) => loop {
                // Re-parented (to init or a subreaper): the parent is gone.
                if std::os::unix::process::parent_id() != pid {
                    tracing::info!(parent = pid, "responder.parent_gone");
                    return;
                }
                tokio::time::sleep(Duration::from_millis(500)).await;
            },
            _ => std::future::pending::<()>().await,
        }
    };
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
                () = orphaned => {}
            }
            return;
        }
    }
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = orphaned => {}
    }
}
