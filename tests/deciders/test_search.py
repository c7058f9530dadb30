"""Tests for decider 3 (symequi.deciders.search): Hypothesis search for exact counterexamples.

The operators are small hand-written Operator subclasses, so each expected
value is recomputed here by hand with fractions.Fraction.
"""

import time
from fractions import Fraction

import pytest
import sympy
from hypothesis import strategies as st

import symequi.strategies as ses
from symequi.functions.continuous import x
from symequi.core.errors import InvalidArgumentError
from symequi.functions.grid import Grid
from symequi.core.operator import Operator, Sequential
from symequi.deciders.search import decide_search, search_discretization
from symequi.core.signal import Signal
from symequi.core.square import Square

from tests._operators import EntrywiseSquare, HalfShift, Relu, Roll

R = sympy.Rational


# --- hand-written operators (periodic boundary throughout): see tests/_operators.py ----------
class Conv2(Operator):
    """Periodic 2-tap convolution C_j = 2 u_j - 3 u_{j-1}."""
    is_linear = True

    def _apply(self, u):
        v = u.to_list()
        return Signal([2 * v[j] - 3 * v[j - 1] for j in range(len(v))])


class Slow(Operator):
    def _apply(self, u):
        time.sleep(0.02)
        return u


def _fractions(signal):
    return [Fraction(v) for v in signal.to_fractions()]


def _relu(v):
    return max(v, Fraction(0))


# --- counterexamples --------------------------------------------------------------------------
def test_relu_after_half_cell_shift_has_a_shrunk_exact_witness():
    verdict = decide_search(Square(Relu(), HalfShift(), input_shape=4), max_examples=100, seed=0)
    assert verdict.kind == "counterexample" and verdict.decider == "search"
    u = _fractions(verdict.input)
    n = len(u)
    # Both paths by hand: A(g(u)) = relu((u_{j-1} + u_j)/2), g(A(u)) = (relu(u_{j-1}) + relu(u_j))/2.
    lhs = [_relu((u[j - 1] + u[j]) / 2) for j in range(n)]
    rhs = [(_relu(u[j - 1]) + _relu(u[j])) / 2 for j in range(n)]
    assert lhs != rhs
    assert _fractions(verdict.lhs) == lhs
    assert _fractions(verdict.rhs) == rhs
    assert _fractions(verdict.difference) == [a - b for a, b in zip(lhs, rhs)]
    # Shrunk: the paths differ only where a positive and a negative entry meet, so a
    # minimal witness has exactly two nonzero neighbours, +1 and -1.
    assert sorted(v for v in u if v != 0) == [-1, 1]
    assert verdict.details["seed"] == 0 and verdict.details["examples"] >= 1
    assert verdict.details["shrink_steps"] >= 0


def test_witness_on_a_long_input_is_shrunk_to_two_small_entries():
    # N = 64: the search draws whole vectors; the shrinker must still reach a minimal witness
    verdict = decide_search(Square(Relu(), HalfShift(), input_shape=64), max_examples=100, seed=1)
    assert verdict.kind == "counterexample"
    u = _fractions(verdict.input)
    lhs = [_relu((u[j - 1] + u[j]) / 2) for j in range(64)]
    rhs = [(_relu(u[j - 1]) + _relu(u[j])) / 2 for j in range(64)]
    assert lhs != rhs and _fractions(verdict.difference) == [a - b for a, b in zip(lhs, rhs)]
    assert sorted(v for v in u if v != 0) == [-1, 1]


def test_search_is_deterministic_for_a_seed():
    square = Square(Relu(), HalfShift(), input_shape=6)
    first = decide_search(square, max_examples=60, seed=7)
    second = decide_search(square, max_examples=60, seed=7)
    assert first.kind == "counterexample"
    assert first == second and first.input == second.input
    assert first.details == second.details


def test_nonlinear_square_without_translation_symmetry():
    # x -> x^2 does not commute with the half shift: (a+b)^2/4 vs (a^2+b^2)/2.
    verdict = decide_search(Square(EntrywiseSquare(), HalfShift(), input_shape=3), max_examples=50)
    u = _fractions(verdict.input)
    lhs = [((u[j - 1] + u[j]) / 2) ** 2 for j in range(3)]
    rhs = [(u[j - 1] ** 2 + u[j] ** 2) / 2 for j in range(3)]
    assert _fractions(verdict.lhs) == lhs and _fractions(verdict.rhs) == rhs and lhs != rhs


