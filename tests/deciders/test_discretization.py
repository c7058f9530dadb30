"""The discretization square (symequi.deciders.discretization), the paper's eq. (5).

Independent expectations: cell averages computed here with sympy.integrate
cell by cell (discretize.py uses its own python-flint path), hand-computed
cell averages for the paper's witness, point samples by substitution, and the
Dirichlet-kernel formula of band-limited interpolation at 50 digits (mpmath).
"""

import mpmath
import pytest
import sympy
from hypothesis import given, settings
from sympy.polys.matrices import DomainMatrix
from hypothesis import strategies as st

from symequi.functions.continuous import heaviside, translate, x
from symequi.deciders.discretization import DiscretizationProblem, decide_discretization
from symequi.functions.discretize import CellAverage, PointSample
from symequi.core.errors import InvalidArgumentError
from symequi.functions.function_classes import PiecewiseConstant, Polynomials, Span, TrigPolynomials
from symequi.functions.grid import Grid
from symequi.deciders.linear import MatrixOperator
from symequi.core.signal import Signal
from symequi.core.zero import zero_test

R = sympy.Rational
GRID = Grid(-1, 1, 4)                      # the paper's grid: dx = 1/2
PAPER_CLASS = PiecewiseConstant([R(-1, 2), R(-1, 4), 0, R(1, 2)], (-1, 1))   # a break inside cell 1


def averages(f, grid):
    """Cell averages by sympy integration, cell by cell (independent of discretize.py)."""
    return [sympy.simplify(sympy.integrate(f, (x, lo, hi)) / grid.dx)
            for lo, hi in (grid.cell(j) for j in range(grid.size))]


def test_paper_piecewise_constant_class_has_no_g():
    v = decide_discretization(CellAverage(GRID), GRID.dx / 2, PAPER_CLASS)
    assert v.kind == "counterexample" and v.decider == "linear"
    f1, f2 = v.functions["f1"], v.functions["f2"]
    # by hand: the witness pair is the indicators of (-1/2, -1/4] and (-1/4, 0] (in some order);
    # both have cell averages [0, 1/2, 0, 0] (a quarter-length piece in a half-length cell)
    assert {f1.subs(x, R(-3, 8)), f1.subs(x, R(-1, 8))} == {0, 1}
    assert {f2.subs(x, R(-3, 8)), f2.subs(x, R(-1, 8))} == {0, 1}
    assert v.input == Signal([0, R(1, 2), 0, 0])
    assert averages(f1, GRID) == averages(f2, GRID) == [0, R(1, 2), 0, 0]
    # translated by 1/4: (-1/2, -1/4] -> (-1/4, 0] stays in cell 1, (-1/4, 0] -> (0, 1/4] moves to cell 2
    assert {tuple(v.lhs.to_list()), tuple(v.rhs.to_list())} == {(0, R(1, 2), 0, 0), (0, 0, R(1, 2), 0)}
    assert averages(translate(f1, R(1, 4)), GRID) == v.lhs.to_list()
    assert averages(translate(f2, R(1, 4)), GRID) == v.rhs.to_list()


def test_paper_case_as_a_span_of_steps():
    # the same two indicators, built by the user with heaviside (H(0) = 0)
    left = heaviside(x + R(1, 2)) - heaviside(x + R(1, 4))
    right = heaviside(x + R(1, 4)) - heaviside(x)
    v = decide_discretization(CellAverage(GRID), R(1, 4), Span([left, right]))
    assert v.kind == "counterexample"
    assert v.input == Signal([0, R(1, 2), 0, 0])
    assert v.lhs != v.rhs


def test_symbolic_delta_over_an_open_interval():
    s = sympy.Symbol("s", real=True)
    v = decide_discretization(CellAverage(GRID), s * GRID.dx, PAPER_CLASS, assume={s: (0, 1)})
    assert v.kind == "counterexample"
    assert v.details["exceptional_set"] == sympy.S.EmptySet
    # by hand, for 0 < s <= 1/2 the translated averages differ by +-(0, -s, s, 0)
    diff = v.difference.subs(s, R(1, 4)).to_list()
    assert diff in ([0, R(-1, 4), R(1, 4), 0], [0, R(1, 4), R(-1, 4), 0])


