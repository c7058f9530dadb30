"""Entrywise layers: a bias, and exact activation functions.

* :class:`Bias` adds a constant (one value, or one per channel).
* :class:`Pointwise` applies a function of one variable to every entry;
  :class:`ReLU`, :class:`LeakyReLU`, :class:`Abs` and
  :class:`PolynomialActivation` are the common cases.

Rational entries take a fast path on python-flint rationals.  A symbolic entry
``e`` becomes ``Max(0, e)`` under ReLU unless sympy decides the sign of ``e``
exactly (then the result is ``e`` or ``0``).  Entrywise layers commute with
every periodic shift of the entries; with a shift that fills vacated entries
with 0 they commute only when they map 0 to 0 (a bias does not).

Example
-------
>>> from symequi.layers.activations import Bias, ReLU
>>> from symequi.core.operator import Sequential
>>> Sequential(Bias(-1), ReLU())([0, 2, '1/2', 3])
Signal([0, 1, 0, 2])
>>> import sympy
>>> ReLU()([sympy.Symbol('e'), -1])
Signal([Max(0, e), 0])
"""

from __future__ import annotations

from typing import Any

import flint
import sympy

from ..core.errors import InvalidArgumentError
from ..core.exact import sympy_to_fmpq, to_exact, to_rational
from ..core.operator import Operator
from ..core.signal import Signal

__all__ = ["Bias", "Pointwise", "ReLU", "LeakyReLU", "Abs", "PolynomialActivation"]

_ZERO = flint.fmpq(0)
_SHIFT_CONVENTION = "entrywise: commutes with every periodic shift; with a zero-fill shift only if f(0) = 0"


class Bias(Operator):
    """Add a constant: one value for every entry, or one value per channel (axis 0).

    Parameters
    ----------
    value : an exact number or expression, or a list with one per channel.

    ``value`` is kept as a Signal of shape ``(1,)`` (one value, added to every
    entry) or ``(C,)`` (value ``c`` added to channel ``c``, channels first).
    A bias is affine, not linear (``is_linear`` is False).

    >>> Bias(['1/2', -1])([[0, 0], [1, 1]])
    Signal([[1/2, 1/2], [0, 0]])
    """

    is_linear = False

    def __init__(self, value: Any) -> None:
        if isinstance(value, Signal):
            if value.ndim != 1:
                raise InvalidArgumentError(f"value has shape {value.shape}; give one value or a 1-D list, one per channel")
            self.value: Signal = value
        elif isinstance(value, (list, tuple)):
            if len(value) == 0:
                raise InvalidArgumentError("value is empty; give one number, or one per channel")
            if any(isinstance(v, (list, tuple)) for v in value):
                raise InvalidArgumentError("value must be one number or a flat list with one number per channel")
            self.value = Signal([to_exact(v, f"value[{i}]") for i, v in enumerate(value)])
        else:
            self.value = Signal([to_exact(value, "value")])

    @property
    def is_piecewise_linear(self) -> bool:  # type: ignore[override]
        """True when the bias is rational (the SMT decider needs rational constants).

        >>> Bias('1/2').is_piecewise_linear, Bias(sympy.sqrt(2)).is_piecewise_linear
        (True, False)
        """
        return self.value.is_rational

    def offset(self, shape: tuple[int, ...]) -> Signal:
        """The full-shape signal that is added to an input of shape ``shape``.

        >>> Bias(2).offset((3,))
        Signal([2, 2, 2])
        """
        shape = (shape,) if isinstance(shape, int) else tuple(shape)
        size = 1
        for n in shape:
            size *= n
        channels = self.value.size
        if channels > 1:
            if len(shape) < 2 or shape[0] != channels:
                raise InvalidArgumentError(
                    f"Bias has {channels} per-channel values, so it expects a signal of shape "
                    f"({channels}, ...) with channels first; got shape {shape}"
                )
            per = size // channels
            if self.value.is_rational:
                values = [v for v in self.value.flat_fmpqs() for _ in range(per)]
                return Signal.from_fmpqs(values, shape)
            return Signal.from_exprs([v for v in self.value.flat_exprs() for _ in range(per)], shape)
        if self.value.is_rational:
            return Signal.from_fmpqs([self.value.flat_fmpqs()[0]] * size, shape)
        return Signal.from_exprs([self.value.flat_exprs()[0]] * size, shape)

    def _apply(self, signal: Signal) -> Signal:
        return signal + self.offset(signal.shape)

    def conventions(self) -> tuple[str, ...]:
        """The bias convention in words.

        >>> Bias(-1).conventions()
        ('bias: adds -1 to every entry (affine); commutes with every periodic shift, not with a zero-fill shift (vacated entries get 0, not the bias)',)
        """
        if self.value.size == 1:
            what = f"adds {self.value[0]} to every entry"
        else:
            what = f"adds {_values_text(self.value)} to channels 0..{self.value.size - 1} (axis 0)"
        return (f"bias: {what} (affine); commutes with every periodic shift, not with a zero-fill "
                "shift (vacated entries get 0, not the bias)",)

    def describe(self) -> str:
        """One line.

        >>> Bias(-1).describe()
        'bias -1'
        """
        if self.value.size == 1:
            return f"bias {self.value[0]}"
        return f"per-channel bias {_values_text(self.value)}"

    def latex(self) -> str:
        r"""LaTeX.

        >>> Bias('-1/2').latex()
        'x \\mapsto x + \\left(- \\frac{1}{2}\\right)'
        """
        if self.value.size == 1:
            return rf"x \mapsto x + \left({sympy.latex(self.value[0])}\right)"
        return rf"x^{{c}} \mapsto x^{{c}} + \beta_{{c}},\ \beta = {self.value.latex()}"

    def __repr__(self) -> str:
        if self.value.size == 1:
            return f"Bias({self.value[0]})"
        return f"Bias({_values_text(self.value)})"


