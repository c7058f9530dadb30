"""Decider 1: linear algebra.

When the operator ``A`` and both translations are linear, the square commutes
iff the commutator ``A G - G' A`` is the zero matrix.  Its column ``i`` is
``A(g(e_i)) - g'(A(e_i))`` for the unit input ``e_i``: :func:`decide_linear`
reads ``g(e_i)`` and ``A(e_i)`` off the operators' shared exact matrices (the
layer protocol's :meth:`~symequi.core.operator.Operator.columns`, built once
and cached on each operator), applies the other map, and tests the difference
exactly (:mod:`symequi.core.zero`): all zero is a proof for *every* input
(linearity), and the first nonzero column is an exact counterexample.  When
all three matrices are rational the columns are products of python-flint
polynomials.  Kernels and signals may
hold sympy symbols: a column is then zero when it vanishes identically in the
symbols.

A 1-D square whose translation has irrational taps (the band-limited shift by
a rational number of cells, ...) and whose operator has a rational matrix is
decided first by :mod:`symequi.deciders.circulant`: exactly in a cyclotomic field, and,
when the operator is verified circulant, from one commutator column (the
commutator of circulants is circulant).  ``circulant=False`` turns this off.

This module also holds :class:`MatrixOperator` (an exact matrix acting on
flat signals); exact elimination lives in :mod:`symequi.arith.linalg`.

Example
-------
>>> from symequi.deciders.linear import MatrixOperator, decide_linear
>>> from symequi.core.square import Square
>>> roll = MatrixOperator([[0, 0, 1], [1, 0, 0], [0, 1, 0]])          # periodic shift by 1
>>> circ = MatrixOperator([[1, 3, 2], [2, 1, 3], [3, 2, 1]])          # a circulant matrix
>>> decide_linear(Square(circ, roll, input_shape=3)).kind
'proved'
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import flint
import sympy
from sympy.polys.matrices import DomainMatrix

from ..core.assumptions import Assumptions
from ..core.budget import time_budget
from .circulant import circulant_verdict
from ..core.errors import BudgetExceededError, EncodingError, InvalidArgumentError
from ..core.exact import sympy_to_fmpq, to_exact
from ..core.operator import Operator, unravel_index
from ..core.signal import Signal
from ..core.square import Square
from ..core.texescape import Phrase
from ..core.verdict import Counterexample, Proved, Undecided, Verdict
from ..core.zero import zero_test
from ..arith.linalg import trusted_domain_matrix
from ..core.texts import brief, brief_latex

__all__ = ["MatrixOperator", "commutator_matrix", "decide_linear"]


# --------------------------------------------------------------------------------------
# MatrixOperator
# --------------------------------------------------------------------------------------
class MatrixOperator(Operator):
    """An exact matrix acting on the flat (row-major) entries of a signal.

    Parameters
    ----------
    matrix : nested list of exact entries, a sympy Matrix or a DomainMatrix
        (rows x columns); entries may be symbolic.
    name : optional one-line description used in verdicts.
    output_shape : shape of the outputs (default ``(rows,)``).

    >>> g = MatrixOperator([[0, 1], [1, 0]], name="swap")
    >>> g(Signal([1, '1/2']))
    Signal([1/2, 1])
    >>> g.matrix(2).to_Matrix()
    Matrix([
    [0, 1],
    [1, 0]])
    """

    is_linear = True

    def __init__(self, matrix: Any, *, name: str | None = None,
                 output_shape: tuple[int, ...] | None = None) -> None:
        if isinstance(matrix, DomainMatrix):
            matrix = matrix.to_Matrix()
        if isinstance(matrix, sympy.MatrixBase):
            rows = matrix.tolist()
        elif isinstance(matrix, (list, tuple)) and matrix and all(isinstance(r, (list, tuple)) for r in matrix):
            rows = [list(r) for r in matrix]
        else:
            raise InvalidArgumentError(
                f"matrix={brief(matrix)} must be a nested list, a sympy Matrix or a DomainMatrix"
            )
        ncols = len(rows[0]) if rows else 0
        if not rows or ncols == 0 or any(len(r) != ncols for r in rows):
            raise InvalidArgumentError("matrix must be a non-empty rectangular array (all rows the same length)")
        entries = [[to_exact(v, f"matrix[{i}][{j}]") for j, v in enumerate(r)] for i, r in enumerate(rows)]
        self.entries: sympy.ImmutableMatrix = sympy.ImmutableMatrix(entries)
        self.rational = all(v.is_Rational for v in self.entries)
        self._dm = (DomainMatrix(
            [[sympy.QQ.convert(v) for v in r] for r in entries], self.entries.shape, sympy.QQ)
            if self.rational else DomainMatrix.from_list_sympy(*self.entries.shape, entries))
        n_rows, n_cols = self.entries.shape
        self._fmpq_mat: flint.fmpq_mat | None = (
            flint.fmpq_mat(n_rows, n_cols, [sympy_to_fmpq(v) for v in self.entries]) if self.rational else None)
        self.name = name
        rows_, _ = self.entries.shape
        self._output_shape = tuple(output_shape) if output_shape is not None else (rows_,)
        if math.prod(self._output_shape) != rows_:
            raise InvalidArgumentError(f"output_shape={brief(output_shape)} does not hold {brief(rows_, str)} entries")

    @property
    def is_piecewise_linear(self) -> bool:  # type: ignore[override]
        """Rational matrices are linear real arithmetic (the SMT decider can encode them)."""
        return self.rational

    @property
    def shape(self) -> tuple[int, int]:
        """``(rows, columns)``."""
        return self.entries.shape

    def _apply(self, signal: Signal) -> Signal:
        rows, cols = self.entries.shape
        if signal.size != cols:
            raise InvalidArgumentError(
                f"signal has {brief(signal.size, str)} entries but this {brief(rows, str)}x{brief(cols, str)} matrix needs {brief(cols, str)}"
            )
        mat = self._fmpq_mat  # set exactly when self.rational
        if mat is not None and signal.domain == "QQ":
            out = mat * flint.fmpq_mat(cols, 1, signal.flat_fmpqs())
            return Signal.from_fmpqs([out[i, 0] for i in range(rows)], self._output_shape)
        vec = sympy.Matrix(signal.flat_exprs())
        out = self.entries * vec
        return Signal.from_exprs([sympy.expand(v) for v in out], self._output_shape)

    def output_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        if math.prod(shape) != self.entries.shape[1]:
            raise InvalidArgumentError(
                f"inputs of shape {brief(tuple(shape), str)} have {brief(math.prod(shape), str)} entries; this matrix takes "
                f"{brief(self.entries.shape[1], str)}"
            )
        return self._output_shape

    def matrix(self, shape: tuple[int, ...] | int | None = None) -> DomainMatrix:
        """The matrix itself (``shape``, if given, must match its column count)."""
        if shape is not None:
            self.output_shape((shape,) if isinstance(shape, int) else tuple(shape))
        return self._dm

    def substitute(self, values: Any) -> "MatrixOperator":
        """The matrix with its symbols replaced by ``values`` (rebuilt, so its exact forms agree)."""
        if not self.entries.free_symbols & set(values):
            return self
        return MatrixOperator(self.entries.xreplace(dict(values)), name=self.name, output_shape=self._output_shape)

    def conventions(self) -> tuple[str, ...]:
        return (Phrase("matrix acts on the flat (row-major) entries of a signal",
                       "matrix acts on the flat (row-major) entries of a signal"),)

    def describe(self) -> str:
        rows, cols = self.entries.shape
        return self.name or f"MatrixOperator({brief(rows, str)}x{brief(cols, str)})"

    def latex(self) -> str:
        return brief_latex(self.entries)

    def __repr__(self) -> str:
        return f"MatrixOperator({brief(self.entries.tolist())})"


# --------------------------------------------------------------------------------------
# the commutator
# --------------------------------------------------------------------------------------
def _check_linear_square(square: Any) -> Square:
    if not isinstance(square, Square):
        raise InvalidArgumentError(f"square must be a symequi Square, not {type(square).__name__}")
    for role, op in (("operator", square.operator), ("g", square.g), ("g_out", square.g_out)):
        if not op.is_linear:
            raise InvalidArgumentError(
                f"the linear decider needs linear maps, but the square's {brief(role, str)} "
                f"{brief(op.describe(), str)} is not linear; use method='smt' or 'search'"
            )
    return square


def _rational_columns(op: Operator, shape: tuple[int, ...]
                      ) -> tuple[list[flint.fmpq_poly], list[list[tuple[int, flint.fmpq]]]] | None:
    """The columns of ``op``'s shared matrix as polynomials and as ``(row, value)`` lists, or None
    when the matrix is not rational."""
    try:
        rows, _ = op.sparse_rows(shape)
    except EncodingError:
        return None
    entries: list[list[tuple[int, flint.fmpq]]] = [[] for _ in range(math.prod(shape))]
    for i, row in enumerate(rows):
        for j, c in row:
            entries[j].append((i, c))
    return [c.flat_poly() for c in op.columns(shape)], entries


def _combination(columns: list[flint.fmpq_poly], coefficients: list[tuple[int, flint.fmpq]]) -> flint.fmpq_poly:
    """``sum_k c_k columns[k]``: the matrix whose columns these are, times a sparse vector."""
    total = flint.fmpq_poly()
    for k, c in coefficients:
        total += columns[k] * c
    return total


def _commutator_columns(square: Square) -> Iterator[tuple[int, Signal, Signal]]:
    """``(i, A(g(e_i)), g_out(A(e_i)))`` for every flat input index ``i``, lazily.

    ``g(e_i)`` and ``A(e_i)`` are the columns of the operators' shared matrices; when all three
    matrices are rational (and the square has no symbols) both products are sums of columns
    (python-flint polynomials), otherwise the other map is applied to the column."""
    shape, out_shape = square.input_shape, square.output_shape
    exact = None if square.free_symbols else [
        _rational_columns(op, s) for op, s in ((square.g, shape), (square.operator, shape),
                                               (square.g_out, out_shape))]
    if exact is not None and all(part is not None for part in exact):
        (_, g_entries), (a_polys, a_entries), (g_out_polys, _) = exact  # type: ignore[misc]
        for i in range(math.prod(shape)):
            left = _combination(a_polys, g_entries[i])         # A G e_i
            right = _combination(g_out_polys, a_entries[i])    # G' A e_i
            yield i, Signal.from_poly(left, out_shape), Signal.from_poly(right, out_shape)
        return
    g_columns, a_columns = square.g.columns(shape), square.operator.columns(shape)
    for i in range(math.prod(shape)):
        yield i, square.operator(g_columns[i]), square.g_out(a_columns[i])


def commutator_matrix(square: Square, *, budget: float | None = None) -> DomainMatrix:
    """The exact matrix of ``A g - g' A`` (rows: flat outputs, columns: flat inputs).

    >>> roll = MatrixOperator([[0, 1], [1, 0]])
    >>> commutator_matrix(Square(MatrixOperator([[1, 2], [0, 1]]), roll, input_shape=2)).to_Matrix()
    Matrix([
    [2,  0],
    [0, -2]])
    """
    square = _check_linear_square(square)
    with time_budget(budget, "the commutator matrix"):
        columns = [left - right for _, left, right in _commutator_columns(square)]
    rows = columns[0].size
    exprs = [c.flat_exprs() for c in columns]
    data = [[sympy.expand(exprs[j][i]) for j in range(len(columns))] for i in range(rows)]
    if all(c.domain == "QQ" for c in columns):
        return DomainMatrix([[sympy.QQ.convert(v) for v in r] for r in data], (rows, len(columns)), sympy.QQ)
    return DomainMatrix.from_list_sympy(rows, len(columns), data)


def _column_zero(diff: Signal, budget: float | None, assumptions: Assumptions | None = None
                 ) -> tuple[bool | None, str]:
    if diff.domain == "QQ":
        return diff.flat_poly() == 0, ""
    undecided = ""
    for k, entry in enumerate(diff.flat_exprs()):
        verdict, reason = zero_test(entry, budget=budget, assumptions=assumptions)
        if verdict is False:
            return False, ""
        if verdict is None:
            undecided = f"entry {k} = {entry}: {reason}"
    return (None, undecided) if undecided else (True, "")


def decide_linear(square: Square, *, budget: float | None = None, circulant: bool = True) -> Verdict:
    """Decide a linear square exactly by its commutator, one basis input at a time.

    Returns Proved (every column zero: the square commutes for every input,
    and for every value of the symbols in the kernels), a Counterexample (a
    unit input whose two paths differ, with both outputs), or Undecided (a
    zero test or the time budget could not settle a column).

    With ``circulant=True`` (default) a 1-D square whose translation has
    irrational taps (a band-limited shift by a rational ``s``, ...) and whose
    operator has a rational matrix is first decided by
    :func:`symequi.deciders.circulant.decide_circulant`: exactly in a cyclotomic field,
    and with one commutator column when the operator is verified circulant.
    ``circulant=False`` forces the generic column-by-column path.

    >>> shift = MatrixOperator([[0, 0, 1], [1, 0, 0], [0, 1, 0]])
    >>> v = decide_linear(Square(MatrixOperator([[1, 0, 0], [0, 2, 0], [0, 0, 3]]), shift, input_shape=3))
    >>> v.kind, v.input
    ('counterexample', Signal([1, 0, 0]))
    """
    square = _check_linear_square(square)
    statement = square.statement
    conventions = square.conventions()
    undecided: list[str] = []
    symbols: set[sympy.Symbol] = set()
    try:
        with time_budget(budget, "the linear decider"):
            fast = circulant_verdict(square) if circulant else None
            if fast is not None:
                return fast
            for column, left, right in _commutator_columns(square):
                symbols |= left.free_symbols | right.free_symbols
                verdict, reason = _column_zero(left - right, budget, square.assumptions)
                if verdict is not False:
                    if verdict is None:
                        undecided.append(f"column {column}: {reason}")
                    continue
                e = Signal.unit(square.input_shape, unravel_index(column, square.input_shape))
                note = {"note": f"a unit input: the commutator's column {column} is nonzero"}
                if left.free_symbols or right.free_symbols or square.free_symbols:
                    # certified at a point of the assumed set, and re-run there
                    witness = square.witness(e, decider="linear", details=note)
                    if witness is not None:
                        return witness
                    undecided.append(f"column {column}: nonzero on the assumed set, but not reproduced "
                                     "at a rational point")
                    continue
                diff = (left - right).map(sympy.expand)
                return Counterexample(
                    statement, input=e, lhs=left, rhs=right, difference=diff,
                    decider="linear", conventions=conventions, details=note,
                )
    except BudgetExceededError as err:
        return Undecided(statement, reason=str(err), decider="linear", conventions=conventions)
    if undecided:
        return Undecided(statement, reason="the exact zero test was undecided for " + "; ".join(undecided),
                         decider="linear", conventions=conventions)
    holds_for = f"every input of shape {square.input_shape} (linear, so the basis suffices)"
    if symbols:
        names = ", ".join(sorted(map(str, symbols)))
        assumed = square.assumptions.describe(symbols)
        holds_for += f", for all values of {names}" + (f" in the assumed set ({assumed})" if assumed else "")
    return Proved(statement, holds_for=holds_for, decider="linear", conventions=conventions)

