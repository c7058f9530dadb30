"""Decider 1 (symequi.deciders.linear): exact commutators, witnesses, MatrixOperator.

Independent expectations: the theorem that circulant matrices commute with
cyclic shifts (and only they do), hand-computed witnesses, and commutators
recomputed here with plain Fraction arithmetic.
"""

from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from symequi.core.errors import InvalidArgumentError
from symequi.arith.linalg import UndecidedZeroError, exact_nullspace, exact_rref
from symequi.deciders.linear import MatrixOperator, commutator_matrix, decide_linear
from symequi.core.operator import Operator, Sequential
from symequi.core.signal import Signal
from symequi.core.square import Square

R = sympy.Rational
a, b, c = sympy.symbols("a b c")


class Roll(Operator):
    """Periodic shift right by s: out_j = u_{(j - s) mod N} (test double)."""

    is_linear = True
    is_piecewise_linear = True

    def __init__(self, s):
        self.s = s

    def _apply(self, u):
        v = u.flat_exprs()
        n = len(v)
        return Signal.from_exprs([v[(j - self.s) % n] for j in range(n)], u.shape)

    def describe(self):
        return f"Roll({self.s})"


class Conv(Operator):
    """C_j = sum_k a_k b_{j-k}, origin 0; periodic or zero padding (test double)."""

    is_linear = True

    def __init__(self, kernel, periodic):
        self.kernel, self.periodic = list(kernel), periodic

    def _apply(self, u):
        v = u.flat_exprs()
        n = len(v)
        out = []
        for j in range(n):
            total = sympy.Integer(0)
            for k, ak in enumerate(self.kernel):
                i = j - k
                if self.periodic:
                    total += ak * v[i % n]
                elif 0 <= i < n:
                    total += ak * v[i]
            out.append(sympy.expand(total))
        return Signal.from_exprs(out, u.shape)


def circulant(first_column):
    n = len(first_column)
    return [[first_column[(i - j) % n] for j in range(n)] for i in range(n)]


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 6).flatmap(lambda n: st.tuples(
    st.lists(st.fractions(-5, 5, max_denominator=7), min_size=n, max_size=n),
    st.integers(0, n - 1))))
def test_circulant_matrices_commute_with_cyclic_shifts(data):
    column, s = data
    v = decide_linear(Square(MatrixOperator(circulant(column)), Roll(s), input_shape=len(column)))
    assert v.kind == "proved"
    assert v.decider == "linear"
    assert "basis suffices" in v.holds_for


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.fractions(-3, 3, max_denominator=3), min_size=3, max_size=3),
                min_size=3, max_size=3))
def test_verdict_matches_fraction_commutator(rows):
    # Independent: G is the cyclic shift matrix G[i][j] = 1 iff i = j + 1 (mod 3);
    # compute A G - G A with Fractions and find the first nonzero column.
    n = 3
    G = [[Fraction(int(i == (j + 1) % n)) for j in range(n)] for i in range(n)]
    mul = lambda X, Y: [[sum(X[i][k] * Y[k][j] for k in range(n)) for j in range(n)] for i in range(n)]  # noqa: E731
    AG, GA = mul(rows, G), mul(G, rows)
    K = [[AG[i][j] - GA[i][j] for j in range(n)] for i in range(n)]
    nonzero_columns = [j for j in range(n) if any(K[i][j] for i in range(n))]
    v = decide_linear(Square(MatrixOperator(rows), Roll(1), input_shape=3))
    if not nonzero_columns:
        assert v.kind == "proved"
    else:
        j = nonzero_columns[0]
        assert v.kind == "counterexample"
        assert v.input == Signal.unit(3, j)
        assert v.difference.to_fractions() == [K[i][j] for i in range(n)]
    assert commutator_matrix(Square(MatrixOperator(rows), Roll(1), input_shape=3)).to_Matrix() == sympy.Matrix(K)


def test_hand_computed_witness_for_a_linear_stack():
    # A = D after C with C the circulant [[1,0,1],[1,1,0],[0,1,1]] and D = diag(1,1,2).
    # e0 = [1,0,0]: g(e0) = [0,1,0]; C[0,1,0] = [0,1,1]; D -> [0,1,2]           (lhs)
    #               C e0 = [1,1,0]; D -> [1,1,0]; g -> [0,1,1]                  (rhs)
    C = MatrixOperator([[1, 0, 1], [1, 1, 0], [0, 1, 1]])
    D = MatrixOperator([[1, 0, 0], [0, 1, 0], [0, 0, 2]])
    v = decide_linear(Square(Sequential(C, D), Roll(1), input_shape=3))
    assert v.kind == "counterexample"
    assert v.input == Signal([1, 0, 0])
    assert v.lhs == Signal([0, 1, 2])
    assert v.rhs == Signal([0, 1, 1])
    assert v.difference == Signal([0, 0, 1])


