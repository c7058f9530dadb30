"""Converting user values to exact numbers, at the edge of every public API.

Exact values are ``int``, :class:`fractions.Fraction`, python-flint ``fmpq``
and ``fmpz``, sympy numbers and expressions, and strings such as ``'1/10'`` or
``'0.1'`` (read as the decimal you typed) or ``'sqrt(2)/2'``; strings are read
by the one safe parser :func:`symequi.core.parse.parse_exact`, never
evaluated.  Python floats are refused: the
float ``0.1`` is not one tenth.  :func:`from_float` converts a float's exact
binary value when that is what you mean.

Example
-------
>>> from symequi.core.exact import to_rational, from_float
>>> to_rational('0.1', 'delta')
1/10
>>> from_float(0.5)
1/2
>>> to_rational(0.1, 'delta')
Traceback (most recent call last):
...
symequi.core.errors.InexactInputError: delta=0.1 is a Python float, which is not exact. Pass a string such as '0.1' or a Fraction (Fraction('0.1') == 1/10), or convert the float's exact binary value explicitly with symequi.from_float(0.1) (== 3602879701896397/36028797018963968).
"""

from __future__ import annotations

import decimal
import functools
import math
import numbers
import operator
from fractions import Fraction
from typing import Any, NamedTuple

import flint
import sympy

from .errors import InexactInputError, InvalidArgumentError
from .parse import Symbols, get_parse_limits, parse_exact
from .texts import brief

__all__ = [
    "to_exact",
    "node_kinds",
    "NodeKinds",
    "to_rational",
    "to_fmpq",
    "from_float",
    "is_rational",
    "fmpq_to_sympy",
    "as_sympy",
    "sympy_to_fmpq",
    "positive_int",
    "power_by_squaring",
]


