"""The one LaTeX escaper (symequi/core/texescape.py) on hostile text.

Expected strings are written by hand from the LaTeX rules (each special character
becomes its text-mode command; the braces an escape adds are not escaped again).
"""

import re
import shutil
import subprocess

import pytest

from symequi.core.texescape import escape_latex, tex_ascii


@pytest.mark.parametrize("text, expected", [
    ("\\", r"\textbackslash{}"),
    ("{", r"\{"),
    ("}", r"\}"),
    ("%", r"\%"),
    ("#", r"\#"),
    ("_", r"\_"),
    ("^", r"\^{}"),
    ("~", r"\~{}"),
    ("$", r"\$"),
    ("&", r"\&"),
    ("<>|", r"\textless{}\textgreater{}\textbar{}"),
    ("plain text, 1 + 1 = 2.", "plain text, 1 + 1 = 2."),
])
def test_each_special_character(text, expected):
    assert escape_latex(text) == expected


def test_a_single_pass_over_hostile_text():
    hostile = r"a\b {x}_1 ^ ~ # $ % & \end{document}"
    assert escape_latex(hostile) == (r"a\textbackslash{}b \{x\}\_1 \^{} \~{} \# \$ \% \& "
                                     r"\textbackslash{}end\{document\}")
    assert escape_latex("\\\\") == r"\textbackslash{}\textbackslash{}"  # the added braces are not escaped again


def test_non_ascii_becomes_ascii_latex():
    assert escape_latex("δ → 0") == r"\ensuremath{\delta} \ensuremath{\to} 0"
    assert escape_latex("é").isascii()
    assert tex_ascii(r"\frac{1}{2} ≤ x") == r"\frac{1}{2} \ensuremath{\leq} x"  # LaTeX source is kept


def test_control_characters_and_blank_lines():
    # a tab is a space; other control characters are shown as <U+XXXX> (TeX rejects some, drops others)
    assert escape_latex("a\tb") == "a b"
    assert escape_latex("\x00\x07\x1b\x7f") == "".join(r"\mbox{\texttt{<U+%04X>}}" % i for i in (0, 7, 27, 127))
    # line breaks stay single; a blank line (a paragraph break in TeX) collapses into one line break
    assert escape_latex("one\ntwo") == "one\ntwo"
    assert escape_latex("one\n\ntwo\r\n \t\r\nthree\rfour") == "one\ntwo\nthree\nfour"
    assert "\n\n" not in escape_latex("x" + "\n \n" * 50 + "y")


def test_there_is_one_escaper():
    from symequi.report import derivation, latex

    assert derivation.escape_latex is escape_latex and latex.escape_latex is escape_latex
    assert derivation.tex_ascii is tex_ascii
    import symequi.core.verdict as verdict

    assert not hasattr(verdict, "_escape") and not hasattr(verdict, "_LATEX_SPECIALS")


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
def test_escaped_hostile_text_compiles(tmp_path):
    body = escape_latex(r"a\b {c} 100% #1 & $5 ~ x^2 under_score <|> δ")
    (tmp_path / "t.tex").write_text("\\documentclass{article}\\begin{document}\n" + body + "\n\\end{document}\n")
    run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "t.tex"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout[-2000:]


def test_prose_latex_typesets_ascii_math_and_escapes_the_rest():
    from symequi.core.texescape import prose_latex

    assert prose_latex("(T_l b)_j = b_{j-l}") == r"($T_{l}$ b)${}_{j}$ = $b_{j-l}$"
    assert prose_latex("x^(p+1) for 0 <= s != 1 -> R^4") == r"$x^{p+1}$ for 0 $\le$ s $\neq$ 1 $\to$ $\mathbb{R}^{4}$"
    assert prose_latex("sigma and delta, not sigmas") == r"$\sigma$ and $\delta$, not sigmas"
    # identifiers stay text (breakable), specials are escaped
    assert prose_latex("see figure1_layer: 5% & #2") == r"see figure1\_\allowbreak{}layer: 5\% \& \#2"
    assert prose_latex("symequi.core.zero") == r"symequi.\allowbreak{}core.\allowbreak{}zero"


# --- Phrase: plain text with its hand-written LaTeX twin ---------------------------------------
def test_a_phrase_is_its_plain_text_and_carries_its_twin():
    import pickle

    from symequi.core.texescape import Phrase, phrase_latex

    p = Phrase("zero padding: b_i = 0 for i outside 0..N-1", r"zero padding: $b_i = 0$ for $i \notin \{0, \dots, N-1\}$")
    assert p == "zero padding: b_i = 0 for i outside 0..N-1" and hash(p) == hash(str(p))
    assert {p: 1}["zero padding: b_i = 0 for i outside 0..N-1"] == 1
    assert phrase_latex(p) == r"zero padding: $b_i = 0$ for $i \notin \{0, \dots, N-1\}$"
    back = pickle.loads(pickle.dumps(p))  # results travel from worker processes pickled
    assert isinstance(back, Phrase) and back.latex == p.latex and back == p
    # plain text has no twin: the heuristic, with every special character escaped
    assert phrase_latex("50% of x_j") == r"50\% of $x_{j}$"


