"""Tests for symequi.arith.real_algebraic: exact real algebraic numbers.

Expectations come from hand computations written here, from sympy's own real
root finder (``sympy.Poly.real_roots``, an independent algorithm), from sympy's
radical arithmetic, and from mpmath at 50 significant digits.
"""

from __future__ import annotations

from fractions import Fraction

import mpmath
import pytest
import sympy
from flint import fmpq, fmpq_poly
from hypothesis import given, settings
from hypothesis import strategies as st

from symequi.core.errors import InexactInputError, InvalidArgumentError
from symequi.arith.real_algebraic import (
    RealAlgebraic,
    compare,
    fmpq_poly_from_sympy,
    rational_between,
    real_roots,
    sign_at,
    sort_distinct,
    value_at,
)

R = sympy.Rational
t = sympy.Symbol("t")
DPS = 50
TOL = mpmath.mpf(10) ** -40


def mp(value: sympy.Expr) -> mpmath.mpf:
    """``value`` to 50 significant digits (sympy's evalf, then mpmath)."""
    return mpmath.mpf(str(sympy.N(value, DPS)))


def poly(*coeffs) -> fmpq_poly:
    """An fmpq_poly from coefficients, lowest degree first."""
    return fmpq_poly([fmpq(Fraction(c).numerator, Fraction(c).denominator) for c in coeffs])


def as_expr(p: fmpq_poly) -> sympy.Expr:
    return sum((R(int(c.p), int(c.q)) * t**i for i, c in enumerate(p.coeffs())), sympy.Integer(0))


# --- construction ---------------------------------------------------------------------------------
def test_rationals_by_hand():
    assert RealAlgebraic("3/4").exact == fmpq(3, 4)
    assert RealAlgebraic(Fraction(-2, 6)).to_sympy() == R(-1, 3)
    assert RealAlgebraic.rational(fmpq(5, 2)).exact == fmpq(5, 2)
    assert RealAlgebraic.rational("7/3").is_rational
    # not automatically simplified by sympy, but rational: (sqrt 2 + 1)^2 - 2 sqrt 2 = 3
    three = RealAlgebraic((sympy.sqrt(2) + 1) ** 2 - 2 * sympy.sqrt(2))
    assert three.is_rational and three.exact == 3


def test_irrational_located_by_hand():
    r = RealAlgebraic(1 - sympy.sqrt(2) / 2)  # root of t^2 - 2t + 1/2, the smaller one
    assert not r.is_rational
    assert r.poly == poly(R(1, 2), -2, 1)
    assert r.lo < fmpq(1, 2) - fmpq(1, 5) and r.lower() == r.lo and r.upper() == r.hi
    assert r.lo < r.hi and r.poly(r.lo) * r.poly(r.hi) < 0
    assert r.to_sympy() == 1 - sympy.sqrt(2) / 2
    cube = RealAlgebraic(sympy.root(2, 3))
    assert cube.poly == poly(-2, 0, 0, 1)
    assert isinstance(cube.to_sympy(), sympy.CRootOf)
    with mpmath.workdps(DPS):
        assert abs(mp(cube.to_sympy()) - mpmath.cbrt(2)) < TOL


def test_refine_halves_and_keeps_the_number():
    r = RealAlgebraic(sympy.sqrt(3))
    for _ in range(30):
        width = r.hi - r.lo
        r.refine()
        assert r.hi - r.lo == width / 2
        assert r.lo * r.lo < 3 < r.hi * r.hi  # still isolates sqrt(3), by hand
    assert r.to_sympy() == sympy.sqrt(3)
    q = RealAlgebraic("1/3")
    q.refine()
    assert q.exact == fmpq(1, 3)


def test_construction_refuses_what_is_not_an_exact_real():
    with pytest.raises(InexactInputError):
        RealAlgebraic(0.5)
    with pytest.raises(InvalidArgumentError, match="exact real"):
        RealAlgebraic(sympy.Symbol("a"))
    with pytest.raises(InvalidArgumentError, match="exact real"):
        RealAlgebraic(1 + sympy.I, name="delta_value")


