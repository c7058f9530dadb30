"""``from_onnx``: an ONNX graph as an exact symequi operator (parsed with ``onnx``, never executed).

Initializers (and ``Constant`` nodes) enter as the exact rational values of
their floats; shapes are per example (the batch axis, which must be 1 or
symbolic, is dropped).  Supported operators: ``Conv`` (pads, auto_pad,
strides, dilations, group, bias), ``ConvTranspose`` (pads, strides,
dilations, output_padding, group), ``Pad`` (constant, reflect, edge, wrap),
``Slice`` (constant starts/ends/axes/steps; what PyTorch exports for circular
padding), ``Resize`` (opsets 10-19) and ``Upsample`` with constant scales or
sizes on the last one or two axes: mode ``linear`` with
coordinate_transformation_mode ``half_pixel``, ``pytorch_half_pixel``,
``align_corners`` or ``asymmetric`` (exact rational weights,
:class:`~symequi.layers.resize.LinearResize`; antialias only when upscaling),
mode ``nearest`` with integer factors (half-pixel coordinates with a
``round_prefer_*`` nearest_mode, or asymmetric with ``floor``: what PyTorch
exports); sizes computed at run time (from ``Shape``), cubic mode,
``tf_crop_and_resize``, ``exclude_outside`` and ``keep_aspect_ratio_policy``
are refused, ``Relu``, ``LeakyRelu``, ``Clip``, ``MaxPool`` (pads, strides, dilations,
ceil_mode; auto_pad SAME with dilations is refused), ``AveragePool``,
(pads, strides, auto_pad, count_include_pad, ceil_mode: border windows divided as
onnxruntime divides them), ``GlobalAveragePool``, ``BatchNormalization``, ``Add`` (two tensors, or a
tensor and a constant scalar or per-channel bias), ``Concat``, ``Gemm`` and
``MatMul`` with a constant weight, ``Flatten`` (axis 1), ``Identity``,
``Dropout``.  Anything else raises
:class:`~symequi.models.build.UnsupportedModelError` naming the node and its
operator type.  Shape computations on constants (``Shape`` of a tensor, whose
per-example shape is fixed, then ``Slice``, ``Concat``, ``Gather``,
``Unsqueeze``, ``Squeeze``, ``Cast``) are folded to constants, as PyTorch
exports ``F.interpolate(size=...)``.

Example
-------
>>> import onnx
>>> from onnx import TensorProto, helper
>>> x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1, 4])
>>> y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 1, 4])
>>> w = helper.make_tensor("w", TensorProto.FLOAT, [1, 1, 3], [1.0, -2.0, 0.5])
>>> node = helper.make_node("Conv", ["x", "w"], ["y"], pads=[1, 1])
>>> model = helper.make_model(helper.make_graph([node], "g", [x], [y], [w]))
>>> from_onnx(model)([[0, 1, 0, 0]])
Signal([[1/2, -2, 1, 0]])
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import sympy

from ..core.errors import InvalidArgumentError
from ..core.graph import Add, Concat
from ..core.operator import Operator
from ..core.signal import check_shape
from ..layers.activations import Bias, LeakyReLU, ReLU
from ..layers.clamp import Clamp
from ..layers.dense import Flatten, Linear
from ..layers.pad import Pad
from ..layers.gather import Repeat
from ..layers.pooling import AvgPool
from ..layers.resize import COORDINATE_MODES, LinearResize
from ..layers.slicing import Slice
from .build import PAD_MODES, GraphBuilder, UnsupportedModelError, avg_pool, batchnorm, conv, conv_transpose, \
    exact_scalar, exact_tensor, max_pool
from ..core.texts import brief

__all__ = ["from_onnx"]


def _onnx() -> Any:
    try:
        import onnx
        import onnx.numpy_helper  # noqa: F401
    except ImportError as err:  # pragma: no cover - onnx is a test dependency
        raise InvalidArgumentError("from_onnx needs the onnx package: pip install 'symequi[onnx]'") from err
    return onnx


def from_onnx(model: Any, input_shape: Any = None, *, batchnorm_scale: str = "float") -> Operator:
    """The exact symequi operator of an ONNX model (a path, bytes or a ``ModelProto``).

    Parameters
    ----------
    model : path of an ``.onnx`` file, its bytes, or an ``onnx.ModelProto``.
    input_shape : the shape of one example without the batch axis; default: read from the
        model's input (its dimensions after the batch axis must be fixed numbers).
    batchnorm_scale : ``'float'`` (default) or ``'algebraic'``; see :func:`symequi.models.build.batchnorm`.

    Example: see the module docstring.
    """
    onnx = _onnx()
    if isinstance(model, (str, os.PathLike)):
        if not os.path.exists(model):
            raise InvalidArgumentError(f"model={repr(brief(model, str))}: no such file")
        proto = onnx.load(os.fspath(model))
    elif isinstance(model, (bytes, bytearray)):
        proto = onnx.load_from_string(bytes(model))
    elif isinstance(model, onnx.ModelProto):
        proto = model
    else:
        raise InvalidArgumentError(f"model={brief(model)} must be a path to an .onnx file, its bytes or an onnx.ModelProto")
    graph = proto.graph
    consts: dict[str, np.ndarray] = {t.name: onnx.numpy_helper.to_array(t) for t in graph.initializer}
    inputs = [i for i in graph.input if i.name not in consts]
    if len(inputs) != 1 or len(graph.output) != 1:
        raise UnsupportedModelError(
            f"the model has {len(inputs)} inputs and {len(graph.output)} outputs; symequi imports one input, one output"
        )
    shape = _input_shape(inputs[0], input_shape)
    builder = GraphBuilder(shape, inputs[0].name)
    opset = next((int(o.version) for o in proto.opset_import if o.domain in ("", "ai.onnx")), 0)
    for k, node in enumerate(graph.node):
        _OnnxNode(onnx, builder, consts, node, k, batchnorm_scale, opset).add()
    return builder.result(graph.output[0].name)


def _input_shape(value_info: Any, given: Any) -> tuple[int, ...]:
    if given is not None:
        return check_shape(given, "input_shape")
    dims = value_info.type.tensor_type.shape.dim
    fixed = [d.dim_value if d.HasField("dim_value") else None for d in dims]
    if len(fixed) < 2 or any(v is None for v in fixed[1:]):
        raise InvalidArgumentError(
            f"the model's input {brief(value_info.name)} has no fixed per-example shape ({brief(fixed, str)}); pass input_shape=(C, ...)"
        )
    if fixed[0] not in (None, 1):
        raise UnsupportedModelError(f"the model's input has batch size {brief(fixed[0], str)}; symequi needs batch size 1")
    return tuple(int(n) for n in fixed[1:] if n is not None)


class _OnnxNode:
    """One ONNX node mapped onto the builder."""

    def __init__(self, onnx: Any, builder: GraphBuilder, consts: dict[str, np.ndarray], node: Any, k: int,
                 bn: str, opset: int = 0) -> None:
        self.onnx, self.b, self.consts, self.node, self.bn, self.opset = onnx, builder, consts, node, bn, opset
        self.attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
        self.where = f"node {node.name or k!r} (ONNX {node.op_type})"

    def refuse(self, why: str) -> UnsupportedModelError:
        return UnsupportedModelError(f"{brief(self.where, str)}: {brief(why, str)}")

    def source(self, k: int = 0) -> str:
        name = self.node.input[k]
        if name not in self.b.alias:
            raise self.refuse(f"input {brief(k, str)} ({brief(name)}) is not a tensor computed from the model's input")
        return name

    def const(self, k: int, what: str) -> np.ndarray | None:
        if k >= len(self.node.input) or not self.node.input[k]:
            return None
        name = self.node.input[k]
        if name not in self.consts:
            raise self.refuse(f"{brief(what, str)} ({brief(name)}) must be a constant (an initializer or a Constant node)")
        return self.consts[name]

    def layer(self, op: Operator) -> None:
        self.b.layer(self.node.output[0], op, self.source())

    def spatial_lengths(self) -> tuple[int, ...]:
        return self.b.shape(self.source())[1:]

    def add(self) -> None:
        op = self.node.op_type
        if op in ("Slice", "Concat", "Gather", "Unsqueeze", "Squeeze", "Cast") and self.fold():
            return
        handler = getattr(self, f"op_{op}", None)
        if handler is None:
            raise self.refuse(f"operator {brief(op, str)} is not supported; supported operators are listed in "
                              "symequi.models.onnx_import")
        handler()

    # --- constants and plumbing -------------------------------------------------------------
    def op_Constant(self) -> None:
        if "value" not in self.attrs:
            raise self.refuse("Constant without a 'value' tensor is not supported")
        self.consts[self.node.output[0]] = self.onnx.numpy_helper.to_array(self.attrs["value"])

    def op_Identity(self) -> None:
        self.b.identity(self.node.output[0], self.source())

    op_Dropout = op_Identity

    # --- convolution and pooling ------------------------------------------------------------
    def pads(self, kernel: tuple[int, ...], strides: tuple[int, ...], dilations: tuple[int, ...]) -> list[tuple[int, int]]:
        auto = self.attrs.get("auto_pad", b"NOTSET")
        auto = auto.decode() if isinstance(auto, bytes) else auto
        dims = len(kernel)
        if auto in ("NOTSET", ""):
            p = list(self.attrs.get("pads", [0] * (2 * dims)))
            return [(int(p[i]), int(p[i + dims])) for i in range(dims)]
        if auto == "VALID":
            return [(0, 0)] * dims
        out = []
        for n, k, s, d in zip(self.spatial_lengths(), kernel, strides, dilations):
            total = max((-(-n // s) - 1) * s + d * (k - 1) + 1 - n, 0)
            small = total // 2
            out.append((small, total - small) if auto == "SAME_UPPER" else (total - small, small))
        return out

    def geometry(self, kernel: tuple[int, ...]) -> tuple[tuple[int, ...], tuple[int, ...], list[tuple[int, int]]]:
        dims = len(kernel)
        strides = tuple(int(v) for v in self.attrs.get("strides", [1] * dims))
        dilations = tuple(int(v) for v in self.attrs.get("dilations", [1] * dims))
        return strides, dilations, self.pads(kernel, strides, dilations)

    def op_Conv(self) -> None:
        w = self.const(1, "the weight")
        assert w is not None  # Conv requires a weight
        if w.ndim not in (3, 4):
            raise self.refuse(f"Conv with a weight of shape {brief(w.shape, str)}: 1-D and 2-D convolutions only")
        b = self.const(2, "the bias")
        strides, dilations, pads = self.geometry(tuple(w.shape[2:]))
        self.layer(conv(exact_tensor(w), None if b is None else exact_tensor(b), pads=pads, stride=strides,
                        dilation=dilations, groups=int(self.attrs.get("group", 1)), mode="zeros"))

    def op_ConvTranspose(self) -> None:
        w = self.const(1, "the weight")
        assert w is not None
        if w.ndim not in (3, 4):
            raise self.refuse(f"ConvTranspose with a weight of shape {brief(w.shape, str)}: 1-D and 2-D only")
        auto = self.attrs.get("auto_pad", b"NOTSET")
        if (auto.decode() if isinstance(auto, bytes) else auto) not in ("NOTSET", "") or "output_shape" in self.attrs:
            raise self.refuse("ConvTranspose with auto_pad or output_shape is not supported (give pads)")
        dims = w.ndim - 2
        strides = tuple(int(v) for v in self.attrs.get("strides", [1] * dims))
        dilations = tuple(int(v) for v in self.attrs.get("dilations", [1] * dims))
        p = [int(v) for v in self.attrs.get("pads", [0] * (2 * dims))]
        out_pad = [int(v) for v in self.attrs.get("output_padding", [0] * dims)]
        # symmetric pads; an end pad smaller than the begin pad is output padding
        if any(p[i + dims] > p[i] for i in range(dims)):
            raise self.refuse(f"ConvTranspose pads {brief(p, str)}: an end pad larger than the begin pad is not supported")
        extra = tuple(o + p[i] - p[i + dims] for i, o in enumerate(out_pad))
        b = self.const(2, "the bias")
        self.layer(conv_transpose(exact_tensor(w), None if b is None else exact_tensor(b), padding=tuple(p[:dims]),
                                  output_padding=extra, stride=strides, dilation=dilations,
                                  groups=int(self.attrs.get("group", 1))))

    def op_MaxPool(self) -> None:
        kernel = tuple(int(v) for v in self.attrs["kernel_shape"])
        if len(self.node.output) > 1 and self.node.output[1]:
            raise self.refuse("MaxPool with an Indices output is not supported")
        strides, dilations, pads = self.geometry(kernel)
        if any(d != 1 for d in dilations) and self.text("auto_pad", "NOTSET").startswith("SAME"):
            raise self.refuse("MaxPool with dilations and auto_pad SAME_* is ambiguous (onnxruntime pads for the "
                              "undilated window, the ONNX spec for the dilated one); give explicit pads")
        self.layer(max_pool(kernel, strides, pads, dilations, bool(self.attrs.get("ceil_mode", 0)),
                            self.spatial_lengths(), self.where))

    def op_AveragePool(self) -> None:
        kernel = tuple(int(v) for v in self.attrs["kernel_shape"])
        strides, dilations, pads = self.geometry(kernel)
        if any(d != 1 for d in dilations):
            raise self.refuse("AveragePool with dilations is not supported (dilations 1 only; a dilated average is "
                              "a Conv with a constant kernel)")
        self.layer(avg_pool(kernel, strides, pads, bool(self.attrs.get("count_include_pad", 0)),
                            bool(self.attrs.get("ceil_mode", 0)), self.spatial_lengths(), self.where))

    def op_GlobalAveragePool(self) -> None:
        lengths = self.spatial_lengths()
        if len(lengths) not in (1, 2):
            raise self.refuse(f"GlobalAveragePool of an input of shape {brief(self.b.shape(self.source()), str)}")
        self.layer(AvgPool(lengths if len(lengths) == 2 else lengths[0]))

    def op_BatchNormalization(self) -> None:
        if len(self.node.output) > 1 and any(self.node.output[1:]):
            raise self.refuse("BatchNormalization in training mode (running statistics as outputs) is not supported")
        params = [self.const(k, name) for k, name in enumerate(("", "the scale", "the bias", "the mean", "the variance"))
                  if k]
        gamma, beta, mean, var = (exact_tensor(p) for p in params)
        self.layer(batchnorm(gamma, beta, mean, var, float(self.attrs.get("epsilon", 1e-5)), self.bn))

    def op_Shape(self) -> None:
        """The shape of a tensor is a constant here (fixed per-example shape, batch 1): what PyTorch exports
        for ``F.interpolate(size=...)`` (Shape -> Slice -> Concat -> Resize sizes) folds to constants."""
        name = self.node.input[0]
        full = np.array(self.consts[name].shape if name in self.consts else (1, *self.b.shape(self.source())),
                        dtype=np.int64)
        start, end = self.attrs.get("start", 0), self.attrs.get("end", None)
        self.consts[self.node.output[0]] = full[start:end]

    def fold(self) -> bool:
        """Evaluate a shape computation on constants (Slice, Concat, Gather, Unsqueeze, Squeeze, Cast);
        False when an input is a tensor computed from the model's input."""
        names = [n for n in self.node.input if n]
        if not names or any(n not in self.consts for n in names):
            return False
        op, values = self.node.op_type, [self.consts[n] for n in names]
        if op == "Concat":
            out = np.concatenate([np.atleast_1d(v) for v in values], axis=int(self.attrs["axis"]))
        elif op == "Gather":
            out = np.take(values[0], values[1], axis=int(self.attrs.get("axis", 0)))
        elif op == "Cast":
            out = values[0].astype(self.onnx.helper.tensor_dtype_to_np_dtype(int(self.attrs["to"])))
        elif op in ("Unsqueeze", "Squeeze"):
            axes = values[1] if len(values) > 1 else np.array(self.attrs.get("axes", []), dtype=np.int64)
            if op == "Unsqueeze":
                out = values[0]
                for a in sorted(int(v) % (values[0].ndim + len(axes)) for v in axes.ravel()):
                    out = np.expand_dims(out, a)
            else:
                out = np.squeeze(values[0], axis=tuple(int(v) for v in axes.ravel()) or None)
        else:  # Slice
            data, starts, ends = values[0], values[1], values[2]
            axes = values[3] if len(values) > 3 else np.arange(len(starts))
            steps = values[4] if len(values) > 4 else np.ones(len(starts), dtype=np.int64)
            index = [slice(None)] * data.ndim
            for a, b, e, st in zip(axes.ravel(), starts.ravel(), ends.ravel(), steps.ravel()):
                index[int(a)] = slice(int(b), int(e), int(st))
            out = data[tuple(index)]
        self.consts[self.node.output[0]] = np.asarray(out)
        return True

    # --- resampling -------------------------------------------------------------------------
    def text(self, name: str, default: str) -> str:
        value = self.attrs.get(name, default)
        return value.decode() if isinstance(value, bytes) else str(value)

    def op_Resize(self) -> None:
        """Resize (opset 10: inputs X, scales; opset 11+: X, roi, scales, sizes) in mode nearest or linear."""
        if self.opset and self.opset < 11:
            self.resample(self.const_or_runtime(1, "scales"), None, "asymmetric", "floor")
            return
        coordinates = self.text("coordinate_transformation_mode", "half_pixel")
        if self.text("keep_aspect_ratio_policy", "stretch") != "stretch":
            raise self.refuse("Resize with keep_aspect_ratio_policy other than 'stretch' is not supported "
                              "(give the output sizes directly)")
        self.resample(self.const_or_runtime(2, "scales"), self.const_or_runtime(3, "sizes"), coordinates)

    def op_Upsample(self) -> None:
        """The deprecated Upsample (opsets 7-9): asymmetric coordinates, scales as input or attribute."""
        scales = self.const_or_runtime(1, "scales") if len(self.node.input) > 1 else None
        if scales is None and "scales" in self.attrs:
            scales = np.array(self.attrs["scales"], dtype=np.float64)
        self.resample(scales, None, "asymmetric", "floor")

    def const_or_runtime(self, k: int, what: str) -> np.ndarray | None:
        """A constant input of a Resize (None when absent or empty); refused clearly when computed at run time."""
        if k >= len(self.node.input) or not self.node.input[k]:
            return None
        name = self.node.input[k]
        if name not in self.consts:
            raise self.refuse(
                f"{brief(what, str)} ({brief(name)}) is computed at run time (e.g. from Shape); symequi needs constant {brief(what, str)}: export "
                "with a fixed input shape and constant folding (torch.onnx.export(..., do_constant_folding=True)), "
                "or give them as an initializer"
            )
        value = self.consts[name]
        return None if value.size == 0 else value

    def resample(self, scales: np.ndarray | None, sizes: np.ndarray | None, coordinates: str,
                 nearest: str | None = None) -> None:
        """The layer of a Resize/Upsample with constant ``scales`` or ``sizes`` (``nearest``: the nearest rule of
        the old operators, which have no nearest_mode attribute: floor when upsampling)."""
        shape = self.b.shape(self.source())
        rank = len(shape) + 1
        if (scales is None) == (sizes is None):
            raise self.refuse("Resize needs exactly one of scales and sizes (as constants)")
        axes = [int(a) % rank for a in self.attrs.get("axes", range(rank))]
        given = (scales if scales is not None else sizes).ravel().tolist()  # type: ignore[union-attr]
        if len(given) != len(axes):
            raise self.refuse(f"Resize has {len(given)} {'scales' if sizes is None else 'sizes'} for {len(axes)} axes")
        full = (1, *shape)
        per_axis = dict(zip(axes, given))
        for axis in (0, 1):
            if axis in per_axis and (per_axis[axis] != 1 if sizes is None else per_axis[axis] != full[axis]):
                raise self.refuse(f"Resize of the {brief(('batch', 'channel')[axis], str)} axis is not supported")
        for a in range(2, rank):  # an axis without a scale or size keeps its length
            per_axis.setdefault(a, 1 if sizes is None else full[a])
        if all(per_axis[a] == (1 if sizes is None else full[a]) for a in range(2, rank)):
            self.b.identity(self.node.output[0], self.source())
            return
        spatial = list(range(2, rank))
        if len(spatial) > 2:
            raise self.refuse(f"Resize of an input of shape {brief(shape, str)}: only (C, N) and (C, H, W) inputs")
        lengths = [full[a] for a in spatial]
        if sizes is not None:
            targets = [int(per_axis[a]) for a in spatial]
            factors = None
        else:
            factors = [exact_scalar(float(per_axis[a])) for a in spatial]
            if any(f <= 0 for f in factors):
                raise self.refuse(f"Resize scales {brief(given, str)}: positive scales only")
            targets = [int(sympy.floor(n * f)) for n, f in zip(lengths, factors)]
        mode = self.text("mode", "nearest")
        if mode == "nearest":
            nearest = nearest or self.text("nearest_mode", "round_prefer_floor")
            self.layer(Repeat(self.nearest_factors(lengths, targets, coordinates, nearest, factors)))
        elif mode == "linear":
            if coordinates not in COORDINATE_MODES:
                raise self.refuse(f"Resize mode='linear' with coordinate_transformation_mode={brief(coordinates)} is not "
                                  f"supported (supported: {brief(', '.join(COORDINATE_MODES), str)})")
            if int(self.attrs.get("exclude_outside", 0)):
                raise self.refuse("Resize mode='linear' with exclude_outside=1 is not supported (set exclude_outside=0)")
            if int(self.attrs.get("antialias", 0)) and any(m < n for m, n in zip(targets, lengths)):
                raise self.refuse("Resize with antialias=1 that downscales is not supported (set antialias=0)")
            if factors is not None and coordinates in ("half_pixel", "pytorch_half_pixel", "asymmetric"):
                self.layer(LinearResize(scale=tuple(factors), coordinates=coordinates))
            else:
                self.layer(LinearResize(tuple(targets), coordinates=coordinates))
        else:
            raise self.refuse(f"Resize mode={brief(mode)} is not supported (nearest with integer factors, linear)")

    def nearest_factors(self, lengths: list[int], targets: list[int], coordinates: str, nearest: str,
                        factors: list[Any] | None) -> tuple[int, ...]:
        """Nearest resizing is a Repeat when every factor is an integer ``f`` and each output ``j = q f + r``
        reads ``q``: half-pixel coordinates ``q + (r - (f - 1)/2)/f`` with a rounding nearest_mode (never a
        tie), or asymmetric ones ``q + r/f`` rounded down."""
        rule_ok = ((coordinates in ("half_pixel", "pytorch_half_pixel") and nearest.startswith("round_prefer"))
                   or (coordinates == "asymmetric" and nearest == "floor"))
        integral = all(m % n == 0 for m, n in zip(targets, lengths)) and (
            factors is None or all(f == m // n for f, m, n in zip(factors, targets, lengths)))
        if not (rule_ok and integral):
            raise self.refuse(
                f"Resize mode='nearest' with coordinate_transformation_mode={brief(coordinates)}, nearest_mode={brief(nearest)} "
                f"from {brief(lengths, str)} to {brief(targets, str)}: only integer factors with half_pixel/pytorch_half_pixel and a "
                "round_prefer nearest_mode, or asymmetric with nearest_mode='floor' (use mode='linear' otherwise)"
            )
        return tuple(m // n for m, n in zip(targets, lengths))

    # --- padding and slicing ----------------------------------------------------------------
    def op_Pad(self) -> None:
        mode = self.attrs.get("mode", b"constant")
        mode = mode.decode() if isinstance(mode, bytes) else mode
        pads = self.const(1, "pads") if len(self.node.input) > 1 else np.array(self.attrs.get("pads", []))
        value = self.const(2, "constant_value")
        axes = self.const(3, "axes")
        shape = self.b.shape(self.source())
        ndim = len(shape) + 1
        axes_list = list(range(ndim)) if axes is None else [int(a) % ndim for a in axes.ravel()]
        p = [int(v) for v in np.asarray(pads).ravel()]
        before = dict(zip(axes_list, p[:len(axes_list)]))
        after = dict(zip(axes_list, p[len(axes_list):]))
        if before.get(0, 0) or after.get(0, 0) or before.get(1, 0) or after.get(1, 0):
            raise self.refuse("Pad of the batch or channel axis is not supported")
        if mode not in PAD_MODES:
            raise self.refuse(f"Pad mode {brief(mode)} is not supported")
        widths = tuple((before.get(a, 0), after.get(a, 0)) for a in range(2, ndim))
        c = 0 if value is None or value.size == 0 else exact_scalar(float(value.ravel()[0]))
        self.layer(Pad(widths, mode=PAD_MODES[mode], value=c))

    def op_Slice(self) -> None:
        starts, ends = self.const(1, "starts"), self.const(2, "ends")
        axes, steps = self.const(3, "axes"), self.const(4, "steps")
        assert starts is not None and ends is not None
        ndim = len(self.b.shape(self.source())) + 1
        axes_list = list(range(len(starts))) if axes is None else [int(a) % ndim for a in axes.ravel()]
        steps_list = [1] * len(axes_list) if steps is None else [int(s) for s in steps.ravel()]
        ranges = {}
        big = 2 ** 62
        for a, s, e, st in zip(axes_list, starts.ravel(), ends.ravel(), steps_list):
            if a == 0:
                raise self.refuse("Slice of the batch axis is not supported")
            s, e = int(s), int(e)
            ranges[a - 1] = (s, None if (e >= big or e <= -big) else e, st)
        self.layer(Slice(ranges))

    # --- activations ------------------------------------------------------------------------
    def op_Relu(self) -> None:
        self.layer(ReLU())

    def op_LeakyRelu(self) -> None:
        self.layer(LeakyReLU(exact_scalar(float(self.attrs.get("alpha", 0.01)))))

    def op_Clip(self) -> None:
        lo = self.const(1, "min") if len(self.node.input) > 1 else self.attrs.get("min")
        hi = self.const(2, "max") if len(self.node.input) > 2 else self.attrs.get("max")
        if lo is None or hi is None:
            raise self.refuse("Clip needs both min and max (a one-sided Clip is not supported; use Relu)")
        self.layer(Clamp(exact_scalar(float(np.asarray(lo).ravel()[0])), exact_scalar(float(np.asarray(hi).ravel()[0]))))

    # --- merges and heads -------------------------------------------------------------------
    def op_Add(self) -> None:
        names = list(self.node.input)
        tensors = [n for n in names if n in self.b.alias]
        if len(tensors) == 2:
            self.b.merge(self.node.output[0], Add(), tensors)
            return
        const_name = next((n for n in names if n in self.consts), None)
        if len(tensors) != 1 or const_name is None:
            raise self.refuse("Add of something other than two tensors or a tensor and a constant")
        shape = self.b.shape(tensors[0])
        value = self.consts[const_name]
        squeezed = value.reshape(-1)
        if squeezed.size == 1:
            bias = Bias(exact_scalar(float(squeezed[0])))
        elif len(shape) >= 2 and squeezed.size == shape[0] and value.shape[-len(shape):][1:] in ((1,) * (len(shape) - 1), ()):
            bias = Bias(exact_tensor(squeezed).flat_exprs())
        else:
            raise self.refuse(f"Add of a constant of shape {brief(value.shape, str)}: a scalar or per-channel constant only")
        self.b.layer(self.node.output[0], bias, tensors[0])

    def op_Concat(self) -> None:
        axis = int(self.attrs["axis"])
        ndim = len(self.b.shape(self.source())) + 1
        if axis % ndim == 0:
            raise self.refuse("Concat along the batch axis is not supported")
        self.b.merge(self.node.output[0], Concat(axis % ndim - 1), [self.source(k) for k in range(len(self.node.input))])

    def op_Flatten(self) -> None:
        if int(self.attrs.get("axis", 1)) != 1:
            raise self.refuse("Flatten with axis != 1 is not supported (it would merge the batch axis)")
        self.layer(Flatten())

    def op_Gemm(self) -> None:
        b = self.const(1, "B")
        c = self.const(2, "C")
        assert b is not None
        if int(self.attrs.get("transA", 0)):
            raise self.refuse("Gemm with transA=1 is not supported")
        weight = exact_tensor(b.T if not int(self.attrs.get("transB", 0)) else b)
        alpha = exact_scalar(float(self.attrs.get("alpha", 1.0)))
        beta = exact_scalar(float(self.attrs.get("beta", 1.0)))
        rows = [[alpha * v for v in row] for row in weight.to_list()]
        bias = None
        if c is not None:
            cc = np.broadcast_to(c.reshape(-1) if c.size > 1 else c.reshape(1), (weight.shape[0],))
            bias = [beta * v for v in exact_tensor(np.array(cc)).flat_exprs()]
        self.layer(Linear(rows, bias))

    def op_MatMul(self) -> None:
        w = self.const(1, "the weight (second input)")
        assert w is not None
        if w.ndim != 2:
            raise self.refuse(f"MatMul with a weight of shape {brief(w.shape, str)}: a matrix only")
        self.layer(Linear(exact_tensor(w.T).to_list()))
