#!/usr/bin/env python3
"""Discovery scale benchmark: factdiff reading 200 feeds that list 20,000 articles on a local
multi-host HTTP server, cold (every article fetched, extracted and stored once) and warm
(every article re-checked with nothing changed: conditional GETs answered 304), with urlwatch
on the same article pages in the same run for comparison.

    python3 benches/discovery/run.py [--articles 20000] [--feeds 200] [--hosts 10]
        [--factdiff-bin PATH] [--skip-urlwatch] [--urlwatch-articles N] [--quick]
        [--per-host-delay 5ms] [--per-host-concurrency 4] [--concurrency 32]
        [--latency-ms 20] [--run-seconds 0] [--out-dir target/bench-discovery]

Standard library only; urlwatch is installed on first use into a venv under the output
directory from the pinned requirements.txt beside this file. See README.md here for what is
measured and how.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))
import corpus  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")
# The server sees a request a little after the client sent it, and how much later depends on
# when the (busy, 2-core) scheduler runs the server process; two requests sent exactly
# `delay` apart can therefore be read less than `delay` apart. Gaps shorter than the delay by
# more than this are counted as violations; shorter by less are reported but not failed.
GAP_TOLERANCE = 0.001


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def die(msg: str) -> None:
    log(f"run.py: {msg}")
    sys.exit(2)


def parse_ms(s: str) -> float:
    """'5ms', '0s', '1.5s' → seconds (just the forms the config's humantime accepts here)."""
    s = s.strip()
    for suffix, scale in (("ms", 1e-3), ("us", 1e-6), ("s", 1.0)):
        if s.endswith(suffix):
            return float(s[: -len(suffix)]) * scale
    return float(s)


# --------------------------------------------------------------------------------------------
# Process accounting


def proc_cpu(pid: int) -> float:
    """user+sys CPU seconds of a live process (fields 14 and 15 of /proc/PID/stat)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def machine_busy() -> float:
    """CPU seconds the whole machine spent not idle, so far (to show what else was running)."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    idle = v[3] + v[4]
    return (sum(v[:8]) - idle) / TICK


@dataclass
class Measured:
    wall: float
    cpu_user: float
    cpu_sys: float
    maxrss_mb: float
    rc: int
    stdout: str
    server_cpu: float
    others_cpu: float  # machine CPU used by neither the tool nor the server during the phase
    t0: float  # time.monotonic() at start, comparable with the server logs (CLOCK_MONOTONIC)

    @property
    def cpu(self) -> float:
        return self.cpu_user + self.cpu_sys


def run_measured(cmd: list[str], servers: list, cwd: Path, stderr_path: Path, env=None,
                 timeout: float | None = None) -> Measured:
    """Run cmd to completion; its own rusage (wait4 on its pid, so neither the servers nor
    earlier phases can leak into ru_maxrss), the servers' CPU and the machine's over the run."""
    s0 = sum(proc_cpu(p.pid) for p in servers)
    m0 = machine_busy()
    out_path = stderr_path.with_suffix(".stdout")
    with open(out_path, "w") as out, open(stderr_path, "w") as err:
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, env=env)
        deadline = None if timeout is None else t0 + timeout
        while True:
            pid, status, ru = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if deadline and time.monotonic() > deadline:
                log(f"  timed out after {timeout:.0f}s; stopping {cmd[0]}")
                p.terminate()
                pid, status, ru = os.wait4(p.pid, 0)
                break
            time.sleep(0.02)
        wall = time.monotonic() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    server = sum(proc_cpu(p.pid) for p in servers) - s0
    tool = ru.ru_utime + ru.ru_stime
    return Measured(wall, ru.ru_utime, ru.ru_stime, ru.ru_maxrss / 1024, p.returncode,
                    out_path.read_text(errors="replace"), server,
                    max(0.0, machine_busy() - m0 - tool - server), t0)


# --------------------------------------------------------------------------------------------
# The server


