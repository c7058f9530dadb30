"""Ideal (band-limited) resampling of periodic 1-D signals, exact.

Three linear operators with exact matrices over cyclotomic fields
(:class:`~symequi.arith.cyclotomic_linear.CyclotomicLinear`), the building blocks
of alias-free layers (upsample, apply a polynomial activation, low-pass,
downsample):

* :class:`FourierUpsample` ``(factor)``: ``n`` samples -> ``factor * n``
  samples of the signal's trigonometric interpolant, ``out_{f j + r} =
  (F_{-r/f} u)_j`` with ``F`` symequi's band-limited shift
  (:class:`~symequi.translations.fourier.FourierShift`; content moves right, so
  ``F_{-r/f} u`` is the interpolant at ``j + r/f``).  In Fourier terms: zero
  padding of the spectrum; for even ``n`` the Nyquist coefficient is split
  between ``+n/2`` and ``-n/2`` (the interpolant's Nyquist term is a
  cosine), the convention of :class:`~symequi.translations.fourier.FourierShift`.  It maps
  the mode ``v_k^(n)[j] = zeta_n^(k j)``, ``|k| < n/2``, to ``v_k^(f n)``.
* :class:`IdealLowPass` ``(cutoff)``: keep the Fourier modes ``|k| <= cutoff``,
  remove the others (``n > 2 cutoff``).
* :class:`Downsample` ``(factor)``: keep every ``factor``-th sample,
  ``out_j = u_{f j}``.

All three are periodic by construction and act on 1-D signals.

Example
-------
>>> from symequi.translations.resampling import Downsample, FourierUpsample, IdealLowPass
>>> from symequi.core.signal import Signal
>>> FourierUpsample(2)(Signal([1, 0, 0]))
Signal([1, 2/3, 0, -1/3, 0, 2/3])
>>> Downsample(2)(FourierUpsample(2)(Signal([1, 0, 0]))) == Signal([1, 0, 0])
True
>>> IdealLowPass(1)(Signal([1, 2, 3, 6]))           # removes the Nyquist mode -(-1)^j
Signal([2, 1, 4, 5])
"""

from __future__ import annotations

import flint
import sympy

from ..arith.cyclotomic import CyclotomicElement
from ..arith.cyclotomic_linear import CyclotomicLinear
from ..core.budget import budgeted
from ..core.errors import InvalidArgumentError
from ..core.exact import positive_int, to_exact
from .fourier import fourier_taps_cyclotomic
from ..core.signal import Signal
from ..core.texescape import Phrase
from ..core.texts import brief

__all__ = ["FourierUpsample", "IdealLowPass", "Downsample"]


# Applying the exact matrix and building the sympy matrix run under the time budget.
_budgeted_apply = budgeted(
    lambda self, signal: f"applying {brief(self.describe(), str)} to a signal of shape {brief(signal.shape, str)}"
)(CyclotomicLinear._apply)
_budgeted_matrix = budgeted(
    lambda self, shape: f"building the matrix of {brief(self.describe(), str)} for shape {brief(shape, str)}"
)(CyclotomicLinear.matrix)


def _unit_row(n: int, j: int) -> list[CyclotomicElement]:
    one, zero = CyclotomicElement.rational(1), CyclotomicElement.rational(0)
    return [one if jj == j else zero for jj in range(n)]


