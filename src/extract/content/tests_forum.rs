//! Forums and pages wrapped in one `<form>`: the page-wide form is not a form, and posts in
//! `comment`-classed boxes are the text when nothing else is.

use super::tests::PARAS;
use super::*;
use scraper::Html;

fn extract(html: &str) -> Result<Body, ContentError> {
    let doc = Html::parse_document(html);
    extract_body(&Dom::new(&doc), None, None)
}

/// Sentences in `<div>`s separated by `<br>`: text without a single `<p>`.
fn br_text(from: usize) -> String {
    (0..4)
        .map(|k| PARAS[(from + k) % 4])
        .collect::<Vec<_>>()
        .join("<br>")
}

/// ASP.NET WebForms: one `<form>` around the whole page.
fn webforms_page(post_class: &str) -> String {
    format!(
        r#"<html><body><form method="post" action="/thread/42" id="HtmlForm1">
        <input type="hidden" name="__VIEWSTATE" value="x">
        <nav><a href="/">Home</a> <a href="/forum">Forum</a></nav>
        <main id="content"><h2>Pier closing in March?</h2>
        <div class="{post_class}"><span>harbourfan</span><div class="text">{}</div></div>
        <div class="{post_class}"><span>skipper</span><div class="text">{}</div></div>
        <div class="{post_class}"><span>harbourfan</span><div class="text">{}</div></div>
        <div>You must log in to take part in a discussion.</div></main>
        <footer><div>Copyright Harbour Forum. All rights reserved.</div></footer>
        </form></body></html>"#,
        br_text(0),
        br_text(1),
        br_text(2)
    )
}

#[test]
fn a_form_around_the_whole_page_is_the_page_not_a_form() {
    let b = extract(&webforms_page("post")).unwrap();
    let all = b.paragraphs.join("\n");
    assert!(all.contains(PARAS[0]), "{:#?}", b.paragraphs);
    assert!(!all.contains("Copyright"), "{:#?}", b.paragraphs);
}

#[test]
fn forum_posts_in_comment_boxes_are_the_text_when_nothing_else_is() {
    let b = extract(&webforms_page("MtnComment")).unwrap();
    let all = b.paragraphs.join("\n");
    assert!(all.contains(PARAS[0]), "{:#?}", b.paragraphs);
    assert!(all.contains(PARAS[3]), "{:#?}", b.paragraphs);
}

/// Negative: on an article page the comments and the comment form stay out.
#[test]
fn an_articles_comments_and_comment_form_stay_out() {
    let html = format!(
        r#"<html><body><div class="site"><article><h1>Ferry fares rise</h1>{}</article>
        <div class="comments"><div class="comment">{}</div><div class="comment">{}</div></div>
        <form action="/comment" method="post"><div>Leave a reply. Your email address will not be published.</div>
        <textarea name="c"></textarea><input type="submit"></form></div></body></html>"#,
        PARAS
            .iter()
            .map(|p| format!("<p>{p}</p>"))
            .collect::<String>(),
        br_text(0).replace(
            PARAS[0],
            "I take this ferry every day and the fares were already high."
        ),
        br_text(1).replace(
            PARAS[1],
            "Nobody asked the passengers before the decision was taken."
        ),
    );
    let b = extract(&html).unwrap();
    let all = b.paragraphs.join("\n");
    assert!(all.contains(PARAS[0]), "{:#?}", b.paragraphs);
    assert!(!all.contains("every day"), "{:#?}", b.paragraphs);
    assert!(!all.contains("Nobody asked"), "{:#?}", b.paragraphs);
    assert!(!all.contains("Leave a reply"), "{:#?}", b.paragraphs);
}

/// The class of an inline element is judged only when it wraps a block that scoring can
/// reach (then its weight counts for the block's score), never otherwise; a block element's
/// class always is.
#[test]
fn inline_classes_are_judged_only_around_blocks() {
    let html = r#"<html><body><a class="article-link" href="/x"><div>Teaser text</div></a>
        <span class="article-body">Inline text only</span>
        <div class="article-box"><p>Some text</p></div></body></html>"#;
    let doc = Html::parse_document(html);
    let dom = Dom::new(&doc);
    let page = page::PageText::new(&dom, None);
    let find = |class: &str| {
        (0..dom.len())
            .find(|&i| dom.nodes[i].attrs.class == class)
            .unwrap()
    };
    assert_eq!(page.weight[find("article-link")], 25.0);
    assert_eq!(page.weight[find("article-body")], 0.0);
    assert_eq!(page.weight[find("article-box")], 25.0);
}

/// Negative: a post that is only an image, outside any article container, does not become
/// its comments (an image board's thread: the comments are not the post).
#[test]
fn an_image_posts_comments_outside_an_article_container_stay_out() {
    let comments: String = (0..3)
        .map(|k| format!(r#"<div class="comment"><div>{}</div></div>"#, br_text(k)))
        .collect();
    let html = format!(
        r#"<html><body><div class="page"><div class="post"><h1>Three dogs on a sofa</h1>
        <img src="dogs.jpg" alt="dogs"></div>
        <div class="comment-list">{comments}</div></div></body></html>"#
    );
    let all = extract(&html)
        .map(|b| b.paragraphs.join("\n"))
        .unwrap_or_default();
    assert!(!all.contains(PARAS[0]), "{all}");
    // the same comments inside the page's <main> are a forum thread
    let thread = html
        .replace(r#"<div class="page">"#, "<main>")
        .replace("</div></div></body>", "</div></main></body>");
    let b = extract(&thread).unwrap();
    assert!(
        b.paragraphs.join("\n").contains(PARAS[0]),
        "{:#?}",
        b.paragraphs
    );
}
