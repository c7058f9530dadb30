"""The Operator protocol and Sequential: symequi/operators.py."""

import pytest
import sympy
from sympy import Rational as R

from symequi.core.errors import InvalidArgumentError
from symequi.core.operator import Operator, Sequential, as_signal, circulant_taps
from symequi.core.signal import Signal


class CyclicShift(Operator):
    """Moves content right by one cell, periodic boundary: out[j] = in[j - 1]."""

    is_linear = True
    is_piecewise_linear = True

    def _apply(self, signal):
        flat = signal.flat_exprs()
        return Signal.from_exprs(flat[-1:] + flat[:-1], signal.shape)

    def conventions(self):
        return ("periodic boundary", "shift moves content right")

    def describe(self):
        return "CyclicShift(1)"


class Scale(Operator):
    is_linear = True
    is_piecewise_linear = True

    def __init__(self, factor):
        self.factor = factor

    def _apply(self, signal):
        return signal * self.factor

    def conventions(self):
        return ("entrywise scaling",)

    def describe(self):
        return f"Scale({self.factor})"

    def latex(self):
        return rf"{sympy.latex(sympy.sympify(self.factor))}\,\cdot"


class Relu(Operator):
    is_piecewise_linear = True

    def _apply(self, signal):
        return signal.map(lambda v: sympy.Max(v, 0))

    def conventions(self):
        return ("periodic boundary",)


class Differences(Operator):
    """out[j] = in[j + 1] - in[j] (valid: one entry shorter)."""

    is_linear = True

    def _apply(self, signal):
        flat = signal.flat_exprs()
        return Signal.from_exprs([q - p for p, q in zip(flat, flat[1:])], (signal.size - 1,))

    def output_shape(self, shape):
        return (shape[0] - 1,)


class BadShapes(Operator):
    is_linear = True

    def _apply(self, signal):
        return Signal.zeros(1 + signal.flat_exprs().index(1))


def test_matrix_of_a_hand_defined_operator():
    m = CyclicShift().matrix(4)
    # out[j] = in[j-1]: row j has its 1 in column j-1 (mod 4)
    expected = sympy.Matrix([[0, 0, 0, 1], [1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]])
    assert m.to_Matrix() == expected
    assert m.domain == sympy.QQ
    assert m.shape == (4, 4)
    assert CyclicShift().matrix((4,)).to_Matrix() == expected


def test_matrix_with_rectangular_output_and_2d_input():
    m = Differences().matrix(3)
    assert m.to_Matrix() == sympy.Matrix([[-1, 1, 0], [0, -1, 1]])
    # on a 2x2 input the flat (row-major) entries are shifted cyclically
    m2 = CyclicShift().matrix((2, 2)).to_Matrix()
    assert m2 == sympy.Matrix([[0, 0, 0, 1], [1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]])


def test_matrix_over_an_algebraic_or_symbolic_domain():
    m = Scale(sympy.sqrt(2)).matrix(2)
    assert m.to_Matrix() == sympy.Matrix([[sympy.sqrt(2), 0], [0, sympy.sqrt(2)]])
    assert m.domain != sympy.QQ
    t = sympy.Symbol("t")
    assert Scale(t).matrix(2).to_Matrix() == sympy.Matrix([[t, 0], [0, t]])


def test_matrix_of_a_composition_by_hand():
    op = Sequential(CyclicShift(), Scale(R(1, 3)))
    # shift then scale: out[j] = in[j - 1] / 3, so row j holds 1/3 in column j - 1 (mod 3)
    third = R(1, 3)
    assert op.matrix(3).to_Matrix() == sympy.Matrix([[0, 0, third], [third, 0, 0], [0, third, 0]])
    # applied to u = [1, 1/2, -2]: [-2, 1, 1/2] / 3
    assert op(Signal([1, R(1, 2), -2])) == [R(-2, 3), R(1, 3), R(1, 6)]


def test_matrix_errors():
    with pytest.raises(InvalidArgumentError, match="is not linear"):
        Relu().matrix(3)
    for bad in (0, (2, 0), 1.5):
        with pytest.raises(InvalidArgumentError, match="shape="):
            CyclicShift().matrix(bad)
    with pytest.raises(InvalidArgumentError, match="outputs of several shapes"):
        BadShapes().matrix(2)


def test_columns_are_the_matrix_columns_by_hand():
    # Differences on length 3: out = [u1 - u0, u2 - u1], so e0 -> [-1, 0], e1 -> [1, -1], e2 -> [0, 1]
    assert Differences().columns(3) == (Signal([-1, 0]), Signal([1, -1]), Signal([0, 1]))
    # CyclicShift on 2x2 (flat row-major roll): e_(0,0) -> e_(0,1), ..., e_(1,1) -> e_(0,0)
    assert CyclicShift().columns((2, 2)) == (Signal([[0, 1], [0, 0]]), Signal([[0, 0], [1, 0]]),
                                             Signal([[0, 0], [0, 1]]), Signal([[1, 0], [0, 0]]))
    # irrational and symbolic entries: read off matrix() over its own domain
    root = sympy.sqrt(2)
    assert Scale(root).columns(2) == (Signal([root, 0]), Signal([0, root]))
    t = sympy.Symbol("t")
    assert Scale(t).columns(2) == (Signal([t, 0]), Signal([0, t]))


class CountingShift(CyclicShift):
    calls = 0

    def _apply(self, signal):
        CountingShift.calls += 1
        return super()._apply(signal)


