"""Finite-volume translation: hand schemes, an independent sympy implementation,
and reproduction of cell averages computed by sympy integration."""

from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from symequi.core.errors import InvalidArgumentError
from symequi.translations.finite_volume import FiniteVolumeKernel, FiniteVolumeShift
from symequi.core.signal import Signal
from symequi.translations import shift

R = sympy.Rational
S = sympy.Symbol("s")
y = sympy.Symbol("y", real=True)

small = st.fractions(min_value=-4, max_value=4, max_denominator=6)
vectors = st.integers(min_value=4, max_value=9).flatmap(lambda n: st.lists(small, min_size=n, max_size=n))
courant = st.fractions(min_value=0, max_value=1, max_denominator=9)


def cell_average(poly, lo, hi):
    """Exact average of a polynomial over [lo, hi] (sympy Poly antiderivative)."""
    primitive = sympy.Poly(poly, y).integrate()
    return (primitive.eval(hi) - primitive.eval(lo)) / (hi - lo)


@settings(max_examples=40, deadline=None)
@given(vectors, courant)
def test_degree_zero_is_upwind(values, s):
    n = len(values)
    expected = [(1 - s) * values[j] + s * values[j - 1] for j in range(n)]   # periodic: j-1 = -1 wraps
    assert shift(s, method="finite_volume", degree=0)(Signal(values)) == Signal(expected)


@settings(max_examples=30, deadline=None)
@given(vectors, courant)
def test_degree_one_is_beam_warming_or_lax_wendroff(values, v):
    n = len(values)
    u = lambda k: values[k % n]  # noqa: E731
    beam_warming = [u(j) - v / 2 * (3 * u(j) - 4 * u(j - 1) + u(j - 2))
                    + v * v / 2 * (u(j) - 2 * u(j - 1) + u(j - 2)) for j in range(n)]
    lax_wendroff = [u(j) - v / 2 * (u(j + 1) - u(j - 1))
                    + v * v / 2 * (u(j + 1) - 2 * u(j) + u(j - 1)) for j in range(n)]
    assert FiniteVolumeShift(v, degree=1)(Signal(values)) == Signal(beam_warming)
    assert FiniteVolumeShift(v, degree=1, bias="right")(Signal(values)) == Signal(lax_wendroff)


def reference_shift(values, s, degree, stencil):
    """Reconstruct / translate / average with sympy.solve and exact antiderivatives (periodic)."""
    n = len(values)
    cs = sympy.symbols(f"c0:{degree + 1}")
    polys = []
    for i in range(n):
        p = sum(c * (y - i) ** e for e, c in enumerate(cs))   # local polynomial about the centre of cell i
        eqs = [cell_average(p, i + r - R(1, 2), i + r + R(1, 2)) - values[(i + r) % n] for r in stencil]
        polys.append(p.subs(sympy.solve(eqs, cs)))
    out = []
    for j in range(n):
        a, b = j - R(1, 2) - s, j + R(1, 2) - s          # average of R(x - s) over cell j
        total = 0
        for i in range(int(sympy.floor(a + R(1, 2))), int(sympy.ceiling(b - R(1, 2))) + 1):
            lo, hi = max(a, i - R(1, 2)), min(b, i + R(1, 2))
            if lo < hi:
                total += cell_average(polys[i % n].subs(y, y - (i - i % n)), lo, hi) * (hi - lo)
        out.append(sympy.sympify(total))
    return out


@pytest.mark.parametrize("degree,bias,stencil", [
    (1, "left", (-1, 0)), (1, "right", (0, 1)), (2, "left", (-1, 0, 1)), (3, "left", (-2, -1, 0, 1)),
])
@pytest.mark.parametrize("s", [R(1, 3), R(-3, 4), R(5, 2)])
def test_matches_independent_reconstruction(degree, bias, stencil, s):
    values = [R(3), R(-1, 2), R(0), R(2), R(7, 3), R(-2)]
    assert FiniteVolumeKernel(degree=degree, bias=bias).stencil == stencil
    out = FiniteVolumeShift(s, degree=degree, bias=bias)(Signal(values))
    assert out == Signal(reference_shift(values, s, degree, stencil))


