#!/usr/bin/env python3
"""Re-processing throughput and memory on growing stores (issue 18): versions/s, peak RSS.

1. A base store: `factdiff ingest` stores PAGES HTML pages from ../shared/fixtures (sorted,
   the first PAGES) as articles of PER_ARTICLE successive versions each (one `--url` per
   group), so each page is a version with its raw page kept, exactly as the daemon stores
   them.
2. Those articles are cloned in SQL (articles, versions with raw pages, under new ids and
   URLs) until the store holds the first size of --sizes: `reprocess` reads every version
   from its raw page, so the cost per version is the real one; the clones only save the
   hours `ingest` would take. The same store then grows to each next size.
3. At each size, side by side in one run: `factdiff extract --json` of the PAGES pages (the
   extraction baseline, per page; once, at the first size), then `factdiff reprocess
   --dry-run --json` (and, with --write, `factdiff reprocess --json`), each with its own
   peak RSS (wait4 of that process). Prints versions/s, the ratio per page to the baseline
   and peak RSS per size: flat RSS across sizes is what streaming the report buys.
4. While each run goes, its RSS, CPU seconds and progress (the last article id written to
   the streamed report; ids go up) are sampled every --sample seconds: the CPU cost per
   version early and late in the largest run says whether anything grows with the store.

    nice -n 10 python3 benches/soak/reprocess_scale.py --bin target/release/factdiff
    python3 benches/soak/reprocess_scale.py --bin target/release/factdiff --sizes 10000 --write
"""

import argparse
import json
import os
import re
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path


