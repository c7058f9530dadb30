"""End-to-end: the imported-model claims (proofs/m1_imported_models.py); the BlurPool witness is
checked by hand arithmetic on Fractions (blur, subsample, max), independent of symequi."""

from __future__ import annotations

import pathlib
from fractions import Fraction

import pytest

from tests.proofs.conftest import results_of

from symequi.report.claims import discover

PROOFS = pathlib.Path(__file__).resolve().parents[2] / "proofs"
EXPECTED = {"m1-blurpool-shift-2": "proved", "m1-blurpool-shift-1": "refuted", "m1-residual-circular": "proved"}


@pytest.fixture(scope="module")
def results(shipped):
    return results_of(shipped, [PROOFS / "m1_imported_models.py"])


def test_verdicts(results) -> None:
    assert set(results) == set(EXPECTED)
    for cid, result in results.items():
        assert result.error is None, result.error
        assert result.obtained == EXPECTED[cid], (cid, result.verdict)


def _blurpool_max(u: list[Fraction]) -> Fraction:
    n = len(u)
    blurred = [(u[(j - 1) % n] + 2 * u[j] + u[(j + 1) % n]) / 4 for j in range(0, n, 2)]
    return max(blurred)


def test_blurpool_witness_by_hand(results) -> None:
    v = results["m1-blurpool-shift-1"].verdict
    u = [Fraction(str(x)) for x in v.input.flat_exprs()]
    shifted = u[-1:] + u[:-1]  # (T_1 u)_j = u_{j-1}
    assert _blurpool_max(shifted) != _blurpool_max(u)
    assert [Fraction(str(x)) for x in v.lhs.flat_exprs()] == [_blurpool_max(shifted)]
    assert [Fraction(str(x)) for x in v.rhs.flat_exprs()] == [_blurpool_max(u)]
