r"""The compositional rule: a layer stack commutes with a permutation of entries when each layer does.

Rule
----
Let ``A = A_k o ... o A_1`` (a :class:`~symequi.core.operator.Sequential`, nested
stacks flattened) map ``X_1 -> X_2 -> ... -> X_{k+1}``, and let ``g_i`` act on
``X_i`` with ``g_1 = g`` and ``g_{k+1} = g_out``.  If every one-layer square
commutes, ``A_i o g_i = g_{i+1} o A_i`` on the values that reach layer ``i``,
then ``A o g = g_out o A``.

Proof (induction on ``m``).  Let ``B_m = A_m o ... o A_1`` (``B_0`` the
identity); we show ``B_m o g_1 = g_{m+1} o B_m``.  For ``m = 0`` both sides are
``g_1``.  If it holds for ``m``, then for every input ``u``, with
``v = B_m(u)``::

    B_{m+1}(g_1 u) = A_{m+1}(B_m(g_1 u)) = A_{m+1}(g_{m+1} v)     (induction hypothesis)
                   = g_{m+2}(A_{m+1} v) = g_{m+2}(B_{m+1} u)      (layer m+1's square at v)

``m = k`` is the claim.  Layer ``i``'s square is used only at ``v = B_{i-1}(u)``,
so a layer square proved for every *real* input (the SMT decider) is enough
when the inputs are real and the layers before it map real signals to real
signals; that is checked, and ``holds_for`` then says "every real input".  The
converse is false (a layer that does not commute does not make the stack fail),
so when a layer's square is not proved the rule says nothing.

When it is used
---------------
``g`` must be a permutation ``P`` of the entries, ``(P u)_j = u_{pi(j)}``:
an :class:`~symequi.translations.base.IntegerShift` with the periodic boundary (a
roll, possibly per axis; its index map is computed and checked on the signal
of flat indices), or any linear operator whose exact matrix is verified to be
a permutation matrix, column by column.  Every layer must keep the shape (so
``g_i = g`` for every ``i``), except that for an integer shift an axis along
which the shift is a whole number of periods (e.g. 0, the channel axis of
``shift((0, s))``) may change length: ``g_i`` is then the same shift on
``X_i``.  ``g_out`` must be the same permutation as ``g`` on the output shape.
Shape changes that would need a different output shift (pooling or a
convolution with stride s turning a shift by ``s l`` into a shift by ``l``)
are not handled: the rule does not apply.

Per-layer lemmas, each decided exactly.  Lemmas (a) and (b) are stated by the
layers themselves (:meth:`symequi.core.operator.Operator.permutation_lemma`,
believed only when the class that states it also computes the values:
:func:`~symequi.core.operator.trusted_protocol`); (c) and (d) ask a decider:

(a) An entrywise layer ``sigma`` (a library :class:`~symequi.layers.activations.Pointwise`:
    ReLU, LeakyReLU, Abs, polynomial activations, any sympy ``Lambda``, also
    undefined functions) commutes with every permutation of entries:
    ``(sigma(P u))_j = sigma((P u)_j) = sigma(u_{pi(j)}) = (sigma(u))_{pi(j)} = (P sigma(u))_j``.
(b) A :class:`~symequi.layers.activations.Bias` adds a fixed signal ``b``:
    ``P(u + b) = P u + P b``, so it commutes with ``P`` iff ``P b = b``.  A
    scalar bias is constant (``P 1 = 1``) and commutes with every permutation;
    a per-channel bias commutes with a permutation that moves entries only
    within each channel.  ``P b = b`` is checked exactly, entry by entry.
(c) A linear layer: :func:`symequi.deciders.linear.decide_linear` on the one-layer
    square, which must answer Proved (the commutator matrix is zero).
(d) Any other layer: the SMT decider (:func:`symequi.deciders.smt.decide_smt`) on the
    one-layer square when it is piecewise linear, which must answer Proved;
    otherwise no exact decider applies to the layer and the rule says nothing.
(e) A periodic stride-1 convolution (lemma stated by the layer): its matrix is
    (block-)circulant by construction, so it commutes with every cyclic roll of
    its spatial axes; the permutation is checked to be such a roll in O(N),
    which replaces the O(N^2) commutator of lemma (c) for these layers.

Example
-------
>>> import sympy
>>> from symequi.functions.continuous import x
>>> from symequi.layers import Convolution, PolynomialActivation, Sequential
>>> from symequi.core.square import Square
>>> from symequi.translations import shift
>>> net = Sequential(Convolution([1, 2], padding="periodic"), PolynomialActivation(x**2))
>>> v = decide_compositional(Square(net, shift(1), input_shape=6))
>>> v.kind, v.decider
('proved', 'compositional')
>>> print(v.details["layer 2"])
pointwise p(x) = x**2: lemma (a), entrywise: sigma(P u) = P sigma(u) for every permutation P
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any, TypeGuard

import flint
import sympy

from ..core.assumptions import Assumptions
from ..core.budget import check_budget, time_budget
from ..core.errors import BudgetExceededError, EncodingError, InvalidArgumentError, SymequiError
from ..core.operator import Operator, PermutationLemma, trusted_protocol
from ..core.signal import Signal
from ..core.square import Square
from ..core.texescape import Phrase, phrase_latex
from ..translations import IntegerShift
from ..core.verdict import Proved, Undecided, Verdict
from ..core.texts import brief, brief_latex

__all__ = ["CompositionAttempt", "LayerStep", "decide_compositional", "try_compositional", "verified_permutation"]

DECIDER = "compositional"

_RULE = Phrase("A = A_k o ... o A_1 commutes with g when every layer square A_i o g_i = g_(i+1) o A_i holds, "
               "g_1 = g, g_(k+1) = g_out (induction on the number of layers)",
               r"$A = A_k \circ \dots \circ A_1$ commutes with $g$ when every layer square "
               r"$A_i \circ g_i = g_{i+1} \circ A_i$ holds, $g_1 = g$, $g_{k+1} = g_{\mathrm{out}}$ "
               "(induction on the number of layers)")

Permutation = tuple[int, ...]  # (P u)_j = u_{pi[j]} on flat row-major indices


@dataclass(frozen=True)
class LayerStep:
    """One layer's square in the composition, and how it was decided.

    Attributes: ``index`` (1-based), ``layer``, ``input_shape``,
    ``output_shape``, ``proved``, ``lemma`` (``"entrywise"``, ``"bias"``,
    ``"linear"``, ``"smt"``, or ``""`` when not proved), ``text`` (one line)
    and ``real_only`` (proved for real inputs only).

    >>> from symequi.layers import ReLU
    >>> LayerStep(1, ReLU(), (4,), (4,), True, "entrywise", "lemma (a)").proved
    True
    """

    index: int
    layer: Operator
    input_shape: tuple[int, ...]
    output_shape: tuple[int, ...]
    proved: bool
    lemma: str
    text: str
    real_only: bool = False


def _step_phrase(step: LayerStep) -> Phrase:
    """A layer's line in a verdict's details: the layer (its LaTeX), then how its square was decided."""
    return Phrase(f"{step.layer.describe()}: {step.text}", f"${step.layer.latex()}$: {phrase_latex(step.text)}")


@dataclass(frozen=True)
class CompositionAttempt:
    """What the compositional rule found for one square.

    ``verdict`` is a :class:`~symequi.core.verdict.Proved` (every layer square
    proved), an :class:`~symequi.core.verdict.Undecided` (the rule applies but a
    layer square was not proved, or the budget ran out: the rule says nothing),
    or None (the rule does not apply: ``g`` is not a verified permutation, or
    a layer changes the shape).  ``reason`` says why when it is not Proved;
    ``steps`` lists the layer squares decided so far.

    >>> from symequi.layers import ReLU
    >>> from symequi.core.square import Square
    >>> from symequi.translations import shift
    >>> a = try_compositional(Square(ReLU(), shift('1/2', method='linear'), input_shape=4))
    >>> a.applies, a.verdict is None
    (False, True)
    """

    verdict: Verdict | None
    reason: str = ""
    steps: tuple[LayerStep, ...] = ()

    @property
    def applies(self) -> bool:
        """True when the rule's preconditions hold (``g`` a permutation, shapes kept)."""
        return self.verdict is not None

    @property
    def proved(self) -> bool:
        """True when the rule proved the square."""
        return self.verdict is not None and self.verdict.is_proved


