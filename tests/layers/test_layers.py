"""Layer stacks: the paper's Figure 1 by hand, and the layers namespace."""

from __future__ import annotations

import pytest
import sympy

import symequi as se
from symequi import layers
from symequi.delta.edge_detection import figure1_layer
from symequi.layers import Bias, Convolution, Correlation, MaxPool, ReLU, Sequential


def figure1(origin: int) -> Sequential:
    """The one Figure 1 layer (symequi.delta.edge_detection), under the kernel origin ``origin``."""
    return figure1_layer(origin=origin, padding="zeros")


def test_paper_figure_1_by_hand():
    # origin -1: C_j = 2 b_{j+1} - 2 b_j.  [0,0,1,1] -> C = [0, 2, 0, -2] -> -1 -> ReLU
    layer = figure1(-1)
    assert layer([0, 0, 1, 1]) == se.Signal([0, 1, 0, 0])
    # the half-cell translated image: C = [0, 1, 1, -2] -> [-1, 0, 0, -3] -> 0
    assert layer([0, 0, "1/2", 1]) == se.Signal([0, 0, 0, 0])


def test_paper_figure_1_with_origin_zero():
    # origin 0: C_j = 2 b_j - 2 b_{j-1}: [0, 0, 2, 0] -> [-1, -1, 1, -1] -> [0, 0, 1, 0]
    assert figure1(0)([0, 0, 1, 1]) == se.Signal([0, 0, 1, 0])
    assert figure1(0)([0, 0, "1/2", 1]) == se.Signal([0, 0, 0, 0])  # [0,0,1,1] -1 -> 0


def test_correlation_form_of_figure_1():
    # correlation with [-2, 2] (origin 0) is C_j = -2 b_j + 2 b_{j+1}
    layer = Sequential(Correlation([-2, 2]), Bias(-1), ReLU())
    assert layer([0, 0, 1, 1]) == se.Signal([0, 1, 0, 0])


def test_stack_properties_and_reports():
    layer = figure1(-1)
    assert not layer.is_linear and layer.is_piecewise_linear
    assert layer.output_shape((4,)) == (4,)
    conventions = layer.conventions()
    assert conventions[0] == "convolution C_j = sum_k a_k b_{j-k} (paper eq. 3), kernel origin -1 (k = -1..0)"
    assert any("zero padding" in c for c in conventions)
    assert r"\circ" in layer.latex()
    stack = Sequential(Correlation([[1, 1]], padding="valid"), MaxPool(2))
    assert stack.output_shape((1, 5)) == (1, 2)


def test_linear_stack_matrix():
    stack = Sequential(Convolution([1, 1], padding="periodic"), Convolution([1, -1], padding="periodic"))
    # (1 + x)(1 - x) = 1 - x^2 on Z/3: C_j = b_j - b_{j-2} = b_j - b_{j+1}
    assert stack.matrix((3,)).to_Matrix() == sympy.Matrix([[1, -1, 0], [0, 1, -1], [-1, 0, 1]])


def test_namespace_reexports():
    names = {"Convolution", "Correlation", "Bias", "Pointwise", "ReLU", "LeakyReLU", "Abs",
             "PolynomialActivation", "MaxPool", "AvgPool", "Sequential"}
    assert names <= set(layers.__all__)
    assert layers.Sequential is se.Sequential


def test_sequential_refuses_non_layers():
    with pytest.raises(se.InvalidArgumentError, match="operators"):
        Sequential(Convolution([1]), "relu")
