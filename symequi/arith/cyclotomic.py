"""Exact arithmetic in cyclotomic fields Q(zeta_M), zeta_M = exp(2 pi i / M).

The band-limited (Fourier) shift by a rational number of cells, and the
normalised Lanczos weights, are algebraic numbers in a cyclotomic field.  This
module computes with them exactly and hands them to the rest of symequi as
sympy expressions; its parser reads such expressions back into the field so
that any consumer can *zero-test* them exactly.

* :class:`CyclotomicElement`: an element of Q(zeta_M), stored as a
  python-flint ``fmpq_poly`` in zeta reduced modulo the cyclotomic polynomial
  Phi_M (a canonical form: two elements of the same field are equal iff their
  polynomials are).  Elements of different fields meet in Q(zeta_lcm).
  ``+ - * / **``, :meth:`~CyclotomicElement.conjugate`, ``==``,
  :meth:`~CyclotomicElement.cos_coefficients` and
  :meth:`~CyclotomicElement.to_sympy`, which writes a real element as
  ``c_0 + sum_k c_k cos(2 pi k / M)`` with ``k < phi(M)/2`` (a basis of the
  real subfield, so the coefficients are unique).
* :func:`to_cyclotomic`: the parser.  It reads rationals, ``I``, ``+ - * /``,
  integer powers, ``cos``/``sin``/``tan``/``cot`` of rational multiples of
  ``pi``, ``exp(I*pi*r)``, ``(-1)**r``, square roots of rationals (via Gauss
  sums) and the nested square roots sympy produces when it evaluates cosines
  such as ``cos(pi/8)`` or ``sin(pi/5)`` (found by an integer-relation search,
  then *verified exactly*: the candidate's square must equal the radicand).
* :func:`cyclotomic_is_zero`, :func:`cyclotomic_equal`: exact zero tests of
  sympy expressions.

Example
-------
>>> import sympy
>>> from symequi.arith.cyclotomic import CyclotomicElement, to_cyclotomic, cyclotomic_is_zero
>>> z = CyclotomicElement.zeta(5)
>>> c = (z + z.conjugate()) / 2          # cos(2 pi / 5)
>>> c.to_sympy()
-1/4 + sqrt(5)/4
>>> c == to_cyclotomic((sympy.sqrt(5) - 1) / 4)
True
>>> cyclotomic_is_zero(sympy.cos(sympy.pi / 8)**2 - (2 + sympy.sqrt(2)) / 4)
True
"""

from __future__ import annotations

import functools
import math
from fractions import Fraction
from typing import Any

import flint
import mpmath
import sympy

from ..core.budget import time_budget
from ..core.errors import InvalidArgumentError
from ..core.exact import fmpq_to_sympy, positive_int, power_by_squaring, sympy_to_fmpq, to_exact
from ..core.limits import get_limits
from ..core.texts import brief

__all__ = [
    "CyclotomicElement",
    "cyclotomic_polynomial",
    "field_order",
    "to_cyclotomic",
    "cyclotomic_is_zero",
    "cyclotomic_equal",
    "cos_pi",
    "sin_pi",
]

_ONE = flint.fmpq(1)


def field_order(order: Any) -> int:
    """``order`` as a positive int within ``max_entries``: Q(zeta_M) stores polynomials of
    degree phi(M) and powers of zeta as M-entry lists, and python-flint takes M as a C long.

    >>> field_order(12)
    12
    >>> field_order(10**30)
    Traceback (most recent call last):
    ...
    symequi.core.errors.InvalidArgumentError: order=1000000000000000000000000000000 of the cyclotomic field Q(zeta_order) is more than the limit max_entries=100000000; raise it with symequi.core.limits.using_limits(max_entries=...) if you mean it (a Fourier shift by p/q on n entries works in the field of order q*n: use a smaller q or n)
    """
    order = positive_int(order, "order")
    limit = get_limits().max_entries
    if order > limit:
        raise InvalidArgumentError(
            f"order={brief(order)} of the cyclotomic field Q(zeta_order) is more than the limit "
            f"max_entries={brief(limit, str)}; raise it with symequi.core.limits.using_limits(max_entries=...) if you mean "
            "it (a Fourier shift by p/q on n entries works in the field of order q*n: use a smaller q or n)"
        )
    return order


