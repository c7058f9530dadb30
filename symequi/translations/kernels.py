"""Interpolation kernels for sub-cell translations, exact and piecewise.

A kernel K turns samples u_i at the integers into a function
``f(t) = sum_i u_i K(t - i)``; the shift by ``s`` cells is then
``out_j = f(j - s) = sum_m K(m - s) u_{j-m}``.  Every kernel here is
*piecewise*: breakpoints ``b_0 < ... < b_r`` split its support
``[b_0, b_r)`` into pieces ``[b_i, b_{i+1})`` (closed on the left), each given
by one exact formula; K is 0 outside the support.  That is what lets a shift
by a symbolic ``s`` be written exactly, piece by piece.

* :class:`LinearKernel`: the hat ``max(0, 1 - |x|)``; reproduces degree 1.
* :class:`KeysCubicKernel`: Keys' cubic convolution kernel with ``a = -1/2``
  (the default; reproduces degree 2) or another rational ``a`` (PyTorch's
  bicubic uses ``a = -3/4``; any ``a != -1/2`` reproduces constants only).
* :class:`LagrangeKernel`: Lagrange interpolation of order ``p`` through the
  ``p + 1`` samples nearest the target point; reproduces degree ``p``.  For
  even ``p`` a target exactly halfway between two samples takes the stencil
  centred on the sample to its right (the pieces are closed on the left).
* :class:`LanczosKernel`: ``L(x) = sinc(x) sinc(x/a)`` for ``|x| < a`` with the
  normalised ``sinc(x) = sin(pi x)/(pi x)`` and ``a = 3`` (StyleGAN3's EQ-T_frac
  kernel); its values at non-integers involve ``sin(pi x)/pi**2`` (sympy
  expressions, domain EX).

Example
-------
>>> import sympy
>>> from symequi.translations.kernels import LinearKernel, KeysCubicKernel, LanczosKernel
>>> LinearKernel()(sympy.Rational(1, 4))
3/4
>>> KeysCubicKernel()(sympy.Rational(1, 2))
9/16
>>> LanczosKernel()(sympy.Rational(3, 2))
-4/(3*pi**2)
"""

from __future__ import annotations

import functools
from typing import Any

import flint
import sympy

from ..arith.cyclotomic import CyclotomicElement, sin_pi
from ..core.budget import budgeted
from ..core.limits import check_degree
from ..core.errors import InvalidArgumentError
from ..core.exact import fmpq_to_sympy, positive_int, sympy_to_fmpq, to_exact
from ..core.texescape import escape_latex
from ..core.texts import brief, brief_latex

__all__ = ["Kernel", "LinearKernel", "KeysCubicKernel", "LagrangeKernel", "LanczosKernel"]

_X = sympy.Symbol("x", real=True)


def poly_expr(poly: flint.fmpq_poly, var: sympy.Expr) -> sympy.Expr:
    return sympy.Add(*(fmpq_to_sympy(c) * var**k for k, c in enumerate(poly.coeffs()) if c != 0))


