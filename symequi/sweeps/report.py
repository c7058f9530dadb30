"""Reading a sweep's results: counts, a table, CSV, and figures.

* :func:`summary` counts rows by verdict;
* :func:`format_table` is one line per case (the axes that vary, verdict, decider, seconds);
* :func:`write_csv` writes every column, parameters flattened (``param.<axis>``);
* :func:`plot_verdict_map` draws the verdict of each case over two chosen axes
  (a cell holding several cases shows the share refuted),
  :func:`plot_seconds` the time per case, and :func:`plot_defect` the exact
  defect against the continuous translation delta of every case that has one
  (specs with ``defect_delta`` in ``[sweep]``, see :mod:`symequi.sweeps.defect`);
  files are written whole.

Example
-------
>>> rows = [{"key": "a", "params": {"shift": "1", "padding": "zeros"}, "verdict": "proved",
...          "decider": "smt", "seconds": 0.5, "witness": None, "reason": None, "error": None}]
>>> summary(rows)
{'proved': 1}
>>> print(format_table(rows))
shift  padding  verdict  decider  seconds
1      zeros    proved   smt      0.50
"""

from __future__ import annotations

import csv
import io
import json
import pathlib
from collections import Counter
from typing import Any

from ..core.errors import SymequiError
from ..report.files import write_text_atomic
from ..core.texts import brief

__all__ = ["summary", "format_table", "write_csv", "plot_verdict_map", "plot_seconds", "plot_defect", "defect_rows",
           "varying_axes"]

_ORDER = ("proved", "refuted", "undecided", "error")


def summary(rows: list[dict[str, Any]]) -> dict[str, int]:
    """Counts by verdict, in the order proved, refuted, undecided, error."""
    counts = Counter(r["verdict"] for r in rows)
    return {v: counts[v] for v in _ORDER if counts[v]}


def varying_axes(rows: list[dict[str, Any]]) -> list[str]:
    """The parameters that take more than one value across ``rows`` (all of them for one row)."""
    names = list(dict.fromkeys(k for r in rows for k in r["params"] if k != "budget"))
    if len(rows) <= 1:
        return [n for n in names if rows and rows[0]["params"].get(n) is not None]
    return [n for n in names if len({brief(r["params"].get(n), str) for r in rows}) > 1]


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "(" + ", ".join(_text(v) for v in value) + ")"
    return "" if value is None else str(value)


def format_table(rows: list[dict[str, Any]]) -> str:
    """One aligned line per case."""
    axes = varying_axes(rows)
    header = [*axes, "verdict", "decider", "seconds"]
    body = [[_text(r["params"].get(a)) for a in axes]
            + [r["verdict"], r.get("decider") or "", "" if r.get("seconds") is None else f"{r['seconds']:.2f}"]
            for r in rows]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *body)]
    lines = ["  ".join(str(x).ljust(w) for x, w in zip(line, widths)).rstrip() for line in [header, *body]]
    return "\n".join(lines)


def write_csv(rows: list[dict[str, Any]], path: str | pathlib.Path) -> pathlib.Path:
    """Every row with every column; parameters as ``param.<name>`` columns.  Written whole."""
    names = list(dict.fromkeys(k for r in rows for k in r["params"]))
    columns = ["key", *(f"param.{n}" for n in names), "verdict", "decider", "seconds", "witness", "reason", "error",
               "finished", "defect"]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for r in rows:
        writer.writerow([r.get("key"), *(_text(r["params"].get(n)) for n in names), r["verdict"], r.get("decider"),
                         r.get("seconds"), r.get("witness"), r.get("reason"), r.get("error"), r.get("finished"),
                         r.get("defect")])
    target = pathlib.Path(path)
    write_text_atomic(target, buffer.getvalue())
    return target


def _axis_values(rows: list[dict[str, Any]], axis: str) -> list[str]:
    if not any(axis in r["params"] for r in rows):
        raise SymequiError(f"axis {brief(axis)} is not a parameter of these results; use one of {brief(varying_axes(rows), str)}")
    return list(dict.fromkeys(_text(r["params"].get(axis)) for r in rows))


