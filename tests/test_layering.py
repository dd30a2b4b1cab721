"""The architecture's rules (ARCHITECTURE.md), checked on the import graph."""

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT

PACKAGE = ROOT / "studyapp"
MAX_LINES = 450
# Modules that may speak SQL outside core/store/, and why:
SQL_ELSEWHERE = {
    # Reading a foreign, untrusted SQLite file (an Anki collection), and
    # writing Anki's own schema: neither is our collection.
    "studyapp.core.interop.anki_import",
    "studyapp.core.interop.anki_export",
    "studyapp.core.interop.anki_export_history",
    "studyapp.core.interop.anki_history",
    "studyapp.core.interop.anki_revlog",
    # Working on the database file itself: integrity_check, snapshots,
    # restores, repairs.
    "studyapp.core.safety.check",
    "studyapp.core.safety.backup",
    # Guards for foreign SQLite files and backups: schema checks, limits.
    "studyapp.core.safety.foreign_db",
    "studyapp.core.safety.schema_check",
}
# The class server's own database (PostgreSQL, through psycopg): not the
# collection. What a push reads from the collection is in store/class_events.
SQL_PACKAGES_ELSEWHERE = ("studyapp.core.classroom",)
SQL = re.compile(r"\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM|PRAGMA)\b")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def runtime_nodes(path: Path) -> list[ast.AST]:
    """Every node of a module, less ``if TYPE_CHECKING:`` blocks (never run)."""
    nodes: list[ast.AST] = []
    todo: list[ast.AST] = [ast.parse(path.read_text(encoding="utf-8"))]
    while todo:
        node = todo.pop()
        nodes.append(node)
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and ast.unparse(child.test) in (
                "TYPE_CHECKING",
                "typing.TYPE_CHECKING",
            ):
                todo.extend(child.orelse)
                continue
            todo.append(child)
    return nodes


def imports(path: Path, known: dict[str, Path]) -> set[str]:
    """Every studyapp module ``path`` imports when it runs (functions too)."""
    found: set[str] = set()
    for node in runtime_nodes(path):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        for name in names:
            if name in known and known[name].name != "__init__.py":
                found.add(name)
    return found


def third_party(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def all_imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph.get(node, ()):
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_there_are_no_import_cycles() -> None:
    known = modules()
    graph = {name: imports(path, known) for name, path in known.items()}
    assert cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_core_imports_no_qt_gui_or_cli() -> None:
    for name, path in modules().items():
        if not name.startswith("studyapp.core"):
            continue
        assert "PySide6" not in third_party(path), name
        for target in all_imports(path):
            assert not target.startswith(("studyapp.gui", "studyapp.cli")), name
            assert not target.startswith("studyapp.words"), name


def test_front_ends_never_reach_the_store_or_sqlite() -> None:
    for name, path in modules().items():
        if not name.startswith(("studyapp.gui", "studyapp.cli", "studyapp.words")):
            continue
        assert "sqlite3" not in third_party(path), name
        for target in all_imports(path):
            assert not target.startswith("studyapp.core.store"), (name, target)
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"library\.store\b", text), name


def test_gui_uses_the_core_not_the_command_line() -> None:
    for name, path in modules().items():
        if name.startswith("studyapp.gui"):
            assert not any(t.startswith("studyapp.cli") for t in all_imports(path)), (
                name
            )


def test_sql_lives_under_the_store() -> None:
    for name, path in modules().items():
        if name.startswith(("studyapp.core.store", *SQL_PACKAGES_ELSEWHERE)):
            continue
        if name in SQL_ELSEWHERE:
            continue
        assert not SQL.search(path.read_text(encoding="utf-8")), name


def test_only_scheduling_imports_fsrs() -> None:
    users = {n for n, p in modules().items() if "fsrs" in third_party(p)}
    assert users <= {"studyapp.core.study.scheduling"}


def test_no_module_is_over_the_size_limit() -> None:
    for name, path in modules().items():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        assert lines <= MAX_LINES, f"{name}: {lines} lines"


def test_core_and_cli_do_not_load_qt() -> None:
    code = (
        "import sys, pkgutil, importlib, studyapp.core, studyapp.cli.run\n"
        "for m in pkgutil.walk_packages(studyapp.core.__path__, 'studyapp.core.'):\n"
        "    importlib.import_module(m.name)\n"
        "studyapp.cli.run.build_parser()\n"
        "assert 'PySide6' not in sys.modules, 'core or CLI imported Qt'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_the_app_starts_without_the_slow_optional_libraries() -> None:
    # Loaded on first need only: PyYAML (files yaml-rs leaves, and problem
    # positions), sqlite-utils (pending migrations), ruamel.yaml (editing).
    # The deck parsers load with the library: loaded on the first import,
    # they made a 1,000-card import take twice as long (issue 21).
    code = (
        "import sys, studyapp.gui.app\n"
        "for name in ('yaml', 'sqlite_utils', 'ruamel'):\n"
        "    assert name not in sys.modules, f'{name} imported at start'\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, env=env)
