"""The linear decider (symequi.deciders.linear.decide_linear) on periodic convolutions, N = 256.

* Convolution (K = 3, rational kernel, periodic) vs the band-limited (Fourier)
  shift by 1/2 cell (and by 1/3 cell, in Q(zeta_{3N})): proved by the circulant fast path (symequi.deciders.circulant):
  the operator is checked circulant on all N unit inputs, and one commutator
  column is computed exactly in Q(zeta_{2N}).  Baselines: building the
  shift's exact taps once (``fourier_tap_vector``), a floor for any
  exact method that needs them; and, at the largest size where it runs in
  about a second (N = 32), the generic column-by-column path
  (``circulant=False``) on the same square.
* The zero-padded convolution vs the same shift: an exact counterexample.
  A is not circulant, so its matrix is needed (N operator calls on unit
  inputs), then A on the phi(2N) coordinate columns of the taps; the outputs
  (lhs, rhs, difference) stay in Q(zeta_2N) and become sympy cosine sums only
  when printed.  Baseline: building the taps plus 2N raw ``fmpq_poly``
  products (N-term signal by K-term kernel), about the products that work needs.
* Convolution vs an integer shift (all rational: the generic path, 4N operator
  applications on unit inputs).  Baseline: the 4N raw ``fmpq_poly`` products
  (N-term signal by K-term kernel) those applications need at least.

Rows marked "taps not cached" empty the cache of exact Fourier taps before each run, on both
sides.  ``quick=True`` uses N = 32 (the generic-path comparison then uses N = 16).
"""

from __future__ import annotations

import flint
import sympy

from benchmarks._timing import best_of, row
from symequi.layers.convolution import Convolution
from symequi.translations.fourier import FourierShift, _tap_vector, fourier_tap_vector
from symequi.deciders.linear import decide_linear
from symequi.core.signal import Signal
from symequi.core.square import Square
from symequi.translations import shift

_KERNEL = [1, sympy.Rational(1, 2), -2]
_HALF = sympy.Rational(1, 2)


def _square(n: int, padding: str, g) -> Square:
    return Square(Convolution(_KERNEL, padding=padding), g, input_shape=n)


def _checked(square: Square, kind: str, **options) -> float:
    """Best-of-3 time of decide_linear, after checking the verdict once."""
    verdict = decide_linear(square, **options)
    if verdict.kind != kind:
        raise AssertionError(f"expected {kind}, got {verdict.kind}: {verdict}")
    return best_of(lambda: decide_linear(square, **options), 3)


def _raw_products(n: int, k: int, count: int) -> float:
    signal = flint.fmpq_poly([flint.fmpq(j % 7 - 3, 1 + j % 5) for j in range(n)])
    kernel = flint.fmpq_poly([flint.fmpq(1), flint.fmpq(1, 2), flint.fmpq(-2)][:k])

    def run() -> None:
        for _ in range(count):
            signal * kernel

    return best_of(run, 3)


def _cold(fn):
    """``fn`` with the cache of exact Fourier taps emptied first (both sides start cold)."""
    def run():
        _tap_vector.cache_clear()
        return fn()
    return run


def cases(quick: bool) -> list[dict]:
    """N = 256 (N = 32 when ``quick``)."""
    n = 32 if quick else 256
    n_generic = 16 if quick else 32
    half = FourierShift(_HALF)
    results = []

    for s in (_HALF, sympy.Rational(1, 3)):
        proved = f"decide_linear periodic Conv(K=3) vs Fourier {s}, N={n} (proved, taps not cached)"
        square = _square(n, "periodic", FourierShift(s))
        _checked(square, "proved")
        ours = best_of(_cold(lambda: decide_linear(square)), 3)
        taps = best_of(_cold(lambda: fourier_tap_vector(s, n)), 3)
        results.append(row(proved, ours, "build the exact Fourier taps once", taps,
                           "ratio <= 10 (a small multiple of the taps' cost)", 10.0))

    same = f"decide_linear periodic Conv(K=3) vs Fourier 1/2, N={n_generic} (proved)"
    fast = _checked(_square(n_generic, "periodic", half), "proved")
    generic = best_of(lambda: decide_linear(_square(n_generic, "periodic", half), circulant=False), 1)
    results.append(row(same, fast, "generic column path (circulant=False)", generic,
                       "ratio <= 1/20 (fast path >= 20x faster)", 1 / 20))

    refuted = f"decide_linear zero-padded Conv(K=3) vs Fourier 1/2, N={n} (counterexample, taps not cached)"
    square = _square(n, "zeros", half)
    if decide_linear(square).kind != "counterexample":
        raise AssertionError("the zero-padded square must be refuted")
    ours = best_of(_cold(lambda: decide_linear(square)), 3)
    floor = best_of(_cold(lambda: fourier_tap_vector(_HALF, n)), 3) + _raw_products(n, 3, 2 * n)
    results.append(row(refuted, ours, f"the taps once + {2 * n} raw fmpq_poly products N x 3", floor,
                       "ratio <= 10 (the matrix of A: N operator calls, then A on the taps' coordinates)", 10.0))

    integer = f"decide_linear periodic Conv(K=3) vs integer shift 1, N={n} (proved)"
    ours = _checked(_square(n, "periodic", shift(1)), "proved")
    raw = _raw_products(n, 3, 4 * n)
    results.append(row(integer, ours, f"{4 * n} raw fmpq_poly products N x 3", raw,
                       "ratio <= 30 (Python overhead of 4N operator calls)", 30.0))
    return results
