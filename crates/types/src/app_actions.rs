//! What every application's action vocabulary shares: [`NotAppAction`], the error of
//! decoding an action that is not the application's, and [`app_actions!`](crate::app_actions),
//! the macro that declares an application's action enum — its specs, its tags, the
//! payload codec, the conversions to and from the transaction's [`Action`](crate::Action)
//! and the body decoder ([`ActionBodies`](crate::ActionBodies)) — from one table.

/// Why an action is not one of an application's.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NotAppAction {
    /// A platform action, or another application's.
    Foreign {
        /// Its name.
        name: &'static str,
        /// The application that was asked (`exchange`).
        app: &'static str,
    },
    /// One of the application's tags whose body does not decode (only an
    /// [`AppAction`](crate::AppAction) built by hand can carry one).
    BadBody {
        /// The action's name.
        name: &'static str,
        /// What the decoder said.
        error: String,
    },
}

impl core::fmt::Display for NotAppAction {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Foreign { name, app } => write!(f, "{name} is not one of the {app} actions"),
            Self::BadBody { name, error } => {
                write!(f, "the body of {name} does not decode: {error}")
            }
        }
    }
}

impl std::error::Error for NotAppAction {}

/// Declares an application's actions from one table: the enum `$enum` (one payload per
/// tag, with the attributes given), its `SPECS` in declaration order, `spec`, `tag`,
/// `name`, `write_body`, `body_size`, `read_body`, `From<$enum> for Action`,
/// `TryFrom<&AppAction>` and `TryFrom<&Action>` (error [`NotAppAction`]), and the unit
/// struct `$bodies` implementing [`ActionBodies`](crate::ActionBodies) over `$tags`.
/// `keyless` names a `const fn(u8) -> bool` saying which tags a key without an account may
/// send ([`no_keyless`] for none).
///
/// ```ignore
/// fapiao_types::app_actions! {
///     app: "exchange", tags: EXCHANGE_TAGS, keyless: fapiao_types::no_keyless,
///     /// What an exchange transaction does.
///     #[derive(Clone, Debug, PartialEq, Eq)]
///     pub enum ExchangeAction;
///     /// The decoder of the exchange's action bodies.
///     pub struct ExchangeBodies;
///     actions {
///         /// Register (rotate) a department's key.
///         RegisterKey(RegisterKey) = 0x80, "exchange_register_key", OFFICER;
///     }
/// }
/// ```
#[macro_export]
macro_rules! app_actions {
    (
        app: $app:literal, tags: $tags:expr, keyless: $keyless:path,
        $(#[$em:meta])* pub enum $enum:ident;
        $(#[$bm:meta])* pub struct $bodies:ident;
        actions {
            $( $(#[$m:meta])* $variant:ident($payload:ty) = $tag:expr, $name:expr, $role:expr; )*
        }
    ) => {
        $(#[$em])*
        #[non_exhaustive]
        pub enum $enum {
            $( $(#[$m])* $variant($payload), )*
        }

        impl $enum {
            /// The spec of every action (tag, name, role, keyless), in declaration order.
            pub const SPECS: &'static [$crate::ActionSpec] = &[
                $( $crate::ActionSpec { tag: $tag, name: $name, role: $role, keyless: $keyless($tag) }, )*
            ];

            /// The spec of action `tag`, if it is one of these.
            pub fn spec_of(tag: u8) -> Option<&'static $crate::ActionSpec> {
                Self::SPECS.iter().find(|s| s.tag == tag)
            }

            /// Its spec.
            pub fn spec(&self) -> &'static $crate::ActionSpec {
                match Self::spec_of(self.tag()) {
                    Some(s) => s,
                    None => unreachable!("every variant has a row in SPECS"),
                }
            }

            /// Its one-byte tag.
            pub fn tag(&self) -> u8 {
                match self {
                    $( $enum::$variant(_) => $tag, )*
                }
            }

            /// Its stable name.
            pub fn name(&self) -> &'static str {
                self.spec().name
            }

            /// Appends the canonical encoding of the payload (without the tag).
            pub fn write_body(&self, buf: &mut impl $crate::__private::bytes::BufMut) {
                match self {
                    $( $enum::$variant(p) => $crate::field::Field::write_field(p, buf), )*
                }
            }

            /// Length of the payload's encoding (without the tag).
            pub fn body_size(&self) -> usize {
                match self {
                    $( $enum::$variant(p) => $crate::field::Field::field_size(p), )*
                }
            }

            /// Reads the payload of action `tag`, checking every bound and range.
            ///
            /// # Errors
            /// An unknown tag (`InvalidEnum`) or a malformed payload.
            pub fn read_body(
                tag: u8,
                buf: &mut impl $crate::__private::commonware_codec::Buf,
            ) -> Result<Self, $crate::__private::commonware_codec::Error> {
                match tag {
                    $( $tag => Ok($enum::$variant(<$payload as $crate::field::Field>::read_field(buf)?)), )*
                    t => Err($crate::__private::commonware_codec::Error::InvalidEnum(t)),
                }
            }
        }

        impl From<$enum> for $crate::Action {
            fn from(a: $enum) -> $crate::Action {
                let mut body = Vec::with_capacity(a.body_size());
                a.write_body(&mut body);
                $crate::Action::App($crate::AppAction::from_encoded(a.spec(), body))
            }
        }

        impl TryFrom<&$crate::AppAction> for $enum {
            type Error = $crate::NotAppAction;

            fn try_from(a: &$crate::AppAction) -> Result<Self, $crate::NotAppAction> {
                use $crate::__private::bytes::Buf as _;
                let name = a.spec().name;
                if $enum::spec_of(a.tag()).is_none_or(|s| !core::ptr::eq(s, a.spec())) {
                    return Err($crate::NotAppAction::Foreign { name, app: $app });
                }
                let mut buf = $crate::__private::commonware_codec::Copying(a.body());
                let action = $enum::read_body(a.tag(), &mut buf)
                    .map_err(|e| $crate::NotAppAction::BadBody { name, error: e.to_string() })?;
                if buf.remaining() != 0 {
                    return Err($crate::NotAppAction::BadBody { name, error: "trailing bytes".into() });
                }
                Ok(action)
            }
        }

        impl TryFrom<&$crate::Action> for $enum {
            type Error = $crate::NotAppAction;

            fn try_from(a: &$crate::Action) -> Result<Self, $crate::NotAppAction> {
                match a {
                    $crate::Action::App(app) => $enum::try_from(app),
                    other => Err($crate::NotAppAction::Foreign { name: other.name(), app: $app }),
                }
            }
        }

        $(#[$bm])*
        #[derive(Clone, Copy, Debug, Default)]
        pub struct $bodies;

        impl $crate::ActionBodies for $bodies {
            fn tags(&self) -> core::ops::RangeInclusive<u8> {
                $tags
            }

            fn spec(&self, tag: u8) -> Option<&'static $crate::ActionSpec> {
                $enum::spec_of(tag)
            }

            fn body_len(
                &self,
                tag: u8,
                bytes: &[u8],
            ) -> Result<usize, $crate::__private::commonware_codec::Error> {
                use $crate::__private::bytes::Buf as _;
                let mut buf = $crate::__private::commonware_codec::Copying(bytes);
                $enum::read_body(tag, &mut buf)?;
                Ok(bytes.len() - buf.remaining())
            }
        }
    };
}

/// No tag may come from a key without an account (the `keyless` of most applications'
/// [`app_actions!`](crate::app_actions)).
pub const fn no_keyless(_tag: u8) -> bool {
    false
}
