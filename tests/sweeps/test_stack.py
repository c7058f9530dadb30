"""Layer stacks from text: built layers compute what a hand computation says; hostile text is refused."""

from __future__ import annotations

import pathlib
from fractions import Fraction

import pytest

from symequi.core.errors import InvalidArgumentError
from symequi.core.signal import Signal
from symequi.sweeps.stack import parse_stack


def test_figure1_stack_matches_the_paper():
    op = parse_stack("conv(2, -2, origin=-1) | bias(-1) | relu", padding="zeros")
    assert op(Signal([0, 0, 1, 1])) == Signal([0, 1, 0, 0])          # the paper's Figure 1
    assert op(Signal([0, 0, Fraction(1, 2), 1])) == Signal([0, 0, 0, 0])


def test_arguments_are_exact_and_padding_fills_in():
    # periodic correlation with [1/2, 1/3]: out_j = u_j/2 + u_{j+1}/3 (PyTorch convention), by hand
    op = parse_stack("corr('1/2', 1/3)", padding="periodic")
    u = [Fraction(1), Fraction(2), Fraction(-3)]
    want = [u[j] / 2 + u[(j + 1) % 3] / 3 for j in range(3)]
    assert op(Signal(u)).to_fractions() == want
    # the layer's own padding wins over the axis
    assert parse_stack("conv(1, 1, padding='zeros')", padding="periodic")(Signal([1, 0, 2])) == Signal([1, 1, 2])


def test_pooling_and_activations():
    assert parse_stack("maxpool(2)")(Signal([1, 3, -1, 0])) == Signal([3, 0])
    assert parse_stack("leaky_relu('1/4') | clamp(-1, 1)")(Signal([-8, 2, Fraction(1, 2)])) == \
        Signal([-1, 1, Fraction(1, 2)])
    assert parse_stack("poly(0, 0, 1)")(Signal([-3])) == Signal([9])


@pytest.mark.parametrize("text", [
    "__import__('os').system('touch CANARY')",
    "relu.__class__",
    "(lambda: 1)()",
    "[relu for relu in ()]",
    "conv(*[1, 2])",
    "conv(**{'origin': 1})",
    "open('x')",
    "conv(1) + relu",
    "relu[0]",
    "ｒｅｌｕ",
    "conv(" * 50 + ")" * 50,
    "x" * 5000,
])
def test_hostile_text_is_refused_and_never_runs(text, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InvalidArgumentError, match="operator"):
        parse_stack(text)
    assert not pathlib.Path("CANARY").exists()
