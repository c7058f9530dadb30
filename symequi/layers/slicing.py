"""``Slice``: keep a range of entries along some axes (``x[..., a:b:s]``, ONNX ``Slice``).

Like :class:`~symequi.layers.pad.Pad` it only moves entries, so it is linear
and described to the deciders as a 0/1 matrix.

Example
-------
>>> from symequi.layers.slicing import Slice
>>> Slice({1: (1, 4, 2)})([[0, 1, 2, 3, 4]])
Signal([[1, 3]])
"""

from __future__ import annotations

from typing import Any

from ..core.errors import InvalidArgumentError
from ..core.texescape import Phrase, escape_latex
from .gather import AxisGather
from ..core.texts import brief

__all__ = ["Slice"]



class Slice(AxisGather):
    """Keep ``range(start, stop, step)`` of each axis in ``ranges`` (``{axis: (start, stop, step)}``,
    Python slice semantics: negative and out-of-range bounds are clipped as ``x[start:stop:step]`` does).

    >>> Slice({0: (-2, None, 1)}).output_shape((5,))
    (2,)
    """

    def __init__(self, ranges: dict[int, tuple[Any, Any, Any]]) -> None:
        if not isinstance(ranges, dict) or not ranges:
            raise InvalidArgumentError(f"ranges={brief(ranges)} must be a non-empty dict axis -> (start, stop, step)")
        checked = {}
        for axis, rng in ranges.items():
            if not isinstance(axis, int) or not isinstance(rng, tuple) or len(rng) != 3:
                raise InvalidArgumentError(f"ranges[{brief(axis)}]={brief(rng)} must be (start, stop, step) for an int axis")
            start, stop, step = rng
            for what, bound in (("start", start), ("stop", stop)):
                if bound is not None and (isinstance(bound, bool) or not isinstance(bound, int)):
                    raise InvalidArgumentError(f"the {brief(what, str)} of axis {brief(axis, str)} must be an int or None, not {brief(bound)}")
            if step is not None and (isinstance(step, bool) or not isinstance(step, int) or step == 0):
                raise InvalidArgumentError(f"the step of axis {brief(axis, str)} must be a nonzero int, not {brief(step)}")
            checked[axis] = slice(start, stop, step)
        self.ranges: dict[int, slice] = checked

    def _axis_maps(self, shape: tuple[int, ...]) -> list[list[int | None]]:
        kept: list[list[int | None]] = [list(range(n)) for n in shape]
        for axis, sl in self.ranges.items():
            if not -len(shape) <= axis < len(shape):
                raise InvalidArgumentError(f"Slice axis {brief(axis, str)} is out of range for shape {brief(shape, str)}")
            kept[axis] = kept[axis][sl]
            if not kept[axis]:
                raise InvalidArgumentError(f"Slice {brief(sl, str)} of axis {brief(axis, str)} keeps no entries of shape {brief(shape, str)}")
        return kept

    def conventions(self) -> tuple[str, ...]:
        return (Phrase(f"slice: keeps {self._text()} (the output is shorter)",
                       f"slice: keeps {escape_latex(self._text())} (the output is shorter)"),)

    def _text(self) -> str:
        def part(sl: slice) -> str:
            text = f"{'' if sl.start is None else sl.start}:{'' if sl.stop is None else sl.stop}"
            return text + (f":{sl.step}" if sl.step not in (None, 1) else "")
        return ", ".join(f"axis {brief(a, str)} [{brief(part(sl), str)}]" for a, sl in sorted(self.ranges.items()))

    def describe(self) -> str:
        return f"slice {brief(self._text(), str)}"

    def __repr__(self) -> str:
        return f"Slice({brief(self._text(), str)})"
