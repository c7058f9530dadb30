"""The band-limited (Fourier) translation, exact in cyclotomic fields.

On a periodic axis of length N the band-limited translation by ``s`` cells
multiplies Fourier coefficient ``k`` by ``exp(-2 pi i k s / N)``: it is the
circulant ``out_j = sum_{m=0}^{N-1} h_m u_{j-m}`` with

    h_m = (1/N) sum_k w_k exp(2 pi i k (m - s) / N),

``k = -(N-1)/2 .. (N-1)/2`` with ``w_k = 1`` for odd N.  For even N the
Nyquist bin is split symmetrically between ``+N/2`` and ``-N/2`` (weight 1/2
each), i.e. it contributes ``cos(pi (m - s))``: real inputs give real outputs,
the operator is the interpolation by the real trigonometric polynomial of
degree <= N/2 whose Nyquist term is a cosine, and an integer ``s`` gives the
exact integer roll.  The price: the Nyquist mode ``(-1)^j`` is mapped to
``cos(pi s) (-1)^j``, so for even N the shifts compose only up to that mode
(``T_{1/2} T_{1/2} != T_1``); for odd N they form a group.

* Rational ``s = p/q``: ``h_m`` lies in the real subfield of ``Q(zeta_{qN})``;
  it is computed in :mod:`symequi.arith.cyclotomic` and written as
  ``c_0 + sum_k c_k cos(2 pi k/(qN))`` (unique coefficients).  Rational data
  are shifted in the field and the result stays there: a
  :class:`~symequi.core.signal.Signal` holding a
  :class:`~symequi.arith.cyclotomic_vector.CyclotomicVector`, whose ``==``,
  ``+``, ``-`` and zero tests are exact flint comparisons, and whose sympy
  entries (the cosine sums) are built only for display.  On one axis the
  shift is one cyclic convolution per power-basis coordinate of the taps
  (:func:`fourier_tap_vector`, cached): O(N^2) coefficients in all.
* Symbolic (or irrational) ``s``: the Dirichlet-kernel closed form
  ``h_m = sin(pi (m - s)) / (N sin(pi (m - s)/N))`` for odd N and
  ``h_m = sin(pi (m - s)) cot(pi (m - s)/N) / N`` for even N (both have
  removable singularities at ``s = m mod N``: substitute a rational ``s``
  through :class:`FourierShift`, not into the formula).

The band-limited shift is periodic by construction, so only
``boundary="periodic"`` is accepted.

Example
-------
>>> from symequi.translations.fourier import FourierShift
>>> from symequi.core.signal import Signal
>>> FourierShift('1/2')(Signal([1, 0, 0, 0]))
Signal([1/4 + sqrt(2)/4, 1/4 + sqrt(2)/4, 1/4 - sqrt(2)/4, 1/4 - sqrt(2)/4])
>>> FourierShift(1)(Signal([1, 2, 3]))
Signal([3, 1, 2])
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Mapping
from typing import Any

import flint
import sympy

from ..arith.cyclotomic import CyclotomicElement, cyclotomic_polynomial, field_order
from ..arith.cyclotomic_vector import CyclotomicVector, VectorTaps, join_columns, reduce_columns
from ..core.budget import budgeted
from ..core.errors import InvalidArgumentError
from ..core.exact import positive_int, to_rational
from ..core.limits import check_size
from ..core.signal import Signal
from ..core.texescape import Phrase
from ..core.types import Boundary
from .base import DiscreteTranslation, Taps
from ..core.texts import brief

__all__ = ["FourierShift", "fourier_taps_cyclotomic", "fourier_tap_vector"]

#: Rows of the data per exact matrix product in :func:`_apply_in_field`.
_PRODUCT_ROWS = 64
#: Unreduced tap coordinates per reduction (one flint division each): bounds one C call.
_REDUCE_COEFFS = 1 << 20


@budgeted(lambda s, n: f"computing the band-limited shift's taps for s={brief(s, str)}, n={brief(n, str)}")
def fourier_taps_cyclotomic(s: Any, n: int) -> list[CyclotomicElement]:
    """The taps ``h_0 .. h_{n-1}`` of the band-limited shift by a rational ``s``
    on a periodic axis of length ``n``, as elements of ``Q(zeta_{q n})``.

    >>> [h.to_sympy() for h in fourier_taps_cyclotomic('1/2', 2)]
    [1/2, 1/2]
    """
    vector = fourier_tap_vector(s, n)
    return [vector.element(m) for m in range(vector.size)]


def fourier_tap_vector(s: Any, n: int) -> CyclotomicVector:
    """The taps ``h_0 .. h_{n-1}`` of :func:`fourier_taps_cyclotomic` as one
    :class:`~symequi.arith.cyclotomic_vector.CyclotomicVector` over ``Q(zeta_{q n})``
    (computed once per ``(s, n)``: the vector is immutable and cached).

    >>> fourier_tap_vector('1/2', 4).entry_exprs()
    [1/4 + sqrt(2)/4, 1/4 + sqrt(2)/4, 1/4 - sqrt(2)/4, 1/4 - sqrt(2)/4]
    """
    value = to_rational(s, "s")
    n = positive_int(n, "n")
    field_order(int(value.q) * n)  # the field Q(zeta_{q n}) within the limits, before any allocation
    return _tap_vector(int(value.p), int(value.q), n)


@functools.lru_cache(maxsize=8)
def _tap_vector(p: int, q: int, n: int) -> CyclotomicVector:
    """Coordinate ``e`` of ``2 n h_m`` before reduction counts the ``k`` with
    ``k (q m - p) = e (mod q n)`` (weight 2; the split Nyquist bins weight 1).  The
    counts are symmetric (``k`` and ``-k`` give ``e`` and ``-e``), so only ``k >= 0`` is
    counted (``k = 0`` with half its weight) and column ``e`` is ``count_e + count_{-e}``;
    the integer columns are reduced modulo Phi_{qn} a block of rows at a time."""
    order = q * n
    half, top = n // 2, (n - 1) // 2
    rows = max(1, min(n, _REDUCE_COEFFS // order))
    blocks = []
    for start in range(0, n, rows):
        stop = min(n, start + rows)
        width = stop - start
        flat = [0] * (order * width)         # flat[e * width + (m - start)]
        for m in range(start, stop):
            e = q * m - p                    # zeta_order**(k e) = exp(2 pi i k (m - s)/n)
            col = m - start
            flat[col] += 1                   # k = 0 (doubled by the mirror)
            for position in [((k * e) % order) * width + col for k in range(1, top + 1)]:
                flat[position] += 2
            if n % 2 == 0:                   # Nyquist bins +n/2 (here) and -n/2 (the mirror)
                flat[((half * e) % order) * width + col] += 1
        counts = [flint.fmpz_poly(flat[e * width:(e + 1) * width]) for e in range(order)]
        blocks.append(reduce_columns([counts[e] + counts[-e % order] for e in range(order)], order, width))
    scale = flint.fmpq(1, 2 * n)
    columns = [join_columns([flint.fmpq_poly(block[c]) for block in blocks], rows) * scale
               for c in range(len(blocks[0]))]
    return CyclotomicVector(columns, order, n)


def _closed_form(s: sympy.Expr, n: int, m: int) -> sympy.Expr:
    angle = sympy.pi * (m - s)
    if n == 1:
        return sympy.Integer(1)
    if n % 2:
        return sympy.sin(angle) / (n * sympy.sin(angle / n))
    return sympy.sin(angle) * sympy.cot(angle / n) / n


class FourierShift(DiscreteTranslation):
    """The band-limited translation by ``s`` cells on a periodic axis (exact).

    Parameters
    ----------
    s : exact number, sympy expression, or tuple (one per axis)
    boundary : must be ``"periodic"`` (the method is periodic by construction)

    See Also
    --------
    fourier_taps_cyclotomic : the taps as cyclotomic numbers.
    symequi.arith.cyclotomic.to_cyclotomic : zero-test the outputs exactly.

    Example
    -------
    >>> FourierShift('1/2').taps(3)
    {0: 2/3, 1: 2/3, 2: -1/3}
    """

    method = "fourier"

    def __init__(self, s: Any, *, boundary: Boundary = "periodic") -> None:
        super().__init__(s, boundary=boundary)
        if self.boundary != "periodic":
            raise InvalidArgumentError(
                f"boundary={brief(boundary)}: the band-limited (Fourier) shift is periodic by construction; "
                "use boundary='periodic', or an interpolation method for a zero boundary"
            )

    @property
    def is_piecewise_linear(self) -> bool:  # type: ignore[override]
        """True for integer shifts only (other rational shifts have irrational taps in general)."""
        return all(v.is_Integer for v in self.shifts)

    @budgeted(lambda self, s, n: f"computing the taps of {brief(self.describe(), str)} for n={brief(n, str)}")
    def _axis_taps(self, s: sympy.Expr, n: int) -> Taps:
        if s.is_Integer:
            return {int(s) % n: flint.fmpq(1)}
        if s.is_Rational:
            return {m: _to_tap(h) for m, h in enumerate(fourier_taps_cyclotomic(s, n))}
        return {m: _closed_form(s, n, m) for m in range(n)}

    def _field_taps(self, s: sympy.Expr, n: int) -> dict[int, CyclotomicElement] | None:
        """The taps in ``Q(zeta_{q n})`` for a rational non-integer ``s`` (a signal already in a
        cyclotomic field is shifted there)."""
        if s.is_Rational and not s.is_Integer:
            return dict(enumerate(fourier_taps_cyclotomic(s, n)))
        return None

    @budgeted(lambda self, signal: f"applying {brief(self.describe(), str)} to a signal of shape {brief(signal.shape, str)}")
    def _apply(self, signal: Signal) -> Signal:
        self._check_signal(signal)
        if signal.domain == "QQ" and all(v.is_Rational for v in self.shifts) and not all(
            v.is_Integer for v in self.shifts
        ):
            if signal.ndim == 1:
                return Signal.from_field(_convolve_1d(signal.flat_poly(), self.shifts[0], signal.size),
                                         signal.shape)
            return _apply_in_field(signal, self.shifts)
        return super()._apply(signal)

    def circulant_taps(self, n: int) -> Mapping[int, Any] | None:
        """The taps of the band-limited shift on a periodic axis of length ``n``: for a rational,
        non-integer ``s`` the cyclotomic taps :func:`fourier_tap_vector` that ``_apply`` uses (as a
        :class:`~symequi.arith.cyclotomic_vector.VectorTaps`),
        otherwise the taps of :meth:`_axis_taps`; None for n-D shifts.

        >>> [h.to_sympy() for h in FourierShift('1/2').circulant_taps(2).values()]
        [1/2, 1/2]
        """
        if len(self.shifts) != 1:
            return None
        s, n = self.shifts[0], positive_int(n, "n")
        if s.is_Rational and not s.is_Integer:
            return VectorTaps(fourier_tap_vector(s, n))
        return self._axis_taps(s, n) if s != 0 else {0: flint.fmpq(1)}

    @budgeted(lambda self, shape: f"building the matrix of {brief(self.describe(), str)} for shape {brief(shape, str)}")
    def matrix(self, shape: tuple[int, ...] | int) -> Any:
        return super().matrix(shape)

    def _method_conventions(self) -> tuple[str, ...]:
        return (
            Phrase("band-limited (Fourier) shift: h_m = (1/N) sum_k w_k exp(2 pi i k (m - s)/N), periodic",
                   r"band-limited (Fourier) shift: $h_m = \frac{1}{N} \sum_k w_k\, e^{2\pi i k (m - s)/N}$, periodic"),
            Phrase("even N: the Nyquist bin is split between +N/2 and -N/2 (contributes cos(pi (m - s))), "
                   "so real inputs give real outputs and integer s gives the exact roll; "
                   "the Nyquist mode is then scaled by cos(pi s), so for even N shifts compose only "
                   "up to that mode (T_a T_b != T_{a+b} in general; odd N: a group)",
                   r"even $N$: the Nyquist bin is split between $+N/2$ and $-N/2$ (contributes $\cos(\pi (m - s))$), "
                   r"so real inputs give real outputs and integer $s$ gives the exact roll; "
                   r"the Nyquist mode is then scaled by $\cos(\pi s)$, so for even $N$ shifts compose only "
                   r"up to that mode ($T_a T_b \neq T_{a+b}$ in general; odd $N$: a group)"),
            Phrase("rational s = p/q: taps and outputs in the real subfield of Q(zeta_{qN}), "
                   "written c_0 + sum_k c_k cos(2 pi k/(qN))",
                   r"rational $s = p/q$: taps and outputs in the real subfield of $\mathbb{Q}(\zeta_{qN})$, "
                   r"written $c_0 + \sum_k c_k \cos(2\pi k/(qN))$"),
            Phrase("symbolic s: Dirichlet closed form sin(pi(m-s))/(N sin(pi(m-s)/N)) (odd N), "
                   "sin(pi(m-s)) cot(pi(m-s)/N)/N (even N)",
                   r"symbolic $s$: Dirichlet closed form $\frac{\sin(\pi(m-s))}{N \sin(\pi(m-s)/N)}$ (odd $N$), "
                   r"$\frac{1}{N}\sin(\pi(m-s)) \cot(\pi(m-s)/N)$ (even $N$)"),
        )


def _to_tap(h: CyclotomicElement) -> Any:
    return h.poly[0] if h.is_rational else h.to_sympy()


def _convolve_1d(values: flint.fmpq_poly, s: sympy.Expr, n: int) -> CyclotomicVector:
    """The band-limited shift by a rational ``s`` of ``n`` rational values (coefficient
    ``j`` of ``values`` is ``u_j``): ``out_j = sum_m h_m u_{j-m}`` (periodic), one cyclic
    convolution per power-basis coordinate of the taps."""
    taps = fourier_tap_vector(s, n)
    columns = []
    for tap in taps.columns:
        product = values * tap
        columns.append(product.truncate(n) + product.right_shift(n) if product.length() > n else product)
    return CyclotomicVector(columns, taps.order, n)


def _apply_in_field(signal: Signal, shifts: tuple[sympy.Expr, ...]) -> Signal:
    """All axes at once: out_J = sum_M g_M u_{J-M} (periodic), g_M = prod_i h^(i)_{M_i},
    computed as one rational matrix product on the taps' power-basis coordinates."""
    shape = signal.shape
    per_axis = []
    for s, n in zip(shifts, shape):
        if s.is_Integer:
            per_axis.append({int(s) % n: CyclotomicElement.rational(1)})
        else:
            per_axis.append(dict(enumerate(fourier_taps_cyclotomic(s, n))))
    order = math.lcm(*(h.order for taps in per_axis for h in taps.values()))
    phi = cyclotomic_polynomial(order).degree()
    products = []
    for combo in itertools.product(*(sorted(t.items()) for t in per_axis)):
        offset = tuple(m for m, _ in combo)
        value = CyclotomicElement.rational(1)
        for _, h in combo:
            value = value * h
        value = value.lift(order) if value.order != order else value
        products.append((offset, value))
    size = signal.size
    values = signal.flat_fmpqs()
    strides = [math.prod(shape[k + 1:]) for k in range(len(shape))]
    u_rows = []
    for idx in itertools.product(*(range(n) for n in shape)):
        row = []
        for offset, _ in products:
            flat = sum(((i - m) % n) * st for i, m, n, st in zip(idx, offset, shape, strides))
            row.append(values[flat])
        u_rows.append(row)
    g_mat = flint.fmpq_mat(
        len(products), phi, [value.poly[k] for _, value in products for k in range(phi)]
    )
    g_num, g_den = g_mat.numer_denom()
    entries: list[CyclotomicElement] = []
    # Block by block: one huge product is one long C call that no time budget can stop.
    for start in range(0, size, _PRODUCT_ROWS):
        block = u_rows[start:start + _PRODUCT_ROWS]
        u_num, u_den = flint.fmpq_mat(len(block), len(products), [v for row in block for v in row]).numer_denom()
        out = u_num * g_num
        scale = flint.fmpq(1, u_den * g_den)
        for j in range(len(block)):
            poly = flint.fmpq_poly([out[j, k] for k in range(phi)]) * scale
            entries.append(CyclotomicElement(poly, order))
    return Signal.from_field(CyclotomicVector.from_elements(entries), shape)