def free_port(layout_hosts: list[str]) -> int:
    """A port free on every benchmark address (the same port on each keeps URLs uniform)."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind((layout_hosts[0], 0))
            port = s.getsockname()[1]
        try:
            for h in layout_hosts[1:]:
                with socket.socket() as s:
                    s.bind((h, port))
            return port
        except OSError:
            continue
    die("no port free on every loopback address")


def start_servers(layout: corpus.Layout, latency_ms: float) -> tuple[list, dict]:
    procs = []
    for i in range(layout.hosts):
        procs.append(subprocess.Popen(
            [sys.executable, str(HERE / "server.py"), "--index", str(i), "--articles",
             str(layout.articles), "--feeds", str(layout.feeds), "--hosts", str(layout.hosts),
             "--port", str(layout.port), "--latency-ms", str(latency_ms)],
            stdout=subprocess.PIPE, text=True))
    info = {"resources": 0, "html_bytes": 0, "pages": 0}
    for p in procs:
        line = p.stdout.readline().split()
        if not line or line[0] != "ready":
            stop_servers(procs)
            die("a server process failed to start")
        info["resources"] += int(line[1])
        info["html_bytes"] += int(line[2])
        info["pages"] += int(line[3])
    return procs, info


def stop_servers(procs: list) -> None:
    for p in procs:
        p.terminate()
    for p in procs:
        p.wait()


@dataclass
class HostStats:
    host: str
    requests: int = 0
    max_inflight: int = 0
    min_gap: float = float("inf")
    gaps_below_delay: int = 0
    gap_violations: int = 0


@dataclass
class PhaseLog:
    by_status: Counter = field(default_factory=Counter)  # (kind, status) → n
    hosts: list[HostStats] = field(default_factory=list)
    last_article_respond: float = 0.0  # monotonic
    articles_200: set = field(default_factory=set)

    def count(self, kind: str, status: int | None = None) -> int:
        return sum(n for (k, s), n in self.by_status.items()
                   if k == kind and (status is None or s == status))


def kind_of(path: str) -> str:
    if path == "/robots.txt":
        return "robots"
    if path.startswith("/feeds/"):
        return "feed"
    return "article" if path.endswith(".html") else "other"


def collect_logs(layout: corpus.Layout, dir: Path, phase: str, delay: float) -> PhaseLog:
    """Flush every host's request log for this phase and check the politeness limits."""
    out = PhaseLog()
    for i in range(layout.hosts):
        host = layout.host(i)
        path = dir / f"{phase}-{host}.tsv"
        urllib.request.urlopen(f"http://{host}:{layout.port}/__flush?to={path}", timeout=30).read()
        recs = []
        for line in path.read_text().splitlines():
            start, respond, _end, status, _n, _method, p, _conn = line.split("\t")
            recs.append((float(start), float(respond), int(status), p))
        hs = HostStats(host, len(recs))
        # In flight = between reading the request and handing over the response; ends sort
        # before starts at the same instant (a response then a new request is not overlap).
        events = sorted([(r[0], 1) for r in recs] + [(r[1], -1) for r in recs])
        cur = 0
        for _, d in events:
            cur += d
            hs.max_inflight = max(hs.max_inflight, cur)
        starts = sorted(r[0] for r in recs)
        for a, b in zip(starts, starts[1:]):
            g = b - a
            hs.min_gap = min(hs.min_gap, g)
            hs.gaps_below_delay += g < delay
            hs.gap_violations += g < delay - GAP_TOLERANCE
        out.hosts.append(hs)
        for start, respond, status, p in recs:
            k = kind_of(p)
            out.by_status[(k, status)] += 1
            if k == "article":
                out.last_article_respond = max(out.last_article_respond, respond)
                if status == 200:
                    out.articles_200.add((host, p))
    return out


# --------------------------------------------------------------------------------------------
# factdiff


