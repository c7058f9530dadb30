"""``symequi sweep`` and ``symequi sweep report`` as a user runs them."""

from __future__ import annotations

from symequi.cli import main

SPEC = """[axes]
operator = ["conv(1, -1) | relu"]
input_shape = [4]
padding = ["periodic"]
shift = ["1", "1/2"]
shift_method = ["linear"]
"""


def test_run_resume_and_report(tmp_path, capsys):
    spec = tmp_path / "s.toml"
    spec.write_text(SPEC)
    out = tmp_path / "r.sqlite"
    assert main(["sweep", str(spec), "--out", str(out), "--local", "-q"]) == 0
    assert "2 case(s) in" in capsys.readouterr().out
    assert main(["sweep", str(spec), "--out", str(out), "--local", "-q"]) == 0
    assert "(0 run now, 2 already done)" in capsys.readouterr().out
    assert main(["sweep", "report", str(out), "--csv", str(tmp_path / "r.csv"), "--plot", str(tmp_path / "figs")]) == 0
    text = capsys.readouterr().out
    assert "1 proved, 1 refuted" in text          # integer shift proved, half-cell shift refuted (by hand)
    assert (tmp_path / "r.csv").is_file() and (tmp_path / "figs" / "seconds.png").is_file()


def test_usage_and_spec_errors(tmp_path, capsys):
    assert main(["sweep", "only-a-spec.toml"]) == 2
    assert "--out FILE" in capsys.readouterr().err
    assert main(["sweep", "report"]) == 2
    bad = tmp_path / "bad.toml"
    bad.write_text('[axes]\noperator = ["relu"]\ninput_shape = [4]\nshift = [0.5]\n')
    assert main(["sweep", str(bad), "--out", str(tmp_path / "r.sqlite"), "--local"]) == 1
    assert "axes.shift[0]" in capsys.readouterr().err