# --------------------------------------------------------------------------------------
# permutations of entries
# --------------------------------------------------------------------------------------
def _is_periodic_integer_shift(g: Operator) -> TypeGuard[IntegerShift]:
    return type(g) is IntegerShift and g.boundary == "periodic"


def _shift_permutation(g: IntegerShift, shape: tuple[int, ...]) -> Permutation:
    """``pi`` of a periodic integer shift: output index ``j`` reads ``(j_a - s_a) mod n_a`` per axis."""
    strides = [math.prod(shape[a + 1:]) for a in range(len(shape))]
    shifts = [int(s) for s in g.shifts]
    return tuple(
        sum(((i - s) % n) * st for i, s, n, st in zip(idx, shifts, shape, strides))
        for idx in itertools.product(*(range(n) for n in shape))
    )


def _unit_position(column: Signal) -> int | None:
    """The position of the single entry 1 of ``column``, or None if it is not a unit vector."""
    if column.domain == "QQ":
        poly = column.flat_poly()
        if poly.is_zero():
            return None
        d = poly.degree()
        return d if poly[d] == 1 and poly.truncate(d).is_zero() else None
    position = None
    for k, e in enumerate(column.flat_exprs()):
        e = sympy.expand(e)
        if e == 0:
            continue
        if e != 1 or position is not None:
            return None
        position = k
    return position


