//! Headlines and titles: the display `<h1>`, the site's banner, and a title without its
//! site or section name.

use super::jsonld::str_field;
use super::{Value, clean_inline, words};

/// The headline a reader sees above the article: an `<h1>` that is not the site's banner
/// and reads as a headline (2-40 words). One that shares most of its words with the metadata
/// title comes first; a lone `<h1>` of 4+ words is the display headline even when the SEO
/// title says something else (publishers rewrite one without the other).
pub(super) fn display_h1(
    h1s: &[String],
    banner: Option<&str>,
    site: Option<&str>,
    title: Option<&str>,
) -> Option<String> {
    let credible: Vec<&String> = h1s
        .iter()
        .filter(|h| {
            let n = h.split_whitespace().count();
            // a Japanese or Chinese headline has no spaces: its length is in characters
            let cjk = h
                .chars()
                .filter(|&c| ('\u{3040}'..='\u{9fff}').contains(&c))
                .count();
            Some(h.as_str()) != banner
                && !site.is_some_and(|s| s.eq_ignore_ascii_case(h))
                && ((2..=40).contains(&n) || (n == 1 && (6..=120).contains(&cjk)))
        })
        .collect();
    let tw = words(title.unwrap_or(""));
    let related = |h: &&&String| {
        let hw = words(h);
        let shared = hw.iter().filter(|w| tw.contains(w)).count();
        let shorter = hw.len().min(tw.len()).max(1);
        shared * 2 >= shorter
    };
    let h = credible.iter().find(related).or_else(|| {
        (credible.len() == 1 && credible[0].split_whitespace().count() >= 4).then(|| &credible[0])
    })?;
    // an h1 that is a cut-down of the title ("Lina Morgana" / "Lina Morgana on Twitter",
    // "Lust for Youth" / "Lust for Youth: Lust for Youth") is a label; the title says more
    // (a plural is the same word: "Millennial Decorating Mistakes" cuts down "The 5 Biggest
    // Decorating Mistakes Millennials Make")
    let hw = words(h);
    // the title is the h1 plus a short label after a separator ("A Light Filled LA Loft —
    // House Call", "見出し : スポーツ"): a column or section name, not more headline
    if let Some(label) = title
        .and_then(|t| t.strip_prefix(h.as_str()))
        .and_then(|r| r.trim_start().strip_prefix(TITLE_SEPS))
        .map(str::trim)
        && !label.is_empty()
        && label.split_whitespace().count() <= 4
        && label.chars().count() < h.chars().count()
        && words(label) != hw
    {
        return Some((*h).clone());
    }
    let stem = |w: &str| w.strip_suffix('s').unwrap_or(w).to_string();
    let ts: Vec<String> = tw.iter().map(|w| stem(w)).collect();
    if let Some(t) = title
        && tw.len() > hw.len()
        && hw.iter().all(|w| ts.contains(&stem(w)))
    {
        return Some(t.to_string());
    }
    Some((*h).clone())
}

/// Separators that join a headline to a site, section or column name in a title.
pub(super) const TITLE_SEPS: &[char] = &['-', '|', '–', '—', '_', ':', '：', '·', '»', '｜', '@'];

/// A heading's text without the permalink mark that documentation generators append
/// (Sphinx's "¶", "§", "#", "🔗").
pub(super) fn heading_text(raw: &str) -> String {
    let t = clean_inline(raw);
    let kept = t
        .trim_end_matches(['¶', '§', '🔗', '⚓'])
        .trim_end_matches(" #")
        .trim_end();
    if kept.len() == t.len() {
        t
    } else {
        kept.to_string()
    }
}

