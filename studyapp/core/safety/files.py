"""Open untrusted files safely: regular files only, never blocking, size-capped.

A deck folder can hold a symlink to ``/dev/zero`` or a FIFO named
``x.yaml``; reading either would never end. Every file StudyApp reads from
a deck, package or text file goes through ``read_regular``: it opens with
``O_NONBLOCK`` (so a FIFO cannot hang the open), checks with ``fstat`` that
what it opened is a regular file, and reads at most ``limit`` bytes.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO, TextIO

from studyapp.core.errors import StudyAppError

_CHUNK = 1024**2


class UnsafeFileError(StudyAppError):
    """A file that is not a regular file, is too large, or cannot be read."""


def read_regular(path: Path, limit: int, *, what: str = "file") -> bytes:
    """The bytes of the regular file ``path``, refusing more than ``limit``.

    Raises:
        UnsafeFileError: With a message saying what is wrong and what to do.
    """
    fd = _open_checked(path, limit, what)
    try:
        chunks, total = [], 0
        while chunk := os.read(fd, min(_CHUNK, limit + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # it grew while we read
                raise UnsafeFileError(too_large(what, total, limit))
        return b"".join(chunks)
    except OSError as error:
        raise UnsafeFileError(f"cannot read the {what}: {error.strerror}") from None
    finally:
        os.close(fd)


def open_regular(path: Path, limit: int, *, what: str = "file") -> BinaryIO:
    """``path`` opened for reading bytes if it is a regular file within ``limit``.

    The caller reads it in pieces and checks the limit as it goes: the file
    may grow while it is read.

    Raises:
        UnsafeFileError: As `read_regular` would.
    """
    return open(_open_checked(path, limit, what), "rb", buffering=0)


def open_regular_text(path: Path, limit: int, *, what: str = "file") -> TextIO:
    """``path`` opened as UTF-8 text (a BOM skipped) if it is a regular file.

    Raises:
        UnsafeFileError: As `read_regular` would.
    """
    fd = _open_checked(path, limit, what)
    return open(fd, encoding="utf-8-sig", newline="")


def check_regular(path: Path, limit: int, *, what: str = "file") -> int:
    """The size of ``path`` if it is a regular file within ``limit``.

    Raises:
        UnsafeFileError: As `read_regular` would.
    """
    fd = _open_checked(path, limit, what)
    try:
        return os.fstat(fd).st_size
    finally:
        os.close(fd)


def _open_checked(path: Path, limit: int, what: str) -> int:
    """Open without blocking (a FIFO), then check what was opened (``fstat``)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        raise UnsafeFileError(f"cannot open the {what}: {error.strerror}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = _kind(info.st_mode)
            raise UnsafeFileError(
                f"the {what} is not a regular file ({kind}); use a plain file"
            )
        if info.st_size > limit:
            raise UnsafeFileError(too_large(what, info.st_size, limit))
    except BaseException:
        os.close(fd)
        raise
    return fd


def too_large(what: str, size: int, limit: int) -> str:
    """The message for a file over its size limit."""
    return (
        f"the {what} is {_size(size)}; {what}s are limited to {_size(limit)}: "
        "split it into smaller files"
    )


def _size(count: int) -> str:
    mib = 1024 * 1024
    return f"{count // mib} MiB" if count >= mib else f"{count:,} bytes"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a plain file"
