"""LibCST made fast enough: a cheaper parse, a read-only batched traversal, and positions from
generated statements instead of LibCST's metadata. The only place that uses LibCST's private API
(`libcst._nodes`, `CodegenState`, `_codegen_impl`, node constructors); `pyproject.toml` bounds LibCST to
the versions the suite passes on, and a slow test runs these modules on the lowest one.

May import: LibCST and the standard library, nothing else of ours.
"""
