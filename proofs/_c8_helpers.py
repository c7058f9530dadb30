"""Shared exact machinery of the C8 proof scripts (``c8_*.py``).

Two things the library does not have yet (see the C8 report: candidates for
``symequi/fourier.py``):

* **The band-limited shift with a symbolic shift.**  symequi's
  :class:`~symequi.fourier.FourierShift` has taps
  ``h_m = (1/N) sum_k w_k exp(2 pi i k (m - s)/N)``.  Writing
  ``E = exp(-2 pi i s / N)``, each tap is a Laurent polynomial in ``E`` with
  coefficients in ``Q(zeta_N)``:  ``h_m = (1/N) sum_k w_k zeta_N^(k m) E^k``.
  :class:`Formal` computes with polynomials in formal input coefficients and
  ``E`` (Laurent) over cyclotomic fields, exactly.  An identity of Laurent
  polynomials in ``E`` holds for every value of ``E``, hence for *every real
  shift s*: this is how the C8 claims prove statements "for all s".
  :func:`check_formal_taps` ties the formal taps to the library's
  ``fourier_taps_cyclotomic`` at given rational shifts.
* **Fourier resampling operators** (symequi Operators with exact cyclotomic
  matrices): :class:`FourierUpsample2` (ideal band-limited upsampling by 2,
  built from the library's band-limited half-cell shift), :class:`IdealLowPass`
  (keep the Fourier modes ``|k| <= K``) and :class:`Downsample2` (keep the
  even samples).

Mode vectors: ``v_k^(n)[j] = zeta_n^(k j)`` (:func:`mode_vector`).

>>> from symequi.signal import Signal
>>> IdealLowPass(4, 0)(Signal([1, 2, 3, 6]))
Signal([3, 3, 3, 3])
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import flint
import sympy

from symequi.cyclotomic import CyclotomicElement, to_cyclotomic
from symequi.errors import InvalidArgumentError
from symequi.exact import positive_int, to_exact
from symequi.fourier import fourier_taps_cyclotomic
from symequi.operators import Operator
from symequi.signal import Signal

Cyc = CyclotomicElement

#: The formal variable E = exp(-2 pi i s / N) in printed results.
E = sympy.Symbol("E")


def zeta(n: int, power: int = 1) -> Cyc:
    """``zeta_n ** power`` (``exp(2 pi i power / n)``)."""
    return Cyc.zeta(n, power)


def mode_vector(n: int, k: int) -> list[Cyc]:
    """The Fourier mode ``v_k[j] = zeta_n^(k j)``, ``j = 0 .. n-1``.

    >>> [c.to_sympy() for c in mode_vector(4, 1)]
    [1, I, -1, -I]
    """
    return [zeta(n, k * j) for j in range(n)]


def band(n: int) -> list[int]:
    """The frequencies ``k`` with ``|k| < n/2`` (the band-limited class on ``n`` points).

    >>> band(4), band(5)
    ([-1, 0, 1], [-2, -1, 0, 1, 2])
    """
    top = (n - 1) // 2
    return list(range(-top, top + 1))


# --------------------------------------------------------------------------------------
# polynomials in formal coefficients and E, over cyclotomic fields
# --------------------------------------------------------------------------------------
class Formal:
    """A polynomial in formal symbols ``a_0, a_1, ...`` and a Laurent polynomial
    in ``E``, with coefficients in cyclotomic fields.  Terms are stored as
    ``{(monomial, e): coefficient}``; ``monomial`` is the sorted tuple of
    symbol indices (with repetition), ``e`` the power of ``E``.  Zero
    coefficients are dropped, so ``is_zero`` is an exact test.

    >>> a = Formal.symbol(0)
    >>> ((a + 1) * (a - 1) - a * a + 1).is_zero
    True
    """

    __slots__ = ("terms",)

    def __init__(self, terms: dict[tuple[tuple[int, ...], int], Cyc] | None = None) -> None:
        self.terms = {key: c for key, c in (terms or {}).items() if not c.is_zero}

    @classmethod
    def constant(cls, value: Any, e: int = 0) -> "Formal":
        c = value if isinstance(value, Cyc) else Cyc.rational(value)
        return cls({((), e): c})

    @classmethod
    def symbol(cls, index: int) -> "Formal":
        return cls({((index,), 0): Cyc.rational(1)})

    @property
    def is_zero(self) -> bool:
        return not self.terms

    def __add__(self, other: "Formal") -> "Formal":
        out = dict(self.terms)
        for key, c in _formal(other).terms.items():
            out[key] = out[key] + c if key in out else c
        return Formal(out)

    __radd__ = __add__

    def __neg__(self) -> "Formal":
        return Formal({key: -c for key, c in self.terms.items()})

    def __sub__(self, other: "Formal") -> "Formal":
        return self + (-_formal(other))

    def __mul__(self, other: Any) -> "Formal":
        if isinstance(other, (Cyc, int)):
            return Formal({key: c * other for key, c in self.terms.items()})
        other = _formal(other)
        out: dict[tuple[tuple[int, ...], int], Cyc] = {}
        for (m1, e1), c1 in self.terms.items():
            for (m2, e2), c2 in other.terms.items():
                key = (tuple(sorted(m1 + m2)), e1 + e2)
                prod = c1 * c2
                out[key] = out[key] + prod if key in out else prod
        return Formal(out)

    __rmul__ = __mul__

    def evaluate_E(self, value: Cyc) -> "Formal":
        """Substitute ``E = value`` (a nonzero cyclotomic number)."""
        out: dict[tuple[tuple[int, ...], int], Cyc] = {}
        for (m, e), c in self.terms.items():
            term = c * value ** e
            key = (m, 0)
            out[key] = out[key] + term if key in out else term
        return Formal(out)

    def to_sympy(self, symbols: Sequence[sympy.Symbol]) -> sympy.Expr:
        """As a sympy expression in ``symbols`` and :data:`E`."""
        total = sympy.Integer(0)
        for (m, e), c in sorted(self.terms.items(), key=lambda t: (t[0][1], t[0][0])):
            total += c.to_sympy() * sympy.Mul(*(symbols[i] for i in m)) * E ** e
        return total

    def __repr__(self) -> str:
        return f"Formal({self.to_sympy(sympy.symbols('a0:32'))})"


def _formal(value: Any) -> Formal:
    return value if isinstance(value, Formal) else Formal.constant(value)


def formal_vector(values: Iterable[Any]) -> list[Formal]:
    """Cyclotomic numbers (or rationals) as constant :class:`Formal` entries."""
    return [_formal(v) for v in values]


def apply_matrix(matrix: Sequence[Sequence[Cyc]], vec: Sequence[Formal]) -> list[Formal]:
    """``matrix @ vec`` with :class:`Formal` entries."""
    out = []
    for row in matrix:
        acc = Formal()
        for c, v in zip(row, vec):
            if not c.is_zero and not v.is_zero:
                acc = acc + v * c
        out.append(acc)
    return out


def square_entries(vec: Sequence[Formal]) -> list[Formal]:
    """Entrywise square (the activation ``t -> t**2``)."""
    return [v * v for v in vec]


def vectors_equal(a: Sequence[Formal], b: Sequence[Formal]) -> bool:
    """Exact equality of two vectors of :class:`Formal` entries."""
    return len(a) == len(b) and all((x - y).is_zero for x, y in zip(a, b))


def symbolic_input(n: int, ks: Sequence[int] | None = None) -> tuple[list[Formal], list[sympy.Symbol]]:
    """The general band-limited input ``u = sum_k a_k v_k`` (``k`` in ``ks``,
    default ``|k| < n/2``) with formal coefficients ``a_k`` (complexified: the
    identities are polynomial, so they hold on the real subspace
    ``a_{-k} = conj(a_k)`` too), and the names ``a_k``."""
    ks = band(n) if ks is None else list(ks)
    names = [sympy.Symbol(f"a_{{{k}}}") for k in ks]
    u = [Formal() for _ in range(n)]
    for index, k in enumerate(ks):
        sym = Formal.symbol(index)
        u = [u[j] + sym * zeta(n, k * j) for j in range(n)]
    return u, names


# --------------------------------------------------------------------------------------
# the band-limited shift with a symbolic shift
# --------------------------------------------------------------------------------------
def fourier_taps_formal(n: int) -> list[Formal]:
    """The taps ``h_m`` of symequi's band-limited shift by ``s`` cells on ``n``
    points, as Laurent polynomials in ``E = exp(-2 pi i s/n)``:
    ``h_m = (1/n) sum_k w_k zeta_n^(k m) E^k`` (``|k| < n/2`` with weight 1; for
    even ``n`` also ``k = +-n/2`` with weight 1/2 each).

    >>> fourier_taps_formal(2)[1].to_sympy([])
    -E/4 + 1/2 - 1/(4*E)
    """
    n = positive_int(n, "n")
    taps = []
    for m in range(n):
        h = Formal()
        for k in band(n):
            h = h + Formal.constant(zeta(n, k * m) * flint.fmpq(1, n), k)
        if n % 2 == 0:
            half = n // 2
            for k in (half, -half):
                h = h + Formal.constant(zeta(n, k * m) * flint.fmpq(1, 2 * n), k)
        taps.append(h)
    return taps


def E_at(s: Any, n: int) -> Cyc:
    """``E = exp(-2 pi i s / n)`` for a rational ``s = p/q``: ``zeta_{q n}^(-p)``."""
    value = to_exact(s, "s")
    if not value.is_Rational:
        raise InvalidArgumentError(f"s={s!r} must be rational to evaluate E exactly")
    return zeta(int(value.q) * n, -int(value.p))


def check_formal_taps(n: int, shifts: Iterable[Any]) -> list[tuple[sympy.Rational, bool]]:
    """For each rational ``s``: do the formal taps at ``E = exp(-2 pi i s/n)``
    equal the library's ``fourier_taps_cyclotomic(s, n)`` exactly?"""
    formal = fourier_taps_formal(n)
    results = []
    for s in shifts:
        value = sympy.Rational(to_exact(s, "s"))
        at = E_at(value, n)
        library = fourier_taps_cyclotomic(value, n)
        ok = all(
            (h.evaluate_E(at) - Formal.constant(lib)).is_zero for h, lib in zip(formal, library)
        )
        results.append((value, ok))
    return results


