"""The single entry point (symequi.deciders.dispatch: decide): routing, fallbacks and errors.

Expected verdicts are the paper's: the Figure 1 layer (kernel [2, -2] with
C_j = 2 b_{j+1} - 2 b_j, bias -1, ReLU) commutes with integer shifts but not
with a half-pixel translation; the hand outputs are [0, 1, 0, 0] and
[0, 0, 0, 0] for the inputs [0, 0, 1, 1] and [0, 0, 1/2, 1].
"""

import functools
from fractions import Fraction

import pytest
import sympy

from symequi.deciders.dispatch import decide
from symequi.delta.edge_detection import figure1_layer
from symequi.deciders.discretization import DiscretizationProblem
from symequi.functions.discretize import CellAverage
from symequi.core.errors import InvalidArgumentError
from symequi.functions.function_classes import PiecewiseConstant, Polynomials
from symequi.functions.grid import Grid
from symequi.deciders.linear import MatrixOperator
from symequi.core.operator import Operator, Sequential
from symequi.core.signal import Signal
from symequi.core.square import Square

from tests._operators import EntrywiseSquare

R = sympy.Rational
ROLL = MatrixOperator([[0, 0, 0, 1], [1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]], name="roll by 1")


class OpaquePiecewise(Operator):
    """Claims to be piecewise linear, but no decider knows how to encode it."""

    is_piecewise_linear = True

    def _apply(self, u):
        return u.map(lambda v: sympy.Max(v, 0))


def test_linear_square_goes_to_linear_algebra():
    circulant = MatrixOperator([[1, 2, 0, 3], [3, 1, 2, 0], [0, 3, 1, 2], [2, 0, 3, 1]])
    v = decide(Square(circulant, ROLL, input_shape=4))
    assert v.kind == "proved" and v.decider == "linear"
    assert v.details["method"].startswith("auto")


def test_paper_layer_goes_to_the_compositional_rule_or_smt():
    from symequi import layers
    from symequi import translations
    net = figure1_layer(padding="periodic")
    assert net(Signal([0, 0, 1, 1])) == Signal([0, 1, 0, 0])
    assert net(Signal([0, 0, R(1, 2), 1])) == Signal([0, 0, 0, 0])
    # an integer shift is a permutation of entries: each layer commutes with it (compositional rule)
    proved = decide(Square(net, translations.shift(1), input_shape=4))
    assert proved.kind == "proved" and proved.decider == "compositional"
    forced = decide(Square(net, translations.shift(1), input_shape=4), method="smt")
    assert forced.kind == "proved" and forced.decider == "smt"
    # a half-pixel shift is not a permutation: the rule does not apply and z3 refutes it
    refuted = decide(Square(net, translations.shift(R(1, 2), method="linear"), input_shape=4))
    assert refuted.kind == "counterexample" and refuted.decider == "smt"
    assert refuted.lhs != refuted.rhs
    assert "compositional" not in refuted.details


def _conv_then_square(padding):
    from symequi.functions.continuous import x
    from symequi.layers import Convolution, PolynomialActivation

    return Sequential(Convolution([1, 2], padding=padding), PolynomialActivation(x**2))


def test_periodic_conv_and_square_activation_is_proved_compositionally():
    from symequi.translations import shift

    # (C b)_j = b_j + 2 b_{j-1} (mod 6), then squared, entry by entry: both commute with the roll,
    # by hand on one input
    b = [3, -1, 4, 1, -5, 9]
    layer = lambda u: [(u[j] + 2 * u[j - 1]) ** 2 for j in range(6)]  # noqa: E731
    rolled = lambda u: u[-1:] + u[:-1]  # noqa: E731
    assert layer(rolled(b)) == rolled(layer(b))
    square = Square(_conv_then_square("periodic"), shift(1), input_shape=6)
    v = decide(square)
    assert v.kind == "proved" and v.decider == "compositional"
    assert "lemma (e)" in v.details["layer 1"] and "lemma (a)" in v.details["layer 2"]
    # before the rule, only search could run on it, and search never proves
    w = decide(square, method="search", max_examples=10)
    assert w.kind == "undecided"


