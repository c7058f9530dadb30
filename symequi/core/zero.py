"""Exact zero tests and certified signs: the ground truth of every decider.

A decider that says "the commutator is zero" must know that each entry *is*
zero, not that it prints as ``0`` after ``simplify`` (``simplify`` is not a
zero test) and not that a float is small.  This module answers

* :func:`is_zero` -- ``True`` (exactly zero), ``False`` (certified nonzero) or
  ``None`` (undecided);
* :func:`certify_sign` -- ``+1``, ``-1``, ``0`` or ``None`` for a real number;
* :func:`is_zero_signal` and :func:`is_zero_function` -- the same question for
  a :class:`~symequi.core.signal.Signal` and for a function of ``x`` (piecewise
  functions included).

How a number is decided, cheapest first:

1. rationals directly;
2. ball arithmetic (python-flint ``acb``): the expression is evaluated with
   rigorous error bounds at increasing precision; a ball that excludes 0 is a
   proof that the number is nonzero;
3. algebraic numbers -- radicals, and cos/sin of rational multiples of pi --
   by their minimal polynomial (``sympy.minimal_polynomial``): the number is
   zero iff its minimal polynomial is ``t``.  This settles identities such as
   ``sqrt(5 + 2*sqrt(6)) = sqrt(2) + sqrt(3)`` that no amount of numerics can.

A transcendental number (one involving pi, e, log, ...) can be certified
nonzero but never proved zero here: the answer is then ``None``.  Nothing in
this module compares floats.

An expression with free symbols is zero when it is *identically* zero, for all
values of the symbols allowed by their assumptions.  Given an assumed set
(``assumptions=``, a :class:`~symequi.core.assumptions.Assumptions`: intervals of
symbols, integrality, flags), the question becomes "zero at every point of
the set", and values are substituted only from inside the set
(:func:`find_nonzero_point` names such a point where an expression is
certified nonzero).

Example
-------
>>> import sympy
>>> from symequi.core.zero import is_zero, certify_sign
>>> is_zero(sympy.sqrt(5 + 2*sympy.sqrt(6)) - sympy.sqrt(2) - sympy.sqrt(3))
True
>>> is_zero(sympy.pi - sympy.Rational(355, 113))
False
>>> certify_sign(sympy.pi - sympy.Rational(355, 113))
-1
"""

from __future__ import annotations

import random
from fractions import Fraction
from collections.abc import Callable
from typing import Any, Protocol

import flint
import sympy

from .budget import time_budget
from .errors import BudgetExceededError, InvalidArgumentError, SymequiError
from .exact import to_exact
from .symbols import as_function
from .symbols import x as default_x
from .texts import brief

__all__ = ["is_zero", "certify_sign", "is_zero_function", "zero_test", "rational_value",
           "find_nonzero_point", "AssumedSet", "UnsupportedExpression"]


class AssumedSet(Protocol):
    """What the zero tests ask of an assumed set (implemented by
    :class:`symequi.core.assumptions.Assumptions`, which sits above this module)."""

    def sample(self, symbols: Any, rng: random.Random, count: int = 3) -> list[dict]:
        """Rational points inside the set."""

    def sample_in(self, sym: sympy.Symbol, lo: Any, hi: Any, rng: random.Random, count: int = 3) -> list:
        """Rational values of one symbol inside ``(lo, hi)`` and the set."""

    def interval_of(self, sym: sympy.Symbol) -> Any:
        """The interval (with ``lo``, ``hi``) the symbol is assumed in."""

    def is_integer(self, sym: sympy.Symbol) -> bool:
        """True when the symbol is assumed an integer."""

    def contains(self, point: Any) -> bool:
        """True when the point is certified inside the set."""

#: Precisions (bits) tried by the ball-arithmetic step, in order.
_PRECISIONS = (64, 256, 1024, 4096)
_t = sympy.Dummy("t")


class UnsupportedExpression(SymequiError):
    """The expression contains something the ball evaluator cannot handle (internal)."""


# --------------------------------------------------------------------------------------
# ball arithmetic
# --------------------------------------------------------------------------------------
def _arb_rational(value: sympy.Rational) -> flint.acb:
    return flint.acb(flint.arb(flint.fmpq(int(value.p), int(value.q))))


_UNARY: dict[type, Callable[[flint.acb], flint.acb]] = {
    # entire or meromorphic: holomorphic wherever the ball is finite
    sympy.exp: lambda z: z.exp(),
    sympy.sin: lambda z: z.sin(),
    sympy.cos: lambda z: z.cos(),
    sympy.tan: lambda z: z.tan(),
    sympy.cot: lambda z: z.cot(),
    sympy.sec: lambda z: z.sec(),
    sympy.csc: lambda z: z.csc(),
    sympy.sinh: lambda z: z.sinh(),
    sympy.cosh: lambda z: z.cosh(),
    sympy.tanh: lambda z: z.tanh(),
    sympy.coth: lambda z: z.coth(),
    sympy.sech: lambda z: z.sech(),
    sympy.csch: lambda z: z.csch(),
    sympy.gamma: lambda z: z.gamma(),
    sympy.erf: lambda z: z.erf(),
    sympy.erfc: lambda z: z.erfc(),
    sympy.erfi: lambda z: z.erfi(),
    sympy.Si: lambda z: z.si(),
    sympy.Shi: lambda z: z.shi(),
    sympy.fresnels: lambda z: z.fresnel_s(),
    sympy.fresnelc: lambda z: z.fresnel_c(),
    sympy.sinc: lambda z: z.sinc(),
}