def test_non_circulant_matrix_witness():
    # A = [[1,2,0],[0,1,0],[0,0,3]]: A g e0 = A e1 = [2,1,0]; g A e0 = g [1,0,0] = [0,1,0]
    v = decide_linear(Square(MatrixOperator([[1, 2, 0], [0, 1, 0], [0, 0, 3]]), Roll(1), input_shape=3))
    assert (v.input, v.lhs, v.rhs, v.difference) == (
        Signal([1, 0, 0]), Signal([2, 1, 0]), Signal([0, 1, 0]), Signal([2, 0, 0]))


@pytest.mark.parametrize("n", [3, 4, 5, 6])
@pytest.mark.parametrize("s", [1, 2])
def test_symbolic_three_tap_periodic_convolution_commutes(n, s):
    v = decide_linear(Square(Conv([a, b, c], periodic=True), Roll(s), input_shape=n))
    assert v.kind == "proved"
    assert "for all values of a, b, c" in v.holds_for


def test_symbolic_zero_padded_convolution_witness():
    # e0: g e0 = e1, A e1 = [0, a, b]; A e0 = [a, b, c], g -> [c, a, b]; difference [-c, 0, 0]
    v = decide_linear(Square(Conv([a, b, c], periodic=False), Roll(1), input_shape=3))
    assert v.kind == "counterexample"
    assert v.input == Signal([1, 0, 0])
    assert v.lhs == Signal([0, a, b]) and v.rhs == Signal([c, a, b])
    assert v.difference == Signal([-c, 0, 0])


def test_algebraic_entries_that_cancel_only_by_minimal_polynomial():
    w = sympy.sqrt(5 + 2 * sympy.sqrt(6))
    A = MatrixOperator([[w, sympy.sqrt(2) + sympy.sqrt(3)], [sympy.sqrt(2) + sympy.sqrt(3), w]])
    assert decide_linear(Square(A, Roll(1), input_shape=2)).kind == "proved"


def test_undecided_zero_test_gives_undecided():
    w = sympy.besselj(0, 1)
    A = MatrixOperator([[0, w], [0, 0]])
    G = MatrixOperator([[1, 0], [0, 2]])
    v = decide_linear(Square(A, G, input_shape=2))
    assert v.kind == "undecided"
    assert "undecided" in v.reason


def test_budget_runs_out_gives_undecided():
    v = decide_linear(Square(Conv([a, b, c], periodic=True), Roll(1), input_shape=40), budget=0.01)
    assert v.kind == "undecided"
    assert "budget" in v.reason


def test_nonlinear_square_is_refused():
    class Square2(Operator):
        def _apply(self, u):
            return u.multiply(u)

    with pytest.raises(InvalidArgumentError, match="not linear"):
        decide_linear(Square(Square2(), Roll(1), input_shape=3))
    with pytest.raises(InvalidArgumentError):
        decide_linear("not a square")


def test_matrix_operator_application_and_validation():
    g = MatrixOperator([[1, R(1, 2)], [0, a]])
    assert g(Signal([2, 4])) == Signal([4, 4 * a])
    assert MatrixOperator([[1, 2], [3, 4]])(Signal([1, -1])) == Signal([-1, -1])
    assert MatrixOperator([[1, 2, 3]], output_shape=(1,)).matrix(3).shape == (1, 3)
    assert not g.is_piecewise_linear and MatrixOperator([[1]]).is_piecewise_linear
    with pytest.raises(InvalidArgumentError):
        g(Signal([1, 2, 3]))
    with pytest.raises(InvalidArgumentError):
        MatrixOperator([[1, 2], [3]])
    with pytest.raises(InvalidArgumentError):
        MatrixOperator([[0.5]])


def test_exact_rref_and_nullspace_by_hand():
    reduced, pivots = exact_rref([[2, 4, 2], [1, 2, 3]])
    # rows: [1,2,1], [0,0,2] -> [1,2,0], [0,0,1]
    assert reduced == sympy.Matrix([[1, 2, 0], [0, 0, 1]]) and pivots == (0, 2)
    assert exact_nullspace([[2, 4, 2], [1, 2, 3]]) == [sympy.Matrix([-2, 1, 0])]
    # algebraic entries: w = sqrt(2) exactly, so the rows are proportional
    w = sympy.sqrt(5 + 2 * sympy.sqrt(6)) - sympy.sqrt(3)
    reduced, pivots = exact_rref([[w, 2], [1, sympy.sqrt(2)]])
    assert pivots == (0,)
    # polynomials in pi alone are exact (pi is transcendental): [[pi, 1], [pi^2, pi]] has rank 1
    assert exact_rref([[sympy.pi, 1], [sympy.pi**2, sympy.pi]])[1] == (0,)
    # pi and e together use the fallback elimination: det = pi - e != 0 (certified)
    assert exact_rref([[sympy.pi, 1], [sympy.E, 1]])[1] == (0, 1)
    with pytest.raises(UndecidedZeroError):
        exact_rref([[sympy.besselj(0, 1), 1]])


