"""Running a sweep on Dask: batches of cases on worker processes, rows saved as they arrive.

Why Dask: the cases are coarse, independent tasks; ``dask.distributed`` runs
them on a :class:`~distributed.LocalCluster` of worker processes on this
machine (the default, one single-threaded worker per core) or on any running
cluster (``scheduler="tcp://host:8786"``; on SLURM start one with
``dask-jobqueue``), retries tasks whose worker died, and reports completions
as they come.  symequi writes no scheduler of its own.

What is sent: plain data only (:mod:`symequi.sweeps.case`); z3 and flint
objects are built inside the workers.  Tiny cases share a task (a batch) so
they do not drown in scheduling overhead; when a batch's worker dies (segfault,
out of memory, ``os._exit``) after the scheduler's retry, its cases are
resubmitted one per task, and a case whose own task dies too is run once more
alone on the cluster (a dying worker takes the cases queued on it down with it),
so only the case that kills its worker is lost, and it is recorded as an
``error`` row.  A sweep never waits forever (:mod:`~symequi.sweeps.flight`):
when the cluster finishes no task for longer than any task in flight may
take (its cases' budgets), or a worker does not send the rows of a finished
task, those cases go again (the ones that were on a worker alone, at the
end, on a restarted or another worker), and a case that stalls alone is
given up (reported, nothing saved, so a rerun retries it).  Ctrl-C cancels
what is in flight; every finished row is already saved, and a rerun resumes.

Example
-------
>>> import tempfile, pathlib
>>> from symequi.sweeps.spec import SweepSpec
>>> spec = SweepSpec.from_dict({"axes": {"operator": ["relu"], "input_shape": [3], "shift": ["1"]}})
>>> out = pathlib.Path(tempfile.mkdtemp()) / "r.sqlite"
>>> result = run_sweep(spec, out, local=True, quiet=True)      # in this process, no cluster
>>> result.counts
{'proved': 1}
"""

from __future__ import annotations

import logging
import os
import pathlib
import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, TextIO

from ..core.errors import SymequiError
from .case import run_case
from .flight import STALLED, Batch, Flight
from .spec import Case, SweepSpec
from .store import ResultStore, read_rows
from ..core.texts import brief

__all__ = ["run_sweep", "SweepResults"]


@dataclass
class SweepResults:
    """What a sweep left in its results file: every row, counts by verdict, whether it was
    interrupted before the end, and how many cases it gave up on (a cluster that made no progress:
    nothing is saved for them, a rerun tries them again).

    >>> SweepResults([{"verdict": "proved"}, {"verdict": "refuted"}]).counts
    {'proved': 1, 'refuted': 1}
    """

    rows: list[dict[str, Any]]
    interrupted: bool = False
    ran: int = 0
    skipped: int = 0
    given_up: int = 0
    counts: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self.counts = dict(sorted(Counter(r["verdict"] for r in self.rows).items()))


def _batches(cases: list[Case], size: int) -> list[Batch]:
    return [[(c.key, c.params) for c in cases[i:i + size]] for i in range(0, len(cases), size)]


