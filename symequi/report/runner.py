"""Run claims, report progress, and summarise the results as a table or JSON.

:func:`run_claims` runs each selected claim in turn (see
:meth:`symequi.report.claims.Claim.run`); :func:`format_table` and
:func:`results_to_json` summarise the results; :func:`stderr_progress` is a
ready-made progress display (one line when a claim starts, one when it ends;
plain lines, so it works in CI logs and pipes).

Selecting claims (``pattern``, the CLI's ``-k``): a case-insensitive
substring of a claim's id, title or one of its tags; a pattern with ``*``,
``?`` or ``[`` is a glob on the id (``paper-*``).  Separate alternatives with
commas: ``-k "figure1,eq5"``.

Example
-------
>>> import tempfile
>>> from symequi.report.claims import claim
>>> from symequi.core.verdict import Proved
>>> from symequi.report.runner import run_claims, format_table
>>> @claim("runner-demo", "a demo", expect="proved")
... def demo(d):
...     return Proved("a demo", decider="exact")
>>> results = run_claims([demo], output_dir=tempfile.mkdtemp())
>>> print(format_table(results, seconds=False))
claim        expected  verdict  decider  status
-----------  --------  -------  -------  ------
runner-demo  proved    proved   exact    OK
1 claim: 1 OK
"""

from __future__ import annotations

import fnmatch
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .claims import Claim, ClaimResult
from .parallel import check_jobs, run_parallel
from .worker import ClaimWorkers
from ..core.errors import InvalidArgumentError
from ..core.texts import brief

__all__ = [
    "ProgressEvent",
    "run_claims",
    "select_claims",
    "stderr_progress",
    "format_table",
    "results_to_json",
    "failures",
]


@dataclass(frozen=True)
class ProgressEvent:
    """Sent to ``progress`` when a claim starts (``kind="start"``, ``result``
    None) and when it ends (``kind="end"``).

    >>> from symequi.report.claims import Claim
    >>> event = ProgressEvent("start", 1, 3, Claim("paper-eq5", "Eq. 5", None))
    >>> event.kind, event.index, event.total, event.result is None
    ('start', 1, 3, True)
    """

    kind: str
    index: int
    total: int
    claim: Claim
    result: ClaimResult | None = None


def _matches(claim: Claim, alternative: str) -> bool:
    alt = alternative.lower()
    if any(ch in alt for ch in "*?["):
        return fnmatch.fnmatchcase(claim.id.lower(), alt)
    return alt in claim.id.lower() or alt in claim.title.lower() or any(alt in t.lower() for t in claim.tags)


def select_claims(claims: Iterable[Claim], pattern: str | None) -> list[Claim]:
    """The claims matching ``pattern`` (all of them for None), in order.

    >>> from symequi.report.claims import Claim
    >>> cs = [Claim("paper-eq5", "Eq. 5", None), Claim("shift", "Shifts", None, tags=("paper",))]
    >>> [c.id for c in select_claims(cs, "paper-*")], [c.id for c in select_claims(cs, "paper")]
    (['paper-eq5'], ['paper-eq5', 'shift'])
    """
    claims = list(claims)
    for i, c in enumerate(claims):
        if not isinstance(c, Claim):
            raise InvalidArgumentError(f"claims[{i}]={brief(c)} is not a Claim; use symequi.report.discover() or @claim")
    if pattern is None:
        return claims
    if not isinstance(pattern, str):
        raise InvalidArgumentError(f"pattern={brief(pattern)} must be a str or None")
    alternatives = [a.strip() for a in pattern.split(",") if a.strip()]
    if not alternatives:
        raise InvalidArgumentError(f"pattern={brief(pattern)} is empty; give a part of a claim id, title or tag")
    return [c for c in claims if any(_matches(c, a) for a in alternatives)]


