"""Wall-clock time per phase of the pipeline, for the build log and the benchmarks."""

from __future__ import annotations

import time
from collections import defaultdict
from contextlib import contextmanager

PHASES: dict[str, float] = defaultdict(float)


def reset() -> None:
    PHASES.clear()


@contextmanager
def phase(name: str):
    started = time.perf_counter()
    try:
        yield
    finally:
        PHASES[name] += time.perf_counter() - started
