"""The symequi pytest plugin: a ``symequi`` marker and fixture, and short failures.

Installed with symequi (entry point ``pytest11``), so pytest loads it by
itself; without the installed entry point, load it with
``pytest -p symequi.pytest_plugin``.  It adds:

* command-line options ``--symequi-budget SECONDS`` (time budget of each
  decision), ``--symequi-seed INT`` (search seed; ``random`` for a fresh one)
  and ``--symequi-examples INT`` (examples a search tries);
* the marker ``@pytest.mark.symequi(budget=..., seed=..., max_examples=...)``,
  which overrides the command line for one test;
* the fixture ``symequi``: a :class:`SymequiSettings` with those values and
  ``assert_commutes`` / ``assert_not_commutes`` methods that use them (they
  work inside ``@given`` tests as well: see :mod:`symequi.testing`);
* failure reports that show only the witness block (the exact input, both
  sides, their difference, the seed) instead of a traceback through the
  deciders, for every ``assert_commutes`` failure; ``pytest --fulltrace``
  shows the full traceback again.

Example test file::

    import pytest
    import symequi as se

    @pytest.mark.symequi(max_examples=50)
    def test_relu_half_shift(symequi):
        symequi.assert_commutes(se.ReLU(), se.shift("1/2", method="linear"), input_shape=4)

Example
-------
>>> SymequiSettings(budget=None, seed=0, max_examples=100)
SymequiSettings(budget=None, seed=0, max_examples=100)
"""

from __future__ import annotations

import contextlib
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from .core.budget import time_budget
from .core.errors import InvalidArgumentError
from .core.operator import Operator
from .core.types import DecideMethod
from .core.verdict import Counterexample, Verdict
from .testing import WITNESS_MARK, assert_commutes, assert_not_commutes
from .core.texts import brief

__all__ = ["SymequiSettings", "pytest_addoption", "pytest_configure", "symequi", "pytest_runtest_makereport"]

_DEFAULT_SEED = 0
_DEFAULT_EXAMPLES = 100


@dataclass(frozen=True)
class SymequiSettings:
    """The settings the ``symequi`` fixture applies: ``budget`` (seconds per
    decision, None for none), ``seed`` (None draws a fresh one) and
    ``max_examples``.

    >>> from symequi.layers import ReLU
    >>> from symequi.translations import shift
    >>> SymequiSettings(budget=30.0, seed=1, max_examples=20).assert_commutes(
    ...     ReLU(), shift(1), input_shape=4).decider
    'compositional'
    """

    budget: float | None
    seed: int | None
    max_examples: int

    @contextlib.contextmanager
    def _budget(self) -> Iterator[None]:
        if self.budget is None:
            yield
        else:
            with time_budget(self.budget, "a symequi assertion (--symequi-budget)"):
                yield

    def assert_commutes(self, operator: Operator, g: Operator, g_out: Operator | None = None, *,
                        input_shape: int | tuple[int, ...], method: DecideMethod = "auto",
                        require_proof: bool = False) -> Verdict:
        """:func:`symequi.testing.assert_commutes` with these settings."""
        __tracebackhide__ = True
        with self._budget():
            return assert_commutes(operator, g, g_out, input_shape=input_shape, method=method,
                                   max_examples=self.max_examples, seed=self.seed, require_proof=require_proof)

    def assert_not_commutes(self, operator: Operator, g: Operator, g_out: Operator | None = None, *,
                            input_shape: int | tuple[int, ...], method: DecideMethod = "auto") -> Counterexample:
        """:func:`symequi.testing.assert_not_commutes` with these settings."""
        __tracebackhide__ = True
        with self._budget():
            return assert_not_commutes(operator, g, g_out, input_shape=input_shape, method=method,
                                       max_examples=self.max_examples, seed=self.seed)


def _seed(text: str) -> int | None:
    if text == "random":
        return None
    try:
        return int(text)
    except ValueError:
        raise pytest.UsageError(f"--symequi-seed={brief(text)} must be an integer or 'random'") from None


def pytest_addoption(parser: Any) -> None:
    """The ``--symequi-*`` options."""
    group = parser.getgroup("symequi", "symequi: exact equivariance checks")
    group.addoption("--symequi-budget", type=float, default=None, metavar="SECONDS",
                    help="time budget (seconds) of each symequi assertion made through the fixture")
    group.addoption("--symequi-seed", default=str(_DEFAULT_SEED), metavar="INT",
                    help="search seed of the symequi fixture ('random' for a fresh seed; default 0)")
    group.addoption("--symequi-examples", type=int, default=_DEFAULT_EXAMPLES, metavar="INT",
                    help=f"examples a symequi search tries (default {_DEFAULT_EXAMPLES})")


def pytest_configure(config: Any) -> None:
    """Register the ``symequi`` marker."""
    config.addinivalue_line(
        "markers", "symequi(budget=None, seed=0, max_examples=100): settings of the symequi fixture "
        "for this test (they override --symequi-budget, --symequi-seed and --symequi-examples)")


def _settings(request: Any) -> SymequiSettings:
    config = request.config
    values: dict[str, Any] = {"budget": config.getoption("--symequi-budget"),
                              "seed": _seed(config.getoption("--symequi-seed")),
                              "max_examples": config.getoption("--symequi-examples")}
    marker = request.node.get_closest_marker("symequi")
    if marker is not None:
        if marker.args:
            raise InvalidArgumentError("@pytest.mark.symequi takes keywords only: budget=, seed=, max_examples=")
        unknown = set(marker.kwargs) - set(values)
        if unknown:
            raise InvalidArgumentError(f"@pytest.mark.symequi got {brief(sorted(unknown), str)}; "
                                       "it takes budget=, seed= and max_examples=")
        values.update(marker.kwargs)
    budget = values["budget"]
    if budget is not None and not (isinstance(budget, (int, float)) and budget > 0):
        raise InvalidArgumentError(f"budget={brief(budget)} must be a positive number of seconds or None")
    count = values["max_examples"]
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise InvalidArgumentError(f"max_examples={brief(count)} must be an int >= 1")
    return SymequiSettings(None if budget is None else float(budget), values["seed"], count)


@pytest.fixture
def symequi(request: Any) -> SymequiSettings:
    """The symequi settings for this test (command line, then the marker)."""
    return _settings(request)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: Any, call: Any) -> Generator[None, Any, None]:
    """Show only the witness block when an ``assert_commutes`` failure ends a test."""
    outcome = yield
    report = outcome.get_result()
    excinfo = call.excinfo
    if (report.failed and excinfo is not None and getattr(excinfo.value, WITNESS_MARK, False)
            and not item.config.getoption("fulltrace", False)):
        path, line, _ = item.reportinfo()
        in_test = [e for e in excinfo.traceback if str(e.path) == str(item.path)]
        if in_test:  # the line of the test that made the failing assertion
            line = in_test[-1].lineno
        where = f"{path}:{line + 1 if isinstance(line, int) else '?'}: {item.name}"
        report.longrepr = f"{where}\n{excinfo.value}"