#: Functions with branch cuts: ``(evaluate, cut)``; the function is holomorphic
#: on a ball ``z`` when ``cut(z)`` keeps off ``(-oo, 0]`` (checked with
#: ``log(cut(z), analytic=True)``, the test python-flint's integrator needs).
_BRANCHED: dict[type, tuple[Callable[[flint.acb], flint.acb], Callable[[flint.acb], flint.acb]]] = {
    sympy.log: (lambda z: z.log(), lambda z: z),
    sympy.asin: (lambda z: z.asin(), lambda z: 1 - z * z),
    sympy.acos: (lambda z: z.acos(), lambda z: 1 - z * z),
    sympy.atanh: (lambda z: z.atanh(), lambda z: 1 - z * z),
    sympy.atan: (lambda z: z.atan(), lambda z: 1 + z * z),
    sympy.asinh: (lambda z: z.asinh(), lambda z: 1 + z * z),
    sympy.acosh: (lambda z: z.acosh(), lambda z: z - 1),
    sympy.Ei: (lambda z: z.ei(), lambda z: z),
    sympy.li: (lambda z: z.li(), lambda z: z),
    sympy.Ci: (lambda z: z.ci(), lambda z: z),
    sympy.Chi: (lambda z: z.chi(), lambda z: z),
    sympy.loggamma: (lambda z: z.lgamma(), lambda z: z),
    sympy.LambertW: (lambda z: z.lambertw(), lambda z: z + flint.arb(-1).exp()),
}

#: Real functions of a real argument that are not holomorphic (``|x|``, ``sign x``, ...):
#: python-flint's ``real_*`` versions continue them analytically off the real axis.
_REAL_ONLY: dict[type, Callable[[flint.acb, bool], flint.acb]] = {
    sympy.Abs: lambda z, analytic: z.real_abs(analytic=analytic),
    sympy.sign: lambda z, analytic: z.real_sgn(analytic=analytic),
    sympy.floor: lambda z, analytic: z.real_floor(analytic=analytic),
    sympy.ceiling: lambda z, analytic: z.real_ceil(analytic=analytic),
}

_NAN = flint.acb(flint.arb("nan"), flint.arb("nan"))


def arb_ball(expr: sympy.Expr, env: dict | None = None, analytic: bool = False) -> flint.acb:
    """A rigorous complex ball containing the value of a numeric expression.

    With ``env`` (symbols to balls) the expression is a function evaluated on
    balls, as python-flint's ``acb.integral`` needs; ``analytic=True`` asks
    for a non-finite ball wherever the function is not holomorphic on the
    ball (branch cuts, ``|x|``, a ``Piecewise`` switching inside the ball).
    """
    if env is not None and expr.is_Symbol and expr in env:
        return env[expr]
    if expr.is_Rational:
        return _arb_rational(expr)
    if expr is sympy.pi:
        return flint.acb(flint.arb.pi())
    if expr is sympy.E:
        return flint.acb(flint.arb(1).exp())
    if expr is sympy.I:
        return flint.acb(0, 1)
    if expr is sympy.EulerGamma:
        return flint.acb(flint.arb.const_euler())
    if expr is sympy.Catalan:
        return flint.acb(flint.arb.const_catalan())
    if expr is sympy.GoldenRatio:
        return flint.acb((1 + flint.arb(5).sqrt()) / 2)
    if expr.is_Add:
        total = flint.acb(0)
        for arg in expr.args:
            total += arb_ball(arg, env, analytic)
        return total
    if expr.is_Mul:
        prod = flint.acb(1)
        for arg in expr.args:
            prod *= arb_ball(arg, env, analytic)
        return prod
    if expr.is_Pow:
        base, exponent = expr.args
        if exponent.is_Integer:
            b = arb_ball(base, env, analytic)
            n = int(exponent)
            return b ** n if n >= 0 else 1 / (b ** (-n))
        if exponent.is_Rational and base.is_Rational and base > 0:
            # real root of a positive rational: tighter than exp(log(.))
            root = flint.arb(flint.fmpq(int(base.p), int(base.q))).root(int(exponent.q))
            return flint.acb(root) ** int(exponent.p)
        if exponent == sympy.S.Half:
            return arb_ball(base, env, analytic).sqrt(analytic=analytic)
        return arb_ball(base, env, analytic).pow(arb_ball(exponent, env, analytic), analytic=analytic)
    if isinstance(expr, sympy.Piecewise) and env is not None:
        return _piecewise_ball(expr, env, analytic)
    args = expr.args
    func = _UNARY.get(type(expr))
    if func is not None and len(args) == 1:
        return func(arb_ball(args[0], env, analytic))
    branched = _BRANCHED.get(type(expr))
    if branched is not None and len(args) == 1:
        z = arb_ball(args[0], env, analytic)
        if analytic and not branched[1](z).log(analytic=True).is_finite():
            return _NAN
        return branched[0](z)
    if isinstance(expr, sympy.polylog) and not args[0].free_symbols:
        z = arb_ball(args[1], env, analytic)
        if analytic and not (1 - z).log(analytic=True).is_finite():
            return _NAN
        return z.polylog(arb_ball(args[0]))
    real_only = _REAL_ONLY.get(type(expr))
    if real_only is not None and len(args) == 1:
        z = arb_ball(args[0], env, analytic)
        if type(expr) is sympy.Abs and not analytic:
            return flint.acb(abs(z))
        if args[0].is_extended_real is not True:  # the real_* continuation would be wrong
            raise UnsupportedExpression(f"{type(expr).__name__} of {brief(args[0], str)}, not known to be real")
        return real_only(z, analytic)
    if type(expr) in (sympy.re, sympy.im) and len(args) == 1:
        if analytic:
            return _NAN
        z = arb_ball(args[0], env, analytic)
        return flint.acb(z.real if type(expr) is sympy.re else z.imag)
    raise UnsupportedExpression(type(expr).__name__)


