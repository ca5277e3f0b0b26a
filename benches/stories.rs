//! Story clustering benchmark (`cargo bench --bench stories`).
//!
//! 1. **ECB+** (`<CARGO_MANIFEST_DIR>/../shared/fixtures/events/ecbplus/ECB+`, topics 1–35; each
//!    topic has two sub-topics of similar but different events: `*ecb.xml` = "a", `*ecbplus.xml`
//!    = "b"). Documents are rebuilt as plain text from their tokens (sentence 0 as the headline,
//!    every other sentence a paragraph) and fed one index in a deterministic interleaved order:
//!    by document number, then topic, then sub-topic, so both events of a topic arrive mixed.
//!    ECB+ has no publication times, so two settings are run:
//!    * *no time signal*: every document published at the same instant (text and entities only);
//!    * *plausible times*: topic `t` event "a" on 2026-01-01 + 3·t days, event "b" 45 days
//!      (`STORIES_EVENT_GAP_DAYS`) after
//!      "a" (the real ECB/ECB+ pairs are months to years apart), each document within two days of
//!      its event. Topics then overlap in time, so time separates sub-topics but not topics.
//!
//!    B-cubed precision/recall/F1 against the gold sub-topics, and counts of clusters that mix
//!    the two sub-topics of one topic (different events merged) or mix topics.
//!
//!    Then the cross-outlet comparison (`compare_story`) runs over every produced cluster (each
//!    document its own outlet, published at the document's time in that setting) and counts the
//!    reportable findings (outcome ≥ tension, and loud ones ≥ disputed) by where their claims
//!    come from: one gold sub-topic (same event: context only), both sub-topics of a topic
//!    ("conflicts between different events": target 0) or different topics. One more row runs
//!    it over one story per gold *topic* (both events of every topic together), which tests the
//!    comparison's own event separation independently of the clustering.
//! 2. **Cost**: 100,000 synthetic articles across 5,000 stories (a Zipf background vocabulary
//!    of 30,000 words, per story 40 topic words and 4 two-word names, a 10-word headline, a
//!    4-sentence lead and ~300 more words of body), then the time to add one more article
//!    (median, p99, max over 1,000 adds; features built beforehand, their cost shown apart), the
//!    index's heap estimate and the process RSS.
//!
//! The fixtures live outside the repository; when absent the ECB+ part prints a notice.

#[path = "support/ecb.rs"]
mod ecb;
#[path = "synth/mod.rs"]
mod synth;
use ecb::ecb_sentences;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use factdiff::claims::{DocClaims, extract_claims};
use factdiff::compare::conflicts::{Finding, Outcome, OutletDoc, compare_story};
use factdiff::compare::stories::{DocId, Params, StoryDoc, StoryIndex, features};
use factdiff::extract::Article;

struct EcbDoc {
    topic: u32,
    sub: char,
    num: u32,
    headline: String,
    paragraphs: Vec<String>,
}

fn load_ecb(dir: &Path) -> Vec<EcbDoc> {
    let mut out = Vec::new();
    for t in std::fs::read_dir(dir).unwrap().flatten() {
        let Ok(topic) = t.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        for f in std::fs::read_dir(t.path()).unwrap().flatten() {
            let name = f.file_name().to_string_lossy().to_string();
            let Some(stem) = name.strip_suffix(".xml") else {
                continue;
            };
            let (rest, sub) = if let Some(r) = stem.strip_suffix("ecbplus") {
                (r, 'b')
            } else if let Some(r) = stem.strip_suffix("ecb") {
                (r, 'a')
            } else {
                continue;
            };
            let Some(num) = rest.split('_').nth(1).and_then(|n| n.parse().ok()) else {
                continue;
            };
            let xml = std::fs::read_to_string(f.path()).unwrap();
            let mut sents = ecb_sentences(&xml);
            if sents.is_empty() {
                continue;
            }
            let headline = sents.remove(0);
            out.push(EcbDoc {
                topic,
                sub,
                num,
                headline,
                paragraphs: sents,
            });
        }
    }
    out.sort_by_key(|d| (d.num, d.topic, d.sub));
    out
}

