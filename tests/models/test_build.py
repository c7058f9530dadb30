"""symequi.models.build, called directly (not through an importer): exact tensors against Python's
Fraction of each float, every layer mapping against torch.nn.functional in float64 on dyadic data
(no rounding there, so the outputs must agree exactly), batchnorm by hand, the GraphBuilder, and
errors naming what is unsupported."""

from __future__ import annotations

import math
import random
from fractions import Fraction

import numpy as np
import pytest
import sympy
import torch
import torch.nn.functional as F

from symequi.core.errors import InvalidArgumentError, SymequiError
from symequi.core.graph import Add, Concat, Graph
from symequi.core.operator import Operator, Sequential
from symequi.core.signal import Signal
from symequi.core.square import Square
from symequi.deciders.smt import decide_smt
from symequi.layers import ReLU
from symequi.layers.affine import ChannelAffine
from symequi.layers.gather import PoolWindows
from symequi.layers.pad import Pad
from symequi.layers.pooling import PaddedAvgPool
from symequi.layers.slicing import Slice
from symequi.models.build import (
    PAD_MODES,
    GraphBuilder,
    UnsupportedModelError,
    avg_pool,
    batchnorm,
    conv,
    conv_transpose,
    exact_scalar,
    exact_tensor,
    max_pool,
)
from symequi.translations import shift

from ._runtime import dyadic_array, exact

TORCH_PAD = {"zeros": "constant", "reflect": "reflect", "replicate": "replicate", "circular": "circular"}


def _same(op: Operator, x: np.ndarray, expected: torch.Tensor) -> None:
    """``op`` on the exact values of ``x`` equals torch's float64 result (batch axis removed), exactly."""
    assert op(exact(x)) == exact(expected.detach().numpy()[0])


# --- exact tensors and scalars ----------------------------------------------------------------


def test_exact_tensor_gives_each_float_its_binary_value() -> None:
    values = [0.1, -2.5, 1e-300, 3.0]
    got = exact_tensor(np.array(values)).to_fractions()
    assert got == [Fraction(v) for v in values]  # Fraction(float) is the exact binary value
    assert got[0] != Fraction(1, 10)


def test_exact_tensor_float32_int_and_bool() -> None:
    f32 = np.array([[0.1, 0.5]], dtype=np.float32)
    assert exact_tensor(f32).shape == (1, 2)
    assert exact_tensor(f32).to_fractions() == [[Fraction(float(np.float32(0.1))), Fraction(1, 2)]]
    assert exact_tensor(np.array([[-3, 7]], dtype=np.int8)).to_fractions() == [[-3, 7]]
    assert exact_tensor(np.array([True, False])).to_fractions() == [1, 0]
    assert exact_tensor(np.array(2.5)).to_fractions() == [Fraction(5, 2)]  # a 0-d array becomes shape (1,)


@pytest.mark.parametrize(("array", "words"), [
    (np.array([1.0, np.inf]), "inf or nan"),
    (np.array([np.nan]), "inf or nan"),
    (np.array([1 + 2j]), "dtype complex128"),
    (np.array(["a"]), "real numbers only"),
])
def test_exact_tensor_refuses_what_is_not_a_finite_real(array, words) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidArgumentError, match=words):
        exact_tensor(array)


def test_exact_scalar() -> None:
    assert exact_scalar(0.1) == sympy.Rational(*Fraction(0.1).as_integer_ratio())
    assert exact_scalar(3) == 3 and isinstance(exact_scalar(3), sympy.Integer)
    assert exact_scalar(np.float32(0.25)) == sympy.Rational(1, 4)


def test_unsupported_model_error_is_in_the_one_family() -> None:
    assert issubclass(UnsupportedModelError, InvalidArgumentError) and issubclass(UnsupportedModelError, SymequiError)


def test_pad_modes_of_torch_and_onnx() -> None:
    assert PAD_MODES["circular"] == PAD_MODES["wrap"] == "periodic"
    assert PAD_MODES["edge"] == PAD_MODES["replicate"] == "replicate"
    assert PAD_MODES["constant"] == PAD_MODES["zeros"] == "zeros"
    assert PAD_MODES["reflect"] == "reflect"


