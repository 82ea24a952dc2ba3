//! The fapiao command-line tool: demo, init (one network or linked chains), node, responder, relayer, keygen, tx, status, token.
//!
//! Exit codes: 0 success, 1 error, 2 usage.

mod certificate_cmd;
mod client;
mod commands;
mod cowbank_cmd;
mod exchange_cmd;
mod governance_cmd;
mod industry_cmd;
mod init;
mod invoice_cmd;
mod loan_cmd;
mod verify_cmd;

use clap::{Parser, Subcommand};
use std::{net::SocketAddr, path::PathBuf, process::ExitCode};

/// Fapiao: a consortium blockchain for electronic invoices.
#[derive(Parser)]
#[command(name = "fapiao", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Certificates (PEM files, comma-separated) a TLS node may present: commands that
    /// talk to a node over `https://` trust exactly these, nothing else.
    #[arg(long, global = true, env = "FAPIAO_TLS_CERT", value_delimiter = ',')]
    tls_cert: Vec<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Run a one-validator chain with the demo consortium (created on first start), or
    /// with `--cross-chain` the linked tax, finance and industry chains and their relayers.
    Demo {
        /// Data directory (resumed if it exists; default ./fapiao-data, with
        /// `--cross-chain` ./fapiao-linked).
        #[arg(long)]
        data_dir: Option<PathBuf>,
        /// HTTP API address (default 127.0.0.1:8080; port 0 picks a free port, written to
        /// DIR/http.addr); with `--cross-chain`, the tax chain's (finance: 200 above, industry: 400 above;
        /// default 127.0.0.1:27100).
        #[arg(long)]
        http: Option<SocketAddr>,
        /// Run the linked tax, finance and industry chains (one validator each) and a
        /// relayer per linked pair as child processes, the finance chain following the
        /// other two (default data directory ./fapiao-linked).
        #[arg(long)]
        cross_chain: bool,
    },
    /// Write the keys, configs and genesis of an N-validator network on loopback.
    Init {
        /// Number of validators.
        #[arg(long, default_value_t = 4)]
        validators: usize,
        /// Output directory.
        #[arg(long)]
        out: PathBuf,
        /// Suite of the generated organisation keys (validator keys are Ed25519).
        #[arg(long, default_value = "ed25519", value_parser = ["ed25519", "sm2"])]
        suite: String,
        /// First peer-to-peer port (HTTP ports start 100 above).
        #[arg(long, default_value_t = 27000)]
        base_port: u16,
        /// Target block interval, in milliseconds.
        #[arg(long, default_value_t = 500)]
        block_interval_ms: u64,
        /// Non-voting full nodes to configure after the validators.
        #[arg(long, default_value_t = 0)]
        full_nodes: usize,
        /// The demo consortium of `fapiao demo`, its keystores spread over the nodes,
        /// seeded by node 0 on first start; identities in DIR/identities.json.
        #[arg(long)]
        demo: bool,
        /// Serve every node's API over HTTPS with a generated self-signed certificate
        /// (`node<i>/tls.crt`, `tls.key`); nodes pin each other's certificates.
        #[arg(long)]
        tls: bool,
        /// Approvals by distinct organisations that enact a governance proposal (default:
        /// a majority of the organisations; the demo consortium: 1).
        #[arg(long)]
        governance_threshold: Option<u32>,
        /// Several independent networks instead of one (`tax,finance,industry`), each
        /// under `OUT/<chain>/` with `--validators` validators, its own chain id and
        /// genesis, and `registrations.json` listing the other chains.
        #[arg(long, conflicts_with_all = ["demo", "tls", "full_nodes"])]
        chains: Option<String>,
    },
    /// Relay certified headers between chains (`fapiao-relayer`): for each (source →
    /// destination) pair of the config, follow the source's finalized headers and submit
    /// them to the destination's light client; runs until killed.
    Relayer {
        /// The relayer's config (TOML: `key`, `poll_ms`, `[[pairs]]` of `source` and
        /// `destination` API URLs).
        #[arg(long)]
        config: PathBuf,
        /// Stop when the process with this id is gone (how `fapiao demo --cross-chain`
        /// runs its relayers).
        #[arg(long)]
        parent: Option<u32>,
    },
    /// Run a department's exchange responder (answers the queries addressed to it from its
    /// own database; a separate process beside the department's node).
    Responder {
        /// The responder's config.toml (node, token, keys, database, item mapping).
        #[arg(long)]
        config: PathBuf,
        /// Stop when the process with this id is gone (how `fapiao demo` runs its
        /// departments' responders).
        #[arg(long)]
        parent: Option<u32>,
    },
    /// Run a node from its config file.
    Node {
        /// The node's config.toml.
        #[arg(long)]
        config: PathBuf,
        /// Stop when the process with this id is gone (how `fapiao demo --cross-chain`
        /// runs its chains' nodes).
        #[arg(long)]
        parent: Option<u32>,
    },
    /// Generate a member key file (Ed25519 by default, or SM2).
    Keygen {
        /// Signature suite.
        #[arg(long, default_value = "ed25519", value_parser = ["ed25519", "sm2"])]
        suite: String,
        /// Where to write the key file (mode 0600).
        #[arg(long)]
        out: PathBuf,
    },
    /// Build, sign (with a key file) and submit a transaction.
    Tx(commands::TxArgs),
    /// Show a node's status.
    Status {
        /// Node API URL.
        #[arg(long, default_value = "http://127.0.0.1:8080", env = "FAPIAO_NODE")]
        node: String,
    },
    /// Invoices: issue, preview, show, history, wallet, submit, reimburse, reject, book,
    /// flag, verify.
    Invoice {
        #[command(flatten)]
        conn: invoice_cmd::Conn,
        #[command(subcommand)]
        action: invoice_cmd::InvoiceCommand,
    },
    /// Tax certificates (vehicle and vessel tax collected by insurers): preview, collect,
    /// show, list, wallet, exchange, refund, settle, settlements, confirm, outstanding,
    /// check, proof.
    Certificate {
        #[command(flatten)]
        conn: invoice_cmd::Conn,
        #[command(subcommand)]
        action: certificate_cmd::CertificateCommand,
    },
    /// Taxpayers: register, show, status, credit, VAT returns.
    Taxpayer {
        #[command(flatten)]
        conn: invoice_cmd::Conn,
        #[command(subcommand)]
        action: invoice_cmd::TaxpayerCommand,
    },
    /// Payment orders: record, claim, issue for a claim.
    Order {
        #[command(flatten)]
        conn: invoice_cmd::Conn,
        #[command(subcommand)]
        action: invoice_cmd::OrderCommand,
    },
    /// Red-letter forms: raise, show, confirm, refuse, withdraw.
    RedLetter {
        #[command(flatten)]
        conn: invoice_cmd::Conn,
        #[command(subcommand)]
        action: invoice_cmd::RedCommand,
    },
    /// Governance: parameters in force, proposals, proposing and approving, creating
    /// enterprises.
    Governance {
        #[command(flatten)]
        conn: invoice_cmd::Conn,
        #[command(subcommand)]
        action: governance_cmd::GovernanceCommand,
    },
    /// The village cow bank: open books, animals, settlement previews, sales, births,
    /// reports and countersignatures, any action from JSON.
    Cowbank {
        #[command(flatten)]
        conn: invoice_cmd::Conn,
        #[command(subcommand)]
        action: cowbank_cmd::CowbankCommand,
    },
    /// The industry chain: register the park's enterprises, attest and correct monthly
    /// operating figures, read them, take the package for a bank.
    Industry {
        #[command(flatten)]
        conn: invoice_cmd::Conn,
        #[command(subcommand)]
        action: industry_cmd::IndustryCommand,
    },
    /// The four-department exchange and natural-person sharing: catalogues, sealed
    /// queries and answers, watch lists, joint alerts and cases; a person's deductions,
    /// consents and access log; an employer's withholding view.
    Exchange {
        #[command(flatten)]
        conn: invoice_cmd::Conn,
        #[command(subcommand)]
        action: exchange_cmd::ExchangeCommand,
    },
    /// The cross-chain loan flow: authorise a bank, revoke, fetch the package (tax node);
    /// apply, list, show, review, decide, finance an invoice, report a reversal, settle,
    /// alerts (finance node).
    Loan {
        #[command(flatten)]
        conn: invoice_cmd::Conn,
        #[command(subcommand)]
        action: loan_cmd::LoanCommand,
    },
    /// Risk alerts (tax authority).
    Alerts {
        #[command(flatten)]
        conn: invoice_cmd::Conn,
        /// Only this rule (e.g. circular_ring).
        #[arg(long)]
        rule: Option<String>,
    },
    /// Verify an invoice or tax-certificate proof bundle (from `GET
    /// /v1/invoices/{number}/proof` or `GET /v1/certificates/{number}/proof`) or a QR
    /// payload offline, against the genesis file alone. Exit 0 verified, 1 not.
    Verify {
        /// The chain's genesis file.
        #[arg(long)]
        genesis: PathBuf,
        /// The QR payload (or the URL the QR code holds) instead of a bundle file.
        #[arg(long, conflicts_with = "file")]
        qr: Option<String>,
        /// The proof bundle (JSON; `-` for stdin).
        #[arg(required_unless_present = "qr")]
        file: Option<PathBuf>,
        /// For a certificate bundle: also check that it is this plate's (粤B12345).
        #[arg(long, conflicts_with = "qr")]
        plate: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Space a stopped node's data directory takes: each ledger table (rows, bytes stored,
    /// B-tree metadata, fragmentation), the consensus storage and the archived block
    /// bodies. Run with the node stopped (the ledger file is locked while it runs).
    Storage {
        /// The node's data directory (`state.redb` and `consensus/`).
        #[arg(long)]
        data_dir: PathBuf,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Manage the API tokens of a node (run on the node's machine).
    Token {
        #[command(subcommand)]
        action: commands::TokenCommand,
    },
    /// Create or re-encrypt a node's keystore (run on the node's machine).
    Keystore {
        #[command(subcommand)]
        action: commands::KeystoreCommand,
    },
    /// Load generator: signed invoice workloads against nodes, or against PostgreSQL
    /// as a baseline (setup and signing happen before the clock starts).
    Bench(BenchArgs),
}

/// `fapiao bench` options.
#[derive(clap::Args)]
struct BenchArgs {
    /// Node API URLs, comma-separated (several: round-robin; commits followed on the first).
    #[arg(long, value_delimiter = ',', default_value = "http://127.0.0.1:8080")]
    target: Vec<String>,
    /// The demo's identities (key files and tokens).
    #[arg(long, default_value = "./fapiao-data/demo/identities.json")]
    identities: PathBuf,
    /// What to send.
    #[arg(long, default_value = "issue",
          value_parser = ["issue", "claim", "reimburse", "verify", "mixed"])]
    workload: String,
    /// Open loop: transactions (or reads) per second.
    #[arg(long, conflicts_with = "concurrency")]
    rate: Option<f64>,
    /// Closed loop: requests in flight, each until its transactions commit (default 16).
    #[arg(long)]
    concurrency: Option<usize>,
    /// Seconds of sending.
    #[arg(long, default_value_t = 10)]
    duration: u64,
    /// Transactions per HTTP request (1: one POST /v1/transactions each).
    #[arg(long, default_value_t = 64)]
    batch: usize,
    /// Merchants: at most this many of the consortium's enterprise taxpayers.
    #[arg(long, default_value_t = 16)]
    merchants: usize,
    /// Reimburse: extra attempts for already-sent invoices, as a fraction of them.
    #[arg(long, default_value_t = 0.1)]
    duplicate_rate: f64,
    /// Operations to prepare (default: rate × duration, or a generous closed-loop pool).
    #[arg(long)]
    pool: Option<usize>,
    /// Most seconds to wait for stragglers after sending stops.
    #[arg(long, default_value_t = 30)]
    drain: u64,
    /// Run the same workload against PostgreSQL at this URL instead of the nodes.
    #[arg(long)]
    postgres: Option<String>,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    json: bool,
}

