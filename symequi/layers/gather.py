"""Layers that only move entries: each output entry copies one input entry or is 0.

:class:`AxisGather` is their shared machinery: a subclass says, per axis, which
input index each output position reads (None: a zero), and gets the shapes,
the values and the description to the deciders (a sparse 0/1 matrix) for free.
:class:`~symequi.layers.pad.Pad` and :class:`~symequi.layers.slicing.Slice`
are built on it, and so are :class:`ZeroInsertion` (the first step of a
transposed convolution), :class:`Repeat` (nearest-neighbour upsampling) and
:class:`PoolWindows` (the entries of dilated, padded max-pooling windows side by
side, so that a plain :class:`~symequi.layers.pooling.MaxPool` finishes the job).

Example
-------
>>> from symequi.layers.gather import Repeat, ZeroInsertion
>>> ZeroInsertion(2)([[1, 2, 3]])
Signal([[1, 0, 2, 0, 3]])
>>> Repeat(2)([[1, 2]])
Signal([[1, 1, 2, 2]])
"""

from __future__ import annotations

import itertools
import math
from typing import Any, cast

import flint
import sympy

from ..core.texescape import Phrase, escape_latex

from ..core.encoding import V, VectorAlgebra
from ..core.errors import InvalidArgumentError
from ..core.exact import positive_int, to_fmpq
from ..core.operator import Operator
from ..core.signal import Signal
from .pooling import check_pool_geometry, pool_output_length
from ..core.texts import brief, brief_latex

__all__ = ["AxisGather", "ZeroInsertion", "Repeat", "PoolWindows"]

_ONE = flint.fmpq(1)


class AxisGather(Operator):
    """Base class: ``_axis_maps(shape)`` gives, per axis, the input index each output position reads."""

    is_linear = True
    is_piecewise_linear = True
    semantic_methods = ("_apply", "sources", "_axis_maps")

    def _axis_maps(self, shape: tuple[int, ...]) -> list[list[int | None]]:  # pragma: no cover - abstract
        raise NotImplementedError

    def output_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        shape = (shape,) if isinstance(shape, int) else tuple(shape)
        return tuple(len(m) for m in self._axis_maps(shape))

    def sources(self, shape: tuple[int, ...]) -> list[int | None]:
        """For each flat output entry, the flat input entry it copies (None: 0).

        >>> ZeroInsertion(2).sources((1, 2))
        [0, None, 1]
        """
        shape = tuple(shape)
        strides = [math.prod(shape[k + 1:]) for k in range(len(shape))]
        return [None if any(i is None for i in idx) else sum(cast(int, i) * s for i, s in zip(idx, strides))
                for idx in itertools.product(*self._axis_maps(shape))]

    def _fill(self) -> Any:
        """The value of a None position (0; Pad overrides it with its constant)."""
        return 0

    def _apply(self, signal: Signal) -> Signal:
        sources = self.sources(signal.shape)
        shape = self.output_shape(signal.shape)
        if signal.is_rational:
            flat, zero = signal.flat_fmpqs(), to_fmpq(self._fill(), "the fill value")
            return Signal.from_fmpqs([zero if s is None else flat[s] for s in sources], shape)
        exprs = signal.flat_exprs()
        return Signal.from_exprs([self._fill() if s is None else exprs[s] for s in sources], shape)

    def encode(self, algebra: VectorAlgebra[V], values: V, shape: tuple[int, ...]) -> V:
        """A 0/1 matrix: each output copies one input or is 0."""
        sources = self.sources(tuple(shape))
        return algebra.linear(values, [[] if s is None else [(s, _ONE)] for s in sources], len(sources))

    def maps_reals_to_reals(self) -> bool:
        return True


def _factors(value: Any, name: str) -> tuple[int, ...]:
    items = value if isinstance(value, (list, tuple)) else (value,)
    if not items:
        raise InvalidArgumentError(f"{name} must be a positive int or one per trailing axis")
    return tuple(positive_int(v, f"{name}[{i}]" if len(items) > 1 else name) for i, v in enumerate(items))


