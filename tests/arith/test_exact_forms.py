"""Exact numbers in short provable forms (symequi/arith/exact_forms.py).

Independent checks: every displayed text is parsed back here (a parser written in
this test, not the library's), compared with the original number by the library's
exact zero test and by an mpmath evaluation at 50 digits; minimal polynomials are
checked by substituting the number and by sympy's root count in the interval.
"""

import re

import mpmath
import pytest
import sympy

from symequi.arith.cyclotomic import CyclotomicElement
from symequi.arith.exact_forms import ExactForm, exact_form, smallest_field, zeta_text
from symequi.core.zero import zero_test

R = sympy.Rational
T = sympy.Symbol("t")
_TERM = re.compile(r"^(?:(\d+(?:/\d+)?)\*?)?(?:zeta_(\d+)(?:\^(\d+))?)?$")


def parse_terms(text):
    """``[(sign * coefficient, zeta order or None, power)]`` of a text ``c + c*zeta_M^k - ...``."""
    tokens = text.replace(" - ", " -").replace(" + ", " +").split(" ")
    terms = []
    for token in tokens:
        sign = -1 if token.startswith("-") else 1
        body = token.lstrip("+-")
        match = _TERM.match(body)
        assert match and body, f"cannot read {token!r} in {text!r}"
        coefficient, order, power = match.groups()
        c = R(coefficient) if coefficient else R(1)
        k = 0 if order is None else int(power or 1)
        terms.append((sign * c, None if order is None else int(order), k))
    return terms


def zeta_value(text):
    """The text as a sympy number: zeta_M = cos(2 pi/M) + i sin(2 pi/M)."""
    return sympy.Add(*[c * (1 if m is None else sympy.exp(2 * sympy.pi * sympy.I * k / m))
                       for c, m, k in parse_terms(text)])


def zeta_mpmath(text):
    with mpmath.workdps(60):
        return sum(mpmath.mpf(c.p) / c.q * (1 if m is None else mpmath.expjpi(mpmath.mpf(2 * k) / m))
                   for c, m, k in parse_terms(text))


def assert_text_equals(text, number):
    """The displayed text equals ``number``: the exact zero test, then 50 digits."""
    verdict, reason = zero_test(sympy.expand(zeta_value(text) - number))
    assert verdict is True, (text, number, reason)
    with mpmath.workdps(60):
        want = mpmath.mpmathify(sympy.N(number, 60))
        assert abs(zeta_mpmath(text) - want) < mpmath.mpf(10) ** -50


def parse_root(text):
    """``(polynomial in t, lo, hi)`` of a text ``root of p in (lo, hi)``."""
    match = re.fullmatch(r"root of (.+) in \((\S+), (\S+)\)", text)
    assert match, text
    poly = sympy.Integer(0)
    for token in match.group(1).replace(" - ", " -").replace(" + ", " +").split(" "):
        sign = -1 if token.startswith("-") else 1
        body = token.lstrip("+-")
        m = re.fullmatch(r"(?:(\d+(?:/\d+)?)\*?)?(?:t(?:\^(\d+))?)?", body)
        assert m and body, token
        coefficient, power = m.groups()
        has_t = "t" in body
        poly += sign * (R(coefficient) if coefficient else 1) * (T ** int(power or 1) if has_t else 1)
    return sympy.Poly(poly, T), R(match.group(2)), R(match.group(3))


# --- cyclotomic forms ---------------------------------------------------------------------------
@pytest.mark.parametrize("number", [
    sympy.sqrt(2),                                            # zeta_8 + zeta_8^-1
    sympy.sqrt(R(5, 8) + sympy.sqrt(5) / 8),                 # cos(pi/10)
    sympy.sqrt(5) / 10 + R(3, 10),                            # in Q(zeta_5)
    sympy.sqrt(3) / 2 + sympy.I / 2,                          # zeta_12, not real
    sympy.sqrt(5 - sympy.sqrt(5)) * sympy.sqrt(5 + sympy.sqrt(5)) / 5,   # 2 sqrt(5)/5 after expansion
])
def test_cyclotomic_texts_equal_the_number(number):
    form = exact_form(number)
    assert form.kind == "cyclotomic"
    assert "zeta_" in form.text
    assert_text_equals(form.text, number)
    assert zero_test(sympy.expand(form.value - number))[0] is True      # the canonical value too