def run_claims(claims: Iterable[Claim], *, output_dir: str | os.PathLike[str], pattern: str | None = None,
               budget: float | None = None,
               progress: Callable[[ProgressEvent], Any] | None = None, jobs: int = 1) -> list[ClaimResult]:
    """Run the claims matching ``pattern`` in order and return their results.

    ``output_dir`` is the folder for figures (each claim writes to
    ``output_dir/<claim id>``).  ``budget`` (seconds per claim) overrides the
    claims' own budgets.  ``progress`` is called with a :class:`ProgressEvent`
    before and after each claim (e.g. :func:`stderr_progress`).

    Claims loaded from proof scripts run in worker processes
    (:mod:`symequi.report.worker`): a claim that crashes its process, exits or
    ignores its budget becomes one ERROR or Undecided result, and the run goes
    on.  Ctrl-C re-raises its ``KeyboardInterrupt`` with the results finished
    before it in the attribute ``results``.  As with any ``multiprocessing``
    code, a program that calls this at its top level needs the
    ``if __name__ == "__main__":`` guard (workers import the main module).

    ``jobs`` (the CLI's ``-n``) is the number of worker processes: with
    ``jobs > 1`` the claims of different proof scripts run at the same time
    (:func:`symequi.report.parallel.run_parallel`; the claims of one script
    still run in order in one worker), the results keep the order of the
    claims, and ``progress`` sees the claims start and end in the order they
    do.  ``jobs=1`` (the default) runs them one after the other.

    >>> run_claims([], output_dir=".")
    []
    """
    if not isinstance(output_dir, (str, os.PathLike)):
        raise InvalidArgumentError(f"output_dir={brief(output_dir)} must be a folder path")
    if progress is not None and not callable(progress):
        raise InvalidArgumentError(f"progress={brief(progress)} must be a function of one ProgressEvent, or None")
    jobs = check_jobs(jobs)
    selected = select_claims(claims, pattern)
    if jobs > 1:
        def event(kind: str, i: int, result: ClaimResult | None) -> None:
            assert progress is not None
            progress(ProgressEvent(kind, i + 1, len(selected), selected[i], result))

        return run_parallel(selected, output_dir=output_dir, jobs=jobs, budget=budget,
                            progress=None if progress is None else event)
    results: list[ClaimResult] = []
    try:
        with ClaimWorkers(output_dir) as workers:
            for index, c in enumerate(selected, start=1):
                if progress is not None:
                    progress(ProgressEvent("start", index, len(selected), c))
                result = workers.run(c, budget=budget)
                results.append(result)
                if progress is not None:
                    progress(ProgressEvent("end", index, len(selected), c, result))
    except KeyboardInterrupt as stop:
        if not hasattr(stop, "results"):
            setattr(stop, "results", results)  # noqa: B010 - the finished results travel with Ctrl-C
        raise
    return results


def stderr_progress(event: ProgressEvent) -> None:
    """Print one line per claim start and end on stderr (flushed at once).

    >>> import contextlib, io
    >>> from symequi.report.claims import Claim
    >>> err = io.StringIO()
    >>> with contextlib.redirect_stderr(err):
    ...     stderr_progress(ProgressEvent("start", 2, 5, Claim("paper-eq5", "Eq. 5", None)))
    >>> print(err.getvalue(), end="")
    [2/5] paper-eq5 ...
    """
    prefix = f"[{event.index}/{event.total}] {event.claim.id}"
    if event.kind == "start":
        line = f"{prefix} ..."
    else:
        r = event.result
        assert r is not None
        by = f", decider: {r.decider}" if r.decider else ""
        line = f"{prefix}: {r.status} ({r.obtained}, expected {r.expected}; {r.seconds:.2f} s{by})"
    print(line, file=sys.stderr, flush=True)


def _summary(results: Sequence[ClaimResult]) -> str:
    counts: dict[str, int] = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    noun = "claim" if len(results) == 1 else "claims"
    parts = [f"{counts[s]} {s}" for s in ("OK", "MISMATCH", "ERROR") if s in counts]
    return f"{len(results)} {noun}: " + (", ".join(parts) if parts else "none run")


