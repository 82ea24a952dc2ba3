//! The tax-certificate application's actions: [`CertificateAction`], its specs and its
//! decoder ([`CertificateBodies`]), under tags `0x70..=0x7f` of the action envelope
//! (docs/formats.md §20.1). A malformed body makes its transaction undecodable.

use crate::records::{
    CollectionRef, RecordCollection, RecordRefund, SettlementRef, SubmitSettlement,
};
use core::ops::RangeInclusive;
use fapiao_types::Role;

/// The action tags the tax-certificate application owns.
pub const CERTIFICATE_TAGS: RangeInclusive<u8> = 0x70..=0x7f;

/// Why an action is not one of the certificate application's.
pub type NotCertificateAction = fapiao_types::NotAppAction;

fapiao_types::app_actions! {
    app: "certificate", tags: CERTIFICATE_TAGS, keyless: fapiao_types::no_keyless,
    /// What a certificate transaction does: the payload of one tag.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub enum CertificateAction;
    /// The decoder of the certificate actions' bodies, for the codec configuration
    /// ([`fapiao_types::ActionCodecs`]).
    pub struct CertificateBodies;
    actions {
        /// An insurer's collector records a vehicle-tax collection.
        RecordCollection(RecordCollection) = 0x70, "record_collection", Some(Role::InsurerCollector);
        /// The owner's account exchanges a collection for a numbered certificate.
        ExchangeCertificate(CollectionRef) = 0x71, "exchange_certificate", None;
        /// The collecting insurer records a refund after a theft, scrapping or loss.
        RecordRefund(RecordRefund) = 0x72, "record_refund", Some(Role::InsurerCollector);
        /// The insurer submits a settlement batch.
        SubmitSettlement(SubmitSettlement) = 0x73, "submit_settlement", Some(Role::InsurerCollector);
        /// The tax bureau confirms receipt of a batch's money.
        ConfirmSettlement(SettlementRef) = 0x74, "confirm_settlement", Some(Role::TaxOfficer);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use commonware_codec::Error as CodecError;
    use fapiao_types::OrgKind;
    use fapiao_types::{Action, ActionBodies};

    /// The table the platform checks before the application runs: names, tags and the
    /// role each action needs. Only an insurer's account can hold `insurer.collector`,
    /// so only insurers collect, refund and settle.
    #[test]
    fn the_specs_name_every_action_and_its_role() {
        let specs: Vec<(u8, &str, Option<Role>)> =
            CertificateAction::SPECS.iter().map(|s| (s.tag, s.name, s.role)).collect();
        assert_eq!(
            specs,
            [
                (0x70, "record_collection", Some(Role::InsurerCollector)),
                (0x71, "exchange_certificate", None),
                (0x72, "record_refund", Some(Role::InsurerCollector)),
                (0x73, "submit_settlement", Some(Role::InsurerCollector)),
                (0x74, "confirm_settlement", Some(Role::TaxOfficer)),
            ]
        );
        for s in CertificateAction::SPECS {
            assert!(CERTIFICATE_TAGS.contains(&s.tag) && !s.keyless, "{}", s.name);
        }
        let holders: Vec<OrgKind> = OrgKind::ALL
            .iter()
            .copied()
            .filter(|k| Role::InsurerCollector.allowed_in(*k))
            .collect();
        assert_eq!(holders, [OrgKind::Insurer]);
    }

    #[test]
    fn a_foreign_or_unknown_action_is_not_a_certificate_action() {
        let revoke = Action::RevokeAccount { account: [1; 32].into() };
        assert!(matches!(
            CertificateAction::try_from(&revoke),
            Err(NotCertificateAction::Foreign { .. })
        ));
        assert!(CertificateBodies.spec(0x7f).is_none());
        assert!(matches!(
            CertificateBodies.body_len(0x7f, &[0; 8]),
            Err(CodecError::InvalidEnum(0x7f))
        ));
    }
}
