"""Exact grids: symequi/grid.py."""

from fractions import Fraction

import numpy as np
import pytest
import sympy
from sympy import Rational as R

from symequi.core.budget import get_time_budget, set_time_budget
from symequi.core.errors import InexactInputError, InvalidArgumentError
from symequi.functions.grid import Grid, ProductGrid


def test_edges_and_centers_are_exact():
    g = Grid(-1, 1, 4)
    assert g.dx == R(1, 2)
    assert g.edges == (-1, R(-1, 2), 0, R(1, 2), 1)
    assert g.centers == (R(-3, 4), R(-1, 4), R(1, 4), R(3, 4))
    assert g.size == 4 and g.shape == (4,) and g.ndim == 1 and g.axes == (g,)
    assert g.length == 2 and not g.is_symbolic
    assert g.cell(1) == (R(-1, 2), 0)
    assert all(isinstance(e, sympy.Rational) for e in g.edges + g.centers)


def test_thirds_against_fractions():
    g = Grid("1/3", 2, 5)
    dx = (Fraction(2) - Fraction(1, 3)) / 5  # = 1/3, computed independently
    assert g.dx == R(dx.numerator, dx.denominator)
    expected_edges = [Fraction(1, 3) + j * dx for j in range(6)]
    assert [Fraction(int(e.p), int(e.q)) for e in g.edges] == expected_edges
    expected_centers = [Fraction(1, 3) + (j + Fraction(1, 2)) * dx for j in range(5)]
    assert [Fraction(int(c.p), int(c.q)) for c in g.centers] == expected_centers


def test_dyadic_grid_matches_numpy_linspace():
    # dyadic endpoints and n a power of two: linspace is exact in binary
    g = Grid(-2, 2, 8)
    assert [float(e) for e in g.edges] == np.linspace(-2, 2, 9).tolist()
    assert [sympy.Rational(v) for v in np.linspace(-2, 2, 9).tolist()] == list(g.edges)


def test_irrational_endpoints():
    g = Grid(0, "sqrt(2)", 2)
    assert g.dx == sympy.sqrt(2) / 2
    assert g.centers == (sympy.sqrt(2) / 4, 3 * sympy.sqrt(2) / 4)
    assert not g.is_symbolic


def test_symbolic_grids():
    L, dx = sympy.symbols("L dx", positive=True)
    g = Grid(0, L, L / dx)
    assert g.dx == dx
    assert g.is_symbolic
    j = sympy.Symbol("j", integer=True)
    assert g.edge(j) == j * dx
    assert sympy.simplify(g.center(j) - (j + R(1, 2)) * dx) == 0
    assert g.cell(j) == (j * dx, (j + 1) * dx)
    N = sympy.Symbol("N", positive=True, integer=True)
    h = Grid(0, 1, N)
    assert h.dx == 1 / N and h.is_symbolic
    with pytest.raises(InvalidArgumentError, match="symbolic cell count n=N"):
        h.size
    with pytest.raises(InvalidArgumentError, match="symbolic cell count"):
        h.edges
    a = sympy.Symbol("a", real=True)
    assert Grid(a, a + 1, 2).centers == (a + R(1, 4), a + R(3, 4))


def test_from_spacing():
    g = Grid.from_spacing(0, "1/4", 4)
    assert (g.a, g.b, g.n, g.dx) == (0, 1, 4, R(1, 4))
    assert Grid.from_spacing(-1, R(1, 3), 6) == Grid(-1, 1, 6)
    for bad in (0, -1, "-1/2"):
        with pytest.raises(InvalidArgumentError, match="dx="):
            Grid.from_spacing(0, bad, 4)
    with pytest.raises(InexactInputError, match="dx="):
        Grid.from_spacing(0, 0.25, 4)


