"""Paper claim C3: Figure 1, the edge detector that misses the half-pixel translate.

One claim, ``c3-figure1`` (expect refuted): the pixels of H and of
H(x - dx/2), the layer outputs under both kernel-origin conventions, the
counterexample (the output on the translated image is no integer shift of the
output on the original), the exact set of translations delta in [0, 2 dx] for
which an edge is detected, and the regenerated figure.
"""

from __future__ import annotations

import sympy

from _common import positive_set
from symequi.report.claims import claim
from symequi.functions.continuous import TRANSLATE_CONVENTION, heaviside, translate, x
from symequi.delta.edge_detection import edge_detected_set, figure1_layer
from symequi.report.derivation import Derivation, Tex
from symequi.functions.discretize import CellAverage, CellIntegral
from symequi.report.figures import figure1
from symequi.functions.grid import Grid
from symequi.core.operator import Sequential
from symequi.core.signal import Signal
from symequi.core.texescape import Phrase
from symequi.translations import shift
from symequi.core.verdict import Counterexample, Verdict

ORIGINS = {-1: "paper (origin -1): C_j = 2 b_{j+1} - 2 b_j", 0: "other (origin 0): C_j = 2 b_j - 2 b_{j-1}"}


def _layer(origin: int, *, relu: bool = True) -> Sequential:
    """The Figure 1 layer (kernel [2, -2] with the given origin, zero padding, bias -1, ReLU);
    without the ReLU for ``relu=False`` (the pre-activations)."""
    layer = figure1_layer(origin=origin, padding="zeros")
    return layer if relu else Sequential(*layer.layers[:-1])


@claim("c3-figure1", "C3: Figure 1, a half-pixel shift erases the detected edge",
       statement="C3 (Figure 1): with H(x) = 1 for x > 0 and 0 otherwise, cell averages on Grid(-1, 1, 4) (dx = 1/2) and the "
       "layer ReLU(C[a, b] - 1) with a = [2, -2] and zero padding, D[H] = [0, 0, 1, 1] gives [0, 1, 0, 0] "
       "(origin -1, C_j = 2 b_{j+1} - 2 b_j; [0, 0, 1, 0] with origin 0) while D[H(x - dx/2)] = [0, 0, 1/2, 1] "
       "gives [0, 0, 0, 0], which equals no periodic integer shift of the first output; for delta in [0, 2 dx] "
       "an edge is detected exactly when delta is in [0, dx/2) or (dx/2, 3 dx/2)",
       latex=(r"Let $H(x) = 1$ for $x > 0$ and $0$ otherwise, $\mathcal{D}$ the cell averages on "
              r"$\mathrm{Grid}(-1, 1, 4)$ ($\Delta x = \tfrac12$) and $L(b) = \mathrm{ReLU}(C[a, b] - 1)$ "
              r"with $a = [2, -2]$ and zero padding. Then $\mathcal{D}[H] = [0, 0, 1, 1]$ gives $L = [0, 1, "
              r"0, 0]$ (origin $-1$, $C_j = 2 b_{j+1} - 2 b_j$; $[0, 0, 1, 0]$ with origin $0$), while "
              r"$\mathcal{D}[H(x - \Delta x/2)] = [0, 0, \tfrac12, 1]$ gives $[0, 0, 0, 0]$, which is no "
              r"periodic integer shift of the first output. For $\delta \in [0, 2\Delta x]$ an edge is "
              r"detected exactly when $\delta \in [0, \Delta x/2) \cup (\Delta x/2, 3\Delta x/2)$."),
       expect="refuted", budget=60, tags=("paper", "C3", "figure"))
