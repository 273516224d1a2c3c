"""Time the build-time citation work on the real library: APA and IEEE references
(citeproc-py) with an empty cache and with a warm one, and the RIS/CSL-JSON exports.

    python benchmarks/citations.py

Prints seconds and milliseconds per paper. Timings are measurements, not tests.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

from gradleak import citations, references  # noqa: E402
from gradleak.catalog import load_catalog  # noqa: E402
from gradleak.refcache import ReferenceCache  # noqa: E402


def main() -> None:
    papers = load_catalog(ROOT / "bib").papers
    n = len(papers)
    for label in ("cold (no cache)", "warm (cached)"):
        if label.startswith("cold"):
            references.use_cache(ReferenceCache(None))  # in memory, empty
        for style in references.STYLES:
            started = time.perf_counter()
            references.format_references(papers, style)
            took = time.perf_counter() - started
            print(f"{style:5} {label:16} {took:6.2f} s  {1000 * took / n:6.2f} ms/paper")
    for name, export in (("RIS", citations.ris), ("CSL-JSON", citations.csl_json)):
        started = time.perf_counter()
        export(papers)
        took = time.perf_counter() - started
        print(f"{name:22} {took:6.2f} s  {1000 * took / n:6.2f} ms/paper")
    print(f"({n} papers)")


if __name__ == "__main__":
    main()
