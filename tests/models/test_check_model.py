"""``symequi check MODEL``: exit 0 proved, 1 refuted, 3 undecided, 2 usage errors."""

from __future__ import annotations

import json

import onnx
import pytest
import torch
from onnx import TensorProto, helper

from symequi.cli import main
from symequi.core.errors import InvalidArgumentError
from symequi.models.check_model import parse_shape, parse_vector


def make_net() -> torch.nn.Module:
    """A factory, as ``module:attribute`` names it: circular conv, ReLU, circular conv."""
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Conv1d(1, 2, 3, padding=1, padding_mode="circular"), torch.nn.ReLU(),
                               torch.nn.Conv1d(2, 1, 3, padding=1, padding_mode="circular"))


def classifier() -> torch.nn.Module:
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Conv1d(1, 2, 3, padding=1, padding_mode="circular"), torch.nn.ReLU(),
                               torch.nn.AdaptiveAvgPool1d(1), torch.nn.Flatten(), torch.nn.Linear(2, 3))


SPEC = "tests.models.test_check_model:make_net"


def test_proved_exit_0(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["check", SPEC, "--input-shape", "1,1,8", "--shift", "0,0,3"]) == 0
    assert capsys.readouterr().out.startswith("Proved:")


def test_refuted_exit_1_with_json(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["check", SPEC, "--input-shape", "1,1,8", "--shift", "0,0,1/2", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["verdict"] == "counterexample" and data["exit_status"] == 1 and data["lhs"] != data["rhs"]


def test_undecided_exit_3(capsys) -> None:  # type: ignore[no-untyped-def]
    # the search decider can refute but never prove: on a commuting square it is undecided
    assert main(["check", SPEC, "--input-shape", "1,1,8", "--shift", "0,0,1", "--method", "search"]) == 3
    assert capsys.readouterr().out.startswith("Undecided:")


def test_classifier_invariance(capsys) -> None:  # type: ignore[no-untyped-def]
    spec = "tests.models.test_check_model:classifier"
    assert main(["check", spec, "--input-shape", "1,1,8", "--shift", "0,0,5", "--g-out", "identity"]) == 0
    assert main(["check", spec, "--input-shape", "1,1,8", "--shift", "0,0,1/2", "--g-out", "identity"]) == 1


def test_onnx_file(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1, 6, 6])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 1, 6, 6])
    m = helper.make_model(helper.make_graph([helper.make_node("Relu", ["x"], ["y"])], "g", [x], [y]))
    path = tmp_path / "relu.onnx"
    onnx.save(m, str(path))
    assert main(["check", str(path), "--input-shape", "1,1,6,6", "--shift", "0,0,1/2,1/2"]) == 1
    assert main(["check", str(path), "--input-shape", "1,1,6,6", "--shift", "0,0,2,-1"]) == 0


def test_usage_errors_exit_2(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["check", SPEC, "--input-shape", "2,1,8", "--shift", "0,0,1"]) == 2
    assert "batch axis" in capsys.readouterr().err
    assert main(["check", SPEC, "--input-shape", "1,1,8", "--shift", "1,0,1"]) == 2
    assert main(["check", "tests.models.test_check_model:nothing", "--input-shape", "1,1,8", "--shift", "0,0,1"]) == 2
    assert main(["check", "missing.onnx", "--input-shape", "1,1,8", "--shift", "0,0,1"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_parsing_is_exact() -> None:
    assert parse_vector("0, 1/3 ,-2", "--shift") == (0, sympy_rational(1, 3), -2)
    assert parse_shape("1,3,16,16") == (3, 16, 16)
    with pytest.raises(InvalidArgumentError):
        parse_vector("0,,1", "--shift")


def sympy_rational(p: int, q: int):  # type: ignore[no-untyped-def]
    import sympy

    return sympy.Rational(p, q)
