"""Graph: a DAG of layers with sums and concatenations, through the layer protocol."""

from __future__ import annotations

import pytest
import sympy

from symequi.core.errors import InvalidArgumentError
from symequi.core.graph import Add, Concat, Graph
from symequi.core.signal import Signal
from symequi.core.square import Square
from symequi.deciders.dispatch import decide
from symequi.deciders.smt import decide_smt
from symequi.delta.defect import defect_in_delta
from symequi.functions.continuous import heaviside, x
from symequi.functions.grid import Grid
from symequi.layers import Bias, Correlation, MaxPool, ReLU
from symequi.translations import shift


def residual() -> Graph:
    """y = x + relu(corr(x) - 1), corr C_j = b_j - b_{j+1} periodic (hand computed below)."""
    return Graph([
        ("c", Correlation([1, -1], padding="periodic"), ("input",)),
        ("b", Bias(-1), ("c",)),
        ("r", ReLU(), ("b",)),
        ("y", Add(), ("input", "r")),
    ])


def test_residual_values_by_hand() -> None:
    # u = [3, 0, 1, 0]: C = [3, -1, 1, -3]; C - 1 = [2, -2, 0, -4]; relu = [2, 0, 0, 0]; y = [5, 0, 1, 0]
    assert residual()([3, 0, 1, 0]) == Signal([5, 0, 1, 0])


def test_concat_along_channels_and_space() -> None:
    two = [[1, 2], [3, 4]]
    assert Graph([("c", Concat(0), ("input", "input"))])(two) == Signal([[1, 2], [3, 4], [1, 2], [3, 4]])
    assert Graph([("c", Concat(1), ("input", "input"))])(two) == Signal([[1, 2, 1, 2], [3, 4, 3, 4]])
    assert Graph([("c", Concat(-1), ("input", "input"))]).output_shape((2, 2)) == (2, 4)


def test_linear_graph_matrix() -> None:
    g = Graph([("c", Correlation([1, 1], padding="periodic"), ("input",)), ("y", Add(), ("input", "c"))])
    assert g.is_linear
    # y_j = 2 b_j + b_{j+1}
    assert g.matrix((3,)).to_Matrix() == sympy.Matrix([[2, 1, 0], [0, 2, 1], [1, 0, 2]])


def test_smt_residual_proved_and_refuted() -> None:
    net = residual()
    assert decide_smt(Square(net, shift(1), input_shape=6)).kind == "proved"
    v = decide_smt(Square(net, shift("1/2", method="linear"), input_shape=6))
    assert v.kind == "counterexample" and v.lhs != v.rhs


def test_smt_concat_with_maxpool() -> None:
    net = Graph([("m", MaxPool(2, stride=1, padding="periodic"), ("input",)),
                 ("r", ReLU(), ("input",)), ("c", Concat(0), ("m", "r"))])
    assert net([[1, -2, 0, 5]]) == Signal([[1, 0, 5, 5], [1, 0, 0, 5]])
    assert decide(Square(net, shift((0, 1)), input_shape=(1, 4))).kind == "proved"
    assert decide_smt(Square(net, shift((0, 1)), g_out=shift((0, 2)), input_shape=(1, 4))).kind == "counterexample"


def test_delta_decider_sums_branches_with_different_cells() -> None:
    # CellAverage of H(x - delta) on Grid(0, 2, 2): pixel 0 is 1 - delta, pixel 1 is 1 for delta in [0, 1].
    # Branch relu(u - 1/2) splits at delta = 1/2 on pixel 0; the sum u + relu(u - 1/2) there is
    # 3/2 - 2 delta for delta < 1/2 and 1 - delta after; pixel 1 is 1 + 1/2.
    g = Graph([("b", Bias("-1/2"), ("input",)), ("r", ReLU(), ("b",)), ("y", Add(), ("input", "r"))])
    fam = defect_in_delta(g, heaviside(x), Grid(0, 2, 2), delta_interval=(0, 1))
    d = sympy.Symbol("delta", real=True)
    for value, expected in ((sympy.Rational(1, 4), sympy.Rational(1)), (sympy.Rational(3, 4), sympy.Rational(1, 4))):
        piece = next(p for p in fam.pieces if p.set.contains(value) == sympy.true)
        assert [sympy.simplify(e.subs(d, value) - exp) for e, exp in zip(piece.output.flat_exprs(), (expected, sympy.Rational(3, 2)))] == [0, 0]


def test_bad_graphs_are_refused() -> None:
    with pytest.raises(InvalidArgumentError, match="earlier node"):
        Graph([("y", Add(), ("input", "nowhere"))])
    with pytest.raises(InvalidArgumentError, match="one shape"):
        Graph([("c", Concat(0), ("input", "input")), ("y", Add(), ("input", "c"))])((1, 2))
    with pytest.raises(InvalidArgumentError, match="takes one input"):
        Graph([("r", ReLU(), ("input", "input"))])
