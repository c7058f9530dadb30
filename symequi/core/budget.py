"""Time budgets for long symbolic steps.

sympy can run for a very long time on an innocent-looking integral or
simplification.  Every such step in symequi runs inside :func:`time_budget`
(or a function decorated with :func:`budgeted`); when the budget runs out a
:class:`~symequi.core.errors.BudgetExceededError` is raised, which the
deciders turn into an Undecided verdict.  Budgets nest: an inner budget never
outlives the one around it (the innermost deadline is the earliest).

How a budget stops the step
---------------------------
* Main thread (POSIX): a ``SIGALRM`` interval timer.  A timer or handler that
  was there before (the user's own ``setitimer``, an enclosing budget) is
  saved, still fires on time while the budget runs, and is restored -- with
  what is left of it -- when the budget ends.
* Any other thread (thread pools, web servers, Jupyter or Dask workers), and
  platforms without ``SIGALRM``: a watchdog thread raises the error in the
  step's thread (CPython's ``PyThreadState_SetAsyncExc``).

Both interrupt pure-Python work such as sympy's.  A single long call into C
(one z3 solve, one huge python-flint product) ends only when it returns to
Python: give z3 its own timeout.  Firing is deferred while it would do harm:
during an import (a half-run import leaves a half-initialised module; an
import may overrun by at most ``_IMPORT_GRACE_SECONDS``), inside a garbage
collector callback or a ``__del__`` method (where Python would swallow the
error), and inside this module's own bookkeeping.

A budget error is never swallowed: after it fired the alarm repeats every
``_REFIRE_SECONDS`` while the block still runs, and when the block ends past
its deadline -- returning normally because library code caught the error, or
raising another exception in its place -- the block raises
BudgetExceededError all the same.  Each thread has its own stack of budgets.

Example
-------
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

import ctypes
import functools
import gc
import math
import os
import signal
import sys
import threading
import time
import warnings
import weakref
from collections.abc import Callable
from types import FrameType, TracebackType
from typing import Any, Literal, TypeVar

from .errors import BudgetExceededError, InvalidArgumentError
from .texts import brief

try:  # the C functions without signal's enum conversions (4x faster on every budget)
    import _signal as _sig  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - not CPython
    _sig = signal

__all__ = ["time_budget", "budgeted", "set_time_budget", "get_time_budget", "check_budget"]

_default_seconds = 30.0
#: After the budget fires, it fires again at this interval while the block still
#: runs, so that an exception swallowed by library code is raised again.
_REFIRE_SECONDS = 0.05
#: When firing would do harm (an import, a gc callback), try again this much later.
_DEFER_SECONDS = 0.005
#: An import in progress may overrun the budget by this much before it is interrupted anyway.
_IMPORT_GRACE_SECONDS = 10.0
#: Timers are not exact: an alarm this close to a deadline counts as on time.
_SLACK_SECONDS = 0.001

_THIS_FILE = __file__
_IMPORT_FILE = "<frozen importlib._bootstrap>"
_IMPORT_FUNCTIONS = frozenset({"_find_and_load", "_load_unlocked", "_load", "_exec"})
_FINALIZE_CODE = weakref.finalize.__call__.__code__

F = TypeVar("F", bound=Callable[..., Any])

_local = threading.local()


def _frames() -> list[_TimeBudget]:
    """The stack of armed budgets of the current thread (innermost last)."""
    stack = getattr(_local, "frames", None)
    if stack is None:
        stack = _local.frames = []
    return stack


def budget_ran_out() -> bool:
    """True when a budget around this point, in this thread, has fired or passed its deadline.

    Library code may swallow the error a budget raises and return a partial answer (an
    unevaluated ``Integral``, a fallback method's form); a result computed while this is
    True must not be kept for later.

    >>> with time_budget(5, "a quick step"):
    ...     budget_ran_out()
    False
    """
    now = time.monotonic()
    return any(b._fired or now > b.deadline for b in _frames())


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
        raise InvalidArgumentError(f"seconds={brief(seconds)} must be a number of seconds > 0, such as 30")
    try:
        value = float(seconds)
    except (TypeError, ValueError, OverflowError) as err:  # OverflowError: an int of over 308 digits
        raise InvalidArgumentError(
            f"seconds={brief(seconds)} must be a number of seconds > 0, such as 30 (or math.inf for no limit)"
        ) from err
    if not value > 0:
        raise InvalidArgumentError(
            f"seconds={brief(seconds)} must be > 0 (or math.inf for no limit of its own)"
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
            f"{name}={brief(budget)} must be a {kind} number of seconds (such as 30), or None for the default"
        )
    return float(budget)


# --- where an exception must not be raised ------------------------------------------------
def _gc_callback_codes() -> set[Any]:
    codes = set()
    for callback in list(gc.callbacks):
        fn = getattr(callback, "__func__", callback)
        code = getattr(fn, "__code__", None) or getattr(getattr(type(fn), "__call__", None), "__code__", None)
        if code is not None:
            codes.add(code)
    return codes


#: The thread whose garbage collection is running (Python code run by the collector --
#: weakref callbacks, ``__del__``, finalizers -- has its exceptions swallowed).
_collecting: int | None = None


def _track_collection(phase: str, info: dict[str, int]) -> None:
    global _collecting
    _collecting = threading.get_ident() if phase == "start" else None


gc.callbacks.append(_track_collection)


def _unsafe_to_raise(frame: FrameType | None, budget: _TimeBudget) -> bool:
    """True when raising in ``frame`` (in the budget's thread) now would do harm: in
    this module's own bookkeeping, during a garbage collection (in a gc callback,
    ``__del__`` or finalizer Python would swallow the error), or during an import
    started inside the budget (which would leave a half-initialised module; an
    import gets at most ``_IMPORT_GRACE_SECONDS`` past the deadline)."""
    if frame is None:
        return False
    if frame.f_code.co_filename == _THIS_FILE or _collecting == budget._thread_id:
        return True
    swallowing = _gc_callback_codes()
    importing = False
    f: FrameType | None = frame
    while f is not None and id(f) != budget._entry:   # only what runs inside the budget
        code = f.f_code
        if code in swallowing or code.co_name == "__del__" or code is _FINALIZE_CODE:
            return True
        if code.co_filename == _IMPORT_FILE and code.co_name in _IMPORT_FUNCTIONS:
            importing = True
        f = f.f_back
    return importing and time.monotonic() < budget.deadline + _IMPORT_GRACE_SECONDS


# --- the watchdog: budgets outside the main thread -----------------------------------------
def _async_exc_functions() -> tuple[Callable[..., int], Callable[..., int]] | None:
    try:
        api = ctypes.pythonapi
        raise_in = ctypes.PYFUNCTYPE(ctypes.c_int, ctypes.c_ulong, ctypes.py_object)(
            ("PyThreadState_SetAsyncExc", api))
        clear_in = ctypes.PYFUNCTYPE(ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p)(
            ("PyThreadState_SetAsyncExc", api))
    except (AttributeError, OSError):  # pragma: no cover - not CPython
        return None
    return raise_in, clear_in


_ASYNC_EXC = _async_exc_functions()


class _AsyncBudgetExceeded(BudgetExceededError):
    """What the watchdog raises in a step's thread.  Python creates it (with no
    arguments) in that thread when it is delivered; it looks up which budget it
    belongs to, and ends that budget's bookkeeping if it lands inside it."""

    def __init__(self) -> None:
        budget = next((b for b in reversed(_frames()) if b._pending), None)
        if budget is None:  # pragma: no cover - a cancelled injection arrived anyway
            BudgetExceededError.__init__(self, "a symbolic step", math.nan)
            return
        with _WATCHDOG.lock:
            budget._pending = False
        landing = sys._getframe(1)
        if landing.f_code.co_filename == _THIS_FILE:
            _teardown_landing(landing)
        BudgetExceededError.__init__(self, budget.what, budget.seconds)


