"""AxisGather and its layers ZeroInsertion, Repeat and PoolWindows: values against numpy, torch's nearest
upsampling and torch's dilated max pooling, sources and matrices by hand, the SMT decider on squares decided by hand, errors."""

from __future__ import annotations

import numpy as np
import pytest
import sympy
import torch

from symequi.core.encoding import V, VectorAlgebra
from symequi.core.errors import EncodingError, InvalidArgumentError
from symequi.core.signal import Signal
from symequi.core.square import Square
from symequi.deciders.smt import decide_smt
from symequi.layers.gather import AxisGather, PoolWindows, Repeat, ZeroInsertion
from symequi.layers.pooling import MaxPool
from symequi.translations import shift


class Reverse(AxisGather):
    """A minimal subclass: reverse the last axis and append one zero."""

    def _axis_maps(self, shape: tuple[int, ...]) -> list[list[int | None]]:
        *lead, n = shape
        return [list(range(m)) for m in lead] + [[*range(n - 1, -1, -1), None]]


class VouchedReverse(Reverse):
    """The same layer whose author vouches for the inherited description to the deciders."""

    def encode(self, algebra: VectorAlgebra[V], values: V, shape: tuple[int, ...]) -> V:
        return super().encode(algebra, values, shape)


# --- AxisGather: what a subclass gets for free ------------------------------------------------


def test_subclass_gets_shape_sources_values_and_matrix() -> None:
    op = Reverse()
    assert op.output_shape((2, 3)) == (2, 4) and op.output_shape(3) == (4,)
    assert op.sources((2, 2)) == [1, 0, None, 3, 2, None]
    assert op(["1/2", 2, -3]).to_fractions() == [-3, 2, sympy.Rational(1, 2), 0]
    a, b = sympy.symbols("a b")
    assert op(Signal([a, b])) == Signal([b, a, 0])  # the symbolic path fills with 0 too
    assert op.is_linear and op.maps_reals_to_reals()
    assert op.matrix(2).to_Matrix() == sympy.Matrix([[0, 1], [1, 0], [0, 0]])


def test_smt_through_the_base_class_encoding() -> None:
    # u = [a, b, c]: Reverse(P u) = Reverse([c, a, b]) = [b, a, c, 0] for the roll P by +1, while
    # the roll by -1 of Reverse(u) = [c, b, a, 0] is [b, a, 0, c]: a counterexample iff c != 0
    v = decide_smt(Square(VouchedReverse(), shift(1), shift(-1), input_shape=3))
    assert v.kind == "counterexample" and v.input.to_fractions()[2] != 0
    # zeros entering at the left of u and leaving at the left of the output: [0, a, b] -> [b, a, 0, 0];
    # [c, b, a, 0] moved left with a zero entering at the right: [b, a, 0, 0]: equal for every input
    z1, z2 = shift(1, boundary="zeros"), shift(-1, boundary="zeros")
    assert decide_smt(Square(VouchedReverse(), z1, z2, input_shape=3)).kind == "proved"


def test_a_user_subclass_must_vouch_for_the_inherited_encoding() -> None:
    # a subclass outside symequi that changes the values (_axis_maps) without defining encode()
    # is not believed by the deciders (the protocol's trust rule)
    with pytest.raises(EncodingError, match="define encode"):
        decide_smt(Square(Reverse(), shift(1), shift(-1), input_shape=3))


# --- ZeroInsertion ----------------------------------------------------------------------------


def _zero_insert_numpy(x: np.ndarray, factors: tuple[int, ...]) -> np.ndarray:
    lead = x.ndim - len(factors)
    shape = x.shape[:lead] + tuple((n - 1) * f + 1 for n, f in zip(x.shape[lead:], factors))
    out = np.zeros(shape, dtype=x.dtype)
    out[(slice(None),) * lead + tuple(slice(None, None, f) for f in factors)] = x
    return out


@pytest.mark.parametrize(("shape", "factor"), [((4,), 2), ((2, 3), 3), ((1, 2, 3), (2, 3)), ((2, 3, 2), (1, 2))])
def test_zero_insertion_equals_numpy_strided_assignment(shape, factor) -> None:  # type: ignore[no-untyped-def]
    x = np.arange(1, int(np.prod(shape)) + 1).reshape(shape)
    factors = factor if isinstance(factor, tuple) else (factor,)
    expected = _zero_insert_numpy(x, factors)
    op = ZeroInsertion(factor)
    assert op.output_shape(shape) == expected.shape
    assert op(Signal(x.tolist())).to_fractions() == expected.tolist()


def test_zero_insertion_sources_and_matrix_by_hand() -> None:
    assert ZeroInsertion(3).sources((2,)) == [0, None, None, 1]
    assert ZeroInsertion(2).matrix(2).to_Matrix() == sympy.Matrix([[1, 0], [0, 0], [0, 1]])


def test_smt_zero_insertion_does_not_turn_a_roll_into_a_roll() -> None:
    # length (3 - 1) 2 + 1 = 5, not 6: u = [a, b, c] -> [a, 0, b, 0, c]; the input roll gives
    # [c, 0, a, 0, b], the output roll by 2 gives [0, c, a, 0, b]: they differ iff c != 0
    v = decide_smt(Square(ZeroInsertion(2), shift(1), shift(2), input_shape=3))
    assert v.kind == "counterexample" and v.input.to_fractions()[2] != 0
    # with zeros entering, both sides are [0, 0, a, 0, b]: equal for every input
    z1, z2 = shift(1, boundary="zeros"), shift(2, boundary="zeros")
    assert decide_smt(Square(ZeroInsertion(2), z1, z2, input_shape=3)).kind == "proved"