def test_symbolic_delta_on_the_closed_interval_has_exceptional_endpoints():
    # at s = 0 (no translation) and s = 1 (one whole cell) the witness vanishes
    s = sympy.Symbol("s", real=True)
    v = decide_discretization(CellAverage(GRID), s * GRID.dx, PAPER_CLASS,
                              assume=(s >= 0) & (s <= 1))
    assert v.kind == "counterexample"
    assert v.details["exceptional_set"] == sympy.FiniteSet(0, 1)
    # the refutation is proved at a concrete s, not read off solveset: at s = 1/2 (delta = 1/4)
    # the paper's witness by hand: same pixels [0, 1/2, 0, 0], translated pixels differ
    assert "proved exactly at s = 1/2" in v.details["refutes"]
    f1, f2 = v.functions["f1"], v.functions["f2"]
    assert averages(f1, GRID) == averages(f2, GRID) == [0, R(1, 2), 0, 0]
    assert {tuple(averages(translate(f, R(1, 4)), GRID)) for f in (f1, f2)} == {
        (0, R(1, 2), 0, 0), (0, 0, R(1, 2), 0)}
    assert v.difference.subs(s, 0) == Signal([0, 0, 0, 0]) == v.difference.subs(s, 1)


def test_polynomials_with_more_cells_than_degree_have_a_g():
    grid = Grid(0, 1, 4)
    delta = R(1, 3)
    v = decide_discretization(CellAverage(grid), delta, Polynomials(2))
    assert v.kind == "proved" and v.details["kernel_dimension"] == 0
    g = v.details["g"]
    assert isinstance(g, MatrixOperator)
    for f in (1, x, x**2 - 3 * x + 1, R(7, 2) * x**2 + R(1, 5)):
        pixels = Signal(averages(f, grid))
        moved = Signal(averages(translate(f, delta), grid))
        assert g(pixels) == moved


@settings(max_examples=15, deadline=None)
@given(st.lists(st.fractions(-4, 4, max_denominator=5), min_size=3, max_size=3),
       st.fractions(-2, 2, max_denominator=7))
def test_polynomial_g_property(coeffs, delta):
    grid = Grid(-1, 1, 5)
    v = decide_discretization(CellAverage(grid), delta, Polynomials(2))
    f = sum(R(c.numerator, c.denominator) * x**k for k, c in enumerate(coeffs))
    d = R(delta.numerator, delta.denominator)
    assert v.details["g"](Signal(averages(f, grid))) == Signal(averages(translate(f, d), grid))


def test_polynomials_with_too_few_cells_have_no_g():
    grid = Grid(0, 1, 2)
    v = decide_discretization(CellAverage(grid), R(1, 3), Polynomials(2))
    assert v.kind == "counterexample"
    f1, f2 = v.functions["f1"], v.functions["f2"]
    assert averages(f1, grid) == averages(f2, grid)
    assert averages(translate(f1, R(1, 3)), grid) != averages(translate(f2, R(1, 3)), grid)


def test_symbolic_delta_for_polynomials_gives_a_symbolic_g():
    s = sympy.Symbol("s", real=True)
    grid = Grid(0, 1, 3)
    v = decide_discretization(CellAverage(grid), s / 3, Polynomials(1), assume={s: (0, 1)})
    assert v.kind == "proved"
    g = v.details["g"]
    f = 2 * x + 1
    got = g(Signal(averages(f, grid)))
    expected = Signal(averages(translate(f, s / 3), grid))
    assert (got - expected).map(sympy.expand) == Signal([0, 0, 0])


def dirichlet_shift(n, shift_cells, degree):
    """Band-limited interpolation shift, from the Fourier series (mpmath, 50 digits)."""
    mpmath.mp.dps = 50
    return [[sum(mpmath.cos(2 * mpmath.pi * m * (j - k - shift_cells) / n) for m in range(-degree, degree + 1)) / n
             for k in range(n)] for j in range(n)]


