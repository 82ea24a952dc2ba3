//! The light client's actions: [`CrosschainAction`], its specs and its decoder.
//!
//! One payload per tag of `0xa0..=0xaf` (docs/formats.md §23); only `0xa0`
//! (`crosschain_relay_header`) is used. `0xb0–0xbf` and `0xc0–0xcf` are kept for the
//! finance and industry applications that build on it.

use bytes::BufMut;
use commonware_codec::{Buf, Error as CodecError};
use core::ops::RangeInclusive;
use fapiao_types::{canonical_struct, field::Field, read_bounded_bytes, write_bytes, Action};

/// The action tags the light client owns.
pub const CROSSCHAIN_TAGS: RangeInclusive<u8> = 0xa0..=0xaf;

/// Longest [`Blob`], in bytes (a certificate of 64 validators is under 4.2 KB).
pub const MAX_BLOB: usize = 16 * 1024;

/// Opaque bytes carried as they are: a varint length (at most [`MAX_BLOB`]) and the
/// bytes.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Blob(pub Vec<u8>);

impl Field for Blob {
    fn write_field(&self, buf: &mut impl BufMut) {
        write_bytes(&self.0, buf)
    }
    fn field_size(&self) -> usize {
        let n = self.0.len();
        commonware_codec::EncodeSize::encode_size(&n) + n
    }
    fn read_field(buf: &mut impl Buf) -> Result<Self, CodecError> {
        read_bounded_bytes(buf, MAX_BLOB).map(Blob)
    }
}

canonical_struct! {
    /// A relayer hands a registered chain's finalized header, with its finality
    /// certificate, to this chain's light client.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct RelayHeader {
        /// The source chain's id text (as registered).
        pub chain: String,
        /// The header's canonical encoding (docs/formats.md §5).
        pub header: Blob,
        /// The finality blob as `GET /v1/blocks/{height}` serves it:
        /// `height (u64 BE) ‖ header digest (32) ‖ certificate`.
        pub certificate: Blob,
    }
}

/// Why an action is not one of the light client's.
pub type NotCrosschainAction = fapiao_types::NotAppAction;

fapiao_types::app_actions! {
    app: "crosschain", tags: CROSSCHAIN_TAGS, keyless: fapiao_types::no_keyless,
    /// What a light-client transaction does.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub enum CrosschainAction;
    /// The decoder of the light client's action bodies ([`fapiao_types::ActionCodecs`]).
    pub struct CrosschainBodies;
    actions {
        /// Relay a certified header (anyone with an account).
        RelayHeader(RelayHeader) = 0xa0, "crosschain_relay_header", None;
    }
}

impl From<RelayHeader> for Action {
    fn from(a: RelayHeader) -> Action {
        Action::from(CrosschainAction::RelayHeader(a))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use commonware_codec::{Copying, Error as CodecError};
    use fapiao_types::ActionBodies;

    #[test]
    fn only_relay_header_is_used_and_other_tags_of_the_range_are_refused() {
        assert_eq!(CrosschainAction::SPECS.len(), 1);
        assert!(CROSSCHAIN_TAGS.contains(&CrosschainAction::SPECS[0].tag));
        assert!(matches!(CrosschainBodies.body_len(0xa1, &[]), Err(CodecError::InvalidEnum(0xa1))));
    }

    #[test]
    fn a_blob_longer_than_the_bound_does_not_decode() {
        let mut buf = Vec::new();
        write_bytes(&vec![7u8; MAX_BLOB + 1], &mut buf);
        assert!(Blob::read_field(&mut Copying(buf.as_slice())).is_err());
        let mut ok = Vec::new();
        Blob(vec![7; 3]).write_field(&mut ok);
        assert_eq!(ok, [3, 7, 7, 7]);
        assert_eq!(Blob(vec![7; 3]).field_size(), 4);
    }
}
