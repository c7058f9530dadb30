"""Soundness of verdicts on squares with symbolic parameters (a symbolic shift s in a
stated interval, a symbolic kernel entry), checked by an independent evaluation.

Every verdict is re-checked here, in Fractions, by code written for this test
(the interpolation kernels from their textbook formulas, the convolution
C_j = sum_k a_k u_{j-k}, the activations), never by symequi:

* a Counterexample names a parameter point; the point must lie in the stated
  set, and the two paths evaluated independently at that point on the stated
  input must differ;
* a Proved must hold at many rational points of the stated set, on random
  exact inputs (part (b): each Proved is attacked).

The counts of squares checked are printed in the terminal summary (tests/conftest.py).
"""

from __future__ import annotations

import itertools
import math
import random
from fractions import Fraction as F

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import symequi as se
from symequi.core.assumptions import Assumptions, Interval
from symequi.core.zero import certify_sign, find_nonzero_point, zero_test
from tests.soundness.counts import SQUARES

S = sympy.Symbol("s")
K = sympy.Symbol("k")              # a symbolic kernel entry, any real value
KP = sympy.Symbol("kp", positive=True)  # a symbolic kernel entry assumed positive

COUNTS = SQUARES  # printed by tests/conftest.py in the terminal summary


# --------------------------------------------------------------------------------------
# the independent evaluation (Fractions only)
# --------------------------------------------------------------------------------------
def hat(x: F) -> F:
    """Linear interpolation kernel max(0, 1 - |x|)."""
    return max(F(0), 1 - abs(x))


def keys(x: F) -> F:
    """Keys' cubic convolution kernel, a = -1/2."""
    t = abs(x)
    if t <= 1:
        return F(3, 2) * t**3 - F(5, 2) * t**2 + 1
    if t < 2:
        return -F(1, 2) * t**3 + F(5, 2) * t**2 - 4 * t + 2
    return F(0)


def at(u: list[F], i: int, boundary: str) -> F:
    n = len(u)
    if boundary == "periodic":
        return u[i % n]
    return u[i] if 0 <= i < n else F(0)


def kernel_shift(u: list[F], s: F, kernel, boundary: str) -> list[F]:
    """out_j = sum_m K(m - s) u_{j-m} (support |m - s| < 2 covers both kernels)."""
    base = math.floor(s)
    return [sum((kernel(F(m) - s) * at(u, j - m, boundary) for m in range(base - 3, base + 4)), F(0))
            for j in range(len(u))]


def lagrange_shift(u: list[F], s: F, order: int, boundary: str) -> list[F]:
    """The Lagrange interpolant of order p through the p + 1 samples i with
    t - (p+1)/2 < i <= t + (p+1)/2, evaluated at t = j - s."""
    out = []
    half = F(order + 1, 2)
    for j in range(len(u)):
        t = j - s
        nodes = [i for i in range(math.floor(t - half) - 1, math.ceil(t + half) + 2) if t - half < i <= t + half]
        assert len(nodes) == order + 1
        total = F(0)
        for i in nodes:
            w = F(1)
            for k in nodes:
                if k != i:
                    w *= (t - k) / F(i - k)
            total += w * at(u, i, boundary)
        out.append(total)
    return out


def translate(u: list[F], spec: dict, s: F) -> list[F]:
    method, boundary = spec["method"], spec["boundary"]
    if method == "linear":
        return kernel_shift(u, s, hat, boundary)
    if method == "cubic":
        return kernel_shift(u, s, keys, boundary)
    return lagrange_shift(u, s, spec["order"], boundary)


def convolve(u: list[F], kernel: list[F], boundary: str) -> list[F]:
    """C_j = sum_k a_k u_{j-k}, output as long as the input."""
    return [sum((a * at(u, j - k, boundary) for k, a in enumerate(kernel)), F(0)) for j in range(len(u))]


def activate(u: list[F], name: str) -> list[F]:
    if name == "relu":
        return [max(F(0), v) for v in u]
    if name == "abs":
        return [abs(v) for v in u]
    if name == "square":
        return [v * v for v in u]
    assert name == "affine"
    return [2 * v + 1 for v in u]


