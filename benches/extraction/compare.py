#!/usr/bin/env python3
"""Extraction benchmark: factdiff's article extraction side by side with trafilatura, Mozilla
Readability (jsdom) and htmldate, in one run, on the same pages, scored by one implementation.

    python3 benches/extraction/compare.py [--fixtures DIR]
        [--corpus mozilla,postlight,dates,trafeval]
        [--tools factdiff,trafilatura,readability,htmldate,parse-only] [--factdiff-bin PATH]
        [--reuse-peers] [--worst N] [--timeout SECONDS] [--out-dir DIR]

Standard library only. The peers are installed on first use into target/bench-extraction/
(a venv with the pinned requirements.txt, an `npm ci` of the pinned package.json/lock) and every
tool runs as its own child process over a manifest of pages, writing JSON lines. See README.md
in this folder for the metrics' rules.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import email.utils
import hashlib
import html.parser
import json
import math
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
RUNNERS = HERE / "runners"

# The factdiff runner times each page once more this many times for the extraction/parse ratio.
RATIO_REPEAT = 4
ALL_TOOLS = ["factdiff", "trafilatura", "readability", "htmldate", "parse-only"]
PEERS = ["trafilatura", "readability", "htmldate"]
ALL_CORPORA = ["mozilla", "postlight", "dates", "trafeval"]
# What a run without --corpus covers. trafeval is opt-in (--corpus trafeval or a list naming it):
# its 990 pages (144 MB) take most of a full run's time on a 2-core machine (README.md).
DEFAULT_CORPORA = ["mozilla", "postlight", "dates"]
# Tools left out on a corpus where they are not scored: htmldate only finds dates and
# trafeval scores text only.
SKIP_TOOLS = {"trafeval": {"htmldate"}}
# What each tool is scored on: full extractors, a date-only extractor, and a parse-only floor.
FULL = {"factdiff", "trafilatura", "readability"}
ROW_NAMES = {"parse-only": "html5ever parse only"}

MOZILLA_URL = "http://fakehost/test/page.html"  # what Readability's own tests pass
STARTUP_GRACE = 30.0  # extra seconds a runner gets before its first page (imports, JIT)
LEAD_WINDOW = 200  # lead13: the expected words must be found within this many output tokens
LEAD_NEED = 10 / 13  # lead13: share of the expected tokens that must be found in order


def die(msg: str) -> None:
    print(f"compare.py: {msg}", file=sys.stderr)
    sys.exit(2)


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# Corpora


@dataclass
class Page:
    id: str
    path: str
    url: str | None
    truth: dict = field(default_factory=dict)  # body_path, first13, headline, byline, date

    def manifest_line(self) -> str:
        return json.dumps({"id": self.id, "path": self.path, "url": self.url})


def load_mozilla(root: Path) -> list[Page]:
    base = root / "extraction" / "mozilla-readability" / "test-pages"
    if not base.is_dir():
        die(f"mozilla corpus not found at {base}")
    pages = []
    for d in sorted(p for p in base.iterdir() if p.is_dir()):
        src, exp = d / "source.html", d / "expected.html"
        if not src.is_file():
            continue
        truth: dict = {}
        if exp.is_file():
            truth["body_path"] = str(exp)
        meta_path = d / "expected-metadata.json"
        if meta_path.is_file():
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            for ours, theirs in (("headline", "title"), ("byline", "byline"), ("date", "publishedTime")):
                if meta.get(theirs):
                    truth[ours] = meta[theirs]
            truth["headline_is_title"] = True
        pages.append(Page(f"mozilla/{d.name}", str(src.resolve()), MOZILLA_URL, truth))
    return pages


def load_postlight(root: Path) -> list[Page]:
    base = root / "extraction" / "postlight"
    exp_path = base / "expected.json"
    if not exp_path.is_file():
        die(f"postlight corpus not found at {exp_path}")
    records = json.loads(exp_path.read_text(encoding="utf-8"))
    # expected.json has several records for some fixtures (one per test assertion): merge them,
    # first non-null value of each field wins. Records whose fixture file is missing are skipped.
    merged: dict[str, dict] = {}
    for r in records:
        fx = r.get("fixture")
        if not fx:
            continue
        m = merged.setdefault(fx, {})
        for k, v in r.items():
            if v is not None and m.get(k) is None:
                m[k] = v
    pages = []
    for fx, r in merged.items():
        path = base / "fixtures" / fx
        if not path.is_file():
            path = base / fx
            if not path.is_file():
                continue
        truth = {}
        for ours, theirs in (("first13", "first13"), ("headline", "title"), ("byline", "author"),
                             ("date", "date_published")):
            if r.get(theirs):
                truth[ours] = r[theirs]
        if "first13" in truth:
            truth["caption_led"] = caption_led(path, truth["first13"])
        pages.append(Page(f"postlight/{fx}", str(path.resolve()), r.get("url"), truth))
    return pages


class _Captions(html.parser.HTMLParser):
    """Text inside <figcaption> or an element whose class/id says caption or credit."""
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
            "track", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        a = dict(attrs)
        k = f"{a.get('class') or ''} {a.get('id') or ''}".lower()
        self.stack.append(tag == "figcaption" or "caption" in k or "credit" in k)

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if any(self.stack):
            self.parts.append(data)


def caption_led(path: Path, first13: str) -> bool:
    """Whether postlight's expected body start is a photo caption or credit: its first three
    words occur in the page's caption text. The issue asks for caption-only blocks to be
    dropped, so lead13 is also reported without these pages."""
    p = _Captions()
    p.feed(path.read_text(encoding="utf-8", errors="replace"))
    cap, lead = tokens(" ".join(p.parts)), tokens(first13)[:3]
    return bool(lead) and any(cap[i:i + len(lead)] == lead for i in range(len(cap)))


def load_dates(root: Path) -> list[Page]:
    base = root / "dates" / "htmldate-mediacloud"
    exp_path = base / "eval_mediacloud_2020.json"
    if not exp_path.is_file():
        die(f"dates corpus not found at {exp_path}")
    # Only the MediaCloud 2020 set (test_set/). htmldate's eval/ and cache/ are held out.
    data = json.loads(exp_path.read_text(encoding="utf-8"))
    pages, seen = [], set()
    for url, r in data.items():
        path = base / "test_set" / r["file"]
        if not path.is_file() or r["file"] in seen:
            continue
        seen.add(r["file"])
        # 5 entries have NaN for the date (no date annotated): such a page still runs (speed),
        # its date is not scored.
        truth = {"date": r["date"]} if isinstance(r.get("date"), str) and r["date"] else {}
        pages.append(Page(f"mediacloud/{r['file']}", str(path.resolve()), url, truth))
    return pages


def load_trafeval(root: Path) -> list[Page]:
    """trafilatura's own evaluation corpus (tests/evaldata.json of adbar/trafilatura, staged as
    extraction/trafilatura-eval): per page, `with` snippets that must occur in the extracted text
    and `without` snippets that must not. Pages sorted by file name (Python string order);
    even indices (0, 2, 4 ...) are the tuning half, odd ones the held-out half."""
    base = root / "extraction" / "trafilatura-eval"
    exp_path = base / "expected.json"
    if not exp_path.is_file():
        die(f"trafeval corpus not found at {exp_path}")
    data = json.loads(exp_path.read_text(encoding="utf-8"))
    pages = []
    for i, name in enumerate(sorted(data)):
        r = data[name]
        path = base / "pages" / name
        if not path.is_file():
            die(f"trafeval: {path} is listed in expected.json but missing")
        truth = {"with": list(r.get("with") or []), "without": list(r.get("without") or []),
                 "half": i % 2}
        pages.append(Page(f"trafeval/{name}", str(path.resolve()), r.get("url") or None, truth))
    return pages


LOADERS = {"mozilla": load_mozilla, "postlight": load_postlight, "dates": load_dates,
           "trafeval": load_trafeval}

# --------------------------------------------------------------------------------------------
# Installing the peers


def file_hash(*paths: Path) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def ensure_venv(out: Path) -> Path:
    req = HERE / "requirements.txt"
    venv = out / "venv"
    py = venv / "bin" / "python"
    stamp = venv / ".installed"
    want = f"{file_hash(req)} {sys.version.split()[0]}"
    if py.exists() and stamp.exists() and stamp.read_text() == want:
        return py
    log(f"installing Python peers into {venv} (pinned {req.name}) ...")
    shutil.rmtree(venv, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    r = subprocess.run([str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        "-r", str(req)])
    if r.returncode != 0:
        die("pip install of the pinned peers failed (see above)")
    stamp.write_text(want)
    return py


def node_version() -> tuple[int, int, int] | None:
    node = shutil.which("node")
    if not node:
        return None
    v = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()
    m = re.match(r"v(\d+)\.(\d+)\.(\d+)", v)
    return tuple(int(x) for x in m.groups()) if m else None  # type: ignore[return-value]


def ensure_node(out: Path) -> Path:
    v = node_version()
    if v is None or not shutil.which("npm"):
        die("readability needs node and npm on PATH (or leave it out with --tools)")
    if not (v >= (20, 19, 0)):
        die(f"node {'.'.join(map(str, v))} is too old for the pinned jsdom (needs >= 20.19)")
    nd = out / "node"
    stamp = nd / ".installed"
    want = f"{file_hash(HERE / 'package.json', HERE / 'package-lock.json')} {v}"
    if stamp.exists() and stamp.read_text() == want and (nd / "node_modules").is_dir():
        return nd
    log(f"installing Readability + jsdom into {nd} (npm ci of the pinned lock file) ...")
    shutil.rmtree(nd, ignore_errors=True)
    nd.mkdir(parents=True)
    shutil.copy(HERE / "package.json", nd / "package.json")
    shutil.copy(HERE / "package-lock.json", nd / "package-lock.json")
    r = subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=nd)
    if r.returncode != 0:
        die("npm ci of the pinned Readability/jsdom failed (see above)")
    stamp.write_text(want)
    return nd


def build_factdiff() -> Path:
    log("building factdiff's runner: cargo bench --bench extraction --no-run --message-format=json")
    p = subprocess.run(["cargo", "bench", "--bench", "extraction", "--no-run",
                        "--message-format=json"], cwd=REPO, stdout=subprocess.PIPE, text=True)
    exe = None
    errors = []
    for line in p.stdout.splitlines():
        try:
            msg = json.loads(line)
        except ValueError:
            continue
        if msg.get("reason") == "compiler-artifact":
            t = msg.get("target", {})
            if t.get("name") == "extraction" and "bench" in t.get("kind", []) and msg.get("executable"):
                exe = msg["executable"]
        elif msg.get("reason") == "compiler-message":
            m = msg.get("message", {})
            if m.get("level") == "error":
                errors.append(m.get("rendered") or m.get("message", ""))
    if p.returncode != 0 or not exe:
        for e in errors:
            print(e, file=sys.stderr)
        die("building the extraction bench failed (or cargo named no executable for it); "
            "use --factdiff-bin PATH to run a prebuilt one")
    return Path(exe)


def git_describe() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "src", "Cargo.toml", "Cargo.lock",
                                "benches/extraction.rs"], cwd=REPO, capture_output=True,
                               text=True).stdout.strip()
        return head + ("+uncommitted changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def peer_versions() -> dict[str, str]:
    pins = {}
    for line in (HERE / "requirements.txt").read_text().splitlines():
        m = re.match(r"([A-Za-z0-9_.-]+)==(\S+)", line.strip())
        if m:
            pins[m.group(1).lower()] = m.group(2)
    deps = json.loads((HERE / "package.json").read_text())["dependencies"]
    nv = node_version()
    return {
        "trafilatura": f"trafilatura {pins.get('trafilatura')} (lxml {pins.get('lxml')})",
        "htmldate": f"htmldate {pins.get('htmldate')}",
        "readability": f"@mozilla/readability {deps['@mozilla/readability']} + jsdom {deps['jsdom']}"
        + (f" on node {'.'.join(map(str, nv))}" if nv else ""),
    }


# --------------------------------------------------------------------------------------------
# Running one tool over one corpus, supervised


@dataclass
class Spawn:
    records: dict
    ok: bool  # exited 0 by itself
    reason: str  # why it failed, when it did
    maxrss_kib: int
    wall: float


# Runners are started through this tiny shim rather than forked from the orchestrator: Linux
# carries a process's RSS high-water mark across fork + exec, so a runner forked from this (by
# then large) Python process would report the orchestrator's peak as its own ru_maxrss. The
# shim is a fresh `python -I -S` (~8 MB): it spawns the runner, reaps it with os.wait4 and
# writes the runner's ru_maxrss (KiB) and exit status. So peak RSS has a floor of ~8 MB.
_SHIM = r"""
import os, sys
pid = os.posix_spawnp(sys.argv[2], sys.argv[2:], os.environ)
_, st, ru = os.wait4(pid, 0)
with open(sys.argv[1], "w") as f:
    f.write("%d %d" % (ru.ru_maxrss, os.waitstatus_to_exitcode(st)))
