use super::super::tests::PARAS;
use super::super::{ATTEMPTS, Dom, PageText, extract_body};
use super::{furniture_attr, furniture_box};
use scraper::Html;

fn body_text(html: &str) -> String {
    let doc = Html::parse_document(html);
    extract_body(&Dom::new(&doc), None, None)
        .unwrap()
        .paragraphs
        .join("\n")
}

fn paras() -> String {
    PARAS.iter().map(|p| format!("<p>{p}</p>")).collect()
}

/// Whether the first element with class `class` is furniture, with the 40 % guard off (as
/// if a long comment thread held most of the page's paragraph text).
fn furniture(html: &str, class: &str) -> bool {
    let doc = Html::parse_document(html);
    let dom = Dom::new(&doc);
    let page = PageText::new(&dom, None);
    let i = (0..dom.len())
        .find(|&i| dom.nodes[i].attrs.class == class)
        .unwrap();
    let tag = dom.nodes[i].tag().unwrap();
    furniture_box(&dom, &page, i, tag, ATTEMPTS[0], page.p_chars[0] * 10)
}

/// WordPress writes a post's categories into its classes ("category-no-newsletter-rss"): the
/// container holding the headline is the article whatever its topics are called.
#[test]
fn the_headline_article_is_not_furniture_for_its_topic_classes() {
    let class = "post-7972 post type-post category-no-newsletter-rss entry";
    let html = format!(
        r#"<html><body><main><article class="{class}"><h1>Pier to close</h1>{}</article>
        <article class="newsletter-teaser"><h2>Our newsletter</h2><p>Get the harbour news every morning.</p></article>
        </main></body></html>"#,
        paras()
    );
    assert!(!furniture(&html, class));
    // negative: another `<article>` with the same word, not holding the headline, still goes
    assert!(furniture(&html, "newsletter-teaser"));
}

/// An author box (photo, "About Kathrin", the bio) inside the article is not its text.
#[test]
fn an_author_box_is_furniture() {
    let html = format!(
        r#"<html><body><article><h1>Pier to close</h1>{}
        <section class="bmg-content-box bmg-author-box"><h3>About Mira</h3>
        <p>Hello, I am a food blogger, cookbook author and journalist, and I have loved baking since I was a child.</p></section>
        </article></body></html>"#,
        paras()
    );
    let text = body_text(&html);
    assert!(text.contains(PARAS[3]), "{text}");
    assert!(!text.contains("food blogger"), "{text}");
    assert!(furniture_attr("author-bio clr", "", &mut String::new()));
}

/// Negative: "author" alone names the writer's own content or a byline slot, not a bio box:
/// a page whose article sits in `<div class="author-content">` keeps it.
#[test]
fn author_alone_is_not_furniture() {
    let mut buf = String::new();
    for class in [
        "author-content",
        "entry-author",
        "post-authors",
        "authorship",
    ] {
        assert!(!furniture_attr(class, "", &mut buf), "{class}");
    }
    let html = format!(
        r#"<html><body><div class="author-content"><h1>Pier to close</h1>{}</div></body></html>"#,
        paras()
    );
    assert!(body_text(&html).contains(PARAS[0]));
}
