"""The paper's figures (symequi/report/figures.py): exact data by hand, files on disk."""

import pytest
import sympy

from symequi.core.errors import InvalidArgumentError, SymequiError
from symequi.core.signal import Signal
from symequi.functions.grid import Grid
from symequi.report.figures import figure1, figure1_data, figure2, figure2_data

R = sympy.Rational


def test_figure1_data_by_hand():
    data = figure1_data()
    # H(x) on Grid(-1, 1, 4): cells [-1,-1/2], [-1/2,0], [0,1/2], [1/2,1]
    assert data["grid"] == Grid(-1, 1, 4)
    assert data["pixels"] == Signal([0, 0, 1, 1])
    # H(x - 1/4): the cell [0, 1/2] is half covered
    assert data["pixels_shifted"] == Signal([0, 0, R(1, 2), 1])
    # paper (origin -1): ReLU(2 b_{j+1} - 2 b_j - 1) with b_4 = 0
    #   u: [0, 2, 0, -2] - 1 -> [0, 1, 0, 0];  v: [0, 1, 1, -2] - 1 -> [0, 0, 0, 0]
    assert data["paper"] == Signal([0, 1, 0, 0])
    assert data["paper_shifted"] == Signal([0, 0, 0, 0])
    # other origin (0): ReLU(2 b_j - 2 b_{j-1} - 1) with b_{-1} = 0
    #   u: [0, 0, 2, 0] - 1 -> [0, 0, 1, 0];  v: [0, 0, 1, 1] - 1 -> [0, 0, 0, 0]
    assert data["other"] == Signal([0, 0, 1, 0])
    assert data["other_shifted"] == Signal([0, 0, 0, 0])


@pytest.fixture(scope="module")
def data4():
    return figure2_data(4)


def test_figure2_data_by_hand(data4):
    # average of sin(2 pi x) over [j/4, (j+1)/4] is (2/pi)(cos(pi j/2) - cos(pi (j+1)/2));
    # shifted by dx/2 = 1/8: (2/pi)(cos(pi (j - 1/2)/2) - cos(pi (j + 1/2)/2))
    data = data4
    pi, s2 = sympy.pi, sympy.sqrt(2)
    assert data["t"] == R(1, 8)
    assert data["fh0"] == Signal([2 / pi, 2 / pi, -2 / pi, -2 / pi])
    assert data["fh1"] == Signal([0, 2 * s2 / pi, 0, -2 * s2 / pi])
    x = sympy.Symbol("x", real=True)
    assert sympy.expand(data["f1"] - sympy.sin(2 * pi * (x - R(1, 8)))) == 0


def test_figures_write_whole_pdf_and_png_files(tmp_path, data4):
    out = tmp_path / "new" / "folder"  # created on demand
    paths = figure1(out) + figure2(out, n=4, data=data4)
    assert sorted(p.name for p in paths) == ["figure1.pdf", "figure1.png", "figure2.pdf", "figure2.png"]
    for p in paths:
        head = p.read_bytes()[:8]
        assert head.startswith(b"%PDF-") if p.suffix == ".pdf" else head == b"\x89PNG\r\n\x1a\n"
    assert sorted(q.name for q in out.iterdir()) == sorted(p.name for p in paths)  # no temporary files


@pytest.mark.parametrize("title", [True, False])
def test_the_in_image_title_is_drawn_only_when_asked(data4, title):
    # a captioned figure (the LaTeX document) draws no title of its own; panel titles and axis labels stay
    from symequi.report.figures import _draw_figure1, _draw_figure2, _pyplot

    for fig in (_draw_figure1(figure1_data(), title=title), _draw_figure2(data4, 4, title=title)):
        try:
            titles = [fig._suptitle.get_text()] if fig._suptitle is not None else []
            titles += [ax.get_title() for ax in fig.axes]
            assert any(t.startswith("Figure ") for t in titles) == title, titles
            assert all(ax.get_xlabel() for ax in fig.axes if ax.get_subplotspec().is_last_row())
        finally:
            _pyplot().close(fig)


def test_figure2_refuses_data_for_another_n(tmp_path, data4):
    with pytest.raises(InvalidArgumentError, match=r"data must be figure2_data\(2\) for n=2"):
        figure2(tmp_path, n=2, data=data4)
    assert list(tmp_path.iterdir()) == []


def test_output_dir_is_checked(tmp_path):
    with pytest.raises(InvalidArgumentError, match="output_dir=3 must be a folder path"):
        figure1(3)
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    with pytest.raises(SymequiError, match="cannot be created"):
        figure2(blocker / "sub", n=2)