"""


class Supervisor:
    def __init__(self, timeout: float, runner_cpu: int | None, work: Path):
        self.timeout = timeout
        self.runner_cpu = runner_cpu
        self.work = work
        env = dict(os.environ)
        for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS",
                  "RAYON_NUM_THREADS", "UV_THREADPOOL_SIZE", "TOKIO_WORKER_THREADS"):
            env[k] = "1"
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        self.env = env

    def _pin(self) -> None:
        if self.runner_cpu is not None:
            os.sched_setaffinity(0, {self.runner_cpu})

    def spawn(self, argv_fn, pages: list[Page], label: str) -> Spawn:
        man = self.work / f"{label}.manifest.jsonl"
        out = self.work / f"{label}.out.jsonl"
        err = self.work / f"{label}.stderr.txt"
        rus = self.work / f"{label}.rusage"
        man.write_text("".join(p.manifest_line() + "\n" for p in pages), encoding="utf-8")
        out.unlink(missing_ok=True)
        rus.unlink(missing_ok=True)
        start = time.monotonic()
        with open(err, "wb") as ef:
            proc = subprocess.Popen([sys.executable, "-I", "-S", "-c", _SHIM, str(rus)] + argv_fn(man, out),
                                    stdin=subprocess.DEVNULL, stdout=ef, stderr=ef,
                                    env=self.env, start_new_session=True, preexec_fn=self._pin)
        progress = start + STARTUP_GRACE
        last_size = 0
        killed = False
        pause = 0.01
        while True:
            pid, status, _ru = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            now = time.monotonic()
            try:
                size = out.stat().st_size
            except FileNotFoundError:
                size = 0
            if size != last_size:
                last_size, progress = size, now
            if not killed and now - progress > self.timeout:
                # No output for `timeout` seconds: the page under way hangs. Kill the runner's
                # whole process group (it was started in a session of its own).
                killed = True
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(pause)
            pause = min(pause * 1.5, 0.2)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.monotonic() - start
        maxrss, code = 0, proc.returncode
        try:
            rss_s, code_s = rus.read_text().split()
            maxrss, code = int(rss_s), int(code_s)  # the runner's own, not the shim's
        except (OSError, ValueError):
            pass  # the shim was killed with the runner (timeout): no figure for this attempt
        records = {}
        if out.exists():
            with open(out, encoding="utf-8", errors="replace") as f:
                for line in f:
                    if not line.endswith("\n"):
                        break  # a line cut off by a crash
                    try:
                        rec = json.loads(line)
                    except ValueError:
                        continue
                    if isinstance(rec, dict) and "id" in rec:
                        records[rec["id"]] = rec
        if killed:
            reason = f"timeout: no output for {self.timeout:.0f} s, runner killed"
        elif code != 0:
            tail = err.read_text(errors="replace").strip().splitlines()[-1:] if err.exists() else []
            how = f"signal {-code}" if code < 0 else f"exit code {code}"
            reason = f"runner crashed ({how})" + (f": {tail[0][:300]}" if tail else "")
        else:
            reason = ""
        return Spawn(records, not killed and code == 0, reason, maxrss, wall)

    def run(self, argv_fn, pages: list[Page], label: str, line_flushed: bool) -> dict:
        """Runs the tool over `pages`; a page that hangs or crashes the runner is recorded as that
        page's failure and the run goes on with the pages after it. Returns
        {"records": {id: rec}, "maxrss_kib", "wall", "notes"}."""
        records: dict = {}
        maxrss, wall, notes = 0, 0.0, []
        todo = list(pages)
        n = 0
        while todo:
            n += 1
            s = self.spawn(argv_fn, todo, f"{label}.{n}")
            maxrss, wall = max(maxrss, s.maxrss_kib), wall + s.wall
            ids = {p.id for p in todo}
            records.update({k: v for k, v in s.records.items() if k in ids})
            missing = [p for p in todo if p.id not in records]
            if s.ok:
                for p in missing:
                    records[p.id] = {"id": p.id, "error": "runner wrote no record for this page"}
                break
            if not missing:
                notes.append(f"{s.reason} after its last page")
                break
            if line_flushed:
                # The runner writes each page's line as soon as it is done: the first page
                # without a line is the one it hung or crashed on.
                culprit, todo = missing[0], missing[1:]
                records[culprit.id] = {"id": culprit.id, "error": s.reason, "timeout": "timeout" in s.reason}
                notes.append(f"{culprit.id}: {s.reason}")
                continue
            # Block-buffered output (factdiff's runner): the pages without a line were lost with
            # the buffer. Run them one per process until the one that fails alone shows up.
            rest = list(missing)
            while rest:
                p = rest.pop(0)
                n += 1
                one = self.spawn(argv_fn, [p], f"{label}.{n}")
                maxrss, wall = max(maxrss, one.maxrss_kib), wall + one.wall
                if one.ok and p.id in one.records:
                    records[p.id] = one.records[p.id]
                    continue
                reason = one.reason or "runner wrote no record for this page"
                records[p.id] = {"id": p.id, "error": reason, "timeout": "timeout" in reason}
                notes.append(f"{p.id}: {reason}")
                break
            todo = rest
        # A page that finished but took longer than the limit is a failure all the same.
        for rec in records.values():
            secs = rec.get("seconds")
            if isinstance(secs, (int, float)) and secs > self.timeout and not rec.get("error"):
                rec["error"] = f"took {secs:.1f} s > {self.timeout:.0f} s"
                rec["timeout"] = True
                notes.append(f"{rec['id']}: {rec['error']}")
        return {"records": records, "maxrss_kib": maxrss, "wall": wall, "notes": notes}


def manifest_digest(pages: list[Page]) -> str:
    h = hashlib.sha256()
    for p in pages:
        h.update(p.manifest_line().encode())
        h.update(hashlib.sha256(Path(p.path).read_bytes()).digest())
    return h.hexdigest()


# --------------------------------------------------------------------------------------------
# Scoring: one implementation for every tool

_WORD = re.compile(r"[^\W_]+")


_WIDE = re.compile("[\u3000\uff00-\uffef]+")


def tokens(s: str | None) -> list[str]:
    """Lowercase alphanumeric words (Unicode-aware \\w+ without underscores), after folding
    full-width and half-width forms: "１日" or "ＮＨＫ" is the same word as "1日" / "NHK" (Japanese
    pages mix both, and extractors differ in whether they normalise). Only those forms are
    folded, so a mojibake "â€™" is not turned into letters ("™" → "TM") that change its score."""
    if not s:
        return []
    s = _WIDE.sub(lambda m: unicodedata.normalize("NFKC", m.group()), s)
    return _WORD.findall(s.lower())


_BLOCK = set(
    "address article aside blockquote body br caption dd details dialog div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr html li main nav ol p pre section "
    "summary table tbody td tfoot th thead tr ul".split()
)
_SKIP = {"script", "style", "template", "noscript"}


class _TextOf(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self.skip += 1
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def html_to_text(markup: str | None) -> str:
    """Text of an HTML fragment: its text nodes in document order, concatenated as the DOM's
    textContent does, plus a line break at block-level element boundaries (so words of adjacent
    paragraphs or list items do not merge); script/style/template/noscript content skipped.
    Used for mozilla's expected.html and for every tool that outputs HTML."""
    if not markup:
        return ""
    p = _TextOf()
    p.feed(markup)
    p.close()
    return "".join(p.parts)


