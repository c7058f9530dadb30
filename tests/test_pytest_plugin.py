"""The pytest plugin: options, marker, fixture, short failures, @given safety."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys
import textwrap
import tomllib

import symequi

REPO_ROOT = pathlib.Path(symequi.__file__).resolve().parent.parent

USER_TESTS = '''
import pytest
from hypothesis import given, settings, strategies as st

import symequi as se
from symequi.testing import assert_commutes


def test_settings_from_the_command_line(symequi):
    assert (symequi.seed, symequi.max_examples, symequi.budget) == (7, 13, 30.0)


@pytest.mark.symequi(max_examples=5, seed=3)
def test_settings_from_the_marker(symequi):
    assert (symequi.seed, symequi.max_examples, symequi.budget) == (3, 5, 30.0)


def test_relu_commutes_with_a_whole_cell_shift(symequi):
    assert symequi.assert_commutes(se.ReLU(), se.shift(1), input_shape=4).proved


def test_half_shift_fails(symequi):
    symequi.assert_commutes(se.ReLU(), se.shift("1/2", method="linear"), input_shape=2)


@settings(max_examples=3, deadline=None, database=None)
@given(st.integers(min_value=1, max_value=3))
def test_inside_given_no_nested_search(n):
    # the square is nonlinear and the shift zero-fills: the search decider runs
    verdict = assert_commutes(se.PolynomialActivation("x**2"), se.shift(1, boundary="zeros"),
                              input_shape=n + 1, max_examples=5)
    assert verdict.undecided and verdict.details["nested"] is False
'''


def _run_pytest(tmp_path, *args):
    (tmp_path / "test_user.py").write_text(textwrap.dedent(USER_TESTS))
    # no entry-point autoloading (an installed symequi would register the plugin a second time)
    env = dict(os.environ, PYTEST_DISABLE_PLUGIN_AUTOLOAD="1",
               PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])))
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "symequi.pytest_plugin", "-p", "no:cacheprovider",
                           "-q", "--symequi-seed", "7", "--symequi-examples", "13", "--symequi-budget", "30",
                           *args, str(tmp_path / "test_user.py")],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)


def test_plugin_end_to_end(tmp_path):
    done = _run_pytest(tmp_path)
    out = done.stdout
    assert done.returncode == 1, out + done.stderr
    assert "1 failed, 4 passed" in out, out
    failure = out[out.index("_ test_half_shift_fails _"):]
    # only the witness block: no traceback through symequi's deciders
    source = (tmp_path / "test_user.py").read_text().splitlines()
    line = next(i for i, text in enumerate(source, start=1) if "shift(\"1/2\"" in text)
    assert f"test_user.py:{line}: test_half_shift_fails" in failure
    # u = [-2, 2]: the half shift averages neighbours (periodic): [0, 0], ReLU keeps it;
    # ReLU(u) = [0, 2], averaged: [1, 1] (by hand)
    assert "input:      [-2, 2]" in failure and "lhs A(g(u)):  [0, 0]" in failure
    assert "rhs g'(A(u)): [1, 1]" in failure and "difference: [-1, -1]" in failure
    assert "symequi/deciders" not in failure and "def assert_commutes" not in failure
    assert "nested_given" not in out and "FailedHealthCheck" not in out


def test_fulltrace_shows_the_traceback(tmp_path):
    done = _run_pytest(tmp_path, "--fulltrace", "-k", "half_shift")
    assert done.returncode == 1
    assert "symequi/testing.py" in done.stdout


def test_the_plugin_and_the_strategies_are_entry_points():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    assert project["entry-points"]["pytest11"] == {"symequi": "symequi.pytest_plugin"}
    assert project["entry-points"]["hypothesis"] == {"symequi": "symequi.hypothesis_entry:register"}


def test_the_entry_points_work_when_installed(tmp_path):
    """A distribution that declares pyproject's entry points (as pip install does) makes
    pytest load the plugin and Hypothesis register the strategies, with no explicit call."""
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    dist = tmp_path / "site" / "symequi_entrypoints-0.0.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: symequi-entrypoints\nVersion: 0.0.0\n")
    (dist / "entry_points.txt").write_text("".join(
        f"[{group}]\n" + "".join(f"{name} = {target}\n" for name, target in entries.items())
        for group, entries in project["entry-points"].items()))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        filter(None, [str(tmp_path / "site"), str(REPO_ROOT), os.environ.get("PYTHONPATH")])))
    env.pop("PYTEST_DISABLE_PLUGIN_AUTOLOAD", None)
    script = ("import symequi as se\n"
              "from hypothesis import find, strategies as st\n"
              "print(find(st.from_type(se.Signal), lambda u: len(u) == 3))\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    # symequi.strategies imported first (it imports Hypothesis, which runs the entry point): no cycle
    first = subprocess.run([sys.executable, "-c", "import symequi.strategies as s; print(s.signals)"], cwd=tmp_path,
                           env=env, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    assert done.stdout.strip() == "Signal([0, 0, 0])"
    (tmp_path / "test_auto.py").write_text("def test_fixture(symequi):\n    assert symequi.max_examples == 9\n")
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--symequi-examples", "9",
                           "test_auto.py"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
