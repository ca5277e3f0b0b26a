//! Fact events end to end through the real binary: realistic news pages (a UK broadsheet, a
//! wire service and a tabloid, each with its own stamps, ads, most-read lists and comment
//! counts) are served locally, change between `factdiff check` passes, and a webhook receiver
//! that verifies Standard Webhooks signatures records what was sent.
//!
//! - stamps and furniture alone (updated times, read time, modified meta, most-read order,
//!   ad ids, comment counts) are no new version and no event;
//! - a person's role, a small town, a removed quote and a count repeated in two sentences
//!   each make exactly one `fact.changed` with exactly one item for the fact (plus the
//!   headline, when the headline changed too);
//! - an accent-only respelling of a place is no fact change.
//!
//! All story text below is made up for these tests.

mod common;

use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::time::Duration;

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use futures_util::FutureExt;
use serde_json::{Value, json};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use common::app::App;
use common::{PageServer, WebhookReceiver};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

// ---------------------------------------------------------------------------------------------
// Outlets and their page templates
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq)]
enum Outlet {
    /// UK broadsheet: a dateline block inside the article ("Mon 4 May 2026 07.15 BST",
    /// "Last modified on …"), an inline ad between paragraphs, a comment count.
    Broadsheet,
    /// Wire service: "May 4, 2026 · 9:30 AM GMT Updated …, 4 min read" under the byline, a
    /// standalone dateline paragraph, a sign-off and a trust line.
    Wire,
    /// Tabloid: "Published: 07:30, 16 June 2026 | Updated: …" in a paragraph of the body,
    /// comment and share counts, a mid-article ad.
    Tabloid,
}

impl Outlet {
    fn name(self) -> &'static str {
        match self {
            Outlet::Broadsheet => "The Northern Ledger",
            Outlet::Wire => "Example Wire",
            Outlet::Tabloid => "Daily Clarion",
        }
    }

    /// UTC offset of the outlet's clock on these dates.
    fn offset(self) -> &'static str {
        match self {
            Outlet::Wire => "+00:00",
            Outlet::Broadsheet | Outlet::Tabloid => "+01:00",
        }
    }

    fn most_read(self) -> [&'static str; 5] {
        match self {
            Outlet::Broadsheet => [
                "Ministers face revolt over planning shake-up in the shires",
                "The quiet collapse of the British high street bakery",
                "Heatwave warning issued for southern England this weekend",
                "Universities told to publish full cost of overseas campuses",
                "Review: a bleak, brilliant staging of The Winter's Tale",
            ],
            Outlet::Wire => [
                "Oil steadies as traders weigh supply outlook",
                "EU lawmakers back tighter rules on drone imports",
                "Japan's factory output beats forecasts in March",
                "Chile copper miners agree wage deal, averting strike",
                "Dollar edges lower ahead of U.S. jobs data",
            ],
            Outlet::Tabloid => [
                "Soap star's secret wedding on a Cornish clifftop",
                "Shoppers queue overnight for budget supermarket garden chair",
                "Grandmother, 92, completes charity zip wire in the rain",
                "Pub landlord bans mobile phones at Sunday lunch",
                "Holiday chaos as airport baggage system fails again",
            ],
        }
    }
}

/// What a real site changes on every fetch, or with every republish, without the story
/// changing: the "updated" time (minutes after publication), the read time, ad ids, comment
/// and share counts and the order of the most-read list.
#[derive(Clone, Copy, Debug)]
struct Furniture {
    updated_after_minutes: i64,
    read_minutes: u32,
    ad_id: u32,
    comments: u32,
    shares: u32,
    most_read_shift: usize,
}

/// The first fetch.
const FIRST: Furniture = Furniture {
    updated_after_minutes: 107,
    read_minutes: 4,
    ad_id: 4821,
    comments: 137,
    shares: 58,
    most_read_shift: 0,
};

/// A later fetch: every stamp and every piece of furniture is different.
const LATER: Furniture = Furniture {
    updated_after_minutes: 268,
    read_minutes: 5,
    ad_id: 9305,
    comments: 212,
    shares: 341,
    most_read_shift: 2,
};

#[derive(Clone, Debug)]
struct Story {
    outlet: Outlet,
    /// Served at this path.
    path: &'static str,
    section: &'static str,
    headline: String,
    author: &'static str,
    /// Local wall-clock time of first publication, in the outlet's zone.
    published: NaiveDateTime,
    /// Wire only: "LYON, France, May 4 (Example Wire) -", a paragraph of its own.
    dateline: Option<&'static str>,
    paragraphs: Vec<String>,
}

impl Story {
    fn body_words(&self) -> usize {
        self.paragraphs
            .iter()
            .map(|p| p.split_whitespace().count())
            .sum()
    }

    /// The page as the outlet serves it with `f` as its furniture.
    fn page(&self, f: Furniture) -> String {
        assert!(
            (6..=9).contains(&self.paragraphs.len()) && self.body_words() >= 250,
            "fixture {} should have 6-9 paragraphs and 250+ words, has {} and {}",
            self.path,
            self.paragraphs.len(),
            self.body_words()
        );
        let updated = self.published + TimeDelta::minutes(f.updated_after_minutes);
        let head = self.head(updated);
        let most_read = most_read(self.outlet, f.most_read_shift);
        let body = match self.outlet {
            Outlet::Broadsheet => self.broadsheet(updated, f, &most_read),
            Outlet::Wire => self.wire(updated, f, &most_read),
            Outlet::Tabloid => self.tabloid(updated, f, &most_read),
        };
        format!("<!doctype html>\n<html lang=\"en-GB\">\n{head}\n{body}\n</html>\n")
    }

