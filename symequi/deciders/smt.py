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

What can be encoded: linear operators with a rational matrix (convolutions and
correlations with rational kernels, average pooling, discrete translations with
rational weights), :class:`~symequi.layers.Bias`, ReLU, LeakyReLU with a
rational slope, Abs, MaxPool, and :class:`~symequi.core.operator.Sequential`
stacks of these.  Anything else (a polynomial activation, a Lanczos or Fourier
shift with irrational weights) raises :class:`~symequi.core.errors.EncodingError`
naming the layer; use the search decider there.

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

from .. import layers
from ..core.budget import check_budget, get_time_budget, time_budget
from ..core.errors import BudgetExceededError, EncodingError, InvalidArgumentError, SymequiError
from ..core.exact import as_sympy
from ..core.operator import Operator, Sequential
from ..core.signal import Signal
from ..core.square import Square
from ..core.verdict import Counterexample, Proved, Undecided, Verdict

__all__ = ["decide_smt", "SMTInternalError"]

_DECIDER = "smt"

Terms = list  # flat row-major list of z3 real terms


class SMTInternalError(SymequiError, RuntimeError):
    """z3's answer could not be confirmed exactly: the layers do not reproduce
    z3's counterexample, or z3's model has irrational values.

    It means the SMT encoding of some layer does not match its exact
    implementation: a bug to report, never a result.

    >>> issubclass(SMTInternalError, SymequiError)
    True
    """


