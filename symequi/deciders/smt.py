"""Decider 2: exact SMT decisions for piecewise-linear squares (z3, linear real arithmetic).

:func:`decide_smt` encodes both paths of a :class:`~symequi.core.square.Square`,
``lhs(u) = A(g(u))`` and ``rhs(u) = g_out(A(u))``, for a vector ``u`` of real
z3 variables, asserts that some output entry differs and asks z3:

* ``unsat``: no real input separates the paths, so the square commutes for
  **every real input** of the square's shape (a proof, not a sample);
* ``sat``: z3's model is read as exact rationals, the real layers are run on
  it and must disagree exactly (and agree with z3's values of both paths);
  only then is a :class:`~symequi.core.verdict.Counterexample` reported;
* ``unknown`` (the time budget ran out, ...): :class:`~symequi.core.verdict.Undecided`
  with z3's reason.

What can be encoded is what a layer describes through the layer protocol
(:meth:`symequi.core.operator.Operator.encode`, primitives in
:mod:`symequi.core.encoding`): linear operators with a rational matrix
(convolutions and correlations with rational kernels, average pooling, discrete
translations with rational weights), rational offsets
(:class:`~symequi.layers.Bias`), piecewise-linear activations with rational
breakpoints (ReLU, LeakyReLU, Abs, Clamp), affine polynomials, MaxPool,
adaptive polyphase sampling with the l1 criterion, and
:class:`~symequi.core.operator.Sequential` stacks of these.  Anything else (a
quadratic activation, a Lanczos or Fourier shift with irrational weights)
raises :class:`~symequi.core.errors.EncodingError` naming the layer; use the
search decider there.

Two options widen what is asked.  ``nonlinear=True`` also encodes rational
polynomials of degree >= 2 (quadratic activations, the squared norms of
``AdaptivePolyphaseSampling('l2')``); a query that uses one is nonlinear real
arithmetic: z3's SMT core after ``simplify`` first (a quarter of the budget:
once the polynomials are in canonical form, the same quadratic form on both
paths is one atom, and squares such as APS under an integer shift are settled
in milliseconds for N = 8), then the complete nlsat procedure (QF_NRA) with
the rest.  z3 may only find irrational candidates there: that is Undecided,
never a reported witness.  ``where=W`` restricts the inputs to those with every
entry of ``W(u)`` positive (e.g. "no tie" for adaptive polyphase sampling):
the Proved says so in ``holds_for``, and a Counterexample is checked to
satisfy the condition exactly.

Size limit, measured (best of 2, this project's shared 2-core machine, z3 5.4)
for ``Correlation(K=3, periodic) + Bias + ReLU`` on signals of length N (see
``benchmarks/bench_smt.py``):

    N       integer shift (Proved)   half-cell linear shift (Counterexample)
    32      0.01 s                   0.02 s
    256     0.07 s                   0.13 s
    1024    0.56 s                   0.62 s
    4096    3.4 s                    4.5 s

Time grows a little faster than N (about 5x per 4x N, about 6-7x from 1024 to
4096): reading a layer's matrix applies the layer to the N unit signals, and
the layers' exact implementations cost O(N) Python steps per call.  z3 itself
is not the bottleneck here: under an integer shift both paths encode to the
same terms and z3 answers ``unsat`` during preprocessing; under a sub-pixel
shift z3 is first asked for a counterexample supported on the first 4 entries
(a quarter of the budget), which it finds at once.  Practical limit: N of a
few thousand per second-scale budget.  Depth matters more than N when the
answer is not found by that local query: for 4 such layers at N = 64, a
half-cell shift without the local query took z3 over 60 s; squares that
commute only after genuine case analysis over many ReLUs can time out, and end
``Undecided`` with z3's reason.

Example
-------
>>> from symequi.deciders.smt import decide_smt
>>> from symequi.core.square import Square
>>> from symequi.layers import Correlation, Bias, ReLU
>>> from symequi.core.operator import Sequential
>>> from symequi.translations import shift
>>> net = Sequential(Correlation([-2, 2], padding='periodic'), Bias(-1), ReLU())
>>> decide_smt(Square(net, shift(1), input_shape=4)).kind
'proved'
>>> v = decide_smt(Square(net, shift('1/2', method='linear'), input_shape=4))
>>> v.kind, v.lhs != v.rhs
('counterexample', True)
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

import flint
import sympy
import z3

from ..core.budget import check_budget, get_time_budget, time_budget
from ..core.encoding import PiecewiseLinearFunction, SparseRows, VectorAlgebra
from ..core.errors import BudgetExceededError, EncodingError, InvalidArgumentError, SMTInternalError
from ..core.operator import Operator, encode
from ..core.signal import Signal
from ..core.square import Square
from ..core.verdict import Counterexample, Proved, Undecided, Verdict
from ..core.texts import brief

__all__ = ["decide_smt", "Z3Algebra"]

_DECIDER = "smt"

Terms = list  # flat row-major list of z3 real terms


def decide_smt(square: Square, *, budget: float | int | None = None, nonlinear: bool = False,
               where: Operator | None = None) -> Verdict:
    """Decide a piecewise-linear square exactly with z3 (linear real arithmetic).

    Parameters
    ----------
    square : the square ``A(g(u)) == g_out(A(u))`` to decide; ``A``, ``g``
        and ``g_out`` must be piecewise linear with rational parameters.
    budget : seconds for the whole decision (encoding, solving and checking the
        witness); None uses :func:`symequi.core.get_time_budget`.
    nonlinear : also encode polynomials of degree >= 2 (e.g. the squared norms of
        ``AdaptivePolyphaseSampling('l2')``); a query that uses one is decided in
        nonlinear real arithmetic (z3's QF_NRA, practical for a few dozen unknowns),
        and a candidate counterexample with irrational entries ends Undecided.
    where : an operator ``W`` on the square's inputs: only inputs ``u`` with every
        entry of ``W(u)`` positive are considered (e.g.
        :meth:`~symequi.layers.polyphase.AdaptivePolyphaseSampling.tie_margins`,
        "no tie").  A Proved then holds for those inputs only and says so in
        ``holds_for``; a Counterexample is checked to satisfy the condition exactly.

    Returns
    -------
    Proved (for every real input of the square's shape), Counterexample (an
    exact rational input, checked by running the layers), or Undecided (z3's
    reason, e.g. the budget ran out).

    Raises
    ------
    EncodingError : a layer is not piecewise linear with rational parameters;
        the message names it.

    Example
    -------
    >>> from symequi.core.square import Square
    >>> from symequi.layers import ReLU
    >>> from symequi.translations import shift
    >>> decide_smt(Square(ReLU(), shift(2), input_shape=5)).kind
    'proved'
    """
    if not isinstance(square, Square):
        raise InvalidArgumentError(
            f"square={brief(square)} must be a symequi Square (Square(operator, g, input_shape=...))"
        )
    if where is not None and not isinstance(where, Operator):
        raise InvalidArgumentError(
            f"where={brief(where)} must be a symequi Operator on the square's inputs (only inputs u with every "
            "entry of where(u) positive are considered), e.g. AdaptivePolyphaseSampling('l1').tie_margins()"
        )
    seconds = check_budget(budget, finite=True) or get_time_budget()
    start = time.monotonic()
    shape = square.input_shape
    ctx = z3.Context()
    try:
        with time_budget(seconds, f"encoding {brief(square.statement, str)} for z3"):
            u = [z3.Real(f"u_{i}", ctx) for i in range(math.prod(shape))]
            encoder = Z3Algebra(ctx, nonlinear=nonlinear)
            a_u, out_shape = encoder.apply(square.operator, u, shape)
            g_u, _ = encoder.apply(square.g, u, shape)
            lhs, _ = encoder.apply(square.operator, g_u, shape)
            rhs, _ = encoder.apply(square.g_out, a_u, out_shape)
            differs = z3.Or([a != b for a, b in zip(lhs, rhs)])
            condition = [] if where is None else [t > 0 for t in encoder.apply(where, u, shape)[0]]
    except BudgetExceededError as err:
        return _undecided(square, str(err), seconds)

    nonlinear_query = encoder.used_nonlinear
    arithmetic = "nonlinear real arithmetic" if nonlinear_query else "linear real arithmetic"
    deadline = start + seconds
    model = None
    if len(u) > _PROBE_SUPPORT:
        # Counterexamples to sub-pixel equivariance are usually local; a query whose
        # input is zero outside a few entries is far easier for z3.  Only its 'sat'
        # is used (a model of the restricted query is a model of the full one).
        answer, model, _ = _check(ctx, [differs, *condition] + [v == 0 for v in u[_PROBE_SUPPORT:]],
                                  (deadline - time.monotonic()) * _PROBE_SHARE, nonlinear_query, u)
    if model is None:
        answer, model, reason = _check(ctx, [differs, *condition], deadline - time.monotonic(),
                                       nonlinear_query, u)
        if answer == z3.unsat:
            holds_for = f"every real input of shape {shape}"
            if where is not None:
                holds_for += f" with every entry of {where.describe()} positive"
            return Proved(square.statement, holds_for=holds_for,
                          decider=_DECIDER, conventions=square.conventions(),
                          details={"solver": f"z3 {z3.get_version_string()}, {arithmetic}"})
        if model is None:
            return _undecided(square, f"z3 answered unknown: {reason}", seconds)
    try:
        with time_budget(max(deadline - time.monotonic(), 1e-3),
                         "checking z3's counterexample with the layers"):
            return _checked_counterexample(square, model, u, lhs, rhs, where)
    except BudgetExceededError as err:
        return _undecided(square, f"z3 found a candidate counterexample, but {err}", seconds)
    except _IrrationalModel as err:
        if not encoder.used_nonlinear:
            raise
        return _undecided(square, f"z3 found a candidate counterexample in nonlinear real arithmetic, but {err}",
                          seconds)


#: Inputs supported on this many leading entries are tried first ...
_PROBE_SUPPORT = 4
#: ... with at most this share of the remaining budget.
_PROBE_SHARE = 0.25


#: Share of a nonlinear query's budget for z3's SMT core before the complete nlsat procedure.
_NONLINEAR_FIRST_SHARE = 0.25


def _solver(ctx: z3.Context, assertions: list, seconds: float, logic: str = "QF_LRA") -> z3.Solver:
    solver = z3.SolverFor(logic, ctx=ctx)
    solver.set("timeout", max(1, int(seconds * 1000)))
    solver.add(*assertions)
    return solver


def _check(ctx: z3.Context, assertions: list, seconds: float, nonlinear: bool,
           inputs: Sequence[z3.ArithRef]) -> tuple[z3.CheckSatResult, z3.ModelRef | None, str]:
    """z3's answer to ``assertions``: ``(answer, model when sat, reason when unknown)``.

    Linear queries go to QF_LRA.  A nonlinear query is first simplified (polynomials in a
    canonical form, so one quadratic form met on both paths of a square becomes one atom) and
    given to z3's SMT core, which settles such queries at once but may answer unknown or give
    irrational ``inputs``; then what remains of the budget goes to the complete nlsat
    procedure (QF_NRA), which prefers rational models.  Every ``unsat`` of either is a proof;
    every model is re-checked exactly by the caller.
    """
    deadline = time.monotonic() + seconds
    attempts: list[z3.Solver] = []
    if nonlinear:
        first = z3.Then(z3.Tactic("simplify", ctx), z3.Tactic("smt", ctx)).solver()
        first.set("timeout", max(1, int(seconds * _NONLINEAR_FIRST_SHARE * 1000)))
        first.add(*assertions)
        attempts.append(first)
    reason = ""
    for k in range(2 if nonlinear else 1):
        solver = attempts[k] if k < len(attempts) else _solver(
            ctx, assertions, max(deadline - time.monotonic(), 1e-3), "QF_NRA" if nonlinear else "QF_LRA")
        answer = solver.check()
        if answer == z3.sat:
            model = solver.model()
            last = k == (1 if nonlinear else 0)
            if last or all(_is_rational(model.eval(v, model_completion=True)) for v in inputs):
                return answer, model, ""
            reason = "z3's SMT core found only an irrational candidate"
            continue
        if answer == z3.unsat:
            return answer, None, ""
        reason = solver.reason_unknown()
    return z3.unknown, None, reason


def _is_rational(value: z3.ExprRef) -> bool:
    return bool(z3.is_rational_value(value) or z3.is_int_value(value))


def _undecided(square: Square, reason: str, seconds: float) -> Undecided:
    return Undecided(square.statement, reason=f"{reason} (time budget {seconds:g} s)",
                     decider=_DECIDER, conventions=square.conventions())


# --- reading z3's model ----------------------------------------------------------------------

def _model_fraction(model: z3.ModelRef, term: z3.ArithRef, what: str) -> Fraction:
    """The exact rational value of ``term`` in ``model``; refuses irrational values."""
    value = model.eval(term, model_completion=True)
    if z3.is_rational_value(value):
        return value.as_fraction()
    if z3.is_int_value(value):
        return Fraction(value.as_long())
    raise _IrrationalModel(
        f"z3's model gives {brief(what, str)} the value {brief(value, str)}, which is not a rational number; "
        "symequi reports only exact rational counterexamples (was a nonlinear term encoded?)"
    )


class _IrrationalModel(SMTInternalError):
    """z3's model gives an input or output entry an irrational value (possible in nonlinear
    real arithmetic only); :func:`decide_smt` then answers Undecided."""


def _checked_counterexample(square: Square, model: z3.ModelRef, u: Sequence[z3.ArithRef],
                            lhs: Sequence[z3.ArithRef], rhs: Sequence[z3.ArithRef],
                            where: Operator | None = None) -> Counterexample:
    values = [_model_fraction(model, v, f"input entry {i}") for i, v in enumerate(u)]
    signal = Signal.from_fmpqs([flint.fmpq(f.numerator, f.denominator) for f in values],
                                square.input_shape)
    details = None
    if where is not None:
        margins = where(signal)
        if not all(e > 0 for e in margins.flat_exprs()):
            raise SMTInternalError(
                f"z3's input {brief(signal)} should satisfy where: every entry of {brief(where.describe(), str)} positive, but "
                f"the layers give {brief(margins, str)}: the SMT encoding of some layer is wrong; please report this"
            )
        details = {"where": f"every entry of {where.describe()} is positive on this input: {margins}"}
    witness = square.witness(signal, decider=_DECIDER, details=details)
    if witness is None:
        raise SMTInternalError(
            f"z3 claims the paths of '{brief(square.statement, str)}' differ on {brief(signal)}, "
            "but the layers agree there: the SMT encoding of some layer is wrong; please report this"
        )
    for name, z3_terms, exact in (("lhs", lhs, witness.lhs), ("rhs", rhs, witness.rhs)):
        computed = [_model_fraction(model, t, f"{name} entry {i}") for i, t in enumerate(z3_terms)]
        actual = exact.flat_exprs()
        bad = next((i for i, (a, b) in enumerate(zip(computed, actual))
                    if sympy.Rational(a.numerator, a.denominator) != b), None)
        if bad is not None:
            raise SMTInternalError(
                f"on the input {brief(signal)}, z3's value of {name} entry {brief(bad, str)} is {brief(computed[bad], str)} but the "
                f"layers give {brief(actual[bad], str)}: the SMT encoding of some layer is wrong; please report this"
            )
    return witness


# --- encoding layers as z3 terms ----------------------------------------------------------------

class Z3Algebra(VectorAlgebra[Terms]):
    """z3 real terms for the primitives of :mod:`symequi.core.encoding`; each layer says
    what it computes through :meth:`~symequi.core.operator.Operator.encode`."""

    name = "the SMT decider (z3, linear real arithmetic)"

    def __init__(self, ctx: z3.Context, *, nonlinear: bool = False) -> None:
        self.ctx = ctx
        self.zero = z3.RealVal(0, ctx)
        self._reals: dict[flint.fmpq, z3.ArithRef] = {}
        #: Polynomials of degree >= 2 are encoded (nonlinear real arithmetic) only when True.
        self.nonlinear = nonlinear
        #: True once a term of degree >= 2 has been encoded (the query then needs QF_NRA).
        self.used_nonlinear = False
        if nonlinear:
            self.name = "the SMT decider (z3, nonlinear real arithmetic)"

    def real(self, value: flint.fmpq) -> z3.ArithRef:
        """The z3 numeral of ``value`` (one per value: kernels repeat their coefficients)."""
        term = self._reals.get(value)
        if term is None:
            term = self._reals[value] = z3.RealVal(f"{value.p}/{value.q}", self.ctx)
        return term

    def _sum(self, terms: list[z3.ArithRef]) -> z3.ArithRef:
        """``terms[0] + ... + terms[-1]`` built by one C call (z3.Sum re-checks every argument)."""
        array = (z3.Ast * len(terms))()
        for i, t in enumerate(terms):
            array[i] = t.as_ast()
        return z3.ArithRef(z3.Z3_mk_add(self.ctx.ref(), len(terms), array), self.ctx)

    def _scaled(self, v: z3.ArithRef, c: flint.fmpq) -> z3.ArithRef:
        if c == 1:
            return v
        array = (z3.Ast * 2)()
        array[0], array[1] = self.real(c).as_ast(), v.as_ast()
        return z3.ArithRef(z3.Z3_mk_mul(self.ctx.ref(), 2, array), self.ctx)

    def apply(self, op: Operator, values: Terms, shape: tuple[int, ...]) -> tuple[Terms, tuple[int, ...]]:
        """``op`` applied to the flat terms ``values`` of shape ``shape``, and the output shape."""
        return encode(op, self, values, shape), tuple(op.output_shape(shape))

    def _affine(self, v: z3.ArithRef, a: flint.fmpq, c: flint.fmpq) -> z3.ArithRef:
        term = self.zero if a == 0 else v if a == 1 else -v if a == -1 else self.real(a) * v
        return term if c == 0 else (self.real(c) if a == 0 else term + self.real(c))

    def linear(self, values: Terms, rows: SparseRows, out_size: int) -> Terms:
        out = []
        scaled = self._scaled
        for row in rows:
            terms = [scaled(values[j], c) for j, c in row]
            out.append(self.zero if not terms else terms[0] if len(terms) == 1 else self._sum(terms))
        return out

    def add_constants(self, values: Terms, constants: Sequence[flint.fmpq]) -> Terms:
        return [v if c == 0 else v + self.real(c) for v, c in zip(values, constants)]

    def entrywise(self, values: Terms, function: PiecewiseLinearFunction) -> Terms:
        out = []
        for v in values:
            term = self._affine(v, *function.pieces[-1])
            for b, piece in zip(reversed(function.breakpoints), reversed(function.pieces[:-1])):
                term = z3.If(v <= self.real(b), self._affine(v, *piece), term)  # intervals closed on the right
            out.append(term)
        return out

    def polynomial(self, values: Terms, poly: flint.fmpq_poly) -> Terms:
        if poly.degree() <= 1:
            return [self._affine(v, poly[1], poly[0]) for v in values]
        if not self.nonlinear:
            raise EncodingError(
                f"the polynomial activation {brief(poly, str)} is not piecewise linear; use the search decider "
                "(the SMT decider encodes linear maps, offsets, piecewise-linear activations and max pooling; "
                "decide_smt(..., nonlinear=True) also encodes polynomials, in nonlinear real arithmetic)"
            )
        self.used_nonlinear = True
        coefficients = [poly[d] for d in range(poly.degree() + 1)]
        out = []
        for v in values:  # Horner: (((c_d v + c_(d-1)) v + ...) v + c_0
            term = self.real(coefficients[-1])
            for c in reversed(coefficients[:-1]):
                term = term * v if c == 0 else term * v + self.real(c)
            out.append(term)
        return out

    def window_max(self, values: Terms, windows: Sequence[Sequence[int]]) -> Terms:
        out = []
        for window in windows:
            best = values[window[0]]
            for j in window[1:]:
                best = z3.If(values[j] > best, values[j], best)
            out.append(best)
        return out

    def select_max(self, values: Terms, keys: Sequence[int], options: Sequence[Sequence[int]]) -> Terms:
        # option k is taken when its key is >= every other key and no earlier option was taken:
        # nested If, first option outermost, so ties keep the lowest index
        largest = [z3.And([values[keys[k]] >= values[keys[j]] for j in range(len(keys)) if j != k])
                   for k in range(len(keys))]
        out = []
        for i in range(len(options[0])):
            term = values[options[-1][i]]
            for k in range(len(options) - 2, -1, -1):
                term = z3.If(largest[k], values[options[k][i]], term)
            out.append(term)
        return out

    def add_vectors(self, values_list: Sequence[Terms]) -> Terms:
        return [z3.Sum(list(terms)) for terms in zip(*values_list)]

    def concat(self, values_list: Sequence[Terms], picks: Sequence[tuple[int, int]]) -> Terms:
        return [values_list[k][j] for k, j in picks]
