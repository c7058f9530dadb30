"""The ``symequi`` command line (also ``python -m symequi``).

``symequi prove [PATH ...]``
    Load the proof scripts in PATH (files or folders; default ``./proofs``),
    run their claims, print a table (claim, expected, verdict, decider,
    seconds, status), and write the LaTeX document ``<out>/symequi-proofs.tex``
    with its figures, and its PDF when ``pdflatex`` is installed (without it,
    a note says how to install it; the status is still 0).  Options:

    ``-k PATTERN``       run only claims whose id, title or tag contains PATTERN
                         (a glob such as ``paper-*`` matches ids; commas separate
                         alternatives)
    ``--json``           print the results as JSON on stdout (the table goes to
                         stderr); the rows follow ``symequi/report/results.schema.json``
    ``--latex FILE``     write the LaTeX document to FILE instead
    ``--pdf``            require the PDF: without pdflatex, or when it fails, exit 1
    ``--no-pdf``         write the LaTeX document only
    ``--out DIR``        folder for figures and documents (default ``out``)
    ``--budget SECONDS`` time budget per claim (overrides the scripts' budgets)
    ``--title TEXT``     the LaTeX document's title
    ``--traceback``      print the whole traceback of a claim that raised (by
                         default: the file and line of the failing line in the claim)
    ``-q``, ``--quiet``  no progress lines on stderr
    ``-n N``, ``--jobs N`` run the claims in N worker processes at once (default
                         1: one after the other); the claims of one script stay in
                         order in one worker, and the table, JSON and document
                         are those of a serial run (only the seconds differ)

    Every output path (``--out``, ``--latex``) is checked before anything
    runs.  Each proof script loads, and its claims run, in a worker process
    (:mod:`symequi.report.worker`): a script or claim that crashes its process,
    calls ``os._exit`` or ignores its budget becomes one ERROR or Undecided
    row, and the run goes on.  pdflatex may read and write only inside the document's
    folder, and ``--budget`` also bounds each pdflatex run.

    Exit status: 0 when every verdict is the expected one; 1 when a verdict
    differs from its expectation, a claim errored (both are named), the
    document could not be written, or an explicitly asked ``--pdf`` could not
    be built; 2 for usage errors (bad options, missing paths, output paths that
    cannot be written, no claim selected, bare ``symequi``); 130 when interrupted
    with Ctrl-C (the finished results are printed; no partial file is left).

``symequi figure1``
    Recompute the paper's Figure 1 exactly: the pixels of ``H(x)`` and
    ``H(x - dx/2)`` on ``Grid(-1, 1, 4)`` and the outputs of
    ``ReLU(Convolution([2, -2]) - 1)`` under both kernel-origin conventions.

``symequi check MODEL --input-shape 1,1,32,32 --shift 0,0,1/2,1/2``
    Import a model exactly (MODEL: an ``.onnx`` file, or ``module:attribute``
    naming a torch module or a factory of one) and decide whether it commutes
    with the shift: ``A(g u) == g_out(A u)`` for every real input.  Shapes and
    shifts are written with the batch axis first (size 1, shift 0).  Options:

    ``--g-out VECTOR``   the output shift (default: the input shift; ``identity``
                         for invariance of a classifier)
    ``--method NAME``    decider: auto (default), linear, compositional, smt, search
    ``--shift-method M`` translation: integer for whole shifts, else linear
                         (default), cubic, lagrange, lanczos, fourier
    ``--boundary B``     periodic (default) or zeros
    ``--budget SECONDS`` time budget of the decision
    ``--json``           print the verdict as JSON

    Exit status: 0 proved, 1 refuted (an exact counterexample is printed),
    3 undecided, 2 usage errors (bad options, unsupported model).

``symequi --version`` prints the version; ``symequi`` alone prints help and
exits 2 (the argparse convention for a missing command).

Example
-------
>>> from symequi.cli import main
>>> main(["prove", "--budget", "-1"])  # the message goes to stderr
2
"""

from __future__ import annotations

import argparse
import json
import math
import pathlib
import shutil
import sys
from collections.abc import Sequence
from typing import Any, TextIO, cast

from .core.errors import SymequiError
from .core.texts import brief