def _runs_inside(frame: FrameType | None, entry: int) -> bool:
    """True when the frame with id ``entry`` is ``frame`` or one of its callers."""
    while frame is not None:
        if id(frame) == entry:
            return True
        frame = frame.f_back
    return False


def _teardown_landing(frame: FrameType | None) -> None:
    """The error landed inside a budget's ``__enter__``/``__exit__``: finish that
    budget's cleanup now, since the rest of the method will not run."""
    while frame is not None and frame.f_code.co_filename == _THIS_FILE:
        if frame.f_code in (_TimeBudget.__enter__.__code__, _TimeBudget.__exit__.__code__):
            owner = frame.f_locals.get("self")
            if isinstance(owner, _TimeBudget):
                owner._disarm()
            return
        frame = frame.f_back


class _Watchdog:
    """One daemon thread that raises BudgetExceededError in threads whose budget ran out."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._wake = threading.Condition(self.lock)
        self._budgets: set[_TimeBudget] = set()
        self._thread: threading.Thread | None = None

    def add(self, budget: _TimeBudget) -> None:
        with self.lock:
            self._budgets.add(budget)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="symequi-budget-watchdog", daemon=True)
                self._thread.start()
            self._wake.notify()

    def remove(self, budget: _TimeBudget) -> None:
        with self.lock:
            self._budgets.discard(budget)

    def reset_after_fork(self) -> None:
        self.lock = threading.RLock()
        self._wake = threading.Condition(self.lock)
        self._budgets = set()
        self._thread = None

    def _run(self) -> None:
        while True:
            with self.lock:
                now = time.monotonic()
                for budget in [b for b in self._budgets if b._next_check <= now]:
                    self._visit(budget, now)
                wait = min((b._next_check for b in self._budgets), default=now + 60) - time.monotonic()
                if wait > 0:
                    self._wake.wait(wait)

    def _visit(self, budget: _TimeBudget, now: float) -> None:
        if not budget._active or _ASYNC_EXC is None:
            self._budgets.discard(budget)
            return
        budget._next_check = now + _REFIRE_SECONDS
        if budget._pending:        # the last one is not delivered yet (the thread is in C code)
            return
        stack = budget._stack
        if not stack or stack[-1] is not budget:   # an inner budget of that thread fires first
            return
        frame = sys._current_frames().get(budget._thread_id)
        if frame is None or not _runs_inside(frame, budget._entry):  # pragma: no cover - defensive
            # The thread is gone, or left the block without our cleanup: never raise there.
            budget._active = False
            self._budgets.discard(budget)
            return
        where = frame.f_lasti
        # The thread waits for the GIL at a check point of ``frame``; the error is raised
        # there when it resumes, so that is where it lands -- unless it moved meanwhile.
        if _unsafe_to_raise(frame, budget) or sys._current_frames().get(budget._thread_id) is not frame \
                or frame.f_lasti != where:
            budget._next_check = now + _DEFER_SECONDS
            return
        budget._pending = budget._fired = True
        _ASYNC_EXC[0](budget._thread_id, _AsyncBudgetExceeded)


_WATCHDOG = _Watchdog()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_WATCHDOG.reset_after_fork)


# --- the budget itself ------------------------------------------------------------------------
class _TimeBudget:
    """The context manager returned by :func:`time_budget` (use it once)."""

    __slots__ = ("seconds", "_what", "deadline", "_mode", "_active", "_fired", "_pending", "_stack",
                 "_thread_id", "_entry", "_next_check", "_previous_handler", "_outer_due", "_outer_interval",
                 "_armed_for", "__weakref__")

    def __init__(self, seconds: float, what: str | Callable[[], str]) -> None:
        self.seconds = seconds
        self._what = what
        self.deadline = math.inf
        self._mode = "idle"            # "idle", "inherit", "alarm" or "watchdog"
        self._active = False
        self._fired = False
        self._pending = False
        self._stack: list[_TimeBudget] = []
        self._thread_id = 0
        self._entry = 0                # id of the frame running the ``with`` (alive while we are)
        self._next_check = math.inf
        # alarm mode: the timer and handler that were there before
        self._previous_handler: Any = None
        self._outer_due: float | None = None
        self._outer_interval = 0.0
        self._armed_for: float | None = None

    @property
    def what(self) -> str:
        """What the budget is for (evaluated once, when first needed)."""
        if callable(self._what):
            try:
                self._what = str(self._what())
            except Exception:  # noqa: BLE001 - a broken description must not hide the timeout
                self._what = "a symbolic step"
        return str(self._what)

    def __repr__(self) -> str:
        return f"time_budget({brief(self.seconds, '{:g}'.format)}, {brief(self.what)})"

    # --- entering -------------------------------------------------------------------------------
    def __enter__(self) -> None:
        if self._mode != "idle":
            raise InvalidArgumentError(f"{brief(self)} is already in use; call time_budget(...) for each block")
        now = time.monotonic()
        deadline = now + self.seconds
        stack = _frames()
        while stack and not stack[-1]._active:   # pragma: no cover - left without cleanup (defensive)
            stack.pop()
        if not math.isfinite(deadline) or (stack and stack[-1].deadline <= deadline):
            # An enclosing budget ends first (or there is no limit): it is the one that fires.
            self._mode = "inherit"
            return None
        self.deadline = deadline
        self._stack = stack
        self._thread_id = threading.get_ident()
        self._entry = id(sys._getframe(1))
        self._active = True
        stack.append(self)
        try:
            if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
                self._mode = "alarm"
                self._arm_alarm()
            else:
                self._mode = "watchdog"
                if _ASYNC_EXC is None:  # pragma: no cover - not CPython
                    warnings.warn("time budgets outside the main thread are only checked when the step ends "
                                  "on this Python", RuntimeWarning, stacklevel=2)
                self._next_check = deadline
                _WATCHDOG.add(self)
        except BaseException:
            self._disarm()
            raise
        return None

    def _arm_alarm(self) -> None:
        blocked = _sig.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        try:
            self._previous_handler = _sig.getsignal(signal.SIGALRM)
            delay, interval = signal.getitimer(signal.ITIMER_REAL)
            now = time.monotonic()
            self._outer_due = now + delay if delay > 0 else None
            self._outer_interval = interval
            _sig.signal(signal.SIGALRM, self._on_alarm)
            self._set_timer(self.deadline, now)
        finally:
            _sig.pthread_sigmask(signal.SIG_SETMASK, blocked)

    def _set_timer(self, mine: float | None, now: float) -> None:
        """Arm the real timer for the earlier of ``mine`` and the outer timer's next expiry."""
        due = min((t for t in (mine, self._outer_due) if t is not None), default=None)
        self._armed_for = due
        signal.setitimer(signal.ITIMER_REAL, 0 if due is None else max(due - now, 1e-6))

    # --- firing (main thread) -------------------------------------------------------------------
    def _on_alarm(self, signum: int, frame: FrameType | None) -> None:
        now = time.monotonic()
        mine = self._armed_for is not None and now >= self._armed_for - _SLACK_SECONDS
        outer = self._outer_due is not None and now >= self._outer_due - _SLACK_SECONDS
        fire = False
        next_mine: float | None = None
        if self._active:
            if now < self.deadline - _SLACK_SECONDS:
                next_mine = self.deadline
            elif _unsafe_to_raise(frame, self):
                next_mine = now + _DEFER_SECONDS
            else:
                fire, next_mine = True, now + _REFIRE_SECONDS
        if outer or not mine:
            # The outer timer is due, or the signal is not ours: it belongs to whoever was there before.
            self._forward(signum, frame, next_mine, real=outer)
        else:
            self._set_timer(next_mine, now)
        if fire:
            self._fired = True
            raise BudgetExceededError(self.what, self.seconds)

    def _forward(self, signum: int, frame: FrameType | None, next_mine: float | None, *, real: bool) -> None:
        """Deliver the outer timer's alarm to the outer handler, as if we were not here."""
        # The outer timer as the kernel would have left it: after its expiry a one-shot
        # timer is spent and a periodic one reloads; after a stray signal it keeps running.
        now = time.monotonic()
        if real:
            left = self._outer_interval
        else:
            left = 0.0 if self._outer_due is None else max(self._outer_due - now, 1e-6)
        signal.setitimer(signal.ITIMER_REAL, left, self._outer_interval)
        self._outer_due = None
        try:
            handler = self._previous_handler
            if callable(handler):
                handler(signum, frame)
            elif real and handler == signal.SIG_DFL:  # pragma: no cover - ends the process, as it would have
                _sig.signal(signal.SIGALRM, signal.SIG_DFL)
                signal.raise_signal(signal.SIGALRM)
        finally:
            # The outer handler may have re-armed the timer: that is its next expiry.
            delay, interval = signal.getitimer(signal.ITIMER_REAL)
            now = time.monotonic()
            self._outer_due = now + delay if delay > 0 else None
            self._outer_interval = interval
            self._set_timer(next_mine if self._active else None, now)

    # --- leaving ----------------------------------------------------------------------------------
    def _disarm(self) -> None:
        """Stop this budget and give the timer back; safe to call more than once."""
        if not self._active:
            return
        if self._mode == "watchdog":
            with _WATCHDOG.lock:
                self._active = False
                if self._pending and _ASYNC_EXC is not None:
                    _ASYNC_EXC[1](self._thread_id, None)   # cancel an error not delivered yet
                    self._pending = False
                _WATCHDOG.remove(self)
        elif self._mode == "alarm":
            self._active = False
            self._restore_alarm()
        self._active = False
        if self in self._stack:
            self._stack.remove(self)

    def _restore_alarm(self) -> None:
        if _sig.getsignal(signal.SIGALRM) != self._on_alarm:
            return   # we never took the alarm over (or someone else has replaced our handler since)
        blocked = _sig.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
            if hasattr(signal, "sigtimedwait") and signal.SIGALRM in _sig.sigpending():
                # Our alarm (or the outer one) arrived during the hand-over: the outer
                # timer is re-armed below with its own remaining time, so drop it.
                signal.sigtimedwait({signal.SIGALRM}, 0)
            handler = self._previous_handler
            _sig.signal(signal.SIGALRM, signal.SIG_DFL if handler is None else handler)
            self._armed_for = None
            if self._outer_due is not None:
                left = self._outer_due - time.monotonic()
                signal.setitimer(signal.ITIMER_REAL, max(left, 1e-6), self._outer_interval)
        finally:
            _sig.pthread_sigmask(signal.SIG_SETMASK, blocked)

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> Literal[False]:
        try:
            if self._mode == "inherit":
                return False
            self._disarm()
        finally:
            self._mode = "done"
        ran_out = self._fired or time.monotonic() > self.deadline
        if exc is None:
            if ran_out:
                # The body ran past the budget yet returned (e.g. library code swallowed
                # the error): its result cannot be trusted to be complete.
                raise BudgetExceededError(self.what, self.seconds)
            return False
        if isinstance(exc, _AsyncBudgetExceeded):
            raise BudgetExceededError(exc.what, exc.seconds).with_traceback(tb) from None
        if ran_out and self._fired and isinstance(exc, Exception) and not isinstance(exc, BudgetExceededError):
            # Library code turned the budget error into another one: the budget still ran out.
            raise BudgetExceededError(self.what, self.seconds) from exc
        return False


