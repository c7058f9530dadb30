"""Certified cell integrals: a closed form from sympy is checked, never trusted.

sympy's definite integrals can pick a wrong branch of ``log``, ``polylog`` or
``Ei`` (``integrate(log(x + 2)/(x + 3), (x, 0, 1))`` comes back complex), or
return a finite number for a divergent integral.  Every cell value that comes
from a symbolic antiderivative is therefore compared with a rigorous
enclosure of the integral before it is returned:

* the enclosure is python-flint's ``acb.integral`` (arb ball arithmetic, with
  certified error bounds) of the integrand, written as a ball function by
  :func:`symequi.core.zero.arb_ball` (which also checks holomorphy where the
  integrator asks for it: branch cuts, ``|x|``, ``Piecewise`` switches); a
  piecewise integrand is cut at its breakpoints first;
* at an endpoint singularity the integral is split: ``[p + eps, r]`` is
  enclosed by arb, and the tail ``[p, p + eps]`` is ``F(p + eps) - lim F``
  for an antiderivative ``F`` proved exactly (``F' - f`` is exactly zero,
  :func:`~symequi.core.zero.is_zero`, and ``F`` is continuous there); a
  singularity with ``(x - p) f(x)`` not tending to 0 is not integrable, and
  is refused as divergent;
* the closed form is evaluated as a ball too; the two balls must overlap while
  both are narrow (radius below ``2^-60`` relative), and an integral that may
  be real must have a closed form whose imaginary part is proved zero.

Anything that cannot be certified raises
:class:`~symequi.core.errors.IntegrationError` naming the cell, why, and what
to do.  Overlapping narrow balls do not *prove* the closed form equal to the
integral, but a wrong branch (an error of ``i pi log 2`` or a sign) cannot
pass: the balls are narrower than 18 digits (typically 30).

Example
-------
>>> import sympy
>>> from symequi.core.symbols import x
>>> f = sympy.log(x + 2) / (x + 3)
>>> wrong = sympy.integrate(f, (x, 0, 1))  # sympy's value: complex, for a real integral
>>> try:
...     certify_integral(wrong, f, [(x, 0, 1)], cell="cell 0 = [0, 1]")
... except IntegrationError as err:
...     print(str(err)[136:])
disagrees with the certified enclosure 0.2588709565 (the closed form is 0.2588709565 + 1.807559771j): ...
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import flint
import sympy
from sympy.calculus.util import continuous_domain

from ..core.errors import BudgetExceededError, IntegrationError
from ..core.zero import arb_ball, breakpoints_of, branch_at, sample_value, UnsupportedExpression, zero_test
from ..core.texts import brief
from .sympy_integrals import IntegrationFailed, integral

__all__ = ["certify_integral", "cell_enclosure", "check_closed_form"]

#: Working precision (bits) of the enclosures and of the closed-form balls.
PREC = 128
#: A ball is narrow when its radius is below ``2^-NARROW`` times ``max(1, |midpoint|)``.
NARROW = 60
#: The integrator's tolerance (bits): well below NARROW.
_TOL = 100
#: Rectangles (nested integrals, slow at a discontinuity): tolerance and narrowness in bits.
_TOL_2D = 40
NARROW_2D = 30
#: The integrator's evaluation limit (per segment).
_EVALS = 100_000
#: An endpoint singularity at ``p`` is split off at ``p + (width) 2^-_TAIL``.
_TAIL = 40


class _Divergent(IntegrationError):
    """The integral is not finite: a non-integrable singularity at ``point``."""

    def __init__(self, point: sympy.Expr, reason: str) -> None:
        super().__init__(reason)
        self.point = point
        self.reason = reason


# --------------------------------------------------------------------------------------
# balls
# --------------------------------------------------------------------------------------
def _with_prec(prec: int, thunk: Any) -> Any:
    old = flint.ctx.prec
    flint.ctx.prec = prec
    try:
        return thunk()
    finally:
        flint.ctx.prec = old


def _narrow(ball: flint.acb, bits: int = NARROW) -> bool:
    if not ball.is_finite():
        return False
    size = ball.abs_upper()
    if size < 1:
        size = flint.arb(1)
    return bool(ball.rad() < flint.arb(2) ** -bits * size)


def _value_ball(value: sympy.Expr) -> flint.acb | None:
    """The closed form as a narrow ball (trying higher precision), or None."""
    for prec in (PREC, 4 * PREC):
        try:
            ball = _with_prec(prec, lambda: arb_ball(value))
        except (UnsupportedExpression, ZeroDivisionError, ValueError, ArithmeticError):
            return None
        if _narrow(ball):
            return ball
    return None


def _number(value: sympy.Expr | int) -> flint.acb:
    """An exact grid number (an edge, a scale) as a ball."""
    expr = sympy.Integer(value) if isinstance(value, int) else value
    return _with_prec(PREC, lambda: arb_ball(expr))


class _Integrand:
    """``f`` as the ball function python-flint's integrator calls.  An exception inside the
    callback (the budget running out, an unsupported function) cannot cross the C code: it
    is kept, the callback returns a non-finite ball, and :meth:`integrate` raises it after."""

    def __init__(self, f: sympy.Expr, env: dict) -> None:
        self.f = f
        self.env = env
        self.error: BaseException | None = None

    def arb_ball(self, analytic: bool) -> flint.acb:
        if self.error is not None:
            return _NAN
        try:
            return arb_ball(self.f, self.env, bool(analytic))
        except (ZeroDivisionError, ValueError, ArithmeticError):
            return _NAN
        except BaseException as err:  # noqa: BLE001 - re-raised by integrate()
            self.error = err
            return _NAN

    def integrate(self, func: Any, lo: flint.acb, hi: flint.acb, limit: int, bits: int = _TOL) -> flint.acb:
        tol = flint.arb(2) ** -bits
        result = flint.acb.integral(func, lo, hi, rel_tol=tol, abs_tol=tol, eval_limit=limit)
        if self.error is not None:
            raise self.error
        return result


_NAN = flint.acb("nan")


def _arb_integral(f: sympy.Expr, var: sympy.Symbol, lo: sympy.Expr, hi: sympy.Expr) -> flint.acb:
    """arb's enclosure of the integral of ``f`` over the segment ``[lo, hi]`` (maybe non-finite)."""
    state = _Integrand(f, {})

    def integrand(z: flint.acb, analytic: bool) -> flint.acb:
        state.env[var] = z
        return state.arb_ball(analytic)

    return _with_prec(PREC, lambda: state.integrate(integrand, _number(lo), _number(hi), _EVALS))


