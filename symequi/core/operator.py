"""The Operator protocol shared by layers and discrete translations.

An :class:`Operator` maps a :class:`~symequi.core.signal.Signal` to a Signal.  It
declares what the deciders need to know about it:

* ``is_linear``: linear maps have an exact matrix (:meth:`Operator.matrix`),
  obtained by default by applying the operator to the unit basis signals;
* ``is_piecewise_linear``: the SMT decider can encode it;
* :meth:`Operator.output_shape`, :meth:`Operator.describe` and
  :meth:`Operator.latex` for reports.

:class:`Sequential` composes operators left to right.

Example
-------
>>> from symequi.core.operator import Operator, Sequential
>>> from symequi.core.signal import Signal
>>> class Double(Operator):
...     is_linear = True
...     is_piecewise_linear = True
...     def _apply(self, signal):
...         return signal * 2
>>> Sequential(Double(), Double())(Signal([1, '1/2']))
Signal([4, 2])
>>> Double().matrix((2,)).to_Matrix()
Matrix([
[2, 0],
[0, 2]])
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping
from typing import Any

import flint
import sympy
from sympy.polys.matrices import DomainMatrix

from .assumptions import Assumptions
from .errors import InvalidArgumentError
from .signal import Signal, check_shape, is_array_like, unravel_index
from .verdict import _escape

__all__ = ["Operator", "Sequential", "as_signal"]


def as_signal(value: Any, name: str = "signal") -> Signal:
    """``value`` as a Signal (lists are converted exactly; floats are refused).

    >>> as_signal([1, '1/2'])
    Signal([1, 1/2])
    """
    if isinstance(value, Signal):
        return value
    if isinstance(value, (list, tuple, sympy.MatrixBase)) or is_array_like(value):
        return Signal(value)  # numpy arrays of ints go through tolist(); floats are refused
    raise InvalidArgumentError(
        f"{name} must be a symequi.Signal or a nested list of exact entries, not {type(value).__name__}"
    )


class Operator:
    """Base class of everything that maps signals to signals.

    Subclasses implement ``_apply(signal) -> Signal`` and set the class flags
    ``is_linear`` and ``is_piecewise_linear``; calling the operator converts
    lists to Signals exactly first.

    >>> from symequi.core.signal import Signal
    >>> class Negate(Operator):
    ...     is_linear = True
    ...     def _apply(self, signal):
    ...         return -signal
    >>> Negate()([1, '-1/2'])
    Signal([-1, 1/2])

    See Also
    --------
    Sequential : composition, left to right.
    """

    #: True when the operator is linear over the entries' field.
    is_linear: bool = False
    #: True when the operator is piecewise linear (the SMT decider can encode it).
    is_piecewise_linear: bool = False

    def __call__(self, signal: Any) -> Signal:
        return self._apply(as_signal(signal))

    def _apply(self, signal: Signal) -> Signal:  # pragma: no cover - abstract
        raise NotImplementedError

    def output_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        """The shape of the output for an input of shape ``shape`` (default: same).

        >>> Operator().output_shape((2, 3))
        (2, 3)
        """
        return tuple(shape)

    def matrix(self, shape: tuple[int, ...] | int) -> DomainMatrix:
        """The exact matrix of a linear operator on inputs of shape ``shape``.

        Rows and columns index flat (row-major) entries.  The domain is QQ when
        every entry is rational; otherwise the domain sympy constructs for the
        entries (an algebraic field such as QQ<sqrt(2)>, a polynomial ring, or EX).

        >>> from symequi.layers.convolution import Convolution
        >>> Convolution([1, -1], padding="periodic").matrix(3).to_Matrix()
        Matrix([
        [ 1,  0, -1],
        [-1,  1,  0],
        [ 0, -1,  1]])
        """
        if not self.is_linear:
            raise InvalidArgumentError(
                f"{self.describe()} is not linear, so it has no matrix; decide squares with it "
                "by the SMT or search deciders"
            )
        shape = check_shape(shape)
        size = math.prod(shape)
        columns = [self(Signal.unit(shape, unravel_index(i, shape))) for i in range(size)]
        out_shapes = {c.shape for c in columns}
        if len(out_shapes) != 1:
            raise InvalidArgumentError(
                f"{self.describe()} returned outputs of several shapes {sorted(out_shapes)} on inputs "
                f"of shape={shape}; a linear operator must map one shape to one shape"
            )
        rows = columns[0].size
        if all(c.domain == "QQ" for c in columns):
            qq = sympy.QQ
            to_qq = (lambda v: v) if qq.dtype is flint.fmpq else (lambda v: qq(int(v.p), int(v.q)))
            entries = [c.flat_fmpqs() for c in columns]
            data = [[to_qq(entries[j][i]) for j in range(size)] for i in range(rows)]
            return DomainMatrix(data, (rows, size), qq)
        exprs = [c.flat_exprs() for c in columns]
        return DomainMatrix.from_list_sympy(rows, size, [[exprs[j][i] for j in range(size)] for i in range(rows)])

    def conventions(self) -> tuple[str, ...]:
        """The conventions this operator uses, in words (index convention,
        kernel origin, boundary handling, ...); verdicts quote them.

        >>> Operator().conventions()
        ()
        """
        return ()

    def assumptions(self) -> Assumptions:
        """What this operator assumes of its symbols (e.g. the interval of a symbolic
        shift); a :class:`~symequi.core.square.Square` combines them (default: nothing).

        >>> Operator().assumptions().is_empty
        True
        """
        return Assumptions()

    @property
    def free_symbols(self) -> set[sympy.Symbol]:
        """The symbols among the attributes (sympy values, Signals, inner operators).

        >>> from symequi.layers.activations import Bias
        >>> Bias(sympy.Symbol('a')).free_symbols
        {a}
        """
        return _symbols_of(getattr(self, "__dict__", {}), set())

    def substitute(self, values: Mapping[sympy.Symbol, Any]) -> "Operator":
        """This operator with its symbols replaced by ``values`` (a copy; ``self`` when
        nothing changes).  Every sympy value, Signal and operator among the attributes is
        substituted; subclasses whose derived data depend on symbols override this.

        >>> from symequi.layers.activations import Bias
        >>> a = sympy.Symbol('a')
        >>> Bias(a).substitute({a: 2})(Signal([1, 1]))
        Signal([3, 3])
        """
        return _substitute_object(self, dict(values))

    def describe(self) -> str:
        """A one-line plain-text description (default: the repr).

        >>> Operator().describe()
        'Operator()'
        """
        return repr(self)

    def latex(self) -> str:
        r"""A LaTeX description (defaults to the plain text in \text{}).

        >>> Operator().latex()
        '\\text{Operator()}'
        """
        return r"\text{" + _escape(self.describe()) + "}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


def _substitute_value(value: Any, values: dict) -> Any:
    if isinstance(value, sympy.Basic):
        return value.xreplace(values) if value.free_symbols & set(values) else value
    if isinstance(value, Signal):
        return value.subs(values) if value.free_symbols & set(values) else value
    if isinstance(value, Operator):
        return value.substitute(values)
    if isinstance(value, (tuple, list)):
        items = [_substitute_value(v, values) for v in value]
        if all(a is b for a, b in zip(items, value)):
            return value
        return type(value)(items) if isinstance(value, list) or type(value) is tuple else value
    if isinstance(value, dict):
        new = {k: _substitute_value(v, values) for k, v in value.items()}
        return value if all(new[k] is value[k] for k in value) else new
    return value


def _symbols_of(value: Any, seen: set[int]) -> set[sympy.Symbol]:
    if isinstance(value, (sympy.Basic, Signal)):
        return set(value.free_symbols)
    if id(value) in seen:
        return set()
    seen.add(id(value))
    if isinstance(value, Operator):
        return set(value.free_symbols)
    if isinstance(value, (tuple, list)):
        return set().union(*(_symbols_of(v, seen) for v in value))
    if isinstance(value, dict):
        return set().union(*(_symbols_of(v, seen) for v in value.values()))
    return set()


def _substitute_object(obj: Operator, values: dict) -> Operator:
    state = getattr(obj, "__dict__", {})
    new = {k: _substitute_value(v, values) for k, v in state.items()}
    if all(new[k] is state[k] for k in state):
        return obj
    clone = copy.copy(obj)
    clone.__dict__.update(new)
    return clone


class Sequential(Operator):
    """Apply operators one after another, left to right.

    >>> Sequential().describe()
    'Sequential()'
    """

    def __init__(self, *operators: Operator) -> None:
        for i, op in enumerate(operators):
            if not isinstance(op, Operator):
                raise InvalidArgumentError(
                    f"operators[{i}]={op!r} is not a symequi layer or operator"
                )
        self.operators: tuple[Operator, ...] = tuple(operators)

    @property
    def layers(self) -> tuple[Operator, ...]:
        """The composed operators (alias of ``operators``).

        >>> Sequential().layers
        ()
        """
        return self.operators

    @property
    def is_linear(self) -> bool:  # type: ignore[override]
        """True when every composed operator is linear."""
        return all(op.is_linear for op in self.operators)

    @property
    def is_piecewise_linear(self) -> bool:  # type: ignore[override]
        """True when every composed operator is piecewise linear."""
        return all(op.is_piecewise_linear for op in self.operators)

    def _apply(self, signal: Signal) -> Signal:
        for op in self.operators:
            signal = op(signal)
        return signal

    def output_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        """The shape after every operator, in order."""
        for op in self.operators:
            shape = op.output_shape(shape)
        return tuple(shape)

    def conventions(self) -> tuple[str, ...]:
        """The operators' conventions, in order, each once."""
        seen: dict[str, None] = {}
        for op in self.operators:
            seen.update(dict.fromkeys(op.conventions()))
        return tuple(seen)

    def assumptions(self) -> Assumptions:
        """The operators' assumptions, combined."""
        result = Assumptions()
        for op in self.operators:
            result = result & op.assumptions()
        return result

    def describe(self) -> str:
        """``Sequential(...)`` with each operator's description."""
        return "Sequential(" + ", ".join(op.describe() for op in self.operators) + ")"

    def latex(self) -> str:
        """The composition, innermost (first) operator on the right."""
        return r" \circ ".join(op.latex() for op in reversed(self.operators)) or r"\mathrm{id}"

    def __repr__(self) -> str:
        return self.describe()
