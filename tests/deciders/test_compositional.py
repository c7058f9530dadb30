"""The compositional rule (symequi.deciders.compositional) and its use in symequi.deciders.decide.

Independent expectations: the layer stacks are re-evaluated here by hand with
fractions.Fraction (periodic / zero-padded convolution C_j = sum_k a_k b_{j-k},
kernel origin 0; polynomial and ReLU activations; bias; the periodic shift
(T_s u)_j = u_{(j - s) mod N}), so a Proved verdict is checked against direct
evaluation of both paths, and a Counterexample against the hand outputs.
"""

from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from symequi.layers.activations import Bias, Pointwise, PolynomialActivation, ReLU
from symequi.deciders.compositional import decide_compositional, try_compositional, verified_permutation
from symequi.functions.continuous import x
from symequi.layers.convolution import Convolution
from symequi.deciders.dispatch import decide
from symequi.core.errors import InvalidArgumentError
from symequi.deciders.linear import MatrixOperator
from symequi.core.operator import Sequential
from symequi.layers.pooling import MaxPool
from symequi.core.signal import Signal
from symequi.core.square import Square
from symequi.translations import shift

F = Fraction


# --- hand evaluation ---------------------------------------------------------------------------
def roll(u, s):
    n = len(u)
    return [u[(j - s) % n] for j in range(n)]


def conv(kernel, b, padding):
    n = len(b)
    out = []
    for j in range(n):
        total = F(0)
        for k, a in enumerate(kernel):
            i = j - k
            if padding == "periodic":
                total += a * b[i % n]
            elif 0 <= i < n:
                total += a * b[i]
        out.append(total)
    return out


def hand(layers, u):
    """Apply hand layers: ("conv", kernel, padding), ("poly", coeffs), ("bias", c), ("relu",)."""
    for layer in layers:
        kind = layer[0]
        if kind == "conv":
            u = conv(layer[1], u, layer[2])
        elif kind == "poly":
            u = [sum(c * v**i for i, c in enumerate(layer[1])) for v in u]
        elif kind == "bias":
            u = [v + layer[1] for v in u]
        else:
            u = [max(v, F(0)) for v in u]
    return u


def build(layers):
    ops = []
    for layer in layers:
        kind = layer[0]
        if kind == "conv":
            ops.append(Convolution(layer[1], padding=layer[2]))
        elif kind == "poly":
            ops.append(PolynomialActivation(list(layer[1])))
        elif kind == "bias":
            ops.append(Bias(layer[1]))
        else:
            ops.append(ReLU())
    return Sequential(*ops)


def fractions_of(signal):
    return [F(int(v.p), int(v.q)) for v in signal.flat_exprs()]


# --- the brief's example and its relatives -----------------------------------------------------
BRIEF = [("conv", [1, 2], "periodic"), ("poly", [0, 0, 1])]


def test_periodic_conv_then_square_is_proved():
    net = Sequential(Convolution([1, 2], padding="periodic"), PolynomialActivation(x**2))
    square = Square(net, shift(1), input_shape=6)
    # the claim itself, by hand on one input: C_j = b_j + 2 b_{j-1} (mod 6), squared
    u = [F(3), F(-1, 2), F(0), F(5), F(2, 3), F(-4)]
    assert hand(BRIEF, roll(u, 1)) == roll(hand(BRIEF, u), 1)
    assert hand(BRIEF, u)[0] == (3 + 2 * -4) ** 2

    v = decide_compositional(square)
    assert v.kind == "proved" and v.decider == "compositional"
    assert v.holds_for.startswith("every input of shape (6,)")
    assert "lemma (e)" in v.details["layer 1"] and "lemma (a)" in v.details["layer 2"]
    assert "permutation" in v.details["translation"]
    # decide(): linear does not apply (x**2), SMT does not apply, search could never prove it
    w = decide(square)
    assert w.kind == "proved" and w.decider == "compositional"
    assert w.details["method"].startswith("auto: the compositional rule")


