"""Values shown in messages and reprs, in bounded length, never raising.

An error message that shows the user's value must not fail itself: Python
refuses ``str()`` of an int of more than 4300 digits (``ValueError: Exceeds
the limit (4300 digits) for integer string conversion``), so a message such as
``f"n={n} must be <= 1000"`` turns ``n=10**5000`` into a ValueError from inside
the f-string instead of the error that names ``n``.  A value may also be merely
long (a list of 10**6 entries, a string of a megabyte) or have a ``__repr__``
that raises.  :func:`brief` renders any value for a message:

* ints of more than 50 digits as ``head...tail (N digits)``, without ever
  converting the whole int to text (ints of more than about 300000 digits as
  ``<int with about N digits>``); Fractions, python-flint ``fmpq``/``fmpz`` and
  sympy numbers by their parts, sympy expressions with their huge numbers
  abbreviated;
* lists, tuples, sets, dicts and numpy object arrays entry by entry, stopping
  at the limit; strings and bytes cut at the limit;
* anything else by its ``repr`` (or ``str``), cut at the limit, and a value whose
  ``repr`` raises as ``<TypeName object (repr raised ValueError)>``.

The result has at most ``limit`` characters.  ``brief(v)`` is what
``f"{v!r}"`` shows, ``brief(v, str)`` what ``f"{v}"`` shows, for every value
whose text fits the limit.

Example
-------
>>> from fractions import Fraction
>>> brief(10**5000)
'100000...000 (5001 digits)'
>>> brief(Fraction(-(10**5000), 3))
'Fraction(-100000...000 (5001 digits), 3)'
>>> brief('1/2'), brief('1/2', str), brief([1, Fraction(1, 2)])
("'1/2'", '1/2', '[1, Fraction(1, 2)]')
"""

from __future__ import annotations

import dataclasses
import math
import pathlib
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import flint
import sympy

__all__ = ["BRIEF_LIMIT", "TEXT_LIMIT", "brief", "brief_latex", "fields_repr", "int_digits"]

#: The default bound on the length of one value's text in a message.
BRIEF_LIMIT = 120
#: The default bound for text: a str, bytes, a path or an exception.
TEXT_LIMIT = 1000
_TEXTS = (str, bytes, bytearray, BaseException, pathlib.PurePath)
#: Ints of at most this many digits are shown in full (when they fit the limit).
_FULL_DIGITS = 50
#: Ints of more bits than this get an estimated digit count (an exact count costs a power of 10).
_EXACT_BITS = 2**20
#: No limit is smaller than this (room for an abbreviated int and the cut marker).
_MIN_LIMIT = 32

_LOG10_2 = math.log10(2)


def int_digits(n: int) -> tuple[int, bool]:
    """The number of decimal digits of ``abs(n)`` and whether that count is exact.

    Exact up to about 315000 digits; beyond, an estimate from the bit length that is
    off by at most one (an exact count would need a power of ten of that size).
    Never converts ``n`` to text.

    >>> int_digits(0), int_digits(-999), int_digits(10**5000)
    ((1, True), (3, True), (5001, True))
    """
    m = abs(n)
    bits = m.bit_length()
    if bits <= 64:
        return len(str(m)), True
    estimate = int((bits - 1) * _LOG10_2) + 1  # 10**(estimate - 1) <= 2**(bits - 1) <= m, up to rounding
    if bits > _EXACT_BITS:
        return estimate, False
    while m >= 10**estimate:
        estimate += 1
    while estimate > 1 and m < 10 ** (estimate - 1):
        estimate -= 1
    return estimate, True


def _int_text(n: int) -> str:
    """``n`` in full when it has at most 50 digits, else ``head...tail (N digits)``."""
    digits, exact = int_digits(n)
    if digits <= _FULL_DIGITS:
        return str(n)
    sign = "-" if n < 0 else ""
    if not exact:
        return f"<{sign}int with about {digits} digits>"
    m = abs(n)
    head = m // 10 ** (digits - 6)
    tail = m % 1000
    return f"{sign}{head}...{tail:03d} ({digits} digits)"


def _rational_text(p: int, q: int, render: Callable[[Any], str], kind: type) -> str:
    """A rational ``p/q`` as its type shows it (``Fraction(p, q)`` for repr of a Fraction)."""
    if kind is Fraction and render is not str:
        return f"Fraction({_int_text(p)}, {_int_text(q)})"
    return _int_text(p) if q == 1 else f"{_int_text(p)}/{_int_text(q)}"


