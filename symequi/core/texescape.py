r"""The one LaTeX escaper: plain text (prose) as LaTeX text, ASCII only.

:func:`escape_latex` turns prose into LaTeX that typesets the same characters:
the ten LaTeX specials (``\ { } $ & # ^ _ % ~``) and ``< > |`` are escaped,
and non-ASCII letters and symbols (``δ``, ``→``, ``≤``, accented letters) become
ASCII LaTeX that works in text and in math mode.  :func:`tex_ascii` does only
the second part, for LaTeX *source* that may contain non-ASCII characters.
:func:`prose_latex` is :func:`escape_latex` for prose that contains ASCII
math (``b_{j-k}``, ``x^2``, ``<=``, ``sum_k``, ``sigma``): those pieces become
inline math, the rest is escaped.

Every module that writes LaTeX uses these two functions (verdicts, operators,
derivations, the LaTeX report); there is no second escape table.

Text that symequi itself writes (conventions, verdict details) does not rely on
the heuristic of :func:`prose_latex`: it is a :class:`Phrase`, a ``str`` (the
plain text) that carries a hand-written LaTeX twin, and :func:`phrase_latex`
typesets a phrase with its twin and any other text with :func:`prose_latex`.

Example
-------
>>> from symequi.core.texescape import escape_latex
>>> print(escape_latex(r"50% of a_j & {b} costs $3, #1 ^ ~ \ δ"))
50\% of a\_j \& \{b\} costs \$3, \#1 \^{} \~{} \textbackslash{} \ensuremath{\delta}
"""

from __future__ import annotations

import re
import unicodedata

from .errors import InvalidArgumentError
from .texts import brief

__all__ = ["escape_latex", "tex_ascii", "prose_latex", "Phrase", "phrase_latex", "check_latex_text"]

_TEXT_SPECIALS = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
    "^": r"\^{}", "_": r"\_", "%": r"\%", "~": r"\~{}", "<": r"\textless{}",
    ">": r"\textgreater{}", "|": r"\textbar{}",
}

_GREEK = [
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
    "lambda", "mu", "nu", "xi", "omicron", "pi", "rho", "final sigma", "sigma", "tau",
    "upsilon", "phi", "chi", "psi", "omega",
]


def _greek_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for offset, name in enumerate(_GREEK):
        if name == "final sigma":
            table[chr(0x3B1 + offset)] = r"\ensuremath{\varsigma}"
            continue
        lower = r"\ensuremath{o}" if name == "omicron" else r"\ensuremath{\%s}" % name
        table[chr(0x3B1 + offset)] = lower
        cap = name.capitalize()
        upper = chr(0x391 + offset)
        if cap in ("Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega"):
            table[upper] = r"\ensuremath{\%s}" % cap
        elif unicodedata.category(upper).startswith("L"):
            # Capitals that look like Latin letters (Alpha -> A, ...).
            table[upper] = r"\ensuremath{\mathrm{%s}}" % unicodedata.name(upper).split()[-1][0]
    table["\u03d5"] = r"\ensuremath{\phi}"
    table["\u03b5"] = r"\ensuremath{\varepsilon}"
    return table


