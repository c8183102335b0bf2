"""MCP801 mcperror-renamed: `McpError` is `MCPError` in mcp 2.x, and its constructor changed."""

from __future__ import annotations

import libcst as cst

from mcpmigrate.rule.base import FileContext, Invalid, NodeFix, Valid, replace, replace_between
from mcpmigrate.rule.edits import hoisted_arguments
from mcpmigrate.rule.syntax import is_super_init
from mcpmigrate.rules._kits.sdk_renames import REMOVED, RenameRule
from mcpmigrate.steps import Step

OLD_NAMES = frozenset({"mcp.McpError", "mcp.shared.exceptions.McpError"})
# FastMCP 4 keeps the name as an alias of `mcp.MCPError`, so only the constructor changes.
FASTMCP_NAMES = frozenset({"fastmcp.exceptions.McpError"})
ERROR_DATA = frozenset({"mcp.ErrorData", "mcp.types.ErrorData", "mcp.shared.exceptions.ErrorData"})
ERROR_DATA_FIELDS = frozenset({"code", "message", "data"})

CONSTRUCTOR = "`McpError(error_data)` is `MCPError(code, message, data)` in mcp 2.x"
MESSAGE_ONLY = "this error is given only a message: `McpError` wants an `ErrorData`, and mcp 2.x's `MCPError` a code and a message"
MESSAGE_ONLY_HELP = "Pass a code too: `MCPError(INTERNAL_ERROR, \"...\")` (from `mcp.types`), or raise your own exception"
SUPER_INIT = "`MCPError.__init__` takes `code, message, data` in mcp 2.x, not an `ErrorData`"