# --- real roots: against sympy.Poly.real_roots and mpmath -------------------------------------------
def test_real_roots_by_hand():
    assert [r.to_sympy() for r in real_roots(poly(0, -1, 0, 1))] == [-1, 0, 1]  # t^3 - t
    golden = [r.to_sympy() for r in real_roots(poly(-1, -1, 1))]  # t^2 - t - 1
    assert golden == [(1 - sympy.sqrt(5)) / 2, (1 + sympy.sqrt(5)) / 2]
    # (t - 1/2)^2 (t^2 - 2)(t^2 + 1): distinct roots only, complex ones dropped
    p = poly(-R(1, 2), 1) ** 2 * poly(-2, 0, 1) * poly(1, 0, 1)
    assert [r.to_sympy() for r in real_roots(p)] == [-sympy.sqrt(2), R(1, 2), sympy.sqrt(2)]
    assert real_roots(poly(1, 0, 1)) == [] and real_roots(poly(5)) == [] and real_roots(fmpq_poly()) == []


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(-6, 6), min_size=2, max_size=6).filter(lambda c: c[-1] != 0))
def test_real_roots_agree_with_sympy(coeffs):
    p = poly(*coeffs)
    ours = real_roots(p)
    theirs = sorted(set(sympy.Poly(list(reversed(coeffs)), t).real_roots()), key=lambda r: mp(r))
    assert len(ours) == len(theirs)
    with mpmath.workdps(DPS):
        for r, s in zip(ours, theirs):
            assert abs(mp(r.to_sympy()) - mp(s)) < TOL
            assert r.lower() <= r.upper()
            assert mp(fmpq_to_sym(r.lower())) <= mp(s) + TOL and mp(s) <= mp(fmpq_to_sym(r.upper())) + TOL
        for a, b in zip(ours, ours[1:]):
            assert compare(a, b) == -1


def fmpq_to_sym(q: fmpq) -> sympy.Rational:
    return R(int(q.p), int(q.q))


# --- order ---------------------------------------------------------------------------------------
def test_compare_by_hand():
    sqrt2 = RealAlgebraic(sympy.sqrt(2))
    # 665857/470832 is a continued-fraction convergent of sqrt 2: 665857^2 - 2 * 470832^2 = 1 > 0
    assert 665857**2 - 2 * 470832**2 == 1
    assert compare(sqrt2, RealAlgebraic(R(665857, 470832))) == -1
    assert compare(RealAlgebraic(R(665857, 470832)), sqrt2) == 1
    assert 275807**2 - 2 * 195025**2 == -1  # the next convergent lies below sqrt 2
    assert compare(sqrt2, RealAlgebraic(R(275807, 195025))) == 1
    assert compare(sqrt2, RealAlgebraic(sympy.root(3, 3))) == -1  # 2^3 = 8 < 3^2 = 9
    # the same number built two ways (same minimal polynomial): equal
    assert compare(RealAlgebraic(sympy.sqrt(8) / 2), sqrt2) == 0
    assert compare(real_roots(poly(-2, 0, 1))[1], sqrt2) == 0
    assert compare(real_roots(poly(-2, 0, 1))[0], sqrt2) == -1
    assert compare(RealAlgebraic(2), RealAlgebraic("2")) == 0


@settings(max_examples=40, deadline=None)
@given(st.fractions(min_value=Fraction(1, 30), max_value=50, max_denominator=30),
       st.fractions(min_value=Fraction(1, 30), max_value=50, max_denominator=30))
def test_compare_square_roots_is_monotone(a, b):
    # sqrt is increasing on the positive reals: sign(sqrt a - sqrt b) = sign(a - b)
    ra = RealAlgebraic(sympy.sqrt(R(a.numerator, a.denominator)))
    rb = RealAlgebraic(sympy.sqrt(R(b.numerator, b.denominator)))
    expected = (a > b) - (a < b)
    assert compare(ra, rb) == expected
    assert compare(rb, ra) == -expected
    # sqrt a > a iff a < 1
    assert compare(ra, RealAlgebraic(R(a.numerator, a.denominator))) == (a < 1) - (a > 1)