__all__ = ["main", "build_parser", "figure1_report"]

DEFAULT_PROOFS = "proofs"
DEFAULT_OUT = "out"
DEFAULT_TEX_NAME = "symequi-proofs.tex"


class _UsageError(SymequiError):
    """A usage problem: print the message and exit with status 2."""


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that reports errors by raising instead of exiting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageError(f"{brief(self.prog, str)}: error: {brief(message, str)}")


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (value > 0 and math.isfinite(value)):
        raise argparse.ArgumentTypeError(f"{brief(text)} must be a positive number of seconds")
    return value


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{brief(text)} must be a whole number of worker processes, 1 or more")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``symequi`` command.

    >>> build_parser().parse_args(["prove", "-k", "paper"]).pattern
    'paper'
    """
    parser = _Parser(prog="symequi", description="Exact proofs and counterexamples for translation "
                     "equivariance of layers, discretizations and numerical schemes.")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")

    prove = sub.add_parser("prove", help="run proof scripts and report their verdicts",
                           description="Run the claims in proof scripts and compare each verdict "
                           "with its expectation.")
    prove.add_argument("paths", nargs="*", metavar="PATH",
                       help=f"proof script files or folders (default: ./{DEFAULT_PROOFS})")
    prove.add_argument("-k", dest="pattern", metavar="PATTERN",
                       help="run only claims whose id, title or tag contains PATTERN (globs match ids)")
    prove.add_argument("--json", action="store_true", help="print JSON results on stdout")
    prove.add_argument("--latex", metavar="FILE",
                       help=f"where to write the LaTeX document (default: OUT/{DEFAULT_TEX_NAME})")
    pdf = prove.add_mutually_exclusive_group()
    pdf.add_argument("--pdf", action="store_true", default=None,
                     help="require the PDF (exit 1 when pdflatex is missing or fails); by default the PDF "
                     "is built when pdflatex is installed")
    pdf.add_argument("--no-pdf", dest="pdf", action="store_false", help="write the LaTeX document only")
    prove.add_argument("--out", metavar="DIR", default=DEFAULT_OUT,
                       help=f"folder for figures and documents (default: {DEFAULT_OUT})")
    prove.add_argument("--budget", metavar="SECONDS", type=_seconds,
                       help="time budget per claim, overriding the scripts' own")
    prove.add_argument("--title", default="symequi: proofs and counterexamples",
                       help="title of the LaTeX document")
    prove.add_argument("--traceback", action="store_true",
                       help="print the whole traceback of a claim that raised")
    prove.add_argument("-q", "--quiet", action="store_true", help="no progress lines on stderr")
    prove.add_argument("-n", "--jobs", metavar="N", type=_jobs, default=1,
                       help="worker processes running claims at once (default 1: one after the other)")

    check = sub.add_parser("check", help="import a PyTorch or ONNX model and decide its shift equivariance",
                           description="Import a model exactly and decide whether it commutes with a shift.")
    check.add_argument("model", metavar="MODEL", help="an .onnx file, or module:attribute of a torch module/factory")
    check.add_argument("--input-shape", required=True, metavar="SHAPE",
                       help="input shape with the batch axis first, e.g. 1,1,32,32")
    check.add_argument("--shift", required=True, metavar="VECTOR",
                       help="shift per axis, batch axis first, e.g. 0,0,1/2,1/2")
    check.add_argument("--g-out", metavar="VECTOR", help="output shift (default: the input shift; 'identity')")
    check.add_argument("--method", default="auto", help="decider: auto, linear, compositional, smt, search")
    check.add_argument("--shift-method", metavar="METHOD",
                       help="translation method (default: integer for whole shifts, else linear)")
    check.add_argument("--boundary", default="periodic", help="periodic (default) or zeros")
    check.add_argument("--budget", metavar="SECONDS", type=_seconds, help="time budget of the decision")
    check.add_argument("--json", action="store_true", help="print the verdict as JSON")

    sub.add_parser("figure1", help="recompute the paper's Figure 1 exactly",
                   description="Pixels and layer outputs of the paper's Figure 1, in exact arithmetic.")
    from .sweeps.cli import add_parser as add_sweep

    add_sweep(sub)
    return parser


# --- prove -----------------------------------------------------------------------------------
def _scripts_without_claims(paths: list[str], claims: list[Any]) -> str:
    """A note naming the proof scripts that defined no claim in this run ('' when there are
    none): a script may leave its claims out when an optional extra is missing (M1 without torch).

    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "m9.py").write_text("# needs an extra")
    >>> _scripts_without_claims([str(folder)], [])
    "m9.py defined no claims here (a script may leave its claims out when an optional extra it needs, such as torch, is not installed: see the script's header)"
    """
    from .report.claims import script_files

    defined = {pathlib.Path(c.file).resolve() for c in claims if getattr(c, "file", None) is not None}
    names = [f.name for f in script_files(paths) if f not in defined]
    if not names:
        return ""
    listed = ", ".join(brief(n, str) for n in names)
    return (f"{brief(listed, str)} defined no claims here (a script may leave its claims out "
            "when an optional extra it needs, such as torch, is not installed: see the script's header)")


def _prove(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .report.worker import discover_isolated
    from .report.latex import PDFLATEX_HINT, STANDARD_CONVENTIONS, compile_pdf, write_document
    from .report.runner import failures, format_table, results_to_json, run_claims, stderr_progress

    paths = args.paths or [DEFAULT_PROOFS]
    if not args.paths and not pathlib.Path(DEFAULT_PROOFS).is_dir():
        raise _UsageError(f"symequi prove: no ./{brief(DEFAULT_PROOFS, str)} folder here; give proof scripts or folders")
    out_dir = pathlib.Path(args.out)
    tex_path = pathlib.Path(args.latex) if args.latex else out_dir / DEFAULT_TEX_NAME
    _check_outputs(args, out_dir, tex_path)  # before any proof runs: a bad path must not waste the run
    try:
        claims = discover_isolated(paths)  # a script that crashes while loading is one error claim
    except SymequiError as exc:
        raise _UsageError(f"symequi prove: {brief(exc, str)}") from exc
    if not claims:
        raise _UsageError(f"symequi prove: no claims found in {brief(', '.join(brief(item, str) for item in paths), str)}")
    progress = None if args.quiet else stderr_progress
    report = err if args.json else out
    try:
        results = run_claims(claims, pattern=args.pattern, output_dir=out_dir, budget=args.budget,
                             progress=progress, jobs=args.jobs)
    except KeyboardInterrupt as stop:  # Ctrl-C: show what finished, then exit 130 (main)
        finished = getattr(stop, "results", None)
        if finished:
            print(format_table(finished), file=report)
        raise
    empty = _scripts_without_claims(paths, claims)
    if not results:
        raise _UsageError(f"symequi prove: no claim matches -k {brief(args.pattern)}" + (f"; {empty}" if empty else ""))

    if args.json:
        print(json.dumps(results_to_json(results), indent=2), file=out)
    print(format_table(results), file=report)
    if empty:
        print(f"note: {empty}", file=report)
    status = 0
    bad = failures(results, traceback=args.traceback)
    if bad:
        print("\nFAILED:", file=report)
        for line in bad:
            print("  " + line, file=report)
        status = 1

    try:
        written = write_document(results, tex_path, title=args.title, conventions=STANDARD_CONVENTIONS)
    except SymequiError as exc:
        print(f"symequi prove: {exc}", file=err)
        return 1
    except OSError as exc:  # a write failure after the run: one line, no traceback
        print(f"symequi prove: could not write {exc.filename or tex_path}: {exc.strerror or exc}", file=err)
        return 1
    print(f"LaTeX: {written}", file=err)
    if args.pdf is False:
        return status
    if args.pdf is None and shutil.which("pdflatex") is None:
        print(f"PDF: not built, pdflatex is not installed; {PDFLATEX_HINT}, then run this command again "
              "(or compile the .tex yourself)", file=err)
        return status
    try:
        timeout = {} if args.budget is None else {"timeout": args.budget}
        print(f"PDF: {compile_pdf(written, **timeout)}", file=err)
    except SymequiError as exc:
        print(f"symequi prove: {exc}", file=err)
        status = 1
    except OSError as exc:
        print(f"symequi prove: could not write the PDF: {exc.strerror or exc}", file=err)
        status = 1
    return status


# --- check -----------------------------------------------------------------------------------
def _check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .models.check_model import EXIT_CODES, check, verdict_json

    try:
        verdict = check(args.model, args.input_shape, args.shift, args.g_out, method=args.method,
                        shift_method=args.shift_method, boundary=args.boundary, budget=args.budget)
    except SymequiError as exc:
        raise _UsageError(f"symequi check: {brief(exc, str)}") from exc
    if args.json:
        print(json.dumps(verdict_json(verdict), indent=2), file=out)
    else:
        print(verdict.text(), file=out)
    return EXIT_CODES[verdict.kind]


def _check_outputs(args: argparse.Namespace, out_dir: pathlib.Path, tex_path: pathlib.Path | None) -> None:
    """Usage errors for output paths that cannot be written, found before anything runs."""
    from .report.files import check_output_file, check_output_folder

    try:
        check_output_folder(out_dir, "--out")
        if tex_path is not None:
            check_output_file(tex_path, "--latex" if args.latex else "--out", suffix=".tex")
    except SymequiError as exc:
        raise _UsageError(f"symequi prove: {brief(exc, str)}") from exc
    if args.pdf and tex_path is not None:
        folder, figures = tex_path.resolve().parent, out_dir.resolve()
        if folder != figures and folder not in figures.parents:
            raise _UsageError(
                f"symequi prove: --pdf: pdflatex may read files only inside the document's folder "
                f"{repr(brief(folder, str))}, but the figures go to --out {repr(brief(out_dir, str))}; put the --latex file in "
                "the --out folder (or a folder containing it)"
            )


# --- figure1 ---------------------------------------------------------------------------------
def _kernel_formula(kernel: Sequence[Any], origin: int) -> str:
    """``C_j = 2 b_{j+1} - 2 b_j`` for the convolution sum_k a_k b_{j-k}."""
    terms = []
    for m, a in enumerate(kernel):
        k = origin + m
        index = "j" if k == 0 else (f"{{j+{-k}}}" if k < 0 else f"{{j-{k}}}")
        sign = "-" if a < 0 else "+"
        mag = abs(a)
        coeff = "" if mag == 1 else f"{mag} "
        terms.append((sign, f"{coeff}b_{index}"))
    text = ("-" if terms[0][0] == "-" else "") + terms[0][1]
    for sign, term in terms[1:]:
        text += f" {sign} {term}"
    return f"C_j = {text}"


def figure1_report() -> str:
    """The text printed by ``symequi figure1`` (every number exact).

    >>> print(figure1_report().splitlines()[-1][:60])
    Conclusion: under both conventions the layer detects the edg
    """
    import sympy

    from .delta.edge_detection import figure1_layer
    from .functions.continuous import heaviside, translate, x
    from .functions.discretize import CellAverage
    from .functions.grid import Grid
    from .layers import Convolution

    grid = Grid(-1, 1, 4)
    image = heaviside(x)
    shifted = translate(image, grid.dx / 2)
    discretize = CellAverage(grid)
    pixels = discretize(image)
    pixels_shifted = discretize(shifted)
    kernel = cast(Convolution, figure1_layer().layers[0]).kernel.flat_exprs()  # [2, -2]
    paper = {"pixels": [0, 0, 1, 1], "pixels_shifted": [0, 0, sympy.Rational(1, 2), 1],
             "output": [0, 1, 0, 0], "output_shifted": [0, 0, 0, 0]}

    def entries(sig: Any) -> str:
        return "[" + ", ".join(str(v) for v in sig.to_list()) + "]"

    lines = [
        'Figure 1 of "Convolutional Layers Are Not Translation Equivariant", recomputed exactly',
        "",
        f"image domain [-1, 1] on {grid!r}: N = {grid.size} pixels, dx = {grid.dx}, "
        f"pixel edges {[str(e) for e in grid.edges]}".replace("'", ""),
        f"discretization {discretize.describe()}:",
        *(f"  - {c}" for c in discretize.conventions()),
        f"images: H(x) (with H(0) = 0) and its translate H(x - dx/2) = H(x - {grid.dx / 2})",
        "",
        f"  D^h[H(x)]          = {entries(pixels)}",
        f"  D^h[H(x - dx/2)]   = {entries(pixels_shifted)}",
        f"  paper: [0, 0, 1, 1] and [0, 0, 0.5, 1]; "
        f"{'same values' if (pixels.to_list(), pixels_shifted.to_list()) == (paper['pixels'], paper['pixels_shifted']) else 'DIFFERENT values'}",
        "",
        "layer: ReLU(C[a, b] - 1) with kernel a = [2, -2] and zero padding, under both kernel-origin "
        "conventions of the convolution C_j = sum_k a_k b_{j-k} (paper eq. 3):",
    ]
    detected = []
    for label, origin in (("A", -1), ("B", 0)):
        layer = figure1_layer(origin=origin, padding="zeros")
        taps = ", ".join(f"a_{origin + m} = {a}" for m, a in enumerate(kernel))
        lines += ["", f"({label}) kernel origin {origin}: {taps}, so {_kernel_formula(kernel, origin)}",
                  f"    layer: {layer.describe()}"]
        stages: dict[str, list[str]] = {"convolution": [], "+ bias -1": [], "ReLU": []}
        for signal in (pixels, pixels_shifted):
            value = signal
            for name, op in zip(stages, layer.layers):
                value = op(value)
                stages[name].append(entries(value))
        outputs = (layer(pixels), layer(pixels_shifted))
        width = max(len(s[0]) for s in stages.values()) + 4
        lines.append(f"    {'':<13}{'on H(x)':<{width}}on H(x - dx/2)")
        for name, (a, b) in stages.items():
            lines.append(f"    {name:<13}{a:<{width}}{b}")
        found = [any(v != 0 for v in o.to_list()) for o in outputs]
        lines.append(f"    {'edge found':<13}{('yes' if found[0] else 'no'):<{width}}{'yes' if found[1] else 'no'}")
        shifts = [s for s in range(grid.size) if _rolled(outputs[0], s) == outputs[1].to_list()]
        lines.append("    the output for H(x - dx/2) is " + (
            f"the output for H(x) shifted cyclically by {shifts[0]} pixel(s)" if shifts
            else "not a cyclic pixel shift of the output for H(x)"))
        if [o.to_list() for o in outputs] == [paper["output"], paper["output_shifted"]]:
            lines.append("    these are the paper's outputs [0, 1, 0, 0] and [0, 0, 0, 0]")
        detected.append(found[0] and not found[1] and not shifts)
    lines.append("")
    if all(detected):
        lines.append("Conclusion: under both conventions the layer detects the edge of H(x) but not the edge "
                     "of H(x - dx/2): translating the image by half a pixel does not translate the output, it "
                     "erases the detected edge. The layer is not translation equivariant, as the paper claims.")
    else:
        lines.append("Conclusion: the recomputed outputs do NOT support the paper's claim under every "
                     "convention; see the table above.")
    return "\n".join(lines)


def _rolled(sig: Any, s: int) -> list:
    values = sig.to_list()
    n = len(values)
    return [values[(i - s) % n] for i in range(n)]


# --- entry point -----------------------------------------------------------------------------
def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``symequi`` command with ``argv`` (default ``sys.argv[1:]``);
    return the exit status.

    >>> main(["--version"])  # doctest: +ELLIPSIS
    symequi ...
    0
    """
    out, err = sys.stdout, sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
        if args.version:
            from ._version import __version__

            print(f"symequi {__version__}", file=out)
            return 0
        if args.command is None:
            parser.print_help(file=err)
            return 2
        if args.command == "prove":
            return _prove(args, out, err)
        if args.command == "sweep":
            from .sweeps.cli import run as run_sweep

            return run_sweep(args, out, err)
        if args.command == "check":
            return _check(args, out, err)
        print(figure1_report(), file=out)
        return 0
    except _UsageError as exc:
        print(str(exc), file=err)
        return 2
    except SystemExit as exc:  # argparse's --help
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2
    except SymequiError as exc:
        print(f"symequi: {exc}", file=err)
        return 1
    except KeyboardInterrupt:
        # Files are written whole (temporary file, then rename): none is left half-written.
        print("symequi: interrupted (Ctrl-C); no report was written, and no file is left "
              "half-written", file=err)
        return 130
