"""Finite-volume translation: reconstruct, translate exactly, re-average.

The data are cell averages (cell ``i`` is ``[i - 1/2, i + 1/2]`` in cell
units).  The finite-volume shift of degree ``p``

1. reconstructs in each cell ``i`` the unique polynomial ``P_i`` of degree
   ``<= p`` whose averages over the ``p + 1`` stencil cells ``i + r`` (``r`` in
   the stencil) equal the data,
2. translates the piecewise polynomial ``R = P_i on cell i`` by ``s`` cells
   exactly (``R(x - s)``), and
3. averages the result over every cell.

For even ``p`` the stencil is centred (``r = -p/2 .. p/2``); for odd ``p`` it
has one more cell on the ``bias`` side (``"left"``, the default and upwind for
``s > 0``: ``r = -(p+1)/2 .. (p-1)/2``; ``"right"``: ``r = -(p-1)/2 .. (p+1)/2``).
``p = 0`` is the upwind scheme ``out_j = (1 - s) u_j + s u_{j-1}``
(``0 <= s <= 1``); ``p = 1`` is Beam-Warming (``bias="left"``) or Lax-Wendroff
(``bias="right"``) at Courant number ``s``.  Averages of polynomials of degree
``<= p + 1`` (one more than the reconstruction degree) are reproduced exactly,
away from the boundary: the scheme interpolates the primitive function with
degree ``p + 1`` on ``p + 2`` cell edges, and for a primitive of degree
``p + 2`` that interpolation error is the same in every cell, so it cancels
when the primitive is differenced.

The result is again ``out_j = sum_m K(m - s) u_{j-m}`` with a piecewise
polynomial kernel K (breakpoints at the integers), so the machinery of
:class:`~symequi.translations.interpolation.InterpolationShift` (fast rational path,
symbolic ``s`` with an assumed interval) applies unchanged.  With
``boundary="zeros"`` the cells outside ``0 .. n-1`` hold average 0 (zero
ghost cells), also in the reconstruction.

Example
-------
>>> from symequi.translations.finite_volume import FiniteVolumeShift
>>> from symequi.core.signal import Signal
>>> FiniteVolumeShift('1/4', degree=0)(Signal([0, 4, 0, 0]))
Signal([0, 3, 1, 0])
"""

from __future__ import annotations

import functools
from typing import Any

import flint
import sympy

from ..core.limits import check_degree
from ..core.errors import InvalidArgumentError
from ..core.exact import to_exact
from ..core.texescape import Phrase
from ..core.types import Boundary, FVBias
from .interpolation import InterpolationShift
from .kernels import Kernel
from ..core.texts import brief, brief_latex

__all__ = ["FiniteVolumeKernel", "FiniteVolumeShift"]

_HALF = flint.fmpq(1, 2)


def _check_degree(degree: Any) -> int:
    value = to_exact(degree, "degree")
    if not value.is_Integer or value < 0:
        raise InvalidArgumentError(f"degree={brief(degree)} must be an integer >= 0 (0 is the upwind scheme)")
    return check_degree(int(value), "degree")


class FiniteVolumeKernel(Kernel):
    """The kernel of the degree-``p`` finite-volume shift (see the module docstring).

    On ``[k, k+1)`` with ``f = k + 1 - x`` the kernel is
    ``A_{-k}(f) + B_{-k-1}(f)``, where, for the reconstruction basis ``L_r``
    (the degree-p polynomial on the reference cell ``[-1/2, 1/2]`` whose
    averages over stencil cells ``c`` are ``delta_{rc}``),
    ``A_r(f) = int_{1/2-f}^{1/2} L_r`` and ``B_r(f) = int_{-1/2}^{1/2-f} L_r``.

    >>> FiniteVolumeKernel(degree=0)(sympy.Rational(1, 4))
    3/4
    """

    def __init__(self, *, degree: Any, bias: FVBias = "left") -> None:
        self.degree = _check_degree(degree)
        if bias not in ("left", "right"):
            raise InvalidArgumentError(f"bias={brief(bias)} must be 'left' or 'right'")
        self.bias = bias
        p = self.degree
        if p % 2 == 0:
            low = -p // 2
        else:
            low = -(p + 1) // 2 if bias == "left" else -(p - 1) // 2
        self.stencil = tuple(range(low, low + p + 1))
        k_min = -self.stencil[-1] - 1
        k_max = -self.stencil[0]
        self.breakpoints = tuple(sympy.Integer(k) for k in range(k_min, k_max + 2))
        self.reproduces = p + 1   # see the module docstring

    @property
    def name(self) -> str:  # type: ignore[override]
        return (
            f"finite volume, degree {self.degree} reconstruction on stencil cells "
            f"{list(self.stencil)} (relative to the cell)"
        )

    @functools.cached_property
    def _basis(self) -> dict[int, flint.fmpq_poly]:
        """L_r for each stencil offset r (coefficients in the local coordinate y)."""
        p = self.degree
        cells = self.stencil
        rows = []
        for c in cells:
            lo, hi = flint.fmpq(c) - _HALF, flint.fmpq(c) + _HALF
            rows.append([(hi ** (e + 1) - lo ** (e + 1)) / (e + 1) for e in range(p + 1)])
        moments = flint.fmpq_mat(p + 1, p + 1, [v for row in rows for v in row])
        inverse = moments.inv()                       # column r: coefficients of L_r
        return {r: flint.fmpq_poly([inverse[e, i] for e in range(p + 1)]) for i, r in enumerate(cells)}

    def _piece_poly(self, i: int) -> flint.fmpq_poly:
        k = int(self.breakpoints[i])
        f_of_x = flint.fmpq_poly([k + 1, -1])          # f = k + 1 - x
        result = flint.fmpq_poly()
        right = self._basis.get(-k)
        if right is not None:                          # A_{-k}(f) = I(1/2) - I(1/2 - f)
            anti = right.integral()
            a_of_f = anti(_HALF) - anti(flint.fmpq_poly([_HALF, -1]))
            result += a_of_f(f_of_x)
        left = self._basis.get(-k - 1)
        if left is not None:                           # B_{-k-1}(f) = I(1/2 - f) - I(-1/2)
            anti = left.integral()
            b_of_f = anti(flint.fmpq_poly([_HALF, -1])) - anti(-_HALF)
            result += b_of_f(f_of_x)
        return result

    def __repr__(self) -> str:
        bias = f", bias={brief(self.bias)}" if self.degree % 2 else ""
        return f"FiniteVolumeKernel(degree={brief(self.degree, str)}{bias})"


