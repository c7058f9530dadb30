"""The commutative square: symequi/square.py."""

import numpy as np
import pytest
from sympy import Rational as R

from symequi.core.errors import InvalidArgumentError
from symequi.core.operator import Operator, Sequential
from symequi.core.signal import Signal
from symequi.core.square import Square
from symequi.core.verdict import Counterexample


class Named(Operator):
    """A test operator whose description and conventions are class attributes."""

    name = "op"
    notes: tuple = ()

    def conventions(self):
        return self.notes

    def describe(self):
        return self.name


class Shift(Named):
    """Cyclic shift right by one cell: out[j] = in[j - 1]."""

    is_linear = True
    name, notes = "Shift(1)", ("periodic boundary",)

    def _apply(self, s):
        flat = s.flat_exprs()
        return Signal.from_exprs(flat[-1:] + flat[:-1], s.shape)


class ZeroShift(Named):
    """Shift right by one cell with a zero boundary: out[j] = in[j - 1], out[0] = 0."""

    is_linear = True
    name, notes = "ZeroShift(1)", ("zero boundary",)

    def _apply(self, s):
        flat = s.flat_exprs()
        return Signal.from_exprs([0] + flat[:-1], s.shape)


class SquareEntries(Named):
    name = "Square"

    def _apply(self, s):
        return s.multiply(s)


class AddOne(Named):
    name = "AddOne"

    def _apply(self, s):
        return s + Signal([1] * s.size).reshape(s.shape)


class Total(Named):
    is_linear = True
    name, notes = "Total", ("sum of all entries",)

    def _apply(self, s):
        return Signal([sum(s.flat_exprs())])

    def output_shape(self, shape):
        return (1,)


class Identity(Named):
    is_linear = True
    name = "Identity"

    def _apply(self, s):
        return s


class Drop(Named):
    name = "Drop"

    def _apply(self, s):
        return s[1:]

    def output_shape(self, shape):
        return (shape[0] - 1,)


def test_lhs_rhs_of_a_commuting_square():
    sq = Square(SquareEntries(), Shift(), input_shape=3)
    u = Signal([1, R(1, 2), -2])
    # g(u) = [-2, 1, 1/2]; A(g(u)) = [4, 1, 1/4]; A(u) = [1, 1/4, 4]; g(A(u)) = [4, 1, 1/4]
    assert sq.lhs(u) == [4, 1, R(1, 4)]
    assert sq.rhs(u) == [4, 1, R(1, 4)]
    assert sq.difference(u) == [0, 0, 0]
    assert sq.witness(u) is None
    assert sq.witness([3, 2, 1]) is None  # lists are converted exactly
    assert sq.input_shape == (3,) and sq.output_shape == (3,)
    assert sq.g_out is sq.g


def test_witness_of_a_failing_square():
    sq = Square(AddOne(), ZeroShift(), input_shape=(3,))
    u = Signal([1, 2, 3])
    # lhs: g(u) = [0, 1, 2]; +1 -> [1, 2, 3].  rhs: u + 1 = [2, 3, 4]; g -> [0, 2, 3]
    assert sq.lhs(u) == [1, 2, 3]
    assert sq.rhs(u) == [0, 2, 3]
    w = sq.witness(u, decider="search")
    assert isinstance(w, Counterexample)
    assert w.input == u and w.lhs == [1, 2, 3] and w.rhs == [0, 2, 3]
    assert w.difference == [1, 0, 0]
    assert w.decider == "search"
    assert w.statement == sq.statement == "AddOne commutes with ZeroShift(1) on inputs of shape (3,)"
    assert w.conventions == ("zero boundary",)


def test_zero_boundary_shift_breaks_linear_equivariance_only_at_the_boundary():
    sq = Square(Shift(), ZeroShift(), input_shape=4)
    assert sq.is_linear
    # content away from the edges: ZeroShift then Shift gives [0, 0, 0, 1] both ways
    assert sq.witness([0, 1, 0, 0]) is None
    # content that wraps: lhs = Shift(ZeroShift(u)) = 0, rhs = ZeroShift(Shift(u)) = [0, 1, 0, 0]
    w = sq.witness([0, 0, 0, 1])
    assert w.lhs == [0, 0, 0, 0] and w.rhs == [0, 1, 0, 0]
    assert w.difference == [0, -1, 0, 0]
    assert w.conventions == ("periodic boundary", "zero boundary")


