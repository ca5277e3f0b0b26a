//! Fault routes served by every `PageServer` (unless a test set a page at that path),
//! plus raw TCP helpers for failures below HTTP.
//!
//! | path | behaviour |
//! |---|---|
//! | `/gzip-bomb` | ~100 KB gzip (`Content-Encoding: gzip`) that inflates to 100 MiB of zeros |
//! | `/huge` | 50 MiB HTML, chunked (no Content-Length) |
//! | `/huge-declared` | 50 MiB HTML with `Content-Length` |
//! | `/redirect-loop` | 302 → `/redirect-loop-b` → 302 → `/redirect-loop` |
//! | `/redirect-chain/N` | 302 → `/redirect-chain/N-1` … `/redirect-chain/0` is a page |
//! | `/hang` | never answers, holds the connection |
//! | `/stall-body` | headers and a first chunk, then nothing |
//! | `/slow/MS` | answers a page after MS milliseconds |
//! | `/binary` | `image/png` bytes |
//! | `/binary-mislabeled` | PNG bytes served as `text/html` |
//! | `/empty` | 200 `text/html` with an empty body |
//! | `/invalid-utf8` | declared UTF-8, contains invalid bytes |
//! | `/latin1` | windows-1252 bytes, charset only in `<meta charset>` |
//! | `/plain` | `text/plain; charset=utf-8` |
//! | `/gzip-page` | a small gzip-compressed HTML page |

use std::convert::Infallible;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::header;
use axum::response::Response;
use flate2::{Compress, Compression, FlushCompress, write::GzEncoder};
use futures_util::StreamExt;
use futures_util::stream;

use super::pages::{RawResponse, raw_response};

/// Size the gzip bomb inflates to.
pub const BOMB_INFLATED: usize = 100 << 20;
/// Size of `/huge` and `/huge-declared`.
pub const HUGE_BYTES: usize = 50 << 20;

pub const LATIN1_PAGE: &[u8] =
    b"<!doctype html><html><head><meta charset=\"windows-1252\"><title>Caf\xe9</title></head><body><p>Un caf\xe9 cr\xe8me co\xfbte 3\x80.</p></body></html>";
pub const INVALID_UTF8_PAGE: &[u8] =
    b"<html><body><p>caf\xc3\xa9 then bad \xff\xfe bytes and a cut \xe2\x82</p></body></html>";
