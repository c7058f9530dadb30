"""Polynomials in formal coefficients and a Laurent variable, over cyclotomic fields.

A :class:`FormalLaurent` is a finite sum

    sum  c * a_{i_1} a_{i_2} ... a_{i_r} * E^e,      c in Q(zeta_M), e in Z,

where ``a_0, a_1, ...`` are formal symbols (commuting, any degree) and ``E``
is a formal variable that may carry negative powers.  Coefficients are exact
:class:`~symequi.arith.cyclotomic.CyclotomicElement` values (canonical forms), and
zero coefficients are dropped, so :attr:`FormalLaurent.is_zero` and ``==`` are
exact tests: two FormalLaurent values are equal iff they are equal as
polynomials, i.e. for every value of every ``a_i`` and every nonzero ``E``.

symequi uses them to prove statements "for every real shift s": the taps of
the band-limited shift are Laurent polynomials in ``E = exp(-2 pi i s/N)``
(:mod:`symequi.translations.fourier_symbolic`), and an identity between Laurent
polynomials holds for every value of ``E``, hence for every ``s``.

:func:`formal_vector` and :func:`formal_matvec` lift vectors and exact
matrices (e.g. :meth:`symequi.arith.cyclotomic_linear.CyclotomicLinear.cyclotomic_matrix`)
to this arithmetic.

Example
-------
>>> from symequi.arith.formal_laurent import FormalLaurent
>>> a, E = FormalLaurent.symbol(0), FormalLaurent.e_power(1)
>>> ((a * E + 1) ** 2).to_sympy()
E**2*a0**2 + 2*E*a0 + 1
>>> (a + 1) * (a - 1) == a * a - 1
True
"""

from __future__ import annotations

import operator
import types
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import flint
import sympy

from .cyclotomic import CyclotomicElement, to_cyclotomic
from ..core.errors import InvalidArgumentError
from ..core.exact import to_exact
from ..core.texts import brief

__all__ = ["FormalLaurent", "E", "formal_vector", "formal_matvec"]

#: The Laurent variable ``E`` as printed by :meth:`FormalLaurent.to_sympy`.
E = sympy.Symbol("E")

#: A term key: (sorted tuple of symbol indices, with repetition; power of E).
Key = tuple[tuple[int, ...], int]


def _coefficient(value: Any, name: str) -> CyclotomicElement:
    """``value`` as a cyclotomic number (exact rationals, cyclotomic sympy expressions)."""
    if isinstance(value, CyclotomicElement):
        return value
    if isinstance(value, (int, flint.fmpq)) and not isinstance(value, bool):
        return CyclotomicElement.rational(value)
    expr = to_exact(value, name)
    if expr.is_Rational:
        return CyclotomicElement.rational(expr)
    try:
        return to_cyclotomic(expr)
    except InvalidArgumentError as err:
        raise InvalidArgumentError(
            f"{name}={brief(value)} is not a number of a cyclotomic field ({brief(err, str)}); coefficients of a "
            "FormalLaurent must be rationals or cyclotomic numbers such as sqrt(2) or cos(pi/5); "
            "use FormalLaurent.symbol(i) for an unknown"
        ) from None


def _index(value: Any, name: str, *, minimum: int | None = None) -> int:
    if isinstance(value, bool):
        raise InvalidArgumentError(f"{name}={brief(value)} must be an int, not a bool")
    try:
        number = operator.index(value)
    except TypeError:
        raise InvalidArgumentError(f"{name}={brief(value)} must be an int (such as 2)") from None
    if minimum is not None and number < minimum:
        raise InvalidArgumentError(f"{name}={brief(value)} must be >= {brief(minimum, str)}")
    return int(number)


def add_term(out: dict[Key, CyclotomicElement], key: Key, value: CyclotomicElement) -> None:
    """Add ``value`` to the coefficient of ``key`` in the term dictionary ``out`` (zeros are kept;
    :meth:`FormalLaurent._raw` drops them).

    >>> out = {}
    >>> add_term(out, ((0,), 1), CyclotomicElement.rational(2)); add_term(out, ((0,), 1), CyclotomicElement.rational(-2))
    >>> out[((0,), 1)].is_zero
    True
    """
    if key in out:
        out[key] = out[key] + value
    else:
        out[key] = value