# Replacements that are valid in text mode AND math mode.
_UNICODE = {
    **_greek_table(),
    "\u2192": r"\ensuremath{\to}", "\u2190": r"\ensuremath{\leftarrow}",
    "\u21a6": r"\ensuremath{\mapsto}", "\u21d2": r"\ensuremath{\Rightarrow}",
    "\u21d4": r"\ensuremath{\Leftrightarrow}", "\u2264": r"\ensuremath{\leq}",
    "\u2265": r"\ensuremath{\geq}", "\u2260": r"\ensuremath{\neq}", "\u2248": r"\ensuremath{\approx}",
    "\u2261": r"\ensuremath{\equiv}", "\u2218": r"\ensuremath{\circ}", "\u00d7": r"\ensuremath{\times}",
    "\u00b7": r"\ensuremath{\cdot}", "\u22c5": r"\ensuremath{\cdot}", "\u2212": r"\ensuremath{-}",
    "\u00b1": r"\ensuremath{\pm}", "\u2208": r"\ensuremath{\in}", "\u2209": r"\ensuremath{\notin}",
    "\u2282": r"\ensuremath{\subset}", "\u2286": r"\ensuremath{\subseteq}",
    "\u222a": r"\ensuremath{\cup}", "\u2229": r"\ensuremath{\cap}", "\u2200": r"\ensuremath{\forall}",
    "\u2203": r"\ensuremath{\exists}", "\u221e": r"\ensuremath{\infty}", "\u2211": r"\ensuremath{\sum}",
    "\u222b": r"\ensuremath{\int}", "\u221a": r"\ensuremath{\surd}", "\u2202": r"\ensuremath{\partial}",
    "\u2207": r"\ensuremath{\nabla}", "\u2205": r"\ensuremath{\emptyset}", "\u2032": r"\ensuremath{'}",
    "\u2124": r"\ensuremath{\mathbb{Z}}", "\u211a": r"\ensuremath{\mathbb{Q}}",
    "\u211d": r"\ensuremath{\mathbb{R}}", "\u2115": r"\ensuremath{\mathbb{N}}",
    "\u2102": r"\ensuremath{\mathbb{C}}", "\u2026": r"\ensuremath{\ldots}", "\u22ef": r"\ensuremath{\cdots}",
    "\u00b2": r"\ensuremath{^{2}}", "\u00b3": r"\ensuremath{^{3}}", "\u00bd": r"\ensuremath{\tfrac{1}{2}}",
    "\u2013": r"\mbox{--}", "\u2014": r"\mbox{---}", "\u2018": r"\mbox{`}", "\u2019": r"\mbox{'}",
    "\u201c": r"\mbox{``}", "\u201d": r"\mbox{''}", "\u00a0": "~", "\u00df": r"\mbox{\ss}",
    "\u00e6": r"\mbox{\ae}", "\u00c6": r"\mbox{\AE}", "\u00f8": r"\mbox{\o}", "\u00d8": r"\mbox{\O}",
    "\u0131": r"\mbox{\i}", "\u00a7": r"\mbox{\S}", "\u2713": r"\mbox{\checkmark}",
}

_ACCENTS = {"\u0301": "'", "\u0300": "`", "\u0302": "^", "\u0308": '"', "\u0303": "~",
            "\u0304": "=", "\u0327": "c", "\u030c": "v", "\u0306": "u", "\u030a": "r"}


def _unicode_char(char: str) -> str:
    if char in _UNICODE:
        return _UNICODE[char]
    decomposed = unicodedata.normalize("NFD", char)
    if len(decomposed) == 2 and decomposed[0].isascii() and decomposed[1] in _ACCENTS:
        accent = _ACCENTS[decomposed[1]]
        return r"\mbox{\%s{%s}}" % (accent, decomposed[0]) if accent.isalpha() else r"\mbox{\%s%s}" % (accent, decomposed[0])
    return r"\mbox{\texttt{<U+%04X>}}" % ord(char)


def tex_ascii(tex: str) -> str:
    """Replace every non-ASCII character in LaTeX source by ASCII LaTeX that
    works in text and in math mode (pdflatex without extra fonts).

    >>> tex_ascii("translate by δ → f(x − δ)")
    'translate by \\\\ensuremath{\\\\delta} \\\\ensuremath{\\\\to} f(x \\\\ensuremath{-} \\\\ensuremath{\\\\delta})'
    """
    if tex.isascii():
        return tex
    return "".join(c if c.isascii() else _unicode_char(c) for c in tex)


# Control characters: a tab is a space, every other one a visible <U+XXXX> (TeX would choke on them).
_CONTROLS = {chr(i): r"\mbox{\texttt{<U+%04X>}}" % i for i in [*range(32), 127] if chr(i) not in "\n\t"}
_CONTROLS["\t"] = " "

_BLANK_LINES = re.compile(r"\n[^\S\n]*(?:\n[^\S\n]*)+")


