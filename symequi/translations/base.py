"""Discrete translations: moving a sampled signal by s cells, exactly.

A discrete translation by ``s`` cells moves content RIGHT by ``s`` cells:
``out_j`` is "u at position ``j - s``".  Every translation here is a linear
operator of the form ``out_j = sum_m h_m u_{j-m}`` (a convolution with taps
``h_m``, see :meth:`DiscreteTranslation.taps`), with

* ``boundary="periodic"``: indices wrap modulo the length (exact shift
  equivariance: the operator commutes with every integer roll), or
* ``boundary="zeros"``: samples outside ``0 .. n-1`` are 0.

``s`` is exact: an int, a rational (``'1/2'``, ``Fraction(1, 2)``), an exact
irrational number, or a sympy expression with free symbols (then the entries
and the matrix are expressions in those symbols).  Floats and infinities are
refused.  n-D signals are shifted axis by axis (separably) with
``s = (s_0, ..., s_{d-1})``, ``s_i`` along axis ``i`` (for a signal sampled on
``Grid_x * Grid_y``, axis 0 is x); a single number ``s`` is for 1-D signals
(use ``s=(0, s)`` to shift only the last axis of a ``(channels, n)`` signal).

Methods (:func:`shift`): ``"integer"`` (:class:`IntegerShift`), ``"linear"``,
``"cubic"``, ``"lagrange"``, ``"lanczos"``
(:class:`~symequi.translations.interpolation.InterpolationShift`), ``"fourier"``
(:class:`~symequi.translations.fourier.FourierShift`) and ``"finite_volume"``
(:class:`~symequi.translations.finite_volume.FiniteVolumeShift`).

Example
-------
>>> from symequi.translations import shift
>>> from symequi.core.signal import Signal
>>> shift(1)(Signal([1, 2, 3, 4]))
Signal([4, 1, 2, 3])
>>> shift('1/2', method='linear')(Signal([0, 0, 1, 1]))
Signal([1/2, 0, 1/2, 1])
>>> shift('1/2', method='linear', boundary='zeros')(Signal([0, 0, 1, 1]))
Signal([0, 0, 1/2, 1])
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping
from typing import Any

import flint
import sympy
from sympy.polys.matrices import DomainMatrix

from ..arith.cyclotomic import CyclotomicElement
from ..arith.field_maps import apply_by_coordinates, field_elements, from_elements
from ..core.errors import InvalidArgumentError
from ..core.exact import as_sympy, fmpq_to_sympy, positive_int, to_exact
from ..core.encoding import SparseRows
from ..core.operator import Operator, is_library_class, trusted_protocol
from ..core.signal import Signal, check_shape
from ..core.texescape import Phrase
from ..core.types import BOUNDARIES, SHIFT_METHODS, Boundary
from ..core.texts import brief, brief_latex

__all__ = ["DiscreteTranslation", "IntegerShift", "BOUNDARIES", "METHODS"]

#: The methods :func:`shift` understands (``BOUNDARIES``: the boundary treatments).
METHODS = SHIFT_METHODS

Taps = dict[int, Any]


def _check_component(value: Any, name: str) -> sympy.Expr:
    expr = to_exact(value, name, symbols=True)  # a shift may be symbolic, e.g. 's'
    if expr.has(sympy.oo, -sympy.oo, sympy.zoo, sympy.nan) or expr.is_finite is False:
        raise InvalidArgumentError(
            f"{name}={brief(value)} is not finite; a translation moves by a finite number of cells"
        )
    if expr.is_real is False:
        raise InvalidArgumentError(f"{name}={brief(value)} is not real; a translation moves by a real number of cells")
    if not expr.free_symbols and expr.is_real is not True:
        raise InvalidArgumentError(f"{name}={brief(value)} is not a real number")
    return expr


def _check_shifts(s: Any) -> tuple[sympy.Expr, ...]:
    if isinstance(s, (tuple, list)):
        if not s:
            raise InvalidArgumentError("s=() is empty; pass one shift per axis, e.g. s=('1/2', 0)")
        return tuple(_check_component(v, f"s[{i}]") for i, v in enumerate(s))
    return (_check_component(s, "s"),)


def _check_boundary(boundary: Any) -> Boundary:
    if boundary not in BOUNDARIES:
        raise InvalidArgumentError(
            f"boundary={brief(boundary)} is not supported; use one of {brief(', '.join(brief(item) for item in BOUNDARIES), str)}"
        )
    return boundary


def _cyclotomic_entries(signal: Signal) -> list[CyclotomicElement] | None:
    """The entries of a rational signal, or of one held in a cyclotomic field, as elements."""
    if signal.is_rational:
        return [CyclotomicElement.rational(v) for v in signal.flat_fmpqs()]
    return field_elements(signal, real=False)


def _is_fmpq_taps(taps: Taps) -> bool:
    return all(isinstance(v, flint.fmpq) for v in taps.values())


def _as_expr(value: Any) -> sympy.Expr:
    return as_sympy(value)


def _shift_text(s: sympy.Expr) -> str:
    return brief(s, str)


class DiscreteTranslation(Operator):
    """Base class of exact discrete translations (linear operators).

    Subclasses implement :meth:`_axis_taps` (the taps ``h_m`` of the shift by
    one axis's ``s`` on an axis of length ``n``) and the text methods; this
    class validates ``s`` and ``boundary``, applies the taps axis by axis
    (a python-flint polynomial product for rational data and taps), and builds
    the exact matrix.

    Attributes
    ----------
    s : the shift as given (one number/expression, or a tuple for n-D)
    shifts : tuple of sympy expressions, one per axis
    boundary : ``"periodic"`` or ``"zeros"``
    method : the method's name (``"integer"``, ``"linear"``, ...)

    Example
    -------
    >>> T = IntegerShift(2, boundary='zeros')
    >>> T(Signal([1, 2, 3, 4])), T.is_linear, T.is_piecewise_linear
    (Signal([0, 0, 1, 2]), True, True)
    """

    is_linear = True
    method: str = "translation"

    def __init__(self, s: Any, *, boundary: Boundary = "periodic") -> None:
        self.shifts: tuple[sympy.Expr, ...] = _check_shifts(s)
        self.s = self.shifts if isinstance(s, (tuple, list)) else self.shifts[0]
        self.boundary: Boundary = _check_boundary(boundary)

    # --- properties the deciders read ---------------------------------------------
    @property
    def is_piecewise_linear(self) -> bool:  # type: ignore[override]
        """True when every shift is rational (then the matrix is rational for the
        integer, polynomial-kernel and finite-volume methods)."""
        return all(v.is_Rational for v in self.shifts)

    @property
    def is_symbolic(self) -> bool:
        """True when the shift has free symbols."""
        return any(v.free_symbols for v in self.shifts)

    @property
    def free_symbols(self) -> set[sympy.Symbol]:
        return set().union(*(v.free_symbols for v in self.shifts))

    # --- taps ---------------------------------------------------------------------
    def _axis_taps(self, s: sympy.Expr, n: int) -> Taps:  # pragma: no cover - abstract
        """Taps ``{m: h_m}`` (fmpq or sympy values) with ``out_j = sum_m h_m u_{j-m}``."""
        raise NotImplementedError

    def taps(self, n: int, *, axis: int = 0) -> dict[int, sympy.Expr]:
        """The convolution taps along ``axis`` for an axis of length ``n``.

        ``out_j = sum_m taps[m] * u_{j-m}`` (indices wrapped for the periodic
        boundary, missing samples 0 for the zero boundary); zero taps are left out.

        >>> from symequi.translations import shift
        >>> shift('1/4', method='linear').taps(8)
        {0: 3/4, 1: 1/4}
        """
        if not 0 <= axis < len(self.shifts):
            raise InvalidArgumentError(f"axis={brief(axis, str)} is out of range for {len(self.shifts)} shift(s)")
        n = positive_int(n, "n")
        raw = self._axis_taps(self.shifts[axis], n)
        return {m: _as_expr(v) for m, v in sorted(raw.items()) if _as_expr(v) != 0}

    # --- application --------------------------------------------------------------
    def _check_signal(self, signal: Signal) -> None:
        if signal.ndim != len(self.shifts):
            if len(self.shifts) == 1:
                raise InvalidArgumentError(
                    f"s={brief(self.s, str)} is one shift but the signal is {brief(signal.ndim, str)}-D with shape "
                    f"{brief(signal.shape, str)}; pass one shift per axis, e.g. s={brief((0,) * (signal.ndim - 1) + (self.s,), str)}"
                )
            raise InvalidArgumentError(
                f"s={brief(self.s, str)} has {len(self.shifts)} entries but the signal is {brief(signal.ndim, str)}-D "
                f"with shape {brief(signal.shape, str)}; pass one shift per axis"
            )

    def _apply(self, signal: Signal) -> Signal:
        self._check_signal(signal)
        for axis, s in enumerate(self.shifts):
            if s == 0:
                continue
            n = signal.shape[axis]
            field_taps = self._field_taps(s, n) if is_library_class(type(self)) else None
            if field_taps is not None and (elements := _cyclotomic_entries(signal)) is not None:
                signal = from_elements(self._shift_elements(elements, signal.shape, axis, field_taps), signal.shape)
            else:
                signal = self._shift_axis(signal, axis, self._axis_taps(s, n))
        return signal

    def _field_taps(self, s: sympy.Expr, n: int) -> dict[int, CyclotomicElement] | None:
        """The taps of :meth:`_axis_taps` as cyclotomic elements when they are algebraic ones
        that are not all rational (then a rational or cyclotomic signal is shifted in its field,
        never through sympy); None otherwise.  Library classes only (``_apply`` checks)."""
        return None

    def _shift_elements(self, values: list[CyclotomicElement], shape: tuple[int, ...], axis: int,
                        taps: dict[int, CyclotomicElement]) -> list[CyclotomicElement]:
        """``out_j = sum_m h_m u_{j-m}`` along ``axis`` in the field (the formula of :meth:`_shift_axis`)."""
        out = list(values)
        zero = CyclotomicElement.rational(0)
        for line in _lines(shape, axis):
            for j, reads in enumerate(_reads(taps.items(), shape[axis], self.boundary)):
                total = zero
                for h, k in reads:
                    if not values[line[k]].is_zero:
                        total = total + h * values[line[k]]
                out[line[j]] = total
        return out

    def _shift_axis(self, signal: Signal, axis: int, taps: Taps) -> Signal:
        """Apply ``out_j = sum_m h_m u_{j-m}`` along ``axis`` with this boundary."""
        shape = signal.shape
        n = shape[axis]
        if signal.domain == "QQ" and _is_fmpq_taps(taps):
            if signal.ndim == 1:
                return Signal.from_poly(_convolve_poly(signal.flat_poly(), taps, n, self.boundary), shape)
            values = signal.flat_fmpqs()
            out = list(values)
            for line in _lines(shape, axis):
                poly = flint.fmpq_poly([values[i] for i in line])
                result = _convolve_poly(poly, taps, n, self.boundary)
                for k, i in enumerate(line):
                    out[i] = result[k]
            return Signal.from_fmpqs(out, shape)
        if _is_fmpq_taps(taps):  # entries in a cyclotomic field: one rational column at a time
            in_field = apply_by_coordinates(signal, lambda column: self._shift_axis(column, axis, taps), linear=True)
            if in_field is not None:
                return in_field
        exprs = signal.flat_exprs()
        out_exprs = list(exprs)
        tap_exprs = [(m, _as_expr(v)) for m, v in taps.items()]
        for line in _lines(shape, axis):
            for j, reads in enumerate(_reads(tap_exprs, n, self.boundary)):
                out_exprs[line[j]] = sympy.Add(*(h * exprs[line[k]] for h, k in reads))
        return Signal.from_exprs(out_exprs, shape)

    semantic_methods = ("_apply", "_shift_axis", "_axis_taps", "_field_taps", "_shift_elements")

    def _sparse_rows_from_columns(self, shape: tuple[int, ...]) -> tuple[SparseRows, tuple[int, ...]]:
        """1-D translations with rational taps: the rows straight from the taps, O(N K)
        (``out_j = sum_m h_m u_(j-m)``, the formula ``_shift_axis`` applies); other cases, and
        subclasses that compute their values another way, read the columns."""
        if (len(shape) != 1 or len(self.shifts) != 1 or type(self)._apply is not DiscreteTranslation._apply
                or not trusted_protocol(self, "_sparse_rows_from_columns")):
            return super()._sparse_rows_from_columns(shape)
        n = shape[0]
        taps = self._axis_taps(self.shifts[0], n) if self.shifts[0] != 0 else {0: flint.fmpq(1)}
        if not _is_fmpq_taps(taps):
            return super()._sparse_rows_from_columns(shape)
        rows: SparseRows = [[] for _ in range(n)]
        for (j, k), v in sorted(_tap_entries(taps, n, self.boundary).items()):
            if v != 0:
                rows[j].append((k, v))
        return rows, (n,)

    def circulant_taps(self, n: int) -> Mapping[int, Any] | None:
        """The taps ``{m: h_m}`` of a 1-D periodic translation on length ``n`` (``out_j = sum_m
        h_m u_{(j-m) mod n}``, the formula its ``_apply`` applies); None for the zero boundary,
        n-D shifts, and subclasses that compute their values another way.

        >>> IntegerShift(-1).circulant_taps(4)
        {-1: 1}
        >>> IntegerShift(1, boundary='zeros').circulant_taps(4) is None
        True
        """
        if (self.boundary != "periodic" or len(self.shifts) != 1
                or type(self)._apply is not DiscreteTranslation._apply):
            return None
        n = positive_int(n, "n")
        return self._axis_taps(self.shifts[0], n) if self.shifts[0] != 0 else {0: flint.fmpq(1)}

    def matrix(self, shape: tuple[int, ...] | int) -> DomainMatrix:
        """The exact matrix on inputs of ``shape`` (rows/columns: flat row-major entries).

        Over QQ when every entry is rational, EX otherwise.

        >>> from symequi.translations import shift
        >>> shift(1).matrix(3).to_Matrix()
        Matrix([
        [0, 0, 1],
        [1, 0, 0],
        [0, 1, 0]])
        """
        shape = check_shape(shape, "shape")
        if len(shape) != 1:
            return super().matrix(shape)
        if len(self.shifts) != 1:
            raise InvalidArgumentError(
                f"shape={brief(shape, str)} is 1-D but s={brief(self.s, str)} has {len(self.shifts)} entries"
            )
        n = shape[0]
        taps = self._axis_taps(self.shifts[0], n)
        entries = _tap_entries(taps, n, self.boundary)
        if _is_fmpq_taps(taps):
            data = [[flint.fmpq(0)] * n for _ in range(n)]
            for (j, k), v in entries.items():
                data[j][k] = v
            return DomainMatrix(data, (n, n), sympy.QQ)
        rows = [[sympy.Integer(0)] * n for _ in range(n)]
        for (j, k), v in entries.items():
            rows[j][k] = _as_expr(v)
        return DomainMatrix.from_list_sympy(n, n, rows)

    # --- reports ------------------------------------------------------------------
    def _method_conventions(self) -> tuple[str, ...]:
        return ()

    def conventions(self) -> tuple[str, ...]:
        """The conventions in words: method, direction, boundary, n-D handling."""
        common = [Phrase(
            "discrete translation by s cells moves content right: out_j = u at position j - s "
            "(out_j = sum_m h_m u_{j-m})",
            r"discrete translation by $s$ cells moves content right: $\mathrm{out}_j$ is $u$ at position $j - s$ "
            r"($\mathrm{out}_j = \sum_m h_m u_{j-m}$)")]
        if self.boundary == "periodic":
            common.append(Phrase("periodic boundary: indices wrap modulo the signal length (exact shift equivariance)",
                                 "periodic boundary: indices wrap modulo the signal length (exact shift equivariance)"))
        else:
            common.append(Phrase(
                "zero boundary: samples outside 0..n-1 are 0 (shift equivariance only away from the ends)",
                r"zero boundary: samples outside $0, \dots, n-1$ are $0$ (shift equivariance only away from the ends)"))
        if len(self.shifts) > 1:
            common.append(Phrase("n-D: axis i is shifted by s[i], one axis after another (separable)",
                                 r"$n$-D: axis $i$ is shifted by $s_i$, one axis after another (separable)"))
        return tuple(common) + self._method_conventions()

    def _s_text(self) -> str:
        if len(self.shifts) == 1:
            return _shift_text(self.shifts[0])
        return "(" + ", ".join(_shift_text(v) for v in self.shifts) + ")"

    def describe(self) -> str:
        return f"{type(self).__name__}(s={brief(self._s_text(), str)}, method={brief(self.method)}, boundary={brief(self.boundary)})"

    def latex(self) -> str:
        if len(self.shifts) == 1:
            sub = brief_latex(self.shifts[0])
        else:
            sub = r"\left(" + ", ".join(brief_latex(v) for v in self.shifts) + r"\right)"
        return r"T^{\mathrm{" + self.method.replace("_", r"\_") + r"}}_{" + sub + "}"

    def __repr__(self) -> str:
        return self.describe()

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and _state(self) == _state(other)

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.shifts, self.boundary))


def _state(op: DiscreteTranslation) -> dict[str, Any]:
    """The attributes that define a translation (not the matrices cached on it)."""
    return {k: v for k, v in vars(op).items() if k != "_protocol_cache"}


def _tap_entries(taps: Taps, n: int, boundary: str) -> dict[tuple[int, int], Any]:
    """The nonzero-pattern entries ``(j, k) -> value`` of ``out_j = sum_m h_m u_(j-m)`` on length
    ``n`` (indices wrapped for the periodic boundary, dropped outside for the zero boundary)."""
    entries: dict[tuple[int, int], Any] = {}
    for j in range(n):
        for m, h in taps.items():
            k = j - m
            if boundary == "periodic":
                k %= n
            elif not 0 <= k < n:
                continue
            entries[(j, k)] = entries[(j, k)] + h if (j, k) in entries else h
    return entries


def _reads(taps: Iterable[tuple[int, Any]], n: int, boundary: str) -> list[list[tuple[Any, int]]]:
    """For each output ``j`` of a line of length ``n``, the pairs ``(h_m, j - m)`` of
    ``out_j = sum_m h_m u_{j-m}``: indices wrapped (periodic) or dropped outside (zeros).

    >>> _reads([(0, 'a'), (1, 'b')], 2, 'zeros')
    [[('a', 0)], [('a', 1), ('b', 0)]]
    """
    pairs = list(taps)
    if boundary == "periodic":
        return [[(h, (j - m) % n) for m, h in pairs] for j in range(n)]
    return [[(h, j - m) for m, h in pairs if 0 <= j - m < n] for j in range(n)]


def _lines(shape: tuple[int, ...], axis: int) -> list[list[int]]:
    """Flat indices of every line along ``axis`` (row-major)."""
    strides = [math.prod(shape[k + 1:]) for k in range(len(shape))]
    others = [range(n) if k != axis else range(1) for k, n in enumerate(shape)]
    lines = []
    for idx in itertools.product(*others):
        base = sum(i * st for i, st in zip(idx, strides))
        lines.append([base + j * strides[axis] for j in range(shape[axis])])
    return lines


def _convolve_poly(poly: flint.fmpq_poly, taps: Taps, n: int, boundary: str) -> flint.fmpq_poly:
    """``out_j = sum_m h_m u_{j-m}`` for one line held as a polynomial (entry i = coeff i)."""
    if not taps:
        return flint.fmpq_poly()
    low = min(taps)
    high = max(taps)
    if boundary != "periodic" and (low >= n or high <= -n):
        return flint.fmpq_poly()  # every tap reads outside the line: all zeros (also for huge shifts)
    coeffs = [flint.fmpq(0)] * (high - low + 1)
    for m, h in taps.items():
        coeffs[m - low] = h
    product = poly * flint.fmpq_poly(coeffs)   # coefficient of x^(j - low) is out_j
    if boundary == "periodic":
        # coefficient k of the product is out_{k + low}; shifting by low mod n and reducing
        # mod x^n - 1 folds every k with k + low = j (mod n) onto coefficient j.
        return product.left_shift(low % n) % flint.fmpq_poly([-1] + [0] * (n - 1) + [1])
    if low >= 0:
        return product.left_shift(low).truncate(n)
    return product.right_shift(-low).truncate(n)


class IntegerShift(DiscreteTranslation):
    """Shift by an integer number of cells: a periodic roll or a zero fill.

    Parameters
    ----------
    s : int, or a tuple of ints (one per axis)
    boundary : ``"periodic"`` (roll) or ``"zeros"`` (vacated cells become 0)

    >>> IntegerShift(-1)(Signal([1, 2, 3]))
    Signal([2, 3, 1])
    >>> IntegerShift((0, 1))(Signal([[1, 2], [3, 4]]))
    Signal([[2, 1], [4, 3]])
    """

    method = "integer"

    def __init__(self, s: Any, *, boundary: Boundary = "periodic") -> None:
        super().__init__(s, boundary=boundary)
        for i, v in enumerate(self.shifts):
            if not v.is_Integer:
                name = "s" if len(self.shifts) == 1 else f"s[{i}]"
                raise InvalidArgumentError(
                    f"{name}={brief(v, str)} is not an integer; method='integer' shifts by whole cells. "
                    "For a sub-cell shift use method='linear', 'cubic', 'lagrange', 'lanczos', "
                    "'fourier' or 'finite_volume'"
                )

    def _axis_taps(self, s: sympy.Expr, n: int) -> Taps:
        return {int(s): flint.fmpq(1)}

    def _method_conventions(self) -> tuple[str, ...]:
        return (Phrase("integer shift: out_j = u_{j-s}", r"integer shift: $\mathrm{out}_j = u_{j-s}$"),)
