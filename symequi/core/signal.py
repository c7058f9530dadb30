"""Signal: an immutable exact n-D array that knows its arithmetic domain.

A Signal holds either

* rationals, domain ``"QQ"``: stored as one python-flint ``fmpq_poly`` whose
  coefficients are the entries in row-major order (the fast path: sums,
  scalings and convolutions are single flint calls), or
* sympy expressions, domain ``"EX"``: symbolic or algebraic entries.

Entries are converted once, at construction; a Signal whose entries are all
rational is always stored in ``"QQ"``.  Floats are refused (use
:meth:`Signal.from_floats` for a float's exact binary value).

Example
-------
>>> from symequi.core.signal import Signal
>>> u = Signal([0, 0, '1/2', 1])
>>> u
Signal([0, 0, 1/2, 1])
>>> u.domain, u.shape
('QQ', (4,))
>>> u + u == Signal([0, 0, 1, 2])
True
>>> import sympy
>>> a = sympy.Symbol('a')
>>> Signal([a, 1]).domain
'EX'
>>> Signal.from_floats([0.5, 0.1])[1]
3602879701896397/36028797018963968
"""

from __future__ import annotations

import itertools
import math
import numbers
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from fractions import Fraction
from typing import Any, Protocol, runtime_checkable

import flint
import sympy

from .errors import IndexOutOfRangeError, InexactInputError, InvalidArgumentError, SymequiError
from .exact import fmpq_to_sympy, from_float, sympy_to_fmpq, to_exact
from .limits import check_size, get_limits
from .zero import is_zero, zero_test
from .texts import brief, brief_latex

__all__ = ["Signal", "FieldVector", "UndecidedEqualityError", "is_zero_signal", "check_shape", "flat_index", "unravel_index", "is_array_like"]

_ZERO = flint.fmpq(0)


@runtime_checkable
class FieldVector(Protocol):
    """Entries kept exactly in a number field (canonical form), e.g.
    :class:`symequi.arith.cyclotomic_vector.CyclotomicVector`.

    A Signal built with :meth:`Signal.from_field` keeps one: ``==``, ``+``, ``-``,
    rational scalings and zero tests use it directly, and sympy expressions are built
    only when an entry is read as one (display, ``flat_exprs``).  A field vector whose
    entries are all rational is stored as a rational signal instead.
    """

    size: int

    def rational_entries(self) -> flint.fmpq_poly | None:
        """The entries as one fmpq_poly when all are rational, else None."""

    def entry_expr(self, j: int) -> sympy.Expr:
        """Entry ``j`` as a sympy expression."""

    def entry_exprs(self) -> list[sympy.Expr]:
        """Every entry as a sympy expression."""

    def add(self, other: Any, sign: int = 1) -> Any:
        """``self + sign * other``: another vector of the same kind, or a rational fmpq_poly."""

    def scale(self, factor: flint.fmpq) -> Any:
        """Every entry times a rational."""

    def equals(self, other: Any) -> bool:
        """Exact entrywise equality with another vector of the same kind."""

    def coerce(self, exprs: list[sympy.Expr]) -> Any:
        """A vector of the same kind with entries ``exprs``, or None when some entry is not
        in such a field (then ``==`` falls back to zero tests of the differences)."""


def _rational_poly(flat: list[Any]) -> flint.fmpq_poly | None:
    """The entries as one fmpq_poly when each is an int, a Fraction or a python-flint
    rational/integer (the fast path); None when any other kind of value needs :func:`to_exact`."""
    if all(type(v) is int for v in flat):  # not bool: type() is exact
        return flint.fmpq_poly(flat)
    values: list[Any] = []
    for v in flat:
        kind = type(v)
        if kind is int or kind is flint.fmpq or kind is flint.fmpz:
            values.append(v)
        elif kind is Fraction:
            values.append(flint.fmpq(v.numerator, v.denominator))
        else:
            return None
    return flint.fmpq_poly(values)


def _nested_shape(data: Any, name: str) -> tuple[int, ...]:
    shape = []
    level = data
    while isinstance(level, (list, tuple)):
        if len(level) == 0:
            raise InvalidArgumentError(f"{name} has an empty axis; a Signal needs at least one entry per axis")
        shape.append(len(level))
        level = level[0]
    if not shape:
        raise InvalidArgumentError(f"{name}={brief(data)} must be a (nested) list of entries, e.g. [0, 1, '1/2']")
    return tuple(shape)


def _flatten(data: Any, shape: tuple[int, ...], name: str) -> list[Any]:
    if len(shape) == 1:
        if not isinstance(data, (list, tuple)) or len(data) != shape[0]:
            raise InvalidArgumentError(f"{name} is ragged: every row must have {brief(shape[0], str)} entries")
        if any(isinstance(v, (list, tuple)) for v in data):
            raise InvalidArgumentError(f"{name} is ragged: nesting depth differs between entries")
        return list(data)
    if not isinstance(data, (list, tuple)) or len(data) != shape[0]:
        raise InvalidArgumentError(f"{name} is ragged: expected {brief(shape[0], str)} rows along an axis")
    flat: list[Any] = []
    for row in data:
        flat.extend(_flatten(row, shape[1:], name))
    return flat


def check_shape(shape: Any, name: str = "shape") -> tuple[int, ...]:
    """``shape`` as a tuple of positive ints (an int means a 1-D shape).

    Raises InvalidArgumentError naming ``name`` for anything else.

    >>> check_shape(4), check_shape([2, 3])
    ((4,), (2, 3))
    >>> check_shape((2, 0), "input_shape")
    Traceback (most recent call last):
    ...
    symequi.core.errors.InvalidArgumentError: input_shape=(2, 0) must be a positive int or ...
    """
    if type(shape) is tuple and shape and all(type(s) is int and s > 0 for s in shape):
        dims = list(shape)                       # the common case, checked without building a message
    else:
        dims = _shape_dims(shape, name)
    count = math.prod(dims)
    if count > get_limits().max_entries:
        check_size(count, f"{name}={brief(tuple(dims), str)}")
    return tuple(dims)


def _shape_dims(shape: Any, name: str) -> list[int]:
    """The dimensions of any other ``shape`` :func:`check_shape` accepts, or its error."""
    message = f"{name}={brief(shape)} must be a positive int or a non-empty tuple of positive ints, e.g. (2, 3)"
    if hasattr(shape, "__index__") and not hasattr(shape, "__len__"):
        shape = (shape,)
    elif isinstance(shape, (str, bytes, bytearray, memoryview)):  # bytes iterate as ints: b'\x03' is not (3,)
        raise InvalidArgumentError(message)
    elif not isinstance(shape, (tuple, list)):
        try:  # other sequences of ints, e.g. a numpy array of dimensions
            shape = tuple(shape)
        except TypeError:
            raise InvalidArgumentError(message) from None
    dims = []
    for s in shape:
        if isinstance(s, bool) or not hasattr(s, "__index__") or hasattr(s, "__len__"):
            raise InvalidArgumentError(message)
        dims.append(operator.index(s))
    if not dims or any(s < 1 for s in dims):
        raise InvalidArgumentError(message)
    return dims