/// Strips a trailing " | Site Name" / " - Section" (or a leading "Site: ") from a title.
pub fn clean_title(title: &str, site: Option<&str>) -> String {
    let mut t = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let site = site.map(|s| words(s).join(" ")).filter(|s| !s.is_empty());
    // A separated part is the site when it is the site's name or a piece of it ("Nightly
    // News" of "Firefox Nightly News"), or the name with a word or two more ("Reuters
    // Breakingviews"); a part that merely mentions the site ("Netflix boss Reed Hastings") is
    // the headline's own.
    let is_site = |part: &str| {
        let pw = words(part);
        let p = pw.join(" ");
        site.as_ref().is_some_and(|s| {
            !p.is_empty()
                && (s.contains(&p)
                    || (p.contains(s.as_str()) && pw.len() <= s.split(' ').count() + 2))
        })
    };
    // A title that is the site's name ("Yahoo News - Latest News & Headlines" on the site of
    // that name) has no headline in it to free: kept whole.
    if site.as_ref().is_some_and(|s| words(&t).join(" ") == *s) {
        return t;
    }
    let seps = [
        " | ", " - ", " – ", " — ", " ｜ ", "｜", " :: ", " · ", " » ", " « ",
    ];
    for round in 0..2 {
        let cut = seps
            .iter()
            .filter_map(|sep| t.rfind(sep).map(|i| (i, sep.len())))
            .max();
        let Some((i, n)) = cut else { break };
        let (head, tail) = (&t[..i], &t[i + n..]);
        let head_ok = head.split_whitespace().count() >= 3 || head.chars().count() >= 12;
        let tail_short = tail.split_whitespace().count() <= 4 && tail.chars().count() <= 30;
        let subtitle = tail.chars().next().is_some_and(char::is_lowercase);
        let shorter = tail.chars().count() < head.chars().count();
        if is_site(tail)
            || (round == 0 && head_ok && tail_short && !subtitle && shorter && site.is_none())
        {
            t = head.trim().to_string();
        } else {
            break;
        }
    }
    // The site's name glued on with a separator that also occurs inside headlines (CJK
    // titles: "見出し:朝日新聞デジタル", "标题_频道_网站"): cut only when it is the site.
    for sep in ["_", ":", "：", " @ "] {
        if let Some(i) = t.rfind(sep)
            && i > 0
            && is_site(&t[i + sep.len()..])
        {
            t = t[..i].trim().to_string();
            // a short section name left before it goes too ("_智能_好奇心日报")
            if sep == "_"
                && let Some(j) = t.rfind('_')
                && t[j + 1..].chars().count() <= 4
                && t[..j].chars().count() >= 8
            {
                t = t[..j].trim().to_string();
            }
        }
    }
    // The site's name in front: "Site: Headline", "Site - Headline". In front a headline's
    // own kicker stands too ("Evolve: Shared Mutable History" on the site "evolve extension
    // for Mercurial"): the part must be most of the site's name, not one word of it.
    let most_of_site = |part: &str| {
        let p = words(part);
        is_site(part)
            && site
                .as_ref()
                .is_some_and(|s| p.len() * 2 >= s.split(' ').count())
    };
    for sep in [": ", " - ", " | ", " – ", " — ", " :: "] {
        if let Some(i) = t.find(sep).filter(|&i| most_of_site(&t[..i]))
            && !t[i + sep.len()..].trim().is_empty()
        {
            t = t[i + sep.len()..].trim().to_string();
            break;
        }
    }
    t
}

/// An <h1> that is the whole last separator-delimited segment of the <title> (not the title
/// itself): the site's banner.
pub(super) fn banner_site(title: &str, h1s: &[String]) -> Option<String> {
    const SEP: &[char] = TITLE_SEPS;
    let t = title.trim();
    h1s.iter()
        .map(|h| h.trim())
        .filter(|h| h.chars().count() >= 2 && *h != t)
        // Only as the last segment: a first segment is as often the post's own title
        // ("Mozilla - Wikipedia" with <h1>Mozilla</h1>).
        .find(|h| {
            t.strip_suffix(h).map(|r| r.trim_end()).is_some_and(|r| {
                r.ends_with(SEP) && r.trim_end_matches(SEP).trim().chars().count() >= 4
            })
        })
        .map(String::from)
}

