"""Exact discretizations D^h: continuous functions to Signals on a grid.

* :class:`CellAverage`: ``u_j = (1/dx) * integral of f over cell j`` (the
  average; averages divide by the cell width).
* :class:`CellIntegral`: the paper's eq. (7) as printed, without ``1/dx``;
  the paper's closed form is the average, so this class exists to show the
  erratum (``CellIntegral = dx * CellAverage``).
* :class:`PointSample`: ``u_j = f(a + (j + theta) dx)`` with ``theta`` = 1/2
  (centers), 0 (left edges), 1 (right edges) or any rational in ``[0, 1]``;
  at a jump the stored value of the function is used (``H(0) = 0``).

Rational piecewise polynomials (polynomials, steps, ``Piecewise`` with
rational breakpoints) take an exact python-flint fast path that integrates
once and visits every cell once: ``O(N + m)`` for ``N`` cells and ``m``
breakpoints.  Other functions first try one antiderivative ``F`` for the
whole grid, used as ``F(right) - F(left)`` per cell (``F`` evaluated once at
each of the ``N + 1`` edges) only when that is provably right: ``F`` is a
closed form, ``F' - f`` is exactly zero, and sympy proves ``F`` continuous on
all of ``[a, b]`` (an antiderivative with jumps, such as the ``atan`` one of
``1/(2 + cos x)``, is not used).  Otherwise ``sympy.integrate`` runs cell by
cell; a cell sympy cannot integrate, or where the integrand has a
non-integrable singularity (1/x at 0; log x at 0 is integrable and gives its
exact average), raises :class:`~symequi.core.errors.IntegrationError` naming the cell.

Budgets: every call (and every :meth:`~Discretization.closed_form`) runs
under one overall time budget -- the discretization's ``budget``, by default
the global one (:func:`~symequi.core.budget.set_time_budget`) -- and each symbolic
step inside it under its own budget, which never outlives the overall one.
When the overall budget runs out, :class:`~symequi.core.errors.BudgetExceededError`
names the discretization and how many cells were done.

Each discretization also gives the value of cell ``j`` as a closed form in a
symbolic index (:meth:`Discretization.closed_form`), on symbolic grids too.

Example
-------
>>> import sympy
>>> from symequi.functions.grid import Grid
>>> from symequi.functions.continuous import x, heaviside, translate
>>> grid = Grid(-1, 1, 4)
>>> CellAverage(grid)(heaviside(x))
Signal([0, 0, 1, 1])
>>> CellAverage(grid)(translate(heaviside(x), grid.dx / 2))
Signal([0, 0, 1/2, 1])
>>> CellIntegral(grid)(heaviside(x))
Signal([0, 0, 1/2, 1/2])
>>> PointSample(grid, at="left")(heaviside(x))
Signal([0, 0, 0, 1])
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import random
import time
from collections.abc import Callable, Iterator
from typing import Any

import sympy
from sympy.calculus.util import continuous_domain

from ..core.budget import check_budget, get_time_budget, time_budget
from .certify import antiderivatives, certify_integral, check_closed_form, singular_points
from .continuous import as_function, x, y
from ..core.errors import BudgetExceededError, IntegrationError, InvalidArgumentError
from ..core.exact import node_kinds, to_exact, to_rational
from .grid import Grid, ProductGrid
from .piecewise import PiecewisePolynomial, check_heaviside
from .sympy_integrals import IntegrationFailed, integral
from ..core.signal import Signal
from ..core.texescape import Phrase
from ..core.zero import sample_value, satisfies_flags, is_zero
from ..core.texts import brief, brief_latex

__all__ = ["Discretization", "CellAverage", "CellIntegral", "PointSample"]

_VARS = (x, y)
_BAD = (sympy.oo, -sympy.oo, sympy.zoo, sympy.nan)
#: Longest ``f`` (in characters) quoted in a budget message.
_SHOWN = 60



def _grid_latex(grid: Grid | ProductGrid) -> str:
    r"""A grid as LaTeX math: ``\mathrm{Grid}(0, 1, 4)``, a product grid joined by ``\times``."""
    axes = grid.axes if isinstance(grid, ProductGrid) else (grid,)
    return r" \times ".join(r"\mathrm{Grid}(" + ", ".join(brief_latex(v) for v in (g.a, g.b, g.n)) + ")"
                            for g in axes)

class _Run:
    """One call of a discretization: its overall budget, and how many cell values are done."""

    __slots__ = ("what", "seconds", "start", "done", "total")

    def __init__(self, what: Callable[[], str], seconds: float, total: int) -> None:
        self.what = what
        self.seconds = seconds
        self.start = time.monotonic()
        self.done = 0
        self.total = total

    def share(self, fraction: float = 0.5) -> float:
        """A budget for an optional step: ``fraction`` of what is left of the overall budget."""
        return max(fraction * (self.seconds - (time.monotonic() - self.start)), 1e-6)


class Discretization:
    """Base class: maps a continuous function (sympy expression in ``x``, or ``x, y``) to a Signal.

    Not an :class:`~symequi.core.operator.Operator` (those map signals to
    signals).  Subclasses implement the 1-D rules; n-D grids are handled as
    tensor products (separable terms) with a sympy fallback.

    Parameters
    ----------
    grid : Grid (1-D) or ProductGrid (2-D)
    budget : seconds (None: the default budget, :func:`~symequi.core.budget.set_time_budget`)
        for a whole call -- all cells -- and for each symbolic step inside it; when
        it runs out, BudgetExceededError says how many cells were done

    See Also
    --------
    CellAverage, CellIntegral, PointSample

    Example
    -------
    >>> from symequi.functions.grid import Grid
    >>> CellAverage(Grid(0, 1, 2))(x)
    Signal([1/4, 3/4])

    One budget covers the whole call, however many cells:

    >>> import sympy
    >>> from symequi.core.errors import BudgetExceededError
    >>> try:
    ...     CellAverage(Grid(0, 1, 10**5), budget=0.05)(sympy.sin(x))
    ... except BudgetExceededError as err:
    ...     print(err.what[:51])
    CellAverage(Grid(0, 1, 100000)) applied to f=sin(x)
    """

    #: True for the integral-based rules (a measure-zero change of f does not matter).
    _integrates = True

    def __init__(self, grid: Grid | ProductGrid, *, budget: float | None = None) -> None:
        if isinstance(grid, ProductGrid) and grid.ndim == 1:
            grid = grid.axes[0]
        if not isinstance(grid, (Grid, ProductGrid)):
            raise InvalidArgumentError(
                f"grid={brief(grid)} must be a symequi.Grid or ProductGrid (e.g. Grid(-1, 1, 4))"
            )
        if grid.ndim > 2:
            raise InvalidArgumentError(
                f"grid={brief(grid)} is {brief(grid.ndim, str)}-D; discretizations support 1-D and 2-D grids (x, y)"
            )
        self.grid = grid
        self.budget = check_budget(budget, "budget")

    # --- public API ---------------------------------------------------------------------
    @property
    def shape(self) -> tuple[int, ...]:
        """The shape of the output signal.

        >>> from symequi.functions.grid import Grid
        >>> PointSample(Grid(0, 1, 2) * Grid(0, 1, 3)).shape
        (2, 3)
        """
        return self.grid.shape

    @property
    def variables(self) -> tuple[sympy.Symbol, ...]:
        """The coordinates the function is in: ``(x,)`` or ``(x, y)``.

        >>> from symequi.functions.grid import Grid
        >>> CellAverage(Grid(0, 1, 2) * Grid(0, 1, 2)).variables
        (x, y)
        """
        return _VARS[: self.grid.ndim]

    def __call__(self, f: Any) -> Signal:
        expr = self._function(f)
        if self.grid.is_symbolic:
            raise InvalidArgumentError(
                f"grid={brief(self.grid)} is symbolic, so it has no finite list of cells; use "
                f"{type(self).__name__}(grid).closed_form(f) for the value of cell j as an "
                "expression in the cell index, or build a grid with numbers"
            )
        grid = self.grid
        if isinstance(grid, Grid):  # 1-D (a 1-D ProductGrid became its axis in __init__)
            with self._overall(expr, grid.size, calling=True) as run:
                return self._axis_signal(expr, x, grid, run)
        gx, gy = grid.axes
        with self._overall(expr, gx.size * gy.size, calling=True) as run:
            terms = _separate(expr, x, y, self._integrates)
            if terms is not None:  # one 1-D signal per axis and term
                run.total = len(terms) * (gx.size + gy.size)
            return self._signal_2d(expr, terms, run)

    def closed_form(self, f: Any, j: Any = None) -> sympy.Expr:
        """The value of cell ``j`` as an expression in a symbolic integer index.

        1-D: ``j`` defaults to ``Symbol('j', integer=True)``; 2-D: pass
        ``j=(i, j)`` (default ``Symbol('i', integer=True), Symbol('j', integer=True)``).
        Works on symbolic grids.

        >>> from symequi.functions.grid import Grid
        >>> CellAverage(Grid(0, 1, 4)).closed_form(x)
        j/4 + 1/8
        """
        expr = self._function(f)
        grid = self.grid
        if isinstance(grid, Grid):  # 1-D (a 1-D ProductGrid became its axis in __init__)
            index = sympy.Symbol("j", integer=True) if j is None else _index(j, "j")
            with self._overall(expr, 1, calling=False) as run:
                return self._axis_closed(expr, x, grid, index, run)
        if j is None:
            idx = (sympy.Symbol("i", integer=True), sympy.Symbol("j", integer=True))
        elif isinstance(j, (tuple, list)) and len(j) == 2:
            idx = (_index(j[0], "j[0]"), _index(j[1], "j[1]"))
        else:
            raise InvalidArgumentError(f"j={brief(j)} must be a pair (i, j) of cell indices for a 2-D grid")
        gx, gy = self.grid.axes
        with self._overall(expr, 1, calling=False) as run:
            terms = _separate(expr, x, y, self._integrates)
            if terms is None:
                return self._closed_2d(expr, idx)
            total = sympy.Integer(0)
            for fx, fy in terms:
                total += self._axis_closed(fx, x, gx, idx[0], run) * self._axis_closed(fy, y, gy, idx[1], run)
            return total

    def conventions(self) -> tuple[str, ...]:
        """The conventions of this discretization, in words.

        >>> from symequi.functions.grid import Grid
        >>> CellAverage(Grid(0, 1, 2)).conventions()[1]
        'cells [a + j dx, a + (j+1) dx], j = 0..n-1, on Grid(0, 1, 2)'
        """
        return (
            Phrase(f"cells [a + j dx, a + (j+1) dx], j = 0..n-1, on {self.grid!r}",
                   r"cells $[a + j\,\Delta x, a + (j+1)\,\Delta x]$, $j = 0, \dots, n-1$, on "
                   "$" + _grid_latex(self.grid) + "$"),
            Phrase("Heaviside H(0) = 0 (the paper's convention)", "Heaviside $H(0) = 0$ (the paper's convention)"),
        )

    def describe(self) -> str:
        """A one-line description.

        >>> from symequi.functions.grid import Grid
        >>> CellIntegral(Grid(0, 1, 2)).describe()
        'CellIntegral(Grid(0, 1, 2))'
        """
        return f"{type(self).__name__}({brief(self.grid)})"

    def latex(self) -> str:  # pragma: no cover - overridden
        """The rule as a LaTeX formula (each subclass gives its own)."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return self.describe()

    # --- hooks for subclasses -----------------------------------------------------------
    def _axis_signal(self, f: sympy.Expr, var: sympy.Symbol, grid: Grid, run: _Run) -> Signal:
        """The 1-D signal of ``f`` on ``grid``; adds each finished cell to ``run.done``."""
        raise NotImplementedError

    def _axis_closed(self, f: sympy.Expr, var: sympy.Symbol, grid: Grid, j: sympy.Expr,
                     run: _Run) -> sympy.Expr:
        raise NotImplementedError

    def _cell_2d(self, f: sympy.Expr, i: int, j: int) -> sympy.Expr:
        raise NotImplementedError

    def _closed_2d(self, f: sympy.Expr, idx: tuple[sympy.Expr, sympy.Expr]) -> sympy.Expr:
        raise NotImplementedError

    # --- shared machinery ---------------------------------------------------------------
    def _function(self, f: Any) -> sympy.Expr:
        expr = as_function(f, "f")
        check_heaviside(expr, "f")
        if self.grid.ndim == 1 and y in node_kinds(expr).symbols and y in expr.free_symbols:
            raise InvalidArgumentError(
                f"f={brief(expr, str)} depends on y, the second coordinate, but {brief(self.grid)} is 1-D; "
                "discretize it on a 2-D grid (Grid(...) * Grid(...)), or use a symbol of your own "
                "for a parameter, e.g. sympy.Symbol('a')"
            )
        return expr

    @contextlib.contextmanager
    def _overall(self, f: sympy.Expr, total: int, *, calling: bool) -> Iterator[_Run]:
        """The overall budget of one call (``calling``) or one closed form: on running out,
        BudgetExceededError naming this discretization, the cells done and the fixes."""
        @functools.cache
        def action() -> str:  # built only for an error: str(f) of a long sum costs seconds
            text = str(f)
            shown = text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."
            return f"{self.describe()} applied to f={shown}" if calling else \
                f"{self.describe()}.closed_form(f) for f={shown}"

        seconds = get_time_budget() if self.budget is None else self.budget
        run = _Run(action, seconds, total)
        try:
            with time_budget(seconds, action):
                yield run
        except BudgetExceededError as err:
            if err.what != action():  # a budget around this call ran out first: its error stands
                raise
            if calling:
                report = (f"{brief(action(), str)} ({brief(run.done, str)} of {brief(run.total, str)} cell values done; "
                          f"{type(self).__name__}(grid).closed_form(f) gives cell j as one formula, "
                          "quick for any number of cells)")
            else:
                report = f"{brief(action(), str)} (the value of one cell as an expression in its index j)"
            raise BudgetExceededError(report, err.seconds) from err

    def _signal_2d(self, f: sympy.Expr, terms: list[tuple[sympy.Expr, sympy.Expr]] | None,
                   run: _Run) -> Signal:
        gx, gy = self.grid.axes
        if terms is None:
            values = []
            for i in range(gx.size):
                for j in range(gy.size):
                    values.append(self._cell_2d(f, i, j))
                    run.done += 1
            return Signal.from_exprs(values, self.grid.shape)
        total = Signal.zeros(self.grid.shape)
        for fx, fy in terms:
            total = total + _outer(self._axis_signal(fx, x, gx, run), self._axis_signal(fy, y, gy, run))
        return total