class FourierUpsample(CyclotomicLinear):
    """Ideal band-limited upsampling by ``factor``: ``n`` -> ``factor * n`` samples.

    ``out_{f j + r} = (F_{-r/f} u)_j`` for ``r = 0 .. f-1``: the even-``n``
    split-Nyquist trigonometric interpolant of ``u`` (period ``n``) sampled at
    ``j + r/f``.  So ``out_{f j} = u_j``, and on the band-limited class
    (modes ``|k| < n/2``) the mode ``v_k^(n)`` goes to ``v_k^(f n)``.

    Parameters
    ----------
    factor : positive int
        The upsampling factor ``f`` (``1`` is the identity).

    See Also
    --------
    Downsample : the left inverse, ``Downsample(f) . FourierUpsample(f) = id``.
    symequi.translations.fourier.FourierShift : the band-limited shift whose taps fill the rows.

    Example
    -------
    >>> FourierUpsample(3)(Signal([1, 0]))              # (1 + cos(pi t))/2 at t = 0, 1/3, ..., 5/3
    Signal([1, 3/4, 1/4, 0, 1/4, 3/4])
    """

    _apply = _budgeted_apply
    matrix = _budgeted_matrix

    def __init__(self, factor: int) -> None:
        self.factor = positive_int(factor, "factor")

    def output_length(self, n: int) -> int:
        """``factor * n``.

        >>> FourierUpsample(2).output_length(5)
        10
        """
        return self.factor * positive_int(n, "n")

    @budgeted(lambda self, n: f"building the matrix of {brief(self.describe(), str)} for n={brief(n, str)}")
    def _build_matrix(self, n: int) -> list[list[CyclotomicElement]]:
        f = self.factor
        # row f j + r: the taps of the band-limited shift by -r/f cells (r = 0: the identity)
        phase_taps = {r: fourier_taps_cyclotomic(sympy.Rational(-r, f), n) for r in range(1, f)}
        rows = []
        for j in range(n):
            rows.append(_unit_row(n, j))
            for r in range(1, f):
                taps = phase_taps[r]
                rows.append([taps[(j - jj) % n] for jj in range(n)])
        return rows

    def conventions(self) -> tuple[str, ...]:
        """The interpolation convention, in words.

        >>> FourierUpsample(2).conventions()[0][:40]
        'ideal upsampling by 2: out_{2j + r} = (F'
        """
        f = self.factor
        return (Phrase(
            f"ideal upsampling by {f}: out_{{{f}j + r}} = (F_{{-r/{f}}} u)_j, r = 0..{f - 1}, i.e. the band-limited "
            f"interpolant of u at j + r/{f} (symequi's FourierShift; even n: Nyquist bin split, the interpolant's "
            "Nyquist term is a cosine), periodic",
            f"ideal upsampling by ${f}$: $\\mathrm{{out}}_{{{f}j + r}} = (F_{{-r/{f}}} u)_j$, $r = 0, \\dots, {f - 1}$, "
            f"i.e.\\ the band-limited interpolant of $u$ at $j + r/{f}$ (symequi's \\texttt{{FourierShift}}; even $n$: "
            "Nyquist bin split, the interpolant's Nyquist term is a cosine), periodic",
        ),)

    def describe(self) -> str:
        """One line.

        >>> FourierUpsample(2).describe()
        'FourierUpsample(2) (ideal band-limited upsampling by 2)'
        """
        return f"FourierUpsample({brief(self.factor, str)}) (ideal band-limited upsampling by {brief(self.factor, str)})"

    def latex(self) -> str:
        r"""``\mathcal{U}_{f}``.

        >>> FourierUpsample(2).latex()
        '\\mathcal{U}_{2}'
        """
        return r"\mathcal{U}_{%d}" % self.factor

    def __repr__(self) -> str:
        return f"FourierUpsample({brief(self.factor, str)})"


class IdealLowPass(CyclotomicLinear):
    """Keep the Fourier modes ``|k| <= cutoff`` of a periodic signal of length ``n > 2 cutoff``.

    ``out = P u`` with ``P[l, l'] = (1/n) sum_{|k| <= cutoff} zeta_n^(k (l - l'))``
    (a circulant): the mode ``v_k`` is kept for ``|k| <= cutoff`` and mapped
    to zero for the other ``k`` in ``(-n/2, n/2]`` (the Nyquist mode
    included).  The cutoff counts cycles per period, so one operator serves
    every length ``n > 2 cutoff``.

    Parameters
    ----------
    cutoff : non-negative int
        ``0`` keeps only the mean.

    Example
    -------
    >>> IdealLowPass(0)(Signal([1, 2, 3, 6]))
    Signal([3, 3, 3, 3])
    """

    _apply = _budgeted_apply
    matrix = _budgeted_matrix

    def __init__(self, cutoff: int) -> None:
        value = to_exact(cutoff, "cutoff")
        if not value.is_Integer or value < 0:
            raise InvalidArgumentError(
                f"cutoff={brief(cutoff)} must be a non-negative int (the largest kept frequency |k|), such as 2"
            )
        self.cutoff = int(value)

    def _check_length(self, n: int) -> None:
        if 2 * self.cutoff >= n:
            raise InvalidArgumentError(
                f"{brief(self.describe(), str)} needs signals of length n > 2*cutoff = {brief(2 * self.cutoff, str)}, not n={brief(n, str)}: "
                f"on {brief(n, str)} points the frequencies |k| <= {brief(self.cutoff, str)} overlap modulo n (or include every mode); "
                "use a smaller cutoff or a longer signal"
            )

    def output_length(self, n: int) -> int:
        """``n`` (the shape does not change).

        >>> IdealLowPass(1).output_length(4)
        4
        """
        n = positive_int(n, "n")
        self._check_length(n)
        return n

    @budgeted(lambda self, n: f"building the matrix of {brief(self.describe(), str)} for n={brief(n, str)}")
    def _build_matrix(self, n: int) -> list[list[CyclotomicElement]]:
        scale = flint.fmpq(1, n)
        taps = []
        for m in range(n):
            acc = CyclotomicElement.rational(0)
            for k in range(-self.cutoff, self.cutoff + 1):
                acc = acc + CyclotomicElement.zeta(n, k * m)
            taps.append(acc * scale)
        return [[taps[(l - ll) % n] for ll in range(n)] for l in range(n)]

    def conventions(self) -> tuple[str, ...]:
        """The filter, in words.

        >>> IdealLowPass(2).conventions()
        ('ideal low-pass: keeps the Fourier modes |k| <= 2 of the periodic signal, removes the others',)
        """
        return (Phrase(
            f"ideal low-pass: keeps the Fourier modes |k| <= {self.cutoff} of the periodic signal, removes the others",
            f"ideal low-pass: keeps the Fourier modes $|k| \\le {self.cutoff}$ of the periodic signal, removes the others",
        ),)

    def describe(self) -> str:
        """One line.

        >>> IdealLowPass(2).describe()
        'IdealLowPass(2) (keep |k| <= 2)'
        """
        return f"IdealLowPass({brief(self.cutoff, str)}) (keep |k| <= {brief(self.cutoff, str)})"

    def latex(self) -> str:
        r"""``\mathcal{P}_{|k| \le K}``.

        >>> IdealLowPass(2).latex()
        '\\mathcal{P}_{|k| \\le 2}'
        """
        return r"\mathcal{P}_{|k| \le %d}" % self.cutoff

    def __repr__(self) -> str:
        return f"IdealLowPass({brief(self.cutoff, str)})"


