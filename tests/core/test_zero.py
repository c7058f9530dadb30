"""Exact zero tests and certified signs (symequi.core.zero).

Expectations come from known identities (nested radicals, the minimal
polynomial of cos(pi/7), Ramanujan's cube-root identity), hand reasoning, and
mpmath at 50 digits for signs.
"""

from fractions import Fraction

import mpmath
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from symequi.functions.continuous import heaviside, x
from symequi.core.errors import InexactInputError, InvalidArgumentError
from symequi.core.signal import Signal
from symequi.core.signal import is_zero_signal
from symequi.core.zero import certify_sign, is_zero, is_zero_function, rational_value, zero_test

sqrt, R = sympy.sqrt, sympy.Rational
NESTED = sqrt(5 + 2 * sqrt(6)) - sqrt(2) - sqrt(3)  # (sqrt2 + sqrt3)^2 = 5 + 2 sqrt6


def test_rationals_directly():
    assert is_zero(0) is True
    assert is_zero(Fraction(1, 3)) is False
    assert is_zero("0/7") is True
    assert is_zero(R(-2, 9)) is False


def test_floats_are_refused():
    with pytest.raises(InexactInputError):
        is_zero(0.0)


def test_nested_radical_is_zero_by_minimal_polynomial():
    verdict, reason = zero_test(NESTED)
    assert verdict is True
    assert "minimal polynomial" in reason


def test_nested_radical_plus_tiny_rational_is_nonzero():
    assert is_zero(NESTED + R(1, 10**40)) is False
    assert certify_sign(NESTED + R(1, 10**40)) == 1
    assert certify_sign(NESTED - R(1, 10**40)) == -1


def test_more_radical_identities():
    assert is_zero(sqrt(2 + sqrt(3)) - (sqrt(6) + sqrt(2)) / 2) is True
    # Ramanujan: cbrt(cbrt(2) - 1) = cbrt(1/9) - cbrt(2/9) + cbrt(4/9)
    cbrt = sympy.cbrt
    assert is_zero(cbrt(cbrt(2) - 1) - (cbrt(R(1, 9)) - cbrt(R(2, 9)) + cbrt(R(4, 9)))) is True


def test_cos_pi_over_7_identities():
    c = sympy.cos(sympy.pi / 7)
    # cos(pi/7) is a root of 8t^3 - 4t^2 - 4t + 1 (its minimal polynomial)
    assert is_zero(8 * c**3 - 4 * c**2 - 4 * c + 1) is True
    # the classical identity cos(pi/7) - cos(2pi/7) + cos(3pi/7) = 1/2
    identity = c - sympy.cos(2 * sympy.pi / 7) + sympy.cos(3 * sympy.pi / 7) - R(1, 2)
    assert is_zero(identity) is True
    assert is_zero(identity + R(1, 1000)) is False
    # cos(pi/7) = 0.9009688679... > 9/10 (mpmath at 50 digits agrees)
    mpmath.mp.dps = 50
    assert mpmath.cos(mpmath.pi / 7) > mpmath.mpf(9) / 10
    assert certify_sign(c - R(9, 10)) == 1


def test_pi_minus_355_over_113_certified_nonzero():
    expr = sympy.pi - R(355, 113)
    assert is_zero(expr) is False
    mpmath.mp.dps = 50
    expected = -1 if mpmath.pi < mpmath.mpf(355) / 113 else 1
    assert certify_sign(expr) == expected == -1


def test_e_and_log_signs():
    assert certify_sign(sympy.E - R(2718281828, 10**9)) == 1
    assert certify_sign(sympy.log(2) - R(693147, 10**6)) == 1  # log 2 = 0.6931471805...
    assert is_zero(sympy.log(2) + sympy.log(3) - sympy.log(6)) is True


def test_unsupported_function_is_undecided_not_false():
    verdict, reason = zero_test(sympy.besselj(0, 1))
    assert verdict is None
    assert "could not" in reason


def test_budget_exhaustion_is_undecided():
    assert is_zero(NESTED, budget=1e-4) is None


def test_symbolic_identities():
    a, b = sympy.symbols("a b")
    assert is_zero((a + b) ** 2 - a**2 - 2 * a * b - b**2) is True
    assert is_zero(a - 1) is False
    # a coefficient that is a disguised zero: needs the minimal polynomial, not expand
    assert is_zero(NESTED * a + NESTED * b**2) is True
    assert is_zero(NESTED * a + R(1, 10**30) * b) is False
    assert is_zero(sympy.sin(a) ** 2 + sympy.cos(a) ** 2 - 1) is True
    assert is_zero(sympy.sin(a)) is False


def test_certify_sign_refuses_symbols_and_non_real_numbers():
    with pytest.raises(InvalidArgumentError):
        certify_sign(sympy.Symbol("a"))
    with pytest.raises(InvalidArgumentError):
        certify_sign(1 + sympy.I)
    assert certify_sign(NESTED) == 0
    assert certify_sign(R(-3, 4)) == -1


def test_is_zero_signal():
    assert is_zero_signal(Signal([NESTED, 0])) is True
    assert is_zero_signal(Signal([sympy.pi - R(355, 113), 0])) is False
    assert is_zero_signal(Signal([0, 0, 0])) is True
    assert is_zero_signal(Signal([0, R(1, 7)])) is False
    with pytest.raises(InvalidArgumentError):
        is_zero_signal([0, 0])


