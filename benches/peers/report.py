"""Markdown table and hand-written SVG plot for benches/peers/run.py's results (standard library)."""

from __future__ import annotations

import math
import os
import time

TOOLS = ["factdiff", "urlwatch", "changedetection"]
LABEL = {"factdiff": "factdiff", "urlwatch": "urlwatch", "changedetection": "changedetection.io"}
COLOUR = {"factdiff": "#1b7837", "urlwatch": "#2166ac", "changedetection": "#b2182b"}


def rate(p):
    return p["pages"] / p["wall"] if p and p.get("wall") else None


def cpu_ms(p):
    return 1000 * p["cpu"] / p["pages"] if p and p.get("pages") else None


def f(x, nd=1):
    if x is None:
        return "–"
    return f"{x:,.{nd}f}"


def lat_text(lat: dict | None, tool: str, recheck: float) -> str:
    if not lat:
        return "–"
    vals = list(lat.values())
    got = [v for v in vals if v is not None]
    miss = len(vals) - len(got)
    s = f"{max(got):.1f} (max of {len(got)})" if got else "none"
    if miss:
        s += f", {miss} of {len(vals)} never came"
    return s


def ratio(a, b):
    return f"{a / b:.1f}×" if a and b else "–"


def markdown(res: dict) -> str:
    args = res.get("args", {})
    R = float(args.get("recheck_s", 30))
    L = ["# Peer benchmark: factdiff, urlwatch, changedetection.io\n"]
    L.append(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores "
             f"(load average now: {open('/proc/loadavg').read().split()[0]}).  ")
    L.append(f"Command: `python3 benches/peers/run.py {' '.join(res.get('argv', []))}`\n")
    L.append(f"Site: {args.get('hosts')} loopback hosts behind one nginx (1 worker), static files, "
             "ETag/Last-Modified/304, no think time. factdiff: "
             f"`per_host_delay = \"{args.get('per_host_delay')}\"`, `per_host_concurrency = "
             f"{args.get('per_host_concurrency')}`, `concurrency = {args.get('concurrency')}`; "
             "urlwatch: 10 threads, no per-host limit; changedetection.io: its default workers, "
             "no per-host limit.\n")
    L.append("| pages | tool | first pass pages/s | CPU ms/page | peak RSS MB | steady pages/s | CPU ms/page | peak RSS MB "
             "| daemon CPU ms/page | KB stored/version | change → webhook, s |")
    L.append("|---|---|---|---|---|---|---|---|---|---|---|")
    for n, by_tool in res.get("sizes", {}).items():
        for t in TOOLS:
            r = by_tool.get(t)
            if not r:
                continue
            c, s, d = r.get("cold"), r.get("steady"), r.get("daemon")
            bpv = r.get("bytes_per_version")
            lat = lat_text(r.get("latency"), t, R)
            if t == "urlwatch" and r.get("latency"):
                lat += " run to report, + cron interval"
            note = r.get("note", "")
            L.append(f"| {int(n):,} | {LABEL[t]}{' ' + note if note else ''} | {f(rate(c), 0)} | {f(cpu_ms(c), 2)} "
                     f"| {f(c and c['rss_mb'])} | {f(rate(s), 0)} | {f(cpu_ms(s), 2)} | {f(s and s['rss_mb'])} "
                     f"| {f(cpu_ms(d), 2)} | {f(bpv / 1024 if bpv else None, 2)} | {lat} |")
    L.append("")
    L.append(f"Steady = every page re-checked once with nothing changed (factdiff `check` with "
             "everything due, urlwatch's next run, changedetection.io's recheck-all). Daemon = "
             f"`factdiff run` over 2 re-check intervals ({R:g} s each) with every page due once per "
             "interval. Latency: three pages change on the site; for factdiff and changedetection.io "
             f"half-way through a {R:g} s re-check interval of every watch, for urlwatch just "
             "before a run (its best case).\n")

    L.append("## Ratios (same run)\n")
    L.append("| pages | peer | first pass pages/s, factdiff ÷ peer | CPU/page, peer ÷ factdiff | steady CPU/page, peer ÷ factdiff | peak RSS, peer ÷ factdiff (first pass) |")
    L.append("|---|---|---|---|---|---|")
    for n, by_tool in res.get("sizes", {}).items():
        fd = by_tool.get("factdiff")
        if not fd:
            continue
        for t in ("urlwatch", "changedetection"):
            p = by_tool.get(t)
            if not p:
                continue
            L.append(f"| {int(n):,} | {LABEL[t]} | {ratio(rate(fd['cold']), rate(p['cold']))} "
                     f"| {ratio(cpu_ms(p['cold']), cpu_ms(fd['cold']))} "
                     f"| {ratio(cpu_ms(p.get('steady')), cpu_ms(fd.get('steady')))} "
                     f"| {ratio(p['cold']['rss_mb'], fd['cold']['rss_mb'])} |")
    L.append("")
    L.append("## What each pass did (from nginx's log)\n")
    L.append("| pages | tool | phase | wall s | CPU s | cores | pages | article 200 / 304 | all requests | nginx CPU s | exit |")
    L.append("|---|---|---|---|---|---|---|---|---|---|---|")
    for n, by_tool in res.get("sizes", {}).items():
        for t in TOOLS:
            r = by_tool.get(t)
            if not r:
                continue
            for ph in ("cold", "steady", "daemon", "changed_run"):
                p = r.get(ph)
                if not p:
                    continue
                L.append(f"| {int(n):,} | {LABEL[t]} | {ph} | {f(p['wall'])} | {f(p['cpu'])} "
                         f"| {f(p['cpu'] / p['wall'] if p['wall'] else None, 2)} | {p['pages']:,} | {p['200']:,} / {p['304']:,} "
                         f"| {p['requests']:,} | {f(p.get('server_cpu'))} | {p.get('rc')}{' ' + p['note'] if p.get('note') else ''} |")
    L.append("")
    return "\n".join(L)


