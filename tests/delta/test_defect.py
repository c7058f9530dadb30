"""Tests for symequi.delta.defect: layer outputs as exact piecewise functions of delta.

The edge-detection sets of Figure 1 are tested in test_edge_detection.py, the exact
real algebraic numbers in test_real_algebraic.py.

Expectations are derived by hand in the comments (the paper's Figure 1), or
computed by a different algorithm (applying the layer to the cell averages of
f(x - delta) at one rational delta at a time).
"""

from __future__ import annotations

from fractions import Fraction

import mpmath
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from symequi.layers.activations import Abs, Bias, LeakyReLU, Pointwise, ReLU
from symequi.functions.continuous import heaviside, translate, x
from symequi.layers.convolution import Convolution, Correlation
from symequi.delta.defect import (
    commuting_set,
    defect_in_delta,
    delta,
)
from symequi.delta.edge_detection import figure1_layer
from symequi.functions.discretize import CellAverage, CellIntegral, PointSample
from symequi.core.errors import InexactInputError, InvalidArgumentError
from symequi.functions.grid import Grid
from symequi.core.operator import Sequential
from symequi.layers.pooling import MaxPool
from symequi.core.signal import Signal
from symequi.translations import shift

R = sympy.Rational
I = sympy.Interval
GRID = Grid(-1, 1, 4)  # dx = 1/2, edges -1, -1/2, 0, 1/2, 1
H = heaviside(x)


# --- the pixels of H(x - delta), by hand ---------------------------------------------------
# cell j = [e_j, e_j + 1/2]; pixel_j = clamp((e_{j+1} - delta)/dx, 0, 1).  For 0 <= delta <= 1:
#   pixel 0 = pixel 1 = 0; pixel 2 = 1 - 2 delta on [0, 1/2], 0 after;
#   pixel 3 = 1 on [0, 1/2], 2 - 2 delta on [1/2, 1].
def test_pixels_of_translated_heaviside_by_hand():
    fam = defect_in_delta(Sequential(), H, GRID, delta_interval=(0, 1))
    assert [p.set for p in fam.pieces] == [I(0, R(1, 2)), I.Lopen(R(1, 2), 1)]
    assert fam.pieces[0].output == Signal([0, 0, 1 - 2 * delta, 1])
    assert fam.pieces[1].output == Signal([0, 0, 0, 2 - 2 * delta])
    assert fam.at(R(1, 4)) == Signal([0, 0, R(1, 2), 1])  # the paper's [0, 0, 0.5, 1]
    assert fam.at(0) == Signal([0, 0, 1, 1])


# --- the Figure 1 edge detector, by hand ----------------------------------------------------
# C_j = 2 b_{j+1} - 2 b_j (zero padding), bias -1, ReLU.
# 0 <= delta <= 1/2:  b = [0, 0, 1 - 2d, 1]  -> C = [0, 2 - 4d, 4d, -2] -> C - 1 = [-1, 1 - 4d, 4d - 1, -3]
#   index 1 > 0 iff d < 1/4; index 2 > 0 iff d > 1/4; nothing at d = 1/4 = dx/2 (the paper's example).
# 1/2 <= delta <= 1:  b = [0, 0, 0, 2 - 2d] -> C = [0, 0, 4 - 4d, 4d - 4] -> C - 1 = [-1, -1, 3 - 4d, 4d - 5]
#   index 2 > 0 iff d < 3/4; index 3 > 0 iff d > 5/4 (never here).
def test_figure1_pieces_by_hand():
    fam = defect_in_delta(figure1_layer(), H, GRID, delta_interval=(0, 1))
    expected = [
        (I(0, R(1, 4)), Signal([0, 1 - 4 * delta, 0, 0])),
        (I.Lopen(R(1, 4), R(1, 2)), Signal([0, 0, 4 * delta - 1, 0])),
        (I.open(R(1, 2), R(3, 4)), Signal([0, 0, 3 - 4 * delta, 0])),
        (I(R(3, 4), 1), Signal([0, 0, 0, 0])),
    ]
    assert [(p.set, p.output) for p in fam.pieces] == expected
    assert fam.at(0) == Signal([0, 1, 0, 0])          # the paper: an edge
    assert fam.at(R(1, 4)) == Signal([0, 0, 0, 0])    # the paper: no edge at H(x - dx/2)
    assert fam.at(R(1, 2)) == Signal([0, 0, 1, 0])    # the integer shift of [0, 1, 0, 0]


