"""What a rule author uses: `Rule`, its `Valid` / `Invalid` examples, the file context, node edits
and fixes, import resolution, edit helpers and the pre-filter tokens; and `Gatherer`, facts several
rules query, gathered once per file in the rules' own traversal (a rule names them in `gathers`).

`prefilter`, `options`, `project` (what a file imports from the rest of the project) and `suppression` (the `noqa` comments) import no LibCST, so the run may import them for a file that is never
parsed; everything else here builds on LibCST. Importing this package loads nothing: import the
module you need (`from mcpmigrate.rule.base import Rule`).

May import: `mcpmigrate.findings`, `mcpmigrate.lines` and LibCST. Never the
engine, the rules, the run, the renderers or the CLI.
"""
