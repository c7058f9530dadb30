"""Discrete translations (symequi/translations/base.py): integer shifts, the
conventions every method shares, and the structure of the operators.

Interpolation-specific values are in test_interpolation.py, the factory's
argument checks in test_factory.py.  Expected values come from hand formulas
and numpy on integer data, never from symequi itself.
"""

from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import symequi.translations as tr
from symequi.core.errors import InexactInputError, InvalidArgumentError
from symequi.translations.interpolation import InterpolationShift
from symequi.translations.kernels import LinearKernel
from symequi.core.signal import Signal
from symequi.translations import DiscreteTranslation, IntegerShift, shift

R = sympy.Rational
S = sympy.Symbol("s")


# (method, options) for every method; "boundaries" says where the method is meaningful.
METHODS = [
    ("linear", {}), ("cubic", {}), ("lagrange", {"order": 1}), ("lagrange", {"order": 2}),
    ("lagrange", {"order": 3}), ("lanczos", {}), ("lanczos", {"normalize": False}),
    ("finite_volume", {"degree": 0}), ("finite_volume", {"degree": 1}),
    ("finite_volume", {"degree": 2}), ("finite_volume", {"degree": 3, "bias": "right"}),
    ("fourier", {}),
]


def roll_by_hand(values, s, boundary):
    n = len(values)
    if boundary == "periodic":
        return list(np.roll(np.array(values, dtype=object), s))
    return [values[j - s] if 0 <= j - s < n else 0 for j in range(n)]


# --- integer shifts -------------------------------------------------------------------
@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(-9, 9), min_size=1, max_size=10), st.integers(-12, 12))
def test_integer_shift_matches_numpy_roll(values, s):
    assert shift(s)(Signal(values)) == Signal(list(np.roll(np.array(values), s)))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(-9, 9), min_size=1, max_size=10), st.integers(-12, 12))
def test_integer_shift_zero_fill_by_hand(values, s):
    expected = [values[j - s] if 0 <= j - s < len(values) else 0 for j in range(len(values))]
    assert shift(s, boundary="zeros")(Signal(values)) == Signal(expected)


def test_integer_shift_2d_matches_numpy():
    data = np.arange(12).reshape(3, 4)
    out = IntegerShift((1, -1))(Signal(data.tolist()))
    assert out == Signal(np.roll(np.roll(data, 1, axis=0), -1, axis=1).tolist())


# The band-limited (Fourier) shift is periodic by construction: it has no zero boundary
# (refusing boundary="zeros" is checked with the other argument errors below).
METHOD_BOUNDARIES = [(method, options, boundary) for method, options in METHODS
                     for boundary in ("periodic", "zeros") if (method, boundary) != ("fourier", "zeros")]


@pytest.mark.parametrize("method,options,boundary", METHOD_BOUNDARIES)
@pytest.mark.parametrize("n", [3, 4, 7, 8])
@pytest.mark.parametrize("s", [-2, 0, 1, 3])
def test_every_method_at_an_integer_is_the_integer_shift(method, options, n, s, boundary):
    values = [Fraction(k * k - 3, k + 2) for k in range(n)]
    op = shift(s, method=method, boundary=boundary, **options)
    assert op(Signal(values)) == Signal(roll_by_hand(values, s, boundary))
    assert op.matrix(n) == IntegerShift(s, boundary=boundary).matrix(n)


# --- structure ------------------------------------------------------------------------
def test_periodic_shift_commutes_with_rolls():
    n = 7
    roll = IntegerShift(1).matrix(n).to_Matrix()
    for method, options in METHODS:
        op = shift(R(2, 5), method=method, **options)
        m = op.matrix(n).to_Matrix()
        assert sympy.simplify(m * roll - roll * m) == sympy.zeros(n, n) or (m * roll - roll * m).is_zero_matrix


def test_two_d_shift_is_separable():
    data = [[Fraction(i * 3 + j, 1 + i) for j in range(5)] for i in range(4)]
    out = shift((R(1, 3), R(-1, 2)), method="cubic", boundary="zeros")(Signal(data))
    rows = [shift(R(-1, 2), method="cubic", boundary="zeros")(Signal(r)).to_list() for r in data]
    cols = [[rows[i][j] for i in range(4)] for j in range(5)]
    shifted = [shift(R(1, 3), method="cubic", boundary="zeros")(Signal(c)).to_list() for c in cols]
    assert out == Signal([[shifted[j][i] for j in range(5)] for i in range(4)])


def test_fast_path_agrees_with_expression_path():
    values = [1, R(-2, 3), 5, 0, R(7, 2), 2]
    for boundary in ("periodic", "zeros"):
        op = shift(R(4, 3), method="lagrange", order=3, boundary=boundary)
        fast = op(Signal(values))
        slow = op(Signal(values, domain="EX"))
        assert fast == slow and fast.domain == "QQ"


