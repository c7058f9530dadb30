"""symequi: exact proofs and counterexamples for translation equivariance.

This module is the public API (``import symequi as se``); the modules behind it
may move between releases.  Grouped as in the architecture (DESIGN.md): exact
values and errors, functions and grids, signals, discretizations, layers,
discrete translations, the square and its verdicts, the three deciders and
exact zero tests, results as functions of the translation, and proofs.

Example
-------
>>> import symequi as se
>>> grid = se.Grid(-1, 1, 4)
>>> se.CellAverage(grid)(se.heaviside(se.x))
Signal([0, 0, 1, 1])
"""

# exact values, errors, time budgets, files
from .report.files import write_text_atomic
from .core.budget import get_time_budget, set_time_budget, time_budget
from .core.errors import (
    BudgetExceededError,
    EncodingError,
    IndexOutOfRangeError,
    InexactInputError,
    IntegrationError,
    InvalidArgumentError,
    NotClosedError,
    SymequiError,
)
from .core.exact import from_float

# continuous functions, grids, signals, discretizations
from .functions.continuous import heaviside, translate, x, y
from .functions.grid import Grid, ProductGrid
from .core.signal import Signal
from .functions.piecewise import PiecewisePolynomial
from .functions.discretize import CellAverage, CellIntegral, Discretization, PointSample

# operators and layers
from .core.operator import Operator, Sequential
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

# discrete translations and the exact fields they need
from .translations import DiscreteTranslation, IntegerShift, shift
from .translations.interpolation import InterpolationShift
from .translations.fourier import FourierShift
from .translations.finite_volume import FiniteVolumeShift
from .translations.resampling import Downsample, FourierUpsample, IdealLowPass
from .arith.cyclotomic import CyclotomicElement, cyclotomic_equal, cyclotomic_is_zero, to_cyclotomic
from .arith.cyclotomic_linear import CyclotomicLinear
from .arith.formal_laurent import FormalLaurent, formal_matvec, formal_vector
from .translations.fourier_symbolic import (
    band_frequencies,
    check_laurent_taps,
    formal_band_limited_signal,
    formal_fourier_shift,
    fourier_mode,
    fourier_taps_laurent,
    shift_phase,
)

# the square, verdicts, exact zero tests and the three deciders
from .core.square import Square
from .core.verdict import Counterexample, Proved, Undecided, Verdict
from .core.zero import certify_sign, is_zero
from .core.signal import is_zero_signal
from .arith.real_algebraic import RealAlgebraic, real_roots
from .deciders.linear import MatrixOperator, commutator_matrix, decide_linear
from .deciders.circulant import decide_circulant
from .functions.function_classes import FunctionClass, PiecewiseConstant, Polynomials, Span, TrigPolynomials
from .deciders.discretization import DiscretizationProblem, decide_discretization
from .deciders.smt import decide_smt
from .deciders.search import decide_search, search_discretization
from .deciders.compositional import CompositionAttempt, LayerStep, decide_compositional, try_compositional, verified_permutation
from .deciders.decide import decide
from .deciders.worst_case import WorstCaseDefect, worst_case_defect
from . import strategies
from . import testing

# results as functions of the translation delta; the field's metrics
from .delta.defect import DeltaPiece, PiecewiseInDelta, commuting_set, defect_in_delta
from .delta.edge_detection import EdgeDetection, edge_detected_set, figure1_layer
from .models import UnsupportedModelError, from_onnx, from_torch
from .metrics import PSNR, EquivarianceMetric, eq_t, eq_t_frac, psnr, shift_consistency

# proofs: claims, derivations, the runner, LaTeX
from .report.claims import Claim, ClaimResult, claim, discover
from .report.derivation import Derivation
from .report.runner import run_claims
from .report.latex import build_document, compile_pdf

from ._version import __version__

__all__ = [
    "write_text_atomic", "get_time_budget", "set_time_budget", "time_budget",
    "BudgetExceededError", "EncodingError", "IndexOutOfRangeError", "InexactInputError",
    "IntegrationError", "InvalidArgumentError", "NotClosedError", "SymequiError", "from_float",
    "heaviside", "translate", "x", "y", "Grid", "ProductGrid", "Signal", "PiecewisePolynomial",
    "CellAverage", "CellIntegral", "Discretization", "PointSample", "Operator", "Sequential",
    "Graph", "Add", "Concat",
    "Abs", "AvgPool", "Bias", "Convolution", "Correlation", "LeakyReLU", "MaxPool", "Pointwise",
    "PolynomialActivation", "ReLU", "DiscreteTranslation", "IntegerShift", "shift",
    "InterpolationShift", "FourierShift", "FiniteVolumeShift", "Downsample", "FourierUpsample",
    "IdealLowPass", "CyclotomicElement", "cyclotomic_equal", "cyclotomic_is_zero",
    "to_cyclotomic", "CyclotomicLinear", "FormalLaurent", "formal_matvec", "formal_vector",
    "band_frequencies", "check_laurent_taps", "formal_band_limited_signal",
    "formal_fourier_shift", "fourier_mode", "fourier_taps_laurent", "shift_phase", "Square",
    "Counterexample", "Proved", "Undecided", "Verdict", "certify_sign", "is_zero",
    "is_zero_signal", "RealAlgebraic", "real_roots", "MatrixOperator", "commutator_matrix",
    "decide_linear", "decide_circulant", "FunctionClass", "PiecewiseConstant", "Polynomials",
    "Span", "TrigPolynomials", "DiscretizationProblem", "decide_discretization", "decide_smt",
    "decide_search", "search_discretization", "CompositionAttempt", "LayerStep", "decide_compositional", "try_compositional",
    "verified_permutation", "decide", "strategies", "testing", "DeltaPiece",
    "PiecewiseInDelta", "commuting_set", "defect_in_delta", "EdgeDetection",
    "edge_detected_set", "figure1_layer", "PSNR", "EquivarianceMetric", "eq_t", "eq_t_frac",
    "psnr", "shift_consistency", "Claim", "ClaimResult", "claim", "discover", "Derivation",
    "run_claims", "build_document", "compile_pdf", "from_torch", "from_onnx", "UnsupportedModelError",
    "worst_case_defect", "WorstCaseDefect",
]
