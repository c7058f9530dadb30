"""A LaTeX document of claim results, and compiling it to PDF.

:func:`build_document` turns a list of :class:`~symequi.report.claims.ClaimResult`
into a complete LaTeX article:

1. a title and a table of contents;
2. a summary table of every claim: id, title, expected and obtained verdict,
   decider, time, status (OK / MISMATCH / ERROR);
3. a *Conventions* section: the conventions you pass, then every convention
   recorded by a derivation (``d.convention``) or carried by a verdict, with
   the claims that use it;
4. one section per claim: what was expected and obtained, the derivation
   (``Derivation.to_latex``), its figures, the verdict, and the traceback of
   a claim that errored;
5. an *Errata* section: the errata you pass, then every ``d.erratum``.

The document uses only packages from texlive-latex-base and
texlive-latex-recommended (geometry, amsmath, amssymb, graphicx, booktabs,
array, longtable), is pure ASCII (non-ASCII characters are transliterated), and
scales wide equations and tables down to the line width, so it compiles with
a plain ``pdflatex``.  :func:`compile_pdf` runs pdflatex twice (for the table
of contents) and replaces the PDF only when compilation succeeds.

Example
-------
>>> import tempfile
>>> from symequi.report.claims import claim
>>> from symequi.core.verdict import Proved
>>> from symequi.report.latex import build_document
>>> @claim("latex-demo", "A demo claim")
... def demo(d):
...     d.text("Nothing to compute.")
...     return Proved("a demo", decider="exact")
>>> tex = build_document([demo.run(tempfile.mkdtemp())], title="Demo")
>>> tex.startswith(r"\\documentclass") and "A demo claim" in tex and tex.isascii()
True
"""

from __future__ import annotations

import os
import pathlib
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterable, Sequence

from .files import write_bytes_atomic, write_text_atomic
from .claims import ClaimResult
from .derivation import LATEX_PACKAGES
from ..core.texescape import Phrase, escape_latex, phrase_latex, prose_latex, tex_ascii
from ..core.errors import InvalidArgumentError, SymequiError
from ..core.texts import brief

__all__ = ["build_document", "write_document", "compile_pdf", "LaTeXError", "DOCUMENT_PACKAGES",
           "STANDARD_CONVENTIONS", "STANDARD_CONVENTIONS_LATEX", "PDFLATEX_HINT"]

#: How to get pdflatex (quoted when it is missing).
PDFLATEX_HINT = ("install texlive-latex-base and texlive-latex-recommended "
                 "(Debian/Ubuntu: apt-get install texlive-latex-base texlive-latex-recommended)")

#: Every package the document loads (all in texlive-latex-base or -recommended).
DOCUMENT_PACKAGES: tuple[str, ...] = ("geometry", *LATEX_PACKAGES, "amsthm", "array", "longtable")

_VERBATIM_WIDTH = 85

#: The conventions every symequi result follows (``symequi prove --latex`` lists them first).
STANDARD_CONVENTIONS: tuple[str, ...] = (
    "Exact arithmetic throughout (rationals and algebraic numbers); no floating-point tolerance anywhere.",
    "translate(f, delta) = f(x - delta): a positive delta moves the graph to the right.",
    "A discrete translation by s cells moves the content right by s cells; s may be rational.",
    "The Heaviside step has H(0) = 0, as in the paper.",
    "Cell averages divide the cell integral by the cell width.",
    "Convolution is C_j = sum_k a_k b_{j-k} (paper eq. 3), correlation is C_j = sum_k a_k b_{j+k} "
    "(PyTorch); every result states its kernel origin and boundary handling.",
)