def prf(pred: list[str], exp: list[str]) -> tuple[float, float, float]:
    """Bag-of-words (multiset) precision, recall, F1."""
    if not pred or not exp:
        return 0.0, 0.0, 0.0
    overlap = sum((collections.Counter(pred) & collections.Counter(exp)).values())
    if overlap == 0:
        return 0.0, 0.0, 0.0
    p, r = overlap / len(pred), overlap / len(exp)
    return p, r, 2 * p * r / (p + r)


def lcs_len(a: list[str], b: list[str]) -> int:
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def lead13_ok(text: str, first13: str) -> bool | None:
    exp = tokens(first13)
    if not exp:
        return None
    need = math.ceil(len(exp) * LEAD_NEED)
    return lcs_len(exp, tokens(text)[:LEAD_WINDOW]) >= need


def headline_ok(pred, exp) -> bool:
    if isinstance(pred, list):
        pred = " ".join(map(str, pred))
    a, b = tokens(pred if isinstance(pred, str) else None), tokens(exp)
    if not a:
        return False
    return a == b or prf(a, b)[2] >= 0.9


# Separators sites put between a headline and the site or section name: "Mozilla - Wikipedia",
# "标题_科技_腾讯网", "Title [LWN.net]", "Title @ Blog :: PIXNET ::". Spaced dashes and bars,
# and unspaced underscores and full-width bars (CJK sites), never a colon (headlines use them).
_TITLE_SEP = re.compile(r"\s+(?:[-|–—·»«]|::|@)\s+|\s*[_｜]\s*|\s+(?=\[)")


def title_parts(s: str) -> list[str]:
    """The headline with 0, 1, 2 ... segments cut from its end and from its start: the
    candidates for "the headline without the site/section name"."""
    segs = [x for x in _TITLE_SEP.split(s) if x.strip()]
    out = [s]
    for k in range(1, len(segs)):
        out += [" ".join(segs[:k]), " ".join(segs[k:])]
    return out