def network(u: list[F], spec: dict, values: dict) -> list[F]:
    for layer in spec["layers"]:
        if layer[0] == "conv":
            kernel = [F(int(sympy.fraction(c)[0]), int(sympy.fraction(c)[1])) if not c.free_symbols
                      else _fraction(c.xreplace(values)) for c in layer[1]]
            u = convolve(u, kernel, spec.get("padding", spec["boundary"]))
        else:
            u = activate(u, layer[1])
    return u


def _fraction(value: sympy.Expr) -> F:
    assert value.is_Rational, value
    return F(int(value.p), int(value.q))


def paths(u: list[F], spec: dict, values: dict) -> tuple[list[F], list[F]]:
    s = _fraction(values[S]) if S in values else None
    left = network(translate(u, spec, s) if s is not None else u, spec, values)
    right = network(u, spec, values)
    right = translate(right, spec, s) if s is not None else right
    return left, right


def in_set(spec: dict, values: dict) -> bool:
    """The stated set, independently: s in the open interval, kp > 0, k anything."""
    lo, hi = spec["interval"]
    ok = S not in values or lo < _fraction(values[S]) < hi
    if KP in values:
        ok = ok and _fraction(values[KP]) > 0
    return ok


# --------------------------------------------------------------------------------------
# the symequi square for a spec
# --------------------------------------------------------------------------------------
def build(spec: dict) -> se.Square:
    layers = []
    for layer in spec["layers"]:
        if layer[0] == "conv":
            layers.append(se.Convolution(list(layer[1]), padding=spec.get("padding", spec["boundary"])))
        else:
            layers.append({"relu": se.ReLU(), "abs": se.Abs(), "square": se.PolynomialActivation([0, 0, 1]),
                           "affine": se.PolynomialActivation([1, 2])}[layer[1]])
    op = layers[0] if len(layers) == 1 else se.Sequential(*layers)
    lo, hi = spec["interval"]
    g = se.shift(S, method=spec["method"], boundary=spec["boundary"], order=spec.get("order"),
                 interval=(sympy.Rational(lo.numerator, lo.denominator), sympy.Rational(hi.numerator, hi.denominator)))
    return se.Square(op, g, input_shape=spec["n"])


def decide(square: se.Square) -> se.Verdict:
    if square.is_linear:
        return se.decide(square, method="linear", budget=10)
    return se.decide(square, method="search", max_examples=6, budget=2)


COEFFICIENTS = [sympy.Integer(v) for v in (-2, -1, 0, 1, 2)] + [K, KP, 2 * KP - 1, sympy.Rational(1, 2)]


def random_spec(rng: random.Random) -> dict:
    """A random small square: symbolic shift in a random interval, 1-2 layers."""
    method = rng.choice(["linear", "cubic", "lagrange"])
    spec: dict = {"method": method, "boundary": rng.choice(["periodic", "zeros"]), "n": rng.randint(3, 6)}
    if method == "lagrange":
        spec["order"] = rng.randint(1, 3)
    lo = F(rng.randint(-4, 4), 4)
    spec["interval"] = (lo, lo + F(rng.randint(1, 4), 4))
    spec["padding"] = spec["boundary"] if rng.random() < 0.5 else rng.choice(["periodic", "zeros"])
    layers = []
    for _ in range(rng.randint(1, 2)):
        if rng.random() < 0.5:
            layers.append(("conv", tuple(rng.choice(COEFFICIENTS) for _ in range(rng.randint(1, 3)))))
        else:
            layers.append(("act", rng.choice(["relu", "abs", "square", "affine"])))
    spec["layers"] = layers
    return spec


def parameter_points(spec: dict, symbols: set, rng: random.Random, count: int) -> list[dict]:
    lo, hi = spec["interval"]
    points = []
    for _ in range(count):
        point = {}
        if S in symbols:
            point[S] = sympy.Rational(lo + (hi - lo) * F(rng.randint(1, 63), 64))
        if K in symbols:
            point[K] = sympy.Rational(rng.randint(-12, 12), rng.randint(1, 5))
        if KP in symbols:
            point[KP] = sympy.Rational(rng.randint(1, 12), rng.randint(1, 5))
        points.append(point)
    return points


