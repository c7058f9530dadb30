"""The one parser for user text: symequi/core/parse.py.

Expected values are written by hand (exact rationals and sympy objects built
directly, not through the parser).  Hostile strings carry a canary: executed
as Python, they would create a file; the tests assert that the file never
appears, that each string is refused with an InvalidArgumentError naming the
argument, and that the refusal is fast.
"""

import sys
import time

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import symequi as se
from symequi.core import symbols as core_symbols
from symequi.core.errors import InvalidArgumentError, SymequiError
from symequi.core.exact import to_exact, to_rational
from symequi.core.parse import (
    ExpressionError,
    ParseLimits,
    get_parse_limits,
    parse_exact,
    parse_limits,
    set_parse_limits,
)

R = sympy.Rational


# -- what the grammar accepts -------------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", sympy.Integer(12)),
        ("-3/4", R(-3, 4)),
        ("+7", sympy.Integer(7)),
        ("0.1", R(1, 10)),
        ("1e-3", R(1, 1000)),
        ("2.5E2", sympy.Integer(250)),
        (".5", R(1, 2)),
        (" 6 / 4 ", R(3, 2)),
        ("-(1/3)", R(-1, 3)),
        ("2**-2", R(1, 4)),
        ("(1/2)**3 - 1/8", sympy.Integer(0)),
        ("0.1 + 0.2", R(3, 10)),  # exact: not 0.30000000000000004
        ("sqrt(8)", 2 * sympy.sqrt(2)),
        ("root(27, 3)", sympy.Integer(3)),
        ("pi/2", sympy.pi / 2),
        ("E**2", sympy.exp(2)),
        ("3*I - 1", 3 * sympy.I - 1),
        ("cos(pi/3)", R(1, 2)),
        ("log(E)", sympy.Integer(1)),
        ("Abs(-5/2)", R(5, 2)),
        ("Max(1, 2, 1/3)", sympy.Integer(2)),
        ("floor(7/2)", sympy.Integer(3)),
        ("atan2(1, 1)", sympy.pi / 4),
    ],
)
def test_numbers_and_expressions_read_exactly(text, expected):
    value = parse_exact(text, name="v")
    assert value == expected
    assert not value.has(sympy.Float)


def test_x_and_y_are_the_real_coordinates():
    f = parse_exact("x**2*y - x", name="f")
    assert f == core_symbols.x**2 * core_symbols.y - core_symbols.x
    assert f.free_symbols == {se.x, se.y}
    assert all(s.is_real for s in f.free_symbols)


def test_heaviside_names():
    x = core_symbols.x
    assert parse_exact("heaviside(x - 1/4)", name="f") == sympy.Heaviside(x - R(1, 4), 0)  # H(0) = 0
    assert parse_exact("Heaviside(x)", name="f") == sympy.Heaviside(x)  # sympy's; refused later by piecewise


def test_other_names_only_where_the_caller_allows_symbols():
    s = sympy.Symbol("s")
    with pytest.raises(ExpressionError, match=r"shift='2\*s' uses the name 's'"):
        parse_exact("2*s", name="shift")
    assert parse_exact("2*s", name="shift", symbols=True) == 2 * s
    assert parse_exact("2*s", name="shift", symbols={"s"}) == 2 * s
    with pytest.raises(ExpressionError, match="'t'"):
        parse_exact("2*t", name="shift", symbols={"s"})
    # a function name is never a symbol, even when symbols are allowed
    with pytest.raises(ExpressionError, match="without arguments"):
        parse_exact("sqrt + 1", name="v", symbols=True)


def test_public_api_reads_strings_with_the_parser():
    s = sympy.Symbol("s")
    assert se.shift("s", method="linear").taps(4) == {0: 1 - s, 1: s}  # shift amounts may be symbols
    assert se.Signal(["1/2", "0.25", "sqrt(2)"]).to_list() == [R(1, 2), R(1, 4), sympy.sqrt(2)]
    assert se.translate("x**2", "1/2") == (se.x - R(1, 2)) ** 2
    with pytest.raises(InvalidArgumentError, match=r"data\[0\]='a'"):
        se.Signal(["a"])  # an entry takes no symbols from text


