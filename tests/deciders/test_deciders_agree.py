"""The SMT decider and the search decider agree on random small layers.

For random periodic Correlation + Bias + piecewise-linear activation stacks and
integer or half-cell linear shifts: a counterexample found by either decider is
re-checked here with plain Fraction arithmetic (an implementation independent of
symequi's layers), and the two deciders never contradict each other (search never
finds a witness where z3 proved the square; search never returns Proved).
"""

from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import symequi as se

small = st.fractions(min_value=-2, max_value=2, max_denominator=4)


def _correlate(kernel, u, origin):
    n = len(u)
    return [sum(a * u[(j + origin + k) % n] for k, a in enumerate(kernel)) for j in range(n)]


def _activation(name, v):
    if name == "relu":
        return max(Fraction(0), v)
    if name == "leaky":
        return v if v >= 0 else v / 10
    return abs(v)


def _layer(kernel, origin, bias, act, u):
    return [_activation(act, c + bias) for c in _correlate(kernel, u, origin)]


def _shift(method, u):
    n = len(u)
    if method == "integer":  # content moves right by one cell
        return [u[(j - 1) % n] for j in range(n)]
    return [(u[j] + u[(j - 1) % n]) / 2 for j in range(n)]  # linear, half a cell


def _fractions(signal):
    return [Fraction(int(v.p), int(v.q)) for v in signal.to_list()]


def _check_witness(verdict, kernel, origin, bias, act, method):
    u = _fractions(verdict.input)
    lhs = _layer(kernel, origin, bias, act, _shift(method, u))
    rhs = _shift(method, _layer(kernel, origin, bias, act, u))
    assert lhs != rhs
    assert _fractions(verdict.lhs) == lhs and _fractions(verdict.rhs) == rhs


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.nested_given])
@given(kernel=st.lists(small, min_size=1, max_size=3), bias=small,
       act=st.sampled_from(["relu", "leaky", "abs"]), method=st.sampled_from(["integer", "linear"]),
       n=st.integers(3, 5))
def test_smt_and_search_agree(kernel, bias, act, method, n):
    origin = -(len(kernel) // 2)
    activation = {"relu": se.ReLU(), "leaky": se.LeakyReLU("1/10"), "abs": se.Abs()}[act]
    layer = se.Sequential(se.Correlation([str(a) for a in kernel], origin=origin, padding="periodic"),
                          se.Bias(str(bias)), activation)
    g = se.shift(1) if method == "integer" else se.shift("1/2", method="linear")
    square = se.Square(layer, g, input_shape=n)
    by_smt = se.decide_smt(square, budget=20)
    by_search = se.decide_search(square, max_examples=40, seed=0, budget=20)
    assert not by_search.is_proved
    if method == "integer":  # periodic layers commute with integer shifts: both must see it
        assert by_smt.is_proved and by_search.is_undecided
    if by_smt.is_proved:
        assert not by_search.is_counterexample
    if by_search.is_counterexample:
        assert by_smt.is_counterexample
        _check_witness(by_search, kernel, origin, bias, act, method)
    if by_smt.is_counterexample:
        _check_witness(by_smt, kernel, origin, bias, act, method)
