"""Data in and out of a Signal: conversions against raw python-flint, each its own row.

A Signal of rationals is one ``fmpq_poly``; building it from Python ints,
Fractions, fmpq or a numpy integer array should cost at most twice building the
polynomial directly (target ratio <= 2), and reading the values back as fmpq
likewise.  Reading them as sympy values (``to_list``) or Fractions
(``to_fractions``) creates one Python object per entry: those rows are
informational (a sympy Rational costs microseconds to create, whatever we do).
"""

from __future__ import annotations

import random
from fractions import Fraction

import flint

from benchmarks._timing import best_of, row
from symequi.core.signal import Signal


def cases(quick: bool) -> list[dict]:
    """N = 100000 (10000 when ``quick``)."""
    import numpy as np

    n = 10_000 if quick else 100_000
    rng = random.Random(7)
    ints = [rng.randint(-10**6, 10**6) for _ in range(n)]
    fractions = [Fraction(v, rng.randint(1, 64)) for v in ints]
    fmpqs = [flint.fmpq(f.numerator, f.denominator) for f in fractions]
    array = np.array(ints, dtype=np.int64)
    signal = Signal(fmpqs)
    rows = [
        row(f"Signal(list of {n} ints)", best_of(lambda: Signal(ints)), "fmpq_poly(ints)",
            best_of(lambda: flint.fmpq_poly(ints)), "ratio <= 2", 2.0),
        row(f"Signal(list of {n} Fractions)", best_of(lambda: Signal(fractions)),
            "fmpq_poly of fmpq(p, q) per Fraction", best_of(lambda: flint.fmpq_poly(
                [flint.fmpq(f.numerator, f.denominator) for f in fractions])), "ratio <= 2", 2.0),
        row(f"Signal(list of {n} fmpq)", best_of(lambda: Signal(fmpqs)), "fmpq_poly(fmpqs)",
            best_of(lambda: flint.fmpq_poly(fmpqs)), "ratio <= 2", 2.0),
        row(f"Signal(numpy int64 array of {n})", best_of(lambda: Signal(array)), "fmpq_poly(array.tolist())",
            best_of(lambda: flint.fmpq_poly(array.tolist())), "ratio <= 2", 2.0),
        row(f"signal.flat_fmpqs(), N={n}", best_of(signal.flat_fmpqs), "fmpq_poly.coeffs()",
            best_of(lambda: signal.flat_poly().coeffs()), "ratio <= 2", 2.0),
        row(f"signal.to_fractions(), N={n}", best_of(signal.to_fractions, 1), "fmpq_poly.coeffs()",
            best_of(lambda: signal.flat_poly().coeffs()), "informational: one Fraction per entry"),
        row(f"signal.to_list() (sympy values), N={n}", best_of(signal.to_list, 1), "fmpq_poly.coeffs()",
            best_of(lambda: signal.flat_poly().coeffs()), "informational: one sympy Rational per entry"),
    ]
    return rows
