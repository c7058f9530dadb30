"""Interpolation kernels against hand formulas, sympy's own interpolation and mpmath."""

from fractions import Fraction

import mpmath
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from symequi.core.errors import InexactInputError, InvalidArgumentError
from symequi.translations.kernels import KeysCubicKernel, LagrangeKernel, LanczosKernel, LinearKernel

R = sympy.Rational
X = sympy.Symbol("X")
positions = st.fractions(min_value=-5, max_value=5, max_denominator=12).map(lambda f: R(f.numerator, f.denominator))


def keys_by_hand(x, a):
    ax = abs(x)
    if ax <= 1:
        return (a + 2) * ax**3 - (a + 3) * ax**2 + 1
    if ax < 2:
        return a * ax**3 - 5 * a * ax**2 + 8 * a * ax - 4 * a
    return 0


def lagrange_by_sympy(x, p):
    # The p+1 integers nearest x, ties going to the larger integer.
    candidates = sorted(range(int(sympy.floor(x)) - p - 2, int(sympy.ceiling(x)) + p + 3),
                        key=lambda i: (abs(i - x), -i))
    stencil = sorted(candidates[: p + 1])
    if 0 not in stencil:
        return 0
    poly = sympy.interpolate([(i, 1 if i == 0 else 0) for i in stencil], X)
    return sympy.expand(poly).subs(X, x)


def test_hand_values():
    assert LinearKernel()(R(1, 4)) == R(3, 4)
    assert LinearKernel()(R(-3, 4)) == R(1, 4)
    assert LinearKernel()(1) == 0 and LinearKernel()(0) == 1
    assert KeysCubicKernel()(R(1, 2)) == R(9, 16)
    assert KeysCubicKernel()(R(3, 2)) == R(-1, 16)
    assert LagrangeKernel(order=3)(R(1, 2)) == R(9, 16)
    assert LanczosKernel()(R(3, 2)) == -4 / (3 * sympy.pi**2)
    assert LanczosKernel()(R(1, 2)) == 6 / sympy.pi**2


@settings(max_examples=60, deadline=None)
@given(positions, st.sampled_from([R(-1, 2), R(-3, 4), R(-1)]))
def test_keys_matches_hand_formula(x, a):
    assert KeysCubicKernel(a=a)(x) == keys_by_hand(x, a)


@settings(max_examples=50, deadline=None)
@given(positions, st.integers(min_value=1, max_value=5))
def test_lagrange_matches_sympy_interpolation(x, p):
    assert LagrangeKernel(order=p)(x) == lagrange_by_sympy(x, p)


def test_lagrange_order_one_is_linear():
    for k in range(-12, 13):
        x = R(k, 5)
        assert LagrangeKernel(order=1)(x) == LinearKernel()(x)


@settings(max_examples=30, deadline=None)
@given(positions)
def test_lanczos_matches_mpmath(x):
    value = LanczosKernel()(x)
    with mpmath.workdps(50):
        xm = mpmath.mpf(x.p) / x.q
        expected = mpmath.sincpi(xm) * mpmath.sincpi(xm / 3) if abs(xm) < 3 else mpmath.mpf(0)
        assert abs(mpmath.mpf(sympy.N(value, 60)) - expected) < mpmath.mpf(10) ** -45


@pytest.mark.parametrize("kernel", [LinearKernel(), KeysCubicKernel(), LagrangeKernel(order=2),
                                    LagrangeKernel(order=3), LagrangeKernel(order=4)])
@pytest.mark.parametrize("s", [R(1, 3), R(1, 2), R(-7, 5), R(5, 2)])
def test_partition_of_unity(kernel, s):
    assert sum(kernel(m - s) for m in range(-8, 9)) == 1


@pytest.mark.parametrize("kernel", [LinearKernel(), KeysCubicKernel(), LagrangeKernel(order=4), LanczosKernel()])
def test_interpolating_at_integers(kernel):
    assert [kernel(k) for k in range(-4, 5)] == [1 if k == 0 else 0 for k in range(-4, 5)]


def test_formula_is_piecewise_in_x():
    f = KeysCubicKernel().formula()
    x = f.free_symbols.pop()
    assert f.subs(x, R(1, 2)) == R(9, 16)
    assert "x" in LinearKernel().latex()


def test_reproduction_degrees():
    assert LinearKernel().reproduces == 1
    assert KeysCubicKernel().reproduces == 2
    assert KeysCubicKernel(a="-3/4").reproduces == 0
    assert LagrangeKernel(order=5).reproduces == 5
    assert LanczosKernel().reproduces is None


def test_bad_arguments():
    with pytest.raises(InvalidArgumentError, match="order"):
        LagrangeKernel(order=0)
    with pytest.raises(InvalidArgumentError, match="order"):
        LagrangeKernel(order=Fraction(3, 2))
    with pytest.raises(InexactInputError, match="a=0.5"):
        KeysCubicKernel(a=0.5)
    with pytest.raises(InvalidArgumentError, match="rational"):
        KeysCubicKernel(a=sympy.sqrt(2))
    with pytest.raises(InexactInputError, match="x=0.25"):
        LinearKernel()(0.25)
    with pytest.raises(InvalidArgumentError, match="rational non-integer"):
        LanczosKernel().algebraic_part(1)
