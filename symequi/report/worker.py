"""Run proof-script claims in worker processes, so that one claim cannot take the run down.

A claim loaded from a proof script (by :func:`~symequi.report.claims.discover`)
runs in a separate worker process: one worker per script file, reused for the
file's consecutive claims (they share the module's state, as they would in one
process).  The parent waits for each claim's result at most its budget plus a
grace period (:func:`grace_seconds`), then kills the worker (``SIGKILL``), so:

* a claim that swallows the budget's exception (``except BaseException`` in a
  loop) is stopped anyway: its verdict is Undecided, naming the kill;
* ``os._exit``, a segmentation fault or any other death of the worker is an
  error result naming the claim and the exit status or signal;
* ``KeyboardInterrupt`` *raised by a claim* is an error of that claim (workers
  ignore ``SIGINT``: a real Ctrl-C reaches the parent, which stops the worker).

Results come back as plain pickled data (verdict, derivation, seconds, error)
and are rebuilt into a :class:`~symequi.report.claims.ClaimResult` of the
parent's claim.  Workers are forked from a ``forkserver`` that has imported
symequi once, so starting one costs milliseconds, not a new interpreter.

Claims defined in the running program (not loaded from a script, e.g. in a
test or a notebook) cannot be re-created in another process; they run in
process (:func:`isolable` tells which is which).

Example
-------
>>> import pathlib, tempfile
>>> from symequi.report.claims import discover
>>> from symequi.report.worker import ClaimWorkers, isolable
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "crash.py").write_text(
...     "import os\\n"
...     "from symequi.report.claims import claim\\n"
...     "@claim('crash', 'a claim that ends its process')\\n"
...     "def crash(d):\\n"
...     "    os._exit(3)\\n")
>>> [c] = discover(folder)
>>> isolable(c)
True
>>> with ClaimWorkers(folder / "out") as workers:
...     result = workers.run(c)
>>> result.status, result.error.splitlines()[0]
('ERROR', "claim 'crash': its worker process exited with status 3 (os._exit?) before returning a verdict")
"""

from __future__ import annotations

import copyreg
import faulthandler
import gc
import io
import multiprocessing
import os
import pathlib
import pickle
import signal
import sys
import time
import traceback
from multiprocessing import forkserver
from multiprocessing.connection import Connection
from typing import Any

import flint

from ..core.budget import check_budget
from ..core.errors import InvalidArgumentError
from ..core.verdict import Undecided
from .claims import (DEFAULT_CLAIM_BUDGET, IMPORT_BUDGET, Claim, ClaimResult, broken_claim, script_module_name, script_files,
                     discover)
from .derivation import Derivation
from ..core.texts import brief

__all__ = ["ClaimWorkers", "isolable", "grace_seconds", "discover_isolated"]

#: Modules the forkserver imports once, so that each worker starts warm.
_PRELOAD = ["symequi", "symequi.report.worker"]
#: ... and, when the forkserver starts for several scripts, what a script's first decider or
#: figure would otherwise import in each of their workers again (Hypothesis for the search, z3
#: for the SMT decider, matplotlib's pyplot and the PDF writer that figures are saved with: about
#: 0.7 s a worker; sympy's units, which ``sympy.simplify`` imports on its first call: 0.17 s).  A
#: run of one script skips them: its one worker imports what it uses, and nothing it does not.
#: pyplot is only imported here; no backend is chosen (symequi's figures pick Agg themselves).
_PRELOAD_FOR_SEVERAL = [*_PRELOAD, "symequi.deciders.search", "symequi.deciders.smt", "matplotlib.pyplot",
                        "matplotlib.backends.backend_pdf", "sympy.physics.units"]


def grace_seconds(budget: float) -> float:
    """How long past its budget a claim may take before its worker is killed.

    The budget itself fires inside the claim (an Undecided verdict); the grace
    covers returning the result.  Two seconds plus 5% of the budget:

    >>> grace_seconds(1), grace_seconds(300)
    (2.05, 17.0)
    """
    return 2.0 + 0.05 * budget


def isolable(c: Claim) -> bool:
    """True when ``c`` was loaded from a proof script by ``discover`` (so a
    worker process can load it again); False for claims defined in the
    running program and for scripts that failed to load.

    >>> isolable(Claim("x", "a claim defined here", lambda d: None))
    False
    """
    return (c.fn is not None and c.file is not None
            and getattr(c.fn, "__module__", None) == script_module_name(c.file))


# --- results as plain data -------------------------------------------------------------------
# python-flint's polynomials and matrices do not pickle; rebuild them from their entries.
def _reduce_fmpz_poly(p: Any) -> tuple[Any, tuple[Any, ...]]:
    return flint.fmpz_poly, ([int(c) for c in p.coeffs()],)


