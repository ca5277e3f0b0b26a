#!/usr/bin/env python3
"""Peer benchmark: factdiff, urlwatch and changedetection.io on the same local multi-host news
site (benches/discovery's pages as static files behind nginx), one size after another, in one
run: first pass, steady state (nothing changed), change-detection latency to a webhook.

    python3 benches/peers/run.py [--sizes 1000,10000,50000] [--tools factdiff,urlwatch,changedetection]
        [--urlwatch-max 10000] [--changedetection-max 10000] [--recheck 30]
        [--factdiff-bin PATH] [--out-dir target/bench-peers]

Standard library only (plus nginx from Debian). urlwatch is installed on first use into
target/bench-discovery/venv (benches/discovery/requirements.txt), changedetection.io into
target/bench-peers/venv-cd (requirements-cd.txt here). See README.md in this folder.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "discovery"))
import cdio  # noqa: E402
import report  # noqa: E402
import website  # noqa: E402
from receiver import Receiver  # noqa: E402

import run as disc  # noqa: E402  (benches/discovery/run.py: process accounting, factdiff config, urlwatch)

log = disc.log


def tree_pids(pid: int) -> list[int]:
    """pid and all its descendants (changedetection.io may start helpers)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for t in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{t}/children") as f:
                    todo += [int(x) for x in f.read().split()]
        except OSError:
            pass
    return out


def cpu_of(pids: list[int]) -> float:
    s = 0.0
    for p in pids:
        try:
            s += disc.proc_cpu(p)
        except OSError:
            pass
    return s


def hwm_mb(pids: list[int]) -> float:
    """Sum of the processes' peak RSS (VmHWM), MB."""
    s = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        s += int(line.split()[1])
        except OSError:
            pass
    return s / 1024


class Site:
    """nginx + the request log, read incrementally per phase."""

    def __init__(self, nginx: website.Nginx):
        self.nginx = nginx
        self.offset = 0

    def servers(self):
        return [SimpleNamespace(pid=p) for p in self.nginx.pids()]

    def cpu(self) -> float:
        return cpu_of(self.nginx.pids())

    def mark(self) -> None:
        time.sleep(0.05)
        _, self.offset = website.read_log(self.nginx.access_log, self.offset)

    def take(self) -> list[website.Req]:
        time.sleep(0.05)
        reqs, self.offset = website.read_log(self.nginx.access_log, self.offset)
        return reqs


def phase_result(m: disc.Measured, reqs: list[website.Req], pages_expected: int,
                 per_check: bool = False) -> dict:
    """pages = distinct article pages handled in a pass (a page fetched twice in one pass counts
    once: the work per page watched), or with per_check every article request (a daemon's
    re-checks over a time window)."""
    ok, nm, distinct = website.count_articles(reqs, "")
    return {
        "wall": m.wall, "cpu": m.cpu, "rss_mb": m.maxrss_mb, "rc": m.rc,
        "server_cpu": m.server_cpu, "others_cpu": m.others_cpu,
        "pages": ok + nm if per_check else distinct, "checks": ok + nm, "200": ok, "304": nm,
        "requests": len(reqs), "expected": pages_expected,
    }


