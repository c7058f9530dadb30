"""End-to-end: the C8 proof scripts (proofs/c8_*.py), run as the CLI runs them.

Each claim is loaded with :func:`symequi.claims.discover` and run once with
:meth:`Claim.run`; the verdicts must be the expected ones.  The witnesses and
a few exact values are then checked against expectations derived
independently: by hand (closed forms written out below) and with mpmath at
50 digits (explicit DFT sums and quadrature, no symequi code).
"""

from __future__ import annotations

import doctest
import importlib
import pathlib
import sys

import mpmath
import pytest
import sympy

from symequi.claims import discover
from symequi.signal import Signal

PROOFS = pathlib.Path(__file__).resolve().parent.parent / "proofs"
SCRIPTS = sorted(PROOFS.glob("c8_*.py"))

EXPECTED = {
    "c8-fourier-bandlimited": "proved",
    "c8-paper-sine-fourier": "proved",
    "c8-lagrange-polynomials": "proved",
    "c8-lagrange-degree-p-plus-1": "refuted",
    "c8-finite-volume-polynomials": "proved",
    "c8-finite-volume-degree-p-plus-2": "refuted",
    "c8-convolution-fourier": "proved",
    "c8-relu-convolution-fourier": "refuted",
    "c8-alias-free-square": "proved",
    "c8-square-without-upsampling": "refuted",
    "c8-square-quarter-band": "proved",
}

SQRT2 = sympy.sqrt(2)


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    out = tmp_path_factory.mktemp("c8")
    return {c.id: c.run(out) for c in discover(SCRIPTS)}


def _same(a, b) -> bool:
    """Exact equality of two lists of radicals (sympy radicals have a canonical expanded form)."""
    return len(a) == len(b) and all(sympy.expand(sympy.nsimplify(p) - q) == 0 for p, q in zip(a, b))


def test_every_c8_claim_has_its_expected_verdict(results):
    assert set(results) == set(EXPECTED)
    for cid, result in results.items():
        assert result.error is None, result.error
        assert result.obtained == EXPECTED[cid], (cid, result.verdict)
        assert result.ok
        assert result.claim.expect == EXPECTED[cid]
        assert "c8" in result.claim.tags
        assert len(result.derivation) > 0            # the work is shown


def test_relu_witness_by_hand(results):
    # u = [0, 0, 1, 1], N = 4, s = 1/2.  F_{1/2} e_0 = [a, a, b, b], a = (1 + sqrt2)/4, b = (1 - sqrt2)/4
    # (taps h_m = (1/4) sum_k w_k exp(2 pi i k (m - 1/2)/4)), so F u = [1/2, (1 - sqrt2)/2, 1/2, (1 + sqrt2)/2];
    # C_j = 2 b_{j+1} - 2 b_j - 1 -> [-1 - sqrt2, sqrt2 - 1, sqrt2 - 1, -1 - sqrt2], ReLU -> [0, s2-1, s2-1, 0].
    # Other path: ReLU(C u - 1) = [0, 1, 0, 0], F of it = roll_1 F e_0 = [b, a, a, b].
    v = results["c8-relu-convolution-fourier"].verdict
    a, b = (1 + SQRT2) / 4, (1 - SQRT2) / 4
    assert v.input == Signal([0, 0, 1, 1])
    assert _same(v.lhs.to_list(), [0, SQRT2 - 1, SQRT2 - 1, 0])
    assert _same(v.rhs.to_list(), [b, a, a, b])
    assert _same(v.difference.to_list(), [-b, SQRT2 - 1 - a, SQRT2 - 1 - a, -b])


def _mp_fourier_shift(u, s):
    """Band-limited shift with mpmath (50 digits): DFT, phase exp(-2 pi i k s/N), inverse DFT; even N: the
    Nyquist coefficient is multiplied by cos(pi s) (the split-bin convention)."""
    n = len(u)
    coef = [sum(mpmath.mpf(u[j]) * mpmath.expj(-2 * mpmath.pi * k * j / n) for j in range(n)) / n for k in range(n)]
    out = []
    for j in range(n):
        total = mpmath.mpc(0)
        for k in range(n):
            kk = k if 2 * k < n else k - n
            if 2 * k == n:
                total += coef[k] * mpmath.cos(mpmath.pi * s) * mpmath.expj(mpmath.pi * j)
            else:
                total += coef[k] * mpmath.expj(2 * mpmath.pi * kk * (j - s) / n)
        out.append(total.real)
    return out


