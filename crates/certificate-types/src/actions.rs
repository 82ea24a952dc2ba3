//! The tax-certificate application's actions: [`CertificateAction`], its specs and its
//! decoder ([`CertificateBodies`]), under tags `0x70..=0x7f` of the action envelope
//! (docs/formats.md §20.1). A malformed body makes its transaction undecodable.

use crate::records::{
    CollectionRef, RecordCollection, RecordRefund, SettlementRef, SubmitSettlement,
};
use bytes::{Buf as _, BufMut};
use commonware_codec::{Buf, Copying, Error as CodecError};
use core::ops::RangeInclusive;
use fapiao_types::{field::Field, Action, ActionBodies, ActionSpec, AppAction, Role};

/// The action tags the tax-certificate application owns.
pub const CERTIFICATE_TAGS: RangeInclusive<u8> = 0x70..=0x7f;

/// Why an action is not a certificate action.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NotCertificateAction {
    /// A platform action, or another application's.
    #[error("{name} is not a certificate action")]
    Foreign {
        /// Its name.
        name: &'static str,
    },
    /// A certificate tag whose body does not decode (only an `AppAction` built by hand
    /// can carry one: decoding refuses it).
    #[error("the body of {name} does not decode: {error}")]
    BadBody {
        /// The action's name.
        name: &'static str,
        /// What the decoder said.
        error: String,
    },
}

macro_rules! certificate_actions {
    ($( $(#[$m:meta])* $variant:ident($payload:ty) = $tag:expr, $name:expr, $role:expr; )*) => {
        /// What a certificate transaction does: the payload of one tag.
        #[derive(Clone, Debug, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum CertificateAction {
            $( $(#[$m])* $variant($payload), )*
        }

        impl CertificateAction {
            /// The spec of every action (tag, name, role, keyless), in declaration order.
            pub const SPECS: &'static [ActionSpec] = &[
                $( ActionSpec { tag: $tag, name: $name, role: $role, keyless: false }, )*
            ];

            /// Its one-byte tag.
            pub fn tag(&self) -> u8 {
                match self {
                    $( CertificateAction::$variant(_) => $tag, )*
                }
            }

            /// Its spec.
            pub fn spec(&self) -> &'static ActionSpec {
                let tag = self.tag();
                spec_of(tag).expect("every variant has a row in SPECS")
            }

            /// Appends the canonical encoding of the payload (without the tag).
            pub fn write_body(&self, buf: &mut impl BufMut) {
                match self {
                    $( CertificateAction::$variant(p) => Field::write_field(p, buf), )*
                }
            }

            /// Length of the payload's encoding (without the tag).
            pub fn body_size(&self) -> usize {
                match self {
                    $( CertificateAction::$variant(p) => Field::field_size(p), )*
                }
            }

            /// Reads the payload of action `tag`.
            ///
            /// # Errors
            /// An unknown tag (`InvalidEnum`) or a malformed payload.
            pub fn read_body(tag: u8, buf: &mut impl Buf) -> Result<Self, CodecError> {
                match tag {
                    $( $tag => Ok(CertificateAction::$variant(<$payload as Field>::read_field(buf)?)), )*
                    t => Err(CodecError::InvalidEnum(t)),
                }
            }
        }
    };
}

fn spec_of(tag: u8) -> Option<&'static ActionSpec> {
    CertificateAction::SPECS.iter().find(|s| s.tag == tag)
}

certificate_actions! {
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

impl From<CertificateAction> for Action {
    fn from(a: CertificateAction) -> Action {
        let mut body = Vec::with_capacity(a.body_size());
        a.write_body(&mut body);
        Action::App(AppAction::from_encoded(a.spec(), body))
    }
}

impl TryFrom<&AppAction> for CertificateAction {
    type Error = NotCertificateAction;

    fn try_from(a: &AppAction) -> Result<Self, NotCertificateAction> {
        let name = a.spec().name;
        if spec_of(a.tag()).is_none_or(|s| !core::ptr::eq(s, a.spec())) {
            return Err(NotCertificateAction::Foreign { name });
        }
        let mut buf = Copying(a.body());
        let action = CertificateAction::read_body(a.tag(), &mut buf)
            .map_err(|e| NotCertificateAction::BadBody { name, error: e.to_string() })?;
        if buf.remaining() != 0 {
            return Err(NotCertificateAction::BadBody { name, error: "trailing bytes".into() });
        }
        Ok(action)
    }
}

impl TryFrom<&Action> for CertificateAction {
    type Error = NotCertificateAction;

    fn try_from(a: &Action) -> Result<Self, NotCertificateAction> {
        match a {
            Action::App(app) => CertificateAction::try_from(app),
            other => Err(NotCertificateAction::Foreign { name: other.name() }),
        }
    }
}

/// The decoder of the certificate actions' bodies, for the codec configuration
/// ([`fapiao_types::ActionCodecs`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct CertificateBodies;

impl ActionBodies for CertificateBodies {
    fn tags(&self) -> RangeInclusive<u8> {
        CERTIFICATE_TAGS
    }

    fn spec(&self, tag: u8) -> Option<&'static ActionSpec> {
        spec_of(tag)
    }

    fn body_len(&self, tag: u8, bytes: &[u8]) -> Result<usize, CodecError> {
        let mut buf = Copying(bytes);
        CertificateAction::read_body(tag, &mut buf)?;
        Ok(bytes.len() - buf.remaining())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fapiao_types::OrgKind;

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
