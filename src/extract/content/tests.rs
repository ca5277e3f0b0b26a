use super::*;
use page::same_page_anchor;
use scraper::Html;

fn extract(html: &str) -> Result<Body, ContentError> {
    let doc = Html::parse_document(html);
    extract_body(&Dom::new(&doc), None, None)
}

pub(super) const PARAS: [&str; 4] = [
    "The harbour authority confirmed on Monday that the northern pier will close for repairs in March, affecting ferry routes.",
    "Engineers found corrosion in several support columns during a routine inspection last autumn, the authority said in a statement.",
    "Ferry operators said passengers would be moved to the southern terminal, adding roughly ten minutes to most crossings.",
    "The repairs are expected to cost about 4.2 million euros and to last until the end of the summer season.",
];

fn page(article_extra: &str, outside: &str) -> String {
    format!(
        r#"<!doctype html><html><head><title>Pier to close for repairs | Coast Herald</title>
        <meta property="og:site_name" content="Coast Herald"></head><body>
        <header><a href="/">Coast Herald</a> <a href="/local">Local</a></header>
        <nav><ul><li><a href="/a">Politics</a></li><li><a href="/b">Sport</a></li></ul></nav>
        <article><h1>Pier to close for repairs</h1><p class="byline">By Mira Holt</p>
        <p>{}</p><h2>Ferry routes change</h2><p>{}</p>
        <ul><li>Route 4 moves to the southern terminal from 3 March.</li><li>Route 7 keeps its usual timetable.</li></ul>
        <blockquote>We had no choice once the survey came back, the harbour master said.</blockquote>
        {article_extra}<p>{}</p><p>{}</p></article>{outside}
        <footer><p>Copyright Coast Herald. All rights reserved. Contact us about this site.</p></footer>
        </body></html>"#,
        PARAS[0], PARAS[1], PARAS[2], PARAS[3]
    )
}

fn assert_clean(body: &Body) {
    let all = body.paragraphs.join("\n").to_lowercase();
    for junk in [
        "related",
        "facebook",
        "48 comments",
        "sign up",
        "politics",
        "copyright",
        "coast herald</a>",
    ] {
        assert!(
            !all.contains(junk),
            "{junk:?} left in {:#?}",
            body.paragraphs
        );
    }
}

#[test]
fn keeps_blocks_in_order() {
    let b = extract(&page("", "")).unwrap();
    let want = [
        PARAS[0],
        "Ferry routes change",
        PARAS[1],
        "Route 4 moves to the southern terminal from 3 March.",
        "Route 7 keeps its usual timetable.",
        "We had no choice once the survey came back, the harbour master said.",
        PARAS[2],
        PARAS[3],
    ];
    let got: Vec<&str> = b
        .paragraphs
        .iter()
        .map(String::as_str)
        .filter(|p| !p.starts_with("By "))
        .collect();
    assert_eq!(got, want);
    assert_eq!(b.method, "scored");
    assert!(b.link_density < 0.05);
    assert!(
        b.paragraphs
            .iter()
            .all(|p| !p.is_empty() && !p.contains("  "))
    );
}

#[test]
fn drops_furniture_inside_article_by_class() {
    let extra = r##"<div class="related-articles"><h3>Related</h3><ul>
        <li><a href="/x">Council approves new budget for coastal roads</a></li>
        <li><a href="/y">Storm damages boats in the old marina</a></li></ul></div>
        <div class="share-bar"><a href="#">Facebook</a><a href="#">X</a><a href="#">Email</a></div>
        <a class="comment-count" href="#comments">48 comments</a>
        <div class="newsletter-box"><p>Sign up for our morning briefing, delivered to your inbox every day.</p></div>"##;
    let b = extract(&page(extra, "")).unwrap();
    assert_clean(&b);
    assert!(
        b.paragraphs.iter().any(|p| p == PARAS[3]),
        "{:#?}",
        b.paragraphs
    );
}

#[test]
fn drops_boilerplate_without_classes() {
    let extra = r##"<h3>Related articles</h3><ul>
        <li><a href="/x">Council approves new budget for coastal roads</a></li>
        <li><a href="/y">Storm damages boats in the old marina</a></li></ul>
        <p><a href="#">Share</a> <a href="#">Facebook</a> <a href="#">WhatsApp</a> <a href="#">Copy link</a></p>
        <p><a href="#c">48 comments</a></p><p>Read more: <a href="/z">Harbour fees to rise next year</a></p>"##;
    let b = extract(&page(extra, "")).unwrap();
    assert_clean(&b);
    assert!(
        !b.paragraphs.iter().any(|p| p.contains("Harbour fees")),
        "{:#?}",
        b.paragraphs
    );
    assert_eq!(
        b.paragraphs
            .iter()
            .filter(|p| PARAS.contains(&p.as_str()))
            .count(),
        4
    );
}

#[test]
fn drops_page_furniture_outside_article() {
    let aside = r#"<aside class="sidebar"><h2>Most read</h2><p>A long teaser paragraph about something else entirely, with enough words to look like prose.</p></aside>"#;
    let b = extract(&page("", aside)).unwrap();
    assert_clean(&b);
    assert!(
        !b.paragraphs.iter().any(|p| p.contains("teaser")),
        "{:#?}",
        b.paragraphs
    );
}

