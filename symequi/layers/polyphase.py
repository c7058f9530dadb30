r"""Adaptive polyphase sampling (APS): stride-``s`` downsampling that keeps the loudest phase.

Chaman & Dokmanic (2021), *Truly shift-invariant convolutional neural networks*:
instead of always keeping ``x[0::s]``, keep the polyphase component
``x_k = x[..., k::s]`` (``k = 0 .. s-1``; all channels of a ``(C, N)`` signal
jointly) whose norm is largest.

* ``norm='l1'``: ``||x_k||_1 = sum |x_k|`` (piecewise linear: the SMT decider
  encodes it in linear real arithmetic);
* ``norm='l2'``: ``||x_k||_2^2 = sum x_k**2``, the *squared* norm, which orders
  the components as the norm does (the SMT decider encodes it in nonlinear real
  arithmetic: ``decide_smt(..., nonlinear=True)``).

Tie rule (explicit): among components of equal largest norm the **lowest index
wins** (``k = 0`` before ``k = 1``).  Norms are compared exactly: rationals
directly, algebraic numbers by certified signs
(:func:`symequi.core.zero.certify_sign`); when a sign cannot be certified
(symbolic entries) every output entry is a ``Piecewise`` over the choices, in
the same order, so the tie rule is kept.

Why it matters: for a circular shift by one, ``(T x)[0::2] = T(x[1::2])`` and
``(T x)[1::2] = x[0::2]``, so the components swap (one of them shifted) and
their norms swap with them.  Without a tie the same component is kept, and
``APS(T x)`` is ``APS(x)`` or ``T APS(x)``; with a tie the rule "lowest index
wins" keeps ``x[0::2]`` for ``x`` but ``T(x[1::2])`` for ``T x``.

:class:`PolyphaseNorms` is the vector of the components' norms (the keys of the
selection); :meth:`AdaptivePolyphaseSampling.tie_margins` the operator whose
entries ``|n_k - n_l|`` are all positive exactly when no two components tie.

Example
-------
>>> from symequi.layers.polyphase import AdaptivePolyphaseSampling, PolyphaseNorms
>>> aps = AdaptivePolyphaseSampling("l1")
>>> PolyphaseNorms("l1")([1, -3, 0, 1]), aps([1, -3, 0, 1])
(Signal([1, 4]), Signal([-3, 1]))
>>> aps([2, 1, 0, 1])          # a tie, 2 = 2: the lowest index wins
Signal([2, 0])
>>> AdaptivePolyphaseSampling("l2")([[1, 0, 0, 1], [0, 2, 1, 0]])   # channels jointly: 2 < 5
Signal([[0, 1], [2, 0]])
"""

from __future__ import annotations

import itertools
import math
from typing import Any, Literal

import flint
import sympy

from ..core.encoding import V, VectorAlgebra
from ..core.errors import InvalidArgumentError
from ..core.exact import positive_int
from ..core.operator import Operator, Sequential
from ..core.signal import Signal
from ..core.texescape import Phrase
from ..core.zero import certify_sign
from .activations import Abs
from .dense import Linear
from ..core.texts import brief

__all__ = ["AdaptivePolyphaseSampling", "PolyphaseNorms", "APS_NORMS", "polyphase_components"]

#: The norms adaptive polyphase sampling compares.
APS_NORMS = ("l1", "l2")

ApsNorm = Literal["l1", "l2"]

_ABS = Abs()
_SQUARE = flint.fmpq_poly([0, 0, 1])
_ONE = flint.fmpq(1)


def _check_norm(norm: Any) -> ApsNorm:
    if norm not in APS_NORMS:
        raise InvalidArgumentError(
            f"norm={brief(norm)} must be 'l1' (sum of |x|) or 'l2' (sum of x**2, the squared norm): "
            "the criterion adaptive polyphase sampling compares"
        )
    return norm


