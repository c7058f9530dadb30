"""``import symequi`` against ``import sympy``, each in a fresh interpreter (best of 5).

symequi's own modules should add at most 20% to sympy's import (target: the
time of ``import symequi`` over ``import sympy`` <= 1.2); z3, Hypothesis,
matplotlib, Dask and the report machinery load on first use.
"""

from __future__ import annotations

import subprocess
import sys
import time

from benchmarks._timing import row


def _fresh(code: str, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        best = min(best, time.perf_counter() - start)
    return best


def cases(quick: bool) -> list[dict]:
    repeat = 3 if quick else 5
    base = _fresh("pass", repeat)
    sympy_s = _fresh("import sympy", repeat) - base
    ours = _fresh("import symequi", repeat) - base
    return [row("import symequi (fresh interpreter)", ours, "import sympy (fresh interpreter)", sympy_s,
                "ratio <= 1.2", 1.2)]
