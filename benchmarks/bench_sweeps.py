"""Sweeps on Dask: the overhead per tiny case, and the speedup of a second worker on CPU-bound cases.

Case 1 (overhead): a sweep of tiny cases (ReLU against integer shifts, N = 3, each decided by the
compositional rule in about a millisecond) run in this process (``local=True``, the baseline) and on a
warm LocalCluster of 1 and of 2 single-threaded worker processes (cluster started, symequi imported and
z3 initialised by a first SMT case in the workers before the clock starts; the results file is fresh each time, so nothing is
skipped).  The rows report cases per second; the ratios are the Dask overhead (scheduling, pickling
the plain-data rows back, one SQLite transaction per batch), informational.  The in-process path
commits one SQLite transaction per case (so a killed sweep keeps every finished case), which is why
tiny cases can run faster on one worker, whose rows arrive in batches.

Case 2 (speedup): sixteen CPU-bound cases (abs against the Fourier shift by eight different s, N = 24
and 32, half a second to 1.6 s each; sixteen of them so that the two workers end close together; the
better of two runs on each side): the search decider evaluates both paths exactly in cyclotomic arithmetic, pure
Python; since the layers keep Fourier outputs in their field, N = 12 takes a tenth of a second, too
little to measure a speedup over Dask's overhead) on 1 worker, then on 2.  Target: 2
workers take at most 1/1.7 of the time of 1 (a speedup of 1.7x or more) on a machine with 2 cores.
The machine is shared: when the 1-minute load average is above the core count before the run, or the
machine has fewer than 2 cores, the speedup cannot be measured fairly and the row is informational
(its target text says why).
"""

from __future__ import annotations

import logging
import os
import pathlib
import tempfile
import time
from typing import Any

from benchmarks._timing import row
from symequi.sweeps import sweep

TARGET_SPEEDUP = 1.7
CPU_SHIFTS = ["1/3", "1/5", "2/7", "3/7", "1/9", "2/9", "4/9", "5/11"]


def _tiny_spec(count: int) -> dict[str, Any]:
    shifts = [str(k) for k in range(1, count + 1)]
    return {"axes": {"operator": ["relu"], "input_shape": [3], "shift": shifts, "shift_method": ["integer"]}}


def _cpu_spec(quick: bool) -> dict[str, Any]:
    return {"axes": {"operator": ["abs"], "input_shape": [12] if quick else [24, 32],
                     "shift": CPU_SHIFTS[:4] if quick else CPU_SHIFTS, "shift_method": ["fourier"]}}


def _timed_sweep(spec: dict[str, Any], **where: Any) -> float:
    """Seconds of one sweep of ``spec`` into a fresh results file; every case must be decided."""
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        result = sweep(spec, out=pathlib.Path(folder) / "bench.sqlite", quiet=True, **where)
        seconds = time.perf_counter() - start
    assert result.ran == len(result.rows) and "error" not in result.counts, result.counts
    return seconds


class _Cluster:
    """A warm LocalCluster of ``n`` single-threaded worker processes and its client."""

    def __init__(self, n: int) -> None:
        from distributed import Client, LocalCluster

        self.cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None,
                                    silence_logs=logging.ERROR)
        self.client = Client(self.cluster)
        # imports symequi, and z3 with a first SMT decision, in every worker
        _timed_sweep(_tiny_spec(4 * n), client=self.client)
        warm = {"axes": {"operator": ["conv(1, -2, 1) | relu"], "input_shape": [6], "shift": CPU_SHIFTS[:2 * n],
                         "shift_method": ["linear"], "padding": ["periodic"]}}
        _timed_sweep(warm, client=self.client)

    def __enter__(self) -> "_Cluster":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.client.close()
        self.cluster.close()


def _overhead_rows(quick: bool) -> list[dict]:
    count = 60 if quick else 240
    spec = _tiny_spec(count)
    local_s = min(_timed_sweep(spec, local=True) for _ in range(2))
    rows = []
    for n in (1, 2):
        with _Cluster(n) as c:
            dask_s = min(_timed_sweep(spec, client=c.client) for _ in range(2))
        rows.append(row(f"sweep, {count} tiny cases, {n} worker(s) ({count / dask_s:.0f} cases/s)", dask_s,
                        f"in process ({count / local_s:.0f} cases/s)", local_s,
                        "informational: the Dask overhead per tiny case"))
    return rows


def _speedup_row(quick: bool) -> dict:
    spec = _cpu_spec(quick)
    cases = len(spec["axes"]["shift"]) * len(spec["axes"]["input_shape"])
    cores = os.cpu_count() or 1
    load = os.getloadavg()[0]
    with _Cluster(1) as c:  # the better of two runs on each side, as best_of does elsewhere
        one_s = min(_timed_sweep(spec, client=c.client) for _ in range(2))
    with _Cluster(2) as c:
        two_s = min(_timed_sweep(spec, client=c.client) for _ in range(2))
    case = f"sweep, {cases} CPU-bound cases (search), 2 workers ({one_s / two_s:.2f}x speedup)"
    if cores < 2 or load > cores:
        why = f"{cores} core(s)" if cores < 2 else f"load average {load:.1f} > {cores} cores before the run"
        return row(case, two_s, "1 worker", one_s,
                   f"informational: {why}; the target (<= 1/{TARGET_SPEEDUP}) needs 2 free cores")
    return row(case, two_s, "1 worker", one_s, f"<= 1/{TARGET_SPEEDUP} ({TARGET_SPEEDUP}x speedup)",
               max_ratio=1 / TARGET_SPEEDUP)


def cases(quick: bool = False) -> list[dict]:
    """The benchmark rows (see the module docstring)."""
    return [*_overhead_rows(quick), _speedup_row(quick)]


if __name__ == "__main__":
    for r in cases():
        print(r)
