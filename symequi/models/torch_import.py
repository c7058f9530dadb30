"""``from_torch``: a ``torch.nn.Module`` as an exact symequi operator, traced with ``torch.fx``.

Weights enter as the exact rational values of their floats (float32 and float64
alike); shapes are per example, without the batch axis.  Supported:

* modules: ``Conv1d``/``Conv2d`` (padding int, tuple, ``'same'``, ``'valid'``;
  ``padding_mode`` zeros, reflect, replicate, circular; stride, dilation,
  groups, bias), ``ConvTranspose1d``/``2d`` (padding, output_padding, stride,
  dilation, groups, bias), ``Upsample`` and ``F.interpolate`` (mode
  ``nearest``/``nearest-exact`` with integer factors, by ``scale_factor`` or
  a ``size`` that is a multiple of the input; ``linear`` and ``bilinear``
  with ``align_corners`` True or False, by ``scale_factor`` (the exact
  rational weights of its exact value; ``recompute_scale_factor``) or
  ``size``: :class:`~symequi.layers.resize.LinearResize`; bicubic,
  trilinear, area and ``antialias=True`` are refused), ``ReLU``,
  ``LeakyReLU``, ``ReLU6``, ``Hardtanh``, ``Identity``,
  ``Dropout`` (eval mode), ``MaxPool1d``/``2d`` (padding, dilation, ceil_mode),
  ``AvgPool1d``/``2d`` (padding, count_include_pad True or False,
  ceil_mode: border windows divided as PyTorch divides them), ``AdaptiveAvgPool1d``/``2d`` to 1,
  ``BatchNorm1d``/``2d`` in eval mode, ``Flatten``, ``Linear``, nested
  ``Sequential``s;
* functions and methods: ``+`` / ``torch.add`` (of two tensors, or a constant),
  ``torch.cat``, ``F.pad`` (all modes), ``torch.roll``, ``F.relu``,
  ``F.leaky_relu``, ``F.relu6``, ``F.hardtanh``, ``torch.clamp`` / ``clip``,
  ``torch.flatten(x, 1)``, slicing ``x[:, :, a:b:s]``.

Anything else raises :class:`~symequi.models.build.UnsupportedModelError`
naming the node, its operation and its source line, before any decision.

Example
-------
>>> import torch
>>> net = torch.nn.Sequential(torch.nn.Conv1d(1, 1, 3, padding=1, padding_mode="circular", bias=False),
...                           torch.nn.ReLU())
>>> with torch.no_grad():
...     _ = net[0].weight.copy_(torch.tensor([[[1.0, -2.0, 0.5]]]))
>>> op = from_torch(net, input_shape=(1, 4))
>>> op([[0, 1, 0, 0]])
Signal([[1/2, 0, 1, 0]])
"""

from __future__ import annotations

import operator
import os
import sys
from typing import Any

import sympy

from ..core.errors import InvalidArgumentError
from ..core.graph import Add, Concat
from ..core.operator import Operator, Sequential
from ..core.signal import check_shape
from ..layers.activations import Bias, LeakyReLU, ReLU
from ..layers.clamp import Clamp
from ..layers.dense import Flatten, Linear
from ..layers.gather import Repeat
from ..layers.pad import Pad
from ..layers.slicing import Slice
from ..layers.pooling import AvgPool
from ..layers.resize import LinearResize
from ..translations import IntegerShift
from .build import PAD_MODES, GraphBuilder, UnsupportedModelError, avg_pool, batchnorm, conv, conv_transpose, \
    exact_scalar, exact_tensor, max_pool
from ..core.texts import brief

__all__ = ["from_torch"]


def _torch() -> Any:
    try:
        import torch
        import torch.fx  # noqa: F401
    except ImportError as err:  # pragma: no cover - torch is a test dependency
        raise InvalidArgumentError(
            "from_torch needs PyTorch: pip install 'symequi[torch]' (a CPU build is enough)"
        ) from err
    return torch


