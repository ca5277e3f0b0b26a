"""The benchmark's synthetic news sites: which feed lists which article on which host, and the
deterministic HTML/RSS served for each URL.

Shared by the server processes (which render every page of their host before they report
ready, so rendering never counts as serving time) and by run.py (which needs the same URL
list for the factdiff config and for urlwatch's job list). Standard library only.
"""

from __future__ import annotations

import email.utils
import hashlib
import html
import json
import random
from dataclasses import dataclass

# A fixed vocabulary keeps pages readable-looking and deterministic without any data files.
WORDS = (
    "council budget vote mayor city hall residents police officers report minister health "
    "hospital school teachers union strike agreement contract court judge ruling appeal "
    "election campaign candidate poll voters district transport bridge railway station "
    "flood river storm warning weather emergency services fire crews damage homes families "
    "investigation evidence witnesses statement spokesperson official figures percent "
    "million billion housing rent prices market shares company workers jobs factory plant "
    "energy climate emissions target government opposition parliament debate bill law "
    "reform pension tax spending deficit growth inflation rates bank central economy "
    "trade exports border security defence army talks ceasefire region province village "
    "farmers harvest drought water supply prices food aid agency report study researchers "
    "university scientists data survey results published journal patients treatment vaccine "
    "outbreak cases deaths toll rescue search survivors injured victims memorial funeral "
    "protest march crowd square demonstrators arrests charges released hearing trial verdict "
    "sentence prison lawyer defence prosecutor jury testimony documents leaked emails inquiry"
).split()
FIRST = "Ana Ben Chloe David Elena Farid Grace Hiro Ines Jonas Kofi Lena Marta Nadia Omar Priya".split()
LAST = "Silva Okafor Novak Brennan Haddad Lindqvist Moreau Tanaka Costa Weber Mensah Rossi".split()
SECTIONS = ["politics", "world", "business", "health", "science", "local", "climate", "justice"]
# Fixed so that Last-Modified/If-Modified-Since round-trip exactly.
LAST_MODIFIED = email.utils.formatdate(1_795_000_000, usegmt=True)


