"""Parallel runs (``symequi prove -n 2``, ``run_claims(jobs=2)``): the same table, JSON and LaTeX
document as the serial run, on a small proofs folder with a failing claim, a claim that errors and a
claim that kills its worker; claims of different files really overlap; Ctrl-C keeps what finished."""

from __future__ import annotations

import concurrent.futures
import contextlib
import io
import json
import multiprocessing
import os
import pathlib
import re
import signal
import time

import pytest

from symequi.cli import main
from symequi.core.errors import InvalidArgumentError
from symequi.report.claims import Claim, discover
from symequi.report.parallel import check_jobs, claim_groups, run_parallel
from symequi.report.runner import run_claims

from tests._scripts import write_scripts

SCRIPTS = {
    "a_first.py": """
        import os, pathlib, time

        STATE = []

        @claim("a-waits", "waits until b has started (true only when files run at the same time)",
               expect="proved", budget=60)
        def waits(d):
            marker = pathlib.Path(os.environ["SYMEQUI_TEST_MARKERS"]) / "b-started"
            # b starts within a second or two when files run in parallel; serially it cannot start
            # at all while a waits, so the serial run waits only briefly (SYMEQUI_TEST_WAIT)
            end = time.monotonic() + float(os.environ.get("SYMEQUI_TEST_WAIT", "8"))
            while not marker.exists():
                if time.monotonic() > end:
                    return Undecided("b never started while a ran", reason="no overlap")
                time.sleep(0.02)
            STATE.append(1)
            d.text("b had started.")
            return Proved("a and b overlapped", decider="exact")

        @claim("a-state", "sees its file's module state", expect="proved")
        def state(d):
            assert STATE == [1], STATE
            return Proved("state shared", decider="exact")

        @claim("a-mismatch", "expects proved, gets a counterexample", expect="proved")
        def mismatch(d):
            u = Signal([1, 2])
            return Counterexample("[1, 2] = [2, 1]", input=u, lhs=u, rhs=Signal([2, 1]), decider="exact")
    """,
    "b_second.py": """
        import os, pathlib

        @claim("b-marks", "tells a that it started", expect="refuted")
        def marks(d):
            (pathlib.Path(os.environ["SYMEQUI_TEST_MARKERS"]) / "b-started").write_text("")
            d.equation("1 + 1", 3, relation="!=")
            u = Signal(["1/3"])
            return Counterexample("1/3 = 2/3", input=u, lhs=u, rhs=Signal(["2/3"]), decider="exact")

        @claim("b-crash", "kills its worker process", expect="proved")
        def crash(d):
            os._exit(7)

        @claim("b-after-crash", "runs in a fresh worker after the crash", expect="proved")
        def after(d):
            return Proved("after the crash", decider="exact")
    """,
    "c_third.py": """
        @claim("c-raises", "raises ZeroDivisionError", expect="proved")
        def raises(d):
            return 1 // 0

        @claim("c-undecided", "is honestly undecided", expect="undecided")
        def undecided(d):
            return Undecided("c", reason="by design")
    """,
    "d_fourth.py": """
        import time

        @claim("d-long", "sleeps long (stopped by Ctrl-C)", expect="proved", budget=120)
        def long(d):
            time.sleep(100)
            return Proved("slept", decider="exact")
    """,
}

EXPECTED_STATUS = {"a-waits": "OK", "a-state": "OK", "a-mismatch": "MISMATCH", "b-marks": "OK", "b-crash": "ERROR",
                   "b-after-crash": "OK", "c-raises": "ERROR", "c-undecided": "OK"}


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("parallel")
    write_scripts(root / "proofs", {k: v for k, v in SCRIPTS.items() if k != "d_fourth.py"})
    write_scripts(root / "slow", {"a_first.py": SCRIPTS["a_first.py"], "d_fourth.py": SCRIPTS["d_fourth.py"]})
    return root


def _masked(text: str) -> str:
    """Output with the seconds (the one thing that may differ between runs) blanked."""
    return re.sub(r"\d+\.\d\d( s)?", "S", text)


