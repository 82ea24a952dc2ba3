//! `fapiao demo --cross-chain`: the tax, finance and industry chains of
//! `fapiao init --chains tax,finance,industry` (one validator each) and a relayer per
//! linked pair (tax → finance, industry → finance), all as child processes of the demo on
//! one machine, with the finance chain following the other two by governance and the
//! loan story seeded ([`story`]): Huawei authorises the bank on the tax chain, its
//! utilities and the social-security office attest its operating data on the industry
//! chain, the bank approves a loan on the relayed proofs and finances one of Huawei's
//! invoices, and a second financing of it is refused.
//!
//! Layout under `DIR` (written on first start, reused after): what
//! [`chains::init`] writes with [`chains::ChainsOptions::demo`] (`chains.json`,
//! `<chain>/genesis.json`, `<chain>/node0/`, `<chain>/admins/`, `<chain>/demo/keys/`,
//! `<chain>/identities.json`), each node's log in `<chain>/node0/node.log`, the relayers'
//! configs and logs in `relayers/`, and the marker `seeded` (the whole story told).
//! Ports: the tax chain's API on `--http`, the finance chain's 200 above, the industry
//! chain's 400 above (peer ports 100 below each).
//!
//! A restart on the same directory starts the same processes on the same data: the
//! chains resume from their stores, the relayers from the finance chain's windows, and
//! nothing is seeded again. Ctrl-C stops every child; children started with `--parent`
//! stop by themselves if the demo is killed.

pub mod chains;
pub mod client;
pub mod loan;
pub mod procs;
pub mod story;

use crate::{Error, Result, DEMO_PASSPHRASE};
use chains::{ChainsOptions, WrittenChain, HUAWEI, METER_READER, RELAYER_INDUSTRY, RELAYER_TAX};
use procs::Children;
use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    time::Duration,
};
use story::{find, Linked};

/// The linked pairs a relayer runs for: (source, destination, the relayer's account).
pub const PAIRS: &[(&str, &str, &str)] =
    &[("tax", "finance", RELAYER_TAX), ("industry", "finance", RELAYER_INDUSTRY)];

/// Block interval of the demo's chains, in milliseconds.
const BLOCK_INTERVAL_MS: u64 = 500;

/// Runs `fapiao demo --cross-chain` in `dir` (laid out on first use, resumed after) with
/// the tax chain's API on `http`, until Ctrl-C or a child's exit.
///
/// # Errors
/// Laying out, starting a child, seeding or registering failed, or a child exited.
pub fn run(dir: &Path, http: SocketAddr) -> Result<()> {
    let exe = std::env::current_exe()
        .ok()
        .filter(|e| e.file_stem().is_some_and(|s| s == "fapiao"))
        .ok_or_else(|| {
            Error::Layout(
                "fapiao demo --cross-chain runs its chains with the fapiao executable".into(),
            )
        })?;
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let dir = dir.canonicalize().map_err(|e| Error::io(dir, e))?;
    let chains = prepare(&dir, http)?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::Layout(format!("runtime: {e}")))?;
    rt.block_on(async {
        let mut children = Children::default();
        let outcome = tokio::select! {
            r = serve(&exe, &dir, &chains, &mut children) => r,
            _ = tokio::signal::ctrl_c() => Ok(()),
        };
        children.stop();
        outcome
    })
}

/// Starts the children, seeds, prints the banner, then waits for a child to exit.
async fn serve(
    exe: &Path,
    dir: &Path,
    written: &[WrittenChain],
    children: &mut Children,
) -> Result<()> {
    let chains: Vec<Linked<'_>> = written.iter().map(Linked::new).collect::<Result<_>>()?;
    for c in &chains {
        let node = c.chain.nodes.first().ok_or_else(|| Error::Layout("no node".into()))?;
        let log = node.with_file_name("node.log");
        children.spawn(exe, "node", node, &log)?;
    }
    // Waiting and seeding race the children: one that exits ends the demo at once.
    let started = async {
        for c in &chains {
            let client = &c.client;
            client
                .wait_for("the chain to move", Duration::from_secs(90), || async {
                    client.height().await >= 1
                })
                .await?;
        }
        story::seed(dir, &chains).await
    };
    tokio::select! {
        r = started => r?,
        e = children.exited() => return Err(e),
    }
    for (source, destination, _) in PAIRS {
        let config = relayer_config(dir, source, destination);
        children.spawn(exe, "relayer", &config, &config.with_extension("log"))?;
    }
    // The loan half of the story needs the relayed headers.
    let relaying = async {
        let finance = &find(&chains, "finance")?.client;
        for (source, ..) in PAIRS {
            let chain_id = &find(&chains, source)?.client.chain_id;
            let path = format!("/v1/crosschain/chains/{chain_id}");
            let what = format!("{chain_id}'s first headers");
            finance
                .wait_for(&what, Duration::from_secs(90), || async {
                    finance
                        .get(&path)
                        .await
                        .is_some_and(|w| w["window"].as_array().is_some_and(|w| !w.is_empty()))
                })
                .await?;
        }
        story::seed_loan(dir, &chains).await
    };
    tokio::select! {
        r = relaying => r?,
        e = children.exited() => return Err(e),
    }
    print!("{}", banner(dir, &chains));
    Err(children.exited().await)
}