# -- hostile strings ------------------------------------------------------------

def _hostile(canary: str) -> list[str]:
    """Strings that create ``canary`` (or worse) if any evaluator runs them."""
    touch = f"__import__('pathlib').Path({canary!r}).touch()"
    touch2 = f'__import__("pathlib").Path("{canary}").write_text("x")'
    return [
        touch,
        touch2,
        f'__import__("os").system("touch {canary}")',
        "().__class__.__bases__[0].__subclasses__()",
        "().__class__",
        "x.__class__",
        "__builtins__",
        "__import__",
        f"(lambda: {touch})()",
        f"[{touch} for _ in (1,)]",
        f"{{{touch}}}",
        f"f'{{{touch}}}'",
        f"1; {touch}",
        f"1\n{touch}",
        f"1 if {touch} else 2",
        f"eval({canary!r})",
        f"exec('import pathlib; pathlib.Path({canary!r}).touch()')",
        "open('/etc/passwd').read()",
        "getattr(x, 'evalf')()",
        "sympify('1')",
        "Symbol('a')",
        "x[0]",
        "x.evalf()",
        "sqrt(x=2)",
        "sqrt(*[2])",
        "\uff45val('1')",  # fullwidth e: NFKC folds it to 'eval'
        "\uff11\uff12",  # fullwidth digits 12
        "x\u200b + 1",  # zero-width space
        "\u0430 + 1",  # Cyrillic a
        "1 # comment",
        "x == 1",
        "not x",
        "x and 1",
        "1 @ 2",
        "2^3",
        "7 // 2",
        "7 % 2",
        "'1/2'",
        "b'1'",
        "None",
        "True",
        "...",
        "2j",
        "0x10",
        "1_000",
        "x := 1",
        "",
        "   ",
    ]


