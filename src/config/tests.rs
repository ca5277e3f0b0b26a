use super::*;

fn env(name: &str) -> Option<String> {
    match name {
        "HOOK_SECRET" => Some("s3cr\"et".into()),
        _ => None,
    }
}

#[test]
fn empty_config_has_defaults() {
    let c = Config::parse("", &env).unwrap();
    assert_eq!(c.storage.url, "sqlite://data/factdiff.db");
    assert_eq!(c.fetch.timeout, Duration::from_secs(20));
    assert_eq!(c.schedule.recheck.len(), 3);
    assert!(c.sources.is_empty());
    assert!(c.notify.log);
}

#[test]
fn full_config_parses() {
    let src = r#"
[storage]
url = "sqlite:///tmp/x.db"
[fetch]
user_agent = "ua"
per_host_delay = "500ms"
max_body = "2MB"
[schedule]
recheck = ["5m until 1h"]
[[source]]
name = "inbox"
kind = "folder"
path = "./inbox"
outlet = "Desk"
[[source]]
name = "p"
kind = "page"
url = "https://example.org/a"
interval = "10m"
[[notify.webhook]]
url = "https://hooks.example.org/x"
secret = "${HOOK_SECRET}"
events = ["article.new", "fact.changed"]
[log]
format = "json"
"#;
    let c = Config::parse(src, &env).unwrap();
    assert_eq!(c.fetch.max_body, 2_000_000);
    assert_eq!(c.fetch.per_host_delay, Duration::from_millis(500));
    assert_eq!(c.sources.len(), 2);
    assert_eq!(c.sources[1].interval, Duration::from_secs(600));
    assert_eq!(c.notify.webhooks[0].secret, "s3cr\"et");
    assert_eq!(c.log.format, LogFormat::Json);
}

#[test]
fn reports_every_problem_with_location() {
    let src = r#"[fetch]
timeout = "soon"
colour = "blue"

[[source]]
name = "a"
kind = "page"

[[source]]
name = "a"
kind = "rss"
url = "ftp://x"

[[notify.webhook]]
url = "https://h.example/x"
secret = "${NOPE}"
events = ["article.exploded"]
"#;
    let errs = Config::parse(src, &env).unwrap_err();
    let text: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
    let all = text.join("\n");
    assert!(
        all.contains("line 2: fetch.timeout: invalid duration \"soon\""),
        "{all}"
    );
    assert!(
        all.contains("line 3: fetch.colour: unknown key \"colour\""),
        "{all}"
    );
    assert!(
        all.contains("source \"a\": kind \"page\" needs a \"url\""),
        "{all}"
    );
    assert!(
        all.contains("line 11: source[2].kind: unknown source kind \"rss\""),
        "{all}"
    );
    assert!(all.contains("duplicate source name \"a\""), "{all}");
    assert!(
        all.contains("environment variable NOPE is not set"),
        "{all}"
    );
    assert!(
        all.contains("unknown event type \"article.exploded\""),
        "{all}"
    );
    assert!(errs.len() >= 7, "{all}");
}

#[test]
fn syntax_errors_have_lines() {
    let errs = Config::parse("[fetch]\ntimeout = \n", &env).unwrap_err();
    assert_eq!(errs[0].line, Some(2), "{errs:?}");
}

#[test]
fn non_loopback_web_needs_token() {
    let errs = Config::parse("[web]\nlisten = \"0.0.0.0:8080\"\n", &env).unwrap_err();
    assert!(errs[0].message.contains("requires web.token"));
    assert!(Config::parse("[web]\nlisten = \"127.0.0.1:8080\"\n", &env).is_ok());
    let c = Config::parse(
        "[web]\nlisten = \"0.0.0.0:8080\"\ntoken = \"a\"\nfeed_token = \"b\"\n",
        &env,
    )
    .unwrap();
    assert_eq!(c.web.feed_token.as_deref(), Some("b"));
    let errs = Config::parse("[web]\ntoken = \"a\"\nfeed_token = \"a\"\n", &env).unwrap_err();
    assert!(
        errs[0].message.contains("must differ"),
        "{}",
        errs[0].message
    );
}

#[test]
fn wrong_types_are_named() {
    let errs = Config::parse("[fetch]\nrobots = \"yes\"\nmax_redirects = -1\n", &env).unwrap_err();
    assert!(
        errs[0]
            .to_string()
            .contains("expected true or false, found string"),
        "{errs:?}"
    );
    assert!(
        errs[1]
            .to_string()
            .contains("non-negative integer, found -1"),
        "{errs:?}"
    );
}

