"""``Pad``: explicit padding of the trailing axes (PyTorch's ``F.pad``, ONNX ``Pad``).

Unlike the padding built into a convolution, this layer makes the signal
longer: ``Pad(((1, 2),), mode="periodic")`` turns ``(C, N)`` into
``(C, N + 3)``.  The modes are those of :mod:`symequi.layers.padding`
(``zeros``, ``periodic`` (PyTorch ``circular``, ONNX ``wrap``), ``reflect``,
``replicate`` (ONNX ``edge``)) and ``constant`` with a rational ``value``
(affine when the value is not 0).  Every output entry is an input entry or the
constant, so the layer is described to the deciders as a 0/1 matrix (plus the
constant).

Example
-------
>>> from symequi.layers.pad import Pad
>>> Pad(((2, 1),), mode="periodic")([1, 2, 3])
Signal([2, 3, 1, 2, 3, 1])
>>> Pad(((1, 0), (0, 1)), value=5)([[1, 2]])
Signal([[5, 5, 5], [1, 2, 5]])
"""

from __future__ import annotations

from typing import Any, cast

import flint
import sympy

from ..core.encoding import V, VectorAlgebra
from ..core.errors import InvalidArgumentError
from ..core.exact import sympy_to_fmpq, to_rational
from ..core.types import Padding
from ..core.operator import PermutationLemma
from .gather import AxisGather
from ..core.texescape import Phrase
from .padding import check_padding, extend_indices, padding_convention
from ..core.texts import brief, brief_latex

__all__ = ["Pad"]

_MODES = ("zeros", "periodic", "reflect", "replicate")


class Pad(AxisGather):
    """Pad the last ``len(widths)`` axes: ``widths[k] = (before, after)`` for axis ``-len(widths) + k``.

    Parameters
    ----------
    widths : one ``(before, after)`` pair of nonnegative ints per padded trailing axis.
    mode : ``'zeros'`` (default), ``'periodic'``, ``'reflect'`` or ``'replicate'``.
    value : the constant of zero padding (rational; default 0).

    >>> Pad(((1, 1),), mode="replicate")([1, 2]).to_list()
    [1, 1, 2, 2]
    """

    def __init__(self, widths: Any, mode: str = "zeros", value: Any = 0) -> None:
        if not isinstance(widths, (list, tuple)) or not widths:
            raise InvalidArgumentError(f"widths={brief(widths)} must be a list of (before, after) pairs, one per padded axis")
        pairs = []
        for k, pair in enumerate(widths):
            if (not isinstance(pair, (list, tuple)) or len(pair) != 2
                    or any(isinstance(v, bool) or not isinstance(v, int) or v < 0 for v in pair)):
                raise InvalidArgumentError(
                    f"widths[{k}]={brief(pair)} must be a pair (before, after) of nonnegative ints "
                    "(negative padding, i.e. cropping, is not supported)"
                )
            pairs.append((int(pair[0]), int(pair[1])))
        self.widths: tuple[tuple[int, int], ...] = tuple(pairs)
        self.mode: Padding = check_padding(mode, allowed=cast("tuple[Padding, ...]", _MODES), name="mode")
        self.value: sympy.Rational = to_rational(value, "value")
        if self.value != 0 and self.mode != "zeros":
            raise InvalidArgumentError(f"value={brief(self.value, str)} is only used with mode='zeros' (constant padding)")

    @property
    def is_linear(self) -> bool:  # type: ignore[override]
        """True unless a nonzero constant is padded (then the layer is affine)."""
        return self.value == 0

    def _axis_maps(self, shape: tuple[int, ...]) -> list[list[int | None]]:
        lead = len(shape) - len(self.widths)
        if lead < 0:
            raise InvalidArgumentError(
                f"Pad pads the last {len(self.widths)} axes, but the signal has shape {brief(shape, str)}"
            )
        maps: list[list[int | None]] = [list(range(n)) for n in shape[:lead]]
        maps += [extend_indices(n, a, b, self.mode, what=repr(self)) for n, (a, b) in zip(shape[lead:], self.widths)]
        return maps

    def _fill(self) -> Any:
        return self.value

    def encode(self, algebra: VectorAlgebra[V], values: V, shape: tuple[int, ...]) -> V:
        """A 0/1 matrix (each output copies one input or is 0), then the constant where padded.

        >>> from symequi.core.encoding import VectorAlgebra
        >>> class Rows(VectorAlgebra):
        ...     def linear(self, values, rows, out_size):
        ...         return [[j for j, _ in row] for row in rows]
        >>> Pad(((1, 1),), mode="periodic").encode(Rows(), None, (2,))
        [[1], [0], [1], [0]]
        """
        out = super().encode(algebra, values, shape)
        if self.value == 0:
            return out
        c = sympy_to_fmpq(self.value)
        return algebra.add_constants(out, [c if s is None else flint.fmpq(0) for s in self.sources(tuple(shape))])

    def permutation_lemma(self, shape: tuple[int, ...], pi: tuple[int, ...],
                          assumptions: Any = None) -> PermutationLemma | None:
        """None: padding changes the shape, so it commutes with no permutation of one shape."""
        return None

    def maps_reals_to_reals(self) -> bool:
        """True: every output is an input entry or a rational constant."""
        return True

    def conventions(self) -> tuple[str, ...]:
        """The padding rule in words.

        >>> Pad(((1, 1),), mode="periodic").conventions()[0]
        'explicit padding of the last 1 axis by (before, after) = ((1, 1),): the output is longer'
        """
        n = len(self.widths)
        axes = f"{n} axi{'s' if n == 1 else 'es'}"
        widths = ", ".join(f"({a}, {b})" for a, b in self.widths)
        boundary = padding_convention(self.mode)
        if self.value != 0:
            boundary = Phrase(f"{boundary}; the constant is {self.value}",
                              f"{boundary.latex}; the constant is ${brief_latex(self.value)}$")
        return (Phrase(f"explicit padding of the last {axes} by (before, after) = {self.widths}: the output is longer",
                       f"explicit padding of the last {axes} by (before, after) $= {widths}$: the output is longer"),
                boundary)

    def describe(self) -> str:
        """One line.

        >>> Pad(((1, 2),), mode="reflect").describe()
        'pad ((1, 2),) reflect'
        """
        extra = "" if self.value == 0 else f" value {brief(self.value, str)}"
        return f"pad {brief(self.widths, str)} {brief(self.mode, str)}{extra}"

    def __repr__(self) -> str:
        extra = "" if self.value == 0 else f", value={brief(self.value, str)}"
        return f"Pad({brief(self.widths, str)}, mode={brief(self.mode)}{extra})"