def check(spec: dict, verdict: se.Verdict, square: se.Square) -> None:
    COUNTS[verdict.kind] += 1
    symbols = {S} | {c for layer in spec["layers"] if layer[0] == "conv" for e in layer[1] for c in e.free_symbols}
    if verdict.is_counterexample:
        values = dict(verdict.parameters or {})
        assert values, f"a counterexample on a symbolic square names no parameter point: {verdict}"
        assert in_set(spec, values), f"the parameter point {values} lies outside the stated set {spec['interval']}"
        u = [_fraction(v) for v in verdict.input.flat_exprs()]
        left, right = paths(u, spec, values)
        assert left != right, f"not reproduced at {values}: {u} gives {left} on both paths ({spec})"
        COUNTS["counterexamples reproduced"] += 1
    elif verdict.is_proved:
        rng = random.Random(7)
        for point in parameter_points(spec, symbols, rng, 8):
            for _ in range(3):
                u = [F(rng.randint(-9, 9), rng.randint(1, 4)) for _ in range(spec["n"])]
                left, right = paths(u, spec, point)
                assert left == right, f"Proved, but at {point} the input {u} gives {left} != {right} ({spec})"
        COUNTS["proofs attacked"] += 1


@pytest.mark.parametrize("batch", range(6))
def test_verdicts_hold_on_the_stated_set(batch: int) -> None:
    """Random squares (seeded, so the run is reproducible: the search decider inside runs
    Hypothesis itself, which cannot nest in an outer @given)."""
    rng = random.Random(1000 + batch)
    for _ in range(5):
        spec = random_spec(rng)
        square = build(spec)
        check(spec, decide(square), square)
        COUNTS["squares"] += 1


# --------------------------------------------------------------------------------------
# zero tests on the set, property-based: piecewise-linear and polynomial functions of s
# --------------------------------------------------------------------------------------
RATIONALS = st.fractions(min_value=-3, max_value=3, max_denominator=4)


@st.composite
def functions_of_s(draw: st.DrawFn) -> list[tuple]:
    """Terms c * kind(a s + b), kind in max0 / abs / min0 / power; evaluated independently."""
    return draw(st.lists(st.tuples(st.sampled_from(["max0", "abs", "min0", "pow"]), RATIONALS, RATIONALS,
                                   RATIONALS, st.integers(1, 2)), min_size=1, max_size=4))


def _sym(terms: list[tuple]) -> sympy.Expr:
    total = sympy.Integer(0)
    for kind, c, a, b, p in terms:
        inner = sympy.Rational(a.numerator, a.denominator) * S + sympy.Rational(b.numerator, b.denominator)
        piece = {"max0": sympy.Max(0, inner), "abs": sympy.Abs(inner), "min0": sympy.Min(0, inner),
                 "pow": inner**p}[kind]
        total += sympy.Rational(c.numerator, c.denominator) * piece
    return total


def _value(terms: list[tuple], s: F) -> F:
    total = F(0)
    for kind, c, a, b, p in terms:
        inner = a * s + b
        total += c * {"max0": max(F(0), inner), "abs": abs(inner), "min0": min(F(0), inner), "pow": inner**p}[kind]
    return total


@settings(max_examples=40, deadline=None)
@given(functions_of_s(), RATIONALS, st.integers(1, 8))
def test_zero_on_the_set_agrees_with_evaluation(terms: list[tuple], lo: F, width: int) -> None:
    hi = lo + F(width, 4)
    a = Assumptions({S: (sympy.Rational(lo.numerator, lo.denominator), sympy.Rational(hi.numerator, hi.denominator))})
    expr = _sym(terms)
    verdict, reason = zero_test(expr, assumptions=a)
    if verdict is True:
        for k in range(1, 40):
            s = lo + (hi - lo) * F(k, 40)
            assert _value(terms, s) == 0, f"zero on ({lo}, {hi}) claimed ({reason}) but nonzero at s = {s}"
        COUNTS["zero on the set (checked at 39 points)"] += 1
    elif verdict is False:
        found = find_nonzero_point([expr], a)
        assert found is not None, reason
        point = _fraction(found[0][S]) if S in found[0] else (lo + hi) / 2   # {}: a constant
        assert lo < point < hi and _value(terms, point) != 0
        COUNTS["nonzero at a point of the set (checked)"] += 1


