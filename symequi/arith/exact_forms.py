"""Exact numbers in a short canonical form that provably equals them (for displaying matrices).

A constructed matrix (the discretization decider's ``g = M_delta M^+``) has
entries that sympy writes as nested radicals.  :func:`exact_form` rewrites one
exact number in the simplest form the library can prove equal to it:

* ``"rational"``: the number itself;
* ``"cyclotomic"``: an element of ``Q(zeta_M)``, ``zeta_M = exp(2 pi i/M)``,
  read by :func:`~symequi.arith.cyclotomic.to_cyclotomic` (an exact,
  structural conversion), moved to the smallest such field
  (:func:`smallest_field`), and written as its unique rational polynomial in
  ``zeta_M`` of degree ``< phi(M)`` (reduced modulo the cyclotomic polynomial
  ``Phi_M``); ``value`` is the canonical sympy form ``c_0 + sum_k c_k cos(2 pi
  k/M)`` of the same element;
* ``"algebraic"``: a real algebraic number outside the cyclotomic fields,
  written as the root of its monic minimal polynomial in an isolating interval
  (:class:`~symequi.arith.real_algebraic.RealAlgebraic`: the interval's ends
  are certified to bracket the number);
* ``"expression"``: anything else (e.g. ``cos(1)``), left as it is.

Example
-------
>>> import sympy
>>> form = exact_form(sympy.sqrt(sympy.Rational(5, 8) + sympy.sqrt(5) / 8))   # cos(pi/10)
>>> form.kind, form.text
('cyclotomic', 'zeta_20 - 1/2*zeta_20^3 + 1/2*zeta_20^5 - 1/2*zeta_20^7')
>>> exact_form(sympy.cbrt(2)).text
'root of t^3 - 2 in (1, 2)'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import flint
import sympy

from ..core.errors import InvalidArgumentError
from ..core.exact import fmpq_to_sympy, to_exact
from .cyclotomic import CyclotomicElement, cyclotomic_polynomial, to_cyclotomic
from .real_algebraic import RealAlgebraic
from ..core.texts import brief, brief_latex

__all__ = ["ExactForm", "exact_form", "smallest_field", "zeta_text", "root_text", "ZETA_NOTE"]

#: What ``zeta_M`` means in the texts of cyclotomic forms.
ZETA_NOTE = ("zeta_M = exp(2 pi i/M); an entry written in zeta_M is the unique rational polynomial of degree "
             "< phi(M) (reduced modulo the M-th cyclotomic polynomial) equal to it, read exactly by "
             "symequi.arith.cyclotomic.to_cyclotomic; 'root of p in (a, b)' is the only root of the minimal "
             "polynomial p between a and b")

FormKind = Literal["rational", "cyclotomic", "algebraic", "expression"]


@dataclass(frozen=True)
class ExactForm:
    r"""One exact number in its simplest provable form.

    ``kind`` says which form (see the module docstring), ``text`` is the form
    written out (``latex`` the same in LaTeX), ``value`` a sympy expression of
    the same number in canonical form, and ``element`` the exact object the
    form was read from (:class:`~symequi.arith.cyclotomic.CyclotomicElement`,
    :class:`~symequi.arith.real_algebraic.RealAlgebraic`, or None).

    >>> f = exact_form(sympy.Rational(-3, 4))
    >>> f.kind, f.text, f.value, f.latex
    ('rational', '-3/4', -3/4, '- \\frac{3}{4}')
    """

    kind: FormKind
    text: str
    value: sympy.Expr
    element: Any = None
    latex: str = ""

    def __str__(self) -> str:
        return self.text


def _terms_text(terms: list[tuple[flint.fmpq, str]], *, latex: bool = False) -> str:
    r"""``c_1*m_1 + c_2*m_2 - ...`` from (coefficient, monomial) pairs ('' = the constant);
    with ``latex`` the coefficients are ``\frac{p}{q}`` and products juxtaposed."""
    parts: list[str] = []
    for c, monomial in terms:
        if c == 0:
            continue
        magnitude = -c if c < 0 else c
        number = brief_latex(fmpq_to_sympy(magnitude)) if latex else str(magnitude)
        times = " " if latex else "*"
        body = number if not monomial else (monomial if magnitude == 1 else f"{number}{times}{monomial}")
        if not parts:
            parts.append(("-" if c < 0 else "") + body)
        else:
            parts.append(("- " if c < 0 else "+ ") + body)
    return " ".join(parts) or "0"


def _power(var: str, k: int, *, latex: bool = False) -> str:
    if k == 0:
        return ""
    if latex:
        return var if k == 1 else f"{var}^{{{k}}}"
    return var if k == 1 else f"{var}^{k}"


def zeta_text(element: CyclotomicElement, *, latex: bool = False) -> str:
    r"""The element as its rational polynomial in ``zeta_M`` (increasing powers).

    >>> sqrt2 = CyclotomicElement.zeta(8) + CyclotomicElement.zeta(8, -1)
    >>> zeta_text(sqrt2), zeta_text(sqrt2, latex=True)
    ('zeta_8 - zeta_8^3', '\\zeta_{8} - \\zeta_{8}^{3}')
    """
    var = f"\\zeta_{{{element.order}}}" if latex else f"zeta_{element.order}"
    return _terms_text([(c, _power(var, k, latex=latex)) for k, c in enumerate(element.poly.coeffs())],
                       latex=latex)


def root_text(number: RealAlgebraic, *, latex: bool = False) -> str:
    r"""An irrational real algebraic number as ``root of p in (lo, hi)``.

    >>> root_text(RealAlgebraic(sympy.cbrt(3)))
    'root of t^3 - 3 in (1, 2)'
    >>> root_text(RealAlgebraic(sympy.cbrt(3)), latex=True)
    '\\text{root of } t^{3} - 3 \\text{ in } (1, 2)'
    """
    poly, lo, hi = number.poly, number.lo, number.hi
    if poly is None or lo is None or hi is None:
        raise InvalidArgumentError(f"number={brief(number)} is rational; it has no isolating interval")
    coeffs = poly.coeffs()
    terms = [(coeffs[k], _power("t", k, latex=latex)) for k in range(len(coeffs) - 1, -1, -1)]
    if latex:
        ends = ", ".join(brief_latex(fmpq_to_sympy(v)) for v in (lo, hi))
        return f"\\text{{root of }} {_terms_text(terms, latex=True)} \\text{{ in }} ({ends})"
    return f"root of {_terms_text(terms)} in ({lo}, {hi})"


def smallest_field(element: CyclotomicElement) -> CyclotomicElement:
    """The same number written in the smallest ``Q(zeta_d)`` that holds it (``d`` divides the
    element's order; odd ``d`` is preferred to ``2d``, the same field).

    Each candidate field's power basis is lifted into ``Q(zeta_M)`` and the element solved for
    exactly (rational row reduction); the result is checked equal to the element.

    >>> smallest_field(CyclotomicElement.zeta(20, 4)).order          # zeta_20^4 = zeta_5
    5
    """
    order = element.order
    if element.is_rational:
        return CyclotomicElement.rational(element.poly[0])
    phi_m = cyclotomic_polynomial(order).degree()
    target = element.poly.coeffs() + [flint.fmpq(0)] * (phi_m - len(element.poly.coeffs()))
    for d in sorted(k for k in range(3, order) if order % k == 0 and k % 4 != 2):
        phi_d = cyclotomic_polynomial(d).degree()
        lifts = [CyclotomicElement.zeta(d, j).lift(order).poly.coeffs() for j in range(phi_d)]
        columns = [c + [flint.fmpq(0)] * (phi_m - len(c)) for c in lifts]
        augmented = flint.fmpq_mat(phi_m, phi_d + 1,
                                   [v for i in range(phi_m) for v in [col[i] for col in columns] + [target[i]]])
        reduced, rank = augmented.rref()
        if rank != phi_d:        # the element is not a combination of Q(zeta_d)'s basis
            continue
        smaller = CyclotomicElement(flint.fmpq_poly([reduced[j, phi_d] for j in range(phi_d)]), d)
        if smaller == element:
            return smaller
    return element


def exact_form(value: Any) -> ExactForm:
    """``value`` (an exact number) in its simplest form the library proves equal to it.

    Runs in the caller's time budget (a BudgetExceededError propagates).

    >>> exact_form(sympy.sqrt(5) / 10 + sympy.Rational(3, 10)).text
    '1/5 - 1/5*zeta_5^2 - 1/5*zeta_5^3'
    >>> exact_form(sympy.cos(1)).kind
    'expression'
    """
    expr = to_exact(value, "value")
    if expr.is_Rational:
        return _plain("rational", expr)
    if expr.free_symbols:
        return _plain("expression", expr)
    try:
        element = to_cyclotomic(expr)
    except (InvalidArgumentError, NotImplementedError):
        element = None
    if element is not None:
        if element.is_rational:
            return _plain("rational", fmpq_to_sympy(element.poly[0]), element)
        element = smallest_field(element)
        return ExactForm("cyclotomic", zeta_text(element), element.to_sympy(), element,
                         zeta_text(element, latex=True))
    try:
        number = RealAlgebraic(expr)
    except (InvalidArgumentError, NotImplementedError):
        return _plain("expression", expr)
    if number.is_rational:
        return _plain("rational", number.to_sympy(), number)
    return ExactForm("algebraic", root_text(number), number.to_sympy(), number, root_text(number, latex=True))


def _plain(kind: FormKind, expr: sympy.Expr, element: Any = None) -> ExactForm:
    return ExactForm(kind, str(expr), expr, element, brief_latex(expr))