class Kernel:
    """Base class of piecewise interpolation kernels.

    Subclasses set ``breakpoints`` (a sorted tuple of sympy Rationals) and
    implement :meth:`_piece_poly` (a python-flint ``fmpq_poly`` in x for a
    polynomial piece) or :meth:`_piece_expr` (any exact sympy formula).

    Attributes
    ----------
    breakpoints : tuple of Rational
        ``b_0 < ... < b_r``; K vanishes outside ``[b_0, b_r)``.
    reproduces : int or None
        The largest degree d such that shifting samples of any polynomial of
        degree <= d gives the samples of the translated polynomial (away from
        the boundary); None when not even constants are reproduced.
    is_polynomial : bool
        True when every piece is a polynomial with rational coefficients (then
        the values at rational points are rational).

    >>> k = LinearKernel()
    >>> k.support, k.piece_index(sympy.Rational(-1, 2)), k.piece_index(1)
    ((-1, 1), 0, None)
    """

    name: str = "kernel"
    breakpoints: tuple[sympy.Rational, ...] = ()
    reproduces: int | None = None
    is_polynomial: bool = True

    @property
    def support(self) -> tuple[sympy.Rational, sympy.Rational]:
        """``(b_0, b_r)``: K(x) = 0 unless ``b_0 <= x < b_r``."""
        return self.breakpoints[0], self.breakpoints[-1]

    def piece_index(self, x: sympy.Rational) -> int | None:
        """The piece ``i`` with ``b_i <= x < b_{i+1}``, or None outside the support."""
        b = self.breakpoints
        if x < b[0] or x >= b[-1]:
            return None
        for i in range(len(b) - 1):
            if b[i] <= x < b[i + 1]:
                return i
        return None  # pragma: no cover - unreachable

    def _piece_poly(self, i: int) -> flint.fmpq_poly:  # pragma: no cover - abstract
        raise NotImplementedError

    def _piece_expr(self, i: int, var: sympy.Expr) -> sympy.Expr:
        """The formula of piece ``i`` at ``var`` (default: the polynomial piece)."""
        return poly_expr(self._piece_poly(i), var)

    def value_fmpq(self, x: flint.fmpq) -> flint.fmpq:
        """K(x) for rational x as fmpq (polynomial kernels only; the fast path)."""
        i = self.piece_index(fmpq_to_sympy(x))
        if i is None:
            return flint.fmpq(0)
        return self._piece_poly(i)(x)

    @budgeted(lambda self, x: f"evaluating the kernel {brief(self.describe(), str)} at x={brief(x, str)}")
    def __call__(self, x: Any) -> sympy.Expr:
        """K(x) at an exact number x.

        >>> LinearKernel()(-1)
        0
        """
        value = to_exact(x, "x")
        if not value.is_Rational:
            raise InvalidArgumentError(
                f"x={brief(x)} must be rational; for symbolic positions use InterpolationShift with a symbolic s"
            )
        if self.is_polynomial:
            return fmpq_to_sympy(self.value_fmpq(sympy_to_fmpq(value)))
        i = self.piece_index(value)
        return sympy.Integer(0) if i is None else self._piece_expr(i, value)

    @budgeted(lambda self: f"writing the kernel {brief(self.describe(), str)} as a formula")
    def formula(self) -> sympy.Piecewise:
        """The whole kernel as a sympy Piecewise in ``x`` (for display and LaTeX).

        >>> LinearKernel().formula()
        Piecewise((0, x < -1), (x + 1, x < 0), (1 - x, x < 1), (0, True))
        """
        b = self.breakpoints
        pieces = [(sympy.Integer(0), _X < b[0])]
        for i in range(len(b) - 1):
            pieces.append((self._piece_expr(i, _X), _X < b[i + 1]))
        pieces.append((sympy.Integer(0), True))
        return sympy.Piecewise(*pieces)

    def describe(self) -> str:
        return self.name

    def describe_latex(self) -> str:
        """:meth:`describe` as LaTeX text (subclasses with math in their name override it)."""
        return escape_latex(self.describe())

    def latex(self) -> str:
        return brief_latex(self.formula())

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def __eq__(self, other: object) -> bool:
        # repr names the class and every parameter, so it identifies the kernel.
        return type(self) is type(other) and repr(self) == repr(other)

    def __hash__(self) -> int:
        return hash(repr(self))


class LinearKernel(Kernel):
    """The hat function ``max(0, 1 - |x|)``: linear interpolation; reproduces degree 1.

    >>> LinearKernel()(sympy.Rational(-1, 3))
    2/3
    """

    name = "linear interpolation (hat kernel max(0, 1-|x|))"

    def describe_latex(self) -> str:
        return r"linear interpolation (hat kernel $\max(0, 1-|x|)$)"
    breakpoints = (sympy.Integer(-1), sympy.Integer(0), sympy.Integer(1))
    reproduces = 1

    def _piece_poly(self, i: int) -> flint.fmpq_poly:
        return flint.fmpq_poly([1, 1]) if i == 0 else flint.fmpq_poly([1, -1])


