#!/usr/bin/env python3
"""Extraction on the dev set (../shared/fixtures/dev-set): factdiff's article text, display
headline and metadata title against the set's own reference, page by page.

    python3 benches/devset/extraction.py [--bin target/release/factdiff] [--verbose] [FILTER...]

The reference ARTICLE TEXT is what the set's independent checker (dev-set/tools/check.py)
extracts with its per-outlet rules: the <h1>, the dek or bullets, then every <p> of the
article container minus the boilerplate blocks the README lists. Both sides are compared
after factdiff's own cosmetic normalisation (straight quotes, one dash style, NFKC, single
spaces), which factdiff applies on purpose. `headline` is compared with the page's <h1>,
`title` with its og:title. Pages are split into the revision cases and stories with even
numbers (the tuning half) and odd numbers (held out). Exit status 0; prints a notice and
exits 0 when the fixtures are absent.
"""
import argparse, difflib, glob, html, json, os, re, subprocess, sys, unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEV = os.path.join(ROOT, "..", "shared", "fixtures", "dev-set")

FOLD = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                      "\u2013": "-", "\u2014": "-", "\u00a0": " "})


def fold(s):
    s = unicodedata.normalize("NFKC", (s or "").translate(FOLD))
    s = re.sub(r"\s+-\s+", " - ", s)
    return " ".join(s.split())


def half(path):
    m = re.search(r"/[rs](\d+)-", path)
    return "even" if m and int(m.group(1)) % 2 == 0 else "odd"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "factdiff"))
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("filter", nargs="*")
    a = ap.parse_args()
    if not os.path.isdir(DEV):
        print(f"dev set not found at {DEV}: nothing to measure")
        return
    sys.path.insert(0, os.path.join(DEV, "tools"))
    import check  # the set's own, independent reference extractor

    pages = sorted(glob.glob(f"{DEV}/revisions/*/v*.html") + glob.glob(f"{DEV}/stories/*/*.html"))
    pages = [p for p in pages if not a.filter or any(f in p for f in a.filter)]
    tally = {}
    for p in pages:
        _, tb = check.parse_page(p)
        outlet = check.detect_outlet(tb.root)
        blocks, _ = check.article_blocks(tb.root, outlet)
        ref = fold(" ".join(t for _, t in blocks))
        raw = open(p, encoding="utf-8").read()
        h1 = html.unescape(re.sub(r"<[^>]+>", "", re.search(r"<h1[^>]*>(.*?)</h1>", raw, re.S).group(1)))
        og = html.unescape(re.search(r'property="og:title" content="([^"]*)"', raw).group(1))
        out = subprocess.run([a.bin, "extract", "--json", p], capture_output=True, text=True).stdout
        j = json.loads(out.splitlines()[0])
        got = fold(" ".join([j.get("headline") or ""] + [x for x in j.get("text", "").split("\n\n") if x]))
        ok = {"text": ref == got, "headline": fold(j.get("headline")) == fold(h1),
              "title": fold(j.get("title")) == fold(og)}
        for h in (half(p), "all"):
            t = tally.setdefault(h, {"pages": 0, "text": 0, "headline": 0, "title": 0})
            t["pages"] += 1
            for k, v in ok.items():
                t[k] += v
        if not all(ok.values()):
            print(f"== {os.path.relpath(p, DEV)} ({outlet}): " + ", ".join(k for k, v in ok.items() if not v))
            if not ok["text"] and a.verbose:
                sm = difflib.SequenceMatcher(None, ref.split(" "), got.split(" "), autojunk=False)
                for op, i1, i2, j1, j2 in sm.get_opcodes():
                    if op != "equal":
                        r, g = " ".join(ref.split(" ")[i1:i2]), " ".join(got.split(" ")[j1:j2])
                        print(f"   {op}: reference [{r[:200]}] factdiff [{g[:200]}]")
    print("\n| half | pages | article text exact | headline = <h1> | title = og:title |")
    print("|---|---:|---:|---:|---:|")
    for h in ("even", "odd", "all"):
        if h in tally:
            t = tally[h]
            print(f"| {h} | {t['pages']} | {t['text']} | {t['headline']} | {t['title']} |")


if __name__ == "__main__":
    main()
