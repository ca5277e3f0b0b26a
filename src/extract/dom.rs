//! The parsed page as a flat, pre-order array of nodes, built once per page and shared by the
//! metadata reader and the body extractor.
//!
//! Why flat: every extraction step (furniture marking, text statistics, scoring, paragraph
//! walking) is then a loop over indices instead of a recursive walk or a hash map keyed by
//! node id, so a page costs a few linear passes beyond the html5ever parse — and deeply
//! nested pages cannot overflow the stack. A node's subtree is `i + 1 .. end[i]`.

use ego_tree::NodeRef;
use scraper::{Html, Node};

/// What the extractor needs to know about an element's tag, decided once per element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// Comments, doctypes, processing instructions: never content.
    Other,
    Element(Tag),
}

/// Tags the extractor treats specially; everything else is `Tag::Other` (inline or generic).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    Html,
    Head,
    Body,
    Title,
    Meta,
    Link,
    Script,
    /// style, noscript, template, iframe, svg, canvas, button, select, textarea, input,
    /// dialog, object, embed, video, audio, map: never article text.
    Drop,
    A,
    P,
    Br,
    Div,
    Section,
    Article,
    Main,
    Header,
    Footer,
    Nav,
    Aside,
    Form,
    H1,
    /// h2–h6
    Heading,
    Ul,
    Ol,
    Li,
    Dl,
    Dt,
    Dd,
    Blockquote,
    Pre,
    Table,
    Tr,
    Td,
    Figure,
    Figcaption,
    Img,
    Time,
    /// Other block-level containers (address, details, summary, center, hgroup, fieldset, ...).
    Block,
    Other,
}

impl Tag {
    fn of(name: &str) -> Tag {
        use Tag::*;
        match name {
            "html" => Html,
            "head" => Head,
            "body" => Body,
            "title" => Title,
            "meta" => Meta,
            "link" => Link,
            "script" => Script,
            "style" | "noscript" | "template" | "iframe" | "svg" | "canvas" | "button"
            | "select" | "textarea" | "input" | "dialog" | "object" | "embed" | "video"
            | "audio" | "map" | "picture" | "source" | "option" => Drop,
            "a" => A,
            "p" => P,
            "br" => Br,
            "div" => Div,
            "section" => Section,
            "article" => Article,
            "main" => Main,
            "header" => Header,
            "footer" => Footer,
            "nav" => Nav,
            "aside" => Aside,
            "form" => Form,
            "h1" => H1,
            "h2" | "h3" | "h4" | "h5" | "h6" => Heading,
            "ul" => Ul,
            "ol" => Ol,
            "li" => Li,
            "dl" => Dl,
            "dt" => Dt,
            "dd" => Dd,
            "blockquote" => Blockquote,
            "pre" => Pre,
            "table" => Table,
            "tr" => Tr,
            "td" | "th" => Td,
            "figure" => Figure,
            "figcaption" => Figcaption,
            "img" => Img,
            "time" => Time,
            "address" | "details" | "summary" | "center" | "hgroup" | "fieldset" | "caption"
            | "tbody" | "thead" | "tfoot" | "hr" | "menu" => Block,
            _ => Other,
        }
    }

    /// Starts a new paragraph in the text walker.
    pub fn is_block(self) -> bool {
        !matches!(
            self,
            Tag::Other | Tag::A | Tag::Br | Tag::Img | Tag::Time | Tag::Drop | Tag::Script
        )
    }
}

/// The attributes every pass asks about, read once per element (a scraper `attr()` lookup
/// interns the name each time, which would dominate the extractor's own cost).
#[derive(Clone, Copy, Default)]
pub struct Attrs<'a> {
    pub class: &'a str,
    pub id: &'a str,
    pub role: &'a str,
    pub style: &'a str,
    pub itemprop: &'a str,
    /// `hidden` or `aria-hidden="true"`.
    pub hidden: bool,
}

/// One node of the flattened page.
#[derive(Clone, Copy)]
pub struct Flat<'a> {
    pub node: NodeRef<'a, Node>,
    pub kind: Kind,
    pub attrs: Attrs<'a>,
    /// Index of the parent (the document root is its own parent).
    pub parent: u32,
    /// One past the last index of this node's subtree.
    pub end: u32,
}

