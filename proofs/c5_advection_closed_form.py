"""C5: the closed form of the advected sine's cell averages (paper, section 3, eq. (7)).

The paper solves ``f_t + c f_x = 0`` on ``[0, L]`` with ``f0(x) = sin(2 pi x / L)``
and states, for the cells ``[x_{j-1/2}, x_{j+1/2}]`` around the centers
``x_j = (j + 1/2) dx``,

    f_j^h(t) = L/(pi dx) * sin(2 pi (x_j - c t)/L) * sin(pi dx / L).

This script derives that closed form step by step with symbolic ``L, dx, c, t``
and a symbolic cell index ``j`` (definition of the average, the integral,
sum-to-product, the result), checks it against
``CellAverage(Grid(0, L, L/dx)).closed_form`` by two independent exact routes,
and records the erratum: eq. (7) as printed has no ``1/dx``, so it is the cell
*integral*, which equals ``dx`` times the stated closed form.

Run alone with ``python proofs/c5_advection_closed_form.py``.
"""

from __future__ import annotations

import sympy

from symequi.core.budget import time_budget
from symequi.report.claims import claim
from symequi.functions.continuous import x
from symequi.report.derivation import Derivation, Tex
from symequi.functions.discretize import CellAverage, CellIntegral
from symequi.functions.grid import Grid
from symequi.pde import exact_solution
from symequi.core.texescape import Phrase
from symequi.core.verdict import Proved, Verdict

pi = sympy.pi

# Symbols: L, dx > 0 (a length and a cell width), c, t real, j an integer cell index.
L, dx = sympy.symbols("L Delta_x", positive=True)
c, t = sympy.symbols("c t", real=True)
j = sympy.Symbol("j", integer=True)
# Angles used in the derivation and in the independent check.
alpha, beta = sympy.symbols("alpha beta", real=True)
sa, ca, sb, cb = sympy.symbols("s_alpha c_alpha s_beta c_beta")

TITLE = ("C5: the cell averages of the advected sine are "
         "f_j^h(t) = L/(pi dx) sin(2 pi (x_j - c t)/L) sin(pi dx/L), x_j = (j + 1/2) dx, "
         "for all L, dx > 0, real c, t and every integer j; eq. (7) as printed (no 1/dx) "
         "is dx times this")


def paper_closed_form() -> sympy.Expr:
    """The paper's closed form with x_j = (j + 1/2) dx."""
    xj = (j + sympy.Rational(1, 2)) * dx
    return L / (pi * dx) * sympy.sin(2 * pi * (xj - c * t) / L) * sympy.sin(pi * dx / L)


def trig_polynomial_remainder(d: Derivation, expr: sympy.Expr) -> sympy.Expr:
    """Reduce ``expr`` to a canonical polynomial in sin/cos of two angles; 0 iff identically 0.

    The change of variables ``alpha = 2 pi ((j + 1/2) dx - c t)/L`` (solved for
    ``j``, now real) and ``beta = pi dx / L`` (solved for ``dx``) is a bijection
    for fixed ``L > 0, c, t`` (``j`` real, ``dx > 0``), so ``expr`` vanishes for all
    real ``j`` (hence every integer ``j``) iff the result vanishes for all real
    ``alpha``, ``beta > 0``.  After ``expand_trig`` every sine and cosine is one of
    ``sin/cos(alpha)``, ``sin/cos(beta)``; the numerator is then a polynomial in
    those four values and ``beta``, reduced modulo ``s^2 + c^2 - 1`` for each
    angle (those two polynomials, with disjoint variables, are a Groebner basis,
    so the remainder is canonical: 0 iff the expression is identically 0).
    """
    dx_of_beta = beta * L / pi
    j_of_alpha = (alpha * L / (2 * pi) + c * t) / dx_of_beta - sympy.Rational(1, 2)
    e = expr.subs({j: j_of_alpha, dx: dx_of_beta}, simultaneous=True)
    # expand every trig argument, then expand sin/cos of sums and integer multiples
    e = e.replace(lambda a: isinstance(a, (sympy.sin, sympy.cos)),
                  lambda a: a.func(sympy.expand(a.args[0])))
    e = sympy.expand_trig(e)
    leftovers = {a for a in e.atoms(sympy.sin, sympy.cos) if a.args[0] not in (alpha, beta)}
    d.require(not leftovers, f"unexpected trigonometric terms after the change of variables: {leftovers}")
    e = e.xreplace({sympy.sin(alpha): sa, sympy.cos(alpha): ca, sympy.sin(beta): sb, sympy.cos(beta): cb})
    numerator, _ = sympy.together(e).as_numer_denom()
    numerator = sympy.expand(numerator)
    gens = (sa, ca, sb, cb)
    _, remainder = sympy.reduced(numerator, [sa**2 + ca**2 - 1, sb**2 + cb**2 - 1], *gens, order="lex")
    return sympy.expand(remainder)


