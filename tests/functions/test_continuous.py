"""Continuous functions: symequi/continuous.py (Heaviside convention, translation direction)."""

import pytest
import sympy
from sympy import Rational as R

from symequi.functions.continuous import as_function, heaviside, translate, x, y
from symequi.core.errors import InexactInputError, InvalidArgumentError


def test_coordinates_are_real_symbols():
    assert x.is_real and y.is_real
    assert (x.name, y.name) == ("x", "y")


def test_heaviside_is_zero_at_zero_as_in_the_paper():
    H = heaviside(x)
    assert H.subs(x, 0) == 0  # sympy's Heaviside(0) would be 1/2
    assert H.subs(x, R(-1, 3)) == 0
    assert H.subs(x, R(1, 10**9)) == 1
    assert H.subs(x, 5) == 1
    assert not H.has(sympy.Heaviside)


def test_heaviside_of_a_shifted_argument():
    H = heaviside(x - R(1, 4))
    assert [H.subs(x, v) for v in (0, R(1, 4), R(1, 2))] == [0, 0, 1]
    assert heaviside("x - 1/4") == H  # strings read exactly, x is the real coordinate


def test_heaviside_integrates_like_a_step():
    # integral of H over [-1, 1] is 1 (hand computation)
    assert sympy.integrate(heaviside(x), (x, -1, 1)) == 1


def test_translate_moves_the_graph_right():
    f = heaviside(x)
    g = translate(f, R(1, 4))
    # the jump moves from 0 to 1/4: values just left of 1/4 are now 0
    assert g.subs(x, R(1, 8)) == 0
    assert g.subs(x, R(1, 4)) == 0
    assert g.subs(x, R(3, 8)) == 1
    # f(x - delta): the value of f at p appears at p + delta
    bump = x**2 * (1 - x)
    for p in (R(0), R(1, 3), R(-2)):
        assert translate(bump, "1/2").subs(x, p + R(1, 2)) == bump.subs(x, p)
    assert translate(x**2, 1) == (x - 1) ** 2


def test_translate_by_negative_and_symbolic_amounts():
    d = sympy.Symbol("delta", real=True)
    assert translate(x**2, -2) == (x + 2) ** 2
    assert sympy.expand(translate(x**2, d) - (x - d) ** 2) == 0


def test_translations_compose_additively():
    f = sympy.sin(x) + x**3
    assert sympy.expand(translate(translate(f, R(1, 3)), R(1, 6)) - translate(f, R(1, 2))) == 0


def test_translate_in_two_dimensions():
    f = x * y**2
    assert translate(f, (1, 2), var=(x, y)) == (x - 1) * (y - 2) ** 2
    assert translate(f, ["1/2", 0], var=(x, y)) == (x - R(1, 2)) * y**2
    assert translate(f, sympy.Tuple(1, 2), var=(x, y)) == (x - 1) * (y - 2) ** 2
    # simultaneous substitution: swapping the roles of x and y does not mix them
    assert translate(x + 2 * y, (1, 0), var=(y, x)) == x + 2 * (y - 1)
    step = heaviside(x) * heaviside(y)
    moved = translate(step, (R(1, 2), R(1, 3)), var=(x, y))
    assert moved.subs({x: R(1, 2), y: 1}) == 0
    assert moved.subs({x: 1, y: R(1, 2)}) == 1


def test_translate_refuses_floats_and_mismatched_deltas():
    with pytest.raises(InexactInputError, match="delta=0.25"):
        translate(x, 0.25)
    with pytest.raises(InexactInputError, match=r"delta\[1\]="):
        translate(x * y, (1, 0.5), var=(x, y))
    with pytest.raises(InvalidArgumentError, match="var=.*pass var=\\(x, y\\)"):
        translate(x * y, (1, 2))
    with pytest.raises(InvalidArgumentError, match="one entry per coordinate"):
        translate(x * y, (1, 2, 3), var=(x, y))
    with pytest.raises(InvalidArgumentError, match="one entry per coordinate"):
        translate(x * y, 1, var=(x, y))
    with pytest.raises(InexactInputError, match="f="):
        translate(0.5 * x, 1)


def test_as_function_maps_plain_symbols_to_the_coordinates():
    plain = sympy.Symbol("x")
    f = as_function(plain**2 + 1)
    assert f.free_symbols == {x}
    assert as_function("x*y").free_symbols == {x, y}
    assert as_function(3) == 3
    assert as_function("sqrt(2)*x") == sympy.sqrt(2) * x
    with pytest.raises(InexactInputError, match="g="):
        as_function(0.1, "g")
    with pytest.raises(InvalidArgumentError, match="arg="):
        heaviside(x > 0)
