"""Exact cyclotomic arithmetic, checked against sympy's independent algebra and mpmath."""

from fractions import Fraction
from math import gcd

import flint
import mpmath
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from symequi.arith.cyclotomic import (
    CyclotomicElement,
    cos_pi,
    cyclotomic_equal,
    cyclotomic_is_zero,
    cyclotomic_polynomial,
    sin_pi,
    to_cyclotomic,
)
from symequi.core.errors import InexactInputError, InvalidArgumentError

pi = sympy.pi
X = sympy.Symbol("X")

ORDERS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 16, 20, 24]


def element(order, coeffs):
    fracs = [Fraction(c) for c in coeffs]
    return CyclotomicElement(flint.fmpq_poly([flint.fmpq(f.numerator, f.denominator) for f in fracs]), order)


def numeric(elem, dps=50):
    """Independent evaluation: the stored polynomial at exp(2 pi i / M) via mpmath.polyval."""
    with mpmath.workdps(dps):
        coeffs = [mpmath.mpf(int(c.p)) / int(c.q) for c in elem.poly.coeffs()]
        return mpmath.polyval(coeffs[::-1], mpmath.expjpi(mpmath.mpf(2) / elem.order)) if coeffs else mpmath.mpc(0)


@pytest.mark.parametrize("order", range(1, 31))
def test_cyclotomic_polynomial_matches_sympy(order):
    expected = sympy.Poly(sympy.cyclotomic_poly(order, X), X).all_coeffs()[::-1]
    assert [sympy.Rational(int(c.p), int(c.q)) for c in cyclotomic_polynomial(order).coeffs()] == expected


@pytest.mark.parametrize("order", range(1, 31))
def test_sum_of_primitive_roots_is_mobius(order):
    total = CyclotomicElement.rational(0)
    for k in range(order):
        if gcd(k, order) == 1:
            total = total + CyclotomicElement.zeta(order, k)
    assert total == sympy.mobius(order)


@pytest.mark.parametrize("order", ORDERS)
def test_zeta_has_exact_order(order):
    z = CyclotomicElement.zeta(order)
    assert z**order == 1
    assert all(z**k != 1 for k in range(1, order))


def test_known_identities():
    assert to_cyclotomic(sympy.cos(2 * pi / 5)) == to_cyclotomic((sympy.sqrt(5) - 1) / 4)
    z = CyclotomicElement.zeta(5)
    assert (z + z.conjugate()) / 2 == to_cyclotomic((sympy.sqrt(5) - 1) / 4)
    assert cyclotomic_equal(sympy.cos(pi / 12), (sympy.sqrt(6) + sympy.sqrt(2)) / 4)
    assert cyclotomic_is_zero(sympy.sin(pi / 3) - sympy.sqrt(3) / 2)
    assert cyclotomic_is_zero(sympy.exp(sympy.I * pi / 3) - sympy.Rational(1, 2) - sympy.I * sympy.sqrt(3) / 2)
    assert cyclotomic_is_zero((-1) ** sympy.Rational(2, 3) - sympy.exp(2 * sympy.I * pi / 3))
    assert cyclotomic_is_zero(sympy.tan(pi / 8) - (sympy.sqrt(2) - 1))
    assert cyclotomic_is_zero(sympy.cot(pi / 12) - (2 + sympy.sqrt(3)))
    assert cyclotomic_is_zero(sympy.sqrt(12) - 2 * sympy.sqrt(3))
    assert cyclotomic_is_zero(sympy.sqrt(-3) - sympy.I * sympy.sqrt(3))
    assert not cyclotomic_is_zero(sympy.cos(pi / 7) - sympy.cos(pi / 9))
    # Gauss's cos(2 pi/17) identity (16 cos = -1 + sqrt17 + sqrt(34 - 2 sqrt17) + 2 sqrt(17 + 3 sqrt17 - ...)).
    s17 = sympy.sqrt(17)
    gauss = (-1 + s17 + sympy.sqrt(34 - 2 * s17)
             + 2 * sympy.sqrt(17 + 3 * s17 - sympy.sqrt(34 - 2 * s17) - 2 * sympy.sqrt(34 + 2 * s17))) / 16
    assert cyclotomic_equal(sympy.cos(2 * pi / 17), gauss)