def time_budget(seconds: float | int | None = None,
                what: str | Callable[[], str] = "a symbolic step") -> _TimeBudget:
    """Run the body under a time budget; raise BudgetExceededError when it runs out.

    ``seconds=None`` uses the default budget (:func:`set_time_budget`).
    ``math.inf`` means no budget of its own (an enclosing one still applies).
    When an enclosing budget runs out first, the error names that budget.
    ``what`` is a text, or a function returning one (called only if needed).
    Works in any thread (see the module notes for how, and for C calls).

    >>> with time_budget(5, "adding two numbers"):
    ...     total = 1 + 1
    >>> total
    2
    """
    budget = _default_seconds if seconds is None else _check_seconds(seconds)
    return _TimeBudget(budget, what if callable(what) else str(what))


def budgeted(what: str | Callable[..., str]) -> Callable[[F], F]:
    """Decorator: run the function under the default time budget (:func:`set_time_budget`).

    ``what`` names the step in the error; it is a text, or a function of the
    decorated function's arguments returning one (called only if the budget
    runs out).  Inside an enclosing budget that ends sooner, this costs
    almost nothing.

    >>> @budgeted(lambda n: f"counting to {n}")
    ... def count(n):
    ...     return sum(1 for _ in range(n))
    >>> count(10)
    10
    """
    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            text = functools.partial(what, *args, **kwargs) if callable(what) else what
            with time_budget(None, text):
                return fn(*args, **kwargs)
        return wrapper  # type: ignore[return-value]
    return decorate
