"""The band-limited shift with a symbolic shift: taps as Laurent polynomials in
E = exp(-2 pi i s/N).  Checked against hand values, the Dirichlet closed form
and an explicit DFT in mpmath at 50 digits, and (a different algorithm) the
library's rational-shift FourierShift."""

from fractions import Fraction

import mpmath
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import symequi.translations.fourier_symbolic as fs
from symequi.arith.cyclotomic import CyclotomicElement, to_cyclotomic
from symequi.core.errors import InexactInputError, InvalidArgumentError
from symequi.arith.formal_laurent import E, FormalLaurent, formal_vector
from symequi.translations.fourier import FourierShift
from symequi.translations.fourier_symbolic import (
    band_frequencies,
    check_laurent_taps,
    formal_band_limited_signal,
    formal_fourier_shift,
    fourier_mode,
    fourier_taps_laurent,
    shift_phase,
)
from symequi.core.signal import Signal
from tests._mpmath_reference import mp_band_limited_shift

I, R = sympy.I, sympy.Rational
SQRT3 = sympy.sqrt(3)


def expanded_equal(a, b) -> bool:
    return sympy.expand(a - b) == 0


# --- small hand values -------------------------------------------------------------------
def test_band_and_modes_by_hand():
    assert [band_frequencies(n) for n in (1, 2, 3, 4, 5, 6)] == [
        [0], [0], [-1, 0, 1], [-1, 0, 1], [-2, -1, 0, 1, 2], [-2, -1, 0, 1, 2]]
    assert [c.to_sympy() for c in fourier_mode(4, 1)] == [1, I, -1, -I]
    assert [c.to_sympy() for c in fourier_mode(2, 1)] == [1, -1]
    w = -R(1, 2) - I * SQRT3 / 2                                  # zeta_3^-1
    assert all(expanded_equal(c.to_sympy(), e) for c, e in zip(fourier_mode(3, -1), [1, w, sympy.conjugate(w)]))


def test_taps_by_hand():
    assert fourier_taps_laurent(1)[0] == 1
    # N = 2: h_0 = 1/2 + (E + 1/E)/4, h_1 = 1/2 - (E + 1/E)/4  (k = 0 and the split Nyquist bin)
    h = fourier_taps_laurent(2)
    assert expanded_equal(h[0].to_sympy(), R(1, 2) + (E + 1 / E) / 4)
    assert expanded_equal(h[1].to_sympy(), R(1, 2) - (E + 1 / E) / 4)
    # N = 3: h_m = (1 + zeta_3^m E + zeta_3^-m / E)/3
    z = -R(1, 2) + I * SQRT3 / 2
    h = fourier_taps_laurent(3)
    for m in range(3):
        expected = (1 + z**m * E + sympy.conjugate(z) ** m / E) / 3
        assert expanded_equal(h[m].to_sympy(), sympy.expand(expected))


def test_shift_phase_by_hand():
    assert shift_phase("1/2", 2).to_sympy() == -I                 # exp(-i pi/2)
    assert shift_phase(1, 4).to_sympy() == -I                     # exp(-2 pi i/4)
    assert shift_phase(0, 5) == 1
    assert shift_phase(Fraction(1, 3), 1) == to_cyclotomic(-R(1, 2) - I * SQRT3 / 2)   # exp(-2 pi i/3)
    assert shift_phase(-4, 4) == 1


# --- mpmath at 50 digits ---------------------------------------------------------------------
def dirichlet(m, s, n):
    """The band-limited shift's tap in closed form (odd N: Dirichlet kernel; even N: split Nyquist)."""
    t = mpmath.pi * (m - s)
    if n == 1:
        return mpmath.mpf(1)
    if n % 2:
        return mpmath.sin(t) / (n * mpmath.sin(t / n))
    return mpmath.sin(t) * mpmath.cot(t / n) / n


def evaluate(p: FormalLaurent, e_value):
    total = mpmath.mpc(0)
    for (monomial, e), c in p.terms.items():
        assert monomial == ()
        total += c.evalf(60) * e_value**e
    return total


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6, 7, 8])
def test_taps_at_an_irrational_shift_match_the_dirichlet_closed_form(n):
    with mpmath.workdps(50):
        for s in (mpmath.sqrt(2) - 1, mpmath.mpf(7) / 3 + mpmath.e / 100):
            e_value = mpmath.expj(-2 * mpmath.pi * s / n)
            for m, h in enumerate(fourier_taps_laurent(n)):
                assert abs(evaluate(h, e_value) - dirichlet(m, s, n)) < mpmath.mpf(10) ** -45


@pytest.mark.parametrize("u", [[1, 0, 0], [3, -1, 2, 5], [1, 2, 0, -1, 4], [2, 0, -1, 0, -1, 0]])
def test_formal_shift_against_mpmath_dft(u):
    shifted = formal_fourier_shift(u)
    with mpmath.workdps(50):
        for s in (mpmath.mpf(1) / 3, mpmath.sqrt(3) - 2):
            e_value = mpmath.expj(-2 * mpmath.pi * s / len(u))
            expected = mp_band_limited_shift(u, s)
            assert all(abs(evaluate(a, e_value) - b) < mpmath.mpf(10) ** -45 for a, b in zip(shifted, expected))