class CellAverage(Discretization):
    """Cell averages: ``u_j = (1/dx) * integral of f over [a + j dx, a + (j+1) dx]``.

    2-D: ``u_ij = (1/(dx dy)) * integral over the rectangle``.

    >>> from symequi.functions.grid import Grid
    >>> from symequi.functions.continuous import heaviside
    >>> CellAverage(Grid(-1, 1, 4))(heaviside(x))
    Signal([0, 0, 1, 1])
    >>> CellAverage(Grid(0, 1, 2) * Grid(0, 1, 2))(x * y)
    Signal([[1/16, 3/16], [3/16, 9/16]])
    """

    #: divide each cell integral by the cell width (False for CellIntegral)
    _normalize = True

    def _axis_signal(self, f: sympy.Expr, var: sympy.Symbol, grid: Grid, run: _Run) -> Signal:
        n = grid.size
        if grid.a.is_Rational and grid.dx.is_Rational:
            pp = PiecewisePolynomial.from_expr(f, var)
            if pp is not None:
                sig = Signal.from_fmpqs(pp.uniform_cell_averages(grid.a, grid.dx, n), (n,))
                run.done += n
                return sig if self._normalize else sig * grid.dx
        scale = 1 / grid.dx if self._normalize else sympy.Integer(1)
        antiderivative = _antiderivative(f, var, grid, run)
        if antiderivative is not None:
            values = _edge_differences(antiderivative * scale, var, grid, run)
            if values is not None:
                found: list[list[sympy.Expr]] = []

                def singular() -> list[sympy.Expr]:  # located once, only if a cell needs them
                    if not found:
                        found.append(_singular_points(f, var, grid, self.budget))
                    return found[0]

                certified = [certify_integral(v, f, [(var, *grid.cell(j))], cell=_cell_name(grid, j),
                                              scale=scale, singular=singular, antiderivative=antiderivative)
                             for j, v in enumerate(values)]
                return Signal.from_exprs(certified, (n,))
        points = _singular_points(f, var, grid, self.budget)
        values = []
        for j in range(n):
            values.append(_cell_integral(f, var, grid, j, points, self.budget) * scale)
            run.done += 1
        return Signal.from_exprs(values, (n,))

    def _cell_2d(self, f: sympy.Expr, i: int, j: int) -> sympy.Expr:
        (a, b), (c, d) = self.grid.cell((i, j))
        what = f"integrating f over cell ({i}, {j}) = [{a}, {b}] x [{c}, {d}]"
        cell = f"cell ({i}, {j}) = [{a}, {b}] x [{c}, {d}]"
        value = _run_integral(f, [(y, c, d), (x, a, b)], what, cell, self.budget)
        value = certify_integral(value, f, [(y, c, d), (x, a, b)], cell=cell)
        dx, dy = self.grid.dx
        return value / (dx * dy) if self._normalize else value

    def _axis_closed(self, f: sympy.Expr, var: sympy.Symbol, grid: Grid, j: sympy.Expr,
                     run: _Run) -> sympy.Expr:
        return _closed_cell(f, var, grid, j, self._normalize, self.budget, run)

    def _closed_2d(self, f: sympy.Expr, idx: tuple[sympy.Expr, sympy.Expr]) -> sympy.Expr:
        (a, b), (c, d) = self.grid.cell(idx)
        cell = f"cell ({brief(idx[0], str)}, {brief(idx[1], str)}) = [{brief(a, str)}, {brief(b, str)}] x [{brief(c, str)}, {brief(d, str)}]"
        value = _run_integral(f, [(y, c, d), (x, a, b)], f"integrating f over {cell}", cell, self.budget)
        dx, dy = self.grid.dx
        form = value / (dx * dy) if self._normalize else value
        _check_closed(form, f, [(self.grid.axes[0], idx[0], x), (self.grid.axes[1], idx[1], y)],
                      self._normalize, f"{brief(self.describe(), str)}.closed_form(f) for f={brief(f, str)}")
        return form

    def conventions(self) -> tuple[str, ...]:
        """The averaging rule (with or without ``1/dx``), then the grid's conventions."""
        rule = (
            Phrase("cell average u_j = (1/dx) * integral of f over cell j (divides by the cell width)",
                   r"cell average $u_j = \frac{1}{\Delta x}\int_{\text{cell } j} f(x)\,dx$ (divides by the cell width)")
            if self._normalize
            else Phrase("cell integral u_j = integral of f over cell j, no 1/dx (the paper's eq. (7) as "
                        "printed; its closed form is the average: an erratum)",
                        r"cell integral $u_j = \int_{\text{cell } j} f(x)\,dx$, no $1/\Delta x$ (the paper's eq.~(7) as "
                        "printed; its closed form is the average: an erratum)")
        )
        return (rule,) + super().conventions()

    def latex(self) -> str:
        r"""The rule in LaTeX.

        >>> from symequi.functions.grid import Grid
        >>> CellAverage(Grid(0, 1, 2)).latex()
        'u_j = \\frac{1}{\\Delta x}\\int_{x_j}^{x_{j+1}} f(x)\\,dx'
        """
        if self.grid.ndim == 2:
            body = r"\int_{x_i}^{x_{i+1}}\int_{y_j}^{y_{j+1}} f(x, y)\,dy\,dx"
            return (r"u_{ij} = \frac{1}{\Delta x\,\Delta y}" if self._normalize else r"u_{ij} = ") + body
        body = r"\int_{x_j}^{x_{j+1}} f(x)\,dx"
        return (r"u_j = \frac{1}{\Delta x}" if self._normalize else r"u_j = ") + body