def test_columns_and_sparse_rows_are_built_once_and_shared():
    op = CountingShift()
    CountingShift.calls = 0
    first = op.columns(5)
    assert CountingShift.calls == 5                     # one application per unit signal, by sparse_rows
    assert op.columns(5) is first and op.sparse_rows(5)[0] is op.sparse_rows(5)[0]
    assert CountingShift.calls == 5


def test_substitute_does_not_carry_matrices_of_the_old_symbols():
    t = sympy.Symbol("t")
    op = Scale(t)
    assert op.columns(2)[0] == Signal([t, 0])
    assert op.substitute({t: 3}).columns(2)[0] == Signal([3, 0])
    assert op.substitute({t: 3}).matrix(2).to_Matrix() == sympy.Matrix([[3, 0], [0, 3]])


def test_outputs_of_several_shapes_are_refused_by_sparse_rows_too():
    with pytest.raises(InvalidArgumentError, match="outputs of several shapes"):
        BadShapes().sparse_rows(2)


class DeclaredRoll(CyclicShift):
    """The roll by one declared as the periodic convolution with the single tap h_1 = 1."""

    def circulant_taps(self, n):
        return {1: 1}


class ScaledRoll(DeclaredRoll):
    """Changes the values but inherits the declaration: must not be believed."""

    def _apply(self, signal):
        return super()._apply(signal) * 2


def test_circulant_taps_default_declared_and_untrusted():
    assert Operator().circulant_taps(4) is None
    assert circulant_taps(CyclicShift(), 4) is None
    assert circulant_taps(DeclaredRoll(), 4) == {1: 1}
    assert circulant_taps(ScaledRoll(), 4) is None


def test_call_converts_lists_and_refuses_other_inputs():
    assert CyclicShift()([1, 2, 3]) == [3, 1, 2]
    assert CyclicShift()(sympy.Matrix([[1, 2]])).shape == (1, 2)
    with pytest.raises(InvalidArgumentError, match="signal must be a symequi.Signal"):
        CyclicShift()("1 2 3")
    with pytest.raises(InvalidArgumentError, match="u must be"):
        as_signal(3, "u")
    s = Signal([1])
    assert as_signal(s) is s


def test_sequential_composes_left_to_right():
    seq = Sequential(CyclicShift(), Scale(2), Relu())
    u = Signal([-1, R(1, 2), 3])
    # shift: [3, -1, 1/2]; scale: [6, -2, 1]; relu: [6, 0, 1]
    assert seq(u) == [6, 0, 1]
    assert Sequential(Relu(), CyclicShift())(u) == [3, 0, R(1, 2)]
    assert seq.operators == seq.layers and len(seq.layers) == 3
    assert Sequential()(u) == u


def test_sequential_flags_shapes_and_conventions():
    seq = Sequential(CyclicShift(), Scale(2), Relu())
    assert not seq.is_linear and seq.is_piecewise_linear
    assert Sequential(CyclicShift(), Scale(2)).is_linear
    assert not Sequential(Differences(), Relu()).is_piecewise_linear
    assert Sequential(Differences(), Differences()).output_shape((5,)) == (3,)
    assert Sequential(Differences(), Differences()).matrix(4).to_Matrix() == sympy.Matrix(
        [[1, -2, 1, 0], [0, 1, -2, 1]]
    )
    # conventions: merged in order, each once
    assert seq.conventions() == ("periodic boundary", "shift moves content right", "entrywise scaling")
    assert Sequential().conventions() == ()


def test_sequential_text_and_latex():
    seq = Sequential(CyclicShift(), Scale(2))
    assert seq.describe() == "Sequential(CyclicShift(1), Scale(2))"
    assert repr(seq) == seq.describe()
    # composition reads right to left in LaTeX: the first operator is innermost
    assert seq.latex() == r"2\,\cdot \circ \text{CyclicShift(1)}"
    assert Sequential().latex() == r"\mathrm{id}"
    assert Relu().latex() == r"\text{Relu()}"
    with pytest.raises(InvalidArgumentError, match=r"operators\[1\]=3 is not a symequi"):
        Sequential(CyclicShift(), 3)


def test_defaults_of_the_base_class():
    op = Relu()
    assert op.output_shape((3, 2)) == (3, 2)
    assert op.describe() == "Relu()"
    assert Operator().conventions() == ()
    assert not Operator.is_linear and not Operator.is_piecewise_linear


def test_underscores_are_escaped_in_default_latex():
    class My_Op(Operator):
        pass

    assert My_Op().latex() == r"\text{My\_Op()}"


def test_default_latex_escapes_every_special_character():
    class Odd(Operator):
        def describe(self):
            return r"pad {0} & 50% #1 a^2 b~c $d\e"

    assert Odd().latex() == (
        r"\text{pad \{0\} \& 50\% \#1 a\^{}2 b\~{}c \$d\textbackslash{}e}"
    )


def test_numpy_integer_arrays_are_accepted_and_numpy_floats_refused():
    import numpy as np

    from symequi.core.errors import InexactInputError

    # CyclicShift moves content right by one: [1, 2, 3] -> [3, 1, 2]
    assert CyclicShift()(np.array([1, 2, 3])) == Signal([3, 1, 2])
    assert as_signal(np.array([[1, -2]], dtype=np.int64)) == Signal([[1, -2]])
    with pytest.raises(InexactInputError, match="from_float"):
        CyclicShift()(np.array([0.5, 1.0]))
