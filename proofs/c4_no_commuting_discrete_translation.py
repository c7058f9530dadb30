"""Paper claim C4 (eqs. 4/5): no discrete translation g^h commutes with cell averaging D^h.

Two claims, both refuted constructively (a witness pair f1, f2 with
``D f1 = D f2`` but ``D f1(x - delta) != D f2(x - delta)``, so no map g, linear
or not, can send the common pixels to both translated pixel vectors):

* ``c4-half-cell``: delta = dx/2 on the paper's grid, for piecewise-constant
  functions with a break inside a cell (the decider
  :func:`symequi.deciders.discretization.decide_discretization`);
* ``c4-every-non-integer-shift``: delta = s dx for every real s that is not an
  integer, with an explicit witness family whose translated averages differ by
  min(t, 1 - t) (t = s - floor(s)) in two adjacent cells.
"""

from __future__ import annotations

import sympy

from _common import positive_set
from symequi.report.claims import claim
from symequi.functions.continuous import TRANSLATE_CONVENTION, translate
from symequi.report.derivation import Derivation, Tex
from symequi.deciders.discretization import decide_discretization
from symequi.functions.discretize import CellAverage
from symequi.functions.function_classes import PiecewiseConstant
from symequi.functions.grid import Grid
from symequi.core.signal import Signal
from symequi.core.verdict import Counterexample, Verdict
from symequi.core.texescape import Phrase
from symequi.core.zero import is_zero_function

GRID = Grid(-1, 1, 4)          # the paper's grid, dx = 1/2
DX = GRID.dx
HALF = sympy.Rational(1, 2)

CONVENTIONS = (
    Phrase("cell average D_j[f] = (1/dx) * integral of f over (x_j, x_{j+1}], x_j = -1 + j dx, dx = 1/2",
           r"cell average $D_j[f] = \frac{1}{\Delta x}\int_{x_j}^{x_{j+1}} f(x)\,dx$ over $(x_j, x_{j+1}]$, "
           r"$x_j = -1 + j\,\Delta x$, $\Delta x = \tfrac12$"),
    TRANSLATE_CONVENTION,
    Phrase("Heaviside H(0) = 0; indicator 1_(p, q] = H(x - p) - H(x - q)",
           r"Heaviside $H(0) = 0$; indicator $1_{(p, q]} = H(x - p) - H(x - q)$"),
    Phrase("g may be any map on pixel vectors (linear or not)", "$g$ may be any map on pixel vectors (linear or not)"),
)


def _argument(d: Derivation) -> None:
    d.text("Argument. Suppose some map g (linear or not) had g(D f) = D(f(x - delta)) for every f in the class. "
           "Apply it to f1 and f2:")
    d.equation(Tex(r"\mathcal{D}[f_1(x - \delta)]", text="D[f1(x - delta)]"),
               Tex(r"g(\mathcal{D}[f_1])", text="g(D f1)"),
               Tex(r"g(\mathcal{D}[f_2])", text="g(D f2)"),
               Tex(r"\mathcal{D}[f_2(x - \delta)]", text="D[f2(x - delta)]"))
    d.text("The middle step uses only D f1 = D f2 (D is not injective on the class: information inside a cell "
           "is lost). So the translated pixel vectors would have to be equal; they are not, hence no such g "
           "exists (eq. 5).")


@claim("c4-half-cell", "C4: No discrete translation by half a cell exists",
       statement="C4 (eq. 5), delta = dx/2: for cell averages D on Grid(-1, 1, 4) (dx = 1/2) and the piecewise-constant "
       "functions on (-1, 1] with breaks at -1/2, -1/4, 0, 1/2 (a break inside cell 1), no map g: R^4 -> R^4 has "
       "g(D f) = D(f(x - dx/2)) for every such f: f1 = 1_(-1/4, 0] and f2 = 1_(-1/2, -1/4] have "
       "D f1 = D f2 = [0, 1/2, 0, 0] but D f1(x - dx/2) = [0, 0, 1/2, 0] != [0, 1/2, 0, 0] = D f2(x - dx/2)",
       latex=(r"Let $\mathcal{D}$ be the cell averages on $\mathrm{Grid}(-1, 1, 4)$ ($\Delta x = \tfrac12$) "
              r"and $\mathcal{F}$ the piecewise-constant functions on $(-1, 1]$ with breaks at $-\tfrac12, "
              r"-\tfrac14, 0, \tfrac12$. No map $g\colon \mathbb{R}^4 \to \mathbb{R}^4$ has $g(\mathcal{D} "
              r"f) = \mathcal{D}[f(x - \Delta x/2)]$ for every $f \in \mathcal{F}$: $f_1 = 1_{(-1/4, 0]}$ "
              r"and $f_2 = 1_{(-1/2, -1/4]}$ have $\mathcal{D} f_1 = \mathcal{D} f_2 = [0, \tfrac12, 0, 0]$ "
              r"but $\mathcal{D}[f_1(x - \Delta x/2)] = [0, 0, \tfrac12, 0] \ne [0, \tfrac12, 0, 0] = "
              r"\mathcal{D}[f_2(x - \Delta x/2)]$."),
       expect="refuted", budget=60, tags=("paper", "C4"))
