"""Exact convolution and correlation layers (1-D and 2-D, with channels).

* :class:`Convolution` follows the paper's eq. (3): ``C_j = sum_k a_k b_{j-k}``,
  the kernel index ``k`` running over ``origin .. origin + K - 1``.
* :class:`Correlation` follows PyTorch's ``conv1d``/``conv2d``:
  ``C_j = sum_k a_k b_{j+k}``.

The kernel's nesting depth says what it is: ``(K,)`` a 1-D single-channel
kernel, ``(KH, KW)`` 2-D single-channel, ``(C_out, C_in, K)`` 1-D with channels
(inputs ``(C_in, N)``), ``(C_out, C_in, KH, KW)`` 2-D with channels (inputs
``(C_in, H, W)``).  Boundaries follow :mod:`symequi.layers.padding`; every padding but
``valid`` keeps the spatial length, ``valid`` keeps only fully supported
outputs.  ``stride=s`` keeps outputs ``j = 0, s, 2s, ...``; ``dilation=d``
reads ``b_{j -/+ d k}``.

Rational signals take a python-flint fast path (one ``fmpq_poly`` product in
1-D, a Kronecker substitution in 2-D); symbolic ones a direct sum of sympy
expressions.

Example
-------
The paper's Figure 1 edge detector, ``C_j = 2 b_{j+1} - 2 b_j``:

>>> from symequi.layers.convolution import Convolution, Correlation
>>> conv = Convolution([2, -2], origin=-1)
>>> conv([0, 0, 1, 1])
Signal([0, 2, 0, -2])
>>> Correlation([-2, 2])([0, 0, 1, 1]) == conv([0, 0, 1, 1])
True
"""

from __future__ import annotations

import itertools
import math
import operator
from typing import Any, cast

import flint
import sympy

from ..core.errors import InvalidArgumentError
from ..core.exact import fmpq_to_sympy, positive_int, to_exact
from ..core.assumptions import Assumptions
from ..arith.field_maps import apply_by_coordinates
from ..core.operator import Operator, PermutationLemma
from ..core.types import Padding
from ..core.texescape import Phrase
from .padding import check_padding, extend_indices, pad_sources, padding_convention
from ..core.signal import Signal, is_array_like
from ..core.texts import brief, brief_latex

__all__ = ["Convolution", "Correlation"]

_ZERO = flint.fmpq(0)

_KIND_TEXT = {
    1: "a 1-D single-channel kernel (K,) acts on signals of shape (N,)",
    2: "a 2-D single-channel kernel (KH, KW) acts on signals of shape (H, W)",
    3: "a 1-D kernel with channels (C_out, C_in, K) acts on signals of shape (C_in, N)",
    4: "a 2-D kernel with channels (C_out, C_in, KH, KW) acts on signals of shape (C_in, H, W)",
}


# --- argument checking ---------------------------------------------------------------------
def exact_array(data: Any, name: str) -> Signal:
    """``data`` (a Signal or nested list of exact entries) as a Signal, naming bad entries.

    >>> exact_array([1, '1/2'], 'kernel')
    Signal([1, 1/2])
    """
    if isinstance(data, Signal):
        return data
    if isinstance(data, (sympy.MatrixBase, sympy.NDimArray)) or is_array_like(data):
        data = data.tolist()  # numpy arrays: ints are exact, floats are refused entry by entry
    if not isinstance(data, (list, tuple)):
        raise InvalidArgumentError(
            f"{name}={brief(data)} must be a (nested) list of exact entries such as [2, -2], or a Signal"
        )
    entries = _convert_nested(data, name)
    try:
        return Signal(entries)
    except InvalidArgumentError as err:  # a ragged or ill-shaped nesting: say which argument
        raise InvalidArgumentError(f"{name}={brief(data)} is not a rectangular array: {brief(err, str)}") from None


def _convert_nested(data: Any, name: str) -> Any:
    if isinstance(data, (list, tuple)):
        if len(data) == 0:
            raise InvalidArgumentError(f"{name} is empty; give at least one entry, e.g. [1]")
        return [_convert_nested(v, f"{name}[{i}]") for i, v in enumerate(data)]
    return to_exact(data, name)