    fn iso(&self, t: NaiveDateTime) -> String {
        format!("{}{}", t.format("%Y-%m-%dT%H:%M:%S"), self.outlet.offset())
    }

    fn head(&self, updated: NaiveDateTime) -> String {
        let outlet = self.outlet.name();
        let ld = json!({
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": self.headline,
            "datePublished": self.iso(self.published),
            "dateModified": self.iso(updated),
            "articleSection": self.section,
            "author": [{ "@type": "Person", "name": self.author }],
            "publisher": { "@type": "Organization", "name": outlet },
        });
        format!(
            r#"<head>
<meta charset="utf-8">
<title>{title} | {section} | {outlet}</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="description" content="{title}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="{outlet}">
<meta property="og:title" content="{title}">
<meta property="article:section" content="{section}">
<meta property="article:published_time" content="{published}">
<meta property="article:modified_time" content="{modified}">
<meta name="author" content="{author}">
<script type="application/ld+json">{ld}</script>
<link rel="stylesheet" href="/static/css/main.3f9c2a.css">
</head>"#,
            title = attr(&self.headline),
            section = attr(self.section),
            published = self.iso(self.published),
            modified = self.iso(updated),
            author = attr(self.author),
        )
    }

    /// Body paragraphs as `<p>`s, with `ad` inserted after the third.
    fn paragraphs_with_ad(&self, ad: &str) -> String {
        let mut out = String::new();
        for (i, p) in self.paragraphs.iter().enumerate() {
            out.push_str(&format!("<p>{}</p>\n", text(p)));
            if i == 2 {
                out.push_str(ad);
                out.push('\n');
            }
        }
        out
    }

    fn broadsheet(&self, updated: NaiveDateTime, f: Furniture, most_read: &str) -> String {
        let stamp = |t: NaiveDateTime| t.format("%a %-d %B %Y %H.%M BST").to_string();
        let ad = format!(
            r#"<aside class="ad-slot ad-slot--inline" id="dfp-ad--inline{}" data-name="inline1"><p class="ad-slot__label">Advertisement</p></aside>"#,
            f.ad_id
        );
        format!(
            r##"<body>
<a class="skip" href="#maincontent">Skip to main content</a>
<header class="site-header">
<nav aria-label="Sections"><ul><li><a href="/">News</a></li><li><a href="/opinion">Opinion</a></li><li><a href="/sport">Sport</a></li><li><a href="/culture">Culture</a></li><li><a href="/lifeandstyle">Lifestyle</a></li></ul></nav>
</header>
<div class="ad-slot ad-slot--top-above-nav" id="dfp-ad--top-above-nav-{ad_id}"><p class="ad-slot__label">Advertisement</p></div>
<main id="maincontent">
<article class="content content--article">
<div class="content__header">
<a class="content__section-label" href="/uk-news">{section}</a>
<h1 class="content__headline">{headline}</h1>
</div>
<div class="content__meta-container">
<address class="byline">By <a rel="author" href="/profile/{author_slug}">{author}</a></address>
<div class="content__dateline">
<p>{published}</p>
<p>Last modified on {modified}</p>
</div>
<a class="commentcount" href="#comments"><span class="commentcount__value">{comments}</span> comments</a>
<div class="social"><a href="#share-facebook">Share on Facebook</a> <a href="#share-x">Share on X</a> <a href="#share-email">Share via Email</a></div>
</div>
<div class="content__article-body" itemprop="articleBody">
{paragraphs}</div>
</article>
<aside class="most-popular" aria-label="Most viewed"><h2>Most viewed</h2>
{most_read}</aside>
</main>
<footer class="site-footer"><p>© 2026 Northern Ledger Media Ltd. All rights reserved.</p></footer>
</body>"##,
            ad_id = f.ad_id,
            section = text(self.section),
            headline = text(&self.headline),
            author = text(self.author),
            author_slug = slug(self.author),
            published = stamp(self.published),
            modified = stamp(updated),
            comments = f.comments,
            paragraphs = self.paragraphs_with_ad(&ad),
        )
    }

