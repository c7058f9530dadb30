"""The symequi command, end to end (subprocess) and in process."""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import time

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


def test_wrong_expectation_exits_1_and_names_the_claim(tmp_path, monkeypatch, capsys):
    folder = write_scripts(tmp_path / "proofs", WRONG)
    monkeypatch.chdir(tmp_path)
    assert main(["prove", str(folder), "--json"]) == 1
    out, err = capsys.readouterr()
    assert json.loads(out)[0]["id"] == "cli-wrong" and json.loads(out)[0]["ok"] is False
    assert "MISMATCH cli-wrong: expected proved, got refuted" in err


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


def test_a_script_without_claims_is_named(tmp_path, monkeypatch, capsys):
    # as proofs/m1_imported_models.py without torch: the script loads but defines no claim; the
    # run says so after the table, and an empty -k selection names it instead of a bare "no match"
    good = write_scripts(tmp_path / "proofs", {**GOOD, "m9_needs_extra.py": "# defines its claims only with an extra\n"})
    monkeypatch.chdir(tmp_path)
    assert main(["prove", str(good), "--no-pdf"]) == 0
    out, _ = capsys.readouterr()
    assert "note: m9_needs_extra.py defined no claims here" in out and "optional extra" in out
    assert main(["prove", str(good), "-k", "m9*", "--no-pdf"]) == 2
    err = capsys.readouterr().err
    assert "no claim matches -k 'm9*'; m9_needs_extra.py defined no claims here" in err


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