def escape_latex(text: str) -> str:
    r"""Escape prose for LaTeX text mode: special characters, non-ASCII letters,
    control characters (a tab is a space, others a visible ``<U+XXXX>``).

    Line breaks (``\r\n``, ``\r``) become ``\n`` and blank lines collapse into
    one line break, so the text stays one paragraph: it can go into a section
    title, a table cell or a caption without breaking the document.

    >>> print(escape_latex("50% of x_j & {b}"))
    50\% of x\_j \& \{b\}
    >>> escape_latex("a title\r\n\n  \nwith a bell\a")
    'a title\nwith a bell\\mbox{\\texttt{<U+0007>}}'
    """
    text = _BLANK_LINES.sub("\n", str(text).replace("\r\n", "\n").replace("\r", "\n"))
    return "".join(_TEXT_SPECIALS.get(c) or _CONTROLS.get(c, c) if c.isascii() else _unicode_char(c)
                   for c in text)



# --- ASCII math in prose -----------------------------------------------------------------
_GREEK_WORDS = ("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "theta", "lambda", "mu", "nu", "xi",
                "pi", "rho", "sigma", "tau", "phi", "chi", "psi", "omega", "Delta", "Sigma", "Omega")
_SAFE = r"[A-Za-z0-9+\-*/., ]"
_SUB = r"_(?:\{" + _SAFE + r"+\}|-?[A-Za-z0-9]{1,2}(?![A-Za-z0-9_]))"
_SUP = r"\^(?:\{" + _SAFE + r"+\}|\(" + _SAFE.replace(" ", "") + r"+\)|-?[A-Za-z0-9]{1,3}(?![A-Za-z0-9_]))"
_SCRIPTED = re.compile(r"(?<![A-Za-z0-9_\\])([A-Za-z]+)((?:" + _SUB + "|" + _SUP + r")+)")
_DANGLING = re.compile(r"(?<=[)\]])((?:" + _SUB + "|" + _SUP + r")+)")
_OPERATORS = {"<=": r"\le", ">=": r"\ge", "!=": r"\neq", "->": r"\to", "<-": r"\leftarrow", "<": "<", ">": ">"}
_TOKEN = re.compile(
    "|".join([_SCRIPTED.pattern, _DANGLING.pattern.replace("(?<=[)\\]])(", "(?<=[)\\]])(?P<dangling>", 1),
              r"(?P<op><=|>=|!=|->|<-|(?<= )[<>](?= ))",
              r"(?<![A-Za-z0-9_\\])(?P<word>" + "|".join(_GREEK_WORDS) + r"|sum|prod)(?![A-Za-z0-9])"])
)
_BLACKBOARD = {"R": r"\mathbb{R}", "Q": r"\mathbb{Q}", "Z": r"\mathbb{Z}", "C": r"\mathbb{C}"}


def _scripts_latex(scripts: str) -> str:
    out = []
    for m in re.finditer(_SUB + "|" + _SUP, scripts):
        piece = m.group(0)
        mark, body = piece[0], piece[1:]
        if body.startswith(("{", "(")) and mark == "^" or body.startswith("{"):
            body = body[1:-1]
        out.append(mark + "{" + body.replace(" ", r"\,") + "}")
    return "".join(out)


def _base_latex(base: str, scripts: str = "") -> str:
    if base in _GREEK_WORDS:
        return "\\" + base
    if base in ("sum", "prod"):
        return "\\" + base
    if base in _BLACKBOARD and scripts.startswith("^"):
        return _BLACKBOARD[base]
    return base if len(base) == 1 else r"\mathrm{" + base + "}"


def prose_latex(text: str) -> str:
    r"""Prose as LaTeX text, with its ASCII math typeset as inline math:
    subscripted or superscripted names (``b_{j-k}``, ``a_k``, ``x^2``,
    ``R^N``), ``<=``, ``>=``, ``!=``, ``->``, ``<-``, Greek letter names and
    ``sum``/``prod``.  Everything else is escaped as by :func:`escape_latex`.
    Identifiers such as ``kernel_symbols`` stay text.

    >>> print(prose_latex("C_j = sum_k a_k b_{j-k} for b in R^N, 0 <= l < N, sigma(b)_j"))
    $C_{j}$ = $\sum_{k}$ $a_{k}$ $b_{j-k}$ for b in $\mathbb{R}^{N}$, 0 $\le$ l $<$ N, $\sigma$(b)${}_{j}$
    >>> print(prose_latex("kernel_symbols costs 50%"))
    kernel\_\allowbreak{}symbols costs 50\%
    """
    out, last = [], 0
    for m in _TOKEN.finditer(text):
        out.append(_breakable(text[last:m.start()]))
        if m.group("op"):
            out.append("$" + _OPERATORS[m.group("op")] + "$")
        elif m.group("word"):
            out.append("$" + _base_latex(m.group("word")) + "$")
        elif m.group("dangling"):
            out.append("${}" + _scripts_latex(m.group("dangling")) + "$")
        else:
            out.append("$" + _base_latex(m.group(1), m.group(2)) + _scripts_latex(m.group(2)) + "$")
        last = m.end()
    out.append(_breakable(text[last:]))
    return "".join(out)


