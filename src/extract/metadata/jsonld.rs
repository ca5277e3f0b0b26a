//! JSON-LD: the most article-like object among a page's blocks.

use super::{Dom, Value};

/// The most article-like object among all JSON-LD blocks.
pub(super) fn json_ld_article(dom: &Dom, scripts: &[usize]) -> Option<Value> {
    let mut candidates = Vec::new();
    for &i in scripts {
        let raw: String = dom.nodes[i + 1..dom.nodes[i].end as usize]
            .iter()
            .filter_map(|n| n.text())
            .collect();
        let raw = raw
            .trim()
            .trim_start_matches("<!--")
            .trim_end_matches("-->");
        // `<![CDATA[ ... ]]>`, bare or behind `//` line comments
        let raw = raw.trim().trim_start_matches("//").trim_start();
        let raw = raw.strip_prefix("<![CDATA[").unwrap_or(raw).trim();
        let raw = raw.strip_suffix("]]>").unwrap_or(raw).trim_end();
        let raw = raw.strip_suffix("//").unwrap_or(raw).trim();
        // The first JSON value: some templates leave a stray `}` or a second object after it.
        let first = |raw: &str| {
            serde_json::Deserializer::from_str(raw)
                .into_iter::<Value>()
                .next()
                .and_then(Result::ok)
        };
        let value: Value = match first(raw) {
            Some(v) => v,
            // Some sites emit literal newlines/tabs inside strings; retry without them.
            None => match first(&raw.replace(['\n', '\r', '\t'], " ")) {
                Some(v) => v,
                None => continue,
            },
        };
        collect_objects(&value, &mut candidates, 0);
    }
    candidates
        .into_iter()
        .filter_map(|o| article_rank(&o).map(|r| (r, o)))
        .max_by_key(|(r, _)| *r)
        .map(|(_, o)| o)
}

pub(super) fn collect_objects(v: &Value, out: &mut Vec<Value>, depth: usize) {
    if depth > 8 {
        return;
    }
    match v {
        Value::Array(items) => items
            .iter()
            .for_each(|i| collect_objects(i, out, depth + 1)),
        Value::Object(map) => {
            if let Some(g) = map.get("@graph") {
                collect_objects(g, out, depth + 1);
            }
            if let Some(e) = map.get("mainEntity") {
                collect_objects(e, out, depth + 1);
            }
            out.push(v.clone());
        }
        _ => {}
    }
}

pub(super) fn article_rank(o: &Value) -> Option<u8> {
    let types: Vec<String> = match o.get("@type")? {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a
            .iter()
            .filter_map(|t| t.as_str().map(String::from))
            .collect(),
        _ => return None,
    };
    types
        .iter()
        .map(|t| match t.as_str() {
            "NewsArticle"
            | "ReportageNewsArticle"
            | "AnalysisNewsArticle"
            | "OpinionNewsArticle"
            | "BackgroundNewsArticle"
            | "LiveBlogPosting" => 4,
            "Article" | "BlogPosting" | "ScholarlyArticle" | "TechArticle" | "Report" => 3,
            "WebPage" | "ItemPage" => 1,
            _ => 0,
        })
        .max()
        .filter(|r| *r > 0)
}

pub(super) fn str_field(o: &Value, keys: &[&str]) -> Option<String> {
    for k in keys {
        let v = match o.get(*k) {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Array(a)) => a.iter().find_map(|x| x.as_str().map(String::from)),
            Some(Value::Object(m)) => m
                .get("@id")
                .or_else(|| m.get("name"))
                .and_then(|x| x.as_str())
                .map(String::from),
            _ => None,
        };
        if let Some(v) = v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()) {
            return Some(v);
        }
    }
    None
}
