"""Benchmark the whole pipeline on synthetic libraries and the real one.

    python benchmarks/run.py                 # N = 2423, 10000 (about 15 minutes)
    python benchmarks/run.py --sizes 250 2500 --no-serve --no-browser
    python benchmarks/run.py --sizes 2423 --peer DIR --peer-python PY   # and the peer

For each size: full `mkdocs build` wall time and peak memory (the median of --repeats cold
builds, 3 by default, each started once the disk is idle: see settle); the hook's time by phase
(parse, decode, validate, render, export) and its share of the build; the same pages as
plain Markdown built without the hook (the baseline); site size and bytes per paper; the
largest page gzipped; the search index; a `mkdocs serve` rebuild after editing one entry;
and, in Chromium, the time from a filter change to the updated list. Prints a table, the
ratios the budgets are stated in (each size against the real library, 10k against 2.5k)
and writes benchmarks/results.json. Timings are measurements, not tests: nothing here fails.

The peer (optional): the HEPML Living Review, a MkDocs-Material site generated from its
2,423-entry .bib, at DIR (a checkout, or a bare git snapshot of iml-wg/HEPML-LivingReview),
run with PY, a Python whose environment has mkdocs~=1.4.3, mkdocs-material~=9.1.14 and
requests: its `python make_md.py` then `mkdocs build`, timed as whole processes and
interleaved with our full build of the synthetic library of the same size (seed 1), so
the ratio is taken in the same run. Without DIR or PY it is skipped with a message.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "hooks"))

from synth import make_library  # noqa: E402

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "true"}
CHILD = """
import json, resource, sys, time, logging
from mkdocs.commands.build import build
from mkdocs.config import load_config
logging.basicConfig(level=logging.WARNING)
def cpu():  # this process's and its helper's (gradleak/sink.py), once it has ended
    return sum(u.ru_utime + u.ru_stime for u in (resource.getrusage(resource.RUSAGE_SELF),
                                                  resource.getrusage(resource.RUSAGE_CHILDREN)))
started, cpu_started = time.perf_counter(), cpu()
config = load_config(sys.argv[1], site_dir=sys.argv[2])
build(config)
wall, cpu_s = time.perf_counter() - started, cpu() - cpu_started
phases, helper = {}, {}
try:
    from gradleak import sink, timing
    phases = dict(timing.PHASES)
    helper = {"peak_rss_mb": sink.STATS.get("helper_peak_mb")}  # the process that created
    # the files (gradleak/sink.py), read while it ran
except ImportError:
    pass