def _values_text(signal: Signal) -> str:
    return "[" + ", ".join(str(v) for v in signal.flat_exprs()) + "]"


class Pointwise(Operator):
    """Apply a function of one variable to every entry.

    Parameters
    ----------
    fn : a sympy ``Lambda`` of one variable, or a Python callable that takes a
        sympy value and returns an exact sympy expression (it is called once on
        a fresh symbol to build the Lambda).

    The attribute ``fn`` is the sympy Lambda.

    >>> import sympy
    >>> t = sympy.Symbol('t')
    >>> Pointwise(sympy.Lambda(t, t**3 - t))([2, '1/2'])
    Signal([6, -3/8])
    >>> Pointwise(lambda v: 2 * v)([1, 3])
    Signal([2, 6])
    """

    def __init__(self, fn: Any) -> None:
        self.fn: sympy.Lambda = _as_lambda(fn)

    def _apply(self, signal: Signal) -> Signal:
        if signal.is_rational:
            fast = self._apply_rational(signal.flat_fmpqs())
            if fast is not None:
                return Signal.from_fmpqs(fast, signal.shape)
        return Signal.from_exprs((self._entry(e) for e in signal.flat_exprs()), signal.shape)

    #: For piecewise-linear activations, the factors on the positive and negative branch.
    _branch_factors: tuple[Any, Any] | None = None

    def _entry(self, e: sympy.Expr) -> sympy.Expr:
        """The activation of one entry.  For a number of a piecewise-linear activation, the
        branch is chosen by a certified sign (never a float comparison); when the sign
        cannot be certified the entry stays an unevaluated ``fn(e)``."""
        if self._branch_factors is None or not e.is_number:
            return self.fn(e)
        from ..core.zero import certify_sign  # exact sign tests sit above the layers; import on use

        sign = certify_sign(e)
        if sign is None:
            return sympy.Piecewise((self._branch_factors[0] * e, e > 0),
                                   (self._branch_factors[1] * e, True), evaluate=False)
        return self._branch_factors[0] * e if sign > 0 else self._branch_factors[1] * e

    def _apply_rational(self, values: list[flint.fmpq]) -> list[flint.fmpq] | None:
        """A fast path on rationals; None means use the sympy Lambda."""
        return None

    def conventions(self) -> tuple[str, ...]:
        """The activation in words (entrywise, so shift equivariant).

        >>> ReLU().conventions()[0]
        'activation ReLU(x) = max(0, x) applied to every entry'
        """
        return (f"activation {self._formula()} applied to every entry", _SHIFT_CONVENTION)

    def _formula(self) -> str:
        return f"f(x) = {self._display_expr()}"

    def _display_expr(self) -> sympy.Expr:
        """The body with its bound variable shown as ``x``."""
        (var,) = self.fn.variables
        return self.fn.expr.xreplace({var: sympy.Symbol("x", real=True)})

    def describe(self) -> str:
        """One line: the function applied to every entry.

        >>> LeakyReLU('1/4').describe()
        'pointwise LeakyReLU(x) = x for x >= 0, 1/4*x for x < 0'
        """
        return f"pointwise {self._formula()}"

    def latex(self) -> str:
        r"""LaTeX of the function.

        >>> Abs().latex()
        'x \\mapsto \\left|{x}\\right|'
        """
        return rf"x \mapsto {sympy.latex(self._display_expr())}"

    def __repr__(self) -> str:
        return f"Pointwise(Lambda(x, {self._display_expr()}))"


