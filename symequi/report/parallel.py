"""Run claims in parallel: ``jobs`` worker processes, one proof file per worker at a time.

:func:`run_parallel` is what :func:`symequi.report.runner.run_claims` calls
for ``jobs > 1`` (the CLI's ``symequi prove -n N``).  The selected claims are
split into *groups* exactly as the serial runner splits them: a group is a run
of consecutive claims of one proof script, which share one worker process
(and so the module's state, as they would in one process).  A pool of
``jobs`` threads takes the groups in order; each thread drives its group's
worker through a :class:`~symequi.report.worker.ClaimWorkers` of its own, so
every guarantee of the serial runner holds per claim (a crash, ``os._exit``
or a claim that ignores its budget is one ERROR or Undecided row, and the
run goes on).  No scheduler is involved: the threads only wait on pipes.

The results come back in the order of the selected claims, whatever order
they finished in, so the table, the JSON and the LaTeX document are those of
the serial run (only the seconds differ).  Claims defined in the running
program (not :func:`~symequi.report.worker.isolable`) cannot move to a worker;
they run in the calling thread while the pool works, one after the other.

Ctrl-C stops the pool: the live workers are killed, no new claim starts, and
the ``KeyboardInterrupt`` carries the results finished before it (attribute
``results``, in claim order), as the serial runner's does.

Example
-------
>>> import pathlib, tempfile
>>> from symequi.report.claims import discover
>>> from symequi.report.parallel import claim_groups, run_parallel
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> for name in ("a", "b"):
...     _ = (folder / f"{name}.py").write_text(
...         "from symequi.report.claims import claim\\n"
...         "from symequi.core.verdict import Proved\\n"
...         f"@claim('{name}-1', 'first claim of {name}')\\n"
...         "def one(d):\\n"
...         "    return Proved('one', decider='exact')\\n"
...         f"@claim('{name}-2', 'second claim of {name}')\\n"
...         "def two(d):\\n"
...         "    return Proved('two', decider='exact')\\n")
>>> claims = discover(folder)
>>> claim_groups(claims)
[[0, 1], [2, 3]]
>>> [(r.id, r.status) for r in run_parallel(claims, output_dir=folder / "out", jobs=2)]
[('a-1', 'OK'), ('a-2', 'OK'), ('b-1', 'OK'), ('b-2', 'OK')]
"""

from __future__ import annotations

import concurrent.futures
import os
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from ..core.errors import InvalidArgumentError
from .claims import Claim, ClaimResult
from .worker import ClaimWorkers, isolable
from ..core.texts import brief

__all__ = ["run_parallel", "claim_groups", "check_jobs"]

#: Seconds between two looks at the pool while waiting (Ctrl-C is seen this fast).
_POLL = 0.2


def check_jobs(jobs: object) -> int:
    """``jobs`` as a number of worker processes, or an error naming it.

    >>> check_jobs(2)
    2
    >>> check_jobs(0)
    Traceback (most recent call last):
    ...
    symequi.core.errors.InvalidArgumentError: jobs=0 must be a whole number >= 1 (the number of worker processes; 1 runs the claims one after the other)
    """
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise InvalidArgumentError(f"jobs={brief(jobs)} must be a whole number >= 1 (the number of worker "
                                   "processes; 1 runs the claims one after the other)")
    return jobs


def claim_groups(claims: Sequence[Claim]) -> list[list[int]]:
    """The positions of ``claims`` split into the groups that share a worker:
    maximal runs of consecutive isolable claims of the same file; a claim that
    is not isolable is a group of its own.

    >>> from symequi.report.claims import Claim
    >>> claim_groups([Claim("x", "here", None), Claim("y", "here too", None)])
    [[0], [1]]
    """
    groups: list[list[int]] = []
    previous: Claim | None = None
    for i, c in enumerate(claims):
        if previous is not None and isolable(c) and isolable(previous) and c.file == previous.file:
            groups[-1].append(i)
        else:
            groups.append([i])
        previous = c
    return groups