struct Scores {
    p: f64,
    r: f64,
    f1: f64,
    clusters: usize,
    mixed_sub: usize,
    mixed_topic: usize,
    joined_wrong_sub: usize,
}

fn b_cubed(assign: &[(u64, (u32, char))]) -> Scores {
    let mut by_cluster: HashMap<u64, Vec<(u32, char)>> = HashMap::new();
    let mut gold_size: HashMap<(u32, char), usize> = HashMap::new();
    for (c, g) in assign {
        by_cluster.entry(*c).or_default().push(*g);
        *gold_size.entry(*g).or_default() += 1;
    }
    let (mut p, mut r) = (0.0, 0.0);
    for (c, g) in assign {
        let members = &by_cluster[c];
        let same = members.iter().filter(|m| *m == g).count() as f64;
        p += same / members.len() as f64;
        r += same / gold_size[g] as f64;
    }
    let n = assign.len() as f64;
    let (p, r) = (p / n, r / n);
    let mut mixed_sub = 0;
    let mut mixed_topic = 0;
    let mut joined_wrong_sub = 0;
    for members in by_cluster.values() {
        let topics: HashSet<u32> = members.iter().map(|m| m.0).collect();
        if topics.len() > 1 {
            mixed_topic += 1;
        }
        let subs: HashSet<(u32, char)> = members.iter().copied().collect();
        if topics
            .iter()
            .any(|t| subs.contains(&(*t, 'a')) && subs.contains(&(*t, 'b')))
        {
            mixed_sub += 1;
        }
        // Documents outside the cluster's majority gold sub-topic.
        let mut counts: HashMap<(u32, char), usize> = HashMap::new();
        for m in members {
            *counts.entry(*m).or_default() += 1;
        }
        joined_wrong_sub += members.len() - counts.values().max().copied().unwrap_or(0);
    }
    Scores {
        p,
        r,
        f1: if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        },
        clusters: by_cluster.len(),
        mixed_sub,
        mixed_topic,
        joined_wrong_sub,
    }
}