def verified_permutation(g: Operator, shape: tuple[int, ...]) -> tuple[Permutation | None, str]:
    """``(pi, how)`` with ``(g u)_j = u_{pi[j]}`` on inputs of ``shape``, or ``(None, why not)``.

    A periodic :class:`~symequi.translations.base.IntegerShift` gets its index map
    computed and checked on the signal of flat indices; any other linear
    operator must have an exact permutation matrix (every column is checked
    to be a unit vector, no row hit twice).

    >>> from symequi.translations import shift
    >>> verified_permutation(shift(1), (3,))[0]
    (2, 0, 1)
    >>> verified_permutation(shift(1, boundary='zeros'), (3,))[0] is None
    True
    """
    shape = tuple(shape)
    size = math.prod(shape)
    if _is_periodic_integer_shift(g):
        if len(g.shifts) != len(shape):
            return None, f"{g.describe()} has {len(g.shifts)} shift(s) but the signal has shape {shape}"
        pi = _shift_permutation(g, shape)
        moved = g(Signal.from_fmpqs([flint.fmpq(i) for i in range(size)], shape))
        if moved.flat_fmpqs() != [flint.fmpq(p) for p in pi]:  # pragma: no cover - a convention bug
            return None, f"{g.describe()} does not move the entries as out_j = u_(j - s) mod n"
        return pi, Phrase(f"{g.describe()} is the permutation out_j = u_(j - s mod n) of the entries "
                          f"(index map checked on the signal of flat indices, shape {shape})",
                          f"${g.latex()}$ is the permutation $\\mathrm{{out}}_j = u_{{(j - s) \\bmod n}}$ of the "
                          f"entries (index map checked on the signal of flat indices, shape ${brief_latex(shape)}$)")
    if not g.is_linear:
        return None, f"{g.describe()} is not linear, so it is not a permutation of entries"
    try:
        if tuple(g.output_shape(shape)) != shape:
            return None, f"{g.describe()} changes the shape {shape}"
        rows: list[int | None] = [None] * size
        for i, column in enumerate(g.columns(shape)):      # the shared matrix (layer protocol)
            row = _unit_position(column)
            if row is None or rows[row] is not None:
                return None, (f"{g.describe()} is not a permutation of entries: column {i} of its exact "
                              "matrix is not a unit vector in a row of its own")
            rows[row] = i
    except (InvalidArgumentError, EncodingError) as err:
        return None, f"{g.describe()} could not be applied on shape {shape}: {err}"
    # size columns landed in size distinct rows: every row is filled
    return tuple(r for r in rows if r is not None), Phrase(
        f"{g.describe()} has an exact permutation matrix on shape {shape} (every column checked)",
        f"${g.latex()}$ has an exact permutation matrix on shape ${brief_latex(shape)}$ (every column checked)")


# --------------------------------------------------------------------------------------
# the layers: each states its own lemma through the layer protocol
# --------------------------------------------------------------------------------------
def _maps_reals_to_reals(op: Operator) -> bool:
    """Certified by the layer itself (rational parameters, or a real entrywise map)."""
    return trusted_protocol(op, "maps_reals_to_reals") and op.maps_reals_to_reals()


def _own_lemma(layer: Operator, shape: tuple[int, ...], pi: Permutation,
               assumptions: Assumptions | None = None) -> PermutationLemma | None:
    """The layer's lemma about the permutation (lemmas (a), (b)), when it states one and is trusted."""
    if not trusted_protocol(layer, "permutation_lemma"):
        return None
    return layer.permutation_lemma(shape, pi, assumptions)