class McpErrorRenamed(RenameRule):
    code = "MCP801"
    name = "mcperror-renamed"
    step = Step.SDK_2
    summary = "`McpError` is renamed to `MCPError` in mcp 2.x, and it is built from `code, message, data`"
    why = (
        "The 2026-07-28 protocol is only spoken by the `mcp` 2.x SDK, and 2.x removed `McpError` with no "
        "alias: `from mcp import McpError` and `from mcp.shared.exceptions import McpError` raise "
        "ImportError. The new `MCPError(code, message, data=None)` no longer takes an `ErrorData`, so a "
        "bare rename of `McpError(ErrorData(...))` would still fail at run time."
    )
    fix_summary = "`McpError` -> `MCPError`, constructor reshaped"
    fix_description = (
        "Renames the import and every use. `McpError(ErrorData(code=C, message=M, data=D))` becomes "
        "`MCPError(code=C, message=M, data=D)`; `McpError(error_data)` becomes "
        "`MCPError.from_error_data(error_data)`; in a subclass, `super().__init__(ErrorData(...))` becomes "
        "`super().__init__(code=..., message=...)`. An aliased import (`import McpError as E`) keeps the alias. "
        "FastMCP 4 keeps `fastmcp.exceptions.McpError` as an alias of `mcp.MCPError`: its calls are reshaped "
        "the same way, without a rename."
    )
    fix_safety = (
        "Safe: each rewrite builds the same error object under mcp 2.x, and `e.error.code` keeps working "
        "(2.x also adds `e.code`, `e.message`, `e.data`). A call of another shape (no argument, `*args`) "
        "is reported without a fix, and then no use of that imported name is fixed either, so the module "
        "keeps importing until a human rewrites the call. A module that re-exports `McpError` "
        "(`from yourpackage.errors import McpError` elsewhere) is not seen by this rule, which follows "
        "imports from `mcp` only: search for such imports after fixing."
    )
    rename_note = "the old name no longer imports"
    moves = {
        "mcp.McpError": "mcp.MCPError",
        "mcp.shared.exceptions.McpError": "mcp.shared.exceptions.MCPError",
    }
    references = (
        "https://github.com/modelcontextprotocol/python-sdk/blob/main/docs/migration.md",
        "../shared/reference/python-sdk-v1-to-v2.md section 1d",
    )
    tokens = ("mcperror",)
    examples = (
        Invalid(
            """
            from mcp.shared.exceptions import McpError
            from mcp.types import ErrorData

            def fail(uri):
                raise McpError(ErrorData(code=-32602, message=f"no {uri}"))
            """,
            findings=[(1, 35), (5, 11)],
            fixed="""
            from mcp.shared.exceptions import MCPError

            def fail(uri):
                raise MCPError(code=-32602, message=f"no {uri}")
            """,
        ),
        Invalid(
            """
            import mcp
            import mcp.types as types

            async def call(session):
                try:
                    return await session.call_tool("x", {})
                except mcp.McpError as error:
                    if error.error.code == types.INVALID_PARAMS:
                        return None
                    raise mcp.McpError(
                        types.ErrorData(
                            code=error.error.code,  # keep the peer's code
                            message="wrapped",
                            data=error.error.data,
                        )
                    )
            """,
            findings=[(7, 12), (10, 15)],
            fixed="""
            import mcp
            import mcp.types as types

            async def call(session):
                try:
                    return await session.call_tool("x", {})
                except mcp.MCPError as error:
                    if error.error.code == types.INVALID_PARAMS:
                        return None
                    raise mcp.MCPError(
                        code=error.error.code,  # keep the peer's code
                        message="wrapped",
                        data=error.error.data,
                    )
            """,
            note="attribute access through `import mcp`; the arguments move up one level, comments kept",
        ),
        Invalid(
            """
            from mcp.shared.exceptions import McpError
            from mcp.types import ErrorData

            def fail():
                raise McpError(ErrorData(
                    code=-32602,
                    message="missing",
                ))

            def explain():
                raise McpError(
                    ErrorData(
                        code=-32603,
                        message='''first line
                second line''',
                    )
                )
            """,
            findings=[(1, 35), (5, 11), (11, 11)],
            fixed="""
            from mcp.shared.exceptions import MCPError

            def fail():
                raise MCPError(
                    code=-32602,
                    message="missing",
                )

            def explain():
                raise MCPError(
                        code=-32603,
                        message='''first line
                second line''',
                    )
            """,
            note="a multi-line string's lines are its value: around one, nothing is re-indented",
        ),
        Invalid(
            """
            from mcp import McpError as ProtocolError, ErrorData

            def wrap(error_data: ErrorData):
                return ProtocolError(error_data)

            def keyword(error_data):
                return ProtocolError(error=error_data)
            """,
            findings=[(1, 17), (4, 12), (7, 12)],
            fixed="""
            from mcp import MCPError as ProtocolError, ErrorData

            def wrap(error_data: ErrorData):
                return ProtocolError.from_error_data(error_data)

            def keyword(error_data):
                return ProtocolError.from_error_data(error_data)
            """,
            note="an alias keeps its name; an ErrorData held in a variable goes through `from_error_data`",
        ),
        Invalid(
            """
            from mcp.shared.exceptions import McpError
            from mcp.types import ErrorData, INTERNAL_ERROR

            class BackendError(McpError):
                def __init__(self, detail: str) -> None:
                    super().__init__(ErrorData(code=INTERNAL_ERROR, message=detail))

            def is_protocol_error(exc: Exception) -> bool:
                return isinstance(exc, (McpError, TimeoutError))
            """,
            findings=[(1, 35), (4, 20), (6, 9), (9, 29)],
            fixed="""
            from mcp.shared.exceptions import MCPError
            from mcp.types import INTERNAL_ERROR

            class BackendError(MCPError):
                def __init__(self, detail: str) -> None:
                    super().__init__(code=INTERNAL_ERROR, message=detail)

            def is_protocol_error(exc: Exception) -> bool:
                return isinstance(exc, (MCPError, TimeoutError))
            """,
            note="a subclass's `super().__init__(ErrorData(...))` is reshaped too",
        ),
        Invalid(
            """
            from mcp import McpError
            from mcp.types import INTERNAL_ERROR, ErrorData

            def fail(data):
                raise McpError(INTERNAL_ERROR, "failed", data)

            def refuse():
                raise McpError(code=INTERNAL_ERROR, message="refused")

            def wrap(reason):
                raise McpError(ErrorData(code=INTERNAL_ERROR, message=reason))
            """,
            findings=[(1, 17), (5, 11), (8, 11), (11, 11)],
            fixed="""
            from mcp import MCPError
            from mcp.types import INTERNAL_ERROR

            def fail(data):
                raise MCPError(INTERNAL_ERROR, "failed", data)

            def refuse():
                raise MCPError(code=INTERNAL_ERROR, message="refused")

            def wrap(reason):
                raise MCPError(code=INTERNAL_ERROR, message=reason)
            """,
            note="calls already in 2.x's shape only change the name, and block nothing",
        ),
        Invalid(
            """
            from mcp import McpError

            def boom():
                raise McpError("boom")
            """,
            findings=[(1, 17), (4, 11), (4, 20)],
            fixed="""
            from mcp import MCPError

            def boom():
                raise MCPError("boom")
            """,
            note="a message alone (broken in 1.x too) is reported for a person; the name still moves",
        ),
        Invalid(
            """
            from mcp import McpError

            def rebuild(args):
                raise McpError(*args)

            def wrap(error_data):
                return McpError(error_data)
            """,
            findings=[(1, 17), (4, 11), (7, 12)],
            note=(
                "a call of another shape needs a human; until it is rewritten, no use of the name is fixed, "
                "so the import and the other uses keep working and stay reported"
            ),
        ),
        Invalid(
            """
            import mcp
            from mcp import McpError as ProtocolError

            def rebuild(args):
                raise mcp.McpError(*args)

            def wrap(error_data):
                return ProtocolError(error_data)
            """,
            findings=[(2, 17), (5, 11), (8, 12)],
            fixed="""
            import mcp
            from mcp import MCPError as ProtocolError

            def rebuild(args):
                raise mcp.McpError(*args)

            def wrap(error_data):
                return ProtocolError.from_error_data(error_data)
            """,
            note="a use through `mcp.` stands alone, so the other name's uses are still fixed",
        ),
        Valid(
            """
            from mcp import MCPError
            from mcp.types import ErrorData

            def fail():
                raise MCPError(code=-32602, message="missing")
            """
        ),
        Valid(
            """
            class McpError(Exception):
                '''Our own error type that happens to share the name.'''

            def fail():
                raise McpError("boom")
            """
        ),
        Valid(
            """
            from myproject.errors import McpError
            import mcp

            def fail(client):
                client.McpError = None
                raise McpError(kind="McpError")
            """
        ),
        Invalid(
            """
            from fastmcp.exceptions import McpError
            from mcp.types import ErrorData

            def fail():
                raise McpError(ErrorData(code=-32602, message="no such note"))
            """,
            findings=[(5, 11)],
            fixed="""
            from fastmcp.exceptions import McpError

            def fail():
                raise McpError(code=-32602, message="no such note")
            """,
            note="FastMCP 4 keeps the `McpError` name, as an alias of `mcp.MCPError`: only the call changes",
        ),
        Valid(
            """
            from fastmcp.exceptions import McpError

            def fail():
                raise McpError(code=-32602, message="FastMCP 4 keeps this alias")
            """
        ),
    )

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        # One entry per enclosing class: does it subclass McpError?
        self.error_subclass: list[bool] = []

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        subclass = any(self._is_error_class(base.value) for base in node.bases)
        self.error_subclass.append(subclass)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.error_subclass.pop()

    def _is_error_class(self, node: cst.BaseExpression) -> bool:
        """`McpError` under any spelling, `MCPError` (so half-migrated code is still checked), or
        FastMCP's `McpError`."""
        qualified = self.context.qualified_name(node)
        return qualified is not None and (self.table().canonical(qualified) in OLD_NAMES or qualified in FASTMCP_NAMES)

    def visit_Call(self, node: cst.Call) -> None:
        if self._is_error_class(node.func):
            self._constructor(node)
        elif self.error_subclass and self.error_subclass[-1] and is_super_init(node):
            self._super_init(node)

    def _constructor(self, node: cst.Call) -> None:
        old_name = self.changed(node.func)
        if not old_name and (len(node.args) != 1 or node.args[0].keyword is not None or node.args[0].star):
            return  # `MCPError(code, message)`: already the 2.x shape
        self.claim(node.func)
        target = node.func
        binding = node.func.value if isinstance(node.func, cst.Name) else None
        renamed = self.new_text(node.func)
        if renamed is REMOVED or renamed is None:  # pragma: no cover - every McpError spelling maps
            return
        applicability = self.fix_applicability
        message = CONSTRUCTOR
        if self.context.qualified_name(node.func) in FASTMCP_NAMES:
            message = "FastMCP 4's `McpError` is `mcp.MCPError`: it takes `code, message, data`, not an `ErrorData`"
        inline = self._inline_error_data(node)
        if inline is not None:
            edits = (
                replace_between(node.func, "start", node, "end", lambda view: renamed + hoisted_arguments(view, node, inline)),
            )
            self.defer(binding, target, message, NodeFix("Build `MCPError(code=..., message=...)`", applicability, edits))
            return
        single = _single_argument(node)
        rename = NodeFix(f"Rename to `{renamed}`", applicability, (replace(node.func, renamed),))
        if single is not None and _is_text(single.value):
            # `McpError("boom")` failed in 1.x too (it wants an ErrorData): only a person can pick the code.
            self.defer(None, single.value, MESSAGE_ONLY, help=MESSAGE_ONLY_HELP)
            if old_name:
                self.defer(binding, target, self.rename_message(self.context.code_for(node.func), renamed), rename)
            return
        if _two_x_shape(node):  # `McpError(INTERNAL_ERROR, "msg")`: already 2.x's arguments, only the name moves
            if old_name:
                self.defer(binding, target, self.rename_message(self.context.code_for(node.func), renamed), rename)
            return
        if single is not None:
            edits = [replace(node.func, f"{renamed}.from_error_data")]
            if single.keyword is not None:  # `error=x` -> `x`
                edits.append(replace_between(single.keyword, "start", single.value, "start", ""))
            self.defer(binding, target, message, NodeFix("Use `MCPError.from_error_data(...)`", applicability, tuple(edits)))
            return
        self.defer(
            binding,
            target,
            f"{message}, and this call's arguments cannot be rewritten automatically",
            help="Build the error as `MCPError(code, message, data)` or `MCPError.from_error_data(error_data)`",
        )

    def _super_init(self, node: cst.Call) -> None:
        inline = self._inline_error_data(node)
        if inline is None:
            if len(node.args) == 1 and not node.args[0].star and node.args[0].keyword is None:
                self.defer(None, node.func, SUPER_INIT, help="Call `super().__init__(code, message, data)`")
            return
        edits = (replace_between(node.func, "end", node, "end", lambda view: hoisted_arguments(view, node, inline)),)
        fix = NodeFix("Call `super().__init__(code=..., message=...)`", self.fix_applicability, edits)
        self.defer(None, node.func, SUPER_INIT, fix)

    def _inline_error_data(self, node: cst.Call) -> cst.Call | None:
        """The `ErrorData(code=..., message=...)` call that is this call's only argument, if moving its
        arguments up one level loses nothing (no comment outside it, keyword arguments only)."""
        single = _single_argument(node)
        if single is None or not isinstance(single.value, cst.Call):
            return None
        inner = single.value
        if self.context.qualified_name(inner.func) not in ERROR_DATA:
            return None
        keywords = [arg.keyword.value if arg.keyword else None for arg in inner.args]
        if None in keywords or not {"code", "message"} <= set(keywords) <= ERROR_DATA_FIELDS:
            return None
        outside = self.context.code_for(node).replace(self.context.code_for(inner), "", 1)
        if "#" in outside:
            return None
        return inner


def _is_text(node: cst.BaseExpression) -> bool:
    return isinstance(node, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString))


def _two_x_shape(node: cst.Call) -> bool:
    """`(code, message[, data])` by position or keyword, as `MCPError` takes them in mcp 2.x."""
    if len(node.args) < 2 or any(arg.star for arg in node.args):
        return False
    keywords = [arg.keyword.value for arg in node.args if arg.keyword is not None]
    positional = len(node.args) - len(keywords)
    named = set(keywords) | set(("code", "message", "data")[:positional])
    return set(keywords) <= ERROR_DATA_FIELDS and {"code", "message"} <= named and len(named) == len(node.args)


def _single_argument(node: cst.Call) -> cst.Arg | None:
    if len(node.args) != 1:
        return None
    arg = node.args[0]
    if arg.star or (arg.keyword is not None and arg.keyword.value != "error"):
        return None
    return arg
