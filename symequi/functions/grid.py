"""Exact grids: 1-D cells on an interval, and n-D products of them.

A :class:`Grid` splits ``[a, b]`` into ``n`` equal cells of width
``dx = (b - a)/n``; cell ``j`` (``j = 0 .. n-1``) is ``[a + j dx, a + (j+1) dx]``.
Endpoints may be rational or symbolic, and ``n`` may be a symbol (or an
expression such as ``L/dx``) for closed forms in a symbolic cell index.

Example
-------
>>> from symequi.functions.grid import Grid
>>> g = Grid(-1, 1, 4)
>>> g.dx, g.edges, g.centers
(1/2, (-1, -1/2, 0, 1/2, 1), (-3/4, -1/4, 1/4, 3/4))
>>> import sympy
>>> L, dx = sympy.symbols('L dx', positive=True)
>>> Grid(0, L, L / dx).dx
dx
>>> (Grid(-1, 1, 4) * Grid(0, 1, 2)).shape
(4, 2)
"""

from __future__ import annotations

import numbers
from typing import TYPE_CHECKING, Any

import sympy

from ..core.budget import time_budget
from ..core.limits import check_size
from ..core.errors import BudgetExceededError, InexactInputError, InvalidArgumentError
from ..core.exact import to_exact
from ..core.texts import brief

__all__ = ["Grid", "ProductGrid"]


def _simplified(expr: sympy.Expr, what: str) -> sympy.Expr:
    """``sympy.simplify(expr)`` under the default budget; ``expr`` itself if that runs out."""
    if expr.is_number:
        return expr
    try:
        with time_budget(None, what):
            return sympy.simplify(expr)
    except BudgetExceededError:
        return expr  # still exact, only less tidy


class _Axes:
    """What Grid and ProductGrid share: ``g * h`` is the product of their axes."""

    __slots__ = ()

    if TYPE_CHECKING:  # Grid provides a read-only property, ProductGrid a slot
        @property
        def axes(self) -> tuple[Grid, ...]: ...

    def __mul__(self, other: "Grid | ProductGrid") -> "ProductGrid":
        if not isinstance(other, (Grid, ProductGrid)):
            return NotImplemented
        return ProductGrid(*self.axes, *other.axes)


def cell_count(n: Any) -> sympy.Expr:
    if isinstance(n, numbers.Number) and not isinstance(n, (numbers.Rational, sympy.Basic)):
        raise InexactInputError(f"n={brief(n)} is an inexact {type(n).__name__}; the number of cells is a positive int such as 4")
    expr = to_exact(n, "n")
    if expr.is_number:
        if not expr.is_Integer:
            raise InvalidArgumentError(f"n={brief(n)} must be a positive integer (the number of cells)")
        if expr < 1:
            raise InvalidArgumentError(f"n={brief(n)} must be >= 1 (the number of cells)")
        check_size(int(expr), f"n={brief(expr, str)} (the number of cells)")
        return expr
    if expr.is_positive is False or expr.is_integer is False:
        raise InvalidArgumentError(
            f"n={brief(n)} cannot be a cell count: declare its symbols positive (and integer), "
            "e.g. sympy.Symbol('N', positive=True, integer=True)"
        )
    return expr