#: The same conventions in LaTeX (by their plain text), for the document.
STANDARD_CONVENTIONS_LATEX: dict[str, str] = dict(zip(STANDARD_CONVENTIONS, (
    "Exact arithmetic throughout (rationals and algebraic numbers); no floating-point tolerance anywhere.",
    r"Translation: $(\tau_\delta f)(x) = f(x - \delta)$; a positive $\delta$ moves the graph to the right.",
    r"A discrete translation by $s$ cells moves the content right by $s$ cells; $s$ may be rational.",
    r"The Heaviside step has $H(0) = 0$, as in the paper.",
    r"Cell averages divide the cell integral by the cell width: "
    r"$f^h_j = \frac{1}{\Delta x}\int_{x_j}^{x_{j+1}} f(x)\,dx$.",
    r"Convolution is $C_j[a, b] = \sum_k a_k b_{j-k}$ (paper eq.~3), correlation is "
    r"$C_j[a, b] = \sum_k a_k b_{j+k}$ (PyTorch); every result states its kernel origin and boundary handling.",
)))


class LaTeXError(SymequiError):
    """pdflatex is missing, failed, or timed out; the message quotes the log.

    >>> issubclass(LaTeXError, SymequiError)
    True
    """


def _tt(identifier: str) -> str:
    """An identifier in typewriter type that may break after - . _ /."""
    # the typewriter font has a real underscore glyph (slot 95); \_ would draw a rule
    escaped = escape_latex(identifier).replace(r"\_", r"{\char95}")
    return r"\texttt{" + re.sub(r"(-|\.|\{\\char95\}|/)", r"\1\\allowbreak{}", escaped) + "}"


def _verbatim(text: str) -> str:
    lines = []
    for raw in text.rstrip().splitlines() or [""]:
        line = "".join(c if c.isascii() and c.isprintable() else f"<U+{ord(c):04X}>" for c in raw.expandtabs(4))
        while len(line) > _VERBATIM_WIDTH:
            lines.append(line[:_VERBATIM_WIDTH])
            line = "  " + line[_VERBATIM_WIDTH:]
        lines.append(line)
    body = "\n".join(lines).replace(r"\end{verbatim}", r"\end {verbatim}")
    return "{\\small\n\\begin{verbatim}\n" + body + "\n\\end{verbatim}\n}\n"


def _strings(values: Iterable[str], name: str) -> list[str]:
    if isinstance(values, str):
        values = [values]
    out = []
    for i, v in enumerate(values):
        if not isinstance(v, str) or not v.strip():
            raise InvalidArgumentError(f"{name}[{i}]={brief(v)} must be a non-empty str")
        out.append(v.strip())
    return out


def _summary_table(results: Sequence[ClaimResult]) -> str:
    """The summary: one short row per claim, in small type so that it fits on the first page.

    The verdict columns are as wide as their widest possible entry (``undecided``,
    ``MISMATCH``), the title column takes the rest of the line.  A longtable still
    breaks cleanly if there are more claims than a page holds; no page break
    follows it, so a spill never leaves a page mostly blank.
    """
    digits = "9" * len(str(max(len(results), 1)))
    rows = [
        r"\begingroup\footnotesize\setlength{\tabcolsep}{4pt}",
        r"\setlength{\LTpre}{0.5\baselineskip}\setlength{\LTpost}{0pt}",
        r"\settowidth{\summarynum}{\S" + digits + "}",
        r"\settowidth{\summaryword}{undecided}\settowidth{\summaryclaim}{Expected}",
        r"\ifdim\summaryclaim>\summaryword\setlength{\summaryword}{\summaryclaim}\fi",
        r"\settowidth{\summarystatus}{\textbf{MISMATCH}}",
        r"\setlength{\summaryclaim}{\dimexpr\linewidth-\summarynum-2\summaryword-\summarystatus-8\tabcolsep\relax}",
        r"\begin{longtable}{@{}>{\raggedleft\arraybackslash}p{\summarynum}"
        r">{\raggedright\arraybackslash}p{\summaryclaim}"
        r"p{\summaryword}p{\summaryword}p{\summarystatus}@{}}",
        r"\toprule",
        r"\S & Claim & Expected & Obtained & Status \\",
        r"\midrule",
        r"\endhead",
        r"\bottomrule",
        r"\endlastfoot",
    ]
    for r in results:
        cells = [r"\ref{claim:" + r.id + "}", escape_latex(r.title), r.expected, r.obtained,
                 r"\textbf{" + r.status + "}"]
        rows.append(" & ".join(cells) + r" \\")
    rows.append(r"\end{longtable}")
    rows.append(r"\endgroup")
    return "\n".join(rows) + "\n"


