"""The code MCP805's fix writes into a module whose low-level `Server` handlers used the mcp 1.x
decorators: one function, `mcp1_handler(server, decorator, **options)`, a decorator that registers a
2.x `async (ctx, params)` handler calling the decorated function as 1.x did, and building the full
result from what it returns, as the 1.x decorators did (wrapping lists and contents, validating tool
input and output against the schemas, turning a tool's exceptions into `isError` results).

Only the branches for the decorators the module uses are written. The function's body imports what
it needs, so the module's imports are left alone; it is unannotated, so type-checkers take it as it is.
Each branch follows mcp 1.26.0's `mcp/server/lowlevel/server.py`.
"""

from __future__ import annotations

NAME = "mcp1_handler"

HEAD = '''\
def mcp1_handler(server, decorator, **options):
    """What `@server.<decorator>()` did on the mcp 1.x low-level `Server`, on mcp 2.x: registers an
    `async (ctx, params)` handler that calls the decorated function as 1.x did and builds the result
    from what it returns. Written by mcpmigrate (MCP805): replace it with 2.x handlers in time."""
{imports}
{state}    def register(function):
'''

# decorator -> (imports its branch needs, the branch, indented for `register`'s body)
BRANCHES: dict[str, tuple[tuple[str, ...], str]] = {}


# A list decorator: its method, the result's field, the result and (1.x's paginated form) request types.
LISTS = {
    "list_tools": ("tools/list", "tools", "ListToolsResult", "ListToolsRequest"),
    "list_prompts": ("prompts/list", "prompts", "ListPromptsResult", "ListPromptsRequest"),
    "list_resources": ("resources/list", "resources", "ListResourcesResult", "ListResourcesRequest"),
    "list_resource_templates": ("resources/templates/list", "resource_templates", "ListResourceTemplatesResult",
                                "ListResourceTemplatesRequest"),
}


def _lists_branch(used: list[str]) -> str:
    table = "".join(
        f'                "{decorator}": ("{method}", "{key}", types.{result}, types.{request}),\n'
        for decorator, (method, key, result, request) in LISTS.items() if decorator in used
    )
    tools = "list_tools" in used
    return (f"""\
        if decorator in ({", ".join(f'"{d}"' for d in LISTS if d in used)},):
            method, key, result_type, request_type = {{
{table}            }}[decorator]
            # 1.x called a function that takes the request with it (and took its full result).
            takes_request = any(
                parameter.default is parameter.empty and parameter.kind in (parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD)
                for parameter in inspect.signature(function).parameters.values()
            )

            async def handler(ctx, params):
                result = await function(request_type(params=params)) if takes_request else await function()
                # 1.x took the whole result as well as its bare list.
                return result if isinstance(result, result_type) else result_type(**{{key: list(result)}})
""" + ("""
            if decorator == "list_tools":
                # Tool calls are validated against the listed schemas, as 1.x did.
                async def list_tools(ctx, params, list_handler=handler):
                    result = await list_handler(ctx, params)
                    state["tools"].update((tool.name, tool) for tool in result.tools)
                    return result

                handler = state["list_tools"] = list_tools
""" if tools else "") + """
            server.add_request_handler(method, types.PaginatedRequestParams, handler)
""")


BRANCHES["call_tool"] = (("import json", "import jsonschema  # type: ignore[import-untyped, unused-ignore]", "from mcp import types", "from mcp.shared.exceptions import UrlElicitationRequiredError"), '''\
        if decorator == "call_tool":
            validate_input = options.get("validate_input", True)

            def error(message):
                return types.CallToolResult(content=[types.TextContent(type="text", text=message)], is_error=True)

            async def handler(ctx, params):
                try:
                    arguments = params.arguments or {}
                    if params.name not in state["tools"] and "list_tools" in state:
                        await state["list_tools"](ctx, None)
                    tool = state["tools"].get(params.name)
                    if validate_input and tool is not None:
                        try:
                            jsonschema.validate(instance=arguments, schema=tool.input_schema)
                        except jsonschema.ValidationError as invalid:
                            return error(f"Input validation error: {invalid.message}")
                    results = await function(params.name, arguments)
                    if isinstance(results, (types.CallToolResult, types.InputRequiredResult)):
                        return results
                    if isinstance(results, tuple) and len(results) == 2:
                        content, structured = results
                    elif isinstance(results, dict):
                        content, structured = [types.TextContent(type="text", text=json.dumps(results, indent=2))], results
                    elif hasattr(results, "__iter__"):
                        content, structured = results, None
                    else:
                        return error(f"Unexpected return type from tool: {type(results).__name__}")
                    if tool is not None and tool.output_schema is not None:
                        if structured is None:
                            return error("Output validation error: outputSchema defined but no structured output returned")
                        try:
                            jsonschema.validate(instance=structured, schema=tool.output_schema)
                        except jsonschema.ValidationError as invalid:
                            return error(f"Output validation error: {invalid.message}")
                    return types.CallToolResult(content=list(content), structured_content=structured, is_error=False)
                except UrlElicitationRequiredError:
                    raise
                except Exception as failure:
                    return error(str(failure))

            server.add_request_handler("tools/call", types.CallToolRequestParams, handler)
''')

# The URI as the function's annotation asks for it: a `str`, else the `AnyUrl` 1.x passed.
URI_TYPE = '''\
            parameters = list(inspect.signature(function).parameters.values())
            uri_type = str if parameters and parameters[0].annotation in (str, "str") else AnyUrl
'''

