"""Continuous functions: sympy expressions in the real coordinates ``x`` and ``y``.

Conventions:

* :func:`heaviside` is the paper's step, ``H(0) = 0``; it is a ``Piecewise``,
  never sympy's ``Heaviside`` whose value at 0 is 1/2.
* :func:`translate` moves the graph right: ``translate(f, delta)`` is
  ``f(x - delta)``.

Example
-------
>>> from symequi.functions.continuous import x, heaviside, translate
>>> H = heaviside(x)
>>> H.subs(x, 0), H.subs(x, 1)
(0, 1)
>>> translate(x**2, 1)
(x - 1)**2
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sympy

from ..core.errors import InvalidArgumentError
from ..core.exact import to_exact
from ..core.symbols import as_function, x, y
from ..core.texescape import Phrase
from ..core.texts import brief

__all__ = ["x", "y", "heaviside", "translate", "as_function", "TRANSLATE_CONVENTION"]

#: The direction of :func:`translate`, as verdicts quote it (a Phrase: plain text and LaTeX).
TRANSLATE_CONVENTION = Phrase("translate(f, delta) = f(x - delta): the graph moves right by delta",
                              r"$\operatorname{translate}(f, \delta) = f(x - \delta)$: the graph moves right by $\delta$")

def heaviside(arg: Any) -> sympy.Piecewise:
    """The Heaviside step with ``H(0) = 0`` (the paper's convention).

    >>> heaviside(x - sympy.Rational(1, 4)).subs(x, sympy.Rational(1, 4))
    0
    """
    expr = as_function(arg, "arg")
    if expr.is_extended_real is False:
        raise InvalidArgumentError(f"arg={brief(expr, str)} is not real; the step H takes a real argument, e.g. x - 1/4")
    return sympy.Piecewise((sympy.Integer(1), expr > 0), (sympy.Integer(0), True))


def translate(f: Any, delta: Any, var: sympy.Symbol | Sequence[sympy.Symbol] = x) -> sympy.Expr:
    """``f`` translated right by ``delta``: ``f(x - delta)``.

    For 2-D functions pass ``delta=(dx, dy)`` and ``var=(x, y)``.

    >>> translate(heaviside(x), sympy.Rational(1, 4))
    Piecewise((1, x > 1/4), (0, True))
    >>> translate(x * y, (1, 2), var=(x, y))
    (x - 1)*(y - 2)
    """
    expr = as_function(f, "f")
    if isinstance(delta, sympy.Tuple):
        delta = tuple(delta)
    if isinstance(var, sympy.Symbol):
        if isinstance(delta, (tuple, list)):
            raise InvalidArgumentError(
                f"delta={brief(delta)} is a sequence but var={brief(var, str)} is one coordinate; "
                "pass var=(x, y) for a 2-D translation"
            )
        return expr.subs(var, var - to_exact(delta, "delta", symbols=True))
    variables = tuple(var)
    if not isinstance(delta, (tuple, list)) or len(delta) != len(variables):
        raise InvalidArgumentError(
            f"delta={brief(delta)} must have one entry per coordinate in var={brief(variables, str)}"
        )
    shifts = {v: v - to_exact(d, f"delta[{i}]", symbols=True) for i, (v, d) in enumerate(zip(variables, delta))}
    return expr.subs(shifts, simultaneous=True)
