"""The pixels of ``D(f(x - delta))`` as exact piecewise polynomials in delta.

For a piecewise polynomial ``f`` with rational breakpoints and a 1-D
discretization ``D`` (cell averages, cell integrals, point samples), pixel
``j`` is a piecewise polynomial in delta whose breakpoints are where a
breakpoint ``b`` of ``f`` crosses a cell edge (``delta = edge - b``) or, for
point samples, a sample point.  :func:`initial_cells` cuts a delta interval
at those breakpoints into :class:`~symequi.delta.cells.DeltaCell` s.

Example
-------
The cell averages of ``H(x - delta)`` on ``Grid(0, 2, 2)``: pixel 0 is
``1 - delta`` for ``0 <= delta <= 1`` (and 1 before, 0 after):

>>> from symequi.functions.grid import Grid
>>> from symequi.functions.discretize import CellAverage
>>> step = PiecewisePolynomial([0], [0, 1], [0])
>>> pixels = pixel_functions(step, CellAverage(Grid(0, 2, 2)))
>>> pixels[0].breakpoints, [pixels[0](d) for d in (-1, 0, '1/4', 1, 2)]
((0, 1), [1, 1, 3/4, 0, 0])
"""

from __future__ import annotations

import bisect

from flint import fmpq, fmpq_poly

from .cells import DeltaCell
from ..functions.discretize import CellIntegral, Discretization, PointSample
from ..functions.grid import Grid
from ..core.exact import sympy_to_fmpq
from ..functions.piecewise import PiecewisePolynomial
from ..arith.real_algebraic import RealAlgebraic

__all__ = ["pixel_functions", "initial_cells"]


def _reflect(pp: PiecewisePolynomial, c: fmpq) -> PiecewisePolynomial:
    """``t -> pp(c - t)``."""
    line = fmpq_poly([c, -1])
    breaks = [c - b for b in reversed(pp.breakpoints)]
    pieces = [p(line) for p in reversed(pp.pieces)]
    return PiecewisePolynomial._raw(breaks, pieces, list(reversed(pp.values)))


def pixel_functions(pp: PiecewisePolynomial, disc: Discretization) -> list[PiecewisePolynomial]:
    """Pixel ``j`` of ``disc(pp(x - delta))`` as a piecewise polynomial in delta, for every ``j``.

    ``disc`` is a CellAverage, CellIntegral or PointSample on a 1-D Grid with
    rational ends (checked by the caller).  See the module example.
    """
    grid: Grid = disc.grid  # type: ignore[assignment]
    a, h, n = sympy_to_fmpq(grid.a), sympy_to_fmpq(grid.dx), int(grid.n)
    if isinstance(disc, PointSample):
        theta = sympy_to_fmpq(disc.at)
        return [_reflect(pp, a + (j + theta) * h) for j in range(n)]
    phi = pp.cumulative(a)
    scale = 1 / h if not isinstance(disc, CellIntegral) else fmpq(1)
    ends = [_reflect(phi, a + j * h) for j in range(n + 1)]
    return [(ends[j + 1] - ends[j]) * PiecewisePolynomial.constant(scale) for j in range(n)]


def initial_cells(pixels: list[PiecewisePolynomial], lo: fmpq, hi: fmpq) -> list[DeltaCell]:
    """The closed interval ``[lo, hi]`` of delta cut at the pixels' breakpoints, as cells.

    Point cells at ``lo``, every breakpoint inside and ``hi``, with the pixel
    values there; open cells between them, with the pixel polynomials.

    >>> step = PiecewisePolynomial([0], [0, 1], [0])
    >>> cells = initial_cells([step], fmpq(-1), fmpq(1))
    >>> [(c.point, str(c.lo.to_sympy()), c.polys) for c in cells]
    [(True, '-1', [0]), (False, '-1', [0]), (True, '0', [0]), (False, '0', [1]), (True, '1', [1])]
    """
    breaks = sorted({b for pp in pixels for b in pp.breakpoints if lo < b < hi})
    points = [lo] + breaks + ([hi] if hi != lo else [])
    reals = [RealAlgebraic.rational(p) for p in points]
    cells: list[DeltaCell] = []
    for k, (p, r) in enumerate(zip(points, reals)):
        cells.append(DeltaCell(r, r, [fmpq_poly([pp(p)]) for pp in pixels]))
        if k + 1 < len(points):
            mid = (p + points[k + 1]) / 2
            polys = [pp.pieces[bisect.bisect_left(pp.breakpoints, mid)] for pp in pixels]
            cells.append(DeltaCell(r, reals[k + 1], polys))
    return cells
