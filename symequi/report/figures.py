"""The paper's figures, regenerated from exact values (PDF and PNG).

Values are computed exactly by symequi; they are converted to floats only to
be drawn.  Files are written whole (:mod:`symequi.report.files`: temporary file,
then rename).

* :func:`figure1`: the Heaviside image and its half-pixel translate, their
  pixel values on ``Grid(-1, 1, 4)``, and the edge detector's outputs under
  both kernel-origin conventions.
* :func:`figure2`: the advected sine at ``t = 0`` and ``t = dx/(2c)`` and its
  cell averages ``f^h(t)``, which change shape as the sine translates.

Example
-------
>>> from symequi.report.figures import figure1_data
>>> figure1_data()["pixels_shifted"]
Signal([0, 0, 1/2, 1])
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import sympy

from .files import write_bytes_atomic
from ..functions.continuous import heaviside, translate, x
from ..core.errors import InvalidArgumentError, SymequiError
from ..functions.grid import Grid
from ..core.texts import brief

__all__ = ["figure1", "figure2", "figure1_data", "figure2_data"]


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _output_folder(output_dir: Any) -> Path:
    if not isinstance(output_dir, (str, os.PathLike)):
        raise InvalidArgumentError(
            f"output_dir={brief(output_dir)} must be a folder path (a str or pathlib.Path), "
            f"not {type(output_dir).__name__}"
        )
    folder = Path(output_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise SymequiError(f"output_dir={repr(brief(folder, str))} cannot be created ({brief(err, str)}); pass a writable folder") from err
    return folder


def _save(fig: Any, folder: Path, stem: str) -> list[Path]:
    """Render ``fig`` as PDF and PNG in memory, then write each file whole."""
    paths = []
    for suffix in (".pdf", ".png"):
        buffer = io.BytesIO()
        fig.savefig(buffer, format=suffix[1:], dpi=150, bbox_inches="tight")
        paths.append(write_bytes_atomic(folder / f"{stem}{suffix}", buffer.getvalue()))
    return paths


def figure1_data() -> dict[str, Any]:
    """The exact numbers behind Figure 1.

    >>> data = figure1_data()
    >>> data["pixels"], data["pixels_shifted"]
    (Signal([0, 0, 1, 1]), Signal([0, 0, 1/2, 1]))
    >>> data["paper"], data["paper_shifted"]
    (Signal([0, 1, 0, 0]), Signal([0, 0, 0, 0]))
    >>> data["other"], data["other_shifted"]
    (Signal([0, 0, 1, 0]), Signal([0, 0, 0, 0]))
    """
    from ..delta.edge_detection import figure1_layer
    from ..functions.discretize import CellAverage

    grid = Grid(-1, 1, 4)
    average = CellAverage(grid)
    image = heaviside(x)
    shifted = translate(image, grid.dx / 2)
    u, v = average(image), average(shifted)

    paper, other = figure1_layer(origin=-1), figure1_layer(origin=0)
    return {
        "grid": grid, "image": image, "image_shifted": shifted,
        "pixels": u, "pixels_shifted": v,
        "paper": paper(u), "paper_shifted": paper(v),
        "other": other(u), "other_shifted": other(v),
    }


def figure1(output_dir: str | os.PathLike, *, title: bool = True) -> list[Path]:
    """Draw Figure 1 into ``output_dir`` as ``figure1.pdf`` and ``figure1.png``.

    The folder is created if needed; the paths written are returned.  ``title``
    draws the figure's title into the image; pass ``title=False`` when a caption
    says it (a LaTeX document), so it is not said twice.  Panel titles and axis
    labels are drawn either way.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     sorted(p.name for p in figure1(tmp))
    ['figure1.pdf', 'figure1.png']
    """
    folder = _output_folder(output_dir)
    fig = _draw_figure1(figure1_data(), title=title)
    try:
        return _save(fig, folder, "figure1")
    finally:
        _pyplot().close(fig)


def _draw_figure1(data: dict[str, Any], *, title: bool) -> Any:
    """The matplotlib figure of :func:`figure1` (the caller closes it)."""
    plt = _pyplot()
    grid: Grid = data["grid"]
    edges = [float(e) for e in grid.edges]
    centers = [float(c) for c in grid.centers]
    width = float(grid.dx)
    fig, axes = plt.subplots(2, 2, figsize=(9, 5.5), sharex=True)
    panels = [
        ("image $H(x)$", 0, "pixels", "paper", "other"),
        (r"image $H(x - \Delta x/2)$", width / 2, "pixels_shifted", "paper_shifted", "other_shifted"),
    ]
    for col, (panel, jump, pixels, paper, other) in enumerate(panels):
        top, bottom = axes[0][col], axes[1][col]
        top.plot([-1, jump, jump, 1], [0, 0, 1, 1], color="black", lw=1.5, label="continuous image")
        top.bar(centers, data[pixels].to_floats(), width=width, alpha=0.35, color="tab:blue",
                edgecolor="tab:blue", label="pixel averages $\\mathcal{D}^h$")
        for e in edges:
            top.axvline(e, color="grey", lw=0.5, ls=":")
        values = ", ".join(str(v) for v in data[pixels].to_list())
        top.set_title(f"{panel}: pixels [{values}]", fontsize=9)
        top.set_xticks(edges)
        top.set_ylim(-0.1, 1.25)
        bottom.bar([c - width / 8 for c in centers], data[paper].to_floats(), width=width / 4,
                   color="tab:red", label="paper: $C_j = 2b_{j+1} - 2b_j$")
        bottom.bar([c + width / 8 for c in centers], data[other].to_floats(), width=width / 4,
                   color="tab:orange", label="other origin: $C_j = 2b_j - 2b_{j-1}$")
        bottom.set_ylim(-0.1, 1.25)
        bottom.set_xlabel("$x$")
        bottom.set_xticks(edges)
        outputs = ", ".join(str(v) for v in data[paper].to_list())
        others = ", ".join(str(v) for v in data[other].to_list())
        bottom.text(0.98, 0.95, f"origin -1: [{outputs}]\norigin 0: [{others}]", transform=bottom.transAxes,
                    ha="right", va="top", fontsize=8, family="monospace")
        edge_found = any(v > 0 for v in data[paper].to_floats())
        bottom.set_title("ReLU(conv - 1): " + ("edge detected" if edge_found else "no edge detected"),
                         fontsize=9)
    axes[0][0].legend(fontsize=7, loc="upper left")
    axes[1][0].legend(fontsize=7, loc="upper left")
    if title:
        fig.suptitle("Figure 1: a half-pixel translation hides the edge (exact values)", fontsize=10)
    fig.tight_layout()
    return fig


def figure2_data(n: int = 8) -> dict[str, Any]:
    """The exact numbers behind Figure 2: ``L = 1``, ``c = 1``, ``n`` cells.

    ``f^h(0)`` and ``f^h(dx/(2c))`` are cell averages of ``sin(2 pi (x - c t)/L)``.

    With two cells the half-cell translate has zero averages: the shape is lost.

    >>> data = figure2_data(2)
    >>> data["fh0"], data["fh1"]
    (Signal([2/pi, -2/pi]), Signal([0, 0]))
    """
    from ..functions.discretize import CellAverage

    grid = Grid(0, 1, n)
    t = grid.dx / 2  # c = 1
    f0 = sympy.sin(2 * sympy.pi * x)
    f1 = translate(f0, t)
    average = CellAverage(grid)
    return {"grid": grid, "f0": f0, "f1": f1, "t": t, "fh0": average(f0), "fh1": average(f1)}


def figure2(output_dir: str | os.PathLike, n: int = 8, *, data: dict[str, Any] | None = None,
            title: bool = True) -> list[Path]:
    """Draw Figure 2 (``n`` cells) into ``output_dir`` as ``figure2.pdf`` and ``figure2.png``.

    The top panel shows the sine and its cell averages on the line; the bottom
    panel the pixel values by cell index, where the change of shape is plain:
    ``f^h(dx/2c)`` is not any cyclic shift of ``f^h(0)``.  Pass ``data`` (from
    :func:`figure2_data` with the same ``n``) to reuse values already computed;
    ``title=False`` leaves the figure's title out of the image (for a captioned figure).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     sorted(p.name for p in figure2(tmp, n=2))
    ['figure2.pdf', 'figure2.png']
    """
    folder = _output_folder(output_dir)
    if data is None:
        data = figure2_data(n)
    elif not isinstance(data, dict) or data.get("grid") != Grid(0, 1, n):
        raise InvalidArgumentError(f"data must be figure2_data({brief(n, str)}) for n={brief(n, str)}; pass data=None to compute it")
    fig = _draw_figure2(data, n, title=title)
    try:
        return _save(fig, folder, "figure2")
    finally:
        _pyplot().close(fig)


def _draw_figure2(data: dict[str, Any], n: int, *, title: bool) -> Any:
    """The matplotlib figure of :func:`figure2` (the caller closes it)."""
    plt = _pyplot()
    grid: Grid = data["grid"]
    edges = [float(e) for e in grid.edges]
    xs = [i / 400 for i in range(401)]
    f0 = sympy.lambdify(x, data["f0"], "math")
    f1 = sympy.lambdify(x, data["f1"], "math")
    fig, (ax, by_index) = plt.subplots(2, 1, figsize=(8, 6.5), gridspec_kw={"height_ratios": [3, 2]})
    ax.plot(xs, [f0(v) for v in xs], color="tab:blue", lw=1, label="$f(x, 0)$")
    ax.plot(xs, [f1(v) for v in xs], color="tab:red", lw=1, label=r"$f(x, \Delta x / 2c)$")
    for values, color, label in ((data["fh0"], "tab:blue", "$f^h(0)$"),
                                 (data["fh1"], "tab:red", r"$f^h(\Delta x/2c)$")):
        heights = values.to_floats()
        ax.stairs(heights, edges, color=color, lw=2, ls="--", label=label)
    ax.axhline(0, color="grey", lw=0.5)
    ax.set_xlabel("$x$")
    if title:
        ax.set_title(f"Figure 2: the cell averages change shape as the sine translates (N = {n}, L = c = 1)",
                     fontsize=10)
    ax.legend(fontsize=8, loc="upper right")
    index = list(range(n))
    by_index.bar([j - 0.2 for j in index], data["fh0"].to_floats(), width=0.4, color="tab:blue",
                 label="$f^h_j(0)$")
    by_index.bar([j + 0.2 for j in index], data["fh1"].to_floats(), width=0.4, color="tab:red",
                 label=r"$f^h_j(\Delta x/2c)$")
    by_index.axhline(0, color="grey", lw=0.5)
    by_index.set_xticks(index)
    by_index.set_xlabel("cell index $j$")
    by_index.set_title("pixel values by cell index", fontsize=9)
    by_index.legend(fontsize=8, loc="upper right")
    fig.tight_layout()
    return fig
