use chrono::{DateTime, NaiveDate, NaiveTime};

use super::find_dates;
use crate::claims::{DateContext, DateMention};

fn ctx(iso: &str) -> DateContext {
    DateContext {
        published: DateTime::parse_from_rfc3339(iso).unwrap(),
    }
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Published Fri 2 Jan 2026, noon in Paris.
const FRI: &str = "2026-01-02T12:00:00+01:00";
/// Published Sat 3 Jan 2026.
const SAT: &str = "2026-01-03T09:00:00+02:00";

fn one(s: &str, pub_: &str) -> DateMention {
    let v = find_dates(s, Some(&ctx(pub_)));
    assert_eq!(v.len(), 1, "{s}: {v:#?}");
    v.into_iter().next().unwrap()
}

fn check(m: &DateMention, text: &str, date: &str, alt: Option<&str>, event: Option<&str>) {
    assert_eq!(m.text, text);
    assert_eq!(m.date, Some(d(date)), "{m:?}");
    assert_eq!(m.alt, alt.map(d), "{m:?}");
    assert_eq!(m.event.as_deref(), event, "{m:?}");
}

#[test]
fn seeds_monday_meeting_in_france() {
    let s = "a meeting on Monday in France of leaders of the Coalition of the Willing";
    let m = one(s, FRI);
    check(
        &m,
        "Monday",
        "2026-01-05",
        Some("2025-12-29"),
        Some("meeting"),
    );
    assert_eq!(&s[m.span.clone()], "Monday");
    assert!(m.confidence < 0.8);
}

#[test]
fn seeds_saturday_meeting_full_sentence() {
    let s = "Saturday’s meeting of European national security advisers — held in Kyiv as a \
             symbolic show of support for war-torn Ukraine — appears aimed at laying the \
             groundwork for a meeting on Monday in France of leaders of the Coalition of the Willing.";
    let v = find_dates(s, Some(&ctx(SAT)));
    assert_eq!(v.len(), 2, "{v:#?}");
    check(&v[0], "Saturday’s", "2026-01-03", None, Some("meeting"));
    assert_eq!(v[1].date, Some(d("2026-01-05")), "{:?}", v[1]);
    assert_eq!(v[1].event.as_deref(), Some("meeting"));
}

#[test]
fn seeds_saturday_meeting_short() {
    let m = one(
        "Saturday's meeting of European national security advisers",
        SAT,
    );
    check(&m, "Saturday's", "2026-01-03", None, Some("meeting"));
}

#[test]
fn seeds_allies_will_meet_in_paris_on_tuesday() {
    let m = one(
        "Ukraine's allies will meet in Paris on Tuesday, seeking to finalize their contributions",
        FRI,
    );
    check(&m, "Tuesday", "2026-01-06", None, Some("meeting"));
}

#[test]
fn seeds_advisers_held_in_kyiv_on_january_3rd() {
    let s = "A key event, the first in-person meeting of national security advisors held in Kyiv \
             on January 3rd, will involve representatives from fifteen countries";
    let m = one(s, FRI);
    check(&m, "January 3rd", "2026-01-03", None, Some("meeting"));
}

#[test]
fn january_3rd_without_context_has_no_date() {
    let v = find_dates("the summit on January 6th", None);
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].date, None);
    assert_eq!(v[0].event.as_deref(), Some("summit"));
}

#[test]
fn summit_on_january_6th() {
    let m = one("the summit on January 6th", FRI);
    check(&m, "January 6th", "2026-01-06", None, Some("summit"));
}

#[test]
fn past_tense_took_place_on_monday() {
    let m = one("The meeting took place on Monday in Brussels.", FRI);
    check(&m, "Monday", "2025-12-29", None, Some("meeting"));
}

#[test]
fn next_tuesday_and_last_monday() {
    let m = one("Leaders gather next Tuesday.", FRI);
    check(&m, "next Tuesday", "2026-01-06", None, Some("gathering"));
    let m = one("The vote last Monday was close.", FRI);
    check(&m, "last Monday", "2025-12-29", None, Some("vote"));
    // the publication weekday with next/last is a week away
    let m = one("They meet again next Friday.", FRI);
    check(&m, "next Friday", "2026-01-09", None, Some("meeting"));
}

#[test]
fn will_meet_on_tuesday() {
    let m = one("The ministers will meet on Tuesday.", FRI);
    check(&m, "Tuesday", "2026-01-06", None, Some("meeting"));
}

#[test]
fn no_cue_keeps_both_candidates() {
    let m = one("the meeting on Monday", "2026-01-07T10:00:00Z"); // a Wednesday
    check(
        &m,
        "Monday",
        "2026-01-05",
        Some("2026-01-12"),
        Some("meeting"),
    );
}

#[test]
fn same_weekday_is_that_day() {
    let m = one("The talks on Friday ended without agreement.", FRI);
    check(&m, "Friday", "2026-01-02", None, Some("talks"));
}