def _as_lambda(fn: Any) -> sympy.Lambda:
    if isinstance(fn, sympy.Lambda):
        if len(fn.variables) != 1:
            raise InvalidArgumentError(f"fn={fn} takes {len(fn.variables)} variables; give a function of one variable")
        to_exact(fn.expr, "fn")  # refuses floats inside the expression
        return fn
    if not callable(fn):
        raise InvalidArgumentError(
            f"fn={fn!r} must be a sympy Lambda of one variable or a callable of a sympy value, "
            "e.g. sympy.Lambda(t, t**2) or lambda v: v**2"
        )
    var = sympy.Dummy("x", real=True)
    try:
        expr = fn(var)
    except Exception as err:  # the user's callable failed on a symbol: say how to fix it
        raise InvalidArgumentError(
            f"fn={fn!r} raised {type(err).__name__} on a sympy symbol; it must accept sympy values "
            "(use sympy.Max/sympy.Piecewise instead of Python's max/if)"
        ) from err
    return sympy.Lambda(var, to_exact(expr, "fn(x)"))


_T = sympy.Symbol("x", real=True)


class ReLU(Pointwise):
    """``ReLU(x) = max(0, x)`` (``Max(0, e)`` for an entry of undecided sign).

    >>> ReLU()([-1, '1/2', 0])
    Signal([0, 1/2, 0])
    """

    is_piecewise_linear = True

    _branch_factors = (1, 0)

    def __init__(self) -> None:
        super().__init__(sympy.Lambda(_T, sympy.Max(0, _T)))

    def _apply_rational(self, values: list[flint.fmpq]) -> list[flint.fmpq]:
        return [v if v > 0 else _ZERO for v in values]

    def _formula(self) -> str:
        return "ReLU(x) = max(0, x)"

    def __repr__(self) -> str:
        return "ReLU()"


class LeakyReLU(Pointwise):
    """``LeakyReLU(x) = x`` for ``x >= 0`` and ``slope * x`` otherwise; ``slope`` rational.

    >>> LeakyReLU('1/10')([-1, 2])
    Signal([-1/10, 2])
    """

    is_piecewise_linear = True

    def __init__(self, slope: Any) -> None:
        self.slope: sympy.Rational = to_rational(slope, "slope")
        self._slope_q = sympy_to_fmpq(self.slope)
        self._branch_factors = (1, self.slope)
        super().__init__(sympy.Lambda(_T, sympy.Piecewise((_T, _T >= 0), (self.slope * _T, True))))

    @property
    def is_linear(self) -> bool:  # type: ignore[override]
        """True only for slope 1 (the identity).

        >>> LeakyReLU(1).is_linear, LeakyReLU('1/2').is_linear
        (True, False)
        """
        return self.slope == 1

    def _apply_rational(self, values: list[flint.fmpq]) -> list[flint.fmpq]:
        s = self._slope_q
        return [v if v >= 0 else v * s for v in values]

    def _formula(self) -> str:
        return f"LeakyReLU(x) = x for x >= 0, {self.slope}*x for x < 0"

    def __repr__(self) -> str:
        return f"LeakyReLU({self.slope})" if self.slope.is_Integer else f"LeakyReLU('{self.slope}')"


