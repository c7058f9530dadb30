"""from_torch: every imported layer's exact output equals torch's float64 forward on dyadic data.

Parameters and inputs are multiples of 1/4 and 1/8 with few terms per output and pooling
windows of power-of-two size, so torch's float64 forward does no rounding: the outputs must
agree exactly (an independent implementation of each layer: PyTorch's).
"""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
import torch  # the torch extra, part of the test extra: these tests never skip
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

import symequi as se  # noqa: E402
from symequi.core.graph import Graph  # noqa: E402
from symequi.models import UnsupportedModelError, from_torch  # noqa: E402

from ._runtime import dyadic_array, exact  # noqa: E402


def dyadic_parameters(net: nn.Module, seed: int = 0) -> nn.Module:
    rng = random.Random(seed)
    with torch.no_grad():
        for p in net.parameters():
            p.copy_(torch.from_numpy(dyadic_array(tuple(p.shape), rng, scale=4, low=-4, high=4)))
        for m in net.modules():
            if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
                m.running_mean.copy_(torch.from_numpy(dyadic_array(tuple(m.running_mean.shape), rng, scale=2)))
                m.running_var.fill_(4.0)  # with eps = 0: sqrt(var + eps) = 2, exact
    return net.eval()


def agree(net: nn.Module, shape: tuple[int, ...], seed: int = 1, trials: int = 2) -> se.Operator:
    """Import ``net`` and compare with torch's float64 forward on random dyadic inputs, exactly."""
    net = dyadic_parameters(net).double()
    op = from_torch(net, input_shape=shape)
    rng = random.Random(seed)
    for _ in range(trials):
        x = dyadic_array(shape, rng)
        expected = exact(net(torch.from_numpy(x)[None]).detach().numpy()[0])
        assert op(exact(x)) == expected
    return op


@pytest.mark.parametrize("mode", ["zeros", "reflect", "replicate", "circular"])
@pytest.mark.parametrize("kw", [
    dict(kernel_size=3, padding=1),
    dict(kernel_size=4, padding="same"),
    dict(kernel_size=3, padding=2, stride=2),
    dict(kernel_size=3, padding=2, dilation=2),
    dict(kernel_size=2, padding=1, stride=3, dilation=2, groups=2),
])
def test_conv1d_matches_torch(mode: str, kw: dict) -> None:
    agree(nn.Conv1d(2, 4, padding_mode=mode, **kw), (2, 9))


def test_conv1d_valid_and_no_bias() -> None:
    agree(nn.Conv1d(1, 2, 3, padding="valid", bias=False), (1, 7))


@pytest.mark.parametrize("mode", ["zeros", "reflect", "replicate", "circular"])
def test_conv2d_matches_torch(mode: str) -> None:
    agree(nn.Conv2d(2, 2, (3, 2), padding=(1, 1), stride=(2, 1), padding_mode=mode), (2, 5, 6))
    agree(nn.Conv2d(2, 2, 3, padding="same", dilation=(1, 2), groups=2, padding_mode=mode), (2, 6, 6))


@pytest.mark.parametrize("kw", [
    dict(kernel_size=3),
    dict(kernel_size=3, stride=2, padding=1, output_padding=1),
    dict(kernel_size=2, stride=3, padding=2, dilation=2, groups=2),
    dict(kernel_size=3, stride=2, padding=3, output_padding=1),  # cropping: p > d (K - 1)
])
def test_conv_transpose_matches_torch(kw: dict) -> None:
    agree(nn.ConvTranspose1d(2, 4, **kw), (2, 6))
    agree(nn.ConvTranspose2d(2, 2, **kw), (2, 4, 3))


def test_nearest_upsampling_matches_torch() -> None:
    agree(nn.Sequential(nn.Upsample(scale_factor=2), nn.Conv1d(1, 1, 3, padding=1)), (1, 5))
    agree(nn.Upsample(scale_factor=(2, 3)), (2, 3, 2))


class Interpolate(nn.Module):
    def __init__(self, **kw: object) -> None:
        super().__init__()
        self.kw = kw

    def forward(self, x):  # type: ignore[no-untyped-def]
        return F.interpolate(x, **self.kw)


