"""The engine: checking and fixing one file, from its text to findings and fixed text.

`checker` parses, runs every enabled rule in one traversal, places what they reported and applies
fixes in a capped loop; `names` tracks imports and which names are references while the rules
walk. `tree/` holds the only code that touches LibCST's private API
(the cheaper parse, the read-only traversal, positions from generated statements).

May import: `mcpmigrate.findings`, `mcpmigrate.lines`, the rule API (`mcpmigrate.rule`) and LibCST.
Never the rules themselves, the run, the renderers or the CLI: the engine knows no rule by name and
does no I/O.
"""