@functools.lru_cache(maxsize=256)
def cyclotomic_polynomial(order: int) -> flint.fmpq_poly:
    """The cyclotomic polynomial Phi_M (monic, integer coefficients) as ``fmpq_poly``.

    >>> cyclotomic_polynomial(12)
    x^4 + (-1)*x^2 + 1
    """
    order = field_order(order)
    return flint.fmpq_poly(flint.fmpz_poly.cyclotomic(order).coeffs())


@functools.lru_cache(maxsize=256)
def _totient(order: int) -> int:
    return cyclotomic_polynomial(order).degree()


def _power_poly(exponent: int, order: int) -> flint.fmpq_poly:
    """zeta_M**exponent as a polynomial in zeta (reduced)."""
    e = exponent % order
    return flint.fmpq_poly([0] * e + [1]) % cyclotomic_polynomial(order)


class CyclotomicElement:
    """An exact element of the cyclotomic field Q(zeta_M).

    Build elements with :meth:`zeta`, :meth:`rational`, :func:`cos_pi`,
    :func:`sin_pi` or :func:`to_cyclotomic`, and combine them with
    ``+ - * / **`` (mixing fields is allowed: the result lives in Q(zeta_lcm)).

    Attributes
    ----------
    poly : fmpq_poly
        The element as a polynomial in zeta of degree < phi(M), reduced mod Phi_M.
    order : int
        M.

    See Also
    --------
    to_cyclotomic : read a sympy expression into the field.

    Example
    -------
    >>> i = CyclotomicElement.zeta(4)
    >>> i * i == -1
    True
    >>> (CyclotomicElement.zeta(8) + CyclotomicElement.zeta(8, -1)).to_sympy()
    sqrt(2)
    """

    __slots__ = ("poly", "order")

    def __init__(self, poly: flint.fmpq_poly, order: int) -> None:
        self.order = int(order)
        self.poly = flint.fmpq_poly(poly) % cyclotomic_polynomial(self.order)

    # --- constructors --------------------------------------------------------------
    @classmethod
    def _raw(cls, poly: flint.fmpq_poly, order: int) -> "CyclotomicElement":
        obj = cls.__new__(cls)
        obj.poly = poly
        obj.order = order
        return obj

    @classmethod
    def zeta(cls, order: int, power: int = 1) -> "CyclotomicElement":
        """zeta_M**power = exp(2 pi i power / M).

        >>> CyclotomicElement.zeta(3) ** 3 == 1
        True
        """
        order = field_order(order)
        return cls._raw(_power_poly(int(power), order), order)

    @classmethod
    def rational(cls, value: Any, order: int = 1) -> "CyclotomicElement":
        """A rational number as an element of Q(zeta_order).

        >>> CyclotomicElement.rational('1/3').to_sympy()
        1/3
        """
        q = value if isinstance(value, flint.fmpq) else sympy_to_fmpq(_rational(value, "value"))
        return cls._raw(flint.fmpq_poly([q]), field_order(order))

    # --- field plumbing ------------------------------------------------------------
    def lift(self, order: int) -> "CyclotomicElement":
        """The same number as an element of Q(zeta_L), for a multiple L of M.

        >>> CyclotomicElement.zeta(2).lift(4).poly == CyclotomicElement.zeta(4, 2).poly
        True
        """
        order = field_order(order)
        if order % self.order:
            raise InvalidArgumentError(
                f"order={brief(order, str)} is not a multiple of this element's order {brief(self.order, str)}; "
                "a field embeds only into Q(zeta_L) for multiples L"
            )
        if order == self.order:
            return self
        step = order // self.order
        coeffs = self.poly.coeffs()
        spread = [flint.fmpq(0)] * (step * max(len(coeffs) - 1, 0) + 1)
        for k, c in enumerate(coeffs):
            spread[k * step] = c
        return CyclotomicElement(flint.fmpq_poly(spread), order)

    def _common(self, other: Any) -> tuple["CyclotomicElement", "CyclotomicElement"]:
        if not isinstance(other, CyclotomicElement):
            other = CyclotomicElement.rational(other)
        if other.order == self.order:
            return self, other
        if other.is_rational:
            return self, CyclotomicElement._raw(other.poly, self.order)
        if self.is_rational:
            return CyclotomicElement._raw(self.poly, other.order), other
        order = math.lcm(self.order, other.order)
        return self.lift(order), other.lift(order)

    @property
    def is_rational(self) -> bool:
        """True when the element is a rational number."""
        return self.poly.degree() <= 0

    @property
    def is_zero(self) -> bool:
        return self.poly.is_zero()

    @property
    def is_real(self) -> bool:
        """True when the element equals its complex conjugate."""
        return self == self.conjugate()

    def sign(self) -> int:
        """The sign ``-1``, ``0`` or ``1`` of a real element: 0 by the exact zero test, else
        certified by ball arithmetic (never a float comparison).

        >>> (cos_pi('1/5') - sympy.Rational(809, 1000)).sign(), cos_pi('1/2').sign()   # cos(pi/5) = 0.80901...
        (1, 0)
        """
        if not self.is_real:
            raise InvalidArgumentError(f"{brief(self.to_sympy(), str)} is not real, so it has no sign")
        return 0 if self.is_zero else _real_sign(self, "the element")

    def rational_value(self) -> sympy.Rational:
        """The element as a sympy Rational (rational elements only)."""
        if not self.is_rational:
            raise InvalidArgumentError(f"{brief(self.to_sympy(), str)} is not a rational number")
        return fmpq_to_sympy(self.poly[0])

    # --- arithmetic ----------------------------------------------------------------
    def __add__(self, other: Any) -> "CyclotomicElement":
        a, b = self._common(other)
        return CyclotomicElement._raw(a.poly + b.poly, a.order)

    __radd__ = __add__

    def __sub__(self, other: Any) -> "CyclotomicElement":
        a, b = self._common(other)
        return CyclotomicElement._raw(a.poly - b.poly, a.order)

    def __rsub__(self, other: Any) -> "CyclotomicElement":
        return -(self - other)

    def __neg__(self) -> "CyclotomicElement":
        return CyclotomicElement._raw(-self.poly, self.order)

    def __mul__(self, other: Any) -> "CyclotomicElement":
        a, b = self._common(other)
        if a.is_rational or b.is_rational:
            return CyclotomicElement._raw(a.poly * b.poly, a.order)
        return CyclotomicElement(a.poly * b.poly, a.order)

    __rmul__ = __mul__

    def inverse(self) -> "CyclotomicElement":
        """The multiplicative inverse (extended Euclid modulo Phi_M).

        >>> (CyclotomicElement.zeta(5) + 1).inverse() * (CyclotomicElement.zeta(5) + 1) == 1
        True
        """
        if self.is_zero:
            raise InvalidArgumentError("cannot invert zero in a cyclotomic field")
        if self.is_rational:
            return CyclotomicElement._raw(flint.fmpq_poly([_ONE / self.poly[0]]), self.order)
        g, s, _ = self.poly.xgcd(cyclotomic_polynomial(self.order))
        return CyclotomicElement(s * (_ONE / g[0]), self.order)

    def __truediv__(self, other: Any) -> "CyclotomicElement":
        a, b = self._common(other)
        return a * b.inverse()

    def __rtruediv__(self, other: Any) -> "CyclotomicElement":
        return CyclotomicElement.rational(other) / self if not isinstance(other, CyclotomicElement) else other / self

    def __pow__(self, exponent: int) -> "CyclotomicElement":
        if not isinstance(exponent, int) or isinstance(exponent, bool):
            raise InvalidArgumentError(f"exponent={brief(exponent)} must be an int")
        base = self if exponent >= 0 else self.inverse()
        return power_by_squaring(base, abs(exponent), CyclotomicElement._raw(flint.fmpq_poly([1]), self.order))

    def conjugate(self) -> "CyclotomicElement":
        """The complex conjugate (zeta -> zeta**-1).

        >>> CyclotomicElement.zeta(4).conjugate() == -CyclotomicElement.zeta(4)
        True
        """
        order = self.order
        coeffs = self.poly.coeffs()
        out = [flint.fmpq(0)] * order
        for k, c in enumerate(coeffs):
            out[(-k) % order] += c
        return CyclotomicElement(flint.fmpq_poly(out), order)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (int, Fraction, flint.fmpq, flint.fmpz)) or (
            isinstance(other, sympy.Basic) and getattr(other, "is_Rational", False)
        ):
            other = CyclotomicElement.rational(other)
        if not isinstance(other, CyclotomicElement):
            return NotImplemented
        a, b = self._common(other)
        return a.poly == b.poly

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self) -> int:
        # Equal elements of different fields (zeta_4 and zeta_8**2) must hash alike, and a
        # rational element like the number it equals: hash the mean of its conjugates,
        # Tr(a)/[K:Q], which does not depend on the field K it is written in.
        return hash(self._mean_trace())

    def _mean_trace(self) -> Fraction:
        """Tr_{K/Q}(self) / [K:Q] (the same in every cyclotomic field holding the element).

        Tr(zeta_M**k) / phi(M) = mu(d) / phi(d) with d = M / gcd(k, M) (Ramanujan sums).
        """
        total = Fraction(0)
        for k, c in enumerate(self.poly.coeffs()):
            if c:
                d = self.order // math.gcd(k, self.order)
                total += Fraction(int(c.p), int(c.q)) * int(sympy.mobius(d)) / _totient(d)
        return total

    # --- numerics (for checks and the integer-relation search) ---------------------
    def evalf(self, dps: int = 30) -> mpmath.mpc:
        """A numerical value (mpmath, ``dps`` digits), for display and sanity checks only."""
        with mpmath.workdps(dps + 10):
            z = mpmath.expjpi(mpmath.mpf(2) / self.order)
            total = mpmath.mpc(0)
            power = mpmath.mpc(1)
            for c in self.poly.coeffs():
                total += mpmath.mpf(int(c.p)) / int(c.q) * power
                power *= z
            return total

    # --- conversion to sympy -------------------------------------------------------
    def cos_coefficients(self) -> list[flint.fmpq]:
        """The unique ``c_k`` with ``self = sum_k c_k cos(2 pi k / M)``, ``k < max(1, phi(M)/2)``.

        Real elements only.

        >>> [str(c) for c in (CyclotomicElement.zeta(5) * 2).conjugate().__add__(CyclotomicElement.zeta(5) * 2).cos_coefficients()]
        ['0', '4']
        """
        if not self.is_real:
            raise InvalidArgumentError(
                f"cos_coefficients needs a real element; this one has imaginary part "
                f"{brief((self - self.conjugate()).evalf(10) / 2, str)}"
            )
        if self.is_rational:
            half = max(_totient(self.order) // 2, 1)
            return [self.poly[0]] + [flint.fmpq(0)] * (half - 1)
        rows, inverse = _cos_basis(self.order)
        coords = [self.poly[r] for r in rows]
        vec = inverse * flint.fmpq_mat(len(rows), 1, coords)
        return [vec[i, 0] for i in range(len(rows))]

    def to_sympy(self) -> sympy.Expr:
        """A sympy expression: ``c_0 + sum_k c_k cos(2 pi k/M)`` for real elements,
        ``re + I*im`` (each in that form) otherwise.

        sympy evaluates cosines of some angles (``cos(pi/3) = 1/2``,
        ``cos(2 pi/5) = (sqrt(5)-1)/4``) to radicals; :func:`to_cyclotomic`
        reads those back.

        >>> CyclotomicElement.zeta(3).to_sympy()
        -1/2 + sqrt(3)*I/2
        """
        if self.is_rational:
            return fmpq_to_sympy(self.poly[0])
        conj = self.conjugate()
        if conj == self:
            return _cos_sum(self.cos_coefficients(), self.order)
        i = CyclotomicElement.zeta(4)
        re = (self + conj) / 2
        im = (self - conj) / (2 * i)
        return _real_to_sympy(re) + sympy.I * _real_to_sympy(im)

    def __repr__(self) -> str:
        return f"CyclotomicElement({brief(self.to_sympy(), str)}, order={brief(self.order, str)})"


def _real_to_sympy(value: CyclotomicElement) -> sympy.Expr:
    if value.is_rational:
        return fmpq_to_sympy(value.poly[0])
    return _cos_sum(value.cos_coefficients(), value.order)


def _cos_sum(coeffs: list[flint.fmpq], order: int) -> sympy.Expr:
    terms = []
    for k, c in enumerate(coeffs):
        if c == 0:
            continue
        value = fmpq_to_sympy(c)
        terms.append(value if k == 0 else value * sympy.cos(2 * sympy.pi * sympy.Rational(k, order)))
    return sympy.Add(*terms)


@functools.lru_cache(maxsize=128)
def _cos_basis(order: int) -> tuple[tuple[int, ...], flint.fmpq_mat]:
    """Rows (power-basis coordinates) that determine a real element, and the
    inverse of the cos-basis matrix restricted to them."""
    degree = _totient(order)
    half = max(degree // 2, 1)
    columns = []
    for k in range(half):
        elem = (CyclotomicElement.zeta(order, k) + CyclotomicElement.zeta(order, -k)) / 2
        columns.append([elem.poly[r] for r in range(degree)])
    # B is degree x half; choose `half` independent rows via rref of B^T.
    bt = flint.fmpq_mat(half, degree, [v for col in columns for v in col])
    reduced, rank = bt.rref()
    pivots = []
    for i in range(rank):
        for j in range(degree):
            if reduced[i, j] != 0:
                pivots.append(j)
                break
    square = flint.fmpq_mat(half, half, [columns[k][r] for r in pivots for k in range(half)])
    return tuple(pivots), square.inv()


# --- trigonometric constructors -------------------------------------------------------
def _rational(value: Any, name: str) -> sympy.Rational:
    expr = to_exact(value, name)
    if not expr.is_Rational:
        raise InvalidArgumentError(f"{name}={brief(value)} must be a rational number")
    return expr


def cos_pi(r: Any) -> CyclotomicElement:
    """cos(pi r) for rational r, as an element of Q(zeta_{2q}) (q = denominator of r).

    >>> cos_pi('1/3').to_sympy()
    1/2
    """
    r = _rational(r, "r")
    order = 2 * int(r.q)
    k = int(r.p)
    return (CyclotomicElement.zeta(order, k) + CyclotomicElement.zeta(order, -k)) / 2


def sin_pi(r: Any) -> CyclotomicElement:
    """sin(pi r) for rational r, as an element of Q(zeta_{lcm(2q, 4)}).

    >>> sin_pi('1/6').to_sympy()
    1/2
    """
    r = _rational(r, "r")
    return cos_pi(sympy.Rational(1, 2) - r)


# --- the parser -----------------------------------------------------------------------
def to_cyclotomic(expr: Any, *, budget: float | None = None) -> CyclotomicElement:
    """Read an exact sympy expression into a cyclotomic field.

    Accepted: rationals, ``I``, ``+ - * /``, integer powers, ``cos``, ``sin``,
    ``tan``, ``cot`` of rational multiples of ``pi``, ``exp(I*pi*r)``,
    ``(-1)**r``, ``sqrt`` of rationals and of positive real elements whose
    square root is cyclotomic (nested radicals from sympy's evaluated
    cosines).  Anything else (a free symbol, a bare ``pi``, a float, a cube
    root of 2) raises :class:`~symequi.core.errors.InvalidArgumentError` naming
    the offending subexpression.

    Parameters
    ----------
    expr : sympy expression or exact number
    budget : seconds allowed for the whole parse (default: the global budget)

    Example
    -------
    >>> import sympy
    >>> to_cyclotomic(sympy.sin(sympy.pi / 5)) == to_cyclotomic(sympy.sqrt(sympy.Rational(5, 8) - sympy.sqrt(5) / 8))
    True
    """
    value = to_exact(expr, "expr")
    with time_budget(budget, "reading an expression into a cyclotomic field"):
        try:
            return _parse(value)
        except InvalidArgumentError as err:  # name the argument, not only the offending part
            raise InvalidArgumentError(f"expr={brief(value, str)}: {brief(err, str)}") from None


def cyclotomic_is_zero(expr: Any, *, budget: float | None = None) -> bool:
    """Exactly decide whether a cyclotomic expression is zero.

    >>> import sympy
    >>> cyclotomic_is_zero(sympy.cos(2 * sympy.pi / 5) - (sympy.sqrt(5) - 1) / 4)
    True
    """
    return to_cyclotomic(expr, budget=budget).is_zero


def cyclotomic_equal(a: Any, b: Any, *, budget: float | None = None) -> bool:
    """Exactly decide whether two cyclotomic expressions are equal.

    >>> import sympy
    >>> cyclotomic_equal(sympy.cos(sympy.pi / 12), (sympy.sqrt(6) + sympy.sqrt(2)) / 4)
    True
    """
    with time_budget(budget, "comparing two cyclotomic expressions"):
        return _parse(to_exact(a, "a")) == _parse(to_exact(b, "b"))


def _pi_multiple(arg: sympy.Expr, factor: sympy.Expr, what: sympy.Expr) -> sympy.Rational:
    ratio = sympy.expand(arg / factor)
    if not ratio.is_Rational:
        raise InvalidArgumentError(
            f"{brief(what, str)} is not a trigonometric value at a rational multiple of pi, "
            "so it need not lie in a cyclotomic field"
        )
    return ratio


def _parse(expr: sympy.Expr) -> CyclotomicElement:
    if expr.is_Rational:
        return CyclotomicElement.rational(expr)
    if expr is sympy.I:
        return CyclotomicElement.zeta(4)
    if expr.is_Add:
        total = CyclotomicElement.rational(0)
        for arg in expr.args:
            total = total + _parse(arg)
        return total
    if expr.is_Mul:
        total = CyclotomicElement.rational(1)
        for arg in expr.args:
            total = total * _parse(arg)
        return total
    if expr.is_Pow:
        base, exponent = expr.args
        if exponent.is_Integer:
            return _parse(base) ** int(exponent)
        if exponent.is_Rational:
            if base == -1:
                return CyclotomicElement.zeta(2 * int(exponent.q), int(exponent.p))
            if exponent.q == 2:
                return _sqrt(_parse(base), base) ** int(exponent.p)
        raise InvalidArgumentError(
            f"{brief(expr, str)} is a power with exponent {brief(exponent, str)}; only integer powers, square roots "
            "and roots of -1 are read into cyclotomic fields"
        )
    if isinstance(expr, sympy.exp):
        r = _pi_multiple(expr.args[0], sympy.I * sympy.pi, expr)
        return CyclotomicElement.zeta(2 * int(r.q), int(r.p))
    if isinstance(expr, (sympy.cos, sympy.sin, sympy.tan, sympy.cot)):
        r = _pi_multiple(expr.args[0], sympy.pi, expr)
        if isinstance(expr, sympy.cos):
            return cos_pi(r)
        if isinstance(expr, sympy.sin):
            return sin_pi(r)
        if isinstance(expr, sympy.tan):
            return sin_pi(r) / cos_pi(r)
        return cos_pi(r) / sin_pi(r)
    raise InvalidArgumentError(
        f"cannot read {brief(expr, str)} into a cyclotomic field: only rationals, I, pi-rational "
        "trigonometric values, roots of unity and square roots are supported"
    )


def _sqrt(value: CyclotomicElement, base: sympy.Expr) -> CyclotomicElement:
    """The principal square root (the positive one for positive reals)."""
    if value.is_rational:
        return _sqrt_rational(fmpq_to_sympy(value.poly[0]))
    if not value.is_real:
        raise InvalidArgumentError(
            f"sqrt({brief(base, str)}): square roots of non-real algebraic numbers are not supported"
        )
    if _real_sign(value, f"the radicand of sqrt({brief(base, str)})") < 0:
        return CyclotomicElement.zeta(4) * _sqrt(-value, -base)
    candidate = _sqrt_search(value)
    if candidate is None:
        raise InvalidArgumentError(
            f"sqrt({brief(base, str)}) was not found in Q(zeta_L) for L = {brief(value.order, str)}, 2*{brief(value.order, str)}, "
            f"4*{brief(value.order, str)}, 8*{brief(value.order, str)}; it may not be a cyclotomic number"
        )
    return candidate


def _sqrt_rational(r: sympy.Rational) -> CyclotomicElement:
    if r == 0:
        return CyclotomicElement.rational(0)
    sign_i = r < 0
    r = abs(r)
    # sqrt(p/q) = sqrt(p q) / q
    n = int(r.p) * int(r.q)
    outside = sympy.Rational(1, int(r.q))
    result = CyclotomicElement.rational(1)
    for prime, mult in sympy.factorint(n).items():
        outside *= sympy.Integer(prime) ** (mult // 2)
        if mult % 2:
            result = result * _sqrt_prime(int(prime))
    result = result * CyclotomicElement.rational(outside)
    return result * CyclotomicElement.zeta(4) if sign_i else result


@functools.lru_cache(maxsize=64)
def _sqrt_prime(p: int) -> CyclotomicElement:
    """sqrt(p) > 0: zeta_8 + zeta_8^-1 for p = 2, else from the quadratic Gauss sum
    g = sum_a (a|p) zeta_p^a, which is sqrt(p) (p = 1 mod 4) or i sqrt(p) (p = 3 mod 4)."""
    if p == 2:
        return CyclotomicElement.zeta(8) + CyclotomicElement.zeta(8, -1)
    coeffs = [0] + [int(sympy.jacobi_symbol(a, p)) for a in range(1, p)]
    gauss = CyclotomicElement(flint.fmpq_poly(coeffs), p)
    if p % 4 == 1:
        return gauss
    return gauss * CyclotomicElement.zeta(4, -1)


def _sqrt_search(value: CyclotomicElement) -> CyclotomicElement | None:
    """Guess sqrt(value) in the real subfield of Q(zeta_L) by an integer relation
    (mpmath.pslq), then verify the guess exactly; None when no guess verifies.

    A search takes milliseconds to seconds, and a vector's entries repeat the same few radicands
    (sqrt((5 + sqrt 5)/8) in every other entry): answers are kept per (order, coefficients)."""
    return _sqrt_search_in(value.order, tuple(value.poly.coeffs()))


@functools.lru_cache(maxsize=256)
def _sqrt_search_in(order: int, coeffs: tuple[flint.fmpq, ...]) -> CyclotomicElement | None:
    value = CyclotomicElement._raw(flint.fmpq_poly(list(coeffs)), order)
    target_dps = 60
    for mult in (1, 2, 4, 8):
        field = order * mult
        half = max(_totient(field) // 2, 1)
        if half > 48:
            break
        with mpmath.workdps(target_dps + 20):
            root = mpmath.sqrt(value.evalf(target_dps + 20).real)
            basis = [mpmath.cos(2 * mpmath.pi * k / field) for k in range(half)]
            relation = mpmath.pslq([root] + basis, maxcoeff=10**15, maxsteps=20000)
        if relation is None or relation[0] == 0:
            continue
        candidate = CyclotomicElement.rational(0)
        for k, c in enumerate(relation[1:]):
            if c != 0:
                candidate = candidate + cos_pi(sympy.Rational(2 * k, field)) * flint.fmpq(-c, relation[0])
        if candidate * candidate == value:
            # the exact square matches; choose the positive root by a certified sign
            return candidate if _real_sign(candidate, "a square root candidate") > 0 else -candidate
    return None


def _real_sign(value: CyclotomicElement, what: str) -> int:
    """The sign (+1 or -1) of a nonzero real element, certified by ball arithmetic.

    The element is evaluated with python-flint's rigorous balls at increasing
    precision until the ball excludes 0 (it must: the element is exactly nonzero).
    """
    if value.is_zero:
        raise InvalidArgumentError(f"{brief(what, str)} is exactly 0, which has no sign")
    if value.is_rational:
        return 1 if value.poly[0] > 0 else -1
    old = flint.ctx.prec
    try:
        for prec in (64, 256, 1024, 4096):
            flint.ctx.prec = prec
            zeta = flint.acb(flint.arb(flint.fmpq(2, value.order))).exp_pi_i()
            total, power = flint.acb(0), flint.acb(1)
            for c in value.poly.coeffs():
                total += power * flint.arb(c)
                power *= zeta
            if not total.real.contains(0):
                return 1 if total.real > 0 else -1
    finally:
        flint.ctx.prec = old
    raise InvalidArgumentError(f"could not certify the sign of {brief(what, str)} with 4096-bit ball arithmetic")
