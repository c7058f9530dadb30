"""A1, the equivariance atlas: the claim's rows re-checked independently of symequi.

Refuted rows: for the interpolation shifts with rational taps (linear, Keys cubic, Lagrange of order 3) the
layer and the shift are re-implemented here in Fractions, and the stored witness input must give exactly the
stored outputs, which must differ; for the Lanczos-3 and Fourier shifts (irrational taps) the same
re-implementation runs in mpmath at 50 digits and must match the stored exact outputs (read by symequi's AST
parser, evaluated to 50 digits) and keep them apart.  Proved rows: lhs == rhs on every unit vector, in
Fractions (or to 1e-40 in mpmath).  Finite-volume rows are checked by the claim's decider only."""

from __future__ import annotations

import json
import math
import random
from fractions import Fraction

import mpmath
import pytest
import sympy

from symequi.core.exact import to_exact
from symequi.sweeps import read_rows

from .conftest import PROOFS, results_of

ATLAS = PROOFS / "a1_equivariance_atlas.py"
CID = "a1-equivariance-atlas"
KERNEL = (1, -2, 1)  # conv(1, -2, 1): C_j = b_j - 2 b_{j-1} + b_{j-2} (eq. 3, origin 0)


@pytest.fixture(scope="module")
def rows(shipped):
    result = results_of(shipped, [ATLAS])[CID]
    assert result.ok and result.verdict.kind == "counterexample", (
        result.error or f"{result.obtained}: {getattr(result.verdict, 'reason', None)}")
    return read_rows(shipped[1] / CID / "atlas.sqlite")


# --- an independent implementation over any number type -------------------------------------------
def _read(v, j, periodic):
    n = len(v)
    if periodic:
        return v[j % n]
    return v[j] if 0 <= j < n else 0


