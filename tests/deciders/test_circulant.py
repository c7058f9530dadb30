"""The circulant fast path of the linear decider (symequi/deciders/circulant.py, directly and via decide_linear).

Independent expectations: the generic column-by-column decider with the fast
path disabled (a different algorithm: sympy arithmetic and exact zero tests),
hand computations of the band-limited shift's taps, the theorem that
circulants commute, and the commutator recomputed with mpmath at 50 digits
from the DFT definition of the band-limited shift.
"""

from fractions import Fraction

import mpmath
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from symequi.deciders.circulant import decide_circulant
from symequi.layers.convolution import Convolution, Correlation
from symequi.arith.cyclotomic import to_cyclotomic
from symequi.deciders.dispatch import decide
from symequi.core.errors import InvalidArgumentError
from symequi.translations.fourier import FourierShift
from symequi.deciders.linear import MatrixOperator, decide_linear
from symequi.core.signal import Signal
from symequi.core.square import Square
from symequi.translations import shift

R = sympy.Rational
SQ2 = sympy.sqrt(2)


def same_values(left: Signal, right: Signal) -> bool:
    """Entrywise exact equality of two signals with cyclotomic entries."""
    return left.shape == right.shape and all(
        to_cyclotomic(a) == to_cyclotomic(b) for a, b in zip(left.flat_exprs(), right.flat_exprs())
    )


def assert_agrees_with_generic(square: Square, *, fast_path: bool = True) -> None:
    fast = decide_linear(square)
    slow = decide_linear(square, circulant=False)
    assert ("field" in fast.details) == fast_path      # the fast path answered (or, if not, the generic one)
    assert "field" not in slow.details
    assert fast.kind == slow.kind
    if fast.kind == "counterexample":
        assert fast.input == slow.input
        assert same_values(fast.lhs, slow.lhs)
        assert same_values(fast.rhs, slow.rhs)
        assert same_values(fast.difference, slow.difference)


# --- hand computations --------------------------------------------------------------------
def test_hand_computed_witness_for_zero_padding_and_half_cell_fourier_shift():
    # N = 4, s = 1/2: h_m = (1 + 2 cos(pi (m - 1/2)/2) + cos(pi (m - 1/2))) / 4
    # = [p, p, q, q] with p = (1 + sqrt 2)/4, q = (1 - sqrt 2)/4 (p + q = 1/2).
    # A: C_j = b_j + b_{j-1} with zero padding.  e0 -> g: h -> A: [p, 2p, p + q, 2q];
    # A e0 = [1, 1, 0, 0] -> g: h + roll(h, 1) = [p + q, 2p, p + q, 2q].
    p, q = (1 + SQ2) / 4, (1 - SQ2) / 4
    v = decide_linear(Square(Convolution([1, 1], padding="zeros"), FourierShift(R(1, 2)), input_shape=4))
    assert v.kind == "counterexample" and v.decider == "linear"
    assert v.input == Signal([1, 0, 0, 0])
    assert same_values(v.lhs, Signal([p, 2 * p, R(1, 2), 2 * q]))
    assert same_values(v.rhs, Signal([R(1, 2), 2 * p, R(1, 2), 2 * q]))
    assert same_values(v.difference, Signal([(SQ2 - 1) / 4, 0, 0, 0]))
    assert "column 0" in v.details["note"]


def test_periodic_convolution_and_fourier_shift_is_proved_by_the_circulant_theorem():
    # Circulant matrices are polynomials in the cyclic shift, hence commute.
    for n in (4, 5, 16, 256):       # (n = 1, 2, 3 with s = 1/2 have rational taps: generic path)
        v = decide_linear(Square(Convolution([1, R(1, 2), -2], padding="periodic"), FourierShift(R(1, 2)),
                                 input_shape=n))
        assert v.kind == "proved", n
        assert "circulant" in v.holds_for and "basis suffices" in v.holds_for
        assert "commutative algebra" in v.details["theorem"]
        assert "A(e_i) is the cyclic roll" in v.details["operator"]
    v = decide_linear(Square(Correlation([R(-1, 3), 2, 5], origin=-1, padding="periodic"),
                             shift(R(1, 3), method="fourier"), input_shape=128))
    assert v.kind == "proved" and v.details["field"].startswith("Q(zeta_384)")


