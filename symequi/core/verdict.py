"""Verdicts: the values every decider returns.

* :class:`Proved`: the square commutes for every input in the stated class.
* :class:`Counterexample`: an exact input on which the two paths differ, with
  both outputs and their difference.  It *refutes* its ``statement``; the text
  leads with :attr:`Counterexample.refuted_statement` ("A does not commute with
  g ..."), the fact the witness establishes.
* :class:`Undecided`: the decider could not settle it; ``reason`` says why
  (a time budget, a search that found nothing, an integral with no closed form).

A verdict has no truth value: ``if verdict:`` raises ``TypeError`` (as numpy
does for arrays), because a Counterexample or an Undecided verdict would be
"true" too.  Ask :attr:`Verdict.proved`, :attr:`Verdict.refuted` or
:attr:`Verdict.undecided`.

``decider`` names who reached the verdict; it is one of :data:`DECIDERS` (or
``""`` when unknown), checked when the verdict is made.

Verdicts compare by value and render as plain text (``str``) and LaTeX
(:meth:`Verdict.latex`); the conventions come last, one per line.  There is no
tolerance anywhere.

Example
-------
>>> from symequi.core.verdict import Proved, Counterexample, Undecided
>>> from symequi.core.signal import Signal
>>> v = Counterexample("ReLU commutes with a half-cell shift",
...                    input=Signal([0, 1]), lhs=Signal([0, '1/2']), rhs=Signal([0, 1]),
...                    decider="search", conventions=("periodic boundary", "H(0) = 0"))
>>> v.refuted, v.proved, v.difference
(True, False, Signal([0, -1/2]))
>>> print(v)
Refuted: it is not true that ReLU commutes with a half-cell shift
  input: Signal([0, 1])
  lhs: Signal([0, 1/2])
  rhs: Signal([0, 1])
  difference: Signal([0, -1/2])
  decider: search
  conventions:
  - periodic boundary
  - H(0) = 0
>>> print(Undecided("a claim", reason="time budget of 1 s ran out", decider="smt"))
Undecided: a claim
  reason: time budget of 1 s ran out
  decider: smt
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any, Literal, get_args

import sympy

from .errors import InvalidArgumentError, SymequiError
from .signal import Signal
from .texescape import Phrase, escape_latex, phrase_latex
from .texts import brief, brief_latex

__all__ = ["Verdict", "Proved", "Counterexample", "Undecided", "Statement", "DeciderName", "DECIDERS"]

#: Who reached a verdict.  The deciders of :mod:`symequi.deciders`:
#:
#: * ``"linear"``: exact linear algebra on the commutator (the circulant fast path
#:   and the kernel test of a discretization square included);
#: * ``"compositional"``: the layer-by-layer rule;
#: * ``"smt"``: z3 over the reals (piecewise-linear squares);
#: * ``"search"``: an exact random search for a counterexample;
#:
#: and the methods of hand-checked derivations (proof scripts):
#:
#: * ``"symbolic"``: an identity proved in sympy with symbolic parameters
#:   (indices, taps, grids, closed-form integrals);
#: * ``"cyclotomic"``: exact identities in cyclotomic fields (Laurent polynomials
#:   in a root of unity);
#: * ``"exact"``: exact evaluation of concrete cases with certified zero tests and
#:   signs (witnesses, tables);
#: * ``"derivation"``: a derivation combining several of these
#:   (``details["method"]`` says which).
DeciderName = Literal["linear", "compositional", "smt", "search", "symbolic", "cyclotomic", "exact", "derivation"]

#: The allowed values of ``Verdict.decider`` besides ``""`` (unknown).
DECIDERS: tuple[str, ...] = get_args(DeciderName)

_TITLES = {"proved": "Proved", "counterexample": "Refuted", "undecided": "Undecided"}

_BOOL_MESSAGE = (
    "the truth value of a verdict is ambiguous (a Counterexample or an Undecided verdict would "
    "count as true); use verdict.proved, verdict.refuted or verdict.undecided"
)


def check_decider(decider: Any) -> str:
    """``decider`` if it is one of :data:`DECIDERS` or ``""``; else InvalidArgumentError.

    >>> check_decider("smt")
    'smt'
    >>> check_decider("linear algebra")
    Traceback (most recent call last):
    ...
    symequi.core.errors.InvalidArgumentError: decider='linear algebra' is not a known decider; use one of 'linear', 'compositional', 'smt', 'search', 'symbolic', 'cyclotomic', 'exact', 'derivation' (or '' when unknown), and say more in details (e.g. details={'method': ...})
    """
    if decider == "" or (isinstance(decider, str) and decider in DECIDERS):
        return decider
    raise InvalidArgumentError(
        f"decider={brief(decider)} is not a known decider; use one of {brief(', '.join(brief(item) for item in DECIDERS), str)} "
        "(or '' when unknown), and say more in details (e.g. details={'method': ...})"
    )


class Statement(str):
    """A claim in words that also knows its negation (what a counterexample establishes).

    It is a ``str`` (the positive claim); :attr:`negation` is the refuted form.
    :attr:`symequi.core.square.Square.statement` returns one, so every verdict built
    from a square reads "A does not commute with g ..." when refuted.

    >>> s = Statement("A commutes with g", negation="A does not commute with g")
    >>> s, s.negation
    ('A commutes with g', 'A does not commute with g')
    """

    negation: str

    def __new__(cls, text: str, *, negation: str) -> "Statement":
        made = super().__new__(cls, text)
        made.negation = str(negation)
        return made

    def __reduce__(self) -> tuple:
        return (_statement, (str(self), self.negation))


def _statement(text: str, negation: str) -> Statement:
    return Statement(text, negation=negation)


def _latex_value(value: Any) -> str:
    if isinstance(value, Signal):
        return value.latex()
    if isinstance(value, sympy.Basic):
        return brief_latex(value)
    if hasattr(value, "latex"):
        return value.latex()
    return r"\text{" + escape_latex(str(value)) + "}"


def _latex_item(value: Any) -> str:
    """One description item: text as text (a :class:`Phrase` by its LaTeX twin), a
    mapping as "name: value" pairs, a long 1-D Signal as a breakable list of entries,
    anything else (sympy expressions and sets included) as one inline formula."""
    if isinstance(value, str):
        return phrase_latex(value)
    if isinstance(value, Mapping):
        return "; ".join(_latex_key(k) + ": " + _latex_item(v) for k, v in value.items())
    if isinstance(value, Signal) and value.ndim == 1 and len(value.latex()) > 160:
        entries = [brief_latex(e) for e in value.flat_exprs()]
        return "$[" + ",$ $".join(entries) + "]$"
    return "$" + _latex_value(value) + "$"


def _latex_key(key: Any) -> str:
    """A detail's name: a :class:`Phrase` by its twin, other text escaped as it is."""
    return key.latex if isinstance(key, Phrase) else escape_latex(str(key))


