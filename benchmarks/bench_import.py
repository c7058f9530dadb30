"""``import symequi`` against ``import sympy``, each in a fresh interpreter (best of 5).

symequi's own modules should add at most 20% to sympy's import (target: the
time of ``import symequi`` over ``import sympy`` <= 1.2); z3, Hypothesis,
matplotlib, Dask and the report machinery load on first use.

The target row lets Python cache bytecode, as for any installed package (pip
compiles it at install, as it did sympy's): ``PYTHONDONTWRITEBYTECODE`` is
removed from the children's environment and one warm-up import writes the
cache.  (Without a cache, as on a development machine that sets
``PYTHONDONTWRITEBYTECODE`` with an editable install and no ``__pycache__`` yet,
Python compiles symequi's ~80 modules at every start: ratio about 1.4 there.)
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

from benchmarks._timing import row


def _fresh(code: str, repeat: int = 5, env: dict[str, str] | None = None) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, env=env)
        best = min(best, time.perf_counter() - start)
    return best


def _ratio_row(case: str, repeat: int, env: dict[str, str] | None, max_ratio: float) -> dict:
    base = _fresh("pass", repeat, env)
    sympy_s = _fresh("import sympy", repeat, env) - base
    ours = _fresh("import symequi", repeat, env) - base
    return row(f"import symequi ({case})", ours, "import sympy (fresh interpreter)", sympy_s,
               f"ratio <= {max_ratio}", max_ratio)


def cases(quick: bool) -> list[dict]:
    repeat = 3 if quick else 5
    cached = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    _fresh("import symequi", 1, cached)  # writes the bytecode cache where it is missing
    return [_ratio_row("fresh interpreter, bytecode cached", repeat, cached, 1.2)]
