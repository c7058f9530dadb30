"""Every shipped proof script runs ONCE per test session (in this process); the proof tests
and the end-to-end document test share these results."""

from __future__ import annotations

import pathlib

import pytest

from symequi.report.claims import discover

PROOFS = pathlib.Path(__file__).resolve().parents[2] / "proofs"


@pytest.fixture(scope="session")
def shipped(tmp_path_factory):
    """``(results by claim id, output folder)`` of every claim in proofs/, run once."""
    out = tmp_path_factory.mktemp("proofs-out")
    return {c.id: c.run(out) for c in discover(PROOFS)}, out


def results_of(shipped, scripts) -> dict:
    """The shared results of the claims defined in ``scripts`` (file paths)."""
    files = {pathlib.Path(p).resolve() for p in scripts}
    return {k: r for k, r in shipped[0].items() if r.file is not None and pathlib.Path(r.file).resolve() in files}
