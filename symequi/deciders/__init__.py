"""The deciders: does a square commute?  Proved, Counterexample or Undecided, exactly.

:func:`decide` is the one entry point (module :mod:`symequi.deciders.dispatch`):
it sends a :class:`~symequi.core.square.Square` to the strongest decider that
applies, or names the one you force with ``method=``:

* linear algebra (:func:`decide_linear`, :func:`decide_circulant`;
  :class:`MatrixOperator` wraps an exact matrix as an operator);
* the compositional rule under a permutation (:func:`decide_compositional`);
* SMT over linear real arithmetic (:func:`decide_smt`, z3);
* search (:func:`decide_search`, Hypothesis: refutes, never proves);
* discretization squares on a function class (:class:`DiscretizationProblem`,
  :func:`decide_discretization`).

Example
-------
>>> from symequi.core import Square
>>> from symequi.deciders import MatrixOperator, decide
>>> swap = MatrixOperator([[0, 1], [1, 0]])
>>> decide(Square(MatrixOperator([[2, 1], [1, 2]]), swap, input_shape=2)).kind
'proved'
>>> decide(Square(MatrixOperator([[1, 0], [0, 2]]), swap, input_shape=2)).kind
'counterexample'
"""

from .circulant import CIRCULANT_THEOREM, decide_circulant
from .compositional import (
    CompositionAttempt,
    LayerStep,
    decide_compositional,
    try_compositional,
    verified_permutation,
)
from .discretization import ConstructedTranslation, DiscretizationProblem, decide_discretization
from .dispatch import decide
from .linear import MatrixOperator, commutator_matrix, decide_linear
from .._lazy import lazy_attributes

# z3 and Hypothesis load when these are first used (import symequi stays fast)
__getattr__ = lazy_attributes(__name__, {"decide_smt": ".smt", "Z3Algebra": ".smt", "decide_search": ".search",
                                         "search_discretization": ".search",
                                         "worst_case_defect": ".worst_case", "WorstCaseDefect": ".worst_case"})

__all__ = [
    "decide",
    # linear algebra
    "decide_linear", "MatrixOperator", "commutator_matrix", "decide_circulant", "CIRCULANT_THEOREM",
    # the compositional rule
    "decide_compositional", "try_compositional", "verified_permutation", "CompositionAttempt",
    "LayerStep",
    # SMT and search
    "decide_smt", "Z3Algebra", "decide_search", "search_discretization", "worst_case_defect", "WorstCaseDefect",
    # discretization squares
    "DiscretizationProblem", "decide_discretization", "ConstructedTranslation",
]
