"""ChannelAffine: values by hand (Fractions), its matrix, the SMT decider on squares decided by
hand, its permutation lemma, and errors naming the argument."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
import sympy

from symequi.core.errors import EncodingError, InvalidArgumentError, SymequiError
from symequi.core.signal import Signal
from symequi.core.square import Square
from symequi.deciders.smt import decide_smt
from symequi.layers.affine import ChannelAffine
from symequi.translations import shift

F = Fraction


def _by_hand(scale: list[Fraction], shift_: list[Fraction], u: list[list[list[Fraction]]]) -> list:
    """``s_c u[c][i][j] + t_c`` entry by entry."""
    return [[[scale[c] * v + shift_[c] for v in row] for row in plane] for c, plane in enumerate(u)]


def test_values_on_a_3d_signal_by_hand() -> None:
    rng = random.Random(3)
    scale, t = [F(2), F(-1, 3)], [F(1, 2), F(5)]
    u = [[[F(rng.randint(-9, 9), rng.randint(1, 4)) for _ in range(3)] for _ in range(2)] for _ in range(2)]
    out = ChannelAffine(["2", "-1/3"], ["1/2", 5])(Signal(u))
    assert out.shape == (2, 2, 3)
    assert out.to_fractions() == _by_hand(scale, t, u)


def test_the_module_example_by_hand() -> None:
    # channel 0: 2 x + 0 on [1, 2] -> [2, 4]; channel 1: x / 2 + 1 on [4, 6] -> [3, 4]
    assert ChannelAffine([2, "1/2"], [0, 1])([[1, 2], [4, 6]]).to_fractions() == [[2, 4], [3, 4]]


def test_default_shift_is_zero_and_the_layer_is_then_linear() -> None:
    op = ChannelAffine([3, -2])
    assert op.shift.to_fractions() == [0, 0]
    assert op.is_linear and op.is_piecewise_linear
    assert not ChannelAffine([3, -2], [0, "1/7"]).is_linear
    assert ChannelAffine([3, -2], [0, 0]).is_linear


def test_output_shape_is_the_input_shape() -> None:
    assert ChannelAffine([1, 2, 3]).output_shape((3, 4, 5)) == (3, 4, 5)


def test_matrix_is_diagonal_with_each_scale_repeated_per_channel() -> None:
    m = ChannelAffine(["1/2", -3]).matrix((2, 3)).to_Matrix()
    assert m == sympy.diag(*([sympy.Rational(1, 2)] * 3 + [-3] * 3))


def test_algebraic_scale_is_exact_but_not_piecewise_linear() -> None:
    op = ChannelAffine([sympy.sqrt(2)], [1])
    assert not op.is_piecewise_linear and op.maps_reals_to_reals()
    assert op([[3, "1/2"]]) == Signal([[3 * sympy.sqrt(2) + 1, sympy.sqrt(2) / 2 + 1]])
    with pytest.raises(EncodingError, match="irrational parameters"):
        decide_smt(Square(op, shift((0, 1)), input_shape=(1, 2)))


@pytest.mark.parametrize(("args", "words"), [
    (([[1, 2]], None), "scale"),           # a matrix, not one value per channel
    (([1, 2], [1, 2, 3]), "shift"),         # one shift too many
])
def test_bad_parameters_name_the_argument(args, words) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidArgumentError, match=words):
        ChannelAffine(*args)


def test_wrong_channel_count_is_refused_with_the_expected_shape() -> None:
    with pytest.raises(SymequiError, match=r"2 channels.*shape \(2, \.\.\.\).*got shape \(3, 1\)"):
        ChannelAffine([1, 2])([[1], [2], [3]])
    with pytest.raises(InvalidArgumentError, match="channels first"):
        ChannelAffine([1, 2])([1, 2, 3])


# --- the SMT decider through encode, on squares decided by hand -----------------------------


def test_smt_proves_a_periodic_shift_within_channels() -> None:
    # s_c (P u)^c + t_c = P (s_c u^c + t_c) when P moves entries within a channel and is periodic
    # (P of a constant vector is the same constant vector).
    op = ChannelAffine([2, "-1/2"], [1, "3/4"])
    assert decide_smt(Square(op, shift((0, 1)), input_shape=(2, 3))).kind == "proved"


def test_smt_refutes_a_zero_filled_shift_when_the_shift_is_not_zero() -> None:
    # with zeros entering at the left, A(g u)_0 = t while g(A u)_0 = 0: a counterexample iff t != 0
    g = shift((0, 1), boundary="zeros")
    v = decide_smt(Square(ChannelAffine([2], ["1/3"]), g, input_shape=(1, 3)))
    assert v.kind == "counterexample"
    assert v.lhs.to_fractions()[0][0] == F(1, 3) and v.rhs.to_fractions()[0][0] == 0
    assert decide_smt(Square(ChannelAffine([2]), g, input_shape=(1, 3))).kind == "proved"


def test_smt_swapping_channels_commutes_only_when_the_channels_agree() -> None:
    swap = shift((1, 0))  # periodic shift by one channel of two channels: swaps them
    v = decide_smt(Square(ChannelAffine([1, 2]), swap, input_shape=(2, 1)))
    assert v.kind == "counterexample"
    (a,), (b,) = v.input.to_fractions()
    # by hand: A(swap u) = [b, 2 a], swap(A u) = [2 b, a]; they differ iff (a, b) != (0, 0)
    assert v.lhs.to_fractions() == [[b], [2 * a]] and v.rhs.to_fractions() == [[2 * b], [a]]
    assert (a, b) != (0, 0)
    same = ChannelAffine(["3/2", "3/2"], [-1, -1])
    assert decide_smt(Square(same, swap, input_shape=(2, 2))).kind == "proved"


def test_permutation_lemma_holds_exactly_for_permutations_within_channels() -> None:
    op = ChannelAffine([1, 2], [0, 5])
    lemma = op.permutation_lemma((2, 3), (2, 0, 1, 3, 5, 4))
    assert lemma is not None and lemma.proved and lemma.name == "channel affine"
    assert op.permutation_lemma((2, 3), (3, 1, 2, 0, 4, 5)) is None  # moves entry 3 (channel 1) into channel 0
