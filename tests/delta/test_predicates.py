"""Tests for symequi.delta.predicates: predicates as sign conditions on polynomials in delta."""

from __future__ import annotations

import pytest
import sympy
from flint import fmpq, fmpq_poly

from symequi.delta.cells import DeltaCell, delta
from symequi.delta.predicates import SignCondition
from symequi.core.errors import InvalidArgumentError
from symequi.arith.real_algebraic import RealAlgebraic

R = sympy.Rational


def pt(value) -> DeltaCell:
    r = RealAlgebraic(value)
    return DeltaCell(r, r, [])


def test_atoms_become_polynomials_lhs_minus_rhs():
    cond = SignCondition(sympy.Or(delta**2 >= R(1, 2), sympy.Eq(3 * delta, 1)))
    assert sorted(cond.polys, key=lambda p: p.degree()) == [fmpq_poly([-1, 3]), fmpq_poly([fmpq(-1, 2), 0, 1])]


def test_holds_on_points_and_open_cells_by_hand():
    cond = SignCondition(sympy.And(delta**2 >= R(1, 2), sympy.Ne(delta, 1)))
    assert cond.holds_on(pt(sympy.sqrt(2) / 2))  # delta^2 = 1/2 >= 1/2
    assert not cond.holds_on(pt(R(7, 10)))  # 49/100 < 1/2
    assert not cond.holds_on(pt(1))
    assert cond.holds_on(DeltaCell(RealAlgebraic(1), RealAlgebraic(2), []))
    assert SignCondition(delta < 0).holds_on(pt(-R(1, 3)))
    assert not SignCondition(sympy.Not(delta <= 0)).holds_on(pt(0))


def test_plain_booleans():
    assert SignCondition(True).holds_on(pt(0)) and SignCondition(True).polys == []
    assert not SignCondition(sympy.false).holds_on(pt(0))


def test_validation():
    with pytest.raises(InvalidArgumentError, match="must return a bool"):
        SignCondition(1)
    with pytest.raises(InvalidArgumentError, match="other than delta"):
        SignCondition(delta > sympy.Symbol("a"))
    with pytest.raises(InvalidArgumentError, match="not a polynomial"):
        SignCondition(sympy.sin(delta) > 0)
    with pytest.raises(InvalidArgumentError, match="not a polynomial"):
        SignCondition(sympy.sqrt(2) * delta > 0)