class _Run:
    """The shared state of one parallel run: results by position, live workers, the stop flag."""

    def __init__(self, claims: Sequence[Claim], output_dir: str | os.PathLike[str], budget: float | None,
                 progress: Callable[[str, int, ClaimResult | None], Any] | None) -> None:
        self.claims = claims
        self.output_dir = output_dir
        self.budget = budget
        self.progress = progress
        self.results: list[ClaimResult | None] = [None] * len(claims)
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.live: set[ClaimWorkers] = set()
        self.active = 0  # groups between their start and their end (a pool thread or this one)

    def _report(self, kind: str, i: int, result: ClaimResult | None = None) -> None:
        if self.progress is None:
            return
        with self.lock:  # one progress call at a time, whole lines
            self.progress(kind, i, result)

    def run_group(self, group: list[int]) -> None:
        """Run one group's claims in order in one :class:`ClaimWorkers` (in a pool thread)."""
        with self.lock:
            if self.stop.is_set():
                return
            self.active += 1
        try:
            with ClaimWorkers(self.output_dir) as workers:
                with self.lock:
                    self.live.add(workers)
                try:
                    for i in group:
                        if self.stop.is_set():
                            return
                        self._report("start", i)
                        result = workers.run(self.claims[i], budget=self.budget)
                        with self.lock:
                            if self.stop.is_set():  # killed by Ctrl-C: not a finished result
                                return
                            self.results[i] = result
                        self._report("end", i, result)
                finally:
                    with self.lock:
                        self.live.discard(workers)
        finally:
            with self.lock:
                self.active -= 1

    def interrupt(self) -> None:
        """Stop: no claim starts any more and every live worker is killed."""
        with self.lock:
            self.stop.set()
            live = list(self.live)
        for workers in live:
            workers.interrupt()

    def stop_all(self) -> None:
        """Ctrl-C: kill the live workers again and again until no group runs.  A group may be
        starting its worker when the first kill comes (and a future may not exist yet, when
        Ctrl-C came during a submit), so the loop watches the groups, not the futures; a group
        that starts after the stop returns at once."""
        while True:
            self.interrupt()
            with self.lock:
                if not self.active:
                    return
            time.sleep(_POLL)

    def finished(self) -> list[ClaimResult]:
        return [r for r in self.results if r is not None]


def run_parallel(claims: Sequence[Claim], *, output_dir: str | os.PathLike[str], jobs: int,
                 budget: float | None = None,
                 progress: Callable[[str, int, ClaimResult | None], Any] | None = None) -> list[ClaimResult]:
    """Run ``claims`` in ``jobs`` worker processes and return their results in
    the order of ``claims`` (see the module docstring).  ``progress`` is called
    as ``progress("start", i, None)`` when ``claims[i]`` starts and
    ``progress("end", i, result)`` when it ends, one call at a time, in the
    order the claims start and end (:func:`~symequi.report.runner.run_claims`
    turns these into its ``ProgressEvent`` values).

    >>> run_parallel([], output_dir=".", jobs=2)
    []
    """
    jobs = check_jobs(jobs)
    run = _Run(claims, output_dir, budget, progress)
    groups = claim_groups(claims)
    pooled = [g for g in groups if isolable(claims[g[0]])]
    here = [g for g in groups if not isolable(claims[g[0]])]
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="symequi-claims")
    futures: list[concurrent.futures.Future[None]] = []
    try:
        futures = [pool.submit(run.run_group, g) for g in pooled]
        for g in here:  # claims of this program: in this thread, while the pool works
            run.run_group(g)
        pending: set[concurrent.futures.Future[None]] = set(futures)
        while pending:
            _, pending = concurrent.futures.wait(pending, timeout=_POLL)
    except KeyboardInterrupt as stop:
        for f in futures:
            f.cancel()
        run.stop_all()
        pool.shutdown(wait=True)
        if not hasattr(stop, "results"):
            setattr(stop, "results", run.finished())  # noqa: B010 - the finished results travel with Ctrl-C
        raise
    pool.shutdown(wait=True)
    for f in futures:
        f.result()  # a bug in a pool thread is raised here, not lost
    assert all(r is not None for r in run.results)
    return run.finished()
