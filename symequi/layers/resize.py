"""Separable linear resampling: :class:`AxisLinear` and :class:`LinearResize`.

:class:`AxisLinear` is the shared machinery of linear layers that act on each
trailing axis separately: a subclass says, per axis, which input positions each
output position reads and with which exact rational weights (its *taps*); the
layer on several axes is the tensor product, and leading axes (channels) are
untouched.  The values, the sparse matrix every decider reads and the shapes
follow from the taps.

:class:`LinearResize` is linear (1-D) and bilinear (2-D) interpolation as in
PyTorch's ``F.interpolate(mode='linear'/'bilinear')`` and ONNX ``Resize``
``mode='linear'``.  Output position ``j`` of an axis of length ``n`` resized to
``m`` reads the source coordinate ``x`` of the coordinate transformation
(``s`` the scale, ``m / n`` when a size is given):

* ``'half_pixel'``: ``x = (j + 1/2) / s - 1/2`` (PyTorch ``align_corners=False``);
* ``'pytorch_half_pixel'``: the same, but ``x = 0`` when ``m = 1``;
* ``'align_corners'``: ``x = j (n - 1) / (m - 1)`` (``0`` when ``m = 1``; PyTorch
  ``align_corners=True``);
* ``'asymmetric'``: ``x = j / s``;

and interpolates linearly between the neighbours ``floor(x)`` and
``floor(x) + 1`` with weights ``1 - t`` and ``t`` (``t = x - floor(x)``), a
neighbour outside ``0 .. n-1`` reading the nearest edge entry (PyTorch clamps
``x`` at 0 and the right neighbour at ``n - 1``; ONNX pads by the edge: the same
values).  With rational scales every weight is an exact rational.

Example
-------
>>> from symequi.layers.resize import LinearResize
>>> LinearResize(scale=2)([0, 4, 8])   # half-pixel: x = -1/4, 1/4, 3/4, 5/4, 7/4, 9/4
Signal([0, 1, 3, 5, 7, 8])
>>> LinearResize(size=5, coordinates="align_corners")([0, 4, 8])
Signal([0, 2, 4, 6, 8])
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import flint
import sympy

from ..core.encoding import SparseRows, V, VectorAlgebra
from ..core.errors import InvalidArgumentError
from ..core.exact import fmpq_to_sympy, positive_int, to_fmpq
from ..core.operator import Operator
from ..core.signal import Signal
from ..core.texescape import Phrase, escape_latex
from ..core.texts import brief

__all__ = ["AxisLinear", "LinearResize", "COORDINATE_MODES", "Taps", "interpolation_taps"]

#: Per output position of one axis, the ``(input position, weight)`` pairs it sums.
Taps = list[list[tuple[int, flint.fmpq]]]

#: The coordinate transformations of :class:`LinearResize` (ONNX ``coordinate_transformation_mode``).
COORDINATE_MODES = ("half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric")

_ZERO = flint.fmpq(0)
_ONE = flint.fmpq(1)
_HALF = flint.fmpq(1, 2)


class AxisLinear(Operator):
    """Base class: ``_axis_taps(axis, n)`` gives the taps of spatial axis ``axis`` (0 = the first
    resampled axis) of length ``n``; the layer acts on the last ``spatial_dims`` axes.

    >>> LinearResize(scale=(2, 1)).rows((1, 2))  # rows 0, 1 of the output read input row 0
    [[(0, 1)], [(1, 1)], [(0, 1)], [(1, 1)]]
    """

    is_linear = True
    is_piecewise_linear = True
    semantic_methods = ("_apply", "rows", "_axis_taps")
    spatial_dims: int = 1

    def _axis_taps(self, axis: int, n: int) -> Taps:  # pragma: no cover - abstract
        raise NotImplementedError

    def _taps(self, shape: tuple[int, ...]) -> list[Taps]:
        shape = (shape,) if isinstance(shape, int) else tuple(shape)
        sd = self.spatial_dims
        if len(shape) < sd:
            raise InvalidArgumentError(
                f"{brief(self.describe(), str)} acts on the last {brief(sd, str)} axes; got shape {brief(shape, str)} (give e.g. "
                f"{'(C, N)' if sd == 1 else '(C, H, W)'})"
            )
        return [self._axis_taps(axis, n) for axis, n in enumerate(shape[len(shape) - sd:])]

    def output_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        """The input shape with each resampled axis at its new length.

        >>> LinearResize(scale=(2, 3)).output_shape((4, 2, 5))
        (4, 4, 15)
        """
        shape = (shape,) if isinstance(shape, int) else tuple(shape)
        taps = self._taps(shape)
        return shape[: len(shape) - self.spatial_dims] + tuple(len(t) for t in taps)

    def rows(self, shape: tuple[int, ...]) -> SparseRows:
        """For each flat output entry, the ``(flat input entry, weight)`` pairs it sums (built once per shape).

        >>> [[(i, str(w)) for i, w in row] for row in LinearResize(scale=2).rows((2,))]
        [[(0, '1')], [(0, '3/4'), (1, '1/4')], [(0, '1/4'), (1, '3/4')], [(1, '1')]]
        """
        shape = (shape,) if isinstance(shape, int) else tuple(shape)
        return self._cached(("axis-rows", shape), lambda: self._build_rows(shape))

    def _build_rows(self, shape: tuple[int, ...]) -> SparseRows:
        taps = self._taps(shape)
        spatial = shape[len(shape) - self.spatial_dims:]
        plane = math.prod(spatial)
        strides = [math.prod(spatial[k + 1:]) for k in range(len(spatial))]
        per_plane: SparseRows = []
        for combo in itertools.product(*taps):
            merged: dict[int, flint.fmpq] = {}
            for pairs in itertools.product(*combo):
                index = sum(i * s for (i, _), s in zip(pairs, strides))
                weight = _ONE
                for _, w in pairs:
                    weight *= w
                merged[index] = merged.get(index, _ZERO) + weight
            per_plane.append(sorted((i, w) for i, w in merged.items() if w != 0))
        rows: SparseRows = []
        for lead in range(math.prod(shape[: len(shape) - self.spatial_dims])):
            rows.extend([(lead * plane + i, w) for i, w in row] for row in per_plane)
        return rows

    def _apply(self, signal: Signal) -> Signal:
        rows = self.rows(signal.shape)
        shape = self.output_shape(signal.shape)
        if signal.is_rational:
            flat = signal.flat_fmpqs()
            out = []
            for row in rows:
                total = _ZERO
                for i, w in row:
                    total += w * flat[i]
                out.append(total)
            return Signal.from_fmpqs(out, shape)
        exprs = signal.flat_exprs()
        return Signal.from_exprs([sympy.Add(*(fmpq_to_sympy(w) * exprs[i] for i, w in row)) for row in rows], shape)

    def encode(self, algebra: VectorAlgebra[V], values: V, shape: tuple[int, ...]) -> V:
        """The sparse matrix of :meth:`rows`."""
        rows = self.rows(tuple(shape))
        return algebra.linear(values, rows, len(rows))

    def maps_reals_to_reals(self) -> bool:
        return True


def interpolation_taps(x: flint.fmpq, n: int) -> list[tuple[int, flint.fmpq]]:
    """Linear interpolation at the exact coordinate ``x`` of ``n`` entries, edges replicated.

    >>> [(i, str(w)) for i, w in interpolation_taps(flint.fmpq(5, 4), 3)]
    [(1, '3/4'), (2, '1/4')]
    >>> [(i, str(w)) for i, w in interpolation_taps(flint.fmpq(-1, 4), 3)]
    [(0, '1')]
    """
    low = int(x.floor())
    t = x - low
    merged: dict[int, flint.fmpq] = {}
    for index, weight in ((low, _ONE - t), (low + 1, t)):
        if weight != 0:
            clamped = min(max(index, 0), n - 1)
            merged[clamped] = merged.get(clamped, _ZERO) + weight
    return sorted(merged.items())


def _per_axis(value: Any, name: str, convert: Any) -> tuple[Any, ...]:
    items = value if isinstance(value, (list, tuple)) else (value,)
    if not 1 <= len(items) <= 2:
        raise InvalidArgumentError(f"{name}={brief(value)} must be one value, or one per resized axis (1 or 2)")
    return tuple(convert(v, f"{name}[{i}]" if len(items) > 1 else name) for i, v in enumerate(items))


def _positive_rational(value: Any, name: str) -> flint.fmpq:
    q = to_fmpq(value, name)
    if q <= 0:
        raise InvalidArgumentError(f"{name}={brief(value)} must be a positive rational scale factor")
    return q


class LinearResize(AxisLinear):
    """Linear (one axis) or bilinear (two axes) interpolation onto a new grid (module docstring).

    Parameters
    ----------
    size : the output length of each resized axis (an int for the last axis, or a pair); or
    scale : the exact rational scale factor of each resized axis (output length
        ``floor(n * scale)``; the coordinate uses ``scale`` itself, as PyTorch's ``scale_factor``
        and ONNX's ``scales``).  Give exactly one of ``size`` and ``scale``.
    coordinates : ``'half_pixel'`` (default), ``'pytorch_half_pixel'``, ``'align_corners'`` or
        ``'asymmetric'``.

    >>> LinearResize(scale=(2, 2))([[0, 4], [8, 12]]).to_list()[1]
    [2, 3, 5, 6]
    """

    def __init__(self, size: Any = None, *, scale: Any = None, coordinates: str = "half_pixel") -> None:
        if (size is None) == (scale is None):
            raise InvalidArgumentError("LinearResize needs exactly one of size= (output lengths) and scale= "
                                       "(scale factors)")
        if coordinates not in COORDINATE_MODES:
            raise InvalidArgumentError(f"coordinates={brief(coordinates)} must be one of {brief(', '.join(COORDINATE_MODES), str)}")
        self.size: tuple[int, ...] | None = None if size is None else _per_axis(size, "size", positive_int)
        self.scale: tuple[flint.fmpq, ...] | None = None if scale is None else _per_axis(scale, "scale",
                                                                                         _positive_rational)
        self.coordinates = coordinates
        self.spatial_dims = len(self.size if self.size is not None else self.scale or ())

    def _axis_taps(self, axis: int, n: int) -> Taps:
        if self.size is not None:
            m, scale = self.size[axis], flint.fmpq(self.size[axis], n)
        else:
            assert self.scale is not None
            scale = self.scale[axis]
            m = int((scale * n).floor())
            if m < 1:
                raise InvalidArgumentError(
                    f"{brief(self.describe(), str)} maps an axis of length {brief(n, str)} to floor({brief(n, str)} * {brief(scale, str)}) = 0 entries; "
                    "use a larger scale or give size="
                )
        return [interpolation_taps(self._coordinate(j, n, m, scale), n) for j in range(m)]

    def _coordinate(self, j: int, n: int, m: int, scale: flint.fmpq) -> flint.fmpq:
        mode = self.coordinates
        if mode == "align_corners":
            return flint.fmpq(j * (n - 1), m - 1) if m > 1 else _ZERO
        if mode == "asymmetric":
            return j / scale
        if mode == "pytorch_half_pixel" and m == 1:
            return _ZERO
        return (j + _HALF) / scale - _HALF

    def _grid(self) -> str:
        if self.size is not None:
            return f"to size {brief(self.size[0] if len(self.size) == 1 else self.size, str)}"
        assert self.scale is not None
        return f"by {brief(self.scale[0] if len(self.scale) == 1 else '(' + ', '.join(brief(item, str) for item in self.scale) + ')', str)}"

    def conventions(self) -> tuple[str, ...]:
        """The coordinate rule and the edge rule in words.

        >>> LinearResize(scale=2).conventions()[0]
        'linear interpolation by 2, half_pixel coordinates: output j reads x = (j + 1/2)/s - 1/2'
        """
        rule = {"half_pixel": "x = (j + 1/2)/s - 1/2",
                "pytorch_half_pixel": "x = (j + 1/2)/s - 1/2 (x = 0 for one output)",
                "align_corners": "x = j (n - 1)/(m - 1)", "asymmetric": "x = j/s"}[self.coordinates]
        rule_latex = {"half_pixel": r"$x = (j + \tfrac12)/s - \tfrac12$",
                      "pytorch_half_pixel": r"$x = (j + \tfrac12)/s - \tfrac12$ ($x = 0$ for one output)",
                      "align_corners": r"$x = j (n - 1)/(m - 1)$", "asymmetric": r"$x = j/s$"}[self.coordinates]
        kind = "linear" if self.spatial_dims == 1 else "bilinear"
        return (Phrase(f"{kind} interpolation {self._grid()}, {self.coordinates} coordinates: output j reads {rule}",
                       f"{kind} interpolation {escape_latex(self._grid())}, {escape_latex(self.coordinates)} "
                       f"coordinates: output $j$ reads {rule_latex}"),
                Phrase("weights 1 - t and t on floor(x) and floor(x) + 1 (t = x - floor(x)); a neighbour outside the "
                       "signal reads the nearest edge entry (PyTorch interpolate, ONNX Resize mode='linear')",
                       r"weights $1 - t$ and $t$ on $\lfloor x \rfloor$ and $\lfloor x \rfloor + 1$ "
                       r"($t = x - \lfloor x \rfloor$); a neighbour outside the signal reads the nearest edge entry "
                       r"(PyTorch \texttt{interpolate}, ONNX \texttt{Resize} mode \texttt{linear})"))

    def describe(self) -> str:
        """One line.

        >>> LinearResize(size=(4, 6), coordinates="align_corners").describe()
        'bilinear resize to size (4, 6), align_corners coordinates'
        """
        kind = "linear" if self.spatial_dims == 1 else "bilinear"
        return f"{kind} resize {brief(self._grid(), str)}, {brief(self.coordinates, str)} coordinates"

    def __repr__(self) -> str:
        if self.size is not None:
            grid = brief(self.size[0] if len(self.size) == 1 else self.size)
        else:
            assert self.scale is not None
            grid = "scale=" + (brief(self.scale[0], str) if len(self.scale) == 1
                               else "(" + ", ".join(brief(item, str) for item in self.scale) + ")")
        return f"LinearResize({brief(grid, str)}, coordinates={brief(self.coordinates)})"
