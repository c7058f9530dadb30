"""Runner: selection, progress events, the text table and the JSON results."""

from __future__ import annotations

import json
import os

import pathlib

import pytest

from symequi.report.claims import claim, discover
from symequi.core.errors import InvalidArgumentError
from symequi.report.runner import failures, format_table, results_to_json, run_claims, select_claims, stderr_progress
from symequi.core.signal import Signal
from symequi.core.verdict import Counterexample, Proved

from tests._scripts import write_scripts


@claim("run-proves", "a proved claim", expect="proved", tags=("demo",))
def proves(d):
    d.equation("1 + 1", 2)
    return Proved("1 + 1 = 2", decider="symbolic")


@claim("run-refutes", "a refuted claim", expect="refuted")
def refutes(d):
    return Counterexample("[1] = [2]", input=Signal([1]), lhs=Signal([1]), rhs=Signal([2]), decider="exact")


@claim("run-mismatch", "expected proved, refuted", expect="proved")
def mismatch(d):
    return Counterexample("[0] = [1]", input=Signal([0]), lhs=Signal([0]), rhs=Signal([1]), decider="exact")


@claim("run-error", "a claim that raises", expect="refuted")
def error(d):
    raise ZeroDivisionError("1/0")


@claim("run-spins", "spins forever", expect="proved", tags=("slow",))
def spins(d):
    while True:
        pass


ALL = [proves, refutes, mismatch, error]


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return run_claims(ALL, output_dir=tmp_path_factory.mktemp("out"))


def test_table(results):
    assert format_table(results, seconds=False).splitlines() == [
        "claim         expected  verdict  decider   status",
        "------------  --------  -------  --------  --------",
        "run-proves    proved    proved   symbolic  OK",
        "run-refutes   refuted   refuted  exact     OK",
        "run-mismatch  proved    refuted  exact     MISMATCH",
        "run-error     refuted   error    -         ERROR",
        "4 claims: 2 OK, 1 MISMATCH, 1 ERROR",
    ]
    with_seconds = format_table(results).splitlines()
    assert with_seconds[0].split() == ["claim", "expected", "verdict", "decider", "seconds", "status"]
    assert all(float(line.split()[4]) >= 0 for line in with_seconds[2:6])


def test_json(results):
    data = results_to_json(results)
    assert json.loads(json.dumps(data)) == data  # plain JSON values only
    assert [(r["id"], r["expected"], r["verdict"], r["decider"], r["ok"], r["status"]) for r in data] == [
        ("run-proves", "proved", "proved", "symbolic", True, "OK"),
        ("run-refutes", "refuted", "refuted", "exact", True, "OK"),
        ("run-mismatch", "proved", "refuted", "exact", False, "MISMATCH"),
        ("run-error", "refuted", "error", "", False, "ERROR"),
    ]
    first = data[0]
    assert set(first) >= {"id", "title", "expected", "verdict", "decider", "seconds", "ok", "error", "file"}
    assert first["title"] == "a proved claim" and first["error"] is None and first["tags"] == ["demo"]
    assert first["file"].endswith("test_runner.py")
    assert first["verdict_text"].startswith("Proved: 1 + 1 = 2")
    assert "ZeroDivisionError: 1/0" in data[3]["error"] and data[3]["statement"] is None


@claim("run-conventions", "a refutation with conventions", expect="refuted")
def with_conventions(d):
    return Counterexample("[1] commutes with nothing", refuted_statement="[1] does not commute with the flip",
                          input=Signal([1]), lhs=Signal([1]), rhs=Signal([2]), decider="exact",
                          conventions=("periodic boundary", "H(0) = 0, as in the paper"))


def test_json_conventions_are_a_list_and_the_text_bullets_them(tmp_path):
    row = results_to_json(run_claims([with_conventions], output_dir=tmp_path))[0]
    assert json.loads(json.dumps(row)) == row
    assert row["conventions"] == ["periodic boundary", "H(0) = 0, as in the paper"]
    assert row["statement"] == "[1] commutes with nothing"
    assert row["refuted_statement"] == "[1] does not commute with the flip"
    lines = row["verdict_text"].splitlines()
    assert lines[0] == "Refuted: [1] does not commute with the flip"
    assert lines[-3:] == ["  conventions:", "  - periodic boundary", "  - H(0) = 0, as in the paper"]
    assert all(len(line) < 100 for line in lines)


def test_json_rows_of_other_verdicts(results):
    data = results_to_json(results)
    assert data[0]["conventions"] == [] and data[0]["refuted_statement"] is None
    assert data[3]["conventions"] == [] and data[3]["refuted_statement"] is None  # an error: no verdict


def test_failures_name_the_claims(results):
    raising = next(i for i, line in enumerate(pathlib.Path(__file__).read_text().splitlines(), start=1)
                   if line.strip() == 'raise ZeroDivisionError("1/0")')
    assert failures(results) == [
        "MISMATCH run-mismatch: expected proved, got refuted",
        f"ERROR run-error ({results[3].file}:{raising}): ZeroDivisionError: 1/0",
    ]
    with_tb = failures(results, traceback=True)
    assert with_tb[:2] == failures(results)
    assert with_tb[2] == "    Traceback (most recent call last):" and with_tb[-1] == "    ZeroDivisionError: 1/0"