def _int_tuple(value: Any, name: str, dims: int, *, positive: bool) -> tuple[int, ...]:
    if isinstance(value, (list, tuple)):
        items = tuple(value)
        if len(items) != dims:
            raise InvalidArgumentError(
                f"{name}={brief(value)} has {len(items)} entries but the kernel has {brief(dims, str)} spatial "
                f"dimension{'s' if dims > 1 else ''}; give one int per spatial dimension"
            )
    else:
        items = (value,) * dims  # one int means the same on every axis
    if positive:
        out = [positive_int(v, f"{name}[{i}]" if dims > 1 else name) for i, v in enumerate(items)]
        return _bounded(tuple(out), name)
    out = []
    for i, v in enumerate(items):
        if isinstance(v, bool):
            raise InvalidArgumentError(f"{name}={brief(value)} must be made of ints, not bools")
        try:
            out.append(operator.index(v))
        except TypeError:
            if isinstance(v, sympy.Basic) and v.is_Integer:
                out.append(int(v))
            else:
                raise InvalidArgumentError(
                    f"{name}={brief(value)} must be an int (the kernel index of the first tap), "
                    f"e.g. {name}=-1" + (f"; entry {i} is not" if dims > 1 else "")
                ) from None
    return _bounded(tuple(out), name)


#: Origins, strides and dilations are kernel geometry: far below machine-index range.
_MAX_GEOMETRY = 2**31


def _bounded(values: tuple[int, ...], name: str) -> tuple[int, ...]:
    if any(abs(v) > _MAX_GEOMETRY for v in values):
        raise InvalidArgumentError(
            f"{name}={brief(values if len(values) > 1 else values[0], str)} is out of range; kernel geometry "
            f"({name}) must lie between -2**31 and 2**31"
        )
    return values


# --- geometry of one spatial axis -----------------------------------------------------------
class _Axis:
    """One spatial axis: padded positions ``-left .. n-1+right``; output ``i`` reads
    padded position ``i + c - d m`` for kernel tap ``m`` (convolution form)."""

    __slots__ = ("n", "left", "right", "c", "n_out", "stride", "count")

    def __init__(self, n: int, taps: int, origin: int, d: int, stride: int, padding: Padding, axis: str) -> None:
        span = d * (taps - 1)
        if padding == "valid":
            if n < span + 1:
                raise InvalidArgumentError(
                    f"padding='valid' needs the signal ({brief(n, str)} entries along {brief(axis, str)}) to be at least as long "
                    f"as the dilated kernel ({brief(span + 1, str)} entries); use a longer signal, a shorter kernel, "
                    "or another padding such as 'zeros'"
                )
            self.left = self.right = 0
            self.c = span
            self.n_out = n - span
        else:
            e_min, e_max = d * origin, d * origin + span  # output j reads b_{j - e}, e in e_min..e_max
            self.left = max(0, e_max)
            self.right = max(0, -e_min)
            self.c = self.left - e_min
            self.n_out = n
        self.n = n
        self.stride = stride
        self.count = (self.n_out - 1) // stride + 1


