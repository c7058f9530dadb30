"""Layers on signals whose entries lie in a cyclotomic field, without sympy.

A Fourier shift of a rational signal is a
:class:`~symequi.arith.cyclotomic_vector.CyclotomicVector`: ``phi(M)`` rational
coordinate columns, ``u = sum_k zeta^k c_k``.  Two kinds of layer keep such a
signal in its field:

* a map that is affine over Q (a convolution with a rational kernel, average
  pooling, a translation with rational taps), ``L(v) = A v + b``, acts column by
  column on the rational fast path: ``L(u) = L(c_0) + sum_{k >= 1} zeta^k
  (L(c_k) - L(0))`` (:func:`apply_by_coordinates`);
* a map that compares entries (max pooling, the activations) reads each entry
  as a :class:`~symequi.arith.cyclotomic.CyclotomicElement` and decides every
  comparison by :meth:`~symequi.arith.cyclotomic.CyclotomicElement.sign`
  (exact zero test, then certified balls), :func:`field_elements`.

Example
-------
>>> import sympy
>>> from symequi.core.signal import Signal
>>> from symequi.translations.fourier import FourierShift
>>> from symequi.layers.convolution import Convolution
>>> u = FourierShift(sympy.Rational(1, 2))(Signal([1, 0, 0, 0]))      # entries in Q(zeta_8)
>>> out = apply_by_coordinates(u, Convolution([1, -1], padding="periodic")._apply)
>>> out.field_vector is not None, out == Signal([e - f for e, f in zip(u.flat_exprs(), u.flat_exprs()[-1:] + u.flat_exprs()[:-1])])
(True, True)
"""

from __future__ import annotations

from collections.abc import Callable

import flint

from ..core.signal import Signal
from .cyclotomic import CyclotomicElement
from .cyclotomic_vector import CyclotomicVector


def apply_by_coordinates(signal: Signal, rational_map: Callable[[Signal], Signal], *,
                         linear: bool = False) -> Signal | None:
    """``rational_map`` (a map that is affine over Q, or linear when ``linear``) applied to a
    signal held in a cyclotomic field, one rational coordinate column at a time; None when the
    signal is not such a signal or a column's image is not rational (then the caller computes
    otherwise).

    >>> from symequi.arith.cyclotomic import cos_pi
    >>> u = Signal.from_field(CyclotomicVector.from_elements([cos_pi('1/4'), 1]), (2,))
    >>> apply_by_coordinates(u, lambda s: s * 2 + Signal([1, 1]))    # 2 u + 1, affine
    Signal([1 + sqrt(2), 3])
    """
    vector = signal.field_vector
    if not isinstance(vector, CyclotomicVector):
        return None
    images = [rational_map(Signal.from_poly(column, signal.shape)) for column in vector.columns]
    if not all(image.is_rational for image in images):
        return None
    shape = images[0].shape
    columns = [image.flat_poly() for image in images]
    if not linear:
        offset = rational_map(Signal.from_poly(flint.fmpq_poly(), signal.shape))
        if not offset.is_rational:
            return None
        b = offset.flat_poly()
        if not b.is_zero():
            columns = columns[:1] + [c - b for c in columns[1:]]
    size = images[0].size
    return Signal.from_field(CyclotomicVector(columns, vector.order, size), shape)


def field_elements(signal: Signal, *, real: bool = True) -> list[CyclotomicElement] | None:
    """The flat entries of a signal held in a cyclotomic field, as elements (when ``real``:
    only if all are real); else None.

    >>> from symequi.arith.cyclotomic import cos_pi
    >>> [e.sign() for e in field_elements(Signal.from_field(CyclotomicVector.from_elements([cos_pi('3/4'), 1]), (2,)))]
    [-1, 1]
    """
    vector = signal.field_vector
    if not isinstance(vector, CyclotomicVector):
        return None
    elements = [vector.element(j) for j in range(vector.size)]
    return elements if not real or all(e.is_real for e in elements) else None


def from_elements(elements: list[CyclotomicElement], shape: tuple[int, ...]) -> Signal:
    """A signal of ``shape`` holding ``elements`` in their field (rational ones as QQ).

    >>> from_elements([CyclotomicElement.rational(2)], (1,))
    Signal([2])
    """
    return Signal.from_field(CyclotomicVector.from_elements(elements), shape)
