"""Helpers shared by the model-import tests: dyadic parameters and inputs, and exact comparison."""

from __future__ import annotations

import random

import numpy as np

from symequi.core.signal import Signal


def dyadic_array(shape: tuple[int, ...], rng: random.Random, scale: int = 8, low: int = -8, high: int = 8) -> np.ndarray:
    """Random multiples of 1/scale (exact in binary floating point)."""
    size = int(np.prod(shape)) if shape else 1
    return np.array([rng.randint(low, high) / scale for _ in range(size)], dtype=np.float64).reshape(shape)


def exact(array: np.ndarray) -> Signal:
    """The exact values of a float64 array (one example, batch axis removed by the caller)."""
    return Signal.from_floats(np.asarray(array, dtype=np.float64).tolist())