def changed_pages(n: int, lay) -> list[int]:
    """Three articles on three different hosts, spread over the site."""
    return sorted({n // 4 + 17, n // 2 + 33, (3 * n) // 4 + 49} if n >= 400 else {n // 2})


# --------------------------------------------------------------------------------------------
# factdiff


def bench_factdiff(a, n: int, lay, site: Site, root: Path, recv: Receiver, work: Path) -> dict:
    d = work / "factdiff"
    d.mkdir(parents=True)
    (d / "logs").mkdir()
    cfg = d / "factdiff.toml"
    hook = (f'\n[[notify.webhook]]\nname = "bench"\nurl = "{recv.url("/factdiff")}"\n'
            'secret = "bench-secret-not-a-real-one"\nevents = ["article.changed", "fact.changed"]\n')
    # The default re-check schedule for the first pass and the steady pass (a short one would
    # make pages due again during a long first pass), the benchmark's interval for the daemon.
    cfg.write_text(disc.factdiff_config(lay, a, ["15m until 6h", "1h until 3d", "6h until 30d"]) + hook)
    fd = [str(a.factdiff_bin), "-c", str(cfg)]
    out: dict = {}

    def measured(name, cmd):
        log(f"  factdiff {name} ...")
        site.mark()
        m = disc.run_measured(cmd, site.servers(), d, d / "logs" / f"{name}.stderr", None, a.timeout)
        r = phase_result(m, site.take(), n)
        log(f"    {r['wall']:.1f}s, {r['pages']} pages ({r['200']}/{r['304']}), {r['cpu']:.1f} CPU s, "
            f"{r['rss_mb']:.0f} MB, rc {r['rc']}")
        return r

    out["cold"] = measured("cold", fd + ["check", "--json"])
    st = disc.store_stats(d / "factdiff.db")
    out["store"] = st
    out["bytes_per_version"] = st["bytes"] / max(1, st["versions"])
    disc.make_due(d / "factdiff.db", 0, feeds_now=True)
    out["steady"] = measured("steady", fd + ["check", "--json"])

    # Daemon: every article due once within the re-check interval, then on schedule; a few
    # pages change half-way through the first interval; time until each one's webhook.
    R = a.recheck_s
    cfg.write_text(disc.factdiff_config(lay, a, [f"{R}s until 3650d"]) + hook)
    disc.make_due(d / "factdiff.db", R)
    log(f"  factdiff daemon ({R}s re-check; pages change at +{R / 2:.0f}s) ...")
    site.mark()
    s0 = site.cpu()
    err = open(d / "logs" / "daemon.stderr", "w")
    t0 = time.monotonic()
    p = subprocess.Popen(fd + ["run"], cwd=d, stdout=err, stderr=err)
    try:
        time.sleep(R / 2)
        lat = change_and_wait(root, lay, n, recv, "/factdiff", R + 2 * R, "factdiff")
        # Keep it running for two whole intervals so the steady figures cover each page twice.
        left = 2 * R - (time.monotonic() - t0)
        if left > 0:
            time.sleep(left)
    finally:
        p.send_signal(signal.SIGTERM)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t0
    err.close()
    m = disc.Measured(wall, ru.ru_utime, ru.ru_stime, ru.ru_maxrss / 1024,
                      os.waitstatus_to_exitcode(status), "", site.cpu() - s0, 0.0, t0)
    out["daemon"] = phase_result(m, site.take(), n, per_check=True)
    out["latency"] = lat
    for k in changed_pages(n, lay):
        website.restore_article(root, lay, k)
    log(f"    daemon {wall:.0f}s: {out['daemon']['pages']} pages, {m.cpu:.1f} CPU s; latency {lat}")
    return out


def change_and_wait(root, lay, n, recv, path, timeout, label) -> dict:
    """Change the pages, then wait for each one's webhook; seconds per page (None = none came)."""
    tag = f"{label}-{time.time():.0f}"
    ks = changed_pages(n, lay)
    t_change = time.time()
    for k in ks:
        website.change_article(root, lay, k, tag)
    got = {}
    deadline = time.monotonic() + timeout
    for k in ks:
        t = recv.wait_for(path, f"story-{k:06d}", t_change, max(0.0, deadline - time.monotonic()))
        got[k] = None if t is None else t - t_change
    return got


# --------------------------------------------------------------------------------------------
# urlwatch


def bench_urlwatch(a, n: int, lay, site: Site, root: Path, recv: Receiver, work: Path) -> dict:
    d = work / "urlwatch"
    (d / "logs").mkdir(parents=True)
    disc.urlwatch_files(d, lay.all_article_urls()[:n])
    env = dict(os.environ, HOME=str(d), XDG_CONFIG_HOME=str(d / "xdg-config"),
               XDG_CACHE_HOME=str(d / "xdg-cache"), NO_COLOR="1")
    base = [str(a.urlwatch_bin), "--urls", str(d / "urls.yaml"), "--hooks", str(d / "hooks.py"),
            "--cache", str(d / "cache.db")]
    out: dict = {}

    def measured(name, cfg):
        log(f"  urlwatch {name} ...")
        site.mark()
        m = disc.run_measured(base + ["--config", str(cfg)], site.servers(), d,
                              d / "logs" / f"{name}.stderr", env, a.timeout)
        r = phase_result(m, site.take(), n)
        log(f"    {r['wall']:.1f}s, {r['pages']} pages ({r['200']}/{r['304']}), {r['cpu']:.1f} CPU s, "
            f"{r['rss_mb']:.0f} MB, rc {r['rc']}")
        return r

    out["cold"] = measured("cold", d / "urlwatch.yaml")
    db = d / "cache.db"
    out["bytes_per_version"] = db.stat().st_size / n if db.exists() else None
    out["steady"] = measured("steady", d / "urlwatch.yaml")
    # Latency: urlwatch has no scheduler (cron runs it); its Slack-style webhook reporter
    # posts the report when a run ends. Pages change just before a run starts, so this is
    # the best case: add the cron interval for the worst.
    lat_cfg = d / "urlwatch-webhook.yaml"
    lat_cfg.write_text((d / "urlwatch.yaml").read_text()
                       + f"  slack:\n    enabled: true\n    webhook_url: {recv.url('/urlwatch')}\n")
    tag = f"urlwatch-{time.time():.0f}"
    ks = changed_pages(n, lay)
    t_change = time.time()
    for k in ks:
        website.change_article(root, lay, k, tag)
    out["changed_run"] = measured("changed", lat_cfg)
    out["latency"] = {k: (lambda t: None if t is None else t - t_change)(
        recv.wait_for("/urlwatch", f"story-{k:06d}", t_change, 5)) for k in ks}
    for k in ks:
        website.restore_article(root, lay, k)
    log(f"    latency (run to report) {out['latency']}")
    return out


# --------------------------------------------------------------------------------------------


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,50000")
    ap.add_argument("--tools", default="factdiff,urlwatch,changedetection")
    ap.add_argument("--urlwatch-max", type=int, default=10000,
                    help="largest size urlwatch runs at (its cost per job grows with the job count)")
    ap.add_argument("--changedetection-max", type=int, default=10000)
    ap.add_argument("--recheck", type=int, default=30, dest="recheck_s",
                    help="re-check interval in seconds for the latency phase (factdiff, changedetection.io)")
    ap.add_argument("--hosts", type=int, default=10)
    ap.add_argument("--port", type=int, default=18080)
    ap.add_argument("--per-host-delay", default="0s")
    ap.add_argument("--per-host-concurrency", type=int, default=8)
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--factdiff-bin", type=Path)
    ap.add_argument("--merge", action="store_true",
                    help="add this run's sizes/tools to the results.json already in --out-dir")
    ap.add_argument("--timeout", type=float, default=3600)
    ap.add_argument("--out-dir", type=Path, default=REPO / "target" / "bench-peers")
    a = ap.parse_args()
    sizes = [int(s) for s in a.sizes.split(",")]
    tools = a.tools.split(",")
    out = a.out_dir.resolve()
    out.mkdir(parents=True, exist_ok=True)
    a.factdiff_bin = (a.factdiff_bin or disc.build_binary()).resolve()
    if "urlwatch" in tools:
        a.urlwatch_bin = disc.ensure_urlwatch(REPO / "target" / "bench-discovery")
    if "changedetection" in tools:
        a.cd_python = cdio.ensure(out)

    root = out / "site"
    lay_max = website.layout(max(sizes), a.hosts, a.port)
    log(f"generating the site ({max(sizes):,} pages) ...")
    website.generate(root, max(sizes), a.hosts, a.port)
    nginx = website.start_nginx(out / "nginx", root, lay_max)
    site = Site(nginx)
    recv = Receiver()
    results: dict = {"sizes": {}, "args": vars(a).copy(), "argv": sys.argv[1:]}
    results["args"] = {k: str(v) for k, v in results["args"].items()}
    if a.merge and (out / "results.json").exists():
        # Add to an earlier run's table (e.g. the 50,000 size for factdiff alone, run later).
        old = json.loads((out / "results.json").read_text())
        results["sizes"] = old.get("sizes", {})
        results["argv"] = old.get("argv", []) + ["+ --merge"] + sys.argv[1:]
    try:
        for n in sizes:
            lay = website.layout(n, a.hosts, a.port)
            work = out / "run" / str(n)
            import shutil
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
            R: dict = results["sizes"].setdefault(str(n), {})
            log(f"== {n:,} pages")
            if "factdiff" in tools:
                R["factdiff"] = bench_factdiff(a, n, lay, site, root, recv, work)
                save(out, results)
            if "urlwatch" in tools and n <= a.urlwatch_max:
                R["urlwatch"] = bench_urlwatch(a, n, lay, site, root, recv, work)
                save(out, results)
            if "changedetection" in tools and n <= a.changedetection_max:
                R["changedetection"] = cdio.bench(a, n, lay, site, root, recv, work)
                save(out, results)
    finally:
        nginx.stop()
        recv.stop()
        save(out, results)
    print((out / "results.md").read_text())


def save(out: Path, results: dict) -> None:
    (out / "results.json").write_text(json.dumps(results, indent=1, default=str))
    (out / "results.md").write_text(report.markdown(results))
    (out / "cost.svg").write_text(report.svg(results))


if __name__ == "__main__":
    main()