def test_conv_square_bias_relu_with_shift_two():
    spec = [("conv", [1, -3, 2], "periodic"), ("poly", [0, 0, 1]), ("bias", F(-1, 2)), ("relu",)]
    square = Square(build(spec), shift(2), input_shape=7)
    u = [F(1), F(-2), F(1, 3), F(0), F(4), F(-1, 5), F(2)]
    assert hand(spec, roll(u, 2)) == roll(hand(spec, u), 2)
    v = decide(square)
    assert v.kind == "proved" and v.decider == "compositional"
    lemmas = [v.details[f"layer {i}"] for i in range(1, 5)]
    assert ["lemma (e)" in lemmas[0], "lemma (a)" in lemmas[1], "lemma (b)" in lemmas[2],
            "lemma (a)" in lemmas[3]] == [True] * 4
    assert [s.lemma for s in try_compositional(square).steps] == ["circulant", "entrywise", "bias", "entrywise"]


def test_nested_sequentials_are_flattened():
    inner = Sequential(Convolution([2, 1], padding="periodic"), PolynomialActivation([1, 0, 1]))
    attempt = try_compositional(Square(Sequential(inner, Bias(3)), shift(-1), input_shape=5))
    assert attempt.proved and len(attempt.steps) == 3


# --- a layer that does not commute: the rule says nothing ---------------------------------------
def test_zero_padding_layer_gives_none_and_decide_still_refutes_by_search():
    spec = [("conv", [1, 2], "zeros"), ("poly", [0, 0, 1])]
    square = Square(build(spec), shift(1), input_shape=6)
    assert decide_compositional(square) is None
    attempt = try_compositional(square)
    assert attempt.applies and not attempt.proved and attempt.verdict.kind == "undecided"
    assert [s.proved for s in attempt.steps] == [False]  # it stops at the failing layer
    assert "does not make the stack fail" in attempt.reason

    v = decide(square, max_examples=100)
    assert v.kind == "counterexample" and v.decider == "search"
    assert "compositional rule did not prove it" in v.details["compositional"]
    u = fractions_of(v.input)
    lhs, rhs = hand(spec, roll(u, 1)), roll(hand(spec, u), 1)
    assert lhs != rhs
    assert fractions_of(v.lhs) == lhs and fractions_of(v.rhs) == rhs


def test_zero_padding_relu_stack_is_still_refuted_by_smt():
    spec = [("conv", [1, 2], "zeros"), ("relu",)]
    v = decide(Square(build(spec), shift(1), input_shape=5))
    assert v.kind == "counterexample" and v.decider == "smt"
    u = fractions_of(v.input)
    assert fractions_of(v.lhs) == hand(spec, roll(u, 1)) != roll(hand(spec, u), 1) == fractions_of(v.rhs)


# --- shape changes -------------------------------------------------------------------------------
def test_max_pool_with_stride_is_not_handled():
    net = Sequential(Convolution([1, 2], padding="periodic"), MaxPool(2))
    square = Square(net, shift(2), shift(1), input_shape=6)
    attempt = try_compositional(square)
    assert not attempt.applies and attempt.verdict is None
    assert "axis 0 changes length from 6 to 3" in attempt.reason
    with pytest.raises(InvalidArgumentError, match="compositional' does not apply"):
        decide(square, method="compositional")
    # the usual route answers: out_j = max(C_{2j}, C_{2j+1}); a shift by 2 becomes a shift by 1
    v = decide(square)
    assert v.kind == "proved" and v.decider == "smt" and "compositional" not in v.details


def test_max_pool_with_stride_one_uses_smt_per_layer():
    net = Sequential(Convolution([1, 2], padding="periodic"), MaxPool(3, stride=1, padding="periodic"))
    attempt = try_compositional(Square(net, shift(2), input_shape=6))
    assert attempt.proved and [s.lemma for s in attempt.steps] == ["circulant", "smt"]
    assert attempt.verdict.holds_for.startswith("every real input")


