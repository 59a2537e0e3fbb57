"""The shape of the code: imports go one way, modules stay readable, the command starts fast.

These walk the source with :mod:`ast` (no import side effects), so a cycle or an oversized module
is reported by name before it becomes a habit.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("mmm", "webmap")
MAX_LINES = 500


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                found[_module_name(path)] = path
    return found


def _imports(path: Path, module: str, known: set[str]) -> set[str]:
    """Project modules that ``module`` imports, wherever the import statement stands.

    ``from pkg import name`` counts as an import of ``pkg.name`` when that is a module, else of
    ``pkg``. Imports under ``TYPE_CHECKING`` count too: a cycle there is still a tangle to read.
    """
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in known)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor if is_package else anchor[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                target = f"{base}.{alias.name}"
                if target in known:
                    found.add(target)
                elif base in known:
                    found.add(base)
    found.discard(module)
    return found


def import_graph() -> dict[str, set[str]]:
    sources = _sources()
    known = set(sources)
    return {name: _imports(path, name, known) for name, path in sources.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules (first repeated at the end), or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def test_no_import_cycles() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " → ".join(cycle or [])


def test_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_relative_and_from_imports_are_resolved(tmp_path: Path) -> None:
    source = tmp_path / "m.py"
    source.write_text("from . import b\nfrom pkg.c import name\nimport pkg.d\n", encoding="utf-8")
    known = {"pkg", "pkg.a", "pkg.b", "pkg.c", "pkg.d"}
    assert _imports(source, "pkg.a", known) == {"pkg.b", "pkg.c", "pkg.d"}


#: The layers of docs/architecture.md, bottom first: a module may import its own layer and below.
LAYERS = (
    ("mmm", "mmm.errors", "mmm.settings", "mmm.crs"),
    ("mmm.store",),
    ("mmm.io", "mmm.access"),
    (
        "mmm.counting",
        "mmm.hotspots",
        "mmm.temporal",
        "mmm.rates",
        "mmm.evaluate",
        "mmm.perimeters",
        "mmm.plans",
    ),
    ("mmm.present",),
    ("mmm.demo",),
    ("mmm.cli", "webmap"),
)


def layer_of(module: str) -> int:
    """The layer of ``module``: its longest matching package prefix."""
    best, level = "", -1
    for index, names in enumerate(LAYERS):
        for name in names:
            if (module == name or module.startswith(name + ".")) and len(name) > len(best):
                best, level = name, index
    assert level >= 0, f"{module} is in no layer of docs/architecture.md"
    return level


def test_imports_go_down_only() -> None:
    upward = sorted(
        f"{name} imports {target}"
        for name, targets in import_graph().items()
        for target in targets
        if layer_of(target) > layer_of(name)
    )
    assert not upward, upward


def test_the_core_never_imports_the_web_app() -> None:
    """Only the command, which sits beside the web app, may start it (``mmm serve``)."""
    graph = import_graph()
    offenders = sorted(
        f"{name} imports {target}"
        for name, targets in graph.items()
        if name.startswith("mmm") and not name.startswith("mmm.cli")
        for target in targets
        if target.startswith("webmap")
    )
    assert not offenders
    assert any(
        t.startswith("webmap") for n, ts in graph.items() if n.startswith("mmm.cli") for t in ts
    )


@pytest.mark.parametrize("folder", ["mmm", "webmap", "bench"])
def test_no_module_over_500_lines(folder: str) -> None:
    too_long = {
        str(path.relative_to(ROOT)): n
        for path in (ROOT / folder).rglob("*.py")
        if "migrations" not in path.parts
        and (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not too_long, f"split these along what they do (over {MAX_LINES} lines): {too_long}"


def test_import_mmm_leaves_flask_out() -> None:
    code = (
        "import sys, mmm, mmm.cli, mmm.io.imports, mmm.counting.count, mmm.present.export,"
        " mmm.store; sys.exit(1 if 'flask' in sys.modules else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_the_check_would_notice_flask() -> None:
    code = "import sys, webmap; sys.exit(1 if 'flask' in sys.modules else 0)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 1
