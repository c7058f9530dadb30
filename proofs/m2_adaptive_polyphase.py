r"""Adaptive polyphase sampling (Chaman & Dokmanic 2021): when downsampling is truly shift invariant.

APS with stride 2 keeps the polyphase component ``x[0::2]`` or ``x[1::2]`` of a circular signal
whose norm is larger (l1: sum |x|; l2: sum x**2), **the lowest index on ties**
(:class:`symequi.layers.AdaptivePolyphaseSampling`).  The key fact, for the circular shift
``(S_l x)_j = x_{j-l}`` (indices mod N): ``(S_1 x)[0::2] = S_1(x[1::2])`` and ``(S_1 x)[1::2] = x[0::2]``,
so a shift by one swaps the components (one of them shifted) and swaps their norms.

* ``m2-aps-stride``: ``APS(S_2 x) = S_1 APS(x)`` for every real input, ties included (l1 and l2,
  N = 4, 6, 8): the square of stride equivariance;
* ``m2-aps-l1-invariant``, ``m2-aps-l2-invariant``: APS followed by a shift-invariant head (global
  max pooling, global average pooling) is invariant under every circular integer shift, for every
  real input **without a tie** (the two components' norms differ), N = 4, 6, 8: proved by z3 with
  the no-tie condition (``decide_smt(..., where=aps.tie_margins())``); no tie rule is used;
* ``m2-aps-l1-tie``, ``m2-aps-l2-tie``: with ties, the fixed rule "lowest index wins" breaks the
  invariance: exact witnesses, checked by hand in the text;
* ``m2-aps-half-pixel``: APS is not invariant under the half-pixel linear-interpolation shift, even
  on inputs without ties: an exact witness.
"""

from __future__ import annotations

from typing import Any

import sympy

import symequi as se
from symequi.core.signal import Signal
from symequi.core.texescape import Phrase
from symequi.core.verdict import Counterexample, Proved, Verdict
from symequi.deciders.smt import decide_smt
from symequi.layers import AdaptivePolyphaseSampling, AvgPool, MaxPool
from symequi.report.claims import claim
from symequi.report.derivation import Derivation, Tex

from _common import identical, signal_symbols

SIZES = (4, 6, 8)
NORMS = ("l1", "l2")
CONVENTIONS = (
    Phrase("circular signals of length N (even); integer shift (S_l x)_j = x_{j-l}, indices mod N",
           r"circular signals of length $N$ (even); integer shift $(S_l x)_j = x_{j-l}$, indices mod $N$"),
    Phrase("polyphase components x_0 = x[0::2] = (x_0, x_2, ...), x_1 = x[1::2] = (x_1, x_3, ...)",
           r"polyphase components $\mathbf{x}_0 = (x_0, x_2, \dots)$ and $\mathbf{x}_1 = (x_1, x_3, \dots)$"),
    Phrase("APS keeps the component of larger norm (l1: sum |x|; l2: sum x^2, the squared norm, same order); "
           "tie rule: the lowest index wins (x[0::2])",
           r"APS keeps the component of larger norm ($\ell_1$: $\sum |x_i|$; $\ell_2$: $\sum x_i^2$, the squared "
           r"norm, same order); tie rule: the lowest index wins ($\mathbf{x}_0$)"),
    Phrase("global heads: max pooling M(y) = max_m y_m, average pooling A(y) = (2/N) sum_m y_m over the N/2 outputs",
           r"global heads: max pooling $M(y) = \max_m y_m$, average pooling $A(y) = \frac{2}{N} \sum_m y_m$ over "
           r"the $N/2$ outputs"),
)


def _setup(d: Derivation) -> None:
    for c in CONVENTIONS:
        d.convention(c)


def _expect(d: Derivation, verdict: Verdict, kind: str, what: str) -> Verdict:
    d.require(verdict.kind == kind, f"{what}: expected {kind}, got {verdict.kind}:\n{verdict.text()}")
    return verdict


