"""Verdicts: symequi/verdict.py (values, text and LaTeX rendering)."""

import shutil
import subprocess

import pytest
import sympy
from sympy import Rational as R

from symequi.core.signal import Signal
from symequi.core.errors import InvalidArgumentError
from symequi.core.verdict import DECIDERS, Counterexample, DeciderName, Proved, Statement, Undecided, Verdict


def _proved():
    return Proved(
        "integer shifts commute with periodic convolution",
        holds_for="every rational signal of length 8",
        decider="linear",
        conventions=("convolution C_j = sum_k a_k b_{j-k}, kernel origin -1", "periodic boundary"),
        details={"rank": 8},
    )


def _counterexample():
    return Counterexample(
        "cell averaging commutes with a quarter-cell translation",
        input=Signal([0, 0, 1, 1]),
        lhs=Signal([0, 0, R(1, 2), 1]),
        rhs=Signal([0, 0, 1, 1]),
        decider="linear",
        conventions=("H(0) = 0", "cell averages divide by dx"),
        functions={"f": sympy.Symbol("x") ** 2},
    )


def _undecided():
    return Undecided(
        "ReLU network commutes with half-pixel shifts",
        reason="time budget of 1 s ran out (100% used) & z3 said unknown",
        decider="smt",
    )


def test_kinds_and_flags():
    p, c, u = _proved(), _counterexample(), _undecided()
    assert (p.kind, c.kind, u.kind) == ("proved", "counterexample", "undecided")
    assert p.is_proved and not p.is_counterexample and not p.is_undecided
    assert c.is_counterexample and not c.is_proved
    assert u.is_undecided and not u.is_proved
    assert all(isinstance(v, Verdict) for v in (p, c, u))


def test_counterexample_difference_is_computed_exactly():
    c = _counterexample()
    assert c.difference == [0, 0, R(-1, 2), 0]
    given = Counterexample("s", input=1, lhs=Signal([1]), rhs=Signal([2]), difference="given")
    assert given.difference == "given"
    # outputs of different shapes: still a counterexample, no difference
    odd = Counterexample("s", input=Signal([1]), lhs=Signal([1]), rhs=Signal([1, 2]))
    assert odd.difference is None
    assert "difference" not in odd.text()
    assert Counterexample("s", input=1, lhs="a", rhs=2).difference is None


def test_text_rendering():
    assert _proved().text() == (
        "Proved: integer shifts commute with periodic convolution\n"
        "  holds_for: every rational signal of length 8\n"
        "  decider: linear\n"
        "  rank: 8\n"
        "  conventions:\n"
        "  - convolution C_j = sum_k a_k b_{j-k}, kernel origin -1\n"
        "  - periodic boundary"
    )
    assert str(_counterexample()) == (
        "Refuted: it is not true that cell averaging commutes with a quarter-cell translation\n"
        "  input: Signal([0, 0, 1, 1])\n"
        "  lhs: Signal([0, 0, 1/2, 1])\n"
        "  rhs: Signal([0, 0, 1, 1])\n"
        "  difference: Signal([0, 0, -1/2, 0])\n"
        "  functions: {'f': x**2}\n"
        "  decider: linear\n"
        "  conventions:\n"
        "  - H(0) = 0\n"
        "  - cell averages divide by dx"
    )
    assert Undecided("a claim", reason="no closed form").text() == "Undecided: a claim\n  reason: no closed form"
    assert Proved("bare").text() == "Proved: bare"
    assert repr(_proved()) == "<Proved: integer shifts commute with periodic convolution>"


def test_latex_rendering():
    text = _counterexample().latex()
    assert text.startswith(r"\textbf{Refuted.} it is not true that cell averaging")
    assert r"\item[lhs] $\left[\begin{matrix}0 & 0 & \frac{1}{2} & 1\end{matrix}\right]$" in text
    assert ("\\item[conventions] \\begin{itemize}\n\\item H(0) = 0\n\\item cell averages divide by dx\n"
            "\\end{itemize}") in text
    assert text.rstrip().endswith(r"\end{description}")
    proved = _proved().latex()
    assert r"$C_{j}$ = $\sum_{k}$ $a_{k}$ $b_{j-k}$" in proved  # ASCII math typeset as math
    assert r"\item[rank] $\text{8}$" in proved
    assert r"100\% used) \& z3" in _undecided().latex()
    assert Proved("bare").latex() == r"\textbf{Proved.} bare"


