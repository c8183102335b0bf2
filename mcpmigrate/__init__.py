"""mcpmigrate: find and rewrite Python code written for the stateful MCP protocol and the `mcp` 1.x SDK.

The layers, lowest first; each imports only from those below it (tests/test_layers.py holds them to
it), so data flows one way: source, findings, fixes, output.

- `findings.py`, `lines.py`, `steps.py`: the values every layer passes on (findings, fixes, what a run
  knows of a rule, text positions, the migration steps). No LibCST.
- `rule/`: what a rule author uses: `Rule`, its examples, the file context, edits and fixes, imports,
  pre-filter tokens.
- `rules/`: one module per rule; `rules/_kits/` for what several rules share, with the `spec` table.
- `engine/`: checking and fixing one file; `engine/tree/` is the only code on LibCST's private API.
- `run/`: one `check` run: discovery, configuration, selection, target SDK, cache, the runner and its
  outcome types. It loads the engine and the rules only when a file must be parsed.
- `output/` (renderers) and `checklist.py` (the migration checklist): read a run's outcome only.
- `docs.py`: `rules/*.md` and the README's rules table, generated from the rule modules.
- `cli.py`: the command line; it parses options, runs, renders, and decides nothing about code.
"""

__version__ = "0.1.0"