def format_table(results: Sequence[ClaimResult], *, seconds: bool = True) -> str:
    """A plain-text table: claim, expected, verdict, decider, seconds, status
    (``OK``, ``MISMATCH`` or ``ERROR``), then a one-line summary.

    ``seconds=False`` leaves out the timing column (for reproducible output).

    >>> from symequi.report.claims import Claim, ClaimResult
    >>> from symequi.report.derivation import Derivation
    >>> from symequi.core.verdict import Proved
    >>> c = Claim("sum", "1 + 1 = 2", None)
    >>> r = ClaimResult(c, Proved("1 + 1 = 2", decider="symbolic"), Derivation("sum"), 0.25)
    >>> print(format_table([r], seconds=False))
    claim  expected  verdict  decider   status
    -----  --------  -------  --------  ------
    sum    proved    proved   symbolic  OK
    1 claim: 1 OK
    """
    header = ["claim", "expected", "verdict", "decider"] + (["seconds"] if seconds else []) + ["status"]
    rows = []
    for r in results:
        row = [r.id, r.expected, r.obtained, r.decider or "-"]
        if seconds:
            row.append(f"{r.seconds:.2f}")
        row.append(r.status)
        rows.append(row)
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows)]
    numeric = {header.index("seconds")} if seconds else set()

    def line(cells: list[str]) -> str:
        return "  ".join(c.rjust(w) if i in numeric else c.ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    out = [line(header), line(["-" * w for w in widths])] + [line(r) for r in rows]
    out.append(_summary(results))
    return "\n".join(out)


def _exact_strings(value: Any) -> list[Any]:
    """A witness value as exact strings: a Signal's entries (nested lists for
    2-D), a list or tuple entry by entry, any other value a one-item list."""
    if hasattr(value, "to_list") and hasattr(value, "shape"):
        value = value.to_list()
    if isinstance(value, (list, tuple)):
        return [_exact_strings(v) if isinstance(v, (list, tuple)) else str(v) for v in value]
    return [str(value)]


def _witness(verdict: Any) -> dict[str, Any] | None:
    if verdict is None or verdict.kind != "counterexample":
        return None
    return {
        "input": _exact_strings(verdict.input),
        "lhs": _exact_strings(verdict.lhs),
        "rhs": _exact_strings(verdict.rhs),
        "difference": None if verdict.difference is None else _exact_strings(verdict.difference),
        "functions": {str(k): str(v) for k, v in (verdict.functions or {}).items()},
    }


def results_to_json(results: Sequence[ClaimResult]) -> list[dict[str, Any]]:
    """The results as JSON-ready dicts, one per claim, following the JSON
    schema shipped as ``symequi/report/results.schema.json`` (every key is
    described there): id, title, expected, verdict, decider, seconds, ok,
    status, error, location, file, tags, statement, refuted_statement,
    conventions, witness, holds_for, reason, verdict_text.

    ``verdict`` is ``proved``, ``refuted``, ``undecided`` or ``error``;
    ``refuted_statement`` is what a counterexample establishes (None for other
    verdicts); ``conventions`` is the verdict's conventions, a list of strings;
    ``witness`` (counterexamples only, else None) holds ``input``, ``lhs``,
    ``rhs`` and ``difference`` as lists of exact strings (nested for 2-D
    signals) and ``functions`` as a name-to-text mapping.

    >>> from symequi.report.claims import Claim, ClaimResult
    >>> from symequi.report.derivation import Derivation
    >>> from symequi.core.verdict import Counterexample, Proved
    >>> from symequi.core.signal import Signal
    >>> v = Proved("1 + 1 = 2", conventions=("integers", "base 10"))
    >>> r = ClaimResult(Claim("sum", "1 + 1 = 2", None), v, Derivation("sum"), 0.25)
    >>> row = results_to_json([r])[0]
    >>> row["id"], row["verdict"], row["ok"], row["status"], row["conventions"]
    ('sum', 'proved', True, 'OK', ['integers', 'base 10'])
    >>> v = Counterexample("x^2 is linear", input=Signal([1, 2]), lhs=Signal([4, 16]), rhs=Signal([2, 8]))
    >>> r = ClaimResult(Claim("sq", "x^2 is linear", None, expect="refuted"), v, Derivation("sq"), 0.5)
    >>> results_to_json([r])[0]["witness"]
    {'input': ['1', '2'], 'lhs': ['4', '16'], 'rhs': ['2', '8'], 'difference': ['2', '8'], 'functions': {}}
    """
    out = []
    for r in results:
        v = r.verdict
        out.append({
            "id": r.id,
            "title": r.title,
            "expected": r.expected,
            "verdict": r.obtained,
            "decider": r.decider,
            "seconds": round(r.seconds, 6),
            "ok": r.ok,
            "status": r.status,
            "error": r.error,
            "location": r.location,
            "file": None if r.file is None else str(r.file),
            "tags": list(r.claim.tags),
            "statement": None if v is None else str(v.statement),
            "refuted_statement": getattr(v, "refuted_statement", None),
            "conventions": [] if v is None else [str(c) for c in v.conventions],
            "witness": _witness(v),
            "holds_for": getattr(v, "holds_for", None),
            "reason": getattr(v, "reason", None),
            "verdict_text": None if v is None else v.text(),
        })
    return out


def failures(results: Sequence[ClaimResult], *, traceback: bool = False) -> list[str]:
    """One line per result that is not OK, naming the claim and what went wrong;
    an error names the ``file:line`` of the failing line in the claim.
    ``traceback=True`` adds the whole traceback below an error (the CLI's
    ``--traceback``).

    >>> failures([])
    []
    """
    lines = []
    for r in results:
        if r.ok:
            continue
        if r.status == "ERROR":
            last = (r.error or "").strip().splitlines()[-1:] or ["unknown error"]
            place = r.location or (str(r.file) if r.file else None)
            where = f" ({place})" if place else ""
            lines.append(f"ERROR {r.id}{where}: {last[0]}")
            if traceback and r.error:
                lines += ["    " + line for line in r.error.rstrip().splitlines()]
        else:
            reason = ""
            if r.verdict is not None and r.verdict.undecided:
                reason = f": {getattr(r.verdict, 'reason', '')}"
            lines.append(f"MISMATCH {r.id}: expected {r.expected}, got {r.obtained}{reason}")
    return lines