def _huge(value: Any) -> bool:
    """Whether ``value`` (a number, a sympy object or a container of them) holds a number of
    more than 50 digits (numerator or denominator)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value.bit_length() > _FULL_DIGITS * 3
    if isinstance(value, Fraction):
        return _huge(value.numerator) or _huge(value.denominator)
    if isinstance(value, (flint.fmpz, flint.fmpq)):
        return _huge(int(value.p) if isinstance(value, flint.fmpq) else int(value)) or (
            isinstance(value, flint.fmpq) and _huge(int(value.q)))
    if isinstance(value, sympy.Basic):
        return any(_huge(int(r.p)) or _huge(int(r.q)) for r in value.atoms(sympy.Rational))
    if isinstance(value, (list, tuple, set, frozenset)):
        return any(_huge(v) for v in value)
    return False


def brief_latex(value: Any) -> str:
    r"""``sympy.latex(value)``, with numbers of more than 50 digits shown abbreviated (as
    :func:`brief` shows them) instead of raising Python's int-to-text limit.

    >>> print(brief_latex(sympy.Rational(1, 2)), brief_latex((1, 2)))
    \frac{1}{2} \left( 1, \  2\right)
    >>> print(brief_latex(sympy.Integer(10)**5000 * sympy.Symbol("x")))
    \text{100000...000 (5001 digits)} x
    """
    if not _huge(value):
        return sympy.latex(value)
    names: dict[str, str] = {}

    def shrink(v: Any) -> Any:
        if isinstance(v, (list, tuple)):
            return type(v)(shrink(e) for e in v)
        if isinstance(v, (int, Fraction, flint.fmpz, flint.fmpq)) and not isinstance(v, bool):
            v = _as_rational(v)
        if isinstance(v, sympy.Basic):
            big = {r: _placeholder(r, names) for r in v.atoms(sympy.Rational) if _huge(r)}
            return v.xreplace(big) if big else v
        return v

    text = sympy.latex(shrink(value))
    for name, shown in names.items():
        text = text.replace(name, r"\text{" + shown + "}")
    return text


def _as_rational(v: Any) -> sympy.Rational:
    """An exact int, Fraction, fmpz or fmpq as a sympy Rational (never through text)."""
    if isinstance(v, (int, flint.fmpz)):
        return sympy.Integer(int(v))
    if isinstance(v, Fraction):
        return sympy.Rational(v.numerator, v.denominator)
    return sympy.Rational(int(v.p), int(v.q))


def _placeholder(r: sympy.Rational, names: dict[str, str]) -> sympy.Symbol:
    """A symbol standing for the huge rational ``r`` in a LaTeX text, replaced afterwards."""
    name = f"HUGENUMBER{len(names)}X"
    names[name] = _rational_text(int(r.p), int(r.q), str, sympy.Rational)
    return sympy.Symbol(name)


def _sympy_text(expr: sympy.Basic, render: Callable[[Any], str]) -> str:
    """A sympy object's text; numbers of more than 50 digits are abbreviated first."""
    if isinstance(expr, sympy.Rational):
        return _rational_text(int(expr.p), int(expr.q), render, sympy.Rational)
    big = {
        r: sympy.Symbol(_rational_text(int(r.p), int(r.q), str, sympy.Rational))
        for r in expr.atoms(sympy.Rational)
        if max(abs(int(r.p)), int(r.q)).bit_length() > _FULL_DIGITS * 3
    }
    shown = expr.xreplace(big) if big else expr
    if render in (str, repr) and _has_numeric_growth(shown):
        # sympy orders the terms of a sum by evaluating them: for exp(exp(exp(100))) that runs
        # for hours inside mpmath, so such an expression is printed in its stored order
        return sympy.sstr(shown, order="none")
    return render(shown)


def _has_numeric_growth(expr: sympy.Basic) -> bool:
    """Whether ``expr`` holds exp, sinh or cosh of a number, or a number to a non-rational
    numeric power (what sympy's printer would evaluate to order the terms)."""
    if not isinstance(expr, sympy.Basic) or expr.is_Atom:
        return False
    return (any(f.args[0].is_number for f in expr.atoms(sympy.exp, sympy.sinh, sympy.cosh))
            or any(p.exp.is_number and not p.exp.is_Rational for p in expr.atoms(sympy.Pow)))


def _items_text(items: Any, opening: str, closing: str, render: Callable[[Any], str], limit: int,
                pair: bool = False) -> str:
    """The entries of a container, each brief, ending in ``...`` where ``limit`` is reached."""
    render = ascii if render is ascii else repr  # entries show by repr, as Python's containers do
    parts: list[str] = []
    used = len(opening) + len(closing) + len(", ...")
    for item in items:
        room = limit - used
        text = (f"{brief(item[0], render)}: {brief(item[1], render)}" if pair
                else brief(item, render, limit=max(room, _MIN_LIMIT)))
        if len(text) > room:
            parts.append("...")
            break
        parts.append(text)
        used += len(text) + 2
    return opening + ", ".join(parts) + closing