class ZeroInsertion(AxisGather):
    """Insert ``factor - 1`` zeros between neighbouring entries of each trailing axis
    (``len(factor)`` axes; an int means the last axis): length ``(n - 1) factor + 1``.

    >>> ZeroInsertion((2, 3)).output_shape((1, 2, 2))
    (1, 3, 4)
    """

    def __init__(self, factor: Any) -> None:
        self.factor: tuple[int, ...] = _factors(factor, "factor")

    def _axis_maps(self, shape: tuple[int, ...]) -> list[list[int | None]]:
        lead = len(shape) - len(self.factor)
        if lead < 0:
            raise InvalidArgumentError(f"ZeroInsertion{brief(self.factor, str)} needs {len(self.factor)} axes, got shape {brief(shape, str)}")
        maps: list[list[int | None]] = [list(range(n)) for n in shape[:lead]]
        for n, f in zip(shape[lead:], self.factor):
            maps.append([j // f if j % f == 0 else None for j in range((n - 1) * f + 1)])
        return maps

    def conventions(self) -> tuple[str, ...]:
        return (Phrase(f"zero insertion by {self.factor}: out_(f j) = u_j, zeros between (transposed-convolution "
                       "upsampling)",
                       f"zero insertion by ${brief_latex(self.factor if len(self.factor) > 1 else self.factor[0])}$: $\\mathrm{{out}}_{{f j}} = u_j$, zeros between "
                       "(transposed-convolution upsampling)"),)

    def describe(self) -> str:
        return f"zero insertion by {brief(self.factor if len(self.factor) > 1 else self.factor[0], str)}"

    def __repr__(self) -> str:
        return f"ZeroInsertion({brief(self.factor if len(self.factor) > 1 else self.factor[0], str)})"


class Repeat(AxisGather):
    """Nearest-neighbour upsampling: ``out_j = u_(j // factor)`` on each trailing axis.

    >>> Repeat((1, 2))([[1, 2]]).to_list()
    [[1, 1, 2, 2]]
    """

    def __init__(self, factor: Any) -> None:
        self.factor: tuple[int, ...] = _factors(factor, "factor")

    def _axis_maps(self, shape: tuple[int, ...]) -> list[list[int | None]]:
        lead = len(shape) - len(self.factor)
        if lead < 0:
            raise InvalidArgumentError(f"Repeat{brief(self.factor, str)} needs {len(self.factor)} axes, got shape {brief(shape, str)}")
        maps: list[list[int | None]] = [list(range(n)) for n in shape[:lead]]
        maps += [[j // f for j in range(n * f)] for n, f in zip(shape[lead:], self.factor)]
        return maps

    def conventions(self) -> tuple[str, ...]:
        return (Phrase(f"nearest-neighbour upsampling by {self.factor}: out_j = u_(j // f) (PyTorch Upsample "
                       "mode='nearest')",
                       f"nearest-neighbour upsampling by ${brief_latex(self.factor if len(self.factor) > 1 else self.factor[0])}$: "
                       r"$\mathrm{out}_j = u_{\lfloor j/f \rfloor}$ (PyTorch \texttt{Upsample}, mode \texttt{nearest})"),)

    def describe(self) -> str:
        return f"nearest upsampling by {brief(self.factor if len(self.factor) > 1 else self.factor[0], str)}"

    def __repr__(self) -> str:
        return f"Repeat({brief(self.factor if len(self.factor) > 1 else self.factor[0], str)})"


class PoolWindows(AxisGather):
    """The entries of each max-pooling window side by side: on each pooled axis, output ``j k + m``
    reads input ``j s + m d - before`` (window size ``k``, stride ``s``, dilation ``d``, padding
    ``(before, after)``, ``ceil_mode`` as in :func:`~symequi.layers.pooling.pool_output_length`).  A
    position in the padding (``-inf`` in PyTorch/ONNX) reads an entry of the same window that is inside
    the signal instead, which leaves the window's maximum unchanged; ``MaxPool(k)`` then takes the maxima.

    >>> from symequi.layers.pooling import MaxPool
    >>> PoolWindows(2, stride=1, dilation=2, pads=[(1, 1)])([5, 1, 7, 2])  # windows (-inf, 1), (5, 7), ...
    Signal([1, 1, 5, 7, 1, 2, 7, 7])
    >>> MaxPool(2)(_)
    Signal([1, 7, 2, 7])
    """

    def __init__(self, size: Any, *, stride: Any = None, dilation: Any = 1, pads: Any = None,
                 ceil_mode: bool = False) -> None:
        dims = len(size) if isinstance(size, (list, tuple)) else 1
        self.size, self.stride, self.dilation, self.pads = check_pool_geometry(
            size, size if stride is None else stride, dilation if isinstance(dilation, (list, tuple)) else
            (dilation,) * dims, [(0, 0)] * dims if pads is None else pads)
        self.ceil_mode = bool(ceil_mode)

    def _axis_maps(self, shape: tuple[int, ...]) -> list[list[int | None]]:
        lead = len(shape) - len(self.size)
        if lead < 0:
            raise InvalidArgumentError(f"{brief(self)} pools the last {len(self.size)} axes; got shape {brief(shape, str)}")
        maps: list[list[int | None]] = [list(range(n)) for n in shape[:lead]]
        for n, k, s, d, pads in zip(shape[lead:], self.size, self.stride, self.dilation, self.pads):
            axis: list[int | None] = []
            for j in range(pool_output_length(n, k, s, pads, d, self.ceil_mode)):
                taps = [j * s + m * d - pads[0] for m in range(k)]
                inside = [t for t in taps if 0 <= t < n]
                if not inside:
                    raise InvalidArgumentError(
                        f"{brief(self)}: window {j} on an axis of length {brief(n, str)} reads only padding (its maximum would be "
                        "-inf); use less padding"
                    )
                axis.extend(t if 0 <= t < n else inside[0] for t in taps)
            maps.append(axis)
        return maps

    def _geometry(self) -> str:
        one = len(self.size) == 1
        parts = [f"size {self.size[0] if one else self.size}", f"stride {self.stride[0] if one else self.stride}",
                 f"dilation {self.dilation[0] if one else self.dilation}",
                 f"padding {self.pads[0] if one else self.pads}"]
        return ", ".join(parts) + (", ceil_mode" if self.ceil_mode else "")

    def conventions(self) -> tuple[str, ...]:
        return (Phrase(f"max-pooling windows side by side ({self._geometry()}): output j k + m reads input "
                       "j s + m d - before; a padded position (-inf) reads an entry of its own window instead",
                       f"max-pooling windows side by side ({escape_latex(self._geometry())}): output $j k + m$ reads "
                       r"input $j s + m d - \mathit{before}$; a padded position ($-\infty$) reads an entry of its own "
                       "window instead"),)

    def describe(self) -> str:
        return f"pooling windows side by side, {brief(self._geometry(), str)}"

    def __repr__(self) -> str:
        return f"PoolWindows({brief(self._geometry(), str)})"