def test_equality_by_value():
    assert _proved() == _proved()
    assert hash(_proved()) == hash(_proved())
    assert _counterexample() == _counterexample()
    assert _undecided() == _undecided()
    assert _proved() != _undecided()
    assert Proved("a") != Proved("b")
    assert Proved("a", decider="linear") != Proved("a", decider="smt")
    assert Proved("a", holds_for="n = 4") != Proved("a", holds_for="n = 8")
    assert Proved("a", details={"k": 1}) != Proved("a", details={"k": 2})
    assert Proved("a", conventions=("x",)) != Proved("a")
    # signals compare by value: the same numbers built differently are equal
    c1 = Counterexample("s", input=Signal([1, 2]), lhs=Signal([R(1, 2)]), rhs=Signal([0]))
    c2 = Counterexample("s", input=[1, 2], lhs=Signal(["1/2"], domain="EX"), rhs=Signal(["0"]))
    c2.input = Signal(c2.input)
    assert c1 == c2
    c3 = Counterexample("s", input=Signal([1, 3]), lhs=Signal([R(1, 2)]), rhs=Signal([0]))
    assert c1 != c3
    assert Undecided("s", reason="r1") != Undecided("s", reason="r2")
    assert Proved("a") != "Proved: a"
    assert len({_proved(), _proved(), _undecided()}) == 2


_PREAMBLE = "\\documentclass{article}\n\\usepackage{amsmath}\n\\begin{document}\n"


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
def test_latex_of_every_verdict_kind_compiles(tmp_path):
    tricky = Proved(r"a\b {c} 100% #1 & $5 ~ x^2 under_score", holds_for="n = 4 & m_1",
                    details={"note": "50% & {braces}", "value": sympy.sqrt(2) / 2})
    body = "\n\n".join(v.latex() for v in (_proved(), _counterexample(), _undecided(), tricky))
    (tmp_path / "verdicts.tex").write_text(_PREAMBLE + body + "\n\\end{document}\n")
    run = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "verdicts.tex"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )
    assert run.returncode == 0, run.stdout[-2000:]
    assert (tmp_path / "verdicts.pdf").stat().st_size > 0
    log = (tmp_path / "verdicts.log").read_text(errors="replace")
    assert "Undefined control sequence" not in log
    assert "Missing $ inserted" not in log


# --- verdicts cannot be misread (issue 7) -----------------------------------------------------------

BOOL_MESSAGE = "use verdict.proved, verdict.refuted or verdict.undecided"


@pytest.mark.parametrize("make", [_proved, _counterexample, _undecided])
def test_a_verdict_has_no_truth_value(make):
    v = make()
    with pytest.raises(TypeError, match=BOOL_MESSAGE):
        bool(v)
    with pytest.raises(TypeError, match=BOOL_MESSAGE):
        if v:
            pass
    with pytest.raises(TypeError, match=BOOL_MESSAGE):
        not v  # noqa: B015
    with pytest.raises(TypeError, match=BOOL_MESSAGE):
        v and True  # noqa: B015
    with pytest.raises(TypeError, match=BOOL_MESSAGE):
        assert v
    with pytest.raises(TypeError, match=BOOL_MESSAGE):
        list(filter(None, [v]))


def test_proved_refuted_undecided_properties_and_the_older_names():
    p, c, u = _proved(), _counterexample(), _undecided()
    assert (p.proved, p.refuted, p.undecided) == (True, False, False)
    assert (c.proved, c.refuted, c.undecided) == (False, True, False)
    assert (u.proved, u.refuted, u.undecided) == (False, False, True)
    for v in (p, c, u):
        assert (v.is_proved, v.is_counterexample, v.is_undecided) == (v.proved, v.refuted, v.undecided)
    assert all(type(x) is bool for x in (p.proved, c.refuted, u.undecided))


def test_refuted_statement_explicit_from_a_statement_or_by_default():
    explicit = Counterexample("A commutes with g", refuted_statement="A does not commute with g",
                              input=1, lhs=2, rhs=3)
    assert explicit.text().splitlines()[0] == "Refuted: A does not commute with g"
    assert explicit.statement == "A commutes with g"
    carried = Counterexample(Statement("S commutes with T", negation="S does not commute with T"),
                             input=1, lhs=2, rhs=3)
    assert carried.refuted_statement == "S does not commute with T"
    default = Counterexample("1 + 1 = 3", input=1, lhs=2, rhs=3)
    assert default.text().splitlines()[0] == "Refuted: it is not true that 1 + 1 = 3"
    assert default.latex().startswith(r"\textbf{Refuted.} it is not true that 1 + 1 = 3")
    # the refuted statement takes part in equality
    assert explicit != Counterexample("A commutes with g", refuted_statement="A misses g", input=1, lhs=2, rhs=3)


