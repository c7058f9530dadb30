"""Limits on size-like arguments, checked before anything is allocated.

A Signal of 10**9 entries, a grid of 10**12 cells or a reconstruction of degree
10**9 would exhaust memory or run for days; symequi refuses them at the door
with an error that names the argument, the limit and how to raise it.  The
limits are generous for exact arithmetic (a Signal of 10**8 rationals is
already gigabytes) and can be raised for one block or for the session:

>>> from symequi.core.limits import check_size, using_limits
>>> check_size(10**9, "shape")
Traceback (most recent call last):
...
symequi.core.errors.InvalidArgumentError: shape has 1000000000 entries, more than the limit max_entries=100000000; raise it with symequi.core.limits.using_limits(max_entries=...) (or set_limits) if you mean it
>>> with using_limits(max_entries=10**9):
...     check_size(10**9, "shape")
1000000000

The parser of user text has its own limits (length, depth, exponents):
:mod:`symequi.core.parse`.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace

from .errors import InvalidArgumentError
from .texts import brief, fields_repr

__all__ = ["Limits", "get_limits", "set_limits", "using_limits", "check_size", "check_degree"]


@dataclass(frozen=True)
class Limits:
    """``max_entries``: entries of a Signal (or of an operator's input/output shape) and cells
    of a grid; ``max_degree``: polynomial degrees and orders (finite-volume degree, Lagrange
    order, polynomial and trigonometric function classes).

    >>> Limits().max_degree
    1000
    """

    max_entries: int = 10**8
    max_degree: int = 1000

    def __repr__(self) -> str:
        return fields_repr(self)  # the generated repr fails on ints of over 4300 digits


_DEFAULT = Limits()
_local = threading.local()


def get_limits() -> Limits:
    """The limits in force in this thread."""
    return getattr(_local, "value", _DEFAULT)


def set_limits(**changes: int) -> Limits:
    """Change the limits for this thread from now on; returns the new limits.

    >>> old = get_limits(); _ = set_limits(max_degree=50); get_limits().max_degree
    50
    >>> _ = set_limits(max_degree=old.max_degree)
    """
    for key, value in changes.items():
        if not hasattr(_DEFAULT, key):
            raise InvalidArgumentError(f"{brief(key, str)} is not a limit; the limits are max_entries and max_degree")
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise InvalidArgumentError(f"{brief(key, str)}={brief(value)} must be an int >= 1")
    _local.value = replace(get_limits(), **changes)
    return _local.value


@contextlib.contextmanager
def using_limits(**changes: int) -> Iterator[Limits]:
    """The limits changed inside a ``with`` block only (this thread)."""
    before = get_limits()
    try:
        yield set_limits(**changes)
    finally:
        _local.value = before


def check_size(count: int, name: str) -> int:
    """``count`` (entries or cells of ``name``) when within ``max_entries``; else the error."""
    limit = get_limits().max_entries
    if count > limit:
        raise InvalidArgumentError(
            f"{name} has {brief(count, str)} entries, more than the limit max_entries={brief(limit, str)}; raise it with "
            "symequi.core.limits.using_limits(max_entries=...) (or set_limits) if you mean it"
        )
    return count


def check_degree(value: int, name: str) -> int:
    """``value`` (a degree or order called ``name``) when within ``max_degree``; else the error.

    >>> check_degree(10**9, "degree")
    Traceback (most recent call last):
    ...
    symequi.core.errors.InvalidArgumentError: degree=1000000000 is more than the limit max_degree=1000; raise it with symequi.core.limits.using_limits(max_degree=...) (or set_limits) if you mean it
    """
    limit = get_limits().max_degree
    if value > limit:
        raise InvalidArgumentError(
            f"{name}={brief(value, str)} is more than the limit max_degree={brief(limit, str)}; raise it with "
            "symequi.core.limits.using_limits(max_degree=...) (or set_limits) if you mean it"
        )
    return value
