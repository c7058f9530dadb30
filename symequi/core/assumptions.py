"""The assumed set of the symbolic parameters of a square, as ONE object.

A translation by a symbolic ``s`` is defined only for ``s`` in an interval
(:class:`~symequi.translations.interpolation.InterpolationShift` writes its taps for
``lo < s < hi``); a kernel symbol declared ``positive=True`` is assumed
positive.  :class:`Assumptions` gathers these facts: exact intervals (open
or closed ends, rational or algebraic, or infinite) for symbols and for
expressions in them, integrality, and the sympy flags of every symbol
(``positive``, ``integer``, ``even``, ...).  A :class:`~symequi.core.square.Square`
combines the assumptions of its operators (``square.assumptions``), states
them in its conventions, and hands them to every zero test, sign decision and
witness certification, so that "zero" means "zero on the assumed set" and a
counterexample is found only at a parameter value inside it.

Example
-------
>>> import sympy
>>> from symequi.core.assumptions import Assumptions, Interval
>>> s = sympy.Symbol('s')
>>> a = Assumptions({s: Interval.open(0, 1)})
>>> a.contains({s: sympy.Rational(1, 3)}), a.contains({s: sympy.Integer(5)})
(True, False)
>>> a.describe()
's in the open interval (0, 1)'
>>> b = a & Assumptions({s: Interval.closed('1/2', 2)})
>>> b.interval_of(s)
Interval([1/2, 1))
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import sympy

from .errors import InvalidArgumentError
from .exact import to_exact
from .zero import certify_sign
from .texts import brief, brief_latex

__all__ = ["Interval", "Assumptions", "as_assumptions"]

_OO = sympy.oo


def _end(value: Any, name: str) -> sympy.Expr:
    if value in (_OO, -_OO):
        return value
    expr = to_exact(value, name)
    if expr.free_symbols or expr.is_real is not True:
        raise InvalidArgumentError(f"{name}={brief(value)} must be a real number (rational or algebraic), or +-oo")
    return expr


def _compare(a: sympy.Expr, b: sympy.Expr) -> int | None:
    """The certified sign of ``a - b`` (infinite ends allowed); None if undecided."""
    if a == b:
        return 0
    if a is _OO or b is -_OO:
        return 1
    if a is -_OO or b is _OO:
        return -1
    if a.is_Rational and b.is_Rational:
        return 1 if a > b else -1
    return certify_sign(a - b, budget=2)


@dataclass(frozen=True)
class Interval:
    """An interval of the real line with exact ends (``-oo``/``oo`` allowed) and open or closed ends.

    >>> Interval.open(0, 1).contains(sympy.Rational(1, 2)), Interval.open(0, 1).contains(1)
    (True, False)
    >>> Interval(0, sympy.sqrt(2), left_open=False).text()
    '[0, sqrt(2))'
    """

    lo: Any = -_OO
    hi: Any = _OO
    left_open: bool = True
    right_open: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "lo", _end(self.lo, "lo"))
        object.__setattr__(self, "hi", _end(self.hi, "hi"))
        for name in ("left_open", "right_open"):
            if not isinstance(getattr(self, name), bool):
                raise InvalidArgumentError(f"{name}={brief(getattr(self, name))} must be True or False")
        order = None if self.lo is _OO or self.hi is -_OO else _compare(self.hi, self.lo)
        if order is None or order < 0 or (order == 0 and (self.left_open or self.right_open)):
            raise InvalidArgumentError(
                f"interval {brief(self.text(), str)} is empty (or its ends cannot be ordered exactly); need lo < hi, "
                "or lo == hi with both ends closed"
            )

    @classmethod
    def open(cls, lo: Any, hi: Any) -> "Interval":
        """The open interval ``(lo, hi)``."""
        return cls(lo, hi, True, True)

    @classmethod
    def closed(cls, lo: Any, hi: Any) -> "Interval":
        """The closed interval ``[lo, hi]``."""
        return cls(lo, hi, lo is -_OO, hi is _OO)

    def contains(self, value: Any) -> bool:
        """True when ``value`` is certified to lie in the interval (undecided counts as outside).

        >>> Interval.open(0, sympy.sqrt(2)).contains(sympy.Rational(141, 100))
        True
        """
        v = to_exact(value, "value")
        low = _compare(v, self.lo)
        high = _compare(self.hi, v)
        if low is None or high is None:
            return False
        return (low > 0 or (low == 0 and not self.left_open)) and (high > 0 or (high == 0 and not self.right_open))

    def intersect(self, other: "Interval") -> "Interval | None":
        """The intersection (None when empty or when the ends cannot be ordered).

        >>> Interval.open(0, 2).intersect(Interval.closed(1, 3))
        Interval([1, 2))
        >>> Interval.open(0, 1).intersect(Interval.open(1, 2)) is None
        True
        """
        lo_cmp, hi_cmp = _compare(self.lo, other.lo), _compare(self.hi, other.hi)
        if lo_cmp is None or hi_cmp is None:
            return None
        lo, left_open = ((self.lo, self.left_open) if lo_cmp > 0 else (other.lo, other.left_open) if lo_cmp < 0
                         else (self.lo, self.left_open or other.left_open))
        hi, right_open = ((self.hi, self.right_open) if hi_cmp < 0 else (other.hi, other.right_open) if hi_cmp > 0
                          else (self.hi, self.right_open or other.right_open))
        order = _compare(hi, lo)
        if order is None or order < 0 or (order == 0 and (left_open or right_open)):
            return None
        return Interval(lo, hi, left_open, right_open)

    @property
    def is_whole_line(self) -> bool:
        """True for ``(-oo, oo)``."""
        return self.lo is -_OO and self.hi is _OO

    def text(self) -> str:
        """``(lo, hi)``, ``[lo, hi)``, ... as plain text.

        >>> Interval.closed(0, '1/2').text()
        '[0, 1/2]'
        """
        return ("(" if self.left_open else "[") + f"{brief(self.lo, str)}, {brief(self.hi, str)}" + (")" if self.right_open else "]")

    def latex(self) -> str:
        r"""The interval as LaTeX math.

        >>> Interval.closed(0, '1/2').latex()
        '\\left[0, \\frac{1}{2}\\right]'
        """
        return (r"\left(" if self.left_open else r"\left[") + f"{brief_latex(self.lo)}, {brief_latex(self.hi)}" + (
            r"\right)" if self.right_open else r"\right]")

    def describe(self) -> str:
        """In words: ``the open interval (0, 1)``, ``the closed interval [0, 1]``, or the bare text.

        >>> Interval.open(0, 1).describe()
        'the open interval (0, 1)'
        """
        if self.left_open and self.right_open:
            return f"the open interval {brief(self.text(), str)}"
        if not (self.left_open or self.right_open):
            return f"the closed interval {brief(self.text(), str)}"
        return f"the interval {brief(self.text(), str)}"

    def rational_points(self, rng: random.Random, count: int) -> list[sympy.Rational]:
        """Up to ``count`` rational points proved to lie inside (the midpoint-like ones first).

        >>> Interval.open(0, 1).rational_points(random.Random(0), 3)
        [1/2, 1/3, 2/3]
        """
        lo, hi = self._rational_inner()
        found: list[sympy.Rational] = []
        seen: set[sympy.Rational] = set()  # membership in O(1): a list made this quadratic
        fixed = [sympy.Rational(1, 2), sympy.Rational(1, 3), sympy.Rational(2, 3), sympy.Rational(1, 7)]
        tries = 0
        while len(found) < count and tries < 8 * count + 8:
            k = tries
            tries += 1
            if lo is not None and hi is not None:
                t = fixed[k] if k < len(fixed) else sympy.Rational(rng.randint(1, 96), 97)
                value = lo + (hi - lo) * t
            elif lo is not None:
                value = lo + sympy.Rational(rng.randint(1, 60), rng.randint(1, 7))
            elif hi is not None:
                value = hi - sympy.Rational(rng.randint(1, 60), rng.randint(1, 7))
            else:
                value = sympy.Rational(rng.randint(-60, 60), rng.randint(1, 7))
            if value not in seen and self.contains(value):
                found.append(value)
            seen.add(value)
        return found

    def _rational_inner(self) -> tuple[sympy.Rational | None, sympy.Rational | None]:
        """Rational bounds inside-or-on the interval's ends (None for an infinite end)."""
        def inner(end: sympy.Expr, up: bool) -> sympy.Rational | None:
            if end in (_OO, -_OO):
                return None
            if end.is_Rational:
                return end
            approx = sympy.Rational(str(sympy.N(end, 30)))
            step = sympy.Rational(1, 10**12)
            for _ in range(20):
                candidate = approx + step if up else approx - step
                sign = _compare(candidate, end)
                if sign is not None and (sign > 0 if up else sign < 0):
                    return candidate
                step *= 10
            return None
        return inner(self.lo, True), inner(self.hi, False)

    def __repr__(self) -> str:
        return f"Interval({brief(self.text(), str)})"


