"""C7: a convolutional time stepper commutes with whole-cell, not half-cell, translations.

The paper (section 3) concludes that "using CNNs to solve PDEs will not result
in translation equivariant solvers".  This script makes that precise for two
one-step solvers of ``f_t + c f_x = 0`` on a periodic grid:

* the linear upwind step ``U_nu``: ``u_j <- (1 - nu) u_j + nu u_{j-1}``, a
  periodic :class:`~symequi.layers.convolution.Convolution` (``symequi.pde.upwind``);
* a convolutional layer built on it, ``S(u) = ReLU(U_{1/2} u - 7/8)`` (paper
  eq. (4): convolution, bias, nonlinearity).  Its weights are the upwind step;
  the bias makes it a "crest detector", the PDE analogue of the paper's Figure 1
  edge detector: the threshold 7/8 lies between the crest heights of
  ``U_{1/2} f^h(0)`` (2 sqrt(2)/pi ~ 0.900) and ``U_{1/2} f^h(dx/2c)``
  (2 sqrt(2) cos(pi/8)/pi ~ 0.832) for Figure 2's data.

Three claims:

* ``c7-integer`` (proved): both steppers commute with every integer shift of the
  grid data, and translating a periodic solution by m whole cells shifts its
  cell averages by m, so both commute with whole-cell translations.
* ``c7-fractional-linear`` (proved): the linear step also commutes with the
  half-cell linear-interpolation and Fourier shifts (all are circulant).  For
  band-limited data such as Figure 2's sine, where the half-cell translation of
  the solution is exactly the Fourier half shift of its cell averages, the
  linear stepper's output translates with the solution.  Stated honestly: a
  linear convolutional step is not where translation equivariance breaks.
* ``c7-fractional`` (refuted): the conv + bias + ReLU stepper does not commute
  with the half-cell translation: on Figure 2's data, ``S(f^h(dx/2c)) = 0``
  while ``S(f^h(0)) != 0``, so no linear map g that preserves the sum of the
  entries (every integer, interpolation, Fourier and finite-volume shift) or is
  injective can satisfy ``S(D[f(x - dx/2)]) = g(S(D f))``.

Run alone with ``python proofs/c7_convolutional_time_stepper.py``.
"""

from __future__ import annotations

import sympy

from _common import figure2_data_cached
from symequi.layers.activations import Bias, ReLU
from symequi.report.claims import claim
from symequi.functions.continuous import heaviside, x
from symequi.deciders.dispatch import decide
from symequi.arith.cyclotomic import cyclotomic_equal
from symequi.report.derivation import Derivation, Tex
from symequi.core.errors import InvalidArgumentError
from symequi.translations.fourier import FourierShift
from symequi.functions.grid import Grid
from symequi.core.operator import Sequential
from symequi.pde import exact_cell_averages, upwind
from symequi.core.signal import Signal
from symequi.core.square import Square
from symequi.core.texescape import Phrase
from symequi.translations import IntegerShift, shift
from symequi.core.verdict import Counterexample, Proved, Verdict
from symequi.core.zero import certify_sign, zero_test

pi = sympy.pi
HALF = sympy.Rational(1, 2)
THRESHOLD = sympy.Rational(7, 8)
N = 8
N_RANGE = range(3, 13)
nu = sympy.Symbol("nu", real=True)

#: One upwind step with Courant number 1/2 and the conv + bias + ReLU stepper built on it.
UPWIND_HALF = upwind(HALF)
RELU_STEPPER = Sequential(upwind(HALF), Bias(-THRESHOLD), ReLU())

