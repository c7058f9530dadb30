"""Exact discretizations: the python-flint fast path against direct baselines.

(a) CellAverage of a degree-5 rational polynomial vs integrating once with
    python-flint and evaluating at the edges, written out here;
(b) the same polynomial per cell vs sympy.integrate per cell;
(c) a sum of heaviside steps at random rational breakpoints: doubling the
    cells or the steps should about double the time (O(N + m));
(d) m = 10^4 steps on N = 10^5 cells against a raw python-flint cumulative
    evaluation of the same steps written out here (target <= 2x: the sympy sum is
    read once into breakpoint jumps, and no message is built from str(f) unless a
    budget runs out), and m = 1000 steps with unrelated denominators against
    m = 1000 dyadic ones (target <= 3x).

symequi is timed with its memo of walked expressions emptied before each run
(``node_kinds``), as a first call on a new expression.
"""

from __future__ import annotations

import random

import sympy
from flint import fmpq, fmpq_poly

from benchmarks._timing import best_of, row
from symequi.core.exact import node_kinds
from symequi.functions.continuous import heaviside, x
from symequi.functions import sympy_integrals
from symequi.functions.discretize import CellAverage
from symequi.functions.grid import Grid


#: The target text of the rows that double N.
LINEAR_DOUBLING = "ratio <= 2.3 (log-log slope <= 1.2: linear in N, plus a fixed conversion cost)"


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


def _step_data(expr: sympy.Expr) -> list[tuple[fmpq, fmpq]]:
    """``(breakpoint, weight)`` of every ``weight * heaviside(x - breakpoint)`` term."""
    data = []
    for term in expr.args:
        weight, step = term.as_coeff_Mul()
        cond = step.args[0].cond                 # Piecewise((1, x > b), (0, True))
        data.append((fmpq(int(cond.rhs.p), int(cond.rhs.q)), fmpq(int(weight.p), int(weight.q))))
    return data


def _flint_steps_baseline(data: list[tuple[fmpq, fmpq]], n: int) -> fmpq_poly:
    """Cell averages on n cells of [-1, 1] of sum w H(x - b): the antiderivative
    F(t) = sum_{b < t} w (t - b), evaluated at the sorted edges by one merge, differenced."""
    steps = sorted(data)
    a, dx = fmpq(-1), fmpq(2, n)
    values, slope, value, last, k = [], fmpq(0), fmpq(0), a, 0
    for j in range(n + 1):
        edge = a + j * dx
        while k < len(steps) and steps[k][0] < edge:
            b, w = steps[k]
            value += slope * (b - last)
            slope += w
            last = b
            k += 1
        value += slope * (edge - last)
        last = edge
        values.append(value)
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


def _uncached(fn):
    """``fn`` with symequi's memos (walked expressions, ``node_kinds``; sympy's integrals)
    emptied first, so a repeated timing does the work again as a first call does."""
    def run():
        node_kinds.cache_clear()
        sympy_integrals.forget()
        return fn()
    return run


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
        best_of(_uncached(lambda: CellAverage(grid)(f))),
        "flint integral, evaluate at edges",
        best_of(lambda: _flint_baseline(f, n)),
        "ratio <= 1.5", 1.5,
    ))

    # (b) per cell, against sympy.integrate per cell
    n_small = 100 // scale if quick else 100
    small = Grid(-1, 1, n_small)
    ours_s = best_of(_uncached(lambda: CellAverage(small)(f))) / small.size   # the same N on both sides
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

    # (c) steps: O(N + m) scaling (best of 7: each run is tens of ms); doubling N may cost 2**1.2 = 2.3x (log-log slope 1.2, the bound
    # for linear rows: a strictly linear cost sits at 2.0, and the shared machine's noise above it)
    n_c = 100_000 // scale
    base_steps = _steps(rng, 100)
    more_steps = _steps(rng, 200)
    CellAverage(Grid(-1, 1, 10))(base_steps)  # warm sympy's caches before timing
    CellAverage(Grid(-1, 1, 10))(more_steps)
    t_half = best_of(_uncached(lambda: CellAverage(Grid(-1, 1, n_c // 2))(base_steps)), repeat=7)
    t_base = best_of(_uncached(lambda: CellAverage(Grid(-1, 1, n_c))(base_steps)), repeat=7)
    rows.append(row(f"CellAverage sum of 100 steps, N={n_c}", t_base,
                    f"same sum, N={n_c // 2}", t_half, LINEAR_DOUBLING, 2 ** 1.2))
    t_double = best_of(_uncached(lambda: CellAverage(Grid(-1, 1, 2 * n_c))(base_steps)), repeat=7)
    rows.append(row(f"CellAverage sum of 100 steps, N={2 * n_c}", t_double,
                    f"same sum, N={n_c}", t_base, LINEAR_DOUBLING, 2 ** 1.2))
    t_many = best_of(_uncached(lambda: CellAverage(Grid(-1, 1, n_c))(more_steps)))
    rows.append(row(f"CellAverage sum of 200 steps, N={n_c}", t_many,
                    f"100 steps, N={n_c}", t_base, "ratio <= 2.2 (linear in m)", 2.2))
    mixed = _steps(rng, 100, dyadic=False)
    t_mixed = best_of(_uncached(lambda: CellAverage(Grid(-1, 1, n_c))(mixed)))
    rows.append(row(f"100 steps, unrelated denominators, N={n_c}", t_mixed,
                    f"100 dyadic steps, N={n_c}", t_base,
                    "ratio <= 3 (within 3x of dyadic)", 3.0))

    # (d) many steps: against raw flint, and unrelated denominators against dyadic ones
    m_many = 10_000 // scale
    many = _steps(rng, m_many)
    data = _step_data(many)
    grid_c = Grid(-1, 1, n_c)
    assert CellAverage(grid_c)(many).flat_poly() == _flint_steps_baseline(data, n_c)
    t_ours = best_of(_uncached(lambda: CellAverage(grid_c)(many)))
    rows.append(row(f"CellAverage sum of {m_many} steps, N={n_c}", t_ours,
                    "raw flint cumulative evaluation", best_of(lambda: _flint_steps_baseline(data, n_c)),
                    "ratio <= 2", 2.0))
    m_mixed = 1000 // scale
    dyadic_1000 = _steps(rng, m_mixed)
    mixed_1000 = _steps(rng, m_mixed, dyadic=False)
    assert CellAverage(grid_c)(mixed_1000).flat_poly() == _flint_steps_baseline(_step_data(mixed_1000), n_c)
    rows.append(row(f"{m_mixed} steps, unrelated denominators, N={n_c}",
                    best_of(_uncached(lambda: CellAverage(grid_c)(mixed_1000))),
                    f"{m_mixed} dyadic steps, N={n_c}", best_of(_uncached(lambda: CellAverage(grid_c)(dyadic_1000))),
                    "ratio <= 3 (within 3x of dyadic)", 3.0))
    return rows
