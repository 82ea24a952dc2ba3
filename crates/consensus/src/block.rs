//! [`ChainBlock`]: our block as Commonware's consensus sees it.
//!
//! The newtype exists because of the orphan rule: `fapiao_types::Block` cannot implement
//! Commonware's traits directly. The digest consensus orders is the **header** digest
//! (`Header::digest`), so the transactions are bound to it only through `tx_root`. Decoding
//! therefore rejects a block whose transactions do not match its header: otherwise a peer
//! serving backfill could pair a genuine finalized header with forged transactions and
//! marshal would accept it, since the digest still matches.

use bytes::BufMut;
use commonware_codec::{Buf, EncodeSize, Error as CodecError, Read, Write};
use commonware_consensus::{types::Height, Heightable};
use commonware_cryptography::{sha256, Digestible};
use fapiao_types::{Block, BlockLimits};

/// The digest type consensus orders (SHA-256 of a block header).
pub type Digest = sha256::Digest;

/// A Fapiao block wrapped for Commonware (see the module docs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainBlock(pub Block);

impl ChainBlock {
    /// The wrapped block.
    pub fn block(&self) -> &Block {
        &self.0
    }

    /// The block height.
    pub fn number(&self) -> u64 {
        self.0.header.height
    }
}

impl From<Block> for ChainBlock {
    fn from(block: Block) -> Self {
        Self(block)
    }
}

impl Write for ChainBlock {
    fn write(&self, buf: &mut impl BufMut) {
        self.0.write(buf);
    }
}

impl EncodeSize for ChainBlock {
    fn encode_size(&self) -> usize {
        self.0.encode_size()
    }
}

impl Read for ChainBlock {
    type Cfg = BlockLimits;

    fn read_cfg(buf: &mut impl Buf, cfg: &BlockLimits) -> Result<Self, CodecError> {
        let block = Block::read_cfg(buf, cfg)?;
        if !block.tx_root_matches() {
            return Err(CodecError::Invalid(
                "ChainBlock",
                "transactions do not match the header's tx_root",
            ));
        }
        Ok(Self(block))
    }
}

impl Digestible for ChainBlock {
    type Digest = Digest;

    fn digest(&self) -> Digest {
        sha256::Digest(self.0.header.digest())
    }
}

impl Heightable for ChainBlock {
    fn height(&self) -> Height {
        Height::new(self.0.header.height)
    }
}

impl commonware_consensus::Block for ChainBlock {
    fn parent(&self) -> Digest {
        sha256::Digest(self.0.header.parent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use commonware_codec::{Decode as _, Encode};
    use fapiao_types::{merkle_root, Header, HEADER_VERSION};

    fn empty_block(height: u64) -> Block {
        Block {
            header: Header {
                version: HEADER_VERSION,
                chain_id: [1; 32],
                height,
                parent: [2; 32],
                time_ms: 10,
                proposer: 0,
                tx_root: merkle_root(&[]),
                tx_count: 0,
                state_height: 0,
                state_root: [3; 32],
            },
            txs: vec![],
        }
    }

    #[test]
    fn digest_is_header_hash_and_round_trips() {
        let block = ChainBlock(empty_block(5));
        assert_eq!(block.digest().0, block.0.header.digest());
        assert_eq!(block.height(), Height::new(5));
        assert_eq!(commonware_consensus::Block::parent(&block), sha256::Digest([2; 32]));
        let bytes = block.encode();
        let limits = BlockLimits { max_txs: 10, actions: fapiao_types::ActionCodecs::default() };
        let back = ChainBlock::decode_cfg(bytes, &limits).unwrap();
        assert_eq!(back, block);
    }

    #[test]
    fn decode_rejects_mismatched_tx_root() {
        let mut block = empty_block(5);
        block.header.tx_root = [9; 32];
        let bytes = ChainBlock(block).encode();
        let limits = BlockLimits { max_txs: 10, actions: fapiao_types::ActionCodecs::default() };
        assert!(ChainBlock::decode_cfg(bytes, &limits).is_err());
    }
}
