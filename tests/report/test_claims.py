"""Claims: the decorator, discovery of proof scripts by path, and running one claim."""

from __future__ import annotations


import pytest

from symequi.report.claims import Claim, ClaimResult, claim, claims_in_module, discover
from symequi.core.errors import InvalidArgumentError
from symequi.core.signal import Signal
from symequi.core.verdict import Proved

from tests._scripts import write_scripts

SCRIPTS = {
    # A proof: 1/2 + 1/2 = 1, checked exactly, with the work recorded.
    "a_proves.py": """
        @claim("halves-sum-to-one", "1/2 + 1/2 = 1", expect="proved", tags=("arith",))
        def halves(d):
            total = Signal(['1/2']) + Signal(['1/2'])
            d.equation("1/2 + 1/2", total)
            ok = total == Signal([1])
            return Proved("1/2 + 1/2 = 1", decider="symbolic") if ok else Undecided("?", reason="bug")

        @claim("second-in-file", "defined second", expect="proved")
        def second(d):
            return Proved("defined second")
    """,
    # A refutation: reversing does not commute with a cyclic shift on [1, 2, 3].
    "b_refutes.py": """
        @claim("reverse-vs-shift", "reversal commutes with a cyclic shift", expect="refuted")
        def reverse_vs_shift(d):
            u = [1, 2, 3]
            shift = lambda v: [v[-1]] + v[:-1]
            lhs, rhs = Signal(shift(u[::-1])), Signal(shift(u)[::-1])
            d.equation("S(R u)", lhs)
            d.equation("R(S u)", rhs)
            return Counterexample("R S = S R", input=Signal(u), lhs=lhs, rhs=rhs, decider="exact")
    """,
    # A WRONG expectation: the claim expects "proved" but the function refutes.
    "c_wrong.py": """
        @claim("wrongly-expected", "squares commute with negation", expect="proved")
        def wrong(d):
            u = Signal([1, 2])
            return Counterexample("(-u)^2 = -(u^2)", input=u, lhs=u.multiply(u), rhs=-u.multiply(u),
                                  decider="exact")
    """,
    "d_raises.py": """
        @claim("raises", "a claim with a bug", expect="proved")
        def raises(d):
            return {}["missing key"]
    """,
    "e_slow.py": """
        @claim("too-slow", "a claim that runs past its budget", expect="undecided", budget=0.2)
        def too_slow(d):
            d.text("Searching forever.")
            while True:
                pass
    """,
}


@pytest.fixture
def proofs(tmp_path):
    return write_scripts(tmp_path / "proofs", SCRIPTS)


def test_discover_collects_in_file_then_definition_order(proofs):
    claims = discover(proofs)
    assert [c.id for c in claims] == ["halves-sum-to-one", "second-in-file", "reverse-vs-shift",
                                      "wrongly-expected", "raises", "too-slow"]
    assert claims[0].file == (proofs / "a_proves.py").resolve()
    assert claims[0].tags == ("arith",) and claims[-1].budget == 0.2
    assert [c.expect for c in claims] == ["proved", "proved", "refuted", "proved", "proved", "undecided"]


