//! The demo: a consortium composed of each application's [`Story`], put on chain by
//! signed transactions through a running node's public seam ([`fapiao_node::NodeHandle`]:
//! its ledger, its admission and its custody) — `fapiao-node` itself knows no demo
//! organisation, account or story.
//!
//! * [`single`]: `fapiao demo`, one validator run by the tax bureau with every
//!   organisation's keys, seeded on first start (identities in `DIR/demo/identities.json`).
//! * [`network`]: `fapiao init --demo`, the same consortium over N loopback validators;
//!   node 0 seeds the stories on first start.
//! * [`linked`]: `fapiao demo --cross-chain` (and `fapiao init --chains`), the tax,
//!   finance and industry chains with relayers between them, as child processes.
//! * [`story`]: the seam. A story names the genesis organisations and member accounts it
//!   needs and seeds its part of the demo; [`stories`] lists them in seeding order. The
//!   invoice application's story ([`invoice`]) is the first; each later application
//!   (tax certificates, department exchange, cross-chain loans, the village cow bank)
//!   adds its own file and one line in [`stories`].
//!
//! What a story leaves for a newcomer (the invoice story: the claim codes of its
//! unclaimed orders) is written under `DIR/demo/`, served at `/demo/…` and summed up in
//! the start-up banner.
//!
//! The demo keystore passphrase is fixed and printed ([`DEMO_PASSPHRASE`]): a demo is
//! not a deployment, and nodes refuse that passphrase on a chain not marked `demo`.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]
#![forbid(unsafe_code)]

pub mod certificate;
pub mod cowbank;
mod error;
pub mod exchange;
pub mod invoice;
pub mod linked;
pub mod network;
pub mod single;
pub mod story;
pub mod upcoming;

pub use error::{Error, Result};
pub use fapiao_keystore::DEMO_PASSPHRASE;
pub use single::run;
pub use story::{consortium, DemoMember, DemoOrg, Org, Planned, Seeded, Seeding, Story};

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The demo chain id.
pub const DEMO_CHAIN_ID: &str = "fapiao-demo";

/// Every application's story, in seeding order: a new application adds one line.
pub fn stories() -> Vec<Box<dyn Story>> {
    vec![
        Box::new(invoice::InvoiceStory),
        Box::new(upcoming::UpcomingStory),
        Box::new(certificate::CertificateStory),
        Box::new(cowbank::CowbankStory),
        Box::new(exchange::ExchangeStory),
    ]
}

/// The `fapiao` executable this process is, which starts the stories' helper processes
/// (`fapiao responder`); `None` inside any other program (a test binary), or when
/// `FAPIAO_DEMO_RESPONDERS=off` (a test running its own responder).
pub fn helper_exe() -> Option<std::path::PathBuf> {
    if std::env::var("FAPIAO_DEMO_RESPONDERS").is_ok_and(|v| v == "off") {
        return None;
    }
    let exe = std::env::current_exe().ok()?;
    (exe.file_stem()? == "fapiao").then_some(exe)
}

/// One line of `identities.json`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Identity {
    /// Display name.
    pub name: String,
    /// Organisation id.
    pub org: String,
    /// Organisation kind.
    pub org_kind: String,
    /// Roles.
    pub roles: Vec<String>,
    /// Account id (hex).
    pub account: String,
    /// Suite.
    pub suite: String,
    /// API token (bearer).
    pub token: String,
    /// API URL of the node holding its key.
    pub node: String,
    /// The member's key file (demo only), for client-side signing.
    pub key_file: String,
    /// The organisation's taxpayer id, where it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tax_id: Option<String>,
}

/// The keystore name of an organisation's admin key.
pub fn admin_name(org: &Org) -> String {
    format!("{} admin", org.id)
}

/// Where the demo keeps the key file of member `name` under `dir`.
pub fn key_file(dir: &Path, name: &str) -> PathBuf {
    let slug: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect();
    dir.join("demo").join("keys").join(format!("{slug}.json"))
}

/// The files a demo in `dir` serves, each at a URL path: its identities (the start page's
/// one-click sign-in; `identities` is where they are written) and what each story leaves
/// under `dir/demo/`, at `/demo/NAME`. Each answers 404 until it is written.
pub fn served_files(dir: &Path, identities: PathBuf) -> Vec<(String, PathBuf)> {
    let mut files = vec![("/demo/identities.json".to_string(), identities)];
    for story in stories() {
        for name in story.files() {
            files.push((format!("/demo/{name}"), dir.join("demo").join(name)));
        }
    }
    files
}