#[test]
fn garbage_is_an_error_not_a_panic() {
    for input in [
        "",
        "   \n",
        "\u{0}\u{1}\u{2}\u{3}<p>\u{4}\u{5}\u{6}\u{7}",
        "<html><body></body></html>",
        "<<<>>><div>",
        "<p>",
        "<!-- only a comment -->",
    ] {
        assert!(extract(input).is_err(), "{input:?}");
    }
}

#[test]
fn deep_nesting_does_not_overflow() {
    // ~2 MB, 20,000 nested divs, run on a thread with a small (1 MiB) stack
    let mut html = String::from("<html><body>");
    for i in 0..20_000 {
        html.push_str(&format!("<div class=\"level l{i}\">lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor "));
    }
    html.push_str(&format!("<p>{}</p>", PARAS[0]));
    html.push_str(&"</div>".repeat(20_000));
    html.push_str("</body></html>");
    assert!(html.len() > 2_000_000);
    let t = std::thread::Builder::new().stack_size(1 << 20);
    let r = t
        .spawn(move || extract(&html).map(|b| b.paragraphs.join(" ")))
        .unwrap();
    let text = r
        .join()
        .expect("no stack overflow or panic")
        .expect("content found");
    assert!(text.contains("harbour authority confirmed"));
}

#[test]
fn boilerplate_numbers_never_reach_the_text() {
    // widgets and counters inside the article container, with no helpful class names
    let extra = r##"<div><span>1.2K</span> <span>shares</span></div>
        <p><a href="#c">48 Comments</a></p>
        <p>Updated 5 minutes ago</p>
        <div>London 14°C Partly cloudy</div>
        <p>FTSE 100 7,501.20 -0.31% | DOW 34,567.12 +0.45%</p>
        <p>3 min read</p>
        <p>Temperatures reached 31°C on Sunday, the hottest day this year, forecasters said.</p>"##;
    let b = extract(&page(extra, "")).unwrap();
    let text = b.paragraphs.join("\n");
    for junk in [
        "1.2K",
        "48",
        "5 minutes",
        "14°C",
        "7,501",
        "34,567",
        "3 min",
    ] {
        assert!(!text.contains(junk), "{junk:?} leaked into {text}");
    }
    // article numbers, including a temperature in a real sentence, stay
    for fact in ["4.2 million euros", "31°C on Sunday", "ten minutes"] {
        assert!(text.contains(fact), "{fact:?} lost from {text}");
    }
}

#[test]
fn lead_paragraphs_in_their_own_box_are_kept() {
    // The first paragraph sits in its own box before a video; the rest of the body is one
    // level deeper in a sibling column, so sibling joining alone does not reach the lead.
    let body_paras: String = PARAS[1..]
        .iter()
        .chain(PARAS[1..].iter())
        .map(|p| format!("<p>{p}</p>"))
        .collect();
    let html = format!(
        r#"<html><body><nav><a href="/">Home</a></nav><article><h1>Pier to close</h1>
        <div class="intro"><div class="col"><p>{}</p></div></div>
        <div class="video"><figure><p>Watch: the pier at dawn, filmed last week.</p></figure></div>
        <div class="row"><div class="col"><div class="story">{body_paras}</div></div></div>
        </article></body></html>"#,
        PARAS[0]
    );
    let b = extract(&html).unwrap();
    assert_eq!(b.paragraphs[0], PARAS[0], "{:#?}", b.paragraphs);
    assert!(!b.paragraphs.iter().any(|p| p.contains("Watch")));
}

#[test]
fn lead_paragraphs_only_from_the_article_container() {
    // Outside any <article>/<main>, a sentence before the body is not pulled in.
    let body_paras: String = PARAS.iter().map(|p| format!("<p>{p}</p>")).collect();
    let html = format!(
        r#"<html><body><div class="promo-box"><div><p>Our reporters cover the coast every day.</p></div></div>
        <div class="row"><div class="col"><div class="story">{body_paras}</div></div></div>
        </body></html>"#
    );
    let b = extract(&html).unwrap();
    assert_eq!(b.paragraphs[0], PARAS[0], "{:#?}", b.paragraphs);
}

#[test]
fn captions_and_photo_credits_never_reach_the_text() {
    let extra = r#"<div class="wp-caption-text">Workers inspect the pier on 3 March 2024.</div>
        <p class="story-meta__credit">The harbour master speaks to reporters at the pier, Monday, Oct. 17, 2022.</p>
        <p class="photo-credit">Jane Roe/Getty Images</p>"#;
    let b = extract(&page(extra, "")).unwrap();
    let all = b.paragraphs.join("\n");
    for junk in ["3 March 2024", "Oct. 17", "Getty"] {
        assert!(!all.contains(junk), "{junk:?} left in {:#?}", b.paragraphs);
    }
    assert!(all.contains(PARAS[3]));
}

#[test]
fn javascript_links_are_not_link_text() {
    // Text wrapped in a `javascript:` link is the page's text, not a link list.
    let html = r#"<html><body><a href="javascript:"><p>The pier closes in March.</p>
        <p>Ferries move to the southern terminal.</p> Repairs last until summer.</a></body></html>"#;
    let b = extract(html).unwrap();
    assert_eq!(
        b.paragraphs,
        [
            "The pier closes in March.",
            "Ferries move to the southern terminal.",
            "Repairs last until summer."
        ]
    );
    assert!(b.link_density < 0.01);
}

