"""The sweep engine's flight (symequi.sweeps.flight) on real Dask clusters: a case stuck in C
code, a frozen worker, a scheduler killed mid-sweep, and a suspect that never finishes alone
(a stand-in client).  Every wait is bounded: these tests fail, never hang, on a regression."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time

from symequi.sweeps import read_rows
from tests.sweeps._cluster import dask_env, within


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
    assert within(120, main, ["sweep", str(spec), "--out", str(tmp_path / "r.sqlite"), "--workers", "2", "-q"]) == 1
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
        result = within(120, engine.run_sweep, engine.SweepSpec.from_dict(spec), tmp_path / "r.sqlite", workers=2,
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
    env = {**dask_env(), "SYMEQUI_TEST_SLOW_SECONDS": "0.5"}
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
        result = within(120, engine.run_sweep, engine.SweepSpec.from_dict(spec), out, scheduler=address, quiet=True)
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


def test_suspects_left_when_the_cluster_stops_are_all_given_up():
    # the scheduler gone while the suspects run alone: every one of them is reported as given up
    # (the one being run used to vanish from the count and the message).  A stand-in client that
    # cannot submit, as a closed one
    from symequi.sweeps import flight

    class Closed:
        loop = object()

        def submit(self, *args, **kwargs):
            raise RuntimeError("Client is closed")

        def cancel(self, futures):
            pass

    run = flight.Flight(Closed(), [].extend, restart=False)
    run.suspects = [("a", {"budget": 1}), ("b", {"budget": 1})]
    run.run([])
    assert run.given_up == [("a", {"budget": 1}), ("b", {"budget": 1})] and run.suspects == []
    assert run.reasons == ["the Dask client cannot submit tasks (RuntimeError: Client is closed)"]
