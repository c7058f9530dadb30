"""Converting user values to exact numbers, at the edge of every public API.

Exact values are ``int``, :class:`fractions.Fraction`, python-flint ``fmpq``
and ``fmpz``, sympy numbers and expressions, and strings such as ``'1/10'`` or
``'0.1'`` (read as the decimal you typed).  Python floats are refused: the
float ``0.1`` is not one tenth.  :func:`from_float` converts a float's exact
binary value when that is what you mean.

Example
-------
>>> from symequi.exact import to_rational, from_float
>>> to_rational('0.1', 'delta')
1/10
>>> from_float(0.5)
1/2
>>> to_rational(0.1, 'delta')
Traceback (most recent call last):
...
symequi.errors.InexactInputError: delta=0.1 is a Python float, which is not exact. Pass a string such as '0.1' or a Fraction (Fraction('0.1') == 1/10), or convert the float's exact binary value explicitly with symequi.from_float(0.1) (== 3602879701896397/36028797018963968).
"""

from __future__ import annotations

import numbers
import operator
from fractions import Fraction
from typing import Any

import flint
import sympy

from .errors import InexactInputError, InvalidArgumentError

__all__ = [
    "to_exact",
    "to_rational",
    "to_fmpq",
    "from_float",
    "is_rational",
    "fmpq_to_sympy",
    "sympy_to_fmpq",
    "positive_int",
]


def _float_message(name: str, value: float) -> str:
    exact = Fraction(float(value))
    return (
        f"{name}={value!r} is a Python float, which is not exact. Pass a string "
        f"such as '{value!r}' or a Fraction (Fraction('{value!r}') == "
        f"{Fraction(repr(float(value)))}), or convert the float's exact binary value "
        f"explicitly with symequi.from_float({value!r}) (== {exact})."
    )


def from_float(value: float) -> sympy.Rational:
    """The exact rational value of a binary floating-point number.

    Use it when a float really is the datum (a pixel value read from a file,
    a weight from a trained network): the result is the number the float
    stores, not the decimal it prints as.

    >>> from_float(0.1)
    3602879701896397/36028797018963968
    >>> from_float(-2.0)
    -2
    """
    if isinstance(value, sympy.Float):
        value = float(value)
    try:
        frac = Fraction(float(value))
    except (TypeError, ValueError, OverflowError) as err:
        raise InvalidArgumentError(
            f"value={value!r} is not a finite float; from_float converts finite floats only"
        ) from err
    return sympy.Rational(frac.numerator, frac.denominator)


def _is_inexact(value: Any) -> bool:
    if isinstance(value, (float, complex, sympy.Float)):
        return True
    if isinstance(value, sympy.Basic) and value.has(sympy.Float):
        return True
    # numpy floating scalars that are not Python floats (float32, float16, longdouble)
    return (
        isinstance(value, numbers.Real)
        and not isinstance(value, numbers.Rational)
        and not isinstance(value, sympy.Basic)
    )


def to_exact(value: Any, name: str = "value") -> sympy.Expr:
    """Convert ``value`` to an exact sympy expression, refusing floats.

    >>> to_exact('1/3', 'a')
    1/3
    >>> to_exact('sqrt(2)/2', 'a')
    sqrt(2)/2
    """
    if isinstance(value, bool):
        raise InvalidArgumentError(f"{name}={value!r} is a bool; pass an int such as {int(value)}")
    if _is_inexact(value):
        raise InexactInputError(_float_message(name, float(value) if not isinstance(value, complex) else value))
    if isinstance(value, sympy.Basic):
        if not isinstance(value, sympy.Expr):
            raise InvalidArgumentError(
                f"{name}={value!r} is a {type(value).__name__}, not a number or expression"
            )
        return value
    if isinstance(value, int):
        return sympy.Integer(value)
    if isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    if isinstance(value, flint.fmpq):
        return sympy.Rational(int(value.p), int(value.q))
    if isinstance(value, flint.fmpz):
        return sympy.Integer(int(value))
    if isinstance(value, str):
        return _parse_string(value, name)
    try:  # numpy integers and other integral types
        return sympy.Integer(operator.index(value))
    except TypeError:
        pass
    if isinstance(value, numbers.Rational):
        return sympy.Rational(int(value.numerator), int(value.denominator))
    raise InvalidArgumentError(
        f"{name}={value!r} of type {type(value).__name__} is not an exact number; "
        "pass an int, a Fraction, a string such as '1/3', or a sympy expression"
    )


def _parse_string(text: str, name: str) -> sympy.Expr:
    try:
        frac = Fraction(text.strip())
    except (ValueError, ZeroDivisionError):
        pass
    else:
        return sympy.Rational(frac.numerator, frac.denominator)
    try:
        expr = sympy.sympify(text, rational=True, strict=False)
    except (sympy.SympifyError, SyntaxError, TypeError) as err:
        raise InvalidArgumentError(f"{name}={text!r} is not a number or expression sympy can read") from err
    if not isinstance(expr, sympy.Expr):
        raise InvalidArgumentError(f"{name}={text!r} does not denote a number or expression")
    return expr


def to_rational(value: Any, name: str = "value") -> sympy.Rational:
    """Convert ``value`` to a sympy Rational, refusing floats and irrationals.

    >>> to_rational(Fraction(3, 6), 'kernel[0]')
    1/2
    """
    expr = to_exact(value, name)
    if not expr.is_Rational:
        raise InvalidArgumentError(
            f"{name}={value!r} is not a rational number; this argument must be rational"
        )
    return expr


def to_fmpq(value: Any, name: str = "value") -> flint.fmpq:
    """Convert ``value`` to a python-flint ``fmpq`` (the fast exact rational).

    >>> to_fmpq('-3/4', 'x')
    -3/4
    """
    if isinstance(value, flint.fmpq):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return flint.fmpq(value)
    return sympy_to_fmpq(to_rational(value, name))


def is_rational(value: Any) -> bool:
    """True for exact rational values (int, Fraction, fmpq, sympy Rational)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, Fraction, flint.fmpq, flint.fmpz)):
        return True
    return isinstance(value, sympy.Basic) and bool(getattr(value, "is_Rational", False))


def fmpq_to_sympy(value: flint.fmpq) -> sympy.Rational:
    """``fmpq`` to sympy ``Rational`` (exact)."""
    return sympy.Rational(int(value.p), int(value.q))


def sympy_to_fmpq(value: sympy.Rational) -> flint.fmpq:
    """sympy ``Rational`` to ``fmpq`` (exact)."""
    return flint.fmpq(int(value.p), int(value.q))


def positive_int(value: Any, name: str) -> int:
    """Check that ``value`` is an integer >= 1 and return it as ``int``.

    >>> positive_int(4, 'n')
    4
    """
    if isinstance(value, bool) or _is_inexact(value):
        raise InvalidArgumentError(f"{name}={value!r} must be a positive integer (an int such as 4)")
    try:
        number = operator.index(value)
    except TypeError:
        if isinstance(value, sympy.Basic) and value.is_Integer:
            number = int(value)
        else:
            raise InvalidArgumentError(
                f"{name}={value!r} must be a positive integer (an int such as 4)"
            ) from None
    if number < 1:
        raise InvalidArgumentError(f"{name}={value!r} must be >= 1")
    return int(number)
