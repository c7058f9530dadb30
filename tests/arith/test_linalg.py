"""Exact row reduction and kernels (symequi/arith/linalg.py).

Expected values are hand eliminations; kernel vectors are also checked by
multiplying them back (A v = 0) and counting (rank-nullity).
"""

from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from symequi.arith.linalg import UndecidedZeroError, exact_nullspace, exact_rref, trusted_domain_matrix
from symequi.core.errors import InexactInputError, SymequiError

R = sympy.Rational
a, b = sympy.symbols("a b")
s2, s3 = sympy.sqrt(2), sympy.sqrt(3)


def test_rational_rref_by_hand():
    # R2 - 2 R1 = [0, -3, -6] -> R2 / -3 = [0, 1, 2] -> R1 - 2 R2 = [1, 0, -1]
    reduced, pivots = exact_rref([[1, 2, 3], [2, 1, 0]])
    assert reduced == sympy.Matrix([[1, 0, -1], [0, 1, 2]]) and pivots == (0, 1)
    reduced, pivots = exact_rref([[0, R(1, 2)], [0, 1]])
    assert reduced == sympy.Matrix([[0, 1], [0, 0]]) and pivots == (1,)


def test_algebraic_rank_deficiency_is_found_exactly():
    # row 2 = sqrt(2) * row 1: [sqrt2, 2] = sqrt2 * [1, sqrt2]
    reduced, pivots = exact_rref([[1, s2], [s2, 2]])
    assert reduced == sympy.Matrix([[1, s2], [0, 0]]) and pivots == (0,)
    # a disguised zero: sqrt(5 + 2 sqrt6) - sqrt2 - sqrt3 = 0, so column 0 has no pivot
    hidden = sympy.sqrt(5 + 2 * sympy.sqrt(6)) - s2 - s3
    reduced, pivots = exact_rref([[hidden, 1], [0, 3]])
    assert pivots == (1,) and reduced == sympy.Matrix([[0, 1], [0, 0]])


def test_symbolic_entries_are_indeterminates():
    # [[a, 1], [a**2, a]]: row 2 = a * row 1 -> rank 1, rref [[1, 1/a], [0, 0]]
    reduced, pivots = exact_rref([[a, 1], [a**2, a]])
    assert pivots == (0,)
    assert sympy.simplify(reduced - sympy.Matrix([[1, 1 / a], [0, 0]])) == sympy.zeros(2, 2)


def test_transcendental_entries_use_the_zero_test_fallback():
    assert trusted_domain_matrix([[sympy.sin(1), 1]], 2) is None
    assert trusted_domain_matrix([[sympy.pi, sympy.E]], 2) is None  # pi and e together: not trusted
    assert trusted_domain_matrix([[sympy.pi, 1]], 2) is not None
    # [[sin1, 1], [2 sin1, 2]]: rank 1, rref [[1, 1/sin1], [0, 0]]
    reduced, pivots = exact_rref([[sympy.sin(1), 1], [2 * sympy.sin(1), 2]])
    assert pivots == (0,)
    assert reduced[0, 0] == 1 and sympy.simplify(reduced[0, 1] - 1 / sympy.sin(1)) == 0
    assert reduced[1, :] == sympy.zeros(1, 2)


def test_an_undecided_pivot_raises():
    # Euler's reflection formula makes this entry 0, which the zero tests cannot prove
    third = R(1, 3)
    undecidable = sympy.gamma(third) * sympy.gamma(1 - third) - 2 * sympy.pi / s3
    with pytest.raises(UndecidedZeroError, match="could not decide") as info:
        exact_rref([[undecidable, 1], [1, 1]])
    assert isinstance(info.value, SymequiError)


def test_nullspace_by_hand():
    # x + y = 0, z = 0: kernel spanned by (-1, 1, 0)
    assert exact_nullspace([[1, 1, 0], [0, 0, 1]]) == [sympy.Matrix([-1, 1, 0])]
    # full rank: trivial kernel
    assert exact_nullspace([[1, 0], [0, R(1, 3)]]) == []
    # algebraic: [1, sqrt2] v = 0 -> v = (-sqrt2, 1)
    assert exact_nullspace([[1, s2]]) == [sympy.Matrix([-s2, 1])]


def test_floats_are_refused_naming_the_entry():
    with pytest.raises(InexactInputError, match=r"rows\[1\]\[0\]"):
        exact_rref([[1, 2], [0.5, 1]])


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 4), st.integers(1, 4), st.data())
def test_kernel_vectors_solve_the_system_and_count_by_rank_nullity(rows, cols, data):
    entries = st.fractions(min_value=-3, max_value=3, max_denominator=4)
    matrix = [[data.draw(entries) for _ in range(cols)] for _ in range(rows)]
    basis = exact_nullspace(matrix)
    # every vector solves A v = 0, computed with Fractions
    for v in basis:
        values = [Fraction(int(e.p), int(e.q)) for e in v]
        assert all(sum(m * x for m, x in zip(row, values)) == 0 for row in matrix)
    # rank by hand: fraction-exact Gaussian elimination written here
    work = [row[:] for row in matrix]
    rank = 0
    for c in range(cols):
        pivot = next((i for i in range(rank, rows) if work[i][c] != 0), None)
        if pivot is None:
            continue
        work[rank], work[pivot] = work[pivot], work[rank]
        for i in range(rows):
            if i != rank and work[i][c] != 0:
                f = work[i][c] / work[rank][c]
                work[i] = [p - f * q for p, q in zip(work[i], work[rank])]
        rank += 1
    assert len(basis) == cols - rank
