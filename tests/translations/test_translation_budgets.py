"""Every translation entry point that can run long runs under the default time budget.

Each case is far too big to finish in 0.1 s; with ``set_time_budget(0.1)`` it
must end quickly with BudgetExceededError naming the step (or, through
``decide``, with an Undecided verdict), instead of running unbounded.
"""

import time

import pytest
import sympy

from symequi.core.budget import get_time_budget, set_time_budget, time_budget
from symequi.core.errors import BudgetExceededError
from symequi.core.signal import Signal
from symequi.core.square import Square
from symequi.deciders.dispatch import decide
from symequi.translations.fourier import FourierShift, fourier_taps_cyclotomic
from symequi.translations.interpolation import InterpolationShift
from symequi.translations.kernels import LagrangeKernel, LanczosKernel
from symequi.translations.resampling import Downsample, FourierUpsample, IdealLowPass


def _big_lagrange() -> LagrangeKernel:
    """Order 6001: beyond the default degree limit (raised here on purpose: this kernel must be slow)."""
    from symequi.core.limits import using_limits

    with using_limits(max_degree=10_000):
        return LagrangeKernel(order=6001)

s = sympy.Symbol("s", real=True)


@pytest.fixture
def tiny_budget():
    old = get_time_budget()
    set_time_budget(0.1)
    yield 0.1
    set_time_budget(old)


CASES = {
    "FourierShift applied": (lambda: FourierShift("1/3")(Signal(list(range(2000)))), "applying FourierShift"),
    "FourierShift taps": (lambda: FourierShift("1/3").taps(3000), "computing the taps of FourierShift"),
    "FourierShift symbolic taps": (lambda: FourierShift(s).taps(200000), "computing the taps of FourierShift"),
    "FourierShift matrix": (lambda: FourierShift("1/3").matrix(2000), "building the matrix of FourierShift"),
    "fourier_taps_cyclotomic": (lambda: fourier_taps_cyclotomic("1/3", 3000), "the band-limited shift's taps"),
    "Lagrange taps": (lambda: InterpolationShift("1/3", kernel=_big_lagrange()).taps(8),
                      "computing the taps of InterpolationShift"),
    "Lanczos applied": (lambda: InterpolationShift(("1/3", "1/3"), kernel=LanczosKernel())(
        Signal([[i + j for j in range(300)] for i in range(300)])), "applying InterpolationShift"),
    "Lanczos matrix": (lambda: InterpolationShift("1/3", kernel=LanczosKernel()).matrix(3000),
                       "building the matrix of InterpolationShift"),
    "Lagrange kernel value": (lambda: _big_lagrange()(sympy.Rational(1, 3)),
                              "evaluating the kernel Lagrange"),
    "Lagrange kernel formula": (lambda: LagrangeKernel(order=400).formula(), "writing the kernel Lagrange"),
    "Lanczos kernel value": (lambda: LanczosKernel(a=3)(sympy.Rational(1, 30011)),
                             "evaluating the kernel Lanczos"),
    "FourierUpsample": (lambda: FourierUpsample(2)(Signal(list(range(1500)))), "FourierUpsample(2)"),
    "IdealLowPass": (lambda: IdealLowPass(600)(Signal(list(range(1500)))), "IdealLowPass(600)"),
    "Downsample matrix": (lambda: Downsample(2).matrix(3000), "building the matrix of Downsample(2)"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_entry_point_stops_at_the_default_budget(name, tiny_budget):
    run, what = CASES[name]
    start = time.monotonic()
    with pytest.raises(BudgetExceededError) as info:
        run()
    elapsed = time.monotonic() - start
    assert elapsed < 3, f"{name} took {elapsed:.2f} s under a 0.1 s budget"
    assert what in info.value.what
    assert info.value.seconds == tiny_budget
    assert "raise the budget" in str(info.value)


def test_decide_returns_undecided_when_a_translation_runs_out(tiny_budget):
    # the linear decider needs the matrix of the band-limited shift on 2000 points
    square = Square(IdealLowPass(3), FourierShift("1/3"), input_shape=2000)
    start = time.monotonic()
    verdict = decide(square)
    assert time.monotonic() - start < 5
    assert verdict.kind == "undecided"
    assert "time budget" in verdict.reason


def test_entry_point_in_a_worker_thread_stops_too(tiny_budget):
    from concurrent.futures import ThreadPoolExecutor

    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=1) as pool:
        error = pool.submit(CASES["FourierShift applied"][0]).exception(timeout=30)
    assert time.monotonic() - start < 3
    assert isinstance(error, BudgetExceededError)
    assert "applying FourierShift" in error.what


def test_blocked_field_product_matches_one_product(monkeypatch):
    # FourierShift multiplies block by block (so a budget can stop it); the result is
    # the same as one product over all rows
    from symequi.translations import fourier

    signal = Signal([[(3 * i - j * j) % 11 for j in range(35)] for i in range(2)])
    shift = FourierShift(("1/2", "1/3"))
    monkeypatch.setattr(fourier, "_PRODUCT_ROWS", 10**6)
    whole = shift(signal)
    monkeypatch.setattr(fourier, "_PRODUCT_ROWS", 16)
    assert shift(signal) == whole


def test_budget_around_a_translation_still_names_itself():
    # an enclosing budget that ends first is the one reported
    with pytest.raises(BudgetExceededError) as info:
        with time_budget(0.1, "the caller's step"):
            FourierShift("1/3").taps(3000)
    assert info.value.what == "the caller's step"