def c4_half_cell(d: Derivation) -> Verdict:
    for c in CONVENTIONS:
        d.convention(c)
    D = CellAverage(GRID)
    breaks = [-HALF, -HALF / 2, 0, HALF]
    V = PiecewiseConstant(breaks, (-1, 1))
    delta = DX / 2
    d.text("The class V: piecewise-constant functions on (-1, 1] with breaks at", breaks,
           "(zero outside), basis the indicators of the pieces. Cell 1 = (-1/2, 0] holds the break -1/4, so "
           "V resolves detail below the pixel size. D of each basis function (the columns of the matrix M of D on "
           "V) and of its translate by dx/2 (the columns of M_delta):")
    pieces = list(zip([-1, *breaks], [*breaks, 1]))   # V.basis[i] is the indicator of pieces[i]
    M = sympy.Matrix.hstack(*(sympy.Matrix(D(f).to_list()) for f in V.basis))
    M_delta = sympy.Matrix.hstack(*(sympy.Matrix(D(translate(f, delta)).to_list()) for f in V.basis))
    d.table(["basis function", "D f", "D f(x - dx/2)"],
            [[Tex(rf"1_{{({sympy.latex(p)}, {sympy.latex(q)}]}}", text=f"1_({p}, {q}]"),
              Signal(list(M[:, i])), Signal(list(M_delta[:, i]))] for i, (p, q) in enumerate(pieces)])
    kernel = M.nullspace()
    d.text("M has rank", M.rank(), "; its kernel is spanned by", [list(v) for v in kernel],
           ": the function 1_(-1/4, 0] - 1_(-1/2, -1/4], whose pixels are all 0. Its translate has pixels",
           Signal(list(M_delta * kernel[0])), "!= 0.")

    v = decide_discretization(D, delta, V)
    if not v.refuted:
        d.verdict(v)
        return v
    f1, f2 = v.functions["f1"], v.functions["f2"]
    stated = (V.basis[2], V.basis[1])   # 1_(-1/4, 0] and 1_(-1/2, -1/4]
    d.require(all(is_zero_function(got - want) is True for got, want in zip((f1, f2), stated)),
              f"the decider's witness pair {f1}, {f2} is not the stated one")
    d.text("The linear decider (decide_discretization: a g exists iff ker M is inside ker M_delta) returns the "
           "witness pair f1 =", f1, ", f2 =", f2, ":")
    d.table(["", "f1", "f2"], [["D f", v.input, v.input], ["D f(x - dx/2)", v.lhs, v.rhs]])
    _argument(d)

    d.text("Contrast: a translation by a whole cell, delta = dx, maps the sub-cell detail to sub-cell detail of "
           "the next cell (the kernel function's translate again has zero averages), and the decider constructs "
           "a commuting g:")
    whole = decide_discretization(D, DX, V)
    d.verdict(whole)
    d.require(whole.proved, "the whole-cell contrast was expected to be proved")
    return Counterexample("C4 (eq. 5), delta = dx/2: some map g: R^4 -> R^4 has g(D f) = D(f(x - dx/2)) for every "
                          "piecewise-constant f on (-1, 1] with breaks at -1/2, -1/4, 0, 1/2 (cell averages D on "
                          "Grid(-1, 1, 4))",
                          refuted_statement=d.title, input=v.input, lhs=v.lhs, rhs=v.rhs, functions=v.functions, decider=v.decider,
                          conventions=CONVENTIONS + (Phrase(f"function class: {V.description}",
                                                            f"function class: {V.description_latex}"),),
                          details={Phrase("kernel of D on V", r"kernel of $\mathcal{D}$ on $V$"):
                                       Phrase("span of 1_(-1/4, 0] - 1_(-1/2, -1/4]",
                                              r"$\operatorname{span}\{1_{(-1/4, 0]} - 1_{(-1/2, -1/4]}\}$"),
                                   Phrase("delta = dx", r"$\delta = \Delta x$"): "a commuting g exists (decided: proved)"})


