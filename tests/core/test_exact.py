"""Exact conversion at the door: symequi/exact.py.

Expectations are written by hand or computed with ``fractions.Fraction``
(independent exact arithmetic); nothing is compared with a tolerance.
"""

from decimal import Decimal
from fractions import Fraction

import flint
import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from symequi.core.errors import InexactInputError, InvalidArgumentError, SymequiError
from symequi.core.exact import (
    fmpq_to_sympy,
    from_float,
    is_rational,
    positive_int,
    sympy_to_fmpq,
    to_exact,
    to_fmpq,
    to_rational,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3, sympy.Integer(3)),
        (-7, sympy.Integer(-7)),
        (np.int64(5), sympy.Integer(5)),
        (np.int8(-3), sympy.Integer(-3)),
        (np.uint16(9), sympy.Integer(9)),
        (Fraction(3, 6), sympy.Rational(1, 2)),
        (flint.fmpq(-2, 8), sympy.Rational(-1, 4)),
        (flint.fmpz(12), sympy.Integer(12)),
        (sympy.Rational(2, 3), sympy.Rational(2, 3)),
        ("1/10", sympy.Rational(1, 10)),
        ("0.1", sympy.Rational(1, 10)),
        ("1e-3", sympy.Rational(1, 1000)),
        (" -2.5 ", sympy.Rational(-5, 2)),
        ("sqrt(2)", sympy.sqrt(2)),
        ("sqrt(2)/2", sympy.sqrt(2) / 2),
        ("0.1 + 2*I", sympy.Rational(1, 10) + 2 * sympy.I),
        (Decimal("0.1"), sympy.Rational(1, 10)),
    ],
)
def test_to_exact_accepts_exact_values(value, expected):
    result = to_exact(value, "v")
    assert isinstance(result, sympy.Expr)
    assert result == expected


def test_to_exact_keeps_sympy_expressions_and_parses_symbols():
    a = sympy.Symbol("a")
    assert to_exact(a**2 + 1, "f") == a**2 + 1
    # names other than x and y become symbols only where the caller allows them
    assert to_exact("a**2 + 1/3", "f", symbols=True) == a**2 + sympy.Rational(1, 3)
    assert to_exact("0.5*a", "f", symbols=["a"]) == a / 2  # decimals in strings read exactly
    with pytest.raises(InvalidArgumentError, match="f='a\\*\\*2 \\+ 1/3' uses the name 'a'"):
        to_exact("a**2 + 1/3", "f")


@pytest.mark.parametrize(
    "value",
    [0.1, np.float32(0.1), np.float64(0.1), np.float16(0.5), sympy.Float("0.1"), np.longdouble("0.25")],
)
def test_to_exact_refuses_real_floats_showing_both_ways_out(value):
    with pytest.raises(InexactInputError) as info:
        to_exact(value, "delta")
    message = str(info.value)
    assert message.startswith("delta=")
    assert "Fraction(" in message  # way out 1: a string or a Fraction
    assert "symequi.from_float(" in message  # way out 2: the exact binary value
    # the error is part of the family and still a ValueError/TypeError for callers
    assert isinstance(info.value, SymequiError)
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, TypeError)


def test_float_message_quotes_the_exact_binary_value():
    with pytest.raises(InexactInputError) as info:
        to_exact(0.1, "delta")
    message = str(info.value)
    assert "'0.1'" in message
    assert "== 1/10" in message
    assert "3602879701896397/36028797018963968" in message
    with pytest.raises(InexactInputError) as info32:
        to_exact(np.float32(0.1), "h")
    # float32(0.1) stores 13421773 / 2**27 (hand: round(0.1 * 2**27) = 13421773)
    assert "13421773/134217728" in str(info32.value)
    assert "numpy float32" in str(info32.value)
    assert "'0.1'" in str(info32.value)


@pytest.mark.parametrize("value", [1 + 2j, np.complex64(1 + 0.5j), complex(0, 1)])
def test_to_exact_refuses_complex_showing_both_ways_out(value):
    with pytest.raises(InexactInputError) as info:
        to_exact(value, "z")
    message = str(info.value)
    assert message.startswith("z=")
    assert "*I'" in message  # a string way out
    assert "from_float(z.real)" in message and "from_float(z.imag)" in message


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan")])
def test_to_exact_refuses_non_finite_floats(value):
    with pytest.raises(InexactInputError, match="not a finite number"):
        to_exact(value, "a")


