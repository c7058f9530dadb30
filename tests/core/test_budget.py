"""Time budgets: symequi/core/budget.py (nesting, outer timers, threads, gc callbacks, imports)."""

import gc
import importlib
import math
import os
import pathlib
import subprocess
import sys
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


# --- budgets outside the main thread really stop the step ---------------------------------------
def _sympy_loop():
    # pure-Python sympy work that runs for minutes if nothing stops it
    total = sympy.Integer(0)
    k = 0
    while True:
        k += 1
        total = sympy.expand((total + x**k) * (1 + x)) % 7


def test_thread_pool_step_is_interrupted():
    from concurrent.futures import ThreadPoolExecutor

    def task():
        with time_budget(0.2, "a sympy loop in a pool"):
            _sympy_loop()

    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(task) for _ in range(2)]
        errors = [f.exception(timeout=10) for f in futures]
    elapsed = time.monotonic() - start
    assert elapsed < 2
    for err in errors:
        assert type(err) is BudgetExceededError
        assert err.what == "a sympy loop in a pool" and err.seconds == 0.2
        assert "raise the budget" in str(err)


def test_thread_nested_budgets_name_the_one_that_ran_out():
    def outer_first():
        with time_budget(0.15, "outer step"):
            with time_budget(60, "inner step"):
                while True:
                    pass

    def inner_first():
        with time_budget(5, "outer step"):
            with pytest.raises(BudgetExceededError) as info:
                with time_budget(0.05, "inner step"):
                    while True:
                        pass
            _spin(0.1)  # the outer budget goes on after the inner one ran out
            return info.value.what

    start = time.monotonic()
    box = _run_in_thread(outer_first)
    assert (box["error"].what, box["error"].seconds) == ("outer step", 0.15)
    assert _run_in_thread(inner_first) == {"value": "inner step"}
    assert time.monotonic() - start < 3


def test_thread_budget_that_ended_never_fires_later():
    # many budgets that end around their deadline; afterwards no stray error may arrive
    def many():
        outcomes = {"ok": 0, "ran out": 0}
        for i in range(150):
            try:
                with time_budget(0.002, "a short step"):
                    _spin(0.001 * (i % 4))
                outcomes["ok"] += 1
            except BudgetExceededError:
                outcomes["ran out"] += 1
        _spin(0.3)  # outside any budget: must not be interrupted
        return outcomes

    box = _run_in_thread(many)
    assert "error" not in box, box
    assert box["value"]["ok"] > 0 and box["value"]["ran out"] > 0


# --- never swallowed --------------------------------------------------------------------------------
class _Unraisable:
    def __init__(self, monkeypatch):
        self.seen = []
        monkeypatch.setattr(sys, "unraisablehook", lambda info: self.seen.append(info.exc_value))


def test_budget_never_fires_inside_a_gc_callback(monkeypatch):
    # Python swallows exceptions raised in gc callbacks: the budget waits until it returns
    unraisable = _Unraisable(monkeypatch)
    calls = []

    def slow_callback(phase, info):
        if phase == "start" and not calls:
            calls.append(phase)
            _spin(0.3)

    gc.callbacks.append(slow_callback)
    try:
        with pytest.raises(BudgetExceededError) as info:
            with time_budget(0.05, "collecting garbage"):
                gc.collect()
                while True:
                    pass
    finally:
        gc.callbacks.remove(slow_callback)
    assert calls == ["start"]
    assert unraisable.seen == []
    assert info.value.what == "collecting garbage"


def test_budget_in_a_thread_never_fires_inside_a_gc_callback(monkeypatch):
    unraisable = _Unraisable(monkeypatch)
    ident = []

    def slow_callback(phase, info):
        if phase == "start" and threading.get_ident() in ident:
            ident.clear()
            _spin(0.3)

    def step():
        ident.append(threading.get_ident())
        with time_budget(0.05, "collecting garbage in a thread"):
            gc.collect()
            while True:
                pass

    gc.callbacks.append(slow_callback)
    try:
        box = _run_in_thread(step)
    finally:
        gc.callbacks.remove(slow_callback)
    assert isinstance(box["error"], BudgetExceededError)
    assert unraisable.seen == []


