"""Write files whole or not at all.

A result that took minutes to prove must never be lost to a half-written file
(a full disk, a crash, Ctrl-C in the middle of a write).  Both writers here put
the data in a temporary file in the destination's folder, flush and ``fsync``
it, then :func:`os.replace` it over the destination in one atomic step.  On any
failure the temporary file is removed and the destination keeps its old
content (or stays absent).

The new file gets the permissions an ordinary ``open(path, "w")`` would give it
(or the permissions of the file it replaces), not the private 0600 of a
temporary file.

Example
-------
>>> import tempfile, pathlib
>>> from symequi.report.files import write_text_atomic
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> path = write_text_atomic(folder / "result.txt", "Proved\\n")
>>> path.read_text()
'Proved\\n'
>>> sorted(p.name for p in folder.iterdir())
['result.txt']
"""

from __future__ import annotations

import contextlib
import os
import pathlib
import stat
import tempfile

from ..core.errors import InvalidArgumentError, SymequiError
from ..core.texts import brief

__all__ = ["write_text_atomic", "write_bytes_atomic", "check_output_folder", "check_output_file"]


def _check_path(path: str | os.PathLike[str]) -> pathlib.Path:
    if not isinstance(path, (str, os.PathLike)):
        raise InvalidArgumentError(f"path={brief(path)} must be a str or pathlib.Path, not {type(path).__name__}")
    target = pathlib.Path(path)
    if target.is_dir():
        raise InvalidArgumentError(f"path={repr(brief(target, str))} is a folder; give the path of a file to write")
    if not target.parent.is_dir():
        raise InvalidArgumentError(
            f"path={repr(brief(target, str))}: its folder {repr(brief(target.parent, str))} does not exist; create it first"
        )
    return target


def _new_file_mode(target: pathlib.Path) -> int:
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _fsync_folder(folder: pathlib.Path) -> None:
    # Make the rename itself durable; not every platform lets us open a folder.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> pathlib.Path:
    """Write ``data`` to ``path`` atomically; return the path.

    The folder must exist.  Readers see either the old file or the complete new
    one, never a partial write; on failure nothing is left behind.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "blob.bin"
    >>> write_bytes_atomic(target, b"\\x00\\x01").read_bytes()
    b'\\x00\\x01'
    """
    target = _check_path(path)
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise InvalidArgumentError(
            f"data must be bytes, not {type(data).__name__}; use write_text_atomic for text"
        )
    mode = _new_file_mode(target)
    # a short temporary name: a target name near the length limit must not make it too long
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name[:40]}.", suffix=".tmp", dir=target.parent)
    tmp = pathlib.Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException as err:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(err, OSError):
            raise SymequiError(f"could not write {repr(brief(target, str))}: {brief(err, str)}; the old content is unchanged") from err
        raise
    _fsync_folder(target.parent)
    return target


def write_text_atomic(path: str | os.PathLike[str], text: str, *, encoding: str = "utf-8") -> pathlib.Path:
    """Write ``text`` to ``path`` atomically (encoded with ``encoding``); return the path.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "table.txt"
    >>> write_text_atomic(target, "delta = 1/2\\n").read_text()
    'delta = 1/2\\n'
    """
    if not isinstance(text, str):
        raise InvalidArgumentError(f"text must be a str, not {type(text).__name__}")
    try:
        data = text.encode(encoding)
    except LookupError as err:
        raise InvalidArgumentError(f"encoding={brief(encoding)} is not a known text encoding") from err
    except UnicodeEncodeError as err:
        raise InvalidArgumentError(
            f"text cannot be encoded as {brief(encoding, str)}: {brief(err.reason, str)} at position {brief(err.start, str)}; "
            "choose another encoding= or remove the character"
        ) from err
    return write_bytes_atomic(path, data)


# --- checking output paths before the work starts ----------------------------------------------
def _name_max(folder: pathlib.Path) -> int:
    existing = folder
    while not existing.is_dir() and existing != existing.parent:
        existing = existing.parent
    try:
        return int(os.pathconf(existing, "PC_NAME_MAX"))
    except (OSError, ValueError):
        return 255


def _check_names(path: pathlib.Path, name: str) -> None:
    limit = _name_max(path.parent)
    for part in path.parts:
        size = len(os.fsencode(part))
        if size > limit:
            raise InvalidArgumentError(
                f"{name}: the name {brief(part[:40])}... is {brief(size, str)} bytes long; this file system allows at most "
                f"{brief(limit, str)} bytes per file or folder name; choose a shorter name"
            )


def check_output_folder(path: str | os.PathLike[str], name: str = "path") -> pathlib.Path:
    """Check that files can be written in the folder ``path`` (or that it can
    be created) and return it; nothing is created.  Call it *before* long work
    whose results go there.

    Raises :class:`InvalidArgumentError` naming ``name`` (e.g. the option
    ``--out``) when the path or one of its parents is a file, a name is too
    long for the file system, or the folder (or its nearest existing parent)
    cannot be written to.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> check_output_folder(folder / "out", "--out").name
    'out'
    >>> _ = (folder / "taken").write_text("")
    >>> check_output_folder(folder / "taken", "--out")
    Traceback (most recent call last):
    ...
    symequi.core.errors.InvalidArgumentError: --out: ... is a file, not a folder; give the path of a folder
    """
    if not isinstance(path, (str, os.PathLike)):
        raise InvalidArgumentError(f"{name}={brief(path)} must be a folder path")
    folder = pathlib.Path(path)
    _check_names(folder, name)
    existing = folder.absolute()
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        where = "" if existing == folder.absolute() else f" cannot be created: {repr(brief(existing, str))}"
        raise InvalidArgumentError(
            f"{name}: {repr(brief(folder, str))}{where} is a file, not a folder; give the path of a folder"
        )
    try:
        fd, probe = tempfile.mkstemp(prefix=".symequi-write-check-", dir=existing)
        os.close(fd)
        os.unlink(probe)
    except OSError as err:
        raise InvalidArgumentError(
            f"{name}: cannot write in the folder {repr(brief(existing, str))} ({brief(err.strerror or err, str)}); "
            "choose a folder you can write to"
        ) from err
    return folder


def check_output_file(path: str | os.PathLike[str], name: str = "path", *, suffix: str | None = None) -> pathlib.Path:
    """Check that the file ``path`` can be written (its folder may be missing:
    writers create it) before long work whose result goes there; return it.

    ``suffix`` (e.g. ``".tex"``) is the required file name ending.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> check_output_file(folder / "doc" / "proofs.tex", "--latex", suffix=".tex").name
    'proofs.tex'
    >>> check_output_file(folder / ("x" * 300 + ".tex"), "--latex")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    symequi.core.errors.InvalidArgumentError: --latex: the name 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'... is 304 bytes long; ...
    """
    if not isinstance(path, (str, os.PathLike)):
        raise InvalidArgumentError(f"{name}={brief(path)} must be a file path")
    target = pathlib.Path(path)
    if suffix is not None and target.suffix != suffix:
        raise InvalidArgumentError(f"{name}: {repr(brief(target, str))} must end in {brief(suffix, str)}")
    _check_names(target, name)
    if target.is_dir():
        raise InvalidArgumentError(f"{name}: {repr(brief(target, str))} is a folder; give the path of a file to write")
    check_output_folder(target.parent, name)
    return target