def _batch_size(spec: SweepSpec, pending: int, workers: int) -> int:
    if spec.batch_size:
        return spec.batch_size
    return max(1, min(32, pending // max(1, 4 * workers)))  # about 4 tasks per worker, at most 32 cases each


class _Silent:
    """What a quiet sweep has instead of a progress bar (so it needs no tqdm)."""

    def update(self, n: int) -> None:
        pass

    def set_postfix(self, values: dict[str, Any], refresh: bool = True) -> None:
        pass

    def close(self) -> None:
        pass


def _progress(total: int, done: int, quiet: bool, stream: TextIO) -> Any:
    """tqdm's progress bar on ``stream``; nothing when ``quiet``, or (with a one-line note) when
    tqdm is not installed: a sweep runs on the base install, the bar comes with the extra."""
    if quiet:
        return _Silent()
    try:
        from tqdm import tqdm  # the progress bar is tqdm's
    except ModuleNotFoundError:
        print("(no progress bar: it needs tqdm, pip install 'symequi[sweeps]')", file=stream)
        return _Silent()
    return tqdm(total=total, initial=done, file=stream, unit="case", dynamic_ncols=True)


def _require_dask() -> None:
    """Raise a clear error, before anything is written, when dask.distributed is missing."""
    try:
        import dask  # noqa: F401 - only checking that it is installed
        import distributed  # noqa: F401
    except ModuleNotFoundError as err:
        raise SymequiError("a sweep on Dask needs dask.distributed: pip install 'symequi[sweeps]', "
                           "or run it in this process with --local (local=True)") from err


def run_sweep(spec: SweepSpec, out: str | pathlib.Path, *, client: Any = None, scheduler: str | None = None,
              workers: int | None = None, local: bool = False, quiet: bool = False,
              stream: TextIO | None = None) -> SweepResults:
    """Run every case of ``spec`` not yet in ``out`` and return all rows.

    Parameters
    ----------
    spec : a validated :class:`~symequi.sweeps.spec.SweepSpec`
    out : the SQLite results file (created, or resumed)
    client : a ``distributed.Client`` to use (it is left open)
    scheduler : the address of a running Dask scheduler (``tcp://host:8786``)
    workers : worker processes of the default LocalCluster (default: the machine's cores)
    local : run in this process, no cluster (small sweeps, tests, debugging)
    quiet : no progress bar
    """
    if not isinstance(spec, SweepSpec):
        raise SymequiError(f"spec must be a SweepSpec (symequi.sweeps.load_spec(path)), not {type(spec).__name__}")
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 1):
        raise SymequiError(f"workers={brief(workers)} must be an int >= 1")
    stream = sys.stderr if stream is None else stream
    cases = spec.cases()
    if not local and client is None:
        _require_dask()
    with ResultStore(out) as store:
        done = store.done_keys()
        pending = [c for c in cases if c.key not in done]
        bar = _progress(len(cases), len(cases) - len(pending), quiet, stream)
        counts: Counter[str] = Counter()

        def save(rows: list[tuple[str, dict[str, Any], dict[str, Any]]]) -> None:
            store.write(rows)
            counts.update(r["verdict"] for _, _, r in rows)
            bar.update(len(rows))
            bar.set_postfix(dict(counts), refresh=False)

        interrupted = False
        given_up: Batch = []
        reasons: list[str] = []
        try:
            if local:
                for case in pending:  # one case at a time: each row is saved as it finishes
                    save([(case.key, case.params, run_case(case.params))])
            elif pending:
                given_up, reasons = _run_on_dask(spec, pending, save, client=client, scheduler=scheduler,
                                                 workers=workers)
        except KeyboardInterrupt:
            interrupted = True
        finally:
            bar.close()
    if interrupted and not quiet:
        print(f"interrupted: {sum(counts.values())} new case(s) saved in {out}; run again to resume",
              file=stream)
    if given_up:  # printed even when quiet: the sweep did not finish
        names = "; ".join(f"{key}: operator {p.get('operator')}, shape {p.get('input_shape')}, shift {p.get('shift')}"
                          for key, p in given_up[:3]) + ("; ..." if len(given_up) > 3 else "")
        hint = ", or run one with --local to see which hangs" if STALLED in reasons else ""
        print(f"{len(given_up)} case(s) given up, nothing saved for them ({brief(names, str)}): "
              f"{'; '.join(reasons)}. Run again to retry them{hint}.", file=stream)
    return SweepResults(read_rows(out), interrupted=interrupted, ran=sum(counts.values()),
                        skipped=len(cases) - len(pending), given_up=len(given_up))


#: How long connecting to a running scheduler (``scheduler=``) may take (seconds).
_CONNECT_SECONDS = 20.0


def _run_on_dask(spec: SweepSpec, pending: list[Case], save: Any, *, client: Any, scheduler: str | None,
                 workers: int | None) -> tuple[Batch, list[str]]:
    """Run ``pending`` on a cluster, saving rows as they come; return the cases given up on and
    why (see :mod:`~symequi.sweeps.flight`)."""
    import dask
    from distributed import Client, LocalCluster

    own: list[Any] = []      # closed at the end: what this sweep started
    cluster: Any = None      # the sweep's own LocalCluster, whose workers it may restart
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        if client is None:
            if scheduler:
                try:
                    client = Client(scheduler, timeout=_CONNECT_SECONDS)
                except (OSError, TimeoutError) as err:
                    raise SymequiError(f"scheduler={brief(scheduler, str)}: no Dask scheduler answered there "
                                       f"within {brief(format(_CONNECT_SECONDS, 'g'), str)} s ({brief(err, str)}); "
                                       "start one with `dask scheduler`, or check the address") from None
            else:
                n = workers or os.cpu_count() or 1
                # no dashboard; the scheduler's HTTP server on a free port (by default it takes 8787,
                # and a second sweep on the machine warned "Port 8787 is already in use")
                cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=logging.ERROR,
                                       scheduler_kwargs={"dashboard_address": ":0"})
                own.append(cluster)
                client = Client(cluster)
            own.insert(0, client)
        try:
            threads = max(1, sum(client.nthreads().values()))  # every worker, each of its threads
            flight = Flight(client, save, restart=cluster is not None)
            flight.run(_batches(pending, _batch_size(spec, len(pending), threads)))
            return flight.given_up, flight.reasons
        finally:
            for thing in own:
                thing.close()
