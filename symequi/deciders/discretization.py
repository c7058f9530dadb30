"""The discretization square: the paper's eq. (5), made constructive.

Given a linear discretization ``D`` (cell averages, point samples), a
translation ``f -> f(x - delta)`` and a finite-dimensional function class
``V`` (:mod:`symequi.functions.function_classes`), is there a discrete translation
``g`` with ::

    D(f(x - delta)) == g(D f)      for every f in V ?

Let ``M`` be the matrix of ``D`` on the basis of ``V`` (N x dim) and
``M_delta`` that of ``f -> D(f(x - delta))`` (``M T`` with ``T`` the
translation matrix when ``V`` is closed under the translation; otherwise the
translated basis functions are discretized directly).  Such a ``g`` exists
iff ``ker M`` is contained in ``ker M_delta``: two functions with the same
pixels must have the same translated pixels.

* If it is, :func:`decide_discretization` returns Proved with a concrete
  exact ``g`` in ``details["g"]`` (a :class:`~symequi.deciders.linear.MatrixOperator`):
  ``g = M_delta M^+`` with ``M^+`` the Moore-Penrose pseudo-inverse, i.e.
  ``g`` maps ``D f`` to ``D(f(x - delta))`` on ``range(M)`` and is zero on
  its orthogonal complement (any values there would do).  When that matrix
  is exactly the matrix of a built-in periodic translation (integer, Fourier,
  linear, cubic, Lagrange or finite-volume shift), ``details["g"]`` is that
  translation instead, and ``details["g_is"]`` says so ("g =
  FourierShift(s=1/2, ...): ... equals ... exactly"), so a verdict shows a
  name, not a page of radicals.  Otherwise, when entries are irrational,
  ``details["g"]`` is a :class:`ConstructedTranslation`: the same matrix with
  each entry in exact simplified form (a rational polynomial in ``zeta_M``, or
  a minimal polynomial with an isolating interval; see
  :mod:`symequi.arith.exact_forms`), and ``details["g_entries"]`` says how to
  read them.
* If not, it returns a Counterexample with a witness pair ``f1, f2``:
  ``D f1 == D f2`` (the ``input``) but ``D(f1(x - delta)) != D(f2(x - delta))``
  (``lhs`` and ``rhs``), exactly.

``delta`` may be symbolic in one parameter with stated assumptions (e.g.
``delta = s*dx`` with ``0 < s < 1``): the witness is then a function of the
parameter, and the verdict states, via ``sympy.solveset``, the exact
exceptional set where it vanishes.

Example
-------
>>> import sympy
>>> from symequi.functions.grid import Grid
>>> from symequi.functions.discretize import CellAverage
>>> from symequi.functions.function_classes import PiecewiseConstant
>>> grid = Grid(-1, 1, 4)
>>> V = PiecewiseConstant(['-1/2', '-1/4', 0, '1/2'], (-1, 1))   # a break inside cell 1
>>> v = decide_discretization(CellAverage(grid), grid.dx / 2, V)
>>> v.kind, v.input, v.lhs, v.rhs
('counterexample', Signal([0, 1/2, 0, 0]), Signal([0, 0, 1/2, 0]), Signal([0, 1/2, 0, 0]))
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sympy

from ..core.assumptions import Assumptions
from ..core.budget import time_budget
from ..functions.continuous import TRANSLATE_CONVENTION, translate, x
from ..core.texescape import Phrase, escape_latex
from ..core.errors import (BudgetExceededError, IntegrationError, InvalidArgumentError, NotClosedError,
                           SymequiError)
from ..core.exact import to_exact
from ..functions.function_classes import FunctionClass
from ..arith.exact_forms import ZETA_NOTE, ExactForm, exact_form
from ..arith.linalg import UndecidedZeroError, exact_nullspace, exact_rref, trusted_domain_matrix
from .linear import MatrixOperator
from ..core.operator import Operator
from ..core.signal import Signal
from ..core.square import paths_differ
from ..core.verdict import Counterexample, Proved, Undecided, Verdict
from ..core.zero import branch_at, breakpoints_of, certified_nonzero, UnsupportedExpression, zero_test
from ..core.texts import brief, brief_latex

__all__ = ["ConstructedTranslation", "DiscretizationProblem", "decide_discretization"]

_CONSTRUCTION = Phrase(
    "g = M_delta M^+ (M^+ the Moore-Penrose pseudo-inverse of M, the matrix of D on the class): "
    "on range(M) it maps D f to D(f(x - delta)); on the orthogonal complement of range(M) it is "
    "zero (a choice: any values there also commute with D on this class)",
    r"$g = M_\delta M^+$ ($M^+$ the Moore--Penrose pseudo-inverse of $M$, the matrix of $D$ on the class): "
    r"on $\operatorname{range}(M)$ it maps $D f$ to $D(f(x - \delta))$; on the orthogonal complement of "
    r"$\operatorname{range}(M)$ it is zero (a choice: any values there also commute with $D$ on this class)"
)


@dataclass(frozen=True)
class DiscretizationProblem:
    """Does some discrete ``g`` satisfy ``D(f(x - delta)) = g(D f)`` for all ``f`` in a class?

    Pass it to :func:`symequi.deciders.decide` (or call :meth:`decide`).

    >>> from symequi.functions.grid import Grid
    >>> from symequi.functions.discretize import CellAverage
    >>> from symequi.functions.function_classes import Polynomials
    >>> DiscretizationProblem(CellAverage(Grid(0, 1, 3)), '1/5', Polynomials(2)).decide().kind
    'proved'
    """

    discretization: Any
    delta: Any
    function_class: FunctionClass
    assume: Any = None

    def decide(self, *, budget: float | None = None) -> Verdict:
        """Run :func:`decide_discretization` on this problem."""
        return decide_discretization(self.discretization, self.delta, self.function_class,
                                     assume=self.assume, budget=budget)


# --------------------------------------------------------------------------------------
# the parameter and its range
# --------------------------------------------------------------------------------------
def _symbol_range(sym: sympy.Symbol) -> sympy.Set:
    if sym.is_positive:
        return sympy.Interval.open(0, sympy.oo)
    if sym.is_nonnegative:
        return sympy.Interval(0, sympy.oo)
    if sym.is_negative:
        return sympy.Interval.open(-sympy.oo, 0)
    if sym.is_nonpositive:
        return sympy.Interval(-sympy.oo, 0)
    return sympy.S.Reals


def _parameter_range(sym: sympy.Symbol, assume: Any) -> sympy.Set:
    base = _symbol_range(sym)
    if assume is None:
        return base
    if isinstance(assume, Assumptions):
        stated = assume.interval_of(sym)
        return base.intersect(sympy.Interval(stated.lo, stated.hi, stated.left_open, stated.right_open))
    if isinstance(assume, Mapping):
        unknown = [k for k in assume if k != sym]
        if unknown:
            raise InvalidArgumentError(
                f"assume names {brief(unknown, str)}, but delta's only parameter is {brief(sym, str)}"
            )
        if sym not in assume:
            return base
        value = assume[sym]
        if isinstance(value, tuple) and len(value) == 2:
            lo, hi = (to_exact(v, f"assume[{brief(sym, str)}][{i}]") for i, v in enumerate(value))
            value = sympy.Interval.open(lo, hi)
        if not isinstance(value, sympy.Set):
            raise InvalidArgumentError(
                f"assume[{brief(sym, str)}]={brief(value)} must be a sympy Set such as sympy.Interval.open(0, 1) "
                "or a pair (lo, hi) meaning the open interval"
            )
        return base.intersect(value)
    if isinstance(assume, (sympy.logic.boolalg.Boolean, sympy.core.relational.Relational)):
        extra = assume.free_symbols - {sym}
        if extra:
            raise InvalidArgumentError(f"assume={brief(assume, str)} mentions {brief(sorted(brief(item, str) for item in extra), str)}, not only {brief(sym, str)}")
        try:
            return base.intersect(assume.as_set())
        except (NotImplementedError, TypeError) as err:
            raise InvalidArgumentError(f"assume={brief(assume, str)} could not be turned into a set of values of {brief(sym, str)}") from err
    raise InvalidArgumentError(
        f"assume={brief(assume)} must be a dict {{symbol: interval}} or a condition such as (0 < s) & (s < 1)"
    )


# --------------------------------------------------------------------------------------
# exceptional sets
# --------------------------------------------------------------------------------------
def _probe_points(interval: sympy.Set) -> list[sympy.Expr]:
    """A few rational points inside ``interval`` (an Interval or a union of them)."""
    parts = interval.args if isinstance(interval, sympy.Union) else (interval,)
    found: list[sympy.Expr] = []
    for part in parts:
        if isinstance(part, sympy.FiniteSet):
            found += [p for p in part.args if p.is_Rational]
            continue
        if not isinstance(part, sympy.Interval):
            continue
        lo, hi = part.start, part.end
        if lo.is_finite and hi.is_finite:
            lo, hi = (v if v.is_Rational else sympy.nsimplify(v, rational=True) for v in (lo, hi))
            candidates = [lo + (hi - lo) * sympy.Rational(k, 8) for k in (4, 2, 6, 1, 3, 5, 7)]
        elif lo.is_finite:
            candidates = [sympy.floor(lo) + k for k in (1, 2, 3)]
        elif hi.is_finite:
            candidates = [sympy.ceiling(hi) - k for k in (1, 2, 3)]
        else:
            candidates = [sympy.Integer(k) for k in (0, 1, -1, 2)]
        found += [p for p in candidates if part.contains(p) == sympy.true]
    return found


def _certified_point(column: list[sympy.Expr], sym: sympy.Symbol,
                     candidates: list[sympy.Expr]) -> sympy.Expr | None:
    """A value of ``sym`` among ``candidates`` where some entry of ``column`` is proved nonzero."""
    for point in candidates:
        if any(zero_test(v.subs(sym, point))[0] is False for v in column):
            return point
    return None


def _solve(expr: sympy.Expr, sym: sympy.Symbol, domain: sympy.Set) -> sympy.Set:
    """``{s in domain : expr(s) = 0}`` for an expression without pieces.

    All of ``domain`` only when the exact zero test proves ``expr`` identically
    zero; solveset claiming more than that gives a ConditionSet (undetermined).
    """
    if zero_test(expr)[0] is True:
        return domain
    found = sympy.solveset(expr, sym, domain)
    if domain.is_subset(found) is True:
        return sympy.ConditionSet(sym, sympy.Eq(expr, 0), domain)
    return found


def _zero_set(expr: sympy.Expr, sym: sympy.Symbol, interval: sympy.Set) -> sympy.Set:
    """``{s in interval : expr(s) = 0}`` exactly (solveset on each smooth piece)."""
    expr = sympy.expand(expr)
    if expr.has(sympy.Min, sympy.Max, sympy.Abs, sympy.Heaviside, sympy.Piecewise):
        expr = sympy.piecewise_fold(expr.rewrite(sympy.Piecewise))
    if not expr.has(sympy.Piecewise):
        return _solve(expr, sym, interval)
    points = breakpoints_of(expr, sym)
    if points is None:
        return sympy.ConditionSet(sym, sympy.Eq(expr, 0), interval)
    inside = [p for p in points if interval.contains(p) == sympy.true]
    result: sympy.Set = sympy.S.EmptySet
    for p in inside:
        if zero_test(expr.subs(sym, p))[0] is True:
            result = result.union(sympy.FiniteSet(p))
    edges = [-sympy.oo, *points, sympy.oo]
    for lo, hi in zip(edges, edges[1:]):
        piece = sympy.Interval.open(lo, hi).intersect(interval)
        if piece.is_empty:
            continue
        probe = next(iter(_probe_points(piece)), None)
        if probe is None:
            continue
        branch = branch_at(expr, sym, probe)
        result = result.union(_solve(branch, sym, piece))
    return result


def _column_zero_set(column: list[sympy.Expr], sym: sympy.Symbol, interval: sympy.Set) -> sympy.Set:
    result: sympy.Set = interval
    for entry in column:
        result = result.intersect(_zero_set(entry, sym, interval))
        if result.is_empty:
            break
    return result


# --------------------------------------------------------------------------------------
# the decider
# --------------------------------------------------------------------------------------
def _describe(D: Any) -> str:
    describe = getattr(D, "describe", None)
    return describe() if callable(describe) else repr(D)


def _conventions(D: Any, function_class: FunctionClass) -> tuple[str, ...]:
    own = getattr(D, "conventions", None)
    found = tuple(own()) if callable(own) else ()
    return found + (
        TRANSLATE_CONVENTION,
        Phrase(f"function class: {function_class.description}", f"function class: {function_class.description_latex}"),
    )


def _set_text(value: sympy.Set) -> str:
    """A set of reals in plain text: ``[0, 1/4) u (1/4, 3/4)``, ``{1/4}`` (not sympy's repr).

    >>> _set_text(sympy.Union(sympy.Interval.Ropen(0, 1), sympy.FiniteSet(2)))
    '[0, 1) u {2}'
    """
    if isinstance(value, sympy.Union):
        return " u ".join(_set_text(part) for part in value.args)
    if isinstance(value, sympy.Interval):
        return (("(" if value.left_open else "[") + f"{value.start}, {value.end}"
                + (")" if value.right_open else "]"))
    if isinstance(value, sympy.FiniteSet):
        return "{" + ", ".join(map(str, value.args)) + "}"
    return str(value)


def _discretize(D: Any, f: sympy.Expr, what: str) -> Signal:
    signal = D(f)
    if not isinstance(signal, Signal):
        raise InvalidArgumentError(
            f"D({brief(what, str)}) returned {type(signal).__name__}; a discretization must return a symequi.Signal"
        )
    return signal


def _matrix(signals: list[Signal]) -> sympy.Matrix:
    return sympy.Matrix.hstack(*(sympy.Matrix(sig.flat_exprs()) for sig in signals))


def _column(matrix: sympy.Matrix, vec: sympy.Matrix) -> list[sympy.Expr]:
    return [sympy.expand(v) for v in matrix * vec]


def _witness_pair(function_class: FunctionClass, kernel_vector: sympy.Matrix) -> tuple[sympy.Matrix, sympy.Matrix]:
    """Coordinates of ``f1, f2`` with ``f1 - f2`` the kernel vector (positive and negative parts when rational)."""
    zero = sympy.Integer(0)
    if all(v.is_Rational for v in kernel_vector):
        plus = sympy.Matrix([v if v > 0 else zero for v in kernel_vector])
        minus = sympy.Matrix([-v if v < 0 else zero for v in kernel_vector])
        return plus, minus
    return kernel_vector, sympy.zeros(len(kernel_vector), 1)


def _construct_g(M: sympy.Matrix, M_delta: sympy.Matrix) -> sympy.Matrix:
    """``M_delta M^+``: ``M_delta[:, P] (C^T C)^{-1} C^T`` with ``C = M[:, P]`` independent columns."""

    rows, _ = M.shape
    _, col_pivots = exact_rref(M.tolist())
    if not col_pivots:
        return sympy.zeros(rows, rows)
    C = M[:, list(col_pivots)]
    gram = C.T * C
    dm = trusted_domain_matrix(gram.tolist(), gram.shape[1])
    gram_inv = dm.inv().to_Matrix() if dm is not None else gram.inv()
    left = (gram_inv * C.T).applyfunc(sympy.expand)
    return (M_delta[:, list(col_pivots)] * left).applyfunc(sympy.expand)


def _fourier_note(D: Any, shift: sympy.Expr, function_class: FunctionClass, M: sympy.Matrix,
                  M_delta: sympy.Matrix, G: sympy.Matrix) -> str | None:
    """For point samples of trig polynomials over one period: compare g with the
    project's band-limited (Fourier) shift by ``delta/dx`` cells, exactly."""
    from ..functions.function_classes import TrigPolynomials

    grid: Any = getattr(D, "grid", None)  # None fails the ndim test below
    if (not isinstance(function_class, TrigPolynomials) or type(D).__name__ != "PointSample"
            or getattr(grid, "ndim", None) != 1 or shift.free_symbols or grid.is_symbolic
            or (grid.b - grid.a) != function_class.period):
        return None
    try:
        from ..translations import shift as discrete_shift

        cells = shift / grid.dx
        n = grid.size
        F = discrete_shift(cells, method="fourier").matrix(n).to_Matrix()
        on_class = trusted_domain_matrix((F * M - M_delta).tolist(), M.shape[1])
        if on_class is None or not on_class.is_zero_matrix:
            return None
        text = (f"g agrees with the band-limited shift symequi.translations.shift({cells}, method='fourier') "
                "on the samples of this class")
        latex = (rf"$g$ agrees with the band-limited shift \texttt{{symequi.translations.shift}} by "
                 rf"${brief_latex(cells)}$ cells (Fourier) on the samples of this class")
        whole = trusted_domain_matrix((F - G).tolist(), n)
        if whole is not None and whole.is_zero_matrix:
            ending = ", and equals it as a matrix"
            return Phrase(text + ending, latex + ending)
        ending = " (they differ only on the orthogonal complement of range(M), e.g. the Nyquist mode)"
        return Phrase(text + ending, latex + r" (they differ only on the orthogonal complement of "
                      r"$\operatorname{range}(M)$, e.g.\ the Nyquist mode)")
    except (ImportError, SymequiError):
        return None


#: Built-in discrete translations a constructed g is compared with: (method, options).
_BUILT_INS: tuple[tuple[str, dict[str, int]], ...] = (
    ("integer", {}), ("fourier", {}), ("linear", {}), ("cubic", {}),
    *(("lagrange", {"order": p}) for p in range(1, 5)),
    *(("finite_volume", {"degree": p}) for p in range(0, 4)),
)


def _recognize(G: sympy.Matrix, D: Any, shift: sympy.Expr) -> tuple[Any, str] | None:
    """The built-in periodic discrete translation whose matrix equals ``G`` exactly, with
    the sentence that says so; None when none does (or the comparison is not exact)."""
    grid: Any = getattr(D, "grid", None)
    if getattr(grid, "ndim", None) != 1 or shift.free_symbols or grid.is_symbolic or G.shape[0] != G.shape[1]:
        return None
    from ..translations import shift as discrete_shift

    cells = sympy.nsimplify(shift / grid.dx)
    n = grid.size
    for method, options in _BUILT_INS:
        if method == "integer" and not cells.is_integer:
            continue
        try:
            op = discrete_shift(cells, method=method, **options)  # type: ignore[arg-type]
            F = op.matrix(n).to_Matrix()
        except (SymequiError, NotImplementedError, AttributeError, ValueError):
            continue
        if F.shape != G.shape:
            continue
        # a ball that excludes 0 rules a candidate out at once; only the ones left are compared
        # exactly (building the number field of, e.g., Lanczos taps can take a second)
        if any(certified_nonzero(f - g) for f, g in zip(F, G)):
            continue
        difference = trusted_domain_matrix((F - G).tolist(), n)
        if difference is not None and difference.is_zero_matrix:
            return op, Phrase(f"g = {op!r}: the constructed matrix M_delta M^+ equals this built-in translation's "
                              f"matrix exactly (their difference is the zero matrix over {difference.domain})",
                              f"$g = {op.latex()}$: the constructed matrix $M_\\delta M^+$ equals this built-in "
                              "translation's matrix exactly (their difference is the zero matrix over "
                              r"\texttt{" + escape_latex(str(difference.domain)) + "})")
    return None


class ConstructedTranslation(MatrixOperator):
    """The constructed ``g = M_delta M^+`` with its entries in exact simplified form.

    Each entry is held (and shown) as :func:`~symequi.arith.exact_forms.exact_form` gives it:
    a rational polynomial in ``zeta_M`` when it lies in a cyclotomic field, the root of its
    minimal polynomial in an isolating interval when it is another real algebraic number.
    ``forms`` keeps the :class:`~symequi.arith.exact_forms.ExactForm` of every entry; the
    matrix itself holds their canonical sympy values (equal to the constructed entries).

    >>> from symequi.arith.exact_forms import exact_form
    >>> g = ConstructedTranslation([[exact_form(sympy.sqrt(2)), exact_form(0)]], name="g")
    >>> g
    ConstructedTranslation([[zeta_8 - zeta_8^3, 0]])
    >>> g(Signal([1, 5]))
    Signal([sqrt(2)])
    """

    def __init__(self, forms: list[list[ExactForm]], *, name: str | None = None,
                 output_shape: tuple[int, ...] | None = None) -> None:
        super().__init__([[f.value for f in row] for row in forms], name=name, output_shape=output_shape)
        self.forms: tuple[tuple[ExactForm, ...], ...] = tuple(tuple(row) for row in forms)

    def __repr__(self) -> str:
        rows = ", ".join("[" + ", ".join(f.text for f in row) + "]" for row in self.forms)
        return f"ConstructedTranslation([{brief(rows, str)}])"

    def latex(self) -> str:
        r"""The matrix of the forms in LaTeX.

        >>> from symequi.arith.exact_forms import exact_form
        >>> ConstructedTranslation([[exact_form(sympy.sqrt(2)), exact_form('1/2')]]).latex()
        '\\begin{pmatrix}\\zeta_{8} - \\zeta_{8}^{3} & \\frac{1}{2}\\end{pmatrix}'
        """
        rows = r" \\ ".join(" & ".join(f.latex for f in row) for row in self.forms)
        return r"\begin{pmatrix}" + rows + r"\end{pmatrix}"


def _simplified_g(G: sympy.Matrix, g: MatrixOperator) -> dict[str, Any]:
    """``{"g": ConstructedTranslation, "g_entries": how to read them}`` when some entry of ``G`` has
    a simpler exact form than sympy's radicals; nothing when none has (or the budget ran out)."""
    seen: dict[sympy.Expr, ExactForm] = {}
    try:
        forms = [[seen[G[i, j]] if G[i, j] in seen else seen.setdefault(G[i, j], exact_form(G[i, j]))
                  for j in range(G.cols)] for i in range(G.rows)]
    except BudgetExceededError:
        return {}
    if all(f.kind in ("rational", "expression") for row in forms for f in row):
        return {}
    return {"g": ConstructedTranslation(forms, name=g.name, output_shape=g.output_shape((G.cols,))),
            "g_entries": ZETA_NOTE}


def decide_discretization(D: Any, delta: Any, function_class: FunctionClass, *,
                          assume: Any = None, budget: float | None = None) -> Verdict:
    """Is there a discrete ``g`` with ``D(f(x - delta)) = g(D f)`` for every ``f`` in the class?

    Parameters
    ----------
    D : a linear discretization, called on a sympy function of ``x`` and
        returning a Signal (e.g. ``CellAverage(grid)``, ``PointSample(grid)``).
    delta : the translation (exact; may contain one symbol, e.g. ``s * grid.dx``).
    function_class : a :class:`~symequi.functions.function_classes.FunctionClass`.
    assume : the range of delta's symbol: ``{s: (0, 1)}`` (open interval),
        ``{s: sympy.Interval(...)}``, a condition ``(0 < s) & (s < 1)``, or a
        :class:`~symequi.core.assumptions.Assumptions`.
    budget : seconds for the whole decision (None = the default budget).

    Returns Proved with ``details["g"]`` (a MatrixOperator), a Counterexample
    with ``functions={"f1": ..., "f2": ...}``, or Undecided.

    >>> from symequi.functions.grid import Grid
    >>> from symequi.functions.discretize import CellAverage
    >>> from symequi.functions.function_classes import Polynomials
    >>> v = decide_discretization(CellAverage(Grid(0, 1, 3)), '1/2', Polynomials(1))
    >>> v.kind, v.details["g"](Signal([1, 1, 1]))
    ('proved', Signal([1, 1, 1]))
    """
    if not callable(D) or isinstance(D, Operator):
        raise InvalidArgumentError(
            f"D={brief(D)} must be a discretization, called on a function of x and returning a Signal "
            "(e.g. CellAverage(grid) or PointSample(grid)); layers and translations act on signals"
        )
    if not isinstance(function_class, FunctionClass):
        raise InvalidArgumentError(
            f"function_class={brief(function_class)} must be a symequi function class, e.g. Polynomials(2)"
        )
    shift = to_exact(delta, "delta")
    params = sorted(shift.free_symbols - {x}, key=str)
    if x in shift.free_symbols:
        raise InvalidArgumentError(f"delta={brief(shift, str)} must not depend on x")
    if len(params) > 1:
        raise InvalidArgumentError(
            f"delta={brief(shift, str)} has several symbols {brief(list(brief(item, str) for item in params), str)}; at most one parameter is supported"
        )
    sym = params[0] if params else None
    if sym is None and assume is not None:
        raise InvalidArgumentError("assume was given but delta has no symbol to constrain")
    interval = _parameter_range(sym, assume) if sym is not None else None
    where = f" for every {sym} in {interval}" if sym is not None else ""
    statement = (f"a discrete translation g with D(f(x - {shift})) = g(D f) exists for every f in "
                 f"{function_class.description}, D = {_describe(D)}{where}")
    conventions = _conventions(D, function_class)

    def undecided(reason: str) -> Undecided:
        return Undecided(statement, reason=reason, decider="linear", conventions=conventions)

    try:
        with time_budget(budget, "the discretization square"):
            images = [_discretize(D, b, f"basis[{j}]") for j, b in enumerate(function_class.basis)]
            out_shape = images[0].shape
            M = _matrix(images)
            try:
                T = function_class.translation_matrix(shift)
                M_delta = (M * T).applyfunc(sympy.expand)
                how = Phrase("M_delta = M T (the class is closed under this translation)",
                             r"$M_\delta = M T$ (the class is closed under this translation)")
            except (NotClosedError, InvalidArgumentError):
                # not closed (or closure undecided, or no fit for a dependent basis): discretize directly
                moved = [_discretize(D, translate(b, shift), f"basis[{j}] translated")
                         for j, b in enumerate(function_class.basis)]
                M_delta = _matrix(moved).applyfunc(sympy.expand)
                how = Phrase("M_delta computed by discretizing the translated basis functions "
                             "(the class is not closed under this translation)",
                             r"$M_\delta$ computed by discretizing the translated basis functions "
                             "(the class is not closed under this translation)")
            kernel = exact_nullspace(M.tolist()) if M.shape[1] else []
            details = {"kernel_dimension": len(kernel), "rank": M.shape[1] - len(kernel),
                       Phrase("M_delta", r"$M_\delta$"): how}

            witness = None
            pending: list[str] = []
            for vec in kernel:
                column = _column(M_delta, vec)
                if sym is None:
                    verdicts = [zero_test(v) for v in column]
                    if any(v is False for v, _ in verdicts):
                        witness = (vec, None, None)
                        break
                    pending += [r for v, r in verdicts if v is None]
                    continue
                assert interval is not None  # set together with sym
                exceptional = _column_zero_set(column, sym, interval)
                if not isinstance(exceptional, sympy.ConditionSet) and (
                        exceptional == interval or interval.is_subset(exceptional) is True):
                    continue  # proved: every entry is exactly zero on the whole range
                # A counterexample needs a value of the parameter where the witness is
                # proved nonzero; the exceptional set only guides the choice.
                candidates = [] if isinstance(exceptional, sympy.ConditionSet) else _probe_points(
                    interval - exceptional)
                point = _certified_point(column, sym, candidates + _probe_points(interval))
                if point is None:
                    pending.append(f"no value of {sym} was found where the witness is provably nonzero "
                                   f"(solveset: it vanishes on {exceptional})")
                    continue
                if witness is None or exceptional.is_empty:
                    witness = (vec, exceptional, point)
                if exceptional.is_empty:
                    break
            if witness is not None:
                found = _counterexample(statement, conventions, details, function_class, M, M_delta,
                                        witness, sym, interval, out_shape, shift, D)
                if found is not None:
                    return found
                return undecided(f"the witness found was not reproduced by discretizing it again at "
                                 f"{sym} = {witness[2]}")
            if pending:
                return undecided("a witness candidate could not be decided: " + "; ".join(pending))
            G = _construct_g(M, M_delta)
            g = MatrixOperator(G, name=f"g (discrete translation by {brief(shift, str)} for {brief(function_class.description, str)})",
                               output_shape=out_shape)
            details.update({"g": g, "construction": _CONSTRUCTION})
            named = _recognize(G, D, shift)
            if named is not None:  # show the built-in translation, not a page of radicals
                details.update({"g": named[0], "g_is": named[1]})
            note = _fourier_note(D, shift, function_class, M, M_delta, G)
            if note:
                details["fourier"] = note
            if named is None:
                details.update(_simplified_g(G, g))
            holds_for = f"every f in {function_class.description}{where}"
            return Proved(statement, holds_for=holds_for, decider="linear", conventions=conventions,
                          details=details)
    except BudgetExceededError as err:
        return undecided(str(err))
    except UndecidedZeroError as err:
        return undecided(str(err))
    except IntegrationError as err:  # a cell value that could not be certified (or diverges)
        return undecided(f"a discretized basis function has no certified cell value: {err}")
    except (UnsupportedExpression, NotImplementedError) as err:
        return undecided(f"sympy could not finish an exact step: {err}")


def _counterexample(statement: str, conventions: tuple[str, ...], details: dict, function_class: FunctionClass,
                    M: sympy.Matrix, M_delta: sympy.Matrix, witness: tuple, sym: sympy.Symbol | None,
                    interval: sympy.Set | None, out_shape: tuple[int, ...], shift: sympy.Expr,
                    D: Any) -> Counterexample | None:
    """The Counterexample of a kernel vector; with a parameter, re-run at the certified
    point (both translated functions discretized again there), None if not reproduced."""
    vec, exceptional, point = witness
    u1, u2 = _witness_pair(function_class, vec)
    f1, f2 = function_class.element(list(u1)), function_class.element(list(u2))
    as_signal = lambda col: Signal.from_exprs([sympy.expand(v) for v in col], out_shape)  # noqa: E731
    pixels = as_signal(M * u1)
    lhs, rhs = as_signal(M_delta * u1), as_signal(M_delta * u2)
    functions = {"f1": f1, "f2": f2, "f1 translated": translate(f1, shift), "f2 translated": translate(f2, shift)}
    details = dict(details)
    details["witness"] = Phrase("D f1 == D f2 (the input), but D(f1(x - delta)) != D(f2(x - delta)) "
                                "(lhs, rhs): no g can map the same pixels to two different results",
                                r"$D f_1 = D f_2$ (the input), but $D(f_1(x - \delta)) \neq D(f_2(x - \delta))$ "
                                "(lhs, rhs): no $g$ can map the same pixels to two different results")
    parameters = None
    if sym is not None:
        moved = shift.subs(sym, point)
        left_at = _discretize(D, translate(f1.subs(sym, point), moved), "f1 translated, at the point")
        right_at = _discretize(D, translate(f2.subs(sym, point), moved), "f2 translated, at the point")
        if not paths_differ(left_at, right_at):
            return None
        parameters = {sym: point}
        at = f"${brief_latex(sym)} = {brief_latex(point)}$"
        details["reproduced"] = Phrase(
            f"D(f1(x - delta)) and D(f2(x - delta)) discretized again at {sym} = {point}: "
            f"{left_at} != {right_at}, exactly",
            rf"$D(f_1(x - \delta))$ and $D(f_2(x - \delta))$ discretized again at {at}: "
            rf"${left_at.latex()} \neq {right_at.latex()}$, exactly")
        details["parameter_range"] = interval
        details["exceptional_set"] = exceptional
        if isinstance(exceptional, sympy.ConditionSet):
            details["refutes"] = Phrase(f"{sym} = {point} (proved); where else the witness vanishes "
                                        "is undetermined",
                                        f"{at} (proved); where else the witness vanishes is undetermined")
        else:
            refuted_set = interval - exceptional
            details["refutes"] = Phrase(f"every {sym} in {_set_text(refuted_set)} (the exceptional set is "
                                        f"sympy.solveset's); proved exactly at {sym} = {point}",
                                        f"every ${brief_latex(sym)} \\in {brief_latex(refuted_set)}$ (the exceptional "
                                        r"set is \texttt{sympy.solveset}'s); proved exactly at " + at)
        values = [v.subs(sym, point) for v in (pixels, lhs, rhs)]
        details[Phrase(f"at {sym} = {point}", "at " + at)] = Phrase(
            f"input {values[0]}, lhs {values[1]}, rhs {values[2]}",
            f"input ${values[0].latex()}$, lhs ${values[1].latex()}$, rhs ${values[2].latex()}$")
    return Counterexample(statement, input=pixels, lhs=lhs, rhs=rhs, difference=(lhs - rhs).map(sympy.expand),
                          functions=functions, parameters=parameters, decider="linear",
                          conventions=conventions, details=details)
