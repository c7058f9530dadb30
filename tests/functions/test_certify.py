"""Certified integrals (symequi/functions/certify.py): enclosures and closed forms against hand values."""

from __future__ import annotations

import mpmath
import pytest
import sympy

from symequi.core.errors import IntegrationError
from symequi.core.symbols import x
from symequi.functions.certify import cell_enclosure, certify_integral, check_closed_form

R = sympy.Rational


def test_enclosures_contain_the_hand_values_and_are_narrow():
    # by hand: int_0^pi sin = 2; int_0^1 x^2 = 1/3; int_0^1 exp(x) = e - 1 (mpmath at 50 digits)
    mpmath.mp.dps = 50
    for f, lo, hi, exact in ((sympy.sin(x), 0, sympy.pi, mpmath.mpf(2)), (x**2, 0, 1, mpmath.mpf(1) / 3),
                             (sympy.exp(x), 0, 1, mpmath.e - 1)):
        ball = cell_enclosure(f, x, lo, hi)
        assert ball is not None
        mid = mpmath.mpf(ball.real.mid().str(45, radius=False))
        rad = mpmath.mpf(ball.real.rad().str(10, radius=False))
        assert abs(mid - exact) <= rad + mpmath.mpf(10) ** -14 and rad < mpmath.mpf(10) ** -12


def test_certify_integral_accepts_the_right_value_and_refuses_others():
    # by hand: integral of 1/x over [1, 2] is log 2
    assert certify_integral(sympy.log(2), 1 / x, [(x, 1, 2)], cell="c") == sympy.log(2)
    for wrong in (sympy.log(3), sympy.log(2) + sympy.I * sympy.pi, sympy.log(2) + R(1, 10**15)):
        with pytest.raises(IntegrationError, match="disagrees with the certified enclosure"):
            certify_integral(wrong, 1 / x, [(x, 1, 2)], cell="c")


def test_a_finite_value_of_a_divergent_integral_is_refused():
    with pytest.raises(IntegrationError, match="diverges"):
        certify_integral(sympy.Integer(3), 1 / (x - R(1, 2)), [(x, 0, R(1, 2))], cell="cell 0",
                         singular=[R(1, 2)])


def test_a_wrong_closed_form_in_the_cell_index_is_caught():
    j = sympy.Symbol("j", integer=True)
    cells = [({j: k}, [(x, k, k + 1)], 1) for k in range(3)]
    # by hand: the integral of x over [j, j + 1] is j + 1/2
    assert check_closed_form(j + R(1, 2), x, cells, "F") == 3
    with pytest.raises(IntegrationError, match="is wrong at"):
        check_closed_form(j + 1, x, cells, "F")


@pytest.mark.parametrize("grid_args, f, cell", [
    ((0, 1, 4), 1 / (x - R(3, 8)), "j = 1"),     # 3/8 lies inside cell 1 = [1/4, 1/2]: diverges there
    ((0, 1, 4), 1 / (x - R(1, 2)), "j = 1"),     # on the edge of cells 1 and 2: both diverge
    ((-1, 1, 4), 1 / x, "j = 1"),                # the closed form is zoo at the cells touching 0
    ((-2, 2, 4), sympy.log(x), "j = 1"),         # log of the negative cells: nan in the closed form
])
def test_a_closed_form_on_a_concrete_grid_is_refused_where_a_cell_diverges(grid_args, f, cell):
    # Before: the singular cell was skipped and the closed form returned, giving e.g. -4 pi i at j = 1
    # for 1/(x - 3/8) (a divergent real integral).
    import symequi as se
    with pytest.raises(IntegrationError, match=cell):
        se.CellAverage(se.Grid(*grid_args)).closed_form(f)


def test_a_closed_form_on_a_concrete_grid_is_checked_at_every_cell():
    # sqrt(x) on Grid(0, 1, 4): the average over [j/4, (j+1)/4] is ((j+1)^(3/2) - j^(3/2))/3 by hand;
    # compared with mpmath quadrature at 50 digits at every cell
    import symequi as se
    form = se.CellAverage(se.Grid(0, 1, 4)).closed_form(sympy.sqrt(x))
    free = form.free_symbols
    assert len(free) == 1
    (index,) = free
    mpmath.mp.dps = 50
    for k in range(4):
        quad = 4 * mpmath.quad(mpmath.sqrt, [mpmath.mpf(k) / 4, mpmath.mpf(k + 1) / 4])
        assert abs(sympy.N(form.subs(index, k), 50) - sympy.Float(quad, 50)) < sympy.Float(10) ** -40
        assert sympy.simplify(form.subs(index, k) - (sympy.Integer(k + 1) ** R(3, 2) - sympy.Integer(k) ** R(3, 2)) / 3) == 0