def _reduce_fmpq_poly(p: Any) -> tuple[Any, tuple[Any, ...]]:
    return flint.fmpq_poly, ([int(c) for c in p.numer().coeffs()], int(p.denom()))


def _reduce_mat(m: Any) -> tuple[Any, tuple[Any, ...]]:
    return type(m), (m.nrows(), m.ncols(), list(m.entries()))


_DISPATCH = {**copyreg.dispatch_table, flint.fmpz_poly: _reduce_fmpz_poly, flint.fmpq_poly: _reduce_fmpq_poly,
             flint.fmpz_mat: _reduce_mat, flint.fmpq_mat: _reduce_mat}


def dumps_result(result: ClaimResult) -> bytes:
    """A claim result's verdict, derivation, seconds and error as bytes (the
    claim itself stays behind: the parent has its own copy).

    >>> from symequi.core.verdict import Proved
    >>> c = Claim("sum", "1 + 1 = 2", None)
    >>> data = dumps_result(ClaimResult(c, Proved("1 + 1 = 2"), Derivation("sum"), 0.5))
    >>> loads_result(c, data).verdict.text()
    'Proved: 1 + 1 = 2'
    """
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _DISPATCH
    pickler.dump((result.verdict, result.derivation, result.seconds, result.error, result.location))
    return buffer.getvalue()


def loads_result(c: Claim, data: bytes) -> ClaimResult:
    """Rebuild the :class:`ClaimResult` of ``c`` from :func:`dumps_result`'s bytes."""
    verdict, derivation, seconds, error, location = pickle.loads(data)
    return ClaimResult(c, verdict, derivation, seconds, error=error, location=location)


# --- the worker process ----------------------------------------------------------------------
def _serve(conn: Connection, file: str, output_dir: str, environ: dict[str, str], cwd: str) -> None:
    """Worker main loop: load ``file``, then run the claims the parent names."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    # a forkserver child starts with the forkserver's environment and folder: take the parent's
    os.environ.clear()
    os.environ.update(environ)
    os.chdir(cwd)
    faulthandler.enable()  # a segmentation fault prints where it happened
    loaded = discover([file])
    # what is loaded now (symequi, sympy, the script) lives as long as the worker: keep it out of
    # the garbage collector's scans (a proof builds millions of short-lived sympy objects)
    gc.freeze()
    found = {c.id: c for c in loaded if c.fn is not None}
    load_errors = "\n".join(c.load_error or "" for c in loaded if c.fn is None)
    conn.send_bytes(b"ready")
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        if request is None:
            return
        claim_id, budget = request
        c = found.get(claim_id)
        start = time.perf_counter()
        if c is None:
            result = ClaimResult(Claim(claim_id, claim_id, None), None, Derivation(claim_id), 0.0,
                                 error=f"claim {claim_id!r} was not defined when its worker process loaded "
                                       f"{file}; does the script define claims conditionally?\n{load_errors}")
        else:
            try:
                result = c.run(output_dir, budget=budget)
            except BaseException as exc:  # noqa: BLE001 - e.g. KeyboardInterrupt raised by the claim
                tb = exc.__traceback__
                result = ClaimResult(c, None, Derivation(c.title), time.perf_counter() - start,
                                     error="".join(traceback.format_exception(type(exc), exc, tb)))
        try:
            data = dumps_result(result)
        except Exception as exc:  # noqa: BLE001 - an unpicklable verdict is this claim's error
            data = dumps_result(ClaimResult(result.claim, None, Derivation(result.claim.title), result.seconds,
                                            error=f"claim {claim_id!r}: its result could not be sent back from "
                                                  f"its worker process: {type(exc).__name__}: {exc}"))
        conn.send_bytes(data)


def _context(scripts: int = 1) -> Any:
    """The multiprocessing context of the workers; starts the forkserver if it is not running
    (with the preload for ``scripts`` script files; a running forkserver keeps its own)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():  # Windows
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(_PRELOAD_FOR_SEVERAL if scripts > 1 else _PRELOAD)
    # The forkserver (Python 3.11) imports its preload with a fresh interpreter's sys.path: give it
    # ours, so that it imports this very symequi (a source tree, a test run's path), not another one.
    saved = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(os.path.abspath(p or os.curdir) for p in sys.path)
    try:
        forkserver.ensure_running()
    finally:
        if saved is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = saved
    return ctx


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return f"was killed by {name}"
    return f"exited with status {exitcode} (os._exit?)"