_COMMON_CONVENTIONS = (
    Phrase("upwind step U_nu: u_j <- (1 - nu) u_j + nu u_{j-1} = Convolution([1 - nu, nu], origin 0), periodic",
           r"upwind step $U_\nu$: $u_j \leftarrow (1 - \nu) u_j + \nu u_{j-1}$, the convolution with taps "
           r"$[1 - \nu, \nu]$ at origin $0$, periodic"),
    Phrase("ReLU stepper S(u) = ReLU(U_{1/2} u - 7/8) (convolution, bias, ReLU as in the paper's eq. (4))",
           r"ReLU stepper $S(u) = \mathrm{ReLU}(U_{1/2} u - \tfrac78)$ (convolution, bias, ReLU as in the "
           r"paper's eq.~(4))"),
    Phrase("periodic grid of N cells; integer shift (S_m u)_j = u_{(j - m) mod N}",
           r"periodic grid of $N$ cells; integer shift $(S_m u)_j = u_{(j - m) \bmod N}$"),
    Phrase("a discrete translation by s cells moves content right; translate(f, delta) = f(x - delta)",
           r"a discrete translation by $s$ cells moves content right; "
           r"$\operatorname{translate}(f, \delta) = f(x - \delta)$"),
    Phrase("Figure 2 data: f0(x) = sin(2 pi x), L = 1, c = 1, N = 8, cell averages; t = dx/(2c)",
           r"the paper's second figure's data: $f_0(x) = \sin(2\pi x)$, $L = 1$, $c = 1$, $N = 8$, cell averages; "
           r"$t = \Delta x/(2c)$"),
)


def _conventions(d: Derivation) -> None:
    for text in _COMMON_CONVENTIONS:
        d.convention(text)


def zero_over_pi(value: sympy.Expr) -> bool | None:
    """Exact zero test of a value of the form (algebraic)/pi + (rational): test pi * value.

    pi * value is algebraic plus a rational multiple of pi; zero_test decides it
    (a minimal polynomial for algebraic numbers, a rigorous ball otherwise).
    """
    return zero_test(sympy.expand(pi * value), budget=10)[0]


def equal_over_pi(p: sympy.Expr, q: sympy.Expr) -> bool | None:
    """Exact test of ``p == q`` for values (algebraic)/pi + (rational).

    When pi * p and pi * q are algebraic (no rational part), they are compared
    as canonical forms in a cyclotomic field (fast, exact); otherwise by
    :func:`zero_over_pi`.
    """
    try:
        return cyclotomic_equal(sympy.expand(pi * p), sympy.expand(pi * q))
    except InvalidArgumentError:  # pi * value has a rational multiple of pi: not in a cyclotomic field
        return zero_over_pi(p - q)


def signals_equal(d: Derivation, a: Signal, b: Signal, what: str) -> None:
    """End the claim (``d.require``) unless ``a == b`` entry by entry, decided exactly."""
    for k, (p, q) in enumerate(zip(a.flat_exprs(), b.flat_exprs())):
        d.require(equal_over_pi(p, q) is True, f"{what}: entry {k} differs or is undecided: {p} vs {q}")


def certified_relu_stepper(d: Derivation, u: Signal) -> tuple[Signal, list[sympy.Expr], list[int]]:
    """S(u) with every ReLU decided by a certified sign; also the pre-activations and signs.

    The library's S(u) must agree (checked): sympy's Max is not trusted on its own.
    """
    pre = Sequential(UPWIND_HALF, Bias(-THRESHOLD))(u).flat_exprs()
    signs = []
    for k, p in enumerate(pre):
        sign = certify_sign(p, budget=10)
        d.require(sign is not None, f"the sign of pre-activation {k} = {p} is undecided")
        signs.append(sign)
    out = Signal.from_exprs([p if s > 0 else sympy.Integer(0) for p, s in zip(pre, signs)], u.shape)
    signals_equal(d, RELU_STEPPER(u), out, "library ReLU stepper vs certified ReLU")
    return out, pre, signs


def figure2_signals() -> dict[str, object]:
    """f^h(0) and f^h(dx/2c) of Figure 2 by exact cell-by-cell integration.

    The cell averages of f0 and of the exact solution f0(x - c t) at t = dx/(2c), c = 1
    (symequi.report.figures.figure2_data, computed once per session and shared with C6).
    """
    data = figure2_data_cached(N)
    return {"grid": data["grid"], "f0": data["f0"], "t": data["t"], "f_t": data["f1"],
            "u0": data["fh0"], "u1": data["fh1"]}