def headline_site_ok(pred, exp) -> bool:
    """headline_ok, except that a site or section name joined with a title separator on either
    side is ignored: "Mozilla" for "Mozilla - Wikipedia", "Title | Site" for "Title". Same rule
    for every tool; Readability's corpus keeps such suffixes, Mercury's drops them."""
    if isinstance(pred, list):
        pred = " ".join(map(str, pred))
    if not isinstance(pred, str) or not isinstance(exp, str):
        return False
    ps, es = title_parts(pred), title_parts(exp)
    # the full string of one side against any cut of the other (a cut on both sides at once
    # would let "A | B" match "C | B")
    return any(headline_ok(a, exp) for a in ps) or any(headline_ok(pred, b) for b in es)


ROLE_WORDS = {"staff", "writer", "writers", "reporter", "reporters", "correspondent", "editor", "editors",
              "contributor", "contributing", "senior", "columnist"}
_AUTHOR_SPLIT = re.compile(r",|;|&|\band\b")
_LEADING_BY = re.compile(r"^\s*by\b[\s:]*")


def authors(v) -> frozenset:
    """Set of authors, each a frozenset of its tokens. Lowercased; split on ',', ';', '&' and the
    word 'and'; a leading 'by' is stripped from each part; parts made only of role words
    (ROLE_WORDS, e.g. 'Staff Writer') are dropped. A list is joined with ', ' first."""
    if v is None:
        return frozenset()
    if isinstance(v, list):
        v = ", ".join(str(x) for x in v if x)
    out = set()
    for part in _AUTHOR_SPLIT.split(str(v).lower()):
        toks = frozenset(tokens(_LEADING_BY.sub("", part)))
        if toks and not toks <= ROLE_WORDS:
            out.add(toks)
    return frozenset(out)


def byline_ok(pred, exp) -> bool:
    a = authors(pred)
    return bool(a) and a == authors(exp)


_MONTHS = {m: i + 1 for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split())}
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})|^\s*(\d{4})(\d{2})(\d{2})(?=T|\s*$)")  # extended | basic
_ISO_TIME = re.compile(r"^[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?\s*$",
                       re.I)
_EN_DATE = re.compile(
    r"\b(?:(\d{1,2})(?:st|nd|rd|th)?\s+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
    r"(?:\s+(\d{1,2})(?:st|nd|rd|th)?)?,?\s+(\d{4})\b", re.I)


def parse_when(v) -> tuple[dt.date, dt.date] | None:
    """(calendar date as written, calendar date in UTC) of a date string; the two are equal
    when the string has no UTC offset. Accepts ISO 8601 / RFC 3339 (also the basic 20200516T...
    form, a space for 'T', '+0100' offsets, fractions), RFC 2822, and English 'March 5, 2019' / '5 March 2019'."""
    if not isinstance(v, str) or not v.strip():
        return None
    s = v.strip()
    m = _ISO.match(s)
    if m:
        try:
            local = dt.date(*(int(g) for g in m.groups() if g is not None))
        except ValueError:
            return None
        t = _ISO_TIME.match(s[m.end():])
        if t and t.group(4):
            hh, mm, ss = int(t.group(1)), int(t.group(2)), int(t.group(3) or 0)
            off = t.group(4).upper()
            if off == "Z":
                delta = dt.timedelta(0)
            else:
                sign = -1 if off[0] == "-" else 1
                digits = off[1:].replace(":", "")
                delta = sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
            try:
                utc = (dt.datetime.combine(local, dt.time(hh % 24, mm, min(ss, 59))) - delta).date()
            except (ValueError, OverflowError):
                utc = local
            return local, utc
        return local, local
    try:
        d = email.utils.parsedate_to_datetime(s)
        if d.tzinfo is not None:
            return d.date(), d.astimezone(dt.timezone.utc).date()
        return d.date(), d.date()
    except (TypeError, ValueError, IndexError):
        pass
    m = _EN_DATE.search(s)
    if m:
        day = m.group(1) or m.group(3)
        if day:
            try:
                d = dt.date(int(m.group(4)), _MONTHS[m.group(2).lower()[:3]], int(day))
                return d, d
            except ValueError:
                return None
    return None


def date_ok(pred, exp) -> bool:
    e, p = parse_when(exp), parse_when(pred)
    if e is None:
        raise ValueError(f"unparseable expected date {exp!r}")
    if p is None:
        return False
    return p[0] == e[0] or p[1] == e[1]


# trafeval: trafilatura's snippet scoring (tests/eval_common.py of adbar/trafilatura)

_WS = re.compile(r"\s+")


def snip_norm(s: str) -> str:
    """trafilatura's eval_common.norm: every whitespace run (Unicode \\s, NBSP included) is one
    space, trimmed. Applied to the output and to each snippet; a snippet counts when it is a
    substring of the output."""
    return _WS.sub(" ", s).strip()


