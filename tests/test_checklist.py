"""The migration checklist report: statuses, counts, locations, determinism, the step summary."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.conftest import REPO, write

FIXTURE = REPO / "tests" / "fixtures" / "report_project"  # an item in every status


def make_project(root):
    shutil.copytree(FIXTURE, root, dirs_exist_ok=True)


def test_every_status_with_counts_and_locations(run, tmp_path):
    make_project(tmp_path)
    result = run("report", "--format", "json", cwd=tmp_path)
    assert result.code == 0
    report = json.loads(result.out)
    statuses = {item["step"]: item["status"] for item in report["items"]}
    # the project builds on the SDK (mcp>=2.3): moving to mcp 2.x comes first, and it is done
    assert [item["step"] for item in report["items"]][:2] == ["sdk_2", "handshake"]
    assert statuses == {
        "sdk_2": "done", "handshake": "needs a human", "meta_and_discover": "done", "routing_headers": "not applicable",
        "multi_round_trip": "not applicable", "tasks": "not applicable", "error_codes": "auto-fixable",
        "oauth": "not applicable", "deprecations": "not applicable", "suppressions": "not applicable",
    }
    assert report["summary"] == {
        "items": 10, "items_done_or_not_applicable": 8, "findings": 2, "fixable_with_fix": 1,
        "fixable_with_unsafe_fixes": 0, "fixable_with_fix_only": 0, "needs_a_human": 1, "in_server_code": 0, "in_client_code": 0, "accepted_in_baseline": 0,
        "files_checked": 3, "not_checked": [],
        "targets": [],
    }
    (location,) = next(item for item in report["items"] if item["step"] == "error_codes")["locations"]
    assert (location["path"], location["line"], location["code"]) == ("errors.py", 5, "MCP301")
    assert location["action"] == "Use `INVALID_PARAMS` (`--fix`)"


def test_markdown_is_deterministic_and_reads_as_a_checklist(run, tmp_path):
    make_project(tmp_path)
    first = run("report", cwd=tmp_path).out
    assert run("report", cwd=tmp_path).out == first
    lines = first.splitlines()
    assert lines[0] == "# MCP 2026-07-28 migration checklist"
    assert lines[2].startswith("**8 of 10 items done or not applicable.** 2 findings left in 3 files checked: 1 fixable now")
    assert "| 2 | Remove session initialization (handshake, session ids) | needs a human | 1 | 0 | 0 | 0 | 1 |" in lines
    assert "- [ ] `client.py:5` MCP103: 2026-07-28 has no protocol sessions: `Mcp-Session-Id` is never sent. By hand: " in first
    assert first.count("\n## ") == 10


def test_check_writes_the_report_and_the_github_step_summary(run, tmp_path):
    make_project(tmp_path / "project")
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    result = run("check", "--report", str(tmp_path / "report.json"), ".", cwd=tmp_path / "project",
                 env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.code == 1
    assert json.loads((tmp_path / "report.json").read_text())["summary"]["findings"] == 2
    text = summary.read_text()
    assert text.startswith("earlier step\n# MCP 2026-07-28 migration checklist\n")


def test_oauth_is_a_standing_item_for_a_human(run, tmp_path):
    write(tmp_path, "auth.py", """
        from mcp.client.auth import OAuthClientProvider
        from mcp.shared.auth import OAuthClientMetadata

        metadata = OAuthClientMetadata(client_name="cli", redirect_uris=["http://localhost:3000/cb"], application_type="native")
    """)
    report = json.loads(run("report", "--format", "json", cwd=tmp_path).out)
    (oauth,) = [item for item in report["items"] if item["step"] == "oauth"]
    assert (oauth["status"], oauth["findings"]) == ("needs a human", 0)


def test_markdown_escaping_leaves_code_spans_alone():
    from mcpmigrate.checklist import _md

    assert _md("mcp>=1.26,<2 in `a -> b | c` and a|b") == "mcp&gt;=1.26,&lt;2 in `a -> b \\| c` and a\\|b"


def test_every_rule_declares_its_step_and_the_checklist_lists_it(run, tmp_path):
    from mcpmigrate.rule.base import registered_rules
    from mcpmigrate.steps import Step

    rules = registered_rules()
    assert all(isinstance(rule.step, Step) for rule in rules.values())
    (tmp_path / "empty.py").write_text("")
    report = json.loads(run("report", "--format", "json", cwd=tmp_path).out)
    listed = {code: item["step"] for item in report["items"] for code in item["rules"]}
    assert listed == {code: rule.step.name.lower() for code, rule in rules.items()}


def test_a_rule_without_a_step_is_rejected_when_defined():
    import pytest

    from mcpmigrate.rule.base import Rule

    with pytest.raises(TypeError, match=r"rule MCP999 \(Stepless\) names no checklist step"):
        class Stepless(Rule):  # noqa: F841
            code = "MCP999"
            name = "stepless"


def test_a_new_rule_is_on_the_checklist_by_its_declaration_alone():
    from mcpmigrate.checklist import Relevance, build, to_json
    from mcpmigrate.findings import Finding, Location, RuleInfo, Severity
    from mcpmigrate.run.outcome import FileOutcome, RunResult
    from mcpmigrate.steps import Step

    info = RuleInfo("MCP911", "new-rule", Severity.ERROR, "s", "w", "f", Step.TASKS.value, False)
    finding = Finding("MCP911", "new-rule", Severity.ERROR, "m", "a.py", Location(1, 1), Location(1, 2))
    result = RunResult([FileOutcome("a.py", (finding,))], files_checked=1, rules={"MCP911": info})
    item = to_json(build(result, Relevance()))["items"][Step.TASKS.value - 1]
    assert (item["rules"], item["findings"], item["status"]) == (["MCP911"], 1, "needs a human")


def test_servers_come_first_within_a_step_and_the_order_of_work_says_why():
    from mcpmigrate.checklist import Relevance, build, to_json, to_markdown
    from mcpmigrate.findings import Finding, Location, RuleInfo, Severity
    from mcpmigrate.run.outcome import FileOutcome, RunResult
    from mcpmigrate.steps import Step

    def info(code: str, side: str) -> RuleInfo:
        return RuleInfo(code, code.lower(), Severity.ERROR, "s", "w", "f", Step.META_AND_DISCOVER.value, False, side=side)

    def finding(code: str, path: str) -> Finding:
        return Finding(code, code.lower(), Severity.ERROR, "m", path, Location(1, 1), Location(1, 2))

    rules = {"MCP905": info("MCP905", "client"), "MCP104": info("MCP104", "both"), "MCP102": info("MCP102", "server")}
    outcomes = [FileOutcome("a_client.py", (finding("MCP905", "a_client.py"),)),
                FileOutcome("b_shared.py", (finding("MCP104", "b_shared.py"),)),
                FileOutcome("c_server.py", (finding("MCP102", "c_server.py"),))]
    checklist = build(RunResult(outcomes, files_checked=3, rules=rules), Relevance())
    item = to_json(checklist)["items"][Step.META_AND_DISCOVER.value - 1]
    assert [(location["path"], location["side"]) for location in item["locations"]] == [
        ("c_server.py", "server"), ("b_shared.py", "both"), ("a_client.py", "client"),
    ]
    markdown = to_markdown(checklist)
    assert "Order of work: **servers first**" in markdown
    assert "1 finding in server code, 1 in code either side has, 1 in client code." in markdown
    assert markdown.index("- [ ] (server) `c_server.py:1` MCP102") < markdown.index("- [ ] `b_shared.py:1` MCP104") < (
        markdown.index("- [ ] (client) `a_client.py:1` MCP905")
    )


def _statuses(run, cwd, *paths) -> dict[str, str]:
    result = run("report", "--format", "json", *paths, cwd=cwd)
    return {item["step"]: item["status"] for item in json.loads(result.out)["items"]}


def test_a_file_that_was_never_checked_leaves_every_step_unknown(run, tmp_path):
    (tmp_path / "broken.py").write_text("from mcp import McpError\ndef f(:\n")
    result = run("report", cwd=tmp_path)
    assert result.code == 2
    assert "broken.py:2:7: error: cannot parse" in result.err
    lines = result.out.splitlines()
    assert lines[2] == "**Not everything was checked, so no step can be called done until these are:**"
    assert lines[4] == "- `broken.py`: cannot parse: invalid syntax"
    assert "**0 of 10 items done or not applicable.**" in result.out
    assert set(_statuses(run, tmp_path).values()) == {"unknown"}
    report = json.loads(run("report", "--format", "json", cwd=tmp_path).out)
    assert report["summary"]["not_checked"] == [{"path": "broken.py", "message": "cannot parse: invalid syntax"}]
    assert report["items"][0]["reason"].startswith("Unknown: not every file was checked (`broken.py`)")


def test_a_misspelt_path_makes_no_step_done(run, tmp_path):
    result = run("report", "srcc/", "-o", "r.md", cwd=tmp_path)
    assert result.code == 2
    text = (tmp_path / "r.md").read_text()
    assert "- `srcc`: no such file or directory" in text
    assert "| done |" not in text and "| not applicable |" not in text


def test_a_broken_file_about_something_else_changes_nothing(run, tmp_path):
    write(tmp_path, "server.py", """
        from mcp.server.mcpserver import MCPServer

        mcp = MCPServer("modern")
    """)
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\ndependencies = ["mcp>=2.3"]\n')
    (tmp_path / "notes.py").write_text("def f(:\n")  # no MCP in it: no step hangs on it
    statuses = _statuses(run, tmp_path)
    assert statuses["sdk_2"] == "done" and "unknown" not in statuses.values()


ROOTS_CLIENT = """
    from mcp import ClientSession
    from mcp.client.stdio import stdio_client


    async def on_roots(context):
        \"\"\"Called when the server {verb} roots over HTTP with requests and streamable sessions.\"\"\"
        return None  # the server {verb} roots


    async def main(params):
        async with stdio_client(params) as (read, write):
            async with ClientSession(read, write, list_roots_callback=on_roots) as session:
                await session.call_tool("x", {{}})
