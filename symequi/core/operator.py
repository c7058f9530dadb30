"""The Operator protocol shared by layers and discrete translations.

An :class:`Operator` maps a :class:`~symequi.core.signal.Signal` to a Signal.
It is the one layer protocol: each layer states, in its own class, what every
decider needs, and the deciders ask the protocol, never ``isinstance`` tables.

* ``is_linear`` and :meth:`Operator.matrix` / :meth:`Operator.sparse_rows` /
  :meth:`Operator.columns`: the exact matrix of a linear operator (by default
  read off the operator applied to the unit signals, built once per shape and
  shared by every decider);
* :meth:`Operator.circulant_taps`: the taps of a 1-D operator that is a
  periodic convolution by its definition (the circulant fast path of the
  linear decider), None when it is not one;
* ``is_piecewise_linear`` and :meth:`Operator.encode`: what the operator
  computes, in the primitives of a :class:`~symequi.core.encoding.VectorAlgebra`
  (linear maps, offsets, piecewise-linear and polynomial activations, window
  maxima); the SMT decider reads it as z3 terms, the delta decider as
  polynomials in delta on cells;
* :meth:`Operator.permutation_lemma`: how the operator behaves under a
  permutation of entries (the compositional rule);
* :meth:`Operator.maps_reals_to_reals`, :meth:`Operator.parts` (the layers of
  a stack), :meth:`Operator.output_shape`, :meth:`Operator.conventions`,
  :meth:`Operator.describe` and :meth:`Operator.latex` for reports.

A protocol method that a class overrides is trusted only when that class also
owns the methods that compute the values (``semantic_methods``): a subclass
that changes ``_apply`` but inherits ``encode`` is refused by the deciders
(:func:`trusted_protocol`), so an inherited description can never vouch for
different values.

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
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import flint
import sympy
from sympy.polys.matrices import DomainMatrix

from .assumptions import Assumptions
from .encoding import SparseRows, VectorAlgebra
from .errors import EncodingError, InvalidArgumentError
from .signal import Signal, check_shape, is_array_like, unravel_index
from .texescape import escape_latex
from .texts import brief

__all__ = ["Operator", "Sequential", "PermutationLemma", "as_signal", "circulant_taps", "encode", "trusted_protocol"]

V = TypeVar("V")
T = TypeVar("T")


@dataclass(frozen=True)
class PermutationLemma:
    """What a layer proves about itself under a permutation ``P`` of entries.

    ``proved`` says whether ``layer(P u) == P layer(u)`` holds for every input;
    ``name`` is the lemma (``"entrywise"``, ``"bias"``) and ``text`` one line
    of proof (or of why it fails).

    >>> PermutationLemma(True, "entrywise", "sigma(P u) = P sigma(u)").proved
    True
    """

    proved: bool
    name: str
    text: str


def _definer(kind: type, name: str) -> type | None:
    return next((k for k in kind.__mro__ if name in vars(k)), None)


def trusted_protocol(op: "Operator", method: str) -> bool:
    """True when ``op``'s ``method`` may be believed about ``op``'s values.

    The base class's defaults derive everything from ``_apply`` and are always
    trusted.  An override is trusted when it is defined in a class at or below
    the class that defines each of ``op.semantic_methods``, i.e. by the
    author of the values; symequi's own classes vouch for each other (a
    library fast path such as ``PolynomialActivation._apply_rational`` keeps
    the values that ``Pointwise`` describes), a user's subclass does not.

    >>> class Double(Operator):
    ...     is_linear = True
    ...     def _apply(self, s):
    ...         return s * 2
    >>> trusted_protocol(Double(), "encode")
    True
    """
    owner = _definer(type(op), method)
    if owner is None or owner is Operator:
        return True
    for name in op.semantic_methods:
        source = _definer(type(op), name)
        if source is None or issubclass(owner, source) or (is_library_class(owner) and is_library_class(source)):
            continue
        return False
    return True


def is_library_class(kind: type) -> bool:
    """True for symequi's own classes (whose fast paths vouch for each other), False for a
    user's subclass.

    >>> from symequi.layers.activations import ReLU
    >>> is_library_class(ReLU), is_library_class(type("Mine", (ReLU,), {"__module__": "my_layers"}))
    (True, False)
    """
    return kind.__module__.split(".")[0] == "symequi"


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
    #: The methods that compute the values (see :func:`trusted_protocol`).
    semantic_methods: tuple[str, ...] = ("_apply",)

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

    def _cached(self, key: tuple[Any, ...], build: Callable[[], T]) -> T:
        """``build()`` once per ``key`` for this operator (operators are immutable)."""
        cache = vars(self).setdefault("_protocol_cache", {}) if hasattr(self, "__dict__") else None
        if cache is None:
            return build()
        if key not in cache:
            cache[key] = build()
        return cache[key]

    def _columns(self, shape: tuple[int, ...]) -> list[Signal]:
        """The operator applied to each unit signal of ``shape`` (the matrix's columns)."""
        size = math.prod(shape)
        one = flint.fmpq_poly([1])
        columns = [self(Signal.from_poly(one.left_shift(i), shape)) for i in range(size)]
        out_shapes = {c.shape for c in columns}
        if len(out_shapes) > 1:
            raise InvalidArgumentError(
                f"{brief(self.describe(), str)} returned outputs of several shapes {brief(sorted(out_shapes), str)} on inputs "
                f"of shape={brief(shape, str)}; a linear operator must map one shape to one shape"
            )
        return columns

    def _require_linear(self) -> None:
        if not self.is_linear:
            raise InvalidArgumentError(
                f"{brief(self.describe(), str)} is not linear, so it has no matrix; decide squares with it "
                "by the SMT or search deciders"
            )

    def matrix(self, shape: tuple[int, ...] | int) -> DomainMatrix:
        """The exact matrix of a linear operator on inputs of shape ``shape``.

        Rows and columns index flat (row-major) entries.  The domain is QQ when
        every entry is rational; otherwise the domain sympy constructs for the
        entries (an algebraic field such as QQ<sqrt(2)>, a polynomial ring, or EX).
        Built once per shape and shared by every decider.

        >>> from symequi.layers.convolution import Convolution
        >>> Convolution([1, -1], padding="periodic").matrix(3).to_Matrix()
        Matrix([
        [ 1,  0, -1],
        [-1,  1,  0],
        [ 0, -1,  1]])
        """
        self._require_linear()
        dims = check_shape(shape)
        return self._cached(("matrix", dims), lambda: self._matrix_from_columns(dims))

    def _matrix_from_columns(self, shape: tuple[int, ...]) -> DomainMatrix:
        size = math.prod(shape)
        columns = self.columns(shape)
        rows = columns[0].size if columns else 0
        if all(c.domain == "QQ" for c in columns):
            qq = sympy.QQ
            to_qq = (lambda v: v) if qq.dtype is flint.fmpq else (lambda v: qq(int(v.p), int(v.q)))
            entries = [c.flat_fmpqs() for c in columns]
            data = [[to_qq(entries[j][i]) for j in range(size)] for i in range(rows)]
            return DomainMatrix(data, (rows, size), qq)
        exprs = [c.flat_exprs() for c in columns]
        return DomainMatrix.from_list_sympy(rows, size, [[exprs[j][i] for j in range(size)] for i in range(rows)])

    def sparse_rows(self, shape: tuple[int, ...] | int) -> tuple[SparseRows, tuple[int, ...]]:
        """The rational matrix as sparse rows ``[(column, coefficient), ...]``, and the output shape.

        Each column is read sparsely from its python-flint polynomial, so a
        banded operator costs O(N) Python steps.  Built once per shape.
        Raises EncodingError when an entry is not rational.

        >>> from symequi.layers.convolution import Convolution
        >>> rows, out = Convolution([1, -1], padding="periodic").sparse_rows(3)
        >>> [[(j, str(c)) for j, c in row] for row in rows], out
        ([[(0, '1'), (2, '-1')], [(0, '-1'), (1, '1')], [(1, '-1'), (2, '1')]], (3,))
        """
        self._require_linear()
        dims = check_shape(shape)
        return self._cached(("rows", dims), lambda: self._sparse_rows_from_columns(dims))

    def _sparse_rows_from_columns(self, shape: tuple[int, ...]) -> tuple[SparseRows, tuple[int, ...]]:
        rows: SparseRows | None = None
        out_shape = tuple(self.output_shape(shape))
        one = flint.fmpq_poly([1])
        for j in range(math.prod(shape)):
            column = self(Signal.from_poly(one.left_shift(j), shape))
            if rows is None:
                out_shape = column.shape
                rows = [[] for _ in range(column.size)]
            elif column.shape != out_shape:
                raise InvalidArgumentError(
                    f"{brief(self.describe(), str)} returned outputs of several shapes {brief(sorted({out_shape, column.shape}), str)} "
                    f"on inputs of shape={brief(shape, str)}; a linear operator must map one shape to one shape"
                )
            if column.domain != "QQ":
                bad = next(e for e in column.flat_exprs() if not e.is_Rational)
                raise EncodingError(
                    f"{brief(self.describe(), str)} is linear but its matrix on shape {brief(shape, str)} has the non-rational "
                    f"(irrational or symbolic) entry {brief(bad, str)} (column {j}); this decider needs rational coefficients. Use the linear "
                    "decider or the search decider"
                )
            for i, c in _nonzero_coefficients(column.flat_poly()):
                rows[i].append((j, c))
        for row in rows or []:
            row.sort(key=lambda entry: entry[0])
        return rows or [], out_shape

    def columns(self, shape: tuple[int, ...] | int) -> tuple[Signal, ...]:
        """The columns of the exact matrix as signals of the output shape (column ``j`` is the
        operator applied to the ``j``-th unit signal, flat row-major order).

        Read off :meth:`sparse_rows` when the matrix is rational (each column a python-flint
        polynomial), otherwise the operator applied to each unit signal (the columns the
        default :meth:`matrix` is built from).  Built once per shape and shared.

        >>> from symequi.layers.convolution import Convolution
        >>> Convolution([1, -1], padding="periodic").columns(3)
        (Signal([1, -1, 0]), Signal([0, 1, -1]), Signal([-1, 0, 1]))
        """
        self._require_linear()
        dims = check_shape(shape)
        return self._cached(("columns", dims), lambda: self._columns_from_matrix(dims))

    def _columns_from_matrix(self, shape: tuple[int, ...]) -> tuple[Signal, ...]:
        try:
            rows, out_shape = self.sparse_rows(shape)
        except EncodingError:       # irrational or symbolic entries: the operator on each unit signal
            return tuple(self._columns(shape))
        return tuple(Signal.from_poly(p, out_shape) for p in _column_polys(rows, math.prod(shape)))

    def circulant_taps(self, n: int) -> Mapping[int, Any] | None:
        """The taps ``{m: h_m}`` when, on a 1-D periodic axis of length ``n``, the operator is by
        its definition the periodic convolution ``out_j = sum_m h_m u_{(j-m) mod n}`` (a
        circulant matrix); None when it is not one or does not say (the default).

        The values are exact: python-flint rationals, sympy numbers, or elements of an exact
        field the deciders convert (``symequi.arith.cyclotomic.CyclotomicElement``).  The
        linear decider's circulant fast path reads them through :func:`circulant_taps`.

        >>> from symequi.translations import shift
        >>> shift('1/4', method='linear').circulant_taps(8)
        {0: 3/4, 1: 1/4}
        >>> Operator().circulant_taps(8) is None
        True
        """
        return None

    def encode(self, algebra: VectorAlgebra[V], values: V, shape: tuple[int, ...]) -> V:
        """What the operator computes, in the primitives of ``algebra`` (see :mod:`symequi.core.encoding`).

        The default encodes a linear operator by its rational matrix; other
        operators refuse with an EncodingError.  Layers override it.

        >>> from symequi.core.encoding import VectorAlgebra
        >>> class Rows(VectorAlgebra):
        ...     def linear(self, values, rows, out_size):
        ...         return rows
        >>> class Double(Operator):
        ...     is_linear = True
        ...     def _apply(self, s):
        ...         return s * 2
        >>> [[(j, str(c)) for j, c in row] for row in Double().encode(Rows(), None, (2,))]
        [[(0, '2')], [(1, '2')]]
        """
        if self.is_linear:
            rows, out_shape = self.sparse_rows(shape)
            return algebra.linear(values, rows, math.prod(out_shape))
        raise EncodingError(
            f"{brief(algebra.name, str)} cannot encode {brief(self.describe(), str)}: it is not linear and describes no "
            "piecewise-linear or polynomial structure (use the search decider)"
        )

    def permutation_lemma(self, shape: tuple[int, ...], pi: tuple[int, ...],
                          assumptions: Assumptions | None = None) -> PermutationLemma | None:
        """A proof (or refutation) that the operator commutes with the permutation ``pi`` of entries,
        ``(P u)_j = u_{pi[j]}``, from the operator's own structure, for the symbols' values in
        ``assumptions``; None when it has no such lemma (the compositional rule then decides the
        one-layer square with an exact decider).

        >>> Operator().permutation_lemma((2,), (1, 0)) is None
        True
        """
        return None

    def maps_reals_to_reals(self) -> bool:
        """Certified: real inputs give real outputs (default: piecewise linear with rational parameters).

        >>> Operator().maps_reals_to_reals()
        False
        """
        return bool(self.is_piecewise_linear)

    def parts(self) -> tuple["Operator", ...]:
        """The layers this operator is composed of, first applied first (itself for a single layer).

        >>> op = Operator()
        >>> op.parts() == (op,)
        True
        """
        return (self,)

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
        return brief(self)

    def latex(self) -> str:
        r"""A LaTeX description (defaults to the plain text in \text{}).

        >>> Operator().latex()
        '\\text{Operator()}'
        """
        return r"\text{" + escape_latex(self.describe()) + "}"

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
    state = {k: v for k, v in getattr(obj, "__dict__", {}).items() if k != "_protocol_cache"}
    new = {k: _substitute_value(v, values) for k, v in state.items()}
    if all(new[k] is state[k] for k in state):
        return obj
    clone = copy.copy(obj)
    clone.__dict__.update(new)
    clone.__dict__.pop("_protocol_cache", None)  # the matrices cached for the symbols' old values
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
                    f"operators[{i}]={brief(op)} is not a symequi layer or operator"
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

    def parts(self) -> tuple[Operator, ...]:
        """The layers, nested stacks flattened (when their own ``parts`` is trusted).

        >>> class Id(Operator):
        ...     def _apply(self, s):
        ...         return s
        >>> a, b = Id(), Id()
        >>> Sequential(a, Sequential(b)).parts() == (a, b)
        True
        """
        flat: list[Operator] = []
        for op in self.operators:
            flat.extend(op.parts() if trusted_protocol(op, "parts") else (op,))
        return tuple(flat)

    def encode(self, algebra: VectorAlgebra[V], values: V, shape: tuple[int, ...]) -> V:
        """Each operator's encoding in turn (see :meth:`Operator.encode`)."""
        for op in self.operators:
            values = encode(op, algebra, values, shape)
            shape = tuple(op.output_shape(shape))
        return values

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


def encode(op: Operator, algebra: VectorAlgebra[V], values: V, shape: tuple[int, ...]) -> V:
    """``op.encode(algebra, values, shape)`` when it is trusted (:func:`trusted_protocol`),
    otherwise an EncodingError: the entry point deciders use.

    >>> from symequi.core.encoding import VectorAlgebra
    >>> class Odd(Operator):
    ...     def _apply(self, s):
    ...         return s
    >>> encode(Odd(), VectorAlgebra(), [], (1,))
    Traceback (most recent call last):
    ...
    symequi.core.errors.EncodingError: this decider cannot encode Odd(): it is not linear and describes no piecewise-linear or polynomial structure (use the search decider)
    """
    if not trusted_protocol(op, "encode"):
        owner = _definer(type(op), "encode") or Operator
        raise EncodingError(
            f"{brief(op.describe(), str)} overrides how its values are computed ({brief(', '.join(op.semantic_methods), str)}) "
            f"but inherits its description for the deciders from {owner.__name__}; "
            "define encode() in the same class (or use the search decider)"
        )
    if len(op.parts()) > 1 or isinstance(op, Sequential):
        return op.encode(algebra, values, shape)
    try:
        return op.encode(algebra, values, shape)
    except EncodingError as err:  # name the layer a primitive was refused for
        text = brief(err, str)
        if op.describe() in text:
            raise
        raise EncodingError(f"layer {brief(op.describe(), str)}: {brief(text, str)}") from None


def circulant_taps(op: Operator, n: int) -> Mapping[int, Any] | None:
    """``op.circulant_taps(n)`` when it is trusted (:func:`trusted_protocol`), otherwise None:
    the entry point deciders use, so a subclass that computes its values another way never
    inherits a circulant description.

    >>> from symequi.translations import IntegerShift
    >>> circulant_taps(IntegerShift(1), 4)
    {1: 1}
    >>> class Doubled(IntegerShift):
    ...     def _apply(self, s):
    ...         return super()._apply(s) * 2
    >>> circulant_taps(Doubled(1), 4) is None
    True
    """
    if not trusted_protocol(op, "circulant_taps"):
        return None
    return op.circulant_taps(n)


def _column_polys(rows: SparseRows, size: int) -> list[flint.fmpq_poly]:
    """The columns of a sparse-rows matrix with ``size`` columns as polynomials (coefficient ``i``
    = entry ``i``): sparse columns as sums of monomials, dense ones from their coefficient lists."""
    entries: list[list[tuple[int, flint.fmpq]]] = [[] for _ in range(size)]
    for i, row in enumerate(rows):
        for j, c in row:
            entries[j].append((i, c))
    polys = []
    for column in entries:
        if len(column) <= _SPARSE_STEPS:
            poly = flint.fmpq_poly()
            for i, c in column:
                poly += flint.fmpq_poly([c]).left_shift(i)
        else:
            coeffs = [flint.fmpq(0)] * (column[-1][0] + 1)
            for i, c in column:
                coeffs[i] = c
            poly = flint.fmpq_poly(coeffs)
        polys.append(poly)
    return polys


def _nonzero_coefficients(poly: flint.fmpq_poly) -> list[tuple[int, flint.fmpq]]:
    """``(index, value)`` of the nonzero coefficients of ``poly``: O(nonzeros) steps for sparse
    polynomials (peeling the leading term), one scan for dense ones."""
    found: list[tuple[int, flint.fmpq]] = []
    for _ in range(_SPARSE_STEPS):
        if poly.is_zero():
            return found
        d = poly.degree()
        found.append((d, poly[d]))
        poly = poly.truncate(d)
    found.extend((i, c) for i, c in enumerate(poly.coeffs()) if c)
    return found


_SPARSE_STEPS = 16