BRANCHES["read_resource"] = (("import base64", "import inspect", "from pydantic import AnyUrl", "from mcp import types"), '''\
        if decorator == "read_resource":
''' + URI_TYPE + '''
            async def handler(ctx, params):
                def contents(data, mime_type, meta=None):
                    if isinstance(data, str):
                        return types.TextResourceContents(uri=params.uri, text=data, mime_type=mime_type or "text/plain", meta=meta)
                    return types.BlobResourceContents(
                        uri=params.uri, blob=base64.b64encode(data).decode(), mime_type=mime_type or "application/octet-stream", meta=meta
                    )

                result = await function(uri_type(params.uri))
                if isinstance(result, (str, bytes)):
                    return types.ReadResourceResult(contents=[contents(result, None)])
                return types.ReadResourceResult(
                    contents=[contents(item.content, item.mime_type, getattr(item, "meta", None)) for item in result]
                )

            server.add_request_handler("resources/read", types.ReadResourceRequestParams, handler)
''')

BRANCHES["get_prompt"] = (("from mcp import types",), '''\
        if decorator == "get_prompt":

            async def handler(ctx, params):
                return await function(params.name, params.arguments)

            server.add_request_handler("prompts/get", types.GetPromptRequestParams, handler)
''')

BRANCHES["completion"] = (("from mcp import types",), '''\
        if decorator == "completion":

            async def handler(ctx, params):
                completion = await function(params.ref, params.argument, params.context)
                if completion is None:
                    completion = types.Completion(values=[], total=None, has_more=None)
                return types.CompleteResult(completion=completion)

            server.add_request_handler("completion/complete", types.CompleteRequestParams, handler)
''')

for _decorator, _method, _params in (("subscribe_resource", "resources/subscribe", "SubscribeRequestParams"),
                                     ("unsubscribe_resource", "resources/unsubscribe", "UnsubscribeRequestParams")):
    BRANCHES[_decorator] = (("import inspect", "from pydantic import AnyUrl", "from mcp import types"), f'''\
        if decorator == "{_decorator}":
''' + URI_TYPE + f'''
            async def handler(ctx, params):
                await function(uri_type(params.uri))
                return types.EmptyResult()

            server.add_request_handler("{_method}", types.{_params}, handler)
''')

BRANCHES["set_logging_level"] = (("from mcp import types",), '''\
        if decorator == "set_logging_level":

            async def handler(ctx, params):
                await function(params.level)
                return types.EmptyResult()

            server.add_request_handler("logging/setLevel", types.SetLevelRequestParams, handler)
''')

BRANCHES["progress_notification"] = (("from mcp import types",), '''\
        if decorator == "progress_notification":

            async def handler(ctx, params):
                await function(params.progress_token, params.progress, params.total, params.message)

            server.add_notification_handler("notifications/progress", types.ProgressNotificationParams, handler)
''')

# The tools the list handler saw, shared with the call handler (registered separately) on the server.
STATE = '''\
    state = server.__dict__.setdefault("_mcp1_handlers", {"tools": {}})
'''
TOOL_DECORATORS = frozenset({"list_tools", "call_tool"})

# `mcp1_handler(server, "request_context")` stands where 1.x code read `server.request_context`: each
# handler runs with its 2.x `ctx` in a context variable, as 1.x kept its request context in one.
REQUEST_CONTEXT = "request_context"
CONTEXT = '''\
    context = state.setdefault("context", contextvars.ContextVar("mcp1_request_context"))
    if decorator == "request_context":
        return context.get()  # a LookupError outside a request, as in 1.x

    def entered(handler):
        async def with_context(ctx, params):
            token = context.set(ctx)
            try:
                return await handler(ctx, params)
            finally:
                context.reset(token)

        return with_context

'''
# How every branch ends: registering its `handler`; with the context, `entered(handler)`.
REGISTERED = ", handler)\n"

TAIL = '''\
        return function

    return register
'''

# The standard library's imports, then the third-party ones, as isort orders them.
_STANDARD = ("import base64", "import contextvars", "import inspect", "import json")
_THIRD_PARTY = ("import jsonschema  # type: ignore[import-untyped, unused-ignore]", "from mcp import types", "from mcp.shared.exceptions import UrlElicitationRequiredError",
                "from pydantic import AnyUrl")


def adapter_source(decorators: set[str], indent: str, newline: str) -> str:
    """The helper for these decorators (names of BRANCHES or LISTS, and REQUEST_CONTEXT where the module
    reads `server.request_context`), in the module's indentation and newlines."""
    lists = [decorator for decorator in LISTS if decorator in decorators]
    others = [decorator for decorator in BRANCHES if decorator in decorators]
    imports = {line for decorator in others for line in BRANCHES[decorator][0]}
    if lists:
        imports |= {"import inspect", "from mcp import types"}
    with_context = REQUEST_CONTEXT in decorators
    if with_context:
        imports.add("import contextvars")
    groups = [[line for line in group if line in imports] for group in (_STANDARD, _THIRD_PARTY)]
    import_lines = "\n".join("".join(f"    {line}\n" for line in group) for group in groups if group)
    branches = [_lists_branch(lists)] if lists else []
    branches += [BRANCHES[decorator][1] for decorator in others]
    if with_context:
        assert all(branch.count(REGISTERED) == 1 for branch in branches)
        branches = [branch.replace(REGISTERED, ", entered(handler))\n") for branch in branches]
    state = STATE if decorators & TOOL_DECORATORS or with_context else ""
    state += CONTEXT if with_context else "\n" if state else ""
    text = HEAD.format(imports=import_lines, state=state) + "".join(branches) + TAIL
    if indent != "    ":
        text = "\n".join(_reindent(line, indent) for line in text.split("\n"))
    return text.replace("\n", newline)


def _reindent(line: str, indent: str) -> str:
    stripped = line.lstrip(" ")
    return indent * ((len(line) - len(stripped)) // 4) + stripped
