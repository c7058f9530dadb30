"""LaTeX never runs or reads what a claim's text says: escaping, and pdflatex's sandbox.

A claim whose prose contains ``\\write18{...}`` (run a shell command) and
``\\input{/etc/passwd}`` (read a file outside the output folder) must come out
escaped in the .tex; compiling must neither run the command (a canary file)
nor read the file.  The flags and environment pdflatex gets are checked with a
stand-in executable that records them; the real compile runs only where
pdflatex is installed.
"""

import json
import os
import shutil
import stat
import sys
import textwrap

import pytest

from symequi.core.verdict import Proved
from symequi.report.claims import claim
from symequi.report.latex import compile_pdf, write_document


def _hostile_claim(canary, claim_id):
    payload = (rf"\immediate\write18{{touch {canary}}} \input{{/etc/passwd}} \input{{../outside}} "
               r"\openin5=/etc/hostname \catcode`\^^5c=0 $\def\x{1}$ ^^5cinput")

    @claim(claim_id, "Hostile " + payload)
    def hostile(d):
        d.text(payload)
        return Proved("statement " + payload, decider="by hand")

    return hostile, payload


def test_escaper_neutralizes_shell_escape_and_file_input(tmp_path):
    canary = tmp_path / "CANARY"
    hostile, _ = _hostile_claim(canary, "latex-hostile-escaped")
    tex = write_document([hostile.run(tmp_path / "out")], tmp_path / "doc" / "proofs.tex", title=r"\input{/etc/passwd}")
    source = tex.read_text(encoding="ascii")
    for raw in (r"\write18", r"\input{/etc/passwd}", r"\input{../outside}", r"\immediate", r"\openin", r"\catcode",
                "^^5c", r"\def\x"):
        assert raw not in source, raw
    assert r"\textbackslash{}" in source  # the backslashes are printed, not interpreted


def _fake_pdflatex(bin_dir, record):
    """An executable named pdflatex that records its argv and environment and writes a tiny PDF."""
    script = bin_dir / "pdflatex"
    script.write_text(textwrap.dedent(f"""\
        #!{sys.executable}
        import json, os, sys
        out = [a.split("=", 1)[1] for a in sys.argv if a.startswith("-output-directory=")][0]
        name = os.path.splitext(sys.argv[-1])[0]
        with open(os.path.join(out, name + ".pdf"), "wb") as f:
            f.write(b"%PDF-1.4 fake")
        with open(os.path.join(out, name + ".log"), "w") as f:
            f.write("fake log")
        with open({str(record)!r}, "w") as f:
            json.dump({{"argv": sys.argv, "env": {{k: os.environ.get(k) for k in
                       ("openin_any", "openout_any", "shell_escape")}}}}, f)
        """))
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def test_pdflatex_runs_without_shell_escape_and_with_paranoid_file_access(tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = tmp_path / "record.json"
    _fake_pdflatex(bin_dir, record)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.setenv("openin_any", "a")  # a permissive user setting is overridden
    monkeypatch.setenv("shell_escape", "t")
    tex = tmp_path / "doc.tex"
    tex.write_text("\\documentclass{article}\\begin{document}x\\end{document}\n")
    pdf = compile_pdf(tex, runs=1)
    assert pdf.read_bytes().startswith(b"%PDF")
    seen = json.loads(record.read_text())
    assert "-no-shell-escape" in seen["argv"]
    assert not any(a in seen["argv"] for a in ("-shell-escape", "--shell-escape", "-shell-restricted"))
    assert seen["env"] == {"openin_any": "p", "openout_any": "p", "shell_escape": "f"}


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
def test_compiling_a_hostile_claim_runs_and_reads_nothing(tmp_path):
    canary = tmp_path / "CANARY"
    hostile, _ = _hostile_claim(canary, "latex-hostile-compiled")
    tex = write_document([hostile.run(tmp_path / "out")], tmp_path / "doc" / "proofs.tex")
    pdf = compile_pdf(tex)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert not canary.exists()
    log = (tex.parent / "proofs.log").read_text(encoding="latin-1")
    assert "(/etc/passwd" not in log  # TeX logs every file it opens as "(name"
    assert "root:" not in log

    # even a raw .tex (not written by symequi) cannot escape: TeX's sandbox refuses
    raw = tmp_path / "raw" / "raw.tex"
    raw.parent.mkdir()
    raw.write_text(f"\\documentclass{{article}}\\begin{{document}}\\immediate\\write18{{touch {canary}}}"
                   "x\\end{document}\n")
    compile_pdf(raw, runs=1)
    assert not canary.exists()
    raw.write_text("\\documentclass{article}\\begin{document}\\input{/etc/passwd}\\end{document}\n")
    with pytest.raises(Exception, match="passwd|not allowed|LaTeX"):
        compile_pdf(raw, runs=1)
    # only images are staged for TeX: a non-image outside the folder stays unreadable
    raw.write_text("\\documentclass{article}\\usepackage{graphicx}\\begin{document}"
                   "\\includegraphics{/etc/passwd}\\end{document}\n")
    with pytest.raises(Exception, match="passwd|not allowed|LaTeX"):
        compile_pdf(raw, runs=1)
    assert not list(raw.parent.glob(".symequi-latex-*"))
