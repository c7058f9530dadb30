"""The examples in examples/ run: the scripts exit 0 and the notebook executes."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

import pytest

import symequi

REPO_ROOT = pathlib.Path(symequi.__file__).resolve().parent.parent
EXAMPLES = REPO_ROOT / "examples"


def _env():
    return dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])))


@pytest.mark.parametrize("script, expected", [
    ("ml_layer_check.py", ["Proved: Sequential(", "Refuted: Sequential("]),
    ("numerical_scheme_check.py", ["Proved: convolution", "Refuted: Sequential("]),
    ("custom_claim.py", ["example-moving-average  proved    proved", "1 claim: 1 OK"]),
])
def test_example_scripts_run(script, expected, tmp_path):
    done = subprocess.run([sys.executable, str(EXAMPLES / script)], cwd=tmp_path, env=_env(),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    for text in expected:
        assert text in done.stdout, done.stdout


def test_the_notebook_executes_and_shows_rich_output(monkeypatch):
    nbformat = pytest.importorskip("nbformat")  # the test extra installs nbformat, nbclient, ipykernel
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    monkeypatch.setenv("PYTHONPATH", _env()["PYTHONPATH"])
    nb = nbformat.read(EXAMPLES / "symequi_in_a_notebook.ipynb", as_version=4)
    nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(REPO_ROOT)}}).execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    data = [o.get("data", {}) for o in outputs]
    # the pixels of H on Grid(-1, 1, 4) are [0, 0, 1, 1] (by hand), shown as math
    assert any(d.get("text/latex", "").startswith(r"$\left[\begin{matrix}0 & 0 & 1 & 1") for d in data)
    assert any("<b>Refuted:</b>" in d.get("text/html", "") and "<th" in d.get("text/html", "") for d in data)
    assert any(d.get("text/plain") == "True" for d in data)
    assert any(r"\subsection*{Cell averages of H}" in d.get("text/latex", "") for d in data)
