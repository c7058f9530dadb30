"""The ``hypothesis`` entry point: ``st.from_type(symequi.Signal)`` works once Hypothesis is imported.

Hypothesis calls :func:`register` while it is itself being imported, possibly
*because* :mod:`symequi.strategies` is importing it; so this module imports
nothing of symequi's strategies at load time, and registers deferred strategies
that build :func:`symequi.strategies.type_strategies` on first use.

Example
-------
>>> from hypothesis import find, strategies as st
>>> from symequi.core.signal import Signal
>>> register()
>>> find(st.from_type(Signal), lambda u: len(u) == 2)
Signal([0, 0])
"""

from __future__ import annotations

from typing import Any

__all__ = ["register"]


def _strategy(kind: type) -> Any:
    from .strategies import type_strategies

    return type_strategies()[kind]


def register() -> None:
    """Register deferred strategies for Signal and Convolution (calling it again is harmless)."""
    from hypothesis import strategies as st

    from .core.signal import Signal
    from .layers.convolution import Convolution

    st.register_type_strategy(Signal, st.deferred(lambda: _strategy(Signal)))
    st.register_type_strategy(Convolution, st.deferred(lambda: _strategy(Convolution)))