    fn wire(&self, updated: NaiveDateTime, f: Furniture, most_read: &str) -> String {
        let info = format!(
            "{} · {} GMT Updated {}, {} GMT {} min read",
            self.published.format("%B %-d, %Y"),
            self.published.format("%-I:%M %p"),
            updated.format("%B %-d, %Y"),
            updated.format("%-I:%M %p"),
            f.read_minutes
        );
        let ad = format!(
            r#"<div class="ad-slot" id="ad-article-inline-{}" data-testid="AdSlot"><p>Advertisement · Scroll to continue</p></div>"#,
            f.ad_id
        );
        let dateline = self.dateline.expect("a wire story has a dateline");
        let reporters = format!("Reporting by {}; Editing by Ian Porter", self.author);
        format!(
            r#"<body>
<header class="site-header">
<nav aria-label="Main"><a href="/world/">World</a> <a href="/business/">Business</a> <a href="/markets/">Markets</a> <a href="/sustainability/">Sustainability</a> <a href="/legal/">Legal</a></nav>
</header>
<div class="ad-slot leaderboard" id="ad-leaderboard-{ad_id}"><p>Advertisement · Scroll to continue</p></div>
<main id="main-content">
<article class="article">
<header class="article-header">
<a class="article-header__section" href="/world/europe/">{section}</a>
<h1 data-testid="Heading">{headline}</h1>
<p class="article-header__byline">By <a href="/authors/{author_slug}/">{author}</a></p>
<p class="article-header__info">{info}</p>
</header>
<div class="article-body" data-testid="ArticleBody">
<p>{dateline}</p>
{paragraphs}<p class="sign-off">{reporters}</p>
<p class="trust">Our Standards: The Example Wire Trust Principles.</p>
</div>
</article>
<aside class="most-read" aria-label="Most read"><h2>Most read</h2>
{most_read}</aside>
</main>
<footer><p>All quotes delayed a minimum of 15 minutes. © 2026 Example Wire. All rights reserved.</p></footer>
</body>"#,
            ad_id = f.ad_id,
            section = text(self.section),
            headline = text(&self.headline),
            author = text(self.author),
            author_slug = slug(self.author),
            dateline = text(dateline),
            paragraphs = self.paragraphs_with_ad(&ad),
            reporters = text(&reporters),
        )
    }

    fn tabloid(&self, updated: NaiveDateTime, f: Furniture, most_read: &str) -> String {
        let stamp = |t: NaiveDateTime| t.format("%H:%M, %-d %B %Y").to_string();
        let ad = format!(
            r#"<div class="mpu_puff_wrapper ad-slot" id="ad-mpu-{}"><p class="ad-label">Advertisement</p></div>"#,
            f.ad_id
        );
        format!(
            r##"<body>
<header class="page-header">
<nav class="nav-primary"><ul><li><a href="/home">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li><li><a href="/tvshowbiz">TV&amp;Showbiz</a></li><li><a href="/money">Money</a></li></ul></nav>
</header>
<div class="billboard ad-slot" id="ad-billboard-{ad_id}"><p class="ad-label">Advertisement</p></div>
<main>
<div class="article-wrap">
<article class="article-text">
<h1>{headline}</h1>
<p class="author-section">By <a class="author" href="/profile/{author_slug}">{author_upper}</a> For The Daily Clarion</p>
<div class="article-icon-links"><a class="comments-count" href="#comments">{comments} comments</a> <span class="share-count">{shares} shares</span></div>
<div itemprop="articleBody">
<p class="byline-section">Published: {published} | Updated: {modified}</p>
{paragraphs}</div>
</article>
<aside class="puff most-read"><h3>Most Read</h3>
{most_read}</aside>
</div>
</main>
<footer><p>Published by Clarion Newspapers Ltd. Part of the Clarion Media Group.</p></footer>
</body>"##,
            ad_id = f.ad_id,
            headline = text(&self.headline),
            author_slug = slug(self.author),
            author_upper = text(&self.author.to_uppercase()),
            comments = f.comments,
            shares = f.shares,
            published = stamp(self.published),
            modified = stamp(updated),
            paragraphs = self.paragraphs_with_ad(&ad),
        )
    }
}

fn most_read(outlet: Outlet, shift: usize) -> String {
    let mut items = outlet.most_read();
    let n = items.len();
    items.rotate_left(shift % n);
    let lis: String = items
        .iter()
        .enumerate()
        .map(|(i, h)| format!("<li><a href=\"/most-read/{i}\">{}</a></li>\n", text(h)))
        .collect();
    format!("<ol>\n{lis}</ol>\n")
}

fn text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn attr(s: &str) -> String {
    text(s).replace('"', "&quot;")
}

fn slug(s: &str) -> String {
    s.to_lowercase().replace(' ', "-")
}

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|d| d.and_hms_opt(h, min, 0))
        .expect("valid date")
}

fn paras(ps: &[&str]) -> Vec<String> {
    ps.iter().map(|p| p.to_string()).collect()
}

// ---------------------------------------------------------------------------------------------
// Stories (invented). Each takes the detail a test changes.
// ---------------------------------------------------------------------------------------------

/// Broadsheet court report; `role` is the first defendant's former job.
fn fraud_trial(role: &str) -> Story {
    let defendant = format!(
        "Graham Pettifer, 54, the firm's former {role}, denies four counts of fraud by abuse of position."
    );
    Story {
        outlet: Outlet::Broadsheet,
        path: "/uk-news/2026/may/04/sheffield-scaffolding-fraud-trial",
        section: "UK news",
        headline: "Former scaffolding bosses deny siphoning £3m from Sheffield firm".into(),
        author: "Helen Marwick",
        published: at(2026, 5, 4, 7, 15),
        dateline: None,
        paragraphs: vec![
            "Three former directors of a Sheffield scaffolding company have gone on trial accused of siphoning more than £3m from the business in the two years before it collapsed into administration.".into(),
            "Prosecutors told Sheffield crown court that the men disguised personal spending as payments to suppliers, leaving 140 workers without their final wages when Hallam Access Ltd stopped trading.".into(),
            format!("{defendant} Alan Brereton, 61, who founded the company, and Dean Ashworth, 47, its former sales manager, deny the same charges."),
            "Opening the case, Rebecca Lyle KC said the money had paid for a holiday cottage in Northumberland, two cars and private school fees, while genuine suppliers waited months to be paid.".into(),
            "“This was not a business that failed through bad luck,” she told the jury. “It was a business that was emptied from the inside by the people trusted to run it.”".into(),
            "The court heard that concerns were first raised by an accountant brought in by the company's bank, who noticed that several suppliers listed in its ledgers did not appear to exist.".into(),
            "The jury was told it would hear evidence from more than a dozen former members of staff, as well as from the administrators who took control of the business after it ran out of cash.".into(),
            "Former employees have travelled to the court each day, and several sat in the public gallery on Monday as the charges were read out to the three men in the dock.".into(),
            "The trial, which is expected to last six weeks, continues.".into(),
        ],
    }
}

