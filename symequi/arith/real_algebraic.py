"""Exact real algebraic numbers: root isolation, exact order, exact signs and values.

A :class:`RealAlgebraic` is either a rational (python-flint ``fmpq``) or the
unique real root of a monic irreducible polynomial over Q (degree >= 2) in an
open isolating interval with rational ends.  Everything here is exact: an
order or a sign is decided by shrinking isolating intervals (bisection on
the sign of the minimal polynomial, and sympy's exact root counting), never by
comparing floats.

* :func:`real_roots` -- the distinct real roots of a rational polynomial
  (python-flint factorisation into irreducibles, sympy's real root isolation);
* :func:`compare`, :func:`sort_distinct` -- exact order;
* :func:`sign_at`, :func:`value_at` -- ``p(c)``: its exact sign, its exact value
  (reduced modulo the minimal polynomial of ``c``);
* :func:`rational_between` -- a rational strictly between two numbers;
* :meth:`RealAlgebraic.to_sympy` -- a rational, a radical (degree 2) or a
  ``CRootOf`` (higher degree).

Example
-------
>>> from flint import fmpq_poly
>>> roots = real_roots(fmpq_poly([-2, 0, 1]) * fmpq_poly([-1, 3]))  # (t^2 - 2)(3t - 1)
>>> [r.to_sympy() for r in roots]
[-sqrt(2), 1/3, sqrt(2)]
>>> compare(roots[2], RealAlgebraic('7/5')), sign_at(fmpq_poly([-3, 0, 2]), roots[2])
(1, 1)
>>> value_at(fmpq_poly([0, 1, 1]), roots[2])  # t + t^2 at sqrt(2)
sqrt(2) + 2
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

import sympy
from sympy.polys.polyerrors import NotAlgebraic
from flint import fmpq, fmpq_poly

from ..core.budget import time_budget
from ..core.errors import InvalidArgumentError
from ..core.exact import as_sympy, fmpq_to_sympy, sympy_to_fmpq, to_exact, to_fmpq
from ..core.zero import certify_sign
from ..core.texts import brief

__all__ = [
    "RealAlgebraic", "compare", "sort_distinct", "sign_at", "value_at", "rational_between",
    "real_roots", "fmpq_poly_from_sympy",
]

_T = sympy.Symbol("t")


def _sgn(q: fmpq) -> int:
    return 1 if q > 0 else (-1 if q < 0 else 0)


def _sympy_poly(p: fmpq_poly) -> sympy.Poly:
    return sympy.Poly([fmpq_to_sympy(c) for c in reversed(p.coeffs())], _T, domain=sympy.QQ)


def fmpq_poly_from_sympy(poly: sympy.Poly) -> fmpq_poly:
    """The python-flint polynomial with the coefficients of a univariate sympy ``Poly`` over Q.

    >>> fmpq_poly_from_sympy(sympy.Poly(sympy.Rational(1, 2) * _T**2 - 3, _T))
    1/2*x^2 + (-3)
    """
    if not isinstance(poly, sympy.Poly) or len(poly.gens) != 1:
        raise InvalidArgumentError(f"poly={brief(poly)} must be a univariate sympy.Poly, e.g. sympy.Poly(t**2 - 2, t)")
    coeffs = poly.all_coeffs()
    if not all(as_sympy(c).is_Rational for c in coeffs):
        raise InvalidArgumentError(f"poly={brief(poly.as_expr(), str)} must have rational coefficients")
    return fmpq_poly([sympy_to_fmpq(sympy.Rational(c)) for c in reversed(coeffs)])


class RealAlgebraic:
    """An exact real algebraic number.

    ``RealAlgebraic(value)`` accepts any exact real algebraic number: a
    rational (int, Fraction, ``fmpq``, string such as ``'1/3'``) or a sympy
    expression such as ``sqrt(2)`` or ``CRootOf(t**3 - 2, 0)`` (located by its
    minimal polynomial and a certified sign).  :meth:`rational` is the fast
    path for an ``fmpq``; :func:`real_roots` builds the roots of a polynomial.

    Attributes
    ----------
    exact : fmpq or None -- the value, when rational.
    poly : fmpq_poly or None -- the monic irreducible minimal polynomial (degree >= 2).
    lo, hi : fmpq or None -- an open isolating interval ``(lo, hi)`` of the root;
        :meth:`refine` halves it (the number is unchanged).

    See Also
    --------
    compare, real_roots, value_at

    Example
    -------
    >>> r = RealAlgebraic(sympy.sqrt(2) / 2)
    >>> r.is_rational, r.poly, r.to_sympy()
    (False, x^2 + (-1/2), sqrt(2)/2)
    >>> RealAlgebraic('3/4').exact
    3/4
    """

    __slots__ = ("poly", "lo", "hi", "exact", "_sympoly")

    # invariant: ``exact`` is set (rational) xor ``poly``, ``lo``, ``hi`` are (irrational)
    exact: fmpq | None
    poly: fmpq_poly | None
    lo: fmpq | None
    hi: fmpq | None
    _sympoly: sympy.Poly | None

    def __init__(self, value: Any, *, name: str = "value") -> None:
        expr = to_exact(value, name)
        if expr.is_Rational:
            self._set(sympy_to_fmpq(expr), None, None, None)
            return
        if expr.free_symbols or expr.is_real is False:
            raise InvalidArgumentError(f"{name}={brief(value)} must be an exact real number")
        with time_budget(None, f"the minimal polynomial of {name}={brief(expr, str)}"):
            try:
                mp = sympy.minimal_polynomial(expr, _T)
            except NotAlgebraic:
                raise InvalidArgumentError(
                    f"{name}={brief(value)} is not an algebraic number (e.g. pi or E); "
                    "RealAlgebraic holds real roots of rational polynomials such as sqrt(2)"
                ) from None
        q = fmpq_poly_from_sympy(sympy.Poly(mp, _T))
        q = q / q.leading_coefficient()
        if q.degree() == 1:
            self._set(-q[0], None, None, None)
            return
        for r in _real_roots_of_irreducible(q):
            r_poly, r_lo, r_hi = r._isolation()
            if certify_sign(expr - fmpq_to_sympy(r_lo)) == 1 and certify_sign(expr - fmpq_to_sympy(r_hi)) == -1:
                self._set(None, r_poly, r_lo, r_hi)
                return
        raise InvalidArgumentError(f"{name}={brief(value)}: could not locate this algebraic number exactly")

    def _set(self, exact: fmpq | None, poly: fmpq_poly | None, lo: fmpq | None, hi: fmpq | None) -> None:
        self.exact = exact
        self.poly = poly
        self.lo = lo
        self.hi = hi
        self._sympoly = None

    @classmethod
    def rational(cls, value: Any, *, name: str = "value") -> "RealAlgebraic":
        """The rational number ``value`` (no conversion cost for an ``fmpq``).

        >>> RealAlgebraic.rational(fmpq(-2, 3)).to_sympy()
        -2/3
        """
        q = value if isinstance(value, fmpq) else to_fmpq(value, name)
        obj = cls.__new__(cls)
        obj._set(q, None, None, None)
        return obj

    @classmethod
    def _root(cls, poly: fmpq_poly, lo: fmpq, hi: fmpq) -> "RealAlgebraic":
        """The root of the monic irreducible ``poly`` isolated in ``(lo, hi)`` (trusted)."""
        obj = cls.__new__(cls)
        obj._set(None, poly, lo, hi)
        return obj

    @property
    def is_rational(self) -> bool:
        """True when the number is rational (``exact`` is set)."""
        return self.exact is not None

    def _isolation(self) -> tuple[fmpq_poly, fmpq, fmpq]:
        """``(poly, lo, hi)`` of an irrational number (all set exactly when ``exact`` is None)."""
        poly, lo, hi = self.poly, self.lo, self.hi
        assert poly is not None and lo is not None and hi is not None, "a rational has no isolating interval"
        return poly, lo, hi

    def lower(self) -> fmpq:
        """A rational lower bound: the value itself, or the isolating interval's left end.

        >>> RealAlgebraic(sympy.sqrt(2)).lower() < fmpq(3, 2)
        True
        """
        return self.exact if self.exact is not None else self._isolation()[1]

    def upper(self) -> fmpq:
        """A rational upper bound: the value itself, or the isolating interval's right end.

        >>> RealAlgebraic(sympy.sqrt(2)).upper() > fmpq(7, 5)
        True
        """
        return self.exact if self.exact is not None else self._isolation()[2]

    def refine(self) -> None:
        """Halve the isolating interval (no-op for rationals).

        >>> r = RealAlgebraic(sympy.sqrt(2))
        >>> width = r.hi - r.lo
        >>> r.refine(); r.hi - r.lo == width / 2
        True
        """
        if self.exact is not None:
            return
        poly, lo, hi = self._isolation()
        mid = (lo + hi) / 2
        if _sgn(poly(lo)) * _sgn(poly(mid)) < 0:
            self.hi = mid
        else:
            self.lo = mid

    def _sympy_poly(self) -> sympy.Poly:
        if self._sympoly is None:
            self._sympoly = _sympy_poly(self._isolation()[0])
        return self._sympoly

    def to_sympy(self) -> sympy.Expr:
        """Rational, radical (degree 2) or ``CRootOf`` (higher degree).

        >>> from flint import fmpq_poly
        >>> [r.to_sympy() for r in real_roots(fmpq_poly([-2, 0, 0, 1]))]
        [CRootOf(t**3 - 2, 0)]
        """
        if self.exact is not None:
            return fmpq_to_sympy(self.exact)
        poly = self._isolation()[0]
        coeffs = poly.coeffs()
        if poly.degree() == 2:
            c, b = fmpq_to_sympy(coeffs[0]), fmpq_to_sympy(coeffs[1])
            disc = sympy.sqrt(b**2 - 4 * c)
            minus = _compare(self, RealAlgebraic.rational(sympy_to_fmpq(-b / 2))) < 0
            return sympy.expand((-b - disc) / 2) if minus else sympy.expand((-b + disc) / 2)
        roots = _real_roots_of_irreducible(poly)
        index = next(i for i, r in enumerate(roots) if _compare(r, self) == 0)
        return sympy.CRootOf(self._sympy_poly().as_expr(), index)

    def __repr__(self) -> str:
        return f"RealAlgebraic({brief(self.to_sympy(), str)})"


def _check_real(value: Any, name: str) -> RealAlgebraic:
    if not isinstance(value, RealAlgebraic):
        raise InvalidArgumentError(
            f"{name}={brief(value)} must be a RealAlgebraic; build one with RealAlgebraic(value) or real_roots(poly)"
        )
    return value


def _check_poly(value: Any, name: str) -> fmpq_poly:
    if not isinstance(value, fmpq_poly):
        raise InvalidArgumentError(
            f"{name}={brief(value)} must be a python-flint fmpq_poly, e.g. flint.fmpq_poly([-2, 0, 1]) for t^2 - 2"
        )
    return value


# ------------------------------------------------------------------------------------------
# order
# ------------------------------------------------------------------------------------------
def _compare(a: RealAlgebraic, b: RealAlgebraic) -> int:
    if a is b:
        return 0
    if a.exact is not None and b.exact is not None:
        return _sgn(a.exact - b.exact)
    if a.exact is None and b.exact is None and a.poly == b.poly:
        # same irreducible polynomial: equal iff a's isolating interval fits inside b's
        while True:
            _, a_lo, a_hi = a._isolation()
            _, b_lo, b_hi = b._isolation()
            if a_hi <= b_lo:
                return -1
            if b_hi <= a_lo:
                return 1
            if (b_lo <= a_lo and a_hi <= b_hi) or (a_lo <= b_lo and b_hi <= a_hi):
                return 0  # an isolating interval contains the other root: the same root
            a.refine()  # b stays: if a == b, a's interval ends up inside b's
    while True:  # distinct numbers (different minimal polynomials): separate the intervals
        if a.upper() < b.lower() or (a.exact is not None and a.exact <= b.lower() and b.exact is None):
            return -1
        if b.upper() < a.lower() or (b.exact is not None and b.exact <= a.lower() and a.exact is None):
            return 1
        if a.exact is None and b.exact is not None and a.upper() <= b.exact:  # a.upper() is a.hi
            return -1
        if b.exact is None and a.exact is not None and b.upper() <= a.exact:  # b.upper() is b.hi
            return 1
        a.refine()
        b.refine()


def compare(a: RealAlgebraic, b: RealAlgebraic) -> int:
    """Exact order of two real algebraic numbers: -1, 0 or +1.

    Refines the isolating intervals in place until they separate (the numbers
    themselves never change).

    >>> sqrt2 = RealAlgebraic(sympy.sqrt(2))
    >>> compare(sqrt2, RealAlgebraic('99/70')), compare(sqrt2, RealAlgebraic('140/99')), compare(sqrt2, sqrt2)
    (-1, 1, 0)
    """
    return _compare(_check_real(a, "a"), _check_real(b, "b"))


_cmp_key = functools.cmp_to_key(_compare)


def sort_distinct(reals: Iterable[RealAlgebraic]) -> list[RealAlgebraic]:
    """The numbers in increasing order, each value once (the first object given for it is kept).

    >>> sort_distinct([RealAlgebraic(2), RealAlgebraic(sympy.sqrt(2)), RealAlgebraic('2')])
    [RealAlgebraic(sqrt(2)), RealAlgebraic(2)]
    """
    found = [_check_real(r, f"reals[{i}]") for i, r in enumerate(reals)]
    if not found:
        return []
    found.sort(key=_cmp_key)
    distinct = [found[0]]
    for r in found[1:]:
        if _compare(distinct[-1], r) != 0:
            distinct.append(r)
    return distinct


def rational_between(a: RealAlgebraic, b: RealAlgebraic) -> fmpq:
    """A rational strictly between ``a < b`` (the midpoint of separated bounds).

    >>> rational_between(RealAlgebraic(0), RealAlgebraic(1))
    1/2
    """
    _check_real(a, "a")
    _check_real(b, "b")
    if _compare(a, b) >= 0:
        raise InvalidArgumentError(f"a={brief(a)} must be smaller than b={brief(b)}")
    return _rational_between(a, b)


def _rational_between(a: RealAlgebraic, b: RealAlgebraic) -> fmpq:
    while True:
        ua, lb = a.upper(), b.lower()
        if ua < lb:
            return (ua + lb) / 2
        a.refine()
        b.refine()


# ------------------------------------------------------------------------------------------
# polynomials at real algebraic numbers
# ------------------------------------------------------------------------------------------
def sign_at(p: fmpq_poly, c: RealAlgebraic) -> int:
    """The exact sign of ``p(c)``: -1, 0 or +1.

    >>> from flint import fmpq_poly
    >>> r = RealAlgebraic(sympy.sqrt(2))
    >>> sign_at(fmpq_poly([-2, 0, 1]), r), sign_at(fmpq_poly([-1, 1]), r), sign_at(fmpq_poly([-3, 2]), r)
    (0, 1, -1)
    """
    return _sign_at(_check_poly(p, "p"), _check_real(c, "c"))


def _sign_at(p: fmpq_poly, c: RealAlgebraic) -> int:
    if p.degree() <= 0:
        return _sgn(p[0]) if p.degree() == 0 else 0
    if c.exact is not None:
        return _sgn(p(c.exact))
    r = p % c._isolation()[0]
    if r.is_zero():
        return 0
    if r.degree() == 0:
        return _sgn(r[0])
    rs = _sympy_poly(r)
    while rs.count_roots(fmpq_to_sympy(c.lower()), fmpq_to_sympy(c.upper())) > 0:  # (c.lo, c.hi)
        c.refine()
    return _sgn(r(c.lower()))


def value_at(p: fmpq_poly, c: RealAlgebraic) -> sympy.Expr:
    """``p(c)`` exactly, as a sympy number (``p`` reduced modulo the minimal polynomial of ``c``).

    >>> from flint import fmpq_poly
    >>> value_at(fmpq_poly([1, 0, 0, 1]), RealAlgebraic(sympy.sqrt(2)))  # 1 + t^3
    1 + 2*sqrt(2)
    """
    return _value_at(_check_poly(p, "p"), _check_real(c, "c"))


def _value_at(p: fmpq_poly, c: RealAlgebraic) -> sympy.Expr:
    if c.exact is not None:
        return fmpq_to_sympy(p(c.exact)) if p.degree() >= 0 else sympy.Integer(0)
    c_poly = c._isolation()[0]
    r = p % c_poly if p.degree() >= c_poly.degree() else p
    if r.degree() <= 0:
        return fmpq_to_sympy(r[0]) if r.degree() == 0 else sympy.Integer(0)
    value = c.to_sympy()
    return sympy.expand(sum((fmpq_to_sympy(k) * value**i for i, k in enumerate(r.coeffs())), sympy.Integer(0)))


# ------------------------------------------------------------------------------------------
# root isolation
# ------------------------------------------------------------------------------------------
_IRREDUCIBLE_ROOTS: dict[tuple, list[RealAlgebraic]] = {}


def _real_roots_of_irreducible(q: fmpq_poly) -> list[RealAlgebraic]:
    """The real roots of a monic irreducible ``q`` of degree >= 2, increasing (cached)."""
    key = tuple(q.coeffs())
    cached = _IRREDUCIBLE_ROOTS.get(key)
    if cached is None:
        intervals = _sympy_poly(q).intervals()
        cached = [
            RealAlgebraic._root(q, sympy_to_fmpq(sympy.Rational(a)), sympy_to_fmpq(sympy.Rational(b)))
            for (a, b), _ in intervals
        ]
        _IRREDUCIBLE_ROOTS[key] = cached
    # fresh copies: refinement mutates the intervals
    return [RealAlgebraic._root(*r._isolation()) for r in cached]


def real_roots(p: fmpq_poly) -> list[RealAlgebraic]:
    """The distinct real roots of ``p``, in increasing order (none for constants and for 0).

    ``p`` is factored into irreducibles over Q (python-flint); linear factors
    give rationals, the others isolated roots of their monic form.

    >>> from flint import fmpq_poly
    >>> real_roots(fmpq_poly([0, -1, 0, 1]))  # t^3 - t
    [RealAlgebraic(-1), RealAlgebraic(0), RealAlgebraic(1)]
    >>> real_roots(fmpq_poly([1, 0, 1]))
    []
    """
    return sort_distinct(_real_roots(_check_poly(p, "p")))


def _real_roots(p: fmpq_poly) -> list[RealAlgebraic]:
    """The distinct real roots of ``p``, unsorted (in the order of its irreducible factors)."""
    if p.degree() <= 0:
        return []
    _, factors = p.factor()
    roots: list[RealAlgebraic] = []
    for q, _ in factors:
        q = q / q.leading_coefficient()
        if q.degree() == 1:
            roots.append(RealAlgebraic.rational(-q[0]))
        else:
            roots.extend(_real_roots_of_irreducible(q))
    return roots
