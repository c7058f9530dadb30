"""Layer stacks written as text in a sweep spec, parsed without evaluating anything.

A stack is layers joined by ``|`` (applied left to right)::

    conv(1, -2, 1, origin=-1) | bias(-1) | relu
    corr([[1, 0], [0, -1]], stride=2) | maxpool(2)
    conv(1, 1) | leaky_relu('1/4') | clamp(0, 1) | avgpool(2, stride=1)

The text is read with :mod:`ast` and only these nodes are accepted: the ``|``
operator, calls of the layer names below with positional and keyword arguments,
integers, strings (exact numbers such as ``'1/3'``, read by
:func:`symequi.core.exact.to_exact`), negation, ``p/q`` of integers, and lists.
Anything else (attributes, other names, lambdas, subscripts, ...) is refused
with the position and what is accepted.

========================  ==============================================================
name                      layer
========================  ==============================================================
``conv(a0, a1, ...)``     :class:`~symequi.layers.Convolution` (taps, or one nested list)
``corr(a0, a1, ...)``     :class:`~symequi.layers.Correlation` (PyTorch's convention)
``bias(b)``               :class:`~symequi.layers.Bias`
``relu``, ``abs``         :class:`~symequi.layers.ReLU`, :class:`~symequi.layers.Abs`
``leaky_relu(slope)``     :class:`~symequi.layers.LeakyReLU`
``clamp(lo, hi)``         :class:`~symequi.layers.Clamp`
``poly(c0, c1, ...)``     :class:`~symequi.layers.PolynomialActivation` (ascending)
``maxpool(k)``            :class:`~symequi.layers.MaxPool`
``avgpool(k)``            :class:`~symequi.layers.AvgPool`
========================  ==============================================================

Convolutions and pooling layers that do not set ``padding`` (or ``stride``)
take the case's value of that axis; pooling reads ``zeros`` as ``valid`` (a
pooling window never reads a zero that is not an input).

Example
-------
>>> op = parse_stack("conv(2, -2, origin=-1) | bias(-1) | relu", padding="zeros")
>>> op([0, 0, 1, 1])
Signal([0, 1, 0, 0])
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Any

from ..core.errors import InvalidArgumentError
from ..core.exact import to_exact
from ..core.operator import Operator, Sequential
from ..layers import (
    Abs, AvgPool, Bias, Clamp, Convolution, Correlation, LeakyReLU, MaxPool, PolynomialActivation, ReLU,
)
from ..core.texts import brief

__all__ = ["parse_stack", "LAYER_NAMES"]

_MAX_TEXT = 2000
_ACCEPTED = ("layers joined by '|', each a name or name(args): numbers, 'p/q' strings, "
             "-n, p/q of integers and [lists]")


def _conv(kind: type) -> Callable[..., Operator]:
    def build(*taps: Any, origin: Any = 0, padding: str = "zeros", stride: Any = 1, dilation: Any = 1) -> Operator:
        kernel = taps[0] if len(taps) == 1 and isinstance(taps[0], list) else list(taps)
        return kind(kernel, origin=origin, padding=padding, stride=stride, dilation=dilation)
    return build


def _pool(kind: type) -> Callable[..., Operator]:
    def build(size: Any, stride: Any = None, padding: str = "valid") -> Operator:
        return kind(size, stride=stride, padding="valid" if padding == "zeros" else padding)
    return build


_LAYERS: dict[str, Callable[..., Operator]] = {
    "conv": _conv(Convolution), "corr": _conv(Correlation), "bias": Bias, "relu": ReLU, "abs": Abs,
    "leaky_relu": LeakyReLU, "clamp": Clamp, "poly": lambda *c: PolynomialActivation(list(c)),
    "maxpool": _pool(MaxPool), "avgpool": _pool(AvgPool),
}
#: The layer names a stack may use.
LAYER_NAMES: tuple[str, ...] = tuple(_LAYERS)
#: Layers that take the case's ``padding`` and ``stride`` axes when they do not set them.
_GEOMETRIC = ("conv", "corr", "maxpool", "avgpool")


def _refuse(node: ast.AST, text: str, what: str) -> InvalidArgumentError:
    where = f" at column {brief(getattr(node, 'col_offset', 0) + 1, str)}"
    return InvalidArgumentError(f"operator={brief(text)}: {brief(what, str)}{where}; a stack is {brief(_ACCEPTED, str)}, "
                                f"with layer names {brief(', '.join(LAYER_NAMES), str)}")


def _value(node: ast.AST, text: str) -> Any:
    """An argument value: exact numbers, strings read exactly, lists of them."""
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return to_exact(node.value, f"argument {brief(node.value)} of operator={brief(text)}")
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_value(node.operand, text)
    if (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div)
            and all(isinstance(n, ast.Constant) and type(n.value) is int for n in (node.left, node.right))):
        if node.right.value == 0:  # type: ignore[attr-defined]
            raise _refuse(node, text, "division by zero")
        return to_exact(f"{node.left.value}/{node.right.value}", "argument")  # type: ignore[attr-defined]
    if isinstance(node, ast.List):
        return [_value(e, text) for e in node.elts]
    raise _refuse(node, text, f"the argument {brief(ast.dump(node)[:60], str)} is not an exact number, string or list")


def _layer(node: ast.AST, text: str, defaults: dict[str, Any]) -> Operator:
    if isinstance(node, ast.Name):
        name, args, kwargs = node.id, [], {}  # type: tuple[str, list[Any], dict[str, Any]]
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        name = node.func.id
        args = [_value(a, text) for a in node.args]
        kwargs = {}
        for k in node.keywords:
            if k.arg is None:
                raise _refuse(node, text, "'**' arguments are not accepted")
            kwargs[k.arg] = k.value.value if (isinstance(k.value, ast.Constant)
                                              and isinstance(k.value.value, str)
                                              and k.arg == "padding") else _value(k.value, text)
    else:
        raise _refuse(node, text, f"{type(node).__name__} is not a layer")
    if name not in _LAYERS:
        raise _refuse(node, text, f"unknown layer {brief(name)}")
    if name in _GEOMETRIC:
        for key, value in defaults.items():
            if value is not None and not (name in ("maxpool", "avgpool") and key == "stride"):
                kwargs.setdefault(key, value)
    try:
        return _LAYERS[name](*args, **kwargs)
    except TypeError as err:
        raise _refuse(node, text, f"layer {brief(name)} does not take these arguments ({brief(err, str)})") from None


def parse_stack(text: str, *, padding: str | None = None, stride: Any = None) -> Operator:
    """The layer stack written in ``text`` (see the module docstring); never evaluates code.

    ``padding`` and ``stride`` fill in the convolutions and pooling layers that
    do not set them.

    >>> parse_stack("relu").describe()
    'pointwise ReLU(x) = max(0, x)'
    >>> parse_stack("__import__('os').system('true')")
    Traceback (most recent call last):
    ...
    symequi.core.errors.InvalidArgumentError: operator="__import__('os').system('true')": Call is not a layer at column 1; a stack is layers joined by '|', each a name or name(args): numbers, 'p/q' strings, -n, p/q of integers and [lists], with layer names conv, corr, bias, relu, abs, leaky_relu, clamp, poly, maxpool, avgpool
    """
    if not isinstance(text, str):
        raise InvalidArgumentError(f"operator={brief(text)} must be a string such as 'conv(1, -1) | relu'")
    if len(text) > _MAX_TEXT:
        raise InvalidArgumentError(f"operator is {len(text)} characters long; at most {brief(_MAX_TEXT, str)} are accepted")
    if not text.isascii():
        raise InvalidArgumentError(f"operator={brief(text)} has non-ASCII characters; write layer names in ASCII")
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError as err:
        raise InvalidArgumentError(f"operator={brief(text)} is not a layer stack ({brief(err.msg, str)}); a stack is {brief(_ACCEPTED, str)}") from None
    layers: list[ast.AST] = []

    def walk(node: ast.AST) -> None:
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            walk(node.left)
            walk(node.right)
        else:
            layers.append(node)

    walk(tree)
    defaults = {"padding": padding, "stride": stride}
    built = [_layer(node, text, defaults) for node in layers]
    return built[0] if len(built) == 1 else Sequential(*built)
