"""The assumed set of a square's symbols: intervals, flags, integrality, combination."""

from __future__ import annotations

import random

import pytest
import sympy

import symequi as se
from symequi.core.assumptions import Assumptions, Interval, as_assumptions
from symequi.core.errors import InvalidArgumentError

S = sympy.Symbol("s")
R = sympy.Rational


def test_interval_membership_is_exact_at_the_ends() -> None:
    half_open = Interval(0, 1, left_open=False)
    assert half_open.contains(0) and not half_open.contains(1)
    assert not Interval.open(0, 1).contains(0)
    assert Interval.closed(0, 1).contains(1)
    root = Interval.open(0, sympy.sqrt(2))
    # 1.4142135623 < sqrt(2) < 1.4142135624: decided by the exact sign, not by a float
    assert root.contains(R(14142135623, 10**10)) and not root.contains(R(14142135624, 10**10))


@pytest.mark.parametrize("args", [(1, 0), (1, 1), ("x", 1)])
def test_empty_or_bad_intervals_are_refused(args: tuple) -> None:
    with pytest.raises(InvalidArgumentError):
        Interval.open(*args)


def test_a_closed_point_is_an_interval() -> None:
    assert Interval.closed(2, 2).contains(2)


def test_bad_assumptions_name_the_argument() -> None:
    with pytest.raises(InvalidArgumentError, match="intervals"):
        Assumptions([S, (0, 1)])
    with pytest.raises(InvalidArgumentError, match="no symbols"):
        Assumptions({2: (0, 1)})
    with pytest.raises(InvalidArgumentError, match="Interval"):
        Assumptions({S: 3})
    with pytest.raises(InvalidArgumentError, match="assumptions"):
        as_assumptions(3)
    with pytest.raises(InvalidArgumentError, match="leave no value"):
        Assumptions({S: (0, 1)}) & Assumptions({S: (1, 2)})


def test_combination_intersects_and_flags_count() -> None:
    p = sympy.Symbol("p", positive=True)
    a = Assumptions({S: (-1, 1), p: (-5, 3)}) & Assumptions({S: Interval.closed(0, 2)})
    assert a.interval_of(S) == Interval(0, 1, left_open=False)
    assert a.interval_of(p) == Interval.open(0, 3)
    assert a.contains({S: 0, p: R(1, 2)}) and not a.contains({S: 0, p: -1})
    assert not a.contains({S: 0})                    # p is constrained and has no value
    assert a.describe() == "s in the interval [0, 1); p in the open interval (-5, 3); p positive"


def test_samples_lie_in_the_set() -> None:
    t = sympy.Symbol("t")
    a = Assumptions({S: (R(1, 3), R(1, 2)), S + t: (0, 1)})
    points = a.sample([S, t], random.Random(3), 5)
    assert points
    for point in points:
        assert R(1, 3) < point[S] < R(1, 2) and 0 < point[S] + point[t] < 1


def test_the_square_combines_and_states_its_assumptions() -> None:
    g = se.shift(S, method="cubic", interval=(0, 2))
    square = se.Square(se.ReLU(), g, input_shape=3, assumptions={S: (1, 3)})
    assert square.assumptions.interval_of(S) == Interval.open(1, 2)
    assert "assumptions: s in the open interval (1, 2)" in square.conventions()
    assert se.Square(se.ReLU(), se.shift(1), input_shape=3).assumptions.is_empty


def test_a_square_at_a_point_is_substituted_everywhere() -> None:
    k = sympy.Symbol("k")
    square = se.Square(se.Convolution([k, 1], padding="zeros"), se.shift(S, method="linear"), input_shape=3)
    concrete = square.at({S: R(1, 4), k: 2})
    # by hand: g(u) for u = [1, 0, 0] is [3/4, 1/4, 0]; the convolution [2, 1] gives [3/2, 5/4, 1/4]
    assert concrete.lhs([1, 0, 0]) == se.Signal([R(3, 2), R(5, 4), R(1, 4)])
