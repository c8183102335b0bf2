"""The checks. Each one sends what a 2026-07-28 client (or a gateway) sends, and compares the answer
with one requirement of the specification, which it names. MUST requirements decide the exit
status; SHOULD requirements are reported; INFO says what the server is, not whether it is right.

Read-only unless asked: no tool is called without `call_tools`, since tools can have side effects.
"""

from __future__ import annotations

import enum
import itertools
import json
from dataclasses import dataclass, field
from typing import Any, Callable, Optional, Union

from mcpmigrate.probe.wire import HttpTarget, ProbeAbort, Reply, StdioTarget, encode_header_value

CURRENT_VERSION = "2026-07-28"
HANDSHAKE_VERSION = "2025-11-25"  # what a handshake-era client offers in `initialize`
UNSUPPORTED_VERSION = "1999-01-01"
META_VERSION = "io.modelcontextprotocol/protocolVersion"
META_CAPABILITIES = "io.modelcontextprotocol/clientCapabilities"
META_CLIENT_INFO = "io.modelcontextprotocol/clientInfo"
META_SERVER_INFO = "io.modelcontextprotocol/serverInfo"
CLIENT_INFO = {"name": "mcpmigrate-probe", "version": "1"}
# The capabilities declared on a tool call, so that a server may ask for any kind of input.
INPUT_CAPABILITIES = {"elicitation": {"form": {}}, "sampling": {}, "roots": {}}
INPUT_METHODS = ("elicitation/create", "sampling/createMessage", "roots/list")

INVALID_PARAMS = -32602
METHOD_NOT_FOUND = -32601
HEADER_MISMATCH = -32020
UNSUPPORTED_PROTOCOL_VERSION = -32022
LEGACY_RESOURCE_NOT_FOUND = -32002

# Requests that 2026-07-28 removed: a modern request for one answers "method not found".
REMOVED_METHODS = ("ping", "logging/setLevel", "resources/subscribe", "resources/unsubscribe", "tasks/list", "tasks/result")
# The list results that must carry cache hints, and the capability that says the server has them.
LISTS = (("tools/list", "tools"), ("prompts/list", "prompts"), ("resources/list", "resources"),
         ("resources/templates/list", "resources"))
HEADER_CHECKS = ("header-method-missing", "header-method-mismatch", "header-name-missing", "header-name-mismatch",
                 "header-version-mismatch", "header-version-missing")
# Names no server has: the header checks never reach a real tool, prompt or resource.
ABSENT_NAME = "mcpmigrate-probe-absent"
ABSENT_URI = "mcpmigrate-probe://absent/resource"

# Requests in a row without an answer after which the server is taken to have stopped answering.
SILENCE_LIMIT = 3
SPEC = "https://modelcontextprotocol.io/specification/2026-07-28"


class Level(str, enum.Enum):
    MUST = "MUST"
    SHOULD = "SHOULD"
    INFO = "INFO"


class Status(str, enum.Enum):
    PASS = "pass"
    FAIL = "fail"
    SKIP = "skip"
    INFO = "info"


@dataclass(frozen=True)
class Check:
    """One requirement: its id, what the server must do, and where the specification says so."""

    id: str
    level: Level
    requirement: str
    reference: str


@dataclass(frozen=True)
class Outcome:
    check: Check
    status: Status
    detail: str

    @property
    def failed_must(self) -> bool:
        return self.status is Status.FAIL and self.check.level is Level.MUST


def _check(id: str, level: Level, requirement: str, page: str) -> Check:
    return Check(id, level, requirement, f"{SPEC}/{page}")


