//! A version's claims as the store keeps them (`versions.claims`), so a diff of two stored
//! versions reads them instead of extracting them again (most of a cold diff's CPU).
//!
//! The bytes are `[1][rules: u64 LE][zstd(JSON of Vec<Claim>)]`. `rules` fingerprints the
//! code that extracts claims (`build.rs`): claims written by a build with other rules are
//! *stale* and ignored (extracted afresh), since a diff that mixed old and new rules would
//! report the rules' changes as the article's. The sentences claims point into are not kept;
//! they are re-split from the version's text ([`with_claims`]).

use thiserror::Error;

use super::{Claim, DocClaims, extract_claims, with_claims};
use crate::extract::Article;

const FORMAT: u8 = 1;
const HEADER: usize = 9;
const ZSTD_LEVEL: i32 = 3;

/// Why stored claims cannot be used.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum StoredClaimsError {
    #[error("claims stored by other extraction rules ({0:016x})")]
    Stale(u64),
    #[error("unreadable stored claims: {0}")]
    Corrupt(String),
}

/// This build's claims rules (see `build.rs`).
pub fn rules() -> u64 {
    u64::from_str_radix(env!("FACTDIFF_CLAIMS_RULES"), 16).expect("build.rs writes hex")
}

/// The stored form of `claims`, under this build's rules.
pub fn encode(claims: &[Claim]) -> Vec<u8> {
    let json = serde_json::to_vec(claims).expect("claims serialise");
    let mut out = Vec::with_capacity(HEADER + json.len() / 4);
    out.push(FORMAT);
    out.extend_from_slice(&rules().to_le_bytes());
    out.extend_from_slice(&zstd::bulk::compress(&json, ZSTD_LEVEL).expect("zstd in memory"));
    out
}

/// Whether `bytes` hold claims this build would extract (without decoding them).
pub fn is_current(bytes: &[u8]) -> bool {
    header(bytes).is_ok_and(|r| r == rules())
}

fn header(bytes: &[u8]) -> Result<u64, StoredClaimsError> {
    if bytes.len() < HEADER || bytes[0] != FORMAT {
        return Err(StoredClaimsError::Corrupt("unknown format".into()));
    }
    Ok(u64::from_le_bytes(
        bytes[1..HEADER].try_into().expect("8 bytes"),
    ))
}

/// The claims in `bytes`, if they were stored under this build's rules.
pub fn decode(bytes: &[u8]) -> Result<Vec<Claim>, StoredClaimsError> {
    let r = header(bytes)?;
    if r != rules() {
        return Err(StoredClaimsError::Stale(r));
    }
    let corrupt = |e: &dyn std::fmt::Display| StoredClaimsError::Corrupt(e.to_string());
    // a version's claims JSON is tens of KiB at most; the bound stops a corrupt length. Read
    // as a stream, so the buffer grows to the real size (a 16 MiB buffer per call, as
    // `bulk::decompress` takes, kept malloc's heap high when thousands of versions are read)
    const BOUND: u64 = 16 << 20;
    let mut json = Vec::new();
    let decoder = zstd::stream::read::Decoder::new(&bytes[HEADER..]).map_err(|e| corrupt(&e))?;
    std::io::Read::read_to_end(&mut std::io::Read::take(decoder, BOUND + 1), &mut json)
        .map_err(|e| corrupt(&e))?;
    if json.len() as u64 > BOUND {
        return Err(StoredClaimsError::Corrupt(
            "claims larger than 16 MiB".into(),
        ));
    }
    serde_json::from_slice(&json).map_err(|e| corrupt(&e))
}

/// The claims of `article` (as [`extract_claims`] with no publication override finds them):
/// read from `stored` when it holds this build's, else extracted.
pub fn doc_claims(article: &Article, stored: Option<&[u8]>) -> DocClaims {
    match stored.map(decode) {
        Some(Ok(claims)) => with_claims(article, claims),
        Some(Err(e)) => {
            tracing::debug!("stored claims not used: {e}");
            extract_claims(article, None)
        }
        None => extract_claims(article, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::extract_plain;

    const TEXT: &str = "Storm floods town\n\nMore than 27 people were injured on Monday, officials said. \
        The council approved $4.1 million in aid. \"We will rebuild,\" said Mayor Ann Lee, 47, of Bristol. \
        About 30% of homes lost power for three days.";

    #[test]
    fn round_trip_equals_extraction() {
        let a = extract_plain(TEXT);
        let fresh = extract_claims(&a, None);
        assert!(
            fresh
                .claims
                .iter()
                .any(|c| c.value.interval().is_some_and(|i| i.max.is_infinite())),
            "the text has an open-ended number: {:?}",
            fresh.claims
        );
        let bytes = encode(&fresh.claims);
        assert!(is_current(&bytes));
        assert_eq!(doc_claims(&a, Some(&bytes)), fresh);
        assert_eq!(doc_claims(&a, None), fresh);
    }

    #[test]
    fn stale_and_corrupt_bytes_fall_back_to_extraction() {
        let a = extract_plain(TEXT);
        let fresh = extract_claims(&a, None);
        let mut stale = encode(&fresh.claims);
        stale[1] ^= 0xff;
        assert!(!is_current(&stale));
        assert!(matches!(decode(&stale), Err(StoredClaimsError::Stale(_))));
        // stale claims that say something else are not used
        let mut other = encode(&[]);
        other[1] ^= 0xff;
        assert_eq!(doc_claims(&a, Some(&other)), fresh);
        let mut cut = encode(&fresh.claims);
        cut.truncate(cut.len() - 5);
        assert!(matches!(decode(&cut), Err(StoredClaimsError::Corrupt(_))));
        assert_eq!(doc_claims(&a, Some(&cut)), fresh);
        // a frame that inflates past the bound is refused, not read into memory whole
        let mut bomb = vec![FORMAT];
        bomb.extend_from_slice(&rules().to_le_bytes());
        bomb.extend_from_slice(&zstd::bulk::compress(&vec![b' '; 17 << 20], 3).unwrap());
        assert!(matches!(decode(&bomb), Err(StoredClaimsError::Corrupt(_))));
        for junk in [&b""[..], b"\x01", b"\x02abcdefgh", b"\x01\0\0\0\0\0\0\0\0"] {
            assert!(decode(junk).is_err(), "{junk:?}");
            assert_eq!(doc_claims(&a, Some(junk)), fresh);
        }
    }
}
