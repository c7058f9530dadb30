"""The results file: rows survive, one writer at a time, bad files are refused clearly."""

from __future__ import annotations

import pytest

from symequi.core.errors import SymequiError
from symequi.sweeps.store import ResultStore, StoreLockedError, read_rows

ROW = {"verdict": "refuted", "decider": "smt", "seconds": 0.25, "witness": '{"input": ["1/2"]}'}


def test_rows_are_written_and_read_back(tmp_path):
    path = tmp_path / "r.sqlite"
    with ResultStore(path) as store:
        store.write([("a", {"shift": "1/2"}, ROW), ("b", {"shift": "1"}, {"verdict": "proved"})])
        assert store.done_keys() == {"a", "b"}
    rows = {r["key"]: r for r in read_rows(path)}
    assert rows["a"]["params"] == {"shift": "1/2"} and rows["a"]["witness"] == ROW["witness"]
    assert rows["b"]["verdict"] == "proved"
    assert not (tmp_path / "r.sqlite.lock").exists()


def test_a_second_writer_is_refused(tmp_path):
    path = tmp_path / "r.sqlite"
    with ResultStore(path):
        with pytest.raises(StoreLockedError, match="another sweep is writing"):
            with ResultStore(path):
                pass


def test_not_a_results_file(tmp_path):
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(SymequiError, match="not a symequi results file"):
        with ResultStore(junk):
            pass
    with pytest.raises(SymequiError, match="does not exist"):
        read_rows(tmp_path / "none.sqlite")


def test_a_file_from_before_the_defect_column_is_migrated(tmp_path):
    import sqlite3

    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE cases (key TEXT PRIMARY KEY, params TEXT NOT NULL, verdict TEXT NOT NULL, decider TEXT, "
               "seconds REAL, witness TEXT, reason TEXT, error TEXT, finished TEXT NOT NULL)")
    db.execute("INSERT INTO cases VALUES ('old', '{}', 'proved', 'smt', 0.1, NULL, NULL, NULL, 'then')")
    db.commit()
    db.close()
    assert read_rows(path)[0]["defect"] is None  # readable before any migration
    with ResultStore(path) as store:
        store.write([("new", {"shift": "1/2"}, {**ROW, "defect": '{"pieces": []}'})])
    rows = {r["key"]: r for r in read_rows(path)}
    assert rows["old"]["defect"] is None and rows["new"]["defect"] == '{"pieces": []}'
