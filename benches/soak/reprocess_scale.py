#!/usr/bin/env python3
"""Re-processing throughput on a large store (issue 18): versions per second.

1. A base store: `factdiff ingest` stores PAGES HTML pages from ../shared/fixtures (sorted,
   the first PAGES) as successive versions of one URL (`--url`), so each page is a version
   with its raw page kept, exactly as the daemon stores them.
2. That article is cloned in SQL (articles, versions with raw pages, under new ids and URLs)
   until the store holds VERSIONS versions: `reprocess` reads every version from its raw page,
   so the cost per version is the real one; the clones only save the hour `ingest` would take.
3. Timed side by side: `factdiff extract --json` of the same PAGES pages (the extraction
   baseline, per page), then `factdiff reprocess --dry-run --json` (and, with --write,
   `factdiff reprocess --json`). Prints versions/s and the ratio per page to the baseline.

    python3 benches/soak/reprocess_scale.py --bin target/release/factdiff              # 100,000 versions
    python3 benches/soak/reprocess_scale.py --bin target/release/factdiff --versions 10000 --write
"""

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import time
from pathlib import Path


def log(msg):
    print(f"[reprocess-scale {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def timed(cmd, **kw):
    t = time.time()
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r, time.time() - t, usage.ru_maxrss


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", required=True)
    ap.add_argument("--versions", type=int, default=100_000)
    ap.add_argument("--pages", type=int, default=200)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--write", action="store_true", help="also time the writing run")
    ap.add_argument("--out", default="target/reprocess-scale")
    ap.add_argument("--fixtures", default=str(Path(__file__).resolve().parents[2] / "../shared/fixtures"))
    a = ap.parse_args()
    out = Path(a.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    pages = sorted(Path(a.fixtures).rglob("*.html"))[: a.pages]
    if not pages:
        sys.exit(f"no HTML pages under {a.fixtures}")
    db = out / "store.db"
    for f in ("store.db", "store.db-wal", "store.db-shm"):
        (out / f).unlink(missing_ok=True)
    cfg = out / "factdiff.toml"
    cfg.write_text(f'[storage]\nurl = "sqlite://{db}"\n\n[notify]\nlog = false\n')
    fd = [a.bin, "-c", str(cfg)]

    t = time.time()
    ats = [f"2026-01-01T00:{i // 60:02d}:{i % 60:02d}Z" for i in range(len(pages))]
    args = fd + ["ingest", "--url", "https://scale.example/story/0", "--outlet", "Scale"]
    for p, at in zip(pages, ats):
        args += [str(p)]
    for at in ats:
        args += ["--at", at]
    r = subprocess.run(args, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"ingest failed: {r.stderr[-2000:]}")
    c = sqlite3.connect(db)
    base = c.execute("SELECT COUNT(*) FROM versions").fetchone()[0]
    log(f"base: {base} versions of one article from {len(pages)} pages in {time.time() - t:.1f} s")
    acols = [r[1] for r in c.execute("PRAGMA table_info(articles)") if r[1] not in ("id", "url")]
    vcols = [r[1] for r in c.execute("PRAGMA table_info(versions)") if r[1] not in ("id", "article_id")]
    copies = -(-a.versions // base) - 1
    t = time.time()
    with c:
        for k in range(1, copies + 1):
            c.execute(f"INSERT INTO articles (id, url, {', '.join(acols)}) SELECT id + ?1, url || '/copy-' || ?1, "
                      f"{', '.join(acols)} FROM articles WHERE id = 1", (k,))
            c.execute(f"INSERT INTO versions (article_id, {', '.join(vcols)}) SELECT article_id + ?1, "
                      f"{', '.join(vcols)} FROM versions WHERE article_id = 1", (k,))
    total = c.execute("SELECT COUNT(*) FROM versions").fetchone()[0]
    c.close()
    log(f"cloned to {total} versions in {copies + 1} articles in {time.time() - t:.1f} s")

    rows = []
    r, secs, _ = timed(fd + ["extract", "--json"] + [str(p) for p in pages])
    rows.append(("`factdiff extract --json` the pages (baseline)", secs, len(pages) / secs, "pages/s"))
    log(f"baseline extract: {len(pages)} pages in {secs:.1f} s")
    runs = [("dry run", ["reprocess", "--dry-run", "--json", "--jobs", str(a.jobs)])]
    if a.write:
        runs.append(("writing", ["reprocess", "--json", "--jobs", str(a.jobs)]))
    for name, cmd in runs:
        r, secs, rss = timed(fd + cmd, env=dict(os.environ, NO_COLOR="1"))
        if r.returncode != 0:
            sys.exit(f"{name} failed: {r.stderr[-2000:]}")
        t = json.loads(r.stdout)["totals"]
        (out / f"{name.replace(' ', '-')}.json").write_text(r.stdout)
        rows.append((f"`factdiff reprocess{' --dry-run' if name == 'dry run' else ''} --jobs {a.jobs}`", secs,
                     t["versions"] / secs, f"versions/s (reextracted {t['reextracted']}, peak RSS {rss // 1024} MB)"))
        log(f"{name}: {t['versions']} versions in {secs:.1f} s")
    base_rate = rows[0][2]
    print(f"store: {total} versions ({copies + 1} articles x {base}), load average {os.getloadavg()[0]:.1f}\n")
    print("| command | time | rate | per page vs extract |\n|---|---|---|---|")
    for name, secs, rate, unit in rows:
        print(f"| {name} | {secs:.1f} s | {rate:.1f} {unit} | {rate / base_rate:.2f}x |")


if __name__ == "__main__":
    main()
