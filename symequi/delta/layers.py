"""A layer stack applied exactly to outputs that are polynomials in delta on cells.

On each :class:`~symequi.delta.cells.DeltaCell` every entry is a polynomial in
delta with rational coefficients.  Layers describe themselves through the
layer protocol (:meth:`symequi.core.operator.Operator.encode`) and
:class:`CellAlgebra` carries out each primitive on cells: linear maps and
offsets keep the cells; a piecewise-linear activation first splits the cells
at the exact real roots of ``p - b`` for each breakpoint ``b``, max pooling at
the roots of the pairwise differences in a window, and then acts by the
(constant) signs on each cell; a rational polynomial activation composes.

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

from collections.abc import Sequence

from flint import fmpq, fmpq_poly

from ..core.encoding import PiecewiseLinearFunction, SparseRows, VectorAlgebra
from ..core.errors import EncodingError, InvalidArgumentError
from ..core.operator import Operator, encode
from .cells import DeltaCell, split_cells

__all__ = ["apply_layer", "CellAlgebra"]

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
            f"{err}. This layer is not supported: defect_in_delta supports layers with rational parameters: "
            "linear layers (Convolution, "
            "Correlation, AvgPool, translations), Bias, ReLU, LeakyReLU, Abs, Clamp, MaxPool or "
            "PolynomialActivation"
        ) from None