class CellIntegral(CellAverage):
    """The paper's eq. (7) as printed: ``u_j = integral of f over cell j`` (no ``1/dx``).

    The paper's closed form for eq. (7) is the cell *average*; this class
    shows the erratum: ``CellIntegral(grid)(f) == grid.dx * CellAverage(grid)(f)``.

    >>> from symequi.functions.grid import Grid
    >>> CellIntegral(Grid(0, 2, 2))(x)
    Signal([1/2, 3/2])
    """

    _normalize = False


class PointSample(Discretization):
    """Point samples ``u_j = f(a + (j + theta) dx)``.

    Parameters
    ----------
    grid : Grid or ProductGrid
    at : ``"centers"`` (theta = 1/2), ``"left"`` (0), ``"right"`` (1), or a
        rational fraction of the cell in ``[0, 1]`` (e.g. ``'1/4'``); the same
        fraction is used along every axis.

    At a jump the function's own value is taken: ``heaviside`` gives 0 at 0.

    >>> from symequi.functions.grid import Grid
    >>> from symequi.functions.continuous import heaviside
    >>> PointSample(Grid(-1, 1, 4), at="right")(heaviside(x))
    Signal([0, 0, 1, 1])
    >>> PointSample(Grid(-1, 1, 4))(x**2)
    Signal([9/16, 1/16, 1/16, 9/16])
    """

    _integrates = False
    _NAMED = {"centers": sympy.Rational(1, 2), "center": sympy.Rational(1, 2),
              "left": sympy.Integer(0), "right": sympy.Integer(1)}

    def __init__(self, grid: Grid | ProductGrid, at: Any = "centers", *, budget: float | None = None) -> None:
        super().__init__(grid, budget=budget)
        if isinstance(at, str) and at in self._NAMED:
            theta = self._NAMED[at]
        else:
            try:
                theta = to_rational(at, "at")
            except InvalidArgumentError as err:
                raise InvalidArgumentError(
                    f"at={brief(at)} must be 'centers', 'left', 'right' or a rational fraction of the "
                    "cell in [0, 1] such as '1/4'"
                ) from err
            if not 0 <= theta <= 1:
                raise InvalidArgumentError(f"at={brief(at)} must lie in [0, 1] (a fraction of the cell)")
        self.at = theta

    def _point(self, grid: Grid, j: Any) -> sympy.Expr:
        return grid.a + (j + self.at) * grid.dx

    def _axis_signal(self, f: sympy.Expr, var: sympy.Symbol, grid: Grid, run: _Run) -> Signal:
        n = grid.size
        if grid.a.is_Rational and grid.dx.is_Rational:
            pp = PiecewisePolynomial.from_expr(f, var)
            if pp is not None:
                start = grid.a + self.at * grid.dx
                run.done += n
                return Signal.from_fmpqs(pp.uniform_samples(start, grid.dx, n), (n,))
        values = []
        for j in range(n):
            point = self._point(grid, j)
            values.append(_sample(f, {var: point}, f"cell {j} (sample point {var} = {point})", self.budget))
            run.done += 1
        return Signal.from_exprs(values, (n,))

    def _cell_2d(self, f: sympy.Expr, i: int, j: int) -> sympy.Expr:
        gx, gy = self.grid.axes
        px, py = self._point(gx, i), self._point(gy, j)
        return _sample(f, {x: px, y: py}, f"cell ({i}, {j}) (sample point x = {px}, y = {py})", self.budget)

    def _axis_closed(self, f: sympy.Expr, var: sympy.Symbol, grid: Grid, j: sympy.Expr,
                     run: _Run) -> sympy.Expr:
        return f.subs(var, self._point(grid, j))

    def _closed_2d(self, f: sympy.Expr, idx: tuple[sympy.Expr, sympy.Expr]) -> sympy.Expr:
        gx, gy = self.grid.axes
        return f.subs({x: self._point(gx, idx[0]), y: self._point(gy, idx[1])}, simultaneous=True)

    def conventions(self) -> tuple[str, ...]:
        """The sample point, then the grid's conventions."""
        where = {sympy.Rational(1, 2): "the cell centers", 0: "the left cell edges", 1: "the right cell edges"}
        text = where.get(self.at, f"the fraction {self.at} of each cell")
        return (Phrase(f"point sample u_j = f(a + (j + {self.at}) dx), at {text}",
                       f"point sample $u_j = f(a + (j + {brief_latex(self.at)})\\,\\Delta x)$, at "
                       + (text if self.at in where else f"the fraction ${brief_latex(self.at)}$ of each cell")),
                ) + super().conventions()

    def describe(self) -> str:
        """One line: the grid and the sample point.

        >>> from symequi.functions.grid import Grid
        >>> PointSample(Grid(0, 1, 2), at="left").describe()
        'PointSample(Grid(0, 1, 2), at=0)'
        """
        return f"PointSample({brief(self.grid)}, at={brief(self.at, str)})"

    def latex(self) -> str:
        """The rule in LaTeX, e.g. ``u_j = f(x_0 + (j + 1/2) dx)``."""
        theta = brief_latex(self.at)
        if self.grid.ndim == 2:
            return rf"u_{{ij}} = f\big(x_0 + (i + {theta})\Delta x,\; y_0 + (j + {theta})\Delta y\big)"
        return rf"u_j = f\big(x_0 + (j + {theta})\Delta x\big)"