def _expect(d: Derivation, verdict: Verdict, kind: str, what: str) -> Verdict:
    """``verdict``, after ``d.require`` that it is of the expected ``kind``."""
    d.require(verdict.kind == kind, f"{what}: expected {kind}, got {verdict.kind}:\n{verdict.text()}")
    return verdict


# ---------------------------------------------------------------------------------------
# c7-integer
# ---------------------------------------------------------------------------------------
TITLE_INTEGER = (
    "C7 (whole cells): the periodic upwind step u_j <- (1 - nu) u_j + nu u_{j-1} (symbolic nu, "
    "N = 3..12) and the conv + bias + ReLU stepper S(u) = ReLU(U_{1/2} u - 7/8) (N = 8, every real "
    "input) commute with every integer shift of the grid data; since translating a periodic "
    "solution by m whole cells shifts its cell averages by m cells, both steppers commute with "
    "translations of the solution by whole cells"
)


@claim("c7-integer", "C7: Both time steppers commute with whole-cell translations",
       statement=TITLE_INTEGER,
       latex=(r"The periodic upwind step $u_j \leftarrow (1 - \nu) u_j + \nu u_{j-1}$ (symbolic $\nu$, $N = "
              r"3, \dots, 12$) and the convolution, bias and ReLU stepper $S(u) = \mathrm{ReLU}(U_{1/2} u - "
              r"\tfrac78)$ ($N = 8$, every real input) commute with every integer shift of the grid data. "
              r"Since translating a periodic solution by $m$ whole cells shifts its cell averages by $m$ "
              r"cells, both steppers commute with translations of the solution by whole cells."),
       expect="proved", budget=60, tags=("paper", "pde", "C7"))