def test_sort_distinct_by_hand():
    values = [RealAlgebraic(2), RealAlgebraic(sympy.sqrt(2)), RealAlgebraic("2"), RealAlgebraic(-sympy.sqrt(2)),
              RealAlgebraic(sympy.sqrt(8) / 2)]
    ordered = sort_distinct(values)
    assert [r.to_sympy() for r in ordered] == [-sympy.sqrt(2), sympy.sqrt(2), 2]
    assert ordered[1] is values[1] and ordered[2] is values[0]  # the first object of each value is kept
    assert sort_distinct([]) == []


def test_rational_between_by_hand():
    sqrt2, three_halves = RealAlgebraic(sympy.sqrt(2)), RealAlgebraic("3/2")
    q = rational_between(sqrt2, three_halves)
    assert 2 < q * q and q < fmpq(3, 2)
    q = rational_between(RealAlgebraic(-sympy.sqrt(2)), sqrt2)
    assert q * q < 2
    assert rational_between(RealAlgebraic(0), RealAlgebraic(1)) == fmpq(1, 2)
    with pytest.raises(InvalidArgumentError, match="smaller"):
        rational_between(three_halves, sqrt2)
    with pytest.raises(InvalidArgumentError, match="RealAlgebraic"):
        rational_between(0, sqrt2)


# --- polynomials at algebraic numbers ---------------------------------------------------------------
def test_sign_and_value_by_hand():
    sqrt2 = RealAlgebraic(sympy.sqrt(2))
    assert sign_at(poly(-2, 0, 1), sqrt2) == 0
    assert sign_at(poly(-1, 1), sqrt2) == 1
    assert sign_at(poly(-3, 2), sqrt2) == -1  # 2 sqrt 2 = sqrt 8 < 3
    assert sign_at(poly(R(-3, 2)), sqrt2) == -1 and sign_at(fmpq_poly(), sqrt2) == 0
    assert sign_at(poly(-1, 0, 3), RealAlgebraic("1/3")) == -1  # 3/9 - 1
    assert value_at(poly(1, 0, 0, 1), sqrt2) == 1 + 2 * sympy.sqrt(2)  # 1 + 2 sqrt 2
    assert value_at(poly(-2, 0, 1), sqrt2) == 0
    assert value_at(poly(1, 1), RealAlgebraic("1/3")) == R(4, 3)
    assert value_at(fmpq_poly(), RealAlgebraic("1/3")) == 0
    cube = RealAlgebraic(sympy.root(2, 3))
    assert value_at(poly(0, 0, 0, 1), cube) == 2  # (2^(1/3))^3 reduced mod t^3 - 2
    assert sign_at(poly(-R(126, 100), 1), cube) == -1  # 2^(1/3) = 1.2599...
    with pytest.raises(InvalidArgumentError, match="fmpq_poly"):
        sign_at([1, 2], sqrt2)
    with pytest.raises(InvalidArgumentError, match="RealAlgebraic"):
        value_at(poly(1, 1), sympy.sqrt(2))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(-9, 9), min_size=1, max_size=6), st.integers(2, 30).filter(lambda n: n not in (4, 9, 16, 25)))
def test_sign_and_value_agree_with_radical_arithmetic(coeffs, n):
    c = RealAlgebraic(sympy.sqrt(n))
    p = poly(*coeffs)
    expected = sympy.expand(as_expr(p).subs(t, sympy.sqrt(n)))  # sympy's radical arithmetic
    assert sympy.expand(value_at(p, c) - expected) == 0
    with mpmath.workdps(DPS):
        numeric = mp(expected)
        if expected == 0:
            assert sign_at(p, c) == 0
        else:
            assert abs(numeric) > TOL
            assert sign_at(p, c) == (1 if numeric > 0 else -1)


def test_fmpq_poly_from_sympy():
    assert fmpq_poly_from_sympy(sympy.Poly(R(1, 2) * t**2 - 3, t)) == poly(-3, 0, R(1, 2))
    assert fmpq_poly_from_sympy(sympy.Poly(0, t)) == fmpq_poly()
    with pytest.raises(InvalidArgumentError, match="rational coefficients"):
        fmpq_poly_from_sympy(sympy.Poly(sympy.sqrt(2) * t, t))
    with pytest.raises(InvalidArgumentError, match="univariate"):
        fmpq_poly_from_sympy(t**2)