@pytest.mark.parametrize("p", [2, 3, 5, 7, 11, 13])
def test_square_roots_of_primes(p):
    root = to_cyclotomic(sympy.sqrt(p))
    assert root * root == p
    assert numeric(root).real > 0 and abs(numeric(root).imag) < mpmath.mpf(10) ** -40


@pytest.mark.parametrize(
    "r", [sympy.Rational(1, 8), sympy.Rational(3, 10), sympy.Rational(1, 24), sympy.Rational(2, 15), sympy.Rational(1, 20)]
)
def test_evaluated_nested_radicals_parse(r):
    # sympy rewrites these cosines as (nested) radicals; the parser must read them
    # back to the root-of-unity expression (zeta + zeta^-1)/2 built directly.
    expr = sympy.cos(r * pi)
    assert expr.has(sympy.Pow)
    value = to_cyclotomic(expr)
    assert value == cos_pi(r)
    with mpmath.workdps(50):
        assert abs(numeric(value) - mpmath.cospi(mpmath.mpf(int(r.p)) / int(r.q))) < mpmath.mpf(10) ** -45


@pytest.mark.parametrize("order", [5, 7, 8, 9, 12, 15, 16, 24])
def test_to_sympy_against_minimal_polynomial(order):
    # 3 cos(2 pi/M) - cos(4 pi/M)/2 + 1/5: sympy's minimal polynomial of our
    # printed expression must annihilate the field element, and the values agree.
    z = CyclotomicElement.zeta(order)
    c1 = (z + z.conjugate()) / 2
    c2 = (z**2 + (z**2).conjugate()) / 2
    elem = c1 * 3 - c2 / 2 + sympy.Rational(1, 5)
    expr = elem.to_sympy()
    mp = sympy.Poly(sympy.minimal_polynomial(expr, X), X)
    acc = CyclotomicElement.rational(0)
    for c in mp.all_coeffs():
        acc = acc * elem + CyclotomicElement.rational(c)
    assert acc.is_zero
    with mpmath.workdps(50):
        assert abs(numeric(elem) - mpmath.mpf(sympy.N(expr, 60))) < mpmath.mpf(10) ** -45


coeff = st.fractions(min_value=-5, max_value=5, max_denominator=7)


@st.composite
def elements(draw, order=None):
    m = order or draw(st.sampled_from(ORDERS))
    n = cyclotomic_polynomial(m).degree()
    return element(m, draw(st.lists(coeff, min_size=n, max_size=n)))


@settings(max_examples=40, deadline=None)
@given(elements(), elements(), elements())
def test_field_axioms_and_numeric_agreement(a, b, c):
    assert (a + b) * c == a * c + b * c
    assert a * b == b * a
    assert (a - b) + b == a
    assert a.conjugate().conjugate() == a
    assert (a * b).conjugate() == a.conjugate() * b.conjugate()
    with mpmath.workdps(50):
        tol = mpmath.mpf(10) ** -40
        assert abs(numeric(a * b) - numeric(a) * numeric(b)) < tol
        assert abs(numeric(a.conjugate()) - mpmath.conj(numeric(a))) < tol
        if not a.is_zero:
            assert a * a.inverse() == 1
            assert abs(numeric(a / (a * a)) * numeric(a) - 1) < tol


@settings(max_examples=40, deadline=None)
@given(elements())
def test_to_sympy_round_trip(a):
    real = a + a.conjugate()
    assert to_cyclotomic(real.to_sympy()) == real
    assert to_cyclotomic(a.to_sympy()) == a
    coeffs = real.cos_coefficients()
    rebuilt = CyclotomicElement.rational(0)
    for k, ck in enumerate(coeffs):
        rebuilt = rebuilt + cos_pi(sympy.Rational(2 * k, real.order)) * ck
    assert rebuilt == real


