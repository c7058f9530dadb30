r"""Derivations: the worked steps behind a verdict, as plain text and as LaTeX.

A proof script receives a :class:`Derivation` ``d`` and records, in order, what
a reader needs to check the result by hand: definitions, integrals, pixel
values, the simplifications, the witness.  The same record renders as plain
text (:meth:`Derivation.to_text`, for the terminal) and as a LaTeX fragment
(:meth:`Derivation.to_latex`, assembled into a document by
:func:`symequi.report.latex.build_document`).

Steps
-----
``d.text(*parts)``
    A paragraph.  ``str`` parts are prose (LaTeX special characters and
    non-ASCII letters such as ``δ`` are escaped for you); any other part
    (a sympy expression, a :class:`~symequi.core.signal.Signal`, a number, an
    operator, a :class:`Tex`) is set as inline math.
``d.equation(lhs, *rhs, label=None, relation="=")``
    A displayed equation ``lhs = rhs``; several ``rhs`` give a chain
    ``lhs = r1 = r2 = ...`` (one line each).  ``relation`` is one of
    ``= != < <= > >= := =?``.  ``label`` is a short tag shown beside it,
    e.g. ``label="5"`` prints ``(5)``.
``d.math(expr)``
    A displayed expression.
``d.table(header, rows, *, caption=None)``
    A table; cells follow the ``text`` rule (``str`` is prose, other values
    are math).
``d.figure(path, caption)``
    A PDF/PNG/JPEG file the claim wrote (a relative path is taken relative to
    ``d.output_dir``); the file must exist when you call this.
``d.verdict(v)``
    An intermediate verdict (a lemma).  The verdict a claim *returns* is shown
    by the document anyway; do not record it twice.
``d.erratum(text)``
    A correction to the source being checked; shown in place and collected in
    the document's Errata section.
``d.convention(text)``
    A convention the derivation relies on; shown in place and collected in the
    document's Conventions section.
``d.require(condition, reason)``
    An internal check.  When ``condition`` is False the claim ends at once
    with an Undecided verdict whose reason is ``reason`` (the one way a proof
    script reports a failed check: :class:`CheckFailed` is raised, and
    :meth:`symequi.report.claims.Claim.run` turns it into the verdict).

Math values
-----------
sympy objects render with ``sympy.latex`` (text: ``str``); a Signal with
:meth:`~symequi.core.signal.Signal.latex` (text: its entries as a list; a 1-D signal
longer than :data:`MAX_SHOWN_ENTRIES`, or a signal with an axis longer than
:data:`MAX_SHOWN_MATRIX`, is abbreviated to its first and last entries, with
its shape); operators with their ``latex()`` / ``describe()``;
``int``, ``Fraction`` and flint numbers as exact rationals; lists and tuples
entry by entry.  Python floats are refused (they are not exact).  In
``equation`` and ``math`` a ``str`` is LaTeX math source (``r"\mathcal{D}^h[H]"``)
shown verbatim in the text rendering; use :class:`Tex` to give it a separate
plain-text form, or to put LaTeX math inside prose.

Wide displays never break the PDF: every displayed equation and table is
scaled down to the line width when it is wider (``\resizebox`` from
graphicx).  Fragments need only the packages in :data:`LATEX_PACKAGES`.

Example
-------
>>> import sympy
>>> from symequi.report.derivation import Derivation
>>> from symequi.core.signal import Signal
>>> d = Derivation("Pixels of the step")
>>> d.text("Average H over each cell of width", sympy.Rational(1, 2), ".")
>>> d.equation(r"\mathcal{D}^h[H]", Signal([0, 0, 1, 1]), label="paper")
>>> print(d.to_text())
Pixels of the step
==================
Average H over each cell of width 1/2 .
    \mathcal{D}^h[H] = [0, 0, 1, 1]    (paper)
"""

from __future__ import annotations

import os
import pathlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import flint
import sympy

from ..core.errors import InvalidArgumentError, SymequiError
from ..core.exact import to_exact
from ..core.signal import Signal
from ..core.texescape import Phrase, check_latex_text, escape_latex, phrase_latex, prose_latex, tex_ascii
from ..core.verdict import Verdict
from ..core.texts import brief, brief_latex

