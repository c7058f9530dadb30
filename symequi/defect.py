"""The exact output of a layer stack as a piecewise function of the translation delta.

For a layer stack ``A`` (convolution/correlation, bias, ReLU/leaky ReLU/abs,
max/average pooling, polynomial activations, discrete translations; rational
parameters) and a piecewise polynomial ``f`` with rational breakpoints (e.g.
``heaviside(x)``), :func:`defect_in_delta` computes

    ``out(delta) = A(D(f(x - delta)))``,  ``D`` = CellAverage(grid) by default,

exactly, for every ``delta`` in a closed interval ``[lo, hi]``:

* each pixel of ``D(f(. - delta))`` is a piecewise polynomial in ``delta``
  whose breakpoints are where a breakpoint ``b`` of ``f`` crosses a cell edge
  (``delta = edge - b``; for point samples, a sample point);
* linear and affine layers keep every entry a polynomial in ``delta`` with
  rational coefficients on each piece;
* ReLU, leaky ReLU and abs split a piece at the exact real roots of their
  argument, max pooling at the roots of the pairwise differences in a window.
  Roots are isolated exactly (python-flint factorisation into irreducibles,
  sympy's real root isolation); irrational roots are written as radicals
  (degree 2) or ``CRootOf`` (higher degree), and ordered exactly.

The result is a :class:`PiecewiseInDelta`: pieces ``(set of delta, output
Signal with entries polynomial in the symbol delta)``, exact evaluation
:meth:`~PiecewiseInDelta.at`, exact solution sets
:meth:`~PiecewiseInDelta.where` (unions of sympy Intervals and points with the
right open/closed ends), :meth:`~PiecewiseInDelta.commuting_set` and
:func:`edge_detected_set` for the paper's Figure 1.

Example
-------
The paper's Figure 1 edge detector (``C_j = 2 b_{j+1} - 2 b_j``, bias -1,
ReLU) on the cell averages of ``H(x - delta)``, ``Grid(-1, 1, 4)``, ``dx = 1/2``:

>>> from symequi.grid import Grid
>>> from symequi.continuous import heaviside, x
>>> from symequi.layers import Sequential, Convolution, Bias, ReLU
>>> layer = Sequential(Convolution([2, -2], origin=-1, padding="zeros"), Bias(-1), ReLU())
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

import bisect
import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sympy
from flint import fmpq, fmpq_poly

from .activations import Abs, Bias, LeakyReLU, PolynomialActivation, ReLU
from .budget import time_budget
from .continuous import as_function, heaviside, x
from .convolution import Convolution
from .discretize import CellAverage, CellIntegral, Discretization, PointSample
from .errors import InvalidArgumentError
from .exact import fmpq_to_sympy, sympy_to_fmpq, to_exact, to_rational
from .grid import Grid
from .operators import Operator, Sequential
from .piecewise import PiecewisePolynomial, check_heaviside
from .pooling import MaxPool
from .signal import Signal
from .translations import IntegerShift
from .zero import certify_sign

__all__ = [
    "delta", "DeltaPiece", "PiecewiseInDelta", "EdgeDetection",
    "defect_in_delta", "commuting_set", "edge_detected_set", "figure1_layer",
]

#: The translation parameter: output entries are polynomials in this real symbol.
delta = sympy.Symbol("delta", real=True)

_T = sympy.Symbol("t")
_ZERO = fmpq(0)
_NO_POLY = fmpq_poly()


# ------------------------------------------------------------------------------------------
# exact real algebraic numbers (internal)
# ------------------------------------------------------------------------------------------
def _sgn(q: fmpq) -> int:
    return 1 if q > 0 else (-1 if q < 0 else 0)


def _sympy_poly(p: fmpq_poly) -> sympy.Poly:
    return sympy.Poly([fmpq_to_sympy(c) for c in reversed(p.coeffs())], _T, domain=sympy.QQ)


class _Real:
    """A real algebraic number: a rational ``exact``, or the unique root of the monic
    irreducible ``poly`` (degree >= 2) in the open interval ``(lo, hi)``."""

    __slots__ = ("poly", "lo", "hi", "exact", "_sympoly")

    def __init__(self, *, exact: fmpq | None = None, poly: fmpq_poly | None = None,
                 lo: fmpq | None = None, hi: fmpq | None = None) -> None:
        self.exact = exact
        self.poly = poly
        self.lo = lo
        self.hi = hi
        self._sympoly = None

    @property
    def is_rational(self) -> bool:
        return self.exact is not None

    def lower(self) -> fmpq:
        return self.exact if self.exact is not None else self.lo

    def upper(self) -> fmpq:
        return self.exact if self.exact is not None else self.hi

    def refine(self) -> None:
        """Halve the isolating interval (no-op for rationals)."""
        if self.exact is not None:
            return
        mid = (self.lo + self.hi) / 2
        if _sgn(self.poly(self.lo)) * _sgn(self.poly(mid)) < 0:
            self.hi = mid
        else:
            self.lo = mid

    def sympy_poly(self) -> sympy.Poly:
        if self._sympoly is None:
            self._sympoly = _sympy_poly(self.poly)
        return self._sympoly

    def to_sympy(self) -> sympy.Expr:
        """Rational, radical (degree 2) or ``CRootOf`` (higher degree)."""
        if self.exact is not None:
            return fmpq_to_sympy(self.exact)
        coeffs = self.poly.coeffs()
        if self.poly.degree() == 2:
            c, b = fmpq_to_sympy(coeffs[0]), fmpq_to_sympy(coeffs[1])
            disc = sympy.sqrt(b**2 - 4 * c)
            minus = _compare(self, _Real(exact=sympy_to_fmpq(-b / 2))) < 0
            return sympy.expand((-b - disc) / 2) if minus else sympy.expand((-b + disc) / 2)
        roots = _real_roots_of_irreducible(self.poly)
        index = next(i for i, r in enumerate(roots) if _compare(r, self) == 0)
        return sympy.CRootOf(self.sympy_poly().as_expr(), index)

    def __repr__(self) -> str:
        return f"_Real({self.to_sympy()})"


def _compare(a: _Real, b: _Real) -> int:
    """Exact order of two real algebraic numbers: -1, 0 or +1."""
    if a is b:
        return 0
    if a.exact is not None and b.exact is not None:
        return _sgn(a.exact - b.exact)
    if a.exact is None and b.exact is None and a.poly == b.poly:
        # same irreducible polynomial: equal iff a's isolating interval fits inside b's
        while True:
            if a.hi <= b.lo:
                return -1
            if b.hi <= a.lo:
                return 1
            if (b.lo <= a.lo and a.hi <= b.hi) or (a.lo <= b.lo and b.hi <= a.hi):
                return 0  # an isolating interval contains the other root: the same root
            a.refine()  # b stays: if a == b, a's interval ends up inside b's
    while True:  # distinct numbers (different minimal polynomials): separate the intervals
        if a.upper() < b.lower() or (a.exact is not None and a.exact <= b.lower() and b.exact is None):
            return -1
        if b.upper() < a.lower() or (b.exact is not None and b.exact <= a.lower() and a.exact is None):
            return 1
        if a.exact is None and b.exact is not None and a.hi <= b.exact:
            return -1
        if b.exact is None and a.exact is not None and b.hi <= a.exact:
            return 1
        a.refine()
        b.refine()


_cmp_key = functools.cmp_to_key(_compare)


def _sign_at(p: fmpq_poly, c: _Real) -> int:
    """The exact sign of ``p(c)``."""
    if p.degree() <= 0:
        return _sgn(p[0]) if p.degree() == 0 else 0
    if c.exact is not None:
        return _sgn(p(c.exact))
    r = p % c.poly
    if r.is_zero():
        return 0
    if r.degree() == 0:
        return _sgn(r[0])
    rs = _sympy_poly(r)
    while rs.count_roots(fmpq_to_sympy(c.lo), fmpq_to_sympy(c.hi)) > 0:
        c.refine()
    return _sgn(r(c.lo))


def _rational_between(a: _Real, b: _Real) -> fmpq:
    """A rational strictly between ``a < b``."""
    while True:
        ua, lb = a.upper(), b.lower()
        if ua < lb:
            return (ua + lb) / 2
        a.refine()
        b.refine()


_IRREDUCIBLE_ROOTS: dict[tuple, list[_Real]] = {}


def _real_roots_of_irreducible(q: fmpq_poly) -> list[_Real]:
    """The real roots of a monic irreducible ``q`` of degree >= 2, increasing (cached)."""
    key = tuple(q.coeffs())
    cached = _IRREDUCIBLE_ROOTS.get(key)
    if cached is None:
        intervals = _sympy_poly(q).intervals()
        cached = [
            _Real(poly=q, lo=sympy_to_fmpq(sympy.Rational(a)), hi=sympy_to_fmpq(sympy.Rational(b)))
            for (a, b), _ in intervals
        ]
        _IRREDUCIBLE_ROOTS[key] = cached
    # fresh copies: refinement mutates the intervals
    return [_Real(poly=r.poly, lo=r.lo, hi=r.hi) for r in cached]


def _real_roots(p: fmpq_poly) -> list[_Real]:
    """The distinct real roots of a nonzero polynomial, unsorted."""
    if p.degree() <= 0:
        return []
    _, factors = p.factor()
    roots: list[_Real] = []
    for q, _ in factors:
        q = q / q.leading_coefficient()
        if q.degree() == 1:
            roots.append(_Real(exact=-q[0]))
        else:
            roots.extend(_real_roots_of_irreducible(q))
    return roots


# ------------------------------------------------------------------------------------------
# cells of the delta axis
# ------------------------------------------------------------------------------------------
class _Cell:
    """A point ``{lo}`` (``lo is hi``) or an open interval ``(lo, hi)`` of delta, with the
    output entries as polynomials in delta (at a point: their values at that point)."""

    __slots__ = ("lo", "hi", "polys", "_sample")

    def __init__(self, lo: _Real, hi: _Real, polys: list[fmpq_poly]) -> None:
        self.lo = lo
        self.hi = hi
        self.polys = polys
        self._sample: fmpq | None = None

    @property
    def point(self) -> bool:
        return self.lo is self.hi

    def sample(self) -> fmpq:
        """A rational inside the open cell."""
        if self._sample is None:
            self._sample = _rational_between(self.lo, self.hi)
        return self._sample

    def sign(self, p: fmpq_poly) -> int:
        """The sign of ``p`` on this cell (constant: cells are split at every root)."""
        if p.degree() <= 0:
            return _sgn(p[0]) if p.degree() == 0 else 0
        if self.point:
            return _sign_at(p, self.lo)
        return _sgn(p(self.sample()))

    def with_polys(self, polys: list[fmpq_poly]) -> "_Cell":
        cell = _Cell(self.lo, self.hi, polys)
        cell._sample = self._sample
        return cell


def _split(cells: list[_Cell], critical: Callable[[_Cell], list[fmpq_poly]]) -> list[_Cell]:
    """Split every open cell at the real roots (inside it) of its critical polynomials."""
    out: list[_Cell] = []
    for cell in cells:
        if cell.point:
            out.append(cell)
            continue
        found: list[_Real] = []
        seen: set = set()
        for p in critical(cell):
            if p.degree() <= 0:
                continue
            key = tuple(p.coeffs())
            if key in seen:
                continue
            seen.add(key)
            for r in _real_roots(p):
                if _compare(cell.lo, r) < 0 and _compare(r, cell.hi) < 0:
                    found.append(r)
        if not found:
            out.append(cell)
            continue
        found.sort(key=_cmp_key)
        distinct = [found[0]]
        for r in found[1:]:
            if _compare(distinct[-1], r) != 0:
                distinct.append(r)
        edges = [cell.lo] + distinct + [cell.hi]
        for k, r in enumerate(distinct):
            out.append(_Cell(edges[k], r, cell.polys))
            out.append(_Cell(r, r, cell.polys))
        out.append(_Cell(distinct[-1], cell.hi, cell.polys))
    return out


def _value_at(p: fmpq_poly, c: _Real) -> sympy.Expr:
    """``p(c)`` exactly, as a sympy number (reduced modulo the minimal polynomial)."""
    if c.exact is not None:
        return fmpq_to_sympy(p(c.exact)) if p.degree() >= 0 else sympy.Integer(0)
    r = p % c.poly if p.degree() >= c.poly.degree() else p
    if r.degree() <= 0:
        return fmpq_to_sympy(r[0]) if r.degree() == 0 else sympy.Integer(0)
    value = c.to_sympy()
    return sympy.expand(sum((fmpq_to_sympy(k) * value**i for i, k in enumerate(r.coeffs())), sympy.Integer(0)))


def _poly_expr(p: fmpq_poly) -> sympy.Expr:
    return sympy.Add(*(fmpq_to_sympy(k) * delta**i for i, k in enumerate(p.coeffs()) if k != 0))


# ------------------------------------------------------------------------------------------
# pixels as piecewise polynomials in delta
# ------------------------------------------------------------------------------------------
def _reflect(pp: PiecewisePolynomial, c: fmpq) -> PiecewisePolynomial:
    """``t -> pp(c - t)``."""
    line = fmpq_poly([c, -1])
    breaks = [c - b for b in reversed(pp.breakpoints)]
    pieces = [p(line) for p in reversed(pp.pieces)]
    return PiecewisePolynomial._raw(breaks, pieces, list(reversed(pp.values)))


def _pixel_functions(pp: PiecewisePolynomial, disc: Discretization) -> list[PiecewisePolynomial]:
    grid: Grid = disc.grid  # type: ignore[assignment]
    a, h, n = sympy_to_fmpq(grid.a), sympy_to_fmpq(grid.dx), int(grid.n)
    if isinstance(disc, PointSample):
        theta = sympy_to_fmpq(disc.at)
        return [_reflect(pp, a + (j + theta) * h) for j in range(n)]
    phi = pp.cumulative(a)
    scale = 1 / h if not isinstance(disc, CellIntegral) else fmpq(1)
    ends = [_reflect(phi, a + j * h) for j in range(n + 1)]
    return [(ends[j + 1] - ends[j]) * PiecewisePolynomial.constant(scale) for j in range(n)]


def _initial_cells(pixels: list[PiecewisePolynomial], lo: fmpq, hi: fmpq) -> list[_Cell]:
    breaks = sorted({b for pp in pixels for b in pp.breakpoints if lo < b < hi})
    points = [lo] + breaks + ([hi] if hi != lo else [])
    reals = [_Real(exact=p) for p in points]
    cells: list[_Cell] = []
    for k, (p, r) in enumerate(zip(points, reals)):
        cells.append(_Cell(r, r, [fmpq_poly([pp(p)]) for pp in pixels]))
        if k + 1 < len(points):
            mid = (p + points[k + 1]) / 2
            polys = [pp.pieces[bisect.bisect_left(pp.breakpoints, mid)] for pp in pixels]
            cells.append(_Cell(r, reals[k + 1], polys))
    return cells


# ------------------------------------------------------------------------------------------
# layers on cells
# ------------------------------------------------------------------------------------------
def _unravel(flat: int, shape: tuple[int, ...]) -> tuple[int, ...]:
    idx = []
    for n in reversed(shape):
        idx.append(flat % n)
        flat //= n
    return tuple(reversed(idx))


def _linear_rows(op: Operator, shape: tuple[int, ...]) -> tuple[list[list[tuple[int, fmpq]]], tuple[int, ...]]:
    """The rational matrix of a linear operator as sparse rows, and the output shape."""
    size = math.prod(shape)
    rows: list[list[tuple[int, fmpq]]] | None = None
    out_shape: tuple[int, ...] = ()
    for j in range(size):
        col = op(Signal.unit(shape, _unravel(j, shape)))
        if not col.is_rational:
            raise InvalidArgumentError(
                f"layer {op.describe()} has non-rational coefficients; defect_in_delta needs rational "
                "parameters (pixel values stay polynomials in delta with rational coefficients)"
            )
        if rows is None:
            out_shape = col.shape
            rows = [[] for _ in range(col.size)]
        for i, v in enumerate(col._flat_fmpqs()):
            if v != 0:
                rows[i].append((j, v))
    assert rows is not None
    return rows, out_shape


def _apply_layer(op: Operator, cells: list[_Cell], shape: tuple[int, ...]) -> tuple[list[_Cell], tuple[int, ...]]:
    if isinstance(op, Sequential):
        for inner in op.operators:
            cells, shape = _apply_layer(inner, cells, shape)
        return cells, shape
    if isinstance(op, (ReLU, LeakyReLU, Abs)):
        cells = _split(cells, lambda c: c.polys)
        if isinstance(op, ReLU):
            rule = lambda p, s: p if s > 0 else _NO_POLY  # noqa: E731
        elif isinstance(op, Abs):
            rule = lambda p, s: p if s > 0 else (-p if s < 0 else _NO_POLY)  # noqa: E731
        else:
            slope = sympy_to_fmpq(op.slope)
            rule = lambda p, s: p if s > 0 else (p * slope if s < 0 else _NO_POLY)  # noqa: E731
        return [c.with_polys([rule(p, c.sign(p)) for p in c.polys]) for c in cells], shape
    if isinstance(op, MaxPool):
        windows = op.windows(shape)
        out_shape = op.output_shape(shape)

        def critical(c: _Cell) -> list[fmpq_poly]:
            return [c.polys[i] - c.polys[k] for w in windows for a, i in enumerate(w) for k in w[a + 1:]]

        cells = _split(cells, critical)
        new = []
        for c in cells:
            values = []
            for w in windows:
                best = c.polys[w[0]]
                for i in w[1:]:
                    if c.sign(c.polys[i] - best) > 0:
                        best = c.polys[i]
                values.append(best)
            new.append(c.with_polys(values))
        return new, out_shape
    if isinstance(op, PolynomialActivation) and op._poly is not None:
        outer = op._poly
        return [c.with_polys([outer(p) if p.degree() > 0 else fmpq_poly([outer(p[0])]) for p in c.polys])
                for c in cells], shape
    if isinstance(op, Bias):
        offset = op.offset(shape)
        if not offset.is_rational:
            raise InvalidArgumentError(f"layer {op.describe()} is not rational; defect_in_delta needs rational biases")
        values = offset._flat_fmpqs()
        return [c.with_polys([p + v for p, v in zip(c.polys, values)]) for c in cells], shape
    if op.is_linear:
        rows, out_shape = _linear_rows(op, shape)
        new = []
        for c in cells:
            out = []
            for row in rows:
                total = fmpq_poly()
                for j, v in row:
                    if not c.polys[j].is_zero():
                        total = total + c.polys[j] * v
                out.append(total)
            new.append(c.with_polys(out))
        return new, out_shape
    raise InvalidArgumentError(
        f"layer {op.describe()} is not supported by defect_in_delta; use linear layers (Convolution, "
        "Correlation, AvgPool, translations), Bias, ReLU, LeakyReLU, Abs, MaxPool or PolynomialActivation "
        "with rational parameters"
    )


# ------------------------------------------------------------------------------------------
# merging cells into pieces
# ------------------------------------------------------------------------------------------
def _same_value(point: _Cell, other: _Cell) -> bool:
    return all(_sign_at(q - p, point.lo) == 0 for p, q in zip(point.polys, other.polys))


def _merge(cells: list[_Cell]) -> list[list[_Cell]]:
    """Group consecutive cells on which one polynomial formula gives the output."""
    attach = {}
    for k, c in enumerate(cells):
        if not c.point:
            continue
        left = cells[k - 1] if k > 0 else None
        right = cells[k + 1] if k + 1 < len(cells) else None
        if left is not None and left.polys == c.polys:
            attach[k] = k - 1
        elif right is not None and right.polys == c.polys:
            attach[k] = k + 1
        elif left is not None and _same_value(c, left):
            attach[k] = k - 1
        elif right is not None and _same_value(c, right):
            attach[k] = k + 1
    runs: list[list[int]] = []
    for k, c in enumerate(cells):
        if runs:
            join = False
            if c.point:
                join = attach.get(k) == k - 1
            elif cells[k - 1].point:
                to = attach.get(k - 1)
                join = to == k or (to == k - 2 and cells[k - 2].polys == c.polys)
            if join:
                runs[-1].append(k)
                continue
        runs.append([k])
    return [[cells[i] for i in run] for run in runs]


def _run_set(run: list[_Cell]) -> sympy.Set:
    first, last = run[0], run[-1]
    if first.point and last.point and first is last:
        return sympy.FiniteSet(first.lo.to_sympy())
    return sympy.Interval(first.lo.to_sympy(), last.hi.to_sympy(), not first.point, not last.point)


def _runs_to_set(runs: list[list[_Cell]]) -> sympy.Set:
    sets = [_run_set(r) for r in runs]
    if not sets:
        return sympy.EmptySet
    if len(sets) == 1:
        return sets[0]
    try:  # the sets are disjoint and ordered: sympy's Union only collects the points
        return sympy.Union(*sets)
    except (TypeError, ValueError, NotImplementedError, AttributeError):
        return sympy.Union(*sets, evaluate=False)  # sympy could not compare algebraic endpoints


def _true_runs(cells: list[_Cell], truth: list[bool]) -> list[list[_Cell]]:
    runs: list[list[_Cell]] = []
    previous = False
    for c, t in zip(cells, truth):
        if t:
            if previous:
                runs[-1].append(c)
            else:
                runs.append([c])
        previous = t
    return runs


def _set_condition(s: sympy.Set, name: str = "delta") -> str:
    if isinstance(s, sympy.FiniteSet):
        return f"{name} = {', '.join(str(v) for v in s.args)}"
    left = "<" if s.left_open else "<="
    right = "<" if s.right_open else "<="
    return f"{s.start} {left} {name} {right} {s.end}"


def _set_condition_latex(s: sympy.Set) -> str:
    if isinstance(s, sympy.FiniteSet):
        return r"\delta = " + ", ".join(sympy.latex(v) for v in s.args)
    left = "<" if s.left_open else r"\le"
    right = "<" if s.right_open else r"\le"
    return rf"{sympy.latex(s.start)} {left} \delta {right} {sympy.latex(s.end)}"


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
    >>> from symequi.grid import Grid
    >>> from symequi.continuous import heaviside, x
    >>> from symequi.operators import Sequential
    >>> fam = defect_in_delta(Sequential(), heaviside(x), Grid(0, 2, 2), delta_interval=(0, 1))
    >>> [(p.set, p.output) for p in fam.pieces]
    [(Interval(0, 1), Signal([1 - delta, 1]))]
    """

    def __init__(self, cells: list[_Cell], shape: tuple[int, ...], *, what: str, layer: Operator | None,
                 f: sympy.Expr | None, discretization: Discretization | None, interval: tuple[fmpq, fmpq],
                 g_out: Any = None) -> None:
        self._cells = cells
        self._runs = _merge(cells)
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
                output = Signal._from_exprs([_poly_expr(p) for p in polys], self.shape)
            else:
                c = run[0]
                output = Signal._from_exprs([_value_at(p, c.lo) for p in c.polys], self.shape)
            pieces.append(DeltaPiece(_run_set(run), output))
        self.pieces: tuple[DeltaPiece, ...] = tuple(pieces)

    # --- evaluation ---------------------------------------------------------------------
    def _locate(self, value: Any) -> _Cell:
        r = _as_real(value, "delta_value")
        if _compare(r, self._cells[0].lo) < 0 or _compare(r, self._cells[-1].hi) > 0:
            raise InvalidArgumentError(
                f"delta_value={value!r} is outside the computed interval {self.delta_interval}; "
                "recompute with a wider delta_interval"
            )
        for c in self._cells:
            if c.point and _compare(r, c.lo) == 0:
                return _Cell(r, r, c.polys)
            if not c.point and _compare(c.lo, r) < 0 and _compare(r, c.hi) < 0:
                return _Cell(r, r, c.polys)
        raise AssertionError("the cells cover the interval")  # pragma: no cover

    def at(self, delta_value: Any) -> Signal:
        """The exact output at ``delta = delta_value`` (rational, or an exact real algebraic number).

        >>> from symequi.grid import Grid
        >>> from symequi.continuous import heaviside, x
        >>> from symequi.operators import Sequential
        >>> defect_in_delta(Sequential(), heaviside(x), Grid(0, 2, 2), delta_interval=(0, 1)).at('1/3')
        Signal([2/3, 1])
        """
        cell = self._locate(delta_value)
        return Signal._from_exprs([_value_at(p, cell.lo) for p in cell.polys], self.shape)

    def where(self, predicate: Callable[[Signal], Any]) -> sympy.Set:
        """The exact set of delta (in the interval) where ``predicate(output)`` holds.

        ``predicate`` receives the output Signal with entries polynomial in
        :data:`delta` and returns a sympy Boolean built from (in)equalities
        between such polynomials (``out[1] > 0``, ``sympy.Eq(out[0], 0)``,
        ``sympy.And/Or/Not``), or a Python/sympy bool.  The answer is a union of
        sympy Intervals (open/closed ends exact) and points.

        >>> from symequi.grid import Grid
        >>> from symequi.continuous import heaviside, x
        >>> from symequi.operators import Sequential
        >>> fam = defect_in_delta(Sequential(), heaviside(x), Grid(0, 2, 2), delta_interval=(0, 1))
        >>> fam.where(lambda out: out[0] > sympy.Rational(1, 2))
        Interval.Ropen(0, 1/2)
        """
        if not callable(predicate):
            raise InvalidArgumentError(f"predicate={predicate!r} must be a callable taking the output Signal")
        with time_budget(None, "solving the predicate exactly on every piece of delta"):
            return self._where(predicate)

    def _where(self, predicate: Callable[[Signal], Any]) -> sympy.Set:
        cells: list[_Cell] = []
        truth: list[bool] = []
        for run in self._runs:
            formula = next((c.polys for c in run if not c.point), run[0].polys)
            signal = Signal._from_exprs([_poly_expr(p) for p in formula], self.shape)
            condition = _as_boolean(predicate(signal))
            atoms = _atom_polys(condition)
            pieces = _split([c.with_polys(formula) for c in run], lambda c: [p for _, p in atoms])
            for c in pieces:
                cells.append(c)
                truth.append(_evaluate(condition, atoms, c))
        return _runs_to_set(_true_runs(cells, truth))

    def positive_set(self, index: int | tuple[int, ...]) -> sympy.Set:
        """The exact set of delta where output entry ``index`` is > 0.

        >>> from symequi.grid import Grid
        >>> from symequi.continuous import heaviside, x
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

        >>> from symequi.grid import Grid
        >>> from symequi.continuous import heaviside, x
        >>> from symequi.operators import Sequential
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
            raise InvalidArgumentError(f"g_out(delta) returned {op!r}; it must return a symequi Operator")
        ref = op(self.reference_output())
        if ref.shape != self.shape:
            raise InvalidArgumentError(
                f"g_out(delta) maps out(0) to shape {ref.shape}, but out(delta) has shape {self.shape}"
            )
        pps = []
        for i, e in enumerate(ref._flat_exprs()):
            pp = PiecewisePolynomial.from_expr(e, delta)
            if pp is None:
                raise InvalidArgumentError(
                    f"entry {i} of g_out(delta)(out(0)) is {e}, not piecewise polynomial in delta with rational "
                    "breakpoints; use a polynomial-kernel translation (integer, linear, cubic, lagrange, "
                    "finite_volume) with a symbolic shift"
                )
            pps.append(pp)
        breaks = {b for pp in pps for b in pp.breakpoints}
        cells = _split(self._cells, lambda c: [fmpq_poly([-b, 1]) for b in breaks])
        new = []
        for c in cells:
            refs = [_pp_at_cell(pp, c) for pp in pps]
            new.append(c.with_polys([p - q for p, q in zip(c.polys, refs)]))
        return PiecewiseInDelta(new, self.shape, what=f"defect out(delta) - g_out(delta)(out(0)) of {self.what}",
                                layer=self.layer, f=self.f, discretization=self.discretization,
                                interval=self._interval)

    def commuting_set(self, g_out: Callable[[sympy.Expr], Operator] | None = None, *,
                      boundary: str = "zeros") -> sympy.Set:
        """The exact set of delta where ``out(delta) == g_out(delta)(out(0))``.

        Default ``g_out`` (when neither given here nor to :func:`defect_in_delta`):
        the integer shift by ``k = delta/dx`` cells (``boundary`` ``"zeros"`` or
        ``"periodic"``), defined only where ``delta/dx`` is an integer; the
        answer is then the finite set of ``delta = k dx`` in the interval where
        ``out(k dx)`` equals ``out(0)`` shifted by ``k`` output cells (scaled by
        the output/input length ratio when the layer changes resolution).

        >>> from symequi.grid import Grid
        >>> from symequi.continuous import heaviside, x
        >>> fam = defect_in_delta(figure1_layer(), heaviside(x), Grid(-1, 1, 4), delta_interval=(0, 1))
        >>> fam.commuting_set()
        {0, 1/2}
        """
        g_out = g_out if g_out is not None else self.g_out
        if g_out is not None:
            return self.defect(g_out).where(lambda out: sympy.And(*[sympy.Eq(e, 0) for e in out._flat_exprs()]))
        if boundary not in ("zeros", "periodic"):
            raise InvalidArgumentError(f"boundary={boundary!r} must be 'zeros' or 'periodic'")
        grid = self.discretization.grid
        dx = grid.dx
        out0 = self.reference_output()
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

        >>> from symequi.grid import Grid
        >>> from symequi.continuous import heaviside, x
        >>> from symequi.operators import Sequential
        >>> print(defect_in_delta(Sequential(), heaviside(x), Grid(0, 2, 2), delta_interval=(0, 1)).latex())
        \mathrm{out}(\delta) = \begin{cases} \left[\begin{matrix}1 - \delta & 1\end{matrix}\right] & 0 \le \delta \le 1 \end{cases}
        """
        rows = [rf"{p.output.latex()} & {_set_condition_latex(p.set)}" for p in self.pieces]
        return r"\mathrm{out}(\delta) = \begin{cases} " + r" \\ ".join(rows) + r" \end{cases}"

    def __repr__(self) -> str:
        return f"PiecewiseInDelta({len(self.pieces)} pieces on {self.delta_interval}, shape={self.shape})"


