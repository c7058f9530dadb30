"""The ``symequi sweep`` command: run a spec, or report on a results file.

::

    symequi sweep SPEC.toml --out RESULTS.sqlite [--scheduler ADDRESS] [--workers N] [--local] [-q]
    symequi sweep report RESULTS.sqlite [--csv FILE] [--plot DIR] [--axes X,Y]

Running prints the counts by verdict (exit 0; 130 after Ctrl-C, with the
finished cases saved; 1 when cases were given up on a cluster that made no
progress, see :mod:`~symequi.sweeps.flight`); ``report`` prints the counts and
the table, and writes the CSV and the figures (a verdict map over two axes, time per case, and, when
the spec set ``defect_delta`` in ``[sweep]``, the exact defect against the
continuous translation delta of each case that has a curve: ``defect.png``).

Example
-------
>>> parser = argparse.ArgumentParser(prog="symequi")
>>> add_parser(parser.add_subparsers(dest="command"))
>>> parser.parse_args(["sweep", "report", "r.sqlite", "--csv", "r.csv"]).sweep_args
['report', 'r.sqlite']
"""

from __future__ import annotations

import argparse
import pathlib
from typing import Any, TextIO

from ..core.errors import SymequiError
from .engine import run_sweep
from .report import (defect_rows, format_table, plot_defect, plot_seconds, plot_verdict_map, summary, varying_axes,
                     write_csv)
from .spec import load_spec
from .store import read_rows
from ..core.texts import brief

__all__: list[str] = []  # used by symequi.cli only


def add_parser(sub: Any) -> None:
    """Register ``sweep`` on an argparse subparsers object."""
    p = sub.add_parser("sweep", help="decide many squares on Dask (a TOML spec), or report on the results",
                       description="symequi sweep SPEC --out FILE runs (and resumes) a sweep; "
                       "symequi sweep report FILE summarizes one.")
    p.add_argument("sweep_args", nargs="+", metavar="SPEC | report FILE",
                   help="a TOML spec to run, or 'report' and a results file")
    p.add_argument("--out", metavar="FILE", help="the SQLite results file (created or resumed)")
    p.add_argument("--scheduler", metavar="ADDRESS", help="a running Dask scheduler, e.g. tcp://127.0.0.1:8786")
    p.add_argument("--workers", metavar="N", type=int, help="worker processes of the local cluster (default: cores)")
    p.add_argument("--local", action="store_true", help="run in this process, without Dask")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.add_argument("--csv", metavar="FILE", help="report: write every row as CSV")
    p.add_argument("--plot", metavar="DIR", help="report: write figures (verdict map, time per case, and the defect "
                   "against delta when the spec set defect_delta) into DIR")
    p.add_argument("--axes", metavar="X,Y", help="report: the two axes of the verdict map (default: the first "
                   "two that vary)")




def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Carry out ``symequi sweep ...``; returns the exit status (2 for usage errors)."""
    words = args.sweep_args
    if words[0] == "report":
        if len(words) != 2:
            print("symequi sweep report: give one results file, e.g. symequi sweep report atlas.sqlite", file=err)
            return 2
        return _report(pathlib.Path(words[1]), args, out)
    if len(words) != 1 or args.out is None:
        print("symequi sweep: give one spec and --out FILE, e.g. symequi sweep atlas.toml --out atlas.sqlite",
              file=err)
        return 2
    spec = load_spec(words[0])
    result = run_sweep(spec, args.out, scheduler=args.scheduler, workers=args.workers, local=args.local,
                       quiet=args.quiet, stream=err)
    counts = ", ".join(f"{n} {v}" for v, n in summary(result.rows).items()) or "no cases"
    print(f"{len(result.rows)} case(s) in {args.out}: {counts} ({result.ran} run now, {result.skipped} "
          "already done)", file=out)
    if result.interrupted:
        return 130
    return 1 if result.given_up else 0


def _report(path: pathlib.Path, args: argparse.Namespace, out: TextIO) -> int:
    rows = read_rows(path)
    counts = ", ".join(f"{n} {v}" for v, n in summary(rows).items()) or "no cases"
    print(f"{len(rows)} case(s) in {path}: {counts}\n", file=out)
    print(format_table(rows), file=out)
    if args.csv:
        print(f"\nwrote {write_csv(rows, args.csv)}", file=out)
    if args.plot:
        folder = pathlib.Path(args.plot)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SymequiError(f"--plot {repr(brief(folder, str))} cannot be created: {brief(exc.strerror, str)}") from None
        axes = args.axes.split(",") if args.axes else varying_axes(rows)[:2]
        if len(axes) == 1:
            axes = [axes[0], axes[0]]
        if len(axes) == 2:
            print(f"wrote {plot_verdict_map(rows, folder / 'verdict-map.png', axes[0], axes[1])}", file=out)
        print(f"wrote {plot_seconds(rows, folder / 'seconds.png')}", file=out)
        if defect_rows(rows):
            print(f"wrote {plot_defect(rows, folder / 'defect.png')}", file=out)
    return 0