__all__ = [
    "Derivation",
    "CheckFailed",
    "Tex",
    "Figure",
    "escape_latex",
    "tex_ascii",
    "math_latex",
    "math_text",
    "fit_to_width",
    "check_latex_text",
    "LATEX_PACKAGES",
    "MAX_SHOWN_ENTRIES",
    "MAX_SHOWN_MATRIX",
]

#: Packages a derivation fragment needs (all in texlive-latex-base/-recommended).
LATEX_PACKAGES: tuple[str, ...] = ("amsmath", "amssymb", "graphicx", "booktabs")

#: 1-D signals with more entries than this are shown abbreviated (first and last entries).
MAX_SHOWN_ENTRIES = 24

#: Signals of 2 or more axes are abbreviated when an axis is longer than this.
MAX_SHOWN_MATRIX = 16

#: "Figure 1", "Fig.~2", "figure 3": a caption must not repeat the document's figure label.
_FIGURE_NUMBER = re.compile(r"\b(?:fig(?:ure)?\.?)(?:\s|~|\\,|\\ )*\d+", re.IGNORECASE)

#: Figure formats pdflatex can include.
FIGURE_SUFFIXES = (".pdf", ".png", ".jpg", ".jpeg")

_RELATIONS = {
    "=": ("=", "="),
    "!=": ("!=", r"\neq"),
    "<": ("<", "<"),
    "<=": ("<=", r"\leq"),
    ">": (">", ">"),
    ">=": (">=", r"\geq"),
    ":=": (":=", r"\mathrel{:=}"),
    "=?": ("=?", r"\stackrel{?}{=}"),
}

# --- escaping: symequi.core.texescape (escape_latex, tex_ascii) ---------------------------

def _check_tex(source: str, name: str) -> str:
    """Reject LaTeX math source that would break a whole document."""
    stripped = re.sub(r"\\.", "", source)  # drop escaped characters such as \% \{ \\
    depth = 0
    for char in stripped:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            break
    if depth != 0:
        raise InvalidArgumentError(f"{name}={brief(source)} has unbalanced braces {{ }}; fix the LaTeX")
    for char in "%#$":
        if char in stripped:
            raise InvalidArgumentError(
                f"{name}={brief(source)} contains an unescaped {brief(char)}: a str here is LaTeX math "
                f"source, so write \\{brief(char, str)}, or pass prose to d.text()"
            )
    if "&" in stripped and r"\begin{" not in source:
        raise InvalidArgumentError(
            f"{name}={brief(source)} contains '&' outside an environment; write \\& in LaTeX math"
        )
    control = re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", source)
    if control is not None:
        raise InvalidArgumentError(f"{name}={brief(source)} contains the control character {brief(control.group())}; remove it")
    if re.search(r"\n[^\S\n]*\n", source.replace("\r\n", "\n").replace("\r", "\n")):
        raise InvalidArgumentError(f"{name}={brief(source)} contains a blank line, which ends LaTeX math; remove it")
    if re.search(r"\\(begin|end)\{document\}|\\documentclass", source):
        raise InvalidArgumentError(f"{name}={brief(source)} must be a math fragment, not a document")
    return source


# --- math values -----------------------------------------------------------------------

@dataclass(frozen=True)
class Tex:
    r"""A LaTeX math snippet with an optional plain-text form.

    Use it for notation sympy cannot produce, or for inline math in prose.

    >>> from symequi.report.derivation import Tex, math_text, math_latex
    >>> t = Tex(r"\mathcal{D}^h[f]", text="D^h[f]")
    >>> math_text(t), math_latex(t)
    ('D^h[f]', '\\mathcal{D}^h[f]')
    """

    latex: str
    text: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.latex, str):
            raise InvalidArgumentError(f"latex={brief(self.latex)} must be a str of LaTeX math source")
        _check_tex(self.latex, "latex")
        if self.text is not None and not isinstance(self.text, str):
            raise InvalidArgumentError(f"text={brief(self.text)} must be a str or None")


def _exact_number(value: Any, name: str) -> sympy.Expr | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, Fraction, flint.fmpq, flint.fmpz, float, complex)):
        return to_exact(value, name)  # refuses floats with the usual message
    return None


def _signal_axes_too_long(sig: Signal) -> bool:
    limit = MAX_SHOWN_ENTRIES if sig.ndim == 1 else MAX_SHOWN_MATRIX
    return any(n > limit for n in sig.shape)


