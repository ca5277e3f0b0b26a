use super::*;

fn facts(byline: &[String]) -> PageFacts<'_> {
    PageFacts {
        byline,
        published: DateTime::parse_from_rfc3339("2026-05-04T07:15:00+01:00").ok(),
        modified: DateTime::parse_from_rfc3339("2026-05-04T09:02:00+01:00").ok(),
    }
}

/// The kind of a line standing in the middle of a long article (not first, not last).
fn mid(t: &str) -> Option<Chrome> {
    classify(t, 5, 20, 0, &facts(&[]))
}

fn tail(t: &str, byline: &[String]) -> Option<Chrome> {
    classify(t, 19, 20, 0, &facts(byline))
}

#[test]
fn stamps_in_any_format_are_chrome() {
    for s in [
        "Mon 4 May 2026 07.15 BST",
        "Last modified on Mon 4 May 2026 09.02 BST",
        "Published: 14:30, 3 June 2026 | Updated: 16:05, 3 June 2026",
        "Updated: 07:30, 16 June 2026",
        "March 5, 2026 9:30 AM GMT Updated Mar 5, 2026 11:02 AM GMT 4 min read",
        "By Megan Tull Reporter Published: 17th February 2026 Last updated: 9:30am, 17th February 2026",
        "Grace Whitmore in New York June 8 2026 5 min read",
        "July 22 2026 4 min read",
        "Veröffentlicht am 12. März 2024, 14:30 Uhr",
        "Publié le 3 juin 2026 à 10h15",
        "5 min read",
    ] {
        assert_eq!(mid(s), Some(Chrome::Stamp), "{s}");
    }
}

#[test]
fn sentences_with_dates_and_times_are_not_stamps() {
    for s in [
        "The council will vote on Thursday 4 June at 7pm.",
        "Updated figures published on Monday show 52 deaths.",
        "The meeting was moved from 14:30 to 16:00 on 3 June.",
        "Revenue 2024 2025",
        "Total 1,234 5,678",
        "It took five minutes to read the verdict on 12 May.",
    ] {
        assert_eq!(mid(s), None, "{s}");
    }
}

#[test]
fn datelines_standing_alone_are_chrome() {
    for s in [
        "SAINT-FONS, France, May 4 (Keystone Wire) -",
        "PHOENIX (Valley 9)",
        "MESA, Ariz. (Valley 9)",
        "LONDON, Dec 5 (Reuters) -",
    ] {
        assert_eq!(mid(s), Some(Chrome::Dateline), "{s}");
    }
    // a dateline that starts the article's first sentence stays (the sentence is text)
    assert_eq!(
        mid(
            "LONDON (Reuters) - Britain's economy grew by 0.3% in the third quarter, official data showed."
        ),
        None
    );
    // an all-caps acronym heading a sentence is not a dateline
    assert_eq!(
        mid("NATO (the alliance) said it would meet on Monday."),
        None
    );
}

#[test]
fn copyright_credit_sign_off_and_syndication_lines() {
    assert_eq!(
        mid("© 2026 Keystone Wire. All rights reserved."),
        Some(Chrome::Copyright)
    );
    assert_eq!(
        mid("Copyright 2026 Valley 9 News. All rights reserved."),
        Some(Chrome::Copyright)
    );
    assert_eq!(
        mid(
            "Emergency vehicles at the entrance to the mine on Tuesday morning. (Image: Jane Roe | Kernow Pictures)"
        ),
        Some(Chrome::Credit)
    );
    assert_eq!(
        mid("Allotment holders in Leeds. Photograph: Christopher Thomond/The Albion"),
        Some(Chrome::Credit)
    );
    assert_eq!(
        mid("A firefighter works at the scene on Monday. John Smith | Reuters | Getty Images"),
        Some(Chrome::Credit)
    );
    assert_eq!(
        mid("Protesters outside parliament. Photo by Jane Doe/AFP via Getty Images"),
        Some(Chrome::Credit)
    );
    assert_eq!(
        mid("Reporting by Claire Dufresne and Paul Marchetti; Editing by Alison Brandt"),
        Some(Chrome::SignOff)
    );
    assert_eq!(
        mid("Associated Press writer Jane Roe in Phoenix contributed to this report."),
        Some(Chrome::SignOff)
    );
    assert_eq!(mid("Via Keystone Wire."), Some(Chrome::Syndication));
    assert_eq!(
        tail("Source: Office for National Statistics", &[]),
        Some(Chrome::Syndication)
    );
}

#[test]
fn prose_about_photos_credits_and_reporting_stays() {
    for s in [
        "The image: a child on a beach, which went round the world, was taken by a tourist.",
        "Getty Images said it had withdrawn the photograph after questions about its origin.",
        "Reporting by the local paper first revealed the cracks in 2019, officials said.",
        "Via Appia, the ancient road, was closed to traffic for the repairs.",
        "The deal was reported by Reuters on Monday.",
        "Source: the ministry said the figure would be revised.",
    ] {
        assert_eq!(mid(s), None, "{s}");
    }
}