def from_torch(module: Any, input_shape: Any, *, batchnorm_scale: str = "float") -> Operator:
    """The exact symequi operator of ``module`` on inputs of shape ``input_shape`` (no batch axis).

    Parameters
    ----------
    module : a ``torch.nn.Module`` (in eval mode when it has BatchNorm or Dropout).
    input_shape : the shape of one example, e.g. ``(C, N)`` or ``(C, H, W)``.
    batchnorm_scale : ``'float'`` (default) or ``'algebraic'``; see
        :func:`symequi.models.build.batchnorm`.

    Returns
    -------
    A :class:`~symequi.core.operator.Sequential` for a chain of layers, a
    :class:`~symequi.core.graph.Graph` when the network branches.

    Raises
    ------
    UnsupportedModelError : a node symequi cannot represent (named with its source line).

    Example: see the module docstring.
    """
    torch = _torch()
    if not isinstance(module, torch.nn.Module):
        raise InvalidArgumentError(f"module={brief(module)} must be a torch.nn.Module")
    shape = check_shape(input_shape, "input_shape")
    try:
        return _import(torch, module, shape, batchnorm_scale, stack_traces=False)
    except UnsupportedModelError:
        # Trace again, recording each node's source line for the error: recording costs torch about
        # 1.5 s the first time in a process (it imports torch._inductor), so only a refusal pays it.
        return _import(torch, module, shape, batchnorm_scale, stack_traces=True)


def _import(torch: Any, module: Any, shape: tuple[int, ...], batchnorm_scale: str, *, stack_traces: bool) -> Operator:
    """``from_torch`` once the arguments are checked; node locations name a source line when
    ``stack_traces`` (torch.fx's ``record_stack_traces``), else the node only."""

    class _Tracer(torch.fx.Tracer):
        record_stack_traces = stack_traces

    tracer = _Tracer()
    if tracer.is_leaf_module(module, ""):  # a bare torch layer: trace it as a one-layer network
        module = torch.nn.Sequential(module)
    try:
        graph = tracer.trace(module)
    except Exception as err:  # fx cannot trace data-dependent control flow
        raise UnsupportedModelError(
            f"torch.fx could not trace {type(module).__name__}: {type(err).__name__}: {brief(err, str)}; symequi imports "
            "networks whose forward has no data-dependent control flow"
        ) from err
    builder = GraphBuilder(shape)
    modules = dict(module.named_modules())
    output = None
    placeholders: list[str] = []
    for node in graph.nodes:
        if node.op == "placeholder":
            if placeholders:
                raise UnsupportedModelError(f"{brief(_where(node), str)}: the network takes more than one input")
            placeholders.append(node.name)
            builder.alias[node.name] = "input"
        elif node.op == "output":
            output = node.args[0]
        else:
            _Node(torch, builder, modules, node, batchnorm_scale).add()
    if not hasattr(output, "name"):
        raise UnsupportedModelError(f"the network returns {brief(output)}; symequi imports networks with one tensor output")
    return builder.result(output.name)  # type: ignore[union-attr]


def _where(node: Any, modules: dict[str, Any] | None = None) -> str:
    """``node 'name' (op target) at File "...", line n`` (the innermost frame outside torch)."""
    target = node.target if isinstance(node.target, str) else getattr(node.target, "__name__", repr(node.target))
    if node.op == "call_module" and modules is not None and node.target in modules:
        target = f"{brief(node.target)}: {type(modules[node.target]).__name__}"
    text = f"node {brief(node.name)} ({brief(node.op, str)} {brief(target, str)})"
    trace = node.stack_trace or node.meta.get("stack_trace") or ""
    frames = [line.strip() for line in trace.splitlines() if line.strip().startswith("File ")]
    torch_dir = os.path.dirname(os.path.dirname(sys.modules["torch"].__file__ or ""))
    user = [f for f in frames if not f.startswith(f'File "{torch_dir}')]
    if user:
        text += f" at {brief(user[-1], str)}"
    elif frames:
        text += f" at {brief(frames[0], str)}"
    return text


_ACTIVATION_FUNCTIONS = ("relu", "leaky_relu", "relu6", "hardtanh", "clamp", "clip", "clamp_", "relu_")


