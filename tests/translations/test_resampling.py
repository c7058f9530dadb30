"""Ideal resampling: FourierUpsample, IdealLowPass, Downsample.

Expectations: hand values (trigonometric interpolants written out below),
numpy FFT on dyadic data (zero padding with the Nyquist bin split: the
upsampling convention), the trigonometric interpolant summed in mpmath at 50
digits, and exact mode-by-mode identities built from roots of unity."""

from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from symequi.arith.cyclotomic import CyclotomicElement, cos_pi, cyclotomic_equal
from symequi.core.errors import InexactInputError, InvalidArgumentError
from symequi.translations.fourier import FourierShift
from symequi.layers import ReLU
from symequi.deciders.linear import decide_linear
from symequi.core.operator import Sequential
from symequi.translations.resampling import Downsample, FourierUpsample, IdealLowPass
from symequi.core.signal import Signal
from symequi.deciders.smt import decide_smt
from symequi.core.square import Square
from symequi.translations import IntegerShift

R = sympy.Rational
SQRT2 = sympy.sqrt(2)
a, b, c = sympy.symbols("a b c")


def all_equal(signal, expected) -> bool:
    got = signal.flat_exprs()
    return len(got) == len(expected) and all(cyclotomic_equal(p, q) for p, q in zip(got, expected))


# --- hand values ----------------------------------------------------------------------------
def test_upsample_hand_values():
    # N = 3: the interpolant of the unit impulse is (1 + 2 cos(2 pi t/3))/3 -> 2/3, -1/3, 2/3 at t = 1/2, 3/2, 5/2
    assert FourierUpsample(2)(Signal([1, 0, 0])) == Signal([1, R(2, 3), 0, R(-1, 3), 0, R(2, 3)])
    # N = 2 (split Nyquist): (1 + cos(pi t))/2 at t = 0, 1/3, ..., 5/3
    assert FourierUpsample(3)(Signal([1, 0])) == Signal([1, R(3, 4), R(1, 4), 0, R(1, 4), R(3, 4)])
    # N = 4: (1 + 2 cos(pi t/2) + cos(pi t))/4 at half-integers: (1 +- sqrt2)/4
    p, m = (1 + SQRT2) / 4, (1 - SQRT2) / 4
    assert all_equal(FourierUpsample(2)(Signal([1, 0, 0, 0])), [1, p, 0, m, 0, m, 0, p])
    # symbolic entries: the interpolant at 1/2 on 3 points is (2a + 2b - c)/3
    out = FourierUpsample(2)(Signal([a, b, c]))
    assert sympy.expand(out[1] - (2 * a + 2 * b - c) / 3) == 0 and out[0] == a
    # cyclotomic entries stay in the field: sqrt2 * the impulse response
    assert all_equal(FourierUpsample(2)(Signal([SQRT2, 0, 0])), [SQRT2, 2 * SQRT2 / 3, 0, -SQRT2 / 3, 0, 2 * SQRT2 / 3])
    assert FourierUpsample(1)(Signal([R(1, 2), 7])) == Signal([R(1, 2), 7])


def test_low_pass_hand_values():
    u = Signal([1, 2, 3, 6])
    assert IdealLowPass(0)(u) == Signal([3, 3, 3, 3])              # the mean
    # the Nyquist coefficient of u is (1 - 2 + 3 - 6)/4 = -1; removing it adds (-1)^j
    assert IdealLowPass(1)(u) == Signal([2, 1, 4, 5])
    # N = 3, cutoff 1 keeps everything
    assert IdealLowPass(1)(Signal([a, b, c])) == Signal([a, b, c])
    assert IdealLowPass(0)(Signal([a, b])) == Signal([(a + b) / 2, (a + b) / 2])
    # N = 5, cutoff 1 on the impulse: (1 + 2 cos(2 pi m/5))/5
    out = IdealLowPass(1)(Signal([1, 0, 0, 0, 0]))
    assert all_equal(out, [(1 + 2 * sympy.cos(2 * sympy.pi * m / 5)) / 5 for m in range(5)])


def test_downsample_hand_values():
    assert Downsample(2)(Signal([1, 2, 3, 4])) == Signal([1, 3])
    assert Downsample(3)(Signal([1, 2, 3, 4, 5, 6])) == Signal([1, 4])
    assert Downsample(1)(Signal([a, b])) == Signal([a, b])
    assert Downsample(2)(Signal([a, SQRT2, c, 1])) == Signal([a, c])


