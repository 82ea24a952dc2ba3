//! `fapiao certificate …`: the tax-certificate application for insurers, owners, the
//! bureau and anyone checking a certificate. Writes go through the node's custodial
//! endpoints with an API token (`--token` or `FAPIAO_TOKEN`); output is the API's JSON.

use crate::client::block_on;
use crate::invoice_cmd::{call, print, read_json, Conn};
use anyhow::Result;
use clap::Subcommand;
use serde_json::json;
use std::path::PathBuf;

/// Tax-certificate commands.
#[derive(Subcommand)]
pub enum CertificateCommand {
    /// Compute a collection's lines, relief and total without recording it (insurer; the
    /// body of `POST /v1/certificates/preview`, `-` for stdin).
    Preview {
        /// The JSON file.
        file: PathBuf,
    },
    /// Record a collection (insurer.collector; the same body, amounts computed by the node
    /// and recomputed by the chain).
    Collect {
        /// The JSON file.
        file: PathBuf,
    },
    /// Show a collection (its owner, the collecting insurer, tax officers).
    Show {
        /// The collection id (64 hex).
        id: String,
    },
    /// List the collecting insurer's collections, newest first.
    List,
    /// The caller's collections and certificates (the owner's wallet).
    Wallet,
    /// Exchange a collection for a numbered certificate (the owner).
    Exchange {
        /// The collection id.
        id: String,
    },
    /// Record a refund after a theft, scrapping or loss (the collecting insurer).
    Refund {
        /// The collection id.
        id: String,
        /// stolen, scrapped or lost.
        #[arg(long)]
        event: String,
        /// The date on the police, scrapping or loss certificate, yyyy-mm-dd.
        #[arg(long)]
        date: String,
    },
    /// Submit a settlement batch (the insurer): collections and refunds, netted.
    Settle {
        /// A collection to settle (repeatable).
        #[arg(long = "collection")]
        collections: Vec<String>,
        /// A refund to settle, by its collection id (repeatable).
        #[arg(long = "refund")]
        refunds: Vec<String>,
    },
    /// List settlement batches (the insurer's own; a tax officer sees all).
    Settlements,
    /// Confirm receipt of a settlement batch (tax officer).
    Confirm {
        /// The settlement id.
        id: String,
    },
    /// Collected, settled and outstanding tax by insurer, and outstanding by age (tax
    /// officer).
    Outstanding,
    /// Check a certificate by number and plate (anyone, no token).
    Check {
        /// The 12-digit certificate number.
        number: String,
        /// The plate, e.g. 粤B8K2M6.
        #[arg(long)]
        plate: String,
    },
    /// Fetch a certificate's proof bundle (verify it offline with `fapiao verify`).
    Proof {
        /// The 12-digit certificate number.
        number: String,
    },
}

/// Percent-encodes a query value (UTF-8 bytes other than unreserved characters).
fn query_value(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `fapiao certificate`.
///
/// # Errors
/// A refused request (its code, field and message), or the node unreachable.
pub fn certificate(conn: Conn, cmd: CertificateCommand) -> Result<()> {
    use CertificateCommand as C;
    let v = block_on(async {
        match cmd {
            C::Preview { file } => {
                call(&conn, "POST", "/v1/certificates/preview", Some(read_json(&file)?)).await
            }
            C::Collect { file } => {
                call(&conn, "POST", "/v1/collections", Some(read_json(&file)?)).await
            }
            C::Show { id } => call(&conn, "GET", &format!("/v1/collections/{id}"), None).await,
            C::List => call(&conn, "GET", "/v1/collections", None).await,
            C::Wallet => call(&conn, "GET", "/v1/wallet/certificates", None).await,
            C::Exchange { id } => {
                call(&conn, "POST", &format!("/v1/collections/{id}/exchange"), None).await
            }
            C::Refund { id, event, date } => {
                let body = json!({"event": event, "event_date": date});
                call(&conn, "POST", &format!("/v1/collections/{id}/refund"), Some(body)).await
            }
            C::Settle { collections, refunds } => {
                let body = json!({"collections": collections, "refunds": refunds});
                call(&conn, "POST", "/v1/settlements", Some(body)).await
            }
            C::Settlements => call(&conn, "GET", "/v1/settlements", None).await,
            C::Confirm { id } => {
                call(&conn, "POST", &format!("/v1/settlements/{id}/confirm"), None).await
            }
            C::Outstanding => call(&conn, "GET", "/v1/tax/vehicle-tax", None).await,
            C::Check { number, plate } => {
                let path = format!("/v1/certificates/{number}/check?plate={}", query_value(&plate));
                call(&conn, "GET", &path, None).await
            }
            C::Proof { number } => {
                call(&conn, "GET", &format!("/v1/certificates/{number}/proof"), None).await
            }
        }
    })??;
    print(&v)
}

#[cfg(test)]
mod tests {
    #[test]
    fn plates_are_percent_encoded_as_utf8() {
        // 粤 is U+7CA4, E7 B2 A4 in UTF-8.
        assert_eq!(super::query_value("粤B8K2M6"), "%E7%B2%A4B8K2M6");
        assert_eq!(super::query_value("a b"), "a%20b");
    }
}
