"""brief: any value in bounded length for a message, never raising.

Expected texts are derived independently: ``str(n)`` of ints below Python's
4300-digit limit gives the digits, head and tail; ``repr``/``str`` give the text
of short values, which brief must reproduce exactly.
"""

import math
import pathlib
import sys
from fractions import Fraction

import flint
import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from symequi.core import texts
from symequi.core.texts import BRIEF_LIMIT, TEXT_LIMIT, brief, int_digits

HUGE = 10**5000


def _expected_int(n: int) -> str:
    """By hand from the decimal text: in full up to 50 digits, else head, tail and count."""
    s = str(abs(n))
    sign = "-" if n < 0 else ""
    return sign + s if len(s) <= 50 else f"{sign}{s[:6]}...{s[-3:]} ({len(s)} digits)"


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 4000).flatmap(lambda d: st.integers(-(10**d), 10**d)))
def test_ints_show_in_full_or_head_tail_and_count(n):
    assert brief(n) == brief(n, str) == _expected_int(n)


@pytest.mark.parametrize("k", [1, 2, 19, 20, 21, 49, 50, 51, 300, 4299])
def test_digit_counts_at_powers_of_ten(k):
    for n in (10**k - 1, 10**k, 10**k + 1, -(10**k)):
        assert int_digits(n) == (len(str(abs(n))), True)


def test_the_examples_of_the_issue():
    assert brief(HUGE) == "100000...000 (5001 digits)"  # 10**5000: a one and 5000 zeros
    assert brief(-HUGE - 7) == "-100000...007 (5001 digits)"
    assert brief(Fraction(HUGE, 3)) == "Fraction(100000...000 (5001 digits), 3)"
    assert brief(Fraction(HUGE, 3), str) == "100000...000 (5001 digits)/3"
    assert brief(sympy.Integer(HUGE)) == brief(flint.fmpz(HUGE)) == "100000...000 (5001 digits)"
    assert brief(sympy.Rational(3, HUGE + 1)) == "3/100000...001 (5001 digits)"
    assert brief(flint.fmpq(-HUGE, 7)) == "-100000...000 (5001 digits)/7"
    assert brief(np.array([HUGE, 1], dtype=object)) == "array([100000...000 (5001 digits), 1], dtype=object)"


def test_very_huge_ints_get_an_estimated_count_without_conversion():
    n = 7**1_000_000  # 1000000 * log10(7) = 845098.04 digits, so 845099 (hand: floor + 1)
    assert math.floor(1_000_000 * math.log10(7)) + 1 == 845099
    digits, exact = int_digits(n)
    assert not exact and abs(digits - 845099) <= 1
    assert brief(n) == f"<int with about {digits} digits>"
    assert brief(-n) == f"<-int with about {digits} digits>"


def test_sympy_expressions_with_huge_numbers():
    text = brief(sympy.sqrt(2) * HUGE + sympy.Symbol("s") / 3, str)
    assert "100000...000 (5001 digits)" in text and "sqrt(2)" in text and "s/3" in text
    assert brief(sympy.Rational(1, 3) * sympy.pi) == "pi/3"  # short: sympy's own text


@pytest.mark.parametrize(
    "value",
    [0, -3, True, None, 1.5, 2**60, Fraction(-1, 3), Fraction(4, 1), "1/2", "it's", b"ab", [1, "a", (2,)],
     (1,), (), {1: "a"}, set(), {3}, frozenset({2}), sympy.Rational(2, 3), sympy.sqrt(2) / 2, flint.fmpq(-3, 4),
     np.int64(5), np.float32(0.5), np.array([1, 2]), np.array([[1, 2], [3, 4]]), np.array([Fraction(1, 2)], dtype=object),
     complex(1, 2), sympy.Symbol("x") ** 2],
)
def test_short_values_show_exactly_as_python_does(value):
    assert brief(value) == repr(value)
    assert brief(value, str) == str(value)
    assert brief(value, ascii) == ascii(value)


def test_long_texts_are_cut_at_the_limit_and_say_how_long_they_were():
    assert brief("x" * 1000, limit=40) == "'" + "x" * 17 + "...' (1000 characters)"
    # 40 = 19 characters + len("...") + len(" (1000 characters)"); repr spends two on the quotes
    assert brief("x" * 1000, str, limit=40) == "x" * 19 + "... (1000 characters)"
    assert brief(list(range(1000)), limit=40) == "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, ...]"
    assert brief("x" * 5000) == "'" + "x" * 977 + "...' (5000 characters)"  # 1000 = 1 + 977 + 4 + 18
    long_symbolic = sum(sympy.Symbol(f"a{i}") for i in range(200))
    text = brief(long_symbolic)
    assert len(text) == BRIEF_LIMIT and text.endswith(f"... ({len(str(long_symbolic))} characters)")
    assert len(brief(np.arange(10**6))) <= BRIEF_LIMIT
    assert brief("abc", limit=1) == "'abc'"  # no limit is below 32 characters


