"""Small hand-written operators shared by the decider tests (periodic boundary throughout).

Each is a few lines of plain Python on exact values, so a test can recompute
the expected outputs by hand with fractions.Fraction, independently of the
layers in symequi.layers.
"""

from symequi.core.operator import Operator
from symequi.core.signal import Signal


class Roll(Operator):
    """Integer shift right by one cell: (R u)_j = u_{j-1}."""
    is_linear = True
    is_piecewise_linear = True

    def _apply(self, u):
        v = u.to_list()
        return Signal(v[-1:] + v[:-1])


class HalfShift(Operator):
    """Half-cell linear-interpolation shift right: (S u)_j = (u_{j-1} + u_j) / 2."""
    is_linear = True
    is_piecewise_linear = True

    def _apply(self, u):
        v = u.to_list()
        return Signal([(v[j - 1] + v[j]) / 2 for j in range(len(v))])


class Relu(Operator):
    """max(u_j, 0) entrywise."""
    is_piecewise_linear = True

    def _apply(self, u):
        return u.map(lambda v: max(v, 0))


class EntrywiseSquare(Operator):
    """u_j**2 entrywise: neither linear nor piecewise linear."""

    def _apply(self, u):
        return u.multiply(u)
