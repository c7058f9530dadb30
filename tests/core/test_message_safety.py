"""Every value an error message or a repr shows goes through ``brief``.

``str()`` of an int of more than 4300 digits raises ValueError, so
``raise InvalidArgumentError(f"n={n} ...")`` with ``n=10**5000`` raises the
ValueError from inside the f-string instead of the error that names ``n``.  This
scan reads every module of the package with :mod:`ast` and fails on a placeholder
of a message f-string (inside a ``raise``, a ``__repr__``/``__str__``/``describe``,
an exception class, or text that flows into one) that is not bounded: wrapped in
``brief(...)`` (symequi.core.texts), ``len``/``ord``, a ``__name__``, a constant,
``{name}`` (the argument's name) or a local built only from such text.  The rules
live in ``tests/_message_sites.py``; ``/work/tools/brief_codemod.py`` applies them.
"""

from __future__ import annotations

import ast
import functools
import pathlib

import pytest

from tests._message_sites import message_fstrings, unsafe_placeholders

PACKAGE = pathlib.Path(__file__).resolve().parents[2] / "symequi"
MODULES = sorted(PACKAGE.rglob("*.py"))


@functools.cache
def _tree(path: pathlib.Path) -> ast.Module:
    """The module's syntax tree, parsed once for every test of this file (the scan keeps what it
    learns of a tree)."""
    return ast.parse(path.read_text())


def _unsafe(source: str) -> list[str]:
    tree = ast.parse(source)
    return [ast.get_source_segment(source, p.node.value) or ast.unparse(p.node.value)
            for p in unsafe_placeholders(tree)]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_shown_value_is_brief(path: pathlib.Path) -> None:
    found = [f"{path.relative_to(PACKAGE.parent)}:{p.line}: {{{ast.unparse(p.node.value)}}}"
             for p in unsafe_placeholders(_tree(path))]
    assert not found, (
        "placeholders of error messages or reprs that can raise or grow without bound; wrap them in "
        "brief(...) from symequi.core.texts (or run python /work/tools/brief_codemod.py .):\n  " + "\n  ".join(found)
    )


def test_the_scan_covers_the_package() -> None:
    count = sum(len(message_fstrings(_tree(p))) for p in MODULES)
    assert len(MODULES) > 80 and count > 600


# --- the scan sees what it must, and allows only what is bounded --------------------------

def test_a_raise_with_a_bare_value_is_unsafe() -> None:
    assert _unsafe('def f(n):\n    raise ValueError(f"n={n} must be small")\n') == ["n"]
    assert _unsafe('def f(v):\n    raise ValueError(f"v={v!r}")\n') == ["v"]
    assert _unsafe('def f(x):\n    raise ValueError(f"{x:g} s")\n') == ["x"]  # format(10**5000, 'g') raises


def test_brief_len_names_and_constants_are_bounded() -> None:
    source = '''
def f(name, value, items):
    raise ValueError(f"{name}={brief(value)} has {len(items)} items, {brief(value, str)}, "
                     f"{type(value).__name__}, {'a' if items else 'b'}, U+{ord(name[0]):04X}")
'''
    assert _unsafe(source) == []


def test_name_with_a_conversion_is_a_value() -> None:
    assert _unsafe('def f(name):\n    raise KeyError(f"unknown node {name!r}")\n') == ["name"]


def test_text_flows_into_the_message() -> None:
    source = '''
def _why(value):
    return f"the value {value} is odd"


def f(value, hint):
    where = f"at {value}"
    text = _why(value) + where
    raise ValueError(f"{text} ({where}); {hint}")
'''
    # value in the helper and in the local text, and the parameter hint; the local texts are bounded
    assert sorted(_unsafe(source)) == ["hint", "value", "value"]


def test_reprs_describe_and_exception_classes_are_messages() -> None:
    source = '''
class Layer:
    def __repr__(self):
        return f"Layer({self.kernel})"

    def describe(self):
        return f"layer with {self.kernel}"

    def other(self):
        return f"not a message {self.kernel}"


class StackError(Exception):
    def __init__(self, what):
        super().__init__(f"{what} failed")
'''
    assert _unsafe(source) == ["self.kernel", "self.kernel", "what"]


def test_latex_of_values_goes_through_brief_latex():
    # sympy.latex of a value holding a number of more than 4300 digits raises Python's int-to-text
    # ValueError; every LaTeX twin and document value goes through core.texts.brief_latex instead
    import pathlib

    package = pathlib.Path(__file__).resolve().parents[2] / "symequi"
    offenders = [str(p.relative_to(package)) for p in package.rglob("*.py")
                 if p.name != "texts.py" and "sympy.latex(" in p.read_text()]
    assert offenders == []