def _truth(cond: Any, env: dict, analytic: bool) -> bool | None:
    """A condition of a Piecewise on balls: True, False, or None (it switches inside the ball)."""
    if cond is sympy.true or cond is True:
        return True
    if cond is sympy.false or cond is False:
        return False
    if isinstance(cond, sympy.Not):
        inner = _truth(cond.args[0], env, analytic)
        return None if inner is None else not inner
    if isinstance(cond, (sympy.And, sympy.Or)):
        parts = [_truth(c, env, analytic) for c in cond.args]
        decisive = isinstance(cond, sympy.Or)  # True decides an Or, False an And
        if decisive in parts:
            return decisive
        return None if None in parts else not decisive
    if isinstance(cond, sympy.core.relational.Relational):
        # the sign of the real part: on the real points of the ball it is the condition,
        # and a branch that holds on all of them continues analytically over the ball
        gap = arb_ball(cond.lhs - cond.rhs, env, analytic)
        if not gap.is_finite():
            return None
        g = gap.real
        op = cond.rel_op
        if op in ("<", "<="):
            g, op = -g, op.replace("<", ">")
        if op == ">":
            return True if g > 0 else (False if g <= 0 else None)
        if op == ">=":
            return True if g >= 0 else (False if g < 0 else None)
        if op == "==":
            return True if g == 0 else (False if not g.contains(0) else None)
        if op == "!=":
            return False if g == 0 else (True if not g.contains(0) else None)
    raise UnsupportedExpression(f"condition {brief(cond, str)}")


def _piecewise_ball(expr: sympy.Piecewise, env: dict, analytic: bool) -> flint.acb:
    """The branch that holds on the ball; where the branch may switch inside it, the union
    of the branches (a non-finite ball when ``analytic``)."""
    found = None
    for value, cond in expr.args:
        truth = _truth(cond, env, analytic)
        if truth is False:
            continue
        if truth is None and analytic:
            return _NAN
        ball = arb_ball(value, env, analytic)
        found = ball if found is None else found.union(ball)
        if truth is True:
            return found
    return _NAN if found is None else found  # no branch holds: f is undefined there


def _ball_at(expr: sympy.Expr, prec: int) -> flint.acb | None:
    old = flint.ctx.prec
    flint.ctx.prec = prec
    try:
        return arb_ball(expr)
    except UnsupportedExpression:
        return None
    except (ZeroDivisionError, ValueError, ArithmeticError):
        return None
    finally:
        flint.ctx.prec = old


def _excludes_zero(ball: flint.acb) -> bool:
    re, im = ball.real, ball.imag
    return (re.is_finite() and not re.contains(0)) or (im.is_finite() and not im.contains(0))


def _certified_nonzero(expr: sympy.Expr, precisions: tuple[int, ...]) -> bool:
    for prec in precisions:
        ball = _ball_at(expr, prec)
        if ball is None:
            return False
        if _excludes_zero(ball):
            return True
    return False


def certified_nonzero(expr: sympy.Expr, prec: int = 64) -> bool:
    """True when one rigorous ball of ``expr`` at ``prec`` bits excludes 0: a cheap, certified
    "these differ".  False says nothing (the number may still be nonzero); use
    :func:`zero_test` for a decision.

    >>> certified_nonzero(sympy.sqrt(2) - sympy.Rational(141, 100))
    True
    >>> certified_nonzero(sympy.sqrt(8) - 2 * sympy.sqrt(2)), certified_nonzero(sympy.Symbol('a'))
    (False, False)
    """
    return _certified_nonzero(expr, (prec,))


# --------------------------------------------------------------------------------------
# numbers
# --------------------------------------------------------------------------------------
#: What evaluating a value too large for any machine raises inside sympy and mpmath.
_TOO_LARGE = (OverflowError, MemoryError, RecursionError)


def _too_large(value: sympy.Expr, err: BaseException) -> str:
    return f"{brief(value, str)} is too large to evaluate ({type(err).__name__}: {brief(str(err), str)})"