/// Where the relayer of `source → destination` keeps its config (its log beside it,
/// `.log`).
pub fn relayer_config(dir: &Path, source: &str, destination: &str) -> PathBuf {
    dir.join("relayers").join(format!("{source}-{destination}.toml"))
}

/// Lays out `dir` on first use (the three chains, the relayers' configs); reads the
/// layout back after.
///
/// # Errors
/// [`Error::Layout`] for an `http` port the layout cannot start from, or a file that
/// cannot be written or read.
pub fn prepare(dir: &Path, http: SocketAddr) -> Result<Vec<WrittenChain>> {
    if dir.join("chains.json").exists() {
        let written = chains::load(dir)?;
        let tax_api = written.first().and_then(|c| c.api.first()).cloned().unwrap_or_default();
        if tax_api != format!("http://{http}") {
            tracing::warn!(http = %http, tax = %tax_api, "linked.ports_kept: the layout's ports are kept on a resumed demo");
        }
        return Ok(written);
    }
    let base_port = http.port().checked_sub(100).filter(|p| *p >= 1024).ok_or_else(|| {
        Error::Layout(format!("--http port {} must be at least 1124", http.port()))
    })?;
    let opts = ChainsOptions {
        validators: 1,
        suite: fapiao_types::Suite::Ed25519,
        base_port,
        block_interval_ms: BLOCK_INTERVAL_MS,
        governance_threshold: None,
        demo: true,
    };
    // chains.json is written last by init: without it, a chain directory is a layout
    // that stopped half-way (or something else); it is not overwritten.
    for name in ["tax", "finance", "industry"] {
        if dir.join(name).exists() {
            return Err(Error::Layout(format!(
                "{} exists but {} does not: a layout that stopped half-way; remove it or \
                 choose another --data-dir",
                dir.join(name).display(),
                dir.join("chains.json").display()
            )));
        }
    }
    let written = chains::init(&["tax", "finance", "industry"], &opts, dir)?;
    let relayers = dir.join("relayers");
    std::fs::create_dir_all(&relayers).map_err(|e| Error::io(&relayers, e))?;
    for (source, destination, account) in PAIRS {
        let api = |name: &str| {
            written
                .iter()
                .find(|c| c.name == name)
                .and_then(|c| c.api.first().cloned())
                .ok_or_else(|| Error::Layout(format!("no {name} chain")))
        };
        let finance_dir = dir.join(destination);
        let key = crate::key_file(&finance_dir, account);
        let text = format!(
            "# `fapiao demo --cross-chain`: carries {source}'s certified headers to {destination}.\n\
             key = {key:?}\npoll_ms = {BLOCK_INTERVAL_MS}\n\n[[pairs]]\nsource = {:?}\ndestination = {:?}\n",
            api(source)?,
            api(destination)?,
            key = key.display().to_string(),
        );
        fapiao_node::write_atomic(&relayer_config(dir, source, destination), text.as_bytes())?;
    }
    Ok(written)
}

