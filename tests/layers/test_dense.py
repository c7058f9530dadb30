"""Flatten and Linear: values against numpy (integer arrays) and torch's float64 nn.Linear on
dyadic data, their matrices, the SMT decider on squares decided by hand, and errors."""

from __future__ import annotations

import random
from fractions import Fraction

import numpy as np
import pytest
import sympy
import torch

from symequi.core.errors import EncodingError, InvalidArgumentError
from symequi.core.operator import Sequential
from symequi.core.signal import Signal
from symequi.core.square import Square
from symequi.deciders.smt import decide_smt
from symequi.layers.dense import Flatten, Linear
from symequi.translations import shift

# --- Flatten ----------------------------------------------------------------------------------


def test_flatten_is_numpy_ravel_row_major() -> None:
    u = np.arange(24).reshape(2, 3, 4) - 7
    out = Flatten()(Signal(u.tolist()))
    assert out.shape == (24,) and out.to_fractions() == u.ravel().tolist()


def test_flatten_output_shape() -> None:
    assert Flatten().output_shape((2, 3, 4)) == (24,)
    assert Flatten().output_shape(5) == (5,)  # an int is a 1-D shape


def test_flatten_matrix_is_the_identity_and_the_layer_is_linear() -> None:
    assert Flatten().is_linear and Flatten().maps_reals_to_reals()
    assert Flatten().matrix((2, 2)).to_Matrix() == sympy.eye(4)


def test_smt_flatten_turns_a_channel_roll_into_a_flat_roll_but_not_a_row_roll() -> None:
    # rolling the 2 rows of a (2, 3) signal moves each entry by 3 flat positions (periodic in 6)
    assert decide_smt(Square(Flatten(), shift((1, 0)), shift(3), input_shape=(2, 3))).kind == "proved"
    # rolling within rows is not a flat roll by 1: [[a, b, c], [d, e, f]] -> [c, a, b, f, d, e]
    # while the flat roll gives [f, a, b, c, d, e]; they differ unless c = f
    v = decide_smt(Square(Flatten(), shift((0, 1)), shift(1), input_shape=(2, 3)))
    assert v.kind == "counterexample"
    (_, _, c), (_, _, f) = v.input.to_fractions()
    assert c != f


# --- Linear -----------------------------------------------------------------------------------

W = [[1, -2, 0], [3, 0, 5]]
B = [7, -1]


def test_linear_values_equal_numpy_on_every_row() -> None:
    rng = np.random.default_rng(0)
    x = rng.integers(-9, 10, size=(4, 3))
    expected = x @ np.array(W).T + np.array(B)
    assert Linear(W, bias=B)(Signal(x.tolist())).to_fractions() == expected.tolist()
    assert Linear(W)(Signal(x.tolist())).to_fractions() == (x @ np.array(W).T).tolist()


def test_linear_rational_values_by_hand() -> None:
    # [1/2 1/3] . [3, 6] - 1/4 = 3/2 + 2 - 1/4 = 13/4
    assert Linear([["1/2", "1/3"]], bias=["-1/4"])([3, 6]).to_fractions() == [Fraction(13, 4)]


def test_linear_equals_torch_float64_on_dyadic_data() -> None:
    rng = random.Random(5)
    net = torch.nn.Linear(4, 3).double()
    w = [[rng.randint(-8, 8) / 4 for _ in range(4)] for _ in range(3)]
    b = [rng.randint(-8, 8) / 8 for _ in range(3)]
    x = [[rng.randint(-8, 8) / 8 for _ in range(4)] for _ in range(2)]
    with torch.no_grad():
        net.weight.copy_(torch.tensor(w, dtype=torch.float64))
        net.bias.copy_(torch.tensor(b, dtype=torch.float64))
        expected = net(torch.tensor(x, dtype=torch.float64)).tolist()  # exact: few dyadic terms
    got = Linear([[Fraction(v) for v in row] for row in w], bias=[Fraction(v) for v in b])(
        Signal([[Fraction(v) for v in row] for row in x]))
    assert got.to_fractions() == [[Fraction(v) for v in row] for row in expected]


def test_linear_output_shape_and_linearity() -> None:
    op = Linear(W, bias=B)
    assert (op.in_features, op.out_features) == (3, 2)
    assert op.output_shape((5, 3)) == (5, 2) and op.output_shape(3) == (2,)
    assert not op.is_linear and op.is_piecewise_linear
    assert Linear(W).is_linear and Linear(W, bias=[0, 0]).is_linear


def test_linear_matrix_is_block_diagonal_one_block_per_row() -> None:
    w = sympy.Matrix(W)
    expected = sympy.diag(w, w)  # two rows of length 3 -> two outputs each
    assert Linear(W).matrix((2, 3)).to_Matrix() == expected


@pytest.mark.parametrize(("weight", "bias", "words"), [
    ([1, 2], None, "weight has shape"),
    ([[sympy.sqrt(2), 1]], None, "weight must have rational entries"),
    ([[1, 2]], [1, 2], "bias has shape"),
    ([[1, 2]], [sympy.pi], "bias"),
])
def test_linear_bad_parameters_name_the_argument(weight, bias, words) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidArgumentError, match=words):
        Linear(weight, bias=bias)


def test_linear_refuses_a_wrong_last_axis_and_irrational_inputs() -> None:
    with pytest.raises(InvalidArgumentError, match=r"last axis of length 2; got shape \(3,\) \(insert a Flatten"):
        Linear([[1, 2]])([1, 2, 3])
    with pytest.raises(InvalidArgumentError, match="last axis"):
        Linear([[1, 2]]).output_shape((2, 3))
    with pytest.raises(EncodingError, match="rational signals only"):
        Linear([[1, 2]])([sympy.sqrt(2), 1])


def test_flatten_then_linear_sums_every_entry() -> None:
    assert Sequential(Flatten(), Linear([[1, 1, 1, 1]], bias=["-1/2"]))([[1, 2], [3, 4]]).to_fractions() == [
        Fraction(19, 2)]


CIRCULANT = [[2, 0, 1], [1, 2, 0], [0, 1, 2]]  # row i: 2 x_i + x_(i-1) (periodic), commutes with rolls


def test_smt_a_circulant_weight_commutes_with_rolls_a_generic_one_does_not() -> None:
    assert decide_smt(Square(Linear(CIRCULANT), shift(1), input_shape=3)).kind == "proved"
    # a constant bias commutes with a periodic roll too; a bias on one feature does not
    assert decide_smt(Square(Linear(CIRCULANT, bias=[5, 5, 5]), shift(1), input_shape=3)).kind == "proved"
    v = decide_smt(Square(Linear(CIRCULANT, bias=[1, 0, 0]), shift(1), input_shape=3))
    # by hand: A(P u) - P(A u) = b - P b = [1, 0, 0] - [0, 1, 0], whatever u is
    assert v.kind == "counterexample"
    assert [p - q for p, q in zip(v.lhs.to_fractions(), v.rhs.to_fractions())] == [1, -1, 0]
    assert decide_smt(Square(Linear([[1, 0, 0], [0, 0, 1], [0, 1, 0]]), shift(1), input_shape=3)).kind \
        == "counterexample"
