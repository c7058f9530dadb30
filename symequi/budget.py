"""Time budgets for long symbolic steps.

sympy can run for a very long time on an innocent-looking integral or
simplification.  Every such step in symequi runs inside :func:`time_budget`;
when the budget runs out a :class:`~symequi.errors.BudgetExceededError` is
raised, which the deciders turn into an Undecided verdict.  Budgets nest: an
inner budget never outlives the one around it.

The budget is enforced with ``SIGALRM`` (a real-time interval timer), which
interrupts pure-Python work such as sympy's.  Signals only reach the main
thread, so outside it (or on platforms without ``SIGALRM``) the step runs and
its elapsed time is checked when it returns.

Example
-------
>>> import time
>>> from symequi.budget import time_budget
>>> from symequi.errors import BudgetExceededError
>>> try:
...     with time_budget(0.05, "a busy loop"):
...         while True:
...             pass
... except BudgetExceededError as err:
...     print(err.what)
a busy loop
"""

from __future__ import annotations

import contextlib
import math
import signal
import threading
import time
from collections.abc import Iterator

from .errors import BudgetExceededError, InvalidArgumentError

__all__ = ["time_budget", "set_time_budget", "get_time_budget"]

_default_seconds = 30.0
_deadlines: list[float] = []


def set_time_budget(seconds: float | int) -> None:
    """Set the default budget (in seconds) for one symbolic step.

    >>> set_time_budget(30)
    >>> get_time_budget()
    30.0
    """
    global _default_seconds
    _default_seconds = _check_seconds(seconds)


def get_time_budget() -> float:
    """The default budget for one symbolic step, in seconds."""
    return _default_seconds


def _check_seconds(seconds: float | int) -> float:
    # Durations are not exact data: a float budget is fine here.
    try:
        value = float(seconds)
    except (TypeError, ValueError) as err:
        raise InvalidArgumentError(f"budget={seconds!r} must be a number of seconds") from err
    if not value > 0:
        raise InvalidArgumentError(f"budget={seconds!r} must be > 0 seconds")
    return value


def _can_alarm() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def time_budget(seconds: float | int | None = None, what: str = "a symbolic step") -> Iterator[None]:
    """Run the body under a time budget; raise BudgetExceededError when it runs out.

    ``seconds=None`` uses the default budget (:func:`set_time_budget`).
    ``math.inf`` means no budget of its own (an enclosing one still applies).
    """
    budget = _default_seconds if seconds is None else _check_seconds(seconds)
    start = time.monotonic()
    deadline = start + budget
    if _deadlines:
        deadline = min(deadline, _deadlines[-1])
    if not _can_alarm():
        _deadlines.append(deadline)
        try:
            yield
        finally:
            _deadlines.pop()
        if time.monotonic() > deadline:
            raise BudgetExceededError(what, budget)
        return

    def on_alarm(signum, frame):  # noqa: ARG001 - signal handler signature
        raise BudgetExceededError(what, budget)

    previous_handler = signal.getsignal(signal.SIGALRM)
    previous_timer = signal.getitimer(signal.ITIMER_REAL)
    _deadlines.append(deadline)
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        _deadlines.pop()
        raise BudgetExceededError(what, budget)
    signal.signal(signal.SIGALRM, on_alarm)
    if math.isfinite(remaining):
        signal.setitimer(signal.ITIMER_REAL, remaining)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        _deadlines.pop()
        if previous_timer[0] > 0:
            # Re-arm the enclosing budget with what is left of it.
            left = previous_timer[0] - (time.monotonic() - start)
            signal.setitimer(signal.ITIMER_REAL, max(left, 1e-6))
