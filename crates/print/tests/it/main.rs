//! Integration tests of the public API on a realistic invoice: the PDF is checked with
//! the tools a reader would use (`pdftotext` from poppler-utils for the text layer,
//! `pdftoppm` + `zbarimg` from zbar-tools for the QR code), the HTML by its markup.
//!
//! Tests that need those tools fail when the tools are missing, so that a machine without
//! them cannot pass by skipping; set `FAPIAO_SKIP_PDF_TOOLS=1` to skip them deliberately.

mod certificate;
mod fixtures;
mod html;
mod pdf;
mod tools;