def formal_fourier_shift(vec: Sequence[Formal], taps: Sequence[Formal] | None = None) -> list[Formal]:
    """The band-limited shift by a symbolic ``s`` (periodic): ``out_j = sum_m h_m vec_{j-m}``."""
    n = len(vec)
    taps = fourier_taps_formal(n) if taps is None else taps
    return [sum((taps[m] * vec[(j - m) % n] for m in range(n)), Formal()) for j in range(n)]


# --------------------------------------------------------------------------------------
# Fourier resampling operators (exact cyclotomic matrices)
# --------------------------------------------------------------------------------------
class CyclotomicLinear(Operator):
    """A linear operator given by an exact matrix over a cyclotomic field.

    Rational or algebraic (cyclotomic) inputs are mapped inside the field, so
    outputs come in the canonical form of :meth:`CyclotomicElement.to_sympy`;
    other symbolic inputs go through sympy sums.
    """

    is_linear = True

    def cyclotomic_matrix(self, n: int) -> list[list[Cyc]]:  # pragma: no cover - abstract
        raise NotImplementedError

    def _apply(self, signal: Signal) -> Signal:
        if signal.ndim != 1:
            raise InvalidArgumentError(f"{self.describe()} acts on 1-D signals, not shape {signal.shape}")
        n = signal.shape[0]
        matrix = self.cyclotomic_matrix(n)
        entries = signal._flat_exprs()
        try:
            values = [to_cyclotomic(v) for v in entries]
        except Exception:  # noqa: BLE001 - not a cyclotomic number: fall back to sympy sums
            values = None
        if values is not None:
            out = []
            for row in matrix:
                acc = Cyc.rational(0)
                for c, v in zip(row, values):
                    if not c.is_zero and not v.is_zero:
                        acc = acc + c * v
                out.append(acc.to_sympy())
            return Signal._from_exprs(out, (len(matrix),))
        rows = [[c.to_sympy() for c in row] for row in matrix]
        return Signal._from_exprs(
            [sympy.expand(sum((c * v for c, v in zip(row, entries)), sympy.Integer(0))) for row in rows],
            (len(matrix),),
        )

    def output_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        return (len(self.cyclotomic_matrix(shape[0])),)


