"""Classifier heads: :class:`Flatten` and :class:`Linear` (PyTorch's ``nn.Flatten`` and ``nn.Linear``).

``Linear(weight, bias)`` maps the last axis of length ``K`` to length ``M``:
``y_i = sum_k W_{ik} x_k + b_i`` (``weight`` of shape ``(M, K)``), on every
row of a signal of shape ``(..., K)``.  ``Flatten()`` reshapes a signal to one
axis (row-major, as ``torch.flatten`` of everything but the batch axis).
Both have exact rational parameters and describe themselves to the deciders as
a sparse matrix (plus the bias).

Example
-------
>>> from symequi.layers.dense import Flatten, Linear
>>> from symequi.core.operator import Sequential
>>> Sequential(Flatten(), Linear([[1, 1, 1, 1]], bias=['-1/2']))([[1, 2], [3, 4]])
Signal([19/2])
"""

from __future__ import annotations

import math
from typing import Any

import flint

from ..core.encoding import SparseRows, V, VectorAlgebra
from ..core.errors import EncodingError, InvalidArgumentError
from ..core.operator import Operator
from ..core.signal import Signal
from ..core.texescape import Phrase
from .convolution import exact_array
from ..core.texts import brief

__all__ = ["Flatten", "Linear"]

_ONE = flint.fmpq(1)


class Flatten(Operator):
    """Reshape to one axis (row-major); linear, a permutation-free relabelling.

    >>> Flatten().output_shape((2, 3, 4))
    (24,)
    """

    is_linear = True
    is_piecewise_linear = True

    def _apply(self, signal: Signal) -> Signal:
        return signal.reshape((signal.size,))

    def output_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        shape = (shape,) if isinstance(shape, int) else tuple(shape)
        return (math.prod(shape),)

    def encode(self, algebra: VectorAlgebra[V], values: V, shape: tuple[int, ...]) -> V:
        """The identity matrix (the flat entries do not move)."""
        size = math.prod(shape)
        return algebra.linear(values, [[(i, _ONE)] for i in range(size)], size)

    def maps_reals_to_reals(self) -> bool:
        return True

    def conventions(self) -> tuple[str, ...]:
        return (Phrase("flatten: the entries in row-major order (channels first), as torch.flatten(x, 1)",
                       r"flatten: the entries in row-major order (channels first), as \texttt{torch.flatten(x, 1)}"),)

    def describe(self) -> str:
        return "flatten"

    def __repr__(self) -> str:
        return "Flatten()"


class Linear(Operator):
    """``y = W x + b`` on the last axis (PyTorch's ``nn.Linear``: ``weight`` of shape ``(M, K)``).

    Parameters
    ----------
    weight : ``(M, K)`` nested list or Signal of exact rationals.
    bias : ``M`` exact rationals, or None.

    >>> Linear([[1, 0], [1, 1]], bias=[0, 1])([[1, 2], [3, 4]])
    Signal([[1, 4], [3, 8]])
    """

    is_piecewise_linear = True
    semantic_methods = ("_apply", "_rows")

    def __init__(self, weight: Any, bias: Any = None) -> None:
        w = exact_array(weight, "weight")
        if w.ndim != 2:
            raise InvalidArgumentError(f"weight has shape {brief(w.shape, str)}; give a matrix (M, K) as torch's Linear.weight")
        if not w.is_rational:
            raise InvalidArgumentError("weight must have rational entries (use symequi.from_float for a float weight)")
        self.weight: Signal = w
        self.out_features, self.in_features = w.shape
        self.bias: Signal | None = None
        if bias is not None:
            b = exact_array(bias, "bias")
            if b.shape != (self.out_features,) or not b.is_rational:
                raise InvalidArgumentError(
                    f"bias has shape {brief(b.shape, str)}; give {brief(self.out_features, str)} rationals, one per output feature"
                )
            self.bias = b
        flat = w.flat_fmpqs()
        k = self.in_features
        self._w_rows = [[(j, flat[i * k + j]) for j in range(k) if flat[i * k + j] != 0] for i in range(self.out_features)]
        self._b = self.bias.flat_fmpqs() if self.bias is not None else None

    @property
    def is_linear(self) -> bool:  # type: ignore[override]
        """True without a bias (or with a zero bias)."""
        return self._b is None or all(v == 0 for v in self._b)

    def _check(self, shape: tuple[int, ...]) -> int:
        if not shape or shape[-1] != self.in_features:
            raise InvalidArgumentError(
                f"Linear({brief(self.in_features, str)} -> {brief(self.out_features, str)}) needs a last axis of length "
                f"{brief(self.in_features, str)}; got shape {brief(shape, str)} (insert a Flatten() first?)"
            )
        return math.prod(shape[:-1])

    def output_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        shape = (shape,) if isinstance(shape, int) else tuple(shape)
        self._check(shape)
        return shape[:-1] + (self.out_features,)

    def _rows(self, shape: tuple[int, ...]) -> SparseRows:
        """Sparse rows of ``W`` applied to every row of the input."""
        rows: SparseRows = []
        k = self.in_features
        for r in range(self._check(tuple(shape))):
            rows.extend([(r * k + j, c) for j, c in row] for row in self._w_rows)
        return rows

    def _apply(self, signal: Signal) -> Signal:
        if not signal.is_rational:
            raise EncodingError("Linear applies to rational signals only; give exact rational inputs")
        flat = signal.flat_fmpqs()
        out = []
        for i, row in enumerate(self._rows(signal.shape)):
            total = flint.fmpq(0)
            for j, c in row:
                total += c * flat[j]
            if self._b is not None:
                total += self._b[i % self.out_features]
            out.append(total)
        return Signal.from_fmpqs(out, self.output_shape(signal.shape))

    def encode(self, algebra: VectorAlgebra[V], values: V, shape: tuple[int, ...]) -> V:
        """The weight matrix (sparse rows), then the bias as an offset."""
        rows = self._rows(tuple(shape))
        out = algebra.linear(values, rows, len(rows))
        if self.is_linear:
            return out
        assert self._b is not None
        return algebra.add_constants(out, [self._b[i % self.out_features] for i in range(len(rows))])

    def maps_reals_to_reals(self) -> bool:
        return True

    def conventions(self) -> tuple[str, ...]:
        return (Phrase(f"linear layer y = W x + b on the last axis ({self.in_features} -> {self.out_features} "
                       "features, torch.nn.Linear)",
                       f"linear layer $y = W x + b$ on the last axis (${self.in_features} \\to {self.out_features}$ "
                       r"features, \texttt{torch.nn.Linear})"),)

    def describe(self) -> str:
        bias = "" if self.bias is None else " + bias"
        return f"linear {brief(self.in_features, str)} -> {brief(self.out_features, str)}{bias}"

    def __repr__(self) -> str:
        return f"Linear({brief(self.in_features, str)} -> {brief(self.out_features, str)}{', bias' if self.bias is not None else ''})"