@pytest.mark.parametrize(
    ("args", "name"),
    [
        ((0, 1, 0), "n="),
        ((0, 1, -3), "n="),
        ((0, 1, "3/2"), "n="),
        ((0, 1, "sqrt(2)"), "n="),
        ((0, 1, 2.0), "n="),
        ((0, 1, True), "n="),
        ((0, 1, sympy.Symbol("N", negative=True)), "n="),
        ((1, 1, 2), "a=1 and b=1 must satisfy a < b"),
        ((2, 1, 2), "a=2 and b=1 must satisfy a < b"),
        ((0.0, 1, 2), "a="),
        ((0, 1.5, 2), "b="),
        (("x +* 1", 1, 2), "a="),
    ],
)
def test_bad_grids_name_the_argument(args, name):
    with pytest.raises(InvalidArgumentError) as info:
        Grid(*args)
    assert name in str(info.value)


def test_float_endpoints_are_inexact_errors():
    with pytest.raises(InexactInputError, match=r"a=0.1 .*from_float"):
        Grid(0.1, 1, 2)


def test_a_float_cell_count_asks_for_an_int_not_a_fraction():
    # the generic float hint ("pass a string such as '0.5'") would lead to a second error here
    for n in (0.5, 4.0, np.float64(3.0)):
        with pytest.raises(InexactInputError, match=r"the number of cells is a positive int such as 4") as err:
            Grid(0, 1, n)
        assert "string" not in str(err.value)


def test_equality_and_hash():
    assert Grid(0, 1, 2) == Grid("0", "1", np.int64(2))
    assert hash(Grid(0, 1, 2)) == hash(Grid(0, Fraction(2, 2), 2))
    assert Grid(0, 1, 2) != Grid(0, 1, 3)
    assert Grid(0, 1, 2) != "Grid(0, 1, 2)"
    assert repr(Grid(0, R(1, 2), 3)) == "Grid(0, 1/2, 3)"


def test_product_grid():
    gx, gy = Grid(0, 1, 2), Grid(0, 2, 1)
    g = gx * gy
    assert isinstance(g, ProductGrid)
    assert g == ProductGrid(gx, gy)
    assert hash(g) == hash(ProductGrid(gx, gy))
    assert g.axes == (gx, gy) and g.ndim == 2 and g.shape == (2, 1)
    assert g.dx == (R(1, 2), 2)
    assert g.cell((1, 0)) == ((R(1, 2), 1), (0, 2))
    assert g.center((0, 0)) == (R(1, 4), 1)
    assert not g.is_symbolic
    g3 = g * Grid(-1, 1, 4)
    assert g3.shape == (2, 1, 4)
    assert (gx * (gy * gx)).shape == (2, 1, 2)
    assert repr(g) == "Grid(0, 1, 2) * Grid(0, 2, 1)"
    N = sympy.Symbol("N", positive=True, integer=True)
    assert (gx * Grid(0, 1, N)).is_symbolic


def test_product_grid_errors():
    g = Grid(0, 1, 2) * Grid(0, 1, 2)
    for bad in ((1,), (1, 0, 0), 1):
        with pytest.raises(InvalidArgumentError, match="index="):
            g.cell(bad)
        with pytest.raises(InvalidArgumentError, match="index="):
            g.center(bad)
    with pytest.raises(InvalidArgumentError, match="axes="):
        ProductGrid()
    with pytest.raises(InvalidArgumentError, match="axes="):
        ProductGrid(Grid(0, 1, 2), (0, 1, 2))
    with pytest.raises(TypeError):
        Grid(0, 1, 2) * 3


def test_symbolic_grid_survives_a_simplification_budget_running_out():
    # the cell width is only tidied by sympy.simplify; when that runs out of budget the
    # untidied (still exact) expression is kept instead of failing
    a, b = sympy.symbols("a b", real=True)
    old = get_time_budget()
    try:
        set_time_budget(1e-9)
        g = Grid(a, a + (b - a) ** 2 + 1, 4)
    finally:
        set_time_budget(old)
    assert sympy.expand(g.dx - ((b - a) ** 2 + 1) / 4) == 0
