"""Real models in: exact import of PyTorch modules and ONNX graphs.

* :func:`~symequi.models.torch_import.from_torch` traces a ``torch.nn.Module``
  with ``torch.fx`` and builds the exact symequi operator;
* :func:`~symequi.models.onnx_import.from_onnx` reads an ONNX graph (parsed,
  never executed).

Both share :mod:`symequi.models.build`: weights enter as the exact rational
values of their binary floats, every supported node maps to symequi layers
(documented there), and anything else raises :class:`UnsupportedModelError`
naming the node before any decision.  Shapes are per example: the batch axis
is not part of a symequi signal (``input_shape=(C, N)`` or ``(C, H, W)``).
torch and onnx are optional dependencies, imported only when called.

Example
-------
>>> import torch
>>> from symequi.models import from_torch
>>> net = torch.nn.Sequential(torch.nn.Conv1d(1, 1, 3, padding=1, padding_mode="circular", bias=False),
...                           torch.nn.ReLU())
>>> from_torch(net, input_shape=(1, 8)).output_shape((1, 8))
(1, 8)
"""

from __future__ import annotations

from .build import PAD_MODES, GraphBuilder, UnsupportedModelError, exact_tensor
from .check_model import EXIT_CODES, check, load_model, verdict_json
from .onnx_import import from_onnx
from .torch_import import from_torch

__all__ = ["from_torch", "from_onnx", "UnsupportedModelError", "check", "load_model", "verdict_json", "EXIT_CODES",
           "exact_tensor", "GraphBuilder", "PAD_MODES"]