/// Tabloid football story; `role` is the club executive's job title.
fn striker_sale(role: &str) -> Story {
    Story {
        outlet: Outlet::Tabloid,
        path: "/sport/football/article-8841207/brackenfield-sell-denholm-ashby.html",
        section: "Sport",
        headline: "Brackenfield fans fury as club sells top scorer to bitter rivals Ashby".into(),
        author: "Gary Pounds",
        published: at(2026, 6, 16, 7, 30),
        dateline: None,
        paragraphs: vec![
            "Brackenfield Town fans have reacted with fury after the club confirmed the sale of their top scorer Kyle Denholm to local rivals Ashby United.".into(),
            "The 26-year-old striker, who scored 19 goals last season, completed his move on Monday night after passing a medical at Ashby's training ground.".into(),
            format!("Brackenfield's {role}, Ines Carrow, said the club had turned down two earlier offers before accepting a bid it could not afford to refuse."),
            "'Nobody at this club wanted to lose Kyle,' she said. 'But we have to think about the long-term health of Brackenfield, and every penny will be spent on the squad this summer.'".into(),
            "Ashby are understood to have paid an initial fee with further payments due if the striker helps them win promotion, although neither club would confirm the figures involved.".into(),
            "Supporters gathered outside the ground on Tuesday morning, with some burning replica shirts bearing the striker's name and others chanting for the board to resign before stewards moved them away from the main entrance.".into(),
            "One season ticket holder, who has followed the club home and away for three decades, said he would not be renewing. 'It feels like a betrayal,' he added.".into(),
            "Denholm thanked the Brackenfield supporters in a message posted on social media, saying he would always be grateful for the way they had welcomed him as a teenager and given him his first chance in senior football.".into(),
            "The two clubs are due to meet at Ashby's ground in the second week of the new season, when a sell-out crowd and a heavy police presence are expected.".into(),
        ],
    }
}

/// Wire story from Lyon; `st_etienne` is how the city is spelt.
fn rail_strike(st_etienne: &str) -> Story {
    Story {
        outlet: Outlet::Wire,
        path: "/world/europe/french-regional-rail-strike-halts-trains-around-lyon-2026-05-04/",
        section: "Europe",
        headline: "French regional rail strike halts most trains around Lyon".into(),
        author: "Margot Lefevre",
        published: at(2026, 5, 4, 9, 30),
        dateline: Some("LYON, France, May 4 (Example Wire) -"),
        paragraphs: vec![
            "Regional train services around Lyon were largely suspended on Monday as rail workers walked out over plans to close three rural lines, disrupting the journeys of tens of thousands of commuters.".into(),
            format!("The regional transport authority said only one train in five was running on routes serving the city, with services to {st_etienne}, Grenoble and Bourg-en-Bresse among the worst affected."),
            "Unions say the closures, due to take effect in December, would leave villages in the hills west of the city without a rail link and push more drivers onto already congested roads.".into(),
            "\"These lines are not a luxury, they are how people get to work, to school and to hospital,\" said Nadia Ferrand, a regional secretary of the CGT rail union.".into(),
            "The regional council, which funds the services, says passenger numbers on the three lines have fallen by more than a third since 2019 and that replacement buses would be cheaper to run.".into(),
            "Commuters crowded onto the few trains that did run, and the ring road around the city was jammed for much of the morning as people who normally take the train turned to their cars.".into(),
            "Union representatives said the closures were the latest in a long series of cuts to rural services across France, where lines that carry few passengers have been under review for years.".into(),
            "Council president Yves Marchal said on Sunday that he remained open to talks with the unions but would not withdraw the plan.".into(),
            "The strike is due to last 48 hours. Unions have warned of further walkouts in June if the closures go ahead as planned.".into(),
        ],
    }
}

