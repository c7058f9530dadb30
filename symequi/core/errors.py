"""The one exception family symequi raises.

Every error a user can cause derives from :class:`SymequiError`, so
``except symequi.SymequiError`` catches all of them.  Messages name the
argument, say what was wrong and how to fix it.

Example
-------
>>> import symequi as se
>>> try:
...     se.Grid(1, 0, 4)
... except se.SymequiError as err:
...     print(type(err).__name__)
InvalidArgumentError
"""

from __future__ import annotations
from .texts import brief

__all__ = [
    "SymequiError",
    "InvalidArgumentError",
    "InexactInputError",
    "IntegrationError",
    "BudgetExceededError",
    "EncodingError",
    "NotClosedError",
    "IndexOutOfRangeError",
    "SMTInternalError",
]


class SymequiError(Exception):
    """Base class of every error symequi raises on purpose.

    >>> issubclass(InexactInputError, SymequiError)
    True
    """


class InvalidArgumentError(SymequiError, ValueError):
    """An argument has the wrong type, shape or value; the message names it.

    It is also a ``ValueError``, so generic handlers keep working.

    >>> from symequi.core.exact import positive_int
    >>> try:
    ...     positive_int(0, "n")
    ... except InvalidArgumentError as err:
    ...     print(err)
    n=0 must be >= 1 (a positive int such as 4)
    """


class InexactInputError(InvalidArgumentError, TypeError):
    """A float (or other inexact number) was given where an exact value is needed.

    >>> from symequi.core.exact import to_exact
    >>> try:
    ...     to_exact(0.5, "delta")
    ... except InexactInputError as err:
    ...     print(str(err)[:44])
    delta=0.5 is a Python float, which is not ex
    """


class IndexOutOfRangeError(InvalidArgumentError, IndexError):
    """An index lies outside an axis; also an ``IndexError`` (Python's protocol).

    >>> from symequi.core.signal import Signal
    >>> try:
    ...     Signal([1, 2])[2]
    ... except IndexOutOfRangeError as err:
    ...     print(err)
    index 2 is out of range for an axis of length 2; use an index in range(-2, 2)
    """


class IntegrationError(SymequiError):
    """sympy could not integrate a function in closed form on some cell, or the
    integrand is singular there; the message names the cell.

    >>> from symequi.functions.discretize import CellAverage
    >>> from symequi.functions.grid import Grid
    >>> try:
    ...     CellAverage(Grid(0, 1, 2))("1/(x - 1/4)")
    ... except IntegrationError as err:
    ...     print(str(err)[:48])
    f=1/(x - 1/4) is singular at x = 1/4, in cell 0
    """


class BudgetExceededError(SymequiError):
    """A symbolic step ran past its time budget.

    Deciders catch this and return an Undecided verdict with the reason;
    ``what`` and ``seconds`` say which step and which budget.

    >>> err = BudgetExceededError("integrating f over cell 0", 2)
    >>> err.what, err.seconds
    ('integrating f over cell 0', 2)
    """

    def __init__(self, what: str, seconds: float) -> None:
        self.what = what
        self.seconds = seconds
        super().__init__(
            f"{brief(what, str)} did not finish within its time budget of {brief(seconds, '{:g}'.format)} s; "
            "raise the budget (symequi.set_time_budget or the budget= argument) "
            "or simplify the input"
        )


class EncodingError(SymequiError):
    """A layer or operator cannot be encoded for the requested decider; the
    message names the layer.

    >>> issubclass(EncodingError, SymequiError)
    True
    """


class NotClosedError(SymequiError):
    """A function class is not closed under a requested operation.

    >>> issubclass(NotClosedError, SymequiError)
    True
    """


class SMTInternalError(SymequiError, RuntimeError):
    """z3's answer could not be confirmed exactly: the layers do not reproduce
    z3's counterexample, or z3's model has irrational values.

    It means the SMT encoding of some layer does not match its exact
    implementation: a bug to report, never a result.

    >>> issubclass(SMTInternalError, SymequiError)
    True
    """
