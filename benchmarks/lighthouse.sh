#!/usr/bin/env bash
# Lighthouse (mobile profile) on the home, attacks, what's new and one paper page of the built site,
# with Debian's chromium. Prints performance / accessibility / best practices / SEO for
# each run and the median per page.
#   bash benchmarks/lighthouse.sh            # builds the site, serves it, 5 runs per page
#   RUNS=3 bash benchmarks/lighthouse.sh
#   PAGES="home new/" bash benchmarks/lighthouse.sh   # some pages only ("home" is /)
#   REPORTS=/tmp/lh bash benchmarks/lighthouse.sh     # also keep each run's JSON report there
# Besides the four scores, each row gives the metrics the performance score is made of:
# FCP, LCP, Speed Index (ms), TBT (ms), CLS, and the page's transfer size (KB).
# The site is served gzipped, as GitHub Pages serves it (benchmarks/serve.py): Python's
# plain http.server would send every page uncompressed and make it look several times
# heavier than it is once hosted.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
tools=benchmarks/.lighthouse
if [ ! -x "$tools/node_modules/.bin/lighthouse" ]; then
  echo "== installing lighthouse@12.2.3 into $tools (npm)" >&2
  mkdir -p "$tools" && npm install --prefix "$tools" --no-audit --no-fund lighthouse@12.2.3 >&2
fi
site=$(mktemp -d)
scores=$(mktemp)
NO_MKDOCS_2_WARNING=true .venv/bin/mkdocs build -q -d "$site"
port=$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
.venv/bin/python benchmarks/serve.py "$site" "$port" &
server=$!
trap 'kill $server; rm -rf "$site" "$scores"' EXIT
sleep 1
columns='%-32s %5s %5s %5s %5s %6s %6s %6s %5s %6s %5s\n'
printf "$columns" page perf a11y bp seo fcp lcp si tbt cls kb
[ -n "${REPORTS:-}" ] && mkdir -p "$REPORTS"
for page in ${PAGES:-home attacks/ new/ paper/zhu2019deep/}; do
  [ "$page" = home ] && page=""
  for i in $(seq "$runs"); do
    report=/dev/null
    [ -n "${REPORTS:-}" ] && report="$REPORTS/$(echo "${page:-home}" | tr / _)$i.json"
    CHROME_PATH=/usr/bin/chromium "$tools/node_modules/.bin/lighthouse" "http://127.0.0.1:$port/$page" \
      --quiet --output=json --output-path=stdout --form-factor=mobile \
      --only-categories=performance,accessibility,best-practices,seo \
      --chrome-flags="--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --no-first-run --disable-sync --disable-quic" \
    | tee "$report" | .venv/bin/python -c '
import json, sys
report = json.load(sys.stdin)
r, a = report["categories"], report["audits"]
def value(x, scale=1, digits=0):  # a category or metric Lighthouse could not compute: "-"
    return "-" if x is None else round(scale * x, digits or None)
scores = [value(r[k]["score"], 100) for k in ("performance", "accessibility", "best-practices", "seo")]
metrics = [value(a[k].get("numericValue")) for k in ("first-contentful-paint",
           "largest-contentful-paint", "speed-index", "total-blocking-time")]
print(*scores, *metrics, value(a["cumulative-layout-shift"].get("numericValue"), 1, 3),
      value(a["total-byte-weight"].get("numericValue"), 1 / 1024))
' | { read -r -a v; printf "$columns" "/${page}" "${v[@]}"; echo "/${page} ${v[*]}" >> "$scores"; }
  done
done
echo "median of $runs runs:"
.venv/bin/python - "$scores" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    page, *values = line.split()
    rows.setdefault(page, []).append([None if v == "-" else float(v) for v in values])
for page, runs in rows.items():
    columns = [[v for v in column if v is not None] for column in zip(*runs)]
    medians = [f"{statistics.median(c):6g}" if c else "     -" for c in columns]
    print(f"{page:32} " + " ".join(medians))
PY
