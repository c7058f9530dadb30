"""Claims: one statement, the function that decides it, and what we expect.

A proof script is a plain Python file (not a package) that defines claims with
the :func:`claim` decorator::

    # my_proofs/figure1.py  (a script of your own)
    from symequi import claim, Counterexample, Signal

    @claim("paper-figure1", "Figure 1: the edge detector misses the shifted edge",
           expect="refuted", budget=60, tags=("paper",))
    def figure1(d):
        d.text("Average H over the four pixels of Grid(-1, 1, 4).")
        ...                                  # record the work in d
        return Counterexample(...)           # or Proved / Undecided

    if __name__ == "__main__":               # optional: run this file alone
        import sys
        from symequi.cli import main
        sys.exit(main(["prove", __file__]))

The function receives a :class:`~symequi.report.derivation.Derivation` ``d`` (with
``d.output_dir``, the folder for its figures) and returns a verdict.
``expect`` is what the script asserts:

* ``"proved"``: the verdict is :class:`~symequi.core.verdict.Proved`;
* ``"refuted"``: the verdict is a :class:`~symequi.core.verdict.Counterexample`;
* ``"undecided"``: the verdict is :class:`~symequi.core.verdict.Undecided` (an
  honest "we cannot settle this within the budget").

:meth:`Claim.run` runs the function under a time budget (``budget`` seconds,
else :data:`DEFAULT_CLAIM_BUDGET`); running out gives an Undecided verdict with
the reason.  A failed internal check, ``d.require(condition, reason)`` with a
False condition, gives an Undecided verdict with that reason (this is the one
way a script reports a failed check).  Any other exception gives an *error*
result carrying the traceback.  Nothing a claim does crashes the runner.

:func:`discover` loads proof scripts by path, each under its own unique module
name, and returns their claims in file order, then definition order.  Files
whose name starts with ``_`` are skipped when a folder is scanned (use them for
shared helpers; the script's folder is on ``sys.path`` while it loads).  A
script that fails to load becomes a claim whose result is that error.

Example
-------
>>> import tempfile
>>> from symequi.report.claims import claim
>>> from symequi.core.verdict import Proved
>>> @claim("one-plus-one", "1 + 1 = 2", expect="proved")
... def one_plus_one(d):
...     d.equation("1 + 1", 2)
...     return Proved("1 + 1 = 2", decider="symbolic")
>>> result = one_plus_one.run(tempfile.mkdtemp())
>>> result.ok, result.obtained, result.decider
(True, 'proved', 'symbolic')

A failed ``d.require`` ends the claim Undecided with its reason:

>>> @claim("two-plus-two", "2 + 2 = 5", expect="undecided")
... def two_plus_two(d):
...     d.require(2 + 2 == 5, "2 + 2 evaluates to 4")
...     return Proved("2 + 2 = 5", decider="symbolic")
>>> result = two_plus_two.run(tempfile.mkdtemp())
>>> result.status, result.obtained, result.verdict.reason
('OK', 'undecided', '2 + 2 evaluates to 4')
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import os
import pathlib
import re
import sys
import time
import traceback
from collections.abc import Callable, Iterable
from types import TracebackType
from dataclasses import dataclass, field
from typing import Any

from ..core.budget import check_budget, time_budget
from .derivation import CheckFailed, Derivation, check_latex_text
from ..core.texescape import Phrase
from ..core.errors import BudgetExceededError, InvalidArgumentError
from ..core.verdict import Undecided, Verdict
from ..core.texts import brief

__all__ = [
    "claim",
    "Claim",
    "ClaimResult",
    "discover",
    "claims_in_module",
    "EXPECTATIONS",
    "DEFAULT_CLAIM_BUDGET",
    "IMPORT_BUDGET",
]

#: The allowed values of ``expect`` and the verdict kind each one asks for.
EXPECTATIONS: dict[str, str] = {"proved": "proved", "refuted": "counterexample", "undecided": "undecided"}

#: Seconds a claim may run when neither the claim nor the runner sets a budget.
DEFAULT_CLAIM_BUDGET = 300.0

#: Seconds a proof script may take to load (its top-level code).
IMPORT_BUDGET = 60.0

_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")

# module name -> claims defined there, in definition order
_REGISTRY: dict[str, list["Claim"]] = {}


@dataclass(frozen=True, eq=False)
class Claim:
    """A statement with the function that decides it and the expected verdict.

    Create claims with the :func:`claim` decorator.  Calling a claim calls its
    function: ``my_claim(d)``.

    >>> import tempfile
    >>> from symequi.core.verdict import Proved
    >>> c = Claim("one-plus-one", "1 + 1 = 2", lambda d: Proved("1 + 1 = 2", decider="symbolic"))
    >>> c.expected_kind
    'proved'
    >>> with tempfile.TemporaryDirectory() as out:
    ...     result = c.run(out)
    >>> result.status, result.obtained, result.decider
    ('OK', 'proved', 'symbolic')
    """

    id: str
    title: str
    fn: Callable[[Derivation], Verdict] | None
    expect: str = "proved"
    budget: float | None = None
    tags: tuple[str, ...] = ()
    file: pathlib.Path | None = None
    load_error: str | None = None
    statement: str | None = None
    latex: str | None = None

    @property
    def plain_statement(self) -> str:
        """The statement in plain text: ``statement``, else the title."""
        return self.statement or self.title

    def __call__(self, d: Derivation) -> Verdict:
        if self.fn is None:
            raise InvalidArgumentError(f"claim {brief(self.id)} could not be loaded:\n{brief(self.load_error, str)}")
        return self.fn(d)

    @property
    def expected_kind(self) -> str:
        """The verdict kind ``expect`` asks for (``refuted`` -> ``counterexample``)."""
        return EXPECTATIONS[self.expect]

    def run(self, output_dir: str | os.PathLike[str], *, budget: float | None = None) -> "ClaimResult":
        """Run the claim and return its :class:`ClaimResult` (never raises for
        anything the claim does, except KeyboardInterrupt).

        ``output_dir`` is the output folder; the derivation's figures go to
        ``output_dir/<claim id>``.  ``budget`` (seconds) overrides the claim's own.
        """
        if not isinstance(output_dir, (str, os.PathLike)):
            raise InvalidArgumentError(f"output_dir={brief(output_dir)} must be a folder path")
        seconds = check_budget(budget)
        if seconds is None:
            seconds = self.budget if self.budget is not None else DEFAULT_CLAIM_BUDGET
        # the statement keeps its LaTeX (a Phrase), so a verdict about it (statement=d.title) shows it typeset
        statement = Phrase(self.plain_statement, self.latex) if self.latex else self.plain_statement
        d = Derivation(statement, output_dir=pathlib.Path(output_dir).resolve() / self.id)
        if self.fn is None:
            return ClaimResult(self, None, d, 0.0, error=self.load_error)
        start = time.perf_counter()
        verdict: Verdict | None = None
        error: str | None = None
        location: str | None = None
        try:
            with time_budget(seconds, f"claim {brief(self.id)}"):
                returned = self.fn(d)
            if not isinstance(returned, Verdict):
                error = (f"claim {self.id!r}: the function returned {returned!r} "
                         f"({type(returned).__name__}); it must return Proved, Counterexample or Undecided")
            else:
                verdict = returned
        except BudgetExceededError as err:
            verdict = Undecided(statement, reason=str(err), details={"budget": f"{seconds:g} s"})
        except CheckFailed as failed:  # d.require(...): the one way a script reports a failed check
            verdict = Undecided(statement, reason=failed.reason, conventions=d.conventions)
        except (Exception, SystemExit) as exc:  # noqa: BLE001 - a failing claim is a result, not a crash
            # start the traceback at the claim's own code, not at this frame
            tb = exc.__traceback__  # set: exc was raised
            error = "".join(traceback.format_exception(type(exc), exc, tb.tb_next if tb is not None else None))
            location = _failing_line(self.fn, tb)
        elapsed = time.perf_counter() - start
        return ClaimResult(self, verdict, d, elapsed, error=error, location=location)

    def __repr__(self) -> str:
        return f"<Claim {brief(self.id)} expect={brief(self.expect)}>"


@dataclass(frozen=True, eq=False)
class ClaimResult:
    """What running a claim produced.

    ``verdict`` is None when the claim errored; ``error`` then holds the
    traceback (or the load error) and ``location`` the ``file:line`` of the
    failing line in the claim's script (the deepest traceback frame in the
    file that defines the claim's function; None when unknown).  ``ok`` is True when there was no error and
    the verdict's kind is the expected one.

    >>> from symequi.core.verdict import Undecided
    >>> c = Claim("shift", "a shift commutes", None, expect="proved")
    >>> r = ClaimResult(c, Undecided("a shift commutes", reason="budget"), Derivation("shift"), 0.5)
    >>> r.ok, r.status, r.obtained, r.expected
    (False, 'MISMATCH', 'undecided', 'proved')
    """

    claim: Claim
    verdict: Verdict | None
    derivation: Derivation
    seconds: float
    error: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    location: str | None = None

    @property
    def id(self) -> str:
        return self.claim.id

    @property
    def title(self) -> str:
        return self.claim.title

    @property
    def expected(self) -> str:
        """The claim's ``expect`` (``proved``, ``refuted`` or ``undecided``)."""
        return self.claim.expect

    @property
    def obtained(self) -> str:
        """The verdict in the words of ``expect``: ``proved``, ``refuted``,
        ``undecided``, or ``error``."""
        if self.verdict is None:
            return "error"
        return {"counterexample": "refuted"}.get(self.verdict.kind, self.verdict.kind)

    @property
    def decider(self) -> str:
        """Which decider answered (``verdict.decider``), or ``""``."""
        return self.verdict.decider if self.verdict is not None else ""

    @property
    def ok(self) -> bool:
        return self.error is None and self.verdict is not None and self.verdict.kind == self.claim.expected_kind

    @property
    def status(self) -> str:
        """``OK``, ``MISMATCH`` (verdict differs from ``expect``) or ``ERROR``."""
        if self.error is not None or self.verdict is None:
            return "ERROR"
        return "OK" if self.ok else "MISMATCH"

    @property
    def file(self) -> pathlib.Path | None:
        return self.claim.file

    def __repr__(self) -> str:
        return f"<ClaimResult {brief(self.id)}: {brief(self.status, str)} ({brief(self.obtained, str)}, expected {brief(self.expected, str)})>"