def _shown_indices(n: int, limit: int = MAX_SHOWN_ENTRIES) -> list[int | None]:
    """Indices to show along an axis of length n; None marks the elision."""
    if n <= limit:
        return list(range(n))
    head = limit // 4 * 3
    tail = limit - head - 1
    return [*range(head), None, *range(n - tail, n)]


def _signal_latex(sig: Signal) -> str:
    if not _signal_axes_too_long(sig):
        return sig.latex()
    note = r"\quad(\text{shape } " + r" \times ".join(map(str, sig.shape)) + ")"
    if sig.ndim == 1:
        cells = [r"\cdots" if i is None else brief_latex(sig[i]) for i in _shown_indices(sig.shape[0])]
        return r"\left[\begin{array}{" + "c" * len(cells) + "}" + " & ".join(cells) + r"\end{array}\right]" + note
    if sig.ndim == 2:
        rows = []
        cols = _shown_indices(sig.shape[1], MAX_SHOWN_MATRIX)
        for i in _shown_indices(sig.shape[0], MAX_SHOWN_MATRIX):
            if i is None:
                rows.append(" & ".join(r"\ddots" if j is None else r"\vdots" for j in cols))
            else:
                rows.append(" & ".join(r"\cdots" if j is None else brief_latex(sig[i, j]) for j in cols))
        return (r"\left[\begin{array}{" + "c" * len(cols) + "}" + r" \\ ".join(rows)
                + r"\end{array}\right]" + note)
    flat = sig.flat_exprs()
    shown = ", ".join(brief_latex(v) for v in flat[:MAX_SHOWN_MATRIX])
    return r"\left[" + shown + r", \ldots\right]" + note


def _signal_text(sig: Signal) -> str:
    if not _signal_axes_too_long(sig):
        return str(sig.to_list())
    flat = sig.flat_exprs()
    if sig.ndim == 1:
        shown = ", ".join("..." if i is None else str(flat[i]) for i in _shown_indices(sig.size))
        return f"[{shown}] ({sig.size} entries, abbreviated)"
    shown = ", ".join(str(v) for v in flat[:MAX_SHOWN_MATRIX]) + ", ..."
    return f"[{shown}] (shape {'x'.join(map(str, sig.shape))}, flat row-major entries, abbreviated)"


def _is_matrix_like(value: Any) -> bool:
    return isinstance(value, (sympy.MatrixBase, sympy.NDimArray))


def math_latex(value: Any, name: str = "value") -> str:
    r"""LaTeX math source for ``value`` (see the module docstring for the rules).

    >>> math_latex(sympy.Rational(1, 2)), math_latex([1, Fraction(1, 3)])
    ('\\frac{1}{2}', '\\left[ 1, \\  \\frac{1}{3}\\right]')
    """
    if isinstance(value, Tex):
        return value.latex
    if isinstance(value, str):
        return _check_tex(value, name)
    if isinstance(value, Verdict):
        raise InvalidArgumentError(f"{name} is a verdict; record it with d.verdict(v), not as math")
    if isinstance(value, Signal):
        return _signal_latex(value)
    if isinstance(value, bool):
        return r"\text{" + str(value) + "}"
    number = _exact_number(value, name)
    if number is not None:
        return brief_latex(number)
    if isinstance(value, (list, tuple)):
        inner = r", \  ".join(math_latex(v, f"{name}[{i}]") for i, v in enumerate(value))
        return (r"\left[ " if isinstance(value, list) else r"\left( ") + inner + (
            r"\right]" if isinstance(value, list) else r"\right)")
    if hasattr(value, "to_Matrix") and callable(value.to_Matrix):  # DomainMatrix
        return brief_latex(value.to_Matrix())
    if isinstance(value, sympy.Basic) or _is_matrix_like(value):
        if isinstance(value, sympy.Basic) and value.has(sympy.Float):
            to_exact(value, name)  # raises InexactInputError with the fix
        return brief_latex(value)
    if callable(getattr(value, "latex", None)):  # operators, grids with a latex()
        return str(value.latex())
    return r"\text{" + escape_latex(str(value)) + "}"


