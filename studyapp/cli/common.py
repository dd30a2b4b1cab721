"""What every subcommand shares: opening the library, the parser types."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeAlias

from studyapp.core.library import Library

Handler = Callable[[argparse.Namespace], int]
if TYPE_CHECKING:  # argparse's class is generic only to type checkers
    Subparsers: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]


def open_library(args: argparse.Namespace) -> Library:
    """Open the collection named by --data-dir, importing bundled decks if new."""
    library = Library.open(args.data_dir)
    if not getattr(args, "no_bundled", False):
        library.import_bundled_if_empty()
    return library
