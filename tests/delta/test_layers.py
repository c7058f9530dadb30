"""Tests for symequi.delta.layers: layers applied to outputs polynomial in delta, cell by cell.

Expectations: hand computations, and an independent algorithm (the layer's own
``__call__`` on the entries evaluated at a rational delta inside each cell).
"""

from __future__ import annotations

import pytest
import sympy
from flint import fmpq, fmpq_poly

from symequi.layers.activations import Abs, Bias, LeakyReLU, Pointwise, PolynomialActivation, ReLU
from symequi.functions.continuous import x
from symequi.layers.convolution import Convolution
from symequi.delta.cells import DeltaCell
from symequi.delta.layers import apply_layer
from symequi.core.errors import InvalidArgumentError
from symequi.core.operator import Sequential
from symequi.layers.pooling import MaxPool
from symequi.arith.real_algebraic import RealAlgebraic
from symequi.core.signal import Signal

R = sympy.Rational
ZERO, ONE = RealAlgebraic(0), RealAlgebraic(1)


def open_cell(*polys: fmpq_poly) -> DeltaCell:
    return DeltaCell(ZERO, ONE, list(polys))


def ends(cells):
    return [(c.lo.to_sympy(), c.hi.to_sympy()) for c in cells]


def test_relu_and_abs_split_at_the_root_by_hand():
    p = fmpq_poly([-1, 3])  # 3d - 1: negative before 1/3
    cells, shape = apply_layer(ReLU(), [open_cell(p)], (1,))
    assert shape == (1,)
    assert ends(cells) == [(0, R(1, 3)), (R(1, 3), R(1, 3)), (R(1, 3), 1)]
    assert [c.polys for c in cells] == [[fmpq_poly()], [fmpq_poly()], [p]]
    cells, _ = apply_layer(Abs(), [open_cell(p)], (1,))
    assert [c.polys for c in cells] == [[-p], [fmpq_poly()], [p]]
    cells, _ = apply_layer(LeakyReLU(R(1, 4)), [open_cell(p)], (1,))
    assert cells[0].polys == [p * fmpq(1, 4)]


def test_relu_at_an_irrational_root():
    p = fmpq_poly([fmpq(-1, 2), 0, 1])  # d^2 - 1/2 on (0, 1): root sqrt(2)/2
    cells, _ = apply_layer(ReLU(), [open_cell(p)], (1,))
    s = sympy.sqrt(2) / 2
    assert ends(cells) == [(0, s), (s, s), (s, 1)]
    assert [c.polys[0] for c in cells] == [fmpq_poly(), fmpq_poly(), p]


def test_maxpool_splits_where_the_maximum_changes_by_hand():
    up, down = fmpq_poly([0, 1]), fmpq_poly([1, -1])  # d and 1 - d cross at 1/2
    cells, shape = apply_layer(MaxPool(2), [open_cell(up, down)], (2,))
    assert shape == (1,)
    assert ends(cells) == [(0, R(1, 2)), (R(1, 2), R(1, 2)), (R(1, 2), 1)]
    assert [c.polys for c in cells] == [[down], [up], [up]]  # at 1/2 both are 1/2


def test_affine_and_polynomial_layers_agree_with_direct_evaluation():
    polys = [fmpq_poly([1, -2]), fmpq_poly([0, 0, 1]), fmpq_poly([fmpq(1, 3)])]
    layer = Sequential(Convolution([1, -2, 1], padding="periodic"), Bias(R(-1, 2)),
                       PolynomialActivation(x**2 - x), Convolution([R(1, 2), 1], padding="zeros"))
    cells, shape = apply_layer(layer, [open_cell(*polys)], (3,))
    assert len(cells) == 1 and shape == (3,)
    for d in (R(0), R(1, 5), R(2, 3), R(1)):
        q = fmpq(int(d.p), int(d.q))
        direct = layer(Signal([R(int(v.p), int(v.q)) for v in (p(q) for p in polys)]))
        assert Signal([R(int(v.p), int(v.q)) for v in (p(q) for p in cells[0].polys)]) == direct


def test_unsupported_and_irrational_layers_are_refused():
    cell = open_cell(fmpq_poly([0, 1]))
    with pytest.raises(InvalidArgumentError, match="not supported"):
        apply_layer(Pointwise(lambda v: v**3 + sympy.sin(v)), [cell], (1,))
    with pytest.raises(InvalidArgumentError, match="rational biases"):
        apply_layer(Bias(sympy.sqrt(2)), [cell], (1,))
    with pytest.raises(InvalidArgumentError, match="non-rational"):
        apply_layer(Convolution([sympy.sqrt(2)], padding="zeros"), [cell], (1,))


def test_adaptive_polyphase_sampling_splits_at_the_tie_by_hand():
    from symequi.layers.polyphase import AdaptivePolyphaseSampling

    # input [2d, 1/2, 0, 1/2]: x0 = (2d, 0) with l1 norm 2d, x1 = (1/2, 1/2) with norm 1; tie at d = 1/2
    two_d, half, zero = fmpq_poly([0, 2]), fmpq_poly([fmpq(1, 2)]), fmpq_poly()
    aps = AdaptivePolyphaseSampling("l1")
    cells, shape = apply_layer(aps, [open_cell(two_d, half, zero, half)], (4,))
    assert shape == (2,)
    assert ends(cells) == [(0, R(1, 2)), (R(1, 2), R(1, 2)), (R(1, 2), 1)]
    assert [c.polys for c in cells] == [[half, half], [two_d, zero], [two_d, zero]]  # the tie keeps x0
    for d, cell in ((R(1, 4), cells[0]), (R(1, 2), cells[1]), (R(3, 4), cells[2])):  # the layer itself
        q = fmpq(int(d.p), int(d.q))
        assert aps(Signal([R(int(v.p), int(v.q)) for v in (p(q) for p in (two_d, half, zero, half))])) == \
            Signal([R(int(v.p), int(v.q)) for v in (p(q) for p in cell.polys)])
