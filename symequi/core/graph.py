"""``Graph``: a directed acyclic graph of layers joined by sums and concatenations.

:class:`~symequi.core.operator.Sequential` composes a chain; a residual network
needs more: a branch's output added to its input (``y = x + F(x)``), or
branches concatenated along the channel axis.  A :class:`Graph` lists its nodes
in an order where every node comes after its inputs; the input signal is the
node named ``"input"`` and the last node is the output.  A node is

* ``(name, operator, (source,))``: a layer applied to one earlier node;
* ``(name, Add(), (a, b, ...))``: the entrywise sum of earlier nodes (same shape);
* ``(name, Concat(axis), (a, b, ...))``: their concatenation along ``axis``.

It lives in :mod:`symequi.core` beside ``Sequential`` because it is the same
kind of thing (a composition of operators) and needs nothing from a higher
layer of the package.  It implements the layer protocol: it is linear (or
piecewise linear) when every layer is, and :meth:`Graph.encode` encodes each
layer in turn, with the sums and concatenations in the
:class:`~symequi.core.encoding.VectorAlgebra` primitives ``add_vectors`` and
``concat``.

Example
-------
A residual block ``y = x + relu(x - 1)``:

>>> from symequi.core.graph import Add, Graph
>>> from symequi.layers import Bias, ReLU
>>> g = Graph([("b", Bias(-1), ("input",)), ("r", ReLU(), ("b",)), ("y", Add(), ("input", "r"))])
>>> g([0, 2, '5/2'])
Signal([0, 3, 4])
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Union

from .encoding import V, VectorAlgebra
from .errors import InvalidArgumentError
from .operator import Operator, encode, trusted_protocol
from .signal import Signal
from .texescape import escape_latex
from .texts import brief

__all__ = ["Graph", "Add", "Concat", "INPUT"]

#: The name of the graph's input node.
INPUT = "input"


class Add:
    """Merge node: the entrywise sum of its inputs (all of one shape).

    >>> Add().output_shape([(2, 3), (2, 3)])
    (2, 3)
    """

    def output_shape(self, shapes: Sequence[tuple[int, ...]]) -> tuple[int, ...]:
        """The common shape; an InvalidArgumentError when the shapes differ."""
        if len(set(shapes)) != 1:
            raise InvalidArgumentError(
                f"an Add node needs inputs of one shape, got shapes {brief(list(shapes), str)}; "
                "insert a layer that makes the shapes agree"
            )
        return tuple(shapes[0])

    def __call__(self, signals: Sequence[Signal]) -> Signal:
        total = signals[0]
        for s in signals[1:]:
            total = total + s
        return total

    def picks(self, shapes: Sequence[tuple[int, ...]]) -> None:
        return None

    def describe(self) -> str:
        return "add"

    def __repr__(self) -> str:
        return "Add()"


class Concat:
    """Merge node: concatenate its inputs along ``axis`` (0 is the channel axis).

    >>> Concat(0).output_shape([(1, 4), (2, 4)])
    (3, 4)
    """

    def __init__(self, axis: int = 0) -> None:
        if isinstance(axis, bool) or not isinstance(axis, int):
            raise InvalidArgumentError(f"axis={brief(axis)} must be an int (0 is the channel axis)")
        self.axis = axis

    def _axis(self, ndim: int) -> int:
        axis = self.axis + ndim if self.axis < 0 else self.axis
        if not 0 <= axis < ndim:
            raise InvalidArgumentError(f"Concat axis={brief(self.axis, str)} is out of range for inputs with {brief(ndim, str)} axes")
        return axis

    def output_shape(self, shapes: Sequence[tuple[int, ...]]) -> tuple[int, ...]:
        """The shape of the concatenation; the other axes must agree."""
        ndims = {len(s) for s in shapes}
        if len(ndims) != 1:
            raise InvalidArgumentError(f"a Concat node needs inputs with one number of axes, got shapes {brief(list(shapes), str)}")
        axis = self._axis(ndims.pop())
        rest = {s[:axis] + s[axis + 1:] for s in shapes}
        if len(rest) != 1:
            raise InvalidArgumentError(
                f"a Concat node along axis {brief(self.axis, str)} needs inputs that agree on the other axes, "
                f"got shapes {brief(list(shapes), str)}"
            )
        first = shapes[0]
        return first[:axis] + (sum(s[axis] for s in shapes),) + first[axis + 1:]

    def picks(self, shapes: Sequence[tuple[int, ...]]) -> list[tuple[int, int]]:
        """For each flat output entry, ``(input number, flat entry of that input)``.

        >>> Concat(1).picks([(2, 1), (2, 2)])
        [(0, 0), (1, 0), (1, 1), (0, 1), (1, 2), (1, 3)]
        """
        axis = self._axis(len(shapes[0]))
        outer = math.prod(shapes[0][:axis])
        inner = math.prod(shapes[0][axis + 1:])
        out: list[tuple[int, int]] = []
        for o in range(outer):
            for k, s in enumerate(shapes):
                block = s[axis] * inner
                out.extend((k, o * block + i) for i in range(block))
        return out

    def __call__(self, signals: Sequence[Signal]) -> Signal:
        shapes = [s.shape for s in signals]
        shape = self.output_shape(shapes)
        picks = self.picks(shapes)
        if all(s.is_rational for s in signals):
            flats = [s.flat_fmpqs() for s in signals]
            return Signal.from_fmpqs([flats[k][i] for k, i in picks], shape)
        exprs = [s.flat_exprs() for s in signals]
        return Signal.from_exprs([exprs[k][i] for k, i in picks], shape)

    def describe(self) -> str:
        return f"concatenate along axis {brief(self.axis, str)}"

    def __repr__(self) -> str:
        return f"Concat({brief(self.axis, str)})"


Merge = Union[Add, Concat]


class Graph(Operator):
    """A DAG of layers, sums and concatenations (see the module docstring).

    Parameters
    ----------
    nodes : ``(name, operation, inputs)`` triples in an order where every
        input is ``"input"`` or an earlier node; ``operation`` is an
        :class:`~symequi.core.operator.Operator` (one input), :class:`Add` or
        :class:`Concat` (one or more inputs).  The last node is the output.

    >>> from symequi.layers import Correlation
    >>> g = Graph([("a", Correlation([[[1, 1]]], padding="periodic"), ("input",)),
    ...            ("c", Concat(0), ("input", "a"))])
    >>> g.output_shape((1, 3)), g.is_linear
    ((2, 3), True)
    """

    semantic_methods = ("_apply",)

    def __init__(self, nodes: Sequence[tuple[str, Any, Sequence[str]]]) -> None:
        if not isinstance(nodes, (list, tuple)) or not nodes:
            raise InvalidArgumentError("nodes must be a non-empty list of (name, operation, inputs) triples")
        seen = {INPUT}
        checked: list[tuple[str, Operator | Merge, tuple[str, ...]]] = []
        for k, node in enumerate(nodes):
            if not isinstance(node, (list, tuple)) or len(node) != 3:
                raise InvalidArgumentError(f"nodes[{k}]={brief(node)} must be a (name, operation, inputs) triple")
            name, op, inputs = node
            inputs = (inputs,) if isinstance(inputs, str) else tuple(inputs)
            if not isinstance(name, str) or name in seen:
                raise InvalidArgumentError(
                    f"nodes[{k}] has the name {brief(name)}, which is not a new string ('input' and earlier names are taken)"
                )
            missing = [i for i in inputs if i not in seen]
            if missing or not inputs:
                raise InvalidArgumentError(
                    f"node {brief(name)} reads {brief(missing or 'nothing', str)}; every input must be 'input' or an earlier node"
                )
            if isinstance(op, Operator):
                if len(inputs) != 1:
                    raise InvalidArgumentError(f"node {brief(name)} applies a layer, so it takes one input, not {len(inputs)}")
            elif not isinstance(op, (Add, Concat)):
                raise InvalidArgumentError(
                    f"node {brief(name)}: operation {brief(op)} must be a symequi layer, Add() or Concat(axis)"
                )
            seen.add(name)
            checked.append((name, op, inputs))
        self.nodes: tuple[tuple[str, Operator | Merge, tuple[str, ...]], ...] = tuple(checked)

    def _layers(self) -> list[Operator]:
        return [op for _, op, _ in self.nodes if isinstance(op, Operator)]

    @property
    def is_linear(self) -> bool:  # type: ignore[override]
        """True when every layer is linear (sums and concatenations are)."""
        return all(op.is_linear for op in self._layers())

    @property
    def is_piecewise_linear(self) -> bool:  # type: ignore[override]
        """True when every layer is piecewise linear."""
        return all(op.is_piecewise_linear for op in self._layers())

    def _run(self, start: Any, shape: tuple[int, ...], layer: Any, merge: Any) -> tuple[Any, tuple[int, ...]]:
        values: dict[str, tuple[Any, tuple[int, ...]]] = {INPUT: (start, tuple(shape))}
        for name, op, inputs in self.nodes:
            if isinstance(op, Operator):
                value, in_shape = values[inputs[0]]
                values[name] = (layer(op, value, in_shape), tuple(op.output_shape(in_shape)))
            else:
                shapes = [values[i][1] for i in inputs]
                out_shape = op.output_shape(shapes)
                values[name] = (merge(op, [values[i][0] for i in inputs], shapes), out_shape)
        return values[self.nodes[-1][0]]

    def _apply(self, signal: Signal) -> Signal:
        return self._run(signal, signal.shape, lambda op, v, s: op(v), lambda m, vs, shapes: m(vs))[0]

    def encode(self, algebra: VectorAlgebra[V], values: V, shape: tuple[int, ...]) -> V:
        """Each layer's encoding, sums by ``algebra.add_vectors``, concatenations by ``algebra.concat``."""
        def merge(m: Merge, vs: list[V], shapes: list[tuple[int, ...]]) -> V:
            if isinstance(m, Add):
                return vs[0] if len(vs) == 1 else algebra.add_vectors(vs)
            return algebra.concat(vs, m.picks(shapes))

        return self._run(values, shape, lambda op, v, s: encode(op, algebra, v, s), merge)[0]

    def output_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        """The output node's shape for an input of shape ``shape``."""
        shape = (shape,) if isinstance(shape, int) else tuple(shape)
        return self._run(None, shape, lambda op, v, s: None, lambda m, vs, shapes: None)[1]

    def maps_reals_to_reals(self) -> bool:
        """True when every layer maps reals to reals (sums and concatenations do)."""
        return all(op.maps_reals_to_reals() for op in self._layers())

    def conventions(self) -> tuple[str, ...]:
        """The layers' conventions, in order, each once."""
        seen: dict[str, None] = {}
        for op in self._layers():
            if trusted_protocol(op, "conventions"):
                seen.update(dict.fromkeys(op.conventions()))
        return tuple(seen)

    def describe(self) -> str:
        """``Graph(name <- inputs: operation; ...)``.

        >>> from symequi.layers import Bias
        >>> Graph([("b", Bias(1), ("input",)), ("y", Add(), ("input", "b"))]).describe()
        'Graph(b <- input: bias 1; y <- input, b: add)'
        """
        parts = []
        for name, op, inputs in self.nodes:
            parts.append(f"{name} <- {brief(', '.join(inputs), str)}: {brief(op.describe(), str)}")
        return "Graph(" + "; ".join(parts) + ")"

    def latex(self) -> str:
        r"""LaTeX math: each node ``name <- inputs: operation``, a line may break between nodes.

        >>> from symequi.layers import Bias
        >>> print(Graph([("b", Bias(1), ("input",)), ("y", Add(), ("input", "b"))]).latex())
        \text{b} \leftarrow \text{input}\colon x \mapsto x + \left(1\right);\ \allowbreak \text{y} \leftarrow \text{input, b}\colon \text{add}
        """
        parts = []
        for name, op, inputs in self.nodes:
            body = op.latex() if isinstance(op, Operator) else r"\text{" + escape_latex(op.describe()) + "}"
            parts.append(rf"\text{{{escape_latex(name)}}} \leftarrow \text{{{escape_latex(', '.join(inputs))}}}\colon {body}")
        return r";\ \allowbreak ".join(parts)

    def __repr__(self) -> str:
        return self.describe()