_FLAG_INTERVALS = (
    ("positive", Interval.open(0, _OO)),
    ("nonnegative", Interval(0, _OO, left_open=False)),
    ("negative", Interval.open(-_OO, 0)),
    ("nonpositive", Interval(-_OO, 0, right_open=False)),
)


def _flag_interval(sym: sympy.Symbol) -> Interval:
    result = Interval()
    for flag, interval in _FLAG_INTERVALS:
        if getattr(sym, f"is_{flag}") is True:
            result = result.intersect(interval) or result
    return result


def _meets_flags(sym: sympy.Symbol, value: sympy.Expr) -> bool:
    """True when ``value`` meets every assumption declared on ``sym`` (a fact the value
    cannot settle counts as unmet)."""
    for fact, truth in sym.assumptions0.items():
        if getattr(value, f"is_{fact}", None) is not truth:
            return False
    return True


def _flag_words(sym: sympy.Symbol) -> list[str]:
    """The sign and number-kind flags of ``sym`` in words, implied ones left out."""
    facts = sym.assumptions0
    words = [f for f in ("integer",) if facts.get(f) is True]
    sign = next((f for f in ("positive", "negative", "nonnegative", "nonpositive", "nonzero")
                 if facts.get(f) is True), None)
    if sign:
        words.append(sign)
    words += [f for f in ("even", "odd", "prime") if facts.get(f) is True]
    return words