/// Broadsheet story from mid Wales; `town` is where the van was found.
fn quad_bike_thefts(town: &str) -> Story {
    Story {
        outlet: Outlet::Broadsheet,
        path: "/uk-news/2026/may/05/stolen-quad-bikes-van-mid-wales",
        section: "UK news",
        headline: "Police appeal after stolen quad bikes found in abandoned van in mid Wales".into(),
        author: "Owen Prydderch",
        published: at(2026, 5, 5, 6, 40),
        dateline: None,
        paragraphs: vec![
            format!("Police in mid Wales have appealed for witnesses after a van loaded with four stolen quad bikes was found abandoned near {town} in the early hours of Monday."),
            "Officers said the vehicles had been taken from hill farms over the previous fortnight, in what they believe was an organised operation targeting remote properties.".into(),
            "The white van, which had false number plates, was spotted by a farmer who became suspicious when it was left with its rear doors open in a lay-by.".into(),
            "Insp Carys Hughes said rural theft had a heavy cost for farming families, many of whom rely on quad bikes to check their livestock on the hills every day.".into(),
            "“These machines are not toys, they are working tools, and losing one at lambing time can be devastating,” she said. “We would urge anyone who saw the van on the road on Sunday night to get in touch.”".into(),
            "Figures published by a rural insurer suggest that thefts of farm vehicles cost Welsh farmers more than £2m last year, with quad bikes among the items most commonly stolen.".into(),
            "Farmers in the area said thieves had become bolder in recent years, watching farmyards from the road or with drones before returning at night to take whatever machinery had been left outside.".into(),
            "The farming unions in Wales said they would raise the thefts with the police and crime commissioner at a meeting later this month, and called for more officers to be based in rural stations.".into(),
            "All four bikes have since been returned to their owners. No arrests have been made, and the force said its inquiries were continuing.".into(),
        ],
    }
}

/// Wire story from Sweden; `town` is where the lorry was found.
fn copper_lorry(town: &str) -> Story {
    Story {
        outlet: Outlet::Wire,
        path: "/world/europe/swedish-police-find-stolen-lorry-copper-cable-2026-05-04/",
        section: "Europe",
        headline: "Swedish police find stolen lorry carrying copper cable from rail depot".into(),
        author: "Erik Lindqvist",
        published: at(2026, 5, 4, 13, 5),
        dateline: Some("STOCKHOLM, May 4 (Example Wire) -"),
        paragraphs: vec![
            "Swedish police on Monday recovered a lorry carrying about 20 tonnes of stolen copper cable, two days after it was driven away from a railway depot in the south of the country.".into(),
            format!("The vehicle was found abandoned near {town} with its load intact, police said in a statement, adding that the driver appeared to have fled on foot."),
            "Cable theft has become a costly problem for the Swedish rail network, with the transport administration reporting hundreds of incidents a year that cause delays and cancellations.".into(),
            "\"Every metre of cable that disappears is a signal that stops working and a train that is stuck,\" said Annika Berglund, a spokeswoman for the transport administration.".into(),
            "The cable, which had been stored ahead of a signalling upgrade, is worth an estimated 2 million crowns at current copper prices, according to the company that runs the depot.".into(),
            "Police said they were examining footage from traffic cameras along the main roads in the area and were working with colleagues in neighbouring countries, where stolen metal is often sold on to scrap dealers who ask few questions about where it came from.".into(),
            "The depot's owner said the thieves had cut through a perimeter fence and used a stolen tractor unit to tow the trailer away, suggesting they had watched the site for some time.".into(),
            "Copper prices have risen sharply over the past year, driven by demand from power grids and carmakers, making the metal an attractive target for thieves across Europe and prompting rail operators to test cheaper aluminium alternatives.".into(),
        ],
    }
}

/// Broadsheet rescue story; the diver's quote paragraph can be left out.
fn cave_rescue(with_diver_quote: bool) -> Story {
    let mut paragraphs = paras(&[
        "Cave divers have reached a potholer who has been trapped underground in the Yorkshire Dales since Saturday evening, rescuers said on Monday.",
        "The man, who is in his 40s, was exploring a flooded section of a cave system near Ingleton when heavy rain raised the water level behind him and cut off his route back to the surface.",
        "Volunteers from the cave rescue team have been working in shifts through the night, pumping water out of the lower passages while divers ferried food, dry clothing and a field telephone to him.",
        "One of the divers, who has spent 15 years mapping the flooded passages beneath the Dales, said: “It is cold and narrow down there, but we have brought people out of worse places than this.”",
        "The potholer is said to be in good spirits and able to talk to his rescuers, although he is suffering from the cold after more than a day and a half in wet conditions.",
        "A spokesperson for the rescue team said the plan was to wait until the water had dropped far enough for him to be brought out through the flooded section with a diver on either side of him.",
        "Ingleton has long been a centre for caving in the north of England, and its limestone systems draw experienced explorers from across Europe. Rescuers stressed that the man was well equipped and had told friends where he was going.",
        "Forecasters expect drier weather for the rest of the week, which rescuers hope will allow the pumps to lower the water level more quickly.",
        "Cavers and walkers have been asked to stay away from the area while the operation continues, and local businesses have been taking hot food to the rescue base in the village hall.",
    ]);
    if !with_diver_quote {
        paragraphs.remove(3);
    }
    Story {
        outlet: Outlet::Broadsheet,
        path: "/uk-news/2026/may/04/yorkshire-dales-cave-rescue-divers-reach-potholer",
        section: "UK news",
        headline: "Cave divers reach trapped potholer in Yorkshire Dales".into(),
        author: "Josie Farrant",
        published: at(2026, 5, 4, 10, 20),
        dateline: None,
        paragraphs,
    }
}