fn ecb_part(root: &Path, show: bool) {
    let dir = root.join("events/ecbplus/ECB+");
    if !dir.is_dir() {
        println!("SKIP ECB+: {} not found\n", dir.display());
        return;
    }
    let t0 = Instant::now();
    let docs = load_ecb(&dir);
    let base = Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0).unwrap();
    // Days between a topic's two events (STORIES_EVENT_GAP_DAYS, default 45; try 7 for a
    // follow-up event a week later).
    let gap: i64 = std::env::var("STORIES_EVENT_GAP_DAYS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(45);
    let plausible = |d: &EcbDoc| {
        let day = 3 * d.topic as i64 + if d.sub == 'b' { gap } else { 0 };
        base + chrono::Duration::days(day) + chrono::Duration::hours(((d.num * 7) % 48) as i64)
    };
    // Features once per setting (dates in the text resolve against the publication time).
    let build = |time: &dyn Fn(&EcbDoc) -> DateTime<Utc>| -> Vec<(StoryDoc, DocClaims)> {
        docs.iter()
            .enumerate()
            .map(|(i, d)| {
                let when = time(d);
                let article = Article {
                    headline: Some(d.headline.clone()),
                    paragraphs: d.paragraphs.clone(),
                    published: Some(when.fixed_offset()),
                    lang: Some("en".into()),
                    ..Article::default()
                };
                let claims = extract_claims(&article, Some(when.fixed_offset()));
                let doc = StoryDoc {
                    id: i as DocId,
                    outlet: outlet_name(d),
                    published: Some(when),
                    features: features(&article, &claims),
                };
                (doc, claims)
            })
            .collect()
    };
    let (same_time, same_time_claims): (Vec<StoryDoc>, Vec<DocClaims>) =
        build(&|_| base).into_iter().unzip();
    let (timed, timed_claims): (Vec<StoryDoc>, Vec<DocClaims>) =
        build(&plausible).into_iter().unzip();
    let feat_time = t0.elapsed();
    let topics: HashSet<u32> = docs.iter().map(|d| d.topic).collect();
    println!(
        "## ECB+ story clustering\n\n{} documents, {} topics, {} gold sub-topics; parsing + claims + features for both settings {:.1} s.\n",
        docs.len(),
        topics.len(),
        docs.iter()
            .map(|d| (d.topic, d.sub))
            .collect::<HashSet<_>>()
            .len(),
        feat_time.as_secs_f64()
    );
    println!(
        "| setting | vetoes | threshold | B³ P | B³ R | B³ F1 | clusters | clusters mixing a/b of a topic | docs outside their cluster's majority sub-topic | clusters mixing topics | ms/doc |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    let no_veto = Params {
        place_penalty: 1.0,
        date_penalty: 1.0,
        people_penalty: 1.0,
        ..Params::default()
    };
    let def = Params::default();
    let only = |pl: bool, da: bool, pe: bool| Params {
        place_penalty: if pl { def.place_penalty } else { 1.0 },
        date_penalty: if da { def.date_penalty } else { 1.0 },
        people_penalty: if pe { def.people_penalty } else { 1.0 },
        ..def.clone()
    };
    let runs: Vec<(&str, &Vec<StoryDoc>, &str, Params)> = vec![
        ("no time signal", &same_time, "off", no_veto.clone()),
        (
            "no time signal",
            &same_time,
            "places only",
            only(true, false, false),
        ),
        (
            "no time signal",
            &same_time,
            "dates only",
            only(false, true, false),
        ),
        (
            "no time signal",
            &same_time,
            "people only",
            only(false, false, true),
        ),
        ("no time signal", &same_time, "on", def.clone()),
        ("plausible times", &timed, "off", no_veto),
        (
            "plausible times",
            &timed,
            "places only",
            only(true, false, false),
        ),
        (
            "plausible times",
            &timed,
            "dates only",
            only(false, true, false),
        ),
        (
            "plausible times",
            &timed,
            "people only",
            only(false, false, true),
        ),
        ("plausible times", &timed, "on", def.clone()),
        (
            "no time signal",
            &same_time,
            "on",
            Params {
                threshold: def.threshold + 0.08,
                ..def.clone()
            },
        ),
        (
            "no time signal",
            &same_time,
            "on",
            Params {
                threshold: def.threshold - 0.06,
                ..def.clone()
            },
        ),
    ];
    // (row label, clusters as document indices, the setting's documents)
    type Compared<'a> = (String, Vec<Vec<usize>>, &'a Vec<StoryDoc>);
    let mut compared: Vec<Compared> = Vec::new();
    for (name, feats, veto, params) in runs {
        let threshold = params.threshold;
        let mut ix = StoryIndex::with_params(params);
        let t = Instant::now();
        for f in feats.iter() {
            ix.add(f.clone());
        }
        let el = t.elapsed();
        let assign: Vec<(u64, (u32, char))> = docs
            .iter()
            .enumerate()
            .map(|(i, d)| (ix.story_of(i as DocId).unwrap().0, (d.topic, d.sub)))
            .collect();
        let s = b_cubed(&assign);
        println!(
            "| {name} | {veto} | {threshold:.2} | {:.3} | {:.3} | {:.3} | {} | {} | {} | {} | {:.2} |",
            s.p,
            s.r,
            s.f1,
            s.clusters,
            s.mixed_sub,
            s.joined_wrong_sub,
            s.mixed_topic,
            el.as_secs_f64() * 1000.0 / docs.len() as f64
        );
        let mut clusters: BTreeMap<u64, Vec<usize>> = BTreeMap::new();
        for (i, (c, _)) in assign.iter().enumerate() {
            clusters.entry(*c).or_default().push(i);
        }
        compared.push((
            format!("{name} | {veto} | {threshold:.2}"),
            clusters.into_values().collect(),
            feats,
        ));
    }
    // Baselines for scale.
    let one: Vec<(u64, (u32, char))> = docs
        .iter()
        .map(|d| (d.topic as u64, (d.topic, d.sub)))
        .collect();
    let s = b_cubed(&one);
    println!(
        "| baseline: one cluster per gold *topic* | – | – | {:.3} | {:.3} | {:.3} | {} | {} | – | 0 | – |",
        s.p, s.r, s.f1, s.clusters, s.mixed_sub
    );
    println!();

    // Cross-outlet comparison inside the clusters.
    let by_topic: BTreeMap<u32, Vec<usize>> =
        docs.iter()
            .enumerate()
            .fold(BTreeMap::new(), |mut m, (i, d)| {
                m.entry(d.topic).or_default().push(i);
                m
            });
    let by_topic: Vec<Vec<usize>> = by_topic.into_values().collect();
    compared.push((
        "gold: one story per *topic*, no time signal | – | –".to_string(),
        by_topic.clone(),
        &same_time,
    ));
    compared.push((
        "gold: one story per *topic*, plausible times | – | –".to_string(),
        by_topic,
        &timed,
    ));
    println!(
        "## Cross-outlet comparison inside the clusters\n\n`compare_story` over every cluster of ≥ 2 documents, each document an outlet. Findings counted by the gold sub-topics of their claims: *same event* (one sub-topic; context: real disagreements between reports or extraction noise), *different events* (both sub-topics of a topic: target 0), *different topics*. ≥ T: outcome tension or louder; ≥ D: disputed or conflict.\n"
    );
    println!(
        "| setting | vetoes | threshold | stories compared | same event ≥ T | same event ≥ D | **different events ≥ T** | **different events ≥ D** | different topics ≥ T | different topics ≥ D | ms |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    let mut examples: Vec<String> = Vec::new();
    for (label, clusters, feats) in &compared {
        let claims = if std::ptr::eq(*feats, &same_time) {
            &same_time_claims
        } else {
            &timed_claims
        };
        let t = Instant::now();
        let mut n = CrossCounts::default();
        for members in clusters.iter().filter(|m| m.len() >= 2) {
            n.stories += 1;
            let story: Vec<OutletDoc> = members
                .iter()
                .map(|&i| OutletDoc {
                    outlet: feats[i].outlet.clone(),
                    url: format!("ecb://{}", feats[i].outlet),
                    published: feats[i].published.expect("timed").fixed_offset(),
                    claims: claims[i].clone(),
                })
                .collect();
            for f in compare_story(&story) {
                let Some(kind) = n.count(&f) else { continue };
                if kind != "same event" && (show || f.outcome >= Outcome::Disputed) {
                    let mut e = format!(
                        "{label} | {kind}: [{}] {}",
                        f.outcome.as_str(),
                        f.explanation
                    );
                    if show {
                        for c in &f.claims {
                            e.push_str(&format!(
                                "\n    - {}: «{}» in «{}»",
                                c.outlet, c.text, c.sentence
                            ));
                        }
                    }
                    examples.push(e);
                }
            }
        }
        println!(
            "| {label} | {} | {} | {} | **{}** | **{}** | {} | {} | {:.0} |",
            n.stories,
            n.same[0],
            n.same[1],
            n.sub[0],
            n.sub[1],
            n.topic[0],
            n.topic[1],
            t.elapsed().as_secs_f64() * 1000.0
        );
    }
    if !examples.is_empty() {
        let cap = if show { usize::MAX } else { 20 };
        println!(
            "\n{} findings across events{} (`-- --ecb --show` lists all with their sentences):\n",
            if show { "Reportable" } else { "Loud" },
            if examples.len() > cap {
                format!(", first {cap} of {}", examples.len())
            } else {
                String::new()
            }
        );
        for e in examples.iter().take(cap) {
            println!("- {e}");
        }
    }
    println!();
}