def test_separate_output_transformation_and_shapes():
    sq = Square(Total(), Shift(), Identity(), input_shape=4)
    assert sq.output_shape == (1,)
    assert sq.witness([1, 2, 3, R(1, 2)]) is None
    assert sq.statement == ("Total commutes with Shift(1) (outputs transformed by Identity) "
                            "on inputs of shape (4,)")
    assert sq.conventions() == ("sum of all entries", "periodic boundary")
    assert "input_shape=(4,)" in repr(sq)


def test_2d_input_shape():
    sq = Square(SquareEntries(), Shift(), input_shape=(2, 2))
    assert sq.witness([[1, 2], [3, 4]]) is None
    with pytest.raises(InvalidArgumentError, match=r"shape \(4,\) but this square takes inputs of shape \(2, 2\)"):
        sq.lhs([1, 2, 3, 4])


def test_is_linear():
    assert Square(Shift(), Shift(), input_shape=2).is_linear
    assert not Square(SquareEntries(), Shift(), input_shape=2).is_linear
    assert not Square(Shift(), Shift(), SquareEntries(), input_shape=2).is_linear
    assert Square(Sequential(Shift(), Shift()), Shift(), input_shape=2).is_linear


def test_shape_errors():
    with pytest.raises(InvalidArgumentError, match="g=Drop changes the shape"):
        Square(Shift(), Drop(), input_shape=3)
    with pytest.raises(InvalidArgumentError, match="g_out=Shift\\(1\\) changes the output shape"):
        class Broken(Shift):
            def output_shape(self, shape):
                return (shape[0] + 1,)
        Square(Total(), Shift(), Broken(), input_shape=3)
    for bad in (0, -2, (), (3, 0), 2.0, "3", None, True, (True, 2)):
        with pytest.raises(InvalidArgumentError, match="input_shape="):
            Square(Shift(), Shift(), input_shape=bad)
    assert Square(Shift(), Shift(), input_shape=np.int64(3)).input_shape == (3,)
    assert Square(Shift(), Shift(), input_shape=[2, 2]).input_shape == (2, 2)
    sq = Square(Shift(), Shift(), input_shape=3)
    with pytest.raises(InvalidArgumentError, match=r"signal has shape \(2,\).*pass a signal of shape \(3,\)"):
        sq.witness([1, 2])
    with pytest.raises(InvalidArgumentError, match="signal must be a symequi.Signal"):
        sq.rhs("1 2 3")


@pytest.mark.parametrize("position", ["operator", "g", "g_out"])
def test_non_operators_are_refused(position):
    args = {"operator": Shift(), "g": Shift(), "g_out": Shift()}
    args[position] = lambda s: s
    with pytest.raises(InvalidArgumentError, match=f"{position}=.*must be a symequi layer or translation"):
        Square(args["operator"], args["g"], args["g_out"], input_shape=3)


@pytest.mark.parametrize("position", ["operator", "g"])
def test_missing_operator_or_g_is_refused(position):
    args = {"operator": Shift(), "g": Shift()}
    args[position] = None
    with pytest.raises(InvalidArgumentError, match=f"{position}=None must be"):
        Square(args["operator"], args["g"], input_shape=3)


# --- the negated statement: what a counterexample establishes (issue 7) ----------------------------

def test_square_gives_the_statement_and_its_negation():
    sq = Square(AddOne(), ZeroShift(), input_shape=(3,))
    assert sq.refuted_statement == "AddOne does not commute with ZeroShift(1) on inputs of shape (3,)"
    assert sq.statement.negation == sq.refuted_statement
    with_out = Square(Total(), Shift(), Identity(), input_shape=4)
    assert with_out.refuted_statement == ("Total does not commute with Shift(1) (outputs transformed by Identity) "
                                          "on inputs of shape (4,)")


def test_a_refutation_reads_refuted_does_not_commute_then_witness_then_conventions():
    sq = Square(AddOne(), Sequential(ZeroShift(), Shift()), input_shape=(3,))
    w = sq.witness([1, 2, 3], decider="search")
    assert w.refuted and not w.proved and not w.undecided
    text = str(w)
    lines = text.splitlines()
    assert lines[0].startswith("Refuted: ")
    assert "does not commute" in lines[0] and " commutes" not in lines[0]
    keys = [line.split(":")[0].strip() for line in lines[1:]]
    # the witness (input, both paths, difference) first, the conventions last, one per line
    assert keys.index("input") < keys.index("lhs") < keys.index("rhs") < keys.index("difference")
    start = lines.index("  conventions:")
    assert start > max(i for i, line in enumerate(lines) if line.startswith("  difference:"))
    assert lines[start + 1:] == ["  - zero boundary", "  - periodic boundary"]
    assert repr(w) == f"<Counterexample: {sq.refuted_statement}>"
    assert str(w.statement) == sq.statement  # the claim refuted is kept as the statement
