use super::*;

fn sents(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn q(v: &[&str]) -> Vec<(usize, String, Option<String>)> {
    find_quotes(&sents(v))
        .into_iter()
        .map(|q| (q.sentence, q.text, q.speaker))
        .collect()
}

fn e(si: usize, text: &str, sp: Option<&str>) -> (usize, String, Option<String>) {
    (si, text.to_string(), sp.map(str::to_string))
}

#[test]
fn quote_then_x_said() {
    let got = find_quotes(&sents(&[
        "\u{201c}We will rebuild the bridge,\u{201d} Mayor Ann Lee said on Monday.",
    ]));
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].span, 0..33); // “ and ” are 3 bytes each
    assert_eq!(got[0].text, "We will rebuild the bridge");
    assert_eq!(got[0].speaker.as_deref(), Some("Mayor Ann Lee"));
}

#[test]
fn quote_then_said_x() {
    assert_eq!(
        q(&["\"The talks were productive,\" said John Ellery, the envoy."]),
        vec![e(0, "The talks were productive", Some("John Ellery"))]
    );
    assert_eq!(
        q(&["\"We are not done yet,\" said a spokesperson for the ministry."]),
        vec![e(
            0,
            "We are not done yet",
            Some("a spokesperson for the ministry")
        )]
    );
}

#[test]
fn x_said_colon_and_said_that() {
    assert_eq!(
        q(&[
            "The ministry said: «Supplies will arrive within days.»",
            "Officials said that \u{201c}no decision has been taken yet\u{201d}.",
            "A French presidential official told reporters ahead of the summit: \u{201c}We have reached agreement.\u{201d}",
        ]),
        vec![
            e(0, "Supplies will arrive within days.", Some("the ministry")),
            e(1, "no decision has been taken yet", Some("officials")),
            e(
                2,
                "We have reached agreement.",
                Some("a French presidential official")
            ),
        ]
    );
}

#[test]
fn speaker_verb_lexicon() {
    assert_eq!(
        q(&[
            "Senator Bob Hale warned: \"This will cost lives.\"",
            "\"Prices will rise again next year,\" the central bank insisted.",
            "\"Is anyone listening to us?\" asked Maria Lopez.",
        ]),
        vec![
            e(0, "This will cost lives.", Some("Senator Bob Hale")),
            e(
                1,
                "Prices will rise again next year",
                Some("the central bank")
            ),
            e(2, "Is anyone listening to us?", Some("Maria Lopez")),
        ]
    );
}

#[test]
fn according_to() {
    assert_eq!(
        q(&["The convoy was \"deliberately targeted by drones\", according to local officials."]),
        vec![e(
            0,
            "deliberately targeted by drones",
            Some("local officials")
        )]
    );
    assert_eq!(
        q(&["According to the ministry, the strike was \"a clear violation of the ceasefire\"."]),
        vec![e(
            0,
            "a clear violation of the ceasefire",
            Some("the ministry")
        )]
    );
}

#[test]
fn pronoun_resolves_to_last_person() {
    assert_eq!(
        q(&[
            "President Volodymyr Zelensky addressed the nation on Sunday.",
            "He added: \u{201c}Ukraine wants peace, and we will work for it.\u{201d}",
            "\u{201c}Nobody should doubt our resolve,\u{201d} he said.",
        ]),
        vec![
            e(
                1,
                "Ukraine wants peace, and we will work for it.",
                Some("Volodymyr Zelensky")
            ),
            e(
                2,
                "Nobody should doubt our resolve",
                Some("Volodymyr Zelensky")
            ),
        ]
    );
}

#[test]
fn surname_speaker_links_to_full_name() {
    assert_eq!(
        q(&[
            "Chancellor Friedrich Merz arrived.",
            "\"Europe must do more for its own defence,\" Merz said."
        ]),
        vec![e(
            1,
            "Europe must do more for its own defence",
            Some("Friedrich Merz")
        )]
    );
}

#[test]
fn multi_sentence_quote_attaches_to_first_sentence() {
    let s = sents(&[
        "Lee said: \u{201c}We have reached agreement on the details.",
        "We will explain how they will be organised.",
        "This is a long-term commitment.\u{201d}",
        "The summit ends on Wednesday.",
    ]);
    let got = find_quotes(&s);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].sentence, 0);
    assert_eq!(got[0].span, 10..s[0].len());
    assert_eq!(
        got[0].text,
        "We have reached agreement on the details. We will explain how they will be organised. This is a long-term commitment."
    );
    assert_eq!(got[0].speaker.as_deref(), Some("Lee"));
}

#[test]
fn scare_quotes_are_skipped() {
    assert_eq!(
        q(&["The so-called \u{201c}peace plan\u{201d} is dead."]),
        vec![]
    );
    assert_eq!(q(&["He called the plan \"unworkable\" and left."]), vec![]);
    // Four words with no speaker are kept.
    assert_eq!(
        q(&["The banner read \"no peace without justice\" in red letters."]),
        vec![e(0, "no peace without justice", None)]
    );
}

#[test]
fn single_quotes_and_apostrophes() {
    assert_eq!(
        q(&[
            "PM says 'we will not back down on tariffs'",
            "Ukraine’s allies don’t agree with the soldiers’ union on pay."
        ]),
        vec![e(0, "we will not back down on tariffs", Some("PM"))]
    );
    assert_eq!(
        q(&["Minister: \u{2018}Our troops’ morale is high after the offensive\u{2019}"]),
        vec![e(0, "Our troops' morale is high after the offensive", None)]
    );
    assert_eq!(
        q(&["It's the allies' plan and the 90's music, isn't it?"]),
        vec![]
    );
}

#[test]
fn mid_quote_attribution_gives_two_quotes() {
    assert_eq!(
        q(&[
            "Mayor Ann Lee spoke first.",
            "\"We are ready,\" she said, \"but we need more time.\""
        ]),
        vec![
            e(1, "We are ready", Some("Ann Lee")),
            e(1, "but we need more time.", Some("Ann Lee")),
        ]
    );
}

#[test]
fn a_clause_after_the_quote_is_not_a_speaker() {
    assert_eq!(
        q(&["\"Peace through strength now\" is the slogan that officials said they liked."]),
        vec![e(0, "Peace through strength now", None)]
    );
}

#[test]
fn odd_input_does_not_panic() {
    let odd = sents(&[
        "",
        "\"",
        "“",
        "” ”“ «» „“ ‘’ '' ' ‘a",
        "He said: \"",
        "'tis the 90's — Ö’Brien said ‘ok’ «très» ¿qué? 東京 “日本”",
        "Mr. Dr. Gen. . , ; : President",
        "\"a\" \"b\" \"c\" \"d e f g h\" said",
    ]);
    let got = find_quotes(&odd);
    assert!(
        got.iter()
            .all(|q| q.span.end <= odd[q.sentence].len() && q.span.start < q.span.end)
    );
    let _ = crate::claims::entities::find_people(&odd);
    for s in &odd {
        let _ = crate::claims::entities::find_places(s);
    }
}

#[test]
fn an_age_before_an_appositive_is_not_the_speaker() {
    assert_eq!(
        q(&["Dad-of-two Mark Egan, 45, from Crawley, said: \"Nobody told us anything.\""]),
        vec![e(
            0,
            "Nobody told us anything.",
            Some("Dad-of-two Mark Egan")
        )]
    );
    assert_eq!(
        q(&["Sheila Barnes, 71, said: \"I just want to get home.\""]),
        vec![e(0, "I just want to get home.", Some("Sheila Barnes"))]
    );
}
