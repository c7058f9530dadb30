"""Time budgets: symequi/budget.py (nesting, restoring timers, sympy work, threads)."""

import math
import signal
import threading
import time

import pytest
import sympy

from symequi.core.budget import get_time_budget, set_time_budget, time_budget
from symequi.core.errors import BudgetExceededError, InvalidArgumentError

x = sympy.Symbol("x", real=True)


def _spin(seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


@pytest.fixture(autouse=True)
def _no_timer_left_behind():
    handler = signal.getsignal(signal.SIGALRM)
    yield
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is handler


def test_fast_body_passes_and_returns_its_value():
    with time_budget(5, "adding"):
        total = sum(range(10))
    assert total == 45


def test_busy_loop_is_interrupted_with_the_name_and_budget():
    start = time.monotonic()
    with pytest.raises(BudgetExceededError) as info:
        with time_budget(0.1, "a busy loop"):
            while True:
                pass
    assert time.monotonic() - start < 2
    assert info.value.what == "a busy loop"
    assert info.value.seconds == 0.1
    assert "a busy loop did not finish within its time budget of 0.1 s" in str(info.value)


def test_budget_expiring_inside_sympy_work_raises():
    # this definite integral runs for many seconds in sympy 1.14
    hard = sympy.exp(-x**2) * sympy.log(1 + x**4) / (1 + x**3)
    start = time.monotonic()
    with pytest.raises(BudgetExceededError) as info:
        with time_budget(0.3, "integrating a hard function"):
            sympy.integrate(hard, (x, 0, 1))
    assert time.monotonic() - start < 3
    assert info.value.what == "integrating a hard function"


def test_inner_budget_longer_than_outer_cannot_outlive_it():
    start = time.monotonic()
    with pytest.raises(BudgetExceededError) as info:
        with time_budget(0.15, "outer step"):
            with time_budget(60, "inner step"):
                while True:
                    pass
    assert time.monotonic() - start < 2
    # the error names the budget that actually ran out
    assert (info.value.what, info.value.seconds) == ("outer step", 0.15)


def test_inner_budget_shorter_than_outer_fires_first_and_can_be_caught():
    with time_budget(5, "outer step"):
        with pytest.raises(BudgetExceededError) as info:
            with time_budget(0.05, "inner step"):
                while True:
                    pass
        assert info.value.what == "inner step"
        # the outer budget is still armed with what is left of it
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 4 < left <= 5


def test_outer_timer_is_restored_and_still_fires():
    start = time.monotonic()
    with pytest.raises(BudgetExceededError) as info:
        with time_budget(0.3, "outer step"):
            with time_budget(0.05, "quick inner step"):
                pass
            left, _ = signal.getitimer(signal.ITIMER_REAL)
            assert 0 < left <= 0.3
            while True:
                pass
    assert info.value.what == "outer step"
    assert 0.25 < time.monotonic() - start < 2


def test_foreign_timer_and_handler_are_restored():
    fired = []
    previous = signal.signal(signal.SIGALRM, lambda *a: fired.append(1))
    try:
        signal.setitimer(signal.ITIMER_REAL, 30)
        with time_budget(1, "a step"):
            pass
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 28 < left <= 30
        assert fired == []
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_swallowed_alarm_still_ends_in_an_error():
    # library code that catches Exception must not turn a timeout into success
    with pytest.raises(BudgetExceededError):
        with time_budget(0.05, "a step that swallows errors"):
            for _ in range(20):
                try:
                    _spin(0.02)
                except Exception:  # noqa: BLE001 - simulating careless library code
                    pass


def test_infinite_budget_keeps_the_enclosing_one():
    with pytest.raises(BudgetExceededError) as info:
        with time_budget(0.1, "outer step"):
            with time_budget(math.inf, "unbounded inner"):
                while True:
                    pass
    assert info.value.what == "outer step"
    with time_budget(math.inf, "no limit at all"):
        pass


def test_default_budget_is_used_and_settable():
    old = get_time_budget()
    try:
        set_time_budget(0.1)
        assert get_time_budget() == 0.1
        with pytest.raises(BudgetExceededError) as info:
            with time_budget(None, "default-budget step"):
                while True:
                    pass
        assert info.value.seconds == 0.1
    finally:
        set_time_budget(old)
    assert get_time_budget() == old


@pytest.mark.parametrize("bad", [0, -1, float("nan"), "soon", None, True])
def test_invalid_budgets_are_refused(bad):
    with pytest.raises(InvalidArgumentError, match="seconds="):
        set_time_budget(bad)
    if bad is not None:
        with pytest.raises(InvalidArgumentError, match="seconds="):
            with time_budget(bad):
                pass


def _run_in_thread(fn):
    box = {}

    def target():
        try:
            box["value"] = fn()
        except BaseException as err:  # noqa: BLE001 - hand the error to the test
            box["error"] = err

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(10)
    return box


def test_outside_main_thread_falls_back_to_a_post_check():
    def slow():
        with time_budget(0.05, "a step in a worker thread"):
            time.sleep(0.2)
        return "finished"

    box = _run_in_thread(slow)
    assert isinstance(box.get("error"), BudgetExceededError)
    assert box["error"].what == "a step in a worker thread"

    def fast():
        with time_budget(5, "quick"):
            return 1 + 1

    assert _run_in_thread(fast) == {"value": 2}


def test_threads_have_their_own_budget_stacks():
    # a long budget in a worker must not shorten or break the main thread's budgets
    started = threading.Event()
    release = threading.Event()

    outcome = []

    def worker():
        try:
            with time_budget(0.01, "worker step"):
                started.set()
                release.wait(5)
        except BudgetExceededError as err:  # expected: the worker overran its own budget
            outcome.append(err.what)

    thread = threading.Thread(target=worker)
    thread.start()
    started.wait(5)
    try:
        with time_budget(5, "main step"):
            _spin(0.05)  # the worker's (expired) 0.01 s budget is not ours
    finally:
        release.set()
        thread.join(5)
    assert outcome == ["worker step"]


def test_exceptions_from_the_body_propagate_unchanged():
    with pytest.raises(KeyError):
        with time_budget(5, "a step"):
            raise KeyError("boom")


def test_tiny_budgets_always_clean_up():
    # the alarm may fire before the body starts; the handler and timer are still restored
    outer = signal.getsignal(signal.SIGALRM)
    for _ in range(30):
        with pytest.raises(BudgetExceededError):
            with time_budget(1e-6, "a tiny step"):
                _spin(0.01)
        assert signal.getsignal(signal.SIGALRM) is outer
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    _spin(0.1)  # no stray alarm arrives afterwards