def test_custom_strategy_is_used():
    strategy = ses.signals(4, elements=st.integers(-3, 3))
    verdict = decide_search(Square(Relu(), HalfShift(), input_shape=4), strategy=strategy)
    assert all(v.denominator == 1 and -3 <= v <= 3 for v in _fractions(verdict.input))


def test_strategy_of_wrong_shape_is_reported():
    with pytest.raises(InvalidArgumentError, match=r"shape \(3,\).*signals\(\(4,\)\)"):
        decide_search(Square(Relu(), Roll(), input_shape=4), strategy=ses.signals(3), max_examples=5)


# --- nothing found: Undecided, never Proved ---------------------------------------------------
@pytest.mark.parametrize("operator", [Sequential(Conv2(), Relu()), EntrywiseSquare()])
def test_commuting_square_is_undecided_not_proved(operator):
    verdict = decide_search(Square(operator, Roll(), input_shape=5), max_examples=40, seed=3)
    assert verdict.kind == "undecided" and not verdict.is_proved
    assert verdict.reason == "no counterexample in 40 examples (seed 3)"
    assert verdict.details == {"seed": 3, "examples": 40}
    assert verdict.decider == "search"


def test_fresh_seed_is_reported():
    verdict = decide_search(Square(Relu(), Roll(), input_shape=3), max_examples=5, seed=None)
    seed = verdict.details["seed"]
    assert isinstance(seed, int) and f"(seed {seed})" in verdict.reason


def test_time_budget_stops_early():
    start = time.monotonic()
    verdict = decide_search(Square(Slow(), Roll(), input_shape=3), max_examples=10_000, budget=0.3)
    assert time.monotonic() - start < 2
    assert verdict.kind == "undecided"
    reached = verdict.details["examples"]
    assert 1 <= reached < 10_000
    assert verdict.reason == (f"time budget of 0.3 s ran out after {reached} examples "
                              "with no counterexample (seed 0)")


def test_symbolic_entries_are_not_reported_without_a_certified_difference():
    # sqrt(3 + 2 sqrt(2)) == 1 + sqrt(2), though the two forms differ as expressions.
    class Denested(Operator):
        def _apply(self, u):
            return u.map(lambda v: v.subs(sympy.sqrt(3 + 2 * sympy.sqrt(2)), 1 + sympy.sqrt(2)))

    class Identity(Operator):
        is_linear = True

        def _apply(self, u):
            return u

    elements = st.just(sympy.sqrt(3 + 2 * sympy.sqrt(2)))
    square = Square(Identity(), Identity(), Denested(), input_shape=2)
    verdict = decide_search(square, strategy=ses.signals(2, elements=elements), max_examples=5)
    assert verdict.kind == "undecided"


@pytest.mark.parametrize("kwargs, words", [
    ({"max_examples": 0}, "max_examples=0 must be >= 1"),
    ({"seed": -1}, "seed=-1 must be a non-negative int"),
    ({"seed": 1.5}, "seed=1.5"),
    ({"budget": 0}, "budget=0 must be a positive number"),
    ({"strategy": [1, 2]}, "strategy=.*Hypothesis strategy"),
])
def test_decide_search_validates_arguments(kwargs, words):
    with pytest.raises(InvalidArgumentError, match=words):
        decide_search(Square(Relu(), Roll(), input_shape=3), **kwargs)


def test_decide_search_needs_a_square():
    with pytest.raises(InvalidArgumentError, match="square=.*Square"):
        decide_search(Relu())


# --- discretization squares ---------------------------------------------------------------------
GRID = Grid(-1, 1, 4)  # cells of width 1/2: [-1, -1/2], ..., [1/2, 1]


class CellAverages:
    """Test fixture: D(f)_j = (1/dx) * integral of f over cell j, by sympy.integrate."""

    def __call__(self, f):
        return Signal([sympy.integrate(f, (x, a, b)) / GRID.dx for a, b in map(GRID.cell, range(4))])

    def describe(self):
        return "D"

    def conventions(self):
        return ("cell averages on 4 cells of [-1, 1]",)


def _average_of_steps(c0, jumps, left, right):
    """Average over [left, right] of c0 + sum_i c_i H(x - b_i), by the clamp formula."""
    width = right - left
    total = c0 * width
    for c, b in jumps:
        total += c * (right - min(max(b, left), right))
    return total / width


