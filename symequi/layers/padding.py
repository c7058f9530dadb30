"""Boundary handling for layers: which input entry a position outside the signal reads.

A layer that reads ``b_i`` for ``i`` outside ``0 .. n-1`` needs a rule for
those entries.  symequi names five rules, the same as PyTorch/numpy:

=============  ==============================================  ====================
padding        ``b_i`` for ``i < 0`` (and symmetrically at the end)  numpy ``np.pad`` mode
=============  ==============================================  ====================
``zeros``      0                                               ``constant``
``periodic``   ``b_{i mod n}``                                 ``wrap``
``reflect``    ``b_{-i}`` (the edge entry is not repeated)     ``reflect``
``replicate``  ``b_0``                                         ``edge``
``valid``      not read: only fully supported outputs exist    (no padding)
=============  ==============================================  ====================

Shift equivariance is exact only with ``periodic``; with the others it holds
away from the boundary.  :func:`extend_indices` is the one place that maps a
padded position to the input index it reads.

Example
-------
>>> from symequi.layers.padding import extend_indices
>>> extend_indices(4, 2, 1, "periodic")
[2, 3, 0, 1, 2, 3, 0]
>>> extend_indices(4, 2, 1, "reflect")
[2, 1, 0, 1, 2, 3, 2]
>>> extend_indices(4, 1, 1, "zeros")
[None, 0, 1, 2, 3, None]
"""

from __future__ import annotations

from typing import Any

from ..core.errors import InvalidArgumentError
from ..core.texescape import Phrase
from ..core.types import PADDINGS, Padding
from ..core.texts import brief

__all__ = ["PADDINGS", "check_padding", "extend_indices", "pad_sources", "padding_convention", "source_index"]


def check_padding(padding: Any, *, allowed: tuple[Padding, ...] = PADDINGS, name: str = "padding") -> Padding:
    """Validate a padding name and return it.

    >>> check_padding("periodic")
    'periodic'
    """
    if not isinstance(padding, str) or padding not in allowed:
        hint = ""
        if padding == "same":
            hint = (
                "; for PyTorch's padding='same' use padding='zeros' (the output keeps the input "
                "length) with Correlation(..., origin=-((K - 1) // 2))"
            )
        elif padding in ("circular", "wrap"):
            hint = "; circular/wrap padding is called 'periodic' here"
        elif padding in ("edge",):
            hint = "; edge padding is called 'replicate' here"
        elif padding in ("constant", "zero", 0):
            hint = "; zero padding is called 'zeros' here"
        raise InvalidArgumentError(
            f"{name}={brief(padding)} is not one of {brief(', '.join(brief(p) for p in allowed), str)}{hint}"
        )
    return padding


def source_index(i: int, n: int, padding: Padding) -> int | None:
    """The input index read at position ``i`` of an axis of length ``n`` (None: a zero).

    Positions inside ``0 .. n-1`` read themselves.  ``reflect`` is valid for
    ``-(n-1) <= i <= 2(n-1)`` (callers check the reach with :func:`extend_indices`).

    >>> source_index(-1, 5, "replicate"), source_index(5, 5, "periodic")
    (0, 0)
    """
    if 0 <= i < n:
        return i
    if padding == "zeros":
        return None
    if padding == "periodic":
        return i % n
    if padding == "replicate":
        return 0 if i < 0 else n - 1
    if padding == "reflect":
        return -i if i < 0 else 2 * (n - 1) - i
    raise InvalidArgumentError(
        f"padding={brief(padding)} does not read entries outside the signal (position {brief(i, str)}, axis length {brief(n, str)}); "
        "use one of 'zeros', 'periodic', 'reflect', 'replicate' to read past the ends"
    )


def pad_sources(n: int, left: int, right: int, padding: Padding, *,
                what: str = "the layer") -> tuple[list[int | None], list[int | None]]:
    """Input indices read by ``left`` positions before and ``right`` positions after an axis.

    Only the padded ends are listed (cheap for long signals); None marks a zero.
    ``reflect`` provides at most ``n - 1`` entries on each side; asking for more
    raises :class:`~symequi.core.errors.InvalidArgumentError` naming ``what``.

    >>> pad_sources(5, 2, 1, "periodic")
    ([3, 4], [0])
    """
    padding = check_padding(padding)
    if padding == "valid":
        if left or right:
            raise InvalidArgumentError(f"padding='valid' reads no entries outside the signal, yet {brief(what, str)} asked for some")
        return [], []
    if padding == "reflect" and max(left, right) > n - 1:
        raise InvalidArgumentError(
            f"padding='reflect' needs {brief(max(left, right), str)} reflected entries beyond an end of an axis of "
            f"length {brief(n, str)}, but reflection provides at most n - 1 = {brief(n - 1, str)}; for {brief(what, str)} use a longer "
            "signal, a shorter kernel (or smaller dilation/origin), or padding='replicate' or 'periodic'"
        )
    return ([source_index(i, n, padding) for i in range(-left, 0)],
            [source_index(i, n, padding) for i in range(n, n + right)])


def extend_indices(n: int, left: int, right: int, padding: Padding, *, what: str = "the layer") -> list[int | None]:
    """Input indices read by the padded axis: ``left`` positions before, ``n`` inside, ``right`` after.

    Entry ``p`` of the result is the input index at padded position ``p``
    (input position ``p - left``), or None where the padding supplies a zero;
    the reach is checked as in :func:`pad_sources`.

    >>> extend_indices(3, 0, 2, "replicate")
    [0, 1, 2, 2, 2]
    """
    before, after = pad_sources(n, left, right, padding, what=what)
    return before + list(range(n)) + after


_CONVENTIONS = {
    "zeros": Phrase(
        "zero padding (b_i = 0 outside the signal): shift equivariance holds only away from the boundary",
        r"zero padding ($b_i = 0$ outside the signal): shift equivariance holds only away from the boundary"),
    "periodic": Phrase(
        "periodic padding (b_i = b_{i mod N}, circular): integer shifts commute exactly",
        r"periodic padding ($b_i = b_{i \bmod N}$, circular): integer shifts commute exactly"),
    "reflect": Phrase(
        "reflect padding (b_{-i} = b_i, b_{N-1+i} = b_{N-1-i}, edge not repeated; numpy/torch 'reflect'): "
        "shift equivariance holds only away from the boundary",
        r"reflect padding ($b_{-i} = b_i$, $b_{N-1+i} = b_{N-1-i}$, edge not repeated; numpy/torch "
        r"\texttt{reflect}): shift equivariance holds only away from the boundary"),
    "replicate": Phrase(
        "replicate padding (b_i = b_0 before the start, b_{N-1} after the end): "
        "shift equivariance holds only away from the boundary",
        r"replicate padding ($b_i = b_0$ before the start, $b_i = b_{N-1}$ after the end): "
        r"shift equivariance holds only away from the boundary"),
    "valid": Phrase(
        "valid padding (only fully supported outputs, so the output is shorter than the input): "
        "shift equivariance holds only away from the boundary",
        "valid padding (only fully supported outputs, so the output is shorter than the input): "
        "shift equivariance holds only away from the boundary"),
}


def padding_convention(padding: Padding) -> Phrase:
    """The boundary convention in words (a :class:`~symequi.core.texescape.Phrase`
    with its LaTeX), for verdicts.

    >>> padding_convention("periodic")
    'periodic padding (b_i = b_{i mod N}, circular): integer shifts commute exactly'
    """
    return _CONVENTIONS[check_padding(padding)]