# --- helpers: exact values -------------------------------------------------------------------
def _index(value: Any, name: str) -> sympy.Expr:
    expr = to_exact(value, name)
    if expr.is_number and not expr.is_Integer:
        raise InvalidArgumentError(f"{name}={brief(value)} must be an integer cell index or an integer symbol")
    return expr


def _outer(u: Signal, v: Signal) -> Signal:
    shape = (u.size, v.size)
    if u.domain == "QQ" and v.domain == "QQ":
        vs = v.flat_fmpqs()
        return Signal.from_fmpqs([a * b for a in u.flat_fmpqs() for b in vs], shape)
    vs = v.flat_exprs()
    return Signal.from_exprs([a * b for a in u.flat_exprs() for b in vs], shape)


def _has_bad(value: sympy.Expr) -> bool:
    return value.has(*_BAD, sympy.AccumBounds)


def _run_integral(f: sympy.Expr, limits: list, what: str, cell: str, budget: float | None, *,
                  check_finite: bool = True) -> sympy.Expr:
    """``integrate(f, *limits)`` under the budget; IntegrationError naming ``cell`` on failure
    (and on an infinite value, unless ``check_finite=False``)."""
    with time_budget(budget, what):
        # sympy's Meijer-G definite integration gets signs wrong on negative intervals
        # (sin(x)/x over [-1, -1/2] gives Si(1/2) - Si(1) < 0): use it only when the
        # other methods find no closed form.
        value = integral(f, *limits, meijerg=False)
        if isinstance(value, IntegrationFailed) or value.has(sympy.Integral):
            value = integral(f, *limits)
            if isinstance(value, IntegrationFailed):
                raise IntegrationError(
                    f"sympy could not integrate f={brief(f, str)} over {brief(cell, str)}: {brief(value.kind, str)}: {brief(value.message, str)}"
                )
    if value.has(sympy.Integral):
        raise IntegrationError(
            f"sympy found no closed form for the integral of f={brief(f, str)} over {brief(cell, str)}; "
            "use PointSample, or a function class with closed-form integrals"
        )
    if check_finite and _has_bad(value):
        raise IntegrationError(
            f"the integral of f={brief(f, str)} over {brief(cell, str)} is not finite ({brief(value, str)}): f is singular in that cell; "
            "move the grid or remove the singularity"
        )
    return value


