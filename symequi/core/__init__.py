"""The core: exact values, the one error family, budgets, signals, operators, squares, verdicts.

Everything else builds on these: :class:`Signal` (the exact array),
:class:`Operator` and :class:`Sequential` (the layer protocol),
:class:`Square` (the commutative square ``A(g(u)) == g_out(A(u))``), the
verdicts :class:`Proved`, :class:`Counterexample`, :class:`Undecided`, exact
zero tests (:func:`is_zero`), the conversion of user input to exact values
(:func:`to_exact`, :func:`from_float`), time budgets, the exceptions
(:class:`SymequiError` and its subclasses) and the ``Literal`` option types
(:mod:`symequi.core.types`).  Nothing here imports another part of symequi.

Example
-------
>>> from symequi.core import Signal, is_zero, to_exact
>>> Signal([1, '1/2']) + Signal([0, '1/2'])
Signal([1, 1])
>>> is_zero(to_exact('sqrt(8)') - 2 * to_exact('sqrt(2)'))
True
"""

from .assumptions import Assumptions, Interval, as_assumptions
from .budget import budgeted, check_budget, get_time_budget, set_time_budget, time_budget
from .errors import (
    BudgetExceededError,
    EncodingError,
    IndexOutOfRangeError,
    InexactInputError,
    IntegrationError,
    InvalidArgumentError,
    NotClosedError,
    SMTInternalError,
    SymequiError,
)
from .exact import (
    as_sympy,
    fmpq_to_sympy,
    from_float,
    is_rational,
    positive_int,
    power_by_squaring,
    sympy_to_fmpq,
    NodeKinds,
    node_kinds,
    to_exact,
    to_fmpq,
    to_rational,
)
from .parse import (
    CONSTANTS,
    FUNCTIONS,
    ExpressionError,
    ParseLimits,
    get_parse_limits,
    parse_exact,
    parse_limits,
    set_parse_limits,
)
from .limits import Limits, check_degree, check_size, get_limits, set_limits, using_limits
from .graph import INPUT, Add, Concat, Graph
from .encoding import PiecewiseLinearFunction, SparseRows, VectorAlgebra
from .operator import Operator, PermutationLemma, Sequential, as_signal, circulant_taps, encode, trusted_protocol
from .signal import FieldVector, Signal, UndecidedEqualityError, check_shape, flat_index, is_array_like, is_zero_signal, unravel_index
from .square import Square, paths_differ
from .symbols import as_function, x, y
from .types import (
    BOUNDARIES,
    DECIDE_METHODS,
    FV_BIASES,
    PADDINGS,
    POOL_PADDINGS,
    SHIFT_METHODS,
    Boundary,
    DecideMethod,
    FVBias,
    Padding,
    PoolPadding,
    ShiftMethod,
)
from .texts import BRIEF_LIMIT, TEXT_LIMIT, brief, brief_latex, fields_repr, int_digits
from .texescape import Phrase, check_latex_text, escape_latex, phrase_latex, prose_latex, tex_ascii
from .verdict import Counterexample, DECIDERS, DeciderName, Proved, Statement, Undecided, Verdict
from .zero import AssumedSet, UnsupportedExpression, certify_sign, find_nonzero_point, is_zero, is_zero_function, rational_value, zero_test

__all__ = [
    # verdict vocabulary and LaTeX text
    "Statement", "DeciderName", "DECIDERS", "escape_latex", "tex_ascii", "prose_latex", "Phrase", "phrase_latex",
    "check_latex_text",
    "UndecidedEqualityError", "UnsupportedExpression",
    # assumptions on the symbols of a square
    "Assumptions", "Interval", "as_assumptions", "AssumedSet", "find_nonzero_point",
    # the one parser of user text (never evaluates)
    "parse_exact", "ExpressionError", "ParseLimits", "parse_limits", "get_parse_limits", "set_parse_limits",
    "FUNCTIONS", "CONSTANTS", "as_sympy",
    # values in messages, in bounded length
    "brief", "brief_latex", "BRIEF_LIMIT", "TEXT_LIMIT", "int_digits", "fields_repr",
    # limits on size-like arguments
    "Limits", "get_limits", "set_limits", "using_limits", "check_size", "check_degree",
    # graphs of layers (residual networks)
    "Graph", "Add", "Concat", "INPUT",
    # the layer protocol
    "PiecewiseLinearFunction", "SparseRows", "VectorAlgebra", "PermutationLemma", "encode", "circulant_taps",
    "trusted_protocol",
    # time budgets
    "time_budget", "set_time_budget", "get_time_budget", "check_budget", "budgeted",
    # errors
    "SymequiError", "InvalidArgumentError", "InexactInputError", "IndexOutOfRangeError",
    "IntegrationError", "BudgetExceededError", "EncodingError", "NotClosedError", "SMTInternalError",
    # exact values at the door
    "to_exact", "node_kinds", "NodeKinds", "to_rational", "to_fmpq", "from_float", "is_rational", "fmpq_to_sympy",
    "sympy_to_fmpq", "positive_int", "power_by_squaring",
    # signals, operators, squares, verdicts
    "Signal", "FieldVector", "is_zero_signal", "check_shape", "flat_index", "unravel_index", "is_array_like",
    "Operator", "Sequential", "as_signal", "Square", "paths_differ",
    "Verdict", "Proved", "Counterexample", "Undecided",
    # symbols and zero tests
    "x", "y", "as_function",
    "is_zero", "certify_sign", "is_zero_function", "zero_test", "rational_value",
    # option names
    "Padding", "PoolPadding", "Boundary", "ShiftMethod", "FVBias", "DecideMethod",
    "PADDINGS", "POOL_PADDINGS", "BOUNDARIES", "SHIFT_METHODS", "FV_BIASES", "DECIDE_METHODS",
]
