"""Assertions for your own test suite: does a layer commute with a translation?

:func:`assert_commutes` and :func:`assert_not_commutes` decide a
:class:`~symequi.core.square.Square` and raise ``AssertionError`` (what pytest
reports as a test failure) when the answer is not the expected one.  A failure
message prints the witness exactly: the input, both outputs and their
difference as exact rationals, every entry, plus the seed that reproduces it.

They use :func:`symequi.deciders.decide` (the linear or SMT decider can prove a
square) when the square is linear or piecewise linear, and the search decider
otherwise.  A search that finds no counterexample is not a proof:
``assert_commutes`` accepts it unless ``require_proof=True``.

In a pytest traceback their own frames are hidden (``__tracebackhide__``): a
failure points at the line of your test that called them, followed by the
verdict (run pytest with ``--fulltrace`` to see the helpers too).

They work inside a Hypothesis ``@given`` test too: there they detect the
enclosing Hypothesis run and search with a plain seeded sampler of exact
rational inputs instead of a nested Hypothesis search (which Hypothesis
refuses); the witness is then not shrunk, and ``details["nested"]`` is False.

With the pytest plugin (installed with symequi, entry point ``pytest11``;
see :mod:`symequi.pytest_plugin`), a failure shows only the witness block,
and the ``symequi`` fixture passes the command line's ``--symequi-budget``,
``--symequi-seed`` and ``--symequi-examples`` to these functions.

Example
-------
>>> from symequi.layers import PolynomialActivation
>>> from symequi.translations import shift
>>> assert_commutes(PolynomialActivation("x**2"), shift(1), input_shape=4).decider
'compositional'
>>> assert_commutes(PolynomialActivation("x**2"), shift(1, boundary="zeros"), input_shape=4,
...                 max_examples=20).reason
'no counterexample in 20 examples (seed 0)'
"""

from __future__ import annotations

import random
import sys
from typing import Any

import sympy

from .core.types import DECIDE_METHODS as _METHODS
from .deciders.dispatch import decide as _auto_decide
from .core.errors import InvalidArgumentError
from .core.exact import positive_int
from .core.operator import Operator
from .deciders.search import decide_search
from .core.signal import Signal
from .core.square import Square
from .core.types import DecideMethod
from .translations import IntegerShift
from .core.verdict import Counterexample, Proved, Undecided, Verdict
from .core.texts import brief

__all__ = ["assert_commutes", "assert_not_commutes", "witness_text", "in_hypothesis_test", "WITNESS_MARK"]

#: Attribute set (True) on the AssertionError of a counterexample; the pytest
#: plugin then reports only the message (the witness block).
WITNESS_MARK = "_symequi_witness"


def _stronger_decider_may_apply(square: Square) -> bool:
    """Whether ``decide(method="auto")`` may pick the linear, compositional or SMT decider
    (a cheap hint: the compositional rule needs g to be a periodic integer shift)."""
    __tracebackhide__ = True
    ops = (square.operator, square.g, square.g_out)
    periodic_shift = isinstance(square.g, IntegerShift) and square.g.boundary == "periodic"
    return square.is_linear or periodic_shift or all(op.is_piecewise_linear for op in ops)


def in_hypothesis_test() -> bool:
    """Whether the caller runs inside a Hypothesis ``@given`` test body.

    >>> in_hypothesis_test()
    False
    """
    from hypothesis.control import currently_in_test_context

    return bool(currently_in_test_context())


def _sample_value(rng: random.Random) -> sympy.Rational:
    """Small exact rationals: 0, +-1, +-1/2 often, else p/q with |p| <= 8, q <= 4."""
    if rng.random() < 0.3:
        return sympy.Rational(rng.choice([0, 1, -1, 2, -2]), rng.choice([1, 2]))
    return sympy.Rational(rng.randint(-8, 8), rng.randint(1, 4))


