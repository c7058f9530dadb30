"""The circulant fast path of the linear decider, exact in cyclotomic fields.

An ``N x N`` matrix is *circulant* when its column ``i`` is the cyclic roll by
``i`` of its column 0.  Circulants are exactly the polynomials in the cyclic
shift ``R`` (``C = sum_m c_m R^m``, ``c`` = column 0), so they form a
commutative algebra, closed under sums, products and differences (P. J. Davis,
*Circulant Matrices*, 1979; R. M. Gray, *Toeplitz and Circulant Matrices: A
Review*, 2006).  Hence, for circulant ``A``, ``G`` and ``G'`` the commutator
``K = A G - G' A`` is circulant and is zero iff its column 0 is.

:func:`decide_circulant` decides a 1-D linear square ``A g = g' A`` when
a translation has irrational taps (the band-limited shift by a rational
number of cells, a normalised Lanczos shift, ...), where the generic
column-by-column decider drags sympy cosine sums through every layer:

1. ``A``'s columns are read off its shared exact matrix
   (:meth:`~symequi.core.operator.Operator.columns`, built once and cached on
   the operator); they must be rational (``fmpq_poly``).  Whether ``A`` is
   circulant is checked exactly: column ``i`` is compared with the roll of
   column 0.
2. Each translation's column 0 is taken, as elements of a cyclotomic field
   ``Q(zeta_M)``, from its definition: the layer protocol's
   :meth:`~symequi.core.operator.Operator.circulant_taps` (a periodic
   :class:`~symequi.translations.base.DiscreteTranslation` *is* the circulant
   ``out_j = sum_m h_m u_{(j-m) mod N}``; a :class:`~symequi.translations.fourier.FourierShift`
   with rational ``s`` declares the cyclotomic taps its own ``_apply`` uses;
   other taps are read with :func:`~symequi.arith.cyclotomic.to_cyclotomic`).
   A translation with rational taps or none declared is instead read off its
   shared matrix and checked to be circulant.
3. Vectors over ``Q(zeta_M)`` are held as ``phi(M)`` rational coordinate
   vectors (power basis ``1, zeta, ..., zeta^(phi-1)``, reduced modulo
   ``Phi_M``): a rational matrix acts on each coordinate, and an entry is
   zero iff all its coordinates are (exact).  A circulant ``A`` acts as the
   periodic convolution with its column 0; another ``A`` is applied to the
   coordinate vectors by running it (linearity over the real field that
   holds the entries).
4. If ``A`` is circulant only column 0 of ``K`` is computed (the theorem
   above); otherwise columns ``0, 1, ...`` until one is nonzero (an exact
   counterexample on a unit input, as the generic decider reports) or all
   are zero (a proof by the basis).

Squares with only rational translations, n-D or shape-changing squares, or
operators with symbolic entries are left to the generic decider
(:func:`decide_circulant` returns None).

Example
-------
>>> from symequi.layers.convolution import Convolution
>>> from symequi.translations.fourier import FourierShift
>>> from symequi.core.square import Square
>>> v = decide_circulant(Square(Convolution([1, -2, 1], padding="periodic"), FourierShift('1/2'),
...                             input_shape=64))
>>> v.kind, v.details["field"]
('proved', 'Q(zeta_128), power basis of degree 64: an entry is zero iff its reduced polynomial is')
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import flint
import sympy

from ..core.budget import time_budget
from ..arith.cyclotomic import CyclotomicElement, cyclotomic_polynomial, to_cyclotomic
from ..arith.cyclotomic_vector import CyclotomicVector, VectorTaps
from ..core.errors import BudgetExceededError, InvalidArgumentError
from ..core.operator import Operator, circulant_taps
from ..core.signal import Signal
from ..core.square import Square
from ..core.verdict import Counterexample, Proved, Undecided, Verdict
from ..core.texts import brief

__all__ = ["decide_circulant", "CIRCULANT_THEOREM"]

#: The theorem the circulant proofs rest on, quoted in every such verdict.
CIRCULANT_THEOREM = (
    "an N x N circulant matrix (column i = cyclic roll by i of column 0) is the polynomial "
    "sum_m c_m R^m in the cyclic shift R, so circulant matrices form a commutative algebra closed "
    "under sums, products and differences (P. J. Davis, Circulant Matrices, 1979; R. M. Gray, "
    "Toeplitz and Circulant Matrices: A Review, 2006); hence A g - g_out A is circulant and is zero "
    "iff its column 0 is"
)


# --------------------------------------------------------------------------------------
# rational vectors as fmpq_poly (coefficient j = entry j)
# --------------------------------------------------------------------------------------
def _roll(poly: flint.fmpq_poly, shift: int, n: int) -> flint.fmpq_poly:
    """The cyclic roll ``out_j = v_{(j - shift) mod n}`` of a vector of length ``n``."""
    shift %= n
    if shift == 0 or poly.is_zero():
        return poly
    moved = poly.left_shift(shift)           # degree < n + shift < 2n: one wrap suffices
    return moved.truncate(n) + moved.right_shift(n)


def _cyclic_product(a: flint.fmpq_poly, b: flint.fmpq_poly, n: int) -> flint.fmpq_poly:
    """``(a * b) mod (x^n - 1)`` for ``deg a, deg b < n``: the periodic convolution."""
    product = a * b                           # degree <= 2n - 2: one wrap suffices
    return product.truncate(n) + product.right_shift(n)


def _matrix_columns(op: Operator, n: int) -> list[flint.fmpq_poly] | None:
    """The columns of ``op``'s shared exact matrix on length ``n`` as polynomials, or None when
    the matrix is not a rational ``n x n`` matrix."""
    columns = op.columns((n,))
    if any(c.domain != "QQ" or c.shape != (n,) for c in columns):
        return None
    return [c.flat_poly() for c in columns]


def _first_non_circulant(columns: list[flint.fmpq_poly], n: int) -> int | None:
    """The first ``i`` whose column is not the roll by ``i`` of column 0, or None."""
    first = columns[0]
    return next((i for i in range(1, n) if columns[i] != _roll(first, i, n)), None)


# --------------------------------------------------------------------------------------
# translations: column 0 in a cyclotomic field
# --------------------------------------------------------------------------------------
@dataclass
class _Circulant:
    """A circulant translation: its column 0 (``column[j]`` = entry ``j`` of ``g(e_0)``)
    and how circulance is known; ``vector``, when the taps came as one, is the same
    column in coordinates (:class:`~symequi.arith.cyclotomic_vector.VectorTaps`)."""

    column: list[CyclotomicElement] | None
    how: str
    vector: CyclotomicVector | None = None

    def elements(self) -> list[CyclotomicElement]:
        if self.column is None:
            assert self.vector is not None
            self.column = [self.vector.element(j) for j in range(self.vector.size)]
        return self.column

    @property
    def order(self) -> int:
        if self.vector is not None:
            return self.vector.order
        return math.lcm(*(h.order for h in self.elements()))

    @property
    def rational(self) -> bool:
        if self.vector is not None:
            return self.vector.rational_entries() is not None
        return all(h.is_rational for h in self.elements())

    def coordinates(self, order: int) -> list[flint.fmpq_poly]:
        """The ``phi(order)`` coordinate columns of column 0 over ``Q(zeta_order)``."""
        if self.vector is not None and self.vector.order == order:
            return list(self.vector.columns)
        return _coordinates(self.elements(), order)


def _field_element(value: Any) -> CyclotomicElement:
    """A declared tap as an element of a cyclotomic field (InvalidArgumentError when it is none)."""
    if isinstance(value, CyclotomicElement):
        return value
    if isinstance(value, flint.fmpq):
        return CyclotomicElement.rational(value)
    expr = sympy.Integer(value) if isinstance(value, int) else value
    if not isinstance(expr, sympy.Expr) or expr.free_symbols:
        raise InvalidArgumentError(f"the tap {brief(value)} is not a number of a cyclotomic field")
    return to_cyclotomic(expr)


def _by_definition(op: Operator, n: int) -> _Circulant | None:
    """A translation that declares itself circulant (:meth:`Operator.circulant_taps`) with
    irrational taps, as that circulant; None for rational taps, no declaration, or taps
    outside cyclotomic fields."""
    taps = circulant_taps(op, n)
    if taps is None:
        return None
    how = (f"{op.describe()}: the periodic convolution with its taps out_j = sum_m h_m u_{{(j-m) mod N}} "
           f"(its definition, declared by circulant_taps({n}))")
    if isinstance(taps, VectorTaps) and taps.vector.size == n:
        tapped = _Circulant(None, how, taps.vector)
        return None if tapped.rational else tapped
    try:
        values = {m: _field_element(h) for m, h in taps.items()}
    except InvalidArgumentError:
        return None
    if all(h.is_rational for h in values.values()):
        return None
    column = [CyclotomicElement.rational(0)] * n
    for m, h in values.items():
        column[m % n] = column[m % n] + h
    return _Circulant(column, how)


def _by_matrix(op: Operator, n: int) -> _Circulant | None:
    """``op``'s shared matrix: a circulant with rational entries, or None."""
    columns = _matrix_columns(op, n)
    if columns is None or _first_non_circulant(columns, n) is not None:
        return None
    first = columns[0]
    return _Circulant([CyclotomicElement.rational(first[j]) for j in range(n)],
                      f"{op.describe()}: circulant, checked exactly on all {n} columns of its matrix")