def test_channels_may_change_along_an_axis_the_shift_does_not_move():
    # (2, N) -> (3, N): out[c][j] = sum_d sum_k K[c][d][k] b[d][j-k] (periodic), then a per-channel bias
    kernel = [[[1, 2], [1, 0]], [[0, 1], [2, 2]], [[3, 0], [1, 1]]]
    net = Sequential(Convolution(kernel, padding="periodic"), Bias([1, -2, F(1, 3)]), ReLU())
    square = Square(net, shift((0, 1)), input_shape=(2, 4))
    v = decide_compositional(square)
    assert v is not None and "only within each channel" in v.details["layer 2"]
    b = [[F(1), F(-2), F(0), F(3)], [F(1, 2), F(0), F(-1), F(2)]]

    def by_hand(b):
        out = [[sum(kernel[c][d][k] * b[d][(j - k) % 4] for d in range(2) for k in range(2)) for j in range(4)]
               for c in range(3)]
        return [[max(v + bias, F(0)) for v in row] for row, bias in zip(out, [1, -2, F(1, 3)])]

    assert by_hand([roll(r, 1) for r in b]) == [roll(r, 1) for r in by_hand(b)]
    assert by_hand(b) == [[fractions_of(net(Signal(b)))[4 * c + j] for j in range(4)] for c in range(3)]


# --- biases ------------------------------------------------------------------------------------
def test_per_channel_bias_and_a_shift_within_channels():
    attempt = try_compositional(Square(Sequential(Bias([1, -2]), ReLU()), shift((0, 1)), input_shape=(2, 3)))
    assert attempt.proved and "only within each channel" in attempt.steps[0].text


def test_per_channel_bias_and_a_shift_across_channels():
    square = Square(Sequential(Bias([1, -2]), ReLU()), shift((1, 0)), input_shape=(2, 3))
    assert decide_compositional(square) is None
    attempt = try_compositional(square)
    assert "lemma (b) fails" in attempt.steps[0].text
    # the usual route (SMT) refutes it; by hand, T swaps the two rows and A(u)_c = relu(u_c + b_c):
    # A(T u) = [relu(r1 + 1), relu(r0 - 2)], T(A u) = [relu(r1 - 2), relu(r0 + 1)]
    v = decide(square)
    assert v.kind == "counterexample" and v.decider == "smt"
    flat = fractions_of(v.input)
    r0, r1 = flat[:3], flat[3:]

    def relu_plus(row, c):
        return [max(e + c, F(0)) for e in row]

    lhs, rhs = relu_plus(r1, 1) + relu_plus(r0, -2), relu_plus(r1, -2) + relu_plus(r0, 1)
    assert lhs != rhs and fractions_of(v.lhs) == lhs and fractions_of(v.rhs) == rhs


def test_equal_channel_biases_commute_with_a_shift_across_channels():
    a = sympy.Symbol("a")
    for value in ([3, 3], [a, a]):
        attempt = try_compositional(Square(Bias(value), shift((1, 0)), input_shape=(2, 2)))
        assert attempt.proved and "equal biases" in attempt.steps[0].text


def test_scalar_bias_commutes_with_any_permutation():
    reverse = MatrixOperator([[1 if i + j == 3 else 0 for j in range(4)] for i in range(4)], name="reverse")
    for value in (F(-7, 3), sympy.sqrt(2)):
        v = decide_compositional(Square(Sequential(Bias(value), PolynomialActivation(x**3)), reverse,
                                        input_shape=4))
        assert v is not None and "scalar bias" in v.details["layer 1"]
        assert "exact permutation matrix" in v.details["translation"]