class FormalLaurent:
    """A polynomial in formal symbols ``a_i`` and a Laurent polynomial in ``E``,
    with exact cyclotomic coefficients.

    Build values with :meth:`constant`, :meth:`symbol` and :meth:`e_power`
    (or from a mapping of terms) and combine them with ``+ - *`` and
    non-negative integer powers; exact numbers (ints, Fractions, fmpq, sympy
    rationals, :class:`~symequi.arith.cyclotomic.CyclotomicElement`) mix in as
    constants.  Values are immutable.

    Parameters
    ----------
    terms : mapping ``{(monomial, e): coefficient}``, optional
        ``monomial`` is a tuple of symbol indices (``(0, 0, 2)`` is
        ``a_0**2 a_2``; the order does not matter), ``e`` the power of ``E``,
        ``coefficient`` an exact number.  Default: the zero polynomial.

    See Also
    --------
    formal_matvec : exact matrices acting on vectors of FormalLaurent values.
    symequi.translations.fourier_symbolic.fourier_taps_laurent : the band-limited shift's taps.

    Example
    -------
    >>> FormalLaurent({((0, 1), -1): '1/2', ((), 0): 3}).to_sympy()
    3 + a0*a1/(2*E)
    >>> FormalLaurent.constant('1/2') * 2 == 1
    True
    """

    __slots__ = ("_terms",)

    def __init__(self, terms: Mapping[Any, Any] | None = None) -> None:
        if terms is None:
            terms = {}
        if not isinstance(terms, Mapping):
            raise InvalidArgumentError(
                f"terms={brief(terms)} must be a mapping {{(monomial, e): coefficient}}, "
                "e.g. {((0,), 1): 2} for 2*a0*E"
            )
        out: dict[Key, CyclotomicElement] = {}
        for key, value in terms.items():
            if not (isinstance(key, tuple) and len(key) == 2 and isinstance(key[0], (tuple, list))):
                raise InvalidArgumentError(
                    f"terms key {brief(key)} must be a pair (monomial, e) with monomial a tuple of symbol "
                    "indices, e.g. ((0, 0), -1) for a0**2/E"
                )
            monomial = tuple(sorted(_index(i, "symbol index", minimum=0) for i in key[0]))
            e = _index(key[1], "power of E")
            add_term(out, (monomial, e), _coefficient(value, f"terms[{brief(key)}]"))
        self._terms = {k: c for k, c in out.items() if not c.is_zero}

    @classmethod
    def _raw(cls, terms: dict[Key, CyclotomicElement]) -> "FormalLaurent":
        """No validation; drops zero coefficients."""
        obj = cls.__new__(cls)
        obj._terms = {k: c for k, c in terms.items() if not c.is_zero}
        return obj

    # --- constructors --------------------------------------------------------------
    @classmethod
    def constant(cls, value: Any) -> "FormalLaurent":
        """The constant ``value`` (an exact rational or cyclotomic number).

        >>> FormalLaurent.constant('2/3').to_sympy()
        2/3
        """
        return cls._raw({((), 0): _coefficient(value, "value")})

    @classmethod
    def symbol(cls, index: int) -> "FormalLaurent":
        """The formal symbol ``a_index`` (``index >= 0``).

        >>> FormalLaurent.symbol(3).to_sympy()
        a3
        """
        return cls._raw({((_index(index, "index", minimum=0),), 0): CyclotomicElement.rational(1)})

    @classmethod
    def e_power(cls, power: int) -> "FormalLaurent":
        """``E ** power`` (any integer power).

        >>> FormalLaurent.e_power(-2).to_sympy()
        E**(-2)
        """
        return cls._raw({((), _index(power, "power")): CyclotomicElement.rational(1)})

    # --- inspection ----------------------------------------------------------------
    @property
    def terms(self) -> Mapping[Key, CyclotomicElement]:
        """The nonzero terms, read-only: ``{(monomial, e): coefficient}``.

        >>> dict(FormalLaurent.e_power(1).terms)
        {((), 1): CyclotomicElement(1, order=1)}
        """
        return types.MappingProxyType(self._terms)

    @property
    def is_zero(self) -> bool:
        """True iff every coefficient is zero (exact).

        >>> (FormalLaurent.symbol(0) - FormalLaurent.symbol(0)).is_zero
        True
        """
        return not self._terms

    # --- arithmetic ----------------------------------------------------------------
    def _coerce(self, other: Any) -> "FormalLaurent":
        if isinstance(other, FormalLaurent):
            return other
        return FormalLaurent._raw({((), 0): _coefficient(other, "other")})

    def __add__(self, other: Any) -> "FormalLaurent":
        out = dict(self._terms)
        for key, c in self._coerce(other)._terms.items():
            add_term(out, key, c)
        return FormalLaurent._raw(out)

    __radd__ = __add__

    def __neg__(self) -> "FormalLaurent":
        return FormalLaurent._raw({key: -c for key, c in self._terms.items()})

    def __sub__(self, other: Any) -> "FormalLaurent":
        return self + (-self._coerce(other))

    def __rsub__(self, other: Any) -> "FormalLaurent":
        return self._coerce(other) - self

    def __mul__(self, other: Any) -> "FormalLaurent":
        if not isinstance(other, FormalLaurent):
            scale = _coefficient(other, "other")
            return FormalLaurent._raw({key: c * scale for key, c in self._terms.items()})
        out: dict[Key, CyclotomicElement] = {}
        for (m1, e1), c1 in self._terms.items():
            for (m2, e2), c2 in other._terms.items():
                key = (tuple(sorted(m1 + m2)) if m1 and m2 else m1 or m2, e1 + e2)
                add_term(out, key, c1 * c2)
        return FormalLaurent._raw(out)

    __rmul__ = __mul__

    def __pow__(self, exponent: int) -> "FormalLaurent":
        exponent = _index(exponent, "exponent", minimum=0)
        result = FormalLaurent.constant(1)
        for _ in range(exponent):
            result = result * self
        return result

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FormalLaurent):
            try:
                other = self._coerce(other)
            except InvalidArgumentError:
                return NotImplemented
        return (self - other).is_zero

    __hash__ = None  # type: ignore[assignment]

    # --- substitution and conversion -----------------------------------------------
    def substitute_e(self, value: Any) -> "FormalLaurent":
        """Substitute ``E = value`` (an exact cyclotomic number; nonzero if a
        negative power of ``E`` occurs).  The result is free of ``E``.

        >>> from symequi.arith.cyclotomic import CyclotomicElement
        >>> (FormalLaurent.e_power(1) + FormalLaurent.e_power(-1)).substitute_e(CyclotomicElement.zeta(4))
        FormalLaurent(0)
        """
        point = _coefficient(value, "value")
        if point.is_zero and any(e < 0 for _, e in self._terms):
            raise InvalidArgumentError(
                "value=0 cannot be substituted for E: this FormalLaurent has negative powers of E"
            )
        out: dict[Key, CyclotomicElement] = {}
        for (m, e), c in self._terms.items():
            add_term(out, (m, 0), c * point ** e)
        return FormalLaurent._raw(out)

    def to_sympy(self, symbols: Sequence[sympy.Symbol] | None = None) -> sympy.Expr:
        """A sympy expression in the ``symbols`` (default ``a0, a1, ...``) and :data:`E`.

        ``symbols[i]`` stands for ``a_i``; it must be long enough.

        >>> FormalLaurent.symbol(1).to_sympy([sympy.Symbol('u'), sympy.Symbol('v')])
        v
        """
        used = max((i for m, _ in self._terms for i in m), default=-1)
        if symbols is None:
            symbols = [sympy.Symbol(f"a{i}") for i in range(used + 1)]
        elif len(symbols) <= used:
            raise InvalidArgumentError(
                f"symbols has {len(symbols)} entries but this FormalLaurent uses a{brief(used, str)}; "
                f"pass at least {brief(used + 1, str)} symbols"
            )
        total = sympy.Integer(0)
        for (m, e), c in sorted(self._terms.items(), key=lambda t: (t[0][1], t[0][0])):
            total += c.to_sympy() * sympy.Mul(*(symbols[i] for i in m)) * E ** e
        return total

    def __repr__(self) -> str:
        return f"FormalLaurent({brief(self.to_sympy(), str)})"


