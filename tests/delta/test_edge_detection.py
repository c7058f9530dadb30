"""Tests for symequi.delta.edge_detection: where the Figure 1 edge detector reports an edge.

Expectations are derived by hand in the comments (the paper's Figure 1).
"""

from __future__ import annotations

import sympy

from symequi.functions.continuous import heaviside, x
from symequi.delta.edge_detection import EdgeDetection, edge_detected_set, figure1_layer
from symequi.functions.grid import Grid
from symequi.functions.discretize import PointSample
from symequi.core.signal import Signal

R = sympy.Rational
I = sympy.Interval


def test_figure1_layer_on_the_paper_example():
    # b = [0, 0, 1, 1]: C_j = 2 b_{j+1} - 2 b_j = [0, 2, 0, -2] (zero padding), minus 1, ReLU -> [0, 1, 0, 0]
    assert figure1_layer()([0, 0, 1, 1]) == Signal([0, 1, 0, 0])
    # b = [0, 0, 1/2, 1] (H(x - dx/2)): C = [0, 1, 1, -2], minus 1, ReLU -> [0, 0, 0, 0]: no edge
    assert figure1_layer()([0, 0, R(1, 2), 1]) == Signal([0, 0, 0, 0])


def test_edge_detected_set_figure1_default_interval():
    result = edge_detected_set()  # [0, 2 dx] = [0, 1]
    assert result.by_index == {
        0: sympy.EmptySet,
        1: I.Ropen(0, R(1, 4)),
        2: I.open(R(1, 4), R(3, 4)),
        3: sympy.EmptySet,
    }
    assert result.detected == sympy.Union(I.Ropen(0, R(1, 4)), I.open(R(1, 4), R(3, 4)))
    assert result.undetected == sympy.Union(sympy.FiniteSet(R(1, 4)), I(R(3, 4), 1))
    assert R(1, 4) not in result.detected and R(1, 4) in result.undetected
    assert sympy.Union(result.detected, result.undetected) == I(0, 1)
    assert "at output index 2" in result.text()
    assert r"\delta \in" in result.latex()


# For -1/2 <= delta <= 0: b = [0, -2d, 1, 1] -> C - 1 = [-4d - 1, 4d + 1, -1, -3]:
#   index 0 > 0 iff d < -1/4; index 1 > 0 iff d > -1/4.  Nothing at d = -1/4.
def test_edge_detected_set_wider_interval_by_hand():
    result = edge_detected_set(delta_interval=(R(-1, 2), 1))
    assert result.by_index[0] == I.Ropen(R(-1, 2), R(-1, 4))
    assert result.by_index[1] == I.open(R(-1, 4), R(1, 4))
    assert result.by_index[2] == I.open(R(1, 4), R(3, 4))
    assert result.undetected == sympy.Union(sympy.FiniteSet(R(-1, 4), R(1, 4)), I(R(3, 4), 1))


# Point samples at the centers -3/4, -1/4, 1/4, 3/4 of H(x - delta), 0 <= delta <= 1:
#   b_j = 1 iff center_j > delta (H(0) = 0): b = [0, 0, 1, 1] for delta < 1/4, [0, 0, 0, 1] for
#   1/4 <= delta < 3/4, all 0 for delta >= 3/4.  C - 1 = [-1, 1, -1, -3], [-1, -1, 1, -3], [-1]*4.
def test_edge_detected_set_point_samples_by_hand():
    result = edge_detected_set(figure1_layer(), heaviside(x), None, discretization=PointSample(Grid(-1, 1, 4)))
    assert isinstance(result, EdgeDetection)
    assert result.by_index[1] == I.Ropen(0, R(1, 4))
    assert result.by_index[2] == I.Ropen(R(1, 4), R(3, 4))
    assert result.detected == I.Ropen(0, R(3, 4))
    assert result.undetected == I(R(3, 4), 1)


def test_figure1_layer_conventions_by_hand():
    # origin 0: C_j = 2 b_j - 2 b_{j-1} (zeros): [0, 0, 1, 1] -> [0, 0, 2, 0] - 1 -> ReLU [0, 0, 1, 0]
    assert figure1_layer(origin=0)([0, 0, 1, 1]) == Signal([0, 0, 1, 0])
    # periodic, origin -1: C_j = 2 b_{j+1} - 2 b_j with b_4 = b_0: [1, 0, 0, 1] -> [-2, 0, 2, 0] - 1 -> [0, 0, 1, 0]
    assert figure1_layer(padding="periodic")([1, 0, 0, 1]) == Signal([0, 0, 1, 0])
    # zero padding instead: C_3 = 2 * 0 - 2 b_3 = -2, so the last entry differs from the periodic [.., 0]
    assert figure1_layer()([1, 0, 0, 1]) == Signal([0, 0, 1, 0])
    assert figure1_layer()([0, 1, 0, 0]) == Signal([1, 0, 0, 0])          # C = [2, -2, 0, 0]
    assert figure1_layer(padding="periodic")([1, 0, 0, 0]) == Signal([0, 0, 0, 1])  # C = [-2, 0, 0, 2]
    assert figure1_layer()([1, 0, 0, 0]) == Signal([0, 0, 0, 0])           # C = [-2, 0, 0, 0]


def test_the_figure1_layer_is_built_in_one_place():
    """cli, report and the proof scripts use figure1_layer instead of building the layer again."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2]
    files = [root / "symequi" / "cli.py", *(root / "symequi" / "report").glob("*.py"), *(root / "proofs").glob("*.py")]
    pattern = re.compile(r"Convolution\(\[2, -2\][^)]*\),\s*Bias\(")  # the conv + bias + ReLU stack
    assert [f.name for f in files if pattern.search(f.read_text())] == []
    assert all("figure1_layer" in (root / p).read_text()
               for p in ("symequi/cli.py", "symequi/report/figures.py", "proofs/c3_figure1.py"))