# --- symbolic activations and other permutations -----------------------------------------------
def test_undefined_function_activation_is_proved():
    t = sympy.Symbol("t")
    sigma = sympy.Function("sigma")
    net = Sequential(Convolution([1, -1], padding="periodic"), Pointwise(sympy.Lambda(t, sigma(t))))
    square = Square(net, shift(1), input_shape=5)
    v = decide(square)
    assert v.kind == "proved" and v.decider == "compositional"
    b = sympy.symbols("b0:5")
    # by hand: (T A b)_j = sigma(b_{j-1} - b_{j-2}) = (A T b)_j
    expected = [sigma(b[(j - 1) % 5] - b[(j - 2) % 5]) for j in range(5)]
    assert list(square.lhs(Signal(list(b))).flat_exprs()) == expected
    assert list(square.rhs(Signal(list(b))).flat_exprs()) == expected


def test_a_reversal_commutes_with_entrywise_layers_but_not_with_a_skewed_convolution():
    reverse = MatrixOperator([[1 if i + j == 4 else 0 for j in range(5)] for i in range(5)], name="reverse")
    assert verified_permutation(reverse, (5,))[0] == (4, 3, 2, 1, 0)
    assert decide_compositional(Square(Sequential(ReLU(), PolynomialActivation([1, 2, 3])), reverse,
                                       input_shape=5)) is not None
    skew = Square(Sequential(Convolution([1, 2], padding="periodic"), ReLU()), reverse, input_shape=5)
    assert decide_compositional(skew) is None
    # by hand on e_0: reverse(C e_0) = reverse([1, 2, 0, 0, 0]) = [0, 0, 0, 2, 1],
    # C(reverse e_0) = C e_4 = [2, 0, 0, 0, 1]
    e0 = [F(1), F(0), F(0), F(0), F(0)]
    assert conv([1, 2], e0[::-1], "periodic") != conv([1, 2], e0, "periodic")[::-1]


def test_a_pointwise_subclass_that_is_not_entrywise_gets_no_lemma():
    class Weighted(Pointwise):
        """fn(u_j) * (j + 1): position dependent, so not shift equivariant."""

        def _apply(self, signal):
            values = Pointwise._apply(self, signal).flat_exprs()
            return Signal.from_exprs([(j + 1) * v for j, v in enumerate(values)], signal.shape)

    square = Square(Weighted(lambda v: v**2), shift(1), input_shape=3)
    attempt = try_compositional(square)
    assert attempt.applies and not attempt.proved and "no exact decider" in attempt.reason
    # by hand: u = e_0 -> lhs = weights * (T u)^2 = [0, 2, 0], rhs = T([1, 0, 0]) = [0, 1, 0]
    assert square.lhs([1, 0, 0]) == Signal([0, 2, 0]) and square.rhs([1, 0, 0]) == Signal([0, 1, 0])


# --- when the rule does not apply --------------------------------------------------------------
def test_translations_that_are_not_permutations():
    net = Sequential(Convolution([1, 2], padding="periodic"), PolynomialActivation(x**2))
    for g in (shift(F(1, 2), method="linear"), shift(1, boundary="zeros")):
        attempt = try_compositional(Square(net, g, input_shape=4))
        assert not attempt.applies and "not a verified permutation" in attempt.reason
    assert verified_permutation(shift(0, boundary="zeros"), (3,))[0] == (0, 1, 2)  # the identity is one


def test_g_out_must_be_the_same_permutation():
    square = Square(PolynomialActivation(x**2), shift(1), shift(2), input_shape=4)
    attempt = try_compositional(square)
    assert not attempt.applies and "g_out" in attempt.reason
    # and indeed the square fails: u = e_0 gives e_1 on the left, e_2 on the right
    assert square.lhs([1, 0, 0, 0]) == Signal([0, 1, 0, 0]) and square.rhs([1, 0, 0, 0]) == Signal([0, 0, 1, 0])
    same = Square(PolynomialActivation(x**2), shift(1), shift(5), input_shape=4)  # 5 = 1 mod 4
    assert try_compositional(same).proved


