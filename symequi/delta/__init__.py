"""Layer outputs as exact piecewise functions of the translation delta.

:func:`defect_in_delta` discretizes ``f(x - delta)``, runs a layer stack on the
pixels (polynomials in delta on cells split at exact real-algebraic points) and
returns the equivariance defect as a :class:`PiecewiseInDelta`;
:func:`commuting_set` is the exact set of delta where the square commutes, and
:mod:`~symequi.delta.edge_detection` answers "is an edge detected?" for every delta.

Example
-------
>>> from symequi.delta import edge_detected_set, figure1_layer
>>> figure1_layer().describe()
'Sequential(convolution C_j = sum_k a_k b_{j-k} with kernel [2, -2], kernel origin -1 (k = -1..0), zeros padding, bias -1, pointwise ReLU(x) = max(0, x))'
"""

from .defect import DeltaPiece, PiecewiseInDelta, commuting_set, defect_in_delta
from .edge_detection import EdgeDetection, edge_detected_set, figure1_layer

__all__ = ["DeltaPiece", "PiecewiseInDelta", "commuting_set", "defect_in_delta", "EdgeDetection",
           "edge_detected_set", "figure1_layer"]
