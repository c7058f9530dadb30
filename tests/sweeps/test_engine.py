"""Sweeps on real Dask clusters: a LocalCluster of 2 worker processes, a scheduler and a worker
started as separate processes on 127.0.0.1, a worker killed by its case, and a killed sweep resumed."""

from __future__ import annotations

import contextlib
import json
import os
import pathlib
import signal
import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from symequi.sweeps import read_rows, sweep

ROOT = pathlib.Path(__file__).resolve().parents[2]
SPEC = {"sweep": {"budget": 30},
        "axes": {"operator": ["conv(1, -1) | relu", "relu", "tests.sweeps._factories:killer"],
                 "input_shape": [4], "padding": ["periodic"], "shift": ["1", "1/2"],
                 "shift_method": ["linear"]}}
# Expected by hand: periodic difference + ReLU and ReLU commute with the integer shift 1 and not with
# the half-cell linear shift (e.g. u = e_0: ReLU of the averaged signal differs at the ends).
EXPECTED = {("conv(1, -1) | relu", "1"): "proved", ("conv(1, -1) | relu", "1/2"): "refuted",
            ("relu", "1"): "proved", ("relu", "1/2"): "refuted"}


def _env() -> dict[str, str]:
    # allowed-failures = 1 as the LocalCluster path sets it: a case that kills its worker is given
    # up after two deaths, not four (each death costs a worker restart)
    return {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
            "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "1"}


#: The same sweep without the case that kills its worker (each death costs a worker restart).
SPEC_NO_KILLER = {**SPEC, "axes": {**SPEC["axes"], "operator": SPEC["axes"]["operator"][:2]}}


def _within(seconds: float, fn, *args, **kwargs):
    """``fn(*args, **kwargs)``, failing the test (instead of hanging the suite) when it takes longer
    than ``seconds``: it runs in a daemon thread, left behind on failure."""
    box: dict = {}

    def run() -> None:
        try:
            box["value"] = fn(*args, **kwargs)
        except BaseException as err:  # noqa: BLE001 - handed to the test's thread
            box["error"] = err

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"{fn.__name__} did not end within {seconds} s"
    if "error" in box:
        raise box["error"]
    return box["value"]


def _check(rows: list[dict], *, killer: bool = True) -> None:
    got = {(r["params"]["operator"], r["params"]["shift"]): r for r in rows}
    count = 6 if killer else 4
    assert len(rows) == count and len({r["key"] for r in rows}) == count
    for key, verdict in EXPECTED.items():
        assert got[key]["verdict"] == verdict, (key, got[key])
    for s in ("1", "1/2") if killer else ():  # the case that kills its worker is recorded, the sweep goes on
        dead = got[("tests.sweeps._factories:killer", s)]
        assert dead["verdict"] == "error" and "died" in dead["error"]


def test_local_cluster_with_two_worker_processes(tmp_path):
    # one case per task on 2 workers: a case queued on, or finished and not yet fetched from, a
    # worker the killer ends is lost with it and blamed for the death too; CI once saw ReLU
    # recorded as an error this way, until such cases were rerun alone before being blamed
    result = sweep(SPEC, out=tmp_path / "r.sqlite", workers=2, quiet=True)
    _check(result.rows)
    again = sweep(SPEC, out=tmp_path / "r.sqlite", local=True, quiet=True)   # resumes: nothing to run
    assert again.ran == 0 and again.skipped == 6 and len(again.rows) == 6


def test_scheduler_and_worker_as_separate_processes_over_tcp(tmp_path):
    file = tmp_path / "scheduler.json"
    procs = [subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                               "--port", "0", "--no-dashboard", "--scheduler-file", str(file)],
                              env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        deadline = time.monotonic() + 60
        while not file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert file.exists(), "the scheduler did not start"
        procs.append(subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", "--scheduler-file",
                                       str(file), "--nworkers", "1", "--nthreads", "1", "--no-dashboard"],
                                      env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        address = json.loads(file.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        from distributed import Client

        with Client(address, timeout="60s") as client:
            client.wait_for_workers(1, timeout=60)
            # the killer's case is the LocalCluster test's: a death restarts the worker the same way here
            result = sweep(SPEC_NO_KILLER, out=tmp_path / "r.sqlite", client=client, quiet=True)
        _check(result.rows, killer=False)
    finally:
        for p in reversed(procs):
            p.terminate()
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()


def test_a_sweep_killed_halfway_resumes_without_duplicates_or_losses(tmp_path):
    spec = tmp_path / "slow.toml"
    spec.write_text('[axes]\noperator = ["tests.sweeps._factories:slow"]\ninput_shape = [2, 3, 4, 5]\n'
                    'shift = ["1", "2", "3", "4", "5"]\n')
    out = tmp_path / "r.sqlite"
    cmd = [sys.executable, "-m", "symequi", "sweep", str(spec), "--out", str(out), "--local", "-q"]
    proc = subprocess.Popen(cmd, env={**_env(), "SYMEQUI_TEST_SLOW_SECONDS": "0.2"}, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        count = 0
        while time.monotonic() < deadline and count < 4:
            time.sleep(0.1)
            if out.exists():
                try:
                    count = sqlite3.connect(out).execute("SELECT COUNT(*) FROM cases").fetchone()[0]
                except sqlite3.OperationalError:
                    count = 0
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    before = read_rows(out)
    assert 4 <= len(before) < 20, len(before)
    done = subprocess.run(cmd, env=_env(), cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"({20 - len(before)} run now, {len(before)} already done)" in done.stdout
    after = read_rows(out)
    assert len(after) == 20 and len({r["key"] for r in after}) == 20
    assert {r["key"]: r["finished"] for r in before}.items() <= {r["key"]: r["finished"] for r in after}.items()
    assert {r["verdict"] for r in after} == {"proved"}   # ReLU commutes with every periodic integer shift



def test_a_case_stuck_in_c_code_is_given_up_and_the_sweep_ends(tmp_path, monkeypatch, capsys):
    # a task that never ends (here a case blocked on a lock in C, where no budget reaches; on a
    # LocalCluster once a task the scheduler lost, with every worker idle) used to hang the sweep
    # forever.  Budget 1 s (the first case of a fresh worker takes 0.2 s): a case may take
    # 1 * 1.5 + 1 = 2.5 s, a batch of two 5 s; with a grace of 0.5 s the sweep stops waiting after
    # 5.5 s without progress.  The stuck case (shift 2) shares its batch with an innocent one: both
    # run again alone on a restarted worker, the innocent one is decided, the stuck one given up
    # (no row: a rerun retries it), exit 1.  Every other case is decided on the other worker
    from symequi.cli import main
    from symequi.sweeps import flight

    monkeypatch.setattr(flight, "_STALL_GRACE_SECONDS", 0.5)
    spec = tmp_path / "stuck.toml"
    spec.write_text('[sweep]\nbudget = 1\nbatch_size = 2\n[axes]\noperator = ["tests.sweeps._factories:stuck_at_2"]\n'
                    'input_shape = [3]\nshift = ["1", "2", "-1", "-2", "3", "-3"]\n')
    assert _within(120, main, ["sweep", str(spec), "--out", str(tmp_path / "r.sqlite"), "--workers", "2", "-q"]) == 1
    rows = read_rows(tmp_path / "r.sqlite")
    assert sorted(r["params"]["shift"] for r in rows) == ["-1", "-2", "-3", "1", "3"]
    assert {r["verdict"] for r in rows} == {"proved"}   # ReLU commutes with integer shifts
    captured = capsys.readouterr()
    assert "5 case(s) in" in captured.out and "5 proved" in captured.out
    assert "1 case(s) given up, nothing saved for them" in captured.err
    assert "operator tests.sweeps._factories:stuck_at_2, shape [3], shift 2" in captured.err
    assert "finished no task for longer than any case may take" in captured.err
    assert "Run again to retry them" in captured.err


def test_tasks_of_a_frozen_worker_run_again_elsewhere(tmp_path, monkeypatch):
    # a worker that stops answering (frozen here by SIGSTOP; a network cut looks the same) holds its
    # task, and the rows of tasks it finished, forever: the sweep used to wait on them (a result
    # fetched with no timeout).  After a stall, or a fetch that times out, the cases go again (on a
    # restarted worker), and every case is decided
    from symequi.sweeps import engine, flight

    marker = tmp_path / "frozen.pid"
    monkeypatch.setenv("SYMEQUI_TEST_FREEZE_MARKER", str(marker))
    monkeypatch.setattr(flight, "_STALL_GRACE_SECONDS", 0.5)
    monkeypatch.setattr(flight, "_FETCH_SECONDS", 3.0)
    spec = {"sweep": {"budget": 1, "batch_size": 1},
            "axes": {"operator": ["relu", "tests.sweeps._factories:freezes_once"], "input_shape": [3],
                     "shift": ["1", "2", "-1"]}}
    try:
        result = _within(120, engine.run_sweep, engine.SweepSpec.from_dict(spec), tmp_path / "r.sqlite", workers=2,
                         quiet=True)
    finally:
        if marker.exists():  # a sweep still waiting on it gets an error now, and ends
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(marker.read_text()), signal.SIGKILL)
    assert marker.exists() and result.given_up == 0
    assert len(result.rows) == 6 and {r["verdict"] for r in result.rows} == {"proved"}  # ReLU, integer shifts


def test_a_dead_scheduler_saves_no_error_rows_and_ends_the_sweep(tmp_path, monkeypatch):
    # the scheduler killed mid-sweep: its tasks fail with connection errors, which are not the
    # cases' doing (they used to be saved as "the worker running this case died" error rows, kept
    # by every rerun, after a traceback); now the finished rows are kept, the rest is given up
    from symequi.sweeps import engine, flight

    monkeypatch.setattr(flight, "_ASK_SECONDS", 3.0)
    scheduler_file = tmp_path / "scheduler.json"
    env = {**_env(), "SYMEQUI_TEST_SLOW_SECONDS": "0.5"}
    procs = [subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                               "--port", "0", "--scheduler-file", str(scheduler_file), "--no-dashboard"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        for _ in range(300):
            if scheduler_file.exists() and scheduler_file.stat().st_size:
                break
            time.sleep(0.1)
        procs.append(subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", "--scheduler-file",
                                       str(scheduler_file), "--nthreads", "1", "--no-dashboard"],
                                      env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        address = json.loads(scheduler_file.read_text())["address"]
        spec = {"sweep": {"budget": 30, "batch_size": 1},
                "axes": {"operator": ["tests.sweeps._factories:slow"], "input_shape": [3],
                         "shift": [str(k) for k in range(1, 41)]}}
        out = tmp_path / "r.sqlite"

        def kill_when_rows_arrive() -> None:
            for _ in range(600):
                if out.exists() and read_rows(out):
                    procs[0].kill()
                    return
                time.sleep(0.1)

        threading.Thread(target=kill_when_rows_arrive, daemon=True).start()
        result = _within(120, engine.run_sweep, engine.SweepSpec.from_dict(spec), out, scheduler=address, quiet=True)
    finally:
        for proc in procs:
            proc.kill()
            proc.wait(timeout=30)
    assert result.rows and {r["verdict"] for r in result.rows} == {"proved"}   # no error rows
    assert result.given_up == 40 - len(result.rows) > 0


def test_a_suspect_that_never_finishes_alone_is_given_up_and_waiting_for_workers_is_no_stall(monkeypatch):
    # a case run alone (after its worker died, or after a stall) that stalls again is given up and
    # its worker no longer used; a cluster with no workers yet (a SLURM job still queued) restarts
    # the clock instead.  A stand-in client: its one task never finishes, it has no worker the
    # first time it is asked
    import types

    from symequi.sweeps import flight

    class Client:
        loop = object()

        def __init__(self):
            self.asked, self.cancelled = 0, []
            self.scheduler = types.SimpleNamespace(ncores=self.ncores, processing=lambda: {"tcp://w": ["task"]},
                                                   who_has=lambda keys: {k: [] for k in keys})

        def sync(self, fn, callback_timeout=None, **kwargs):
            return fn(**kwargs)

        def ncores(self):
            self.asked += 1
            return {} if self.asked == 1 else {"tcp://w": 1}

        def submit(self, *args, **kwargs):
            return types.SimpleNamespace(key="task", done=lambda: False)

        def cancel(self, futures):
            self.cancelled.extend(futures)

    monkeypatch.setattr(flight, "_STALL_GRACE_SECONDS", 0.0)
    client, saved, item = Client(), [], ("key", {"budget": 0.01})   # may take 0.01 * 1.5 + 1 s
    run = flight.Flight(client, saved.extend, restart=False)
    start = time.monotonic()
    run.run_alone(item)
    assert 2 * 1.015 <= time.monotonic() - start < 30
    assert run.given_up == [item] and run.blocked == {"tcp://w"} and saved == [] and len(client.cancelled) == 1
    assert client.asked == 2 and run.reasons == [flight.STALLED]


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path, monkeypatch, capsys):
    from symequi.cli import main
    from symequi.sweeps import engine

    monkeypatch.setattr(engine, "_CONNECT_SECONDS", 1.0)
    spec = tmp_path / "s.toml"
    spec.write_text('[axes]\noperator = ["relu"]\ninput_shape = [3]\nshift = ["1"]\n')
    assert main(["sweep", str(spec), "--out", str(tmp_path / "r.sqlite"), "--scheduler", "tcp://127.0.0.1:1",
                 "-q"]) == 1
    err = capsys.readouterr().err
    assert "scheduler=tcp://127.0.0.1:1: no Dask scheduler answered there within 1 s" in err
    assert "start one with `dask scheduler`" in err and "Traceback" not in err


def test_in_process_sweeps_need_neither_tqdm_nor_dask(tmp_path, monkeypatch, capsys):
    # the base install (no [sweeps] extra) runs in-process sweeps (the atlas claim's, --local):
    # without tqdm there is no bar, and a note says how to get one; a cluster without the extra
    # is a clear error naming it and the way around it, raised before the results file is made
    from symequi.core.errors import SymequiError

    for name in ("tqdm", "dask", "distributed"):
        monkeypatch.setitem(sys.modules, name, None)   # importing it now fails as if not installed
    spec = {"sweep": {"budget": 30}, "axes": {"operator": ["conv(1, -1) | relu", "relu"], "input_shape": [4],
                                              "padding": ["periodic"], "shift": ["1", "1/2"],
                                              "shift_method": ["linear"]}}
    for quiet in (True, False):
        rows = sweep(spec, out=tmp_path / f"r{quiet}.sqlite", local=True, quiet=quiet).rows
        assert {(r["params"]["operator"], r["params"]["shift"]): r["verdict"] for r in rows} == EXPECTED
        assert ("pip install 'symequi[sweeps]'" in capsys.readouterr().err) is not quiet
    with pytest.raises(SymequiError, match=r"dask.distributed: pip install 'symequi\[sweeps\]', or run it in "
                                           r"this process with --local"):
        sweep(spec, out=tmp_path / "dask.sqlite", workers=1, quiet=True)
    assert not (tmp_path / "dask.sqlite").exists()
