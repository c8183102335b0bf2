"""`mcpmigrate probe`: talk to a running MCP server the way a 2026-07-28 client and a gateway will,
and say requirement by requirement what passes.

- `wire.py`: the two transports (Streamable HTTP with the standard library's `http.client`, and a
  stdio server started as a subprocess in its own process group), every read bounded by a deadline.
- `checks.py`: the checks; each names the requirement of the specification it tests.
- `render.py`: the table, JSON and JUnit output.

May import: the standard library, Rich (for the table only) and `mcpmigrate.probe`; never the
linter's layers, LibCST or an MCP SDK: probing a server must not depend on the SDK it runs.
"""
