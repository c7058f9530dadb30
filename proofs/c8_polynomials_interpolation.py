"""C8, polynomials: interpolation and finite-volume shifts commute with D^h on low degrees.

The paper's eq. (5) fails on polynomial classes too, away from the boundary:

* point samples of polynomials of degree <= p are translated exactly by the
  Lagrange interpolation shift of order p (p + 1 nearest samples), at every
  interior index; x^(p+1) is a witness that degree p + 1 fails;
* cell averages of polynomials of degree <= p + 1 (one MORE than the
  reconstruction degree) are translated exactly by the finite-volume shift of
  degree p, at every interior cell; x^(p+2) is a witness that degree p + 2
  fails.

Everything is computed on the symbolic grid Grid(a, a + L, N) with a symbolic
cell index j, a symbolic shift s (delta = s dx) in a stated interval and
symbolic polynomial coefficients: one identity covers every N, a, L.

Run alone:  python proofs/c8_polynomials_interpolation.py
"""

from __future__ import annotations

import functools
from typing import Any

import sympy

from symequi.report.claims import claim
from symequi.functions.continuous import translate, x
from symequi.report.derivation import Derivation, Tex
from symequi.functions.discretize import CellAverage, PointSample
from symequi.functions.grid import Grid
from symequi.core.signal import Signal
from symequi.core.texescape import Phrase, escape_latex
from symequi.translations import shift
from symequi.core.verdict import Counterexample, Proved, Verdict

LAGRANGE_ORDERS = (1, 2, 3, 4)
FV_DEGREES = (0, 1, 2, 3)
#: The open intervals for s (plus the point s = 1/2, where even-order stencils switch).
INTERVALS = ((sympy.Integer(0), sympy.Rational(1, 2)), (sympy.Rational(1, 2), sympy.Integer(1)))

_a = sympy.Symbol("a", real=True)
_L = sympy.Symbol("L", positive=True)
_N = sympy.Symbol("N", integer=True, positive=True)
_j = sympy.Symbol("j", integer=True)
_s = sympy.Symbol("s", real=True)

INTERIOR = Phrase("interior indices: j with j - m in 0..N-1 for every tap m of the shift "
                  "(the shift reads no value outside the grid there); shifts are out_j = sum_m h_m u_{j-m}",
                  r"interior indices: $j$ with $j - m \in \{0, \dots, N-1\}$ for every tap $m$ of the shift "
                  r"(the shift reads no value outside the grid there); shifts are "
                  r"$\mathrm{out}_j = \sum_m h_m u_{j-m}$")


def _grid() -> Grid:
    return Grid(_a, _a + _L, _N)


def _polynomial(degree: int) -> tuple[sympy.Expr, tuple[sympy.Symbol, ...]]:
    coeffs = sympy.symbols(f"c0:{degree + 1}")
    return sum(c * x**i for i, c in enumerate(coeffs)), coeffs


def _make_shift(method: str, p: int, s: Any, interval: Any = None):
    if method == "lagrange":
        return shift(s, method="lagrange", order=p, boundary="zeros", interval=interval)
    return shift(s, method="finite_volume", degree=p, boundary="zeros", interval=interval)


def _discretization(method: str, grid: Grid):
    return PointSample(grid) if method == "lagrange" else CellAverage(grid)


@functools.lru_cache(maxsize=None)
def _closed_forms(method: str, f: sympy.Expr) -> tuple[sympy.Expr, sympy.Expr]:
    """(D f)_j and D[f(x - s dx)]_j on the symbolic grid, for the symbolic s (cached: shared by the cases)."""
    grid = _grid()
    if method == "lagrange":
        D = _discretization(method, grid)
        return D.closed_form(f, _j), D.closed_form(translate(f, _s * grid.dx), _j)
    # cell averages of polynomials: the defining integral directly (sympy's closed_form also tries
    # simplifications, slow for large symbolic polynomials; it is compared with this in the derivation)
    lo, hi = grid.cell(_j)
    return tuple(sympy.expand(sympy.integrate(g, (x, lo, hi)) / grid.dx)
                 for g in (f, translate(f, _s * grid.dx)))


