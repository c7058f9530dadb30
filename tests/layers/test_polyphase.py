"""Adaptive polyphase sampling (symequi/layers/polyphase.py) against a Fraction reimplementation.

The reference below is written from the definition (Chaman & Dokmanic 2021): split every channel
into its ``s`` polyphase components ``row[k::s]``, measure each component over all channels (sum of
|x|, or sum of x**2), keep the first component of largest measure (``list.index(max(...))`` is the
lowest index on ties).  The SMT encoding is checked by substituting rational inputs into the z3
terms and simplifying, independently of the layer's evaluation.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy
import z3
from hypothesis import given, settings
from hypothesis import strategies as st

import symequi as se
from symequi.core.errors import EncodingError, InvalidArgumentError, SymequiError
from symequi.core.signal import Signal
from symequi.deciders.smt import Z3Algebra
from symequi.layers import APS_NORMS, AdaptivePolyphaseSampling, PolyphaseNorms, polyphase_components

F = Fraction


def ref_norms(rows: list[list[Fraction]], norm: str, s: int) -> list[Fraction]:
    return [sum((abs(v) if norm == "l1" else v * v for row in rows for v in row[k::s]), F(0)) for k in range(s)]


def ref_aps(rows: list[list[Fraction]], norm: str, s: int) -> list[list[Fraction]]:
    """The component of largest norm, all channels jointly; the lowest index on ties."""
    norms = ref_norms(rows, norm, s)
    best = norms.index(max(norms))
    return [row[best::s] for row in rows]


def as_rows(signal_data):
    return signal_data if isinstance(signal_data[0], list) else [signal_data]


# --- values --------------------------------------------------------------------------------------

def test_by_hand():
    aps1, aps2 = AdaptivePolyphaseSampling("l1"), AdaptivePolyphaseSampling("l2")
    # x0 = (1, 0), x1 = (-3, 1): l1 1 < 4, l2 1 < 10
    assert aps1([1, -3, 0, 1]) == Signal([-3, 1]) and aps2([1, -3, 0, 1]) == Signal([-3, 1])
    # x0 = (3, 0), x1 = (2, 2): l1 3 < 4 keeps x1, l2 9 > 8 keeps x0: the criteria differ
    assert aps1([3, 2, 0, 2]) == Signal([2, 2]) and aps2([3, 2, 0, 2]) == Signal([3, 0])
    # stride 3 on N = 6: components (1, 0), (0, '1/2'), (-2, 0)
    assert AdaptivePolyphaseSampling("l1", stride=3)([1, 0, -2, 0, "1/2", 0]) == Signal([-2, 0])
    # channels jointly: x0 = [[1, 0], [0, 1]] (l2 2), x1 = [[0, 1], [2, 0]] (l2 5)
    assert aps2([[1, 0, 0, 1], [0, 2, 1, 0]]) == Signal([[0, 1], [2, 0]])
    assert PolyphaseNorms("l1")([[1, 0, 0, 1], [0, 2, 1, 0]]) == Signal([2, 3])


def test_tie_rule_lowest_index_wins():
    assert AdaptivePolyphaseSampling("l1")([2, 1, 0, 1]) == Signal([2, 0])          # 2 = 2
    assert AdaptivePolyphaseSampling("l2")([1, 0, 0, -1]) == Signal([1, 0])         # 1 = 1
    assert AdaptivePolyphaseSampling("l2")([0, 1, -1, 0]) == Signal([0, -1])        # 1 = 1
    # stride 3: components 1 and 2 tie above component 0: component 1
    assert AdaptivePolyphaseSampling("l1", stride=3)([0, 2, -2, 1, 0, 0]) == Signal([2, 0])
    assert AdaptivePolyphaseSampling("l1", stride=3).choice([0, 5, 5]) == 1
    assert AdaptivePolyphaseSampling("l1", stride=3).choice([5, 5, 5]) == 0
    assert AdaptivePolyphaseSampling(stride=3).choice([sympy.Integer(1), sympy.sqrt(2), sympy.sqrt(2)]) == 1
    assert "lowest index" in AdaptivePolyphaseSampling().conventions()[1]


rationals = st.fractions(min_value=-4, max_value=4, max_denominator=4)
small = st.integers(-2, 2).map(F)  # many ties


@st.composite
def cases(draw):
    s = draw(st.sampled_from([1, 2, 3]))
    n = s * draw(st.integers(1, 3))
    channels = draw(st.sampled_from([0, 1, 2]))  # 0: a 1-D signal
    entries = draw(st.sampled_from([rationals, small]))
    rows = [draw(st.lists(entries, min_size=n, max_size=n)) for _ in range(max(channels, 1))]
    return draw(st.sampled_from(APS_NORMS)), s, (rows if channels else rows[0])


@settings(max_examples=150, deadline=None)
@given(cases())
def test_values_match_the_fraction_reimplementation(case):
    norm, s, data = case
    rows = as_rows(data)
    out = AdaptivePolyphaseSampling(norm, stride=s)(Signal(data))
    expected = ref_aps(rows, norm, s)
    assert out.to_fractions() == (expected if isinstance(data[0], list) else expected[0])
    assert PolyphaseNorms(norm, stride=s)(Signal(data)).to_fractions() == ref_norms(rows, norm, s)


def test_algebraic_entries_are_compared_exactly():
    r2, r3 = sympy.sqrt(2), sympy.sqrt(3)
    aps = AdaptivePolyphaseSampling("l1")
    assert aps([r2, 1, 0, "1/2"]) == Signal([1, "1/2"])                  # sqrt2 < 3/2
    assert aps([r2, F(140, 99), 0, 0]) == Signal([r2, 0])                # sqrt2 > 140/99 (by 7e-5)
    assert aps([1 - r2, F(1, 3), 0, 0]) == Signal([1 - r2, 0])          # |1 - sqrt2| > 1/3
    # an exact tie that numerics cannot settle: sqrt(5 + 2 sqrt6) = sqrt2 + sqrt3, lowest index wins
    nested = sympy.sqrt(5 + 2 * sympy.sqrt(6))
    assert aps([r2 + r3, nested]) == Signal([r2 + r3])
    assert aps([nested, r2 + r3]) == Signal([nested])
    assert AdaptivePolyphaseSampling("l2")([r3, 1, 0, r2]) == Signal([r3, 0])   # 3 = 3: a tie


def test_symbolic_entries_give_piecewise_with_the_tie_rule():
    a, b = sympy.symbols("a b", real=True)
    out = AdaptivePolyphaseSampling("l1")([a, b])
    (entry,) = out.flat_exprs()
    assert isinstance(entry, sympy.Piecewise)
    for va, vb, want in [(1, 2, 2), (2, 1, 2), (-3, 3, -3), (0, -1, -1)]:
        assert entry.subs({a: va, b: vb}) == want                      # |a| >= |b| keeps a (ties too)


# --- arguments -----------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, match", [
    ({"norm": "l3"}, r"norm='l3' must be 'l1'.*or 'l2'"),
    ({"norm": 2}, r"norm=2 must be 'l1'"),
    ({"stride": 0}, r"stride=0 must be >= 1"),
    ({"stride": "2"}, r"stride='2' must be a positive integer"),
    ({"stride": 1.5}, r"stride=1.5 must be a positive integer"),
])
def test_bad_arguments_are_refused_by_name(kwargs, match):
    with pytest.raises(InvalidArgumentError, match=match) as info:
        AdaptivePolyphaseSampling(**kwargs)
    assert isinstance(info.value, SymequiError)
    with pytest.raises(InvalidArgumentError, match=match):
        PolyphaseNorms(**kwargs)


def test_bad_input_shapes_are_refused_by_name():
    with pytest.raises(InvalidArgumentError, match=r"stride=2 needs the signal length N.*multiple of 2; got shape \(3,\)"):
        AdaptivePolyphaseSampling()([1, 2, 3])
    with pytest.raises(InvalidArgumentError, match=r"stride=3.*got shape \(2, 4\).*divisible by 3"):
        AdaptivePolyphaseSampling(stride=3).output_shape((2, 4))
    with pytest.raises(InvalidArgumentError, match=r"shape \(N,\) or \(C, N\); got shape \(1, 2, 2\)"):
        AdaptivePolyphaseSampling()([[[1, 2], [3, 4]]])
    with pytest.raises(InvalidArgumentError, match="multiple of 2"):
        PolyphaseNorms()([1, 2, 3])


def test_shapes_components_and_reports():
    aps = AdaptivePolyphaseSampling("l2", stride=2)
    assert aps.output_shape((8,)) == (4,) and aps.output_shape((3, 6)) == (3, 3)
    assert polyphase_components((2, 6), 3) == [[0, 3, 6, 9], [1, 4, 7, 10], [2, 5, 8, 11]]
    assert aps.is_piecewise_linear is False and AdaptivePolyphaseSampling().is_piecewise_linear is True
    assert not aps.is_linear and aps.maps_reals_to_reals()
    assert repr(aps) == "AdaptivePolyphaseSampling('l2', stride=2)"
    assert "l2 norm" in aps.describe() and r"\|_2" in aps.latex()
    assert aps.parts() == (aps,)
    assert aps.tie_margins()([1, 2, 2, -1]) == Signal([0]) and aps.tie_margins()([1, 2, 4, -2]) == Signal([9])


# --- the SMT encoding agrees with the exact values ---------------------------------------------

def _encoded_values(op, data, *, nonlinear):
    """Encode ``op`` on z3 unknowns, then substitute the rational ``data`` and simplify."""
    signal = Signal(data)
    ctx = z3.Context()
    u = [z3.Real(f"u_{i}", ctx) for i in range(signal.size)]
    terms, shape = Z3Algebra(ctx, nonlinear=nonlinear).apply(op, u, signal.shape)
    values = [z3.RealVal(f"{v.numerator}/{v.denominator}", ctx) for v in _flat(signal.to_fractions())]
    out = []
    for t in terms:
        v = z3.simplify(z3.substitute(t, *zip(u, values)))
        out.append(v.as_fraction() if z3.is_rational_value(v) else F(v.as_long()))
    return out, shape


def _flat(nested):
    return [v for row in nested for v in row] if nested and isinstance(nested[0], list) else list(nested)


@settings(max_examples=80, deadline=None)
@given(cases())
def test_smt_encoding_matches_the_reference(case):
    norm, s, data = case
    aps = AdaptivePolyphaseSampling(norm, stride=s)
    values, shape = _encoded_values(aps, data, nonlinear=True)
    assert values == _flat(ref_aps(as_rows(data), norm, s)) and shape == aps.output_shape(Signal(data).shape)
    norms, _ = _encoded_values(PolyphaseNorms(norm, stride=s), data, nonlinear=True)
    assert norms == ref_norms(as_rows(data), norm, s)


def test_l2_needs_the_nonlinear_encoding():
    with pytest.raises(EncodingError, match=r"adaptive polyphase sampling, l2 norm.*x\^2.*nonlinear=True"):
        _encoded_values(AdaptivePolyphaseSampling("l2"), [1, 2, 3, 4], nonlinear=False)
    values, _ = _encoded_values(AdaptivePolyphaseSampling("l1"), [1, 2, 3, 4], nonlinear=False)
    assert values == [2, 4]


def test_smt_decides_the_stride_square_and_finds_a_tie():
    aps = AdaptivePolyphaseSampling("l1")
    proved = se.decide(se.Square(aps, se.shift(2), g_out=se.shift(1), input_shape=6))
    assert proved.proved and proved.decider == "smt"
    v = se.decide(se.Square(se.Sequential(aps, se.MaxPool(2)), se.shift(1), g_out=se.shift(0), input_shape=4))
    assert v.refuted
    u = _flat(v.input.to_fractions())
    n0, n1 = ref_norms([u], "l1", 2)
    assert n0 == n1  # without a tie the square holds (the proof scripts prove it): z3's witness is a tie