/// Wire story from Asturias; `count` is how many miners are trapped ("Six", "six").
fn mine_collapse(count: (&str, &str)) -> Story {
    let (cap, low) = count;
    Story {
        outlet: Outlet::Wire,
        path: "/world/europe/miners-trapped-after-roof-collapse-spanish-coal-mine-2026-05-04/",
        section: "Europe",
        headline: format!("{cap} miners trapped after roof collapse at Spanish coal mine"),
        author: "Lucia Varela",
        published: at(2026, 5, 4, 8, 45),
        dateline: Some("OVIEDO, Spain, May 4 (Example Wire) -"),
        paragraphs: vec![
            format!("{cap} miners were trapped underground on Monday after part of a tunnel roof collapsed at a coal mine in the northern Spanish region of Asturias, emergency services said."),
            "The collapse happened shortly after the start of the morning shift at a depth of about 400 metres, in a gallery that was being prepared for new equipment.".into(),
            format!("Rescue teams have made contact with the group through a ventilation shaft, and a regional government spokesman said the {low} men were conscious and had fresh air and water."),
            "\"We can hear them and they can hear us, which gives us great hope,\" the spokesman told reporters at the mine entrance. \"But the ground is unstable and we must go carefully.\"".into(),
            "Specialist mine rescue brigades from across the region have been called in to dig a parallel tunnel, an operation that officials said could take several days.".into(),
            "Asturias was once the heart of the Spanish coal industry, but most of its pits closed in the past decade as the country moved away from coal power.".into(),
            "The company that operates the mine said in a statement that the gallery had passed a safety inspection earlier this spring and that it was cooperating fully with the authorities.".into(),
            "The industry ministry said it had sent its own inspectors to the site and that an investigation into the cause of the collapse would begin as soon as the rescue was over.".into(),
            "Relatives of the trapped workers gathered at a sports hall in a nearby town, where psychologists and Red Cross volunteers were on hand to support them.".into(),
        ],
    }
}

// ---------------------------------------------------------------------------------------------
// Harness: one page server, one webhook receiver and one store per story
// ---------------------------------------------------------------------------------------------

struct Desk {
    pages: PageServer,
    hook: WebhookReceiver,
    app: App,
    path: &'static str,
    url: String,
}

impl Desk {
    /// Serves the first version of `story`, runs a `check` pass and expects one `article.new`.
    async fn open(story: &Story) -> Desk {
        let pages = PageServer::start().await;
        let hook = WebhookReceiver::start(SECRET).await;
        pages.set_page(story.path, &story.page(FIRST));
        let url = pages.url(story.path);
        let app = App::new(&format!(
            r#"[fetch]
per_host_delay = "1ms"
timeout = "5s"

[[source]]
name = "desk"
kind = "page"
url = "{url}"
outlet = "{outlet}"

[[notify.webhook]]
name = "newsroom"
url = "{hook}"
secret = "{SECRET}"
"#,
            outlet = story.outlet.name(),
            hook = hook.url()
        ));
        let desk = Desk {
            pages,
            hook,
            app,
            path: story.path,
            url,
        };
        desk.app.ok(&["check", "--all"]);
        let events = desk.events(1).await;
        assert_eq!(types(&events), ["article.new"], "{}", desk.explain(&events));
        assert_eq!(events[0]["article"]["url"], desk.url.as_str());
        assert_eq!(events[0]["version"], 1);
        desk
    }

    /// Serves `story` as it now stands and runs a `check` pass.
    fn publish(&self, story: &Story, furniture: Furniture) {
        assert_eq!(story.path, self.path);
        self.pages.set_page(self.path, &story.page(furniture));
        self.app.ok(&["check", "--all"]);
    }

    /// Every event received, once `expected` arrived (or 5 s passed) and a short quiet
    /// period showed no more are coming. Every delivery must be signed correctly.
    async fn events(&self, expected: usize) -> Vec<Value> {
        self.hook.wait_for(expected, Duration::from_secs(5)).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        self.hook
            .deliveries()
            .iter()
            .map(|d| {
                assert!(d.signature_valid, "bad signature on {:?}", d.json);
                assert!(d.succeeded());
                d.json.clone().expect("a JSON event")
            })
            .collect()
    }

    /// Events and the extracted text of the latest version, for failure messages.
    fn explain(&self, events: &[Value]) -> String {
        let shown = self.app.run(&["show", &self.url]);
        format!(
            "events: {:#}\n--- latest extracted version ({} stored) ---\n{}",
            Value::Array(events.to_vec()),
            self.app.version_count(&self.url),
            String::from_utf8_lossy(&shown.stdout)
        )
    }

    /// Serves `v2`, runs a pass and returns its one `fact.changed` event, checking that it
    /// is the only event after `article.new`.
    async fn fact_change(&self, v2: &Story) -> Value {
        self.publish(v2, LATER);
        let events = self.events(2).await;
        assert_eq!(
            types(&events),
            ["article.new", "fact.changed"],
            "{}",
            self.explain(&events)
        );
        let e = events[1].clone();
        assert_eq!(e["article"]["url"], self.url.as_str());
        assert_eq!(
            (e["from_version"].as_i64(), e["to_version"].as_i64()),
            (Some(1), Some(2))
        );
        assert_eq!(e["significance"], "factual");
        assert_eq!(self.app.version_count(&self.url), 2);
        e
    }
}

fn types(events: &[Value]) -> Vec<&str> {
    events
        .iter()
        .map(|e| e["type"].as_str().unwrap_or("?"))
        .collect()
}

fn facts(e: &Value) -> &Vec<Value> {
    e["facts"].as_array().expect("fact.changed has facts[]")
}

