"""from_onnx: every imported operator's exact output equals onnxruntime's on dyadic data.

Graphs are built with ``onnx.helper`` (and exported from torch modules); weights and inputs
are small multiples of 1/4 and 1/8 and pooling windows have power-of-two sizes, so
onnxruntime's float32 arithmetic does no rounding and the outputs must agree exactly.
"""

from __future__ import annotations

import io
import random

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
    with pytest.raises(UnsupportedModelError, match="count_include_pad"):
        from_onnx(model([helper.make_node("AveragePool", ["x"], ["y"], kernel_shape=[2], pads=[1, 1])],
                        (1, 1, 4), None, {}))


def test_file_path_and_bytes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    m = model([helper.make_node("Relu", ["x"], ["y"])], (1, 1, 4), None, {})
    path = tmp_path / "relu.onnx"
    onnx.save(m, str(path))
    assert from_onnx(str(path))([[-1, 2, 0, 1]]) == se.Signal([[0, 2, 0, 1]])
    assert from_onnx(m.SerializeToString(), input_shape=(1, 2))([[-1, 2]]) == se.Signal([[0, 2]])