def test_band_limited_point_samples_have_the_fourier_shift():
    n, degree = 5, 2
    grid = Grid(0, 2, n)                                   # period 2, dx = 2/5
    delta = R(1, 3)                                        # 5/6 of a cell
    v = decide_discretization(PointSample(grid), delta, TrigPolynomials(degree, 2))
    assert v.kind == "proved"
    # g is recognized as the built-in Fourier shift by 5/6 cell and shown by that name
    assert v.details["g_is"].startswith("g = FourierShift(s=5/6, method='fourier', boundary='periodic'): ")
    G = v.details["g"].matrix(n).to_Matrix()
    mpmath.mp.dps = 50
    expected = dirichlet_shift(n, mpmath.mpf(5) / 6, degree)
    for j in range(n):
        for k in range(n):
            assert abs(sympy.N(G[j, k], 50) - expected[j][k]) < mpmath.mpf(10) ** -40
    # and it is the project's Fourier shift, exactly (checked in the algebraic field QQ<...>)
    # independently: G maps the samples of each basis function 1, cos, sin (period 2) to the
    # samples of its translate, G M = M_delta (M is invertible, so this determines G), exactly
    basis = [sympy.Integer(1)] + [f(k * sympy.pi * x) for k in (1, 2) for f in (sympy.cos, sympy.sin)]
    centers = [(j + R(1, 2)) * R(2, n) for j in range(n)]
    M = sympy.Matrix([[b.subs(x, c) for b in basis] for c in centers])
    M_delta = sympy.Matrix([[b.subs(x, c - delta) for b in basis] for c in centers])
    assert M.rank() == n
    X = sympy.Symbol("X")
    for entry in (G * M - M_delta).applyfunc(lambda e: sympy.expand(e.rewrite(sympy.exp))):
        assert sympy.minimal_polynomial(entry, X) == X  # an algebraic number with minimal polynomial X is 0
    assert "equals it as a matrix" in v.details["fourier"]


def test_even_grid_g_agrees_with_fourier_shift_on_the_class():
    # N = 4 samples, degree 1 < N/2: g is unique on range(M) (the class's samples) only
    grid = Grid(0, 2, 4)
    v = decide_discretization(PointSample(grid), R(1, 4), TrigPolynomials(1, 2))
    assert v.kind == "proved"
    g = v.details["g"]
    from symequi import translations
    assert "agrees with the band-limited shift" in v.details["fourier"]
    # the Nyquist mode: F_s scales it by cos(pi s) = 0 for s = 1/2, and g = M_delta M^+ is zero there,
    # so here g is exactly the Fourier shift by half a cell, and named so
    assert v.details["g_is"].startswith("g = FourierShift(s=1/2, ")
    fourier = translations.shift(R(1, 2), method="fourier")      # 1/4 = half a cell
    for f in (sympy.cos(sympy.pi * x), sympy.sin(sympy.pi * x) + 3, 2 * sympy.cos(sympy.pi * x) - sympy.sin(sympy.pi * x)):
        pixels = Signal([f.subs(x, c) for c in grid.centers])
        moved = Signal([translate(f, R(1, 4)).subs(x, c) for c in grid.centers])
        assert g(pixels) == moved
        assert fourier(pixels) == moved


def test_band_limited_cell_averages_have_a_g():
    # the paper's advection example: f0 = sin(2 pi x / L) on N = 4 cells, L = 1; on the class of
    # trig polynomials of degree 1 a g exists (the class is 3-dimensional and D is injective on it)
    grid = Grid(0, 1, 4)
    delta = R(1, 8)                                        # half a cell
    v = decide_discretization(CellAverage(grid), delta, TrigPolynomials(1, 1))
    assert v.kind == "proved" and v.details["kernel_dimension"] == 0
    from symequi.core.zero import is_zero

    f = sympy.sin(2 * sympy.pi * x)
    got = v.details["g"](Signal(averages(f, grid)))
    expected = averages(translate(f, delta), grid)
    assert all(is_zero(p - q) for p, q in zip(got.to_list(), expected))


def test_undecided_when_the_budget_runs_out():
    v = decide_discretization(CellAverage(GRID), R(1, 4), PAPER_CLASS, budget=1e-3)
    assert v.kind == "undecided" and "budget" in v.reason


def test_a_layer_passed_as_the_discretization_is_refused_with_a_clear_message():
    from symequi.layers.activations import ReLU

    with pytest.raises(InvalidArgumentError, match="must be a discretization.*CellAverage"):
        decide_discretization(ReLU(), R(1, 3), Polynomials(2))


