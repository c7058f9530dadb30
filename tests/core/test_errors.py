"""The one exception family (symequi/core/errors.py): every exception class symequi defines belongs to it."""

import importlib
import inspect
import pathlib
import pkgutil

import pytest

import symequi
from symequi.core import errors
from symequi.core.errors import (
    BudgetExceededError,
    EncodingError,
    IndexOutOfRangeError,
    InexactInputError,
    IntegrationError,
    InvalidArgumentError,
    NotClosedError,
    SymequiError,
)

PACKAGE = pathlib.Path(symequi.__file__).resolve().parent


def test_every_class_in_the_module_is_in_the_family_and_exported():
    defined = {name for name, obj in vars(errors).items()
               if inspect.isclass(obj) and obj.__module__ == errors.__name__}
    assert defined == set(errors.__all__)
    for name in errors.__all__:
        cls = getattr(errors, name)
        assert issubclass(cls, SymequiError)
        assert getattr(symequi, name) is cls  # reachable as symequi.<Name>


@pytest.mark.parametrize("cls, builtin", [
    (InvalidArgumentError, ValueError),
    (InexactInputError, ValueError),
    (InexactInputError, TypeError),
    (IndexOutOfRangeError, IndexError),
    (IndexOutOfRangeError, ValueError),
])
def test_generic_handlers_keep_working(cls, builtin):
    with pytest.raises(builtin, match="the message"):
        raise cls("the message")


def test_inexact_and_index_errors_are_invalid_arguments():
    assert issubclass(InexactInputError, InvalidArgumentError)
    assert issubclass(IndexOutOfRangeError, InvalidArgumentError)
    for cls in (IntegrationError, BudgetExceededError, EncodingError, NotClosedError):
        assert not issubclass(cls, InvalidArgumentError)


def test_budget_error_names_the_step_and_the_budget():
    err = BudgetExceededError("integrating f over cell 3", 2.5)
    assert (err.what, err.seconds) == ("integrating f over cell 3", 2.5)
    text = str(err)
    assert text.startswith("integrating f over cell 3 did not finish within its time budget of 2.5 s")
    assert "set_time_budget" in text and "budget=" in text


def test_public_exceptions_anywhere_in_the_package_belong_to_the_family():
    # "except symequi.SymequiError catches all of them": every public exception class
    # defined in any module of the package derives from SymequiError
    strays, seen = [], set()
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        if name.endswith("__main__"):
            continue
        module = importlib.import_module(name)
        for attr, obj in vars(module).items():
            if (inspect.isclass(obj) and issubclass(obj, BaseException) and obj.__module__ == name
                    and not attr.startswith("_")):
                seen.add(f"{name}.{attr}")
                if not issubclass(obj, SymequiError):
                    strays.append(f"{name}.{attr}")
    assert strays == []
    assert {"symequi.arith.linalg.UndecidedZeroError", "symequi.core.errors.EncodingError"} <= seen


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
    from symequi.core.zero import UnsupportedExpression
    from symequi.functions.piecewise import _NotPiecewisePolynomial
    from symequi.report.derivation import CheckFailed

    for cls in (_UsageError, UnsupportedExpression, _NotPiecewisePolynomial, CheckFailed):
        assert issubclass(cls, SymequiError), cls