# --------------------------------------------------------------------------------------
# the quoted ReLU example, and squares true only on the stated set
# --------------------------------------------------------------------------------------
RELU_SPEC = {"method": "linear", "boundary": "periodic", "n": 4, "interval": (F(0), F(1)), "layers": [("act", "relu")]}


def test_relu_linear_shift_nonnegative_input_is_no_witness() -> None:
    """u = [0, 0, 0, 1]: the shift gives [s, 0, 0, 1 - s] >= 0 for s in (0, 1), where ReLU is the
    identity; it used to be reported as a counterexample by substituting s = -1."""
    square = build(RELU_SPEC)
    assert square.witness([0, 0, 0, 1]) is None


def test_relu_linear_shift_is_refuted_inside_the_interval() -> None:
    """By hand: u = [1, -1, 0, 0] gives lhs_1 = ReLU(s - (1 - s)) = max(0, 2s - 1) and
    rhs_1 = s ReLU(1) + (1 - s) ReLU(-1) = s; max(0, 2s - 1) < s on (0, 1): refuted for every s there."""
    square = build(RELU_SPEC)
    witness = square.witness([1, -1, 0, 0])
    assert witness is not None and 0 < witness.parameters[S] < 1
    s = _fraction(witness.parameters[S])
    assert paths([F(1), F(-1), F(0), F(0)], RELU_SPEC, {S: witness.parameters[S]})[0][1] == max(F(0), 2 * s - 1)
    verdict = se.decide(square, max_examples=40)
    assert verdict.is_counterexample
    check(RELU_SPEC, verdict, square)
    assert "assumptions: s in the open interval (0, 1)" in verdict.conventions


def test_square_true_on_the_interval_is_not_refuted() -> None:
    """N = 1, zero boundary: the linear shift is u -> (1 - s) u, and ReLU((1 - s) u) = (1 - s) ReLU(u)
    for every s < 1 (false for s > 1, e.g. the s = 5 the old search substituted)."""
    spec = {"method": "linear", "boundary": "zeros", "n": 1, "interval": (F(0), F(1)), "layers": [("act", "relu")]}
    square = build(spec)
    for u in ([1], [-1], ["1/3"]):
        assert square.witness(u) is None
    verdict = se.decide(square, max_examples=30)
    assert not verdict.is_counterexample
    # the commutator entry for u = [1] is max(0, 1 - s) - (1 - s): zero on (0, 1), not at s = 5
    assert zero_test(sympy.Max(0, 1 - S) - (1 - S), assumptions=square.assumptions)[0] is True
    assert zero_test(sympy.Max(0, 1 - S) - (1 - S))[0] is False


def test_zero_tests_substitute_only_inside_the_set() -> None:
    a = Assumptions({S: (0, 1)})
    assert zero_test(sympy.Max(0, S) - S)[0] is False          # s = -1 is allowed without assumptions
    assert zero_test(sympy.Max(0, S) - S, assumptions=a)[0] is True
    assert zero_test(sympy.Abs(S - 1) + S - 1, assumptions=a)[0] is True
    assert zero_test(sympy.Max(0, 2 * S - 1) - S, assumptions=a)[0] is False
    point, _, value = find_nonzero_point([sympy.Max(0, 2 * S - 1) - S], a)
    assert 0 < point[S] < 1 and value == sympy.Max(0, 2 * point[S] - 1) - point[S] != 0
    # a nonzero polynomial vanishing nowhere useful: certified at a point inside
    b = Assumptions({S: Interval.closed(2, 3)})
    assert zero_test((S - 1) * (S - 4), assumptions=b)[0] is False
    assert certify_sign((S - 1) * (S - 4), assumptions=b) == -1
    assert certify_sign(S - sympy.Rational(1, 2), assumptions=a) is None   # changes sign inside