class KeysCubicKernel(Kernel):
    """Keys' cubic convolution kernel (Keys 1981), parameter ``a`` (default -1/2).

    ``K(x) = (a+2)|x|^3 - (a+3)|x|^2 + 1`` for ``|x| <= 1``,
    ``a|x|^3 - 5a|x|^2 + 8a|x| - 4a`` for ``1 < |x| < 2``, else 0.  With
    ``a = -1/2`` it reproduces polynomials of degree 2 (Keys' third-order
    kernel); any other ``a`` reproduces constants only (``reproduces = 0``).

    >>> KeysCubicKernel()(1)
    0
    >>> KeysCubicKernel(a='-3/4')(sympy.Rational(1, 2))
    19/32
    """

    breakpoints = tuple(sympy.Integer(v) for v in (-2, -1, 0, 1, 2))

    def __init__(self, *, a: Any = sympy.Rational(-1, 2)) -> None:
        value = to_exact(a, "a")
        if not value.is_Rational:
            raise InvalidArgumentError(f"a={brief(a)} must be rational (Keys' kernel uses a = -1/2)")
        self.a = value
        # sum_m K(m - s) = 1 for every a; the higher moment conditions hold
        # only for a = -1/2 (Keys 1981, section III).
        self.reproduces = 2 if value == sympy.Rational(-1, 2) else 0

    @property
    def name(self) -> str:  # type: ignore[override]
        return f"Keys cubic convolution (a = {self.a})"

    def describe_latex(self) -> str:
        return f"Keys cubic convolution ($a = {brief_latex(self.a)}$)"

    @functools.lru_cache(maxsize=8)
    def _piece_poly(self, i: int) -> flint.fmpq_poly:
        a = sympy_to_fmpq(self.a)
        inner = [1, 0, -(a + 3), a + 2]          # in |x|
        outer = [-4 * a, 8 * a, -5 * a, a]
        coeffs = outer if i in (0, 3) else inner
        sign = -1 if i in (0, 1) else 1          # |x| = -x on the left
        return flint.fmpq_poly([c * sign**k for k, c in enumerate(coeffs)])

    def __repr__(self) -> str:
        return f"KeysCubicKernel(a={brief(self.a, str)})"


class LagrangeKernel(Kernel):
    """Lagrange interpolation of order ``p`` (degree-p polynomial through p + 1 samples).

    The stencil for a target t is the p + 1 integers i with
    ``t - (p+1)/2 < i <= t + (p+1)/2`` (the nearest samples; for even p a
    target halfway between two samples uses the stencil centred to its right).
    K(x) is the weight of sample 0 at target x.  Order 1 is linear
    interpolation.  Reproduces degree p.

    >>> LagrangeKernel(order=3)(sympy.Rational(1, 2))
    9/16
    >>> LagrangeKernel(order=2)(sympy.Rational(1, 2))
    3/8
    """

    def __init__(self, *, order: Any) -> None:
        self.order = check_degree(positive_int(order, "order"), "order")
        p = self.order
        half = sympy.Rational(p + 1, 2)
        self.breakpoints = tuple(-half + k for k in range(p + 2))
        self.reproduces = p

    @property
    def name(self) -> str:  # type: ignore[override]
        return f"Lagrange interpolation of order {self.order} ({self.order + 1}-point stencil)"

    def describe_latex(self) -> str:
        return f"Lagrange interpolation of order ${self.order}$ (${self.order + 1}$-point stencil)"

    @functools.lru_cache(maxsize=32)
    @budgeted(lambda self, i: f"computing piece {brief(i, str)} of the kernel {brief(self.describe(), str)}")
    def _piece_poly(self, i: int) -> flint.fmpq_poly:
        p = self.order
        # On piece i, x in [b_i, b_{i+1}); the stencil (relative to the target's
        # sample 0) is start..start+p with start = floor(x - (p+1)/2) + 1.
        start = int(sympy.floor(self.breakpoints[i] - sympy.Rational(p + 1, 2))) + 1
        poly = flint.fmpq_poly([1])
        for k in range(start, start + p + 1):
            if k != 0:
                poly = poly * flint.fmpq_poly([-k, 1]) * flint.fmpq(1, -k)
        return poly

    def __repr__(self) -> str:
        return f"LagrangeKernel(order={brief(self.order, str)})"


