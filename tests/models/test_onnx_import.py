"""from_onnx: every imported operator's exact output equals onnxruntime's on dyadic data.

Graphs are built with ``onnx.helper`` (and exported from torch modules); weights and inputs
are small multiples of 1/4 and 1/8 and pooling windows have power-of-two sizes, so
onnxruntime's float32 arithmetic does no rounding and the outputs must agree exactly.
"""

from __future__ import annotations

import io
import random
from fractions import Fraction

import numpy as np
import onnx  # the onnx extra, part of the test extra: these tests never skip
import onnxruntime as ort
import pytest
import torch
from onnx import TensorProto, helper

import symequi as se
from symequi.models import UnsupportedModelError, from_onnx

from ._runtime import dyadic_array, exact


def model(nodes: list, in_shape: tuple[int, ...], out_shape: list | None, inits: dict[str, np.ndarray],
          opset: int = 17) -> onnx.ModelProto:
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, list(in_shape))
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, out_shape)
    tensors = [onnx.numpy_helper.from_array(v, name) for name, v in inits.items()]
    m = helper.make_model(helper.make_graph(nodes, "g", [x], [y], tensors),
                          opset_imports=[helper.make_opsetid("", opset)])
    m.ir_version = 8
    return m


def agree(m: onnx.ModelProto, trials: int = 2, seed: int = 1) -> se.Operator:
    op = from_onnx(m)
    session = ort.InferenceSession(m.SerializeToString(), providers=["CPUExecutionProvider"])
    shape = tuple(d.dim_value for d in m.graph.input[0].type.tensor_type.shape.dim)
    rng = random.Random(seed)
    for _ in range(trials):
        x = dyadic_array(shape, rng).astype(np.float32)
        (out,) = session.run(None, {m.graph.input[0].name: x})
        assert op(exact(x[0])) == exact(out[0])
    return op


def weights(shape: tuple[int, ...], seed: int = 0) -> np.ndarray:
    return dyadic_array(shape, random.Random(seed), scale=4, low=-4, high=4).astype(np.float32)