def test_statement_is_a_str_that_survives_pickling():
    import pickle

    s = Statement("S commutes with T", negation="S does not commute with T")
    assert s == "S commutes with T" and isinstance(s, str)
    back = pickle.loads(pickle.dumps(s))
    assert back == s and back.negation == "S does not commute with T"


def test_proved_and_undecided_list_conventions_one_per_line():
    v = Undecided("a claim", reason="z3 said unknown", decider="smt", conventions=("periodic boundary", "H(0) = 0"))
    assert v.text().splitlines() == ["Undecided: a claim", "  reason: z3 said unknown", "  decider: smt",
                                     "  conventions:", "  - periodic boundary", "  - H(0) = 0"]
    assert Proved("a", conventions="one convention").conventions == ("one convention",)


@pytest.mark.parametrize("name", DECIDERS + ("",))
def test_every_known_decider_is_accepted(name):
    assert Proved("a", decider=name).decider == name


@pytest.mark.parametrize("bad", ["arithmetic", "linear algebra", "symbolic + smt", "Linear", None, 3])
def test_an_unknown_decider_is_refused_with_the_allowed_names(bad):
    with pytest.raises(InvalidArgumentError, match=r"is not a known decider; use one of 'linear', "):
        Proved("a", decider=bad)
    v = Undecided("a", reason="r", decider="smt")
    with pytest.raises(InvalidArgumentError, match="not a known decider"):
        v.decider = bad
    assert v.decider == "smt"


def test_the_decider_names_are_a_literal_type():
    from typing import get_args

    assert DECIDERS == get_args(DeciderName)
    assert set(DECIDERS) == {"linear", "compositional", "smt", "search", "symbolic", "cyclotomic", "exact",
                             "derivation"}


def test_notebook_representations():
    v = Counterexample("S commutes with T", input=Signal([1, "1/2"]), lhs=Signal([0, 0]), rhs=Signal([1, 2]),
                       decider="exact", conventions=("H(0) = 0 & <b>",))
    html_text = v._repr_html_()
    assert html_text.startswith("<div><b>Refuted:</b> it is not true that S commutes with T</div>")
    assert "<tr><th style=\"text-align:left\">input</th><td>1</td><td>1/2</td></tr>" in html_text
    assert "<td>-1</td><td>-2</td>" in html_text  # difference [0 - 1, 0 - 2], by hand
    assert "<li>H(0) = 0 &amp; &lt;b&gt;</li>" in html_text  # escaped
    assert v._repr_latex_() == v.latex()
    assert Signal([1, "1/3"])._repr_latex_() == r"$\left[\begin{matrix}1 & \frac{1}{3}\end{matrix}\right]$"


def test_verdict_latex_uses_the_twins_of_phrases_and_sympy_latex_for_sets():
    import sympy

    from symequi.core.texescape import Phrase

    edge = sympy.Union(sympy.Interval.Ropen(0, sympy.Rational(1, 4)),
                       sympy.Interval.open(sympy.Rational(1, 4), sympy.Rational(3, 4)))
    v = Proved("a claim", decider="exact",
               conventions=(Phrase("zero padding: b_i = 0 outside 0..N-1", r"zero padding: $b_i = 0$ for $i < 0$"),
                            "plain 50%"),
               details={Phrase("edge detected (0 <= delta <= 2 dx)", r"edge detected ($0 \le \delta \le 2\Delta x$)"): edge,
                        "note": Phrase("j-k-l = (j-l)-k mod N", r"$j - k - l \equiv (j - l) - k \pmod N$")})
    tex = v.latex()
    assert isinstance(v.conventions[0], Phrase) and v.conventions[1] == "plain 50%"
    assert r"\item zero padding: $b_i = 0$ for $i < 0$" in tex and r"\item plain 50\%" in tex
    # the set as a union of intervals in math (hand-written: [0, 1/4) u (1/4, 3/4))
    assert (r"\item[edge detected ($0 \le \delta \le 2\Delta x$)] $\left[0, \frac{1}{4}\right) \cup "
            r"\left(\frac{1}{4}, \frac{3}{4}\right)$") in tex
    assert r"\item[note] $j - k - l \equiv (j - l) - k \pmod N$" in tex
    # the plain text is unchanged
    assert "  edge detected (0 <= delta <= 2 dx): Union(Interval.Ropen(0, 1/4), Interval.open(1/4, 3/4))" in v.text()