def factdiff_config(layout: corpus.Layout, a, recheck: list[str]) -> str:
    hosts = ", ".join(f'"{layout.host(i)}"' for i in range(layout.hosts))
    lines = [
        "# Generated by benches/discovery/run.py",
        '[storage]\nurl = "sqlite://factdiff.db"\n',
        "[fetch]",
        'user_agent = "factdiff-bench/0.1 (+https://example.org/bench)"',
        f'per_host_delay = "{a.per_host_delay}"',
        f"per_host_concurrency = {a.per_host_concurrency}",
        f"concurrency = {a.concurrency}",
        'timeout = "60s"',
        "robots = true",
        f"allow_hosts = [{hosts}]\n",
        "[schedule]",
        "recheck = [" + ", ".join(f'"{r}"' for r in recheck) + "]\n",
        '[log]\nformat = "json"\nlevel = "info"\n',
    ]
    for f in range(layout.feeds):
        lines.append(
            f'[[source]]\nname = "feed-{f:04d}"\nkind = "feed"\nurl = "{layout.feed_url(f)}"\n'
            f'interval = "10m"\noutlet = "Gazette {layout.feed_host(f)}"\n'
        )
    return "\n".join(lines)


def store_stats(db: Path) -> dict:
    files = [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]
    size = sum(f.stat().st_size for f in files if f.exists())
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as c:
        versions = c.execute("SELECT COUNT(*) FROM versions").fetchone()[0]
        articles = c.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        raw = c.execute("SELECT COALESCE(SUM(LENGTH(raw_zstd)), 0) FROM versions").fetchone()[0]
    return {"bytes": size, "versions": versions, "articles": articles, "raw_zstd_bytes": raw}


def make_due(db: Path, within: float, feeds_now: bool = False) -> int:
    """Make every article due at a random moment of the next `within` seconds (0: now), as if
    its re-check schedule had come round; the real schedule spreads them over hours, this
    compresses it so one run sees every article re-checked once. With `feeds_now` every feed
    is due now too. (Writes factdiff's own schema: articles/sources.next_check_at.)"""
    import random
    from datetime import datetime, timedelta, timezone

    def ts(t: datetime) -> str:  # the store's format: RFC 3339, milliseconds, Z
        return t.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"

    now = datetime.now(timezone.utc)
    rng = random.Random(7)
    with sqlite3.connect(db) as c:
        ids = [r[0] for r in c.execute("SELECT id FROM articles")]
        c.executemany("UPDATE articles SET next_check_at = ? WHERE id = ?",
                      [(ts(now + timedelta(seconds=rng.uniform(0, within))), i) for i in ids])
        if feeds_now:
            c.execute("UPDATE sources SET next_check_at = ?", (ts(now),))
    return len(ids)


# --------------------------------------------------------------------------------------------
# urlwatch


def ensure_urlwatch(out: Path) -> Path:
    venv = out / "venv"
    exe = venv / "bin" / "urlwatch"
    req = HERE / "requirements.txt"
    stamp = venv / ".installed"
    if exe.exists() and stamp.exists() and stamp.read_text() == req.read_text():
        return exe
    log(f"installing urlwatch into {venv} (pinned {req.name}) ...")
    shutil.rmtree(venv, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    r = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
                        "--disable-pip-version-check", "-r", str(req)])
    if r.returncode != 0:
        die("pip install of urlwatch failed (see above)")
    stamp.write_text(req.read_text())
    return exe


def urlwatch_files(dir: Path, urls: list[str]) -> None:
    """One job per article URL. The filters cut the page to <article> and turn it into text,
    the closest urlwatch gets to factdiff's extraction (it has no boilerplate removal of its own)."""
    jobs = [
        f"name: {u.rsplit('/', 1)[1]}\nurl: {u}\nfilter:\n  - css: article\n  - html2text: re\n"
        for u in urls
    ]
    (dir / "urls.yaml").write_text("---\n".join(jobs))
    # Default reporters minus colour; stdout stays on (as a user would have it) into a file.
    (dir / "urlwatch.yaml").write_text(
        "display:\n  new: true\n  error: true\n  unchanged: false\n"
        "report:\n  text:\n    details: true\n    footer: false\n    line_length: 75\n"
        "  stdout:\n    enabled: true\n    color: false\n"
    )


