"""Scratch folders for unpacking packages, inside the data folder.

An Anki package is unpacked into ``<data dir>/tmp/``, never the system temp
folder: if the process is killed mid-import, the next start (which holds the
single-instance lock, so nobody else is using them) removes what was left.
"""

from __future__ import annotations

import shutil
from pathlib import Path

SCRATCH_NAME = "tmp"


def scratch_dir(data_dir: Path) -> Path:
    """The scratch folder of a data folder (created if missing)."""
    folder = data_dir / SCRATCH_NAME
    folder.mkdir(exist_ok=True)
    return folder


def clean_scratch(data_dir: Path) -> None:
    """Remove everything left in the scratch folder by an earlier run.

    Call only while holding the data folder's lock. A symlink is removed,
    never followed.
    """
    folder = data_dir / SCRATCH_NAME
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        folder.unlink()
        return
    if not folder.is_dir():
        return
    for entry in folder.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