def _float_message(name: str, value: Any) -> str:
    """The refusal message for an inexact ``value``, showing both ways out."""
    if isinstance(value, complex) or (
        isinstance(value, numbers.Complex) and not isinstance(value, (numbers.Real, sympy.Basic))
    ):
        z = complex(value)
        return (
            f"{name}={brief(value)} is a complex float, which is not exact. Pass a string "
            f"such as '{brief(z.real)} + {brief(z.imag)}*I' (read as the decimals you typed), or convert "
            f"the exact binary values of its parts explicitly with symequi.from_float({name}.real) "
            f"+ sympy.I*symequi.from_float({name}.imag)."
        )
    if isinstance(value, sympy.Basic) and not isinstance(value, sympy.Float):
        floats = sorted(value.atoms(sympy.Float), key=str)
        shown = ", ".join(brief(f, str) for f in floats)
        return (
            f"{name}={brief(value, str)} contains the float(s) {brief(shown, str)}, which are not exact. Write the "
            f"numbers exactly (a string such as '{brief(sympy.nsimplify(value, rational=True), str)}', or "
            "sympy.Rational), or convert the floats' exact binary values explicitly with "
            "expr.xreplace({f: symequi.from_float(f) for f in expr.atoms(sympy.Float)})."
        )
    if not math.isfinite(float(value)):
        return (
            f"{name}={brief(value)} is not a finite number; pass a finite exact value "
            "(an int, a Fraction, or a string such as '1/10')"
        )
    if type(value) is float:
        kind, decimal_text, call = "a Python float", repr(float(value)), repr(value)
    elif isinstance(value, sympy.Float):
        kind, decimal_text, call = "a sympy Float", repr(float(value)), name
    else:  # numpy float32, float16, longdouble, ...
        kind = f"a {brief(type(value).__module__.split('.')[0], str)} {type(value).__name__}"
        decimal_text, call = str(value), name
    exact = from_float(value)
    return (
        f"{name}={brief(decimal_text if call == name else call, str)} is {brief(kind, str)}, which is not exact. Pass "
        f"a string such as '{brief(decimal_text, str)}' or a Fraction (Fraction('{brief(decimal_text, str)}') == "
        f"{brief(Fraction(decimal_text), str)}), or convert the float's exact binary value "
        f"explicitly with symequi.from_float({brief(call, str)}) (== {brief(exact, str)})."
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
        if not value.is_finite:
            raise InvalidArgumentError(
                f"value={brief(value)} is not a finite float; from_float converts finite floats only"
            )
        return sympy.Rational(value)  # exact, at the Float's own precision
    if isinstance(value, bool):
        raise InvalidArgumentError(f"value={brief(value)} is a bool, not a float")
    if isinstance(value, str):
        raise InvalidArgumentError(
            f"value={brief(value)} is a string, not a float; exact APIs read the string itself exactly "
            f"(to_exact({brief(value)}) is the decimal you typed), or pass float({brief(value)}) here for its binary value"
        )
    if isinstance(value, numbers.Complex) and not isinstance(value, numbers.Real):
        raise InvalidArgumentError(
            f"value={brief(value)} is complex; convert its parts separately: "
            "from_float(value.real) + sympy.I*from_float(value.imag)"
        )
    numpy_float = type(value).__module__ == "numpy" and getattr(getattr(value, "dtype", None), "kind", "") == "f"
    if not (isinstance(value, float) or numpy_float):
        raise InvalidArgumentError(
            f"value={brief(value)} is a {type(value).__name__}, not a float: from_float converts the binary value "
            "of a float (Python or numpy floating). Exact values (ints, Fractions, fmpq, sympy numbers) need "
            "no conversion; use symequi.core.exact.to_exact(value)"
        )
    try:
        if hasattr(value, "as_integer_ratio") and not isinstance(value, (int, decimal.Decimal)):
            frac = Fraction(*value.as_integer_ratio())  # exact, also for numpy longdouble
        else:
            frac = Fraction(float(value))
    except (TypeError, ValueError, OverflowError) as err:
        raise InvalidArgumentError(
            f"value={brief(value)} is not a finite float; from_float converts finite floats only"
        ) from err
    return sympy.Rational(frac.numerator, frac.denominator)


def _is_inexact(value: Any) -> bool:
    if isinstance(value, (float, complex, sympy.Float)):
        return True
    if isinstance(value, sympy.Basic) and value.has(sympy.Float):
        return True
    # numpy floating and complex scalars that are not Python floats (float32, longdouble, ...)
    return (
        isinstance(value, numbers.Complex)
        and not isinstance(value, numbers.Rational)
        and not isinstance(value, sympy.Basic)
    )


def to_exact(value: Any, name: str = "value", *, symbols: Symbols = False) -> sympy.Expr:
    """Convert ``value`` to an exact sympy expression, refusing floats.

    Strings are read by :func:`symequi.core.parse.parse_exact` (never
    evaluated): numbers, ``+ - * / **``, the documented constants and
    functions, the coordinates ``x`` and ``y``; other names become symbols
    only with ``symbols=True`` (or a collection of allowed names).

    >>> to_exact('1/3', 'a')
    1/3
    >>> to_exact('sqrt(2)/2', 'a')
    sqrt(2)/2
    >>> to_exact('2*s', 's', symbols=True)
    2*s
    """
    if isinstance(value, bool):
        raise InvalidArgumentError(f"{name}={brief(value)} is a bool; pass an int such as {brief(int(value), str)}")
    if _is_inexact(value):
        raise InexactInputError(_float_message(name, value))
    if isinstance(value, sympy.Basic):
        if not isinstance(value, sympy.Expr):
            raise InvalidArgumentError(
                f"{name}={brief(value)} is a {type(value).__name__}, not a number or expression"
            )
        return _check_defined(_check_powers(value, name), name)
    if isinstance(value, int):
        return sympy.Integer(value)
    if isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    if isinstance(value, flint.fmpq):
        return fmpq_to_sympy(value)
    if isinstance(value, flint.fmpz):
        return sympy.Integer(int(value))
    if isinstance(value, str):
        return _check_defined(parse_exact(value, name=name, symbols=symbols), name)
    if isinstance(value, decimal.Decimal):  # an exact decimal
        if not value.is_finite():
            raise InvalidArgumentError(f"{name}={brief(value)} is not finite; pass a finite exact value")
        limit = get_parse_limits().max_exponent
        exponent = int(value.as_tuple().exponent)  # an int for finite values
        if abs(exponent) > limit:  # Fraction(Decimal('1E999999999')) would build 10**999999999
            raise InvalidArgumentError(
                f"{name}={brief(value)} has the decimal exponent {brief(exponent, str)}, over the limit "
                f"max_exponent={brief(limit, str)}; raise it with symequi.core.parse.parse_limits(max_exponent=...) "
                "if the input is trusted"
            )
        frac = Fraction(value)
        return sympy.Rational(frac.numerator, frac.denominator)
    try:  # numpy integers and other integral types
        return sympy.Integer(operator.index(value))
    except TypeError:
        pass
    if isinstance(value, numbers.Rational):
        return sympy.Rational(int(value.numerator), int(value.denominator))
    raise InvalidArgumentError(
        f"{name}={brief(value)} of type {type(value).__name__} is not an exact number; "
        "pass an int, a Fraction, a string such as '1/3', or a sympy expression"
    )


def _check_powers(expr: sympy.Expr, name: str) -> sympy.Expr:
    """Refuse an unevaluated power of a number whose exponent is over the parser's limit
    ``max_exponent`` (``sympy.Pow(10, 10**10, evaluate=False)``): the first arithmetic on it
    would build a number of 10**10 digits, as the text ``'10**10**10'`` would."""
    if expr.is_Atom:
        return expr
    limit = get_parse_limits().max_exponent
    growing = []
    for node in node_kinds(expr).growth:
        if not isinstance(node, sympy.Pow):
            if node.args[0].is_number:
                growing.append(node)
            continue
        base, exponent = node.as_base_exp()
        if exponent.is_Rational and base.is_number and max(abs(int(exponent.p)), int(exponent.q)) > limit:
            raise InvalidArgumentError(
                f"{name}={brief(expr, str)} raises {brief(base, str)} to the power {brief(exponent, str)}, over the "
                f"limit max_exponent={brief(limit, str)}; raise it with symequi.core.parse.parse_limits(max_exponent=...) "
                "if the input is trusted"
            )
        if not exponent.is_Rational and exponent.is_number:
            growing.append(node)
        elif exponent.is_Rational and base.is_number:
            digits = _digits(node)
            max_digits = get_parse_limits().max_digits
            if digits > max_digits:  # a tower ((10**9999)**9999)**9999: each exponent small, the number not
                raise InvalidArgumentError(
                    f"{name}={brief(expr, str)} makes a number of about {brief(int(digits), str)} digits in a power, "
                    f"over the limit max_digits={brief(max_digits, str)}; raise it with "
                    "symequi.core.parse.parse_limits(max_digits=...) if the input is trusted"
                )
    for node in growing:
        _check_growth(node, expr, name, limit)
    return expr


def _digits(value: sympy.Expr) -> float:
    """An upper estimate of the decimal digits of a numeric ``value`` built from rationals by
    ``+ * **`` with rational exponents (numerator and denominator counted together), without
    evaluating any power; 0 for what it cannot size (other checks see those).

    >>> _digits(sympy.Pow(sympy.Pow(10, 99, evaluate=False), 99, evaluate=False)) > 9000
    True
    """
    if value.is_Rational:
        p, q = abs(int(value.p)), int(value.q)
        return (math.log10(p) if p else 0.0) + math.log10(q)
    if isinstance(value, sympy.Pow) and value.exp.is_Rational:
        return abs(float(value.exp)) * _digits(value.base)
    if isinstance(value, (sympy.Add, sympy.Mul)):
        return sum(_digits(arg) for arg in value.args)
    return 0.0


class NodeKinds(NamedTuple):
    """What :func:`node_kinds` finds in an expression."""

    growth: tuple[sympy.Basic, ...]        # powers and exp-like functions, in walk order
    symbols: frozenset[sympy.Symbol]        # every symbol (bound ones too)
    heavisides: frozenset[sympy.Basic]      # the Heaviside subexpressions


@functools.lru_cache(maxsize=16)
def node_kinds(expr: sympy.Basic) -> NodeKinds:
    """The powers, exp-like functions, symbols and Heaviside steps of ``expr``, in one walk
    that does not visit into numbers, remembered for the last few expressions (a
    discretization checks its function several times; a sum of 10^4 steps is walked in
    milliseconds, where ``atoms`` and ``free_symbols`` take a second).

    >>> from sympy import Heaviside, Symbol, exp, sqrt
    >>> t = Symbol("t")
    >>> kinds = node_kinds(exp(t) + sqrt(2) * Heaviside(t, 0))
    >>> sorted(map(str, kinds.growth)), kinds.symbols, kinds.heavisides
    (['exp(t)', 'sqrt(2)'], frozenset({t}), frozenset({Heaviside(t, 0)}))
    """
    growth: dict[sympy.Basic, None] = {}
    symbols: set[sympy.Symbol] = set()
    steps: set[sympy.Basic] = set()
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, sympy.Symbol):
            symbols.add(node)
        elif not node.is_Atom:
            if isinstance(node, (sympy.Pow, *_EXPONENTIALS)):
                growth[node] = None
            elif isinstance(node, sympy.Heaviside):
                steps.add(node)
            stack.extend(node.args)
    return NodeKinds(tuple(growth), frozenset(symbols), frozenset(steps))


