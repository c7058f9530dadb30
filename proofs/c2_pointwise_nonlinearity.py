"""Paper claim C2: pointwise nonlinearities, hence convolutional layers, are shift equivariant.

Two claims:

* ``c2-pointwise``: ``sigma(T_l b) = T_l sigma(b)`` for ANY function sigma
  applied entrywise, with periodic indices (derivation with an undefined
  sympy function; exact check for N <= 8, every shift).  With the zero-fill
  shift the same holds only when sigma(0) = 0 (shown, with a bias as the
  exact counterexample);
* ``c2-convolutional-layer``: the layer ``sigma(C[a, b] + c)`` with periodic
  convolution is shift equivariant (exact check with symbolic kernel, bias,
  signal and undefined sigma; and the SMT decider for ReLU at N = 64).
"""

from __future__ import annotations

import sympy

from _common import SHIFT, identical, kernel_symbols, signal_symbols
from symequi.layers.activations import Bias, Pointwise, ReLU
from symequi.report.claims import claim
from symequi.layers.convolution import Convolution
from symequi.deciders.dispatch import decide
from symequi.delta.edge_detection import figure1_layer
from symequi.report.derivation import Derivation, Tex
from symequi.core.operator import Sequential
from symequi.core.signal import Signal
from symequi.core.square import Square
from symequi.core.texescape import Phrase
from symequi.translations import shift
from symequi.core.verdict import Counterexample, Proved, Verdict

MAX_N = 8          # sigma alone: every N = 1..MAX_N
MAX_N_LAYER = 8    # the symbolic layer: every N = 1..MAX_N_LAYER
SMT_N = 64         # the ReLU layer under the SMT decider

_t = sympy.Symbol("t", real=True)
SIGMA = sympy.Function("sigma")
POINTWISE = Phrase("pointwise nonlinearity: (sigma(b))_j = sigma(b_j), sigma: R -> R any function",
                   r"pointwise nonlinearity: $(\sigma(b))_j = \sigma(b_j)$, $\sigma\colon \mathbb{R} \to \mathbb{R}$ "
                   "any function")
PERIODIC = Phrase("periodic boundary: indices mod N", "periodic boundary: indices mod $N$")


def _sigma_layer() -> Pointwise:
    """sigma applied entrywise, sigma an undefined sympy function (so: any function)."""
    return Pointwise(sympy.Lambda(_t, SIGMA(_t)))


@claim("c2-pointwise", "C2: Pointwise nonlinearities commute with integer shifts",
       statement="C2: for every function sigma: R -> R applied entrywise, every N >= 1, every b in R^N and every "
       "integer l, sigma(T_l b) = T_l sigma(b) with (T_l b)_j = b_{j-l}, indices mod N; machine-checked with "
       "an undefined function sigma and symbolic b for every N <= 8 and 0 <= l < N",
       latex=(r"For every function $\sigma\colon \mathbb{R} \to \mathbb{R}$ applied entrywise, every $N \ge "
              r"1$, every $b \in \mathbb{R}^N$ and every integer $l$, $\sigma(T_l b) = T_l\, \sigma(b)$, "
              r"where $(T_l b)_j = b_{j-l}$, indices mod $N$. Machine-checked with an undefined function "
              r"$\sigma$ and symbolic $b$ for every $N \le 8$ and $0 \le l < N$."),
       expect="proved", budget=60, tags=("paper", "C2"))