def math_text(value: Any, name: str = "value") -> str:
    """Plain-text form of a math value (sympy's ``str``).

    >>> math_text(Signal([0, '1/2'])), math_text(sympy.sqrt(2) / 2)
    ('[0, 1/2]', 'sqrt(2)/2')
    """
    if isinstance(value, Tex):
        return value.text if value.text is not None else value.latex
    if isinstance(value, str):
        return value
    if isinstance(value, Verdict):
        raise InvalidArgumentError(f"{name} is a verdict; record it with d.verdict(v), not as math")
    if isinstance(value, Signal):
        return _signal_text(value)
    if isinstance(value, bool):
        return str(value)
    number = _exact_number(value, name)
    if number is not None:
        return str(number)
    if isinstance(value, (list, tuple)):
        inner = ", ".join(math_text(v, f"{name}[{i}]") for i, v in enumerate(value))
        return f"[{inner}]" if isinstance(value, list) else f"({inner})"
    if hasattr(value, "to_Matrix") and callable(value.to_Matrix):
        return str(value.to_Matrix())
    if callable(getattr(value, "describe", None)):
        return str(value.describe())
    return str(value)


def fit_to_width(math_source: str) -> str:
    r"""Display-style math in a box scaled down to the line width when wider.

    >>> fit_to_width("x")
    '\\resizebox{\\ifdim\\width>\\linewidth\\linewidth\\else\\width\\fi}{!}{$\\displaystyle x$}'
    """
    return r"\resizebox{\ifdim\width>\linewidth\linewidth\else\width\fi}{!}{$\displaystyle " + math_source + "$}"


def _fit_box(content: str) -> str:
    return r"\resizebox{\ifdim\width>\linewidth\linewidth\else\width\fi}{!}{" + content + "}"


def _cell_latex(value: Any, name: str) -> str:
    return phrase_latex(value) if isinstance(value, str) else "$" + math_latex(value, name) + "$"


def _cell_text(value: Any, name: str) -> str:
    return value if isinstance(value, str) else math_text(value, name)


# --- steps -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Figure:
    """A figure file recorded by :meth:`Derivation.figure`.

    >>> print(Figure(pathlib.Path("no-such-file.png"), "the paper's Figure 1").latex())
    \\noindent\\textbf{Figure missing:} no-such-file.png (the paper's Figure 1)\\par
    """

    path: pathlib.Path
    caption: str
    caption_latex: str | None = None

    def latex(self, base_dir: pathlib.Path | None = None) -> str:
        """``\\includegraphics`` for the file, relative to ``base_dir`` when given."""
        if not self.path.is_file():
            return r"\noindent\textbf{Figure missing:} " + escape_latex(f"{self.path} ({self.caption})") + r"\par"
        shown = str(self.path)
        if base_dir is not None:
            try:
                shown = os.path.relpath(self.path, base_dir)
            except ValueError:  # another drive on Windows
                shown = str(self.path)
        shown = shown.replace(os.sep, "/")
        if re.search(r"[\s%#{}\\~^$&\"']", shown) or not shown.isascii():
            return (r"\noindent\textbf{Figure not included:} the file name "
                    + r"\texttt{" + escape_latex(shown) + "}"
                    + " contains characters LaTeX cannot read; rename it. "
                    + escape_latex(self.caption) + r"\par")
        return "\n".join([
            r"\begin{figure}[!htbp]",
            r"\centering",
            r"\includegraphics[width=0.8\linewidth,height=0.4\textheight,keepaspectratio]{" + shown + "}",
            r"\caption{" + (self.caption_latex or prose_latex(self.caption)) + "}",
            r"\end{figure}",
        ])


@dataclass(frozen=True)
class _Step:
    kind: str
    text: str
    latex: str
    payload: Any = None

    def render_latex(self, base_dir: pathlib.Path | None) -> str:
        if self.kind == "figure":
            return self.payload.latex(base_dir)
        return self.latex


class CheckFailed(SymequiError):
    """An internal check of a derivation failed (:meth:`Derivation.require`).

    The claim runner turns it into an Undecided verdict whose reason is
    :attr:`reason`; run outside the runner, it propagates like any error.

    >>> CheckFailed("the table does not match").reason
    'the table does not match'
    """

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"a check of the derivation failed: {brief(reason, str)}")


