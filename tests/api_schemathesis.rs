//! The OpenAPI document checked against the live server by a client nobody here wrote:
//! `schemathesis` (PyPI) generates requests from `/api/v1/openapi.json`, valid and invalid,
//! sends them to `factdiff serve` over a store built by ingesting versions, and checks every
//! response against the document (status codes, content types, schemas, no 5xx, invalid
//! input refused, valid input accepted). Skips with a notice when schemathesis is absent
//! (`.ci/run` installs it). `FACTDIFF_SCHEMATHESIS_EXAMPLES` and `..._SEED` tune the run.

mod common;
mod support;

use std::process::Command;

use common::app::App;
use support::store::{build_store, serve};

/// `st` (or `schemathesis`) when it runs.
fn schemathesis() -> Option<&'static str> {
    ["st", "schemathesis"].into_iter().find(|p| {
        Command::new(p)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

#[test]
fn the_openapi_document_matches_the_live_server() {
    let Some(st) = schemathesis() else {
        eprintln!(
            "NOTICE: skipping the schemathesis check: `st` not found (pip install schemathesis)"
        );
        return;
    };
    let app = App::new("[web]\ntoken = \"api-check-token\"\n");
    build_store(&app);
    let server = serve(&app);
    let examples =
        std::env::var("FACTDIFF_SCHEMATHESIS_EXAMPLES").unwrap_or_else(|_| "40".to_string());
    let seed = std::env::var("FACTDIFF_SCHEMATHESIS_SEED").unwrap_or_else(|_| "1".to_string());
    let out = Command::new(st)
        .current_dir(app.dir.path())
        .args([
            "--no-color",
            "run",
            &format!("{}/api/v1/openapi.json", server.base),
            "--checks",
            "all",
            "--header",
            "Authorization: Bearer api-check-token",
            "--max-examples",
            &examples,
            "--seed",
            &seed,
            "--workers",
            "2",
        ])
        .output()
        .expect("running schemathesis");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "schemathesis found mismatches:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<&str> = stdout.lines().filter(|l| !l.trim().is_empty()).collect();
    eprintln!("{}", lines[lines.len().saturating_sub(4)..].join("\n"));
}
