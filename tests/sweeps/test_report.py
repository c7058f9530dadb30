"""Reports: counts, the table, CSV rows and figures written whole."""

from __future__ import annotations

import csv

import pytest

from symequi.core.errors import SymequiError
from symequi.sweeps.report import format_table, plot_seconds, plot_verdict_map, summary, write_csv

ROWS = [
    {"key": f"k{i}", "params": {"operator": op, "shift": s, "budget": 30}, "verdict": v, "decider": "smt",
     "seconds": 0.1 * (i + 1), "witness": None, "reason": None, "error": None, "finished": "t"}
    for i, (op, s, v) in enumerate([("relu", "1", "proved"), ("relu", "1/2", "refuted"),
                                    ("abs", "1", "proved"), ("abs", "1/2", "undecided")])
]


def test_counts_and_table():
    assert summary(ROWS) == {"proved": 2, "refuted": 1, "undecided": 1}
    lines = format_table(ROWS).splitlines()
    assert lines[0].split() == ["operator", "shift", "verdict", "decider", "seconds"]
    assert lines[2].split() == ["relu", "1/2", "refuted", "smt", "0.20"]


def test_csv_and_figures(tmp_path):
    path = write_csv(ROWS, tmp_path / "r.csv")
    with open(path, newline="") as f:
        table = list(csv.DictReader(f))
    assert [r["param.shift"] for r in table] == ["1", "1/2", "1", "1/2"]
    assert table[3]["verdict"] == "undecided"
    for out in (plot_verdict_map(ROWS, tmp_path / "map.png", "shift", "operator"), plot_seconds(ROWS, tmp_path / "s.png")):
        assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.png", "r.csv", "s.png"]
    with pytest.raises(SymequiError, match="axis 'colour'"):
        plot_verdict_map(ROWS, tmp_path / "m.png", "colour", "shift")


def test_defect_plot_needs_a_curve(tmp_path):
    import json

    from symequi.sweeps.defect import defect_curve
    from symequi.sweeps.report import defect_rows, plot_defect

    params = {"operator": "relu", "input_shape": [4], "shift": "1/2", "shift_method": "linear",
              "boundary": "periodic", "padding": "periodic", "stride": None, "g_out": "same"}
    curve = json.dumps(defect_curve(params, ["0", "1"]))
    rows = [{**ROWS[0], "params": params, "defect": curve},
            {**ROWS[0], "params": {**params, "shift_method": "fourier"}, "defect": '{"error": "no curve"}'}]
    assert [r["params"]["shift_method"] for r, _ in defect_rows(rows)] == ["linear"]
    assert plot_defect(rows, tmp_path / "d.png").stat().st_size > 1000
    with pytest.raises(SymequiError, match="defect_delta"):
        plot_defect(rows[1:], tmp_path / "none.png")
