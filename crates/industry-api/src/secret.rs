//! The chain secret as this node's API reads it: the file [`CHAIN_SECRET_FILE`] of the
//! node's secrets directory (64 hex digits, or the 32 bytes themselves), checked against
//! the pin in force (`industry/secret`) so that the node never hands out salts of another
//! secret than the one execution commits under.

use crate::access::Executed;
use fapiao_api::{error::ApiError, ApiState};
use fapiao_industry::{Code, IndustrySecret};

/// The file of the secrets directory holding the chain secret.
pub const CHAIN_SECRET_FILE: &str = "chain-secret";

/// This node's chain secret, when it is the one the chain pins.
///
/// # Errors
/// `industry.no_secret` (409) when the chain pins none, this node keeps none, or keeps
/// another one.
pub fn chain_secret(st: &ApiState) -> Result<[u8; 32], ApiError> {
    let no = |why: &str| ApiError::refuse(Code::NoSecret, Some("secret"), why.to_string());
    let next = st.reader.tip().height + 1;
    let (_, pin) = fapiao_app::params::at_height::<IndustrySecret>(&Executed(&*st.reader), next)
        .map_err(ApiError::internal)?;
    let Some(pinned) = pin.id().map_err(ApiError::internal)? else {
        return Err(no("the chain pins no secret (industry/secret)"));
    };
    let dir = st.secrets.as_ref().ok_or_else(|| no("this node keeps no secrets directory"))?;
    let bytes = std::fs::read(dir.join(CHAIN_SECRET_FILE))
        .map_err(|_| no("this node keeps no chain secret"))?;
    let secret = parse(&bytes).ok_or_else(|| no("this node's chain secret is malformed"))?;
    if fapiao_types::commit::secret_id(&secret) != pinned {
        return Err(no("this node's chain secret is not the one the chain pins"));
    }
    Ok(secret)
}

fn parse(bytes: &[u8]) -> Option<[u8; 32]> {
    if let Ok(raw) = <[u8; 32]>::try_from(bytes) {
        return Some(raw);
    }
    let text = std::str::from_utf8(bytes).ok()?.trim();
    let v = hex::decode(text).ok()?;
    <[u8; 32]>::try_from(v.as_slice()).ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_secret_is_hex_or_raw() {
        let hex = format!("{}\n", "ab".repeat(32));
        assert_eq!(super::parse(hex.as_bytes()), Some([0xab; 32]));
        assert_eq!(super::parse(&[7u8; 32]), Some([7; 32]));
        assert_eq!(super::parse(b"abcd"), None);
    }
}