LIFECYCLE = "basic/lifecycle"
TRANSPORT = "basic/transports/streamable-http"
CHECKS = {check.id: check for check in (
    _check("discover", Level.MUST, "server/discover answers with resultType, supportedVersions containing 2026-07-28, "
           "capabilities, ttlMs and cacheScope", "server/discover"),
    _check("discover-server-info", Level.SHOULD, "results carry io.modelcontextprotocol/serverInfo in _meta", LIFECYCLE),
    _check("meta-required", Level.MUST, "a request without the _meta protocol version is rejected with -32602", LIFECYCLE),
    _check("unsupported-version", Level.MUST, "a request for an unsupported version is rejected with -32022 and the "
           "supported versions in data.supported", "basic/versioning"),
    _check("header-method-missing", Level.MUST, "a POST without Mcp-Method is rejected with HTTP 400 and -32020", TRANSPORT),
    _check("header-method-mismatch", Level.MUST, "a POST whose Mcp-Method differs from the body's method is rejected "
           "with HTTP 400 and -32020", TRANSPORT),
    _check("header-name-missing", Level.MUST, "a tools/call POST without Mcp-Name is rejected with HTTP 400 and -32020", TRANSPORT),
    _check("header-name-mismatch", Level.MUST, "a POST whose Mcp-Name differs from params.name is rejected with HTTP 400 "
           "and -32020", TRANSPORT),
    _check("header-version-mismatch", Level.MUST, "a POST whose MCP-Protocol-Version differs from the _meta version is "
           "rejected with HTTP 400 and -32020", TRANSPORT),
    _check("header-version-missing", Level.MUST, "a modern POST without MCP-Protocol-Version is rejected with HTTP 400 "
           "(a server that serves handshake-era clients may take it as theirs)", TRANSPORT),
    _check("no-session-id", Level.MUST, "no Mcp-Session-Id is issued to a 2026-07-28 client", TRANSPORT),
    _check("no-server-requests", Level.MUST, "no server-to-client request is sent while answering a 2026-07-28 request",
           "basic/patterns/mrtr"),
    _check("no-log-messages", Level.MUST, "no notifications/message for a request whose _meta has no logLevel",
           "basic/utilities/logging"),
    _check("stdout-clean", Level.MUST, "a stdio server writes nothing but MCP messages to its stdout",
           "basic/transports/stdio"),
    _check("http-get", Level.MUST, "GET on the endpoint answers 405 on a modern-only server", TRANSPORT),
    _check("http-delete", Level.MUST, "DELETE on the endpoint answers 405 on a modern-only server", TRANSPORT),
    _check("result-type", Level.MUST, "every result carries resultType", "basic/index"),
    _check("cache-hints", Level.MUST, "list results carry ttlMs and cacheScope (public or private)", "basic/index"),
    _check("tools-list-stable", Level.SHOULD, "tools/list is the same, in the same order, on two calls", "server/tools"),
    _check("resource-not-found", Level.MUST, "a missing resource is -32602, not -32002", "server/resources"),
    _check("resource-not-found-uri", Level.SHOULD, "the missing-resource error carries data.uri", "server/resources"),
    *(_check(f"removed:{method}", Level.MUST, f"{method} was removed: a modern request for it answers -32601"
             " (HTTP 404)", "changelog") for method in REMOVED_METHODS),
    _check("tool-result-type", Level.MUST, "tools/call results carry resultType", "server/tools"),
    _check("input-required", Level.MUST, "a tool that needs input answers with InputRequiredResult and completes when "
           "retried with inputResponses and the opaque requestState", "basic/patterns/mrtr"),
    _check("handshake-era", Level.INFO, "whether the server still serves handshake-era clients (initialize); serving "
           "both eras is the recommended transition", "basic/versioning"),
)}


@dataclass
class ProbeOptions:
    call_tools: bool = False


@dataclass
class ProbeReport:
    target: str
    transport: str
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(outcome.failed_must for outcome in self.outcomes)


Target = Union[HttpTarget, StdioTarget]


