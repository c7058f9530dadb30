"""Generated elementary integrands (tests/soundness/integrands.py): CellAverage never returns
a wrong number.

For each generated integrand on a concrete grid of 1-4 cells, CellAverage either

* returns real values equal to mpmath's tanh-sinh quadrature of the independently written
  mpmath integrand (both at 60 digits), or
* raises IntegrationError naming a cell -- required when the integral diverges (a
  ``1/(x - p)`` term with ``p`` on the domain), allowed otherwise only as a refusal
  (counted: certification failed, which is incomplete but not unsound).

Tolerances: tanh-sinh converges double-exponentially for integrands analytic on the
closed cell (poles at distance >= 1/100 of it), so at 60 digits the reference is good
to far better than ``1e-40`` relative, and the comparison uses ``1e-40``; at an integrable
endpoint singularity (``log``, ``sqrt`` of 0 on a domain end) it still converges but
with some digits lost to cancellation near the end, so ``1e-25`` there (the existing
fixed cases see about 28 digits).  The reference must also report an error estimate
100 times below the tolerance, or the case fails as a bad reference (never silently).
A wrong branch (``i pi log 2``, a sign, a dropped ``Li2`` term) is off by far more.
"""

from __future__ import annotations

import re

import mpmath
import pytest
import sympy
from hypothesis import given, settings

from symequi.core.errors import IntegrationError
from symequi.functions.discretize import CellAverage
from tests.soundness.counts import INTEGRALS
from tests.soundness.integrands import R, Family, Term, families

#: Examples per run (derandomized in CI: the "ci" profile in tests/conftest.py).
EXAMPLES = 30
CELL = re.compile(r"cell \d+ = \[")


def tolerance(family: Family, lo: sympy.Rational, hi: sympy.Rational) -> mpmath.mpf:
    """``1e-25`` on a cell touching an integrable endpoint singularity, else ``1e-40``."""
    return mpmath.mpf(10) ** (-25 if family.singular_ends() & {lo, hi} else -40)


def assert_equals_reference(family: Family, lo: sympy.Rational, hi: sympy.Rational, value: sympy.Expr,
                            what: str) -> None:
    """``value`` (the average over ``[lo, hi]``) is real and equals mpmath's quadrature."""
    with mpmath.workdps(60):
        exact, error = family.reference(lo, hi)
        tol = tolerance(family, lo, hi) * max(1, abs(exact))
        assert error < tol / 100, f"bad reference for {what}: quad's error estimate {error}"
        real, imag = (mpmath.mpf(str(part)) for part in sympy.N(value, 60).as_real_imag())
        assert abs(imag) <= mpmath.mpf(10) ** -45 * max(1, abs(real)), \
            f"{what}: complex value {value} for a real integrand (imaginary part {imag})"
        assert abs(real - exact) <= tol, f"{what}: {value} = {real}, but mpmath gives {exact}"


@settings(max_examples=EXAMPLES, deadline=None)
@given(families(max_terms=2))
def test_generated_cell_averages_are_right_or_refused(case: tuple) -> None:
    family, grid = case
    f = family.sympy_expr()
    try:
        values = CellAverage(grid)(f).flat_exprs()
    except IntegrationError as err:
        assert CELL.search(str(err)), f"the refusal does not name a cell: {err}"
        INTEGRALS["divergent" if family.divergent() else "refused"] += 1
        return
    assert not family.divergent(), f"{f} diverges on {grid!r} (pole {family.pole()}), yet got {values}"
    for j, value in enumerate(values):
        lo, hi = grid.cell(j)
        assert_equals_reference(family, lo, hi, value, f"cell {j} of {grid!r} for f={f}")
        INTEGRALS["checked"] += 1


def test_the_check_catches_wrong_numbers() -> None:
    """The comparison itself can fail: a wrong branch, a complex value and a value off in the
    30th digit are all caught, the exact value passes (hand computation: the average of
    log(x + 2) over [0, 1] is 3 log 3 - 2 log 2 - 1)."""
    family = Family(R(0), R(1), [Term("log", R(1), (R(1), R(2)))])
    right = 3 * sympy.log(3) - 2 * sympy.log(2) - 1
    assert_equals_reference(family, R(0), R(1), right, "exact")
    for wrong in (right + sympy.I * sympy.pi, right - 2 * sympy.log(2), right + R(1, 10**30)):
        with pytest.raises(AssertionError):
            assert_equals_reference(family, R(0), R(1), wrong, "wrong")