def _collected(given: list[str], results: Sequence[ClaimResult], attribute: str) -> list[tuple[str, list[str]]]:
    """(entry, claim ids) pairs: the given entries first, then those recorded by claims."""
    users: dict[str, list[str]] = {entry: [] for entry in given}
    for r in results:
        entries = list(getattr(r.derivation, attribute))
        if attribute == "conventions" and r.verdict is not None:
            entries += list(r.verdict.conventions)
        for entry in entries:
            ids = users.setdefault(entry, [])
            if r.id not in ids:
                ids.append(r.id)
    return list(users.items())


def _itemize(pairs: list[tuple[str, list[str]]], empty: str, forms: dict[str, str]) -> str:
    if not pairs:
        return empty + "\n"
    items = []
    for entry, ids in pairs:
        who = (" (" + ", ".join(r"\S\ref{claim:" + i + "}" for i in ids) + ")") if ids else ""
        items.append(r"\item " + (forms.get(entry) or phrase_latex(entry)) + who)
    return "\\begin{itemize}\n" + "\n".join(items) + "\n\\end{itemize}\n"


def _latex_forms(results: Sequence[ClaimResult]) -> dict[str, str]:
    """The LaTeX twin of every convention and erratum, by its plain text."""
    forms = dict(STANDARD_CONVENTIONS_LATEX)
    for r in results:
        forms.update(r.derivation.latex_forms)
        if r.verdict is not None:
            forms.update((str(c), c.latex) for c in r.verdict.conventions if isinstance(c, Phrase))
    return forms


def _claim_section(r: ClaimResult, base_dir: pathlib.Path | None) -> str:
    title = escape_latex(r.title)
    parts = [r"\section{" + title + r"}\label{claim:" + r.id + "}"]
    statement = r.claim.latex or prose_latex(r.claim.plain_statement)
    parts.append(r"\begin{claimthm}[" + _tt(r.id) + "]\n" + statement + "\n\\end{claimthm}")
    facts = [f"Expected \\emph{{{r.expected}}}, obtained \\emph{{{r.obtained}}}: \\textbf{{{r.status}}}"]
    if r.decider:
        facts.append("decider " + escape_latex(r.decider))
    facts.append(f"{r.seconds:.2f} s")
    if r.file is not None:
        facts.append("script " + _tt(r.file.name))
    if r.claim.tags:
        facts.append("tags " + ", ".join(escape_latex(t) for t in r.claim.tags))
    parts.append(r"{\small\raggedright\noindent " + "; ".join(facts) + ".\\par}\n")
    if len(r.derivation):
        parts.append(r"\subsection*{Derivation}")
        parts.append(r.derivation.to_latex(heading=False, base_dir=base_dir))
    if r.verdict is not None:
        parts.append(r"\subsection*{Verdict}")
        parts.append(r"{\raggedright\noindent " + tex_ascii(r.verdict.latex()) + "\\par}")
    if r.error is not None:
        parts.append(r"\subsection*{Error}")
        where = f" (at {r.location})" if r.location else ""
        parts.append("The claim did not produce a verdict" + escape_latex(where) + ":\n" + _verbatim(r.error))
    return "\n".join(parts) + "\n"


