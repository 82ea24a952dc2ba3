//! The chain-format version: a data directory written by another version is refused
//! with a message naming it, never read or converted.

use crate::common::genesis;
use fapiao_ledger::{
    store::{Table, WriteBatch},
    Error, Ledger, RedbStore, Store, CHAIN_FORMAT_VERSION,
};

#[test]
fn a_data_directory_of_another_chain_format_is_refused_by_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.redb");
    let (g, _) = genesis();
    drop(Ledger::open(RedbStore::open(&path).unwrap(), g.clone()).unwrap());
    // Reopening the same version works.
    drop(Ledger::open(RedbStore::open(&path).unwrap(), g.clone()).unwrap());

    // Milestone 1 wrote no version row.
    let store = RedbStore::open(&path).unwrap();
    let mut batch = WriteBatch::default();
    batch.delete(Table::Meta, b"chain_format".to_vec());
    store.commit(&batch).unwrap();
    drop(store);
    let err = Ledger::open(RedbStore::open(&path).unwrap(), g.clone()).err().unwrap();
    assert!(matches!(err, Error::ChainFormat { found: 1, expected: CHAIN_FORMAT_VERSION }));
    let message = err.to_string();
    assert!(
        message.contains("chain format 1")
            && message.contains(&format!("format {CHAIN_FORMAT_VERSION}")),
        "{message}"
    );

    // The format before this one (8: the state in the Jellyfish tree) is refused by name.
    let store = RedbStore::open(&path).unwrap();
    let mut batch = WriteBatch::default();
    batch.put(Table::Meta, b"chain_format".to_vec(), 8u32.to_be_bytes());
    store.commit(&batch).unwrap();
    drop(store);
    let err = Ledger::open(RedbStore::open(&path).unwrap(), g.clone()).err().unwrap();
    assert_eq!(CHAIN_FORMAT_VERSION, 9);
    assert!(matches!(err, Error::ChainFormat { found: 8, expected: 9 }));
    assert!(err.to_string().contains("chain format 8"), "{err}");

    // A newer one is refused too.
    let store = RedbStore::open(&path).unwrap();
    let mut batch = WriteBatch::default();
    batch.put(Table::Meta, b"chain_format".to_vec(), (CHAIN_FORMAT_VERSION + 1).to_be_bytes());
    store.commit(&batch).unwrap();
    drop(store);
    let err = Ledger::open(RedbStore::open(&path).unwrap(), g).err().unwrap();
    assert!(matches!(err, Error::ChainFormat { found, .. } if found == CHAIN_FORMAT_VERSION + 1));
}

/// The genesis example of docs/formats.md §12.1 has the state root and digest the
/// document gives (an integrator checks their genesis state against them).
#[test]
fn the_documented_genesis_example_has_the_documented_root_and_digest() {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/formats.md"))
            .unwrap();
    let section = &doc[doc.find("### 12.1 genesis.json").unwrap()..];
    let json = &section[section.find("```json\n").unwrap() + 8..];
    let json = &json[..json.find("```").unwrap()];
    let g = fapiao_types::Genesis::from_json(json).unwrap();
    let l = Ledger::open(fapiao_ledger::MemStore::new(), g).unwrap();
    let tip = l.tip();
    let root = hex::encode(tip.state_root);
    let digest = hex::encode(tip.header.digest());
    assert!(
        section.contains(&format!("genesis state root is\n`{root}`"))
            && section.contains(&format!("genesis digest\nis `{digest}`")),
        "the document should give root {root} and digest {digest}"
    );
}

/// Every registered application declares for its kinds exactly the layout of the verifier's
/// table, and every kind of the table has an owner.
#[test]
fn qmdb_key_orders_of_the_registry_match_the_verifier_table() {
    for app in fapiao_ledger::apps::APPS {
        for kind in app.key_kinds() {
            assert_eq!(
                app.key_order(kind),
                fapiao_types::state_order::kind_order(kind),
                "{}: kind {kind}",
                app.name()
            );
        }
    }
    for (kind, _) in fapiao_types::state_order::KIND_ORDERS {
        assert!(
            fapiao_ledger::apps::APPS.iter().any(|a| a.key_kinds().contains(kind)),
            "{kind} has no owner"
        );
    }
}
