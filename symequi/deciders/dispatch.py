"""``decide``: the one entry point to the three deciders.

* A :class:`~symequi.core.square.Square` whose operator and translations are all
  linear goes to linear algebra (:func:`symequi.deciders.linear.decide_linear`);
* otherwise, when ``g`` is a permutation of entries (a periodic integer
  shift, ...) and the layers keep the shape, the compositional rule
  (:mod:`symequi.deciders.compositional`) proves the square when every layer's own
  square is proved; when it cannot, the route goes on:
* a piecewise-linear one (ReLU, abs, max-pool, with linear translations) to
  the SMT solver (:func:`symequi.deciders.smt.decide_smt`), falling back to search
  when the solver cannot encode a layer or is not installed;
* anything else to search (:func:`symequi.deciders.search.decide_search`), which can
  refute but never prove.
* A discretization problem (:class:`~symequi.deciders.discretization.DiscretizationProblem`,
  or the keywords ``discretization=``, ``delta=``, ``function_class=``) goes
  to :func:`~symequi.deciders.discretization.decide_discretization`.

The verdict's ``decider`` names who answered; ``details["method"]`` says how
it was chosen.

Example
-------
>>> from symequi.deciders.linear import MatrixOperator
>>> from symequi.core.square import Square
>>> roll = MatrixOperator([[0, 1], [1, 0]])
>>> v = decide(Square(MatrixOperator([[2, 1], [1, 2]]), roll, input_shape=2))
>>> v.kind, v.decider, v.details["method"]
('proved', 'linear', 'auto: the operator and both translations are linear')
"""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Callable
from typing import Any

from ..core.budget import get_time_budget
from ..core.errors import EncodingError, InvalidArgumentError
from ..core.square import Square
from ..core.types import DECIDE_METHODS, DecideMethod
from ..core.verdict import Verdict
from ..core.texts import brief

__all__ = ["decide"]

_METHODS = DECIDE_METHODS


def _accepted(decider: Callable[..., Any]) -> set[str]:
    return {k for k in inspect.signature(decider).parameters if k not in ("square", "budget")}


def _check_options(decider: Callable[..., Any], options: dict[str, Any], method: str, *,
                   route: tuple[Callable[..., Verdict], ...] = ()) -> set[str]:
    """The options ``decider`` accepts; raise if an option is accepted neither by it
    nor, in auto mode, by another decider on the route."""
    accepted = _accepted(decider)
    known = set(accepted).union(*(_accepted(d) for d in route))
    unknown = sorted(k for k in options if k not in known)
    if unknown:
        hints = [f"{k!r} -> {close[0]!r}" for k in unknown if (close := difflib.get_close_matches(k, known, n=1))]
        which = f"the {brief(method, str)} decider" + (" or the search it may fall back to" if route else "")
        raise InvalidArgumentError(
            f"option(s) {brief(unknown, str)} do not apply to {which}; the options accepted are "
            f"{brief(sorted(known) or 'none', str)}" + (f" (did you mean {brief(', '.join(hints), str)}?)" if hints else "")
        )
    return accepted


def _call(decider: Callable[..., Verdict], target: Any, budget: float | None, options: dict[str, Any],
          method: str, *, route: tuple[Callable[..., Verdict], ...] = ()) -> Verdict:
    """Call ``decider`` with the options it accepts.  Every option must be
    accepted by ``decider`` or, in auto mode, by another decider on the route."""
    accepted = _check_options(decider, options, method, route=route)
    return decider(target, budget=budget, **{k: v for k, v in options.items() if k in accepted})


def _record(verdict: Verdict, decider: str, how: str) -> Verdict:
    if not verdict.decider:
        verdict.decider = decider
    verdict.details.setdefault("method", how)
    return verdict


def _not_linear(square: Square) -> str | None:
    for role, op in (("operator", square.operator), ("g", square.g), ("g_out", square.g_out)):
        if not op.is_linear:
            return f"the square's {brief(role, str)} {brief(op.describe(), str)} is not linear"
    return None


def _not_piecewise_linear(square: Square) -> str | None:
    for role, op in (("operator", square.operator), ("g", square.g), ("g_out", square.g_out)):
        if not op.is_piecewise_linear:
            return f"the square's {brief(role, str)} {brief(op.describe(), str)} is not piecewise linear with rational parameters"
    for role, op in (("g", square.g), ("g_out", square.g_out)):
        if not op.is_linear:
            return f"the square's {brief(role, str)} {brief(op.describe(), str)} is not linear"
    return None


