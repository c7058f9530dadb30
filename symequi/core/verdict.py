"""Verdicts: the values every decider returns.

* :class:`Proved`: the square commutes for every input in the stated class.
* :class:`Counterexample`: an exact input on which the two paths differ, with
  both outputs and their difference.
* :class:`Undecided`: the decider could not settle it; ``reason`` says why
  (a time budget, a search that found nothing, an integral with no closed form).

Verdicts compare by value and render as plain text (``str``) and LaTeX
(:meth:`Verdict.latex`).  There is no tolerance anywhere.

Example
-------
>>> from symequi.core.verdict import Proved, Counterexample, Undecided
>>> from symequi.core.signal import Signal
>>> v = Counterexample("ReLU commutes with a half-cell shift",
...                    input=Signal([0, 1]), lhs=Signal([0, '1/2']), rhs=Signal([0, 1]),
...                    decider="search", conventions=("periodic boundary",))
>>> v.kind, v.difference
('counterexample', Signal([0, -1/2]))
>>> print(Undecided("a claim", reason="time budget of 1 s ran out", decider="smt"))
Undecided: a claim
  reason: time budget of 1 s ran out
  decider: smt
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sympy

from .errors import SymequiError
from .signal import Signal

__all__ = ["Verdict", "Proved", "Counterexample", "Undecided"]


def _latex_value(value: Any) -> str:
    if isinstance(value, Signal):
        return value.latex()
    if isinstance(value, sympy.Basic):
        return sympy.latex(value)
    if hasattr(value, "latex"):
        return value.latex()
    return r"\text{" + _escape(str(value)) + "}"


_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}", "_": r"\_", "%": r"\%", "&": r"\&", "#": r"\#", "$": r"\$",
    "{": r"\{", "}": r"\}", "^": r"\^{}", "~": r"\~{}",
    "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}",
}


def _latex_item(value: Any) -> str:
    """One description item: text as text, a mapping as "name: value" pairs, a long 1-D
    Signal as a breakable list of entries, anything else as one inline formula."""
    if isinstance(value, str):
        return _escape(value)
    if isinstance(value, Mapping):
        return "; ".join(_escape(str(k)) + ": " + _latex_item(v) for k, v in value.items())
    if isinstance(value, Signal) and value.ndim == 1 and len(value.latex()) > 160:
        entries = [sympy.latex(e) for e in value.flat_exprs()]
        return "$[" + ",$ $".join(entries) + "]$"
    return "$" + _latex_value(value) + "$"


def _escape(text: str) -> str:
    """Plain text as LaTeX text (one pass, so replacements are not escaped again)."""
    return "".join(_LATEX_SPECIALS.get(ch, ch) for ch in text)


class Verdict:
    """Common behaviour of Proved, Counterexample and Undecided.

    Every verdict has a ``statement``, the ``decider`` that reached it, the
    ``conventions`` it depends on and free-form ``details``; it renders as
    text (:meth:`text`, ``str``) and LaTeX (:meth:`latex`) and compares by value.

    >>> v = Undecided("a claim", reason="no closed form")
    >>> v.kind, v.is_undecided, v == Undecided("a claim", reason="no closed form")
    ('undecided', True, True)
    """

    kind: str = "verdict"
    _fields: tuple[str, ...] = ()

    def __init__(self, statement: str, *, decider: str = "", conventions: Sequence[str] = (),
                 details: Mapping[str, Any] | None = None) -> None:
        self.statement = str(statement)
        self.decider = str(decider)
        self.conventions: tuple[str, ...] = tuple(conventions)
        self.details: dict[str, Any] = dict(details or {})

    @property
    def is_proved(self) -> bool:
        """True for a :class:`Proved` verdict."""
        return self.kind == "proved"

    @property
    def is_counterexample(self) -> bool:
        """True for a :class:`Counterexample`."""
        return self.kind == "counterexample"

    @property
    def is_undecided(self) -> bool:
        """True for an :class:`Undecided` verdict."""
        return self.kind == "undecided"

    def _items(self) -> list[tuple[str, Any]]:
        items = [(name, getattr(self, name)) for name in self._fields]
        if self.decider:
            items.append(("decider", self.decider))
        if self.conventions:
            items.append(("conventions", "; ".join(self.conventions)))
        items.extend(self.details.items())
        return [(k, v) for k, v in items if v is not None]

    def text(self) -> str:
        """Plain-text rendering (also what ``str`` gives).

        >>> print(Proved("a claim", decider="linear").text())
        Proved: a claim
          decider: linear
        """
        title = {"proved": "Proved", "counterexample": "Counterexample", "undecided": "Undecided"}[self.kind]
        lines = [f"{title}: {self.statement}"]
        for key, value in self._items():
            lines.append(f"  {key}: {value.text() if isinstance(value, Signal) else value}")
        return "\n".join(lines)

    def latex(self) -> str:
        r"""LaTeX rendering: a bold verdict line and a description list.

        >>> print(Undecided("a claim", reason="50% done").latex())
        \textbf{Undecided.} a claim
        \begin{description}
        \item[reason] 50\% done
        \end{description}
        """
        title = {"proved": "Proved", "counterexample": "Counterexample", "undecided": "Undecided"}[self.kind]
        rows = [r"\textbf{" + title + r".} " + _escape(self.statement)]
        items = self._items()
        if items:
            rows.append(r"\begin{description}")
            for key, value in items:
                label = _escape(key)
                if "[" in label or "]" in label:  # a bracket would end the optional argument early
                    label = "{" + label + "}"
                rows.append(r"\item[" + label + "] " + _latex_item(value))
            rows.append(r"\end{description}")
        return "\n".join(rows)

    def _key(self) -> tuple:
        return (self.kind, self.statement, self.decider, self.conventions,
                tuple(getattr(self, f) for f in self._fields), tuple(sorted(self.details.items(), key=str)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Verdict):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash((self.kind, self.statement, self.decider))

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.statement}>"


class Proved(Verdict):
    """The square commutes for every input in ``holds_for``.

    >>> print(Proved("integer shifts commute with periodic convolution",
    ...              holds_for="every rational signal of length 8", decider="linear"))
    Proved: integer shifts commute with periodic convolution
      holds_for: every rational signal of length 8
      decider: linear
    """

    kind = "proved"
    _fields = ("holds_for",)

    def __init__(self, statement: str, *, holds_for: str = "", **kwargs: Any) -> None:
        super().__init__(statement, **kwargs)
        self.holds_for = holds_for or None


class Counterexample(Verdict):
    """An exact input on which ``lhs`` (A after g) and ``rhs`` (g' after A) differ.

    ``functions`` optionally names the continuous functions involved (for a
    discretization square, e.g. ``{"f1": ..., "f2": ...}``).  ``difference``
    defaults to ``lhs - rhs`` (None when the outputs cannot be subtracted).
    ``parameters`` names, when the outputs hold symbols, the point of the
    assumed set (``{symbol: rational}``) where the difference is certified nonzero.

    >>> c = Counterexample("a claim", input=Signal([1]), lhs=Signal([2]), rhs=Signal(['1/2']))
    >>> c.difference
    Signal([3/2])
    """

    kind = "counterexample"
    _fields = ("input", "lhs", "rhs", "difference", "parameters", "functions")

    def __init__(self, statement: str, *, input: Any, lhs: Any, rhs: Any,  # noqa: A002
                 difference: Any = None, functions: Mapping[str, Any] | None = None,
                 parameters: Mapping[Any, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(statement, **kwargs)
        self.input = input
        self.lhs = lhs
        self.rhs = rhs
        if difference is None and isinstance(lhs, Signal) == isinstance(rhs, Signal):
            try:
                difference = lhs - rhs
            except (TypeError, SymequiError):  # e.g. outputs of different shapes
                difference = None
        self.difference = difference
        self.functions = dict(functions) if functions else None
        self.parameters = dict(parameters) if parameters else None


class Undecided(Verdict):
    """Neither proved nor refuted; ``reason`` says why.

    >>> Undecided("a claim", reason="time budget of 1 s ran out").reason
    'time budget of 1 s ran out'
    """

    kind = "undecided"
    _fields = ("reason",)

    def __init__(self, statement: str, *, reason: str, **kwargs: Any) -> None:
        super().__init__(statement, **kwargs)
        self.reason = str(reason)
