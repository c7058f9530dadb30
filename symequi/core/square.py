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

from typing import Any

from .errors import InvalidArgumentError
from .operator import Operator, as_signal
from .signal import Signal, check_shape
from .verdict import Counterexample, Statement

__all__ = ["Square", "paths_differ"]


def paths_differ(left: Signal, right: Signal) -> bool:
    """True only when ``left`` and ``right`` are certified different.

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

    return any(is_zero(a - b) is False for a, b in zip(left.flat_exprs(), right.flat_exprs()))


class Square:
    """``A after g`` versus ``g_out after A`` on inputs of shape ``input_shape``.

    Parameters
    ----------
    operator : the layer stack or scheme ``A``
    g : the transformation of inputs
    g_out : the transformation of outputs (defaults to ``g``)
    input_shape : the shape of the inputs (an int for 1-D)

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
                 input_shape: tuple[int, ...] | int) -> None:
        for name, op in (("operator", operator), ("g", g), ("g_out", g_out)):
            if (op is not None or name != "g_out") and not isinstance(op, Operator):
                raise InvalidArgumentError(
                    f"{name}={op!r} must be a symequi layer or translation (a symequi.Operator)"
                )
        shape = check_shape(input_shape, "input_shape")
        self.operator = operator
        self.g = g
        self.g_out = g if g_out is None else g_out
        self.input_shape: tuple[int, ...] = shape
        if g.output_shape(shape) != shape:
            raise InvalidArgumentError(
                f"g={g.describe()} changes the shape {shape} to {g.output_shape(shape)}; "
                "a translation must keep the shape"
            )
        out = operator.output_shape(shape)
        if self.g_out.output_shape(out) != out:
            raise InvalidArgumentError(
                f"g_out={self.g_out.describe()} changes the output shape {out}; it must keep it"
            )
        self.output_shape: tuple[int, ...] = out

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
        return tuple(seen)

    def lhs(self, signal: Any) -> Signal:
        """``A(g(signal))``."""
        return self.operator(self.g(self._check_input(signal)))

    def rhs(self, signal: Any) -> Signal:
        """``g_out(A(signal))``."""
        return self.g_out(self.operator(self._check_input(signal)))

    def difference(self, signal: Any) -> Signal:
        """``lhs - rhs`` on ``signal``."""
        return self.lhs(signal) - self.rhs(signal)

    def witness(self, signal: Any, *, decider: str = "") -> Counterexample | None:
        """A Counterexample if the paths differ on ``signal``, certified exactly, else None.

        Rational outputs are compared directly; symbolic or algebraic entries of
        the difference go through :func:`symequi.core.zero.is_zero` (minimal
        polynomials, ball arithmetic), so a difference that cannot be certified
        nonzero is never reported.
        """
        u = self._check_input(signal)
        left, right = self.lhs(u), self.rhs(u)
        if not paths_differ(left, right):
            return None
        return Counterexample(self.statement, input=u, lhs=left, rhs=right,
                              decider=decider, conventions=self.conventions())

    def _check_input(self, signal: Any) -> Signal:
        u = as_signal(signal)
        if u.shape != self.input_shape:
            raise InvalidArgumentError(
                f"signal has shape {u.shape} but this square takes inputs of shape {self.input_shape}; "
                f"pass a signal of shape {self.input_shape} (or build the Square with input_shape={u.shape})"
            )
        return u

    def __repr__(self) -> str:
        return f"Square({self.operator!r}, {self.g!r}, {self.g_out!r}, input_shape={self.input_shape})"