def build_document(results: Sequence[ClaimResult], *, title: str = "symequi: proofs and counterexamples",
                   conventions: Iterable[str] = (), errata: Iterable[str] = (),
                   base_dir: str | os.PathLike[str] | None = None) -> str:
    """A complete LaTeX document (ASCII) for ``results``; see the module docstring.

    ``base_dir`` is the folder the ``.tex`` file will be written to; figure
    paths are then written relative to it (otherwise absolute).
    :func:`write_document` sets it for you.

    >>> print(build_document([], title="Nothing yet").splitlines()[0])
    \\documentclass[11pt]{article}
    """
    results = list(results)
    for i, r in enumerate(results):
        if not isinstance(r, ClaimResult):
            raise InvalidArgumentError(f"results[{i}]={brief(r)} is not a ClaimResult; use symequi.report.run_claims()")
    if not isinstance(title, str) or not title.strip():
        raise InvalidArgumentError(f"title={brief(title)} must be a non-empty str")
    given_conventions = _strings(conventions, "conventions")
    given_errata = _strings(errata, "errata")
    base = None if base_dir is None else pathlib.Path(base_dir).resolve()

    from .._version import __version__

    counts = {s: sum(r.status == s for r in results) for s in ("OK", "MISMATCH", "ERROR")}
    noun = "claim" if len(results) == 1 else "claims"
    summary = (f"{len(results)} {noun}: {counts['OK']} as expected, {counts['MISMATCH']} with a "
               f"different verdict, {counts['ERROR']} errors.")
    forms = _latex_forms(results)
    out = [
        r"\documentclass[11pt]{article}",
        r"\usepackage[margin=2.5cm]{geometry}",
        *(r"\usepackage{" + p + "}" for p in DOCUMENT_PACKAGES if p != "geometry"),
        r"\theoremstyle{plain}",
        r"\newtheorem{claimthm}{Claim}[section]",
        r"\renewcommand{\theclaimthm}{\thesection}",
        r"\setcounter{MaxMatrixCols}{64}",
        r"\newlength{\summarynum}\newlength{\summaryword}\newlength{\summarystatus}\newlength{\summaryclaim}",
        r"\allowdisplaybreaks",
        r"\setlength{\emergencystretch}{3em}",
        # floats: let figures fill most of a page rather than leave a third of it empty
        r"\renewcommand{\topfraction}{0.9}",
        r"\renewcommand{\bottomfraction}{0.8}",
        r"\renewcommand{\textfraction}{0.1}",
        r"\renewcommand{\floatpagefraction}{0.8}",
        r"\setcounter{topnumber}{3}",
        r"\setcounter{totalnumber}{4}",
        # a compact contents: one dotted line per claim, so it fits on one page
        r"\makeatletter\renewcommand*\l@section{\@dottedtocline{1}{0em}{2.3em}}\makeatother",
        r"\title{" + escape_latex(title.strip()) + "}",
        r"\date{Generated by symequi " + escape_latex(__version__) + "}",
        r"\begin{document}",
        # a compact title block: the summary table below must fit on the first page
        r"\makeatletter\begin{center}{\LARGE\@title\par}\medskip{\small\@date\par}\end{center}\makeatother",
        r"\thispagestyle{empty}",
        r"\section*{Summary}",
        r"\addcontentsline{toc}{section}{Summary}",
        escape_latex(summary) + " Every verdict is exact: a proof holds for every input in the stated "
        "class, a counterexample is an exact input on which the two sides differ, and an undecided "
        "claim says why. The first column refers to the section of each claim.",
        _summary_table(results),
        r"\tableofcontents",
        r"\section*{Conventions}",
        r"\addcontentsline{toc}{section}{Conventions}",
        _itemize(_collected(given_conventions, results, "conventions"), "No conventions were recorded.", forms),
    ]
    out += [_claim_section(r, base) for r in results]
    out += [
        r"\section*{Errata}",
        r"\addcontentsline{toc}{section}{Errata}",
        _itemize(_collected(given_errata, results, "errata"), "No errata were recorded.", forms),
        r"\end{document}",
        "",
    ]
    return tex_ascii("\n".join(out))


def write_document(results: Sequence[ClaimResult], path: str | os.PathLike[str], *,
                   title: str = "symequi: proofs and counterexamples", conventions: Iterable[str] = (),
                   errata: Iterable[str] = ()) -> pathlib.Path:
    """Build the document and write it atomically to ``path`` (folders are created).

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out" / "proofs.tex"
    >>> write_document([], target, title="Empty").name
    'proofs.tex'
    """
    if not isinstance(path, (str, os.PathLike)):
        raise InvalidArgumentError(f"path={brief(path)} must be a .tex file path")
    target = pathlib.Path(path)
    if target.suffix != ".tex":
        raise InvalidArgumentError(f"path={repr(brief(path, str))} must end in .tex")
    target.parent.mkdir(parents=True, exist_ok=True)
    tex = build_document(results, title=title, conventions=conventions, errata=errata, base_dir=target.parent)
    return write_text_atomic(target, tex, encoding="ascii")


