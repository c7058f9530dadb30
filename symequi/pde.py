"""1-D advection ``f_t + c f_x = 0``: exact cell averages and schemes as layers.

The exact solution is ``f(x, t) = f0(x - c t)``.  On a periodic domain
``[a, a + P)`` the data wraps around.  This module gives

* :func:`exact_solution` and :func:`exact_cell_averages`: ``f^h_j(t)``, the
  cell averages of the exact solution, for polynomial, trig and piecewise
  initial data (exact values), and :func:`exact_closed_form` (``f^h_j(t)`` as
  an expression in a symbolic cell index ``j``);
* :func:`upwind` and :func:`lax_wendroff`: one time step of the classical
  schemes with Courant number ``nu = c dt / dx``, as periodic
  :class:`~symequi.layers.convolution.Convolution` layers (paper eq. 3 convention);
* :func:`amplification_factor` and :func:`modal_solution`: for the sine
  initial data the scheme multiplies the Fourier mode by
  ``G(theta) = sum_k a_k exp(-i k theta)``, which gives the numerical solution
  and its error against the exact cell averages in closed form.

Example
-------
>>> from symequi.functions.grid import Grid
>>> from symequi.functions.continuous import x
>>> import sympy
>>> grid = Grid(0, 1, 4)
>>> exact_cell_averages(sympy.sin(2 * sympy.pi * x), grid, c=1, t=sympy.Rational(1, 4))
Signal([-2/pi, 2/pi, 2/pi, -2/pi])
>>> upwind('1/2')
Convolution([1/2, 1/2], padding='periodic')
"""

from __future__ import annotations

from typing import Any

import sympy

from .core.budget import time_budget
from .functions.continuous import as_function, translate, x
from .layers.convolution import Convolution
from .functions.discretize import CellAverage
from .core.errors import InvalidArgumentError
from .core.exact import to_exact
from .functions.grid import Grid, cell_count
from .core.operator import Operator, as_signal
from .core.signal import Signal
from .core.texts import brief

__all__ = [
    "exact_solution",
    "exact_cell_averages",
    "exact_closed_form",
    "upwind",
    "lax_wendroff",
    "amplification_factor",
    "modal_solution",
    "run_scheme",
]


def _courant(nu: Any) -> sympy.Expr:
    value = to_exact(nu, "courant")
    if value.is_number and not value.is_real:
        raise InvalidArgumentError(f"courant={brief(nu)} must be a real number (nu = c dt / dx)")
    return value


def exact_solution(f0: Any, *, c: Any, t: Any, period: tuple[Any, Any] | None = None) -> sympy.Expr:
    """``f0(x - c t)``; with ``period=(a, b)`` the data on ``[a, b)`` wraps around.

    >>> exact_solution(x**2, c=2, t='1/2')
    (x - 1)**2
    >>> exact_solution(x, c=1, t='1/4', period=(0, 1))
    Piecewise((x - 1/4, x >= 1/4), (x + 3/4, True))
    """
    f = as_function(f0, "f0")
    shift = to_exact(c, "c") * to_exact(t, "t")
    if period is None:
        return translate(f, shift)
    a, b = (to_exact(v, name) for v, name in zip(period, ("period[0]", "period[1]")))
    length = b - a
    if not (length.is_number and length > 0):
        raise InvalidArgumentError(f"period={brief(period)} must be an interval (a, b) with numbers a < b")
    if not shift.is_number:
        raise InvalidArgumentError(
            f"c*t={brief(shift, str)} must be a number for a wrapped (periodic) solution; use period=None for "
            "initial data that is already periodic, such as sin(2 pi x / L)"
        )
    s = shift - length * sympy.floor(shift / length)  # 0 <= s < length
    if s == 0:
        return f
    return sympy.Piecewise((translate(f, s), x >= a + s), (translate(f, s - length), True))


def exact_cell_averages(f0: Any, grid: Grid, *, c: Any, t: Any, periodic: bool = False) -> Signal:
    """``f^h(t)``: the cell averages of the exact solution at time ``t`` (exact).

    ``periodic=True`` wraps piecewise data around the grid's interval.

    >>> from symequi.functions.continuous import heaviside
    >>> exact_cell_averages(heaviside(x - sympy.Rational(1, 2)), Grid(0, 1, 4), c=1, t='1/8', periodic=True)
    Signal([1/2, 0, 1/2, 1])
    """
    period = (grid.a, grid.b) if periodic else None
    return CellAverage(grid)(exact_solution(f0, c=c, t=t, period=period))


def exact_closed_form(f0: Any, grid: Grid, *, c: Any, t: Any, j: Any = None) -> sympy.Expr:
    """``f^h_j(t)`` as an expression in the cell index ``j`` (symbolic grids allowed).

    >>> L, dx, c, t = sympy.symbols('L dx c t', positive=True)
    >>> j = sympy.Symbol('j', integer=True)
    >>> closed = exact_closed_form(sympy.sin(2 * sympy.pi * x / L), Grid(0, L, L / dx), c=c, t=t, j=j)
    >>> paper = L / (sympy.pi * dx) * sympy.sin(2 * sympy.pi * ((j + sympy.S.Half) * dx - c * t) / L) \\
    ...     * sympy.sin(sympy.pi * dx / L)
    >>> sympy.simplify(closed - paper)
    0
    """
    return CellAverage(grid).closed_form(exact_solution(f0, c=c, t=t), j=j)


