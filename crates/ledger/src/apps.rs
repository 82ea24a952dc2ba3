//! The applications this chain runs, registered in one place.
//!
//! Each owns a range of action tags; the platform (membership and governance, in this
//! crate) owns `0x01..=0x0f` and `0x50..=0x5f`. Adding an application is one line here
//! and its own crate.

use fapiao_app::{Application, IndexTable, Platform, Refusal, ValueCode};
use fapiao_types::{Action, ActionBodies, ActionCodecs, AppAction, AppKey};
use std::{collections::BTreeMap, sync::OnceLock};

/// Every registered application.
pub static APPS: &[&dyn Application] = &[
    &fapiao_invoice::InvoiceApp,
    &fapiao_certificate::CertificateApp,
    &fapiao_cowbank::CowbankApp,
    &fapiao_exchange::ExchangeApp,
    &fapiao_crosschain::CrosschainApp,
    &fapiao_industry::IndustryApp,
    &fapiao_finance::FinanceApp,
];

/// The action tags the platform itself handles (membership and governance).
#[cfg(test)]
pub(crate) fn platform_owns(tag: u8) -> bool {
    matches!(tag, 0x01..=0x0f | 0x50..=0x5f)
}

/// The application that owns `action`, with the action, if any (`None`: a platform
/// action).
pub(crate) fn owner(action: &Action) -> Option<(&'static dyn Application, &AppAction)> {
    let app = action.app()?;
    APPS.iter().copied().find(|a| a.owns(action)).map(|a| (a, app))
}

/// The action decoders of every registered application: the codec configuration of
/// every transaction and block this chain decodes (admission, blocks, consensus,
/// followers).
pub fn codecs() -> ActionCodecs {
    static BODIES: OnceLock<Vec<&'static dyn ActionBodies>> = OnceLock::new();
    ActionCodecs(BODIES.get_or_init(|| APPS.iter().map(|a| a.bodies()).collect()))
}

/// Whether `codecs` decodes every action of every registered application (a
/// configuration built without [`codecs`] would refuse their blocks).
pub fn covers_every_app(codecs: &ActionCodecs) -> bool {
    APPS.iter().all(|a| codecs.covers(a.bodies()))
}

/// Every registered application's index tables, in registration order (the ledger
/// creates one storage table per entry).
pub fn index_tables() -> &'static [&'static IndexTable] {
    static TABLES: OnceLock<Vec<&'static IndexTable>> = OnceLock::new();
    TABLES.get_or_init(|| APPS.iter().flat_map(|a| a.index_tables().iter().copied()).collect())
}

/// The registered index table named `name`, if any.
pub fn index_table(name: &str) -> Option<&'static IndexTable> {
    index_tables().iter().copied().find(|t| t.name == name)
}

/// The application that owns key kind `kind`, if any.
pub fn key_owner(kind: &str) -> Option<&'static dyn Application> {
    APPS.iter().copied().find(|a| a.key_kinds().contains(&kind))
}

/// Checks that `key` is a key of the application owning its kind; returns it as its
/// owner writes it (`Application::check_key`).
///
/// # Errors
/// [`fapiao_types::Error::Invalid`] naming `key`: a kind no application owns, or a key
/// its owner does not accept.
pub fn check_key(key: &AppKey) -> fapiao_types::Result<AppKey> {
    match key_owner(key.kind()) {
        Some(app) => app.check_key(key),
        None => {
            Err(fapiao_types::Error::invalid("key", format!("unknown key kind {:?}", key.kind())))
        }
    }
}

/// Every refusal table of the chain, named by owner: the values' and the platform's
/// (no namespace, named with a leading `-`), then each application's.
pub fn refusal_tables() -> Vec<(&'static str, &'static [Refusal])> {
    let mut tables = vec![("-values", ValueCode::ALL), ("-platform", Platform::ALL)];
    tables.extend(APPS.iter().map(|a| (a.name(), a.refusals())));
    tables
}

