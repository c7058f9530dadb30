"""Tests of the SMT decider (symequi/smt.py).

Expectations are derived independently: counterexamples returned by z3 are
re-checked here with Fractions, computing both paths of the square by hand.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
import z3
from hypothesis import given, settings
from hypothesis import strategies as st

import symequi.deciders.smt as smt
from symequi.core.errors import EncodingError, InvalidArgumentError
from symequi.layers import (Abs, AvgPool, Bias, Convolution, Correlation, LeakyReLU, MaxPool,
                            PolynomialActivation, ReLU, Sequential)
from symequi.deciders.smt import SMTInternalError, decide_smt
from symequi.core.square import Square
from symequi.translations import shift

HALF = shift("1/2", method="linear")


# --- hand computations (Fractions, periodic indices) ------------------------------------------

def fr(signal):
    return signal.to_fractions()


def half_shift(u):
    """Linear interpolation shift by 1/2 cell to the right: out_j = (u_j + u_{j-1}) / 2."""
    n = len(u)
    return [(u[j] + u[(j - 1) % n]) / 2 for j in range(n)]


def int_shift(u, s):
    n = len(u)
    return [u[(j - s) % n] for j in range(n)]


def relu(u):
    return [v if v > 0 else Fraction(0) for v in u]


def leaky(u, slope):
    return [v if v >= 0 else slope * v for v in u]


def absolute(u):
    return [abs(v) for v in u]


def maxpool2(u):
    return [max(u[2 * j], u[2 * j + 1]) for j in range(len(u) // 2)]


def correlate(u, kernel):
    """C_j = sum_k a_k u_{j+k}, periodic."""
    n = len(u)
    return [sum(a * u[(j + k) % n] for k, a in enumerate(kernel)) for j in range(n)]


def assert_hand_counterexample(verdict, activation, g):
    """The witness really separates activation(g(u)) and g(activation(u))."""
    assert verdict.is_counterexample
    u = fr(verdict.input)
    lhs, rhs = activation(g(u)), g(activation(u))
    assert lhs != rhs
    assert fr(verdict.lhs) == lhs
    assert fr(verdict.rhs) == rhs


# --- proofs ---------------------------------------------------------------------------------

@pytest.mark.parametrize("s", [1, 2, 3])
def test_integer_shift_of_conv_bias_relu_is_proved(s):
    net = Sequential(Convolution(["1/2", -2, 3], origin=-1, padding="periodic"), Bias("-1/3"), ReLU())
    v = decide_smt(Square(net, shift(s), input_shape=8))
    assert v.is_proved
    assert v.decider == "smt"
    assert v.holds_for == "every real input of shape (8,)"
    assert any("periodic" in c for c in v.conventions)


def test_maxpool_even_shift_is_proved_and_odd_shift_refuted():
    proved = decide_smt(Square(MaxPool(2, padding="periodic"), shift(2), shift(1), input_shape=8))
    assert proved.is_proved
    refuted = decide_smt(Square(MaxPool(2, padding="periodic"), shift(1), shift(1), input_shape=8))
    assert refuted.is_counterexample
    u = fr(refuted.input)
    lhs, rhs = maxpool2(int_shift(u, 1)), int_shift(maxpool2(u), 1)
    assert lhs != rhs and fr(refuted.lhs) == lhs and fr(refuted.rhs) == rhs


def test_leaky_relu_slope_one_and_affine_activation_commute_with_half_shift():
    # both are affine maps x -> c1 x + c0 with a shift that preserves constants
    assert decide_smt(Square(LeakyReLU(1), HALF, input_shape=5)).is_proved
    assert decide_smt(Square(PolynomialActivation(["1/3", 2]), HALF, input_shape=5)).is_proved


def test_avgpool_and_linear_stack_under_even_shift():
    net = Sequential(Correlation([1, -1], padding="periodic"), AvgPool(2, padding="periodic"), Abs())
    assert decide_smt(Square(net, shift(2), shift(1), input_shape=8)).is_proved


# --- counterexamples, checked by hand --------------------------------------------------------

def test_relu_half_cell_shift_counterexample():
    v = decide_smt(Square(ReLU(), HALF, input_shape=4))
    assert_hand_counterexample(v, relu, half_shift)


def test_leaky_relu_half_cell_shift_counterexample():
    slope = Fraction(1, 10)
    v = decide_smt(Square(LeakyReLU("1/10"), HALF, input_shape=4))
    assert_hand_counterexample(v, lambda u: leaky(u, slope), half_shift)


def test_abs_half_cell_shift_counterexample():
    v = decide_smt(Square(Abs(), HALF, input_shape=3))
    assert_hand_counterexample(v, absolute, half_shift)


def test_paper_layer_half_cell_counterexample_checked_by_hand():
    kernel = [Fraction(-2), Fraction(2)]
    net = Sequential(Correlation([-2, 2], padding="periodic"), Bias(-1), ReLU())
    v = decide_smt(Square(net, HALF, input_shape=6))

    def layer(u):
        return relu([c - 1 for c in correlate(u, kernel)])

    assert_hand_counterexample(v, layer, half_shift)


def test_deep_stack_counterexample_found_quickly():
    ops = []
    for _ in range(6):
        ops += [Correlation([1, "-1/2", "1/3"], padding="periodic"), Bias("-1/5"), ReLU()]
    v = decide_smt(Square(Sequential(*ops), HALF, input_shape=32), budget=20)
    assert v.is_counterexample
    assert v.lhs != v.rhs


@settings(max_examples=15, deadline=None)
@given(st.fractions(min_value=-3, max_value=3, max_denominator=5),
       st.fractions(min_value=-3, max_value=3, max_denominator=5))
def test_one_tap_stack_verdict_matches_hand_rule(a, b):
    # u -> ReLU(a u + b) commutes with the half shift iff it is affine on the reals
    # reached, i.e. iff a = 0 (constant output), or never: for a != 0 the ReLU kink is
    # reached by some input.  Independent rule: commutes <=> a == 0.
    net = Sequential(Correlation([a], padding="periodic"), Bias(b), ReLU())
    v = decide_smt(Square(net, HALF, input_shape=3))
    assert v.is_proved == (a == 0)
    if v.is_counterexample:
        assert_hand_counterexample(v, lambda u: relu([a * x + b for x in u]), half_shift)


# --- refusals and budgets --------------------------------------------------------------------

def test_polynomial_activation_is_refused_by_name():
    with pytest.raises(EncodingError, match=r"x\*\*2.*not piecewise linear; use the search decider"):
        decide_smt(Square(PolynomialActivation([0, 0, 1]), shift(1), input_shape=4))


def test_irrational_translation_is_refused_by_name():
    with pytest.raises(EncodingError, match=r"InterpolationShift.*Lanczos.*irrational"):
        decide_smt(Square(ReLU(), shift("1/3", method="lanczos"), input_shape=6))


def test_unknown_operator_is_refused_by_name():
    from symequi.core.operator import Operator

    class Sort(Operator):
        def _apply(self, signal):
            return signal

        def describe(self):
            return "sorting layer"

    with pytest.raises(EncodingError, match="cannot encode sorting layer"):
        decide_smt(Square(Sort(), shift(1), input_shape=3))


def test_tiny_budget_is_undecided_with_reason():
    net = Sequential(Correlation([1, -2, 1], padding="periodic"), Bias(1), ReLU())
    v = decide_smt(Square(net, HALF, input_shape=64), budget=1e-5)
    assert v.is_undecided
    assert "time budget" in v.reason


def test_z3_timeout_is_undecided_with_z3_reason(monkeypatch):
    # Without the local probe, z3 needs over a minute on this square (measured);
    # with one second it must give up and say why.
    monkeypatch.setattr(smt, "_PROBE_SUPPORT", 10**9)
    ops = []
    for _ in range(4):
        ops += [Correlation([1, "-1/2", "1/3"], padding="periodic"), Bias("-1/5"), ReLU()]
    v = decide_smt(Square(Sequential(*ops), HALF, input_shape=64), budget=1)
    assert v.is_undecided
    assert "z3 answered unknown" in v.reason and "timeout" in v.reason


@pytest.mark.parametrize("budget", [0, -1, "1", float("inf"), True])
def test_bad_budget_is_refused(budget):
    with pytest.raises(InvalidArgumentError, match="budget"):
        decide_smt(Square(ReLU(), shift(1), input_shape=3), budget=budget)


def test_non_square_is_refused():
    with pytest.raises(InvalidArgumentError, match="square="):
        decide_smt(ReLU())


# --- the witness is always checked -----------------------------------------------------------

def test_a_subclass_that_changes_values_but_inherits_the_encoding_is_refused():
    class NotReallyReLU(ReLU):  # would be encoded as ReLU, computes the identity
        def _apply_rational(self, values):
            return list(values)

    with pytest.raises(EncodingError, match="overrides how its values are computed"):
        decide_smt(Square(NotReallyReLU(), shift(1), input_shape=3))


def test_encoding_that_disagrees_with_the_layer_is_an_internal_error():
    class LyingReLU(ReLU):  # its own (wrong) description: encoded as ReLU, computes the identity
        def _apply_rational(self, values):
            return list(values)

        def encode(self, algebra, values, shape):
            return super().encode(algebra, values, shape)

    with pytest.raises(SMTInternalError, match="layers agree"):
        decide_smt(Square(LyingReLU(), HALF, input_shape=3))


def test_irrational_model_values_are_refused():
    x = z3.Real("x")
    solver = z3.Solver()
    solver.add(x * x == 2, x > 0)
    assert solver.check() == z3.sat
    with pytest.raises(SMTInternalError, match="not a rational number"):
        smt._model_fraction(solver.model(), x, "input entry 0")


def test_sparse_rows_match_the_translation_matrix():
    # DiscreteTranslation.matrix builds its matrix from taps, a different algorithm
    for g in (HALF, shift(3), shift("1/3", method="cubic")):
        dense = g.matrix(7).to_Matrix()
        rows, out_shape = g.sparse_rows((7,))
        assert out_shape == (7,)
        rebuilt = [[0] * 7 for _ in range(7)]
        for i, row in enumerate(rows):
            for j, c in row:
                rebuilt[i][j] = Fraction(int(c.p), int(c.q))
        assert [[Fraction(int(dense[i, j].p), int(dense[i, j].q)) for j in range(7)] for i in range(7)] == rebuilt


# --- nonlinear real arithmetic and conditions on the inputs ----------------------------------

def test_polynomial_activation_in_nonlinear_arithmetic():
    square = Square(PolynomialActivation([0, 0, 1]), shift(1), input_shape=4)
    v = decide_smt(square, nonlinear=True)
    assert v.is_proved and "nonlinear real arithmetic" in v.details["solver"]
    w = decide_smt(Square(PolynomialActivation([0, 0, 1]), HALF, input_shape=3), nonlinear=True)
    assert_hand_counterexample(w, lambda u: [x * x for x in u], half_shift)


def _l1_parts(u):
    return sum(abs(x) for x in u[0::2]), sum(abs(x) for x in u[1::2])


def test_where_restricts_the_inputs_and_says_so():
    from symequi.layers.polyphase import AdaptivePolyphaseSampling

    aps = AdaptivePolyphaseSampling("l1")
    square = Square(Sequential(aps, MaxPool(3)), shift(1), g_out=shift(0), input_shape=6)
    free = decide_smt(square)
    assert free.is_counterexample
    u = fr(free.input)
    n0, n1 = _l1_parts(u)
    assert n0 == n1  # the only failures are ties (hand: components swap under a shift by 1)
    chosen = u[0::2]  # tie: lowest index
    shifted = int_shift(u, 1)
    m0, m1 = _l1_parts(shifted)
    assert fr(free.rhs) == [max(chosen)] and fr(free.lhs) == [max(shifted[0::2] if m0 >= m1 else shifted[1::2])]
    proved = decide_smt(square, where=aps.tie_margins())
    assert proved.is_proved and "positive" in proved.holds_for and "polyphase l1 norms" in proved.holds_for
    # a counterexample under a condition satisfies it
    half = decide_smt(Square(Sequential(aps, AvgPool(3)), HALF, g_out=shift(0), input_shape=6),
                      where=aps.tie_margins())
    assert half.is_counterexample and "positive on this input" in half.details["where"]
    u = fr(half.input)
    assert _l1_parts(u)[0] != _l1_parts(u)[1]


def test_where_must_be_an_operator():
    with pytest.raises(InvalidArgumentError, match="where=.*must be a symequi Operator"):
        decide_smt(Square(ReLU(), shift(1), input_shape=3), where=lambda u: u)


def test_nonlinear_check_prefers_rational_models():
    ctx = z3.Context()
    x = z3.Real("x", ctx)
    answer, model, _ = smt._check(ctx, [x * x == 4, x > 0], 5, True, [x])
    assert answer == z3.sat and model.eval(x).as_fraction() == 2
    answer, model, _ = smt._check(ctx, [x * x == 2], 5, True, [x])  # no rational solution exists
    assert answer == z3.sat and not z3.is_rational_value(model.eval(x))
    answer, model, _ = smt._check(ctx, [x * x < 0], 5, True, [x])
    assert answer == z3.unsat and model is None