def test_hypothesis_test_over_budget_raises_not_warns(monkeypatch):
    from hypothesis import given, settings, strategies as st
    from hypothesis.internal.conjecture import junkdrawer

    unraisable = _Unraisable(monkeypatch)
    # Hypothesis times the garbage collector from a gc callback; slow its clock down so
    # that the budget runs out while that callback runs (where Python swallows errors)
    junkdrawer.gc_cumulative_time()
    clock = junkdrawer._perf_counter
    monkeypatch.setattr(junkdrawer, "_perf_counter", lambda: (_spin(0.001), clock())[1])

    @settings(max_examples=3, deadline=None, database=None)
    @given(st.integers(min_value=1, max_value=5))
    def check(k):
        with time_budget(0.05, "a property's body"):
            while True:
                sum(range(2000))
                for _ in range(70):   # cyclic garbage: a collection every 10 rounds or so
                    cycle = []
                    cycle.append(cycle)

    with pytest.raises(BudgetExceededError) as info:
        check()
    assert info.value.what == "a property's body"
    assert unraisable.seen == []


def test_error_turned_into_another_one_is_still_a_budget_error():
    with pytest.raises(BudgetExceededError) as info:
        with time_budget(0.05, "a step whose library rewraps errors"):
            try:
                while True:
                    pass
            except Exception as err:  # noqa: BLE001 - simulating a library that rewraps
                raise ValueError("integration failed") from err
    assert isinstance(info.value.__cause__, ValueError)

    def in_thread():
        with time_budget(0.05, "rewrapping in a thread"):
            try:
                while True:
                    pass
            except Exception as err:  # noqa: BLE001
                raise ValueError("integration failed") from err

    box = _run_in_thread(in_thread)
    assert type(box["error"]) is BudgetExceededError
    assert box["error"].what == "rewrapping in a thread"


def test_swallowed_error_in_a_thread_still_ends_in_an_error():
    def careless():
        with time_budget(0.05, "a careless step in a thread"):
            for _ in range(10):
                try:
                    _spin(0.03)
                except Exception:  # noqa: BLE001 - simulating careless library code
                    pass
        return "finished"

    start = time.monotonic()
    box = _run_in_thread(careless)
    assert isinstance(box.get("error"), BudgetExceededError)
    assert time.monotonic() - start < 2


# --- the user's own alarm ------------------------------------------------------------------------
def test_outer_user_timer_fires_on_time_during_a_budget_and_is_restored():
    fired = []
    start = time.monotonic()

    def handler(signum, frame):
        fired.append(time.monotonic() - start)

    previous = signal.signal(signal.SIGALRM, handler)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.1)
        with time_budget(5, "a step longer than the user's alarm"):
            _spin(0.3)
            assert len(fired) == 1 and 0.09 < fired[0] < 0.25   # on time, not at the budget's end
        assert signal.getsignal(signal.SIGALRM) is handler
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)   # a one-shot timer is spent
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_periodic_user_timer_keeps_ticking_through_budgets():
    ticks = []
    previous = signal.signal(signal.SIGALRM, lambda *a: ticks.append(time.monotonic()))
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.05, 0.05)
        with time_budget(5, "a step"):
            with pytest.raises(BudgetExceededError):
                with time_budget(0.12, "an inner step"):
                    while True:
                        pass
            _spin(0.1)
        _spin(0.06)
        left, interval = signal.getitimer(signal.ITIMER_REAL)
        assert interval == pytest.approx(0.05) and 0 < left <= 0.05
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    # about one tick per 0.05 s over ~0.3 s, none lost or doubled
    assert 4 <= len(ticks) <= 8


def test_outer_user_timer_that_raises_ends_the_budget_cleanly():
    class UserTimeout(Exception):
        pass

    def handler(signum, frame):
        raise UserTimeout

    previous = signal.signal(signal.SIGALRM, handler)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.05)
        start = time.monotonic()
        with pytest.raises(UserTimeout):
            with time_budget(5, "a step"):
                while True:
                    pass
        assert time.monotonic() - start < 1
        assert signal.getsignal(signal.SIGALRM) is handler
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- imports are never cut in half ---------------------------------------------------------------
_SLOW_MODULE = """
import time
_end = time.monotonic() + {seconds}
while time.monotonic() < _end:
    pass
COMPLETE = True
"""


