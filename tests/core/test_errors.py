"""Every exception class symequi defines belongs to the one family (SymequiError)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import symequi
from symequi.core.errors import SymequiError

#: Control-flow signals inside symequi.deciders.search, which this change may not edit
#: (another engineer owns the deciders' internals); _OutOfTime is a BaseException on purpose.
NOT_YET = {"symequi.deciders.search._Skip", "symequi.deciders.search._OutOfTime"}


def _exception_classes():
    found = {}
    for info in pkgutil.walk_packages(symequi.__path__, "symequi."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if inspect.isclass(obj) and issubclass(obj, BaseException) and obj.__module__ == info.name:
                found[f"{info.name}.{name}"] = obj
    return found


def test_every_symequi_exception_derives_from_symequi_error():
    classes = _exception_classes()
    assert "symequi.core.errors.InvalidArgumentError" in classes and "symequi.report.latex.LaTeXError" in classes
    outside = sorted(name for name, cls in classes.items() if not issubclass(cls, SymequiError))
    assert [name for name in outside if name not in NOT_YET] == []


def test_the_private_signals_and_the_usage_error_are_in_the_family():
    from symequi.cli import _UsageError
    from symequi.core.zero import _Unsupported
    from symequi.functions.piecewise import _NotPiecewisePolynomial
    from symequi.report.derivation import CheckFailed

    for cls in (_UsageError, _Unsupported, _NotPiecewisePolynomial, CheckFailed):
        assert issubclass(cls, SymequiError), cls
