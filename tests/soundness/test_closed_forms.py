"""Closed forms in a symbolic cell index are right at every cell, or refused; and 2-D cells.

``CellAverage(grid).closed_form(f, j=J)`` is a formula in ``J``; on a concrete grid it is
evaluated here at every cell ``J = 0..n-1`` and compared with mpmath's quadrature of the
independently written integrand (tests/soundness/integrands.py) at 60 digits, with the
tolerances of test_generated_integrals.py.  A divergent cell must make it refuse
(IntegrationError); a convergent one may be refused only as a counted certification
failure.  The 2-D part compares cell values and closed forms on Grid x Grid with
mpmath's 2-D quadrature at 30 digits, for separable and non-separable integrands
analytic on the closed rectangle (tanh-sinh in each variable: 1e-25 relative is far
inside its accuracy there, and far outside any wrong branch; symequi's own 2-D
certificate is only about 9 digits, so this is the sharper check).
"""

from __future__ import annotations

import functools

import mpmath
import pytest
import sympy
from hypothesis import given, settings

from symequi.core.errors import IntegrationError
from symequi.functions.continuous import x, y
from symequi.functions.discretize import CellAverage
from symequi.functions.grid import Grid
from tests.soundness.counts import INTEGRALS
from tests.soundness.integrands import R, Family, Term, families, mp
from tests.soundness.test_generated_integrals import assert_equals_reference

#: Examples per run (derandomized in CI).
EXAMPLES = 4
J = sympy.Symbol("J", integer=True)
I2 = (sympy.Symbol("I", integer=True), sympy.Symbol("J", integer=True))


def check_closed(family: Family, grid: Grid) -> None:
    f = family.sympy_expr()
    try:
        form = CellAverage(grid).closed_form(f, j=J)
    except IntegrationError as err:
        assert "cell" in str(err), f"the refusal does not name a cell: {err}"
        INTEGRALS["closed divergent" if family.divergent() else "closed refused"] += 1
        return
    assert not family.divergent(), f"{f} diverges on {grid!r} (pole {family.pole()}), yet closed form {form}"
    for k in range(grid.size):
        lo, hi = grid.cell(k)
        assert_equals_reference(family, lo, hi, form.xreplace({J: k}), f"closed form {form} at J = {k} on {grid!r}")
        INTEGRALS["closed checked"] += 1


@settings(max_examples=EXAMPLES, deadline=None)
@given(families(max_terms=2))
def test_generated_closed_forms_are_right_or_refused(case: tuple) -> None:
    check_closed(*case)


FIXED = [  # (terms on [lo, hi], cells): a pole inside, on an inner edge, outside; Li2; near poles
    (R(0), R(1), [Term("pole", R(1), (R(1, 3),))], 2),
    (R(0), R(1), [Term("pole", R(2), (R(1, 2),)), Term("log", R(1), (R(1), R(1)))], 2),
    (R(0), R(1), [Term("pole", R(1), (R(1),))], 4),
    (R(0), R(1), [Term("pole", R(-1), (R(5, 4),)), Term("sin", R(1), (R(9),))], 4),
    (R(-1), R(1), [Term("lorentz", R(1), (R(0), R(1, 100)))], 4),
    (R(-1), R(1), [Term("li2", R(1), (R(3),)), Term("exp", R(1, 2), (R(-1),))], 2),
    (R(0), R(2), [Term("xsin", R(1), (R(7),)), Term("sqrt", R(1), (R(2), R(1)))], 3),
]


@pytest.mark.parametrize("lo, hi, terms, n", FIXED, ids=[str(Family(*c[:3]).sympy_expr()) for c in FIXED])
def test_fixed_closed_forms_are_right_or_refused(lo, hi, terms, n) -> None:
    check_closed(Family(lo, hi, terms), Grid(lo, hi, n))


# --------------------------------------------------------------------------------------
# 2-D rectangles
# --------------------------------------------------------------------------------------
RECTANGLES = [  # (sympy f, mpmath f, x grid, y grid)
    (x * y**2, lambda s, t: s * t**2, Grid(0, 1, 2), Grid(-1, 1, 2)),
    (sympy.exp(x) * sympy.sin(3 * y), lambda s, t: mpmath.exp(s) * mpmath.sin(3 * t), Grid(0, 1, 2), Grid(-1, 1, 2)),
    (1 / (1 + x + y), lambda s, t: 1 / (1 + s + t), Grid(0, 1, 1), Grid(0, 1, 2)),
    (sympy.exp(x * y), lambda s, t: mpmath.exp(s * t), Grid(0, 1, 2), Grid(0, 1, 1)),
]


@functools.cache
def rectangle_reference(case: int, box: tuple) -> mpmath.mpf:
    """The average of ``RECTANGLES[case]`` over ``box`` by mpmath's 2-D quadrature, 30 digits."""
    (a, b), (c, d) = box
    with mpmath.workdps(30):
        return mpmath.quad(RECTANGLES[case][1], [mp(a), mp(b)], [mp(c), mp(d)]) / (mp(b - a) * mp(d - c))


def assert_rectangle(case: int, box: tuple, value: sympy.Expr, what: str) -> None:
    exact = rectangle_reference(case, box)
    with mpmath.workdps(30):
        real, imag = (mpmath.mpf(str(part)) for part in sympy.N(value, 30).as_real_imag())
        assert abs(imag) <= mpmath.mpf(10) ** -25 * max(1, abs(real)), f"{what}: complex value {value}"
        assert abs(real - exact) <= mpmath.mpf(10) ** -25 * max(1, abs(exact)), f"{what}: {value} = {real}, mpmath {exact}"


@pytest.mark.parametrize("case", range(len(RECTANGLES)), ids=[str(c[0]) for c in RECTANGLES])
def test_rectangles_are_right_or_refused(case: int) -> None:
    f, _, gx, gy = RECTANGLES[case]
    grid = gx * gy
    try:
        values = CellAverage(grid)(f).flat_exprs()
    except IntegrationError as err:
        assert "cell" in str(err)
        INTEGRALS["refused"] += 1
    else:
        for k, value in enumerate(values):
            i, j = divmod(k, gy.size)
            assert_rectangle(case, grid.cell((i, j)), value, f"cell ({i}, {j}) of {grid!r} for f={f}")
            INTEGRALS["checked"] += 1
    try:
        form = CellAverage(grid).closed_form(f, j=I2)
    except IntegrationError as err:
        assert "cell" in str(err)
        INTEGRALS["closed refused"] += 1
        return
    for i in range(gx.size):
        for j in range(gy.size):
            assert_rectangle(case, grid.cell((i, j)), form.xreplace({I2[0]: i, I2[1]: j}),
                             f"closed form {form} at ({i}, {j}) of {grid!r}")
            INTEGRALS["closed checked"] += 1
