"""Finite-dimensional function classes with an explicit basis.

A :class:`FunctionClass` is the span of finitely many sympy functions of
``x``.  Restricted to such a class, a discretization ``D`` is a matrix and a
translation ``f -> f(x - delta)`` is (when the class is closed under it) a
matrix too, which is what the discretization square
(:mod:`symequi.deciders.discretization`) needs.

* :class:`Polynomials` -- ``1, x, ..., x**degree`` (closed under every translation);
* :class:`TrigPolynomials` -- ``1, cos(k w x), sin(k w x)`` for ``k <= degree``,
  ``w = 2 pi / period`` (periodic; closed under every translation);
* :class:`Span` -- your own basis, e.g. step functions built with
  :func:`symequi.heaviside`; closure under a translation is checked exactly;
* :class:`PiecewiseConstant` -- indicator functions of the pieces
  ``(p_i, p_{i+1}]`` of a bounded interval, zero outside it (not closed
  under any nonzero translation: the support moves).

Coordinates are exact; a function's membership is decided by exact zero
tests (:func:`symequi.core.zero.is_zero_function`), never by sampling alone.

Example
-------
>>> import sympy
>>> from symequi.functions.function_classes import Polynomials
>>> P = Polynomials(2)
>>> P.basis
(1, x, x**2)
>>> P.translation_matrix(1)
Matrix([
[1, -1,  1],
[0,  1, -2],
[0,  0,  1]])
>>> P.contains(x**2 - 3), P.contains(x**3)
(True, False)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sympy

from ..core.budget import time_budget
from .continuous import as_function, translate, x
from ..core.limits import check_degree
from ..core.errors import BudgetExceededError, InvalidArgumentError, NotClosedError
from ..core.texescape import check_latex_text, escape_latex
from ..core.exact import as_sympy, positive_int, to_exact, to_rational
from ..core.zero import is_zero, is_zero_function, rational_value, zero_test
from ..core.texts import brief, brief_latex

__all__ = ["FunctionClass", "Polynomials", "TrigPolynomials", "Span", "PiecewiseConstant"]


class FunctionClass:
    """The span of ``basis`` (sympy functions of ``x``).

    Subclasses fill in ``basis``, a description, and may override the exact
    translation matrix or the coordinate computation.

    Attributes
    ----------
    basis : tuple of sympy expressions in ``x``
    dimension : ``len(basis)``
    description : one line, used in verdicts
    description_latex : the same as LaTeX text (inline math); by default the
        description escaped as it is

    >>> V = FunctionClass([sympy.Integer(1), x], "affine functions")
    >>> V.dimension, V.contains(3 * x - 1), V.contains(x**2)
    (2, True, False)
    """

    def __init__(self, basis: Sequence[sympy.Expr], description: str, description_latex: str | None = None) -> None:
        self.basis: tuple[sympy.Expr, ...] = tuple(basis)
        self.description = description
        self.description_latex = (escape_latex(description) if description_latex is None
                                  else check_latex_text(description_latex, "description_latex"))
        self._points: list[sympy.Expr] | None = None
        self._inverse: sympy.Matrix | None = None

    @property
    def dimension(self) -> int:
        """The number of basis functions."""
        return len(self.basis)

    # --- elements and coordinates -------------------------------------------------------
    def element(self, coefficients: Sequence[Any]) -> sympy.Expr:
        """The function ``sum_j coefficients[j] * basis[j]``.

        >>> Polynomials(1).element([2, '1/2'])
        x/2 + 2
        """
        if len(coefficients) != self.dimension:
            raise InvalidArgumentError(
                f"coefficients has {len(coefficients)} entries; this class has dimension {brief(self.dimension, str)}"
            )
        coeffs = [to_exact(c, f"coefficients[{j}]") for j, c in enumerate(coefficients)]
        return sympy.Add(*(c * b for c, b in zip(coeffs, self.basis)))

    def _fast_coordinates(self, f: sympy.Expr) -> list[sympy.Expr] | bool | None:
        """Exact coordinates (a list) proved by construction, False if ``f`` is
        proved outside the class, None to use the generic method."""
        return None

    def _candidate_points(self) -> list[sympy.Expr]:
        """Points where the basis is evaluated to fit coordinates: small halves, centre out."""
        order = sorted(range(-2 * self.dimension - 2, 2 * self.dimension + 3), key=lambda k: (abs(k), k < 0))
        return [sympy.Rational(k, 2) for k in order]

    def _fit(self) -> tuple[list[sympy.Expr], sympy.Matrix]:
        """Evaluation points where the basis matrix is invertible, and its inverse."""
        if self._points is None:
            from ..arith.linalg import exact_rref

            chosen: list[sympy.Expr] = []
            rows: list[list[sympy.Expr]] = []
            for p in self._candidate_points():
                row = [as_sympy(b.subs(x, p)) for b in self.basis]
                if any(v.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo) for v in row):
                    continue
                _, pivots = exact_rref(rows + [row])
                if len(pivots) > len(rows):
                    chosen.append(p)
                    rows.append(row)
                if len(rows) == self.dimension:
                    break
            if len(rows) < self.dimension:
                raise InvalidArgumentError(
                    f"the basis of {brief(self.description, str)} is linearly dependent on every set of "
                    "sample points tried; pass linearly independent basis functions"
                )
            self._points = chosen
            self._inverse = sympy.Matrix(rows).inv()
        return self._points, self._inverse

    def coordinates(self, f: Any, *, budget: float | None = None) -> sympy.Matrix:
        """The exact coordinates of ``f`` in the basis (a column vector).

        Raises NotClosedError when ``f`` is not in the class, and
        InvalidArgumentError when membership could not be decided.

        >>> Polynomials(2).coordinates((x - 1)**2).T
        Matrix([[1, -2, 1]])
        """
        verdict, coords, reason = self._coordinates(as_function(f, "f"), budget)
        if verdict is True:
            return coords
        if verdict is False:
            raise NotClosedError(f"f={brief(f, str)} is not in {brief(self.description, str)}: {brief(reason, str)}")
        raise InvalidArgumentError(f"could not decide whether f={brief(f, str)} is in {brief(self.description, str)}: {brief(reason, str)}")

    def _coordinates(self, f: sympy.Expr, budget: float | None) -> tuple[bool | None, sympy.Matrix | None, str]:
        with time_budget(budget, f"coordinates in {brief(self.description, str)}"):
            fast = self._fast_coordinates(f)
            if fast is False:
                return False, None, "its exact form is outside the class"
            if isinstance(fast, list):
                return True, sympy.Matrix(fast), ""
            points, inverse = self._fit()
            values = sympy.Matrix([as_sympy(f.subs(x, p)) for p in points])
            coords = (inverse * values).applyfunc(_snap)
            residual = f - sum((c * b for c, b in zip(coords, self.basis)), sympy.Integer(0))
            verdict = is_zero_function(residual, x, budget=budget)
            if verdict is True:
                return True, coords.applyfunc(_tidy), ""
            if verdict is False:
                return False, None, f"it differs from its fit {self.element(list(coords))} somewhere"
            return None, None, f"the exact zero test of f - ({self.element(list(coords))}) was undecided"

    def contains(self, f: Any, *, budget: float | None = None) -> bool | None:
        """True if ``f`` is in the class, False if not, None if undecided.

        >>> Span([x, x**3]).contains(2*x - x**3), Span([x, x**3]).contains(x**2)
        (True, False)
        """
        return self._coordinates(as_function(f, "f"), budget)[0]

    # --- translation --------------------------------------------------------------------
    def translation_matrix(self, delta: Any, *, budget: float | None = None) -> sympy.Matrix:
        """The exact matrix ``T`` of ``f -> f(x - delta)`` in the basis.

        Column ``j`` holds the coordinates of ``basis[j](x - delta)``:
        ``translate(basis[j], delta) == sum_i T[i, j] * basis[i]``.  Raises
        NotClosedError when the translate leaves the class.

        >>> Span([sympy.exp(x)]).translation_matrix(2)
        Matrix([[exp(-2)]])
        """
        shift = to_exact(delta, "delta")
        columns = []
        for j, b in enumerate(self.basis):
            moved = translate(b, shift)
            verdict, coords, reason = self._coordinates(moved, budget)
            if verdict is not True:
                err = NotClosedError(
                    f"{self.description} is not closed under translation by delta={shift}: "
                    f"basis[{j}]({x} - {shift}) = {moved} "
                    + (f"is not in the class ({reason})" if verdict is False
                       else f"could not be shown to be in the class ({reason})")
                )
                err.undecided = verdict is None  # type: ignore[attr-defined]
                raise err
            columns.append(coords)
        return sympy.Matrix.hstack(*columns)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {brief(self.description, str)}>"


def _snap(value: sympy.Expr) -> sympy.Expr:
    """A numeric coordinate that is exactly a rational, as that rational (proved)."""
    value = sympy.expand(value)
    if value.is_Rational or not value.is_number:
        return value
    found = rational_value(value)
    return value if found is None else found


def _tidy(value: sympy.Expr) -> sympy.Expr:
    """A readable form of a coordinate (same value); keeps the input if simplification is slow."""
    value = sympy.expand(value)
    if value.is_Rational:
        return value
    try:
        with time_budget(2, "tidying a coordinate"):
            return sympy.simplify(value)
    except BudgetExceededError:
        return value


class Polynomials(FunctionClass):
    """Polynomials of degree <= ``degree`` in ``x``; basis ``1, x, ..., x**degree``.

    >>> Polynomials(3).dimension
    4
    """

    def __init__(self, degree: int) -> None:
        if isinstance(degree, int) and not isinstance(degree, bool) and degree == 0:
            self.degree = 0
        else:
            self.degree = check_degree(positive_int(degree, "degree"), "degree")
        super().__init__([x**k for k in range(self.degree + 1)],
                         f"polynomials of degree <= {brief(self.degree, str)}", f"polynomials of degree $\\le {self.degree}$")

    def _fast_coordinates(self, f: sympy.Expr) -> list[sympy.Expr] | bool | None:
        if not f.is_polynomial(x):
            return None
        poly = sympy.Poly(sympy.expand(f), x)
        if poly.degree() > self.degree:
            lead = poly.LC()
            if zero_test(lead)[0] is False:
                return False
            return None
        coeffs = list(reversed(poly.all_coeffs()))
        return coeffs + [sympy.Integer(0)] * (self.dimension - len(coeffs))

    def translation_matrix(self, delta: Any, *, budget: float | None = None) -> sympy.Matrix:
        """Binomial expansion: ``T[i, j] = C(j, i) (-delta)**(j - i)`` for ``i <= j``.

        >>> Polynomials(1).translation_matrix(sympy.Symbol('s'))
        Matrix([
        [1, -s],
        [0,  1]])
        """
        shift = to_exact(delta, "delta")
        n = self.dimension
        return sympy.Matrix(n, n, lambda i, j: sympy.binomial(j, i) * (-shift) ** (j - i) if i <= j else 0)


class TrigPolynomials(FunctionClass):
    """Trigonometric polynomials of degree <= ``degree`` with period ``period``.

    Basis: ``1, cos(w x), sin(w x), ..., cos(d w x), sin(d w x)`` with
    ``w = 2 pi / period``: the band-limited periodic functions.  The domain is
    periodic (the real line modulo ``period``).

    >>> T = TrigPolynomials(1, 2)
    >>> T.basis
    (1, cos(pi*x), sin(pi*x))
    >>> T.translation_matrix('1/2')
    Matrix([
    [1, 0,  0],
    [0, 0, -1],
    [0, 1,  0]])
    """

    def __init__(self, degree: int, period: Any) -> None:
        if isinstance(degree, int) and not isinstance(degree, bool) and degree == 0:
            self.degree = 0
        else:
            self.degree = check_degree(positive_int(degree, "degree"), "degree")
        self.period = to_exact(period, "period")
        if self.period.is_positive is not True:
            raise InvalidArgumentError(
                f"period={brief(period)} must be positive (declare symbols positive=True)"
            )
        self.omega = 2 * sympy.pi / self.period
        basis: list[sympy.Expr] = [sympy.Integer(1)]
        for k in range(1, self.degree + 1):
            basis += [sympy.cos(k * self.omega * x), sympy.sin(k * self.omega * x)]
        super().__init__(basis, f"trigonometric polynomials of degree <= {brief(self.degree, str)} "
                                f"with period {brief(self.period, str)} (periodic domain)",
                         f"trigonometric polynomials of degree $\\le {self.degree}$ "
                         f"with period ${brief_latex(self.period)}$ (periodic domain)")

    def _fit(self) -> tuple[list[sympy.Expr], sympy.Matrix]:
        """Uniform nodes ``k P / n`` (``n = 2 degree + 1``): the inverse is the
        discrete Fourier transform, by discrete orthogonality."""
        if self._points is None:
            n = 2 * self.degree + 1
            self._points = [self.period * sympy.Rational(k, n) for k in range(n)]
            rows = [[sympy.Rational(1, n)] * n]
            for m in range(1, self.degree + 1):
                rows.append([sympy.Rational(2, n) * sympy.cos(2 * sympy.pi * m * k / n) for k in range(n)])
                rows.append([sympy.Rational(2, n) * sympy.sin(2 * sympy.pi * m * k / n) for k in range(n)])
            self._inverse = sympy.Matrix(rows)
        return self._points, self._inverse

    def _fast_coordinates(self, f: sympy.Expr) -> list[sympy.Expr] | bool | None:
        """Rewrite in exponentials; each term must be ``c * exp(i m w x)`` with ``|m| <= degree``."""
        expanded = sympy.expand(sympy.powsimp(sympy.expand(f.rewrite(sympy.exp))))
        modes: dict[int, sympy.Expr] = {}
        for term in sympy.Add.make_args(expanded):
            coeff, dep = term.as_independent(x, as_Add=False)
            if dep == 1:
                m = 0
            elif isinstance(dep, sympy.exp):
                ratio = sympy.simplify(dep.args[0] / (sympy.I * self.omega * x))
                if not ratio.is_Integer or abs(int(ratio)) > self.degree:
                    return None
                m = int(ratio)
            else:
                return None
            modes[m] = modes.get(m, sympy.Integer(0)) + coeff
        coords = [modes.get(0, sympy.Integer(0))]
        for k in range(1, self.degree + 1):
            plus, minus = modes.get(k, 0), modes.get(-k, 0)
            coords += [plus + minus, sympy.I * (plus - minus)]
        return [sympy.expand(as_sympy(c).rewrite(sympy.cos)) for c in coords]

    def translation_matrix(self, delta: Any, *, budget: float | None = None) -> sympy.Matrix:
        """Rotation blocks: ``cos(k w (x - d)) = cos(k w d) cos(k w x) + sin(k w d) sin(k w x)``.

        >>> TrigPolynomials(1, 4).translation_matrix(1)[1:, 1:]
        Matrix([
        [0, -1],
        [1,  0]])
        """
        shift = to_exact(delta, "delta")
        n = self.dimension
        T = sympy.zeros(n, n)
        T[0, 0] = 1
        for k in range(1, self.degree + 1):
            c, s = sympy.cos(k * self.omega * shift), sympy.sin(k * self.omega * shift)
            i = 2 * k - 1
            T[i, i], T[i + 1, i] = c, s
            T[i, i + 1], T[i + 1, i + 1] = -s, c
        return T


class Span(FunctionClass):
    """The span of your own basis functions of ``x``.

    Useful for step functions with a break inside a cell, built with
    :func:`symequi.heaviside` (``H(0) = 0``).  Whether a translate stays in
    the span is checked exactly.

    >>> from symequi.functions.continuous import heaviside
    >>> V = Span([1, heaviside(x - sympy.Rational(1, 4))])
    >>> V.dimension
    2
    >>> V.translation_matrix(0)
    Matrix([
    [1, 0],
    [0, 1]])
    """

    def __init__(self, basis: Sequence[Any], *, name: str | None = None) -> None:
        if isinstance(basis, (str, sympy.Basic)) or not isinstance(basis, Sequence) or len(basis) == 0:
            raise InvalidArgumentError("basis must be a non-empty list of functions of x, e.g. [1, x]")
        functions = [as_function(b, f"basis[{j}]") for j, b in enumerate(basis)]
        description = name or "span of [" + ", ".join(map(str, functions)) + "]"
        # a name is the caller's text (escaped); the basis is math
        latex = None if name else r"span of $\left[" + ", ".join(map(sympy.latex, functions)) + r"\right]$"
        super().__init__(functions, description, latex)

    def _candidate_points(self) -> list[sympy.Expr]:
        from ..core.zero import breakpoints_of

        breaks: set[sympy.Expr] = set()
        for b in self.basis:
            found = breakpoints_of(sympy.piecewise_fold(b), x) if b.has(sympy.Piecewise) else []
            breaks.update(found or [])
        ordered = sorted((p for p in breaks if p.is_Rational), key=lambda p: p)
        points: list[sympy.Expr] = []
        if ordered:
            edges = [ordered[0] - 1, *ordered, ordered[-1] + 1]
            points += [(p + q) / 2 for p, q in zip(edges, edges[1:])]
            points += ordered
        return points + super()._candidate_points()


class PiecewiseConstant(FunctionClass):
    """Piecewise-constant functions on ``interval = (a, b)``, zero outside.

    The pieces are ``(a, p_1], (p_1, p_2], ..., (p_k, b]`` for the strictly
    increasing ``breakpoints`` inside ``(a, b)``; the basis is their
    indicator functions (right-closed, consistent with ``H(0) = 0``).  Not
    closed under any nonzero translation: the support ``(a, b]`` moves.

    >>> V = PiecewiseConstant(['-1/4'], (-1, 1))
    >>> V.dimension, V.basis[0].subs(x, -1), V.basis[0].subs(x, sympy.Rational(-1, 4))
    (2, 0, 1)
    """

    def __init__(self, breakpoints: Sequence[Any], interval: Sequence[Any]) -> None:
        if not isinstance(interval, Sequence) or isinstance(interval, str) or len(interval) != 2:
            raise InvalidArgumentError(f"interval={brief(interval)} must be a pair (a, b) of rationals with a < b")
        a, b = (to_rational(v, f"interval[{i}]") for i, v in enumerate(interval))
        if not a < b:
            raise InvalidArgumentError(f"interval={brief(interval)} must have a < b")
        if isinstance(breakpoints, (str, sympy.Basic)) or not isinstance(breakpoints, Sequence):
            raise InvalidArgumentError("breakpoints must be a list of rationals inside the interval")
        points = [to_rational(p, f"breakpoints[{i}]") for i, p in enumerate(breakpoints)]
        edges = [a, *points, b]
        for i, (p, q) in enumerate(zip(edges, edges[1:])):
            if not p < q:
                raise InvalidArgumentError(
                    f"breakpoints={brief(list(brief(item, str) for item in points), str)} must increase strictly and lie inside "
                    f"the interval ({brief(a, str)}, {brief(b, str)}); check entry {brief(max(i - 1, 0), str)}"
                )
        self.interval = (a, b)
        self.breakpoints = tuple(points)
        self.edges = tuple(edges)
        basis = [sympy.Piecewise((1, (x > p) & (x <= q)), (0, True)) for p, q in zip(edges, edges[1:])]
        text = ", ".join(brief(item, str) for item in points) or "none"
        breaks = ", ".join(brief_latex(p) for p in points)
        super().__init__(basis, f"piecewise-constant functions on ({brief(a, str)}, {brief(b, str)}] with breaks at "
                                f"{brief(text, str)} (zero outside)",
                         f"piecewise-constant functions on $\\left({brief_latex(a)}, {brief_latex(b)}\\right]$ "
                         f"with breaks at " + (f"${breaks}$" if points else "none") + " (zero outside)")

    def _candidate_points(self) -> list[sympy.Expr]:
        return [(p + q) / 2 for p, q in zip(self.edges, self.edges[1:])]

    def translation_matrix(self, delta: Any, *, budget: float | None = None) -> sympy.Matrix:
        """The identity for ``delta = 0``; any other translation leaves the class.

        >>> PiecewiseConstant([], (0, 1)).translation_matrix(0)
        Matrix([[1]])
        """
        shift = to_exact(delta, "delta")
        verdict = is_zero(shift, budget=budget)
        if verdict is True:
            return sympy.eye(self.dimension)
        a, b = self.interval
        err = NotClosedError(
            f"{self.description} is not closed under translation by delta={shift}"
            + (" (unless delta = 0)" if verdict is None or shift.free_symbols else "")
            + f": the translate of a function supported in ({a}, {b}] is supported in "
            f"({a} + delta, {b} + delta], where functions of the class vanish"
        )
        err.undecided = verdict is None  # type: ignore[attr-defined]
        raise err