def plot_verdict_map(rows: list[dict[str, Any]], path: str | pathlib.Path, x_axis: str, y_axis: str) -> pathlib.Path:
    """A grid over ``x_axis`` x ``y_axis``: each cell coloured by the share of its cases refuted
    (0 all proved, 1 all refuted), with the counts written in the cell.  Saved as PNG or PDF."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    xs, ys = _axis_values(rows, x_axis), _axis_values(rows, y_axis)
    grid = [[Counter() for _ in xs] for _ in ys]  # type: list[list[Counter[str]]]
    for r in rows:
        grid[ys.index(_text(r["params"].get(y_axis)))][xs.index(_text(r["params"].get(x_axis)))][r["verdict"]] += 1
    share = [[(c["refuted"] / sum(c.values())) if sum(c.values()) else float("nan") for c in line] for line in grid]
    fig, ax = plt.subplots(figsize=(1.2 + 1.1 * len(xs), 1.0 + 0.55 * len(ys)))
    ax.imshow(share, cmap="RdYlGn_r", vmin=0, vmax=1, aspect="auto")
    for i, line in enumerate(grid):
        for j, c in enumerate(line):
            label = "/".join(f"{c[v]}{v[0].upper()}" for v in _ORDER if c[v])
            ax.text(j, i, label, ha="center", va="center", fontsize=7)
    ax.set_xticks(range(len(xs)), xs, rotation=30, ha="right", fontsize=7)
    ax.set_yticks(range(len(ys)), ys, fontsize=7)
    ax.set_xlabel(x_axis)
    ax.set_ylabel(y_axis)
    ax.set_title("verdicts: P proved, R refuted,\nU undecided, E error", fontsize=8)
    fig.tight_layout()
    return _save(fig, path)


def plot_seconds(rows: list[dict[str, Any]], path: str | pathlib.Path) -> pathlib.Path:
    """Time per case, sorted, coloured by verdict."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    timed = sorted((r for r in rows if r.get("seconds") is not None), key=lambda r: r["seconds"])
    colours = {"proved": "tab:green", "refuted": "tab:red", "undecided": "tab:orange", "error": "black"}
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.bar(range(len(timed)), [r["seconds"] for r in timed], color=[colours[r["verdict"]] for r in timed])
    ax.set_xlabel("case (sorted by time)")
    ax.set_ylabel("seconds")
    ax.set_yscale("log")
    fig.tight_layout()
    return _save(fig, path)


def defect_rows(rows: list[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """``(row, curve)`` for every row whose ``defect`` holds a curve (not a reason why none).

    >>> defect_rows([{"defect": None}, {"defect": '{"error": "no curve for Fourier"}'}])
    []
    """
    out = []
    for r in rows:
        if r.get("defect"):
            curve = json.loads(r["defect"])
            if "pieces" in curve:
                out.append((r, curve))
    return out


def plot_defect(rows: list[dict[str, Any]], path: str | pathlib.Path, *, points: int = 200) -> pathlib.Path:
    """``max_j |defect_j(delta)|`` against delta for every case with a defect curve, one line per case,
    evaluated exactly at ``points + 1`` rational deltas (:func:`~symequi.sweeps.defect.sup_defect`;
    floats only for drawing).  A zero line is a case whose layer commutes with the translation of the
    edge for every delta of the interval."""
    from .defect import sup_defect

    curves = defect_rows(rows)
    if not curves:
        raise SymequiError("no case of these results has a defect curve; set defect_delta = [\"0\", \"1\"] in the "
                           "spec's [sweep] table (cases with a 1-D input, g_out 'same' and a shift method with "
                           "polynomial taps get one)")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    axes = [a for a in varying_axes([r for r, _ in curves]) if a != "defect_delta"]
    fig, ax = plt.subplots(figsize=(6.5, 3.6))
    for r, curve in curves:
        values = sup_defect(curve, points)
        label = ", ".join(f"{a}={_text(r['params'].get(a))}" for a in axes) or r["key"]
        ax.plot([float(d) for d, _ in values], [float(v) for _, v in values], linewidth=1, label=label)
    ax.set_xlabel("delta (cells)")
    ax.set_ylabel("max_j |defect_j(delta)|")
    ax.set_title("exact defect A(D[H(x - c - delta)]) - g_delta(A(D[H(x - c)]))", fontsize=8)
    if len(curves) <= 12:
        ax.legend(fontsize=6)
    fig.tight_layout()
    return _save(fig, path)


def _save(fig: Any, path: str | pathlib.Path) -> pathlib.Path:
    import matplotlib.pyplot as plt

    target = pathlib.Path(path)
    tmp = target.with_name(f".{target.name}.tmp{target.suffix}")
    try:
        fig.savefig(tmp, dpi=150)
        tmp.replace(target)
    except OSError as err:
        raise SymequiError(f"cannot write the figure {repr(brief(target, str))}: {brief(err.strerror, str)}") from None
    finally:
        plt.close(fig)
        tmp.unlink(missing_ok=True)
    return target