#[test]
fn paywall_wrapper_around_the_text_is_not_furniture() {
    // "subscription-content" wraps the article for subscribers; the long footer keeps the
    // wrapper under the 40 % paragraph-text guard, so only the name can save it.
    let body_paras: String = PARAS.iter().map(|p| format!("<p>{p}</p>")).collect();
    let footer: String = (0..3)
        .map(|i| {
            format!(
                "<aside>{}</aside>",
                format!("<p>This site and its {i} partner papers follow the press code and its complaints rules.</p>").repeat(4)
            )
        })
        .collect();
    let html = format!(
        r#"<html><body><article><h1>Pier to close</h1><div id="subscription-content">{body_paras}</div>
        <div class="subscribe-box"><p>Subscribe now for unlimited access, only 1 euro a week.</p></div>
        </article>{footer}</body></html>"#
    );
    let b = extract(&html).unwrap();
    assert_eq!(b.paragraphs, PARAS, "{:#?}", b.paragraphs);
}

#[test]
fn a_short_cjk_article_beats_a_longer_english_footer() {
    // japan.zdnet's shape: three short Japanese paragraphs (under 420 raw characters, over it
    // counted as information) and a footer paragraph of English licence text: with raw counts
    // the strict attempt is "too short" and the relaxed one takes the footer too
    let html = r#"<html><body>
      <div class="leaf_content"><div class="article_body">
        <p>　2017年にリリース予定の低価格ポケットサイズコンピュータは、「Android Marshmallow」と「Windows 10」のフルバージョンが動作する。</p>
        <p>　「UP Core」は、「ubilinux（Debian）」や「Ubuntu」「Yocto」など、さまざまなOSが動作するシングルボードコンピュータだ。そして、その性能は「Raspberry Pi 3 Model B」を上回るようだ。価格は約100ドルになる見込みだ。</p>
        <p>（本記事は、TechRepublic Japanで2017年6月8日に掲載した記事からの転載です。続きはTechRepublic Japanでお読みいただけます）</p>
      </div></div>
      <div id="legal"><p>The Japanese edition of 'ZDNet' is published under license from CBS Interactive, Inc., San Francisco, CA, USA. Editorial items appearing in 'ZDNet Japan' that were originally published in the US Edition of 'ZDNet', 'TechRepublic', 'CNET', and 'CNET News.com' are the copyright properties of CBS Interactive, Inc. or its suppliers. Copyright (c) CBS Interactive, Inc. All Rights Reserved.</p></div>
    </body></html>"#;
    let body = extract(html).unwrap();
    let text = body.paragraphs.join("\n");
    assert!(
        text.contains("低価格ポケットサイズコンピュータ"),
        "{} {text}",
        body.method
    );
    assert!(!text.contains("CBS Interactive"), "{} {text}", body.method);
    assert_eq!(
        info_chars("日本 ab"),
        6,
        "CJK counts twice, spaces not at all"
    );
}

#[test]
fn links_to_the_page_itself_are_text() {
    // Genius links every lyric line to its annotation on the same page. Those links lead
    // nowhere else: the lines are the article, not a link list.
    let lines: String = (1..=14)
        .map(|n| {
            format!(
                r#"<a href="//lyrics.example/river-song-lyrics#note-{n}" class="referent">Line {n} of the river song rolls slowly down to the sea</a><br>"#
            )
        })
        .collect();
    let html = format!(
        r#"<html><body><nav><a href="/charts">Charts</a> <a href="/news">News</a></nav>
        <div class="song"><h2>River Song Lyrics</h2><div class="lyrics"><p>{lines}</p></div></div>
        <div class="about"><p>The band recorded it in one take in 1984, the producer said later.</p></div>
        </body></html>"#
    );
    let doc = Html::parse_document(&html);
    let dom = Dom::new(&doc);
    let own = "https://lyrics.example/river-song-lyrics";
    let b = extract_body(&dom, None, Some(own)).unwrap();
    let text = b.paragraphs.join("\n");
    assert!(text.contains("Line 1 of the river song"), "{text}");
    assert!(text.contains("Line 14 of the river song"), "{text}");
    assert!(b.link_density < 0.1, "{}", b.link_density);
    // The same links seen from another page lead elsewhere: link text, and an extraction
    // that is mostly links (flagged as broken downstream).
    let elsewhere = extract_body(&dom, None, Some("https://lyrics.example/other-song")).unwrap();
    assert!(elsewhere.link_density > 0.5, "{}", elsewhere.link_density);
}

#[test]
fn same_page_anchors() {
    assert_eq!(url_path("https://ex.org/a/b/?x=1#y"), "/a/b");
    assert_eq!(url_path("//ex.org/a/b#note-3"), "/a/b");
    assert_eq!(url_path("/a/b#c"), "/a/b");
    assert_eq!(url_path("https://ex.org"), "");
    assert!(same_page_anchor("#fn1", None));
    assert!(same_page_anchor("//ex.org/a/b#note-3", Some("/a/b")));
    assert!(same_page_anchor("https://ex.org/a/b/#c", Some("/a/b")));
    // not a fragment, another page, or no page known: a real link
    assert!(!same_page_anchor("/a/b", Some("/a/b")));
    assert!(!same_page_anchor("/a/c#comments", Some("/a/b")));
    assert!(!same_page_anchor("/a/b#c", None));
    // a site's front page is not every page's own URL
    assert!(!same_page_anchor("https://ex.org/#top", Some("")));
}