/// `fapiao bench`; `https://` nodes must present one of the `pins` (`--tls-cert`).
fn bench(a: BenchArgs, pins: &[PathBuf]) -> anyhow::Result<()> {
    let load = match (a.rate, a.concurrency) {
        (Some(rate), _) => fapiao_bench::Load::Open { rate },
        (None, c) => fapiao_bench::Load::Closed { concurrency: c.unwrap_or(16) },
    };
    let cfg = fapiao_bench::Config {
        targets: a.target,
        identities: a.identities,
        workload: fapiao_bench::Workload::parse(&a.workload)?,
        load,
        duration: std::time::Duration::from_secs(a.duration),
        batch: a.batch,
        merchants: a.merchants,
        duplicate_rate: a.duplicate_rate,
        postgres: a.postgres,
        pool: a.pool,
        drain: std::time::Duration::from_secs(a.drain),
        progress: true,
        tls: (!pins.is_empty())
            .then(|| fapiao_node::tls::read_pins(pins).map(fapiao_node::tls::pinned_client_config))
            .transpose()?,
    };
    let report = fapiao_bench::run(cfg)?;
    if a.json {
        println!("{}", report.to_json());
    } else {
        print!("{}", report.to_table());
    }
    Ok(())
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("FAPIAO_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,commonware=warn"));
    let _ =
        tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}

