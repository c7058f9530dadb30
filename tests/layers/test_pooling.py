"""MaxPool and AvgPool by hand."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import symequi as se
from symequi.layers.pooling import AvgPool, MaxPool, PaddedAvgPool, check_pool_geometry, pool_output_length


def _padded_average_reference(x, k, s, pads, include, ceil):
    """Average pooling of a 2-D list of Fractions with zero padding, written from PyTorch's kernel
    (aten AvgPoolKernel: window [start, min(start + k, n + pad)) per axis, clipped to the input, divided by
    the padded window size or by the number of input entries)."""
    rows, cols = len(x), len(x[0])
    ranges = []
    for n, kk, ss, (before, after) in zip((rows, cols), k, s, pads):
        count = pool_output_length(n, kk, ss, (before, after), 1, ceil)
        axis = []
        for j in range(count):
            start = j * ss - before
            end = min(start + kk, n + after)
            axis.append((start, end, max(start, 0), min(end, n)))
        ranges.append(axis)
    out = []
    for (a0, b0, lo0, hi0) in ranges[0]:
        row = []
        for (a1, b1, lo1, hi1) in ranges[1]:
            total = sum((x[i][j] for i in range(lo0, hi0) for j in range(lo1, hi1)), Fraction(0))
            divisor = (b0 - a0) * (b1 - a1) if include else (hi0 - lo0) * (hi1 - lo1)
            row.append(total / divisor)
        out.append(row)
    return out


@pytest.mark.parametrize("include", [False, True])
@pytest.mark.parametrize(("k", "s", "pads", "ceil", "shape"), [
    ((2, 3), (2, 2), ((1, 1), (1, 0)), False, (4, 5)),
    ((3, 3), (2, 3), ((1, 2), (0, 1)), True, (5, 7)),
    ((2, 2), (1, 2), ((0, 0), (1, 1)), True, (3, 5)),
])
def test_padded_avg_pool_against_a_reference(include, k, s, pads, ceil, shape):
    import random

    rng = random.Random(sum(shape))
    x = [[Fraction(rng.randint(-9, 9), rng.randint(1, 3)) for _ in range(shape[1])] for _ in range(shape[0])]
    op = PaddedAvgPool(k, stride=s, pads=pads, count_include_pad=include, ceil_mode=ceil)
    assert op(se.Signal(x)).to_fractions() == _padded_average_reference(x, k, s, pads, include, ceil)
    assert op.output_shape((3,) + shape)[0] == 3


def test_padded_avg_pool_reports_and_errors():
    op = PaddedAvgPool(3, stride=2, pads=[(1, 1)], count_include_pad=False, ceil_mode=True)
    assert op.is_linear and repr(op) == ("PaddedAvgPool(windows of size 3, stride 2, zero padding (1, 1), ceil_mode, "
                                         "count_include_pad=False)")
    assert "divided by their input entries" in op.describe()
    with pytest.raises(se.InvalidArgumentError, match="pads=.*one pair"):
        PaddedAvgPool(2, pads=[(1, 1), (0, 0)])
    with pytest.raises(se.InvalidArgumentError, match="does not fit"):
        PaddedAvgPool(4).output_shape((3,))


@pytest.mark.parametrize(("n", "k", "s", "pads", "d", "ceil"), [
    (5, 2, 2, (0, 0), 1, False), (5, 2, 2, (0, 0), 1, True), (8, 3, 2, (1, 1), 2, True),
    (7, 4, 3, (2, 2), 1, True), (9, 2, 3, (1, 1), 3, False), (6, 3, 4, (1, 1), 1, True),
])
def test_pool_output_length_equals_torch(n, k, s, pads, d, ceil):
    import torch

    out = torch.nn.functional.max_pool1d(torch.zeros(1, 1, n), k, s, pads[0], dilation=d, ceil_mode=ceil)
    assert pool_output_length(n, k, s, pads, d, ceil) == out.shape[-1]


def test_pool_output_length_by_hand_and_errors():
    # ceil_mode: windows at 0, 3 and a partial one at 6, which starts inside the signal (6 < 7): kept
    assert pool_output_length(7, 3, 3, (0, 0), 1, True) == 3
    # padding (0, 2) on 4 entries, size 2 stride 2, ceil: windows at 0, 2, 4; the one at 4 starts in the padding
    assert pool_output_length(4, 2, 2, (0, 2), 1, True) == 3 - 1
    with pytest.raises(se.InvalidArgumentError, match="does not fit in an axis of length 2"):
        pool_output_length(2, 2, 1, (0, 0), 2)
    assert check_pool_geometry(2, 1, 3, [(0, 1)]) == ((2,), (1,), (3,), ((0, 1),))


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


# --- property: against numpy's padding rules and plain Fraction windows ------------------------
NP_MODE = {"periodic": "wrap", "reflect": "reflect", "replicate": "edge"}
rational = st.fractions(min_value=-5, max_value=5, max_denominator=12)


def pool_reference(table, size, stride, padding, reduce):
    """2-D pooling written independently: np.pad (object array of Fractions) on the right and
    bottom ends, then every window ``[i*s : i*s + k]`` reduced with plain Python."""
    arr = np.array(table, dtype=object)
    starts = []
    for n, k, s in zip(arr.shape, size, stride):
        starts.append(range(0, n - k + 1, s) if padding == "valid" else range(0, n, s))
    if padding != "valid":
        pads = [(0, max(0, r[-1] + k - n)) for r, k, n in zip(starts, size, arr.shape)]
        arr = np.pad(arr, pads, mode=NP_MODE[padding])
    return [[reduce(list(arr[i:i + size[0], j:j + size[1]].ravel())) for j in starts[1]] for i in starts[0]]


def _mean(values):
    return sum(values, Fraction(0)) / len(values)


@st.composite
def pool_case(draw):
    h, w = draw(st.integers(1, 5)), draw(st.integers(1, 6))
    table = [[draw(rational) for _ in range(w)] for _ in range(h)]
    size = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    return table, size, stride, draw(st.sampled_from(["valid", "periodic", "reflect", "replicate"]))


@settings(max_examples=40, deadline=None)
@given(pool_case())
def test_pooling_matches_numpy_padding_and_fraction_windows(case):
    table, size, stride, padding = case
    h, w = len(table), len(table[0])
    too_short = any(k > n for k, n in zip(size, (h, w)))
    reach = [((n - 1) // s) * s + k - n for n, k, s in zip((h, w), size, stride)]
    for layer, reduce in ((MaxPool(size, stride=stride, padding=padding), max),
                          (AvgPool(size, stride=stride, padding=padding), _mean)):
        if padding == "valid" and too_short or padding == "reflect" and any(r > n - 1 for r, n in zip(reach, (h, w))):
            with pytest.raises(se.InvalidArgumentError, match="padding=|size"):
                layer(table)
            continue
        expected = pool_reference(table, size, stride, padding, reduce)
        assert layer(table).to_fractions() == expected
        # 1-D pooling of the first row with the same rule
        row = pool_reference([table[0]], (1, size[1]), (1, stride[1]), padding, reduce)[0]
        one_d = type(layer)(size[1], stride=stride[1], padding=padding)
        assert one_d(table[0]).to_fractions() == row


def test_maxpool_orders_algebraic_entries_exactly():
    """Windows of algebraic numbers give their largest entry (ordered by hand: sqrt 2 = 1.4142 > 7/5,
    7/5 > cos(pi/7) = 0.9010 > sqrt 3 / 2 = 0.8660); equal entries give that value."""
    import sympy

    from symequi.core.signal import Signal
    from symequi.layers import MaxPool

    r2, c7, r3 = sympy.sqrt(2), sympy.cos(sympy.pi / 7), sympy.sqrt(3) / 2
    u = Signal([r2, sympy.Rational(7, 5), c7, r3])
    assert MaxPool(2, stride=1, padding="periodic")(u).flat_exprs() == [r2, sympy.Rational(7, 5), c7, r2]
    tie = MaxPool(2)(Signal([r2, 2 / r2])).flat_exprs()
    assert len(tie) == 1 and sympy.simplify(tie[0] - r2) == 0


def test_a_window_larger_than_any_allowed_input_is_refused_by_name():
    with pytest.raises(se.InvalidArgumentError, match=r"size=\(1000000000000,\) \(a window\) has 1000000000000 entries"):
        MaxPool(10**12)
    with pytest.raises(se.InvalidArgumentError, match=r"size=\(100000, 100000\) \(a window\)"):
        AvgPool((10**5, 10**5))
