"""Interpolation shifts (symequi/translations/interpolation.py): out_j = sum_m K(m - s) u_{j-m}.

Expected values come from hand formulas, sympy polynomial evaluation and
mpmath at 50 digits (StyleGAN3's Lanczos formula), never from symequi itself.
"""

from fractions import Fraction

import mpmath
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from symequi.core.errors import InvalidArgumentError
from symequi.core.signal import Signal
from symequi.translations import shift
from symequi.translations.interpolation import InterpolationShift
from symequi.translations.kernels import KeysCubicKernel, LagrangeKernel, LinearKernel

R = sympy.Rational
S = sympy.Symbol("s")

small = st.fractions(min_value=-4, max_value=4, max_denominator=6)
vectors = st.integers(min_value=3, max_value=9).flatmap(lambda n: st.lists(small, min_size=n, max_size=n))


# --- interpolation by hand ------------------------------------------------------------
@settings(max_examples=40, deadline=None)
@given(vectors, st.fractions(min_value=0, max_value=1, max_denominator=9))
def test_linear_shift_is_the_convex_combination(values, s):
    n = len(values)
    out = shift(s, method="linear")(Signal(values))
    expected = [(1 - s) * values[j] + s * values[(j - 1) % n] for j in range(n)]
    assert out == Signal(expected)


def test_keys_half_shift_by_hand():
    out = shift("1/2", method="cubic", boundary="zeros")(Signal([0, 0, 16, 0, 0, 0]))
    # out_j = -1/16 u_{j+1} + 9/16 u_j + 9/16 u_{j-1} - 1/16 u_{j-2}
    assert out == Signal([0, -1, 9, 9, -1, 0])


def test_lagrange_even_order_tie_goes_right():
    # s = 1/2, p = 2: target j - 1/2 uses samples j-1, j, j+1 (centred on j).
    assert shift("1/2", method="lagrange", order=2).taps(8) == {-1: R(-1, 8), 0: R(3, 4), 1: R(3, 8)}


# --- reproduction of polynomials ------------------------------------------------------
REPRODUCING = [("linear", {}, 1), ("cubic", {}, 2), ("lagrange", {"order": 1}, 1),
               ("lagrange", {"order": 2}, 2), ("lagrange", {"order": 3}, 3), ("lagrange", {"order": 5}, 5)]


@pytest.mark.parametrize("method,options,degree", REPRODUCING)
@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_interpolation_reproduces_polynomials(method, options, degree, data):
    coeffs = data.draw(st.lists(small, min_size=degree + 1, max_size=degree + 1))
    s = data.draw(st.fractions(min_value=-3, max_value=3, max_denominator=7))
    boundary = data.draw(st.sampled_from(["periodic", "zeros"]))
    x = sympy.Symbol("x")
    poly = sympy.Poly([R(c.numerator, c.denominator) for c in coeffs], x)
    n = 24
    op = shift(s, method=method, boundary=boundary, **options)
    out = op(Signal([poly.eval(i) for i in range(n)]))
    taps = op.taps(n)
    for j in range(n):
        if all(0 <= j - m < n for m in taps):      # away from the boundary
            assert out[j] == poly.eval(j - R(s.numerator, s.denominator))


