use super::*;

#[test]
fn debug_pair() {
    let read = |p: &str| {
        let html = std::fs::read_to_string(p).unwrap();
        crate::extract::extract_html(&html, None).unwrap()
    };
    let mut ix = StoryIndex::new();
    for (i, f) in ["/tmp/st/b.html", "/tmp/st/c.html", "/tmp/st/a.html"].iter().enumerate() {
        let a = read(f);
        let c = claims::extract_claims(&a, a.published);
        let d = StoryDoc { id: i as i64, outlet: format!("o{i}"), published: a.published.map(|p| p.with_timezone(&Utc)), features: features(&a, &c) };
        for (sid, _) in ix.stories().map(|(s, d)| (s, d.to_vec())).collect::<Vec<_>>() {
            eprintln!("{f} vs {sid:?}: {:?}", ix.explain(&d, sid));
        }
        eprintln!("lead {:?}", d.features.lead);
        let r = ix.add(d);
        eprintln!("{f}: {r:?}");
    }
}
