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

from .exact import to_exact

__all__ = ["x", "y", "as_function"]

#: The real coordinate of 1-D functions.
x = sympy.Symbol("x", real=True)
#: The second real coordinate of 2-D functions.
y = sympy.Symbol("y", real=True)


def as_function(f: Any, name: str = "f") -> sympy.Expr:
    """Check that ``f`` is an exact function of the coordinates and return it.

    Accepts sympy expressions, exact numbers (constant functions) and strings
    that sympy parses (``'x**2 - 1/3'``); refuses floats.

    >>> as_function('x**2')
    x**2
    """
    expr = to_exact(f, name)
    # Strings parse x as a plain symbol: map it to the real coordinate.
    plain = {sympy.Symbol("x"): x, sympy.Symbol("y"): y}
    return expr.xreplace({k: v for k, v in plain.items() if k in expr.free_symbols})