class FourierUpsample2(CyclotomicLinear):
    """Ideal band-limited upsampling by 2: ``n`` samples -> ``2n`` samples.

    ``out_{2j} = u_j`` and ``out_{2j+1} = (F_{-1/2} u)_j``, with ``F`` symequi's
    band-limited shift (content moves right, so ``F_{-1/2} u`` is the
    interpolant at ``j + 1/2``).  On the band-limited class (no Nyquist mode)
    it maps the mode ``v_k^(n)`` to ``v_k^(2n)``.

    >>> FourierUpsample2()(Signal([1, 0, 0]))
    Signal([1, 2/3, 0, -1/3, 0, 2/3])
    """

    def cyclotomic_matrix(self, n: int) -> list[list[Cyc]]:
        half = fourier_taps_cyclotomic(sympy.Rational(-1, 2), n)
        rows = []
        for j in range(n):
            rows.append([Cyc.rational(1 if jj == j else 0) for jj in range(n)])
            rows.append([half[(j - jj) % n] for jj in range(n)])
        return rows

    def conventions(self) -> tuple[str, ...]:
        return ("ideal upsampling by 2: out_{2j} = u_j, out_{2j+1} = band-limited interpolant at j + 1/2 "
                "(symequi's FourierShift by -1/2 cell), periodic",)

    def describe(self) -> str:
        return "FourierUpsample2 (ideal band-limited upsampling by 2)"

    def latex(self) -> str:
        return r"\mathcal{U}_2"