def is_array_like(data: Any) -> bool:
    """Whether ``data`` is array-like (numpy arrays and similar, with ``tolist`` and
    ``shape``): the Signal constructor reads those through ``tolist()`` (floats still refused).

    >>> import numpy as np
    >>> is_array_like(np.array([1, 2])), is_array_like([1, 2]), is_array_like("12")
    (True, False, False)
    """
    return hasattr(data, "tolist") and hasattr(data, "shape") and not isinstance(data, (str, bytes))


class Signal:
    """An immutable exact array (1-D, 2-D or n-D) with an explicit domain.

    Parameters
    ----------
    data : nested list of exact entries (int, Fraction, str such as ``'1/3'``,
        sympy expressions), or a Signal, or a sympy Matrix/Array.
    domain : ``"QQ"`` to insist on rationals, ``"EX"`` to keep sympy
        expressions, or None (rationals go to QQ, anything else to EX).

    See Also
    --------
    Signal.from_floats : exact binary values of floats.
    Signal.zeros, Signal.unit : constant and basis signals.
    Signal.from_exprs, Signal.from_fmpqs, Signal.from_poly : build from flat (row-major) entries.
    Signal.flat_exprs, Signal.flat_fmpqs, Signal.flat_poly, Signal.flat_entry : read them back.

    Equality (``==``) is exact: see :meth:`Signal.__eq__`.

    Example
    -------
    >>> s = Signal([[1, '1/2'], [0, -3]])
    >>> s.shape, s.domain, s[0, 1]
    ((2, 2), 'QQ', 1/2)
    """

    __slots__ = ("_shape", "_domain", "_poly", "_offset", "_exprs", "_normal", "_field", "_values")
    #: numpy defers arithmetic with a Signal to the Signal (whose door checks the other operand).
    __array_ufunc__ = None

    _shape: tuple[int, ...]
    _domain: str
    _poly: flint.fmpq_poly | None
    _offset: int
    _exprs: tuple[sympy.Expr, ...] | None
    _normal: bool
    _field: FieldVector | None
    #: QQ entries kept as a list of fmpq until a polynomial is needed (from_fmpqs): entries
    #: with unrelated denominators make one fmpq_poly (a common denominator) very large.
    _values: list[flint.fmpq] | None

    def __init__(self, data: Any, *, domain: str | None = None) -> None:
        if domain not in (None, "QQ", "EX"):
            raise InvalidArgumentError(f"domain={brief(domain)} must be 'QQ', 'EX' or None")
        self._field = None
        self._values = None
        if isinstance(data, Signal):
            self._copy_from(data)
            if self._field is not None and domain != "QQ":
                return
            if domain == "EX":
                if self._domain == "QQ":
                    self._set_exprs(self._shape, tuple(self.flat_exprs()), keep_symbolic=True)
                return
            if self._domain == "EX":
                # An EX signal whose entries are all rational (built with domain='EX')
                # goes back to QQ; other entries stay symbolic unless QQ was demanded.
                self._set_exprs(self._shape, self._require_exprs())
                if domain == "QQ" and self._domain != "QQ":
                    exprs = self._require_exprs()
                    first_bad = next(i for i, v in enumerate(exprs) if not v.is_Rational)
                    raise InvalidArgumentError(
                        f"data{brief(_index_text(first_bad, self._shape), str)}={brief(exprs[first_bad], str)} is not rational "
                        "but domain='QQ'; pass domain='EX' (or None) to keep symbolic entries"
                    )
            return
        if isinstance(data, (sympy.MatrixBase, sympy.NDimArray)) or is_array_like(data):
            size = getattr(data, "size", None)
            if isinstance(size, int):  # refused before tolist() allocates a Python object per entry
                check_size(size, "data")
            data = data.tolist()
        if type(data) is list and data and domain != "EX":  # the common case: one flat list of rationals
            poly = _rational_poly(data)
            if poly is not None:  # every entry an int, Fraction or fmpq: no nesting to check
                shape = check_shape(len(data), "data")
                self._shape, self._domain, self._poly, self._offset = shape, "QQ", poly, 0
                self._exprs, self._normal = None, poly.degree() < len(data)
                return
        shape = _nested_shape(data, "data")
        flat = _flatten(data, shape, "data")
        poly = _rational_poly(flat) if domain != "EX" else None
        if poly is not None:  # ints, Fractions and fmpq: straight into python-flint, no sympy
            self._shape, self._domain, self._poly, self._offset = shape, "QQ", poly, 0
            self._exprs, self._normal = None, poly.degree() < len(flat)
            return
        entries = [to_exact(v, f"data{brief(_index_text(i, shape), str)}") for i, v in enumerate(flat)]
        if domain == "QQ":
            bad = next((i for i, v in enumerate(entries) if not v.is_Rational), None)
            if bad is not None:
                raise InvalidArgumentError(
                    f"data{brief(_index_text(bad, shape), str)}={brief(entries[bad], str)} is not rational but domain='QQ'; "
                    "pass domain='EX' (or None) to keep symbolic entries"
                )
        self._set_exprs(shape, tuple(entries), keep_symbolic=domain == "EX")

    # --- internal invariants -----------------------------------------------------------
    def _require_poly(self) -> flint.fmpq_poly:
        """``_poly``, which is set exactly when the domain is ``"QQ"``."""
        poly = self._poly
        if poly is None and self._values is not None:
            poly = self._poly = flint.fmpq_poly(self._values)
        assert poly is not None, "a QQ signal always holds its polynomial"
        return poly

    def _require_exprs(self) -> tuple[sympy.Expr, ...]:
        """``_exprs``, which is set exactly when the domain is ``"EX"`` (built from the
        field vector the first time it is needed)."""
        exprs = self._exprs
        if exprs is None and self._field is not None:
            exprs = self._exprs = tuple(self._field.entry_exprs())
        assert exprs is not None, "an EX signal always holds its expressions"
        return exprs

    # --- internal constructors ---------------------------------------------------------
    def _copy_from(self, other: "Signal") -> None:
        self._shape = other._shape
        self._domain = other._domain
        self._poly = other._poly
        self._offset = other._offset
        self._exprs = other._exprs
        self._normal = other._normal
        self._field = other._field
        self._values = other._values

    def _set_exprs(self, shape: tuple[int, ...], exprs: tuple[sympy.Expr, ...], *, keep_symbolic: bool = False) -> None:
        _check_finite(exprs, shape)
        self._shape = shape
        self._field = None
        self._values = None
        if not keep_symbolic and all(e.is_Rational for e in exprs):
            self._domain = "QQ"
            self._poly = flint.fmpq_poly([sympy_to_fmpq(e) for e in exprs])
            self._offset = 0
            self._exprs = None
            self._normal = True
        else:
            self._domain = "EX"
            self._poly = None
            self._offset = 0
            self._exprs = exprs
            self._normal = True

    @classmethod
    def from_poly(cls, poly: flint.fmpq_poly, shape: tuple[int, ...], offset: int = 0) -> "Signal":
        """A QQ signal whose flat (row-major) entry ``i`` is ``poly[offset + i]``.

        The polynomial is shared, not copied (flint polynomials are not mutated
        here); coefficients beyond ``offset + size`` are ignored and missing ones
        are zero.  This is the fast path for layers that compute with polynomials.

        >>> import flint
        >>> Signal.from_poly(flint.fmpq_poly([1, 2, 3, 4]), (2,), offset=1)
        Signal([2, 3])
        >>> Signal.from_poly(flint.fmpq_poly([flint.fmpq(1, 2)]), (2, 2))
        Signal([[1/2, 0], [0, 0]])
        """
        if not isinstance(poly, flint.fmpq_poly):
            raise InvalidArgumentError(
                f"poly must be a flint.fmpq_poly, not {type(poly).__name__}; "
                "use Signal.from_fmpqs or Signal.from_exprs for a list of entries"
            )
        offset = operator.index(offset)
        if offset < 0:
            raise InvalidArgumentError(f"offset={brief(offset, str)} must be >= 0 (the index of flat entry 0 in poly)")
        sig = cls.__new__(cls)
        sig._shape = check_shape(shape)
        sig._domain = "QQ"
        sig._poly = poly
        sig._offset = offset
        sig._exprs = None
        sig._normal = offset == 0 and poly.degree() < math.prod(shape)
        sig._field = None
        sig._values = None
        return sig

    @classmethod
    def from_field(cls, vector: FieldVector, shape: tuple[int, ...]) -> "Signal":
        """A signal whose flat (row-major) entries are those of a :class:`FieldVector`
        (e.g. a :class:`~symequi.arith.cyclotomic_vector.CyclotomicVector`), kept in the
        field: a rational vector gives a QQ signal, any other an EX signal whose sympy
        entries are built only when read.

        >>> from symequi.arith.cyclotomic import cos_pi
        >>> from symequi.arith.cyclotomic_vector import CyclotomicVector
        >>> u = Signal.from_field(CyclotomicVector.from_elements([cos_pi('1/4'), 1]), (2,))
        >>> u.domain, u == Signal([sympy.sqrt(2) / 2, 1]), u - u
        ('EX', True, Signal([0, 0]))
        """
        if not isinstance(vector, FieldVector):
            raise InvalidArgumentError(
                f"vector must be a field vector (such as a CyclotomicVector), not {type(vector).__name__}"
            )
        dims = check_shape(shape)
        if vector.size != math.prod(dims):
            raise InvalidArgumentError(
                f"a vector of {brief(vector.size, str)} entries does not fill shape {brief(dims, str)}; pass a shape of "
                f"{brief(vector.size, str)} entries"
            )
        rational = vector.rational_entries()
        if rational is not None:
            return cls.from_poly(rational, dims)
        sig = cls.__new__(cls)
        sig._shape, sig._domain, sig._poly, sig._offset = dims, "EX", None, 0
        sig._exprs, sig._normal, sig._field, sig._values = None, True, vector, None
        return sig

    @property
    def field_vector(self) -> FieldVector | None:
        """The field vector holding the entries (see :meth:`from_field`), or None.

        >>> Signal([1, 2]).field_vector is None
        True
        """
        return self._field

    @classmethod
    def from_fmpqs(cls, values: Sequence[flint.fmpq], shape: tuple[int, ...]) -> "Signal":
        """A QQ signal from its flat (row-major) entries as ``flint.fmpq`` (or ints).

        >>> import flint
        >>> Signal.from_fmpqs([flint.fmpq(1, 3), flint.fmpq(0), flint.fmpq(-2)], (3,))
        Signal([1/3, 0, -2])
        """
        dims = check_shape(shape)
        values = list(values)
        if len(values) != math.prod(dims):
            raise InvalidArgumentError(
                f"{len(values)} entries do not fill shape {brief(dims, str)}; pass exactly {brief(math.prod(dims), str)} entries"
            )
        fmpq = flint.fmpq
        if not all(type(v) is fmpq for v in values):
            bad = next((i for i, v in enumerate(values) if not isinstance(v, (fmpq, flint.fmpz, int))), None)
            if bad is not None:
                raise InvalidArgumentError(
                    f"values[{brief(bad, str)}]={brief(values[bad])} is not a flint.fmpq; use Signal.from_exprs for other "
                    "exact values"
                )
            values = [v if type(v) is fmpq else fmpq(v) for v in values]
        # The list is kept as it is (the polynomial, with one common denominator, is built
        # only when needed): entries with unrelated denominators stay small.
        sig = cls.from_poly(flint.fmpq_poly(), dims)
        sig._poly, sig._values = None, values
        return sig

    @classmethod
    def from_exprs(cls, values: Iterable[Any], shape: tuple[int, ...]) -> "Signal":
        """A signal from its flat (row-major) exact entries.

        Each value is a sympy expression, an int, a ``fractions.Fraction`` or a
        ``flint.fmpq``/``fmpz``, converted exactly.  Strings are refused (read text
        with the constructor, ``Signal(['1/3', ...])``), and so are floats and
        expressions containing floats (use :meth:`Signal.from_floats`).  The
        domain is ``"QQ"`` when every entry is rational, else ``"EX"``.

        >>> import sympy
        >>> from fractions import Fraction
        >>> Signal.from_exprs([1, Fraction(1, 2), sympy.Rational(2, 3), 0], (2, 2))
        Signal([[1, 1/2], [2/3, 0]])
        >>> Signal.from_exprs([sympy.sqrt(2), 1], (2,)).domain
        'EX'
        >>> Signal.from_exprs(['1/2'], (1,))
        Traceback (most recent call last):
        ...
        symequi.core.errors.InvalidArgumentError: values[0]='1/2' is a string; ...
        """
        dims = check_shape(shape)
        sig = cls.__new__(cls)
        exprs = tuple(_exact_entry(v, i) for i, v in enumerate(values))
        if len(exprs) != math.prod(dims):
            raise InvalidArgumentError(
                f"{len(exprs)} entries do not fill shape {brief(dims, str)}; pass exactly {brief(math.prod(dims), str)} entries"
            )
        sig._set_exprs(dims, exprs)
        return sig

    # --- public constructors ----------------------------------------------------------
    @classmethod
    def from_floats(cls, data: Any) -> "Signal":
        """A signal holding the exact binary value of each float in ``data``.

        >>> Signal.from_floats([0.25, -1.0])
        Signal([1/4, -1])
        """
        if is_array_like(data):
            data = data.tolist()
        shape = _nested_shape(data, "data")
        flat = _flatten(data, shape, "data")
        return cls.from_exprs((_float_entry(v, f"data{brief(_index_text(i, shape), str)}") for i, v in enumerate(flat)), shape)

    @classmethod
    def zeros(cls, shape: Any) -> "Signal":
        """The zero signal of the given shape.

        >>> Signal.zeros(3)
        Signal([0, 0, 0])
        """
        dims = check_shape(shape)
        return cls.from_poly(flint.fmpq_poly(), dims)

    @classmethod
    def unit(cls, shape: Any, index: int | tuple[int, ...]) -> "Signal":
        """The basis signal with a 1 at ``index`` and 0 elsewhere.

        >>> Signal.unit(4, 2)
        Signal([0, 0, 1, 0])
        """
        dims = check_shape(shape)
        try:
            flat = flat_index(index, dims)
        except (IndexError, TypeError, ValueError):
            raise InvalidArgumentError(
                f"index={brief(index)} is not an index into shape {brief(dims, str)}; give one int per axis, "
                f"each in range(-n, n)"
            ) from None
        coeffs = [_ZERO] * flat + [flint.fmpq(1)]
        return cls.from_poly(flint.fmpq_poly(coeffs), dims)

    # --- structure --------------------------------------------------------------------
    @property
    def shape(self) -> tuple[int, ...]:
        """The shape, e.g. ``(4,)`` or ``(channels, n)`` or ``(h, w)``."""
        return self._shape

    @property
    def ndim(self) -> int:
        """The number of axes."""
        return len(self._shape)

    @property
    def size(self) -> int:
        """The number of entries."""
        return math.prod(self._shape)

    @property
    def domain(self) -> str:
        """``'QQ'`` (rationals, python-flint) or ``'EX'`` (sympy expressions)."""
        return self._domain

    @property
    def is_rational(self) -> bool:
        """True when every entry is rational (domain ``'QQ'``)."""
        return self._domain == "QQ"

    @property
    def free_symbols(self) -> set[sympy.Symbol]:
        """The symbols in the entries (empty for rational signals)."""
        if self._domain == "QQ" or self._field is not None:
            return set()
        return set().union(*(e.free_symbols for e in self._require_exprs()))

    def __len__(self) -> int:
        return self._shape[0]

    # --- flat access (used by layers and deciders) -------------------------------------
    def flat_poly(self) -> flint.fmpq_poly:
        """The entries as one ``flint.fmpq_poly``: coefficient ``i`` is flat (row-major)
        entry ``i``.  Rational signals only (check ``signal.domain == 'QQ'``).

        >>> Signal([[1, '1/2'], [0, 3]]).flat_poly()
        3*x^3 + 1/2*x + 1
        """
        if self._domain != "QQ":
            raise InvalidArgumentError(
                "this signal has symbolic entries; it has no rational polynomial form "
                "(check signal.domain == 'QQ' first, or use flat_exprs)"
            )
        if not self._normal:
            poly = self._require_poly()
            end = self._offset + self.size
            if poly.length() > end:  # cut before shifting: fewer coefficients moved
                poly = poly.truncate(end)
            if self._offset:
                poly = poly.right_shift(self._offset)
            self._poly = poly
            self._offset = 0
            self._normal = True
        return self._require_poly()

    def flat_fmpqs(self) -> list[flint.fmpq]:
        """The flat (row-major) entries as ``flint.fmpq``, ``size`` of them, trailing
        zeros included.  Rational signals only.

        >>> Signal([[1, '1/2'], [0, 0]]).flat_fmpqs()
        [1, 1/2, 0, 0]
        """
        if self._values is not None:
            return list(self._values)
        coeffs = self.flat_poly().coeffs()
        return coeffs + [_ZERO] * (self.size - len(coeffs))

    def flat_exprs(self) -> list[sympy.Expr]:
        """The flat (row-major) entries as sympy values, for any domain.

        >>> import sympy
        >>> Signal([[1, '1/2'], [sympy.sqrt(2), 0]]).flat_exprs()
        [1, 1/2, sqrt(2), 0]
        """
        if self._domain == "EX":
            return list(self._require_exprs())
        return [fmpq_to_sympy(v) for v in self.flat_fmpqs()]

    def flat_entry(self, i: int) -> sympy.Expr:
        """Flat (row-major) entry ``i`` as a sympy value; ``i`` in ``range(-size, size)``.

        >>> Signal([[1, 2], [3, '1/2']]).flat_entry(3), Signal([5, 6, 7]).flat_entry(-1)
        (1/2, 7)
        """
        if hasattr(i, "__index__") and not isinstance(i, bool):
            i = operator.index(i)
        else:
            raise InvalidArgumentError(f"i={brief(i)} must be an int (a flat, row-major entry index)")
        _check_in_range(i, self.size)
        i %= self.size
        if self._domain == "EX":
            if self._exprs is None and self._field is not None:
                return self._field.entry_expr(i)
            return self._require_exprs()[i]
        if self._values is not None:
            return fmpq_to_sympy(self._values[i])
        return fmpq_to_sympy(self._require_poly()[self._offset + i])

    # --- conversions ------------------------------------------------------------------
    def to_list(self) -> list:
        """Nested lists of exact sympy values.

        >>> Signal([[1, 2], [3, '1/2']]).to_list()
        [[1, 2], [3, 1/2]]
        """
        return _nest(self.flat_exprs(), self._shape)

    def to_fractions(self) -> list:
        """Nested lists of ``fractions.Fraction`` (rational signals only).

        >>> Signal([1, '1/2']).to_fractions()
        [Fraction(1, 1), Fraction(1, 2)]
        """
        if self._domain != "QQ":
            exprs = self._require_exprs()
            if not all(e.is_Rational for e in exprs):
                raise InvalidArgumentError(
                    "to_fractions needs a rational signal; this one has symbolic entries "
                    "(use to_list for sympy values)"
                )
            return _nest([Fraction(int(e.p), int(e.q)) for e in exprs], self._shape)
        return _nest([Fraction(int(v.p), int(v.q)) for v in self.flat_fmpqs()], self._shape)

    def to_sympy(self) -> sympy.ImmutableMatrix | sympy.ImmutableDenseNDimArray:
        """A sympy object: a 1 x n row for 1-D, an h x w matrix for 2-D, an Array for n-D.

        >>> Signal([1, 2]).to_sympy()
        Matrix([[1, 2]])
        """
        flat = self.flat_exprs()
        if self.ndim == 1:
            return sympy.ImmutableMatrix(1, self.size, flat)
        if self.ndim == 2:
            return sympy.ImmutableMatrix(self._shape[0], self._shape[1], flat)
        return sympy.ImmutableDenseNDimArray(flat, self._shape)

    def to_floats(self) -> list:
        """Nested lists of Python floats, for plotting only: this loses exactness.

        >>> Signal(['1/4', 2]).to_floats()
        [0.25, 2.0]
        """
        if self._domain == "QQ":
            vals = [int(v.p) / int(v.q) for v in self.flat_fmpqs()]
        else:
            vals = []
            for i, e in enumerate(self._require_exprs()):
                if e.free_symbols:
                    raise InvalidArgumentError(
                        f"entry {brief(_index_text(i, self._shape), str)}={brief(e, str)} has free symbols; "
                        "substitute values first (signal.subs(...))"
                    )
                value = sympy.N(e, 20)
                if not value.is_real:
                    raise InvalidArgumentError(
                        f"entry {brief(_index_text(i, self._shape), str)}={brief(e, str)} is not a real number; "
                        "plot sympy.re/sympy.im of the signal (signal.map(sympy.re)) instead"
                    )
                vals.append(float(value))
        return _nest(vals, self._shape)

    # --- indexing ---------------------------------------------------------------------
    def __getitem__(self, key: Any) -> Any:
        if not isinstance(key, tuple):
            key = (key,)
        if len(key) > self.ndim:
            raise InvalidArgumentError(f"index {brief(key)} has {len(key)} entries but the signal is {brief(self.ndim, str)}-D")
        for k in key:
            if not (isinstance(k, slice) or hasattr(k, "__index__")):
                raise InvalidArgumentError(
                    f"index {brief(k)} must be an int or a slice (fancy indexing is not supported); "
                    "use a comprehension or Signal.map for other selections"
                )
        key = key + (slice(None),) * (self.ndim - len(key))
        if all(isinstance(k, int) or hasattr(k, "__index__") and not isinstance(k, slice) for k in key):
            return self.flat_entry(flat_index(tuple(_as_index(k) for k in key), self._shape))
        ranges: list[Sequence[int]] = []
        for k, n in zip(key, self._shape):
            if isinstance(k, slice):
                ranges.append(range(*k.indices(n)))
            else:
                i = operator.index(k)
                _check_in_range(i, n)
                ranges.append([i % n])
        new_shape = tuple(len(r) for k, r in zip(key, ranges) if isinstance(k, slice))
        if any(s == 0 for s in new_shape):
            raise InvalidArgumentError(
                f"the slice {brief(key)} selects no entries; a Signal needs at least one entry per axis"
            )
        flat_ids = [flat_index(idx, self._shape) for idx in itertools.product(*ranges)]
        if self._domain == "QQ":
            if self.ndim == 1 and isinstance(key[0], slice) and (key[0].step in (None, 1)):
                start = flat_ids[0]
                return Signal.from_poly(self._require_poly(), new_shape, self._offset + start)._normalized_copy()
            poly = self._require_poly()
            return Signal.from_fmpqs([poly[self._offset + i] for i in flat_ids], new_shape)
        exprs = self._require_exprs()
        return Signal.from_exprs([exprs[i] for i in flat_ids], new_shape)

    def _normalized_copy(self) -> "Signal":
        self.flat_poly()
        return self

    def __iter__(self) -> Iterator[Any]:
        for i in range(self._shape[0]):
            yield self[i]

    # --- comparison -------------------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        """Exact equality: same shape and every entry equal, proved (never a tolerance).

        Rational signals compare their python-flint polynomials directly.  Entries
        with sympy expressions go through the exact zero test
        (:func:`symequi.core.zero.is_zero` of their difference), so equal algebraic
        numbers written differently compare equal.  A list or tuple is first read as
        a Signal (one that is not an exact signal, e.g. holding floats or ragged,
        is unequal); other non-Signal values are unequal.  When an entry can be
        neither proved equal nor proved different, ``==`` raises
        :class:`UndecidedEqualityError` rather than guess.

        >>> import sympy
        >>> Signal([sympy.sqrt(2 + sympy.sqrt(3))]) == Signal([(sympy.sqrt(6) + sympy.sqrt(2)) / 2])
        True
        >>> Signal([1, '1/2']) == [1, '1/2'], Signal([1, 2]) == Signal([[1, 2]])
        (True, False)
        """
        if isinstance(other, (list, tuple)):
            try:
                other = Signal(other)
            except InvalidArgumentError:
                return False
        if not isinstance(other, Signal):
            return NotImplemented
        if self._shape != other._shape:
            return False
        if self._domain == "QQ" and other._domain == "QQ":
            if self._values is not None or other._values is not None:  # entry by entry: no common denominator
                return self.flat_fmpqs() == other.flat_fmpqs()
            return self.flat_poly() == other.flat_poly()
        decided = _field_equal(self, other)
        if decided is not None:
            return decided
        return _entries_equal(self.flat_exprs(), other.flat_exprs(), self._shape)

    def __ne__(self, other: object) -> bool:
        """``not (self == other)``; raises :class:`UndecidedEqualityError` exactly when ``==`` does.

        >>> Signal([1, 2]) != Signal([1, 3])
        True
        """
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self) -> int:
        # Equal signals must hash equally.  An entry with a sympy expression may equal a
        # rational in a way only the zero test sees (a nested radical, sin(a)**2 + cos(a)**2),
        # and no finite computation finds that rational for every such entry; so no entry
        # value can enter the hash soundly, and the shape is the whole hash.  Equality itself
        # stays fast for rational signals (one flint comparison).
        return hash(("Signal", self._shape))

    # --- arithmetic -------------------------------------------------------------------
    def _check_same_shape(self, other: "Signal", op: str) -> None:
        if self._shape != other._shape:
            raise InvalidArgumentError(
                f"cannot {brief(op, str)} signals of shapes {brief(self._shape, str)} and {brief(other._shape, str)}; "
                "slice or reshape one so that the shapes match"
            )

    def __add__(self, other: object) -> "Signal":
        """The entrywise sum with a signal of the same shape, or ``c`` added to every entry.

        ``c`` is an exact scalar (int, Fraction, ``'1/2'``, sympy expression);
        floats are refused.  ``0 + signal`` is ``signal``, so ``sum(signals)`` works.

        >>> Signal([1, '1/2']) + Signal([1, 1])
        Signal([2, 3/2])
        >>> Signal([1, '1/2']) + '1/2', 1 + Signal([1, '1/2'])
        (Signal([3/2, 1]), Signal([2, 3/2]))
        >>> sum([Signal([1, 2]), Signal([3, 4])])
        Signal([4, 6])
        """
        if not isinstance(other, Signal):
            return self._shifted(self._scalar(other, "add"))
        self._check_same_shape(other, "add")
        if self._domain == "QQ" and other._domain == "QQ":
            return Signal.from_poly(self.flat_poly() + other.flat_poly(), self._shape)
        combined = _field_combine(self, other, 1)
        if combined is not None:
            return combined
        return Signal.from_exprs(
            (a + b for a, b in zip(self.flat_exprs(), other.flat_exprs())), self._shape
        )

    def __radd__(self, other: object) -> "Signal":
        # Reached only for a non-Signal on the left: ``c + signal`` (``c`` added to every
        # entry; ``sum`` starts from the int 0, which leaves the signal as it is).
        return self._shifted(self._scalar(other, "add"))

    def _scalar(self, value: object, op: str) -> sympy.Expr:
        """``value`` as an exact scalar to ``op`` with every entry (floats and arrays refused)."""
        if isinstance(value, (list, tuple)) or is_array_like(value):
            raise InvalidArgumentError(
                f"cannot {brief(op, str)} a {type(value).__name__} and a signal; wrap it as Signal(...) of shape "
                f"{brief(self._shape, str)} for the entrywise {brief(op, str)}, or give one exact scalar"
            )
        return to_exact(value, "scalar")

    def _shifted(self, c: sympy.Expr) -> "Signal":
        """Every entry plus the exact scalar ``c``."""
        if self._domain == "QQ" and c.is_Rational:
            q = sympy_to_fmpq(c)
            return Signal.from_fmpqs([v + q for v in self.flat_fmpqs()], self._shape)
        return Signal.from_exprs((e + c for e in self.flat_exprs()), self._shape)

    def __sub__(self, other: object) -> "Signal":
        """The entrywise difference with a signal of the same shape, or ``c`` subtracted from
        every entry (``c - signal`` subtracts every entry from ``c``).

        >>> Signal([1, '1/2']) - Signal([1, 1]), Signal([1, '1/2']) - 1, 1 - Signal([1, '1/2'])
        (Signal([0, -1/2]), Signal([0, -1/2]), Signal([0, 1/2]))
        """
        if not isinstance(other, Signal):
            return self._shifted(-self._scalar(other, "subtract"))
        self._check_same_shape(other, "subtract")
        if self._domain == "QQ" and other._domain == "QQ":
            return Signal.from_poly(self.flat_poly() - other.flat_poly(), self._shape)
        combined = _field_combine(self, other, -1)
        if combined is not None:
            return combined
        return Signal.from_exprs(
            (a - b for a, b in zip(self.flat_exprs(), other.flat_exprs())), self._shape
        )

    def __rsub__(self, other: object) -> "Signal":
        # Reached only for a non-Signal on the left: ``c - signal``.
        return (-self)._shifted(self._scalar(other, "subtract"))

    def __neg__(self) -> "Signal":
        return self * -1

    def __abs__(self) -> "Signal":
        """The entrywise absolute value (``sympy.Abs`` for symbolic entries).

        >>> abs(Signal([-2, '1/2', 0]))
        Signal([2, 1/2, 0])
        """
        if self._domain == "QQ":
            return Signal.from_fmpqs([abs(v) for v in self.flat_fmpqs()], self._shape)
        return Signal.from_exprs((sympy.Abs(e) for e in self.flat_exprs()), self._shape)

    def __mul__(self, scalar: Any) -> "Signal":
        if isinstance(scalar, Signal):
            raise InvalidArgumentError(
                "Signal * Signal is not defined; use a.multiply(b) for the entrywise product"
            )
        value = to_exact(scalar, "scalar")
        if self._domain == "QQ" and value.is_Rational:
            return Signal.from_poly(self.flat_poly() * sympy_to_fmpq(value), self._shape)
        if self._field is not None and value.is_Rational:
            return Signal.from_field(self._field.scale(sympy_to_fmpq(value)), self._shape)
        return Signal.from_exprs((e * value for e in self.flat_exprs()), self._shape)

    __rmul__ = __mul__

    def __pow__(self, exponent: Any) -> "Signal":
        """The entrywise power by an integer ``exponent`` of at most ``max_degree`` in size.

        A negative exponent needs nonzero entries.  Non-integer exponents are refused
        (the power of a rational by a fraction is not rational in general; use
        ``signal.map(lambda v: v**e)`` for a symbolic power).

        >>> Signal([1, -2, '1/2']) ** 2, Signal([2, '1/2']) ** -1
        (Signal([1, 4, 1/4]), Signal([1/2, 2]))
        """
        value = to_exact(exponent, "exponent")
        if not value.is_Integer:
            raise InvalidArgumentError(
                f"exponent={brief(exponent)} must be an integer such as 2 or -1; for another power "
                "of every entry use signal.map(lambda v: v**e)"
            )
        k = int(value)
        limit = get_limits().max_degree
        if abs(k) > limit:  # every entry's numerator and denominator would grow |k|-fold
            raise InvalidArgumentError(
                f"exponent={brief(k)} is larger in size than the limit max_degree={brief(limit, str)}; raise it with "
                "symequi.core.limits.using_limits(max_degree=...) (or set_limits) if you mean it"
            )
        if self._domain == "QQ":
            values = self.flat_fmpqs()
            if k < 0 and not all(values):
                raise InvalidArgumentError(
                    f"exponent={brief(k, str)} is negative, but the signal has the entry 0 at "
                    f"{brief(_index_text(values.index(flint.fmpq(0)), self._shape), str)}; a negative power needs nonzero entries"
                )
            return Signal.from_fmpqs([v**k for v in values], self._shape)
        return Signal.from_exprs((e**k for e in self.flat_exprs()), self._shape)

    def __truediv__(self, scalar: Any) -> "Signal":
        value = to_exact(scalar, "scalar")
        if value == 0:
            raise InvalidArgumentError("scalar=0: cannot divide a signal by zero")
        return self * (1 / value)

    def multiply(self, other: "Signal") -> "Signal":
        """The entrywise product.

        >>> Signal([1, 2]).multiply(Signal([3, '1/2']))
        Signal([3, 1])
        """
        if not isinstance(other, Signal):
            if not isinstance(other, (list, tuple)):
                raise InvalidArgumentError(
                    f"other={brief(other)} must be a Signal (or a nested list) of the same shape; "
                    "for a scalar use signal * scalar"
                )
            other = Signal(other)
        self._check_same_shape(other, "multiply")
        if self._domain == "QQ" and other._domain == "QQ":
            return Signal.from_fmpqs(
                [a * b for a, b in zip(self.flat_fmpqs(), other.flat_fmpqs())], self._shape
            )
        return Signal.from_exprs(
            (a * b for a, b in zip(self.flat_exprs(), other.flat_exprs())), self._shape
        )

    def map(self, fn: Callable[[sympy.Expr], Any]) -> "Signal":
        """Apply ``fn`` to every entry (as a sympy value) and collect the results.

        >>> Signal([-1, 2]).map(lambda v: v**2)
        Signal([1, 4])
        """
        return Signal.from_exprs((to_exact(fn(e), "fn(entry)") for e in self.flat_exprs()), self._shape)

    def subs(self, *args: Any, **kwargs: Any) -> "Signal":
        """Substitute in every symbolic entry (``sympy.Expr.subs`` semantics).

        >>> a = sympy.Symbol('a')
        >>> Signal([a, 2 * a]).subs(a, 3)
        Signal([3, 6])
        """
        if self._domain == "QQ":
            return self
        return Signal.from_exprs((e.subs(*args, **kwargs) for e in self._require_exprs()), self._shape)

    def reshape(self, shape: Any) -> "Signal":
        """The same entries (row-major) in another shape.

        >>> Signal([1, 2, 3, 4]).reshape((2, 2))
        Signal([[1, 2], [3, 4]])
        """
        dims = check_shape(shape)
        if math.prod(dims) != self.size:
            raise InvalidArgumentError(
                f"shape={brief(dims, str)} does not hold {brief(self.size, str)} entries; the dimensions must multiply to {brief(self.size, str)}"
            )
        if self._domain == "QQ":
            return Signal.from_poly(self.flat_poly(), dims)
        if self._field is not None:
            return Signal.from_field(self._field, dims)
        return Signal.from_exprs(self._require_exprs(), dims)

    # --- display ----------------------------------------------------------------------
    def text(self) -> str:
        """Every entry, exactly (``repr`` abbreviates signals of more than 20 entries).

        >>> Signal(list(range(25))).text()[-12:]
        '22, 23, 24])'
        """
        return f"Signal({_nest_text(self.flat_exprs(), self._shape)})"

    def __repr__(self) -> str:
        limit = 20
        if self.size <= limit:
            return f"Signal({brief(_nest_text(self.flat_exprs(), self._shape, _entry_text), str)})"
        head = ", ".join(_entry_text(self.flat_entry(i)) for i in range(3))
        tail = ", ".join(_entry_text(self.flat_entry(i)) for i in range(self.size - 2, self.size))
        return f"Signal([{brief(head, str)}, ..., {brief(tail, str)}], shape={brief(self._shape, str)}, domain={brief(self._domain)})"

    def latex(self) -> str:
        """LaTeX for the entries (a row or a matrix).

        >>> Signal([0, '1/2']).latex()
        '\\\\left[\\\\begin{matrix}0 & \\\\frac{1}{2}\\\\end{matrix}\\\\right]'
        """
        return brief_latex(self.to_sympy())

    def _repr_latex_(self) -> str:
        r"""Jupyter shows a signal as typeset math.

        >>> print(Signal([0, '1/2'])._repr_latex_())
        $\left[\begin{matrix}0 & \frac{1}{2}\end{matrix}\right]$
        """
        return "$" + self.latex() + "$"


class UndecidedEqualityError(SymequiError):
    """``Signal == Signal`` could neither prove an entry equal nor prove it different.

    The message names the entry and both values.  Decide it yourself with
    :func:`is_zero_signal` (which answers None instead of raising) or simplify
    the entries first.

    >>> import sympy
    >>> third = sympy.Rational(1, 3)  # Euler's reflection formula: both sides are 2*pi/sqrt(3)
    >>> try:
    ...     Signal([sympy.gamma(third) * sympy.gamma(1 - third)]) == Signal([2 * sympy.pi / sympy.sqrt(3)])
    ... except UndecidedEqualityError as err:
    ...     print(str(err)[:48], err.index)
    Signal == Signal: entry [0] could not be decided (0,)
    """

    def __init__(self, index: tuple[int, ...], left: sympy.Expr, right: sympy.Expr, reason: str,
                 undecided: int = 1) -> None:
        #: The multi-index of the first undecided entry, and the two values there.
        self.index, self.left, self.right, self.reason = index, left, right, reason
        where = "[" + "][".join(brief(item, str) for item in index) + "]"
        super().__init__(
            f"Signal == Signal: entry {brief(where, str)} could not be decided: {brief(left, str)} vs {brief(right, str)} ({brief(reason, str)}); "
            "use is_zero_signal(a - b), which answers None when undecided, or simplify the entries first"
            + (f" ({brief(undecided, str)} entries undecided)" if undecided > 1 else "")
        )


def _entries_equal(left: list[sympy.Expr], right: list[sympy.Expr], shape: tuple[int, ...]) -> bool:
    """Whether two flat entry lists are exactly equal (``Signal.__eq__`` of non-rational signals).

    Cheap structural and rational comparisons first, then the exact zero test of the
    difference; a certified difference anywhere wins over an undecided entry.
    """
    hard: list[int] = []
    for i, (a, b) in enumerate(zip(left, right)):
        if a == b:
            continue
        if a.is_Rational and b.is_Rational:
            return False
        hard.append(i)
    undecided: list[tuple[int, str]] = []
    for i in hard:
        verdict, reason = zero_test(left[i] - right[i], name=f"entry {brief(_index_text(i, shape), str)}")
        if verdict is False:
            return False
        if verdict is None:
            undecided.append((i, reason))
    if undecided:
        i, reason = undecided[0]
        raise UndecidedEqualityError(unravel_index(i, shape), left[i], right[i], reason, len(undecided))
    return True


def _field_equal(a: Signal, b: Signal) -> bool | None:
    """``a == b`` (same shape) decided on field vectors, or None when neither side has one
    or their kinds differ.  A field signal is never all-rational, so it differs from a QQ one;
    a sympy signal whose entries all lie in the field is read into it and compared there."""
    fa, fb = a.field_vector, b.field_vector
    if fa is not None and fb is not None:
        if type(fa) is not type(fb):
            return None
        return fa.equals(fb)
    if (fa is not None and b.domain == "QQ") or (fb is not None and a.domain == "QQ"):
        return False
    if fa is not None or fb is not None:  # one side in a field, the other sympy: read it into the field
        vector, other = (fa, b) if fa is not None else (fb, a)
        assert vector is not None
        coerce = getattr(vector, "coerce", None)
        same_kind = coerce(other.flat_exprs()) if coerce is not None else None
        if same_kind is not None:
            return bool(vector.equals(same_kind))
    return None


def _field_combine(a: Signal, b: Signal, sign: int) -> Signal | None:
    """``a + sign * b`` (same shape) on field vectors, or None when not both are field or
    rational signals of one kind of field."""
    fa, fb = a.field_vector, b.field_vector
    if fa is not None and fb is not None:
        if type(fa) is not type(fb):
            return None
        return Signal.from_field(fa.add(fb, sign), a.shape)
    if fa is not None and b.domain == "QQ":
        return Signal.from_field(fa.add(b.flat_poly(), sign), a.shape)
    if fb is not None and a.domain == "QQ":
        vector = fb.add(a.flat_poly(), -1) if sign < 0 else fb.add(a.flat_poly(), 1)
        return Signal.from_field(vector.scale(flint.fmpq(-1)) if sign < 0 else vector, a.shape)
    return None


def _exact_entry(value: Any, i: int) -> sympy.Expr:
    """Entry ``i`` of ``Signal.from_exprs`` as an exact sympy value (no parsing of text)."""
    if isinstance(value, sympy.Expr):
        if value.is_Float or (not value.is_Atom and value.has(sympy.Float)):
            raise InexactInputError(
                f"values[{brief(i, str)}]={brief(value, str)} contains a float, which is not exact; use Signal.from_floats "
                "for a float's exact binary value, or sympy.Rational"
            )
        return value
    if isinstance(value, flint.fmpq):
        return fmpq_to_sympy(value)
    if isinstance(value, (str, bytes)):
        raise InvalidArgumentError(
            f"values[{brief(i, str)}]={brief(value)} is a string; from_exprs takes exact values (int, Fraction, "
            "flint.fmpq, sympy expressions): read text with the constructor, Signal([...])"
        )
    return to_exact(value, f"values[{brief(i, str)}]")


def _float_entry(value: Any, name: str) -> sympy.Expr:
    """The exact binary value of a real float entry; other entries as in ``to_exact``."""
    is_real_float = isinstance(value, sympy.Float) or (
        isinstance(value, numbers.Real) and not isinstance(value, (numbers.Rational, sympy.Basic))
    )
    if not is_real_float:
        return to_exact(value, name)
    try:
        return from_float(value)
    except InvalidArgumentError:
        raise InvalidArgumentError(
            f"{name}={brief(value)} is not a finite float; from_floats converts finite floats only"
        ) from None


def flat_index(index: int | tuple[int, ...], shape: tuple[int, ...]) -> int:
    """The flat (row-major) position of the multi-index ``index`` in ``shape``.

    Negative indices count from the end of their axis, as in Python; an index
    out of range raises IndexOutOfRangeError.  Inverse of :func:`unravel_index`.

    >>> flat_index((1, 2), (2, 3)), flat_index(-1, (4,)), flat_index((-1, 0), (2, 3))
    (5, 3, 3)
    """
    if not isinstance(index, tuple):
        index = (index,)
    if len(index) != len(shape):
        raise InvalidArgumentError(f"index {brief(index)} must have {len(shape)} entries for shape {brief(shape, str)}")
    flat = 0
    for i, n in zip(index, shape):
        i = operator.index(i)
        _check_in_range(i, n)
        flat = flat * n + (i % n)
    return flat


def _check_in_range(i: int, n: int) -> None:
    if not -n <= i < n:
        raise IndexOutOfRangeError(
            f"index {brief(i, str)} is out of range for an axis of length {brief(n, str)}; use an index in range({brief(-n, str)}, {brief(n, str)})"
        )


def unravel_index(flat: int, shape: tuple[int, ...]) -> tuple[int, ...]:
    """The multi-index of flat (row-major) entry ``flat`` in ``shape``
    (``0 <= flat < prod(shape)``); inverse of :func:`flat_index`.

    >>> unravel_index(5, (2, 3)), unravel_index(0, (2, 2, 2))
    ((1, 2), (0, 0, 0))
    """
    if not 0 <= flat < math.prod(shape):
        raise IndexOutOfRangeError(
            f"flat={brief(flat, str)} is out of range for shape {brief(tuple(shape), str)}; use 0 <= flat < {brief(math.prod(shape), str)}"
        )
    idx = []
    for n in reversed(shape):
        idx.append(flat % n)
        flat //= n
    return tuple(reversed(idx))


def _as_index(k: Any) -> int:
    """An index as an int; a numpy array that is not an integer scalar is refused by name."""
    try:
        return operator.index(k)
    except TypeError:
        raise InvalidArgumentError(
            f"index {brief(k)} must be an int or a slice (fancy indexing is not supported); "
            "use a comprehension or Signal.map for other selections"
        ) from None


def _index_text(flat: int, shape: tuple[int, ...]) -> str:
    return "[" + "][".join(brief(i, str) for i in unravel_index(flat, shape)) + "]"


def _nest(flat: list, shape: tuple[int, ...]) -> list:
    if len(shape) == 1:
        return list(flat)
    step = math.prod(shape[1:])
    return [_nest(flat[i * step:(i + 1) * step], shape[1:]) for i in range(shape[0])]


def _nest_text(flat: list, shape: tuple[int, ...], show: Callable[[Any], str] = str) -> str:
    """The nested-list text of ``flat`` entries in ``shape``, each entry shown by ``show``."""
    if len(shape) == 1:
        return "[" + ", ".join(show(v) for v in flat) + "]"
    step = math.prod(shape[1:])
    return "[" + ", ".join(_nest_text(flat[i * step:(i + 1) * step], shape[1:], show) for i in range(shape[0])) + "]"


def _entry_text(value: Any) -> str:
    """An entry as a repr shows it: in full when short, a huge number as head...tail (N digits)."""
    return brief(value, str)


def is_zero_signal(signal: Signal, *, budget: float | None = None) -> bool | None:
    """True if every entry of ``signal`` is exactly zero, False if one is
    certified nonzero, None if undecided (exact zero tests, never a tolerance).

    >>> import sympy
    >>> is_zero_signal(Signal([0, sympy.sqrt(2)**2 - 2])), is_zero_signal(Signal([0, '1/3']))
    (True, False)
    """
    if not isinstance(signal, Signal):
        raise InvalidArgumentError(f"signal must be a symequi.Signal, not {type(signal).__name__}")
    if signal.domain == "QQ":
        return signal.flat_poly() == 0
    if signal.field_vector is not None:  # a field signal is never all-rational, so not zero
        return False
    undecided = False
    for entry in signal.flat_exprs():
        verdict = is_zero(entry, budget=budget)
        if verdict is False:
            return False
        undecided = undecided or verdict is None
    return None if undecided else True


#: Values that are not finite exact numbers: they never enter a Signal.
_NOT_FINITE = (sympy.oo, -sympy.oo, sympy.zoo, sympy.nan)


def _check_finite(exprs: Sequence[sympy.Expr], shape: tuple[int, ...]) -> None:
    """Refuse infinities, NaN and distributions (DiracDelta) among a signal's entries.

    >>> Signal([sympy.oo])
    Traceback (most recent call last):
    ...
    symequi.core.errors.InvalidArgumentError: entry [0] = oo is not a finite exact value (infinity, nan or a distribution); a Signal holds finite numbers or expressions
    """
    for i, e in enumerate(exprs):
        if not e.is_Rational and (e.has(*_NOT_FINITE) or e.has(sympy.DiracDelta)):
            raise InvalidArgumentError(
                f"entry {brief(_index_text(i, shape), str)} = {brief(e, str)} is not a finite exact value (infinity, nan or a "
                "distribution); a Signal holds finite numbers or expressions"
            )