def c7_integer(d: Derivation) -> Verdict:
    _conventions(d)
    U = upwind(nu)
    d.text("The upwind step with a symbolic Courant number nu is the periodic convolution", U.describe(),
           ": (U u)_j = (1 - nu) u_j + nu u_{j-1}. The conv + bias + ReLU stepper is",
           RELU_STEPPER.describe(), ".")

    # 1. linear step: every N in 3..12, every shift m
    rows = []
    for n in N_RANGE:
        for m in range(1, n):
            _expect(d, decide(Square(U, shift(m), input_shape=n), budget=10), "proved",
                     f"upwind(nu) with shift({m}) on N = {n}")
        rows.append([n, f"1..{n - 1}", "proved (linear: every column of U S_m - S_m U is 0, for all nu)"])
    d.text("Step 1. For each N and each shift m = 1..N-1 (m = 0 is trivial; m + N is the same shift), "
           "symequi.deciders.decide sends the square U S_m = S_m U to the linear decider, which applies both "
           "paths to every unit vector and proves each column of the commutator identically zero in nu:")
    d.table(["N", "shifts m", "verdict"], rows)
    example = decide(Square(U, shift(1), input_shape=N), budget=10)
    d.verdict(example)

    # 2. ReLU stepper: every shift on N = 8, by z3
    for m in range(1, N):
        v = _expect(d, decide(Square(RELU_STEPPER, shift(m), input_shape=N), method="smt", budget=10), "proved",
                     f"ReLU stepper with shift({m})")
    d.text(f"Step 2. For the ReLU stepper on N = {N}, symequi.deciders.decide sends S S_m = S_m S (m = 1..{N - 1}) to "
           "the SMT decider (z3, linear real arithmetic); z3 answers unsat for each m: no real input "
           "separates the two paths. The verdict for m = 7:")
    d.verdict(v)

    # 3. whole-cell translations of the solution are integer shifts of the cell averages
    L, dx = sympy.symbols("L Delta_x", positive=True)
    c, t = sympy.symbols("c t", real=True)
    j, m = sympy.symbols("j m", integer=True)

    def closed(jj: sympy.Expr, ct: sympy.Expr) -> sympy.Expr:
        return L / (pi * dx) * sympy.sin(2 * pi * ((jj + HALF) * dx - ct) / L) * sympy.sin(pi * dx / L)

    def expand_args(e: sympy.Expr) -> sympy.Expr:
        return e.replace(lambda a: isinstance(a, sympy.sin), lambda a: sympy.sin(sympy.expand(a.args[0])))

    translated, shifted = closed(j, m * dx), closed(j - m, 0)
    gap = sympy.expand(expand_args(translated) - expand_args(shifted))
    d.require(gap == 0, f"whole-cell translation of the sine is not the integer shift: {gap}")
    d.text("Step 3 (through the discretization). With the closed form of C5, translating the solution "
           "by c t = m dx gives")
    d.equation(Tex(r"f_j^h(m\,\Delta x / c)", "f_j^h(m dx / c)"), translated, shifted)
    d.text("i.e. f^h(m dx/c) = S_m f^h(0) exactly (both sine arguments expand to the same polynomial). "
           "The same holds for any periodic f (substitute x -> x - m dx in the cell integral); checked "
           "here exactly for a periodic step f0 = H(x - 1/3) on Grid(0, 1, 8):")
    grid = Grid(0, 1, N)
    step = heaviside(x - sympy.Rational(1, 3))
    base = exact_cell_averages(step, grid, c=1, t=0, periodic=True)
    srows = []
    for mm in range(N):
        moved = exact_cell_averages(step, grid, c=1, t=mm * grid.dx, periodic=True)
        d.require(moved == IntegerShift(mm)(base), f"the step translated by {mm} cells is not the shift by {mm}")
        srows.append([mm, moved, "= S_m D f0"])
    d.table(["m", "D[f0(x - m dx)] (periodic)", ""], srows)
    d.text("Conclusion: for a stepper A in {U_nu, S} and any periodic f, "
           "A(D[f(x - m dx)]) = A(S_m D f) = S_m A(D f): both steppers commute with translating the "
           "solution by whole cells.")
    return Proved(
        Phrase("the upwind step U_nu and the stepper S = ReLU(U_{1/2} u - 7/8) commute with every integer "
               "shift S_m of periodic grid data, hence with translations of a periodic solution by m whole cells",
               r"the upwind step $U_\nu$ and the stepper $S = \mathrm{ReLU}(U_{1/2} u - \tfrac78)$ commute with "
               r"every integer shift $S_m$ of periodic grid data, hence with translations of a periodic solution "
               r"by $m$ whole cells"),
        holds_for=f"U_nu: every real input on N = {N_RANGE.start}..{N_RANGE.stop - 1} cells and every value "
                  f"of nu; S: every real input on N = {N} cells; shifts m = 0..N-1 (all integer shifts)",
        decider="derivation",
        conventions=_COMMON_CONVENTIONS[:4],
        details={"method": Phrase("linear (U_nu) and smt (S)", r"linear ($U_\nu$) and smt ($S$)")},
    )


# ---------------------------------------------------------------------------------------
# c7-fractional-linear
# ---------------------------------------------------------------------------------------
TITLE_LINEAR = (
    "C7 (linear stepper, half cell): the periodic upwind step (symbolic nu, N = 8) commutes with the "
    "half-cell linear-interpolation and Fourier (band-limited) shifts, since all are circulant; "
    "on Figure 2's band-limited data, where the half-cell translate of the solution has cell "
    "averages F_{1/2} f^h(0), the linear stepper's output is translated by F_{1/2} as well"
)


@claim("c7-fractional-linear", "C7: The linear stepper commutes with half-cell shifts",
       statement=TITLE_LINEAR,
       latex=(r"The periodic upwind step (symbolic $\nu$, $N = 8$) commutes with the half-cell "
              r"linear-interpolation shift and with the Fourier (band-limited) shift $F_{1/2}$, since all "
              r"three are circulant. On Figure~2's band-limited data, where the half-cell translate of the "
              r"solution has cell averages $F_{1/2} f^h(0)$, the linear stepper's output is translated by "
              r"$F_{1/2}$ as well."),
       expect="proved", budget=60, tags=("pde", "C7"))