def test_ctrl_c_exits_130_prints_the_finished_results_and_writes_no_report(tmp_path):
    marker = tmp_path / "slow-started"
    folder = write_scripts(tmp_path / "proofs", {
        "interrupted.py": f"""
            import os, pathlib, time

            @claim("cli-first", "finishes", expect="proved")
            def first(d):
                return Proved("finishes", decider="symbolic")

            @claim("cli-slow", "the user presses Ctrl-C during this one", expect="proved")
            def slow(d):
                pathlib.Path({str(marker)!r}).write_text(str(os.getpid()))
                time.sleep(120)
        """,
    })
    tex = tmp_path / "out" / "doc.tex"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])))
    process = subprocess.Popen([sys.executable, "-m", "symequi", "prove", str(folder), "--out", str(tmp_path / "out"),
                                "--latex", str(tex)], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 120
    while not marker.exists() and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.1)
    assert marker.exists(), process.communicate()
    time.sleep(0.2)
    os.killpg(process.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole process group
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, out + err
    assert "interrupted (Ctrl-C)" in err and "Traceback" not in err
    assert "cli-first: OK" in err  # the finished claim's progress line
    table = out.splitlines()
    assert table[2].split()[0] == "cli-first" and table[2].split()[-1] == "OK" and table[-1] == "1 claim: 1 OK"
    assert not tex.exists()
    worker = int(marker.read_text())
    with pytest.raises(ProcessLookupError):  # the claim's worker process was stopped too
        os.kill(worker, 0)


HOSTILE = {
    "hostile.py": """
        import ctypes, os, time

        @claim("cli-ctrl-c", "raises KeyboardInterrupt", expect="proved")
        def ctrl_c(d):
            raise KeyboardInterrupt

        @claim("cli-exit", "calls os._exit(3)", expect="proved")
        def leaves(d):
            os._exit(3)

        @claim("cli-segfault", "reads address 0", expect="proved")
        def segfault(d):
            ctypes.string_at(0)

        @claim("cli-stubborn", "swallows every exception in a loop", expect="proved")
        def stubborn(d):
            while True:
                try:
                    time.sleep(0.05)
                except BaseException:
                    pass

        @claim("cli-after", "runs after all of them", expect="proved")
        def after(d):
            return Proved("runs after", decider="symbolic")
    """,
}


def test_one_claim_cannot_take_the_run_down(tmp_path):
    folder = write_scripts(tmp_path / "proofs", HOSTILE)
    start = time.monotonic()
    done = run_cli("prove", folder, "--budget", "1", "-q", cwd=tmp_path)
    elapsed = time.monotonic() - start
    assert done.returncode == 1, done.stdout + done.stderr
    rows = {line.split()[0]: line.split() for line in done.stdout.splitlines()[2:7]}
    assert {k: (v[2], v[-1]) for k, v in rows.items()} == {
        "cli-ctrl-c": ("error", "ERROR"), "cli-exit": ("error", "ERROR"), "cli-segfault": ("error", "ERROR"),
        "cli-stubborn": ("undecided", "MISMATCH"), "cli-after": ("proved", "OK")}
    assert "5 claims: 1 OK, 1 MISMATCH, 3 ERROR" in done.stdout
    script = folder / "hostile.py"
    assert f"ERROR cli-ctrl-c ({script}): KeyboardInterrupt" in done.stdout
    assert (f"ERROR cli-exit ({script}): claim 'cli-exit': its worker process exited with status 3 (os._exit?) "
            "before returning a verdict") in done.stdout
    assert (f"ERROR cli-segfault ({script}): claim 'cli-segfault': its worker process was killed by SIGSEGV "
            "before returning a verdict") in done.stdout
    assert ("MISMATCH cli-stubborn: expected proved, got undecided: claim 'cli-stubborn' ran past its budget "
            "of 1 s and did not stop") in done.stdout
    assert elapsed < 120


def test_a_script_that_ends_its_process_while_loading_is_one_error(tmp_path):
    folder = write_scripts(tmp_path / "proofs", {**GOOD, "exits.py": """
        import os
        os._exit(3)
    """})
    done = run_cli("prove", folder, "-q", cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert [line.split()[0] for line in done.stdout.splitlines()[2:5]] == ["exits.load-error", "cli-sum", "cli-square"]
    assert "3 claims: 2 OK, 1 ERROR" in done.stdout
    assert (f"ERROR exits.load-error ({folder / 'exits.py'}): its worker process exited with status 3 (os._exit?) "
            "while loading exits.py") in done.stdout


def test_output_paths_are_checked_before_any_claim_runs(tmp_path, monkeypatch, capsys):
    ran = tmp_path / "a-claim-ran"
    folder = write_scripts(tmp_path / "proofs", {"marks.py": f"""
        import pathlib

        @claim("cli-marks", "leaves a mark", expect="proved")
        def marks(d):
            pathlib.Path({str(ran)!r}).write_text("ran")
            return Proved("marks", decider="symbolic")
    """})
    (tmp_path / "a-file").write_text("")
    readonly = tmp_path / "readonly"
    readonly.mkdir()
    readonly.chmod(0o555)
    if os.access(readonly, os.W_OK):  # root writes anyway; /sys refuses new files even to root
        readonly = pathlib.Path("/sys")
    cases = [
        (["--out", tmp_path / "a-file"], "--out: ", "is a file, not a folder"),
        (["--out", tmp_path / "a-file" / "sub"], "--out: ", "is a file, not a folder"),
        (["--latex", readonly / "doc.tex"], "--latex: ", "cannot write in the folder"),
        (["--pdf", "--out", readonly / "figs"], "--out: ", "cannot write in the folder"),
        (["--latex", tmp_path / ("x" * 300 + ".tex")], "--latex: ", "bytes long; this file system allows at most"),
        (["--out", tmp_path / ("y" * 256)], "--out: ", "bytes long"),
        (["--latex", tmp_path / "doc.txt"], "--latex: ", "must end in .tex"),
        (["--latex", tmp_path / "doc" / "p.tex", "--pdf", "--out", tmp_path / "figs"], "--pdf: ",
         "put the --latex file in the --out folder"),
    ]
    monkeypatch.chdir(tmp_path)
    for options, option, message in cases:  # in process: main() is what the entry point runs
        status = main(["prove", str(folder), "-q", *map(str, options)])
        out, err = capsys.readouterr()
        assert status == 2, (options, out, err)
        assert err.startswith("symequi prove: " + option) and message in err, (options, err)
        assert len(err.strip().splitlines()) == 1 and out == "", (options, err)
        assert not ran.exists(), options


def test_a_write_failure_after_the_run_is_one_line_exit_1(tmp_path, monkeypatch, capsys):
    folder = write_scripts(tmp_path / "proofs", GOOD)
    import symequi.report.latex as latex

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device", str(tmp_path / "out" / "doc.tex"))

    monkeypatch.setattr(latex, "write_document", full_disk)
    assert main(["prove", str(folder), "-q", "--out", str(tmp_path / "out"),
                 "--latex", str(tmp_path / "out" / "doc.tex")]) == 1
    out, err = capsys.readouterr()
    assert "2 claims: 2 OK" in out
    assert err == f"symequi prove: could not write {tmp_path / 'out' / 'doc.tex'}: No space left on device\n"


def test_budget_bounds_pdflatex_too(tmp_path, monkeypatch, capsys):
    folder = write_scripts(tmp_path / "proofs", GOOD)
    import symequi.report.latex as latex

    calls = []
    monkeypatch.setattr(latex, "compile_pdf", lambda path, **options: calls.append(options) or path)
    assert main(["prove", str(folder), "-q", "--pdf", "--out", str(tmp_path / "out"), "--budget", "7"]) == 0
    assert main(["prove", str(folder), "-q", "--pdf", "--out", str(tmp_path / "out")]) == 0
    assert calls == [{"timeout": 7.0}, {}]  # without --budget, compile_pdf's own default
