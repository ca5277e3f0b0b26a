#!/usr/bin/env bash
# Benchmark: `factdiff check` over N local article pages (default 1000), measured with
# /usr/bin/time -v, side by side with a baseline that only downloads the same pages with curl
# (same server, same parallelism) in the same run.
#
#   benches/check_pages.sh [N]
#
# Reports for each run: wall seconds, pages/s, peak RSS, and factdiff / baseline ratios.
# Runs: cold (every page new: fetch + extract + store + diff + events), warm (every page
# unchanged: conditional GET → 304), and changed (every page edited: a new version + diff).
set -euo pipefail
N=${1:-1000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml"
BIN="$ROOT/target/release/factdiff"

gen_pages() { # $1 = variant
python3 - "$WORK/site" "$N" "$1" <<'PY'
import os, sys, random
root, n, variant = sys.argv[1], int(sys.argv[2]), sys.argv[3]
os.makedirs(root, exist_ok=True)
rnd = random.Random(42)
words = "council budget river flood minister vote talks police school hospital rescue storm court ruling election ceasefire report officials said residents".split()
for i in range(n):
    paras = []
    for j in range(12):
        s = " ".join(rnd.choice(words) for _ in range(22)).capitalize()
        paras.append(f"<p>{s}, with {i + j} people involved according to officials on Monday.</p>")
    if variant == "changed":
        paras[3] = paras[3].replace(" people involved", " people, up from earlier reports, involved")
    nav = "".join(f'<li><a href="/s{k}">Section {k}</a></li>' for k in range(30))
    related = "".join(f'<li><a href="/r{k}">Related story {k} about things</a></li>' for k in range(10))
    html = f"""<!doctype html><html lang="en"><head><title>Story {i} | Bench Times</title>
<meta property="og:title" content="Story {i}: the council votes">
<meta property="article:published_time" content="2026-01-05T08:00:00Z">
<script type="application/ld+json">{{"@type":"NewsArticle","headline":"Story {i}: the council votes","author":{{"name":"Ann Lee"}}}}</script>
</head><body><header><nav><ul>{nav}</ul></nav></header><main><article><h1>Story {i}: the council votes</h1>
{''.join(paras)}</article><aside class="related"><ul>{related}</ul></aside></main>
<footer>© Bench Times</footer></body></html>"""
    with open(os.path.join(root, f"p{i}.html"), "w") as f:
        f.write(html)
PY
}

gen_pages base
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
(cd "$WORK/site" && exec python3 -m http.server "$PORT" --bind 127.0.0.1 >/dev/null 2>&1) &
SERVER=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/p0.html" >/dev/null && break; sleep 0.1; done

{
  printf '[storage]\nurl = "sqlite://%s/store.db"\n[fetch]\nper_host_delay = "0s"\nconcurrency = 8\n[notify]\nlog = true\n[log]\nlevel = "warn"\n' "$WORK"
  for i in $(seq 0 $((N - 1))); do
    printf '[[source]]\nname = "p%d"\nkind = "page"\nurl = "http://127.0.0.1:%d/p%d.html"\n' "$i" "$PORT" "$i"
  done
} > "$WORK/factdiff.toml"
seq 0 $((N - 1)) | sed "s|.*|http://127.0.0.1:$PORT/p&.html|" > "$WORK/urls"

measure() { # label, command...
  local label=$1; shift
  /usr/bin/time -v -o "$WORK/time.txt" "$@" >/dev/null 2>"$WORK/err.txt" || { cat "$WORK/err.txt"; exit 1; }
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$WORK/time.txt")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/time.txt")
  echo "$label $wall $rss"
}

BASE=$(measure baseline sh -c "xargs -P 8 -n 50 curl -s -o /dev/null < '$WORK/urls'")
COLD=$(measure cold "$BIN" -c "$WORK/factdiff.toml" check --all)
WARM=$(measure warm "$BIN" -c "$WORK/factdiff.toml" check --all)
sleep 1.1; gen_pages changed   # new mtimes, so the server's Last-Modified changes
CHANGED=$(measure changed "$BIN" -c "$WORK/factdiff.toml" check --all)

DBSIZE=$(du -k "$WORK/store.db" | cut -f1)
echo
printf '%-9s %8s %10s %12s %14s\n' run wall_s pages/s peak_rss_MB "ratio_vs_curl"
read -r _ bw brss <<<"$BASE"
for line in "$BASE" "$COLD" "$WARM" "$CHANGED"; do
  read -r label wall rss <<<"$line"
  awk -v l="$label" -v w="$wall" -v r="$rss" -v n="$N" -v bw="$bw" \
    'BEGIN { printf "%-9s %8.2f %10.1f %12.1f %14.2f\n", l, w, n / w, r / 1024, w / bw }'
done
echo
echo "pages: $N; store after three passes: $((DBSIZE / 1024)) MB ($(sqlite3 "$WORK/store.db" 'select count(*) from versions' 2>/dev/null || echo '?') versions)"