fn value_str(side: &Value) -> String {
    side["value"]
        .as_str()
        .unwrap_or_else(|| panic!("a string value: {side}"))
        .to_string()
}

/// Lower-case without accents: "Tranås" → "tranas".
fn fold(s: &str) -> String {
    s.nfd()
        .filter(|c| !is_combining_mark(*c))
        .collect::<String>()
        .to_lowercase()
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

/// One named scenario of a test.
type Case = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Runs the cases one after another, each on its own page server, receiver and store, and
/// fails with the failures of all of them rather than only the first. They run on the test's
/// own thread: `App` blocks while `factdiff` runs, and the runtime's worker threads must stay
/// free to serve the pages and receive the webhooks.
async fn all_cases(cases: Vec<(&'static str, Case)>) {
    let total = cases.len();
    let mut failed = Vec::new();
    for (name, case) in cases {
        if let Err(p) = AssertUnwindSafe(case).catch_unwind().await {
            let why = p
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "panicked".into());
            failed.push(format!("=== {name} ===\n{why}"));
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {total} cases failed:\n\n{}",
        failed.len(),
        failed.join("\n\n")
    );
}

/// Only stamps and furniture differ between the two fetches: no event, no version.
/// The page's own `modified` stamp as the store keeps it for the article.
fn page_modified(desk: &Desk) -> Option<String> {
    let rows = desk.app.json(&["articles"]);
    rows.as_array()?
        .iter()
        .find(|r| r["url"] == desk.url.as_str())?["page_modified"]
        .as_str()
        .map(String::from)
}

async fn stamps_only(story: Story) {
    let desk = Desk::open(&story).await;
    let first_stamp = page_modified(&desk);
    assert_ne!(
        story.page(FIRST),
        story.page(LATER),
        "the second fetch must serve different bytes"
    );
    desk.publish(&story, LATER);
    assert_eq!(
        desk.pages.request_count(story.path),
        2,
        "fetched once per pass"
    );
    let events = desk.events(2).await;
    assert_eq!(
        types(&events),
        ["article.new"],
        "only stamps and furniture changed\n{}",
        desk.explain(&events)
    );
    assert_eq!(events[0]["article"]["headline"], story.headline.as_str());
    let history = desk.app.json(&["history", &desk.url]);
    assert_eq!(
        history["versions"].as_array().map(Vec::len),
        Some(1),
        "stamps are no new version\n{history:#}\n{}",
        desk.explain(&events)
    );
    // ... but the new stamp is stored
    let later_stamp = page_modified(&desk);
    assert!(later_stamp.is_some(), "the page's modified stamp is kept");
    assert_ne!(
        first_stamp, later_stamp,
        "the newer stamp replaced the first"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_updated_stamp_changing_emits_nothing() {
    all_cases(vec![
        (
            "broadsheet (dateline block, Last modified on)",
            Box::pin(stamps_only(fraud_trial("finance director"))),
        ),
        (
            "wire (Updated …, N min read; standalone dateline)",
            Box::pin(stamps_only(rail_strike("Saint-Etienne"))),
        ),
        (
            "tabloid (Published: … | Updated: … in the body)",
            Box::pin(stamps_only(striker_sale("sporting director"))),
        ),
    ])
    .await;
}

/// `name`'s role goes from `old_role` to `new_role`: one person item.
async fn role_change(
    v1: Story,
    v2: Story,
    name: &'static str,
    old_role: &'static str,
    new_role: &'static str,
) {
    let desk = Desk::open(&v1).await;
    let e = desk.fact_change(&v2).await;
    let facts = facts(&e);
    assert_eq!(facts.len(), 1, "one fact changed: {facts:#?}");
    let f = &facts[0];
    assert_eq!(f["kind"], "person", "{f:#}");
    let (before, after) = (
        value_str(&f["before"]).to_lowercase(),
        value_str(&f["after"]).to_lowercase(),
    );
    let name = name.to_lowercase();
    assert!(
        before.contains(&name) && before.contains(old_role),
        "before names {name} as {old_role}: {f:#}"
    );
    assert!(
        after.contains(&name) && after.contains(new_role),
        "after names {name} as {new_role}: {f:#}"
    );
    assert!(!after.contains(old_role), "{f:#}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_role_change_emits_one_fact_change() {
    all_cases(vec![
        (
            "Name, 54, the firm's former finance director → chief operating officer",
            Box::pin(role_change(
                fraud_trial("finance director"),
                fraud_trial("chief operating officer"),
                "Graham Pettifer",
                "finance director",
                "chief operating officer",
            )),
        ),
        (
            "Club's sporting director, Name, said → technical director",
            Box::pin(role_change(
                striker_sale("sporting director"),
                striker_sale("technical director"),
                "Ines Carrow",
                "sporting director",
                "technical director",
            )),
        ),
    ])
    .await;
}

/// The van/lorry was found near `new_town`, not `old_town`: one place item.
async fn town_change(v1: Story, v2: Story, old_town: &'static str, new_town: &'static str) {
    let desk = Desk::open(&v1).await;
    let e = desk.fact_change(&v2).await;
    let facts = facts(&e);
    assert_eq!(facts.len(), 1, "one fact changed: {facts:#?}");
    let f = &facts[0];
    assert_eq!(f["kind"], "place", "{f:#}");
    let (before, after) = (
        fold(&value_str(&f["before"])),
        fold(&value_str(&f["after"])),
    );
    assert!(
        before.contains(&fold(old_town)),
        "before is {old_town}: {f:#}"
    );
    assert!(
        after.contains(&fold(new_town)),
        "after is {new_town}: {f:#}"
    );
    assert!(!after.contains(&fold(old_town)), "{f:#}");
}

/// The same city respelt with its accent: no `fact.changed`.
async fn accent_respelling(v1: Story, v2: Story) {
    let desk = Desk::open(&v1).await;
    desk.publish(&v2, LATER);
    assert_eq!(
        desk.pages.request_count(v2.path),
        2,
        "the respelt page was fetched"
    );
    let events = desk.events(2).await;
    let kinds = types(&events);
    assert!(
        kinds == ["article.new"] || kinds == ["article.new", "article.changed"],
        "an accent-only respelling is not a fact change\n{}",
        desk.explain(&events)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_town_change_emits_one_fact_change() {
    all_cases(vec![
        (
            "near Llanidloes → near Rhayader (Wales)",
            Box::pin(town_change(
                quad_bike_thefts("Llanidloes"),
                quad_bike_thefts("Rhayader"),
                "Llanidloes",
                "Rhayader",
            )),
        ),
        (
            "near Vetlanda → near Tranås (Sweden)",
            Box::pin(town_change(
                copper_lorry("Vetlanda"),
                copper_lorry("Tranås"),
                "Vetlanda",
                "Tranås",
            )),
        ),
        (
            "Saint-Etienne → Saint-Étienne (accent only)",
            Box::pin(accent_respelling(
                rail_strike("Saint-Etienne"),
                rail_strike("Saint-Étienne"),
            )),
        ),
    ])
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deleted_paragraph_with_a_quote_is_one_fact_change_led_by_the_quote() {
    let desk = Desk::open(&cave_rescue(true)).await;
    let e = desk.fact_change(&cave_rescue(false)).await;
    let facts = facts(&e);
    assert_eq!(facts.len(), 1, "one removed sentence, one item: {facts:#?}");
    let f = &facts[0];
    assert_eq!(f["kind"], "quote", "{f:#}");
    assert_eq!(f["label"], "quote_removed", "{f:#}");
    assert!(f["after"].is_null(), "{f:#}");
    assert!(
        f["before"]["text"]
            .as_str()
            .is_some_and(|t| t.contains("cold and narrow down there")),
        "{f:#}"
    );
    assert!(
        f["sentence_before"]
            .as_str()
            .is_some_and(|s| s.starts_with("One of the divers, who has spent 15 years")),
        "{f:#}"
    );
    let also = f["also"]
        .as_array()
        .unwrap_or_else(|| panic!("also[]: {f:#}"));
    assert!(!also.is_empty(), "{f:#}");
    for a in also {
        assert!(
            a["kind"].is_string() && a["text"].is_string() && !a["value"].is_null(),
            "also items have kind, text and value: {a}"
        );
        assert_ne!(
            a["kind"], "quote",
            "the quote leads, it is not in also: {f:#}"
        );
    }
    assert!(
        also.iter().any(|a| a["kind"] == "duration"
            && a["text"].as_str().is_some_and(|t| t.contains("15 years"))),
        "the diver's 15 years go with the quote: {f:#}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_number_changed_in_two_sentences_is_one_fact_change() {
    let (v1, v2) = (
        mine_collapse(("Six", "six")),
        mine_collapse(("Seven", "seven")),
    );
    let desk = Desk::open(&v1).await;
    let e = desk.fact_change(&v2).await;
    let facts = facts(&e);
    assert_eq!(
        facts.len(),
        2,
        "one count item and one headline item: {facts:#?}"
    );
    let of_kind = |k: &str| -> Vec<&Value> { facts.iter().filter(|f| f["kind"] == k).collect() };

    let quantities = of_kind("quantity");
    assert_eq!(quantities.len(), 1, "{facts:#?}");
    let q = quantities[0];
    assert_eq!(q["before"]["value"].as_f64(), Some(6.0), "{q:#}");
    assert_eq!(q["after"]["value"].as_f64(), Some(7.0), "{q:#}");
    let sentences = q["sentences"]
        .as_array()
        .unwrap_or_else(|| panic!("sentences[]: {q:#}"));
    assert_eq!(sentences.len(), 2, "both sentences: {q:#}");
    let side = |i: usize, k: &str| sentences[i][k].as_str().unwrap_or("").to_string();
    assert!(
        side(0, "before").starts_with("Six miners were trapped"),
        "{q:#}"
    );
    assert!(
        side(0, "after").starts_with("Seven miners were trapped"),
        "{q:#}"
    );
    assert!(
        side(1, "before").contains("the six men were conscious"),
        "{q:#}"
    );
    assert!(
        side(1, "after").contains("the seven men were conscious"),
        "{q:#}"
    );

    let headlines = of_kind("headline");
    assert_eq!(headlines.len(), 1, "{facts:#?}");
    let h = headlines[0];
    assert_eq!(h["before"]["text"], v1.headline.as_str(), "{h:#}");
    assert_eq!(h["after"]["text"], v2.headline.as_str(), "{h:#}");
    assert_eq!(h["before"]["value"], v1.headline.as_str(), "{h:#}");
    assert_eq!(h["after"]["value"], v2.headline.as_str(), "{h:#}");
}