def _layer(op, v, periodic, num):
    n = len(v)
    if op == "conv(1, -2, 1)":
        return [sum(a * _read(v, j - m, periodic) for m, a in enumerate(KERNEL)) for j in range(n)]
    if op == "conv(1, -2, 1) | relu":
        return [max(c, num(0)) for c in _layer("conv(1, -2, 1)", v, periodic, num)]
    if op == "leaky_relu('1/4')":
        return [max(x, x / 4) for x in v]
    if op == "abs":
        return [abs(x) for x in v]
    if op in ("maxpool(2, stride=1)", "avgpool(2, stride=1)"):
        reduce = max if op.startswith("max") else (lambda a, b: (a + b) / 2)
        count = n if periodic else n - 1  # zeros reads as valid windows
        return [reduce(v[j], v[(j + 1) % n]) for j in range(count)]
    if op == "conv(1, 1, stride=2)":  # C_{2j} = b_{2j} + b_{2j-1}
        return [v[2 * j] + _read(v, 2 * j - 1, periodic) for j in range((n + 1) // 2)]
    raise AssertionError(op)


def _keys(x):
    a, x = Fraction(-1, 2), abs(x)
    if x <= 1:
        return (a + 2) * x ** 3 - (a + 3) * x ** 2 + 1
    if x < 2:
        return a * x ** 3 - 5 * a * x ** 2 + 8 * a * x - 4 * a
    return Fraction(0)


def _lagrange3(x, node):
    """The order-3 Lagrange basis of ``node`` at ``x``, nodes floor(x) - 1 .. floor(x) + 2."""
    nodes = range(math.floor(x) - 1, math.floor(x) + 3)
    if node not in nodes:
        return Fraction(0)
    out = Fraction(1)
    for m in nodes:
        if m != node:
            out *= Fraction(x - m) / (node - m)
    return out


def _lanczos_taps(s):
    def sinc(t):
        return mpmath.mpf(1) if t == 0 else mpmath.sin(mpmath.pi * t) / (mpmath.pi * t)

    taps = {d: sinc(d - s) * sinc((d - s) / 3) for d in range(-3, 5) if abs(d - s) < 3}
    total = sum(taps.values())
    return {d: t / total for d, t in taps.items()}


def _fourier_tap(m, s, n):
    """(F_s)_{j, j - m}: band-limited interpolation; even n splits the Nyquist bin (cos(pi (m - s)))."""
    x = m - s
    total = 1 + 2 * sum(mpmath.cos(2 * mpmath.pi * k * x / n) for k in range(1, (n - 1) // 2 + 1))
    if n % 2 == 0:
        total += mpmath.cos(mpmath.pi * x)
    return total / n


def _shift(method, s, v, periodic):
    """Content moves right by s: out_j = sum_k v_k K(j - s - k) (zeros outside, or periodic)."""
    n = len(v)
    if method == "fourier":
        return [sum(_fourier_tap((j - k) % n, s, n) * v[k] for k in range(n)) for j in range(n)]
    if method == "lanczos":
        taps = _lanczos_taps(s)
        return [sum(t * _read(v, j - d, periodic) for d, t in taps.items()) for j in range(n)]
    out = []
    for j in range(n):
        x = j - s
        if method == "linear":
            weights = {math.floor(x): 1 - (x - math.floor(x)), math.floor(x) + 1: x - math.floor(x)}
        elif method == "cubic":
            weights = {k: _keys(x - k) for k in range(math.floor(x) - 1, math.floor(x) + 3)}
        else:
            weights = {k: _lagrange3(x, k) for k in range(math.floor(x) - 1, math.floor(x) + 3)}
        out.append(sum(w * _read(v, k, periodic) for k, w in weights.items()))
    return out


def _sides(params, u, num):
    """(layer after shift, shift after layer) for a case's parameters, in the number type ``num``."""
    periodic = params["boundary"] == "periodic"
    assert params["padding"] == params["boundary"]
    s = Fraction(params["shift"]) if num is Fraction else mpmath.mpf(Fraction(params["shift"]).numerator) / \
        Fraction(params["shift"]).denominator
    s_out = s / 2 if params["g_out"].startswith("shift:") else s
    if params["g_out"].startswith("shift:"):
        assert Fraction(params["g_out"][len("shift:"):]) == Fraction(params["shift"]) / 2
    method, op = params["shift_method"], params["operator"]
    lhs = _layer(op, _shift(method, s, u, periodic), periodic, num)
    rhs = _shift(method, s_out, _layer(op, u, periodic, num), periodic)
    return lhs, rhs


RATIONAL = ("linear", "cubic", "lagrange:3")
IRRATIONAL = ("lanczos", "fourier")


def _mp(text):
    return mpmath.mpf(str(sympy.N(to_exact(text, "stored entry"), 60)))


def test_the_atlas_covers_every_case_once(rows):
    assert len(rows) == 7 * 6 * 3 * 2 * 2 - 7 * 3 * 2  # Fourier has no zero-boundary cases
    keys = {(r["params"]["operator"], r["params"]["shift_method"], r["params"]["shift"],
             r["params"]["input_shape"][0], r["params"]["boundary"]) for r in rows}
    assert len(keys) == len(rows)
    assert {r["verdict"] for r in rows} == {"proved", "refuted"}


def test_refuted_rational_rows_recheck_in_fractions(rows):
    checked = 0
    for r in rows:
        if r["verdict"] != "refuted" or r["params"]["shift_method"] not in RATIONAL:
            continue
        w = json.loads(r["witness"])
        u = [Fraction(x) for x in w["input"]]
        lhs, rhs = _sides(r["params"], u, Fraction)
        assert [Fraction(x) for x in w["lhs"]] == lhs, r["params"]
        assert [Fraction(x) for x in w["rhs"]] == rhs, r["params"]
        assert lhs != rhs
        checked += 1
    assert checked > 150


@mpmath.workdps(50)
def test_refuted_irrational_rows_recheck_in_mpmath(rows):
    refuted = [r for r in rows if r["verdict"] == "refuted" and r["params"]["shift_method"] in IRRATIONAL]
    sample = random.Random(0).sample(refuted, 24)
    for r in sample:
        w = json.loads(r["witness"])
        u = [mpmath.mpf(Fraction(x).numerator) / Fraction(x).denominator for x in w["input"]]
        lhs, rhs = _sides(r["params"], u, mpmath.mpf)
        stored_l, stored_r = [_mp(x) for x in w["lhs"]], [_mp(x) for x in w["rhs"]]
        assert len(stored_l) == len(lhs) and len(stored_r) == len(rhs)
        assert all(abs(a - b) < mpmath.mpf(10) ** -40 for a, b in zip(stored_l + stored_r, lhs + rhs)), r["params"]
        assert max(abs(a - b) for a, b in zip(lhs, rhs)) > mpmath.mpf(10) ** -20, r["params"]


@mpmath.workdps(50)
def test_proved_rows_commute_on_unit_vectors(rows):
    proved = [r for r in rows if r["verdict"] == "proved"]
    assert len(proved) == 78
    for r in proved:
        p = r["params"]
        n = p["input_shape"][0]
        exact = p["shift_method"] in RATIONAL
        if not (exact or p["shift_method"] in IRRATIONAL):
            continue
        for k in range(n):
            if exact:
                e = [Fraction(int(i == k)) for i in range(n)]
                lhs, rhs = _sides(p, e, Fraction)
                assert lhs == rhs, (p, k)
            else:
                e = [mpmath.mpf(int(i == k)) for i in range(n)]
                lhs, rhs = _sides(p, e, mpmath.mpf)
                assert max(abs(a - b) for a, b in zip(lhs, rhs)) < mpmath.mpf(10) ** -40, (p, k)


def test_the_reimplementation_can_fail():
    """The checks above are not vacuous: the stride-2 layer against a whole-cell shift (g_out = s/2) and
    ReLU against the linear half shift differ on e_0 here, by hand."""
    params = {"operator": "conv(1, 1, stride=2)", "shift_method": "linear", "shift": "1", "g_out": "shift:1/2",
              "boundary": "periodic", "padding": "periodic"}
    lhs, rhs = _sides(params, [Fraction(int(i == 0)) for i in range(4)], Fraction)
    assert lhs == [0, 1] and rhs == [Fraction(1, 2), Fraction(1, 2)]
    params = {**params, "operator": "conv(1, -2, 1) | relu", "shift": "1/2", "g_out": "same"}
    lhs, rhs = _sides(params, [Fraction(int(i == 0)) for i in range(4)], Fraction)
    assert lhs != rhs
