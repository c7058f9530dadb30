"""The one parser for user text: exact numbers and a whitelisted expression grammar.

Strings reach symequi from users, files and shells, so they are *read*, never
evaluated: no ``eval``, no ``sympify``, no ``parse_expr``.  :func:`parse_exact`
reads

* integers ``12``, fractions ``-3/4``, decimals ``0.1`` (exactly 1/10) and
  ``1e-3`` (exactly 1/1000), with signs;
* ``+ - * / **`` and parentheses;
* the constants ``pi``, ``E``, ``I`` (the imaginary unit) and ``oo``;
* the functions in :data:`FUNCTIONS` (``sqrt``, ``sin``, ``cos``, ``exp``,
  ``log``, ``Abs``, ...; ``heaviside(t)`` is the paper's step with H(0) = 0);
* the coordinates ``x`` and ``y`` (symequi's real coordinates
  ``symequi.x`` / ``symequi.y``);
* other names as plain sympy Symbols, only where the caller allows symbols
  (``symbols=True`` or a list of names, e.g. a symbolic shift ``s``).

How: the text must be ASCII from a small character set; Python's ``ast``
module parses it (``mode="eval"``, a single expression) and a walker visits
only the whitelisted node types, building sympy objects directly.  Attribute
access, subscripts, lambdas, comprehensions, strings, keywords, calls of any
other name, ``__dunder__`` names and statements are refused before anything
is built.  Limits (:class:`ParseLimits`) bound the text length, the syntax
tree's size and depth, exponents and the size of numbers, and are checked
*before* the expensive step (``2**(10**12)`` is refused without being
computed); every refusal names the limit and how to raise it
(:func:`parse_limits`).

Example
-------
>>> from symequi.core.parse import parse_exact
>>> parse_exact('0.1', name='delta')
1/10
>>> parse_exact('sqrt(2)/2 + x', name='f')
x + sqrt(2)/2
>>> parse_exact('__import__("os").system("true")', name='f')
Traceback (most recent call last):
...
symequi.core.parse.ExpressionError: f='__import__("os").system("true")' contains the character '"' at position 11, which an exact expression never needs. Accepted: integers (12), fractions (-3/4), decimals (0.1, 1e-3), + - * / ** and parentheses, the constants pi, E, I, oo, the functions Abs, Heaviside, Max, Min, acos, asin, atan, atan2, ceiling, cos, cosh, cot, exp, floor, heaviside, im, log, re, root, sec, sign, sin, sinh, sqrt, tan, tanh, and the coordinates x, y.
"""

from __future__ import annotations

import ast
import contextlib
import contextvars
import dataclasses
import math
import re
from collections.abc import Callable, Collection, Iterator
from fractions import Fraction

import sympy

from .errors import InvalidArgumentError
from .texts import brief, fields_repr

__all__ = [
    "parse_exact",
    "ExpressionError",
    "ParseLimits",
    "parse_limits",
    "get_parse_limits",
    "set_parse_limits",
    "FUNCTIONS",
    "CONSTANTS",
]


class ExpressionError(InvalidArgumentError):
    """A string is not an exact number or expression symequi reads (or it is
    over a parse limit); the message names the argument and what is accepted.

    >>> issubclass(ExpressionError, InvalidArgumentError)
    True
    """


@dataclasses.dataclass(frozen=True)
class ParseLimits:
    """Bounds checked before parsing or computing, so hostile text fails fast.

    ``max_length``: characters of text; ``max_nodes``: nodes of its syntax
    tree; ``max_depth``: nesting depth of that tree; ``max_exponent``: the
    numerator and denominator of a numeric exponent (``x**e``, ``1e-3``);
    ``max_digits``: decimal digits of every integer the text writes or its
    arithmetic produces; ``max_root_digits``: digits of a rational number
    raised to a non-integer power (``sqrt(n)`` factors ``n``, which is slow
    for long numbers).

    >>> ParseLimits().max_length
    10000
    """

    max_length: int = 10_000
    max_nodes: int = 2_000
    max_depth: int = 100
    max_exponent: int = 10_000
    max_digits: int = 4_000
    max_root_digits: int = 400

    def __repr__(self) -> str:
        return fields_repr(self)  # the generated repr fails on ints of over 4300 digits


