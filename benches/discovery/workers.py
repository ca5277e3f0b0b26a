#!/usr/bin/env python3
"""Workers benchmark (issue 17): the discovery benchmark's local multi-host site read cold
(every feed read, every article fetched, extracted and stored once) by `factdiff run`
on SQLite with one worker, then on one PostgreSQL database by 1, 2 and 4 `run` workers
started together (they share the work through leases), in one run.

Workers are daemons (`--mode run`, the default): each phase ends when the store holds a
version of every article, then every worker gets SIGTERM and finishes what it has in
flight. (With `--mode check`, one `check` pass per worker as before: a cold `check` that
starts before any feed was read leases nothing and exits at once, so it skews the
several-worker phases.)

    python3 benches/discovery/workers.py [--articles 20000] [--feeds 200] [--hosts 10]
        [--workers 1,2,4] [--pg postgres://postgres@127.0.0.1:5432/postgres]
        [--factdiff-bin target/release/factdiff] [--baseline-bin OLD_BINARY] [--per-host-delay 5ms]
        [--latency-ms 20] [--concurrency 32] [--pg-modes prefer,disable] [--phases sqlite-1,postgres-2]
        [--mode run|check] ...

With --baseline-bin every phase runs with that binary too, right before the same phase with
--factdiff-bin (columns "base …"), so before/after ratios come from one run.

Per phase: wall time until every article is stored (`run`) or the last worker exits
(`check`), factdiff CPU (user + sys of every worker,
from wait4), the PostgreSQL server's CPU (its processes' /proc times over the phase), and the
server-side politeness check of run.py (in-flight requests per host, start-to-start gaps),
which now spans all workers. Each PostgreSQL phase uses a fresh database, dropped after.

What binds is judged against three bounds: the workers' own fetch concurrency (n workers x
`concurrency` requests of `--latency-ms` in flight), the politeness ceiling (hosts x
min(1 / `per_host_delay`, `per_host_concurrency` / think time), shared by all workers), and
the machine's cores. With a slow origin (`--latency-ms 300`) and a modest `--concurrency`,
one worker is bound by its own concurrency and workers add throughput until politeness or
the CPU binds. `--pg-modes prefer,disable` runs every PostgreSQL phase once per `sslmode`
(TLS to the server or not), side by side.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import corpus  # noqa: E402
import run as bench  # noqa: E402


def postgres_procs():
    """(pid, command line words, stat fields after the name) of every process named
    postgres; processes that exit while being read are skipped."""
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            if open(f"/proc/{pid}/comm").read().strip() != "postgres":
                continue
            title = open(f"/proc/{pid}/cmdline").read().replace("\0", " ").split()
            fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        yield pid, title, fields


def postgres_cpu() -> float:
    """CPU seconds of the PostgreSQL server: every process named postgres, with the CPU of
    its children that have exited (a backend's time moves to the postmaster when it ends)."""
    # utime, stime, cutime, cstime (fields 14-17 of proc(5)).
    return sum(
        sum(int(x) for x in fields[11:15]) / bench.TICK for _, _, fields in postgres_procs()
    )


def db_backends_cpu(db: str, seen: dict) -> None:
    """Records the CPU seconds of every PostgreSQL backend serving `db` (its title names the
    database: "postgres: 15/main: user db 127.0.0.1(port) idle") in `seen`, by pid. Sampled while the
    phase runs, so the server CPU of this phase's database is counted apart from whatever
    else the shared server does (other sessions' tests); a backend's last < 0.25 s before it
    exits is missed."""
    for pid, title, fields in postgres_procs():
        if db in title[:5]:
            seen[pid] = (int(fields[11]) + int(fields[12])) / bench.TICK


def psql(admin: str, sql: str) -> None:
    subprocess.run(["psql", admin, "-qc", sql], check=True, stdout=subprocess.DEVNULL)


def pg_sessions(admin: str, db: str) -> int:
    """Sessions the server opened on `db` so far (PostgreSQL 14+), to show how often workers
    connect (each connection is one TLS handshake with `sslmode=prefer`)."""
    out = subprocess.run(["psql", admin, "-tAc", f"SELECT sessions FROM pg_stat_database WHERE datname = '{db}'"],
                         capture_output=True, text=True)
    try:
        return int(out.stdout.strip() or 0)
    except ValueError:
        return -1


# psql sessions `stored_versions` opened per database, left out of the sessions row.
POLLS: dict = {}


def stored_versions(admin: str | None, db: str | None, sqlite: Path | None) -> int:
    """Versions stored so far: one per article on a cold pass. PostgreSQL through psql (one
    short session; its backend's CPU is a few ms), SQLite read-only (WAL: no writer waits)."""
    if sqlite is not None:
        if not sqlite.exists():
            return 0
        import sqlite3
        try:
            with sqlite3.connect(f"file:{sqlite}?mode=ro", uri=True, timeout=1) as c:
                return c.execute("SELECT COUNT(*) FROM versions").fetchone()[0]
        except sqlite3.Error:
            return 0
    POLLS[db] = POLLS.get(db, 0) + 1
    url = admin.partition("?")[0].rsplit("/", 1)[0] + "/" + db
    out = subprocess.run(["psql", url, "-tAc", "SELECT COUNT(*) FROM versions"], capture_output=True, text=True)
    try:
        return int(out.stdout.strip() or 0)
    except ValueError:
        return 0


def run_workers(cmd, n, cwd: Path, logs: Path, servers, timeout, db=None, db_cpu=None, done=None):
    """n copies of cmd started together; (wall, cpu, max rss MB, rcs, pg cpu, server cpu, t0,
    machine busy CPU s). With `db`, `db_cpu` collects its backends' CPU ([`db_backends_cpu`]).
    With `done` (daemons: `factdiff run`), the phase's wall time ends when `done()` is true;
    then every worker gets SIGTERM and finishes what it has in flight (its CPU counted)."""
    s0 = sum(bench.proc_cpu(p.pid) for p in servers)
    pg0 = postgres_cpu()
    m0 = bench.machine_busy()
    t0 = time.monotonic()
    procs = []
    for i in range(n):
        err = open(logs.with_name(f"{logs.name}-{i}.stderr"), "w")
        out = open(logs.with_name(f"{logs.name}-{i}.stdout"), "w")
        procs.append(subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err))
    cpu, rss, rcs = 0.0, 0.0, []
    deadline = t0 + timeout
    sampled = 0.0
    wall = None
    if done is not None:
        while not done() and time.monotonic() < deadline and all(p.poll() is None for p in procs):
            if db:
                db_backends_cpu(db, db_cpu)
            time.sleep(0.25)
        wall = time.monotonic() - t0
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
    for p in procs:
        while True:
            pid, status, ru = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if db and time.monotonic() - sampled > 0.25:
                db_backends_cpu(db, db_cpu)
                sampled = time.monotonic()
            if time.monotonic() > deadline:
                p.terminate()
                pid, status, ru = os.wait4(p.pid, 0)
                break
            time.sleep(0.02)
        cpu += ru.ru_utime + ru.ru_stime
        rss = max(rss, ru.ru_maxrss / 1024)
        rcs.append(os.waitstatus_to_exitcode(status))
    wall = wall if wall is not None else time.monotonic() - t0
    return (wall, cpu, rss, rcs, postgres_cpu() - pg0,
            sum(bench.proc_cpu(p.pid) for p in servers) - s0, t0, bench.machine_busy() - m0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=20000)
    ap.add_argument("--feeds", type=int, default=200)
    ap.add_argument("--hosts", type=int, default=10)
    ap.add_argument("--workers", default="1,2,4")
    ap.add_argument("--pg", default=os.environ.get("FACTDIFF_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres"),
                    help="admin URL: each phase creates and drops its own database")
    ap.add_argument("--factdiff-bin", type=Path, default=bench.REPO / "target" / "release" / "factdiff")
    ap.add_argument("--baseline-bin", type=Path, default=None,
                    help="also run every phase with this binary (e.g. a build of the previous commit)")
    ap.add_argument("--per-host-delay", default="5ms")
    ap.add_argument("--per-host-concurrency", type=int, default=4)
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--latency-ms", type=float, default=20)
    ap.add_argument("--pg-modes", default="",
                    help="comma-separated sslmode values: every PostgreSQL phase once per mode (default: the URL's own)")
    ap.add_argument("--phases", default="",
                    help="comma-separated phases instead of sqlite-1 and postgres-N for --workers: "
                         "backend-n or postgres-n-sslmode (e.g. sqlite-1,postgres-1-prefer,postgres-1-disable)")
    ap.add_argument("--mode", choices=["run", "check"], default="run",
                    help="workers are `factdiff run` daemons stopped once every article is stored (default), "
                         "or one `check` pass each")
    ap.add_argument("--timeout", type=float, default=3600)
    ap.add_argument("--out-dir", type=Path, default=bench.REPO / "target" / "bench-workers")
    a = ap.parse_args()
    delay = bench.parse_ms(a.per_host_delay)
    out = a.out_dir.resolve()
    work = out / "run"
    shutil.rmtree(work, ignore_errors=True)
    (work / "logs").mkdir(parents=True)
    fd_bin = a.factdiff_bin.resolve()

    hosts = [f"127.0.0.{2 + i}" for i in range(a.hosts)]
    layout = corpus.Layout(a.articles, a.feeds, a.hosts, bench.free_port(hosts))
    bench.log(f"rendering {a.articles:,} articles and {a.feeds} feeds on {a.hosts} hosts ...")
    servers, _ = bench.start_servers(layout, a.latency_ms)
    rows = []
    try:
        modes = [m for m in a.pg_modes.split(",") if m] or [None]
        if a.phases:
            # backend-n or postgres-n-sslmode, e.g. sqlite-1,postgres-1-prefer,postgres-1-disable
            phases = []
            for spec in a.phases.split(","):
                b, n, *m = spec.split("-")
                phases += [(b, int(n), mm if b == "postgres" else None) for mm in (m or modes)]
        else:
            plain = [("sqlite", 1)] + [("postgres", int(n)) for n in a.workers.split(",")]
            phases = [(b, n, m if b == "postgres" else None) for b, n in plain
                      for m in (modes if b == "postgres" else [None])]
        bins = [("", fd_bin)]
        if a.baseline_bin:
            bins.insert(0, ("base ", a.baseline_bin.resolve()))
        for (backend, n, mode), (tag, fd_bin) in [(p, b) for p in phases for b in bins]:
            name = f"{tag.strip()}{'-' if tag else ''}{backend}-{n}" + (f"-{mode}" if mode else "")
            d = work / name
            d.mkdir()
            cfg = bench.factdiff_config(layout, a, ["15m until 6h", "1h until 3d", "6h until 30d"])
            db = f"factdiff_bench_{os.getpid()}_{n}_{'b' if tag else 'n'}_{mode or 'url'}"
            if backend == "postgres":
                psql(a.pg, f"CREATE DATABASE {db}")
                # The admin URL's query (e.g. `?sslmode=disable`) carries over to the workers,
                # with its sslmode replaced by the phase's mode.
                base, _, query = a.pg.partition("?")
                if mode:
                    query = "&".join([q for q in query.split("&") if q and not q.startswith("sslmode=")]
                                     + [f"sslmode={mode}"])
                url = base.rsplit("/", 1)[0] + "/" + db + (f"?{query}" if query else "")
                cfg = cfg.replace('url = "sqlite://factdiff.db"', f'url = "{url}"')
            (d / "factdiff.toml").write_text(cfg)
            if backend == "postgres":
                # Schema first (`factdiff migrate`), so no worker's time includes it.
                subprocess.run([str(fd_bin), "-c", str(d / "factdiff.toml"), "migrate"], cwd=d, check=True,
                               stdout=subprocess.DEVNULL)
            bench.log(f"{name}: {n} x {a.mode} ...")
            db_cpu: dict = {}
            pg_db_name = db if backend == "postgres" else None
            done = None
            if a.mode == "run":
                lite = d / "factdiff.db" if backend == "sqlite" else None
                done = (lambda db=pg_db_name, lite=lite:
                        stored_versions(a.pg, db, lite) >= layout.articles)
            cmd = [str(fd_bin), "-c", str(d / "factdiff.toml")] + (["run"] if a.mode == "run" else ["check", "--json"])
            wall, cpu, rss, rcs, pg_cpu, srv_cpu, t0, busy = run_workers(
                cmd, n, d, work / "logs" / name, servers, a.timeout, pg_db_name, db_cpu, done)
            pg_db = sum(db_cpu.values())
            pl = bench.collect_logs(layout, work / "logs", name, delay)
            fetched = pl.count("article", 200) + pl.count("article", 304)
            dup = pl.count("article", 200) - len(pl.articles_200)
            sessions = pg_sessions(a.pg, db) - POLLS.get(db, 0) if backend == "postgres" else None
            rows.append(dict(name=name, tag=tag, backend=backend, n=n, mode=mode, sessions=sessions, pg_db=pg_db, wall=wall, cpu=cpu, rss=rss, rcs=rcs, pg=pg_cpu,
                             srv=srv_cpu, busy=busy, fetched=fetched, unique=len(pl.articles_200), dup=dup,
                             feeds=pl.count("feed"), inflight=max(h.max_inflight for h in pl.hosts),
                             gaps=sum(h.gap_violations for h in pl.hosts),
                             below=sum(h.gaps_below_delay for h in pl.hosts),
                             min_gap=min(h.min_gap for h in pl.hosts)))
            r = rows[-1]
            bench.log(f"  {wall:.1f}s, {fetched} articles ({r['unique']} distinct), factdiff {cpu:.1f} CPU s, "
                      f"postgres {pg_cpu:.1f} CPU s, rc {rcs}")
            if backend == "postgres":
                psql(a.pg, f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
    finally:
        bench.stop_servers(servers)

    L = ["# factdiff workers benchmark\n",
         f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, binary `{fd_bin}`.  ",
         f"Command: `python3 benches/discovery/workers.py {' '.join(sys.argv[1:])}`\n",
         f"{layout.hosts} hosts, {layout.feeds} feeds, {layout.articles:,} articles, {a.latency_ms:g} ms server "
         f"think time; `per_host_delay = \"{a.per_host_delay}\"`, `per_host_concurrency = {a.per_host_concurrency}`, "
         f"`concurrency = {a.concurrency}` per worker. Cold pass: " + (
             "`run` workers started together, stopped (SIGTERM) once every article is stored; wall time to that "
             "moment, CPU to their exit.\n" if a.mode == "run" else "`check` processes started together.\n"),
         "| | " + " | ".join(f"{r['tag']}{r['backend']}, {r['n']} worker" + ("s" if r["n"] > 1 else "")
                            + (f" ({r['mode']})" if r["mode"] else "") for r in rows) + " |",
         "|---|" + "---|" * len(rows)]

    def row(label, f):
        L.append(f"| {label} | " + " | ".join(f(r) for r in rows) + " |")

    row("articles fetched (200+304) / distinct", lambda r: f"{r['fetched']:,} / {r['unique']:,}")
    row("feed requests", lambda r: f"{r['feeds']}")
    row("wall, s", lambda r: f"{r['wall']:.1f}")
    row("articles / s", lambda r: f"{r['fetched'] / r['wall']:.0f}")
    row("factdiff CPU ms / article", lambda r: f"{1000 * r['cpu'] / max(1, r['fetched']):.2f}")
    row("PostgreSQL server CPU ms / article (all its processes)", lambda r: f"{1000 * r['pg'] / max(1, r['fetched']):.2f}")
    row("PostgreSQL CPU ms / article, this phase's database's backends only",
        lambda r: f"{1000 * r['pg_db'] / max(1, r['fetched']):.2f}")
    row("total CPU ms / article (factdiff + PostgreSQL)",
        lambda r: f"{1000 * (r['cpu'] + r['pg']) / max(1, r['fetched']):.2f}")
    row("peak RSS per worker, MB", lambda r: f"{r['rss']:.0f}")
    row("HTTP server CPU s", lambda r: f"{r['srv']:.1f}")
    # What binds: the cores (ours, or the whole machine's with whatever else runs), or the
    # politeness limits: per host, starts at most every per_host_delay and at most
    # per_host_concurrency requests of latency_ms in flight.
    cores = os.cpu_count() or 1
    # (`delay` is in seconds; this read 1000 / delay before, which let the delay never bind.)
    ceiling = layout.hosts * min(1 / max(delay, 1e-6), a.per_host_concurrency * 1000 / max(a.latency_ms, 0.001))

    def own(r):
        """The workers' own fetch bound: each keeps `concurrency` requests of think time in flight."""
        return r["n"] * a.concurrency * 1000 / max(a.latency_ms, 0.001)
    row("cores used: factdiff + PostgreSQL + site", lambda r: f"{(r['cpu'] + r['pg'] + r['srv']) / r['wall']:.2f}")
    row(f"machine busy, cores (of {cores}; everything running)", lambda r: f"{r['busy'] / r['wall']:.2f}")
    row("workers' own fetch bound (n x concurrency / think time), articles / s", lambda r: f"{own(r):.0f}")
    row("politeness ceiling (shared), articles / s", lambda r: f"{ceiling:.0f}")

    def binds(r):
        # The nearer of the two fetch bounds binds when the rate reaches 80 % of it; short of
        # that, a machine with no idle core binds (ours or everyone's).
        rate = r["fetched"] / r["wall"]
        if own(r) <= ceiling and rate >= 0.8 * own(r):
            return "workers' fetch concurrency"
        if ceiling < own(r) and rate >= 0.8 * ceiling:
            return "politeness"
        if r["busy"] / r["wall"] >= 0.9 * cores:
            return "CPU (machine)"
        return "neither (waits)"
    row("what binds", binds)
    row("PostgreSQL sessions the workers opened", lambda r: "–" if r["sessions"] is None else f"{r['sessions']}")
    row(f"max in flight per host (limit {a.per_host_concurrency}, shared on PostgreSQL)", lambda r: f"{r['inflight']}")
    row("gaps < delay / violations (> 1 ms short)", lambda r: f"{r['below']} / {r['gaps']}")
    row("exit codes", lambda r: ",".join(map(str, r["rcs"])))
    md = "\n".join(L) + "\n"
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.md").write_text(md)
    print(md)


if __name__ == "__main__":
    main()
