"""A sweep's tasks on a Dask cluster: submitted, collected, and never waited for forever.

:class:`Flight` submits batches of cases (plain data, :func:`~symequi.sweeps.case.run_batch`),
saves their rows as they finish, and handles what goes wrong on a cluster:

* A batch whose worker died (``KilledWorker``, after the scheduler's retry) is split into one
  task per case; a one-case task that dies is a suspect, run again alone at the end, where a
  death is that case's own doing and becomes an ``error`` row.  (The scheduler blames every
  task a dying worker held, and a worker holds more than the one it runs.)
* A stall: the cluster finishes no task for longer than any task in flight may take (its
  cases' budgets with their backstops, :func:`~symequi.sweeps.case.case_seconds_limit`, plus
  a grace for worker start-up), or a finished task's rows do not arrive from its worker.  The
  task was lost, its worker stopped answering (frozen, cut off), or a case is stuck in C code
  that no budget interrupts.  The tasks are cancelled; their cases that never started go
  again, and those that were on a worker are suspects, run alone at the end.  A worker that
  held a stalled task is restarted when the sweep owns the cluster (a thread stuck in C code
  cannot be stopped otherwise), else no longer used.  A suspect that stalls alone is given up.
* The scheduler stops answering, or no usable worker is left: the sweep stops.

A case given up gets no row (a rerun of the sweep tries it again); :attr:`Flight.given_up`
and :attr:`Flight.reasons` say which and why.  Waiting for workers to join (a batch job
queued on SLURM) is not a stall.  Nothing here writes files: ``save`` does.

Example
-------
>>> batch_seconds([("a", {"budget": 10}), ("b", {"budget": 2})])   # 1.5 * 10 + 1, 1.5 * 2 + 1
20.0
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any, Callable

from ..core.errors import SymequiError
from ..core.texts import brief
from .case import case_seconds_limit, run_batch

__all__: list[str] = []  # the engine's machinery (symequi.sweeps.engine), not public API

Batch = list[tuple[str, dict[str, Any]]]
Save = Callable[[list[tuple[str, dict[str, Any], dict[str, Any]]]], None]

#: A cluster may finish nothing for this long past the time the longest task in flight may take
#: before the sweep stops waiting for it: room for a worker to start, import symequi and send
#: its rows back (seconds).
_STALL_GRACE_SECONDS = 60.0
#: How long the rows of a finished task may take to arrive from its worker (seconds).
_FETCH_SECONDS = 60.0
#: How long one question to the scheduler may take (seconds).
_ASK_SECONDS = 30.0
#: How often the engine looks for finished tasks (seconds).
_POLL_SECONDS = 0.02
#: A case that never started is submitted again after a stall at most this many times.
_MAX_RESUBMITS = 3

STALLED = ("the cluster finished no task for longer than any case may take (a task was lost, its worker "
           "stopped answering, or a case is stuck in C code that no budget interrupts)")
NO_ROWS = "a finished task's worker did not send its rows"


class _StopFlight(SymequiError):
    """The sweep cannot go on on this cluster (the scheduler does not answer, no worker is usable)."""


def batch_seconds(batch: Batch) -> float:
    """The longest a task running ``batch`` can take (its cases one after the other); see the module example."""
    return sum(case_seconds_limit(params) for _, params in batch)


def _died(key: str, params: dict[str, Any], err: BaseException) -> tuple[str, dict[str, Any], dict[str, Any]]:
    text = (f"the worker running this case died ({type(err).__name__}: {brief(err, str)}); the case was retried "
            "alone and its worker died again (segfault, out of memory or os._exit in the case's code)")
    return key, params, {"verdict": "error", "error": text, "seconds": None}


def _fetch(future: Any) -> tuple[Any, BaseException | None, str | None]:
    """``(rows, None, None)`` of a finished task; ``(None, error, None)`` when its worker died
    (Dask's ``KilledWorker``, after the scheduler's retry: the only failure that is a case's
    doing); ``(None, None, why)`` for anything else (the rows did not arrive, the task was
    cancelled elsewhere, the scheduler restarted), handled as a stall."""
    from distributed import KilledWorker

    try:
        return future.result(timeout=_FETCH_SECONDS), None, None
    except TimeoutError:
        return None, None, NO_ROWS
    except KilledWorker as err:
        return None, err, None
    except Exception as err:  # noqa: BLE001 - not the case's doing
        return None, None, f"a task failed on the cluster ({type(err).__name__}: {brief(err, str)})"


class Flight:
    """Run batches on ``client``'s cluster, saving rows with ``save`` (see the module docstring);
    ``restart``: the sweep owns the cluster and may restart its workers."""

    def __init__(self, client: Any, save: Save, *, restart: bool) -> None:
        from distributed import as_completed

        self.client, self.save, self.restart = client, save, restart
        self.queue = as_completed(loop=client.loop)
        self.tasks: dict[Any, Batch] = {}
        self.longest = 0.0   # of every task submitted: an upper bound for those in flight, in O(1)
        self.resubmits: Counter[str] = Counter()
        self.suspects: Batch = []
        self.given_up: Batch = []
        self.reasons: list[str] = []
        self.blocked: set[str] = set()

    # --- the cluster, asked with time limits -------------------------------------------------
    def ask(self, name: str, **kwargs: Any) -> Any:
        """The scheduler's answer to ``name`` (``ncores``, ``processing``, ``who_has``) within
        ``_ASK_SECONDS``; _StopFlight when it does not answer."""
        try:
            return self.client.sync(getattr(self.client.scheduler, name), callback_timeout=_ASK_SECONDS, **kwargs)
        except Exception as err:  # a timeout, a closed connection or client
            raise _StopFlight(f"the Dask scheduler did not answer ({type(err).__name__}: {brief(err, str)})") from err

    def usable_workers(self) -> list[str]:
        return [worker for worker in self.ask("ncores") if worker not in self.blocked]

    def submit(self, batch: Batch) -> None:
        future = self._submit(batch)
        self.tasks[future] = batch
        self.longest = max(self.longest, batch_seconds(batch))
        self.queue.add(future)

    def _submit(self, batch: Batch) -> Any:
        workers = self.usable_workers() if self.blocked else None
        if workers == []:
            raise _StopFlight("every worker is busy with a case that never returned")
        try:
            return self.client.submit(run_batch, batch, pure=False, retries=1, workers=workers)
        except Exception as err:  # a closed client
            raise _StopFlight(f"the Dask client cannot submit tasks ({type(err).__name__}: {brief(err, str)})") from err

    def cancel(self, futures: list[Any]) -> None:
        try:
            self.client.cancel(futures)
        except Exception:  # noqa: BLE001 - a cluster that is gone has nothing left to cancel
            pass

    # --- running ---------------------------------------------------------------------------
    def run(self, batches: list[Batch]) -> None:
        """Run ``batches``, then the suspects alone; on _StopFlight, give up what is left."""
        try:
            for batch in batches:
                self.submit(batch)
            self._drain()
            while self.suspects:  # alone on the cluster: what happens now is the case's own doing
                self.run_alone(self.suspects[0])
                self.suspects.pop(0)  # only now: if the cluster stops during the run, it is given up
        except _StopFlight as err:
            left = [item for batch in self.tasks.values() for item in batch] + self.suspects
            self.cancel(list(self.tasks))
            self.tasks.clear()
            self.suspects = []
            self.give_up(left, str(err))
        except KeyboardInterrupt:
            self.cancel(list(self.tasks))
            raise

    def _drain(self) -> None:
        clock = _StallClock(self)
        while not self.queue.is_empty():
            ready = self.queue.next_batch(block=False)
            if ready:
                clock.restart()
                for future in ready:
                    self.collect(future)
                continue
            if clock.stalled(self.longest):
                self.stalled(list(self.tasks), STALLED)
                clock.restart()
            time.sleep(_POLL_SECONDS)

    def collect(self, future: Any) -> None:
        """Save the rows of a finished task, or split it, or handle it as stalled."""
        batch = self.tasks.get(future)
        if batch is None:  # cancelled after a stall
            return
        results, died, why = _fetch(future)
        if why is not None:
            self.stalled([future], why)
            return
        del self.tasks[future]
        if died is None:
            params = dict(batch)
            self.save([(key, params[key], row) for key, row in results])
        elif len(batch) == 1:
            self.suspects.extend(batch)
        else:
            self.submit_each(batch)

    def submit_each(self, items: Batch) -> None:
        """Submit each case as its own task; when the cluster cannot take one, give up the rest."""
        for n, item in enumerate(items):
            try:
                self.submit([item])
            except _StopFlight as err:
                self.give_up(items[n:], str(err))
                raise

    def stalled(self, futures: list[Any], why: str) -> None:
        """Cancel ``futures``; their cases that never started go again, those on a worker become
        suspects; the workers that held them are restarted (own cluster) or no longer used."""
        holders, started = self.holders({future.key for future in futures})
        batches = [(future.key, self.tasks.pop(future)) for future in futures]
        self.cancel(futures)
        again: Batch = []
        for key, batch in batches:
            for item in batch:
                self.resubmits[item[0]] += 1
                if key in started:
                    self.suspects.append(item)
                elif self.resubmits[item[0]] > _MAX_RESUBMITS:
                    self.give_up([item], why)
                else:
                    again.append(item)
        try:
            self.retire(holders)
        except _StopFlight as err:
            self.give_up(again, str(err))
            raise
        self.submit_each(again)

    def holders(self, keys: set[str]) -> tuple[set[str], set[str]]:
        """The workers that hold any of the tasks ``keys`` (running, queued there, or their
        results), and which of those tasks a worker holds (they may have started)."""
        holders: set[str] = set()
        started: set[str] = set()
        for worker, tasks in self.ask("processing").items():
            held = keys.intersection(tasks)
            if held:
                holders.add(worker)
                started |= held
        for key, workers in self.ask("who_has", keys=sorted(keys)).items():
            if workers:
                holders.update(workers)
                started.add(key)
        return holders, started

    def retire(self, workers: set[str]) -> None:
        """Restart ``workers`` (own cluster; a stuck thread cannot be stopped otherwise), or stop using them."""
        if not workers:
            return
        if self.restart:
            try:
                status = self.client.restart_workers(sorted(workers), timeout=2 * _ASK_SECONDS, raise_for_error=False)
                workers = {worker for worker in workers if status.get(worker) != "OK"}
            except Exception:  # noqa: BLE001 - not restarted: not used again either
                pass
        self.blocked |= workers

    def run_alone(self, item: tuple[str, dict[str, Any]]) -> None:
        """Run one suspect case with nothing else in flight: a worker death now is the case's doing
        (an ``error`` row); a stall now is given up."""
        future = self._submit([item])
        clock = _StallClock(self)
        try:
            while not future.done():
                if clock.stalled(batch_seconds([item])):
                    self.stalled_alone(future, item, STALLED)
                    return
                time.sleep(_POLL_SECONDS)
            results, died, why = _fetch(future)
        except KeyboardInterrupt:
            self.cancel([future])
            raise
        if why is not None:
            self.stalled_alone(future, item, why)
        elif died is not None:
            self.save([_died(*item, died)])
        else:
            self.save([(key, item[1], row) for key, row in results])

    def stalled_alone(self, future: Any, item: tuple[str, dict[str, Any]], why: str) -> None:
        holders, _ = self.holders({future.key})
        self.cancel([future])
        self.retire(holders)
        self.give_up([item], why)

    def give_up(self, items: Batch, why: str) -> None:
        self.given_up.extend(items)
        if items and why not in self.reasons:
            self.reasons.append(why)


class _StallClock:
    """How long a cluster has finished no task while it had workers (waiting for workers to join
    is not a stall: the clock starts again while the cluster has none)."""

    def __init__(self, flight: Flight) -> None:
        self._flight = flight
        self.restart()

    def restart(self) -> None:
        self._since = time.monotonic()

    def stalled(self, longest: float) -> bool:
        """True when no task finished for longer than the longest task in flight may take
        (``longest`` seconds, from :func:`batch_seconds`) plus the grace."""
        if time.monotonic() - self._since <= _STALL_GRACE_SECONDS + longest:
            return False
        if not self._flight.ask("ncores"):
            self.restart()
            return False
        return True
