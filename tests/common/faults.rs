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
//! | `/brotli-bomb` | ~100 KB brotli (`Content-Encoding: br`) that inflates to 100 MiB of zeros |
//! | `/gigabyte` | 1 GiB of HTML, chunked, generated as it is sent (see [`gigabyte_sent`]) |
//! | `/drip/MS` | a page sent 16 bytes every MS milliseconds (about 40 pieces) |
//! | `/charset-lie/utf8` | windows-1252 bytes under `charset=utf-8` |
//! | `/charset-lie/latin1` | UTF-8 bytes under `charset=iso-8859-1` |
//! | `/charset-honest` | the same article as windows-1252 bytes under `charset=windows-1252` |

use std::convert::Infallible;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
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
/// Size of `/gigabyte`.
pub const GIGABYTE: u64 = 1 << 30;
/// The article behind the charset routes, as text (encoded per route).
pub const CHARSET_ARTICLE: &str = "<html><head><title>Café prices rise</title></head><body><article>\
    <h1>Café prices rise</h1><p>A café crème now costs 3.20 euros at the station café, up from 2.90 \
    last spring, the owners' association said on Tuesday.</p><p>The association blamed the price of \
    milk and a new lease; its members expect the crème brûlée to follow before the summer.</p>\
    </article></body></html>";

static GIGABYTE_SENT: AtomicU64 = AtomicU64::new(0);

/// Bytes of `/gigabyte` handed to the connection so far (in this test process).
pub fn gigabyte_sent() -> u64 {
    GIGABYTE_SENT.load(Ordering::Relaxed)
}

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
        "/brotli-bomb" => Response::builder()
            .header(header::CONTENT_TYPE, html)
            .header(header::CONTENT_ENCODING, "br")
            .body(Body::from(Bytes::from_static(brotli_bomb())))
            .unwrap(),
        "/gigabyte" => Response::builder()
            .header(header::CONTENT_TYPE, html)
            .body(gigabyte_body())
            .unwrap(),
        "/charset-lie/utf8" => raw_response(
            &RawResponse::new(200)
                .header("content-type", "text/html; charset=utf-8")
                .body(windows_1252(CHARSET_ARTICLE)),
        ),
        "/charset-lie/latin1" => raw_response(
            &RawResponse::new(200)
                .header("content-type", "text/html; charset=iso-8859-1")
                .body(CHARSET_ARTICLE),
        ),
        "/charset-honest" => raw_response(
            &RawResponse::new(200)
                .header("content-type", "text/html; charset=windows-1252")
                .body(windows_1252(CHARSET_ARTICLE)),
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
                .strip_prefix("/drip/")
                .and_then(|n| n.parse::<u64>().ok())
            {
                Response::builder()
                    .header(header::CONTENT_TYPE, html)
                    .body(drip_body(Duration::from_millis(ms)))
                    .unwrap()
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

/// [`CHARSET_ARTICLE`] in windows-1252.
pub fn windows_1252(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
    assert!(!unmappable);
    bytes.into_owned()
}

/// 1 GiB in 64 KiB chunks, made as the client reads: the test process never holds it.
fn gigabyte_body() -> Body {
    static CHUNK: [u8; 64 * 1024] = [b'a'; 64 * 1024];
    let chunks = stream::iter(0..GIGABYTE / CHUNK.len() as u64).map(|_| {
        GIGABYTE_SENT.fetch_add(CHUNK.len() as u64, Ordering::Relaxed);
        Ok::<_, Infallible>(Bytes::from_static(&CHUNK))
    });
    Body::from_stream(chunks)
}

/// A whole page, 16 bytes at a time with `gap` between pieces.
fn drip_body(gap: Duration) -> Body {
    let page = CHARSET_ARTICLE.as_bytes().to_vec();
    let pieces: Vec<Bytes> = page.chunks(16).map(Bytes::copy_from_slice).collect();
    let body = stream::iter(pieces).then(move |piece| async move {
        tokio::time::sleep(gap).await;
        Ok::<_, Infallible>(piece)
    });
    Body::from_stream(body)
}

/// A brotli stream that inflates to [`BOMB_INFLATED`] zero bytes (about 100 KB on the wire).
pub fn brotli_bomb() -> &'static [u8] {
    static BOMB: OnceLock<Vec<u8>> = OnceLock::new();
    BOMB.get_or_init(|| {
        let mut out = Vec::new();
        {
            let mut enc = brotli::CompressorWriter::new(&mut out, 1 << 16, 5, 22);
            let zeros = vec![0u8; 1 << 20];
            for _ in 0..BOMB_INFLATED / zeros.len() {
                enc.write_all(&zeros).unwrap();
            }
        }
        out
    })
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

/// A server that answers with headers promising 100,000 bytes, sends 2,000 of them, then
/// resets the connection (RST): a connection reset mid-body.
pub async fn spawn_mid_body_reset_server() -> SocketAddr {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind mid-body reset server");
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = stream.read(&mut buf).await;
                let head = "HTTP/1.1 200 OK\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: 100000\r\n\r\n";
                let _ = stream.write_all(head.as_bytes()).await;
                let _ = stream.write_all(&[b'x'; 2000]).await;
                let _ = stream.flush().await;
                tokio::time::sleep(Duration::from_millis(20)).await;
                let _ = stream.set_zero_linger();
                drop(stream);
            });
        }
    });
    addr
}

/// A server that reads the TLS ClientHello and closes the connection: a handshake cut off.
pub async fn spawn_tls_cutoff_server() -> SocketAddr {
    use tokio::io::AsyncReadExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind TLS cut-off server");
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf).await;
            drop(stream);
        }
    });
    addr
}

/// An HTTPS server on 127.0.0.1 with a self-signed certificate (tests/fixtures/faults; a
/// test-only key) that answers every request with a small page once a handshake succeeds.
/// A client that checks certificates refuses it during the handshake.
pub async fn spawn_self_signed_tls_server() -> SocketAddr {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/faults");
    let certs = CertificateDer::pem_file_iter(dir.join("selfsigned.crt"))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_file(dir.join("selfsigned.key")).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(std::sync::Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind TLS server");
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(stream).await else {
                    return;
                };
                let mut buf = [0u8; 4096];
                let _ = tls.read(&mut buf).await;
                let body = "<html><body><p>served over TLS</p></body></html>";
                let _ = tls
                    .write_all(
                        format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: {}\r\n\r\n{body}",
                            body.len()
                        )
                        .as_bytes(),
                    )
                    .await;
                let _ = tls.shutdown().await;
            });
        }
    });
    addr
}
