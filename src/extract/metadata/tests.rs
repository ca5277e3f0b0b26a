use super::*;

fn meta_of(html: &str) -> Metadata {
    let doc = scraper::Html::parse_document(html);
    read_metadata(&Dom::new(&doc), None)
}

#[test]
fn json_ld_graph_and_type_array() {
    let html = r#"<html lang="en-GB"><head>
    <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
      {"@type":"WebSite","name":"Site"},
      {"@type":["NewsArticle","Article"],"headline":"Toll rises to 52",
       "author":[{"@type":"Person","name":"Jane Doe"},{"name":"John Roe"}],
       "datePublished":"2026-01-05T10:00:00+01:00","dateModified":"2026-01-05T12:30:00Z",
       "publisher":{"@type":"Organization","name":"Daily Example"}}]}</script>
    <meta property="og:title" content="OG title"><link rel="canonical" href="https://ex.org/a">
    </head><body></body></html>"#;
    let m = meta_of(html);
    assert_eq!(m.headline.as_deref(), Some("Toll rises to 52"));
    assert_eq!(m.byline, vec!["Jane Doe", "John Roe"]);
    assert_eq!(
        m.published.unwrap().to_rfc3339(),
        "2026-01-05T10:00:00+01:00"
    );
    assert_eq!(
        m.modified.unwrap().to_rfc3339(),
        "2026-01-05T12:30:00+00:00"
    );
    assert_eq!(m.canonical_url.as_deref(), Some("https://ex.org/a"));
    assert_eq!(m.lang.as_deref(), Some("en-GB"));
    assert_eq!(m.site_name.as_deref(), Some("Daily Example"));
}

#[test]
fn opengraph_and_time_fallbacks() {
    let html = r#"<html><head><title>T | Site</title>
    <meta property="og:title" content="The &ldquo;headline&rdquo;">
    <meta name="author" content="By Ann Lee and Bo Kim">
    <meta property="og:site_name" content="Site"></head>
    <body><time datetime="2025-12-24">Dec 24</time></body></html>"#;
    let m = meta_of(html);
    assert_eq!(m.headline.as_deref(), Some("The \"headline\""));
    assert_eq!(m.byline, vec!["Ann Lee", "Bo Kim"]);
    assert_eq!(m.published.unwrap().date_naive().to_string(), "2025-12-24");
}

#[test]
fn meta_value_instead_of_content() {
    let html = r#"<html><head><title>Short title</title>
    <meta name="og:title" value="The long headline">
    <meta name="article:published_time" value="2016-12-29T01:32:00Z"></head><body></body></html>"#;
    let m = meta_of(html);
    assert_eq!(m.headline.as_deref(), Some("The long headline"));
    assert_eq!(
        m.published.unwrap().to_rfc3339(),
        "2016-12-29T01:32:00+00:00"
    );
}

#[test]
fn dublin_core_creator_before_author() {
    let html = r#"<html><head><meta name="author" content="Site Owner">
    <meta property="dc:creator" content="Jane Doe"></head><body></body></html>"#;
    assert_eq!(meta_of(html).byline, vec!["Jane Doe"]);
}

#[test]
fn meta_author_naming_the_company_is_skipped() {
    let html = r#"<html><head><meta name="author" content="Condé Nast">
    <meta name="copyright" content="Copyright (c) Condé Nast 2022">
    <meta property="og:site_name" content="Wired">
    <meta property="article:author" content="Emma Grey Ellis"></head><body></body></html>"#;
    assert_eq!(meta_of(html).byline, vec!["Emma Grey Ellis"]);
    let html = r#"<html><head><meta name="author" content="Us Weekly Staff">
    <meta property="og:site_name" content="Us Weekly"></head><body>
    <p class="byline">By Megan French</p></body></html>"#;
    assert_eq!(meta_of(html).byline, vec!["Megan French"]);
    let html = r#"<html><head><meta name="author" content="mediagene Inc.">
    <meta name="author" content="Jane Doe"></head><body></body></html>"#;
    assert_eq!(meta_of(html).byline, vec!["Jane Doe"]);
}

