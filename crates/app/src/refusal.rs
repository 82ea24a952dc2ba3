//! Refusal codes: each application declares every code it may refuse with, once, with
//! the HTTP status the node answers and the field it names.

/// One refusal code of an application.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// Stable code, unique across every application of the chain.
    pub code: &'static str,
    /// HTTP status of a synchronous refusal (admission, API checks): 400 malformed, 403
    /// not allowed, 404 unknown object, 409 conflicts with the state, 422 breaks a rule.
    pub status: u16,
    /// The field it names (a path template, `lines[].tax`), or `""` when it varies.
    pub field: &'static str,
}

/// Checks that no code is declared twice across `tables` (named by application).
///
/// # Errors
/// The first repeated code and the two applications declaring it.
pub fn check_unique<'a>(
    tables: impl IntoIterator<Item = (&'a str, &'a [Refusal])>,
) -> core::result::Result<(), String> {
    let mut seen: std::collections::BTreeMap<&str, &str> = Default::default();
    for (app, table) in tables {
        for r in table {
            if let Some(other) = seen.insert(r.code, app) {
                return Err(format!("refusal code {:?} is declared by {other} and {app}", r.code));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &[Refusal] = &[Refusal { code: "unknown_seller", status: 404, field: "seller" }];
    const B: &[Refusal] = &[Refusal { code: "bad_vin", status: 400, field: "vin" }];
    const C: &[Refusal] = &[Refusal { code: "unknown_seller", status: 404, field: "seller" }];

    #[test]
    fn a_code_declared_by_two_applications_is_a_collision() {
        assert!(check_unique([("invoice", A), ("vehicle-tax", B)]).is_ok());
        let e = check_unique([("invoice", A), ("vehicle-tax", B), ("cow-bank", C)]).unwrap_err();
        assert!(e.contains("invoice") && e.contains("cow-bank"), "{e}");
    }
}
