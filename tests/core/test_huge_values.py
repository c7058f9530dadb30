"""Huge numbers at every door that takes a number: a short, named SymequiError, never another.

``str()`` of an int of more than 4300 digits raises ValueError; ``float()`` of one
raises OverflowError; an exponent of 10**5000 asks for memory no machine has.  Every
public constructor and layer argument that takes a number is called here with huge
ints (10**5000, its negative), huge Fractions, sympy Integers and Rationals,
python-flint values, a numpy object array holding one, and exponent bombs (the text
``'10**10**10'``, an unevaluated sympy power).  Each call either succeeds (then the
object's repr stays short and does not raise) or raises a SymequiError whose message
is shorter than 500 characters and names the argument; any other exception fails.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

import flint
import numpy as np
import pytest
import sympy

import symequi as se
from symequi.core.errors import SymequiError

HUGE = 10**5000
MAX_MESSAGE = 500

#: (label, value): hypothesis and pytest ids never print the values themselves.
HUGE_VALUES: list[tuple[str, Any]] = [
    ("10**5000", HUGE),
    ("-10**5000", -HUGE),
    ("Fraction(10**5000, 3)", Fraction(HUGE, 3)),
    ("Fraction(1, 10**5000)", Fraction(1, HUGE)),
    ("sympy.Integer(10**5000)", sympy.Integer(HUGE)),
    ("sympy.Rational(-10**5000, 7)", sympy.Rational(-HUGE, 7)),
    ("fmpz(10**5000)", flint.fmpz(HUGE)),
    ("fmpq(10**5000, 3)", flint.fmpq(HUGE, 3)),
    ("np.array([10**5000], dtype=object)", np.array([HUGE], dtype=object)),
    ("'10**10**10'", "10**10**10"),
    ("sympy.Pow(10, 10**10, evaluate=False)", sympy.Pow(10, 10**10, evaluate=False)),
    ("sympy.sqrt(2) * 10**5000", sympy.sqrt(2) * HUGE),
]

_SIGNAL = se.Signal([1, -2, 3, 0, 5, -1])
_GRID = se.Grid(0, 1, 4)

#: (label, door, names the message may use for the argument).
DOORS: list[tuple[str, Callable[[Any], Any], tuple[str, ...]]] = [
    ("Signal(data)", lambda v: se.Signal([1, v]), ("data",)),
    ("Signal.zeros(shape)", lambda v: se.Signal.zeros(v), ("shape",)),
    ("Signal.zeros((2, shape))", lambda v: se.Signal.zeros((2, v)), ("shape",)),
    ("Signal[index]", lambda v: _SIGNAL[v], ("index", "key")),
    ("Signal * scalar", lambda v: _SIGNAL * v, ("scalar",)),
    ("Signal + scalar", lambda v: _SIGNAL + v, ("scalar",)),
    ("Signal ** exponent", lambda v: _SIGNAL ** v, ("exponent",)),
    ("Grid(a)", lambda v: se.Grid(v, 1, 4), ("a=", "a ")),
    ("Grid(b)", lambda v: se.Grid(0, v, 4), ("b=", "b ")),
    ("Grid(n)", lambda v: se.Grid(0, 1, v), ("n=", "n ")),
    ("Convolution(kernel)", lambda v: se.Convolution([1, v]), ("kernel",)),
    ("Convolution(origin)", lambda v: se.Convolution([1, 2], origin=v), ("origin",)),
    ("Convolution(stride)", lambda v: se.Convolution([1, 2], stride=v), ("stride",)),
    ("Correlation(dilation)", lambda v: se.Correlation([1, 2], dilation=v), ("dilation",)),
    ("Bias(value)", lambda v: se.Bias(v), ("value",)),
    ("LeakyReLU(slope)", lambda v: se.LeakyReLU(v), ("slope",)),
    ("Clamp(lo)", lambda v: se.layers.Clamp(v, 1), ("lo",)),
    ("Clamp(hi)", lambda v: se.layers.Clamp(0, v), ("hi", "lo")),
    ("PolynomialActivation", lambda v: se.PolynomialActivation(v), ("polynomial",)),
    ("MaxPool(size)", lambda v: se.MaxPool(v), ("size",)),
    ("AvgPool(stride)", lambda v: se.AvgPool(2, stride=v), ("stride",)),
    ("Pad(widths)", lambda v: se.layers.Pad([(v, 0)]), ("widths",)),
    ("Pad(value)", lambda v: se.layers.Pad([(1, 1)], value=v), ("value",)),
    ("Repeat(factor)", lambda v: se.layers.Repeat(v), ("factor",)),
    ("ZeroInsertion(factor)", lambda v: se.layers.ZeroInsertion(v), ("factor",)),
    ("Linear(weight)", lambda v: se.layers.Linear([[1, v]]), ("weight",)),
    ("Linear(bias)", lambda v: se.layers.Linear([[1, 2]], [v]), ("bias",)),
    ("ChannelAffine(scale)", lambda v: se.layers.ChannelAffine([v]), ("scale",)),
    ("shift(s)", lambda v: se.shift(v), ("s=", "s[")),
    ("shift(s, linear)", lambda v: se.shift(v, method="linear"), ("s=", "s[")),
    ("shift(s, fourier)", lambda v: se.shift(v, method="fourier"), ("s=", "s[")),
    ("shift(order)", lambda v: se.shift(Fraction(1, 2), method="lagrange", order=v), ("order",)),
    ("shift(degree)", lambda v: se.shift(Fraction(1, 2), method="finite_volume", degree=v), ("degree",)),
    ("IntegerShift(s)", lambda v: se.IntegerShift(v), ("s=", "s[")),
    ("FourierShift(s)", lambda v: se.FourierShift(v), ("s=", "s[")),
    ("KeysCubicKernel(a)", lambda v: se.translations.KeysCubicKernel(a=v), ("a=",)),
    ("LanczosKernel(a)", lambda v: se.translations.LanczosKernel(a=v), ("a=",)),
    ("Downsample(factor)", lambda v: se.translations.Downsample(v), ("factor",)),
    ("FourierUpsample(factor)", lambda v: se.translations.FourierUpsample(v), ("factor",)),
    ("IdealLowPass(cutoff)", lambda v: se.translations.IdealLowPass(v), ("cutoff",)),
    ("fourier_mode(n)", lambda v: se.translations.fourier_mode(v, 1), ("n=", "n ")),
    ("fourier_mode(k)", lambda v: se.translations.fourier_mode(4, v), ("k=", "k ")),
    ("Polynomials(degree)", lambda v: se.Polynomials(v), ("degree",)),
    ("TrigPolynomials(degree)", lambda v: se.TrigPolynomials(v, 1), ("degree",)),
    ("TrigPolynomials(period)", lambda v: se.TrigPolynomials(1, v), ("period",)),
    ("PiecewiseConstant(breakpoints)", lambda v: se.PiecewiseConstant([v], [0, 1]), ("breakpoints",)),
    ("PointSample(at)", lambda v: se.PointSample(_GRID, at=v), ("at",)),
    ("translate(delta)", lambda v: se.translate("x**2", v), ("delta",)),
    ("heaviside(arg)", lambda v: se.heaviside(v), ("arg",)),
    ("from_float(value)", lambda v: se.from_float(v), ("value",)),
    ("Interval(lo)", lambda v: se.Interval(v, 1), ("lo",)),
    ("set_limits(max_degree)", lambda v: se.core.using_limits(max_degree=v).__enter__(), ("max_degree",)),
    ("time_budget(seconds)", lambda v: se.time_budget(v), ("seconds",)),
    ("metrics.psnr(mse)", lambda v: se.metrics.psnr(v), ("mse",)),
]


def _short_repr(value: Any) -> None:
    """A symequi object's repr is short and does not raise (sympy's own objects, such as the
    expression translate returns, print as sympy prints them)."""
    if isinstance(value, sympy.Basic):
        return
    text = repr(value)
    assert len(text) < 4 * MAX_MESSAGE, f"repr of {type(value).__name__} has {len(text)} characters"


@pytest.mark.parametrize("label, value", HUGE_VALUES, ids=[label for label, _ in HUGE_VALUES])
@pytest.mark.parametrize("door, call, names", DOORS, ids=[door for door, _, _ in DOORS])
def test_huge_values_get_a_short_named_error(door, call, names, label, value):
    limits = se.core.get_limits()
    try:
        result = call(value)
    except SymequiError as err:
        message = str(err)
        assert len(message) < MAX_MESSAGE, f"{door} with {label}: a message of {len(message)} characters"
        assert any(n in message for n in names), f"{door} with {label}: names none of {names}: {message}"
        return
    finally:
        se.core.set_limits(max_entries=limits.max_entries, max_degree=limits.max_degree)
    _short_repr(result)


# --- what the probe found, pinned ---------------------------------------------------------

def test_signal_powers_are_exact_and_refused_by_name():
    # by hand: 1, (-2)**3 = -8, (1/2)**3 = 1/8, (-2/3)**3 = -8/27; 2**-2 = 1/4, (-1/3)**-2 = 9
    assert se.Signal([1, -2, "1/2", "-2/3"]) ** 3 == se.Signal([1, -8, "1/8", "-8/27"])
    assert se.Signal([2, "-1/3"]) ** -2 == se.Signal(["1/4", 9])
    assert se.Signal([[2, 3]]) ** 0 == se.Signal([[1, 1]])
    assert se.Signal([sympy.sqrt(2), 1 + sympy.sqrt(3)]) ** 2 == se.Signal([2, 4 + 2 * sympy.sqrt(3)])
    with pytest.raises(SymequiError, match=r"exponent=-1 is negative, but the signal has the entry 0 at \[1\]"):
        se.Signal([1, 0]) ** -1
    with pytest.raises(SymequiError, match="exponent=Fraction\\(100000...000 \\(5001 digits\\), 3\\) must be an integer"):
        se.Signal([1, 2]) ** Fraction(HUGE, 3)  # was: OverflowError from Fraction.__rpow__
    with pytest.raises(SymequiError, match="max_degree=1000"):
        se.Signal([1, 2]) ** HUGE


def test_huge_shifts_apply_exactly_or_refuse_the_field():
    # 10**k = 4 (mod 6) for k >= 1 (10 = 4, 4 * 10 = 40 = 4): a periodic shift right by 4 places
    assert se.shift(HUGE)(_SIGNAL) == se.Signal([3, 0, 5, -1, 1, -2])
    with pytest.raises(SymequiError, match="order=6000000000000000000000000000000 of the cyclotomic field"):
        se.FourierShift(Fraction(1, 10**30))(_SIGNAL)  # was: OverflowError in python-flint


def test_an_unevaluated_power_bomb_is_refused_before_arithmetic():
    bomb = sympy.Pow(10, 10**10, evaluate=False)  # 10**(10**10): ten billion digits if evaluated
    with pytest.raises(SymequiError, match="scalar=.* raises 10 to the power 10000000000, over the limit max_exponent"):
        _SIGNAL * bomb  # was: a hang
