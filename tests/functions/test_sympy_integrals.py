"""sympy's integrals kept once per process (symequi/functions/sympy_integrals.py).

The values are checked against hand computations; that sympy is not asked again is checked
by counting the calls that reach ``sympy.integrate``.
"""

from __future__ import annotations

import time

import pytest
import sympy

from symequi.core.budget import budget_ran_out, time_budget
from symequi.core.errors import BudgetExceededError
from symequi.functions import sympy_integrals
from symequi.functions.sympy_integrals import IntegrationFailed, integral

R = sympy.Rational


@pytest.fixture
def counted(monkeypatch):
    """Every call that reaches sympy.integrate, in order (a fresh, empty table for the test)."""
    monkeypatch.setattr(sympy_integrals, "_kept", type(sympy_integrals._kept)())
    calls = []
    real = sympy.integrate

    def spy(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(sympy_integrals.sympy, "integrate", spy)
    return calls


def test_values_are_sympys_and_come_back_without_asking_again(counted):
    t = sympy.Symbol("t")
    # by hand: int_0^1 t^2 = 1/3; int_0^pi sin = 2; d/dt (-cos t) = sin t
    assert integral(t**2, (t, 0, 1)) == R(1, 3)
    assert integral(sympy.sin(t), (t, 0, sympy.pi)) == 2
    assert integral(sympy.sin(t), t, meijerg=False) == -sympy.cos(t)
    assert len(counted) == 3
    assert integral(t**2, (t, 0, 1)) == R(1, 3)
    assert integral(sympy.sin(t), t, meijerg=False) == -sympy.cos(t)
    assert len(counted) == 3
    # another method, other limits or another variable's assumptions are other questions
    u = sympy.Symbol("t", positive=True)
    assert integral(sympy.sin(t), t) == -sympy.cos(t)
    assert integral(t**2, (t, 0, 2)) == R(8, 3)
    assert integral(u**2, (u, 0, 1)) == R(1, 3)
    assert len(counted) == 6


def test_an_error_of_sympys_is_returned_with_its_kind_and_message_and_not_kept(monkeypatch, counted):
    def refuse(*args, **kwargs):
        counted.append(args)
        raise NotImplementedError("no method for this one")

    monkeypatch.setattr(sympy_integrals.sympy, "integrate", refuse)
    t = sympy.Symbol("t")
    assert integral(sympy.exp(t**3), t) == IntegrationFailed("NotImplementedError", "no method for this one")
    assert integral(sympy.exp(t**3), t) == IntegrationFailed("NotImplementedError", "no method for this one")
    assert len(counted) == 2 and len(sympy_integrals._kept) == 0


def test_a_recursion_error_deep_in_a_stack_does_not_stick(counted):
    # found by an adversarial review: a RecursionError raised because the caller was deep in
    # its stack was kept, and every later call, at any depth, got "could not integrate"
    import sys

    t = sympy.Symbol("t")
    f = t * sympy.exp(t) * sympy.sin(t)

    def deep(n):
        return integral(f, (t, 0, R(1, 3))) if n == 0 else deep(n - 1)

    depth, frame = 0, sys._getframe()
    while frame is not None:
        depth, frame = depth + 1, frame.f_back
    got = deep(sys.getrecursionlimit() - depth - 40)  # 40 frames left for sympy: too few
    assert isinstance(got, IntegrationFailed) and got.kind == "RecursionError"
    # by hand: (x e^x (sin x - cos x) + e^x cos x) / 2 from 0 to 1/3
    e, s3, c3 = sympy.exp(R(1, 3)), sympy.sin(R(1, 3)), sympy.cos(R(1, 3))
    expected = (R(1, 3) * e * (s3 - c3) + e * c3) / 2 - R(1, 2)
    assert sympy.simplify(integral(f, (t, 0, R(1, 3))) - expected) == 0


def test_a_budget_that_runs_out_inside_keeps_nothing(monkeypatch, counted):
    def slow(*args, **kwargs):
        counted.append(args)
        time.sleep(5)
        return sympy.Integer(7)

    monkeypatch.setattr(sympy_integrals.sympy, "integrate", slow)
    t = sympy.Symbol("t")
    for _ in range(2):
        with pytest.raises(BudgetExceededError):
            with time_budget(0.05, "a slow integral"):
                integral(t, t)
    assert len(counted) == 2 and len(sympy_integrals._kept) == 0


def test_an_answer_returned_after_a_swallowed_budget_error_is_not_kept(monkeypatch, counted):
    def swallows(*args, **kwargs):  # like sympy's own `except Exception` around a method
        counted.append(args)
        try:
            time.sleep(5)
        except BudgetExceededError:
            pass
        assert budget_ran_out()
        return sympy.Integer(7)  # a fallback's answer

    monkeypatch.setattr(sympy_integrals.sympy, "integrate", swallows)
    t = sympy.Symbol("t")
    with pytest.raises(BudgetExceededError):
        with time_budget(0.05, "an integral whose method swallows the error"):
            assert integral(t, t) == 7
    assert len(sympy_integrals._kept) == 0


def test_the_table_keeps_the_most_recently_used(monkeypatch, counted):
    monkeypatch.setattr(sympy_integrals, "_SIZE", 2)
    t = sympy.Symbol("t")
    integral(t, t)
    integral(t**2, t)
    integral(t, t)        # t is now the most recent
    integral(t**3, t)     # evicts t**2
    assert len(counted) == 3
    integral(t, t)
    assert len(counted) == 3
    assert integral(t**2, t) == t**3 / 3 and len(counted) == 4


def test_forget_empties_the_table(counted):
    t = sympy.Symbol("t")
    integral(t, t)
    sympy_integrals.forget()
    integral(t, t)
    assert len(counted) == 2