class Downsample(CyclotomicLinear):
    """Keep every ``factor``-th sample: ``out_j = u_{f j}``, ``f n`` -> ``n`` points.

    The input length must be a multiple of ``factor``.  The matrix is
    rational (0/1), so the operator is piecewise linear (the SMT decider
    encodes it).

    Parameters
    ----------
    factor : positive int

    Example
    -------
    >>> Downsample(2)(Signal([1, 2, 3, 4]))
    Signal([1, 3])
    """

    is_piecewise_linear = True
    matrix = _budgeted_matrix

    def __init__(self, factor: int) -> None:
        self.factor = positive_int(factor, "factor")

    def _check_length(self, n: int) -> None:
        if n % self.factor:
            raise InvalidArgumentError(
                f"{brief(self.describe(), str)} needs a signal length divisible by factor={brief(self.factor, str)}, not n={brief(n, str)}; "
                "pad or crop the signal first"
            )

    def output_length(self, n: int) -> int:
        """``n // factor``.

        >>> Downsample(3).output_length(6)
        2
        """
        n = positive_int(n, "n")
        self._check_length(n)
        return n // self.factor

    @budgeted(lambda self, n: f"building the matrix of {brief(self.describe(), str)} for n={brief(n, str)}")
    def _build_matrix(self, n: int) -> list[list[CyclotomicElement]]:
        return [_unit_row(n, self.factor * j) for j in range(n // self.factor)]

    def _apply(self, signal: Signal) -> Signal:
        self._length(signal.shape)
        return signal[:: self.factor]

    def conventions(self) -> tuple[str, ...]:
        """The sampling, in words.

        >>> Downsample(2).conventions()
        ('downsampling by 2: out_j = u_{2j}',)
        """
        return (Phrase(f"downsampling by {self.factor}: out_j = u_{{{self.factor}j}}",
                       f"downsampling by ${self.factor}$: $\\mathrm{{out}}_j = u_{{{self.factor}j}}$"),)

    def describe(self) -> str:
        """One line.

        >>> Downsample(2).describe()
        'Downsample(2) (keep every 2nd sample)'
        """
        return f"Downsample({brief(self.factor, str)}) (keep every {brief(_ordinal(self.factor), str)}sample)"

    def latex(self) -> str:
        r"""``\mathcal{S}_{\downarrow f}``.

        >>> Downsample(2).latex()
        '\\mathcal{S}_{\\downarrow 2}'
        """
        return r"\mathcal{S}_{\downarrow %d}" % self.factor

    def __repr__(self) -> str:
        return f"Downsample({brief(self.factor, str)})"


def _ordinal(n: int) -> str:
    """``'2nd '``, ``'3rd '``, ``'11th '``...; empty for 1 ("keep every sample")."""
    if n == 1:
        return ""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{brief(n, str)}{brief(suffix, str)} "
