"""A predicate on a layer output, read as sign conditions on polynomials in delta.

:meth:`~symequi.delta.defect.PiecewiseInDelta.where` calls the user's predicate on the
output Signal (entries polynomial in :data:`~symequi.delta.cells.delta`) and
gets a sympy Boolean of (in)equalities.  A :class:`SignCondition` checks it,
turns every (in)equality ``lhs REL rhs`` into the polynomial ``lhs - rhs``
with rational coefficients, and decides the Boolean on a cell from the exact
signs of those polynomials there (cells split at their roots have constant
signs).

Example
-------
>>> from symequi.arith.real_algebraic import RealAlgebraic
>>> from symequi.delta.cells import DeltaCell, delta
>>> condition = SignCondition(sympy.And(delta**2 > sympy.Rational(1, 4), delta < 1))
>>> sorted(str(p) for p in condition.polys)
['x + (-1)', 'x^2 + (-1/4)']
>>> half = RealAlgebraic('1/2')
>>> condition.holds_on(DeltaCell(half, half, [])), condition.holds_on(DeltaCell(half, RealAlgebraic(1), []))
(False, True)
"""

from __future__ import annotations

from typing import Any

import sympy
from flint import fmpq_poly

from .cells import DeltaCell, delta
from ..core.errors import InvalidArgumentError
from ..arith.real_algebraic import fmpq_poly_from_sympy
from ..core.texts import brief

__all__ = ["SignCondition"]

_RELATIONS = {
    sympy.StrictGreaterThan: lambda s: s > 0,
    sympy.GreaterThan: lambda s: s >= 0,
    sympy.StrictLessThan: lambda s: s < 0,
    sympy.LessThan: lambda s: s <= 0,
    sympy.Equality: lambda s: s == 0,
    sympy.Unequality: lambda s: s != 0,
}


def _as_boolean(value: Any) -> sympy.Basic:
    if isinstance(value, bool):
        return sympy.true if value else sympy.false
    if isinstance(value, (sympy.logic.boolalg.Boolean, sympy.core.relational.Relational)):
        return value
    raise InvalidArgumentError(
        f"predicate returned {brief(value)}; it must return a bool or a sympy Boolean of (in)equalities in delta"
    )


def _atom_polys(condition: sympy.Basic) -> list[tuple[sympy.Basic, fmpq_poly]]:
    atoms = []
    for rel in condition.atoms(sympy.core.relational.Relational):
        if type(rel) not in _RELATIONS:
            raise InvalidArgumentError(f"predicate uses {brief(rel, str)}, which is not an (in)equality")
        diff = sympy.expand(rel.lhs - rel.rhs)
        if diff.free_symbols - {delta}:
            raise InvalidArgumentError(f"predicate atom {brief(rel, str)} has symbols other than delta")
        try:
            poly = sympy.Poly(diff, delta, domain=sympy.QQ)
        except (sympy.PolynomialError, sympy.polys.polyerrors.CoercionFailed) as err:
            raise InvalidArgumentError(
                f"predicate atom {brief(rel, str)} is not a polynomial (in)equality in delta with rational coefficients"
            ) from err
        atoms.append((rel, fmpq_poly_from_sympy(poly)))
    return atoms


class SignCondition:
    """A predicate's value (bool or sympy Boolean of polynomial (in)equalities in delta), checked.

    Attributes: ``condition`` (the sympy Boolean), ``polys`` (the polynomial
    ``lhs - rhs`` of every (in)equality, the critical polynomials to split
    cells at).  Raises InvalidArgumentError for anything else (non-polynomial
    atoms, other symbols, a value that is not a Boolean).

    >>> SignCondition(True).holds_on(None), SignCondition(delta > 0).polys
    (True, [x])
    """

    __slots__ = ("condition", "_atoms")

    def __init__(self, value: Any) -> None:
        self.condition = _as_boolean(value)
        self._atoms = _atom_polys(self.condition)

    @property
    def polys(self) -> list[fmpq_poly]:
        """The polynomial of every (in)equality in the condition."""
        return [p for _, p in self._atoms]

    def holds_on(self, cell: DeltaCell) -> bool:
        """Whether the condition holds on ``cell`` (where every atom polynomial has a constant sign)."""
        if not self._atoms:
            value = self.condition
        else:
            value = self.condition.xreplace({rel: sympy.true if _RELATIONS[type(rel)](cell.sign(p)) else sympy.false
                                             for rel, p in self._atoms})
        if value is sympy.true or value is True:
            return True
        if value is sympy.false or value is False:
            return False
        raise InvalidArgumentError(f"predicate gave {brief(value, str)}, which does not reduce to True/False")
