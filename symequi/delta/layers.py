"""A layer stack applied exactly to outputs that are polynomials in delta on cells.

On each :class:`~symequi.delta.cells.DeltaCell` every entry is a polynomial in
delta with rational coefficients.  Linear and affine layers keep it so;
ReLU, leaky ReLU and abs first split the cells at the exact real roots of
their argument, max pooling at the roots of the pairwise differences in a
window, and then act by the (constant) sign on each cell.

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

import math

from flint import fmpq, fmpq_poly

from ..layers.activations import Abs, Bias, LeakyReLU, PolynomialActivation, ReLU
from .cells import DeltaCell, split_cells
from ..core.errors import InvalidArgumentError
from ..core.exact import sympy_to_fmpq
from ..core.operator import Operator, Sequential, unravel_index
from ..layers.pooling import MaxPool
from ..core.signal import Signal

__all__ = ["apply_layer"]

_NO_POLY = fmpq_poly()


def _linear_rows(op: Operator, shape: tuple[int, ...]) -> tuple[list[list[tuple[int, fmpq]]], tuple[int, ...]]:
    """The rational matrix of a linear operator as sparse rows, and the output shape."""
    size = math.prod(shape)
    rows: list[list[tuple[int, fmpq]]] | None = None
    out_shape: tuple[int, ...] = ()
    for j in range(size):
        col = op(Signal.unit(shape, unravel_index(j, shape)))
        if not col.is_rational:
            raise InvalidArgumentError(
                f"layer {op.describe()} has non-rational coefficients; defect_in_delta needs rational "
                "parameters (pixel values stay polynomials in delta with rational coefficients)"
            )
        if rows is None:
            out_shape = col.shape
            rows = [[] for _ in range(col.size)]
        for i, v in enumerate(col.flat_fmpqs()):
            if v != 0:
                rows[i].append((j, v))
    assert rows is not None
    return rows, out_shape


def apply_layer(op: Operator, cells: list[DeltaCell], shape: tuple[int, ...]) -> tuple[list[DeltaCell], tuple[int, ...]]:
    """``op`` applied on every cell (cells split where a nonlinearity needs it); returns the
    new cells and the output shape.

    Supported: Sequential of linear layers with rational matrices, Bias, ReLU,
    LeakyReLU, Abs, MaxPool and PolynomialActivation with rational parameters;
    anything else raises InvalidArgumentError.  See the module example.
    """
    if isinstance(op, Sequential):
        for inner in op.operators:
            cells, shape = apply_layer(inner, cells, shape)
        return cells, shape
    if isinstance(op, (ReLU, LeakyReLU, Abs)):
        cells = split_cells(cells, lambda c: c.polys)
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

        def critical(c: DeltaCell) -> list[fmpq_poly]:
            return [c.polys[i] - c.polys[k] for w in windows for a, i in enumerate(w) for k in w[a + 1:]]

        cells = split_cells(cells, critical)
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
        offsets = offset.flat_fmpqs()
        return [c.with_polys([p + v for p, v in zip(c.polys, offsets)]) for c in cells], shape
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