def c7_fractional_linear(d: Derivation) -> Verdict:
    _conventions(d)
    U = upwind(nu)
    d.text("Honest part: every periodic convolution is a circulant matrix, every discrete translation "
           "here (integer, interpolation, Fourier, finite volume) with the periodic boundary is a "
           "circulant matrix too, and circulant matrices commute. So a LINEAR convolutional step "
           "commutes with any of these sub-cell shifts. The deciders confirm it exactly:")
    shifts = [shift(HALF, method="linear"), FourierShift(HALF)]
    for g in shifts:
        v = _expect(d, decide(Square(U, g, input_shape=N), budget=20), "proved", f"upwind(nu) with {g.describe()}")
        d.verdict(v)

    data = figure2_signals()
    u0, u1 = data["u0"], data["u1"]
    F = FourierShift(HALF)
    signals_equal(d, F(u0), u1, "D[f0(x - dx/2)] vs F_{1/2} D f0")
    d.text("Through the discretization (Figure 2's data, N = 8, L = c = 1): the cell averages of the "
           "half-cell translate are exactly the Fourier half shift of the cell averages (pi times each "
           "entry of the difference is proved 0: equal canonical forms in Q(zeta_16)):")
    d.equation(Tex(r"\mathcal{D}[f_0(x - \Delta x/2)]", "D[f0(x - dx/2)]"), Tex(r"F_{1/2}\, \mathcal{D}[f_0]", "F_{1/2} D[f0]"))
    d.table(["j", Tex(r"f^h_j(0)", "f^h_j(0)"),
             Tex(r"f^h_j(\Delta x/2c) = (F_{1/2} f^h(0))_j", "f^h_j(dx/2c) = (F_{1/2} f^h(0))_j")],
            [[k, p, q] for k, (p, q) in enumerate(zip(u0.flat_exprs(), u1.flat_exprs()))])
    lhs, rhs = UPWIND_HALF(u1), F(UPWIND_HALF(u0))
    signals_equal(d, lhs, rhs, "U(D T f0) vs F U(D f0)")
    d.text("Hence one linear step commutes with the half-cell translation of this solution: "
           "U_{1/2}(D[f0(x - dx/2)]) = U_{1/2}(F_{1/2} D f0) = F_{1/2} U_{1/2}(D f0), checked entry by "
           "entry exactly:")
    d.table(["j", Tex(r"U_{1/2}(f^h(\Delta x/2c))_j", "U_{1/2}(f^h(dx/2c))_j")],
            [[k, v] for k, v in enumerate(lhs.flat_exprs())])
    image_grid = Grid(-1, 1, 4)
    image = exact_cell_averages(heaviside(x), image_grid, c=1, t=0, periodic=True)
    image_moved = exact_cell_averages(heaviside(x), image_grid, c=1, t=image_grid.dx / 2, periodic=True)
    image_fourier = FourierShift(HALF)(image)
    d.require(zero_test(image_fourier[3] - image_moved[3], budget=10)[0] is False,
              "expected the Fourier half shift to miss D[H(x - dx/2)] at entry 3")
    d.text("This identity needs band-limited data. For Figure 1's Heaviside image (periodic on "
           "Grid(-1, 1, 4)), D[H(x - dx/2)] =", image_moved, "while F_{1/2} D[H] =", image_fourier,
           "(entry 3 differs, certified): there the half-cell translation of f is not the Fourier half "
           "shift of D f, so commuting with F_{1/2} does not make a stepper commute with the half-cell "
           "translation of such data. For the linear step "
           "the obstruction lies in the discretization D (paper eq. (5)), not in the convolution.")
    return Proved(
        Phrase("the periodic upwind step U_nu commutes with the half-cell linear-interpolation shift and "
               "the half-cell Fourier shift F_{1/2} on N = 8 cells; on Figure 2's data "
               "U_{1/2}(D[f0(x - dx/2)]) = F_{1/2} U_{1/2}(D f0)",
               r"the periodic upwind step $U_\nu$ commutes with the half-cell linear-interpolation shift and "
               r"the half-cell Fourier shift $F_{1/2}$ on $N = 8$ cells; on the data of the paper's second figure "
               r"$U_{1/2}(\mathcal{D}[f_0(x - \Delta x/2)]) = F_{1/2} U_{1/2}(\mathcal{D} f_0)$"),
        holds_for="every real input of length 8 and every value of nu (commutators); Figure 2's data "
                  "(the identity through D)",
        decider="derivation",
        conventions=_COMMON_CONVENTIONS[0:1] + _COMMON_CONVENTIONS[2:],
        details={"method": "linear + exact zero tests"},
    )


