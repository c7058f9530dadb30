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
from .continuous import heaviside, translate, x, y
from .errors import (
    BudgetExceededError,
    EncodingError,
    IntegrationError,
    InexactInputError,
    InvalidArgumentError,
    NotClosedError,
    SymequiError,
)
from .exact import from_float
from .grid import Grid, ProductGrid
from .operators import Operator, Sequential
from .signal import Signal
from .verdict import Counterexample, Proved, Undecided, Verdict

__version__ = "0.1.0"

__all__ = [
    "BudgetExceededError", "Counterexample", "EncodingError", "Grid", "IntegrationError",
    "InexactInputError", "InvalidArgumentError", "NotClosedError", "Operator", "ProductGrid",
    "Proved", "Sequential", "Signal", "SymequiError", "Undecided", "Verdict", "from_float",
    "get_time_budget", "heaviside", "set_time_budget", "time_budget", "translate", "x", "y",
]
