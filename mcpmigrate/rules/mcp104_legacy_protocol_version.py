"""MCP104 legacy-protocol-version: MCP protocol versions before 2026-07-28 used as the version."""

from __future__ import annotations

import re

import libcst as cst

from mcpmigrate.findings import Applicability
from mcpmigrate.rule.base import FileContext, Invalid, NodeFix, Rule, Valid, insert_before, replace
from mcpmigrate.rule.edits import string_literal
from mcpmigrate.rule.imports import dotted_name
from mcpmigrate.rules._kits.jsonrpc import dict_entries, mcp_evidence, string_value
from mcpmigrate.rules._kits.spec import CURRENT_VERSION, LEGACY_VERSIONS
from mcpmigrate.rules._kits.shapes import VERSION
from mcpmigrate.steps import Step

LEGACY = frozenset(LEGACY_VERSIONS)
CURRENT = CURRENT_VERSION
VERSION_KEYS = frozenset({"protocolversion", "protocol_version", "mcp-protocol-version", "io.modelcontextprotocol/protocolversion"})
# Keys that are MCP's alone; a `protocolVersion` or a `PROTOCOL_VERSION` name also needs the file to be about MCP.
MCP_KEYS = frozenset({"mcp-protocol-version", "io.modelcontextprotocol/protocolversion"})
VERSION_NAME = re.compile(r"protocol_?version", re.IGNORECASE)
# In a file about MCP, any `*VERSION*` name set to a revision holds the protocol's (`EXPECTED_VERSION`,
# `DEFAULT_VERSION`): a date-shaped version is no package's. A `*VERSIONS` or `SUPPORTED*` name holds a list.
ANY_VERSION_NAME = re.compile(r"version|supported|protocol", re.IGNORECASE)
# Calls whose second argument is the default of a lookup: `params.get("protocolVersion", "2025-03-26")`,
# `os.getenv("MCP_PROTOCOL_VERSION", "2025-06-18")`, `os.environ.get(...)`.
LOOKUPS = frozenset({"get", "getenv", "pop", "setdefault"})
# The `initialize` handshake's params and result: only handshake-era versions belong there.
HANDSHAKE_FIELDS = frozenset({"capabilities", "clientInfo", "serverInfo"})
HANDSHAKE_TYPES = frozenset(
    f"{module}.{name}" for module in ("mcp.types", "mcp") for name in ("InitializeRequestParams", "InitializeResult")
)
HANDSHAKE_HELP = (
    "The `initialize` handshake negotiates handshake-era versions only (`LATEST_HANDSHAKE_VERSION` in "
    "`mcp.types.version` is 2025-11-25): keep it for older peers, and serve 2026-07-28 through "
    "`server/discover` (see MCP101, MCP102)"
)
MESSAGE = "`{value}` is a protocol revision before 2026-07-28, which has no `initialize` handshake"
LIST_MESSAGE = "a list of supported MCP protocol versions without `2026-07-28`"


def _names_a_version(node: cst.BaseExpression | None) -> bool:
    """`PROTOCOL_VERSION`, `self.protocol_version`, `headers["MCP-Protocol-Version"]`, `protocolVersion=`."""
    if node is None:
        return False
    if isinstance(node, cst.Attribute):  # `actions[1].protocol_version`: the attribute names it, whatever holds it
        return bool(VERSION_NAME.search(node.attr.value))
    name = dotted_name(node)
    if name is not None:
        return bool(VERSION_NAME.search(name.rsplit(".", 1)[-1]))
    if isinstance(node, cst.Subscript) and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
        key = string_value(node.slice[0].slice.value)
        return key is not None and key.lower() in VERSION_KEYS
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "get" and node.args:
        key = string_value(node.args[0].value)
        return key is not None and key.lower() in VERSION_KEYS
    return False


def _names_any_version(node: cst.BaseExpression | None) -> bool:
    """`EXPECTED_VERSION`, `SUPPORTED`, `self.version`: a name that, in a file about MCP, holds a revision."""
    name = dotted_name(node) if node is not None else None
    return name is not None and bool(ANY_VERSION_NAME.search(name.rsplit(".", 1)[-1]))


def _lookup_key(node: cst.Call) -> str | None:
    """The key a lookup with a default reads: `x.get("protocolVersion", ...)`, `os.getenv("MCP_PROTOCOL_VERSION", ...)`."""
    func = node.func
    name = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else None
    if name not in LOOKUPS or len(node.args) < 2 or node.args[0].keyword is not None:
        return None
    return string_value(node.args[0].value)