def _array_text(array: Any, render: Callable[[Any], str], limit: int) -> str:
    """A numpy array: numpy's own (summarized) text, or entry by entry when that fails."""
    try:
        return render(array)
    except Exception:  # an object array holding an int of more than 4300 digits, a bad repr
        pass
    shape = "" if array.ndim == 1 else f", shape={array.shape}"
    return _items_text(array.flat, "array([", f"]{shape}, dtype=object)", render, limit)


def _render(value: Any, render: Callable[[Any], str], limit: int) -> str:
    kind = type(value)
    if kind is bool or value is None:
        return render(value)
    if isinstance(value, int) or kind is flint.fmpz:
        return _int_text(int(value)) if kind in (int, flint.fmpz) or int(value).bit_length() > 160 else render(value)
    if kind is Fraction:
        return _rational_text(value.numerator, value.denominator, render, Fraction)
    if kind is flint.fmpq:
        return _rational_text(int(value.p), int(value.q), render, flint.fmpq)
    if isinstance(value, sympy.Basic):
        return _sympy_text(value, render)
    if kind is str or kind is bytes or kind is bytearray:
        if len(value) <= limit:
            return render(value)
        marker = f" ({len(value)} characters)"
        room = limit - len(marker) - 3
        text = render(value[:room])
        if text[-1:] in ("'", '"') and render is not str:  # the cut goes inside the quotes
            return text[:-1][: room - 1] + "..." + text[-1] + marker
        return text[:room] + "..." + marker
    if kind is list:
        return _items_text(value, "[", "]", render, limit)
    if kind is tuple:
        return _items_text(value, "(", ",)" if len(value) == 1 else ")", render, limit)
    if kind in (set, frozenset):
        if not value:
            return f"{kind.__name__}()"
        text = _items_text(value, "{", "}", render, limit)
        return text if kind is set else f"frozenset({text})"
    if kind is dict:
        return _items_text(value.items(), "{", "}", render, limit, pair=True)
    if kind.__module__ == "numpy" and kind.__name__ == "ndarray":
        return _array_text(value, render, limit)
    return render(value)


def _cut(text: str, limit: int) -> str:
    """``text`` itself when it fits ``limit``, else its head and how long it was."""
    if len(text) <= limit:
        return text
    marker = f"... ({len(text)} characters)"
    return text[: limit - len(marker)] + marker


def brief(value: Any, render: Callable[[Any], str] = repr, *, limit: int | None = None) -> str:
    """``render(value)`` in at most ``limit`` characters, for a message; never raises.

    ``render`` is ``repr`` (what ``f"{value!r}"`` shows), ``str`` (what
    ``f"{value}"`` shows), ``ascii``, or a formatter such as ``"{:g}".format``;
    containers show their entries by ``repr``, as Python does.  Ints of more
    than 50 digits show their first six and last three digits and how many
    there are; a text longer than ``limit`` (at least 32) is cut and says how
    long it was.  The default limit is ``TEXT_LIMIT`` (1000) for text (a str,
    bytes, a path, an exception) and ``BRIEF_LIMIT`` (120) for any other value.

    >>> brief(12), brief('a b', str), brief(2**200), brief(2.0, "{:g}".format)
    ('12', 'a b', '160693...376 (61 digits)', '2')
    >>> import sympy
    >>> brief(sympy.sqrt(2) * 10**5000, str)
    'sqrt(2)*100000...000 (5001 digits)'
    >>> brief(list(range(1000)), limit=40)
    '[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, ...]'
    >>> len(brief('x' * 5000)), brief('x' * 5000)[-24:]
    (1000, "xx...' (5000 characters)")
    """
    if limit is None:
        limit = TEXT_LIMIT if isinstance(value, _TEXTS) else BRIEF_LIMIT
    limit = max(int(limit), _MIN_LIMIT)
    try:
        text = _render(value, render, limit)
    except Exception as err:  # a user's __repr__ may raise anything: the message must not
        text = f"<{type(value).__name__} object ({getattr(render, '__name__', 'render')} raised {type(err).__name__})>"
    return _cut(text, limit)


def fields_repr(obj: Any) -> str:
    """``Name(field=value, ...)`` of a dataclass instance, each value by :func:`brief`.

    The repr a dataclass generates calls ``repr`` on every field, which raises for an int
    of more than 4300 digits; a dataclass that holds user values defines
    ``__repr__`` as ``return fields_repr(self)`` instead.

    >>> from symequi.core.limits import Limits
    >>> fields_repr(Limits(max_entries=10**5000))
    'Limits(max_entries=100000...000 (5001 digits), max_degree=1000)'
    """
    shown = (f"{f.name}={brief(getattr(obj, f.name))}" for f in dataclasses.fields(obj) if f.repr)
    return f"{type(obj).__name__}({', '.join(shown)})"
