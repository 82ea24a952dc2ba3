//! Refusal codes: the one way the chain says no.
//!
//! Every code a node can answer with is declared once, in the table of its owner, with
//! the HTTP status it is answered with and the field it names: the shared values (this
//! crate's [`Code`]), the platform (`fapiao_app::Platform`: transactions, membership,
//! governance, admission, the API itself) and each application (`fapiao_invoice::Code`,
//! …). A table is an enum declared with [`refusals!`](crate::refusals): code paths name
//! a variant, never a string, so no code can be used without being declared. The node
//! looks a code's status up in the union of the tables, in one place, and a test checks
//! with [`check_unique`] that no code is declared twice.
//!
//! Codes are stable snake_case. An application's codes are namespaced by its name
//! (`invoice.already_reimbursed`); the platform's and the values' codes have no
//! namespace (`bad_signature`, `bad_uscc`), and no application may use them for
//! anything else.

/// One declared refusal code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// The stable code, unique across every table of the chain.
    pub code: &'static str,
    /// The HTTP status a node answers it with: 400 malformed, 401 unauthenticated, 403
    /// not allowed, 404 unknown object, 409 conflicts with the state, 413 too large, 422
    /// breaks a rule, 429 over a budget, 503 busy.
    pub status: u16,
    /// The field it names, as a path template (`lines[].tax`), or `""` when the field
    /// varies with the request.
    pub field: &'static str,
}

/// A variant of a refusal table (an enum declared with [`refusals!`](crate::refusals)).
pub trait RefusalCode: Copy + core::fmt::Debug + 'static {
    /// The variant's declaration.
    fn refusal(self) -> &'static Refusal;

    /// Its stable code.
    fn code(self) -> &'static str {
        self.refusal().code
    }
}

/// An error that is a declared refusal: its code, and the field at fault in this
/// request. The seam's error (`fapiao_app::Error`) is built from any of them.
pub trait Refused: core::fmt::Display {
    /// The declared refusal.
    fn refusal(&self) -> &'static Refusal;
    /// The field at fault, as a path (`lines[2].tax`).
    fn field(&self) -> &str;
}

/// Checks that no code is declared twice across `tables` (named by owner), and that an
/// owner's codes carry its namespace: `owner.` for an application, none for the
/// platform's tables (named with a leading `-`, e.g. `-platform`).
///
/// # Errors
/// The first offending code and who declares it.
pub fn check_unique<'a>(
    tables: impl IntoIterator<Item = (&'a str, &'a [Refusal])>,
) -> core::result::Result<(), String> {
    let mut seen: std::collections::BTreeMap<&str, &str> = std::collections::BTreeMap::new();
    for (owner, table) in tables {
        for r in table {
            let namespaced = match owner.strip_prefix('-') {
                Some(_) => !r.code.contains('.'),
                None => r.code.strip_prefix(owner).is_some_and(|rest| rest.starts_with('.')),
            };
            if !namespaced {
                return Err(format!(
                    "refusal code {:?} of {owner} is not in its namespace",
                    r.code
                ));
            }
            if let Some(other) = seen.insert(r.code, owner) {
                return Err(format!(
                    "refusal code {:?} is declared by {other} and {owner}",
                    r.code
                ));
            }
        }
    }
    Ok(())
}

