"""Exact 1-D correlation: symequi against the raw python-flint product and a Fraction loop.

symequi's rational path is one ``fmpq_poly`` product returned as a lazy view,
so it should cost about the same as the bare product on data already in
python-flint form (target ratio <= 1.5) and be far faster than the obvious
exact loop over ``fractions.Fraction`` (target ratio <= 1/30 at N = 100000).
The Fraction loop at N = K = 10000 is ~1e8 multiplications: it is timed on
every 10th output (1000 of them) and scaled by 10, as its name says.  The
periodic row shows the price of the wrap-around fix-up: one extra O(N)
``fmpq_poly`` addition, which costs about as much as a 3-tap product.
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
          samples: int, target: str = "ratio <= 1.5") -> list[dict]:
    a, b = _rationals(rng, k), _rationals(rng, n)
    origin = -((k - 1) // 2)  # PyTorch padding='same'
    layer = Correlation(a, origin=origin, padding=padding)
    signal = Signal(b)
    signal.flat_poly()
    a_poly = flint.fmpq_poly([flint.fmpq(v.numerator, v.denominator) for v in reversed(a)])
    b_poly = flint.fmpq_poly([flint.fmpq(v.numerator, v.denominator) for v in b])
    repeat = 5 if n * k <= 10**6 else 3
    ours = best_of(lambda: layer(signal), repeat)
    raw = best_of(lambda: a_poly * b_poly, repeat)
    name = f"Correlation {padding} N={n} K={k} (rational)"
    rows = [row(name, ours, "python-flint fmpq_poly product (raw)", raw, target)]
    if fraction_target is not None:
        if samples >= n:
            loop = best_of(lambda: _fraction_loop(a, b, origin, range(n)), 1)
            baseline = "Fraction double loop"
        else:  # every step-th output, so the sample sees the same mix of full and edge windows
            step = n // samples
            loop = best_of(lambda: _fraction_loop(a, b, origin, range(0, n, step)), 1) * step
            baseline = f"Fraction loop ({samples} of {n} outputs, x{step})"
        rows.append(row(name, ours, baseline, loop, fraction_target))
    return rows


def cases(quick: bool) -> list[dict]:
    """Correlation N=100000, K=3 and N=K=10000 (10x smaller when ``quick``)."""
    rng = random.Random(20240601)
    scale = 10 if quick else 1
    n_long, n_square = 100_000 // scale, 10_000 // scale
    results = []
    results += _case(n_long, 3, "zeros", rng, fraction_target="ratio <= 1/30 (symequi >= 30x faster)",
                     samples=n_long)
    results += _case(n_square, n_square, "zeros", rng, fraction_target="symequi much faster (ratio << 1)",
                     samples=1000 // scale)
    # periodic: the same product plus one O(N) addition of the wrapped end terms
    results += _case(n_long, 3, "periodic", rng, fraction_target=None, samples=0,
                     target="ratio <= 2.5 (product + one O(N) fix-up addition)")
    return results
