"""Layers on signals held in a cyclotomic field (a Fourier shift's output) stay in the field, and
their values agree with an independent 50-digit evaluation of the same formulas (mpmath on the
input entries' numeric values), or with taps computed by hand."""

from __future__ import annotations

import math

import mpmath
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import symequi as se
from symequi.layers.convolution import Convolution
from symequi.layers.pooling import AvgPool, MaxPool
from symequi.translations.fourier import FourierShift
from symequi.translations.interpolation import InterpolationShift
from symequi.translations.kernels import LanczosKernel, LinearKernel

DIGITS = 50


def test_normalized_lanczos_shift_of_a_unit_impulse_is_its_taps_by_hand():
    """Lanczos-3 at x = m - 1/2: sinc(x) sinc(x/3) = 3 sin(pi x) sin(pi x/3) / (pi x)^2 is
    6, -4/3, 6/25 (times 1/pi^2) at |x| = 1/2, 3/2, 5/2; divided by their total 736/75 they are
    225/368, -25/184, 9/368, and out_j = h_j (indices mod 8)."""
    shift = InterpolationShift(sympy.Rational(1, 2), kernel=LanczosKernel(a=3), normalize=True)
    out = shift(se.Signal([1, 0, 0, 0, 0, 0, 0, 0]))
    assert out == se.Signal(["225/368", "225/368", "-25/184", "9/368", 0, 0, "9/368", "-25/184"])
    zeros = InterpolationShift(sympy.Rational(1, 2), kernel=LanczosKernel(a=3), normalize=True, boundary="zeros")
    assert zeros(se.Signal([1, 0, 0, 0, 0, 0, 0, 0])) == se.Signal(["225/368", "225/368", "-25/184", "9/368", 0, 0, 0, 0])


def _numbers(signal: se.Signal) -> list[mpmath.mpf]:
    return [mpmath.mpf(str(sympy.N(e, DIGITS + 10))) for e in signal.flat_exprs()]


def _close(got: se.Signal, expected: list[mpmath.mpf]) -> bool:
    return all(abs(a - b) < mpmath.mpf(10) ** (-DIGITS + 10) for a, b in zip(_numbers(got), expected))


def _correlate(values, taps, boundary):
    """out_j = sum_m h_m u_{j-m}, by the definition (periodic: indices mod n; zeros: dropped)."""
    n = len(values)
    out = []
    for j in range(n):
        total = mpmath.mpf(0)
        for m, h in taps.items():
            k = j - m
            if boundary == "periodic":
                k %= n
            elif not 0 <= k < n:
                continue
            total += h * values[k]
        out.append(total)
    return out


