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


def test_report_plots_the_defect_when_the_spec_asks(tmp_path, capsys):
    spec = tmp_path / "d.toml"
    spec.write_text('[sweep]\ndefect_delta = ["0", "1"]\n\n' + SPEC.replace('shift = ["1", "1/2"]', 'shift = ["1/2"]')
                    .replace('shift_method = ["linear"]', 'shift_method = ["linear", "fourier"]'))
    out = tmp_path / "d.sqlite"
    assert main(["sweep", str(spec), "--out", str(out), "--local", "-q"]) == 0
    assert main(["sweep", "report", str(out), "--plot", str(tmp_path / "figs")]) == 0
    assert "defect.png" in capsys.readouterr().out
    assert (tmp_path / "figs" / "defect.png").stat().st_size > 1000
    plain = tmp_path / "p.sqlite"
    assert main(["sweep", _plain(tmp_path), "--out", str(plain), "--local", "-q"]) == 0
    assert main(["sweep", "report", str(plain), "--plot", str(tmp_path / "plain")]) == 0
    assert "defect.png" not in capsys.readouterr().out and not (tmp_path / "plain" / "defect.png").exists()


def _plain(tmp_path):
    spec = tmp_path / "plain.toml"
    spec.write_text(SPEC)
    return str(spec)