# --- numpy FFT on dyadic data: the upsampling and low-pass conventions --------------------------
def numpy_upsample(u, f):
    """Zero-pad the spectrum; for even N split the Nyquist coefficient between +N/2 and -N/2."""
    n = len(u)
    X = np.fft.fft(np.asarray(u, dtype=float))
    Y = np.zeros(f * n, dtype=complex)
    for k in range(n):
        kk = k if 2 * k < n else k - n
        if 2 * k == n:
            Y[n // 2] += X[k] / 2
            Y[(-(n // 2)) % (f * n)] += X[k] / 2
        else:
            Y[kk % (f * n)] += X[k]
    return np.fft.ifft(Y).real * f


def numpy_low_pass(u, cutoff):
    n = len(u)
    X = np.fft.fft(np.asarray(u, dtype=float))
    for k in range(n):
        kk = k if 2 * k < n else k - n
        if abs(kk) > cutoff or 2 * k == n:
            X[k] = 0
    return np.fft.ifft(X).real


dyadic = st.integers(-64, 64).map(lambda v: Fraction(v, 16))


@settings(max_examples=30, deadline=None)
@given(st.lists(dyadic, min_size=1, max_size=6), st.integers(1, 4))
def test_upsample_matches_numpy_zero_padding(u, f):
    exact = FourierUpsample(f)(Signal(u))
    expected = numpy_upsample([float(v) for v in u], f)          # dyadic data: exact in binary
    got = [complex(sympy.N(e, 30)) for e in exact.flat_exprs()]
    assert np.allclose(got, expected, atol=1e-12)
    assert all(abs(z.imag) < 1e-25 for z in got)                 # real inputs give real outputs


@settings(max_examples=30, deadline=None)
@given(st.lists(dyadic, min_size=1, max_size=7), st.integers(0, 3))
def test_low_pass_matches_numpy(u, cutoff):
    if 2 * cutoff >= len(u):
        with pytest.raises(InvalidArgumentError, match="needs signals of length n > 2\\*cutoff"):
            IdealLowPass(cutoff)(Signal(u))
    else:
        exact = IdealLowPass(cutoff)(Signal(u))
        got = [float(sympy.N(e, 30)) for e in exact.flat_exprs()]
        assert np.allclose(got, numpy_low_pass([float(v) for v in u], cutoff), atol=1e-12)


# --- mpmath, 50 digits: the trigonometric interpolant ----------------------------------------------
def mp_interpolant(u, t):
    """p(t) = sum_k w_k c_k exp(2 pi i k t/N), c_k the DFT coefficients (Nyquist as a cosine)."""
    n = len(u)
    total = mpmath.mpf(0)
    for k in range(-(n // 2), n // 2 + 1):
        if n % 2 == 0 and abs(k) == n // 2:
            weight = mpmath.mpf(1) / 2
        elif 2 * abs(k) >= n:
            continue
        else:
            weight = 1
        ck = sum(mpmath.mpf(u[j]) * mpmath.expj(-2 * mpmath.pi * k * j / n) for j in range(n)) / n
        total += weight * ck * mpmath.expj(2 * mpmath.pi * k * t / n)
    return total


@pytest.mark.parametrize("u, f", [([1, 2, 0, -1, 4], 2), ([3, -1, 2, 5], 3), ([R(1, 3), 2, 7], 4),
                                  ([1, 0, 0, 0, 0, 0], 2)])
def test_upsample_is_the_interpolant_mpmath(u, f):
    out = FourierUpsample(f)(Signal(u))
    with mpmath.workdps(50):
        values = [mpmath.mpf(sympy.Rational(v).p) / sympy.Rational(v).q for v in u]
        for i, e in enumerate(out.flat_exprs()):
            expected = mp_interpolant(values, mpmath.mpf(i) / f)
            assert abs(mpmath.mpf(sympy.N(e, 60)) - expected) < mpmath.mpf(10) ** -45


# --- exact, mode by mode -------------------------------------------------------------------------
def matvec(matrix, vector):
    return [sum((m * v for m, v in zip(row, vector)), CyclotomicElement.rational(0)) for row in matrix]


@pytest.mark.parametrize("n", range(1, 8))
@pytest.mark.parametrize("f", [2, 3])
def test_upsample_maps_modes_to_modes(n, f):
    matrix = FourierUpsample(f).cyclotomic_matrix(n)
    for k in range(-((n - 1) // 2), (n - 1) // 2 + 1):
        mode = [CyclotomicElement.zeta(n, k * j) for j in range(n)]
        assert matvec(matrix, mode) == [CyclotomicElement.zeta(f * n, k * i) for i in range(f * n)]
    if n % 2 == 0:                                               # Nyquist: the cosine (-1)^(i/f) -> cos(pi i/f)
        mode = [CyclotomicElement.rational((-1) ** j) for j in range(n)]
        assert matvec(matrix, mode) == [cos_pi(R(i, f)) for i in range(f * n)]


@pytest.mark.parametrize("n, cutoff", [(3, 0), (4, 1), (5, 2), (8, 3), (12, 5), (7, 1)])
def test_low_pass_keeps_and_kills_modes(n, cutoff):
    matrix = IdealLowPass(cutoff).cyclotomic_matrix(n)
    for k in range(-((n - 1) // 2), n // 2 + 1):
        mode = [CyclotomicElement.zeta(n, k * j) for j in range(n)]
        expected = mode if abs(k) <= cutoff else [CyclotomicElement.rational(0)] * n
        assert matvec(matrix, mode) == expected


@settings(max_examples=30, deadline=None)
@given(st.lists(st.fractions(min_value=-5, max_value=5, max_denominator=7), min_size=1, max_size=6), st.integers(1, 3))
def test_downsample_undoes_upsample(u, f):
    signal = Signal(u)
    assert Downsample(f)(FourierUpsample(f)(signal)) == signal


# --- the Operator protocol and the deciders -----------------------------------------------------------
def test_operator_protocol():
    assert FourierUpsample(3).output_shape((4,)) == (12,)
    assert IdealLowPass(1).output_shape((5,)) == (5,)
    assert Downsample(2).output_shape((6,)) == (3,)
    stack = Sequential(FourierUpsample(2), IdealLowPass(2), Downsample(2))
    assert stack.output_shape((5,)) == (5,) and stack.is_linear
    assert Downsample(2).is_piecewise_linear and not FourierUpsample(2).is_piecewise_linear
    assert Downsample(2).matrix(4).to_Matrix() == sympy.Matrix([[1, 0, 0, 0], [0, 0, 1, 0]])
    assert FourierUpsample(2).matrix(3).to_Matrix()[1, :] == sympy.Matrix([[R(2, 3), R(2, 3), R(-1, 3)]])
    assert repr(FourierUpsample(2)) == "FourierUpsample(2)" and repr(IdealLowPass(1)) == "IdealLowPass(1)"
    assert Downsample(1).describe() == "Downsample(1) (keep every sample)"
    assert Downsample(3).describe() == "Downsample(3) (keep every 3rd sample)"
    assert "Nyquist" in FourierUpsample(2).conventions()[0]
    assert stack.latex() == r"\mathcal{S}_{\downarrow 2} \circ \mathcal{P}_{|k| \le 2} \circ \mathcal{U}_{2}"


def test_linear_decider_on_resampling_squares():
    # keeping every 2nd sample commutes with (shift by 2, then shift by 1), not with (shift by 1, shift by 1)
    assert decide_linear(Square(Downsample(2), IntegerShift(2), g_out=IntegerShift(1), input_shape=6)).is_proved
    v = decide_linear(Square(Downsample(2), IntegerShift(1), g_out=IntegerShift(1), input_shape=6))
    assert v.kind == "counterexample" and v.input == Signal([1, 0, 0, 0, 0, 0])
    # upsampling by 2 turns a shift by 1/3 on 3 points into a shift by 2/3 on 6 points (odd N: no Nyquist mode)
    assert decide_linear(Square(FourierUpsample(2), FourierShift(R(1, 3)), g_out=FourierShift(R(2, 3)),
                                input_shape=3)).is_proved
    # the mean filter commutes with every band-limited shift (both circulant)
    assert decide_linear(Square(IdealLowPass(0), FourierShift(R(1, 2)), input_shape=4)).is_proved


def test_smt_decider_encodes_downsample():
    square = Square(Sequential(Downsample(2), ReLU()), IntegerShift(2), g_out=IntegerShift(1), input_shape=6)
    assert decide_smt(square).is_proved


def test_validation_messages():
    with pytest.raises(InvalidArgumentError, match="factor=0 must be >= 1"):
        FourierUpsample(0)
    with pytest.raises(InvalidArgumentError, match="factor=True must be a positive integer"):
        Downsample(True)
    with pytest.raises(InvalidArgumentError, match="cutoff=-1 must be a non-negative int"):
        IdealLowPass(-1)
    with pytest.raises(InexactInputError, match="cutoff=1.0 is a Python float"):
        IdealLowPass(1.0)
    with pytest.raises(InvalidArgumentError, match=r"needs signals of length n > 2\*cutoff = 4, not n=4"):
        IdealLowPass(2)(Signal([1, 2, 3, 4]))
    with pytest.raises(InvalidArgumentError, match="divisible by factor=2, not n=3"):
        Downsample(2)(Signal([1, 2, 3]))
    with pytest.raises(InvalidArgumentError, match="divisible by factor=2, not n=5"):
        Downsample(2).output_shape((5,))
    with pytest.raises(InvalidArgumentError, match=r"acts on 1-D signals, not shape=\(2, 2\)"):
        FourierUpsample(2)(Signal([[1, 2], [3, 4]]))
    with pytest.raises(InvalidArgumentError, match=r"acts on 1-D signals, not shape=\(2, 2\)"):
        Downsample(2)(Signal([[1, 2], [3, 4]]))
