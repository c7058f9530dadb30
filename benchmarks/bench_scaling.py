"""Scaling rows: the measured log-log slope of time against N (N x4 steps).

* the compositional rule on a periodic Correlation + Bias + ReLU under an
  integer shift: lemma (e) (circulant by construction) and O(N) permutation
  checks make it linear (target slope <= 1.2);
* the SMT decider on the same stack, integer shift (Proved) and half-cell
  linear shift (Counterexample): the encoding is O(N K); z3's preprocessing
  is near-linear on these (target slope <= 1.3, informational above).
"""

from __future__ import annotations

from benchmarks._timing import best_of, slope_row
from symequi.core.operator import Sequential
from symequi.core.square import Square
from symequi.deciders.compositional import decide_compositional
from symequi.deciders.smt import decide_smt
from symequi.layers import Bias, Correlation, ReLU
from symequi.translations import shift


def _net() -> Sequential:
    return Sequential(Correlation([1, "-1/2", "1/3"], padding="periodic"), Bias(-1), ReLU())


def cases(quick: bool) -> list[dict]:
    sizes = [64, 256, 1024] if quick else [256, 1024, 4096]
    comp = []
    for n in sizes:
        square = Square(_net(), shift(1), input_shape=n)
        assert decide_compositional(square) is not None
        comp.append(best_of(lambda: decide_compositional(Square(_net(), shift(1), input_shape=n))))
    rows = [slope_row("compositional rule, periodic Corr(K=3)+Bias+ReLU, shift 1", sizes, comp, 1.2)]
    smt_sizes = sizes[:-1] if not quick else sizes
    for name, g, kind in (("integer shift 1", shift(1), "proved"),
                          ("half-cell linear shift", shift("1/2", method="linear"), "counterexample")):
        times = []
        for n in smt_sizes:
            assert decide_smt(Square(_net(), g, input_shape=n), budget=600).kind == kind
            times.append(best_of(lambda: decide_smt(Square(_net(), g, input_shape=n), budget=600), 2))
        rows.append(slope_row(f"smt, Corr(K=3)+Bias+ReLU, {name}", smt_sizes, times, 1.3))
    return rows
