"""Cyclotomic vectors: coordinate columns checked against CyclotomicElement arithmetic
(per entry, reduced by flint's own division) and against mpmath evaluation at 50 digits."""

import flint
import mpmath
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symequi.arith.cyclotomic import CyclotomicElement
from symequi.arith.cyclotomic_vector import CyclotomicVector, join_columns, reduce_columns, split_columns
from symequi.core.errors import InvalidArgumentError

#: Orders with sparse Phi (2, 3 terms: the folding path) and dense Phi (7, 15: one division).
ORDERS = [1, 2, 3, 4, 6, 7, 8, 12, 15, 16, 18]

small = st.fractions(min_value=-5, max_value=5, max_denominator=6)


def numeric(order, exponents_to_values):
    with mpmath.workdps(50):
        z = mpmath.expjpi(mpmath.mpf(2) / order)
        return sum((mpmath.mpf(v.numerator) / v.denominator * z**e for e, v in exponents_to_values.items()),
                   mpmath.mpc(0))


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(ORDERS), st.integers(1, 4), st.data())
def test_reduce_columns_matches_entrywise_reduction_and_mpmath(order, size, data):
    """Unreduced columns (any length up to 2 order) reduced at once == each entry reduced alone."""
    width = data.draw(st.integers(1, 2 * order))
    raw = [[data.draw(small) for _ in range(size)] for _ in range(width)]     # raw[e][j]
    columns = [flint.fmpq_poly([flint.fmpq(v.numerator, v.denominator) for v in col]) for col in raw]
    vector = CyclotomicVector.from_columns(columns, order, size)
    for j in range(size):
        poly = flint.fmpq_poly([flint.fmpq(raw[e][j].numerator, raw[e][j].denominator) for e in range(width)])
        assert vector.element(j) == CyclotomicElement(poly, order)
        expected = numeric(order, {e: raw[e][j] for e in range(width)})
        with mpmath.workdps(50):
            assert abs(vector.element(j).evalf(50) - expected) < mpmath.mpf(10) ** -40


def test_reduce_columns_both_paths_by_hand():
    # order 4: zeta^2 = -1, zeta^3 = -zeta (the folding path)
    cols = reduce_columns([flint.fmpz_poly([1, 0]), flint.fmpz_poly([0, 2]), flint.fmpz_poly([3, 0]),
                           flint.fmpz_poly([0, 5])], 4, 2)
    assert [c.coeffs() for c in cols] == [[-2], [0, -3]]
    # order 7: zeta^6 = -(1 + zeta + ... + zeta^5) (Phi_7 is dense: the division path)
    cols = reduce_columns([flint.fmpz_poly([0])] * 6 + [flint.fmpz_poly([1])], 7, 1)
    assert [c.coeffs() for c in cols] == [[-1]] * 6


def test_join_and_split_are_inverse():
    parts = [flint.fmpq_poly([1, flint.fmpq(1, 2)]), flint.fmpq_poly([]), flint.fmpq_poly([0, 3]), flint.fmpq_poly([7])]
    joined = join_columns(parts, 2)
    assert joined.coeffs() == [1, flint.fmpq(1, 2), 0, 0, 0, 3, 7]
    assert split_columns(joined, 2, 4) == parts


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(ORDERS), st.sampled_from(ORDERS), st.data())
def test_arithmetic_matches_elements(order_a, order_b, data):
    size = 3

    def draw_vector(order):
        elements = []
        for _ in range(size):
            coeffs = data.draw(st.lists(small, min_size=1, max_size=order))
            elements.append(CyclotomicElement(flint.fmpq_poly([flint.fmpq(c.numerator, c.denominator) for c in coeffs]),
                                              order))
        return elements, CyclotomicVector.from_elements(elements)

    ea, va = draw_vector(order_a)
    eb, vb = draw_vector(order_b)
    factor = flint.fmpq(data.draw(st.integers(-3, 3)), 2)
    assert [(va + vb).element(j) for j in range(size)] == [a + b for a, b in zip(ea, eb)]
    assert [(va - vb).element(j) for j in range(size)] == [a - b for a, b in zip(ea, eb)]
    assert [va.scale(factor).element(j) for j in range(size)] == [a * factor for a in ea]
    assert va.equals(vb) == all(a == b for a, b in zip(ea, eb))
    assert (va - va).rational_entries() == 0
    rational = flint.fmpq_poly([1, flint.fmpq(-1, 3)])
    assert [va.add(rational).element(j) for j in range(size)] == [a + rational[j] for j, a in enumerate(ea)]


def test_equal_across_fields_and_rational_entries():
    i4 = CyclotomicVector.from_elements([CyclotomicElement.zeta(4), 1])
    i8 = CyclotomicVector.from_elements([CyclotomicElement.zeta(8, 2), 1])
    assert i4.order == 4 and i8.order == 8 and i4 == i8
    assert i4.rational_entries() is None
    assert CyclotomicVector.from_elements([CyclotomicElement.zeta(4) ** 2, 3]).rational_entries().coeffs() == [-1, 3]


def test_entry_exprs_are_the_elements_sympy_forms():
    elements = [CyclotomicElement.zeta(5) + CyclotomicElement.zeta(5, -1), CyclotomicElement.zeta(3), 2]
    vector = CyclotomicVector.from_elements(elements)
    assert vector.entry_exprs() == [elements[0].to_sympy(), elements[1].lift(15).to_sympy(), 2]
    assert [vector.entry_expr(j) for j in range(3)] == vector.entry_exprs()


def test_bad_arguments():
    with pytest.raises(InvalidArgumentError, match="phi"):
        CyclotomicVector([flint.fmpq_poly([1])], 4, 1)
    with pytest.raises(InvalidArgumentError, match="empty"):
        CyclotomicVector.from_elements([])
    with pytest.raises(InvalidArgumentError, match="not a multiple"):
        CyclotomicVector.from_elements([CyclotomicElement.zeta(3)]).lift(4)
