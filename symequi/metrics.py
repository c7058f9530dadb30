"""The field's equivariance numbers, computed exactly: EQ-T, EQ-T_frac, PSNR, shift consistency.

Definitions (read from the sources cited; implemented here, not copied):

* **PSNR** (Karras et al. 2021, "Alias-Free Generative Adversarial Networks"
  (StyleGAN3), Appendix E; NVlabs/stylegan3 ``metrics/equivariance.py``):
  ``PSNR = 10 log10(peak^2 / MSE)`` dB with ``peak = 2``, the dynamic range of
  images in ``[-1, 1]``, i.e. ``20 log10(2) - 10 log10(MSE)``.  ``MSE = 0``
  gives ``+oo``: exactly equivariant.
* **EQ-T** (integer translation): translate the generator's *input* by ``t``
  (a whole number of output pixels), and compare the output with the original
  output translated by the same amount, the pixels shifted in from outside
  being zero and masked out: the mask keeps the output pixels
  ``j in [max(s, 0), N + min(s, 0))`` along each axis (``s`` the shift in
  output pixels, content moving towards larger indices).
  ``MSE = sum(mask * (ref - img)^2) / sum(mask)`` over every masked entry
  (all channels); StyleGAN3 pools the two sums over all samples before dividing
  (:meth:`EquivarianceMetric.pooled`).
* **EQ-T_frac** (fractional translation): the reference is the original output
  translated by ``s`` pixels with the separable Lanczos-3 filter, taps
  ``L(k - f)`` for ``k = -2..3`` (``s = i + f``, ``i = floor(s)``), divided by
  their sum, zero outside the image; the mask keeps
  ``j in [max(i + 3, 0), N + min(i - 2, 0))`` -- the pixels whose 6-tap stencil
  lies inside the image.  With ``method=`` another symequi translation
  (``"linear"``, ``"cubic"``, ``"lagrange"``, ``"finite_volume"``) the reference
  uses that method and the mask keeps the pixels whose (nonzero-tap) stencil
  lies inside the image.
* **Shift consistency** (Zhang 2019, "Making Convolutional Networks
  Shift-Invariant Again", Sec. 4): how often the classification (argmax of the
  output) is unchanged under shifts of the input.

How the input is translated: a continuous input (an expression in ``x`` or
``x, y``, with ``discretization=``) is translated exactly, ``f(x - s dx)``
(the analogue of StyleGAN3 translating its continuous Fourier-feature input);
a discrete input Signal is translated by the same discrete translation as the
reference, with ``input_boundary`` (``"periodic"`` by default: the signal is
one period of an unbounded input).  The output shift is the same fraction of
the image as the input shift (``s * N_out / N_in`` output pixels per axis).

Everything is exact: MSE is a rational (or an exact algebraic/sympy number
for irrational taps), PSNR an exact sympy expression; its numerical value is
computed with mpmath at ``dps`` significant digits (default 50), stated in
every report.

Example
-------
>>> from symequi.layers import Sequential, Convolution, ReLU
>>> layer = Sequential(Convolution([1, -1], padding="periodic"), ReLU())
>>> result = eq_t_frac(layer, [0, 0, 2, 0], '1/2', method="linear")
>>> result.mse, result.psnr.exact
(1/3, 10*log(12)/log(10))
>>> str(result.psnr.value)[:8]
'10.79181'
>>> eq_t(Convolution([1, 2, 3], padding="periodic"), [1, 0, 5, 2], 1).psnr.exact
oo
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import flint
import mpmath
import sympy

from .functions.continuous import translate, x, y
from .functions.discretize import Discretization
from .core.errors import InvalidArgumentError
from .core.exact import positive_int, to_exact, to_rational
from .core.operator import Operator, as_signal
from .core.signal import Signal
from .core.types import Boundary
from .translations import METHODS, shift
from .core.zero import certify_sign, is_zero
from .core.texts import brief, fields_repr, brief_latex

__all__ = ["PSNR", "psnr", "EquivarianceMetric", "eq_t", "eq_t_frac", "shift_consistency"]

_LANCZOS_A = 3


# ------------------------------------------------------------------------------------------
# PSNR
# ------------------------------------------------------------------------------------------
def _mp_value(expr: sympy.Expr, dps: int) -> mpmath.mpf:
    """``expr`` (a real number) as an mpmath number correct to ``dps`` digits."""
    if expr.is_Rational:
        with mpmath.workdps(dps + 10):
            return mpmath.mpf(int(expr.p)) / int(expr.q)
    return mpmath.mpmathify(str(sympy.N(expr, dps + 10)))


@dataclass(frozen=True)
class PSNR:
    """A peak signal-to-noise ratio, exact and numeric.

    Attributes: ``mse`` (exact), ``peak``, ``exact`` (sympy expression
    ``10 log10(peak^2 / mse)``, ``oo`` when ``mse = 0``), ``value`` (mpmath
    number at ``dps`` significant digits, ``mpmath.inf`` when ``mse = 0``),
    ``dps``.
    """

    mse: sympy.Expr
    peak: sympy.Expr
    exact: sympy.Expr
    value: Any
    dps: int

    @property
    def is_infinite(self) -> bool:
        """True when MSE is exactly 0 (exactly equivariant)."""
        return self.exact == sympy.oo

    def text(self) -> str:
        """One line, saying the precision of the number."""
        if self.is_infinite:
            return "PSNR = +oo dB (MSE = 0 exactly)"
        with mpmath.workdps(self.dps):
            shown = mpmath.nstr(self.value, min(self.dps, 20))
        return (f"PSNR = 10 log10({brief(self.peak, str)}^2 / MSE) = {brief(shown, str)} dB (mpmath, {brief(self.dps, str)} significant digits; "
                f"exact: {brief(self.exact, str)}), MSE = {brief(self.mse, str)}")

    def latex(self) -> str:
        r"""LaTeX: ``\mathrm{PSNR} = ...``."""
        if self.is_infinite:
            return r"\mathrm{PSNR} = +\infty\ \text{dB}\quad(\mathrm{MSE} = 0)"
        with mpmath.workdps(self.dps):
            shown = mpmath.nstr(self.value, min(self.dps, 20))
        return (rf"\mathrm{{PSNR}} = 10\log_{{10}}\frac{{{brief_latex(self.peak**2)}}}{{\mathrm{{MSE}}}}"
                rf" = {shown}\ \text{{dB}},\quad \mathrm{{MSE}} = {brief_latex(self.mse)}")

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return fields_repr(self)  # the generated repr fails on ints of over 4300 digits


def _check_dps(dps: Any) -> int:
    return positive_int(dps, "dps")


def psnr(mse: Any, *, peak: Any = 2, dps: int = 50) -> PSNR:
    """``PSNR = 10 log10(peak^2 / MSE)`` dB, exact (sympy) and numeric (mpmath at ``dps`` digits).

    ``peak = 2`` is StyleGAN3's choice for images in ``[-1, 1]``
    (``metrics/equivariance.py``: ``20 log10(2) - 10 log10(MSE)``).
    ``mse = 0`` gives ``+oo``.

    >>> p = psnr('1/100')
    >>> p.exact
    10*log(400)/log(10)
    >>> str(p.value)[:10]
    '26.0205999'
    >>> psnr(0).exact
    oo
    """
    value = to_exact(mse, "mse")
    dps = _check_dps(dps)
    top = to_exact(peak, "peak")
    if value.free_symbols or top.free_symbols:
        raise InvalidArgumentError(f"mse={brief(value, str)} and peak={brief(top, str)} must be numbers (no free symbols)")
    if top.is_positive is not True:
        raise InvalidArgumentError(f"peak={brief(peak)} must be > 0 (2 for images in [-1, 1])")
    sign = certify_sign(value)
    if sign is None:
        raise InvalidArgumentError(f"mse={brief(value, str)}: its sign could not be certified exactly")
    if sign < 0:
        raise InvalidArgumentError(f"mse={brief(value, str)} is negative; a mean squared error is >= 0")
    if sign == 0:
        return PSNR(value, top, sympy.oo, mpmath.inf, dps)
    exact = 10 * sympy.log(top**2 / value) / sympy.log(10)
    with mpmath.workdps(dps):
        number = 10 * mpmath.log10(_mp_value(top**2, dps) / _mp_value(value, dps))
        number = +number  # round to dps digits
    return PSNR(value, top, exact, number, dps)


# ------------------------------------------------------------------------------------------
# EQ-T and EQ-T_frac
# ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class EquivarianceMetric:
    """The result of :func:`eq_t` or :func:`eq_t_frac`.

    Attributes: ``name`` (``"EQ-T"`` or ``"EQ-T_frac"``), ``mse`` (exact),
    ``psnr`` (:class:`PSNR`), ``squared_error_sum`` and ``mask_count`` (the two
    sums StyleGAN3 accumulates), ``image`` (generator output on the translated
    input), ``reference`` (translated original output), ``mask`` (0/1 Signal),
    ``shift_in`` / ``shift_out`` (pixels per spatial axis), ``conventions``.
    """

    name: str
    mse: sympy.Expr
    psnr: PSNR
    squared_error_sum: sympy.Expr
    mask_count: int
    image: Signal
    reference: Signal
    mask: Signal
    shift_in: tuple
    shift_out: tuple
    conventions: tuple = field(default=())

    @property
    def is_exactly_equivariant(self) -> bool:
        """True when MSE is exactly 0 (PSNR = +oo)."""
        return self.psnr.is_infinite

    @classmethod
    def pooled(cls, results: Sequence["EquivarianceMetric"], *, dps: int | None = None) -> PSNR:
        """StyleGAN3's pooling over samples: ``sum of squared errors / sum of masks``, then PSNR.

        >>> from symequi.layers import Convolution
        >>> a = eq_t_frac(Convolution([1], padding="periodic"), [0, 1, 0, 0], '1/2', method="linear")
        >>> EquivarianceMetric.pooled([a, a]).exact
        oo
        """
        results = list(results)
        if not results or not all(isinstance(r, EquivarianceMetric) for r in results):
            raise InvalidArgumentError("results must be a non-empty list of EquivarianceMetric")
        total = sympy.Add(*(r.squared_error_sum for r in results))
        count = sum(r.mask_count for r in results)
        return psnr(total / count, dps=dps if dps is not None else results[0].psnr.dps)

    def text(self) -> str:
        """A plain-text report."""
        lines = [f"{self.name}: shift {self.shift_in} input pixels -> {self.shift_out} output pixels",
                 f"  MSE = {self.squared_error_sum} / {self.mask_count} = {self.mse} (exact, over masked entries)",
                 f"  {self.psnr.text()}"]
        lines += [f"  convention: {c}" for c in self.conventions]
        return "\n".join(lines)

    def latex(self) -> str:
        """LaTeX: the metric's PSNR line."""
        return rf"\text{{{self.name}}}:\ " + self.psnr.latex()

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return fields_repr(self)  # the generated repr fails on ints of over 4300 digits


