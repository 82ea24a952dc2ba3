//! QR codes as a module matrix, drawn by the PDF as filled squares and by the HTML as an
//! inline SVG path.
//!
//! The symbol is the smallest QR version that holds the payload at the lowest error
//! correction level; within that version the highest level that still fits is used, so
//! a longer URL costs no module size and a shorter one buys robustness for free. The
//! matrix includes the four-module quiet zone the standard requires.

use qrcode::{EcLevel, QrCode};

use crate::error::{Error, Result};

/// Width of the quiet zone around the symbol, in modules (ISO/IEC 18004).
pub(crate) const QUIET_ZONE: usize = 4;

/// A QR symbol with its quiet zone, row-major, `true` = dark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QrMatrix {
    size: usize,
    dark: Vec<bool>,
}

impl QrMatrix {
    /// Encodes `payload` (as its UTF-8 bytes).
    pub(crate) fn encode(payload: &str) -> Result<Self> {
        let data = payload.as_bytes();
        let err = |e: qrcode::types::QrError| Error::Qr { len: data.len(), reason: e.to_string() };
        let smallest = QrCode::with_error_correction_level(data, EcLevel::L).map_err(err)?;
        let version = smallest.version();
        let code = [EcLevel::H, EcLevel::Q, EcLevel::M]
            .into_iter()
            .find_map(|ec| QrCode::with_version(data, version, ec).ok())
            .unwrap_or(smallest);
        let inner = code.width();
        let size = inner + 2 * QUIET_ZONE;
        let colors = code.into_colors();
        let mut dark = vec![false; size * size];
        for (i, color) in colors.into_iter().enumerate() {
            let (x, y) = (i % inner, i / inner);
            dark[(y + QUIET_ZONE) * size + x + QUIET_ZONE] = color == qrcode::Color::Dark;
        }
        Ok(Self { size, dark })
    }

    /// A blank square the size of the smallest symbol, where no code can be drawn.
    pub(crate) fn empty() -> Self {
        let size = 21 + 2 * QUIET_ZONE;
        Self { size, dark: vec![false; size * size] }
    }

    /// Modules per side, quiet zone included.
    pub(crate) fn size(&self) -> usize {
        self.size
    }

    /// Horizontal runs of dark modules as `(x, y, length)`, in module units from the
    /// top-left corner of the quiet zone.
    pub(crate) fn runs(&self) -> Vec<(usize, usize, usize)> {
        let mut runs = Vec::new();
        for (y, row) in self.dark.chunks(self.size).enumerate() {
            let mut x = 0;
            while x < self.size {
                if row[x] {
                    let start = x;
                    while x < self.size && row[x] {
                        x += 1;
                    }
                    runs.push((start, y, x - start));
                } else {
                    x += 1;
                }
            }
        }
        runs
    }

    /// The symbol as a standalone SVG element: a white square (quiet zone included) and
    /// one black path, scaled by its `viewBox` to whatever box the page gives it.
    pub(crate) fn to_svg(&self) -> String {
        let n = self.size;
        let mut path = String::new();
        for (x, y, len) in self.runs() {
            path.push_str(&format!("M{x} {y}h{len}v1h-{len}z"));
        }
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {n} {n}\" \
             shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR code\">\
             <rect width=\"{n}\" height=\"{n}\" fill=\"#fff\"/>\
             <path fill=\"#000\" d=\"{path}\"/></svg>"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrix_has_quiet_zone_and_finder_patterns() {
        let m = QrMatrix::encode("https://example.invalid/v?n=12345678901234567890").unwrap();
        let n = m.size();
        assert_eq!((n - 2 * QUIET_ZONE - 17) % 4, 0, "QR widths are 17 + 4·version");
        for i in 0..n {
            for q in 0..QUIET_ZONE {
                assert!(!m.dark[q * n + i] && !m.dark[(n - 1 - q) * n + i]);
                assert!(!m.dark[i * n + q] && !m.dark[i * n + n - 1 - q]);
            }
        }
        // Top-left finder pattern: a 7-module dark square outline.
        let at = |x: usize, y: usize| m.dark[(y + QUIET_ZONE) * n + x + QUIET_ZONE];
        assert!((0..7).all(|i| at(i, 0) && at(0, i) && at(i, 6) && at(6, i)));
        assert!(!at(1, 1) && at(2, 2) && at(4, 4) && !at(5, 5));
    }

    #[test]
    fn runs_cover_exactly_the_dark_modules() {
        let m = QrMatrix::encode("fapiao").unwrap();
        let mut painted = vec![false; m.size() * m.size()];
        for (x, y, len) in m.runs() {
            for i in x..x + len {
                assert!(!painted[y * m.size() + i]);
                painted[y * m.size() + i] = true;
            }
        }
        assert_eq!(painted, m.dark);
    }

    #[test]
    fn long_payload_is_an_error_not_a_panic() {
        let err = QrMatrix::encode(&"x".repeat(4000)).unwrap_err();
        assert!(matches!(err, Error::Qr { len: 4000, .. }), "{err}");
    }

    #[test]
    fn error_correction_is_raised_within_the_smallest_version() {
        // Ten bytes need version 1 (byte-mode capacity L 17, M 14, Q 11, H 7): the symbol
        // is version 1 at level Q, not the encoder's default M.
        let m = QrMatrix::encode("abcdefghij").unwrap();
        let q = QrCode::with_version("abcdefghij", qrcode::Version::Normal(1), EcLevel::Q);
        let q = q.unwrap().to_colors();
        assert_eq!(m.size(), 21 + 2 * QUIET_ZONE);
        let n = m.size();
        for (i, c) in q.iter().enumerate() {
            let (x, y) = (i % 21 + QUIET_ZONE, i / 21 + QUIET_ZONE);
            assert_eq!(m.dark[y * n + x], *c == qrcode::Color::Dark);
        }
    }
}