# --- Repeat -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("shape", "factor"), [((3,), 2), ((2, 3), 3), ((1, 2, 2), (2, 3))])
def test_repeat_equals_numpy_repeat_on_each_axis(shape, factor) -> None:  # type: ignore[no-untyped-def]
    x = np.arange(-3, int(np.prod(shape)) - 3).reshape(shape)
    factors = factor if isinstance(factor, tuple) else (factor,)
    expected = x
    for k, f in enumerate(factors):
        expected = np.repeat(expected, f, axis=x.ndim - len(factors) + k)
    op = Repeat(factor)
    assert op.output_shape(shape) == expected.shape
    assert op(Signal(x.tolist())).to_fractions() == expected.tolist()


def test_repeat_equals_torch_nearest_upsampling() -> None:
    x = torch.tensor([[[0.5, -1.25, 3.0], [2.0, 0.0, -0.125]]], dtype=torch.float64)  # (1, 2, 3) dyadic
    expected = torch.nn.Upsample(scale_factor=2, mode="nearest")(x)[0]
    assert Repeat(2)(Signal.from_floats(x[0].tolist())) == Signal.from_floats(expected.tolist())
    x2 = torch.tensor([[[[1.0, 2.0], [3.0, 4.5]]]], dtype=torch.float64)  # (1, 1, 2, 2)
    expected2 = torch.nn.Upsample(scale_factor=(2, 3), mode="nearest")(x2)[0]
    assert Repeat((2, 3))(Signal.from_floats(x2[0].tolist())) == Signal.from_floats(expected2.tolist())


def test_repeat_matrix_by_hand() -> None:
    assert Repeat(2).matrix(2).to_Matrix() == sympy.Matrix([[1, 0], [1, 0], [0, 1], [0, 1]])


def test_smt_repeat_turns_a_roll_by_one_into_a_roll_by_the_factor() -> None:
    # u = [a, b, c] -> [a, a, b, b, c, c]; rolling u by 1 rolls the output by 2: proved
    assert decide_smt(Square(Repeat(2), shift(1), shift(2), input_shape=3)).kind == "proved"
    # by 1 instead: [c, c, a, a, b, b] vs [c, a, a, b, b, c]: differ unless a = b = c
    v = decide_smt(Square(Repeat(2), shift(1), shift(1), input_shape=3))
    assert v.kind == "counterexample" and len(set(v.input.to_fractions())) > 1


# --- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize("layer", [ZeroInsertion, Repeat])
def test_bad_factors_name_the_argument(layer) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidArgumentError, match="factor"):
        layer(0)
    with pytest.raises(InvalidArgumentError, match=r"factor\[1\]"):
        layer((2, -1))
    with pytest.raises(InvalidArgumentError, match="positive int or one per trailing axis"):
        layer([])
    with pytest.raises(InvalidArgumentError, match=r"needs 2 axes, got shape \(3,\)"):
        layer((2, 2)).output_shape((3,))


# --- PoolWindows: dilated, padded max-pooling windows side by side ------------------------------


def test_pool_windows_by_hand() -> None:
    # size 3, dilation 2, stride 2, padding (2, 2) on 5 entries: windows at -2, 0, 2, taps 2 apart;
    # the padded taps -2 and 6 read the first entry inside their own window
    op = PoolWindows(3, stride=2, dilation=2, pads=[(2, 2)])
    assert op.sources((5,)) == [0, 0, 2, 0, 2, 4, 2, 4, 2]
    assert op.output_shape((2, 5)) == (2, 9)
    assert repr(op) == "PoolWindows(size 3, stride 2, dilation 2, padding (2, 2))"


@pytest.mark.parametrize(("k", "s", "d", "p", "ceil", "shape"), [
    ((2, 3), (1, 2), (2, 1), (1, 1), False, (2, 5, 7)),
    ((3, 2), (2, 2), (2, 3), (1, 1), True, (1, 6, 8)),
    ((2, 2), (3, 1), (3, 2), (0, 1), True, (1, 7, 5)),
])
def test_pool_windows_then_max_pool_equal_torch_dilated_max_pool(k, s, d, p, ceil, shape) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(sum(shape))
    x = rng.integers(-8, 9, size=(1, *shape)) / 8
    expected = torch.nn.functional.max_pool2d(torch.from_numpy(x), k, s, p, dilation=d, ceil_mode=ceil)
    op = MaxPool(k)
    gathered = PoolWindows(k, stride=s, dilation=d, pads=[(p[0], p[0]), (p[1], p[1])], ceil_mode=ceil)
    assert op(gathered(Signal.from_floats(x[0].tolist()))) == Signal.from_floats(expected.numpy()[0].tolist())


def test_pool_windows_refuse_a_window_of_padding_only() -> None:
    with pytest.raises(InvalidArgumentError, match="window 0 on an axis of length 4 reads only padding"):
        PoolWindows(2, pads=[(3, 0)]).output_shape((4,))
    with pytest.raises(InvalidArgumentError, match="pads=.* one pair"):
        PoolWindows(2, pads=[(1, -1)])
    with pytest.raises(InvalidArgumentError, match="dilation"):
        PoolWindows(2, dilation=0)