def _spatial_dims(signal: Signal, spatial_dims: Any) -> int:
    if spatial_dims is None:
        return min(signal.ndim, 2)
    value = positive_int(spatial_dims, "spatial_dims")
    if value > signal.ndim or value > 2:
        raise InvalidArgumentError(
            f"spatial_dims={brief(spatial_dims)} must be 1 or 2 and at most the input's ndim ({brief(signal.ndim, str)})"
        )
    return value


def _shift_tuple(s: Any, dims: int, *, integer: bool) -> tuple[sympy.Rational, ...]:
    items = tuple(s) if isinstance(s, (tuple, list)) else (s,)
    if len(items) != dims:
        raise InvalidArgumentError(
            f"s={brief(s)} has {len(items)} entries but the signal has {brief(dims, str)} spatial axes; give one shift per axis"
        )
    name = "s" if dims == 1 else "s[{}]"
    out = tuple(to_rational(v, name.format(i)) for i, v in enumerate(items))
    if integer:
        for i, v in enumerate(out):
            if not v.is_Integer:
                raise InvalidArgumentError(
                    f"{brief(name.format(i), str)}={brief(v, str)} is not an integer; EQ-T shifts by whole pixels (StyleGAN3 rounds "
                    "t to the pixel grid). Use eq_t_frac for a fractional shift"
                )
    return out