_LIMITS: contextvars.ContextVar[ParseLimits] = contextvars.ContextVar("symequi_parse_limits", default=ParseLimits())
_HOW_TO_RAISE = "with symequi.core.parse.parse_limits({field}=...) or set_parse_limits({field}=...)"


def get_parse_limits() -> ParseLimits:
    """The limits in force (see :class:`ParseLimits`).

    >>> get_parse_limits().max_exponent
    10000
    """
    return _LIMITS.get()


def _updated(**changes: int) -> ParseLimits:
    for key, value in changes.items():
        if key not in {f.name for f in dataclasses.fields(ParseLimits)}:
            raise InvalidArgumentError(
                f"{brief(key, str)} is not a parse limit; use one of {brief(', '.join(f.name for f in dataclasses.fields(ParseLimits)), str)}"
            )
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise InvalidArgumentError(f"{brief(key, str)}={brief(value)} must be a positive int")
    return dataclasses.replace(_LIMITS.get(), **changes)


def set_parse_limits(**changes: int) -> ParseLimits:
    """Change parse limits for the rest of the program (this context); returns the new limits.

    >>> old = get_parse_limits()
    >>> set_parse_limits(max_length=20_000).max_length
    20000
    >>> _ = set_parse_limits(**dataclasses.asdict(old))
    """
    limits = _updated(**changes)
    _LIMITS.set(limits)
    return limits


@contextlib.contextmanager
def parse_limits(**changes: int) -> Iterator[ParseLimits]:
    """Raise (or lower) parse limits inside a ``with`` block.

    >>> with parse_limits(max_exponent=10**6):
    ...     parse_exact('x**100000', name='f')
    x**100000
    """
    token = _LIMITS.set(_updated(**changes))
    try:
        yield _LIMITS.get()
    finally:
        _LIMITS.reset(token)


def _heaviside(arg: sympy.Expr) -> sympy.Expr:
    return sympy.Heaviside(arg, 0)


#: Function name -> (sympy callable, accepted numbers of arguments).
#: Functions that grow like exp: their numeric argument is bounded by ``max_exponent``.
_EXPONENTIAL = frozenset({"exp", "sinh", "cosh"})

FUNCTIONS: dict[str, tuple[Callable[..., sympy.Expr], tuple[int, ...]]] = {
    "sqrt": (sympy.sqrt, (1,)),
    "root": (sympy.root, (2,)),
    "exp": (sympy.exp, (1,)),
    "log": (sympy.log, (1, 2)),
    "sin": (sympy.sin, (1,)),
    "cos": (sympy.cos, (1,)),
    "tan": (sympy.tan, (1,)),
    "cot": (sympy.cot, (1,)),
    "sec": (sympy.sec, (1,)),
    "asin": (sympy.asin, (1,)),
    "acos": (sympy.acos, (1,)),
    "atan": (sympy.atan, (1,)),
    "atan2": (sympy.atan2, (2,)),
    "sinh": (sympy.sinh, (1,)),
    "cosh": (sympy.cosh, (1,)),
    "tanh": (sympy.tanh, (1,)),
    "Abs": (sympy.Abs, (1,)),
    "sign": (sympy.sign, (1,)),
    "floor": (sympy.floor, (1,)),
    "ceiling": (sympy.ceiling, (1,)),
    "Min": (sympy.Min, (1, 2, 3, 4, 5, 6, 7, 8)),
    "Max": (sympy.Max, (1, 2, 3, 4, 5, 6, 7, 8)),
    "re": (sympy.re, (1,)),
    "im": (sympy.im, (1,)),
    "Heaviside": (sympy.Heaviside, (1, 2)),  # sympy's: H(0) = 1/2 unless given; symequi refuses it later
    "heaviside": (_heaviside, (1,)),  # the paper's step, H(0) = 0
}
#: Constant name -> sympy value.
CONSTANTS: dict[str, sympy.Expr] = {"pi": sympy.pi, "E": sympy.E, "I": sympy.I, "oo": sympy.oo}
#: The coordinates: the same objects as symequi.core.symbols.x / y (sympy symbols are equal by name and assumptions).
_COORDINATES: dict[str, sympy.Symbol] = {"x": sympy.Symbol("x", real=True), "y": sympy.Symbol("y", real=True)}

