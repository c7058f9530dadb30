"""Atomic file writes (symequi/report/files.py): whole or not at all."""

from __future__ import annotations

import os
import pathlib
import stat

import pytest

from symequi.core.errors import InvalidArgumentError, SymequiError
from symequi.report import files as atomic
from symequi.report.files import check_output_file, check_output_folder, write_bytes_atomic, write_text_atomic


def _leftovers(folder: pathlib.Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_atomic_write_replaces_whole_file(tmp_path):
    target = tmp_path / "r.txt"
    write_text_atomic(target, "old\n")
    write_text_atomic(target, "new δ\n")
    assert target.read_text(encoding="utf-8") == "new δ\n"
    assert write_bytes_atomic(tmp_path / "b.bin", b"\x00\xff").read_bytes() == b"\x00\xff"
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_failure_leaves_old_content_and_no_temporary_file(tmp_path, monkeypatch, failing):
    target = tmp_path / "r.txt"
    target.write_text("old\n")

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, failing, broken)
    with pytest.raises(SymequiError, match="old content is unchanged"):
        write_text_atomic(target, "new\n" * 1000)
    monkeypatch.undo()
    assert target.read_text() == "old\n"
    assert _leftovers(tmp_path) == []


def test_interrupt_during_write_leaves_nothing(tmp_path, monkeypatch):
    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_bytes_atomic(tmp_path / "new.bin", b"data")
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_permissions_are_those_of_an_ordinary_file(tmp_path):
    umask = os.umask(0o022)
    try:
        fresh = write_text_atomic(tmp_path / "fresh.txt", "x")
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
        kept = tmp_path / "kept.txt"
        kept.write_text("x")
        kept.chmod(0o600)
        write_text_atomic(kept, "y")
        assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    finally:
        os.umask(umask)


def test_atomic_write_checks_arguments(tmp_path):
    with pytest.raises(InvalidArgumentError, match="does not exist"):
        write_text_atomic(tmp_path / "no" / "such" / "f.txt", "x")
    with pytest.raises(InvalidArgumentError, match="is a folder"):
        write_text_atomic(tmp_path, "x")
    with pytest.raises(InvalidArgumentError, match="must be a str"):
        write_text_atomic(tmp_path / "f.txt", b"x")
    with pytest.raises(InvalidArgumentError, match="must be bytes"):
        write_bytes_atomic(tmp_path / "f.bin", "x")
    with pytest.raises(InvalidArgumentError, match="cannot be encoded as ascii"):
        write_text_atomic(tmp_path / "f.txt", "δ", encoding="ascii")
    assert list(tmp_path.iterdir()) == []


def test_accepts_str_paths_and_returns_a_path(tmp_path):
    result = write_text_atomic(str(tmp_path / "s.txt"), "1/3\n")
    assert result == tmp_path / "s.txt" and isinstance(result, pathlib.Path)
    assert (tmp_path / "s.txt").read_bytes() == b"1/3\n"
    # the encoding is honoured: e-acute is the single byte 0xE9 in latin-1
    write_text_atomic(tmp_path / "l.txt", "\u00e9", encoding="latin-1")
    assert (tmp_path / "l.txt").read_bytes() == b"\xe9"
    with pytest.raises(InvalidArgumentError, match="encoding='no-such-codec'"):
        write_text_atomic(tmp_path / "x.txt", "a", encoding="no-such-codec")
    with pytest.raises(InvalidArgumentError, match="path=3 must be a str or pathlib.Path"):
        write_bytes_atomic(3, b"")
    assert _leftovers(tmp_path) == []


def test_a_name_at_the_length_limit_can_be_written(tmp_path):
    # the temporary file must not be longer than the name it replaces
    target = tmp_path / ("n" * 251 + ".tex")
    assert write_text_atomic(target, "x").read_text() == "x"
    assert _leftovers(tmp_path) == []


def test_output_paths_are_checked_without_creating_anything(tmp_path):
    assert check_output_folder(tmp_path / "a" / "b", "--out") == tmp_path / "a" / "b"
    assert check_output_file(tmp_path / "c" / "d.tex", "--latex", suffix=".tex") == tmp_path / "c" / "d.tex"
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # nothing created, no probe left behind
    (tmp_path / "file").write_text("")
    with pytest.raises(InvalidArgumentError, match=r"^--out: '.*file' is a file, not a folder"):
        check_output_folder(tmp_path / "file", "--out")
    with pytest.raises(InvalidArgumentError, match=r"^--out: '.*sub' cannot be created: '.*file' is a file"):
        check_output_folder(tmp_path / "file" / "sub", "--out")
    with pytest.raises(InvalidArgumentError, match=r"^--latex: '.*' is a folder; give the path of a file"):
        check_output_file(tmp_path, "--latex")
    with pytest.raises(InvalidArgumentError, match=r"^--latex: '.*doc.txt' must end in \.tex"):
        check_output_file(tmp_path / "doc.txt", "--latex", suffix=".tex")
    with pytest.raises(InvalidArgumentError,
                       match=r"^--latex: the name .x{40}.\.\.\. is 260 bytes long; this file system allows at most 255"):
        check_output_file(tmp_path / ("x" * 256 + ".tex"), "--latex")
    with pytest.raises(InvalidArgumentError, match=r"^--out: the name .* is 510 bytes long"):
        check_output_folder(tmp_path / ("\u00e9" * 255), "--out")  # bytes, not characters, count
    with pytest.raises(InvalidArgumentError, match="must be a folder path"):
        check_output_folder(3, "--out")


def test_a_folder_that_cannot_be_written_is_refused(tmp_path):
    readonly = tmp_path / "readonly"
    readonly.mkdir()
    readonly.chmod(0o555)
    if os.access(readonly, os.W_OK):  # root writes anyway; /sys refuses new files even to root
        readonly = pathlib.Path("/sys")
    with pytest.raises(InvalidArgumentError, match=r"^--latex: cannot write in the folder '.*' \(.+\); choose"):
        check_output_file(readonly / "doc.tex", "--latex")
    with pytest.raises(InvalidArgumentError, match=r"^--out: cannot write in the folder"):
        check_output_folder(readonly / "new" / "figures", "--out")
