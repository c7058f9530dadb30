"""Cell integrals are certified, never trusted: a generated family of elementary integrands.

Every value CellAverage returns is compared with mpmath.quad at 50 digits, computed
here independently (the integrand is written again with mpmath functions); a divergent
integral must raise IntegrationError.  A convergent integral may be refused (sympy's
closed form picked a wrong branch and nothing certified replaced it) only where the
case says so; it is never answered with a wrong number.  The counts are printed in
the terminal summary of every run (tests/conftest.py).
"""

from __future__ import annotations

import mpmath
import pytest
import sympy
from sympy import Rational as R

from symequi.core.errors import IntegrationError
from symequi.functions.continuous import x
from symequi.functions.discretize import CellAverage
from symequi.functions.grid import Grid
from tests.soundness.counts import INTEGRALS

COUNTS = INTEGRALS  # printed by tests/conftest.py in the terminal summary


m = mpmath
# (name, sympy integrand, mpmath integrand, grids, expectation): "value" must be answered,
# "value-or-refused" may be refused, "divergent" must raise IntegrationError.
CASES = [
    ("log(x+2)", sympy.log(x + 2), lambda t: m.log(t + 2), [Grid(0, 1, 2), Grid(-1, 1, 3)], "value"),
    ("x log x", x * sympy.log(x), lambda t: t * m.log(t), [Grid(0, 1, 2)], "value"),
    ("log x at 0", sympy.log(x), lambda t: m.log(t), [Grid(0, 1, 2)], "value"),
    ("log(1+x^2)", sympy.log(1 + x**2), lambda t: m.log(1 + t**2), [Grid(-1, 2, 3)], "value"),
    ("log(1-x/3)/x (Li2)", sympy.log(1 - x / 3) / x, lambda t: m.log(1 - t / 3) / t,
     [Grid(R(1, 2), 1, 1)], "value-or-refused"),
    ("exp(x)/x (Ei)", sympy.exp(x) / x, lambda t: m.exp(t) / t, [Grid(1, 2, 2), Grid(-2, -1, 1)], "value"),
    ("exp(-x)/x (Ei)", sympy.exp(-x) / x, lambda t: m.exp(-t) / t, [Grid(R(1, 2), R(3, 2), 2)],
     "value-or-refused"),  # sympy answers with Ei(exp_polar(I*pi)), which is not evaluated
    ("1/(x^2+1/100) (poles near)", 1 / (x**2 + R(1, 100)), lambda t: 1 / (t**2 + m.mpf(1) / 100),
     [Grid(-1, 1, 2), Grid(0, 1, 3)], "value"),
    ("1/(x-2) (pole outside)", 1 / (x - 2), lambda t: 1 / (t - 2), [Grid(0, 1, 2)], "value"),
    ("sin(20x)", sympy.sin(20 * x), lambda t: m.sin(20 * t), [Grid(0, 1, 3), Grid(-1, 1, 2)], "value"),
    ("x cos(20x)", x * sympy.cos(20 * x), lambda t: t * m.cos(20 * t), [Grid(0, 1, 2)], "value"),
    ("sin(x)/x", sympy.sin(x) / x, lambda t: m.sin(t) / t if t else m.mpf(1), [Grid(-1, 1, 2)], "value"),
    ("sqrt(x)", sympy.sqrt(x), lambda t: m.sqrt(t), [Grid(0, 1, 2)], "value"),
    ("1/sqrt(x)", 1 / sympy.sqrt(x), lambda t: 1 / m.sqrt(t), [Grid(0, 1, 2)], "value"),
    ("sqrt(1-x^2)", sympy.sqrt(1 - x**2), lambda t: m.sqrt(1 - t**2), [Grid(-1, 1, 2)], "value"),
    ("1/(x-1/3) (pole inside)", 1 / (x - R(1, 3)), None, [Grid(0, 1, 2)], "divergent"),
    ("1/(x-1/2) (pole on an edge)", 1 / (x - R(1, 2)), None, [Grid(0, 1, 2)], "divergent"),
    ("1/x (pole on the grid end)", 1 / x, None, [Grid(0, 1, 2)], "divergent"),
    ("1/(x-1/2)^2", 1 / (x - R(1, 2)) ** 2, None, [Grid(0, 1, 3)], "divergent"),
    ("log(x)/x", sympy.log(x) / x, None, [Grid(0, 1, 2)], "divergent"),
    ("tan x (pole at pi/2)", sympy.tan(x), None, [Grid(0, 2, 2)], "divergent"),
]


def _reference(f, grid: Grid, j: int) -> mpmath.mpf:
    lo, hi = (mpmath.mpf(sympy.Rational(e).p) / sympy.Rational(e).q for e in grid.cell(j))
    return mpmath.quad(f, [lo, hi]) / (hi - lo)


@pytest.mark.parametrize("name, expr, reference, grids, expect", CASES, ids=[c[0] for c in CASES])
def test_cell_averages_are_certified(name, expr, reference, grids, expect):
    for grid in grids:
        if expect == "divergent":
            with pytest.raises(IntegrationError) as err:
                CellAverage(grid)(expr)
            assert "cell" in str(err.value)
            COUNTS["divergent"] += 1
            continue
        try:
            values = CellAverage(grid)(expr).flat_exprs()
        except IntegrationError as err:
            assert expect == "value-or-refused", f"{name} on {grid!r} was refused: {err}"
            assert "cell" in str(err)
            COUNTS["refused"] += 1
            continue
        with mpmath.workdps(50):
            for j, value in enumerate(values):
                assert sympy.im(sympy.N(value, 50)) == 0 or abs(sympy.N(sympy.im(value), 50)) < 1e-45, (name, value)
                exact = _reference(reference, grid, j)
                got = mpmath.mpf(str(sympy.N(sympy.re(value), 50)))
                # mpmath.quad is good to about 28 digits at an endpoint singularity
                assert abs(got - exact) <= mpmath.mpf(10) ** -25 * max(1, abs(exact)), (name, grid, j, value, exact)
                COUNTS["checked"] += 1


def test_the_quoted_example_is_never_a_wrong_number():
    # mpmath at 50 digits: the integral is real, about 0.2588709565...; sympy's closed form
    # -I*pi*log(3) + polylog(2, 3) - polylog(2, 4) + I*pi*log(4) has imaginary part 2 pi log(4/3)
    with mpmath.workdps(50):
        exact = mpmath.quad(lambda t: mpmath.log(t + 2) / (t + 3), [0, 1])
    assert abs(exact - mpmath.mpf("0.25887095653578")) < 1e-13
    f = sympy.log(x + 2) / (x + 3)
    try:
        (value,) = CellAverage(Grid(0, 1, 1))(f).flat_exprs()
    except IntegrationError as err:
        assert "cell 0 = [0, 1]" in str(err) and "wrong branch" in str(err)
        # nor does EQ-T turn the wrong branch into a finite PSNR
        from symequi.layers import Convolution
        from symequi.metrics import eq_t

        with pytest.raises(IntegrationError, match="cell 0"):
            eq_t(Convolution([1], padding="periodic"), f, 1, discretization=CellAverage(Grid(0, 1, 1)))
        return
    with mpmath.workdps(50):
        assert abs(mpmath.mpc(complex(sympy.N(value, 50))) - exact) < 1e-14

