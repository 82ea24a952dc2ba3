//! Block bodies older than a horizon leave the `blocks` table (ADR 0009 step 3): into
//! zstd segments the ledger still reads, or dropped; headers, certificates, receipts and
//! lookups stay, across restarts and a crash between the segment write and the commit.

use crate::common::{add, genesis, key, run};
use fapiao_ledger::{
    bodies::{BodyArchive, BodyMode},
    store::{ReadStore, Table},
    Error, Ledger, RedbStore,
};
use fapiao_types::{Block, SignedTx, Suite};

fn open(path: &std::path::Path, archive: Option<BodyArchive>) -> Ledger<RedbStore> {
    let l = Ledger::open(RedbStore::open(path).unwrap(), genesis().0).unwrap();
    match archive {
        Some(a) => l.with_body_archive(a),
        None => l,
    }
}

/// 20 blocks, each adding one account: returns the blocks and their transactions.
fn chain(l: &Ledger<RedbStore>) -> (Vec<Block>, Vec<SignedTx>) {
    let (_, orgs) = genesis();
    let mut txs = Vec::new();
    for i in 0..20u8 {
        let t = add(&orgs.tax_admin, u64::from(i), &key(50 + i, Suite::Ed25519), vec![]);
        assert_eq!(crate::common::code(&run(l, vec![t.clone()])[0]), "ok");
        txs.push(t);
    }
    let blocks = (0..=20).map(|h| l.block(h).unwrap().unwrap()).collect();
    (blocks, txs)
}

#[test]
fn archived_bodies_are_served_from_segments_and_survive_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.redb");
    let archive = BodyArchive { dir: dir.path().join("bodies"), mode: BodyMode::Serve, horizon: 5 };
    let l = open(&path, Some(archive.clone()));
    let (blocks, txs) = chain(&l);
    let moved = l.archive_bodies().unwrap();
    // Tip 20, horizon 5: bodies 1..15 move, genesis and 15..=20 stay.
    assert_eq!(moved.blocks, 14);
    assert!(moved.archived_bytes > 0 && moved.archived_bytes < moved.raw_bytes);
    assert_eq!(l.archive_bodies().unwrap().blocks, 0, "idempotent");
    let check = |l: &Ledger<RedbStore>| {
        for (h, b) in blocks.iter().enumerate() {
            let h = h as u64;
            assert_eq!(l.block(h).unwrap().as_ref(), Some(b), "block {h}");
            assert_eq!(l.header(h).unwrap(), Some(b.header));
            assert!(!l.body_dropped(h).unwrap());
        }
        let found = l.transaction(&txs[0].hash()).unwrap().unwrap();
        assert_eq!((found.receipt.height, found.tx.hash()), (1, txs[0].hash()));
        // A proof at the tip still works once bodies are archived.
        let p = l.prove(&[fapiao_types::StateKey::Org("firm".into())]).unwrap();
        let tip = l.tip().height;
        assert_eq!((p.height, Some(p.root)), (tip, l.state_root_at(tip).unwrap()));
        let firm = &p.proofs[0];
        assert!(firm.value.is_some());
        fapiao_ledger::verify_state_proof(&p.root, &firm.key, firm.value.as_deref(), &firm.proof)
            .unwrap();
    };
    check(&l);
    drop(l);
    let store = RedbStore::open(&path).unwrap();
    let kept: Vec<u64> = store
        .scan(Table::Blocks, &[], 100)
        .unwrap()
        .into_iter()
        .map(|(k, _)| u64::from_be_bytes(k[..8].try_into().unwrap()))
        .collect();
    assert_eq!(kept, [0, 15, 16, 17, 18, 19, 20]);
    drop(store);

    // A crash after frames were written but before their rows committed leaves bytes no
    // row points at: the next move appends after them.
    let seg = std::fs::read_dir(&archive.dir).unwrap().next().unwrap().unwrap().path();
    let mut f = std::fs::OpenOptions::new().append(true).open(&seg).unwrap();
    std::io::Write::write_all(&mut f, b"torn frame of a crashed move").unwrap();
    drop(f);
    let l = open(&path, Some(BodyArchive { horizon: 2, ..archive }));
    check(&l);
    assert_eq!(l.archive_bodies().unwrap().blocks, 3);
    check(&l);
    // Execution goes on over an archived past.
    run(&l, vec![]);
    check(&l);
}