def _text_value(value: Any) -> str:
    return value.text() if isinstance(value, Signal) else str(value)


class Verdict:
    """Common behaviour of Proved, Counterexample and Undecided.

    Every verdict has a ``statement``, the ``decider`` that reached it (one of
    :data:`DECIDERS`, or ``""``), the ``conventions`` it depends on and
    free-form ``details``; it renders as text (:meth:`text`, ``str``) and LaTeX
    (:meth:`latex`) and compares by value.  It has no truth value.

    >>> v = Undecided("a claim", reason="no closed form")
    >>> v.kind, v.undecided, v.proved, v == Undecided("a claim", reason="no closed form")
    ('undecided', True, False, True)
    >>> if v:
    ...     pass
    Traceback (most recent call last):
    ...
    TypeError: the truth value of a verdict is ambiguous (a Counterexample or an Undecided verdict would count as true); use verdict.proved, verdict.refuted or verdict.undecided
    """

    kind: str = "verdict"
    _fields: tuple[str, ...] = ()

    def __init__(self, statement: str, *, decider: str = "", conventions: Sequence[str] = (),
                 details: Mapping[str, Any] | None = None) -> None:
        self.statement = statement if isinstance(statement, (Statement, Phrase)) else str(statement)
        self.decider = decider
        if isinstance(conventions, str):
            conventions = (conventions,)
        # a Phrase keeps its LaTeX twin; other values become their plain text
        self.conventions: tuple[str, ...] = tuple(c if isinstance(c, Phrase) else str(c) for c in conventions)
        self.details: dict[str, Any] = dict(details or {})

    @property
    def decider(self) -> str:
        """Who reached the verdict: one of :data:`DECIDERS`, or ``""`` (checked on assignment)."""
        return self._decider

    @decider.setter
    def decider(self, value: str) -> None:
        self._decider = check_decider(value)

    # --- what the verdict says (there is no bool(); see the module docstring) ----------
    @property
    def proved(self) -> bool:
        """True for a :class:`Proved` verdict."""
        return self.kind == "proved"

    @property
    def refuted(self) -> bool:
        """True for a :class:`Counterexample` (the statement is refuted)."""
        return self.kind == "counterexample"

    @property
    def undecided(self) -> bool:
        """True for an :class:`Undecided` verdict."""
        return self.kind == "undecided"

    #: Older spellings of :attr:`proved`, :attr:`refuted` and :attr:`undecided`.
    is_proved = proved
    is_counterexample = refuted
    is_undecided = undecided

    def __bool__(self) -> bool:
        raise TypeError(_BOOL_MESSAGE)

    # --- rendering ---------------------------------------------------------------------
    @property
    def headline(self) -> str:
        """What the first line of :meth:`text` says after "Proved: ", "Refuted: " or "Undecided: "."""
        return self.statement

    def _items(self) -> list[tuple[str, Any]]:
        items = [(name, getattr(self, name)) for name in self._fields]
        if self.decider:
            items.append(("decider", self.decider))
        items.extend(self.details.items())
        return [(k, v) for k, v in items if v is not None]

    def text(self) -> str:
        """Plain-text rendering (also what ``str`` gives): the verdict and its statement,
        one line per field, then the conventions as a bulleted list.

        >>> print(Proved("a claim", decider="linear", conventions=("x", "y")).text())
        Proved: a claim
          decider: linear
          conventions:
          - x
          - y
        """
        lines = [f"{_TITLES[self.kind]}: {self.headline}"]
        lines += [f"  {key}: {_text_value(value)}" for key, value in self._items()]
        if self.conventions:
            lines.append("  conventions:")
            lines += [f"  - {c}" for c in self.conventions]
        return "\n".join(lines)

    def latex(self) -> str:
        r"""LaTeX rendering: a bold verdict line and a description list; the
        conventions are an itemize list in the last item.

        >>> print(Undecided("a claim", reason="50% done", conventions=("H(0) = 0",)).latex())
        \textbf{Undecided.} a claim
        \begin{description}
        \item[reason] 50\% done
        \item[conventions] \begin{itemize}
        \item H(0) = 0
        \end{itemize}
        \end{description}
        """
        rows = [r"\textbf{" + _TITLES[self.kind] + r".} " + phrase_latex(self.headline)]
        items = [(key, _latex_item(value)) for key, value in self._items()]
        if self.conventions:
            items.append(("conventions", "\\begin{itemize}\n"
                          + "\n".join(r"\item " + phrase_latex(c) for c in self.conventions)
                          + "\n\\end{itemize}"))
        if items:
            rows.append(r"\begin{description}")
            for key, body in items:
                label = _latex_key(key)
                if "[" in label or "]" in label:  # a bracket would end the optional argument early
                    label = "{" + label + "}"
                rows.append(r"\item[" + label + "] " + body)
            rows.append(r"\end{description}")
        return "\n".join(rows)

    def _key(self) -> tuple:
        return (self.kind, str(self.statement), self.decider, self.conventions,
                tuple(getattr(self, f) for f in self._fields), tuple(sorted(self.details.items(), key=str)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Verdict):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash((self.kind, str(self.statement), self.decider))

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {brief(self.headline, str)}>"

    # --- notebooks ---------------------------------------------------------------------
    def _repr_latex_(self) -> str:
        """Jupyter's LaTeX form (used when a notebook is exported to LaTeX/PDF): :meth:`latex`."""
        return self.latex()

    def _repr_html_(self) -> str:
        """Jupyter's HTML form: the verdict line, then a small table of its fields
        (a witness signal one entry per cell) and the conventions as a list.

        >>> html = Counterexample("a claim", input=Signal([1, 2]), lhs=Signal([2]), rhs=Signal([3]))._repr_html_()
        >>> "<b>Refuted:</b> it is not true that a claim" in html, "<td>1</td><td>2</td>" in html
        (True, True)
        """
        rows = []
        for key, value in self._items():
            if isinstance(value, Signal) and value.ndim == 1 and len(value) <= 32:
                cells = "".join(f"<td>{_html(v)}</td>" for v in value.to_list())
            elif isinstance(value, Mapping):
                cells = "<td>" + "<br>".join(f"{_html(k)}: {_html(v)}" for k, v in value.items()) + "</td>"
            else:
                cells = f"<td>{_html(_text_value(value))}</td>"
            rows.append(f"<tr><th style=\"text-align:left\">{_html(key)}</th>{cells}</tr>")
        parts = [f"<div><b>{_TITLES[self.kind]}:</b> {_html(self.headline)}</div>"]
        if rows:
            parts.append("<table>" + "".join(rows) + "</table>")
        if self.conventions:
            parts.append("<div>conventions:</div><ul>" + "".join(f"<li>{_html(c)}</li>" for c in self.conventions)
                         + "</ul>")
        return "\n".join(parts)


def _html(value: Any) -> str:
    return html.escape(str(value))


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

    ``statement`` is the claim this witness refutes; ``refuted_statement`` is
    what the witness establishes, and what the text leads with ("Refuted: ...").
    It defaults to the negation a :class:`Statement` carries (every square's
    statement does: "A does not commute with g ..."), else to "it is not true
    that <statement>".  ``functions`` optionally names the continuous functions
    involved (for a discretization square, e.g. ``{"f1": ..., "f2": ...}``).
    ``difference`` defaults to ``lhs - rhs`` (None when the outputs cannot be
    subtracted).
    ``parameters`` names, when the outputs hold symbols, the point of the
    assumed set (``{symbol: rational}``) where the difference is certified nonzero.

    >>> c = Counterexample("a claim", input=Signal([1]), lhs=Signal([2]), rhs=Signal(['1/2']))
    >>> c.difference, c.refuted_statement
    (Signal([3/2]), 'it is not true that a claim')
    >>> s = Statement("S commutes with T", negation="S does not commute with T")
    >>> Counterexample(s, input=1, lhs=2, rhs=3)
    <Counterexample: S does not commute with T>
    """

    kind = "counterexample"
    _fields = ("input", "lhs", "rhs", "difference", "parameters", "functions")

    def __init__(self, statement: str, *, input: Any, lhs: Any, rhs: Any,  # noqa: A002
                 difference: Any = None, functions: Mapping[str, Any] | None = None,
                 refuted_statement: str | None = None, parameters: Mapping[Any, Any] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(statement, **kwargs)
        if refuted_statement is None:
            refuted_statement = (self.statement.negation if isinstance(self.statement, Statement)
                                 else f"it is not true that {self.statement}")
        self.refuted_statement = (refuted_statement if isinstance(refuted_statement, Phrase)
                                  else str(refuted_statement))
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

    @property
    def headline(self) -> str:
        """The refuted statement: what the witness establishes."""
        return self.refuted_statement

    def _key(self) -> tuple:
        return super()._key() + (self.refuted_statement,)


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
