"""Sweeps: thousands of squares on Dask, results in SQLite, resumable.

A spec (TOML, :mod:`~symequi.sweeps.spec`) lists axes (operators as layer-stack
expressions, input shapes, paddings, strides, shift methods and amounts,
``g_out`` rules, deciders) that multiply into cases; :func:`sweep` decides each
case on a Dask cluster (:mod:`~symequi.sweeps.engine`) and writes one row per
case to an SQLite file as results arrive (:mod:`~symequi.sweeps.store`), so a
rerun resumes; :mod:`~symequi.sweeps.report` turns the file into counts, a
table, CSV and figures (with ``defect_delta`` set, also the exact defect of each
case against a continuous translation delta, :mod:`~symequi.sweeps.defect`).  From a shell: ``symequi sweep SPEC --out FILE`` and
``symequi sweep report FILE``.

Example
-------
>>> import tempfile, pathlib
>>> spec = {"axes": {"operator": ["conv(1, -1) | relu"], "input_shape": [4],
...                  "padding": ["periodic"], "shift": ["1", "1/2"], "shift_method": ["linear"]}}
>>> out = pathlib.Path(tempfile.mkdtemp()) / "atlas.sqlite"
>>> sweep(spec, out=out, local=True, quiet=True).counts
{'proved': 1, 'refuted': 1}
"""

from __future__ import annotations

import pathlib
from typing import Any

from .case import VERDICTS, build_square, run_batch, run_case
from .engine import SweepResults, run_sweep
from .defect import defect_curve, sup_defect
from .report import (defect_rows, format_table, plot_defect, plot_seconds, plot_verdict_map, summary, varying_axes,
                     write_csv)
from .spec import DECIDERS, Case, SpecError, SweepSpec, load_spec
from .stack import LAYER_NAMES, parse_stack
from .store import ResultStore, StoreLockedError, read_rows

__all__ = ["sweep", "SweepResults", "SweepSpec", "Case", "SpecError", "StoreLockedError", "load_spec",
           "parse_stack", "read_rows", "ResultStore", "summary", "format_table", "write_csv",
           "plot_verdict_map", "plot_seconds", "plot_defect", "defect_rows", "defect_curve", "sup_defect", "varying_axes", "run_sweep", "build_square", "run_case",
           "run_batch", "VERDICTS", "DECIDERS", "LAYER_NAMES"]


def sweep(spec: Any, *, out: str | pathlib.Path, client: Any = None, scheduler: str | None = None,
          workers: int | None = None, local: bool = False, quiet: bool = False) -> SweepResults:
    """Run a sweep: ``spec`` is a path to a TOML file, a dict of the same shape, or a SweepSpec.

    Cases already in ``out`` are skipped.  ``client`` (a ``distributed.Client``) or
    ``scheduler`` (an address) use a running cluster; by default a LocalCluster of
    ``workers`` processes (the machine's cores) is started and closed; ``local=True``
    runs in this process.  See the module example.
    """
    if isinstance(spec, SweepSpec):
        checked = spec
    elif isinstance(spec, dict):
        checked = SweepSpec.from_dict(spec)
    elif isinstance(spec, (str, pathlib.Path)):
        checked = load_spec(spec)
    else:
        raise SpecError(f"spec must be a path to a TOML file, a dict or a SweepSpec, not {type(spec).__name__}")
    return run_sweep(checked, out, client=client, scheduler=scheduler, workers=workers, local=local, quiet=quiet)