/// The declaration of `code`, looked up in every table ([`refusal_tables`]): its HTTP
/// status and field. `None` for a code no table declares (a bug: every refusal is built
/// from a table's enum).
pub fn refusal(code: &str) -> Option<&'static Refusal> {
    static BY_CODE: OnceLock<BTreeMap<&'static str, &'static Refusal>> = OnceLock::new();
    BY_CODE
        .get_or_init(|| {
            refusal_tables().into_iter().flat_map(|(_, t)| t.iter().map(|r| (r.code, r))).collect()
        })
        .get(code)
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use fapiao_app::check_unique;

    #[test]
    fn tag_ranges_do_not_overlap_each_other_or_the_platform() {
        for tag in 0..=u8::MAX {
            let owners = APPS.iter().filter(|a| a.tags().contains(&tag)).count();
            assert!(owners <= 1, "tag {tag:#04x} is owned by {owners} applications");
            assert!(
                !(owners == 1 && platform_owns(tag)),
                "tag {tag:#04x} is owned by an application and the platform"
            );
        }
        let mut names: Vec<&str> = APPS.iter().map(|a| a.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), APPS.len(), "two applications share a name");
    }

    /// Every tag has exactly one spec, owned by the application whose range holds it, and
    /// the registry covers every application.
    #[test]
    fn the_registry_knows_every_application_action_once() {
        let codecs = codecs();
        assert!(covers_every_app(&codecs));
        assert!(!covers_every_app(&ActionCodecs::default()));
        for tag in 0..=u8::MAX {
            let specs: Vec<_> = APPS.iter().filter_map(|a| a.bodies().spec(tag)).collect();
            assert!(specs.len() <= 1, "tag {tag:#04x} has {} specs", specs.len());
            if let Some(spec) = specs.first() {
                assert_eq!(spec.tag, tag);
                assert!(!platform_owns(tag), "{} is in the platform's range", spec.name);
                assert_eq!(codecs.owner(tag).and_then(|o| o.spec(tag)), Some(*spec));
            }
        }
    }

    /// docs/formats.md §4.2 lists every application action with its tag, name and role
    /// (history rows store the names, so the table and the code never drift apart).
    #[test]
    fn the_format_document_lists_every_action_spec() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/formats.md");
        let doc = std::fs::read_to_string(path).unwrap();
        let section = &doc[doc.find("### 4.2 Action").expect("§4.2")..];
        let section = &section[..section.find("\n### ").expect("§4.3")];
        let mut listed = BTreeMap::new();
        for row in section.lines().filter(|l| l.starts_with("| `")) {
            let cells: Vec<&str> = row.split(" | ").collect();
            let tag = cells[0].trim_start_matches("| ").trim_matches('`');
            let Ok(tag) = u8::from_str_radix(tag, 16) else { continue };
            listed.insert(tag, (cells[1].trim_matches('`').to_string(), cells[3].to_string()));
        }
        let mut specs = 0;
        for app in APPS {
            for tag in app.tags() {
                let Some(spec) = app.bodies().spec(tag) else { continue };
                specs += 1;
                let (name, role) =
                    listed.get(&tag).unwrap_or_else(|| panic!("§4.2 lacks {tag:#04x}"));
                assert_eq!(name, spec.name, "name of {tag:#04x}");
                match spec.role {
                    Some(r) => assert_eq!(role, &format!("`{r}`"), "role of {}", spec.name),
                    None => assert!(role.starts_with("none"), "role of {}", spec.name),
                }
            }
        }
        let app_rows = listed.keys().filter(|t| !platform_owns(**t)).count();
        assert_eq!(app_rows, specs, "§4.2 lists an action no application declares");
    }

    /// Index tables are declared by their own application, named once across every
    /// application, and clear of the platform's tables.
    #[test]
    fn index_tables_are_unique_and_clear_of_the_platform() {
        let mut names = std::collections::BTreeSet::new();
        for app in APPS {
            for t in app.index_tables() {
                assert_eq!(t.app, app.name(), "{} declares a table of {}", app.name(), t.app);
                assert!(names.insert(t.name), "index table {} is declared twice", t.name);
            }
        }
        for t in crate::store::Table::PLATFORM {
            assert!(!names.contains(t.name()), "index table {} is a platform table", t.name());
        }
        assert!(!names.contains("state_history"), "state_history is the store's own table");
        assert_eq!(names.len(), index_tables().len());
    }

    #[test]
    fn key_kinds_are_owned_once_and_never_the_platform_s() {
        let mut owned = BTreeMap::new();
        for app in APPS {
            for kind in app.key_kinds() {
                assert!(
                    fapiao_types::valid_key_kind(kind),
                    "{}: bad key kind {kind:?}",
                    app.name()
                );
                assert!(
                    !fapiao_types::PLATFORM_KINDS.contains(kind),
                    "{}: key kind {kind:?} is the platform's",
                    app.name()
                );
                if let Some(other) = owned.insert(*kind, app.name()) {
                    panic!("key kind {kind:?} is owned by {other} and {}", app.name());
                }
            }
        }
        assert_eq!(key_owner("invoice").map(|a| a.name()), Some("invoice"));
        assert!(key_owner("org").is_none());
        let key = |p: &str| AppKey::parse(p).unwrap();
        check_key(&key("invoice/26424000000104330311")).unwrap();
        let upper = format!("order/{}", "AB".repeat(32));
        assert_eq!(check_key(&key(&upper)).unwrap().as_str(), upper.to_lowercase());
        assert!(check_key(&key("invoice/abc")).is_err());
        assert!(check_key(&key("cowbank/cow-1")).is_err());
    }

    #[test]
    fn refusal_codes_are_unique_across_the_platform_and_every_application() {
        check_unique(refusal_tables()).unwrap();
        assert_eq!(refusal("bad_uscc").map(|r| r.status), Some(422));
        assert_eq!(refusal("missing_role").map(|r| r.status), Some(403));
        assert_eq!(refusal("invoice.unknown_invoice").map(|r| r.status), Some(404));
        assert_eq!(refusal("unknown_invoice"), None);
    }

    /// docs/formats.md §18 lists every declared code with its status and field, and no
    /// other code.
    #[test]
    fn the_format_document_lists_every_refusal_code() {
        // `scripts/refusal-tables.py` rewrites §18 from the tables.
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/formats.md");
        let doc = std::fs::read_to_string(path).unwrap();
        let section = &doc[doc.find("## 18. Refusal codes").expect("§18")..];
        let section = &section[..section[1..].find("\n## ").map_or(section.len(), |i| i + 1)];
        let mut listed = std::collections::BTreeSet::new();
        for row in section.lines().filter(|l| l.starts_with("| `")) {
            let cells: Vec<&str> = row.split(" | ").collect();
            let code = cells[0].trim_start_matches("| ").trim_matches('`');
            let r = refusal(code).unwrap_or_else(|| panic!("§18 lists {code}, declared nowhere"));
            assert_eq!(cells[1], r.status.to_string(), "status of {code}");
            let field =
                if r.field.is_empty() { "(varies)".to_string() } else { format!("`{}`", r.field) };
            assert_eq!(cells[2], field, "field of {code}");
            listed.insert(code.to_string());
        }
        for (_, table) in refusal_tables() {
            for r in table {
                assert!(listed.contains(r.code), "§18 does not list {}", r.code);
            }
        }
    }

    /// A new application that declares a code the invoice application already has (its
    /// namespace, or a platform code) fails the check.
    #[test]
    fn an_application_reusing_a_code_fails_the_uniqueness_check() {
        fapiao_app::refusals! {
            /// A careless copy of the invoice application's table.
            enum Copycat in "invoice" {
                /// Same code as the invoice application's.
                UnknownInvoice = ("unknown_invoice", 404, "number"),
            }
        }
        fapiao_app::refusals! {
            /// An application claiming a platform code as its own.
            enum Squatter {
                /// Not namespaced as `cowbank.`.
                MissingRole = ("missing_role", 403, "sender"),
            }
        }
        let mut tables = refusal_tables();
        tables.push(("invoice", Copycat::ALL));
        let e = check_unique(tables).unwrap_err();
        assert!(e.contains("invoice.unknown_invoice"), "{e}");
        let mut tables = refusal_tables();
        tables.push(("cowbank", Squatter::ALL));
        let e = check_unique(tables).unwrap_err();
        assert!(e.contains("\"missing_role\" of cowbank is not in its namespace"), "{e}");
        let _ = (Copycat::UnknownInvoice, Squatter::MissingRole);
    }
}