def test_commuting_set_default_integer_shift():
    # delta = 0: trivially; delta = dx = 1/2: out = [0, 0, 1, 0] = shift of [0, 1, 0, 0] by 1;
    # delta = 1: out = 0, but the shift by 2 of [0, 1, 0, 0] is [0, 0, 0, 1].
    assert commuting_set(figure1_layer(), H, GRID, delta_interval=(0, 1)) == sympy.FiniteSet(0, R(1, 2))
    assert commuting_set(figure1_layer(), H, GRID, delta_interval=(R(1, 8), R(3, 8))) == sympy.EmptySet


def test_commuting_set_linear_output_family_by_hand():
    # g_out(delta) = linear shift by s = 2 delta cells (zero boundary) of out(0) = [0, 1, 0, 0]:
    #   s <= 1: [0, 1 - 2d, 2d, 0]; s >= 1: [0, 0, 2 - 2d, 2d - 1].
    # Equal to out(delta) only at d = 0 and d = 1/2 (see the pieces above).
    family = lambda d: shift(2 * d, method="linear", boundary="zeros", interval=(0, 2))  # noqa: E731
    fam = defect_in_delta(figure1_layer(), H, GRID, delta_interval=(0, 1), g_out=family)
    assert fam.commuting_set() == sympy.FiniteSet(0, R(1, 2))
    defect = fam.defect()
    # on (1/4, 1/2): out = [0, 0, 4d - 1, 0], reference [0, 1 - 2d, 2d, 0]
    assert defect.at(R(3, 8)) == Signal([0, -R(1, 4), R(-1, 4), 0])


def test_commuting_set_is_an_interval_for_constant_input():
    # f = 1: every pixel is 1 for every delta; a periodic linear shift of a constant is the constant.
    family = lambda d: shift(2 * d, method="linear", boundary="periodic", interval=(0, 2))  # noqa: E731
    assert commuting_set(Sequential(), sympy.Integer(1), GRID, delta_interval=(0, 1), g_out=family) == I(0, 1)


# --- irrational breakpoints, by hand ------------------------------------------------------------
def test_quadratic_root_written_as_radical():
    # f = x H(x) on Grid(0, 2, 2) (dx = 1): pixel 0 = int_delta^1 (x - delta) dx = (1 - delta)^2 / 2,
    # pixel 1 = 3/2 - delta.  Bias -1/4, ReLU: entry 0 > 0 iff (1 - delta)^2 > 1/2 iff delta < 1 - sqrt(2)/2.
    fam = defect_in_delta(Sequential(Bias(R(-1, 4)), ReLU()), x * H, Grid(0, 2, 2), delta_interval=(0, 1))
    root = 1 - sympy.sqrt(2) / 2
    assert fam.positive_set(0) == I.Ropen(0, root)
    assert fam.positive_set(1) == I(0, 1)
    assert fam.where(lambda out: sympy.Eq(out[0], 0)) == I(root, 1)
    assert fam.at(root) == Signal([0, R(1, 4) + sympy.sqrt(2) / 2])
    assert fam.at(R(1, 4)) == Signal([R(1, 32), 1])  # (3/4)^2/2 - 1/4 = 1/32


def test_cubic_root_written_as_crootof():
    # f = x^2 H(x), Grid(0, 2, 2): pixel 0 = (1 - delta)^3 / 3; bias -1/6: > 0 iff delta < 1 - 2^(-1/3).
    fam = defect_in_delta(Sequential(Bias(R(-1, 6)), ReLU()), x**2 * H, Grid(0, 2, 2), delta_interval=(0, 1))
    s = fam.positive_set(0)
    assert isinstance(s, sympy.Interval) and s.start == 0 and not s.left_open and s.right_open
    end = s.end
    assert isinstance(end, sympy.CRootOf)
    t = sympy.Symbol("t")
    assert sympy.Poly(end.expr.subs(end.poly.gen, t), t).monic() == sympy.Poly(2 * (1 - t) ** 3 - 1, t).monic()
    with mpmath.workdps(50):
        assert abs(mpmath.mpf(str(end.evalf(50))) - (1 - mpmath.cbrt(mpmath.mpf(1) / 2))) < mpmath.mpf(10) ** -45


