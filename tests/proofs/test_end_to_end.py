"""End to end: the shipped proof scripts, run as ``symequi prove proofs`` runs them (the session's
shared run: worker processes, hard-kill budgets), give the JSON a user reads and compile to the PDF.

The expected verdicts are the ones each script declares (CI fails if the
mathematics or the code changes an answer); here we check that the run reproduces
all of them and that the compiled document mentions every claim.  The command
line's own wiring (arguments, output paths relative to the working directory,
exit codes) is tested on small folders in tests/test_cli.py, so the proofs run
once per session, not twice.
"""

import json
import pathlib
import shutil
import subprocess

import pytest

from symequi.report.latex import STANDARD_CONVENTIONS, compile_pdf, write_document
from symequi.report.runner import results_to_json

ROOT = pathlib.Path(__file__).resolve().parents[2]
PAPER_CLAIMS = {"c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8"}


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
def test_prove_proofs_json_and_pdf(shipped):
    by_id, out = shipped
    results = json.loads(json.dumps(results_to_json(list(by_id.values()))))  # what --json prints
    assert results, "no claims ran"
    bad = [r["id"] for r in results if not r["ok"]]
    assert not bad, f"claims whose verdict differs from the script's expectation: {bad}"
    assert {r["id"].split("-")[0] for r in results} >= PAPER_CLAIMS
    for r in results:
        assert r["verdict"] == {"proved": "proved", "refuted": "refuted"}.get(r["expected"], r["verdict"])
    tex = write_document(list(by_id.values()), out / "symequi-proofs.tex", conventions=STANDARD_CONVENTIONS)
    pdf = compile_pdf(tex)
    assert pdf == out / "symequi-proofs.pdf" and pdf.stat().st_size > 10_000
    figures = sorted(p.name for p in out.rglob("figure*.pdf"))
    assert "figure1.pdf" in figures and "figure2.pdf" in figures
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    else:  # fall back to the LaTeX source the PDF was compiled from
        text = tex.read_text()
    flat = " ".join(text.split())
    missing = [r["id"] for r in results if r["id"] not in flat]
    assert not missing, f"the PDF does not mention {missing}"
    assert "Errata" in flat and "Conventions" in flat
    # reads like a paper: no overfull or underfull boxes
    log = (out / "symequi-proofs.log").read_text(encoding="latin-1")
    assert "Overfull \\hbox" not in log and "Underfull \\hbox" not in log


@pytest.mark.slow
def test_every_convention_erratum_and_text_detail_of_the_shipped_claims_has_a_latex_twin(shipped):
    # the document typesets them by hand-written LaTeX, never by guessing math in ASCII text
    import sympy

    from symequi.core.signal import Signal
    from symequi.core.texescape import Phrase

    by_id, _ = shipped
    missing = []
    for r in by_id.values():
        forms = r.derivation.latex_forms
        for entry in (*r.derivation.conventions, *r.derivation.errata):
            if entry not in forms:
                missing.append((r.id, entry))
        if r.verdict is None:
            continue
        missing += [(r.id, c) for c in r.verdict.conventions if not isinstance(c, Phrase)]
        for key, value in r.verdict.details.items():
            values = value.values() if isinstance(value, dict) else [value]
            # text with math is a Phrase; math values (sympy sets, numbers, signals) are typeset by sympy.latex
            assert all(isinstance(v, (str, int, sympy.Basic, Signal, list, tuple)) for v in values), (r.id, key)
            missing += [(r.id, key, v) for v in values
                        if isinstance(v, str) and not isinstance(v, Phrase) and _looks_like_math(v)]
            assert not isinstance(value, str) or "Interval" not in value, (r.id, key)  # a set's repr, not the set
    assert not missing, "no LaTeX twin for:\n" + "\n".join(map(str, missing))


def _looks_like_math(text: str) -> bool:
    """ASCII math the heuristic would have to guess: sub/superscripts, relations, sums, ranges."""
    import re

    return re.search(r"[A-Za-z)]_|\^|<=|>=|!=|->|\bsum\b|\.\.|\bmod\b|\bdelta\b|\bpi\b|\bzeta", text) is not None


def test_every_shipped_claim_has_a_short_title_and_a_latex_statement():
    from symequi.report.claims import discover

    claims = discover(ROOT / "proofs")
    assert len(claims) >= 24 and all(c.fn is not None for c in claims)
    for c in claims:
        assert len(c.title) <= 72 and "\n" not in c.title, c.id
        assert c.latex and "$" in c.latex, c.id
        assert c.statement and len(c.statement) > len(c.title), c.id
