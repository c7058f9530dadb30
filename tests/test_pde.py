"""Tests for symequi.pde: expectations derived by hand or by a different algorithm."""

from fractions import Fraction

import pytest
import sympy

from symequi import Grid, Signal, heaviside, x
from symequi.core.errors import InvalidArgumentError
from symequi.pde import (
    amplification_factor,
    exact_cell_averages,
    exact_solution,
    lax_wendroff,
    modal_solution,
    run_scheme,
    upwind,
)

R = sympy.Rational


def test_polynomial_cell_averages_by_hand():
    # (x - 1/4)^2 averaged over [0, 1/2] and [1/2, 1]: 2*[(x-1/4)^3/3] = 1/48 and 13/48.
    u = exact_cell_averages(x**2, Grid(0, 1, 2), c=1, t=R(1, 4))
    assert u == Signal([R(1, 48), R(13, 48)])


def test_periodic_step_wraps_around():
    # H(x - 1/2) on [0, 1) moved right by 3/8 with wrap: 1 on [0, 3/8) and (7/8, 1).
    u = exact_cell_averages(heaviside(x - R(1, 2)), Grid(0, 1, 4), c=R(3, 4), t=R(1, 2), periodic=True)
    assert u == Signal([1, R(1, 2), 0, R(1, 2)])


def test_exact_solution_is_a_right_translation():
    assert exact_solution(x**3, c=2, t=R(1, 3)) == (x - R(2, 3)) ** 3


def test_upwind_with_unit_courant_number_is_the_integer_shift():
    assert run_scheme(upwind(1), Signal([1, 2, 3, 4]), 1) == Signal([4, 1, 2, 3])
    assert run_scheme(upwind(-1), Signal([1, 2, 3, 4]), 1) == Signal([2, 3, 4, 1])


def test_upwind_and_lax_wendroff_match_their_update_formulas():
    nu = Fraction(1, 3)
    u = [Fraction(v) for v in (0, 1, 4, 2, -3)]
    n = len(u)
    upw = [(1 - nu) * u[j] + nu * u[j - 1] for j in range(n)]
    lw = [u[j] - nu / 2 * (u[(j + 1) % n] - u[j - 1]) + nu**2 / 2 * (u[(j + 1) % n] - 2 * u[j] + u[j - 1])
          for j in range(n)]
    assert upwind("1/3")(Signal(u)).to_fractions() == upw
    assert lax_wendroff("1/3")(Signal(u)).to_fractions() == lw


def test_amplification_factor_of_lax_wendroff():
    theta, nu = sympy.symbols("theta nu", real=True)
    G = amplification_factor(lax_wendroff(nu), theta)
    # Textbook form: 1 - i nu sin(theta) - nu^2 (1 - cos(theta)).
    expected = 1 - sympy.I * nu * sympy.sin(theta) - nu**2 * (1 - sympy.cos(theta))
    assert sympy.simplify(sympy.expand_complex(G - expected)) == 0


@pytest.mark.parametrize("scheme", [upwind, lax_wendroff])
def test_modal_closed_form_matches_running_the_scheme(scheme):
    # Different algorithm: run the convolution exactly on exact cell averages of sin(2 pi x).
    n, nu, steps = 4, R(1, 2), 3
    grid = Grid(0, 1, n)
    step = scheme(nu)
    numerical = run_scheme(step, exact_cell_averages(sympy.sin(2 * sympy.pi * x), grid, c=1, t=0), steps)
    exact = exact_cell_averages(sympy.sin(2 * sympy.pi * x), grid, c=1, t=steps * nu * grid.dx)
    forms = modal_solution(step, length=1, n=n, steps=steps, courant=nu)
    j = sympy.Symbol("j", integer=True)
    for k in range(n):  # both sides evaluated to 50 digits by sympy (no global mpmath state touched)
        for key, values in (("numerical", numerical), ("exact", exact)):
            closed = sympy.N(forms[key].subs(j, k), 50)
            direct = sympy.N(values[k], 50)
            assert abs(closed - direct) < sympy.Float(10) ** -40, (key, k)


def test_upwind_error_at_half_courant_by_hand():
    # nu = 1/2: u_1 = (A sin(3 theta/2) + A sin(theta/2)) / 2 = A sin(theta) cos(theta/2), while the
    # exact average is A sin(theta), so the error is A sin(theta) (cos(theta/2) - 1).
    n = 8
    theta = 2 * sympy.pi / n
    A = n / sympy.pi * sympy.sin(sympy.pi / n)
    by_hand = A * sympy.sin(theta) * (sympy.cos(theta / 2) - 1)
    forms = modal_solution(upwind(R(1, 2)), length=1, n=n, steps=1, courant=R(1, 2))
    value = forms["error"].subs(sympy.Symbol("j", integer=True), 1)
    assert abs(sympy.N(value - by_hand, 50)) < sympy.Float(10) ** -40
    assert abs(sympy.N(by_hand, 20)) > sympy.Float(10) ** -2


def test_bad_arguments_are_refused_with_names():
    with pytest.raises(InvalidArgumentError, match="courant"):
        upwind(0.5)
    with pytest.raises(InvalidArgumentError, match="steps"):
        run_scheme(upwind(1), [1, 2], -1)
    with pytest.raises(InvalidArgumentError, match="c\\*t"):
        exact_solution(x, c=sympy.Symbol("c"), t=1, period=(0, 1))
    with pytest.raises(InvalidArgumentError, match=r"step=.*must be a symequi layer"):
        run_scheme(lambda u: u, [1, 2], 1)
    with pytest.raises(InvalidArgumentError, match="n=0 must be >= 1"):
        modal_solution(upwind(1), length=1, n=0, steps=1, courant=1)
    with pytest.raises(InvalidArgumentError, match="length=0 must be nonzero"):
        modal_solution(upwind(1), length=0, n=4, steps=1, courant=1)
    with pytest.raises(InvalidArgumentError, match="1-D single-channel"):
        amplification_factor(upwind(1).kernel)