def c2_pointwise(d: Derivation) -> Verdict:
    conventions = (POINTWISE, SHIFT, PERIODIC)
    for c in conventions:
        d.convention(c)
    d.text("General argument. A pointwise nonlinearity acts on each entry alone, and a shift only moves "
           "entries, so for every j:")
    d.equation(Tex(r"(\sigma(T_l b))_j", text="(sigma(T_l b))_j"),
               Tex(r"\sigma((T_l b)_j)", text="sigma((T_l b)_j)"),
               Tex(r"\sigma(b_{j-l})", text="sigma(b_{j-l})"),
               Tex(r"(\sigma(b))_{j-l}", text="(sigma(b))_{j-l}"),
               Tex(r"(T_l\, \sigma(b))_j", text="(T_l sigma(b))_j"))
    d.text("No property of sigma is used (not continuity, not monotonicity, not sigma(0) = 0): the identity "
           "holds for every function.")
    d.text("Machine check. sigma is an undefined sympy function (sympy knows nothing about it, so an identity "
           "it proves holds for every sigma); b = (b_0, ..., b_{N-1}) is symbolic.")
    layer = _sigma_layer()
    rows = []
    for n in range(1, MAX_N + 1):
        b = Signal(signal_symbols(n))
        for l in range(n):
            left, right = layer(shift(l)(b)), shift(l)(layer(b))
            if not identical(left, right):
                return Counterexample(d.title, input=b, lhs=left, rhs=right, decider="symbolic",
                                      conventions=conventions)
        rows.append([n, f"0..{n - 1}", "identical"])
    d.table(["N", "shifts l", "sigma(T_l b) vs T_l sigma(b)"], rows)
    b4 = Signal(signal_symbols(4))
    d.equation(Tex(r"\sigma(T_1 b)", text="sigma(T_1 b)"), layer(shift(1)(b4)),
               Tex(r"T_1\, \sigma(b)", text="T_1 sigma(b)"), label="N = 4")

    d.text("Boundary caveat. With the zero-fill shift (entries shifted in from outside are 0) the vacated "
           "entry is sigma(0) on the left path and 0 on the right path, so the identity needs sigma(0) = 0:")
    zeros = shift(1, boundary="zeros")
    left, right = layer(zeros(b4)), zeros(layer(b4))
    d.equation(Tex(r"\sigma(T_1 b) - T_1\,\sigma(b)", text="sigma(T_1 b) - T_1 sigma(b)"),
               (left - right).map(sympy.expand), label="zero fill")
    relu = decide(Square(ReLU(), zeros, input_shape=4))
    lemma = decide(Square(Bias(-1), zeros, input_shape=4))
    d.text("ReLU has ReLU(0) = 0 and commutes with the zero-fill shift; a bias b -> b - 1 "
           "(the affine map sigma(v) = v - 1, sigma(0) = -1) does not. The deciders answer:")
    d.verdict(relu)
    d.verdict(lemma)
    d.require(relu.proved and lemma.refuted, f"the zero-fill caveat was expected to give proved (ReLU) and a "
                                             f"counterexample (bias), got {relu.kind} and {lemma.kind}")
    return Proved(d.title, holds_for=f"every function sigma and every N (argument); machine-checked for "
                                     f"N <= {MAX_N}, every l, with an undefined sigma",
                  decider="symbolic", conventions=conventions)


def _smt_cases() -> list[tuple[str, Sequential]]:
    return [
        ("kernel [2, -2], origin -1, bias -1 (Figure 1's layer)", figure1_layer(padding="periodic")),
        ("kernel [1/3, -1/2, 5/7], origin -1, bias 1/4",
         Sequential(Convolution(["1/3", "-1/2", "5/7"], origin=-1, padding="periodic"), Bias("1/4"), ReLU())),
    ]


@claim("c2-convolutional-layer", "C2: A periodic convolutional layer commutes with integer shifts",
       statement="C2: the convolutional layer L(b) = sigma(C[a, b] + c) (C_j[a, b] = sum_k a_k b_{j-k} with indices mod N, "
       "bias c, sigma entrywise) satisfies L(T_l b) = T_l L(b) for every kernel a, bias c, function sigma, "
       "N >= 1, b in R^N and integer l; machine-checked with symbolic a, c, b and an undefined sigma for "
       "N <= 8 (every kernel length, origin and shift), and for sigma = ReLU with two rational kernels at "
       "N = 64 and shifts l = 1, 5, 32 by the SMT decider (every real input; every l follows from l = 1 "
       "since T_l = (T_1)^l)",
       latex=(r"The layer $L(b) = \sigma(C[a, b] + c)$, with $C_j[a, b] = \sum_k a_k b_{j-k}$ (indices mod "
              r"$N$), bias $c$ and $\sigma$ entrywise, satisfies $L(T_l b) = T_l\, L(b)$ for every kernel "
              r"$a$, bias $c$, function $\sigma$, $N \ge 1$, $b \in \mathbb{R}^N$ and integer $l$. "
              r"Machine-checked with symbolic $a, c, b$ and an undefined $\sigma$ for $N \le 8$ (every "
              r"kernel length, origin and shift), and for $\sigma = \mathrm{ReLU}$ with two rational kernels"
              r" at $N = 64$ and $l \in \{1, 5, 32\}$ by the SMT decider (every real input; every $l$ "
              r"follows from $l = 1$ since $T_l = T_1^l$)."),
       expect="proved", budget=60, tags=("paper", "C2"))