def _pp_at_cell(pp: PiecewisePolynomial, cell: _Cell) -> fmpq_poly:
    """The polynomial giving ``pp`` on a cell (split at pp's breakpoints)."""
    if cell.point and cell.lo.exact is not None:
        return fmpq_poly([pp(cell.lo.exact)])
    where = cell.sample() if not cell.point else None
    if where is not None:
        return pp.pieces[bisect.bisect_left(pp.breakpoints, where)]
    r = cell.lo  # irrational point: never a (rational) breakpoint
    k = sum(1 for b in pp.breakpoints if _compare(_Real(exact=b), r) < 0)
    return pp.pieces[k]


def _as_real(value: Any, name: str) -> _Real:
    expr = to_exact(value, name)
    if expr.is_Rational:
        return _Real(exact=sympy_to_fmpq(expr))
    if expr.free_symbols or expr.is_real is False:
        raise InvalidArgumentError(f"{name}={value!r} must be an exact real number")
    with time_budget(None, f"the minimal polynomial of {name}={expr}"):
        mp = sympy.minimal_polynomial(expr, _T)
    q = fmpq_poly([sympy_to_fmpq(sympy.Rational(c)) for c in reversed(sympy.Poly(mp, _T).all_coeffs())])
    q = q / q.leading_coefficient()
    if q.degree() == 1:
        return _Real(exact=-q[0])
    for r in _real_roots_of_irreducible(q):
        if certify_sign(expr - fmpq_to_sympy(r.lo)) == 1 and certify_sign(expr - fmpq_to_sympy(r.hi)) == -1:
            return r
    raise InvalidArgumentError(f"{name}={value!r}: could not locate this algebraic number exactly")


