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

__all__ = ["write_text_atomic", "write_bytes_atomic"]


def _check_path(path: str | os.PathLike[str]) -> pathlib.Path:
    if not isinstance(path, (str, os.PathLike)):
        raise InvalidArgumentError(f"path={path!r} must be a str or pathlib.Path, not {type(path).__name__}")
    target = pathlib.Path(path)
    if target.is_dir():
        raise InvalidArgumentError(f"path={str(target)!r} is a folder; give the path of a file to write")
    if not target.parent.is_dir():
        raise InvalidArgumentError(
            f"path={str(target)!r}: its folder {str(target.parent)!r} does not exist; create it first"
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
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
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
            raise SymequiError(f"could not write {str(target)!r}: {err}; the old content is unchanged") from err
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
        raise InvalidArgumentError(f"encoding={encoding!r} is not a known text encoding") from err
    except UnicodeEncodeError as err:
        raise InvalidArgumentError(
            f"text cannot be encoded as {encoding}: {err.reason} at position {err.start}; "
            "choose another encoding= or remove the character"
        ) from err
    return write_bytes_atomic(path, data)