def _first_errors(log: str, limit: int = 12) -> str:
    lines = log.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("!") or re.match(r"^[^:\s]+\.(tex|sty|cls):\d+: ", line):
            return "\n".join(lines[i:i + limit]).rstrip()
    tail = [line for line in lines[-limit:] if line.strip()]
    return "\n".join(tail)


def _tex_environment() -> dict[str, str]:
    """The environment pdflatex runs in: no shell escape, and TeX's paranoid file access.

    ``openin_any=p`` / ``openout_any=p`` (kpathsea): TeX reads and writes only
    files below the working folder, never absolute paths, ``..`` or dot files;
    ``shell_escape=f`` backs up ``-no-shell-escape`` (``\\write18`` is never run).

    >>> env = _tex_environment()
    >>> env["openin_any"], env["openout_any"], env["shell_escape"]
    ('p', 'p', 'f')
    """
    return {**os.environ, "openin_any": "p", "openout_any": "p", "shell_escape": "f"}


_GRAPHICS = re.compile(r"(\\includegraphics(?:\[[^\]]*\])?\{)([^{}]*)(\})")
_IMAGE_SUFFIXES = frozenset({".pdf", ".png", ".jpg", ".jpeg"})


def _stage(tex: pathlib.Path, folder: pathlib.Path, build: pathlib.Path) -> None:
    """Copy the document, and the images it includes, into the build folder.

    TeX then runs there in paranoid mode (it opens no absolute path and no
    ``..``), yet figures beside the document (``../claim/plot.png``) still
    work: each included PDF/PNG/JPEG file is copied in under a plain name.
    Other files (``\\input``) are found through ``TEXINPUTS`` in the document's folder.
    """
    copied: dict[pathlib.Path, str] = {}

    def swap(match: re.Match[str]) -> str:
        source = folder / match.group(2).strip()
        if source.suffix.lower() not in _IMAGE_SUFFIXES or not source.is_file():
            return match.group(0)  # TeX reports a missing or unreadable file itself
        key = source.resolve()
        if key not in copied:
            copied[key] = f"symequi-figure-{len(copied)}{source.suffix.lower()}"
            shutil.copyfile(key, build / copied[key])
        return match.group(1) + copied[key] + match.group(3)

    text = tex.read_text(encoding="latin-1")  # byte for byte
    (build / tex.name).write_text(_GRAPHICS.sub(swap, text), encoding="latin-1")


#: Build folders of :func:`compile_pdf`: ``.symequi-latex-<pid>-<random>`` in the document's folder.
_BUILD_PREFIX = ".symequi-latex-"



def _remove_stale_builds(folder: pathlib.Path) -> None:
    """Remove build folders left by a compile_pdf that was killed (SIGKILL): our prefix only,
    only in ``folder``, only real folders older than now whose process no longer runs."""
    now = time.time()
    for entry in folder.glob(_BUILD_PREFIX + "*"):
        match = re.fullmatch(re.escape(_BUILD_PREFIX) + r"(\d+)-\w+", entry.name)
        try:
            if entry.is_symlink() or not entry.is_dir() or entry.stat().st_mtime >= now:
                continue
        except OSError:
            continue
        if match is not None and _process_runs(int(match.group(1))):
            continue
        shutil.rmtree(entry, ignore_errors=True)


def _process_runs(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):
        return False
    except PermissionError:
        return True
    return True