def _failing_line(fn: Callable[..., Any] | None, tb: TracebackType | None) -> str | None:
    """``file:line`` of the deepest frame of ``tb`` in the file defining ``fn``
    (a helper the claim calls in the same script counts), else of the deepest frame."""
    frames = traceback.extract_tb(tb)
    if not frames:
        return None
    code = getattr(fn, "__code__", None)
    home = code.co_filename if code is not None else None
    ours = [f for f in frames if f.filename == home]
    frame = (ours or frames)[-1]
    return f"{frame.filename}:{frame.lineno}"


def claim(id: str, title: str, *, expect: str = "proved", budget: float | None = None,  # noqa: A002
          tags: Iterable[str] = (), statement: str | None = None,
          latex: str | None = None) -> Callable[[Callable[[Derivation], Verdict]], Claim]:
    r"""Declare a claim: decorate ``fn(d: Derivation) -> Verdict``.

    ``id`` is a short unique name (letters, digits, ``. _ -``), used by
    ``symequi prove -k`` and as the figures' folder name.  ``title`` is one
    short line (the heading in the document and its contents).  ``statement``
    is the full statement in plain text (default: the title) and ``latex`` the
    same statement as LaTeX text with inline math, written by hand; the
    document typesets it as a theorem.  ``budget`` is in seconds.  The
    decorator returns the :class:`Claim` (still callable).

    >>> from symequi.core.verdict import Proved
    >>> @claim("trivial", "A trivial claim", tags=("demo",), statement="1 + 1 = 2 in Z",
    ...        latex=r"$1 + 1 = 2$ in $\mathbb{Z}$")
    ... def trivial(d):
    ...     return Proved("1 + 1 = 2 in Z")
    >>> trivial, trivial.plain_statement
    (<Claim 'trivial' expect='proved'>, '1 + 1 = 2 in Z')
    """
    if not isinstance(id, str) or not _ID_PATTERN.fullmatch(id):
        raise InvalidArgumentError(
            f"id={brief(id)} must be a non-empty str of letters, digits, '.', '_' or '-' "
            "starting with a letter or digit, e.g. 'paper-eq5'"
        )
    if not isinstance(title, str) or not title.strip():
        raise InvalidArgumentError(f"title={brief(title)} must be a non-empty str")
    if "\n" in title.strip():
        raise InvalidArgumentError(f"title={brief(title)} must be one line; put the full text in statement=")
    if statement is not None and (not isinstance(statement, str) or not statement.strip()):
        raise InvalidArgumentError(f"statement={brief(statement)} must be a non-empty str or None")
    if latex is not None:
        if not isinstance(latex, str) or not latex.strip():
            raise InvalidArgumentError(f"latex={brief(latex)} must be a non-empty str of LaTeX text or None")
        check_latex_text(latex, "latex")
    if expect not in EXPECTATIONS:
        raise InvalidArgumentError(f"expect={brief(expect)} must be one of {brief(', '.join(brief(item) for item in EXPECTATIONS), str)}")
    seconds = check_budget(budget)
    if isinstance(tags, str):
        tags = (tags,)
    tags = tuple(tags)
    for tag in tags:
        if not isinstance(tag, str) or not tag.strip():
            raise InvalidArgumentError(f"tags={brief(tags)} must be non-empty strings")

    def decorate(fn: Callable[[Derivation], Verdict]) -> Claim:
        if not callable(fn):
            raise InvalidArgumentError(f"@claim({brief(id)}) must decorate a function fn(d) -> Verdict")
        module = getattr(fn, "__module__", None) or "__main__"
        registered = _REGISTRY.setdefault(module, [])
        if any(c.id == id for c in registered):
            raise InvalidArgumentError(f"claim id {brief(id)} is defined twice in {brief(module, str)}; ids must be unique")
        source = getattr(sys.modules.get(module), "__file__", None)
        made = Claim(id, title.strip(), fn, expect, seconds, tags,
                     pathlib.Path(source).resolve() if source else None,
                     statement=None if statement is None else statement.strip(),
                     latex=None if latex is None else latex.strip())
        registered.append(made)
        return made

    return decorate