#: Functions that grow like exp: a numeric argument over ``max_exponent`` makes a number no
#: machine can evaluate (``exp(exp(exp(100)))``), so it is refused at the door.
_EXPONENTIALS = (sympy.exp, sympy.sinh, sympy.cosh)


def _check_growth(node: sympy.Expr, expr: sympy.Expr, name: str, limit: int) -> None:
    """Refuse ``node`` (an exp-like function or a power with a numeric exponent) when that
    exponent's magnitude is over ``limit``; inner nodes first, so nothing too large is evaluated."""
    for arg in node.args:
        if not arg.is_Atom:
            for inner in [*arg.atoms(*_EXPONENTIALS), *(p for p in arg.atoms(sympy.Pow) if not p.exp.is_Rational)]:
                if inner.args and inner.args[-1].is_number:
                    _check_growth(inner, expr, name, limit)
    exponent = node.args[0] if isinstance(node, _EXPONENTIALS) else node.exp
    if not exponent.is_number or (exponent.is_Rational and not isinstance(node, _EXPONENTIALS)):
        return
    try:
        size = abs(complex(exponent.evalf(15)))
    except (TypeError, ValueError, OverflowError):
        size = float("inf")
    if not size <= limit:
        shown = f"about {brief(size, '{:.3g}'.format)}" if size != float("inf") else "a number too large to evaluate"
        raise InvalidArgumentError(
            f"{name}={brief(expr, str)} takes {brief(node.func.__name__, str)} of {brief(shown, str)}, over the limit "
            f"max_exponent={brief(limit, str)}; raise it with symequi.core.parse.parse_limits(max_exponent=...) "
            "if the input is trusted"
        )


