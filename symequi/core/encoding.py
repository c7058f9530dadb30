r"""The language in which a layer describes itself to the exact deciders.

Why one language
----------------
Two deciders need to know *what a layer computes*, not just its values: the
SMT decider (:mod:`symequi.deciders.smt`) turns a stack into z3 terms, and the
delta decider (:mod:`symequi.delta.layers`) runs a stack on outputs that are
polynomials in the translation ``delta`` on cells.  Instead of each decider
keeping an ``isinstance`` table of layer classes, every layer says what it
does with the few primitives of a :class:`VectorAlgebra`:

* ``linear(values, rows, out_size)``: an exact rational matrix (sparse rows);
* ``add_constants(values, constants)``: an affine offset;
* ``entrywise(values, f)``: a :class:`PiecewiseLinearFunction` on every entry
  (ReLU, leaky ReLU, abs, clamp, a step);
* ``polynomial(values, p)``: a rational polynomial on every entry;
* ``window_max(values, windows)``: the maximum over windows of entries;
* ``select_max(values, keys, options)``: the group of entries (an option)
  whose key entry is largest, the lowest-indexed option on ties (adaptive
  polyphase sampling);
* ``add_vectors(values_list)``: the entrywise sum of several values of one
  shape (a residual connection, :class:`symequi.core.graph.Graph`);
* ``concat(values_list, picks)``: a new vector made of entries of several
  values (a concatenation).

A decider implements these once (z3 terms, or cells in delta); a layer
implements :meth:`symequi.core.operator.Operator.encode` once; a new layer is
one class.  A primitive a decider cannot express (a polynomial of degree 2 in
linear real arithmetic) raises :class:`~symequi.core.errors.EncodingError`.

Conventions of :class:`PiecewiseLinearFunction`: breakpoints ``b_1 < ... < b_m``
split the line into ``(-oo, b_1], (b_1, b_2], ..., (b_m, oo)``, each piece
closed on the right, so a step with pieces ``0, 1`` is the paper's Heaviside
with ``H(0) = 0``.

Example
-------
>>> relu = PiecewiseLinearFunction.from_pieces([0], [(0, 0), (1, 0)])
>>> [str(relu(v)) for v in (-2, 0, '3/2')]
['0', '0', '3/2']
>>> relu.piece_index(0), relu.piece_index(1)
(0, 1)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import flint
import sympy

from .errors import EncodingError, InvalidArgumentError
from .exact import sympy_to_fmpq, to_rational
from .texts import brief, fields_repr

__all__ = ["PiecewiseLinearFunction", "VectorAlgebra", "SparseRows"]

#: A rational matrix as sparse rows: row ``i`` is a list of ``(column, coefficient)``.
SparseRows = list[list[tuple[int, flint.fmpq]]]

V = TypeVar("V")


def _fmpq(value: Any, name: str) -> flint.fmpq:
    if isinstance(value, flint.fmpq):
        return value
    return sympy_to_fmpq(to_rational(value, name))


@dataclass(frozen=True)
class PiecewiseLinearFunction:
    """A piecewise-affine function of one real variable with rational data.

    ``breakpoints`` are strictly increasing; ``pieces[k] = (a_k, c_k)`` means
    ``a_k x + c_k`` on the ``k``-th interval (``len(pieces) == len(breakpoints) + 1``),
    each interval closed on the right (module docstring).

    >>> clamp = PiecewiseLinearFunction.from_pieces([-1, 1], [(0, -1), (1, 0), (0, 1)])
    >>> [str(clamp(v)) for v in (-3, '1/2', 1, 5)]
    ['-1', '1/2', '1', '1']
    >>> clamp.sympy_expr(sympy.Symbol('t'))
    Piecewise((-1, t <= -1), (t, t <= 1), (1, True))
    """

    breakpoints: tuple[flint.fmpq, ...]
    pieces: tuple[tuple[flint.fmpq, flint.fmpq], ...]

    @classmethod
    def from_pieces(cls, breakpoints: Sequence[Any], pieces: Sequence[tuple[Any, Any]]) -> "PiecewiseLinearFunction":
        """Build from exact values (ints, ``'p/q'`` strings, Fractions, sympy Rationals).

        >>> PiecewiseLinearFunction.from_pieces([], [(2, '1/2')])(1)
        5/2
        """
        points = tuple(_fmpq(b, f"breakpoints[{i}]") for i, b in enumerate(breakpoints))
        if any(p >= q for p, q in zip(points, points[1:])):
            raise InvalidArgumentError(f"breakpoints={brief(list(breakpoints), str)} must be strictly increasing")
        if len(pieces) != len(points) + 1:
            raise InvalidArgumentError(
                f"pieces has {len(pieces)} entries but {len(points)} breakpoints need {brief(len(points) + 1, str)} "
                "(one affine piece (slope, offset) per interval)"
            )
        parts = [(_fmpq(a, f"pieces[{k}] slope"), _fmpq(c, f"pieces[{k}] offset"))
                 for k, (a, c) in enumerate(pieces)]
        # a breakpoint between two equal pieces changes nothing: drop it (LeakyReLU(1) is linear)
        kept_points: list[flint.fmpq] = []
        kept_parts = [parts[0]]
        for b, part in zip(points, parts[1:]):
            if part != kept_parts[-1]:
                kept_points.append(b)
                kept_parts.append(part)
        return cls(tuple(kept_points), tuple(kept_parts))

    def piece_index(self, value: Any) -> int:
        """The interval holding the rational ``value`` (intervals closed on the right).

        >>> PiecewiseLinearFunction.from_pieces([0], [(0, 0), (1, 0)]).piece_index('-1/2')
        0
        """
        v = _fmpq(value, "value")
        return sum(1 for b in self.breakpoints if v > b)

    def __call__(self, value: Any) -> flint.fmpq:
        v = _fmpq(value, "value")
        a, c = self.pieces[self.piece_index(v)]
        return a * v + c

    def sympy_expr(self, var: sympy.Symbol) -> sympy.Expr:
        """The function as a sympy ``Piecewise`` in ``var`` (same right-closed intervals).

        >>> PiecewiseLinearFunction.from_pieces([0], [(0, 0), (1, 0)]).sympy_expr(sympy.Symbol('t'))
        Piecewise((0, t <= 0), (t, True))
        """
        def affine(k: int) -> sympy.Expr:
            a, c = self.pieces[k]
            return _sympy(a) * var + _sympy(c)

        branches = [(affine(k), var <= _sympy(b)) for k, b in enumerate(self.breakpoints)]
        branches.append((affine(len(self.breakpoints)), sympy.true))
        return sympy.Piecewise(*branches)

    @property
    def is_linear(self) -> bool:
        """True when the function is ``a x`` for one ``a`` (no breakpoints, no offset).

        >>> PiecewiseLinearFunction.from_pieces([], [(3, 0)]).is_linear
        True
        """
        return not self.breakpoints and self.pieces[0][1] == 0

    def __repr__(self) -> str:
        return fields_repr(self)  # the generated repr fails on ints of over 4300 digits


def _sympy(value: flint.fmpq) -> sympy.Rational:
    return sympy.Rational(int(value.p), int(value.q))


class VectorAlgebra(Generic[V]):
    """The primitives a decider provides so that layers can describe themselves.

    ``V`` is the decider's representation of a whole flat signal (a list of z3
    terms, a list of cells, ...).  Each method returns the new representation;
    the default implementations refuse with an EncodingError naming the
    primitive, so a decider implements only what it can express.

    >>> class Values(VectorAlgebra[list]):
    ...     def add_constants(self, values, constants):
    ...         return [v + c for v, c in zip(values, constants)]
    >>> Values().add_constants([1, 2], [flint.fmpq(1, 2)] * 2)
    [3/2, 5/2]
    """

    #: How the decider is named in EncodingError messages.
    name = "this decider"

    def _refuse(self, what: str) -> EncodingError:
        return EncodingError(f"{brief(self.name, str)} cannot express {brief(what, str)}")

    def linear(self, values: V, rows: SparseRows, out_size: int) -> V:
        """``out_i = sum_j rows[i] ...``: an exact rational matrix applied to ``values``."""
        raise self._refuse("a linear map")

    def add_constants(self, values: V, constants: Sequence[flint.fmpq]) -> V:
        """``out_i = values_i + constants[i]``."""
        raise self._refuse("an affine offset")

    def entrywise(self, values: V, function: PiecewiseLinearFunction) -> V:
        """``out_i = function(values_i)`` for a piecewise-linear ``function``."""
        raise self._refuse("a piecewise-linear activation")

    def polynomial(self, values: V, poly: flint.fmpq_poly) -> V:
        """``out_i = poly(values_i)`` for a rational polynomial."""
        raise self._refuse(f"the polynomial activation {brief(poly, str)}")

    def window_max(self, values: V, windows: Sequence[Sequence[int]]) -> V:
        """``out_k = max(values_i for i in windows[k])``."""
        raise self._refuse("a maximum over windows")

    def select_max(self, values: V, keys: Sequence[int], options: Sequence[Sequence[int]]) -> V:
        """``out_i = values[options[k][i]]`` for the first ``k`` (the lowest index) whose key
        ``values[keys[k]]`` is the largest: ties keep the lowest-indexed option.  Every option
        has the same length, one per key."""
        raise self._refuse("a selection of entries by the largest key")

    def add_vectors(self, values_list: Sequence[V]) -> V:
        """``out_i = sum_k values_list[k]_i`` (all of one size)."""
        raise self._refuse("a sum of two branches")

    def concat(self, values_list: Sequence[V], picks: Sequence[tuple[int, int]]) -> V:
        """``out_i = values_list[k]_j`` for ``(k, j) = picks[i]``."""
        raise self._refuse("a concatenation of branches")