def _breakable(text: str) -> str:
    """Escaped text where dotted and underscored identifiers may break after . and _."""
    escaped = escape_latex(text)
    return re.sub(r"(?<=[A-Za-z0-9])(\\_|\.)(?=[A-Za-z])", r"\1\\allowbreak{}", escaped)



# --- plain text with a hand-written LaTeX twin ----------------------------------------------
def check_latex_text(source: str, name: str) -> str:
    r"""Return ``source``, LaTeX text (prose with inline ``$...$`` math), or raise
    InvalidArgumentError naming ``name`` when it would break a document.

    >>> check_latex_text(r"$x_j = -1 + j\,\Delta x$", "latex")
    '$x_j = -1 + j\\,\\Delta x$'
    >>> check_latex_text("$x", "latex")
    Traceback (most recent call last):
    ...
    symequi.core.errors.InvalidArgumentError: latex='$x' has an odd number of $ (inline math must be closed); fix the LaTeX
    """
    stripped = re.sub(r"\\.", "", source)
    depth = 0
    for char in stripped:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            break
    problem = None
    if depth != 0:
        problem = "has unbalanced braces { }"
    elif stripped.count("$") % 2:
        problem = "has an odd number of $ (inline math must be closed)"
    elif "%" in stripped or "#" in stripped:
        problem = r"contains an unescaped % or # (write \% or \#)"
    elif re.search(r"\\(begin|end)\{document\}|\\documentclass|\\section", source):
        problem = "must be the text of a statement, not a document or a section"
    elif re.search(r"\n[^\S\n]*\n", source.replace("\r\n", "\n").replace("\r", "\n")):
        problem = "contains a blank line (it must stay one paragraph)"
    if problem:
        raise InvalidArgumentError(f"{name}={brief(source)} {brief(problem, str)}; fix the LaTeX")
    return source


class Phrase(str):
    r"""Plain text (it *is* the ``str``) with its LaTeX twin, written by hand.

    Conventions and verdict details that symequi writes are phrases: the terminal,
    JSON and comparisons see the plain text; a LaTeX document shows :attr:`latex`
    (through :func:`phrase_latex`).  The twin is LaTeX text with inline math,
    checked when the phrase is made (balanced braces, closed ``$``).  A phrase
    equals, hashes and prints (``repr`` included) as its plain text.

    >>> p = Phrase("zero padding: b_i = 0 for i outside 0..N-1",
    ...            r"zero padding: $b_i = 0$ for $i \notin \{0, \dots, N-1\}$")
    >>> p == "zero padding: b_i = 0 for i outside 0..N-1", p.latex[-18:]
    (True, '\\{0, \\dots, N-1\\}$')
    """

    latex: str

    def __new__(cls, text: str, latex: str) -> "Phrase":
        if not isinstance(text, str) or not text.strip():
            raise InvalidArgumentError(f"text={brief(text)} must be a non-empty str (the plain text)")
        if not isinstance(latex, str) or not latex.strip():
            raise InvalidArgumentError(f"latex={brief(latex)} must be a non-empty str of LaTeX text (its twin)")
        made = super().__new__(cls, text)
        made.latex = check_latex_text(latex.strip(), "latex")
        return made

    def __reduce__(self) -> tuple:
        return (Phrase, (str(self), self.latex))



def phrase_latex(text: str) -> str:
    r"""LaTeX text for ``text``: the twin of a :class:`Phrase`, else :func:`prose_latex`.

    >>> phrase_latex(Phrase("H(0) = 0", "$H(0) = 0$")), phrase_latex("50% of x_j")
    ('$H(0) = 0$', '50\\% of $x_{j}$')
    """
    if isinstance(text, Phrase):
        return text.latex
    return prose_latex(str(text))