@pytest.mark.parametrize("latex, problem", [
    ("$x", "odd number of"),
    ("{x", "unbalanced braces"),
    ("50% of x", "unescaped %"),
    ("a\n\nb", "blank line"),
    (r"\end{document}", "not a document"),
])
def test_a_phrase_refuses_a_twin_that_would_break_the_document(latex, problem):
    from symequi.core.errors import InvalidArgumentError
    from symequi.core.texescape import Phrase

    with pytest.raises(InvalidArgumentError, match="latex=.*" + problem):
        Phrase("text", latex)
    with pytest.raises(InvalidArgumentError, match="text="):
        Phrase(" ", "$x$")


def _every_kind_of_operator():
    """One or more instances of every operator, translation and discretization symequi ships."""
    import sympy

    from symequi.deciders.linear import MatrixOperator
    from symequi.functions import CellAverage, CellIntegral, Grid, PointSample
    from symequi.layers import (Abs, AvgPool, Bias, ChannelAffine, Clamp, Convolution, Correlation, Flatten, Hardtanh,
                                LeakyReLU, Linear, MaxPool, Pad, Pointwise, PolynomialActivation, ReLU, Repeat,
                                Sequential, Slice, ZeroInsertion, AdaptivePolyphaseSampling, PolyphaseNorms,
                                LinearResize, PoolWindows, PaddedAvgPool)
    from symequi.translations import (Downsample, FiniteVolumeShift, FourierShift, FourierUpsample, IdealLowPass,
                                      IntegerShift, InterpolationShift, KeysCubicKernel, LagrangeKernel,
                                      LanczosKernel, LinearKernel)

    s = sympy.Symbol("s", real=True)
    t = sympy.Symbol("t")
    return [
        Abs(), AvgPool(2), MaxPool(2, padding="periodic"), MaxPool([2, 2], stride=1), Bias(-1), Bias([1, "1/2"]),
        Convolution([2, -2], origin=-1), Correlation([[[1, 2, 3]]], origin=-1, padding="periodic", stride=2),
        Convolution([[1, 2], [3, 4]], dilation=2, padding="reflect"), Convolution([1, 2], padding="replicate"),
        Convolution([1, 2, 3], padding="valid"), LeakyReLU("1/10"), PolynomialActivation([0, 0, 1]),
        Pointwise(sympy.Lambda(t, t**3)), ReLU(), Clamp(-1, 1), Hardtanh(), Pad(((1, 2),), mode="zeros", value=3),
        Slice({0: (1, 3, 1)}), Repeat(2), ZeroInsertion(2), Flatten(), Linear([[1, 2], [3, 4]]),
        ChannelAffine([1, 2], [0, 1]), IntegerShift(1), IntegerShift((1, 2), boundary="zeros"),
        FiniteVolumeShift("1/2", degree=2, boundary="zeros"), FiniteVolumeShift(s, degree=1, interval=(0, 1)),
        FourierShift("1/2"), InterpolationShift("1/2", kernel=LanczosKernel(a=2), normalize=True),
        InterpolationShift("1/3", kernel=KeysCubicKernel()), InterpolationShift(s, kernel=LinearKernel(), interval=(0, 1)),
        InterpolationShift("1/2", kernel=LagrangeKernel(order=3)), Downsample(2), FourierUpsample(2), IdealLowPass(2),
        CellAverage(Grid(0, 1, 4)), CellIntegral(Grid(0, 1, 4)), PointSample(Grid(0, 1, 4)),
        PointSample(Grid(0, 1, 4), at="1/3"), MatrixOperator(sympy.Matrix([[1, 0], [0, 1]])),
        Sequential(Convolution([1, 1]), ReLU()),
        AdaptivePolyphaseSampling("l1"), AdaptivePolyphaseSampling("l2"), PolyphaseNorms("l2"),
        LinearResize(scale=2), LinearResize(size=(5, 7), coordinates="align_corners"),
        LinearResize(scale=2, coordinates="pytorch_half_pixel"), LinearResize(scale=4, coordinates="asymmetric"),
        PoolWindows(3, stride=2, dilation=2, pads=[(1, 1)]), PaddedAvgPool(3, stride=2, pads=[(1, 1)]),
        PaddedAvgPool((2, 2), pads=[(1, 1), (0, 1)], count_include_pad=False, ceil_mode=True),
    ]


def test_every_convention_symequi_emits_has_a_latex_twin_that_compiles(tmp_path):
    # the document shows conventions by their hand-written twin, never by the ASCII-math heuristic
    from symequi.core.texescape import Phrase

    twins = []
    for op in _every_kind_of_operator():
        for c in op.conventions():
            assert isinstance(c, Phrase), (op, c)
            # the twin is LaTeX, not the plain text's ASCII math (no "sum_k", "<=", "0..n-1" left in it)
            assert re.search(r"(?<!\\)\b(sum|prod)_|<=|>=|!=|\.\.[0-9A-Za-z]|->|\*\*", c.latex) is None, c.latex
            twins.append(c.latex)
    if shutil.which("pdflatex") is None:
        return
    body = "\n\n".join(twins)
    (tmp_path / "t.tex").write_text("\\documentclass{article}\\usepackage{amsmath,amssymb}\\begin{document}\n"
                                    + body + "\n\\end{document}\n")
    run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "t.tex"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-2000:]
