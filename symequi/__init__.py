"""symequi: exact proofs and counterexamples for translation equivariance.

This module is the public API (``import symequi as se``): what a user needs to
build a square and decide it, grouped below, plus one namespace per part of
the architecture for everything else:

==================  ======================================================================
``se.core``         signals, operators, squares, verdicts, exact values, zero tests, errors
``se.arith``        cyclotomic fields, real algebraic numbers, formal Laurent series, elimination
``se.functions``    functions of x, grids, piecewise polynomials, discretizations, function classes
``se.layers``       convolutions, bias, activations, pooling, padding
``se.translations`` discrete translations, interpolation kernels, resampling, formal Fourier shifts
``se.deciders``     decide, linear algebra, the compositional rule, SMT, search
``se.delta``        layer outputs as exact piecewise functions of the translation delta
``se.metrics``      EQ-T, EQ-T_frac, shift consistency, PSNR (exact)
``se.pde``          exact cell-averaged advection, upwind and Lax-Wendroff as layers
``se.testing``      ``assert_commutes`` for your own test suite
``se.strategies``   Hypothesis strategies for exact rationals, signals, kernels, shifts, functions
``se.report``       claims, derivations, the runner, LaTeX/PDF, figures, files written whole
==================  ======================================================================

Every error symequi raises on purpose is a :class:`SymequiError`; all of them
are importable from here.

Example
-------
>>> import symequi as se
>>> grid = se.Grid(-1, 1, 4)
>>> se.CellAverage(grid)(se.heaviside(se.x))
Signal([0, 0, 1, 1])
>>> se.decide(se.Square(se.Convolution([2, -2], padding="periodic"), se.shift(1), input_shape=4)).kind
'proved'
"""

# errors: the one family (every SymequiError subclass)
from .core.errors import (
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
from .arith.linalg import UndecidedZeroError

# exact values and time budgets
from .core.exact import from_float
from .core.budget import set_time_budget, time_budget

# continuous functions, grids, discretizations, function classes
from .functions import (
    CellAverage,
    CellIntegral,
    Grid,
    PiecewiseConstant,
    PointSample,
    Polynomials,
    Span,
    TrigPolynomials,
    heaviside,
    translate,
    x,
    y,
)

# signals, operators and layers
from .core import Operator, Sequential, Signal, UndecidedEqualityError
from .core.graph import Add, Concat, Graph
from .layers import (
    Abs,
    AvgPool,
    Bias,
    Convolution,
    Correlation,
    LeakyReLU,
    MaxPool,
    Pointwise,
    PolynomialActivation,
    ReLU,
)

# discrete translations
from .translations import FiniteVolumeShift, FourierShift, IntegerShift, InterpolationShift, shift

# the square, verdicts, exact zero tests and the deciders
from .core import ExpressionError, UnsupportedExpression
from .core import Assumptions, Counterexample, Interval, Proved, Square, Undecided, Verdict, is_zero
from .deciders import decide, decide_discretization, decide_linear

# results as functions of the translation delta
from .delta import defect_in_delta, edge_detected_set

# proofs: claims and their derivations

# the namespaces
from . import arith, core, deciders, delta, functions, layers, metrics, pde, translations
from ._lazy import lazy_attributes

# z3 and Hypothesis load on first use of these (``import symequi`` stays fast)
# (and proofs' and sweeps' machinery: LaTeX, figures, SQLite, Dask)
__getattr__ = lazy_attributes(__name__, {
    "decide_smt": ".deciders.smt", "decide_search": ".deciders.search",
    "strategies": ".strategies", "testing": ".testing", "report": ".report", "sweeps": ".sweeps",
    "claim": ".report.claims", "Derivation": ".report.derivation", "Tex": ".report.derivation",
    "CheckFailed": ".report.derivation", "LaTeXError": ".report.latex",
    "sweep": ".sweeps", "SpecError": ".sweeps.spec", "StoreLockedError": ".sweeps.store",
    "models": ".models", "from_torch": ".models.torch_import", "from_onnx": ".models.onnx_import",
    "UnsupportedModelError": ".models.build", "worst_case_defect": ".deciders.worst_case",
})
from .layers import Clamp

from ._version import __version__

__all__ = [
    # errors
    "SymequiError", "InvalidArgumentError", "InexactInputError", "IndexOutOfRangeError",
    "IntegrationError", "BudgetExceededError", "EncodingError", "NotClosedError",
    "UndecidedZeroError", "SMTInternalError", "LaTeXError", "SpecError", "StoreLockedError", "CheckFailed", "UndecidedEqualityError", "UnsupportedExpression",
    "UnsupportedModelError", "ExpressionError",
    # exact values and time budgets
    "from_float", "set_time_budget", "time_budget",
    # continuous functions, grids, discretizations, function classes
    "x", "y", "heaviside", "translate", "Grid", "CellAverage", "CellIntegral", "PointSample",
    "Polynomials", "TrigPolynomials", "Span", "PiecewiseConstant",
    # signals, operators and layers
    "Signal", "Operator", "Sequential", "Graph", "Add", "Concat", "Convolution", "Correlation", "Bias", "ReLU", "LeakyReLU",
    "Abs", "Clamp", "Pointwise", "PolynomialActivation", "MaxPool", "AvgPool",
    # discrete translations
    "shift", "IntegerShift", "InterpolationShift", "FourierShift", "FiniteVolumeShift",
    # the square, verdicts, zero tests, deciders
    "Square", "Assumptions", "Interval", "Verdict", "Proved", "Counterexample", "Undecided", "is_zero",
    "decide", "decide_linear", "decide_discretization", "decide_smt", "decide_search",
    # results as functions of delta
    "defect_in_delta", "edge_detected_set",
    # proofs
    "claim", "Derivation", "Tex",
    # sweeps, imported models, worst-case defect
    "sweep", "from_torch", "from_onnx", "worst_case_defect",
    # namespaces
    "core", "arith", "functions", "layers", "translations", "deciders", "delta", "metrics", "pde",
    "testing", "strategies", "report", "sweeps", "models",
]