_RELATIONS = {
    sympy.StrictGreaterThan: lambda s: s > 0,
    sympy.GreaterThan: lambda s: s >= 0,
    sympy.StrictLessThan: lambda s: s < 0,
    sympy.LessThan: lambda s: s <= 0,
    sympy.Equality: lambda s: s == 0,
    sympy.Unequality: lambda s: s != 0,
}


def _as_boolean(value: Any) -> sympy.Basic:
    if isinstance(value, bool):
        return sympy.true if value else sympy.false
    if isinstance(value, (sympy.logic.boolalg.Boolean, sympy.core.relational.Relational)):
        return value
    raise InvalidArgumentError(
        f"predicate returned {value!r}; it must return a bool or a sympy Boolean of (in)equalities in delta"
    )


def _atom_polys(condition: sympy.Basic) -> list[tuple[sympy.Basic, fmpq_poly]]:
    atoms = []
    for rel in condition.atoms(sympy.core.relational.Relational):
        if type(rel) not in _RELATIONS:
            raise InvalidArgumentError(f"predicate uses {rel}, which is not an (in)equality")
        diff = sympy.expand(rel.lhs - rel.rhs)
        if diff.free_symbols - {delta}:
            raise InvalidArgumentError(f"predicate atom {rel} has symbols other than delta")
        try:
            poly = sympy.Poly(diff, delta, domain=sympy.QQ)
        except (sympy.PolynomialError, sympy.polys.polyerrors.CoercionFailed) as err:
            raise InvalidArgumentError(
                f"predicate atom {rel} is not a polynomial (in)equality in delta with rational coefficients"
            ) from err
        coeffs = [sympy_to_fmpq(sympy.Rational(c)) for c in reversed(poly.all_coeffs())]
        atoms.append((rel, fmpq_poly(coeffs)))
    return atoms


