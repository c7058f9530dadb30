"""Tests for symequi.strategies: exact values only, within the requested bounds."""

import random
from fractions import Fraction

import hypothesis

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import symequi.strategies as ses
from symequi.functions.continuous import x
from symequi.core.errors import InexactInputError, InvalidArgumentError
from symequi.functions.grid import Grid
from symequi.core.signal import Signal

FEW = settings(max_examples=40, deadline=None)


def find(strategy, condition):
    """The minimal example, deterministically (fixed seed, no example database)."""
    return hypothesis.find(strategy, condition, settings=settings(database=None, max_examples=500),
                           random=random.Random(0))


def _is_exact_rational(value) -> bool:
    return isinstance(value, sympy.Rational) and not isinstance(value, sympy.Float)


# --- rationals ----------------------------------------------------------------------------
@FEW
@given(ses.rationals(min_value="-3/2", max_value=2, max_denominator=6))
def test_rationals_are_exact_and_within_bounds(q):
    assert _is_exact_rational(q)
    assert Fraction(-3, 2) <= Fraction(int(q.p), int(q.q)) <= 2
    assert q.q <= 6


@FEW
@given(ses.rationals(max_denominator=None, min_value=0))
def test_rationals_unbounded_denominator_one_sided(q):
    assert _is_exact_rational(q) and q >= 0


def test_rationals_shrink_to_small_denominators_near_zero():
    assert find(ses.rationals(), lambda q: q > 3) == 4
    assert find(ses.rationals(min_value=-4, max_value=4), lambda q: 0 < q < 1) == sympy.Rational(1, 2)


@pytest.mark.parametrize("kwargs, words", [
    ({"min_value": 2, "max_value": 1}, "min_value=2 must be <= max_value=1"),
    ({"min_value": "1/3", "max_denominator": 2}, "denominator 3 > max_denominator=2"),
    ({"max_denominator": 0}, "max_denominator=0 must be >= 1"),
    ({"min_value": "sqrt(2)"}, "not a rational"),
])
def test_rationals_validate_arguments(kwargs, words):
    with pytest.raises(InvalidArgumentError, match=words.replace("(", r"\(")):
        ses.rationals(**kwargs)


def test_rationals_refuse_float_bounds():
    with pytest.raises(InexactInputError, match="max_value=0.1"):
        ses.rationals(max_value=0.1)


# --- rational shifts ------------------------------------------------------------------------
@FEW
@given(ses.rational_shifts(min_value=-2, max_value=2, max_denominator=4, exclude_integers=True))
def test_sub_cell_shifts_exclude_integers(s):
    assert _is_exact_rational(s)
    assert -2 <= s <= 2 and s.q in (2, 3, 4)


@FEW
@given(ses.rational_shifts())
def test_default_shifts_in_unit_interval(s):
    assert _is_exact_rational(s) and -1 <= s <= 1 and s.q <= 8


def test_shift_with_no_room_for_a_non_integer_is_refused():
    with pytest.raises(InvalidArgumentError, match="holds no non-integer"):
        ses.rational_shifts(min_value=1, max_value=1, exclude_integers=True)
    # [0, 1/3] holds 1/3 (denominator 3) but no non-integer of denominator <= 2... and
    # its bound needs max_denominator >= 3 anyway; with 3 the only non-integer is 1/3.
    assert find(ses.rational_shifts(min_value=0, max_value="1/3", max_denominator=3,
                                    exclude_integers=True), lambda s: True) == sympy.Rational(1, 3)


def test_shift_bounds_required():
    with pytest.raises(InvalidArgumentError, match="both be given"):
        ses.rational_shifts(min_value=None)


def test_shifts_shrink_to_half_cell():
    assert find(ses.rational_shifts(exclude_integers=True), lambda s: s < 0) == sympy.Rational(-1, 2)


# --- signals and kernels -----------------------------------------------------------------------
@FEW
@given(ses.signals((2, 3)))
def test_default_signals_are_rational_and_bounded(u):
    assert isinstance(u, Signal) and u.shape == (2, 3) and u.domain == "QQ"
    for row in u.to_fractions():
        for v in row:
            assert isinstance(v, Fraction) and -4 <= v <= 4 and v.denominator <= 16


@FEW
@given(ses.signals(5, elements=st.integers(-1, 1)))
def test_signals_from_integer_elements(u):
    assert u.shape == (5,) and all(v in (-1, 0, 1) for v in u.to_fractions())


def test_signals_with_symbolic_elements_are_EX():
    u = find(ses.signals(2, elements=st.just(sympy.sqrt(2))), lambda u: True)
    assert u.domain == "EX" and u[0] == sympy.sqrt(2)


def test_signals_refuse_float_elements():
    with pytest.raises(InexactInputError, match="float"):
        find(ses.signals(2, elements=st.floats(0, 1)), lambda u: True)


@pytest.mark.parametrize("shape", [0, (), (2, 0), 1.5, "3"])
def test_signals_validate_shape(shape):
    with pytest.raises(InvalidArgumentError):
        ses.signals(shape)


def test_signals_validate_elements():
    with pytest.raises(InvalidArgumentError, match="elements=.*Hypothesis strategy"):
        ses.signals(3, elements=[1, 2])


def test_signals_shrink_to_mostly_zero():
    assert find(ses.signals(4), lambda u: u[2] < 0) == Signal([0, 0, -1, 0])


