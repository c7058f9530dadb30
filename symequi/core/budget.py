"""Time budgets for long symbolic steps.

sympy can run for a very long time on an innocent-looking integral or
simplification.  Every such step in symequi runs inside :func:`time_budget`;
when the budget runs out a :class:`~symequi.core.errors.BudgetExceededError` is
raised, which the deciders turn into an Undecided verdict.  Budgets nest: an
inner budget never outlives the one around it.

The budget is enforced with ``SIGALRM`` (a real-time interval timer), which
interrupts pure-Python work such as sympy's (C code, e.g. z3, is interrupted
only when it returns to Python).  Signals only reach the main thread, so
outside it (or on platforms without ``SIGALRM``) the step runs and its elapsed
time is checked when it returns.  A body that returns after its budget ran
out (for instance because library code caught the exception) also raises.
Each thread has its own stack of budgets.

Example
-------
>>> import time
>>> from symequi.core.budget import time_budget
>>> from symequi.core.errors import BudgetExceededError
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
from typing import Any

from .errors import BudgetExceededError, InvalidArgumentError

__all__ = ["time_budget", "set_time_budget", "get_time_budget", "check_budget"]

_default_seconds = 30.0
#: After the budget runs out the alarm repeats at this interval, so that an
#: exception swallowed by a broad ``except`` inside library code is raised again.
_REFIRE_SECONDS = 0.05


class _Frame:
    """One active budget: when it ends, and what to report when it does."""

    __slots__ = ("deadline", "what", "seconds")

    def __init__(self, deadline: float, what: str, seconds: float) -> None:
        self.deadline = deadline
        self.what = what
        self.seconds = seconds


_local = threading.local()


def _frames() -> list[_Frame]:
    """The stack of active budgets of the current thread (innermost last)."""
    stack = getattr(_local, "frames", None)
    if stack is None:
        stack = _local.frames = []
    return stack


def set_time_budget(seconds: float | int) -> None:
    """Set the default budget (in seconds) for one symbolic step.

    >>> set_time_budget(30)
    >>> get_time_budget()
    30.0
    """
    global _default_seconds
    _default_seconds = _check_seconds(seconds)


def get_time_budget() -> float:
    """The default budget for one symbolic step, in seconds.

    >>> get_time_budget() > 0
    True
    """
    return _default_seconds


def _check_seconds(seconds: float | int) -> float:
    # Durations are not exact data: a float budget is fine here.
    if isinstance(seconds, bool):
        raise InvalidArgumentError(f"seconds={seconds!r} must be a number of seconds > 0, such as 30")
    try:
        value = float(seconds)
    except (TypeError, ValueError) as err:
        raise InvalidArgumentError(
            f"seconds={seconds!r} must be a number of seconds > 0, such as 30 (or math.inf for no limit)"
        ) from err
    if not value > 0:
        raise InvalidArgumentError(
            f"seconds={seconds!r} must be > 0 (or math.inf for no limit of its own)"
        )
    return value


def check_budget(budget: Any, name: str = "budget", *, finite: bool = False) -> float | None:
    """Validate an optional budget in seconds: None stays None, else a float > 0.

    ``finite=True`` refuses ``math.inf`` (for solvers that need a real timeout).

    >>> check_budget(None), check_budget(2)
    (None, 2.0)
    >>> check_budget(0)
    Traceback (most recent call last):
    ...
    symequi.core.errors.InvalidArgumentError: budget=0 must be a positive number of seconds (such as 30), or None for the default
    """
    if budget is None:
        return None
    if isinstance(budget, bool) or not isinstance(budget, (int, float)) or not budget > 0 \
            or (finite and math.isinf(budget)):
        kind = "finite positive" if finite else "positive"
        raise InvalidArgumentError(
            f"{name}={budget!r} must be a {kind} number of seconds (such as 30), or None for the default"
        )
    return float(budget)


def _can_alarm() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def time_budget(seconds: float | int | None = None, what: str = "a symbolic step") -> Iterator[None]:
    """Run the body under a time budget; raise BudgetExceededError when it runs out.

    ``seconds=None`` uses the default budget (:func:`set_time_budget`).
    ``math.inf`` means no budget of its own (an enclosing one still applies).
    When an enclosing budget runs out first, the error names that budget.
    Outside the main thread the body runs to its end and the elapsed time is
    checked afterwards.

    >>> with time_budget(5, "adding two numbers"):
    ...     total = 1 + 1
    >>> total
    2
    """
    budget = _default_seconds if seconds is None else _check_seconds(seconds)
    start = time.monotonic()
    frames = _frames()
    own = _Frame(start + budget, str(what), budget)
    # The binding budget: ours, or an enclosing one that ends sooner.
    binding = own if not frames or own.deadline <= frames[-1].deadline else frames[-1]
    frame = _Frame(binding.deadline, binding.what, binding.seconds)
    if not _can_alarm():
        if time.monotonic() >= frame.deadline:
            raise BudgetExceededError(frame.what, frame.seconds)
        frames.append(frame)
        try:
            yield
        finally:
            frames.pop()
        if time.monotonic() > frame.deadline:
            raise BudgetExceededError(frame.what, frame.seconds)
        return

    remaining = frame.deadline - time.monotonic()
    if remaining <= 0:
        raise BudgetExceededError(frame.what, frame.seconds)
    active = True

    def on_alarm(signum, frame_):  # noqa: ARG001 - signal handler signature
        if active:
            raise BudgetExceededError(frame.what, frame.seconds)

    previous_handler = signal.getsignal(signal.SIGALRM)
    previous_timer = signal.getitimer(signal.ITIMER_REAL)
    frames.append(frame)
    try:
        # Armed inside the try: an alarm that fires at once still gets cleaned up.
        signal.signal(signal.SIGALRM, on_alarm)
        if math.isfinite(remaining):
            signal.setitimer(signal.ITIMER_REAL, remaining, _REFIRE_SECONDS)
        yield
    finally:
        # Nested try/finally: the cleanup completes even if the alarm fires
        # (once more) while it runs.
        try:
            active = False
            signal.setitimer(signal.ITIMER_REAL, 0)
        finally:
            signal.signal(
                signal.SIGALRM, signal.SIG_DFL if previous_handler is None else previous_handler
            )
            frames.pop()
            if previous_timer[0] > 0:
                # Re-arm the enclosing timer with what is left of it.
                left = previous_timer[0] - (time.monotonic() - start)
                signal.setitimer(signal.ITIMER_REAL, max(left, 1e-6), previous_timer[1])
    if time.monotonic() > frame.deadline:
        # The body ran past the budget yet returned (e.g. library code swallowed
        # the alarm's exception): its result cannot be trusted to be complete.
        raise BudgetExceededError(frame.what, frame.seconds)
