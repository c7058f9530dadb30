"""Shared helpers of the C8 proof scripts (``c8_*.py``).

Not a proof script (the leading ``_`` keeps ``symequi prove`` from scanning
it); the scripts import it by name because their folder is on ``sys.path``
while they load.

The exact machinery the C8 claims use lives in the library:

* :mod:`symequi.arith.formal_laurent`: :class:`~symequi.arith.formal_laurent.FormalLaurent`,
  polynomials in formal coefficients and a Laurent variable ``E`` over
  cyclotomic fields, and :func:`~symequi.arith.formal_laurent.formal_matvec`;
* :mod:`symequi.translations.fourier_symbolic`: the band-limited shift's taps as Laurent
  polynomials in ``E = exp(-2 pi i s/N)`` (an identity in ``E`` holds for
  every real shift ``s``), Fourier modes, the general band-limited input;
* :mod:`symequi.translations.resampling`: :class:`~symequi.translations.resampling.FourierUpsample`,
  :class:`~symequi.translations.resampling.IdealLowPass`, :class:`~symequi.translations.resampling.Downsample`.

What is left here is specific to the claims: the activation ``t -> t**2``
on vectors of formal entries (:func:`square_entries`).

>>> from symequi.arith.formal_laurent import FormalLaurent
>>> square_entries([FormalLaurent.symbol(0) + 1])
[FormalLaurent(a0**2 + 2*a0 + 1)]
"""

from __future__ import annotations

from collections.abc import Sequence

from symequi.arith.formal_laurent import FormalLaurent

__all__ = ["square_entries"]


def square_entries(vector: Sequence[FormalLaurent]) -> list[FormalLaurent]:
    """The activation ``t -> t**2`` entry by entry."""
    return [v * v for v in vector]