# ---------------------------------------------------------------------------------------
# c7-fractional
# ---------------------------------------------------------------------------------------
TITLE_FRACTIONAL = (
    "C7 (conv + ReLU stepper, half cell): the stepper S(u) = ReLU(U_{1/2} u - 7/8) does not commute "
    "with translating the solution by half a cell: on Figure 2's data (N = 8) S(f^h(dx/2c)) = 0 while "
    "S(f^h(0)) != 0, so S(D[f0(x - dx/2)]) != g(S(D f0)) for every linear g that preserves the sum of "
    "the entries (every integer, interpolation, Fourier and finite-volume shift) or is injective; z3 "
    "also refutes S g = g S for the half-cell linear-interpolation shift g"
)


@claim("c7-fractional", "C7: The ReLU stepper does not commute with half-cell translations",
       statement=TITLE_FRACTIONAL,
       latex=(r"The stepper $S(u) = \mathrm{ReLU}(U_{1/2} u - \tfrac78)$ does not commute with translating "
              r"the solution by half a cell: on Figure~2's data ($N = 8$), $S(f^h(\Delta x/2c)) = 0$ while "
              r"$S(f^h(0)) \ne 0$, so $S(\mathcal{D}[f_0(x - \Delta x/2)]) \ne g(S(\mathcal{D} f_0))$ for "
              r"every linear $g$ that preserves the sum of the entries (every integer, interpolation, "
              r"Fourier and finite-volume shift) or is injective. The SMT decider also refutes $S g = g S$ "
              r"for the half-cell linear-interpolation shift $g$."),
       expect="refuted", budget=60, tags=("paper", "pde", "C7"))
