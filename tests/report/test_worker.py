"""Worker processes: a claim that crashes, exits, swallows its budget or raises KeyboardInterrupt
becomes one result, and the claims after it still run."""

from __future__ import annotations

import pickle
import time
from fractions import Fraction

import flint
import pytest
import sympy

from symequi.core.signal import Signal
from symequi.core.verdict import Counterexample
from symequi.report.claims import Claim, ClaimResult, discover
from symequi.report.derivation import Derivation
from symequi.report.worker import (ClaimWorkers, discover_isolated, dumps_result, grace_seconds, isolable,
                                   loads_result)

from tests._scripts import write_scripts

HOSTILE = {
    "hostile.py": """
        import ctypes, os, time

        COUNT = []

        @claim("w-first", "runs first", expect="proved")
        def first(d):
            COUNT.append(1)
            return Proved("runs first", decider="symbolic")

        @claim("w-shares", "sees the module state of the claim before it", expect="proved")
        def shares(d):
            assert COUNT == [1], COUNT
            return Proved("shared", decider="symbolic")

        @claim("w-ctrl-c", "raises KeyboardInterrupt", expect="proved")
        def ctrl_c(d):
            raise KeyboardInterrupt

        @claim("w-exit", "calls os._exit(3)", expect="proved")
        def leaves(d):
            os._exit(3)

        @claim("w-segfault", "reads address 0", expect="proved")
        def segfault(d):
            ctypes.string_at(0)

        @claim("w-stubborn", "swallows every exception in a loop", expect="undecided", budget=1)
        def stubborn(d):
            while True:
                try:
                    time.sleep(0.05)
                except BaseException:
                    pass

        @claim("w-last", "runs after all of them", expect="refuted")
        def last(d):
            u = Signal([1])
            return Counterexample("[1] = [2]", input=u, lhs=u, rhs=Signal([2]), decider="exact")
    """,
}


@pytest.fixture(scope="module")
def hostile_results(tmp_path_factory):
    folder = write_scripts(tmp_path_factory.mktemp("scripts"), HOSTILE)
    claims = discover(folder)
    assert all(isolable(c) for c in claims)
    start = time.monotonic()
    with ClaimWorkers(folder / "out") as workers:
        results = {c.id: workers.run(c) for c in claims}
    return results, time.monotonic() - start


def test_module_state_is_shared_within_a_file(hostile_results):
    results, _ = hostile_results
    assert (results["w-first"].status, results["w-shares"].status) == ("OK", "OK")


def test_keyboard_interrupt_raised_by_a_claim_is_its_error(hostile_results):
    results, _ = hostile_results
    r = results["w-ctrl-c"]
    assert r.status == "ERROR" and r.error.strip().splitlines()[-1] == "KeyboardInterrupt"


def test_os_exit_and_segfault_are_errors_naming_the_claim(hostile_results):
    results, _ = hostile_results
    assert results["w-exit"].error == ("claim 'w-exit': its worker process exited with status 3 (os._exit?) "
                                       "before returning a verdict")
    assert results["w-segfault"].error == ("claim 'w-segfault': its worker process was killed by SIGSEGV "
                                           "before returning a verdict")


def test_a_claim_that_swallows_its_budget_is_killed(hostile_results):
    results, elapsed = hostile_results
    r = results["w-stubborn"]
    assert r.status == "OK" and r.obtained == "undecided"
    assert r.verdict.reason.startswith("claim 'w-stubborn' ran past its budget of 1 s and did not stop")
    assert "killed after 3.05 s" in r.verdict.reason  # 1 s + grace_seconds(1)
    assert 3.0 <= r.seconds < 10 and elapsed < 60


def test_the_claims_after_them_still_run(hostile_results):
    results, _ = hostile_results
    assert results["w-last"].status == "OK" and results["w-last"].obtained == "refuted"
    assert list(results["w-last"].verdict.lhs.to_list()) == [1]


def test_in_process_claims_stay_in_process(tmp_path):
    seen = []
    c = Claim("here", "defined in this test", lambda d: seen.append(d) or None)
    assert not isolable(c)
    with ClaimWorkers(tmp_path) as workers:
        r = workers.run(c)
    assert len(seen) == 1 and r.status == "ERROR"  # it ran here; returning None is an error


