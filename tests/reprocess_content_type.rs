//! `factdiff reprocess` reads each raw page under the Content-Type it was served with
//! (schema V12), through the real binary: pages fetched by `factdiff check` from a real HTTP
//! server, then re-processed with nothing changed in the extractor, must extract exactly as
//! the daemon stored them. Sniffing the type again from the first bytes got three kinds of
//! page wrong: HTML that opens with a long `<style>` block (24 of the 1,746 shared fixture
//! pages) read as plain text, a plain-text page with `<...>` in its opening read as HTML, and
//! a legacy charset given only in the header guessed again from the bytes.

mod common;

use common::PageServer;
use common::app::App;

const PARAS: [&str; 3] = [
    "The council approved the new harbour budget on Tuesday after a long debate about the ferry timetable and the cost of repairs.",
    "Members said 412 residents had written to the committee about the harbour since the spring, most of them asking for later ferries.",
    "A spokesperson said the work would cost 2.4 million pounds and take eleven months, starting in the first week of March.",
];

/// An article page whose first 512 characters are a `<style>` block, as ad-interstitial
/// templates ship them: no `<html>`, `<head>`, `<body>` or `<p>` in sight of the sniffer.
fn styled_page() -> String {
    let css: String = (0..24)
        .map(|i| format!("  #welcome-ad-{i} {{ position: fixed; top: 0; width: 100%; }}\n"))
        .collect();
    let body: String = PARAS.iter().map(|p| format!("<p>{p}</p>")).collect();
    format!(
        "<style type=\"text/css\">\n{css}</style>\n<!DOCTYPE html><html><head><title>Harbour budget approved</title></head>\
         <body><article><h1>Harbour budget approved</h1>{body}</article></body></html>"
    )
}

/// A plain-text press release whose opening holds angle brackets: sniffed, it is HTML.
fn press_release() -> String {
    format!(
        "<<EMBARGOED UNTIL 00:01 TUESDAY>>\nContact: Jane Doe <press@council.example>\n\n{}\n",
        PARAS.join("\n\n")
    )
}

/// A Czech page in ISO-8859-2 whose charset is only in the Content-Type header.
fn latin2_page() -> Vec<u8> {
    let paras = [
        "Městská rada ve středu schválila rozpočet přístavu. Oprava mostu bude stát 48 milionů korun a potrvá jedenáct měsíců.",
        "Podle mluvčího se na radnici obrátilo 412 obyvatel, kteří žádali pozdější spoje přívozu a lepší osvětlení nábřeží.",
        "Práce začnou v březnu. Zastupitelé se k rozpočtu vrátí příští týden, až dostanou přesný harmonogram a smlouvu se stavební firmou.",
    ];
    let body: String = paras.iter().map(|p| format!("<p>{p}</p>")).collect();
    let html = format!(
        "<!DOCTYPE html><html><head><title>Rozpočet přístavu</title></head><body><article>\
         <h1>Rada schválila rozpočet přístavu</h1>{body}</article></body></html>"
    );
    let (bytes, _, unmappable) = encoding_rs::ISO_8859_2.encode(&html);
    assert!(!unmappable);
    bytes.into_owned()
}

fn text_of(app: &App, url: &str) -> String {
    let v = app.json(&["show", url]);
    v["extracted"]["text"]
        .as_str()
        .map(String::from)
        .unwrap_or_else(|| v.to_string())
}

#[tokio::test(flavor = "multi_thread")]
async fn reprocess_reads_each_page_under_its_stored_content_type() {
    let site = PageServer::start().await;
    site.set_body("/styled", "text/html", styled_page().as_bytes());
    site.set_body(
        "/release",
        "text/plain; charset=utf-8",
        press_release().as_bytes(),
    );
    site.set_body("/latin2", "text/html; charset=iso-8859-2", &latin2_page());
    let paths = ["/styled", "/release", "/latin2"];
    let sources: String = paths
        .iter()
        .map(|p| {
            format!(
                "[[source]]\nname = \"{}\"\nkind = \"page\"\nurl = \"{}\"\ninterval = \"1h\"\n",
                &p[1..],
                site.url(p)
            )
        })
        .collect();
    let app = App::new(&format!("[notify]\nlog = false\n\n{sources}"));
    let report = app.json(&["check", "--all"]);
    assert_eq!(report["failed"], 0, "{report}");

    // what the daemon stored: the article text, not the markup around it
    let styled = text_of(&app, &site.url("/styled"));
    assert!(
        styled.contains("412 residents") && !styled.contains("welcome-ad"),
        "{styled}"
    );
    let release = text_of(&app, &site.url("/release"));
    assert!(
        release.contains("press@council.example") && release.contains("412 residents"),
        "{release}"
    );
    let latin2 = text_of(&app, &site.url("/latin2"));
    assert!(latin2.contains("Městská rada ve středu"), "{latin2}");

    // re-read with the same extractor: nothing may change
    let dry = app.json(&["reprocess", "--dry-run"]);
    let t = &dry["totals"];
    assert_eq!(t["versions"], 3, "{t:#}");
    assert_eq!(t["kept_without_raw"], 0, "{t:#}");
    assert_eq!(t["reextracted"], 0, "{dry:#}");
    assert_eq!(t["reflagged"], 0, "{dry:#}");
    app.json(&["reprocess"]);
    assert_eq!(text_of(&app, &site.url("/styled")), styled);
    assert_eq!(text_of(&app, &site.url("/release")), release);
    assert_eq!(text_of(&app, &site.url("/latin2")), latin2);
}
