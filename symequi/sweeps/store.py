"""Sweep results in one SQLite file: a row per case, written as results arrive.

Why SQLite: it ships with Python, a single file is easy to move and query, and
each write is a transaction, so a sweep killed at any moment leaves every row
it committed intact (the journal rolls back a half-written transaction) and a
rerun skips the finished cases.  One writer at a time: a sweep takes an
exclusive lock (``flock`` on ``<file>.lock``) and a second sweep on the same
file is refused with a clear error instead of interleaving.

Columns of ``cases``: ``key`` (the case's stable key, primary key), ``params``
(JSON), ``verdict`` (``proved``, ``refuted``, ``undecided``, ``error``),
``decider``, ``seconds``, ``witness`` (exact JSON for a refutation),
``reason`` (why undecided), ``error`` (traceback), ``finished`` (UTC time),
``defect`` (the exact defect curve as JSON, when the spec sets ``defect_delta``;
files written before this column existed gain it when a sweep opens them).

Example
-------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "s.sqlite"
>>> with ResultStore(path) as store:
...     _ = store.write([("k1", {"operator": "relu"}, {"verdict": "proved", "decider": "smt", "seconds": 0.1})])
...     sorted(store.done_keys())
['k1']
>>> [r["verdict"] for r in read_rows(path)]
['proved']
"""

from __future__ import annotations

import datetime
import fcntl
import json
import os
import pathlib
import sqlite3
from collections.abc import Iterable
from typing import Any

from ..core.errors import SymequiError
from ..core.texts import brief

__all__ = ["ResultStore", "StoreLockedError", "read_rows"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS cases (
    key TEXT PRIMARY KEY,
    params TEXT NOT NULL,
    verdict TEXT NOT NULL CHECK (verdict IN ('proved', 'refuted', 'undecided', 'error')),
    decider TEXT,
    seconds REAL,
    witness TEXT,
    reason TEXT,
    error TEXT,
    finished TEXT NOT NULL,
    defect TEXT
)
"""
#: Columns added after the first release, with their types: a file written before them is migrated.
_ADDED = {"defect": "TEXT"}
_COLUMNS = ("key", "params", "verdict", "decider", "seconds", "witness", "reason", "error", "finished", "defect")


class StoreLockedError(SymequiError, RuntimeError):
    """Another sweep is writing to the same results file.

    >>> issubclass(StoreLockedError, SymequiError)
    True
    """


class ResultStore:
    """The results file of one running sweep (a context manager holding the write lock)."""

    def __init__(self, path: str | pathlib.Path) -> None:
        self.path = pathlib.Path(path)
        self._lock_file: Any = None
        self._db: sqlite3.Connection | None = None

    def __enter__(self) -> "ResultStore":
        if self.path.exists() and self.path.is_dir():
            raise SymequiError(f"out={repr(brief(self.path, str))} is a folder; give a file name such as atlas.sqlite")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._lock_file = open(f"{self.path}.lock", "a")  # noqa: SIM115 - held for the store's life
        except OSError as err:
            raise SymequiError(f"out={repr(brief(self.path, str))} cannot be written: {brief(err.strerror, str)}") from None
        try:
            fcntl.flock(self._lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock_file.close()
            raise StoreLockedError(
                f"another sweep is writing to {repr(brief(self.path, str))}; wait for it to finish, or give another --out"
            ) from None
        try:
            self._db = sqlite3.connect(self.path, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(_SCHEMA)
            have = {r[1] for r in self._db.execute("PRAGMA table_info(cases)")}
            for name, kind in _ADDED.items():
                if name not in have:
                    self._db.execute(f"ALTER TABLE cases ADD COLUMN {name} {kind}")
            self._db.commit()
        except sqlite3.DatabaseError as err:
            self.__exit__(None, None, None)
            raise SymequiError(f"out={repr(brief(self.path, str))} is not a symequi results file ({brief(err, str)})") from None
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._lock_file is not None:
            fcntl.flock(self._lock_file, fcntl.LOCK_UN)
            self._lock_file.close()
            self._lock_file = None
            try:
                os.unlink(f"{self.path}.lock")
            except OSError:
                pass

    def _require(self) -> sqlite3.Connection:
        if self._db is None:
            raise SymequiError("the results store is not open; use it as `with ResultStore(path) as store:`")
        return self._db

    def done_keys(self) -> set[str]:
        """The keys of the cases already recorded."""
        return {k for (k,) in self._require().execute("SELECT key FROM cases")}

    def write(self, rows: Iterable[tuple[str, dict[str, Any], dict[str, Any]]]) -> int:
        """Record ``(key, params, result)`` rows in one transaction; returns how many."""
        now = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
        data = [(key, json.dumps(params, sort_keys=True), r["verdict"], r.get("decider"), r.get("seconds"),
                 r.get("witness"), r.get("reason"), r.get("error"), now, r.get("defect")) for key, params, r in rows]
        db = self._require()
        with db:  # one transaction: all of these rows or none
            db.executemany(f"INSERT OR REPLACE INTO cases ({', '.join(_COLUMNS)}) "
                           f"VALUES ({', '.join('?' for _ in _COLUMNS)})", data)
        return len(data)


def read_rows(path: str | pathlib.Path) -> list[dict[str, Any]]:
    """Every row of a results file, with ``params`` decoded (read-only; no lock needed).

    See the module example.
    """
    file = pathlib.Path(path)
    if not file.is_file():
        raise SymequiError(f"results={repr(brief(file, str))} does not exist; run `symequi sweep SPEC --out {brief(file, str)}` first")
    try:
        db = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
        try:
            db.row_factory = sqlite3.Row
            rows = [dict(r) for r in db.execute("SELECT * FROM cases ORDER BY finished, key")]
        finally:
            db.close()
    except sqlite3.DatabaseError as err:
        raise SymequiError(f"results={repr(brief(file, str))} is not a symequi results file ({brief(err, str)})") from None
    for r in rows:
        r["params"] = json.loads(r["params"])
        r.setdefault("defect", None)  # a file from before the column
    return rows