def _numeric_zero(expr: sympy.Expr) -> tuple[bool | None, str]:
    """Zero test for an expression without free symbols (inside a budget)."""
    if expr.is_Rational:
        return expr == 0, "rational"
    if expr.is_Atom and expr.is_number and expr.is_zero is False:  # is_zero last: it can be slow on a big expression
        return False, "a nonzero constant"
    if _certified_nonzero(expr, _PRECISIONS[:2]):
        return False, "certified nonzero by ball arithmetic"
    try:
        poly = sympy.minimal_polynomial(expr, _t, polys=True)
    except BudgetExceededError:
        raise
    except Exception as err:  # NotAlgebraic, NotImplementedError, ... : not provably algebraic
        algebraic_reason = f"not recognised as algebraic ({type(err).__name__})"
    else:
        is_t = poly.degree() == 1 and poly.TC() == 0
        return is_t, "minimal polynomial " + str(poly.as_expr())
    if expr.has(sympy.pi):
        verdict = _zero_as_polynomial_in_pi(expr)
        if verdict is not None:
            return verdict
    try:
        if _certified_nonzero(expr, _PRECISIONS[2:]):
            return False, "certified nonzero by ball arithmetic"
        if sympy.simplify(expr) == 0:
            # rewriting preserves value, so reaching 0 proves zero (the converse fails)
            return True, "sympy rewrites it to 0"
    except _TOO_LARGE as err:  # e.g. exp(exp(exp(...))): too large to evaluate
        return None, _too_large(expr, err)
    return None, (
        f"{brief(expr, str)} is {algebraic_reason}, and ball arithmetic up to "
        f"{_PRECISIONS[-1]} bits could not separate it from 0"
    )


_PI = sympy.Dummy("pi")


def _zero_as_polynomial_in_pi(expr: sympy.Expr) -> tuple[bool, str] | None:
    """Decide ``expr`` as a rational function of pi with algebraic coefficients.

    pi is transcendental: a polynomial in pi whose coefficients are algebraic
    vanishes at pi only if every coefficient is 0.  Trig functions (whose
    arguments may contain pi) are kept whole as coefficients; the verdict
    "nonzero" is given only when every coefficient is proved algebraic.
    Returns None when this route does not decide.

    >>> _zero_as_polynomial_in_pi(sympy.sqrt(2) / sympy.pi - 2 * sympy.cos(sympy.pi / 4) / sympy.pi)[0]
    True
    """
    atoms = {f: sympy.Dummy() for f in expr.atoms(sympy.Function) if f.has(sympy.pi)}
    replaced = expr.xreplace(atoms).xreplace({sympy.pi: _PI})
    if replaced.has(sympy.pi):
        return None
    back = {d: f for f, d in atoms.items()}
    numer = sympy.together(replaced).as_numer_denom()[0]
    try:
        poly = sympy.Poly(sympy.expand(numer), _PI)
    except sympy.PolynomialError:
        return None
    coefficients = [c.xreplace(back) for c in poly.all_coeffs()]
    nonzero = None
    for c in coefficients:
        try:
            minimal = sympy.minimal_polynomial(c, _t, polys=True)
        except BudgetExceededError:
            raise
        except Exception:  # not provably algebraic: this route cannot decide
            return None
        if not (minimal.degree() == 1 and minimal.TC() == 0):
            nonzero = minimal
    if nonzero is not None:
        return False, ("a polynomial in pi with algebraic coefficients, not all 0 (one has "
                       f"minimal polynomial {nonzero.as_expr()}); pi is transcendental")
    return True, "every coefficient of its numerator, as a polynomial in pi, is 0"


def satisfies_flags(sym: sympy.Symbol, value: sympy.Rational) -> bool:
    """True when ``value`` meets every assumption declared on ``sym`` (even, positive, ...).

    A fact the value cannot settle counts as unmet, so only points the
    symbol may really take are used as witnesses.
    """
    for fact, truth in sym.assumptions0.items():
        if getattr(value, f"is_{fact}", None) is not truth:
            return False
    return True


def sample_value(sym: sympy.Symbol, rng: random.Random) -> sympy.Rational | None:
    """A nonzero rational value the symbol's assumptions allow, or None if none was found.

    Candidates are small integers and fractions of both signs; each is checked
    against every declared assumption (``even=True`` excludes 7, ``imaginary=True``
    excludes every rational), so a nonzero value at the point is a genuine witness.
    """
    for _ in range(40):
        if rng.random() < 0.5:
            value = sympy.Integer(rng.randint(1, 12))
        else:
            value = sympy.Rational(rng.randint(1, 97), rng.randint(1, 13))
        for candidate in ((value, -value) if rng.random() < 0.5 else (-value, value)):
            if satisfies_flags(sym, candidate):
                return candidate
    return None


def _sample_points(expr: sympy.Expr, symbols: list[sympy.Symbol], assumptions: AssumedSet | None = None,
                   count: int = 3) -> list[tuple[dict, sympy.Expr]]:
    """Up to ``count`` (point, value) pairs at rational points the symbols' assumptions allow
    (inside the assumed set when one is given)."""
    rng = random.Random(0)
    found: list[tuple[dict, sympy.Expr]] = []
    if assumptions is not None:
        points = assumptions.sample(symbols, rng, count)
    else:
        points = [{s: sample_value(s, rng) for s in symbols} for _ in range(count)]
    for point in points:
        if any(v is None for v in point.values()):
            return found  # some symbol takes no rational value (e.g. imaginary=True)
        try:
            value = expr.subs(point)
        except (ZeroDivisionError, ValueError):
            continue
        if value.free_symbols or value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
            continue
        found.append((point, value))
    return found


_PIECEWISE_LIKE = (sympy.Piecewise, sympy.Min, sympy.Max, sympy.Abs, sympy.Heaviside, sympy.sign)


