"""The public API: a small, grouped top level; namespaces for the rest; nothing hidden or shadowed.

* ``symequi`` exports at most 60 names (besides the exceptions, all of which it exports) besides its namespaces, among them
  ``Tex``, ``Derivation``, ``claim`` and every exception of the family;
* every name in every ``__all__`` of the package exists;
* every subpackage says its job with a runnable example and re-exports its
  modules' public names;
* no package attribute is an object that hides a submodule of the same name
  (``symequi.deciders.decide`` is the function; its module is ``dispatch``).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import types

import pytest

import symequi
from symequi.core.errors import SymequiError

#: The namespaces the top level offers, one per part of the architecture.
NAMESPACES = ("core", "arith", "functions", "layers", "translations", "deciders", "delta", "report",
              "strategies", "testing", "metrics", "pde", "sweeps")
#: The bound on the top level's other names.
MAX_TOP_LEVEL_NAMES = 60  # besides the namespaces and the exception family (every error is exported)


def _all_modules() -> list[types.ModuleType]:
    """Every module of the package, imported (``__main__`` excluded: it is the CLI's entry)."""
    names = ["symequi"] + [m.name for m in pkgutil.walk_packages(symequi.__path__, "symequi.")
                           if m.name != "symequi.__main__"]
    return [importlib.import_module(name) for name in names]


MODULES = _all_modules()
PACKAGES = [m for m in MODULES if hasattr(m, "__path__")]


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub} | _subclasses(sub)
    return found


def test_the_top_level_is_small():
    others = [n for n in symequi.__all__ if not isinstance(getattr(symequi, n), types.ModuleType)
              and not (isinstance(getattr(symequi, n), type) and issubclass(getattr(symequi, n), BaseException))]
    assert len(others) <= MAX_TOP_LEVEL_NAMES, (
        f"symequi.__all__ has {len(others)} names besides its namespaces (at most {MAX_TOP_LEVEL_NAMES}); "
        "move low-level ones to their subpackage"
    )
    assert len(set(symequi.__all__)) == len(symequi.__all__), "a name is listed twice in symequi.__all__"


@pytest.mark.parametrize("name", NAMESPACES)
def test_the_namespaces_are_modules(name):
    assert name in symequi.__all__
    assert getattr(symequi, name) is importlib.import_module(f"symequi.{name}")


@pytest.mark.parametrize("name", ["Tex", "Derivation", "claim", "decide", "Square", "Signal", "shift", "__version__"])
def test_what_a_user_needs_is_at_the_top(name):
    assert hasattr(symequi, name)
    assert name in symequi.__all__ or name.startswith("__")


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_every_name_in_all_exists(module):
    exported = getattr(module, "__all__", [])
    missing = [n for n in exported if not hasattr(module, n)]
    assert not missing, f"{module.__name__}.__all__ lists names it does not define: {missing}"
    assert len(set(exported)) == len(exported), f"{module.__name__}.__all__ lists a name twice"


def test_every_error_of_the_family_is_reachable_from_the_top():
    errors = {cls for cls in _subclasses(SymequiError) | {SymequiError}
              if cls.__module__.startswith("symequi.") and not cls.__name__.startswith("_")}
    assert len(errors) >= 11  # the eight in core.errors, UndecidedZeroError, SMTInternalError, LaTeXError
    unreachable = sorted(f"{c.__module__}.{c.__name__}" for c in errors
                         if getattr(symequi, c.__name__, None) is not c or c.__name__ not in symequi.__all__)
    assert not unreachable, f"export these from symequi/__init__.py (and list them in __all__): {unreachable}"


@pytest.mark.parametrize("package", PACKAGES, ids=lambda m: m.__name__)
def test_no_attribute_hides_a_submodule(package):
    for sub in pkgutil.iter_modules(package.__path__):
        if sub.name == "__main__":
            continue
        module = importlib.import_module(f"{package.__name__}.{sub.name}")
        attribute = getattr(package, sub.name, module)
        assert attribute is module, (
            f"{package.__name__}.{sub.name} is {attribute!r}, which hides the module "
            f"{package.__name__}.{sub.name}; rename the module or the object"
        )


SUBPACKAGES = [p for p in PACKAGES if p is not symequi]


@pytest.mark.parametrize("package", SUBPACKAGES, ids=lambda m: m.__name__)
def test_subpackages_say_their_job_with_an_example(package):
    doc = inspect.getdoc(package) or ""
    assert len(doc.splitlines()[0]) > 20, f"{package.__name__} needs a docstring saying its job"
    assert ">>> " in doc, f"{package.__name__}'s docstring needs a runnable example"


@pytest.mark.parametrize("package", SUBPACKAGES, ids=lambda m: m.__name__)
def test_subpackages_re_export_their_public_names(package):
    """Each public name of each module is reachable as ``package.name`` (``delta.delta``, the
    symbol, stays in its module so that ``symequi.delta`` names the package)."""
    exported = set(package.__all__)
    missing = []
    for sub in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{sub.name}")
        for name in getattr(module, "__all__", []):
            if name == package.__name__.rsplit(".", 1)[1]:
                continue
            if name not in exported or getattr(package, name) is not getattr(module, name):
                missing.append(f"{sub.name}.{name}")
    assert not missing, f"{package.__name__}/__init__.py does not re-export {missing}"


def test_the_checker_sees_a_shadowing_function(monkeypatch):
    """A function bound to a submodule's name is caught (the old ``deciders.decide``)."""
    import symequi.deciders as deciders

    monkeypatch.setattr(deciders, "dispatch", deciders.decide)
    with pytest.raises(AssertionError, match="hides the module"):
        test_no_attribute_hides_a_submodule(deciders)