class FiniteVolumeShift(InterpolationShift):
    """Translate cell averages by ``s`` cells with a degree-``p`` finite-volume reconstruction.

    Parameters
    ----------
    s : exact number, sympy expression, or tuple (one per axis)
    degree : reconstruction degree p >= 0
    boundary : ``"periodic"`` or ``"zeros"`` (zero ghost cells)
    interval : ``(lo, hi)`` assumed to contain a symbolic ``s`` (default ``(0, 1)``)
    bias : odd p only: ``"left"`` (default) or ``"right"`` extra stencil cell

    Example
    -------
    >>> import sympy
    >>> s = sympy.Symbol('s')
    >>> FiniteVolumeShift(s, degree=0).taps(4)
    {0: 1 - s, 1: s}
    """

    method = "finite_volume"

    def __init__(
        self,
        s: Any,
        *,
        degree: Any,
        boundary: Boundary = "periodic",
        interval: Any = None,
        bias: FVBias = "left",
    ) -> None:
        kernel = FiniteVolumeKernel(degree=degree, bias=bias)
        super().__init__(s, kernel=kernel, boundary=boundary, interval=interval)
        self.method = "finite_volume"
        self.degree = kernel.degree

    def _method_conventions(self) -> tuple[str, ...]:
        k: FiniteVolumeKernel = self.kernel  # type: ignore[assignment]
        stencil = ", ".join(map(str, k.stencil))
        lines = [
            Phrase("data are cell averages; cell i is [i - 1/2, i + 1/2] in cell units",
                   r"data are cell averages; cell $i$ is $[i - \frac{1}{2}, i + \frac{1}{2}]$ in cell units"),
            Phrase(f"finite volume: degree-{k.degree} polynomial per cell matching the averages of the "
                   f"stencil cells i + r, r in {list(k.stencil)}; translated exactly by s; re-averaged over each cell",
                   f"finite volume: degree-${k.degree}$ polynomial per cell matching the averages of the "
                   f"stencil cells $i + r$, $r \\in \\{{{stencil}\\}}$; translated exactly by $s$; re-averaged over "
                   "each cell"),
            Phrase(f"reproduces cell averages of polynomials of degree <= {k.degree + 1} away from the boundary",
                   f"reproduces cell averages of polynomials of degree $\\le {k.degree + 1}$ away from the boundary"),
        ]
        if self.boundary == "zeros":
            lines.append(Phrase(
                "zero boundary: ghost cells outside 0..n-1 hold average 0, also in the reconstruction",
                r"zero boundary: ghost cells outside $0, \dots, n-1$ hold average $0$, also in the reconstruction"))
        if self.is_symbolic:
            lo, hi = self.interval
            lines.append(Phrase(f"symbolic s assumed in the open interval ({lo}, {hi})",
                                f"symbolic $s$ assumed in the open interval $({brief_latex(lo)}, {brief_latex(hi)})$"))
        return tuple(lines)

    def describe(self) -> str:
        k: FiniteVolumeKernel = self.kernel  # type: ignore[assignment]
        bias = f", bias={brief(k.bias)}" if k.degree % 2 else ""
        return (
            f"FiniteVolumeShift(s={brief(self._s_text(), str)}, degree={brief(k.degree, str)}{bias}, boundary={brief(self.boundary)})"
        )