@dataclass(frozen=True)
class Layout:
    """200 feeds × 100 articles over 10 hosts by default: feed f lives on host f % hosts and
    lists articles [f*per_feed, (f+1)*per_feed)."""

    articles: int
    feeds: int
    hosts: int
    port: int

    @property
    def per_feed(self) -> int:
        return -(-self.articles // self.feeds)

    def host(self, i: int) -> str:
        return f"127.0.0.{2 + i}"

    def feed_host(self, f: int) -> int:
        return f % self.hosts

    def feed_path(self, f: int) -> str:
        return f"/feeds/{SECTIONS[f % len(SECTIONS)]}-{f:04d}.xml"

    def feed_url(self, f: int) -> str:
        return f"http://{self.host(self.feed_host(f))}:{self.port}{self.feed_path(f)}"

    def feed_articles(self, f: int) -> range:
        return range(f * self.per_feed, min(self.articles, (f + 1) * self.per_feed))

    def article_path(self, k: int) -> str:
        f = k // self.per_feed
        day = 1 + k % 28
        return f"/{SECTIONS[f % len(SECTIONS)]}/2026/11/{day:02d}/story-{k:06d}.html"

    def article_url(self, k: int) -> str:
        f = k // self.per_feed
        return f"http://{self.host(self.feed_host(f))}:{self.port}{self.article_path(k)}"

    def all_article_urls(self) -> list[str]:
        return [self.article_url(k) for k in range(self.articles)]


def _rng(key: str) -> random.Random:
    return random.Random(hashlib.sha256(key.encode()).digest())


def _sentence(r: random.Random) -> str:
    words = [r.choice(WORDS) for _ in range(r.randint(9, 22))]
    if r.random() < 0.35:  # numbers are what change in real stories; have some
        words.insert(r.randint(1, len(words) - 1), str(r.randint(2, 9800)))
    s = " ".join(words)
    return s[0].upper() + s[1:] + r.choice([".", ".", ".", "?"])


def headline(k: int) -> str:
    r = _rng(f"headline:{k}")
    return " ".join(r.choice(WORDS) for _ in range(r.randint(6, 11))).capitalize()


def article_html(layout: Layout, k: int) -> bytes:
    """A 5–10 KB news page: head metadata + JSON-LD, site nav, the story (6–10 paragraphs),
    share/newsletter/related/comments furniture and a footer — the boilerplate an extractor
    has to throw away."""
    r = _rng(layout.article_path(k))
    title = headline(k)
    author = f"{r.choice(FIRST)} {r.choice(LAST)}"
    day = 1 + k % 28
    published = f"2026-11-{day:02d}T{r.randint(5, 22):02d}:{r.randint(0, 59):02d}:00Z"
    url = layout.article_url(k)
    section = SECTIONS[(k // layout.per_feed) % len(SECTIONS)]
    paras = [
        " ".join(_sentence(r) for _ in range(r.randint(2, 5))) for _ in range(r.randint(6, 10))
    ]
    ld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": title,
            "author": {"@type": "Person", "name": author},
            "datePublished": published,
            "mainEntityOfPage": url,
        }
    )
    nav = "".join(
        f'<li><a href="/{s}/">{s.capitalize()}</a></li>' for s in SECTIONS + ["opinion", "sport"]
    )
    related = "".join(
        f'<li><a href="/{section}/2026/11/{1 + (k + i) % 28:02d}/story-{(k * 7 + i) % 99999:06d}.html">'
        f"{html.escape(headline(k * 31 + i))}</a></li>"
        for i in range(1, 9)
    )
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paras)
    comments = r.randint(0, 900)
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{html.escape(title)} | The Benchmark Gazette</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="{html.escape(paras[0][:150])}">
<meta property="og:title" content="{html.escape(title)}">
<meta property="og:type" content="article">
<meta property="og:url" content="{url}">
<meta property="article:published_time" content="{published}">
<meta name="author" content="{author}">
<link rel="canonical" href="{url}">
<link rel="stylesheet" href="/static/site.css">
<script type="application/ld+json">{ld}</script>
<script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments)}};gtag('js',new Date());</script>
</head><body>
<header class="site-header"><a class="logo" href="/">The Benchmark Gazette</a>
<nav class="main-nav"><ul>{nav}</ul></nav>
<form class="search" action="/search"><input name="q" placeholder="Search"><button>Go</button></form>
<div class="ticker">Breaking: {html.escape(headline(k + 1))}</div></header>
<main><article class="story">
<p class="kicker"><a href="/{section}/">{section.capitalize()}</a></p>
<h1 class="headline">{html.escape(title)}</h1>
<p class="byline">By <a rel="author" href="/staff/{author.lower().replace(' ', '-')}">{author}</a></p>
<time class="published" datetime="{published}">{published[:10]}</time>
<div class="share"><a href="#">Share on X</a> <a href="#">Facebook</a> <a href="#">Email</a> <a href="#">Copy link</a></div>
<div class="story-body">
{body}
</div>
<aside class="newsletter"><h3>Get the morning briefing</h3><p>Our editors' picks, every weekday at 7am.</p><form><input type="email" placeholder="you@example.org"><button>Sign up</button></form></aside>
</article>
<section class="related"><h2>More from {section.capitalize()}</h2><ul>{related}</ul></section>
<section class="comments"><h2>Comments ({comments})</h2><p>Comments are open for 48 hours. <a href="#">Read our community guidelines</a>.</p></section>
</main>
<footer class="site-footer"><ul><li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li>
<li><a href="/corrections">Corrections</a></li><li><a href="/privacy">Privacy policy</a></li><li><a href="/terms">Terms</a></li>
<li><a href="/jobs">Work for us</a></li><li><a href="/advertise">Advertise</a></li></ul>
<p>&copy; 2026 The Benchmark Gazette. All rights reserved. Registered office: 1 Loopback Lane.</p></footer>
</body></html>
"""
    return page.encode()


def feed_xml(layout: Layout, f: int) -> bytes:
    """RSS 2.0 listing every article of feed f (newest first, as CMSs do)."""
    items = []
    for k in reversed(layout.feed_articles(f)):
        day = 1 + k % 28
        items.append(
            f"<item><title>{html.escape(headline(k))}</title><link>{layout.article_url(k)}</link>"
            f'<guid isPermaLink="true">{layout.article_url(k)}</guid>'
            f"<pubDate>{email.utils.formatdate(1_793_520_000 + day * 86400 + k % 3600, usegmt=True)}</pubDate>"
            f"<description>{html.escape(headline(k * 3))}</description></item>"
        )
    host = layout.host(layout.feed_host(f))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        f"<title>The Benchmark Gazette — feed {f}</title><link>http://{host}:{layout.port}/</link>"
        f"<description>Feed {f}</description>{''.join(items)}</channel></rss>\n"
    ).encode()


ROBOTS = b"User-agent: *\nDisallow: /search\nAllow: /\n"
