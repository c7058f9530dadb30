"""Tests for symequi.metrics: EQ-T, EQ-T_frac, PSNR and shift consistency.

Expectations: hand computations (in the comments), mpmath at 50 digits, and an
independent float-free mpmath re-implementation of StyleGAN3's Lanczos-3
fractional translation.
"""

from __future__ import annotations

import mpmath
import pytest
import sympy

from symequi.layers.activations import Bias, ReLU
from symequi.functions.continuous import heaviside, x
from symequi.layers.convolution import Convolution
from symequi.delta.edge_detection import figure1_layer
from symequi.functions.discretize import CellAverage
from symequi.core.errors import InexactInputError, InvalidArgumentError
from symequi.functions.grid import Grid
from symequi.metrics import EquivarianceMetric, eq_t, eq_t_frac, psnr, shift_consistency
from symequi.core.operator import Sequential
from symequi.layers.pooling import MaxPool
from symequi.core.signal import Signal

R = sympy.Rational


# --- PSNR ---------------------------------------------------------------------------------
def test_psnr_formula_against_mpmath():
    p = psnr(R(1, 7))
    assert p.exact == 10 * sympy.log(28) / sympy.log(10)
    with mpmath.workdps(60):
        expected = 20 * mpmath.log10(2) - 10 * mpmath.log10(mpmath.mpf(1) / 7)
        assert abs(p.value - expected) < mpmath.mpf(10) ** -48
    assert p.dps == 50 and "50 significant digits" in p.text()
    assert "30 significant digits" in psnr(R(1, 7), dps=30).text()


def test_psnr_of_zero_is_infinite_and_of_algebraic_mse():
    zero = psnr(0)
    assert zero.exact == sympy.oo and zero.value == mpmath.inf and zero.is_infinite
    p = psnr(sympy.sqrt(2) - 1, peak=1)
    with mpmath.workdps(60):
        expected = 10 * mpmath.log10(1 / (mpmath.sqrt(2) - 1))
        assert abs(p.value - expected) < mpmath.mpf(10) ** -48
    with pytest.raises(InvalidArgumentError, match="negative"):
        psnr(-1)
    with pytest.raises(InexactInputError):
        psnr(0.25)


# --- EQ-T -----------------------------------------------------------------------------------
def test_eq_t_periodic_convolution_is_exactly_equivariant():
    conv = Convolution([1, R(-2, 3), 5], origin=-1, padding="periodic")
    result = eq_t(conv, [1, 0, R(5, 2), 2, -1], 2)
    assert result.mse == 0 and result.psnr.exact == sympy.oo and result.is_exactly_equivariant
    assert result.mask.to_list() == [0, 0, 1, 1, 1]  # StyleGAN3's mask: [max(s, 0), N + min(s, 0))


def test_eq_t_2d_periodic_convolution():
    conv = Convolution([[1, 2], [R(1, 3), -1]], padding="periodic")
    image = [[1, 0, 2], [0, 3, R(1, 2)], [4, 0, 0]]
    result = eq_t(conv, image, (1, -1))
    assert result.mse == 0 and result.mask_count == 4


def test_eq_t_zero_padding_by_hand():
    # C_j = b_j - b_{j-1}, zero padding; u = [1, 0, 0, 3], s = 1 (input rolled: [3, 1, 0, 0]).
    # img = [3, -2, -1, 0]; out = [1, -1, 0, 3]; ref = [0, 1, -1, 0]; mask j = 1, 2, 3:
    # errors 3, 0, 0 -> MSE = 9 / 3 = 3.
    result = eq_t(Convolution([1, -1], padding="zeros"), [1, 0, 0, 3], 1)
    assert result.image == Signal([3, -2, -1, 0]) and result.reference == Signal([0, 1, -1, 0])
    assert result.mse == 3 and result.squared_error_sum == 9 and result.mask_count == 3