class Grid(_Axes):
    """``n`` equal cells on ``[a, b]``, exact.

    Parameters
    ----------
    a, b : exact numbers or sympy expressions, with ``a < b``
    n : positive int, or a sympy symbol/expression for a symbolic grid

    Attributes
    ----------
    a, b, n, dx, length
    edges, centers : tuples of length ``n+1`` and ``n`` (concrete ``n`` only)

    See Also
    --------
    ProductGrid : n-D grids, built with ``Grid(...) * Grid(...)``.

    Example
    -------
    >>> g = Grid(0, 1, 3)
    >>> g.cell(1)
    (1/3, 2/3)
    >>> j = sympy.Symbol('j', integer=True)
    >>> g.center(j)
    j/3 + 1/6
    """

    __slots__ = ("a", "b", "n", "dx")

    def __init__(self, a: Any, b: Any, n: Any) -> None:
        a_ = to_exact(a, "a")
        b_ = to_exact(b, "b")
        n_ = cell_count(n)
        width = _simplified(b_ - a_, "simplifying the grid length b - a")
        if width.is_positive is False:
            raise InvalidArgumentError(f"a={brief(a_, str)} and b={brief(b_, str)} must satisfy a < b (got b - a = {brief(width, str)}); "
                                       "pass the left endpoint first, e.g. Grid(0, 1, 4)")
        if width.is_number and not width.is_positive:
            raise InvalidArgumentError(
                f"a={brief(a_, str)} and b={brief(b_, str)} must satisfy a < b; pass the left endpoint first, e.g. Grid(0, 1, 4)"
            )
        self.a: sympy.Expr = a_
        self.b: sympy.Expr = b_
        self.n: sympy.Expr = n_
        self.dx: sympy.Expr = _simplified(width / n_, "simplifying the cell width (b - a)/n")

    @classmethod
    def from_spacing(cls, a: Any, dx: Any, n: Any) -> "Grid":
        """The grid of ``n`` cells of width ``dx`` starting at ``a``.

        >>> Grid.from_spacing(0, '1/4', 4).b
        1
        """
        a_ = to_exact(a, "a")
        dx_ = to_exact(dx, "dx")
        if dx_.is_positive is False:
            raise InvalidArgumentError(f"dx={brief(dx)} must be > 0 (the cell width), e.g. '1/4'")
        return cls(a_, a_ + dx_ * cell_count(n), n)

    # --- geometry --------------------------------------------------------------------
    @property
    def length(self) -> sympy.Expr:
        """``b - a``.

        >>> Grid(-1, 1, 4).length
        2
        """
        return self.b - self.a

    @property
    def is_symbolic(self) -> bool:
        """True when an endpoint or the cell count is not a number.

        >>> Grid(0, 1, sympy.Symbol('N', positive=True, integer=True)).is_symbolic
        True
        """
        return not (self.a.is_number and self.b.is_number and self.n.is_Integer)

    @property
    def size(self) -> int:
        """The number of cells, as an int (concrete grids only).

        >>> Grid(0, 1, 4).size
        4
        """
        if not self.n.is_Integer:
            raise InvalidArgumentError(
                f"this grid has a symbolic cell count n={brief(self.n, str)}; use edge(j)/center(j) "
                "with a symbolic j, or build a grid with an integer n"
            )
        return int(self.n)

    def edge(self, j: Any) -> sympy.Expr:
        """Left edge of cell ``j`` (``j`` may be symbolic): ``a + j dx``.

        >>> Grid(0, 1, 4).edge(3)
        3/4
        """
        return self.a + to_exact(j, "j") * self.dx

    def center(self, j: Any) -> sympy.Expr:
        """Center of cell ``j``: ``a + (j + 1/2) dx``.

        >>> Grid(0, 1, 4).center(0)
        1/8
        """
        return self.a + (to_exact(j, "j") + sympy.Rational(1, 2)) * self.dx

    def cell(self, j: Any) -> tuple[sympy.Expr, sympy.Expr]:
        """The interval ``(left, right)`` of cell ``j``.

        >>> Grid(-1, 1, 4).cell(2)
        (0, 1/2)
        """
        return self.edge(j), self.edge(to_exact(j, "j") + 1)

    @property
    def edges(self) -> tuple[sympy.Expr, ...]:
        """All ``n + 1`` cell edges, left to right.

        >>> Grid(0, 1, 2).edges
        (0, 1/2, 1)
        """
        return tuple(self.edge(j) for j in range(self.size + 1))

    @property
    def centers(self) -> tuple[sympy.Expr, ...]:
        """All ``n`` cell centers, left to right.

        >>> Grid(0, 1, 2).centers
        (1/4, 3/4)
        """
        return tuple(self.center(j) for j in range(self.size))

    @property
    def shape(self) -> tuple[int]:
        """``(n,)``: the shape of a signal on this grid.

        >>> Grid(0, 1, 3).shape
        (3,)
        """
        return (self.size,)

    @property
    def axes(self) -> tuple["Grid", ...]:
        """``(self,)``: the 1-D grids this grid is a product of.

        >>> Grid(0, 1, 3).axes
        (Grid(0, 1, 3),)
        """
        return (self,)

    @property
    def ndim(self) -> int:
        """1: a Grid has one axis."""
        return 1

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Grid):
            return NotImplemented
        return (self.a, self.b, self.n) == (other.a, other.b, other.n)

    def __hash__(self) -> int:
        return hash((Grid, self.a, self.b, self.n))

    def __repr__(self) -> str:
        return f"Grid({brief(self.a, str)}, {brief(self.b, str)}, {brief(self.n, str)})"