_ALLOWED_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+-*/()., \t")
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
_NUMBER = re.compile(
    r"\s*(?P<sign>[-+]?)\s*(?P<int>\d*)(?:\.(?P<frac>\d*))?(?:[eE](?P<exp>[-+]?\d+))?"
    r"(?:\s*/\s*(?P<den>\d+))?\s*\Z"
)
_BINOPS = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
}

Symbols = bool | Collection[str]


def _accepted(symbols: Symbols) -> str:
    if symbols is True:
        names = "other names as symbols"
    elif symbols:
        names = "the symbols " + ", ".join(sorted(symbols))
    else:
        names = ""
    coordinates = "the coordinates x, y" + (f", and {brief(names, str)}" if names else "")
    return (
        "Accepted: integers (12), fractions (-3/4), decimals (0.1, 1e-3), + - * / ** and parentheses, "
        f"the constants {brief(', '.join(CONSTANTS), str)}, the functions {brief(', '.join(sorted(FUNCTIONS)), str)}, and {coordinates}."
    )


class _Reader:
    """Walks a syntax tree of whitelisted nodes, building sympy objects directly."""

    def __init__(self, text: str, name: str, symbols: Symbols, limits: ParseLimits) -> None:
        self.text, self.name, self.symbols, self.limits = text, name, symbols, limits
        self.source = text.strip()  # what ast parses; node positions refer to it

    def fail(self, what: str) -> ExpressionError:
        return ExpressionError(f"{brief(self.name, str)}={brief(self.text)} {brief(what, str)}. {brief(_accepted(self.symbols), str)}")

    def over(self, what: str, field: str) -> ExpressionError:
        value = getattr(self.limits, field)
        return ExpressionError(
            f"{brief(self.name, str)}={brief(_clip(self.text), str)} {brief(what, str)}, over the limit {brief(field, str)}={brief(value, str)}; "
            f"raise it {brief(_HOW_TO_RAISE.format(field=field), str)} if the input is trusted"
        )

    # -- numbers ---------------------------------------------------------
    def digits_ok(self, value: sympy.Expr, field: str = "max_digits") -> sympy.Expr:
        limit = getattr(self.limits, field)
        numbers = [value] if value.is_Rational else value.atoms(sympy.Rational)
        for number in numbers:
            digits = _digits(number)
            if digits > limit:
                raise self.over(f"makes a number of about {brief(int(digits), str)} digits", field)
        return value

    def number(self, literal: str) -> sympy.Rational:
        """An exact rational from a decimal literal, checking its exponent first."""
        match = _NUMBER.match(literal)
        if match is None or not (match["int"] or match["frac"]):
            raise self.fail(f"has the malformed number {brief(literal)}")
        digits = len(match["int"] or "") + len(match["frac"] or "") + len(match["den"] or "")
        if digits > self.limits.max_digits:
            raise self.over(f"writes a number of {brief(digits, str)} digits", "max_digits")
        exponent = int(match["exp"]) if match["exp"] else 0
        if abs(exponent) > self.limits.max_exponent:
            raise self.over(f"writes the decimal exponent {brief(match['exp'], str)}", "max_exponent")
        if match["den"] is not None and int(match["den"]) == 0:
            raise self.fail("divides by zero")
        value = Fraction(literal.replace(" ", "").replace("\t", ""))
        return self.digits_ok(sympy.Rational(value.numerator, value.denominator))

    # -- the tree --------------------------------------------------------
    def visit(self, node: ast.AST, depth: int) -> sympy.Expr:
        if depth > self.limits.max_depth:
            raise self.over(f"nests deeper than {brief(self.limits.max_depth, str)} levels", "max_depth")
        if isinstance(node, ast.Constant):
            return self.constant(node)
        if isinstance(node, ast.Name):
            return self.symbol(node.id)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.UAdd, ast.USub)):
            operand = self.visit(node.operand, depth + 1)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)):
            left = self.visit(node.left, depth + 1)
            right = self.visit(node.right, depth + 1)
            return self.binop(node.op, left, right)
        if isinstance(node, ast.Call):
            return self.call(node, depth)
        raise self.fail(f"uses {brief(_describe(node), str)}, which is not part of an exact expression")

    def constant(self, node: ast.Constant) -> sympy.Expr:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            hint = "; write the imaginary unit as I, e.g. 2*I" if isinstance(value, complex) else ""
            raise self.fail(f"contains the literal {brief(ast.get_source_segment(self.source, node))}{hint}")
        segment = ast.get_source_segment(self.source, node)
        if segment is None:  # pragma: no cover - ast always records positions for eval mode
            raise self.fail("contains a number without a source position")
        if not re.fullmatch(r"[0-9]*\.?[0-9]*(?:[eE][-+]?[0-9]+)?", segment):
            raise self.fail(f"contains the number {brief(segment)}; write integers in decimal without underscores")
        return self.number(segment)

    def symbol(self, name: str) -> sympy.Expr:
        if not _NAME.match(name):
            raise self.fail(f"uses the name {brief(name)}; names start with a letter and contain no '__'")
        if name in CONSTANTS:
            return CONSTANTS[name]
        if name in _COORDINATES:
            return _COORDINATES[name]
        if name in FUNCTIONS:
            raise self.fail(f"uses the function {name} without arguments; call it, e.g. {name}(x)")
        if self.symbols is True or (self.symbols and name in self.symbols):
            return sympy.Symbol(name)
        if not self.symbols:
            raise self.fail(f"uses the name {brief(name)}, which is not a known constant or function; "
                            "this argument takes no symbols other than x and y")
        raise self.fail(f"uses the name {brief(name)}, which is not a known constant, function or allowed symbol")

    def binop(self, op: ast.operator, left: sympy.Expr, right: sympy.Expr) -> sympy.Expr:
        if isinstance(op, ast.Div):
            if right.is_zero:
                raise self.fail("divides by zero")
            return self.digits_ok(left / right)
        if isinstance(op, ast.Pow):
            return self.power(left, right)
        return self.digits_ok(_BINOPS[type(op)](left, right))

    def exponent_ok(self, exponent: sympy.Expr, what: str) -> None:
        """A numeric exponent (of ``**``, or the argument of exp, sinh, cosh) of magnitude at most
        ``max_exponent``: ``exp(exp(exp(100)))`` is refused at ``exp(100)``, before any value so large
        is evaluated (symbolic exponents are left alone)."""
        if exponent.free_symbols or (exponent.is_Rational and what == "a power to"):
            return  # a rational power has its own limits (max_exponent on p and q, max_digits)
        try:
            size = abs(complex(exponent.evalf(15)))
        except (TypeError, ValueError, OverflowError):
            size = math.inf
        if not size <= self.limits.max_exponent:
            shown = f"about {brief(size, '{:.3g}'.format)}" if math.isfinite(size) else "a number too large to evaluate"
            raise self.over(f"takes {brief(what, str)} {brief(shown, str)}", "max_exponent")

    def power(self, base: sympy.Expr, exponent: sympy.Expr) -> sympy.Expr:
        self.exponent_ok(exponent, "a power to")
        if exponent.is_Rational:
            big = max(abs(int(exponent.p)), int(exponent.q))
            if big > self.limits.max_exponent:
                raise self.over(f"raises to the power {brief(_clip(brief(exponent, str))[1:-1], str)}", "max_exponent")
            # the result's integers have about (digits of the base's numbers) * |numerator of the exponent| digits
            digits = sum(_digits(r) for r in ([base] if base.is_Rational else base.atoms(sympy.Rational)))
            if digits * abs(int(exponent.p)) > self.limits.max_digits:
                raise self.over(f"makes a number of about {brief(int(digits * abs(int(exponent.p))), str)} digits "
                                "in a power", "max_digits")
            if not exponent.is_Integer and base.is_number:
                self.digits_ok(base, "max_root_digits")
        if base.is_zero and exponent.is_negative:
            raise self.fail("divides by zero (a negative power of 0)")
        return self.digits_ok(base**exponent)

    def call(self, node: ast.Call, depth: int) -> sympy.Expr:
        if not isinstance(node.func, ast.Name):
            raise self.fail(f"calls {brief(_describe(node.func), str)}; only the listed functions may be called")
        name = node.func.id
        if name not in FUNCTIONS:
            raise self.fail(f"calls {brief(name)}, which is not a known function")
        if node.keywords:
            raise self.fail(f"passes keyword arguments to {name}; pass positional arguments only")
        if any(isinstance(a, ast.Starred) for a in node.args):
            raise self.fail(f"passes *arguments to {name}")
        function, arities = FUNCTIONS[name]
        if len(node.args) not in arities:
            counts = " or ".join(brief(item, str) for item in arities) if len(arities) < 3 else f"{brief(arities[0], str)} to {brief(arities[-1], str)}"
            raise self.fail(f"calls {name} with {len(node.args)} arguments; it takes {brief(counts, str)}")
        args = [self.visit(a, depth + 1) for a in node.args]
        if name in _EXPONENTIAL:
            self.exponent_ok(args[0], f"{name} of")
        if function in (sympy.sqrt, sympy.root):
            return self.power(args[0], sympy.Integer(1) / (2 if function is sympy.sqrt else args[1]))
        if name == "log" and len(args) == 2 and args[1].is_zero:
            raise self.fail("takes a logarithm to the base 0")
        return self.digits_ok(function(*args))


