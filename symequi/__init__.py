"""symequi: exact proofs and counterexamples for translation equivariance.

The public API lives here; internal modules may move between releases.

Example
-------
>>> import symequi as se
>>> grid = se.Grid(-1, 1, 4)
>>> se.CellAverage(grid)(se.heaviside(se.x))
Signal([0, 0, 1, 1])
"""

from .budget import get_time_budget, set_time_budget, time_budget
from .atomic import write_text_atomic
from .claims import Claim, ClaimResult, claim, discover
from .continuous import heaviside, translate, x, y
from .derivation import Derivation
from .discretize import CellAverage, CellIntegral, Discretization, PointSample
from .errors import (
    BudgetExceededError,
    EncodingError,
    IndexOutOfRangeError,
    IntegrationError,
    InexactInputError,
    InvalidArgumentError,
    NotClosedError,
    SymequiError,
)
from .exact import from_float
from .grid import Grid, ProductGrid
from .latex import build_document, compile_pdf
from .operators import Operator, Sequential
from .layers import AvgPool, Abs, Bias, Convolution, Correlation, LeakyReLU, MaxPool, Pointwise, PolynomialActivation, ReLU
from .piecewise import PiecewisePolynomial
from .runner import run_claims
from .signal import Signal
from .square import Square
from .translations import DiscreteTranslation, IntegerShift, shift
from .interpolation import InterpolationShift
from .fourier import FourierShift
from .finite_volume import FiniteVolumeShift
from .resampling import Downsample, FourierUpsample, IdealLowPass
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
from .cyclotomic import CyclotomicElement, cyclotomic_equal, cyclotomic_is_zero, to_cyclotomic
from .search import decide_search, search_discretization
from .smt import decide_smt
from .zero import certify_sign, is_zero, is_zero_signal
from .linear import MatrixOperator, commutator_matrix, decide_linear
from .circulant import decide_circulant
from .function_classes import FunctionClass, PiecewiseConstant, Polynomials, Span, TrigPolynomials
from .discretization_square import DiscretizationProblem, decide_discretization
from .decide import decide
from .defect import DeltaPiece, PiecewiseInDelta, commuting_set, defect_in_delta
from .edge_detection import EdgeDetection, edge_detected_set, figure1_layer
from .real_algebraic import RealAlgebraic, real_roots
from .metrics import PSNR, EquivarianceMetric, eq_t, eq_t_frac, psnr, shift_consistency
from . import strategies, testing
from .verdict import Counterexample, Proved, Undecided, Verdict

__version__ = "0.1.0"

__all__ = [
    "claim", "Claim", "ClaimResult", "discover", "Derivation", "run_claims", "build_document",
    "compile_pdf", "write_text_atomic",
    "AvgPool", "Abs", "Bias", "Convolution", "Correlation", "LeakyReLU", "MaxPool", "Pointwise",
    "PolynomialActivation", "ReLU",
    "Square", "shift", "DiscreteTranslation", "IntegerShift", "InterpolationShift", "FourierShift",
    "FiniteVolumeShift", "Downsample", "FourierUpsample", "IdealLowPass", "CyclotomicLinear",
    "FormalLaurent", "formal_matvec", "formal_vector", "band_frequencies", "check_laurent_taps",
    "formal_band_limited_signal", "formal_fourier_shift", "fourier_mode", "fourier_taps_laurent",
    "shift_phase", "CyclotomicElement", "cyclotomic_equal", "cyclotomic_is_zero",
    "to_cyclotomic", "decide_search", "decide_smt", "certify_sign", "is_zero", "is_zero_signal",
    "MatrixOperator", "commutator_matrix", "decide_linear", "decide_circulant", "IndexOutOfRangeError", "FunctionClass", "PiecewiseConstant",
    "Polynomials", "Span", "TrigPolynomials", "DiscretizationProblem", "decide_discretization", "decide", "RealAlgebraic", "real_roots", "DeltaPiece", "EdgeDetection", "PiecewiseInDelta", "commuting_set",
    "defect_in_delta", "edge_detected_set", "figure1_layer", "PSNR", "EquivarianceMetric", "eq_t",
    "eq_t_frac", "psnr", "shift_consistency", "search_discretization", "strategies", "testing",
    "CellAverage", "CellIntegral", "Discretization", "PointSample", "PiecewisePolynomial",
    "BudgetExceededError", "Counterexample", "EncodingError", "Grid", "IntegrationError",
    "InexactInputError", "InvalidArgumentError", "NotClosedError", "Operator", "ProductGrid",
    "Proved", "Sequential", "Signal", "SymequiError", "Undecided", "Verdict", "from_float",
    "get_time_budget", "heaviside", "set_time_budget", "time_budget", "translate", "x", "y",
]