class Probe:
    """One probe of one server: sends, remembers what it learnt (the discover result, whether the
    server serves handshake-era clients), and records an outcome per check."""

    def __init__(self, target: Target, options: ProbeOptions, restart: Optional[Callable[[], Target]] = None) -> None:
        self.target = target
        self.options = options
        self.restart = restart  # stdio: a fresh process, for the handshake-era check
        self.report = ProbeReport(target=target.name, transport=target.kind)
        self._ids = itertools.count(1)
        self._modern_replies: list[tuple[str, Reply]] = []
        self.capabilities: dict[str, Any] = {}
        self._initialize_answer: Optional[Reply] = None
        self._tools_listing: Optional[dict[str, Any]] = None  # the first tools/list result, for the tool calls
        self._discover: Optional[Reply] = None
        self._silent: list[str] = []  # the methods of the latest requests in a row that got no answer
        self._last_exchange: Optional[tuple[str, Reply]] = None  # named when an answer cannot be read

    # -- sending --------------------------------------------------------------------------------------

    def modern(self, method: str, params: Optional[dict[str, Any]] = None, *, version: str = CURRENT_VERSION,
               meta: Optional[dict[str, Any]] = None, headers: Optional[dict[str, Optional[str]]] = None,
               capabilities: Optional[dict[str, Any]] = None) -> Reply:
        """A request as a 2026-07-28 client sends it; `meta` and `headers` replace what it would send
        (a header given as None is left out)."""
        body_params = dict(params or {})
        body_params["_meta"] = meta if meta is not None else {
            META_VERSION: version, META_CAPABILITIES: capabilities or {}, META_CLIENT_INFO: CLIENT_INFO,
        }
        sent = {"MCP-Protocol-Version": version, "Mcp-Method": method}
        name = body_params.get("uri") if method == "resources/read" else body_params.get("name")
        if isinstance(name, str):
            sent["Mcp-Name"] = encode_header_value(name)
        for key, value in (headers or {}).items():
            sent.pop(key, None)
            if value is not None:
                sent[key] = value
        reply = self.target.exchange({"jsonrpc": "2.0", "id": next(self._ids), "method": method, "params": body_params}, sent)
        self._last_exchange = (method, reply)
        self._count_silence(method, reply)
        if self.target.kind == "stdio" or sent.get("MCP-Protocol-Version") == CURRENT_VERSION:
            # Without the version header a server that serves both eras rightly takes a POST as the
            # handshake era's: what it answers then is not what it does for a modern client.
            self._modern_replies.append((method, reply))
        return reply

    def _count_silence(self, method: str, reply: Reply) -> None:
        """One unanswered request fails its check; a server that stops answering altogether ends the
        probe, instead of every remaining check waiting out its timeout."""
        if reply.status is not None or reply.message is not None or not (reply.problem or "").startswith("no answer"):
            self._silent = []
            return
        self._silent.append(method)
        if len(self._silent) >= SILENCE_LIMIT:
            raise ProbeAbort(f"{self.target.name} stopped answering: {', '.join(self._silent)} got no answer within "
                             f"{self.target.timeout:g} s each")

    def initialize(self, target: Target) -> Reply:
        """`initialize` as a handshake-era client sends it: no version header, no `_meta`."""
        return target.exchange({"jsonrpc": "2.0", "id": next(self._ids), "method": "initialize", "params": {
            "protocolVersion": HANDSHAKE_VERSION, "capabilities": {}, "clientInfo": CLIENT_INFO,
        }}, {})

    def record(self, check_id: str, status: Status, detail: str) -> None:
        self.report.outcomes.append(Outcome(CHECKS[check_id], status, detail))

    def verdict(self, check_id: str, problems: list[str], passed: str) -> None:
        self.record(check_id, Status.FAIL if problems else Status.PASS, "; ".join(problems) if problems else passed)

    def rejection_verdict(self, check_id: str, problems: list[str], passed: str, *, failures_too: bool = False) -> None:
        """A check that the server rejects something: the rejection says nothing when the server
        rejects a well-formed server/discover too (a handshake-era SDK server answers every request
        before `initialize` with -32602), so that pass becomes a skip; a failure stays one, unless
        it is about what the rejection carries (`failures_too`), which says nothing either then."""
        if (failures_too or not problems) and self._discover is not None and self._discover.result is None:
            seen = "; ".join(problems) if problems else passed
            self.record(check_id, Status.SKIP, f"{seen}, but a well-formed server/discover is rejected too "
                        f"({self._discover.describe()}), so this says nothing")
        else:
            self.verdict(check_id, problems, passed)

    # -- the run --------------------------------------------------------------------------------------

    def run(self) -> ProbeReport:
        discover = self._discover = self.modern("server/discover")
        if discover.result is None or self.target.kind == "http":
            # The era decides how GET, DELETE and a missing version header read; a server that does
            # not discover declares its capabilities in initialize only; and a server that answers
            # neither is not an MCP server.
            if not self._learn_era() and discover.message is None:
                raise ProbeAbort(f"{self.target.name} {'never answered' if (discover.problem or '').startswith('no answer') else 'is not an MCP server'}: "
                                 f"server/discover got {discover.describe()}, initialize got "
                                 f"{self._initialize_answer.describe() if self._initialize_answer else 'nothing'}")
        self._judge(lambda: self.check_discover(discover), "discover", "discover-server-info")
        if self._initialize_answer is not None:
            self._judge(lambda: self.check_handshake_era(discovered=discover.result is not None), "handshake-era")
        self._judge(self.check_meta_required, "meta-required")
        self._judge(self.check_unsupported_version, "unsupported-version")
        if self.target.kind == "http":
            self._judge(self.check_headers, *HEADER_CHECKS)
        self._judge(self.check_lists, "result-type", "cache-hints", "tools-list-stable")
        self._judge(self.check_resource_not_found, "resource-not-found", "resource-not-found-uri")
        self._judge(self.check_removed_methods, *(f"removed:{method}" for method in REMOVED_METHODS))
        self._judge(self.check_tools, "tool-result-type", "input-required")
        if self.target.kind == "http":
            self._judge(self.check_plain_verbs, "http-get", "http-delete")
            self._judge(self.check_no_session_id, "no-session-id")
        self._judge(self.check_no_server_requests, "no-server-requests")
        self._judge(self.check_no_log_messages, "no-log-messages")
        if self.target.kind == "stdio":
            self._judge(self.check_stdout_clean, "stdout-clean")
        if not any(outcome.check.id == "handshake-era" for outcome in self.report.outcomes):
            def handshake_era() -> None:
                self._learn_era()  # on stdio last: initialize on a fresh process, this one stays modern
                self.check_handshake_era(discovered=True)
            self._judge(handshake_era, "handshake-era")
        return self.report

    def _judge(self, run_checks: Callable[[], None], *check_ids: str) -> None:
        """Runs checks that record `check_ids`. The one place where an answer of a shape no check
        foresaw becomes a verdict: each of those checks not yet recorded fails, naming the answer."""
        try:
            run_checks()
        except ProbeAbort:
            raise
        except Exception as error:  # noqa: BLE001 - any server's answer must end in a verdict
            recorded = {outcome.check.id for outcome in self.report.outcomes}
            method, reply = self._last_exchange or ("nothing", Reply())
            seen = _shown(reply.message, 200) if reply.message is not None else reply.describe()
            detail = f"the answer to {method} cannot be read ({type(error).__name__}: {_shown(str(error))}): {seen}"
            for check_id in check_ids:
                if check_id not in recorded:
                    self.record(check_id, Status.FAIL, detail)

    def _learn_era(self) -> bool:
        """Sends a handshake-era `initialize` once (on stdio to a fresh process, since the first
        message chooses a process's era); whether any JSON-RPC answer came back."""
        if self._initialize_answer is None:
            target = self.target
            if isinstance(target, StdioTarget):
                if self.restart is None:
                    return False
                target = self.restart()
            try:
                answer = self.initialize(target)
            finally:
                if target is not self.target:
                    target.close()
            self._initialize_answer = answer
            self._end_legacy_session(answer)
        return self._initialize_answer.message is not None

    @property
    def serves_handshake_era(self) -> bool:
        """Whether `initialize` got a result (False until it has been sent)."""
        return self._initialize_answer is not None and self._initialize_answer.result is not None

    def _end_legacy_session(self, answer: Reply) -> None:
        session = answer.headers.get("mcp-session-id")
        if session and isinstance(self.target, HttpTarget):
            self.target.plain("DELETE", {"Mcp-Session-Id": session, "MCP-Protocol-Version": HANDSHAKE_VERSION})

    # -- the checks -----------------------------------------------------------------------------------

    def check_discover(self, reply: Reply) -> None:
        result = reply.result
        if result is None:
            self.verdict("discover", [f"no result: {reply.describe()}"], "")
            self.record("discover-server-info", Status.SKIP, "server/discover gave no result")
            # The lists and resources are still checked: by what initialize declared, or all of them.
            answered = self._initialize_answer.result if self._initialize_answer else None
            declared = answered.get("capabilities") if answered else None
            self.capabilities = declared if isinstance(declared, dict) else {"tools": {}, "prompts": {}, "resources": {}}
            return
        problems = []
        if result.get("resultType") != "complete":
            problems.append(f"resultType is {result.get('resultType')!r}, not 'complete'")
        versions = result.get("supportedVersions")
        if not isinstance(versions, list) or CURRENT_VERSION not in versions:
            problems.append(f"supportedVersions {versions!r} lacks {CURRENT_VERSION}")
        capabilities = result.get("capabilities")
        if not isinstance(capabilities, dict):
            problems.append("no capabilities object")
        problems.extend(_cache_hint_problems(result))
        self.capabilities = capabilities if isinstance(capabilities, dict) else {}
        self.verdict("discover", problems, f"supportedVersions {versions}, capabilities: {', '.join(sorted(self.capabilities)) or 'none'}")
        info = (result.get("_meta") or {}).get(META_SERVER_INFO) if isinstance(result.get("_meta"), dict) else None
        if isinstance(info, dict) and info.get("name"):
            self.record("discover-server-info", Status.PASS, f"{info.get('name')} {info.get('version', '')}".strip())
        else:
            self.record("discover-server-info", Status.FAIL, "the discover result has no _meta io.modelcontextprotocol/serverInfo")

    def check_handshake_era(self, *, discovered: bool) -> None:
        answer = self._initialize_answer
        if answer is None:
            self.record("handshake-era", Status.SKIP, "needs a second server process")
        elif not self.serves_handshake_era:
            self.record("handshake-era", Status.INFO, f"modern-only: initialize got {answer.describe()}; "
                        "handshake-era clients cannot connect")
        elif discovered:
            self.record("handshake-era", Status.INFO, "serves both eras: initialize answered too")
        else:
            version = (answer.result or {}).get("protocolVersion")
            self.record("handshake-era", Status.INFO, f"handshake era only: initialize answered ({version}), "
                        "server/discover did not")

    def _rejected(self, reply: Reply, code: int, status: Optional[int]) -> list[str]:
        """What is wrong with `reply` as a rejection with JSON-RPC `code` (and HTTP `status`)."""
        problems = []
        if reply.error_code != code:
            problems.append(f"expected error {code}, got {reply.describe()}")
        elif status is not None and reply.status is not None and reply.status != status:
            problems.append(f"expected HTTP {status}, got HTTP {reply.status}")
        return problems

    def check_meta_required(self) -> None:
        reply = self.modern("tools/list", meta={META_CAPABILITIES: {}, META_CLIENT_INFO: CLIENT_INFO})
        self.rejection_verdict("meta-required", self._rejected(reply, INVALID_PARAMS, 400), "rejected with -32602")

    def check_unsupported_version(self) -> None:
        reply = self.modern("tools/list", version=UNSUPPORTED_VERSION)
        problems = self._rejected(reply, UNSUPPORTED_PROTOCOL_VERSION, 400)
        data = reply.error.get("data") if reply.error else None
        supported = data.get("supported") if isinstance(data, dict) else None
        if not problems and not (isinstance(supported, list) and supported):
            problems.append("the error has no data.supported list")
        self.rejection_verdict("unsupported-version", problems, f"rejected with -32022, supported {supported}")

    def check_headers(self) -> None:
        cases = (
            ("header-method-missing", "tools/list", {}, {"Mcp-Method": None}),
            ("header-method-mismatch", "tools/list", {}, {"Mcp-Method": "prompts/list"}),
            ("header-name-missing", "tools/call", {"name": ABSENT_NAME, "arguments": {}}, {"Mcp-Name": None}),
            ("header-name-mismatch", "tools/call", {"name": ABSENT_NAME, "arguments": {}}, {"Mcp-Name": ABSENT_NAME + "-other"}),
        )
        for check_id, method, params, headers in cases:
            reply = self.modern(method, params, headers=headers)
            self.rejection_verdict(check_id, self._rejected(reply, HEADER_MISMATCH, 400), "rejected with HTTP 400 and -32020")
        # The header says 2026-07-28 and the body another version: the mismatch, not the version, is wrong.
        meta = {META_VERSION: HANDSHAKE_VERSION, META_CAPABILITIES: {}, META_CLIENT_INFO: CLIENT_INFO}
        reply = self.modern("tools/list", meta=meta)
        self.rejection_verdict("header-version-mismatch", self._rejected(reply, HEADER_MISMATCH, 400), "rejected with HTTP 400 and -32020")
        reply = self.modern("tools/list", headers={"MCP-Protocol-Version": None})
        if self.serves_handshake_era:
            self.record("header-version-missing", Status.SKIP, "served as the handshake-era leg "
                        f"({reply.describe()}), which a server that serves both eras may do")
            return
        problems = [] if reply.status == 400 and reply.error is not None else [f"expected HTTP 400, got {reply.describe()}"]
        self.rejection_verdict("header-version-missing", problems, f"rejected ({reply.describe()})")

    def check_lists(self) -> None:
        listed = [(method, capability) for method, capability in LISTS if capability in self.capabilities]
        if not listed:
            self.record("result-type", Status.SKIP, "the server declares no tools, prompts or resources")
            self.record("cache-hints", Status.SKIP, "the server declares no tools, prompts or resources")
        else:
            type_problems, hint_problems, served, unserved = [], [], [], []
            for method, _ in listed:
                reply = self.modern(method)
                if reply.result is None:
                    # Not a result, so nothing to judge here: a declared list the server does not
                    # serve (resources without templates, say) is noted, not failed.
                    unserved.append(f"{method} ({reply.describe()})")
                    continue
                served.append(method)
                if method == "tools/list":
                    self._tools_listing = reply.result
                if reply.result.get("resultType") != "complete":
                    type_problems.append(f"{method}: resultType is {reply.result.get('resultType')!r}")
                hint_problems.extend(f"{method}: {problem}" for problem in _cache_hint_problems(reply.result))
            note = f"; no result from {', '.join(unserved)}" if unserved else ""
            if not served:
                for check_id in ("result-type", "cache-hints"):
                    self.record(check_id, Status.SKIP, f"no list gave a result{note}")
            else:
                self.verdict("result-type", type_problems, f"{', '.join(served)} carry resultType{note}")
                self.verdict("cache-hints", hint_problems, f"{', '.join(served)} carry ttlMs and cacheScope{note}")
        if "tools" not in self.capabilities:
            self.record("tools-list-stable", Status.SKIP, "the server declares no tools")
            return
        first, second = self.modern("tools/list"), self.modern("tools/list")
        tools = [reply.result.get("tools") if reply.result else None for reply in (first, second)]
        if tools[0] is None or tools[1] is None:
            no_result = [f"tools/list gave no result: {(first if tools[0] is None else second).describe()}"]
            self.rejection_verdict("tools-list-stable", no_result, "", failures_too=True)
        elif not isinstance(tools[0], list) or not isinstance(tools[1], list):
            self.verdict("tools-list-stable", [_not_a_list(next(t for t in tools if not isinstance(t, list)))], "")
        elif tools[0] != tools[1]:
            names = [[tool.get("name") for tool in listing if isinstance(tool, dict)] for listing in tools]
            self.verdict("tools-list-stable", [f"two calls differ: {names[0]} then {names[1]}" if names[0] != names[1]
                                               else "two calls list the same tools with different definitions"], "")
        else:
            self.verdict("tools-list-stable", [], f"{_count(len(tools[0]), 'tool')}, the same twice")

    def check_resource_not_found(self) -> None:
        if "resources" not in self.capabilities:
            for check_id in ("resource-not-found", "resource-not-found-uri"):
                self.record(check_id, Status.SKIP, "the server declares no resources")
            return
        reply = self.modern("resources/read", {"uri": ABSENT_URI})
        if reply.error_code == LEGACY_RESOURCE_NOT_FOUND:
            self.verdict("resource-not-found", ["answered -32002, the handshake era's code; 2026-07-28 uses -32602"], "")
        else:
            self.rejection_verdict("resource-not-found", self._rejected(reply, INVALID_PARAMS, None), "answered -32602")
        data = reply.error.get("data") if reply.error else None
        if reply.error_code != INVALID_PARAMS:
            self.record("resource-not-found-uri", Status.SKIP, "no -32602 to look at")
        else:
            uri = data.get("uri") if isinstance(data, dict) else None
            self.rejection_verdict("resource-not-found-uri", [] if uri == ABSENT_URI else [f"data is {_shown(data)}"],
                                   "data.uri names the resource", failures_too=True)

    def check_removed_methods(self) -> None:
        http = self.target.kind == "http"
        for method in REMOVED_METHODS:
            reply = self.modern(method, {"uri": ABSENT_URI} if method.startswith("resources/") else
                                {"level": "info"} if method == "logging/setLevel" else
                                {"taskId": ABSENT_NAME} if method == "tasks/result" else {})
            self.rejection_verdict(f"removed:{method}", self._rejected(reply, METHOD_NOT_FOUND, 404 if http else None),
                         "answered -32601" + (" with HTTP 404" if http else ""))

    def check_tools(self) -> None:
        if not self.options.call_tools:
            for check_id in ("tool-result-type", "input-required"):
                self.record(check_id, Status.SKIP, "calls tools, which can have side effects: pass --call-tools")
            return
        listing = self._tools_listing or self.modern("tools/list").result or {}
        listed = listing.get("tools") or []
        if not isinstance(listed, list):
            for check_id in ("tool-result-type", "input-required"):
                self.record(check_id, Status.SKIP, _not_a_list(listed))
            return
        tools = [tool for tool in listed if isinstance(tool, dict) and isinstance(tool.get("name"), str)]
        if not tools:
            for check_id in ("tool-result-type", "input-required"):
                self.record(check_id, Status.SKIP, "the server lists no tools")
            return
        type_problems: list[str] = []
        notes: list[str] = []
        asked: Optional[tuple[str, list[str]]] = None
        for tool in tools:
            schema = tool.get("inputSchema")
            required = schema.get("required") if isinstance(schema, dict) else None
            if required is not None and not isinstance(required, list):
                notes.append(f"{tool['name']}'s inputSchema.required is {_shown(required)}, not a list: called with no arguments")
            params = {"name": tool["name"], "arguments": example_arguments(schema)}
            reply = self.modern("tools/call", params, capabilities=INPUT_CAPABILITIES)
            if reply.result is None:
                continue  # an error is an answer too; resultType is about results
            kind = reply.result.get("resultType")
            if kind not in {"complete", "input_required", "task"}:
                type_problems.append(f"{tool['name']}: resultType is {kind!r}")
            if kind == "input_required" and asked is None:
                asked = (tool["name"], self._complete_input_rounds(params, reply))
        note = f" ({'; '.join(notes)})" if notes else ""
        self.verdict("tool-result-type", type_problems, f"the results of {_count(len(tools), 'tool')} carry resultType{note}")
        if asked is None:
            self.record("input-required", Status.SKIP, "no tool answered with InputRequiredResult")
        else:
            name, problems = asked
            self.verdict("input-required", problems, f"{name} asked for input and completed when retried")

    def _complete_input_rounds(self, params: dict[str, Any], reply: Reply, rounds: int = 4) -> list[str]:
        """Answers each InputRequiredResult as a client does (the same request, a new id, inputResponses
        and the echoed requestState) until the tool completes; what went wrong, if anything."""
        for _ in range(rounds):
            result = reply.result or {}
            requests = result.get("inputRequests")
            state = result.get("requestState")
            if requests is None and state is None:
                return ["an InputRequiredResult with neither inputRequests nor requestState"]
            if requests is not None and not isinstance(requests, dict):
                return [f"inputRequests is {type(requests).__name__}, not a map of key to request"]
            responses = {}
            for key, request in (requests or {}).items():
                method = request.get("method") if isinstance(request, dict) else None
                if method not in INPUT_METHODS:
                    return [f"input request {key!r} has method {method!r}, not one of {', '.join(INPUT_METHODS)}"]
                request_params = request.get("params")
                if request_params is not None and not isinstance(request_params, dict):
                    return [f"input request {key!r} has params {_shown(request_params)}, not an object"]
                responses[key] = example_input_response(method, request_params or {})
            retry = {**params, "inputResponses": responses}
            if state is not None:
                retry["requestState"] = state  # echoed exactly: it is the server's, and opaque
            reply = self.modern("tools/call", retry, capabilities=INPUT_CAPABILITIES)
            if reply.result is None:
                return [f"the retry got {reply.describe()}"]
            if reply.result.get("resultType") != "input_required":
                return [] if reply.result.get("resultType") == "complete" else [
                    f"the retry's resultType is {reply.result.get('resultType')!r}"]
        return [f"still asking for input after {rounds} rounds"]

    def check_plain_verbs(self) -> None:
        assert isinstance(self.target, HttpTarget)
        for verb, check_id in (("GET", "http-get"), ("DELETE", "http-delete")):
            reply = self.target.plain(verb, {})
            if reply.status == 405:
                self.record(check_id, Status.PASS, "405")
            elif self.serves_handshake_era:
                session = " and a session id" if "mcp-session-id" in reply.headers else ""
                self.record(check_id, Status.INFO, f"{verb} answers {reply.status or reply.describe()}{session}: "
                            "the handshake-era leg, which a server that serves both eras keeps")
                self._end_legacy_session(reply)
            else:
                self.record(check_id, Status.FAIL, f"{verb} got {reply.describe()}, not 405")

    def check_no_session_id(self) -> None:
        issued = sorted({method for method, reply in self._modern_replies if "mcp-session-id" in reply.headers})
        self.verdict("no-session-id", [f"Mcp-Session-Id issued on {', '.join(issued)}"] if issued else [],
                     f"none on {len(self._modern_replies)} modern requests")

    def check_no_log_messages(self) -> None:
        logged = sorted({method for method, reply in self._modern_replies
                         for note in reply.notifications if note.get("method") == "notifications/message"})
        self.verdict("no-log-messages", [f"notifications/message sent while answering {', '.join(logged)}"] if logged else [],
                     "none (the probe never asks for a log level)")

    def check_stdout_clean(self) -> None:
        noise = [line for _, reply in self._modern_replies for line in reply.noise]
        self.verdict("stdout-clean", [f"{_count(len(noise), 'line')} that are not JSON, the first {noise[0]!r}"] if noise else [],
                     f"only JSON-RPC during {len(self._modern_replies)} requests")

    def check_no_server_requests(self) -> None:
        sent = sorted({_shown(request.get("method", "?")) if not isinstance(request.get("method"), str) else request["method"]
                       for _, reply in self._modern_replies for request in reply.server_requests})
        self.verdict("no-server-requests", [f"the server sent {', '.join(sent)}"] if sent else [],
                     f"none during {len(self._modern_replies)} modern requests")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _shown(value: Any, limit: int = 80) -> str:
    """A value a server sent, as a detail shows it: its repr, cut short."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _not_a_list(tools: Any) -> str:
    return f"tools/list's tools is {_shown(tools)}, not a list"


def _cache_hint_problems(result: dict[str, Any]) -> list[str]:
    problems = []
    ttl = result.get("ttlMs")
    if not isinstance(ttl, (int, float)) or isinstance(ttl, bool) or ttl < 0:
        problems.append(f"ttlMs is {ttl!r}" if "ttlMs" in result else "no ttlMs")
    if result.get("cacheScope") not in {"public", "private"}:
        problems.append(f"cacheScope is {result.get('cacheScope')!r}" if "cacheScope" in result else "no cacheScope")
    return problems


def example_value(schema: Any) -> Any:
    """A value that fits a JSON Schema well enough for a probe's tool call."""
    if not isinstance(schema, dict):
        return "probe"
    if "default" in schema:
        return schema["default"]
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if not isinstance(kind, (str, type(None))):
        return "probe"  # not a JSON Schema type: any value will do
    if kind is None:
        for combined in ("anyOf", "oneOf"):
            if isinstance(schema.get(combined), list) and schema[combined]:
                return example_value(schema[combined][0])
    return {"integer": 1, "number": 1, "boolean": False, "array": [], "null": None,
            "object": example_arguments(schema)}.get(kind, "probe")