class IdealLowPass(CyclotomicLinear):
    """Keep the Fourier modes ``|k| <= cutoff`` of an ``n``-point periodic signal.

    ``out = P u`` with ``P[l, l'] = (1/n) sum_{|k| <= cutoff} zeta_n^(k (l - l'))``.
    ``n`` is fixed at construction (the cutoff refers to it).
    """

    def __init__(self, n: int, cutoff: int) -> None:
        self.n = positive_int(n, "n")
        cutoff = int(to_exact(cutoff, "cutoff"))
        if not 0 <= 2 * cutoff < self.n:
            raise InvalidArgumentError(f"cutoff={cutoff} must satisfy 0 <= 2*cutoff < n={self.n}")
        self.cutoff = cutoff

    def cyclotomic_matrix(self, n: int) -> list[list[Cyc]]:
        if n != self.n:
            raise InvalidArgumentError(f"{self.describe()} acts on signals of length {self.n}, not {n}")
        taps = []
        for m in range(n):
            acc = Cyc.rational(0)
            for k in range(-self.cutoff, self.cutoff + 1):
                acc = acc + zeta(n, k * m)
            taps.append(acc * flint.fmpq(1, n))
        return [[taps[(l - ll) % n] for ll in range(n)] for l in range(n)]

    def conventions(self) -> tuple[str, ...]:
        return (f"ideal low-pass on {self.n} points: keeps the Fourier modes |k| <= {self.cutoff}, periodic",)

    def describe(self) -> str:
        return f"IdealLowPass(n={self.n}, keep |k| <= {self.cutoff})"

    def latex(self) -> str:
        return r"\mathcal{P}_{|k| \le %d}" % self.cutoff


class Downsample2(CyclotomicLinear):
    """Keep the even samples: ``2n`` -> ``n`` points.

    >>> Downsample2()(Signal([1, 2, 3, 4]))
    Signal([1, 3])
    """

    def cyclotomic_matrix(self, n: int) -> list[list[Cyc]]:
        if n % 2:
            raise InvalidArgumentError(f"Downsample2 needs an even length, not {n}")
        return [[Cyc.rational(1 if l == 2 * j else 0) for l in range(n)] for j in range(n // 2)]

    def conventions(self) -> tuple[str, ...]:
        return ("downsampling by 2: out_j = u_{2j}",)

    def describe(self) -> str:
        return "Downsample2 (keep the even samples)"

    def latex(self) -> str:
        return r"\mathcal{S}_{\downarrow 2}"


def cyc_list(values: Iterable[Cyc]) -> list[sympy.Expr]:
    """Cyclotomic numbers as sympy expressions (for display)."""
    return [v.to_sympy() for v in values]
