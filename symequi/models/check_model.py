"""What ``symequi check MODEL`` does: load a model, build the square, decide it.

``MODEL`` is an ``.onnx`` file or ``module:attribute`` naming a
``torch.nn.Module`` (or a factory function returning one; the module is
imported, i.e. its code runs, as pytest runs a test file).  Shapes and shift
vectors are written as PyTorch and ONNX see tensors, with the batch axis first
(its size must be 1 and its shift 0); symequi drops it.

Example
-------
>>> parse_vector("0,0,1/2,1/2", "--shift")
(0, 0, 1/2, 1/2)
>>> translation((0, 0, 2, 1), "integer", "periodic").describe()
"IntegerShift(s=(0, 2, 1), method='integer', boundary='periodic')"
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any, cast

import sympy

from ..core.errors import InvalidArgumentError
from ..core.exact import to_rational
from ..core.operator import Operator
from ..core.square import Square
from ..core.verdict import Counterexample, Proved, Undecided, Verdict
from ..core.types import Boundary, DecideMethod, ShiftMethod
from ..deciders.dispatch import decide
from ..deciders.search import decide_search
from ..translations import shift
from .onnx_import import from_onnx
from .torch_import import from_torch
from ..core.texts import brief

__all__ = ["check", "load_model", "verdict_json", "EXIT_CODES"]

#: Exit status of ``symequi check`` by verdict kind.
EXIT_CODES = {"proved": 0, "counterexample": 1, "undecided": 3}


def parse_vector(text: str, name: str) -> tuple[sympy.Rational, ...]:
    """Comma-separated exact rationals (``'0,1/2'``), read by symequi's exact conversion.

    >>> parse_vector("1, -3/4", "--shift")
    (1, -3/4)
    """
    parts = [p.strip() for p in str(text).split(",")]
    if not parts or any(not p for p in parts):
        raise InvalidArgumentError(f"{name}={brief(text)} must be comma-separated numbers such as 0,0,1/2")
    return tuple(to_rational(p, f"{name} entry {k}") for k, p in enumerate(parts))


def parse_shape(text: str) -> tuple[int, ...]:
    """``'1,1,32,32'`` -> the per-example shape ``(1, 32, 32)`` (the batch axis, of size 1, dropped).

    >>> parse_shape("1,2,16")
    (2, 16)
    """
    values = parse_vector(text, "--input-shape")
    if any(not v.is_Integer or v < 1 for v in values) or len(values) < 2:
        raise InvalidArgumentError(
            f"--input-shape={brief(text)} must be positive ints with the batch axis first, e.g. 1,1,32,32"
        )
    if values[0] != 1:
        raise InvalidArgumentError(f"--input-shape={brief(text)}: the batch axis must have size 1, not {brief(values[0], str)}")
    return tuple(int(v) for v in values[1:])


def load_model(spec: str, input_shape: tuple[int, ...]) -> Operator:
    """The exact operator of ``spec``: an ``.onnx`` path or ``module:attribute`` (a torch module or factory).

    >>> load_model("no_such_file.onnx", (1, 4))
    Traceback (most recent call last):
    ...
    symequi.core.errors.InvalidArgumentError: model='no_such_file.onnx': no such file
    """
    if spec.endswith(".onnx") or os.path.isfile(spec):
        return from_onnx(spec, input_shape=input_shape)
    if ":" not in spec:
        raise InvalidArgumentError(
            f"MODEL={brief(spec)} must be an .onnx file or module:attribute naming a torch module or factory"
        )
    module_name, attribute = spec.rsplit(":", 1)
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        module = importlib.import_module(module_name)
    except ImportError as err:
        raise InvalidArgumentError(f"MODEL={brief(spec)}: cannot import {brief(module_name)} ({brief(err, str)})") from err
    obj: Any = module
    for part in attribute.split("."):
        if not hasattr(obj, part):
            raise InvalidArgumentError(f"MODEL={brief(spec)}: {brief(module_name)} has no attribute {brief(attribute)}")
        obj = getattr(obj, part)
    import torch

    if not isinstance(obj, torch.nn.Module):
        if not callable(obj):
            raise InvalidArgumentError(f"MODEL={brief(spec)} is neither a torch.nn.Module nor a factory of one")
        obj = obj()
        if not isinstance(obj, torch.nn.Module):
            raise InvalidArgumentError(f"MODEL={brief(spec)}: the factory returned {type(obj).__name__}, not a torch.nn.Module")
    return from_torch(obj.eval(), input_shape=input_shape)


def translation(vector: tuple[Any, ...], method: str | None, boundary: str) -> Operator:
    """The translation of a shift vector written with the batch axis first (its entry must be 0).

    ``method`` None picks ``'integer'`` for whole shifts and ``'linear'`` otherwise.
    """
    if vector[0] != 0:
        raise InvalidArgumentError(f"the shift {brief(list(vector), str)} moves the batch axis; its first entry must be 0")
    rest = tuple(vector[1:])
    if method is None:
        method = "integer" if all(sympy.Rational(v).is_Integer for v in rest) else "linear"
    return shift(rest if len(rest) > 1 else rest[0], method=cast(ShiftMethod, method), boundary=cast(Boundary, boundary))


def check(spec: str, input_shape: str, g: str, g_out: str | None = None, *, method: str = "auto",
          shift_method: str | None = None, boundary: str = "periodic", budget: float | None = None) -> Verdict:
    """Decide whether the model commutes with the shift: ``A(g u) == g_out(A u)``.

    ``g_out`` defaults to ``g``; ``'identity'`` asks for invariance (a classifier).
    """
    shape = parse_shape(input_shape)
    op = load_model(spec, shape)
    g_op = translation(parse_vector(g, "--shift"), shift_method, boundary)
    if len(parse_vector(g, "--shift")) != len(shape) + 1:
        raise InvalidArgumentError(f"--shift={brief(g)} needs one entry per axis of --input-shape={brief(input_shape)}")
    out_op: Operator | None
    if g_out is None:
        out_op = None
    elif g_out.strip().lower() == "identity":
        out_shape = op.output_shape(shape)
        out_op = shift(tuple(0 for _ in out_shape) if len(out_shape) > 1 else 0)
    else:
        out_op = translation(parse_vector(g_out, "--g-out"), shift_method, boundary)
    square = Square(op, g_op, out_op, input_shape=shape)
    if method != "auto":
        return decide(square, method=cast(DecideMethod, method), budget=budget)
    # auto: the strongest decider with half the budget; if it cannot decide (deep ReLU stacks can
    # defeat z3), an exact random search for a counterexample with the other half
    half = None if budget is None else budget / 2
    verdict = decide(square, budget=half)
    if verdict.is_undecided:
        found = decide_search(square, max_examples=100, budget=half)
        if found.is_counterexample:
            found.details["method"] = (f"auto: {verdict.decider} was undecided ({getattr(verdict, 'reason', '')}); "
                                       "search found a witness")
            return found
    return verdict


def verdict_json(verdict: Verdict) -> dict[str, Any]:
    """The verdict as a JSON-ready dict (exact numbers as strings).

    >>> verdict_json(Proved("A commutes", decider="smt"))["verdict"]
    'proved'
    """
    out: dict[str, Any] = {"verdict": verdict.kind, "statement": verdict.statement, "decider": verdict.decider,
                           "conventions": list(verdict.conventions),
                           "details": {k: str(v) for k, v in verdict.details.items()}}
    if isinstance(verdict, Proved):
        out["holds_for"] = verdict.holds_for
    elif isinstance(verdict, Counterexample):
        for key in ("input", "lhs", "rhs"):
            value = getattr(verdict, key)
            out[key] = [str(v) for v in value.flat_exprs()] if hasattr(value, "flat_exprs") else str(value)
    elif isinstance(verdict, Undecided):
        out["reason"] = verdict.reason
    out["exit_status"] = EXIT_CODES[verdict.kind]
    return out
