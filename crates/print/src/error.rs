//! The one error type of this crate.
//!
//! Rendering takes display strings as they are, so nothing the caller passes is refused
//! for its content: characters the embedded font lacks print as the font's empty box
//! (and still extract as the right text). What can fail is the QR code (a payload too long
//! for the largest symbol) and, in principle, the embedded font itself.

/// Why an invoice could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The QR payload does not fit in a QR code (more than 2,953 bytes at the lowest error
    /// correction level), or the encoder refused it.
    #[error("QR payload of {len} bytes cannot be encoded: {reason}")]
    Qr {
        /// Length of the payload in bytes.
        len: usize,
        /// The encoder's reason.
        reason: String,
    },
    /// The font compiled into the binary could not be read (a broken build, not bad input).
    #[error("embedded font unreadable: {reason}")]
    Font {
        /// What the parser said.
        reason: String,
    },
    /// The font subsetter failed on the glyphs of this document.
    #[error("font subsetting failed: {reason}")]
    Subset {
        /// What the subsetter said.
        reason: String,
    },
}

/// Result with this crate's [`Error`].
pub type Result<T> = core::result::Result<T, Error>;
