"""The symequi command, end to end (subprocess) and in process."""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess
import sys

import pytest

import symequi
from symequi.cli import main

from tests._scripts import write_scripts

REPO_ROOT = pathlib.Path(symequi.__file__).resolve().parent.parent

GOOD = {
    "proves.py": """
        @claim("cli-sum", "1/3 + 2/3 = 1", expect="proved", tags=("arith",))
        def total(d):
            s = Signal(['1/3']) + Signal(['2/3'])
            d.equation("1/3 + 2/3", s)
            assert s == Signal([1])
            return Proved("1/3 + 2/3 = 1", decider="symbolic")
    """,
    "refutes.py": """
        @claim("cli-square", "squaring is linear", expect="refuted")
        def square(d):
            u = Signal([1, 2])
            # (2u)^2 = [4, 16], 2(u^2) = [2, 8]
            return Counterexample("(2u)^2 = 2 u^2", input=u, lhs=(u * 2).multiply(u * 2),
                                  rhs=u.multiply(u) * 2, decider="exact")
    """,
}

WRONG = {
    "wrong.py": """
        @claim("cli-wrong", "squaring is linear", expect="proved")
        def square(d):
            u = Signal([1])
            return Counterexample("(2u)^2 = 2 u^2", input=u, lhs=Signal([4]), rhs=Signal([2]),
                                  decider="exact")
    """,
}