def test_run_each_kind_of_outcome(proofs, tmp_path):
    by_id = {c.id: c.run(tmp_path / "out") for c in discover(proofs)}

    proved = by_id["halves-sum-to-one"]
    assert isinstance(proved, ClaimResult)
    assert (proved.ok, proved.status, proved.obtained, proved.decider) == (True, "OK", "proved", "symbolic")
    assert proved.error is None and proved.seconds >= 0
    assert proved.derivation.steps == (("equation", "    1/2 + 1/2 = [1]"),)

    refuted = by_id["reverse-vs-shift"]
    assert (refuted.ok, refuted.obtained, refuted.expected) == (True, "refuted", "refuted")
    # by hand: R u = [3, 2, 1], S(R u) = [1, 3, 2]; S u = [3, 1, 2], R(S u) = [2, 1, 3]
    assert refuted.verdict.lhs == Signal([1, 3, 2]) and refuted.verdict.rhs == Signal([2, 1, 3])
    assert refuted.verdict.difference == Signal([-1, 2, -1])

    wrong = by_id["wrongly-expected"]
    assert (wrong.ok, wrong.status, wrong.obtained, wrong.expected) == (False, "MISMATCH", "refuted", "proved")

    raised = by_id["raises"]
    assert (raised.ok, raised.status, raised.obtained, raised.verdict) == (False, "ERROR", "error", None)
    assert "KeyError: 'missing key'" in raised.error and "Traceback" in raised.error

    slow = by_id["too-slow"]
    assert (slow.ok, slow.status, slow.obtained, slow.decider) == (True, "OK", "undecided", "")
    assert "time budget of 0.2 s" in slow.verdict.reason
    assert 0.15 < slow.seconds < 5
    assert slow.derivation.steps == (("text", "Searching forever."),)


def test_runner_budget_overrides_the_claims_budget(proofs, tmp_path):
    (slow,) = [c for c in discover(proofs) if c.id == "too-slow"]
    result = slow.run(tmp_path, budget=0.05)
    assert result.obtained == "undecided" and "0.05 s" in result.verdict.reason


def test_broken_scripts_become_error_results(tmp_path):
    folder = write_scripts(tmp_path / "p", {
        "bad_syntax.py": "def oops(:\n",
        "bad_expect.py": """
            @claim("x", "x", expect="true")
            def x(d):
                return Proved("x")
        """,
        "exits.py": "import sys\nsys.exit(3)\n",
    })
    claims = discover(folder)
    assert [c.id for c in claims] == ["bad_expect.load-error", "bad_syntax.load-error", "exits.load-error"]
    results = [c.run(tmp_path / "out") for c in claims]
    assert all(r.status == "ERROR" for r in results)
    assert "expect='true' must be one of" in results[0].error
    assert "SyntaxError" in results[1].error
    assert "SystemExit" in results[2].error


def test_helpers_are_skipped_but_importable_and_ids_must_be_unique(tmp_path):
    folder = write_scripts(tmp_path / "p", {
        "_shared.py": "ANSWER = 42\n",
        "uses_helper.py": """
            from _shared import ANSWER

            @claim("uses-helper", "the helper module is importable", expect="proved")
            def uses(d):
                return Proved(f"answer {ANSWER}")
        """,
        "zz_duplicate.py": """
            @claim("uses-helper", "same id again")
            def again(d):
                return Proved("again")
        """,
    })
    claims = discover(folder)
    assert [c.id for c in claims] == ["uses-helper", "zz_duplicate.uses-helper.duplicate-error"]
    first = claims[0].run(tmp_path / "out")
    assert first.ok and first.verdict.statement == "answer 42"
    dup = claims[1].run(tmp_path / "out")
    assert dup.status == "ERROR" and "already defined" in dup.error


def test_discover_takes_files_and_reloads_fresh(proofs):
    file = proofs / "b_refutes.py"
    assert [c.id for c in discover([file])] == ["reverse-vs-shift"]
    # loading the same file again does not report a duplicate
    assert [c.id for c in discover([file, proofs / "b_refutes.py"])] == ["reverse-vs-shift"]
    with pytest.raises(InvalidArgumentError, match="does not exist"):
        discover(proofs / "nope")
    (proofs / "notes.txt").write_text("x")
    with pytest.raises(InvalidArgumentError, match="not a .py"):
        discover(proofs / "notes.txt")


def test_output_dir_is_per_claim(tmp_path):
    @claim("writes-a-file", "writes into its folder")
    def writes(d):
        (d.output_dir / "data.txt").write_text("1/3")
        return Proved("wrote")

    result = writes.run(tmp_path)
    assert result.ok
    assert (tmp_path / "writes-a-file" / "data.txt").read_text() == "1/3"