"""


def test_relevance_is_read_from_code_never_from_comments_or_docstrings(run, tmp_path):
    for verb in ("requests", "asks for"):
        folder = tmp_path / verb.replace(" ", "_")
        write(folder, "client.py", ROOTS_CLIENT.format(verb=verb))
        (folder / "pyproject.toml").write_text('[project]\nname = "x"\ndependencies = ["mcp>=2.3"]\n')
    assert _statuses(run, tmp_path / "requests") == _statuses(run, tmp_path / "asks_for")
    # a stdio client: the Streamable HTTP headers are nothing it does
    assert _statuses(run, tmp_path / "requests")["routing_headers"] == "not applicable"


LEGACY_SERVER = """
    from mcp.server.fastmcp import FastMCP

    mcp = FastMCP("weather")


    @mcp.tool()
    def forecast(city: str) -> str:
        return "sunny"


    if __name__ == "__main__":
        mcp.run(transport="{transport}")
"""


def test_the_sdks_steps_are_done_only_on_mcp_2(run, tmp_path):
    write(tmp_path, "server.py", LEGACY_SERVER.format(transport="streamable-http"))
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\ndependencies = ["mcp>=1.10,<2"]\n')
    statuses = _statuses(run, tmp_path)
    # unmigrated 1.x SDK code: mcp 2.x does the handshake, `_meta` and the headers, and it is not there yet
    assert statuses["handshake"] == statuses["meta_and_discover"] == statuses["routing_headers"] == "to do"
    report = json.loads(run("report", "--format", "json", cwd=tmp_path).out)
    handshake = next(item for item in report["items"] if item["step"] == "handshake")
    assert handshake["reason"] == (
        "To do: mcp 2.x does this step for code built on the SDK; the requirement "
        "(`pyproject.toml: mcp>=1.10,<2`, at `pyproject.toml:3`) admits mcp 1.x: require `mcp>=2`."
    )
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\ndependencies = ["mcp>=2.3"]\n')
    statuses = _statuses(run, tmp_path)
    assert statuses["handshake"] == statuses["meta_and_discover"] == statuses["routing_headers"] == "done"
    (tmp_path / "pyproject.toml").unlink()  # nothing says which mcp it runs on
    assert _statuses(run, tmp_path)["handshake"] == "unknown"


def test_a_stdio_server_has_no_routing_headers_step(run, tmp_path):
    write(tmp_path, "server.py", LEGACY_SERVER.format(transport="stdio"))
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\ndependencies = ["mcp>=2.3"]\n')
    assert _statuses(run, tmp_path)["routing_headers"] == "not applicable"


def test_the_sdk_step_comes_first_only_where_the_code_uses_the_sdk(run, tmp_path):
    write(tmp_path / "sdk", "server.py", LEGACY_SERVER.format(transport="stdio"))
    write(tmp_path / "handrolled", "server.py", """
        import json

        def handle(line: str) -> str:
            message = json.loads(line)
            if message["method"] == "tools/list":
                return json.dumps({"jsonrpc": "2.0", "id": message["id"], "result": {"tools": [], "resultType": "complete"}})
    """)
    first = json.loads(run("report", "--format", "json", cwd=tmp_path / "sdk").out)["items"][0]
    assert (first["number"], first["step"]) == (1, "sdk_2")
    steps = [item["step"] for item in json.loads(run("report", "--format", "json", cwd=tmp_path / "handrolled").out)["items"]]
    assert steps[0] == "handshake" and steps[8] == "sdk_2"


def test_a_finding_in_a_client_only_file_is_counted_as_client_code(run, tmp_path):
    write(tmp_path, "client.py", """
        from mcp import ClientSession
        from mcp.client.stdio import stdio_client

        VERSION = "2025-06-18"
    """)
    report = json.loads(run("report", "--format", "json", cwd=tmp_path).out)
    (location,) = [loc for item in report["items"] for loc in item["locations"] if loc["code"] == "MCP104"]
    assert location["side"] == "client"
    assert report["summary"]["in_client_code"] == 1


def test_the_summary_counts_in_words_a_reader_expects(run, tmp_path):
    write(tmp_path, "client.py", """
        from mcp import ClientSession

        VERSION = "2025-06-18"
    """)
    text = run("report", cwd=tmp_path).out
    assert "1 finding left in 1 file checked: " in text
    assert "1 findings" not in text and "1 files" not in text


def test_markdown_for_a_terminal_has_no_html_entities():
    from mcpmigrate.checklist import _md

    assert _md("mcp>=1.26,<2 and a|b", entities=False) == "mcp>=1.26,<2 and a\\|b"


def test_the_handler_adapter_keeps_the_sdk_step_in_progress_and_is_listed(run, tmp_path):
    write(tmp_path, "server.py", """
        from mcp.server.lowlevel import Server
        from mcp.types import TextContent, Tool

        server = Server("calc")

        @server.list_tools()
        async def list_tools() -> list[Tool]:
            return [Tool(name="add", inputSchema={"type": "object"})]
    """)
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\ndependencies = ["mcp>=2.3"]\n')
    assert run("check", "--fix", "--unsafe-fixes", ".", cwd=tmp_path).code == 0  # an info finding does not fail
    text = (tmp_path / "server.py").read_text()
    assert "def mcp1_handler(" in text
    report = json.loads(run("report", "--format", "json", cwd=tmp_path).out)
    (sdk,) = [item for item in report["items"] if item["step"] == "sdk_2"]
    assert sdk["status"] == "in progress"
    (location,) = sdk["locations"]
    assert (location["code"], location["line"]) == ("MCP808", text.splitlines().index(
        next(line for line in text.splitlines() if line.startswith("def mcp1_handler("))) + 1)
    assert "1 handler keep" in location["message"]
    markdown = run("report", cwd=tmp_path).out
    assert "In progress: what is left is a stopgap a fix put in" in markdown
    # a bare noqa cannot hide it; one naming the code does
    (tmp_path / "server.py").write_text(text.replace("def mcp1_handler(server, decorator, **options):",
                                                     "def mcp1_handler(server, decorator, **options):  # noqa"))
    assert "MCP808" in run("check", "--select", "MCP808", ".", cwd=tmp_path).out
    (tmp_path / "server.py").write_text(text.replace("def mcp1_handler(server, decorator, **options):",
                                                     "def mcp1_handler(server, decorator, **options):  # noqa: MCP808 -- until 3.0"))
    assert "MCP808" not in run("check", "--select", "MCP808", ".", cwd=tmp_path).out


def test_unsafe_fixes_under_a_pin_to_mcp_1_are_named_with_the_pins_line(run, tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\ndependencies = [\n    "httpx",\n    "mcp>=1.10,<2",\n]\n')
    write(tmp_path, "app.py", """
        from mcp import McpError


        def fail():
            raise McpError(None)
    """)
    result = run("check", "--fix", "--unsafe-fixes", ".", cwd=tmp_path)
    assert "from mcp import MCPError" in (tmp_path / "app.py").read_text()
    assert result.err.splitlines()[-1] == (
        "The fixes wrote mcp 2.x names, but pyproject.toml:5 still admits mcp 1.x (pyproject.toml: mcp>=1.10,<2): "
        "require mcp>=2 there."
    )
    report = json.loads(run("report", "--format", "json", cwd=tmp_path).out)
    sdk = report["items"][0]
    assert (sdk["step"], sdk["status"]) == ("sdk_2", "to do")
    assert sdk["reason"] == (
        "To do: the code already uses mcp 2.x names, but the requirement (`pyproject.toml: mcp>=1.10,<2`, at "
        "`pyproject.toml:5`) admits mcp 1.x: require `mcp>=2`."
    )


def _fleet(root):
    (root / "alpha").mkdir()
    (root / "alpha" / "pyproject.toml").write_text('[project]\nname = "alpha-server"\ndependencies = ["mcp>=2.3"]\n')
    write(root, "alpha/server.py", """
        from mcp.server.mcpserver import MCPServer

        mcp = MCPServer("alpha")
    """)
    (root / "beta").mkdir()
    (root / "beta" / "pyproject.toml").write_text('[project]\nname = "beta-client"\ndependencies = ["mcp>=1.10,<2"]\n')
    write(root, "beta/client.py", """
        from mcp import ClientSession, McpError

        VERSION = "2025-06-18"
    """)
    (root / "gamma").mkdir()
    (root / "gamma" / "pyproject.toml").write_text('[project]\nname = "gamma"\n')
    write(root, "gamma/rpc.py", """
        def handle(message):
            if message["method"] == "notifications/initialized":
                return None
    """)


def test_a_fleet_gets_a_row_per_project_then_the_checklist(run, tmp_path):
    _fleet(tmp_path)
    report = json.loads(run("report", "--format", "json", cwd=tmp_path).out)
    assert [(p["name"], p["path"], p["items_done_or_not_applicable"], p["findings"], p["needs_a_human"]) for p in report["projects"]] == [
        ("alpha-server", "alpha", 10, 0, 0), ("beta-client", "beta", 7, 2, 0), ("gamma", "gamma", 9, 1, 1),
    ]
    assert report["projects"][1]["target_sdk"] == "mcp 1 (pyproject.toml: mcp>=1.10,<2)"
    assert report["project"] is None and report["summary"]["findings"] == 3
    lines = run("report", cwd=tmp_path).out.splitlines()
    assert lines[2:6] == ["## 3 projects", "", "| Project | Folder | Target SDK | Steps done | Findings left | For a human |",
                          "|---|---|---|---|---|---|"]
    assert "| beta-client | `beta` | mcp 1 (pyproject.toml: mcp&gt;=1.10,&lt;2) | 7 of 10 | 2 | 0 |" in lines
    assert "## The checklist for every project" in lines


def test_project_narrows_the_checklist_to_one_project(run, tmp_path):
    _fleet(tmp_path)
    for name in ("beta-client", "beta"):  # by its name or its folder
        report = json.loads(run("report", "--format", "json", "--project", name, cwd=tmp_path).out)
        assert report["project"] == "beta-client" and len(report["projects"]) == 3
        assert report["summary"]["findings"] == 2 and report["summary"]["files_checked"] == 1
        assert {loc["path"] for item in report["items"] for loc in item["locations"]} == {"beta/client.py"}
    result = run("report", "--project", "nope", cwd=tmp_path)
    assert result.code == 2
    assert result.err.strip() == "error: no project named 'nope' here (projects: alpha-server, beta-client, gamma)"


def test_one_project_gets_no_project_table(run, tmp_path):
    _fleet(tmp_path)
    report = json.loads(run("report", "--format", "json", cwd=tmp_path / "alpha").out)
    assert report["projects"] == [] and report["project"] is None


# Each end-to-end project after `check --fix --unsafe-fixes`, as a person reading the fixed code finds
# it (steps not named here are about nothing the project does):
AFTER_THE_FIX = {
    # target-sdk = "2"; the client's sampling, roots and logging callbacks stay: deprecated, to plan
    "callbacks_client": {"sdk_2": "done", "handshake": "done", "meta_and_discover": "done", "multi_round_trip": "done",
                         "deprecations": "to do"},
    # the hand-rolled pair: session ids and the handshake's version negotiation are a person's to remove,
    # the GET stream too; the client's POSTs now carry the headers
    "handrolled": {"handshake": "needs a human", "meta_and_discover": "needs a human", "routing_headers": "done",
                   "multi_round_trip": "needs a human"},
    "handrolled_http": {"handshake": "needs a human", "meta_and_discover": "needs a human", "routing_headers": "done"},
    # its questions became resolvers (done), but they still ask for sampling and roots: deprecated, to plan
    # (it names MCP601 in `extend-fixable`, so its MCP logging moved to `logging`)
    "kitchen_project": {"sdk_2": "done", "handshake": "done", "meta_and_discover": "done", "multi_round_trip": "done",
                        "error_codes": "done", "deprecations": "to do"},
    # the adapter runs on mcp 2.x only, and the requirement still says mcp<2
    "lowlevel_project": {"sdk_2": "to do", "handshake": "to do", "meta_and_discover": "to do", "multi_round_trip": "done",
                         "error_codes": "done"},
    "mrtr_project": {"sdk_2": "to do", "handshake": "to do", "meta_and_discover": "to do", "multi_round_trip": "to do",
                     "tasks": "needs a human", "error_codes": "done", "oauth": "needs a human", "deprecations": "needs a human"},
    # the client still connects over HTTP+SSE (`sse_client` has no safe rewrite), and requires mcp<2
    "sdk_client": {"sdk_2": "to do", "handshake": "to do", "meta_and_discover": "to do", "multi_round_trip": "needs a human"},
    # target-sdk = "2", and `extend-fixable` names the SSE rules: the server and client moved to Streamable HTTP
    "sse_project": {"sdk_2": "done", "handshake": "done", "meta_and_discover": "done", "routing_headers": "done"},
    "stateless_wire": {"handshake": "done", "meta_and_discover": "needs a human", "routing_headers": "needs a human",
                       "multi_round_trip": "needs a human", "deprecations": "needs a human"},
}



@pytest.mark.parametrize("name", sorted(AFTER_THE_FIX))
def test_each_end_to_end_projects_checklist_after_the_fix_is_what_a_reader_finds(run, tmp_path, name):
    shutil.copytree(REPO / "tests" / "fixtures" / name, tmp_path, dirs_exist_ok=True)
    run("check", "--fix", "--unsafe-fixes", ".", cwd=tmp_path)
    statuses = _statuses(run, tmp_path)
    assert {step: status for step, status in statuses.items() if status != "not applicable"} == AFTER_THE_FIX[name]