class _Node:
    """One fx node mapped onto the builder."""

    def __init__(self, torch: Any, builder: GraphBuilder, modules: dict[str, Any], node: Any, bn: str) -> None:
        self.torch, self.b, self.modules, self.node, self.bn = torch, builder, modules, node, bn
        self.where = _where(node, modules)

    def refuse(self, why: str) -> UnsupportedModelError:
        return UnsupportedModelError(f"{brief(self.where, str)}: {brief(why, str)}")

    def source(self, k: int = 0) -> str:
        arg = self.node.args[k] if k < len(self.node.args) else None
        name = getattr(arg, "name", None)
        if not isinstance(name, str) or name not in self.b.alias:
            raise self.refuse(f"argument {brief(k, str)} ({brief(arg)}) is not a tensor computed from the input")
        return name

    def arg(self, k: int, key: str, default: Any) -> Any:
        if k < len(self.node.args):
            return self.node.args[k]
        return self.node.kwargs.get(key, default)

    def layer(self, op: Operator) -> None:
        self.b.layer(self.node.name, op, self.source())

    def add(self) -> None:
        node = self.node
        if node.op == "call_module":
            self.module(self.modules[node.target])
        elif node.op in ("call_function", "call_method"):
            self.function(node.target if node.op == "call_function" else node.target)
        else:
            raise self.refuse(f"fx operation {brief(node.op)} is not supported (parameters are read from modules)")

    # --- modules ------------------------------------------------------------------------------
    def module(self, m: Any) -> None:
        nn = self.torch.nn
        kind = type(m).__name__
        if isinstance(m, (nn.Identity, nn.Dropout)):
            if isinstance(m, nn.Dropout) and m.training:
                raise self.refuse("Dropout in training mode is random; call module.eval() first")
            self.b.identity(self.node.name, self.source())
        elif isinstance(m, (nn.Conv1d, nn.Conv2d)):
            self.conv(m)
        elif isinstance(m, (nn.ConvTranspose1d, nn.ConvTranspose2d)):
            if m.padding_mode != "zeros":
                raise self.refuse(f"ConvTranspose with padding_mode={brief(m.padding_mode)} (zeros only)")
            bias = None if m.bias is None else self.tensor(m.bias)
            self.layer(conv_transpose(self.tensor(m.weight), bias, padding=tuple(m.padding),
                                      output_padding=tuple(m.output_padding), stride=tuple(m.stride),
                                      dilation=tuple(m.dilation), groups=m.groups))
        elif isinstance(m, nn.Upsample):
            self.upsample(m.scale_factor, m.size, m.mode, m.align_corners, m.recompute_scale_factor)
        elif isinstance(m, nn.ReLU):
            self.layer(ReLU())
        elif isinstance(m, nn.LeakyReLU):
            self.layer(LeakyReLU(exact_scalar(m.negative_slope)))
        elif isinstance(m, nn.Hardtanh):  # ReLU6 is a Hardtanh(0, 6)
            self.layer(Clamp(exact_scalar(m.min_val), exact_scalar(m.max_val)))
        elif isinstance(m, (nn.MaxPool1d, nn.MaxPool2d)):
            self.max_pool(m.kernel_size, m.stride, m.padding, m.dilation, m.ceil_mode, 1 if isinstance(m, nn.MaxPool1d) else 2)
        elif isinstance(m, (nn.AvgPool1d, nn.AvgPool2d)):
            if getattr(m, "divisor_override", None):
                raise self.refuse("AvgPool with divisor_override is not supported (remove it: symequi divides as "
                                  "PyTorch does by default)")
            self.avg_pool(m.kernel_size, m.stride, m.padding, m.count_include_pad, m.ceil_mode,
                          1 if isinstance(m, nn.AvgPool1d) else 2)
        elif isinstance(m, (nn.AdaptiveAvgPool1d, nn.AdaptiveAvgPool2d)):
            dims = 1 if isinstance(m, nn.AdaptiveAvgPool1d) else 2
            self.global_pool(m.output_size, dims)
        elif isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            if m.training or m.running_mean is None:
                raise self.refuse("BatchNorm in training mode uses batch statistics; call module.eval() first")
            ones = self.torch.ones_like(m.running_mean)
            gamma = m.weight if m.affine else ones
            beta = m.bias if m.affine else ones * 0
            g_s, b_s, mean_s, var_s = (self.tensor(t) for t in (gamma, beta, m.running_mean, m.running_var))
            self.layer(batchnorm(g_s, b_s, mean_s, var_s, m.eps, self.bn))
        elif isinstance(m, nn.Flatten):
            self.flatten(m.start_dim, m.end_dim)
        elif isinstance(m, nn.Linear):
            self.layer(Linear(self.tensor(m.weight).to_list(), None if m.bias is None else self.tensor(m.bias).to_list()))
        else:
            raise self.refuse(f"module {brief(kind, str)} is not supported; supported modules are listed in symequi.models.torch_import")

    def tensor(self, t: Any) -> Any:
        return exact_tensor(t.detach().cpu().numpy())

    def spatial(self, value: Any, dims: int) -> tuple[int, ...]:
        return tuple(value) if isinstance(value, (tuple, list)) else (int(value),) * dims

    def per_axis(self, value: Any, dims: int) -> tuple[Any, ...]:
        """One number per spatial axis, as given (no rounding: scale factors may be fractions)."""
        return tuple(value) if isinstance(value, (list, tuple)) else (value,) * dims

    def conv(self, m: Any) -> None:
        dims = 1 if isinstance(m, self.torch.nn.Conv1d) else 2
        weight = self.tensor(m.weight)
        taps = weight.shape[2:]
        if m.padding == "same":
            pads = [((d * (k - 1)) // 2, d * (k - 1) - (d * (k - 1)) // 2) for d, k in zip(m.dilation, taps)]
        elif m.padding == "valid":
            pads = [(0, 0)] * dims
        else:
            pads = [(p, p) for p in self.spatial(m.padding, dims)]
        bias = None if m.bias is None else self.tensor(m.bias)
        self.layer(conv(weight, bias, pads=pads, stride=tuple(m.stride), dilation=tuple(m.dilation),
                        groups=m.groups, mode=m.padding_mode))

    def pool_lengths(self, dims: int) -> tuple[int, ...]:
        shape = self.b.shape(self.source())
        if len(shape) != dims + 1:
            raise self.refuse(f"pooling expects an input of shape (C, {'N' if dims == 1 else 'H, W'}), got {brief(shape, str)}")
        return shape[1:]

    def max_pool(self, k: Any, s: Any, p: Any, d: Any, ceil: bool, dims: int) -> None:
        size = self.spatial(k, dims)
        stride = self.spatial(s, dims) if s not in (None, [], ()) else size
        pads = [(q, q) for q in self.spatial(p, dims)]
        self.layer(max_pool(size, stride, pads, self.spatial(d, dims), ceil, self.pool_lengths(dims), self.where))

    def avg_pool(self, k: Any, s: Any, p: Any, include: bool, ceil: bool, dims: int) -> None:
        size = self.spatial(k, dims)
        stride = self.spatial(s, dims) if s not in (None, [], ()) else size
        pads = [(q, q) for q in self.spatial(p, dims)]
        self.layer(avg_pool(size, stride, pads, include, ceil, self.pool_lengths(dims), self.where))

    def global_pool(self, output_size: Any, dims: int) -> None:
        if any(v != 1 for v in self.spatial(output_size, dims)):
            raise self.refuse(f"adaptive average pooling to {brief(output_size, str)} is supported only to 1 (global pooling)")
        lengths = self.pool_lengths(dims)
        self.layer(AvgPool(lengths if dims == 2 else lengths[0]))

    def flatten(self, start: int, end: int) -> None:
        ndim = len(self.b.shape(self.source())) + 1  # with the batch axis
        if start % ndim != 1 or end % ndim != ndim - 1:
            raise self.refuse(f"flatten(start_dim={brief(start, str)}, end_dim={brief(end, str)}) must flatten every axis but the batch axis")
        self.layer(Flatten())

    # --- functions and methods ------------------------------------------------------------------
    def function(self, target: Any) -> None:
        torch, node = self.torch, self.node
        name = target if isinstance(target, str) else getattr(target, "__name__", "")
        F = torch.nn.functional
        if target in (operator.add, torch.add) or name in ("add", "add_", "__add__"):
            self.addition()
        elif target in (torch.cat, torch.concat) or name in ("cat", "concat"):
            tensors = self.arg(0, "tensors", None)
            dim = self.arg(1, "dim", 0)
            if not isinstance(tensors, (list, tuple)) or not all(hasattr(t, "name") for t in tensors):
                raise self.refuse("cat of something other than a list of tensors")
            if dim == 0:
                raise self.refuse("cat along the batch axis (dim=0) is not supported")
            self.b.merge(node.name, Concat(dim - 1 if dim > 0 else dim), [t.name for t in tensors])
        elif target is F.pad or name == "pad":
            self.pad()
        elif target is torch.roll or name == "roll":
            self.roll()
        elif target in (torch.relu, F.relu) or name in ("relu", "relu_"):
            self.layer(ReLU())
        elif target is F.leaky_relu or name == "leaky_relu":
            self.layer(LeakyReLU(exact_scalar(self.arg(1, "negative_slope", 0.01))))
        elif target is F.relu6 or name == "relu6":
            self.layer(Clamp(0, 6))
        elif target is F.hardtanh or name == "hardtanh":
            self.layer(Clamp(exact_scalar(self.arg(1, "min_val", -1.0)), exact_scalar(self.arg(2, "max_val", 1.0))))
        elif target in (torch.clamp, torch.clip) or name in ("clamp", "clip", "clamp_"):
            lo, hi = self.arg(1, "min", None), self.arg(2, "max", None)
            if lo is None or hi is None or hasattr(lo, "name") or hasattr(hi, "name"):
                raise self.refuse("clamp needs both constant bounds min and max (one-sided clamp: use relu)")
            self.layer(Clamp(exact_scalar(lo), exact_scalar(hi)))
        elif target is F.interpolate or name == "interpolate":
            self.upsample(self.arg(2, "scale_factor", None), self.arg(1, "size", None), self.arg(3, "mode", "nearest"),
                          self.arg(4, "align_corners", None), self.arg(5, "recompute_scale_factor", None),
                          self.arg(6, "antialias", False))
        elif target is operator.getitem:
            self.getitem()
        elif target is torch.flatten or name == "flatten":
            self.flatten(self.arg(1, "start_dim", 0), self.arg(2, "end_dim", -1))
        else:
            raise self.refuse(f"function {brief(name or target)} is not supported; supported functions are listed in "
                              "symequi.models.torch_import")

    def addition(self) -> None:
        a, b = self.arg(0, "input", None), self.arg(1, "other", None)
        if self.node.kwargs.get("alpha", 1) != 1:
            raise self.refuse("torch.add with alpha != 1 is not supported")
        tensors = [x for x in (a, b) if hasattr(x, "name")]
        if len(tensors) == 2:
            self.b.merge(self.node.name, Add(), [a.name, b.name])
        elif len(tensors) == 1 and isinstance(a if tensors[0] is b else b, (int, float)):
            const = a if tensors[0] is b else b
            self.b.layer(self.node.name, Bias(exact_scalar(const)), tensors[0].name)
        else:
            raise self.refuse("addition of something other than two tensors or a tensor and a number")

    def upsample(self, scale: Any, size: Any, mode: str, align_corners: Any = None, recompute: Any = None,
                 antialias: Any = False) -> None:
        """``nn.Upsample`` / ``F.interpolate``: nearest with integer factors (Repeat), linear and bilinear
        (:class:`~symequi.layers.resize.LinearResize`)."""
        lengths = self.b.shape(self.source())[1:]
        dims = len(lengths)
        if antialias:
            raise self.refuse("interpolate with antialias=True is not supported (use antialias=False)")
        if (size is None) == (scale is None):
            raise self.refuse(f"interpolate needs exactly one of size={brief(size)} and scale_factor={brief(scale)}")
        for name, value in (("size", size), ("scale_factor", scale)):
            items = value if isinstance(value, (list, tuple)) else [value]
            if value is not None and not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in items):
                raise self.refuse(f"interpolate with {name}={brief(value)} computed at run time; give constant numbers")
        if mode in ("nearest", "nearest-exact"):
            self.layer(Repeat(self.nearest_factors(scale, size, lengths)))
        elif mode in ("linear", "bilinear"):
            if (mode == "linear") != (dims == 1) or dims > 2:
                raise self.refuse(f"interpolate mode={brief(mode)} on an input of shape {brief(self.b.shape(self.source()), str)}: "
                                  "'linear' takes (C, N), 'bilinear' takes (C, H, W)")
            coordinates = "align_corners" if align_corners else "half_pixel"
            if size is not None:
                self.layer(LinearResize(self.spatial(size, dims), coordinates=coordinates))
            else:
                factors = tuple(exact_scalar(f) for f in self.per_axis(scale, dims))
                if any(f <= 0 for f in factors):
                    raise self.refuse(f"interpolate scale_factor={brief(scale)}: positive factors only")
                if recompute:  # PyTorch resizes to floor(n * s) and takes the scale from the lengths
                    sizes = tuple(int(sympy.floor(n * f)) for n, f in zip(lengths, factors))
                    self.layer(LinearResize(sizes, coordinates=coordinates))
                else:
                    self.layer(LinearResize(scale=factors, coordinates=coordinates))
        else:
            raise self.refuse(f"interpolate mode={brief(mode)} is not supported (nearest with integer factors, linear, "
                              "bilinear)")

    def nearest_factors(self, scale: Any, size: Any, lengths: tuple[int, ...]) -> tuple[int, ...]:
        dims = len(lengths)
        if size is not None:
            sizes = self.spatial(size, dims)
            if any(m % n for m, n in zip(sizes, lengths)):
                raise self.refuse(f"nearest upsampling of lengths {brief(lengths, str)} to size={brief(size)}: only sizes that are "
                                  "integer multiples of the input lengths (use scale_factor or mode='linear')")
            return tuple(m // n for m, n in zip(sizes, lengths))
        factors = self.per_axis(scale, dims)
        if any(float(f) != int(f) or int(f) < 1 for f in factors):
            raise self.refuse(f"nearest upsampling by scale_factor={brief(scale)}: positive integer factors only "
                              "(use mode='linear' for other factors)")
        return tuple(int(f) for f in factors)

    def getitem(self) -> None:
        index = self.arg(1, "index", None)
        index = index if isinstance(index, tuple) else (index,)
        if not index or not all(isinstance(i, slice) for i in index) or index[0] != slice(None):
            raise self.refuse(f"indexing with {brief(index)}: only slices such as x[:, :, a:b:s] (the batch axis whole)")
        ranges = {}
        for axis, sl in enumerate(index[1:]):
            if any(v is not None and (isinstance(v, bool) or not isinstance(v, int)) for v in (sl.start, sl.stop, sl.step)):
                raise self.refuse(f"slice {brief(sl)}: constant int bounds only")
            if sl != slice(None):
                ranges[axis] = (sl.start, sl.stop, sl.step)
        if not ranges:
            self.b.identity(self.node.name, self.source())
        else:
            self.layer(Slice(ranges))

    def pad(self) -> None:
        widths = self.arg(1, "pad", None)
        mode = self.arg(2, "mode", "constant")
        value = self.arg(3, "value", None) or 0
        if not isinstance(widths, (list, tuple)) or len(widths) % 2:
            raise self.refuse(f"F.pad with pad={brief(widths)}: give an even number of ints")
        if mode not in PAD_MODES:
            raise self.refuse(f"F.pad mode {brief(mode)} is not supported")
        pairs = [(int(widths[i]), int(widths[i + 1])) for i in range(0, len(widths), 2)][::-1]
        self.layer(Pad(tuple(pairs), mode=PAD_MODES[mode], value=exact_scalar(value)))

    def roll(self) -> None:
        shifts, dims = self.arg(1, "shifts", None), self.arg(2, "dims", None)
        if dims is None:
            raise self.refuse("torch.roll without dims (a roll of the flattened tensor) is not supported")
        shifts = shifts if isinstance(shifts, (list, tuple)) else [shifts]
        dims = dims if isinstance(dims, (list, tuple)) else [dims]
        shape = self.b.shape(self.source())
        per_axis = [0] * len(shape)
        for s, d in zip(shifts, dims):
            axis = d % (len(shape) + 1)
            if axis == 0:
                raise self.refuse("torch.roll along the batch axis is not supported")
            per_axis[axis - 1] += int(s)
        self.layer(IntegerShift(tuple(per_axis) if len(per_axis) > 1 else per_axis[0]))
