"""The layout's rule, checked on the source: imports point down, and only named modules touch storage.

Every import of every module in ``bot/``, ``storage/`` and ``adapters/`` is read with
``ast`` (module level, inside functions and under ``TYPE_CHECKING`` alike: a type-only
import still ties two modules together for a reader), and the test fails on

- a cycle between modules;
- a shared core module (``bot.text.*``, ``bot.models``, ``bot.wording``, ``bot.errors``)
  importing anything of the project (``bot.text`` modules may use each other);
- ``storage`` importing ``bot`` or ``adapters``, or ``bot`` importing ``adapters``;
- a core module other than a stage's ``service.py``, ``bot.answers.retrieve``,
  ``bot.summaries.gather`` and ``bot.open_store`` importing ``storage`` at run time: the
  others may name storage's row types only (``New…``/``…Row`` dataclasses, or anything
  under ``TYPE_CHECKING``), never a module that reads;
- an adapter importing ``storage`` or a core module other than the front door and the
  shared modules.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping, Set
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "storage", "adapters")
PURE = ("bot.models", "bot.wording", "bot.errors")
STORAGE_USERS = ("bot.answers.retrieve", "bot.summaries.gather", "bot.open_store")
ADAPTER_MAY_IMPORT = (
    "bot.record",
    "bot.models",
    "bot.wording",
    "bot.errors",
    "bot.settings",
    "bot.sample",
    "bot.daily.scheduler",
    "bot.daily.clock",
)


@dataclass(frozen=True)
class Arrow:
    """One import: who imports what, which names, and whether only for type checking."""

    source: str
    target: str
    names: tuple[str, ...]
    line: int
    type_only: bool


def module_name(path: Path) -> str:
    """``bot/answers/rank.py`` -> ``bot.answers.rank`` (a package by its ``__init__``)."""
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    """Every module of the three top-level packages, by dotted name."""
    return {module_name(p): p for pkg in PACKAGES for p in sorted((REPO / pkg).rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST, type_only: bool = False) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, type_only
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.body:
                yield from _imports(ast.Module(body=[child], type_ignores=[]), True)
            for child in node.orelse:
                yield from _imports(ast.Module(body=[child], type_ignores=[]), type_only)
        else:
            yield from _imports(node, type_only)


def arrows(source: str, path: Path, modules: Set[str]) -> list[Arrow]:
    """The project imports of one module; ``from pkg import mod`` points at ``pkg.mod``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    out: list[Arrow] = []
    for node, type_only in _imports(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in PACKAGES:
                    out.append(Arrow(source, alias.name, (), node.lineno, type_only))
            continue
        if node.level or not node.module or node.module.split(".")[0] not in PACKAGES:
            continue
        names = tuple(a.name for a in node.names)
        submodules = [f"{node.module}.{n}" for n in names if f"{node.module}.{n}" in modules]
        for target in submodules or [node.module]:
            out.append(Arrow(source, target, names, node.lineno, type_only))
    return out


def import_graph() -> list[Arrow]:
    """Every project import of every project module."""
    modules = project_modules()
    return [a for name, path in modules.items() for a in arrows(name, path, set(modules))]


def cycles(graph: Mapping[str, Set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (or a module importing itself), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group: list[str] = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in graph.get(node, ()):
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def forbidden(arrow: Arrow) -> str | None:
    """Why this import breaks the layout's rule, or None when it keeps to it."""
    src, dst = arrow.source, arrow.target
    if _within(src, "bot.text") and not _within(dst, "bot.text"):
        return "bot.text imports nothing of the project outside bot.text"
    if src in PURE:
        return f"{src} is shared by every layer and imports nothing of the project"
    if _within(src, "storage") and not _within(dst, "storage"):
        return "storage imports nothing from bot or adapters"
    if _within(src, "bot") and _within(dst, "adapters"):
        return "the core knows nothing of the adapters"
    if _within(src, "bot") and _within(dst, "storage"):
        if src.endswith(".service") or src in STORAGE_USERS or arrow.type_only:
            return None
        if arrow.names and all(n.startswith("New") or n.endswith("Row") for n in arrow.names):
            return None  # storage's row dataclasses are data, not reads
        return "only a stage's service.py, answers.retrieve, summaries.gather and open_store touch storage"
    if _within(src, "adapters"):
        if _within(dst, "storage"):
            return "adapters never touch storage"
        if _within(dst, "bot") and dst not in ADAPTER_MAY_IMPORT:
            return "adapters import only the front door (bot.record) and the shared modules"
    return None


def test_no_import_cycles() -> None:
    graph: dict[str, set[str]] = {}
    for arrow in import_graph():
        graph.setdefault(arrow.source, set()).add(arrow.target)
    found = cycles(graph)
    assert not found, "import cycles (each group imports itself round):\n" + "\n".join(map(", ".join, found))


def test_imports_point_down_and_storage_stays_behind_the_services() -> None:
    broken = [
        f"{a.source} -> {a.target} (line {a.line}): {why}" for a in import_graph() if (why := forbidden(a))
    ]
    assert not broken, "forbidden imports:\n" + "\n".join(broken)


def test_the_walk_sees_the_imports_that_matter() -> None:
    """The graph is not vacuous: known arrows of each kind are found, type-only ones marked so."""
    found = {(a.source, a.target, a.type_only) for a in import_graph()}
    assert ("bot.record", "bot.answers.service", False) in found
    assert ("bot.answers.service", "bot.answers.compose", False) in found  # from bot.answers import compose
    assert ("bot.answers.rank", "storage.statements", True) in found
    assert ("bot.ingest.detect", "bot.ingest.attribution.prose", False) in found  # imported inside a function


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
        ({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
        ({"a": {"a"}}, [["a"]]),
    ],
)
def test_cycles_finds_every_loop(graph: dict[str, set[str]], expected: list[list[str]]) -> None:
    assert cycles(graph) == expected


@pytest.mark.parametrize(
    ("arrow", "broken"),
    [
        (Arrow("bot.answers.rank", "storage.search", ("search",), 1, False), True),
        (Arrow("bot.answers.rank", "storage.statements", ("StatementRow",), 1, True), False),
        (Arrow("bot.ingest.prepare", "storage.people", ("NewPerson",), 1, False), False),
        (Arrow("bot.answers.retrieve", "storage.search", ("search",), 1, False), False),
        (Arrow("bot.models", "bot.text.words", ("lemma",), 1, False), True),
        (Arrow("storage.sessions", "bot.models", ("Person",), 1, True), True),
        (Arrow("adapters.cli.store", "bot.ingest.detect", ("FORMATS",), 1, False), True),
        (Arrow("adapters.cli.store", "bot.record", ("Record",), 1, False), False),
        (Arrow("adapters.slack.app", "storage.connection", ("Store",), 1, True), True),
    ],
)
def test_forbidden_arrows(arrow: Arrow, broken: bool) -> None:
    assert (forbidden(arrow) is not None) == broken
