"""Decider 3: property-based search for counterexamples with Hypothesis.

:func:`decide_search` draws exact input signals for a
:class:`~symequi.core.square.Square` (any operator, linear or not), compares the
two paths ``A(g(u))`` and ``g_out(A(u))`` exactly, and on the first
difference lets Hypothesis shrink the input to a minimal witness.
:func:`search_discretization` does the same for a discretization square
``D(translate(f, delta)) == g(D(f))`` over continuous functions ``f``.

A search that finds a difference returns a
:class:`~symequi.core.verdict.Counterexample` (the witness is exact: rational
inputs, outputs and difference).  A search that finds nothing returns
:class:`~symequi.core.verdict.Undecided` with the reason "no counterexample in K
examples": sampling never proves anything.  The seed is reported either way
(``details["seed"]``), and the same seed reproduces the same witness.

Example
-------
>>> from symequi.core.operator import Operator
>>> from symequi.core.signal import Signal
>>> from symequi.core.square import Square
>>> class Relu(Operator):
...     is_piecewise_linear = True
...     def _apply(self, u):
...         return u.map(lambda v: max(v, 0))
>>> class HalfShift(Operator):  # (u_{j-1} + u_j) / 2, periodic
...     is_linear = True
...     def _apply(self, u):
...         v = u.to_list()
...         return Signal([(v[j - 1] + v[j]) / 2 for j in range(len(v))])
>>> verdict = decide_search(Square(Relu(), HalfShift(), input_shape=3), max_examples=50)
>>> verdict.kind, verdict.details["seed"]
('counterexample', 0)
>>> verdict.lhs - verdict.rhs == verdict.difference
True
"""

from __future__ import annotations

import contextlib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sympy
from hypothesis import HealthCheck, Phase, find, reject, settings
from hypothesis.errors import Flaky, NoSuchExample, Unsatisfiable
from hypothesis.strategies import SearchStrategy

from ..arith.cyclotomic_vector import CyclotomicVector
from ..core.assumptions import Assumptions
from ..core.budget import check_budget, time_budget
from ..functions.continuous import TRANSLATE_CONVENTION, translate
from ..core.errors import BudgetExceededError, IntegrationError, InvalidArgumentError, SymequiError
from ..core.exact import positive_int, to_exact
from ..core.operator import Operator, as_signal
from ..core.signal import Signal
from ..core.square import Square, paths_differ
from ..strategies import signals
from ..core.verdict import Counterexample, Undecided, Verdict
from ..core.zero import is_zero
from ..core.texts import brief

__all__ = ["decide_search", "search_discretization"]

DECIDER = "search"


# --- the search engine shared by both deciders ------------------------------------------
class _OutOfTime(BaseException):
    """Raised inside the Hypothesis run to stop it when the budget is spent.

    A BaseException (not an Exception) so that Hypothesis does not treat it as
    a failing example to shrink, but lets it through at once.
    """


class _Skip(Exception):
    """An example whose evaluation could not finish (its own budget, no closed form)."""


@dataclass
class _Outcome:
    witness: Any = None          # the minimal failing example, or None
    examples: int = 0            # examples evaluated up to and including the first failure
    shrink_steps: int = 0        # evaluations spent shrinking
    skipped: int = 0             # examples that could not be evaluated
    timed_out: bool = False      # the time budget ran out
    exhausted: bool = False      # every example was skipped
    flaky: bool = False          # Hypothesis saw an example evaluate differently on replay


def _check_seed(seed: Any) -> int:
    if seed is None:
        return random.SystemRandom().getrandbits(32)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InvalidArgumentError(
            f"seed={brief(seed)} must be a non-negative int (or None for a fresh random seed, which is reported)"
        )
    return seed


def _check_strategy(value: Any, name: str) -> SearchStrategy:
    if not isinstance(value, SearchStrategy):
        raise InvalidArgumentError(
            f"{name}={brief(value)} must be a Hypothesis strategy, e.g. symequi.strategies.signals((8,))"
        )
    return value


