"""MCP808 v1-adapter-in-place: MCP805's mcp 1.x handler adapter, still in the code."""

from __future__ import annotations

import libcst as cst

from mcpmigrate.findings import Severity
from mcpmigrate.rule.base import Invalid, Rule, Valid
from mcpmigrate.rule.syntax import last_name
from mcpmigrate.rules._kits.v1_handlers import NAME, REQUEST_CONTEXT
from mcpmigrate.steps import Side, Step

# The adapter's own docstring says who wrote it: a function the project wrote itself under the same
# name is not ours to call a stopgap.
SIGNATURE = "Written by mcpmigrate (MCP805)"
MESSAGE = (
    "`{name}` is the stopgap MCP805 wrote so {uses} keep their mcp 1.x form on mcp 2.x: the move to the "
    "2.x API is in progress until they are 2.x handlers"
)
HELP = (
    "Rewrite each `@{name}(server, \"...\")` handler as a 2.x `async (ctx, params)` handler registered on the "
    "`Server` (see the SDK's migration guide), then delete `{name}`"
)


class V1AdapterInPlace(Rule):
    code = "MCP808"
    name = "v1-adapter-in-place"
    step = Step.SDK_2
    side = Side.SERVER
    severity = Severity.INFO  # the code runs on mcp 2.x: the step is under way, not broken
    progress = True
    summary = "The mcp 1.x handler adapter that MCP805's fix wrote, while it is still in the code"
    why = (
        "MCP805's fix keeps low-level handlers in their 1.x form by routing them through `mcp1_handler`, a "
        "function it writes into the module. The server then runs on mcp 2.x, but through a stopgap: 1.x "
        "shapes, 1.x validation and a context that is not the 2.x one. The checklist keeps the SDK step in "
        "progress while it is there, and only a suppression that names this code silences it (a bare "
        "`# noqa` does not), so the adapter cannot slip out of sight."
    )
    fix_summary = "none: each adapter left in place reported, with how many handlers still use it"
    fix_description = "None: rewriting each handler as a 2.x handler is a person's work."
    fix_safety = "No automatic fix."
    references = ("../shared/reference/python-sdk-v1-to-v2.md",)
    tokens = (NAME.lower(),)
    examples = (
        Invalid(
            """
            from mcp.server.lowlevel import Server

            server = Server("weather")


            def mcp1_handler(server, decorator, **options):
                \"\"\"What `@server.<decorator>()` did on the mcp 1.x low-level `Server`, on mcp 2.x.
                Written by mcpmigrate (MCP805): replace it with 2.x handlers in time.\"\"\"
                def register(function):
                    return function
                return register


            @mcp1_handler(server, "list_tools")
            async def list_tools():
                return []


            mcp1_handler(server, "call_tool", validate_input=False)(list_tools)


            @mcp1_handler(server, "read_resource")
            async def read_resource(uri: str) -> str:
                return mcp1_handler(server, "request_context").request.headers["x-tenant"]
            """,
            findings=[(6, 5)],
            note="Three handlers: reading the request context through it registers none.",
        ),
        Valid(
            """
            def mcp1_handler(server, decorator):
                \"\"\"Our own registration helper.\"\"\"
                return server.handler(decorator)
            """
        ),
    )

    def __init__(self, context) -> None:
        super().__init__(context)
        self.adapter: cst.FunctionDef | None = None
        self.uses = 0

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if node.name.value == NAME and self.adapter is None and SIGNATURE in (node.get_docstring(clean=False) or ""):
            self.adapter = node

    def visit_Call(self, node: cst.Call) -> None:
        # `mcp1_handler(server, "request_context")` reads the context; it registers no handler.
        reads_context = len(node.args) > 1 and isinstance(node.args[1].value, cst.SimpleString) and (
            node.args[1].value.evaluated_value == REQUEST_CONTEXT)
        if last_name(node.func) == NAME and not reads_context:
            self.uses += 1

    def leave_Module(self, original_node: cst.Module) -> None:
        if self.adapter is not None:
            uses = f"{self.uses} handler{'s' if self.uses != 1 else ''}"
            self.report(self.adapter.name, MESSAGE.format(name=NAME, uses=uses), help=HELP.format(name=NAME))
