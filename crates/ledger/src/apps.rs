//! The applications this chain runs, registered in one place.
//!
//! Each owns a range of action tags; the platform (membership and governance, in this
//! crate) owns `0x01..=0x0f` and `0x50..=0x5f`. Adding an application is one line here
//! and its own crate.

use fapiao_app::Application;
use fapiao_types::Action;

/// Every registered application.
pub static APPS: &[&dyn Application] = &[&fapiao_invoice::InvoiceApp];

/// The action tags the platform itself handles (membership and governance).
#[cfg(test)]
pub(crate) fn platform_owns(tag: u8) -> bool {
    matches!(tag, 0x01..=0x0f | 0x50..=0x5f)
}

/// The application that owns `action`, if any (`None`: a platform action).
pub(crate) fn owner(action: &Action) -> Option<&'static dyn Application> {
    APPS.iter().copied().find(|a| a.owns(action))
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
