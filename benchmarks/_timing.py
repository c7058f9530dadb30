"""Timing helpers shared by the benchmark modules."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def best_of(fn: Callable[[], Any], repeat: int = 3) -> float:
    """The fastest of ``repeat`` wall-clock timings of ``fn()``, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def row(case: str, symequi_s: float, baseline: str, baseline_s: float, target: str) -> dict:
    """One result row; ``ratio`` is symequi's time over the baseline's."""
    return {
        "case": case,
        "symequi_s": symequi_s,
        "baseline": baseline,
        "baseline_s": baseline_s,
        "ratio": symequi_s / baseline_s if baseline_s > 0 else float("inf"),
        "target": target,
    }