@pytest.mark.parametrize("method,options,degree", REPRODUCING)
def test_reproduction_degree_is_sharp(method, options, degree):
    n = 16
    op = shift("1/3", method=method, **options)   # not 1/2: symmetric stencils gain a degree there
    out = op(Signal([i ** (degree + 1) for i in range(n)]))
    assert out[n // 2] != (n // 2 - R(1, 3)) ** (degree + 1)


# --- Lanczos against StyleGAN3's formula (mpmath, 50 digits) ---------------------------
@pytest.mark.parametrize("s", [R(1, 2), R(1, 3), R(2, 5), R(-1, 4)])
@pytest.mark.parametrize("normalize", [True, False])
def test_lanczos_taps_match_stylegan3_formula(s, normalize):
    taps = shift(s, method="lanczos", normalize=normalize).taps(16)
    with mpmath.workdps(50):
        sm = mpmath.mpf(s.p) / s.q

        def lanczos(x):
            return mpmath.sincpi(x) * mpmath.sincpi(x / 3) if abs(x) < 3 else mpmath.mpf(0)

        ms = range(int(sympy.floor(s)) - 2, int(sympy.floor(s)) + 4)   # StyleGAN3: arange(6) - 2 + floor
        raw = {m: lanczos(m - sm) for m in ms}
        total = sum(raw.values())
        for m in ms:
            expected = raw[m] / total if normalize else raw[m]
            assert abs(mpmath.mpf(sympy.N(taps[m], 60)) - expected) < mpmath.mpf(10) ** -45


def test_lanczos_normalised_half_shift_is_rational():
    taps = shift("1/2", method="lanczos").taps(8)
    assert all(v.is_Rational for v in taps.values()) and sum(taps.values()) == 1


# --- symbolic s -----------------------------------------------------------------------
def test_symbolic_linear_taps_and_matrix():
    assert shift(S, method="linear").taps(5) == {0: 1 - S, 1: S}
    m = shift(S, method="linear", boundary="zeros").matrix(3).to_Matrix()
    assert m == sympy.Matrix([[1 - S, 0, 0], [S, 1 - S, 0], [0, S, 1 - S]])


@pytest.mark.parametrize("method,options", [("cubic", {}), ("lagrange", {"order": 2}), ("lagrange", {"order": 4}),
                                            ("finite_volume", {"degree": 2})])
@pytest.mark.parametrize("r", [R(1, 5), R(1, 2), R(3, 4)])
def test_symbolic_taps_specialise_to_rational_taps(method, options, r):
    symbolic = shift(S, method=method, **options)
    rational = shift(r, method=method, **options)
    sym = {m: sympy.piecewise_fold(v.subs(S, r)) for m, v in symbolic.taps(10).items()}
    sym = {m: v for m, v in sym.items() if v != 0}
    assert sym == rational.taps(10)


def test_symbolic_interval_changes_the_stencil():
    taps = shift(S, method="linear", interval=(1, 2)).taps(6)
    assert taps == {1: 2 - S, 2: S - 1}
    wide = shift(S, method="linear", interval=(0, 2)).taps(6)
    assert wide[1] == sympy.Piecewise((S, S <= 1), (2 - S, True))
    assert any("0 < s < 1" in c or "(0, 1)" in c for c in shift(S, method="cubic").conventions())


# --- the class used directly, with a kernel object --------------------------------------
def test_direct_construction_with_kernels_by_hand():
    # linear kernel, s = 1/4: out_j = 3/4 u_j + 1/4 u_{j-1} (periodic)
    out = InterpolationShift(R(1, 4), kernel=LinearKernel())(Signal([4, 0, 0, 8]))
    assert out == Signal([5, 1, 0, 6])
    # Keys cubic (a = -1/2) at t = m - 1/2: K(1/2) = 9/16, K(3/2) = -1/16 (hand evaluation of
    # (a+2)|t|^3 - (a+3)|t|^2 + 1 and a|t|^3 - 5a|t|^2 + 8a|t| - 4a)
    assert InterpolationShift(R(1, 2), kernel=KeysCubicKernel()).taps(8) == {
        -1: R(-1, 16), 0: R(9, 16), 1: R(9, 16), 2: R(-1, 16)}
    # Lagrange order 1 is the linear interpolant
    assert (InterpolationShift(R(2, 7), kernel=LagrangeKernel(order=1)).taps(5)
            == {0: R(5, 7), 1: R(2, 7)})


@settings(max_examples=30, deadline=None)
@given(vectors, st.fractions(min_value=-3, max_value=3, max_denominator=8))
def test_lagrange_order_one_matches_the_two_point_formula(values, s):
    # order 1 uses the two samples around j - s: floor(j - s) and floor(j - s) + 1
    n = len(values)
    out = InterpolationShift(R(s.numerator, s.denominator), kernel=LagrangeKernel(order=1))(Signal(values))
    expected = []
    for j in range(n):
        t = j - s
        k = t.numerator // t.denominator
        w = t - k
        expected.append((1 - w) * values[k % n] + w * values[(k + 1) % n])
    assert out.to_fractions() == expected


def test_interval_and_kernel_arguments_are_checked():
    with pytest.raises(InvalidArgumentError, match="interval"):
        shift(R(1, 2), method="linear", interval=(0, 1))
    with pytest.raises(InvalidArgumentError, match="empty"):
        shift(S, method="linear", interval=(1, 0))
    with pytest.raises(InvalidArgumentError, match="Kernel"):
        InterpolationShift(R(1, 2), kernel="linear")
    with pytest.raises(InvalidArgumentError, match="pair"):
        InterpolationShift(S, kernel=LinearKernel(), interval=(0, 1, 2))
    with pytest.raises(InvalidArgumentError, match="rational ends"):
        InterpolationShift(S, kernel=LinearKernel(), interval=(0, sympy.sqrt(2)))
