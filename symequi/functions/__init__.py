"""Continuous functions and their discretizations: the left column of every square.

Functions of ``x`` (and ``y``) are sympy expressions, with :func:`heaviside`
(H(0) = 0, as in the paper) and :func:`translate` (``f(x - delta)``: the graph
moves right); :class:`Grid` / :class:`ProductGrid` are exact cell grids;
:class:`PiecewisePolynomial` is the exact representation cell averages work
on; the discretizations :class:`CellAverage`, :class:`CellIntegral` and
:class:`PointSample` map a function to a :class:`~symequi.core.signal.Signal`;
the function classes (:class:`Polynomials`, :class:`TrigPolynomials`,
:class:`Span`, :class:`PiecewiseConstant`) are the finite-dimensional inputs of
the discretization square.

Example
-------
>>> from symequi.functions import CellAverage, Grid, heaviside, translate, x
>>> D = CellAverage(Grid(-1, 1, 4))
>>> D(heaviside(x)), D(translate(heaviside(x), '1/4'))
(Signal([0, 0, 1, 1]), Signal([0, 0, 1/2, 1]))
"""

from .certify import cell_enclosure, certify_integral, check_closed_form
from .continuous import TRANSLATE_CONVENTION, as_function, heaviside, translate, x, y
from .discretize import CellAverage, CellIntegral, Discretization, PointSample
from .function_classes import FunctionClass, PiecewiseConstant, Polynomials, Span, TrigPolynomials
from .grid import Grid, ProductGrid
from .piecewise import PiecewisePolynomial, check_heaviside

__all__ = [
    "cell_enclosure", "certify_integral", "check_closed_form",
    "x", "y", "heaviside", "translate", "as_function", "TRANSLATE_CONVENTION",
    "Grid", "ProductGrid", "PiecewisePolynomial", "check_heaviside",
    "Discretization", "CellAverage", "CellIntegral", "PointSample",
    "FunctionClass", "Polynomials", "TrigPolynomials", "Span", "PiecewiseConstant",
]