# --- an independent algorithm: apply the layer at one delta at a time -------------------------
STACK = Sequential(
    Convolution([1, -3, 1], origin=-1, padding="periodic"), Bias(R(-1, 7)), ReLU(),
    MaxPool(2, stride=1, padding="periodic"), Correlation([1, R(1, 2)], padding="zeros"), Abs(),
    LeakyReLU(R(1, 3)),
)
F = x**2 * heaviside(x) - heaviside(x - R(1, 3))
G5 = Grid(-1, 1, 5)
FAMILIES = {
    name: (disc, defect_in_delta(STACK, F, None, delta_interval=(-1, R(3, 2)), discretization=disc))
    for name, disc in [("average", CellAverage(G5)), ("integral", CellIntegral(G5)),
                       ("centers", PointSample(G5)), ("left", PointSample(G5, at="left"))]
}


@settings(max_examples=40, deadline=None)
@given(st.fractions(min_value=-1, max_value=Fraction(3, 2), max_denominator=60),
       st.sampled_from(sorted(FAMILIES)))
def test_at_agrees_with_direct_evaluation(d, name):
    disc, fam = FAMILIES[name]
    value = R(d.numerator, d.denominator)
    assert fam.at(value) == STACK(disc(translate(F, value)))


def test_at_agrees_on_every_rational_piece_end():
    for disc, fam in FAMILIES.values():
        for piece in fam.pieces:
            ends = piece.set.args if isinstance(piece.set, sympy.FiniteSet) else (piece.set.start, piece.set.end)
            for v in ends:
                if v.is_Rational:
                    assert fam.at(v) == STACK(disc(translate(F, v)))


# --- reports and validation ------------------------------------------------------------------------
def test_render_text_and_latex():
    fam = defect_in_delta(figure1_layer(), H, GRID, delta_interval=(0, 1))
    text = fam.render_text()
    assert "1/4 < delta <= 1/2" in text and "3/4 <= delta <= 1" in text
    tex = fam.latex()
    assert tex.startswith(r"\mathrm{out}(\delta) = \begin{cases}") and r"\frac{1}{4} < \delta \le \frac{1}{2}" in tex


def test_where_with_plain_bool_and_point_interval():
    fam = defect_in_delta(figure1_layer(), H, GRID, delta_interval=(R(1, 4), R(1, 4)))
    assert fam.where(lambda out: True) == sympy.FiniteSet(R(1, 4))
    assert fam.pieces[0].output == Signal([0, 0, 0, 0])


def test_validation():
    with pytest.raises(InexactInputError):
        defect_in_delta(figure1_layer(), H, GRID, delta_interval=(0, 0.5))
    with pytest.raises(InvalidArgumentError, match="piecewise polynomial"):
        defect_in_delta(figure1_layer(), sympy.sin(x), GRID, delta_interval=(0, 1))
    with pytest.raises(InvalidArgumentError, match="not supported"):
        defect_in_delta(Pointwise(lambda v: v**3 + sympy.sin(v)), H, GRID, delta_interval=(0, 1))
    with pytest.raises(InvalidArgumentError, match="empty"):
        defect_in_delta(figure1_layer(), H, GRID, delta_interval=(1, 0))
    fam = defect_in_delta(figure1_layer(), H, GRID, delta_interval=(0, 1))
    with pytest.raises(InvalidArgumentError, match="outside"):
        fam.at(2)
    with pytest.raises(InvalidArgumentError, match="polynomial"):
        fam.where(lambda out: sympy.sin(out[1]) > 0)


def test_public_names_importable_from_the_delta_namespace():
    import symequi
    import symequi.delta.defect as defect
    import symequi.delta.edge_detection as edge_detection

    for name in defect.__all__:
        assert getattr(defect, name) is not None
    for name in ("EdgeDetection", "edge_detected_set", "figure1_layer"):
        assert getattr(edge_detection, name) is getattr(symequi.delta, name)