def _run(strategy: SearchStrategy, fails: Callable[[Any], bool], *, max_examples: int, seed: int,
         budget: float | None, what: str) -> _Outcome:
    """Search ``strategy`` for an example where ``fails`` is True, then shrink it.

    ``fails`` may raise :class:`_Skip` to discard an example.  The run is
    deterministic for a given ``seed``: no example database, no deadline.
    """
    outcome = _Outcome()
    deadline = None if budget is None else time.monotonic() + budget

    def evaluate(value: Any) -> bool:
        if deadline is None:
            return fails(value)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise _OutOfTime
        try:
            with time_budget(remaining, what):
                return fails(value)
        except BudgetExceededError:
            if time.monotonic() >= deadline:
                raise _OutOfTime from None
            raise

    def condition(value: Any) -> bool:
        try:
            failed = evaluate(value)
        except (_Skip, BudgetExceededError):
            outcome.skipped += 1
            reject()
        if outcome.witness is None:
            outcome.examples += 1
        else:
            outcome.shrink_steps += 1
        if failed:
            outcome.witness = value
        return failed

    config = settings(
        max_examples=max_examples,
        database=None,
        deadline=None,
        derandomize=False,
        phases=(Phase.explicit, Phase.generate, Phase.shrink),
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    try:
        # Our own search is not a failing test of the caller's: hide it from Hypothesis's
        # pytest plugin, which would otherwise write "explicit example" patch files.
        with _hidden_from_pytest_plugin():
            outcome.witness = find(strategy, condition, settings=config, random=random.Random(seed))
    except _OutOfTime:
        outcome.timed_out = True
    except NoSuchExample:
        pass
    except Unsatisfiable:
        outcome.exhausted = True
    except Flaky:
        # an example's evaluation changed on replay (its time budget ran out once and not
        # again): keep the last failing example, if any; the caller re-checks it
        outcome.flaky = True
    return outcome


def _details(seed: int, outcome: _Outcome) -> dict[str, Any]:
    details: dict[str, Any] = {"seed": seed, "examples": outcome.examples}
    if outcome.witness is not None:
        details["shrink_steps"] = outcome.shrink_steps
        if outcome.timed_out:
            details["note"] = "the time budget ran out while shrinking; this witness may not be minimal"
    if outcome.skipped:
        details["skipped"] = outcome.skipped
    if outcome.flaky:
        details["flaky"] = ("an example evaluated differently on replay (a time budget); the search "
                            "stopped there")
    return details


def _no_counterexample(statement: str, seed: int, budget: float | None, outcome: _Outcome,
                       conventions: tuple[str, ...], skipped_because: str) -> Undecided:
    if outcome.timed_out:
        reason = (f"time budget of {budget:g} s ran out after {outcome.examples} examples "
                  f"with no counterexample (seed {seed})")
    elif outcome.exhausted:
        reason = (f"every generated example was skipped ({skipped_because}); "
                  f"no counterexample in {outcome.examples} examples (seed {seed})")
    else:
        reason = f"no counterexample in {outcome.examples} examples (seed {seed})"
    if outcome.skipped and not outcome.exhausted:
        reason += f"; {outcome.skipped} examples skipped ({skipped_because})"
    return Undecided(statement, reason=reason, decider=DECIDER, conventions=conventions,
                     details=_details(seed, outcome))


# --- exact comparison of the two paths --------------------------------------------------
def _differs(left: Signal, right: Signal, assumptions: Assumptions | None = None) -> bool:
    """True when the signals differ exactly; raises _Skip when that cannot be settled.

    Rational signals compare exactly.  For symbolic entries a difference
    counts only when :func:`symequi.core.zero.is_zero` proves it nonzero (ball
    arithmetic that excludes 0, or a minimal polynomial) -- with symbols, at a
    point of the assumed set ``assumptions``; an entry that can be shown
    neither zero nor nonzero makes the example inconclusive.
    Outputs of different shapes differ.
    """
    if left.shape != right.shape:
        return True
    if left.domain == "QQ" and right.domain == "QQ":
        return left != right
    difference = left - right
    if difference.is_rational:  # e.g. two field signals that agree
        return not difference.flat_poly().is_zero()
    if isinstance(difference.field_vector, CyclotomicVector):
        # a cyclotomic signal is stored in canonical coordinates, and as QQ when every entry is
        # rational: so some entry has a nonzero irrational part, exactly
        return True
    for d in difference.flat_exprs():
        verdict = _nonzero(d, assumptions)
        if verdict is None:
            raise _Skip
        if verdict:
            return True
    return False


def _nonzero(value: sympy.Expr, assumptions: Assumptions | None = None) -> bool | None:
    """True when ``value`` is certified nonzero (somewhere on the assumed set), False when
    exactly zero (everywhere on it), None if undecided."""
    if value.is_Rational:
        return value != 0
    zero = is_zero(value, assumptions=assumptions)
    return None if zero is None else not zero


def _hidden_from_pytest_plugin() -> contextlib.AbstractContextManager:
    """A context in which Hypothesis does not attribute our search to the running pytest test."""
    try:
        from hypothesis.internal.escalation import current_pytest_item  # private: may move
    except ImportError:
        return contextlib.nullcontext()
    return current_pytest_item.with_value(None)


# --- decider 3 on a square ----------------------------------------------------------------
#: How many rational points of the assumed set a symbolic square is first evaluated at.
_PROBES = 3


def _probes(square: Square) -> list[Square]:
    """The square at a few fixed rational points of its assumed set (none without symbols).

    On a symbolic square (a shift ``s`` in an interval, a symbolic kernel entry) each
    example's outputs are expressions in the symbols, and deciding whether their
    difference vanishes somewhere on the set is a symbolic zero test.  Evaluated at a
    point of the set, the same square runs on the rational fast path; a difference there
    is exact and lies in the set, so the example fails.  Only an example that agrees at
    every probe goes on to the symbolic test (which may still find a point elsewhere).
    The points are drawn with a fixed seed, so the search stays deterministic.
    """
    symbols = sorted(square.free_symbols, key=str)
    if not symbols:
        return []
    probes = []
    for point in square.assumptions.sample(symbols, random.Random(0), _PROBES):
        try:
            probes.append(square.at(point))
        except SymequiError:  # a point some layer refuses (its own stricter rule): not probed
            continue
    return probes


def decide_search(square: Square, *, max_examples: int = 200, seed: int | None = 0,
                  budget: float | None = None, strategy: SearchStrategy | None = None) -> Verdict:
    """Search for an input on which the square does not commute.

    Parameters
    ----------
    square : the :class:`~symequi.core.square.Square` to test (any operator).
    max_examples : how many inputs to try before giving up.
    seed : the random seed (same seed, same examples, same witness); ``None``
        draws a fresh seed, reported in ``details["seed"]``.
    budget : seconds for the whole search (``None``: no limit).  When it runs
        out the search stops and reports how far it got.
    strategy : a Hypothesis strategy of input signals (default:
        :func:`symequi.strategies.signals` of ``square.input_shape``).

    Returns
    -------
    Counterexample with the shrunk (minimal) input, both outputs and their
    difference, ``decider="search"`` and ``details={"seed", "examples",
    "shrink_steps"}``; or Undecided with reason ``"no counterexample in K
    examples (seed S)"``.  Never Proved.

    See Also
    --------
    search_discretization : the same search for a discretization square.

    Example
    -------
    >>> from symequi.core.operator import Operator
    >>> class Roll(Operator):
    ...     is_linear = True
    ...     def _apply(self, u):
    ...         v = u.to_list()
    ...         return Signal(v[-1:] + v[:-1])
    >>> class Cube(Operator):
    ...     def _apply(self, u):
    ...         return u.map(lambda v: v**3)
    >>> print(decide_search(Square(Cube(), Roll(), input_shape=4), max_examples=20).reason)
    no counterexample in 20 examples (seed 0)
    """
    if not isinstance(square, Square):
        raise InvalidArgumentError(
            f"square={brief(square)} must be a symequi.core.square.Square(operator, g, input_shape=...)"
        )
    count = positive_int(max_examples, "max_examples")
    used_seed = _check_seed(seed)
    seconds = check_budget(budget)
    if strategy is None:
        inputs = signals(square.input_shape)
    else:
        inputs = _check_strategy(strategy, "strategy").map(lambda u: _checked_input(u, square))

    probes = _probes(square)

    def fails(u: Signal) -> bool:
        if not u.free_symbols and any(_differs(p.lhs(u), p.rhs(u)) for p in probes):
            return True  # differs at a point of the assumed set, exactly: so somewhere on it
        return _differs(square.lhs(u), square.rhs(u), square.assumptions)

    outcome = _run(inputs, fails, max_examples=count, seed=used_seed, budget=seconds,
                   what=f"the search on {brief(square.statement, str)}")
    conventions = square.conventions()
    if outcome.witness is None:
        return _no_counterexample(square.statement, used_seed, seconds, outcome, conventions,
                                  "their evaluation ran out of time or could not be compared exactly")
    u = outcome.witness
    left, right = square.lhs(u), square.rhs(u)
    if left.free_symbols or right.free_symbols or square.free_symbols:
        # symbolic square: certified at a point of the assumed set, re-run there
        found = square.witness(u, decider=DECIDER, details=_details(used_seed, outcome))
        if found is not None:
            return found
        return Undecided(square.statement, decider=DECIDER, conventions=conventions,
                         details=_details(used_seed, outcome),
                         reason=(f"the input {u} gives outputs that differ on the assumed set "
                                 f"({square.assumptions.describe()}), but no rational point of it was "
                                 "found where the re-run square reproduces the difference"))
    if outcome.flaky and not paths_differ(left, right):
        return _no_counterexample(square.statement, used_seed, seconds, outcome, conventions,
                                  "their evaluation ran out of time or could not be compared exactly")
    return Counterexample(square.statement, input=u, lhs=left, rhs=right,
                          difference=left - right if left.shape == right.shape else None,
                          decider=DECIDER, conventions=conventions,
                          details=_details(used_seed, outcome))


def _checked_input(value: Any, square: Square) -> Signal:
    u = as_signal(value, "strategy example")
    if u.shape != square.input_shape:
        raise InvalidArgumentError(
            f"strategy drew a signal of shape {brief(u.shape, str)}, but the square takes inputs of shape "
            f"{brief(square.input_shape, str)}; pass strategy=symequi.strategies.signals({brief(square.input_shape, str)})"
        )
    return u


# --- decider 3 on a discretization square --------------------------------------------------
def _describe(obj: Any) -> str:
    describe = getattr(obj, "describe", None)
    return describe() if callable(describe) else brief(obj)


def _conventions(*objs: Any) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for obj in objs:
        conventions = getattr(obj, "conventions", None)
        if callable(conventions):
            seen.update(dict.fromkeys(conventions()))
    return tuple(seen)


def search_discretization(D: Callable[[Any], Signal], delta: Any, functions: SearchStrategy,
                          g: Operator, *, max_examples: int = 100, seed: int | None = 0,
                          budget: float | None = None) -> Verdict:
    """Search for a function ``f`` with ``D(translate(f, delta)) != g(D(f))``.

    Parameters
    ----------
    D : a discretization: any callable mapping a sympy function of
        :data:`symequi.x` to a Signal (e.g. a cell average on a grid).
    delta : the exact translation amount (``translate(f, delta) = f(x - delta)``).
    functions : a Hypothesis strategy of functions, e.g.
        :func:`symequi.strategies.step_functions` of the grid.
    g : the discrete translation that is supposed to match ``delta``.
    max_examples, seed, budget : as in :func:`decide_search`.

    Returns
    -------
    Counterexample with ``input=D(f)``, ``lhs=D(translate(f, delta))``,
    ``rhs=g(D(f))`` and ``functions={"f": f}`` (the shrunk function), or
    Undecided ("no counterexample in K examples").  Functions whose
    discretization runs out of time or has no closed form are skipped and
    counted in ``details["skipped"]``.

    Example
    -------
    >>> import sympy
    >>> from symequi.functions.continuous import x
    >>> from symequi import strategies as ses
    >>> def samples(f):  # point values at 0, 1/2, 1, 3/2
    ...     return Signal([f.subs(x, sympy.Rational(k, 2)) for k in range(4)])
    >>> class Identity(Operator):
    ...     is_linear = True
    ...     def _apply(self, u):
    ...         return u
    >>> verdict = search_discretization(samples, 1, ses.rationals().map(lambda c: c * x),
    ...                                 Identity(), max_examples=20)
    >>> verdict.functions, verdict.difference
    ({'f': x}, Signal([-1, -1, -1, -1]))
    """
    if not callable(D):
        raise InvalidArgumentError(f"D={brief(D)} must be a discretization: a callable from functions to Signals")
    shift = to_exact(delta, "delta")
    strategy = _check_strategy(functions, "functions")
    if not isinstance(g, Operator):
        raise InvalidArgumentError(f"g={brief(g)} must be a symequi translation (an Operator on signals)")
    count = positive_int(max_examples, "max_examples")
    used_seed = _check_seed(seed)
    seconds = check_budget(budget)
    name = _describe(D)
    statement = (f"{name}(translate(f, {brief(shift, str)})) == {brief(g.describe(), str)}({name}(f)) "
                 "for every f in the searched class")
    conventions = _conventions(D, g) + (TRANSLATE_CONVENTION,)

    def paths(f: Any) -> tuple[Signal, Signal, Signal]:
        try:
            discrete = as_signal(D(f), "D(f)")
            left = as_signal(D(translate(f, shift)), "D(translate(f, delta))")
        except IntegrationError as err:
            raise _Skip from err
        return discrete, left, g(discrete)

    def fails(f: Any) -> bool:
        _, left, right = paths(f)
        return _differs(left, right)

    outcome = _run(strategy, fails, max_examples=count, seed=used_seed, budget=seconds,
                   what=f"the search on {statement}")
    if outcome.witness is None:
        return _no_counterexample(statement, used_seed, seconds, outcome, conventions,
                                  "no closed form, out of time, or not comparable exactly")
    f = outcome.witness
    discrete, left, right = paths(f)
    if outcome.flaky and not paths_differ(left, right):
        return _no_counterexample(statement, used_seed, seconds, outcome, conventions,
                                  "no closed form, out of time, or not comparable exactly")
    return Counterexample(statement, input=discrete, lhs=left, rhs=right,
                          difference=left - right if left.shape == right.shape else None,
                          functions={"f": f}, decider=DECIDER, conventions=conventions,
                          details=_details(used_seed, outcome))
