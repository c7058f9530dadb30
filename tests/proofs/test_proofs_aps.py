"""End-to-end: the adaptive polyphase sampling claims (proofs/m2_adaptive_polyphase.py).

Every witness is re-checked with a Fraction reimplementation of APS written here from the
definition (components ``x[k::2]``, the first of largest l1 / squared l2 norm), independent of
symequi; the proved claims are cross-checked on random exact inputs by the same reimplementation
(a sanity check of what is claimed, not a proof).
"""

from __future__ import annotations

import pathlib
import random
from fractions import Fraction

import pytest

from tests.proofs.conftest import results_of

PROOFS = pathlib.Path(__file__).resolve().parents[2] / "proofs"
SCRIPT = PROOFS / "m2_adaptive_polyphase.py"
EXPECTED = {
    "m2-aps-stride": "proved",
    "m2-aps-l1-invariant": "proved",
    "m2-aps-l2-invariant": "proved",
    "m2-aps-l1-tie": "refuted",
    "m2-aps-l2-tie": "refuted",
    "m2-aps-half-pixel": "refuted",
}


# --- the reference ---------------------------------------------------------------------------------

def norm_of(values: list[Fraction], norm: str) -> Fraction:
    return sum((abs(v) if norm == "l1" else v * v for v in values), Fraction(0))


def aps(x: list[Fraction], norm: str) -> list[Fraction]:
    """Keep x[0::2] unless x[1::2] has a strictly larger norm (the lowest index wins a tie)."""
    return x[1::2] if norm_of(x[1::2], norm) > norm_of(x[0::2], norm) else x[0::2]


def tie(x: list[Fraction], norm: str) -> bool:
    return norm_of(x[0::2], norm) == norm_of(x[1::2], norm)


def roll(x: list[Fraction], s: int) -> list[Fraction]:
    """(S_s x)_j = x_{j-s}, circular."""
    n = len(x)
    return [x[(j - s) % n] for j in range(n)]


def half_linear(x: list[Fraction]) -> list[Fraction]:
    """(L x)_j = (x_j + x_{j-1}) / 2, circular: the half-pixel linear-interpolation shift."""
    return [(x[j] + x[j - 1]) / 2 for j in range(len(x))]


def average(y: list[Fraction]) -> Fraction:
    return sum(y, Fraction(0)) / len(y)


def fractions_of(signal) -> list[Fraction]:
    return signal.to_fractions()


# --- the claims ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def results(shipped):
    return results_of(shipped, [SCRIPT])


def test_verdicts(results) -> None:
    assert set(results) == set(EXPECTED)
    for cid, result in results.items():
        assert result.error is None, result.error
        assert result.obtained == EXPECTED[cid], (cid, result.verdict)
        assert result.claim.expect == EXPECTED[cid] and "aps" in result.claim.tags
        assert len(result.derivation) > 0


def test_the_invariance_proofs_state_the_no_tie_assumption(results) -> None:
    for cid in ("m2-aps-l1-invariant", "m2-aps-l2-invariant"):
        verdict = results[cid].verdict
        assert "no tie" in verdict.holds_for and "N = 4, 6, 8" in verdict.holds_for
        assert "no tie" in results[cid].claim.plain_statement
    assert "ties included" in results["m2-aps-stride"].verdict.holds_for


@pytest.mark.parametrize("norm", ["l1", "l2"])
def test_tie_witness_by_hand(results, norm) -> None:
    v = results[f"m2-aps-{norm}-tie"].verdict
    x = fractions_of(v.input)
    assert len(x) == 4 and tie(x, norm)                  # the documented case: a tie
    moved = roll(x, 1)
    assert tie(moved, norm)
    lhs, rhs = max(aps(moved, norm)), max(aps(x, norm))  # global max after APS, both paths
    assert lhs != rhs
    assert fractions_of(v.lhs) == [lhs] and fractions_of(v.rhs) == [rhs]


def test_half_pixel_witness_by_hand(results) -> None:
    v = results["m2-aps-half-pixel"].verdict
    x = fractions_of(v.input)
    shifted = half_linear(x)
    for norm in ("l1", "l2"):                            # the claim covers both criteria
        assert not tie(x, norm) and not tie(shifted, norm)
        lhs, rhs = average(aps(shifted, norm)), average(aps(x, norm))
        assert lhs != rhs
        if norm == "l1":                                 # the returned verdict is the l1 square
            assert fractions_of(v.lhs) == [lhs] and fractions_of(v.rhs) == [rhs]


def _random_signal(rng: random.Random, n: int) -> list[Fraction]:
    return [Fraction(rng.randint(-3, 3), rng.choice([1, 2, 4])) for _ in range(n)]


def test_proved_claims_hold_on_random_inputs() -> None:
    rng = random.Random(0)
    for _ in range(400):
        n = rng.choice([4, 6, 8])
        x = _random_signal(rng, n)
        for norm in ("l1", "l2"):
            assert aps(roll(x, 2), norm) == roll(aps(x, norm), 1)        # m2-aps-stride, ties included
            if tie(x, norm):
                continue
            for s in range(1, n):                                         # the invariance claims
                y, z = aps(roll(x, s), norm), aps(x, norm)
                assert max(y) == max(z) and average(y) == average(z)
