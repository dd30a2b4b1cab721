"""Read YAML deck files, validate them and report problems as file:line:col."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from studyapp.core.checker import Located
from studyapp.core.deckschema import check_deck
from studyapp.core.errors import DeckError, Problem
from studyapp.core.gcpause import gc_paused
from studyapp.core.model import Deck
from studyapp.core.yamlfast import parse as parse_fast

try:  # the C loader is several times faster; fall back when libyaml is absent
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

# A 45 MiB deck of 100k cards peaks near 470 MiB while importing; this keeps
# the worst case near 1.3 GiB.
MAX_DECK_BYTES = 128 * 1024 * 1024
DECK_SUFFIXES = (".yaml", ".yml")


class _DeckLoader(_BaseLoader):
    """Safe loader that reports duplicate mapping keys instead of keeping one."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[int, int, str]] = []

    def construct_mapping(
        self, node: yaml.MappingNode, deep: bool = False
    ) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = key_node.value
            if key in seen:
                mark = key_node.start_mark
                self.duplicates.append((mark.line + 1, mark.column + 1, str(key)))
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _parse_safe(path: Path, text: str) -> tuple[Any, list[Problem]]:
    """Parse with PyYAML's safe loader, which gives positions for errors."""
    loader = _DeckLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as error:
        raise DeckError([_yaml_problem(path, error)]) from None
    finally:
        loader.dispose()
    problems = [
        Problem(str(path), line, col, f"duplicate key '{key}'")
        for line, col, key in loader.duplicates
    ]
    return data, problems


def find_deck_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders into the deck files under them, sorted; keep files as given."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(p for p in path.rglob("*") if p.suffix in DECK_SUFFIXES)
            )
        else:
            found.append(path)
    return found


def load_deck(path: Path) -> Deck:
    """Read and validate one deck file.

    Args:
        path: The YAML file.

    Returns:
        The deck, with its sources' texts loaded.

    Raises:
        DeckError: Listing every problem in the file, each with line and column.
    """
    text = _read_text(path)
    with gc_paused():
        data = parse_fast(text)
        problems: list[Problem] = []
        if data is None:
            data, problems = _parse_safe(path, text)
        deck, located = check_deck(data, path)
    if located:
        problems.extend(_place(path, text, located))
    if problems or deck is None:
        problems.sort(key=lambda p: (p.line, p.column))
        raise DeckError(problems)
    return deck


def validate_paths(paths: Iterable[Path]) -> list[Problem]:
    """Validate deck files (folders are searched); return every problem found."""
    problems: list[Problem] = []
    files = find_deck_files(paths)
    if not files:
        return [Problem(str(p), 1, 1, "no deck files (*.yaml) found") for p in paths]
    for file in files:
        try:
            load_deck(file)
        except DeckError as error:
            problems.extend(error.problems)
    return problems


def _read_text(path: Path) -> str:
    where = str(path)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise DeckError(
            [Problem(where, 1, 1, f"cannot read: {error.strerror}")]
        ) from None
    if size > MAX_DECK_BYTES:
        limit = MAX_DECK_BYTES // (1024 * 1024)
        message = (
            f"file is {size // (1024 * 1024)} MiB; decks are limited to "
            f"{limit} MiB: split it into several decks"
        )
        raise DeckError([Problem(where, 1, 1, message)])
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        message = "not UTF-8 text; save the file as UTF-8"
        raise DeckError([Problem(where, line, 1, message)]) from None
    except OSError as error:
        raise DeckError(
            [Problem(where, 1, 1, f"cannot read: {error.strerror}")]
        ) from None


def _yaml_problem(path: Path, error: yaml.YAMLError) -> Problem:
    # A scanner error's context mark is where the bad construct began (an
    # unclosed quote, say), which is where the author has to look.
    mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    reason = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None)
    if context and not isinstance(error, yaml.constructor.ConstructorError):
        reason = f"{context}, {reason}"
    if isinstance(error, yaml.constructor.ConstructorError):
        reason = f"{reason}; only plain YAML values are allowed (no !! tags)"
    else:
        reason = f"YAML syntax error: {reason}"
    return Problem(str(path), line, col, reason)


def _place(path: Path, text: str, located: list[Located]) -> list[Problem]:
    """Turn problems found in the data into problems with positions.

    Positions are only needed when something is wrong, so the node tree (which
    carries them) is composed on this slow path only.
    """
    try:
        root = yaml.compose(text, Loader=_BaseLoader)
    except yaml.YAMLError as error:  # yaml-rs read what the safe loader refuses
        raise DeckError([_yaml_problem(path, error)]) from None
    problems = []
    for item in located:
        node, key_node = root, None
        for step in item.where:
            found_key, found = _child(node, step)
            if found is None:
                break
            node, key_node = found, found_key
        target = key_node if (item.at_key and key_node is not None) else node
        mark = target.start_mark if target is not None else None
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problems.append(Problem(str(path), line, col, item.message))
    return problems


def _child(node: Any, step: str | int) -> tuple[Any, Any]:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == step:
                return key_node, value_node
    elif (
        isinstance(node, yaml.SequenceNode)
        and isinstance(step, int)
        and 0 <= step < len(node.value)
    ):
        return None, node.value[step]
    return None, None