def test_a_failing_layer_leaves_the_usual_route_and_its_counterexample():
    from symequi.translations import shift

    v = decide(Square(_conv_then_square("zeros"), shift(1), input_shape=6), max_examples=100)
    assert v.kind == "counterexample" and v.decider == "search"
    assert v.details["method"].startswith("auto: search")
    assert "layer 1" in v.details["compositional"]
    # by hand: C_j = u_j + 2 u_{j-1} with u_{-1} = 0, squared; T rolls right by one
    u = [Fraction(int(e.p), int(e.q)) for e in v.input.flat_exprs()]
    layer = lambda w: [(w[j] + (2 * w[j - 1] if j else 0)) ** 2 for j in range(6)]  # noqa: E731
    rolled = lambda w: w[-1:] + w[:-1]  # noqa: E731
    lhs, rhs = layer(rolled(u)), rolled(layer(u))
    assert lhs != rhs
    assert [Fraction(int(e.p), int(e.q)) for e in v.lhs.flat_exprs()] == lhs
    assert [Fraction(int(e.p), int(e.q)) for e in v.rhs.flat_exprs()] == rhs


def test_options_are_checked_even_when_the_compositional_rule_answers():
    from symequi.translations import shift

    square = Square(_conv_then_square("periodic"), shift(1), input_shape=4)
    assert decide(square, max_examples=5).decider == "compositional"  # a search option is accepted
    with pytest.raises(InvalidArgumentError, match="'max_exampels' -> 'max_examples'"):
        decide(square, max_exampels=5)


def test_non_piecewise_linear_goes_to_search():
    # entrywise squaring commutes with every permutation, so search finds nothing,
    # and a search that finds nothing is Undecided, never Proved
    v = decide(Square(EntrywiseSquare(), ROLL, input_shape=4), max_examples=20)
    assert v.decider == "search" and v.kind == "undecided"
    assert "not piecewise linear" in v.details["method"]
    # ROLL is a permutation, but EntrywiseSquare is not a library entrywise layer: no lemma applies
    assert "no exact decider applies" in v.details["compositional"]


def test_smt_encoding_error_falls_back_to_search():
    v = decide(Square(OpaquePiecewise(), ROLL, input_shape=4), max_examples=10)
    assert v.decider == "search"
    assert "could not encode" in v.details["method"] or "unavailable" in v.details["method"]


def test_an_smt_only_option_is_not_dropped_by_the_search_fallback():
    from symequi.layers import ReLU

    # where= restricts the inputs; a search without it would answer another question
    with pytest.raises(InvalidArgumentError, match=r"could not encode.*\['where'\] apply to the SMT decider only"):
        decide(Square(OpaquePiecewise(), ROLL, input_shape=4), where=ReLU(), max_examples=10)


def test_forced_methods_that_do_not_apply_are_refused_with_the_reason():
    with pytest.raises(InvalidArgumentError, match="not linear"):
        decide(Square(EntrywiseSquare(), ROLL, input_shape=4), method="linear")
    with pytest.raises(InvalidArgumentError, match="not piecewise linear"):
        decide(Square(EntrywiseSquare(), ROLL, input_shape=4), method="smt")
    with pytest.raises(InvalidArgumentError, match="must be one of.*'compositional'"):
        decide(Square(ROLL, ROLL, input_shape=4), method="magic")
    with pytest.raises(InvalidArgumentError, match="compositional' does not apply: g is not a verified permutation"):
        decide(Square(EntrywiseSquare(), MatrixOperator([[1, 1], [0, 1]]), input_shape=2), method="compositional")
    with pytest.raises(InvalidArgumentError, match="do not apply"):
        decide(Square(ROLL, ROLL, input_shape=4), max_examples=3)