def _as_piecewise(expr: sympy.Expr) -> sympy.Expr:
    """``expr`` with Min, Max, Abs, Heaviside and sign written as Piecewise, folded.

    The symbols are taken real while rewriting (an assumed set lies in the real
    line), so that ``Abs(s - 1)`` splits at ``s = 1`` for a plain symbol ``s``.
    """
    real = {s: sympy.Dummy(s.name, real=True) for s in expr.free_symbols if s.is_real is not True}
    rewritten = expr.xreplace(real)
    for kind in (sympy.Min, sympy.Max, sympy.Abs, sympy.Heaviside, sympy.sign):
        if rewritten.has(kind):
            rewritten = rewritten.replace(lambda e, k=kind: isinstance(e, k), lambda e: e.rewrite(sympy.Piecewise))
    if rewritten.has(sympy.Piecewise):
        rewritten = sympy.piecewise_fold(rewritten)
    return rewritten.xreplace({d: s for s, d in real.items()})


def _symbolic_zero(expr: sympy.Expr, symbols: list[sympy.Symbol],
                   assumptions: AssumedSet | None = None) -> tuple[bool | None, str]:
    """Is ``expr`` identically zero in ``symbols`` (zero on the assumed set, when given)? (inside a budget)"""
    expanded = sympy.expand(expr)
    if expanded == 0:
        return True, "expands to 0"
    numer, denom = sympy.together(expanded).as_numer_denom()
    if numer.is_polynomial(*symbols):
        poly = sympy.Poly(sympy.expand(numer), *symbols)
        undecided = None
        for coeff in poly.coeffs():
            verdict, reason = _numeric_zero(coeff)
            if verdict is False:
                if assumptions is not None:
                    # a nonzero polynomial: certify it at a point of the assumed set
                    return _nonzero_in_set(expr, symbols, assumptions, f"a nonzero polynomial in {brief(symbols, str)}")
                return False, f"a nonzero polynomial in {symbols} (coefficient {coeff}: {reason})"
            if verdict is None:
                undecided = reason
        if undecided is None:
            return True, "every polynomial coefficient is exactly 0"
        return None, undecided
    # a point of the set where the value is certified nonzero settles it before any rewriting
    points = _sample_points(expr, symbols, assumptions)
    for point, value in points:
        if _certified_nonzero(value, _PRECISIONS[:2]):
            return False, f"certified nonzero at {point} by ball arithmetic"
    if assumptions is not None and len(symbols) == 1 and expanded.has(*_PIECEWISE_LIKE):
        sym = symbols[0]
        if not assumptions.is_integer(sym):
            verdict = is_zero_function(_as_piecewise(expanded), sym, interval=assumptions.interval_of(sym))
            if verdict is True:
                return True, f"zero on every piece of {assumptions.interval_of(sym)!r} and at every breakpoint"
            if verdict is False:
                return _nonzero_in_set(expr, symbols, assumptions, "nonzero on a piece")
    if sympy.simplify(expanded) == 0:
        return True, "simplifies to 0"
    for point, value in points:
        if _certified_nonzero(value, _PRECISIONS[2:]):
            return False, f"certified nonzero at {point} by ball arithmetic"
    where = "on the assumed set" if assumptions is not None else "identically"
    return None, f"could not decide whether {expr} vanishes {where} in {symbols}"


def _nonzero_in_set(expr: sympy.Expr, symbols: list[sympy.Symbol], assumptions: AssumedSet,
                    what: str) -> tuple[bool | None, str]:
    found = find_nonzero_point([expr], assumptions)
    if found is None:
        return None, f"{what}, but no point of the assumed set was found where it is certified nonzero"
    point, _, value = found
    return False, f"{what}; certified nonzero at {point} (value {value}), inside the assumed set"


def find_nonzero_point(exprs: list[Any], assumptions: AssumedSet, *, tries: int = 12,
                       symbols: Any = ()) -> tuple[dict, int, sympy.Expr] | None:
    """A rational point of the assumed set where some entry is certified nonzero.

    Returns ``(point, index, value)``: ``exprs[index]`` at ``point`` equals
    ``value``, proved nonzero (rational arithmetic, or ball arithmetic and
    minimal polynomials); None when no such point was found.  The point gives
    a value to every symbol of ``exprs`` and of ``symbols``.  Candidates are
    points sampled inside the set and, for one symbol, rational points inside
    every piece between the breakpoints of Piecewise/Min/Max/Abs entries.

    >>> from symequi.core.assumptions import Assumptions
    >>> s = sympy.Symbol('s')
    >>> find_nonzero_point([sympy.Max(0, s) - s], Assumptions({s: (0, 1)})) is None
    True
    >>> find_nonzero_point([sympy.Max(0, 2*s - 1) - s], Assumptions({s: (0, 1)}))
    ({s: 1/2}, 0, -1/2)
    """
    values = [to_exact(e, f"exprs[{i}]") for i, e in enumerate(exprs)]
    symbols = sorted(set().union(set(symbols), *(v.free_symbols for v in values)), key=str)
    rng = random.Random(0)
    candidates: list[dict] = assumptions.sample(symbols, rng, tries) if symbols else [{}]
    if len(symbols) == 1 and any(v.has(*_PIECEWISE_LIKE) for v in values):
        sym = symbols[0]
        cuts: set[sympy.Expr] = set()
        for v in values:
            points = breakpoints_of(_as_piecewise(sympy.expand(v)), sym) if v.has(*_PIECEWISE_LIKE) else []
            cuts.update(points or [])
        interval = assumptions.interval_of(sym)
        ends = _sorted_numbers({c for c in cuts if c.is_real and interval.contains(c)}) or []
        edges = [interval.lo, *ends, interval.hi]
        for lo, hi in zip(edges, edges[1:]):
            candidates += [{sym: x} for x in assumptions.sample_in(sym, lo, hi, rng, 2)]
    seen: list[dict] = []
    for point in candidates:
        if point in seen or (point and not assumptions.contains(point)):
            continue
        seen.append(point)
        for index, v in enumerate(values):
            try:
                value = v.xreplace(point) if point else v
                if value.has(sympy.Piecewise, sympy.Min, sympy.Max):
                    value = value.doit()
            except (ZeroDivisionError, ValueError, TypeError):
                continue
            if value.free_symbols or value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
                continue
            verdict = value != 0 if value.is_Rational else zero_test(value)[0] is False
            if verdict:
                return point, index, value
    return None