def _digits(number: sympy.Rational) -> float:
    """About how many decimal digits the larger of numerator and denominator has (0 for 0 and 1)."""
    p, q = abs(int(number.p)), int(number.q)
    return max(math.log10(p) if p else 0.0, math.log10(q))


def _describe(node: ast.AST) -> str:
    kinds = {
        ast.Attribute: "attribute access ('.name')",
        ast.Subscript: "a subscript ('[...]')",
        ast.Lambda: "a lambda",
        ast.ListComp: "a comprehension",
        ast.GeneratorExp: "a generator",
        ast.Compare: "a comparison",
        ast.BoolOp: "and/or",
        ast.IfExp: "if/else",
        ast.Tuple: "a tuple",
        ast.Call: "a call",
        ast.JoinedStr: "an f-string",
    }
    for kind, text in kinds.items():
        if isinstance(node, kind):
            return text
    if isinstance(node, ast.BinOp):
        symbol = {ast.BitXor: "^ (write powers as **)", ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@"}
        return f"the operator {brief(symbol.get(type(node.op), type(node.op).__name__), str)}"
    if isinstance(node, ast.UnaryOp):
        return f"the operator {type(node.op).__name__}"
    return f"a {type(node).__name__} node"


def _clip(text: str, width: int = 60) -> str:
    return brief(text) if len(text) <= width else brief(text[:width]) + f"... ({len(text)} characters)"


def _check_characters(text: str, name: str, symbols: Symbols) -> None:
    for i, char in enumerate(text):
        if char in _ALLOWED_CHARS:
            continue
        if not char.isascii():
            what = f"the non-ASCII character {brief(char)} (U+{ord(char):04X}) at position {i}"
            fix = "; type it in plain ASCII (look-alike letters and digits are refused)"
        else:
            what, fix = f"the character {char!r} at position {i}", ""
            if char == "^":
                fix = "; write powers as **"
        raise ExpressionError(
            f"{name}={brief(_clip(text), str)} contains {brief(what, str)}, which an exact expression never needs{brief(fix, str)}. "
            f"{brief(_accepted(symbols), str)}"
        )


def parse_exact(text: str, *, name: str = "value", symbols: Symbols = False) -> sympy.Expr:
    """Read ``text`` as an exact number or expression, without evaluating it as code.

    Parameters
    ----------
    text : the string a user supplied
    name : the argument's name, quoted in errors
    symbols : ``False`` (default): only ``x`` and ``y`` (symequi's real
        coordinates) and the constants; ``True``: any other name becomes a
        plain ``sympy.Symbol``; a collection of names: only those.

    Returns
    -------
    sympy.Expr, exact (never a Float).

    Raises
    ------
    ExpressionError (an InvalidArgumentError) naming ``name``, what was wrong
    and what is accepted, or the limit that was exceeded and how to raise it.

    Example
    -------
    >>> parse_exact('1e-3', name='h')
    1/1000
    >>> parse_exact('2*s - 1/3', name='s', symbols=['s'])
    2*s - 1/3
    >>> parse_exact('2**(10**12)', name='a')
    Traceback (most recent call last):
    ...
    symequi.core.parse.ExpressionError: a='2**(10**12)' raises to the power 1000000000000, over the limit max_exponent=10000; raise it with symequi.core.parse.parse_limits(max_exponent=...) or set_parse_limits(max_exponent=...) if the input is trusted
    """
    if not isinstance(text, str):
        raise InvalidArgumentError(f"{name}={brief(text)} is a {type(text).__name__}, not a string")
    limits = _LIMITS.get()
    reader = _Reader(text, name, symbols, limits)
    if len(text) > limits.max_length:
        raise reader.over(f"is {len(text)} characters long", "max_length")
    _check_characters(text, name, symbols)
    stripped = reader.source
    if not stripped:
        raise reader.fail("is empty")
    if _NUMBER.match(stripped):  # fast path: a plain number or fraction, no syntax tree
        try:
            return reader.number(stripped)
        except ExpressionError:
            raise
        except (ValueError, ZeroDivisionError):
            pass  # e.g. '1/0' or '.': let the tree reader give the precise error
    try:
        tree = ast.parse(stripped, mode="eval")
    except SyntaxError as err:
        detail = brief(err.msg, str) if err.msg else "syntax error"
        if "too many nested" in detail:
            raise reader.over("nests too many parentheses", "max_depth") from None
        raise reader.fail(f"is not a well-formed expression ({brief(detail, str)})") from None
    except (RecursionError, MemoryError):
        raise reader.over("nests too deeply", "max_depth") from None
    count = sum(1 for _ in ast.walk(tree))
    if count > limits.max_nodes:
        raise reader.over(f"has {brief(count, str)} syntax nodes", "max_nodes")
    try:
        expr = reader.visit(tree.body, 1)
    except RecursionError:
        raise reader.over("nests too deeply", "max_depth") from None
    except (TypeError, ValueError, ArithmeticError) as err:
        if isinstance(err, InvalidArgumentError):
            raise
        raise reader.fail(f"cannot be evaluated exactly ({type(err).__name__}: {brief(err, str)})") from None
    if expr.has(sympy.nan, sympy.zoo):
        raise reader.fail("is undefined (nan or complex infinity, e.g. log(0) or 0**-1)")
    return expr