class Abs(Pointwise):
    """``Abs(x) = |x|``.

    >>> Abs()([-2, '1/3'])
    Signal([2, 1/3])
    """

    is_piecewise_linear = True

    _branch_factors = (1, -1)

    def __init__(self) -> None:
        super().__init__(sympy.Lambda(_T, sympy.Abs(_T)))

    def _apply_rational(self, values: list[flint.fmpq]) -> list[flint.fmpq]:
        return [v if v >= 0 else -v for v in values]

    def _formula(self) -> str:
        return "Abs(x) = |x|"

    def __repr__(self) -> str:
        return "Abs()"


class PolynomialActivation(Pointwise):
    """A polynomial activation, from ascending coefficients or an expression.

    Parameters
    ----------
    polynomial : a list ``[c0, c1, c2, ...]`` meaning ``c0 + c1 x + c2 x**2 + ...``
        (ascending powers), or a sympy expression that is a polynomial in its one
        free symbol (e.g. ``symequi.x**2``), or a sympy Lambda.

    Attributes ``coeffs`` (ascending, sympy values) and ``degree``.

    >>> import symequi as se
    >>> PolynomialActivation(se.x**2)([-3, '1/2'])
    Signal([9, 1/4])
    >>> PolynomialActivation([1, 0, 1]).coeffs
    (1, 0, 1)
    """

    def __init__(self, polynomial: Any) -> None:
        if isinstance(polynomial, (list, tuple)):
            if not polynomial:
                raise InvalidArgumentError("polynomial is an empty coefficient list; give e.g. [0, 0, 1] for x**2")
            coeffs = [to_exact(c, f"polynomial[{i}]") for i, c in enumerate(polynomial)]
            expr = sum((c * _T**i for i, c in enumerate(coeffs)), sympy.S.Zero)
            var = _T
        else:
            if isinstance(polynomial, sympy.Lambda):
                if len(polynomial.variables) != 1:
                    raise InvalidArgumentError("polynomial must be a Lambda of one variable")
                (var,), expr = polynomial.variables, polynomial.expr
            else:
                expr = to_exact(polynomial, "polynomial", symbols=True)  # a polynomial in any one symbol
                symbols = sorted(expr.free_symbols, key=str)
                if len(symbols) > 1:
                    raise InvalidArgumentError(
                        f"polynomial={expr} has free symbols {symbols}; give a polynomial in one symbol, e.g. x**2"
                    )
                var = symbols[0] if symbols else _T
            to_exact(expr, "polynomial")
            if not expr.is_polynomial(var):
                raise InvalidArgumentError(
                    f"polynomial={expr} is not a polynomial in {var}; use Pointwise for other functions"
                )
            coeffs = list(reversed(sympy.Poly(expr, var).all_coeffs()))
        while len(coeffs) > 1 and coeffs[-1] == 0:
            coeffs.pop()
        self.coeffs: tuple[sympy.Expr, ...] = tuple(coeffs)
        self.degree: int = len(coeffs) - 1
        super().__init__(sympy.Lambda(_T, sum((c * _T**i for i, c in enumerate(coeffs)), sympy.S.Zero)))
        self._poly = (
            flint.fmpq_poly([sympy_to_fmpq(c) for c in coeffs]) if all(c.is_Rational for c in coeffs) else None
        )

    @property
    def is_linear(self) -> bool:  # type: ignore[override]
        """True for ``c1 x`` (degree <= 1 and no constant term).

        >>> PolynomialActivation([0, 3]).is_linear, PolynomialActivation([1, 3]).is_linear
        (True, False)
        """
        return self.degree <= 1 and self.coeffs[0] == 0

    @property
    def is_piecewise_linear(self) -> bool:  # type: ignore[override]
        """True for rational affine polynomials (degree <= 1).

        >>> PolynomialActivation([1, 3]).is_piecewise_linear
        True
        """
        return self.degree <= 1 and self._poly is not None

    def _apply_rational(self, values: list[flint.fmpq]) -> list[flint.fmpq] | None:
        if self._poly is None:
            return None
        p = self._poly
        return [p(v) for v in values]

    def _formula(self) -> str:
        return f"p(x) = {self._display_expr()}"

    def __repr__(self) -> str:
        return f"PolynomialActivation({self._display_expr()})"