@pytest.mark.parametrize(("net", "shape"), [
    (nn.Upsample(scale_factor=2, mode="linear"), (2, 5)),                         # weights 1/4, 3/4
    (nn.Upsample(scale_factor=4, mode="linear", align_corners=False), (1, 4)),    # weights k/8
    (nn.Upsample(size=9, mode="linear", align_corners=True), (1, 5)),             # x = j/2
    (Interpolate(size=8, mode="linear"), (1, 4)),                                 # size = 2 n
    (Interpolate(size=4, mode="linear"), (1, 8)),                                 # downsampling: x = 2j + 1/2
    (Interpolate(scale_factor=(2, 4), mode="bilinear"), (2, 3, 4)),
    (Interpolate(size=(5, 9), mode="bilinear", align_corners=True), (1, 3, 5)),   # x = j/2, j/2
    (nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.Upsample(scale_factor=2, mode="bilinear"), nn.ReLU()), (1, 3, 3)),
])
def test_linear_upsampling_matches_torch_exactly(net: nn.Module, shape: tuple[int, ...]) -> None:
    agree(net, shape)


@pytest.mark.parametrize(("net", "shape"), [
    (Interpolate(size=8, mode="linear", align_corners=True), (1, 5)),              # x = 4j/7
    (Interpolate(scale_factor=1.5, mode="linear"), (1, 5)),                        # x = (j + 1/2) 2/3 - 1/2
    (Interpolate(scale_factor=1.5, mode="linear", recompute_scale_factor=True), (1, 5)),  # to size 7: 5/7
    (Interpolate(size=(7, 6), mode="bilinear"), (1, 3, 5)),
    (Interpolate(scale_factor=3, mode="bilinear", align_corners=True), (1, 3, 2)),
])
def test_linear_upsampling_matches_torch_within_float_rounding(net: nn.Module, shape: tuple[int, ...]) -> None:
    """Non-dyadic weights: torch rounds its coordinates and weights in float64.

    Bound: torch's source coordinate x <= n carries an error of at most a few roundings, |dx| <= 4 u n
    (u = 2**-53); linear interpolation is 2 max|x|-Lipschitz in x on each axis, and the weights, the
    products and the sums add at most 8 u max|x| per axis; so |exact - torch| <= dims (8 n + 8) u max|x|,
    far below the smallest wrong value on these inputs (multiples of 1/8 mixed with weights k/7 or k/3).
    """
    op = from_torch(net.double(), input_shape=shape)
    x = dyadic_array(shape, random.Random(5))
    got = op(exact(x)).to_fractions()
    expected = exact(net(torch.from_numpy(x)[None]).detach().numpy()[0]).to_fractions()
    flat_got, flat_expected = _flat(got), _flat(expected)
    largest = max(abs(v) for v in _flat(exact(x).to_fractions()))
    bound = Fraction(len(shape) - 1) * (8 * max(shape[1:]) + 8) * Fraction(1, 2 ** 53) * largest
    assert len(flat_got) == len(flat_expected)
    assert max(abs(a - b) for a, b in zip(flat_got, flat_expected)) <= bound
    weights = [w for layer in op.parts() if hasattr(layer, "rows") for row in layer.rows(shape) for _, w in row]
    assert any(int(w.q) % 2 for w in weights)  # the weights are not dyadic: rounding was possible


def _flat(nested: object) -> list[Fraction]:
    return [v for item in nested for v in _flat(item)] if isinstance(nested, list) else [nested]  # type: ignore[list-item]


@pytest.mark.parametrize(("net", "shape"), [
    (Interpolate(size=12, mode="nearest"), (1, 4)),
    (Interpolate(size=(6, 4), mode="nearest"), (2, 3, 2)),
    (nn.Upsample(scale_factor=3, mode="nearest-exact"), (1, 5)),
])
def test_nearest_upsampling_with_size_matches_torch(net: nn.Module, shape: tuple[int, ...]) -> None:
    assert "nearest upsampling" in agree(net, shape).describe()


def test_pooling_matches_torch() -> None:
    agree(nn.MaxPool1d(3, stride=2, padding=1), (2, 8))
    agree(nn.MaxPool1d(3, stride=2, padding=1, ceil_mode=True), (1, 8))
    agree(nn.MaxPool2d(2, stride=2, padding=1, ceil_mode=True), (1, 5, 5))
    agree(nn.AvgPool1d(4, stride=2, padding=2), (1, 8))
    agree(nn.AvgPool2d(2), (2, 4, 6))
    agree(nn.AdaptiveAvgPool2d(1), (3, 4, 4))
    agree(nn.AdaptiveAvgPool1d(1), (3, 8))


