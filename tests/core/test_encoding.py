"""The layer protocol's language: piecewise-linear functions by hand, refusals, and trust."""

from __future__ import annotations

from fractions import Fraction

import flint
import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from symequi.core.encoding import PiecewiseLinearFunction, VectorAlgebra
from symequi.core.errors import EncodingError, InvalidArgumentError
from symequi.core.operator import Operator, encode, trusted_protocol
from symequi.layers import Abs, LeakyReLU, ReLU

RELU = PiecewiseLinearFunction.from_pieces([0], [(0, 0), (1, 0)])
CLAMP = PiecewiseLinearFunction.from_pieces([-1, "1/2"], [(0, -1), (1, 0), (0, "1/2")])


def _frac(v: flint.fmpq) -> Fraction:
    return Fraction(int(v.p), int(v.q))


@given(st.fractions(max_denominator=100))
def test_values_match_the_closed_forms(v):
    assert _frac(RELU(v)) == max(v, Fraction(0))
    assert _frac(CLAMP(v)) == min(max(v, Fraction(-1)), Fraction(1, 2))


def test_intervals_are_closed_on_the_right():
    step = PiecewiseLinearFunction.from_pieces([0], [(0, 0), (0, 1)])   # the paper's H with H(0) = 0
    assert [_frac(step(v)) for v in (-1, 0, "1/1000")] == [0, 0, 1]
    assert step.piece_index(0) == 0 and step.piece_index("1/1000") == 1
    t = sympy.Symbol("t")
    assert step.sympy_expr(t).subs(t, 0) == 0 and step.sympy_expr(t).subs(t, sympy.Rational(1, 3)) == 1


def test_equal_neighbouring_pieces_merge_and_bad_input_is_refused():
    identity = PiecewiseLinearFunction.from_pieces([0, 1], [(1, 0), (1, 0), (1, 0)])
    assert identity.breakpoints == () and identity.is_linear
    assert not RELU.is_linear
    with pytest.raises(InvalidArgumentError, match="strictly increasing"):
        PiecewiseLinearFunction.from_pieces([1, 0], [(0, 0), (1, 0), (0, 0)])
    with pytest.raises(InvalidArgumentError, match="one affine piece"):
        PiecewiseLinearFunction.from_pieces([0], [(1, 0)])
    with pytest.raises(Exception, match="float|exact"):
        PiecewiseLinearFunction.from_pieces([0.5], [(0, 0), (1, 0)])


def test_library_activations_describe_themselves_with_the_right_pieces():
    assert [(_frac(a), _frac(c)) for a, c in Abs().function.pieces] == [(-1, 0), (1, 0)]
    assert [(_frac(a), _frac(c)) for a, c in LeakyReLU("1/4").function.pieces] == [(Fraction(1, 4), 0), (1, 0)]
    assert ReLU().function == RELU


def test_an_algebra_refuses_what_it_cannot_express():
    with pytest.raises(EncodingError, match="cannot express a piecewise-linear activation"):
        VectorAlgebra().entrywise([], RELU)
    with pytest.raises(EncodingError, match="cannot express a selection of entries by the largest key"):
        VectorAlgebra().select_max([], [0], [[0]])
    with pytest.raises(EncodingError, match="layer pointwise ReLU"):
        encode(ReLU(), VectorAlgebra(), [], (2,))


def test_only_the_author_of_the_values_is_believed():
    class Doubled(ReLU):  # changes the values, inherits ReLU's description
        def _apply_rational(self, values):
            return [2 * v for v in values]

    class Honest(Doubled):  # states its own description
        def encode(self, algebra, values, shape):
            return algebra.entrywise(values, PiecewiseLinearFunction.from_pieces([0], [(0, 0), (2, 0)]))

    assert not trusted_protocol(Doubled(), "encode")
    assert trusted_protocol(Honest(), "encode")
    assert trusted_protocol(ReLU(), "encode") and trusted_protocol(ReLU(), "permutation_lemma")
    with pytest.raises(EncodingError, match="overrides how its values are computed"):
        encode(Doubled(), VectorAlgebra(), [], (1,))
    assert Operator().permutation_lemma((2,), (1, 0)) is None