def _integrate(f: sympy.Expr, var: sympy.Symbol, lo: sympy.Expr, hi: sympy.Expr, j: Any,
               budget: float | None) -> sympy.Expr:
    cell = f"cell {brief(j, str)} = [{brief(lo, str)}, {brief(hi, str)}]"
    return _run_integral(f, [(var, lo, hi)], f"integrating f over {cell}", cell, budget)


def _sample(f: sympy.Expr, point: dict, where: str, budget: float | None) -> sympy.Expr:
    with time_budget(budget, f"evaluating f at {brief(where, str)}"):
        value = f.subs(point, simultaneous=True)
    if _has_bad(value):
        raise InvalidArgumentError(f"f={brief(f, str)} is not finite at {brief(where, str)} (got {brief(value, str)}); sample elsewhere (at=...)")
    # f and the point are exact, so a float here would be sympy approximating: refuse it
    # rather than guess a rational for it (no nsimplify on an exact path)
    return to_exact(value, f"f at {brief(where, str)}")


def _singular_points(f: sympy.Expr, var: sympy.Symbol, grid: Grid, budget: float | None) -> list[sympy.Expr]:
    """The real points of ``[a, b]`` where ``f`` may be singular (1/x at 0, log at 0, ...),
    left to right."""
    with time_budget(budget, "locating the singularities of f"):
        return singular_points(f, var, grid.a, grid.b)