@claim("c4-every-non-integer-shift", "C4: No discrete translation by a non-integer shift exists",
       statement="C4 (eq. 5), every non-integer shift: for cell averages on the uniform grid x_j = -1 + j dx (dx = 1/2, "
       "j in Z) and every real s not in Z, f1 = 1_(x_0, x_0 + dx/2] and f2 = 1_(x_0 + dx/2, x_0 + dx] have "
       "D f1 = D f2 (1/2 in cell 0, 0 elsewhere) but D f1(x - s dx) - D f2(x - s dx) = m(s) (e_n - e_{n+1}) with "
       "n = floor(s), m(s) = min(s - n, n + 1 - s) > 0; hence no map g on pixel sequences has "
       "g(D f) = D(f(x - s dx)) for every f in span{f1, f2}",
       latex=(r"Let $\mathcal{D}$ be the cell averages on the uniform grid $x_j = -1 + j\,\Delta x$ ($\Delta"
              r" x = \tfrac12$, $j \in \mathbb{Z}$) and $s \in \mathbb{R} \setminus \mathbb{Z}$. The "
              r"functions $f_1 = 1_{(x_0,\, x_0 + \Delta x/2]}$ and $f_2 = 1_{(x_0 + \Delta x/2,\, x_0 + "
              r"\Delta x]}$ have $\mathcal{D} f_1 = \mathcal{D} f_2$ ($\tfrac12$ in cell 0, $0$ elsewhere) "
              r"but $\mathcal{D}[f_1(x - s\Delta x)] - \mathcal{D}[f_2(x - s\Delta x)] = m(s)\,(e_n - "
              r"e_{n+1})$ with $n = \lfloor s \rfloor$ and $m(s) = \min(s - n,\, n + 1 - s) > 0$. Hence no "
              r"map $g$ on pixel sequences has $g(\mathcal{D} f) = \mathcal{D}[f(x - s\Delta x)]$ for every "
              r"$f \in \operatorname{span}\{f_1, f_2\}$."),
       expect="refuted", budget=60, tags=("paper", "C4"))
