//! `fapiao verify`: an invoice or tax-certificate proof bundle or a QR payload, checked
//! offline against a genesis file — no node is contacted.

use anyhow::{Context, Result};
use fapiao_types::Genesis;
use fapiao_verify::{
    ProofBundle, QrPayload, VerifiedCertificate, VerifiedInvoice, VerifyError,
    CERTIFICATE_BUNDLE_FORMAT,
};
use std::path::Path;

/// What `fapiao verify` checks.
pub enum Input<'a> {
    /// A proof bundle file (`-` for stdin), with the plate a certificate must be of.
    Bundle(&'a Path, Option<&'a str>),
    /// A QR payload or the URL a QR code holds.
    Qr(&'a str),
}

fn fen(v: i64) -> String {
    let sign = if v < 0 { "-" } else { "" };
    format!("¥{sign}{}.{:02}", v.unsigned_abs() / 100, v.unsigned_abs() % 100)
}

/// China time (UTC+8) of a block time, `yyyy-mm-dd hh:mm:ss`.
fn china_time(ms: u64) -> String {
    let (y, m, d) = fapiao_invoice_rules::calendar::china_date(ms);
    let secs = (ms / 1000 + 8 * 3600) % 86_400;
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} (UTC+8)",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

fn report(v: &VerifiedInvoice, genesis: &Genesis) -> (String, serde_json::Value) {
    let p = &v.public;
    let mut out = format!(
        "OK: invoice {} is on chain {:?}\n  seller     {} ({})\n  date       {}\n  total      {}\n  status     {}{}\n",
        p.number,
        genesis.chain_id,
        p.seller_name,
        p.seller_tax_id,
        p.date,
        fen(p.total_with_tax),
        p.status.as_str(),
        if p.flagged { " (flagged by the tax authority)" } else { "" },
    );
    if let Some(b) = &v.body {
        out.push_str(&format!(
            "  buyer      {} {}\n  amount     {} + tax {} ({})\n  lines      {}\n  content    matches the public commitment\n",
            b.buyer.name,
            b.buyer.tax_id.as_deref().unwrap_or_default(),
            fen(b.total_amount),
            fen(b.total_tax),
            b.total_in_capitals,
            b.lines.len(),
        ));
    } else {
        out.push_str("  content    not included (public record and commitment only)\n");
    }
    match &v.circulation {
        Some(Some(c)) => out.push_str(&format!(
            "  circulation submitted to {}, reimbursed at {}, booked at {}\n",
            c.enterprise.as_deref().unwrap_or("-"),
            c.reimbursed_at,
            c.booked_at
        )),
        Some(None) => out.push_str("  circulation never submitted (proven absent)\n"),
        None => {}
    }
    out.push_str(&format!(
        "  as of      state height {} (header {} at {}), finalized at height {} by {} of {} validators (quorum {}): {}\n",
        v.state_height,
        v.header_height,
        china_time(v.header_time_ms),
        v.certified_height,
        v.signers.len(),
        genesis.validators.len(),
        v.quorum,
        signer_names(&v.signers, genesis)
    ));
    let json = serde_json::json!({
        "ok": true,
        "number": p.number,
        "seller_tax_id": p.seller_tax_id,
        "seller_name": p.seller_name,
        "date": p.date,
        "total_with_tax_fen": p.total_with_tax,
        "status": p.status.as_str(),
        "flagged": p.flagged,
        "body_verified": v.body.is_some(),
        "state_height": v.state_height,
        "header_height": v.header_height,
        "header_time_ms": v.header_time_ms,
        "certified_height": v.certified_height,
        "signers": v.signers,
        "quorum": v.quorum,
    });
    (out, json)
}

