"""The rules: one module per rule, `mcpNNN_<name>.py`, each declaring its code, documentation and
examples (`mcpmigrate.rule.base.Rule`). Importing this package registers every rule module;
`_kits/` holds what several rules share and registers nothing.

May import: the rule API (`mcpmigrate.rule`), `mcpmigrate.findings`, the kits and
LibCST. Never the engine, the run, the renderers or the CLI.
"""

import importlib
import pkgutil

for _module in pkgutil.iter_modules(__path__):
    if not _module.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_module.name}")