def _method_shift(method: Any, shifts: tuple, ndim: int, boundary: Boundary) -> Operator:
    """The discrete translation by ``shifts`` along the trailing axes of an ``ndim``-D signal."""
    full = (0,) * (ndim - len(shifts)) + tuple(shifts)
    arg = full if ndim > 1 else full[0]
    if isinstance(method, tuple):
        key = "order" if method[0] == "lagrange" else "degree"
        return shift(arg, method=method[0], boundary=boundary, **{key: method[1]})
    return shift(arg, method=method, boundary=boundary)


def _axis_valid(n: int, s: sympy.Rational, method: Any) -> range:
    """Output positions along one axis whose reference pixel is fully supported."""
    if method == "integer":
        k = int(s)
        return range(max(k, 0), n + min(k, 0))
    if method == "lanczos":
        i = int(sympy.floor(s))
        return range(max(i + _LANCZOS_A, 0), n + min(i - (_LANCZOS_A - 1), 0))
    op = _method_shift(method, (s,), 1, "zeros")
    taps = op.taps(n) if hasattr(op, "taps") else {}
    if not taps:
        return range(0)
    lo, hi = min(taps), max(taps)
    return range(max(hi, 0), n + min(lo, 0))


def _check_method(method: Any) -> Any:
    if isinstance(method, tuple) and len(method) == 2 and method[0] in ("lagrange", "finite_volume"):
        return method
    if method not in METHODS or method in ("integer", "fourier", "finite_volume", "lagrange"):
        raise InvalidArgumentError(
            f"method={brief(method)} must be 'lanczos' (StyleGAN3), 'linear', 'cubic', ('lagrange', p) or "
            "('finite_volume', p)"
        )
    return method


