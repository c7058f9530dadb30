"""Size-like arguments are refused before allocation, naming the argument, the limit and the way out."""

from __future__ import annotations

import threading
import time

import pytest

import symequi as se
from symequi.core.errors import InvalidArgumentError
from symequi.core.limits import get_limits, set_limits, using_limits

HUGE = [
    (lambda: se.Signal.zeros(10**9), "shape=(1000000000,)", "max_entries"),
    (lambda: se.Signal.unit((10**5, 10**5), 0), "shape=(100000, 100000)", "max_entries"),
    (lambda: se.Grid(0, 1, 10**12), "n=1000000000000", "max_entries"),
    (lambda: se.Square(se.ReLU(), se.shift(1), input_shape=(10**5, 10**5)), "input_shape", "max_entries"),
    (lambda: se.shift("1/2", method="finite_volume", degree=10**9), "degree=1000000000", "max_degree"),
    (lambda: se.shift("1/2", method="lagrange", order=10**9), "order=1000000000", "max_degree"),
    (lambda: se.Polynomials(10**6), "degree=1000000", "max_degree"),
]


@pytest.mark.parametrize("build, name, limit", HUGE)
def test_huge_sizes_are_refused_at_once(build, name, limit):
    start = time.perf_counter()
    with pytest.raises(InvalidArgumentError) as err:
        build()
    assert time.perf_counter() - start < 1
    text = str(err.value)
    assert name in text and limit in text and "symequi.core.limits.using_limits(" in text


def test_limits_can_be_raised_for_a_block_and_per_thread():
    with pytest.raises(InvalidArgumentError):
        se.shift("1/2", method="lagrange", order=1001)
    with using_limits(max_degree=2000):
        assert se.shift("1/2", method="lagrange", order=1001).kernel.order == 1001
        seen = []
        worker = threading.Thread(target=lambda: seen.append(get_limits().max_degree))
        worker.start()
        worker.join()
        assert seen == [1000]        # another thread keeps its own limits
    assert get_limits().max_degree == 1000
    with pytest.raises(InvalidArgumentError, match="max_widgets is not a limit"):
        set_limits(max_widgets=3)
    with pytest.raises(InvalidArgumentError, match="max_degree=0 must be an int >= 1"):
        set_limits(max_degree=0)
