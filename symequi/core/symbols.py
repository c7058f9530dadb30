"""The real coordinates ``x`` and ``y``, and functions of them checked at the door.

They live in the core because exact zero tests of functions
(:func:`symequi.core.zero.is_zero_function`) need them; users import them as
``symequi.x`` and ``symequi.y``.

Example
-------
>>> from symequi.core.symbols import as_function, x
>>> as_function(x**2 - 1) == x**2 - 1
True
"""

from __future__ import annotations

from typing import Any

import sympy

from .exact import node_kinds, to_exact
from .parse import Symbols

__all__ = ["x", "y", "as_function"]

#: The real coordinate of 1-D functions.
x = sympy.Symbol("x", real=True)
#: The second real coordinate of 2-D functions.
y = sympy.Symbol("y", real=True)


def as_function(f: Any, name: str = "f", *, symbols: Symbols = False) -> sympy.Expr:
    """Check that ``f`` is an exact function of the coordinates and return it.

    Accepts sympy expressions, exact numbers (constant functions) and strings
    in the grammar of :func:`symequi.core.parse.parse_exact` (``'x**2 - 1/3'``,
    ``'sin(2*pi*x)'``; read, never evaluated); refuses floats.  In strings,
    ``x`` and ``y`` are the real coordinates; other names are refused unless
    ``symbols`` allows them.

    >>> as_function('x**2')
    x**2
    >>> as_function('sqrt(2)*sin(pi*x)').has(x)
    True
    """
    expr = to_exact(f, name, symbols=symbols)
    # sympy expressions may carry a plain Symbol('x'): map it to the real coordinate.
    plain = {sympy.Symbol("x"): x, sympy.Symbol("y"): y}
    free = node_kinds(expr).symbols  # one walk of the expression, shared with to_exact's checks
    mapping = {k: v for k, v in plain.items() if k in free}
    return expr.xreplace(mapping) if mapping else expr
