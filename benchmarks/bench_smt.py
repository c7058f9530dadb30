"""The SMT decider (z3, linear real arithmetic) on the paper's kind of layer.

Correlation(K=3, periodic) + Bias + ReLU on signals of length N:

(a) under a half-cell linear-interpolation shift: z3 finds a counterexample,
    checked exactly by the layers; baseline: the search decider (Hypothesis)
    finding one on the same square, in the same run;
(b) under an integer shift: z3 proves equivariance for every real input;
    baseline: the z3 proof for the bare linear part (the correlation alone);
(c) full runs only: how the time grows from N to 4N.
"""

from __future__ import annotations

from benchmarks._timing import best_of, row
from symequi.layers import Bias, Correlation, ReLU, Sequential
from symequi.deciders.search import decide_search
from symequi.deciders.smt import decide_smt
from symequi.core.square import Square
from symequi.translations import shift

HALF = shift("1/2", method="linear")
ONE = shift(1)


def _net() -> Sequential:
    return Sequential(Correlation([1, "-1/2", "1/3"], padding="periodic"), Bias("-1/5"), ReLU())


def _smt(square: Square, kind: str) -> float:
    verdict = decide_smt(square, budget=600)
    assert verdict.kind == kind, verdict
    return best_of(lambda: decide_smt(square, budget=600))


def cases(quick: bool) -> list[dict]:
    """Rows for ``python -m benchmarks`` (N=32 when ``quick``, else N=256)."""
    n = 32 if quick else 256
    rows = []

    half = Square(_net(), HALF, input_shape=n)
    found = decide_search(half, max_examples=200, seed=0)
    assert found.is_counterexample, found
    rows.append(row(
        f"smt: Corr(K=3)+Bias+ReLU, half-cell linear shift, N={n}",
        _smt(half, "counterexample"),
        "search decider, same square (seed 0)",
        best_of(lambda: decide_search(half, max_examples=200, seed=0)),
        "ratio <= 1 (faster than searching; counterexample checked exactly)", 1.0,
    ))

    integer = Square(_net(), ONE, input_shape=n)
    linear_only = Square(Correlation([1, "-1/2", "1/3"], padding="periodic"), ONE, input_shape=n)
    rows.append(row(
        f"smt: Corr(K=3)+Bias+ReLU, integer shift 1, N={n}",
        _smt(integer, "proved"),
        "z3 proof for the correlation alone",
        _smt(linear_only, "proved"),
        "informational: proved for every real input",
    ))

    if not quick:
        for name, g, kind in (("half-cell linear shift", HALF, "counterexample"), ("integer shift 1", ONE, "proved")):
            big = Square(_net(), g, input_shape=4 * n)
            rows.append(row(
                f"smt: Corr(K=3)+Bias+ReLU, {name}, N={4 * n}",
                _smt(big, kind),
                f"same, N={n}",
                _smt(Square(_net(), g, input_shape=n), kind),
                "informational: growth for 4x N (linear would be 4)",
            ))
    return rows
