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
from .atomic import write_text_atomic
from .budget import get_time_budget, set_time_budget, time_budget
from .errors import (
    BudgetExceededError,
    EncodingError,
    IndexOutOfRangeError,
    InexactInputError,
    IntegrationError,
    InvalidArgumentError,
    NotClosedError,
    SymequiError,
)
from .exact import from_float

# continuous functions, grids, signals, discretizations
from .continuous import heaviside, translate, x, y
from .grid import Grid, ProductGrid
from .signal import Signal
from .piecewise import PiecewisePolynomial
from .discretize import CellAverage, CellIntegral, Discretization, PointSample

# operators and layers
from .operators import Operator, Sequential
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
from .interpolation import InterpolationShift
from .fourier import FourierShift
from .finite_volume import FiniteVolumeShift
from .resampling import Downsample, FourierUpsample, IdealLowPass
from .cyclotomic import CyclotomicElement, cyclotomic_equal, cyclotomic_is_zero, to_cyclotomic
from .cyclotomic_linear import CyclotomicLinear
from .formal_laurent import FormalLaurent, formal_matvec, formal_vector
from .fourier_symbolic import (
    band_frequencies,
    check_laurent_taps,
    formal_band_limited_signal,
    formal_fourier_shift,
    fourier_mode,
    fourier_taps_laurent,
    shift_phase,
)

# the square, verdicts, exact zero tests and the three deciders
from .square import Square
from .verdict import Counterexample, Proved, Undecided, Verdict
from .zero import certify_sign, is_zero, is_zero_signal
from .real_algebraic import RealAlgebraic, real_roots
from .linear import MatrixOperator, commutator_matrix, decide_linear
from .circulant import decide_circulant
from .function_classes import FunctionClass, PiecewiseConstant, Polynomials, Span, TrigPolynomials
from .discretization_square import DiscretizationProblem, decide_discretization
from .smt import decide_smt
from .search import decide_search, search_discretization
from .compositional import CompositionAttempt, LayerStep, decide_compositional, try_compositional, verified_permutation
from .decide import decide
from . import strategies, testing

# results as functions of the translation delta; the field's metrics
from .defect import DeltaPiece, PiecewiseInDelta, commuting_set, defect_in_delta
from .edge_detection import EdgeDetection, edge_detected_set, figure1_layer
from .metrics import PSNR, EquivarianceMetric, eq_t, eq_t_frac, psnr, shift_consistency

# proofs: claims, derivations, the runner, LaTeX
from .claims import Claim, ClaimResult, claim, discover
from .derivation import Derivation
from .runner import run_claims
from .latex import build_document, compile_pdf

__version__ = "0.1.0"

__all__ = [
    "write_text_atomic", "get_time_budget", "set_time_budget", "time_budget",
    "BudgetExceededError", "EncodingError", "IndexOutOfRangeError", "InexactInputError",
    "IntegrationError", "InvalidArgumentError", "NotClosedError", "SymequiError", "from_float",
    "heaviside", "translate", "x", "y", "Grid", "ProductGrid", "Signal", "PiecewisePolynomial",
    "CellAverage", "CellIntegral", "Discretization", "PointSample", "Operator", "Sequential",
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
    "run_claims", "build_document", "compile_pdf",
]
