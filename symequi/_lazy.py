"""Attributes of a package that import their module on first use (PEP 562).

z3 and Hypothesis take longer to import than the rest of symequi together; the
names that need them (the SMT and search deciders, ``symequi.strategies``,
``symequi.testing``) are bound when first used, so ``import symequi`` stays fast.

Example
-------
>>> import types
>>> demo = types.ModuleType("demo")
>>> demo.__getattr__ = lazy_attributes("demo", {"dumps": "json"})
>>> demo.dumps([1])
'[1]'
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from typing import Any
from .core.texts import brief

__all__ = ["lazy_attributes"]


def lazy_attributes(package: str, where: dict[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package``: ``where[name]`` is the module (absolute, or
    relative to ``package``) that defines ``name``; a name that is itself the module's last
    part (``"strategies": ".strategies"``) is the module."""
    def __getattr__(name: str) -> Any:
        if name not in where:
            raise AttributeError(f"module {brief(package)} has no attribute {brief(name)}")
        module = importlib.import_module(where[name], package if where[name].startswith(".") else None)
        value = module if module.__name__.rsplit(".", 1)[-1] == name else getattr(module, name)
        target = sys.modules.get(package)
        if target is not None:
            setattr(target, name, value)
        return value
    return __getattr__
