"""``ChannelAffine``: ``y^c = s_c x^c + t_c`` per channel (axis 0): BatchNorm in eval mode.

PyTorch's ``BatchNorm`` in eval mode computes
``(x - mean) / sqrt(var + eps) * gamma + beta``, an affine map per channel with
scale ``s = gamma / sqrt(var + eps)`` and shift ``t = beta - mean * s``.  The
scale is usually irrational; :mod:`symequi.models` offers both the exact
algebraic scale and the rational value of its float64 rounding (see there).
With rational scale and shift the layer is piecewise linear (the SMT decider
encodes it); with an algebraic scale only the linear and search deciders take it.

Example
-------
>>> from symequi.layers.affine import ChannelAffine
>>> ChannelAffine([2, '1/2'], [0, 1])([[1, 2], [4, 6]])
Signal([[2, 4], [3, 4]])
"""

from __future__ import annotations

import math
from typing import Any

from ..core.encoding import V, VectorAlgebra
from ..core.errors import EncodingError, InvalidArgumentError
from ..core.operator import Operator, PermutationLemma
from ..core.signal import Signal
from ..core.texescape import Phrase
from .convolution import exact_array
from ..core.texts import brief

__all__ = ["ChannelAffine"]


class ChannelAffine(Operator):
    """``y^c = scale[c] * x^c + shift[c]`` for the channels ``c`` on axis 0.

    >>> ChannelAffine([3], [1]).is_linear
    False
    """

    semantic_methods = ("_apply", "_coefficients")

    def __init__(self, scale: Any, shift: Any = None) -> None:
        self.scale: Signal = exact_array(scale, "scale")
        self.shift: Signal = exact_array(shift if shift is not None else [0] * self.scale.size, "shift")
        if self.scale.ndim != 1 or self.shift.shape != self.scale.shape:
            raise InvalidArgumentError(
                f"scale (shape {brief(self.scale.shape, str)}) and shift (shape {brief(self.shift.shape, str)}) must be flat lists "
                "with one value per channel"
            )
        self.channels: int = self.scale.size

    @property
    def is_linear(self) -> bool:  # type: ignore[override]
        return all(v == 0 for v in self.shift.flat_exprs())

    @property
    def is_piecewise_linear(self) -> bool:  # type: ignore[override]
        return self.scale.is_rational and self.shift.is_rational

    def _coefficients(self, shape: tuple[int, ...]) -> tuple[int, list[Any], list[Any]]:
        if len(shape) < 1 or shape[0] != self.channels:
            raise InvalidArgumentError(
                f"ChannelAffine has {brief(self.channels, str)} channels, so it expects a signal of shape "
                f"({brief(self.channels, str)}, ...) with channels first; got shape {brief(shape, str)}"
            )
        per = math.prod(shape[1:])
        rational = self.is_piecewise_linear
        scale = self.scale.flat_fmpqs() if rational else self.scale.flat_exprs()
        shift = self.shift.flat_fmpqs() if rational else self.shift.flat_exprs()
        return per, scale, shift

    def _apply(self, signal: Signal) -> Signal:
        per, scale, shift = self._coefficients(signal.shape)
        if signal.is_rational and self.is_piecewise_linear:
            flat = signal.flat_fmpqs()
            return Signal.from_fmpqs([scale[i // per] * v + shift[i // per] for i, v in enumerate(flat)], signal.shape)
        flat = signal.flat_exprs()
        return Signal.from_exprs([scale[i // per] * v + shift[i // per] for i, v in enumerate(flat)], signal.shape)

    def encode(self, algebra: VectorAlgebra[V], values: V, shape: tuple[int, ...]) -> V:
        """A diagonal matrix, then the per-channel shift (rational parameters only)."""
        if not self.is_piecewise_linear:
            raise EncodingError(f"{brief(self.describe(), str)} has irrational parameters; {brief(algebra.name, str)} needs rational ones")
        per, scale, shift = self._coefficients(tuple(shape))
        size = per * self.channels
        out = algebra.linear(values, [[(i, scale[i // per])] for i in range(size)], size)
        return out if self.is_linear else algebra.add_constants(out, [shift[i // per] for i in range(size)])

    def permutation_lemma(self, shape: tuple[int, ...], pi: tuple[int, ...],
                          assumptions: Any = None) -> PermutationLemma | None:
        """Proved when ``pi`` moves entries only within channels (per-channel affine maps commute with it).

        >>> ChannelAffine([1, 2]).permutation_lemma((2, 2), (1, 0, 3, 2)).proved
        True
        """
        per = math.prod(shape[1:]) if shape else 1
        if all(source // per == j // per for j, source in enumerate(pi)):
            return PermutationLemma(True, "channel affine", "per-channel affine map, P moves entries only "
                                                            "within each channel")
        return None

    def maps_reals_to_reals(self) -> bool:
        return all(bool(v.is_real) for v in self.scale.flat_exprs() + self.shift.flat_exprs())

    def conventions(self) -> tuple[str, ...]:
        return (Phrase("per-channel affine y^c = s_c x^c + t_c (BatchNorm in eval mode, channels on axis 0): "
                       "commutes with every shift within channels",
                       "per-channel affine $y^c = s_c x^c + t_c$ (BatchNorm in eval mode, channels on axis 0): "
                       "commutes with every shift within channels"),)

    def describe(self) -> str:
        return (f"per-channel affine, scale [{brief(', '.join(brief(item, str) for item in self.scale.flat_exprs()), str)}], "
                f"shift [{brief(', '.join(brief(item, str) for item in self.shift.flat_exprs()), str)}]")

    def __repr__(self) -> str:
        return f"ChannelAffine({brief(self.channels, str)} channels)"