def test_selection():
    claims = ALL + [spins]
    assert [c.id for c in select_claims(claims, "run-ref")] == ["run-refutes"]
    assert [c.id for c in select_claims(claims, "run-*s")] == ["run-proves", "run-refutes", "run-spins"]
    assert [c.id for c in select_claims(claims, "SLOW, mismatch")] == ["run-mismatch", "run-spins"]
    assert [c.id for c in select_claims(claims, "raises")] == ["run-error"]  # matches the title
    assert select_claims(claims, "nothing-like-this") == []
    with pytest.raises(InvalidArgumentError, match="pattern"):
        select_claims(claims, " , ")
    with pytest.raises(InvalidArgumentError, match=r"claims\[0\]"):
        select_claims(["run-proves"], None)


def test_progress_events_and_budget(tmp_path, capsys):
    events = []
    results = run_claims(ALL + [spins], pattern="proves,spins", output_dir=tmp_path, budget=0.1,
                         progress=events.append)
    assert [(e.kind, e.index, e.total, e.claim.id) for e in events] == [
        ("start", 1, 2, "run-proves"), ("end", 1, 2, "run-proves"),
        ("start", 2, 2, "run-spins"), ("end", 2, 2, "run-spins"),
    ]
    assert events[1].result is results[0] and events[0].result is None
    assert results[1].obtained == "undecided" and "0.1 s" in results[1].verdict.reason
    assert failures(results)[0].startswith("MISMATCH run-spins: expected proved, got undecided: claim 'run-spins'")
    for event in events:
        stderr_progress(event)
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "[1/2] run-proves ..."
    assert lines[1].startswith("[1/2] run-proves: OK (proved, expected proved; ")
    assert lines[1].endswith(" s, decider: symbolic)")
    assert lines[3].startswith("[2/2] run-spins: MISMATCH (undecided, expected proved; ")


def test_arguments_checked(tmp_path):
    with pytest.raises(InvalidArgumentError, match="output_dir"):
        run_claims(ALL, output_dir=None)
    with pytest.raises(InvalidArgumentError, match="progress"):
        run_claims(ALL, output_dir=tmp_path, progress="stderr")
    with pytest.raises(InvalidArgumentError, match="budget"):
        run_claims(ALL, output_dir=tmp_path, budget=-1)


@claim("run-ctrl-c", "Ctrl-C in a claim run in this process", expect="proved")
def ctrl_c(d):
    raise KeyboardInterrupt


def test_ctrl_c_keeps_the_finished_results(tmp_path):
    # a claim defined in the running program runs in process: its KeyboardInterrupt is the user's Ctrl-C
    with pytest.raises(KeyboardInterrupt) as info:
        run_claims([proves, refutes, ctrl_c, mismatch], output_dir=tmp_path)
    assert [(r.id, r.status) for r in info.value.results] == [("run-proves", "OK"), ("run-refutes", "OK")]


def test_script_claims_run_in_worker_processes(tmp_path):
    folder = write_scripts(tmp_path / "scripts", {"pids.py": """
        import os

        @claim("run-pid", "records its process id", expect="proved")
        def pid(d):
            d.text(str(os.getpid()))
            return Proved("pid", decider="symbolic")

        @claim("run-ctrl-c-in-script", "raises KeyboardInterrupt", expect="proved")
        def ctrl_c(d):
            raise KeyboardInterrupt

        @claim("run-pid-again", "records its process id", expect="proved")
        def pid_again(d):
            d.text(str(os.getpid()))
            return Proved("pid", decider="symbolic")
    """})
    results = run_claims(discover(folder), output_dir=tmp_path / "out")
    assert [r.status for r in results] == ["OK", "ERROR", "OK"]
    first, last = (int(r.derivation.to_text().split()[-1]) for r in (results[0], results[2]))
    assert first == last != os.getpid()  # one worker for the file, not this process
    assert failures(results) == [f"ERROR run-ctrl-c-in-script ({folder / 'pids.py'}): KeyboardInterrupt"]


SCHEMA = pathlib.Path(__file__).resolve().parents[2] / "symequi" / "report" / "results.schema.json"


def test_json_witness_is_structured_and_matches_the_shipped_schema(results, tmp_path):
    jsonschema = pytest.importorskip("jsonschema")  # in the test extra
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    two_d = claim("run-2d", "a 2-D witness", expect="refuted")(
        lambda d: Counterexample("x", input=Signal([[1, "1/3"], [0, 2]]), lhs=Signal([[1, 0], [0, 0]]),
                                 rhs=Signal([[0, 0], [0, "-1/2"]]), functions={"f": "H(x)"}, decider="exact"))
    data = results_to_json(list(results) + run_claims([two_d], output_dir=tmp_path))
    jsonschema.validate(data, schema)
    by_id = {row["id"]: row for row in data}
    # run-refutes: input [1], lhs [1], rhs [2]; difference 1 - 2 = -1 (by hand)
    assert by_id["run-refutes"]["witness"] == {"input": ["1"], "lhs": ["1"], "rhs": ["2"],
                                               "difference": ["-1"], "functions": {}}
    assert by_id["run-2d"]["witness"] == {"input": [["1", "1/3"], ["0", "2"]], "lhs": [["1", "0"], ["0", "0"]],
                                          "rhs": [["0", "0"], ["0", "-1/2"]],
                                          "difference": [["1", "0"], ["0", "1/2"]], "functions": {"f": "H(x)"}}
    assert by_id["run-proves"]["witness"] is None and by_id["run-error"]["witness"] is None
    assert by_id["run-error"]["location"].endswith(f"test_runner.py:{_line_of('raise ZeroDivisionError')}")
    assert by_id["run-proves"]["location"] is None
    # a row with a wrong type is rejected: the schema is not vacuous
    broken = [dict(data[0], witness={"input": [1]})]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def _line_of(text):
    return next(i for i, line in enumerate(pathlib.Path(__file__).read_text().splitlines(), start=1)
                if line.strip().startswith(text))
