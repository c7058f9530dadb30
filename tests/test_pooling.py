"""MaxPool and AvgPool by hand."""

from __future__ import annotations

import pytest
import sympy

import symequi as se
from symequi.pooling import AvgPool, MaxPool


def test_max_pool_1d_by_hand():
    assert MaxPool(2)([1, 3, "1/2", -1, 7]) == se.Signal([3, "1/2"])  # valid: 2 windows
    assert MaxPool(3, stride=1)([1, 3, "1/2", -1]) == se.Signal([3, 3])
    assert MaxPool(2, stride=1, padding="periodic")([1, 0, 0, 2]) == se.Signal([1, 0, 2, 2])
    assert MaxPool(2, padding="replicate")([1, 0, 5]) == se.Signal([1, 5])
    assert MaxPool(3, stride=2, padding="reflect")([4, 1, 2, 3]) == se.Signal([4, 3])  # [2,3,b_4=b_2]


def test_avg_pool_1d_by_hand():
    assert AvgPool(2)([1, 2, 3, 5]) == se.Signal(["3/2", 4])
    assert AvgPool(3, stride=1, padding="periodic")([3, 0, 0]) == se.Signal([1, 1, 1])
    assert AvgPool(2).is_linear and AvgPool(2).matrix((4,)).to_Matrix() == sympy.Matrix(
        [[sympy.Rational(1, 2), sympy.Rational(1, 2), 0, 0], [0, 0, sympy.Rational(1, 2), sympy.Rational(1, 2)]])


def test_pooling_2d_and_channels_by_hand():
    image = [[1, 2, 0, 4], [3, -1, 5, 2], [0, 0, 1, 1]]
    assert MaxPool((2, 2))(image) == se.Signal([[3, 5]])
    assert AvgPool((2, 2))(image) == se.Signal([["5/4", "11/4"]])
    assert MaxPool((2, 2), padding="periodic")(image) == se.Signal([[3, 5], [2, 4]])
    stacked = [[[1, 2], [3, 4]], [[-1, -2], [-3, -4]]]  # (C, H, W)
    assert MaxPool((2, 2))(stacked) == se.Signal([[[4]], [[-1]]])
    assert MaxPool(2)([[1, 2, 3, 4], [0, -1, 6, 5]]) == se.Signal([[2, 4], [0, 6]])  # (C, N)


def test_windows_and_shapes():
    assert MaxPool(2).windows((5,)) == [[0, 1], [2, 3]]
    assert MaxPool(2, stride=1, padding="periodic").windows((3,)) == [[0, 1], [1, 2], [2, 0]]
    assert MaxPool((2, 2)).windows((2, 2, 2)) == [[0, 1, 2, 3], [4, 5, 6, 7]]
    assert AvgPool(2, stride=3).output_shape((8,)) == (3,)
    assert MaxPool((2, 3), padding="periodic").output_shape((3, 5)) == (2, 2)


def test_symbolic_max_pool():
    a, b = sympy.symbols("a b")
    p = sympy.Symbol("p", positive=True)
    out = MaxPool(2)([a, b, p, -p])
    assert out[0] == sympy.Max(a, b) and out[1] == p
    assert AvgPool(2)([a, b])[0] == (a + b) / 2


def test_bad_input():
    with pytest.raises(se.InvalidArgumentError, match="size=0 must be >= 1"):
        MaxPool(0)
    with pytest.raises(se.InvalidArgumentError, match="stride"):
        AvgPool(2, stride=0)
    with pytest.raises(se.InvalidArgumentError, match="size=2.0 must be a positive integer"):
        MaxPool(2.0)
    with pytest.raises(se.InvalidArgumentError, match="padding='zeros' is not offered"):
        MaxPool(2, padding="zeros")
    with pytest.raises(se.InvalidArgumentError, match="windows of size 3 to fit"):
        MaxPool(3)([1, 2])
    with pytest.raises(se.InvalidArgumentError, match=r"pools 2-D signals.*got shape \(4,\)"):
        MaxPool((2, 2))([1, 2, 3, 4])
    with pytest.raises(se.InvalidArgumentError, match="at most n - 1"):
        MaxPool(4, stride=1, padding="reflect")([1, 2])


def test_reports():
    assert MaxPool(2).conventions()[0].startswith("max pooling over windows of size 2, stride 2")
    assert "exactly with periodic" in MaxPool(2, stride=1, padding="periodic").conventions()[2]
    assert repr(AvgPool((2, 2), stride=1, padding="periodic")) == "AvgPool((2, 2), stride=(1, 1), padding='periodic')"
    assert MaxPool(2).is_piecewise_linear and not MaxPool(2).is_linear
    assert r"\max" in MaxPool((2, 2)).latex()