# --- the layers -----------------------------------------------------------------------------
class _KernelLayer(Operator):
    """Shared machinery of Convolution and Correlation (internally everything is a
    convolution: a correlation is a convolution with the flipped kernel)."""

    is_linear = True
    _flip = False
    _name = "convolution"

    def __init__(self, kernel: Any, *, origin: Any = 0, padding: Padding = "zeros", stride: Any = 1,
                 dilation: Any = 1) -> None:
        self.kernel: Signal = exact_array(kernel, "kernel")
        depth = self.kernel.ndim
        if depth > 4:
            raise InvalidArgumentError(
                f"kernel has nesting depth {brief(depth, str)} (shape {brief(self.kernel.shape, str)}); use (K,), (KH, KW), "
                "(C_out, C_in, K) or (C_out, C_in, KH, KW)"
            )
        self.spatial_dims: int = 1 if depth in (1, 3) else 2
        channels = depth >= 3
        self.out_channels: int | None = self.kernel.shape[0] if channels else None
        self.in_channels: int | None = self.kernel.shape[1] if channels else None
        self.origin: tuple[int, ...] = _int_tuple(origin, "origin", self.spatial_dims, positive=False)
        self.padding: Padding = check_padding(padding)
        self.stride: tuple[int, ...] = _int_tuple(stride, "stride", self.spatial_dims, positive=True)
        self.dilation: tuple[int, ...] = _int_tuple(dilation, "dilation", self.spatial_dims, positive=True)
        self._taps: tuple[int, ...] = self.kernel.shape[-self.spatial_dims:]
        if self._flip:  # correlation with origin o == convolution of the flipped kernel, origin -(o+K-1)
            self._conv_origin = tuple(-(o + k - 1) for o, k in zip(self.origin, self._taps))
        else:
            self._conv_origin = self.origin
        self._pairs = self._conv_kernel_entries()
        self._polys_1d: dict[tuple[int, int], flint.fmpq_poly] | None = None
        if self.kernel.is_rational and self.spatial_dims == 1:
            self._polys_1d = self._kernel_polys_1d()

    # -- internal kernel forms ------------------------------------------------------------------
    def _conv_kernel_entries(self) -> dict[tuple[int, int], list[tuple[tuple[int, ...], Any]]]:
        """``(o, i) -> [(spatial tap index, value), ...]`` in convolution form, zero taps dropped."""
        shape = self.kernel.shape
        channels = (shape[0], shape[1]) if self.kernel.ndim >= 3 else (1, 1)
        rational = self.kernel.is_rational
        flat = self.kernel.flat_fmpqs() if rational else self.kernel.flat_exprs()
        size = math.prod(self._taps)
        pairs: dict[tuple[int, int], list[tuple[tuple[int, ...], Any]]] = {}
        for o, i in itertools.product(range(channels[0]), range(channels[1])):
            base = (o * channels[1] + i) * size
            taps = []
            for flat_tap, tap in enumerate(itertools.product(*(range(k) for k in self._taps))):
                value = flat[base + flat_tap]
                if value == 0:
                    continue
                if self._flip:
                    tap = tuple(k - 1 - m for k, m in zip(self._taps, tap))
                taps.append((tap, value))
            pairs[(o, i)] = taps
        return pairs

    def _shift_1d(self) -> int:
        """Kernel poly shift ``t`` keeping every read offset nonnegative (1-D)."""
        if self.padding == "valid":
            return 0
        return max(0, self.dilation[0] * self._conv_origin[0])

    def _kernel_polys_1d(self) -> dict[tuple[int, int], flint.fmpq_poly]:
        d, t = self.dilation[0], self._shift_1d()
        polys = {}
        for pair, taps in self._pairs.items():
            coeffs = [_ZERO] * (t + d * (self._taps[0] - 1) + 1)
            for (m,), value in taps:
                coeffs[t + d * m] = value
            polys[pair] = flint.fmpq_poly(coeffs)
        return polys

    # -- shapes ---------------------------------------------------------------------------------
    def _axes(self, shape: tuple[int, ...]) -> list[_Axis]:
        depth = self.kernel.ndim
        expected_ndim = depth - 1 if depth >= 3 else depth
        if len(shape) != expected_ndim:
            raise InvalidArgumentError(
                f"{type(self).__name__}: {brief(_KIND_TEXT[depth], str)}, but the signal has shape {brief(shape, str)}; "
                "give a signal of that shape or a kernel of the matching nesting depth"
            )
        if self.in_channels is not None and shape[0] != self.in_channels:
            raise InvalidArgumentError(
                f"{type(self).__name__}: the kernel expects {brief(self.in_channels, str)} input channel(s) "
                f"(signal shape ({brief(self.in_channels, str)}, ...)), got {brief(shape[0], str)} (signal shape {brief(shape, str)})"
            )
        spatial = shape[-self.spatial_dims:]
        names = ("the signal",) if self.spatial_dims == 1 else ("the rows (axis -2)", "the columns (axis -1)")
        return [
            _Axis(n, k, o, d, s, self.padding, name)
            for n, k, o, d, s, name in zip(spatial, self._taps, self._conv_origin, self.dilation, self.stride, names)
        ]

    def output_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        """The output shape for an input of shape ``shape``.

        >>> Correlation([1, 1, 1], padding="valid", stride=2).output_shape((10,))
        (4,)
        """
        shape = (shape,) if isinstance(shape, int) else tuple(shape)
        spatial = tuple(ax.count for ax in self._axes(shape))
        return ((self.out_channels,) if self.out_channels is not None else ()) + spatial

    @property
    def is_piecewise_linear(self) -> bool:  # type: ignore[override]
        """True when the kernel is rational (the SMT decider needs rational coefficients)."""
        return self.kernel.is_rational

    # -- application ----------------------------------------------------------------------------
    def _apply(self, signal: Signal) -> Signal:
        axes = self._axes(signal.shape)
        if signal.is_rational and self.kernel.is_rational:
            if self.spatial_dims == 1:
                return self._apply_qq_1d(signal, axes[0])
            return self._apply_qq_2d(signal, axes)
        if self.kernel.is_rational:  # entries in a cyclotomic field: one rational column at a time
            in_field = apply_by_coordinates(signal, self._apply)
            if in_field is not None:
                return in_field
        return self._apply_direct(signal, axes)

    def _channel_polys(self, signal: Signal, n: int) -> list[flint.fmpq_poly]:
        poly = signal.flat_poly()
        if self.in_channels is None:
            return [poly]
        return [poly.right_shift(c * n).truncate(n) if c else poly.truncate(n) for c in range(self.in_channels)]

    def _apply_qq_1d(self, signal: Signal, ax: _Axis) -> Signal:
        n, polys = ax.n, self._polys_1d
        assert polys is not None
        inputs = self._channel_polys(signal, n)
        fixing = self.padding not in ("zeros", "valid")
        if fixing:
            sources = pad_sources(n, ax.left, ax.right, self.padding, what=type(self).__name__)
            # periodic/reflect/replicate padding reads an input index everywhere (None only marks zeros)
            before, after = cast("tuple[list[int], list[int]]", sources)
            pads = [(flint.fmpq_poly([b[k] for k in before]), flint.fmpq_poly([b[k] for k in after]))
                    for b in inputs]
        offset = ax.c - ax.left + self._shift_1d()  # output j is F[j + offset]
        needed = max(1, offset + ax.stride * (ax.count - 1) + 1)  # F's coefficients past these are never read (flint aborts on n < 0)
        outputs = []
        for o in range(self.out_channels or 1):
            total = low = high = None
            for i, b in enumerate(inputs):
                a = polys[(o, i)]
                product = a.mul_low(b, needed)
                total = product if total is None else total + product
                if fixing:
                    left, right = pads[i]
                    lo = (a * left).right_shift(ax.left) if ax.left else None
                    hi = a * right if ax.right else None
                    low = lo if low is None else low if lo is None else low + lo
                    high = hi if high is None else high if hi is None else high + hi
            assert total is not None  # inputs holds at least one channel
            if fixing:  # one addition of both ends' wrapped terms (each addition costs O(N))
                fix = high.left_shift(n) if high is not None else None
                if low is not None:
                    fix = low if fix is None else fix + low
                if fix is not None and not fix.is_zero():
                    total = total + fix
            outputs.append(total)
        if self.out_channels is None and ax.stride == 1:
            return Signal.from_poly(outputs[0], (ax.count,), offset)
        if ax.stride == 1:
            if len(outputs) == 1:
                return Signal.from_poly(outputs[0], (1, ax.count), offset)
            rows = [(f.right_shift(offset) if offset else f).truncate(ax.count) for f in outputs]
            flat = rows[0]
            for r, row in enumerate(rows[1:], start=1):
                flat = flat + row.left_shift(r * ax.count)
            return Signal.from_poly(flat, (len(outputs), ax.count))
        values: list[flint.fmpq] = []
        for f in outputs:
            values.extend(_gather(f, [offset + ax.stride * k for k in range(ax.count)]))
        shape = (ax.count,) if self.out_channels is None else (len(outputs), ax.count)
        return Signal.from_fmpqs(values, shape)

    def _padded_flat(self, signal: Signal, axes: list[_Axis], *, rational: bool) -> list[list[Any]]:
        """Per input channel, the padded spatial entries (row-major): fmpq or sympy values."""
        flat, zero = (signal.flat_fmpqs(), _ZERO) if rational else (signal.flat_exprs(), sympy.S.Zero)
        exts = [extend_indices(ax.n, ax.left, ax.right, self.padding, what=type(self).__name__) for ax in axes]
        size = math.prod(ax.n for ax in axes)
        channels = self.in_channels or 1
        out = []
        for c in range(channels):
            base = c * size
            if len(axes) == 1:
                out.append([zero if k is None else flat[base + k] for k in exts[0]])
            else:
                w = axes[1].n
                row = exts[1]
                values = []
                for r in exts[0]:
                    if r is None:
                        values.extend([zero] * len(row))
                    else:
                        start = base + r * w
                        values.extend(zero if k is None else flat[start + k] for k in row)
                out.append(values)
        return out

    def _apply_qq_2d(self, signal: Signal, axes: list[_Axis]) -> Signal:
        rows, cols = axes
        wp = cols.left + cols.n + cols.right
        dh, dw = self.dilation
        padded = [flint.fmpq_poly(values) for values in self._padded_flat(signal, axes, rational=True)]
        values: list[flint.fmpq] = []
        for o in range(self.out_channels or 1):
            total = None
            for i, b in enumerate(padded):
                coeffs = [_ZERO] * (dh * (self._taps[0] - 1) * wp + dw * (self._taps[1] - 1) + 1)
                for (p, q), value in self._pairs[(o, i)]:
                    coeffs[dh * p * wp + dw * q] = value
                product = flint.fmpq_poly(coeffs) * b
                total = product if total is None else total + product
            assert total is not None  # padded holds at least one channel
            coeffs = total.coeffs()
            for r in range(0, rows.n_out, rows.stride):
                start = (r + rows.c) * wp + cols.c
                values.extend(_take(coeffs, start, start + cols.n_out, cols.stride))
        shape: tuple[int, ...] = (rows.count, cols.count)
        if self.out_channels is not None:
            shape = (self.out_channels,) + shape
        return Signal.from_fmpqs(values, shape)

    def _apply_direct(self, signal: Signal, axes: list[_Axis]) -> Signal:
        padded = self._padded_flat(signal, axes, rational=False)
        kernel_exact = {pair: [(tap, fmpq_to_sympy(v) if isinstance(v, flint.fmpq) else v) for tap, v in taps]
                        for pair, taps in self._pairs.items()}
        wp = axes[-1].left + axes[-1].n + axes[-1].right
        out = []
        for o in range(self.out_channels or 1):
            for idx in itertools.product(*(range(0, ax.n_out, ax.stride) for ax in axes)):
                terms = []
                for i, b in enumerate(padded):
                    for tap, value in kernel_exact[(o, i)]:
                        pos = [j + ax.c - d * m for j, ax, d, m in zip(idx, axes, self.dilation, tap)]
                        flat = pos[0] if len(pos) == 1 else pos[0] * wp + pos[1]
                        entry = b[flat]
                        if entry != 0:
                            terms.append(value * entry)
                out.append(sympy.Add(*terms))
        shape = tuple(ax.count for ax in axes)
        if self.out_channels is not None:
            shape = (self.out_channels,) + shape
        return Signal.from_exprs(out, shape)

    # -- reports --------------------------------------------------------------------------------
    def _per_axis(self, values: tuple[int, ...]) -> int | tuple[int, ...]:
        """A per-axis setting as the user writes it: an int in 1-D, a tuple in 2-D."""
        return values[0] if self.spatial_dims == 1 else values

    def _axis_names(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(output indices, tap names): ``j``/``k`` in 1-D, ``i, j``/``k, l`` in 2-D."""
        return (("j",), ("k",)) if self.spatial_dims == 1 else (("i", "j"), ("k", "l"))

    def _read_terms(self, space: str) -> list[str]:
        """Per axis, the input index read by tap ``k``, e.g. ``j-k`` or ``j + 2k``."""
        sign = "+" if self._flip else "-"
        outs, taps = self._axis_names()
        return [f"{brief(o, str)}{brief(space, str)}{sign}{brief(space, str)}{brief('' if d == 1 else d, str)}{brief(t, str)}" for o, t, d in zip(outs, taps, self.dilation)]

    def _index_text(self) -> tuple[str, str]:
        """(output index, input index) in plain text, e.g. ('j', 'j-k')."""
        return ",".join(self._axis_names()[0]), ", ".join(self._read_terms(""))

    def _origin_text(self) -> str:
        taps = self._axis_names()[1]
        ranges = ", ".join(f"{brief(t, str)} = {brief(o, str)}..{brief(o + k - 1, str)}" for t, o, k in zip(taps, self.origin, self._taps))
        return f"kernel origin {brief(self._per_axis(self.origin), str)} ({brief(ranges, str)})"

    def substitute(self, values: Any) -> "_KernelLayer":
        """The layer with the kernel's symbols replaced by ``values`` (rebuilt, so the exact
        rational fast path applies to a kernel that became rational)."""
        if not self.kernel.free_symbols & set(values):
            return self
        return type(self)(self.kernel.subs(dict(values)), origin=self.origin, padding=self.padding,
                          stride=self.stride, dilation=self.dilation)

    semantic_methods = ("_apply", "_axes", "output_shape")

    def permutation_lemma(self, shape: tuple[int, ...], pi: tuple[int, ...],
                          assumptions: Assumptions | None = None) -> PermutationLemma | None:
        """A periodic, stride-1 convolution commutes with every cyclic roll of its spatial axes:
        its matrix is (block-)circulant by construction, ``out_j = sum_k a_k u_(j-k mod n)``, so
        ``(A P u)_j = sum_k a_k u_(j-k-s mod n) = (A u)_(j-s) = (P A u)_j``.  ``pi`` is checked to
        be such a roll (channels fixed) in O(size); any other permutation gets no lemma (None).

        >>> from symequi.translations import shift
        >>> conv = Convolution([1, 2, 3], padding="periodic")
        >>> conv.permutation_lemma((5,), (3, 4, 0, 1, 2)).proved         # a roll by 2
        True
        >>> conv.permutation_lemma((5,), (1, 0, 2, 3, 4)) is None        # a swap: no lemma
        True
        """
        if self.padding != "periodic" or set(self.stride) != {1} or tuple(self.output_shape(shape)) != tuple(shape):
            return None
        spatial = shape[-self.spatial_dims:]
        roll = _roll_of(pi, tuple(shape), len(spatial))
        if roll is None:
            return None
        return PermutationLemma(True, "circulant", (
            f"lemma (e), circulant: a periodic stride-1 convolution has a (block-)circulant matrix by construction, so it commutes "
            f"with the cyclic roll by {roll if len(roll) > 1 else roll[0]} of its spatial axes "
            "(permutation checked entry by entry)"))

    def conventions(self) -> tuple[str, ...]:
        r"""The index convention, kernel origin, boundary and stride, in words
        (:class:`~symequi.core.texescape.Phrase` objects: each carries its LaTeX).

        >>> c = Convolution([2, -2], origin=-1).conventions()[0]
        >>> c
        'convolution C_j = sum_k a_k b_{j-k} (paper eq. 3), kernel origin -1 (k = -1..0)'
        >>> print(c.latex)
        convolution $C_{j} = \sum_{k} a_{k} b_{j-k}$ (paper eq.~3), kernel origin $-1$ ($k \in \{-1, 0\}$)
        """
        out_i, in_i = self._index_text()
        sums = "sum_k" if self.spatial_dims == 1 else "sum_{k,l}"
        taps = "k" if self.spatial_dims == 1 else "k,l"
        source = "PyTorch conv1d/conv2d" if self._flip else "paper eq. 3"
        source_latex = r"PyTorch \texttt{conv1d}/\texttt{conv2d}" if self._flip else r"paper eq.~3"
        in_latex = ", ".join(self._read_terms(""))
        sums_latex = r"\sum_{k}" if self.spatial_dims == 1 else r"\sum_{k,l}"
        if self.in_channels is None:
            formula = f"C_{{{out_i}}} = {sums} a_{{{taps}}} b_{{{in_i}}}"
            formula_latex = f"$C_{{{out_i}}} = {sums_latex} a_{{{taps}}} b_{{{in_latex}}}$"
        else:
            formula = f"C^o_{{{out_i}}} = sum_c {sums} a^{{o,c}}_{{{taps}}} b^c_{{{in_i}}} (sum over input channels c)"
            formula_latex = (f"$C^{{o}}_{{{out_i}}} = \\sum_{{c}} {sums_latex} a^{{o,c}}_{{{taps}}} b^{{c}}_{{{in_latex}}}$ "
                             "(sum over input channels $c$)")
        if self.spatial_dims == 1:
            formula = formula.replace("_{j}", "_j").replace("_{k}", "_k")
        taps_latex = ", ".join(_range_latex(t, o, o + k - 1)
                               for t, o, k in zip(self._axis_names()[1], self.origin, self._taps))
        origin = self._per_axis(self.origin)
        origin_latex = "$" + (str(origin) if isinstance(origin, int) else "(" + ", ".join(map(str, origin)) + ")") + "$"
        result = [Phrase(f"{self._name} {formula} ({source}), {self._origin_text()}",
                         f"{self._name} {formula_latex} ({source_latex}), kernel origin {origin_latex} ({taps_latex})"),
                  padding_convention(self.padding)]
        if any(s > 1 for s in self.stride):
            stride = self._per_axis(self.stride)
            result.append(Phrase(
                f"stride {stride}: keeps outputs j = 0, s, 2s, ... on each axis; an input "
                "shift by s*l becomes an output shift by l (exactly only with periodic padding and s dividing N), "
                "other shifts do not commute",
                f"stride ${brief_latex(stride)}$: keeps outputs $j = 0, s, 2s, \\dots$ on each axis; an input "
                r"shift by $s\,l$ becomes an output shift by $l$ (exactly only with periodic padding and $s \mid N$), "
                "other shifts do not commute"))
        if any(d > 1 for d in self.dilation):
            dilation = self._per_axis(self.dilation)
            result.append(Phrase(f"dilation {dilation}: tap k reads the input d*k entries away",
                                 f"dilation ${brief_latex(dilation)}$: tap $k$ reads the input $d\\,k$ entries away"))
        return tuple(result)

    def _settings_text(self) -> str:
        """``, stride s`` and ``, dilation d`` where they are not 1."""
        text = ""
        if any(s > 1 for s in self.stride):
            text += f", stride {brief(self._per_axis(self.stride), str)}"
        if any(d > 1 for d in self.dilation):
            text += f", dilation {brief(self._per_axis(self.dilation), str)}"
        return text

    def describe(self) -> str:
        """One line: the operation, kernel, origin and padding.

        >>> Convolution([2, -2], origin=-1).describe()
        'convolution C_j = sum_k a_k b_{j-k} with kernel [2, -2], kernel origin -1 (k = -1..0), zeros padding'
        """
        out_i, in_i = self._index_text()
        sums = "sum_k a_k" if self.spatial_dims == 1 else "sum_{k,l} a_{k,l}"
        text = (f"{brief(self._name, str)} C_{{{brief(out_i, str)}}} = {sums} b_{{{brief(in_i, str)}}} with kernel {brief(_kernel_text(self.kernel), str)}, "
                f"{brief(self._origin_text(), str)}, {brief(self.padding, str)} padding")
        text = text.replace("C_{j}", "C_j")
        if self.in_channels is not None:
            text += f", {brief(self.in_channels, str)} -> {brief(self.out_channels, str)} channels"
        return text + self._settings_text()

    def latex(self) -> str:
        r"""LaTeX of the formula and the kernel.

        >>> print(Convolution([2, -2], origin=-1).latex())
        C_{j} = \sum_{k=-1}^{0} a_{k}\, b_{j - k}, \quad a = \left[\begin{matrix}2 & -2\end{matrix}\right]\ \text{(zeros padding)}
        >>> print(Correlation([[[[1, 2]]]], stride=(1, 2)).latex())
        C^{o}_{i,j} = \sum_{c}\sum_{k=0}^{0}\sum_{l=0}^{1} a^{o,c}_{k,l}\, b^{c}_{i + k,\, j + l}\ \text{(zeros padding, stride (1, 2))}
        """
        outs, taps = self._axis_names()
        sums = "".join(rf"\sum_{{{t}={o}}}^{{{o + k - 1}}}" for t, o, k in zip(taps, self.origin, self._taps))
        reads = r",\, ".join(self._read_terms(" "))
        out_sub, tap_sub = ",".join(outs), ",".join(taps)
        if self.in_channels is None:
            out, term = rf"C_{{{out_sub}}}", rf"a_{{{tap_sub}}}\, b_{{{reads}}}"
        else:
            sums = r"\sum_{c}" + sums
            out, term = rf"C^{{o}}_{{{out_sub}}}", rf"a^{{o,c}}_{{{tap_sub}}}\, b^{{c}}_{{{reads}}}"
        text = rf"{out} = {sums} {term}"
        if self.kernel.ndim <= 2:
            text += rf", \quad a = {self.kernel.latex()}"
        return text + rf"\ \text{{({self.padding} padding{self._settings_text()})}}"

    def __repr__(self) -> str:
        parts = [_kernel_text(self.kernel)]
        if any(self.origin):
            parts.append(f"origin={brief(self._per_axis(self.origin), str)}")
        parts.append(f"padding={brief(self.padding)}")
        if any(s > 1 for s in self.stride):
            parts.append(f"stride={brief(self._per_axis(self.stride), str)}")
        if any(v > 1 for v in self.dilation):
            parts.append(f"dilation={brief(self._per_axis(self.dilation), str)}")
        return f"{type(self).__name__}({brief(', '.join(parts), str)})"


class Convolution(_KernelLayer):
    """Discrete convolution, paper eq. (3): ``C_j = sum_k a_k b_{j-k}``.

    Parameters
    ----------
    kernel : nested list or Signal of exact entries: ``(K,)``, ``(KH, KW)``,
        ``(C_out, C_in, K)`` or ``(C_out, C_in, KH, KW)``.  ``kernel[m]`` is
        ``a_k`` for ``k = origin + m``.
    origin : the kernel index of the first entry (an int in 1-D, a pair in 2-D).
        The paper's Figure 1 is ``Convolution([2, -2], origin=-1)``:
        ``C_j = 2 b_{j+1} - 2 b_j``.
    padding : ``'zeros'`` (default), ``'periodic'``, ``'reflect'``,
        ``'replicate'`` or ``'valid'`` (see :mod:`symequi.layers.padding`).
    stride : keep outputs ``j = 0, s, 2s, ...`` (an int, or one per axis).
    dilation : tap ``k`` reads ``b_{j - d k}``.

    Attributes ``kernel``, ``origin``, ``padding``, ``stride``, ``dilation``
    (tuples), ``spatial_dims``, ``in_channels`` and ``out_channels`` (None
    without channel axes) are what the deciders read.

    >>> Convolution([2, -2], origin=-1, padding="periodic")([1, 0, 0, 0])
    Signal([-2, 0, 0, 2])

    See Also
    --------
    Correlation : the PyTorch convention ``b_{j+k}``.
    """

    _flip = False
    _name = "convolution"


class Correlation(_KernelLayer):
    """Cross-correlation, PyTorch's ``conv1d``/``conv2d``: ``C_j = sum_k a_k b_{j+k}``.

    Same parameters as :class:`Convolution`.  With stride 1, PyTorch's
    ``padding='same'`` (zero padding, left pad ``d(K-1)//2``) is
    ``Correlation(kernel, origin=-((K - 1) // 2), padding='zeros')`` for
    ``dilation=1`` or odd ``K``; ``padding='valid'`` is ``padding='valid'``.

    >>> Correlation([1, 2, 3], origin=-1)([1, 0, 0])
    Signal([2, 1, 0])

    See Also
    --------
    Convolution : the paper's convention ``b_{j-k}``; ``Correlation(a, origin=o)``
        equals ``Convolution(reversed(a), origin=-(o + K - 1))``.
    """

    _flip = True
    _name = "correlation"


def _range_latex(name: str, lo: int, hi: int) -> str:
    """``$k = 0$``, ``$k \\in \\{-1, 0\\}$`` or ``$k = 0, \\dots, 4$``."""
    if hi == lo:
        return f"${name} = {lo}$"
    if hi == lo + 1:
        return f"${name} \\in \\{{{lo}, {hi}\\}}$"
    return f"${name} = {lo}, \\dots, {hi}$"


def _kernel_text(kernel: Signal) -> str:
    text = brief(kernel)
    return text[len("Signal("):-1] if text.startswith("Signal(") else text


def _gather(poly: flint.fmpq_poly, indices: list[int]) -> list[flint.fmpq]:
    if len(indices) > 64:
        coeffs = poly.coeffs()
        size = len(coeffs)
        return [coeffs[i] if i < size else _ZERO for i in indices]
    return [poly[i] for i in indices]


def _take(coeffs: list[flint.fmpq], start: int, stop: int, step: int) -> list[flint.fmpq]:
    values = coeffs[start:stop:step]
    wanted = len(range(start, stop, step))
    return values + [_ZERO] * (wanted - len(values))


def _roll_of(pi: tuple[int, ...], shape: tuple[int, ...], spatial_dims: int) -> tuple[int, ...] | None:
    """The shifts ``s`` (one per spatial axis) when ``pi`` is ``(P u)_j = u_(j - s mod n)`` on the
    last ``spatial_dims`` axes and the identity on the leading (channel) axes; None otherwise.
    Checked for every entry: O(size)."""
    size = math.prod(shape)
    if len(pi) != size:
        return None
    spatial = shape[len(shape) - spatial_dims:]
    strides = [math.prod(spatial[a + 1:]) for a in range(spatial_dims)]
    source = [pi[0] // st % n for st, n in zip(strides, spatial)]  # output 0 reads u at -s
    shifts = tuple((-v) % n for v, n in zip(source, spatial))
    plane = math.prod(spatial)
    for j, p in enumerate(pi):
        channel, rest = divmod(j, plane)
        idx = [rest // st % n for st, n in zip(strides, spatial)]
        want = channel * plane + sum(((i - s) % n) * st for i, s, n, st in zip(idx, shifts, spatial, strides))
        if p != want:
            return None
    return shifts