#[test]
fn extract_site_rules() {
    let src = r#"
[[extract.site]]
host = "news.example"
content = "div.story-body"
remove = [".promo", "aside.more"]
published = "time.pub"

[[extract.site]]
host = "other.example"
headline = ["h1.title"]
"#;
    let c = Config::parse(src, &env).unwrap();
    assert_eq!(c.extract.sites.len(), 2);
    assert_eq!(c.extract.sites[0].content, ["div.story-body"]);
    assert_eq!(c.extract.sites[0].remove, [".promo", "aside.more"]);
    assert_eq!(c.extract.rules.len(), 2);
    assert!(c.extract.rules[1].covers("www.other.example"));
}

#[test]
fn extract_site_errors_name_the_selector_and_line() {
    let src = "[[extract.site]]\nhost = \"a.example\"\ncontent = \"div[\"\nremove = [\"ok\", \"::x(\"]\nbogus = 1\n\n[[extract.site]]\ncontent = \"p\"\n";
    let problems = Config::parse(src, &env).unwrap_err();
    let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert!(
        text.iter().any(
            |t| t.starts_with("line 3: extract.site[1].content: invalid CSS selector \"div[\"")
        ),
        "{text:#?}"
    );
    assert!(
        text.iter()
            .any(|t| t.contains("extract.site[1].remove: invalid CSS selector \"::x(\"")),
        "{text:#?}"
    );
    assert!(
        text.iter()
            .any(|t| t.contains("extract.site[1].bogus") || t.contains("bogus")),
        "{text:#?}"
    );
    assert!(
        text.iter()
            .any(|t| t.contains("extract.site[2]") && t.contains("host")),
        "{text:#?}"
    );
}

#[test]
fn conflict_threshold_is_a_fraction() {
    let env = |_: &str| None::<String>;
    let ok = Config::parse("[notify]\nconflict_min_severity = 0.5\n", &env).unwrap();
    assert_eq!(ok.notify.conflict_min_severity, 0.5);
    let default = Config::parse("", &env).unwrap();
    assert_eq!(
        default.notify.conflict_min_severity,
        crate::stories::NOTIFY_MIN_SEVERITY
    );
    for bad in ["2", "-0.1", "\"high\""] {
        let errs =
            Config::parse(&format!("[notify]\nconflict_min_severity = {bad}\n"), &env).unwrap_err();
        let all: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
        assert!(
            all.join("\n")
                .contains("line 2: notify.conflict_min_severity: expected a number from 0 to 1"),
            "{all:?}"
        );
    }
}

#[cfg(feature = "postgres")]
#[test]
fn storage_urls_are_checked_and_passwords_never_printed() {
    let bad = Config::parse(
        "[storage]\nurl = \"postgres://u:secret@127.0.0.1:notaport/db\"\n",
        &env,
    )
    .unwrap_err();
    let msg = format!("{bad:?}");
    assert!(msg.contains("invalid PostgreSQL URL"), "{msg}");
    assert!(!msg.contains("secret"), "{msg}");
    let no_db = Config::parse("[storage]\nurl = \"postgres://u@h\"\n", &env).unwrap_err();
    assert!(format!("{no_db:?}").contains("names no database"));
    let ok = Config::parse(
        "[storage]\nurl = \"postgres://u:pw@db.example.org:5433/fd\"\nlease = \"2m\"\n",
        &env,
    )
    .unwrap();
    assert!(ok.storage.is_postgres());
    assert_eq!(ok.storage.lease, Duration::from_secs(120));
    let other = Config::parse("[storage]\nurl = \"mysql://x/y\"\n", &env).unwrap_err();
    assert!(format!("{other:?}").contains("expected sqlite://PATH or postgres://"));
}

#[test]
fn keep_raw_is_a_duration_of_at_least_a_day() {
    let ok = Config::parse("[storage]\nkeep_raw = \"90d\"\n", &|_| None).unwrap();
    assert_eq!(ok.storage.keep_raw, Some(Duration::from_secs(90 * 86_400)));
    assert_eq!(Config::parse("", &|_| None).unwrap().storage.keep_raw, None);
    let short = Config::parse("[storage]\nkeep_raw = \"2h\"\n", &|_| None).unwrap_err();
    assert!(
        short
            .iter()
            .any(|p| p.to_string().contains("storage.keep_raw")),
        "{short:?}"
    );
    let bad = Config::parse("[storage]\nkeep_raw = \"forever\"\n", &|_| None).unwrap_err();
    assert!(
        bad.iter()
            .any(|p| p.to_string().contains("storage.keep_raw")),
        "{bad:?}"
    );
}
