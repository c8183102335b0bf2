"""What several rules share: JSON-RPC message shapes (`jsonrpc`), where a method is sent or handled
(`method_mentions`, the `MethodMentions` gatherer), HTTP POSTs of JSON-RPC (`http_posts`), where a
server dispatches and what it answers (`handler_results`, the `Dispatches` gatherer), server-to-client
requests and the request objects in scope (`server_requests`, the `RequestScopes` gatherer), the
names holding a client's `ClientSession` (`client_sessions`, the `ClientSessions` gatherer), SDK
renames (`sdk_renames`), facts about the `mcp` SDK (`sdk`), and the protocol's own tables (`spec`:
revisions, methods, `_meta` keys, headers, error codes), which no rule spells again. A gatherer's
facts are gathered once per file, in the same traversal, for every rule that names it.

May import: the rule API (`mcpmigrate.rule`), `mcpmigrate.findings` and LibCST; never a rule module,
the engine, the run or anything above it.
"""
