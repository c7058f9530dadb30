"""Tests for symequi.delta.pixels: the pixels of D(f(x - delta)) as piecewise polynomials in delta.

Expectations: hand computations, and an independent algorithm (the discretization
applied to the translated function at one rational delta at a time).
"""

from __future__ import annotations

import sympy
from flint import fmpq, fmpq_poly
from hypothesis import given, settings
from hypothesis import strategies as st

from symequi.functions.continuous import heaviside, translate, x
from symequi.delta.pixels import initial_cells, pixel_functions
from symequi.functions.discretize import CellAverage, CellIntegral, PointSample
from symequi.functions.grid import Grid
from symequi.functions.piecewise import PiecewisePolynomial

R = sympy.Rational
GRID = Grid(-1, 1, 4)  # edges -1, -1/2, 0, 1/2, 1
F = x**2 * heaviside(x) - heaviside(x - R(1, 3))
PP = PiecewisePolynomial.from_expr(F, x)
DISCS = {"average": CellAverage(GRID), "integral": CellIntegral(GRID), "centers": PointSample(GRID),
         "left": PointSample(GRID, at="left")}


def test_translated_heaviside_by_hand():
    # cell j = [e_j, e_j + 1/2]; average of H(x - d) = clamp((e_{j+1} - d) / (1/2), 0, 1)
    pixels = pixel_functions(PiecewisePolynomial.from_expr(heaviside(x), x), CellAverage(GRID))
    assert [p(R(1, 4)) for p in pixels] == [0, 0, fmpq(1, 2), 1]
    # pixel 2: e_3 = 1/2, so 1 - 2d on (0, 1/2); pixel 3: e_4 = 1, so 2 - 2d on (1/2, 1)
    assert pixels[2].breakpoints == (0, fmpq(1, 2)) and pixels[2].pieces[1] == fmpq_poly([1, -2])
    assert pixels[3].breakpoints == (fmpq(1, 2), 1) and pixels[3].pieces[1] == fmpq_poly([2, -2])
    assert pixels[0].pieces[0] == fmpq_poly([1]) and pixels[0].pieces[2] == fmpq_poly()


@settings(max_examples=40, deadline=None)
@given(st.fractions(min_value=-2, max_value=2, max_denominator=24), st.sampled_from(sorted(DISCS)))
def test_pixels_agree_with_the_discretization_of_the_translate(d, name):
    disc = DISCS[name]
    value = R(d.numerator, d.denominator)
    direct = disc(translate(F, value)).to_list()
    assert [R(int(q.p), int(q.q)) for q in (p(fmpq(d.numerator, d.denominator)) for p in pixel_functions(PP, disc))] == direct


def test_initial_cells_by_hand():
    pixels = pixel_functions(PiecewisePolynomial.from_expr(heaviside(x), x), CellAverage(GRID))
    # breakpoints in delta: -1, -1/2, 0, 1/2, 1 (and beyond); inside (0, 1) only 1/2
    cells = initial_cells(pixels, fmpq(0), fmpq(1))
    assert [(c.point, c.lo.to_sympy(), c.hi.to_sympy()) for c in cells] == [
        (True, 0, 0), (False, 0, R(1, 2)), (True, R(1, 2), R(1, 2)), (False, R(1, 2), 1), (True, 1, 1)]
    assert cells[0].polys == [fmpq_poly([v]) for v in (0, 0, 1, 1)]
    assert cells[1].polys == [fmpq_poly(), fmpq_poly(), fmpq_poly([1, -2]), fmpq_poly([1])]
    assert cells[3].polys[3] == fmpq_poly([2, -2])
    single = initial_cells(pixels, fmpq(1, 4), fmpq(1, 4))
    assert len(single) == 1 and single[0].point and single[0].polys[2] == fmpq_poly([fmpq(1, 2)])