def _slow_module(tmp_path, monkeypatch, name, seconds=0.3):
    (tmp_path / f"{name}.py").write_text(_SLOW_MODULE.format(seconds=seconds))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, name, raising=False)
    return name


def test_import_under_a_tiny_budget_leaves_the_module_importable(tmp_path, monkeypatch):
    name = _slow_module(tmp_path, monkeypatch, "symequi_test_slow_import")
    start = time.monotonic()
    with pytest.raises(BudgetExceededError):
        with time_budget(0.05, "importing a slow module"):
            importlib.import_module(name)
    assert time.monotonic() - start < 2
    assert sys.modules[name].COMPLETE is True      # the import ran to its end, then the budget fired
    assert importlib.import_module(name).COMPLETE is True
    monkeypatch.delitem(sys.modules, name)


def test_import_in_a_thread_under_a_tiny_budget_leaves_the_module_importable(tmp_path, monkeypatch):
    name = _slow_module(tmp_path, monkeypatch, "symequi_test_slow_import_thread")

    def step():
        with time_budget(0.05, "importing in a thread"):
            importlib.import_module(name)

    box = _run_in_thread(step)
    assert isinstance(box.get("error"), BudgetExceededError)
    assert sys.modules[name].COMPLETE is True
    assert importlib.import_module(name).COMPLETE is True
    monkeypatch.delitem(sys.modules, name)


@pytest.mark.slow
def test_heavy_library_import_under_a_tiny_budget(tmp_path):
    # In a fresh interpreter, so that matplotlib is really imported under the budget.
    # Cutting that import in half made the next import fail (ImportError from numpy,
    # AttributeError from matplotlib); several budgets, as the half depends on speed.
    script = (
        "from symequi.core.budget import time_budget\n"
        "from symequi.core.errors import BudgetExceededError\n"
        "for seconds in (0.05, 0.2, 0.4):\n"
        "    try:\n"
        "        with time_budget(seconds, 'importing matplotlib'):\n"
        "            import matplotlib.pyplot\n"
        "    except BudgetExceededError:\n"
        "        pass\n"
        "import matplotlib.pyplot as plt\n"
        "print(callable(plt.figure))\n"
    )
    pytest.importorskip("matplotlib")
    env = dict(os.environ, MPLBACKEND="Agg", MPLCONFIGDIR=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          cwd=str(pathlib.Path(__file__).resolve().parents[2]), env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True"


# --- the decorator ------------------------------------------------------------------------------
def test_budgeted_uses_the_default_budget_and_names_the_step():
    from symequi.core.budget import budgeted

    @budgeted(lambda n: f"looping {n} times")
    def loop(n):
        for _ in range(n):
            _spin(0.01)
        return n

    old = get_time_budget()
    try:
        set_time_budget(0.05)
        with pytest.raises(BudgetExceededError) as info:
            loop(1000)
        assert info.value.what == "looping 1000 times" and info.value.seconds == 0.05
        assert loop(1) == 1
    finally:
        set_time_budget(old)
    assert loop.__name__ == "loop"


def test_budget_entered_during_an_import_still_fires_on_time(tmp_path, monkeypatch):
    # a module that runs a budgeted step while it is being imported: only imports
    # started inside the budget delay it
    name = "symequi_test_budget_at_import"
    (tmp_path / f"{name}.py").write_text(
        "import time\n"
        "from symequi.core.budget import time_budget\n"
        "from symequi.core.errors import BudgetExceededError\n"
        "start = time.monotonic()\n"
        "try:\n"
        "    with time_budget(0.05, 'a step at import time'):\n"
        "        while True:\n"
        "            pass\n"
        "except BudgetExceededError:\n"
        "    ELAPSED = time.monotonic() - start\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, name, raising=False)
    assert importlib.import_module(name).ELAPSED < 1
    monkeypatch.delitem(sys.modules, name)