def c2_layer(d: Derivation) -> Verdict:
    conventions = (Phrase("convolution C_j[a, b] = sum_k a_k b_{j-k} (paper eq. 3), kernel origin o (taps k = o..o+K-1)",
                          r"convolution $C_j[a, b] = \sum_k a_k b_{j-k}$ (paper eq.~3), kernel origin $o$ "
                          r"(taps $k = o, \dots, o+K-1$)"),
                   PERIODIC, Phrase("bias: adds the constant c to every entry", "bias: adds the constant $c$ to every entry"),
                   POINTWISE, SHIFT)
    for c in conventions:
        d.convention(c)
    d.text("General argument, from C1 (the convolution commutes with T_l), the bias (a constant signal is "
           "fixed by every periodic shift: T_l(v + c) = T_l v + c) and c2-pointwise:")
    d.equation(Tex(r"L(T_l b)", text="L(T_l b)"),
               Tex(r"\sigma(\mathcal{C}[a, T_l b] + c)", text="sigma(C[a, T_l b] + c)"),
               Tex(r"\sigma(T_l\,\mathcal{C}[a, b] + c)", text="sigma(T_l C[a, b] + c)"),
               Tex(r"\sigma(T_l(\mathcal{C}[a, b] + c))", text="sigma(T_l (C[a, b] + c))"),
               Tex(r"T_l\,\sigma(\mathcal{C}[a, b] + c)", text="T_l sigma(C[a, b] + c)"),
               Tex(r"T_l\, L(b)", text="T_l L(b)"))

    d.text("Machine check 1 (any sigma). Symbolic taps, symbolic bias c, symbolic signal, undefined sigma; "
           "both paths compared as expressions (sympy canonical form inside sigma):")
    c = sympy.Symbol("c", real=True)
    rows = []
    total = 0
    for n in range(1, MAX_N_LAYER + 1):
        b = Signal(signal_symbols(n))
        count = 0
        for taps in range(1, n + 1):
            for origin in range(-(taps - 1), 1):
                layer = Sequential(Convolution(kernel_symbols(taps, origin), origin=origin, padding="periodic"),
                                   Bias(c), _sigma_layer())
                out = layer(b)
                for l in range(n):
                    left, right = layer(shift(l)(b)), shift(l)(out)
                    if not identical(left, right):
                        return Counterexample(d.title, input=b, lhs=left, rhs=right, decider="symbolic",
                                              conventions=conventions, details={"N": n, "K": taps, "l": l})
                    count += 1
        total += count
        rows.append([n, count, "identical"])
    d.table(["N", "cases (K, o, l)", "L(T_l b) vs T_l L(b)"], rows, caption=f"{total} cases.")
    n, l = 4, 1
    layer = Sequential(Convolution(kernel_symbols(2, -1), origin=-1, padding="periodic"), Bias(c), _sigma_layer())
    b = Signal(signal_symbols(n))
    d.text(f"For example N = {n}, taps a_-1, a_0, l = {l}:")
    d.equation(Tex(r"L(T_1 b)", text="L(T_1 b)"), layer(shift(l)(b)))
    d.equation(Tex(r"T_1\, L(b)", text="T_1 L(b)"), shift(l)(layer(b)))

    d.text(f"Machine check 2 (ReLU, N = {SMT_N}). The SMT decider encodes both paths for a vector of "
           f"{SMT_N} real unknowns and asks z3 whether any output entry can differ; unsat is a proof for every "
           "real input. Since T_l = (T_1)^l, L T_1 = T_1 L already gives L T_l = T_l L for every l by "
           "induction; other shifts are decided too.")
    rows = []
    deciders = set()
    for name, layer in _smt_cases():
        for l in (1, 5, SMT_N // 2):
            v = decide(Square(layer, shift(l), input_shape=SMT_N), method="smt")
            if not v.proved:
                d.verdict(v)
                d.require(v.refuted, f"{name}, l = {l}: {getattr(v, 'reason', v.kind)}")
                return v
            deciders.add(v.decider)
            rows.append([name, l, v.kind, v.decider, v.details.get("method", "")])
    d.table(["ReLU layer", "l", "verdict", "decider", "how chosen"], rows)
    return Proved(d.title, holds_for=(f"every kernel, bias, sigma and N (argument); {total} symbolic cases "
                                      f"(N <= {MAX_N_LAYER}); ReLU at N = {SMT_N} for every real input"),
                  decider="derivation", conventions=conventions,
                  details={"method": "symbolic + " + " + ".join(sorted(deciders)),
                           "symbolic cases": total, "smt squares": len(rows)})


if __name__ == "__main__":
    import sys

    from symequi.cli import main

    sys.exit(main(["prove", __file__]))