def _step_parts(f):
    c0 = f.subs(x, -10)  # left of every breakpoint all steps are off
    jumps = []
    for term in sympy.Add.make_args(f):
        pw = [a for a in sympy.Mul.make_args(term) if isinstance(a, sympy.Piecewise)]
        if pw:
            coeff = term.xreplace({pw[0]: sympy.Integer(1)})
            jumps.append((Fraction(str(coeff)), Fraction(str(pw[0].args[0][1].rhs))))
    return Fraction(str(c0)), jumps


def test_discretization_search_refutes_half_cell_shift_of_cell_averages():
    delta = GRID.dx / 2
    verdict = search_discretization(CellAverages(), delta, ses.step_functions(GRID, max_steps=2),
                                    HalfShift(), max_examples=15, seed=0)
    assert verdict.kind == "counterexample"
    f = verdict.functions["f"]
    c0, jumps = _step_parts(f)
    cells = [(Fraction(-1) + Fraction(j, 2), Fraction(-1) + Fraction(j + 1, 2)) for j in range(4)]
    d = Fraction(1, 4)
    averages = [_average_of_steps(c0, jumps, a, b) for a, b in cells]
    # translate(f, 1/4) = f(x - 1/4): its average over [a, b] is f's average over [a - 1/4, b - 1/4].
    lhs = [_average_of_steps(c0, jumps, a - d, b - d) for a, b in cells]
    rhs = [(averages[j - 1] + averages[j]) / 2 for j in range(4)]
    assert _fractions(verdict.input) == averages
    assert _fractions(verdict.lhs) == lhs and _fractions(verdict.rhs) == rhs and lhs != rhs
    assert verdict.details["seed"] == 0
    assert "translate(f, delta) = f(x - delta): the graph moves right by delta" in verdict.conventions


def test_discretization_search_on_constants_finds_nothing():
    constants = ses.rationals(min_value=-2, max_value=2)
    verdict = search_discretization(CellAverages(), "1/4", constants, HalfShift(), max_examples=10)
    assert verdict.kind == "undecided"
    assert verdict.reason == "no counterexample in 10 examples (seed 0)"


def test_discretization_search_validates_arguments():
    with pytest.raises(InvalidArgumentError, match="D="):
        search_discretization(3, 1, ses.step_functions(GRID), Roll())
    with pytest.raises(InvalidArgumentError, match="functions="):
        search_discretization(CellAverages(), 1, [x], Roll())
    with pytest.raises(InvalidArgumentError, match="g="):
        search_discretization(CellAverages(), 1, ses.step_functions(GRID), lambda u: u)
    with pytest.raises(InvalidArgumentError, match="delta="):
        search_discretization(CellAverages(), 0.25, ses.step_functions(GRID), Roll())


# --- with the real layers, translations and discretizations --------------------------------------
def test_real_relu_after_linear_half_shift():
    from symequi.layers import ReLU
    from symequi.translations import shift

    verdict = decide_search(Square(ReLU(), shift("1/2", method="linear"), input_shape=5), seed=1)
    assert verdict.kind == "counterexample"
    u = _fractions(verdict.input)
    # shift('1/2', method='linear'), periodic: out_j = (u_{j-1} + u_j) / 2.
    lhs = [_relu((u[j - 1] + u[j]) / 2) for j in range(5)]
    rhs = [(_relu(u[j - 1]) + _relu(u[j])) / 2 for j in range(5)]
    assert _fractions(verdict.lhs) == lhs and _fractions(verdict.rhs) == rhs and lhs != rhs


def test_real_conv_bias_relu_with_integer_shift_is_undecided():
    from symequi.layers import Bias, Convolution, ReLU
    from symequi.translations import shift

    net = Sequential(Convolution([1, -2, 1], padding="periodic"), Bias(-1), ReLU())
    verdict = decide_search(Square(net, shift(2), input_shape=6), max_examples=40)
    assert verdict.reason == "no counterexample in 40 examples (seed 0)"


def test_real_cell_average_with_linear_half_cell_shift():
    from symequi.functions.discretize import CellAverage
    from symequi.translations import shift

    verdict = search_discretization(CellAverage(GRID), "1/4", ses.step_functions(GRID, max_steps=2),
                                    shift("1/2", method="linear"), max_examples=15, seed=2)
    assert verdict.kind == "counterexample"
    c0, jumps = _step_parts(verdict.functions["f"])
    cells = [(Fraction(-1) + Fraction(j, 2), Fraction(-1) + Fraction(j + 1, 2)) for j in range(4)]
    d = Fraction(1, 4)
    averages = [_average_of_steps(c0, jumps, a, b) for a, b in cells]
    lhs = [_average_of_steps(c0, jumps, a - d, b - d) for a, b in cells]
    rhs = [(averages[j - 1] + averages[j]) / 2 for j in range(4)]
    assert _fractions(verdict.lhs) == lhs and _fractions(verdict.rhs) == rhs and lhs != rhs


