//! Receipts: what executing one transaction did.

use crate::{
    codec_util::{bytes_size, read_bounded_str, write_bytes},
    Hash32,
};
use bytes::BufMut;
use commonware_codec::Buf;
use commonware_codec::{EncodeSize, Error as CodecError, Read, Write};

/// Longest failure code or message kept in a receipt, in bytes.
pub const MAX_RECEIPT_TEXT: usize = 512;

/// The outcome of executing a transaction.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    /// Applied.
    Ok,
    /// Refused by a rule at execution: nothing changed except that the hash is used.
    Failed {
        /// Stable error code.
        code: String,
        /// The field at fault (a path such as `lines[2].tax`; empty when none).
        #[serde(default, skip_serializing_if = "String::is_empty")]
        field: String,
        /// Human-readable reason (names the field or right at fault).
        message: String,
    },
}

impl Outcome {
    /// Whether the transaction was applied.
    pub fn is_ok(&self) -> bool {
        matches!(self, Outcome::Ok)
    }
}

/// The receipt of one included transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    /// The transaction hash.
    pub tx_hash: Hash32,
    /// The block it is in.
    pub height: u64,
    /// Its position in the block.
    pub index: u32,
    /// What happened.
    pub outcome: Outcome,
    /// What the transaction created, when it created something with a chain-allocated
    /// id (an invoice number); empty otherwise.
    pub output: String,
}

impl Write for Outcome {
    fn write(&self, buf: &mut impl BufMut) {
        match self {
            Outcome::Ok => buf.put_u8(0),
            Outcome::Failed { code, field, message } => {
                buf.put_u8(1);
                write_bytes(code.as_bytes(), buf);
                write_bytes(field.as_bytes(), buf);
                write_bytes(message.as_bytes(), buf);
            }
        }
    }
}

impl EncodeSize for Outcome {
    fn encode_size(&self) -> usize {
        match self {
            Outcome::Ok => 1,
            Outcome::Failed { code, field, message } => {
                1 + bytes_size(code.as_bytes())
                    + bytes_size(field.as_bytes())
                    + bytes_size(message.as_bytes())
            }
        }
    }
}

impl Read for Outcome {
    type Cfg = ();
    fn read_cfg(buf: &mut impl Buf, _: &()) -> Result<Self, CodecError> {
        match u8::read_cfg(buf, &())? {
            0 => Ok(Outcome::Ok),
            1 => Ok(Outcome::Failed {
                code: read_bounded_str(buf, MAX_RECEIPT_TEXT)?,
                field: read_bounded_str(buf, MAX_RECEIPT_TEXT)?,
                message: read_bounded_str(buf, MAX_RECEIPT_TEXT)?,
            }),
            t => Err(CodecError::InvalidEnum(t)),
        }
    }
}

impl Write for Receipt {
    fn write(&self, buf: &mut impl BufMut) {
        buf.put_slice(&self.tx_hash);
        self.height.write(buf);
        self.index.write(buf);
        self.outcome.write(buf);
        write_bytes(self.output.as_bytes(), buf);
    }
}

impl EncodeSize for Receipt {
    fn encode_size(&self) -> usize {
        32 + 8 + 4 + self.outcome.encode_size() + bytes_size(self.output.as_bytes())
    }
}

impl Read for Receipt {
    type Cfg = ();
    fn read_cfg(buf: &mut impl Buf, _: &()) -> Result<Self, CodecError> {
        Ok(Receipt {
            tx_hash: <[u8; 32]>::read_cfg(buf, &())?,
            height: u64::read_cfg(buf, &())?,
            index: u32::read_cfg(buf, &())?,
            outcome: Outcome::read_cfg(buf, &())?,
            output: read_bounded_str(buf, MAX_RECEIPT_TEXT)?,
        })
    }
}