def c3_figure1(d: Derivation) -> Verdict:
    grid = Grid(-1, 1, 4)
    dx = grid.dx
    H = heaviside(x)
    H_half = translate(H, dx / 2)
    d.convention("Heaviside H(0) = 0 (the paper's H(x) = 1 for x > 0, 0 for x <= 0)",
                 latex=r"Heaviside $H(0) = 0$ (the paper's $H(x) = 1$ for $x > 0$, $0$ for $x \le 0$)")
    d.convention(TRANSLATE_CONVENTION)
    d.convention("cell average D_j[f] = (1/dx) * integral of f over [x_j, x_{j+1}], x_j = -1 + j dx",
                 latex=r"cell average $D_j[f] = \frac{1}{\Delta x}\int_{x_j}^{x_{j+1}} f(x)\,dx$, "
                       r"$x_j = -1 + j\,\Delta x$")
    d.convention("convolution C_j[a, b] = sum_k a_k b_{j-k} (paper eq. 3) with zero padding (b_i = 0 outside "
                 "0..3); the kernel origin is stated for every result",
                 latex=r"convolution $C_j[a, b] = \sum_k a_k b_{j-k}$ (paper eq.~3) with zero padding ($b_i = 0$ "
                       r"for $i \notin \{0, \dots, 3\}$); the kernel origin is stated for every result")

    d.text("Step 1: the pixels. N = 4 cells of width dx =", dx, "with edges", list(grid.edges),
           ". The step of H(x - dx/2) is at x =", dx / 2, ".")
    integrals, averages = CellIntegral(grid), CellAverage(grid)
    i0, i1 = integrals(H), integrals(H_half)
    u, v = averages(H), averages(H_half)
    d.table(["j", "cell", "integral of H", "integral of H(x - dx/2)", "D_j[H]", "D_j[H(x - dx/2)]"],
            [[j, Tex(rf"[{sympy.latex(grid.edge(j))}, {sympy.latex(grid.edge(j + 1))}]",
                     text=f"[{grid.edge(j)}, {grid.edge(j + 1)}]"),
              i0[j], i1[j], u[j], v[j]] for j in range(4)])
    d.erratum("Section 3 defines the pixel values as H_j = integral of H over [x_j, x_{j+1}] (no factor 1/dx) but "
              "calls them averages and reports [0, 0, 1, 1]; the integrals are [0, 0, 1/2, 1/2]. The reported "
              "values are the averages (integral / dx), used here.",
              latex=r"Section~3 defines the pixel values as $H_j = \int_{x_j}^{x_{j+1}} H(x)\,dx$ (no factor "
                    r"$1/\Delta x$) but calls them averages and reports $[0, 0, 1, 1]$; the integrals are "
                    r"$[0, 0, \tfrac12, \tfrac12]$. The reported values are the averages "
                    r"$\frac{1}{\Delta x}\int_{x_j}^{x_{j+1}} H(x)\,dx$, used here.")

    d.text("Step 2: the layer under both kernel-origin conventions. Eq. (3) does not fix where the kernel "
           "index starts; the paper's output [0, 1, 0, 0] needs a_-1 = 2, a_0 = -2 (origin -1). Pre-activations "
           "C_j - 1 and outputs:")
    rows = []
    outputs: dict[int, tuple[Signal, Signal]] = {}
    for origin, name in ORIGINS.items():
        pre, full = _layer(origin, relu=False), _layer(origin)
        outputs[origin] = (full(u), full(v))
        rows.append([name, "H", pre(u), full(u)])
        rows.append([name, "H(x - dx/2)", pre(v), full(v)])
    d.table(["convention", "image", "C[a, b] - 1", "ReLU(C[a, b] - 1)"], rows)
    expected = {-1: (Signal([0, 1, 0, 0]), Signal([0, 0, 0, 0])), 0: (Signal([0, 0, 1, 0]), Signal([0, 0, 0, 0]))}
    d.require(outputs == expected, f"the layer outputs {outputs} are not the stated ones")
    d.text("Under both conventions the edge is detected in the original image (one output entry 1) and not in "
           "the translated one (all entries 0).")

    d.text("Step 3: no integer shift matches. Eq. (4) asks for layer(D[H(x - dx/2)]) = g(layer(D[H])). Every "
           "periodic shift T_l preserves the sum of the entries, which is 1 for layer(D[H]) and 0 for "
           "layer(D[H(x - dx/2)]):")
    lhs, rhs = outputs[-1][1], outputs[-1][0]
    rolls = [shift(l)(rhs) for l in range(4)]
    d.table(["l", "T_l layer(D[H]) (paper convention)", "equals layer(D[H(x - dx/2)]) = [0, 0, 0, 0]?"],
            [[l, r, "no" if r != lhs else "yes"] for l, r in enumerate(rolls)])
    d.require(not any(r == lhs for r in rolls), "some integer shift matched")
    d.text("(A zero-fill shift by l >= 3 or l <= -2 also gives [0, 0, 0, 0], by pushing the detected edge off "
           "the four pixels; it moves the content by at least two cells, not by the half cell of the "
           "translation, and is no candidate for g.)")

    d.text("Step 4: every translation delta in [0, 2 dx] = [0, 1]. symequi.delta.defect computes layer(D[H(x - delta)]) "
           "exactly as a piecewise polynomial in delta (paper convention):")
    results = {origin: edge_detected_set(_layer(origin), H, grid, delta_interval=(0, 2 * dx)) for origin in ORIGINS}
    paper = results[-1]
    d.table(["delta", "layer(D[H(x - delta)])"], [[p.set, p.output] for p in paper.family.pieces])
    detected = paper.detected
    d.text("An edge (some output > 0) is detected exactly for delta in", detected,
           "; with origin 0 the set is", results[0].detected, ". Missed: delta in", paper.undetected, ".")
    d.text("Why: write delta = (k + t) dx with k in {0, 1} and 0 <= t < 1. For k = 0 the pixels are "
           "0, 0, 1 - t, 1: two jumps, of sizes 1 - t and t, and the detector fires iff 2 * jump - 1 > 0 for one "
           "of them, i.e. iff max(t, 1 - t) > 1/2, i.e. iff t != 1/2. For k = 1 the step is in the last pixel, "
           "the pixels are 0, 0, 0, 1 - t, and only the jump 1 - t lies inside the image: the detector fires "
           "iff t < 1/2, i.e. delta < 3 dx/2. At delta = 2 dx the step is at x = 1 and every pixel is 0.")

    delta = sympy.Symbol("delta", real=True)
    pixels = CellAverage(grid)(translate(H, delta))
    pre = _layer(-1, relu=False)(pixels)
    cross_check = sympy.S.EmptySet
    rows = []
    for j, (p, z) in enumerate(zip(pixels.to_list(), pre.to_list())):
        where = positive_set(z, delta, grid.edges, sympy.Interval(0, 2 * dx))
        cross_check = cross_check.union(where)
        rows.append([j, p, z, where])
    d.text("Cross-check by a second route: the pixels D_j[H(x - delta)] as closed forms in delta (CellAverage "
           "with a symbolic delta), the pre-activations C_j - 1 (paper convention), certified affine between "
           "the cell-edge crossings delta in", list(grid.edges), "(exact comparison, no sampling), and the set "
           "of delta in [0, 2 dx] where each is positive, read off the piece ends:")
    d.table(["j", "D_j[H(x - delta)]"], [row[:2] for row in rows])
    d.table(["j", "(C[a, b] - 1)_j", "positive for delta in"], [[row[0], row[2], row[3]] for row in rows])
    d.text("Union of the last column:", cross_check, ", the same set as in Step 4.")
    d.require(cross_check == detected and results[0].detected == detected,
              f"the two computations of the detected set differ: {detected} vs {cross_check} vs "
              f"{results[0].detected}")

    paths = figure1(d.output_dir, title=False)
    pdf = next(p for p in paths if p.suffix == ".pdf")
    d.figure(pdf, "A half-pixel translation hides the edge (the paper's first figure, from exact values): the "
                  "images H(x) and H(x - dx/2), their pixel averages, and the edge detector's outputs under both "
                  "kernel-origin conventions.",
             latex=r"A half-pixel translation hides the edge (the paper's first figure, from exact values): the "
                   r"images $H(x)$ and $H(x - \Delta x/2)$, their pixel averages, and the edge detector's outputs "
                   r"under both kernel-origin conventions.")
    return Counterexample(
        "C3 (Figure 1): the layer ReLU(C[a, b] - 1) (a = [2, -2], zero padding) commutes with the half-cell "
        "translation of H: layer(D[H(x - dx/2)]) is a periodic integer shift of layer(D[H])",
        refuted_statement=d.title, input=u, lhs=lhs, rhs=rhs, decider="exact",
        conventions=d.conventions,
        functions={"f": H, Phrase("f translated by dx/2", r"$f$ translated by $\Delta x/2$"): H_half},
        details={
            "paths": Phrase(
                "input D[H]; lhs = layer(D[H(x - dx/2)]), rhs = layer(D[H]) (its periodic shifts by l = 1, 2, 3 "
                "are " + ", ".join(str(r.to_list()) for r in rolls[1:]) + "; none equals lhs)",
                r"input $D[H]$; lhs $= L(D[H(x - \Delta x/2)])$, rhs $= L(D[H])$ (its periodic shifts by "
                r"$l = 1, 2, 3$ are " + ", ".join(_entries(r) for r in rolls[1:]) + "; none equals lhs)"),
            "origin 0": Phrase(
                f"layer(D[H]) = {outputs[0][0].to_list()}, layer(D[H(x - dx/2)]) = {outputs[0][1].to_list()}",
                r"$L(D[H]) = $ " + _entries(outputs[0][0]) + r", $L(D[H(x - \Delta x/2)]) = $ "
                + _entries(outputs[0][1])),
            # sets of delta: sympy sets, typeset as unions of intervals
            Phrase("edge detected (0 <= delta <= 2 dx)", r"edge detected ($0 \le \delta \le 2\Delta x$)"): detected,
            Phrase("edge missed (0 <= delta <= 2 dx)", r"edge missed ($0 \le \delta \le 2\Delta x$)"):
                paper.undetected,
        })


def _entries(signal: Signal) -> str:
    """A 1-D signal as an inline LaTeX list, e.g. ``$[0, 1, 0, 0]$``."""
    return "$[" + ", ".join(sympy.latex(v) for v in signal.to_list()) + "]$"


if __name__ == "__main__":
    import sys

    from symequi.cli import main

    sys.exit(main(["prove", __file__]))
