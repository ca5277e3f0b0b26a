//! The shared seed articles through `ingest`, and the systemd unit through
//! `systemd-analyze verify`. Both skip with a notice when their inputs are absent.

mod common;

use common::app::{App, BIN, shared_fixtures};

#[test]
fn seeds_ingest_with_headlines_and_clean_bodies() {
    let Some(fx) = shared_fixtures() else { return };
    let app = App::new("");
    let seeds = [
        ("000_e92ab0763de41a1e.txt", "Analysis", None),
        (
            "001_463c6f326f30aa5e.txt",
            "UA News",
            Some(
                "Europe is ready to finalize security guarantees for Ukraine in January, says Euractiv",
            ),
        ),
        (
            "002_817b301a125f74a8.txt",
            "Explainer",
            Some("Zelenskyy-Trump Meeting: US Security Guarantees for Ukraine on the Horizon?"),
        ),
        (
            "003_f11721f52ebed780.txt",
            "Wire",
            Some("Paris gathers Kyiv's allies... Post-war guarantees on the table"),
        ),
        (
            "004_8ed0c5be96e9054a.txt",
            "Syndicated",
            Some("Why Security Guarantees Are So Crucial, and Thorny, for Ukraine"),
        ),
    ];
    for (file, outlet, headline) in seeds {
        let path = fx.join("seeds").join(file);
        let url = format!(
            "https://{}.example/{file}",
            outlet.to_lowercase().replace(' ', "-")
        );
        app.ok(&[
            "ingest",
            path.to_str().unwrap(),
            "--outlet",
            outlet,
            "--url",
            &url,
        ]);
        let v = app.json(&["show", &url]);
        assert_eq!(v["extracted"]["headline"].as_str(), headline, "{file}");
        let text = v["extracted"]["text"].as_str().unwrap();
        for junk in [
            "No Result",
            "View All Result",
            "Related Articles",
            "Back to top",
            "Leave a Comment",
            "appeared first on",
        ] {
            assert!(!text.contains(junk), "{file}: {junk:?} leaked");
        }
        // Ingesting the same file again is not a new version.
        app.ok(&[
            "ingest",
            path.to_str().unwrap(),
            "--outlet",
            outlet,
            "--url",
            &url,
        ]);
        assert_eq!(app.version_count(&url), 1, "{file}");
    }
    // 004's body stops before the aggregator's teaser list.
    let v = app.json(&[
        "show",
        "https://syndicated.example/004_8ed0c5be96e9054a.txt",
    ]);
    assert!(
        !v["extracted"]["text"]
            .as_str()
            .unwrap()
            .contains("Trump throws tantrum")
    );
    assert_eq!(app.json(&["articles"]).as_array().unwrap().len(), 5);
}

#[test]
fn systemd_unit_verifies() {
    let Ok(out) = std::process::Command::new("systemd-analyze")
        .arg("--version")
        .output()
    else {
        eprintln!("NOTICE: systemd-analyze not installed; skipping the unit-file check");
        return;
    };
    assert!(out.status.success());
    let unit = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/systemd/factdiff.service"
    ))
    .unwrap();
    for key in [
        "Type=notify",
        "WatchdogSec=",
        "ExecStartPre=/usr/local/bin/factdiff validate",
        "ExecReload=",
        "StateDirectory=factdiff",
        "User=factdiff",
        "ProtectSystem=strict",
        "NoNewPrivileges=yes",
    ] {
        assert!(unit.contains(key), "unit lacks {key}");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("factdiff.service");
    std::fs::write(&path, unit.replace("/usr/local/bin/factdiff", BIN)).unwrap();
    let out = std::process::Command::new("systemd-analyze")
        .arg("verify")
        .arg(&path)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && !err.contains("factdiff.service:"),
        "systemd-analyze verify: {err}"
    );
}

#[test]
fn shipped_config_is_valid_and_offline() {
    let out = std::process::Command::new(BIN)
        .args([
            "-c",
            concat!(env!("CARGO_MANIFEST_DIR"), "/config/factdiff.toml"),
            "validate",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/config/factdiff.toml"))
            .unwrap();
    let active: Vec<&str> = text
        .lines()
        .filter(|l| l.trim_start().starts_with("url") && !l.trim_start().starts_with('#'))
        .collect();
    assert_eq!(
        active,
        vec!["url = \"sqlite://data/factdiff.db\""],
        "the shipped config must not fetch anything"
    );
}
