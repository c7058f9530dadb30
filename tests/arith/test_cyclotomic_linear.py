"""CyclotomicLinear: the base class of operators with exact cyclotomic matrices.
Expectations are hand values of small matrices over Q(i) and Q(zeta_8)."""

import pytest
import sympy

from symequi.arith.cyclotomic import CyclotomicElement, cyclotomic_equal
from symequi.arith.cyclotomic_linear import CyclotomicLinear
from symequi.core.errors import InvalidArgumentError
from symequi.arith.formal_laurent import FormalLaurent, formal_matvec
from symequi.core.signal import Signal

I, SQRT2 = sympy.I, sympy.sqrt(2)
a, b = sympy.symbols("a b")


class Rotate(CyclotomicLinear):
    """(u_0, u_1) -> (cos t u_0 - sin t u_1, sin t u_0 + cos t u_1), t = pi/4; length 2 only."""

    builds = 0

    def _check_length(self, n):
        if n != 2:
            raise InvalidArgumentError(f"Rotate acts on length 2, not n={n}")

    def _build_matrix(self, n):
        type(self).builds += 1
        c = (CyclotomicElement.zeta(8) + CyclotomicElement.zeta(8, -1)) / 2           # sqrt2/2
        return [[c, -c], [c, c]]


class TimesI(CyclotomicLinear):
    def _build_matrix(self, n):
        i, zero = CyclotomicElement.zeta(4), CyclotomicElement.rational(0)
        return [[i if r == s else zero for s in range(n)] for r in range(n)]


class Broken(CyclotomicLinear):
    def _build_matrix(self, n):
        return [[1] * n]


def test_rational_cyclotomic_and_symbolic_inputs():
    # rational input: [1, 1] -> [0, sqrt2]
    assert Rotate()(Signal([1, 1])) == Signal([0, SQRT2])
    # cyclotomic input, computed inside Q(zeta_8): [sqrt2, 0] -> [1, 1]
    assert Rotate()(Signal([SQRT2, 0])) == Signal([1, 1])
    # symbolic input: expanded sympy sums
    out = Rotate()(Signal([a, b]))
    assert sympy.expand(out[0] - SQRT2 / 2 * (a - b)) == 0 and sympy.expand(out[1] - SQRT2 / 2 * (a + b)) == 0
    # complex outputs
    assert TimesI()(Signal([1, sympy.Rational(1, 2)])) == Signal([I, I / 2])


def test_matrix_is_cached_and_feeds_formal_arithmetic():
    op = Rotate()
    before = Rotate.builds
    m1, m2 = op.cyclotomic_matrix(2), op.cyclotomic_matrix(2)
    assert m1 is m2 and Rotate.builds == before + 1
    x0, x1 = FormalLaurent.symbol(0), FormalLaurent.symbol(1)
    out = formal_matvec(m1, [x0, x1])
    assert out[0] * out[0] + out[1] * out[1] == x0 * x0 + x1 * x1           # a rotation keeps the norm
    expected = [SQRT2 / 2, -SQRT2 / 2, SQRT2 / 2, SQRT2 / 2]
    assert all(cyclotomic_equal(p, q) for p, q in zip(op.matrix(2).to_Matrix(), expected))


def test_validation():
    with pytest.raises(InvalidArgumentError, match="length 2, not n=3"):
        Rotate()(Signal([1, 2, 3]))
    with pytest.raises(InvalidArgumentError, match=r"acts on 1-D signals, not shape=\(1, 2\)"):
        Rotate()(Signal([[1, 2]]))
    with pytest.raises(InvalidArgumentError, match=r"_build_matrix\(2\) must return rows of 2 CyclotomicElement"):
        Broken()(Signal([1, 2]))
    with pytest.raises(InvalidArgumentError, match="n=0 must be >= 1"):
        TimesI().cyclotomic_matrix(0)