def test_hostile_strings_never_execute_and_fail_fast(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    canary = str(tmp_path / "CANARY")
    for text in _hostile(canary):
        for call in (
            lambda t: parse_exact(t, name="arg", symbols=True),
            lambda t: to_exact(t, "arg"),
            lambda t: se.Signal([t]),
            lambda t: se.Grid(t, 1, 4),
            lambda t: se.shift(t, method="linear"),
            lambda t: se.Bias(t),
            lambda t: se.Convolution([t, 1]),
            lambda t: core_symbols.as_function(t, "arg"),
            lambda t: se.translate("x", t),
            lambda t: se.CellAverage(se.Grid(0, 1, 2))(t),
        ):
            start = time.perf_counter()
            with pytest.raises(InvalidArgumentError) as info:
                call(text)
            assert time.perf_counter() - start < 1, text
            message = str(info.value)
            assert "=" in message and len(message) < 2000, message
            assert not (tmp_path / "CANARY").exists(), text


def test_the_refusal_says_what_is_accepted():
    with pytest.raises(ExpressionError) as info:
        parse_exact("().__class__", name="kernel[1]")
    message = str(info.value)
    assert message.startswith("kernel[1]='().__class__' uses attribute access")
    assert "Accepted: integers" in message and "sqrt" in message and "pi" in message
    with pytest.raises(ExpressionError, match=r"U\+FF45"):
        parse_exact("\uff45val(1)", name="a")
    with pytest.raises(ExpressionError, match=r"write powers as \*\*"):
        parse_exact("x^2", name="a")
    with pytest.raises(ExpressionError, match="calls 'eval', which is not a known function"):
        parse_exact("eval(1)", name="a")


# -- limits: refused before the work, the limit named with the way to raise it --

@pytest.mark.parametrize(
    ("text", "limit"),
    [
        ("1" * 10_001, "max_length"),
        ("+".join(["x"] * 1500), "max_nodes"),
        ("-" * 150 + "1", "max_depth"),
        ("(" * 250 + "1" + ")" * 250, "max_depth"),
        ("-" * 9000 + "1", "max_depth"),
        ("10**10**10", "max_exponent"),
        ("2**(10**12)", "max_exponent"),
        ("x**(10**9)", "max_exponent"),
        ("2**(1/1000001)", "max_exponent"),
        ("1e1000000000", "max_exponent"),
        ("1e-99999", "max_exponent"),
        ("9" * 4100, "max_digits"),
        ("((10**1000)**5)**5", "max_digits"),
        ("(2**9999)*(2**9999)*(2**9999)*(2**9999)*(2**9999)", "max_digits"),
        ("(10**1000*x)**100", "max_digits"),
        ("sqrt(10**1000 + 1)", "max_root_digits"),
        ("root(10**3999 + 7, 9999)", "max_root_digits"),
    ],
)
def test_limits_refuse_before_computing(text, limit):
    start = time.perf_counter()
    with pytest.raises(ExpressionError) as info:
        parse_exact(text, name="a")
    assert time.perf_counter() - start < 1
    message = str(info.value)
    assert f"over the limit {limit}=" in message
    assert f"parse_limits({limit}=...)" in message


def test_limits_can_be_raised_for_trusted_input():
    text = "x**20000"
    with pytest.raises(ExpressionError, match="max_exponent"):
        parse_exact(text, name="a")
    with parse_limits(max_exponent=10**5) as limits:
        assert limits.max_exponent == 10**5
        assert parse_exact(text, name="a") == core_symbols.x**20000
    assert get_parse_limits() == ParseLimits()  # restored on leaving the block
    # 2**(10**4) is 3011 digits (10**4 * log10(2) = 3010.3): inside the default max_digits
    assert parse_exact("2**10000", name="a") == sympy.Integer(2) ** 10000
    old = get_parse_limits()
    try:
        set_parse_limits(max_length=5)
        with pytest.raises(ExpressionError, match="max_length=5"):
            parse_exact("123456", name="a")
    finally:
        set_parse_limits(max_length=old.max_length)
    with pytest.raises(InvalidArgumentError, match="not a parse limit"):
        with parse_limits(max_apples=3):
            pass
    with pytest.raises(InvalidArgumentError, match="max_depth=0 must be a positive int"):
        set_parse_limits(max_depth=0)


def test_huge_decimal_exponents_are_refused_before_computing():
    from decimal import Decimal

    start = time.perf_counter()
    with pytest.raises(InvalidArgumentError, match="over the limit max_exponent="):
        to_exact(Decimal("1E999999999"), "v")
    assert time.perf_counter() - start < 1
    assert to_exact(Decimal("-1.25E-2"), "v") == R(-1, 80)


def test_undefined_values_are_refused():
    for text in ("1/0", "0**-1", "log(0)", "1/(1 - 1)"):
        with pytest.raises(SymequiError, match="v="):
            to_exact(text, "v")
    with pytest.raises(InvalidArgumentError, match="not a rational"):
        to_rational("sqrt(2)", "v")


def test_non_strings_are_refused():
    with pytest.raises(InvalidArgumentError, match="not a string"):
        parse_exact(3, name="v")  # type: ignore[arg-type]


# -- no string ever reaches sympify / parse_expr -----------------------------------

def _refuse_strings(original, what):
    def guarded(a, *args, **kwargs):
        if isinstance(a, str):
            raise AssertionError(f"{what} was called on the string {a!r}")
        return original(a, *args, **kwargs)
    return guarded


def test_no_string_reaches_sympify_or_parse_expr(monkeypatch):
    import importlib

    import sympy.physics.units  # noqa: F401  (sympy imports it lazily and sympifies its own constant names)
    from sympy.parsing import sympy_parser

    sympify_module = importlib.import_module("sympy.core.sympify")
    originals = {"sympify": sympify_module.sympify, "parse_expr": sympy_parser.parse_expr}
    for module in list(sys.modules.values()):
        name = getattr(module, "__name__", "") or ""
        if not (name.startswith("sympy") or name.startswith("symequi")):
            continue
        for attr, original in originals.items():
            if getattr(module, attr, None) is original:
                monkeypatch.setattr(module, attr, _refuse_strings(original, attr))
    monkeypatch.setattr(type(sympy.S), "__call__", staticmethod(_refuse_strings(originals["sympify"], "sympy.S")))
    with pytest.raises(AssertionError, match="string"):
        sympy.sympify("1")  # the guard is in place

    s = sympy.Symbol("s")
    grid = se.Grid("0", "1/2", 4)
    assert grid.dx == R(1, 8)
    assert se.Signal(["1/2", "sqrt(2)", "x", "-0.25"]).to_list() == [R(1, 2), sympy.sqrt(2), se.x, R(-1, 4)]
    assert se.Signal([["1", "2"], ["3/4", "1e-2"]]).shape == (2, 2)
    assert se.shift("1/2", method="linear")(se.Signal([0, 1])) == se.Signal([R(1, 2), R(1, 2)])
    assert se.shift("s", method="linear").taps(4) == {0: 1 - s, 1: s}
    assert se.shift(("1/2", "0"), method="linear").s == (R(1, 2), 0)
    assert se.Bias("1/3")(se.Signal([0])) == se.Signal([R(1, 3)])
    assert se.Convolution(["1", "-1/2"], padding="periodic")(se.Signal([1, 0, 0])) == se.Signal([1, R(-1, 2), 0])
    assert se.Correlation(["1/2", "1/2"], padding="periodic")(se.Signal([2, 0])) == se.Signal([1, 1])
    assert se.PolynomialActivation("x**2")(se.Signal(["1/2"])) == se.Signal([R(1, 4)])
    assert se.LeakyReLU("1/10")(se.Signal([-10])) == se.Signal([-1])
    assert se.translate("x**2", "1/2") == (se.x - R(1, 2)) ** 2
    assert se.heaviside("x - 1/4").subs(se.x, R(1, 4)) == 0
    assert se.CellAverage(se.Grid(0, 1, 2))("2*x") == se.Signal([R(1, 2), R(3, 2)])  # hand: averages of 2x
    assert se.PointSample(se.Grid(0, 1, 2))("x**2") == se.Signal([R(1, 16), R(9, 16)])  # centres 1/4, 3/4
    assert to_rational("0.125", "v") == R(1, 8)
    assert se.from_float(0.5) == R(1, 2)
    assert se.is_zero("sin(x)**2 + cos(x)**2 - 1") is True
    assert se.Signal([1, 2]) * "1/2" == se.Signal([R(1, 2), 1])
    for hostile in _hostile("CANARY-never-created"):
        with pytest.raises(InvalidArgumentError):
            se.Signal([hostile])


# -- property: every decimal and fraction string reads to its exact value ---------

@settings(max_examples=100, deadline=None)
@given(st.integers(-10**30, 10**30), st.integers(0, 40), st.integers(-300, 300))
def test_decimal_strings_read_exactly(mantissa, scale, exponent):
    text = f"{mantissa}e{exponent}" if scale == 0 else f"{mantissa // 10**scale}.{str(abs(mantissa)).zfill(scale)[-scale:]}"
    # independent: the decimal module reads the same text exactly
    from decimal import Decimal
    from fractions import Fraction

    expected = Fraction(Decimal(text))
    assert parse_exact(text, name="v") == R(expected.numerator, expected.denominator)


@pytest.mark.parametrize("text", ["exp(exp(exp(exp(100))))", "cosh(exp(100))", "2**exp(100)", "sinh(10**6)"])
def test_growing_functions_of_huge_numbers_fail_fast(text):
    # each would build a number far beyond any machine (exp(exp(100)) has about 10**43 digits)
    with pytest.raises(ExpressionError, match="over the limit max_exponent"):
        parse_exact(text, name="a")


def test_growing_functions_of_moderate_numbers_parse():
    import sympy

    assert parse_exact("exp(100)", name="a") == sympy.exp(100)
    assert parse_exact("cosh(3/2)", name="a") == sympy.cosh(sympy.Rational(3, 2))
