#!/usr/bin/env python3
"""Extraction throughput with every core: `factdiff extract --jobs N` against Python
trafilatura (a multiprocessing pool of N processes) and the rs-trafilatura crate (N threads), on
the same pages, in one run, alternating tools round by round.

    python3 benches/extraction/throughput.py [--fixtures DIR] [--corpus mozilla,postlight,trafeval]
        [--jobs 2] [--rounds 2] [--factdiff-bin PATH] [--out-dir target/bench-extraction]

Standard library only. trafilatura comes from compare.py's pinned venv (installed on first use
into target/bench-extraction/venv); rs-trafilatura is built from its own small cargo project in
runners/rs-trafilatura (target dir target/bench-extraction/rs-trafilatura), not a dependency of
factdiff. Each tool is timed as a whole process (start-up included, output discarded): wall
time, CPU (user + sys of the process and its reaped children, from wait4), peak RSS of the
largest process. Quality is compare.py's business; this only measures speed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))
import compare  # noqa: E402

RS_DIR = HERE / "runners" / "rs-trafilatura"
CORPORA = {"mozilla": compare.load_mozilla, "postlight": compare.load_postlight,
           "trafeval": compare.load_trafeval}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def build_rs(out: Path) -> Path:
    target = out / "rs-trafilatura"
    log("building runners/rs-trafilatura (cargo build --release, its own lock and target dir) ...")
    r = subprocess.run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=RS_DIR,
                       env=dict(os.environ, CARGO_TARGET_DIR=str(target)))
    if r.returncode != 0:
        compare.die("rs-trafilatura runner failed to build")
    return target / "release" / "rs-trafilatura-runner"


def run_tool(cmd: list[str], stdin: str | None, cwd: Path) -> dict:
    """Run to completion and account it with wait4 (CPU of the process and its reaped
    children, e.g. a multiprocessing pool's workers; ru_maxrss is the largest one)."""
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    # Feed stdin and drain stdout/stderr without letting Popen reap the child.
    import threading

    bufs = {"out": b"", "err": b""}

    def drain(stream, key):
        bufs[key] = stream.read()

    ts = [threading.Thread(target=drain, args=(p.stdout, "out")),
          threading.Thread(target=drain, args=(p.stderr, "err"))]
    for t in ts:
        t.start()
    if stdin:
        p.stdin.write(stdin.encode())
    p.stdin.close()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t0
    for t in ts:
        t.join()
    p.returncode = os.waitstatus_to_exitcode(status)
    return {"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "rss_mb": ru.ru_maxrss / 1024,
            "rc": p.returncode, "stdout": bufs["out"], "stderr": bufs["err"].decode(errors="replace")[-2000:]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fixtures", type=Path, default=REPO.parent / "shared" / "fixtures")
    ap.add_argument("--corpus", default="mozilla,postlight,trafeval")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--tools", default="factdiff,rs-trafilatura,trafilatura")
    ap.add_argument("--factdiff-bin", type=Path)
    ap.add_argument("--out-dir", type=Path, default=REPO / "target" / "bench-extraction")
    a = ap.parse_args()
    if not (a.fixtures / "extraction").is_dir():
        log(f"throughput.py: skipped: no extraction fixtures under {a.fixtures} (pass --fixtures)")
        return
    out = a.out_dir.resolve()
    out.mkdir(parents=True, exist_ok=True)
    tools = a.tools.split(",")
    corpora = a.corpus.split(",")
    pages = {c: [p.path for p in CORPORA[c](a.fixtures)] for c in corpora}
    fd_bin = None
    if "factdiff" in tools:
        if not a.factdiff_bin:
            log("building factdiff (cargo build --release) ...")
            if subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO).returncode != 0:
                compare.die("cargo build --release failed")
        fd_bin = (a.factdiff_bin or REPO / "target" / "release" / "factdiff").resolve()
    py = compare.ensure_venv(out) if "trafilatura" in tools else None
    rs = build_rs(out) if "rs-trafilatura" in tools else None

    def cmd_for(tool: str, paths: list[str]) -> tuple[list[str], str | None]:
        if tool == "factdiff":
            return [str(fd_bin), "-c", str(REPO / "config" / "factdiff.toml"), "extract", "--json",
                    "--jobs", str(a.jobs), *paths], None
        if tool == "trafilatura":
            return [str(py), str(HERE / "runners" / "py_throughput.py"), str(a.jobs)], "\n".join(paths)
        return [str(rs), str(a.jobs)], "\n".join(paths)

    res: dict = {c: {t: [] for t in tools} for c in corpora}
    sizes = {c: sum(os.path.getsize(p) for p in ps) for c, ps in pages.items()}
    for rnd in range(a.rounds):
        for c in corpora:
            order = tools if rnd % 2 == 0 else list(reversed(tools))
            for t in order:
                cmd, stdin = cmd_for(t, pages[c])
                r = run_tool(cmd, stdin, REPO)
                if t == "factdiff":
                    r["done"] = r["stdout"].count(b"\n")
                else:
                    try:
                        r["done"] = json.loads(r["stdout"].decode().strip().splitlines()[-1])["pages"]
                    except (ValueError, IndexError, KeyError):
                        r["done"] = 0
                r.pop("stdout")
                res[c][t].append(r)
                log(f"round {rnd + 1} {c} {t}: {len(pages[c])} pages in {r['wall']:.2f}s, "
                    f"{r['cpu']:.2f} CPU s, {r['rss_mb']:.0f} MB, rc {r['rc']}, output for {r['done']}")
                if r["rc"] != 0:
                    log(r["stderr"])

    L = ["# Extraction throughput\n",
         f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores (load average "
         f"now {open('/proc/loadavg').read().split()[0]}), --jobs {a.jobs}, best of {a.rounds} rounds "
         "(tools alternate in order each round).  ",
         f"Command: `python3 benches/extraction/throughput.py {' '.join(sys.argv[1:])}`\n",
         "| corpus | pages | MB | tool | wall s | pages/s | CPU s | cores used | peak RSS MB (largest process) | pages/s ÷ trafilatura |",
         "|---|---|---|---|---|---|---|---|---|---|"]
    tot: dict = {t: [0.0, 0.0] for t in tools}
    for c in corpora:
        best = {t: min(res[c][t], key=lambda r: r["wall"]) for t in tools}
        for t in tools:
            tot[t][0] += best[t]["wall"]
            tot[t][1] += best[t]["cpu"]
        base = len(pages[c]) / best["trafilatura"]["wall"] if "trafilatura" in best else None
        for t in tools:
            b = best[t]
            ps = len(pages[c]) / b["wall"]
            L.append(f"| {c} | {len(pages[c]):,} | {sizes[c] / 2**20:.0f} | {t} | {b['wall']:.2f} | {ps:,.1f} "
                     f"| {b['cpu']:.2f} | {b['cpu'] / b['wall']:.2f} | {b['rss_mb']:.0f} "
                     f"| {ps / base:.1f}× |" if base else "| – |")
    n = sum(len(p) for p in pages.values())
    base = n / tot["trafilatura"][0] if "trafilatura" in tot else None
    for t in tools:
        ps = n / tot[t][0]
        L.append(f"| **all** | {n:,} | {sum(sizes.values()) / 2**20:.0f} | {t} | {tot[t][0]:.2f} | {ps:,.1f} "
                 f"| {tot[t][1]:.2f} | {tot[t][1] / tot[t][0]:.2f} | | {ps / base:.1f}× |" if base else "| – |")
    L.append("")
    md = "\n".join(L)
    (out / "throughput.md").write_text(md)
    (out / "throughput.json").write_text(json.dumps(res, indent=1))
    print(md)


if __name__ == "__main__":
    main()