/// The start-up banner: each chain's API and the pages that show the story's result with
/// the identity to sign in as, its identities, the relayers' logs.
fn banner(dir: &Path, chains: &[Linked<'_>]) -> String {
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    line(String::new());
    line("Fapiao linked chains are running (tax, finance, industry; one validator each).".into());
    for c in chains {
        let api = &c.client.api;
        line(format!("  {:<9} {}  ({})", c.chain.name, api, c.client.chain_id));
        line(format!("            API:        {api}/v1/status"));
        match c.chain.name.as_str() {
            "tax" => {
                line(format!(
                    "            Authorise:  {api}/enterprise/disclose  (as \"Huawei finance office\": \
                     its grant to {}, in force)",
                    story::BANK
                ));
                line(format!("            Enterprise: {api}/enterprise  (Huawei's desk)"));
            }
            "finance" => {
                line(format!(
                    "            Loan desk:  {api}/bank/loans  (as \"Loan officer\": Huawei's loan \
                     approved with its verified facts, the financed invoice)"
                ));
                line(format!("            Windows:    {api}/v1/crosschain/chains"));
            }
            "industry" => {
                line(format!(
                    "            Operating:  {api}/industry/operating?uscc={HUAWEI}  (as \
                     \"Huawei finance office\": its attested figures)"
                ));
                line(format!(
                    "            Attest:     {api}/industry/attest  (as \"{METER_READER}\" and the \
                     other attesters)"
                ));
            }
            _ => line(format!("            Pages:      {api}/")),
        }
        line(format!("            Identities: {}", c.chain.dir.join("identities.json").display()));
        line(format!("            Log:        {}", c.chain.dir.join("node0/node.log").display()));
    }
    for (source, destination, _) in PAIRS {
        let log = relayer_config(dir, source, destination).with_extension("log");
        line(format!("  relayer {source} -> {destination}: {}", log.display()));
    }
    line(format!("  Data:      {}", dir.display()));
    line(format!("  Keystore passphrase (demo only): {DEMO_PASSPHRASE}"));
    line(String::new());
    line("Stop with Ctrl-C; run the same command again to resume the same chains.".into());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn http(port: u16) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], port))
    }

    #[test]
    fn the_banner_points_at_the_pages_that_show_the_story_with_who_to_sign_in_as() {
        let dir = tempfile::tempdir().unwrap();
        let written = prepare(dir.path(), http(27_100)).unwrap();
        let chains: Vec<Linked<'_>> = written.iter().map(|w| Linked::new(w).unwrap()).collect();
        let text = banner(dir.path(), &chains);
        for (page, who) in [
            ("http://127.0.0.1:27300/bank/loans", "Loan officer"),
            ("http://127.0.0.1:27100/enterprise/disclose", "Huawei finance office"),
            (
                "http://127.0.0.1:27500/industry/operating?uscc=914403001922038216",
                "Huawei finance office",
            ),
            ("http://127.0.0.1:27500/industry/attest", METER_READER),
        ] {
            let line = text
                .lines()
                .find(|l| l.contains(page))
                .unwrap_or_else(|| panic!("{page}:\n{text}"));
            assert!(line.contains(&format!("\"{who}\"")), "{line}");
        }
        // Every identity named is one the chain's identities file lists.
        for (chain, who) in [
            ("finance", "Loan officer"),
            ("tax", "Huawei finance office"),
            ("industry", "Huawei finance office"),
            ("industry", METER_READER),
        ] {
            let c = chains.iter().find(|c| c.chain.name == chain).unwrap();
            assert!(c.token(who).unwrap().starts_with("fpt_"), "{chain}: {who}");
        }
    }

    #[test]
    fn the_layout_is_written_once_then_read_back_and_a_half_written_one_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let first = prepare(dir.path(), http(27_100)).unwrap();
        let names: Vec<&str> = first.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["tax", "finance", "industry"]);
        assert_eq!(first[0].api, ["http://127.0.0.1:27100"]);
        assert_eq!(first[1].api, ["http://127.0.0.1:27300"]);
        for (source, destination, account) in PAIRS {
            let text =
                std::fs::read_to_string(relayer_config(dir.path(), source, destination)).unwrap();
            let key =
                crate::key_file(&dir.path().canonicalize().unwrap().join(destination), account);
            assert!(text.contains(&format!("{:?}", key.display().to_string())), "{text}");
            assert!(text.contains(&format!(
                "source = {:?}",
                first.iter().find(|c| c.name == *source).unwrap().api[0]
            )));
        }
        // Resumed (even with another --http): the same layout, nothing rewritten.
        let genesis = std::fs::read(dir.path().join("tax/genesis.json")).unwrap();
        let again = prepare(dir.path(), http(29_100)).unwrap();
        assert_eq!(again[0].registration.genesis_hash, first[0].registration.genesis_hash);
        assert_eq!(again[0].api, first[0].api);
        assert_eq!(std::fs::read(dir.path().join("tax/genesis.json")).unwrap(), genesis);

        let half = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(half.path().join("finance")).unwrap();
        let e = prepare(half.path(), http(27_100)).unwrap_err().to_string();
        assert!(e.contains("stopped half-way"), "{e}");
        assert!(prepare(tempfile::tempdir().unwrap().path(), http(1_000)).is_err());
    }
}
