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
``error`` row.  A sweep never waits forever: when the cluster finishes no
task for longer than any task in flight may take (its cases' budgets), or a
worker does not send the rows of a finished task, those tasks are submitted
again, one per case, to the workers that held none of them, and the cases
caught a second time are given up (reported, nothing saved, so a rerun
retries them).  Ctrl-C cancels what is in flight; every finished row is already
saved, and a rerun resumes.

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
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, TextIO

from ..core.errors import SymequiError
from .case import case_seconds_limit, run_batch, run_case
from .spec import Case, SweepSpec
from .store import ResultStore, read_rows
from ..core.texts import brief

__all__ = ["run_sweep", "SweepResults"]

Batch = list[tuple[str, dict[str, Any]]]


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


def _died(key: str, params: dict[str, Any], err: BaseException) -> tuple[str, dict[str, Any], dict[str, Any]]:
    text = (f"the worker running this case died ({type(err).__name__}: {err}); the case was retried "
            "alone and its worker died again (segfault, out of memory or os._exit in the case's code)")
    return key, params, {"verdict": "error", "error": text, "seconds": None}


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
        try:
            if local:
                for case in pending:  # one case at a time: each row is saved as it finishes
                    save([(case.key, case.params, run_case(case.params))])
            elif pending:
                given_up = _run_on_dask(spec, pending, save, client=client, scheduler=scheduler, workers=workers)
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
        print(f"the cluster finished no task for longer than any case may take, twice: {len(given_up)} case(s) "
              f"given up ({brief(names, str)}), nothing saved for them. A task was lost or a case is stuck in C "
              f"code that no budget interrupts; run again to retry them, or run one with --local to see which.",
              file=stream)
    return SweepResults(read_rows(out), interrupted=interrupted, ran=sum(counts.values()),
                        skipped=len(cases) - len(pending), given_up=len(given_up))


def _run_on_dask(spec: SweepSpec, pending: list[Case], save: Any, *, client: Any, scheduler: str | None,
                 workers: int | None) -> Batch:
    """Run ``pending`` on a cluster, saving rows as they come; return the cases given up on (see
    :class:`_Flight`)."""
    import dask
    from distributed import Client, LocalCluster

    own: list[Any] = []
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        if client is None:
            if scheduler:
                client = Client(scheduler, timeout="20s")
            else:
                n = workers or os.cpu_count() or 1
                cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=logging.ERROR)
                own.append(cluster)
                client = Client(cluster)
            own.insert(0, client)
        try:
            threads = max(1, sum(client.nthreads().values()))  # every worker, each of its threads
            batches = _batches(pending, _batch_size(spec, len(pending), threads))
            flight = _Flight(client, save)
            flight.run(batches)
            for item in flight.suspects:  # alone on the cluster, so a death now is this case's own doing
                flight.given_up.extend(_run_alone(client, item, save))
            return flight.given_up
        finally:
            for thing in own:
                thing.close()


#: A cluster may finish nothing for this long past the time the longest task in flight may take
#: (its cases' budgets with their backstops) before the sweep stops waiting for it: room for a
#: worker to start, import symequi and send its rows back (seconds).
_STALL_GRACE_SECONDS = 60.0
#: How long the rows of a finished task may take to arrive from its worker (seconds).
_FETCH_SECONDS = 60.0
#: How often the engine looks for finished tasks (seconds).
_POLL_SECONDS = 0.02


def _batch_seconds(batch: Batch) -> float:
    """The longest a task running ``batch`` can take (its cases one after the other)."""
    return sum(case_seconds_limit(params) for _, params in batch)


class _StallClock:
    """How long a cluster has finished no task while it had workers.

    A task can be lost (a scheduler or network fault leaves it pending with every worker idle:
    seen once in a benchmark run on a LocalCluster), held by a worker that stopped answering, or
    stuck in C code that no budget interrupts; waiting for it would hang the sweep.  Waiting for workers to join (a batch job
    queued on SLURM) is not a stall: the clock starts again while the cluster has none.
    """

    def __init__(self, client: Any) -> None:
        self._client = client
        self.restart()

    def restart(self) -> None:
        self._since = time.monotonic()

    def stalled(self, longest: float) -> bool:
        """True when no task finished for longer than the longest task in flight may take (``longest``
        seconds, from :func:`_batch_seconds`)."""
        if time.monotonic() - self._since <= _STALL_GRACE_SECONDS + longest:
            return False
        if not self._client.nthreads():
            self.restart()
            return False
        return True


