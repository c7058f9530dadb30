"""sympy's integrals, each computed once per process.

A sweep integrates the same function again and again: every grid size, every shift of a
square, every candidate closed form calls ``sympy.integrate`` with the same integrand and
limits, and one call can take seconds (``log(x + 2)/(x + 3)`` takes about two).  sympy's
answer depends only on its arguments (assumptions live in the symbols), so it is kept here,
in a bounded least-recently-used table.  An error is returned but never kept: whether sympy
raises can depend on the caller (a RecursionError deep in a stack, a MemoryError), not only on
the integral.  (sympy's integration code catches only its own exception types, such as
NotImplementedError or PolynomialError, so a RecursionError or MemoryError inside it ends the
call instead of changing the answer.)

Nothing is kept that a time budget may have cut short: sympy catches exceptions inside
``integrate`` and can fall back to another method (or to an unevaluated ``Integral``), so a
result computed while a budget of this thread had fired is returned but never stored
(:func:`~symequi.core.budget.budget_ran_out`).  A budget that interrupts the call propagates
as before.  Nothing here is trusted either: every caller certifies what it gets.

Example
-------
>>> import sympy
>>> t = sympy.Symbol('t')
>>> integral(sympy.sin(t), (t, 0, sympy.pi))
2
>>> integral(sympy.sin(t), t, meijerg=False)
-cos(t)
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import sympy

from ..core.budget import budget_ran_out
from ..core.errors import BudgetExceededError

__all__: list[str] = []  # an internal helper of CellAverage and certify, not public API

#: How many (integrand, limits, method) answers are kept.
_SIZE = 1024

_kept: OrderedDict[tuple, Any] = OrderedDict()
_lock = threading.Lock()


@dataclass(frozen=True)
class IntegrationFailed:
    """sympy raised ``kind`` with ``message`` on this integral (returned, never kept)."""

    kind: str
    message: str


def integral(f: sympy.Expr, *limits: Any, meijerg: bool | None = None) -> sympy.Expr | IntegrationFailed:
    """``sympy.integrate(f, *limits)`` (with ``meijerg=`` when given), or what sympy raised.

    The answer may hold an unevaluated ``Integral``; the caller decides what to do with it.
    A :class:`~symequi.core.errors.BudgetExceededError` (and anything that is not an
    ``Exception``, e.g. KeyboardInterrupt) propagates and keeps nothing.

    >>> t = sympy.Symbol('t')
    >>> integral(1 / t, (t, -1, 1))  # sympy's answer for a divergent integral: checked by callers
    nan
    """
    key = (f, limits, meijerg)
    with _lock:
        if key in _kept:
            _kept.move_to_end(key)
            return _kept[key]
    options = {} if meijerg is None else {"meijerg": meijerg}
    try:
        value: sympy.Expr = sympy.integrate(f, *limits, **options)
    except BudgetExceededError:
        raise
    except Exception as err:  # noqa: BLE001 - sympy raises many types; the caller reports it
        return IntegrationFailed(type(err).__name__, str(err))
    if not budget_ran_out():
        with _lock:
            _kept[key] = value
            while len(_kept) > _SIZE:
                _kept.popitem(last=False)
    return value


def forget() -> None:
    """Empty the table (benchmarks time a first call; tests start from nothing).

    >>> forget()
    """
    with _lock:
        _kept.clear()
