"""The commutative square every decider answers.

::

            A
      X ---------> Y
      |            |
    g |            | g_out        does  A(g(u)) == g_out(A(u))  for all u ?
      v            v
      X ---------> Y
            A

A :class:`Square` holds the operator ``A``, the translation ``g`` on inputs,
the translation ``g_out`` on outputs (``g`` by default) and the input shape.
Deciders (:mod:`symequi.deciders.linear`, :mod:`symequi.deciders.smt`, :mod:`symequi.deciders.search`)
take a Square and return a verdict.

Example
-------
>>> from symequi.core.square import Square
>>> from symequi.core.operator import Operator
>>> from symequi.core.signal import Signal
>>> class Reverse(Operator):
...     is_linear = True
...     def _apply(self, s):
...         return Signal.from_exprs(list(reversed(s.flat_exprs())), s.shape)
>>> class Square2(Operator):
...     def _apply(self, s):
...         return s.multiply(s)
>>> sq = Square(Square2(), Reverse(), input_shape=(3,))
>>> sq.difference(Signal([1, 2, 3]))
Signal([0, 0, 0])
>>> sq.witness(Signal([1, 2, 3])) is None
True
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sympy

from .assumptions import Assumptions, as_assumptions
from .errors import InvalidArgumentError
from .operator import Operator, as_signal
from .signal import Signal, check_shape
from .texescape import Phrase
from .verdict import Counterexample, Statement
from .texts import brief

__all__ = ["Square", "paths_differ"]


def paths_differ(left: Signal, right: Signal, assumptions: Assumptions | None = None) -> bool:
    """True only when ``left`` and ``right`` are certified different (with
    ``assumptions``: at some point of the assumed set).

    >>> import sympy
    >>> r = sympy.sqrt(5 + 2 * sympy.sqrt(6))
    >>> paths_differ(Signal([r]), Signal([sympy.sqrt(2) + sympy.sqrt(3)]))
    False
    >>> paths_differ(Signal([1, 2]), Signal([1, 3]))
    True
    """
    if left.shape != right.shape:
        return True
    if left.domain == "QQ" and right.domain == "QQ":
        return left != right
    from .zero import is_zero  # zero tests sit above signals; import on use

    return any(is_zero(a - b, assumptions=assumptions) is False
               for a, b in zip(left.flat_exprs(), right.flat_exprs()))


class Square:
    """``A after g`` versus ``g_out after A`` on inputs of shape ``input_shape``.

    Parameters
    ----------
    operator : the layer stack or scheme ``A``
    g : the transformation of inputs
    g_out : the transformation of outputs (defaults to ``g``)
    input_shape : the shape of the inputs (an int for 1-D)
    assumptions : what the symbols are assumed to satisfy, besides what the operators
        state themselves (an :class:`~symequi.core.assumptions.Assumptions`, or
        ``{symbol: (lo, hi)}`` for open intervals); see :attr:`assumptions`

    Example
    -------
    >>> from symequi.layers.convolution import Convolution
    >>> shift = Convolution([1], origin=1, padding="periodic")  # content right by one cell
    >>> sq = Square(Convolution([1, -1], padding="periodic"), shift, input_shape=4)
    >>> sq.lhs([0, 1, 0, 0]), sq.rhs([0, 1, 0, 0])
    (Signal([0, 0, 1, -1]), Signal([0, 0, 1, -1]))
    >>> sq.witness([0, 1, 0, 0]) is None
    True
    """

    def __init__(self, operator: Operator, g: Operator, g_out: Operator | None = None, *,
                 input_shape: tuple[int, ...] | int, assumptions: Any = None) -> None:
        for name, op in (("operator", operator), ("g", g), ("g_out", g_out)):
            if (op is not None or name != "g_out") and not isinstance(op, Operator):
                raise InvalidArgumentError(
                    f"{name}={brief(op)} must be a symequi layer or translation (a symequi.Operator)"
                )
        shape = check_shape(input_shape, "input_shape")
        self.operator = operator
        self.g = g
        self.g_out = g if g_out is None else g_out
        self.input_shape: tuple[int, ...] = shape
        if g.output_shape(shape) != shape:
            raise InvalidArgumentError(
                f"g={brief(g.describe(), str)} changes the shape {brief(shape, str)} to {brief(g.output_shape(shape), str)}; "
                "a translation must keep the shape"
            )
        out = operator.output_shape(shape)
        if self.g_out.output_shape(out) != out:
            raise InvalidArgumentError(
                f"g_out={brief(self.g_out.describe(), str)} changes the output shape {brief(out, str)}; it must keep it"
            )
        self.output_shape: tuple[int, ...] = out
        self.stated_assumptions: Assumptions = as_assumptions(assumptions)
        self.assumptions: Assumptions = (operator.assumptions() & g.assumptions() & self.g_out.assumptions()
                                         & self.stated_assumptions)
        """The assumed set of the symbols: the operators' own assumptions (e.g. the
        interval of a symbolic shift) and the stated ones, combined; every decider
        tests zeros and certifies witnesses on this set."""

    @property
    def is_linear(self) -> bool:
        """True when A, g and g_out are all linear."""
        return self.operator.is_linear and self.g.is_linear and self.g_out.is_linear

    def _statement_parts(self) -> tuple[str, str, str]:
        """(A, g, the rest) of the statement in words."""
        out = "" if self.g_out is self.g else f" (outputs transformed by {self.g_out.describe()})"
        return self.operator.describe(), self.g.describe(), f"{out} on inputs of shape {self.input_shape}"

    @property
    def statement(self) -> Statement:
        """The claim in words: "A commutes with g on inputs of shape ...".

        A :class:`~symequi.core.verdict.Statement` (a ``str``) whose ``negation`` is
        :attr:`refuted_statement`, so verdicts built from it read right when refuted.
        """
        operator, g, rest = self._statement_parts()
        return Statement(f"{operator} commutes with {g}{rest}", negation=self.refuted_statement)

    @property
    def refuted_statement(self) -> str:
        """The negated claim, what a counterexample establishes: "A does not commute with g ...".

        >>> from symequi.layers.activations import ReLU
        >>> from symequi.layers.convolution import Convolution
        >>> sq = Square(ReLU(), Convolution([1], origin=1, padding="periodic"), input_shape=2)
        >>> print(sq.statement)
        pointwise ReLU(x) = max(0, x) commutes with convolution C_j = sum_k a_k b_{j-k} with kernel [1], kernel origin 1 (k = 1..1), periodic padding on inputs of shape (2,)
        >>> print(sq.refuted_statement)
        pointwise ReLU(x) = max(0, x) does not commute with convolution C_j = sum_k a_k b_{j-k} with kernel [1], kernel origin 1 (k = 1..1), periodic padding on inputs of shape (2,)
        """
        operator, g, rest = self._statement_parts()
        return f"{operator} does not commute with {g}{rest}"

    def conventions(self) -> tuple[str, ...]:
        """The conventions of ``A``, ``g`` and ``g_out``, in order, each once."""
        seen: dict[str, None] = {}
        for op in (self.operator, self.g, self.g_out):
            seen.update(dict.fromkeys(op.conventions()))
        if not self.assumptions.is_empty:
            seen[Phrase("assumptions: " + self.assumptions.describe(),
                        "assumptions: " + self.assumptions.describe_latex())] = None
        return tuple(seen)

    @property
    def free_symbols(self) -> set[sympy.Symbol]:
        """The symbols of the operator and both translations.

        >>> from symequi.translations import shift
        >>> from symequi.layers.convolution import Convolution
        >>> a, s = sympy.symbols('a s')
        >>> sorted(Square(Convolution([a, 1]), shift(s, method='linear'), input_shape=3).free_symbols, key=str)
        [a, s]
        """
        return self.operator.free_symbols | self.g.free_symbols | self.g_out.free_symbols

    def at(self, point: Mapping[sympy.Symbol, Any]) -> "Square":
        """The square with its symbols replaced by the values ``point`` (every operator
        substituted, see :meth:`symequi.core.operator.Operator.substitute`).

        >>> from symequi.layers.convolution import Convolution
        >>> a = sympy.Symbol('a')
        >>> Square(Convolution([a, 1], padding="periodic"), Convolution([0, 1], padding="periodic"),
        ...        input_shape=3).at({a: 2}).lhs([1, 0, 0])
        Signal([0, 2, 1])
        """
        values = dict(point)
        g = self.g.substitute(values)
        g_out = g if self.g_out is self.g else self.g_out.substitute(values)
        return Square(self.operator.substitute(values), g, g_out, input_shape=self.input_shape)

    def lhs(self, signal: Any) -> Signal:
        """``A(g(signal))``."""
        return self.operator(self.g(self._check_input(signal)))

    def rhs(self, signal: Any) -> Signal:
        """``g_out(A(signal))``."""
        return self.g_out(self.operator(self._check_input(signal)))

    def difference(self, signal: Any) -> Signal:
        """``lhs - rhs`` on ``signal``."""
        return self.lhs(signal) - self.rhs(signal)

    def witness(self, signal: Any, *, decider: str = "",
                details: Mapping[str, Any] | None = None) -> Counterexample | None:
        """A Counterexample if the paths differ on ``signal``, certified exactly, else None.

        Rational outputs are compared directly; symbolic or algebraic entries of
        the difference go through :func:`symequi.core.zero.is_zero` (minimal
        polynomials, ball arithmetic), so a difference that cannot be certified
        nonzero is never reported.  When the difference holds symbols, a rational
        point of :attr:`assumptions` is found where it is certified nonzero, the
        square is re-run at that point (:meth:`at`), and the Counterexample names
        it (``parameters``); without such a point, or when the re-run does not
        reproduce the difference, there is no witness (None).

        >>> from symequi.layers.activations import ReLU
        >>> from symequi.translations import shift
        >>> s = sympy.Symbol('s')
        >>> sq = Square(ReLU(), shift(s, method='linear'), input_shape=3)
        >>> sq.witness([0, 0, 1]) is None     # nonnegative data: ReLU is the identity on it
        True
        >>> c = sq.witness([1, -1, 0])
        >>> c.parameters, c.details["at the parameters"]
        ({s: 1/2}, 'lhs Signal([1/2, 0, 0]), rhs Signal([1/2, 1/2, 0]), difference Signal([0, -1/2, 0])')
        """
        u = self._check_input(signal)
        left, right = self.lhs(u), self.rhs(u)
        extra = dict(details or {})
        # every symbol of the square gets a value, also one the outputs do not show
        symbols = left.free_symbols | right.free_symbols | u.free_symbols | self.free_symbols
        if not symbols or left.shape != right.shape:
            if not paths_differ(left, right, self.assumptions):
                return None
            return Counterexample(self.statement, input=u, lhs=left, rhs=right,
                                  decider=decider, conventions=self.conventions(), details=extra or None)
        from .zero import find_nonzero_point  # zero tests sit above signals; import on use

        found = find_nonzero_point((left - right).flat_exprs(), self.assumptions, symbols=symbols)
        if found is None:
            return None
        point, index, _ = found
        rerun = self.at(point)
        concrete = u.subs(point)
        left_at, right_at = rerun.lhs(concrete), rerun.rhs(concrete)
        if left_at.free_symbols or right_at.free_symbols or not paths_differ(left_at, right_at):
            return None  # the re-run at the point does not reproduce it: report nothing
        if paths_differ((left - right).subs(point), left_at - right_at):
            return None  # the symbolic outputs disagree with the re-run: report nothing
        extra["at the parameters"] = (f"lhs {left_at}, rhs {right_at}, difference {left_at - right_at}")
        extra["reproduced"] = (f"the square re-run with {_point_text(point)} differs on this input "
                               f"(entry {index}), exactly")
        return Counterexample(self.statement, input=u, lhs=left, rhs=right,
                              difference=(left - right).map(sympy.expand), parameters=point,
                              decider=decider, conventions=self.conventions(), details=extra)

    def _check_input(self, signal: Any) -> Signal:
        u = as_signal(signal)
        if u.shape != self.input_shape:
            raise InvalidArgumentError(
                f"signal has shape {brief(u.shape, str)} but this square takes inputs of shape {brief(self.input_shape, str)}; "
                f"pass a signal of shape {brief(self.input_shape, str)} (or build the Square with input_shape={brief(u.shape, str)})"
            )
        return u

    def __repr__(self) -> str:
        return f"Square({brief(self.operator)}, {brief(self.g)}, {brief(self.g_out)}, input_shape={brief(self.input_shape, str)})"


def _point_text(point: Mapping[sympy.Symbol, Any]) -> str:
    return ", ".join(f"{k} = {v}" for k, v in point.items())