impl<'a> Flat<'a> {
    pub fn tag(&self) -> Option<Tag> {
        match self.kind {
            Kind::Element(t) => Some(t),
            _ => None,
        }
    }

    pub fn attr(&self, name: &str) -> Option<&'a str> {
        match self.node.value() {
            Node::Element(e) => e.attr(name),
            _ => None,
        }
    }

    pub fn text(&self) -> Option<&'a str> {
        match self.node.value() {
            Node::Text(t) => Some(t),
            _ => None,
        }
    }

    pub fn name(&self) -> &'a str {
        match self.node.value() {
            Node::Element(e) => e.name(),
            _ => "",
        }
    }
}

/// The flattened page.
pub struct Dom<'a> {
    pub nodes: Vec<Flat<'a>>,
}

impl<'a> Dom<'a> {
    /// Flattens a parsed document in document order (iteratively: any depth is fine).
    pub fn new(doc: &'a Html) -> Dom<'a> {
        let mut nodes: Vec<Flat<'a>> = Vec::with_capacity(1024);
        let mut open: Vec<u32> = Vec::with_capacity(64);
        for edge in doc.tree.root().traverse() {
            match edge {
                ego_tree::iter::Edge::Open(node) => {
                    let mut attrs = Attrs::default();
                    let kind = match node.value() {
                        Node::Text(_) => Kind::Text,
                        Node::Element(e) => {
                            for (k, v) in e.attrs() {
                                match k {
                                    "class" => attrs.class = v,
                                    "id" => attrs.id = v,
                                    "role" => attrs.role = v,
                                    "style" => attrs.style = v,
                                    "itemprop" => attrs.itemprop = v,
                                    "hidden" => attrs.hidden = true,
                                    "aria-hidden" => attrs.hidden |= v == "true",
                                    _ => {}
                                }
                            }
                            Kind::Element(Tag::of(e.name()))
                        }
                        Node::Document | Node::Fragment => Kind::Element(Tag::Other),
                        _ => Kind::Other,
                    };
                    let i = nodes.len() as u32;
                    nodes.push(Flat {
                        node,
                        kind,
                        attrs,
                        parent: open.last().copied().unwrap_or(0),
                        end: i + 1,
                    });
                    open.push(i);
                }
                ego_tree::iter::Edge::Close(_) => {
                    if let Some(i) = open.pop() {
                        nodes[i as usize].end = nodes.len() as u32;
                    }
                }
            }
        }
        Dom { nodes }
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Whether `j` lies inside `i`'s subtree (or is `i`).
    pub fn contains(&self, i: usize, j: usize) -> bool {
        i <= j && j < self.nodes[i].end as usize
    }

    /// Concatenated text below `i`, whitespace collapsed to single spaces and trimmed; block
    /// elements and `<br>` separate words.
    pub fn text_of(&self, i: usize) -> String {
        let mut out = String::new();
        let mut space = false;
        for n in &self.nodes[i..self.nodes[i].end as usize] {
            if n.tag().is_some_and(|t| t.is_block() || t == Tag::Br) {
                space = true;
            }
            if let Some(t) = n.text() {
                for c in t.chars() {
                    if c.is_whitespace() {
                        space = true;
                    } else {
                        if space && !out.is_empty() {
                            out.push(' ');
                        }
                        space = false;
                        out.push(c);
                    }
                }
            }
        }
        out
    }

    /// Index of the first element with this tag, if any.
    pub fn first(&self, tag: Tag) -> Option<usize> {
        self.nodes.iter().position(|n| n.tag() == Some(tag))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subtrees_and_text() {
        let doc = Html::parse_document(
            "<html><body><div id=a><p>One <b>two</b></p><p>three</p></div><p>four</p></body></html>",
        );
        let dom = Dom::new(&doc);
        let div = dom
            .nodes
            .iter()
            .position(|n| n.attr("id") == Some("a"))
            .unwrap();
        assert_eq!(dom.text_of(div), "One two three");
        let four = dom
            .nodes
            .iter()
            .position(|n| n.text() == Some("four"))
            .unwrap();
        assert!(!dom.contains(div, four));
        let p = dom.first(Tag::P).unwrap();
        assert!(dom.contains(div, p));
        assert_eq!(dom.nodes[p].parent as usize, div);
    }
}