@pytest.mark.parametrize("attrs", [
    dict(pads=[1, 1]),
    dict(pads=[2, 0], strides=[2]),
    dict(pads=[2, 2], dilations=[2]),
    dict(auto_pad="SAME_UPPER", strides=[2]),
    dict(auto_pad="SAME_LOWER"),
    dict(auto_pad="VALID", group=2),
])
def test_conv1d_matches_onnxruntime(attrs: dict) -> None:
    group = attrs.get("group", 1)
    inits = {"w": weights((4, 2 // group, 3)), "b": weights((4,), 1)}
    agree(model([helper.make_node("Conv", ["x", "w", "b"], ["y"], **attrs)], (1, 2, 9), None, inits))


def test_conv2d_and_pads_match_onnxruntime() -> None:
    inits = {"w": weights((2, 1, 3, 2))}
    agree(model([helper.make_node("Conv", ["x", "w"], ["y"], pads=[1, 0, 1, 1], strides=[1, 2])], (1, 1, 5, 6), None, inits))
    for mode in ("constant", "reflect", "edge", "wrap"):
        pads = np.array([0, 0, 1, 2, 0, 0, 2, 1], dtype=np.int64)
        agree(model([helper.make_node("Pad", ["x", "p"], ["y"], mode=mode)], (1, 2, 4, 5), None, {"p": pads}))
    pads = np.array([0, 0, 1, 0, 0, 2], dtype=np.int64)
    agree(model([helper.make_node("Pad", ["x", "p", "c"], ["y"])], (1, 1, 4), None,
                {"p": pads, "c": np.array(0.5, dtype=np.float32)}))


def test_conv_transpose_matches_onnxruntime() -> None:
    inits = {"w": weights((2, 2, 3)), "b": weights((4,), 1)}
    for attrs in (dict(), dict(strides=[2], pads=[1, 1], output_padding=[1]), dict(strides=[3], pads=[2, 1], group=2)):
        agree(model([helper.make_node("ConvTranspose", ["x", "w", "b"], ["y"], **attrs)], (1, 2, 5), None,
                    {"w": inits["w"], "b": inits["b"][:2 * (attrs.get("group", 1))]}))


def test_pooling_matches_onnxruntime() -> None:
    nodes = [helper.make_node("MaxPool", ["x"], ["y"], kernel_shape=[3], strides=[2], pads=[1, 1], ceil_mode=1)]
    agree(model(nodes, (1, 2, 8), None, {}))
    agree(model([helper.make_node("MaxPool", ["x"], ["y"], kernel_shape=[2, 2], pads=[1, 1, 1, 1])], (1, 1, 5, 4), None, {}))
    agree(model([helper.make_node("AveragePool", ["x"], ["y"], kernel_shape=[2, 4], pads=[1, 2, 1, 2],
                                  count_include_pad=1)], (1, 1, 4, 6), None, {}))
    agree(model([helper.make_node("GlobalAveragePool", ["x"], ["y"])], (1, 3, 4, 4), None, {}))


def resize_model(in_shape: tuple[int, ...], scales: list | None = None, sizes: list | None = None,
                 opset: int = 17, op: str = "Resize", **attrs: object) -> onnx.ModelProto:
    """A one-node Resize (or Upsample) graph with scales or sizes as initializers."""
    inits: dict[str, np.ndarray] = {}
    if scales is not None:
        inits["s"] = np.array(scales, dtype=np.float32)
    if sizes is not None:
        inits["z"] = np.array(sizes, dtype=np.int64)
    if op == "Upsample" or opset == 10:
        inputs = ["x", "s"]  # before opset 11: X, scales
    else:
        inputs = ["x", "", "s"] if scales is not None else ["x", "", "", "z"]  # X, roi, scales, sizes
    return model([helper.make_node(op, inputs, ["y"], **attrs)], in_shape, None, inits, opset=opset)


COORDINATES = ["half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric"]


@pytest.mark.parametrize("coordinates", COORDINATES)
@pytest.mark.parametrize(("in_shape", "grid"), [
    ((1, 2, 5), dict(scales=[1, 1, 2])),
    ((1, 1, 4), dict(scales=[1, 1, 4])),
    ((1, 2, 5), dict(sizes=[1, 2, 10])),
    ((1, 1, 8), dict(sizes=[1, 1, 4])),            # downsampling by 2
    ((1, 1, 3, 5), dict(scales=[1, 1, 2, 4])),
    ((1, 1, 5, 3), dict(sizes=[1, 1, 9, 5])),      # align_corners: x = j/2 on both axes
])
def test_linear_resize_matches_onnxruntime(coordinates: str, in_shape: tuple[int, ...], grid: dict) -> None:
    m = resize_model(in_shape, mode="linear", coordinate_transformation_mode=coordinates, **grid)
    op = from_onnx(m)
    session = ort.InferenceSession(m.SerializeToString(), providers=["CPUExecutionProvider"])
    x = dyadic_array(in_shape, random.Random(len(in_shape))).astype(np.float32)
    (out,) = session.run(None, {"x": x})
    got, expected = op(exact(x[0])), exact(out[0])
    assert got.shape == expected.shape
    weights = [w for row in op.operators[0].rows(x[0].shape) for _, w in row]
    if all(int(w.q) & (int(w.q) - 1) == 0 for w in weights):
        assert got == expected  # dyadic weights on dyadic inputs: float32 rounds nothing
    else:  # align_corners 5 -> 10 (x = 4j/9), 8 -> 4 (x = 7j/3): weights in ninths and thirds
        within_float32_rounding(got, expected, x, in_shape)


def within_float32_rounding(got: se.Signal, expected: se.Signal, x: np.ndarray, in_shape: tuple[int, ...]) -> None:
    """onnxruntime computes coordinates and weights in float32 (u = 2**-24): the source coordinate
    x <= n is off by at most a few roundings (|dx| <= 4 u n), linear interpolation is 2 max|x|-Lipschitz
    in x per axis, and weights, products and sums add at most 8 u max|x| per axis, so
    |exact - ort| <= dims (8 n + 8) u max|x| (far below 1/64, the smallest wrong value here)."""
    dims = len(in_shape) - 2
    bound = Fraction(dims * (8 * max(in_shape[2:]) + 8), 2 ** 24) * Fraction(float(np.abs(x).max()))
    diffs = [abs(Fraction(str(a)) - Fraction(str(b))) for a, b in zip(got.flat_exprs(), expected.flat_exprs())]
    assert max(diffs) <= bound


@pytest.mark.parametrize(("in_shape", "grid", "coordinates"), [
    ((1, 1, 5), dict(sizes=[1, 1, 8]), "align_corners"),     # x = 4j/7
    ((1, 1, 5), dict(sizes=[1, 1, 7]), "half_pixel"),        # x = (j + 1/2) 5/7 - 1/2
    ((1, 1, 5), dict(scales=[1, 1, 1.5]), "pytorch_half_pixel"),
    ((1, 1, 4, 5), dict(sizes=[1, 1, 7, 3]), "asymmetric"),
])
def test_linear_resize_within_float32_rounding(in_shape: tuple[int, ...], grid: dict, coordinates: str) -> None:
    m = resize_model(in_shape, mode="linear", coordinate_transformation_mode=coordinates, **grid)
    session = ort.InferenceSession(m.SerializeToString(), providers=["CPUExecutionProvider"])
    x = dyadic_array(in_shape, random.Random(3)).astype(np.float32)
    (out,) = session.run(None, {"x": x})
    op = from_onnx(m)
    got = op(exact(x[0]))
    assert got.shape == out.shape[1:]
    assert any(int(w.q) % 2 for row in op.operators[0].rows(x[0].shape) for _, w in row)  # k/7, k/3: rounding
    within_float32_rounding(got, exact(out[0]), x, in_shape)


@pytest.mark.parametrize(("in_shape", "kw"), [
    ((1, 2, 3, 4), dict(scales=[1, 1, 2, 3], mode="nearest")),       # half_pixel, round_prefer_floor (defaults)
    ((1, 1, 3, 4), dict(sizes=[1, 1, 6, 12], mode="nearest", coordinate_transformation_mode="asymmetric",
                        nearest_mode="floor")),                      # what torch exports
    ((1, 1, 5), dict(scales=[1, 1, 3], mode="nearest", nearest_mode="round_prefer_ceil")),
    ((1, 1, 3, 4), dict(scales=[1, 1, 2, 2], mode="nearest", opset=10)),
    ((1, 1, 3, 4), dict(scales=[1, 1, 2, 2], mode="linear", opset=10)),   # opset 10: asymmetric
    ((1, 1, 3, 4), dict(scales=[1, 1, 2, 2], mode="linear", opset=9, op="Upsample")),
    ((1, 1, 3, 4), dict(scales=[1, 1, 2, 2], mode="nearest", opset=9, op="Upsample")),
    ((1, 1, 3, 4), dict(scales=[1, 1, 2, 2], mode="linear", opset=18, antialias=1)),  # upscaling: no filter
    ((1, 1, 3, 8), dict(scales=[0.5], mode="linear", opset=18, axes=[3])),
    ((1, 1, 3, 8), dict(scales=[3.0], mode="linear", opset=18, axes=[2],
                        coordinate_transformation_mode="align_corners")),   # H 3 -> 9: x = j/4
    ((1, 1, 3, 4), dict(scales=[1, 1, 4, 1], mode="linear", coordinate_transformation_mode="asymmetric")),
    ((1, 1, 3, 4), dict(scales=[1, 1, 1, 1], mode="linear")),            # the identity
])
def test_other_resize_forms_match_onnxruntime(in_shape: tuple[int, ...], kw: dict) -> None:
    agree(resize_model(in_shape, **kw))


def test_torch_exports_of_upsampling_import_like_the_module() -> None:
    for up in (torch.nn.Upsample(scale_factor=2, mode="bilinear"), torch.nn.Upsample(scale_factor=2),
               torch.nn.Upsample(size=(7, 9), mode="bilinear", align_corners=True)):
        net = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3, padding=1), up)
        buffer = io.BytesIO()
        torch.onnx.export(net, (torch.zeros(1, 1, 4, 5),), buffer, dynamo=False)
        m = onnx.load_from_string(buffer.getvalue())
        assert any(n.op_type == "Resize" for n in m.graph.node)
        u = exact(dyadic_array((1, 4, 5), random.Random(6)))
        assert from_onnx(m)(u) == se.from_torch(net, input_shape=(1, 4, 5))(u)


@pytest.mark.parametrize(("kw", "words"), [
    (dict(scales=[1, 1, 2, 2], mode="cubic"), r"node 'rs' \(ONNX Resize\): Resize mode='cubic' is not supported"),
    (dict(scales=[1, 1, 2, 2], mode="linear", coordinate_transformation_mode="tf_crop_and_resize"),
     "coordinate_transformation_mode='tf_crop_and_resize' is not supported"),
    (dict(scales=[1, 1, 1.5, 2], mode="nearest"), r"mode='nearest' .*only integer factors"),
    (dict(scales=[1, 1, 2, 2], mode="nearest", coordinate_transformation_mode="asymmetric"),
     r"nearest_mode='round_prefer_floor'.*asymmetric with nearest_mode='floor'"),
    (dict(scales=[1, 1, 0.5, 0.5], mode="linear", antialias=1, opset=18), "antialias=1 that downscales"),
    (dict(scales=[1, 2, 1, 1], mode="linear"), "Resize of the channel axis is not supported"),
    (dict(sizes=[1, 1, 4, 4], mode="linear", keep_aspect_ratio_policy="not_larger", opset=18),
     "keep_aspect_ratio_policy"),
])
def test_unsupported_resize_is_named(kw: dict, words: str) -> None:
    m = resize_model((1, 1, 3, 4), **kw)
    m.graph.node[0].name = "rs"
    with pytest.raises(UnsupportedModelError, match=words):
        from_onnx(m)


def test_shape_computations_fold_to_constant_sizes() -> None:
    # Shape -> Gather/Slice -> Cast -> Squeeze/Unsqueeze -> Concat: sizes = (N, C, H, 9), the 9 the shape of a
    # constant
    inits = {"i01": np.array([0, 1], dtype=np.int64), "lo": np.array([2], dtype=np.int64),
             "hi": np.array([4], dtype=np.int64), "ax": np.array([0], dtype=np.int64),
             "zeros9": np.zeros(9, dtype=np.float32)}
    nodes = [helper.make_node("Shape", ["x"], ["shape"]),
             helper.make_node("Gather", ["shape", "i01"], ["nc"]),
             helper.make_node("Slice", ["shape", "lo", "hi", "ax"], ["hw"]),
             helper.make_node("Cast", ["hw"], ["hw64"], to=TensorProto.INT64),
             helper.make_node("Gather", ["hw64", "ax"], ["h1"]),
             helper.make_node("Squeeze", ["h1", "ax"], ["h0"]),
             helper.make_node("Unsqueeze", ["h0", "ax"], ["h"]),
             helper.make_node("Shape", ["zeros9"], ["w"]),
             helper.make_node("Concat", ["nc", "h", "w"], ["sizes"], axis=0),
             helper.make_node("Resize", ["x", "", "", "sizes"], ["y"], mode="linear",
                              coordinate_transformation_mode="align_corners")]
    op = agree(model(nodes, (1, 2, 3, 5), None, inits))  # sizes (1, 2, 3, 9): x = j/2 on the last axis
    assert op.output_shape((2, 3, 5)) == (2, 3, 9)


def test_resize_with_sizes_computed_at_run_time_is_refused() -> None:
    # sizes from the data itself (not a shape computation on constants)
    nodes = [helper.make_node("Relu", ["x"], ["z"]),
             helper.make_node("Resize", ["x", "", "", "z"], ["y"], name="rs", mode="linear")]
    with pytest.raises(UnsupportedModelError, match=r"node 'rs' \(ONNX Resize\): sizes \('z'\) is computed at run "
                                                    r"time.*do_constant_folding"):
        from_onnx(model(nodes, (1, 1, 4), None, {}))


@pytest.mark.parametrize(("in_shape", "attrs"), [
    ((1, 2, 9), dict(kernel_shape=[3], strides=[2], pads=[1, 1], dilations=[2])),
    ((1, 1, 10), dict(kernel_shape=[2], strides=[3], pads=[0, 1], dilations=[3], ceil_mode=1)),
    ((1, 1, 6), dict(kernel_shape=[3], pads=[2, 2])),   # padding wider than half the window
    ((1, 2, 5, 7), dict(kernel_shape=[2, 3], strides=[1, 2], pads=[1, 0, 1, 1], dilations=[2, 2])),
    ((1, 1, 6, 8), dict(kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1], dilations=[1, 3], ceil_mode=1)),
    ((1, 1, 7), dict(kernel_shape=[3], strides=[2], dilations=[2], auto_pad="VALID")),
])
def test_dilated_max_pool_matches_onnxruntime(in_shape: tuple[int, ...], attrs: dict) -> None:
    agree(model([helper.make_node("MaxPool", ["x"], ["y"], **attrs)], in_shape, None, {}), trials=3)


