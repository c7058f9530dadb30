"""Every shipped proof script runs ONCE per test session, the way ``symequi prove -n 2 proofs``
runs it (claims loaded per file in worker processes by ``discover_isolated``, two scripts at a
time, with their hard-kill budgets); the proof tests and the end-to-end document test share these
results."""

from __future__ import annotations

import pathlib

import pytest

from symequi.report.runner import run_claims
from symequi.report.worker import discover_isolated

PROOFS = pathlib.Path(__file__).resolve().parents[2] / "proofs"


@pytest.fixture(scope="session")
def shipped(tmp_path_factory):
    """``(results by claim id, output folder)`` of every claim in proofs/, run once, two scripts at a
    time (the results come back from the worker processes as the CLI gets them)."""
    out = tmp_path_factory.mktemp("proofs-out")
    return {r.id: r for r in run_claims(discover_isolated(PROOFS), output_dir=out, jobs=2)}, out


def results_of(shipped, scripts) -> dict:
    """The shared results of the claims defined in ``scripts`` (file paths)."""
    files = {pathlib.Path(p).resolve() for p in scripts}
    return {k: r for k, r in shipped[0].items() if r.file is not None and pathlib.Path(r.file).resolve() in files}