def test_metadata():
    op = shift(R(1, 2), method="cubic", boundary="zeros")
    assert isinstance(op, DiscreteTranslation) and isinstance(op, InterpolationShift)
    assert op.is_linear and op.is_piecewise_linear
    assert not shift(S, method="linear").is_piecewise_linear
    assert not shift(R(1, 3), method="lanczos").is_piecewise_linear
    assert shift(R(1, 2), method="lanczos").is_piecewise_linear          # normalised taps are rational there
    assert not shift(R(1, 2), method="lanczos", normalize=False).is_piecewise_linear
    assert shift(2, method="lanczos", normalize=False).is_piecewise_linear
    assert shift(R(1, 2), method="finite_volume", degree=1) == shift(R(1, 2), method="finite_volume", degree=1)
    assert len({shift(R(1, 2), method="finite_volume", degree=1), shift(R(1, 2), method="finite_volume", degree=1)}) == 1
    assert op.output_shape((5,)) == (5,)
    text = " ".join(op.conventions())
    assert "right" in text and "zero boundary" in text and "Keys" in text
    assert "InterpolationShift" in op.describe() and "T^{" in op.latex()
    assert op.matrix(4).domain == sympy.QQ
    assert shift(R(1, 3), method="lanczos").matrix(4).domain == sympy.EX
    assert "Nyquist" in " ".join(shift(R(1, 3), method="fourier").conventions())


# --- bad input ------------------------------------------------------------------------
def test_bad_input():
    with pytest.raises(InexactInputError, match="s=0.5"):
        shift(0.5, method="linear")
    with pytest.raises(InexactInputError, match=r"s\[1\]"):
        shift((0, 0.5), method="linear")
    for bad in (sympy.oo, -sympy.oo, sympy.nan, sympy.zoo):
        with pytest.raises(InvalidArgumentError, match="finite|real"):
            shift(bad, method="linear")
    with pytest.raises(InvalidArgumentError, match="not real"):
        shift(sympy.I, method="linear")
    with pytest.raises(InvalidArgumentError, match="boundary='reflect'"):
        shift(1, boundary="reflect")
    with pytest.raises(InvalidArgumentError, match="order"):
        shift(R(1, 2), method="lagrange", order=0)
    with pytest.raises(InvalidArgumentError, match="not an integer"):
        shift(R(1, 2))
    for s in (R(1, 2), 1):  # integer steps too: no zero boundary for the Fourier shift
        with pytest.raises(InvalidArgumentError, match="periodic by construction"):
            shift(s, method="fourier", boundary="zeros")
    with pytest.raises(InvalidArgumentError, match="2-D"):
        shift(R(1, 2), method="linear")(Signal([[1, 2], [3, 4]]))
    with pytest.raises(InvalidArgumentError, match="3 entries"):
        shift((0, 1, 1))(Signal([[1, 2], [3, 4]]))
    with pytest.raises(InvalidArgumentError, match="s=s is not an integer"):
        tr.IntegerShift(S)
    assert isinstance(InterpolationShift(R(1, 2), kernel=LinearKernel()), DiscreteTranslation)


@pytest.mark.parametrize("call, words", [
    (lambda: shift(1).taps(4.0), "n=4.0 must be a positive integer"),
    (lambda: shift(1).taps(0), "n=0 must be >= 1"),
    (lambda: shift(1).matrix(3.0), "shape=3.0 must be a positive int"),
    (lambda: shift(1).matrix(True), "shape=True must be a positive int"),
])
def test_sizes_are_validated_at_the_door(call, words):
    with pytest.raises(InvalidArgumentError, match=words):
        call()


@pytest.mark.parametrize("n", [1, 2, 5, 8])
def test_sparse_rows_from_taps_equal_the_operator_on_unit_signals(n):
    """The O(N K) rows read from the taps agree with the generic route (apply to each e_j)."""
    from symequi.core.operator import Operator

    for g in (tr.shift(1), tr.shift(-3), tr.shift("1/3", method="linear"),
              tr.shift("1/2", method="cubic", boundary="zeros"), tr.shift("2/3", method="lagrange", order=3),
              tr.shift("1/2", method="finite_volume", degree=2), tr.shift(0)):
        assert g.sparse_rows((n,)) == Operator._sparse_rows_from_columns(g, (n,)), (g, n)


def test_circulant_taps_of_periodic_1d_translations_only():
    assert IntegerShift(-1).circulant_taps(4) == {-1: 1}                       # out_j = u_(j+1)
    assert shift(sympy.Rational(1, 4), method="linear").circulant_taps(8) == {0: sympy.Rational(3, 4),
                                                                              1: sympy.Rational(1, 4)}
    assert IntegerShift(1, boundary="zeros").circulant_taps(4) is None          # not a circulant
    assert IntegerShift((1, 0)).circulant_taps(4) is None                       # n-D


def test_equality_ignores_the_matrices_cached_on_a_translation():
    built, fresh = shift(1), shift(1)
    built.sparse_rows(4)
    built.columns(4)
    assert built == fresh and hash(built) == hash(fresh)
    assert built != shift(2) and built != shift(1, boundary="zeros")
