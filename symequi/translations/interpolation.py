"""Sub-cell translation by interpolation: out_j = f(j - s), f = sum_i u_i K(t - i).

:class:`InterpolationShift` turns a :mod:`~symequi.translations.kernels` kernel into a
discrete translation with taps ``h_m = K(m - s)``:
``out_j = sum_m K(m - s) u_{j-m}``.  For rational ``s`` and a polynomial
kernel the taps are rational and the shift runs as one python-flint
polynomial product (the fast path); for the Lanczos kernel the taps are exact
algebraic/transcendental sympy expressions (domain EX).

A symbolic ``s`` gives taps that are expressions in ``s``.  Kernels are
piecewise, so the taps depend on where ``s`` lies: the shift assumes
``lo < s < hi`` for ``interval=(lo, hi)`` (default ``(0, 1)``) and writes each
tap as a ``Piecewise`` in ``s`` over the kernel pieces that interval meets
(a plain polynomial when it meets one piece only, as for the linear, cubic
and odd-order Lagrange kernels on ``(0, 1)``).

Example
-------
>>> import sympy
>>> from symequi.translations.interpolation import InterpolationShift
>>> from symequi.translations.kernels import LinearKernel
>>> from symequi.core.signal import Signal
>>> s = sympy.Symbol('s')
>>> InterpolationShift(s, kernel=LinearKernel()).taps(4)
{0: 1 - s, 1: s}
>>> InterpolationShift('1/3', kernel=LinearKernel())(Signal([3, 0, 0]))
Signal([2, 1, 0])
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

import flint
import sympy

from ..core.assumptions import Assumptions, Interval
from ..core.budget import budgeted
from ..core.errors import InvalidArgumentError
from ..core.exact import sympy_to_fmpq, to_exact
from ..arith.cyclotomic import CyclotomicElement
from .kernels import Kernel, KeysCubicKernel, LagrangeKernel, LanczosKernel, LinearKernel
from ..core.types import Boundary
from ..core.signal import Signal
from ..core.texescape import Phrase
from .base import DiscreteTranslation, Taps
from ..core.texts import brief, brief_latex

__all__ = ["InterpolationShift"]


def _check_interval(interval: Any) -> tuple[sympy.Rational, sympy.Rational]:
    if interval is None:
        return sympy.Integer(0), sympy.Integer(1)
    if not isinstance(interval, (tuple, list)) or len(interval) != 2:
        raise InvalidArgumentError(
            f"interval={brief(interval)} must be a pair (lo, hi) of rationals, the open interval assumed to contain s"
        )
    lo = to_exact(interval[0], "interval[0]")
    hi = to_exact(interval[1], "interval[1]")
    if not (lo.is_Rational and hi.is_Rational):
        raise InvalidArgumentError(f"interval={brief(interval)} must have rational ends, e.g. (0, 1)")
    if not lo < hi:
        raise InvalidArgumentError(f"interval={brief(interval)} is empty: need lo < hi")
    return lo, hi


class InterpolationShift(DiscreteTranslation):
    """Translate by ``s`` cells by interpolating with ``kernel``: ``h_m = K(m - s)``.

    Parameters
    ----------
    s : exact number, sympy expression, or tuple (one per axis)
    kernel : a :class:`~symequi.translations.kernels.Kernel` (linear, Keys cubic, Lagrange,
        Lanczos, or your own)
    boundary : ``"periodic"`` or ``"zeros"``
    interval : ``(lo, hi)``, the open interval assumed to contain a symbolic
        ``s`` (default ``(0, 1)``)
    normalize : divide the taps by their sum (StyleGAN3 does this for its
        Lanczos taps; polynomial kernels already sum to 1)

    Example
    -------
    >>> from symequi.translations.kernels import KeysCubicKernel
    >>> InterpolationShift('1/2', kernel=KeysCubicKernel()).taps(8)
    {-1: -1/16, 0: 9/16, 1: 9/16, 2: -1/16}
    """

    method = "interpolation"

    def __init__(
        self,
        s: Any,
        *,
        kernel: Kernel,
        boundary: Boundary = "periodic",
        interval: Any = None,
        normalize: bool = False,
    ) -> None:
        super().__init__(s, boundary=boundary)
        if not isinstance(kernel, Kernel):
            raise InvalidArgumentError(
                f"kernel={brief(kernel)} must be a symequi.translations.kernels.Kernel (LinearKernel(), KeysCubicKernel(), ...)"
            )
        if not isinstance(normalize, bool):
            raise InvalidArgumentError(f"normalize={brief(normalize)} must be True or False")
        if interval is not None and not self.is_symbolic:
            raise InvalidArgumentError(
                f"interval={brief(interval)} is the range assumed for a symbolic s, but s={brief(self._s_text(), str)} has no symbols"
            )
        self.kernel = kernel
        self.interval = _check_interval(interval)
        self.normalize = normalize
        self.method = _method_name(kernel)

    @property
    def is_piecewise_linear(self) -> bool:  # type: ignore[override]
        """True when ``s`` is rational and every tap is rational (always for the
        polynomial kernels; for Lanczos only at integer ``s`` and, normalised,
        at ``s`` in Z + 1/2)."""
        if not super().is_piecewise_linear:
            return False
        if self.kernel.is_polynomial:
            return True
        return all(
            v.is_Rational for axis in range(len(self.shifts)) for v in self.taps(1, axis=axis).values()
        )

    # --- taps ---------------------------------------------------------------------
    @budgeted(lambda self, s, n: f"computing the taps of {brief(self.describe(), str)} for n={brief(n, str)}")
    def _axis_taps(self, s: sympy.Expr, n: int) -> Taps:
        if s.free_symbols:
            taps: Taps = self._symbolic_taps(s)
        elif s.is_Rational and self.kernel.is_polynomial:
            return self._rational_taps(s)
        elif s.is_Rational and isinstance(self.kernel, LanczosKernel):
            return self._lanczos_taps(s)
        else:
            taps = self._numeric_taps(s)
        if self.normalize:
            total = sympy.Add(*taps.values())
            taps = {m: h / total for m, h in taps.items()}
        return taps

    def _rational_taps(self, s: sympy.Rational) -> Taps:
        sq = sympy_to_fmpq(s)
        taps = {}
        for m in _tap_range(self.kernel, s):
            h = self.kernel.value_fmpq(flint.fmpq(m) - sq)
            if h != 0:
                taps[m] = h
        return taps

    def _lanczos_taps(self, s: sympy.Rational) -> Taps:
        if s.is_Integer:
            return {int(s): flint.fmpq(1)}
        kernel: LanczosKernel = self.kernel  # type: ignore[assignment]
        return _lanczos_taps(kernel, s, self.normalize)

    def _field_taps(self, s: sympy.Expr, n: int) -> dict[int, CyclotomicElement] | None:
        """Normalized Lanczos taps at a rational non-integer ``s`` (cyclotomic numbers; without
        normalization they carry ``1/pi**2``, outside every cyclotomic field)."""
        if type(self.kernel) is LanczosKernel and self.normalize and s.is_Rational and not s.is_Integer:
            return dict(_library_lanczos_weights(self.kernel.a, s, True))
        return None

    def _numeric_taps(self, s: sympy.Expr) -> Taps:
        taps = {}
        for m in _tap_range(self.kernel, s):
            x = m - s
            b = self.kernel.breakpoints
            piece = next((i for i in range(len(b) - 1) if bool(b[i] <= x) and bool(x < b[i + 1])), None)
            if piece is not None:
                value = self.kernel._piece_expr(piece, x)
                if value != 0:
                    taps[m] = value
        return taps

    def _symbolic_taps(self, s: sympy.Expr) -> Taps:
        lo, hi = self.interval
        b = list(self.kernel.breakpoints)
        bounds = [-sympy.oo] + b + [sympy.oo]
        taps = {}
        for m in range(int(sympy.floor(b[0] + lo)), int(sympy.ceiling(b[-1] + hi)) + 1):
            # x = m - s ranges over (m - hi, m - lo); piece k covers x in [B_k, B_{k+1}),
            # i.e. s in (m - B_{k+1}, m - B_k].
            pieces: list[tuple[sympy.Expr, sympy.Expr]] = []  # (expression, upper end in s)
            for k in range(len(bounds) - 2, -1, -1):   # increasing s
                if m - bounds[k + 1] < hi and m - bounds[k] > lo:
                    inside = 1 <= k <= len(b) - 1
                    expr = sympy.expand(self.kernel._piece_expr(k - 1, m - s)) if inside else sympy.Integer(0)
                    upper = m - bounds[k]
                    if pieces and pieces[-1][0] == expr:
                        pieces[-1] = (expr, upper)
                    else:
                        pieces.append((expr, upper))
            if not pieces or all(e == 0 for e, _ in pieces):
                continue
            if len(pieces) == 1:
                taps[m] = pieces[0][0]
            else:
                args = [(e, s <= upper) for e, upper in pieces[:-1]] + [(pieces[-1][0], True)]
                taps[m] = sympy.Piecewise(*args)
        return taps

    def assumptions(self) -> Assumptions:
        """A symbolic shift is assumed in the open ``interval`` (the taps are written for it).

        >>> s = sympy.Symbol('s')
        >>> InterpolationShift(s, kernel=LinearKernel(), interval=(0, '1/2')).assumptions()
        Assumptions({s: Interval((0, 1/2))})
        """
        if not self.is_symbolic:
            return Assumptions()
        lo, hi = self.interval
        return Assumptions({v: Interval.open(lo, hi) for v in self.shifts if v.free_symbols})

    # --- application (under the time budget) ---------------------------------------
    # (_shift_axis, not _apply: the circulant decider reads an operator whose _apply is
    # DiscreteTranslation's as the convolution with its taps)
    @budgeted(lambda self, signal, axis, taps:
              f"applying {brief(self.describe(), str)} along axis {brief(axis, str)} of a signal of shape {brief(signal.shape, str)}")
    def _shift_axis(self, signal: Signal, axis: int, taps: Taps) -> Signal:
        return super()._shift_axis(signal, axis, taps)

    @budgeted(lambda self, shape: f"building the matrix of {brief(self.describe(), str)} for shape {brief(shape, str)}")
    def matrix(self, shape: tuple[int, ...] | int) -> Any:
        return super().matrix(shape)

    # --- reports ------------------------------------------------------------------
    def _method_conventions(self) -> tuple[str, ...]:
        lines = [Phrase(
            f"interpolation kernel: {self.kernel.describe()}; out_j = sum_m K(m - s) u_{{j-m}}",
            f"interpolation kernel: {self.kernel.describe_latex()}; "
            r"$\mathrm{out}_j = \sum_m K(m - s)\, u_{j-m}$",
        )]
        if isinstance(self.kernel, LanczosKernel):
            lines.append(
                Phrase("Lanczos taps divided by their sum (as StyleGAN3's EQ-T_frac)",
                       r"Lanczos taps divided by their sum (as StyleGAN3's EQ-$T_{\mathrm{frac}}$)") if self.normalize
                else Phrase("Lanczos taps not normalised (raw windowed sinc values)",
                            "Lanczos taps not normalised (raw windowed sinc values)")
            )
        elif self.normalize:
            lines.append(Phrase("taps divided by their sum", "taps divided by their sum"))
        if self.kernel.reproduces is not None:
            lines.append(Phrase(
                f"reproduces samples of polynomials of degree <= {self.kernel.reproduces} away from the boundary",
                f"reproduces samples of polynomials of degree $\\le {self.kernel.reproduces}$ away from the boundary"
            ))
        if self.is_symbolic:
            lo, hi = self.interval
            lines.append(Phrase(
                f"symbolic s assumed in the open interval ({lo}, {hi}); a tap is Piecewise in s "
                "where a kernel breakpoint falls inside it",
                f"symbolic $s$ assumed in the open interval $({brief_latex(lo)}, {brief_latex(hi)})$; a tap is "
                "piecewise in $s$ where a kernel breakpoint falls inside it"
            ))
        return tuple(lines)

    def describe(self) -> str:
        extra = ", normalize=True" if self.normalize else ""
        return (
            f"InterpolationShift(s={brief(self._s_text(), str)}, kernel={brief(self.kernel)}, "
            f"boundary={brief(self.boundary)}{extra})"
        )


def _method_name(kernel: Kernel) -> str:
    if isinstance(kernel, LinearKernel):
        return "linear"
    if isinstance(kernel, KeysCubicKernel):
        return "cubic"
    if isinstance(kernel, LagrangeKernel):
        return "lagrange"
    if isinstance(kernel, LanczosKernel):
        return "lanczos"
    return "interpolation"


def _tap_range(kernel: Kernel, s: sympy.Expr) -> range:
    """The ``m`` whose tap ``K(m - s)`` can be nonzero (``m - s`` inside the kernel's support)."""
    b0, b1 = kernel.support
    return range(int(sympy.ceiling(s + b0)), int(sympy.ceiling(s + b1)))


def _lanczos_weights(kernel: LanczosKernel, s: sympy.Rational, normalize: bool) -> dict[int, CyclotomicElement]:
    """``K(m - s)`` for every ``m`` of :func:`_tap_range` as cyclotomic elements: divided by their total
    when ``normalize``, else the parts ``w`` of ``w / pi**2``."""
    weights = {m: kernel.algebraic_part(m - s) for m in _tap_range(kernel, s)}
    if normalize:
        total = CyclotomicElement.rational(0)
        for w in weights.values():
            total = total + w
        weights = {m: w / total for m, w in weights.items()}
    return weights


@functools.lru_cache(maxsize=256)
def _library_lanczos_weights(a: int, s: sympy.Rational, normalize: bool) -> tuple[tuple[int, CyclotomicElement], ...]:
    """The nonzero taps :func:`_lanczos_weights` of ``LanczosKernel(a=a)`` at a rational ``s``,
    computed once per ``(a, s, normalize)`` (a sweep applies the same shift to thousands of inputs).

    >>> [(m, w.to_sympy()) for m, w in _library_lanczos_weights(3, sympy.Rational(1, 2), True)]   # by hand:
    [(-2, 9/368), (-1, -25/184), (0, 225/368), (1, 225/368), (2, -25/184), (3, 9/368)]

    (``6, -4/3, 6/25`` at ``|x| = 1/2, 3/2, 5/2``, times ``1/pi**2``, over their total ``736/75``.)
    """
    weights = _lanczos_weights(LanczosKernel(a=a), s, normalize)
    return tuple((m, w) for m, w in weights.items() if not w.is_zero)


def _lanczos_taps(kernel: LanczosKernel, s: sympy.Rational, normalize: bool) -> Taps:
    """The taps ``K(m - s)`` of a Lanczos kernel at a rational ``s``: exact algebraic
    numbers (cyclotomic, over ``pi**2`` unless ``normalize`` divides them by their total)."""
    if type(kernel) is LanczosKernel:  # the library's kernel: its taps depend on (a, s) only
        return dict(_library_lanczos_exprs(kernel.a, s, normalize))
    return _weight_exprs(_lanczos_weights(kernel, s, normalize).items(), normalize)


def _weight_exprs(weights: Iterable[tuple[int, CyclotomicElement]], normalize: bool) -> Taps:
    if normalize:
        return {m: w.to_sympy() for m, w in weights if not w.is_zero}
    return {m: w.to_sympy() / sympy.pi**2 for m, w in weights if not w.is_zero}


@functools.lru_cache(maxsize=256)
def _library_lanczos_exprs(a: int, s: sympy.Rational, normalize: bool) -> tuple[tuple[int, sympy.Expr], ...]:
    """:func:`_library_lanczos_weights` as sympy expressions (``w / pi**2`` unless ``normalize``)."""
    return tuple(_weight_exprs(_library_lanczos_weights(a, s, normalize), normalize).items())
