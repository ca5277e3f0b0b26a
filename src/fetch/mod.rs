//! fetch: one HTTP client for everything.
//!
//! Conditional GET (ETag / Last-Modified), connect and total timeouts, a cap on the
//! *decompressed* body size, a redirect limit with loop detection, charset detection
//! (header → `<meta>` → detection, a BOM always wins) and a per-host minimum delay.
//! Every result is an [`Outcome`]; failures are data ([`FetchError`]), never a panic.

mod charset;
mod client;
mod content;
mod error;
pub mod guard;
mod politeness;
mod robots;

pub use charset::decode_body;
pub use client::{FetchSettings, Fetcher, SharedSlot, SharedTurns};
pub use error::FetchError;
pub use guard::GuardPolicy;

use serde::{Deserialize, Serialize};

/// Cache validators of one URL, sent back on the next fetch for a conditional GET.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

impl Validators {
    pub fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }
}

/// What one fetch produced.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// 2xx with a text body.
    New(Fetched),
    /// 304: the validators still match.
    NotModified,
    /// 404 or 410.
    Gone { status: u16 },
    /// Everything else.
    Failed(FetchError),
}

/// A successfully fetched text document.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// URL after redirects.
    pub final_url: String,
    pub status: u16,
    /// The raw `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// The body decoded to UTF-8 (invalid bytes replaced by U+FFFD).
    pub body_text: String,
    /// The decompressed body bytes.
    pub raw: Vec<u8>,
    /// Name of the encoding used to decode `raw` (e.g. "UTF-8", "windows-1252").
    pub charset: &'static str,
    /// Validators from this response's `ETag` / `Last-Modified` (empty if none were sent).
    pub validators: Validators,
    /// HTML (or XHTML) rather than plain text / XML / JSON.
    pub is_html: bool,
}