# --- exact identities ------------------------------------------------------------------------
@pytest.mark.parametrize("n", range(1, 9))
def test_modes_are_eigenvectors(n):
    # F_s v_k = E^k v_k for |k| < n/2; the Nyquist mode gets cos(pi s) = (E^(n/2) + E^(-n/2))/2
    for k in band_frequencies(n):
        v = formal_vector(fourier_mode(n, k))
        assert formal_fourier_shift(v) == [entry * FormalLaurent.e_power(k) for entry in v]
    if n % 2 == 0:
        v = formal_vector(fourier_mode(n, n // 2))
        cos_pi_s = (FormalLaurent.e_power(n // 2) + FormalLaurent.e_power(-n // 2)) * Fraction(1, 2)
        assert formal_fourier_shift(v) == [entry * cos_pi_s for entry in v]


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6, 8])
def test_check_laurent_taps_agrees_with_library(n):
    shifts = ["1/2", "1/3", "-2/5", "7/4", 0, 3]
    result = check_laurent_taps(n, shifts)
    assert [s for s, _ in result] == [R(1, 2), R(1, 3), R(-2, 5), R(7, 4), 0, 3]
    assert all(ok for _, ok in result)


def test_check_laurent_taps_detects_a_mismatch(monkeypatch):
    library_taps = fs.fourier_taps_cyclotomic

    def rolled(s, n):                               # the right taps, rolled by one: must be caught
        taps = library_taps(s, n)
        return taps[1:] + taps[:1]

    monkeypatch.setattr(fs, "fourier_taps_cyclotomic", rolled)
    assert check_laurent_taps(3, ["1/2"]) == [(R(1, 2), False)]


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.fractions(min_value=-4, max_value=4, max_denominator=4), min_size=1, max_size=6),
    st.fractions(min_value=-2, max_value=2, max_denominator=6),
)
def test_formal_shift_at_rational_s_equals_fourier_shift(u, s):
    # the Laurent computation at E = exp(-2 pi i s/N) must equal the library's field computation, exactly
    n = len(u)
    point = shift_phase(s, n)
    formal = [entry.substitute_e(point) for entry in formal_fourier_shift(u)]
    library = FourierShift(R(s.numerator, s.denominator))(Signal([R(v.numerator, v.denominator) for v in u]))
    for got, want in zip(formal, library.flat_exprs()):
        assert got == FormalLaurent.constant(to_cyclotomic(want))


def test_formal_band_limited_signal_by_hand():
    u, names = formal_band_limited_signal(3)
    assert [str(v) for v in names] == ["a_{-1}", "a_{0}", "a_{1}"]
    am, a0, a1 = names
    z = -R(1, 2) + I * SQRT3 / 2
    for j in range(3):
        assert expanded_equal(u[j].to_sympy(names), am * sympy.conjugate(z) ** j + a0 + a1 * z**j)
    u, names = formal_band_limited_signal(8, [2, -2])
    assert [str(v) for v in names] == ["a_{2}", "a_{-2}"]
    assert u[1].to_sympy(names) == I * names[0] - I * names[1]


def test_band_limited_signal_shift_is_phase_per_coefficient():
    # F_s sum_k a_k v_k = sum_k a_k E^k v_k: substituting a_k -> a_k E^k in u gives F_s u
    n = 5
    u, _ = formal_band_limited_signal(n)
    shifted = formal_fourier_shift(u)
    ks = band_frequencies(n)
    expected = []
    for j in range(n):
        expected.append(FormalLaurent({((i,), k): CyclotomicElement.zeta(n, k * j) for i, k in enumerate(ks)}))
    assert shifted == expected


def test_validation_messages():
    with pytest.raises(InvalidArgumentError, match="n=0 must be >= 1"):
        fourier_taps_laurent(0)
    with pytest.raises(InvalidArgumentError, match="n=2.5 must be a positive integer"):
        band_frequencies(2.5)
    with pytest.raises(InexactInputError, match="s=0.5 is a Python float"):
        shift_phase(0.5, 4)
    with pytest.raises(InvalidArgumentError, match="not a rational number"):
        shift_phase(sympy.sqrt(2), 4)
    with pytest.raises(InvalidArgumentError, match=r"shifts\[1\]"):
        check_laurent_taps(4, ["1/2", "pi"])
    with pytest.raises(InvalidArgumentError, match="k=0.5 must be an int frequency"):
        fourier_mode(4, 0.5)
    with pytest.raises(InvalidArgumentError, match="vector is empty"):
        formal_fourier_shift([])
    with pytest.raises(InvalidArgumentError, match="repeats a frequency"):
        formal_band_limited_signal(5, [1, 1])
    with pytest.raises(InvalidArgumentError, match=r"frequencies\[0\]=True"):
        formal_band_limited_signal(5, [True])


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6])
def test_formal_shift_equals_the_convolution_with_the_laurent_taps(n):
    # a different algorithm: out_j = sum_m h_m u_{(j-m) mod n} tap by tap, on formal entries that mix
    # symbols, powers of E and cyclotomic coefficients (formal_fourier_shift goes through a transform)
    u = [FormalLaurent.symbol(j % 3) * FormalLaurent.e_power(j - 1) + CyclotomicElement.zeta(2 * n, j) for j in range(n)]
    u[0] = u[0] * FormalLaurent.symbol(1)
    taps = fourier_taps_laurent(n)
    expected = []
    for j in range(n):
        acc = FormalLaurent()
        for m in range(n):
            acc = acc + taps[m] * u[(j - m) % n]
        expected.append(acc)
    assert formal_fourier_shift(u) == expected
