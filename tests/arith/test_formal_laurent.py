"""FormalLaurent: polynomials in formal symbols and a Laurent variable E over
cyclotomic fields.  Expectations come from sympy polynomial arithmetic on
expressions built independently from the same term lists, from hand values,
and from mpmath at 50 digits."""

from fractions import Fraction

import mpmath
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from symequi.arith.cyclotomic import CyclotomicElement, to_cyclotomic
from symequi.core.errors import InexactInputError, InvalidArgumentError, SymequiError
from symequi.arith.formal_laurent import E, FormalLaurent, formal_matvec, formal_vector

A = sympy.symbols("a0:3")


# --- an exact strategy: term lists with rational coefficients ------------------------------
terms_strategy = st.lists(
    st.tuples(
        st.lists(st.integers(0, 2), max_size=2).map(tuple),           # monomial in a0, a1, a2
        st.integers(-3, 3),                                            # power of E
        st.fractions(min_value=-3, max_value=3, max_denominator=4),    # coefficient
    ),
    max_size=4,
)


def build(terms):
    """(FormalLaurent, the same polynomial built directly in sympy)."""
    mapping = {}
    expr = sympy.Integer(0)
    for monomial, e, c in terms:
        key = (monomial, e)
        mapping[key] = mapping.get(key, Fraction(0)) + c
        expr += sympy.Rational(c.numerator, c.denominator) * sympy.Mul(*(A[i] for i in monomial)) * E**e
    # keys that differ only by the order of the monomial are merged by FormalLaurent; sympy merges them too
    return FormalLaurent(mapping), expr


def same(formal, expr) -> bool:
    return sympy.expand(formal.to_sympy(A) - expr) == 0


@settings(max_examples=60, deadline=None)
@given(terms_strategy, terms_strategy)
def test_ring_operations_agree_with_sympy(p_terms, q_terms):
    p, pe = build(p_terms)
    q, qe = build(q_terms)
    assert same(p, pe) and same(q, qe)
    assert same(p + q, pe + qe)
    assert same(p - q, pe - qe)
    assert same(p * q, pe * qe)
    assert same(p**2, pe**2)
    assert same(-p, -pe)
    assert (p == q) is (sympy.expand(pe - qe) == 0)
    assert (p - q).is_zero is (sympy.expand(pe - qe) == 0)


@settings(max_examples=40, deadline=None)
@given(terms_strategy, st.fractions(min_value=-2, max_value=2, max_denominator=3))
def test_exact_numbers_mix_in_as_constants(terms, c):
    p, pe = build(terms)
    ce = sympy.Rational(c.numerator, c.denominator)
    assert same(p + c, pe + ce) and same(c + p, pe + ce)
    assert same(c - p, ce - pe) and same(p - c, pe - ce)
    assert same(p * c, pe * ce) and same(c * p, pe * ce)
    assert same(p * 3, 3 * pe)


def test_hand_values():
    a0, a1 = FormalLaurent.symbol(0), FormalLaurent.symbol(1)
    e = FormalLaurent.e_power(1)
    # (a0 E + a1/E)(a0 E - a1/E) = a0^2 E^2 - a1^2 E^-2
    assert (a0 * e + a1 * FormalLaurent.e_power(-1)) * (a0 * e - a1 * FormalLaurent.e_power(-1)) == (
        a0 * a0 * FormalLaurent.e_power(2) - a1 * a1 * FormalLaurent.e_power(-2)
    )
    assert ((a0 + 1) ** 3).to_sympy() == sympy.expand((A[0] + 1) ** 3)
    assert (a0**0) == 1 and (a0**0).to_sympy() == 1
    assert (e * FormalLaurent.e_power(-1)) == 1
    assert FormalLaurent().is_zero and FormalLaurent().to_sympy() == 0
    # monomials are commutative: a0 a1 == a1 a0
    assert FormalLaurent({((1, 0), 0): 1}) == a0 * a1


def test_cyclotomic_coefficients():
    # sqrt(2) = zeta_8 + zeta_8^-1; (sqrt2 a0)^2 = 2 a0^2
    r2 = FormalLaurent.constant(sympy.sqrt(2))
    a0 = FormalLaurent.symbol(0)
    assert (r2 * a0) ** 2 == 2 * a0 * a0
    z3 = CyclotomicElement.zeta(3)
    # 1 + zeta_3 + zeta_3^2 = 0
    assert (FormalLaurent.constant(1) + z3 + z3 * z3).is_zero
    assert FormalLaurent.constant('cos(pi/5)') * 4 - 1 == FormalLaurent.constant(sympy.sqrt(5))


def test_terms_are_read_only_and_values_unhashable():
    p = FormalLaurent.symbol(0) + 2
    assert dict(p.terms) == {((0,), 0): CyclotomicElement.rational(1), ((), 0): CyclotomicElement.rational(2)}
    with pytest.raises(TypeError):
        p.terms[((), 0)] = CyclotomicElement.rational(5)
    with pytest.raises(TypeError):
        hash(p)
    assert (p == object()) is False