def example_arguments(schema: Any) -> dict[str, Any]:
    if not isinstance(schema, dict):
        return {}
    properties = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
    required = schema.get("required")
    return {name: example_value(properties.get(name)) for name in required if isinstance(name, str)} if isinstance(required, list) else {}


def example_input_response(method: str, params: dict[str, Any]) -> dict[str, Any]:
    """What a client answers to one input request: accept with example content, a canned sample, no roots."""
    if method == "elicitation/create":
        return {"action": "accept", "content": example_arguments(params.get("requestedSchema"))}
    if method == "sampling/createMessage":
        return {"role": "assistant", "content": {"type": "text", "text": "mcpmigrate probe"},
                "model": "mcpmigrate-probe", "stopReason": "endTurn"}
    return {"roots": []}


def probe(target: Target, options: ProbeOptions, restart: Optional[Callable[[], Target]] = None) -> ProbeReport:
    """Runs every check against `target` and closes it, however the run ends."""
    try:
        return Probe(target, options, restart).run()
    finally:
        target.close()


def to_json(report: ProbeReport) -> dict[str, Any]:
    counts = {status.value: sum(1 for o in report.outcomes if o.status is status) for status in Status}
    return {
        "target": report.target,
        "transport": report.transport,
        "protocolVersion": CURRENT_VERSION,
        "passed": not report.failed,
        "summary": counts,
        "checks": [
            {"id": o.check.id, "level": o.check.level.value, "status": o.status.value, "requirement": o.check.requirement,
             "reference": o.check.reference, "detail": o.detail}
            for o in report.outcomes
        ],
    }


def dumps(report: ProbeReport) -> str:
    return json.dumps(to_json(report), indent=2) + "\n"
