"""A custom claim: state it, derive it, let symequi check and typeset it.

Run this file alone (``python examples/custom_claim.py``), or with every
other script: ``symequi prove examples/custom_claim.py`` (a table, the JSON
with ``--json``, the LaTeX/PDF document in ``out/``).
"""

from __future__ import annotations

import sys

import sympy

import symequi as se
from symequi import Derivation, Proved, claim


@claim("example-moving-average", "A moving average commutes with integer shifts",
       statement="for every N in 2..6 the periodic moving average (u_{j-1} + u_j)/2 commutes with "
                 "every integer shift T_l on R^N",
       latex=r"For every $N \in \{2, \dots, 6\}$ the periodic moving average "
             r"$(Au)_j = \tfrac12 (u_{j-1} + u_j)$ commutes with every integer shift $T_l$ on $\mathbb{R}^N$.",
       expect="proved", budget=60, tags=("example",))
def moving_average(d: Derivation) -> se.Verdict:
    d.convention("periodic boundary: indices mod N", latex=r"periodic boundary: indices mod $N$")
    average = se.Convolution([sympy.Rational(1, 2), sympy.Rational(1, 2)], padding="periodic")
    for n in range(2, 7):
        for l in range(n):
            verdict = se.decide(se.Square(average, se.shift(l), input_shape=n))
            d.require(verdict.proved, f"N = {n}, l = {l}: {verdict.headline}")
    d.text("The linear decider proved all", sum(range(2, 7)), "squares exactly.")
    return Proved("the periodic moving average commutes with integer shifts", decider="linear",
                  holds_for="every real input, N = 2..6, every shift l")


if __name__ == "__main__":
    from symequi.cli import main

    sys.exit(main(["prove", __file__, "--no-pdf", "--out", "out-example"]))
