"""``Clamp(lo, hi)``: clip every entry to ``[lo, hi]`` (``Hardtanh`` is ``Clamp(-1, 1)``).

This module is the example of adding a layer: one class that states its
piecewise-linear pieces.  The values on rationals, the branch of an algebraic
entry, the SMT encoding, the action on outputs that are polynomials in delta
and the compositional lemma (entrywise) all follow from the pieces through the
layer protocol; no decider changes.

Example
-------
>>> from symequi.layers.clamp import Clamp
>>> Clamp(0, 1)([-2, '1/3', 5])
Signal([0, 1/3, 1])
"""

from __future__ import annotations

from typing import Any

import sympy

from ..core.encoding import PiecewiseLinearFunction
from ..core.errors import InvalidArgumentError
from ..core.exact import to_rational
from .activations import ENTRY, PiecewiseLinearActivation
from ..core.texts import brief, brief_latex

__all__ = ["Clamp", "Hardtanh"]


class Clamp(PiecewiseLinearActivation):
    """``Clamp(lo, hi)(x) = min(max(x, lo), hi)`` entrywise; ``lo < hi`` rational.

    >>> Clamp('-1/2', '1/2')([-1, '1/4', 1])
    Signal([-1/2, 1/4, 1/2])
    """

    def __init__(self, lo: Any, hi: Any) -> None:
        self.lo: sympy.Rational = to_rational(lo, "lo")
        self.hi: sympy.Rational = to_rational(hi, "hi")
        if not self.lo < self.hi:
            raise InvalidArgumentError(f"lo={brief(self.lo, str)} must be less than hi={brief(self.hi, str)}; e.g. Clamp(-1, 1)")
        pieces = PiecewiseLinearFunction.from_pieces([self.lo, self.hi], [(0, self.lo), (1, 0), (0, self.hi)])
        super().__init__(pieces, sympy.Min(sympy.Max(ENTRY, self.lo), self.hi))

    def _formula(self) -> str:
        return f"Clamp(x) = min(max(x, {self.lo}), {self.hi})"

    def _formula_latex(self) -> str:
        return rf"\mathrm{{Clamp}}(x) = \min(\max(x, {brief_latex(self.lo)}), {brief_latex(self.hi)})"

    def __repr__(self) -> str:
        return f"Clamp({brief(self.lo, str)}, {brief(self.hi, str)})" if self.lo.is_Integer and self.hi.is_Integer \
            else f"Clamp('{brief(self.lo, str)}', '{brief(self.hi, str)}')"


def Hardtanh() -> Clamp:
    """PyTorch's ``Hardtanh()``: ``Clamp(-1, 1)``.

    >>> Hardtanh()(['-3/2', '1/2'])
    Signal([-1, 1/2])
    """
    return Clamp(-1, 1)