def upwind(courant: Any) -> Convolution:
    """One upwind step with Courant number ``nu = c dt / dx`` as a periodic convolution.

    ``nu >= 0`` (wind to the right): ``u_j <- (1 - nu) u_j + nu u_{j-1}``;
    ``nu < 0``: ``u_j <- (1 + nu) u_j - nu u_{j+1}``.

    >>> upwind('1/4')([1, 0, 0, 0])
    Signal([3/4, 1/4, 0, 0])
    """
    nu = _courant(courant)
    if nu.is_number and nu < 0:
        return Convolution([-nu, 1 + nu], origin=-1, padding="periodic")
    return Convolution([1 - nu, nu], origin=0, padding="periodic")


def lax_wendroff(courant: Any) -> Convolution:
    """One Lax-Wendroff step as a periodic convolution (origin -1):

    ``u_j <- u_j - nu/2 (u_{j+1} - u_{j-1}) + nu^2/2 (u_{j+1} - 2 u_j + u_{j-1})``.

    >>> lax_wendroff('1/2')([0, 1, 0, 0])
    Signal([-1/8, 3/4, 3/8, 0])
    """
    nu = _courant(courant)
    half = sympy.Rational(1, 2)
    return Convolution([half * (nu**2 - nu), 1 - nu**2, half * (nu**2 + nu)], origin=-1,
                       padding="periodic")


def run_scheme(step: Convolution, u0: Any, steps: int) -> Signal:
    """Apply ``step`` to ``u0`` ``steps`` times (exactly).

    >>> run_scheme(upwind(1), [1, 0, 0], 2)
    Signal([0, 0, 1])
    """
    if not isinstance(step, Operator):
        raise InvalidArgumentError(
            f"step={brief(step)} must be a symequi layer such as upwind('1/2') or lax_wendroff('1/2')"
        )
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0:
        raise InvalidArgumentError(f"steps={brief(steps)} must be an int >= 0 (the number of time steps)")
    u = as_signal(u0, "u0")
    for _ in range(steps):
        u = step(u)
    return u


def amplification_factor(step: Convolution, theta: Any = None) -> sympy.Expr:
    """``G(theta) = sum_k a_k exp(-i k theta)``: the factor a convolution step
    multiplies the mode ``exp(i theta j)`` by.

    >>> theta = sympy.Symbol('theta', real=True)
    >>> sympy.simplify(amplification_factor(upwind(1), theta) - sympy.exp(-sympy.I * theta))
    0
    """
    if not isinstance(step, Convolution) or step.spatial_dims != 1 or step.in_channels is not None:
        raise InvalidArgumentError(
            f"step={brief(step)} must be a 1-D single-channel symequi.Convolution, such as upwind('1/2') "
            "or Convolution([a_0, a_1], origin=0, padding='periodic')"
        )
    th = sympy.Symbol("theta", real=True) if theta is None else to_exact(theta, "theta")
    origin = step.origin[0]
    return sympy.Add(*(a * sympy.exp(-sympy.I * (origin + m) * th)
                       for m, a in enumerate(step.kernel.flat_exprs())))


def modal_solution(step: Convolution, *, length: Any, n: Any, steps: Any, courant: Any,
                   j: Any = None) -> dict[str, sympy.Expr]:
    """Closed forms for the sine data ``f0 = sin(2 pi x / L)`` on ``n`` cells of ``[0, L]``.

    With ``theta = 2 pi dx / L``, ``A = L/(pi dx) sin(pi dx / L)`` (the cell
    average factor) and ``G = G(theta) = rho exp(-i phi)``, after ``steps`` steps
    of size ``dt = nu dx / c``:

    * ``exact``: ``A sin(theta (j + 1/2) - steps nu theta)`` (the cell averages
      of the exact solution),
    * ``numerical``: ``A rho^steps sin(theta (j + 1/2) - steps phi)``,
    * ``error``: numerical minus exact.

    >>> forms = modal_solution(upwind(1), length=1, n=4, steps=1, courant=1)
    >>> j = sympy.Symbol('j', integer=True)
    >>> sympy.simplify(forms['error'])
    0
    """
    L = to_exact(length, "length")
    N = cell_count(n)  # a positive integer (or a positive symbol), as for a Grid
    nsteps = to_exact(steps, "steps")
    if L.is_zero:
        raise InvalidArgumentError(f"length={brief(length)} must be nonzero (the period L of sin(2 pi x / L))")
    nu = _courant(courant)
    jj = sympy.Symbol("j", integer=True) if j is None else to_exact(j, "j")
    dx = L / N
    theta = 2 * sympy.pi * dx / L
    amplitude = L / (sympy.pi * dx) * sympy.sin(sympy.pi * dx / L)
    with time_budget(None, "splitting the amplification factor into modulus and phase"):
        G = sympy.expand_complex(amplification_factor(step, theta))
        re, im = sympy.re(G), sympy.im(G)
        rho = sympy.sqrt(re**2 + im**2)
        phi = sympy.atan2(-im, re)
    phase = theta * (jj + sympy.Rational(1, 2))
    exact = amplitude * sympy.sin(phase - nsteps * nu * theta)
    numerical = amplitude * rho**nsteps * sympy.sin(phase - nsteps * phi)
    return {"exact": exact, "numerical": numerical, "error": numerical - exact,
            "amplification": G, "rho": rho, "phi": phi}
