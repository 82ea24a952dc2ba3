//! Macros for the canonical encoding of simple enums and structs, exported so that an
//! application's vocabulary crate (`fapiao-invoice-types`) declares its payloads and
//! records with the same encoding rules. The generated code names its dependencies
//! through `$crate::__private`, so a caller needs none of them.

/// Declares a simple enum encoded as one tag byte, with `ALL`, `as_str`, `tag`, `parse`,
/// `Display`, the codec traits, `Field` and serde through its name.
#[macro_export]
macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = ($tag:expr, $s:expr)),* $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($(#[$vm])* $v),* }

        impl $name {
            /// Every value, in tag order.
            pub const ALL: &'static [$name] = &[$($name::$v),*];

            /// Stable name used in JSON, genesis and error messages.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$v => $s),* }
            }

            /// One-byte tag in the canonical encoding.
            pub fn tag(self) -> u8 {
                match self { $($name::$v => $tag),* }
            }

            /// Parses [`Self::as_str`].
            ///
            /// # Errors
            /// `Error::Invalid` for an unknown name.
            pub fn parse(s: &str) -> $crate::Result<Self> {
                match s {
                    $($s => Ok($name::$v),)*
                    other => Err($crate::Error::invalid(stringify!($name), format!("unknown value {other:?}"))),
                }
            }

            fn from_tag(t: u8) -> Option<Self> {
                match t { $($tag => Some($name::$v),)* _ => None }
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::__private::commonware_codec::Write for $name {
            fn write(&self, buf: &mut impl $crate::__private::bytes::BufMut) { $crate::__private::bytes::BufMut::put_u8(buf, self.tag()); }
        }

        impl $crate::__private::commonware_codec::FixedSize for $name { const SIZE: usize = 1; }

        impl $crate::__private::commonware_codec::Read for $name {
            type Cfg = ();
            fn read_cfg(buf: &mut impl $crate::__private::commonware_codec::Buf, _: &()) -> Result<Self, $crate::__private::commonware_codec::Error> {
                let t = <u8 as $crate::__private::commonware_codec::Read>::read_cfg(buf, &())?;
                Self::from_tag(t).ok_or($crate::__private::commonware_codec::Error::InvalidEnum(t))
            }
        }

        impl $crate::field::Field for $name {
            fn write_field(&self, buf: &mut impl $crate::__private::bytes::BufMut) {
                $crate::__private::commonware_codec::Write::write(self, buf)
            }
            fn field_size(&self) -> usize {
                1
            }
            fn read_field(buf: &mut impl $crate::__private::commonware_codec::Buf) -> Result<Self, $crate::__private::commonware_codec::Error> {
                <Self as $crate::__private::commonware_codec::Read>::read_cfg(buf, &())
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <String as $crate::__private::serde::Deserialize>::deserialize(d)?;
                Self::parse(&s).map_err($crate::__private::serde::de::Error::custom)
            }
        }
    };
}

/// Declares a struct whose canonical encoding is its fields in order, each encoded as
/// a [`crate::field::Field`]; implements `Write`, `EncodeSize`, `Read` (`Cfg = ()`) and
/// `Field` for it.
///
/// A field written `pub amount: i64 => fen` is money: decoding refuses a value outside
/// DECIMAL(18,2) (see [`crate::field::fen`]); its bytes are those of the plain type.
///
/// A field written `pub tax_id: Option<Uscc> as empty_is_none` is encoded by the module
/// [`crate::field::empty_is_none`] instead of its `Field` impl: an optional text value
/// whose absence is the empty text, the bytes of the `String` it replaced.
#[macro_export]
macro_rules! canonical_struct {
    ($(#[$m:meta])* pub struct $name:ident { $($(#[$fm:meta])* pub $f:ident : $t:ty $(=> $check:ident)? $(as $via:ident)?),* $(,)? }) => {
        $(#[$m])*
        pub struct $name { $($(#[$fm])* pub $f: $t),* }

        impl $crate::__private::commonware_codec::Write for $name {
            fn write(&self, buf: &mut impl $crate::__private::bytes::BufMut) {
                $( $crate::field_via!(write $($via)?; &self.$f, buf); )*
            }
        }

        impl $crate::__private::commonware_codec::EncodeSize for $name {
            fn encode_size(&self) -> usize {
                0 $( + $crate::field_via!(size $($via)?; &self.$f) )*
            }
        }

        impl $crate::__private::commonware_codec::Read for $name {
            type Cfg = ();
            fn read_cfg(buf: &mut impl $crate::__private::commonware_codec::Buf, _: &()) -> Result<Self, $crate::__private::commonware_codec::Error> {
                Ok(Self { $( $f: {
                    let v: $t = $crate::field_via!(read $($via)?; buf)?;
                    $( $crate::field::$check(&v)?; )?
                    v
                } ),* })
            }
        }

        impl $crate::field::Field for $name {
            fn write_field(&self, buf: &mut impl $crate::__private::bytes::BufMut) {
                $crate::__private::commonware_codec::Write::write(self, buf)
            }
            fn field_size(&self) -> usize {
                $crate::__private::commonware_codec::EncodeSize::encode_size(self)
            }
            fn read_field(buf: &mut impl $crate::__private::commonware_codec::Buf) -> Result<Self, $crate::__private::commonware_codec::Error> {
                <Self as $crate::__private::commonware_codec::Read>::read_cfg(buf, &())
            }
        }
    };
}

/// One field's encoding in [`canonical_struct!`]: its `Field` impl, or the module named
/// after `as`.
#[doc(hidden)]
#[macro_export]
macro_rules! field_via {
    (write; $v:expr, $buf:expr) => {
        $crate::field::Field::write_field($v, $buf)
    };
    (write $via:ident; $v:expr, $buf:expr) => {
        $crate::field::$via::write($v, $buf)
    };
    (size; $v:expr) => {
        $crate::field::Field::field_size($v)
    };
    (size $via:ident; $v:expr) => {
        $crate::field::$via::size($v)
    };
    (read; $buf:expr) => {
        $crate::field::Field::read_field($buf)
    };
    (read $via:ident; $buf:expr) => {
        $crate::field::$via::read($buf)
    };
}

/// Labels for people, one wording per status in each language: the verification page, the
/// printed invoice and the API use these, never a wording of their own.
#[macro_export]
macro_rules! labels {
    ($name:ident { $($v:ident => ($zh:expr, $en:expr)),* $(,)? }) => {
        impl $name {
            /// The status as shown to people, in Chinese.
            pub fn label_zh(self) -> &'static str {
                match self { $($name::$v => $zh),* }
            }

            /// The status as shown to people, in English.
            pub fn label_en(self) -> &'static str {
                match self { $($name::$v => $en),* }
            }
        }
    };
}
