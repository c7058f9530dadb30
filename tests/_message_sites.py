"""Where symequi's source builds a message or a repr, and which of its values are unsafe.

A *message expression* is code whose text can end up in an error message or a repr:

* a ``raise`` statement's exception expression;
* the body of a ``__repr__``, ``__str__`` or ``describe`` method (the text that reprs
  and error messages show of a layer), and of every method of an exception class;
* an f-string passed as the argument ``name`` or ``what`` of a function of the package
  (``check_size(n, f"shape={dims}")``: the callee puts it in its messages);
* and, following the data: the text assigned to a local name that a message expression
  reads, and the return values of a module-level function of the same module, or of a
  method of the same class (``self._text()``), that it calls
  (``raise InexactInputError(_float_message(name, value))``).

Its *unsafe values* are the placeholders of its f-strings and the arguments of its
``str(...)``, ``repr(...)`` and ``map(str, ...)`` calls that are not *bounded*, that is
short and unable to raise whatever the user passed: a call of ``brief``
(symequi.core.texts), ``len(...)`` or ``ord(...)`` (also with a format spec), a
``__name__``/``__qualname__``, a constant, a loop index (``for i in range(n)``,
``for i, v in enumerate(...)``: at most a container's size), ``{name}`` without conversion (the argument's
name, which symequi's own code passes to every check), or a local name whose every
assignment in the function is text built from f-strings, string constants and calls of
module-level functions that return such text.  ``str()`` of an int of more than 4300
digits raises ValueError; a list of 10**6 entries makes a megabyte message.

``tests/core/test_message_safety.py`` fails on an unsafe value; the codemod
``/work/tools/brief_codemod.py`` rewrites them with ``brief``.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["Placeholder", "message_parameters", "message_fstrings", "unsafe_placeholders", "is_bounded"]

#: Methods whose whole text is shown to users (reprs and the layer protocol's description).
TEXT_METHODS = frozenset({"__repr__", "__str__", "describe"})
#: Placeholder names allowed without brief: the argument's name that symequi's checks receive.
ARGUMENT_NAMES = frozenset({"name"})
#: Parameters whose argument is message text: f-strings passed to them are message expressions.
MESSAGE_PARAMETERS = frozenset({"name", "what"})
_Function = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True)
class Placeholder:
    """One unsafe value of a message expression: a ``{...}`` of an f-string (``node`` is the
    FormattedValue) or a ``str(x)``/``repr(x)``/``map(str, xs)`` call (``node`` is the Call)."""

    node: ast.FormattedValue | ast.Call
    function: _Function | None

    @property
    def line(self) -> int:
        return self.node.lineno

    @property
    def value(self) -> ast.expr:
        """The expression whose text is shown."""
        return self.node.value if isinstance(self.node, ast.FormattedValue) else self.node.args[-1]


def message_parameters(trees: list[ast.Module]) -> dict[str, frozenset[int]]:
    """For every function or method of the package with a ``name``/``what`` parameter, the
    positions of those parameters in a call (``self``/``cls`` not counted)."""
    found: dict[str, set[int]] = {}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                params = [a.arg for a in node.args.posonlyargs + node.args.args]
                if params[:1] in (["self"], ["cls"]):
                    params = params[1:]
                positions = {i for i, p in enumerate(params) if p in MESSAGE_PARAMETERS}
                if positions or {a.arg for a in node.args.kwonlyargs} & MESSAGE_PARAMETERS:
                    found.setdefault(node.name, set()).update(positions)
    return {k: frozenset(v) for k, v in found.items()}


@functools.lru_cache(maxsize=64)
def _parents(tree: ast.AST) -> dict[int, ast.AST]:
    parents: dict[int, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[id(child)] = node
    return parents


def _enclosing_function(node: ast.AST, parents: dict[int, ast.AST]) -> _Function | None:
    current = parents.get(id(node))
    while current is not None and not isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef)):
        current = parents.get(id(current))
    return current


def _is_exception_class(node: ast.ClassDef) -> bool:
    return node.name.endswith(("Error", "Exception", "Warning"))


def _assignments(function: _Function | None, tree: ast.Module, name: str) -> Iterator[ast.expr | None]:
    """The values assigned to ``name`` in ``function`` (module level if None); None for a binding
    that is not an assignment (a parameter, a loop or ``with`` target, an import)."""
    scope: ast.AST = function if function is not None else tree
    if function is not None:
        args = function.args
        every = args.posonlyargs + args.args + args.kwonlyargs + [a for a in (args.vararg, args.kwarg) if a]
        if name in {a.arg for a in every}:
            yield None
    yield from _bindings(scope).get(name, ())


@functools.lru_cache(maxsize=512)
def _bindings(scope: ast.AST) -> dict[str, list[ast.expr | None]]:
    """Every name bound in ``scope`` (a function or module, not its nested ones), with what is bound
    to it in walk order: the value, None when it is not one expression, or INDEX.  Built once
    per scope: the scan asks for many names of the same function."""
    found: dict[str, list[ast.expr | None]] = {}

    def names(target: ast.AST) -> set[str]:
        return {t.id for t in ast.walk(target) if isinstance(t, ast.Name)}

    for node in _walk_scope(scope):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found.setdefault(target.id, []).append(node.value)
                else:
                    for name in names(target):  # unpacking: the value is not one expression
                        found.setdefault(name, []).append(None)
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)) and isinstance(node.target, ast.Name):
            if node.value is not None:
                found.setdefault(node.target.id, []).append(node.value)
        elif isinstance(node, (ast.For, ast.comprehension, ast.withitem, ast.NamedExpr)):
            target = node.optional_vars if isinstance(node, ast.withitem) else node.target
            if target is not None:
                for name in names(target):
                    found.setdefault(name, []).append(INDEX if _is_index(node, name) else None)
        elif isinstance(node, ast.ExceptHandler) and node.name is not None:
            found.setdefault(node.name, []).append(None)
    return found


#: The binding of a loop index: ``for i in range(...)``, ``for i, v in enumerate(...)``.
INDEX = ast.Constant(value=0)


def _is_index(loop: ast.AST, name: str) -> bool:
    """True if ``loop`` binds ``name`` as a position counted from 0 (or from a small start)."""
    if not isinstance(loop, (ast.For, ast.comprehension)) or not isinstance(loop.iter, ast.Call):
        return False
    func, target = loop.iter.func, loop.target
    if not isinstance(func, ast.Name):
        return False
    if func.id == "range" and len(loop.iter.args) == 1:
        return isinstance(target, ast.Name) and target.id == name
    if func.id == "enumerate" and len(loop.iter.args) == 1 and isinstance(target, ast.Tuple):
        first = target.elts[0]
        return isinstance(first, ast.Name) and first.id == name
    return False


def _walk_scope(scope: ast.AST) -> Iterator[ast.AST]:
    """The nodes of a function or module body, not descending into nested functions or classes."""
    todo = list(ast.iter_child_nodes(scope))
    while todo:
        node = todo.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            todo.extend(ast.iter_child_nodes(node))


def _is_text(expr: ast.expr | None, function: _Function | None, tree: ast.Module,
             seen: frozenset[str] = frozenset()) -> bool:
    """Text built only from f-strings, string constants, local names assigned only such text and
    calls of module-level functions that return such text (``+``, ``if ... else``)."""
    if isinstance(expr, ast.JoinedStr):
        return True
    if isinstance(expr, ast.Constant):
        return isinstance(expr.value, str)
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
        return _is_text(expr.left, function, tree, seen) and _is_text(expr.right, function, tree, seen)
    if isinstance(expr, ast.IfExp):
        return _is_text(expr.body, function, tree, seen) and _is_text(expr.orelse, function, tree, seen)
    if isinstance(expr, ast.Name):
        if expr.id in seen:
            return False
        values = list(_assignments(function, tree, expr.id))
        return bool(values) and all(_is_text(v, function, tree, seen | {expr.id}) for v in values)
    functions = _module_functions(tree)
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id in functions:
        called = functions[expr.func.id]
        key = f"{expr.func.id}()"
        if key in seen:
            return False
        returns = [r.value for r in _walk_scope(called) if isinstance(r, ast.Return)]
        return bool(returns) and all(_is_text(v, called, tree, seen | {key}) for v in returns)
    return False


def _may_be_text(expr: ast.expr | None, functions: dict[str, _Function]) -> bool:
    """An assigned value that may be message text: an f-string or string constant, ``+``,
    ``if ... else`` or ``or`` with one, ``"sep".join(...)``, ``str(...)``/``repr(...)``, or a
    call of a module-level function (a message helper)."""
    if isinstance(expr, ast.JoinedStr) or isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return True
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
        return _may_be_text(expr.left, functions) or _may_be_text(expr.right, functions)
    if isinstance(expr, ast.IfExp):
        return _may_be_text(expr.body, functions) or _may_be_text(expr.orelse, functions)
    if isinstance(expr, ast.BoolOp):
        return any(_may_be_text(v, functions) for v in expr.values)
    if isinstance(expr, ast.Call):
        func = expr.func
        if isinstance(func, ast.Attribute) and func.attr == "join" and isinstance(func.value, ast.Constant):
            return True
        return isinstance(func, ast.Name) and (func.id in functions or func.id in ("str", "repr"))
    return False


def _module_functions(tree: ast.Module) -> dict[str, _Function]:
    return {n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}


def _enclosing_class(node: ast.AST, parents: dict[int, ast.AST]) -> ast.ClassDef | None:
    current = parents.get(id(node))
    while current is not None and not isinstance(current, ast.ClassDef):
        current = parents.get(id(current))
    return current


def _returns(function: _Function) -> list[ast.expr]:
    return [r.value for r in _walk_scope(function) if isinstance(r, ast.Return) and r.value is not None]


def _message_arguments(call: ast.Call, parameters: dict[str, frozenset[int]]) -> list[ast.expr]:
    """The arguments of ``call`` that go to a ``name``/``what`` parameter of a package function."""
    func = call.func
    callee = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
    found = [k.value for k in call.keywords if k.arg in MESSAGE_PARAMETERS]
    if callee in parameters:
        found += [a for i, a in enumerate(call.args) if i in parameters[callee]]
    return [a for a in found if any(isinstance(n, ast.JoinedStr) for n in ast.walk(a))]


def message_expressions(tree: ast.Module, parameters: dict[str, frozenset[int]] | None = None
                        ) -> list[ast.AST]:
    """Every message expression of a module (see the module docstring)."""
    return _message_expressions(tree, None if parameters is None else tuple(sorted(parameters.items())))


@functools.lru_cache(maxsize=64)
def _message_expressions(tree: ast.Module, parameters_items: tuple | None) -> list[ast.AST]:
    parameters = None if parameters_items is None else dict(parameters_items)
    parents = _parents(tree)
    functions = _module_functions(tree)
    roots: list[ast.AST] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and node.exc is not None:
            roots.append(node.exc)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in TEXT_METHODS:
            roots.append(node)
        elif isinstance(node, ast.ClassDef) and _is_exception_class(node):
            roots.extend(n for n in node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)))
        elif isinstance(node, ast.Call) and parameters:
            roots.extend(_message_arguments(node, parameters))
    done: list[ast.AST] = []
    seen: set[int] = set()
    while roots:
        root = roots.pop()
        if id(root) in seen:
            continue
        seen.add(id(root))
        done.append(root)
        for node in ast.walk(root):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                function = _enclosing_function(node, parents)
                roots.extend(v for v in _assignments(function, tree, node.id) if _may_be_text(v, functions))
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in functions:
                roots.extend(_returns(functions[node.func.id]))
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                  and isinstance(node.func.value, ast.Name) and node.func.value.id in ("self", "cls")):
                cls = _enclosing_class(node, parents)
                methods = {} if cls is None else {m.name: m for m in cls.body if isinstance(m, _FUNCTION_TYPES)}
                if node.func.attr in methods:
                    roots.extend(_returns(methods[node.func.attr]))
    return done


_FUNCTION_TYPES = (ast.FunctionDef, ast.AsyncFunctionDef)
#: What a conversion call does to its argument, as an f-string conversion (``map`` shows a
#: collection, never a bounded name).
_CALL_CONVERSIONS = {"str": -1, "repr": ord("r"), "map": ord("m")}


def _called(call: ast.Call) -> str:
    return call.func.id if isinstance(call.func, ast.Name) else ""


def message_fstrings(tree: ast.Module, parameters: dict[str, frozenset[int]] | None = None
                     ) -> list[tuple[ast.JoinedStr, _Function | None]]:
    """Every f-string inside a message expression, with its function."""
    parents = _parents(tree)
    found: dict[int, tuple[ast.JoinedStr, _Function | None]] = {}
    for root in message_expressions(tree, parameters):
        for node in ast.walk(root):
            if isinstance(node, ast.JoinedStr):
                found.setdefault(id(node), (node, _enclosing_function(node, parents)))
    return sorted(found.values(), key=lambda item: (item[0].lineno, item[0].col_offset))


def _conversion_calls(tree: ast.Module, parameters: dict[str, frozenset[int]] | None
                      ) -> list[tuple[ast.Call, _Function | None]]:
    """The ``str(x)``, ``repr(x)``, ``map(str, xs)`` and ``map(repr, xs)`` calls in message expressions."""
    parents = _parents(tree)
    found: dict[int, tuple[ast.Call, _Function | None]] = {}
    for root in message_expressions(tree, parameters):
        for node in ast.walk(root):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords):
                continue
            if node.func.id in ("str", "repr") and len(node.args) == 1:
                found.setdefault(id(node), (node, _enclosing_function(node, parents)))
            elif (node.func.id == "map" and len(node.args) == 2 and isinstance(node.args[0], ast.Name)
                  and node.args[0].id in ("str", "repr")):
                found.setdefault(id(node), (node, _enclosing_function(node, parents)))
    return sorted(found.values(), key=lambda item: (item[0].lineno, item[0].col_offset))


def is_bounded(node: ast.FormattedValue, function: _Function | None, tree: ast.Module) -> bool:
    """True if the placeholder's text is short and cannot raise (see the module docstring)."""
    if node.format_spec is not None:  # {x:g} of a huge int raises OverflowError
        return _bounded_call(node.value)
    return _bounded_expr(node.value, node.conversion, function, tree)


