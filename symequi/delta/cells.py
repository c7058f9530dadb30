"""The delta axis cut into cells on which a layer's output is one polynomial formula.

A :class:`DeltaCell` is a point ``{lo}`` or an open interval ``(lo, hi)`` of
the translation :data:`delta` (ends are exact :class:`~symequi.arith.real_algebraic.RealAlgebraic`
numbers) with the output entries as python-flint polynomials in delta.
Cells are split at the exact real roots of critical polynomials
(:func:`split_cells`), so every polynomial that matters has a constant sign on
each open cell; consecutive cells given by one formula are merged back into
runs (:func:`merge_runs`), and runs become exact sympy sets
(:func:`run_set`, :func:`runs_to_set`).

Example
-------
>>> from flint import fmpq_poly
>>> from symequi.arith.real_algebraic import RealAlgebraic
>>> a, b = RealAlgebraic(0), RealAlgebraic(1)
>>> cells = split_cells([DeltaCell(a, a, [fmpq_poly([1])]), DeltaCell(a, b, [fmpq_poly([-1, 4])]),
...                      DeltaCell(b, b, [fmpq_poly([3])])], lambda c: c.polys)
>>> [(c.point, c.lo.to_sympy(), c.hi.to_sympy()) for c in cells]  # split at delta = 1/4
[(True, 0, 0), (False, 0, 1/4), (True, 1/4, 1/4), (False, 1/4, 1), (True, 1, 1)]
>>> [c.sign(c.polys[0]) for c in cells]
[1, -1, 0, 1, 1]
"""

from __future__ import annotations

import bisect
from collections.abc import Callable

import sympy
from flint import fmpq, fmpq_poly

from ..functions.piecewise import PiecewisePolynomial
from ..arith.real_algebraic import RealAlgebraic, compare, rational_between, real_roots, sign_at, sort_distinct

__all__ = ["delta", "DeltaCell", "split_cells", "merge_runs", "run_set", "runs_to_set", "true_runs",
           "polynomial_on_cell"]

#: The translation parameter: output entries are polynomials in this real symbol.
delta = sympy.Symbol("delta", real=True)


class DeltaCell:
    """A point ``{lo}`` (``lo is hi``) or an open interval ``(lo, hi)`` of delta, with the
    output entries ``polys`` as polynomials in delta (at a point: their values at that point).

    >>> from flint import fmpq_poly
    >>> from symequi.arith.real_algebraic import RealAlgebraic
    >>> cell = DeltaCell(RealAlgebraic(0), RealAlgebraic(1), [fmpq_poly([-1, 2])])
    >>> cell.point, cell.sample(), cell.sign(cell.polys[0] * cell.polys[0])
    (False, 1/2, 0)
    """

    __slots__ = ("lo", "hi", "polys", "_sample")

    def __init__(self, lo: RealAlgebraic, hi: RealAlgebraic, polys: list[fmpq_poly]) -> None:
        self.lo = lo
        self.hi = hi
        self.polys = polys
        self._sample: fmpq | None = None

    @property
    def point(self) -> bool:
        """True for a point cell ``{lo}``."""
        return self.lo is self.hi

    def sample(self) -> fmpq:
        """A rational inside the open cell (computed once)."""
        if self._sample is None:
            self._sample = rational_between(self.lo, self.hi)
        return self._sample

    def sign(self, p: fmpq_poly) -> int:
        """The sign of ``p`` on this cell (constant: cells are split at every root)."""
        if self.point or p.degree() <= 0:
            return sign_at(p, self.lo)  # a constant's sign needs no point
        value = p(self.sample())
        return int(value > 0) - int(value < 0)

    def with_polys(self, polys: list[fmpq_poly]) -> "DeltaCell":
        """The same cell (and sample point) with other output polynomials."""
        cell = DeltaCell(self.lo, self.hi, polys)
        cell._sample = self._sample
        return cell


def split_cells(cells: list[DeltaCell], critical: Callable[[DeltaCell], list[fmpq_poly]]) -> list[DeltaCell]:
    """Split every open cell at the real roots (inside it) of its critical polynomials.

    ``critical(cell)`` lists the polynomials whose sign must be constant on
    each resulting open cell; point cells are kept as they are.  See the
    module example.
    """
    out: list[DeltaCell] = []
    for cell in cells:
        if cell.point:
            out.append(cell)
            continue
        found: list[RealAlgebraic] = []
        seen: set = set()
        for p in critical(cell):
            if p.degree() <= 0:
                continue
            key = tuple(p.coeffs())
            if key in seen:
                continue
            seen.add(key)
            for r in real_roots(p):
                if compare(cell.lo, r) < 0 and compare(r, cell.hi) < 0:
                    found.append(r)
        if not found:
            out.append(cell)
            continue
        distinct = sort_distinct(found)
        edges = [cell.lo] + distinct + [cell.hi]
        for k, r in enumerate(distinct):
            out.append(DeltaCell(edges[k], r, cell.polys))
            out.append(DeltaCell(r, r, cell.polys))
        out.append(DeltaCell(distinct[-1], cell.hi, cell.polys))
    return out


