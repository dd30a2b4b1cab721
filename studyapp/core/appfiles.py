"""Where the files shipped with the app are: bundled decks, source texts, icons."""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

import platformdirs

#: Inside an installed wheel: studyapp/_data/{decks,resources} (pyproject.toml
#: maps the repository's top-level folders there with hatch force-include).
PACKAGE_DATA = "_data"
#: The environment variable that names another data folder.
DATA_DIR_ENV = "STUDYAPP_DATA_DIR"
_CHECKOUT = Path(__file__).resolve().parents[2]


def bundled_dir(name: str) -> Path:
    """A folder shipped with the app: ``"decks"`` or ``"resources"``.

    The installed wheel's copy comes first, so an installed app never picks up
    a stray ``decks`` folder next to site-packages; a checkout (or an editable
    install) has no package copy and uses the repository's folder.
    """
    packaged = files("studyapp") / PACKAGE_DATA / name
    # A wheel installed by pip, pipx or uv is a folder, so files() gives a
    # Path; a zipped package would not, and has no bundled files to offer.
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged
    return _CHECKOUT / name


def default_data_dir() -> Path:
    """Where the database lives: $STUDYAPP_DATA_DIR, else the user's data folder."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir("StudyApp", appauthor=False))


def bundled_decks_dir() -> Path:
    """The decks shipped with the app (installed wheel or repository checkout)."""
    return bundled_dir("decks")
