"""A generated family of elementary integrands, each built twice, independently.

A term ``c * g(x)`` is written once as a sympy expression (what symequi integrates)
and once as an mpmath function (what the reference quadrature integrates): the two
are never derived from each other.  The grammar (``g``):

* ``log(a x + b)``, ``x log(a x + b)``, ``sqrt(a x + b)`` with ``a x + b >= 0`` on the
  domain; ``b`` may put the zero of ``a x + b`` exactly on a domain end (an integrable
  endpoint singularity);
* ``exp(k x)``, ``x exp(k x)``; ``sin(k x)``, ``cos(k x)``, ``x sin(k x)``;
* ``1/((x - q)^2 + e)``: poles ``q +- i sqrt(e)`` near the real axis, ``q`` in the domain;
* ``1/(x - p)``: ``p`` inside the domain (maybe on a cell edge), on a domain end, or outside;
* ``polylog(2, x/c)`` and ``log(1 - x/c)/x`` (Li2-type) with ``|c|`` beyond the domain, so
  both are real there.

At most one ``1/(x - p)`` term, and every other term is analytic on the open domain and
integrable at its ends, so the integral over the domain diverges exactly when the pole term
is present with ``p`` in ``[lo, hi]``.

>>> family = Family(R(0), R(1), [Term("pole", R(2), (R(1, 2),)), Term("log", R(1), (R(1), R(1)))])
>>> family.sympy_expr()
log(x + 1) + 2/(x - 1/2)
>>> family.divergent(), family.pole_cell(Grid(0, 1, 2))
(True, 0)
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import mpmath
import sympy
from hypothesis import strategies as st

from symequi.functions.continuous import x
from symequi.functions.grid import Grid

R = sympy.Rational


def mp(q: sympy.Rational | Fraction | int) -> mpmath.mpf:
    """An exact rational as an mpf at the current precision (no float on the way)."""
    q = R(q)
    return mpmath.mpf(q.p) / q.q


@dataclass(frozen=True)
class Term:
    """``c * g(x)``; ``args`` are the parameters of ``g`` (see the module docstring)."""

    kind: str
    c: sympy.Rational
    args: tuple

    def sympy_expr(self) -> sympy.Expr:
        k, a = self.kind, self.args
        g = {
            "log": lambda: sympy.log(a[0] * x + a[1]),
            "xlog": lambda: x * sympy.log(a[0] * x + a[1]),
            "sqrt": lambda: sympy.sqrt(a[0] * x + a[1]),
            "exp": lambda: sympy.exp(a[0] * x),
            "xexp": lambda: x * sympy.exp(a[0] * x),
            "sin": lambda: sympy.sin(a[0] * x),
            "cos": lambda: sympy.cos(a[0] * x),
            "xsin": lambda: x * sympy.sin(a[0] * x),
            "lorentz": lambda: 1 / ((x - a[0]) ** 2 + a[1]),
            "pole": lambda: 1 / (x - a[0]),
            "li2": lambda: sympy.polylog(2, x / a[0]),
            "li2log": lambda: sympy.log(1 - x / a[0]) / x,
        }[k]()
        return self.c * g

    def mp_value(self, t: mpmath.mpf) -> mpmath.mpf:
        k = self.kind
        a = [mp(v) for v in self.args]
        if k in ("log", "xlog", "sqrt"):
            inner = a[0] * t + a[1]
            g = mpmath.log(inner) if k != "sqrt" else mpmath.sqrt(inner)
            g = t * g if k == "xlog" else g
        elif k in ("exp", "xexp"):
            g = mpmath.exp(a[0] * t) * (t if k == "xexp" else 1)
        elif k in ("sin", "cos", "xsin"):
            g = (mpmath.cos if k == "cos" else mpmath.sin)(a[0] * t) * (t if k == "xsin" else 1)
        elif k == "lorentz":
            g = 1 / ((t - a[0]) ** 2 + a[1])
        elif k == "pole":
            g = 1 / (t - a[0])
        elif k == "li2":
            g = mpmath.polylog(2, t / a[0])
        else:  # li2log, removable at 0: log(1 - t/c)/t -> -1/c
            g = mpmath.log(1 - t / a[0]) / t if t != 0 else -1 / a[0]
        return mp(self.c) * g

    def endpoint_zero(self) -> sympy.Rational | None:
        """The zero of ``a x + b`` (log, x log, sqrt) when it is a domain end, else None."""
        if self.kind in ("log", "xlog", "sqrt"):
            return -self.args[1] / self.args[0]
        return None

    def kinks(self) -> list[sympy.Rational]:
        """Points where the reference quadrature should split (a near pole's real part, x = 0)."""
        if self.kind == "lorentz":
            return [self.args[0]]
        if self.kind == "li2log":
            return [R(0)]
        return []


@dataclass(frozen=True)
class Family:
    """A sum of terms on the domain ``[lo, hi]``."""

    lo: sympy.Rational
    hi: sympy.Rational
    terms: list

    def sympy_expr(self) -> sympy.Expr:
        return sympy.Add(*(t.sympy_expr() for t in self.terms))

    def mp_func(self):
        return lambda t: mpmath.fsum(term.mp_value(t) for term in self.terms)

    def pole(self) -> sympy.Rational | None:
        return next((t.args[0] for t in self.terms if t.kind == "pole"), None)

    def divergent(self) -> bool:
        """Exactly: a ``1/(x - p)`` term with ``p`` in ``[lo, hi]``."""
        p = self.pole()
        return p is not None and self.lo <= p <= self.hi

    def pole_cell(self, grid: Grid) -> int | None:
        """The (first) cell of ``grid`` whose closed interval holds the pole, if any."""
        p = self.pole()
        if p is None:
            return None
        return next((j for j in range(grid.size) if grid.cell(j)[0] <= p <= grid.cell(j)[1]), None)

    def singular_ends(self) -> set:
        """Domain ends where a term is singular but integrable (log, sqrt of 0)."""
        return {z for t in self.terms if (z := t.endpoint_zero()) is not None and z in (self.lo, self.hi)}

    def reference(self, lo: sympy.Rational, hi: sympy.Rational) -> tuple[mpmath.mpf, mpmath.mpf]:
        """The average over ``[lo, hi]`` by mpmath's tanh-sinh quadrature at the current
        precision, split at the kinks, and its error estimate (divided by the width)."""
        cuts = sorted({lo, hi, *(k for t in self.terms for k in t.kinks() if lo < k < hi)})
        value, error = mpmath.quad(self.mp_func(), [mp(c) for c in cuts], error=True, maxdegree=8)
        return value / mp(hi - lo), error / mp(hi - lo)


# --------------------------------------------------------------------------------------
# strategies
# --------------------------------------------------------------------------------------
COEFFS = st.builds(R, st.integers(-3, 3).filter(bool), st.integers(1, 3))
SLOPES = st.sampled_from([R(1, 2), R(1), R(2), R(3)])


#: The regular kinds; the elementary ones twice, so that the Li2 kinds (sympy integrates
#: them through Meijer G functions, seconds each) are drawn about one time in eighteen.
KINDS = 2 * ["log", "xlog", "sqrt", "exp", "xexp", "sin", "cos", "xsin", "lorentz"] + ["li2", "li2log"]


@st.composite
def domains(draw: st.DrawFn) -> tuple[sympy.Rational, sympy.Rational, int]:
    """``(lo, hi, n)``: rational ends in [-2, 4], width 1/2 to 2, 1-4 cells."""
    lo = R(draw(st.integers(-8, 8)), 4)
    width = draw(st.sampled_from([R(1, 2), R(1), R(3, 2), R(2)]))
    return lo, lo + width, draw(st.integers(1, 4))


@st.composite
def regular_terms(draw: st.DrawFn, lo: sympy.Rational, hi: sympy.Rational) -> Term:
    """A term analytic on ``(lo, hi)``, integrable at the ends."""
    kind = draw(st.sampled_from(KINDS))
    c = draw(COEFFS)
    if kind in ("log", "xlog", "sqrt"):  # a (x - end) + m >= 0 on [lo, hi], anchored at lo or hi
        a = draw(SLOPES) * draw(st.sampled_from([1, -1]))
        m = draw(st.sampled_from([R(0), R(1, 4), R(1), R(3)]))
        end = lo if a > 0 else hi
        return Term(kind, c, (a, m - a * end))
    if kind in ("exp", "xexp"):
        return Term(kind, c, (draw(st.builds(R, st.integers(-3, 3).filter(bool), st.integers(1, 2))),))
    if kind in ("sin", "cos", "xsin"):
        return Term(kind, c, (R(draw(st.integers(1, 16))),))
    if kind == "lorentz":
        q = lo + (hi - lo) * R(draw(st.integers(0, 8)), 8)
        return Term(kind, c, (q, draw(st.sampled_from([R(1, 100), R(1, 10), R(1)]))))
    far = max(abs(lo), abs(hi)) + draw(st.sampled_from([R(1, 4), R(1), R(2)]))
    return Term(kind, c, (far * draw(st.sampled_from([1, -1])),))


@st.composite
def pole_terms(draw: st.DrawFn, lo: sympy.Rational, hi: sympy.Rational) -> Term:
    """``c/(x - p)``, ``p`` inside (eighths of the domain: cell edges for 1, 2, 4 cells),
    on an end, or outside (near or far)."""
    where = draw(st.sampled_from(["inside", "end", "outside"]))
    if where == "inside":
        p = lo + (hi - lo) * R(draw(st.integers(1, 7)), 8)
    elif where == "end":
        p = draw(st.sampled_from([lo, hi]))
    else:
        gap = draw(st.sampled_from([R(1, 100), R(1, 4), R(1)]))
        p = draw(st.sampled_from([lo - gap, hi + gap]))
    return Term("pole", draw(COEFFS), (p,))


@st.composite
def families(draw: st.DrawFn, max_terms: int = 3) -> tuple[Family, Grid]:
    """A family on a concrete grid: 0 or 1 pole term and regular terms, 1 to ``max_terms`` in all."""
    lo, hi, n = draw(domains())
    terms = []
    if draw(st.integers(0, 2)) == 0:  # a pole term one time in three
        terms.append(draw(pole_terms(lo, hi)))
    terms += draw(st.lists(regular_terms(lo, hi), min_size=1 - len(terms), max_size=max_terms - len(terms)))
    return Family(lo, hi, terms), Grid(lo, hi, n)