def _cell_name(grid: Grid, j: int) -> str:
    lo, hi = grid.cell(j)
    return f"cell {brief(j, str)} = [{brief(lo, str)}, {brief(hi, str)}]"


def _cells_at(p: sympy.Expr, grid: Grid) -> str:
    """The cell(s) containing the point ``p`` (two when ``p`` is an inner cell edge)."""
    position = (p - grid.a) / grid.dx
    j = min(int(sympy.floor(position)), grid.size - 1)
    cells = [j - 1, j] if position.is_Integer and 0 < position < grid.size else [j]
    return " and ".join(f"cell {brief(k, str)} = [{brief(grid.cell(k)[0], str)}, {brief(grid.cell(k)[1], str)}]" for k in cells)


def _cell_integral(f: sympy.Expr, var: sympy.Symbol, grid: Grid, j: int, points: list[sympy.Expr],
                   budget: float | None) -> sympy.Expr:
    """The integral of ``f`` over cell ``j``.  A cell touching a singular point is
    integrated piece by piece between the singular points, so that each piece is an
    improper integral at its ends (never a principal value): integrable singularities
    (log x, 1/sqrt(x) at 0) give their exact value, others raise IntegrationError."""
    lo, hi = grid.cell(j)
    touching = [p for p in points if not ((p - lo).is_negative or (p - hi).is_positive)]
    cell = _cell_name(grid, j)
    if not touching:
        return certify_integral(_integrate(f, var, lo, hi, j, budget), f, [(var, lo, hi)], cell=cell)
    cuts = [lo, *(p for p in touching if (p - lo).is_positive and (hi - p).is_positive), hi]
    total = sympy.Integer(0)
    for left, right in zip(cuts, cuts[1:]):
        value = _run_integral(f, [(var, left, right)], f"integrating f over {cell}", cell, budget,
                              check_finite=False)
        if _has_bad(value):
            p = left if left in touching else right
            raise IntegrationError(
                f"f={brief(f, str)} is singular at {brief(var, str)} = {brief(p, str)}, in {brief(_cells_at(p, grid), str)}; its cell integral is not a "
                "finite number. Move the grid, or remove the singularity from the domain"
            )
        total += value
    return certify_integral(total, f, [(var, lo, hi)], cell=cell, singular=touching)


def _antiderivative(f: sympy.Expr, var: sympy.Symbol, grid: Grid, run: _Run) -> sympy.Expr | None:
    """One antiderivative ``F`` of ``f`` that gives every cell integral as ``F(right) - F(left)``,
    or None when that is not proved.

    Proved means: ``F`` is a closed form (no unevaluated ``Integral``), ``F' - f``
    is exactly zero (:func:`~symequi.core.zero.is_zero`: expansion, then ``simplify``),
    and sympy's ``continuous_domain`` shows ``F`` continuous on all of ``[a, b]``;
    then the fundamental theorem of calculus gives each cell integral (improper
    ones too, e.g. ``2 sqrt(x)`` for ``1/sqrt(x)`` at 0).  An antiderivative with
    jumps (``atan(tan(x/2))`` at ``pi``) or one whose continuity sympy cannot
    decide is not used.  Parameters other than ``var`` are not handled (the
    continuity would have to hold for all their values).  The attempt gets half
    of what is left of the overall budget; running out just means None.
    """
    if f.free_symbols - {var}:
        return None
    @functools.cache
    def what() -> str:  # built only for an error
        return f"finding an antiderivative of f={f} continuous on [{grid.a}, {grid.b}]"

    whole = sympy.Interval(grid.a, grid.b)
    try:
        with time_budget(run.share(), what):
            for antiderivative in antiderivatives(f, var):
                if _proved_continuous_antiderivative(antiderivative, f, var, whole, run):
                    return antiderivative
    except BudgetExceededError as err:
        if err.what != what():  # the overall budget (or one around it) ran out
            raise
    return None


def _proved_continuous_antiderivative(F: sympy.Expr, f: sympy.Expr, var: sympy.Symbol, whole: sympy.Interval,
                                      run: _Run) -> bool:
    """True when ``F`` is finite, ``F' - f`` is exactly zero and sympy proves ``F`` continuous
    on ``whole`` (see :func:`_antiderivative`)."""
    try:
        return (not _has_bad(F) and is_zero(sympy.diff(F, var) - f, budget=run.share()) is True
                and whole.is_subset(continuous_domain(F, var, whole)) is True)
    except BudgetExceededError:
        raise
    except Exception:  # noqa: BLE001 - sympy raises many types (NotImplementedError from
        return False   # continuous_domain on floor, Si, Piecewise...): not proved, so not used


def _edge_differences(scaled: sympy.Expr, var: sympy.Symbol, grid: Grid, run: _Run) -> list[sympy.Expr] | None:
    """``scaled(right) - scaled(left)`` for every cell, evaluating ``scaled`` once at each of
    the ``N + 1`` edges; None if a value is not finite (then the cells are integrated one by one)."""
    start, a, dx = run.done, grid.a, grid.dx
    left = scaled.xreplace({var: a})
    if _has_bad(left):
        return None
    values = []
    for k in range(1, grid.size + 1):
        right = scaled.xreplace({var: a + k * dx})
        if _has_bad(right):
            run.done = start
            return None
        values.append(right - left)
        left = right
        run.done += 1
    return values