def claims_in_module(module_name: str) -> list[Claim]:
    """The claims registered by the module ``module_name``, in definition order.

    >>> claims_in_module("no.such.module")
    []
    """
    return list(_REGISTRY.get(module_name, ()))


def script_module_name(path: pathlib.Path) -> str:
    digest = hashlib.sha1(str(path).encode("utf-8", "surrogatepass")).hexdigest()[:12]
    stem = re.sub(r"\W", "_", path.stem)
    return f"_symequi_proof_{stem}_{digest}"


def broken_claim(path: pathlib.Path, error: str, suffix: str = "load") -> Claim:
    stem = re.sub(r"[^A-Za-z0-9._-]", "_", path.stem).lstrip("._-") or "script"
    return Claim(f"{stem}.{suffix}-error", f"{path.name} could not be loaded", None, "proved",
                 None, (), path, error)


def _load(path: pathlib.Path) -> list[Claim]:
    name = script_module_name(path)
    _REGISTRY.pop(name, None)
    sys.modules.pop(name, None)
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        return [broken_claim(path, f"{path}: Python cannot load this file")]
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    folder = str(path.parent)
    sys.path.insert(0, folder)
    try:
        with time_budget(IMPORT_BUDGET, f"loading {brief(path.name, str)}"):
            spec.loader.exec_module(module)
    except BudgetExceededError as err:
        sys.modules.pop(name, None)
        return [broken_claim(path, str(err))]
    except (Exception, SystemExit):  # noqa: BLE001 - a broken script is reported, not fatal
        sys.modules.pop(name, None)
        return [broken_claim(path, traceback.format_exc())]
    finally:
        if folder in sys.path:
            sys.path.remove(folder)
    found = claims_in_module(name)
    return [c if c.file is not None else dataclasses.replace(c, file=path) for c in found]


