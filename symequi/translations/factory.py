"""The one entry point for discrete translations: :func:`shift` by method name.

It builds an :class:`~symequi.translations.base.IntegerShift`, an
:class:`~symequi.translations.interpolation.InterpolationShift` (linear, cubic,
Lagrange, Lanczos), a :class:`~symequi.translations.fourier.FourierShift` or a
:class:`~symequi.translations.finite_volume.FiniteVolumeShift`; see
:mod:`symequi.translations.base` for the conventions they share.

Example
-------
>>> from symequi.core.signal import Signal
>>> shift('1/2', method='linear')(Signal([0, 0, 1, 1]))
Signal([1/2, 0, 1/2, 1])
"""

from __future__ import annotations

from typing import Any

from ..core.errors import InvalidArgumentError
from ..core.types import Boundary, FVBias, ShiftMethod
from .base import METHODS, DiscreteTranslation, IntegerShift
from .finite_volume import FiniteVolumeShift
from .fourier import FourierShift
from .interpolation import InterpolationShift
from .kernels import KeysCubicKernel, Kernel, LagrangeKernel, LanczosKernel, LinearKernel
from ..core.texts import brief

__all__ = ["shift"]


def shift(
    s: Any,
    *,
    method: ShiftMethod = "integer",
    boundary: Boundary = "periodic",
    order: Any = None,
    degree: Any = None,
    normalize: bool | None = None,
    interval: Any = None,
    bias: FVBias | None = None,
) -> DiscreteTranslation:
    """A discrete translation by ``s`` cells (content moves right).

    Parameters
    ----------
    s : exact number, sympy expression, or tuple (one per axis)
    method : ``"integer"``, ``"linear"``, ``"cubic"`` (Keys, a = -1/2),
        ``"lagrange"`` (needs ``order``), ``"lanczos"`` (a = 3), ``"fourier"``
        (band-limited, periodic only) or ``"finite_volume"`` (needs ``degree``)
    boundary : ``"periodic"`` or ``"zeros"``
    order : Lagrange order p >= 1 (p + 1 nearest samples)
    degree : finite-volume reconstruction degree p >= 0
    normalize : Lanczos only: divide the taps by their sum (default True, as
        StyleGAN3's EQ-T_frac does)
    interval : interpolation/finite volume with a symbolic ``s``: the open
        interval ``(lo, hi)`` assumed to contain ``s`` (default ``(0, 1)``)
    bias : finite volume of odd degree only: ``"left"`` (default; the stencil
        has one more cell on the left, upwind for s > 0) or ``"right"``

    Returns
    -------
    DiscreteTranslation

    Example
    -------
    >>> from symequi.core.signal import Signal
    >>> shift('1/2', method='finite_volume', degree=0)(Signal([0, 0, 1, 1]))
    Signal([1/2, 0, 1/2, 1])
    """
    if method not in METHODS:
        raise InvalidArgumentError(
            f"method={brief(method)} is not supported; use one of {brief(', '.join(brief(item) for item in METHODS), str)}"
        )
    if order is not None and method != "lagrange":
        raise InvalidArgumentError(f"order={brief(order)} applies only to method='lagrange', not {brief(method)}")
    if degree is not None and method != "finite_volume":
        raise InvalidArgumentError(f"degree={brief(degree)} applies only to method='finite_volume', not {brief(method)}")
    if normalize is not None and method != "lanczos":
        raise InvalidArgumentError(f"normalize={brief(normalize)} applies only to method='lanczos', not {brief(method)}")
    if bias is not None and method != "finite_volume":
        raise InvalidArgumentError(f"bias={brief(bias)} applies only to method='finite_volume', not {brief(method)}")
    if interval is not None and method in ("integer", "fourier"):
        raise InvalidArgumentError(
            f"interval={brief(interval)} applies only to the interpolation and finite-volume methods"
        )
    if method == "integer":
        return IntegerShift(s, boundary=boundary)
    if method == "fourier":
        return FourierShift(s, boundary=boundary)
    if method == "finite_volume":
        if degree is None:
            raise InvalidArgumentError(
                "method='finite_volume' needs degree=p, the reconstruction degree (0 is the upwind scheme)"
            )
        return FiniteVolumeShift(s, degree=degree, boundary=boundary, interval=interval, bias=bias or "left")
    kernel: Kernel
    if method == "linear":
        kernel = LinearKernel()
    elif method == "cubic":
        kernel = KeysCubicKernel()
    elif method == "lagrange":
        if order is None:
            raise InvalidArgumentError("method='lagrange' needs order=p (p >= 1; p + 1 nearest samples)")
        kernel = LagrangeKernel(order=order)
    else:
        kernel = LanczosKernel()
    return InterpolationShift(
        s, kernel=kernel, boundary=boundary, interval=interval,
        normalize=True if normalize is None and method == "lanczos" else bool(normalize),
    )

