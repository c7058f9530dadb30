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

import math
from typing import Any

import flint
import sympy

from ..arith.cyclotomic import CyclotomicElement
from ..arith.field_maps import field_elements, from_elements
from ..core.assumptions import Assumptions
from ..core.encoding import PiecewiseLinearFunction, V, VectorAlgebra
from ..core.errors import EncodingError, InvalidArgumentError
from ..core.exact import sympy_to_fmpq, to_exact, to_rational
from ..core.limits import check_degree
from ..core.operator import Operator, PermutationLemma
from ..core.signal import Signal
from ..core.texescape import Phrase
from ..core.zero import certify_sign, zero_test
from ..functions.piecewise import check_heaviside
from ..core.texts import brief, brief_latex

__all__ = ["Bias", "Pointwise", "PiecewiseLinearActivation", "ReLU", "LeakyReLU", "Abs", "PolynomialActivation"]

_ZERO = flint.fmpq(0)
_SHIFT_CONVENTION = Phrase("entrywise: commutes with every periodic shift; with a zero-fill shift only if f(0) = 0",
                           "entrywise: commutes with every periodic shift; with a zero-fill shift only if $f(0) = 0$")


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
                raise InvalidArgumentError(f"value has shape {brief(value.shape, str)}; give one value or a 1-D list, one per channel")
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
                    f"Bias has {brief(channels, str)} per-channel values, so it expects a signal of shape "
                    f"({brief(channels, str)}, ...) with channels first; got shape {brief(shape, str)}"
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

    semantic_methods = ("_apply", "offset")

    def encode(self, algebra: VectorAlgebra[V], values: V, shape: tuple[int, ...]) -> V:
        """An affine offset (rational biases only).

        >>> from symequi.core.encoding import VectorAlgebra
        >>> class Offsets(VectorAlgebra):
        ...     def add_constants(self, values, constants):
        ...         return [str(c) for c in constants]
        >>> Bias('1/2').encode(Offsets(), None, (2,))
        ['1/2', '1/2']
        """
        offset = self.offset(shape)
        if not offset.is_rational:
            raise EncodingError(f"{brief(self.describe(), str)} is not rational; {brief(algebra.name, str)} needs rational biases")
        return algebra.add_constants(values, offset.flat_fmpqs())

    def permutation_lemma(self, shape: tuple[int, ...], pi: tuple[int, ...],
                          assumptions: Assumptions | None = None) -> PermutationLemma:
        """Lemma (b): ``P(u + b) = P u + P b``, so the bias commutes with ``P`` iff ``P b = b``
        (checked exactly, entry by entry).

        >>> Bias(-1).permutation_lemma((3,), (2, 0, 1)).proved
        True
        >>> Bias([1, 2]).permutation_lemma((2, 1), (1, 0)).proved
        False
        """
        b = self.offset(shape)
        values = b.flat_fmpqs() if b.domain == "QQ" else b.flat_exprs()
        for j, source in enumerate(pi):
            if b.domain == "QQ" or values[source] == values[j]:
                same: bool | None = values[source] == values[j]
            else:
                same, _ = zero_test(values[source] - values[j], assumptions=assumptions)
            if not same:
                how = "is not" if same is False else "could not be shown to be"
                return PermutationLemma(False, "bias", (
                    f"lemma (b) fails: the bias offset b {how} invariant, (P b)_{j} = b_{source} = "
                    f"{values[source]} but b_{j} = {values[j]}; P(u + b) = P u + P b"))
        if self.value.size == 1:
            return PermutationLemma(True, "bias", "lemma (b), scalar bias: P(u + c) = P u + c for every permutation P")
        per = math.prod(shape) // self.value.size
        if all(source // per == j // per for j, source in enumerate(pi)):
            return PermutationLemma(True, "bias", "lemma (b), per-channel bias: P moves entries only within "
                                                  "each channel, so P b = b")
        return PermutationLemma(True, "bias", "lemma (b), per-channel bias: P b = b exactly (the channels P "
                                              "mixes have equal biases)")

    def maps_reals_to_reals(self) -> bool:
        """True when every bias value is real.

        >>> Bias(sympy.I).maps_reals_to_reals()
        False
        """
        return all(bool(v.is_real) for v in self.value.flat_exprs())

    def conventions(self) -> tuple[str, ...]:
        """The bias convention in words.

        >>> Bias(-1).conventions()
        ('bias: adds -1 to every entry (affine); commutes with every periodic shift, not with a zero-fill shift (vacated entries get 0, not the bias)',)
        """
        if self.value.size == 1:
            what = f"adds {self.value[0]} to every entry"
            what_latex = f"adds ${brief_latex(self.value[0])}$ to every entry"
        else:
            what = f"adds {_values_text(self.value)} to channels 0..{self.value.size - 1} (axis 0)"
            what_latex = (f"adds $[{', '.join(brief_latex(v) for v in self.value.flat_exprs())}]$ to channels "
                          f"$0, \\dots, {self.value.size - 1}$ (axis 0)")
        rest = "(affine); commutes with every periodic shift, not with a zero-fill shift (vacated entries get 0, not the bias)"
        return (Phrase(f"bias: {what} {rest}", f"bias: {what_latex} {rest.replace('get 0', 'get $0$')}"),)

    def describe(self) -> str:
        """One line.

        >>> Bias(-1).describe()
        'bias -1'
        """
        if self.value.size == 1:
            return f"bias {brief(self.value[0], str)}"
        return f"per-channel bias {brief(_values_text(self.value), str)}"

    def latex(self) -> str:
        r"""LaTeX.

        >>> Bias('-1/2').latex()
        'x \\mapsto x + \\left(- \\frac{1}{2}\\right)'
        """
        if self.value.size == 1:
            return rf"x \mapsto x + \left({brief_latex(self.value[0])}\right)"
        return rf"x^{{c}} \mapsto x^{{c}} + \beta_{{c}},\ \beta = {self.value.latex()}"

    def __repr__(self) -> str:
        if self.value.size == 1:
            return f"Bias({brief(self.value[0], str)})"
        return f"Bias({brief(_values_text(self.value), str)})"


def _values_text(signal: Signal) -> str:
    return "[" + ", ".join(brief(v, str) for v in signal.flat_exprs()) + "]"


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

    semantic_methods = ("_apply", "_apply_rational", "_entry")

    def _entry(self, e: sympy.Expr) -> sympy.Expr:
        """The activation of one entry."""
        return self.fn(e)

    def permutation_lemma(self, shape: tuple[int, ...], pi: tuple[int, ...],
                          assumptions: Assumptions | None = None) -> PermutationLemma:
        """Lemma (a): an entrywise map commutes with every permutation of entries,
        ``(sigma(P u))_j = sigma(u_{pi(j)}) = (P sigma(u))_j``.

        >>> ReLU().permutation_lemma((3,), (1, 2, 0)).text
        'lemma (a), entrywise: sigma(P u) = P sigma(u) for every permutation P'
        """
        return PermutationLemma(True, "entrywise",
                                "lemma (a), entrywise: sigma(P u) = P sigma(u) for every permutation P")

    def maps_reals_to_reals(self) -> bool:
        """True when sympy certifies that the function is real on real arguments.

        >>> Pointwise(lambda v: v**2).maps_reals_to_reals(), Pointwise(lambda v: sympy.I * v).maps_reals_to_reals()
        (True, False)
        """
        return bool(self.fn(sympy.Dummy("t", real=True)).is_real)

    def _apply_rational(self, values: list[flint.fmpq]) -> list[flint.fmpq] | None:
        """A fast path on rationals; None means use the sympy Lambda."""
        return None

    def conventions(self) -> tuple[str, ...]:
        """The activation in words (entrywise, so shift equivariant).

        >>> ReLU().conventions()[0]
        'activation ReLU(x) = max(0, x) applied to every entry'
        """
        return (Phrase(f"activation {self._formula()} applied to every entry",
                       f"activation ${self._formula_latex()}$ applied to every entry"), _SHIFT_CONVENTION)

    def _formula(self) -> str:
        return f"f(x) = {brief(self._display_expr(), str)}"

    def _formula_latex(self) -> str:
        """:meth:`_formula` as LaTeX math."""
        return f"f(x) = {brief_latex(self._display_expr())}"

    def _display_expr(self) -> sympy.Expr:
        """The body with its bound variable shown as ``x``."""
        (var,) = self.fn.variables
        return self.fn.expr.xreplace({var: sympy.Symbol("x", real=True)})

    def describe(self) -> str:
        """One line: the function applied to every entry.

        >>> LeakyReLU('1/4').describe()
        'pointwise LeakyReLU(x) = x for x >= 0, 1/4*x for x < 0'
        """
        return f"pointwise {brief(self._formula(), str)}"

    def latex(self) -> str:
        r"""LaTeX of the function.

        >>> Abs().latex()
        'x \\mapsto \\left|{x}\\right|'
        """
        return rf"x \mapsto {brief_latex(self._display_expr())}"

    def __repr__(self) -> str:
        return f"Pointwise(Lambda(x, {brief(self._display_expr(), str)}))"


def _check_function(expr: sympy.Expr, name: str) -> sympy.Expr:
    """Refuse sympy's Heaviside with H(0) != 0 (the paper's H(0) = 0) and distributions."""
    if expr.has(sympy.DiracDelta):
        raise InvalidArgumentError(f"{name}={brief(expr, str)} contains DiracDelta, a distribution, not a function of each entry")
    check_heaviside(expr, name)
    return expr


def _as_lambda(fn: Any) -> sympy.Lambda:
    if isinstance(fn, sympy.Lambda):
        if len(fn.variables) != 1:
            raise InvalidArgumentError(f"fn={brief(fn, str)} takes {len(fn.variables)} variables; give a function of one variable")
        _check_function(to_exact(fn.expr, "fn"), "fn")  # refuses floats inside the expression
        return fn
    if not callable(fn):
        raise InvalidArgumentError(
            f"fn={brief(fn)} must be a sympy Lambda of one variable or a callable of a sympy value, "
            "e.g. sympy.Lambda(t, t**2) or lambda v: v**2"
        )
    var = sympy.Dummy("x", real=True)
    try:
        expr = fn(var)
    except Exception as err:  # the user's callable failed on a symbol: say how to fix it
        raise InvalidArgumentError(
            f"fn={brief(fn)} raised {type(err).__name__} on a sympy symbol; it must accept sympy values "
            "(use sympy.Max/sympy.Piecewise instead of Python's max/if)"
        ) from err
    return sympy.Lambda(var, _check_function(to_exact(expr, "fn(x)"), "fn(x)"))


#: The bound variable of the activations' formulas (shown as x).
ENTRY = sympy.Symbol("x", real=True)


class PiecewiseLinearActivation(Pointwise):
    """An entrywise piecewise-linear activation with rational breakpoints and pieces.

    The one description (a :class:`~symequi.core.encoding.PiecewiseLinearFunction`)
    gives the values on rationals, the branch of an algebraic entry (by certified
    signs, never a float comparison), the SMT encoding and the action on outputs
    that are polynomials in delta; :class:`ReLU`, :class:`LeakyReLU`,
    :class:`Abs` and :class:`~symequi.layers.clamp.Clamp` only choose the pieces.

    Parameters
    ----------
    function : the PiecewiseLinearFunction
    expr : optional sympy expression in ``symequi.layers.activations.ENTRY`` shown
        for the function (default: the Piecewise form)

    >>> from symequi.core.encoding import PiecewiseLinearFunction
    >>> step = PiecewiseLinearActivation(PiecewiseLinearFunction.from_pieces([0], [(0, 0), (0, 1)]))
    >>> step([-1, 0, '1/2'])
    Signal([0, 0, 1])
    """

    is_piecewise_linear = True

    def __init__(self, function: PiecewiseLinearFunction, expr: sympy.Expr | None = None) -> None:
        if not isinstance(function, PiecewiseLinearFunction):
            raise InvalidArgumentError(
                f"function={brief(function)} must be a PiecewiseLinearFunction, e.g. "
                "PiecewiseLinearFunction.from_pieces([0], [(0, 0), (1, 0)]) for ReLU"
            )
        self.function: PiecewiseLinearFunction = function
        super().__init__(sympy.Lambda(ENTRY, function.sympy_expr(ENTRY) if expr is None else expr))

    @property
    def is_linear(self) -> bool:  # type: ignore[override]
        """True when the function is ``a x`` (e.g. LeakyReLU(1)).

        >>> LeakyReLU(1).is_linear, ReLU().is_linear
        (True, False)
        """
        return self.function.is_linear

    def _apply_rational(self, values: list[flint.fmpq]) -> list[flint.fmpq]:
        f = self.function
        return [f(v) for v in values]

    def _apply(self, signal: Signal) -> Signal:
        """Rational entries through the rational fast path; real cyclotomic entries (a Fourier
        shift's output) stay in their field, each sent to its piece by the certified sign of
        ``e - b``; anything else entry by entry as sympy expressions (:meth:`_entry`)."""
        elements = field_elements(signal) if type(self)._entry is PiecewiseLinearActivation._entry else None
        if elements is not None:
            return from_elements([self._piece_value(e) for e in elements], signal.shape)
        return super()._apply(signal)

    def _piece_value(self, e: CyclotomicElement) -> CyclotomicElement:
        """The function at a real cyclotomic ``e``: the piece of the first breakpoint ``b`` with
        ``e <= b`` (intervals closed on the right, as on rationals).

        >>> from symequi.arith.cyclotomic import cos_pi
        >>> ReLU()._piece_value(cos_pi('3/4')).sign(), ReLU()._piece_value(cos_pi('1/4')) == cos_pi('1/4')
        (0, True)
        """
        index = 0
        for b in self.function.breakpoints:
            if (e - b).sign() <= 0:
                break
            index += 1
        a, c = self.function.pieces[index]
        return e * a + c

    def _entry(self, e: sympy.Expr) -> sympy.Expr:
        """A number goes to its piece by certified signs of ``e - b``; an entry whose sign cannot be
        certified (or a symbolic one) stays an unevaluated function of ``e``."""
        if not e.is_number:
            return self.fn(e)
        index = 0
        for b in self.function.breakpoints:
            sign = certify_sign(e - sympy.Rational(int(b.p), int(b.q)))
            if sign is None:
                return sympy.Piecewise(*self.fn.expr.xreplace({ENTRY: e}).args, evaluate=False) \
                    if isinstance(self.fn.expr, sympy.Piecewise) else self.fn(e)
            if sign > 0:
                index += 1
            else:
                break
        a, c = self.function.pieces[index]
        return sympy.Rational(int(a.p), int(a.q)) * e + sympy.Rational(int(c.p), int(c.q))

    def encode(self, algebra: VectorAlgebra[V], values: V, shape: tuple[int, ...]) -> V:
        """The piecewise-linear function on every entry.

        >>> from symequi.core.encoding import VectorAlgebra
        >>> class Show(VectorAlgebra):
        ...     def entrywise(self, values, function):
        ...         return [str(b) for b in function.breakpoints]
        >>> ReLU().encode(Show(), None, (3,))
        ['0']
        """
        return algebra.entrywise(values, self.function)


class ReLU(PiecewiseLinearActivation):
    """``ReLU(x) = max(0, x)`` (``Max(0, e)`` for an entry of undecided sign).

    >>> ReLU()([-1, '1/2', 0])
    Signal([0, 1/2, 0])
    """

    def __init__(self) -> None:
        super().__init__(PiecewiseLinearFunction.from_pieces([0], [(0, 0), (1, 0)]), sympy.Max(0, ENTRY))

    def _formula(self) -> str:
        return "ReLU(x) = max(0, x)"

    def _formula_latex(self) -> str:
        return r"\mathrm{ReLU}(x) = \max(0, x)"

    def __repr__(self) -> str:
        return "ReLU()"


class LeakyReLU(PiecewiseLinearActivation):
    """``LeakyReLU(x) = x`` for ``x >= 0`` and ``slope * x`` otherwise; ``slope`` rational.

    >>> LeakyReLU('1/10')([-1, 2])
    Signal([-1/10, 2])
    """

    def __init__(self, slope: Any) -> None:
        self.slope: sympy.Rational = to_rational(slope, "slope")
        super().__init__(PiecewiseLinearFunction.from_pieces([0], [(self.slope, 0), (1, 0)]),
                         sympy.Piecewise((ENTRY, ENTRY >= 0), (self.slope * ENTRY, True)))

    def _formula(self) -> str:
        return f"LeakyReLU(x) = x for x >= 0, {self.slope}*x for x < 0"

    def _formula_latex(self) -> str:
        return (r"\mathrm{LeakyReLU}(x) = x \text{ for } x \ge 0,\ "
                + brief_latex(self.slope * sympy.Symbol("x")) + r" \text{ for } x < 0")

    def __repr__(self) -> str:
        return f"LeakyReLU({brief(self.slope, str)})" if self.slope.is_Integer else f"LeakyReLU('{brief(self.slope, str)}')"


class Abs(PiecewiseLinearActivation):
    """``Abs(x) = |x|``.

    >>> Abs()([-2, '1/3'])
    Signal([2, 1/3])
    """

    def __init__(self) -> None:
        super().__init__(PiecewiseLinearFunction.from_pieces([0], [(-1, 0), (1, 0)]), sympy.Abs(ENTRY))

    def _formula(self) -> str:
        return "Abs(x) = |x|"

    def _formula_latex(self) -> str:
        return r"\mathrm{Abs}(x) = |x|"

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
            check_degree(len(polynomial) - 1, "polynomial (its degree, the number of coefficients - 1)")
            coeffs = [to_exact(c, f"polynomial[{i}]") for i, c in enumerate(polynomial)]
            expr = sum((c * ENTRY**i for i, c in enumerate(coeffs)), sympy.S.Zero)
            var = ENTRY
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
                        f"polynomial={brief(expr, str)} has free symbols {brief(symbols, str)}; give a polynomial in one symbol, e.g. x**2"
                    )
                var = symbols[0] if symbols else ENTRY
            to_exact(expr, "polynomial")
            if not expr.is_polynomial(var):
                raise InvalidArgumentError(
                    f"polynomial={brief(expr, str)} is not a polynomial in {brief(var, str)}; use Pointwise for other functions"
                )
            degree = sympy.degree(expr, var)               # -oo for the zero polynomial
            if degree.is_Integer:
                check_degree(int(degree), "polynomial (its degree)")
            coeffs = list(reversed(sympy.Poly(expr, var).all_coeffs()))
        while len(coeffs) > 1 and coeffs[-1] == 0:
            coeffs.pop()
        self.coeffs: tuple[sympy.Expr, ...] = tuple(coeffs)
        self.degree: int = len(coeffs) - 1
        super().__init__(sympy.Lambda(ENTRY, sum((c * ENTRY**i for i, c in enumerate(coeffs)), sympy.S.Zero)))
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

    def encode(self, algebra: VectorAlgebra[V], values: V, shape: tuple[int, ...]) -> V:
        """The rational polynomial on every entry.

        >>> from symequi.core.encoding import VectorAlgebra
        >>> class Show(VectorAlgebra):
        ...     def polynomial(self, values, poly):
        ...         return str(poly)
        >>> PolynomialActivation([0, 0, 1]).encode(Show(), None, (2,))
        'x^2'
        """
        if self._poly is None:
            raise EncodingError(f"{brief(self.describe(), str)} has irrational coefficients; {brief(algebra.name, str)} needs "
                                "rational ones (use the search decider)")
        return algebra.polynomial(values, self._poly)

    def _formula(self) -> str:
        return f"p(x) = {self._display_expr()}"

    def _formula_latex(self) -> str:
        return f"p(x) = {brief_latex(self._display_expr())}"

    def __repr__(self) -> str:
        return f"PolynomialActivation({brief(self._display_expr(), str)})"