/// The outlet name of an ECB+ document, from which its gold sub-topic is read back.
fn outlet_name(d: &EcbDoc) -> String {
    format!("ecb{}_{}{}", d.topic, d.num, d.sub)
}

/// (topic, sub-topic) of an outlet named by [`outlet_name`].
fn gold_of(outlet: &str) -> Option<(u32, char)> {
    let rest = outlet.strip_prefix("ecb")?;
    let (topic, num) = rest.split_once('_')?;
    Some((topic.parse().ok()?, num.chars().last()?))
}

/// Reportable findings by where their claims come from: [≥ tension, ≥ disputed].
#[derive(Default)]
struct CrossCounts {
    stories: usize,
    same: [usize; 2],
    sub: [usize; 2],
    topic: [usize; 2],
}

impl CrossCounts {
    /// Counts a finding when it is at least a tension; returns where its claims come from.
    fn count(&mut self, f: &Finding) -> Option<&'static str> {
        if f.outcome < Outcome::Tension {
            return None;
        }
        let golds: HashSet<(u32, char)> =
            f.claims.iter().filter_map(|c| gold_of(&c.outlet)).collect();
        let topics: HashSet<u32> = golds.iter().map(|g| g.0).collect();
        let (slot, kind) = if topics.len() > 1 {
            (&mut self.topic, "different topics")
        } else if golds.len() > 1 {
            (&mut self.sub, "different events")
        } else {
            (&mut self.same, "same event")
        };
        slot[0] += 1;
        if f.outcome >= Outcome::Disputed {
            slot[1] += 1;
        }
        Some(kind)
    }
}

