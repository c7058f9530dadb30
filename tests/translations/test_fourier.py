"""The band-limited shift: exact taps in cyclotomic fields, checked against an
mpmath DFT at 50 digits, the Dirichlet closed form, and exact trig-polynomial samples."""

import mpmath
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from symequi.arith.cyclotomic import cyclotomic_is_zero, to_cyclotomic
from symequi.core.errors import InexactInputError, InvalidArgumentError
from symequi.translations.fourier import FourierShift, fourier_taps_cyclotomic
from symequi.core.signal import Signal, is_zero_signal
from symequi.translations import shift

R = sympy.Rational
S = sympy.Symbol("s")
x = sympy.Symbol("x", real=True)
pi = sympy.pi


def dft_taps(s, n, dps=50):
    """h_m = (1/N) sum_k w_k exp(2 pi i k (m - s)/N), Nyquist split, by direct mpmath summation."""
    with mpmath.workdps(dps):
        sm = mpmath.mpf(s.p) / s.q
        taps = []
        for m in range(n):
            total = mpmath.mpc(0)
            for k in range(-(n // 2), n // 2 + 1):
                weight = mpmath.mpf(1) / 2 if n % 2 == 0 and abs(k) == n // 2 else 1
                total += weight * mpmath.expjpi(2 * k * (m - sm) / n)
            taps.append(total / n)
        return taps


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6, 8, 9])
@pytest.mark.parametrize("s", [R(1, 2), R(1, 3), R(-2, 5), R(7, 4)])
def test_taps_match_mpmath_dft(n, s):
    taps = FourierShift(s).taps(n)
    expected = dft_taps(s, n)
    with mpmath.workdps(50):
        for m in range(n):
            value = mpmath.mpf(sympy.N(taps.get(m, 0), 60))
            assert abs(value - expected[m]) < mpmath.mpf(10) ** -45
            assert abs(expected[m].imag) < mpmath.mpf(10) ** -45     # real taps


def test_hand_values():
    # N = 2, s = 1/2: h_m = (1 + cos(pi (m - 1/2)))/2 = 1/2.
    assert FourierShift(R(1, 2)).taps(2) == {0: R(1, 2), 1: R(1, 2)}
    # N = 3, s = 1/2: h_m = (1 + 2 cos(2 pi (m - 1/2)/3))/3 -> 2/3, 2/3, -1/3.
    assert FourierShift(R(1, 2)).taps(3) == {0: R(2, 3), 1: R(2, 3), 2: R(-1, 3)}
    # N = 4, s = 1/2: h_0 = (1 + 2 cos(pi/4) + cos(pi/2))/4.
    assert cyclotomic_is_zero(FourierShift(R(1, 2)).taps(4)[0] - (1 + sympy.sqrt(2)) / 4)


@pytest.mark.parametrize("n", [2, 3, 4, 5, 6, 7, 8])
@pytest.mark.parametrize("s", [R(1, 3), R(3, 4), R(-5, 2)])
def test_closed_form_agrees_with_cyclotomic_taps(n, s):
    closed = FourierShift(S).taps(n)
    exact = fourier_taps_cyclotomic(s, n)
    for m in range(n):
        assert to_cyclotomic(closed.get(m, 0).subs(S, s)) == exact[m]