def run_cli(*args, cwd):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])))
    return subprocess.run([sys.executable, "-m", "symequi", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_correct_folder_exits_0_with_json(tmp_path):
    folder = write_scripts(tmp_path / "proofs", GOOD)
    done = run_cli("prove", folder, "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert [(r["id"], r["verdict"], r["ok"]) for r in data] == [("cli-sum", "proved", True),
                                                                 ("cli-square", "refuted", True)]
    assert "[1/2] cli-sum ..." in done.stderr and "2 claims: 2 OK" in done.stderr
    assert data[1]["verdict_text"].startswith("Refuted: it is not true that (2u)^2 = 2 u^2\n")
    assert data[0]["conventions"] == [] and data[1]["conventions"] == []


def test_wrong_expectation_exits_1_and_names_the_claim(tmp_path):
    folder = write_scripts(tmp_path / "proofs", WRONG)
    done = run_cli("prove", folder, "--json", cwd=tmp_path)
    assert done.returncode == 1
    assert json.loads(done.stdout)[0]["id"] == "cli-wrong" and json.loads(done.stdout)[0]["ok"] is False
    assert "MISMATCH cli-wrong: expected proved, got refuted" in done.stderr


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
def test_default_folder_latex_and_pdf(tmp_path):
    write_scripts(tmp_path / "proofs", GOOD)
    done = run_cli("prove", "--pdf", "-k", "cli-s*", "--budget", "60", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    table = done.stdout.splitlines()
    assert table[0].split() == ["claim", "expected", "verdict", "decider", "seconds", "status"]
    assert [line.split()[0] for line in table[2:4]] == ["cli-sum", "cli-square"]
    assert (tmp_path / "out" / "symequi-proofs.tex").is_file()
    assert (tmp_path / "out" / "symequi-proofs.pdf").read_bytes().startswith(b"%PDF")


def test_in_process_exit_codes_and_outputs(tmp_path, monkeypatch, capsys):
    good = write_scripts(tmp_path / "good", GOOD)
    bad = write_scripts(tmp_path / "bad", WRONG)
    monkeypatch.chdir(tmp_path)

    assert main(["prove", str(good), "-q", "--no-pdf"]) == 0
    out, err = capsys.readouterr()
    assert "cli-sum" in out and err == "LaTeX: out/symequi-proofs.tex\n"
    assert (tmp_path / "out" / "symequi-proofs.tex").is_file()

    assert main(["prove", str(good), str(bad), "-q", "--latex", "doc/proofs.tex", "--out", "results"]) == 1
    out, err = capsys.readouterr()
    assert "FAILED:" in out and "MISMATCH cli-wrong: expected proved, got refuted" in out
    tex = (tmp_path / "doc" / "proofs.tex").read_text()
    assert "cli-wrong" in tex.replace(r"\allowbreak{}", "") and "LaTeX: doc/proofs.tex" in err

    assert main(["prove", str(good), "-k", "nothing-matches"]) == 2
    assert "no claim matches -k 'nothing-matches'" in capsys.readouterr().err
    assert main(["prove", str(tmp_path / "missing")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["prove"]) == 2  # no ./proofs here
    assert "no ./proofs folder" in capsys.readouterr().err
    assert main(["prove", str(good), "--budget", "zero"]) == 2
    assert "--budget" in capsys.readouterr().err
    assert main(["frobnicate"]) == 2
    assert main(["prove", str(tmp_path / "bad" / "wrong.py"), "-q", "--json"]) == 1
    out, err = capsys.readouterr()
    assert json.loads(out)[0]["id"] == "cli-wrong" and "MISMATCH cli-wrong" in err


def test_version_help_and_bare(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"symequi {symequi.__version__}"
    assert main([]) == 2  # argparse convention: a missing command is a usage error
    captured = capsys.readouterr()
    assert "prove" in captured.err and "figure1" in captured.err and captured.out == ""
    assert main(["prove", "--help"]) == 0
    assert "--budget SECONDS" in capsys.readouterr().out


def test_without_pdflatex_the_default_run_says_how_to_get_it_and_exits_0(tmp_path, monkeypatch, capsys):
    good = write_scripts(tmp_path / "good", GOOD)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("shutil.which", lambda name, *args, **kwargs: None)
    assert main(["prove", str(good), "-q"]) == 0
    err = capsys.readouterr().err
    assert "LaTeX: out/symequi-proofs.tex" in err
    assert "pdflatex is not installed" in err
    assert "apt-get install texlive-latex-base texlive-latex-recommended" in err
    assert (tmp_path / "out" / "symequi-proofs.tex").is_file()
    assert not (tmp_path / "out" / "symequi-proofs.pdf").exists()
    # --pdf asked explicitly: the same missing pdflatex is a failure
    assert main(["prove", str(good), "-q", "--pdf"]) == 1
    err = capsys.readouterr().err
    assert "pdflatex was not found" in err and "apt-get install texlive-latex-base" in err
    assert main(["prove", str(good), "--pdf", "--no-pdf"]) == 2


ERRING = {
    "erring.py": """
        def helper(n):
            return [1, 2][n]

        @claim("cli-raises", "an index error", expect="proved")
        def raises(d):
            d.text("about to fail")
            return helper(5)
    """,
}


def test_a_claim_that_raises_names_its_failing_line_and_traceback_prints_it_all(tmp_path, monkeypatch, capsys):
    folder = write_scripts(tmp_path / "erring", ERRING)
    monkeypatch.chdir(tmp_path)
    script = (folder / "erring.py").resolve()
    failing = next(i for i, line in enumerate(script.read_text().splitlines(), start=1) if "[1, 2][n]" in line)
    assert main(["prove", str(folder), "-q", "--no-pdf"]) == 1
    out = capsys.readouterr().out
    assert f"ERROR cli-raises ({script}:{failing}): IndexError: list index out of range" in out
    assert "Traceback" not in out
    assert main(["prove", str(folder), "-q", "--no-pdf", "--traceback"]) == 1
    out = capsys.readouterr().out
    assert "    Traceback (most recent call last):" in out and "return helper(5)" in out


def test_figure1_numbers(capsys):
    assert main(["figure1"]) == 0
    out = capsys.readouterr().out
    lines = [" ".join(line.split()) for line in out.splitlines()]
    # by hand: cells [-1,-1/2], [-1/2,0], [0,1/2], [1/2,1]; H(x - 1/4) covers half of the third cell
    assert "D^h[H(x)] = [0, 0, 1, 1]" in lines
    assert "D^h[H(x - dx/2)] = [0, 0, 1/2, 1]" in lines
    # origin -1: C_j = 2 b_{j+1} - 2 b_j with zero padding, then -1, then ReLU
    a = lines.index("(A) kernel origin -1: a_-1 = 2, a_0 = -2, so C_j = 2 b_{j+1} - 2 b_j")
    assert lines[a + 3:a + 7] == [
        "convolution [0, 2, 0, -2] [0, 1, 1, -2]",
        "+ bias -1 [-1, 1, -1, -3] [-1, 0, 0, -3]",
        "ReLU [0, 1, 0, 0] [0, 0, 0, 0]",
        "edge found yes no",
    ]
    # origin 0: C_j = 2 b_j - 2 b_{j-1}
    b = lines.index("(B) kernel origin 0: a_0 = 2, a_1 = -2, so C_j = 2 b_j - 2 b_{j-1}")
    assert lines[b + 3:b + 7] == [
        "convolution [0, 0, 2, 0] [0, 0, 1, 1]",
        "+ bias -1 [-1, -1, 1, -1] [-1, -1, 0, 0]",
        "ReLU [0, 0, 1, 0] [0, 0, 0, 0]",
        "edge found yes no",
    ]
    assert "these are the paper's outputs [0, 1, 0, 0] and [0, 0, 0, 0]" in lines
    assert lines[-1].startswith("Conclusion: under both conventions the layer detects the edge of H(x) but not")


def test_ctrl_c_exits_130_without_a_traceback_or_a_partial_report(tmp_path, capsys):
    folder = write_scripts(tmp_path / "proofs", {
        "interrupted.py": """
            @claim("cli-first", "finishes", expect="proved")
            def first(d):
                return Proved("finishes", decider="symbolic")

            @claim("cli-ctrl-c", "the user presses Ctrl-C", expect="proved")
            def interrupted(d):
                raise KeyboardInterrupt
        """,
    })
    tex = tmp_path / "out" / "doc.tex"
    tex.parent.mkdir()
    assert main(["prove", str(folder), "--out", str(tmp_path / "out"), "--latex", str(tex)]) == 130
    captured = capsys.readouterr()
    assert "interrupted (Ctrl-C)" in captured.err and "Traceback" not in captured.err
    assert "cli-first: OK" in captured.err  # the finished claim's progress line
    assert not tex.exists()
