"""Exact pooling layers: :class:`MaxPool` and :class:`AvgPool` (1-D and 2-D).

``size`` is an int for 1-D pooling over the last axis (inputs ``(N,)`` or
``(C, N)``) or a pair for 2-D pooling over the last two axes (inputs
``(H, W)`` or ``(C, H, W)``); a leading axis is channels, pooled separately.
Output ``j`` covers input positions ``j*s .. j*s + size - 1`` (``s`` the stride,
by default ``size``).

* ``padding='valid'`` (default): only windows inside the signal,
  ``floor((N - size) / s) + 1`` outputs per axis.
* ``'periodic'``, ``'reflect'``, ``'replicate'``: windows start at every
  ``j*s < N`` and read past the end by the padding rule
  (:mod:`symequi.layers.padding`), ``ceil(N / s)`` outputs per axis.  Zero padding is
  not offered: it would add an entry that is not an input (use a Convolution
  for that).

:meth:`MaxPool.windows` lists the flat input indices each output reads; the
SMT decider encodes max pooling from it.

Example
-------
>>> from symequi.layers.pooling import MaxPool, AvgPool
>>> MaxPool(2)([1, 3, '1/2', -1])
Signal([3, 1/2])
>>> AvgPool(2, stride=1, padding="periodic")([0, 2, 4])
Signal([1, 3, 2])
>>> MaxPool(2).windows((4,))
[[0, 1], [2, 3]]
"""

from __future__ import annotations

import itertools
import math
from typing import Any, cast

import flint
import sympy

from ..core.errors import InvalidArgumentError
from ..core.limits import check_size
from ..core.exact import positive_int
from ..core.encoding import V, VectorAlgebra
from ..arith.cyclotomic import CyclotomicElement
from ..arith.field_maps import apply_by_coordinates, field_elements, from_elements
from ..core.operator import Operator, is_library_class
from ..core.types import POOL_PADDINGS, Padding, PoolPadding
from .padding import check_padding, extend_indices
from .resize import AxisLinear, Taps
from ..core.signal import Signal, flat_index
from ..core.zero import certify_sign
from ..core.texescape import Phrase, escape_latex
from ..core.texts import brief, brief_latex

__all__ = ["MaxPool", "AvgPool", "PaddedAvgPool", "pool_output_length", "check_pool_geometry"]