def _evaluate(condition: sympy.Basic, atoms: list[tuple[sympy.Basic, fmpq_poly]], cell: _Cell) -> bool:
    if not atoms:
        value = condition
    else:
        value = condition.xreplace({rel: sympy.true if _RELATIONS[type(rel)](cell.sign(p)) else sympy.false
                                    for rel, p in atoms})
    if value is sympy.true or value is True:
        return True
    if value is sympy.false or value is False:
        return False
    raise InvalidArgumentError(f"predicate gave {value}, which does not reduce to True/False")


# ------------------------------------------------------------------------------------------
# entry points
# ------------------------------------------------------------------------------------------
def figure1_layer() -> Sequential:
    """The paper's Figure 1 edge detector: ``C_j = 2 b_{j+1} - 2 b_j`` (convolution, kernel
    ``[2, -2]`` with origin -1, zero padding), bias -1, ReLU.

    >>> figure1_layer()([0, 0, 1, 1])
    Signal([0, 1, 0, 0])
    """
    return Sequential(Convolution([2, -2], origin=-1, padding="zeros"), Bias(-1), ReLU())


def _check_interval(delta_interval: Any) -> tuple[fmpq, fmpq]:
    if not isinstance(delta_interval, (tuple, list)) or len(delta_interval) != 2:
        raise InvalidArgumentError(
            f"delta_interval={delta_interval!r} must be a pair (lo, hi) of rationals, e.g. (0, '1/2')"
        )
    lo = to_rational(delta_interval[0], "delta_interval[0]")
    hi = to_rational(delta_interval[1], "delta_interval[1]")
    if lo > hi:
        raise InvalidArgumentError(f"delta_interval={delta_interval!r} is empty: need lo <= hi")
    return sympy_to_fmpq(lo), sympy_to_fmpq(hi)


