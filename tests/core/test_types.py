"""The option names as Literal types (symequi.core.types): the signatures use them, and the
run-time checks accept exactly those names.

Expected outputs are by hand: a one-tap kernel ``[1]`` and a size-1 max-pool are the
identity, a periodic shift by one cell rolls ``[1, 2, 3, 4]`` to ``[4, 1, 2, 3]`` (every
method reproduces integer shifts), a zero-boundary one gives ``[0, 1, 2, 3]``.
"""

from __future__ import annotations

import typing

import pytest

from symequi.core import Square
from symequi.core.errors import InvalidArgumentError
from symequi.core.signal import Signal
from symequi.core.types import (
    BOUNDARIES,
    DECIDE_METHODS,
    FV_BIASES,
    PADDINGS,
    POOL_PADDINGS,
    SHIFT_METHODS,
    Boundary,
    DecideMethod,
    FVBias,
    Padding,
    PoolPadding,
    ShiftMethod,
)
from symequi.deciders import MatrixOperator, decide
from symequi.layers import AvgPool, Convolution, Correlation, MaxPool
from symequi.testing import assert_commutes
from symequi.translations import (
    FiniteVolumeShift,
    FourierShift,
    IntegerShift,
    InterpolationShift,
    shift,
)

_SHIFT_OPTIONS = {"lagrange": {"order": 1}, "finite_volume": {"degree": 0}}


def test_the_run_time_tuples_are_the_literal_names():
    assert PADDINGS == ("zeros", "periodic", "reflect", "replicate", "valid")
    assert POOL_PADDINGS == ("valid", "periodic", "reflect", "replicate")
    assert BOUNDARIES == ("periodic", "zeros")
    assert SHIFT_METHODS == ("integer", "linear", "cubic", "lagrange", "lanczos", "fourier", "finite_volume")
    assert FV_BIASES == ("left", "right")
    assert DECIDE_METHODS == ("auto", "linear", "compositional", "smt", "search")


@pytest.mark.parametrize(("function", "argument", "expected"), [
    (Convolution.__init__, "padding", Padding),
    (Correlation.__init__, "padding", Padding),
    (MaxPool.__init__, "padding", PoolPadding),
    (AvgPool.__init__, "padding", PoolPadding),
    (shift, "method", ShiftMethod),
    (shift, "boundary", Boundary),
    (shift, "bias", FVBias | None),
    (IntegerShift.__init__, "boundary", Boundary),
    (InterpolationShift.__init__, "boundary", Boundary),
    (FourierShift.__init__, "boundary", Boundary),
    (FiniteVolumeShift.__init__, "boundary", Boundary),
    (FiniteVolumeShift.__init__, "bias", FVBias),
    (decide, "method", DecideMethod),
    (assert_commutes, "method", DecideMethod),
])
def test_public_signatures_use_the_literal_types(function, argument, expected):
    assert typing.get_type_hints(function)[argument] == expected


@pytest.mark.parametrize("padding", typing.get_args(Padding))
def test_every_padding_name_is_accepted(padding):
    assert Convolution([1], padding=padding)(Signal([1, 2, 3])) == Signal([1, 2, 3])


@pytest.mark.parametrize("padding", typing.get_args(PoolPadding))
def test_every_pool_padding_name_is_accepted(padding):
    assert MaxPool(1, padding=padding)(Signal([3, 1, 2])) == Signal([3, 1, 2])


@pytest.mark.parametrize("method", typing.get_args(ShiftMethod))
def test_every_shift_method_reproduces_an_integer_shift(method):
    assert shift(1, method=method, **_SHIFT_OPTIONS.get(method, {}))(Signal([1, 2, 3, 4])) == Signal([4, 1, 2, 3])


@pytest.mark.parametrize(("boundary", "expected"), [("periodic", [4, 1, 2, 3]), ("zeros", [0, 1, 2, 3])])
def test_every_boundary_name_is_accepted(boundary, expected):
    assert boundary in typing.get_args(Boundary)
    assert shift(1, boundary=boundary)(Signal([1, 2, 3, 4])) == Signal(expected)


@pytest.mark.parametrize("bias", typing.get_args(FVBias))
def test_every_finite_volume_bias_is_accepted(bias):
    assert shift(1, method="finite_volume", degree=1, bias=bias)(Signal([1, 2, 3, 4])) == Signal([4, 1, 2, 3])


@pytest.mark.parametrize(("build", "words"), [
    (lambda: Convolution([1], padding="same"), "padding='same'"),
    (lambda: MaxPool(2, padding="zeros"), "padding='zeros'"),
    (lambda: shift(1, method="bilinear"), "method='bilinear'"),
    (lambda: shift(1, boundary="reflect"), "boundary='reflect'"),
    (lambda: shift(1, method="finite_volume", degree=1, bias="centre"), "bias='centre'"),
])
def test_names_outside_the_literal_are_refused(build, words):
    with pytest.raises(InvalidArgumentError, match=words):
        build()


def test_an_unknown_decide_method_lists_every_literal_name():
    swap = MatrixOperator([[0, 1], [1, 0]])
    with pytest.raises(InvalidArgumentError) as info:
        decide(Square(swap, swap, input_shape=2), method="magic")
    for name in typing.get_args(DecideMethod):
        assert repr(name) in str(info.value)