/// clap enforces a bundle file or `--qr`.
fn unreachable_usage() -> ! {
    eprintln!("error: give a bundle file or --qr");
    std::process::exit(2)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing();
    let pins = cli.tls_cert.clone();
    client::pin_certificates(cli.tls_cert);
    let result = match cli.command {
        Command::Demo { data_dir, http, cross_chain } => {
            commands::demo(data_dir.as_deref(), http, cross_chain)
        }
        Command::Node { config, parent } => commands::node(&config, parent),
        Command::Responder { config, parent } => commands::responder(&config, &pins, parent),
        Command::Relayer { config, parent } => commands::relayer(&config, parent),
        Command::Init {
            validators,
            out,
            suite,
            base_port,
            block_interval_ms,
            governance_threshold,
            chains: Some(list),
            ..
        } => fapiao_types::Suite::parse(&suite).map_err(anyhow::Error::from).and_then(|suite| {
            use fapiao_demo::linked::chains;
            let names = chains::parse(&list)?;
            let opts = chains::ChainsOptions {
                validators,
                suite,
                base_port,
                block_interval_ms,
                governance_threshold,
                demo: false,
            };
            let written = chains::init(&names, &opts, &out)?;
            println!("{}", serde_json::json!({ "chains": written }));
            Ok(())
        }),
        Command::Init {
            validators,
            out,
            suite,
            base_port,
            block_interval_ms,
            full_nodes,
            demo,
            tls,
            governance_threshold,
            chains: None,
        } => fapiao_types::Suite::parse(&suite).map_err(anyhow::Error::from).and_then(|suite| {
            let opts = init::InitOptions {
                validators,
                full_nodes,
                suite,
                base_port,
                block_interval_ms,
                demo,
                tls,
                governance_threshold,
            };
            let g = init::init(&opts, &out)?;
            println!(
                "{}",
                serde_json::json!({
                    "chain_id": g.chain_id,
                    "genesis": out.join("genesis.json").display().to_string(),
                    "identities": demo.then(|| out.join("identities.json").display().to_string()),
                    "tls": tls,
                    "nodes": (0..validators + full_nodes)
                        .map(|i| out.join(format!("node{i}/config.toml")).display().to_string())
                        .collect::<Vec<_>>(),
                })
            );
            Ok(())
        }),
        Command::Keygen { suite, out } => commands::keygen(&suite, &out),
        Command::Verify { genesis, qr, file, plate, json } => {
            let input = match (&qr, &file) {
                (Some(q), _) => verify_cmd::Input::Qr(q),
                (None, Some(f)) => verify_cmd::Input::Bundle(f, plate.as_deref()),
                (None, None) => unreachable_usage(),
            };
            match verify_cmd::verify(&genesis, input, json) {
                Ok(true) => Ok(()),
                Ok(false) => return ExitCode::from(1),
                Err(e) => Err(e),
            }
        }
        Command::Tx(args) => commands::tx(args),
        Command::Status { node } => commands::status(&node),
        Command::Storage { data_dir, json } => commands::storage(&data_dir, json),
        Command::Token { action } => commands::token(action),
        Command::Keystore { action } => commands::keystore(action),
        Command::Invoice { conn, action } => invoice_cmd::invoice(conn, action),
        Command::Taxpayer { conn, action } => invoice_cmd::taxpayer(conn, action),
        Command::Certificate { conn, action } => certificate_cmd::certificate(conn, action),
        Command::Order { conn, action } => invoice_cmd::order(conn, action),
        Command::RedLetter { conn, action } => invoice_cmd::red_letter(conn, action),
        Command::Alerts { conn, rule } => invoice_cmd::alerts(conn, rule),
        Command::Governance { conn, action } => governance_cmd::governance(conn, action),
        Command::Cowbank { conn, action } => cowbank_cmd::cowbank(conn, action),
        Command::Industry { conn, action } => industry_cmd::industry(conn, action),
        Command::Exchange { conn, action } => exchange_cmd::exchange(conn, action),
        Command::Loan { conn, action } => loan_cmd::loan(conn, action),
        Command::Bench(args) => bench(args, &pins),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}