def _interior_error(method: str, p: int, f: sympy.Expr, s: Any, interval: Any) -> tuple[sympy.Expr, dict]:
    """(g D f)_j - D(f(x - s dx))_j at an interior index j, as an expression in j, s, a, L, N."""
    g = _make_shift(method, p, s, interval)
    taps = g.taps(64)                     # offsets m do not depend on the length once it exceeds the stencil
    cell, truth = _closed_forms(method, f)
    shifted = sum((h * cell.subs(_j, _j - m) for m, h in taps.items()), sympy.Integer(0))
    return sympy.factor(sympy.expand(shifted - truth.subs(_s, s))), taps


def _cases() -> list[tuple[str, Any, Any]]:
    cases: list[tuple[str, Any, Any]] = [(f"{lo} < s < {hi}", _s, (lo, hi)) for lo, hi in INTERVALS]
    cases.append(("s = 1/2", sympy.Rational(1, 2), None))
    return cases


def _prove_exact(d: Derivation, method: str, orders: tuple[int, ...], extra: int) -> tuple[bool, list]:
    rows = []
    ok = True
    for p in orders:
        degree = p + extra
        f, _ = _polynomial(degree)
        for label, s, interval in _cases():
            err, taps = _interior_error(method, p, f, s, interval)
            ok = ok and err == 0
            rows.append((p, degree, label, sorted(taps), err))
    return ok, rows


def _dx_power_factor(err: sympy.Expr, power: int) -> sympy.Poly | None:
    """``err / dx^power`` as a polynomial in s with rational coefficients, or None if it is not one.

    ``dx = L/N`` on the symbolic grid; the quotient must be free of L, N, a and j.
    """
    grid = _grid()
    ratio = sympy.expand(err / grid.dx**power)
    if ratio.free_symbols - {_s}:
        return None
    poly = sympy.Poly(ratio, _s, domain="QQ")
    return poly


def _zeros_in_open_interval(d: Derivation, poly: sympy.Poly, lo: sympy.Rational, hi: sympy.Rational) -> int:
    """The number of real zeros of ``poly`` (rational coefficients) in the open interval (lo, hi), exactly.

    ``count_roots`` counts the zeros in the closed interval by Sturm sequences (exact rational
    arithmetic); a zero at an end point is subtracted.
    """
    d.require(not poly.is_zero, "the zero polynomial vanishes everywhere (no zero count exists)")
    closed = poly.count_roots(lo, hi)
    return closed - (poly.eval(lo) == 0) - (poly.eval(hi) == 0)


def _monomial_errors(d: Derivation, method: str, orders: tuple[int, ...], extra: int) -> tuple[bool, list]:
    """Interior errors for f = x^(p + extra), certified nonzero exactly on each case of s.

    Each error must be dx^(p + extra) times a polynomial q(s) with rational coefficients (so it is free of
    j and a); for the Lagrange shift q(s) must be -prod_m (m - s) over the tap offsets m.  q is certified
    zero-free on each open interval of s by a Sturm count, and nonzero at s = 1/2 by its exact value.
    """
    rows = []
    ok = True
    for p in orders:
        power = p + extra
        f = x ** power
        for label, s, interval in _cases():
            err, taps = _interior_error(method, p, f, s, interval)
            q = _dx_power_factor(err, power)
            if q is None:
                ok = False
                rows.append((p, f, label, err, "not dx^k times a polynomial in s"))
                continue
            formula_ok = True
            if method == "lagrange":
                stencil = sympy.Mul(*[(m - _s) for m in taps])
                formula_ok = sympy.expand(q.as_expr() + stencil.subs(_s, s)) == 0
            if s is _s:
                lo, hi = interval
                zeros = _zeros_in_open_interval(d, q, lo, hi)
                certificate = f"{zeros} (Sturm count on ({lo}, {hi}))"
                nonzero = zeros == 0
            else:
                value = q.as_expr().subs(_s, s) if q.free_symbols else q.as_expr()
                certificate = f"q = {value}"
                nonzero = value.is_Rational and value != 0
            ok = ok and nonzero and formula_ok
            rows.append((p, f, label, err, certificate))
    return ok, rows