def test_grace_and_arguments():
    assert grace_seconds(0) == 2.0 and grace_seconds(100) == 7.0
    with pytest.raises(Exception, match="output_dir"):
        ClaimWorkers(3)


def test_results_with_flint_values_travel_as_plain_data():
    # python-flint polynomials and matrices do not pickle by themselves
    with pytest.raises(TypeError):
        pickle.dumps(flint.fmpq_poly([1, 2], 3))
    poly_q, poly_z = flint.fmpq_poly([1, -2, 5], 6), flint.fmpz_poly([3, 0, -1])
    mat_q, mat_z = flint.fmpq_mat(2, 2, [flint.fmpq(1, 2), 0, 3, flint.fmpq(-7, 5)]), flint.fmpz_mat(1, 2, [4, -9])
    d = Derivation("payload")
    d.equation("u", Signal([0, "1/2", 1]))
    c = Claim("flint", "flint payload", None, expect="refuted")
    verdict = Counterexample("u = v", input=Signal([1]), lhs=Signal(["1/3"]), rhs=Signal([sympy.sqrt(2)]),
                             decider="exact", details={"polys": (poly_q, poly_z), "mats": (mat_q, mat_z)})
    back = loads_result(c, dumps_result(ClaimResult(c, verdict, d, 0.25, error=None)))
    assert back.claim is c and back.seconds == 0.25 and back.error is None
    assert back.verdict.text() == verdict.text() and back.derivation.to_latex() == d.to_latex()
    polys, mats = back.verdict.details["polys"], back.verdict.details["mats"]
    # coefficients by hand: (1 - 2x + 5x^2)/6 and 3 - x^2
    assert [Fraction(int(q.p), int(q.q)) for q in polys[0].coeffs()] == [Fraction(1, 6), Fraction(-1, 3),
                                                                          Fraction(5, 6)]
    assert [int(z) for z in polys[1].coeffs()] == [3, 0, -1]
    assert [Fraction(int(q.p), int(q.q)) for q in mats[0].entries()] == [Fraction(1, 2), 0, 3, Fraction(-7, 5)]
    assert (mats[1].nrows(), mats[1].ncols(), [int(z) for z in mats[1].entries()]) == (1, 2, [4, -9])


def test_a_worker_sees_the_environment_and_folder_of_the_run(tmp_path, monkeypatch):
    folder = write_scripts(tmp_path / "scripts", {"env.py": """
        import os

        @claim("w-env", "reads the environment and the folder", expect="proved")
        def env(d):
            d.text(os.environ.get("SYMEQUI_TEST_WORKER_ENV", "unset") + " " + os.getcwd())
            return Proved("env", decider="symbolic")
    """})
    [c] = discover(folder)
    for value in ("first", "second"):  # the worker is forked from a server started earlier
        monkeypatch.setenv("SYMEQUI_TEST_WORKER_ENV", value)
        monkeypatch.chdir(tmp_path)
        with ClaimWorkers(tmp_path / "out") as workers:
            r = workers.run(c)
        assert r.derivation.to_text().split()[-2:] == [value, str(tmp_path)]


def test_discover_isolated_turns_a_crashing_script_into_one_error_claim(tmp_path):
    folder = write_scripts(tmp_path / "scripts", {
        "a_fine.py": """
            @claim("w-a", "fine", expect="proved")
            def a(d):
                return Proved("fine", decider="symbolic")
        """,
        "b_segfaults.py": """
            import ctypes
            ctypes.string_at(0)
        """,
        "c_fine.py": """
            @claim("w-c1", "fine", expect="proved")
            def c1(d):
                return Proved("fine", decider="symbolic")

            @claim("w-c2", "fine", expect="proved")
            def c2(d):
                return Proved("fine", decider="symbolic")
        """,
    })
    claims = discover_isolated(folder)
    assert [c.id for c in claims] == ["w-a", "b_segfaults.load-error", "w-c1", "w-c2"]
    assert claims[1].load_error == "its worker process was killed by SIGSEGV while loading b_segfaults.py"
    assert claims[1].file == folder / "b_segfaults.py" and claims[1].fn is None
    assert [c.id for c in discover_isolated([folder / "c_fine.py"])] == ["w-c1", "w-c2"]