def log(msg):
    print(f"[reprocess-scale {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def proc_sample(pid):
    """(RSS in MB, CPU seconds: user + system of all threads) of a running pid, or None."""
    try:
        rss = next(int(line.split()[1]) for line in open(f"/proc/{pid}/status") if line.startswith("VmRSS:"))
        f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return rss / 1024, (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, StopIteration, IndexError, ValueError):
        return None


def last_article(path):
    """The article id of the last complete line of a streamed JSON report, or 0."""
    try:
        with open(path, "rb") as f:
            f.seek(max(0, os.path.getsize(path) - (1 << 20)))  # report lines run to 70 KB
            ids = re.findall(rb'"article_id":\s*(\d+)', f.read())
        return int(ids[-1]) if ids else 0
    except OSError:
        return 0


def timed(cmd, out_path, sample=30.0, **kw):
    """Runs cmd with stdout to out_path; (returncode, seconds, peak RSS in MB, CPU seconds of
    that process: user + system, the figure that does not swing with the machine's load,
    samples: (seconds, RSS MB, CPU s, last article id reported, load average) every `sample` s)."""
    t = time.time()
    samples = []
    with open(out_path, "wb") as out, open(str(out_path) + ".err", "wb") as err:
        p = subprocess.Popen(cmd, stdout=out, stderr=err, **kw)
        done = threading.Event()

        def watch():
            while not done.wait(sample):
                s = proc_sample(p.pid)
                if s:
                    samples.append((round(time.time() - t), round(s[0], 1), round(s[1], 1), last_article(out_path),
                                    os.getloadavg()[0]))
                    log(f"  t={samples[-1][0]}s rss={s[0]:.1f} MB cpu={s[1]:.0f} s article={samples[-1][3]} "
                        f"load={samples[-1][4]:.1f}")

        w = threading.Thread(target=watch, daemon=True)
        w.start()
        _, status, usage = os.wait4(p.pid, 0)
        done.set()
    p.returncode = os.waitstatus_to_exitcode(status)
    return p.returncode, time.time() - t, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, samples


def grow(c, groups, target):
    """Clones the base articles 1..groups (by whole copies) until the store holds >= target
    versions. Returns the versions now held."""
    acols = [r[1] for r in c.execute("PRAGMA table_info(articles)") if r[1] not in ("id", "url")]
    vcols = [r[1] for r in c.execute("PRAGMA table_info(versions)") if r[1] not in ("id", "article_id")]
    total = c.execute("SELECT COUNT(*) FROM versions").fetchone()[0]
    copies = c.execute("SELECT COUNT(*) FROM articles").fetchone()[0] // groups - 1
    with c:
        while total < target:
            copies += 1
            off = copies * groups
            c.execute(f"INSERT INTO articles (id, url, {', '.join(acols)}) SELECT id + ?1, url || '/copy-' || ?2, "
                      f"{', '.join(acols)} FROM articles WHERE id <= ?3", (off, copies, groups))
            n = c.execute(f"INSERT INTO versions (article_id, {', '.join(vcols)}) SELECT article_id + ?1, "
                          f"{', '.join(vcols)} FROM versions WHERE article_id <= ?2", (off, groups)).rowcount
            total += n
    return total


def segment_rates(samples, per_article):
    """Versions per CPU-second in each quarter of a run, from (t, rss, cpu, article id) samples
    (article ids count up from 1 in a store grown by clones, so id x per-article versions is
    the progress). A rate that falls from the first quarter to the last means a cost that
    grows with the part of the store already read."""
    pts = [(0.0, 0)] + [(s[2], s[3]) for s in samples if s[3]]
    if len(pts) < 5:
        return []
    rates = []
    for q in range(4):
        a, b = pts[len(pts) * q // 4], pts[min(len(pts) - 1, len(pts) * (q + 1) // 4)]
        rates.append((b[1] - a[1]) * per_article / max(1e-9, b[0] - a[0]))
    return rates


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", required=True)
    ap.add_argument("--ingest-bin", help="binary that ingests the base pages (default --bin)")
    ap.add_argument("--sizes", default="10000,30000,100000", help="store sizes in versions, ascending")
    ap.add_argument("--pages", type=int, default=200)
    ap.add_argument("--per-article", type=int, default=10, help="versions per base article")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--before", help="another build (say main's) to run the dry run with too, side by side")
    ap.add_argument("--before-max", type=int, default=10000, help="largest size to run --before at")
    ap.add_argument("--write", action="store_true", help="also time the writing run (at the largest size)")
    ap.add_argument("--sample", type=float, default=30, help="RSS / CPU / progress sample period (s)")
    ap.add_argument("--out", default="target/reprocess-scale")
    ap.add_argument("--fixtures", default=str(Path(__file__).resolve().parents[2] / "../shared/fixtures"))
    a = ap.parse_args()
    sizes = [int(s) for s in a.sizes.split(",")]
    out = Path(a.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    pages = sorted(Path(a.fixtures).rglob("*.html"))[: a.pages]
    if not pages:
        print(f"NOTICE: no HTML pages under {a.fixtures}; nothing measured", file=sys.stderr)
        return
    db = out / "store.db"
    for f in ("store.db", "store.db-wal", "store.db-shm"):
        (out / f).unlink(missing_ok=True)
    cfg = out / "factdiff.toml"
    cfg.write_text(f'[storage]\nurl = "sqlite://{db}"\n\n[notify]\nlog = false\n')
    fd = [a.bin, "-c", str(cfg)]

    t = time.time()
    groups = [pages[i: i + a.per_article] for i in range(0, len(pages), a.per_article)]
    for g, group in enumerate(groups):
        args = [a.ingest_bin or a.bin, "-c", str(cfg), "ingest", "--url", f"https://scale.example/story/{g}", "--outlet", f"Outlet {g % 7}"]
        args += [str(p) for p in group]
        for i in range(len(group)):
            args += ["--at", f"2026-01-01T{g // 60:02d}:{g % 60:02d}:{i:02d}Z"]
        r = subprocess.run(args, capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(f"ingest failed: {r.stderr[-2000:]}")
    c = sqlite3.connect(db)
    base = c.execute("SELECT COUNT(*) FROM versions").fetchone()[0]
    log(f"base: {base} versions in {len(groups)} articles from {len(pages)} pages in {time.time() - t:.1f} s")

    rc, secs, rss, cpu, _ = timed(fd + ["extract", "--json"] + [str(p) for p in pages], out / "extract.json")
    if rc != 0:
        sys.exit("baseline extract failed")
    base_rate = len(pages) / cpu
    rows = [("baseline: `factdiff extract --json` the pages", "-", secs, cpu, f"{base_rate:.1f} pages/CPU-s", 1.0,
             rss, "")]
    log(f"baseline extract: {len(pages)} pages in {secs:.1f} s, {cpu:.1f} CPU-s")
    env = dict(os.environ, NO_COLOR="1")
    segments = []
    for size in sizes:
        t = time.time()
        total = grow(c, len(groups), size)
        arts = c.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        log(f"store: {total} versions in {arts} articles (grown in {time.time() - t:.1f} s)")
        dry = ["reprocess", "--dry-run", "--json", "--jobs", str(a.jobs)]
        runs = [("dry run", fd, dry)]
        if a.before and size <= a.before_max:
            runs.insert(0, ("dry run, before", [a.before, "-c", str(cfg)], dry))
        if a.write and size == sizes[-1]:
            runs.append(("writing", fd, ["reprocess", "--json", "--jobs", str(a.jobs)]))
        for name, binary, cmd in runs:
            path = out / f"{name.replace(' ', '-').replace(',', '')}-{size}.json"
            load0 = os.getloadavg()[0]
            rc, secs, rss, cpu, samples = timed(binary + cmd, path, sample=a.sample, env=env)
            if rc != 0:
                sys.exit(f"{name} at {size} failed: {Path(str(path) + '.err').read_text()[-2000:]}")
            tot = json.loads(path.read_text())["totals"]
            rate = tot["versions"] / cpu
            label = f"`factdiff reprocess{'' if name == 'writing' else ' --dry-run'} --jobs {a.jobs}`"
            rows.append((label + (" (before: " + a.before + ")" if "before" in name else ""),
                         f"{tot['versions']:,}", secs, cpu,
                         f"{rate:.1f} versions/CPU-s, {tot['versions'] / secs:.1f} versions/s wall", rate / base_rate, rss,
                         f"{tot['reextracted']} re-extracted, fact changes {tot['lost']} lost / {tot['gained']} gained"))
            log(f"{name} at {total}: {tot['versions']} versions in {secs:.1f} s ({cpu:.1f} CPU-s), "
                f"peak RSS {rss:.0f} MB, load average {load0:.1f} at the start, {os.getloadavg()[0]:.1f} at the end")
            per_article = tot["versions"] / max(1, tot["articles"])
            segments.append((name, size, segment_rates(samples, per_article), samples))
            Path(str(path) + ".samples.json").write_text(json.dumps(samples))
    c.close()
    print(f"base {base} versions ({len(groups)} articles x {a.per_article}) cloned; "
          f"load average {os.getloadavg()[0]:.1f}; store {db.stat().st_size / 1e9:.2f} GB at the end\n")
    print("\nCPU per version along each run (from the samples: versions reached / CPU seconds, by "
          "quarter of the run) and RSS sampled (min-max):")
    for name, size, rates, samples in segments:
        rss = [x[1] for x in samples]
        loads = [x[4] for x in samples]
        print(f"  {name} at {size:,}: quarters {', '.join(f'{r:.1f}' for r in rates)} versions/CPU-s; "
              f"RSS {min(rss, default=0):.0f}-{max(rss, default=0):.0f} MB; "
              f"load average {min(loads, default=0):.1f}-{max(loads, default=0):.1f}")
    print()
    print("| command | store versions | wall | CPU | rate | per page vs extract (CPU) | peak RSS | report |")
    print("|---|---|---|---|---|---|---|---|")
    for name, size, secs, cpu, rate, ratio, rss, note in rows:
        print(f"| {name} | {size} | {secs:.1f} s | {cpu:.1f} s | {rate} | {ratio:.2f}x | {rss:.0f} MB | {note} |")


if __name__ == "__main__":
    main()