def _decide_square(square: Square, method: str, budget: float | None, options: dict[str, Any]) -> Verdict:
    from .compositional import try_compositional
    from .linear import decide_linear

    # decide_search reads budget=None as "no limit"; here None means the default budget.
    search_budget = get_time_budget() if budget is None else budget

    if method == "linear":
        reason = _not_linear(square)
        if reason:
            raise InvalidArgumentError(f"method='linear' does not apply: {brief(reason, str)}; use method='smt' or 'search'")
        return _record(_call(decide_linear, square, budget, options, "linear"), "linear", "forced: linear")
    if method == "compositional":
        _check_options(try_compositional, options, "compositional")
        attempt = try_compositional(square, budget=budget)
        if attempt.verdict is None:
            raise InvalidArgumentError(
                f"method='compositional' does not apply: {brief(attempt.reason, str)}; use method='auto', 'smt' or 'search'"
            )
        return _record(attempt.verdict, "compositional", "forced: compositional")
    if method == "smt":
        reason = _not_piecewise_linear(square)
        if reason:
            raise InvalidArgumentError(f"method='smt' does not apply: {brief(reason, str)}; use method='search'")
        try:
            from .smt import decide_smt
        except ImportError as err:
            raise InvalidArgumentError(
                f"method='smt' is unavailable ({brief(err, str)}); install z3-solver or use method='search'"
            ) from err
        return _record(_call(decide_smt, square, budget, options, "smt"), "smt", "forced: smt")
    if method == "search":
        from .search import decide_search

        return _record(_call(decide_search, square, search_budget, options, "search"), "search",
                       "forced: search")

    # auto
    if _not_linear(square) is None:
        return _record(_call(decide_linear, square, budget, options, "linear"), "linear",
                       "auto: the operator and both translations are linear")
    from .search import decide_search

    fallback = _not_piecewise_linear(square)
    smt_decider: Callable[..., Verdict] | None = None
    if fallback is None:
        try:
            from . import smt
        except ImportError as err:
            fallback = f"the SMT decider is unavailable ({brief(err, str)})"
        else:
            smt_decider = smt.decide_smt
    # The options are for the deciders after the compositional rule (it takes none):
    # check them first, so a misspelled option is reported whoever answers.
    if smt_decider is not None:
        _check_options(smt_decider, options, "smt", route=(decide_search,))
    else:
        _check_options(decide_search, options, "search")
    attempt = try_compositional(square, budget=budget)
    if attempt.verdict is not None and attempt.proved:
        return _record(attempt.verdict, "compositional",
                       "auto: the compositional rule (g is a permutation of entries and every layer's "
                       "square is proved)")
    note = f"the compositional rule did not prove it: {attempt.reason}" if attempt.applies else None
    if smt_decider is not None:
        try:
            return _noted(_record(_call(smt_decider, square, budget, options, "smt", route=(decide_search,)),
                                  "smt", "auto: the square is piecewise linear"), note)
        except EncodingError as err:
            fallback = f"the SMT decider could not encode it ({brief(err, str)})"
            only_smt = sorted(k for k in options if k not in _accepted(decide_search))
            if only_smt:  # e.g. where=: a search without it would answer another question
                raise InvalidArgumentError(
                    f"{brief(fallback, str)}; the option(s) {brief(only_smt, str)} apply to the SMT decider only, so the search "
                    "cannot stand in for it: drop them, or make the square encodable"
                ) from None
    return _noted(_record(_call(decide_search, square, search_budget, options, "search"), "search",
                          f"auto: search, because {fallback}"), note)


def _noted(verdict: Verdict, note: str | None) -> Verdict:
    """Record why the compositional rule, which applied, did not prove the square."""
    if note:
        verdict.details.setdefault("compositional", note)
    return verdict


def decide(square_or_problem: Any = None, *, method: DecideMethod = "auto", budget: float | None = None,
           discretization: Any = None, delta: Any = None, function_class: Any = None,
           assume: Any = None, **options: Any) -> Verdict:
    """Decide a square or a discretization problem with the strongest decider that applies.

    Parameters
    ----------
    square_or_problem : a :class:`~symequi.core.square.Square` or a
        :class:`~symequi.deciders.discretization.DiscretizationProblem`; or None
        with the keywords ``discretization``, ``delta``, ``function_class``
        (and optionally ``assume``).
    method : ``"auto"`` (default), ``"linear"``, ``"compositional"``, ``"smt"``
        or ``"search"``.  A forced method that does not apply raises
        InvalidArgumentError saying why.  ``"compositional"`` answers Proved, or
        Undecided when some layer's square is not proved (never a
        counterexample: a layer that fails does not make the stack fail).
        Discretization problems are always decided by linear algebra.
    budget : seconds for the decision (None = the default budget,
        :func:`symequi.core.get_time_budget`, for every decider including search).
    options : passed to the chosen decider (e.g. ``max_examples``, ``seed``
        for search).

    >>> from symequi.functions.grid import Grid
    >>> from symequi.functions.discretize import CellAverage
    >>> from symequi.functions.function_classes import Polynomials
    >>> decide(discretization=CellAverage(Grid(0, 1, 2)), delta='1/3', function_class=Polynomials(2)).kind
    'counterexample'
    """
    from .discretization import DiscretizationProblem, decide_discretization

    if method not in _METHODS:
        raise InvalidArgumentError(f"method={brief(method)} must be one of {brief(', '.join(brief(item) for item in _METHODS), str)}")
    keywords = {"discretization": discretization, "delta": delta, "function_class": function_class}
    given = [k for k, v in keywords.items() if v is not None]
    if square_or_problem is None:
        if len(given) != 3:
            missing = [k for k in keywords if k not in given]
            raise InvalidArgumentError(
                "pass a Square or a DiscretizationProblem, or all of discretization=, delta= and "
                f"function_class= (missing: {brief(', '.join(missing), str)})"
            )
        square_or_problem = DiscretizationProblem(discretization, delta, function_class, assume)
    elif given or assume is not None:
        raise InvalidArgumentError(
            f"pass either a square/problem or the keywords {brief(', '.join(keywords), str)}, not both"
        )
    if isinstance(square_or_problem, DiscretizationProblem):
        if method not in ("auto", "linear"):
            raise InvalidArgumentError(
                f"method={brief(method)} does not apply to a discretization problem: it is decided by "
                "linear algebra on the function class (method='auto' or 'linear')"
            )
        if options:
            raise InvalidArgumentError(f"option(s) {brief(sorted(options), str)} do not apply to a discretization problem")
        p = square_or_problem
        verdict = decide_discretization(p.discretization, p.delta, p.function_class,
                                        assume=p.assume, budget=budget)
        return _record(verdict, "linear", "discretization square: kernel inclusion ker(M) in ker(M_delta)")
    if isinstance(square_or_problem, Square):
        return _decide_square(square_or_problem, method, budget, options)
    raise InvalidArgumentError(
        f"square_or_problem={brief(square_or_problem)} must be a symequi Square or DiscretizationProblem"
    )
