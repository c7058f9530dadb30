"""Shared by the PyTorch and ONNX importers: exact tensors and the mapping of
common network operations onto symequi layers.

Mapping (both front ends):

* convolution (cross-correlation, PyTorch/ONNX ``Conv``) with padding
  ``(before, after)`` per axis, padding mode, stride, dilation, groups, bias:
  :class:`~symequi.layers.Correlation` with ``origin = -before/dilation`` and
  the padding mode built in when the padding is symmetric and keeps the length
  (``2 p = d (K - 1)``), otherwise an explicit :class:`~symequi.layers.pad.Pad`
  then a ``'valid'`` correlation; groups become a block-diagonal kernel; the
  bias a per-channel :class:`~symequi.layers.Bias`.  Padding modes: zeros,
  reflect, replicate (ONNX edge), circular (ONNX wrap) -> ``periodic``.
* max pooling with padding ``p`` (padded with -inf in PyTorch/ONNX) is
  replicate padding then valid max pooling: every window holds the edge entry
  it would replicate (``p <= K/2``, dilation 1), so the maxima agree; ``ceil_mode``
  adds the extra windows the same way.  With dilation (or wider padding) the
  windows' entries are gathered side by side, a padded position reading an
  entry of its own window (:class:`~symequi.layers.gather.PoolWindows`), then
  max pooled.
* average pooling with zero padding counted in the divisor
  (``count_include_pad``) is zero padding then valid average pooling; with
  ``count_include_pad=False`` or a partial ``ceil_mode`` window it is
  :class:`~symequi.layers.pooling.PaddedAvgPool` (each border window divided
  by its own count, as PyTorch and onnxruntime divide).
* transposed convolution: zero insertion by the stride, zero padding, a valid correlation
  with the flipped, channel-swapped kernel (:func:`conv_transpose`).
* batch normalization in eval mode is a per-channel affine map
  :class:`~symequi.layers.affine.ChannelAffine` (see :func:`batchnorm`).

Example
-------
>>> import numpy as np
>>> exact_tensor(np.array([0.5, -0.1])).to_list()
[1/2, -3602879701896397/36028797018963968]
"""

from __future__ import annotations

import math
from typing import Any, cast

import flint
import sympy

from ..core.errors import InvalidArgumentError
from ..core.exact import from_float
from ..core.graph import Add, Concat, Graph
from ..core.types import Padding
from ..core.operator import Operator, Sequential
from ..core.signal import Signal
from ..layers.activations import Bias
from ..layers.affine import ChannelAffine
from ..layers.convolution import Correlation
from ..layers.gather import PoolWindows, ZeroInsertion
from ..layers.pad import Pad
from ..layers.slicing import Slice
from ..layers.pooling import AvgPool, MaxPool, PaddedAvgPool, pool_output_length
from ..core.texts import brief

__all__ = ["UnsupportedModelError", "exact_tensor", "GraphBuilder", "PAD_MODES"]

#: Padding mode names of PyTorch and ONNX -> symequi.
PAD_MODES = {"zeros": "zeros", "constant": "zeros", "reflect": "reflect", "replicate": "replicate",
             "edge": "replicate", "circular": "periodic", "wrap": "periodic"}


class UnsupportedModelError(InvalidArgumentError):
    """A node of an imported model that symequi cannot represent exactly; the message names
    the node, its operation and (for PyTorch) its source line.

    >>> issubclass(UnsupportedModelError, InvalidArgumentError)
    True
    """