@pytest.mark.parametrize(("in_shape", "attrs"), [
    ((1, 2, 6), dict(kernel_shape=[2], strides=[2], pads=[1, 1])),               # count_include_pad=0: default
    ((1, 1, 8), dict(kernel_shape=[4], strides=[2], pads=[2, 2])),               # counts 2, 3, 4, 4, 3
    ((1, 1, 7), dict(kernel_shape=[2], strides=[2], ceil_mode=1)),               # a last window of one entry
    ((1, 1, 6), dict(kernel_shape=[3], strides=[2], pads=[1, 1], ceil_mode=1, count_include_pad=1)),
    ((1, 2, 5, 4), dict(kernel_shape=[2, 2], strides=[2, 2], pads=[1, 0, 0, 1], ceil_mode=1)),
    ((1, 1, 7, 6), dict(kernel_shape=[4, 2], strides=[2, 2], pads=[2, 1, 1, 1], ceil_mode=1, count_include_pad=1)),
    ((1, 1, 7), dict(kernel_shape=[2], strides=[2], auto_pad="SAME_UPPER")),
])
def test_avg_pool_with_border_divisors_matches_onnxruntime(in_shape: tuple[int, ...], attrs: dict) -> None:
    """onnxruntime divides the exact dyadic window sum once in float32: exact for divisors 1, 2, 4, 8,
    within 2**-24 |result| for the others (3, 6)."""
    m = model([helper.make_node("AveragePool", ["x"], ["y"], **attrs)], in_shape, None, {})
    op = from_onnx(m)
    session = ort.InferenceSession(m.SerializeToString(), providers=["CPUExecutionProvider"])
    for seed in (1, 2):
        x = dyadic_array(in_shape, random.Random(seed)).astype(np.float32)
        (out,) = session.run(None, {"x": x})
        got, want = op(exact(x[0])), exact(out[0])
        assert got.shape == want.shape
        pairs = [(Fraction(str(a)), Fraction(str(b))) for a, b in zip(got.flat_exprs(), want.flat_exprs())]
        assert all(abs(a - b) <= abs(a) / 2 ** 24 for a, b in pairs)
        if not any(a.denominator % 3 == 0 for a, _ in pairs):
            assert got == want