def test_non_circulant_operator_that_commutes_is_proved_column_by_column():
    # A = u 1^T with u = [1, 2, 3, ...] is not circulant.  g = band-limited shift by 1/2,
    # g_out = identity: A g - A = u (1^T G - 1^T) = 0 because every column of the
    # circulant G sums to sum_m h_m = 1 (the k = 0 Fourier weight).
    for n in (4, 5, 7):
        u = list(range(1, n + 1))
        A = MatrixOperator([[ui] * n for ui in u])
        square = Square(A, FourierShift(R(1, 2)), shift(0), input_shape=n)
        v = decide_linear(square)
        assert v.kind == "proved"
        assert "all" in v.holds_for and "not circulant" in v.details["operator"]
        assert_agrees_with_generic(square)


def test_non_circulant_operator_with_a_fourier_shift_matches_an_mpmath_commutator():
    # Independent: the band-limited shift from its DFT definition at 50 digits, the
    # zero-padded convolution C_j = 2 b_j - b_{j-1} + (1/2) b_{j-2} by hand, and the
    # commutator's column 0 (A G e0 - G A e0) in floating point with 50 digits.
    n = 32
    kernel = [Fraction(2), Fraction(-1), Fraction(1, 2)]
    v = decide_linear(Square(Convolution(kernel, padding="zeros"), FourierShift(R(1, 3)), input_shape=n))
    assert v.kind == "counterexample" and v.input == Signal.unit(n, 0)
    with mpmath.workdps(60):
        s = mpmath.mpf(1) / 3
        def h(m):
            total = mpmath.mpf(0)
            for k in range(-(n // 2 - 1), n // 2):
                total += mpmath.cos(2 * mpmath.pi * k * (m - s) / n)
            return (total + mpmath.cos(mpmath.pi * (m - s))) / n

        taps = [h(m) for m in range(n)]
        a = [mpmath.mpf(x.numerator) / x.denominator for x in kernel]
        conv = lambda b: [sum(a[k] * b[j - k] for k in range(3) if j - k >= 0) for j in range(n)]  # noqa: E731
        shift_g = lambda b: [sum(taps[m] * b[(j - m) % n] for m in range(n)) for j in range(n)]  # noqa: E731
        lhs = conv(taps)
        rhs = shift_g(conv([1] + [0] * (n - 1)))
        for got, want in ((v.lhs, lhs), (v.rhs, rhs), (v.difference, [x - y for x, y in zip(lhs, rhs)])):
            for expr, value in zip(got.flat_exprs(), want):
                assert abs(sympy.N(expr, 50) - sympy.Float(mpmath.nstr(value, 50), 50)) < 1e-40


# --- agreement with the generic path --------------------------------------------------------
@pytest.mark.parametrize("n", [4, 5, 6, 7, 8])
def test_agrees_with_generic_path_on_small_sizes(n):
    half = FourierShift(R(1, 2))
    for padding in ("periodic", "zeros"):
        assert_agrees_with_generic(Square(Convolution([1, R(1, 2), -2], padding=padding), half, input_shape=n))
    # a non-circulant matrix whose first commutator column may vanish: rows differ only at the end
    rows = [[int(i == j) + int(i == n - 1 and j == n - 2) for j in range(n)] for i in range(n)]
    assert_agrees_with_generic(Square(MatrixOperator(rows), half, input_shape=n))


@settings(max_examples=15, deadline=None)
@given(st.lists(st.fractions(-3, 3, max_denominator=4), min_size=1, max_size=3),
       st.sampled_from(["periodic", "zeros", "reflect"]),
       st.integers(3, 5),
       st.sampled_from([R(1, 2), R(1, 3), R(-2, 3)]))
def test_property_same_verdict_as_generic(kernel, padding, n, s):
    square = Square(Convolution(kernel, padding=padding), FourierShift(s), input_shape=n)
    rational_taps = n == 3 and s == R(1, 2)        # h = [2/3, 2/3, -1/3]: the generic path answers
    assert_agrees_with_generic(square, fast_path=not rational_taps)


def test_different_input_and_output_translations():
    conv = Convolution([1, -1], padding="periodic")
    # g and g_out circulant but different: the commutator (G - G') A is circulant, nonzero
    for n in (4, 5):
        assert_agrees_with_generic(Square(conv, FourierShift(R(1, 2)), FourierShift(R(1, 3)), input_shape=n))
        assert_agrees_with_generic(Square(conv, FourierShift(R(1, 2)), shift(R(1, 2), method="linear"),
                                          input_shape=n))
    # the constant kernel kills every mode but k = 0, where all shifts act as 1: commutes
    ones = Convolution([1, 1, 1, 1], padding="periodic")
    v = decide_linear(Square(ones, FourierShift(R(1, 2)), FourierShift(R(1, 3)), input_shape=4))
    assert v.kind == "proved" and "column 0 is exactly zero" in v.holds_for


def test_lanczos_taps_read_into_the_field():
    lanczos = shift(R(1, 3), method="lanczos")       # normalised taps in Q(zeta_9)
    for padding in ("periodic", "zeros"):
        assert_agrees_with_generic(Square(Convolution([1, 2], padding=padding), lanczos, input_shape=6))
    assert "its taps" in decide_linear(
        Square(Convolution([1, 2], padding="periodic"), lanczos, input_shape=6)).details["g"]


# --- fallbacks, budget, API -------------------------------------------------------------------
def test_not_applicable_squares_return_none_and_decide_linear_falls_back():
    a = sympy.Symbol("a")
    symbolic = Square(Convolution([a, 1], padding="periodic"), FourierShift(R(1, 2)), input_shape=3)
    assert decide_circulant(symbolic) is None
    assert decide_linear(symbolic).kind == "proved"
    rational = Square(Convolution([1, 2], padding="zeros"), shift(1), input_shape=5)
    assert decide_circulant(rational) is None
    assert decide_linear(rational) == decide_linear(rational, circulant=False)
    two_d = Square(Convolution([[1, 2], [3, 4]], padding="periodic"), FourierShift((R(1, 2), 0)),
                   input_shape=(2, 2))
    assert decide_circulant(two_d) is None


def test_budget_and_validation():
    big = Square(Convolution([1, 2, 3], padding="zeros"), FourierShift(R(1, 2)), input_shape=256)
    v = decide_linear(big, budget=0.005)
    assert v.kind == "undecided" and "budget" in v.reason
    assert decide_circulant(big, budget=0.005).kind == "undecided"
    with pytest.raises(InvalidArgumentError):
        decide_circulant("not a square")


def test_decide_passes_the_option_through():
    square = Square(Convolution([1, 1], padding="zeros"), FourierShift(R(1, 2)), input_shape=4)
    assert decide(square, circulant=False).input == decide(square).input == Signal([1, 0, 0, 0])


def test_nonlinear_squares_are_refused_by_name():
    from symequi.layers import ReLU

    with pytest.raises(InvalidArgumentError, match="circulant decider needs linear maps.*'smt' or 'search'"):
        decide_circulant(Square(ReLU(), FourierShift(R(1, 2)), input_shape=4))


def test_different_output_translation_by_hand():
    # A = identity (Convolution([1])), g = FourierShift(1/2), g_out = FourierShift(1/2) on n = 4:
    # the square A g = g' A holds trivially; with g_out = shift(1) it fails on e_0 with
    # lhs = h (the taps [p, p, q, q], see the hand computation above) and rhs = e_1.
    p, q = (1 + SQ2) / 4, (1 - SQ2) / 4
    identity = Convolution([1], padding="periodic")
    assert decide_circulant(Square(identity, FourierShift(R(1, 2)), input_shape=4)).kind == "proved"
    v = decide_circulant(Square(identity, FourierShift(R(1, 2)), shift(1), input_shape=4))
    assert v.kind == "counterexample" and v.input == Signal([1, 0, 0, 0])
    assert same_values(v.lhs, Signal([p, p, q, q]))
    assert same_values(v.rhs, Signal([0, 1, 0, 0]))
