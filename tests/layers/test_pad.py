"""Pad: values against numpy.pad and torch's F.pad, its matrix by hand, the SMT decider on
squares decided by hand (with and without a constant), and errors naming the argument."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy
import torch
import torch.nn.functional as F

from symequi.core.errors import InvalidArgumentError
from symequi.core.operator import Sequential
from symequi.core.signal import Signal
from symequi.core.square import Square
from symequi.deciders.smt import decide_smt
from symequi.layers.pad import Pad
from symequi.layers.slicing import Slice
from symequi.translations import shift

NUMPY_MODE = {"zeros": "constant", "periodic": "wrap", "reflect": "reflect", "replicate": "edge"}


@pytest.mark.parametrize("mode", list(NUMPY_MODE))
@pytest.mark.parametrize(("shape", "widths"), [
    ((5,), ((2, 1),)),
    ((2, 4), ((0, 3),)),
    ((2, 3, 4), ((1, 2), (3, 0))),
])
def test_values_and_shape_equal_numpy_pad(mode, shape, widths) -> None:  # type: ignore[no-untyped-def]
    x = np.arange(1, int(np.prod(shape)) + 1).reshape(shape) * 3 - 10
    lead = len(shape) - len(widths)
    expected = np.pad(x, [(0, 0)] * lead + list(widths), mode=NUMPY_MODE[mode])
    op = Pad(widths, mode=mode)
    assert op.output_shape(shape) == expected.shape
    assert op(Signal(x.tolist())).to_fractions() == expected.tolist()


@pytest.mark.parametrize(("mode", "torch_mode"), [("periodic", "circular"), ("reflect", "reflect"),
                                                  ("replicate", "replicate"), ("zeros", "constant")])
def test_values_equal_torch_functional_pad(mode, torch_mode) -> None:  # type: ignore[no-untyped-def]
    x = torch.tensor([[[0.5, -1.25, 3.0, 2.0], [0.125, 0.0, -4.0, 1.5]]], dtype=torch.float64)  # (1, 2, 4)
    expected = F.pad(x, (2, 1), mode=torch_mode)[0]  # torch: (left, right) of the last axis
    assert Pad(((2, 1),), mode=mode)(Signal.from_floats(x[0].tolist())) == Signal.from_floats(expected.tolist())


def test_constant_value_by_hand() -> None:
    out = Pad(((1, 0), (0, 2)), value="-1/3")([[1, 2]])
    c = Fraction(-1, 3)
    assert out.to_fractions() == [[c, c, c, c], [1, 2, c, c]]
    a = sympy.Symbol("a")
    assert Pad(((1, 1),), value=2)(Signal([a])) == Signal([2, a, 2])  # the symbolic path uses the constant


def test_linearity_and_matrix_by_hand() -> None:
    assert Pad(((1, 1),)).is_linear and not Pad(((1, 1),), value=1).is_linear
    assert Pad(((1, 1),), value=1).is_piecewise_linear
    # periodic pad of [a, b] by (1, 2): [b, a, b, a, b]
    assert Pad(((1, 2),), mode="periodic").matrix(2).to_Matrix() == sympy.Matrix(
        [[0, 1], [1, 0], [0, 1], [1, 0], [0, 1]])
    # zero pad of [a, b] by (0, 1): [a, b, 0]
    assert Pad(((0, 1),)).matrix(2).to_Matrix() == sympy.Matrix([[1, 0], [0, 1], [0, 0]])


def test_permutation_lemma_is_never_claimed() -> None:
    assert Pad(((1, 1),), mode="periodic").permutation_lemma((3,), (2, 0, 1)) is None


# --- the SMT decider through encode, on squares decided by hand -----------------------------


def test_smt_periodic_pad_does_not_commute_with_rolls() -> None:
    # [a, b, c] -> [c, a, b, c, a]; rolled input [c, a, b] -> [b, c, a, b, c];
    # rolled output [a, c, a, b, c]: they differ iff a != b
    v = decide_smt(Square(Pad(((1, 1),), mode="periodic"), shift(1), input_shape=3))
    assert v.kind == "counterexample"
    a, b, _ = v.input.to_fractions()
    assert a != b


@pytest.mark.parametrize(("value", "kind"), [(0, "proved"), (2, "counterexample"), ("-1/2", "counterexample")])
def test_smt_constant_pad_then_crop_with_zeros_entering(value, kind) -> None:  # type: ignore[no-untyped-def]
    # A u = [v, a, b] for u = [a, b, c]; g = shift by 1 with zeros entering: g u = [0, a, b].
    # A(g u) = [v, 0, a], g(A u) = [0, v, a]: equal for every u iff v = 0
    op = Sequential(Pad(((1, 0),), value=value), Slice({0: (0, 3, 1)}))
    assert op([5, 6, 7]).to_fractions() == [Fraction(value), 5, 6]
    v = decide_smt(Square(op, shift(1, boundary="zeros"), input_shape=3))
    assert v.kind == kind
    if kind == "counterexample":
        assert v.lhs.to_fractions()[:2] == [Fraction(value), 0] and v.rhs.to_fractions()[:2] == [0, Fraction(value)]


def test_smt_pad_with_a_constant_then_crop_back_is_the_identity() -> None:
    op = Sequential(Pad(((2, 1),), value=7), Slice({0: (2, -1, 1)}))
    assert op([1, 2, 3]).to_fractions() == [1, 2, 3]
    assert decide_smt(Square(op, shift("1/2", method="linear"), input_shape=3)).kind == "proved"


# --- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("kwargs", "words"), [
    (dict(widths=(1, 1)), r"widths\[0\]=1 must be a pair"),
    (dict(widths=[]), "widths=.* must be a list of"),
    (dict(widths=3), "widths=3"),
    (dict(widths=((1, -1),)), r"widths\[0\].*nonnegative ints"),
    (dict(widths=((0, 0), (True, 0))), r"widths\[1\]"),
    (dict(widths=((1, "2"),)), r"widths\[0\]"),
    (dict(widths=((1, 1),), mode="circular"), "mode"),
    (dict(widths=((1, 1),), mode="replicate", value=1), "value=1 is only used with mode='zeros'"),
    (dict(widths=((1, 1),), value=0.5), "value=0.5 is a Python float"),
])
def test_bad_arguments_name_the_argument(kwargs, words) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidArgumentError, match=words):
        Pad(**kwargs)


def test_bad_shapes_are_refused() -> None:
    with pytest.raises(InvalidArgumentError, match=r"pads the last 2 axes, but the signal has shape \(3,\)"):
        Pad(((1, 1), (1, 1)))([1, 2, 3])
    with pytest.raises(InvalidArgumentError, match=r"needs 3 reflected entries .* at most n - 1 = 1"):
        Pad(((3, 0),), mode="reflect")([1, 2])  # reflect reaches past the other end
