//! Standard Webhooks signatures (pure): `webhook-signature: v1,<base64 HMAC-SHA256>` over
//! `"{id}.{timestamp}.{body}"`. The key is the secret's bytes, or — for a `whsec_` secret —
//! the base64 after the prefix, decoded.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("webhook secret starts with \"whsec_\" but the rest is not valid base64")]
pub struct InvalidSecret;

/// The HMAC key for a configured secret. Use this to validate config.
pub fn signing_key(secret: &str) -> Result<Vec<u8>, InvalidSecret> {
    match secret.strip_prefix("whsec_") {
        Some(b64) => STANDARD.decode(b64).map_err(|_| InvalidSecret),
        None => Ok(secret.as_bytes().to_vec()),
    }
}

/// The `webhook-signature` header value, `"v1,<base64>"`.
/// A `whsec_` secret whose rest is not base64 is used as raw bytes (validate with [`signing_key`]).
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> String {
    let key = signing_key(secret).unwrap_or_else(|_| secret.as_bytes().to_vec());
    sign_with_key(&key, id, timestamp, body)
}

pub fn sign_with_key(key: &[u8], id: &str, timestamp: i64, body: &[u8]) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

/// Does a received `webhook-signature` header (space-separated list) contain a valid v1 signature?
pub fn verify(secret: &str, id: &str, timestamp: i64, body: &[u8], header: &str) -> bool {
    let expected = sign(secret, id, timestamp, body);
    header
        .split(' ')
        .any(|candidate| constant_time_eq(candidate.as_bytes(), expected.as_bytes()))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const TS: i64 = 1614265330;
    const BODY: &[u8] = br#"{"test": 2432232314}"#;

    #[test]
    fn standard_webhooks_spec_vector() {
        assert_eq!(
            sign(SECRET, ID, TS, BODY),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn verify_accepts_any_listed_signature() {
        let good = sign(SECRET, ID, TS, BODY);
        assert!(verify(SECRET, ID, TS, BODY, &format!("v1,bogus {good}")));
        assert!(!verify(SECRET, ID, TS + 1, BODY, &good));
        assert!(!verify("whsec_AAAA", ID, TS, BODY, &good));
    }

    #[test]
    fn raw_and_invalid_secrets() {
        assert_eq!(signing_key("plain").unwrap(), b"plain");
        assert_eq!(signing_key("whsec_!!!"), Err(InvalidSecret));
        assert!(sign("whsec_!!!", ID, TS, BODY).starts_with("v1,"));
    }
}