/// The JSON-LD headline. When `headline` and `name` disagree (some sites put a description or
/// a type label in one of them) the one closer to the page's `<title>` wins.
pub(super) fn ld_headline(a: &Value, title: Option<&str>) -> Option<String> {
    match (str_field(a, &["headline"]), str_field(a, &["name"])) {
        (Some(h), Some(n)) if h != n => {
            let tw = words(title.unwrap_or(""));
            let shared = |s: &str| {
                let w = words(s);
                w.iter().filter(|x| tw.contains(x)).count() as f32 / w.len().max(1) as f32
            };
            Some(if shared(&n) > shared(&h) { n } else { h })
        }
        (h, n) => h.or(n),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Dom, read_metadata};
    use super::*;

    #[test]
    fn site_names_glued_with_headline_separators_are_cut_only_when_they_are_the_site() {
        assert_eq!(
            clean_title(
                "メディア芸術祭賞、「チコちゃん」が受賞:朝日新聞デジタル",
                Some("朝日新聞デジタル")
            ),
            "メディア芸術祭賞、「チコちゃん」が受賞"
        );
        assert_eq!(
            clean_title(
                "这个约会软件，想用你和对方的相似好恶来帮你找对象_智能_好奇心日报",
                Some("好奇心日报")
            ),
            "这个约会软件，想用你和对方的相似好恶来帮你找对象"
        );
        // a colon or underscore inside the headline stays
        assert_eq!(
            clean_title("Brexit: what happens next", Some("Daily Example")),
            "Brexit: what happens next"
        );
        assert_eq!(
            clean_title("snake_case names explained", Some("Daily Example")),
            "snake_case names explained"
        );
        // the site in front
        assert_eq!(
            clean_title(
                "Daily Example - Floods sweep the valley",
                Some("Daily Example")
            ),
            "Floods sweep the valley"
        );
        // one word of the site's name in front is the headline's own kicker
        assert_eq!(
            clean_title(
                "Evolve: Shared Mutable History — evolve extension for Mercurial",
                Some("evolve extension for Mercurial")
            ),
            "Evolve: Shared Mutable History"
        );
    }

    #[test]
    fn an_h1_that_is_the_titles_last_segment_is_the_site_banner() {
        let h1s = vec!["好奇心日报".to_string()];
        assert_eq!(
            banner_site(
                "这个约会软件，想用你和对方的相似好恶来帮你找对象_智能_好奇心日报",
                &h1s
            )
            .as_deref(),
            Some("好奇心日报")
        );
        // an <h1> that is the first segment is the post's own title, not a banner
        assert_eq!(
            banner_site("Mozilla - Wikipedia", &["Mozilla".to_string()]),
            None
        );
        // and the whole title is no banner either
        assert_eq!(banner_site("Floods", &["Floods".to_string()]), None);
        let page = r#"<html><head><title>这个约会软件，想用你和对方的相似好恶来帮你找对象_智能_好奇心日报</title></head>
            <body><h1><a href="/">好奇心日报</a></h1><article><h2>这个约会软件，想用你和对方的相似好恶来帮你找对象</h2>
            <p>正文。</p></article></body></html>"#;
        let doc = scraper::Html::parse_document(page);
        let m = read_metadata(&Dom::new(&doc), None);
        assert_eq!(m.site_name.as_deref(), Some("好奇心日报"));
        // (NFKC folds the full-width comma)
        assert_eq!(
            m.headline.as_deref(),
            Some("这个约会软件,想用你和对方的相似好恶来帮你找对象")
        );
    }
    #[test]
    fn a_site_name_goes_only_as_a_separated_part_that_is_the_site() {
        // the whole title is the site's name: nothing to cut
        assert_eq!(
            clean_title(
                "Yahoo News - Latest News & Headlines",
                Some("Yahoo News - Latest News & Headlines")
            ),
            "Yahoo News - Latest News & Headlines"
        );
        // a part that mentions the site is the headline's, in front or behind
        assert_eq!(
            clean_title(
                "Netflix boss Reed Hastings: streaming wars are over",
                Some("Netflix")
            ),
            "Netflix boss Reed Hastings: streaming wars are over"
        );
        assert_eq!(
            clean_title(
                "Review | Why I still read The Guardian every day",
                Some("The Guardian")
            ),
            "Review | Why I still read The Guardian every day"
        );
        // another outlet's page: its name, a piece of it, or it with a word more still go
        assert_eq!(
            clean_title("Toll rises to 52 - Daily Example", Some("Daily Example")),
            "Toll rises to 52"
        );
        assert_eq!(
            clean_title(
                "These Weeks in Firefox: Issue 85 – Nightly News",
                Some("Firefox Nightly News")
            ),
            "These Weeks in Firefox: Issue 85"
        );
        assert_eq!(
            clean_title("Oil prices fall | Reuters Breakingviews", Some("Reuters")),
            "Oil prices fall"
        );
        assert_eq!(
            clean_title("Daily Example: Toll rises to 52", Some("Daily Example")),
            "Toll rises to 52"
        );
    }
}
