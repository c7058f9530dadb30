"""One sweep case: plain parameters in, a plain result row out (what a worker runs).

A task carries only JSON-ready data, so nothing exact (z3 contexts, flint
numbers) is ever pickled: the worker rebuilds the square from the parameters,
decides it under the case's budget, and returns the verdict, the decider, the
seconds and, for a refutation, the witness as exact strings (``"1/3"``) that
:func:`symequi.core.exact.to_exact` reads back.  A case that raises becomes an
``error`` row with its traceback; nothing escapes.

Example
-------
>>> row = run_case({"operator": "conv(1, -1) | relu", "input_shape": [4], "shift": "1",
...                 "shift_method": "integer", "boundary": "periodic", "padding": "periodic",
...                 "stride": None, "g_out": "same", "method": "auto", "budget": 30})
>>> row["verdict"], row["decider"]
('proved', 'compositional')
"""

from __future__ import annotations

import importlib
import inspect
import json
import time
import traceback
from typing import Any, cast

from ..core.budget import time_budget
from ..core.errors import BudgetExceededError, InvalidArgumentError, SymequiError
from ..core.operator import Operator
from ..core.signal import Signal
from ..core.square import Square
from ..core.verdict import Counterexample
from ..deciders.dispatch import decide
from ..translations import shift
from .defect import defect_curve
from .stack import parse_stack
from ..core.texts import brief

__all__ = ["build_square", "run_case", "run_batch", "VERDICTS"]

#: The values of a row's ``verdict`` column.
VERDICTS = ("proved", "refuted", "undecided", "error")


def _operator(params: dict[str, Any]) -> Operator:
    text = params["operator"]
    if ":" in text and "(" not in text:
        module_name, _, function_name = text.partition(":")
        factory = getattr(importlib.import_module(module_name), function_name, None)
        if not callable(factory):
            raise InvalidArgumentError(f"operator={brief(text)}: {brief(module_name, str)} has no function {brief(function_name)}")
        names = inspect.signature(factory).parameters
        op = factory(**{k: v for k, v in params.items() if k in names})
        if not isinstance(op, Operator):
            raise InvalidArgumentError(f"operator={brief(text)} returned {type(op).__name__}, not a symequi operator")
        return op
    return parse_stack(text, padding=params.get("padding"), stride=params.get("stride"))


def _shift_of(amount: Any, params: dict[str, Any]) -> Operator:
    s = tuple(amount) if isinstance(amount, list) else amount
    method, _, param = str(params.get("shift_method", "integer")).partition(":")
    extra = {} if not param else {"order" if method == "lagrange" else "degree": int(param)}
    return shift(s, method=method, boundary=params.get("boundary", "periodic"), **extra)  # type: ignore[arg-type]


def build_square(params: dict[str, Any]) -> Square:
    """The square of a case (see :mod:`symequi.sweeps.spec` for the parameters).

    >>> sq = build_square({"operator": "relu", "input_shape": [3], "shift": "1"})
    >>> sq.input_shape, sq.lhs([1, -2, 3])
    ((3,), Signal([3, 1, 0]))
    """
    op = _operator(params)
    g = _shift_of(params["shift"], params)
    rule = params.get("g_out", "same")
    g_out: Operator | None
    if rule == "same":
        g_out = None
    elif rule == "identity":
        g_out = shift(0 if not isinstance(params["shift"], list) else tuple(0 for _ in params["shift"]))
    else:
        g_out = _shift_of(rule[len("shift:"):], params)
    return Square(op, g, g_out, input_shape=tuple(params["input_shape"]))


def _exact_lists(signal: Signal) -> Any:
    return json.loads(json.dumps(signal.to_list(), default=str))


def _backstop(budget: float) -> float:
    """The case's own time limit around its decider, above the decider's budget."""
    return budget * 1.5 + 1


def case_seconds_limit(params: dict[str, Any]) -> float:
    """The longest :func:`run_case` can take on ``params`` unless it is stuck in C code that no
    budget can interrupt: the backstop around building and deciding the square, plus the defect
    curve's budget when the case has one.  (A sweep stops waiting for a cluster that makes no
    progress past this, :mod:`~symequi.sweeps.flight`.)

    >>> case_seconds_limit({"budget": 10}), case_seconds_limit({"budget": 10, "defect_delta": "1/2"})
    (16.0, 26.0)
    """
    budget = float(params.get("budget", 30))
    return _backstop(budget) + (budget if params.get("defect_delta") is not None else 0.0)


def run_case(params: dict[str, Any]) -> dict[str, Any]:
    """Decide one case; a row with ``verdict`` in :data:`VERDICTS`, ``decider``, ``seconds``,
    ``witness`` (JSON text or None), ``reason``, ``error`` (traceback text or None) and ``defect``
    (JSON text of :func:`~symequi.sweeps.defect.defect_curve`, or of ``{"error": why}``, when the
    case has ``defect_delta``; else None)."""
    start = time.perf_counter()
    row: dict[str, Any] = {"verdict": "error", "decider": None, "witness": None, "reason": None, "error": None,
                           "defect": None}
    try:
        budget = float(params.get("budget", 30))
        # the square is built inside the backstop too (a factory is user code, a model import can be
        # slow), so that case_seconds_limit bounds the whole case
        with time_budget(_backstop(budget), "the case (building and deciding its square; a backstop above the "
                                            "decider's own budget)"):
            square = build_square(params)
            verdict = decide(square, method=params.get("method", "auto"), budget=budget)
        row["decider"] = verdict.decider
        if verdict.kind == "proved":
            row["verdict"] = "proved"
        elif verdict.kind == "undecided":
            row["verdict"], row["reason"] = "undecided", getattr(verdict, "reason", None)
        else:
            row["verdict"] = "refuted"
            refuted = cast(Counterexample, verdict)
            row["witness"] = json.dumps({"input": _exact_lists(refuted.input), "lhs": _exact_lists(refuted.lhs),
                                         "rhs": _exact_lists(refuted.rhs)})
    except BudgetExceededError as err:
        row.update(verdict="undecided", reason=str(err))
    except Exception:  # a case that raises is recorded, never lost: the sweep goes on
        row["error"] = traceback.format_exc(limit=20)
    if params.get("defect_delta") is not None and row["error"] is None:
        row["defect"] = _defect(params)
    row["seconds"] = time.perf_counter() - start
    return row


def _defect(params: dict[str, Any]) -> str:
    """The case's defect curve as JSON text; why not, as ``{"error": ...}``, when it has none."""
    try:
        with time_budget(float(params.get("budget", 30)), "the defect curve of the case"):
            return json.dumps(defect_curve(params, params["defect_delta"]))
    except (SymequiError, BudgetExceededError) as err:
        return json.dumps({"error": f"{type(err).__name__}: {err}"})


def run_batch(batch: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, dict[str, Any]]]:
    """``run_case`` on each ``(key, params)``; the task a Dask worker runs.

    >>> [k for k, row in run_batch([("a", {"operator": "relu", "input_shape": [2], "shift": "1"})])]
    ['a']
    """
    return [(key, run_case(params)) for key, params in batch]
