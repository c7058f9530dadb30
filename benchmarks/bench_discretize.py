"""Exact discretizations: the python-flint fast path against direct baselines.

(a) CellAverage of a degree-5 rational polynomial vs integrating once with
    python-flint and evaluating at the edges, written out here;
(b) the same polynomial per cell vs sympy.integrate per cell;
(c) a sum of heaviside steps at random rational breakpoints: doubling the
    cells or the steps should about double the time (O(N + m)).
"""

from __future__ import annotations

import random

import sympy
from flint import fmpq, fmpq_poly

from benchmarks._timing import best_of, row
from symequi.functions.continuous import heaviside, x
from symequi.functions.discretize import CellAverage
from symequi.functions.grid import Grid


def _polynomial(rng: random.Random) -> sympy.Expr:
    return sum(sympy.Rational(rng.randint(-9, 9), rng.randint(1, 9)) * x**k for k in range(6))


def _flint_baseline(expr: sympy.Expr, n: int) -> fmpq_poly:
    """Integrate once with python-flint and evaluate the antiderivative at the n + 1 edges."""
    poly = sympy.Poly(expr, x)
    coeffs = [fmpq(int(c.p), int(c.q)) for c in reversed(poly.all_coeffs())]
    antiderivative = fmpq_poly(coeffs).integral()
    a, dx = fmpq(-1), fmpq(2, n)
    values = [antiderivative(a + j * dx) for j in range(n + 1)]
    inv = 1 / dx
    return fmpq_poly([(values[j + 1] - values[j]) * inv for j in range(n)])


def _steps(rng: random.Random, m: int, *, dyadic: bool = True) -> sympy.Expr:
    """``m`` weighted steps at random rational breakpoints in (-1, 1).

    ``dyadic``: breakpoints k / 2**20 (a shared denominator, as for sub-pixel
    positions); otherwise denominators up to 2*10**6, whose lcm grows with m.
    """
    def breakpoint() -> sympy.Rational:
        if dyadic:
            return sympy.Rational(rng.randint(-2**20 + 1, 2**20 - 1), 2**20)
        return sympy.Rational(rng.randint(-10**6, 10**6), rng.randint(10**6, 2 * 10**6))

    return sympy.Add(*[
        sympy.Rational(rng.randint(1, 9), rng.randint(1, 9)) * heaviside(x - breakpoint())
        for _ in range(m)
    ])


def cases(quick: bool) -> list[dict]:
    """Rows for ``python -m benchmarks`` (sizes 10x smaller when ``quick``)."""
    scale = 10 if quick else 1
    rng = random.Random(20240601)
    rows = []

    # (a) polynomial on many cells vs flint written directly
    f = _polynomial(rng)
    n = 100_000 // scale
    grid = Grid(-1, 1, n)
    ours = CellAverage(grid)(f)
    assert ours.flat_poly() == _flint_baseline(f, n)
    rows.append(row(
        f"CellAverage degree-5 polynomial, N={n}",
        best_of(lambda: CellAverage(grid)(f)),
        "flint integral, evaluate at edges",
        best_of(lambda: _flint_baseline(f, n)),
        "ratio <= 1.5", 1.5,
    ))

    # (b) per cell, against sympy.integrate per cell
    n_small = 100 // scale if quick else 100
    small = Grid(-1, 1, n_small)
    ours_s = best_of(lambda: CellAverage(small)(f)) / small.size   # the same N on both sides
    cells = small.size

    def sympy_cells() -> list:
        return [sympy.integrate(f, (x, lo, hi)) / small.dx for lo, hi in map(small.cell, range(cells))]

    assert [sympy.Rational(v) for v in sympy_cells()] == list(CellAverage(small)(f).flat_exprs())
    rows.append(row(
        "CellAverage degree-5 polynomial, time per cell",
        ours_s,
        f"sympy.integrate per cell (N={cells})",
        best_of(sympy_cells, repeat=1) / cells,
        "ratio <= 0.01 (>= 100x faster)", 0.01,
    ))

    # (c) steps: O(N + m) scaling
    n_c = 100_000 // scale
    base_steps = _steps(rng, 100)
    more_steps = _steps(rng, 200)
    CellAverage(Grid(-1, 1, 10))(base_steps)  # warm sympy's caches before timing
    CellAverage(Grid(-1, 1, 10))(more_steps)
    t_half = best_of(lambda: CellAverage(Grid(-1, 1, n_c // 2))(base_steps))
    t_base = best_of(lambda: CellAverage(Grid(-1, 1, n_c))(base_steps))
    rows.append(row(f"CellAverage sum of 100 steps, N={n_c}", t_base,
                    f"same sum, N={n_c // 2}", t_half, "ratio <= 2 (linear in N, plus a fixed conversion cost)", 2.0))
    t_double = best_of(lambda: CellAverage(Grid(-1, 1, 2 * n_c))(base_steps))
    rows.append(row(f"CellAverage sum of 100 steps, N={2 * n_c}", t_double,
                    f"same sum, N={n_c}", t_base, "ratio <= 2 (linear in N, plus a fixed conversion cost)", 2.0))
    t_many = best_of(lambda: CellAverage(Grid(-1, 1, n_c))(more_steps))
    rows.append(row(f"CellAverage sum of 200 steps, N={n_c}", t_many,
                    f"100 steps, N={n_c}", t_base, "ratio <= 2.2 (linear in m)", 2.2))
    mixed = _steps(rng, 100, dyadic=False)
    t_mixed = best_of(lambda: CellAverage(Grid(-1, 1, n_c))(mixed))
    rows.append(row(f"100 steps, unrelated denominators, N={n_c}", t_mixed,
                    f"100 dyadic steps, N={n_c}", t_base,
                    "ratio <= 3 (within 3x of dyadic)", 3.0))
    return rows
