"""worst_case_defect: the exact maximum of the max-norm defect over a box, on cases solved by hand."""

from __future__ import annotations

import sympy

from symequi.core.operator import Sequential
from symequi.core.signal import Signal
from symequi.deciders.worst_case import worst_case_defect
from symequi.layers import Bias, Correlation, ReLU
from symequi.translations import shift

HALF = shift("1/2", method="linear")


def test_relu_half_shift_by_hand() -> None:
    # (relu(a) + relu(b))/2 - relu((a+b)/2) on [-1, 1]^2: relu is convex, the gap is largest at a = 1, b = -1: 1/2
    w = worst_case_defect(ReLU(), HALF, box=(-1, 1), input_shape=2)
    assert w.kind == "exact" and w.value == sympy.Rational(1, 2)
    assert w.input in (Signal([1, -1]), Signal([-1, 1]))
    assert w.db == 20 * sympy.log(4) / sympy.log(10)  # peak 2 / defect 1/2


def test_bias_relu_by_hand() -> None:
    # relu(. - 1/2): along b = 0 the gap is relu(a - 1/2)/2, largest at a = 1: 1/4; it is 0 at (0,0) and (1,1)
    w = worst_case_defect(Sequential(Bias("-1/2"), ReLU()), HALF, box=(0, 1), input_shape=2)
    assert w.kind == "exact" and w.value == sympy.Rational(1, 4)
    assert w.input in (Signal([1, 0]), Signal([0, 1]))
    assert float(w.db) == float(20 * sympy.log(4, 10))


def test_linear_periodic_layers_commute_exactly() -> None:
    # circulant matrices commute: the defect is 0 on every box, +oo dB
    w = worst_case_defect(Correlation([1, -2, 1], padding="periodic"), HALF, box=(-3, 5), input_shape=6)
    assert w.kind == "exact" and w.value == 0 and w.db == sympy.oo


def test_zero_padding_under_integer_shift() -> None:
    # zero padding vs a periodic integer shift: C_j = b_{j+1} (K = [0, 1] correlation), shift 1 periodic.
    # lhs_j = (g u)_{j+1} = u_j (j < N-1), lhs_{N-1} = 0; rhs_j = C_{j-1} = u_j for j >= 1, rhs_0 = C_{N-1} = 0.
    # The defect is max(|u_0|... ) at entry 0: lhs_0 - rhs_0 = u_0 -> 1 on [0, 1]; at entry N-1: 0 - u_{N-1}.
    w = worst_case_defect(Correlation([0, 1]), shift(1), box=(0, 1), input_shape=4)
    assert w.kind == "exact" and w.value == 1


def test_budget_gives_bounds_or_the_exact_answer() -> None:
    net = Sequential(Correlation([1, -2, 1], padding="periodic"), Bias("-1/3"), ReLU(),
                     Correlation([1, 1, -1], padding="periodic"), ReLU())
    w = worst_case_defect(net, HALF, box=(0, 1), input_shape=16, budget=0.05)
    assert w.kind in ("exact", "undecided")
    if w.kind == "undecided":
        assert w.lower >= 0 and (w.upper is None or w.upper >= w.lower) and w.value is None
