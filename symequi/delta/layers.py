"""A layer stack applied exactly to outputs that are polynomials in delta on cells.

On each :class:`~symequi.delta.cells.DeltaCell` every entry is a polynomial in
delta with rational coefficients.  Layers describe themselves through the
layer protocol (:meth:`symequi.core.operator.Operator.encode`) and
:class:`CellAlgebra` carries out each primitive on cells: linear maps and
offsets keep the cells; a piecewise-linear activation first splits the cells
at the exact real roots of ``p - b`` for each breakpoint ``b``, max pooling at
the roots of the pairwise differences in a window, a selection by the
largest key (adaptive polyphase sampling) at those of its keys, and then acts
by the (constant) signs on each cell; a rational polynomial activation composes.

Example
-------
ReLU of ``2 delta - 1`` on ``[0, 1]``: zero up to ``delta = 1/2``, itself after.

>>> from flint import fmpq_poly
>>> from symequi.layers.activations import ReLU
>>> from symequi.arith.real_algebraic import RealAlgebraic
>>> a, b = RealAlgebraic(0), RealAlgebraic(1)
>>> cells, shape = apply_layer(ReLU(), [DeltaCell(a, b, [fmpq_poly([-1, 2])])], (1,))
>>> [(str(c.lo.to_sympy()), str(c.hi.to_sympy()), c.polys) for c in cells]
[('0', '1/2', [0]), ('1/2', '1/2', [0]), ('1/2', '1', [2*x + (-1)])]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from flint import fmpq, fmpq_poly

from ..core.encoding import PiecewiseLinearFunction, SparseRows, VectorAlgebra
from ..core.errors import EncodingError, InvalidArgumentError
from ..core.operator import Operator, encode
from ..arith.real_algebraic import RealAlgebraic, compare, sort_distinct
from .cells import DeltaCell, split_cells
from ..core.texts import brief

__all__ = ["apply_layer", "CellAlgebra", "common_refinement"]

Cells = list[DeltaCell]


class CellAlgebra(VectorAlgebra[Cells]):
    """The primitives of :mod:`symequi.core.encoding` on cells of delta (see the module docstring).

    >>> from flint import fmpq_poly
    >>> from symequi.arith.real_algebraic import RealAlgebraic
    >>> cell = DeltaCell(RealAlgebraic(0), RealAlgebraic(1), [fmpq_poly([0, 1])])
    >>> CellAlgebra().add_constants([cell], [fmpq(-1)])[0].polys
    [x + (-1)]
    """

    name = "defect_in_delta"

    def linear(self, values: Cells, rows: SparseRows, out_size: int) -> Cells:
        new = []
        for c in values:
            out = []
            for row in rows:
                total = fmpq_poly()
                for j, v in row:
                    if not c.polys[j].is_zero():
                        total = total + c.polys[j] * v
                out.append(total)
            new.append(c.with_polys(out))
        return new

    def add_constants(self, values: Cells, constants: Sequence[fmpq]) -> Cells:
        return [c.with_polys([p + v for p, v in zip(c.polys, constants)]) for c in values]

    def entrywise(self, values: Cells, function: PiecewiseLinearFunction) -> Cells:
        points = function.breakpoints
        cells = split_cells(values, lambda c: [p - b for p in c.polys for b in points])

        def value(c: DeltaCell, p: fmpq_poly) -> fmpq_poly:
            index = 0  # the interval (b_k, b_(k+1)] holding p on this cell: count breakpoints below p
            for b in points:
                sign = c.sign(p - b)
                if sign == 0:  # p == b on this cell: the exact constant, in canonical form
                    a, k = function.pieces[index]
                    return fmpq_poly([a * b + k])
                if sign > 0:
                    index += 1
            a, k = function.pieces[index]
            return p * a + k

        return [c.with_polys([value(c, p) for p in c.polys]) for c in cells]

    def polynomial(self, values: Cells, poly: fmpq_poly) -> Cells:
        return [c.with_polys([poly(p) if p.degree() > 0 else fmpq_poly([poly(p[0])]) for p in c.polys])
                for c in values]

    def window_max(self, values: Cells, windows: Sequence[Sequence[int]]) -> Cells:
        def critical(c: DeltaCell) -> list[fmpq_poly]:
            return [c.polys[i] - c.polys[k] for w in windows for a, i in enumerate(w) for k in w[a + 1:]]

        new = []
        for c in split_cells(values, critical):
            out = []
            for w in windows:
                best = c.polys[w[0]]
                for i in w[1:]:
                    if c.sign(c.polys[i] - best) > 0:
                        best = c.polys[i]
                out.append(best)
            new.append(c.with_polys(out))
        return new

    def select_max(self, values: Cells, keys: Sequence[int], options: Sequence[Sequence[int]]) -> Cells:
        def critical(c: DeltaCell) -> list[fmpq_poly]:
            return [c.polys[a] - c.polys[b] for n, a in enumerate(keys) for b in keys[n + 1:]]

        new = []
        for c in split_cells(values, critical):
            best = 0  # a later option wins only with a strictly larger key: ties keep the lowest index
            for k in range(1, len(keys)):
                if c.sign(c.polys[keys[k]] - c.polys[keys[best]]) > 0:
                    best = k
            new.append(c.with_polys([c.polys[i] for i in options[best]]))
        return new

    def add_vectors(self, values_list: Sequence[Cells]) -> Cells:
        def total(parts: list[list[fmpq_poly]]) -> list[fmpq_poly]:
            out = list(parts[0])
            for polys in parts[1:]:
                out = [p + q for p, q in zip(out, polys)]
            return out
        return common_refinement(values_list, total)

    def concat(self, values_list: Sequence[Cells], picks: Sequence[tuple[int, int]]) -> Cells:
        return common_refinement(values_list, lambda parts: [parts[k][j] for k, j in picks])


def common_refinement(branches: Sequence[Cells], combine: Callable[[list[list[fmpq_poly]]], list[fmpq_poly]]) -> Cells:
    """Cells on which every branch is one formula: the branches start from the same cells and
    only split them, so every cell of the union of their ends lies in one cell of each branch;
    ``combine`` makes the new entries from the branches' entries there.

    >>> from symequi.arith.real_algebraic import RealAlgebraic
    >>> a, h, b = RealAlgebraic(0), RealAlgebraic(fmpq(1, 2)), RealAlgebraic(1)
    >>> one = [DeltaCell(a, b, [fmpq_poly([1])])]
    >>> two = [DeltaCell(a, h, [fmpq_poly([2])]), DeltaCell(h, h, [fmpq_poly([3])]), DeltaCell(h, b, [fmpq_poly([4])])]
    >>> [(str(c.lo.to_sympy()), str(c.hi.to_sympy()), c.polys) for c in common_refinement([one, two], lambda p: [p[0][0] + p[1][0]])]
    [('0', '1/2', [3]), ('1/2', '1/2', [4]), ('1/2', '1', [5])]
    """
    if len(branches) == 1 or all(len(b) == len(branches[0]) and all(
            x.lo is y.lo and x.hi is y.hi for x, y in zip(b, branches[0])) for b in branches):
        return [c.with_polys(combine([b[i].polys for b in branches])) for i, c in enumerate(branches[0])]
    ends = sort_distinct([e for b in branches for c in b for e in (c.lo, c.hi)])
    pointers = [0] * len(branches)
    out: Cells = []
    pieces = [(e, e) for e in ends]
    pieces = [p for pair in zip(pieces, [(x, y) for x, y in zip(ends, ends[1:])] + [None]) for p in pair if p]
    for lo, hi in pieces:
        point = lo is hi
        found = []
        for k, branch in enumerate(branches):
            i = pointers[k]
            while i < len(branch) and _before(branch[i], hi, point):
                i += 1
            pointers[k] = i
            found.append(branch[i] if i < len(branch) and _covers(branch[i], lo, hi, point) else None)
        if all(c is None for c in found):
            continue
        if any(c is None for c in found):
            raise EncodingError(
                "the branches of a sum or concatenation are defined on different ranges of delta; "
                "defect_in_delta cannot combine them"
            )
        out.append(DeltaCell(lo, hi, combine([c.polys for c in found if c is not None])))
    return out


def _before(cell: DeltaCell, hi: RealAlgebraic, point: bool) -> bool:
    """``cell`` lies entirely to the left of the piece ending at ``hi``."""
    c = compare(cell.hi, hi)
    return c < 0 or (c == 0 and not cell.point and point)


def _covers(cell: DeltaCell, lo: RealAlgebraic, hi: RealAlgebraic, point: bool) -> bool:
    if cell.point:
        return point and compare(cell.lo, lo) == 0
    return compare(cell.lo, lo) <= 0 and compare(hi, cell.hi) <= 0 and (not point or (
        compare(cell.lo, lo) < 0 and compare(hi, cell.hi) < 0))


def apply_layer(op: Operator, cells: list[DeltaCell], shape: tuple[int, ...]) -> tuple[list[DeltaCell], tuple[int, ...]]:
    """``op`` applied on every cell (cells split where a nonlinearity needs it); returns the
    new cells and the output shape.

    Every layer that describes itself through the layer protocol with rational
    parameters is supported (linear layers with rational matrices, biases,
    piecewise-linear and rational polynomial activations, max pooling, stacks);
    anything else raises InvalidArgumentError naming the layer.  See the module example.
    """
    try:
        return encode(op, CellAlgebra(), cells, shape), tuple(op.output_shape(shape))
    except EncodingError as err:
        raise InvalidArgumentError(
            f"{brief(err, str)}. This layer is not supported: defect_in_delta supports layers with rational parameters: "
            "linear layers (Convolution, "
            "Correlation, AvgPool, translations), Bias, ReLU, LeakyReLU, Abs, Clamp, MaxPool or "
            "PolynomialActivation"
        ) from None