def polyphase_components(shape: tuple[int, ...], stride: int, who: str = "adaptive polyphase sampling") \
        -> list[list[int]]:
    """The flat input indices of each polyphase component ``x[..., k::stride]``, row-major.

    ``shape`` is ``(N,)`` or ``(C, N)`` with ``N`` a multiple of ``stride``;
    component ``k`` lists channel 0's entries ``k, k + s, ...``, then channel 1's.

    >>> polyphase_components((2, 4), 2)
    [[0, 2, 4, 6], [1, 3, 5, 7]]
    """
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    if len(shape) not in (1, 2):
        raise InvalidArgumentError(
            f"{brief(who, str)} takes signals of shape (N,) or (C, N); got shape {brief(shape, str)}"
        )
    n = shape[-1]
    channels = shape[0] if len(shape) == 2 else 1
    if n % stride:
        raise InvalidArgumentError(
            f"{brief(who, str)} with stride={brief(stride, str)} needs the signal length N (the last axis) to be a multiple of "
            f"{brief(stride, str)}; got shape {brief(shape, str)}: pad or crop the signal to a length divisible by {brief(stride, str)}"
        )
    return [[c * n + k + stride * m for c in range(channels) for m in range(n // stride)] for k in range(stride)]


class PolyphaseNorms(Operator):
    """The norms of the ``stride`` polyphase components, all channels jointly: output shape ``(stride,)``.

    ``norm='l1'`` gives ``sum |x[..., k::s]|``, ``norm='l2'`` the squared norm
    ``sum x[..., k::s]**2`` (see the module docstring).

    >>> PolyphaseNorms("l2", stride=3)([1, 2, 0, -1, 0, '1/2'])
    Signal([2, 4, 1/4])
    """

    semantic_methods = ("_apply", "components")

    def __init__(self, norm: ApsNorm = "l1", stride: Any = 2) -> None:
        self.norm: ApsNorm = _check_norm(norm)
        self.stride: int = positive_int(stride, "stride")

    @property
    def is_piecewise_linear(self) -> bool:  # type: ignore[override]
        """True for the l1 norm (a sum of absolute values); the squared l2 norm is quadratic.

        >>> PolyphaseNorms("l1").is_piecewise_linear, PolyphaseNorms("l2").is_piecewise_linear
        (True, False)
        """
        return self.norm == "l1"

    def components(self, shape: tuple[int, ...]) -> list[list[int]]:
        """The flat indices of each component (:func:`polyphase_components`).

        >>> PolyphaseNorms().components((4,))
        [[0, 2], [1, 3]]
        """
        return polyphase_components(shape, self.stride, repr(self))

    def output_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        """``(stride,)``: one norm per component.

        >>> PolyphaseNorms(stride=4).output_shape((3, 8))
        (4,)
        """
        self.components(shape)
        return (self.stride,)

    def _apply(self, signal: Signal) -> Signal:
        groups = self.components(signal.shape)
        magnitudes = _ABS(signal) if self.norm == "l1" else signal.multiply(signal)
        if magnitudes.is_rational:
            values = magnitudes.flat_fmpqs()
            totals = []
            for group in groups:
                total = flint.fmpq(0)
                for i in group:
                    total += values[i]
                totals.append(total)
            return Signal.from_fmpqs(totals, (self.stride,))
        exprs = magnitudes.flat_exprs()
        return Signal.from_exprs([sympy.Add(*(exprs[i] for i in group)) for group in groups], (self.stride,))

    def encode(self, algebra: VectorAlgebra[V], values: V, shape: tuple[int, ...]) -> V:
        """``|x|`` (a piecewise-linear activation) or ``x**2`` (a polynomial) on every entry, then
        one sum per component (a linear map).

        >>> from symequi.core.encoding import VectorAlgebra
        >>> class Show(VectorAlgebra):
        ...     def entrywise(self, values, function):
        ...         return values
        ...     def linear(self, values, rows, out_size):
        ...         return [[j for j, _ in row] for row in rows]
        >>> PolyphaseNorms().encode(Show(), None, (6,))
        [[0, 2, 4], [1, 3, 5]]
        """
        groups = self.components(shape)
        if self.norm == "l1":
            magnitudes = algebra.entrywise(values, _ABS.function)
        else:
            magnitudes = algebra.polynomial(values, _SQUARE)
        return algebra.linear(magnitudes, [[(i, _ONE) for i in group] for group in groups], self.stride)

    def maps_reals_to_reals(self) -> bool:
        """Rational operations only: real inputs give real norms."""
        return True

    def formula(self) -> str:
        """``'sum |x|'`` or ``'sum x**2'``."""
        return "sum |x|" if self.norm == "l1" else "sum x**2"

    def conventions(self) -> tuple[str, ...]:
        """The norm and the components in words.

        >>> PolyphaseNorms().conventions()[0]
        'polyphase norms, stride 2: n_k = sum |x| over x[..., k::2], all channels jointly, k = 0..1'
        """
        s = self.stride
        squared = self.norm == "l2"
        term = r"x_i^2" if squared else r"|x_i|"
        return (Phrase(f"polyphase norms, stride {s}: n_k = {self.formula()} over x[..., k::{s}], "
                       f"all channels jointly, k = 0..{s - 1}"
                       + (" (the squared l2 norm, which orders the components as the norm does)" if squared else ""),
                       f"polyphase norms, stride ${s}$: $n_k = \\sum_{{i \\equiv k \\ (\\mathrm{{mod}}\\ {s})}} {term}$ over "
                       f"all channels jointly, $k = 0, \\dots, {s - 1}$"
                       + (r" (the squared $\ell_2$ norm, which orders the components as the norm does)" if squared else "")),)

    def describe(self) -> str:
        """One line.

        >>> PolyphaseNorms("l2").describe()
        'polyphase l2 norms (squared), stride 2'
        """
        return f"polyphase {brief(self.norm, str)} norms{' (squared)' if self.norm == 'l2' else ''}, stride {brief(self.stride, str)}"

    def latex(self) -> str:
        r"""LaTeX.

        >>> PolyphaseNorms().latex()
        'n_k = \\sum_{c,m} |x_{c,\\,2m + k}|, \\quad 0 \\le k < 2'
        """
        term = r"|x_{c,\,%sm + k}|" % self.stride if self.norm == "l1" else r"x_{c,\,%sm + k}^2" % self.stride
        return rf"n_k = \sum_{{c,m}} {term}, \quad 0 \le k < {self.stride}"

    def __repr__(self) -> str:
        return f"PolyphaseNorms({brief(self.norm)}, stride={brief(self.stride, str)})"


class _TieMargins(Sequential):
    """``|n_k - n_l|`` for ``k < l``: the norms, their pairwise differences, their absolute values."""

    def describe(self) -> str:
        return f"the tie margins |n_k - n_l| (k < l) of the {brief(self.operators[0].describe(), str)}"


class AdaptivePolyphaseSampling(Operator):
    """Adaptive polyphase sampling: the polyphase component of largest norm, ties to the lowest index.

    Parameters
    ----------
    norm : ``'l1'`` (default) or ``'l2'``: the criterion (see the module docstring).
    stride : the downsampling factor ``s`` (default 2); inputs ``(N,)`` or
        ``(C, N)`` with ``N`` a multiple of ``s`` give ``(N/s,)`` or ``(C, N/s)``.

    The output is ``x[..., k*::s]`` with ``k*`` the lowest index among the
    components of largest norm ``n_k`` (:class:`PolyphaseNorms`), all channels
    choosing together.  Exact on rational and algebraic entries (certified
    signs); a choice that cannot be certified gives ``Piecewise`` entries.

    >>> aps = AdaptivePolyphaseSampling("l1", stride=2)
    >>> aps([0, 5, 1, '-1/2']), aps.output_shape((3, 8))
    (Signal([5, -1/2]), (3, 4))
    >>> import sympy
    >>> aps([sympy.sqrt(2), 1, 0, '1/2'])      # sqrt(2) < 3/2
    Signal([1, 1/2])
    """

    semantic_methods = ("_apply", "components", "choice")

    def __init__(self, norm: ApsNorm = "l1", stride: Any = 2) -> None:
        self.norms: PolyphaseNorms = PolyphaseNorms(norm, stride)
        self.norm: ApsNorm = self.norms.norm
        self.stride: int = self.norms.stride

    @property
    def is_piecewise_linear(self) -> bool:  # type: ignore[override]
        """True for the l1 criterion (outputs are inputs, chosen by linear comparisons of sums of
        absolute values); the l2 criterion compares quadratic forms.

        >>> AdaptivePolyphaseSampling("l1").is_piecewise_linear, AdaptivePolyphaseSampling("l2").is_piecewise_linear
        (True, False)
        """
        return self.norm == "l1"

    def components(self, shape: tuple[int, ...]) -> list[list[int]]:
        """The flat input indices of each component (:func:`polyphase_components`).

        >>> AdaptivePolyphaseSampling(stride=3).components((6,))
        [[0, 3], [1, 4], [2, 5]]
        """
        return polyphase_components(shape, self.stride, repr(self))

    def output_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        """``(N/s,)`` or ``(C, N/s)``.

        >>> AdaptivePolyphaseSampling().output_shape((6,))
        (3,)
        """
        shape = (shape,) if isinstance(shape, int) else tuple(shape)
        self.components(shape)
        return shape[:-1] + (shape[-1] // self.stride,)

    def choice(self, norms: list[Any]) -> int | None:
        """The chosen component: the lowest index of largest norm; None when a comparison
        cannot be certified (symbolic or undecided entries).

        >>> AdaptivePolyphaseSampling(stride=3).choice([1, 3, 3])
        1
        """
        values = [sympy.sympify(n) for n in norms]
        best = 0
        for k in range(1, len(values)):
            gap = values[k] - values[best]
            if gap.free_symbols:
                return None
            sign = certify_sign(gap)
            if sign is None:
                return None
            if sign > 0:  # strictly larger: a tie keeps the earlier (lower) index
                best = k
        return best

    def _apply(self, signal: Signal) -> Signal:
        groups = self.components(signal.shape)
        shape = self.output_shape(signal.shape)
        norms = self.norms(signal)
        if signal.is_rational:
            values, keys = signal.flat_fmpqs(), norms.flat_fmpqs()
            best = 0
            for k in range(1, len(keys)):
                if keys[k] > keys[best]:
                    best = k
            return Signal.from_fmpqs([values[i] for i in groups[best]], shape)
        exprs, keys_e = signal.flat_exprs(), norms.flat_exprs()
        chosen = self.choice(keys_e)
        if chosen is not None:
            return Signal.from_exprs([exprs[i] for i in groups[chosen]], shape)
        conditions = [sympy.And(*(sympy.Ge(keys_e[k] - keys_e[j], 0, evaluate=False)
                                  for j in range(self.stride) if j != k), evaluate=False)
                      for k in range(self.stride - 1)]
        entries = []
        for i in range(len(groups[0])):
            branches = [(exprs[groups[k][i]], conditions[k]) for k in range(self.stride - 1)]
            entries.append(sympy.Piecewise(*branches, (exprs[groups[-1][i]], True), evaluate=False))
        return Signal.from_exprs(entries, shape)

    def encode(self, algebra: VectorAlgebra[V], values: V, shape: tuple[int, ...]) -> V:
        """The norms (:meth:`PolyphaseNorms.encode`) appended to the entries (a concatenation),
        then the component of largest norm, the lowest index on ties (``select_max``).

        >>> from symequi.core.encoding import VectorAlgebra
        >>> class Show(VectorAlgebra):
        ...     def entrywise(self, values, function):
        ...         return values
        ...     def linear(self, values, rows, out_size):
        ...         return values
        ...     def concat(self, values_list, picks):
        ...         return values_list[0]
        ...     def select_max(self, values, keys, options):
        ...         return keys, options
        >>> AdaptivePolyphaseSampling().encode(Show(), None, (4,))
        ([4, 5], [[0, 2], [1, 3]])
        """
        groups = self.components(shape)
        size = math.prod(shape)
        norms = self.norms.encode(algebra, values, shape)
        both = algebra.concat([values, norms], [(0, i) for i in range(size)] + [(1, k) for k in range(self.stride)])
        return algebra.select_max(both, [size + k for k in range(self.stride)], groups)

    def tie_margins(self) -> Operator:
        """The operator ``x -> (|n_k - n_l|)_{k < l}`` on inputs: every entry is positive exactly
        when no two components have the same norm (no tie); its shape is ``(s(s-1)/2,)``.

        Use it as the condition of :func:`symequi.deciders.smt.decide_smt`'s ``where=``.

        >>> AdaptivePolyphaseSampling().tie_margins()([1, 2, 3, -2])
        Signal([0])
        >>> AdaptivePolyphaseSampling(stride=3).tie_margins()([1, 2, 4])
        Signal([1, 3, 2])
        >>> AdaptivePolyphaseSampling().tie_margins().describe()
        'the tie margins |n_k - n_l| (k < l) of the polyphase l1 norms, stride 2'
        """
        pairs = list(itertools.combinations(range(self.stride), 2))
        weight = [[1 if j == k else -1 if j == m else 0 for j in range(self.stride)] for k, m in pairs]
        return _TieMargins(self.norms, Linear(weight), Abs())

    def maps_reals_to_reals(self) -> bool:
        """The outputs are input entries: real inputs give real outputs."""
        return True

    def conventions(self) -> tuple[str, ...]:
        """The selection rule, the tie rule and the shift behaviour in words.

        >>> print(AdaptivePolyphaseSampling().conventions()[1])
        APS tie rule: among components of equal largest norm the lowest index k wins (x[..., 0::2] first)
        """
        s = self.stride
        ell = r"\ell_1" if self.norm == "l1" else r"\ell_2"
        term = r"|x_i|" if self.norm == "l1" else r"x_i^2"
        return (
            Phrase(f"adaptive polyphase sampling (Chaman & Dokmanic 2021), stride {s}: output x[..., k*::{s}] with k* "
                   f"the component of largest {self.norm} norm ({self.norms.formula()} over all channels)",
                   f"adaptive polyphase sampling (Chaman \\& Dokmanic 2021), stride ${s}$: output "
                   f"$(x_{{{s} j + k^*}})_j$ with $k^*$ the component of largest ${ell}$ norm "
                   f"($\\sum {term}$ over all channels)"),
            Phrase(f"APS tie rule: among components of equal largest norm the lowest index k wins (x[..., 0::{s}] first)",
                   r"APS tie rule: among components of equal largest norm the lowest index $k$ wins "
                   r"($(x_{" + str(s) + r" j})_j$ first)"),
            Phrase(f"APS on circular signals: N must be a multiple of {s}; an input shift by {s}*l moves the output by l "
                   "(ties included); a shift by 1 keeps the chosen component up to a shift when there is no tie",
                   f"APS on circular signals: $N$ must be a multiple of ${s}$; an input shift by ${s} l$ moves the "
                   "output by $l$ (ties included); a shift by $1$ keeps the chosen component up to a shift when "
                   "there is no tie"),
        )

    def describe(self) -> str:
        """One line.

        >>> AdaptivePolyphaseSampling("l2").describe()
        'adaptive polyphase sampling, l2 norm, stride 2, ties to the lowest index'
        """
        return f"adaptive polyphase sampling, {brief(self.norm, str)} norm, stride {brief(self.stride, str)}, ties to the lowest index"

    def latex(self) -> str:
        r"""LaTeX.

        >>> print(AdaptivePolyphaseSampling().latex())
        y = x_{\cdot,\, 2m + k^*}, \quad k^* = \min \operatorname{arg\,max}_{0 \le k < 2} \|x_{\cdot,\, k::2}\|_1
        """
        s = self.stride
        norm = r"\|x_{\cdot,\, k::%s}\|_1" % s if self.norm == "l1" else r"\|x_{\cdot,\, k::%s}\|_2" % s
        return (rf"y = x_{{\cdot,\, {s}m + k^*}}, \quad k^* = \min \operatorname{{arg\,max}}_{{0 \le k < {s}}} "
                + norm)

    def __repr__(self) -> str:
        return f"AdaptivePolyphaseSampling({brief(self.norm)}, stride={brief(self.stride, str)})"