# --------------------------------------------------------------------------------------------
# Report


def fmt(x, nd=2):
    if x is None:
        return "–"
    if isinstance(x, float):
        return f"{x:,.{nd}f}"
    return f"{x:,}"


def ratio(a, b):
    return f"{a / b:.1f}×" if a and b else "–"


def build_binary() -> Path:
    binp = REPO / "target" / "release" / "factdiff"
    log("building factdiff (cargo build --release, CARGO_BUILD_JOBS=1) ...")
    env = dict(os.environ, CARGO_BUILD_JOBS=os.environ.get("CARGO_BUILD_JOBS", "1"))
    if subprocess.run(["cargo", "build", "--release"], cwd=REPO, env=env).returncode != 0:
        die("cargo build failed")
    return binp


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=20000)
    ap.add_argument("--feeds", type=int, default=200)
    ap.add_argument("--hosts", type=int, default=10)
    ap.add_argument("--quick", action="store_true", help="smoke run: 2,000 articles in 20 feeds")
    ap.add_argument("--factdiff-bin", type=Path, help="default: build target/release/factdiff")
    ap.add_argument("--skip-urlwatch", action="store_true")
    ap.add_argument("--urlwatch-articles", type=int,
                    help="run urlwatch on the first N article URLs only (default: all)")
    ap.add_argument("--per-host-delay", default="5ms")
    ap.add_argument("--per-host-concurrency", type=int, default=4)
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--latency-ms", type=float, default=20,
                    help="server think time per request (makes per-host overlap observable)")
    ap.add_argument("--run-seconds", type=float, default=0,
                    help="also run the daemon this long with every article due once in that window")
    ap.add_argument("--timeout", type=float, default=3600, help="per phase")
    ap.add_argument("--out-dir", type=Path, default=REPO / "target" / "bench-discovery")
    a = ap.parse_args()
    if a.quick:
        a.articles, a.feeds = 2000, 20
    if a.hosts > 250 or a.feeds < a.hosts:
        die("need 1–250 hosts and at least one feed per host")
    delay = parse_ms(a.per_host_delay)
    out = a.out_dir.resolve()
    work = out / "run"
    shutil.rmtree(work, ignore_errors=True)
    (work / "logs").mkdir(parents=True)
    (work / "factdiff").mkdir()
    (work / "urlwatch").mkdir()

    fd_bin = (a.factdiff_bin or build_binary()).resolve()
    if not fd_bin.exists():
        die(f"no factdiff binary at {fd_bin}")
    uw_bin = None if a.skip_urlwatch else ensure_urlwatch(out)

    hosts = [f"127.0.0.{2 + i}" for i in range(a.hosts)]
    layout = corpus.Layout(a.articles, a.feeds, a.hosts, free_port(hosts))
    log(f"rendering {a.articles:,} articles and {a.feeds} feeds on {a.hosts} hosts "
        f"(port {layout.port}) ...")
    servers, sinfo = start_servers(layout, a.latency_ms)
    results: dict[str, dict] = {}
    try:
        fd_dir = work / "factdiff"
        cfg = fd_dir / "factdiff.toml"
        cfg.write_text(factdiff_config(layout, a, ["15m until 6h", "1h until 3d", "6h until 30d"]))
        fd = [str(fd_bin), "-c", str(cfg)]

        def save() -> None:
            # After every phase, so a run stopped part-way still leaves its results.
            (out / "results.md").write_text(report(a, layout, sinfo, results, delay, fd_bin))

        def phase(name: str, cmd: list[str], cwd: Path, env=None) -> tuple[Measured, PhaseLog]:
            log(f"{name}: {' '.join(cmd[-4:])} ...")
            m = run_measured(cmd, servers, cwd, work / "logs" / f"{name}.stderr", env, a.timeout)
            pl = collect_logs(layout, work / "logs", name, delay)
            log(f"  {m.wall:.1f}s wall, {m.cpu:.1f} CPU s, {m.maxrss_mb:.0f} MB peak RSS, rc {m.rc}; "
                f"articles 200/304: {pl.count('article', 200)}/{pl.count('article', 304)}")
            return m, pl

        m, pl = phase("factdiff-cold", fd + ["check", "--json"], fd_dir)
        rep = json.loads(m.stdout.strip().splitlines()[-1]) if m.rc == 0 and m.stdout.strip() else {}
        results["factdiff-cold"] = {"m": m, "log": pl, "report": rep, "store": store_stats(fd_dir / "factdiff.db")}
        save()

        # Steady state: every article's re-check (and every feed) comes due with nothing
        # changed. Not `check --all`: that re-checks only the first 10,000 articles (one
        # lease batch; it stops after the first), which this benchmark found.
        make_due(fd_dir / "factdiff.db", 0, feeds_now=True)
        m, pl = phase("factdiff-warm", fd + ["check", "--json"], fd_dir)
        rep = json.loads(m.stdout.strip().splitlines()[-1]) if m.rc == 0 and m.stdout.strip() else {}
        results["factdiff-warm"] = {"m": m, "log": pl, "report": rep, "store": store_stats(fd_dir / "factdiff.db")}
        save()

        if a.run_seconds > 0:
            n = make_due(fd_dir / "factdiff.db", a.run_seconds)
            log(f"factdiff-daemon: {n:,} articles due over the next {a.run_seconds:.0f}s")
            m, pl = phase_daemon(fd + ["run"], fd_dir, servers, work, a, layout, delay)
            results["factdiff-daemon"] = {"m": m, "log": pl, "report": {}, "store": store_stats(fd_dir / "factdiff.db")}
            save()

        if uw_bin:
            uw_dir = work / "urlwatch"
            n = min(a.urlwatch_articles or a.articles, a.articles)
            urlwatch_files(uw_dir, layout.all_article_urls()[:n])
            env = dict(os.environ, HOME=str(uw_dir), XDG_CONFIG_HOME=str(uw_dir / "xdg-config"),
                       XDG_CACHE_HOME=str(uw_dir / "xdg-cache"), NO_COLOR="1")
            uw = [str(uw_bin), "--urls", str(uw_dir / "urls.yaml"), "--config",
                  str(uw_dir / "urlwatch.yaml"), "--hooks", str(uw_dir / "hooks.py"),
                  "--cache", str(uw_dir / "cache.db")]
            for name in ("urlwatch-cold", "urlwatch-warm"):
                m, pl = phase(name, uw, uw_dir, env)
                results[name] = {"m": m, "log": pl, "jobs": n}
                save()
            results["urlwatch-store"] = {"bytes": (uw_dir / "cache.db").stat().st_size
                                         if (uw_dir / "cache.db").exists() else 0}
    finally:
        stop_servers(servers)

    md = report(a, layout, sinfo, results, delay, fd_bin)
    (out / "results.md").write_text(md)
    print(md)
    log(f"written to {out / 'results.md'}; request logs in {work / 'logs'}")