def _coordinates(column: list[CyclotomicElement], order: int) -> list[flint.fmpq_poly]:
    """The ``phi(order)`` rational coordinate vectors (power basis) of a vector over
    ``Q(zeta_order)``: ``coords[k][j]`` is coefficient ``k`` of entry ``j``."""
    phi = cyclotomic_polynomial(order).degree()
    zero = flint.fmpq(0)
    rows = []
    for h in column:
        coeffs = h.lift(order).poly.coeffs() if h.order != order and not h.is_rational else h.poly.coeffs()
        rows.append(coeffs + [zero] * (phi - len(coeffs)))
    return [flint.fmpq_poly([row[k] for row in rows]) for k in range(phi)]


def _field_signal(coords: list[flint.fmpq_poly], order: int, shape: tuple[int, ...]) -> Signal:
    """A field vector as a Signal kept in ``Q(zeta_order)``: its entries become sympy cosine
    sums only when read (display, ``flat_exprs``), not when the verdict is built."""
    return Signal.from_field(CyclotomicVector(coords, order, shape[0]), shape)


# --------------------------------------------------------------------------------------
# the decider
# --------------------------------------------------------------------------------------
def _field_text(order: int) -> str:
    phi = cyclotomic_polynomial(order).degree()
    return f"Q(zeta_{order}), power basis of degree {phi}: an entry is zero iff its reduced polynomial is"


