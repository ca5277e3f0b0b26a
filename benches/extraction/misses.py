#!/usr/bin/env python3
"""Why factdiff misses trafeval `with` snippets: each missed snippet (folded measure, see
compare.py's fold()) is located in the page's HTML and labelled with where it stands, so the
misses can be grouped by cause rather than read page by page.

    python3 benches/extraction/misses.py [--runs target/bench-extraction/runs] [--half even|odd|all]
        [--cause CAUSE] [--show N]

Reads the factdiff (and, when present, trafilatura) outputs that compare.py left in
`RUNS/trafeval/*.1.out.jsonl`, and the corpus from ../shared/fixtures. Standard library only.

Causes, first that applies (ancestors of the text node the snippet starts in):
  not-in-html   the snippet's text is not in the page's visible text (script/JSON, entities ...)
  script/json   only inside <script> (JSON-LD articleBody, app state)
  noscript      inside <noscript>
  heading       inside <h1>-<h6>
  list          inside <li> / <dd> / <dt>
  table         inside <td> / <th>
  caption       inside <figcaption> / <figure>
  form          inside a <form>
  aside/nav     inside <aside>, <nav>, <header>, <footer>
  partial       half of the snippet is in factdiff's text (cut paragraph, split block)
  block         anywhere else (a block factdiff's candidate left out)
"""
from __future__ import annotations

import argparse
import bisect
import collections
import html.parser
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from compare import fold  # noqa: E402  (same folding as the benchmark's folded columns)

REPO = HERE.parent.parent
FIX = REPO.parent / "shared" / "fixtures" / "extraction" / "trafilatura-eval"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr"}
ORDER = ["not-in-html", "script/json", "noscript", "heading", "list", "table", "caption", "form",
         "aside/nav", "partial", "block"]


class Flat(html.parser.HTMLParser):
    """The page's text as one string, with the ancestor path of every character range."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.spans: list[tuple[int, tuple[str, ...]]] = []  # (start offset, ancestors)
        self.pos = 0

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        a = dict(attrs)
        label = tag + "".join("." + c for c in (a.get("class") or "").split()[:2])
        self.stack.append(label)

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i].split(".")[0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if not data.strip():
            data = " "
        self.spans.append((self.pos, tuple(self.stack)))
        self.text.append(data)
        self.pos += len(data)


def locate(flat: Flat, joined: str, snippet: str) -> tuple[str, ...] | None:
    """Ancestors where `snippet` (folded) starts in the page's folded text, or None; an
    occurrence outside <script>/<style> is preferred (JSON-LD often repeats the body)."""
    found = None
    i = joined.find(snippet)
    while i >= 0:
        lo = bisect.bisect_right(flat.folded_starts, i) - 1
        anc = flat.spans[max(lo, 0)][1]
        if not any(a.split(".")[0] in ("script", "style") for a in anc):
            return anc
        found = found or anc
        i = joined.find(snippet, i + 1)
    return found


def cause(anc: tuple[str, ...] | None, partial: bool) -> str:
    if anc is None:
        return "not-in-html"
    tags = [a.split(".")[0] for a in anc]
    if "script" in tags:
        return "script/json"
    if "noscript" in tags:
        return "noscript"
    for label, names in [("heading", {"h1", "h2", "h3", "h4", "h5", "h6"}),
                         ("list", {"li", "dd", "dt"}), ("table", {"td", "th"}),
                         ("caption", {"figcaption", "figure"}), ("form", {"form"}),
                         ("aside/nav", {"aside", "nav", "header", "footer"})]:
        if names & set(tags):
            return label
    return "partial" if partial else "block"


def load_out(path: Path) -> dict:
    out = {}
    if path.is_file():
        for line in path.open(encoding="utf-8"):
            r = json.loads(line)
            out[r["id"]] = r
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", default=str(REPO / "target" / "bench-extraction" / "runs"))
    ap.add_argument("--half", default="all", choices=["even", "odd", "all"])
    ap.add_argument("--cause", default=None)
    ap.add_argument("--show", type=int, default=0, help="list N snippets per cause")
    args = ap.parse_args()
    runs = Path(args.runs) / "trafeval"
    fd = load_out(runs / "factdiff.1.out.jsonl")
    tr = load_out(runs / "trafilatura.1.out.jsonl")
    if not tr:  # a --reuse-peers run keeps the peer's output in its cache instead
        cache = sorted((Path(args.runs).parent / "peer-cache").glob("trafilatura-trafeval-*.json"))
        if cache:
            tr = json.loads(cache[-1].read_text(encoding="utf-8"))
            tr = tr.get("records", tr) if isinstance(tr, dict) else tr
            if isinstance(tr, list):
                tr = {r["id"]: r for r in tr}
    data = json.loads((FIX / "expected.json").read_text(encoding="utf-8"))
    counts = collections.Counter()
    traf_found = collections.Counter()
    examples = collections.defaultdict(list)
    for i, name in enumerate(sorted(data)):
        if args.half != "all" and (i % 2 == 0) != (args.half == "even"):
            continue
        rec = fd.get(f"trafeval/{name}", {})
        text = fold(rec.get("text") or "")
        missed = [w for w in data[name].get("with") or [] if not text or fold(w) not in text]
        if not missed:
            continue
        raw = (FIX / "pages" / name).read_bytes().decode("utf-8", "replace")
        flat = Flat()
        try:
            flat.feed(raw)
        except Exception:  # noqa: BLE001 - a broken page is still counted
            pass
        starts, parts, pos = [], [], 0
        for t in flat.text:
            f = fold(t) + " "
            starts.append(pos)
            parts.append(f)
            pos += len(f)
        flat.folded_starts = starts
        joined = " ".join("".join(parts).split())
        # the joined text collapsed spaces: recompute offsets on the collapsed form
        collapsed, starts2, pos = [], [], 0
        for p in parts:
            c = " ".join(p.split())
            starts2.append(pos)
            collapsed.append(c)
            pos += len(c) + 1
        joined = " ".join(collapsed)
        flat.folded_starts = starts2
        ttext = fold((tr.get(f"trafeval/{name}") or {}).get("text") or "")
        for w in missed:
            fw = fold(w)
            half_in = bool(text) and (fw[: len(fw) // 2] in text or fw[len(fw) // 2:] in text)
            c = cause(locate(flat, joined, fw), half_in)
            counts[c] += 1
            if ttext and fw in ttext:
                traf_found[c] += 1
            examples[c].append((name, w, rec.get("method"), ttext and fw in ttext))
    total = sum(counts.values())
    print(f"missed `with` snippets (folded), half={args.half}: {total}")
    print("| cause | missed | trafilatura finds |")
    print("|---|---|---|")
    for c in ORDER:
        if counts[c]:
            print(f"| {c} | {counts[c]} | {traf_found[c]} |")
    if args.show:
        for c in ORDER:
            if args.cause and c != args.cause:
                continue
            if examples[c]:
                print(f"\n## {c}")
                for name, w, method, tf in examples[c][: args.show]:
                    print(f"- {name} [{method}]{' (traf)' if tf else ''}: {w[:90]}")


if __name__ == "__main__":
    main()