def _witness(method: str, p: int, extra: int, statement: str, refuted: str,
             conventions: tuple[str, ...]) -> Counterexample:
    """Concrete witness on Grid(0, 1, 8) with s = 1/2: f = x^(p + extra), interior indices only."""
    grid = Grid(0, 1, 8)
    D = _discretization(method, grid)
    s = sympy.Rational(1, 2)
    g = _make_shift(method, p, s)
    f = x ** (p + extra)
    u = D(f)
    taps = g.taps(8)
    interior = [j for j in range(8) if all(0 <= j - m < 8 for m in taps)]
    moved = D(translate(f, s * grid.dx))
    shifted = g(u)
    lhs = Signal([moved[j] for j in interior])
    rhs = Signal([shifted[j] for j in interior])
    return Counterexample(statement, refuted_statement=refuted, input=u, lhs=lhs, rhs=rhs, decider="exact",
                          functions={"f": f}, conventions=conventions,
                          details={"method": "exact polynomial identity", "grid": "Grid(0, 1, 8)",
                                   "s": Phrase("1/2 (delta = dx/2)", r"$\tfrac12$ ($\delta = \Delta x/2$)"),
                                   "lhs": Phrase("D[f(x - delta)] at the interior indices",
                                                 r"$\mathcal{D}[f(x - \delta)]$ at the interior indices"),
                                   "rhs": Phrase(f"{g.describe()} applied to D f, at the interior indices",
                                                 r"\texttt{" + escape_latex(g.describe()) + r"} applied to "
                                                 r"$\mathcal{D} f$, at the interior indices"),
                                   "interior indices": interior})


# --------------------------------------------------------------------------------------
# Lagrange interpolation and point samples
# --------------------------------------------------------------------------------------
_LAGRANGE_CONV = (Phrase("D = PointSample at cell centres a + (j + 1/2) dx on Grid(a, a + L, N); delta = s dx",
                         r"$\mathcal{D}$ = point samples at the cell centres $a + (j + \tfrac12)\,\Delta x$ on "
                         r"$\mathrm{Grid}(a, a + L, N)$; $\delta = s\,\Delta x$"),
                  Phrase("Lagrange shift of order p: out_j = P(j - s), P the degree-p polynomial through the p + 1 "
                         "samples nearest to j - s (symequi LagrangeKernel; for even p the stencil switches at s = 1/2)",
                         r"Lagrange shift of order $p$: $\mathrm{out}_j = P(j - s)$, $P$ the degree-$p$ polynomial "
                         r"through the $p + 1$ samples nearest to $j - s$ (symequi \texttt{LagrangeKernel}; for even "
                         r"$p$ the stencil switches at $s = \tfrac12$)"),
                  INTERIOR)


@claim("c8-lagrange-polynomials", "Lagrange shifts of order p are exact on polynomials of degree p",
       statement="For p = 1..4, every N, a, L and every 0 < s < 1: point samples (cell centres) of every polynomial of degree "
       "<= p satisfy D[f(x - s dx)]_j = (G_s D f)_j at every interior index j, G_s the Lagrange interpolation "
       "shift of order p",
       latex=(r"For $p = 1, \dots, 4$, every $N$, $a$, $L$ and every $0 < s < 1$: point samples (cell "
              r"centres) of every polynomial $f$ of degree $\le p$ satisfy $\mathcal{D}[f(x - s\,\Delta "
              r"x)]_j = (G_s \mathcal{D} f)_j$ at every interior index $j$, $G_s$ the Lagrange interpolation"
              r" shift of order $p$."),
       expect="proved", budget=60, tags=("c8", "further", "polynomials", "interpolation"))
