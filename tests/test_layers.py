"""The layers: each folder imports only what its `__init__.py` says it may, so data flows one way
(source, findings, fixes, output) and a fully cached run never loads LibCST or the rules."""

from __future__ import annotations

import ast

import pytest

from tests.conftest import REPO

PACKAGE = REPO / "mcpmigrate"

# What each layer may import of ours, by module-name prefix. A module belongs to the longest prefix
# it matches. "top": imported when the module is (module level); "any": also inside functions.
SHARED = ("mcpmigrate.findings", "mcpmigrate.lines", "mcpmigrate.steps")
RULE_API_FREE_OF_LIBCST = (
    "mcpmigrate.rule.prefilter", "mcpmigrate.rule.options", "mcpmigrate.rule.project", "mcpmigrate.rule.suppression",
)
LAYERS: dict[str, dict[str, tuple[str, ...]]] = {
    "mcpmigrate.findings": {"top": ()},
    "mcpmigrate.steps": {"top": ()},
    "mcpmigrate.lines": {"top": ("mcpmigrate.findings",)},
    "mcpmigrate.rule.prefilter": {"top": ()},
    "mcpmigrate.rule.options": {"top": ("mcpmigrate.rule.project",)},
    "mcpmigrate.rule.project": {"top": ()},
    "mcpmigrate.rule.suppression": {"top": ("mcpmigrate.findings", "mcpmigrate.lines")},
    "mcpmigrate.rule": {"top": (*SHARED, "mcpmigrate.rule"), "any": ("mcpmigrate.rules",)},  # the registry imports the rules
    "mcpmigrate.rules._kits": {"top": (*SHARED, "mcpmigrate.rule", "mcpmigrate.rules._kits")},
    "mcpmigrate.rules": {"top": (*SHARED, "mcpmigrate.rule", "mcpmigrate.rules")},
    "mcpmigrate.engine.tree": {"top": ("mcpmigrate.engine.tree",)},
    "mcpmigrate.engine": {"top": (*SHARED, "mcpmigrate.rule", "mcpmigrate.engine")},
    "mcpmigrate.run": {
        "top": (*SHARED, *RULE_API_FREE_OF_LIBCST, "mcpmigrate.run"),
        "any": ("mcpmigrate.engine", "mcpmigrate.rule.base"),  # only when a file is really parsed
    },
    "mcpmigrate.output": {"top": (*SHARED, "mcpmigrate.run.outcome", "mcpmigrate.output", "mcpmigrate")},
    "mcpmigrate.checklist": {"top": (*SHARED, "mcpmigrate.run.outcome")},
    "mcpmigrate.docs": {"top": (*SHARED, "mcpmigrate.rule")},
    "mcpmigrate.probe": {"top": ("mcpmigrate.probe",)},  # talks to servers; knows nothing of the linter
    "mcpmigrate.cli": {"top": ("*",)},
    "mcpmigrate.__main__": {"top": ("mcpmigrate.cli",)},
    "mcpmigrate": {"top": ()},
}
# Third-party modules that must not load with a layer (LibCST: a cached run must not pay for it).
NO_LIBCST = ("mcpmigrate.findings", "mcpmigrate.steps", "mcpmigrate.lines", *RULE_API_FREE_OF_LIBCST,
             "mcpmigrate.run", "mcpmigrate.output", "mcpmigrate.checklist", "mcpmigrate.probe")


def module_name(path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(name: str) -> str:
    return max((prefix for prefix in LAYERS if name == prefix or name.startswith(prefix + ".")), key=len)


def imports(path) -> list[tuple[str, bool]]:
    """Each module imported, and whether at module level (outside functions; `if TYPE_CHECKING:` blocks
    are left out, since they never run)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, bool]] = []

    def walk(node: ast.AST, top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            if isinstance(child, ast.Import):
                found.extend((alias.name, top) for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.level == 0 and child.module:
                found.append((child.module, top))
                found.extend((f"{child.module}.{alias.name}", top) for alias in child.names if child.module == "mcpmigrate")
            walk(child, top and not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)))

    walk(tree, True)
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


def allowed(target: str, prefixes: tuple[str, ...]) -> bool:
    """`target` is one of `prefixes` or inside one (`mcpmigrate` alone means the package's own
    `__init__`, and `*` anything)."""
    return any(
        prefix == "*" or target == prefix or (prefix != "mcpmigrate" and target.startswith(prefix + "."))
        for prefix in prefixes
    )


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_each_module_imports_only_what_its_layer_may(path):
    name = module_name(path)
    layer = LAYERS[layer_of(name)]
    wrong = []
    for target, top in imports(path):
        if target == "mcpmigrate.__version__" or not (target == "mcpmigrate" or target.startswith("mcpmigrate.")):
            if top and target.split(".")[0] == "libcst" and allowed(name, NO_LIBCST):
                wrong.append(f"{target} (at import time)")
            continue
        ours = layer["top"] if top else (*layer["top"], *layer.get("any", ()))
        if not allowed(target, ours):
            wrong.append(target + (" (at import time)" if top else ""))
    assert wrong == [], f"{name} ({layer_of(name)}) imports {wrong}"


def test_every_folder_says_what_lives_there_and_what_it_may_import():
    for init in PACKAGE.rglob("__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        if init.parent == PACKAGE:
            assert "engine/" in doc and "run/" in doc, "mcpmigrate/__init__.py maps the layers"
        else:
            assert "May import" in doc or "may import" in doc, f"{init.relative_to(REPO)} says nothing of what it may import"