def _revisions(node: cst.BaseExpression) -> list[str | None] | None:
    """The values of a list, tuple or set literal (None for a non-literal element), or None."""
    if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
        return [string_value(element.value) for element in node.elements]
    return None


class LegacyProtocolVersion(Rule):
    code = "MCP104"
    name = "legacy-protocol-version"
    step = Step.META_AND_DISCOVER
    summary = "MCP protocol versions before `2026-07-28` where they set, send or check the protocol version"
    why = (
        "A client that sends `2025-06-18` (in `initialize`, `MCP-Protocol-Version` or `_meta`) asks for the "
        "old, stateful protocol, which a 2026-07-28-only server rejects with `-32022` "
        "UnsupportedProtocolVersion; a server that only accepts the old revisions turns modern clients "
        "away, and a `server/discover` answer must list `2026-07-28` in `supportedVersions`."
    )
    fix_summary = '`"2026-07-28"` for versions in a version position (unsafe)'
    fix_description = (
        "A single version becomes `\"2026-07-28\"` (in the same quotes); a list of supported versions gets "
        "`\"2026-07-28\"` in front. Only literals in a version position are touched: a `protocolVersion` "
        "or `MCP-Protocol-Version` key, a name like `*PROTOCOL_VERSION*`, a comparison with one, or a "
        "`protocol_version=` argument (all but the MCP-only keys only in files that show they are about MCP). "
        "The version inside an `initialize` request or result (`InitializeRequestParams`, a dict with "
        "`capabilities` / `clientInfo` / `serverInfo`) is reported but never rewritten: the handshake cannot "
        "negotiate 2026-07-28."
    )
    fix_safety = (
        "Unsafe: a server may have to keep serving older clients (list both), and a client speaking to "
        "an older server has to keep the version it speaks until that server moves."
    )
    references = (
        "https://modelcontextprotocol.io/specification/2026-07-28/basic/versioning",
        "../shared/reference/spec-2026-07-28-details.md sections 2.1, 2.3, 7 and 8 (item 19)",
    )
    answers = ((VERSION, "2025-06-18"), (VERSION, "2024-11-05"))
    tokens = LEGACY_VERSIONS
    examples = (
        Invalid(
            """
            from mcp.server.auth.settings import AuthSettings


            def setup_auth(app, config) -> None:
                if config.version == "2025-03-26":
                    install_2025_03_26_auth(app)
                elif config.version != "2025-06-18":
                    raise ValueError(f"unsupported MCP spec version {config.version}")
            """,
            findings=[(5, 26), (7, 28)],
            note="a plain `version` compared to an MCP revision: behaviour chosen per revision, reported without a fix",
        ),
        Invalid(
            """
            PROTOCOL_VERSION = "2025-06-18"
            SUPPORTED_PROTOCOL_VERSIONS = ["2025-03-26", "2025-06-18"]

            def headers(token: str) -> dict:
                return {"Authorization": token, "MCP-Protocol-Version": '2025-11-25'}

            def initialize_request() -> dict:
                return {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                        "params": {"protocolVersion": "2024-11-05", "capabilities": {}}}

            def accept(request) -> bool:
                return request.headers.get("mcp-protocol-version") == "2025-03-26"
            """,
            findings=[(1, 20), (2, 31), (5, 61), (9, 43), (12, 59)],
            unsafe_fixed="""
            PROTOCOL_VERSION = "2026-07-28"
            SUPPORTED_PROTOCOL_VERSIONS = ["2026-07-28", "2025-03-26", "2025-06-18"]

            def headers(token: str) -> dict:
                return {"Authorization": token, "MCP-Protocol-Version": '2026-07-28'}

            def initialize_request() -> dict:
                return {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                        "params": {"protocolVersion": "2024-11-05", "capabilities": {}}}

            def accept(request) -> bool:
                return request.headers.get("mcp-protocol-version") == "2026-07-28"
            """,
            note="inside an `initialize` message the version is reported but not rewritten: the handshake cannot carry 2026-07-28",
        ),
        Invalid(
            """
            from mcp.types import InitializeRequestParams

            params = InitializeRequestParams(protocolVersion="2025-06-18", capabilities={}, clientInfo=info)
            """,
            findings=[(3, 50)],
            note="the handshake's own parameters: reported, never rewritten to a version it cannot negotiate",
        ),
        Invalid(
            """
            from starlette.responses import JSONResponse

            PROTOCOL_VERSION = "2025-06-18"
            SERVER_INFO = {"name": "weather", "version": "1"}


            def handle(message):
                if message["method"] == "initialize":
                    result = {"protocolVersion": PROTOCOL_VERSION, "capabilities": {"tools": {}}, "serverInfo": SERVER_INFO}
                    return JSONResponse({"jsonrpc": "2.0", "id": message["id"], "result": result})
                if message["method"] == "notifications/initialized":
                    return None
            """,
            findings=[(3, 20)],
            note="a constant an `initialize` result carries: reported, not rewritten (handshake-era clients would "
            "reject the answer)",
        ),
        Valid(
            """
            RELEASED = "2025-06-18"
            CHANGELOG = {"2025-11-25": "Added search", "2026-07-28": "Stateless"}

            def since(date: str = "2025-03-26") -> bool:
                return date > "2024-11-05"
            """
        ),
        Valid(
            """
            SUPPORTED_PROTOCOL_VERSIONS = ["2026-07-28", "2025-11-25"]
            API_VERSION = "2025-06-18"

            def handshake(request) -> str:
                return request.headers.get("X-Api-Version", "2025-06-18")
            """
        ),
        Valid(
            """
            import stripe

            stripe.api_version = "2025-03-26"
            headers = {"Stripe-Version": "2025-11-25", "version": "2025-06-18"}
            """
        ),
    )

    def __init__(self, context: FileContext) -> None:
        super().__init__(context)
        self.evidence = mcp_evidence(context)
        self.calls: list[bool] = []  # for each call being visited: does it build an `initialize` message?
        self.constants: list[tuple[set[str], cst.BaseExpression]] = []  # version-named assignments: targets, value
        self.handshake_names: set[str] = set()  # names whose value an `initialize` message carries as its version
        self.version_calls: list[bool] = []  # per enclosing call: is it about versions (`ProtocolVersion.parse`)?
        self.classes: list[bool] = []  # per enclosing class: is it named for versions (`ProtocolVersion`)?

    def _single(self, node: cst.BaseExpression | None, handshake: bool = False) -> None:
        value = string_value(node)
        if value in LEGACY and isinstance(node, cst.SimpleString):
            if handshake:  # `initialize` negotiates handshake-era versions only: 2026-07-28 would break it
                self.report(node, MESSAGE.format(value=value), help=HANDSHAKE_HELP)
                return
            fix = NodeFix('Use "2026-07-28"', Applicability.UNSAFE, (replace(node, string_literal(node, CURRENT)),))
            self.report(node, MESSAGE.format(value=value), fix=fix)

    def _value(self, node: cst.BaseExpression | None) -> None:
        if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
            values = [string_value(element.value) for element in node.elements]
            if CURRENT not in values and any(value in LEGACY for value in values) and node.elements:
                first = node.elements[0].value
                edit = insert_before(first, string_literal(first, CURRENT) + ", ") if isinstance(first, cst.SimpleString) else None
                fix = NodeFix('Add "2026-07-28"', Applicability.UNSAFE, (edit,)) if edit else None
                self.report(node, LIST_MESSAGE, fix=fix, help='Add "2026-07-28" to the versions you accept')
        else:
            self._single(node)

    def _holds_versions(self, target: cst.BaseExpression, value: cst.BaseExpression | None) -> bool:
        """An assignment of the protocol version(s): a `*PROTOCOL_VERSION*` name, or, in a file about MCP,
        a `*VERSION*` / `SUPPORTED*` name whose value is a revision (or a literal list of revisions only)."""
        if _names_a_version(target):
            return True
        if value is None or not _names_any_version(target):
            return False
        listed = _revisions(value)
        if listed is not None:
            return bool(listed) and all(item in LEGACY or item == CURRENT for item in listed)
        return string_value(value) in LEGACY

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.classes.append(bool(ANY_VERSION_NAME.search(node.name.value)))

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.classes.pop()

    def visit_Assign(self, node: cst.Assign) -> None:
        if self.evidence and self.classes and self.classes[-1] and string_value(node.value) in LEGACY:
            # `class ProtocolVersion: CURRENT = "2025-06-18"`: the class names what its members hold
            self.constants.append(({dotted_name(t.target) or "" for t in node.targets}, node.value))
            return
        if self.evidence and any(self._holds_versions(target.target, node.value) for target in node.targets):
            self.constants.append(({dotted_name(target.target) or "" for target in node.targets}, node.value))
        elif self.evidence:
            self._keyed_by_revision(node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if self.evidence and self._holds_versions(node.target, node.value):
            self.constants.append(({dotted_name(node.target) or ""}, node.value))

    def visit_Param(self, node: cst.Param) -> None:
        """`def connect(protocol_version: str = "2025-06-18")`: a default version."""
        if self.evidence and node.default is not None and self._holds_versions(node.name, node.default):
            self._value(node.default)

    def _keyed_by_revision(self, node: cst.BaseExpression | None) -> None:
        """`HANDLERS = {"2025-06-18": ..., "2025-03-26": ...}`: behaviour per revision, none for 2026-07-28."""
        if not isinstance(node, cst.Dict):
            return
        keys = [string_value(element.key) for element in node.elements if isinstance(element, cst.DictElement)]
        if keys and CURRENT not in keys and all(key in LEGACY for key in keys):
            self.report(node, "a table keyed by MCP protocol revisions without `2026-07-28`",
                        help="Add what this code does for 2026-07-28")

    def leave_Module(self, original_node: cst.Module) -> None:
        # Decided once every use is seen: `PROTOCOL_VERSION = "2025-06-18"` that an `initialize` result
        # carries stays a handshake-era version (rewritten, it would break every handshake-era client).
        for names, value in self.constants:
            if names & self.handshake_names:
                self._single(value, handshake=True)
            else:
                self._value(value)

    def _handshake_version(self, node: cst.BaseExpression) -> None:
        if (name := dotted_name(node)) is not None:
            self.handshake_names.add(name)
        else:
            self._single(node, handshake=True)

    def visit_Dict(self, node: cst.Dict) -> None:
        entries = dict_entries(node)
        handshake = bool(HANDSHAKE_FIELDS & entries.keys())  # `initialize`'s params or result
        for key, element in entries.items():
            if key.lower() in MCP_KEYS or (self.evidence and key.lower() in VERSION_KEYS):
                if handshake and key == "protocolVersion":
                    self._handshake_version(element.value)
                else:
                    self._value(element.value)

    def visit_Call(self, node: cst.Call) -> None:
        self.calls.append(self.context.qualified_name(node.func) in HANDSHAKE_TYPES)
        callee = dotted_name(node.func) or ""
        flags = [string_value(arg.value) or "" for arg in node.args if arg.keyword is None]
        self.version_calls.append(
            "version" in callee.lower() or (callee.endswith("add_argument") and any("version" in flag for flag in flags))
        )

    def leave_Call(self, original_node: cst.Call) -> None:
        self.calls.pop()
        self.version_calls.pop()
        key = _lookup_key(original_node) if self.evidence else None
        if key is not None and (key.lower() in VERSION_KEYS or VERSION_NAME.search(key)):
            self._single(original_node.args[1].value)  # the default of a version lookup

    def visit_Arg(self, node: cst.Arg) -> None:
        if self.evidence and node.keyword is not None and node.keyword.value.lower() in {"protocolversion", "protocol_version"}:
            if self.calls and self.calls[-1]:
                self._handshake_version(node.value)
            else:
                self._value(node.value)
        elif self.evidence and node.keyword is not None and "version" in node.keyword.value.lower():
            # `negotiated_protocol_version="2025-06-18"`, `add_argument("--protocol-version", default=...)`
            if string_value(node.value) in LEGACY:
                self._single(node.value)
            elif node.keyword.value == "choices":
                self._value(node.value)
        elif self.evidence and node.keyword is None and string_value(node.value) in LEGACY and self.version_calls and self.version_calls[-1]:
            self._single(node.value)  # `ProtocolVersion.parse("2025-06-18")`, `transport.set_protocol_version(...)`
        elif self.evidence and node.keyword is not None and node.keyword.value in ("choices", "default") and self.version_calls and self.version_calls[-1]:
            self._value(node.value)  # `add_argument("--protocol-version", choices=(...), default="2025-11-25")`

    def visit_Comparison(self, node: cst.Comparison) -> None:
        if not self.evidence:
            return
        if len(node.comparisons) != 1 or not isinstance(node.comparisons[0].operator, (cst.Equal, cst.NotEqual)):
            return
        right = node.comparisons[0].comparator
        if _names_a_version(node.left):
            self._single(right)
        elif _names_a_version(right):
            self._single(node.left)
        else:
            # `config.version == "2025-03-26"`: a plain `version` compared to an MCP revision exactly (in a
            # file with MCP evidence) picks behaviour for that revision; what 2026-07-28 needs is a decision
            for literal, other in ((right, node.left), (node.left, right)):
                value = string_value(literal)
                name = dotted_name(other)
                if value in LEGACY and name is not None and ANY_VERSION_NAME.search(name.rsplit(".", 1)[-1]):
                    self.report(literal, MESSAGE.format(value=value),
                                help="Decide what this code does for 2026-07-28 (a branch per revision, or the new one)")