fn signer_names(signers: &[u32], genesis: &Genesis) -> String {
    signers
        .iter()
        .map(|i| {
            genesis.validators.get(*i as usize).map(|v| v.name.clone()).unwrap_or(i.to_string())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn certificate_report(v: &VerifiedCertificate, genesis: &Genesis) -> (String, serde_json::Value) {
    let p = &v.public;
    let number = fapiao_certificate_types::certificate_number_text(p.number);
    let out = format!(
        "OK: tax-payment certificate {number} is on chain {:?}\n  tax year   {}\n  owner      {}\n  vehicle    {}{}\n  collected  {} by {}\n  relief     {}\n  status     {}{}\n  as of      state height {} ({}), finalized at height {} by {} of {} validators (quorum {}): {}\n",
        genesis.chain_id,
        p.tax_year,
        p.owner_masked,
        p.class,
        if v.plate_checked { ", plate matches" } else { " (plate not checked: --plate)" },
        fen(p.total),
        p.insurer,
        p.relief.label_zh(),
        p.status.label_zh(),
        if p.refunded > 0 { format!(", {} refunded", fen(p.refunded)) } else { String::new() },
        v.state_height,
        china_time(v.header_time_ms),
        v.certified_height,
        v.signers.len(),
        genesis.validators.len(),
        v.quorum,
        signer_names(&v.signers, genesis),
    );
    let json = serde_json::json!({
        "ok": true,
        "certificate": number,
        "tax_year": p.tax_year,
        "owner": p.owner_masked,
        "class": p.class.as_str(),
        "total_fen": p.total,
        "relief": p.relief.as_str(),
        "insurer": p.insurer,
        "status": p.status.as_str(),
        "refunded_fen": p.refunded,
        "plate_checked": v.plate_checked,
        "state_height": v.state_height,
        "certified_height": v.certified_height,
        "signers": v.signers,
        "quorum": v.quorum,
    });
    (out, json)
}

/// Runs the check; `Ok(true)` when it verified, `Ok(false)` (after printing the failed
/// check) when it did not.
///
/// # Errors
/// Unreadable files.
pub fn verify(genesis_path: &Path, input: Input<'_>, json: bool) -> Result<bool> {
    let text = std::fs::read_to_string(genesis_path)
        .with_context(|| format!("reading {}", genesis_path.display()))?;
    let genesis = Genesis::from_json(&text)
        .map_err(|e| VerifyError::Genesis(e.to_string()))
        .map_err(|e| fail(&e, json));
    let Ok(genesis) = genesis else { return Ok(false) };
    let result = match input {
        Input::Bundle(path, plate) => {
            let raw = if path == Path::new("-") {
                std::io::read_to_string(std::io::stdin()).context("reading stdin")?
            } else {
                std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?
            };
            serde_json::from_str::<ProofBundle>(&raw)
                .map_err(|e| VerifyError::Bundle(format!("not a proof bundle: {e}")))
                .and_then(|b| {
                    if b.format == CERTIFICATE_BUNDLE_FORMAT {
                        fapiao_verify::verify_certificate_bundle(&genesis, &b, plate)
                            .map(|v| certificate_report(&v, &genesis))
                    } else {
                        fapiao_verify::verify_bundle(&genesis, &b).map(|v| report(&v, &genesis))
                    }
                })
        }
        Input::Qr(payload) => QrPayload::parse(payload).and_then(|p| p.verify(&genesis)).map(|v| {
            let p = &v.payload;
            let out = format!(
                "OK: QR payload signed by validator {} ({}) of chain {:?}\n  number     {}\n  date       {}\n  total      {}\n  seller     {}\n  commitment {}\n",
                p.validator,
                v.validator_name,
                genesis.chain_id,
                p.number,
                p.date,
                fen(p.total_with_tax),
                p.seller_tax_id,
                hex::encode(p.commitment),
            );
            let json = serde_json::json!({
                "ok": true, "number": p.number, "date": p.date,
                "total_with_tax_fen": p.total_with_tax, "seller_tax_id": p.seller_tax_id,
                "commitment": hex::encode(p.commitment), "validator": p.validator,
                "validator_name": v.validator_name,
            });
            (out, json)
        }),
    };
    match result {
        Ok((text, j)) => {
            if json {
                println!("{j}");
            } else {
                print!("{text}");
            }
            Ok(true)
        }
        Err(e) => {
            fail(&e, json);
            Ok(false)
        }
    }
}

fn fail(e: &VerifyError, json: bool) {
    if json {
        println!(
            "{}",
            serde_json::json!({"ok": false, "check": e.check(), "error": e.to_string()})
        );
    } else {
        println!("FAILED ({}): {e}", e.check());
    }
}