#[test]
fn dropped_bodies_keep_headers_and_answer_lookups_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.redb");
    let archive = BodyArchive { dir: dir.path().join("bodies"), mode: BodyMode::Drop, horizon: 10 };
    let l = open(&path, Some(archive.clone()));
    let (blocks, txs) = chain(&l);
    assert_eq!(l.archive_bodies().unwrap().blocks, 9);
    assert!(!archive.dir.exists(), "nothing written when dropping");
    for (h, b) in blocks.iter().enumerate() {
        let h = h as u64;
        assert_eq!(l.header(h).unwrap(), Some(b.header), "header {h} kept");
        assert!(l.certificate(h).unwrap().is_some());
        let dropped = (1..10).contains(&h);
        assert_eq!(l.body_dropped(h).unwrap(), dropped);
        assert_eq!(l.block(h).unwrap().is_none(), dropped);
    }
    assert!(matches!(l.transaction(&txs[0].hash()), Err(Error::BodyDropped(1))));
    assert_eq!(l.transaction(&txs[15].hash()).unwrap().unwrap().receipt.height, 16);
    assert_eq!(l.receipts(1).unwrap().unwrap().len(), 1, "receipts stay");
    // A reopened ledger without the archive configured still knows what was dropped.
    drop(l);
    let l = open(&path, None);
    assert!(l.body_dropped(1).unwrap());
    assert_eq!(l.header(1).unwrap(), Some(blocks[1].header));
}

/// The `archived` row, the segment frame and the replay row read back by the layouts of
/// docs/formats.md §10 and §10.3 alone: kind ‖ segment ‖ offset ‖ length ‖ header, the frame
/// a zstd frame of the canonical block, the replay key expiry ‖ hash.
#[test]
fn archived_rows_and_frames_have_the_documented_layout() {
    use commonware_codec::Encode;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.redb");
    let archive =
        BodyArchive { dir: dir.path().join("bodies"), mode: BodyMode::Serve, horizon: 18 };
    let l = open(&path, Some(archive.clone()));
    let (blocks, txs) = chain(&l);
    assert_eq!(l.archive_bodies().unwrap().blocks, 1);
    drop(l);
    let store = RedbStore::open(&path).unwrap();
    let row = store.get(Table::Archived, &1u64.to_be_bytes()).unwrap().unwrap();
    let header = blocks[1].header.encode().to_vec();
    assert_eq!(row[0], 1, "kind: in a segment");
    assert_eq!(u64::from_be_bytes(row[1..9].try_into().unwrap()), 1, "segment: its first height");
    assert_eq!(u64::from_be_bytes(row[9..17].try_into().unwrap()), 0, "offset");
    let len = u32::from_be_bytes(row[17..21].try_into().unwrap()) as usize;
    assert_eq!(&row[21..], &header[..]);
    let seg = std::fs::read(archive.dir.join(format!("{:020}.seg", 1))).unwrap();
    assert_eq!(seg.len(), len);
    assert_eq!(zstd::decode_all(&seg[..]).unwrap(), blocks[1].encode().to_vec());
    assert_eq!(
        store.get(Table::Meta, b"bodies_moved_below").unwrap().unwrap(),
        2u64.to_be_bytes().to_vec()
    );
    // The replay row of the last transaction (expiry 100, block 20, index 0).
    let t = &txs[19];
    let mut key = 100u64.to_be_bytes().to_vec();
    key.extend_from_slice(&t.hash());
    let mut value = 20u64.to_be_bytes().to_vec();
    value.extend_from_slice(&0u32.to_be_bytes());
    assert_eq!(store.get(Table::Replay, &key).unwrap(), Some(value));
}
