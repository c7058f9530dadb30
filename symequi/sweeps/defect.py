"""The exact defect of a sweep case against a continuous translation delta (the spec's ``defect_delta``).

With ``defect_delta = ["0", "1"]`` in a spec's ``[sweep]`` table, every case
(1-D input of N entries, ``g_out = "same"``) also records the exact defect of
its layer stack ``A`` under a continuous translation of an edge, the paper's
Figure 1 setting:

    ``defect(delta) = A(D[H(x - N/2 - delta)]) - g_delta(A(D[H(x - N/2)]))``

for every ``delta`` in the interval (in cells), where ``D`` is the cell average
on ``Grid(0, N, N)`` (cells of width 1, so delta is in cells), ``H`` the
Heaviside step (``H(0) = 0``) and ``g_delta`` the case's shift method and
boundary by ``delta`` cells.  It is computed by
:func:`symequi.delta.defect_in_delta` (pieces of delta on which every entry is
a polynomial in delta with rational coefficients, split exactly where a ReLU,
abs or max pooling changes branch), and stored as plain JSON: the pieces'
ends (exact strings, with a float for drawing) and each entry's coefficients
(exact strings, ascending powers).  :func:`sup_defect` evaluates
``max_j |defect_j(delta)|`` exactly at rational points, which
:func:`symequi.sweeps.report.plot_defect` draws.

Shift methods whose taps are not polynomial in delta (Fourier, Lanczos) have
no such curve; the row then holds the reason instead.

Example
-------
>>> curve = defect_curve({"operator": "conv(1, -2, 1) | relu", "input_shape": [8], "shift_method": "linear",
...                       "boundary": "zeros", "padding": "zeros", "stride": None, "g_out": "same"}, ["0", "1"])
>>> [(p["lo"], p["hi"], p["coeffs"][5]) for p in curve["pieces"]]
[('0', '1/2', ['0', '-1']), ('1/2', '1', ['-1', '1'])]
>>> sup_defect(curve, 4)
[(Fraction(0, 1), Fraction(0, 1)), (Fraction(1, 4), Fraction(1, 4)), (Fraction(1, 2), Fraction(1, 2)), (Fraction(3, 4), Fraction(1, 4)), (Fraction(1, 1), Fraction(0, 1))]
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import sympy

from ..core.errors import InvalidArgumentError
from ..delta.cells import delta as DELTA
from ..delta.defect import defect_in_delta
from ..functions.continuous import heaviside, x
from ..functions.grid import Grid
from ..translations import shift
from .stack import parse_stack
from ..core.texts import brief

__all__ = ["defect_curve", "sup_defect"]


def _shift_family(params: dict[str, Any]) -> Any:
    method, _, param = str(params.get("shift_method", "integer")).partition(":")
    if method in ("fourier", "lanczos", "integer"):
        raise InvalidArgumentError(
            f"shift_method={brief(method)} has no defect curve: its taps are not polynomials in delta (Fourier, Lanczos) "
            "or it moves whole cells only (integer); use linear, cubic, lagrange:p or finite_volume:p")
    extra = {} if not param else {"order" if method == "lagrange" else "degree": int(param)}
    boundary = params.get("boundary", "periodic")
    return lambda d: shift(d, method=method, boundary=boundary, **extra)  # type: ignore[arg-type]


def defect_curve(params: dict[str, Any], interval: list[str]) -> dict[str, Any]:
    """The case's exact defect over ``interval`` (two exact strings, in cells), as plain JSON data
    (see the module docstring); raises a SymequiError naming why a case has no curve."""
    shape = params["input_shape"]
    if len(shape) != 1:
        raise InvalidArgumentError(f"input_shape={brief(shape)}: a defect curve needs a 1-D input")
    if params.get("g_out", "same") != "same":
        raise InvalidArgumentError(f"g_out={brief(params.get('g_out'))}: a defect curve needs g_out = 'same'")
    n = int(shape[0])
    layer = parse_stack(params["operator"], padding=params.get("padding"), stride=params.get("stride"))
    family = defect_in_delta(layer, heaviside(x - sympy.Rational(n, 2)), Grid(0, n, n),
                             delta_interval=tuple(interval))
    pieces = []
    for piece in family.defect(_shift_family(params)).pieces:
        s = piece.set
        if isinstance(s, sympy.Interval):
            lo, hi, closed = s.start, s.end, (not s.left_open, not s.right_open)
        else:  # a single point
            lo, hi, closed = min(s), max(s), (True, True)
        coeffs = [[str(c) for c in reversed(sympy.Poly(e, DELTA).all_coeffs())] for e in piece.output.flat_exprs()]
        pieces.append({"lo": str(lo), "hi": str(hi), "lo_float": float(lo), "hi_float": float(hi),
                       "closed": list(closed), "set": str(s), "coeffs": coeffs})
    return {"interval": [str(v) for v in interval], "pieces": pieces}


def _value(coeffs: list[str], at: Fraction) -> Fraction:
    out = Fraction(0)
    for c in reversed(coeffs):
        out = out * at + Fraction(c)
    return out


def _end(text: str, approx: float) -> Fraction | float:
    """A piece end: exact when rational; an irrational end (a root) by its float, which no rational
    sample point equals."""
    try:
        return Fraction(text)
    except ValueError:
        return approx


def _holds(piece: dict[str, Any], at: Fraction) -> bool:
    lo, hi = _end(piece["lo"], piece["lo_float"]), _end(piece["hi"], piece["hi_float"])
    lo_closed, hi_closed = piece["closed"]
    return (lo < at or (lo_closed and lo == at)) and (at < hi or (hi_closed and hi == at))


def sup_defect(curve: dict[str, Any], points: int = 200) -> list[tuple[Fraction, Fraction]]:
    """``(delta, max_j |defect_j(delta)|)`` at ``points + 1`` evenly spaced rational deltas of the
    curve's interval, each evaluated exactly on the piece that holds it (open and closed ends
    respected).  See the module example."""
    if isinstance(points, bool) or not isinstance(points, int) or points < 1:
        raise InvalidArgumentError(f"points={brief(points)} must be a whole number >= 1")
    lo, hi = (Fraction(v) for v in curve["interval"])
    out = []
    for k in range(points + 1):
        at = lo + (hi - lo) * k / points
        piece = next(p for p in curve["pieces"] if _holds(p, at))
        out.append((at, max((abs(_value(c, at)) for c in piece["coeffs"]), default=Fraction(0))))
    return out