def lagrange_polynomials(d: Derivation) -> Verdict:
    statement = ("Lagrange interpolation of order p commutes with point sampling on polynomials of degree <= p, "
                 "at interior indices, for every 0 < s < 1")
    for c in _LAGRANGE_CONV:
        d.convention(c)
    f, coeffs = _polynomial(2)
    d.text("Point samples on the symbolic grid Grid(a, a + L, N) have a closed form in the cell index j; e.g. for",
           Tex(r"f = c_0 + c_1 x + c_2 x^2", "f = c0 + c1 x + c2 x^2"), ":")
    d.equation(Tex(r"(\mathcal{D} f)_j", "(D f)_j"), PointSample(_grid()).closed_form(f, _j))
    d.text("At an interior index the shift is", Tex(r"\sum_m h_m(s)\,(\mathcal{D} f)_{j-m}", "sum_m h_m(s) (D f)_{j-m}"),
           ", a polynomial identity in j, s, a, L, N and the coefficients c_i. The table lists the error "
           "(G_s D f)_j - D[f(x - s dx)]_j for the general polynomial of degree p (symbolic coefficients), "
           "on each interval of s where the taps are polynomials, and at the switch point s = 1/2.")
    ok, rows = _prove_exact(d, "lagrange", LAGRANGE_ORDERS, 0)
    d.table(("p", "degree", "s", "tap offsets m", "error at interior j"), rows)
    d.require(ok, "a nonzero interior error in the table")
    d.text("All errors vanish identically: Lagrange interpolation of order p reproduces polynomials of degree <= p, "
           "and the grid is uniform, so the nodes j - m and the target j - s sit at the same relative positions "
           "in every cell. Shifts by s + n (n an integer) are this shift followed by a roll by n (h_m(s + n) = h_{m-n}(s)).")
    return Proved(statement, holds_for=f"p in {list(LAGRANGE_ORDERS)}, every N, a, L, every 0 < s < 1, interior indices",
                  decider="symbolic", conventions=_LAGRANGE_CONV,
                  details={"method": "exact polynomial identity (symbolic grid, index, shift, coefficients)"})


def _refute_with_witness(d: Derivation, statement: str, refuted: str, method: str, orders: Any, extra: int,
                         conventions: tuple[str, ...], *, table_text: str, failure: str, witness_args: tuple[int, int],
                         expected_text: str, witness_text: str) -> Verdict:
    """The shared refutation: the monomial error table, then the concrete witness on Grid(0, 1, 8),
    s = 1/2, f = x^2, whose interior difference must be exactly -1/256."""
    for c in conventions:
        d.convention(c)
    ok, rows = _monomial_errors(d, method, orders, extra)
    d.text(table_text)
    d.table(("p", "f", "s", "interior error", "zeros in the interval / value"), rows)
    d.require(ok, failure)
    witness = _witness(method, *witness_args, statement, refuted, conventions)
    d.require(witness.difference == Signal([sympy.Rational(-1, 256)] * len(witness.lhs.to_list())),
              f"the witness difference {witness.difference} is not {expected_text}")
    d.text(witness_text)
    d.equation(Tex(r"\mathcal{D}[f(x - \Delta x/2)]_{\rm interior}", "D[f(x - dx/2)] (interior)"), witness.lhs)
    d.equation(Tex(r"(G_{1/2}\mathcal{D}f)_{\rm interior}", "(G_{1/2} D f) (interior)"), witness.rhs)
    d.equation("difference", witness.difference)
    return witness


@claim("c8-lagrange-degree-p-plus-1", "Lagrange shifts of order p fail on degree p + 1",
       statement="For p = 1..4 the Lagrange shift of order p does NOT commute with point sampling on polynomials of degree "
       "p + 1: for f = x^(p+1), every N, a, L and every interior index, the error (G_s D f)_j - D[f(x - s dx)]_j is "
       "-dx^(p+1) prod_m (m - s) (m over the stencil's tap offsets), nonzero for every 0 < s < 1; exact witness on "
       "Grid(0, 1, 8), s = 1/2, p = 1, f = x^2: D[f(x - dx/2)] - G_{1/2} D f = -dx^2/4 = -1/256 at every interior index",
       latex=(r"For $p = 1, \dots, 4$ the Lagrange shift $G_s$ of order $p$ does not commute with point "
              r"sampling on polynomials of degree $p + 1$: for $f = x^{p+1}$, every $N$, $a$, $L$ and every "
              r"interior index $j$, the error $(G_s \mathcal{D} f)_j - \mathcal{D}[f(x - s\,\Delta x)]_j$ is"
              r" $-\Delta x^{p+1} \prod_m (m - s)$ ($m$ over the stencil's tap offsets), nonzero for every "
              r"$0 < s < 1$. Exact witness on $\mathrm{Grid}(0, 1, 8)$ with $s = \tfrac12$, $p = 1$, $f = "
              r"x^2$: $\mathcal{D}[f(x - \Delta x/2)] - G_{1/2} \mathcal{D} f = -\Delta x^2/4 = "
              r"-\tfrac{1}{256}$ at every interior index."),
       expect="refuted", budget=60, tags=("c8", "further", "polynomials", "interpolation"))