print(json.dumps({"wall": wall, "cpu": cpu_s,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "phases": phases, "helper": helper}))
"""


def settle(limit: float = 60.0) -> float:
    """Flush and wait (up to `limit` s) until the disk is idle: IO pressure over the last
    10 s (/proc/pressure/io, "some") under 1 %. A build writes thousands of files (40,000 and
    ~540 MB at 10,000 papers); measured right after another build, or after its site was
    deleted (ext4 with `discard`), it paid for that writeback too, and got slower run after
    run. Returns the seconds waited."""
    started = time.perf_counter()
    os.sync()
    pressure = Path("/proc/pressure/io")
    while pressure.exists() and time.perf_counter() - started < limit:
        if float(pressure.read_text().split()[1].split("=")[1]) < 1.0:
            break
        time.sleep(1)
    return time.perf_counter() - started


def measured_build(config: Path, site: Path) -> dict:
    """A build in a fresh process, the disk settled first: wall time, peak memory, the
    hook's phases."""
    if site.exists():
        shutil.rmtree(site)
    settle()
    proc = subprocess.run([sys.executable, "-c", CHILD, str(config), str(site)],
                          capture_output=True, text=True, env=ENV, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def baseline(folder: Path) -> dict:
    """The same pages, written out as plain Markdown, built without the hook."""
    from gradleak.site import build_site

    plain = folder.parent / (folder.name + "-plain")
    if plain.exists():
        shutil.rmtree(plain)
    shutil.copytree(folder / "docs", plain / "docs")
    shutil.copytree(folder / "overrides", plain / "overrides")
    site = build_site(folder / "bib")
    for uri, page in site.all_pages().items():
        text = page.markdown
        for mark, cards in page.fragments.items():
            text = text.replace(str(mark), cards, 1)
        path = plain / "docs" / uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for uri, content in site.downloads.items():
        path = plain / "docs" / uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    text = (folder / "mkdocs.yml").read_text()
    text = re.sub(r"hooks:\n  - .*\n", "", text)
    text = re.sub(r"watch:\n  - bib\n", "", text)
    (plain / "mkdocs.yml").write_text(text)
    return measured_build(plain / "mkdocs.yml", plain / "site")


def sizes(site: Path, n: int) -> dict:
    files = [p for p in site.rglob("*") if p.is_file()]
    papers = list((site / "paper").glob("*/index.html"))
    paper_bytes = sum(p.stat().st_size for p in papers)
    paper_gzip = sum(len(gzip.compress(p.read_bytes())) for p in papers)
    total = sum(p.stat().st_size for p in files)
    pages = [p for p in files if p.suffix == ".html"]
    largest = max(pages, key=lambda p: len(gzip.compress(p.read_bytes())))
    lists = [p for p in pages if not p.relative_to(site).as_posix().startswith("paper/")]
    fullest = max(lists, key=lambda p: p.read_bytes().count(b'<article class="gl-card"'))
    return {
        "fullest_list": fullest.relative_to(site).as_posix(),
        "fullest_list_cards": fullest.read_bytes().count(b'<article class="gl-card"'),
        "fullest_list_gzip_kb": round(len(gzip.compress(fullest.read_bytes())) / 1024, 1),
        "site_mb": round(total / 1e6, 2),
        "bytes_per_paper": round(total / n),
        "paper_page_bytes": round(paper_bytes / len(papers)) if papers else None,
        "paper_page_gzip_bytes": round(paper_gzip / len(papers)) if papers else None,
        "largest_page": largest.relative_to(site).as_posix(),
        "largest_page_gzip_kb": round(len(gzip.compress(largest.read_bytes())) / 1024, 1),
        "search_index_kb": round((site / "search" / "search_index.json").stat().st_size / 1024, 1),
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def serve_rebuild(folder: Path, edits: int = 3, timeout: float = 300) -> dict | None:
    """`mkdocs serve` rebuilding after an edit of one entry, ``edits`` times: the median
    seconds from the edit to the rebuilt site, and the median CPU seconds the server used
    for it (the same work, read true on a machine shared with other jobs). A rebuild the
    watcher starts again on its own right after one is waited for and not counted."""
    import queue
    import threading

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve",
                             "-f", str(folder / "mkdocs.yml"),
                             "-a", f"127.0.0.1:{port}"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=ENV)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout], daemon=True).start()

    def wait_for(text: str, seconds: float) -> bool:
        deadline = time.time() + seconds
        while time.time() < deadline:
            try:
                if text in lines.get(timeout=max(0.01, deadline - time.time())):
                    return True
            except queue.Empty:
                break
        return False

    walls, cpus = [], []
    try:
        if not wait_for("Serving on", timeout):
            return None
        bib = folder / "bib" / "attacks.bib"
        for _ in range(edits):
            while wait_for("Detected file changes", 2.0):  # a rebuild of its own: let it end
                wait_for("Documentation built in", timeout)
            cpu, edited = _cpu_seconds(proc.pid), time.perf_counter()
            bib.write_text(bib.read_text().replace("tldr          = {", "tldr          = {Edited. ",
                                                   1))
            if wait_for("Documentation built in", timeout):
                walls.append(time.perf_counter() - edited)
                cpus.append(_cpu_seconds(proc.pid) - cpu)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    if not walls:
        return None
    return {"wall": round(sorted(walls)[len(walls) // 2], 2),
            "cpu": round(sorted(cpus)[len(cpus) // 2], 2)}


def filter_timing(site: Path, page: str) -> dict | None:
    """In Chromium: ms from a facet change to the updated list (median of 5), and the
    page's gzipped transfer size."""
    import functools
    import threading
    from http.server import ThreadingHTTPServer

    from serve import Handler  # the gzip-serving handler of benchmarks/serve.py

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not Path("/usr/bin/chromium").exists():
        return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/{page}"
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
            tab = browser.new_page(viewport={"width": 1280, "height": 900})
            started = time.perf_counter()
            tab.goto(url)
            tab.wait_for_selector("#gl-count", timeout=120000)
            load = time.perf_counter() - started
            samples = []
            for _ in range(5):
                samples.append(tab.evaluate("""() => new Promise(done => {
                    const box = document.querySelector(
                        '#gl-tools .gl-facet[data-facet="modality"] input');
                    const t0 = performance.now();
                    box.click();
                    requestAnimationFrame(() => setTimeout(() => done(performance.now() - t0), 0));
                })"""))
            browser.close()
    finally:
        server.shutdown()
    html = (site / page / "index.html").read_bytes()
    return {"filter_ms": round(sorted(samples)[2], 1), "load_s": round(load, 2),
            "page_gzip_kb": round(len(gzip.compress(html)) / 1024, 1)}


def run(n: int | None, work: Path, serve: bool, browser: bool, plain: bool = True,
        seed: int = 1, repeats: int = 1) -> dict:
    if n is None:  # the real library
        folder = work / "real"
        if folder.exists():
            shutil.rmtree(folder)
        for name in ("bib", "docs", "overrides"):
            shutil.copytree(ROOT / name, folder / name)
        (folder / "mkdocs.yml").write_text((ROOT / "mkdocs.yml").read_text().replace(
            "  - hooks/gradleak_hook.py", f"  - {(ROOT / 'hooks' / 'gradleak_hook.py').as_posix()}")
            .replace("watch:\n  - bib\n  - hooks\n", "watch:\n  - bib\n"))
        from gradleak.catalog import load_catalog
        n = len(load_catalog(folder / "bib").papers)
        label = f"real ({n})"
    else:
        folder = make_library(n, work / f"n{n}", seed).parent
        label = str(n)
    builds = []
    for i in range(repeats):  # cold each time; the median build (by wall time) is reported
        print(f"== {label}: building ({i + 1}/{repeats})", file=sys.stderr, flush=True)
        # each into a new folder: rebuilding where a site was just deleted measured the
        # file system's reuse of the freed space too (10,000 papers: +10-20 % per rebuild)
        site = folder / ("site" if i == repeats - 1 else f"site-{i}")
        builds.append(measured_build(folder / "mkdocs.yml", site))
    for i in range(repeats - 1):
        shutil.rmtree(folder / f"site-{i}")
    build = sorted(builds, key=lambda b: b["wall"])[len(builds) // 2]
    phases = build["phases"]
    # the budget's pipeline: parse + LaTeX decoding + validation + render (exports apart)
    pipeline = sum(phases.get(k, 0) for k in ("parse", "decode", "validate", "render"))
    with_exports = pipeline + phases.get("export", 0)
    if plain:
        print(f"== {label}: baseline without the hook", file=sys.stderr, flush=True)
    base = baseline(folder) if plain else None
    result = {
        "n": n, "label": label,
        "build_s": round(build["wall"], 2), "build_cpu_s": round(build["cpu"], 2),
        "build_runs_s": [round(b["wall"], 2) for b in builds],
        "peak_rss_mb": round(build["rss_mb"]),
        # the helper that wrote the files (sink.py): its peak RSS; the build's and its peaks
        # summed are an upper bound of the memory both used at once
        "helper_peak_rss_mb": build.get("helper", {}).get("peak_rss_mb"),
        "phases_s": {k: round(v, 3) for k, v in sorted(phases.items())},
        "hook_s": round(phases.get("hook", 0), 2),
        "hook_share": round(phases.get("hook", 0) / build["wall"], 3),
        "pipeline_entries_per_s": round(n / pipeline) if pipeline else None,
        "with_exports_entries_per_s": round(n / with_exports) if with_exports else None,
        "baseline_s": round(base["wall"], 2) if base else None,
        "ratio_to_baseline": round(build["wall"] / base["wall"], 2) if base else None,
        **sizes(folder / "site", n),
    }
    if serve:
        print(f"== {label}: serve rebuild", file=sys.stderr, flush=True)
        rebuild = serve_rebuild(folder)
        result["serve_rebuild_s"] = rebuild["wall"] if rebuild else None
        result["serve_rebuild_cpu_s"] = rebuild["cpu"] if rebuild else None
    if browser:
        print(f"== {label}: filter timing in Chromium", file=sys.stderr, flush=True)
        page = result["fullest_list"].removesuffix("index.html")
        result["browser_fullest_list"] = filter_timing(folder / "site", page)
    return result


def timed(cmd: list[str], cwd: Path | None = None, env: dict | None = None) -> float:
    """Wall seconds of a whole process (start-up included), its output thrown away."""
    started = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env or ENV, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def peer_comparison(peer: Path | None, python: Path | None, work: Path, repeats: int,
                    seed: int = 1) -> dict | None:
    """Our full build of the synthetic 2,423-entry library against the peer's generate +
    build, interleaved (ours, peer, ours, peer, ...); medians and the pairwise ratio."""
    if not peer or not Path(peer).exists() or not python or not Path(python).exists():
        print("== peer comparison skipped: give --peer (a HEPML-LivingReview snapshot) and "
              "--peer-python (a Python with mkdocs~=1.4.3, mkdocs-material~=9.1.14, "
              "requests)", file=sys.stderr)
        return None
    peer = Path(peer)
    site = work / "peer"
    if site.exists():
        shutil.rmtree(site)
    site.mkdir(parents=True)
    if (peer / "make_md.py").exists():
        shutil.copytree(peer, site, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".git"))
    else:  # a bare snapshot: its newest commit
        archive = subprocess.run(["git", "--git-dir", str(peer), "archive", "HEAD"],
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(site)], input=archive, check=True)
    entries = (site / "HEPML.bib").read_text(encoding="utf-8", errors="replace").count("\n@")
    config = make_library(2423, work / "n2423-vs-peer", seed)
    ours_cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config),
                "-d", str(config.parent / "site")]
    peer_env = {k: v for k, v in ENV.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    ours, theirs = [], []
    for i in range(repeats):
        print(f"== peer comparison {i + 1}/{repeats}", file=sys.stderr, flush=True)
        ours.append(timed(ours_cmd))
        theirs.append(timed([str(python), "make_md.py"], cwd=site, env=peer_env)
                      + timed([str(python), "-m", "mkdocs", "build", "-q"], cwd=site,
                              env=peer_env))
    ratios = sorted(a / b for a, b in zip(ours, theirs, strict=True))
    return {"peer_entries": entries, "ours_2423_s": [round(x, 2) for x in ours],
            "peer_s": [round(x, 2) for x in theirs],
            "ours_median_s": round(sorted(ours)[len(ours) // 2], 2),
            "peer_median_s": round(sorted(theirs)[len(theirs) // 2], 2),
            "ratio_median": round(ratios[len(ratios) // 2], 3)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[2423, 10000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-real", action="store_true", help="skip the real library")
    parser.add_argument("--no-serve", action="store_true")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip the plain-Markdown build without the hook")
    parser.add_argument("--peer", type=Path, default=os.environ.get("GRADLEAK_PEER"),
                        help="a HEPML-LivingReview checkout or bare snapshot (optional)")
    parser.add_argument("--peer-python", type=Path,
                        default=os.environ.get("GRADLEAK_PEER_PYTHON"),
                        help="a Python with mkdocs~=1.4.3, mkdocs-material~=9.1.14, requests")
    parser.add_argument("--peer-repeats", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=3,
                        help="cold builds per size (median reported; the disk settled before each)")
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="gradleak-bench-") as tmp:
        work = Path(tmp)
        for n in ([None] if not args.no_real else []) + args.sizes:
            results.append(run(n, work, not args.no_serve, not args.no_browser,
                               not args.no_baseline, args.seed, args.repeats))
        peer = peer_comparison(args.peer, args.peer_python, work, args.peer_repeats, args.seed)
    columns = ["label", "build_s", "build_cpu_s", "peak_rss_mb", "hook_s", "hook_share",
               "pipeline_entries_per_s", "with_exports_entries_per_s", "fullest_list_cards",
               "fullest_list_gzip_kb",
               "baseline_s", "ratio_to_baseline", "bytes_per_paper", "paper_page_bytes",
               "paper_page_gzip_bytes", "largest_page_gzip_kb",
               "search_index_kb", "serve_rebuild_s", "serve_rebuild_cpu_s"]
    print(" | ".join(columns))
    for r in results:
        print(" | ".join(str(r.get(c, "")) for c in columns))
        if r.get("browser_fullest_list"):
            print(f"   fullest list page ({r['fullest_list']}) in Chromium: "
                  f"{r['browser_fullest_list']}")
    ratios = {}
    real = next((r for r in results if r["label"].startswith("real")), None)
    synth = {r["n"]: r for r in results if not r["label"].startswith("real")}
    # wall time is the budget's measure; CPU time (user + system) is the same work, and
    # reads true on a machine shared with other jobs, where wall time waits for a core
    for n, r in synth.items():
        if real:
            ratios[f"build {n} / real"] = round(r["build_s"] / real["build_s"], 2)
            ratios[f"build {n} / real (cpu)"] = round(r["build_cpu_s"] / real["build_cpu_s"], 2)
    small = next((synth[n] for n in (2423, 2500) if n in synth), None)
    if small and 10000 in synth:
        ratios["growth 10k / 2.5k"] = round(synth[10000]["build_s"] / small["build_s"], 2)
        ratios["growth 10k / 2.5k (cpu)"] = round(
            synth[10000]["build_cpu_s"] / small["build_cpu_s"], 2)
    for name, value in ratios.items():
        print(f"{name}: {value}x")
    if peer:
        print(f"peer ({peer['peer_entries']} entries) generate + build: median "
              f"{peer['peer_median_s']} s; ours (2,423): {peer['ours_median_s']} s; ratio "
              f"ours/peer {peer['ratio_median']} (pairwise median of {len(peer['peer_s'])})")
    when = time.strftime("%Y-%m-%d %H:%M")
    args.out.write_text(json.dumps({"when": when, "results": results, "ratios": ratios,
                                    "peer": peer}, indent=2))
    print(f"written {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
