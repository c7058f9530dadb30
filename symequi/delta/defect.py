"""The exact output of a layer stack as a piecewise function of the translation delta.

For a layer stack ``A`` (convolution/correlation, bias, ReLU/leaky ReLU/abs,
max/average pooling, polynomial activations, discrete translations; rational
parameters) and a piecewise polynomial ``f`` with rational breakpoints (e.g.
``heaviside(x)``), :func:`defect_in_delta` computes

    ``out(delta) = A(D(f(x - delta)))``,  ``D`` = CellAverage(grid) by default,

exactly, for every ``delta`` in a closed interval ``[lo, hi]``:

* each pixel of ``D(f(. - delta))`` is a piecewise polynomial in ``delta``
  whose breakpoints are where a breakpoint ``b`` of ``f`` crosses a cell edge
  (``delta = edge - b``; for point samples, a sample point)
  (:mod:`symequi.delta.pixels`);
* linear and affine layers keep every entry a polynomial in ``delta`` with
  rational coefficients on each piece;
* ReLU, leaky ReLU and abs split a piece at the exact real roots of their
  argument, max pooling at the roots of the pairwise differences in a window
  (:mod:`symequi.delta.layers`, on the cells of :mod:`symequi.delta.cells`).
  Roots are isolated exactly (python-flint factorisation into irreducibles,
  sympy's real root isolation); irrational roots are written as radicals
  (degree 2) or ``CRootOf`` (higher degree), and ordered exactly
  (:mod:`symequi.arith.real_algebraic`).

The result is a :class:`PiecewiseInDelta`: pieces ``(set of delta, output
Signal with entries polynomial in the symbol delta)``, exact evaluation
:meth:`~PiecewiseInDelta.at`, exact solution sets
:meth:`~PiecewiseInDelta.where` (unions of sympy Intervals and points with the
right open/closed ends) and :meth:`~PiecewiseInDelta.commuting_set`.
:func:`edge_detected_set` and :func:`figure1_layer` (the paper's Figure 1)
live in :mod:`symequi.delta.edge_detection`.

Example
-------
The paper's Figure 1 edge detector (``C_j = 2 b_{j+1} - 2 b_j``, bias -1,
ReLU) on the cell averages of ``H(x - delta)``, ``Grid(-1, 1, 4)``, ``dx = 1/2``:

>>> from symequi.functions.grid import Grid
>>> from symequi.functions.continuous import heaviside, x
>>> from symequi.delta.edge_detection import figure1_layer
>>> layer = figure1_layer()
>>> fam = defect_in_delta(layer, heaviside(x), Grid(-1, 1, 4), delta_interval=(0, 1))
>>> print(fam.render_text())  # doctest: +NORMALIZE_WHITESPACE
out(delta) = Sequential(...) applied to CellAverage(Grid(-1, 1, 4)) of f(x - delta), f = Piecewise((1, x > 0), (0, True)):
  0 <= delta <= 1/4    : [0, 1 - 4*delta, 0, 0]
  1/4 < delta <= 1/2   : [0, 0, 4*delta - 1, 0]
  1/2 < delta < 3/4    : [0, 0, 3 - 4*delta, 0]
  3/4 <= delta <= 1    : [0, 0, 0, 0]
>>> fam.positive_set(1), fam.positive_set(2)
(Interval.Ropen(0, 1/4), Interval.open(1/4, 3/4))
>>> fam.at('1/4')
Signal([0, 0, 0, 0])
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sympy
from flint import fmpq, fmpq_poly

from ..core.budget import time_budget
from ..functions.continuous import as_function, x
from .cells import (
    DeltaCell,
    delta,
    merge_runs,
    polynomial_on_cell,
    run_set,
    runs_to_set,
    split_cells,
    true_runs,
)
from .layers import apply_layer
from .pixels import initial_cells, pixel_functions
from .predicates import SignCondition
from ..functions.discretize import CellAverage, Discretization, PointSample
from ..core.errors import InvalidArgumentError
from ..core.exact import fmpq_to_sympy, sympy_to_fmpq, to_rational
from ..functions.grid import Grid
from ..translations.kernels import poly_expr
from ..core.operator import Operator
from ..functions.piecewise import PiecewisePolynomial, check_heaviside
from ..arith.real_algebraic import RealAlgebraic, compare, value_at
from ..core.signal import Signal
from ..core.types import Boundary
from ..translations import IntegerShift
from ..core.texts import brief, brief_latex

__all__ = ["delta", "DeltaPiece", "PiecewiseInDelta", "defect_in_delta", "commuting_set"]

# ------------------------------------------------------------------------------------------
# reports: the set of a piece as a condition on delta
# ------------------------------------------------------------------------------------------
def _set_condition(s: sympy.Set, name: str = "delta") -> str:
    if isinstance(s, sympy.FiniteSet):
        return f"{name} = {', '.join(str(v) for v in s.args)}"
    left = "<" if s.left_open else "<="
    right = "<" if s.right_open else "<="
    return f"{s.start} {left} {name} {right} {s.end}"


def _set_condition_latex(s: sympy.Set) -> str:
    if isinstance(s, sympy.FiniteSet):
        return r"\delta = " + ", ".join(brief_latex(v) for v in s.args)
    left = "<" if s.left_open else r"\le"
    right = "<" if s.right_open else r"\le"
    return rf"{brief_latex(s.start)} {left} \delta {right} {brief_latex(s.end)}"


# ------------------------------------------------------------------------------------------
# the public result
# ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DeltaPiece:
    """One piece: ``output`` (entries polynomial in :data:`delta`) holds for delta in ``set``."""

    set: sympy.Set
    output: Signal


class PiecewiseInDelta:
    """An exact layer output (or defect) as a piecewise function of ``delta``.

    Built by :func:`defect_in_delta`.  Attributes: ``pieces`` (tuple of
    :class:`DeltaPiece`, in increasing delta, covering ``delta_interval``),
    ``delta_interval`` (sympy Interval), ``layer``, ``f``, ``discretization``,
    ``shape`` (output shape), ``what`` (a one-line description).

    See Also
    --------
    defect_in_delta, edge_detected_set, commuting_set

    Example
    -------
    >>> from symequi.functions.grid import Grid
    >>> from symequi.functions.continuous import heaviside, x
    >>> from symequi.core.operator import Sequential
    >>> fam = defect_in_delta(Sequential(), heaviside(x), Grid(0, 2, 2), delta_interval=(0, 1))
    >>> [(p.set, p.output) for p in fam.pieces]
    [(Interval(0, 1), Signal([1 - delta, 1]))]
    """

    def __init__(self, cells: list[DeltaCell], shape: tuple[int, ...], *, what: str, layer: Operator | None,
                 f: sympy.Expr | None, discretization: Discretization | None, interval: tuple[fmpq, fmpq],
                 g_out: Any = None) -> None:
        self._cells = cells
        self._runs = merge_runs(cells)
        self.shape = tuple(shape)
        self.what = what
        self.layer = layer
        self.f = f
        self.discretization = discretization
        self._interval = interval
        self.delta_interval = sympy.Interval(fmpq_to_sympy(interval[0]), fmpq_to_sympy(interval[1]))
        self.g_out = g_out
        pieces = []
        for run in self._runs:
            opens = [c for c in run if not c.point]
            if opens:
                polys = opens[0].polys
                output = Signal.from_exprs([poly_expr(p, delta) for p in polys], self.shape)
            else:
                c = run[0]
                output = Signal.from_exprs([value_at(p, c.lo) for p in c.polys], self.shape)
            pieces.append(DeltaPiece(run_set(run), output))
        self.pieces: tuple[DeltaPiece, ...] = tuple(pieces)

    # --- evaluation ---------------------------------------------------------------------
    def _locate(self, value: Any) -> DeltaCell:
        r = RealAlgebraic(value, name="delta_value")
        if compare(r, self._cells[0].lo) < 0 or compare(r, self._cells[-1].hi) > 0:
            raise InvalidArgumentError(
                f"delta_value={brief(value)} is outside the computed interval {brief(self.delta_interval, str)}; "
                "recompute with a wider delta_interval"
            )
        for c in self._cells:
            if c.point and compare(r, c.lo) == 0:
                return DeltaCell(r, r, c.polys)
            if not c.point and compare(c.lo, r) < 0 and compare(r, c.hi) < 0:
                return DeltaCell(r, r, c.polys)
        raise AssertionError("the cells cover the interval")  # pragma: no cover

    def at(self, delta_value: Any) -> Signal:
        """The exact output at ``delta = delta_value`` (rational, or an exact real algebraic number).

        >>> from symequi.functions.grid import Grid
        >>> from symequi.functions.continuous import heaviside, x
        >>> from symequi.core.operator import Sequential
        >>> defect_in_delta(Sequential(), heaviside(x), Grid(0, 2, 2), delta_interval=(0, 1)).at('1/3')
        Signal([2/3, 1])
        """
        cell = self._locate(delta_value)
        return Signal.from_exprs([value_at(p, cell.lo) for p in cell.polys], self.shape)

    def where(self, predicate: Callable[[Signal], Any]) -> sympy.Set:
        """The exact set of delta (in the interval) where ``predicate(output)`` holds.

        ``predicate`` receives the output Signal with entries polynomial in
        :data:`delta` and returns a sympy Boolean built from (in)equalities
        between such polynomials (``out[1] > 0``, ``sympy.Eq(out[0], 0)``,
        ``sympy.And/Or/Not``), or a Python/sympy bool.  The answer is a union of
        sympy Intervals (open/closed ends exact) and points.

        >>> from symequi.functions.grid import Grid
        >>> from symequi.functions.continuous import heaviside, x
        >>> from symequi.core.operator import Sequential
        >>> fam = defect_in_delta(Sequential(), heaviside(x), Grid(0, 2, 2), delta_interval=(0, 1))
        >>> fam.where(lambda out: out[0] > sympy.Rational(1, 2))
        Interval.Ropen(0, 1/2)
        """
        if not callable(predicate):
            raise InvalidArgumentError(f"predicate={brief(predicate)} must be a callable taking the output Signal")
        with time_budget(None, "solving the predicate exactly on every piece of delta"):
            return self._where(predicate)

    def _where(self, predicate: Callable[[Signal], Any]) -> sympy.Set:
        cells: list[DeltaCell] = []
        truth: list[bool] = []
        for run in self._runs:
            formula = next((c.polys for c in run if not c.point), run[0].polys)
            signal = Signal.from_exprs([poly_expr(p, delta) for p in formula], self.shape)
            condition = SignCondition(predicate(signal))
            pieces = split_cells([c.with_polys(formula) for c in run], lambda c: condition.polys)
            for c in pieces:
                cells.append(c)
                truth.append(condition.holds_on(c))
        return runs_to_set(true_runs(cells, truth))

    def positive_set(self, index: int | tuple[int, ...]) -> sympy.Set:
        """The exact set of delta where output entry ``index`` is > 0.

        >>> from symequi.functions.grid import Grid
        >>> from symequi.functions.continuous import heaviside, x
        >>> from symequi.delta.edge_detection import figure1_layer
        >>> fam = defect_in_delta(figure1_layer(), heaviside(x), Grid(-1, 1, 4), delta_interval=(0, 1))
        >>> fam.positive_set(1)
        Interval.Ropen(0, 1/4)
        """
        return self.where(lambda out: out[index] > 0)

    # --- commuting squares --------------------------------------------------------------
    def reference_output(self) -> Signal:
        """``out(0)``: the layer applied to ``D(f)`` (computed directly, not from the pieces)."""
        if self.layer is None or self.discretization is None:
            raise InvalidArgumentError("this family has no layer/discretization to compute out(0) from")
        return self.layer(self.discretization(self.f))

    def defect(self, g_out: Callable[[sympy.Expr], Operator] | None = None) -> "PiecewiseInDelta":
        """``out(delta) - g_out(delta)(out(0))`` as a piecewise function of delta.

        ``g_out(delta)`` (called with the symbol :data:`delta`) must be an
        Operator whose output on the rational ``out(0)`` has entries piecewise
        polynomial in delta with rational breakpoints, e.g.
        ``lambda d: shift(d / dx, method="linear", boundary="zeros", interval=(0, 2))``.

        >>> from symequi.functions.grid import Grid
        >>> from symequi.functions.continuous import heaviside, x
        >>> from symequi.core.operator import Sequential
        >>> from symequi.translations import shift
        >>> fam = defect_in_delta(Sequential(), heaviside(x), Grid(0, 2, 2), delta_interval=(0, 1))
        >>> fam.defect(lambda d: shift(d, method="linear", boundary="zeros")).pieces[0].output
        Signal([0, 0])
        """
        g_out = g_out if g_out is not None else self.g_out
        if g_out is None or not callable(g_out):
            raise InvalidArgumentError(
                "g_out must be a callable delta -> Operator (an output translation family); the default "
                "integer shift is defined only at delta = k*dx: use commuting_set() for it"
            )
        op = g_out(delta)
        if not isinstance(op, Operator):
            raise InvalidArgumentError(f"g_out(delta) returned {brief(op)}; it must return a symequi Operator")
        ref = op(self.reference_output())
        if ref.shape != self.shape:
            raise InvalidArgumentError(
                f"g_out(delta) maps out(0) to shape {brief(ref.shape, str)}, but out(delta) has shape {brief(self.shape, str)}"
            )
        pps = []
        for i, e in enumerate(ref.flat_exprs()):
            pp = PiecewisePolynomial.from_expr(e, delta)
            if pp is None:
                raise InvalidArgumentError(
                    f"entry {i} of g_out(delta)(out(0)) is {brief(e, str)}, not piecewise polynomial in delta with rational "
                    "breakpoints; use a polynomial-kernel translation (integer, linear, cubic, lagrange, "
                    "finite_volume) with a symbolic shift"
                )
            pps.append(pp)
        breaks = {b for pp in pps for b in pp.breakpoints}
        cells = split_cells(self._cells, lambda c: [fmpq_poly([-b, 1]) for b in breaks])
        new = []
        for c in cells:
            refs = [polynomial_on_cell(pp, c) for pp in pps]
            new.append(c.with_polys([p - q for p, q in zip(c.polys, refs)]))
        return PiecewiseInDelta(new, self.shape, what=f"defect out(delta) - g_out(delta)(out(0)) of {brief(self.what, str)}",
                                layer=self.layer, f=self.f, discretization=self.discretization,
                                interval=self._interval)

    def commuting_set(self, g_out: Callable[[sympy.Expr], Operator] | None = None, *,
                      boundary: Boundary = "zeros") -> sympy.Set:
        """The exact set of delta where ``out(delta) == g_out(delta)(out(0))``.

        Default ``g_out`` (when neither given here nor to :func:`defect_in_delta`):
        the integer shift by ``k = delta/dx`` cells (``boundary`` ``"zeros"`` or
        ``"periodic"``), defined only where ``delta/dx`` is an integer; the
        answer is then the finite set of ``delta = k dx`` in the interval where
        ``out(k dx)`` equals ``out(0)`` shifted by ``k`` output cells (scaled by
        the output/input length ratio when the layer changes resolution).

        >>> from symequi.functions.grid import Grid
        >>> from symequi.functions.continuous import heaviside, x
        >>> from symequi.delta.edge_detection import figure1_layer
        >>> fam = defect_in_delta(figure1_layer(), heaviside(x), Grid(-1, 1, 4), delta_interval=(0, 1))
        >>> fam.commuting_set()
        {0, 1/2}
        """
        g_out = g_out if g_out is not None else self.g_out
        if g_out is not None:
            return self.defect(g_out).where(lambda out: sympy.And(*[sympy.Eq(e, 0) for e in out.flat_exprs()]))
        if boundary not in ("zeros", "periodic"):
            raise InvalidArgumentError(f"boundary={brief(boundary)} must be 'zeros' or 'periodic'")
        out0 = self.reference_output()  # raises InvalidArgumentError without a layer/discretization
        assert self.discretization is not None
        grid = self.discretization.grid
        assert isinstance(grid, Grid)  # defect_in_delta accepts 1-D grids only
        dx = grid.dx
        n_in, n_out = int(grid.n), self.shape[-1]
        lo, hi = self.delta_interval.start, self.delta_interval.end
        points = []
        for k in range(int(sympy.ceiling(lo / dx)), int(sympy.floor(hi / dx)) + 1):
            steps = sympy.Rational(k * n_out, n_in)
            if not steps.is_Integer:
                continue
            s = (0,) * (len(self.shape) - 1) + (int(steps),) if len(self.shape) > 1 else int(steps)
            if self.at(k * dx) == IntegerShift(s, boundary=boundary)(out0):
                points.append(k * dx)
        return sympy.FiniteSet(*points)

    # --- reports ------------------------------------------------------------------------
    def render_text(self) -> str:
        """The pieces as plain text, one line per piece."""
        conds = [_set_condition(p.set) for p in self.pieces]
        width = max(len(c) for c in conds)
        lines = [f"{self.what}:"]
        for cond, piece in zip(conds, self.pieces):
            body = repr(piece.output)[len("Signal("):-1]
            lines.append(f"  {cond.ljust(width)} : {body}")
        return "\n".join(lines)

    def latex(self) -> str:
        r"""The pieces as a LaTeX ``cases`` environment in :math:`\delta`.

        >>> from symequi.functions.grid import Grid
        >>> from symequi.functions.continuous import heaviside, x
        >>> from symequi.core.operator import Sequential
        >>> print(defect_in_delta(Sequential(), heaviside(x), Grid(0, 2, 2), delta_interval=(0, 1)).latex())
        \mathrm{out}(\delta) = \begin{cases} \left[\begin{matrix}1 - \delta & 1\end{matrix}\right] & 0 \le \delta \le 1 \end{cases}
        """
        rows = [rf"{p.output.latex()} & {_set_condition_latex(p.set)}" for p in self.pieces]
        return r"\mathrm{out}(\delta) = \begin{cases} " + r" \\ ".join(rows) + r" \end{cases}"

    def __repr__(self) -> str:
        return f"PiecewiseInDelta({len(self.pieces)} pieces on {brief(self.delta_interval, str)}, shape={brief(self.shape, str)})"


# ------------------------------------------------------------------------------------------
# entry points
# ------------------------------------------------------------------------------------------
def _check_interval(delta_interval: Any) -> tuple[fmpq, fmpq]:
    if not isinstance(delta_interval, (tuple, list)) or len(delta_interval) != 2:
        raise InvalidArgumentError(
            f"delta_interval={brief(delta_interval)} must be a pair (lo, hi) of rationals, e.g. (0, '1/2')"
        )
    lo = to_rational(delta_interval[0], "delta_interval[0]")
    hi = to_rational(delta_interval[1], "delta_interval[1]")
    if lo > hi:
        raise InvalidArgumentError(f"delta_interval={brief(delta_interval)} is empty: need lo <= hi")
    return sympy_to_fmpq(lo), sympy_to_fmpq(hi)


def _check_setup(layer: Any, f: Any, grid: Any, discretization: Any) -> tuple[Operator, sympy.Expr, PiecewisePolynomial, Discretization]:
    if not isinstance(layer, Operator):
        raise InvalidArgumentError(
            f"layer={brief(layer)} must be a symequi layer or Sequential (use Sequential() for the identity)"
        )
    if discretization is None:
        if not isinstance(grid, Grid):
            raise InvalidArgumentError(f"grid={brief(grid)} must be a 1-D symequi.Grid, e.g. Grid(-1, 1, 4)")
        discretization = CellAverage(grid)
    if not isinstance(discretization, (CellAverage, PointSample)):
        raise InvalidArgumentError(
            f"discretization={brief(discretization)} must be CellAverage, CellIntegral or PointSample"
        )
    dgrid = discretization.grid
    if not isinstance(dgrid, Grid):
        raise InvalidArgumentError("defect_in_delta handles 1-D grids only (delta is a translation along x)")
    if grid is not None and (not isinstance(grid, Grid) or (grid.a, grid.b, grid.n) != (dgrid.a, dgrid.b, dgrid.n)):
        raise InvalidArgumentError(
            f"grid={brief(grid)} differs from the discretization's grid {brief(dgrid)}; pass the same grid (or grid=None)"
        )
    if dgrid.is_symbolic or not (dgrid.a.is_Rational and dgrid.dx.is_Rational):
        raise InvalidArgumentError(f"grid={brief(dgrid)} must have rational endpoints and a concrete cell count")
    expr = as_function(f, "f")
    check_heaviside(expr, "f")
    if expr.free_symbols - {x}:
        raise InvalidArgumentError(f"f={brief(expr, str)} must be a function of x only")
    pp = PiecewisePolynomial.from_expr(expr, x)
    if pp is None:
        raise InvalidArgumentError(
            f"f={brief(expr, str)} is not a piecewise polynomial in x with rational breakpoints (e.g. heaviside(x), "
            "a polynomial, a Piecewise with rational conditions)"
        )
    return layer, expr, pp, discretization


def defect_in_delta(layer: Operator, f: Any, grid: Grid | None, *, delta_interval: Any,
                    discretization: Discretization | None = None,
                    g_out: Callable[[sympy.Expr], Operator] | None = None,
                    budget: float | None = None) -> PiecewiseInDelta:
    """The exact output ``layer(D(f(x - delta)))`` for every delta in ``delta_interval``.

    Parameters
    ----------
    layer : Operator or Sequential with rational parameters: Convolution,
        Correlation, AvgPool, discrete translations (any linear layer with a
        rational matrix), Bias, ReLU, LeakyReLU, Abs, MaxPool, PolynomialActivation.
    f : piecewise polynomial in ``x`` with rational breakpoints (``heaviside(x)``,
        polynomials, ``Piecewise`` with rational conditions); ``H(0) = 0``.
    grid : the 1-D Grid (None when ``discretization`` is given).
    delta_interval : ``(lo, hi)`` rationals, the closed interval of delta
        (in x units, not cells).
    discretization : ``CellAverage(grid)`` (default), ``CellIntegral`` or ``PointSample``.
    g_out : optional output translation family ``delta -> Operator``, the
        default for :meth:`PiecewiseInDelta.commuting_set` and ``defect``.
    budget : seconds for the whole computation (None: the default budget).

    Returns
    -------
    PiecewiseInDelta

    Example
    -------
    >>> from symequi.functions.grid import Grid
    >>> from symequi.functions.continuous import heaviside, x
    >>> from symequi.delta.edge_detection import figure1_layer
    >>> fam = defect_in_delta(figure1_layer(), heaviside(x), Grid(-1, 1, 4), delta_interval=(0, '1/2'))
    >>> [str(p.set) for p in fam.pieces]
    ['Interval(0, 1/4)', 'Interval.Lopen(1/4, 1/2)']
    """
    layer, expr, pp, disc = _check_setup(layer, f, grid, discretization)
    lo, hi = _check_interval(delta_interval)
    if g_out is not None and not callable(g_out):
        raise InvalidArgumentError(f"g_out={brief(g_out)} must be a callable delta -> Operator, or None")
    with time_budget(budget, "computing the layer output as a piecewise function of delta"):
        pixels = pixel_functions(pp, disc)
        cells = initial_cells(pixels, lo, hi)
        cells, shape = apply_layer(layer, cells, disc.shape)
        what = (f"out(delta) = {layer.describe() if len(layer.describe()) < 60 else type(layer).__name__ + '(...)'} "
                f"applied to {disc.describe()} of f(x - delta), f = {expr}")
        return PiecewiseInDelta(cells, shape, what=what, layer=layer, f=expr, discretization=disc,
                                interval=(lo, hi), g_out=g_out)


def commuting_set(layer: Operator, f: Any, grid: Grid | None, *, delta_interval: Any,
                  discretization: Discretization | None = None,
                  g_out: Callable[[sympy.Expr], Operator] | None = None,
                  boundary: Boundary = "zeros", budget: float | None = None) -> sympy.Set:
    """The exact set of delta in ``delta_interval`` where the square commutes:
    ``layer(D(f(x - delta))) == g_out(delta)(layer(D(f)))``.

    Default ``g_out``: the integer shift by ``delta/dx`` cells where that is an
    integer (``boundary`` ``"zeros"`` or ``"periodic"``), undefined elsewhere.
    See :meth:`PiecewiseInDelta.commuting_set`.

    >>> from symequi.functions.grid import Grid
    >>> from symequi.functions.continuous import heaviside, x
    >>> from symequi.delta.edge_detection import figure1_layer
    >>> commuting_set(figure1_layer(), heaviside(x), Grid(-1, 1, 4), delta_interval=(0, 1))
    {0, 1/2}
    """
    family = defect_in_delta(layer, f, grid, delta_interval=delta_interval, discretization=discretization,
                             g_out=g_out, budget=budget)
    return family.commuting_set(boundary=boundary)


