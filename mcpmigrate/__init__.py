"""mcpmigrate: find and rewrite Python code written for the stateful MCP protocol and the `mcp` 1.x SDK."""

__version__ = "0.1.0"
