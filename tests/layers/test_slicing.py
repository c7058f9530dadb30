"""Slice: values against numpy basic slicing (negative and out-of-range bounds, negative steps,
several axes), its matrix by hand, the SMT decider on squares decided by hand, and errors."""

from __future__ import annotations

import numpy as np
import pytest
import sympy

from symequi.core.errors import InvalidArgumentError
from symequi.core.signal import Signal
from symequi.core.square import Square
from symequi.deciders.smt import decide_smt
from symequi.layers.slicing import Slice
from symequi.translations import shift


@pytest.mark.parametrize(("shape", "ranges"), [
    ((7,), {0: (1, 6, 2)}),
    ((7,), {0: (-3, None, 1)}),
    ((7,), {0: (None, None, -3)}),
    ((7,), {0: (-100, 100, None)}),
    ((7,), {0: (5, 1, -1)}),
    ((3, 5), {1: (1, None, 2)}),
    ((3, 5), {-1: (0, 2, 1), 0: (2, None, -2)}),
    ((2, 3, 4), {0: (1, 2, 1), 2: (None, -1, 2)}),
])
def test_values_and_shape_equal_numpy_slicing(shape, ranges) -> None:  # type: ignore[no-untyped-def]
    x = np.arange(int(np.prod(shape))).reshape(shape) - 5
    index = [slice(None)] * len(shape)
    for axis, (start, stop, step) in ranges.items():
        index[axis] = slice(start, stop, step)
    expected = x[tuple(index)]
    op = Slice(ranges)
    assert op.output_shape(shape) == expected.shape
    assert op(Signal(x.tolist())).to_fractions() == expected.tolist()


def test_values_by_hand_rational_and_symbolic() -> None:
    assert Slice({0: (None, None, -2)})([1, 2, 3, 4, 5]) == Signal([5, 3, 1])
    a, b, c = sympy.symbols("a b c")
    assert Slice({0: (1, None, 1)})(Signal([a, b, c])) == Signal([b, c])
    assert Slice({1: (1, 4, 2)})([[0, "1/2", 2, "-3/4", 4]]).to_fractions() == [[sympy.Rational(1, 2),
                                                                                sympy.Rational(-3, 4)]]


def test_linearity_sources_and_matrix_by_hand() -> None:
    op = Slice({0: (1, None, 2)})
    assert op.is_linear and op.is_piecewise_linear and op.maps_reals_to_reals()
    assert op.sources((5,)) == [1, 3]
    assert op.matrix(5).to_Matrix() == sympy.Matrix([[0, 1, 0, 0, 0], [0, 0, 0, 1, 0]])
    # keeping column 2 of a (2, 3) signal picks flat entries 2 and 5
    assert Slice({1: (2, 3, 1)}).matrix((2, 3)).to_Matrix() == sympy.Matrix([[0, 0, 1, 0, 0, 0],
                                                                             [0, 0, 0, 0, 0, 1]])


def test_description_names_the_kept_ranges() -> None:
    op = Slice({1: (1, None, 2), 0: (None, 3, None)})
    assert op.describe() == "slice axis 0 [:3], axis 1 [1::2]"


# --- the SMT decider through encode, on squares decided by hand -----------------------------


def test_smt_cropping_commutes_with_a_zero_filled_shift_but_not_a_roll() -> None:
    # u = [a, b, c, d], A u = [a, b].  Zeros entering: A(g u) = A([0, a, b, c]) = [0, a] and
    # g(A u) = [0, a]: equal for every u.  Rolls: A(P u) = [d, a], P(A u) = [b, a]: differ iff b != d
    z = shift(1, boundary="zeros")
    assert decide_smt(Square(Slice({0: (0, 2, 1)}), z, input_shape=4)).kind == "proved"
    v = decide_smt(Square(Slice({0: (0, 2, 1)}), shift(1), input_shape=4))
    assert v.kind == "counterexample"
    _, b, _, d = v.input.to_fractions()
    assert b != d


def test_smt_keeping_every_entry_is_the_identity() -> None:
    full = Slice({0: (None, None, None)})
    assert full.output_shape((4,)) == (4,)
    assert decide_smt(Square(full, shift("1/2", method="linear"), input_shape=4)).kind == "proved"


def test_smt_every_second_entry_turns_a_roll_by_two_into_a_roll_by_one() -> None:
    # u_0..u_5 -> [u_0, u_2, u_4]; rolling u by 2 rolls the kept entries by 1 (periodic)
    op = Slice({0: (0, None, 2)})
    assert decide_smt(Square(op, shift(2), shift(1), input_shape=6)).kind == "proved"
    assert decide_smt(Square(op, shift(1), shift(1), input_shape=6)).kind == "counterexample"


# --- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("ranges", "words"), [
    ({}, "must be a non-empty dict"),
    ([(0, 2, 1)], "must be a non-empty dict"),
    ({0: (0, 2)}, r"ranges\[0\]=\(0, 2\) must be \(start, stop, step\)"),
    ({0: [0, 2, 1]}, r"ranges\[0\]"),
    ({"0": (0, 2, 1)}, r"ranges\['0'\]"),
    ({1: (0, 2, 0)}, "the step of axis 1 must be a nonzero int, not 0"),
    ({1: (0, 2, "2")}, "the step of axis 1"),
    ({1: (0, 2, True)}, "the step of axis 1 must be a nonzero int, not True"),
    ({0: ("a", None, 1)}, "the start of axis 0 must be an int or None, not 'a'"),
    ({0: (None, 1.5, 1)}, "the stop of axis 0 must be an int or None, not 1.5"),
])
def test_bad_ranges_name_the_argument(ranges, words) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidArgumentError, match=words):
        Slice(ranges)


def test_bad_shapes_are_refused() -> None:
    with pytest.raises(InvalidArgumentError, match=r"axis 2 is out of range for shape \(2, 3\)"):
        Slice({2: (0, 1, 1)}).output_shape((2, 3))
    with pytest.raises(InvalidArgumentError, match="keeps no entries"):
        Slice({0: (3, 1, 1)})([1, 2, 3, 4])