def _fold_table() -> dict[int, str]:
    t = {ord(c): "'" for c in "\u2018\u2019\u201a\u201b\u2032\u0060\u00b4"}
    t.update({ord(c): '"' for c in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"})
    t.update({ord(c): "-" for c in "\u2010\u2011\u2012\u2212\ufe63\uff0d"})
    t.update({ord(c): "" for c in "\u00ad\u200b\u200c\u200d\u2060\ufeff"})
    for cp in range(0x3001):
        c = chr(cp)
        if c.isspace() or unicodedata.category(c) == "Cc":
            t[cp] = " "
    return t


_FOLD_TABLE = _fold_table()
_DIGIT_DASH = re.compile(r"(?<=[0-9])[\u2013\u2014\u2015](?=[0-9])")
_DASH = re.compile(r"[\u2013\u2014\u2015]")
_SPACE_PUNCT = re.compile(r" (?=[,.;:!?]+(?: |$))")


def fold(s: str) -> str:
    """The cosmetic normalisation factdiff applies to every paragraph (src/extract/normalize.rs,
    ported): NFKC, curly/angle quotes to straight ones, hyphen variants to '-', a dash to ' - '
    (to '-' between digits), soft hyphen and zero-width characters dropped, whitespace and
    control characters to one space, no space before a word made only of , . ; : ! ?
    The "folded" columns apply it to the output and the snippets of every tool alike, so a
    snippet is not missed only because its quotes or dashes were normalised."""
    if not s.isascii():
        s = unicodedata.normalize("NFKC", s)
    s = s.translate(_FOLD_TABLE)
    s = _DASH.sub(" - ", _DIGIT_DASH.sub("-", s))
    return _SPACE_PUNCT.sub("", " ".join(w for w in s.split(" ") if w))


def snippet_counts(text: str, withs: list[str], withouts: list[str], norm=snip_norm):
    """(tp, fn, fp, tn, missed `with` snippets, found `without` snippets) of one page, as
    trafilatura's count_item: substring containment after `norm` on both sides. An empty
    output (or a failure, scored as empty) misses every `with` and finds no `without`."""
    t = norm(text) if text else ""
    missed = [w for w in withs if not t or norm(w) not in t]
    found = [w for w in withouts if t and norm(w) in t]
    return (len(withs) - len(missed), len(missed), len(found), len(withouts) - len(found),
            missed, found)


@dataclass
class PageScore:
    p: float | None = None
    r: float | None = None
    f1: float | None = None
    lead13: bool | None = None
    lead13_text: bool | None = None  # lead13 on pages whose expected start is not a caption
    headline: bool | None = None
    headline_site: bool | None = None  # site/section name joined with a separator ignored
    byline: bool | None = None
    date: bool | None = None
    seconds: float | None = None
    # factdiff only: the same page's html5ever parse, timed in the same process right before
    parse_seconds: float | None = None
    # factdiff only: the fastest of the runner's repeated runs of each (for the ratio)
    min_seconds: float | None = None
    min_parse_seconds: float | None = None
    error: str | None = None
    # trafeval: (tp, fn, fp, tn) over the page's snippets, exact (trafilatura's rule) and
    # folded (fold() on both sides); head = the tool's headline/title + "\n\n" + text, exact
    half: int | None = None
    snip: tuple | None = None
    snip_fold: tuple | None = None
    snip_head: tuple | None = None
    missed: list | None = None  # `with` snippets not found (exact)
    found: list | None = None  # `without` snippets found (exact)
    missed_fold: list | None = None  # `with` snippets not found, folded
    missed_head: list | None = None  # `with` snippets not found in headline + text, exact
    empty: bool | None = None  # no text (or an error)

    @property
    def chrome(self) -> bool:
        """Mostly chrome: none of the page's `with` snippets found, and at least one `without`
        snippet found or no text at all."""
        return self.snip is not None and self.snip[0] == 0 and (self.snip[2] > 0 or bool(self.empty))


_body_cache: dict[str, list[str]] = {}


def expected_body_tokens(path: str) -> list[str]:
    if path not in _body_cache:
        _body_cache[path] = tokens(html_to_text(Path(path).read_text(encoding="utf-8", errors="replace")))
    return _body_cache[path]


def score_page(tool: str, page: Page, rec: dict | None, timeout: float) -> PageScore:
    s = PageScore()
    rec = rec or {"error": "no record"}
    err = rec.get("error")
    s.error = str(err) if err else None
    secs = rec.get("seconds")
    if rec.get("timeout"):
        s.seconds = timeout  # at least this long; counted at the limit
    elif isinstance(secs, (int, float)):
        s.seconds = float(secs)
    if isinstance(rec.get("parse_seconds"), (int, float)):
        s.parse_seconds = float(rec["parse_seconds"])
    if isinstance(rec.get("min_parse_seconds"), (int, float)):
        s.min_parse_seconds = float(rec["min_parse_seconds"])
        s.min_seconds = float(rec.get("min_seconds") or 0.0)
    if tool == "parse-only":
        return s
    ok = not s.error
    t = page.truth
    if "date" in t:
        s.date = ok and date_ok(rec.get("published"), t["date"])
    if tool not in FULL:
        return s
    if "html" in rec:
        text = html_to_text(rec.get("html"))
    else:
        text = rec.get("text") or ""
    if not ok:
        text = ""
    if "with" in t:
        s.half = t.get("half")
        s.empty = not text.strip()
        tp, fn, fp, tn, s.missed, s.found = snippet_counts(text, t["with"], t["without"])
        s.snip = (tp, fn, fp, tn)
        r = snippet_counts(text, t["with"], t["without"], lambda x: snip_norm(fold(x)))
        s.snip_fold, s.missed_fold = r[:4], r[4]
        head = rec.get("headline") if ok else None
        if isinstance(head, list):
            head = " ".join(map(str, head))
        head_text = (head + "\n\n" + text) if isinstance(head, str) and head.strip() else text
        r = snippet_counts(head_text, t["with"], t["without"])
        s.snip_head, s.missed_head = r[:4], r[4]
    if "body_path" in t:
        exp = expected_body_tokens(t["body_path"])
        if exp:
            s.p, s.r, s.f1 = prf(tokens(text), exp)
    if "first13" in t and tokens(t["first13"]):
        s.lead13 = ok and bool(lead13_ok(text, t["first13"]))
        if not t.get("caption_led"):
            s.lead13_text = s.lead13
    if "headline" in t:
        # mozilla's truth is the metadata title (Readability's), postlight's the display
        # headline: factdiff gives both (`title`, `headline`) and is scored on the matching one
        pred = rec.get("headline")
        if t.get("headline_is_title") and rec.get("title"):
            pred = rec.get("title")
        s.headline = ok and headline_ok(pred, t["headline"])
        s.headline_site = ok and headline_site_ok(pred, t["headline"])
    if "byline" in t:
        s.byline = ok and byline_ok(rec.get("byline"), t["byline"])
    return s


# --------------------------------------------------------------------------------------------
# Report


@dataclass
class ToolRun:
    tool: str
    scores: dict  # page id -> PageScore
    maxrss_kib: int
    wall: float
    notes: list
    cached: bool = False

    def agg(self, attr: str) -> tuple[int, int]:
        vals = [getattr(s, attr) for s in self.scores.values() if getattr(s, attr) is not None]
        return sum(1 for v in vals if v), len(vals)

    def mean(self, attr: str) -> float | None:
        vals = [getattr(s, attr) for s in self.scores.values() if getattr(s, attr) is not None]
        return sum(vals) / len(vals) if vals else None

    def timed(self) -> list[float]:
        return [s.seconds for s in self.scores.values() if s.seconds is not None]

    def pages_per_s(self) -> float | None:
        t = self.timed()
        return len(t) / sum(t) if t and sum(t) > 0 else None

    def median_ms(self) -> float | None:
        t = sorted(self.timed())
        if not t:
            return None
        mid = len(t) // 2
        return 1000 * (t[mid] if len(t) % 2 else (t[mid - 1] + t[mid]) / 2)

    def errors(self) -> int:
        return sum(1 for s in self.scores.values() if s.error)

    def rss_mb(self) -> float:
        return self.maxrss_kib / 1024

    def snippets(self, attr: str = "snip", half: int | None = None) -> dict:
        """trafeval counts summed over pages (all, or one half): tp, fn, fp, tn, pages, and
        chrome (mostly-chrome pages, exact rule) / empty (pages without text)."""
        c = dict.fromkeys(("tp", "fn", "fp", "tn", "pages", "chrome", "empty", "nowith"), 0)
        for s in self.scores.values():
            v = getattr(s, attr)
            if v is None or (half is not None and s.half != half):
                continue
            for k, x in zip(("tp", "fn", "fp", "tn"), v):
                c[k] += x
            c["pages"] += 1
            c["chrome"] += s.chrome
            c["empty"] += bool(s.empty)
            c["nowith"] += v[0] == 0
        return c


def snip_prf(c: dict) -> tuple[float | None, float | None, float | None]:
    """Precision, recall, F1 over snippets, as trafilatura's ConfusionMatrix (0 when a
    denominator is empty)."""
    if not c["pages"]:
        return None, None, None
    tp, fn, fp = c["tp"], c["fn"], c["fp"]
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * tp / (2 * tp + fp + fn) if 2 * tp + fp + fn else 0.0
    return p, r, f


TRAFEVAL_HALVES = [(0, "tuning (even)"), (1, "held out (odd)"), (None, "all")]


def trafeval_tables(runs: list[ToolRun]) -> list[str]:
    full = [r for r in runs if r.tool in FULL]
    lines = ["Snippets, trafilatura's rule (whitespace runs to one space, substring containment, "
             "counts summed over pages; an error or empty output misses every `with`). "
             "*folded*: the same after factdiff's cosmetic normalisation (NFKC, quotes, dashes, "
             "invisible characters) of both the output and the snippets, for every tool. "
             "*mostly chrome*: pages with none of their `with` snippets found and a `without` "
             "one found or no text (of which empty); *no `with` found*: all pages that found none "
             "of their `with` snippets (mostly chrome, or other text chosen without a `without`).", "",
             "| tool | pages | P | R | F1 | TP | FN | FP | TN | mostly chrome (empty) | no `with` found "
             "| P folded | R folded | F1 folded |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in full:
        for half, name in TRAFEVAL_HALVES:
            c, cf = r.snippets("snip", half), r.snippets("snip_fold", half)
            pr, pf = snip_prf(c), snip_prf(cf)
            label = ROW_NAMES.get(r.tool, r.tool) + (" (cached)" if r.cached else "")
            lines.append(f"| {label}, {name} | {c['pages']} | " + " | ".join(fmt_f(x) for x in pr)
                         + f" | {c['tp']} | {c['fn']} | {c['fp']} | {c['tn']} | {c['chrome']} ({c['empty']}) | {c['nowith']} | "
                         + " | ".join(fmt_f(x) for x in pf) + " |")
    lines += ["", "Headline/title prepended to the text (each tool's own: factdiff `headline`, trafilatura "
              "`.title`, Readability `title`), exact rule, all pages:", "",
              "| tool | F1 text | F1 title + text | `with` found only with the title | "
              "`without` found only with the title |", "|---|---|---|---|---|"]
    for r in full:
        c, ch = r.snippets("snip"), r.snippets("snip_head")
        lines.append(f"| {r.tool} | {fmt_f(snip_prf(c)[2])} | {fmt_f(snip_prf(ch)[2])} | "
                     f"{ch['tp'] - c['tp']} | {ch['fp'] - c['fp']} |")
    lines += ["", "| tool | errors | pages/s | median ms/page | peak RSS MB |", "|---|---|---|---|---|"]
    for r in runs:
        lines.append(f"| {ROW_NAMES.get(r.tool, r.tool)}{' (cached)' if r.cached else ''} | {r.errors()} | "
                     f"{fmt_f(r.pages_per_s(), 1)} | {fmt_f(r.median_ms(), 2)} | {r.rss_mb():.0f} |")
    return lines


def _short(x: str, n: int = 60) -> str:
    x = snip_norm(x)
    return x if len(x) <= n else x[: n - 1] + "…"


def _tsv(x) -> str:
    return str(x).replace("\t", " ").replace("\r", " ").replace("\n", " ")


def trafeval_misses(runs: dict[str, ToolRun], pages: list[Page]) -> list[tuple]:
    """factdiff's trafeval pages with a false positive or a missed snippet, most (FP + FN)
    first (then page order). Each: (page, score, {peer: score})."""
    fd = runs.get("factdiff")
    if fd is None:
        return []
    peers = {p: runs[p] for p in ("trafilatura", "readability") if p in runs}
    rows = []
    for pg in pages:
        s = fd.scores.get(pg.id)
        if s is None or s.snip is None or not (s.snip[1] or s.snip[2]):
            continue
        rows.append((pg, s, {p: r.scores.get(pg.id) for p, r in peers.items()}))
    rows.sort(key=lambda x: -(x[1].snip[1] + x[1].snip[2]))  # stable: page order among ties
    return rows


def write_trafeval_tsv(path: Path, rows: list[tuple]) -> None:
    """Per page: the `without` snippets factdiff's text contains (false positives) and the
    `with` snippets it misses, with markers: [folded] = found once both sides are folded
    (a cosmetic miss), [headline] = found in factdiff's headline (which the text leaves out)."""
    peers = sorted({p for _, _, ps in rows for p in ps})
    with open(path, "w", encoding="utf-8") as f:
        f.write("\t".join(["page", "half", "url", "tp", "fn", "fp", "tn", "empty", "error",
                           "missed_with", "found_without"]
                          + [f"{p}_{k}" for p in peers for k in ("fn", "fp")]) + "\n")
        for pg, s, ps in rows:
            missed = []
            for w in s.missed:
                missed.append(_marks(s, w) + snip_norm(w))
            cells = [pg.id.split("/", 1)[1], "tune" if pg.truth.get("half") == 0 else "held", pg.url or "",
                     *s.snip, int(bool(s.empty)), s.error or "",
                     " ‖ ".join(missed), " ‖ ".join(snip_norm(w) for w in s.found)]
            for p in peers:
                ps_ = ps.get(p)
                cells += [ps_.snip[1], ps_.snip[2]] if ps_ is not None and ps_.snip else ["", ""]
            f.write("\t".join(_tsv(c) for c in cells) + "\n")


def _marks(s: PageScore, w: str) -> str:
    return ("[folded] " if w not in s.missed_fold else "") + ("[headline] " if w not in s.missed_head else "")


def trafeval_worst(rows: list[tuple], n: int) -> list[str]:
    peers = sorted({p for _, _, ps in rows for p in ps})
    out = [f"factdiff's trafeval pages with the most false positives + missed snippets (top {n} of "
           f"{len(rows)}; all of them in trafeval-factdiff.tsv). A missed snippet marked [folded] is "
           "found once factdiff's normalisation is applied to both sides; [headline]: factdiff's "
           "headline holds it:", "",
           "| page | half | FN | FP | missed `with` | found `without` |"
           + "".join(f" {p} FN/FP |" for p in peers),
           "|---|---|---|---|---|---|" + "---|" * len(peers)]
    for pg, s, ps in rows[:n]:
        cells = [pg.id.split("/", 1)[1] + (f" (error: {s.error[:60]})" if s.error else ""),
                 "tune" if pg.truth.get("half") == 0 else "held", str(s.snip[1]), str(s.snip[2]),
                 "; ".join(_marks(s, w) + _short(w, 50).replace("|", "\\|") for w in s.missed) or "–",
                 "; ".join(_short(w, 50).replace("|", "\\|") for w in s.found) or "–"]
        for p in peers:
            x = ps.get(p)
            cells.append(f"{x.snip[1]}/{x.snip[2]}" if x is not None and x.snip else "–")
        out.append("| " + " | ".join(cells) + " |")
    return out


def fmt_acc(run: ToolRun, attr: str) -> str:
    ok, n = run.agg(attr)
    return f"{ok / n:.3f} ({ok}/{n})" if n else "–"


def fmt_f(v: float | None, digits: int = 3) -> str:
    return "–" if v is None else f"{v:.{digits}f}"


def corpus_table(corpus: str, runs: list[ToolRun], npages: int) -> list[str]:
    body = corpus == "mozilla"
    lead = corpus == "postlight"
    meta = corpus in ("mozilla", "postlight")
    cols = ["tool"]
    if body:
        cols += ["P", "R", "F1"]
    if lead:
        cols += ["lead13", "lead13 (no caption lead)"]
    if meta:
        cols += ["headline", "headline (site name ignored)", "byline"]
    cols += ["date", "errors", "pages/s", "median ms/page", "peak RSS MB"]
    lines = ["| " + " | ".join(cols) + " |", "|" + "|".join("---" for _ in cols) + "|"]
    for r in runs:
        full = r.tool in FULL
        row = [ROW_NAMES.get(r.tool, r.tool) + (" (cached)" if r.cached else "")]
        if body:
            row += [fmt_f(r.mean(a)) if full else "–" for a in ("p", "r", "f1")]
        if lead:
            row += [fmt_acc(r, a) if full else "–" for a in ("lead13", "lead13_text")]
        if meta:
            row += [fmt_acc(r, a) if full else "–" for a in ("headline", "headline_site", "byline")]
        row += [fmt_acc(r, "date") if r.tool != "parse-only" else "–", str(r.errors()),
                fmt_f(r.pages_per_s(), 1), fmt_f(r.median_ms(), 2), f"{r.rss_mb():.0f}"]
        lines.append("| " + " | ".join(row) + " |")
    return lines


def quality(corpus: str, r: ToolRun) -> tuple[str, float | None]:
    if r.tool == "htmldate" or corpus == "dates":
        ok, n = r.agg("date")
        return "date acc", (ok / n if n else None)
    if corpus == "mozilla":
        return "F1", r.mean("f1")
    if corpus == "trafeval":
        return "snippet F1", snip_prf(r.snippets())[2]
    ok, n = r.agg("lead13")
    return "lead13", (ok / n if n else None)


def ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or b == 0:
        return "–"
    return f"{a / b:.2f}"


def summary_lines(corpus: str, runs: dict[str, ToolRun]) -> list[str]:
    fd = runs.get("factdiff")
    if fd is None:
        return []
    out = [f"factdiff / peer on {corpus} (> 1 means factdiff is faster, scores higher, or uses "
           "more memory):", "",
           "| peer | pages/s ratio | quality ratio | peak RSS ratio |", "|---|---|---|---|"]
    for peer in PEERS:
        pr = runs.get(peer)
        if pr is None:
            continue
        qname, q_peer = quality(corpus, pr)
        if peer == "htmldate":
            fd_q = quality("dates", fd)[1]
        else:
            fd_q = quality(corpus, fd)[1]
        out.append(f"| {peer} | {ratio(fd.pages_per_s(), pr.pages_per_s())} | "
                   f"{ratio(fd_q, q_peer)} ({qname}) | {ratio(fd.rss_mb(), pr.rss_mb())} |")
    # Paired: each page's parse is timed in the factdiff runner right before its extraction,
    # alternating, REPEAT + 1 times; the fastest of each counts (machine load moves both alike,
    # and the minimum is the least disturbed). The separate parse-only run is the speed-floor row.
    both = [i for i, s in fd.scores.items()
            if s.seconds is not None and not s.error and s.min_parse_seconds and s.min_seconds]
    te = sum(fd.scores[i].min_seconds for i in both)
    tp = sum(fd.scores[i].min_parse_seconds for i in both)
    if tp > 0:
        out += ["", f"factdiff extraction time / html5ever parse time: {te / tp:.2f}x "
                f"({te:.3f} s / {tp:.3f} s over {len(both)} pages; each page parsed and extracted "
                f"alternately {RATIO_REPEAT + 1} times in one process, fastest of each)"]
    return out


def worst_pages(corpus_runs: dict[str, ToolRun], n: int) -> list[str]:
    fd = corpus_runs.get("factdiff")
    peers = [p for p in ("trafilatura", "readability") if p in corpus_runs]
    if fd is None or not peers:
        return ["(--worst needs factdiff and trafilatura or readability on the mozilla corpus)"]
    rows = []
    for pid, s in fd.scores.items():
        if s.f1 is None:
            continue
        best = max(peers, key=lambda p: corpus_runs[p].scores[pid].f1 or 0.0)
        bf = corpus_runs[best].scores[pid].f1 or 0.0
        rows.append((bf - s.f1, pid, s.f1, best, bf, s.error))
    rows.sort(key=lambda x: -x[0])
    out = [f"Pages where factdiff's body F1 trails the best peer the most (top {n}, mozilla):", "",
           "| page | factdiff F1 | best peer | peer F1 | gap |" + "".join(f" {p} F1 |" for p in peers),
           "|---|---|---|---|---|" + "---|" * len(peers)]
    for gap, pid, f, best, bf, err in rows[:n]:
        if gap <= 0:
            break
        extra = "".join(f" {fmt_f(corpus_runs[p].scores[pid].f1)} |" for p in peers)
        note = f" (error: {err})" if err else ""
        out.append(f"| {pid}{note} | {f:.3f} | {best} | {bf:.3f} | {gap:.3f} |{extra}")
    return out


# --------------------------------------------------------------------------------------------
# Main


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fixtures", default=str(REPO.parent / "shared" / "fixtures"),
                    help="the shared fixtures folder (default: ../shared/fixtures from the repo root)")
    ap.add_argument("--corpus", default=",".join(DEFAULT_CORPORA),
                    help="comma-separated: mozilla, postlight, dates, trafeval (default: "
                         f"{','.join(DEFAULT_CORPORA)}; trafeval is opt-in)")
    ap.add_argument("--tools", default=",".join(ALL_TOOLS),
                    help="comma-separated: factdiff, trafilatura, readability, htmldate, parse-only")
    ap.add_argument("--factdiff-bin", help="prebuilt factdiff extraction runner (skips cargo bench)")
    ap.add_argument("--reuse-peers", action="store_true",
                    help="reuse cached peer outputs of an earlier run with the same versions and pages")
    ap.add_argument("--worst", type=int, default=0, metavar="N",
                    help="list the N mozilla pages where factdiff's F1 trails the best peer most, "
                         "and the N trafeval pages with factdiff's most false positives + misses")
    ap.add_argument("--timeout", type=float, default=60.0,
                    help="seconds a page may take before it is recorded as a failure (default 60)")
    ap.add_argument("--out-dir", default=str(REPO / "target" / "bench-extraction"))
    args = ap.parse_args()

    corpora = [c.strip() for c in args.corpus.split(",") if c.strip()]
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    for c in corpora:
        if c not in ALL_CORPORA:
            die(f"unknown corpus {c!r} (choose from {', '.join(ALL_CORPORA)})")
    for t in tools:
        if t not in ALL_TOOLS:
            die(f"unknown tool {t!r} (choose from {', '.join(ALL_TOOLS)})")
    tools = [t for t in ALL_TOOLS if t in tools]  # report order
    fixtures = Path(args.fixtures)
    if not fixtures.is_dir():
        die(f"fixtures folder {fixtures} not found: pass --fixtures DIR (the shared fixtures, with "
            "extraction/mozilla-readability, extraction/postlight and dates/htmldate-mediacloud)")
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)

    pages = {c: LOADERS[c](fixtures) for c in corpora}
    for c in corpora:
        if not pages[c]:
            die(f"corpus {c} has no pages under {fixtures}")

    # Runners share one CPU; this process watches them from another one when there is one.
    cpus = sorted(os.sched_getaffinity(0))
    runner_cpu = cpus[0] if cpus else None
    if len(cpus) > 1:
        os.sched_setaffinity(0, set(cpus[1:]))

    py = ensure_venv(out) if {"trafilatura", "htmldate"} & set(tools) else None
    node_dir = ensure_node(out) if "readability" in tools else None
    fd_bin = None
    if {"factdiff", "parse-only"} & set(tools):
        fd_bin = Path(args.factdiff_bin) if args.factdiff_bin else build_factdiff()
        if not fd_bin.is_file():
            die(f"factdiff runner {fd_bin} not found")
        fd_bin = fd_bin.resolve()

    argv = {
        "factdiff": (lambda m, o: [str(fd_bin), "--manifest", str(m), "--out", str(o), "--mode", "factdiff",
                                   "--repeat", str(RATIO_REPEAT)]),
        "parse-only": (lambda m, o: [str(fd_bin), "--manifest", str(m), "--out", str(o), "--mode",
                                     "parse-only"]),
        "trafilatura": (lambda m, o: [str(py), str(RUNNERS / "py_runner.py"), "trafilatura", str(m), str(o)]),
        "htmldate": (lambda m, o: [str(py), str(RUNNERS / "py_runner.py"), "htmldate", str(m), str(o)]),
        "readability": (lambda m, o: [shutil.which("node") or "node", str(RUNNERS / "readability.cjs"),
                                      str(node_dir), str(m), str(o)]),
    }
    # factdiff's runner block-buffers its output; the peers' runners write line by line.
    line_flushed = {"factdiff": False, "parse-only": False, "trafilatura": True, "htmldate": True,
                    "readability": True}
    versions = peer_versions()
    py_ver = (subprocess.run([str(py), "-c", "import sys; print(sys.version.split()[0])"], capture_output=True,
                             text=True).stdout.strip() if py else "")
    cache_inputs = {
        "trafilatura": [HERE / "requirements.txt", RUNNERS / "py_runner.py"],
        "htmldate": [HERE / "requirements.txt", RUNNERS / "py_runner.py"],
        "readability": [HERE / "package-lock.json", RUNNERS / "readability.cjs"],
    }
    cache_dir = out / "peer-cache"
    cache_dir.mkdir(exist_ok=True)

    results: dict[str, dict[str, ToolRun]] = {}
    for c in corpora:
        work = out / "runs" / c
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        sup = Supervisor(args.timeout, runner_cpu, work)
        digest = manifest_digest(pages[c]) if set(PEERS) & set(tools) else ""
        results[c] = {}
        for t in tools:
            if t in SKIP_TOOLS.get(c, ()):
                log(f"[{c}] {t}: not scored on this corpus, skipped")
                continue
            run = None
            cache_file = None
            if t in PEERS:
                h = hashlib.sha256()
                for part in (t, c, digest, versions[t], py_ver if t != "readability" else str(node_version()),
                             str(args.timeout), file_hash(*cache_inputs[t])):
                    h.update(part.encode() + b"\0")
                cache_file = cache_dir / f"{t}-{c}-{h.hexdigest()[:16]}.json"
                if args.reuse_peers and cache_file.exists():
                    run = json.loads(cache_file.read_text(encoding="utf-8"))
                    log(f"[{c}] {t}: reusing {cache_file.name}")
            cached = run is not None
            if run is None:
                log(f"[{c}] {t}: {len(pages[c])} pages ...")
                run = sup.run(argv[t], pages[c], t, line_flushed[t])
                if cache_file is not None:
                    cache_file.write_text(json.dumps(run, ensure_ascii=False), encoding="utf-8")
            scores = {p.id: score_page(t, p, run["records"].get(p.id), args.timeout) for p in pages[c]}
            tr = ToolRun(t, scores, run["maxrss_kib"], run["wall"], run["notes"], cached)
            results[c][t] = tr
            log(f"[{c}] {t}: {tr.wall:.1f} s wall, {tr.errors()} errors, peak RSS {tr.rss_mb():.0f} MB"
                + ("" if not tr.notes else "; " + "; ".join(tr.notes[:5])))

    # Per-page TSV
    with open(out / "pages.tsv", "w", encoding="utf-8") as f:
        f.write("corpus\tid\ttool\tP\tR\tF1\tlead13_ok\theadline_ok\theadline_site_ok\tbyline_ok\tdate_ok\tseconds\terror"
                "\tsnip_tp\tsnip_fn\tsnip_fp\tsnip_tn\n")

        def cell(v):
            if v is None:
                return ""
            if isinstance(v, bool):
                return "1" if v else "0"
            if isinstance(v, float):
                return f"{v:.4f}" if v >= 0.001 or v == 0 else f"{v:.6f}"
            return str(v).replace("\t", " ").replace("\n", " ")

        for c in corpora:
            for t, tr in results[c].items():
                for pid, s in tr.scores.items():
                    f.write("\t".join(cell(x) for x in (c, pid, t, s.p, s.r, s.f1, s.lead13, s.headline,
                                                         s.headline_site, s.byline, s.date, s.seconds, s.error,
                                                         *(s.snip or (None,) * 4))) + "\n")

    fd_label = (f"prebuilt runner {fd_bin} (given with --factdiff-bin; the work tree is at "
                f"{git_describe()})" if args.factdiff_bin
                else f"cargo bench build of {git_describe()}")
    md = ["# factdiff extraction benchmark", "",
          f"Command: `python3 benches/extraction/compare.py {' '.join(sys.argv[1:])}`".rstrip(),
          f"Date: {dt.datetime.now().astimezone().isoformat(timespec='seconds')}; "
          f"machine: {platform.machine()}, {os.cpu_count()} CPUs, every runner pinned to CPU {runner_cpu}, "
          f"one process per tool and corpus, page limit {args.timeout:.0f} s",
          f"factdiff: {fd_label}" if fd_bin else "",
          "Peers: " + "; ".join(versions[t] for t in PEERS if any(t in results[c] for c in corpora))
          + (f"; Python {py_ver}" if py_ver else ""), ""]
    titles = {"mozilla": "mozilla-readability test pages (body, headline, byline, date vs Readability's "
                         "expected output)",
              "postlight": "postlight parser fixtures (lead13, headline, byline, date vs hand-written "
                           "assertions)",
              "dates": "htmldate MediaCloud 2020 test set (publication date only)",
              "trafeval": "trafilatura's evaluation corpus (`with`/`without` snippets in the main text)"}
    for c in corpora:
        runs = [results[c][t] for t in tools if t in results[c]]
        md += [f"## {c}: {titles[c]}, {len(pages[c])} pages", ""]
        if c == "trafeval":
            md += trafeval_tables(runs)
        else:
            md += corpus_table(c, runs, len(pages[c]))
        md.append("")
        s = summary_lines(c, results[c])
        if s:
            md += s + [""]
        notes = [f"- {t}: {n}" for t in results[c] for n in results[c][t].notes]
        if notes:
            md += ["Runner hangs/crashes (each recorded as that page's failure):", ""] + notes + [""]
        errs = []
        for t in results[c]:
            bad = [(pid, s.error) for pid, s in results[c][t].scores.items() if s.error]
            for pid, e in bad[:15]:
                errs.append(f"- {t}: {pid}: {e[:160]}")
            if len(bad) > 15:
                errs.append(f"- {t}: ... {len(bad) - 15} more (pages.tsv)")
        if errs:
            md += ["Pages with an error (scored as empty output):", ""] + errs + [""]
    if args.worst and "mozilla" in results:
        md += worst_pages(results["mozilla"], args.worst) + [""]
    elif args.worst and "trafeval" not in results:
        md += ["(--worst ranks mozilla pages by body F1; the mozilla corpus was not selected)", ""]
    written = [out / "results.md", out / "pages.tsv"]
    if "trafeval" in results and "factdiff" in results["trafeval"]:
        rows = trafeval_misses(results["trafeval"], pages["trafeval"])
        write_trafeval_tsv(out / "trafeval-factdiff.tsv", rows)
        written.append(out / "trafeval-factdiff.tsv")
        if args.worst:
            md += trafeval_worst(rows, args.worst) + [""]
    elif args.worst and "trafeval" in results:
        md += ["(--worst lists factdiff's trafeval misses; factdiff was not among --tools)", ""]
    text = "\n".join(line for line in md if line is not None) + "\n"
    text = re.sub(r"\n{3,}", "\n\n", text)
    (out / "results.md").write_text(text, encoding="utf-8")
    print(text)
    log("wrote " + ", ".join(map(str, written)))


if __name__ == "__main__":
    main()