def test_budget_runs_out_as_undecided():
    a, b = sympy.symbols("a b")
    big = MatrixOperator([[a if i == j else b for j in range(30)] for i in range(30)])
    roll30 = MatrixOperator([[1 if i == (j + 1) % 30 else 0 for j in range(30)] for i in range(30)])
    attempt = try_compositional(Square(Sequential(big, PolynomialActivation(x**2)), roll30, input_shape=30),
                                budget=0.01)
    assert not attempt.proved and attempt.verdict.kind == "undecided" and "budget" in attempt.reason


def test_forced_method():
    net = build(BRIEF)
    v = decide(Square(net, shift(1), input_shape=6), method="compositional")
    assert v.kind == "proved" and v.details["method"] == "forced: compositional"
    w = decide(Square(build([("conv", [1, 2], "zeros"), ("relu",)]), shift(1), input_shape=4),
               method="compositional")
    assert w.kind == "undecided" and w.decider == "compositional"  # never a counterexample
    with pytest.raises(InvalidArgumentError, match="not a verified permutation"):
        decide(Square(net, shift(F(1, 2), method="linear"), input_shape=6), method="compositional")
    with pytest.raises(InvalidArgumentError, match="options accepted are none"):
        decide(Square(net, shift(1), input_shape=6), method="compositional", max_examples=3)
    with pytest.raises(InvalidArgumentError, match="Square"):
        try_compositional(net)


# --- soundness: whatever the rule proves holds on hand-evaluated inputs -------------------------
LAYERS = st.one_of(
    st.tuples(st.just("conv"), st.lists(st.integers(-3, 3), min_size=1, max_size=3),
              st.sampled_from(["periodic", "zeros"])),
    st.tuples(st.just("poly"), st.lists(st.integers(-2, 2), min_size=1, max_size=3)),
    st.tuples(st.just("bias"), st.fractions(-2, 2, max_denominator=3)),
    st.tuples(st.just("relu")),
)


@settings(max_examples=30, deadline=None)
@given(spec=st.lists(LAYERS, min_size=1, max_size=3), n=st.integers(2, 5), s=st.integers(-5, 5),
       u=st.lists(st.fractions(-3, 3, max_denominator=4), min_size=5, max_size=5))
def test_proved_squares_hold_by_hand(spec, n, s, u):
    u = u[:n]
    attempt = try_compositional(Square(build(spec), shift(s), input_shape=n))
    assert attempt.applies  # a periodic integer shift and shape-keeping layers
    if attempt.proved:
        assert hand(spec, roll(u, s)) == roll(hand(spec, u), s)
    periodic_only = all(layer[0] != "conv" or layer[2] == "periodic" for layer in spec)
    if periodic_only:
        assert attempt.proved  # every layer commutes with every periodic shift


def test_circulant_lemma_only_for_the_library_periodic_convolution():
    from symequi.core.signal import Signal
    from symequi.layers import Convolution

    class Skewed(Convolution):  # a user's change of the values: the layer's lemma is not believed
        def _apply(self, signal):
            out = super()._apply(signal)
            return out + Signal.unit(out.shape, 0)

    periodic = decide_compositional(Square(Convolution([1, 2], padding="periodic"), shift(1), input_shape=5))
    assert periodic is not None and "lemma (e)" in periodic.details["layer 1"]
    zeros = try_compositional(Square(Convolution([1, 2], padding="zeros"), shift(1), input_shape=5))
    assert not zeros.proved and "lemma (e)" not in zeros.steps[0].text
    skewed = try_compositional(Square(Skewed([1, 2], padding="periodic"), shift(1), input_shape=5))
    assert not skewed.proved   # u -> conv(u) + e_0 does not commute with the roll (by hand: u = 0)


def test_other_linear_layers_use_the_linear_decider_lemma_c():
    from symequi.layers import AvgPool

    attempt = try_compositional(Square(Sequential(AvgPool(2, stride=1, padding="periodic"), ReLU()), shift(1),
                                       input_shape=5))
    assert attempt.proved and [s.lemma for s in attempt.steps] == ["linear", "entrywise"]