def test_eq_t_continuous_input_figure1():
    # D(H(x - dx)) = [0, 0, 0, 1] -> out = [0, 0, 1, 0] = shift of [0, 1, 0, 0]: MSE 0.
    result = eq_t(figure1_layer(), heaviside(x), 1, discretization=CellAverage(Grid(-1, 1, 4)))
    assert result.mse == 0


def test_eq_t_refuses_fractional_shift():
    with pytest.raises(InvalidArgumentError, match="eq_t_frac"):
        eq_t(Convolution([1], padding="periodic"), [1, 2], R(1, 2))
    with pytest.raises(InexactInputError):
        eq_t(Convolution([1], padding="periodic"), [1, 2], 1.0)


# --- EQ-T_frac --------------------------------------------------------------------------------
def test_eq_t_frac_relu_conv_linear_half_shift_by_hand():
    # G = ReLU(C), C_j = b_j - b_{j-1} periodic; u = [0, 0, 2, 0].
    # out = ReLU([0, 0, 2, -2]) = [0, 0, 2, 0].
    # T u (linear, s = 1/2, periodic): (u_j + u_{j-1})/2 = [0, 0, 1, 1]; img = ReLU([-1, 0, 1, 0]) = [0, 0, 1, 0].
    # ref = (out_j + out_{j-1})/2 with out_{-1} = 0: [0, 0, 1, 1]; mask (taps 0, 1): j = 1, 2, 3.
    # errors 0, 0, 1 -> MSE = 1/3; PSNR = 10 log10(12).
    layer = Sequential(Convolution([1, -1], padding="periodic"), ReLU())
    result = eq_t_frac(layer, [0, 0, 2, 0], R(1, 2), method="linear")
    assert result.image == Signal([0, 0, 1, 0]) and result.reference == Signal([0, 0, 1, 1])
    assert result.mask.to_list() == [0, 1, 1, 1]
    assert result.mse == R(1, 3)
    with mpmath.workdps(60):
        assert abs(result.psnr.value - 10 * mpmath.log10(12)) < mpmath.mpf(10) ** -48


def test_eq_t_frac_continuous_figure1_by_hand():
    # img = layer(D(H(x - 1/4))) = [0, 0, 0, 0]; ref = linear half shift of [0, 1, 0, 0] = [0, 1/2, 1/2, 0];
    # mask j = 1, 2, 3: errors 1/2, 1/2, 0 -> MSE = (1/4 + 1/4)/3 = 1/6.
    result = eq_t_frac(figure1_layer(), heaviside(x), R(1, 2), method="linear",
                       discretization=CellAverage(Grid(-1, 1, 4)))
    assert result.image == Signal([0, 0, 0, 0]) and result.mse == R(1, 6)


@pytest.mark.parametrize("s, expected", [
    (R(1, 2), [0, 0, 0, 1, 1, 1, 0, 0]),    # floor 0: [3, 8 - 2)
    (R(-1, 2), [0, 0, 1, 1, 1, 0, 0, 0]),   # floor -1: [2, 8 - 3)
    (R(5, 2), [0, 0, 0, 0, 0, 1, 1, 1]),    # floor 2: [5, 8 + 0)
    (1, [0, 0, 0, 0, 1, 1, 1, 0]),          # integer s still uses the 6-tap stencil: [4, 8 + min(1 - 2, 0))
])
def test_eq_t_frac_lanczos_mask_by_hand(s, expected):
    result = eq_t_frac(Sequential(), [0, 0, 0, 1, 0, 0, 0, 0], s)
    assert result.mask.to_list() == expected
    assert result.mse == 0  # the identity commutes with the same translation inside the mask


def _mp_lanczos_taps(f):
    """StyleGAN3's taps for the fractional part f: L(k - f), k = -2..3, divided by their sum."""
    def sinc(t):
        return mpmath.mpf(1) if t == 0 else mpmath.sin(mpmath.pi * t) / (mpmath.pi * t)
    raw = [sinc(k - f) * sinc((k - f) / 3) for k in range(-2, 4)]
    total = sum(raw)
    return {k: v / total for k, v in zip(range(-2, 4), raw)}