def lagrange_degree_p_plus_1(d: Derivation) -> Verdict:
    statement = ("the order-p Lagrange shift commutes with point sampling on polynomials of degree p + 1 "
                 "at interior indices")
    refuted = ("the order-p Lagrange shift does not commute with point sampling on polynomials of degree p + 1 "
               "at interior indices")
    return _refute_with_witness(
        d, statement, refuted, "lagrange", LAGRANGE_ORDERS, 1, _LAGRANGE_CONV,
        table_text=("Interior error (G_s D f)_j - D[f(x - s dx)]_j for f = x^(p+1): checked to be dx^(p+1) times a "
                    "polynomial q(s) with rational coefficients (so the same at every interior j and for every origin a: "
                    "the (p+1)-th derivative is constant), and q(s) = -prod_m (m - s) over the tap offsets m. Its zeros "
                    "are the integer offsets; the last column certifies that none lies in the interval (an exact Sturm "
                    "count), or gives the exact value of q at s = 1/2."),
        failure="some interior error vanished, depends on j or a, or is not the formula",
        witness_args=(1, 1), expected_text="-dx^2/4 = -1/256",
        witness_text=("Concrete witness, p = 1 (linear interpolation), f = x^2, Grid(0, 1, 8), s = 1/2: interior values "
                      "of D[f(x - dx/2)] and of the shifted samples; their difference is the constant -dx^2/4 = -1/256 "
                      "(the chord of the parabola between neighbouring samples lies above it by s (1 - s) dx^2):"))


# --------------------------------------------------------------------------------------
# finite volume and cell averages
# --------------------------------------------------------------------------------------
_FV_CONV = (Phrase("D = CellAverage over [a + j dx, a + (j+1) dx] on Grid(a, a + L, N) (divided by dx); delta = s dx",
                   r"$\mathcal{D}$ = cell averages over $[a + j\,\Delta x, a + (j+1)\,\Delta x]$ on "
                   r"$\mathrm{Grid}(a, a + L, N)$ (divided by $\Delta x$); $\delta = s\,\Delta x$"),
            Phrase("finite-volume shift of degree p: per-cell degree-p reconstruction from the averages of p + 1 "
                   "stencil cells (centred for even p; one extra cell on the left for odd p), translated exactly by "
                   "s cells, re-averaged (symequi FiniteVolumeShift)",
                   r"finite-volume shift of degree $p$: per-cell degree-$p$ reconstruction from the averages of "
                   r"$p + 1$ stencil cells (centred for even $p$; one extra cell on the left for odd $p$), translated "
                   r"exactly by $s$ cells, re-averaged (symequi \texttt{FiniteVolumeShift})"),
            INTERIOR)


@claim("c8-finite-volume-polynomials", "Finite-volume shifts of degree p are exact on degree p + 1",
       statement="For p = 0..3, every N, a, L and every 0 < s < 1: cell averages of every polynomial of degree <= p + 1 satisfy "
       "D[f(x - s dx)]_j = (G_s D f)_j at every interior cell j, G_s the finite-volume shift of degree p "
       "(one degree MORE than the reconstruction)",
       latex=(r"For $p = 0, \dots, 3$, every $N$, $a$, $L$ and every $0 < s < 1$: cell averages of every "
              r"polynomial $f$ of degree $\le p + 1$ satisfy $\mathcal{D}[f(x - s\,\Delta x)]_j = (G_s "
              r"\mathcal{D} f)_j$ at every interior cell $j$, $G_s$ the finite-volume shift of degree $p$ "
              r"(one degree more than the reconstruction)."),
       expect="proved", budget=60, tags=("c8", "further", "polynomials", "finite-volume"))