#[test]
fn visible_byline_first_element_only_without_titles() {
    let html = r#"<html><head><meta property="og:site_name" content="CNN"></head><body>
    <h1>Headline</h1>
    <div class="byline"><span>By</span><a>Howard Blume</a><span>Staff Writer</span></div>
    <p>Text</p>
    <aside><div class="byline">By Other Person</div><div class="author">Third One</div></aside>
    </body></html>"#;
    assert_eq!(meta_of(html).byline, vec!["Howard Blume"]);
    let html = r#"<html><body><p class="byline">Sam Stein Senior Politics Editor,
    <span>CNN</span></p></body></html>"#
        .replace(
            "<html>",
            r#"<html><head><meta property="og:site_name" content="CNN"></head>"#,
        );
    assert_eq!(meta_of(&html).byline, vec!["Sam Stein"]);
    let html = r#"<html><body><div class="author"><a>Ikran Dahir</a><br>
    <span>BuzzFeed UK News Fellow</span><svg><text>Twitter</text></svg></div></body></html>"#;
    assert_eq!(meta_of(html).byline, vec!["Ikran Dahir"]);
    let html = r#"<html><body><div class="byline"><a>Rebecca Hersher Twitter</a>
    <p>Link Copied</p></div></body></html>"#;
    assert_eq!(meta_of(html).byline, vec!["Rebecca Hersher"]);
    let html = r#"<html><body><span class="author">Par Cécile Ducourtieux et <a>Jean Roe</a></span></body></html>"#;
    assert_eq!(meta_of(html).byline, vec!["Cécile Ducourtieux", "Jean Roe"]);
}

#[test]
fn dates_from_title_attribute_and_rdf_comment() {
    let html = r#"<html><body><h1>H</h1><div class="news-time-ago" title="2020-09-20T14:20:02Z">3 hours ago</div></body></html>"#;
    assert_eq!(
        meta_of(html).published.unwrap().to_rfc3339(),
        "2020-09-20T14:20:02+00:00"
    );
    let html = r#"<html><body><!--
    <rdf:RDF xmlns:dc="http://purl.org/dc/elements/1.1/"><rdf:Description
      dc:title="Post" dc:date="2020-07-12T22:00:00+09:00" /></rdf:RDF>
    --><h1>Post</h1><p>Text</p></body></html>"#;
    assert_eq!(
        meta_of(html).published.unwrap().to_rfc3339(),
        "2020-07-12T22:00:00+09:00"
    );
}

#[test]
fn json_ld_name_or_headline_by_title() {
    let html = r#"<html><head><title>List of films featuring time loops - Wikipedia</title>
    <script type="application/ld+json">{"@type":"Article","name":"List of films featuring time loops",
    "headline":"Wikimedia list article"}</script></head><body></body></html>"#;
    assert_eq!(
        meta_of(html).headline.as_deref(),
        Some("List of films featuring time loops")
    );
    // a `name` that is the site's own name loses to the headline
    let html = r#"<html><head><title>West Ham threatens the giants - Aktualne.cz</title>
    <meta property="og:site_name" content="Aktualne.cz">
    <script type="application/ld+json">{"@type":"NewsArticle","name":"Aktualne.cz",
    "headline":"West Ham threatens giants, Soucek overlooked"}</script></head><body></body></html>"#;
    assert_eq!(
        meta_of(html).headline.as_deref(),
        Some("West Ham threatens giants, Soucek overlooked")
    );
}

