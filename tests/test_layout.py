"""The layout keeps the flow: every import points down it, no cycles, small modules, a short top level.

    cli -> api -> schedule -> report -> scoring -> result -> events -> enrich -> posts -> accounts
        -> collectors -> sources -> errors, files, version

The report reads results only (never the scorer, the rubric or the collectors), and collectors import
nothing from a later stage. This test parses `audit/`, so an upward import fails here, not in review.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "audit"

FLOOR = [  # lowest first; a module may import its own floor or any floor below it
    ("audit.errors", "audit.files", "audit.version"),
    ("audit.sources",),
    ("audit.collectors",),
    ("audit.accounts",),
    ("audit.posts",),
    ("audit.enrich",),
    ("audit.events",),
    ("audit.result",),
    ("audit.scoring",),
    ("audit.report",),
    ("audit.schedule",),
    ("audit.api", "audit"),
    ("audit.cli", "audit.__main__"),
]
ONLY = {  # floors that may import no more than these, whatever lies below them
    "audit.report": ("audit.report", "audit.result", "audit.errors", "audit.files", "audit.version"),
    "audit.result": ("audit.result", "audit.errors", "audit.files"),
    "audit.cli": ("audit.cli", "audit.api", "audit.errors", "audit.version"),  # a thin layer over the API
}
MAX_LINES = 400
MAX_TOP_LEVEL = 10


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def stage_of(module: str) -> str:
    """The floor entry a module belongs to: the longest stage name that is the module or a parent of it."""
    stages = [s for floor in FLOOR for s in floor if module == s or module.startswith(s + ".")]
    return max(stages, key=len)


def rank(module: str) -> int:
    stage = stage_of(module)
    return next(i for i, floor in enumerate(FLOOR) if stage in floor)


def imports_of(path: Path) -> set[str]:
    """Modules of `audit` this file imports at run time (type-checking-only imports left out)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If) and _is_type_checking(node.test)
               for n in ast.walk(node)}
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "audit"}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "audit":
            found |= {f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in MODULES else node.module
                      for a in node.names}
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return isinstance(test, ast.Name) and test.id == "TYPE_CHECKING"


GRAPH = {name: imports_of(path) for name, path in MODULES.items()}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_every_import_points_down_the_flow(module):
    upward = [target for target in GRAPH[module] if rank(target) > rank(module)]
    assert not upward, f"{module} imports {upward}, which come later in the flow"


@pytest.mark.parametrize("floor", sorted(ONLY))
def test_floors_that_may_read_only_a_few_others(floor):
    allowed = ONLY[floor]
    for module in (m for m in GRAPH if stage_of(m) == floor):
        bad = [t for t in GRAPH[module] if not any(t == a or t.startswith(a + ".") for a in allowed)]
        assert not bad, f"{module} imports {bad}; {floor} may import only {', '.join(allowed)}"


def test_no_import_cycles():
    state: dict[str, int] = {}

    def visit(module: str, trail: list[str]) -> None:
        state[module] = 1
        for target in sorted(GRAPH.get(module, ())):
            if state.get(target) == 1:
                cycle = trail[trail.index(target):] + [target] if target in trail else [module, target]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if target in GRAPH and not state.get(target):
                visit(target, [*trail, target])
        state[module] = 2

    for module in sorted(GRAPH):
        if not state.get(module):
            visit(module, [module])


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_stay_small(module):
    lines = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module} has {lines} lines; split it by what its parts do"


def test_the_top_level_is_short():
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= MAX_TOP_LEVEL, top


def test_every_module_belongs_to_a_stage():
    assert all(stage_of(m) for m in MODULES)


def test_an_upward_import_is_caught(tmp_path):
    """The check itself: a collector importing the scorer is an upward import."""
    bad = tmp_path / "bad.py"
    bad.write_text("from audit.scoring.engine import run_audit\n", encoding="utf-8")
    assert any(rank(t) > rank("audit.collectors.x.archive") for t in imports_of(bad))