def test_a_misspelled_option_names_every_accepted_option_and_the_close_match():
    from symequi.layers.activations import ReLU
    from symequi.translations import shift

    # auto on a piecewise-linear square: smt first, search as fallback; search takes max_examples
    with pytest.raises(InvalidArgumentError) as err:
        decide(Square(ReLU(), shift(1), input_shape=4), max_exampels=20)
    message = str(err.value)
    assert "'max_exampels' -> 'max_examples'" in message
    assert "'seed'" in message and "or the search it may fall back to" in message
    with pytest.raises(InvalidArgumentError, match=r"linear decider; the options accepted are \['circulant'\]$"):
        decide(Square(ROLL, ROLL, input_shape=4), max_examples=3)


def test_forced_search_on_a_linear_square():
    diag = MatrixOperator([[1, 0, 0, 0], [0, 2, 0, 0], [0, 0, 3, 0], [0, 0, 0, 4]])
    v = decide(Square(diag, ROLL, input_shape=4), method="search", max_examples=30)
    assert v.decider == "search" and v.kind == "counterexample"
    assert v.details["method"] == "forced: search"


def test_discretization_problems():
    grid = Grid(-1, 1, 4)
    V = PiecewiseConstant([R(-1, 2), R(-1, 4), 0, R(1, 2)], (-1, 1))
    v = decide(DiscretizationProblem(CellAverage(grid), grid.dx / 2, V))
    assert v.kind == "counterexample" and v.decider == "linear"
    assert v.input == Signal([0, R(1, 2), 0, 0])
    w = decide(discretization=CellAverage(Grid(0, 1, 3)), delta=R(1, 5), function_class=Polynomials(2))
    assert w.kind == "proved" and "g" in w.details
    s = sympy.Symbol("s", real=True)
    u = decide(discretization=CellAverage(grid), delta=s * grid.dx, function_class=V, assume={s: (0, 1)})
    assert u.kind == "counterexample" and u.details["exceptional_set"] == sympy.S.EmptySet


def test_discretization_problem_errors():
    grid = Grid(0, 1, 2)
    p = DiscretizationProblem(CellAverage(grid), 1, Polynomials(1))
    with pytest.raises(InvalidArgumentError, match="linear algebra"):
        decide(p, method="smt")
    with pytest.raises(InvalidArgumentError, match="missing"):
        decide(discretization=CellAverage(grid), delta=1)
    with pytest.raises(InvalidArgumentError, match="not both"):
        decide(p, delta=1)
    with pytest.raises(InvalidArgumentError):
        decide(p, seed=3)
    with pytest.raises(InvalidArgumentError):
        decide(42)


def test_budget_is_passed_through():
    a, b, c = sympy.symbols("a b c")
    big = MatrixOperator([[a if i == j else b for j in range(30)] for i in range(30)])
    roll = MatrixOperator([[1 if i == (j + 1) % 30 else 0 for j in range(30)] for i in range(30)])
    v = decide(Square(Sequential(big, big), roll, input_shape=30), budget=0.01)
    assert v.kind == "undecided" and "budget" in v.reason


def test_search_gets_the_default_budget_when_none_is_given(monkeypatch):
    # decide's budget=None means the default budget for every decider; decide_search alone
    # reads None as "no limit", so decide must pass the default on.
    import symequi.deciders.search as search_module
    from symequi.core.budget import get_time_budget

    seen = []
    real = search_module.decide_search

    @functools.wraps(real)  # keeps the signature decide reads the accepted options from
    def spy(square, *, budget=None, **options):
        seen.append(budget)
        return real(square, budget=budget, **options)

    monkeypatch.setattr(search_module, "decide_search", spy)
    decide(Square(EntrywiseSquare(), ROLL, input_shape=4), max_examples=5)
    decide(Square(EntrywiseSquare(), ROLL, input_shape=4), method="search", max_examples=5, budget=7)
    assert seen == [get_time_budget(), 7]