#[test]
fn bios_in_the_last_blocks_are_chrome_and_need_the_tail() {
    let by = vec!["Megan Tull".to_string()];
    assert_eq!(
        tail(
            "Megan Tull Megan Tull is a reporter at the County Gazette covering the south of the county.",
            &by
        ),
        Some(Chrome::Bio)
    );
    assert_eq!(
        tail(
            "Megan Tull covers health and the NHS across the county. Got a story? Email the newsdesk.",
            &by
        ),
        Some(Chrome::Bio)
    );
    assert_eq!(
        tail(
            "Rhian Morgan is a freelance journalist in Herefordshire who writes about transport.",
            &[]
        ),
        Some(Chrome::Bio)
    );
    // the same sentence in the middle of the article is about someone in the story
    assert_eq!(
        mid("Rhian Morgan is a freelance journalist in Herefordshire who writes about transport."),
        None
    );
    // a quoted person in the last paragraph is not a bio
    assert_eq!(
        tail(
            "Alan Price is a retired teacher who has lived on the street for 40 years.",
            &by
        ),
        None
    );
}

#[test]
fn bylines_and_kickers() {
    let by = vec!["Tobias Lindgren".to_string()];
    assert_eq!(
        classify("Tobias Lindgren in", 1, 20, 3, &facts(&by)),
        Some(Chrome::Byline)
    );
    assert_eq!(
        classify("By Jake Rudd Senior Reporter", 1, 20, 3, &facts(&[])),
        Some(Chrome::Byline)
    );
    assert_eq!(
        classify("TRAVEL CHAOS", 0, 20, 2, &facts(&[])),
        Some(Chrome::Kicker)
    );
    // an all-caps subheading inside the article is text
    assert_eq!(classify("WHAT HAPPENS NEXT", 6, 20, 2, &facts(&[])), None);
}

#[test]
fn the_pages_own_date_before_the_article_is_its_stamp() {
    assert_eq!(
        classify("Monday 4 May 2026", 0, 20, 2, &facts(&[])),
        Some(Chrome::Stamp)
    );
    assert_eq!(
        classify("4 May 2026", 0, 20, 2, &facts(&[])),
        Some(Chrome::Stamp)
    );
    // another day is not the page's stamp (a live-blog heading, a timeline entry)
    assert_eq!(classify("Election day 2024", 0, 20, 2, &facts(&[])), None);
}

#[test]
fn strip_keeps_article_order_and_text() {
    let paras: Vec<String> = [
        "BREAKING",
        "SAINT-FONS, France, May 4 (Keystone Wire) -",
        "A fire tore through a storage hall at a chemical plant south of Lyon early on Monday, injuring eight workers.",
        "Firefighters sent eight engines to the site.",
        "Reporting by Claire Dufresne; Editing by Alison Brandt",
        "© 2026 Keystone Wire. All rights reserved.",
    ]
    .map(String::from)
    .to_vec();
    let out = strip(paras, &facts(&[]));
    assert_eq!(
        out,
        vec![
            "A fire tore through a storage hall at a chemical plant south of Lyon early on Monday, injuring eight workers.",
            "Firefighters sent eight engines to the site.",
        ]
    );
}

#[test]
fn a_caption_closed_by_its_copyright_credit_is_chrome() {
    for s in [
        "The new ferry terminal seen from the harbour wall. © Harbour Authority",
        "Mira Holt, ski racer from Norway. © Agency / Jon Berg",
        "Engineers inspect the pier on Monday © dpa | Ann Lee",
        "Welcome sign at the port entrance© Ann Lee/photoshare.example",
    ] {
        assert_eq!(mid(s), Some(Chrome::Credit), "{s}");
    }
}

#[test]
fn a_copyright_sign_inside_prose_is_not_a_credit() {
    for s in [
        // a sentence after the sign: prose that mentions a copyright
        "The logo carried a © sign. The council later dropped it from every leaflet it printed.",
        // a long run of words after it
        "Readers asked why the © notice on the harbour map names a company that no longer exists at all.",
    ] {
        assert_eq!(mid(s), None, "{s}");
    }
}

#[test]
fn author_labels_with_a_name_and_a_date_are_bylines() {
    for s in [
        "Verfasst von: mitundvoneinander | 31. Dezember 2008",
        "Posted by admin on 3 May 2021",
        "Autor: przepisy.pl",
        "Publié par jdupont le 12 mars 2024",
        "by webmaster | 2019-04-02",
    ] {
        assert_eq!(mid(s), Some(Chrome::Byline), "{s}");
    }
}

#[test]
fn sentences_that_start_with_an_author_label_word_stay() {
    for s in [
        "By 2030 the city wants to halve its emissions, the mayor said.",
        "Von 2008 bis 2012 leitete sie das Institut.",
        "By then the river had risen by two metres",
        "Par ailleurs, le conseil a voté le budget le 3 mars 2024",
        "Autor: der Verein hat sich dazu noch nicht geäußert und prüft den Fall weiter",
        "by the end of the season 2024",
    ] {
        assert_eq!(mid(s), None, "{s}");
    }
}