def svg(res: dict) -> str:
    """Two panels against pages (log scale): CPU ms per page (first pass solid, steady dashed)
    and peak RSS (first pass)."""
    sizes = sorted(int(n) for n in res.get("sizes", {}))
    W, H, PW, PH, M = 900, 380, 360, 260, 60
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
           '<rect width="100%" height="100%" fill="white"/>']
    if not sizes:
        return "\n".join(out + ["</svg>"])
    panels = [("CPU ms per page", lambda r, ph: cpu_ms(r.get(ph)), ("cold", "steady")),
              ("peak RSS, MB", lambda r, ph: (r.get(ph) or {}).get("rss_mb"), ("cold",))]
    xs = [math.log10(n) for n in sizes]
    x0, x1 = min(xs) - 0.15, max(xs) + 0.15
    for pi, (title, get, phases) in enumerate(panels):
        ox = M + pi * (PW + 90)
        oy = 40
        vals = [get(res["sizes"][str(n)][t], ph) for n in sizes for t in TOOLS
                if res["sizes"][str(n)].get(t) for ph in phases]
        vals = [v for v in vals if v]
        if not vals:
            continue
        lo, hi = math.log10(min(vals)) - 0.1, math.log10(max(vals)) + 0.1

        def px(n):
            return ox + (math.log10(n) - x0) / (x1 - x0) * PW

        def py(v):
            return oy + PH - (math.log10(v) - lo) / (hi - lo) * PH

        out.append(f'<text x="{ox + PW / 2}" y="{oy - 12}" text-anchor="middle" font-weight="bold">{title} (log scale)</text>')
        out.append(f'<rect x="{ox}" y="{oy}" width="{PW}" height="{PH}" fill="none" stroke="#999"/>')
        for n in sizes:
            out.append(f'<text x="{px(n):.1f}" y="{oy + PH + 16}" text-anchor="middle">{n:,}</text>')
        out.append(f'<text x="{ox + PW / 2}" y="{oy + PH + 34}" text-anchor="middle">pages watched</text>')
        for e in range(math.floor(lo), math.ceil(hi) + 1):
            for m in (1, 2, 5):
                v = m * 10 ** e
                if lo <= math.log10(v) <= hi:
                    y = py(v)
                    out.append(f'<line x1="{ox}" x2="{ox + PW}" y1="{y:.1f}" y2="{y:.1f}" stroke="#eee"/>')
                    out.append(f'<text x="{ox - 4}" y="{y + 4:.1f}" text-anchor="end">{v:g}</text>')
        for t in TOOLS:
            for ph in phases:
                pts = [(px(n), py(v)) for n in sizes if res["sizes"][str(n)].get(t)
                       for v in [get(res["sizes"][str(n)][t], ph)] if v]
                if not pts:
                    continue
                dash = ' stroke-dasharray="5,4"' if ph == "steady" else ""
                out.append(f'<polyline fill="none" stroke="{COLOUR[t]}" stroke-width="2"{dash} points="'
                           + " ".join(f"{x:.1f},{y:.1f}" for x, y in pts) + '"/>')
                for x, y in pts:
                    out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{COLOUR[t]}"/>')
    ly = H - 18
    lx = M
    for t in TOOLS:
        out.append(f'<line x1="{lx}" x2="{lx + 24}" y1="{ly}" y2="{ly}" stroke="{COLOUR[t]}" stroke-width="2"/>')
        out.append(f'<text x="{lx + 30}" y="{ly + 4}">{LABEL[t]}</text>')
        lx += 170
    out.append(f'<line x1="{lx}" x2="{lx + 24}" y1="{ly}" y2="{ly}" stroke="#555" stroke-width="2"/>'
               f'<text x="{lx + 30}" y="{ly + 4}">first pass</text>')
    lx += 110
    out.append(f'<line x1="{lx}" x2="{lx + 24}" y1="{ly}" y2="{ly}" stroke="#555" stroke-width="2" stroke-dasharray="5,4"/>'
               f'<text x="{lx + 30}" y="{ly + 4}">steady (nothing changed)</text>')
    out.append("</svg>")
    return "\n".join(out)
