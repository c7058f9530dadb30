"""Exact linear algebra: row reduction and kernels with certified zero tests.

Matrices over QQ, an algebraic field QQ<a>, or polynomial rings / fraction
fields over them in free symbols (and at most one of pi, e) are reduced over
that exact domain with sympy's DomainMatrix (python-flint underneath for QQ);
anything else is eliminated with :func:`symequi.core.zero.zero_test` at every
pivot, and an undecided pivot raises :class:`UndecidedZeroError` instead of
guessing.

Example
-------
>>> exact_nullspace([[1, 1, 0], [0, 0, 1]])
[Matrix([
[-1],
[ 1],
[ 0]])]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sympy
from sympy.polys.matrices import DomainMatrix

from ..core.budget import time_budget
from ..core.errors import SymequiError
from ..core.exact import to_exact
from ..core.zero import zero_test
from ..core.texts import brief

__all__ = ["exact_rref", "exact_nullspace", "trusted_domain_matrix", "UndecidedZeroError"]


class UndecidedZeroError(SymequiError):
    """An elimination step needed a zero test that came back undecided.

    >>> issubclass(UndecidedZeroError, SymequiError)
    True
    """


# --------------------------------------------------------------------------------------
# exact elimination
# --------------------------------------------------------------------------------------
def _independent_generators(generators: Sequence[sympy.Expr]) -> bool:
    """True when the generators are algebraically independent over the algebraic
    numbers, so a polynomial in them is zero iff it is formally zero: free
    symbols (indeterminates), plus at most one of the transcendental constants
    pi and e (whether pi and e are algebraically independent is unknown)."""
    constants = [g for g in generators if not isinstance(g, sympy.Symbol)]
    return len(constants) <= 1 and all(g in (sympy.pi, sympy.E) for g in constants)


def trusted_domain_matrix(rows: list[list[sympy.Expr]], ncols: int) -> DomainMatrix | None:
    """A DomainMatrix over a domain whose zero test is exact, or None.

    Trusted: QQ, algebraic fields QQ<a>, and polynomial rings / fraction
    fields over them whose generators are plain symbols (free parameters,
    treated as indeterminates) and at most one of pi, e (transcendental).
    """
    nrows = len(rows)
    if nrows == 0 or ncols == 0:
        return DomainMatrix.zeros((nrows, ncols), sympy.QQ)
    try:
        dm = DomainMatrix.from_list_sympy(nrows, ncols, rows, extension=True)
    except Exception:  # construct_domain can fail on exotic entries: use the fallback
        return None
    domain = dm.domain
    if domain.is_QQ or domain.is_ZZ or domain.is_AlgebraicField:
        return dm.to_field()
    if (domain.is_PolynomialRing or domain.is_FractionField) and _independent_generators(domain.symbols):
        ground = domain.domain
        if ground.is_QQ or ground.is_ZZ or ground.is_AlgebraicField:
            return dm.to_field()
    return None


def _eliminate(rows: list[list[sympy.Expr]], ncols: int,
               budget: float | None) -> tuple[list[list[sympy.Expr]], tuple[int, ...]]:
    """Gauss-Jordan elimination with the exact zero test (fallback for EX entries)."""
    a = [[sympy.expand(v) for v in row] for row in rows]
    pivots: list[int] = []
    r = 0
    for c in range(ncols):
        pivot = None
        for i in range(r, len(a)):
            verdict, reason = zero_test(a[i][c], budget=budget)
            if verdict is None:
                raise UndecidedZeroError(f"could not decide whether the entry {brief(a[i][c], str)} is zero: {brief(reason, str)}")
            if verdict is False:
                pivot = i
                break
            a[i][c] = sympy.Integer(0)
        if pivot is None:
            continue
        a[r], a[pivot] = a[pivot], a[r]
        p = a[r][c]
        a[r] = [sympy.expand(v / p) for v in a[r]]
        for i in range(len(a)):
            if i != r and a[i][c] != 0:
                factor = a[i][c]
                a[i] = [sympy.expand(v - factor * w) for v, w in zip(a[i], a[r])]
                a[i][c] = sympy.Integer(0)
        pivots.append(c)
        r += 1
        if r == len(a):
            break
    return a, tuple(pivots)


def exact_rref(rows: Sequence[Sequence[Any]], *, budget: float | None = None) -> tuple[sympy.Matrix, tuple[int, ...]]:
    """Reduced row echelon form and pivot columns, with exact zero tests.

    Rational and algebraic matrices (and polynomial ones in free symbols)
    are reduced over their exact domain; anything else by elimination with
    :func:`symequi.core.zero.zero_test`.  Raises :class:`UndecidedZeroError`
    when a pivot's zero test is undecided.

    >>> exact_rref([[1, 2], [2, 4]])
    (Matrix([
    [1, 2],
    [0, 0]]), (0,))
    """
    data = [[to_exact(v, f"rows[{i}][{j}]") for j, v in enumerate(row)] for i, row in enumerate(rows)]
    ncols = len(data[0]) if data else 0
    with time_budget(budget, "exact row reduction"):
        dm = trusted_domain_matrix(data, ncols)
        if dm is not None:
            reduced, pivots = dm.rref()
            return reduced.to_Matrix(), tuple(pivots)
        reduced_rows, pivots = _eliminate(data, ncols, budget)
        return sympy.Matrix(reduced_rows), pivots


def exact_nullspace(rows: Sequence[Sequence[Any]], *, budget: float | None = None) -> list[sympy.Matrix]:
    """A basis of the kernel (column vectors), from :func:`exact_rref`.

    >>> exact_nullspace([[1, 1, 0], [0, 0, 1]])
    [Matrix([
    [-1],
    [ 1],
    [ 0]])]
    """
    ncols = len(rows[0]) if rows else 0
    reduced, pivots = exact_rref(rows, budget=budget)
    basis = []
    for free in (c for c in range(ncols) if c not in pivots):
        vec = [sympy.Integer(0)] * ncols
        vec[free] = sympy.Integer(1)
        for r, p in enumerate(pivots):
            vec[p] = -reduced[r, free]
        basis.append(sympy.Matrix(vec))
    return basis
