"""Where an edge detector reports an edge, exactly, for every translation delta.

The paper's Figure 1 edge detector (:func:`figure1_layer`: ``C_j = 2 b_{j+1} -
2 b_j``, bias -1, ReLU) applied to the cell averages of ``H(x - delta)``
reports an edge for some translations and misses it for others (at
``delta = dx/2``).  :func:`edge_detected_set` computes, with
:func:`~symequi.delta.defect.defect_in_delta`, the exact sets of delta where some
output entry is positive (an edge is reported), where none is, and which
output index fires.

Example
-------
>>> result = edge_detected_set()
>>> result.undetected
Union({1/4}, Interval(3/4, 1))
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import sympy

from ..layers.activations import Bias, ReLU
from ..functions.continuous import heaviside, x
from ..layers.convolution import Convolution
from .defect import PiecewiseInDelta, defect_in_delta
from ..functions.discretize import Discretization
from ..functions.grid import Grid
from ..core.types import Padding
from ..core.operator import Operator, Sequential, unravel_index
from ..core.texts import brief_latex

__all__ = ["figure1_layer", "EdgeDetection", "edge_detected_set"]


def figure1_layer(*, origin: int = -1, padding: Padding = "zeros") -> Sequential:
    """The paper's Figure 1 edge detector: ``C_j = 2 b_{j+1} - 2 b_j`` (convolution, kernel
    ``[2, -2]`` with origin -1, zero padding), bias -1, ReLU.

    This is the one place the layer is built.  ``origin`` selects the other
    kernel-origin convention (``origin=0``: ``C_j = 2 b_j - 2 b_{j-1}``) and
    ``padding`` the boundary handling (e.g. ``"periodic"``), as in
    :class:`~symequi.layers.convolution.Convolution`.

    >>> figure1_layer()([0, 0, 1, 1])
    Signal([0, 1, 0, 0])
    >>> figure1_layer(origin=0)([0, 0, 1, 1]), figure1_layer(padding="periodic")([1, 0, 0, 1])
    (Signal([0, 0, 1, 0]), Signal([0, 0, 1, 0]))
    """
    return Sequential(Convolution([2, -2], origin=origin, padding=padding), Bias(-1), ReLU())


@dataclass(frozen=True)
class EdgeDetection:
    """Where an edge detector reports an edge, exactly.

    Attributes: ``detected`` (delta where some output entry is > 0),
    ``undetected`` (delta where every entry is <= 0), ``by_index`` (output
    index -> delta where that entry is > 0; every index listed), ``family``
    (the :class:`PiecewiseInDelta`).  Built by :func:`edge_detected_set`.

    >>> print(edge_detected_set().text())  # doctest: +ELLIPSIS
    out(delta) = Sequential(...) applied to CellAverage(Grid(-1, 1, 4)) of f(x - delta), ...
    delta in Interval(0, 1):
      edge reported for delta in Union(Interval.Ropen(0, 1/4), Interval.open(1/4, 3/4))
        at output index 1: delta in Interval.Ropen(0, 1/4)
        at output index 2: delta in Interval.open(1/4, 3/4)
      no edge reported for delta in Union({1/4}, Interval(3/4, 1))
    """

    detected: sympy.Set
    undetected: sympy.Set
    by_index: dict
    family: PiecewiseInDelta

    def text(self) -> str:
        """Plain-text report."""
        lines = [self.family.what, f"delta in {self.family.delta_interval}:",
                 f"  edge reported for delta in {self.detected}"]
        for index, where in self.by_index.items():
            if where != sympy.EmptySet:
                lines.append(f"    at output index {index}: delta in {where}")
        lines.append(f"  no edge reported for delta in {self.undetected}")
        return "\n".join(lines)

    def latex(self) -> str:
        """LaTeX report (an align* body)."""
        rows = [rf"\text{{edge reported}}: &\ \delta \in {brief_latex(self.detected)}"]
        for index, where in self.by_index.items():
            if where != sympy.EmptySet:
                rows.append(rf"\text{{at output index }} {index}: &\ \delta \in {brief_latex(where)}")
        rows.append(rf"\text{{no edge}}: &\ \delta \in {brief_latex(self.undetected)}")
        return r" \\ ".join(rows)


def edge_detected_set(layer: Operator | None = None, f: Any = None, grid: Grid | None = None, *,
                      delta_interval: Any = None, discretization: Discretization | None = None,
                      budget: float | None = None) -> EdgeDetection:
    """The exact set of delta for which the detector reports an edge (some output > 0), and where.

    Defaults are the paper's Figure 1: ``layer`` = :func:`figure1_layer`,
    ``f = heaviside(x)``, ``grid = Grid(-1, 1, 4)`` (``dx = 1/2``), cell
    averages, ``delta_interval = (0, 2 dx)``.

    >>> result = edge_detected_set()
    >>> result.detected
    Union(Interval.Ropen(0, 1/4), Interval.open(1/4, 3/4))
    >>> result.undetected
    Union({1/4}, Interval(3/4, 1))
    >>> result.by_index[1], result.by_index[2]
    (Interval.Ropen(0, 1/4), Interval.open(1/4, 3/4))
    """
    layer = figure1_layer() if layer is None else layer
    f = heaviside(x) if f is None else f
    if grid is None and discretization is None:
        grid = Grid(-1, 1, 4)
    if delta_interval is None:
        if grid is None:
            assert discretization is not None  # grid got its default above when both were None
            grid_for_dx = discretization.grid
        else:
            grid_for_dx = grid
        dx = grid_for_dx.dx
        delta_interval = (0, 2 * dx)
    family = defect_in_delta(layer, f, grid, delta_interval=delta_interval, discretization=discretization,
                             budget=budget)
    size = math.prod(family.shape)
    indices = [unravel_index(i, family.shape) if len(family.shape) > 1 else i for i in range(size)]
    by_index = {i: family.positive_set(i) for i in indices}
    detected = family.where(lambda out: sympy.Or(*[e > 0 for e in out.flat_exprs()]))
    undetected = family.where(lambda out: sympy.And(*[e <= 0 for e in out.flat_exprs()]))
    return EdgeDetection(detected, undetected, by_index, family)