def test_algebraic_interval_ends_are_respected() -> None:
    r = sympy.sqrt(2)
    a = Assumptions({S: Interval.open(1, r)})
    assert a.contains({S: sympy.Rational(141, 100)}) and not a.contains({S: sympy.Rational(142, 100)})
    for point in a.sample([S], random.Random(1), 10):
        assert 1 < point[S] and point[S] ** 2 < 2
    # Max(0, s^2 - 2) is 0 on (1, sqrt 2): zero on the set, though not identically
    assert zero_test(sympy.Max(0, S**2 - 2), assumptions=a)[0] is True


def test_flags_are_assumptions_too() -> None:
    a = Assumptions()
    t = sympy.Symbol("t", positive=True)
    assert zero_test(sympy.Max(0, t) - t, assumptions=a)[0] is True
    n = sympy.Symbol("n", integer=True)
    points = Assumptions({n: (0, 5)}).sample([n], random.Random(0), 10)
    assert sorted(p[n] for p in points) == [1, 2, 3, 4]


def test_linear_counterexample_names_a_point_and_reproduces() -> None:
    """A zero-boundary linear shift does not commute with a periodic convolution (a zero-padded
    causal one would: both lower-triangular Toeplitz); the witness is a unit input at a point of (0, 1)."""
    spec = {"method": "linear", "boundary": "zeros", "padding": "periodic", "n": 4, "interval": (F(0), F(1)),
            "layers": [("conv", (sympy.Integer(1), sympy.Integer(-2), sympy.Integer(1)))]}
    square = build(spec)
    verdict = se.decide(square)
    assert verdict.is_counterexample and verdict.decider == "linear"
    check(spec, verdict, square)


def test_linear_proof_states_the_set() -> None:
    spec = {"method": "cubic", "boundary": "periodic", "n": 5, "interval": (F(0), F(2)),
            "layers": [("conv", (K, sympy.Integer(-2), sympy.Integer(1)))]}
    square = build(spec)
    verdict = se.decide(square)
    assert verdict.is_proved and "s in the open interval (0, 2)" in verdict.holds_for
    check(spec, verdict, square)


def test_stated_assumptions_are_combined() -> None:
    g = se.shift(S, method="linear")
    square = se.Square(se.ReLU(), g, input_shape=3, assumptions={S: ("1/2", 2)})
    assert square.assumptions.interval_of(S) == Interval.open(sympy.Rational(1, 2), 1)
    with pytest.raises(se.InvalidArgumentError, match="leave no value"):
        se.Square(se.ReLU(), g, input_shape=3, assumptions={S: (2, 3)})


def test_smt_does_not_see_symbols() -> None:
    """The SMT decider refuses symbolic parameters (it never substitutes values)."""
    with pytest.raises(se.InvalidArgumentError):
        se.decide(se.Square(se.ReLU(), se.shift(S, method="linear"), input_shape=3), method="smt")
    with pytest.raises(se.EncodingError):
        se.decide_smt(se.Square(se.Convolution([K, 1], padding="periodic"), se.shift(1), input_shape=3))


def test_discretization_counterexample_names_its_point() -> None:
    """Cell averages of 3 cells cannot see polynomials of degree 4 (a 2-D kernel), and a
    sub-cell translation does not keep that kernel: refuted at a point of the stated set, and
    the two translated functions discretized again there differ."""
    grid = se.Grid(0, 1, 3)
    s = sympy.Symbol("s")
    for assume, (lo, hi) in (({s: (0, 1)}, (0, 1)), (Assumptions({s: ("1/2", 1)}), (sympy.Rational(1, 2), 1))):
        verdict = se.decide_discretization(se.CellAverage(grid), s * grid.dx, se.Polynomials(4), assume=assume)
        assert verdict.is_counterexample and "reproduced" in verdict.details
        assert lo < verdict.parameters[s] < hi
        f1, f2 = verdict.functions["f1"], verdict.functions["f2"]
        moved = s.subs(verdict.parameters) * grid.dx
        averages = []
        for f in (f1, f2):   # independent: cell averages by sympy integration over [k/3, (k+1)/3]
            g = f.subs(se.x, se.x - moved)
            averages.append([3 * sympy.integrate(g, (se.x, sympy.Rational(k, 3), sympy.Rational(k + 1, 3)))
                             for k in range(3)])
        assert averages[0] != averages[1]