#[test]
fn h1_that_starts_the_title_beats_a_banner_h1() {
    let html = r#"<html><head><title>Evolve: Shared History — evolve extension for Mercurial</title></head>
    <body><h1>evolve extension for Mercurial</h1><h1>Evolve: Shared History</h1></body></html>"#;
    assert_eq!(
        meta_of(html).headline.as_deref(),
        Some("Evolve: Shared History")
    );
    // Sphinx appends a permalink mark to every heading: not part of the headline
    let html = r##"<html><head><title>Evolve: Shared History — evolve extension for Mercurial</title></head>
    <body><h1>evolve extension for Mercurial</h1><h1>Evolve: Shared History<a class="headerlink"
    href="#evolve" title="Permalink to this headline">¶</a></h1></body></html>"##;
    assert_eq!(
        meta_of(html).headline.as_deref(),
        Some("Evolve: Shared History")
    );
}

#[test]
fn display_headline_and_metadata_title_are_both_kept() {
    // the SEO title was rewritten, the h1 a reader sees was not (and vice versa)
    let html = r#"<html><head><title>Council approves budget cuts | Norwich Post</title>
    <meta property="og:site_name" content="Norwich Post">
    <script type="application/ld+json">{"@type":"NewsArticle","headline":"Council approves £2.3m budget cuts"}</script>
    </head><body><header><h1>Norwich Post</h1></header>
    <article><h1>Leisure centres face cuts as councillors back savings plan</h1></article></body></html>"#;
    let m = meta_of(html);
    assert_eq!(
        m.headline.as_deref(),
        Some("Leisure centres face cuts as councillors back savings plan")
    );
    assert_eq!(
        m.title.as_deref(),
        Some("Council approves £2.3m budget cuts")
    );
    // an h1 that is a cut-down of the title is a label: the title is the headline
    let html = r#"<html><head><meta property="og:title" content="Lust for Youth: Lust for Youth">
    </head><body><article><h1>Lust for Youth</h1></article></body></html>"#;
    assert_eq!(
        meta_of(html).headline.as_deref(),
        Some("Lust for Youth: Lust for Youth")
    );
    let html = r#"<html><head><meta property="og:title" content="The 5 Biggest Decorating Mistakes Millennials Make">
    </head><body><article><h1>Millennial Decorating Mistakes</h1></article></body></html>"#;
    assert_eq!(
        meta_of(html).headline.as_deref(),
        Some("The 5 Biggest Decorating Mistakes Millennials Make")
    );
    // a title that is the h1 plus a column or section label: the h1 is the headline
    let html = r#"<html><head><meta property="og:title" content="A Light Filled LA Loft — House Call">
    </head><body><article><h1>A Light Filled LA Loft</h1></article></body></html>"#;
    assert_eq!(
        meta_of(html).headline.as_deref(),
        Some("A Light Filled LA Loft")
    );
    // a headline without spaces (Japanese) is credible by its characters
    let html = r#"<html><head><meta property="og:title" content="バルセロナ、マンＵに先勝…ＣＬ準々決勝第１戦 : スポーツ">
    </head><body><article><h1>バルセロナ、マンＵに先勝…ＣＬ準々決勝第１戦</h1></article></body></html>"#;
    assert!(
        meta_of(html)
            .headline
            .is_some_and(|h| !h.contains("スポーツ")),
    );
    // ... but not when the part after the separator is as long as the h1 (a subtitle)
    let html = r#"<html><head><meta property="og:title" content="Harbour plans: what the new pier means for ferries">
    </head><body><article><h1>Harbour plans</h1></article></body></html>"#;
    assert_eq!(
        meta_of(html).headline.as_deref(),
        Some("Harbour plans: what the new pier means for ferries")
    );
    // a display headline that says more than the title stays
    let html = r#"<html><head><meta property="og:title" content="Floods sweep the valley as rivers burst">
    </head><body><article><h1>Valley floods: thousands flee as rivers burst</h1></article></body></html>"#;
    assert_eq!(
        meta_of(html).headline.as_deref(),
        Some("Valley floods: thousands flee as rivers burst")
    );
    // no credible h1 (a one-word section banner): the display headline is the title
    let html = r#"<html><head><meta property="og:title" content="Storm closes the coast road">
    </head><body><h1>News</h1></body></html>"#;
    let m = meta_of(html);
    assert_eq!(m.headline.as_deref(), Some("Storm closes the coast road"));
    assert_eq!(m.title.as_deref(), Some("Storm closes the coast road"));
}

