"""Linear operators on 1-D signals given by exact matrices over cyclotomic fields.

Ideal (band-limited) resampling, low-pass filtering and the band-limited
shift have matrices whose entries are algebraic numbers of cyclotomic fields
``Q(zeta_M)``.  :class:`CyclotomicLinear` is the base class of such
operators: a subclass says, for each input length ``n``, what its matrix is
(:meth:`CyclotomicLinear._build_matrix`, entries
:class:`~symequi.arith.cyclotomic.CyclotomicElement`); the base class validates the
length, caches the matrix and applies it:

* rational or cyclotomic inputs (``sqrt(2)``, ``cos(pi/8)``, ``I``, ...) are
  mapped inside the field, so outputs come in the canonical form of
  :meth:`CyclotomicElement.to_sympy <symequi.arith.cyclotomic.CyclotomicElement.to_sympy>`
  and can be zero-tested exactly with :func:`~symequi.arith.cyclotomic.to_cyclotomic`;
* other symbolic inputs (free symbols, ``pi``) go through expanded sympy sums.

The public :meth:`~CyclotomicLinear.cyclotomic_matrix` also feeds the formal
arithmetic of :mod:`symequi.arith.formal_laurent` (:func:`~symequi.arith.formal_laurent.formal_matvec`).

Example
-------
>>> from symequi.arith.cyclotomic import CyclotomicElement
>>> from symequi.core.signal import Signal
>>> class Reverse(CyclotomicLinear):
...     def _build_matrix(self, n):
...         one, zero = CyclotomicElement.rational(1), CyclotomicElement.rational(0)
...         return [[one if i + j == n - 1 else zero for j in range(n)] for i in range(n)]
>>> Reverse()(Signal([1, 2, 3]))
Signal([3, 2, 1])
"""

from __future__ import annotations

import sympy

from .cyclotomic import CyclotomicElement, to_cyclotomic
from ..core.errors import InvalidArgumentError
from ..core.exact import positive_int
from ..core.operator import Operator
from ..core.signal import Signal
from ..core.texts import brief

__all__ = ["CyclotomicLinear", "CyclotomicMatrix"]

#: A matrix over cyclotomic fields: a tuple of rows.
CyclotomicMatrix = tuple[tuple[CyclotomicElement, ...], ...]


class CyclotomicLinear(Operator):
    """Base class of linear operators on 1-D signals with exact cyclotomic matrices.

    Subclasses implement ``_build_matrix(n)`` (the matrix for inputs of
    length ``n``, rows of :class:`~symequi.arith.cyclotomic.CyclotomicElement`) and
    may override ``_check_length(n)`` (raise
    :class:`~symequi.core.errors.InvalidArgumentError` for lengths the operator
    does not accept) and ``output_length(n)`` (default: the number of rows).

    See Also
    --------
    symequi.translations.resampling.FourierUpsample, symequi.translations.resampling.IdealLowPass,
    symequi.translations.resampling.Downsample : the resampling operators built on it.
    symequi.deciders.linear.MatrixOperator : one fixed matrix with sympy entries.

    Example
    -------
    >>> from symequi.translations.resampling import IdealLowPass
    >>> [[c.to_sympy() for c in row] for row in IdealLowPass(0).cyclotomic_matrix(2)]
    [[1/2, 1/2], [1/2, 1/2]]
    """

    is_linear = True

    # --- what a subclass provides ---------------------------------------------------
    def _build_matrix(self, n: int) -> list[list[CyclotomicElement]]:  # pragma: no cover - abstract
        raise NotImplementedError(f"{type(self).__name__} must implement _build_matrix(n)")

    def _check_length(self, n: int) -> None:
        """Raise InvalidArgumentError if inputs of length ``n`` are not accepted (default: all are)."""

    def output_length(self, n: int) -> int:
        """The length of the output for an input of length ``n``.

        >>> from symequi.translations.resampling import FourierUpsample
        >>> FourierUpsample(3).output_length(4)
        12
        """
        return len(self.cyclotomic_matrix(n))

    # --- the matrix -------------------------------------------------------------------
    def cyclotomic_matrix(self, n: int) -> CyclotomicMatrix:
        """The exact matrix for inputs of length ``n`` (cached), as rows of
        :class:`~symequi.arith.cyclotomic.CyclotomicElement`.

        >>> from symequi.translations.resampling import Downsample
        >>> [[c.to_sympy() for c in row] for row in Downsample(2).cyclotomic_matrix(4)]
        [[1, 0, 0, 0], [0, 0, 1, 0]]
        """
        n = positive_int(n, "n")
        cache = self.__dict__.setdefault("_cyclotomic_matrices", {})
        if n not in cache:
            self._check_length(n)
            rows = self._build_matrix(n)
            matrix = tuple(tuple(row) for row in rows)
            if any(len(row) != n for row in matrix) or not all(
                isinstance(c, CyclotomicElement) for row in matrix for c in row
            ):
                raise InvalidArgumentError(
                    f"{type(self).__name__}._build_matrix({brief(n, str)}) must return rows of {brief(n, str)} CyclotomicElement entries"
                )
            cache[n] = matrix
        return cache[n]

    # --- Operator protocol --------------------------------------------------------------
    def _length(self, shape: tuple[int, ...]) -> int:
        if len(shape) != 1:
            raise InvalidArgumentError(
                f"{brief(self.describe(), str)} acts on 1-D signals, not shape={brief(tuple(shape), str)}; "
                "reshape the signal to one axis"
            )
        n = positive_int(shape[0], "signal length")
        self._check_length(n)
        return n

    def output_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        """``(output_length(n),)`` for 1-D inputs of length ``n``.

        >>> from symequi.translations.resampling import Downsample
        >>> Downsample(3).output_shape((9,))
        (3,)
        """
        return (self.output_length(self._length(tuple(shape))),)

    def _apply(self, signal: Signal) -> Signal:
        n = self._length(signal.shape)
        matrix = self.cyclotomic_matrix(n)
        values = _as_cyclotomic(signal)
        if values is not None:
            out = []
            for row in matrix:
                acc = CyclotomicElement.rational(0)
                for c, v in zip(row, values):
                    if not c.is_zero and not v.is_zero:
                        acc = acc + c * v
                out.append(acc.to_sympy())
            return Signal.from_exprs(out, (len(matrix),))
        entries = signal.flat_exprs()
        return Signal.from_exprs(
            [
                sympy.expand(sum((c.to_sympy() * v for c, v in zip(row, entries) if not c.is_zero), sympy.Integer(0)))
                for row in matrix
            ],
            (len(matrix),),
        )


def _as_cyclotomic(signal: Signal) -> list[CyclotomicElement] | None:
    """The entries as cyclotomic numbers, or None when one is not (a free symbol, pi, ...)."""
    if signal.domain == "QQ":
        return [CyclotomicElement.rational(q) for q in signal.flat_fmpqs()]
    values: list[CyclotomicElement] = []
    for entry in signal.flat_exprs():
        if entry.free_symbols:
            return None
        try:
            values.append(to_cyclotomic(entry))
        except InvalidArgumentError:
            return None
    return values