# --------------------------------------------------------------------------------------
# enclosures of one cell
# --------------------------------------------------------------------------------------
def _limit_is_zero(expr: sympy.Expr, var: sympy.Symbol, p: sympy.Expr, side: str) -> bool:
    try:
        lim = sympy.limit(expr, var, p, side)
    except BudgetExceededError:
        raise
    except Exception:  # noqa: BLE001 - sympy raises many types on limits it cannot do
        return False
    return lim == 0


def antiderivatives(f: sympy.Expr, var: sympy.Symbol) -> Iterator[sympy.Expr]:
    """sympy's closed-form antiderivatives of ``f``: first without Meijer-G integration (sympy
    tries it before ``manualintegrate``, often several times slower for the same answer), then
    with every method; an attempt that fails or leaves an ``Integral`` gives nothing.  Nothing
    here is proved: callers check each one.

    >>> next(antiderivatives(sympy.sin(sympy.Symbol('t')), sympy.Symbol('t')))
    -cos(t)
    """
    for meijerg in (False, None):
        F = integral(f, var, meijerg=meijerg)
        if not isinstance(F, IntegrationFailed) and not F.has(sympy.Integral):
            yield F


def _proved_antiderivative(f: sympy.Expr, var: sympy.Symbol,
                           given: sympy.Expr | None) -> sympy.Expr | None:
    """``given`` (already proved), or sympy's antiderivative with ``F' - f`` proved exactly zero."""
    if given is not None:
        return given
    for F in antiderivatives(f, var):
        if zero_test(sympy.diff(F, var) - f)[0] is True:
            return F
    return None