def exact_scalar(value: Any, name: str = "value") -> sympy.Rational:
    """The exact rational value of a float (or int) parameter.

    >>> exact_scalar(0.25)
    1/4
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return sympy.Integer(value)
    return from_float(float(value))


def exact_tensor(array: Any) -> Signal:
    """A numpy array (any float or int dtype) as a Signal of the exact binary values.

    >>> import numpy as np
    >>> exact_tensor(np.array([[1, 2]], dtype=np.int64)).shape
    (1, 2)
    """
    import numpy as np

    arr = np.asarray(array)
    if arr.dtype.kind == "f":
        arr = arr.astype(np.float64)  # exact: float16/32 values are float64 values
        if not np.all(np.isfinite(arr)):
            raise InvalidArgumentError("a weight tensor holds inf or nan; symequi imports finite values only")
        values = [flint.fmpq(*v.as_integer_ratio()) for v in arr.ravel().tolist()]
    elif arr.dtype.kind in "iub":
        values = [flint.fmpq(int(v)) for v in arr.ravel().tolist()]
    else:
        raise InvalidArgumentError(f"a weight tensor has dtype {brief(arr.dtype, str)}; symequi imports real numbers only")
    return Signal.from_fmpqs(values, tuple(arr.shape) or (1,))


def _block_diagonal(weight: Signal, groups: int) -> Signal:
    """A grouped kernel ``(C_out, C_in/groups, *K)`` as the full ``(C_out, C_in, *K)`` kernel."""
    if groups == 1:
        return weight
    c_out, c_per = weight.shape[:2]
    taps = math.prod(weight.shape[2:])
    out_per = c_out // groups
    flat = weight.flat_fmpqs()
    zero = flint.fmpq(0)
    values = []
    for o in range(c_out):
        g = o // out_per
        for i in range(c_per * groups):
            if i // c_per == g:
                start = (o * c_per + i % c_per) * taps
                values.extend(flat[start:start + taps])
            else:
                values.extend([zero] * taps)
    return Signal.from_fmpqs(values, (c_out, c_per * groups) + weight.shape[2:])


def conv(weight: Signal, bias: Signal | None, *, pads: list[tuple[int, int]], stride: tuple[int, ...],
         dilation: tuple[int, ...], groups: int, mode: str) -> Operator:
    """The symequi layers of a PyTorch/ONNX convolution (module docstring).

    >>> w = Signal([[[1, 2, 3]]])
    >>> conv(w, None, pads=[(1, 1)], stride=(1,), dilation=(1,), groups=1, mode="circular")
    Sequential(correlation C_j = sum_k a_k b_{j+k} with kernel [[[1, 2, 3]]], kernel origin -1 (k = -1..1), periodic padding, 1 -> 1 channels)
    """
    kernel = _block_diagonal(weight, groups)
    taps = kernel.shape[2:]
    padding = PAD_MODES[mode]
    layers: list[Operator] = []
    built_in = all(a == b and 2 * a == d * (k - 1) and a % d == 0 for (a, b), d, k in zip(pads, dilation, taps))
    if built_in and any(a for a, _ in pads):
        origin = tuple(-a // d for (a, _), d in zip(pads, dilation))
        layers.append(Correlation(kernel, origin=origin if len(origin) > 1 else origin[0], padding=cast(Padding, padding),
                                  stride=stride, dilation=dilation))
    else:
        if any(a or b for a, b in pads):
            layers.append(Pad(tuple(pads), mode=padding))
        layers.append(Correlation(kernel, padding="valid", stride=stride, dilation=dilation))
    if bias is not None and any(v != 0 for v in bias.flat_fmpqs()):
        layers.append(Bias(bias.flat_exprs()))
    return Sequential(*layers)


def conv_transpose(weight: Signal, bias: Signal | None, *, padding: tuple[int, ...], output_padding: tuple[int, ...],
                   stride: tuple[int, ...], dilation: tuple[int, ...], groups: int) -> Operator:
    """A transposed convolution (PyTorch ``ConvTranspose``, ONNX ``ConvTranspose``; weight
    ``(C_in, C_out/groups, *K)``) as zero insertion by the stride, zero padding by ``d (K - 1) - p``
    (plus ``output_padding`` at the end; a crop where negative), and a valid correlation with the
    flipped kernel whose channel axes are swapped.

    >>> op = conv_transpose(Signal([[[1, 2]]]), None, padding=(0,), output_padding=(0,), stride=(2,),
    ...                     dilation=(1,), groups=1)
    >>> op([[1, 10]])  # y = x_0 [1, 2] placed at 0 plus x_1 [1, 2] placed at 2
    Signal([[1, 2, 10, 20]])
    """
    c_in, c_per = weight.shape[:2]
    taps = weight.shape[2:]
    size = math.prod(taps)
    in_per = c_in // groups
    c_out = c_per * groups
    flat = weight.flat_fmpqs()
    zero = flint.fmpq(0)
    values = []
    for o in range(c_out):
        g = o // c_per
        for i in range(c_in):
            if i // in_per != g:
                values.extend([zero] * size)
                continue
            start = (i * c_per + o % c_per) * size
            values.extend(reversed(flat[start:start + size]))  # flipped on every spatial axis
    kernel = Signal.from_fmpqs(values, (c_out, c_in) + tuple(taps))
    layers: list[Operator] = []
    if any(s > 1 for s in stride):
        layers.append(ZeroInsertion(stride))
    widths = [(d * (k - 1) - p, d * (k - 1) - p + op) for d, k, p, op in zip(dilation, taps, padding, output_padding)]
    if any(a > 0 or b > 0 for a, b in widths):
        layers.append(Pad(tuple((max(a, 0), max(b, 0)) for a, b in widths)))
    if any(a < 0 or b < 0 for a, b in widths):
        layers.append(Slice({k + 1: (max(-a, 0), -b if b < 0 else None, 1) for k, (a, b) in enumerate(widths)
                             if a < 0 or b < 0}))
    layers.append(Correlation(kernel, padding="valid", dilation=dilation))
    if bias is not None and any(v != 0 for v in bias.flat_fmpqs()):
        layers.append(Bias(bias.flat_exprs()))
    return Sequential(*layers)


def max_pool(size: tuple[int, ...], stride: tuple[int, ...], pads: list[tuple[int, int]],
             dilation: tuple[int, ...], ceil_mode: bool, lengths: tuple[int, ...], where: str) -> Operator:
    """Max pooling with PyTorch/ONNX geometry (padding by -inf): replicate padding + valid pooling when
    every window holds the entry it would replicate (dilation 1, padding at most half the window),
    otherwise the windows' entries side by side (:class:`~symequi.layers.gather.PoolWindows`, padded
    positions reading an entry of their own window) then ``MaxPool(size)``.

    >>> max_pool((2,), (2,), [(1, 1)], (1,), False, (4,), "pool")([[1, 5, 2, 0]])
    Signal([[1, 5, 0]])
    >>> max_pool((2,), (1,), [(1, 1)], (2,), False, (4,), "pool")([[5, 1, 7, 2]])  # taps j - 1, j + 1
    Signal([[1, 7, 2, 7]])
    """
    pool = MaxPool(size if len(size) > 1 else size[0])
    if any(d != 1 for d in dilation) or any(2 * max(a, b) > k for (a, b), k in zip(pads, size)):
        gather = PoolWindows(size, stride=stride, dilation=dilation, pads=pads, ceil_mode=ceil_mode)
        try:
            gather.output_shape(lengths)
        except InvalidArgumentError as err:
            raise UnsupportedModelError(f"{brief(where, str)}: max pooling: {brief(err, str)}") from err
        return Sequential(gather, pool)
    widths = []
    for (a, b), k, s, n in zip(pads, size, stride, lengths):
        count = pool_output_length(n, k, s, (a, b), 1, ceil_mode)
        widths.append((a, max(b, (count - 1) * s + k - n - a)))
    layers: list[Operator] = []
    if any(a or b for a, b in widths):
        layers.append(Pad(tuple(widths), mode="replicate"))
    layers.append(MaxPool(size if len(size) > 1 else size[0], stride=stride if len(stride) > 1 else stride[0]))
    return layers[0] if len(layers) == 1 else Sequential(*layers)


def avg_pool(size: tuple[int, ...], stride: tuple[int, ...], pads: list[tuple[int, int]],
             count_include_pad: bool, ceil_mode: bool, lengths: tuple[int, ...], where: str) -> Operator:
    """Average pooling: zero padding counted in the divisor then valid average pooling when every window
    has the full divisor; otherwise (``count_include_pad=False`` with padding, a partial ``ceil_mode``
    window) :class:`~symequi.layers.pooling.PaddedAvgPool`, border windows divided as PyTorch and
    onnxruntime divide them.

    >>> avg_pool((2,), (2,), [(1, 1)], True, False, (2,), "pool")([[2, 4]])
    Signal([[1, 2]])
    >>> avg_pool((2,), (2,), [(1, 1)], False, False, (2,), "pool")([[2, 4]])
    Signal([[2, 4]])
    """
    padded = any(a or b for a, b in pads)
    partial = ceil_mode and any(pool_output_length(n, k, s, p, 1, True) != pool_output_length(n, k, s, p, 1, False)
                                for p, k, s, n in zip(pads, size, stride, lengths))
    if partial or (padded and not count_include_pad):
        layer = PaddedAvgPool(size, stride=stride, pads=pads, count_include_pad=count_include_pad, ceil_mode=ceil_mode)
        try:
            layer.output_shape(lengths)
        except InvalidArgumentError as err:
            raise UnsupportedModelError(f"{brief(where, str)}: average pooling: {brief(err, str)}") from err
        return layer
    pool = AvgPool(size if len(size) > 1 else size[0], stride=stride if len(stride) > 1 else stride[0])
    return Sequential(Pad(tuple(pads), mode="zeros"), pool) if padded else pool


def batchnorm(gamma: Signal, beta: Signal, mean: Signal, var: Signal, eps: float, exact: str) -> ChannelAffine:
    """Batch normalization in eval mode, ``(x - mean) / sqrt(var + eps) * gamma + beta``, per channel.

    ``exact='float'`` (the default of the importers): scale ``s = gamma / sqrt(var + eps)`` and shift
    ``t = beta - mean * s`` computed in float64 and taken at their exact binary values (the folded
    layer a deployment compiler runs; rational, so every decider takes it).  ``exact='algebraic'``:
    ``s`` and ``t`` exact, with the square root kept as an algebraic number (only the linear and
    search deciders take irrational parameters).

    >>> one = Signal([1])
    >>> batchnorm(one, Signal([0]), Signal([1]), Signal([3]), 1.0, "algebraic").scale.to_list()
    [1/2]
    """
    if exact not in ("float", "algebraic"):
        raise InvalidArgumentError(f"batchnorm={brief(exact)} must be 'float' or 'algebraic'")
    g, b, m, v = (x.flat_fmpqs() for x in (gamma, beta, mean, var))
    if exact == "float":
        scale = [float(gi) / math.sqrt(float(vi) + eps) for gi, vi in zip(g, v)]
        shift = [float(bi) - float(mi) * si for bi, mi, si in zip(b, m, scale)]
        return ChannelAffine([from_float(s) for s in scale], [from_float(t) for t in shift])
    e = from_float(eps)
    q = [sympy.Rational(int(x.p), int(x.q)) for x in g], [sympy.Rational(int(x.p), int(x.q)) for x in b]
    mm = [sympy.Rational(int(x.p), int(x.q)) for x in m]
    vv = [sympy.Rational(int(x.p), int(x.q)) for x in v]
    scale_e = [gi / sympy.sqrt(vi + e) for gi, vi in zip(q[0], vv)]
    shift_e = [bi - mi * si for bi, mi, si in zip(q[1], mm, scale_e)]
    return ChannelAffine(scale_e, shift_e)


class GraphBuilder:
    """Collects named nodes with their shapes; :meth:`result` gives a Sequential for a chain,
    a :class:`~symequi.core.graph.Graph` otherwise.

    >>> from symequi.layers import ReLU
    >>> b = GraphBuilder((3,))
    >>> b.layer("r", ReLU(), "input")
    (3,)
    >>> b.result("r")
    Sequential(pointwise ReLU(x) = max(0, x))
    """

    def __init__(self, input_shape: tuple[int, ...], input_name: str = "input") -> None:
        self.nodes: list[tuple[str, Any, tuple[str, ...]]] = []
        self.shapes: dict[str, tuple[int, ...]] = {"input": tuple(input_shape)}
        self.alias: dict[str, str] = {input_name: "input"}

    def name(self, node: str) -> str:
        return self.alias[node]

    def shape(self, node: str) -> tuple[int, ...]:
        return self.shapes[self.alias[node]]

    def identity(self, name: str, source: str) -> tuple[int, ...]:
        """``name`` is another name of ``source`` (Identity, Dropout in eval mode, ...)."""
        self.alias[name] = self.alias[source]
        self.shapes.setdefault(self.alias[name], self.shape(source))
        return self.shape(source)

    def layer(self, name: str, op: Operator, source: str) -> tuple[int, ...]:
        shape = tuple(op.output_shape(self.shape(source)))
        self.nodes.append((name, op, (self.alias[source],)))
        self.alias[name] = name
        self.shapes[name] = shape
        return shape

    def merge(self, name: str, op: Add | Concat, sources: list[str]) -> tuple[int, ...]:
        shape = op.output_shape([self.shape(s) for s in sources])
        self.nodes.append((name, op, tuple(self.alias[s] for s in sources)))
        self.alias[name] = name
        self.shapes[name] = shape
        return shape

    def result(self, output: str) -> Operator:
        out = self.alias[output]
        if out == "input":
            return Sequential()
        used = [n for n in self.nodes]
        chain = all(isinstance(op, Operator) and inputs == ((used[k - 1][0],) if k else ("input",))
                    for k, (_, op, inputs) in enumerate(used))
        if chain and used[-1][0] == out:
            return Sequential(*(op for _, op, _ in used))
        keep = _needed(self.nodes, out)
        return Graph([n for n in self.nodes if n[0] in keep])


def _needed(nodes: list[tuple[str, Any, tuple[str, ...]]], out: str) -> set[str]:
    inputs = {name: ins for name, _, ins in nodes}
    keep, todo = set(), [out]
    while todo:
        n = todo.pop()
        if n in keep or n == "input":
            continue
        keep.add(n)
        todo.extend(inputs[n])
    return keep
