"""Bias and activations, checked against values computed by hand."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import symequi as se
from symequi.layers.activations import Abs, Bias, LeakyReLU, Pointwise, PolynomialActivation, ReLU

rational = st.fractions(min_value=-10, max_value=10, max_denominator=20)


def test_relu_by_hand():
    assert ReLU()([-2, "-1/3", 0, "1/3", 5]) == se.Signal([0, 0, 0, "1/3", 5])
    assert ReLU()([[-1, 2], [3, -4]]) == se.Signal([[0, 2], [3, 0]])


def test_relu_of_symbolic_entries():
    e = sympy.Symbol("e")
    p = sympy.Symbol("p", positive=True)
    n = sympy.Symbol("n", negative=True)
    out = ReLU()([e, p, n, e - e + 1, sympy.sqrt(2) - 2])
    assert out[0] == sympy.Max(0, e)  # sign undecided: kept symbolic
    assert out[1] == p and out[2] == 0 and out[3] == 1  # sign decided exactly
    assert out[4] == 0  # sqrt(2) - 2 < 0 decided exactly
    assert out.subs(e, -3) == se.Signal([0, p, 0, 1, 0])


def test_leaky_relu_slope_one_tenth_by_hand():
    layer = LeakyReLU("1/10")
    assert layer.slope == sympy.Rational(1, 10)
    assert layer([-1, -5, 0, 3, "-1/2"]) == se.Signal(["-1/10", "-1/2", 0, 3, "-1/20"])
    e = sympy.Symbol("e")
    assert layer([e])[0].subs(e, -10) == -1
    assert layer([e])[0].subs(e, 7) == 7
    assert layer.is_piecewise_linear and not layer.is_linear


def test_leaky_relu_refuses_float_slope():
    with pytest.raises(se.InexactInputError, match="slope=0.1 is a Python float"):
        LeakyReLU(0.1)
    with pytest.raises(se.InvalidArgumentError, match="slope=.*not a rational"):
        LeakyReLU(sympy.sqrt(2))


def test_abs_by_hand():
    assert Abs()([-3, "1/2", 0, "-7/4"]) == se.Signal([3, "1/2", 0, "7/4"])
    assert Abs()([sympy.Symbol("e")])[0] == sympy.Abs(sympy.Symbol("e"))


def test_polynomial_activation_by_hand():
    square = PolynomialActivation(se.x**2)
    assert square([-3, "1/2", 0]) == se.Signal([9, "1/4", 0])
    assert square.coeffs == (0, 0, 1) and square.degree == 2 and not square.is_piecewise_linear
    cubic = PolynomialActivation([1, "-1/2", 0, 2])  # 1 - x/2 + 2x^3
    assert cubic([2, -1]) == se.Signal([16, "-1/2"])
    affine = PolynomialActivation([0, 3])
    assert affine.is_linear and affine.is_piecewise_linear
    b = sympy.Symbol("b")
    assert square([b])[0] == b**2


def test_pointwise_lambda_and_callable():
    t = sympy.Symbol("t")
    assert Pointwise(sympy.Lambda(t, t**2 + 1))([2, "1/3"]) == se.Signal([5, "10/9"])
    assert Pointwise(lambda v: sympy.Max(v, 1 - v))([0, 1, "1/4"]) == se.Signal([1, 1, "3/4"])
    assert isinstance(Pointwise(lambda v: 2 * v).fn, sympy.Lambda)


@settings(max_examples=40, deadline=None)
@given(st.lists(rational, min_size=1, max_size=8), rational)
def test_fast_paths_match_the_definitions(values, slope):
    # max(0, v), v or slope*v, |v|, 1 + v^2: the definitions written with Fractions
    signal = se.Signal(values)
    assert ReLU()(signal).to_fractions() == [max(Fraction(0), v) for v in values]
    assert LeakyReLU(slope)(signal).to_fractions() == [v if v >= 0 else slope * v for v in values]
    assert Abs()(signal).to_fractions() == [abs(v) for v in values]
    assert PolynomialActivation([1, 0, 1])(signal).to_fractions() == [1 + v * v for v in values]


@pytest.mark.parametrize("make, error, match", [
    (lambda: Pointwise(3), se.InvalidArgumentError, "must be a sympy Lambda"),
    (lambda: Pointwise(lambda v: max(v, 0)), se.InvalidArgumentError, "sympy.Max"),
    (lambda: Pointwise(lambda v: 0.5 * v), se.InexactInputError, "float"),
    (lambda: PolynomialActivation(sympy.sin(se.x)), se.InvalidArgumentError, "not a polynomial"),
    (lambda: PolynomialActivation([0.5]), se.InexactInputError, r"polynomial\[0\]"),
    (lambda: PolynomialActivation([]), se.InvalidArgumentError, "empty"),
    (lambda: PolynomialActivation(se.x * se.y), se.InvalidArgumentError, "one symbol"),
    (lambda: Bias(0.5), se.InexactInputError, "value=0.5"),
    (lambda: Bias([1, 0.25]), se.InexactInputError, r"value\[1\]"),
    (lambda: Bias([]), se.InvalidArgumentError, "empty"),
])
def test_bad_arguments(make, error, match):
    with pytest.raises(error, match=match):
        make()


def test_bias_by_hand():
    assert Bias(-1)([0, 2, "1/2"]) == se.Signal([-1, 1, "-1/2"])
    assert Bias(-1).value == se.Signal([-1]) and Bias(["1/2", 2]).value.shape == (2,)
    per_channel = Bias(["1/2", 2])
    assert per_channel.offset((2, 3)) == se.Signal([["1/2"] * 3, [2] * 3])
    assert per_channel([[0, 1], [1, 0]]) == se.Signal([["1/2", "3/2"], [3, 2]])
    assert not Bias(1).is_linear and Bias(1).is_piecewise_linear
    beta = sympy.Symbol("beta")
    assert Bias(beta)([1, 2]) == se.Signal([1 + beta, 2 + beta])


def test_bias_channel_mismatch_names_expected_and_got():
    with pytest.raises(se.InvalidArgumentError, match=r"3 per-channel values.*\(3, \.\.\.\).*got shape \(2, 4\)"):
        Bias([1, 2, 3])([[0] * 4, [0] * 4])


def test_reports():
    assert ReLU().conventions()[0] == "activation ReLU(x) = max(0, x) applied to every entry"
    assert "commutes with every periodic shift" in LeakyReLU("1/10").conventions()[1]
    assert repr(LeakyReLU("1/10")) == "LeakyReLU('1/10')"
    assert Bias(-1).conventions()[0].startswith("bias: adds -1 to every entry")
    assert r"\max" in ReLU().latex() and "x^{2}" in PolynomialActivation(se.x**2).latex()
    assert Bias([1, 2]).describe() == "per-channel bias [1, 2]"


def test_piecewise_linear_activations_pick_branches_by_certified_sign():
    # sqrt(2) - 1 > 0 and 1 - sqrt(2) < 0 (by hand: 1 < 2); a nested radical that equals 0 exactly:
    # sqrt(5 + 2 sqrt(6)) - sqrt(2) - sqrt(3) = 0 since (sqrt(2) + sqrt(3))^2 = 5 + 2 sqrt(6).
    import sympy

    r2 = sympy.sqrt(2)
    zero = sympy.sqrt(5 + 2 * sympy.sqrt(6)) - sympy.sqrt(2) - sympy.sqrt(3)
    out = ReLU()(se.Signal([r2 - 1, 1 - r2, zero]))
    assert out[0] == r2 - 1 and out[1] == 0 and out[2] == 0
    leaky = LeakyReLU("1/10")(se.Signal([1 - r2]))
    assert sympy.expand(leaky[0] - (1 - r2) / 10) == 0
    assert sympy.expand(Abs()(se.Signal([1 - r2]))[0] - (r2 - 1)) == 0


def test_sympy_heaviside_with_half_at_zero_and_distributions_are_refused():
    from symequi.core.errors import InvalidArgumentError
    from symequi.core.signal import Signal

    import sympy as sp

    with pytest.raises(InvalidArgumentError, match="H\\(0\\) = 0"):
        Pointwise(sp.Heaviside)
    with pytest.raises(InvalidArgumentError, match="DiracDelta"):
        Pointwise(sp.DiracDelta)
    # sympy.Heaviside(v, 0) is the paper's step: H(0) = 0, H(1/2) = 1 (by hand)
    assert Pointwise(lambda v: sp.Heaviside(v, 0))([0, "1/2", -1]) == Signal([0, 1, 0])


def test_polynomial_degree_is_bounded_before_the_polynomial_is_built():
    import sympy

    from symequi.core.errors import InvalidArgumentError
    from symequi.layers.activations import PolynomialActivation

    with pytest.raises(InvalidArgumentError, match="polynomial .its degree, the number of coefficients - 1.=100000 is more than the limit max_degree=1000"):
        PolynomialActivation([0] * 10**5 + [1])          # took 30 s before the limit
    with pytest.raises(InvalidArgumentError, match="polynomial .its degree.=5000 is more than the limit max_degree"):
        PolynomialActivation(sympy.Symbol("t") ** 5000)
    assert PolynomialActivation([0] * 1000 + [1]).degree == 1000


@settings(max_examples=40, deadline=None)
@given(values=st.lists(st.fractions(min_value=-2, max_value=2, max_denominator=4), min_size=2, max_size=7),
       s=st.fractions(min_value=-1, max_value=1, max_denominator=6))
def test_activations_of_fourier_shifted_signals_stay_in_the_field_and_match_50_digits(values, s):
    """A Fourier shift's output is a field signal; the activations keep it there, and every entry
    agrees with the piecewise function evaluated on mpmath's 50-digit value of the input entry
    (a value within 1e-40 of a breakpoint must be exactly on it: checked exactly)."""
    import mpmath

    from symequi.layers.clamp import Clamp
    from symequi.translations.fourier import FourierShift

    shifted = FourierShift(sympy.Rational(s.numerator, s.denominator))(se.Signal(values))
    layers = [(ReLU(), lambda v: max(0, v)), (LeakyReLU("1/4"), lambda v: v if v >= 0 else v / 4),
              (Abs(), abs), (Clamp("-1/2", "1/2"), lambda v: min(max(v, mpmath.mpf(-1) / 2), mpmath.mpf(1) / 2))]
    with mpmath.workdps(50):
        inputs = [sympy.N(e, 50) for e in shifted.flat_exprs()]
        for layer, reference in layers:
            out = layer(shifted)
            assert out.is_rational or out.field_vector is not None, layer
            for x, y in zip(inputs, out.flat_exprs()):
                expected = reference(mpmath.mpf(str(x)))
                assert abs(mpmath.mpf(str(sympy.N(y, 50))) - expected) < mpmath.mpf(10) ** -40, (layer, x, y)


def test_an_entry_exactly_on_a_breakpoint_takes_the_left_piece():
    """The constant signal 1/2 shifted by 1/3 is exactly 1/2 everywhere (a field signal over
    Q(zeta_3) whose entries are rational); Clamp(-1/2, 1/2) keeps it, a step at 1/2 takes the left piece."""
    from symequi.core.encoding import PiecewiseLinearFunction
    from symequi.layers.activations import PiecewiseLinearActivation
    from symequi.translations.fourier import FourierShift

    u = FourierShift(sympy.Rational(1, 3))(se.Signal(["1/2", "1/2", "1/2"]))
    step = PiecewiseLinearActivation(PiecewiseLinearFunction.from_pieces(["1/2"], [(0, 0), (0, 1)]))
    assert step(u) == se.Signal([0, 0, 0])
    v = FourierShift(sympy.Rational(1, 4))(se.Signal([1, 0, 0, 0]))   # cos-sum entries, one of them > 1/2
    assert step(v) == se.Signal([1 if sympy.N(e, 30) > sympy.Rational(1, 2) else 0 for e in v.flat_exprs()])