def c4_every_shift(d: Derivation) -> Verdict:
    for c in CONVENTIONS:
        d.convention(c)
    d.convention("the grid extends to all j in Z (cells (x_j, x_{j+1}]); pixels outside the shown cells are 0",
                 latex=r"the grid extends to all $j \in \mathbb{Z}$ (cells $(x_j, x_{j+1}]$); pixels outside the "
                       r"shown cells are $0$")
    x0 = GRID.edge(0)
    span = PiecewiseConstant([x0 + DX / 2], (x0, x0 + DX))
    f1, f2 = span.basis    # 1_(x_0, x_0 + dx/2] and 1_(x_0 + dx/2, x_0 + dx]
    window = Grid(x0, x0 + 2 * DX, 2)      # cells 0 and 1 of the grid
    D2 = CellAverage(window)
    d.text("Witness family: f1 = 1_(x_0, x_0 + dx/2] =", f1, "and f2 = 1_(x_0 + dx/2, x_0 + dx] =", f2,
           ", the two halves of cell 0. Both are supported in cell 0, with average 1/2:")
    d.equation(Tex(r"\mathcal{D}[f_1]", text="D f1"), D2(f1), Tex(r"\mathcal{D}[f_2]", text="D f2"),
               label="cells 0, 1")

    d.text("Step 1 (integer part). On the infinite uniform grid, translating by n whole cells shifts the pixels "
           "by n: substitute x = y + n dx in the cell integral,")
    d.equation(Tex(r"\mathcal{D}_j[f(x - n\,\Delta x)]", text="D_j[f(x - n dx)]"),
               Tex(r"\frac{1}{\Delta x}\int_{x_j}^{x_{j+1}} f(x - n\,\Delta x)\,dx",
                   text="(1/dx) integral_{x_j}^{x_{j+1}} f(x - n dx) dx"),
               Tex(r"\frac{1}{\Delta x}\int_{x_{j-n}}^{x_{j-n+1}} f(y)\,dy",
                   text="(1/dx) integral_{x_{j-n}}^{x_{j-n+1}} f(y) dy"),
               Tex(r"\mathcal{D}_{j-n}[f]", text="D_{j-n}[f]"))
    d.text("So with n = floor(s) and t = s - n in [0, 1): D[f(x - s dx)] = T_n D[f(x - t dx)], T_n the shift by "
           "n cells. It remains to treat t in (0, 1) (t = 0 is the integer case).")

    t = sympy.Symbol("t", real=True)
    d.text("Step 2 (fractional part). For 0 < t < 1 the translates are supported in (x_0 + t dx, x_0 + (t + 1) dx], "
           "inside cells 0 and 1, so every other pixel is 0. On cells 0 and 1, the averages computed by "
           "CellAverage with t symbolic, the same averages by hand (overlap length of the translated half-cell "
           "with the cell, divided by dx), and their exact comparison on 0 < t < 1 (piecewise, split at the "
           "breakpoints, no sampling):")
    lhs, rhs = D2(translate(f1, t * DX)), D2(translate(f2, t * DX))
    m = sympy.Min(t, 1 - t)
    hand_lhs = [sympy.Min(HALF, 1 - t), sympy.Max(0, t - HALF)]
    hand_rhs = [sympy.Max(0, HALF - t), sympy.Min(t, HALF)]
    inside = (t > 0) & (t < 1)
    rows = []
    for name, got, hand in (("D f1(x - t dx)", lhs, hand_lhs), ("D f2(x - t dx)", rhs, hand_rhs)):
        for j in range(2):
            diff = sympy.Piecewise((got[j] - hand[j], inside), (0, True)).rewrite(sympy.Piecewise)
            rows.append([f"{name}, cell {j}", got[j], hand[j], is_zero_function(diff, t)])
    d.table(["entry", "CellAverage", "by hand", "equal on (0, 1)"], rows)
    d.require(all(row[-1] is True for row in rows), "the hand formulas were not confirmed")
    d.text("So the difference on cells 0, 1 is", [m, -m], ".")
    positive = positive_set(m, t, [HALF], sympy.Interval(0, 1))
    d.text("m(t) = min(t, 1 - t) is positive exactly on", positive,
           "(certified affine on [0, 1/2] and [1/2, 1], values 0, 1/2, 0 at the piece ends).")
    d.require(positive == sympy.Interval.open(0, 1), f"m(t) > 0 only on {positive}")

    s = sympy.Symbol("s", real=True)
    finite = decide_discretization(CellAverage(GRID), s * DX, span, assume={s: (0, 3)})
    d.text("Step 3 (independent check with the decider on the paper's 4-cell grid, where the translates stay "
           "inside the image for 0 < s < 3): decide_discretization(CellAverage(Grid(-1, 1, 4)), s dx, "
           "span{f1, f2}, 0 < s < 3) returns", finite.kind, "with the witness vanishing exactly for s in",
           finite.details.get("exceptional_set"), ", the integers of (0, 3).")
    d.require(finite.refuted and finite.details.get("exceptional_set") == sympy.FiniteSet(1, 2),
              f"decider check gave {finite.kind}: {finite.details}")

    d.text("Conclusion. For every s not in Z, with n = floor(s) and t = s - n in (0, 1):")
    d.equation(Tex(r"\mathcal{D}[f_1(x - s\,\Delta x)] - \mathcal{D}[f_2(x - s\,\Delta x)]",
                   text="D[f1(x - s dx)] - D[f2(x - s dx)]"),
               Tex(r"\min(t, 1 - t)\,(e_n - e_{n+1})", text="min(t, 1 - t) (e_n - e_{n+1})"),
               relation="=")
    d.text("which is nonzero, while D f1 = D f2.")
    _argument(d)
    d.text("For s in Z the shift T_s commutes with D for every f (step 1), so on this class a commuting discrete "
           "translation exists exactly for the translations delta in dx Z.")
    return Counterexample(
        "C4 (eq. 5), every non-integer shift: for cell averages on the uniform grid x_j = -1 + j dx (dx = 1/2) and "
        "some real s not in Z, a map g on pixel sequences has g(D f) = D(f(x - s dx)) for every f in span{f1, f2} "
        "(f1 = 1_(x_0, x_0 + dx/2], f2 = 1_(x_0 + dx/2, x_0 + dx])",
        refuted_statement=d.title, input=D2(f1), lhs=Signal(hand_lhs), rhs=Signal(hand_rhs), difference=Signal([m, -m]),
        functions={"f1": f1, "f2": f2, "f1 translated": translate(f1, s * DX), "f2 translated": translate(f2, s * DX)},
        decider="exact", conventions=CONVENTIONS,
        details={"cells shown": Phrase(
                     "input: cells 0, 1 (D f1 = D f2); lhs, rhs, difference: cells n = floor(s), n + 1, "
                     "with t = s - n; every other pixel is 0",
                     r"input: cells $0, 1$ ($\mathcal{D} f_1 = \mathcal{D} f_2$); lhs, rhs, difference: cells "
                     r"$n = \lfloor s \rfloor$, $n + 1$, with $t = s - n$; every other pixel is $0$"),
                 # positive is the open interval (0, 1) (checked above)
                 "nonzero": Phrase(f"min(t, 1 - t) > 0 exactly for t in ({positive.start}, {positive.end}), "
                                   "i.e. s not in Z",
                                   rf"$\min(t, 1 - t) > 0$ exactly for $t \in {sympy.latex(positive)}$, i.e.\ "
                                   r"$s \notin \mathbb{Z}$"),
                 "decider check": Phrase(
                     "decide_discretization on Grid(-1, 1, 4), 0 < s < 3: witness vanishes only at s in {1, 2}",
                     r"\texttt{decide\_discretization} on $\mathrm{Grid}(-1, 1, 4)$, $0 < s < 3$: witness "
                     r"vanishes only at $s \in \{1, 2\}$")})


if __name__ == "__main__":
    import sys

    from symequi.cli import main

    sys.exit(main(["prove", __file__]))