def test_text_has_a_larger_default_limit_than_other_values():
    text = "a piece of message text, " * 20  # 500 characters: text is shown in full, a list of it is cut
    assert brief(text, str) == text and brief(text) == repr(text) and brief(ValueError(text), str) == text
    assert len(brief([text])) <= BRIEF_LIMIT and brief([text]).endswith("...' (500 characters)]")
    path = pathlib.PurePosixPath("/tmp/" + "d/" * 200)
    assert brief(path, str) == str(path)
    assert len(brief("y" * 5000, str)) == len(brief(b"y" * 5000)) == TEXT_LIMIT
    assert brief(10**5000, str, limit=None) == "100000...000 (5001 digits)"


def test_a_formatter_renders_small_values_and_huge_ints_stay_brief():
    g = "{:g}".format
    assert (brief(2.0, g), brief(30, g), brief(0.25, g)) == ("2", "30", "0.25")
    assert brief(10**5000, g) == "100000...000 (5001 digits)"  # format(10**5000, 'g') raises OverflowError


class _Unprintable:
    def __repr__(self) -> str:
        raise ValueError("no")

    __str__ = __repr__


def test_a_repr_that_raises_is_named_not_raised():
    assert brief(_Unprintable()) == "<_Unprintable object (repr raised ValueError)>"
    assert brief(_Unprintable(), str) == "<_Unprintable object (str raised ValueError)>"
    assert brief([1, _Unprintable()]) == "[1, <_Unprintable object (repr raised ValueError)>]"


def test_without_pythons_digit_limit_nothing_changes():
    before = sys.get_int_max_str_digits()
    try:
        sys.set_int_max_str_digits(0)
        assert brief(HUGE) == "100000...000 (5001 digits)"
    finally:
        sys.set_int_max_str_digits(before)


_HUGE_NUMBERS = [HUGE, -HUGE, Fraction(HUGE, 3), sympy.Integer(HUGE), flint.fmpz(HUGE), flint.fmpq(1, HUGE),
                 sympy.sqrt(3) * HUGE, np.array([HUGE], dtype=object), _Unprintable()]


def _huge_number(i: int) -> object:
    return _HUGE_NUMBERS[i]


huge_numbers = st.integers(0, len(_HUGE_NUMBERS) - 1).map(_huge_number)  # hypothesis never prints them
anything = st.recursive(
    st.integers() | st.fractions() | st.text() | st.binary() | st.floats() | st.none() | huge_numbers,
    lambda inner: st.lists(inner, max_size=30) | st.tuples(inner, inner) | st.dictionaries(st.integers(), inner)
    | st.frozensets(st.integers()),
    max_leaves=40,
)


@settings(max_examples=150, deadline=None)
@given(anything, st.sampled_from([repr, str, ascii]), st.integers(0, 300))
def test_never_raises_and_stays_within_the_limit(value, render, limit):
    text = brief(value, render, limit=limit)
    assert isinstance(text, str) and len(text) <= max(limit, 32)


def test_the_module_exports_what_it_documents():
    assert set(texts.__all__) == {"BRIEF_LIMIT", "TEXT_LIMIT", "brief", "brief_latex", "fields_repr", "int_digits"}


def test_fields_repr_shows_each_field_briefly():
    from dataclasses import dataclass, field

    @dataclass(frozen=True)
    class Box:
        lo: object
        hi: object
        hidden: object = field(default=None, repr=False)

        def __repr__(self) -> str:
            return texts.fields_repr(self)

    assert repr(Box(1, Fraction(1, 2))) == "Box(lo=1, hi=Fraction(1, 2))"  # as the generated repr shows it
    assert repr(Box(-HUGE, "a")) == "Box(lo=-100000...000 (5001 digits), hi='a')"


def test_brief_latex_is_sympy_latex_for_ordinary_values_and_abbreviates_huge_ones():
    import sympy

    from symequi.core.texts import brief_latex

    s = sympy.Symbol("s")
    for value in (sympy.Rational(3, 7), (1, 2), s**2 + sympy.Rational(1, 3), sympy.Interval(0, 1)):
        assert brief_latex(value) == sympy.latex(value)
    huge = sympy.Integer(10) ** 5000
    assert brief_latex(huge * s) == r"\text{100000...000 (5001 digits)} s"
    assert brief_latex((10**5000, 2)) == r"\left( \text{100000...000 (5001 digits)}, \  2\right)"
    assert brief_latex(Fraction(1, 10**60)) == r"\text{1/100000...000 (61 digits)}"


def test_brief_of_an_exponential_tower_returns_at_once():
    # sympy's str orders a sum's terms by evaluating them numerically, which for exp(exp(exp(100)))
    # runs for hours in mpmath; brief prints such an expression in its stored order instead
    import sympy

    tower = sympy.exp(sympy.exp(sympy.exp(100))) - 1
    assert brief(tower, str) in ("-1 + exp(exp(exp(100)))", "exp(exp(exp(100))) - 1")