def formal_vector(values: Iterable[Any]) -> list[FormalLaurent]:
    """Exact numbers (or FormalLaurent values) as a vector of FormalLaurent entries.

    >>> formal_vector([1, '1/2'])
    [FormalLaurent(1), FormalLaurent(1/2)]
    """
    return [
        v if isinstance(v, FormalLaurent) else FormalLaurent._raw({((), 0): _coefficient(v, f"values[{i}]")})
        for i, v in enumerate(values)
    ]


def formal_matvec(matrix: Sequence[Sequence[Any]], vector: Sequence[FormalLaurent]) -> list[FormalLaurent]:
    """``matrix @ vector`` for an exact matrix (cyclotomic or rational entries)
    and a vector of FormalLaurent entries.

    >>> a = FormalLaurent.symbol(0)
    >>> formal_matvec([[1, 1], [1, -1]], [a, FormalLaurent.e_power(1)])
    [FormalLaurent(E + a0), FormalLaurent(-E + a0)]
    """
    vector = formal_vector(vector)
    out = []
    for i, row in enumerate(matrix):
        if len(row) != len(vector):
            raise InvalidArgumentError(
                f"matrix row {i} has {len(row)} entries but vector has {len(vector)}; "
                "the matrix must have one column per vector entry"
            )
        acc: dict[Key, CyclotomicElement] = {}
        for j, (c, v) in enumerate(zip(row, vector)):
            coeff = _coefficient(c, f"matrix[{i}][{j}]")
            if coeff.is_zero or v.is_zero:
                continue
            for key, t in v._terms.items():
                add_term(acc, key, t * coeff)
        out.append(FormalLaurent._raw(acc))
    return out
