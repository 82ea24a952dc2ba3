//! Blocking work of the API — storage scans, proof bundles, PDF rendering, block sync —
//! runs off the async runtime that consensus shares, and at most half the cores' worth
//! of it at once ([`slots`]), so a crowd of expensive reads queues behind itself instead
//! of starving consensus and block execution of CPU.

use crate::error::{ApiError, ApiResult};
use std::sync::{Arc, OnceLock};
use tokio::sync::Semaphore;

/// How many blocking API jobs run at once: half the available cores, at least one.
pub fn slots() -> usize {
    std::thread::available_parallelism().map_or(1, |n| (n.get() / 2).max(1))
}

fn semaphore() -> &'static Arc<Semaphore> {
    static SLOTS: OnceLock<Arc<Semaphore>> = OnceLock::new();
    SLOTS.get_or_init(|| Arc::new(Semaphore::new(slots())))
}

/// Runs `f` on the blocking pool once a slot is free.
///
/// # Errors
/// `internal` if the job panicked.
pub async fn off_runtime<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> ApiResult<T> {
    let permit = semaphore().clone().acquire_owned().await.map_err(ApiError::internal)?;
    tokio::task::spawn_blocking(move || {
        let out = f();
        drop(permit);
        out
    })
    .await
    .map_err(ApiError::internal)
}