def test_dilated_max_pool_with_same_padding_is_refused() -> None:
    node = helper.make_node("MaxPool", ["x"], ["y"], name="mp", kernel_shape=[3], strides=[2], dilations=[2],
                            auto_pad="SAME_UPPER")
    with pytest.raises(UnsupportedModelError, match=r"node 'mp' \(ONNX MaxPool\): .*ambiguous.*give explicit pads"):
        from_onnx(model([node], (1, 1, 7), None, {}))


def test_activations_batchnorm_heads_match_onnxruntime() -> None:
    inits = {
        "scale": weights((3,)), "bias": weights((3,), 1), "mean": weights((3,), 2),
        "var": np.full((3,), 4.0, dtype=np.float32), "lo": np.array(-1.5, dtype=np.float32),
        "hi": np.array(2.0, dtype=np.float32), "W": weights((4, 12), 3), "C": weights((4,), 4),
        "M": weights((4, 2), 5), "k": np.array(0.25, dtype=np.float32),
    }
    nodes = [
        helper.make_node("BatchNormalization", ["x", "scale", "bias", "mean", "var"], ["bn"], epsilon=0.0),
        helper.make_node("LeakyRelu", ["bn"], ["lr"], alpha=0.25),
        helper.make_node("Clip", ["lr", "lo", "hi"], ["cl"]),
        helper.make_node("Add", ["cl", "k"], ["ad"]),
        helper.make_node("Relu", ["ad"], ["re"]),
        helper.make_node("Identity", ["re"], ["id"]),
        helper.make_node("Flatten", ["id"], ["fl"], axis=1),
        helper.make_node("Gemm", ["fl", "W", "C"], ["gm"], transB=1, alpha=0.5),
        helper.make_node("MatMul", ["gm", "M"], ["y"]),
    ]
    op = agree(model(nodes, (1, 3, 4), None, inits))
    assert op.output_shape((3, 4)) == (2,)