def _prove(folder: pathlib.Path, name: str, jobs: int) -> tuple[int, list, str, str]:
    """``symequi prove proofs --json -n jobs`` in ``folder``: status, JSON rows without seconds,
    stderr (table and progress) and the LaTeX document.  Serially, a-waits gives up after 1 s
    (b cannot start before it returns); in parallel it waits up to 8 s for b."""
    markers = folder / f"markers-{name}"
    markers.mkdir()
    out = folder / f"out-{name}"
    stdout, stderr = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SYMEQUI_TEST_MARKERS", str(markers))
        mp.setenv("SYMEQUI_TEST_WAIT", "1" if jobs == 1 else "8")
        mp.chdir(folder)
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            status = main(["prove", "proofs", "--json", "--no-pdf", "--out", str(out), "-n", str(jobs)])
    rows = json.loads(stdout.getvalue())
    for row in rows:
        row.pop("seconds")
    tex = (out / "symequi-proofs.tex").read_text().replace(str(out.resolve()), "OUT")
    return status, rows, stderr.getvalue(), tex


@pytest.fixture(scope="module")
def runs(folder):
    """The serial run of the folder, and the same with ``-n 2``."""
    return _prove(folder, "serial", 1), _prove(folder, "parallel", 2)


def _table(stderr: str) -> str:
    """The verdict table (from its header to its summary line) of the CLI's stderr."""
    lines = stderr.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("claim "))
    end = next(i for i in range(start, len(lines)) if re.match(r"\d+ claims?:", lines[i]))
    return "\n".join(lines[start:end + 1])


def test_the_statuses_are_the_expected_ones(runs):
    serial, parallel = runs
    assert parallel[0] == serial[0] == 1  # a mismatch and errors
    assert {r["id"]: r["status"] for r in parallel[1]} == EXPECTED_STATUS
    # serially, b_second.py starts only after a-waits gave up: then a-state sees no state either
    assert {r["id"]: r["status"] for r in serial[1]} == {**EXPECTED_STATUS, "a-waits": "MISMATCH", "a-state": "ERROR"}
    crash = next(r for r in parallel[1] if r["id"] == "b-crash")
    assert "exited with status 7" in crash["error"]


def test_the_claims_of_different_files_overlap_only_in_parallel(runs):
    serial, parallel = runs
    # a-waits sees b's marker only when b_second.py runs while a_first.py waits
    assert next(r for r in serial[1] if r["id"] == "a-waits")["verdict"] == "undecided"
    assert next(r for r in parallel[1] if r["id"] == "a-waits")["verdict"] == "proved"


def test_json_table_and_document_are_those_of_the_serial_run(folder):
    """Where the claims do not depend on overlapping (b's marker already there for both runs),
    -n 2 gives the serial output, up to the seconds."""
    markers = folder / "markers-shared"
    markers.mkdir()
    (markers / "b-started").write_text("")
    outputs = []
    for jobs in (1, 2):
        out = folder / f"same-{jobs}"
        stdout, stderr = io.StringIO(), io.StringIO()
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("SYMEQUI_TEST_MARKERS", str(markers))
            mp.chdir(folder)
            with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
                status = main(["prove", "proofs", "--json", "--no-pdf", "--out", str(out), "-n", str(jobs)])
        rows = json.loads(stdout.getvalue())
        assert [r.pop("seconds") >= 0 for r in rows]
        tex = (out / "symequi-proofs.tex").read_text().replace(str(out.resolve()), "OUT")
        outputs.append((status, rows, _masked(_table(stderr.getvalue())), _masked(tex)))
    serial, parallel = outputs
    assert [r["id"] for r in serial[1]] == list(EXPECTED_STATUS)  # file order, then definition order
    assert serial[0] == parallel[0] == 1
    assert serial[1] == parallel[1]
    assert serial[2] == parallel[2]
    assert serial[3] == parallel[3]
    assert "1/3" in serial[3] and "a and b overlapped" in serial[3]


def test_progress_lines_name_every_claim_once_with_its_position(runs):
    _, parallel = runs
    stderr = parallel[2]
    for i, claim_id in enumerate(EXPECTED_STATUS, start=1):
        assert stderr.count(f"[{i}/{len(EXPECTED_STATUS)}] {claim_id} ...") == 1
        assert stderr.count(f"[{i}/{len(EXPECTED_STATUS)}] {claim_id}: ") == 1