def _apply_coordinates(op: Operator, coords: list[flint.fmpq_poly], n: int) -> list[flint.fmpq_poly] | None:
    """``op`` on a field vector, coordinate by coordinate (``op`` linear with rational matrix)."""
    out = []
    for c in coords:
        if c.is_zero():
            out.append(c)
            continue
        result = op(Signal.from_poly(c, (n,)))
        if result.domain != "QQ":
            return None
        out.append(result.flat_poly())
    return out


def circulant_verdict(square: Square) -> Verdict | None:
    """The circulant decision of a linear square, or None when it does not apply.

    Runs in the caller's time budget (raises BudgetExceededError when it runs out).
    """
    shape = square.input_shape
    if len(shape) != 1 or square.output_shape != shape:
        return None
    n = shape[0]
    g = _by_definition(square.g, n)
    g_out = g if square.g_out is square.g else _by_definition(square.g_out, n)
    if g is None and g_out is None:
        return None                              # no irrational taps: the generic path is exact and fast
    g = g or _by_matrix(square.g, n)
    g_out = g_out or _by_matrix(square.g_out, n)
    if g is None or g_out is None or (g.rational and g_out.rational):
        return None                              # (rational-valued taps: also the generic path)
    a_cols = _matrix_columns(square.operator, n)
    if a_cols is None:
        return None
    order = math.lcm(g.order, g_out.order)
    h = g.coordinates(order)
    h_out = h if g_out is g else g_out.coordinates(order)
    bad = _first_non_circulant(a_cols, n)
    statement, conventions = square.statement, square.conventions()
    details = {"g": g.how, "g_out": g_out.how, "field": _field_text(order)}
    for i in (range(1) if bad is None else range(n)):
        if bad is None:                          # A is the periodic convolution with its column 0
            lhs: list[flint.fmpq_poly] | None = [_cyclic_product(a_cols[0], c, n) for c in h]
        else:
            lhs = _apply_coordinates(square.operator, [_roll(c, i, n) for c in h], n)   # A(g(e_i))
        if lhs is None:
            return None
        rhs = [_cyclic_product(a_cols[i], c, n) for c in h_out]                     # g_out(A(e_i))
        diff = [p - q for p, q in zip(lhs, rhs)]
        if any(not d.is_zero() for d in diff):
            note = f"a unit input: the commutator's column {i} is nonzero"
            if bad is None:
                note += " (A is circulant, so every column is a roll of this one)"
            return Counterexample(
                statement, input=Signal.unit(shape, (i,)),
                lhs=_field_signal(lhs, order, shape), rhs=_field_signal(rhs, order, shape),
                difference=_field_signal(diff, order, shape),
                decider="linear", conventions=conventions, details={"note": note, **details},
            )
    if bad is None:
        holds_for = (f"every input of shape {shape} (linear, so the basis suffices: A is circulant, "
                     f"checked exactly on all {n} columns of its matrix; g and g_out are circulant; so the "
                     "commutator A g - g_out A is circulant, and its column 0 is exactly zero)")
        details = {"operator": "circulant: A(e_i) is the cyclic roll by i of A(e_0) for every i (exact, on its matrix)",
                   **details, "theorem": CIRCULANT_THEOREM}
    else:
        holds_for = (f"every input of shape {shape} (linear, so the basis suffices: all {n} columns of "
                     "the commutator are exactly zero)")
        details = {"operator": f"not circulant (column {bad} is not the roll of column 0)", **details}
    return Proved(statement, holds_for=holds_for, decider="linear", conventions=conventions, details=details)


def decide_circulant(square: Square, *, budget: float | None = None) -> Verdict | None:
    """Decide a 1-D linear square through circulant structure, exactly in ``Q(zeta_M)``.

    Returns Proved, a Counterexample (on a unit input, with exact outputs),
    Undecided (the time budget ran out), or None when the fast path does not
    apply (use :func:`symequi.deciders.linear.decide_linear`, which tries this first).

    >>> from symequi.layers.convolution import Convolution
    >>> from symequi.translations.fourier import FourierShift
    >>> v = decide_circulant(Square(Convolution([1, 1], padding="zeros"), FourierShift('1/2'), input_shape=4))
    >>> v.kind, v.input
    ('counterexample', Signal([1, 0, 0, 0]))
    """
    if not isinstance(square, Square):
        raise InvalidArgumentError(f"square must be a symequi Square, not {type(square).__name__}")
    if not square.is_linear:
        raise InvalidArgumentError(
            "the circulant decider needs linear maps (the operator, g and g_out); use method='smt' or 'search'"
        )
    try:
        with time_budget(budget, "the circulant linear decider"):
            return circulant_verdict(square)
    except BudgetExceededError as err:
        return Undecided(square.statement, reason=str(err), decider="linear", conventions=square.conventions())