def test_is_zero_function_respects_heaviside_at_zero():
    # H(x)^2 = H(x) everywhere, including H(0) = 0
    assert is_zero_function(heaviside(x) ** 2 - heaviside(x)) is True
    # H(x) + H(-x) - 1 is 0 except at x = 0, where it is 0 + 0 - 1 = -1
    assert is_zero_function(heaviside(x) + heaviside(-x) - 1) is False
    assert is_zero_function(heaviside(x - R(1, 3)) - heaviside(3 * x - 1)) is True
    assert is_zero_function(sympy.sin(x) ** 2 - (1 - sympy.cos(2 * x)) / 2) is True
    assert is_zero_function(x**2 - x) is False


@settings(max_examples=40, deadline=None)
@given(st.fractions(min_value=0, max_value=100, max_denominator=50))
def test_sqrt_squared_minus_value_is_zero(q):
    value = R(q.numerator, q.denominator)
    assert is_zero(sqrt(value) ** 2 - value) is True


@settings(max_examples=40, deadline=None)
@given(st.fractions(min_value=0, max_value=4, max_denominator=10**6))
def test_sign_of_sqrt2_minus_rational_matches_integer_comparison(q):
    # sqrt(2) is irrational, so sqrt(2) - q != 0; its sign is that of 2 - q^2 (exact Fractions)
    expected = 1 if q * q < 2 else -1
    value = sqrt(2) - R(q.numerator, q.denominator)
    assert is_zero(value) is False
    assert certify_sign(value) == expected


def test_rational_value_is_proved_not_guessed():
    # sin^2 + cos^2 = 1 at any argument; cos(pi/3) = 1/2; sqrt(2) and pi are irrational
    s = sympy.Rational(3, 7)
    assert rational_value(3 * sympy.sin(s) ** 2 + 3 * sympy.cos(s) ** 2) == 3
    assert rational_value(sympy.cos(sympy.pi / 3) + R(1, 3)) == R(5, 6)
    assert rational_value(sqrt(2)) is None
    assert rational_value(sympy.pi) is None
    # within 10^-20 of 1/3 but not equal: the exact test refuses the guess
    assert rational_value(R(1, 3) + sympy.exp(-50)) is None


def test_witness_points_respect_the_symbols_assumptions():
    # For imaginary t = i*b: |t|^2 = b^2 and t^2 = -b^2, so |t|^2 + t^2 = 0 for every
    # allowed t; a rational "witness" such as t = 50/13 is not allowed and proves nothing.
    t = sympy.Symbol("t", imaginary=True)
    assert is_zero(sympy.Abs(t) ** 2 + t**2) is not False
    # For even k = 2m: sin(pi m)^2 = 0 and exp(i pi m) = (-1)^m = cos(pi m)^3, so this
    # vanishes for every even k, yet is -2 at the odd k = 7.
    k = sympy.Symbol("k", even=True)
    half = sympy.pi * k / 2
    expr = sympy.sin(half) ** 2 + sympy.exp(sympy.I * half) - sympy.cos(half) ** 3
    assert is_zero(expr) is not False
    # adding 1 gives 1 at every even k: a genuine nonzero, found at an even point
    verdict, reason = zero_test(expr + 1)
    assert verdict is False
    point = int(reason.split("{k: ")[1].split("}")[0])
    assert point % 2 == 0


def test_a_branch_that_vanishes_on_its_piece_only_is_not_a_witness():
    # x + |x| is 0 for x < 0 (its piece) and 2x for x > 0 (outside it): the function is 0
    assert is_zero_function(sympy.Piecewise((x + sympy.Abs(x), x < 0), (0, True))) is not False
    # Heaviside(x - 5) (sympy's, a non-Piecewise step) is 0 on x < 1, so this is 0 too
    assert is_zero_function(sympy.Piecewise((sympy.Heaviside(x - 5), x < 1), (0, True))) is not False
    # on x < 6 it is 1 on (5, 6): nonzero, with a witness inside the piece
    assert is_zero_function(sympy.Piecewise((sympy.Heaviside(x - 5), x < 6), (0, True))) is False
    assert is_zero_function(sympy.Piecewise((x**2, x < 1), (0, True))) is False


def test_conditions_that_are_not_relations_are_undecided():
    # Contains(x, [0, 1]) switches at 0 and 1, which are not read as breakpoints
    indicator = sympy.Piecewise((1, sympy.Contains(x, sympy.Interval(0, 1))), (0, True))
    assert is_zero_function(indicator) is None


def test_piecewise_in_a_positive_symbol_is_tested_on_its_range_only():
    # for s > 0: (s + 3)(s - 2) < 0 iff s < 2, so the two pieces agree (they differ at s = -4)
    s = sympy.Symbol("s", positive=True)
    expr = sympy.Piecewise((s, (s + 3) * (s - 2) < 0), (0, True)) - sympy.Piecewise((s, s < 2), (0, True))
    assert is_zero(expr) is not False


def test_algebraic_multiples_of_powers_of_pi_are_decided_exactly():
    # By hand: cos(pi/4) = sqrt(2)/2, so sqrt(2)/pi - 2 cos(pi/4)/pi = 0, and
    # (sqrt(2) - 1)/pi**2 + 1/pi is a polynomial in 1/pi with nonzero algebraic coefficients.
    import sympy

    from symequi.core.zero import zero_test

    pi = sympy.pi
    verdict, reason = zero_test(sympy.sqrt(2) / pi - 2 * sympy.cos(pi / 4) / pi)
    assert verdict is True
    nested = sympy.sqrt(5 + 2 * sympy.sqrt(6)) - sympy.sqrt(2) - sympy.sqrt(3)
    assert zero_test(nested / pi + nested / pi**2)[0] is True
    assert zero_test((sympy.sqrt(2) - 1) / pi**2 + 1 / pi)[0] is False
