"""End-to-end: the C8 proof scripts (proofs/c8_*.py), run as the CLI runs them.

Each claim is loaded with :func:`symequi.report.claims.discover` and run once with
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

from tests.proofs.conftest import results_of
import sympy

from symequi.report.claims import discover
from symequi.core.signal import Signal
from tests._mpmath_reference import mp_band_limited_shift

PROOFS = pathlib.Path(__file__).resolve().parents[2] / "proofs"
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
def results(shipped):
    return results_of(shipped, SCRIPTS)


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
    """The band-limited shift's real part with mpmath (tests/_mpmath_reference.py)."""
    return [v.real for v in mp_band_limited_shift(u, s)]


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
        from symequi.translations.fourier import FourierShift
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


def _mp_square_lowpass(u, n_keep):
    """Entrywise square, then keep the DFT modes |k| < n_keep/2 of the len(u)-point signal (mpmath DFT)."""
    n = len(u)
    sq = [v * v for v in u]
    coef = [sum(sq[j] * mpmath.expj(-2 * mpmath.pi * k * j / n) for j in range(n)) / n for k in range(n)]
    out = []
    for j in range(n):
        total = mpmath.mpc(0)
        for k in range(n):
            kk = k if 2 * k < n else k - n
            if 2 * abs(kk) < n_keep and 2 * k != n:
                total += coef[k] * mpmath.expj(2 * mpmath.pi * kk * j / n)
        out.append(total.real)
    return out


def _mp_cos_input(n, modes):
    """u_j = sum over (k, a, phase) of a cos(2 pi k j/n + phase): a real band-limited input."""
    return [sum(a * mpmath.cos(2 * mpmath.pi * k * j / n + ph) for k, a, ph in modes) for j in range(n)]


def test_square_without_upsampling_pattern_by_mpmath(results):
    # The claim's table: B = LowPass(|k| < N/2) . square commutes with F_s only for N = 4; the plain square never.
    # Independent check at 50 digits on real band-limited inputs (all modes |k| < N/2 present), s = 1/3.
    assert results["c8-square-without-upsampling"].obtained == "refuted"
    s = mpmath.mpf(1) / 3
    with mpmath.workdps(50):
        for n in (4, 5, 6, 7):
            modes = [(k, mpmath.mpf(k + 2) / 3, mpmath.mpf(k) / 5) for k in range(0, (n + 1) // 2)]
            u = _mp_cos_input(n, modes)
            lhs = _mp_square_lowpass(_mp_fourier_shift(u, s), n)
            rhs = _mp_fourier_shift(_mp_square_lowpass(u, n), s)
            gap = max(abs(a - b) for a, b in zip(lhs, rhs))
            assert (gap < mpmath.mpf(10) ** -40) == (n == 4), (n, gap)
            plain = max(abs(a - b) for a, b in zip([v * v for v in _mp_fourier_shift(u, s)],
                                                   _mp_fourier_shift([v * v for v in u], s)))
            assert plain > mpmath.mpf(10) ** -3, (n, plain)


def test_quarter_band_boundary_by_mpmath(results):
    # degree < N/4: the plain square commutes with F_s; a mode of degree ceil(N/4) breaks it (N = 8: k = 2).
    assert results["c8-square-quarter-band"].obtained == "proved"
    s = mpmath.mpf(2) / 7
    with mpmath.workdps(50):
        for n, modes, commutes in ((8, [(0, 1, 0), (1, mpmath.mpf(3) / 2, mpmath.mpf(1) / 3)], True),
                                   (8, [(1, 1, 0), (2, mpmath.mpf(1) / 2, mpmath.mpf(1) / 7)], False),
                                   (11, [(2, 1, mpmath.mpf(1) / 4)], True),
                                   (11, [(3, 1, mpmath.mpf(1) / 4)], False)):
            u = _mp_cos_input(n, modes)
            gap = max(abs(a - b) for a, b in zip([v * v for v in _mp_fourier_shift(u, s)],
                                                 _mp_fourier_shift([v * v for v in u], s)))
            assert (gap < mpmath.mpf(10) ** -40) == commutes, (n, modes, gap)


def test_lemma_c_beyond_the_machine_checked_sizes():
    # c8-fourier-bandlimited proves F_s v_k = E^k v_k for every N by DFT orthogonality; check N = 17..22 at 50 digits
    # with an explicit mpmath DFT (v_k taken as the real and imaginary parts cos, sin of 2 pi k j/N).
    s = mpmath.mpf(3) / 11
    with mpmath.workdps(50):
        for n in range(17, 23):
            for k in range(0, (n + 1) // 2):
                if 2 * k == n:
                    continue
                phase = 2 * mpmath.pi * k * s / n
                cos_k = [mpmath.cos(2 * mpmath.pi * k * j / n) for j in range(n)]
                expected = [mpmath.cos(2 * mpmath.pi * k * j / n - phase) for j in range(n)]
                got = _mp_fourier_shift(cos_k, s)
                assert max(abs(a - b) for a, b in zip(got, expected)) < mpmath.mpf(10) ** -40, (n, k)


def test_polynomial_error_formulas_by_fractions(results):
    # Lagrange: interpolate the samples of x^(p+1) at the p + 1 stencil nodes j - m and evaluate at j - s (plain
    # Fractions, Lagrange basis by hand); the error is -dx^(p+1) prod_m (m - s), as the claim states.
    from fractions import Fraction as Q

    assert results["c8-lagrange-degree-p-plus-1"].obtained == "refuted"
    dx, x0 = Q(1, 8), Q(3, 16)           # cell centres x0 + i dx; index j = 5
    for p, stencil in ((1, [0, 1]), (2, [-1, 0, 1]), (3, [-1, 0, 1, 2]), (4, [-2, -1, 0, 1, 2])):
        for s in (Q(1, 3), Q(2, 5)):
            f = lambda t: t ** (p + 1)  # noqa: E731
            node = lambda m: x0 + (5 - m) * dx  # noqa: E731
            target = x0 + (5 - s) * dx
            interp = Q(0)
            for m in stencil:
                basis = Q(1)
                for m2 in stencil:
                    if m2 != m:
                        basis *= (target - node(m2)) / (node(m) - node(m2))
                interp += basis * f(node(m))
            error = interp - f(target)
            product = Q(1)
            for m in stencil:
                product *= m - s
            assert error == -dx ** (p + 1) * product, (p, s)
    # Finite volume, p = 0 (upwind) on averages of x^2: (1 - s) A_j + s A_{j-1} - A(x - s dx)_j = s (1 - s) dx^2.
    for s in (Q(1, 3), Q(1, 2), Q(3, 4)):
        def avg(lo):  # average of x^2 over [lo, lo + dx]
            return ((lo + dx) ** 3 - lo ** 3) / (3 * dx)
        lo = Q(5, 8)
        assert (1 - s) * avg(lo) + s * avg(lo - dx) - avg(lo - s * dx) == s * (1 - s) * dx ** 2