def test_residual_graph_matches_onnxruntime() -> None:
    inits = {"w": weights((2, 2, 3)), "v": weights((1, 4, 1), 1)}
    nodes = [
        helper.make_node("Conv", ["x", "w"], ["c"], pads=[1, 1]),
        helper.make_node("Relu", ["c"], ["r"]),
        helper.make_node("Add", ["r", "x"], ["s"]),
        helper.make_node("Concat", ["s", "x"], ["cat"], axis=1),
        helper.make_node("Conv", ["cat", "v"], ["y"]),
    ]
    op = agree(model(nodes, (1, 2, 8), None, inits), trials=3)
    assert isinstance(op, se.Graph)


def test_torch_export_with_circular_padding_is_proved() -> None:
    net = torch.nn.Sequential(torch.nn.Conv1d(1, 4, 3, stride=2, padding=1, padding_mode="circular"),
                              torch.nn.ReLU(), torch.nn.Conv1d(4, 1, 3, padding=1, padding_mode="circular"))
    buffer = io.BytesIO()
    torch.onnx.export(net, (torch.zeros(1, 1, 16),), buffer, dynamo=False)
    m = onnx.load_from_string(buffer.getvalue())
    op = from_onnx(m)  # circular padding arrives as Slice + Concat
    assert se.decide(se.Square(op, se.shift((0, 2)), g_out=se.shift((0, 1)),
                                            input_shape=(1, 16))).kind == "proved"
    direct = se.from_torch(net, input_shape=(1, 16))
    u = exact(dyadic_array((1, 16), random.Random(3)))
    assert op(u) == direct(u)


def test_unsupported_operator_is_named() -> None:
    with pytest.raises(UnsupportedModelError, match=r"node 'act' \(ONNX Sigmoid\).*not supported"):
        from_onnx(model([helper.make_node("Sigmoid", ["x"], ["y"], name="act")], (1, 1, 4), None, {}))
    with pytest.raises(UnsupportedModelError, match=r"AveragePool\): AveragePool with dilations"):
        from_onnx(model([helper.make_node("AveragePool", ["x"], ["y"], kernel_shape=[2], dilations=[2])],
                        (1, 1, 4), None, {}, opset=19))


def test_file_path_and_bytes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    m = model([helper.make_node("Relu", ["x"], ["y"])], (1, 1, 4), None, {})
    path = tmp_path / "relu.onnx"
    onnx.save(m, str(path))
    assert from_onnx(str(path))([[-1, 2, 0, 1]]) == se.Signal([[0, 2, 0, 1]])
    assert from_onnx(m.SerializeToString(), input_shape=(1, 2))([[-1, 2]]) == se.Signal([[0, 2]])