def compile_pdf(tex_path: str | os.PathLike[str], *, runs: int = 3, timeout: float = 300.0) -> pathlib.Path:
    """Compile ``tex_path`` with pdflatex and return the PDF's path (beside it).

    Runs ``pdflatex -interaction=nonstopmode -halt-on-error -no-shell-escape``
    ``runs`` times (three: labels and table widths settle) with TeX's file access restricted (``openin_any=p``,
    ``openout_any=p``: no absolute paths, no ``..``) to a temporary build
    folder holding a copy of the document and of the images it includes
    (so relative figure paths, also ``../``, work); the PDF and the log then
    replace the old ones beside the document atomically.  Raises
    :class:`LaTeXError` if pdflatex is missing, fails (quoting the first error
    lines of the log) or runs longer than ``timeout`` seconds.  TeX may read
    and write files only inside the document's folder (kpathsea's paranoid
    ``openin_any=p``/``openout_any=p``; no shell escape), so a fragment such as
    ``\\input{/etc/hostname}`` fails instead of copying the file into the PDF.
    Build folders left behind by a killed run are removed first.

    >>> compile_pdf("no-such-file.tex")
    Traceback (most recent call last):
    ...
    symequi.core.errors.InvalidArgumentError: tex_path='no-such-file.tex' does not exist; write the document first (symequi.report.latex.write_document)
    """
    if not isinstance(tex_path, (str, os.PathLike)):
        raise InvalidArgumentError(f"tex_path={brief(tex_path)} must be the path of a .tex file")
    tex = pathlib.Path(tex_path)
    if not tex.is_file():
        raise InvalidArgumentError(
            f"tex_path={repr(brief(tex_path, str))} does not exist; write the document first (symequi.report.latex.write_document)"
        )
    if tex.suffix != ".tex":
        raise InvalidArgumentError(f"tex_path={repr(brief(tex_path, str))} must end in .tex")
    if isinstance(runs, bool) or not isinstance(runs, int) or runs < 1:
        raise InvalidArgumentError(f"runs={brief(runs)} must be an int >= 1")
    exe = shutil.which("pdflatex")
    if exe is None:
        raise LaTeXError(
            f"pdflatex was not found on PATH, so the PDF cannot be built; {brief(PDFLATEX_HINT, str)}. "
            f"The LaTeX source is in {brief(tex, str)}"
        )
    folder = tex.resolve().parent
    _remove_stale_builds(folder)
    build = pathlib.Path(tempfile.mkdtemp(prefix=f"{_BUILD_PREFIX}{os.getpid()}-", dir=folder))
    try:
        _stage(tex, folder, build)
        cmd = [exe, "-interaction=nonstopmode", "-halt-on-error", "-file-line-error", "-no-shell-escape",
               f"-output-directory={build}", tex.name]
        log_path = build / (tex.stem + ".log")
        env = {**_tex_environment(), "TEXINPUTS": f"{folder}{os.pathsep}{os.environ.get('TEXINPUTS', '')}"}
        for _ in range(runs):
            try:
                done = subprocess.run(cmd, cwd=build, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                      stderr=subprocess.STDOUT, timeout=timeout, check=False, env=env)
            except subprocess.TimeoutExpired as err:
                raise LaTeXError(f"pdflatex ran longer than {brief(timeout, '{:g}'.format)} s on {brief(tex, str)} and was stopped") from err
            log = log_path.read_text(encoding="latin-1") if log_path.is_file() else done.stdout.decode("latin-1")
            if done.returncode != 0:
                kept = write_text_atomic(folder / (tex.stem + ".log"), log, encoding="latin-1")
                outside = ("openin_any = p" in log or re.search(r"File `(\.\./|/)", log) is not None)
                hint = (f"\npdflatex may read files only inside {brief(folder, str)} and below; keep figures and "
                        "inputs there" if outside else "")
                raise LaTeXError(
                    f"pdflatex failed on {brief(tex, str)} (exit code {brief(done.returncode, str)}). First error in the log:\n"
                    f"{brief(_first_errors(log), str)}\nFull log: {brief(kept, str)}{hint}"
                )
        pdf = build / (tex.stem + ".pdf")
        if not pdf.is_file():
            raise LaTeXError(f"pdflatex finished but wrote no PDF for {brief(tex, str)} (an empty document?)")
        write_text_atomic(folder / (tex.stem + ".log"), log, encoding="latin-1")
        return write_bytes_atomic(folder / (tex.stem + ".pdf"), pdf.read_bytes())
    finally:
        shutil.rmtree(build, ignore_errors=True)