def _check_defined(expr: sympy.Expr, name: str) -> sympy.Expr:
    """Refuse undefined values (nan, complex infinity), e.g. from '1/0'."""
    if not expr.is_Rational and expr.has(sympy.nan, sympy.zoo):
        raise InvalidArgumentError(
            f"{name}={brief(expr, str)} is undefined (nan or complex infinity, e.g. from a division by zero); "
            "pass a finite exact value"
        )
    return expr


def to_rational(value: Any, name: str = "value") -> sympy.Rational:
    """Convert ``value`` to a sympy Rational, refusing floats and irrationals.

    >>> to_rational(Fraction(3, 6), 'kernel[0]')
    1/2
    """
    expr = to_exact(value, name)
    if not expr.is_Rational:
        raise InvalidArgumentError(
            f"{name}={brief(value)} is not a rational number; this argument must be rational, "
            "e.g. '1/3' or Fraction(1, 3)"
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
    """True for exact rational values (int, Fraction, fmpq, sympy Rational).

    >>> is_rational(Fraction(1, 3)), is_rational(sympy.sqrt(2)), is_rational(0.5)
    (True, False, False)
    """
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, Fraction, flint.fmpq, flint.fmpz)):
        return True
    return isinstance(value, sympy.Basic) and bool(getattr(value, "is_Rational", False))