def trig_polynomial(n, coeffs):
    """a_0 + sum_{k < n/2} (a_k cos + b_k sin)(2 pi k x/n) [+ c cos(pi x) for even n]."""
    f = coeffs[0]
    idx = 1
    for k in range(1, (n - 1) // 2 + 1):
        f += coeffs[idx] * sympy.cos(2 * pi * k * x / n) + coeffs[idx + 1] * sympy.sin(2 * pi * k * x / n)
        idx += 2
    if n % 2 == 0:
        f += coeffs[idx] * sympy.cos(pi * x)
    return f


coeff = st.fractions(min_value=-3, max_value=3, max_denominator=4).map(lambda f: R(f.numerator, f.denominator))


@settings(max_examples=12, deadline=None)
@given(st.sampled_from([3, 4, 5, 6]), st.sampled_from([R(1, 2), R(1, 3), R(-3, 4), R(5, 3)]), st.data())
def test_trig_polynomials_are_translated_exactly(n, s, data):
    coeffs = data.draw(st.lists(coeff, min_size=n, max_size=n))
    f = trig_polynomial(n, coeffs)
    samples = Signal([f.subs(x, j) for j in range(n)], domain="EX")
    out = FourierShift(s)(samples)
    for j in range(n):
        assert cyclotomic_is_zero(out[j] - f.subs(x, j - s))


def test_nyquist_sine_is_lost_and_outputs_are_real():
    # sin(pi x) vanishes on the grid: no shift can recover it (documented consequence of sampling).
    out = FourierShift(R(1, 2))(Signal([1, -1, 1, -1]))
    for j in range(4):
        assert cyclotomic_is_zero(out[j] - sympy.cos(pi * (j - R(1, 2))))   # = 0 here
        assert to_cyclotomic(out[j]).is_real
    out = FourierShift(R(1, 3))(Signal([3, 1, 4, 1, 5, 9]))
    assert all(to_cyclotomic(v).is_real for v in out.to_list())


def test_composition_odd_versus_even_length():
    half = FourierShift(R(1, 2))
    # Odd N: the shifts form a group.
    u = Signal([1, 0, 2, R(1, 2), 0])
    assert all(cyclotomic_is_zero(a - b) for a, b in zip(half(half(u)).to_list(), FourierShift(1)(u).to_list()))
    # Even N: the split Nyquist bin is multiplied by cos(pi s), so T_1/2 T_1/2 != T_1.
    v = Signal([1, -1, 1, -1])
    assert half(half(v)) == Signal([0, 0, 0, 0]) != FourierShift(1)(v)


def test_field_path_matches_expression_path():
    data = [[1, R(1, 2), 0], [0, 2, R(-1, 3)]]
    op = FourierShift((R(1, 2), R(1, 3)))
    fast = op(Signal(data))
    slow = op(Signal(data, domain="EX"))
    assert all(cyclotomic_is_zero(a - b) for a, b in zip(sum(fast.to_list(), []), sum(slow.to_list(), [])))


def test_integer_shift_and_matrix():
    assert FourierShift(-1)(Signal([1, 2, 3, 4])) == Signal([2, 3, 4, 1])
    assert FourierShift(1).is_piecewise_linear and not FourierShift(R(1, 3)).is_piecewise_linear
    m = FourierShift(R(1, 2)).matrix(3).to_Matrix()
    assert m == sympy.Matrix([[R(2, 3), R(-1, 3), R(2, 3)], [R(2, 3), R(2, 3), R(-1, 3)], [R(-1, 3), R(2, 3), R(2, 3)]])
    assert shift(R(1, 2), method="fourier") == FourierShift(R(1, 2))


def test_bad_arguments():
    with pytest.raises(InvalidArgumentError, match="periodic by construction"):
        FourierShift(R(1, 2), boundary="zeros")
    with pytest.raises(InvalidArgumentError, match="n=0"):
        fourier_taps_cyclotomic(R(1, 2), 0)
    with pytest.raises(InexactInputError, match="s=0.5 is a Python float"):
        fourier_taps_cyclotomic(0.5, 4)
    with pytest.raises(InvalidArgumentError, match="n=4.0"):
        fourier_taps_cyclotomic(R(1, 2), 4.0)


def test_circulant_taps_declare_the_hand_computed_taps():
    # n = 4, s = 1/2: h_m = (1 + 2 cos(pi (m - 1/2)/2) + cos(pi (m - 1/2)))/4 = [p, p, q, q],
    # p = (1 + sqrt 2)/4, q = (1 - sqrt 2)/4.
    root = sympy.sqrt(2)
    taps = FourierShift(sympy.Rational(1, 2)).circulant_taps(4)
    assert sorted(taps) == [0, 1, 2, 3]
    expected = [(1 + root) / 4, (1 + root) / 4, (1 - root) / 4, (1 - root) / 4]
    assert all(taps[m] == to_cyclotomic(expected[m]) for m in range(4))
    assert FourierShift(2).circulant_taps(5) == {2: 1}                 # the roll by 2
    assert FourierShift((sympy.Rational(1, 2), 0)).circulant_taps(4) is None   # n-D: not one circulant


def dft_shift_sympy(values, s):
    """The band-limited shift of ``values`` straight from the DFT definition, as sympy
    expressions: out_j = (1/N) sum_k w_k exp(2 pi i k (j - s)/N) sum_n u_n exp(-2 pi i k n/N)."""
    n = len(values)
    out = []
    for j in range(n):
        total = 0
        for k in range(-(n // 2), n // 2 + 1):
            weight = R(1, 2) if n % 2 == 0 and abs(k) == n // 2 else 1
            spectrum = sum(v * sympy.exp(-2 * pi * sympy.I * k * m / n) for m, v in enumerate(values))
            total += weight * sympy.exp(2 * pi * sympy.I * k * (j - s) / n) * spectrum
        out.append(total / n)
    return out


@pytest.mark.parametrize("n", [2, 3, 4, 5, 6])
@pytest.mark.parametrize("s", [R(1, 2), R(1, 3), R(-2, 5), R(7, 4)])
def test_signal_shift_matches_sympy_dft(n, s):
    values = [R((3 * j * j + 1) % 7 - 3, 1 + j % 3) for j in range(n)]
    out = FourierShift(s)(Signal(values))
    for j, expected in enumerate(dft_shift_sympy(values, s)):
        assert cyclotomic_is_zero(out.flat_entry(j) - expected)


@pytest.mark.parametrize("n", [16, 17, 32])
def test_signal_shift_matches_mpmath_dft(n):
    s = R(3, 8)
    values = [R((5 * j) % 11 - 5, 1 + j % 4) for j in range(n)]
    out = FourierShift(s)(Signal(values))
    taps = dft_taps(s, n)
    with mpmath.workdps(50):
        for j in range(n):
            expected = sum(taps[m] * (mpmath.mpf(values[(j - m) % n].p) / values[(j - m) % n].q) for m in range(n))
            assert abs(out.field_vector.element(j).evalf(50) - expected) < mpmath.mpf(10) ** -40


def test_shifted_signals_stay_in_the_field_and_compare_exactly():
    u = Signal([1, 0, R(1, 2), 3, 0, -2, 0, 1])
    half = FourierShift(R(1, 2))
    v = half(u)
    assert v.domain == "EX" and v.field_vector is not None
    # == against the same values as sympy expressions (the zero-test path), both ways
    assert v == Signal(v.flat_exprs()) and Signal(v.flat_exprs()) == v
    assert v != half(u + Signal.unit(8, 3)) and v != u
    # linearity, in the field: T(a u + w) - a T(u) - T(w) is exactly zero
    w = Signal([0, 2, 0, R(-1, 3), 1, 1, 0, 5])
    difference = half(u * 3 + w) - v * 3 - half(w)
    assert difference.domain == "QQ" and difference == Signal.zeros(8)
    assert is_zero_signal(v - v) is True and is_zero_signal(v) is False
    # the field sum agrees with the sympy sum
    assert (v + u) == Signal([a + b for a, b in zip(v.flat_exprs(), u.flat_exprs())])
    assert (u - v) == Signal([b - a for a, b in zip(v.flat_exprs(), u.flat_exprs())])


def test_rational_outputs_are_rational_signals():
    # a constant is fixed by every band-limited shift; N = 2, s = 1/2 has rational taps
    assert FourierShift(R(1, 3))(Signal([2, 2, 2, 2, 2])) == Signal([2] * 5)
    assert FourierShift(R(1, 3))(Signal([2, 2, 2, 2, 2])).domain == "QQ"
    assert FourierShift(R(1, 2))(Signal([1, 3])) == Signal([2, 2])


def test_shift_back_loses_only_the_nyquist_mode():
    # T_{-1/2} T_{1/2} on N = 8 points is the identity except on the Nyquist mode (-1)^j,
    # which each half-cell shift scales by cos(pi/2) = 0.
    n = 8
    u = Signal([1] + [0] * (n - 1))
    v = FourierShift(R(1, 2))(u)
    w = FourierShift(R(-1, 2))(v)
    assert w != u                                                # even N: the Nyquist mode is scaled by cos(pi/2)
    nyquist = Signal([R((-1) ** j, n) for j in range(n)])
    assert w + nyquist == u                                      # ... and only that mode: exact
