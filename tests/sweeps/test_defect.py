"""Defect curves of sweep cases: exact pieces derived by hand, reasons when a case has none."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from symequi.core.errors import InvalidArgumentError
from symequi.sweeps.case import run_case
from symequi.sweeps.defect import defect_curve, sup_defect

CASE = {"operator": "relu", "input_shape": [4], "shift": "1/2", "shift_method": "linear", "boundary": "periodic",
        "padding": "periodic", "stride": None, "g_out": "same", "method": "auto", "budget": 30}


def test_conv_relu_edge_defect_by_hand():
    """N = 8, edge at x = 4: pixels u(delta) = [0, 0, 0, 0, 1 - delta, 1, 1, 1]; C_j = u_j - 2 u_{j-1} + u_{j-2}
    (zeros) gives C_5 = 2 delta - 1, so ReLU(C)_5 = max(2 delta - 1, 0); out(0) = e_4 and its linear shift by delta
    (zeros) puts delta at entry 5.  Defect_5 = -delta on [0, 1/2], delta - 1 on (1/2, 1], every other entry 0."""
    curve = defect_curve({**CASE, "operator": "conv(1, -2, 1) | relu", "input_shape": [8], "boundary": "zeros",
                          "padding": "zeros"}, ["0", "1"])
    pieces = curve["pieces"]
    assert [(p["lo"], p["hi"], p["closed"]) for p in pieces] == [("0", "1/2", [True, True]), ("1/2", "1", [False, True])]
    zero = ["0"]
    assert pieces[0]["coeffs"] == [zero] * 5 + [["0", "-1"]] + [zero] * 2
    assert pieces[1]["coeffs"] == [zero] * 5 + [["-1", "1"]] + [zero] * 2
    values = dict(sup_defect(curve, 8))
    assert values == {Fraction(k, 8): min(Fraction(k, 8), 1 - Fraction(k, 8)) for k in range(9)}


def test_periodic_wrap_of_an_edge_by_hand():
    """N = 4, edge at x = 2: u(delta) = [0, 0, 1 - delta, 1]; ReLU keeps it; the periodic linear shift of
    out(0) = [0, 0, 1, 1] is [delta, 0, 1 - delta, 1]; the defect is [-delta, 0, 0, 0] (the wrapped edge)."""
    curve = defect_curve(CASE, ["0", "1"])
    assert [p["coeffs"] for p in curve["pieces"]] == [[["0", "-1"], ["0"], ["0"], ["0"]]]
    assert sup_defect(curve, 2) == [(0, 0), (Fraction(1, 2), Fraction(1, 2)), (1, 1)]


@pytest.mark.parametrize("change, says", [
    ({"shift_method": "fourier"}, "shift_method='fourier'"),
    ({"shift_method": "lanczos"}, "shift_method='lanczos'"),
    ({"input_shape": [2, 2]}, "input_shape"),
    ({"g_out": "identity"}, "g_out"),
])
def test_cases_without_a_curve_say_why(change, says):
    with pytest.raises(InvalidArgumentError, match=says):
        defect_curve({**CASE, **change}, ["0", "1"])


def test_rows_carry_the_curve_or_the_reason():
    row = run_case({**CASE, "defect_delta": ["0", "1"]})
    assert row["verdict"] == "refuted" and json.loads(row["defect"])["pieces"][0]["coeffs"][0] == ["0", "-1"]
    row = run_case({**CASE, "shift_method": "fourier", "defect_delta": ["0", "1"]})
    assert row["verdict"] in ("refuted", "proved") and "fourier" in json.loads(row["defect"])["error"]
    assert run_case(CASE)["defect"] is None


def test_sup_defect_checks_points():
    with pytest.raises(InvalidArgumentError, match="points"):
        sup_defect(defect_curve(CASE, ["0", "1"]), 0)
