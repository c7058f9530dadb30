"""Derivation: steps recorded in order, rendered as text and as LaTeX that compiles."""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from fractions import Fraction

import pytest
import sympy

from symequi.report.derivation import (
    LATEX_PACKAGES,
    MAX_SHOWN_ENTRIES,
    Derivation,
    Tex,
    escape_latex,
    math_latex,
    math_text,
    tex_ascii,
)
from symequi.core.errors import InexactInputError, InvalidArgumentError
from symequi.core.signal import Signal
from symequi.core.verdict import Counterexample, Proved

needs_pdflatex = pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")


def tiny_png(path):
    """A valid 1x1 white PNG, written by hand (no plotting library)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1x1, 8-bit RGB
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b""))
    return path


def compile_fragment(tmp_path, fragment):
    doc = ("\\documentclass{article}\n" + "".join(f"\\usepackage{{{p}}}\n" for p in LATEX_PACKAGES)
           + "\\begin{document}\n" + fragment + "\n\\end{document}\n")
    (tmp_path / "frag.tex").write_text(doc, encoding="ascii")
    done = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "frag.tex"],
                          cwd=tmp_path, capture_output=True, timeout=120)
    log = (tmp_path / "frag.log").read_text(encoding="latin-1")
    assert done.returncode == 0, log[-3000:]
    assert (tmp_path / "frag.pdf").stat().st_size > 0
    return log


def test_steps_render_in_order_as_text():
    d = Derivation("Pixels of the step")
    d.convention("cell averages divide by the cell width")
    d.text("Average H over cells of width", sympy.Rational(1, 2), "on Grid(-1, 1, 4).")
    d.equation(r"\mathcal{D}^h[H]", Signal([0, 0, 1, 1]), label="paper")
    d.equation("h", Fraction(1, 2), sympy.Rational(2, 4), relation="!=")
    d.erratum("eq. (7) omits the factor 1/dx")
    assert d.to_text().splitlines() == [
        "Pixels of the step",
        "==================",
        "Convention: cell averages divide by the cell width",
        "Average H over cells of width 1/2 on Grid(-1, 1, 4).",
        r"    \mathcal{D}^h[H] = [0, 0, 1, 1]    (paper)",
        "    h != 1/2",
        "      != 1/2",
        "Erratum: eq. (7) omits the factor 1/dx",
    ]
    assert [kind for kind, _ in d.steps] == ["convention", "text", "equation", "equation", "erratum"]
    assert d.errata == ("eq. (7) omits the factor 1/dx",)
    assert d.conventions == ("cell averages divide by the cell width",)


def test_latex_of_each_step():
    d = Derivation("Work")
    x = sympy.Symbol("x")
    d.equation(sympy.Integral(x, (x, 0, sympy.Rational(1, 2))), sympy.Rational(1, 8), label="7")
    d.equation("a", 1, 2)
    d.math(sympy.sqrt(2) / 2)
    d.table(["j", "pixel"], [[0, 0], [1, Fraction(1, 2)]])
    d.verdict(Proved("a lemma", decider="linear"))
    tex = d.to_latex()
    assert tex.startswith(r"\subsection*{Work}")
    # the integral and its value: 1/8 by hand (x^2/2 at 1/2)
    assert r"\int\limits_{0}^{\frac{1}{2}} x\, dx = \frac{1}{8}" in tex
    assert r"\tag{7}" in tex
    assert r"\begin{aligned}a &= 1 \\ &= 2\end{aligned}" in tex
    assert r"\frac{\sqrt{2}}{2}" in tex
    assert r"\toprule" in tex and r"$\frac{1}{2}$ \\" in tex
    assert r"\textbf{Proved.} a lemma" in tex
    assert tex.count(r"\resizebox{\ifdim\width>\linewidth\linewidth\else\width\fi}{!}") == 4
    assert d.verdicts == (Proved("a lemma", decider="linear"),)


def test_prose_is_escaped_and_made_ascii():
    d = Derivation("Escaping 100% of _it_")
    d.text("50% & #1 {x_j} ~ ^ \\ $ <a|b> δ → f(x − δ), café")
    tex = d.to_latex()
    assert tex.isascii()
    # ASCII math in prose (x_j) is typeset as inline math; the rest is escaped
    assert (r"50\% \& \#1 \{$x_{j}$\} \~{} \^{} \textbackslash{} \$ \textless{}a\textbar{}b\textgreater{} "
            r"\ensuremath{\delta} \ensuremath{\to} f(x \ensuremath{-} \ensuremath{\delta}), caf\mbox{\'e}") in tex
    assert r"\subsection*{Escaping 100\% of \_it\_}" in tex
    assert escape_latex("a_b") == r"a\_b"
    assert tex_ascii("\u2603") == r"\mbox{\texttt{<U+2603>}}"


def test_math_values():
    assert math_latex(Tex(r"\Delta x", text="dx")) == r"\Delta x"
    assert math_text(Tex(r"\Delta x", text="dx")) == "dx"
    assert math_text([1, Fraction(-1, 3)]) == "[1, -1/3]"
    assert math_text((sympy.Integer(2),)) == "(2)"
    assert math_text(True) == "True"
    with pytest.raises(InexactInputError):
        math_latex(0.5, "lhs")
    with pytest.raises(InexactInputError):
        Derivation("f").equation("a", sympy.Float("0.5"))
    with pytest.raises(InvalidArgumentError, match="verdict"):
        math_latex(Proved("p"))


@pytest.mark.parametrize("bad", ["a_{", "a}", "50%", "#1", "$x$", "a & b", r"\end{document}", "a\x07b", "x\x7f",
                                 "a\n\nb", "a\r\n  \r\nb"])
def test_raw_latex_that_would_break_the_document_is_refused(bad):
    with pytest.raises(InvalidArgumentError, match="lhs"):
        Derivation("t").equation(bad, 1)


def test_raw_latex_may_span_lines():
    d = Derivation("t")
    d.equation("a +\r\n\tb", 1)  # one line break and a tab are harmless in TeX
    assert "a +\r\n\tb" in d.to_latex()


def test_matrix_source_with_ampersands_is_allowed():
    d = Derivation("t")
    d.math(r"\begin{matrix} 1 & 2 \end{matrix}")
    assert r"\begin{matrix} 1 & 2 \end{matrix}" in d.to_latex()


def test_long_signal_is_abbreviated_with_its_size():
    n = 100
    sig = Signal([Fraction(k, 3) for k in range(n)])
    text = math_text(sig)
    shown = MAX_SHOWN_ENTRIES // 4 * 3
    expected_head = ", ".join(str(Fraction(k, 3)) for k in range(shown))
    assert text.startswith("[" + expected_head + ", ...")
    assert text.endswith(f"99/3] ({n} entries, abbreviated)".replace("99/3", "33"))
    assert r"\cdots" in math_latex(sig) and r"\text{shape } 100" in math_latex(sig)
    small = Signal([0, Fraction(1, 2)])
    assert math_text(small) == "[0, 1/2]" and math_latex(small) == small.latex()


def test_argument_checks():
    d = Derivation("checks")
    with pytest.raises(InvalidArgumentError, match="title"):
        Derivation("  ")
    with pytest.raises(InvalidArgumentError, match="relation"):
        d.equation("a", 1, relation="~")
    with pytest.raises(InvalidArgumentError, match="label"):
        d.equation("a", 1, label="")
    with pytest.raises(InvalidArgumentError, match=r"rows\[1\]"):
        d.table(["a", "b"], [[1, 2], [3]])
    with pytest.raises(InvalidArgumentError, match="header"):
        d.table("ab", [])
    with pytest.raises(InvalidArgumentError, match="Proved, Counterexample or Undecided"):
        d.verdict("proved")
    with pytest.raises(InvalidArgumentError, match="at least one part"):
        d.text()
    with pytest.raises(InvalidArgumentError, match="no output folder"):
        d.output_dir
    assert len(d) == 0


def test_figures(tmp_path):
    d = Derivation("figs", output_dir=tmp_path / "claim")
    assert not (tmp_path / "claim").exists()  # created on first use only
    png = tiny_png(d.output_dir / "plot.png")
    d.figure("plot.png", "A white pixel")
    assert d.figures[0].path == png.resolve()
    tex = d.to_latex(base_dir=tmp_path)
    assert r"\includegraphics[width=0.8\linewidth,height=0.4\textheight,keepaspectratio]{claim/plot.png}" in tex
    assert r"\caption{A white pixel}" in tex
    assert "[Figure: A white pixel]" in d.to_text()
    with pytest.raises(InvalidArgumentError, match="does not exist"):
        d.figure("missing.png", "x")
    (tmp_path / "claim" / "data.csv").write_text("1")
    with pytest.raises(InvalidArgumentError, match=".pdf"):
        d.figure("data.csv", "x")
    tiny_png(tmp_path / "claim" / "a b.png")
    with pytest.raises(InvalidArgumentError, match="rename"):
        d.figure("a b.png", "x")
    png.unlink()  # a figure deleted before the document is built is reported, not fatal
    assert r"\textbf{Figure missing:}" in d.to_latex()


@pytest.mark.parametrize("caption, latex", [
    ("The paper's Figure 1 regenerated", None),
    ("Fig. 2 from exact values", None),
    ("the same as figure 3", None),
    ("A step and its translate", r"The paper's Figure~1: $H(x)$"),
])
def test_a_caption_that_numbers_a_figure_is_refused(tmp_path, caption, latex):
    # the document labels the figure "Figure N:"; a caption naming "Figure 1" reads "Figure 3: ... Figure 1"
    d = Derivation("figs", output_dir=tmp_path)
    tiny_png(tmp_path / "plot.png")
    name = "caption" if latex is None else "latex"
    with pytest.raises(InvalidArgumentError, match=name + r"=.*names a figure by number.*say it in words"):
        d.figure("plot.png", caption, latex=latex)
    d.figure("plot.png", "The paper's first figure; figures of 3 kinds", latex=r"Two configurations, $N = 3$")
    assert len(d.figures) == 1


@needs_pdflatex
def test_fragment_compiles_with_pdflatex(tmp_path):
    d = Derivation("Everything at once: δ, 50%, x_j")
    d.convention("translate(f, δ) = f(x − δ)")
    d.text("A paragraph with math", sympy.Rational(1, 2), "and", Tex(r"\Delta x"), "and 100% & #.")
    x = sympy.Symbol("x")
    d.equation(sympy.Integral(sympy.Piecewise((1, x > 0), (0, True)), (x, -1, 1)), 1, label="eq. 1")
    d.equation("w", Signal(list(range(300))))                      # abbreviated, still wide
    d.equation("W", Signal([[i + j for j in range(14)] for i in range(14)]))  # wide, scaled down
    d.equation("c", 1, 2, 3, relation="=?")
    d.table(["j", "value", "note"], [[0, sympy.sqrt(2), "≤ fine"], [1, Signal(list(range(20))), "wide"]],
            caption="A table")
    d.verdict(Counterexample("no", input=Signal([0, 1]), lhs=Signal([0, 1]), rhs=Signal([1, 0])))
    d.erratum("a correction")
    d.figure(tiny_png(tmp_path / "fig.png"), "A figure")
    fragment = d.to_latex(base_dir=tmp_path)
    assert fragment.isascii()
    compile_fragment(tmp_path, fragment)
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "frag.pdf", "-"], cwd=tmp_path, capture_output=True,
                              text=True, check=True).stdout
        for word in ("Everything at once", "A paragraph with math", "A table", "correction", "A figure"):
            assert word in text


# --- require -----------------------------------------------------------------------------------------

def test_require_passes_on_true_and_records_nothing():
    d = Derivation("checks")
    d.require(True, "unused")
    d.require(sympy.true, "unused")
    d.require(sympy.Integer(2) == 2, "unused")
    assert len(d) == 0


def test_require_on_false_records_the_check_and_raises():
    from symequi.report.derivation import CheckFailed

    d = Derivation("checks")
    with pytest.raises(CheckFailed) as info:
        d.require(sympy.false, "the 50% & {x}_1 check failed")
    assert info.value.reason == "the 50% & {x}_1 check failed"
    assert d.steps == (("check", "Check failed: the 50% & {x}_1 check failed"),)
    assert r"\textbf{Check failed.} the 50\% \& \{x\}\_1 check failed" in d.to_latex()


@pytest.mark.parametrize("condition", [None, 1, "yes", Signal([1]), sympy.Symbol("x") > 0,
                                       Proved("a claim"), [True]])
def test_require_refuses_a_condition_that_is_not_a_bool(condition):
    d = Derivation("checks")
    with pytest.raises(InvalidArgumentError, match="condition=.* must be True or False"):
        d.require(condition, "a reason")


def test_require_needs_a_reason():
    d = Derivation("checks")
    with pytest.raises(InvalidArgumentError, match="reason"):
        d.require(True, " ")


def test_conventions_keep_their_latex_twin_into_the_verdict():
    from symequi.core.texescape import Phrase
    from symequi.core.verdict import Proved

    d = Derivation("twins")
    d.convention(Phrase("periodic boundary: b_i = b_{i mod N}", r"periodic boundary: $b_i = b_{i \bmod N}$"))
    d.convention("cell j is [j dx, (j+1) dx]", latex=r"cell $j$ is $[j\,\Delta x, (j+1)\,\Delta x]$")
    d.convention("no twin")
    first, second, third = d.conventions
    assert first.latex == r"periodic boundary: $b_i = b_{i \bmod N}$"
    assert second.latex == r"cell $j$ is $[j\,\Delta x, (j+1)\,\Delta x]$" and type(third) is str
    assert r"\textbf{Convention.} periodic boundary: $b_i = b_{i \bmod N}$" in d.to_latex()
    tex = Proved("p", conventions=d.conventions).latex()
    assert r"\item cell $j$ is $[j\,\Delta x, (j+1)\,\Delta x]$" in tex and r"\item no twin" in tex