def _plain_search(square: Square, max_examples: int, seed: int | None) -> Verdict:
    """A search without Hypothesis (safe inside ``@given``): ``max_examples``
    seeded random exact inputs, the first difference is the witness (not shrunk)."""
    __tracebackhide__ = True
    used = seed if seed is not None else random.SystemRandom().randrange(2**32)
    rng = random.Random(used)
    size = 1
    for n in square.input_shape:
        size *= n
    for _ in range(max_examples):
        flat = [_sample_value(rng) for _ in range(size)]
        u = Signal(flat).reshape(square.input_shape) if len(square.input_shape) > 1 else Signal(flat)
        left, right = square.lhs(u), square.rhs(u)
        if left != right:
            return Counterexample(square.statement, input=u, lhs=left, rhs=right, decider="search",
                                  conventions=square.conventions(),
                                  details={"seed": used, "nested": False})
    return Undecided(square.statement, reason=f"no counterexample in {max_examples} examples (seed {used})",
                     decider="search", conventions=square.conventions(), details={"seed": used, "nested": False})


def _decide(square: Square, method: DecideMethod, max_examples: int, seed: int | None) -> Verdict:
    __tracebackhide__ = True
    if method not in _METHODS:
        raise InvalidArgumentError(f"method={brief(method)} must be one of {brief(', '.join(brief(item) for item in _METHODS), str)}")

    def search() -> Verdict:
        __tracebackhide__ = True
        if in_hypothesis_test():  # a nested Hypothesis search would fail its health check
            return _plain_search(square, max_examples, seed)
        return decide_search(square, max_examples=max_examples, seed=seed)

    if method == "search" or (method == "auto" and not _stronger_decider_may_apply(square)):
        return search()
    # The linear and SMT deciders take no search options (max_examples, seed).
    verdict = _auto_decide(square, method=method)
    if method == "auto" and (verdict.undecided or verdict.decider == "search"):
        # A stronger decider gave up (time budget, encoding), or decide fell back to a
        # search with its own defaults: search with this call's max_examples and seed.
        return search()
    return verdict


def _square(operator: Any, g: Any, g_out: Any, input_shape: Any) -> Square:
    __tracebackhide__ = True
    if input_shape is None:
        raise InvalidArgumentError("input_shape is required, e.g. input_shape=(8,) or input_shape=8")
    operator = _imported(operator, input_shape)
    for name, op in (("operator", operator), ("g", g)):
        if not isinstance(op, Operator):
            raise InvalidArgumentError(f"{name}={brief(op)} must be a symequi layer or translation (an Operator)")
    return Square(operator, g, g_out, input_shape=input_shape)


def _imported(operator: Any, input_shape: Any) -> Any:
    """A torch.nn.Module imported exactly (:func:`symequi.models.from_torch`); anything else unchanged."""
    torch = sys.modules.get("torch")  # a torch module exists only if torch was imported
    if torch is not None and isinstance(operator, torch.nn.Module):
        from .models.torch_import import from_torch

        return from_torch(operator, input_shape=(input_shape,) if isinstance(input_shape, int) else input_shape)
    return operator


def _exact_text(value: Any) -> str:
    """Every entry of a Signal as an exact number (no truncation); str() otherwise."""
    __tracebackhide__ = True
    if isinstance(value, Signal):
        return str(value.to_list())
    return str(value)


def witness_text(verdict: Counterexample) -> str:
    """The counterexample written out exactly, as an assertion message shows it.

    >>> from symequi.core.verdict import Counterexample
    >>> v = Counterexample("A commutes with g", input=Signal([1, -1]), lhs=Signal([0, 0]),
    ...                    rhs=Signal(['1/2', '1/2']), decider="search", details={"seed": 3},
    ...                    conventions=("periodic boundary", "H(0) = 0"))
    >>> print(witness_text(v))
    input:      [1, -1]
    lhs A(g(u)):  [0, 0]
    rhs g'(A(u)): [1/2, 1/2]
    difference: [-1/2, -1/2]
    decider: search, seed 3 (pass seed=3 to reproduce)
    conventions:
      - periodic boundary
      - H(0) = 0
    """
    __tracebackhide__ = True
    lines = []
    if verdict.functions:
        for name, f in verdict.functions.items():
            lines.append(f"{name}: {f}")
    lines += [
        f"input:      {_exact_text(verdict.input)}",
        f"lhs A(g(u)):  {_exact_text(verdict.lhs)}",
        f"rhs g'(A(u)): {_exact_text(verdict.rhs)}",
        f"difference: {_exact_text(verdict.difference)}",
    ]
    seed = verdict.details.get("seed")
    tail = f"decider: {verdict.decider or 'unknown'}"
    if seed is not None:
        tail += f", seed {seed} (pass seed={seed} to reproduce)"
    lines.append(tail)
    if verdict.conventions:
        lines.append("conventions:")
        lines += [f"  - {c}" for c in verdict.conventions]
    return "\n".join(lines)