def _decided_step(layer: Operator, g: Operator, shape: tuple[int, ...],
                  budget: float | None, assumptions: Assumptions | None = None) -> tuple[bool, str, str, bool]:
    """Lemmas (c) and (d): decide the one-layer square exactly; (proved, lemma, text, real_only)."""
    square = Square(layer, g, input_shape=shape, assumptions=assumptions)
    if layer.is_linear:
        from .linear import decide_linear

        v = decide_linear(square, budget=budget)
        if isinstance(v, Proved):
            return True, "linear", f"lemma (c), linear: decide_linear proved the square ({v.holds_for})", False
        return False, "", f"the linear decider answered {v.kind} on the layer square{_why(v)}", False
    if layer.is_piecewise_linear and g.is_piecewise_linear:
        try:
            from .smt import decide_smt
        except ImportError as err:  # pragma: no cover - z3 is a dependency
            return False, "", f"the SMT decider is unavailable ({err})", False
        try:
            v = decide_smt(square, budget=budget if budget is None or math.isfinite(budget) else None)
        except EncodingError as err:
            return False, "", f"the SMT decider could not encode the layer ({err})", False
        if isinstance(v, Proved):
            return True, "smt", f"lemma (d), SMT: z3 proved the square ({v.holds_for})", True
        return False, "", f"the SMT decider answered {v.kind} on the layer square{_why(v)}", False
    return False, "", ("no exact decider applies to this layer (not entrywise, not a bias, not linear, "
                       "not piecewise linear with rational parameters)"), False


def _why(v: Verdict) -> str:
    reason = getattr(v, "reason", None)
    return f" ({reason})" if reason else ""


# --------------------------------------------------------------------------------------
# the rule
# --------------------------------------------------------------------------------------
def _not_applicable(reason: str) -> CompositionAttempt:
    return CompositionAttempt(None, reason)


def _shape_change_problem(g: Operator, old: tuple[int, ...], new: tuple[int, ...]) -> str | None:
    """Why ``g`` cannot stand for the same translation on ``old`` and ``new`` (None if it can)."""
    if old == new:
        return None
    if not _is_periodic_integer_shift(g):
        return f"the shape changes from {old} to {new}, and {g.describe()} is a fixed matrix on one shape"
    if len(old) != len(new):
        return f"the shape changes from {old} to {new} (a different number of axes)"
    for axis, (m, n, s) in enumerate(zip(old, new, g.shifts)):
        if m != n and not (int(s) % m == 0 and int(s) % n == 0):
            return (f"axis {axis} changes length from {m} to {n} while the shift along it is {s}: the output "
                    "translation would have to be a different shift (e.g. stride or pooling), which this "
                    "rule does not infer")
    return None


def try_compositional(square: Square, *, budget: float | None = None) -> CompositionAttempt:
    """Apply the compositional rule to ``square`` and say what happened.

    Parameters
    ----------
    square : the :class:`~symequi.core.square.Square`; its operator is split into
        layers (nested :class:`~symequi.core.operator.Sequential` stacks flattened).
    budget : seconds for the whole attempt (None: the default budget).

    Returns
    -------
    CompositionAttempt: ``verdict`` Proved (every layer square proved; decider
    ``"compositional"``, ``details`` naming each layer's lemma), Undecided (the
    rule applies but a layer square was not proved: the rule says nothing
    about the stack), or None (the rule does not apply; ``reason`` says why).

    >>> from symequi.layers import Convolution, ReLU, Sequential
    >>> from symequi.core.square import Square
    >>> from symequi.translations import shift
    >>> zero_pad = Sequential(Convolution([1, 2], padding="zeros"), ReLU())
    >>> a = try_compositional(Square(zero_pad, shift(1), input_shape=4))
    >>> a.applies, a.proved, a.steps[0].proved
    (True, False, False)
    """
    if not isinstance(square, Square):
        raise InvalidArgumentError(f"square={brief(square)} must be a symequi Square(operator, g, input_shape=...)")
    seconds = check_budget(budget)
    try:
        with time_budget(seconds, "the compositional rule"):
            return _attempt(square, seconds)
    except BudgetExceededError as err:
        return CompositionAttempt(Undecided(square.statement, reason=str(err), decider=DECIDER,
                                            conventions=square.conventions()), str(err))