class _Flight:
    """The tasks of a sweep on a cluster: submitted, collected, split, submitted again or given up.

    A batch whose worker died is split into one task per case.  A one-case task that fails is
    only a suspect (``suspects``, to run alone): the scheduler blames every task a dying worker
    held, and a worker holds more than the one it runs (the next one waits queued there), so an
    innocent case can share the death of a case that kills its worker (twice, after the retry).

    Never waiting forever: when the cluster finishes nothing for longer than any task in flight
    may take (:class:`_StallClock`), or a finished task's rows cannot be fetched from its worker,
    the tasks are cancelled and their cases submitted again, one task per case, to the workers
    that held none of them (a lost task runs now); a case caught a second time is given up
    (``given_up``): nothing is saved for it, so a rerun of the sweep tries it again.
    """

    def __init__(self, client: Any, save: Any) -> None:
        from distributed import as_completed

        self.client, self.save = client, save
        self.queue = as_completed(loop=client.loop)
        self.tasks: dict[Any, Batch] = {}
        self.longest = 0.0   # of every task submitted: an upper bound for those in flight, in O(1)
        self.resubmitted: set[str] = set()
        self.suspects: Batch = []
        self.given_up: Batch = []

    def submit(self, batch: Batch, workers: list[str] | None = None) -> None:
        future = self.client.submit(run_batch, batch, pure=False, retries=1, workers=workers)
        self.tasks[future] = batch
        self.longest = max(self.longest, _batch_seconds(batch))
        self.queue.add(future)

    def run(self, batches: list[Batch]) -> None:
        """Submit ``batches`` and save their rows as they finish."""
        for batch in batches:
            self.submit(batch)
        clock = _StallClock(self.client)
        try:
            while not self.queue.is_empty():
                ready = self.queue.next_batch(block=False)
                if not ready:
                    if clock.stalled(self.longest):
                        self.submit_again(list(self.tasks))
                        clock.restart()
                    time.sleep(_POLL_SECONDS)
                    continue
                clock.restart()
                for future in ready:
                    self.collect(future)
        except KeyboardInterrupt:
            self.client.cancel(list(self.tasks))
            raise

    def collect(self, future: Any) -> None:
        """Save the rows of a finished task (or split it, or submit it again)."""
        batch = self.tasks.get(future)
        if batch is None:  # cancelled and submitted again
            return
        try:
            results = future.result(timeout=_FETCH_SECONDS)
        except TimeoutError:  # finished, but its worker does not send the rows (frozen, cut off)
            self.submit_again([future])
            return
        except Exception:  # the worker died (KilledWorker) or the task failed to run
            del self.tasks[future]
            if len(batch) == 1:
                self.suspects.extend(batch)
            else:
                for item in batch:
                    self.submit([item])
            return
        del self.tasks[future]
        params = dict(batch)
        self.save([(key, params[key], row) for key, row in results])

    def submit_again(self, futures: list[Any]) -> None:
        """Cancel ``futures``; submit their cases again, one task per case, to the workers that
        hold none of them (all workers when each holds one); give up the cases submitted again before."""
        keys = {future.key for future in futures}
        held = {worker for worker, tasks in self.client.processing().items() if keys.intersection(tasks)}
        held.update(worker for workers in self.client.who_has(futures).values() for worker in workers)
        others = [worker for worker in self.client.nthreads() if worker not in held] or None
        items = [item for future in futures for item in self.tasks.pop(future)]
        self.client.cancel(futures)
        for item in items:
            if item[0] in self.resubmitted:
                self.given_up.append(item)
            else:
                self.resubmitted.add(item[0])
                self.submit([item], others)


def _run_alone(client: Any, item: tuple[str, dict[str, Any]], save: Any) -> Batch:
    """Run one suspect case with nothing else in flight: if its worker dies now, the case did it.
    Returns ``[item]`` when the cluster made no progress on it (given up), else ``[]``."""
    future = client.submit(run_batch, [item], pure=False, retries=1)
    clock = _StallClock(client)
    try:
        while not future.done():
            if clock.stalled(_batch_seconds([item])):
                client.cancel([future])
                return [item]
            time.sleep(_POLL_SECONDS)
        results = future.result(timeout=_FETCH_SECONDS)
    except KeyboardInterrupt:
        client.cancel([future])
        raise
    except TimeoutError:  # finished, but its worker does not send the rows
        client.cancel([future])
        return [item]
    except Exception as err:
        save([_died(*item, err)])
        return []
    save([(key, item[1], row) for key, row in results])
    return []
