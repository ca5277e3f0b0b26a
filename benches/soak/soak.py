#!/usr/bin/env python3
"""Soak run (issue 18): the daemon on a compressed schedule against a faulty news site.

`factdiff run` tracks ARTICLES articles listed by FEEDS RSS feeds on HOSTS loopback hosts
(127.0.0.2, .3, ...) for DURATION seconds. The re-check schedule is compressed (seconds for
hours), so a 30-minute run re-checks every article many times. While it runs:

* the site edits articles: a third of them get 1-3 edits at random moments (a figure in a
  sentence changes), every edit logged with its time;
* the site injects random faults into HTTP answers: 500s, 429 with Retry-After, resets
  mid-body, slow drips past the fetch timeout, truncated bodies, and charset lies (the same
  windows-1252 bytes served under `charset=utf-8`);
* the webhook receiver (in this process, signatures checked) answers 500 or hangs past the
  webhook timeout at random, and records every event id it accepted;
* the daemon's RSS (VmRSS) is sampled every SAMPLE seconds.

At the end the daemon gets SIGTERM after a drain period with faults off, and the report says:
RSS over time (and growth after warm-up), events stored vs delivered (lost = stored with a
route but never accepted), duplicated deliveries (one event id accepted twice; allowed by
at-least-once delivery, counted), change events without an edit behind them (false), and the
fault counts. Standard library only.

    python3 benches/soak/soak.py --bin target/release/factdiff            # 10,000 articles, 30 min
    python3 benches/soak/soak.py --bin target/release/factdiff --quick    # 500 articles, 3 min
"""

import argparse
import base64
import hashlib
import hmac
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

# Compressed re-checks: every article every 8 minutes for the first 2 hours, so in 30 minutes
# each is re-checked three times (10,000 articles: ~21 re-checks/s in steady state, half of
# them 304s; within what the daemon does on a share of 2 busy cores). The default 15m/1h/6h steps
# compressed to 20s/1m/5m asked for 500 fetches/s from 10,000 articles: the daemon never got
# past the first fetches.
RECHECK = '"8m until 2h"'
SECRET = "whsec_" + base64.b64encode(b"soak-run-webhook-secret").decode()
EVENT_SIZE = 4
SYLLABLES = ("bar ben cal dor el fen gar hol kin lor mar nor pel quin ros sel tor vel wen yar "
             "ash brook cran dun fal grim har ick jor kes lin mor ox pen rud stan thorn ul wick").split()
TOPICS = ("harbour ferry budget school hospital bridge station market river road museum library park "
          "theatre stadium airport tunnel college pier reservoir depot clinic bypass quay viaduct "
          "lido observatory orchard canal tramway").split()
