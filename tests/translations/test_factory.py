"""The factory (symequi/translations/factory.py): ``shift(s, method=...)`` builds the
right operator and refuses options that belong to another method.

Expected values are hand-computed taps and hand-shifted signals.
"""

import pytest
import sympy

from symequi.core.errors import InvalidArgumentError
from symequi.core.signal import Signal
from symequi.translations import shift
from symequi.translations.base import METHODS, IntegerShift
from symequi.translations.finite_volume import FiniteVolumeShift
from symequi.translations.fourier import FourierShift
from symequi.translations.interpolation import InterpolationShift

R = sympy.Rational

# method -> (options it needs, the class it builds)
BUILT = {
    "integer": ({}, IntegerShift),
    "linear": ({}, InterpolationShift),
    "cubic": ({}, InterpolationShift),
    "lagrange": ({"order": 3}, InterpolationShift),
    "lanczos": ({}, InterpolationShift),
    "fourier": ({}, FourierShift),
    "finite_volume": ({"degree": 1}, FiniteVolumeShift),
}


def test_every_method_is_covered():
    assert set(BUILT) == set(METHODS)


@pytest.mark.parametrize("method", sorted(BUILT))
def test_each_method_builds_its_class(method):
    options, cls = BUILT[method]
    op = shift(2, method=method, **options)
    assert type(op) is cls
    # every method shifts by a whole number of cells exactly: content moves right by 2
    assert op(Signal([1, 2, 3, 4, 5])) == Signal([4, 5, 1, 2, 3])


def test_defaults_by_hand():
    # integer, periodic by default
    assert shift(1)(Signal([1, 2, 3])) == Signal([3, 1, 2])
    assert shift(1, boundary="zeros")(Signal([1, 2, 3])) == Signal([0, 1, 2])
    # Lanczos taps are normalised by default (StyleGAN3's EQ-T_frac)
    default = shift(R(1, 3), method="lanczos").taps(12)
    assert default == shift(R(1, 3), method="lanczos", normalize=True).taps(12)
    assert default != shift(R(1, 3), method="lanczos", normalize=False).taps(12)
    # finite volume of odd degree leans left by default.  Degree 1 at s = 1/2, by hand: the new
    # cell j covers the right half of old cell j-1 and the left half of old cell j.  With
    # left-biased slopes (u_i - u_{i-1}) the half-cell averages are u_{j-1} + (u_{j-1} - u_{j-2})/4
    # and u_j - (u_j - u_{j-1})/4, so out_j = 3/8 u_j + 3/4 u_{j-1} - 1/8 u_{j-2}; with
    # right-biased slopes (u_{i+1} - u_i): out_j = -1/8 u_{j+1} + 3/4 u_j + 3/8 u_{j-1}.
    assert shift(R(1, 2), method="finite_volume", degree=1).taps(8) == {0: R(3, 8), 1: R(3, 4), 2: R(-1, 8)}
    assert (shift(R(1, 2), method="finite_volume", degree=1, bias="right").taps(8)
            == {-1: R(-1, 8), 0: R(3, 4), 1: R(3, 8)})


def test_the_factory_refuses_options_of_other_methods():
    with pytest.raises(InvalidArgumentError, match="method='bilinear'"):
        shift(1, method="bilinear")
    with pytest.raises(InvalidArgumentError, match="needs order"):
        shift(R(1, 2), method="lagrange")
    with pytest.raises(InvalidArgumentError, match="applies only"):
        shift(R(1, 2), method="linear", order=2)
    with pytest.raises(InvalidArgumentError, match="applies only"):
        shift(R(1, 2), method="linear", degree=2)
    with pytest.raises(InvalidArgumentError, match="applies only"):
        shift(R(1, 2), method="cubic", normalize=True)
    with pytest.raises(InvalidArgumentError, match="bias='left' applies only"):
        shift(R(1, 2), method="linear", bias="left")
    with pytest.raises(InvalidArgumentError, match="needs degree"):
        shift(R(1, 2), method="finite_volume")
    for method in ("integer", "fourier"):
        with pytest.raises(InvalidArgumentError, match="interval=.*applies only"):
            shift(1, method=method, interval=(0, 1))
    with pytest.raises(InvalidArgumentError, match="method=None"):
        shift(1, method=None)
