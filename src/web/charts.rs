//! Server-rendered SVG charts (pure): edits over time per outlet, and one fact's value over
//! the versions of an article. Every text that reaches the SVG goes through [`esc`]; colours
//! are CSS classes (`s0`…`s7`), so the strict CSP needs no inline style.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::store::EditCount;

const W: f64 = 640.0;
const H: f64 = 200.0;
const LEFT: f64 = 40.0;
const RIGHT: f64 = 10.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 30.0;
/// Outlets drawn separately; the rest are summed as "others".
const SERIES: usize = 7;

/// XML text and attribute escaping.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// A named series of (x, y) points; x is a position on the axis (0..n).
pub struct Series {
    pub name: String,
    pub points: Vec<(f64, f64)>,
}

/// A line chart with `labels` under the x positions 0..labels.len().
pub fn line_chart(title: &str, labels: &[String], series: &[Series]) -> String {
    let n = labels.len().max(2) as f64 - 1.0;
    let ymax = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .fold(0.0f64, f64::max);
    let ymin = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .fold(f64::INFINITY, f64::min)
        .min(0.0);
    let ymax = if ymax <= ymin { ymin + 1.0 } else { ymax };
    let x = |i: f64| LEFT + i / n * (W - LEFT - RIGHT);
    let y = |v: f64| TOP + (1.0 - (v - ymin) / (ymax - ymin)) * (H - TOP - BOTTOM);
    let mut svg = format!(
        r#"<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-label="{t}" xmlns="http://www.w3.org/2000/svg"><title>{t}</title>"#,
        t = esc(title)
    );
    // axes and the y range
    let _ = write!(
        svg,
        r#"<line class="axis" x1="{LEFT}" y1="{b}" x2="{r}" y2="{b}"/><line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{b}"/><text class="tick" x="{tx}" y="{yt}" text-anchor="end">{hi}</text><text class="tick" x="{tx}" y="{b}" text-anchor="end">{lo}</text>"#,
        b = H - BOTTOM,
        r = W - RIGHT,
        tx = LEFT - 4.0,
        yt = TOP + 8.0,
        hi = esc(&crate::web::load::value_text(&serde_json::json!(ymax))),
        lo = esc(&crate::web::load::value_text(&serde_json::json!(ymin))),
    );
    // at most ~8 x labels
    let step = labels.len().div_ceil(8).max(1);
    for (i, l) in labels.iter().enumerate().filter(|(i, _)| i % step == 0) {
        let _ = write!(
            svg,
            r#"<text class="tick" x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            x(i as f64),
            H - BOTTOM + 16.0,
            esc(l)
        );
    }
    for (k, s) in series.iter().enumerate() {
        let pts: Vec<String> = s
            .points
            .iter()
            .map(|&(px, py)| format!("{:.1},{:.1}", x(px), y(py)))
            .collect();
        let _ = write!(
            svg,
            r#"<g class="series s{k}"><title>{}</title><polyline fill="none" points="{}"/>"#,
            esc(&s.name),
            pts.join(" ")
        );
        for &(px, py) in &s.points {
            let label = labels.get(px as usize).map(String::as_str).unwrap_or("");
            let _ = write!(
                svg,
                r#"<circle cx="{:.1}" cy="{:.1}" r="3"><title>{}: {} ({})</title></circle>"#,
                x(px),
                y(py),
                esc(&s.name),
                esc(&crate::web::load::value_text(&serde_json::json!(py))),
                esc(label)
            );
        }
        svg.push_str("</g>");
    }
    svg.push_str("</svg>");
    svg
}

/// Edits per day and outlet over `days` (oldest first), the busiest outlets drawn apart.
/// Returns the SVG and the legend (outlet, colour class).
pub fn edits_chart(counts: &[EditCount], days: &[String]) -> (String, Vec<(String, String)>) {
    let mut by_outlet: BTreeMap<&str, BTreeMap<&str, i64>> = BTreeMap::new();
    for c in counts {
        *by_outlet
            .entry(&c.outlet)
            .or_default()
            .entry(&c.day)
            .or_default() += c.edits;
    }
    let mut totals: Vec<(&str, i64)> = by_outlet
        .iter()
        .map(|(o, d)| (*o, d.values().sum()))
        .collect();
    totals.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut series = Vec::new();
    let mut others: BTreeMap<&str, i64> = BTreeMap::new();
    for (i, (outlet, _)) in totals.iter().enumerate() {
        let per_day = &by_outlet[outlet];
        if i < SERIES {
            series.push(Series {
                name: outlet.to_string(),
                points: days
                    .iter()
                    .enumerate()
                    .map(|(x, d)| (x as f64, *per_day.get(d.as_str()).unwrap_or(&0) as f64))
                    .collect(),
            });
        } else {
            for (d, n) in per_day {
                *others.entry(d).or_default() += n;
            }
        }
    }
    if !others.is_empty() {
        series.push(Series {
            name: "others".into(),
            points: days
                .iter()
                .enumerate()
                .map(|(x, d)| (x as f64, *others.get(d.as_str()).unwrap_or(&0) as f64))
                .collect(),
        });
    }
    let labels: Vec<String> = days
        .iter()
        .map(|d| d.get(5..).unwrap_or(d).to_string())
        .collect();
    let legend = series
        .iter()
        .enumerate()
        .map(|(k, s)| (s.name.clone(), format!("s{k}")))
        .collect();
    (
        line_chart("Edits per day by outlet", &labels, &series),
        legend,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_escape_names_and_place_points() {
        let counts = vec![
            EditCount {
                day: "2026-01-02".into(),
                outlet: "<script>x</script>".into(),
                edits: 3,
            },
            EditCount {
                day: "2026-01-03".into(),
                outlet: "B".into(),
                edits: 1,
            },
        ];
        let days = vec!["2026-01-02".to_string(), "2026-01-03".to_string()];
        let (svg, legend) = edits_chart(&counts, &days);
        assert!(!svg.contains("<script>"), "{svg}");
        assert!(svg.contains("&lt;script&gt;x&lt;/script&gt;"));
        assert_eq!(legend[0].0, "<script>x</script>");
        assert_eq!(svg.matches("<circle").count(), 4);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    }
}