# ------------------------------------------------------------------------------------------
# merging cells into runs, and runs into sets
# ------------------------------------------------------------------------------------------
def _same_value(point: DeltaCell, other: DeltaCell) -> bool:
    return all(sign_at(q - p, point.lo) == 0 for p, q in zip(point.polys, other.polys))


def merge_runs(cells: list[DeltaCell]) -> list[list[DeltaCell]]:
    """Group consecutive cells on which one polynomial formula gives the output.

    A point joins the open cell beside it whose formula it shares (or whose
    formula takes its values there), left first.

    >>> from flint import fmpq_poly
    >>> from symequi.arith.real_algebraic import RealAlgebraic
    >>> a, b, c = RealAlgebraic(0), RealAlgebraic(1), RealAlgebraic(2)
    >>> p, q = fmpq_poly([0, 1]), fmpq_poly([2, -1])
    >>> cells = [DeltaCell(a, a, [fmpq_poly([0])]), DeltaCell(a, b, [p]), DeltaCell(b, b, [fmpq_poly([1])]),
    ...          DeltaCell(b, c, [q]), DeltaCell(c, c, [fmpq_poly([5])])]
    >>> [str(run_set(run)) for run in merge_runs(cells)]
    ['Interval(0, 1)', 'Interval.open(1, 2)', '{2}']
    """
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


def run_set(run: list[DeltaCell]) -> sympy.Set:
    """The set of delta a run of consecutive cells covers: a point or an interval with exact ends.

    >>> from symequi.arith.real_algebraic import RealAlgebraic
    >>> a, b = RealAlgebraic(0), RealAlgebraic(sympy.sqrt(2))
    >>> run_set([DeltaCell(a, b, []), DeltaCell(b, b, [])])
    Interval.Lopen(0, sqrt(2))
    """
    first, last = run[0], run[-1]
    if first.point and last.point and first is last:
        return sympy.FiniteSet(first.lo.to_sympy())
    return sympy.Interval(first.lo.to_sympy(), last.hi.to_sympy(), not first.point, not last.point)


def runs_to_set(runs: list[list[DeltaCell]]) -> sympy.Set:
    """The union of the sets of disjoint runs, given in increasing order.

    >>> from symequi.arith.real_algebraic import RealAlgebraic
    >>> a, b = RealAlgebraic(0), RealAlgebraic(1)
    >>> runs_to_set([[DeltaCell(a, a, [])], [DeltaCell(b, b, [])]]), runs_to_set([])
    ({0, 1}, EmptySet)
    """
    sets = [run_set(r) for r in runs]
    if not sets:
        return sympy.EmptySet
    if len(sets) == 1:
        return sets[0]
    try:  # the sets are disjoint and ordered: sympy's Union only collects the points
        return sympy.Union(*sets)
    except (TypeError, ValueError, NotImplementedError, AttributeError):
        return sympy.Union(*sets, evaluate=False)  # sympy could not compare algebraic endpoints


def true_runs(cells: list[DeltaCell], truth: list[bool]) -> list[list[DeltaCell]]:
    """The maximal runs of consecutive cells whose ``truth`` is True.

    >>> from symequi.arith.real_algebraic import RealAlgebraic
    >>> a, b = RealAlgebraic(0), RealAlgebraic(1)
    >>> cells = [DeltaCell(a, a, []), DeltaCell(a, b, []), DeltaCell(b, b, [])]
    >>> [len(run) for run in true_runs(cells, [True, True, False])]
    [2]
    """
    runs: list[list[DeltaCell]] = []
    previous = False
    for c, t in zip(cells, truth):
        if t:
            if previous:
                runs[-1].append(c)
            else:
                runs.append([c])
        previous = t
    return runs


def polynomial_on_cell(pp: PiecewisePolynomial, cell: DeltaCell) -> fmpq_poly:
    """The polynomial giving ``pp`` on a cell (already split at pp's breakpoints).

    >>> from symequi.arith.real_algebraic import RealAlgebraic
    >>> step = PiecewisePolynomial([1], [0, [0, 1]], [7])
    >>> a, b = RealAlgebraic(1), RealAlgebraic(2)
    >>> polynomial_on_cell(step, DeltaCell(a, a, [])), polynomial_on_cell(step, DeltaCell(a, b, []))
    (7, x)
    """
    if cell.point and cell.lo.exact is not None:
        return fmpq_poly([pp(cell.lo.exact)])
    where = cell.sample() if not cell.point else None
    if where is not None:
        return pp.pieces[bisect.bisect_left(pp.breakpoints, where)]
    r = cell.lo  # irrational point: never a (rational) breakpoint
    k = sum(1 for b in pp.breakpoints if compare(RealAlgebraic.rational(b), r) < 0)
    return pp.pieces[k]