# --- helpers: closed forms -------------------------------------------------------------------
def _closed_cell(f: sympy.Expr, var: sympy.Symbol, grid: Grid, j: sympy.Expr, normalize: bool,
                 budget: float | None, run: _Run) -> sympy.Expr:
    """The simplest closed form of the cell integral (or average) of cell ``j`` found in the budget.

    Candidates: sympy's definite integral over ``[a + j dx, a + (j+1) dx]``
    (and its simplification), and the integral around the cell center
    ``x = x_j + s, s in [-dx/2, dx/2]`` with sum-to-product applied to the
    two endpoint terms; the candidate with the fewest operations wins.  The
    optional candidates each get at most half of what is left of the overall
    budget, so that they never use it all up.
    """
    lo, hi = grid.cell(j)
    cell = f"cell {brief(j, str)} = [{brief(lo, str)}, {brief(hi, str)}]"
    scale = 1 / grid.dx if normalize else sympy.Integer(1)
    direct = _run_integral(f, [(var, lo, hi)], f"integrating f over {cell}", cell, budget) * scale
    center, half = sympy.Dummy("X", real=True), sympy.Dummy("H", positive=True)
    # centered forms first: on ties the product form wins
    candidates: list[sympy.Expr] = []
    steps = [
        lambda: _centered(f, var, center, half, grid, j) * scale,
        lambda: sympy.factor(candidates[0]),
        lambda: sympy.simplify(direct),
    ]
    for step in steps:
        what = f"simplifying the closed form of {cell}"
        try:
            with time_budget(run.share(), what):
                candidates.append(step())
        except BudgetExceededError as err:
            if err.what != what:  # the overall budget ran out: stop
                raise
        except (IntegrationError, IndexError):
            continue
    candidates.append(direct)
    best = min(candidates, key=sympy.count_ops)
    _check_closed(best, f, [(grid, j, var)], normalize, f"the closed form of {cell} for f={brief(f, str)}")
    return best


#: A concrete grid with at most this many cells has its closed form checked at every cell.
_EVERY_CELL = 256


