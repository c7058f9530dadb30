"""The LaTeX document (it compiles, it names every claim); atomic writes are in test_files.py."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from symequi.report.claims import claim
from symequi.report.derivation import escape_latex
from symequi.core.errors import InvalidArgumentError, SymequiError
from symequi.report.latex import DOCUMENT_PACKAGES, LaTeXError, build_document, compile_pdf, write_document
from symequi.core.signal import Signal
from symequi.core.verdict import Counterexample, Proved

needs_pdflatex = pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")

# a 1x1 PNG (signature, IHDR, IDAT, IEND), checked by pdflatex when included
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c49444154789c63f8ffff3f0005fe02fe0def46b80000000049454e44ae426082"
)


@claim("doc-proved", "Integer shifts commute with periodic convolution", expect="proved", tags=("paper",))
def doc_proved(d):
    d.convention("periodic boundary")
    d.text("The circulant matrices commute.")
    (d.output_dir / "plot.png").write_bytes(PNG)
    d.figure("plot.png", "A one-pixel figure")
    return Proved("S C = C S", decider="linear", conventions=("kernel origin -1",))


@claim("doc_refuted", "Half-pixel translation: the edge disappears", expect="refuted")
def doc_refuted(d):
    d.erratum("eq. (7) integrates without dividing by dx")
    d.equation("u", Signal([0, 0, "1/2", 1]))
    return Counterexample("not equivariant", input=Signal([0, 0, 1, 1]), lhs=Signal([0, 1, 0, 0]),
                          rhs=Signal([0, 0, 0, 0]), decider="exact")


@claim("doc.mismatch", "A claim with the wrong expectation", expect="proved")
def doc_mismatch(d):
    return Counterexample("wrong", input=Signal([1]), lhs=Signal([1]), rhs=Signal([0]), decider="exact")


@claim("doc-error", "A claim that raises (with 100% & _ in its title)")
def doc_error(d):
    raise RuntimeError("boom \\end{verbatim} " + "x" * 150)


CLAIMS = [doc_proved, doc_refuted, doc_mismatch, doc_error]


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    return tmp_path_factory.mktemp("out")


@pytest.fixture(scope="module")
def results(out):
    return [c.run(out) for c in CLAIMS]


def test_document_structure(results, out):
    tex = build_document(results, title="Checks of a paper", conventions=["H(0) = 0"],
                         errata=["a known typo"], base_dir=out)
    assert tex.isascii()
    assert tex.startswith("\\documentclass[11pt]{article}")
    for package in DOCUMENT_PACKAGES:
        assert f"{{{package}}}" in tex
    assert r"\title{Checks of a paper}" in tex
    sections = [line for line in tex.splitlines() if line.startswith(r"\section")]
    assert sections[:2] == [r"\section*{Summary}", r"\section*{Conventions}"]
    assert sections[-1] == r"\section*{Errata}"
    assert len(sections) == 3 + len(CLAIMS)
    for r in results:
        assert escape_latex(r.title) in tex
    # conventions: given first, then those of derivations and verdicts, naming their claims
    assert tex.index("H(0) = 0") < tex.index(r"periodic boundary (\S\ref{claim:doc-proved})")
    assert r"kernel origin -1 (\S\ref{claim:doc-proved})" in tex
    errata = tex[tex.index(r"\section*{Errata}"):]
    assert "a known typo" in errata and r"eq. (7) integrates without dividing by dx (\S\ref{claim:doc_refuted})" in errata
    # each claim: a one-line section heading, then its statement as a theorem
    for r in results:
        assert (r"\section{" + escape_latex(r.title) + r"}\label{claim:" + r.id + "}\n\\begin{claimthm}[") in tex
    assert r"\includegraphics[width=0.8\linewidth,height=0.4\textheight,keepaspectratio]{doc-proved/plot.png}" in tex
    assert r"Expected \emph{proved}, obtained \emph{refuted}: \textbf{MISMATCH}" in tex
    assert r"\end {verbatim}" in tex and "RuntimeError: boom" in tex
    assert "4 claims: 2 as expected, 1 with a different verdict, 1 errors." in tex


def test_build_document_checks_arguments(results):
    with pytest.raises(InvalidArgumentError, match=r"results\[0\]"):
        build_document(["doc-proved"])
    with pytest.raises(InvalidArgumentError, match="title"):
        build_document(results, title=" ")
    with pytest.raises(InvalidArgumentError, match=r"errata\[0\]"):
        build_document(results, errata=[3])
    assert "No errata were recorded." in build_document([])


@needs_pdflatex
def test_document_compiles_and_names_every_claim(results, out):
    # the figures (out/<claim id>/) are below the document's folder
    tex_path = write_document(results, out / "proofs.tex", title="All claims")
    assert tex_path.read_text(encoding="ascii").count(r"\begin{claimthm}") == len(CLAIMS)
    pdf = compile_pdf(tex_path)
    assert pdf == tex_path.with_suffix(".pdf") and pdf.read_bytes().startswith(b"%PDF")
    log = (tex_path.parent / "proofs.log").read_text(encoding="latin-1")
    assert "Overfull \\hbox" not in log and "Underfull \\hbox" not in log
    assert "Rerun" not in log  # labels and table widths settled (three runs)
    assert not list(tex_path.parent.glob(".symequi-latex-*"))  # the build folder is removed
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        for c in CLAIMS:
            assert c.id in " ".join(text.split()), c.id
    else:  # no text extraction here: the ids must at least be in the compiled source
        source = tex_path.read_text().replace("\\allowbreak{}", "").replace("{\\char95}", "_")
        for c in CLAIMS:
            assert c.id in source, c.id


@needs_pdflatex
def test_failed_compile_quotes_the_error_and_keeps_the_old_pdf(tmp_path):
    tex = tmp_path / "doc.tex"
    tex.write_text("\\documentclass{article}\\begin{document}Fine.\\end{document}\n")
    pdf = compile_pdf(tex, runs=1)
    before = pdf.read_bytes()
    tex.write_text("\\documentclass{article}\\begin{document}\\undefinedmacro\\end{document}\n")
    with pytest.raises(LaTeXError, match="Undefined control sequence") as info:
        compile_pdf(tex)
    assert "doc.log" in str(info.value)
    assert pdf.read_bytes() == before
    assert not list(tmp_path.glob(".symequi-latex-*"))


def test_missing_pdflatex_says_what_to_install(tmp_path, monkeypatch):
    tex = tmp_path / "doc.tex"
    tex.write_text("\\documentclass{article}\\begin{document}x\\end{document}\n")
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(LaTeXError, match="install texlive-latex-base and texlive-latex-recommended"):
        compile_pdf(tex)
    assert issubclass(LaTeXError, SymequiError)


def test_compile_pdf_checks_arguments(tmp_path):
    with pytest.raises(InvalidArgumentError, match="does not exist"):
        compile_pdf(tmp_path / "missing.tex")
    (tmp_path / "a.txt").write_text("x")
    with pytest.raises(InvalidArgumentError, match=".tex"):
        compile_pdf(tmp_path / "a.txt")
    (tmp_path / "a.tex").write_text("x")
    with pytest.raises(InvalidArgumentError, match="runs"):
        compile_pdf(tmp_path / "a.tex", runs=0)


def _pdf_text(pdf):
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@needs_pdflatex
def test_a_title_with_control_characters_and_blank_lines_compiles(tmp_path):
    # a claim title is one line (a line break is refused when the claim is defined, naming title=);
    # control characters in it, and blank lines in prose and statements, are sanitized
    with pytest.raises(InvalidArgumentError, match="title=.*must be one line"):
        claim("doc-two-line-title", "first\n\nsecond", expect="proved")

    @claim("doc-hostile-title", "A title\x07 with a bell, a blank line and a\ttab\x00\x7f", expect="proved")
    def hostile(d):
        d.text("Prose with a form feed\x0c and\n\n\na blank line.")
        return Proved("a statement with\x1b an escape\n\nand a blank line", decider="exact")

    r = hostile.run(tmp_path / "out")
    tex = write_document([r], tmp_path / "out" / "doc.tex", title="Doc\x08ument\n\n title")
    pdf = compile_pdf(tex)
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = " ".join(_pdf_text(pdf).split())
        assert "A title<U+0007> with a bell, a blank line and a tab<U+0000><U+007F>" in text


@needs_pdflatex
@pytest.mark.parametrize("reach", ["absolute", "parent"])
def test_a_math_fragment_cannot_read_files_outside_the_output_folder(tmp_path, reach):
    from symequi.report.derivation import Tex

    secret = tmp_path / "secret.txt"
    # read, this file would put its token into the PDF (as math letters) and into the log (\message)
    secret.write_text("SECRETXTOKENQ \\message{SECRETXTOKENQ}\n")
    path = str(secret) if reach == "absolute" else "../secret.txt"
    assert "\\input" not in path

    @claim(f"doc-reads-{reach}", "a fragment that inputs a file", expect="proved")
    def reads(d):
        d.equation(Tex(r"x = \input{" + path + "}"), 1)
        return Proved("reads", decider="exact")

    out = tmp_path / "out"
    tex = write_document([reads.run(out)], out / "doc.tex", title="Reads")
    assert ("\\input{" + path + "}") in tex.read_text()  # the fragment is in the source ...
    try:
        pdf = compile_pdf(tex)
    except LaTeXError as err:  # ... but TeX refuses to open the file
        assert "may read files only inside" in str(err) and "SECRETXTOKENQ" not in str(err)
    else:
        if shutil.which("pdftotext"):
            assert "SECRETXTOKENQ" not in "".join(_pdf_text(pdf).split())
    assert "SECRETXTOKENQ" not in (out / "doc.log").read_text(encoding="latin-1")
    assert not list(out.glob(".symequi-latex-*"))


@needs_pdflatex
def test_stale_build_folders_are_removed_and_nothing_else(tmp_path):
    tex = tmp_path / "doc.tex"
    tex.write_text("\\documentclass{article}\\begin{document}Fine.\\end{document}\n")
    # what a SIGKILL during pdflatex leaves: a build folder of a process that no longer runs
    stale = [tmp_path / ".symequi-latex-999999999-abc123", tmp_path / ".symequi-latex-oldformat"]
    alive = tmp_path / f".symequi-latex-{os.getpid()}-inuse"  # a concurrent compile of a live process
    for folder in [*stale, alive]:
        folder.mkdir()
        (folder / "doc.aux").write_text("half-written")
        os.utime(folder, (1, 1))
    keep = [tmp_path / ".symequi-latex-file", tmp_path / "sub" / ".symequi-latex-1-x", tmp_path / "symequi-latex-1-x",
            tmp_path / ".symequi-latex-link"]
    keep[0].write_text("a file, not a build folder")
    keep[1].mkdir(parents=True)
    keep[2].mkdir()
    (tmp_path / "elsewhere").mkdir()
    keep[3].symlink_to(tmp_path / "elsewhere")
    compile_pdf(tex, runs=1)
    assert not any(p.exists() for p in stale)
    assert alive.is_dir() and all(p.exists() for p in keep) and (tmp_path / "elsewhere").is_dir()


@needs_pdflatex
def test_the_summary_of_thirty_claims_fits_on_the_first_page(tmp_path):
    # titles as long as the longest shipped one (65 characters): one line each in the summary
    made = []
    for i in range(30):
        @claim(f"doc-summary-{i}", f"C{i:02d}: Zero-padded convolution commutes with shifts in the interior",
               expect="proved")
        def one(d):
            return Proved("a statement", decider="exact")
        made.append(one.run(tmp_path / "out"))
    tex = write_document(made, tmp_path / "out" / "doc.tex", title="Thirty claims")
    compile_pdf(tex)
    aux = (tmp_path / "out" / "doc.log").read_text(encoding="latin-1")
    assert "Overfull" not in aux and "Underfull" not in aux
    source = tex.read_text()
    assert r"\clearpage" not in source[:source.index(r"\tableofcontents")]
    pdf = tex.with_suffix(".pdf")
    if shutil.which("pdftotext"):
        first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True,
                               text=True, check=True).stdout
        summary = first[:first.index("Contents")]  # the contents follow on the same page
        for i in range(30):  # every row on page 1, each title on one line
            assert f"C{i:02d}: Zero-padded convolution commutes with shifts in the interior\n" in summary
