//! The node's wall clock, for what is not consensus: request freshness, audit entries,
//! previews (the chain itself only ever uses the block's time).

/// Milliseconds since the Unix epoch now (0 before it, saturating far after).
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}
