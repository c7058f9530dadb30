"""Tests for symequi.testing: assertions users put in their own pytest suites."""

import re
from fractions import Fraction

import pytest

import symequi.testing as testing
from symequi.core.errors import InvalidArgumentError
from symequi.testing import assert_commutes, assert_not_commutes
from symequi.core.verdict import Proved, Undecided

from tests._operators import HalfShift, Relu, Roll


def _parse(line_value: str) -> list[Fraction]:
    return [Fraction(t) for t in line_value.strip().strip("[]").split(",")]


def _field(message: str, label: str) -> str:
    match = re.search(rf"^{re.escape(label)}\s*(\[.*\])$", message, re.MULTILINE)
    assert match, f"{label!r} missing from:\n{message}"
    return match.group(1)


def _fmt(values: list[Fraction]) -> str:
    return "[" + ", ".join(str(v) for v in values) + "]"


@pytest.mark.parametrize("n", [4, 24])
def test_failure_message_prints_the_exact_witness(n):
    with pytest.raises(AssertionError) as info:
        assert_commutes(Relu(), HalfShift(), input_shape=n, method="search", seed=5)
    message = str(info.value)
    assert message.startswith(f"Relu() does not commute with HalfShift() on inputs of shape ({n},)")
    u = _parse(_field(message, "input:"))
    assert len(u) == n  # every entry, no "..." truncation even for long signals
    # Recompute both paths by hand and compare with the printed text.
    lhs = [max((u[j - 1] + u[j]) / 2, Fraction(0)) for j in range(n)]
    rhs = [(max(u[j - 1], Fraction(0)) + max(u[j], Fraction(0))) / 2 for j in range(n)]
    assert _field(message, "lhs A(g(u)):") == _fmt(lhs)
    assert _field(message, "rhs g'(A(u)):") == _fmt(rhs)
    assert _field(message, "difference:") == _fmt([a - b for a, b in zip(lhs, rhs)])
    assert lhs != rhs
    assert "seed 5 (pass seed=5 to reproduce)" in message
    assert "..." not in message


def test_commuting_square_passes_with_search():
    verdict = assert_commutes(Relu(), Roll(), input_shape=5, method="search", max_examples=30)
    assert verdict.kind == "undecided"
    assert verdict.reason == "no counterexample in 30 examples (seed 0)"


def test_require_proof_rejects_a_search_that_found_nothing():
    with pytest.raises(AssertionError, match=r"not proved \(require_proof=True\).*\n  reason: no counterexample"):
        assert_commutes(Relu(), Roll(), input_shape=3, method="search", max_examples=10,
                        require_proof=True)


def test_assert_not_commutes_returns_the_counterexample():
    found = assert_not_commutes(Relu(), HalfShift(), input_shape=3, method="search")
    u = [Fraction(v) for v in found.input.to_fractions()]
    assert [max((u[j - 1] + u[j]) / 2, Fraction(0)) for j in range(3)] == found.lhs.to_fractions()
    assert found.lhs != found.rhs


def test_assert_not_commutes_fails_when_nothing_is_found():
    with pytest.raises(AssertionError, match="expected a counterexample, but none was found"):
        assert_not_commutes(Relu(), Roll(), input_shape=3, method="search", max_examples=10)


# --- dispatch through symequi.deciders.decide (replaced here by fakes) ---------------------------------
def _fake_decide(result):
    calls = []

    def decide(square, method="auto"):  # the stronger deciders take no search options
        calls.append(method)
        return result(square)

    return decide, calls


def test_proof_from_decide_passes(monkeypatch):
    decide, calls = _fake_decide(lambda sq: Proved(sq.statement, decider="linear"))
    monkeypatch.setattr(testing, "_auto_decide", decide)
    verdict = assert_commutes(Relu(), HalfShift(), input_shape=3, require_proof=True)
    assert verdict.is_proved and calls == ["auto"]
    with pytest.raises(AssertionError, match="expected a counterexample, but it is proved"):
        assert_not_commutes(Relu(), HalfShift(), input_shape=3, method="linear")


def test_undecided_stronger_decider_falls_back_to_search(monkeypatch):
    decide, _ = _fake_decide(lambda sq: Undecided(sq.statement, reason="budget", decider="smt"))
    monkeypatch.setattr(testing, "_auto_decide", decide)
    with pytest.raises(AssertionError, match="does not commute"):
        assert_commutes(Relu(), HalfShift(), input_shape=3)


@pytest.mark.parametrize("kwargs, words", [
    ({"method": "magic"}, "method='magic' must be one of"),
    ({"max_examples": 0}, "max_examples=0"),
    ({"require_proof": "yes"}, "require_proof='yes'"),
])
def test_arguments_are_validated(kwargs, words):
    with pytest.raises(InvalidArgumentError, match=words):
        assert_commutes(Relu(), Roll(), input_shape=3, **kwargs)


def test_operator_must_be_an_operator():
    with pytest.raises(InvalidArgumentError, match="operator=.*Operator"):
        assert_commutes(lambda u: u, Roll(), input_shape=3)


# --- with the real layers, translations and symequi.deciders.decide -------------------------------------
def _paper_layer():
    from symequi.delta.edge_detection import figure1_layer

    # The paper's Figure 1 layer: C_j = 2 b_{j+1} - 2 b_j (kernel origin -1), bias -1, ReLU; periodic here.
    return figure1_layer(padding="periodic")