def test_problem_dataclass_and_validation():
    p = DiscretizationProblem(CellAverage(GRID), R(1, 4), PAPER_CLASS)
    assert p.decide().kind == "counterexample"
    s, t = sympy.symbols("s t", real=True)
    with pytest.raises(InvalidArgumentError):
        decide_discretization("not callable", 1, Polynomials(1))
    with pytest.raises(InvalidArgumentError):
        decide_discretization(CellAverage(GRID), 1, [1, x])
    with pytest.raises(InvalidArgumentError):
        decide_discretization(CellAverage(GRID), s + t, Polynomials(1))
    with pytest.raises(InvalidArgumentError):
        decide_discretization(CellAverage(GRID), R(1, 2), Polynomials(1), assume={s: (0, 1)})
    with pytest.raises(InvalidArgumentError):
        decide_discretization(CellAverage(GRID), s, Polynomials(1), assume={t: (0, 1)})
    with pytest.raises(InvalidArgumentError):
        decide_discretization(CellAverage(GRID), 0.5, Polynomials(1))


def test_a_constructed_g_that_is_no_built_in_translation_is_not_named():
    # cell averages of polynomials of degree <= 1 on 3 interior-free cells: g exists but the
    # pseudo-inverse construction is zero off range(M), which no periodic built-in shift is
    grid = Grid(0, 1, 3)
    v = decide_discretization(CellAverage(grid), R(1, 6), Polynomials(1))
    if v.kind == "proved":
        assert "g_is" not in v.details


def test_a_constructed_g_is_shown_in_cyclotomic_form_by_hand():
    # PointSample at cell centres x_j = (j + 1/2) 2 pi/5 on TrigPolynomials(1) = span{1, cos x, sin x},
    # delta = dx/2 = pi/5.  M (5 x 3) has orthogonal columns, M^T M = diag(5, 5/2, 5/2), so
    # g = M_delta M^+ = M_delta diag(1/5, 2/5, 2/5) M^T:
    #   g_ij = 1/5 + 2/5 (cos(x_i - delta) cos x_j + sin(x_i - delta) sin x_j) = 1/5 + 2/5 cos(pi (2(i - j) - 1)/5).
    # Not the Fourier shift (zero off range(M)), so no built-in name; the entries lie in Q(zeta_10) = Q(zeta_5).
    from symequi.arith.exact_forms import ExactForm
    from tests.arith.test_exact_forms import assert_text_equals   # the tests' own parser of the text

    grid = Grid(0, 2 * sympy.pi, 5)
    v = decide_discretization(PointSample(grid), grid.dx / 2, TrigPolynomials(1, period=2 * sympy.pi))
    assert v.kind == "proved" and "g_is" not in v.details
    g = v.details["g"]
    assert "zeta_M = exp(2 pi i/M)" in v.details["g_entries"]
    shown = repr(g)
    assert "sqrt" not in shown and "zeta_5" in shown
    for i in range(5):
        for j in range(5):
            expected = R(1, 5) + R(2, 5) * sympy.cos(sympy.pi * (2 * (i - j) - 1) / 5)
            form = g.forms[i][j]
            assert isinstance(form, ExactForm) and form.text in shown
            assert_text_equals(form.text, expected)                      # exact zero test and 50 digits
            assert zero_test(sympy.expand(g.entries[i, j] - expected))[0] is True
    # the LaTeX of the verdict shows the same forms (zeta_5 powers, no radicals)
    assert r"\zeta_{5}^{2}" in g.latex() and "sqrt" not in g.latex() and r"\zeta_{5}^{2}" in v.latex()
    # the operator still acts as the constructed g: a sampled cos x moves by delta
    samples = Signal([sympy.cos(grid.center(j)) for j in range(5)])
    assert g(samples) == Signal([sympy.cos(grid.center(j) - grid.dx / 2) for j in range(5)])


def test_a_constructed_g_outside_cyclotomic_fields_is_shown_by_minimal_polynomials():
    # cell averages of linear functions on Grid(0, 1, 3), delta = cbrt(2)/6: entries in Q(cbrt 2)
    from tests.arith.test_exact_forms import parse_root

    v = decide_discretization(CellAverage(Grid(0, 1, 3)), sympy.cbrt(2) / 6, Polynomials(1))
    assert v.kind == "proved" and "g_is" not in v.details
    g = v.details["g"]
    kinds = {f.kind for row in g.forms for f in row}
    assert kinds == {"algebraic", "rational"}
    t = sympy.Symbol("t")
    for i, row_forms in enumerate(g.forms):
        for j, form in enumerate(row_forms):
            if form.kind != "algebraic":
                continue
            poly, lo, hi = parse_root(form.text)
            entry = g.entries[i, j]
            assert zero_test(sympy.expand(poly.as_expr().subs(t, entry)))[0] is True
            assert poly.count_roots(lo, hi) == 1
            assert lo < sympy.N(entry, 50) < hi