#[test]
fn yesterday_today_tomorrow_and_ago() {
    let v = find_dates(
        "Yesterday's vote, today's debate and tomorrow's summit",
        Some(&ctx(FRI)),
    );
    let got: Vec<_> = v
        .iter()
        .map(|m| (m.text.as_str(), m.date.unwrap()))
        .collect();
    assert_eq!(
        got,
        [
            ("Yesterday", d("2026-01-01")),
            ("today", d("2026-01-02")),
            ("tomorrow", d("2026-01-03"))
        ]
    );
    let m = one("The strike began two days ago.", FRI);
    check(&m, "two days ago", "2025-12-31", None, Some("strike"));
    let m = one("He was arrested yesterday.", FRI);
    check(&m, "yesterday", "2026-01-01", None, Some("arrest"));
    let m = one("Tomorrow's vote", FRI);
    check(&m, "Tomorrow", "2026-01-03", None, Some("vote"));
    let m = one("It happened a week ago.", FRI);
    check(&m, "a week ago", "2025-12-26", None, None);
}

#[test]
fn explicit_dates_across_year_boundary() {
    // without a year: the year nearest the publication date
    check(
        &one("The deal was signed on December 28.", FRI),
        "December 28",
        "2025-12-28",
        None,
        Some("signing"),
    );
    check(
        &one("Elections on 3 January", "2025-12-20T00:00:00Z"),
        "3 January",
        "2026-01-03",
        None,
        Some("election"),
    );
    // with a year: as written
    check(
        &one("The hearing on 28 December 2026 was adjourned.", FRI),
        "28 December 2026",
        "2026-12-28",
        None,
        Some("hearing"),
    );
    check(
        &one("Released on 2026-01-06.", FRI),
        "2026-01-06",
        "2026-01-06",
        None,
        Some("release"),
    );
    check(
        &one("On Tuesday, January 6, leaders meet.", FRI),
        "Tuesday, January 6",
        "2026-01-06",
        None,
        Some("meeting"),
    );
    check(
        &one("Jan. 3 was quiet", FRI),
        "Jan. 3",
        "2026-01-03",
        None,
        None,
    );
    check(
        &one("Monday 5 Jan is the day", FRI),
        "Monday 5 Jan",
        "2026-01-05",
        None,
        None,
    );
    check(
        &one("the 3rd of January", FRI),
        "the 3rd of January",
        "2026-01-03",
        None,
        None,
    );
}

#[test]
fn explicit_full_dates_resolve_without_context() {
    let v = find_dates("Signed on 3 January 2026 and 2026-01-06.", None);
    assert_eq!(v.len(), 2);
    assert_eq!(v[0].date, Some(d("2026-01-03")));
    assert_eq!(v[1].date, Some(d("2026-01-06")));
    let v = find_dates("The meeting on Monday.", None);
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].date, None);
}

#[test]
fn numeric_dates() {
    // day > 12 decides
    check(
        &one("Filed 25/12/2025.", FRI),
        "25/12/2025",
        "2025-12-25",
        None,
        None,
    );
    // ambiguous: month/day with day/month as alt, low confidence
    let m = one("Filed 06/01/2026.", FRI);
    check(&m, "06/01/2026", "2026-06-01", Some("2026-01-06"), None);
    assert!(m.confidence < 0.5);
    // a weekday in front of a numeric date: the written date decides
    check(
        &one("due this Friday 1/9/2026", FRI),
        "this Friday 1/9/2026",
        "2026-01-09",
        Some("2026-09-01"),
        None,
    );
    // fractions are not dates
    assert!(find_dates("a 1/2 share", Some(&ctx(FRI))).is_empty());
}

#[test]
fn on_the_5th_and_day_lists() {
    check(
        &one("The vote is on the 5th.", FRI),
        "the 5th",
        "2026-01-05",
        None,
        Some("vote"),
    );
    let v = find_dates(
        "activity in Paris on January 6th and 7th is noteworthy",
        Some(&ctx(FRI)),
    );
    assert_eq!(v.len(), 2, "{v:#?}");
    assert_eq!(v[1].date, Some(d("2026-01-07")));
    assert!(find_dates("on the 5th anniversary", Some(&ctx(FRI))).is_empty());
}

#[test]
fn weeks_and_weekends() {
    check(
        &one("Talks collapsed last week.", FRI),
        "last week",
        "2025-12-22",
        None,
        Some("talks"),
    );
    check(
        &one(
            "Protests were held over the weekend.",
            "2026-01-05T08:00:00Z",
        ),
        "the weekend",
        "2026-01-03",
        None,
        Some("protest"),
    );
    check(
        &one("a rally this weekend", FRI),
        "this weekend",
        "2026-01-03",
        None,
        Some("rally"),
    );
}

#[test]
fn this_friday_and_possessives() {
    check(
        &one("This Friday's summit", "2026-01-07T00:00:00Z"),
        "This Friday's",
        "2026-01-09",
        None,
        Some("summit"),
    );
    check(
        &one("on Saturday's meeting", FRI),
        "Saturday's",
        "2026-01-03",
        Some("2025-12-27"),
        Some("meeting"),
    );
}