def test_paper_layer_is_proved_to_commute_with_integer_shift():
    from symequi.translations import shift

    verdict = assert_commutes(_paper_layer(), shift(1), input_shape=4, require_proof=True)
    assert verdict.is_proved


def test_paper_layer_does_not_commute_with_half_cell_shift():
    from symequi.translations import shift

    found = assert_not_commutes(_paper_layer(), shift("1/2", method="linear"), input_shape=4)
    b = [Fraction(v) for v in found.input.to_fractions()]
    s = [(b[j - 1] + b[j]) / 2 for j in range(4)]  # the linear half-cell shift, periodic

    def layer(v):  # relu(2 v_{j+1} - 2 v_j - 1), periodic
        return [max(2 * v[(j + 1) % 4] - 2 * v[j] - 1, Fraction(0)) for j in range(4)]

    out = layer(b)
    assert found.lhs.to_fractions() == layer(s)
    assert found.rhs.to_fractions() == [(out[j - 1] + out[j]) / 2 for j in range(4)]
    assert layer(s) != [(out[j - 1] + out[j]) / 2 for j in range(4)]


def test_non_piecewise_linear_layer_goes_to_search():
    from symequi.layers import PolynomialActivation
    from symequi.translations import shift

    # x**2 maps 0 to 0, so it commutes with a zero-fill shift; no exact decider covers it here.
    verdict = assert_commutes(PolynomialActivation("x**2"), shift(1, boundary="zeros"), input_shape=4,
                              max_examples=20, seed=4)
    assert verdict.reason == "no counterexample in 20 examples (seed 4)"
    # With a periodic integer shift the compositional rule proves it (entrywise maps commute
    # with every permutation of the entries).
    proved = assert_commutes(PolynomialActivation("x**2"), shift(1), input_shape=4, require_proof=True)
    assert proved.is_proved and proved.decider == "compositional"
    with pytest.raises(AssertionError, match="seed 4"):
        assert_commutes(PolynomialActivation("x**2"), shift("1/2", method="linear"), input_shape=4,
                        max_examples=20, seed=4)


# ---------------------------------------------------------------------------------------
# pytest shows the user's line and the verdict, not the helpers' source (__tracebackhide__)

_FAILING_TESTS = '''
from symequi.layers import ReLU
from symequi.testing import assert_commutes, assert_not_commutes
from symequi.translations import shift


def test_relu_half_shift():
    assert_commutes(ReLU(), shift("1/2", method="linear"), input_shape=2)  # USER LINE A


def test_relu_integer_shift():
    assert_not_commutes(ReLU(), shift(1), input_shape=3)  # USER LINE B
'''


def test_pytest_failure_shows_the_callers_line_and_hides_the_helpers(tmp_path):
    import inspect
    import os
    import pathlib
    import subprocess
    import sys

    (tmp_path / "test_user_suite.py").write_text(_FAILING_TESTS)
    root = pathlib.Path(testing.__file__).resolve().parents[1]
    env = dict(os.environ, PYTHONPATH=str(root) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    # the symequi pytest plugin (when installed) shows only the witness block: tested in test_pytest_plugin
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:symequi", "-q", "--tb=long",
         "test_user_suite.py"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output  # both tests fail
    assert "2 failed" in output, output
    # the user's lines and the verdicts are shown
    assert "USER LINE A" in output and "USER LINE B" in output
    assert "does not commute with" in output and "counterexample" in output
    assert "lhs A(g(u)):" in output and "difference:" in output
    assert "expected a counterexample, but it is proved" in output
    # no line of the helpers' source is shown, and no frame in symequi/testing.py
    helper_source = inspect.getsource(testing)
    for marker in ("square = _square(operator, g, g_out, input_shape)",
                   "verdict = _decide(square, method, count, seed)",
                   "raise AssertionError(f\"expected a counterexample, but it is proved",
                   "__tracebackhide__ = True"):
        assert marker in helper_source  # the marker is real source, so its absence means something
        assert marker not in output, output
    assert "symequi/testing.py" not in output.replace(os.sep, "/"), output


def test_inside_given_the_search_is_not_nested_and_still_finds_witnesses():
    from hypothesis import given, settings, strategies as st

    from symequi.layers import PolynomialActivation
    from symequi.translations import shift

    found = []

    @settings(max_examples=3, database=None, deadline=None)
    @given(st.integers(min_value=2, max_value=4))
    def check(n):
        assert testing.in_hypothesis_test()
        # x^2 after a zero-fill shift vs shift after x^2 agree (0^2 = 0): no witness
        quiet = assert_commutes(PolynomialActivation("x**2"), shift(1, boundary="zeros"), input_shape=n,
                                max_examples=10)
        assert quiet.undecided and quiet.details["nested"] is False
        # x^2 + 1 does not commute with a zero-fill shift: entry 0 is 0^2 + 1 = 1 after shifting
        # first, but the zero fill 0 after squaring first, so every input is a witness
        with pytest.raises(AssertionError, match="counterexample") as info:
            assert_commutes(PolynomialActivation("x**2 + 1"), shift(1, boundary="zeros"), input_shape=n,
                            max_examples=50)
        found.append(str(info.value))

    check()
    assert not testing.in_hypothesis_test()
    assert len(found) == 3 and all("input:" in text for text in found)