def test_eq_t_frac_lanczos_against_independent_mpmath():
    layer = Sequential(Convolution([1, -2, 1], origin=-1, padding="periodic"), Bias(R(-1, 5)), ReLU())
    u = [0, 1, 3, 0, 2, 0, 0, 1, 5, 0, 0, 0]
    s = R(1, 3)
    result = eq_t_frac(layer, u, s)
    n = len(u)
    with mpmath.workdps(60):
        taps = _mp_lanczos_taps(mpmath.mpf(1) / 3)  # floor(s) = 0

        def translate(v, periodic):
            out = []
            for j in range(n):
                acc = mpmath.mpf(0)
                for k, h in taps.items():
                    i = j - k
                    if periodic:
                        acc += h * v[i % n]
                    elif 0 <= i < n:
                        acc += h * v[i]
                out.append(acc)
            return out

        def generator(v):
            c = [v[(j + 1) % n] - 2 * v[j] + v[(j - 1) % n] - mpmath.mpf(1) / 5 for j in range(n)]
            return [max(t, 0) for t in c]

        img = generator(translate([mpmath.mpf(t) for t in u], True))
        ref = translate(generator([mpmath.mpf(t) for t in u]), False)
        mask = range(3, n - 2)
        mse = sum((ref[j] - img[j]) ** 2 for j in mask) / len(mask)
        assert result.mask_count == len(mask)
        assert abs(mpmath.mpf(str(sympy.N(result.mse, 60))) - mse) < mpmath.mpf(10) ** -45
        assert abs(result.psnr.value - 10 * mpmath.log10(4 / mse)) < mpmath.mpf(10) ** -40
    assert result.mse != 0


def test_pooled_over_samples():
    layer = Sequential(Convolution([1, -1], padding="periodic"), ReLU())
    a = eq_t_frac(layer, [0, 0, 2, 0], R(1, 2), method="linear")            # 1 / 3
    b = eq_t_frac(layer, [0, 0, 0, 0], R(1, 2), method="linear")            # 0 / 3
    assert EquivarianceMetric.pooled([a, b]).mse == R(1, 6)
    assert "EQ-T_frac" in a.text() and "mpmath at 50" in a.text()


# --- shift consistency ---------------------------------------------------------------------------
def test_shift_consistency_by_hand():
    # MaxPool(2) of the rolls of [0, 3, 1, 0]:
    #   s=0: [3, 1] -> class 0; s=1: [0, 0, 3, 1] -> [0, 3] -> 1; s=2: [1, 0, 0, 3] -> [1, 3] -> 1;
    #   s=3: [3, 1, 0, 0] -> [3, 0] -> 0.
    assert shift_consistency(MaxPool(2), [0, 3, 1, 0], [0, 1, 2, 3]) == R(1, 2)
    # pairs (Zhang 2019): classes [0, 1, 1, 0]; agreeing pairs (0, 3), (1, 2) of 6.
    assert shift_consistency(MaxPool(2), [0, 3, 1, 0], [0, 1, 2, 3], reference="pairs") == R(1, 3)
    # a periodic convolution followed by a global argmax over positions shifts the argmax: classes 2, 3
    assert shift_consistency(Convolution([1], padding="periodic"), [0, 0, 5, 1], [1, 4]) == R(1, 2)
    # an int-valued model
    assert shift_consistency(lambda v: 1 if v[0] > 0 else 0, [1, 0, 0], [0, 1, 2]) == R(1, 3)


def test_shift_consistency_validation():
    with pytest.raises(InvalidArgumentError, match="non-empty"):
        shift_consistency(MaxPool(2), [0, 1], [])
    with pytest.raises(InvalidArgumentError, match="reference"):
        shift_consistency(MaxPool(2), [0, 1], [0], reference="all")
