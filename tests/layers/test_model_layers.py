"""The layers the model importers need (Pad, Slice, ZeroInsertion, Repeat, LinearResize, Flatten, Linear,
ChannelAffine, Graph): values by hand, and each layer's description to the deciders (encode)
evaluated on rationals equals its values."""

from __future__ import annotations

import math
import random

import flint
import pytest
import sympy

from symequi.core.encoding import VectorAlgebra
from symequi.core.errors import InvalidArgumentError
from symequi.core.graph import Add, Concat, Graph
from symequi.core.operator import Sequential, encode
from symequi.core.signal import Signal
from symequi.core.square import Square
from symequi.deciders.smt import decide_smt
from symequi.layers.gather import PoolWindows
from symequi.layers.pooling import PaddedAvgPool
from symequi.layers import ChannelAffine, Flatten, Linear, LinearResize, Pad, ReLU, Repeat, Slice, ZeroInsertion
from symequi.translations import shift


class Evaluate(VectorAlgebra[list]):
    """The primitives on lists of rationals: what a layer's encoding computes."""

    def linear(self, values, rows, out_size):  # type: ignore[no-untyped-def]
        return [sum((c * values[j] for j, c in row), flint.fmpq(0)) for row in rows]

    def add_constants(self, values, constants):  # type: ignore[no-untyped-def]
        return [v + c for v, c in zip(values, constants)]

    def entrywise(self, values, function):  # type: ignore[no-untyped-def]
        return [function(v) for v in values]

    def window_max(self, values, windows):  # type: ignore[no-untyped-def]
        return [max(values[i] for i in w) for w in windows]

    def add_vectors(self, values_list):  # type: ignore[no-untyped-def]
        return [sum(vs, flint.fmpq(0)) for vs in zip(*values_list)]

    def concat(self, values_list, picks):  # type: ignore[no-untyped-def]
        return [values_list[k][j] for k, j in picks]


LAYERS = [
    (Pad(((1, 2),), mode="reflect"), (2, 4)),
    (Pad(((2, 1), (1, 0)), value="1/2"), (1, 2, 3)),
    (Slice({1: (1, None, 2)}), (2, 5)),
    (ZeroInsertion((2, 3)), (1, 2, 2)),
    (Repeat(2), (2, 3)),
    (LinearResize(scale=3), (2, 3)),
    (PaddedAvgPool((2, 3), stride=(2, 2), pads=[(1, 1), (1, 0)], count_include_pad=False, ceil_mode=True), (2, 3, 4)),
    (PoolWindows((2, 2), stride=(1, 2), dilation=(2, 1), pads=[(1, 1), (0, 1)]), (2, 3, 4)),
    (LinearResize((3, 5), coordinates="align_corners"), (2, 2, 3)),
    (Flatten(), (2, 3)),
    (Linear([[1, "1/2", 0], [0, -1, 3]], bias=["1/3", 0]), (2, 3)),
    (ChannelAffine(["1/2", -2], [1, "1/5"]), (2, 3)),
    (Graph([("p", Pad(((1, 1),), mode="periodic"), ("input",)), ("s", Slice({1: (0, 4, 1)}), ("p",)),
            ("r", ReLU(), ("s",)), ("y", Add(), ("input", "r")), ("c", Concat(0), ("y", "input"))]), (1, 4)),
]


@pytest.mark.parametrize("layer,shape", LAYERS, ids=lambda v: repr(v)[:30])
def test_encoding_equals_values(layer, shape) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(0)
    for _ in range(3):
        values = [flint.fmpq(rng.randint(-9, 9), rng.randint(1, 4)) for _ in range(math.prod(shape))]
        u = Signal.from_fmpqs(values, shape)
        assert encode(layer, Evaluate(), values, shape) == layer(u).flat_fmpqs()
        assert layer.output_shape(shape) == layer(u).shape


def test_values_by_hand() -> None:
    assert Pad(((1, 2),), mode="reflect")([1, 2, 3]) == Signal([2, 1, 2, 3, 2, 1])
    assert Slice({0: (None, None, -2)})([1, 2, 3, 4, 5]) == Signal([5, 3, 1])
    assert ZeroInsertion(3)([1, 2]) == Signal([1, 0, 0, 2])
    assert Linear([[1, 2]], bias=[-1])([[1, 1], [2, 3]]) == Signal([[2], [7]])
    assert ChannelAffine([2], ["1/2"])([[1, -1]]) == Signal([["5/2", "-3/2"]])
    q = ChannelAffine([sympy.sqrt(2)], [0])
    assert not q.is_piecewise_linear and q([[2]]) == Signal([[2 * sympy.sqrt(2)]])


def test_smt_through_pad_and_slice() -> None:
    # periodic pad by 1 then keeping entries 1..N is the identity: commutes with every shift;
    # reflect padding then the same slice is the identity too, replicate + slice [0:N] is a shift (does not)
    ident = Sequential(Pad(((1, 1),), mode="periodic"), Slice({0: (1, 5, 1)}), ReLU())
    assert decide_smt(Square(ident, shift("1/2", method="linear"), input_shape=4)).kind == "counterexample"
    assert decide_smt(Square(ident, shift(1), input_shape=4)).kind == "proved"
    moved = Sequential(Pad(((1, 0),), mode="replicate"), Slice({0: (0, 4, 1)}))
    assert decide_smt(Square(moved, shift(1), input_shape=4)).kind == "counterexample"


def test_bad_arguments() -> None:
    with pytest.raises(InvalidArgumentError, match="nonnegative"):
        Pad(((-1, 0),))
    with pytest.raises(InvalidArgumentError, match="only used with mode='zeros'"):
        Pad(((1, 0),), mode="reflect", value=1)
    with pytest.raises(InvalidArgumentError, match="last axis of length 2"):
        Linear([[1, 2]])([1, 2, 3])
    with pytest.raises(InvalidArgumentError, match="channels first"):
        ChannelAffine([1, 2])([1, 2, 3])