def test_square_without_upsampling_witness_by_hand(results):
    # u_j = cos(2 pi j/3) on 6 points; F_{1/2} u = cos(2 pi (j - 1/2)/3) = [1/2, 1/2, -1, 1/2, 1/2, -1];
    # its square [1/4, 1/4, 1, ...] has period 3 (modes 0, +-2 only), so the low-pass keeps it.
    # u^2 = [1, 1/4, 1/4, ...] = 1/2 + u/2, so F(u^2) = 1/2 + (F u)/2 = [3/4, 3/4, 0, 3/4, 3/4, 0].
    v = results["c8-square-without-upsampling"].verdict
    q = sympy.Rational
    assert v.input == Signal([1, q(-1, 2), q(-1, 2), 1, q(-1, 2), q(-1, 2)])
    assert v.lhs == Signal([q(1, 4), q(1, 4), 1, q(1, 4), q(1, 4), 1])
    assert v.rhs == Signal([q(3, 4), q(3, 4), 0, q(3, 4), q(3, 4), 0])
    with mpmath.workdps(50):
        shifted = _mp_fourier_shift([1, -0.5, -0.5, 1, -0.5, -0.5], mpmath.mpf(1) / 2)   # dyadic inputs
        assert all(abs(a - b) < mpmath.mpf(10) ** -40 for a, b in zip(shifted, [0.5, 0.5, -1, 0.5, 0.5, -1]))


def test_alias_free_pipeline_against_mpmath():
    # A(u) for u = [2, 0, -1, 0, -1, 0] = cos(pi j/3) + cos(2 pi j/3): p^2 = 1 + cos(pi t/3) + cos(2 pi t/3)/2
    # + (modes 3 and 4, removed), so A(u)_j = 1 + cos(pi j/3) + cos(2 pi j/3)/2 = [5/2, 5/4, 1/4, 1/2, 1/4, 5/4].
    sys.path.insert(0, str(PROOFS))
    try:
        module = importlib.import_module("c8_alias_free_polynomial_activation")
        A = module.alias_free_square(6)
        q = sympy.Rational
        assert A(Signal([2, 0, -1, 0, -1, 0])) == Signal([q(5, 2), q(5, 4), q(1, 4), q(1, 2), q(1, 4), q(5, 4)])
        # shifted input, s = 1/3: A(F u) must be the exact shift of A(u); compare with mpmath DFT arithmetic
        from symequi.fourier import FourierShift
        lhs = A(FourierShift(q(1, 3))(Signal([2, 0, -1, 0, -1, 0])))
        with mpmath.workdps(50):
            expected = _mp_fourier_shift([2.5, 1.25, 0.25, 0.5, 0.25, 1.25], mpmath.mpf(1) / 3)
            got = [mpmath.mpf(sympy.N(e, 60)) for e in lhs.to_list()]
            assert all(abs(a - b) < mpmath.mpf(10) ** -40 for a, b in zip(got, expected))
    finally:
        sys.path.remove(str(PROOFS))


def test_polynomial_witnesses_by_hand(results):
    # Linear interpolation of x^2 at x_j - dx/2 (between centres x_{j-1}, x_j): the chord exceeds the parabola
    # by s (1 - s) dx^2 = 1/256 (dx = 1/8, s = 1/2).  Upwind on averages of x^2: the same constant.
    for cid in ("c8-lagrange-degree-p-plus-1", "c8-finite-volume-degree-p-plus-2"):
        v = results[cid].verdict
        assert v.difference == Signal([sympy.Rational(-1, 256)] * 7)
        assert str(v.functions["f"]) == "x**2"
    # centres of Grid(0, 1, 8): x_j = (2j + 1)/16; D[x^2](x - 1/16) at interior j = 1..7 is (j/8)^2
    lag = results["c8-lagrange-degree-p-plus-1"].verdict
    assert lag.lhs == Signal([sympy.Rational(j * j, 64) for j in range(1, 8)])


def test_paper_sine_values_by_quadrature():
    # f^h_j(dx/2c) on N = 8 (L = 1): average of sin(2 pi (x - 1/16)) over [j/8, (j+1)/8], by mpmath quadrature,
    # equals (8 sin(pi/8)/pi) sin(pi j/4), the value the claim states.
    with mpmath.workdps(50):
        for j in range(8):
            avg = 8 * mpmath.quad(lambda t: mpmath.sin(2 * mpmath.pi * (t - mpmath.mpf(1) / 16)),
                                  [mpmath.mpf(j) / 8, mpmath.mpf(j + 1) / 8])
            stated = 8 * mpmath.sin(mpmath.pi / 8) / mpmath.pi * mpmath.sin(mpmath.pi * j / 4)
            assert abs(avg - stated) < mpmath.mpf(10) ** -40
        # and it is the band-limited shift of f^h(0) by 1/2 cell (independent mpmath DFT)
        f0 = [8 * mpmath.quad(lambda t: mpmath.sin(2 * mpmath.pi * t), [mpmath.mpf(j) / 8, mpmath.mpf(j + 1) / 8])
              for j in range(8)]
        shifted = _mp_fourier_shift(f0, mpmath.mpf(1) / 2)
        for j in range(8):
            stated = 8 * mpmath.sin(mpmath.pi / 8) / mpmath.pi * mpmath.sin(mpmath.pi * j / 4)
            assert abs(shifted[j] - stated) < mpmath.mpf(10) ** -40


def test_helpers_doctests():
    sys.path.insert(0, str(PROOFS))
    try:
        helpers = importlib.import_module("_c8_helpers")
        failures, tried = doctest.testmod(helpers, optionflags=doctest.NORMALIZE_WHITESPACE)
        assert tried > 0 and failures == 0
    finally:
        sys.path.remove(str(PROOFS))