// ---------------------------------------------------------------------------------------------
// Cost

/// One synthetic article of a story as clustered, and the time its features took.
fn synth_doc(sy: &mut synth::Synth, st: &synth::SynthStory, id: DocId) -> (StoryDoc, Duration) {
    let article = sy.article(st);
    let t = Instant::now();
    let claims = DocClaims {
        headline: article.headline.clone(),
        sentences: article.paragraphs.clone(),
        claims: Vec::new(),
    };
    let features = features(&article, &claims);
    let el = t.elapsed();
    (
        StoryDoc {
            id,
            outlet: format!("outlet{}", id % 50),
            published: article.published.map(|p| p.with_timezone(&Utc)),
            features,
        },
        el,
    )
}

fn rss_kib() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    s.lines()
        .find(|l| l.starts_with("VmRSS:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn pct(v: &mut [Duration], q: f64) -> f64 {
    v.sort();
    let i = ((v.len() as f64 - 1.0) * q).round() as usize;
    v[i].as_secs_f64() * 1000.0
}

fn cost_part() {
    const STORIES: usize = 5_000;
    const DOCS: usize = 100_000;
    const ADDS: usize = 1_000;
    let mut sy = synth::Synth::new(7);
    let base = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
    // Stories spread over a year, in arrival order.
    let stories: Vec<synth::SynthStory> = (0..STORIES)
        .map(|i| sy.story(base + chrono::Duration::minutes((i * 365 * 24 * 60 / STORIES) as i64)))
        .collect();
    // Articles arrive roughly in time order: story by story within a sliding band.
    let rss0 = rss_kib();
    let mut order: Vec<(i64, usize)> = (0..DOCS)
        .map(|i| {
            let s = i % STORIES;
            (stories[s].t0.timestamp() + sy.rng.i64(0..3 * 86_400), s)
        })
        .collect();
    order.sort();
    let mut feat_time = Duration::ZERO;
    let mut docs = Vec::with_capacity(DOCS);
    let mut truth: HashMap<DocId, usize> = HashMap::new();
    for (i, (_, s)) in order.iter().enumerate() {
        let (d, el) = synth_doc(&mut sy, &stories[*s], i as DocId);
        feat_time += el;
        truth.insert(i as DocId, *s);
        docs.push(d);
    }
    let mut ix = StoryIndex::new();
    let t = Instant::now();
    for d in docs {
        ix.add(d);
    }
    let build = t.elapsed();
    let rss1 = rss_kib();
    // Purity of the built clustering against the synthetic stories.
    let mut by_story: BTreeMap<u64, Vec<usize>> = BTreeMap::new();
    for (id, s) in &truth {
        by_story
            .entry(ix.story_of(*id).unwrap().0)
            .or_default()
            .push(*s);
    }
    let assign: Vec<(u64, (u32, char))> = truth
        .iter()
        .map(|(id, s)| (ix.story_of(*id).unwrap().0, (*s as u32, 'a')))
        .collect();
    let bc = b_cubed(&assign);
    // Timed adds: new articles of stories active at the end of the stream (the recent window).
    let mut times = Vec::with_capacity(ADDS);
    let mut correct = 0;
    for k in 0..ADDS {
        let s = STORIES - 1 - sy.rng.usize(0..200);
        let (mut d, _) = synth_doc(&mut sy, &stories[s], (DOCS + k) as DocId);
        d.published = stories[s]
            .t0
            .checked_add_signed(chrono::Duration::hours(12));
        let existing = truth.iter().find(|(_, v)| **v == s).map(|(id, _)| *id);
        let t = Instant::now();
        let a = ix.add(d);
        times.push(t.elapsed());
        if existing.and_then(|e| ix.story_of(e)) == Some(a.story) {
            correct += 1;
        }
    }
    println!("## Cost: adding one article to a store of 100,000 articles / 5,000 stories\n");
    println!("| measure | value |\n|---|---|");
    println!("| articles in the index | {} |", ix.len());
    println!("| stories found (5,000 synthetic) | {} |", ix.story_count());
    println!(
        "| B³ P / R / F1 of the built clustering vs synthetic stories | {:.3} / {:.3} / {:.3} |",
        bc.p, bc.r, bc.f1
    );
    println!(
        "| build: 100,000 adds | {:.1} s ({:.3} ms/add) |",
        build.as_secs_f64(),
        build.as_secs_f64() * 1000.0 / DOCS as f64
    );
    println!(
        "| features() per synthetic article (not in the add time) | {:.3} ms |",
        feat_time.as_secs_f64() * 1000.0 / DOCS as f64
    );
    let median = pct(&mut times, 0.5);
    let p99 = pct(&mut times, 0.99);
    let max = pct(&mut times, 1.0);
    println!("| add one article: median | {median:.3} ms |");
    println!("| add one article: p99 | {p99:.3} ms |");
    println!("| add one article: max | {max:.3} ms |");
    println!("| timed adds that joined their true story | {correct} / {ADDS} |");
    println!(
        "| index heap estimate (heap_bytes) | {:.1} MiB |",
        ix.heap_bytes() as f64 / 1048576.0
    );
    if let (Some(a), Some(b)) = (rss0, rss1) {
        println!(
            "| process RSS growth while building (features + index) | {:.1} MiB |",
            (b.saturating_sub(a)) as f64 / 1024.0
        );
    }
    println!(
        "| target: < 50 ms per add | {} |",
        if p99 < 50.0 { "met (p99)" } else { "NOT met" }
    );
    println!();
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures");
    let args: Vec<String> = std::env::args().collect();
    let only_cost = args.iter().any(|a| a == "--cost");
    let only_ecb = args.iter().any(|a| a == "--ecb");
    if !only_cost {
        ecb_part(&root, args.iter().any(|a| a == "--show"));
    }
    if !only_ecb {
        cost_part();
    }
}
