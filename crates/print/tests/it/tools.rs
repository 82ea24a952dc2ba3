//! Running poppler-utils and zbar-tools, or refusing to pretend they ran.

use std::{io::ErrorKind, path::Path, process::Command};

/// Runs `program` with `args` and returns its standard output; `None` only when the
/// program is not installed and `FAPIAO_SKIP_PDF_TOOLS=1` says that is fine.
///
/// # Panics
///
/// When the program is missing (without the skip variable), fails to start, or exits
/// unsuccessfully.
pub fn run(program: &str, args: &[&str]) -> Option<Vec<u8>> {
    match Command::new(program).args(args).output() {
        Ok(out) => {
            assert!(
                out.status.success(),
                "{program} {args:?} failed ({}): {}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            );
            Some(out.stdout)
        }
        Err(e) if e.kind() == ErrorKind::NotFound => {
            if std::env::var("FAPIAO_SKIP_PDF_TOOLS").as_deref() == Ok("1") {
                eprintln!("skipped: {program} is not on PATH and FAPIAO_SKIP_PDF_TOOLS=1");
                None
            } else {
                panic!(
                    "{program} is not on PATH: install poppler-utils and zbar-tools \
                     (apt-get install poppler-utils zbar-tools), or set \
                     FAPIAO_SKIP_PDF_TOOLS=1 to skip the checks that need them"
                )
            }
        }
        Err(e) => panic!("cannot run {program}: {e}"),
    }
}

/// The text layer of `pdf` as `pdftotext` extracts it (reading order, no layout).
pub fn pdftotext(pdf: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("invoice.pdf");
    std::fs::write(&file, pdf).expect("write pdf");
    let out = run("pdftotext", &["-enc", "UTF-8", path(&file), "-"])?;
    Some(String::from_utf8(out).expect("pdftotext prints UTF-8"))
}

/// The QR codes on page 1 of `pdf`, rasterised at 150 dpi, as `zbarimg` reads them.
pub fn qr_codes(pdf: &[u8]) -> Option<Vec<String>> {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("invoice.pdf");
    std::fs::write(&file, pdf).expect("write pdf");
    let prefix = dir.path().join("page");
    run(
        "pdftoppm",
        &["-r", "150", "-f", "1", "-l", "1", "-png", "-singlefile", path(&file), path(&prefix)],
    )?;
    let png = dir.path().join("page.png");
    let out = run("zbarimg", &["--raw", "-q", path(&png)])?;
    let text = String::from_utf8(out).expect("zbarimg prints UTF-8");
    Some(text.lines().map(str::to_string).collect())
}

fn path(p: &Path) -> &str {
    p.to_str().expect("temp paths are UTF-8")
}
