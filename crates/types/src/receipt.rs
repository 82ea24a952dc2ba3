//! Receipts: what executing one transaction did.

use crate::{
    codec_util::{bytes_size, read_bounded_str, write_bytes},
    Hash32,
};
use bytes::BufMut;
use commonware_codec::Buf;
use commonware_codec::{EncodeSize, Error as CodecError, Read, Write};
use fapiao_values::InvoiceNumber;

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

/// What a transaction created with a chain-allocated id (docs/formats.md §7).
///
/// Encoded as one tag byte and the variant's value: `00` nothing; `01` ‖ invoice number
/// (text, `14` ‖ 20 digits); `02` ‖ order id (32 bytes); `03` ‖ red-letter form id (32
/// bytes); `04` ‖ proposal id (u64); `05` ‖ express application id (32 bytes); `06` ‖
/// an application record's id (32 bytes); `07` ‖ an application's serial number (u64).
/// Any other tag fails with `InvalidEnum`. Its text (`TxOutput::to_string`, the
/// receipts' JSON) is empty, the 20 digits, the decimal number, or the 64 lower-case hex
/// digits of the id.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TxOutput {
    /// Nothing with an id of its own (also every failed transaction).
    #[default]
    None,
    /// The number of the invoice it issued.
    Invoice(InvoiceNumber),
    /// The id of the payment order it recorded (its transaction hash).
    Order(Hash32),
    /// The id of the red-letter confirmation form it raised (its transaction hash).
    RedForm(Hash32),
    /// The id of the governance proposal it made.
    Proposal(u64),
    /// The id of the express-edition application it made (its transaction hash).
    Application(Hash32),
    /// The id of a record an application created, which the application names by the
    /// creating transaction's hash (a sale, a contract, a settlement batch).
    Record(Hash32),
    /// A serial number an application allocated in order (a certificate number).
    Serial(u64),
}

impl TxOutput {
    /// The invoice number, if it issued one.
    pub fn invoice(&self) -> Option<InvoiceNumber> {
        match self {
            TxOutput::Invoice(n) => Some(*n),
            _ => None,
        }
    }

    /// Whether it names nothing.
    pub fn is_none(&self) -> bool {
        matches!(self, TxOutput::None)
    }
}

impl core::fmt::Display for TxOutput {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            TxOutput::None => Ok(()),
            TxOutput::Invoice(n) => write!(f, "{n}"),
            TxOutput::Order(id)
            | TxOutput::RedForm(id)
            | TxOutput::Application(id)
            | TxOutput::Record(id) => f.write_str(&hex::encode(id)),
            TxOutput::Proposal(id) | TxOutput::Serial(id) => write!(f, "{id}"),
        }
    }
}

impl serde::Serialize for TxOutput {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl Write for TxOutput {
    fn write(&self, buf: &mut impl BufMut) {
        match self {
            TxOutput::None => buf.put_u8(0),
            TxOutput::Invoice(n) => {
                buf.put_u8(1);
                n.write(buf);
            }
            TxOutput::Order(id) => {
                buf.put_u8(2);
                buf.put_slice(id);
            }
            TxOutput::RedForm(id) => {
                buf.put_u8(3);
                buf.put_slice(id);
            }
            TxOutput::Proposal(id) => {
                buf.put_u8(4);
                id.write(buf);
            }
            TxOutput::Application(id) => {
                buf.put_u8(5);
                buf.put_slice(id);
            }
            TxOutput::Record(id) => {
                buf.put_u8(6);
                buf.put_slice(id);
            }
            TxOutput::Serial(n) => {
                buf.put_u8(7);
                n.write(buf);
            }
        }
    }
}

impl EncodeSize for TxOutput {
    fn encode_size(&self) -> usize {
        1 + match self {
            TxOutput::None => 0,
            TxOutput::Invoice(n) => n.encode_size(),
            TxOutput::Order(_)
            | TxOutput::RedForm(_)
            | TxOutput::Application(_)
            | TxOutput::Record(_) => 32,
            TxOutput::Proposal(_) | TxOutput::Serial(_) => 8,
        }
    }
}

impl Read for TxOutput {
    type Cfg = ();
    fn read_cfg(buf: &mut impl Buf, _: &()) -> Result<Self, CodecError> {
        match u8::read_cfg(buf, &())? {
            0 => Ok(TxOutput::None),
            1 => Ok(TxOutput::Invoice(InvoiceNumber::read_cfg(buf, &())?)),
            2 => Ok(TxOutput::Order(<[u8; 32]>::read_cfg(buf, &())?)),
            3 => Ok(TxOutput::RedForm(<[u8; 32]>::read_cfg(buf, &())?)),
            4 => Ok(TxOutput::Proposal(u64::read_cfg(buf, &())?)),
            5 => Ok(TxOutput::Application(<[u8; 32]>::read_cfg(buf, &())?)),
            6 => Ok(TxOutput::Record(<[u8; 32]>::read_cfg(buf, &())?)),
            7 => Ok(TxOutput::Serial(u64::read_cfg(buf, &())?)),
            t => Err(CodecError::InvalidEnum(t)),
        }
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
    /// id; [`TxOutput::None`] otherwise.
    pub output: TxOutput,
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
        self.output.write(buf);
    }
}

impl EncodeSize for Receipt {
    fn encode_size(&self) -> usize {
        32 + 8 + 4 + self.outcome.encode_size() + self.output.encode_size()
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
            output: TxOutput::read_cfg(buf, &())?,
        })
    }
}