def phase_daemon(cmd, cwd, servers, work, a, layout, delay):
    """`factdiff run` for --run-seconds, then SIGTERM (it finishes in-flight work and exits)."""
    import signal

    name = "factdiff-daemon"
    log(f"{name}: run for {a.run_seconds:.0f}s ...")
    s0 = sum(proc_cpu(p.pid) for p in servers)
    mb0 = machine_busy()
    err = open(work / "logs" / f"{name}.stderr", "w")
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=err, stderr=err)
    time.sleep(a.run_seconds)
    p.send_signal(signal.SIGTERM)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t0
    err.close()
    server = sum(proc_cpu(q.pid) for q in servers) - s0
    tool = ru.ru_utime + ru.ru_stime
    m = Measured(wall, ru.ru_utime, ru.ru_stime, ru.ru_maxrss / 1024,
                 os.waitstatus_to_exitcode(status), "", server,
                 max(0.0, machine_busy() - mb0 - tool - server), t0)
    pl = collect_logs(layout, work / "logs", name, delay)
    log(f"  {m.cpu:.1f} CPU s over {wall:.0f}s, articles 200/304: "
        f"{pl.count('article', 200)}/{pl.count('article', 304)}")
    return m, pl


def report(a, layout, sinfo, R, delay, fd_bin) -> str:
    cores = os.cpu_count()
    L = []
    L.append("# factdiff discovery scale benchmark\n")
    L.append(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {cores} cores "
             f"(load average at the end: {open('/proc/loadavg').read().split()[0]}), "
             f"binary `{fd_bin}`.  ")
    L.append(f"Command: `python3 benches/discovery/run.py {' '.join(sys.argv[1:])}`\n")
    L.append(f"Server: {layout.hosts} loopback hosts ({layout.host(0)}–{layout.host(layout.hosts - 1)}, "
             f"one single-threaded process each), {layout.feeds} RSS feeds × {layout.per_feed} items = "
             f"{layout.articles:,} articles, mean page {sinfo['html_bytes'] / max(1, sinfo['pages']) / 1024:.1f} KB, "
             f"{a.latency_ms:g} ms server think time per request, ETag + Last-Modified, 304 on match.\n")
    L.append(f"factdiff settings: `per_host_delay = \"{a.per_host_delay}\"`, "
             f"`per_host_concurrency = {a.per_host_concurrency}`, `concurrency = {a.concurrency}`, "
             f"`robots = true`, log level info (JSON to a file), notify.log on (default).\n")

    fc, fw = R.get("factdiff-cold"), R.get("factdiff-warm")
    uc, uwm = R.get("urlwatch-cold"), R.get("urlwatch-warm")
    jobs = uc["jobs"] if uc else 0
    scale = layout.articles / jobs if jobs else None

    def per_article(r, n):
        return r["m"].cpu / n if r and n else None

    cols = [(label, r) for label, r in (("factdiff cold", fc), ("factdiff warm", fw)) if r]
    if R.get("factdiff-daemon"):
        cols.append(("factdiff daemon", R["factdiff-daemon"]))
    cols += [(label, r) for label, r in (("urlwatch cold", uc), ("urlwatch warm", uwm)) if r]

    def fetched(r):  # article requests answered (200 or 304) in the phase
        return r["log"].count("article", 200) + r["log"].count("article", 304)

    rows = [
        ("articles handled (article requests 200+304)", lambda r: fmt(fetched(r))),
        ("  of which 200 / 304", lambda r: f"{fmt(r['log'].count('article', 200))} / {fmt(r['log'].count('article', 304))}"),
        ("feed requests 200 / 304", lambda r: f"{fmt(r['log'].count('feed', 200))} / {fmt(r['log'].count('feed', 304))}"),
        ("wall time, s", lambda r: fmt(r["m"].wall)),
        ("start → last article served, s", lambda r: fmt(r["log"].last_article_respond - r["m"].t0 if r["log"].last_article_respond else None)),
        ("articles / s (wall)", lambda r: fmt(fetched(r) / r["m"].wall, 0)),
        ("CPU s (user + sys)", lambda r: f"{fmt(r['m'].cpu)} ({fmt(r['m'].cpu_user)} + {fmt(r['m'].cpu_sys)})"),
        ("CPU ms / article", lambda r: fmt(1000 * r["m"].cpu / fetched(r) if fetched(r) else None)),
        ("CPU use, cores (CPU s / wall)", lambda r: fmt(r["m"].cpu / r["m"].wall)),
        ("peak RSS, MB", lambda r: fmt(r["m"].maxrss_mb, 1)),
        ("server CPU s (all hosts)", lambda r: fmt(r["m"].server_cpu)),
        ("server CPU ms / request", lambda r: fmt(1000 * r["m"].server_cpu / max(1, sum(r["log"].by_status.values())))),
        ("other processes' CPU s meanwhile", lambda r: fmt(r["m"].others_cpu)),
        ("exit code", lambda r: str(r["m"].rc)),
    ]
    L.append("## Results\n")
    L.append("| | " + " | ".join(c for c, _ in cols) + " |")
    L.append("|---|" + "---|" * len(cols))
    for label, f in rows:
        L.append(f"| {label} | " + " | ".join(f(r) for _, r in cols) + " |")
    L.append("")
    if R.get("factdiff-daemon"):
        L.append(f"The daemon column is `factdiff run` for a fixed {a.run_seconds:g} s with every article due "
                 "once at a random moment in that window: its articles/s is the schedule's rate, and "
                 "its CPU use is the point (steady state, nothing changed, all 304s).\n")
    if fc:
        st = fc["store"]
        rep = fc["report"]
        L.append(f"factdiff cold report: new {rep.get('new')}, unchanged {rep.get('unchanged')}, "
                 f"failed {rep.get('failed')}, flagged {rep.get('flagged')}, listings {rep.get('listings')}, "
                 f"discovered {rep.get('discovered')}.  ")
        if fw:
            rw = fw["report"]
            L.append(f"factdiff warm report: new {rw.get('new')}, changed {rw.get('changed')}, "
                     f"unchanged {rw.get('unchanged')}, failed {rw.get('failed')}.  ")
        L.append(f"SQLite after cold: {st['bytes'] / 2**20:.1f} MB (db + wal + shm) for {st['articles']:,} "
                 f"articles / {st['versions']:,} versions = **{st['bytes'] / max(1, st['versions']) / 1024:.2f} KB per "
                 f"version** (of which zstd raw page {st['raw_zstd_bytes'] / max(1, st['versions']) / 1024:.2f} KB).  ")
        if fw:
            sw = fw["store"]
            L.append(f"After warm: {sw['bytes'] / 2**20:.1f} MB, {sw['versions']:,} versions "
                     f"(+{(sw['bytes'] - st['bytes']) / 2**20:.1f} MB of fetch log).  ")
        if R.get("urlwatch-store"):
            ub = R["urlwatch-store"]["bytes"]
            L.append(f"urlwatch cache.db after warm: {ub / 2**20:.1f} MB for {jobs:,} jobs "
                     f"= {ub / max(1, jobs) / 1024:.2f} KB per job.")
        L.append("")

    # Targets (issue): ≥200 fetch-extract-store cycles/s, <200 MB RSS, limits never exceeded.
    if fc and fw:
        n = fetched(fc)
        rate = n / fc["m"].wall
        fd_hosts = [h for name, r in R.items() if name.startswith("factdiff") for h in r["log"].hosts]
        over = sum(h.max_inflight > a.per_host_concurrency for h in fd_hosts)
        short = sum(h.gap_violations for h in fd_hosts)
        gaps = sum(max(0, h.requests - 1) for h in fd_hosts)
        min_gap = min(h.min_gap for h in fd_hosts)
        L.append("## Targets\n")
        L.append("| target | measured | |")
        L.append("|---|---|---|")
        L.append(f"| ≥ 200 article fetch-extract-store cycles / s (cold) | {rate:,.0f} / s | {'met' if rate >= 200 else 'NOT met'} |")
        peak = max(r["m"].maxrss_mb for name, r in R.items() if name.startswith("factdiff"))
        L.append(f"| < 200 MB peak RSS | {peak:.1f} MB | {'met' if peak < 200 else 'NOT met'} |")
        L.append(f"| per-host concurrency ≤ {a.per_host_concurrency} (server log, every factdiff phase) "
                 f"| max {max(h.max_inflight for h in fd_hosts)}; {over} host-phases over | {'met' if not over else 'NOT met'} |")
        L.append(f"| per-host delay ≥ {a.per_host_delay} between request arrivals (server log) "
                 f"| {short} of {gaps:,} gaps short by > {GAP_TOLERANCE * 1000:g} ms; min {min_gap * 1000:.2f} ms "
                 f"| {'met' if not short else 'NOT met on the wire (see below)'} |")
        L.append("")

    if scale and fc and fw and uwm:
        L.append("## factdiff / urlwatch\n")
        if scale != 1:
            L.append(f"urlwatch ran on the first {jobs:,} of the {layout.articles:,} article URLs; its "
                     f"per-article numbers are compared directly and its totals scaled ×{scale:g} "
                     "where marked.\n")
        L.append("| | cold | warm |")
        L.append("|---|---|---|")
        fcs, fws = fc["m"], fw["m"]
        L.append(f"| articles / s, factdiff ÷ urlwatch | {ratio(fetched(fc) / fcs.wall, fetched(uc) / uc['m'].wall)} "
                 f"| {ratio(fetched(fw) / fws.wall, fetched(uwm) / uwm['m'].wall)} |")
        L.append(f"| CPU per article, urlwatch ÷ factdiff | {ratio(per_article(uc, fetched(uc)), per_article(fc, fetched(fc)))} "
                 f"| {ratio(per_article(uwm, fetched(uwm)), per_article(fw, fetched(fw)))} |")
        L.append(f"| peak RSS, urlwatch ÷ factdiff | {ratio(uc['m'].maxrss_mb, fcs.maxrss_mb)} | {ratio(uwm['m'].maxrss_mb, fws.maxrss_mb)} |")
        if scale != 1:
            L.append(f"| urlwatch wall for all {layout.articles:,} (scaled) | {uc['m'].wall * scale:,.0f} s | {uwm['m'].wall * scale:,.0f} s |")
        L.append("")
        L.append("Same pages, same server, one after the other in this run. The work is not identical: "
                 f"factdiff discovers the URLs from the {layout.feeds} feeds ({layout.feeds} extra requests), honours robots.txt "
                 "and its per-host limits, extracts headline/byline/date/body with boilerplate removal, "
                 "stores a version (zstd raw page + JSON) and an event; urlwatch is given the article URLs "
                 "directly, fetches with 10 threads and no per-host limit, cuts to `<article>` (css) and "
                 "converts to text (`html2text: re`), and stores the text in its minidb cache.\n")

    L.append("## Per-host politeness (from the server's log)\n")
    L.append("In flight = from the request's arrival (kernel receive timestamp) to the response's "
             "send, an interval inside the client's own view of the request, so never over-counted. "
             "Gap = arrival-to-arrival on one host. factdiff spaces the *starts* of its requests "
             "(taking the host's turn); the bytes reach the wire when its task next runs, so under "
             "CPU contention two requests can arrive closer than the delay although they started "
             f"at least the delay apart. Short gaps are listed; those short by more than "
             f"{GAP_TOLERANCE * 1000:g} ms are counted separately.\n")
    L.append(f"| phase | limit in flight | max in flight seen (per host: min–max) | delay | min gap | gaps < delay | gaps < delay − {GAP_TOLERANCE * 1000:g} ms | gaps in all |")
    L.append("|---|---|---|---|---|---|---|---|")
    for name, r in R.items():
        if "log" not in r:
            continue
        hs = r["log"].hosts
        is_fd = name.startswith("factdiff")
        lim = str(a.per_host_concurrency) if is_fd else "none (10 threads)"
        mi = [h.max_inflight for h in hs]
        gaps = [h.min_gap for h in hs if h.min_gap != float("inf")]
        L.append(f"| {name} | {lim} | {max(mi)} ({min(mi)}–{max(mi)}) | {a.per_host_delay if is_fd else 'none'} "
                 f"| {min(gaps) * 1000:.2f} ms | {sum(h.gaps_below_delay for h in hs):,} "
                 f"| {sum(h.gap_violations for h in hs):,} | {sum(max(0, h.requests - 1) for h in hs):,} |")
    L.append("")
    return "\n".join(L)


if __name__ == "__main__":
    main()