def _solved_for(expr: sympy.Expr, interval: Interval, sym: sympy.Symbol) -> Interval | None:
    """The interval of ``sym`` when ``expr = a*sym + b`` (rational a != 0, b) lies in ``interval``."""
    if expr == sym:
        return interval
    if expr.free_symbols != {sym} or not expr.is_polynomial(sym):
        return None
    poly = sympy.Poly(expr, sym)
    if poly.degree() != 1:
        return None
    a, b = poly.all_coeffs()
    if not (a.is_Rational and b.is_Rational):
        return None
    lo, hi = ((interval.lo - b) / a, (interval.hi - b) / a)
    if a > 0:
        return Interval(lo, hi, interval.left_open, interval.right_open)
    return Interval(hi, lo, interval.right_open, interval.left_open)


def _as_interval(value: Any, name: str) -> Interval:
    if isinstance(value, Interval):
        return value
    if isinstance(value, sympy.Interval):
        return Interval(value.start, value.end, bool(value.left_open), bool(value.right_open))
    if isinstance(value, (tuple, list)) and len(value) == 2:
        return Interval.open(*value)
    raise InvalidArgumentError(
        f"{name}={brief(value)} must be an Interval, a sympy.Interval or a pair (lo, hi) meaning the open interval"
    )


class Assumptions:
    """What the symbols of a square are assumed to satisfy.

    Parameters
    ----------
    intervals : ``{expression: interval}``; an interval is an :class:`Interval`, a
        ``sympy.Interval`` or a pair ``(lo, hi)`` (the open interval).  The
        expression is usually a symbol, but may be any real expression in them
        (e.g. the shift ``s/2`` of one axis).
    integer : symbols assumed to be integers (besides those declared ``integer=True``).

    Every symbol's sympy flags (``positive``, ``integer``, ``even``, ...) are
    assumptions too: :meth:`interval_of`, :meth:`contains` and :meth:`sample`
    apply them without being told.

    >>> t = sympy.Symbol('t', positive=True)
    >>> a = Assumptions({t / 2: (0, 1)})
    >>> a.contains({t: 1}), a.contains({t: 3}), a.interval_of(t)
    (True, False, Interval((0, 2)))
    """

    def __init__(self, intervals: Mapping[Any, Any] | None = None, *, integer: Iterable[sympy.Symbol] = ()) -> None:
        if intervals is not None and not isinstance(intervals, Mapping):
            raise InvalidArgumentError(
                f"intervals={brief(intervals)} must be a dict {{symbol: (lo, hi)}} (open interval) or {{symbol: Interval}}"
            )
        self.constraints: dict[sympy.Expr, Interval] = {}
        for key, value in (intervals or {}).items():
            expr = to_exact(key, "intervals key")
            if not expr.free_symbols:
                raise InvalidArgumentError(f"intervals key {brief(key)} has no symbols; name the symbol assumed in it")
            self._add(expr, _as_interval(value, f"intervals[{brief(key, str)}]"))
        self.integer: frozenset[sympy.Symbol] = frozenset(integer)
        for sym in self.integer:
            if not isinstance(sym, sympy.Symbol):
                raise InvalidArgumentError(f"integer={brief(sym)} must name sympy Symbols")

    def _add(self, expr: sympy.Expr, interval: Interval) -> None:
        old = self.constraints.get(expr)
        new = interval if old is None else old.intersect(interval)
        if new is None:
            raise InvalidArgumentError(
                f"the assumptions {brief(expr, str)} in {brief(old.text() if old else '', str)} and {brief(expr, str)} in {brief(interval.text(), str)} "
                "leave no value (or cannot be ordered exactly); state one consistent interval"
            )
        self.constraints[expr] = new

    # --- combining -------------------------------------------------------------------------
    def __and__(self, other: "Assumptions") -> "Assumptions":
        if not isinstance(other, Assumptions):
            return NotImplemented
        result = Assumptions(integer=self.integer | other.integer)
        for source in (self, other):
            for expr, interval in source.constraints.items():
                result._add(expr, interval)
        return result

    @property
    def is_empty(self) -> bool:
        """True when nothing is stated beyond the symbols' own flags.

        >>> Assumptions().is_empty, Assumptions({sympy.Symbol('s'): (0, 1)}).is_empty
        (True, False)
        """
        return not self.constraints and not self.integer

    @property
    def symbols(self) -> set[sympy.Symbol]:
        """The symbols the stated constraints mention.

        >>> sorted(Assumptions({sympy.Symbol('s') + sympy.Symbol('t'): (0, 1)}).symbols, key=str)
        [s, t]
        """
        return set().union(*(e.free_symbols for e in self.constraints), self.integer)

    # --- the assumed set -------------------------------------------------------------------
    def interval_of(self, sym: sympy.Symbol) -> Interval:
        """The interval ``sym`` is assumed in: its constraints (on ``sym``, or on ``a*sym + b``)
        met with its sign flags.

        >>> s = sympy.Symbol('s', negative=True)
        >>> Assumptions({s: (-2, 3)}).interval_of(s)
        Interval((-2, 0))
        """
        interval = _flag_interval(sym)
        for expr, stated in self.constraints.items():
            own = _solved_for(expr, stated, sym)
            if own is not None:
                interval = interval.intersect(own) or own
        return interval

    def is_integer(self, sym: sympy.Symbol) -> bool:
        """True when ``sym`` is assumed to be an integer.

        >>> n = sympy.Symbol('n')
        >>> Assumptions(integer=[n]).is_integer(n), Assumptions().is_integer(n)
        (True, False)
        """
        return sym in self.integer or sym.is_integer is True

    def contains(self, point: Mapping[sympy.Symbol, Any], *, partial: bool = False) -> bool:
        """True when the point (values for the symbols) is certified to lie in the assumed set.

        Every symbol of a constraint must be given a value (``partial=True``: constraints on
        symbols the point leaves out are skipped); flags are checked on each value.
        """
        values = {k: to_exact(v, f"point[{brief(k, str)}]") for k, v in point.items()}
        for sym, value in values.items():
            if value.free_symbols or not _meets_flags(sym, value):
                return False
            if self.is_integer(sym) and not value.is_Integer:
                return False
            if not self.interval_of(sym).contains(value):
                return False
        for expr, interval in self.constraints.items():
            if not expr.free_symbols <= set(values):
                if partial:
                    continue
                return False
            if not interval.contains(expr.xreplace(values)):
                return False
        return True

    def sample(self, symbols: Iterable[sympy.Symbol], rng: random.Random, count: int = 3) -> list[dict]:
        """Up to ``count`` distinct rational points in the assumed set, each checked by :meth:`contains`.

        >>> s = sympy.Symbol('s')
        >>> Assumptions({s: (0, 1)}).sample([s], random.Random(0), 2)
        [{s: 1/2}, {s: 1/3}]
        """
        syms = sorted(set(symbols), key=str)
        found: list[dict] = []
        candidates = {s: self._candidates(s, rng, 2 * count + 4) for s in syms}
        if any(not c for c in candidates.values()):
            return found
        for attempt in range(6 * count + 6):
            point = {s: (c[attempt] if attempt < len(c) else rng.choice(c)) for s, c in candidates.items()}
            if point not in found and self.contains(point):
                found.append(point)
                if len(found) >= count:
                    break
        return found

    def sample_in(self, sym: sympy.Symbol, lo: Any, hi: Any, rng: random.Random,
                  count: int = 3) -> list[sympy.Rational]:
        """Up to ``count`` rational values of ``sym`` in the open interval ``(lo, hi)`` and in
        the assumed set (a one-symbol question: other constraints on ``sym`` alone apply).

        >>> s = sympy.Symbol('s')
        >>> Assumptions({s: (0, 1)}).sample_in(s, '1/2', 5, random.Random(0), 2)
        [3/4, 2/3]
        """
        try:
            piece = Interval.open(lo, hi).intersect(self.interval_of(sym))
        except InvalidArgumentError:  # an empty (lo, hi)
            return []
        if piece is None:
            return []
        return [v for v in piece.rational_points(rng, 4 * count) if self.contains({sym: v}, partial=True)][:count]

    def _candidates(self, sym: sympy.Symbol, rng: random.Random, count: int) -> list[sympy.Rational]:
        interval = self.interval_of(sym)
        values = interval.rational_points(rng, 4 * count)
        if self.is_integer(sym):
            lo, hi = interval._rational_inner()
            start = sympy.ceiling(lo) if lo is not None else (sympy.floor(hi) - 2 * count if hi is not None else -count)
            values = [sympy.Integer(start + k) for k in range(4 * count)]
        return [v for v in values if _meets_flags(sym, v) and interval.contains(v)][:count]

    # --- words -----------------------------------------------------------------------------
    def describe(self, symbols: Iterable[sympy.Symbol] = ()) -> str:
        """The stated constraints in words, and the flags of ``symbols`` (and of the constrained ones).

        >>> Assumptions().describe([sympy.Symbol('a', positive=True)])
        'a positive'
        """
        parts = [f"{brief(expr, str)} in {brief(interval.describe(), str)}" for expr, interval in self.constraints.items()]
        for sym in sorted(set(symbols) | self.symbols, key=str):
            flags = _flag_words(sym)
            if sym in self.integer and "integer" not in flags:
                flags.insert(0, "integer")
            if flags:
                parts.append(f"{brief(sym, str)} " + ", ".join(flags))
        return "; ".join(parts)

    def describe_latex(self, symbols: Iterable[sympy.Symbol] = ()) -> str:
        r""":meth:`describe` as LaTeX text: each constraint as ``$expr \in interval$``.

        >>> Assumptions({sympy.Symbol('s', real=True): Interval.open(0, 1)}).describe_latex()
        '$s \\in \\left(0, 1\\right)$'
        """
        parts = [f"${brief_latex(expr)} \\in {interval.latex()}$" for expr, interval in self.constraints.items()]
        for sym in sorted(set(symbols) | self.symbols, key=str):
            flags = _flag_words(sym)
            if sym in self.integer and "integer" not in flags:
                flags.insert(0, "integer")
            if flags:
                parts.append(f"${brief_latex(sym)}$ " + ", ".join(flags))
        return "; ".join(parts)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Assumptions):
            return NotImplemented
        return self.constraints == other.constraints and self.integer == other.integer

    def __hash__(self) -> int:
        return hash((tuple(sorted(map(str, self.constraints))), tuple(sorted(map(str, self.integer)))))

    def __repr__(self) -> str:
        inner = ", ".join(f"{brief(e, str)}: {brief(i)}" for e, i in self.constraints.items())
        extra = f", integer={brief(sorted(brief(item, str) for item in self.integer), str)}" if self.integer else ""
        return f"Assumptions({{{brief(inner, str)}}}{extra})"


def as_assumptions(value: Any, name: str = "assumptions") -> Assumptions:
    """``value`` as :class:`Assumptions`: None (nothing stated), an Assumptions, or ``{symbol: interval}``.

    >>> as_assumptions({sympy.Symbol('s'): (0, 1)}).describe()
    's in the open interval (0, 1)'
    """
    if value is None:
        return Assumptions()
    if isinstance(value, Assumptions):
        return value
    if isinstance(value, Mapping):
        return Assumptions(value)
    raise InvalidArgumentError(
        f"{name}={brief(value)} must be a symequi Assumptions or a dict {{symbol: (lo, hi)}} (open interval)"
    )