def c7_fractional(d: Derivation) -> Verdict:
    _conventions(d)
    data = figure2_signals()
    u0, u1 = data["u0"], data["u1"]
    d.text("Why this stepper: a convolutional layer of a CNN solver is convolution + bias + nonlinearity "
           "(paper eq. (4)). Its weights here are one upwind step with nu = 1/2, (U u)_j = (u_j + u_{j-1})/2; "
           "the bias -7/8 makes it fire only on a crest, like the paper's Figure 1 edge detector. The "
           "threshold is not special: S is positively homogeneous in (u, threshold), so any threshold "
           "tau > 0 gives the same result for the sine amplitude a with "
           "2 sqrt(2) cos(pi/8) a/pi < tau < 2 sqrt(2) a/pi.")

    # --- the two inputs: f^h(0) and f^h(dx/2c) = D[f0(x - dx/2)] -------------------------
    F = FourierShift(HALF)
    signals_equal(d, F(u0), u1, "D[f0(x - dx/2)] vs F_{1/2} D f0")
    d.text("Inputs (exact cell averages of Figure 2, N = 8, L = c = 1): u = f^h(0) = D[f0] and "
           "f^h(dx/2c) = D[f0(x - dx/2)], which equals F_{1/2} u exactly (the Fourier half-cell shift; "
           "pi times each entry has the same canonical form in Q(zeta_16)).")

    out0, pre0, signs0 = certified_relu_stepper(d, u0)
    out1, pre1, signs1 = certified_relu_stepper(d, u1)
    d.text("Pre-activations U_{1/2} u - 7/8 and their certified signs (ball arithmetic on the exact "
           "numbers; sympy's own Max is cross-checked against these):")
    d.table(["j", Tex(r"U f^h(0) - \tfrac78", "U f^h(0) - 7/8"), "sign",
             Tex(r"U f^h(\Delta x/2c) - \tfrac78", "U f^h(dx/2c) - 7/8"), "sign"],
            [[k, sympy.simplify(pre0[k]), signs0[k], sympy.simplify(pre1[k]), signs1[k]] for k in range(N)])
    d.text("So the crest of U f^h(0) (j = 2) is", sympy.simplify(pre0[2] + THRESHOLD),
           "> 7/8, while every entry of U f^h(dx/2c) is below 7/8; its crest (j = 2, 3) is",
           sympy.simplify(pre1[2] + THRESHOLD), ".")
    d.require(all(v == 0 for v in out1.flat_exprs()), "S(f^h(dx/2c)) is not zero")
    positive = [k for k, s in enumerate(signs0) if s > 0]
    d.require(positive == [2], f"expected S(f^h(0)) to fire only at j = 2, got {positive}")
    v = out0[2]
    d.equation(Tex(r"S(f^h(0))", "S(f^h(0))"), out0)
    d.equation(Tex(r"S(f^h(\Delta x/2c))", "S(f^h(dx/2c))"), out1)

    # --- no sum-preserving or injective g can close the square ----------------------------
    rhs = F(out0)
    rhs_sum = sympy.expand(sum(rhs.flat_exprs()))
    d.require(zero_over_pi(rhs_sum - v) is True, "the Fourier shift did not preserve the sum")
    d.require(certify_sign(v) == 1, "S(f^h(0)) is not positive at j = 2")
    d.text("The sum of the entries of S(f^h(0)) is", v, "> 0 (certified), and the sum of S(f^h(dx/2c)) "
           "is 0. Any linear g whose taps sum to 1 preserves the sum of the entries, so "
           "g(S(f^h(0))) != 0 = S(f^h(dx/2c)); any injective linear g maps the nonzero S(f^h(0)) to a "
           "nonzero vector. The taps of the half-cell shifts, summed exactly:")
    taps_rows = []
    for name, g in (("integer, s = 1", shift(1)),
                    ("linear", shift(HALF, method="linear")),
                    ("cubic (Keys)", shift(HALF, method="cubic")),
                    ("Lagrange, order 3", shift(HALF, method="lagrange", order=3)),
                    ("Lanczos (a = 3, normalized)", shift(HALF, method="lanczos")),
                    ("Fourier", F),
                    ("finite volume, degree 0", shift(HALF, method="finite_volume", degree=0)),
                    ("finite volume, degree 2", shift(HALF, method="finite_volume", degree=2))):
        total = sum(g.taps(N).values())
        verdict, reason = zero_test(total - 1, budget=10)
        d.require(verdict is True, f"the taps of {name} do not sum to 1: {total} ({reason})")
        taps_rows.append([name, "1", reason])
    d.table(["discrete translation (s = 1/2 unless stated)", "sum of taps", "certificate"], taps_rows)

    # --- an exact counterexample that is also a square S F = F S --------------------------
    witness_entry = rhs[2]
    d.require(certify_sign(witness_entry) == 1, "the witness entry is not certified positive")
    d.text("As a square with g = F_{1/2} (which maps f^h(0) to f^h(dx/2c) exactly): "
           "S(F_{1/2} u) = S(f^h(dx/2c)) = 0, while F_{1/2} S(u) = v F_{1/2} e_2 with v =", v,
           "(only entry 2 of S(u) is nonzero). Its entries, with their certified signs:")
    rhs_signs = [certify_sign(e, budget=10) for e in rhs.flat_exprs()]
    d.table(["j", "(F_{1/2} S(u))_j", "sign"], [[k, e, sg] for k, (e, sg) in enumerate(zip(rhs.flat_exprs(), rhs_signs))])
    d.text("Entry 2 is", witness_entry, "> 0 (certified), so F_{1/2} S(u) != 0 = S(F_{1/2} u).")

    # --- z3 on the generic square with the linear half-cell shift --------------------------
    smt = _expect(d, decide(Square(RELU_STEPPER, shift(HALF, method="linear"), input_shape=N), budget=20),
                   "counterexample", "ReLU stepper with the half-cell linear shift")
    d.text("Independently, for every real input (not only Figure 2's), symequi.deciders.decide sends the square "
           "S T = T S with T the half-cell linear-interpolation shift to z3, which returns an exact "
           "rational counterexample (checked by running the layers):")
    d.verdict(smt)
    d.text("Contrast (claim c7-fractional-linear): the linear upwind step alone commutes with both half-cell "
           "shifts; it is the nonlinearity acting on the grid values that breaks the half-cell "
           "equivariance, while whole-cell shifts still commute (claim c7-integer).")

    return Counterexample(
        "S(u) = ReLU(U_{1/2} u - 7/8) commutes with the half-cell translation of the solution, i.e. "
        "S(D[f0(x - dx/2)]) = F_{1/2} S(D f0) with D[f0(x - dx/2)] = F_{1/2} D f0 (Figure 2 data, N = 8)",
        refuted_statement=Phrase(
            "S(u) = ReLU(U_{1/2} u - 7/8) does not commute with the half-cell translation of the solution: "
            "S(D[f0(x - dx/2)]) != F_{1/2} S(D f0) although D[f0(x - dx/2)] = F_{1/2} D f0 (Figure 2 data, N = 8)",
            r"$S(u) = \mathrm{ReLU}(U_{1/2} u - \tfrac78)$ does not commute with the half-cell translation of the "
            r"solution: $S(\mathcal{D}[f_0(x - \Delta x/2)]) \neq F_{1/2} S(\mathcal{D} f_0)$ although "
            r"$\mathcal{D}[f_0(x - \Delta x/2)] = F_{1/2} \mathcal{D} f_0$ (the paper's second figure's data, "
            r"$N = 8$)"),
        input=u0, lhs=Signal([out1[2]]), rhs=Signal([witness_entry]),
        functions={"f0": data["f0"], "f0(x - dx/2)": data["f_t"]},
        decider="derivation",
        conventions=_COMMON_CONVENTIONS[1:] + (Phrase("Fourier shift F_{1/2}: band-limited, even N splits the "
                                                      "Nyquist bin",
                                                      r"Fourier shift $F_{1/2}$: band-limited, even $N$ splits the "
                                                      "Nyquist bin"),),
        details={"method": "exact evaluation with certified signs; smt for the linear-interpolation square",
                 "cells shown": Phrase(
                     "lhs = S(F_{1/2} u) and rhs = F_{1/2} S(u) at cell j = 2 (lhs is 0 at every cell; "
                     "the full rhs is tabulated in the derivation)",
                     r"lhs $= S(F_{1/2} u)$ and rhs $= F_{1/2} S(u)$ at cell $j = 2$ (lhs is $0$ at every cell; "
                     "the full rhs is tabulated in the derivation)"),
                 Phrase("S(D f0) sum", r"sum of $S(\mathcal{D} f_0)$"): v,
                 Phrase("no linear g", "no linear $g$"): Phrase(
                     "sum-preserving or injective g cannot map S(D f0) != 0 to S(D[f0(x - dx/2)]) = 0",
                     r"a sum-preserving or injective $g$ cannot map $S(\mathcal{D} f_0) \neq 0$ to "
                     r"$S(\mathcal{D}[f_0(x - \Delta x/2)]) = 0$"),
                 "smt counterexample input": smt.input},
    )


if __name__ == "__main__":
    import sys

    from symequi.cli import main

    sys.exit(main(["prove", __file__]))