def rational_value(expr: Any, *, max_denominator: int = 10**6,
                   budget: float | None = 2) -> sympy.Rational | None:
    """The rational number ``expr`` equals, proved exactly; None if not found.

    A ball evaluation suggests the nearest rational with a bounded
    denominator; :func:`zero_test` then proves the equality (or not).

    >>> rational_value(sympy.sin(sympy.Rational(1, 2))**2 + sympy.cos(sympy.Rational(1, 2))**2)
    1
    >>> rational_value(sympy.pi) is None
    True
    """
    value = to_exact(expr, "expr")
    if value.is_Rational:
        return value
    if value.free_symbols:
        return None
    ball = _ball_at(value, 256)
    if ball is None or not ball.imag.contains(0) or not ball.real.is_finite():
        return None
    mid = ball.real.mid()
    guess = Fraction(int(mid.man_exp()[0]) * Fraction(2) ** int(mid.man_exp()[1])).limit_denominator(max_denominator)
    candidate = sympy.Rational(guess.numerator, guess.denominator)
    if not ball.real.contains(flint.arb(flint.fmpq(guess.numerator, guess.denominator))):
        return None
    verdict, _ = zero_test(value - candidate, budget=budget)
    return candidate if verdict is True else None


def _unrestricted(sym: sympy.Symbol) -> bool:
    """True when ``sym`` may take every real value (so testing on the whole line is right)."""
    return sym.is_real is not False and all(
        getattr(sym, f"is_{fact}") is None
        for fact in ("positive", "negative", "nonnegative", "nonpositive", "zero", "nonzero",
                     "integer", "rational", "irrational")
    )


def zero_test(expr: Any, *, budget: float | None = None, name: str = "expr",
              assumptions: AssumedSet | None = None) -> tuple[bool | None, str]:
    """Like :func:`is_zero`, but also return the reason (the certificate, or why undecided).

    With ``assumptions`` (an assumed set of the symbols), True means zero at every
    point of the set and False that a point of the set was found where ``expr`` is
    certified nonzero.

    >>> zero_test(sympy.sqrt(8) - 2*sympy.sqrt(2))
    (True, 'rational')
    >>> from symequi.core.assumptions import Assumptions
    >>> s = sympy.Symbol('s')
    >>> zero_test(sympy.Max(0, s) - s)[0], zero_test(sympy.Max(0, s) - s, assumptions=Assumptions({s: (0, 1)}))[0]
    (False, True)
    """
    value = to_exact(expr, name)
    try:
        with time_budget(budget, f"the exact zero test of {name}"):
            if value.is_Rational:
                return value == 0, "rational"
            symbols = sorted(value.free_symbols, key=str)
            if (assumptions is None and len(symbols) == 1 and value.has(sympy.Piecewise)
                    and _unrestricted(symbols[0])):
                verdict = is_zero_function(value, symbols[0], budget=budget)
                return verdict, "split at the breakpoints of its pieces"
            if symbols:
                return _symbolic_zero(value, symbols, assumptions)
            return _numeric_zero(value)
    except BudgetExceededError as err:
        return None, str(err)
    except _TOO_LARGE as err:  # sympy's own evaluation of e.g. exp(exp(exp(100))) overflows
        return None, _too_large(value, err)


def is_zero(expr: Any, *, budget: float | None = None, assumptions: AssumedSet | None = None) -> bool | None:
    """Decide exactly whether ``expr`` is zero: True, False, or None (undecided).

    ``expr`` is an exact number or sympy expression (floats are refused).
    With free symbols, the question is whether ``expr`` vanishes
    identically (on the assumed set, given ``assumptions``).  Runs under a time budget (seconds; None = the default);
    when it runs out the answer is None.

    >>> c = sympy.cos(sympy.pi / 7)
    >>> is_zero(8*c**3 - 4*c**2 - 4*c + 1)
    True
    >>> a = sympy.Symbol('a')
    >>> is_zero((a + 1)**2 - a**2 - 2*a - 1), is_zero(a)
    (True, False)
    """
    return zero_test(expr, budget=budget, assumptions=assumptions)[0]