/// Declares a table of refusal codes: an enum whose variants each carry a code, an HTTP
/// status and a field path, with `ALL` (the table as [`Refusal`]s, in declaration order)
/// and [`RefusalCode`].
///
/// An application's table names its namespace (`in "invoice"`), which prefixes every
/// code; the platform's tables have none.
///
/// ```
/// fapiao_values::refusals! {
///     /// Refusals of the cow bank.
///     pub enum CowCode in "cowbank" {
///         /// No cow has that ear tag.
///         UnknownCow = ("unknown_cow", 404, "ear_tag"),
///     }
/// }
/// use fapiao_values::RefusalCode;
/// assert_eq!(CowCode::UnknownCow.code(), "cowbank.unknown_cow");
/// assert_eq!(CowCode::ALL[0].status, 404);
/// ```
#[macro_export]
macro_rules! refusals {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident in $ns:literal {
            $( $(#[$vmeta:meta])* $variant:ident = ($code:literal, $status:literal, $field:literal), )*
        }
    ) => {
        $crate::refusals!(@table [$(#[$meta])*] $vis $name $ns
            [ $( [$(#[$vmeta])*] $variant (concat!($ns, ".", $code)) $status $field )* ]);
    };
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = ($code:literal, $status:literal, $field:literal), )*
        }
    ) => {
        $crate::refusals!(@table [$(#[$meta])*] $vis $name ""
            [ $( [$(#[$vmeta])*] $variant ($code) $status $field )* ]);
    };
    (@table [$($meta:tt)*] $vis:vis $name:ident $ns:literal
        [ $( [$($vmeta:tt)*] $variant:ident ($code:expr) $status:literal $field:literal )* ]) => {
        $($meta)*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $( $($vmeta)* $variant, )*
        }

        // A private table may leave its namespace unread.
        #[allow(dead_code)]
        impl $name {
            /// The namespace of the table's codes (`""` for the platform's).
            pub const NAMESPACE: &'static str = $ns;
            /// Every refusal of the table, in declaration order.
            pub const ALL: &'static [$crate::Refusal] = &[
                $( $crate::Refusal { code: $code, status: $status, field: $field }, )*
            ];

            /// The variant's declaration.
            pub fn refusal(self) -> &'static $crate::Refusal {
                // Variants are numbered in declaration order, like `ALL`.
                &Self::ALL[self as usize]
            }

            /// Its stable code.
            pub fn code(self) -> &'static str {
                self.refusal().code
            }
        }

        impl $crate::RefusalCode for $name {
            fn refusal(self) -> &'static $crate::Refusal {
                $name::refusal(self)
            }
        }
    };
}

crate::refusals! {
    /// The refusals of the shared values: a value out of its grammar or range. Any
    /// application may answer with them; they are the platform's (no namespace).
    pub enum Code {
        /// A money string is not a plain decimal with at most two decimals.
        BadAmount = ("bad_amount", 422, ""),
        /// A minus sign where only non-negative amounts are allowed.
        NegativeAmount = ("negative_amount", 422, ""),
        /// An amount, sum, difference or product leaves DECIMAL(18,2).
        AmountOutOfRange = ("amount_out_of_range", 422, ""),
        /// A quantity is malformed.
        BadQuantity = ("bad_quantity", 422, "lines[].quantity"),
        /// A unit price is malformed.
        BadUnitPrice = ("bad_unit_price", 422, "lines[].unit_price"),
        /// A rate is not an exact decimal in `0..=1` with at most four decimals.
        BadRate = ("bad_rate", 422, "lines[].rate"),
        /// A date is not a calendar date.
        BadDate = ("bad_date", 422, ""),
        /// A month is not `yyyy-mm`.
        BadMonth = ("bad_month", 422, "month"),
        /// A Unified Social Credit Code fails its format or a check digit.
        BadUscc = ("bad_uscc", 422, ""),
        /// A resident identity number fails its format, birth date or check digit.
        BadResidentId = ("bad_resident_id", 422, ""),
        /// A vehicle identification number fails its format or check digit.
        BadVin = ("bad_vin", 422, "industry.vin"),
        /// A division code (a region) is not six digits.
        BadRegionCode = ("bad_region_code", 422, "region"),
        /// An invoice number or one of its parts is malformed.
        BadInvoiceNumber = ("bad_invoice_number", 422, "number"),
        /// A name is not one of an enumeration's.
        UnknownVariant = ("unknown_variant", 422, ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    refusals! {
        /// A test application.
        enum Cow in "cowbank" {
            /// No such cow.
            UnknownCow = ("unknown_cow", 404, "ear_tag"),
            /// The cow is lent.
            Lent = ("cow_lent", 409, "ear_tag"),
        }
    }

    refusals! {
        /// Another, whose code collides with the first.
        enum Copycat in "cowbank" {
            /// No such cow.
            UnknownCow = ("unknown_cow", 404, "ear_tag"),
        }
    }

    #[test]
    fn a_variant_finds_its_row_and_namespace() {
        assert_eq!(Cow::Lent.code(), "cowbank.cow_lent");
        assert_eq!(Cow::UnknownCow.refusal().field, "ear_tag");
        assert_eq!(Copycat::UnknownCow.code(), Cow::UnknownCow.code());
        assert_eq!(Cow::Lent.refusal().status, 409);
        assert_eq!(Code::BadVin.code(), "bad_vin");
        assert_eq!(Code::NAMESPACE, "");
    }

    #[test]
    fn collisions_and_foreign_namespaces_are_refused() {
        assert!(check_unique([("-values", Code::ALL), ("cowbank", Cow::ALL)]).is_ok());
        let e = check_unique([("cowbank", Cow::ALL), ("cowbank", Copycat::ALL)]).unwrap_err();
        assert!(e.contains("declared by cowbank and cowbank"), "{e}");
        let e = check_unique([("loans", Cow::ALL)]).unwrap_err();
        assert!(e.contains("not in its namespace"), "{e}");
        let e = check_unique([("-platform", Cow::ALL)]).unwrap_err();
        assert!(e.contains("not in its namespace"), "{e}");
    }
}