#[test]
fn the_standfirst_in_a_link_heavy_header_box_is_kept() {
    // otrs.com: the headline box holds a dateline link, the standfirst and a tag list. Taken
    // as a whole it is link-heavy; its parts are judged one by one, so only the links go.
    let tags: String = [
        "company",
        "employees",
        "hints",
        "human resources",
        "strategy",
    ]
    .iter()
    .map(|t| format!(r#"<a href="/tag/{t}/" rel="tag">{t}</a> | "#))
    .collect();
    let sections: String = PARAS
        .iter()
        .map(|p| format!(r#"<section class="textmodul"><div class="row"><div class="col"><p>{p}</p></div></div></section>"#))
        .collect();
    let html = format!(
        r#"<html><body><main><article><div class="container"><div class="row"><div class="gr-24">
        <div class="dateplusauthor"><span>18/03/2019</span> | <a href="/author/mira/">Mira Holt</a></div>
        <h1>The harbour's northern pier will close</h1>
        <div class="font-size-big"><p>Older piers are often<br> considered safe for decades.<br> Is that true?</p></div>
        <div class="taglist">{tags}</div></div></div></div>{sections}</article></main></body></html>"#
    );
    let b = extract(&html).unwrap();
    assert_eq!(
        b.paragraphs.first().map(String::as_str),
        Some("Older piers are often considered safe for decades. Is that true?"),
        "{:#?}",
        b.paragraphs
    );
    assert!(b.paragraphs.iter().any(|p| p == PARAS[3]));
    let all = b.paragraphs.join("\n");
    assert!(
        !all.contains("employees") && !all.contains("Mira Holt"),
        "{all}"
    );
}

/// Sentences with many commas: they outscore the article's paragraphs.
const FORM_LINES: [&str; 5] = [
    "Welcome back, please enter your e-mail, your password, and your name, then press continue, and wait.",
    "Your password must have eight characters, one capital, one digit, and one symbol, or it is refused.",
    "We sent you an e-mail, with a link, a code, and a note, so please check your inbox, and your spam.",
    "Your registration worked, welcome, you can now save, rate, share, and follow programmes, in full.",
    "We are checking your account, please wait, this takes a moment, a minute, or two, at most, today.",
];

/// The article's paragraphs, twice: above the length at which a short page is taken whole.
fn article_div() -> String {
    PARAS
        .iter()
        .chain(PARAS.iter())
        .map(|p| format!("<p>{p}</p>"))
        .collect()
}

#[test]
fn a_login_form_chosen_gives_way_to_the_next_candidate() {
    let form: String = FORM_LINES
        .iter()
        .chain(FORM_LINES.iter())
        .map(|p| format!("<p>{p}</p>"))
        .collect();
    let html = format!(
        r#"<html><body><div id="story">{}</div>
        <div id="account"><div>{form}<input type="email"><input type="password"></div></div>
        </body></html>"#,
        article_div()
    );
    let b = extract(&html).unwrap();
    assert!(
        b.paragraphs.iter().any(|p| p == PARAS[0]),
        "{:#?}",
        b.paragraphs
    );
    assert!(!b.paragraphs.iter().any(|p| p.contains("password")));
    // without the password field the same box is text, and it wins as before
    let b = extract(&html.replace(r#"type="password""#, r#"type="text""#)).unwrap();
    assert!(
        b.paragraphs.iter().any(|p| p.contains("password")),
        "{:#?}",
        b.paragraphs
    );
}

#[test]
fn a_chrome_box_chosen_gives_way_to_the_next_candidate() {
    let legal: String = (0..6)
        .map(|k| format!("<p>© 202{k} Coast Herald, Harbour Street {k}, Port, Region, all rights reserved, reprints, syndication.</p>"))
        .collect();
    let html = format!(
        r#"<html><body><div id="story">{}</div><div id="legal">{legal}</div></body></html>"#,
        article_div()
    );
    let b = extract(&html).unwrap();
    assert!(
        b.paragraphs.iter().any(|p| p == PARAS[0]),
        "{:#?}",
        b.paragraphs
    );
    // labelled data lines are not chrome: a fact sheet stays the text of its page
    let facts: String = (0..8)
        .map(|k| {
            format!("<p>Pack size {k}, tablets, blister, lactose, starch, magnesium, stearate</p>")
        })
        .collect();
    let html = format!(
        r#"<html><body><div id="facts">{facts}</div><div id="about"><p>{}</p></div></body></html>"#,
        PARAS[0]
    );
    let b = extract(&html).unwrap();
    assert!(
        b.paragraphs.iter().any(|p| p.starts_with("Pack size")),
        "{:#?}",
        b.paragraphs
    );
}

#[test]
fn a_layout_wrapper_named_sidebar_around_the_article_stays() {
    let html = format!(
        r#"<html><body><div class="container right-sidebar"><article><h1>Pier to close</h1>{}</article>
        <div class="sidebar"><article><h2>Other news</h2><p>A teaser about another story.</p></article></div>
        </div></body></html>"#,
        article_div()
    );
    let doc = Html::parse_document(&html);
    let dom = Dom::new(&doc);
    let page = PageText::new(&dom, None);
    let find = |class: &str| {
        (0..dom.len())
            .find(|&i| dom.nodes[i].attrs.class == class)
            .unwrap()
    };
    // as if the page had much more paragraph text elsewhere (the 40 % guard off)
    let total = page.p_chars[0] * 10;
    let (wrapper, sidebar) = (find("container right-sidebar"), find("sidebar"));
    assert!(!furniture_box(
        &dom,
        &page,
        wrapper,
        Tag::Div,
        ATTEMPTS[0],
        total
    ));
    // the real sidebar inside it is still furniture
    assert!(furniture_box(
        &dom,
        &page,
        sidebar,
        Tag::Div,
        ATTEMPTS[0],
        total
    ));
}

#[test]
fn a_promoted_node_is_the_article_not_a_promo() {
    // Drupal marks front-page nodes "node--promoted"; a long page footer keeps the article
    // under the 40 % guard, so only the class name decides
    let body_paras: String = PARAS.iter().map(|p| format!("<p>{p}</p>")).collect();
    let footer: String = (0..3)
        .map(|i| {
            format!(
                "<aside>{}</aside>",
                format!("<p>This site and its {i} partner papers follow the press code and its complaints rules.</p>").repeat(4)
            )
        })
        .collect();
    let html = format!(
        r#"<html><body><div class="node node--type-article node--promoted"><h1>Pier to close</h1>{body_paras}</div>
        <div class="promo-box"><p>Try our app today for the latest news from the coast.</p></div>{footer}</body></html>"#
    );
    let b = extract(&html).unwrap();
    assert_eq!(b.paragraphs, PARAS, "{:#?}", b.paragraphs);
}

#[test]
fn the_standfirst_after_the_headline_in_its_box_is_text_and_a_closing_badge_is_not() {
    // the headline box ("post-header": Readability's "unlikely" word) sits outside the body
    // container; its standfirst is article text. A short link line closing the article (a
    // trust badge) is not.
    let body_paras: String = PARAS.iter().map(|p| format!("<p>{p}</p>")).collect();
    let html = format!(
        r#"<html><body><article><div class="post-header"><h1>Pier to close</h1>
        <h3 class="subtitle">Repairs will take most of the spring season</h3>
        <div class="byline">By Ann Lee</div></div>
        <div class="post-body">{body_paras}
        <p class="badge">Our standards: <a href="/principles">The Harbour Post Principles</a></p></div>
        </article></body></html>"#
    );
    let b = extract(&html).unwrap();
    let mut want = vec!["Repairs will take most of the spring season"];
    want.extend(PARAS);
    assert_eq!(b.paragraphs, want, "{:#?}", b.paragraphs);
    // a label after the headline is no standfirst
    let html = html.replace("Repairs will take most of the spring season", "LIVE");
    let b = extract(&html).unwrap();
    assert_eq!(b.paragraphs, PARAS, "{:#?}", b.paragraphs);
}

/// A page without `<article>`/`<main>`: headline, a box between it and the body, the body.
fn headline_box_page(between: &str) -> String {
    let body_paras: String = PARAS
        .iter()
        .chain(&MORE)
        .map(|p| format!("<p>{p}</p>"))
        .collect();
    format!(
        r#"<html><body><div class="page"><div class="top"><div class="kicker-box">
        <div class="kicker">The harbour board met on Friday and agreed the plan, members said.</div></div>
        <h1>Pier to close for repairs</h1></div>
        <div class="intro">{between}</div>
        <div class="wrap"><div class="text">{body_paras}</div></div></div></body></html>"#
    )
}

#[test]
fn the_lead_between_the_headline_and_the_body_is_text_without_an_article_container() {
    // a text-only <div> standfirst in its own box after the headline: no <article> holds it,
    // so only the headline's position says it belongs to the text after it
    let lead = "Ferries move to the southern terminal while the northern pier is repaired.";
    let b = extract(&headline_box_page(&format!(
        r#"<div class="abstract">{lead}</div>"#
    )))
    .unwrap();
    let mut want = vec![lead];
    want.extend(PARAS);
    want.extend(MORE);
    assert_eq!(b.paragraphs, want, "{:#?}", b.paragraphs);
    // a sentence heading there is a standfirst too
    let b = extract(&headline_box_page(&format!("<h2>{lead}</h2>"))).unwrap();
    assert_eq!(b.paragraphs, want, "{:#?}", b.paragraphs);
}

#[test]
fn between_the_headline_and_the_body_links_and_labels_are_not_the_lead() {
    // breadcrumbs, a teaser link and a label stay out, and so does the sentence above the
    // headline (the kicker box): the lead starts after the headline
    let b = extract(&headline_box_page(
        r#"<div class="crumbs"><a href="/">Home</a> › <a href="/local">Local news</a> › <a href="/port">Port</a></div>
        <div class="teaser"><a href="/other">Read how the harbour board voted on the new ferry fares last year.</a></div>
        <div class="label">Infrastructure</div>"#,
    ))
    .unwrap();
    let mut want = PARAS.to_vec();
    want.extend(MORE);
    assert_eq!(b.paragraphs, want, "{:#?}", b.paragraphs);
}

const MORE: [&str; 2] = [
    "Local businesses near the northern pier said they expected fewer customers during the works, but welcomed the investment.",
    "The authority promised to publish a detailed timetable for each phase of the repairs on its website before the end of February.",
];

const BOX: [&str; 5] = [
    "Divers will inspect the remaining columns in April, and the authority said further closures could not be ruled out yet.",
    "Residents of the old town asked for a temporary footbridge, which the council said it would consider at its next meeting.",
    "A spokesperson for the ferry company said season tickets would stay valid on every route throughout the closure period.",
    "Fishing boats that use the northern pier will moor at the marina, where the authority has reserved forty berths for them.",
    "The last major repair of the pier, in 1998, took nine months and cost the equivalent of about one million euros at the time.",
];

#[test]
fn running_text_in_a_box_with_a_negative_class_is_kept() {
    // "media" is one of Readability's negative class words; five paragraphs of prose in such
    // a box are still the article's
    let outside: String = PARAS
        .iter()
        .chain(&MORE)
        .map(|p| format!("<p>{p}</p>"))
        .collect();
    let inside: String = BOX.iter().map(|p| format!("<p>{p}</p>")).collect();
    let html = format!(
        r#"<html><body><article><h1>Pier to close</h1>{outside}
        <div class="media">{inside}</div></article></body></html>"#
    );
    let b = extract(&html).unwrap();
    assert_eq!(b.method, "scored");
    let mut want = PARAS.to_vec();
    want.extend(MORE);
    want.extend(BOX);
    assert_eq!(b.paragraphs, want, "{:#?}", b.paragraphs);
}

#[test]
fn a_short_box_with_a_negative_class_is_still_dropped() {
    // one line in a "media" box (a player's blurb) is not running text
    let html = format!(
        r#"<html><body><article><h1>Pier to close</h1><p>{}</p><p>{}</p>
        <div class="media"><p>Watch the harbour master explain the closure in our video.</p></div>
        <p>{}</p><p>{}</p><p>{}</p><p>{}</p></article></body></html>"#,
        PARAS[0], PARAS[1], PARAS[2], PARAS[3], MORE[0], MORE[1]
    );
    let b = extract(&html).unwrap();
    let mut want = PARAS.to_vec();
    want.extend(MORE);
    assert_eq!(b.paragraphs, want, "{:#?}", b.paragraphs);
}

#[test]
fn the_lead_inside_a_link_heavy_headline_box_is_kept() {
    // the article's header box is mostly links (breadcrumbs, topic tags), so it is cleaned as
    // a whole; the sentence in it after the byline is still the article's lead
    let body: String = PARAS
        .iter()
        .chain(&MORE)
        .map(|p| format!("<p>{p}</p>"))
        .collect();
    let lead = "Ferries move to the southern terminal while the northern pier is repaired.";
    let html = format!(
        r#"<html><body><article><div class="intro">
        <div class="crumbs"><a href="/">Home page</a> » <a href="/local">Local news</a> » <a href="/port">Harbour and port</a> » <a href="/ferries">Ferries</a></div>
        <h1>Pier to close</h1><div class="by">By Ann Lee</div><p>{lead}</p>
        <div class="topics"><a href="/t/pier">Northern pier</a> <a href="/t/repairs">Repairs and works</a> <a href="/t/ferry">Ferry routes</a> <a href="/t/council">Harbour authority</a></div>
        </div><div class="text">{body}</div></article></body></html>"#
    );
    let b = extract(&html).unwrap();
    let mut want = vec![lead];
    want.extend(PARAS);
    want.extend(MORE);
    assert_eq!(b.paragraphs, want, "{:#?}", b.paragraphs);
}

#[test]
fn commas_of_every_script_are_counted_on_bytes() {
    assert_eq!(commas("a, b، c，d"), 3);
    // other characters ending in the byte 0x8C (Č is C4 8C, 錌 is E9 8C 8C) are no commas
    assert_eq!(commas("Čech 錌 x,y"), 1);
    assert_eq!(commas(""), 0);
}

/// Three comma-rich promotional paragraphs, each in its own slide.
fn slides() -> String {
    (0..3)
        .map(|k| {
            format!(
                r#"<div class="slide"><p>Offer {k}: labels, printers, ribbons, scanners, toner, paper, service, support, delivery, installation, training, repairs, all from one supplier, with free shipping on orders above fifty euros.</p></div>"#
            )
        })
        .collect()
}

#[test]
fn the_candidate_inside_the_headlines_container_beats_a_stronger_one_outside() {
    // the slideshow above <main> scores higher (commas), but the headline's container holds
    // the article
    let body: String = PARAS
        .iter()
        .chain(&MORE)
        .map(|p| format!("<p>{p}</p>"))
        .collect();
    let html = format!(
        r#"<html><body><div class="slideshow">{}</div>
        <main><div class="wrapper"><h1>Pier to close</h1>{body}</div></main></body></html>"#,
        slides()
    );
    let b = extract(&html).unwrap();
    let mut want = PARAS.to_vec();
    want.extend(MORE);
    assert_eq!(b.paragraphs, want, "{:#?}", b.paragraphs);
}

#[test]
fn a_headline_container_with_little_text_does_not_take_the_article() {
    // the <article> holds the headline and a one-line teaser; the article's text is outside
    // it and scores far higher
    let body: String = PARAS
        .iter()
        .chain(&MORE)
        .chain(&BOX)
        .map(|p| format!("<p>{p}</p>"))
        .collect();
    let html = format!(
        r#"<html><body><article><h1>Pier to close</h1><div class="teaser"><p>Repairs to the northern pier start in March, the harbour authority said.</p></div></article>
        <div class="story">{body}</div></body></html>"#
    );
    let b = extract(&html).unwrap();
    assert_eq!(b.method, "scored");
    assert!(
        b.paragraphs.iter().any(|p| p == PARAS[0]) && b.paragraphs.iter().any(|p| p == BOX[4]),
        "{:#?}",
        b.paragraphs
    );
}

/// A "latest articles" stream: a page-level `<h1>` outside the articles, then several full
/// articles, the one the page is about (its `og:title`) first and lower-scoring than the next.
fn stream(og_title: &str) -> String {
    // two long paragraphs without commas: enough text for an article (420 characters) at a
    // lower score than the tram story's five
    let pier = "The harbour authority confirmed on Monday that the northern pier will close for repairs in March while engineers replace the corroded support columns that a routine inspection found last autumn and the ferry routes move to the southern terminal for the whole summer season so that most crossings take about ten minutes longer than they do today";
    let long: String = (0..5)
        .map(|k| format!("<p>The second story's paragraph {k} tells of a council vote on the new tram line, and of a timetable for the works in the old town.</p>"))
        .collect();
    format!(
        r#"<html><head><meta property="og:title" content="{og_title}"><title>Latest | Herald</title></head>
        <body><h1>Latest articles</h1><p>All our reporting, newest first.</p>
        <article><h2><a href="/pier">Pier to close for repairs</a></h2><p>{pier}.</p><p>{pier} again.</p></article>
        <article><h2><a href="/tram">Council votes on the tram</a></h2>{long}</article>
        </body></html>"#
    )
}

#[test]
fn in_a_stream_of_articles_the_one_titled_like_the_page_is_chosen() {
    // the site name after the headline does not hide the match
    for title in [
        "„Pier to close for repairs“",
        "Pier to close for repairs | Herald",
    ] {
        let b = extract(&stream(title)).unwrap();
        assert!(
            b.paragraphs.iter().any(|p| p.contains("northern pier"))
                && !b.paragraphs.iter().any(|p| p.contains("tram")),
            "{title}: {:#?}",
            b.paragraphs
        );
    }
}

#[test]
fn in_a_stream_whose_title_names_no_article_scoring_decides() {
    let b = extract(&stream("Latest articles from the Herald")).unwrap();
    assert!(
        b.paragraphs.iter().any(|p| p.contains("tram line"))
            && !b.paragraphs.iter().any(|p| p.contains("northern pier")),
        "{:#?}",
        b.paragraphs
    );
}

#[test]
fn a_plain_sentence_in_a_link_list_box_is_kept_and_its_links_are_not() {
    let box_ = "<div class=\"further\"><h2>Further reading</h2>\
        <p>Our harbour team works with ferry operators and the city to keep every route open.</p>\
        <ul><li><a href=\"/p1\">Ferry timetable changes for the spring season</a></li>\
        <li><a href=\"/p2\">Southern terminal parking and access information</a></li>\
        <li><a href=\"/p3\">Contact the harbour authority about repairs</a></li></ul></div>";
    let b = extract(&page(box_, "")).unwrap();
    let all = b.paragraphs.join("\n");
    assert!(all.contains("Our harbour team works"), "{all}");
    assert!(!all.contains("Ferry timetable changes"), "{all}");
    assert!(!all.contains("Contact the harbour authority"), "{all}");
    // the article's own text is unchanged around it
    assert!(all.contains(PARAS[3]));
}

#[test]
fn a_teaser_list_box_without_a_plain_sentence_stays_out() {
    let box_ = "<div class=\"teasers\"><ul>\
        <li><a href=\"/p1\">Ferry timetable changes for the spring season</a> 3 min</li>\
        <li><a href=\"/p2\">Southern terminal parking and access information</a> Video</li>\
        <li><a href=\"/p3\">Harbour festival returns with a new programme</a> Gallery</li></ul></div>";
    let b = extract(&page(box_, "")).unwrap();
    let all = b.paragraphs.join("\n");
    assert!(!all.contains("Ferry timetable"), "{all}");
    assert!(!all.contains("Gallery"), "{all}");
    assert_clean(&b);
}

#[test]
fn a_later_h1_in_the_text_is_a_section_heading_but_the_headline_is_not() {
    let html = format!(
        r#"<html><head><title>About us | Coast Players</title></head><body>
        <header><h1 class="site-title"><a href="/">Coast Players</a></h1></header>
        <article><h1>About us</h1><div class="page-content">
        <h1>Artistic career</h1><p>{}</p><p>{}</p><p>{}</p><p>{}</p></div></article>
        </body></html>"#,
        PARAS[0], PARAS[1], PARAS[2], PARAS[3]
    );
    let b = extract(&html).unwrap();
    assert_eq!(b.paragraphs[0], "Artistic career", "{:#?}", b.paragraphs);
    assert!(
        !b.paragraphs
            .iter()
            .any(|p| p == "About us" || p == "Coast Players")
    );
}

#[test]
fn a_teaser_cards_summary_is_not_salvaged() {
    let card = |n: u8, head: &str, summary: &str| {
        format!("<div class=\"card\"><h3><a href=\"/s{n}\">{head}</a></h3><p>{summary}</p></div>")
    };
    let box_ = format!(
        "<div class=\"stream\">{}{}</div>",
        card(
            1,
            "Yoga founder found dead in San Diego home",
            "The founder of a yoga chain was found dead in a home, the police said on Monday."
        ),
        card(
            2,
            "Fitness competitor shares her cancer journey",
            "A former bikini competitor has been documenting her treatment on social media."
        )
    );
    let b = extract(&page(&box_, "")).unwrap();
    let all = b.paragraphs.join("\n");
    assert!(!all.contains("yoga chain"), "{all}");
    assert!(!all.contains("bikini competitor"), "{all}");
    assert!(all.contains(PARAS[3]));
}

#[test]
fn a_gallerys_caption_is_not_salvaged() {
    let box_ = "<div class=\"gallery\"><figure><img src=\"/1.jpg\"></figure>\
        <figure><img src=\"/2.jpg\"></figure><figure><img src=\"/3.jpg\"></figure>\
        <ul><li><p>Clockwise from top: the old pier, the ferry terminal at dawn, and engineers \
        inspecting a corroded column.</p></li></ul></div>";
    let b = extract(&page(box_, "")).unwrap();
    let all = b.paragraphs.join("\n");
    assert!(!all.contains("Clockwise from top"), "{all}");
    assert!(all.contains(PARAS[3]));
}

#[test]
fn smileys_in_a_line_of_text_are_not_a_gallery() {
    // a forum post or a recipe step: text in a bare box, small images set in its lines
    let post = r#"<div class="post">The ferry moved to the southern pier this morning and it was fine <img src="/s/smile.gif" alt=":)"> honestly quicker than before.<br>
        The queue took ten minutes at most <img src="/s/wink.gif" alt=";)"> so nobody should worry about the crossing.</div>"#;
    let body = extract(&page(post, "")).unwrap();
    let all = body.paragraphs.join("\n");
    assert!(all.contains("honestly quicker than before"), "{all}");
    // linked images beside text are a teaser strip's pictures: the box still goes
    let teasers = r#"<div><a href="/x"><img src="/x.jpg"></a><a href="/y"><img src="/y.jpg"></a>
        <a href="/z"><img src="/z.jpg"></a> Photos of the week from our readers</div>"#;
    let body = extract(&page(teasers, "")).unwrap();
    assert!(!body.paragraphs.join("\n").contains("Photos of the week"));
}

#[test]
fn a_box_with_a_paragraph_of_text_per_picture_is_not_a_gallery() {
    // a ticker: each entry a picture box and a line of plain text outside any <p>
    let entry = |n: u32| {
        format!(
            r#"<div class="entry"><div><img src="/r{n}.jpg"></div><div>Heat {n}: the home rider made the better start again and held the inside line to the flag, ahead of the visitors.</div></div>"#
        )
    };
    let ticker = format!("<div>{}{}{}</div>", entry(1), entry(2), entry(3));
    let body = extract(&page(&ticker, "")).unwrap();
    let all = body.paragraphs.join("\n");
    assert!(all.contains("Heat 2: the home rider"), "{all}");
    // a gallery whose pictures carry only short credits is still a gallery
    let gallery = r#"<div><div><img src="/g1.jpg"></div><div>Photo: Reuters</div>
        <div><img src="/g2.jpg"></div><div>Photo: AFP</div><div><img src="/g3.jpg"></div><div>Photo: AP</div></div>"#;
    let body = extract(&page(gallery, "")).unwrap();
    assert!(!body.paragraphs.join("\n").contains("Photo: AFP"));
}

#[test]
fn checkboxes_beside_list_lines_are_not_a_form() {
    // a recipe's shopping list: a checkbox per ingredient line
    let item = |t: &str| format!(r#"<div class="ing"><input type="checkbox"> {t}</div>"#);
    let list = format!(
        r#"<div class="ingredients"><p>Ingredients for four</p>{}{}{}{}</div>"#,
        item("400 grams of pumpkin, peeled and diced"),
        item("one onion, finely chopped for the filling"),
        item("two cloves of garlic, crushed with salt"),
        item("a handful of walnuts, roughly broken up")
    );
    let body = extract(&page(&list, "")).unwrap();
    let all = body.paragraphs.join("\n");
    assert!(all.contains("a handful of walnuts"), "{all}");
    // fields one types into are still a form
    let form = r#"<div class="signup"><p>Get the morning briefing</p><input type="text" placeholder="Name">
        <input type="email" placeholder="Email"><input type="submit" value="Go"></div>"#;
    let body = extract(&page(form, "")).unwrap();
    assert!(!body.paragraphs.join("\n").contains("morning briefing"));
}
