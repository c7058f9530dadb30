"""symequi.layers.resize: linear and bilinear resampling with exact rational weights.

Expected values come from hand computation, from a Fraction reimplementation of the
coordinate formulas written here, and from torch's float64 ``F.interpolate`` on dyadic
data with dyadic weights (no rounding there, so the outputs must agree exactly); the
deciders are checked to read the same matrix (a proof and an exact counterexample whose
two sides are recomputed here).
"""

from __future__ import annotations

import math
import random
from fractions import Fraction

import flint
import pytest
import sympy
import torch
import torch.nn.functional as F

from symequi.core.errors import InvalidArgumentError
from symequi.core.signal import Signal
from symequi.core.square import Square
from symequi.deciders.linear import decide_linear
from symequi.deciders.smt import decide_smt
from symequi.layers import LinearResize, interpolation_taps
from symequi.translations import shift

from ..models._runtime import dyadic_array, exact


def _reference_1d(u: list[Fraction], m: int, coordinate) -> list[Fraction]:  # type: ignore[no-untyped-def]
    """Linear interpolation at ``coordinate(j)``, neighbours clamped to the signal (written independently)."""
    n = len(u)
    out = []
    for j in range(m):
        x = coordinate(j)
        low = math.floor(x)
        t = x - low
        left, right = u[min(max(low, 0), n - 1)], u[min(max(low + 1, 0), n - 1)]
        out.append((1 - t) * left + t * right)
    return out


def test_by_hand() -> None:
    # half-pixel by 2 on [0, 4, 8]: x = -1/4 (clamped: 0), 1/4, 3/4, 5/4, 7/4, 9/4 (clamped: 8)
    assert LinearResize(scale=2)([0, 4, 8]).to_fractions() == [0, 1, 3, 5, 7, 8]
    # align_corners to 5: x = j (3 - 1)/(5 - 1) = j/2
    assert LinearResize(5, coordinates="align_corners")([0, 4, 8]).to_fractions() == [0, 2, 4, 6, 8]
    # asymmetric by 2: x = j/2, the last two read past the end (the edge entry)
    assert LinearResize(scale=2, coordinates="asymmetric")([0, 4, 8]).to_fractions() == [0, 2, 4, 6, 8, 8]
    # one output: half_pixel reads the centre (n - 1)/2, pytorch_half_pixel and align_corners read 0
    assert LinearResize(1)([0, 4, 8, 12]).to_fractions() == [6]
    assert LinearResize(1, coordinates="pytorch_half_pixel")([0, 4, 8, 12]).to_fractions() == [0]
    assert LinearResize(1, coordinates="align_corners")([0, 4, 8, 12]).to_fractions() == [0]
    # downsampling 3 -> 2, half-pixel: x = (j + 1/2) 3/2 - 1/2 = 1/4, 7/4
    assert LinearResize(2)([0, 4, 8]).to_fractions() == [1, 7]


def test_taps_by_hand() -> None:
    q = flint.fmpq
    assert interpolation_taps(q(7, 4), 3) == [(1, q(1, 4)), (2, q(3, 4))]
    assert interpolation_taps(q(3), 3) == [(2, q(1))]  # past the end: the edge entry
    assert interpolation_taps(q(-5, 2), 4) == [(0, q(1))]
    assert interpolation_taps(q(1), 3) == [(1, q(1))]  # on a grid point: one tap


@pytest.mark.parametrize("coordinates", ["half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric"])
@pytest.mark.parametrize(("n", "grid"), [(5, dict(scale=3)), (4, dict(size=7)), (7, dict(size=3)),
                                         (6, dict(scale=Fraction(2, 3)))])
def test_against_a_fraction_reimplementation(coordinates, n, grid) -> None:  # type: ignore[no-untyped-def]
    u = [Fraction(random.Random(n).randint(-9, 9), 4) for _ in range(n)]
    if "size" in grid:
        m = grid["size"]
        scale = Fraction(m, n)
        op = LinearResize(m, coordinates=coordinates)
    else:
        scale = Fraction(grid["scale"])
        m = math.floor(n * scale)
        op = LinearResize(scale=grid["scale"], coordinates=coordinates)
    formulas = {
        "half_pixel": lambda j: (j + Fraction(1, 2)) / scale - Fraction(1, 2),
        "pytorch_half_pixel": lambda j: (j + Fraction(1, 2)) / scale - Fraction(1, 2) if m > 1 else Fraction(0),
        "align_corners": lambda j: Fraction(j * (n - 1), m - 1) if m > 1 else Fraction(0),
        "asymmetric": lambda j: j / scale,
    }
    assert op(Signal(u)).to_fractions() == _reference_1d(u, m, formulas[coordinates])
    assert op.output_shape((2, n)) == (2, m)