def decide_smt(square: Square, *, budget: float | int | None = None) -> Verdict:
    """Decide a piecewise-linear square exactly with z3 (linear real arithmetic).

    Parameters
    ----------
    square : the square ``A(g(u)) == g_out(A(u))`` to decide; ``A``, ``g``
        and ``g_out`` must be piecewise linear with rational parameters.
    budget : seconds for the whole decision (encoding, solving and checking the
        witness); None uses :func:`symequi.get_time_budget`.

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
            f"square={square!r} must be a symequi Square (Square(operator, g, input_shape=...))"
        )
    seconds = check_budget(budget, finite=True) or get_time_budget()
    start = time.monotonic()
    shape = square.input_shape
    ctx = z3.Context()
    try:
        with time_budget(seconds, f"encoding {square.statement} for z3"):
            u = [z3.Real(f"u_{i}", ctx) for i in range(math.prod(shape))]
            encoder = _Encoder(ctx)
            a_u, out_shape = encoder.apply(square.operator, u, shape)
            g_u, _ = encoder.apply(square.g, u, shape)
            lhs, _ = encoder.apply(square.operator, g_u, shape)
            rhs, _ = encoder.apply(square.g_out, a_u, out_shape)
            differs = z3.Or([a != b for a, b in zip(lhs, rhs)])
    except BudgetExceededError as err:
        return _undecided(square, str(err), seconds)

    deadline = start + seconds
    model = None
    if len(u) > _PROBE_SUPPORT:
        # Counterexamples to sub-pixel equivariance are usually local; a query whose
        # input is zero outside a few entries is far easier for z3.  Only its 'sat'
        # is used (a model of the restricted query is a model of the full one).
        probe = _solver(ctx, [differs] + [v == 0 for v in u[_PROBE_SUPPORT:]],
                        (deadline - time.monotonic()) * _PROBE_SHARE)
        if probe.check() == z3.sat:
            model = probe.model()
    if model is None:
        solver = _solver(ctx, [differs], deadline - time.monotonic())
        answer = solver.check()
        if answer == z3.unsat:
            return Proved(square.statement, holds_for=f"every real input of shape {shape}",
                          decider=_DECIDER, conventions=square.conventions(),
                          details={"solver": f"z3 {z3.get_version_string()}, linear real arithmetic"})
        if answer == z3.unknown:
            return _undecided(square, f"z3 answered unknown: {solver.reason_unknown()}", seconds)
        model = solver.model()
    try:
        with time_budget(max(deadline - time.monotonic(), 1e-3),
                         "checking z3's counterexample with the layers"):
            return _checked_counterexample(square, model, u, lhs, rhs)
    except BudgetExceededError as err:
        return _undecided(square, f"z3 found a candidate counterexample, but {err}", seconds)


#: Inputs supported on this many leading entries are tried first ...
_PROBE_SUPPORT = 4
#: ... with at most this share of the remaining budget.
_PROBE_SHARE = 0.25


def _solver(ctx: z3.Context, assertions: list, seconds: float) -> z3.Solver:
    solver = z3.SolverFor("QF_LRA", ctx=ctx)
    solver.set("timeout", max(1, int(seconds * 1000)))
    solver.add(*assertions)
    return solver


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
    raise SMTInternalError(
        f"z3's model gives {what} the value {value}, which is not a rational number; "
        "symequi reports only exact rational counterexamples (was a nonlinear term encoded?)"
    )


def _checked_counterexample(square: Square, model: z3.ModelRef, u: Sequence[z3.ArithRef],
                            lhs: Sequence[z3.ArithRef], rhs: Sequence[z3.ArithRef]) -> Counterexample:
    values = [_model_fraction(model, v, f"input entry {i}") for i, v in enumerate(u)]
    signal = Signal.from_fmpqs([flint.fmpq(f.numerator, f.denominator) for f in values],
                                square.input_shape)
    witness = square.witness(signal, decider=_DECIDER)
    if witness is None:
        raise SMTInternalError(
            f"z3 claims the paths of '{square.statement}' differ on {signal!r}, "
            "but the layers agree there: the SMT encoding of some layer is wrong; please report this"
        )
    for name, z3_terms, exact in (("lhs", lhs, witness.lhs), ("rhs", rhs, witness.rhs)):
        computed = [_model_fraction(model, t, f"{name} entry {i}") for i, t in enumerate(z3_terms)]
        actual = exact.flat_exprs()
        bad = next((i for i, (a, b) in enumerate(zip(computed, actual))
                    if sympy.Rational(a.numerator, a.denominator) != b), None)
        if bad is not None:
            raise SMTInternalError(
                f"on the input {signal!r}, z3's value of {name} entry {bad} is {computed[bad]} but the "
                f"layers give {actual[bad]}: the SMT encoding of some layer is wrong; please report this"
            )
    return witness


# --- encoding layers as z3 terms ----------------------------------------------------------------

class _Encoder:
    """Encodes operators as maps of flat lists of z3 real terms, caching matrices."""

    def __init__(self, ctx: z3.Context) -> None:
        self.ctx = ctx
        self.zero = z3.RealVal(0, ctx)
        self._matrices: dict[tuple[int, tuple[int, ...]], list[list[tuple[Fraction, int]]]] = {}

    def real(self, value: Fraction) -> z3.ArithRef:
        return z3.RealVal(f"{value.numerator}/{value.denominator}", self.ctx)

    def apply(self, op: Operator, values: Terms, shape: tuple[int, ...]) -> tuple[Terms, tuple[int, ...]]:
        """``op`` applied to the flat terms ``values`` of shape ``shape``."""
        if isinstance(op, Sequential):
            for inner in op.operators:
                values, shape = self.apply(inner, values, shape)
            return values, shape
        out_shape = tuple(op.output_shape(shape))
        rule = _rule_for(op)
        if rule is not None:
            return rule(self, op, values, shape), out_shape
        if op.is_linear:
            return self._linear(op, values, shape), out_shape
        if isinstance(op, layers.Pointwise):
            raise EncodingError(
                f"{op.describe()} is not piecewise linear; use the search decider "
                "(the SMT decider encodes ReLU, LeakyReLU with a rational slope, Abs and affine activations)"
            )
        raise EncodingError(
            f"the SMT decider cannot encode {op.describe()}: it encodes linear operators with "
            "rational matrices, Bias, ReLU, LeakyReLU, Abs, MaxPool and Sequential stacks of them; "
            "use the search decider"
        )

    def _linear(self, op: Operator, values: Terms, shape: tuple[int, ...]) -> Terms:
        rows = self._sparse_rows(op, shape)
        out = []
        for row in rows:
            terms = [v if c == 1 else -v if c == -1 else self.real(c) * v
                     for c, v in ((c, values[j]) for c, j in row)]
            out.append(self.zero if not terms else terms[0] if len(terms) == 1 else z3.Sum(terms))
        return out

    def _sparse_rows(self, op: Operator, shape: tuple[int, ...]) -> list[list[tuple[Fraction, int]]]:
        """The nonzero entries of ``op``'s matrix, row by row: ``[(coefficient, column), ...]``.

        Column ``j`` is ``op`` applied to the ``j``-th unit signal (the definition
        of :meth:`Operator.matrix`), read sparsely from its python-flint
        polynomial, so a banded operator costs O(N) Python steps, not O(N^2).
        """
        key = (id(op), shape)
        if key in self._matrices:
            return self._matrices[key]
        size = math.prod(shape)
        rows: list[list[tuple[Fraction, int]]] | None = None
        one = flint.fmpq_poly([1])
        for j in range(size):
            column = op(Signal.from_poly(one.left_shift(j), shape))
            if rows is None:
                rows = [[] for _ in range(column.size)]
            if column.domain != "QQ":
                bad = next(e for e in column.flat_exprs() if not e.is_Rational)
                raise EncodingError(
                    f"{op.describe()} is linear but its matrix on shape {shape} has the irrational "
                    f"entry {bad} (column {j}); z3's linear real arithmetic needs rational "
                    "coefficients. Use the linear decider or the search decider"
                )
            for i, c in _nonzero_coefficients(column.flat_poly()):
                rows[i].append((c, j))
        assert rows is not None
        self._matrices[key] = rows
        return rows


def _nonzero_coefficients(poly: flint.fmpq_poly) -> list[tuple[int, Fraction]]:
    """``(index, value)`` of the nonzero coefficients of ``poly``, in O(nonzeros) Python steps
    for sparse polynomials (dense ones are scanned once)."""
    found: list[tuple[int, Fraction]] = []
    for _ in range(_SPARSE_STEPS):
        if poly.is_zero():
            return found
        d = poly.degree()
        c = poly[d]
        found.append((d, Fraction(int(c.p), int(c.q))))
        poly = poly.truncate(d)
    found.extend((i, Fraction(int(c.p), int(c.q))) for i, c in enumerate(poly.coeffs()) if c)
    return found


_SPARSE_STEPS = 16


def _rational(value: Any, what: str, op: Operator) -> Fraction:
    expr = as_sympy(value)
    if not expr.is_Rational:
        raise EncodingError(
            f"{op.describe()} has the irrational {what} {expr}; z3's linear real arithmetic needs "
            "rational parameters. Use the search decider"
        )
    return Fraction(int(expr.p), int(expr.q))


def _encode_bias(enc: _Encoder, op: Any, values: Terms, shape: tuple[int, ...]) -> Terms:
    offset = op.offset(shape)
    entries = offset.flat_exprs()
    return [v if c == 0 else v + enc.real(c)
            for v, c in zip(values, (_rational(e, "offset", op) for e in entries))]


def _encode_relu(enc: _Encoder, op: Any, values: Terms, shape: tuple[int, ...]) -> Terms:
    return [z3.If(v > 0, v, enc.zero) for v in values]


def _encode_leaky_relu(enc: _Encoder, op: Any, values: Terms, shape: tuple[int, ...]) -> Terms:
    slope = _rational(op.slope, "slope", op)
    if slope == 0:
        return _encode_relu(enc, op, values, shape)
    c = enc.real(slope)
    return [z3.If(v > 0, v, c * v) for v in values]


def _encode_abs(enc: _Encoder, op: Any, values: Terms, shape: tuple[int, ...]) -> Terms:
    return [z3.If(v >= 0, v, -v) for v in values]


def _encode_affine(enc: _Encoder, op: Any, values: Terms, shape: tuple[int, ...]) -> Terms:
    if op.degree > 1:
        raise EncodingError(
            f"{op.describe()} is not piecewise linear; use the search decider "
            "(the SMT decider encodes ReLU, LeakyReLU with a rational slope, Abs and affine activations)"
        )
    c0 = _rational(op.coeffs[0], "constant coefficient", op)
    c1 = _rational(op.coeffs[1], "linear coefficient", op) if op.degree == 1 else Fraction(0)
    a, b = enc.real(c1), enc.real(c0)
    return [a * v + b for v in values]


def _encode_max_pool(enc: _Encoder, op: Any, values: Terms, shape: tuple[int, ...]) -> Terms:
    out = []
    for window in op.windows(shape):
        best = values[window[0]]
        for j in window[1:]:
            best = z3.If(values[j] > best, values[j], best)
        out.append(best)
    return out


_Rule = Callable[[_Encoder, Any, Terms, tuple[int, ...]], Terms]

# Most specific classes first (LeakyReLU may derive from ReLU).
_RULES: tuple[tuple[type, _Rule], ...] = (
    (layers.Bias, _encode_bias),
    (layers.LeakyReLU, _encode_leaky_relu),
    (layers.ReLU, _encode_relu),
    (layers.Abs, _encode_abs),
    (layers.PolynomialActivation, _encode_affine),
    (layers.MaxPool, _encode_max_pool),
)


def _rule_for(op: Operator) -> _Rule | None:
    for cls, rule in _RULES:
        if isinstance(op, cls):
            return rule
    return None