class LanczosKernel(Kernel):
    """The Lanczos kernel ``L(x) = sinc(x) sinc(x/a)`` for ``|x| < a`` (default a = 3).

    ``sinc(x) = sin(pi x)/(pi x)``, ``sinc(0) = 1``.  This is the kernel of
    StyleGAN3's EQ-T_frac metric (``apply_fractional_translation``), which
    *divides the taps by their sum*; :class:`~symequi.translations.interpolation.InterpolationShift`
    does the same when ``normalize=True``.  Raw values at non-integers are
    transcendental (``sin(pi x) sin(pi x/a) a/(pi^2 x^2)``).

    >>> LanczosKernel()(0), LanczosKernel()(2)
    (1, 0)
    """

    is_polynomial = False

    def __init__(self, *, a: Any = 3) -> None:
        self.a = positive_int(a, "a")
        self.breakpoints = (sympy.Integer(-self.a), sympy.Integer(self.a))
        self.reproduces = None

    @property
    def name(self) -> str:  # type: ignore[override]
        return f"Lanczos windowed sinc (a = {self.a})"

    def describe_latex(self) -> str:
        return f"Lanczos windowed sinc ($a = {brief_latex(self.a)}$)"

    def _piece_expr(self, i: int, var: sympy.Expr) -> sympy.Expr:
        return sympy.sinc(sympy.pi * var) * sympy.sinc(sympy.pi * var / self.a)

    @budgeted(lambda self, x: f"evaluating the kernel {brief(self.describe(), str)} at x={brief(x, str)}")
    def __call__(self, x: Any) -> sympy.Expr:
        """L(x) at a rational x: 1 at 0, 0 at other integers, ``w(x)/pi**2`` otherwise
        with ``w`` from :meth:`algebraic_part` (written as a cosine sum).

        >>> LanczosKernel()(sympy.Rational(1, 2))
        6/pi**2
        """
        value = to_exact(x, "x")
        if value.is_Rational and not value.is_Integer:
            return self.algebraic_part(value).to_sympy() / sympy.pi**2
        return super().__call__(value)

    @budgeted(lambda self, x: f"evaluating the kernel {brief(self.describe(), str)} at x={brief(x, str)} in a cyclotomic field")
    def algebraic_part(self, x: Any) -> CyclotomicElement:
        """``w(x) = a sin(pi x) sin(pi x / a) / x**2`` in a cyclotomic field, so that
        ``L(x) = w(x) / pi**2`` at a rational non-integer ``x`` (0 outside the support).

        >>> LanczosKernel().algebraic_part(sympy.Rational(3, 2)).to_sympy()
        -4/3
        """
        value = to_exact(x, "x")
        if not value.is_Rational or value.is_Integer:
            raise InvalidArgumentError(
                f"x={brief(x)} must be a rational non-integer (L is 1 at 0 and 0 at other integers)"
            )
        if not -self.a < value < self.a:
            return CyclotomicElement.rational(0)
        return sin_pi(value) * sin_pi(value / self.a) * (self.a / value**2)

    def __repr__(self) -> str:
        return f"LanczosKernel(a={brief(self.a, str)})"
