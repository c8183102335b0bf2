"""What several rules share: JSON-RPC message shapes (`jsonrpc`), where a method is sent or handled
(`method_mentions`), HTTP POSTs of JSON-RPC (`http_posts`), handler results (`handler_results`),
server-to-client requests (`server_requests`), SDK renames (`sdk_renames`), facts about the `mcp` SDK
(`sdk`), and the protocol's own tables (`spec`: revisions, methods, `_meta` keys, headers, error
codes), which no rule spells again.

May import: the rule API (`mcpmigrate.rule`), `mcpmigrate.findings` and LibCST; never a rule module,
the engine, the run or anything above it.
"""
