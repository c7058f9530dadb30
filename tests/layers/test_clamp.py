"""Clamp: values by hand, and every decider through the layer protocol with no decider change."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from symequi.core.errors import InvalidArgumentError
from symequi.core.operator import Sequential
from symequi.core.signal import Signal
from symequi.core.square import Square
from symequi.deciders.compositional import decide_compositional
from symequi.deciders.smt import decide_smt
from symequi.delta.defect import defect_in_delta
from symequi.functions.continuous import heaviside, x
from symequi.functions.grid import Grid
from symequi.layers import Clamp, Convolution, Hardtanh
from symequi.translations import shift

R = sympy.Rational


def _clamp(v: Fraction, lo: Fraction, hi: Fraction) -> Fraction:
    return min(max(v, lo), hi)


@given(st.lists(st.fractions(max_denominator=50), min_size=1, max_size=6),
       st.fractions(-3, 3, max_denominator=7), st.fractions(0, 3, max_denominator=7).filter(lambda d: d > 0))
def test_values_match_min_max_by_hand(values, lo, width):
    hi = lo + width
    got = Clamp(lo, hi)(Signal(values)).to_fractions()
    assert got == [_clamp(v, lo, hi) for v in values]


def test_algebraic_entries_take_their_branch_by_certified_sign():
    out = Clamp(0, 1)(Signal([sympy.sqrt(2) - 1, sympy.sqrt(3), 1 - sympy.sqrt(2)]))
    assert out == Signal([sympy.sqrt(2) - 1, 1, 0])


def test_bad_bounds_are_refused():
    with pytest.raises(InvalidArgumentError, match="lo=1 must be less than hi=1"):
        Clamp(1, 1)
    assert Hardtanh()(['-3/2', '1/2', 2]) == Signal([-1, R(1, 2), 1])


def test_smt_decides_clamp_without_any_decider_change():
    net = Sequential(Convolution([1, -1], padding="periodic"), Clamp(0, 1))
    assert decide_smt(Square(net, shift(1), input_shape=5)).kind == "proved"
    v = decide_smt(Square(net, shift("1/2", method="linear"), input_shape=4))
    assert v.kind == "counterexample"
    # re-check the witness independently with Fractions
    u = v.input.to_fractions()
    n = len(u)
    half = [(u[j] + u[j - 1]) / 2 for j in range(n)]          # linear shift by 1/2, periodic

    def layer(w):
        return [_clamp(w[j] - w[j - 1], Fraction(0), Fraction(1)) for j in range(n)]

    lhs = layer(half)
    a = layer(u)
    rhs = [(a[j] + a[j - 1]) / 2 for j in range(n)]
    assert lhs != rhs
    assert v.lhs.to_fractions() == lhs and v.rhs.to_fractions() == rhs


def test_compositional_rule_uses_the_entrywise_lemma():
    v = decide_compositional(Square(Sequential(Convolution([1, 2], padding="periodic"), Clamp(-1, 1)),
                                    shift(2), input_shape=6))
    assert v is not None and "lemma (a)" in v.details["layer 2"]


def test_defect_in_delta_splits_at_both_breakpoints():
    # Cell averages of H(x - delta) on Grid(0, 2, 2) (cells [0, 1], [1, 2]), delta in [0, 1]:
    # cell 0 holds 1 - delta, cell 1 holds 1 (by hand).  Clamp(1/4, 3/4) of cell 0 is 3/4 up to
    # delta = 1/4, then 1 - delta, then 1/4 from delta = 3/4; cell 1 is always 3/4.
    fam = defect_in_delta(Clamp(R(1, 4), R(3, 4)), heaviside(x), Grid(0, 2, 2), delta_interval=(0, 1))
    for d in (R(0), R(1, 8), R(1, 4), R(1, 3), R(1, 2), R(3, 4), R(7, 8), R(1)):
        cell0 = min(max(1 - d, R(1, 4)), R(3, 4))
        assert fam.at(d) == Signal([cell0, R(3, 4)]), d
    assert fam.where(lambda out: out[0] > R(1, 2)) == sympy.Interval.Ropen(0, R(1, 2))