def test_zero_terms_are_dropped():
    p = FormalLaurent({((0,), 1): 1, ((1,), 0): 0})
    assert len(p.terms) == 1
    assert FormalLaurent({((0,), 1): 0}).is_zero


@pytest.mark.parametrize("p, q", [(1, 6), (1, 8), (-2, 5), (3, 10)])
def test_substitute_e_against_mpmath(p, q):
    # P = a0 (E + 2/E) + 3 E^2 - 1/2 at E = exp(2 pi i p/q): the a0-coefficient and the constant, at 50 digits
    a0 = FormalLaurent.symbol(0)
    P = a0 * (FormalLaurent.e_power(1) + 2 * FormalLaurent.e_power(-1)) + 3 * FormalLaurent.e_power(2) - Fraction(1, 2)
    value = P.substitute_e(CyclotomicElement.zeta(q, p))
    assert all(e == 0 for _, e in value.terms)
    with mpmath.workdps(50):
        z = mpmath.expjpi(mpmath.mpf(2 * p) / q)
        expected = {(0,): z + 2 / z, (): 3 * z**2 - mpmath.mpf(1) / 2}
        for (monomial, _), c in value.terms.items():
            assert abs(c.evalf(50) - expected[monomial]) < mpmath.mpf(10) ** -45


def test_substitute_e_hand_value():
    # (E + 1/E)/2 at E = zeta_6: cos(pi/3) = 1/2
    half_sum = (FormalLaurent.e_power(1) + FormalLaurent.e_power(-1)) * Fraction(1, 2)
    assert half_sum.substitute_e(CyclotomicElement.zeta(6)) == Fraction(1, 2)
    assert (FormalLaurent.e_power(3) + 1).substitute_e(0) == 1


def test_to_sympy_symbols():
    p = FormalLaurent.symbol(1) * FormalLaurent.e_power(-1)
    u, v = sympy.symbols("u v")
    assert p.to_sympy([u, v]) == v / E
    assert p.to_sympy() == sympy.Symbol("a1") / E
    assert repr(p) == "FormalLaurent(a1/E)"


def test_formal_vector_and_matvec_by_hand():
    a0 = FormalLaurent.symbol(0)
    i = CyclotomicElement.zeta(4)
    # [[1, i], [i, 1]] @ [a0, 1] = [a0 + i, i a0 + 1]
    out = formal_matvec([[1, i], [i, 1]], [a0, FormalLaurent.constant(1)])
    assert out[0].to_sympy() == A[0] + sympy.I
    assert sympy.expand(out[1].to_sympy() - (sympy.I * A[0] + 1)) == 0
    assert formal_vector([1, "1/2", a0]) == [1, Fraction(1, 2), a0]
    assert formal_matvec([[Fraction(1, 2), "1/2"]], [2, 4]) == [3]


def test_validation_messages():
    with pytest.raises(InexactInputError, match="0.5 is a Python float"):
        FormalLaurent.constant(0.5)
    with pytest.raises(InexactInputError):
        FormalLaurent.symbol(0) * 0.5
    with pytest.raises(InvalidArgumentError, match="not a number of a cyclotomic field"):
        FormalLaurent.constant(sympy.pi)
    with pytest.raises(InvalidArgumentError, match="index=-1 must be >= 0"):
        FormalLaurent.symbol(-1)
    with pytest.raises(InvalidArgumentError, match="power=1.5 must be an int"):
        FormalLaurent.e_power(1.5)
    with pytest.raises(InvalidArgumentError, match="exponent=-1 must be >= 0"):
        FormalLaurent.symbol(0) ** -1
    with pytest.raises(InvalidArgumentError, match="must be a mapping"):
        FormalLaurent([1, 2])
    with pytest.raises(InvalidArgumentError, match="must be a pair"):
        FormalLaurent({(0, 1): 1})
    with pytest.raises(InvalidArgumentError, match="negative powers of E"):
        FormalLaurent.e_power(-1).substitute_e(0)
    with pytest.raises(InvalidArgumentError, match="pass at least 3 symbols"):
        FormalLaurent.symbol(2).to_sympy(A[:1])
    with pytest.raises(InvalidArgumentError, match="row 0 has 1 entries but vector has 2"):
        formal_matvec([[1]], [1, 2])
    with pytest.raises(InvalidArgumentError, match=r"values\[1\]"):
        formal_vector([1, object()])
    assert issubclass(InvalidArgumentError, SymequiError)


def test_coefficient_parser_reads_cyclotomic_strings():
    assert FormalLaurent.constant("sqrt(3)/2") == FormalLaurent.constant(to_cyclotomic(sympy.sin(sympy.pi / 3)))