def _tail(f: sympy.Expr, var: sympy.Symbol, p: sympy.Expr, q: sympy.Expr, side: str,
          antiderivative: sympy.Expr | None) -> flint.acb | None:
    """The integral from the singular point ``p`` to ``q`` (``side`` '+': p < q; '-': q < p)
    as ``+-(F(q) - lim_{x -> p} F)``; divergent if ``(x - p) f`` does not tend to 0."""
    if not _limit_is_zero((var - p) * f, var, p, side):
        raise _Divergent(p, f"(x - {brief(p, str)}) f(x) does not tend to 0 as x -> {brief(p, str)}, so |f| is at "
                            "least c/|x - p| there")
    F = _proved_antiderivative(f, var, antiderivative)
    if F is None:
        return None
    segment = flint.acb(flint.arb.union(_number(p).real, _number(q).real))
    try:
        holomorphic = _with_prec(PREC, lambda: arb_ball(F, {var: segment}, True)).is_finite()
    except (UnsupportedExpression, ZeroDivisionError, ValueError, ArithmeticError):
        holomorphic = False
    if holomorphic:  # F is holomorphic on a ball around [p, q]: the tail is F(q) - F(p)
        ball = _value_ball(F.subs(var, q) - F.subs(var, p))
        if ball is not None:
            return ball if side == "+" else -ball
    try:
        limit = sympy.limit(F, var, p, side)
        piece = sympy.Interval(p, q) if side == "+" else sympy.Interval(q, p)
        inside = piece - sympy.FiniteSet(p)
        continuous = inside.is_subset(continuous_domain(F, var, piece)) is True
    except BudgetExceededError:
        raise
    except Exception:  # noqa: BLE001 - not proved, so not used
        return None
    if not continuous:
        return None
    if limit.has(sympy.oo, -sympy.oo, sympy.zoo, sympy.nan, sympy.AccumBounds):
        raise _Divergent(p, f"an antiderivative tends to {brief(limit, str)} there")
    tail = F.subs(var, q) - limit
    ball = _value_ball(tail)
    if ball is None:
        return None
    return ball if side == "+" else -ball


def _piece_enclosure(f: sympy.Expr, var: sympy.Symbol, lo: sympy.Expr, hi: sympy.Expr,
                     singular: Sequence[sympy.Expr], antiderivative: sympy.Expr | None, *,
                     tried: bool = False) -> flint.acb | None:
    """The integral over ``[lo, hi]`` (``f`` analytic inside, maybe singular at the ends;
    ``tried``: arb already failed on the whole piece)."""
    if not tried:
        whole = _arb_integral(f, var, lo, hi)
        if _narrow(whole):
            return whole
    ends = [(p, side) for p, side in ((lo, "+"), (hi, "-")) if any(p == s for s in singular)]
    if not ends:
        return None
    eps = (hi - lo) / 2**_TAIL
    left = lo + eps if any(side == "+" for _, side in ends) else lo
    right = hi - eps if any(side == "-" for _, side in ends) else hi
    total = _arb_integral(f, var, left, right)
    if not _narrow(total):
        return None
    for p, side in ends:
        tail = _tail(f, var, p, left if side == "+" else right, side, antiderivative)
        if tail is None:
            return None
        total += tail
    return total


def cell_enclosure(f: sympy.Expr, var: sympy.Symbol, lo: sympy.Expr, hi: sympy.Expr, *,
                   singular: Sequence[sympy.Expr] | Callable[[], Sequence[sympy.Expr]] = (),
                   antiderivative: sympy.Expr | None = None) -> flint.acb | None:
    """A narrow rigorous ball containing the integral of ``f`` over ``[lo, hi]``, or None.

    ``singular``: the points of ``[lo, hi]`` where ``f`` may be singular, or a
    function giving them (called only when arb cannot enclose a piece; the
    piece is then cut there); ``antiderivative``: one proved for ``f`` (used for the
    tails at those points).  Raises ``_Divergent`` for a non-integrable
    singularity.

    >>> from symequi.core.symbols import x
    >>> cell_enclosure(sympy.sin(x), x, 0, sympy.pi)
    [2.00000000000000 +/- ...]
    """
    breaks = breakpoints_of(f, var) if f.has(sympy.Piecewise) else []
    if breaks is None:
        breaks = []  # unknown switching points: the ball Piecewise takes the union there
    cuts = _cut(lo, hi, breaks)
    total = flint.acb(0)
    for left, right in zip(cuts, cuts[1:]):
        g = f
        if breaks:
            try:
                g = branch_at(f, var, (left + right) / 2)
            except UnsupportedExpression:
                g = f
        given = antiderivative if g is f else None
        piece = _arb_integral(g, var, left, right)
        if not _narrow(piece):  # maybe singular: cut at the singular points, split off the tails
            if callable(singular):
                singular = list(singular())
            piece = flint.acb(0)
            finer = _cut(left, right, singular)
            for u, v in zip(finer, finer[1:]):
                part = _piece_enclosure(g, var, u, v, singular, given, tried=len(finer) == 2)
                if part is None:
                    return None
                piece += part
        total += piece
    return total


