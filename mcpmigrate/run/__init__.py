"""One `check` (or `report`) run: find the files (`discovery`, `globs`), resolve their settings
(`config`, `selection`, `target`), read them (`source`), serve or store findings (`cache`), check or
fix each file and collect the outcome (`runner`), and stop cleanly on SIGINT or SIGTERM (`stopping`).

No printing: the CLI renders what a run returns. May import `mcpmigrate.findings`, `mcpmigrate.lines`
and the LibCST-free parts of the rule API (`rule.prefilter`, `rule.options`) at import time; the engine
and the rule registry (and with them LibCST) only when a file must really be parsed, so a run whose
files are all cached loads neither.
"""