def _prepare_input(generator: Any, inp: Any, discretization: Any, name: str) -> tuple[Any, Signal]:
    if not isinstance(generator, Operator):
        raise InvalidArgumentError(f"generator={brief(generator)} must be a symequi layer or Sequential")
    if discretization is not None:
        if not isinstance(discretization, Discretization):
            raise InvalidArgumentError(
                f"discretization={brief(discretization)} must be CellAverage/CellIntegral/PointSample of a grid"
            )
        return inp, discretization(inp)
    if isinstance(inp, sympy.Basic) and not isinstance(inp, sympy.MatrixBase) and inp.free_symbols & {x, y}:
        raise InvalidArgumentError(
            f"{name}={brief(inp, str)} is a continuous function; pass discretization=CellAverage(grid) to sample it"
        )
    return None, as_signal(inp, name)


def _translated_input(f: Any, u: Signal, shifts: tuple, discretization: Any, op_in: Operator) -> Signal:
    if f is None:
        return op_in(u)
    grid = discretization.grid
    if u.ndim == 1:
        return discretization(translate(f, shifts[0] * grid.dx))
    dxs = grid.dx
    return discretization(translate(f, tuple(s * d for s, d in zip(shifts, dxs)), var=(x, y)))


def _measure(name: str, generator: Operator, inp: Any, s: Any, *, method: Any, discretization: Any,
             spatial_dims: Any, input_boundary: Boundary, dps: Any) -> EquivarianceMetric:
    dps = _check_dps(dps)
    if input_boundary not in ("periodic", "zeros"):
        raise InvalidArgumentError(f"input_boundary={brief(input_boundary)} must be 'periodic' or 'zeros'")
    f, u = _prepare_input(generator, inp, discretization, "input")
    dims = _spatial_dims(u, spatial_dims)
    shifts = _shift_tuple(s, dims, integer=method == "integer")
    op_in = _method_shift(method, shifts, u.ndim, input_boundary)
    original = generator(u)
    image = generator(_translated_input(f, u, shifts, discretization, op_in))
    if original.ndim < dims:
        raise InvalidArgumentError(f"the generator output has shape {brief(original.shape, str)}, fewer than {brief(dims, str)} spatial axes")
    n_in = u.shape[-dims:]
    n_out = original.shape[-dims:]
    out_shifts = tuple(sympy.Rational(v * b, a) for v, a, b in zip(shifts, n_in, n_out))
    if method == "integer" and not all(v.is_Integer for v in out_shifts):
        raise InvalidArgumentError(
            f"the input shift {brief(shifts, str)} is {brief(out_shifts, str)} output pixels (the generator changes resolution "
            f"{brief(n_in, str)} -> {brief(n_out, str)}); EQ-T needs a whole number of output pixels"
        )
    reference = _method_shift(method, out_shifts, original.ndim, "zeros")(original)
    axes = [_axis_valid(n, v, method) for n, v in zip(n_out, out_shifts)]
    spatial = list(itertools.product(*axes))
    spatial_set = set(spatial)
    lead = original.shape[: original.ndim - dims]
    mask_values = []
    for idx in itertools.product(*(range(n) for n in original.shape)):
        mask_values.append(1 if idx[len(lead):] in spatial_set else 0)
    count = sum(mask_values)
    if count == 0:
        raise InvalidArgumentError(
            f"s={brief(s)} leaves no valid output pixel ({brief(out_shifts, str)} output pixels on shape {brief(n_out, str)}); use a smaller shift"
        )
    mask = Signal.from_exprs(mask_values, original.shape)
    diffs = [a - b for a, b, m in zip(reference.flat_exprs(), image.flat_exprs(), mask_values) if m]
    if reference.is_rational and image.is_rational:
        ref_q, img_q = reference.flat_fmpqs(), image.flat_fmpqs()
        total_q = flint.fmpq(0)
        for a, b, m in zip(ref_q, img_q, mask_values):
            if m:
                total_q += (a - b) ** 2
        total = sympy.Rational(int(total_q.p), int(total_q.q))
    else:
        verdicts = [is_zero(d) for d in diffs]
        if all(v is True for v in verdicts):
            total = sympy.Integer(0)
        else:
            total = sympy.Add(*(sympy.expand(d**2) for d, v in zip(diffs, verdicts) if v is not True))
    mse = total / count
    conventions = (
        f"{name} after StyleGAN3 (Karras et al. 2021, metrics/equivariance.py): MSE over the masked output "
        "pixels (all channels), PSNR = 10 log10(2^2/MSE) dB",
        "input translated exactly: f(x - s dx)" if f is not None else
        f"input Signal translated by the same discrete translation with {input_boundary} boundary",
        "reference: original output translated by the same fraction of the image, zero outside; "
        f"mask: {'pixels with a source inside the image' if method == 'integer' else 'pixels whose stencil lies inside the image'}",
        f"numbers: exact MSE; PSNR value by mpmath at {dps} significant digits",
    )
    return EquivarianceMetric(name, mse, psnr(mse, dps=dps), total, count, image, reference, mask,
                              tuple(shifts), out_shifts, conventions)