def _every_cell(axes: list[tuple[Grid, sympy.Expr, sympy.Symbol]], normalize: bool) -> list[tuple]:
    """Every cell of concrete grids (at most ``_EVERY_CELL``; else the first, last and a few
    between), as ``check_closed_form`` triples: a closed form is checked where it is used."""
    per_axis = []
    for grid, index, var in axes:
        if grid.is_symbolic or len(index.free_symbols) != 1:
            return []
        n = grid.size
        per_axis.append([(next(iter(index.free_symbols)), k, grid, index, var) for k in
                         (range(n) if n ** len(axes) <= _EVERY_CELL else sorted({0, 1, n // 2, n - 2, n - 1} - {-1}))])
    cells = []
    for combo in itertools.product(*per_axis):
        point = {sym: sympy.Integer(k) for sym, k, *_ in combo}
        limits: list[tuple] = []
        scale = sympy.Integer(1)
        for _, _, grid, index, var in combo:
            lo, hi = (e.xreplace(point) for e in grid.cell(index))
            limits.insert(0, (var, lo, hi))
            scale = scale / (hi - lo) if normalize else scale
        cells.append((point, limits, scale))
    return cells


def _check_closed(form: sympy.Expr, f: sympy.Expr, axes: list[tuple[Grid, sympy.Expr, sympy.Symbol]],
                  normalize: bool, what: str) -> None:
    """Check a closed form in symbolic cell indices at concrete cells of concrete grids.

    Every symbol (cell indices, grid ends and sizes, parameters of ``f``) gets
    sample values its assumptions allow (indices: 0 to 3); each concrete cell
    value is compared with the certified enclosure of its integral.  Raises
    IntegrationError when one disagrees, or when no cell could be checked.
    """
    variables = {var for _, _, var in axes}
    symbols = set(form.free_symbols | f.free_symbols) - variables
    indices: set = set()
    for grid, index, _ in axes:
        indices |= index.free_symbols
        symbols |= grid.a.free_symbols | grid.b.free_symbols | grid.dx.free_symbols
    rng = random.Random(0)
    cells = _every_cell(axes, normalize) if not symbols - indices else []
    for _ in range(4):
        point = {}
        for sym in sorted(symbols - indices, key=str):
            value = sample_value(sym, rng)
            if value is None:
                break
            point[sym] = value
        else:
            for sym in sorted(indices, key=str):
                options = [k for k in map(sympy.Integer, range(4)) if satisfies_flags(sym, k)]
                if not options:
                    break
                point[sym] = rng.choice(options)
            else:
                limits: list[tuple] = []
                scale = sympy.Integer(1)
                for grid, index, var in axes:
                    lo, hi = (e.xreplace(point) for e in grid.cell(index))
                    limits.insert(0, (var, lo, hi))
                    scale = scale / (hi - lo) if normalize else scale
                cells.append((point, limits, scale))
    if check_closed_form(form, f, cells, what) == 0:
        raise IntegrationError(
            f"{brief(what, str)}: {brief(form, str)} could not be checked at any concrete cell (sample values "
            "gave singular or unevaluable cells), so it is not certified; use a concrete grid"
        )


def _centered(f: sympy.Expr, var: sympy.Symbol, center: sympy.Symbol, half: sympy.Symbol,
              grid: Grid, j: sympy.Expr) -> sympy.Expr:
    """``F(X + H) - F(X - H)`` for sympy's antiderivative ``F`` of ``f``, endpoint terms
    combined by sum-to-product, at the center ``X`` and half-width ``H`` of cell ``j``.

    Not trusted: the closed form that wins is checked at concrete cells (:func:`_check_closed`).

    >>> from symequi.functions.grid import Grid
    >>> X, H = sympy.Dummy('X', real=True), sympy.Dummy('H', positive=True)
    >>> _centered(sympy.cos(x), x, X, H, Grid(0, 1, 4), sympy.Symbol('j'))
    2*sin(1/8)*cos(j/4 + 1/8)
    """
    F = next(antiderivatives(f, var), None)
    if F is None:
        raise IntegrationError(f"sympy found no antiderivative of f={brief(f, str)}")
    value = F.xreplace({var: center + half}) - F.xreplace({var: center - half})
    if value.is_polynomial(center, half):  # (X + H)**2/2 - (X - H)**2/2 is 2 H X
        value = sympy.expand(value)
    value = _sum_to_product(value, half)
    return value.subs({center: grid.center(j), half: grid.dx / 2}, simultaneous=True)


def _sum_to_product(expr: sympy.Expr, half: sympy.Symbol) -> sympy.Expr:
    """Combine ``sin/cos(u +- v)`` endpoint terms into products (``v`` carries the half-width)."""
    mids: dict = {}
    offs: dict = {}
    reps = {}
    for fn in expr.atoms(sympy.sin, sympy.cos):
        arg = sympy.expand(fn.args[0])
        u, v = arg.as_independent(half, as_Add=True)
        if v == 0 or u == 0:
            continue
        U = mids.setdefault(u, sympy.Dummy("u", real=True))
        if -v in offs:
            V = -offs[-v]
        else:
            V = offs.setdefault(v, sympy.Dummy("v", real=True))
        reps[fn] = fn.func(U + V)
    if not reps:
        return expr
    combined = sympy.factor(sympy.expand(sympy.expand_trig(expr.xreplace(reps))))
    back = {U: sympy.factor(u) for u, U in mids.items()}
    back.update({V: sympy.factor(v) for v, V in offs.items()})
    return combined.xreplace(back)


# --- helpers: separable 2-D functions --------------------------------------------------------
def _separate(f: sympy.Expr, vx: sympy.Symbol, vy: sympy.Symbol, integrates: bool,
              depth: int = 0) -> list[tuple[sympy.Expr, sympy.Expr]] | None:
    """``f`` as a sum of products ``fx(x) * fy(y)``, or None.

    Mixed polynomial factors are expanded; when ``integrates`` (values that
    ignore measure-zero sets), a ``Piecewise`` with axis-aligned conditions is
    cut into strips along x, each a product of an x-indicator and a
    Piecewise in y.
    """
    out: list[tuple[sympy.Expr, sympy.Expr]] = []
    for term in sympy.Add.make_args(f):
        fx, fy = term.as_independent(vy, as_Add=False)
        if not fy.has(vx):
            out.append((fx, fy))
            continue
        if depth >= 3:
            return None
        rewritten = _rewrite_mixed(term, vx, vy, integrates)
        if rewritten is None:
            return None
        sub = _separate(rewritten, vx, vy, integrates, depth + 1)
        if sub is None:
            return None
        out.extend(sub)
    return out


def _rewrite_mixed(term: sympy.Expr, vx: sympy.Symbol, vy: sympy.Symbol, integrates: bool) -> sympy.Expr | None:
    options = []
    for factor in sympy.Mul.make_args(term):
        if not (factor.has(vx) and factor.has(vy)):
            options.append([factor])
        elif factor.is_polynomial(vx, vy):
            options.append(list(sympy.Add.make_args(sympy.expand(factor))))
        elif integrates and isinstance(factor, sympy.Piecewise):
            strips = _strips(factor, vx, vy)
            if strips is None:
                return None
            options.append(strips)
        else:
            return None
    combos = [sympy.Mul(*combo) for combo in itertools.product(*options)]
    if len(combos) == 1 and combos[0] == term:
        return None
    return sympy.Add(*combos, evaluate=False)


def _strips(pw: sympy.Piecewise, vx: sympy.Symbol, vy: sympy.Symbol) -> list[sympy.Expr] | None:
    """Cut a Piecewise with axis-aligned rational conditions into strips along x (up to lines)."""
    breaks = set()
    for _, cond in pw.args:
        if cond is sympy.true:
            continue
        for rel in cond.atoms(sympy.core.relational.Relational):
            diff = rel.lhs - rel.rhs
            has_x, has_y = diff.has(vx), diff.has(vy)
            if has_x and has_y:
                return None
            if has_x:
                step = PiecewisePolynomial.from_expr(diff, vx)
                if step is None or step.breakpoints or step.pieces[0].degree() != 1:
                    return None
                c0, c1 = step.pieces[0].coeffs()[:2]
                breaks.add(-c0 / c1)
    if pw.args[-1][1] is not sympy.true:
        return None
    edges = sorted(breaks)
    bounds = [None] + [sympy.Rational(int(b.p), int(b.q)) for b in edges] + [None]
    out = []
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        if lo is None and hi is None:
            rep = sympy.Integer(0)
        elif lo is None:
            rep = hi - 1
        elif hi is None:
            rep = lo + 1
        else:
            rep = (lo + hi) / 2
        conds = []
        if lo is not None:
            conds.append(vx > lo)
        if hi is not None:
            conds.append(vx < hi)
        strip = sympy.Piecewise((1, sympy.And(*conds)), (0, True)) if conds else sympy.Integer(1)
        earlier: list[sympy.Basic] = []
        for branch, cond in pw.args:
            here = cond.subs(vx, rep) if cond is not sympy.true else sympy.true
            take = sympy.And(here, *[sympy.Not(c) for c in earlier])
            earlier.append(here)
            if take is sympy.false:
                continue
            indicator = sympy.Integer(1) if take is sympy.true else sympy.Piecewise((1, take), (0, True))
            out.append(strip * indicator * branch)
    return out
