r"""Reports: claims, derivations, the runner, LaTeX/PDF documents, figures, files written whole.

A proof script defines claims with :func:`claim` (``@claim(id, title,
expect="proved" | "refuted")`` on a function that records a
:class:`Derivation` and returns a verdict); :func:`discover` finds them in files
or folders, :func:`run_claims` runs them (each in its own output folder) and
gives :class:`ClaimResult` values, :func:`format_table` / :func:`results_to_json`
summarize them, :func:`build_document` / :func:`write_document` assemble the
derivations into LaTeX and :func:`compile_pdf` runs pdflatex (raising
:class:`LaTeXError` with the first errors of the log).  :class:`Tex` is a LaTeX
snippet with a plain-text form; :func:`write_text_atomic` writes a file whole.

Example
-------
>>> from symequi.report import Derivation, Tex
>>> d = Derivation("Figure 1")
>>> d.equation(Tex(r"\mathcal{D}^h[H]", text="D^h[H]"), [0, 0, 1, 1])
>>> print(d.to_text())
Figure 1
========
    D^h[H] = [0, 0, 1, 1]
"""

from .claims import (
    DEFAULT_CLAIM_BUDGET,
    EXPECTATIONS,
    IMPORT_BUDGET,
    Claim,
    ClaimResult,
    claim,
    claims_in_module,
    discover,
)
from .derivation import (
    LATEX_PACKAGES,
    CheckFailed,
    MAX_SHOWN_ENTRIES,
    MAX_SHOWN_MATRIX,
    Derivation,
    Figure,
    Tex,
    check_latex_text,
    escape_latex,
    fit_to_width,
    math_latex,
    math_text,
    tex_ascii,
)
from .figures import figure1, figure1_data, figure2, figure2_data
from .files import check_output_file, check_output_folder, write_bytes_atomic, write_text_atomic
from .latex import (
    DOCUMENT_PACKAGES,
    PDFLATEX_HINT,
    STANDARD_CONVENTIONS,
    STANDARD_CONVENTIONS_LATEX,
    LaTeXError,
    build_document,
    compile_pdf,
    write_document,
)
from .runner import (
    ProgressEvent,
    failures,
    format_table,
    results_to_json,
    run_claims,
    select_claims,
    stderr_progress,
)
from .parallel import check_jobs, claim_groups, run_parallel
from .worker import ClaimWorkers, discover_isolated, grace_seconds, isolable

__all__ = [
    # claims and their derivations
    "claim", "Claim", "ClaimResult", "discover", "claims_in_module", "EXPECTATIONS",
    "DEFAULT_CLAIM_BUDGET", "IMPORT_BUDGET",
    "Derivation", "CheckFailed", "Tex", "Figure", "escape_latex", "tex_ascii", "math_latex", "math_text",
    "fit_to_width", "check_latex_text", "LATEX_PACKAGES", "MAX_SHOWN_ENTRIES", "MAX_SHOWN_MATRIX",
    # running claims
    "run_claims", "select_claims", "ProgressEvent", "stderr_progress", "format_table",
    "results_to_json", "failures", "run_parallel", "claim_groups", "check_jobs", "ClaimWorkers", "isolable", "grace_seconds", "discover_isolated",
    # documents, figures, files
    "build_document", "write_document", "compile_pdf", "LaTeXError", "DOCUMENT_PACKAGES",
    "STANDARD_CONVENTIONS", "STANDARD_CONVENTIONS_LATEX", "PDFLATEX_HINT", "figure1", "figure2", "figure1_data", "figure2_data",
    "write_text_atomic", "write_bytes_atomic", "check_output_folder", "check_output_file",
]