def _heads(n: int) -> list[tuple[str, se.Operator]]:
    return [("global max", MaxPool(n // 2)), ("global average", AvgPool(n // 2))]


def _swap_lemma(d: Derivation, n: int) -> None:
    """Symbolic check for every N of SIZES: the components of S_1 x are (S_1 x_1, x_0), so their norms
    are swapped; shown for ``n``."""
    for size in SIZES:
        b = signal_symbols(size)
        moved = se.shift(1)(Signal(b)).flat_exprs()
        d.require(identical(Signal(moved[0::2]), se.shift(1)(Signal(b[1::2]))),
                  f"(S_1 x)[0::2] is not S_1(x[1::2]) for N = {size}")
        d.require(identical(Signal(moved[1::2]), Signal(b[0::2])), f"(S_1 x)[1::2] is not x[0::2] for N = {size}")
    b = signal_symbols(n)
    moved = se.shift(1)(Signal(b))
    half = n // 2
    d.text(f"Lemma (generic real symbols b_j; checked as identities of expressions for N = "
           f"{', '.join(map(str, SIZES))}, shown for N = {n}): the components of the shifted signal are")
    d.equation(Tex(r"(S_1 b)[0{:}{:}2]", "(S_1 b)[0::2]"), Signal(moved.flat_exprs()[0::2]),
               Tex(r"S_1(b[1{:}{:}2])", "S_1(b[1::2])"))
    d.equation(Tex(r"(S_1 b)[1{:}{:}2]", "(S_1 b)[1::2]"), Signal(moved.flat_exprs()[1::2]),
               Tex(r"b[0{:}{:}2]", "b[0::2]"))
    d.text(f"A circular shift of the {half} entries permutes them, so it keeps every norm: the norms of the "
           "two components of S_1 b are those of b, swapped.")


# ---------------------------------------------------------------------------------------------
# the stride square: APS(S_2 x) = S_1 APS(x), ties included
# ---------------------------------------------------------------------------------------------
@claim("m2-aps-stride", "M2: APS commutes with a shift by the stride",
       statement="adaptive polyphase sampling with stride 2 (l1 and l2, ties to the lowest index) satisfies "
       "APS(S_2 x) = S_1 APS(x) for every real input x of length N = 4, 6, 8, ties included",
       latex=(r"For $\mathrm{APS}$ with stride $2$ and the $\ell_1$ or $\ell_2$ criterion (ties to the lowest "
              r"index) and every $x \in \mathbb{R}^N$, $N \in \{4, 6, 8\}$: "
              r"$\mathrm{APS}(S_2 x) = S_1\, \mathrm{APS}(x)$."),
       expect="proved", budget=60, tags=("models", "aps"))
def aps_stride(d: Derivation) -> Verdict:
    _setup(d)
    d.text("A shift by 2 shifts each component by one place, (S_2 x)[k::2] = S_1(x[k::2]), and keeps both norms, "
           "so the same index is chosen (also on a tie: the rule only looks at the norms and the index). "
           "z3 checks the square on every real input:")
    rows = []
    last: Verdict | None = None
    for norm in NORMS:
        for n in SIZES:
            aps = AdaptivePolyphaseSampling(norm)
            last = _expect(d, decide_smt(se.Square(aps, se.shift(2), g_out=se.shift(1), input_shape=n),
                                         nonlinear=True, budget=20), "proved", f"{norm}, N = {n}")
            rows.append([norm, n, last.kind, last.details.get("solver", "")])
    d.table(["criterion", "N", "verdict", "solver"], rows)
    assert last is not None
    d.verdict(last)
    return Proved("APS(S_2 x) = S_1 APS(x) for adaptive polyphase sampling with stride 2 (l1 and l2)",
                  holds_for="every real input of length N = 4, 6, 8, ties included",
                  decider="smt", conventions=CONVENTIONS,
                  details={"method": Phrase("z3 on each square (linear real arithmetic for l1, nonlinear for l2)",
                                            r"z3 on each square (linear real arithmetic for $\ell_1$, "
                                            r"nonlinear for $\ell_2$)")})


# ---------------------------------------------------------------------------------------------
# invariance without ties
# ---------------------------------------------------------------------------------------------
def _invariance(d: Derivation, norm: str) -> Verdict:
    _setup(d)
    _swap_lemma(d, 4)
    d.text("Proof idea. If ||x_0|| > ||x_1||, then APS(x) = x_0 and, the norms being swapped, APS(S_1 x) keeps "
           "component 1 of S_1 x, which is x_0 again. If ||x_1|| > ||x_0||, then APS(x) = x_1 and APS(S_1 x) = "
           "S_1 x_1, a circular shift of it. Either way APS(S_1 x) is a circular shift of APS(x) "
           "(Chaman and Dokmanic's statement), which a global max or average does not see. S_1 x has no tie when "
           "x has none, so shifts by l follow by induction; the tie rule is never used. z3 decides every square "
           "H(APS(S_l x)) = H(APS(x)), l = 1..N-1, on the real inputs with no tie (every entry of the tie "
           "margins |n_0 - n_1| positive):")
    rows = []
    last: Verdict | None = None
    for n in SIZES:
        aps = AdaptivePolyphaseSampling(norm)
        for head_name, head in _heads(n):
            net = se.Sequential(aps, head)
            for s in range(1, n):
                last = _expect(d, decide_smt(se.Square(net, se.shift(s), g_out=se.shift(0), input_shape=n),
                                             nonlinear=True, where=aps.tie_margins(), budget=20),
                               "proved", f"{norm}, {head_name}, N = {n}, shift {s}")
            rows.append([n, head_name, f"1..{n - 1}", "proved (no tie)"])
    d.table(["N", "head", "shifts l", "verdict"], rows)
    assert last is not None
    d.text(f"Each of these {sum(2 * (n - 1) for n in SIZES)} squares is proved by z3 "
           f"({last.details.get('solver', '')}) for every real input of its length whose tie margin is positive. "
           f"The last one, N = {SIZES[-1]}, l = {SIZES[-1] - 1}, global average: {last.holds_for}.")
    return Proved(f"adaptive polyphase sampling ({norm}, stride 2) followed by a global max or average pooling is "
                  "invariant under every circular integer shift",
                  holds_for="every real input of length N = 4, 6, 8 whose two polyphase components have different "
                            f"{norm} norms (no tie); no tie rule is needed",
                  decider="smt", conventions=CONVENTIONS,
                  details={"method": Phrase("z3 on each square with where = the tie margins |n_0 - n_1| > 0",
                                            r"z3 on each square restricted to the tie margins $|n_0 - n_1| > 0$")})


@claim("m2-aps-l1-invariant", "M2: APS (l1) + global pooling is shift invariant without ties",
       statement="adaptive polyphase sampling (stride 2, l1) followed by global max or average pooling is invariant "
       "under every circular integer shift, for every real input of length N = 4, 6, 8 whose two polyphase "
       "components have different l1 norms (no tie)",
       latex=(r"Let $H$ be the global maximum or the global average and $x_k = x[k{:}{:}2]$. For $N \in "
              r"\{4, 6, 8\}$, every integer $l$ and every $x \in \mathbb{R}^N$ with $\|x_0\|_1 \ne \|x_1\|_1$: "
              r"$H(\mathrm{APS}_{\ell_1}(S_l x)) = H(\mathrm{APS}_{\ell_1}(x))$."),
       expect="proved", budget=60, tags=("models", "aps"))
def aps_l1_invariant(d: Derivation) -> Verdict:
    return _invariance(d, "l1")


@claim("m2-aps-l2-invariant", "M2: APS (l2) + global pooling is shift invariant without ties",
       statement="adaptive polyphase sampling (stride 2, l2) followed by global max or average pooling is invariant "
       "under every circular integer shift, for every real input of length N = 4, 6, 8 whose two polyphase "
       "components have different l2 norms (no tie)",
       latex=(r"With $H$ and $x_k$ as above, for $N \in \{4, 6, 8\}$, every integer $l$ and every $x \in "
              r"\mathbb{R}^N$ with $\|x_0\|_2 \ne \|x_1\|_2$: "
              r"$H(\mathrm{APS}_{\ell_2}(S_l x)) = H(\mathrm{APS}_{\ell_2}(x))$."),
       expect="proved", budget=60, tags=("models", "aps"))
def aps_l2_invariant(d: Derivation) -> Verdict:
    return _invariance(d, "l2")


# ---------------------------------------------------------------------------------------------
# ties: the rule "lowest index wins" breaks the invariance
# ---------------------------------------------------------------------------------------------
#: The hand witnesses (N = 4): x_0 and x_1 tie, their maxima differ.
TIE_WITNESS = {"l1": [2, 1, 0, 1], "l2": [1, 0, 0, -1]}


def _tie(d: Derivation, norm: str) -> Verdict:
    _setup(d)
    u = TIE_WITNESS[norm]
    n = len(u)
    aps = AdaptivePolyphaseSampling(norm)
    net = se.Sequential(aps, MaxPool(n // 2))
    square = se.Square(net, se.shift(1), g_out=se.shift(0), input_shape=n)
    x0, x1 = u[0::2], u[1::2]
    moved = u[-1:] + u[:-1]
    measure = (lambda v: sum(abs(t) for t in v)) if norm == "l1" else (lambda v: sum(t * t for t in v))
    d.text(f"By hand, N = {n}, criterion {norm}: x =", Signal(u), "has components x_0 =", Signal(x0),
           "and x_1 =", Signal(x1), f"with equal norms {measure(x0)} = {measure(x1)}: a tie, so APS(x) = x_0 and "
           f"M(APS(x)) = max x_0 = {max(x0)}. The shifted signal S_1 x =", Signal(moved),
           "has components", Signal(moved[0::2]), "and", Signal(moved[1::2]), "(S_1 x_1 and x_0), again tied, "
           f"so APS(S_1 x) = S_1 x_1 and M(APS(S_1 x)) = {max(moved[0::2])}.")
    d.require(measure(x0) == measure(x1) and max(x0) != max(x1), "the hand witness is not a tie with different maxima")
    witness = square.witness(u, decider="exact")
    d.require(isinstance(witness, Counterexample), "the layers do not separate the two paths on the hand witness")
    assert isinstance(witness, Counterexample)
    d.require(witness.lhs == Signal([max(moved[0::2])]) and witness.rhs == Signal([max(x0)]),
              "the layers disagree with the hand computation")
    found = decide_smt(square, nonlinear=True, budget=20)
    d.require(found.is_counterexample, f"z3 found no counterexample without the no-tie condition: {found.kind}")
    assert isinstance(found, Counterexample)
    z = found.input.to_fractions()
    d.require(measure(z[0::2]) == measure(z[1::2]), "z3's counterexample is not a tie")
    d.text("Without the no-tie condition z3 also refutes the square; its witness", found.input,
           "is a tie as well, as the invariance claims predict. A rule that looks only at the norms and the "
           "index cannot be shift invariant on ties: S_1 exchanges the components and the index rule does not "
           "follow them.")
    return witness


@claim("m2-aps-l1-tie", "M2: with ties, APS (l1) + global max pooling is not shift invariant",
       statement="adaptive polyphase sampling (stride 2, l1, ties to the lowest index) followed by global max "
       "pooling is invariant under the circular shift by 1 on every real input of length 4, ties included",
       latex=(r"For every $x \in \mathbb{R}^4$ (ties included, broken by the lowest index), "
              r"$\max \mathrm{APS}_{\ell_1}(S_1 x) = \max \mathrm{APS}_{\ell_1}(x)$ (refuted by an exact witness)."),
       expect="refuted", budget=60, tags=("models", "aps"))
def aps_l1_tie(d: Derivation) -> Verdict:
    return _tie(d, "l1")


@claim("m2-aps-l2-tie", "M2: with ties, APS (l2) + global max pooling is not shift invariant",
       statement="adaptive polyphase sampling (stride 2, l2, ties to the lowest index) followed by global max "
       "pooling is invariant under the circular shift by 1 on every real input of length 4, ties included",
       latex=(r"For every $x \in \mathbb{R}^4$ (ties included, broken by the lowest index), "
              r"$\max \mathrm{APS}_{\ell_2}(S_1 x) = \max \mathrm{APS}_{\ell_2}(x)$ (refuted by an exact witness)."),
       expect="refuted", budget=60, tags=("models", "aps"))
def aps_l2_tie(d: Derivation) -> Verdict:
    return _tie(d, "l2")


# ---------------------------------------------------------------------------------------------
# half-pixel shifts
# ---------------------------------------------------------------------------------------------
#: The hand witness (N = 8): no tie before or after the half-pixel shift.
HALF_WITNESS = [2, -1, 0, 0, 0, 0, 0, 0]


@claim("m2-aps-half-pixel", "M2: APS + global average pooling is not half-pixel shift invariant",
       statement="adaptive polyphase sampling (stride 2, l1 or l2) followed by global average pooling is invariant "
       "under the half-pixel linear-interpolation shift (x_j + x_{j-1})/2, circular, N = 8, on inputs without ties",
       latex=(r"Let $L_{1/2}$ be the circular linear-interpolation shift by half a pixel, $(L_{1/2} x)_j = "
              r"(x_j + x_{j-1})/2$, and $A$ the global average. For every $x \in \mathbb{R}^8$ without a tie, "
              r"$A(\mathrm{APS}(L_{1/2} x)) = A(\mathrm{APS}(x))$ (refuted by an exact witness, for $\ell_1$ "
              r"and $\ell_2$)."),
       expect="refuted", budget=60, tags=("models", "aps"))
def aps_half_pixel(d: Derivation) -> Verdict:
    _setup(d)
    d.convention("half-pixel shift: linear interpolation, (L x)_j = (x_j + x_{j-1})/2, indices mod N "
                 "(symequi.shift('1/2', method='linear'))",
                 latex=r"half-pixel shift: linear interpolation, $(L x)_j = (x_j + x_{j-1})/2$, indices mod $N$ "
                       r"(symequi's shift by $\tfrac12$ with the linear method)")
    u = HALF_WITNESS
    n = len(u)
    half = [sympy.Rational(u[j] + u[j - 1], 2) for j in range(n)]
    d.text("By hand: x =", Signal(u), "has components x_0 =", Signal(u[0::2]), "and x_1 =", Signal(u[1::2])
           , "(l1 norms 2 > 1, l2 norms 4 > 1), so APS(x) = x_0 and its average is 2/4 = 1/2. The half-pixel shift "
           "gives L x =", Signal(half), "with components", Signal(half[0::2]), "and", Signal(half[1::2]),
           "(l1 norms 3/2 > 1/2, l2 norms 5/4 > 1/4): APS(L x) keeps", Signal(half[0::2]),
           "whose average is 1/8, not 1/2. No tie occurs on either path.")
    results: dict[str, Any] = {}
    for norm in NORMS:
        aps = AdaptivePolyphaseSampling(norm)
        square = se.Square(se.Sequential(aps, AvgPool(n // 2)), se.shift("1/2", method="linear"),
                           g_out=se.shift(0), input_shape=n)
        margins = aps.tie_margins()
        d.require(all(e > 0 for e in margins(Signal(u)).flat_exprs() + margins(Signal(half)).flat_exprs()),
                  f"the witness has a tie ({norm})")
        witness = square.witness(u, decider="exact")
        d.require(isinstance(witness, Counterexample), f"the layers do not separate the paths ({norm})")
        assert isinstance(witness, Counterexample)
        d.require(witness.lhs == Signal([sympy.Rational(1, 8)]) and witness.rhs == Signal([sympy.Rational(1, 2)]),
                  f"the layers disagree with the hand computation ({norm})")
        results[norm] = witness
    d.text("The layers give the same exact values for both criteria. The defect is not a tie effect: "
           "a half-pixel shift is not a permutation of the samples, so the components are not exchanged; "
           "they are averaged into new ones.")
    return results["l1"]
