"""The hook's pipeline alone, in this process: time per phase and entries per second.

    python benchmarks/phases.py            # the real library
    python benchmarks/phases.py 2500       # a synthetic library of 2,500 entries

Runs build_site twice in a fresh process: the first run is cold (imports done, no cache),
the second is warm (what a `mkdocs serve` reload after an edit elsewhere costs).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "hooks"))


def main() -> int:
    started = time.perf_counter()
    from gradleak import timing
    from gradleak.site import build_site
    imported = time.perf_counter() - started
    if len(sys.argv) > 1:
        from synth import make_library
        config = make_library(int(sys.argv[1]), Path(tempfile.mkdtemp()) / "lib")
        bib = config.parent / "bib"
    else:
        bib = HERE.parent / "bib"
    print(f"import {imported:.3f} s")
    for run in ("cold", "warm"):
        timing.reset()
        started = time.perf_counter()
        site = build_site(bib)
        total = time.perf_counter() - started
        n = len(site.catalog.papers)
        p = timing.PHASES
        pipeline = sum(p.get(k, 0) for k in ("parse", "decode", "validate", "render"))
        phases = ", ".join(f"{k} {v:.3f}" for k, v in sorted(p.items()))
        print(f"{run}: {n} papers in {total:.3f} s; pipeline (parse + decode + validate + "
              f"render) {n / pipeline:.0f} entries/s; all {n / total:.0f} entries/s ({phases})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
