"""PyYAML's safe loader: for files the fast parser leaves, and for positions.

Problems found in the parsed data are placed at their line and column here,
by composing the node tree; this is only needed when something is wrong.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from studyapp.core.decks.problems import Located, Where
from studyapp.core.errors import DeckError, Problem

try:  # the C loader is several times faster; fall back when libyaml is absent
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]


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
            if not isinstance(key_node, yaml.ScalarNode):
                mark = key_node.start_mark
                raise yaml.constructor.ConstructorError(
                    None, None, "keys must be plain text, not a list or mapping", mark
                )
            key = key_node.value
            if key in seen:
                mark = key_node.start_mark
                self.duplicates.append((mark.line + 1, mark.column + 1, str(key)))
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


#: What aliases may add: the values of a file, counted with every alias
#: expanded, may be at most this many times the file's length (plus 1 MiB).
EXPANSION_FACTOR = 2
EXPANSION_SLACK = 1024**2


def parse(path: Path, text: str) -> tuple[Any, list[Problem]]:
    """Parse with PyYAML's safe loader, which gives positions for errors.

    The node tree is composed first (an alias is one shared node there), and
    what the aliases would expand to is counted before any value is built.
    """
    loader = _DeckLoader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            _check_expansion(path, node, len(text))
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        raise DeckError([_yaml_problem(path, error)]) from None
    except RecursionError:
        problem = Problem(str(path), 1, 1, "values are nested too deeply")
        raise DeckError([problem]) from None
    finally:
        loader.dispose()
    problems = [
        Problem(str(path), line, col, f"duplicate key '{key}'")
        for line, col, key in loader.duplicates
    ]
    return data, problems


def _check_expansion(path: Path, root: yaml.Node, length: int) -> None:
    """Refuse alias bombs and recursive aliases before values are built."""
    budget = EXPANSION_FACTOR * length + EXPANSION_SLACK
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            sizes[key] = 1 + sum(sizes[id(c)] for c in _children(node))
            if sizes[key] > budget:
                _refuse(path, node, f"aliases expand it beyond {budget:,} characters")
            continue
        if key in sizes:
            continue
        if key in on_path:
            _refuse(path, node, "an alias refers to a value that contains it")
        if isinstance(node, yaml.ScalarNode):
            sizes[key] = len(node.value) + 1
            continue
        on_path.add(key)
        stack.append((node, True))
        stack.extend(
            (child, False) for child in _children(node) if id(child) not in sizes
        )


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _refuse(path: Path, node: yaml.Node, why: str) -> None:
    mark = node.start_mark
    message = f"{why}; remove the anchors (&) and aliases (*) and write values out"
    raise DeckError([Problem(str(path), mark.line + 1, mark.column + 1, message)])


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


def place(path: Path, text: str, located: list[Located]) -> list[Problem]:
    """Turn problems found in the data into problems with positions.

    Positions are only needed when something is wrong. They come from
    PyYAML's event stream, walked once while remembering the marks of only
    the nodes on a problem's path: memory stays flat however big the file
    (composing the node tree of a 48 MiB deck took 4 GiB).
    """
    wanted = {item.where[:n] for item in located for n in range(len(item.where) + 1)}
    marks: dict[Where, tuple[Any, Any]] = {}  # path -> (key mark, value mark)
    try:
        _walk_events(yaml.parse(text, Loader=_BaseLoader), wanted, marks)
    except yaml.YAMLError as error:  # yaml-rs read what the safe loader refuses
        raise DeckError([_yaml_problem(path, error)]) from None
    problems = []
    for item in located:
        found = next(
            (
                marks[item.where[:n]]
                for n in range(len(item.where), -1, -1)
                if item.where[:n] in marks
            ),
            (None, None),
        )
        key_mark, value_mark = found
        mark = key_mark if (item.at_key and key_mark is not None) else value_mark
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        problems.append(Problem(str(path), line, col, item.message))
    return problems


class _Frame:
    """A mapping or sequence being walked: its path and where it is inside."""

    __slots__ = ("index", "is_map", "key", "key_mark", "path", "want_key")

    def __init__(self, path: Where, is_map: bool) -> None:
        self.path = path
        self.is_map = is_map
        self.want_key = is_map
        self.key: Any = None
        self.key_mark: Any = None
        self.index = 0


def _walk_events(
    events: Iterator[yaml.Event],
    wanted: set[Where],
    marks: dict[Where, tuple[Any, Any]],
) -> None:
    stack: list[_Frame] = []
    skip = 0  # depth inside a complex (non-scalar) mapping key
    for event in events:
        starts = isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent)
        ends = isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent)
        if not (
            starts or ends or isinstance(event, yaml.ScalarEvent | yaml.AliasEvent)
        ):
            continue
        if skip:
            skip += 1 if starts else -1 if ends else 0
            if skip == 0 and stack:
                stack[-1].want_key = False
                stack[-1].key, stack[-1].key_mark = None, None
            continue
        if ends:
            stack.pop()
            _next_item(stack)
            continue
        frame = stack[-1] if stack else None
        if frame is not None and frame.want_key:
            if starts:
                skip = 1
                continue
            frame.key = getattr(event, "value", None)
            frame.key_mark = event.start_mark
            frame.want_key = False
            continue
        if frame is None:
            where: Where = ()
            key_mark = None
        elif frame.is_map:
            where, key_mark = (*frame.path, frame.key), frame.key_mark
        else:
            where, key_mark = (*frame.path, frame.index), None
        if where in wanted:
            marks[where] = (key_mark, event.start_mark)
            if len(marks) == len(wanted):
                return  # every node asked for is found
        if starts:
            stack.append(_Frame(where, isinstance(event, yaml.MappingStartEvent)))
        else:
            _next_item(stack)


def _next_item(stack: list[_Frame]) -> None:
    if not stack:
        return
    frame = stack[-1]
    if frame.is_map:
        frame.want_key = True
    else:
        frame.index += 1