def _identity_two_ways(d: Derivation, expr: sympy.Expr, what: str) -> None:
    """Prove ``expr == 0`` exactly by sympy ``simplify`` AND by the trig-polynomial reduction."""
    with time_budget(20, f"simplify({what})"):
        simplified = sympy.simplify(expr)
    d.require(simplified == 0, f"{what}: sympy.simplify gives {simplified}, not 0")
    with time_budget(20, f"the trigonometric-polynomial reduction of {what}"):
        remainder = trig_polynomial_remainder(d, expr)
    d.require(remainder == 0, f"{what}: the trigonometric-polynomial remainder is {remainder}, not 0")
    d.text(f"Route 1: sympy.simplify({what}) returns 0 (a chain of value-preserving rewrites). "
           "Route 2 (independent): substitute j = (alpha L/(2 pi) + c t)/dx - 1/2 and "
           "dx = beta L / pi (a bijection for real j, dx > 0), expand sin/cos of sums, write "
           "s_alpha, c_alpha, s_beta, c_beta for the sines and cosines of the two angles, and "
           "reduce the numerator modulo the Groebner basis",
           [sa**2 + ca**2 - 1, sb**2 + cb**2 - 1], "; the remainder is", remainder,
           ". So the difference vanishes identically (for every real j, hence every integer j).")


@claim("c5-advection-closed-form", "C5: Closed form of the advected sine's cell averages",
       statement=TITLE,
       latex=(r"The cell averages of the advected sine $\sin(2\pi (x - ct)/L)$ are $f^h_j(t) = "
              r"\frac{L}{\pi\,\Delta x} \sin\bigl(\frac{2\pi (x_j - ct)}{L}\bigr) "
              r"\sin\bigl(\frac{\pi\,\Delta x}{L}\bigr)$, $x_j = (j + \tfrac12)\Delta x$, for all $L, \Delta"
              r" x > 0$, real $c, t$ and every integer $j$; eq.~(7) as printed (without $1/\Delta x$) is "
              r"$\Delta x$ times this."),
       expect="proved", budget=60, tags=("paper", "pde", "C5"))
