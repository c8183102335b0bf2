"""The migration checklist: the findings of a run, arranged as the steps of a 2026-07-28 migration.

Each rule code belongs to exactly one checklist item, so every finding is counted once. An item is
`needs a human` while any of its findings has no automatic fix, `auto-fixable` while findings remain
that `--fix` (or `--fix --unsafe-fixes`) would rewrite, `done` when none remain in a codebase where
the step applies, and `not applicable` when the code never touches what the step is about. OAuth is
a standing item for a human whenever the code does OAuth at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mcpmigrate.findings import Applicability, Finding
from mcpmigrate.run.runner import RunResult

DONE, FIXABLE, HUMAN, NOT_APPLICABLE = "done", "auto-fixable", "needs a human", "not applicable"


@dataclass(frozen=True)
class Item:
    number: int
    title: str
    prefixes: tuple[str, ...]  # the rule codes (or code prefixes) that belong here
    # Lowercase text that shows the step applies to a codebase even when nothing is left to change.
    relevant: tuple[str, ...]


ITEMS = (
    Item(1, "Remove session initialization (handshake, session ids)", ("MCP101", "MCP103"),
         ("initialize", "session", "clientsession")),
    # With the SDK, steps 2 and 3 are the SDK's job (mcp 2.x does both): they apply, and are done by step 9.
    Item(2, "Carry protocol version and capabilities in `_meta`; answer `server/discover`", ("MCP102", "MCP104", "MCP902", "MCP905", "MCP909", "MCP910"),
         ("protocolversion", "protocol_version", "server/discover", "jsonrpc", "clientsession", "fastmcp", "mcpserver", "lowlevel")),
    Item(3, "Send `Mcp-Method` / `Mcp-Name` on every Streamable HTTP request", ("MCP204", "MCP904", "MCP907"),
         ("httpx", "requests", "aiohttp", "streamable")),
    Item(4, "Replace SSE streams and server-to-client requests with Multi Round-Trip Requests",
         ("MCP201", "MCP202", "MCP203", "MCP401", "MCP402", "MCP403", "MCP901", "MCP903"),
         ("sse", "elicit", "create_message", "list_roots", "event-stream")),
    Item(5, "Move Tasks to the extension's polling lifecycle", ("MCP501", "MCP502"), ("tasks/", "task")),
    Item(6, "Update error handling: `-32002` becomes `-32602`", ("MCP301",),
         ("32002", "32602", "invalid_params", "mcperror", "errordata")),
    Item(7, "Audit OAuth / OIDC client registration and issuer checks", ("MCP7",),
         ("oauth", "redirect_uri", "authorization_code")),
    Item(8, "Plan the deprecations: Roots, Sampling, Logging, ping and removed notifications", ("MCP6", "MCP906", "MCP908"),
         ("ctx.info", "ctx.debug", "ctx.warning", "ctx.error", "ctx.log", "ping", "subscribe", "roots", "sampling")),
    Item(9, "Move to the `mcp` 2.x SDK API", ("MCP8",), ("import mcp", "from mcp", "fastmcp")),
)
OAUTH_TOKENS = ("oauthclientprovider", "oauthclientmetadata", "redirect_uris", "authorization_code", "oauth2")


def item_for(code: str) -> Item | None:
    return next((item for item in ITEMS if any(code.startswith(prefix) for prefix in item.prefixes)), None)


@dataclass
class ItemState:
    item: Item
    findings: list[Finding] = field(default_factory=list)
    relevant: bool = False
    oauth: bool = False

    @property
    def safe(self) -> int:
        return sum(1 for f in self.findings if f.fix is not None and f.fix.applicability is Applicability.SAFE)

    @property
    def unsafe(self) -> int:
        return sum(1 for f in self.findings if f.fix is not None and f.fix.applicability is Applicability.UNSAFE)

    @property
    def manual(self) -> int:
        return sum(1 for f in self.findings if f.fix is None)

    @property
    def status(self) -> str:
        if self.manual or (self.item.number == 7 and self.oauth):
            return HUMAN
        if self.findings:
            return FIXABLE
        return DONE if self.relevant else NOT_APPLICABLE


@dataclass
class Checklist:
    items: list[ItemState]
    files: int
    targets: list[str]

    @property
    def findings(self) -> list[Finding]:
        return [finding for state in self.items for finding in state.findings]


class Relevance:
    """Sees each checked text once (as the runner's observer) and notes which steps it shows apply."""

    def __init__(self) -> None:
        self.items: set[int] = set()
        self.oauth = False

    def __call__(self, text: str) -> None:
        lowered = text.lower()
        if "mcp" not in lowered and "modelcontextprotocol" not in lowered:
            return
        for item in ITEMS:
            if item.number not in self.items and any(token in lowered for token in item.relevant):
                self.items.add(item.number)
        self.oauth = self.oauth or any(token in lowered for token in OAUTH_TOKENS)


def build(result: RunResult, relevance: Relevance) -> Checklist:
    """The checklist of a run whose texts `relevance` observed."""
    states = [ItemState(item) for item in ITEMS]
    by_number = {state.item.number: state for state in states}
    for finding in sorted(result.findings, key=lambda f: f.sort_key):
        item = item_for(finding.code)
        if item is not None:
            by_number[item.number].findings.append(finding)
    for state in states:
        state.relevant = state.item.number in relevance.items
    by_number[7].oauth = relevance.oauth
    return Checklist(states, result.files_checked, [target.describe() for target in result.targets])


def _md(text: str) -> str:
    """Text safe inside a Markdown table cell or list item. Pipes are escaped everywhere (GitHub's
    tables honour `\\|` even in code); `<` and `>` become entities outside code spans only, since a
    code span shows an entity literally."""
    parts = text.replace("\n", " ").replace("|", "\\|").split("`")
    for index in range(0, len(parts), 2):  # even parts lie outside backticks
        parts[index] = parts[index].replace("<", "&lt;").replace(">", "&gt;")
    return "`".join(parts)


def _action(finding: Finding) -> str:
    if finding.fix is None:
        return f"By hand: {finding.help}" if finding.help else "By hand."
    how = "`--fix`" if finding.fix.applicability is Applicability.SAFE else "`--fix --unsafe-fixes`"
    return f"{finding.fix.message} ({how})"


def to_markdown(checklist: Checklist) -> str:
    states = checklist.items
    done = sum(1 for state in states if state.status in (DONE, NOT_APPLICABLE))
    findings = checklist.findings
    safe = sum(state.safe for state in states)
    unsafe = sum(state.unsafe for state in states)
    manual = sum(state.manual for state in states)
    lines = [
        "# MCP 2026-07-28 migration checklist",
        "",
        f"**{done} of {len(states)} items done or not applicable.** {len(findings)} findings left in "
        f"{checklist.files} files checked: {safe} fixable now with `mcpmigrate check --fix`, {unsafe} more "
        f"with `--fix --unsafe-fixes`, {manual} for a human.",
        "",
    ]
    lines += [f"- {_md(target)}" for target in checklist.targets]
    if checklist.targets:
        lines.append("")
    lines += ["| # | Step | Status | Left | `--fix` | `--unsafe-fixes` | By hand |", "|---|---|---|---|---|---|---|"]
    for state in states:
        lines.append(
            f"| {state.item.number} | {_md(state.item.title)} | {state.status} | {len(state.findings)} | "
            f"{state.safe} | {state.unsafe} | {state.manual} |"
        )
    for state in states:
        codes = ", ".join(state.item.prefixes)
        lines += ["", f"## {state.item.number}. {_md(state.item.title)}", "", f"Status: **{state.status}** (rules {codes})", ""]
        if state.item.number == 7 and state.oauth:
            lines.append(
                "- [ ] Review the OAuth flow against 2026-07-28: `application_type` in registration, `iss` "
                "checked on the authorization response (RFC 9207), credentials keyed by issuer, CIMD "
                "preferred over Dynamic Client Registration."
            )
        for finding in state.findings:
            lines.append(
                f"- [ ] `{finding.path}:{finding.location.row}` {finding.code}: {_md(finding.message)}. "
                f"{_md(_action(finding))}"
            )
        if not state.findings and not (state.item.number == 7 and state.oauth):
            lines.append("Nothing left to change." if state.status == DONE else "Nothing in this codebase touches it.")
    return "\n".join(lines) + "\n"


def to_json(checklist: Checklist) -> dict:
    states = checklist.items
    return {
        "summary": {
            "items": len(states),
            "items_done_or_not_applicable": sum(1 for s in states if s.status in (DONE, NOT_APPLICABLE)),
            "findings": len(checklist.findings),
            "fixable_with_fix": sum(s.safe for s in states),
            "fixable_with_unsafe_fixes": sum(s.unsafe for s in states),
            "needs_a_human": sum(s.manual for s in states),
            "files_checked": checklist.files,
            "targets": checklist.targets,
        },
        "items": [
            {
                "number": s.item.number,
                "title": s.item.title,
                "status": s.status,
                "rules": list(s.item.prefixes),
                "findings": len(s.findings),
                "fixable_with_fix": s.safe,
                "fixable_with_unsafe_fixes": s.unsafe,
                "needs_a_human": s.manual,
                "locations": [
                    {"path": f.path, "line": f.location.row, "column": f.location.column, "code": f.code,
                     "message": f.message, "action": _action(f)}
                    for f in s.findings
                ],
            }
            for s in states
        ],
    }
