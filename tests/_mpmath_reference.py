"""Reference numerics shared by tests: the band-limited shift computed with mpmath.

An independent route to symequi's exact Fourier shift (a direct DFT at the
working precision the caller sets with ``mpmath.mp.dps``), for tests that
compare exact values against 50-digit numerics.
"""

import mpmath


def mp_band_limited_shift(u, s):
    """DFT, multiply mode k by exp(-2 pi i k s/N), inverse DFT (complex values); for even N the
    Nyquist coefficient is multiplied by cos(pi s) (the split-bin convention)."""
    n = len(u)
    coef = [sum(mpmath.mpf(u[j]) * mpmath.expj(-2 * mpmath.pi * k * j / n) for j in range(n)) / n for k in range(n)]
    out = []
    for j in range(n):
        total = mpmath.mpc(0)
        for k in range(n):
            kk = k if 2 * k < n else k - n
            if 2 * k == n:
                total += coef[k] * mpmath.cos(mpmath.pi * s) * mpmath.expjpi(j)
            else:
                total += coef[k] * mpmath.expj(2 * mpmath.pi * kk * (j - s) / n)
        out.append(total)
    return out
