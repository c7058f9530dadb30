"""A numerical-scheme check: the upwind step for u_t + c u_x = 0 on a periodic grid.

Run: ``python examples/numerical_scheme_check.py``.  The upwind step is linear
and circulant, so it commutes with the half-cell Fourier shift (proved for
every input of length 8), while the same step followed by a ReLU (a
"learned" stepper with a nonlinearity) does not: symequi prints the witness.
"""

from __future__ import annotations

import sys

import sympy

import symequi as se


def main() -> int:
    nu = sympy.Rational(1, 2)  # Courant number c dt / dx
    upwind = se.Convolution([1 - nu, nu], padding="periodic")  # u_j <- (1 - nu) u_j + nu u_{j-1}
    half_cell = se.shift("1/2", method="fourier")

    linear = se.decide(se.Square(upwind, half_cell, input_shape=8))
    print(linear.text(), end="\n\n")

    stepper = se.Sequential(upwind, se.Bias(sympy.Rational(-1, 4)), se.ReLU())
    nonlinear = se.decide(se.Square(stepper, se.shift("1/2", method="linear"), input_shape=8))
    print(nonlinear.text())
    return 0 if linear.proved and nonlinear.refuted else 1


if __name__ == "__main__":
    sys.exit(main())