def _cut(lo: sympy.Expr, hi: sympy.Expr, points: Sequence[sympy.Expr]) -> list[sympy.Expr]:
    """``[lo, *points strictly inside, hi]``, left to right."""
    inner = {p for p in points if (p - lo).is_positive and (hi - p).is_positive}
    return [lo, *sorted(inner, key=lambda q: sympy.N(q, 30)), hi]


def _rectangle_enclosure(f: sympy.Expr, limits: Sequence[tuple]) -> flint.acb | None:
    """The double integral over ``[a, b] x [c, d]``: arb's integral in ``x`` of arb's
    integral in ``y`` (the inner one evaluated on balls of ``x``)."""
    (vy, c, d), (vx, a, b) = limits
    state = _Integrand(f, {})

    def inner(z: flint.acb, analytic: bool) -> flint.acb:
        def integrand(w: flint.acb, analytic_y: bool) -> flint.acb:
            state.env[vx], state.env[vy] = z, w
            return state.arb_ball(bool(analytic or analytic_y))
        if state.error is not None:
            return _NAN
        tol = flint.arb(2) ** -_TOL_2D
        return flint.acb.integral(integrand, _number(c), _number(d), rel_tol=tol, abs_tol=tol,
                                  eval_limit=_EVALS // 10)

    def run() -> flint.acb:
        return state.integrate(inner, _number(a), _number(b), _EVALS // 10, _TOL_2D)

    ball = _with_prec(PREC, run)
    return ball if _narrow(ball, NARROW_2D) else None


# --------------------------------------------------------------------------------------
# certification
# --------------------------------------------------------------------------------------
def _piecewise_polynomial(f: sympy.Expr, limits: Sequence[tuple]) -> bool:
    """A Piecewise of polynomials with rational coefficients, under conditions linear in the
    variables with rational coefficients (nested integrals of it are slow at the switches)."""
    if not f.has(sympy.Piecewise):
        return False
    variables = [lim[0] for lim in limits]
    rationals = sympy.QQ
    for pw in f.atoms(sympy.Piecewise):
        for branch, cond in pw.args:
            if not (branch.is_polynomial(*variables) and sympy.Poly(branch, *variables).domain == rationals
                    or branch.is_Rational):
                return False
            for rel in (cond.atoms(sympy.core.relational.Relational) if isinstance(cond, sympy.Basic) else ()):
                gap = sympy.expand(rel.lhs - rel.rhs)
                if not gap.is_polynomial(*variables) or sympy.Poly(gap, *variables).total_degree() > 1:
                    return False
    outside = f.replace(sympy.Piecewise, lambda *args: sympy.Integer(1))
    return outside.is_polynomial(*variables)


def _rational_value(value: sympy.Expr, what: str) -> sympy.Expr:
    """The integral of a rational piecewise polynomial over a rational rectangle is rational:
    sympy's polynomial integration has no branches to pick; a value that is not rational
    is refused."""
    if value.is_Rational:
        return value
    raise IntegrationError(
        f"{brief(what, str)} is the integral of a rational piecewise polynomial, so it is rational, but sympy "
        f"gave {brief(value, str)}; refused. Split the function into axis-aligned pieces"
    )


def _proved_real(value: sympy.Expr) -> bool:
    if value.is_extended_real is True:
        return True
    imaginary = sympy.im(sympy.expand_complex(value))
    return zero_test(imaginary, budget=None)[0] is True


def certify_integral(value: sympy.Expr, f: sympy.Expr, limits: Sequence[tuple], *, cell: str,
                     scale: sympy.Expr = sympy.Integer(1), singular: Any = (),
                     antiderivative: sympy.Expr | None = None) -> sympy.Expr:
    """``value`` (= ``scale`` times the integral of ``f`` over the cell), certified; or
    IntegrationError naming ``cell``.

    ``limits``: ``[(var, lo, hi)]`` (1-D) or ``[(y, c, d), (x, a, b)]`` (a rectangle).
    Returns ``value`` unchanged.

    >>> from symequi.core.symbols import x
    >>> certify_integral(sympy.log(2), 1 / x, [(x, 1, 2)], cell="cell 0 = [1, 2]")
    log(2)
    """
    what = f"the integral of f={brief(f, str)} over {brief(cell, str)}"
    parameters = (value.free_symbols | f.free_symbols) - {lim[0] for lim in limits}
    if parameters:  # a function of parameters: checked at sample values of them
        rng = random.Random(0)
        samples = []
        for _ in range(3):
            point = {p: sample_value(p, rng) for p in sorted(parameters, key=str)}
            if all(v is not None for v in point.values()):
                samples.append((point, list(limits), scale))
        if check_closed_form(value, f, samples, f"the closed form {brief(value, str)} of {what}") == 0:
            raise IntegrationError(
                f"the closed form {brief(value, str)} of {what} depends on {brief(sorted(brief(item, str) for item in parameters), str)} and could "
                "not be checked at any sample value of them, so it is not certified; substitute values"
            )
        return value
    value_ball = _value_ball(value)
    if value_ball is None:
        raise IntegrationError(
            f"the closed form {brief(value, str)} of {what} could not be evaluated as a narrow ball "
            "(a function the certifier does not know, or a singular value), so it is not certified; "
            "use PointSample, or an integrand with elementary closed-form integrals"
        )
    try:
        if len(limits) == 1:
            var, lo, hi = limits[0]
            enclosure = cell_enclosure(f, var, lo, hi, singular=singular, antiderivative=antiderivative)
        elif _piecewise_polynomial(f, limits):
            return _rational_value(value, what)
        else:
            enclosure = _rectangle_enclosure(f, limits)
    except _Divergent as err:
        raise IntegrationError(
            f"f={brief(f, str)} is singular at {brief(limits[0][0], str)} = {brief(err.point, str)}, in {brief(cell, str)}, and its integral there "
            f"diverges ({brief(err.reason, str)}); sympy's finite value {brief(value, str)} is wrong. Move the grid, or "
            "remove the singularity from the domain"
        ) from err
    except UnsupportedExpression as err:
        raise IntegrationError(
            f"{what} could not be certified: the integrand contains {brief(err, str)}, which the ball "
            "evaluator cannot handle; use PointSample, or an elementary integrand"
        ) from err
    if enclosure is None:
        raise IntegrationError(
            f"{what} could not be certified: arb's rigorous enclosure did not converge (f may be "
            "singular in the cell -- a non-integrable singularity, or one at a point sympy did not "
            "locate -- or too oscillatory); move the grid, refine it, or use PointSample"
        )
    enclosure = enclosure * _number(scale)
    if not value_ball.overlaps(enclosure):
        raise IntegrationError(
            f"the closed form {brief(value, str)} of {what} disagrees with the certified enclosure "
            f"{brief(enclosure.str(10, radius=False), str)} (the closed form is {brief(value_ball.str(10, radius=False), str)}): "
            "sympy's antiderivative takes a wrong branch there, so the value is refused; use PointSample, "
            "or split the integrand"
        )
    if not enclosure.imag.contains(0):
        return value  # a complex integral, and the closed form agrees with it
    if value_ball.imag.is_zero() or _proved_real(value):  # an exactly-zero imaginary ball proves it
        return value
    raise IntegrationError(
        f"the closed form {brief(value, str)} of {what} has an imaginary part that is not proved zero, and the "
        "integral may be real; it is not certified. Use PointSample, or an integrand with a real "
        "closed-form antiderivative"
    )


def singular_points(f: sympy.Expr, var: sympy.Symbol, lo: sympy.Expr, hi: sympy.Expr) -> list[sympy.Expr]:
    """The real points of ``[lo, hi]`` where ``f`` may be singular (1/x at 0, log at 0, ...),
    left to right.

    >>> from symequi.core.symbols import x
    >>> singular_points(1 / (x - sympy.Rational(3, 8)) + sympy.log(x), x, 0, 1)
    [0, 3/8]
    """
    domain = sympy.Interval(lo, hi)
    points: set = set()
    try:
        found = sympy.singularities(f, var, domain)
    except (NotImplementedError, TypeError, ValueError, AttributeError):
        found = sympy.EmptySet
    if isinstance(found, sympy.FiniteSet):
        points |= set(found)
    for base in [p.base for p in f.atoms(sympy.Pow) if p.exp.is_negative] + [g.args[0] for g in f.atoms(sympy.log)]:
        if base.has(var):
            try:
                zeros = sympy.solveset(base, var, domain)
            except (NotImplementedError, TypeError, ValueError):
                continue
            if isinstance(zeros, sympy.FiniteSet):
                points |= set(zeros)
    inside = [p for p in points if p.is_real and not ((p - lo).is_negative or (p - hi).is_positive)]
    # Sorted numerically only to report the leftmost singularity first (exact decisions elsewhere).
    return sorted(inside, key=lambda q: sympy.N(q, 30))


def brief_point(point: dict) -> str:
    """A substitution shown in a message, e.g. ``j = 1``."""
    return ", ".join(f"{brief(k, str)} = {brief(v, str)}" for k, v in sorted(point.items(), key=lambda kv: brief(kv[0], str)))


def check_closed_form(form: sympy.Expr, f: sympy.Expr, cells: Sequence[tuple[dict, list, sympy.Expr]],
                      what: str) -> int:
    """Check a closed form in a symbolic cell index against certified enclosures at concrete cells.

    ``cells``: triples ``(substitution, limits, scale)``: values for the index (and for
    any grid or function parameters), the concrete cell they give (``[(x, lo, hi)]`` or
    ``[(y, c, d), (x, a, b)]``) and the concrete scale (``1/dx`` for an average).
    A cell whose integral diverges, or where the closed form is not a finite number
    (``zoo``, ``nan``), is an error naming the cell: a closed form is never returned
    with a value where the integral has none.  A cell whose enclosure arb cannot
    compute is skipped.  Returns how many cells were checked; raises
    IntegrationError at the first disagreement.

    >>> from symequi.core.symbols import x
    >>> j = sympy.Symbol("j", integer=True)
    >>> check_closed_form(j + sympy.Rational(1, 2), x, [({j: k}, [(x, k, k + 1)], 1) for k in range(3)], "F")
    3
    """
    checked = 0
    for point, limits, scale in cells:
        value = form.xreplace(point)  # numbers for symbols: no rewriting (subs is slow on Min/Max)
        g = f.xreplace(point)
        variables = {lim[0] for lim in limits}
        if value.free_symbols or g.free_symbols - variables:
            continue
        where = " x ".join(f"[{brief(lo, str)}, {brief(hi, str)}]" for _, lo, hi in reversed(limits))
        try:
            if len(limits) == 1:
                var, lo, hi = limits[0]
                enclosure = cell_enclosure(g, var, lo, hi,
                                           singular=lambda: singular_points(g, var, lo, hi))  # noqa: B023
            else:
                enclosure = _rectangle_enclosure(g, limits)
        except _Divergent as err:
            raise IntegrationError(
                f"{brief(what, str)} is refused: at {brief(brief_point(point), str)} (cell {brief(where, str)}) the integral diverges "
                f"({brief(err.reason, str)}), so no closed form holds for every cell; use a grid whose cells avoid "
                "the singularity"
            ) from None
        except UnsupportedExpression:
            continue
        if value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
            raise IntegrationError(
                f"{brief(what, str)} is refused: at {brief(brief_point(point), str)} (cell {brief(where, str)}) it gives {brief(value, str)}, not a "
                "number; use the per-cell values on a concrete grid (Discretization(grid)(f))"
            )
        ball = _value_ball(value)
        if ball is None or enclosure is None:
            continue
        enclosure = enclosure * _number(scale)
        if not ball.overlaps(enclosure):
            raise IntegrationError(
                f"{brief(what, str)} is wrong at {brief(point, str)} (cell {brief(where, str)}): it gives {brief(value, str)}, about "
                f"{brief(ball.str(10, radius=False), str)}, but the certified value is about "
                f"{brief(enclosure.str(10, radius=False), str)}; sympy's antiderivative takes a wrong branch. Use "
                "the per-cell values on a concrete grid (Discretization(grid)(f))"
            )
        checked += 1
    return checked