def pool_output_length(n: int, size: int, stride: int, pads: tuple[int, int] = (0, 0), dilation: int = 1,
                       ceil_mode: bool = False) -> int:
    """The number of pooling windows on an axis of length ``n`` with PyTorch/ONNX geometry: padding
    ``(before, after)``, window span ``dilation (size - 1) + 1``; ``ceil_mode`` keeps a partial last
    window unless it would start in the right padding (PyTorch's and onnxruntime's rule).

    >>> pool_output_length(5, 2, 2), pool_output_length(5, 2, 2, ceil_mode=True)
    (2, 3)
    >>> pool_output_length(8, 3, 2, (1, 1), dilation=2)  # span 5: windows at -1, 1, 3
    3
    """
    before, after = pads
    span = n + before + after - dilation * (size - 1) - 1
    if span < 0:
        raise InvalidArgumentError(
            f"a pooling window of size {brief(size, str)} with dilation {brief(dilation, str)} does not fit in an axis of length {brief(n, str)} "
            f"padded by {brief(pads, str)}; use a smaller window or a longer input"
        )
    count = (-(-span // stride) if ceil_mode else span // stride) + 1
    if ceil_mode and (count - 1) * stride >= n + before:
        count -= 1  # a last window that starts in the right padding is dropped
    return count


def check_pool_geometry(size: Any, stride: Any, dilation: Any, pads: Any) -> tuple[
        tuple[int, ...], tuple[int, ...], tuple[int, ...], tuple[tuple[int, int], ...]]:
    """Validated per-axis window sizes, strides, dilations (positive ints) and ``(before, after)``
    paddings (nonnegative ints), one of each per pooled axis (1 or 2 axes).

    >>> check_pool_geometry((3,), (2,), (1,), [(1, 1)])
    ((3,), (2,), (1,), ((1, 1),))
    """
    k = _size_tuple(size, "size", None)
    s = _size_tuple(stride, "stride", len(k))
    d = _size_tuple(dilation, "dilation", len(k))
    pairs = [tuple(pair) for pair in pads]
    if len(pairs) != len(k) or any(len(pair) != 2 or any(not isinstance(v, int) or isinstance(v, bool) or v < 0
                                                         for v in pair) for pair in pairs):
        raise InvalidArgumentError(f"pads={brief(pads)} must hold one pair (before, after) of nonnegative ints per "
                                   f"pooled axis ({len(k)})")
    return k, s, d, tuple((int(a), int(b)) for a, b in pairs)


def _size_tuple(value: Any, name: str, dims: int | None) -> tuple[int, ...]:
    if isinstance(value, (list, tuple)):
        if not 1 <= len(value) <= 2 or (dims is not None and len(value) != dims):
            want = f"{brief(dims, str)}" if dims is not None else "1 or 2"
            raise InvalidArgumentError(f"{name}={brief(value)} must have {want} entries (one per pooled axis)")
        sizes = tuple(positive_int(v, f"{name}[{i}]") for i, v in enumerate(value))
    else:
        sizes = (positive_int(value, name),) * (dims or 1)
    check_size(math.prod(sizes), f"{name}={brief(sizes, str)} (a window)")  # no input this large is allowed
    return sizes


class _Pool(Operator):
    """Shared machinery: window geometry, shapes and reports."""

    _name = "pooling"

    def __init__(self, size: Any, *, stride: Any = None, padding: PoolPadding = "valid") -> None:
        self.size: tuple[int, ...] = _size_tuple(size, "size", None)
        self.spatial_dims: int = len(self.size)
        self.stride: tuple[int, ...] = self.size if stride is None else _size_tuple(stride, "stride", self.spatial_dims)
        if padding == "zeros":
            raise InvalidArgumentError(
                "padding='zeros' is not offered for pooling (a zero is not an input entry); use 'valid', "
                "'periodic', 'reflect' or 'replicate'"
            )
        self.padding: Padding = check_padding(padding, allowed=POOL_PADDINGS)

    def _axes(self, shape: tuple[int, ...]) -> tuple[tuple[int, ...], list[list[list[int]]]]:
        """(output spatial shape, per axis the input positions each output window reads)."""
        sd = self.spatial_dims
        if len(shape) not in (sd, sd + 1):
            raise InvalidArgumentError(
                f"{type(self).__name__} of size {brief(self.size if sd == 2 else self.size[0], str)} pools "
                f"{brief(sd, str)}-D signals: shape {('(N,) or (C, N)' if sd == 1 else '(H, W) or (C, H, W)')}; "
                f"got shape {brief(shape, str)}"
            )
        counts, per_axis = [], []
        for axis, (n, k, s) in enumerate(zip(shape[-sd:], self.size, self.stride)):
            where = "the signal" if sd == 1 else ("the rows", "the columns")[axis]
            if self.padding == "valid":
                if n < k:
                    raise InvalidArgumentError(
                        f"padding='valid' needs windows of size {brief(k, str)} to fit in {brief(where, str)} ({brief(n, str)} entries); "
                        "use a smaller size, a longer signal, or padding='periodic'"
                    )
                count = (n - k) // s + 1
                ext = list(range(n))
            else:
                count = (n - 1) // s + 1
                right = max(0, (count - 1) * s + k - n)
                # pooling refuses padding='zeros', so every position reads an input index (never None)
                ext = cast("list[int]", extend_indices(n, 0, right, self.padding, what=repr(self)))
            counts.append(count)
            per_axis.append([[ext[j * s + m] for m in range(k)] for j in range(count)])
        return tuple(counts), per_axis

    def output_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        """The output shape.

        >>> MaxPool((2, 2)).output_shape((3, 4, 6))
        (3, 2, 3)
        """
        shape = (shape,) if isinstance(shape, int) else tuple(shape)
        counts, _ = self._axes(shape)
        return tuple(shape[: len(shape) - self.spatial_dims]) + counts

    def windows(self, input_shape: tuple[int, ...]) -> list[list[int]]:
        """For each flat (row-major) output index, the flat input indices it reads.

        >>> MaxPool((2, 2)).windows((2, 4))
        [[0, 1, 4, 5], [2, 3, 6, 7]]
        """
        shape = (input_shape,) if isinstance(input_shape, int) else tuple(input_shape)
        counts, per_axis = self._axes(shape)
        channels = shape[0] if len(shape) > self.spatial_dims else 1
        spatial = shape[-self.spatial_dims:]
        plane = math.prod(spatial)
        result = []
        for c in range(channels):
            for out in itertools.product(*(range(n) for n in counts)):
                reads = itertools.product(*(axis[j] for axis, j in zip(per_axis, out)))
                result.append([c * plane + flat_index(idx, spatial) for idx in reads])
        return result

    def _apply(self, signal: Signal) -> Signal:
        windows = self.windows(signal.shape)
        shape = self.output_shape(signal.shape)
        if signal.is_rational:
            values = signal.flat_fmpqs()
            return Signal.from_fmpqs([self._reduce_rational([values[i] for i in w]) for w in windows], shape)
        # entries in a cyclotomic field stay there (library classes only: a user's subclass that
        # redefines _reduce_exprs is not vouched for by the library's field path)
        if is_library_class(type(self)):
            if self.is_linear:  # one rational coordinate column at a time
                in_field = apply_by_coordinates(signal, self._apply, linear=True)
                if in_field is not None:
                    return in_field
            elements = field_elements(signal)
            if elements is not None:
                reduced = [self._reduce_field([elements[i] for i in w]) for w in windows]
                if all(r is not None for r in reduced):
                    return from_elements(cast("list[CyclotomicElement]", reduced), shape)
        exprs = signal.flat_exprs()
        return Signal.from_exprs([self._reduce_exprs([exprs[i] for i in w]) for w in windows], shape)

    def _reduce_rational(self, values: list[flint.fmpq]) -> flint.fmpq:  # pragma: no cover - abstract
        raise NotImplementedError

    def _reduce_exprs(self, values: list[sympy.Expr]) -> sympy.Expr:  # pragma: no cover - abstract
        raise NotImplementedError

    def _reduce_field(self, values: list[CyclotomicElement]) -> CyclotomicElement | None:
        """One window of real cyclotomic entries; None: use :meth:`_reduce_exprs`."""
        return None

    def _geometry_text(self) -> str:
        size = self.size[0] if self.spatial_dims == 1 else self.size
        stride = self.stride[0] if self.spatial_dims == 1 else self.stride
        return f"windows of size {brief(size, str)}, stride {brief(stride, str)}"

    def conventions(self) -> tuple[str, ...]:
        """Window geometry, boundary and shift behaviour in words.

        >>> MaxPool(2).conventions()[0]
        'max pooling over windows of size 2, stride 2: output j covers inputs j*s .. j*s + size - 1'
        """
        if self.padding == "valid":
            boundary = Phrase(
                "valid pooling: only windows inside the signal (floor((N - size)/s) + 1 outputs per axis)",
                r"valid pooling: only windows inside the signal ($\lfloor (N - \mathit{size})/s \rfloor + 1$ "
                "outputs per axis)")
        else:
            boundary = Phrase(
                f"{self.padding} pooling: windows start at every j*s < N and read past the end by "
                f"{self.padding} padding (ceil(N/s) outputs per axis)",
                f"{self.padding} pooling: windows start at every $j\\,s < N$ and read past the end by "
                f"{self.padding} padding ($\\lceil N/s \\rceil$ outputs per axis)")
        strides = set(self.stride)
        if strides == {1}:
            shift = Phrase("stride 1: commutes with integer shifts exactly with periodic padding, "
                           "otherwise only away from the boundary",
                           "stride 1: commutes with integer shifts exactly with periodic padding, "
                           "otherwise only away from the boundary")
        else:
            shift = Phrase("stride s > 1: an input shift by s*l becomes an output shift by l (exactly with periodic "
                           "padding and s dividing N); other integer shifts do not commute",
                           r"stride $s > 1$: an input shift by $s\,l$ becomes an output shift by $l$ (exactly with "
                           r"periodic padding and $s \mid N$); other integer shifts do not commute")
        size = self.size[0] if self.spatial_dims == 1 else self.size
        stride = self.stride[0] if self.spatial_dims == 1 else self.stride
        return (Phrase(f"{self._name} over {self._geometry_text()}: output j covers inputs j*s .. j*s + size - 1",
                       f"{self._name} over windows of size ${brief_latex(size)}$, stride ${brief_latex(stride)}$: "
                       r"output $j$ covers inputs $j\,s, \dots, j\,s + \mathit{size} - 1$"),
                boundary, shift)

    def describe(self) -> str:
        """One line.

        >>> AvgPool(3, stride=1, padding="periodic").describe()
        'average pooling, windows of size 3, stride 1, periodic padding'
        """
        return f"{brief(self._name, str)}, {brief(self._geometry_text(), str)}, {brief(self.padding, str)} padding"

    def _latex_parts(self) -> tuple[str, tuple[str, ...], str]:
        """(output index, window tap names, input index) for the LaTeX formulas."""
        outs, taps = (("j",), ("m",)) if self.spatial_dims == 1 else (("i", "j"), ("m", "n"))
        read = r",\, ".join(f"{_scaled(s, o)} + {t}" for s, o, t in zip(self.stride, outs, taps))
        return ",".join(outs), taps, read

    def __repr__(self) -> str:
        size = self.size[0] if self.spatial_dims == 1 else self.size
        parts = [brief(size)]
        if self.stride != self.size:
            parts.append(f"stride={brief(self.stride[0] if self.spatial_dims == 1 else self.stride, str)}")
        if self.padding != "valid":
            parts.append(f"padding={brief(self.padding)}")
        return f"{type(self).__name__}({brief(', '.join(parts), str)})"


class MaxPool(_Pool):
    """Maximum over each window (piecewise linear).

    Parameters
    ----------
    size : window size, an int (1-D) or a pair (2-D).
    stride : distance between windows (default ``size``).
    padding : ``'valid'`` (default), ``'periodic'``, ``'reflect'`` or ``'replicate'``.

    Windows of numbers (rational or algebraic, e.g. after a Fourier shift) give
    their largest entry, ordered by certified signs of the differences
    (:func:`~symequi.core.zero.certify_sign`); symbolic windows, or numbers
    whose order cannot be certified, give ``Max(...)``, which sympy simplifies
    when it can order the entries exactly.

    >>> MaxPool(2, stride=1, padding="periodic")([1, 0, 0, 2])
    Signal([1, 0, 2, 2])
    """

    is_piecewise_linear = True
    _name = "max pooling"
    semantic_methods = ("_apply", "_reduce_rational", "_reduce_exprs", "windows", "_axes")

    def _reduce_rational(self, values: list[flint.fmpq]) -> flint.fmpq:
        return max(values)

    def _reduce_field(self, values: list[CyclotomicElement]) -> CyclotomicElement | None:
        """The largest entry, each comparison by the certified sign of a difference.

        >>> from symequi.arith.cyclotomic import cos_pi
        >>> MaxPool(2)._reduce_field([cos_pi('1/7'), cos_pi('1/6')]) == cos_pi('1/7')    # 0.9009... > 0.8660...
        True
        """
        best = values[0]
        for v in values[1:]:
            if (v - best).sign() > 0:
                best = v
        return best

    def _reduce_exprs(self, values: list[sympy.Expr]) -> sympy.Expr:
        """The largest entry by certified signs (sympy's ``Max`` orders numbers with
        floating-point evaluations, far slower on algebraic entries); else ``Max``.

        >>> MaxPool(2)._reduce_exprs([sympy.cos(sympy.pi / 7), sympy.sqrt(3) / 2])
        cos(pi/7)
        """
        if all(v.is_number for v in values):
            best = values[0]
            for v in values[1:]:
                sign = certify_sign(v - best)
                if sign is None:
                    return sympy.Max(*values)
                if sign > 0:
                    best = v
            return best
        return sympy.Max(*values)

    def encode(self, algebra: VectorAlgebra[V], values: V, shape: tuple[int, ...]) -> V:
        """The maximum over each window of :meth:`windows`.

        >>> from symequi.core.encoding import VectorAlgebra
        >>> class Show(VectorAlgebra):
        ...     def window_max(self, values, windows):
        ...         return windows
        >>> MaxPool(2).encode(Show(), None, (4,))
        [[0, 1], [2, 3]]
        """
        return algebra.window_max(values, self.windows(shape))

    def latex(self) -> str:
        r"""LaTeX.

        >>> MaxPool(2).latex()
        'y_{j} = \\max_{0 \\le m < 2} x_{2j + m}'
        >>> print(MaxPool((2, 3), stride=1).latex())
        y_{i,j} = \max_{0 \le m < 2,\, 0 \le n < 3} x_{i + m,\, j + n}
        """
        out, taps, read = self._latex_parts()
        bounds = r",\, ".join(rf"0 \le {t} < {k}" for t, k in zip(taps, self.size))
        return rf"y_{{{out}}} = \max_{{{bounds}}} x_{{{read}}}"


class AvgPool(_Pool):
    """Average over each window (linear): the window sum divided by the window size.

    Parameters are those of :class:`MaxPool` (``size``, ``stride``, ``padding``).

    >>> AvgPool((2, 2))([[1, 2], [3, 5]])
    Signal([[11/4]])
    """

    is_linear = True
    is_piecewise_linear = True
    _name = "average pooling"

    def _reduce_rational(self, values: list[flint.fmpq]) -> flint.fmpq:
        total = flint.fmpq(0)
        for v in values:
            total += v
        return total / len(values)

    def _reduce_exprs(self, values: list[sympy.Expr]) -> sympy.Expr:
        return sympy.Add(*values) / len(values)

    def latex(self) -> str:
        r"""LaTeX.

        >>> AvgPool(2).latex()
        'y_{j} = \\frac{1}{2} \\sum_{m=0}^{1} x_{2j + m}'
        >>> print(AvgPool((2, 3)).latex())
        y_{i,j} = \frac{1}{6} \sum_{m=0}^{1}\sum_{n=0}^{2} x_{2i + m,\, 3j + n}
        """
        out, taps, read = self._latex_parts()
        sums = "".join(rf"\sum_{{{t}=0}}^{{{k - 1}}}" for t, k in zip(taps, self.size))
        return rf"y_{{{out}}} = \frac{{1}}{{{math.prod(self.size)}}} {sums} x_{{{read}}}"


def _scaled(stride: int, index: str) -> str:
    return index if stride == 1 else f"{stride}{index}"


class PaddedAvgPool(AxisLinear):
    """Average pooling with PyTorch/ONNX geometry: zero padding ``(before, after)`` per axis,
    ``ceil_mode`` windows (:func:`pool_output_length`), and their divisors.

    On each axis, window ``j`` starts at ``a = j s - before`` and ends at ``b = min(a + k, n + after)``
    (a ``ceil_mode`` window is clipped at the end of the padding); it sums the entries ``max(a, 0) ..
    min(b, n) - 1`` and divides by ``b - a`` (``count_include_pad=True``: padded zeros count) or by the
    number of entries it sums (``count_include_pad=False``).  On two axes the divisor is the product,
    PyTorch's and onnxruntime's rule.  Linear, with exact rational taps.

    Parameters
    ----------
    size, stride : window size and stride (an int for the last axis, or a pair); stride defaults to size.
    pads : one ``(before, after)`` pair per pooled axis (default no padding).
    count_include_pad : whether padded zeros count in the divisor.
    ceil_mode : keep a partial last window.

    >>> PaddedAvgPool(2, pads=[(1, 1)], count_include_pad=False)([2, 4, 6])  # [2], [4, 6], []
    Signal([2, 5])
    >>> PaddedAvgPool(2, pads=[(1, 1)])([2, 4, 6])                            # [0, 2], [4, 6]
    Signal([1, 5])
    >>> PaddedAvgPool(2, ceil_mode=True)([2, 4, 6])                           # [2, 4], [6]
    Signal([3, 6])
    """

    def __init__(self, size: Any, *, stride: Any = None, pads: Any = None, count_include_pad: bool = True,
                 ceil_mode: bool = False) -> None:
        dims = len(size) if isinstance(size, (list, tuple)) else 1
        self.size, self.stride, _, self.pads = check_pool_geometry(
            size, size if stride is None else stride, (1,) * dims, [(0, 0)] * dims if pads is None else pads)
        self.spatial_dims = dims
        self.count_include_pad = bool(count_include_pad)
        self.ceil_mode = bool(ceil_mode)

    def _axis_taps(self, axis: int, n: int) -> Taps:
        k, s, (before, after) = self.size[axis], self.stride[axis], self.pads[axis]
        taps: Taps = []
        for j in range(pool_output_length(n, k, s, (before, after), 1, self.ceil_mode)):
            start = j * s - before
            end = min(start + k, n + after)
            lo, hi = max(start, 0), min(end, n)
            divisor = end - start if self.count_include_pad else hi - lo
            taps.append([(i, flint.fmpq(1, divisor)) for i in range(lo, hi)])
        return taps

    def _geometry(self) -> str:
        one = self.spatial_dims == 1
        text = (f"windows of size {brief(self.size[0] if one else self.size, str)}, stride {brief(self.stride[0] if one else self.stride, str)}, "
                f"zero padding {brief(self.pads[0] if one else self.pads, str)}")
        return text + (", ceil_mode" if self.ceil_mode else "")

    def conventions(self) -> tuple[str, ...]:
        """Window geometry and divisor in words.

        >>> PaddedAvgPool(2, pads=[(1, 1)], count_include_pad=False).conventions()[1]
        'divisor: the number of input entries in the window (count_include_pad=False)'
        """
        divisor = ("the window clipped to the padded signal, padded zeros counted (count_include_pad=True)"
                   if self.count_include_pad else "the number of input entries in the window (count_include_pad=False)")
        divisor_latex = (r"the window clipped to the padded signal, padded zeros counted "
                         r"(\texttt{count\_include\_pad=True})" if self.count_include_pad else
                         r"the number of input entries in the window (\texttt{count\_include\_pad=False})")
        return (Phrase(f"average pooling, {self._geometry()}: window j starts at j*s - before (PyTorch/ONNX)",
                       f"average pooling, {escape_latex(self._geometry())}: window $j$ starts at "
                       r"$j s - \mathit{before}$ (PyTorch/ONNX)"),
                Phrase(f"divisor: {divisor}", f"divisor: {divisor_latex}"))

    def describe(self) -> str:
        """One line.

        >>> PaddedAvgPool((2, 2), pads=[(1, 1), (0, 1)], count_include_pad=False).describe()
        'average pooling, windows of size (2, 2), stride (2, 2), zero padding ((1, 1), (0, 1)), border windows divided by their input entries'
        """
        divisor = "padded zeros counted" if self.count_include_pad else "border windows divided by their input entries"
        return f"average pooling, {brief(self._geometry(), str)}, {divisor}"

    def __repr__(self) -> str:
        return (f"PaddedAvgPool({brief(self._geometry(), str)}, count_include_pad={brief(self.count_include_pad, str)})")