def test_with_project_layers_and_translations():
    from symequi import layers
    from symequi import translations
    conv = layers.Convolution([a, b, c], padding="periodic")
    for n in (3, 4, 5, 6):
        assert decide_linear(Square(conv, translations.shift(1), input_shape=n)).kind == "proved"
    zero_padded = layers.Convolution([a, b, c], padding="zeros")
    v = decide_linear(Square(zero_padded, translations.shift(1), input_shape=3))
    # same hand computation as test_symbolic_zero_padded_convolution_witness
    assert v.kind == "counterexample" and v.difference == Signal([-c, 0, 0])
    # a half-cell linear-interpolation shift is itself a periodic convolution, and
    # convolutions commute: the linear square with the paper's kernel is proved
    half = translations.shift(R(1, 2), method="linear")
    paper = layers.Convolution([2, -2], origin=-1, padding="periodic")
    assert decide_linear(Square(paper, half, input_shape=4)).kind == "proved"


# --- a layer defined by a user, implementing only the protocol ----------------------------------
class FirstDifference(Operator):
    """out_j = u_j - u_(j-1); periodic (u_(-1) = u_(n-1)) or zero boundary (u_(-1) = 0).

    Only the protocol: ``is_linear`` and ``_apply`` (the deciders read its matrix through
    Operator.columns / sparse_rows).  Counts its applications to show the matrix is built once."""

    is_linear = True

    def __init__(self, periodic):
        self.periodic = periodic
        self.calls = 0

    def _apply(self, signal):
        self.calls += 1
        u = signal.flat_exprs()
        before = [u[-1] if self.periodic else 0] + u[:-1]
        return Signal.from_exprs([a - b for a, b in zip(u, before)], signal.shape)


def test_user_defined_periodic_layer_is_proved_and_its_matrix_built_once():
    # periodic: A = I - R with R the cyclic roll, and g = R commutes with it (R(I - R) = (I - R)R)
    from symequi.translations import shift

    layer = FirstDifference(periodic=True)
    square = Square(layer, shift(1), input_shape=5)
    v = decide_linear(square)
    assert v.kind == "proved" and v.decider == "linear"
    assert layer.calls == 5                                # one application per unit input
    assert decide_linear(Square(layer, shift(1), input_shape=5)).kind == "proved"
    assert layer.calls == 5                                # the shared matrix, not rebuilt


def test_user_defined_zero_boundary_layer_is_refuted_on_the_hand_computed_column():
    # n = 3, A u = [u0, u1 - u0, u2 - u1], g = periodic roll by 1.
    # e0: A g e0 = A [0, 1, 0] = [0, 1, -1];  g A e0 = g [1, -1, 0] = [0, 1, -1]  (equal)
    # e1: A g e1 = A [0, 0, 1] = [0, 0, 1];   g A e1 = g [0, 1, -1] = [-1, 0, 1] (differ by [1, 0, 0])
    from symequi.translations import shift

    v = decide_linear(Square(FirstDifference(periodic=False), shift(1), input_shape=3))
    assert v.kind == "counterexample" and v.decider == "linear"
    assert v.input == Signal([0, 1, 0])
    assert v.lhs == Signal([0, 0, 1]) and v.rhs == Signal([-1, 0, 1])
    assert v.difference == Signal([1, 0, 0])


def test_user_defined_layer_through_the_circulant_path_by_hand():
    # FourierShift(1/2) on n = 4 has taps h = [p, p, q, q], p = (1 + sqrt 2)/4, q = (1 - sqrt 2)/4
    # (h_m = (1 + 2 cos(pi (m - 1/2)/2) + cos(pi (m - 1/2)))/4).
    # Periodic difference: circulant, commutes with every circulant.  Zero boundary, e0:
    # A h = [p, 0, q - p, 0];  g A e0 = h - roll(h, 1) = [p - q, 0, q - p, 0]; difference [q, 0, 0, 0].
    from symequi.translations.fourier import FourierShift

    half = FourierShift(R(1, 2))
    v = decide_linear(Square(FirstDifference(periodic=True), half, input_shape=4))
    assert v.kind == "proved" and "field" in v.details and "circulant" in v.details["operator"]
    root = sympy.sqrt(2)
    p, q = (1 + root) / 4, (1 - root) / 4
    v = decide_linear(Square(FirstDifference(periodic=False), half, input_shape=4))
    assert v.kind == "counterexample" and "field" in v.details and v.input == Signal([1, 0, 0, 0])
    assert v.lhs == Signal([p, 0, q - p, 0])
    assert v.rhs == Signal([p - q, 0, q - p, 0])
    assert v.difference == Signal([q, 0, 0, 0])