def c5_closed_form(d: Derivation) -> Verdict:
    d.convention("cell averages divide by the cell width: f_j^h = (1/dx) * integral over cell j",
                 latex=r"cell averages divide by the cell width: $f_j^h = \frac{1}{\Delta x}\int_{\text{cell } j} "
                       r"f(x)\,dx$")
    d.convention("x_j = (j + 1/2) dx are the cell centers; cell j is [x_{j-1/2}, x_{j+1/2}] = "
                 "[j dx, (j+1) dx], j = 0..N-1, N = L/dx (the cells of Grid(0, L, L/dx))",
                 latex=r"$x_j = (j + \tfrac12)\,\Delta x$ are the cell centers; cell $j$ is $[x_{j-1/2}, "
                       r"x_{j+1/2}] = [j\,\Delta x, (j+1)\,\Delta x]$, $j = 0, \dots, N-1$, $N = L/\Delta x$ "
                       r"(the cells of $\mathrm{Grid}(0, L, L/\Delta x)$)")
    d.convention("translate(f, delta) = f(x - delta); the exact solution of f_t + c f_x = 0 is "
                 "f(x, t) = f0(x - c t)",
                 latex=r"$\operatorname{translate}(f, \delta) = f(x - \delta)$; the exact solution of "
                       r"$f_t + c f_x = 0$ is $f(x, t) = f_0(x - c t)$")
    d.text("Symbols: L > 0, dx > 0, c and t real, j an integer. The initial data and the exact "
           "solution (symequi.pde.exact_solution) are")
    f0 = sympy.sin(2 * pi * x / L)
    f = exact_solution(f0, c=c, t=t)
    d.equation("f(x, t)", f)

    # --- 1. definition of the cell average -------------------------------------------
    xj = (j + sympy.Rational(1, 2)) * dx
    lo, hi = xj - dx / 2, xj + dx / 2
    d.text("Step 1 (definition). The cell average over [x_{j-1/2}, x_{j+1/2}] with "
           "x_{j+-1/2} = x_j +- dx/2:")
    integral = sympy.Integral(f, (x, lo, hi))
    d.equation(Tex(r"f_j^h(t)", "f_j^h(t)"), integral / dx,
               sympy.Integral(f, (x, sympy.expand(lo), sympy.expand(hi))) / dx)

    # --- 2. the integral -------------------------------------------------------------
    F = -L / (2 * pi) * sympy.cos(2 * pi * (x - c * t) / L)
    d.require(sympy.expand(sympy.diff(F, x) - f) == 0, "the antiderivative is wrong")
    d.text("Step 2 (the integral). An antiderivative is F(x) =", F,
           "; indeed dF/dx - f expands to", sympy.expand(sympy.diff(F, x) - f), ". Hence")
    value = (F.subs(x, hi) - F.subs(x, lo)) / dx
    a_expr = 2 * pi * (xj - c * t) / L
    b_expr = pi * dx / L
    # the endpoint angles are alpha +- beta (a polynomial identity in the symbols)
    for sign, end in ((1, hi), (-1, lo)):
        gap = sympy.expand(2 * pi * (end - c * t) / L - (a_expr + sign * b_expr))
        d.require(gap == 0, f"endpoint angle mismatch: {gap}")
    via_angles = L / (2 * pi * dx) * (sympy.cos(alpha - beta) - sympy.cos(alpha + beta))
    d.equation(Tex(r"f_j^h(t)", "f_j^h(t)"), value, via_angles)
    d.text("with alpha =", a_expr, "and beta =", b_expr,
           ": 2 pi (x_{j+-1/2} - c t)/L = alpha +- beta exactly (the difference expands to 0).")
    direct = sympy.integrate(f, (x, lo, hi)) / dx
    check = sympy.expand(sympy.expand_trig(
        (direct - value).replace(lambda e: isinstance(e, (sympy.sin, sympy.cos)),
                                 lambda e: e.func(sympy.expand(e.args[0])))))
    d.require(check == 0, f"sympy.integrate disagrees with the antiderivative: {check}")
    d.text("Cross-check: sympy.integrate of f over the cell, divided by dx, minus the line above "
           "expands (expand_trig) to", check, ".")

    # --- 3. sum to product -----------------------------------------------------------
    s2p = sympy.cos(alpha - beta) - sympy.cos(alpha + beta)
    s2p_gap = sympy.expand(sympy.expand_trig(s2p - 2 * sympy.sin(alpha) * sympy.sin(beta)))
    d.require(s2p_gap == 0, "sum-to-product failed")
    d.text("Step 3 (sum to product). cos(alpha - beta) - cos(alpha + beta) = 2 sin(alpha) sin(beta): "
           "expanding both cosines gives a difference that expands to", s2p_gap, ".")
    d.equation(s2p, 2 * sympy.sin(alpha) * sympy.sin(beta))

    # --- 4. the result ---------------------------------------------------------------
    paper = paper_closed_form()
    result = (L / (pi * dx) * sympy.sin(alpha) * sympy.sin(beta)).subs({alpha: a_expr, beta: b_expr})
    d.require(sympy.expand(result - paper) == 0, "the derived result is not the paper's expression")
    d.text("Step 4 (the result). Substituting back:")
    d.equation(Tex(r"f_j^h(t)", "f_j^h(t)"), L / (pi * dx) * sympy.sin(alpha) * sympy.sin(beta), paper,
               label="7'")
    d.text("This is the paper's closed form (the two expressions expand to the same).")

    # --- 5. the library's closed form equals the paper's --------------------------------
    grid = Grid(0, L, L / dx)
    library = CellAverage(grid).closed_form(f, j=j)
    d.text("Step 5 (the library). CellAverage(Grid(0, L, L/dx)).closed_form(f) computes")
    d.equation(Tex(r"f_j^h(t)", "f_j^h(t)"), library)
    d.text("and its difference with (7') is zero exactly:")
    _identity_two_ways(d, library - paper, "CellAverage closed form - paper")

    # --- 6. erratum: eq. (7) as printed is the cell integral --------------------------
    integral_form = CellIntegral(grid).closed_form(f, j=j)
    d.text("Step 6 (eq. (7) as printed). Without the factor 1/dx, eq. (7) is the cell integral; "
           "CellIntegral(Grid(0, L, L/dx)).closed_form(f) gives")
    d.equation(sympy.Integral(f, (x, lo, hi)), integral_form, dx * paper)
    _identity_two_ways(d, integral_form - dx * paper, "CellIntegral closed form - dx * paper")
    d.erratum("eq. (7) as printed, f_j^h(t) = integral of f over [x_{j-1/2}, x_{j+1/2}] (no 1/dx), "
              "is the cell integral, which equals dx times the stated closed form "
              "L/(pi dx) sin(2 pi (x_j - c t)/L) sin(pi dx/L). The stated closed form is the cell "
              "AVERAGE: eq. (7) should read f_j^h(t) = (1/dx) * integral over the cell.",
              latex=r"Eq.~(7) as printed, $f_j^h(t) = \int_{x_{j-1/2}}^{x_{j+1/2}} f(x, t)\,dx$ (no "
                    r"$1/\Delta x$), is the cell integral, which equals $\Delta x$ times the stated closed form "
                    r"$\frac{L}{\pi\,\Delta x} \sin\bigl(\frac{2\pi (x_j - ct)}{L}\bigr) "
                    r"\sin\bigl(\frac{\pi\,\Delta x}{L}\bigr)$. The stated closed form is the cell "
                    r"\emph{average}: eq.~(7) should read $f_j^h(t) = \frac{1}{\Delta x} "
                    r"\int_{x_{j-1/2}}^{x_{j+1/2}} f(x, t)\,dx$.")
    d.text("Note: x_j = (j + 1/2) dx are the cell centers and x_{j+-1/2} the cell edges; the cells "
           "are [j dx, (j+1) dx], j = 0..N-1.")

    conventions = CellAverage(grid).conventions() + (
        Phrase("x_j = (j + 1/2) dx (cell centers), exact solution f(x, t) = f0(x - c t)",
               r"$x_j = (j + \tfrac12)\,\Delta x$ (cell centers), exact solution $f(x, t) = f_0(x - c t)$"),)
    return Proved(
        Phrase("CellAverage(Grid(0, L, L/dx)) of sin(2 pi (x - c t)/L) equals "
               "L/(pi dx) sin(2 pi (x_j - c t)/L) sin(pi dx/L) with x_j = (j + 1/2) dx; "
               "the cell integral (eq. (7) as printed) is dx times it",
               r"the cell averages on $\mathrm{Grid}(0, L, L/\Delta x)$ of $\sin(2\pi (x - c t)/L)$ are "
               r"$\frac{L}{\pi\,\Delta x} \sin(2\pi (x_j - c t)/L) \sin(\pi\,\Delta x/L)$ with "
               r"$x_j = (j + \tfrac12)\,\Delta x$; the cell integral (eq.~(7) as printed) is $\Delta x$ times it"),
        holds_for="all L > 0, dx > 0, real c and t, and every integer cell index j",
        decider="symbolic",
        conventions=conventions,
        details={"method": "simplify + trig-polynomial reduction",
                 "closed form (average)": library, "closed form (integral)": integral_form,
                 "zero tests": Phrase("sympy.simplify, and independently a canonical remainder modulo "
                                      "sin^2 + cos^2 - 1 after a change of variables (both 0)",
                                      r"\texttt{sympy.simplify}, and independently a canonical remainder modulo "
                                      r"$\sin^2 + \cos^2 - 1$ after a change of variables (both $0$)")},
    )


if __name__ == "__main__":
    import sys

    from symequi.cli import main

    sys.exit(main(["prove", __file__]))
