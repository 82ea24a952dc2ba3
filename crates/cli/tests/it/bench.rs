//! `fapiao bench` against a real demo node: issuance and reimbursement (with duplicate
//! attempts) commit, every outcome is accounted for, latencies are reported and no
//! invoice is reimbursed twice.

use crate::harness::Demo;
use serde_json::Value;
use std::process::Command;

/// Runs `fapiao bench` with `args` against `demo` and returns its JSON report.
fn bench(demo: &Demo, args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_fapiao"))
        .arg("bench")
        .args(["--target", &demo.url, "--identities"])
        .arg(demo.dir.join("demo/identities.json"))
        .args(["--duration", "3", "--json", "--drain", "15"])
        .args(args)
        .output()
        .expect("run fapiao bench");
    assert!(
        out.status.success(),
        "fapiao bench {args:?} failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        demo.log()
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("bench output is not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout))
    })
}

fn count(r: &Value, field: &str) -> u64 {
    r[field].as_u64().unwrap_or_else(|| panic!("no {field} in {r}"))
}

fn assert_latencies(r: &Value) {
    let l = &r["latency_ms"];
    let p = |k: &str| l[k].as_f64().unwrap_or_else(|| panic!("no latency {k} in {r}"));
    assert!(p("p50") > 0.0, "{r}");
    assert!(p("p50") <= p("p95") && p("p95") <= p("p99") && p("p99") <= p("p999"), "{r}");
    assert_eq!(l["count"].as_u64(), Some(count(r, "committed")), "{r}");
}

#[test]
fn bench_smoke_slow_() {
    let tmp = tempfile::tempdir().unwrap();
    let demo = Demo::start(tmp.path());

    let issue = bench(
        &demo,
        &["--workload", "issue", "--concurrency", "4", "--merchants", "4", "--pool", "3000"],
    );
    assert_eq!(issue["backend"], "fapiao");
    assert!(count(&issue, "committed_in_window") > 0, "{issue}");
    assert!(issue["committed_per_s"].as_f64().unwrap() > 0.0, "{issue}");
    // Every issuance is valid: all admitted, all committed, all ok.
    assert_eq!(count(&issue, "admitted"), count(&issue, "submitted"), "{issue}");
    assert_eq!(count(&issue, "committed"), count(&issue, "submitted"), "{issue}");
    assert_eq!(issue["success_rate"].as_f64(), Some(1.0), "{issue}");
    assert_eq!(count(&issue, "unresolved"), 0, "{issue}");
    assert_latencies(&issue);
    assert!(issue["node"]["rss_max_bytes"].as_u64().unwrap_or(0) > 0, "{issue}");

    let reimb = bench(
        &demo,
        &[
            "--workload",
            "reimburse",
            "--concurrency",
            "4",
            "--merchants",
            "4",
            "--pool",
            "330",
            "--duplicate-rate",
            "0.1",
        ],
    );
    assert!(count(&reimb, "committed") > 0, "{reimb}");
    assert_eq!(count(&reimb, "double_reimbursement_escapes"), 0, "{reimb}");
    // Each invoice is reimbursed once; the extra attempts fail in their block.
    let ok = count(&reimb, "ok");
    assert_eq!(ok, count(&reimb, "reimbursed_invoices"), "{reimb}");
    let failed: u64 =
        reimb["failed"].as_object().unwrap().values().map(|v| v.as_u64().unwrap()).sum();
    assert_eq!(ok + failed, count(&reimb, "committed"), "{reimb}");
    assert!(failed <= count(&reimb, "duplicate_attempts"), "{reimb}");
    let rate = reimb["success_rate"].as_f64().unwrap();
    assert!(rate > 0.8 && rate <= 1.0, "{reimb}");
    assert_latencies(&reimb);
}