@pytest.mark.parametrize(("n", "kw", "coordinates"), [
    (5, dict(scale_factor=2, align_corners=False), "half_pixel"),
    (5, dict(scale_factor=4, align_corners=False), "half_pixel"),
    (5, dict(size=9, align_corners=True), "align_corners"),    # x = j/2
    (3, dict(size=9, align_corners=True), "align_corners"),    # x = j/4
    (8, dict(size=4, align_corners=False), "half_pixel"),      # downsampling by 2: x = 2 j + 1/2
])
def test_linear_equals_torch_float64_on_dyadic_data(n, kw, coordinates) -> None:  # type: ignore[no-untyped-def]
    x = dyadic_array((1, 2, n), random.Random(n))
    expected = F.interpolate(torch.from_numpy(x), mode="linear", **kw)
    grid = dict(size=kw["size"]) if "size" in kw else dict(scale=kw["scale_factor"])
    op = LinearResize(grid.get("size"), scale=grid.get("scale"), coordinates=coordinates)
    assert op(exact(x[0])) == exact(expected.numpy()[0])


def test_bilinear_equals_torch_float64_on_dyadic_data() -> None:
    x = dyadic_array((1, 2, 3, 5), random.Random(4))
    expected = F.interpolate(torch.from_numpy(x), scale_factor=(2, 4), mode="bilinear", align_corners=False)
    assert LinearResize(scale=(2, 4))(exact(x[0])) == exact(expected.numpy()[0])
    expected = F.interpolate(torch.from_numpy(x), size=(5, 9), mode="bilinear", align_corners=True)
    assert LinearResize((5, 9), coordinates="align_corners")(exact(x[0])) == exact(expected.numpy()[0])


def test_symbolic_input_and_matrix() -> None:
    a, b = sympy.symbols("a b")
    out = LinearResize(scale=2)(Signal([a, b])).flat_exprs()
    assert out == [a, sympy.Rational(3, 4) * a + b / 4, a / 4 + sympy.Rational(3, 4) * b, b]
    assert LinearResize(scale=2).matrix((2,)).to_Matrix().tolist() == [
        [1, 0], [sympy.Rational(3, 4), sympy.Rational(1, 4)], [sympy.Rational(1, 4), sympy.Rational(3, 4)], [0, 1]]


def test_the_deciders_read_the_same_map() -> None:
    op = LinearResize(scale=2)
    # rolling the channels commutes with a per-channel resampling: proved by the linear and SMT deciders
    swap = Square(op, shift((1, 0)), input_shape=(2, 4))
    assert decide_linear(swap).kind == "proved" and decide_smt(swap).kind == "proved"
    # a shift by 1 is not an output shift by 2 at the edges: the witness is recomputed here
    g, g_out = shift((0, 1)), shift((0, 2))
    square = Square(op, g, g_out=g_out, input_shape=(1, 4))
    for verdict in (decide_linear(square), decide_smt(square)):
        assert verdict.kind == "counterexample"
        u = verdict.input
        assert op(g(u)) != g_out(op(u))
        # the layer's values on the witness, by the Fraction reimplementation (half-pixel by 2)
        row = u.to_fractions()[0]
        assert op(u).to_fractions()[0] == _reference_1d(row, 8, lambda j: (j + Fraction(1, 2)) / 2 - Fraction(1, 2))


def test_describe_conventions_and_refusals() -> None:
    assert LinearResize(scale=(2, 3)).describe() == "bilinear resize by (2, 3), half_pixel coordinates"
    assert "edge entry" in LinearResize(4).conventions()[1]
    assert repr(LinearResize(scale="1/2", coordinates="asymmetric")) == "LinearResize(scale=1/2, coordinates='asymmetric')"
    with pytest.raises(InvalidArgumentError, match="exactly one of size= .* and scale="):
        LinearResize()
    with pytest.raises(InvalidArgumentError, match="coordinates='tf_crop_and_resize' must be one of"):
        LinearResize(4, coordinates="tf_crop_and_resize")
    with pytest.raises(InvalidArgumentError, match=r"scale=-2 must be a positive rational"):
        LinearResize(scale=-2)
    with pytest.raises(InvalidArgumentError, match=r"floor\(3 \* 1/4\) = 0 entries"):
        LinearResize(scale="1/4").output_shape((3,))
    with pytest.raises(InvalidArgumentError, match="acts on the last 2 axes"):
        LinearResize((2, 2)).output_shape((3,))