def eq_t(generator: Operator, input: Any, s: Any, *, discretization: Discretization | None = None,
         spatial_dims: int | None = None, input_boundary: Boundary = "periodic", dps: int = 50) -> EquivarianceMetric:
    """StyleGAN3's EQ-T (integer translation) of ``generator`` at ``input``, exactly.

    Parameters
    ----------
    generator : the layer stack.
    input : a Signal (or nested list) -- translated by the integer shift with
        ``input_boundary`` -- or a continuous function of ``x`` (``x, y``) with
        ``discretization=`` -- translated exactly by ``s dx``.
    s : whole pixels of the input (one per spatial axis for 2-D).
    spatial_dims : trailing spatial axes (default: ``min(ndim, 2)``; pass 1 for
        ``(channels, N)`` signals).
    dps : significant digits of the mpmath PSNR value.

    Returns
    -------
    EquivarianceMetric (``.mse`` exact, ``.psnr``; ``+oo`` when MSE = 0)

    >>> from symequi.layers import Convolution
    >>> r = eq_t(Convolution([1, -1], padding="zeros"), [1, 0, 0, 3], 1)
    >>> r.mse, r.mask.to_list()
    (3, [0, 1, 1, 1])
    """
    return _measure("EQ-T", generator, input, s, method="integer", discretization=discretization,
                    spatial_dims=spatial_dims, input_boundary=input_boundary, dps=dps)


def eq_t_frac(generator: Operator, input: Any, s: Any, *, method: Any = "lanczos",
              discretization: Discretization | None = None, spatial_dims: int | None = None,
              input_boundary: Boundary = "periodic", dps: int = 50) -> EquivarianceMetric:
    """StyleGAN3's EQ-T_frac (fractional translation) of ``generator`` at ``input``, exactly.

    ``method="lanczos"`` is StyleGAN3's: Lanczos-3 taps divided by their sum,
    mask ``[max(floor(s) + 3, 0), N + min(floor(s) - 2, 0))`` per axis.  Other
    methods: ``"linear"``, ``"cubic"``, ``("lagrange", p)``,
    ``("finite_volume", p)``; the mask then keeps the pixels whose stencil lies
    inside the image.  ``s`` is a rational number of input pixels (one per
    spatial axis); other parameters as in :func:`eq_t`.

    >>> from symequi.core.operator import Sequential
    >>> r = eq_t_frac(Sequential(), [0, 0, 0, 1, 0, 0, 0, 0], '1/2')
    >>> r.mask_count, r.mse
    (3, 0)
    """
    return _measure("EQ-T_frac", generator, input, s, method=_check_method(method), discretization=discretization,
                    spatial_dims=spatial_dims, input_boundary=input_boundary, dps=dps)


