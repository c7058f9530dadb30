"""The band-limited (Fourier) shift of a rational signal, kept in its cyclotomic field.

FourierShift(s) on N rational values: the taps' coordinates (computed once per
(s, N) and cached; the cache is cleared before every timing, so each time
includes them) and one cyclic convolution per power-basis coordinate give the
outputs as a CyclotomicVector: O(N^2) coefficients in all.  Scaling row: the
log-log slope of time against N = 64 .. 1024 (target <= 2.2; the former sympy
cosine sums had slope ~3); a second row times N = 1024 against applying the
same shift to a rational signal with N = 64 (informational: about a second).
The outputs are checked exactly at the smallest size against an independent
mpmath DFT at 50 digits before anything is timed.
"""

from __future__ import annotations

import random

import mpmath
import sympy

from benchmarks._timing import best_of, row, slope_row
from symequi.core.signal import Signal
from symequi.translations import fourier
from symequi.translations.fourier import FourierShift

S = sympy.Rational(1, 2)


def _signal(n: int) -> Signal:
    rng = random.Random(n)
    return Signal([sympy.Rational(rng.randint(-9, 9), rng.randint(1, 9)) for _ in range(n)])


def _cold(n: int, u: Signal) -> Signal:
    fourier._tap_vector.cache_clear()
    return FourierShift(S)(u)


def _check(n: int) -> None:
    """The outputs against the DFT definition evaluated with mpmath at 50 digits."""
    u = _signal(n)
    out = _cold(n, u)
    values = u.flat_exprs()
    with mpmath.workdps(50):
        for j in range(n):
            expected = mpmath.mpc(0)
            for k in range(-(n // 2), n // 2 + 1):
                weight = mpmath.mpf(1) / 2 if n % 2 == 0 and abs(k) == n // 2 else 1
                spectrum = sum(mpmath.mpf(v.p) / v.q * mpmath.expjpi(-2 * mpmath.mpf(k) * m / n)
                               for m, v in enumerate(values))
                expected += weight * mpmath.expjpi(2 * k * (j - mpmath.mpf(S.p) / S.q) / n) * spectrum
            assert abs(out.field_vector.element(j).evalf(50) - expected / n) < mpmath.mpf(10) ** -40


def cases(quick: bool) -> list[dict]:
    sizes = [32, 64, 128, 256] if quick else [64, 128, 256, 512, 1024]
    _check(16)
    times = []
    for n in sizes:
        u = _signal(n)
        times.append(best_of(lambda: _cold(n, u), repeat=2))
    return [
        slope_row("FourierShift(1/2) of a rational Signal, in Q(zeta_2N)", sizes, times, 2.2),
        row(f"FourierShift(1/2), rational Signal, N={sizes[-1]} (taps included)", times[-1],
            f"same, N={sizes[0]}", times[0], f"about a second at N={sizes[-1]}; ratio informational"),
    ]
