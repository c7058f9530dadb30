"""Hypothesis strategies for exact inputs: rationals, signals, kernels, shifts, functions.

Use them like ``hypothesis.strategies``: every option is keyword-only, every
argument is checked when the strategy is built (a bad one raises
:class:`~symequi.core.errors.InvalidArgumentError` naming it), and every example is
exact: sympy ``Rational`` numbers, :class:`~symequi.core.signal.Signal` objects over
``QQ``, and sympy functions of :data:`symequi.x` built with
:func:`symequi.heaviside` (``H(0) = 0``).  No float ever appears.

Example
-------
>>> from hypothesis import find, settings
>>> from symequi import strategies as ses
>>> same_every_run = settings(derandomize=True, database=None)   # shrinking is a heuristic
>>> find(ses.signals(3), lambda u: u[0] > 1, settings=same_every_run)
Signal([2, 0, 0])
>>> find(ses.rational_shifts(exclude_integers=True), lambda s: s > 0)
1/2

Type registration: symequi registers strategies with Hypothesis through
Hypothesis's own entry point (group ``hypothesis`` in ``pyproject.toml``,
calling :func:`register_type_strategies` when Hypothesis is imported), so
``st.from_type(symequi.Signal)`` draws exact 1-D signals of 1 to 8 entries and
``st.from_type(symequi.Convolution)`` draws periodic convolutions with
:func:`kernels`; ``@given(u=...)`` with a ``Signal`` annotation and
``st.builds`` use them too.  Without the installed entry point, call
``register_type_strategies()`` once (e.g. in ``conftest.py``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import flint
import sympy
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from .functions.continuous import heaviside, x
from .core.errors import InvalidArgumentError
from .core.exact import positive_int, to_exact, to_rational
from .functions.grid import Grid
from .core.signal import Signal
from .core.texts import brief

__all__ = [
    "rationals",
    "signals",
    "kernels",
    "rational_shifts",
    "piecewise_polynomials",
    "step_functions",
    "register_type_strategies",
]


# --- argument checks ----------------------------------------------------------------
def _optional_fraction(value: Any, name: str) -> Fraction | None:
    if value is None:
        return None
    q = to_rational(value, name)
    return Fraction(int(q.p), int(q.q))


def _optional_positive_int(value: Any, name: str) -> int | None:
    return None if value is None else positive_int(value, name)


def _nonnegative_int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgumentError(f"{name}={brief(value)} must be a non-negative int")
    if value < 0:
        raise InvalidArgumentError(f"{name}={brief(value)} must be >= 0")
    return value


def _check_strategy(value: Any, name: str) -> SearchStrategy:
    if not isinstance(value, SearchStrategy):
        raise InvalidArgumentError(
            f"{name}={brief(value)} must be a Hypothesis strategy of exact numbers, "
            f"e.g. symequi.strategies.rationals()"
        )
    return value


def _check_interval(low: Fraction | None, high: Fraction | None, denominator: int | None) -> None:
    if low is not None and high is not None and low > high:
        raise InvalidArgumentError(f"min_value={brief(low, str)} must be <= max_value={brief(high, str)}")
    if denominator is None:
        return
    for name, bound in (("min_value", low), ("max_value", high)):
        if bound is not None and bound.denominator > denominator:
            raise InvalidArgumentError(
                f"{name}={brief(bound, str)} has denominator {brief(bound.denominator, str)} > max_denominator={brief(denominator, str)}; "
                f"raise max_denominator to at least {brief(bound.denominator, str)} or pick a bound with a "
                "smaller denominator"
            )


_TABLE_LIMIT = 256


def _fractions(low: Fraction | None, high: Fraction | None, denominator: int | None) -> SearchStrategy:
    """Checked ``Fraction`` strategy (the internal form of :func:`rationals`).

    Draws a denominator ``d`` (shrinking towards 1), then a numerator in the
    range ``[low d, high d]`` (shrinking towards 0 or the bound nearest 0).
    The numerator strategies are built once per denominator: this is several
    times faster than ``hypothesis.strategies.fractions``, whose flatmap
    builds new strategies on every draw.
    """
    _check_interval(low, high, denominator)
    if denominator is None or denominator > _TABLE_LIMIT:
        return st.fractions(low, high, max_denominator=denominator)
    table: dict[int, SearchStrategy[int]] = {}
    for d in range(1, denominator + 1):
        first = None if low is None else math.ceil(low * d)
        last = None if high is None else math.floor(high * d)
        if first is None or last is None or first <= last:
            table[d] = st.integers(first, last)
    denominators = st.sampled_from(sorted(table))

    @st.composite
    def fractions(draw: Any) -> Fraction:
        d = draw(denominators)
        return Fraction(draw(table[d]), d)

    return fractions()


def _as_sympy(value: Fraction) -> sympy.Rational:
    return sympy.Rational(value.numerator, value.denominator)


def _concrete_grid(grid: Any) -> Grid:
    if not isinstance(grid, Grid):
        raise InvalidArgumentError(f"grid={brief(grid)} must be a 1-D symequi.Grid, e.g. symequi.Grid(-1, 1, 4)")
    if not (grid.a.is_Rational and grid.b.is_Rational and grid.n.is_Integer):
        raise InvalidArgumentError(
            f"grid={brief(grid)} must have rational endpoints and an integer cell count, "
            "so that breakpoints are exact rationals inside [a, b]"
        )
    return grid


# --- numbers ----------------------------------------------------------------------------
def rationals(*, min_value: Any = None, max_value: Any = None,
              max_denominator: int | None = 16) -> SearchStrategy[sympy.Rational]:
    """Exact rational numbers (sympy ``Rational``) in ``[min_value, max_value]``.

    Bounds are exact values (int, Fraction, str such as ``'-1/2'``); ``None``
    leaves that side open.  Denominators are at most ``max_denominator``
    (``None`` for no limit); a bound's own denominator must not exceed it.

    Examples shrink towards smaller denominators, then closer to zero (or to
    the bound nearest zero).

    >>> from hypothesis import find
    >>> find(rationals(min_value='1/3', max_value=2, max_denominator=6), lambda q: q.q > 1)
    1/2
    """
    low = _optional_fraction(min_value, "min_value")
    high = _optional_fraction(max_value, "max_value")
    denominator = _optional_positive_int(max_denominator, "max_denominator")
    return _fractions(low, high, denominator).map(_as_sympy)


def rational_shifts(*, min_value: Any = -1, max_value: Any = 1, max_denominator: int = 8,
                    exclude_integers: bool = False) -> SearchStrategy[sympy.Rational]:
    """Exact translation amounts (in cells) in ``[min_value, max_value]``.

    With ``exclude_integers=True`` only sub-cell shifts such as ``1/2`` or
    ``-3/8`` are produced (the interval must contain one with denominator at
    most ``max_denominator``).

    Examples shrink towards smaller denominators, then closer to zero: integer
    shifts shrink to ``0``, sub-cell shifts to ``1/2`` or ``-1/2``.

    >>> from hypothesis import find
    >>> find(rational_shifts(min_value=0, max_value=1, exclude_integers=True), lambda s: 2 * s > 1)
    2/3
    """
    low = _optional_fraction(min_value, "min_value")
    high = _optional_fraction(max_value, "max_value")
    denominator = positive_int(max_denominator, "max_denominator")
    if low is None or high is None:
        raise InvalidArgumentError("min_value and max_value must both be given: shifts are bounded")
    if not isinstance(exclude_integers, bool):
        raise InvalidArgumentError(f"exclude_integers={brief(exclude_integers)} must be True or False")
    base = _fractions(low, high, denominator)
    if not exclude_integers:
        return base.map(_as_sympy)
    if not _has_non_integer(low, high, denominator):
        raise InvalidArgumentError(
            f"exclude_integers=True but [{brief(low, str)}, {brief(high, str)}] holds no non-integer rational with "
            f"denominator <= max_denominator={brief(denominator, str)}; widen the interval or raise max_denominator"
        )
    return base.filter(lambda q: q.denominator != 1).map(_as_sympy)


def _has_non_integer(low: Fraction, high: Fraction, denominator: int) -> bool:
    for q in range(2, denominator + 1):
        first = math.ceil(low * q)
        last = math.floor(high * q)
        # Some p in [first, last] that q does not divide: any two consecutive
        # integers contain one, and a single p works if q does not divide it.
        if last > first or (last == first and first % q != 0):
            return True
    return False


# --- signals and kernels -------------------------------------------------------------------
#: The default entries: rationals p/d with d <= _DEFAULT_DENOMINATOR and |p/d| <= _DEFAULT_BOUND.
_DEFAULT_BOUND, _DEFAULT_DENOMINATOR = 4, 16


def _decode_entries(data: bytes, shape: tuple[int, ...]) -> Signal:
    """A default signal from one byte string, two bytes per entry: ``d = 1 + b0 mod 16``,
    then the numerator ``0, 1, -1, 2, -2, ...`` (index ``b1 mod (8 d + 1)``), so every
    rational p/d in [-4, 4] with d <= 16 can be drawn, and lower bytes (what Hypothesis
    shrinks towards) mean a smaller denominator and a numerator nearer 0.

    >>> _decode_entries(bytes([0, 0, 0, 3, 1, 2]), (3,))
    Signal([0, 2, -1/2])
    """
    fmpq = flint.fmpq
    values = []
    for i in range(0, len(data), 2):
        d = 1 + data[i] % _DEFAULT_DENOMINATOR
        k = data[i + 1] % (2 * _DEFAULT_BOUND * d + 1)
        values.append(fmpq((k + 1) // 2 if k % 2 else -(k // 2), d))
    return Signal.from_fmpqs(values, shape)


def _signal_from_values(values: Sequence[Any], shape: tuple[int, ...]) -> Signal:
    fast: list[flint.fmpq] = []
    for value in values:
        if isinstance(value, Fraction):
            fast.append(flint.fmpq(value.numerator, value.denominator))
        elif isinstance(value, sympy.Rational):
            fast.append(flint.fmpq(int(value.p), int(value.q)))
        elif isinstance(value, int) and not isinstance(value, bool):
            fast.append(flint.fmpq(value))
        else:
            break
    else:
        return Signal.from_fmpqs(fast, shape)
    exprs = [to_exact(v, f"elements example {brief(v)}") for v in values]
    return Signal.from_exprs(exprs, shape)


def _check_shape(shape: Any) -> tuple[int, ...]:
    dims = (shape,) if isinstance(shape, int) and not isinstance(shape, bool) else shape
    if not isinstance(dims, (tuple, list)) or not dims:
        raise InvalidArgumentError(f"shape={brief(shape)} must be a positive int or a non-empty tuple of them")
    return tuple(positive_int(n, f"shape[{i}]") for i, n in enumerate(dims))


def signals(shape: int | tuple[int, ...], *, elements: SearchStrategy | None = None) -> SearchStrategy[Signal]:
    """Exact :class:`~symequi.core.signal.Signal` objects of the given shape.

    ``elements`` draws each entry (default: rationals in ``[-4, 4]`` with
    denominator at most 16).  It must produce exact values (int, Fraction,
    sympy numbers); rational entries give a fast ``QQ`` signal.

    The default entries are drawn all at once, as one byte string decoded into
    the vector (two bytes per entry: the denominator, then the numerator), which
    costs Hypothesis one choice per signal instead of two per entry.  Examples
    shrink entry by entry, each towards smaller denominators and then towards
    zero, so a minimal witness has as many zero entries as possible.

    >>> from hypothesis import find, settings
    >>> find(signals((2, 2)), lambda u: u[1, 1] < 0, settings=settings(derandomize=True, database=None))
    Signal([[0, 0], [0, -1]])
    """
    dims = _check_shape(shape)
    size = math.prod(dims)
    if elements is None:
        return st.binary(min_size=2 * size, max_size=2 * size).map(lambda data: _decode_entries(data, dims))
    entries = _check_strategy(elements, "elements")
    return st.lists(entries, min_size=size, max_size=size).map(
        lambda values: _signal_from_values(values, dims))


def kernels(*, min_size: int = 1, max_size: int = 5,
            elements: SearchStrategy | None = None) -> SearchStrategy[list[sympy.Rational]]:
    """Convolution kernels: lists of ``min_size`` to ``max_size`` exact entries.

    ``elements`` defaults to rationals in ``[-2, 2]`` with denominator at most 4.

    Examples shrink towards shorter kernels, then entry by entry towards
    smaller denominators and zero.

    >>> from hypothesis import find
    >>> find(kernels(max_size=3), lambda k: len(k) == 2 and k[1] != 0)
    [0, 1]
    """
    low = positive_int(min_size, "min_size")
    high = positive_int(max_size, "max_size")
    if high < low:
        raise InvalidArgumentError(f"max_size={brief(max_size, str)} must be >= min_size={brief(min_size, str)}")
    if elements is None:
        entries = _fractions(Fraction(-2), Fraction(2), 4).map(_as_sympy)
    else:
        entries = _check_strategy(elements, "elements").map(lambda v: to_exact(v, "kernel entry"))
    return st.lists(entries, min_size=low, max_size=high)


# --- continuous functions ---------------------------------------------------------------
def _breakpoints(grid: Grid, count_max: int, max_denominator: int | None) -> SearchStrategy[list[sympy.Rational]]:
    """Sorted distinct rationals strictly inside ``(grid.a, grid.b)``.

    A breakpoint is ``a + (b - a) t`` with ``0 < t < 1`` of denominator at
    most ``max_denominator`` (default ``4 n``: cell edges, centers and quarter
    points are all reachable).
    """
    denominator = 4 * grid.size if max_denominator is None else positive_int(max_denominator, "max_denominator")
    if denominator < 2:
        raise InvalidArgumentError(
            f"max_denominator={brief(max_denominator, str)} must be >= 2 so that a breakpoint fits inside the interval"
        )
    a, width = grid.a, grid.b - grid.a
    positions = _fractions(Fraction(1, denominator), Fraction(denominator - 1, denominator), denominator)
    return st.lists(positions, unique=True, max_size=count_max).map(
        lambda ts: [a + width * _as_sympy(t) for t in sorted(ts)])


def _coefficients(values: SearchStrategy | None, name: str) -> SearchStrategy[sympy.Rational]:
    if values is None:
        return _fractions(Fraction(-2), Fraction(2), 4).map(_as_sympy)
    return _check_strategy(values, name).map(lambda v: to_rational(v, f"{name} example"))


def piecewise_polynomials(grid: Grid, *, max_degree: int = 2, max_pieces: int = 3,
                          coefficients: SearchStrategy | None = None,
                          max_denominator: int | None = None) -> SearchStrategy[sympy.Expr]:
    """Piecewise polynomials in :data:`symequi.x` with rational breakpoints in the grid.

    A function with pieces ``p_0, ..., p_k`` (degree at most ``max_degree``,
    coefficients from ``coefficients``, default rationals in ``[-2, 2]`` with
    denominator at most 4) and breakpoints ``b_1 < ... < b_k`` strictly inside
    ``[grid.a, grid.b]`` is written ``p_0 + sum_i (p_i - p_{i-1}) H(x - b_i)``
    with :func:`symequi.heaviside` (``H(0) = 0``), so at a breakpoint it takes
    the value of the piece on its left.  Breakpoints are ``a + (b - a) t`` with
    ``t`` of denominator at most ``max_denominator`` (default ``4 n``).

    Examples shrink towards fewer pieces, lower degrees, coefficients with
    smaller denominators closer to zero, and breakpoints at simple fractions
    of the interval (its midpoint first, then thirds, quarters, ...).

    >>> from hypothesis import find
    >>> import symequi as se
    >>> find(piecewise_polynomials(se.Grid(0, 1, 2)), lambda f: f.subs(se.x, 1) == 1)
    1
    """
    checked = _concrete_grid(grid)
    degree = _nonnegative_int(max_degree, "max_degree")
    pieces = positive_int(max_pieces, "max_pieces")
    coeff = _coefficients(coefficients, "coefficients")
    polynomial = st.lists(coeff, min_size=1, max_size=degree + 1).map(
        lambda cs: sympy.Add(*(c * x**k for k, c in enumerate(cs))))

    @st.composite
    def build(draw: Any) -> sympy.Expr:
        cuts = draw(_breakpoints(checked, pieces - 1, max_denominator))
        polys = [draw(polynomial) for _ in range(len(cuts) + 1)]
        terms = [polys[0]]
        for cut, left, right in zip(cuts, polys, polys[1:]):
            jump = sympy.expand(right - left)
            if jump != 0:
                terms.append(jump * heaviside(x - cut))
        return sympy.Add(*terms)

    return build()


def step_functions(grid: Grid, *, max_steps: int = 3, heights: SearchStrategy | None = None,
                   max_denominator: int | None = None) -> SearchStrategy[sympy.Expr]:
    """Step functions ``c_0 + sum_i c_i H(x - b_i)`` with up to ``max_steps`` jumps.

    Jumps ``c_i`` are nonzero rationals from ``heights`` (default: rationals in
    ``[-2, 2]`` with denominator at most 4, which also gives ``c_0``);
    breakpoints ``b_i`` are distinct rationals strictly inside
    ``[grid.a, grid.b]`` as in :func:`piecewise_polynomials`.  ``H`` is
    :func:`symequi.heaviside`, with ``H(0) = 0``.

    Examples shrink towards fewer jumps, heights with smaller denominators
    closer to zero (jumps towards 1 or -1), and breakpoints at simple
    fractions of the interval (its midpoint first, then thirds, quarters, ...).

    >>> from hypothesis import find, settings
    >>> import symequi as se
    >>> find(step_functions(se.Grid(-1, 1, 4)), lambda f: f.subs(se.x, 1) - f.subs(se.x, -1) == 1,
    ...      settings=settings(database=None, derandomize=True))
    Piecewise((1, x > 0), (0, True))
    """
    checked = _concrete_grid(grid)
    steps = positive_int(max_steps, "max_steps")
    height = _coefficients(heights, "heights")

    @st.composite
    def build(draw: Any) -> sympy.Expr:
        cuts = draw(_breakpoints(checked, steps, max_denominator))
        offset = draw(height)
        jumps = [draw(height.filter(lambda c: c != 0)) for _ in cuts]
        return sympy.Add(offset, *(c * heaviside(x - b) for c, b in zip(jumps, cuts)))

    return build()


# --- type registration (Hypothesis's entry point) ---------------------------------------
def register_type_strategies() -> None:
    """Register strategies for :class:`~symequi.core.signal.Signal` and
    :class:`~symequi.layers.Convolution` with ``st.register_type_strategy``.

    Hypothesis calls this through its ``hypothesis`` entry point when it is
    imported; calling it again is harmless.

    >>> from hypothesis import find, strategies as st
    >>> register_type_strategies()
    >>> find(st.from_type(Signal), lambda u: len(u) == 2)
    Signal([0, 0])
    """
    for kind, strategy in type_strategies().items():
        st.register_type_strategy(kind, strategy)


def type_strategies() -> dict[type, SearchStrategy]:
    """The strategies :func:`register_type_strategies` registers, by type: rational Signals of
    1 to 8 entries, and periodic 1-D Convolutions with rational kernels.

    >>> sorted(t.__name__ for t in type_strategies())
    ['Convolution', 'Signal']
    """
    from .layers import Convolution

    sizes = st.integers(min_value=1, max_value=8)
    return {Signal: sizes.flatmap(signals),
            Convolution: kernels().map(lambda k: Convolution(k, padding="periodic"))}
