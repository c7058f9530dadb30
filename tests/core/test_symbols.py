"""The coordinates x, y and as_function (symequi/core/symbols.py)."""

from fractions import Fraction

import pytest
import sympy

import symequi
from symequi.core.errors import InexactInputError, InvalidArgumentError
from symequi.core.symbols import as_function, x, y


def test_coordinates_are_real_and_exported():
    assert x.is_real and y.is_real
    assert x.name == "x" and y.name == "y" and x != y
    assert symequi.x is x and symequi.y is y
    # real: |x|**2 is x**2, which a plain complex symbol does not allow
    assert sympy.Abs(x) ** 2 == x**2
    plain = sympy.Symbol("x")
    assert sympy.Abs(plain) ** 2 != plain**2


@pytest.mark.parametrize("text, expected", [
    ("x**2 - 1/3", x**2 - sympy.Rational(1, 3)),
    ("x*y + 2", x * y + 2),
    ("sin(x)", sympy.sin(x)),
    ("1/4", sympy.Rational(1, 4)),
])
def test_strings_map_to_the_real_coordinates(text, expected):
    f = as_function(text)
    assert f == expected
    assert f.free_symbols <= {x, y}


def test_plain_symbols_in_sympy_input_become_the_coordinates():
    plain_x, plain_y = sympy.symbols("x y")
    f = as_function(plain_x**2 + plain_y)
    assert f == x**2 + y and f.free_symbols == {x, y}
    # other symbols are left alone
    t = sympy.Symbol("t", positive=True)
    assert as_function(t * x) == t * x


def test_exact_constants_are_constant_functions():
    assert as_function(3) == 3
    assert as_function(Fraction(1, 3)) == sympy.Rational(1, 3)
    assert as_function(sympy.sqrt(2)) == sympy.sqrt(2)


@pytest.mark.parametrize("bad", [0.5, sympy.Float("0.5"), x + sympy.Float("0.25")])
def test_floats_are_refused_naming_the_argument(bad):
    with pytest.raises(InexactInputError, match="f0="):
        as_function(bad, "f0")


@pytest.mark.parametrize("bad", [True, None, [x], "x +"])
def test_non_functions_are_refused(bad):
    with pytest.raises(InvalidArgumentError, match="g="):
        as_function(bad, "g")