#[test]
fn fuller_h1_beats_a_cut_down_og_title() {
    let html = r#"<html><head><meta property="og:title" content="Aniston on the Tags on Her Coat">
    </head><body><h1>Aniston on the Tags on Her Céline Coat: 'I Wore It Four Times'</h1>
    </body></html>"#;
    assert_eq!(
        meta_of(html).headline.as_deref(),
        Some("Aniston on the Tags on Her Céline Coat: 'I Wore It Four Times'")
    );
    // a different <h1> is the display headline; the og:title stays the metadata title
    let html = r#"<html><head><meta property="og:title" content="This is a long title with a colon: Hello there">
    </head><body><h1>This is a long title with a colon: But the final text here is different</h1>
    </body></html>"#;
    let m = meta_of(html);
    assert_eq!(
        m.headline.as_deref(),
        Some("This is a long title with a colon: But the final text here is different")
    );
    assert_eq!(
        m.title.as_deref(),
        Some("This is a long title with a colon: Hello there")
    );
}

#[test]
fn date_without_time_is_local_midnight_in_a_one_zone_language() {
    let html =
        r#"<html lang="ja"><body><h1>見出し</h1><p class="date">2019年4月4日</p></body></html>"#;
    assert_eq!(
        meta_of(html).published.unwrap().to_rfc3339(),
        "2019-04-04T00:00:00+09:00"
    );
    // a time with its zone is kept as it is, and other languages keep UTC
    let html = r#"<html lang="ja"><head><meta property="article:published_time"
    content="2019-04-04T10:00:00Z"></head></html>"#;
    assert_eq!(
        meta_of(html).published.unwrap().to_rfc3339(),
        "2019-04-04T10:00:00+00:00"
    );
    let html =
        r#"<html lang="de"><body><h1>Titel</h1><p class="date">4. April 2019</p></body></html>"#;
    assert_eq!(
        meta_of(html).published.unwrap().to_rfc3339(),
        "2019-04-04T00:00:00+00:00"
    );
}

#[test]
fn json_ld_in_cdata() {
    for wrap in [("<![CDATA[", "]]>"), ("//<![CDATA[", "//]]>")] {
        let html = format!(
            r#"<html><head><meta property="og:title" content="Social title">
            <script type="application/ld+json">{}
            {{"@type":"NewsArticle","headline":"Real headline"}}
            {}</script></head><body></body></html>"#,
            wrap.0, wrap.1
        );
        assert_eq!(meta_of(&html).headline.as_deref(), Some("Real headline"));
    }
}

#[test]
fn json_ld_with_trailing_garbage() {
    let html = r#"<html><head><script type="application/ld+json">
    {"@type":"NewsArticle","headline":"H","datePublished":"2020-10-26T18:10:00+01:00"}
    }</script></head><body></body></html>"#;
    assert_eq!(
        meta_of(html).published.unwrap().to_rfc3339(),
        "2020-10-26T18:10:00+01:00"
    );
}

