"""The exact worst-case equivariance defect of a piecewise-linear model over a box of inputs.

``worst_case_defect(op, g, g_out, box=(lo, hi), input_shape=...)`` computes

    D = max over u in [lo, hi]^n of  max_i |A(g u)_i - g_out(A u)_i|,

the largest error any input in the box can make, exactly, with an input that
attains it.  Both paths are encoded as z3 terms by the SMT decider's encoder
(the layer protocol, :mod:`symequi.deciders.smt`); z3's optimizer (linear real
arithmetic, optimization modulo theories) maximizes ``t`` subject to
``t <= d_i or t <= -d_i`` for some entry ``i`` (so the optimum is the max-norm).
The maximizing input is then run through the layers in exact arithmetic and
must reproduce ``D``; only then is ``D`` reported.  When the budget runs out
the result is undecided, with an exact lower bound (the best input found,
checked) and z3's upper bound when it has one.

In dB, as StyleGAN3 reports EQ-T (a PSNR, ``10 log10(peak^2 / MSE)``): the
worst case has squared error ``D^2`` at the worst entry, so
``20 log10(peak / D)`` with ``peak`` the dynamic range (``hi - lo`` by
default); ``+oo`` when ``D = 0`` (exactly equivariant on the box).

Example
-------
ReLU under a half-cell linear shift on 2 periodic samples in ``[-1, 1]``:
``(relu(a) + relu(b))/2 - relu((a + b)/2)`` is largest, 1/2, at ``a = 1, b = -1``.

>>> from symequi.layers import ReLU
>>> from symequi.translations import shift
>>> w = worst_case_defect(ReLU(), shift('1/2', method='linear'), box=(-1, 1), input_shape=2)
>>> w.kind, w.value, w.input.to_list() in ([1, -1], [-1, 1])
('exact', 1/2, True)
>>> round(float(w.db), 4)
12.0412
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, cast

import flint
import sympy
import z3

from ..core.budget import check_budget, get_time_budget, time_budget
from ..core.errors import BudgetExceededError, InvalidArgumentError
from ..core.exact import to_rational
from ..core.operator import Operator
from ..core.signal import Signal
from ..core.square import Square
from .smt import SMTInternalError, Z3Algebra
from ..core.texts import brief, fields_repr

__all__ = ["worst_case_defect", "WorstCaseDefect"]


@dataclass(frozen=True)
class WorstCaseDefect:
    """The result of :func:`worst_case_defect`.

    ``kind`` is ``'exact'`` (``value`` is the maximum, attained at ``input``) or
    ``'undecided'`` (``lower <= D <= upper``; ``upper`` None when unknown; ``input``
    attains ``lower``, or None).  ``db`` is ``20 log10(peak / value)`` (exact
    sympy; ``oo`` for 0), ``db_bounds`` the dB values of the bounds.
    """

    kind: str
    value: sympy.Rational | None
    lower: sympy.Rational
    upper: sympy.Rational | None
    input: Signal | None
    peak: sympy.Rational
    statement: str
    reason: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def db(self) -> sympy.Expr | None:
        """``20 log10(peak / value)`` dB (exact), None when undecided."""
        return None if self.value is None else _db(self.peak, self.value)

    @property
    def db_bounds(self) -> tuple[sympy.Expr | None, sympy.Expr]:
        """(dB of the upper bound, dB of the lower bound): the dB range (None: unknown)."""
        return (None if self.upper is None else _db(self.peak, self.upper), _db(self.peak, self.lower))

    def text(self) -> str:
        """One paragraph.

        >>> WorstCaseDefect("exact", sympy.Integer(0), sympy.Integer(0), sympy.Integer(0), None, sympy.Integer(1), "s").text()
        'worst-case defect of s: 0 exactly (+oo dB: exactly equivariant on the box)'
        """
        if self.kind == "exact":
            assert self.value is not None
            if self.value == 0:
                return f"worst-case defect of {brief(self.statement, str)}: 0 exactly (+oo dB: exactly equivariant on the box)"
            return (f"worst-case defect of {brief(self.statement, str)}: {brief(self.value, str)} exactly "
                    f"({brief(self.db, _decibels)} dB with peak {brief(self.peak, str)}), attained at {brief(self.input, str)}")
        upper = "unknown" if self.upper is None else brief(self.upper, str)
        return f"worst-case defect of {brief(self.statement, str)}: undecided, {brief(self.lower, str)} <= D <= {brief(upper, str)} ({brief(self.reason, str)})"

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return fields_repr(self)  # the generated repr fails on ints of over 4300 digits


def _decibels(db: Any) -> str:
    """A dB value to 6 significant digits, for the text (``brief`` shows it if float() fails)."""
    return f"{float(db):.6g}"


def _db(peak: sympy.Rational, value: sympy.Rational) -> sympy.Expr:
    return sympy.oo if value == 0 else 20 * sympy.log(peak / value) / sympy.log(10)


def worst_case_defect(op: Operator, g: Operator, g_out: Operator | None = None, *, box: Any = (0, 1),
                      input_shape: Any, peak: Any = None, budget: float | None = None) -> WorstCaseDefect:
    """The maximum over inputs in ``box`` of ``max_i |A(g u)_i - g_out(A u)_i|``, exactly (module docstring).

    Parameters
    ----------
    op, g, g_out : the layer (piecewise linear, rational parameters) and the translations
        (``g_out`` defaults to ``g``).
    box : ``(lo, hi)``: every input entry ranges over ``[lo, hi]`` (rationals, ``lo < hi``).
    input_shape : the inputs' shape.
    peak : the dynamic range for dB (default ``hi - lo``).
    budget : seconds (None: the default budget).

    Returns
    -------
    WorstCaseDefect

    Example: see the module docstring.
    """
    if not isinstance(box, (tuple, list)) or len(box) != 2:
        raise InvalidArgumentError(f"box={brief(box)} must be a pair (lo, hi) of rationals, e.g. (0, 1)")
    lo, hi = to_rational(box[0], "box[0]"), to_rational(box[1], "box[1]")
    if not lo < hi:
        raise InvalidArgumentError(f"box={brief(box)}: lo must be less than hi")
    top = hi - lo if peak is None else to_rational(peak, "peak")
    if top <= 0:
        raise InvalidArgumentError(f"peak={brief(peak)} must be positive")
    square = Square(op, g, g_out, input_shape=input_shape)
    seconds = check_budget(budget, finite=True) or get_time_budget()
    start = time.monotonic()
    shape = square.input_shape
    ctx = z3.Context()
    encoder = Z3Algebra(ctx)
    try:
        with time_budget(seconds, "encoding the defect for z3's optimizer"):
            u = [z3.Real(f"u_{i}", ctx) for i in range(math.prod(shape))]
            a_u, out_shape = encoder.apply(square.operator, u, shape)
            g_u, _ = encoder.apply(square.g, u, shape)
            lhs, _ = encoder.apply(square.operator, g_u, shape)
            rhs, _ = encoder.apply(square.g_out, a_u, out_shape)
    except BudgetExceededError as err:
        return WorstCaseDefect("undecided", None, sympy.Integer(0), None, None, top, square.statement, str(err))
    t = z3.Real("t", ctx)
    opt = z3.Optimize(ctx=ctx)
    low, high = encoder.real(flint.fmpq(int(lo.p), int(lo.q))), encoder.real(flint.fmpq(int(hi.p), int(hi.q)))
    for v in u:
        opt.add(v >= low, v <= high)
    opt.add(z3.Or([z3.Or(t <= a - b, t <= b - a) for a, b in zip(lhs, rhs)]))
    opt.add(t >= 0)  # D >= 0 always; keeps the objective bounded below
    handle = opt.maximize(t)
    remaining = max(seconds - (time.monotonic() - start), 1e-3)
    opt.set("timeout", max(1, int(remaining * 1000)))
    answer = opt.check()
    found = _checked_input(square, opt, u, shape) if answer != z3.unsat else None
    if answer == z3.sat:
        assert found is not None
        value, signal = found
        optimum = _rational(opt.model().eval(t, model_completion=True))
        if optimum != value:
            raise SMTInternalError(
                f"z3's optimum {brief(optimum, str)} differs from the exact defect {brief(value, str)} of its maximizing input {brief(signal)}: "
                "the SMT encoding of some layer is wrong; please report this"
            )
        return WorstCaseDefect("exact", value, value, value, signal, top, square.statement,
                               details={"solver": f"z3 {z3.get_version_string()} optimize, linear real arithmetic"})
    upper = _bound(opt.upper(handle))
    lower, signal = found if found is not None else (sympy.Integer(0), cast(Signal, None))
    return WorstCaseDefect("undecided", None, lower, upper, signal, top, square.statement,
                           f"z3's optimizer answered {answer}: {opt.reason_unknown()} (time budget {seconds:g} s)")


def _rational(value: Any) -> sympy.Rational:
    if z3.is_rational_value(value):
        f = value.as_fraction()
        return sympy.Rational(f.numerator, f.denominator)
    if z3.is_int_value(value):
        return sympy.Integer(value.as_long())
    raise SMTInternalError(f"z3 gave the non-rational value {brief(value, str)}")


def _bound(value: Any) -> sympy.Rational | None:
    try:
        return _rational(value)
    except SMTInternalError:  # +oo or an epsilon expression: no finite bound
        return None


def _checked_input(square: Square, opt: z3.Optimize, u: list, shape: tuple[int, ...]) -> tuple[sympy.Rational, Signal] | None:
    """The best input z3 has found and its exact defect (computed with the layers)."""
    try:
        model = opt.model()
    except z3.Z3Exception:
        return None
    values = []
    for v in u:
        f = Fraction(str(_rational(model.eval(v, model_completion=True))))
        values.append(flint.fmpq(f.numerator, f.denominator))
    signal = Signal.from_fmpqs(values, shape)
    diff = square.difference(signal)
    value = max((abs(e) for e in diff.flat_exprs()), default=sympy.Integer(0))
    return sympy.Rational(value), signal