def test_hand_computed_texts():
    # sqrt 2 = zeta_8 + zeta_8^7 and zeta_8^4 = -1, so zeta_8^7 = -zeta_8^3 (Phi_8 = t^4 + 1)
    assert exact_form(sympy.sqrt(2)).text == "zeta_8 - zeta_8^3"
    # (3 + sqrt 5)/10 = 1/5 - (zeta_5^2 + zeta_5^3)/5, since zeta_5^2 + zeta_5^3 = 2 cos(4 pi/5) = -(1 + sqrt 5)/2
    assert exact_form(sympy.sqrt(5) / 10 + R(3, 10)).text == "1/5 - 1/5*zeta_5^2 - 1/5*zeta_5^3"
    assert zeta_text(CyclotomicElement.zeta(12)) == "zeta_12"


def test_the_smallest_field_is_chosen():
    # zeta_20^4 is zeta_5; i = zeta_20^5 is zeta_4; sqrt 5 lives in Q(zeta_5)
    assert smallest_field(CyclotomicElement.zeta(20, 4)) == CyclotomicElement.zeta(5)
    assert smallest_field(CyclotomicElement.zeta(20, 4)).order == 5
    assert smallest_field(CyclotomicElement.zeta(20, 5)).order == 4
    assert exact_form(sympy.sqrt(5)).element.order == 5
    assert smallest_field(CyclotomicElement.zeta(7)).order == 7           # primitive: stays


def test_rationals_and_other_expressions():
    assert exact_form(R(-3, 4)) == ExactForm("rational", "-3/4", R(-3, 4), None, r"- \frac{3}{4}")
    # a radical expression that is rational: shown as the rational
    form = exact_form(sympy.sqrt(3 + 2 * sympy.sqrt(2)) - sympy.sqrt(2))
    assert form.kind == "rational" and form.text == "1"
    assert exact_form(sympy.cos(1)).kind == "expression"
    assert exact_form(sympy.pi).text == "pi"


# --- real algebraic numbers outside cyclotomic fields ----------------------------------------------
@pytest.mark.parametrize("number", [sympy.cbrt(2), sympy.cbrt(2) + 1, -sympy.root(3, 4) / 2])
def test_minimal_polynomial_texts_isolate_the_number(number):
    form = exact_form(number)
    assert form.kind == "algebraic"
    poly, lo, hi = parse_root(form.text)
    assert poly.is_irreducible and poly.LC() == 1
    assert zero_test(sympy.expand(poly.as_expr().subs(T, number)))[0] is True     # a root
    assert poly.count_roots(lo, hi) == 1 and poly.eval(lo) != 0 and poly.eval(hi) != 0   # the only one
    with mpmath.workdps(60):
        value = mpmath.mpmathify(sympy.N(number, 60))
        assert lo < value < hi
    assert zero_test(sympy.expand(form.value - number))[0] is True


def test_hand_computed_minimal_polynomial():
    # (cbrt 2 + 1 - 1)^3 = 2: t^3 - 3t^2 + 3t - 3, and 2 < cbrt 2 + 1 < 3
    assert exact_form(sympy.cbrt(2) + 1).text == "root of t^3 - 3*t^2 + 3*t - 3 in (2, 3)"


def test_latex_of_the_forms_by_hand():
    assert exact_form(sympy.sqrt(2)).latex == r"\zeta_{8} - \zeta_{8}^{3}"
    assert exact_form(sympy.sqrt(5) / 10 + R(3, 10)).latex == (
        r"\frac{1}{5} - \frac{1}{5} \zeta_{5}^{2} - \frac{1}{5} \zeta_{5}^{3}")
    assert exact_form(sympy.cbrt(2) + 1).latex == r"\text{root of } t^{3} - 3 t^{2} + 3 t - 3 \text{ in } (2, 3)"
    assert exact_form(R(-3, 4)).latex == r"- \frac{3}{4}"