# ------------------------------------------------------------------------------------------
# shift consistency
# ------------------------------------------------------------------------------------------
def _label(output: Any) -> int:
    """The class: an int output as is, else the flat index of the first maximal entry."""
    if isinstance(output, int) and not isinstance(output, bool):
        return output
    sig = as_signal(output, "model output")
    if sig.is_rational:
        values = sig.flat_fmpqs()
        best = 0
        for i, v in enumerate(values):
            if v > values[best]:
                best = i
        return best
    values = sig.flat_exprs()
    best = 0
    for i, v in enumerate(values):
        sign = certify_sign(v - values[best])
        if sign is None:
            raise InvalidArgumentError(f"could not order model outputs {brief(v, str)} and {brief(values[best], str)} exactly")
        if sign > 0:
            best = i
    return best


def shift_consistency(model: Callable[[Signal], Any], signal: Any, shifts: Sequence[Any], *,
                      method: Any = "integer", boundary: Boundary = "periodic",
                      reference: str = "unshifted") -> sympy.Rational:
    """The exact fraction of shifts that leave the classification (argmax) unchanged.

    Zhang (2019), "Making Convolutional Networks Shift-Invariant Again", Sec. 4,
    "consistency": ``P[argmax F(shift_1 X) = argmax F(shift_2 X)]``.

    * ``reference="unshifted"`` (default): the fraction of ``shifts`` ``s`` with
      ``class(model(T_s signal)) == class(model(signal))``;
    * ``reference="pairs"``: Zhang's pairwise form, the fraction of unordered
      pairs of distinct entries of ``shifts`` on which the classes agree.

    ``model`` returns a Signal (class = flat index of its first maximal entry,
    numpy/PyTorch's tie rule) or an int class.  ``T_s`` is
    ``shift(s, method=method, boundary=boundary)`` (``method`` ``"integer"``
    by default; a tuple ``s`` for n-D signals).

    >>> from symequi.layers import Sequential, MaxPool
    >>> shift_consistency(MaxPool(2), [0, 3, 1, 0], [0, 1, 2, 3])
    1/2
    """
    sig = as_signal(signal, "signal")
    if not callable(model):
        raise InvalidArgumentError(f"model={brief(model)} must be a layer or a callable Signal -> Signal/int")
    if not isinstance(shifts, (list, tuple, range)) or not shifts:
        raise InvalidArgumentError("shifts must be a non-empty list of shifts, e.g. [0, 1, 2, 3]")
    shifts = list(shifts)
    if reference not in ("unshifted", "pairs"):
        raise InvalidArgumentError(f"reference={brief(reference)} must be 'unshifted' or 'pairs'")
    if isinstance(method, tuple) and not (len(method) == 2 and method[0] in ("lagrange", "finite_volume")):
        raise InvalidArgumentError(f"method={brief(method)}: a tuple method is ('lagrange', p) or ('finite_volume', p)")

    def moved(s: Any) -> Signal:
        if isinstance(method, tuple):
            key = "order" if method[0] == "lagrange" else "degree"
            return shift(s, method=method[0], boundary=boundary, **{key: method[1]})(sig)
        return shift(s, method=method, boundary=boundary)(sig)

    labels = [_label(model(moved(s))) for s in shifts]
    if reference == "unshifted":
        base = _label(model(sig))
        return sympy.Rational(sum(1 for c in labels if c == base), len(labels))
    if len(labels) < 2:
        raise InvalidArgumentError("reference='pairs' needs at least two shifts")
    pairs = list(itertools.combinations(labels, 2))
    return sympy.Rational(sum(1 for a, b in pairs if a == b), len(pairs))