def _band_limited_shift(values, t):
    """The band-limited translation by the DFT: X_k = sum_m x_m e^(-2 pi i k m/n), then
    out_j = (1/n) sum_(|k| < n/2) X_k e^(2 pi i k (j - t)/n), plus for even n the split Nyquist
    bin (1/n) X_(n/2) cos(pi (j - t))."""
    n = len(values)
    tt = mpmath.mpf(t.p) / t.q
    dft = {k: mpmath.fsum(x * mpmath.expjpi(-2 * mpmath.mpf(k * m) / n) for m, x in enumerate(values))
           for k in range(-(n // 2), n // 2 + 1)}
    out = []
    for j in range(n):
        total = mpmath.fsum(dft[k] * mpmath.expjpi(2 * k * (j - tt) / n) for k in range(-((n - 1) // 2), (n - 1) // 2 + 1))
        if n % 2 == 0:
            total += dft[n // 2] * mpmath.cospi(j - tt)
        out.append(mpmath.re(total) / n)
    return out


@settings(max_examples=25, deadline=None)
@given(values=st.lists(st.fractions(min_value=-2, max_value=2, max_denominator=3), min_size=4, max_size=6),
       s=st.sampled_from([sympy.Rational(1, 2), sympy.Rational(1, 3), sympy.Rational(-1, 4)]),
       t=st.sampled_from([sympy.Rational(1, 2), sympy.Rational(1, 3)]),
       boundary=st.sampled_from(["periodic", "zeros"]))
def test_layers_of_a_fourier_shifted_signal_stay_in_the_field_and_match_50_digits(values, s, t, boundary):
    v = FourierShift(s)(se.Signal(values))
    assert v.field_vector is not None or v.is_rational
    with mpmath.workdps(DIGITS + 10):
        x = _numbers(v)
        n = len(x)
        cases = [
            (Convolution([1, -2, 1], padding=boundary), _correlate(x, {0: 1, 1: -2, 2: 1}, boundary)),
            (MaxPool(2, stride=1), [max(x[j], x[j + 1]) for j in range(n - 1)]),
            (AvgPool(2, stride=1), [(x[j] + x[j + 1]) / 2 for j in range(n - 1)]),
            (InterpolationShift(t, kernel=LinearKernel(), boundary=boundary),
             _correlate(x, {0: 1 - mpmath.mpf(t.p) / t.q, 1: mpmath.mpf(t.p) / t.q}, boundary)),
            (FourierShift(t), _band_limited_shift(x, t)),
        ]
        lanczos = InterpolationShift(t, kernel=LanczosKernel(a=3), normalize=True, boundary=boundary)
        cases.append((lanczos, _correlate(x, {m: mpmath.mpf(str(sympy.N(h, DIGITS + 10)))
                                              for m, h in lanczos.taps(n).items()}, boundary)))
        for layer, expected in cases:
            out = layer(v)
            assert out.field_vector is not None or out.is_rational, layer
            assert _close(out, expected), (layer, out)


def test_a_users_subclass_keeps_its_own_values():
    """A subclass that redefines the window reduction is not run through the library's field path."""
    class Second(MaxPool):
        def _reduce_exprs(self, values):
            return sorted(values, key=lambda e: sympy.N(e, 30))[0]

    v = FourierShift(sympy.Rational(1, 4))(se.Signal([1, 0, 0, 0]))
    out = Second(2)(v)
    expected = [min(a, b, key=lambda e: sympy.N(e, 30)) for a, b in zip(v.flat_exprs()[::2], v.flat_exprs()[1::2])]
    assert out == se.Signal(expected)


@pytest.mark.parametrize("layer", [Convolution([1, 1], padding="periodic"), AvgPool(2)])
def test_rational_maps_on_complex_field_entries_are_exact(layer):
    """Entries that are not real (i = zeta_4) still go through a rational linear map in the field."""
    from symequi.arith.cyclotomic import CyclotomicElement
    from symequi.arith.cyclotomic_vector import CyclotomicVector

    i = CyclotomicElement.zeta(4)
    u = se.Signal.from_field(CyclotomicVector.from_elements([i, 1, i * 2, 0]), (4,))
    out = layer(u)
    assert out.field_vector is not None
    I = sympy.I
    expected = {Convolution: [I, 1 + I, 1 + 2 * I, 2 * I], AvgPool: [(I + 1) / 2, I]}[type(layer)]
    assert out == se.Signal(expected)


@pytest.mark.parametrize("seed", range(4))
def test_field_paths_agree_with_the_sympy_paths(seed):
    """The same Fourier-shifted values as a field signal and as plain sympy entries (which take
    the layers' sympy paths) give exactly equal outputs, 1-D and 2-D, every padding and boundary."""
    import random

    from symequi.core.operator import Sequential
    from symequi.layers.activations import Abs, Bias, LeakyReLU, ReLU
    from symequi.layers.clamp import Clamp
    from symequi.layers.convolution import Correlation

    rng = random.Random(seed)

    def r():
        return sympy.Rational(rng.randint(-4, 4), rng.randint(1, 3))

    two_d = seed % 2 == 1
    shape = (3, 4) if two_d else (rng.randint(4, 7),)
    values = [r() for _ in range(math.prod(shape))]
    u = se.Signal([values[i * 4:(i + 1) * 4] for i in range(3)]) if two_d else se.Signal(values)
    s = rng.choice([sympy.Rational(1, 2), sympy.Rational(1, 3), sympy.Rational(2, 5)])
    v = FourierShift((s, s) if two_d else s)(u)
    plain = se.Signal.from_exprs(v.flat_exprs(), v.shape)
    assert v.field_vector is not None and plain.field_vector is None
    pads = ["zeros", "periodic", "reflect", "replicate"]
    if two_d:
        layers = [Convolution([[1, -1], [2, r()]], padding=rng.choice(pads)), Correlation([[r(), 1], [0, 2]], padding="periodic"),
                  MaxPool((2, 2), stride=1), AvgPool((2, 2), stride=1)]
    else:
        layers = [Convolution([1, r(), -1], padding=rng.choice(pads), stride=rng.choice([1, 2])), MaxPool(2, stride=1),
                  AvgPool(2, stride=2), InterpolationShift(s, kernel=LanczosKernel(a=2), normalize=True, boundary="zeros"),
                  InterpolationShift(s, kernel=LinearKernel(), boundary="periodic"), FourierShift(sympy.Rational(1, 4))]
    layers += [ReLU(), LeakyReLU("1/4"), Abs(), Clamp("-1/2", "1/2"), Bias(r()), Sequential(ReLU(), Bias(-1), Abs())]
    for layer in layers:
        assert layer(v) == layer(plain), layer
