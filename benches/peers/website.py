"""The peer benchmark's site: benches/discovery's synthetic news pages and feeds written out as
static files, one directory per loopback host, served by nginx (Debian's, started here with
its own prefix and config under the output directory, never the system service).

nginx answers If-None-Match / If-Modified-Since with 304 from the file's mtime and size, keeps
connections alive and serves a static file in a few microseconds of CPU, so the server is
never what binds (its CPU is measured per phase anyway). Standard library only.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "discovery"))
import corpus  # noqa: E402

PER_FEED = 100  # articles per feed: a size of N pages is the first N / 100 feeds


def layout(pages: int, hosts: int, port: int) -> corpus.Layout:
    """The first `pages` articles of the site. Feed f lists articles [100 f, 100 f + 100) on
    host f % hosts whatever the size, so every size is a prefix of the largest one and the
    pages are byte-identical across sizes (URLs included)."""
    if pages % PER_FEED:
        raise SystemExit(f"sizes must be multiples of {PER_FEED}, got {pages}")
    return corpus.Layout(pages, pages // PER_FEED, hosts, port)


def generate(root: Path, pages: int, hosts: int, port: int) -> dict:
    """Write robots.txt, every feed and every article of the largest size under
    root/<host>/<path>. Kept between runs when the stamp matches (50,000 pages take a while)."""
    stamp = root / ".generated"
    want = f"{pages} {hosts} {port}\n"
    if stamp.exists() and stamp.read_text() == want:
        return {"pages": pages, "reused": True}
    shutil.rmtree(root, ignore_errors=True)
    lay = layout(pages, hosts, port)
    for i in range(hosts):
        d = root / lay.host(i)
        d.mkdir(parents=True)
        (d / "robots.txt").write_bytes(corpus.ROBOTS)
    total = 0
    for f in range(lay.feeds):
        host = lay.host(lay.feed_host(f))
        p = root / host / lay.feed_path(f).lstrip("/")
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(corpus.feed_xml(lay, f))
        for k in lay.feed_articles(f):
            body = corpus.article_html(lay, k)
            total += len(body)
            a = root / host / lay.article_path(k).lstrip("/")
            a.parent.mkdir(parents=True, exist_ok=True)
            a.write_bytes(body)
    # One mtime for everything, so ETag / Last-Modified never differ between runs.
    for dirpath, _, files in os.walk(root):
        for name in files:
            os.utime(os.path.join(dirpath, name), (1_795_000_000, 1_795_000_000))
    stamp.write_text(want)
    return {"pages": pages, "reused": False, "html_bytes": total}


def article_file(root: Path, lay: corpus.Layout, k: int) -> Path:
    return root / lay.host(lay.feed_host(k // lay.per_feed)) / lay.article_path(k).lstrip("/")


def change_article(root: Path, lay: corpus.Layout, k: int, tag: str) -> str:
    """A newsroom edit of article k: a number in the story changes and a sentence is added
    (a fact change for factdiff, a text change for the others). Written atomically (rename),
    with a new mtime, so nginx serves a new ETag at once. Returns the added sentence."""
    path = article_file(root, lay, k)
    page = path.read_text()
    sentence = f"Officials said on {tag} that 4817 more residents had been evacuated overnight."
    edited = page.replace('<div class="story-body">\n<p>', f'<div class="story-body">\n<p>{sentence} ', 1)
    if edited == page:
        raise RuntimeError(f"article {k}: story body not found")
    tmp = path.with_suffix(".tmp")
    tmp.write_text(edited)
    os.replace(tmp, path)
    return sentence


def restore_article(root: Path, lay: corpus.Layout, k: int) -> None:
    path = article_file(root, lay, k)
    path.write_bytes(corpus.article_html(lay, k))
    os.utime(path, (1_795_000_000, 1_795_000_000))


# --------------------------------------------------------------------------------------------
# nginx

LOG_FORMAT = "$msec\\t$request_time\\t$server_addr\\t$status\\t$body_bytes_sent\\t$uri\\t$http_user_agent"


@dataclass
class Nginx:
    proc: subprocess.Popen
    prefix: Path
    access_log: Path

    def pids(self) -> list[int]:
        """The master and its workers (all of nginx's CPU)."""
        out = [self.proc.pid]
        try:
            with open(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children") as f:
                out += [int(x) for x in f.read().split()]
        except OSError:
            pass
        return out

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def start_nginx(prefix: Path, root: Path, lay: corpus.Layout, workers: int = 1) -> Nginx:
    exe = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.path.exists(exe):
        raise SystemExit("nginx not found: apt-get install -y nginx-light (see benches/peers/README.md)")
    prefix.mkdir(parents=True, exist_ok=True)
    for d in ("tmp", "logs"):
        (prefix / d).mkdir(exist_ok=True)
    log = prefix / "logs" / "access.log"
    log.unlink(missing_ok=True)
    servers = "\n".join(
        f"  server {{ listen {lay.host(i)}:{lay.port}; root {root / lay.host(i)}; }}"
        for i in range(lay.hosts)
    )
    t = prefix / "tmp"
    conf = f"""# Generated by benches/peers/site.py
worker_processes {workers};
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
events {{ worker_connections 8192; }}
http {{
  types {{ text/html html; application/rss+xml xml; text/plain txt; }}
  default_type application/octet-stream;
  log_format bench "{LOG_FORMAT}";
  access_log {log} bench;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  keepalive_timeout 300s;
  etag on;
  # "exact" (nginx's default) answers 200 to an If-Modified-Since that is not the file's mtime
  # to the second, before it looks at If-None-Match; urlwatch sends the time of its last check
  # there (plus its ETag), so it would never get a 304. "before" is what most servers do.
  if_modified_since before;
  client_body_temp_path {t}/body;
  proxy_temp_path {t}/proxy;
  fastcgi_temp_path {t}/fastcgi;
  uwsgi_temp_path {t}/uwsgi;
  scgi_temp_path {t}/scgi;
{servers}
}}
"""
    (prefix / "nginx.conf").write_text(conf)
    p = subprocess.Popen([exe, "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
                         stderr=open(prefix / "logs" / "stderr", "w"))
    import urllib.request

    deadline = time.monotonic() + 10
    while True:
        try:
            urllib.request.urlopen(f"http://{lay.host(0)}:{lay.port}/robots.txt", timeout=2).read()
            break
        except OSError:
            if p.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"nginx did not start; see {prefix}/logs/")
            time.sleep(0.1)
    return Nginx(p, prefix, log)


@dataclass
class Req:
    end: float  # wall clock (time.time()) when the response was sent
    dur: float
    host: str
    status: int
    size: int
    path: str
    agent: str


def read_log(path: Path, offset: int = 0) -> tuple[list[Req], int]:
    """Requests logged since byte `offset`; returns them and the new offset."""
    with open(path, "rb") as f:
        f.seek(offset)
        data = f.read()
    cut = data.rfind(b"\n") + 1
    out = []
    for line in data[:cut].decode(errors="replace").splitlines():
        parts = line.split("\t")
        if len(parts) < 7:
            continue
        out.append(Req(float(parts[0]), float(parts[1]), parts[2], int(parts[3]), int(parts[4]),
                       parts[5], parts[6]))
    return out, offset + cut


def count_articles(reqs: list[Req], agent_has: str) -> tuple[int, int, int]:
    """(200s, 304s, distinct article pages) for article requests by the tool whose User-Agent
    contains agent_has."""
    ok = nm = 0
    seen = set()
    for r in reqs:
        if agent_has in r.agent and r.path.endswith(".html"):
            ok += r.status == 200
            nm += r.status == 304
            seen.add((r.host, r.path))
    return ok, nm, len(seen)