def certify_sign(expr: Any, *, budget: float | None = None,
                 assumptions: AssumedSet | None = None) -> int | None:
    """The sign of a real number, certified: +1, -1, 0, or None (undecided).

    A sign is returned only when a rigorous ball excludes 0 (or the number is
    proved zero).  Numbers that are not real are refused.  An expression with
    free symbols needs ``assumptions``: its sign is then the one it has at
    every point of the assumed set (one symbol, a rational function of it whose
    numerator and denominator have no real root inside the symbol's interval),
    else None.

    >>> certify_sign(sympy.sqrt(2) - sympy.Rational(99, 70)), certify_sign(sympy.sqrt(2) - sympy.Rational(140, 99))
    (-1, 1)
    >>> certify_sign(sympy.cos(sympy.pi / 3) - sympy.Rational(1, 2))
    0
    >>> from symequi.core.assumptions import Assumptions
    >>> s = sympy.Symbol('s')
    >>> certify_sign(s * (1 - s), assumptions=Assumptions({s: (0, 1)}))
    1
    """
    value = to_exact(expr, "expr")
    if value.free_symbols and assumptions is not None:
        try:
            with time_budget(budget, "certify_sign"):
                return _sign_on_set(value, assumptions)
        except (BudgetExceededError, *_TOO_LARGE):
            return None
    if value.free_symbols:
        raise InvalidArgumentError(
            f"expr={brief(value, str)} has free symbols {brief(sorted(brief(item, str) for item in value.free_symbols), str)}; "
            "a sign needs a number: substitute values first"
        )
    if value.is_Rational:
        return 1 if value > 0 else (-1 if value < 0 else 0)
    try:
        with time_budget(budget, "certify_sign"):
            for prec in _PRECISIONS:
                ball = _ball_at(value, prec)
                if ball is None:
                    break
                re, im = ball.real, ball.imag
                if im.is_finite() and not im.contains(0):
                    raise InvalidArgumentError(f"expr={brief(value, str)} is not a real number, so it has no sign")
                if re.is_finite() and not re.contains(0) and (im.is_zero() or value.is_extended_real):
                    return 1 if re > 0 else -1
            verdict, _ = _numeric_zero(value)
    except (BudgetExceededError, *_TOO_LARGE):  # out of time, or too large to evaluate: no certified sign
        return None
    return 0 if verdict else None


def _sign_on_set(value: sympy.Expr, assumptions: AssumedSet) -> int | None:
    """The constant sign of a one-symbol rational function on the symbol's assumed interval."""
    symbols = list(value.free_symbols)
    if len(symbols) != 1:
        return None
    sym = symbols[0]
    interval = assumptions.interval_of(sym)
    numer, denom = sympy.together(value).as_numer_denom()
    if zero_test(numer, assumptions=assumptions)[0] is True:
        return 0
    for part in (numer, denom):
        if not part.is_polynomial(sym):
            return None
        poly = sympy.Poly(part, sym)
        if not all(c.is_Rational for c in poly.all_coeffs()):
            return None
        for root in poly.real_roots():
            if interval.contains(root):
                return None  # a root inside: the sign changes or vanishes there
    points = assumptions.sample([sym], random.Random(0), 1)
    if not points:
        return None
    at = value.xreplace(points[0])
    return 1 if at > 0 else -1


# --------------------------------------------------------------------------------------
# functions of one variable, piecewise ones included
# --------------------------------------------------------------------------------------
def breakpoints_of(expr: sympy.Expr, var: sympy.Symbol) -> list[sympy.Expr] | None:
    """The points where some Piecewise condition in ``expr`` can change; None if unknown."""
    points: set[sympy.Expr] = set()
    for pw in expr.atoms(sympy.Piecewise):
        for _, cond in pw.args:
            if not _relational_in(cond, var):
                return None  # e.g. Contains(x, S): its switching points are not read here
            for rel in cond.atoms(sympy.core.relational.Relational):
                gap = sympy.expand(rel.lhs - rel.rhs)
                if var not in gap.free_symbols:
                    continue
                if not gap.is_polynomial(var):
                    return None
                poly = sympy.Poly(gap, var)
                if poly.degree() == 1:
                    roots = [-poly.nth(0) / poly.nth(1)]
                elif poly.free_symbols - {var} or poly.degree() < 1:
                    return None if poly.degree() >= 1 else []
                else:
                    roots = [r for r in poly.all_roots() if r.is_real]
                if any(r.free_symbols for r in roots):
                    return None
                points.update(roots)
    return _sorted_numbers(points)


def _relational_in(cond: Any, var: sympy.Symbol) -> bool:
    """True when every part of ``cond`` that depends on ``var`` is a relation (``<``, ``=``, ...)
    combined by and/or/not, so that its switching points are the roots read by :func:`breakpoints_of`."""
    if not isinstance(cond, sympy.Basic) or var not in cond.free_symbols:
        return True
    if isinstance(cond, sympy.core.relational.Relational):
        return True
    if isinstance(cond, (sympy.And, sympy.Or, sympy.Not)):
        return all(_relational_in(arg, var) for arg in cond.args)
    return False


def _sorted_numbers(points: set[sympy.Expr]) -> list[sympy.Expr] | None:
    import functools

    def compare(p: sympy.Expr, q: sympy.Expr) -> int:
        sign = certify_sign(p - q)
        if sign is None:
            raise UnsupportedExpression("cannot order breakpoints")
        return sign

    try:
        return sorted(points, key=functools.cmp_to_key(compare))
    except UnsupportedExpression:
        return None