def test_to_exact_refuses_expressions_with_floats():
    x = sympy.Symbol("x")
    with pytest.raises(InexactInputError) as info:
        to_exact(sympy.Float("0.5") * x + 1, "f")
    message = str(info.value)
    assert message.startswith("f=")
    assert "'x/2 + 1'" in message  # an exact spelling to type instead
    assert "from_float" in message  # or the exact binary values


@pytest.mark.parametrize("value", [True, False, np.bool_(True)])
def test_to_exact_refuses_bools(value):
    with pytest.raises(InvalidArgumentError, match="flag"):
        to_exact(value, "flag")


@pytest.mark.parametrize("value", [None, [1, 2], object(), "1/0", "x +* 2", sympy.Eq(sympy.Symbol("a"), 1)])
def test_to_exact_refuses_non_numbers_naming_the_argument(value):
    with pytest.raises(InvalidArgumentError) as info:
        to_exact(value, "kernel[2]")
    assert "kernel[2]" in str(info.value)


def test_from_float_is_the_exact_binary_value():
    # 0.1 is stored as the nearest double: 3602879701896397 / 2**55
    assert from_float(0.1) == sympy.Rational(3602879701896397, 2**55)
    assert 2**55 == 36028797018963968
    assert from_float(0.5) == sympy.Rational(1, 2)
    assert from_float(-2.0) == -2
    assert from_float(np.float32(0.1)) == sympy.Rational(13421773, 2**27)
    assert from_float(sympy.Float(0.1)) == sympy.Rational(3602879701896397, 2**55)
    # longdouble keeps its extra bits (no detour through a double)
    ld = np.longdouble(1) / np.longdouble(3)
    p, q = ld.as_integer_ratio()
    assert from_float(ld) == sympy.Rational(p, q)