def test_cos_basis_is_unit_vectors():
    for k in range(4):   # phi(16)/2 = 4
        coeffs = cos_pi(sympy.Rational(2 * k, 16)).lift(16).cos_coefficients()
        assert [int(c) for c in coeffs] == [1 if i == k else 0 for i in range(4)]


def test_mixed_fields_meet_in_lcm():
    assert CyclotomicElement.zeta(3) == CyclotomicElement.zeta(6) ** 2 == CyclotomicElement.zeta(12) ** 4
    assert (CyclotomicElement.zeta(4) * CyclotomicElement.zeta(3)).order == 12
    assert sin_pi(sympy.Rational(1, 6)) == sympy.Rational(1, 2)


def test_parser_errors_are_clear():
    s = sympy.Symbol("s")
    with pytest.raises(InvalidArgumentError, match="cannot read s"):
        to_cyclotomic(s + 1)
    with pytest.raises(InvalidArgumentError, match="cannot read pi"):
        to_cyclotomic(pi)
    with pytest.raises(InvalidArgumentError, match="rational multiple of pi"):
        to_cyclotomic(sympy.cos(1))
    with pytest.raises(InvalidArgumentError, match="exponent 1/3"):
        to_cyclotomic(sympy.cbrt(2))
    with pytest.raises(InexactInputError):
        to_cyclotomic(0.5)
    with pytest.raises(InvalidArgumentError, match="needs a real element"):
        CyclotomicElement.zeta(4).cos_coefficients()
    with pytest.raises(InvalidArgumentError, match="invert zero"):
        CyclotomicElement.rational(0).inverse()
    with pytest.raises(InvalidArgumentError, match="multiple"):
        CyclotomicElement.zeta(3).lift(4)


def test_equal_elements_of_different_fields_hash_alike():
    # zeta_4 = i = zeta_8**2 = zeta_12**3, and 1/2 = cos(pi/3) = zeta_6 + zeta_6**-1 - 1/2
    i_values = [CyclotomicElement.zeta(4), CyclotomicElement.zeta(8) ** 2, CyclotomicElement.zeta(12, 3)]
    assert len(set(i_values)) == 1
    half = cos_pi(Fraction(1, 3))
    assert half == Fraction(1, 2) and hash(half) == hash(Fraction(1, 2))
    assert {half, Fraction(1, 2), 3, CyclotomicElement.rational(3, order=5)} == {Fraction(1, 2), 3}


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(ORDERS), st.lists(st.fractions(-5, 5, max_denominator=6), min_size=1, max_size=8),
       st.sampled_from([2, 3, 4]))
def test_lifting_keeps_the_hash(order, coeffs, mult):
    a = element(order, coeffs)
    assert a.lift(order * mult) == a and hash(a.lift(order * mult)) == hash(a)


def test_square_roots_of_negative_radicands_use_a_certified_sign():
    # sqrt(2) - 2 < 0 (sqrt(2) < 2), so its principal square root is i * sqrt(2 - sqrt(2));
    # (i*sqrt(2 - sqrt(2)))^2 = sqrt(2) - 2, and 2 - sqrt(2) = 4 sin(pi/8)^2 gives sqrt = 2 sin(pi/8)
    root = to_cyclotomic(sympy.sqrt(sympy.sqrt(2) - 2))
    assert root * root == to_cyclotomic(sympy.sqrt(2) - 2)
    assert root == CyclotomicElement.zeta(4) * 2 * sin_pi(Fraction(1, 8))
    mpmath.mp.dps = 50
    assert abs(numeric(root) - mpmath.sqrt(mpmath.sqrt(2) - 2)) < mpmath.mpf(10) ** -40
