"""The band-limited shift by a *symbolic* shift: taps as Laurent polynomials.

symequi's :class:`~symequi.translations.fourier.FourierShift` by ``s`` cells on ``N``
periodic points has the taps

    h_m = (1/N) sum_k w_k exp(2 pi i k (m - s)/N)

(``w_k = 1`` for ``|k| < N/2``; for even ``N`` the Nyquist bin is split,
``w_{+-N/2} = 1/2``).  With the formal variable

    E = exp(-2 pi i s/N)

each tap is a Laurent polynomial in ``E`` with coefficients in ``Q(zeta_N)``:
``h_m = (1/N) sum_k w_k zeta_N^(k m) E^k`` (:func:`fourier_taps_laurent`).
Computing with :class:`~symequi.arith.formal_laurent.FormalLaurent` values, an
identity of Laurent polynomials in ``E`` holds for every value of ``E``, hence
for *every real shift s*: this is how a statement "for all s" is proved
exactly.  :func:`check_laurent_taps` ties these taps to the library's
:func:`~symequi.translations.fourier.fourier_taps_cyclotomic` at rational shifts, where
``E`` is the root of unity :func:`shift_phase`.

The band-limited class on ``N`` points is spanned by the Fourier modes
``v_k[j] = zeta_N^(k j)`` (:func:`fourier_mode`) with ``|k| < N/2``
(:func:`band_frequencies`); :func:`formal_band_limited_signal` is its general
element with formal coefficients, and :func:`formal_fourier_shift` shifts a
vector of FormalLaurent entries by the symbolic ``s``.

Example
-------
>>> from symequi.translations.fourier_symbolic import fourier_mode, formal_fourier_shift
>>> from symequi.arith.formal_laurent import FormalLaurent, formal_vector
>>> v = formal_vector(fourier_mode(5, 2))
>>> formal_fourier_shift(v) == [entry * FormalLaurent.e_power(2) for entry in v]    # F_s v_2 = E^2 v_2
True
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterable, Sequence
from typing import Any

import flint
import sympy

from ..arith.cyclotomic import CyclotomicElement
from ..core.errors import InvalidArgumentError
from ..core.exact import positive_int, to_rational
from ..core.limits import check_size
from ..arith.formal_laurent import FormalLaurent, Key, add_term, formal_vector
from .fourier import fourier_taps_cyclotomic
from ..core.texts import brief

__all__ = [
    "band_frequencies",
    "fourier_mode",
    "shift_phase",
    "fourier_taps_laurent",
    "check_laurent_taps",
    "formal_fourier_shift",
    "formal_band_limited_signal",
]


def band_frequencies(n: int) -> list[int]:
    """The frequencies ``k`` with ``|k| < n/2``: the band-limited class on ``n`` points
    (trigonometric degree < n/2; for even ``n`` the Nyquist frequency is excluded).

    >>> band_frequencies(4), band_frequencies(5)
    ([-1, 0, 1], [-2, -1, 0, 1, 2])
    """
    n = positive_int(n, "n")
    top = (n - 1) // 2
    return list(range(-top, top + 1))


def _frequency(k: Any, name: str = "k") -> int:
    try:
        if isinstance(k, bool):
            raise TypeError
        return int(operator.index(k))
    except TypeError:
        raise InvalidArgumentError(f"{name}={brief(k)} must be an int frequency (such as -1)") from None


def fourier_mode(n: int, k: int) -> list[CyclotomicElement]:
    """The Fourier mode ``v_k[j] = zeta_n^(k j) = exp(2 pi i k j/n)``, ``j = 0 .. n-1``.

    >>> [c.to_sympy() for c in fourier_mode(4, 1)]
    [1, I, -1, -I]
    """
    n = check_size(positive_int(n, "n"), "n")
    k = _frequency(k)
    return [CyclotomicElement.zeta(n, k * j) for j in range(n)]


def shift_phase(s: Any, n: int) -> CyclotomicElement:
    """``E = exp(-2 pi i s/n)`` for a rational shift ``s = p/q``: the root of unity
    ``zeta_{q n}^(-p)``.

    >>> shift_phase('1/2', 2).to_sympy()
    -I
    """
    value = to_rational(s, "s")
    n = positive_int(n, "n")
    return CyclotomicElement.zeta(int(value.q) * n, -int(value.p))


def _weights(n: int) -> dict[int, flint.fmpq]:
    """The frequencies ``k`` of the band-limited shift on ``n`` points with their weights
    ``w_k / n``: ``1/n`` for ``|k| < n/2``, ``1/(2n)`` for each half of a split Nyquist bin."""
    weights = {k: flint.fmpq(1, n) for k in band_frequencies(n)}
    if n % 2 == 0:
        weights[n // 2] = weights[-(n // 2)] = flint.fmpq(1, 2 * n)
    return weights


@functools.lru_cache(maxsize=64)
def _taps(n: int) -> tuple[FormalLaurent, ...]:
    weights = _weights(n)
    return tuple(
        FormalLaurent._raw({((), k): CyclotomicElement.zeta(n, k * m) * w for k, w in weights.items()})
        for m in range(n))


def fourier_taps_laurent(n: int) -> tuple[FormalLaurent, ...]:
    """The taps ``h_0 .. h_{n-1}`` of the band-limited shift by a symbolic ``s``
    on ``n`` periodic points, as Laurent polynomials in ``E = exp(-2 pi i s/n)``:
    ``h_m = (1/n) sum_k w_k zeta_n^(k m) E^k`` (``|k| < n/2`` with weight 1;
    for even ``n`` also ``k = +-n/2`` with weight 1/2 each).

    The shift is ``out_j = sum_m h_m u_{(j - m) mod n}`` (content moves right
    by ``s`` cells), as in :class:`~symequi.translations.fourier.FourierShift`.

    See Also
    --------
    check_laurent_taps : compare with the library's taps at rational shifts.
    symequi.translations.fourier.fourier_taps_cyclotomic : the taps at one rational shift.

    Example
    -------
    >>> fourier_taps_laurent(2)[1].to_sympy()
    -E/4 + 1/2 - 1/(4*E)
    """
    return _taps(positive_int(n, "n"))


def check_laurent_taps(n: int, shifts: Iterable[Any]) -> list[tuple[sympy.Rational, bool]]:
    """For each rational shift ``s``: do the Laurent taps at ``E = exp(-2 pi i s/n)``
    equal :func:`~symequi.translations.fourier.fourier_taps_cyclotomic` ``(s, n)`` exactly?

    Returns ``[(s, agrees), ...]`` in the order of ``shifts``.

    >>> check_laurent_taps(4, ['1/2', '-2/3'])
    [(1/2, True), (-2/3, True)]
    """
    n = positive_int(n, "n")
    values = [to_rational(s, f"shifts[{i}]") for i, s in enumerate(shifts)]
    taps = _taps(n)
    results = []
    for value in values:
        point = shift_phase(value, n)
        library = fourier_taps_cyclotomic(value, n)
        agrees = all(h.substitute_e(point) == lib for h, lib in zip(taps, library))
        results.append((value, agrees))
    return results


def formal_fourier_shift(vector: Sequence[Any]) -> list[FormalLaurent]:
    """The band-limited shift by a symbolic ``s`` of a periodic vector with
    FormalLaurent (or exact) entries: ``out_j = sum_m h_m vector_{(j-m) mod n}``,
    ``h`` = :func:`fourier_taps_laurent` ``(n)``, ``n = len(vector)``.

    >>> formal_fourier_shift([1, 0, 0])[0].to_sympy()
    E/3 + 1/3 + 1/(3*E)
    """
    vector = formal_vector(vector)
    if not vector:
        raise InvalidArgumentError("vector is empty; pass at least one entry")
    n = len(vector)
    # The taps are h_m = sum_k (w_k/n) zeta^(k m) E^k, so with the transform V_k = sum_m zeta^(-k m) u_m
    # the circular convolution is out_j = sum_k (w_k/n) zeta^(k j) E^k V_k: 2 n^2 scalings of the
    # entries instead of n^2 products of an n-term tap with an entry.
    out: list[dict[Key, CyclotomicElement]] = [{} for _ in range(n)]
    for k, w in _weights(n).items():
        transform: dict[Key, CyclotomicElement] = {}
        for m, entry in enumerate(vector):
            if entry.is_zero:
                continue
            phase = CyclotomicElement.zeta(n, -k * m)
            for key, c in entry._terms.items():
                add_term(transform, key, c * phase)
        transform = {key: c for key, c in transform.items() if not c.is_zero}
        if not transform:
            continue
        for j in range(n):
            phase = CyclotomicElement.zeta(n, k * j) * w
            for (monomial, e), c in transform.items():
                add_term(out[j], (monomial, e + k), c * phase)
    return [FormalLaurent._raw(terms) for terms in out]


def formal_band_limited_signal(
    n: int, frequencies: Iterable[int] | None = None
) -> tuple[list[FormalLaurent], list[sympy.Symbol]]:
    """The general signal ``u = sum_k a_k v_k`` on ``n`` points with formal
    coefficients (``k`` in ``frequencies``, default :func:`band_frequencies`).

    Returns ``(u, names)``: the entries ``u_0 .. u_{n-1}`` (formal symbol
    ``i`` is the coefficient of the ``i``-th frequency) and sympy names
    ``a_{k}`` to print them with :meth:`FormalLaurent.to_sympy`.  The
    coefficients are complex: an identity that is polynomial in them holds
    on the real subspace ``a_{-k} = conj(a_k)`` too.

    >>> u, names = formal_band_limited_signal(3)
    >>> u[0].to_sympy(names)
    a_{-1} + a_{0} + a_{1}
    """
    n = positive_int(n, "n")
    if frequencies is None:
        ks = band_frequencies(n)
    else:
        ks = [_frequency(k, f"frequencies[{i}]") for i, k in enumerate(frequencies)]
    if len(set(ks)) != len(ks):
        raise InvalidArgumentError(f"frequencies={brief(ks, str)} repeats a frequency; list each frequency once")
    names = [sympy.Symbol(f"a_{{{k}}}") for k in ks]
    entries = []
    for j in range(n):
        terms: dict[Key, CyclotomicElement] = {
            ((index,), 0): CyclotomicElement.zeta(n, k * j) for index, k in enumerate(ks)}
        entries.append(FormalLaurent._raw(terms))
    return entries, names