@pytest.mark.parametrize("degree", [0, 1, 2, 3, 4])
@settings(max_examples=8, deadline=None)
@given(data=st.data())
def test_reproduces_cell_averages_of_polynomials(degree, data):
    # Degree p + 1, one more than the brief's "degree <= p" (see test_reproduction_degree_is_sharp).
    coeffs = data.draw(st.lists(small, min_size=degree + 2, max_size=degree + 2))
    s = data.draw(st.fractions(min_value=-2, max_value=2, max_denominator=5))
    s = R(s.numerator, s.denominator)
    p = sum(R(c.numerator, c.denominator) * y**e for e, c in enumerate(coeffs))
    n = 12
    averages = [cell_average(p, i - R(1, 2), i + R(1, 2)) for i in range(n)]
    op = FiniteVolumeShift(s, degree=degree, boundary=data.draw(st.sampled_from(["zeros", "periodic"])))
    out = op(Signal(averages))
    taps = op.taps(n)
    shifted = sympy.expand(p.subs(y, y - s))
    for j in range(n):
        if all(0 <= j - m < n for m in taps):
            assert out[j] == cell_average(shifted, j - R(1, 2), j + R(1, 2))


def test_reproduction_degree_is_sharp():
    # Degree p reproduces averages of degree p + 1 (the primitive's interpolation
    # error is the same in every cell and cancels), but not degree p + 2.
    n = 12
    for degree in range(4):
        for power, reproduced in ((degree + 1, True), (degree + 2, False)):
            averages = [cell_average(y**power, i - R(1, 2), i + R(1, 2)) for i in range(n)]
            out = FiniteVolumeShift(R(1, 3), degree=degree)(Signal(averages))
            expected = cell_average(sympy.expand((y - R(1, 3)) ** power), 6 - R(1, 2), 6 + R(1, 2))
            assert (out[6] == expected) is reproduced


@pytest.mark.parametrize("degree", [0, 1, 2, 3])
def test_periodic_shift_conserves_mass(degree):
    values = [Fraction(k * k - 7, 3) for k in range(7)]
    out = FiniteVolumeShift(R(2, 7), degree=degree)(Signal(values))
    assert sum(out.to_fractions()) == sum(values)


def test_symbolic_shift():
    assert FiniteVolumeShift(S, degree=0).taps(5) == {0: 1 - S, 1: S}
    assert FiniteVolumeShift(S, degree=0, interval=(1, 2)).taps(5) == {1: 2 - S, 2: S - 1}
    bw = FiniteVolumeShift(S, degree=1).taps(5)
    assert bw == {0: 1 - 3 * S / 2 + S**2 / 2, 1: 2 * S - S**2, 2: S**2 / 2 - S / 2}


def test_zero_boundary_uses_zero_ghost_cells():
    out = FiniteVolumeShift(R(1, 2), degree=0, boundary="zeros")(Signal([4, 0, 0]))
    assert out == Signal([2, 2, 0])


def test_metadata_and_bad_arguments():
    op = shift(R(1, 2), method="finite_volume", degree=2)
    assert isinstance(op, FiniteVolumeShift) and op.degree == 2
    text = " ".join(op.conventions())
    assert "cell averages" in text and "[-1, 0, 1]" in text
    assert "degree=2" in op.describe()
    assert op.is_piecewise_linear and op.matrix(4).domain == sympy.QQ
    with pytest.raises(InvalidArgumentError, match="degree"):
        FiniteVolumeShift(R(1, 2), degree=-1)
    with pytest.raises(InvalidArgumentError, match="degree"):
        FiniteVolumeShift(R(1, 2), degree=R(1, 2))
    with pytest.raises(InvalidArgumentError, match="bias"):
        FiniteVolumeShift(R(1, 2), degree=1, bias="up")
    with pytest.raises(InvalidArgumentError, match="needs degree"):
        shift(R(1, 2), method="finite_volume")
