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

__all__ = [
    "SymequiError",
    "InvalidArgumentError",
    "InexactInputError",
    "IntegrationError",
    "BudgetExceededError",
    "EncodingError",
    "NotClosedError",
]


class SymequiError(Exception):
    """Base class of every error symequi raises on purpose."""


class InvalidArgumentError(SymequiError, ValueError):
    """An argument has the wrong type, shape or value; the message names it."""


class InexactInputError(InvalidArgumentError, TypeError):
    """A float (or other inexact number) was given where an exact value is needed."""


class IntegrationError(SymequiError):
    """sympy could not integrate a function in closed form on some cell, or the
    integrand is singular there; the message names the cell."""


class BudgetExceededError(SymequiError):
    """A symbolic step ran past its time budget.

    Deciders catch this and return an Undecided verdict with the reason.
    """

    def __init__(self, what: str, seconds: float) -> None:
        self.what = what
        self.seconds = seconds
        super().__init__(
            f"{what} did not finish within its time budget of {seconds:g} s; "
            "raise the budget (symequi.set_time_budget or the budget= argument) "
            "or simplify the input"
        )


class EncodingError(SymequiError):
    """A layer or operator cannot be encoded for the requested decider; the
    message names the layer."""


class NotClosedError(SymequiError):
    """A function class is not closed under a requested operation."""
