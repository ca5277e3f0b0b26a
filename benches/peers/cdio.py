"""changedetection.io's side of the peer benchmark: install it (pinned, from PyPI) into a venv,
run its own server (scheduler + fetch workers, plain-requests fetcher), add the watches through
its REST API (POST /api/v1/import), and measure:

- first pass: from the import until every page has been fetched once and its queue is empty;
- steady: GET /api/v1/watch?recheck_all=1 (nothing changed) until every page was fetched again
  and the queue is empty (it sends no conditional requests, so every page is a 200 here);
- latency: restarted with every watch's re-check interval set to the benchmark's (global
  `time_between_check`) and an Apprise `json://` notification URL pointing at the receiver;
  pages change half-way through the first interval.

CPU = user + sys of its process tree from /proc (it is a long-running server, so no wait4),
peak RSS = VmHWM of the tree. Standard library only.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REQ = HERE / "requirements-cd.txt"


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def ensure(out: Path) -> Path:
    venv = out / "venv-cd"
    py = venv / "bin" / "python"
    stamp = venv / ".installed"
    if py.exists() and stamp.exists() and stamp.read_text() == REQ.read_text():
        return py
    log(f"installing changedetection.io into {venv} (pinned {REQ.name}; takes a few minutes) ...")
    shutil.rmtree(venv, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    r = subprocess.run([str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        "-r", str(REQ)])
    if r.returncode != 0:
        raise SystemExit("pip install of changedetection.io failed (see above)")
    stamp.write_text(REQ.read_text())
    return py


class Server:
    def __init__(self, py: Path, ds: Path, port: int, log_path: Path):
        self.ds, self.port = ds, port
        env = dict(os.environ, ALLOW_IANA_RESTRICTED_ADDRESSES="true")
        if os.environ.get("BENCH_CD_FETCH_WORKERS"):
            env["FETCH_WORKERS"] = os.environ["BENCH_CD_FETCH_WORKERS"]
        self.logf = open(log_path, "a")
        self.proc = subprocess.Popen(
            [str(py), str(py.parent / "changedetection.py"), "-C", "-d", str(ds), "-h", "127.0.0.1",
             "-p", str(port), "-l", "INFO"],
            stdout=self.logf, stderr=subprocess.STDOUT, env=env, cwd=ds.parent)
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read()
                break
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"changedetection.io did not start; see {log_path}")
                time.sleep(0.3)
        self.key = None
        for _ in range(100):
            try:
                s = json.loads((ds / "changedetection.json").read_text())
                self.key = s["settings"]["application"]["api_access_token"]
                break
            except (OSError, ValueError, KeyError):
                time.sleep(0.2)

    def api(self, method: str, path: str, body: bytes | None = None, ctype="text/plain"):
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}/api/v1{path}", data=body,
                                     method=method, headers={"x-api-key": self.key or "",
                                                             "Content-Type": ctype})
        with urllib.request.urlopen(req, timeout=120) as r:
            return json.loads(r.read() or b"null")

    def pids(self) -> list[int]:
        return sys.modules["__main__"].tree_pids(self.proc.pid)

    def queue(self) -> int:
        return int(self.api("GET", "/systeminfo").get("queue_size", 0))

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.logf.close()


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_pass(srv: Server, site, n: int, timeout: float) -> tuple[list, bool]:
    """Until n distinct article pages were requested in this pass and the queue is empty."""
    reqs: list = []
    seen: set = set()
    deadline = time.monotonic() + timeout
    while True:
        time.sleep(0.5)
        new = site.take()
        reqs += new
        seen.update((r.host, r.path) for r in new if r.path.endswith(".html"))
        if len(seen) >= n:
            try:
                if srv.queue() == 0:
                    time.sleep(1.0)  # the last few fetched pages are still being processed
                    reqs += site.take()
                    return reqs, True
            except OSError:
                pass
        if time.monotonic() > deadline:
            return reqs, False


def bench(a, n: int, lay, site, root: Path, recv, work: Path) -> dict:
    import website

    peers = sys.modules["__main__"]  # benches/peers/run.py
    disc = peers.disc  # benches/discovery/run.py

    d = work / "changedetection"
    d.mkdir(parents=True)
    ds = d / "datastore"
    port = free_port()
    out: dict = {}

    def measure(srv: Server, name: str, start, timeout: float) -> dict:
        log(f"  changedetection.io {name} ...")
        site.mark()
        pids = srv.pids()
        c0, s0, m0 = peers.cpu_of(pids), site.cpu(), disc.machine_busy()
        t0 = time.monotonic()
        start()
        reqs, ok = wait_pass(srv, site, n, timeout)
        wall = time.monotonic() - t0
        pids = srv.pids()
        cpu = peers.cpu_of(pids) - c0
        m = disc.Measured(wall, cpu, 0.0, peers.hwm_mb(pids), 0 if ok else 124, "",
                          site.cpu() - s0, max(0.0, disc.machine_busy() - m0 - cpu), t0)
        r = peers.phase_result(m, reqs, n)
        if not ok:
            r["note"] = "timed out"
        log(f"    {wall:.1f}s, {r['pages']} pages ({r['200']}/{r['304']}), {cpu:.1f} CPU s, "
            f"{r['rss_mb']:.0f} MB{'' if ok else ', TIMED OUT'}")
        return r

    srv = Server(a.cd_python, ds, port, d / "server.log")
    try:
        urls = "\n".join(lay.all_article_urls()[:n]).encode()
        out["start_rss_mb"] = peers.hwm_mb(srv.pids())
        out["cold"] = measure(srv, "first pass", lambda: srv.api("POST", "/import", urls), a.timeout)
        sizes = sum(f.stat().st_size for f in ds.rglob("*") if f.is_file())
        out["bytes_per_version"] = sizes / n
        out["steady"] = measure(srv, "steady", lambda: srv.api("GET", "/watch?recheck_all=1"), a.timeout)
    finally:
        srv.stop()

    # Latency: every watch re-checked every R seconds, notifications to the receiver.
    R = a.recheck_s
    sp = ds / "changedetection.json"
    s = json.loads(sp.read_text())
    s["settings"]["requests"]["time_between_check"] = {"weeks": None, "days": None, "hours": None,
                                                       "minutes": None, "seconds": R}
    s["settings"]["application"]["notification_urls"] = [
        recv.url("/changedetection").replace("http://", "json://")]
    sp.write_text(json.dumps(s, indent=2))
    log(f"  changedetection.io daemon ({R}s re-check; pages change at +{R / 2:.0f}s) ...")
    srv = Server(a.cd_python, ds, port, d / "server.log")
    try:
        site.mark()
        pids = srv.pids()
        c0, s0 = peers.cpu_of(pids), site.cpu()
        t0 = time.monotonic()
        time.sleep(R / 2)
        lat = peers.change_and_wait(root, lay, n, recv, "/changedetection", 3 * R, "changedetection")
        left = 2 * R - (time.monotonic() - t0)
        if left > 0:
            time.sleep(left)
        pids = srv.pids()
        cpu = peers.cpu_of(pids) - c0
        m = disc.Measured(time.monotonic() - t0, cpu, 0.0, peers.hwm_mb(pids), 0, "",
                          site.cpu() - s0, 0.0, t0)
        out["daemon"] = peers.phase_result(m, site.take(), n, per_check=True)
        out["latency"] = lat
        log(f"    daemon {m.wall:.0f}s: {out['daemon']['pages']} pages, {cpu:.1f} CPU s; latency {lat}")
    finally:
        srv.stop()
        for k in peers.changed_pages(n, lay):
            website.restore_article(root, lay, k)
    return out
