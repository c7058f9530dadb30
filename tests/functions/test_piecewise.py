"""Tests for symequi.functions.piecewise: conversion, evaluation, exact integrals.

Expected values come from sympy evaluating the original expression
(an independent algorithm) or from mpmath quadrature at 50 digits.
"""

from fractions import Fraction

import mpmath
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from symequi.functions.continuous import heaviside, x, y
from symequi.core.errors import InvalidArgumentError
from symequi.functions.piecewise import PiecewisePolynomial

R = sympy.Rational


def _sympy_value(expr, point):
    return expr.subs(x, point)


def _mpf(value):
    return mpmath.mpf(int(value.p)) / int(value.q)


POINTS = [R(k, 4) for k in range(-12, 13)] + [R(1, 3), R(-2, 7)]


@pytest.mark.parametrize(
    "expr",
    [
        R(3, 2),
        x**3 - R(1, 3) * x + 2,
        (x - 1) ** 4,
        heaviside(x),
        heaviside(2 * x - 1),
        heaviside(1 - 3 * x),
        sympy.Heaviside(x - R(1, 2), 0),
        sympy.Piecewise((x**2, x > 1), (1, x >= 0), (-x, True)),
        sympy.Piecewise((1, x <= R(1, 3)), (0, True)),
        sympy.Piecewise((1, x < -1), (2, x <= 1), (3, True)),
        sympy.Piecewise((5, sympy.Eq(x, 1)), (x, True)),
        sympy.Piecewise((5, sympy.Ne(x, 1)), (x, True)),
        sympy.Piecewise((x, (x > 0) & (x < 1)), (0, True)),
        sympy.Piecewise((1, (x < -1) | (x >= 2)), (0, True)),
        sympy.Piecewise((1, sympy.Not(x > 0)), (0, True)),
        sympy.Piecewise((7, True)),
        heaviside(x) * heaviside(1 - x) * x**2,
        (heaviside(x) + x) ** 3,
        sympy.Abs(2 * x - 1),
        3 * heaviside(x) - heaviside(x - 1) * (x + 2),
    ],
)
def test_conversion_matches_sympy_pointwise(expr):
    pp = PiecewisePolynomial.from_expr(expr, x)
    assert pp is not None
    for p in POINTS:
        assert pp(p) == _sympy_value(expr, p), (expr, p)


def test_heaviside_value_at_zero_is_zero():
    pp = PiecewisePolynomial.from_expr(heaviside(x), x)
    assert pp.breakpoints == (0,)
    assert pp(0) == 0 and pp(R(-1, 10)) == 0 and pp(R(1, 10)) == 1


def test_sympy_heaviside_with_half_is_refused_with_advice():
    with pytest.raises(InvalidArgumentError) as err:
        PiecewisePolynomial.from_expr(sympy.Heaviside(x) + x, x)
    text = str(err.value)
    assert "Heaviside(0) = 1/2" in text and "symequi.heaviside" in text and "Heaviside(x, 0)" in text


@pytest.mark.parametrize(
    "expr",
    [sympy.sin(x), sympy.exp(x), 1 / x, heaviside(x - sympy.sqrt(2)), x * y,
     sympy.Piecewise((1, x > 0)), sympy.sqrt(2) * x, heaviside(x**2 - 1), x ** R(1, 2)],
)
def test_outside_the_class_gives_none(expr):
    assert PiecewisePolynomial.from_expr(expr, x) is None


def test_removable_breakpoints_are_dropped():
    expr = sympy.Piecewise((x, x < 1), (x, True))
    assert PiecewisePolynomial.from_expr(expr, x).breakpoints == ()
    assert PiecewisePolynomial.from_expr(heaviside(x) - heaviside(x), x).breakpoints == ()


def test_sum_of_many_steps_counts_steps():
    # f(p) = number of k in 0..199 with p > k/7: independent count below
    expr = sympy.Add(*[heaviside(x - R(k, 7)) for k in range(200)])
    pp = PiecewisePolynomial.from_expr(expr, x)
    assert len(pp.breakpoints) == 200
    for p in [R(-1), R(0), R(1, 100), R(3, 7), R(50, 3), R(1000)]:
        expected = sum(1 for k in range(200) if p > Fraction(k, 7))
        assert pp(p) == expected


def test_at_sorted_merges_and_checks_order():
    pp = PiecewisePolynomial.from_expr(heaviside(x) * (x + 1) + heaviside(x - 1), x)
    pts = [R(-2), R(0), R(1, 2), R(1), R(3, 2)]
    assert pp.at_sorted(pts) == [0, 0, R(3, 2), 2, R(7, 2)]
    with pytest.raises(InvalidArgumentError, match="sorted"):
        pp.at_sorted([1, 0])


def test_cumulative_by_hand():
    # integral from -1 of H(x) * x: 0 for p <= 0, p^2/2 after
    phi = PiecewisePolynomial.from_expr(heaviside(x) * x, x).cumulative(-1)
    assert phi.at_sorted([-1, 0, R(1, 2), 2]) == [0, 0, R(1, 8), 2]
    assert PiecewisePolynomial.polynomial([0, 0, 3]).integral(1, 2) == 7