def test_a_function_must_return_a_verdict(tmp_path):
    @claim("returns-bool", "returns True")
    def returns_bool(d):
        return True

    result = returns_bool.run(tmp_path)
    assert result.status == "ERROR" and "must return Proved, Counterexample or Undecided" in result.error


def test_decorator_validates_at_the_door():
    with pytest.raises(InvalidArgumentError, match="id="):
        claim("has space", "t")
    with pytest.raises(InvalidArgumentError, match="title="):
        claim("ok", "")
    with pytest.raises(InvalidArgumentError, match="expect="):
        claim("ok", "t", expect="yes")
    with pytest.raises(InvalidArgumentError, match="budget="):
        claim("ok", "t", budget=0)
    with pytest.raises(InvalidArgumentError, match="tags="):
        claim("ok", "t", tags=("",))
    with pytest.raises(InvalidArgumentError, match="one line"):
        claim("ok", "two\nlines")
    with pytest.raises(InvalidArgumentError, match="odd number of \\$"):
        claim("ok", "t", latex="$x_j")
    with pytest.raises(InvalidArgumentError, match="unbalanced braces"):
        claim("ok", "t", latex=r"$\frac{1}{2$")
    with pytest.raises(InvalidArgumentError, match="statement="):
        claim("ok", "t", statement=" ")

    @claim("registered-once", "t")
    def once(d):
        return Proved("t")

    assert isinstance(once, Claim) and once in claims_in_module(__name__)
    assert once(None) == Proved("t")  # a claim is still callable
    with pytest.raises(InvalidArgumentError, match="defined twice"):
        @claim("registered-once", "t")
        def twice(d):
            return Proved("t")


# --- d.require: the one way a proof script reports a failed check ----------------------------------

@claim("require-fails", "1 + 1 = 3", expect="proved")
def _require_fails(d):
    d.convention("integers")
    d.require(1 + 1 == 2, "never shown")
    d.require(1 + 1 == 3, "1 + 1 evaluates to 2, not 3")
    d.text("not reached")
    return Proved("1 + 1 = 3", decider="symbolic")


def test_require_ends_the_claim_undecided_with_its_reason(tmp_path):
    from symequi.report.runner import failures

    result = _require_fails.run(tmp_path)
    assert (result.status, result.obtained, result.error) == ("MISMATCH", "undecided", None)
    v = result.verdict
    assert v.undecided and v.reason == "1 + 1 evaluates to 2, not 3"
    assert v.statement == "1 + 1 = 3" and v.conventions == ("integers",) and v.decider == ""
    assert result.derivation.steps[-1] == ("check", "Check failed: 1 + 1 evaluates to 2, not 3")
    assert ("text", "not reached") not in result.derivation.steps
    assert failures([result]) == ["MISMATCH require-fails: expected proved, got undecided: "
                                  "1 + 1 evaluates to 2, not 3"]


def test_require_outside_the_runner_raises_check_failed():
    from symequi.core.errors import SymequiError
    from symequi.report.derivation import CheckFailed, Derivation

    with pytest.raises(CheckFailed, match="1 \\+ 1 evaluates to 2") as info:
        _require_fails(Derivation("direct call"))
    assert isinstance(info.value, SymequiError) and info.value.reason == "1 + 1 evaluates to 2, not 3"


def test_title_statement_and_latex(tmp_path):
    @claim("with-latex", "Short title", statement="x_j = 0 for every j", latex=r"$x_j = 0$ for every $j$",
           expect="undecided")
    def stated(d):
        d.require(False, "not checked")
        return Proved("x_j = 0 for every j")

    assert (stated.title, stated.plain_statement, stated.latex) == (
        "Short title", "x_j = 0 for every j", r"$x_j = 0$ for every $j$")
    result = stated.run(tmp_path)
    # the verdicts and the derivation state the full statement, not the title
    assert result.verdict.statement == "x_j = 0 for every j" and result.derivation.title == "x_j = 0 for every j"
