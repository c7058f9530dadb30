"""Layer outputs as exact piecewise functions of the translation delta.

:func:`defect_in_delta` discretizes ``f(x - delta)``, runs a layer stack on the
pixels (polynomials in delta on cells split at exact real-algebraic points) and
returns the equivariance defect as a :class:`PiecewiseInDelta`;
:func:`commuting_set` is the exact set of delta where the square commutes, and
:mod:`~symequi.delta.edge_detection` answers "is an edge detected?" for every delta.
The symbol delta itself is :data:`symequi.delta.defect.delta` (not re-exported
here, so that ``symequi.delta`` stays the name of this package).

Example
-------
>>> from symequi.delta import edge_detected_set, figure1_layer
>>> figure1_layer().describe()
'Sequential(convolution C_j = sum_k a_k b_{j-k} with kernel [2, -2], kernel origin -1 (k = -1..0), zeros padding, bias -1, pointwise ReLU(x) = max(0, x))'
"""

from .cells import DeltaCell, merge_runs, polynomial_on_cell, run_set, runs_to_set, split_cells, true_runs
from .defect import DeltaPiece, PiecewiseInDelta, commuting_set, defect_in_delta
from .layers import CellAlgebra, apply_layer, common_refinement
from .edge_detection import EdgeDetection, edge_detected_set, figure1_layer
from .pixels import initial_cells, pixel_functions
from .predicates import SignCondition

__all__ = ["CellAlgebra", "common_refinement", "DeltaPiece", "PiecewiseInDelta", "commuting_set", "defect_in_delta", "EdgeDetection",
           "edge_detected_set", "figure1_layer",
           # the machinery: cells in delta, pixels as functions of delta, layers applied to them
           "DeltaCell", "split_cells", "merge_runs", "run_set", "runs_to_set", "true_runs",
           "polynomial_on_cell", "pixel_functions", "initial_cells", "apply_layer", "SignCondition"]