#[test]
fn times() {
    let m = one("The vote is scheduled for Thursday at 9:30 p.m. ET.", FRI);
    check(
        &m,
        "Thursday at 9:30 p.m. ET",
        "2026-01-08",
        None,
        Some("vote"),
    );
    assert_eq!(m.time, NaiveTime::from_hms_opt(21, 30, 0));
    let m = one("the vote, scheduled for Thursday", FRI);
    check(&m, "Thursday", "2026-01-08", None, Some("vote"));
    let v = find_dates("Doors open at 10am.", Some(&ctx(FRI)));
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].date, None);
    assert_eq!(v[0].time, NaiveTime::from_hms_opt(10, 0, 0));
}

#[test]
fn not_dates() {
    let c = ctx(FRI);
    for s in [
        "in 2025 the war went on",
        "talks scheduled for early January",
        "It lasted for three days.",
        "The Sunday Times reported it.",
        "On Good Friday crowds gathered.",
        "He may 5 times say so",
        "3,000 people and 9.5 percent",
    ] {
        assert!(
            find_dates(s, Some(&c)).is_empty(),
            "{s}: {:?}",
            find_dates(s, Some(&c))
        );
    }
}

#[test]
fn sorted_and_non_overlapping() {
    let s = "On Tuesday, December 23, the president said talks held on Monday and yesterday \
             would resume on January 6th at 10am.";
    let v = find_dates(s, Some(&ctx(FRI)));
    assert!(
        v.windows(2).all(|w| w[0].span.end <= w[1].span.start),
        "{v:#?}"
    );
    assert_eq!(v[0].date, Some(d("2025-12-23")));
    assert_eq!(v.last().unwrap().time, NaiveTime::from_hms_opt(10, 0, 0));
}

#[test]
fn until_an_end_still_ahead_is_the_next_such_day() {
    // published Friday 2 Jan: "until at least Thursday" is the coming Thursday, even with a
    // past verb later in the sentence ("found")
    let s = "The bridge will stay closed until at least Thursday after inspectors found a cracked beam.";
    let m = one(s, FRI);
    assert_eq!(m.date, Some(d("2026-01-08")), "{m:?}");
    // in a past clause the end has passed
    let s = "The bridge was closed until Thursday, when engineers reopened one lane.";
    let m = one(s, FRI);
    assert_eq!(m.date, Some(d("2026-01-01")), "{m:?}");
}

/// The dates of consecutive sentences, each counted from the day the ones before named.
fn narrative(sentences: &[&str], pub_: &str) -> Vec<Vec<(String, Option<NaiveDate>)>> {
    let c = ctx(pub_);
    let mut anchor = None;
    sentences
        .iter()
        .map(|s| {
            let found = super::find_dates_after(s, Some(&c), anchor);
            anchor = super::narrative_anchor(s, &found, anchor);
            found.into_iter().map(|m| (m.text, m.date)).collect()
        })
        .collect()
}

#[test]
fn days_counted_from_the_day_the_narrative_named() {
    let got = narrative(
        &[
            "Nichols was on trial when on March 11, 2005 he overpowered a guard.",
            "He killed a customs agent the next day.",
            "Two days later he surrendered.",
            "He had bought the gun the day before.",
        ],
        FRI,
    );
    assert_eq!(got[1], vec![("the next day".into(), Some(d("2005-03-12")))]);
    assert_eq!(
        got[2],
        vec![("Two days later".into(), Some(d("2005-03-14")))]
    );
    assert_eq!(
        got[3],
        vec![("the day before".into(), Some(d("2005-03-13")))]
    );
    // within one sentence: counted from the day named before it
    let got = narrative(
        &["The fire broke out on 30 December and later that night it spread."],
        FRI,
    );
    assert_eq!(
        got[0][1],
        ("later that night".into(), Some(d("2025-12-30")))
    );
}

#[test]
fn no_day_to_count_from_no_date() {
    // nothing named yet, or the text moved to a coarser time since
    let got = narrative(
        &[
            "He was captured the next day in a suburban county.",
            "On Monday the court sat again.",
            "The rampage began in March 2005 and ended with his capture the next day.",
            "In 2005 he shot a deputy; the next day he killed an agent.",
        ],
        FRI,
    );
    assert!(got[0].is_empty(), "{got:?}");
    assert!(got[2].iter().all(|(t, _)| t != "the next day"), "{got:?}");
    assert!(got[3].is_empty(), "{got:?}");
    // "the day before" a named thing is counted from that thing, not from the narrative
    let got = narrative(
        &[
            "On Monday 5 January they met.",
            "The day before the final he rested.",
        ],
        FRI,
    );
    assert!(got[1].is_empty(), "{got:?}");
    // the plain publication-relative forms are unchanged
    check(
        &one("He resigned yesterday.", FRI),
        "yesterday",
        "2026-01-01",
        None,
        None,
    );
}