def finite_volume_polynomials(d: Derivation) -> Verdict:
    statement = ("the degree-p finite-volume shift commutes with cell averaging on polynomials of degree <= p + 1, "
                 "at interior cells, for every 0 < s < 1")
    for c in _FV_CONV:
        d.convention(c)
    f, _ = _polynomial(2)
    library = CellAverage(_grid()).closed_form(f, _j)
    same = sympy.expand(library - _closed_forms("finite_volume", f)[0]) == 0
    d.text("Cell averages on the symbolic grid have a closed form in j (symequi's CellAverage.closed_form; it agrees "
           "with the defining integral (1/dx) * integral over [a + j dx, a + (j+1) dx], which the table uses:",
           "yes" if same else "NO", "); e.g.")
    d.equation(Tex(r"(\mathcal{D} f)_j", "(D f)_j"), library)
    d.text("The table lists the interior error (G_s D f)_j - D[f(x - s dx)]_j for the general polynomial of degree "
           "p + 1 with symbolic coefficients.")
    ok, rows = _prove_exact(d, "finite_volume", FV_DEGREES, 1)
    ok = ok and same
    d.table(("p", "degree", "s", "tap offsets m", "error at interior j"), rows)
    d.require(ok, "a nonzero interior error in the table")
    d.text("Why p + 1 and not only p: the scheme is interpolation of the primitive F(x) = integral of f with degree "
           "p + 1 on p + 2 cell edges, differenced. A primitive of degree <= p + 2 (f of degree <= p + 1) leaves an "
           "interpolation error that is the same polynomial in s in every cell, and it cancels in the difference.")
    return Proved(statement, holds_for=f"p in {list(FV_DEGREES)}, every N, a, L, every 0 < s < 1, interior cells",
                  decider="symbolic", conventions=_FV_CONV,
                  details={"method": "exact polynomial identity (symbolic grid, index, shift, coefficients)"})


@claim("c8-finite-volume-degree-p-plus-2", "Finite-volume shifts of degree p fail on degree p + 2",
       statement="For p = 0..3 the degree-p finite-volume shift does NOT commute with cell averaging on polynomials of degree "
       "p + 2: for f = x^(p+2), every N, a, L and every interior cell, the error (G_s D f)_j - D[f(x - s dx)]_j is "
       "dx^(p+2) q(s) with q a polynomial with rational coefficients and no zero in 0 < s < 1; exact witness on "
       "Grid(0, 1, 8), s = 1/2, p = 0 (upwind), f = x^2: D[f(x - dx/2)] - G_{1/2} D f = -s (1 - s) dx^2 = -1/256",
       latex=(r"For $p = 0, \dots, 3$ the degree-$p$ finite-volume shift $G_s$ does not commute with cell "
              r"averaging on polynomials of degree $p + 2$: for $f = x^{p+2}$, every $N$, $a$, $L$ and every"
              r" interior cell $j$, the error $(G_s \mathcal{D} f)_j - \mathcal{D}[f(x - s\,\Delta x)]_j$ is"
              r" $\Delta x^{p+2} q(s)$ with $q$ a polynomial with rational coefficients and no zero in $0 < "
              r"s < 1$. Exact witness on $\mathrm{Grid}(0, 1, 8)$ with $s = \tfrac12$, $p = 0$ (upwind), $f "
              r"= x^2$: $\mathcal{D}[f(x - \Delta x/2)] - G_{1/2} \mathcal{D} f = -s(1 - s)\,\Delta x^2 = "
              r"-\tfrac{1}{256}$."),
       expect="refuted", budget=60, tags=("c8", "further", "polynomials", "finite-volume"))
def finite_volume_degree_p_plus_2(d: Derivation) -> Verdict:
    statement = ("the degree-p finite-volume shift commutes with cell averaging on polynomials of degree p + 2 "
                 "at interior cells")
    refuted = ("the degree-p finite-volume shift does not commute with cell averaging on polynomials of degree "
               "p + 2 at interior cells")
    return _refute_with_witness(
        d, statement, refuted, "finite_volume", FV_DEGREES, 2, _FV_CONV,
        table_text=("Interior error (G_s D f)_j - D[f(x - s dx)]_j for f = x^(p+2): checked to be dx^(p+2) times a "
                    "polynomial q(s) with rational coefficients (free of j and a); the last column certifies that q "
                    "has no zero in the interval (an exact Sturm count), or gives its exact value at s = 1/2."),
        failure="some interior error vanished or depends on j or a",
        witness_args=(0, 2), expected_text="-s(1-s) dx^2 = -1/256",
        witness_text=("Concrete witness, p = 0 (upwind: out_j = (1 - s) u_j + s u_{j-1}), f = x^2, Grid(0, 1, 8), "
                      "s = 1/2; (G_s D f)_j - D[f(x - s dx)]_j = s (1 - s) dx^2 = 1/256, so the difference below "
                      "is -1/256:"))


if __name__ == "__main__":
    import sys

    from symequi.cli import main

    sys.exit(main(["prove", __file__]))
