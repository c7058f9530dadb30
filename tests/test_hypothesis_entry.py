"""The Hypothesis entry point registers deferred strategies: from_type works, and importing
symequi.strategies first (which imports Hypothesis, which runs the entry point) is no cycle."""

from __future__ import annotations

import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

import symequi as se
from symequi.hypothesis_entry import register


def test_from_type_draws_exact_signals_and_periodic_convolutions():
    register()
    seen = []

    @settings(max_examples=20, database=None, deadline=None)
    @given(st.from_type(se.Signal), st.from_type(se.Convolution))
    def check(u, conv):
        assert 1 <= len(u) <= 8 and u.is_rational
        assert conv.padding == "periodic"
        seen.append(len(u))

    check()
    assert seen


def test_strategies_first_in_a_fresh_interpreter():
    code = ("from symequi.hypothesis_entry import register\nregister()\n"
            "import symequi.strategies as s\nprint(type(s.signals(2)).__name__)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
