"""Discrete translations: moving sampled signals by whole or fractional cells, exactly.

Every translation is an :class:`~symequi.core.operator.Operator` (a convolution
with exact taps): :class:`IntegerShift`, :class:`InterpolationShift` (linear,
cubic, Lagrange, Lanczos kernels), :class:`FourierShift` (band-limited, taps in
a cyclotomic field) and :class:`FiniteVolumeShift`; :func:`shift` builds any of
them by method name.  Resampling (:class:`Downsample`, :class:`FourierUpsample`,
:class:`IdealLowPass`) and the formal Fourier-shift helpers live here too.

Example
-------
>>> from symequi.translations import shift
>>> shift('1/2', method='linear')([0, 0, 1, 1])
Signal([1/2, 0, 1/2, 1])
"""

from .base import BOUNDARIES, METHODS, DiscreteTranslation, IntegerShift
from .factory import shift
from .finite_volume import FiniteVolumeKernel, FiniteVolumeShift
from .fourier import FourierShift, fourier_tap_vector, fourier_taps_cyclotomic
from .fourier_symbolic import (
    band_frequencies,
    check_laurent_taps,
    formal_band_limited_signal,
    formal_fourier_shift,
    fourier_mode,
    fourier_taps_laurent,
    shift_phase,
)
from .interpolation import InterpolationShift
from .kernels import KeysCubicKernel, Kernel, LagrangeKernel, LanczosKernel, LinearKernel
from .resampling import Downsample, FourierUpsample, IdealLowPass

__all__ = [
    "BOUNDARIES", "METHODS", "DiscreteTranslation", "IntegerShift", "shift", "FiniteVolumeShift",
    "FourierShift", "InterpolationShift", "Downsample", "FourierUpsample", "IdealLowPass",
    # interpolation kernels and exact taps
    "Kernel", "LinearKernel", "KeysCubicKernel", "LagrangeKernel", "LanczosKernel",
    "FiniteVolumeKernel", "fourier_taps_cyclotomic", "fourier_tap_vector",
    # the band-limited shift with a symbolic delta (formal Laurent series)
    "band_frequencies", "fourier_mode", "shift_phase", "fourier_taps_laurent", "check_laurent_taps",
    "formal_fourier_shift", "formal_band_limited_signal",
]