@pytest.mark.parametrize(("net", "shape"), [
    (nn.AvgPool1d(4, stride=2, padding=2, count_include_pad=False), (2, 6)),    # counts 2, 3, 4, 3: thirds
    (nn.AvgPool1d(2, stride=2, padding=1, count_include_pad=False), (1, 6)),    # counts 1, 2, 2, 1
    (nn.AvgPool1d(3, stride=2, padding=1, ceil_mode=True), (1, 6)),              # a partial window
    (nn.AvgPool2d(2, stride=2, padding=1, count_include_pad=False, ceil_mode=True), (2, 5, 4)),
    (nn.AvgPool2d((2, 4), stride=(2, 2), padding=(1, 2), count_include_pad=True, ceil_mode=True), (1, 5, 7)),
])
def test_avg_pooling_with_border_divisors_matches_torch(net: nn.Module, shape: tuple[int, ...]) -> None:
    """Divisors 1, 2, 4 give torch's float64 results exactly; a divisor 3 is one correctly rounded division
    of an exact dyadic sum: |exact - torch| <= 2**-53 |result|."""
    op = from_torch(net.double(), input_shape=shape)
    for seed in (1, 2):
        x = dyadic_array(shape, random.Random(seed))
        got = _flat(op(exact(x)).to_fractions())
        want = _flat(exact(net(torch.from_numpy(x)[None]).detach().numpy()[0]).to_fractions())
        assert len(got) == len(want)
        assert all(abs(a - b) <= abs(a) / 2 ** 53 for a, b in zip(got, want))
        if not any(a.denominator % 3 == 0 for a in got):
            assert got == want


@pytest.mark.parametrize(("net", "shape"), [
    (nn.MaxPool1d(3, stride=2, padding=1, dilation=2), (2, 9)),
    (nn.MaxPool1d(2, stride=3, padding=1, dilation=3, ceil_mode=True), (1, 10)),
    (nn.MaxPool2d((2, 3), stride=(1, 2), padding=(1, 1), dilation=(2, 2)), (2, 5, 7)),
    (nn.MaxPool2d(3, stride=2, padding=1, dilation=(1, 3), ceil_mode=True), (1, 6, 8)),
])
def test_dilated_max_pooling_matches_torch(net: nn.Module, shape: tuple[int, ...]) -> None:
    agree(net, shape)


def test_activations_and_batchnorm_match_torch() -> None:
    net = nn.Sequential(nn.Conv1d(1, 3, 3, padding=1), nn.BatchNorm1d(3, eps=0.0), nn.LeakyReLU(0.25),
                        nn.Hardtanh(-1.5, 2.0), nn.ReLU6(), nn.Identity(), nn.Dropout(0.5), nn.ReLU())
    op = agree(net, (1, 8))
    assert isinstance(op, se.Sequential)
    agree(nn.Sequential(nn.BatchNorm2d(2, eps=0.0)), (2, 3, 3))


class Sliced(nn.Module):
    def forward(self, x):  # type: ignore[no-untyped-def]
        return torch.relu(x)[:, :, 1::2] + x[:, :, :-1:2]


class Indexed(nn.Module):
    def forward(self, x):  # type: ignore[no-untyped-def]
        return x[:, 0]


class Block(nn.Module):
    """conv -> relu -> + input; cat with the rolled input; 1x1 conv; F.pad; clamp; flatten; linear."""

    def __init__(self) -> None:
        super().__init__()
        self.a = nn.Conv1d(2, 2, 3, padding=1, padding_mode="circular")
        self.b = nn.Conv1d(4, 1, 1)
        self.head = nn.Linear(12, 3)

    def forward(self, x):  # type: ignore[no-untyped-def]
        h = torch.relu(self.a(x)) + x
        h = torch.cat([h, torch.roll(x, 1, dims=2)], dim=1)
        h = F.pad(self.b(h), (1, 3), mode="circular")
        h = F.pad(h, (0, 0), mode="reflect")
        h = torch.clamp(h, -1.0, 1.5) + 0.5
        return self.head(torch.flatten(F.leaky_relu(h, 0.5), 1))


def test_slicing_matches_torch() -> None:
    op = agree(Sliced(), (2, 9))  # stride-2 subsampling at both phases
    assert op.output_shape((2, 9)) == (2, 4)