def _prose(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidArgumentError(f"{name}={brief(value)} must be a non-empty str")
    if isinstance(value, Phrase):  # keeps its LaTeX twin
        return value if value == value.strip() else Phrase(value.strip(), value.latex)
    return value.strip()


class Derivation:
    """An ordered record of the steps that justify a verdict.

    Parameters
    ----------
    title : a one-line title (prose)
    output_dir : the folder where the claim writes figures; :class:`~symequi.report.claims.Claim`
        sets it to ``<output folder>/<claim id>``.  It is created on first use of
        :attr:`output_dir`.

    >>> d = Derivation("Cell averages")
    >>> d.convention("cell averages divide by the cell width")
    >>> d.erratum("eq. (7) omits the factor 1/dx")
    >>> d.conventions, d.errata
    (('cell averages divide by the cell width',), ('eq. (7) omits the factor 1/dx',))
    """

    def __init__(self, title: str, *, output_dir: str | os.PathLike[str] | None = None) -> None:
        self.title = _prose(title, "title")
        if output_dir is not None and not isinstance(output_dir, (str, os.PathLike)):
            raise InvalidArgumentError(f"output_dir={brief(output_dir)} must be a path or None")
        self._output_dir = None if output_dir is None else pathlib.Path(output_dir)
        self._steps: list[_Step] = []
        self._latex_forms: dict[str, str] = {}

    # --- recording ---------------------------------------------------------------------
    @property
    def output_dir(self) -> pathlib.Path:
        """The folder for this derivation's figures (created on first access)."""
        if self._output_dir is None:
            raise InvalidArgumentError(
                "this Derivation has no output folder; pass output_dir= when creating it "
                "(claims run by symequi get one automatically)"
            )
        self._output_dir.mkdir(parents=True, exist_ok=True)
        return self._output_dir

    def text(self, *parts: Any) -> None:
        """A paragraph: ``str`` parts are prose, other parts inline math.

        >>> d = Derivation("t")
        >>> d.text("The kernel is", [2, -2], "with origin", -1)
        >>> print(d.to_latex(heading=False))
        The kernel is \\(\\left[ 2, \\  -2\\right]\\) with origin \\(-1\\)
        """
        if not parts:
            raise InvalidArgumentError("d.text() needs at least one part (prose or a math value)")
        texts, latexes = [], []
        for i, part in enumerate(parts):
            if isinstance(part, str):
                texts.append(part)
                latexes.append(phrase_latex(part))
            else:
                texts.append(math_text(part, f"parts[{i}]"))
                latexes.append(r"\(" + math_latex(part, f"parts[{i}]") + r"\)")
        self._steps.append(_Step("text", " ".join(texts), " ".join(latexes) + "\n"))

    def equation(self, lhs: Any, *rhs: Any, label: str | None = None, relation: str = "=") -> None:
        """A displayed equation ``lhs = rhs`` (a chain for several ``rhs``).

        >>> d = Derivation("e")
        >>> d.equation("a", 1, sympy.Rational(2, 2), label="3")
        >>> print(d.to_text())
        e
        =
            a = 1    (3)
              = 1
        """
        if relation not in _RELATIONS:
            raise InvalidArgumentError(f"relation={brief(relation)} must be one of {brief(', '.join(_RELATIONS), str)}")
        if label is not None:
            if not isinstance(label, str) or not label.strip() or "\n" in label:
                raise InvalidArgumentError(f"label={brief(label)} must be a short one-line str, e.g. '5'")
        rel_text, rel_latex = _RELATIONS[relation]
        lhs_text, lhs_latex = math_text(lhs, "lhs"), math_latex(lhs, "lhs")
        rhs_text = [math_text(r, f"rhs[{i}]") for i, r in enumerate(rhs)]
        rhs_latex = [math_latex(r, f"rhs[{i}]") for i, r in enumerate(rhs)]
        tag = f"    ({label})" if label else ""
        if not rhs:
            text = "    " + lhs_text + tag
            body = lhs_latex
        else:
            lines = [f"    {lhs_text} {rel_text} {rhs_text[0]}{tag}"]
            pad = " " * (4 + len(lhs_text))
            lines += [f"{pad} {rel_text} {r}" for r in rhs_text[1:]]
            text = "\n".join(lines)
            if len(rhs) == 1:
                body = f"{lhs_latex} {rel_latex} {rhs_latex[0]}"
            else:
                rows = [f"{lhs_latex} &{rel_latex} {rhs_latex[0]}"]
                rows += [f"&{rel_latex} {r}" for r in rhs_latex[1:]]
                body = r"\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}"
        tag_latex = r"\tag{" + escape_latex(label) + "}" if label else ""
        latex = "\\begin{equation*}\n" + fit_to_width(body) + tag_latex + "\n\\end{equation*}\n"
        self._steps.append(_Step("equation", text, latex))

    def math(self, expr: Any) -> None:
        """A displayed math expression (no relation).

        >>> d = Derivation("m")
        >>> d.math(sympy.Integral(sympy.Symbol("x"), (sympy.Symbol("x"), 0, 1)))
        >>> print(d.to_text().splitlines()[-1])
            Integral(x, (x, 0, 1))
        """
        self.equation(expr)

    def table(self, header: Sequence[Any], rows: Iterable[Sequence[Any]], *, caption: str | None = None) -> None:
        """A table; ``str`` cells are prose, other cells math.

        >>> d = Derivation("t")
        >>> d.table(["j", "pixel"], [[0, 0], [1, Fraction(1, 2)]])
        >>> print(d.to_text())
        t
        =
        j | pixel
        --+------
        0 | 0
        1 | 1/2
        """
        if isinstance(header, (str, bytes)) or not isinstance(header, Sequence) or not header:
            raise InvalidArgumentError(f"header={brief(header)} must be a non-empty list of column titles")
        width = len(header)
        body = []
        for i, row in enumerate(rows):
            if isinstance(row, (str, bytes)) or not isinstance(row, Sequence) or len(row) != width:
                raise InvalidArgumentError(
                    f"rows[{i}]={brief(row)} must be a list of {brief(width, str)} cells, one per header column"
                )
            body.append(list(row))
        if caption is not None:
            caption = _prose(caption, "caption")
        text_rows = [[_cell_text(c, f"header[{j}]") for j, c in enumerate(header)]]
        text_rows += [[_cell_text(c, f"rows[{i}][{j}]") for j, c in enumerate(row)] for i, row in enumerate(body)]
        widths = [max(len(r[j]) for r in text_rows) for j in range(width)]
        lines = [" | ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip() for r in text_rows]
        lines.insert(1, "-+-".join("-" * w for w in widths))
        if caption:
            lines.append(caption)
        latex_rows = [" & ".join(_cell_latex(c, f"header[{j}]") for j, c in enumerate(header)) + r" \\ \midrule"]
        latex_rows += [" & ".join(_cell_latex(c, f"rows[{i}][{j}]") for j, c in enumerate(row)) + r" \\"
                       for i, row in enumerate(body)]
        tabular = ("\\begin{tabular}{" + "l" * width + "}\n\\toprule\n" + "\n".join(latex_rows)
                   + "\n\\bottomrule\n\\end{tabular}")
        latex = "\\begin{center}\n" + _fit_box(tabular)
        if caption:
            latex += "\\\\[0.5ex]\n" + prose_latex(caption)
        latex += "\n\\end{center}\n"
        self._steps.append(_Step("table", "\n".join(lines), latex))

    def figure(self, path: str | os.PathLike[str], caption: str, *, latex: str | None = None) -> None:
        """A figure file (PDF, PNG or JPEG) that the claim wrote.

        A relative ``path`` is relative to :attr:`output_dir`.  ``latex`` is the
        caption as LaTeX text with inline math (the document uses it).  The
        document numbers figures itself ("Figure 3: <caption>"), so a caption
        that names a figure by number ("Figure 1", "Fig. 1") is refused: it
        would read "Figure 3: The paper's Figure 1 ..."; say it in words (the
        paper's first figure).  Draw the figure without an in-image title:
        the caption says it.

        >>> d = Derivation("f")
        >>> d.figure("plot.png", "The paper's Figure 1 regenerated")
        Traceback (most recent call last):
        ...
        symequi.core.errors.InvalidArgumentError: caption="The paper's Figure 1 regenerated" names a figure by number ('Figure 1'), which repeats the document's own 'Figure N:' label; say it in words, e.g. "the paper's first figure"
        """
        if not isinstance(path, (str, os.PathLike)):
            raise InvalidArgumentError(f"path={brief(path)} must be a file path")
        for name, value in (("caption", caption), ("latex", latex)):
            numbered = _FIGURE_NUMBER.search(value) if isinstance(value, str) else None
            if numbered is not None:
                raise InvalidArgumentError(
                    f"{name}={brief(value)} names a figure by number ({brief(numbered.group(0))}), which repeats the "
                    "document's own 'Figure N:' label; say it in words, e.g. \"the paper's first figure\""
                )
        file = pathlib.Path(path)
        if not file.is_absolute():
            file = self.output_dir / file
        if file.suffix.lower() not in FIGURE_SUFFIXES:
            raise InvalidArgumentError(
                f"path={repr(brief(file, str))} must be a {brief(', '.join(FIGURE_SUFFIXES), str)} file (pdflatex includes only these)"
            )
        if not file.is_file():
            raise InvalidArgumentError(f"path={repr(brief(file, str))} does not exist; save the figure before recording it")
        if re.search(r"[\s%#{}\\~^$&\"']", file.name) or not file.name.isascii():
            raise InvalidArgumentError(
                f"path={repr(brief(file, str))}: the file name must not contain spaces, non-ASCII letters or "
                "any of % # { } \\ ~ ^ $ & \" ' (LaTeX cannot include it); rename the file"
            )
        if latex is not None and (not isinstance(latex, str) or not latex.strip()):
            raise InvalidArgumentError(f"latex={brief(latex)} must be a non-empty str of LaTeX text or None")
        fig = Figure(file.resolve(), _prose(caption, "caption"),
                     None if latex is None else check_latex_text(latex.strip(), "latex"))
        self._steps.append(_Step("figure", f"[Figure: {fig.caption}] {fig.path}", "", fig))

    def verdict(self, v: Verdict) -> None:
        """An intermediate verdict (a lemma); rendered with ``v.text()`` / ``v.latex()``."""
        if not isinstance(v, Verdict):
            raise InvalidArgumentError(
                f"v={brief(v)} must be a symequi verdict (Proved, Counterexample or Undecided)"
            )
        # ragged right, as the claim's own verdict: its description items hold long unbreakable math
        latex = "\\par\\medskip{\\raggedright\\noindent " + v.latex() + "\\par}\n"
        self._steps.append(_Step("verdict", v.text(), latex, v))

    def _note(self, kind: str, text: str, latex: str | None) -> None:
        if latex is None and isinstance(text, Phrase):
            latex = text.latex
        text = _prose(text, "text")
        if latex is not None:
            if not isinstance(latex, str) or not latex.strip():
                raise InvalidArgumentError(f"latex={brief(latex)} must be a non-empty str of LaTeX text or None")
            self._latex_forms[text] = check_latex_text(latex.strip(), "latex")
        shown = self._latex_forms.get(text) or prose_latex(text)
        self._steps.append(_Step(kind, f"{kind.capitalize()}: {text}",
                                 f"\\par\\noindent\\textbf{{{kind.capitalize()}.}} " + shown + "\\par\n", text))

    def _phrase(self, text: str) -> str:
        """``text`` as a :class:`~symequi.core.texescape.Phrase` when it has a LaTeX form."""
        form = self._latex_forms.get(text)
        return text if form is None else Phrase(text, form)

    def erratum(self, text: str, *, latex: str | None = None) -> None:
        """A correction to the source being checked (collected in the Errata
        section); ``latex`` is the same text as LaTeX with inline math (a
        :class:`~symequi.core.texescape.Phrase` brings its own)."""
        self._note("erratum", text, latex)

    def convention(self, text: str, *, latex: str | None = None) -> None:
        """A convention this derivation uses (collected in the Conventions
        section); ``latex`` is the same text as LaTeX with inline math (a
        :class:`~symequi.core.texescape.Phrase` brings its own).  :attr:`conventions`
        returns phrases, so a verdict built with ``conventions=d.conventions``
        keeps the LaTeX.

        >>> d = Derivation("demo")
        >>> d.convention("H(0) = 0", latex="$H(0) = 0$")
        >>> d.conventions, d.latex_forms
        (('H(0) = 0',), {'H(0) = 0': '$H(0) = 0$'})
        >>> d.conventions[0].latex
        '$H(0) = 0$'
        """
        self._note("convention", text, latex)

    @property
    def latex_forms(self) -> dict[str, str]:
        """The hand-written LaTeX of conventions and errata, by their plain text."""
        return dict(self._latex_forms)

    def require(self, condition: bool, reason: str) -> None:
        """End the claim Undecided with ``reason`` unless ``condition`` is True.

        ``condition`` must be a ``bool`` (or sympy's ``true``/``false``): a verdict,
        a Signal or an expression has no unambiguous truth value, so compare it
        first (``v.proved``, ``lhs == rhs``).  A failed check is recorded as a step
        and raises :class:`CheckFailed`, which
        :meth:`symequi.report.claims.Claim.run` turns into
        ``Undecided(<claim title>, reason=reason)``.

        >>> d = Derivation("checks")
        >>> d.require(1 + 1 == 2, "arithmetic is broken")
        >>> d.require(2 + 2 == 5, "2 + 2 is not 5")
        Traceback (most recent call last):
        ...
        symequi.report.derivation.CheckFailed: a check of the derivation failed: 2 + 2 is not 5
        >>> d.steps[-1]
        ('check', 'Check failed: 2 + 2 is not 5')
        """
        reason = _prose(reason, "reason")
        if isinstance(condition, sympy.logic.boolalg.BooleanAtom):
            condition = bool(condition)
        if not isinstance(condition, bool):
            raise InvalidArgumentError(
                f"condition={brief(condition)} ({type(condition).__name__}) must be True or False; "
                "compare first, e.g. d.require(v.proved, ...) or d.require(lhs == rhs, ...)"
            )
        if not condition:
            self._steps.append(_Step("check", f"Check failed: {reason}",
                                     "\\par\\noindent\\textbf{Check failed.} " + prose_latex(reason) + "\\par\n",
                                     reason))
            raise CheckFailed(reason)

    # --- reading -----------------------------------------------------------------------
    @property
    def steps(self) -> tuple[tuple[str, str], ...]:
        """The steps as ``(kind, plain text)`` pairs, in order."""
        return tuple((s.kind, s.text) for s in self._steps)

    @property
    def errata(self) -> tuple[str, ...]:
        """The errata recorded with :meth:`erratum`, in order (phrases when they have a LaTeX form)."""
        return tuple(self._phrase(s.payload) for s in self._steps if s.kind == "erratum")

    @property
    def conventions(self) -> tuple[str, ...]:
        """The conventions recorded with :meth:`convention`, in order, without repeats
        (phrases when they have a LaTeX form)."""
        return tuple(self._phrase(c) for c in dict.fromkeys(s.payload for s in self._steps if s.kind == "convention"))

    @property
    def figures(self) -> tuple[Figure, ...]:
        """The figures recorded with :meth:`figure`."""
        return tuple(s.payload for s in self._steps if s.kind == "figure")

    @property
    def verdicts(self) -> tuple[Verdict, ...]:
        """The intermediate verdicts recorded with :meth:`verdict`."""
        return tuple(s.payload for s in self._steps if s.kind == "verdict")

    def __len__(self) -> int:
        return len(self._steps)

    def to_text(self) -> str:
        """The derivation as plain text: the title, underlined, then the steps."""
        lines = [self.title, "=" * len(self.title)]
        lines += [s.text for s in self._steps]
        return "\n".join(lines)

    def to_latex(self, *, heading: bool = True, base_dir: str | os.PathLike[str] | None = None) -> str:
        """The derivation as a LaTeX fragment (ASCII only).

        ``heading`` adds the title as an unnumbered subsection; ``base_dir`` is
        the folder of the ``.tex`` file, so figure paths can be relative.
        Needs only the packages in :data:`LATEX_PACKAGES`.
        """
        base = None if base_dir is None else pathlib.Path(base_dir).resolve()
        parts = [r"\subsection*{" + escape_latex(self.title) + "}\n"] if heading else []
        parts += [s.render_latex(base) for s in self._steps]
        return tex_ascii("\n".join(parts))

    def _repr_latex_(self) -> str:
        """Jupyter's LaTeX form: :meth:`to_latex` with the title as a heading.

        >>> d = Derivation("demo")
        >>> d.text("a_j is zero")
        >>> print(d._repr_latex_())
        \\subsection*{demo}
        <BLANKLINE>
        $a_{j}$ is zero
        <BLANKLINE>
        """
        return self.to_latex(heading=True)

    def __repr__(self) -> str:
        return f"<Derivation {brief(self.title)}: {len(self._steps)} steps>"