def _bounded_call(value: ast.expr) -> bool:
    """``brief(...)``, ``len(...)`` or ``ord(...)`` (a code point)."""
    if not isinstance(value, ast.Call):
        return False
    func = value.func
    if isinstance(func, ast.Name):
        return func.id in ("brief", "len", "ord")
    return isinstance(func, ast.Attribute) and func.attr == "brief"


def _bounded_expr(value: ast.expr, conversion: int, function: _Function | None, tree: ast.Module) -> bool:
    if isinstance(value, ast.Constant) or _bounded_call(value):
        return True
    if (isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id in ("str", "repr")
            and len(value.args) == 1 and not value.keywords):  # repr(brief(path, str)): the text, quoted
        return _bounded_expr(value.args[0], -1 if value.func.id == "str" else ord("r"), function, tree)
    if isinstance(value, ast.IfExp):
        return all(_bounded_expr(v, conversion, function, tree) for v in (value.body, value.orelse))
    if isinstance(value, ast.Attribute) and value.attr in ("__name__", "__qualname__"):
        return True
    if isinstance(value, ast.Name):
        bindings = list(_assignments(function, tree, value.id))
        if bindings and all(b is INDEX for b in bindings):
            return True  # a loop index from range(n) or enumerate(...): at most the size of a container
    if isinstance(value, ast.Name) and conversion == -1:
        return value.id in ARGUMENT_NAMES or _is_text(value, function, tree)
    return False


def unsafe_placeholders(tree: ast.Module, parameters: dict[str, frozenset[int]] | None = None
                        ) -> list[Placeholder]:
    """The unsafe values of a module's message expressions, in source order: placeholders of
    f-strings and arguments of ``str``/``repr``/``map(str, ...)`` that are not bounded."""
    found = [
        Placeholder(part, function)
        for fstring, function in message_fstrings(tree, parameters)
        for part in fstring.values
        if isinstance(part, ast.FormattedValue) and not is_bounded(part, function, tree)
    ]
    found += [
        Placeholder(call, function)
        for call, function in _conversion_calls(tree, parameters)
        if not _bounded_expr(call.args[-1], _CALL_CONVERSIONS[_called(call)], function, tree)
    ]
    return sorted(found, key=lambda p: (p.node.lineno, p.node.col_offset))
