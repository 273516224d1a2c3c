#!/usr/bin/env bash
# Lighthouse (mobile profile) on the home, attacks, what's new and one paper page of the built site,
# with Debian's chromium. Prints performance / accessibility / best practices / SEO for
# each run and the median per page.
#   bash benchmarks/lighthouse.sh            # builds the site, serves it, 5 runs per page
#   RUNS=3 bash benchmarks/lighthouse.sh
#   PAGES="home new/" bash benchmarks/lighthouse.sh   # some pages only ("home" is /)
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
printf '%-32s %5s %5s %5s %5s\n' page perf a11y bp seo
for page in ${PAGES:-home attacks/ new/ paper/zhu2019deep/}; do
  [ "$page" = home ] && page=""
  for i in $(seq "$runs"); do
    CHROME_PATH=/usr/bin/chromium "$tools/node_modules/.bin/lighthouse" "http://127.0.0.1:$port/$page" \
      --quiet --output=json --output-path=stdout --form-factor=mobile \
      --only-categories=performance,accessibility,best-practices,seo \
      --chrome-flags="--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --no-first-run --disable-sync --disable-quic" \
    | .venv/bin/python -c '
import json, sys
r = json.load(sys.stdin)["categories"]
print(" ".join(str(round(100 * r[k]["score"])) for k in ("performance", "accessibility", "best-practices", "seo")))
' | { read -r p a b s; printf '%-32s %5s %5s %5s %5s\n' "/${page}" "$p" "$a" "$b" "$s"; echo "/${page} $p $a $b $s" >> "$scores"; }
  done
done
echo "median of $runs runs:"
.venv/bin/python - "$scores" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    page, *values = line.split()
    rows.setdefault(page, []).append([int(v) for v in values])
for page, runs in rows.items():
    medians = [statistics.median(column) for column in zip(*runs)]
    print(f"{page:32} " + " ".join(f"{m:5g}" for m in medians))
PY
