"""Piecewise polynomials with rational breakpoints: the exact fast path of discretizations.

A :class:`PiecewisePolynomial` in one variable is stored in normal form:

* ``breakpoints``: strictly increasing rationals ``b_0 < ... < b_{m-1}``;
* ``pieces``: ``m + 1`` python-flint ``fmpq_poly``, piece ``k`` on the open
  interval ``(b_{k-1}, b_k)`` (with ``b_{-1} = -oo`` and ``b_m = +oo``);
* ``values``: the exact value *at* each breakpoint (so point samples respect
  ``H(0) = 0``).

Breakpoints where the function is a single polynomial through the point are
removed, so equal functions have equal normal forms.

:meth:`PiecewisePolynomial.from_expr` converts sympy expressions built from
rational polynomials, ``Piecewise`` with conditions on ``var`` against
rational constants, :func:`symequi.heaviside`, ``Heaviside(arg, 0)`` and
``Abs`` of affine arguments, with ``+``, ``*`` and non-negative integer
powers.  Anything else (``sin``, irrational breakpoints, other symbols) gives
``None``: the caller falls back to sympy.  Sums are accumulated as breakpoint
*jumps* in a dict and sorted once: a sum of ``m`` steps costs ``O(m log m)``.

Example
-------
>>> import sympy
>>> from symequi.functions.continuous import x, heaviside
>>> f = PiecewisePolynomial.from_expr(heaviside(x) + heaviside(x - 1) * x, x)
>>> f.breakpoints, f(0), f('1/2'), f(2)
((0, 1), 0, 1, 3)
>>> f.cumulative(0).at_sorted([0, 1, 2])
[0, 1, 7/2]
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from typing import Any

import flint
import sympy
from flint import fmpq, fmpq_poly

from ..core.errors import InvalidArgumentError, SymequiError
from ..core.exact import fmpq_to_sympy, node_kinds, positive_int, power_by_squaring, sympy_to_fmpq, to_exact, to_fmpq
from ..core.texts import brief

__all__ = ["PiecewisePolynomial", "check_heaviside"]

_ZERO = fmpq(0)
_ONE = fmpq(1)


class _NotPiecewisePolynomial(SymequiError):
    """Internal signal: the expression is outside the class; fall back to sympy."""


def check_heaviside(expr: sympy.Expr, name: str = "f") -> None:
    """Refuse sympy ``Heaviside`` whose value at 0 is not 0 (the paper's ``H(0) = 0``).

    >>> from symequi.functions.continuous import x
    >>> check_heaviside(sympy.Heaviside(x, 0))
    >>> check_heaviside(sympy.Heaviside(x))
    Traceback (most recent call last):
    ...
    symequi.core.errors.InvalidArgumentError: f=Heaviside(x) uses sympy's Heaviside, whose value at 0 is Heaviside(0) = 1/2, but symequi follows the paper's H(0) = 0. Use symequi.heaviside(x) or sympy.Heaviside(x, 0).
    """
    for atom in node_kinds(expr).heavisides:
        h0 = atom.args[1] if len(atom.args) > 1 else sympy.Rational(1, 2)
        if h0 != 0:
            raise InvalidArgumentError(
                f"{name}={brief(expr, str)} uses sympy's Heaviside, whose value at 0 is "
                f"Heaviside(0) = {brief(h0, str)}, but symequi follows the paper's H(0) = 0. "
                f"Use symequi.heaviside({brief(atom.args[0], str)}) or sympy.Heaviside({brief(atom.args[0], str)}, 0)."
            )


class PiecewisePolynomial:
    """An exact piecewise polynomial in one variable with rational breakpoints.

    Build one with :meth:`from_expr` (or :meth:`constant`, :meth:`polynomial`);
    combine with ``+``, ``-``, ``*`` and ``**``.

    Attributes
    ----------
    breakpoints : tuple of fmpq, strictly increasing
    pieces : tuple of fmpq_poly, one more than breakpoints
    values : tuple of fmpq, the value at each breakpoint

    See Also
    --------
    cumulative : the exact integral from a point, as a continuous piecewise polynomial.
    at_sorted : values at sorted points in ``O(N + m)``.

    Example
    -------
    >>> step = PiecewisePolynomial([0], [0, 1], [0])
    >>> step(0), step(1), (step * 3 + 1)('1/2')
    (0, 1, 4)
    """

    __slots__ = ("breakpoints", "pieces", "values")

    breakpoints: tuple[fmpq, ...]
    pieces: tuple[fmpq_poly, ...]
    values: tuple[fmpq, ...]

    def __init__(self, breakpoints: Sequence[Any], pieces: Sequence[Any], values: Sequence[Any]) -> None:
        breaks = [to_fmpq(b, f"breakpoints[{i}]") for i, b in enumerate(breakpoints)]
        if any(breaks[i] >= breaks[i + 1] for i in range(len(breaks) - 1)):
            raise InvalidArgumentError(f"breakpoints={brief(breakpoints)} must be strictly increasing")
        if len(pieces) != len(breaks) + 1 or len(values) != len(breaks):
            raise InvalidArgumentError(
                f"{len(breaks)} breakpoints need {brief(len(breaks) + 1, str)} pieces and {len(breaks)} values; "
                f"got {len(pieces)} pieces and {len(values)} values"
            )
        polys = [_as_poly(p, f"pieces[{i}]") for i, p in enumerate(pieces)]
        vals = [to_fmpq(v, f"values[{i}]") for i, v in enumerate(values)]
        _canonical(breaks, polys, vals, self)

    @classmethod
    def _raw(cls, breaks: list[fmpq], polys: list[fmpq_poly], vals: list[fmpq]) -> "PiecewisePolynomial":
        obj = cls.__new__(cls)
        _canonical(breaks, polys, vals, obj)
        return obj

    @classmethod
    def constant(cls, value: Any) -> "PiecewisePolynomial":
        """The constant function.

        >>> PiecewisePolynomial.constant('2/3')(5)
        2/3
        """
        return cls._raw([], [fmpq_poly([to_fmpq(value, "value")])], [])

    @classmethod
    def polynomial(cls, coefficients: Sequence[Any]) -> "PiecewisePolynomial":
        """A polynomial from its coefficients, lowest degree first.

        >>> PiecewisePolynomial.polynomial([1, 0, 1])(2)
        5
        """
        return cls._raw([], [_as_poly(list(coefficients), "coefficients")], [])

    @classmethod
    def from_expr(cls, expr: Any, var: sympy.Symbol) -> "PiecewisePolynomial | None":
        """Convert a sympy expression in ``var``; ``None`` when it is outside the class.

        Raises InvalidArgumentError for sympy ``Heaviside`` with ``H(0) != 0``.

        >>> from symequi.functions.continuous import x
        >>> PiecewisePolynomial.from_expr(sympy.Piecewise((x, 2*x - 1 > 0), (0, True)), x)
        PiecewisePolynomial(breakpoints=(1/2,), pieces=(0, x), values=(0,))
        >>> PiecewisePolynomial.from_expr(sympy.sin(x), x) is None
        True
        """
        expr = to_exact(expr, "expr")
        check_heaviside(expr, "expr")
        try:
            return _convert(expr, var)
        except _NotPiecewisePolynomial:
            return None

    # --- evaluation -------------------------------------------------------------------
    @property
    def is_polynomial(self) -> bool:
        """True when there are no breakpoints.

        >>> PiecewisePolynomial.polynomial([1, 2]).is_polynomial
        True
        """
        return not self.breakpoints

    @property
    def degree(self) -> int:
        """The largest degree of a piece (-1 for the zero function).

        >>> PiecewisePolynomial([0], [[0, 1], [1, 0, 3]], [0]).degree
        2
        """
        return max(p.degree() for p in self.pieces)

    def __call__(self, point: Any) -> fmpq:
        p = to_fmpq(point, "point")
        k = bisect.bisect_left(self.breakpoints, p)
        if k < len(self.breakpoints) and self.breakpoints[k] == p:
            return self.values[k]
        return self.pieces[k](p)

    def at_sorted(self, points: Iterable[Any]) -> list[fmpq]:
        """Values at points given in increasing order, by merging with the breakpoints: ``O(N + m)``.

        >>> step = PiecewisePolynomial([0], [0, 1], [0])
        >>> step.at_sorted([-1, 0, '1/2'])
        [0, 0, 1]
        """
        breaks, pieces, values = self.breakpoints, self.pieces, self.values
        m = len(breaks)
        out: list[fmpq] = []
        k = 0
        previous = None
        for raw in points:
            p = raw if isinstance(raw, fmpq) else to_fmpq(raw, "points[i]")
            if previous is not None and p < previous:
                raise InvalidArgumentError(f"points must be sorted increasingly; {brief(p, str)} comes after {brief(previous, str)}")
            previous = p
            while k < m and breaks[k] < p:
                k += 1
            if k < m and breaks[k] == p:
                out.append(values[k])
            else:
                out.append(pieces[k](p))
        return out

    def uniform_samples(self, start: Any, step: Any, n: int) -> list[fmpq]:
        """Values at ``start + j*step`` for ``j = 0 .. n-1`` (``step > 0``).

        Each piece is composed once with ``start + step*t`` and evaluated at
        the integers ``j`` it covers; points on breakpoints take the stored
        values.  ``O(n + m)`` evaluations.

        >>> PiecewisePolynomial([0], [0, 1], [0]).uniform_samples(-1, '1/2', 4)
        [0, 0, 0, 1]
        """
        a, h, n = _uniform_args(start, step, n)
        out: list[Any] = [None] * n
        line = fmpq_poly([a, h])
        bounds = self._index_bounds(a, h, n)
        for k, piece in enumerate(self.pieces):
            # indices j with start + j*step strictly inside piece k
            lo = 0 if k == 0 else _floor(bounds[k - 1]) + 1
            hi = n - 1 if k == len(self.pieces) - 1 else _ceil(bounds[k]) - 1
            lo, hi = max(lo, 0), min(hi, n - 1)
            if lo <= hi:
                composed = piece(line) if piece.degree() > 0 else piece
                for j in range(lo, hi + 1):
                    out[j] = composed(j)
        for k, t in enumerate(bounds):
            if t.q == 1 and 0 <= int(t.p) < n:
                out[int(t.p)] = self.values[k]
        return out

    def uniform_cell_averages(self, start: Any, step: Any, n: int) -> list[fmpq]:
        """Cell averages ``(1/step) * integral`` over ``[start + j*step, start + (j+1)*step]``.

        Each piece is integrated once (its own antiderivative, constant term 0: no
        continuity constants, whose denominators would grow with the number of
        breakpoints); cells inside one piece use the polynomial
        ``(P(start + (t+1) step) - P(start + t step)) / step`` evaluated at the integer
        ``t = j``; the at most ``m`` cells cut by breakpoints add up the pieces' integrals
        over their parts.  ``O(n + m)``.

        >>> PiecewisePolynomial([0], [0, 1], [0]).uniform_cell_averages(-1, '1/2', 4)
        [0, 0, 1, 1]
        """
        a, h, n = _uniform_args(start, step, n)
        integrals = [piece.integral() for piece in self.pieces]
        out: list[Any] = [None] * n
        line = fmpq_poly([a, h])
        next_t = fmpq_poly([1, 1])
        inv_h = 1 / h
        bounds = self._index_bounds(a, h, n)
        last = len(integrals) - 1
        for k, antiderivative in enumerate(integrals):
            # cells j inside the closed piece: t_{k-1} <= j and j + 1 <= t_k
            lo = 0 if k == 0 else _ceil(bounds[k - 1])
            hi = n - 1 if k == last else _floor(bounds[k]) - 1
            lo, hi = max(lo, 0), min(hi, n - 1)
            if lo <= hi:
                composed = antiderivative(line)
                average = (composed(next_t) - composed) * inv_h
                for j in range(lo, hi + 1):
                    out[j] = average(j)
        breaks = self.breakpoints
        for j, value in enumerate(out):
            if value is None:
                left, right = a + j * h, a + (j + 1) * h
                k = bisect.bisect_right(breaks, left)       # the piece just right of ``left``
                total, here = _ZERO, left
                while k < len(breaks) and breaks[k] < right:
                    total += integrals[k](breaks[k]) - integrals[k](here)
                    here = breaks[k]
                    k += 1
                out[j] = (total + integrals[k](right) - integrals[k](here)) * inv_h
        return out

    def _index_bounds(self, a: fmpq, h: fmpq, n: int) -> list[fmpq]:
        """``(b_k - a)/h`` for every breakpoint: breakpoints in units of the index."""
        return [(b - a) / h for b in self.breakpoints]

    # --- calculus ---------------------------------------------------------------------
    def cumulative(self, a: Any) -> "PiecewisePolynomial":
        """``Phi(x) = integral from a to x of f``, exact and continuous.

        >>> PiecewisePolynomial([0], [0, 1], [0]).cumulative(-1).at_sorted([-1, 0, 2])
        [0, 0, 2]
        """
        start = to_fmpq(a, "a")
        polys = [p.integral() for p in self.pieces]
        for k, b in enumerate(self.breakpoints):
            polys[k + 1] = polys[k + 1] + (polys[k](b) - polys[k + 1](b))
        k = bisect.bisect_left(self.breakpoints, start)
        offset = polys[k](start)
        polys = [p - offset for p in polys]
        values = [polys[k](b) for k, b in enumerate(self.breakpoints)]
        return PiecewisePolynomial._raw(list(self.breakpoints), polys, values)

    def integral(self, lo: Any, hi: Any) -> fmpq:
        """The exact integral over ``[lo, hi]``.

        >>> PiecewisePolynomial.polynomial([0, 1]).integral(0, 2)
        2
        """
        return self.cumulative(lo)(hi)

    # --- arithmetic -------------------------------------------------------------------
    def jumps(self) -> list[tuple[fmpq, fmpq_poly, fmpq]]:
        """``(b_k, piece_{k+1} - piece_k, value_k - piece_k(b_k))`` for every breakpoint.

        >>> PiecewisePolynomial([0], [0, 1], [0]).jumps()
        [(0, 1, 0)]
        """
        return [
            (b, self.pieces[k + 1] - self.pieces[k], self.values[k] - self.pieces[k](b))
            for k, b in enumerate(self.breakpoints)
        ]

    @staticmethod
    def sum(terms: Iterable["PiecewisePolynomial"]) -> "PiecewisePolynomial":
        """The sum of many piecewise polynomials, accumulating jumps: ``O(m log m)``.

        >>> steps = [PiecewisePolynomial([k], [0, 1], [0]) for k in range(3)]
        >>> PiecewisePolynomial.sum(steps).at_sorted([0, '1/2', 5])
        [0, 1, 3]
        """
        left = fmpq_poly()
        jumps: dict[fmpq, list] = {}
        for term in terms:
            left = left + term.pieces[0]
            for b, dp, dv in term.jumps():
                entry = jumps.get(b)
                if entry is None:
                    jumps[b] = [dp, dv]
                else:
                    entry[0] = entry[0] + dp
                    entry[1] = entry[1] + dv
        return _from_jumps(left, sorted((b, dp, dv) for b, (dp, dv) in jumps.items()))

    def __add__(self, other: Any) -> "PiecewisePolynomial":
        other = _coerce(other)
        if other is None:
            return NotImplemented
        if not other.breakpoints:
            return PiecewisePolynomial._raw(
                list(self.breakpoints), [p + other.pieces[0] for p in self.pieces],
                [v + other.pieces[0](b) for b, v in zip(self.breakpoints, self.values)],
            )
        return PiecewisePolynomial.sum([self, other])

    __radd__ = __add__

    def __neg__(self) -> "PiecewisePolynomial":
        return PiecewisePolynomial._raw(list(self.breakpoints), [-p for p in self.pieces], [-v for v in self.values])

    def __sub__(self, other: Any) -> "PiecewisePolynomial":
        other = _coerce(other)
        if other is None:
            return NotImplemented
        return self + (-other)

    def __rsub__(self, other: Any) -> "PiecewisePolynomial":
        return (-self) + other

    def __mul__(self, other: Any) -> "PiecewisePolynomial":
        other = _coerce(other)
        if other is None:
            return NotImplemented
        if not other.breakpoints:
            q = other.pieces[0]
            return PiecewisePolynomial._raw(
                list(self.breakpoints), [p * q for p in self.pieces],
                [v * q(b) for b, v in zip(self.breakpoints, self.values)],
            )
        if not self.breakpoints:
            return other * self
        breaks = sorted(set(self.breakpoints) | set(other.breakpoints))
        polys = []
        values = []
        i = j = 0
        for b in breaks:
            polys.append(self.pieces[i] * other.pieces[j])
            left = self.values[i] if i < len(self.breakpoints) and self.breakpoints[i] == b else self.pieces[i](b)
            right = other.values[j] if j < len(other.breakpoints) and other.breakpoints[j] == b else other.pieces[j](b)
            values.append(left * right)
            if i < len(self.breakpoints) and self.breakpoints[i] == b:
                i += 1
            if j < len(other.breakpoints) and other.breakpoints[j] == b:
                j += 1
        polys.append(self.pieces[i] * other.pieces[j])
        return PiecewisePolynomial._raw(breaks, polys, values)

    __rmul__ = __mul__

    def __pow__(self, exponent: int) -> "PiecewisePolynomial":
        if not isinstance(exponent, int) or isinstance(exponent, bool) or exponent < 0:
            raise InvalidArgumentError(
                f"exponent={brief(exponent)} must be a non-negative int (powers of piecewise polynomials "
                "stay in the class only for exponents 0, 1, 2, ...)"
            )
        return power_by_squaring(self, exponent, PiecewisePolynomial.constant(1))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PiecewisePolynomial):
            return NotImplemented
        return (self.breakpoints, self.pieces, self.values) == (other.breakpoints, other.pieces, other.values)

    def __hash__(self) -> int:
        return hash((self.breakpoints, tuple(tuple(p.coeffs()) for p in self.pieces), self.values))

    # --- conversions ------------------------------------------------------------------
    def to_sympy(self, var: sympy.Symbol) -> sympy.Expr:
        """A sympy ``Piecewise`` (or polynomial) in ``var`` equal to this function.

        >>> from symequi.functions.continuous import x
        >>> PiecewisePolynomial([0], [0, 1], [0]).to_sympy(x)
        Piecewise((0, x < 0), (0, Eq(x, 0)), (1, True))
        """
        polys = [_poly_to_sympy(p, var) for p in self.pieces]
        if not self.breakpoints:
            return polys[0]
        args = []
        for k, b in enumerate(self.breakpoints):
            bs = fmpq_to_sympy(b)
            args.append((polys[k], var < bs))
            args.append((fmpq_to_sympy(self.values[k]), sympy.Eq(var, bs)))
        args.append((polys[-1], True))
        return sympy.Piecewise(*args, evaluate=False)

    def __repr__(self) -> str:
        pieces = ", ".join(p.str(var="x") if hasattr(p, "str") else brief(p, str) for p in self.pieces)
        breaks = ", ".join(brief(b, str) for b in self.breakpoints)
        values = ", ".join(brief(v, str) for v in self.values)
        comma = "," if len(self.breakpoints) == 1 else ""
        pcomma = "," if len(self.pieces) == 1 else ""
        return (f"PiecewisePolynomial(breakpoints=({brief(breaks, str)}{comma}), pieces=({brief(pieces, str)}{pcomma}), "
                f"values=({brief(values, str)}{comma}))")


# --- helpers ----------------------------------------------------------------------------
def _canonical(breaks: list[fmpq], polys: list[fmpq_poly], vals: list[fmpq], obj: PiecewisePolynomial) -> None:
    """Drop removable breakpoints and store the normal form on ``obj``."""
    keep_b: list[fmpq] = []
    keep_p: list[fmpq_poly] = [polys[0]]
    keep_v: list[fmpq] = []
    for k, b in enumerate(breaks):
        nxt = polys[k + 1]
        if nxt == keep_p[-1] and vals[k] == nxt(b):
            continue
        keep_b.append(b)
        keep_v.append(vals[k])
        keep_p.append(nxt)
    obj.breakpoints = tuple(keep_b)
    obj.pieces = tuple(keep_p)
    obj.values = tuple(keep_v)


def _uniform_args(start: Any, step: Any, n: Any) -> tuple[fmpq, fmpq, int]:
    """``start``, ``step`` > 0 and the point/cell count ``n`` >= 1, checked."""
    a, h = to_fmpq(start, "start"), to_fmpq(step, "step")
    if h <= 0:
        raise InvalidArgumentError(f"step={brief(step)} must be > 0 (the spacing of the points, e.g. '1/4')")
    return a, h, positive_int(n, "n")


def _as_poly(value: Any, name: str) -> fmpq_poly:
    if isinstance(value, fmpq_poly):
        return value
    if isinstance(value, flint.fmpz_poly):
        return fmpq_poly(value)
    if isinstance(value, (list, tuple)):
        return fmpq_poly([to_fmpq(c, f"{name}[{i}]") for i, c in enumerate(value)])
    return fmpq_poly([to_fmpq(value, name)])


def _coerce(value: Any) -> PiecewisePolynomial | None:
    if isinstance(value, PiecewisePolynomial):
        return value
    if isinstance(value, (int, fmpq)) and not isinstance(value, bool):
        return PiecewisePolynomial._raw([], [fmpq_poly([value])], [])
    return None


def _floor(q: fmpq) -> int:
    return int(q.p) // int(q.q)


def _ceil(q: fmpq) -> int:
    return -(-int(q.p) // int(q.q))


def _poly_to_sympy(p: fmpq_poly, var: sympy.Symbol) -> sympy.Expr:
    return sum((fmpq_to_sympy(c) * var**i for i, c in enumerate(p.coeffs())), sympy.Integer(0))


def _from_jumps(left: fmpq_poly, jumps: Sequence[tuple[fmpq, Any, fmpq]]) -> PiecewisePolynomial:
    """The piecewise polynomial equal to ``left`` left of every breakpoint, from its jumps
    ``(b, piece change, value at b minus the piece left of b)`` sorted by ``b`` (equal ``b``
    merged here)."""
    breaks: list[fmpq] = []
    polys = [left]
    values: list[fmpq] = []
    piece = left
    for b, dp, dv in jumps:
        if breaks and breaks[-1] == b:  # the same breakpoint again: add its jumps
            values[-1] = values[-1] + dv
            piece = piece + dp
            polys[-1] = piece
            continue
        breaks.append(b)
        values.append(piece(b) + dv)
        piece = piece + dp
        polys.append(piece)
    return PiecewisePolynomial._raw(breaks, polys, values)


def _weighted_step(term: sympy.Expr, var: sympy.Symbol) -> tuple[fmpq, fmpq, fmpq, fmpq] | None:
    """``w * Piecewise((high, var REL b), (low, True))`` with rational ``w, high, low, b``
    (a weighted :func:`symequi.heaviside` step) read directly: ``(value left of b, b, jump
    right of b, jump at b)``; None for any other term."""
    weight, step = term.as_coeff_Mul()
    if not isinstance(step, sympy.Piecewise) or len(step.args) != 2 or not weight.is_Rational:
        return None
    (high, cond), (low, last) = step.args
    if last is not sympy.true or not high.is_Rational or not low.is_Rational or type(cond) not in _PATTERNS:
        return None
    if cond.lhs != var or not cond.rhs.is_Rational:
        return None
    left, at, right = _PATTERNS[type(cond)]
    w, lo = sympy_to_fmpq(weight), sympy_to_fmpq(low)
    scale = w * (sympy_to_fmpq(high) - lo)
    return w * lo + scale * left, sympy_to_fmpq(cond.rhs), scale * (right - left), scale * (at - left)


def _sum(expr: sympy.Add, var: sympy.Symbol) -> PiecewisePolynomial:
    """A sum: weighted steps read directly into sorted jumps, other terms converted."""
    left = _ZERO
    jumps = []
    rest = []
    for term in expr.args:
        step = _weighted_step(term, var)
        if step is None:
            rest.append(term)
        else:
            value, b, dp, dv = step
            left += value
            jumps.append((b, dp, dv))
    if not jumps:
        return PiecewisePolynomial.sum(_convert(t, var) for t in rest)
    jumps.sort(key=lambda jump: jump[0])
    steps = _from_jumps(fmpq_poly([left]), jumps)
    return PiecewisePolynomial.sum([steps, *(_convert(t, var) for t in rest)]) if rest else steps


def _const(value: fmpq) -> PiecewisePolynomial:
    return PiecewisePolynomial._raw([], [fmpq_poly([value])], [])


def _product(factors: Iterable[PiecewisePolynomial]) -> PiecewisePolynomial:
    result = None
    for factor in factors:
        result = factor if result is None else result * factor
    return _const(_ONE) if result is None else result


def _affine(expr: sympy.Expr, var: sympy.Symbol) -> tuple[fmpq, fmpq]:
    """``expr = slope*var + intercept`` with rational data, else the fallback signal."""
    intercept, rest = expr.as_coeff_Add()
    slope, atom = rest.as_coeff_Mul()
    if atom == var and intercept.is_Rational and slope.is_Rational:  # the common form, read directly
        return sympy_to_fmpq(slope), sympy_to_fmpq(intercept)
    poly = _convert(expr, var)
    if poly.breakpoints or poly.pieces[0].degree() > 1:
        raise _NotPiecewisePolynomial
    coeffs = poly.pieces[0].coeffs() + [_ZERO, _ZERO]
    return coeffs[1], coeffs[0]


# indicator patterns (left of b, at b, right of b) for ``var REL b`` with a positive slope
_PATTERNS = {
    sympy.StrictGreaterThan: (0, 0, 1),
    sympy.GreaterThan: (0, 1, 1),
    sympy.StrictLessThan: (1, 0, 0),
    sympy.LessThan: (1, 1, 0),
    sympy.Equality: (0, 1, 0),
    sympy.Unequality: (1, 0, 1),
}
_FLIP = {
    sympy.StrictGreaterThan: sympy.StrictLessThan,
    sympy.GreaterThan: sympy.LessThan,
    sympy.StrictLessThan: sympy.StrictGreaterThan,
    sympy.LessThan: sympy.GreaterThan,
    sympy.Equality: sympy.Equality,
    sympy.Unequality: sympy.Unequality,
}


def _step(kind: type, slope: fmpq, intercept: fmpq) -> PiecewisePolynomial:
    """The 0/1 indicator of ``slope*var + intercept REL 0``."""
    if slope == 0:
        holds = bool(kind(fmpq_to_sympy(intercept), 0))
        return _const(_ONE if holds else _ZERO)
    if slope < 0:
        kind = _FLIP[kind]
    left, at, right = _PATTERNS[kind]
    b = -intercept / slope
    return PiecewisePolynomial._raw([b], [fmpq_poly([left]), fmpq_poly([right])], [fmpq(at)])


def _indicator(cond: Any, var: sympy.Symbol) -> PiecewisePolynomial:
    if cond is sympy.true or cond is True:
        return _const(_ONE)
    if cond is sympy.false or cond is False:
        return _const(_ZERO)
    if type(cond) in _PATTERNS:
        if cond.rhs.is_Rational:  # var > b: no sympy subtraction
            slope, intercept = _affine(cond.lhs, var)
            return _step(type(cond), slope, intercept - sympy_to_fmpq(cond.rhs))
        slope, intercept = _affine(cond.lhs - cond.rhs, var)
        return _step(type(cond), slope, intercept)
    if isinstance(cond, sympy.And):
        return _product(_indicator(arg, var) for arg in cond.args)
    if isinstance(cond, sympy.Or):  # 1 - (every branch missed)
        return 1 - _product(1 - _indicator(arg, var) for arg in cond.args)
    if isinstance(cond, sympy.Not):
        return 1 - _indicator(cond.args[0], var)
    raise _NotPiecewisePolynomial


def _convert(expr: sympy.Expr, var: sympy.Symbol) -> PiecewisePolynomial:
    if expr.is_Rational:
        return _const(sympy_to_fmpq(expr))
    if expr == var:
        return PiecewisePolynomial._raw([], [fmpq_poly([0, 1])], [])
    if isinstance(expr, sympy.Add):
        return _sum(expr, var)
    if isinstance(expr, sympy.Mul):
        return _product(_convert(factor, var) for factor in expr.args)
    if isinstance(expr, sympy.Pow):
        if expr.exp.is_Integer and expr.exp >= 0:
            return _convert(expr.base, var) ** int(expr.exp)
        raise _NotPiecewisePolynomial
    if isinstance(expr, sympy.Piecewise):
        (first, cond), (other, last) = expr.args[0], expr.args[-1]
        if len(expr.args) == 2 and last is sympy.true and first.is_Rational and other.is_Rational:
            low = sympy_to_fmpq(other)   # a step such as symequi.heaviside: other + (first - other) * [cond]
            return _indicator(cond, var) * (sympy_to_fmpq(first) - low) + low
        remaining = _const(_ONE)
        terms = []
        for branch, cond in expr.args:
            take = remaining * _indicator(cond, var)
            if take.pieces != (fmpq_poly(),) or take.breakpoints:
                terms.append(_convert(branch, var) * take)
            remaining = remaining - take
        if remaining.breakpoints or not remaining.pieces[0].is_zero():
            raise _NotPiecewisePolynomial  # undefined somewhere: let sympy decide
        return PiecewisePolynomial.sum(terms)
    if isinstance(expr, sympy.Heaviside):
        if len(expr.args) > 1 and expr.args[1] == 0:
            slope, intercept = _affine(expr.args[0], var)
            return _step(sympy.StrictGreaterThan, slope, intercept)
        raise _NotPiecewisePolynomial
    if isinstance(expr, sympy.Abs):
        slope, intercept = _affine(expr.args[0], var)
        inner = PiecewisePolynomial._raw([], [fmpq_poly([intercept, slope])], [])
        sign = _step(sympy.StrictGreaterThan, slope, intercept) * 2 - 1
        return inner * sign
    raise _NotPiecewisePolynomial