# --- convolution ------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", list(TORCH_PAD))
@pytest.mark.parametrize(("pads", "stride", "dilation", "groups", "k"), [
    ((1, 1), 1, 1, 1, 3),     # symmetric, keeps the length: padding built into the correlation
    ((2, 1), 1, 1, 1, 4),     # asymmetric: explicit Pad then a valid correlation
    ((2, 2), 2, 2, 2, 3),     # dilation 2, stride 2, two groups
    ((0, 0), 1, 1, 1, 2),     # no padding
])
def test_conv_equals_torch_pad_then_conv1d(mode, pads, stride, dilation, groups, k) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(7)
    c_in, c_out, n = 2, 4, 7
    w = dyadic_array((c_out, c_in // groups, k), rng, scale=4)
    b = dyadic_array((c_out,), rng)
    x = dyadic_array((1, c_in, n), rng)
    xt = torch.from_numpy(x)
    padded = F.pad(xt, pads, mode=TORCH_PAD[mode]) if any(pads) else xt
    expected = F.conv1d(padded, torch.from_numpy(w), torch.from_numpy(b), stride=stride, dilation=dilation,
                        groups=groups)
    op = conv(exact_tensor(w), exact_tensor(b), pads=[pads], stride=(stride,), dilation=(dilation,),
              groups=groups, mode=mode)
    _same(op, x[0], expected)
    assert op.output_shape((c_in, n)) == tuple(expected.shape[1:])
    built_in = pads[0] == pads[1] and 2 * pads[0] == dilation * (k - 1) and pads[0] > 0
    assert any(isinstance(layer, Pad) for layer in op.operators) == (not built_in and any(pads))


def test_conv2d_equals_torch() -> None:
    rng = random.Random(8)
    w, x = dyadic_array((2, 1, 3, 2), rng, scale=4), dyadic_array((1, 2, 4, 5), rng)
    expected = F.conv2d(F.pad(torch.from_numpy(x), (1, 0, 1, 1), mode="replicate"), torch.from_numpy(w),
                        stride=(1, 2), groups=2)
    op = conv(exact_tensor(w), None, pads=[(1, 1), (1, 0)], stride=(1, 2), dilation=(1, 1), groups=2,
              mode="replicate")
    _same(op, x[0], expected)


def test_zero_bias_adds_no_layer() -> None:
    w = Signal([[[1, 2, 1]]])
    op = conv(w, Signal([0]), pads=[(1, 1)], stride=(1,), dilation=(1,), groups=1, mode="zeros")
    assert len(op.operators) == 1


def test_smt_a_circular_conv_commutes_with_rolls_a_zero_padded_one_does_not() -> None:
    # circular cross-correlation commutes with every periodic roll; with zero padding the roll
    # moves a border entry into the padded zeros (any u with a nonzero last entry shows it)
    w = Signal([[[1, -2, 1]]])
    periodic = conv(w, None, pads=[(1, 1)], stride=(1,), dilation=(1,), groups=1, mode="circular")
    zeros = conv(w, None, pads=[(1, 1)], stride=(1,), dilation=(1,), groups=1, mode="zeros")
    assert decide_smt(Square(periodic, shift((0, 1)), input_shape=(1, 4))).kind == "proved"
    assert decide_smt(Square(zeros, shift((0, 1)), input_shape=(1, 4))).kind == "counterexample"


# --- transposed convolution -------------------------------------------------------------------


@pytest.mark.parametrize(("k", "stride", "padding", "output_padding", "dilation", "groups"), [
    (3, 1, 0, 0, 1, 1),
    (3, 2, 1, 1, 1, 1),
    (2, 3, 2, 0, 2, 2),
    (2, 2, 2, 1, 1, 1),     # padding > d (K - 1): the zero-inserted signal is cropped (a Slice)
])
def test_conv_transpose_equals_torch(k, stride, padding, output_padding, dilation, groups) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(9)
    c_in, c_out, n = 2, 4, 5
    w = dyadic_array((c_in, c_out // groups, k), rng, scale=4)
    b = dyadic_array((c_out,), rng)
    x = dyadic_array((1, c_in, n), rng)
    expected = F.conv_transpose1d(torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(b), stride=stride,
                                  padding=padding, output_padding=output_padding, groups=groups, dilation=dilation)
    op = conv_transpose(exact_tensor(w), exact_tensor(b), padding=(padding,), output_padding=(output_padding,),
                        stride=(stride,), dilation=(dilation,), groups=groups)
    _same(op, x[0], expected)
    assert any(isinstance(layer, Slice) for layer in op.operators) == (padding > dilation * (k - 1))


def test_conv_transpose_by_hand() -> None:
    # y = x_0 [1, 2] at 0 + x_1 [1, 2] at stride 2 = [x_0, 2 x_0, x_1, 2 x_1]
    op = conv_transpose(Signal([[[1, 2]]]), None, padding=(0,), output_padding=(0,), stride=(2,), dilation=(1,),
                        groups=1)
    assert op([[3, "1/2"]]).to_fractions() == [[3, 6, Fraction(1, 2), 1]]


# --- pooling ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("k", "stride", "pad", "ceil_mode", "n"), [
    (2, 2, 1, False, 4),
    (3, 2, 1, False, 8),
    (3, 2, 1, True, 8),
    (3, 1, 1, False, 5),
    (2, 2, 0, True, 5),
    (4, 3, 2, True, 7),
])
def test_max_pool_equals_torch(k, stride, pad, ceil_mode, n) -> None:  # type: ignore[no-untyped-def]
    x = dyadic_array((1, 2, n), random.Random(n + k))
    expected = F.max_pool1d(torch.from_numpy(x), k, stride, pad, ceil_mode=ceil_mode)
    op = max_pool((k,), (stride,), [(pad, pad)], (1,), ceil_mode, (n,), "pool")
    _same(op, x[0], expected)


def test_max_pool_by_hand() -> None:
    # windows of 2 with stride 2 on [-inf, 1, 5, 2, 0, -inf]: max(1) = 1, max(5, 2) = 5, max(0) = 0
    assert max_pool((2,), (2,), [(1, 1)], (1,), False, (4,), "pool")([[1, 5, 2, 0]]).to_fractions() == [[1, 5, 0]]


@pytest.mark.parametrize(("k", "stride", "pad", "dilation", "ceil_mode", "n"), [
    (2, 1, 0, 2, False, 5),
    (3, 2, 1, 2, False, 8),
    (3, 2, 1, 2, True, 8),
    (2, 3, 1, 3, True, 9),
    (4, 1, 2, 2, False, 6),
])
def test_dilated_max_pool_equals_torch(k, stride, pad, dilation, ceil_mode, n) -> None:  # type: ignore[no-untyped-def]
    x = dyadic_array((1, 2, n), random.Random(n + k + dilation))
    expected = F.max_pool1d(torch.from_numpy(x), k, stride, pad, dilation=dilation, ceil_mode=ceil_mode)
    op = max_pool((k,), (stride,), [(pad, pad)], (dilation,), ceil_mode, (n,), "pool")
    assert any(isinstance(layer, PoolWindows) for layer in op.parts())
    _same(op, x[0], expected)


def test_dilated_max_pool_2d_equals_torch() -> None:
    x = dyadic_array((1, 2, 6, 7), random.Random(11))
    expected = F.max_pool2d(torch.from_numpy(x), (2, 3), (2, 1), (1, 1), dilation=(3, 2), ceil_mode=True)
    _same(max_pool((2, 3), (2, 1), [(1, 1), (1, 1)], (3, 2), True, (6, 7), "pool"), x[0], expected)


def test_max_pool_by_hand_with_dilation_and_wide_padding() -> None:
    # taps j - 1, j + 1 on [5, 1, 7, 2] padded by -inf: max(1), max(5, 7), max(1, 2), max(7)
    assert max_pool((2,), (1,), [(1, 1)], (2,), False, (4,), "p")([[5, 1, 7, 2]]).to_fractions() == [[1, 7, 2, 7]]
    # padding 2 > size 3 / 2 (ONNX allows it): windows at -2, -1, 0, 1, 2 of [3, 1, 2]
    assert max_pool((3,), (1,), [(2, 2)], (1,), False, (3,), "p")([[3, 1, 2]]).to_fractions() == [[3, 3, 3, 2, 2]]


def test_max_pool_refusals_name_the_node() -> None:
    with pytest.raises(UnsupportedModelError, match="node7: max pooling: .*window 0 .* reads only padding"):
        max_pool((2,), (1,), [(3, 0)], (1,), False, (5,), "node7")


@pytest.mark.parametrize(("k", "stride", "pad", "ceil_mode", "n"), [
    (2, 2, 0, False, 6),
    (4, 2, 2, False, 8),
    (2, 1, 1, False, 3),
    (2, 2, 1, True, 4),      # ceil_mode without a partial window
])
def test_avg_pool_equals_torch_counting_the_padding(k, stride, pad, ceil_mode, n) -> None:  # type: ignore[no-untyped-def]
    x = dyadic_array((1, 2, n), random.Random(n))
    expected = F.avg_pool1d(torch.from_numpy(x), k, stride, pad, ceil_mode=ceil_mode, count_include_pad=True)
    _same(avg_pool((k,), (stride,), [(pad, pad)], True, ceil_mode, (n,), "pool"), x[0], expected)


def test_avg_pool_by_hand() -> None:
    # [0, 2, 4, 0] in windows of 2: [1, 2]
    assert avg_pool((2,), (2,), [(1, 1)], True, False, (2,), "pool")([[2, 4]]).to_fractions() == [[1, 2]]
    # count_include_pad=False: [2] / 1, [4] / 1 (each window holds one input entry)
    assert avg_pool((2,), (2,), [(1, 1)], False, False, (2,), "pool")([[2, 4]]).to_fractions() == [[2, 4]]
    # ceil_mode on 5 entries, windows of 2: the last window holds [x_4] alone, divided by 1
    op = avg_pool((2,), (2,), [(0, 0)], True, True, (5,), "pool")
    assert isinstance(op, PaddedAvgPool) and op([[2, 4, 6, 8, 3]]).to_fractions() == [[3, 7, 3]]


def within_one_division(op: Operator, x: np.ndarray, expected: torch.Tensor) -> None:
    """Exact when every divisor is a power of two; otherwise torch's float64 result is the exact sum of
    the (dyadic, few) window entries divided once, so |exact - torch| <= 2**-53 |result|."""
    got = _flat(op(exact(x)).to_fractions())
    want = _flat(exact(expected.detach().numpy()[0]).to_fractions())
    assert len(got) == len(want)
    weights = [w for layer in op.parts() if isinstance(layer, PaddedAvgPool) for row in layer.rows(x.shape)
               for _, w in row]
    if all(int(w.q) & (int(w.q) - 1) == 0 for w in weights):
        assert got == want
    else:
        assert all(abs(a - b) <= abs(a) / 2 ** 53 for a, b in zip(got, want))
        assert any(int(w.q) % 2 for w in weights)  # a divisor 3, 5, ...: rounding was possible


def _flat(nested: object) -> list[Fraction]:
    return [v for item in nested for v in _flat(item)] if isinstance(nested, list) else [nested]  # type: ignore[list-item]


@pytest.mark.parametrize("include", [False, True])
@pytest.mark.parametrize(("k", "stride", "pad", "ceil_mode", "n"), [
    (2, 2, 1, False, 4),     # border windows of one entry
    (4, 2, 2, False, 8),     # counts 2, 3, 4, 4, 3, 2 without the padding
    (3, 2, 1, True, 6),      # a partial ceil_mode window clipped at the end of the padding
    (4, 3, 2, True, 7),
    (2, 2, 0, True, 5),      # ceil_mode without padding: the last window holds one entry
    (3, 3, 0, True, 7),
])
def test_avg_pool_equals_torch_with_border_divisors(include, k, stride, pad, ceil_mode, n) -> None:  # type: ignore[no-untyped-def]
    x = dyadic_array((1, 2, n), random.Random(n + k))
    expected = F.avg_pool1d(torch.from_numpy(x), k, stride, pad, ceil_mode=ceil_mode, count_include_pad=include)
    within_one_division(avg_pool((k,), (stride,), [(pad, pad)], include, ceil_mode, (n,), "pool"), x[0], expected)


@pytest.mark.parametrize("include", [False, True])
def test_avg_pool_2d_equals_torch_with_border_divisors(include: bool) -> None:
    x = dyadic_array((1, 2, 5, 7), random.Random(12))
    expected = F.avg_pool2d(torch.from_numpy(x), (2, 4), (2, 3), (1, 2), ceil_mode=True, count_include_pad=include)
    op = avg_pool((2, 4), (2, 3), [(1, 1), (2, 2)], include, True, (5, 7), "pool")
    within_one_division(op, x[0], expected)


# --- batch normalization ----------------------------------------------------------------------


def _signals(*rows: list[float]) -> list[Signal]:
    return [exact_tensor(np.array(r)) for r in rows]


def test_batchnorm_float_by_hand_and_against_torch() -> None:
    gamma, beta, mean, var = [1.5, -2.0], [0.25, 1.0], [0.5, -1.0], [4.0, 0.25]
    op = batchnorm(*_signals(gamma, beta, mean, var), eps=0.0, exact="float")
    assert isinstance(op, ChannelAffine)
    # s = gamma / sqrt(var) = [3/4, -4]; t = beta - mean s = [1/4 - 3/8, 1 - 4] = [-1/8, -3]
    assert op.scale.to_fractions() == [Fraction(3, 4), -4] and op.shift.to_fractions() == [Fraction(-1, 8), -3]
    x = dyadic_array((1, 2, 3), random.Random(2))
    expected = F.batch_norm(torch.from_numpy(x), torch.tensor(mean, dtype=torch.float64),
                            torch.tensor(var, dtype=torch.float64), torch.tensor(gamma, dtype=torch.float64),
                            torch.tensor(beta, dtype=torch.float64), training=False, eps=0.0)
    _same(op, x[0], expected)


def test_batchnorm_float_rounds_the_scale_once_in_float64() -> None:
    op = batchnorm(*_signals([1.0], [0.0], [0.0], [1.0]), eps=1e-5, exact="float")
    assert op.scale.to_fractions() == [Fraction(1.0 / math.sqrt(1.0 + 1e-5))]


def test_batchnorm_algebraic_keeps_the_square_root() -> None:
    # gamma 1, beta 0, mean 1, var 1, eps 1: s = 1/sqrt(2), t = -1/sqrt(2)
    op = batchnorm(*_signals([1.0], [0.0], [1.0], [1.0]), eps=1.0, exact="algebraic")
    r = sympy.sqrt(2) / 2
    assert op.scale == Signal([r]) and op.shift == Signal([-r]) and not op.is_piecewise_linear
    with pytest.raises(InvalidArgumentError, match="batchnorm='rational' must be 'float' or 'algebraic'"):
        batchnorm(*_signals([1.0], [0.0], [1.0], [1.0]), eps=1.0, exact="rational")


# --- GraphBuilder -----------------------------------------------------------------------------


def test_a_chain_becomes_a_sequential_and_aliases_are_followed() -> None:
    b = GraphBuilder((1, 3), input_name="x")
    assert b.identity("drop", "x") == (1, 3)
    assert b.layer("p", Pad(((1, 1),), mode="periodic"), "drop") == (1, 5)
    assert b.identity("same", "p") == (1, 5)
    assert b.layer("r", ReLU(), "same") == (1, 5)
    assert b.shape("same") == (1, 5) and b.name("same") == "p"
    op = b.result("r")
    assert isinstance(op, Sequential) and len(op.operators) == 2
    assert op([[-1, 2, -3]]).to_fractions() == [[0, 0, 2, 0, 0]]


def test_the_input_alone_is_the_identity() -> None:
    b = GraphBuilder((2,))
    b.identity("id", "input")
    op = b.result("id")
    assert isinstance(op, Sequential) and op([3, -4]).to_fractions() == [3, -4]


def test_a_branch_becomes_a_graph_without_the_unused_nodes() -> None:
    b = GraphBuilder((1, 3))
    b.layer("r", ReLU(), "input")
    b.layer("unused", Pad(((0, 1),)), "input")
    assert b.merge("sum", Add(), ["input", "r"]) == (1, 3)
    assert b.merge("cat", Concat(0), ["sum", "input"]) == (2, 3)
    op = b.result("cat")
    assert isinstance(op, Graph)
    assert [name for name, _, _ in op.nodes] == ["r", "sum", "cat"]
    # u + relu(u) on top of u: [-2, 0, 3] -> [[-2, 0, 6], [-2, 0, 3]]
    assert op([[-2, 0, 3]]).to_fractions() == [[-2, 0, 6], [-2, 0, 3]]


def test_an_early_output_of_a_chain_is_a_graph_of_what_it_needs() -> None:
    b = GraphBuilder((3,))
    b.layer("r", ReLU(), "input")
    b.layer("p", Pad(((1, 0),), value=1), "r")
    op = b.result("r")
    assert isinstance(op, Graph) and [name for name, _, _ in op.nodes] == ["r"]
    assert op([-1, 2, -3]).to_fractions() == [0, 2, 0] and op.output_shape((3,)) == (3,)
