"""The layer namespace: convolutions, bias, activations, pooling and Sequential.

A thin re-export, so ``from symequi.layers import ...`` reads like a network
definition.  The classes live in :mod:`symequi.layers.convolution`,
:mod:`symequi.layers.activations`, :mod:`symequi.layers.pooling`, :mod:`symequi.layers.polyphase` (adaptive
polyphase sampling) and
:mod:`symequi.core.operator`; :mod:`symequi.layers.padding` maps a padded
position to the input entry it reads (``zeros``, ``periodic``, ``reflect``,
``replicate``, ``valid``).

Example
-------
The paper's Figure 1 layer (kernel ``[2, -2]`` with ``C_j = 2 b_{j+1} - 2 b_j``,
bias -1, ReLU) detects the edge of ``[0, 0, 1, 1]`` but not of the image
translated by half a pixel:

>>> from symequi.layers import Convolution, Bias, ReLU, Sequential
>>> layer = Sequential(Convolution([2, -2], origin=-1), Bias(-1), ReLU())
>>> layer([0, 0, 1, 1]), layer([0, 0, '1/2', 1])
(Signal([0, 1, 0, 0]), Signal([0, 0, 0, 0]))
"""

from __future__ import annotations

from ..core.operator import Operator, Sequential
from .activations import Abs, Bias, LeakyReLU, PiecewiseLinearActivation, PolynomialActivation, Pointwise, ReLU
from .clamp import Clamp, Hardtanh
from .convolution import Convolution, Correlation
from .padding import PADDINGS, check_padding, extend_indices, pad_sources, padding_convention, source_index
from .pooling import AvgPool, MaxPool, PaddedAvgPool, check_pool_geometry, pool_output_length
from .pad import Pad
from .slicing import Slice
from .gather import AxisGather, PoolWindows, Repeat, ZeroInsertion
from .dense import Flatten, Linear
from .affine import ChannelAffine
from .polyphase import APS_NORMS, AdaptivePolyphaseSampling, PolyphaseNorms, polyphase_components
from .resize import COORDINATE_MODES, AxisLinear, LinearResize, Taps, interpolation_taps

__all__ = [
    "Abs", "AvgPool", "Bias", "Convolution", "Correlation", "LeakyReLU", "MaxPool", "Operator",
    "PolynomialActivation", "Pointwise", "ReLU", "Sequential", "Clamp", "Hardtanh", "PiecewiseLinearActivation",
    # boundary handling (padding names: symequi.core.types.Padding)
    "PADDINGS", "check_padding", "extend_indices", "pad_sources", "padding_convention", "source_index",
    "Pad", "Slice", "Repeat", "ZeroInsertion", "Flatten", "Linear", "ChannelAffine", "AxisGather",
    # adaptive polyphase sampling
    "AdaptivePolyphaseSampling", "PolyphaseNorms", "APS_NORMS", "polyphase_components",
    # pooling geometry (PyTorch/ONNX windows)
    "PoolWindows", "PaddedAvgPool", "pool_output_length", "check_pool_geometry",
    # separable linear resampling
    "AxisLinear", "LinearResize", "COORDINATE_MODES", "Taps", "interpolation_taps",
]
