"""Every shipped proof script runs ONCE per test session, the way ``symequi prove -n 2 proofs``
runs it (claims loaded per file in worker processes by ``discover_isolated``, two scripts at a
time, with their hard-kill budgets); the proof tests and the end-to-end document test share these
results.

Under pytest-xdist (the README's ``-n 2``) the proof test files may land on different xdist
workers: the first one to need the results runs the proofs and stores them (``dumps_result``, the
bytes the proof workers send back) next to the session's temporary folders; the others wait for
that file under a lock and read it, so the proofs still run once.
"""

from __future__ import annotations

import contextlib
import os
import pathlib
import pickle

import pytest

from symequi.report.claims import discover
from symequi.report.runner import run_claims
from symequi.report.worker import discover_isolated, dumps_result, loads_result

PROOFS = pathlib.Path(__file__).resolve().parents[2] / "proofs"


@contextlib.contextmanager
def _exclusive(path: pathlib.Path):
    """Hold an exclusive lock on ``path`` (POSIX ``flock``; elsewhere no lock, each worker runs its own)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield False
        return
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def shipped(tmp_path_factory, request):
    """``(results by claim id, output folder)`` of every claim in proofs/, run once, two scripts at a
    time (the results come back from the worker processes as the CLI gets them)."""
    base = tmp_path_factory.getbasetemp()
    if hasattr(request.config, "workerinput"):  # an xdist worker: share with the other workers
        base = base.parent
    out, stored = base / "proofs-out", base / "proofs-results.pickle"
    with _exclusive(base / "proofs.lock") as shared:
        if shared and stored.exists():
            data = pickle.loads(stored.read_bytes())
            return {c.id: loads_result(c, data[c.id]) for c in discover(PROOFS)}, out
        out.mkdir(exist_ok=True)
        results = {r.id: r for r in run_claims(discover_isolated(PROOFS), output_dir=out, jobs=2)}
        if shared:
            partial = stored.with_suffix(".partial")
            partial.write_bytes(pickle.dumps({k: dumps_result(r) for k, r in results.items()}))
            os.replace(partial, stored)
        return results, out


def results_of(shipped, scripts) -> dict:
    """The shared results of the claims defined in ``scripts`` (file paths)."""
    files = {pathlib.Path(p).resolve() for p in scripts}
    return {k: r for k, r in shipped[0].items() if r.file is not None and pathlib.Path(r.file).resolve() in files}