def fmpq_to_sympy(value: flint.fmpq) -> sympy.Rational:
    """``fmpq`` to sympy ``Rational`` (exact).

    >>> fmpq_to_sympy(flint.fmpq(-3, 4))
    -3/4
    """
    q = int(value.q)
    return sympy.Integer(int(value.p)) if q == 1 else sympy.Rational(int(value.p), q)


def as_sympy(value: Any) -> sympy.Basic:
    """An internal, already exact value (sympy object, int, Fraction, fmpq) as a sympy object.

    The replacement for ``sympy.sympify`` on values symequi computed itself:
    it never reads text (a string raises :class:`InvalidArgumentError`; user
    strings go through :func:`to_exact`), and it does not refuse floats, so a
    caller can detect and report one.

    >>> as_sympy(Fraction(1, 3)), as_sympy(flint.fmpq(-3, 4)), as_sympy(2)
    (1/3, -3/4, 2)
    """
    if isinstance(value, sympy.Basic):
        return value
    if isinstance(value, flint.fmpq):
        return fmpq_to_sympy(value)
    if isinstance(value, str):
        raise InvalidArgumentError(
            f"value={brief(value)} is a string where an exact value was expected; convert user text "
            "with symequi.core.exact.to_exact, which reads it without evaluating it"
        )
    try:
        return sympy.sympify(value, strict=True)  # strict: never parses text
    except sympy.SympifyError as err:
        raise InvalidArgumentError(
            f"value={brief(value)} of type {type(value).__name__} is not an exact number or sympy expression"
        ) from err


def sympy_to_fmpq(value: sympy.Rational) -> flint.fmpq:
    """sympy ``Rational`` to ``fmpq`` (exact).

    >>> sympy_to_fmpq(sympy.Rational(22, 7))
    22/7
    """
    return flint.fmpq(int(value.p), int(value.q))


def positive_int(value: Any, name: str) -> int:
    """Check that ``value`` is an integer >= 1 and return it as ``int``.

    >>> positive_int(4, 'n')
    4
    """
    if isinstance(value, bool) or _is_inexact(value):
        raise InvalidArgumentError(f"{name}={brief(value)} must be a positive integer (an int such as 4)")
    try:
        number = operator.index(value)
    except TypeError:
        if isinstance(value, sympy.Basic) and value.is_Integer:
            number = int(value)
        else:
            raise InvalidArgumentError(
                f"{name}={brief(value)} must be a positive integer (an int such as 4)"
            ) from None
    if number < 1:
        raise InvalidArgumentError(f"{name}={brief(value)} must be >= 1 (a positive int such as 4)")
    return int(number)


def power_by_squaring(base: Any, exponent: int, one: Any) -> Any:
    """``base ** exponent`` for an int ``exponent >= 0`` by repeated squaring.

    Works for any type with ``*`` (exact polynomials, field elements); ``one``
    is the multiplicative identity of that type.

    >>> power_by_squaring(Fraction(1, 2), 10, Fraction(1))
    Fraction(1, 1024)
    """
    result = one
    while exponent:
        if exponent & 1:
            result = result * base
        exponent >>= 1
        if exponent:
            base = base * base
    return result