def test_groups_follow_the_serial_runner(folder):
    claims = discover(folder / "proofs")
    assert claim_groups(claims) == [[0, 1, 2], [3, 4, 5], [6, 7]]
    here = [Claim("x", "defined here", None), Claim("y", "defined here", None)]
    assert claim_groups(here + claims[:2]) == [[0], [1], [2, 3]]


def test_claims_of_this_program_run_here_in_order(tmp_path):
    from symequi.core.verdict import Proved
    from symequi.report.claims import claim

    @claim("here-1", "defined in the test")
    def one(d):
        return Proved("here", decider="exact")

    @claim("here-2", "defined in the test too", expect="refuted")
    def two(d):
        return Proved("here", decider="exact")

    results = run_claims([one, two], output_dir=tmp_path, jobs=2)
    assert [(r.id, r.status) for r in results] == [("here-1", "OK"), ("here-2", "MISMATCH")]


def test_ctrl_c_kills_the_workers_and_keeps_what_finished(folder, tmp_path):
    """SIGINT (to this process only) when d-long starts: the run stops at once (without the kill the
    test would wait 100 s), and the KeyboardInterrupt carries the results finished before it."""
    markers = tmp_path / "markers"
    markers.mkdir()
    (markers / "b-started").write_text("")
    claims = discover(folder / "slow")
    ends = []

    def progress(event):
        if event.kind == "start" and event.claim.id == "d-long":
            os.kill(os.getpid(), signal.SIGINT)
        if event.kind == "end":
            ends.append(event.claim.id)

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SYMEQUI_TEST_MARKERS", str(markers))
        with pytest.raises(KeyboardInterrupt) as stop:
            run_claims(claims, output_dir=tmp_path / "out", jobs=2, progress=progress)
    finished = stop.value.results
    assert "d-long" not in [r.id for r in finished] and "d-long" not in ends
    assert [r.id for r in finished] == [c.id for c in claims if c.id in {r.id for r in finished}]


@pytest.mark.parametrize("jobs", [0, -1, 1.5, True, "2"])
def test_bad_jobs_are_refused_naming_the_argument(jobs, tmp_path):
    with pytest.raises(InvalidArgumentError, match="jobs="):
        check_jobs(jobs)
    with pytest.raises(InvalidArgumentError, match="jobs="):
        run_claims([], output_dir=tmp_path, jobs=jobs)
    with pytest.raises(InvalidArgumentError, match="jobs="):
        run_parallel([], output_dir=tmp_path, jobs=jobs)


@pytest.mark.parametrize("text", ["0", "-2", "two", "1.5"])
def test_the_cli_refuses_a_bad_n(text, tmp_path, capsys):
    assert main(["prove", str(tmp_path), "-n", text]) == 2
    assert "must be a whole number of worker processes" in capsys.readouterr().err


def test_ctrl_c_during_the_submits_still_kills_the_workers(folder, tmp_path, monkeypatch):
    """Ctrl-C that lands while the groups are being handed to the pool (before the list of
    futures exists) still kills d-long's worker: run_parallel stops within seconds, not after
    d-long's 100 s sleep, and leaves no worker process behind."""
    markers = tmp_path / "markers"
    markers.mkdir()
    (markers / "b-started").write_text("")
    monkeypatch.setenv("SYMEQUI_TEST_MARKERS", str(markers))
    real_submit = concurrent.futures.ThreadPoolExecutor.submit
    submitted = []

    def submit(self, fn, *args, **kwargs):
        future = real_submit(self, fn, *args, **kwargs)
        submitted.append(future)
        if len(submitted) == 2:  # d_fourth.py's group: let d-long start sleeping, then Ctrl-C
            time.sleep(2)
            raise KeyboardInterrupt
        return future

    monkeypatch.setattr(concurrent.futures.ThreadPoolExecutor, "submit", submit)
    start = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        run_parallel(discover(folder / "slow"), output_dir=tmp_path / "out", jobs=2)
    assert time.monotonic() - start < 40  # d-long alone would hold it for 100 s
    assert not [p for p in multiprocessing.active_children() if p.name.startswith("symequi-claims")]