class ClaimWorkers:
    """Runs claims in worker processes, one live worker per proof file.

    Use it as a context manager (the last worker is stopped on exit); call
    :meth:`run` for each claim in order.  Claims that are not
    :func:`isolable` run in this process.  After a worker died or was killed,
    the next claim of its file runs in a fresh worker (the file loads again).
    """

    def __init__(self, output_dir: str | os.PathLike[str]) -> None:
        if not isinstance(output_dir, (str, os.PathLike)):
            raise InvalidArgumentError(f"output_dir={brief(output_dir)} must be a folder path")
        self.output_dir = str(pathlib.Path(output_dir).resolve())
        self._process: Any = None
        self._conn: Connection | None = None
        self._file: pathlib.Path | None = None

    def __enter__(self) -> "ClaimWorkers":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close(kill=exc[0] is not None)

    def close(self, *, kill: bool = False) -> None:
        """Stop the live worker (at once with ``kill=True``)."""
        process, conn = self._process, self._conn
        self._process = self._conn = self._file = None
        if process is None or conn is None:
            return
        if not kill:
            try:
                conn.send(None)
            except OSError:
                pass
            process.join(5)
        if process.is_alive():
            process.kill()
            process.join()
        conn.close()

    def interrupt(self) -> None:
        """Kill the live worker at once, from any thread (Ctrl-C of a parallel
        run): the claim it runs ends as an error of the thread that runs it,
        which also cleans up (:meth:`close`)."""
        process = self._process
        if process is not None and process.is_alive():
            process.kill()

    def _start(self, file: pathlib.Path) -> str | None:
        """Start a worker for ``file``; return None, or why it failed to start."""
        self.close()
        ctx = _context()
        parent, child = ctx.Pipe()
        process = ctx.Process(target=_serve, name=f"symequi-claims-{brief(file.name, str)}", daemon=True,
                              args=(child, str(file), self.output_dir, dict(os.environ), os.getcwd()))
        process.start()
        child.close()
        self._process, self._conn, self._file = process, parent, file
        limit = IMPORT_BUDGET + grace_seconds(IMPORT_BUDGET)
        if not parent.poll(limit):
            self.close(kill=True)
            return f"loading {file.name} in a worker process took longer than {limit:g} s; it was killed"
        try:
            parent.recv_bytes()
        except EOFError:
            process.join()
            code = process.exitcode
            self.close(kill=True)
            return f"its worker process {_death(code)} while loading {file.name}"
        return None

    def run(self, c: Claim, *, budget: float | None = None) -> ClaimResult:
        """Run ``c`` (in a worker when :func:`isolable`) and return its result;
        never raises for anything the claim does."""
        if not isolable(c):
            return c.run(self.output_dir, budget=budget)
        seconds = check_budget(budget)
        if seconds is None:
            seconds = c.budget if c.budget is not None else DEFAULT_CLAIM_BUDGET
        assert c.file is not None
        start = time.perf_counter()
        if self._file != c.file or self._process is None or not self._process.is_alive():
            failed = self._start(c.file)
            if failed is not None:
                return ClaimResult(c, None, Derivation(c.title), time.perf_counter() - start,
                                   error=f"claim {c.id!r}: {failed}")
        conn = self._conn
        assert conn is not None and self._process is not None
        start = time.perf_counter()
        conn.send((c.id, budget))
        limit = seconds + grace_seconds(seconds)
        if not conn.poll(limit):
            self.close(kill=True)
            reason = (f"claim {c.id!r} ran past its budget of {seconds:g} s and did not stop (does it catch "
                      f"BaseException?); its worker process was killed after {limit:g} s")
            return ClaimResult(c, Undecided(c.title, reason=reason, details={"budget": f"{seconds:g} s"}),
                               Derivation(c.title), time.perf_counter() - start)
        try:
            data = conn.recv_bytes()
        except EOFError:
            self._process.join(5)
            code = self._process.exitcode
            self.close(kill=True)
            return ClaimResult(c, None, Derivation(c.title), time.perf_counter() - start,
                               error=f"claim {c.id!r}: its worker process {_death(code)} before returning a verdict")
        return loads_result(c, data)


def discover_isolated(paths: str | os.PathLike[str] | list[str | os.PathLike[str]]) -> list[Claim]:
    """Like :func:`~symequi.report.claims.discover`, but each script is first
    loaded in a worker process: a script whose top-level code ends its process
    (``os._exit``, a crash) or never finishes loading becomes one error claim,
    instead of taking this process down.

    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "exits.py").write_text("import os\\nos._exit(3)\\n")
    >>> [c] = discover_isolated(folder)
    >>> c.id, c.load_error
    ('exits.load-error', 'its worker process exited with status 3 (os._exit?) while loading exits.py')
    """
    files = script_files([paths] if isinstance(paths, (str, os.PathLike)) else paths)
    _context(len(files))
    crashed: dict[pathlib.Path, str] = {}
    with ClaimWorkers(pathlib.Path.cwd()) as workers:
        for file in files:
            why = workers._start(file)
            if why is not None:
                crashed[file] = why
    loaded = discover([f for f in files if f not in crashed]) if len(crashed) < len(files) else []
    claims: list[Claim] = []
    for file in files:
        claims += [broken_claim(file, crashed[file])] if file in crashed else [c for c in loaded if c.file == file]
    return claims
