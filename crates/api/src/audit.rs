//! The read audit: every read of a private record by someone who is not one of its
//! parties (a tax officer or auditor reading another taxpayer's invoice, order,
//! red-letter form, credit or VAT return) leaves a trace of who, what and when.
//!
//! Each such read is
//! * a `tracing` event on target `fapiao::audit`,
//! * one JSON object per line appended to the audit file (`DATA_DIR/audit.log` on a
//!   node): `{"time_ms":…,"account":"<hex>","org":"<id>","record":"<state key>"}`,
//! * one increment of the Prometheus counter `audit_reads` (`fapiao_audit_reads_total`).
//!
//! Who is a party is decided by [`crate::Access`] (`access.rs`); this module only records.

use crate::access::Viewer;
use parking_lot::Mutex;
use prometheus_client::metrics::counter::Counter;
use std::{fs::File, io::Write, path::Path};

/// Where reads by non-parties are recorded.
pub struct AuditLog {
    file: Option<Mutex<File>>,
    reads: Counter,
}

impl std::fmt::Debug for AuditLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditLog").field("file", &self.file.is_some()).finish_non_exhaustive()
    }
}

impl AuditLog {
    /// Appends to the file at `path` (created with mode `0600` if missing) and counts
    /// in `reads` (share [`crate::Metrics::audit_reads`]).
    ///
    /// # Errors
    /// The file cannot be opened for appending.
    pub fn open(path: &Path, reads: Counter) -> std::io::Result<Self> {
        let mut options = std::fs::OpenOptions::new();
        options.create(true).append(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        Ok(Self { file: Some(Mutex::new(options.open(path)?)), reads })
    }

    /// Records to the tracing event and the counter only (no file).
    pub fn without_file(reads: Counter) -> Self {
        Self { file: None, reads }
    }

    /// Records that `viewer`, not a party to it, read the record named `record` (a
    /// state key path such as `invoice-body/<number>`).
    pub fn record(&self, viewer: &Viewer, record: &str) {
        let time_ms = crate::clock::now_ms();
        let account = viewer.account.to_string();
        tracing::info!(
            target: "fapiao::audit",
            %account,
            org = %viewer.org.id,
            record,
            time_ms,
            "private record read by a non-party"
        );
        self.reads.inc();
        if let Some(file) = &self.file {
            let mut line = serde_json::json!({
                "time_ms": time_ms,
                "account": account,
                "org": viewer.org.id,
                "record": record,
            })
            .to_string();
            line.push('\n');
            // One write of one line to a file opened for appending: lines of
            // concurrent readers never interleave.
            if let Err(e) = file.lock().write_all(line.as_bytes()) {
                tracing::error!(target: "fapiao::audit", error = %e, record, "audit log write failed");
            }
        }
    }
}