ROLES = ["mayor", "council leader", "chief engineer", "head teacher", "harbour master",
         "planning officer", "transport director", "parish chair"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
MONTHS = ["March", "April", "May", "June", "July", "September", "October"]


def name(r, n):
    """A made-up proper name of n syllables."""
    return "".join(r.choice(SYLLABLES) for _ in range(n)).title()


WORDS = ("council harbour ferry budget school hospital bridge station market river road "
         "museum library park festival theatre stadium airport tunnel college").split()


class Server(ThreadingHTTPServer):
    """Quiet about clients that hang up (the daemon gives up on drips and hangs by design)."""
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass


def log(msg):
    print(f"[soak {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


class Site:
    """Articles, feeds, edits and the fault dice, shared by the host servers."""

    def __init__(self, articles, feeds, hosts, duration, fault_rate, seed, corpus="events"):
        self.corpus = corpus
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.hosts = [f"127.0.0.{2 + h}" for h in range(hosts)]
        self.feeds = feeds
        self.articles = articles
        self.version = [0] * articles  # current edit number per article
        self.edits = []  # (t, article)
        self.fault_rate = fault_rate
        self.faults = {}
        self.requests = 0
        self.fetches = [0] * articles  # article page requests per article: > 1 is a re-check
        self.not_modified = 0  # 304 answers (hosts with an even index send ETags)
        self.ok = [0] * articles  # answers without a fault (200 or 304) per article
        self.recheck_log = []  # time of every fault-free answer after an article's first one
        self.faults_on = True
        t0 = time.time()
        # a third of the articles get 1-3 edits in the first 80 % of the run
        self.plan = sorted(
            (t0 + self.rng.uniform(0.05, 0.8) * duration, a)
            for a in self.rng.sample(range(articles), articles // 3)
            for _ in range(self.rng.randint(1, 3)))

    def tick(self):
        now = time.time()
        with self.lock:
            while self.plan and self.plan[0][0] <= now:
                _, a = self.plan.pop(0)
                self.version[a] += 1
                self.edits.append((now, a))

    def host_of_feed(self, f):
        return self.hosts[f % len(self.hosts)]

    def url(self, a):
        f = a % self.feeds
        return f"http://{self.host_of_feed(f)}:{self.port}/news/{a}"

    def page(self, a):
        if self.corpus == "template":
            return self.template_page(a)
        return self.event_page(a)

    def event_page(self, a):
        """Articles in events of EVENT_SIZE consecutive ids (so on as many different outlets),
        each event with its own place, people and subject: stories stay the size real ones
        have. An edit changes this article's figures only, so outlets come to disagree."""
        v = self.version[a]
        e = a // EVENT_SIZE
        r = random.Random(e)
        town = name(r, 3)
        person, role = f"{name(r, 2)} {name(r, 3)}", r.choice(ROLES)
        topic, other = r.sample(TOPICS, 2)
        street, day = name(r, 2), r.choice(DAYS)
        cost, months, year = 2 + e % 7, 10 + e % 5, 2019 + e % 6
        lines = [
            f"The {topic} plan for {town} was discussed at a meeting on {day}, {person}, the {role}, said.",
            f"Members said {40 + e % 50 + v * 3} residents had written to the committee about the {topic} since {year}.",
            f"A spokesperson for {town} said the work would cost £{cost}.{v}m and take {months + v} months.",
            f"{person} said the {other} on {street} Street would stay open while the {topic} was rebuilt.",
            f"Traders in {town} asked for the work to finish before the {name(r, 2)} festival in {r.choice(MONTHS)}.",
            f"The {role} of {name(r, 3)} welcomed the decision and promised {3 + e % 9} new jobs.",
        ]
        r2 = random.Random(a)  # each outlet words and orders it a little differently
        r2.shuffle(lines)
        body = "".join(f"<p>{p}</p>" for p in lines[: 4 + r2.randint(0, 2)])
        title = f"{topic.title()} plan for {town}" + r2.choice(["", " approved", ": residents react"])
        return (f"<!doctype html><html><head><meta charset=\"windows-1252\"><title>{title}</title></head>"
                f"<body><nav><a href=\"/\">Home</a></nav><main><article><h1>{title}</h1>"
                f"{body}</article></main><footer>Soak News</footer></body></html>")

    def template_page(self, a):
        """The first soak's corpus: one template, 20 topics, a town per article. Every article
        reads alike, so they all cluster into one story (kept to reproduce that)."""
        v = self.version[a]
        r = random.Random(a)
        topic = r.choice(WORDS)
        town = f"Town{a}"
        paras = [
            f"The {topic} plan for {town} was discussed at the café on the square on Tuesday, officials said.",
            f"Members said {40 + v * 3} residents had written to the committee about the {topic} since the spring.",
            f"A spokesperson for {town} said the work would cost £{2 + a % 7}.{v}m and take {10 + a % 5} months.",
            f"Local traders welcomed the decision but asked for the {topic} to stay open during the works.",
            f"The committee will meet again next week to approve the final plan for the {topic} in {town}.",
        ]
        body = "".join(f"<p>{p}</p>" for p in paras)
        return (f"<!doctype html><html><head><meta charset=\"windows-1252\"><title>{topic.title()} plan for {town}</title></head>"
                f"<body><nav><a href=\"/\">Home</a></nav><main><article><h1>{topic.title()} plan for {town}</h1>"
                f"{body}</article></main><footer>Soak News</footer></body></html>")

    def feed(self, f):
        items = "".join(
            f"<item><title>Story {a}</title><link>{self.url(a)}</link><guid>{a}</guid></item>"
            for a in range(f, self.articles, self.feeds))
        return f"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Feed {f}</title>{items}</channel></rss>"

    def dice(self):
        """A fault for this answer, or None."""
        if not self.faults_on or self.rng.random() >= self.fault_rate:
            return None
        kind = self.rng.choice(["500", "429", "reset", "drip", "truncated", "charset-lie"])
        with self.lock:
            self.faults[kind] = self.faults.get(kind, 0) + 1
        return kind


def make_handler(site):
    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def send(self, status, ctype, body, extra=()):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in extra:
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            site.tick()
            with site.lock:
                site.requests += 1
            path = self.path.split("?")[0]
            if path == "/robots.txt":
                return self.send(200, "text/plain", b"User-agent: *\nAllow: /\n")
            if path.startswith("/feed/"):
                f = int(path.rsplit("/", 1)[1])
                return self.send(200, "application/rss+xml", site.feed(f).encode())
            if not path.startswith("/news/"):
                return self.send(404, "text/plain", b"not found")
            a = int(path.rsplit("/", 1)[1])
            with site.lock:
                site.fetches[a] += 1
                html = site.page(a)
                etag = f'"{a}-{site.version[a]}"' if site.hosts.index(self.server.server_address[0]) % 2 == 0 else None
            body = html.encode("cp1252")
            fault = site.dice()
            if fault is None:
                with site.lock:
                    site.ok[a] += 1
                    if site.ok[a] > 1:
                        site.recheck_log.append(time.time())
            if fault is None and etag and self.headers.get("If-None-Match") == etag:
                with site.lock:
                    site.not_modified += 1
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if fault == "500":
                return self.send(500, "text/plain", b"server error")
            if fault == "429":
                return self.send(429, "text/plain", b"slow down", [("Retry-After", str(site.rng.randint(1, 5)))])
            if fault == "reset":
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=windows-1252")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 3])
                self.wfile.flush()
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                self.close_connection = True
                return
            if fault == "drip":
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=windows-1252")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                for i in range(0, len(body), 64):
                    self.wfile.write(body[i:i + 64])
                    self.wfile.flush()
                    time.sleep(0.5)  # past the 5 s fetch timeout
                return
            if fault == "truncated":
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=windows-1252")
                self.send_header("Content-Length", str(len(body) + 500))
                self.end_headers()
                self.wfile.write(body)
                self.close_connection = True
                return
            if fault == "charset-lie":
                return self.send(200, "text/html; charset=utf-8", body)
            return self.send(200, "text/html; charset=windows-1252", body, [("ETag", etag)] if etag else ())

    return H


class Receiver:
    """Webhook receiver: checks signatures, fails or hangs at random, records accepted ids."""

    def __init__(self, fault_rate, seed):
        self.rng = random.Random(seed + 1)
        self.lock = threading.Lock()
        self.accepted = {}  # id -> count
        self.types = {}  # id -> type
        self.bad_signatures = 0
        self.faults = {"500": 0, "hang": 0}
        self.fault_rate = fault_rate
        self.faults_on = True
        key = base64.b64decode(SECRET[len("whsec_"):])
        rec = self

        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def do_POST(self):
                n = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(n)
                mid, ts = self.headers.get("webhook-id", ""), self.headers.get("webhook-timestamp", "")
                want = base64.b64encode(hmac.new(key, f"{mid}.{ts}.".encode() + body, hashlib.sha256).digest()).decode()
                sigs = [s.split(",", 1)[-1] for s in self.headers.get("webhook-signature", "").split()]
                if want not in sigs:
                    with rec.lock:
                        rec.bad_signatures += 1
                fault = None
                if rec.faults_on and rec.rng.random() < rec.fault_rate:
                    fault = rec.rng.choice(["500", "hang"])
                    with rec.lock:
                        rec.faults[fault] += 1
                if fault == "hang":
                    time.sleep(6)  # past the 2 s webhook timeout; the daemon gives up
                if fault:
                    self.send_response(500)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                with rec.lock:
                    rec.accepted[mid] = rec.accepted.get(mid, 0) + 1
                    try:
                        rec.types[mid] = json.loads(body)["type"]
                    except Exception:
                        pass
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = Server(("127.0.0.1", 0), H)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def rss_kb(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def cpu_s(pid):
    """User + system CPU seconds of pid so far (all its threads), or None."""
    try:
        f = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return round((int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK"), 1)
    except (OSError, IndexError, ValueError):
        return None


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", required=True, help="factdiff binary (a release build)")
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--feeds", type=int, default=100)
    ap.add_argument("--hosts", type=int, default=10)
    ap.add_argument("--duration", type=float, default=1800, help="seconds of faulty running")
    ap.add_argument("--drain", type=float, default=120, help="seconds with faults off before SIGTERM")
    ap.add_argument("--sample", type=float, default=15, help="RSS sample period (s)")
    ap.add_argument("--fault-rate", type=float, default=0.05, help="share of article answers that fail")
    ap.add_argument("--hook-fault-rate", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=18)
    ap.add_argument("--out", default="target/soak")
    ap.add_argument("--recheck", default=None,
                    help='the [schedule] recheck steps, e.g. \'"8m until 2h"\' (default: RECHECK)')
    ap.add_argument("--corpus", choices=["events", "template"], default="events",
                    help="events: stories of 4 articles on 4 outlets (default); template: the first soak's "
                         "pages, all alike (one story of every article)")
    ap.add_argument("--quick", action="store_true", help="500 articles, 3 minutes, 30 s drain")
    a = ap.parse_args()
    if a.quick:
        a.articles, a.feeds, a.duration, a.drain, a.sample = 500, 10, 180, 30, 5
        a.recheck = a.recheck or '"30s until 1h"'
    out = Path(a.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    for f in ("store.db", "store.db-wal", "store.db-shm"):
        (out / f).unlink(missing_ok=True)

    site = Site(a.articles, a.feeds, a.hosts, a.duration, a.fault_rate, a.seed, a.corpus)
    site.port = free_port()
    servers = []
    for h in site.hosts:
        srv = Server((h, site.port), make_handler(site))
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        servers.append(srv)
    hook = Receiver(a.hook_fault_rate, a.seed)
    web = free_port()
    cfg = [
        f'[storage]\nurl = "sqlite://{out}/store.db"\nlease = "1m"\n',
        '[fetch]\nper_host_delay = "5ms"\ntimeout = "5s"\nconnect_timeout = "2s"\nmax_body = "2MB"\n'
        'per_host_concurrency = 4\nconcurrency = 32\nfailing_after = 5\n'
        'allow_hosts = [' + ", ".join(f'"{h}"' for h in site.hosts) + ']\n',
        f'[schedule]\nrecheck = [{a.recheck or RECHECK}]\n',
        f'[web]\nlisten = "127.0.0.1:{web}"\n',
        '[notify]\nlog = false\n',
        f'[[notify.webhook]]\nname = "soak"\nurl = "http://127.0.0.1:{hook.port}/hook"\nsecret = "{SECRET}"\ntimeout = "2s"\n',
    ]
    for f in range(a.feeds):
        cfg.append(f'[[source]]\nname = "feed{f}"\nkind = "feed"\nurl = "http://{site.host_of_feed(f)}:{site.port}/feed/{f}"\n'
                   f'interval = "1m"\noutlet = "Soak {f % a.hosts}"\n')
    (out / "factdiff.toml").write_text("\n".join(cfg))
    errlog = open(out / "daemon.log", "w")
    env = dict(os.environ, RUST_LOG="warn", NO_COLOR="1")
    proc = subprocess.Popen([a.bin, "-c", str(out / "factdiff.toml"), "run"], stdout=subprocess.DEVNULL,
                            stderr=errlog, env=env)
    log(f"daemon pid {proc.pid}; {a.articles} articles, {a.feeds} feeds, {a.hosts} hosts, "
        f"{a.duration:.0f} s + {a.drain:.0f} s drain; output in {out}")
    samples = []
    t0 = time.time()
    end = t0 + a.duration
    while time.time() < end + a.drain:
        if time.time() >= end and site.faults_on:
            site.faults_on = hook.faults_on = False
            log("faults off; draining")
        site.tick()
        r = rss_kb(proc.pid)
        if proc.poll() is not None:
            log(f"daemon exited early with {proc.returncode}")
            break
        with site.lock:
            rechecked = sum(1 for n in site.ok if n > 1)
            first = sum(1 for n in site.ok if n > 0)
            rechecks = len(site.recheck_log)
        load = os.getloadavg()[0]
        samples.append((round(time.time() - t0), r, site.requests, len(hook.accepted), cpu_s(proc.pid), rechecked,
                        first, rechecks, round(load, 1)))
        log(f"t={samples[-1][0]}s rss={r} kB requests={site.requests} accepted={len(hook.accepted)} "
            f"cpu={samples[-1][4]}s fetched={first} rechecked={rechecked} rechecks={rechecks} load={load:.1f}")
        time.sleep(a.sample)
    alive = proc.poll() is None
    metrics = ""
    try:
        import urllib.request
        metrics = urllib.request.urlopen(f"http://127.0.0.1:{web}/metrics", timeout=10).read().decode()
    except Exception as e:
        log(f"metrics scrape failed: {e}")
    (out / "metrics.txt").write_text(metrics)
    proc.send_signal(signal.SIGTERM)
    try:
        code = proc.wait(60)
    except subprocess.TimeoutExpired:
        proc.kill()
        code = "killed after 60 s"
    verify = subprocess.run([a.bin, "-c", str(out / "factdiff.toml"), "verify"], capture_output=True, text=True)

    db = sqlite3.connect(out / "store.db")
    events = db.execute("SELECT id, type, article_id FROM events").fetchall()
    routed = {r[0] for r in db.execute("SELECT DISTINCT event_id FROM outbox")}
    delivered_rows = db.execute("SELECT COUNT(*) FROM outbox WHERE state = 'delivered'").fetchone()[0]
    pending_rows = db.execute("SELECT state, COUNT(*) FROM outbox WHERE state != 'delivered' GROUP BY state").fetchall()
    arts = dict(db.execute("SELECT id, url FROM articles").fetchall())
    versions = db.execute("SELECT COUNT(*) FROM versions").fetchone()[0]
    lost = sorted(e for e in routed if e not in hook.accepted)
    dup = {k: v for k, v in hook.accepted.items() if v > 1}
    # change events without an edit behind them: more change events (article.changed or
    # fact.changed, one per stored change) for a URL than the site made edits to it
    edits_per_url = {}
    for _, art in site.edits:
        u = site.url(art)
        edits_per_url[u] = edits_per_url.get(u, 0) + 1
    changed_per_url = {}
    for _, kind, aid in events:
        if kind in ("article.changed", "fact.changed"):
            u = arts.get(aid)
            changed_per_url[u] = changed_per_url.get(u, 0) + 1
    false_changes = sum(max(0, n - edits_per_url.get(u, 0)) for u, n in changed_per_url.items())
    by_type = {}
    for _, kind, _ in events:
        by_type[kind] = by_type.get(kind, 0) + 1

    warm = [s for s in samples if s[0] >= min(600, a.duration / 3) and s[1]]
    first = warm[0][1] if warm else None
    last = warm[-1][1] if warm else None
    peak = max((s[1] for s in samples if s[1]), default=None)
    slope = None  # least-squares RSS growth after warm-up, MB per 10 minutes
    if len(warm) > 2:
        xs, ys = [s[0] for s in warm], [s[1] / 1024 for s in warm]
        mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
        den = sum((x - mx) ** 2 for x in xs)
        slope = round(sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / den * 600, 1) if den else None
    report = {
        "articles": a.articles, "feeds": a.feeds, "hosts": a.hosts, "duration_s": a.duration, "drain_s": a.drain,
        "daemon_alive_at_end": alive, "exit": code, "verify": verify.stdout.strip().splitlines()[-1:] + verify.stderr.strip().splitlines()[-3:],
        "requests": site.requests, "article_fetches": sum(site.fetches),
        "articles_fetched_ok": sum(1 for n in site.ok if n > 0),
        "articles_rechecked": sum(1 for n in site.ok if n > 1),
        "articles_rechecked_3_times": sum(1 for n in site.ok if n > 3),
        "rechecks": len(site.recheck_log), "not_modified_304": site.not_modified,
        "ok_answers_per_article_min_median_max": [min(site.ok), sorted(site.ok)[len(site.ok) // 2], max(site.ok)],
        "edited_articles_seen_changed": sum(1 for u in edits_per_url if changed_per_url.get(u)),
        "edited_articles": len(edits_per_url), "load_average_end": os.getloadavg(),
        "site_faults": site.faults, "hook_faults": hook.faults,
        "edits": len(site.edits), "articles_stored": len(arts), "versions": versions, "events": by_type,
        "events_routed": len(routed), "outbox_delivered": delivered_rows, "outbox_not_delivered": pending_rows,
        "events_lost": len(lost), "lost_ids": lost[:20], "duplicated_deliveries": len(dup),
        "duplicate_ids": list(dup)[:20], "false_change_events": false_changes, "bad_signatures": hook.bad_signatures,
        "rss_kb_after_warmup_first_last_peak": [first, last, peak], "rss_mb_per_10min_after_warmup": slope,
        "load_min_max": [min((s[8] for s in samples), default=None), max((s[8] for s in samples), default=None)],
        "rss_samples": samples,
        "false_change_urls": sorted(u for u, n in changed_per_url.items() if n > edits_per_url.get(u, 0))[:20],
    }
    (out / "report.json").write_text(json.dumps(report, indent=1))
    print(f"| measure | value |\n|---|---|")
    for k in ("articles", "duration_s", "requests", "article_fetches", "articles_fetched_ok", "articles_rechecked",
              "articles_rechecked_3_times", "rechecks", "not_modified_304", "ok_answers_per_article_min_median_max",
              "edited_articles",
              "edited_articles_seen_changed", "load_average_end", "site_faults", "hook_faults", "edits", "articles_stored",
              "versions", "events", "events_routed", "events_lost", "duplicated_deliveries", "false_change_events",
              "bad_signatures", "daemon_alive_at_end", "exit", "verify", "rss_kb_after_warmup_first_last_peak",
              "rss_mb_per_10min_after_warmup", "load_min_max"):
        print(f"| {k} | {report[k]} |")
    print("\n| minute | RSS | requests | deliveries accepted | daemon CPU | articles fetched | re-checked | re-checks | load |")
    print("|---|---|---|---|---|---|---|---|---|")
    step = max(60, int(a.duration + a.drain) // 20 // 60 * 60)  # about 20 rows, whole minutes
    shown = set()
    for s in samples:
        m = s[0] // step * step
        if s[1] and m not in shown:
            shown.add(m)
            print(f"| {s[0] / 60:.1f} | {s[1] / 1024:.1f} MB | {s[2]:,} | {s[3]:,} | {s[4]} s | {s[6]:,} | {s[5]:,} | {s[7]:,} | {s[8]} |")
    for srv in servers:
        srv.shutdown()
    return 0 if (alive and not lost and false_changes == 0) else 1


if __name__ == "__main__":
    sys.exit(main())