@settings(max_examples=50, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_from_float_agrees_with_fraction(value):
    frac = Fraction(value)  # Python's exact conversion, independent of sympy
    assert from_float(value) == sympy.Rational(frac.numerator, frac.denominator)


@pytest.mark.parametrize("value", [float("inf"), float("nan"), "abc", None, True])
def test_from_float_refuses_non_floats(value):
    with pytest.raises(InvalidArgumentError):
        from_float(value)


def test_to_rational_refuses_irrationals_and_floats():
    assert to_rational("2/4", "c") == sympy.Rational(1, 2)
    with pytest.raises(InvalidArgumentError, match=r"c='sqrt\(2\)' is not a rational number"):
        to_rational("sqrt(2)", "c")
    with pytest.raises(InvalidArgumentError, match="c="):
        to_rational(sympy.Symbol("a"), "c")
    with pytest.raises(InexactInputError):
        to_rational(0.25, "c")


def test_to_fmpq_round_trips_with_sympy():
    assert to_fmpq("-3/4", "v") == flint.fmpq(-3, 4)
    assert to_fmpq(5, "v") == flint.fmpq(5)
    value = flint.fmpq(7, 9)
    assert to_fmpq(value, "v") is value
    assert fmpq_to_sympy(flint.fmpq(-7, 9)) == sympy.Rational(-7, 9)
    assert sympy_to_fmpq(sympy.Rational(22, 7)) == flint.fmpq(22, 7)
    with pytest.raises(InvalidArgumentError):
        to_fmpq(True, "v")
    with pytest.raises(InexactInputError):
        to_fmpq(0.5, "v")


@settings(max_examples=50, deadline=None)
@given(st.fractions())
def test_fraction_sympy_fmpq_round_trip(value):
    expected = sympy.Rational(value.numerator, value.denominator)
    assert to_exact(value, "v") == expected
    assert to_exact(str(value), "v") == expected  # "p/q" strings read exactly
    q = to_fmpq(value, "v")
    assert (int(q.p), int(q.q)) == (value.numerator, value.denominator)
    assert fmpq_to_sympy(q) == expected


def test_is_rational():
    assert is_rational(3) and is_rational(Fraction(1, 3)) and is_rational(flint.fmpq(1, 2))
    assert is_rational(sympy.Rational(1, 2))
    assert not is_rational(True)
    assert not is_rational(0.5)
    assert not is_rational(sympy.sqrt(2))


def test_positive_int():
    assert positive_int(4, "n") == 4
    assert positive_int(np.int32(4), "n") == 4
    assert positive_int(sympy.Integer(4), "n") == 4
    for bad in (0, -1):
        with pytest.raises(InvalidArgumentError, match=r"n=.* must be >= 1"):
            positive_int(bad, "n")
    for bad in (2.0, True, "4", Fraction(1, 2), None):
        with pytest.raises(InvalidArgumentError, match=r"n=.* must be a positive integer"):
            positive_int(bad, "n")


def test_from_float_takes_floats_only_and_never_rounds_an_exact_value():
    import flint
    import numpy as np

    from symequi.core.exact import from_float

    assert from_float(np.float32(0.1)) == sympy.Rational(13421773, 134217728)  # float32's 0.1, by hand: 0xCCCCCD / 2^27
    for exact in (flint.fmpq(1, 3), 1, np.int64(3), Fraction(1, 3)):
        with pytest.raises(InvalidArgumentError, match="not a float"):
            from_float(exact)


def test_exponential_towers_are_refused_at_the_door_before_anything_evaluates_them():
    # exp(exp(exp(100))) has about 10**(10**43) digits: sympy's printer and mpmath would run for
    # hours on it; the door refuses the innermost exponent over max_exponent (exp(100) ~ 2.69e43)
    import sympy

    from symequi.core.exact import to_exact

    tower = sympy.exp(sympy.exp(sympy.exp(100))) - 1
    with pytest.raises(InvalidArgumentError, match=r"value=.*takes exp of about 2\.69e\+43, over the limit max_exponent"):
        to_exact(tower, "value")
    with pytest.raises(InvalidArgumentError, match="takes Pow of about 2.69e"):
        to_exact(sympy.Integer(2) ** sympy.exp(100), "value")
    assert to_exact(sympy.exp(100), "value") == sympy.exp(100)        # an exponent under the limit is fine
    assert to_exact(sympy.exp(sympy.Symbol("x")), "value") == sympy.exp(sympy.Symbol("x"))


def test_node_kinds_agree_with_sympy_atoms():
    # the one-walk memo against sympy's own traversal (atoms), on expressions with nested
    # powers, exp-like functions, steps, bound symbols and numbers that are not visited into
    from symequi.core.exact import node_kinds

    t, u = sympy.symbols("t u")
    exprs = [
        sympy.exp(sympy.sinh(t) ** 2) + sympy.sqrt(2) * sympy.Heaviside(t - sympy.Rational(1, 3), 0),
        sympy.Add(*[sympy.Heaviside(t - sympy.Rational(k, 7), 0) * k for k in range(1, 40)]),
        sympy.Integral(sympy.cosh(u) * t ** u, (u, 0, 1)) + sympy.Pow(3, sympy.pi, evaluate=False),
        sympy.Piecewise((t ** 3, t < 1), (sympy.exp(-t), True)),
    ]
    for e in exprs:
        kinds = node_kinds(e)
        assert set(kinds.growth) == e.atoms(sympy.Pow, sympy.exp, sympy.sinh, sympy.cosh), e
        assert kinds.symbols == e.atoms(sympy.Symbol), e
        assert kinds.heavisides == e.atoms(sympy.Heaviside), e


def test_towers_of_small_powers_are_refused_by_their_digits():
    # each exponent is under max_exponent, the number is not: ((10**9999)**9999)**9999 has about
    # 10**12 digits (a hand count: 9999**3 zeros); text input is refused the same way by the parser
    from symequi.core.errors import InvalidArgumentError

    ten = sympy.Pow(10, 9999, evaluate=False)
    tower = sympy.Pow(sympy.Pow(ten, 9999, evaluate=False), 9999, evaluate=False)
    in_a_sum = sympy.Add(sympy.Mul(tower, sympy.Symbol("t"), evaluate=False), 1, evaluate=False)  # no tower built
    for value in (tower, sympy.Pow(sympy.Integer(10) ** 9999, 9999, evaluate=False), in_a_sum):
        with pytest.raises(InvalidArgumentError, match=r"digits in a power, over the limit max_digits"):
            to_exact(value, "f", symbols=True)
    assert to_exact(sympy.Pow(2, 5000, evaluate=False), "f").doit() == 2 ** 5000     # 1506 digits: within the limit
