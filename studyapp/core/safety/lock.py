"""Single-instance lock: one app (GUI or CLI) at a time per data folder."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from types import TracebackType

from studyapp.core.errors import StudyAppError

LOCK_NAME = "studyapp.lock"


class InstanceLockedError(StudyAppError):
    """Another process already has the data folder open."""


class LockFileError(StudyAppError):
    """The data folder or its lock file cannot be used."""


class InstanceLock:
    """An exclusive lock on ``<data_dir>/studyapp.lock``.

    The operating system drops the lock when the holder exits, even after a
    crash or SIGKILL, so a stale lock file never blocks the next start. The
    file itself is never removed: deleting it would let two processes lock
    two different files of the same name.
    """

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / LOCK_NAME
        self._fd: int | None = None

    @property
    def is_held(self) -> bool:
        """Whether this object holds the lock."""
        return self._fd is not None

    def acquire(self) -> None:
        """Take the lock, or refuse at once if another instance holds it.

        Raises:
            InstanceLockedError: If the folder is in use by another instance.
        """
        if self._fd is not None:
            return
        fd = self._open()
        try:
            _lock(fd)
        except OSError:
            holder = _read_pid(fd)
            os.close(fd)
            who = f"process {holder}" if holder else "another process"
            raise InstanceLockedError(
                f"StudyApp is already running on the data folder {self.path.parent} "
                f"({who}). Close it first, or use another folder with --data-dir."
            ) from None
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        except OSError:
            pass  # the pid is only a hint for the message above
        self._fd = fd

    def _open(self) -> int:
        """Open the lock file: never through a symlink, only a regular file.

        Raises:
            LockFileError: If the folder or the lock file cannot be used.
        """
        folder = self.path.parent
        if folder.exists() and not folder.is_dir():
            raise LockFileError(
                f"the data folder {folder} is a file, not a folder; "
                "choose a folder with --data-dir"
            )
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, flags | getattr(os, "O_NONBLOCK", 0), 0o644)
        except OSError as error:
            raise LockFileError(
                f"cannot use the data folder {folder}: {self.path.name}: "
                f"{error.strerror}. Make the folder writable, remove anything "
                "else named so, or choose another folder with --data-dir"
            ) from None
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise LockFileError(
                f"{self.path} is not a regular file; remove it and start again"
            )
        return fd

    def release(self) -> None:
        """Give the lock back (closing the file releases it)."""
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)

    def __enter__(self) -> InstanceLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()


if sys.platform == "win32":
    import msvcrt

    def _lock(fd: int) -> None:
        # Locks byte 0; others then cannot read the pid, so the message omits it.
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        # flock locks belong to the open file, so a second open in the same
        # process is refused too, and the lock ends with the process.
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _read_pid(fd: int) -> int | None:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        text = os.read(fd, 32).decode("ascii", "replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None
