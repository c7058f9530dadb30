"""Tests for symequi.delta.cells: the delta axis cut into cells, and the sets of runs of cells.

Expectations are hand computations written next to each check.
"""

from __future__ import annotations

import sympy
from flint import fmpq, fmpq_poly

from symequi.delta.cells import DeltaCell, merge_runs, polynomial_on_cell, run_set, runs_to_set, split_cells, true_runs
from symequi.functions.piecewise import PiecewisePolynomial
from symequi.arith.real_algebraic import RealAlgebraic

R = sympy.Rational
I = sympy.Interval


def pt(value) -> DeltaCell:
    r = RealAlgebraic(value)
    return DeltaCell(r, r, [])


def test_split_at_irrational_and_rational_roots():
    # (t^2 - 1/2)(t - 3/4) on (0, 1): roots sqrt(2)/2 = 0.707... and 3/4 inside; -sqrt(2)/2 outside.
    p = fmpq_poly([fmpq(-1, 2), 0, 1]) * fmpq_poly([fmpq(-3, 4), 1])
    cell = DeltaCell(RealAlgebraic(0), RealAlgebraic(1), [p])
    cells = split_cells([cell], lambda c: c.polys)
    ends = [(c.point, c.lo.to_sympy(), c.hi.to_sympy()) for c in cells]
    s = sympy.sqrt(2) / 2
    assert ends == [(False, 0, s), (True, s, s), (False, s, R(3, 4)), (True, R(3, 4), R(3, 4)), (False, R(3, 4), 1)]
    # signs: p(0) = 3/8 > 0; between the roots negative; after 3/4 positive
    assert [c.sign(p) for c in cells] == [1, 0, -1, 0, 1]
    assert all(c.polys == [p] for c in cells)


def test_split_leaves_points_and_rootless_cells_alone():
    point = pt(R(1, 2))
    cell = DeltaCell(RealAlgebraic(0), RealAlgebraic(1), [fmpq_poly([1, 0, 1])])  # 1 + t^2 > 0
    assert split_cells([point, cell], lambda c: c.polys + [fmpq_poly([3])]) == [point, cell]


def test_sample_sign_and_with_polys():
    cell = DeltaCell(RealAlgebraic(sympy.sqrt(2)), RealAlgebraic(sympy.sqrt(3)), [])
    q = cell.sample()
    assert 2 < q * q < 3  # strictly inside (sqrt 2, sqrt 3), by hand
    other = cell.with_polys([fmpq_poly([-2, 0, 1])])
    assert other.sample() == q and other.lo is cell.lo and other.sign(other.polys[0]) == 1
    assert pt(sympy.sqrt(2)).sign(fmpq_poly([-2, 0, 1])) == 0
    assert cell.sign(fmpq_poly()) == 0 and cell.sign(fmpq_poly([-5])) == -1


def test_merge_runs_by_hand():
    a, b, c = RealAlgebraic(0), RealAlgebraic(1), RealAlgebraic(2)
    up, down = fmpq_poly([0, 1]), fmpq_poly([2, -1])
    # formula t on (0, 1), 2 - t on (1, 2); at 1 both give 1: the point joins the left run
    cells = [DeltaCell(a, a, [fmpq_poly([0])]), DeltaCell(a, b, [up]), DeltaCell(b, b, [fmpq_poly([1])]),
             DeltaCell(b, c, [down]), DeltaCell(c, c, [fmpq_poly([7])])]
    runs = merge_runs(cells)
    assert [run_set(run) for run in runs] == [I(0, 1), I.open(1, 2), sympy.FiniteSet(2)]
    # a point with the same formula as its right neighbour joins the right run
    cells = [DeltaCell(a, b, [up]), DeltaCell(b, b, [down]), DeltaCell(b, c, [down])]
    assert [run_set(run) for run in merge_runs(cells)] == [I.open(0, 1), I.Ropen(1, 2)]  # [1, 2): closed at the point


def test_run_and_runs_sets_with_algebraic_ends():
    s = RealAlgebraic(sympy.sqrt(2))
    one = RealAlgebraic(1)
    assert run_set([DeltaCell(one, one, []), DeltaCell(one, s, [])]) == I.Ropen(1, sympy.sqrt(2))
    assert run_set([DeltaCell(s, s, [])]) == sympy.FiniteSet(sympy.sqrt(2))
    assert runs_to_set([]) == sympy.EmptySet
    assert runs_to_set([[pt(0)], [DeltaCell(one, s, [])]]) == sympy.Union(sympy.FiniteSet(0), I.open(1, sympy.sqrt(2)))


def test_true_runs_by_hand():
    cells = [pt(k) for k in range(6)]
    runs = true_runs(cells, [True, True, False, True, False, True])
    assert [[c.lo.to_sympy() for c in run] for run in runs] == [[0, 1], [3], [5]]
    assert true_runs(cells, [False] * 6) == []


def test_polynomial_on_cell_rational_and_irrational_points():
    step = PiecewisePolynomial([1], [0, [0, 1]], [7])  # 0 before 1, 7 at 1, t after
    one, two = RealAlgebraic(1), RealAlgebraic(2)
    assert polynomial_on_cell(step, DeltaCell(one, one, [])) == fmpq_poly([7])
    assert polynomial_on_cell(step, DeltaCell(one, two, [])) == fmpq_poly([0, 1])
    assert polynomial_on_cell(step, pt(sympy.sqrt(2))) == fmpq_poly([0, 1])  # sqrt 2 > 1
    assert polynomial_on_cell(step, pt(sympy.sqrt(2) / 2)) == fmpq_poly()  # sqrt(2)/2 < 1