#[test]
fn visible_datelines_in_levantine_arabic_and_under_a_subheading() {
    // a date element classed "created", the month given in both Arabic names
    let html = r#"<html><body><h1>أميركا :50 الفا حصيلة الوفيات</h1>
    <div class="article_created">تم نشره الجمعة 24 نيسان / أبريل 2020 09:22 مساءً</div>
    <p>نص</p></body></html>"#;
    assert_eq!(
        meta_of(html).published.unwrap().date_naive().to_string(),
        "2020-04-24"
    );
    // no <h1>: the dateline follows the subheading that is the headline
    let html = r#"<html><head><title>성금 기탁 줄 잇는다 - 대전일보</title></head><body>
    <h2 class="today_hot"></h2><h2 class="sub_tit">성금 기탁 줄 잇는다</h2>
    <div><span>이용민 기자 | </span> 2020-03-04 16:52:59</div><p>본문</p></body></html>"#;
    let m = meta_of(html);
    assert_eq!(m.headline.as_deref(), Some("성금 기탁 줄 잇는다"));
    assert_eq!(m.published.unwrap().date_naive().to_string(), "2020-03-04");
    // a date in a later subheading (a "most read" box) is not a dateline
    let html = r#"<html><head><title>Storm closes port - Gazette</title></head><body>
    <h2>Most read</h2><div>5 March 2024</div><h2>Storm closes port</h2>
    <p>The port closed.</p></body></html>"#;
    assert_eq!(meta_of(html).published, None);
    assert_eq!(
        parse_human_date("12 شباط 2021").unwrap().to_string(),
        "2021-02-12 00:00:00 +00:00"
    );
}

#[test]
fn human_written_dates_in_metadata() {
    let html = r#"<html><head><script type="application/ld+json">{"@type":"NewsArticle",
    "datePublished":"Tue, Sep 15 2020 10:01:41 EDT"}</script></head><body></body></html>"#;
    assert_eq!(
        meta_of(html).published.unwrap().date_naive().to_string(),
        "2020-09-15"
    );
    let html = r#"<html><head><meta property="article:published_time"
    content="الأربعاء، 07 أكتوبر 2020 - 12:09 م"></head><body></body></html>"#;
    assert_eq!(
        meta_of(html).published.unwrap().date_naive().to_string(),
        "2020-10-07"
    );
}

#[test]
fn broken_json_ld_is_ignored() {
    let html = r#"<html><head><script type="application/ld+json">{"@type": "NewsArticle", </script></head><body><h1>H</h1></body></html>"#;
    let m = meta_of(html);
    assert_eq!(m.headline.as_deref(), Some("H"));
}

#[test]
fn date_formats() {
    for s in [
        "2026-01-05T10:00:00Z",
        "2026-01-05T10:00:00.123+0100",
        "2026-01-05 10:00:00",
        "2026-01-05",
        "Mon, 05 Jan 2026 10:00:00 GMT",
    ] {
        assert!(parse_datetime(s).is_some(), "{s}");
    }
    assert!(parse_datetime("yesterday").is_none());
    for (s, want) in [
        ("Published 5 March 2024, 10:30 GMT", "2024-03-05"),
        ("Updated: March 5, 2024 at 9:00 a.m. ET", "2024-03-05"),
        ("Mar. 5 2024", "2024-03-05"),
        ("5. März 2024", "2024-03-05"),
        ("5 de marzo de 2024", "2024-03-05"),
        ("le 5 mars 2024 à 10h", "2024-03-05"),
        ("2024-03-05", "2024-03-05"),
        ("05.03.2024 10:15", "2024-03-05"),
        ("22/11/2020 - 04:30", "2020-11-22"),
        ("11/22/2020", "2020-11-22"),
        ("公開日：2019年4月26日 10時", "2019-04-26"),
        ("2019年 3月 5日", "2019-03-05"),
        ("2020년 3월 4일 오후", "2020-03-04"),
        ("الأربعاء، 07 أكتوبر 2020 - 12:09 م", "2020-10-07"),
    ] {
        let d = parse_human_date(s).unwrap_or_else(|| panic!("{s}"));
        assert_eq!(d.date_naive().to_string(), want, "{s}");
    }
    for s in [
        "48 comments",
        "May I help you",
        "Top 10 of 2024",
        "3/5/2024",
        "平成31年4月",
        "2019年度",
    ] {
        assert!(parse_human_date(s).is_none(), "{s}");
    }
}
