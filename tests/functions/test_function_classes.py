"""Function classes (symequi.functions.function_classes).

Translation matrices are checked against independent evaluations: Fraction
arithmetic for polynomials, mpmath at 50 digits for trigonometric ones, and
hand-derived rotation/shift matrices.
"""

from fractions import Fraction

import mpmath
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from symequi.functions.continuous import heaviside, x
from symequi.core.errors import InvalidArgumentError, NotClosedError
from symequi.functions.function_classes import FunctionClass, PiecewiseConstant, Polynomials, Span, TrigPolynomials

R = sympy.Rational
fractions = st.fractions(-3, 3, max_denominator=9)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 5), fractions, fractions)
def test_polynomial_translation_matrix_against_fractions(degree, delta, point):
    T = Polynomials(degree).translation_matrix(delta)
    # column j holds the coordinates of (x - delta)^j: evaluate both at `point` with Fractions
    for j in range(degree + 1):
        via_matrix = sum(Fraction(str(T[i, j])) * point**i for i in range(degree + 1))
        assert via_matrix == (point - delta) ** j


def test_polynomial_basics():
    P = Polynomials(2)
    assert P.basis == (1, x, x**2) and P.dimension == 3
    assert P.contains(3 * x**2 - x) is True
    assert P.contains(x**3) is False
    assert P.contains(sympy.sin(x) ** 2 + sympy.cos(x) ** 2) is True  # = 1
    assert P.contains(sympy.sin(x)) is False
    assert list(P.coordinates((x - 1) ** 2)) == [1, -2, 1]
    with pytest.raises(NotClosedError):
        P.coordinates(x**3)
    assert Polynomials(0).basis == (1,)
    s = sympy.Symbol("s")
    assert Polynomials(1).translation_matrix(s) == sympy.Matrix([[1, -s], [0, 1]])


def test_trig_translation_matrix_against_mpmath():
    mpmath.mp.dps = 50
    T = TrigPolynomials(3, 2)
    delta = R(2, 7)
    M = T.translation_matrix(delta)
    for point in (R(1, 3), R(-5, 4), R(9, 7)):
        for j, b in enumerate(T.basis):
            f = sympy.lambdify(x, b, "mpmath")
            expected = f(mpmath.mpf(point.p) / point.q - mpmath.mpf(delta.p) / delta.q)
            got = sum(sympy.lambdify(x, M[i, j] * T.basis[i], "mpmath")(mpmath.mpf(point.p) / point.q)
                      for i in range(T.dimension))
            assert abs(got - expected) < mpmath.mpf(10) ** -45


def test_trig_quarter_period_shift_is_a_hand_rotation():
    # period 4, shift 1 = a quarter period: cos(pi x/2) -> cos(pi (x-1)/2) = sin(pi x/2),
    # sin(pi x/2) -> sin(pi (x-1)/2) = -cos(pi x/2)
    T = TrigPolynomials(1, 4).translation_matrix(1)
    assert T == sympy.Matrix([[1, 0, 0], [0, 0, -1], [0, 1, 0]])


def test_trig_membership_and_coordinates():
    T = TrigPolynomials(2, 2 * sympy.pi)
    assert T.basis[1] == sympy.cos(x)
    assert T.contains(sympy.sin(x) ** 2) is True          # (1 - cos 2x)/2
    assert T.contains(sympy.sin(x) ** 3) is False         # has a sin(3x) component
    assert TrigPolynomials(3, 2 * sympy.pi).contains(sympy.sin(x) ** 3) is True
    assert T.contains(x) is False
    assert list(T.coordinates(sympy.sin(x) ** 2)) == [R(1, 2), 0, 0, R(-1, 2), 0]
    # cos(pi (x - 1/3)) = cos(pi x)/2 + (sqrt 3/2) sin(pi x)
    coords = TrigPolynomials(1, 2).coordinates(sympy.cos(sympy.pi * (x - R(1, 3))))
    assert list(coords) == [0, R(1, 2), sympy.sqrt(3) / 2]


def test_span_translation_closed_and_not_closed():
    s = sympy.Symbol("s", real=True)
    V = Span([sympy.sin(x), sympy.cos(x)])
    # sin(x - s) = cos(s) sin x - sin(s) cos x ; cos(x - s) = sin(s) sin x + cos(s) cos x
    T = V.translation_matrix(s)
    assert (T - sympy.Matrix([[sympy.cos(s), sympy.sin(s)], [-sympy.sin(s), sympy.cos(s)]])).applyfunc(
        sympy.simplify) == sympy.zeros(2, 2)
    assert Span([1, x]).translation_matrix(R(3, 2)) == sympy.Matrix([[1, R(-3, 2)], [0, 1]])
    steps = Span([1, heaviside(x - R(1, 4))])
    assert steps.translation_matrix(0) == sympy.eye(2)
    with pytest.raises(NotClosedError, match="not closed under translation"):
        steps.translation_matrix(R(1, 8))


def test_span_of_steps_membership():
    V = Span([heaviside(x), heaviside(x - R(1, 2))])
    assert V.contains(2 * heaviside(x) - heaviside(x - R(1, 2))) is True
    assert V.contains(heaviside(x - R(1, 4))) is False
    # H(x) + H(-x) differs from the constant 1 only at x = 0; 1 is not in the span
    assert Span([heaviside(x) + heaviside(-x)]).contains(1) is False


def test_span_validation():
    with pytest.raises(InvalidArgumentError, match="linearly dependent"):
        Span([x, 2 * x]).coordinates(x)
    with pytest.raises(InvalidArgumentError):
        Span([])
    with pytest.raises(InvalidArgumentError):
        Span(x)


def test_piecewise_constant_class():
    V = PiecewiseConstant([R(-1, 4)], (-1, 1))
    assert V.dimension == 2
    # right-closed pieces (-1, -1/4] and (-1/4, 1]
    assert [b.subs(x, R(-1, 4)) for b in V.basis] == [1, 0]
    assert [b.subs(x, -1) for b in V.basis] == [0, 0]
    assert V.contains(3 * heaviside(x + R(1, 4)) * (1 - heaviside(x - 1))) is True
    # H(1 - x) vanishes at x = 1, which belongs to the piece (-1/4, 1]: not in the class
    assert V.contains(3 * heaviside(x + R(1, 4)) * heaviside(1 - x)) is False
    assert V.contains(heaviside(x) * heaviside(1 - x)) is False
    assert V.translation_matrix(0) == sympy.eye(2)
    with pytest.raises(NotClosedError, match="support"):
        V.translation_matrix(R(1, 4))
    with pytest.raises(NotClosedError):
        V.translation_matrix(sympy.Symbol("s", positive=True))


@pytest.mark.parametrize("bad", [
    lambda: Polynomials(-1),
    lambda: Polynomials(1.0),
    lambda: TrigPolynomials(1, 0),
    lambda: TrigPolynomials(1, 0.5),
    lambda: PiecewiseConstant([R(1, 2), R(1, 4)], (0, 1)),
    lambda: PiecewiseConstant([2], (0, 1)),
    lambda: PiecewiseConstant([], (1, 0)),
])
def test_validation_errors(bad):
    with pytest.raises(InvalidArgumentError):
        bad()


def test_element_and_base_class():
    P = Polynomials(1)
    assert P.element([2, R(1, 2)]) == x / 2 + 2
    with pytest.raises(InvalidArgumentError):
        P.element([1])
    assert isinstance(P, FunctionClass)