def test_field_outputs_are_compared_in_the_field():
    """Two band-limited shifts (entries in Q(zeta_9)) compared by the search: equal ones do not
    differ, and a difference in one entry's irrational part is found (50-digit values as the check)."""
    import mpmath

    from symequi.deciders.search import _differs
    from symequi.translations.fourier import FourierShift

    v = FourierShift(sympy.Rational(1, 3))(Signal([1, 0, 0]))
    w = FourierShift(sympy.Rational(1, 3))(Signal([1, 0, 1]))
    assert v.field_vector is not None and w.field_vector is not None
    assert not _differs(v, v + Signal([0, 0, 0]))
    assert _differs(v, w)
    gaps = [abs(sympy.N(a - b, 50)) for a, b in zip(v.flat_exprs(), w.flat_exprs())]
    assert max(gaps) > mpmath.mpf("1e-10")


# --- symbolic squares: probes at points of the assumed set ------------------------------------
def _symbolic_squares():
    import symequi as se

    s = sympy.Symbol("s")
    unit = (R(0), R(1))
    return [
        se.Square(se.ReLU(), se.shift(s, method="linear", boundary="periodic", interval=unit), input_shape=3),
        se.Square(se.Abs(), se.shift(s, method="cubic", boundary="zeros", interval=(-1, 0)), input_shape=5),
        se.Square(se.Sequential(se.Convolution([1, -1], padding="periodic"), se.ReLU()),
                  se.shift(s, method="lagrange", order=1, boundary="periodic", interval=unit), input_shape=3),
        se.Square(se.LeakyReLU(R(1, 4)), se.shift(s, method="linear", boundary="zeros", interval=(R(1, 4), R(3, 4))),
                  input_shape=3),
    ]


@pytest.mark.parametrize("index", range(4))
def test_probes_give_the_verdict_and_witness_the_symbolic_test_gives(index, monkeypatch):
    import symequi.deciders.search as search

    square = _symbolic_squares()[index]
    probed = decide_search(square, max_examples=8, budget=30)
    monkeypatch.setattr(search, "_PROBES", 0)
    symbolic = decide_search(square, max_examples=8, budget=30)
    assert probed.kind == symbolic.kind == "counterexample"
    assert probed.input == symbolic.input and probed.parameters == symbolic.parameters


def test_examples_that_agree_at_every_probe_still_get_the_symbolic_test(monkeypatch):
    import symequi.deciders.search as search

    square = _symbolic_squares()[0]
    s = sympy.Symbol("s")
    # at s = 0 and s = 1 the linear shift moves whole cells, which ReLU commutes with: every
    # example agrees at these probes, and only the zero test on [0, 1] finds the difference
    monkeypatch.setattr(search, "_probes", lambda sq: [sq.at({s: R(0)}), sq.at({s: R(1)})])
    verdict = decide_search(square, max_examples=8, budget=30)
    assert verdict.kind == "counterexample" and 0 < verdict.parameters[s] < 1


def test_an_example_that_differs_at_a_probe_needs_no_symbolic_zero_test(monkeypatch):
    import symequi.deciders.search as search

    square = _symbolic_squares()[0]  # ReLU after a linear periodic shift by s in [0, 1]
    probes = search._probes(square)
    assert len(probes) == 3 and all(not p.free_symbols for p in probes)
    # by hand at the first probe, s = 1/2: (g u)_j = (u_j + u_{j-1}) / 2 on u = [1, -1, 0]
    # gives [1/2, 0, -1/2] and ReLU [1/2, 0, 0]; ReLU(u) = [1, 0, 0] shifts to [1/2, 1/2, 0]
    u = Signal([1, -1, 0])
    assert probes[0].lhs(u) == Signal([R(1, 2), 0, 0]) and probes[0].rhs(u) == Signal([R(1, 2), R(1, 2), 0])
    calls = []
    real = search.is_zero
    monkeypatch.setattr(search, "is_zero", lambda *a, **k: calls.append(a) or real(*a, **k))
    verdict = decide_search(square, max_examples=1, strategy=st.just(u))
    assert verdict.kind == "counterexample" and verdict.input == u and calls == []
    assert verdict.parameters  # the witness names its point of the set, as before
