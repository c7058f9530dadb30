"""Shared helpers of the proof scripts for the paper's claims C1-C7.

Not a proof script (the leading ``_`` keeps ``symequi prove`` from scanning
it); the scripts import it by name because their folder is on ``sys.path``
while they load.

* :func:`signal_symbols`, :func:`kernel_symbols`: symbolic signals ``b_0 ..
  b_{N-1}`` and kernel taps ``a_o .. a_{o+K-1}``;
* :func:`identical`: two signals agree entry by entry as exact expressions
  (polynomials in the symbols, undefined functions applied to them);
* :func:`positive_set`: the exact set where a continuous piecewise-linear
  function of one variable is positive, after certifying that it is affine
  between the stated breakpoints;
* :func:`figure2_data_cached`: :func:`symequi.report.figures.figure2_data` computed
  once per process (C6 and C7 use the same exact cell averages).

Example
-------
>>> import sympy
>>> t = sympy.Symbol("t", real=True)
>>> positive_set(sympy.Min(t, 1 - t), t, [sympy.Rational(1, 2)], sympy.Interval(0, 1))
Interval.open(0, 1)
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

import sympy

from symequi.core.errors import InvalidArgumentError
from symequi.core.exact import to_rational
from symequi.report.figures import figure2_data
from symequi.core.signal import Signal
from symequi.core.texescape import Phrase
from symequi.core.zero import is_zero_function

#: The integer shift of C1 and C2, with its LaTeX.
SHIFT = Phrase("integer shift (T_l b)_j = b_{j-l}: content moves right by l cells (the paper's j -> j + l)",
               r"integer shift $(T_l b)_j = b_{j-l}$: content moves right by $l$ cells (the paper's $j \to j + l$)")

__all__ = ["signal_symbols", "kernel_symbols", "identical", "positive_set", "figure2_data_cached"]


def signal_symbols(n: int, name: str = "b") -> list[sympy.Symbol]:
    """The symbols ``b_0 .. b_{n-1}`` (real), the entries of a generic signal.

    >>> signal_symbols(3)
    [b_0, b_1, b_2]
    """
    return [sympy.Symbol(f"{name}_{j}", real=True) for j in range(n)]


def kernel_symbols(taps: int, origin: int, name: str = "a") -> list[sympy.Symbol]:
    """The taps ``a_k`` for ``k = origin .. origin + taps - 1`` (real symbols).

    >>> kernel_symbols(2, -1)
    [a_-1, a_0]
    """
    return [sympy.Symbol(f"{name}_{k}", real=True) for k in range(origin, origin + taps)]


def identical(lhs: Signal, rhs: Signal) -> bool:
    """True when every entry of ``lhs - rhs`` expands to 0 (an identity in all symbols).

    ``sympy.expand`` puts polynomials (and the arguments of undefined
    functions) in canonical form, so a zero here holds for every value of
    every symbol and, for an undefined function, for every function.

    >>> b = signal_symbols(2)
    >>> identical(Signal([b[0] + b[1], 2 * b[0]]), Signal([b[1] + b[0], b[0] + b[0]]))
    True
    """
    if lhs.shape != rhs.shape:
        return False
    return all(sympy.expand(u - v) == 0 for u, v in zip(lhs.flat_exprs(), rhs.flat_exprs()))


def positive_set(expr: Any, var: sympy.Symbol, breakpoints: Iterable[Any], interval: sympy.Interval) -> sympy.Set:
    """``{v in interval : expr(v) > 0}`` for ``expr`` continuous and affine between breakpoints.

    The breakpoints inside ``interval`` and its ends cut it into pieces;
    ``expr`` is compared exactly (:func:`symequi.core.zero.is_zero_function`) with
    the function that is affine on each piece and equals ``expr`` at the
    piece ends.  If they differ anywhere on ``interval``, InvalidArgumentError
    is raised (the breakpoints were wrong).  Otherwise the positive set is
    read off the exact values at the piece ends.
    """
    if not isinstance(interval, sympy.Interval) or not (interval.start.is_finite and interval.end.is_finite):
        raise InvalidArgumentError(f"interval={interval!r} must be a bounded sympy Interval")
    lo, hi = interval.start, interval.end
    inside = sorted({to_rational(p, "breakpoints") for p in breakpoints if lo < p < hi})
    points = [lo, *inside, hi]
    # exact values at the piece ends (Min/Max of rationals evaluate to rationals; no numerical guessing)
    values = [sympy.simplify(sympy.sympify(expr).subs(var, p)) for p in points]
    if not all(v.is_Rational for v in values):
        raise InvalidArgumentError(f"expr={expr} is not rational at the piece ends {points}")
    pieces = []
    for (p, vp), (q, vq) in zip(zip(points, values), zip(points[1:], values[1:])):
        pieces.append((vp + (vq - vp) * (var - p) / (q - p), (var >= p) & (var <= q)))
    interpolant = sympy.Piecewise(*pieces, (0, True))
    restricted = sympy.Piecewise((sympy.sympify(expr) - interpolant, (var >= lo) & (var <= hi)), (0, True))
    if is_zero_function(restricted.rewrite(sympy.Piecewise), var) is not True:
        raise InvalidArgumentError(
            f"expr={expr} is not certified affine between the breakpoints {points}; give all its breakpoints"
        )
    result: sympy.Set = sympy.S.EmptySet
    for (p, vp), (q, vq) in zip(zip(points, values), zip(points[1:], values[1:])):
        if vp > 0 and vq > 0:
            result = result.union(sympy.Interval(p, q))
        elif vp > 0 or vq > 0:
            root = p + vp * (q - p) / (vp - vq)  # the zero of the affine piece
            result = result.union(sympy.Interval.Ropen(p, root) if vp > 0 else sympy.Interval.Lopen(root, q))
    return result



@functools.lru_cache(maxsize=None)
def figure2_data_cached(n: int) -> dict[str, Any]:
    """:func:`symequi.report.figures.figure2_data` for ``n`` cells, computed once per process.

    The exact cell averages take about two seconds; C6 and both C7 claims use
    them.  The values are immutable (Signals, sympy expressions); do not mutate
    the returned dict.

    >>> figure2_data_cached(2)["fh0"], figure2_data_cached(2) is figure2_data_cached(2)
    (Signal([2/pi, -2/pi]), True)
    """
    return figure2_data(n)
