"""Exact 1-D correlation: symequi against raw python-flint and a Fraction loop.

symequi's rational path is one truncated ``fmpq_poly`` product (``mul_low``)
returned as a lazy view.  Two raw python-flint baselines on data already in
python-flint form, both measured in the same run:

* the same output computed the best way raw flint allows: the truncated
  product and the shift that drops the first ``offset`` coefficients
  (``a.mul_low(b, offset + N).right_shift(offset)``); target ratio <= 1.2,
  i.e. symequi's layer, padding logic and Signal wrapper cost at most 20%;
* the bare full product ``a * b``, informational: a lower bound that does not
  yet give the output (the slice is missing).

symequi's result is forced through the public accessor ``flat_poly()`` (no
lazy view is timed).  The Fraction double loop is always measured in full
(N = K = 2000, 4e6 multiplications), never extrapolated.  The periodic rows
show the price of the wrap-around fix-up: one extra O(N) ``fmpq_poly``
addition, which costs about as much as a 3-tap product.
"""

from __future__ import annotations

import random
from fractions import Fraction

import flint

from benchmarks._timing import best_of, row
from symequi.layers.convolution import Correlation
from symequi.core.signal import Signal


def _rationals(rng: random.Random, count: int) -> list[Fraction]:
    return [Fraction(rng.randint(-1000, 1000), rng.randint(1, 64)) for _ in range(count)]


def _fraction_loop(a: list[Fraction], b: list[Fraction], origin: int, outputs: range) -> list[Fraction]:
    """Zero-padded correlation C_j = sum_m a_m b_{j + origin + m}, by a double loop."""
    n, k = len(b), len(a)
    out = []
    for j in outputs:
        start = j + origin
        total = Fraction(0)
        for m in range(max(0, -start), min(k, n - start)):
            total += a[m] * b[start + m]
        out.append(total)
    return out


def _case(n: int, k: int, padding: str, rng: random.Random, *, fraction_target: str | None,
          samples: int, same_target: str = "ratio <= 1.2", same_ratio: float = 1.2) -> list[dict]:
    a, b = _rationals(rng, k), _rationals(rng, n)
    origin = -((k - 1) // 2)  # PyTorch padding='same'
    layer = Correlation(a, origin=origin, padding=padding)
    signal = Signal(b)
    signal.flat_poly()
    a_poly = flint.fmpq_poly([flint.fmpq(v.numerator, v.denominator) for v in reversed(a)])
    b_poly = flint.fmpq_poly([flint.fmpq(v.numerator, v.denominator) for v in b])
    repeat = 5 if n * k <= 10**6 else 3
    offset = k - 1 + origin  # output j is coefficient j + offset of a_reversed * b
    ours = best_of(lambda: layer(signal).flat_poly(), repeat)  # values forced through a public accessor
    same = best_of(lambda: a_poly.mul_low(b_poly, offset + n).right_shift(offset), repeat)
    raw = best_of(lambda: a_poly * b_poly, repeat)
    name = f"Correlation {padding} N={n} K={k} (rational)"
    rows = [row(name, ours, "raw flint, same output (mul_low + right_shift)", same, same_target, same_ratio),
            row(name, ours, "raw flint, bare full product a*b (no slice)", raw, "info (a lower bound)")]
    if fraction_target is not None:  # measured in full, never extrapolated
        loop = best_of(lambda: _fraction_loop(a, b, origin, range(n)), 1)
        rows.append(row(name, ours, "Fraction double loop", loop, fraction_target, 1 / 30))
    return rows


def cases(quick: bool) -> list[dict]:
    """Correlation N=100000, K=3 and N=K=2000 (10x smaller when ``quick``)."""
    rng = random.Random(20240601)
    scale = 10 if quick else 1
    n_long, n_square = 100_000 // scale, 2_000 // scale
    results = []
    results += _case(n_long, 3, "zeros", rng, fraction_target="ratio <= 1/30 (symequi >= 30x faster)",
                     samples=n_long)
    results += _case(n_square, n_square, "zeros", rng, fraction_target="ratio <= 1/30 (symequi >= 30x faster)",
                     samples=n_square)
    # periodic: the same product plus one O(N) addition of the wrapped end terms
    results += _case(n_long, 3, "periodic", rng, fraction_target=None, samples=0,
                     same_target="ratio <= 2.0 (+ one O(N) fix-up addition)", same_ratio=2.0)
    return results