class ProductGrid(_Axes):
    """The product of 1-D grids: cells are rectangles (boxes in n-D).

    Axis ``k`` of a signal on the grid runs along ``axes[k]``; for 2-D the
    first index is along ``x`` and the second along ``y``.

    Example
    -------
    >>> g = ProductGrid(Grid(0, 1, 2), Grid(0, 2, 1))
    >>> g.shape, g.dx
    ((2, 1), (1/2, 2))
    >>> g.cell((1, 0))
    ((1/2, 1), (0, 2))
    """

    __slots__ = ("axes",)

    def __init__(self, *axes: Grid) -> None:
        if len(axes) < 1 or not all(isinstance(g, Grid) for g in axes):
            raise InvalidArgumentError(f"axes={brief(axes)} must be one or more symequi.Grid objects")
        self.axes: tuple[Grid, ...] = tuple(axes)

    @property
    def ndim(self) -> int:
        """The number of axes."""
        return len(self.axes)

    @property
    def shape(self) -> tuple[int, ...]:
        """The number of cells along each axis (concrete grids only)."""
        return tuple(g.size for g in self.axes)

    @property
    def dx(self) -> tuple[sympy.Expr, ...]:
        """The cell width along each axis."""
        return tuple(g.dx for g in self.axes)

    @property
    def is_symbolic(self) -> bool:
        """True when some axis is symbolic."""
        return any(g.is_symbolic for g in self.axes)

    def cell(self, index: tuple[Any, ...]) -> tuple[tuple[sympy.Expr, sympy.Expr], ...]:
        """The box of the cell with multi-index ``index``: one interval per axis.

        >>> (Grid(0, 1, 2) * Grid(0, 1, 4)).cell((1, 3))
        ((1/2, 1), (3/4, 1))
        """
        self._check_index(index)
        return tuple(g.cell(j) for g, j in zip(self.axes, index))

    def center(self, index: tuple[Any, ...]) -> tuple[sympy.Expr, ...]:
        """The center of the cell with multi-index ``index``.

        >>> (Grid(0, 1, 2) * Grid(0, 1, 4)).center((0, 0))
        (1/4, 1/8)
        """
        self._check_index(index)
        return tuple(g.center(j) for g, j in zip(self.axes, index))

    def _check_index(self, index: Any) -> None:
        if not isinstance(index, (tuple, list)) or len(index) != self.ndim:
            raise InvalidArgumentError(
                f"index={brief(index)} must be a tuple of {brief(self.ndim, str)} cell indices, one per axis, "
                f"e.g. {brief(tuple(range(self.ndim)), str)}"
            )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ProductGrid):
            return NotImplemented
        return self.axes == other.axes

    def __hash__(self) -> int:
        return hash((ProductGrid, self.axes))

    def __repr__(self) -> str:
        return " * ".join(brief(g) for g in self.axes)
