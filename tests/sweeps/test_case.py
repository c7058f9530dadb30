"""One case in a worker: verdicts match hand derivations, witnesses re-check with Fractions."""

from __future__ import annotations

import json
from fractions import Fraction

from symequi.sweeps.case import run_batch, run_case

CASE = {"input_shape": [4], "shift_method": "linear", "boundary": "periodic", "padding": "periodic",
        "stride": None, "g_out": "same", "method": "auto", "budget": 30}


def test_periodic_difference_relu_commutes_with_integer_shifts():
    row = run_case({**CASE, "operator": "conv(1, -1) | relu", "shift": "2", "shift_method": "integer"})
    assert row["verdict"] == "proved" and row["error"] is None


def test_half_cell_refutation_carries_an_exact_witness_that_rechecks():
    row = run_case({**CASE, "operator": "conv(1, -1) | relu", "shift": "1/2"})
    assert row["verdict"] == "refuted"
    w = json.loads(row["witness"])
    u = [Fraction(v) for v in w["input"]]
    n = len(u)

    def layer(v):  # convolution with a_0 = 1, a_1 = -1 (eq. 3), periodic: out_j = v_j - v_{j-1}; then ReLU
        return [max(v[j] - v[j - 1], Fraction(0)) for j in range(n)]

    def half(v):  # linear interpolation shift by 1/2, periodic: out_j = (v_j + v_{j-1}) / 2
        return [(v[j] + v[j - 1]) / 2 for j in range(n)]

    assert [Fraction(v) for v in w["lhs"]] == layer(half(u))
    assert [Fraction(v) for v in w["rhs"]] == half(layer(u))
    assert layer(half(u)) != half(layer(u))


def test_invariance_rule_and_errors_are_rows():
    # g_out identity: a sum-pooling-like invariance fails for ReLU (not invariant), by hand u = [1, 0, 0, 0]
    row = run_case({**CASE, "operator": "relu", "shift": "1", "shift_method": "integer", "g_out": "identity"})
    assert row["verdict"] == "refuted"
    broken = run_case({**CASE, "operator": "tests.sweeps._factories:raises", "shift": "1"})
    assert broken["verdict"] == "error" and "broken on purpose" in broken["error"]
    unknown = run_case({**CASE, "operator": "tests.sweeps._factories:nothing_here", "shift": "1"})
    assert unknown["verdict"] == "error" and "has no function 'nothing_here'" in unknown["error"]
    assert [k for k, _ in run_batch([("x", {**CASE, "operator": "relu", "shift": "1"})])] == ["x"]


def test_parametric_methods_reach_the_shift():
    """Lagrange of order 1 and finite volume of degree 0 both shift by 1/2 as (v_j + v_{j-1}) / 2
    (two-point interpolation; the upwind flux of half a cell): the witness rechecks with Fractions."""
    for method in ("lagrange:1", "finite_volume:0"):
        row = run_case({**CASE, "operator": "conv(1, -1) | relu", "shift": "1/2", "shift_method": method})
        assert row["verdict"] == "refuted", row
        w = json.loads(row["witness"])
        u = [Fraction(v) for v in w["input"]]
        n = len(u)

        def layer(v):
            return [max(v[j] - v[j - 1], Fraction(0)) for j in range(n)]

        def half(v):
            return [(v[j] + v[j - 1]) / 2 for j in range(n)]

        assert [Fraction(v) for v in w["lhs"]] == layer(half(u)) != half(layer(u)) == [Fraction(v) for v in w["rhs"]]


def test_a_slow_factory_counts_against_the_case_backstop(monkeypatch):
    # building the square (a user's factory, a model import) runs inside the case's backstop of
    # 1.5 * budget + 1 s, so the sweep engine's bound on a case (case_seconds_limit) holds for it
    import time

    monkeypatch.setenv("SYMEQUI_TEST_SLOW_SECONDS", "30")
    start = time.monotonic()
    row = run_case({"operator": "tests.sweeps._factories:slow", "input_shape": [3], "shift": "1", "budget": 0.2})
    assert time.monotonic() - start < 10
    assert row["verdict"] == "undecided" and "building and deciding its square" in row["reason"]