def branch_at(expr: sympy.Expr, var: sympy.Symbol, point: sympy.Expr) -> sympy.Expr:
    """``expr`` with every Piecewise replaced by the branch that holds at ``point``."""

    def choose(*pairs: Any) -> sympy.Expr:
        for value, cond in pairs:
            truth = cond.subs(var, point) if isinstance(cond, sympy.Basic) else cond
            if truth == sympy.true:
                return value
            if truth != sympy.false:
                raise UnsupportedExpression(f"condition {brief(cond, str)} at {brief(var, str)} = {brief(point, str)}")
        raise UnsupportedExpression("no branch holds")

    return expr.replace(sympy.Piecewise, choose)


def is_zero_function(f: Any, var: sympy.Symbol | None = None, *,
                     budget: float | None = None, interval: Any = None) -> bool | None:
    """Is the function ``f`` of ``var`` (default ``x``) zero everywhere on the real line?

    With ``interval`` (an :class:`~symequi.core.assumptions.Interval`): zero at
    every point of that interval; only its breakpoints and pieces are probed.

    Piecewise functions (e.g. built with :func:`symequi.heaviside`) are split
    at their breakpoints: each open piece is tested as an analytic
    expression, each breakpoint by its exact value.  Other symbols in ``f``
    must vanish identically too.  True, False (a certified nonzero value), or
    None (undecided).

    >>> from symequi.functions.continuous import x, heaviside
    >>> is_zero_function(heaviside(x) + heaviside(-x) - 1)
    False
    >>> is_zero_function(heaviside(x - 1) - heaviside(x) * heaviside(x - 1))
    True
    """
    var = default_x if var is None else var
    expr = as_function(f, "f")
    try:
        with time_budget(budget, "the exact zero test of a function"):
            expr = sympy.piecewise_fold(expr) if expr.has(sympy.Piecewise) else expr
            if not expr.has(sympy.Piecewise):
                if interval is not None:
                    return _zero_on_interval(expr, var, [], interval)
                return zero_test(expr)[0]
            points = breakpoints_of(expr, var)
            if points is None:
                return None
            if interval is not None:
                return _zero_on_interval(expr, var, points, interval)
            probes: list[tuple[str, sympy.Expr]] = [("point", p) for p in points]
            if points:
                edges = [points[0] - 1, *points, points[-1] + 1]
            else:
                edges = [sympy.Integer(-1), sympy.Integer(1)]
            probes += [("piece", (p + q) / 2) for p, q in zip(edges, edges[1:])]
            undecided = False
            for kind, point in probes:
                try:
                    if kind == "point":
                        piece = expr.subs(var, point)
                    else:
                        piece = branch_at(expr, var, point)
                except UnsupportedExpression:
                    return None
                verdict = zero_test(piece)[0]
                if verdict is not True and kind == "piece":
                    # The branch holds only on its open piece: a nonzero value must be
                    # found there (the branch may vanish on the piece and not elsewhere).
                    verdict = _nonzero_inside(expr, var, point, edges)
                if verdict is False:
                    return False
                undecided = undecided or verdict is None
            return None if undecided else True
    except BudgetExceededError:
        return None


def _zero_on_interval(expr: sympy.Expr, var: sympy.Symbol, points: list[sympy.Expr],
                      interval: Any) -> bool | None:
    """Is the piecewise ``expr`` zero at every point of ``interval``? Probes only points inside it."""
    lo, hi = interval.lo, interval.hi
    inside = [p for p in points if interval.contains(p)]
    ends = [p for p in (lo, hi) if p.is_finite and interval.contains(p)]
    low = lo if lo.is_finite else (inside[0] if inside else sympy.Integer(0)) - 1
    high = hi if hi.is_finite else (inside[-1] if inside else sympy.Integer(0)) + 1
    edges = [low, *inside, high]
    undecided = False
    for point in inside + ends:
        verdict = zero_test(expr.subs(var, point))[0]
        if verdict is False:
            return False
        undecided = undecided or verdict is None
    for a, b in zip(edges, edges[1:]):
        middle = (a + b) / 2
        try:
            piece = branch_at(expr, var, middle)
        except UnsupportedExpression:
            return None
        verdict = zero_test(piece)[0]
        if verdict is not True:
            # the branch holds only on (a, b): a nonzero value must be found there
            verdict = _nonzero_inside(expr, var, middle, edges)
        if verdict is False:
            return False
        undecided = undecided or verdict is None
    return None if undecided else True


def _nonzero_inside(expr: sympy.Expr, var: sympy.Symbol, middle: sympy.Expr,
                    edges: list[sympy.Expr]) -> bool | None:
    """False when ``expr`` has a certified nonzero value inside the open piece around
    ``middle`` (whose ends are neighbours in ``edges``); None otherwise."""
    index = next(i for i, (p, q) in enumerate(zip(edges, edges[1:])) if (p + q) / 2 == middle)
    lo, hi = edges[index], edges[index + 1]
    for k in range(1, 8):
        value = expr.subs(var, lo + (hi - lo) * sympy.Rational(k, 8))
        if value.free_symbols:
            return None
        if zero_test(value)[0] is False:
            return False
    return None