def test_default_signals_reach_every_rational_of_the_class():
    # the byte decoding is onto: every p/d with d <= 16 and |p/d| <= 4 comes from some pair
    # of bytes (enumerated here), and nothing outside the class does
    from symequi.strategies import _decode_entries

    reached = {Fraction(v[0]) for v in (_decode_entries(bytes([b0, b1]), (1,)).to_fractions()
                                        for b0 in range(256) for b1 in range(256))}
    expected = {Fraction(p, d) for d in range(1, 17) for p in range(-4 * d, 4 * d + 1)}
    assert reached == expected


def test_default_signals_shrink_to_small_witnesses():
    # a sum condition: the minimal witness uses the fewest, simplest nonzero entries
    found = find(ses.signals(8), lambda u: sum(u.to_fractions()) >= 3)
    values = found.to_fractions()
    assert sum(values) == 3 and all(v.denominator == 1 for v in values)
    assert sum(v != 0 for v in values) == 1


@FEW
@given(ses.kernels(min_size=2, max_size=4))
def test_kernels_sizes_and_entries(k):
    assert 2 <= len(k) <= 4
    assert all(_is_exact_rational(a) and -2 <= a <= 2 and a.q <= 4 for a in k)


def test_kernels_validate_sizes():
    with pytest.raises(InvalidArgumentError, match="max_size=1 must be >= min_size=2"):
        ses.kernels(min_size=2, max_size=1)
    with pytest.raises(InvalidArgumentError, match="min_size"):
        ses.kernels(min_size=0)


# --- continuous functions ---------------------------------------------------------------------
GRID = Grid(-1, 1, 4)


def _breakpoints(f):
    """The points b of every step H(x - b) = Piecewise((1, x > b), (0, True)) in f."""
    points = []
    for pw in f.atoms(sympy.Piecewise):
        (one, cond), (zero, default) = pw.args
        assert (one, zero, default) == (1, 0, True)
        # H(0) = 0: the step is a strict inequality x > b.
        assert isinstance(cond, sympy.StrictGreaterThan) and cond.lhs == x
        points.append(cond.rhs)
    return sorted(points)


def _piece_left_of(f, b):
    """f on the interval just left of b: steps at c < b are on, steps at c >= b off."""
    return f.replace(lambda e: isinstance(e, sympy.Piecewise),
                     lambda pw: sympy.Integer(1 if pw.args[0][1].rhs < b else 0))


@FEW
@given(ses.piecewise_polynomials(GRID, max_degree=2, max_pieces=3))
def test_piecewise_polynomials_are_exact_with_breakpoints_inside(f):
    assert f.free_symbols <= {x} and not f.has(sympy.Float) and not f.has(sympy.Heaviside)
    cuts = _breakpoints(f)
    assert len(cuts) <= 2
    for b in cuts:
        assert _is_exact_rational(b) and -1 < b < 1
        # H(0) = 0: at a breakpoint f takes the value of the piece on its left.
        assert f.subs(x, b) == _piece_left_of(f, b).subs(x, b)
    for b in cuts + [sympy.Integer(2)]:
        piece = sympy.Poly(sympy.expand(_piece_left_of(f, b)), x)
        assert piece.degree() <= 2 and all(_is_exact_rational(c) for c in piece.all_coeffs())


@FEW
@given(ses.step_functions(GRID, max_steps=3))
def test_step_functions_are_exact_steps_inside_grid(f):
    assert not f.has(sympy.Float)
    cuts = _breakpoints(f)
    assert len(cuts) <= 3 and all(-1 < b < 1 for b in cuts)
    # breakpoints are a + (b - a) t with t of denominator <= 4 n = 16
    assert all(((b + 1) / 2).q <= 16 for b in cuts)
    values = [f.subs(x, t) for t in (sympy.Rational(-3, 2), *cuts, sympy.Rational(3, 2))]
    assert all(_is_exact_rational(v) for v in values)


def test_step_function_shrinks_to_single_unit_step():
    f = find(ses.step_functions(GRID), lambda f: f.subs(x, 1) != f.subs(x, -1))
    assert len(_breakpoints(f)) == 1
    assert abs(f.subs(x, 1) - f.subs(x, -1)) == 1
    assert _breakpoints(f) == [0]  # breakpoints shrink to the midpoint first


def test_function_strategies_validate_grid():
    L = sympy.Symbol("L", positive=True)
    with pytest.raises(InvalidArgumentError, match="rational endpoints"):
        ses.step_functions(Grid(0, L, 4))
    with pytest.raises(InvalidArgumentError, match="1-D symequi.Grid"):
        ses.piecewise_polynomials((0, 1))
    with pytest.raises(InvalidArgumentError, match="max_degree"):
        ses.piecewise_polynomials(GRID, max_degree=-1)
    with pytest.raises(InvalidArgumentError, match="max_pieces"):
        ses.piecewise_polynomials(GRID, max_pieces=0)
    with pytest.raises(InvalidArgumentError, match="heights"):
        ses.step_functions(GRID, heights="1/2")


def test_type_registration_makes_from_type_work():
    from hypothesis import given, settings, strategies as st

    import symequi as se
    from symequi.strategies import register_type_strategies

    register_type_strategies()  # what Hypothesis's entry point calls on import
    seen = []

    @settings(max_examples=25, database=None, deadline=None)
    @given(st.from_type(se.Signal), st.from_type(se.Convolution))
    def check(u, conv):
        assert isinstance(u, se.Signal) and 1 <= len(u) <= 8
        assert all(v.is_Rational for v in u.flat_exprs())
        assert isinstance(conv, se.Convolution) and conv.padding == "periodic"
        seen.append(len(u))

    check()
    assert len(seen) == 25 and len(set(seen)) > 1
