"""Exact arithmetic beyond the rationals: the fields and algebra the deciders need.

Cyclotomic fields (:class:`CyclotomicElement`, matrices over them:
:class:`CyclotomicLinear`) for Fourier taps, real algebraic numbers
(:class:`RealAlgebraic`, :func:`real_roots`) for breakpoints in delta, formal
Laurent series in ``E = exp(i pi delta)`` (:class:`FormalLaurent`) for a
symbolic Fourier shift, and exact elimination that never guesses a zero
(:func:`exact_rref`, :func:`exact_nullspace`; :class:`UndecidedZeroError`
when a pivot cannot be certified), and :func:`exact_form`, which writes an
exact number in the shortest form the library proves equal to it (a
polynomial in ``zeta_M``, or a minimal polynomial with an isolating interval).

Example
-------
>>> import sympy
>>> from flint import fmpq_poly
>>> from symequi.arith import real_roots, to_cyclotomic
>>> real_roots(fmpq_poly([-2, 0, 1]))  # t^2 - 2
[RealAlgebraic(-sqrt(2)), RealAlgebraic(sqrt(2))]
>>> to_cyclotomic(sympy.cos(sympy.pi / 3)) == to_cyclotomic(sympy.Rational(1, 2))
True
"""

from .cyclotomic import (
    CyclotomicElement,
    cos_pi,
    cyclotomic_equal,
    cyclotomic_is_zero,
    cyclotomic_polynomial,
    field_order,
    sin_pi,
    to_cyclotomic,
)
from .cyclotomic_linear import CyclotomicLinear, CyclotomicMatrix
from .cyclotomic_vector import CyclotomicVector, VectorTaps, join_columns, reduce_columns, split_columns
from .exact_forms import ZETA_NOTE, ExactForm, exact_form, root_text, smallest_field, zeta_text
from .formal_laurent import E, FormalLaurent, formal_matvec, formal_vector
from .linalg import UndecidedZeroError, exact_nullspace, exact_rref, trusted_domain_matrix
from .real_algebraic import (
    RealAlgebraic,
    compare,
    fmpq_poly_from_sympy,
    rational_between,
    real_roots,
    sign_at,
    sort_distinct,
    value_at,
)

__all__ = [
    # cyclotomic fields
    "CyclotomicElement", "cyclotomic_polynomial", "field_order", "to_cyclotomic", "cyclotomic_is_zero",
    "cyclotomic_equal", "cos_pi", "sin_pi", "CyclotomicLinear", "CyclotomicMatrix",
    "CyclotomicVector", "VectorTaps", "join_columns", "split_columns", "reduce_columns",
    # formal Laurent series in E = exp(i pi delta)
    "FormalLaurent", "E", "formal_vector", "formal_matvec",
    # exact elimination
    "exact_rref", "exact_nullspace", "trusted_domain_matrix", "UndecidedZeroError",
    # real algebraic numbers
    "RealAlgebraic", "real_roots", "compare", "sort_distinct", "sign_at", "value_at",
    "rational_between", "fmpq_poly_from_sympy",
    # exact numbers in a short provable form (for display)
    "ExactForm", "exact_form", "smallest_field", "zeta_text", "root_text", "ZETA_NOTE",
]
