"""Vectors over one cyclotomic field Q(zeta_M), kept coordinate by coordinate.

A :class:`CyclotomicVector` holds ``size`` elements of Q(zeta_M), each reduced
modulo Phi_M (the canonical power-basis form of
:class:`~symequi.arith.cyclotomic.CyclotomicElement`), stored *by coordinate*:
column ``c`` (``c < phi(M)``) is one python-flint ``fmpq_poly`` whose
coefficient ``j`` is coordinate ``c`` of entry ``j``.  So a whole vector is
``phi(M)`` flint polynomials: sums, rational scalings, equality and the
rationality test are a few flint calls, and column 0 of a rational vector is
the vector itself.  Sympy expressions (``c_0 + sum_k c_k cos(2 pi k/M)``) are
built only when asked for (:meth:`CyclotomicVector.entry_exprs`).

A :class:`~symequi.core.signal.Signal` built with
:meth:`~symequi.core.signal.Signal.from_field` keeps such a vector (the
band-limited shift of a rational signal is one) and uses it for ``==``,
``+``, ``-`` and rational scalings.

Example
-------
>>> from symequi.arith.cyclotomic import CyclotomicElement
>>> from symequi.arith.cyclotomic_vector import CyclotomicVector
>>> i = CyclotomicElement.zeta(4)
>>> v = CyclotomicVector.from_elements([i, i + 1, CyclotomicElement.rational(2)])
>>> v.order, v.size, [str(c) for c in v.columns]
(4, 3, ['2*x^2 + x', 'x + 1'])
>>> v.entry_exprs()
[I, 1 + I, 2]
>>> (v - v).rational_entries()
0
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import flint
import sympy

from ..core.errors import InvalidArgumentError
from .cyclotomic import CyclotomicElement, cyclotomic_polynomial, to_cyclotomic
from ..core.texts import brief

__all__ = ["CyclotomicVector", "VectorTaps", "join_columns", "split_columns", "reduce_columns"]


def join_columns(columns: Sequence[Any], stride: int) -> Any:
    """``sum_c columns[c] * x**(c * stride)`` (each column of degree < ``stride``),
    joined pairwise so that every coefficient is copied O(log(len(columns))) times.

    >>> join_columns([flint.fmpq_poly([1, 2]), flint.fmpq_poly([3])], 2)
    3*x^2 + 2*x + 1
    """
    if not columns:
        return flint.fmpq_poly()
    if len(columns) == 1:
        return columns[0]
    half = len(columns) // 2
    return join_columns(columns[:half], stride) + join_columns(columns[half:], stride).left_shift(half * stride)


def split_columns(poly: Any, stride: int, count: int) -> list[Any]:
    """The inverse of :func:`join_columns`: ``count`` blocks of ``stride`` coefficients
    (a ``fmpq_poly`` or ``fmpz_poly``), split pairwise.

    >>> split_columns(flint.fmpq_poly([1, 2, 3]), 2, 2)
    [2*x + 1, 3]
    """
    if count == 1:
        return [poly.truncate(stride) if poly.length() > stride else poly]
    half = count // 2
    low = poly.truncate(half * stride) if poly.length() > half * stride else poly
    high = poly.right_shift(half * stride)
    return split_columns(low, stride, half) + split_columns(high, stride, count - half)


@functools.lru_cache(maxsize=64)
def _inflated_cyclotomic(order: int, stride: int) -> flint.fmpz_poly:
    """Phi_order(x**stride): dividing by it reduces every column of a coordinate-major
    polynomial modulo Phi_order at once (the divisor is a polynomial in x**stride)."""
    phi = flint.fmpz_poly.cyclotomic(order)
    coeffs: list[Any] = [0] * (phi.degree() * stride + 1)
    for c, value in enumerate(phi.coeffs()):
        coeffs[c * stride] = value
    return flint.fmpz_poly(coeffs)


def reduce_columns(columns: Sequence[Any], order: int, stride: int) -> list[Any]:
    """The coordinate columns ``columns`` (column ``e`` holds the coefficients of
    ``zeta**e``, each a ``fmpz_poly`` or ``fmpq_poly`` of degree < ``stride``) reduced
    modulo Phi_order: ``phi(order)`` columns, the canonical coordinates.

    When Phi_order has few nonzero terms (Phi_order(x) = Phi_rad(x**(order/rad)), so
    e.g. 2 for powers of two, 3 for 2^a 3^b) the top columns are folded down one by
    one (a few flint additions each); otherwise the columns are joined into one
    polynomial and divided once by Phi_order(x**stride), which is a polynomial in
    ``x**stride`` while every column has degree < ``stride``, so the remainder is the
    columnwise one.

    >>> [c.coeffs() for c in reduce_columns([flint.fmpz_poly([v]) for v in (1, 2, 0, 5)], 4, 1)]
    [[1], [-3]]
    """
    phi = flint.fmpz_poly.cyclotomic(order)
    degree = phi.degree()
    cols = list(columns)
    if len(cols) <= degree:
        return cols + [type(cols[0])() if cols else flint.fmpz_poly()] * (degree - len(cols))
    terms = [(i, int(c)) for i, c in enumerate(phi.coeffs()[:degree]) if c != 0]
    if len(terms) * (len(cols) - degree) <= 8 * len(cols):
        for e in range(len(cols) - 1, degree - 1, -1):  # zeta**e = -sum_i phi_i zeta**(e - degree + i)
            top = cols[e]
            if top.is_zero():
                continue
            for i, c in terms:
                target = e - degree + i
                cols[target] = cols[target] - top * c if c != 1 else cols[target] - top
        return cols[:degree]
    remainder = join_columns(cols, stride) % _inflated_cyclotomic(order, stride)
    return split_columns(remainder, stride, degree)


class CyclotomicVector:
    """``size`` elements of Q(zeta_order), stored as ``phi(order)`` coordinate columns.

    Build one with :meth:`from_elements` (or, for computed data, :meth:`from_columns`);
    read it with :meth:`element`, :meth:`entry_exprs`, :meth:`rational_entries`.

    Example
    -------
    >>> from symequi.arith.cyclotomic import cos_pi
    >>> v = CyclotomicVector.from_elements([cos_pi('1/4'), cos_pi('1/4') * 2])
    >>> (v.scale(flint.fmpq(2)) - v - v).rational_entries()
    0
    >>> v == v.scale(flint.fmpq(1)), v.entry_exprs()
    (True, [sqrt(2)/2, sqrt(2)])
    """

    __slots__ = ("columns", "order", "size")

    def __init__(self, columns: Sequence[flint.fmpq_poly], order: int, size: int) -> None:
        degree = cyclotomic_polynomial(order).degree()
        if len(columns) != degree or any(c.degree() >= size for c in columns):
            raise InvalidArgumentError(
                f"columns must be phi({brief(order, str)}) = {brief(degree, str)} polynomials of degree < size={brief(size, str)} "
                f"(got {len(columns)}); build vectors with CyclotomicVector.from_elements"
            )
        self.columns: tuple[flint.fmpq_poly, ...] = tuple(columns)
        self.order = int(order)
        self.size = int(size)

    @classmethod
    def from_columns(cls, columns: Sequence[Any], order: int, size: int) -> "CyclotomicVector":
        """A vector from coordinate columns (column ``e``: the coefficients of ``zeta**e``,
        any number of columns, reduced here modulo Phi_order).

        >>> CyclotomicVector.from_columns([flint.fmpq_poly([1]), flint.fmpq_poly([0, 1]),
        ...                                flint.fmpq_poly([1, 1])], 4, 2).entry_exprs()
        [0, -1 + I]
        """
        degree = cyclotomic_polynomial(order).degree()
        if len(columns) <= degree:
            padded = [flint.fmpq_poly(c) for c in columns] + [flint.fmpq_poly()] * (degree - len(columns))
            return cls(padded, order, size)
        return cls([flint.fmpq_poly(c) for c in reduce_columns(columns, order, size)], order, size)

    @classmethod
    def from_elements(cls, elements: Sequence[Any]) -> "CyclotomicVector":
        """A vector from CyclotomicElement (or rational) entries, in Q(zeta_lcm of their orders).

        >>> CyclotomicVector.from_elements([CyclotomicElement.zeta(3), 1]).order
        3
        """
        items = [e if isinstance(e, CyclotomicElement) else CyclotomicElement.rational(e) for e in elements]
        if not items:
            raise InvalidArgumentError("elements is empty; a vector needs at least one entry")
        order = math.lcm(*(e.order for e in items))
        degree = cyclotomic_polynomial(order).degree()
        coords = [[flint.fmpq(0)] * len(items) for _ in range(degree)]
        for j, e in enumerate(items):
            poly = e.lift(order).poly if not e.is_rational else e.poly
            for c, value in enumerate(poly.coeffs()):
                coords[c][j] = value
        return cls([flint.fmpq_poly(col) for col in coords], order, len(items))

    # --- reading ---------------------------------------------------------------------
    def element(self, j: int) -> CyclotomicElement:
        """Entry ``j`` as a CyclotomicElement.

        >>> CyclotomicVector.from_elements([CyclotomicElement.zeta(4)]).element(0) == CyclotomicElement.zeta(4)
        True
        """
        return CyclotomicElement._raw(flint.fmpq_poly([col[j] for col in self.columns]), self.order)  # reduced already

    def entry_expr(self, j: int) -> sympy.Expr:
        """Entry ``j`` as a sympy expression (CyclotomicElement.to_sympy)."""
        return self.element(j).to_sympy()

    def entry_exprs(self) -> list[sympy.Expr]:
        """Every entry as a sympy expression, in order."""
        coeffs = [c.coeffs() for c in self.columns]
        zero = flint.fmpq(0)
        return [
            CyclotomicElement(flint.fmpq_poly([col[j] if j < len(col) else zero for col in coeffs]),
                              self.order).to_sympy()
            for j in range(self.size)
        ]

    def rational_entries(self) -> flint.fmpq_poly | None:
        """The entries as one fmpq_poly (coefficient ``j`` = entry ``j``) when all are
        rational, else None."""
        if all(c.is_zero() for c in self.columns[1:]):
            return self.columns[0]
        return None

    # --- arithmetic --------------------------------------------------------------------
    def lift(self, order: int) -> "CyclotomicVector":
        """The same entries in Q(zeta_order), ``order`` a multiple of ``self.order``.

        >>> CyclotomicVector.from_elements([CyclotomicElement.zeta(2)]).lift(4).rational_entries().coeffs()
        [-1]
        """
        if order % self.order:
            raise InvalidArgumentError(
                f"order={brief(order, str)} is not a multiple of {brief(self.order, str)}; a field embeds only into Q(zeta_L) "
                "for multiples L"
            )
        if order == self.order:
            return self
        step = order // self.order
        spread: list[Any] = [flint.fmpq_poly()] * (step * (len(self.columns) - 1) + 1)
        for c, col in enumerate(self.columns):
            spread[c * step] = col
        return CyclotomicVector.from_columns(spread, order, self.size)

    def _common(self, other: "CyclotomicVector") -> tuple["CyclotomicVector", "CyclotomicVector"]:
        if other.size != self.size:
            raise InvalidArgumentError(f"vectors of sizes {brief(self.size, str)} and {brief(other.size, str)} do not combine")
        if other.order == self.order:
            return self, other
        order = math.lcm(self.order, other.order)
        return self.lift(order), other.lift(order)

    def add(self, other: "CyclotomicVector | flint.fmpq_poly", sign: int = 1) -> "CyclotomicVector":
        """``self + sign * other`` for a vector or a rational fmpq_poly (flat entries), sign +-1."""
        if isinstance(other, flint.fmpq_poly):
            first = self.columns[0] + other if sign > 0 else self.columns[0] - other
            return CyclotomicVector((first,) + self.columns[1:], self.order, self.size)
        a, b = self._common(other)
        cols = [x + y for x, y in zip(a.columns, b.columns)] if sign > 0 else \
            [x - y for x, y in zip(a.columns, b.columns)]
        return CyclotomicVector(cols, a.order, a.size)

    def __add__(self, other: "CyclotomicVector") -> "CyclotomicVector":
        return self.add(other, 1)

    def __sub__(self, other: "CyclotomicVector") -> "CyclotomicVector":
        return self.add(other, -1)

    def scale(self, factor: flint.fmpq) -> "CyclotomicVector":
        """Every entry times the rational ``factor``."""
        return CyclotomicVector([c * factor for c in self.columns], self.order, self.size)

    def equals(self, other: "CyclotomicVector") -> bool:
        """Exact entrywise equality (canonical forms compared column by column)."""
        if other.size != self.size:
            return False
        a, b = self._common(other)
        return a.columns == b.columns

    def coerce(self, exprs: Sequence[sympy.Expr]) -> "CyclotomicVector | None":
        """The vector of ``exprs`` read into cyclotomic fields (:func:`to_cyclotomic`), or None
        when some entry is not cyclotomic (a symbol, ``pi``, a cube root of 2).

        >>> v = CyclotomicVector.from_elements([CyclotomicElement.zeta(8)])
        >>> v.equals(v.coerce([sympy.sqrt(2) / 2 + sympy.I * sympy.sqrt(2) / 2])), v.coerce([sympy.pi])
        (True, None)
        """
        try:
            return CyclotomicVector.from_elements([to_cyclotomic(e) for e in exprs])
        except InvalidArgumentError:
            return None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CyclotomicVector):
            return NotImplemented
        return self.equals(other)

    def __hash__(self) -> int:
        # Equal vectors of different fields must hash alike: the size is the whole hash.
        return hash(("CyclotomicVector", self.size))

    def __repr__(self) -> str:
        return f"CyclotomicVector({brief(self.entry_exprs(), str)}, order={brief(self.order, str)})"


class VectorTaps(Mapping[int, CyclotomicElement]):
    """The taps ``{m: h_m}``, ``m = 0 .. size-1``, of a circulant whose taps are a
    :class:`CyclotomicVector`: what :meth:`~symequi.core.operator.Operator.circulant_taps`
    returns for them.  It reads like a dict of CyclotomicElements, and keeps ``vector``,
    so the linear decider's circulant path uses the coordinate columns directly (building
    the ``size`` elements and taking them apart again costs ``size * phi(M)`` steps).

    >>> from symequi.arith.cyclotomic import cos_pi
    >>> taps = VectorTaps(CyclotomicVector.from_elements([cos_pi('1/4'), cos_pi('3/4')]))
    >>> sorted(taps), taps[1].to_sympy(), len(taps)
    ([0, 1], -sqrt(2)/2, 2)
    """

    __slots__ = ("vector",)

    def __init__(self, vector: CyclotomicVector) -> None:
        if not isinstance(vector, CyclotomicVector):
            raise InvalidArgumentError(f"vector must be a CyclotomicVector, not {type(vector).__name__}")
        self.vector = vector

    def __getitem__(self, m: int) -> CyclotomicElement:
        if not isinstance(m, int) or not 0 <= m < self.vector.size:
            raise KeyError(m)
        return self.vector.element(m)

    def __iter__(self) -> Iterator[int]:
        return iter(range(self.vector.size))

    def __len__(self) -> int:
        return self.vector.size

    def __repr__(self) -> str:
        return f"VectorTaps(<{brief(self.vector.size, str)} taps in Q(zeta_{brief(self.vector.order, str)})>)"