def script_files(paths: Iterable[str | os.PathLike[str]]) -> list[pathlib.Path]:
    files: list[pathlib.Path] = []
    for i, raw in enumerate(paths):
        if not isinstance(raw, (str, os.PathLike)):
            raise InvalidArgumentError(f"paths[{i}]={brief(raw)} must be a file or folder path")
        path = pathlib.Path(raw)
        if path.is_dir():
            files += sorted(p for p in path.glob("*.py") if p.is_file() and not p.name.startswith("_"))
        elif path.is_file():
            if path.suffix != ".py":
                raise InvalidArgumentError(f"paths[{i}]={repr(brief(raw, str))} is not a .py proof script")
            files.append(path)
        else:
            raise InvalidArgumentError(f"paths[{i}]={repr(brief(raw, str))} does not exist; give proof script files or folders")
    unique: dict[pathlib.Path, None] = {}
    for f in files:
        unique.setdefault(f.resolve(), None)
    return list(unique)


def discover(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> list[Claim]:
    """Load the proof scripts in ``paths`` (files, or folders of ``*.py``) and
    return their claims: files in the order given (folders sorted by name),
    claims in definition order.

    A script that fails to import gives one claim whose result is the error;
    a claim id already seen in an earlier file gives an error claim too.

    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "demo.py").write_text(
    ...     "from symequi.report.claims import claim\\n"
    ...     "from symequi.core.verdict import Proved\\n"
    ...     "@claim('demo', 'a demo claim')\\n"
    ...     "def demo(d):\\n"
    ...     "    return Proved('a demo claim')\\n")
    >>> [c.id for c in discover(folder)]
    ['demo']
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    claims: list[Claim] = []
    seen: dict[str, pathlib.Path | None] = {}
    for path in script_files(paths):
        for found in _load(path):
            if found.fn is not None and found.id in seen:
                found = broken_claim(path, f"claim id {found.id!r} in {path} is already defined in "
                                      f"{seen[found.id]}; claim ids must be unique", suffix=f"{found.id}.duplicate")
            seen.setdefault(found.id, path)
            claims.append(found)
    return claims
