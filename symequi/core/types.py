"""The names symequi accepts for options, as ``Literal`` types (defined once).

Public signatures use these types, so a type checker flags ``padding="same"``
or ``method="bilinear"`` before the code runs; the tuples beside them
(``PADDINGS``, ``BOUNDARIES``, ...) are the same names at run time, for the
checks that give a clear error (``InvalidArgumentError``) naming the argument.

=================  ============================================================  =======================
type               names                                                          used by
=================  ============================================================  =======================
``Padding``        zeros, periodic, reflect, replicate, valid                     Convolution, Correlation
``PoolPadding``    valid, periodic, reflect, replicate                            MaxPool, AvgPool
``Boundary``       periodic, zeros                                                discrete translations
``ShiftMethod``    integer, linear, cubic, lagrange, lanczos, fourier,            ``shift(s, method=...)``
                   finite_volume
``FVBias``         left, right                                                    finite-volume shifts
``DecideMethod``   auto, linear, compositional, smt, search                       ``decide(..., method=...)``
=================  ============================================================  =======================

Example
-------
>>> from symequi.core.types import PADDINGS, Padding
>>> PADDINGS
('zeros', 'periodic', 'reflect', 'replicate', 'valid')
>>> def layer_padding(padding: Padding = "zeros") -> Padding:
...     return padding
>>> layer_padding("periodic")
'periodic'
"""

from __future__ import annotations

from typing import Literal, get_args

__all__ = [
    "Padding", "PoolPadding", "Boundary", "ShiftMethod", "FVBias", "DecideMethod",
    "PADDINGS", "POOL_PADDINGS", "BOUNDARIES", "SHIFT_METHODS", "FV_BIASES", "DECIDE_METHODS",
]

#: How a layer reads entries outside the signal (see :mod:`symequi.layers.padding`).
Padding = Literal["zeros", "periodic", "reflect", "replicate", "valid"]
#: The paddings pooling offers (a zero is not an input entry, so no ``"zeros"``).
PoolPadding = Literal["valid", "periodic", "reflect", "replicate"]
#: The boundary treatments every discrete translation understands.
Boundary = Literal["periodic", "zeros"]
#: The methods :func:`symequi.translations.shift` understands.
ShiftMethod = Literal["integer", "linear", "cubic", "lagrange", "lanczos", "fourier", "finite_volume"]
#: Which side has the extra cell in an odd-degree finite-volume stencil.
FVBias = Literal["left", "right"]
#: The deciders :func:`symequi.deciders.decide` can be asked for.
DecideMethod = Literal["auto", "linear", "compositional", "smt", "search"]

PADDINGS: tuple[Padding, ...] = get_args(Padding)
POOL_PADDINGS: tuple[PoolPadding, ...] = get_args(PoolPadding)
BOUNDARIES: tuple[Boundary, ...] = get_args(Boundary)
SHIFT_METHODS: tuple[ShiftMethod, ...] = get_args(ShiftMethod)
FV_BIASES: tuple[FVBias, ...] = get_args(FVBias)
DECIDE_METHODS: tuple[DecideMethod, ...] = get_args(DecideMethod)