def assert_commutes(operator: Any, g: Operator, g_out: Operator | None = None, *,
                    input_shape: int | tuple[int, ...], method: DecideMethod = "auto",
                    max_examples: int = 100, seed: int | None = 0,
                    require_proof: bool = False) -> Verdict:
    """Assert that ``operator(g(u)) == g_out(operator(u))`` for every input ``u``.

    ``operator`` is a symequi layer, or a ``torch.nn.Module`` (imported exactly
    with :func:`symequi.models.from_torch` on inputs of shape ``input_shape``,
    without the batch axis).

    Decides the square with ``method`` (``"auto"``, ``"linear"``, ``"smt"`` or
    ``"search"``).  Passes on Proved, and on a search that found no
    counterexample unless ``require_proof=True``.  Raises ``AssertionError``
    on a counterexample, with the exact witness and the seed in the message.
    Returns the verdict.

    See Also
    --------
    assert_not_commutes : the opposite assertion.

    Example
    -------
    >>> from symequi.layers import ReLU
    >>> from symequi.translations import shift
    >>> assert_commutes(ReLU(), shift(1), input_shape=4, require_proof=True).decider
    'compositional'
    >>> assert_commutes(ReLU(), shift('1/2', method='linear'), input_shape=2)
    Traceback (most recent call last):
    ...
    AssertionError: pointwise ReLU(x) = max(0, x) does not commute with ...
    """
    __tracebackhide__ = True
    square = _square(operator, g, g_out, input_shape)
    count = positive_int(max_examples, "max_examples")
    if not isinstance(require_proof, bool):
        raise InvalidArgumentError(f"require_proof={brief(require_proof)} must be True or False")
    verdict = _decide(square, method, count, seed)
    if isinstance(verdict, Counterexample):  # verdict.is_counterexample
        failure = AssertionError(f"{square.refuted_statement}: counterexample\n{witness_text(verdict)}")
        setattr(failure, WITNESS_MARK, True)
        raise failure
    if isinstance(verdict, Undecided) and require_proof:  # verdict.is_undecided
        raise AssertionError(
            f"not proved (require_proof=True): {brief(verdict.statement, str)}\n  reason: {brief(verdict.reason, str)}"
        )
    return verdict


def assert_not_commutes(operator: Any, g: Operator, g_out: Operator | None = None, *,
                        input_shape: int | tuple[int, ...], method: DecideMethod = "auto",
                        max_examples: int = 100, seed: int | None = 0) -> Counterexample:
    """Assert that some input ``u`` has ``operator(g(u)) != g_out(operator(u))``.

    Passes when a counterexample is found, and returns it; raises
    ``AssertionError`` when the square is proved to commute or when no
    counterexample turns up in ``max_examples`` examples.

    Example
    -------
    >>> from symequi.layers import ReLU
    >>> from symequi.translations import shift
    >>> found = assert_not_commutes(ReLU(), shift('1/2', method='linear'), input_shape=2)
    >>> found.lhs != found.rhs
    True
    """
    __tracebackhide__ = True
    square = _square(operator, g, g_out, input_shape)
    count = positive_int(max_examples, "max_examples")
    verdict = _decide(square, method, count, seed)
    if isinstance(verdict, Counterexample):  # verdict.is_counterexample
        return verdict
    if isinstance(verdict, Proved):  # verdict.is_proved
        raise AssertionError(f"expected a counterexample, but it is proved: {brief(verdict.statement, str)}"
                             + (f" (for {brief(verdict.holds_for, str)})" if verdict.holds_for else ""))
    assert isinstance(verdict, Undecided)  # the only other kind
    raise AssertionError(f"expected a counterexample, but none was found: {brief(verdict.statement, str)}\n"
                         f"  reason: {brief(verdict.reason, str)}")