def _check_setup(layer: Any, f: Any, grid: Any, discretization: Any) -> tuple[Operator, sympy.Expr, PiecewisePolynomial, Discretization]:
    if not isinstance(layer, Operator):
        raise InvalidArgumentError(
            f"layer={layer!r} must be a symequi layer or Sequential (use Sequential() for the identity)"
        )
    if discretization is None:
        if not isinstance(grid, Grid):
            raise InvalidArgumentError(f"grid={grid!r} must be a 1-D symequi.Grid, e.g. Grid(-1, 1, 4)")
        discretization = CellAverage(grid)
    if not isinstance(discretization, (CellAverage, PointSample)):
        raise InvalidArgumentError(
            f"discretization={discretization!r} must be CellAverage, CellIntegral or PointSample"
        )
    dgrid = discretization.grid
    if not isinstance(dgrid, Grid):
        raise InvalidArgumentError("defect_in_delta handles 1-D grids only (delta is a translation along x)")
    if grid is not None and (not isinstance(grid, Grid) or (grid.a, grid.b, grid.n) != (dgrid.a, dgrid.b, dgrid.n)):
        raise InvalidArgumentError(
            f"grid={grid!r} differs from the discretization's grid {dgrid!r}; pass the same grid (or grid=None)"
        )
    if dgrid.is_symbolic or not (dgrid.a.is_Rational and dgrid.dx.is_Rational):
        raise InvalidArgumentError(f"grid={dgrid!r} must have rational endpoints and a concrete cell count")
    expr = as_function(f, "f")
    check_heaviside(expr, "f")
    if expr.free_symbols - {x}:
        raise InvalidArgumentError(f"f={expr} must be a function of x only")
    pp = PiecewisePolynomial.from_expr(expr, x)
    if pp is None:
        raise InvalidArgumentError(
            f"f={expr} is not a piecewise polynomial in x with rational breakpoints (e.g. heaviside(x), "
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
    >>> from symequi.grid import Grid
    >>> from symequi.continuous import heaviside, x
    >>> fam = defect_in_delta(figure1_layer(), heaviside(x), Grid(-1, 1, 4), delta_interval=(0, '1/2'))
    >>> [str(p.set) for p in fam.pieces]
    ['Interval(0, 1/4)', 'Interval.Lopen(1/4, 1/2)']
    """
    layer, expr, pp, disc = _check_setup(layer, f, grid, discretization)
    lo, hi = _check_interval(delta_interval)
    if g_out is not None and not callable(g_out):
        raise InvalidArgumentError(f"g_out={g_out!r} must be a callable delta -> Operator, or None")
    with time_budget(budget, "computing the layer output as a piecewise function of delta"):
        pixels = _pixel_functions(pp, disc)
        cells = _initial_cells(pixels, lo, hi)
        cells, shape = _apply_layer(layer, cells, disc.shape)
        what = (f"out(delta) = {layer.describe() if len(layer.describe()) < 60 else type(layer).__name__ + '(...)'} "
                f"applied to {disc.describe()} of f(x - delta), f = {expr}")
        return PiecewiseInDelta(cells, shape, what=what, layer=layer, f=expr, discretization=disc,
                                interval=(lo, hi), g_out=g_out)


def commuting_set(layer: Operator, f: Any, grid: Grid | None, *, delta_interval: Any,
                  discretization: Discretization | None = None,
                  g_out: Callable[[sympy.Expr], Operator] | None = None,
                  boundary: str = "zeros", budget: float | None = None) -> sympy.Set:
    """The exact set of delta in ``delta_interval`` where the square commutes:
    ``layer(D(f(x - delta))) == g_out(delta)(layer(D(f)))``.

    Default ``g_out``: the integer shift by ``delta/dx`` cells where that is an
    integer (``boundary`` ``"zeros"`` or ``"periodic"``), undefined elsewhere.
    See :meth:`PiecewiseInDelta.commuting_set`.

    >>> from symequi.grid import Grid
    >>> from symequi.continuous import heaviside, x
    >>> commuting_set(figure1_layer(), heaviside(x), Grid(-1, 1, 4), delta_interval=(0, 1))
    {0, 1/2}
    """
    family = defect_in_delta(layer, f, grid, delta_interval=delta_interval, discretization=discretization,
                             g_out=g_out, budget=budget)
    return family.commuting_set(boundary=boundary)


@dataclass(frozen=True)
class EdgeDetection:
    """Where an edge detector reports an edge, exactly.

    Attributes: ``detected`` (delta where some output entry is > 0),
    ``undetected`` (delta where every entry is <= 0), ``by_index`` (output
    index -> delta where that entry is > 0; every index listed), ``family``
    (the :class:`PiecewiseInDelta`).
    """

    detected: sympy.Set
    undetected: sympy.Set
    by_index: dict
    family: PiecewiseInDelta

    def text(self) -> str:
        """Plain-text report."""
        lines = [self.family.what, f"delta in {self.family.delta_interval}:",
                 f"  edge reported for delta in {self.detected}"]
        for index, where in self.by_index.items():
            if where != sympy.EmptySet:
                lines.append(f"    at output index {index}: delta in {where}")
        lines.append(f"  no edge reported for delta in {self.undetected}")
        return "\n".join(lines)

    def latex(self) -> str:
        """LaTeX report (an align* body)."""
        rows = [rf"\text{{edge reported}}: &\ \delta \in {sympy.latex(self.detected)}"]
        for index, where in self.by_index.items():
            if where != sympy.EmptySet:
                rows.append(rf"\text{{at output index }} {index}: &\ \delta \in {sympy.latex(where)}")
        rows.append(rf"\text{{no edge}}: &\ \delta \in {sympy.latex(self.undetected)}")
        return r" \\ ".join(rows)


def edge_detected_set(layer: Operator | None = None, f: Any = None, grid: Grid | None = None, *,
                      delta_interval: Any = None, discretization: Discretization | None = None,
                      budget: float | None = None) -> EdgeDetection:
    """The exact set of delta for which the detector reports an edge (some output > 0), and where.

    Defaults are the paper's Figure 1: ``layer`` = :func:`figure1_layer`,
    ``f = heaviside(x)``, ``grid = Grid(-1, 1, 4)`` (``dx = 1/2``), cell
    averages, ``delta_interval = (0, 2 dx)``.

    >>> result = edge_detected_set()
    >>> result.detected
    Union(Interval.Ropen(0, 1/4), Interval.open(1/4, 3/4))
    >>> result.undetected
    Union({1/4}, Interval(3/4, 1))
    >>> result.by_index[1], result.by_index[2]
    (Interval.Ropen(0, 1/4), Interval.open(1/4, 3/4))
    """
    layer = figure1_layer() if layer is None else layer
    f = heaviside(x) if f is None else f
    if grid is None and discretization is None:
        grid = Grid(-1, 1, 4)
    if delta_interval is None:
        dx = (grid if grid is not None else discretization.grid).dx
        delta_interval = (0, 2 * dx)
    family = defect_in_delta(layer, f, grid, delta_interval=delta_interval, discretization=discretization,
                             budget=budget)
    size = math.prod(family.shape)
    indices = [_unravel(i, family.shape) if len(family.shape) > 1 else i for i in range(size)]
    by_index = {i: family.positive_set(i) for i in indices}
    detected = family.where(lambda out: sympy.Or(*[e > 0 for e in out._flat_exprs()]))
    undetected = family.where(lambda out: sympy.And(*[e <= 0 for e in out._flat_exprs()]))
    return EdgeDetection(detected, undetected, by_index, family)