pub const PNG_BYTES: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\0\x01\0\0\x05\0\x01\r\n-\xb4\0\0\0\0IEND\xaeB`\x82";
pub const PLAIN_TEXT: &str = "Plain headline\n\nA plain text body with café.\n";
pub const GZIP_PAGE_HTML: &str = "<html><body><p>compressed page, caf\u{e9}</p></body></html>";

pub(crate) async fn route(path: &str) -> Option<Response> {
    let html = "text/html; charset=utf-8";
    let response = match path {
        "/gzip-bomb" => Response::builder()
            .header(header::CONTENT_TYPE, html)
            .header(header::CONTENT_ENCODING, "gzip")
            .body(Body::from(Bytes::from_static(gzip_bomb())))
            .unwrap(),
        "/huge" => Response::builder()
            .header(header::CONTENT_TYPE, html)
            .body(huge_body())
            .unwrap(),
        "/huge-declared" => Response::builder()
            .header(header::CONTENT_TYPE, html)
            .header(header::CONTENT_LENGTH, HUGE_BYTES)
            .body(huge_body())
            .unwrap(),
        "/redirect-loop" => redirect("/redirect-loop-b"),
        "/redirect-loop-b" => redirect("/redirect-loop"),
        "/hang" => std::future::pending::<Response>().await,
        "/stall-body" => {
            let first = stream::once(async {
                Ok::<_, Infallible>(Bytes::from_static(b"<html><body><p>start"))
            });
            let body = Body::from_stream(first.chain(stream::pending()));
            Response::builder()
                .header(header::CONTENT_TYPE, html)
                .body(body)
                .unwrap()
        }
        "/binary" => raw_response(
            &RawResponse::new(200)
                .header("content-type", "image/png")
                .body(PNG_BYTES),
        ),
        "/binary-mislabeled" => raw_response(
            &RawResponse::new(200)
                .header("content-type", html)
                .body(PNG_BYTES),
        ),
        "/empty" => raw_response(&RawResponse::new(200).header("content-type", html)),
        "/invalid-utf8" => raw_response(
            &RawResponse::new(200)
                .header("content-type", html)
                .body(INVALID_UTF8_PAGE),
        ),
        "/latin1" => raw_response(
            &RawResponse::new(200)
                .header("content-type", "text/html")
                .body(LATIN1_PAGE),
        ),
        "/plain" => raw_response(
            &RawResponse::new(200)
                .header("content-type", "text/plain; charset=utf-8")
                .body(PLAIN_TEXT),
        ),
        "/gzip-page" => raw_response(
            &RawResponse::new(200)
                .header("content-type", html)
                .header("content-encoding", "gzip")
                .body(gzip(GZIP_PAGE_HTML.as_bytes())),
        ),
        _ => {
            if let Some(n) = path
                .strip_prefix("/redirect-chain/")
                .and_then(|n| n.parse::<u32>().ok())
            {
                if n == 0 {
                    raw_response(&RawResponse::html(
                        "<html><body><p>end of chain</p></body></html>",
                    ))
                } else {
                    redirect(&format!("/redirect-chain/{}", n - 1))
                }
            } else if let Some(ms) = path
                .strip_prefix("/slow/")
                .and_then(|n| n.parse::<u64>().ok())
            {
                tokio::time::sleep(Duration::from_millis(ms)).await;
                raw_response(&RawResponse::html(format!(
                    "<html><body><p>slow {ms}</p></body></html>"
                )))
            } else {
                return None;
            }
        }
    };
    Some(response)
}

fn redirect(to: &str) -> Response {
    raw_response(&RawResponse::new(302).header("location", to))
}

/// gzip-compress bytes (for `set_raw` responses with `Content-Encoding: gzip`).
pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::default());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

/// 50 MiB of HTML, streamed in 64 KiB chunks.
fn huge_body() -> Body {
    static CHUNK: [u8; 64 * 1024] = [b'a'; 64 * 1024];
    let chunks = stream::iter(0..HUGE_BYTES / CHUNK.len())
        .map(|_| Ok::<_, Infallible>(Bytes::from_static(&CHUNK)));
    Body::from_stream(chunks)
}

/// A gzip member that inflates to [`BOMB_INFLATED`] zero bytes, built without compressing
/// 100 MiB: one sync-flushed deflate segment for 1 MiB of zeros (byte-aligned and only
/// referring back into itself) repeated 100 times, then a final empty block.
pub fn gzip_bomb() -> &'static [u8] {
    static BOMB: OnceLock<Vec<u8>> = OnceLock::new();
    BOMB.get_or_init(|| {
        const SEGMENT: usize = 1 << 20;
        let zeros = vec![0u8; SEGMENT];
        let mut deflate = Compress::new(Compression::best(), false);
        let mut segment = Vec::with_capacity(SEGMENT);
        deflate
            .compress_vec(&zeros, &mut segment, FlushCompress::Sync)
            .unwrap();
        assert_eq!(
            deflate.total_in() as usize,
            SEGMENT,
            "segment not fully compressed"
        );
        let mut tail = Vec::with_capacity(64);
        deflate
            .compress_vec(&[], &mut tail, FlushCompress::Finish)
            .unwrap();

        let mut crc_segment = flate2::Crc::new();
        crc_segment.update(&zeros);
        let mut crc = flate2::Crc::new();
        let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
        for _ in 0..BOMB_INFLATED / SEGMENT {
            out.extend_from_slice(&segment);
            crc.combine(&crc_segment);
        }
        out.extend_from_slice(&tail);
        out.extend_from_slice(&crc.sum().to_le_bytes());
        out.extend_from_slice(&(BOMB_INFLATED as u32).to_le_bytes());
        out
    })
}

/// A TCP server on 127.0.0.1 that accepts connections and closes them without answering.
pub async fn spawn_reset_server() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind reset server");
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let _ = stream.set_zero_linger(); // RST rather than FIN
            drop(stream);
        }
    });
    addr
}

/// An address on 127.0.0.1 where nothing listens (connection refused).
pub fn refused_addr() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().unwrap();
    drop(listener);
    addr
}