def test_uniform_samples_and_averages_by_hand():
    step = PiecewisePolynomial.from_expr(heaviside(x - R(1, 4)), x)
    # points -1/2, -1/4, 0, 1/4, 1/2: the value at 1/4 is H(0) = 0
    assert step.uniform_samples(R(-1, 2), R(1, 4), 5) == [0, 0, 0, 0, 1]
    # cells of width 1/2 from -1: [-1,-1/2], [-1/2,0], [0,1/2], [1/2,1]; the third is half covered
    assert step.uniform_cell_averages(-1, R(1, 2), 4) == [0, 0, R(1, 2), 1]


def test_to_sympy_round_trip_pointwise():
    expr = sympy.Piecewise((x**2, x > 1), (1, x >= 0), (-x, True))
    back = PiecewisePolynomial.from_expr(expr, x).to_sympy(x)
    for p in POINTS:
        assert back.subs(x, p) == expr.subs(x, p)


def test_bad_constructor_arguments_are_named():
    with pytest.raises(InvalidArgumentError, match="strictly increasing"):
        PiecewisePolynomial([1, 0], [0, 1, 2], [0, 0])
    with pytest.raises(InvalidArgumentError, match="pieces"):
        PiecewisePolynomial([0], [0], [0])
    with pytest.raises(InvalidArgumentError, match="step"):
        PiecewisePolynomial.constant(1).uniform_samples(0, 0, 3)
    for bad in (0, -2, 2.0):
        with pytest.raises(InvalidArgumentError, match="n="):
            PiecewisePolynomial.constant(1).uniform_cell_averages(0, 1, bad)
    with pytest.raises(InvalidArgumentError, match="exponent=-1 must be a non-negative int"):
        PiecewisePolynomial.constant(1) ** -1


fractions = st.fractions(min_value=-3, max_value=3, max_denominator=12)


@st.composite
def step_polynomials(draw):
    """A random rational combination of polynomials times steps: (sympy expression, step positions)."""
    terms, cuts = [], []
    for _ in range(draw(st.integers(1, 4))):
        coeffs = draw(st.lists(fractions, min_size=1, max_size=4))
        poly = sum(R(c.numerator, c.denominator) * x**k for k, c in enumerate(coeffs))
        b = R(*draw(fractions).as_integer_ratio())
        cuts.append(b)
        terms.append(poly * heaviside(x - b))
    return sympy.Add(*terms), cuts


@settings(max_examples=30, deadline=None)
@given(step_polynomials(), fractions, fractions)
def test_integrals_match_mpmath(case, lo, hi):
    expr, steps = case
    lo, hi = sorted((R(lo.numerator, lo.denominator), R(hi.numerator, hi.denominator)))
    exact = PiecewisePolynomial.from_expr(expr, x).integral(lo, hi)
    with mpmath.workdps(50):
        fn = sympy.lambdify(x, expr.rewrite(sympy.Heaviside), modules="mpmath")
        # split the quadrature at the drawn step positions (known independently of symequi)
        cuts = [lo] + sorted({b for b in steps if lo < b < hi}) + [hi]
        reference = mpmath.quad(lambda t: fn(t), [_mpf(c) for c in cuts]) if lo < hi else mpmath.mpf(0)
        assert abs(_mpf(sympy.Rational(int(exact.p), int(exact.q))) - reference) < mpmath.mpf(10) ** -40


@settings(max_examples=30, deadline=None)
@given(step_polynomials(), st.lists(fractions, min_size=1, max_size=6))
def test_pointwise_values_match_sympy(case, points):
    expr, _ = case
    pp = PiecewisePolynomial.from_expr(expr, x)
    pts = sorted(R(p.numerator, p.denominator) for p in points)
    assert pp.at_sorted(pts) == [expr.subs(x, p) for p in pts]


def test_sums_of_weighted_steps_match_sympy_at_every_point():
    # the direct reading of weighted steps (repeated breakpoints, other relations, a constant
    # and a non-step term mixed in), checked against sympy's own evaluation of the sum
    half, third = sympy.Rational(1, 2), sympy.Rational(1, 3)
    f = (3 * heaviside(x - half) - 2 * heaviside(x - half) + sympy.Piecewise((5, x <= third), (1, True))
         + sympy.Rational(-1, 4) * sympy.Piecewise((2, x >= half), (0, True)) + x * heaviside(x) + 7)
    pp = PiecewisePolynomial.from_expr(f, x)
    for point in [-1, 0, sympy.Rational(1, 5), third, sympy.Rational(2, 5), half, 1]:
        assert pp(point) == f.subs(x, point)
    assert [Fraction(int(b.p), int(b.q)) for b in pp.breakpoints] == [0, Fraction(1, 3), Fraction(1, 2)]