def test_residual_block_matches_torch() -> None:
    op = agree(Block(), (2, 8), trials=3)
    assert isinstance(op, Graph)
    assert op.output_shape((2, 8)) == (3,)


def test_issue_snippet_proved_and_refuted() -> None:
    net = nn.Sequential(nn.Conv1d(1, 4, 3, stride=2, padding=1, padding_mode="circular"),
                        nn.ReLU(), nn.Conv1d(4, 1, 3, padding=1, padding_mode="circular"))
    op = from_torch(net, input_shape=(1, 16))  # torch's random float32 weights, taken exactly
    assert se.decide(se.Square(op, se.shift((0, 2)), g_out=se.shift((0, 1)), input_shape=(1, 16))).kind == "proved"
    v = se.decide(se.Square(op, se.shift((0, 1)), g_out=se.shift((0, 1)), input_shape=(1, 16)))
    assert v.kind == "counterexample" and v.lhs != v.rhs
    se.testing.assert_commutes(net, se.shift((0, 2)), g_out=se.shift((0, 1)), input_shape=(1, 16))


def test_weights_enter_exactly() -> None:
    conv = nn.Conv1d(1, 1, 1, bias=False)
    with torch.no_grad():
        conv.weight.fill_(0.1)  # float32(0.1) = 13421773 / 2**27
    op = from_torch(conv, input_shape=(1, 1))
    assert op([[1]]).to_list() == [[se.Signal(["13421773/134217728"])[0]]]


class Gelu(nn.Module):
    def forward(self, x):  # type: ignore[no-untyped-def]
        return torch.sin(x)


def test_unsupported_nodes_are_named_with_source_line() -> None:
    with pytest.raises(UnsupportedModelError, match="getitem.*only slices"):
        from_torch(Indexed(), input_shape=(1, 4))
    with pytest.raises(UnsupportedModelError, match=r"node '_0' \(call_module '0': GELU\).*not supported"):
        from_torch(nn.Sequential(nn.GELU()), input_shape=(1, 4))
    with pytest.raises(UnsupportedModelError, match=r"node 'sin'.*sin.*test_torch_import\.py.*line \d+"):
        from_torch(Gelu(), input_shape=(1, 4))
    with pytest.raises(UnsupportedModelError, match="eval"):
        from_torch(nn.Sequential(nn.BatchNorm1d(2)), input_shape=(2, 4))


def test_only_a_refusal_records_stack_traces(monkeypatch) -> None:
    # recording each node's stack costs torch about 1.5 s per process (it imports torch._inductor):
    # a network that imports is traced once without; a refused one is traced again with, for the line
    import symequi.models.torch_import as torch_import

    passes: list[bool] = []
    original = torch_import._import

    def spy(*args, stack_traces):  # type: ignore[no-untyped-def]
        passes.append(stack_traces)
        return original(*args, stack_traces=stack_traces)

    monkeypatch.setattr(torch_import, "_import", spy)
    from_torch(nn.Sequential(nn.Conv1d(1, 1, 3, padding=1), nn.ReLU()), input_shape=(1, 4))
    assert passes == [False]
    passes.clear()
    with pytest.raises(UnsupportedModelError, match=r"test_torch_import\.py.*line \d+"):
        from_torch(Gelu(), input_shape=(1, 4))
    assert passes == [False, True]


@pytest.mark.parametrize(("net", "shape", "words"), [
    (nn.Upsample(scale_factor=2, mode="bicubic"), (1, 3, 3), r"'0': Upsample\).*mode='bicubic' is not supported"),
    (Interpolate(size=6, mode="nearest"), (1, 4), r"interpolate.*size=6: only sizes that are integer multiples"),
    (Interpolate(scale_factor=1.5, mode="nearest"), (1, 4), r"scale_factor=1.5: positive integer factors only"),
    (Interpolate(scale_factor=2, mode="bilinear", antialias=True), (1, 3, 3), "antialias=True is not supported"),
    (Interpolate(scale_factor=2, mode="bilinear"), (1, 4), r"mode='bilinear' on an input of shape \(1, 4\)"),
])
def test_unsupported_resampling_is_named(net: nn.Module, shape: tuple[int, ...], words: str) -> None:
    with pytest.raises(UnsupportedModelError, match=words):
        from_torch(net, input_shape=shape)
