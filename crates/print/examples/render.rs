//! Writes the sample invoices as PDF and HTML, to look at them:
//! `cargo run -p fapiao-print --example render -- <dir>` (default: the current directory).

#[path = "../tests/it/fixtures.rs"]
mod fixtures;

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    let all = [
        ("sample", fixtures::sample()),
        ("red", fixtures::red_sample()),
        ("long", fixtures::long_sample()),
    ];
    for (name, inv) in all {
        let pdf = dir.join(format!("{name}.pdf"));
        std::fs::write(&pdf, fapiao_print::render_pdf(&inv)?)?;
        std::fs::write(dir.join(format!("{name}.html")), fapiao_print::render_html(&inv))?;
        println!("{}", pdf.display());
    }
    Ok(())
}