def _attempt(square: Square, budget: float | None) -> CompositionAttempt:
    g = square.g
    layers = list(square.operator.parts()) if trusted_protocol(square.operator, "parts") else [square.operator]
    shapes = [square.input_shape]
    try:
        for layer in layers:
            shapes.append(tuple(layer.output_shape(shapes[-1])))
    except InvalidArgumentError as err:
        return _not_applicable(f"the layers' shapes could not be followed: {err}")

    pi_in, how = verified_permutation(g, shapes[0])
    if pi_in is None:
        return _not_applicable(f"g is not a verified permutation of entries: {how}")
    for i, (old, new) in enumerate(zip(shapes, shapes[1:]), start=1):
        problem = _shape_change_problem(g, old, new)
        if problem:
            return _not_applicable(f"layer {i} ({layers[i - 1].describe()}): {problem}")
    permutations: dict[tuple[int, ...], Permutation] = {shapes[0]: pi_in}

    def pi_of(shape: tuple[int, ...]) -> Permutation:
        if shape not in permutations:
            pi, why = verified_permutation(g, shape)
            if pi is None:  # pragma: no cover - a periodic shift of the right rank is a permutation
                raise InvalidArgumentError(why)
            permutations[shape] = pi
        return permutations[shape]

    out_shape = shapes[-1]
    if square.g_out is not g:
        pi_out, how_out = verified_permutation(square.g_out, out_shape)
        if pi_out is None:
            return _not_applicable(f"g_out is not a verified permutation of entries: {how_out}")
        if pi_out != pi_of(out_shape):
            return _not_applicable(f"g_out ({square.g_out.describe()}) is not the permutation g induces on "
                                   f"the output shape {out_shape}")

    steps: list[LayerStep] = []
    for i, layer in enumerate(layers, start=1):
        shape_in, shape_out = shapes[i - 1], shapes[i]
        real_only = False
        try:
            own = _own_lemma(layer, shape_in, pi_of(shape_in), square.assumptions) if shape_in == shape_out else None
            if own is not None:
                proved, lemma, text = own.proved, (own.name if own.proved else ""), own.text
            else:
                proved, lemma, text, real_only = _decided_step(layer, g, shape_in, budget,
                                                               square.assumptions)
        except BudgetExceededError:
            raise
        except SymequiError as err:
            proved, lemma, text = False, "", f"the layer square could not be decided: {err}"
        if proved and real_only:
            unreal = next((f"layer {k} ({steps[k - 1].layer.describe()})" for k in range(1, i)
                           if not _maps_reals_to_reals(steps[k - 1].layer)), None)
            if unreal:
                proved, lemma = False, ""
                text += (f"; but the SMT proof covers real inputs only and {unreal} is not certified to "
                         "map real signals to real signals")
        steps.append(LayerStep(i, layer, shape_in, shape_out, proved, lemma, text, real_only and proved))
        if not proved:
            reason = (f"layer {i} ({layer.describe()}) was not proved to commute with {g.describe()}: {text}. "
                      "A layer that does not commute does not make the stack fail: the rule says nothing")
            so_far = {f"layer {s.index}": _step_phrase(s) for s in steps}
            return CompositionAttempt(Undecided(square.statement, reason=reason, decider=DECIDER,
                                                conventions=square.conventions(), details=so_far),
                                      reason, tuple(steps))

    real = any(s.real_only for s in steps)
    holds_for = (f"every {'real ' if real else ''}input of shape {square.input_shape}: each of the "
                 f"{len(steps)} layer squares holds, so their composition does (induction)")
    details: dict[str, Any] = {"rule": _RULE, "translation": how}
    details.update({f"layer {s.index}": _step_phrase(s) for s in steps})
    return CompositionAttempt(Proved(square.statement, holds_for=holds_for, decider=DECIDER,
                                     conventions=square.conventions(), details=details), "", tuple(steps))


def decide_compositional(square: Square, *, budget: float | None = None) -> Proved | None:
    """Prove ``square`` by the compositional rule, or return None (the rule says nothing).

    None means: the rule does not apply (``g`` is not a verified permutation,
    a layer changes the shape), or some layer square was not proved, which
    does *not* mean the square fails.  Use :func:`try_compositional` for the
    reason, and :func:`symequi.deciders.decide` for a verdict in every case.

    >>> from symequi.layers import Bias, ReLU, Sequential
    >>> from symequi.core.square import Square
    >>> from symequi.translations import shift
    >>> decide_compositional(Square(Sequential(Bias(-1), ReLU()), shift(2), input_shape=5)).holds_for
    'every input of shape (5,): each of the 2 layer squares holds, so their composition does (induction)'
    """
    attempt = try_compositional(square, budget=budget)
    return attempt.verdict if attempt.proved else None  # type: ignore[return-value]
