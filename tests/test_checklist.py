"""The migration checklist report: statuses, counts, locations, determinism, the step summary."""

from __future__ import annotations

import json
import shutil

from tests.conftest import REPO, write

FIXTURE = REPO / "tests" / "fixtures" / "report_project"  # an item in every status


def make_project(root):
    shutil.copytree(FIXTURE, root, dirs_exist_ok=True)


def test_every_status_with_counts_and_locations(run, tmp_path):
    make_project(tmp_path)
    result = run("report", "--format", "json", cwd=tmp_path)
    assert result.code == 0
    report = json.loads(result.out)
    statuses = {item["number"]: item["status"] for item in report["items"]}
    assert statuses == {
        1: "needs a human", 2: "done", 3: "done", 4: "not applicable", 5: "not applicable",
        6: "auto-fixable", 7: "not applicable", 8: "not applicable", 9: "done", 10: "not applicable",
    }
    assert report["summary"] == {
        "items": 10, "items_done_or_not_applicable": 8, "findings": 2, "fixable_with_fix": 1,
        "fixable_with_unsafe_fixes": 0, "fixable_with_fix_only": 0, "needs_a_human": 1, "in_server_code": 0, "in_client_code": 0, "accepted_in_baseline": 0,
        "files_checked": 3,
        "targets": [],
    }
    (location,) = report["items"][5]["locations"]
    assert (location["path"], location["line"], location["code"]) == ("errors.py", 5, "MCP301")
    assert location["action"] == "Use `INVALID_PARAMS` (`--fix`)"


def test_markdown_is_deterministic_and_reads_as_a_checklist(run, tmp_path):
    make_project(tmp_path)
    first = run("report", cwd=tmp_path).out
    assert run("report", cwd=tmp_path).out == first
    lines = first.splitlines()
    assert lines[0] == "# MCP 2026-07-28 migration checklist"
    assert lines[2].startswith("**8 of 10 items done or not applicable.** 2 findings left in 3 files checked: 1 fixable now")
    assert "| 1 | Remove session initialization (handshake, session ids) | needs a human | 1 | 0 | 0 | 0 | 1 |" in lines
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
    assert report["items"][6]["status"] == "needs a human"
    assert report["items"][6]["findings"] == 0


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
    listed = {code: item["number"] for item in report["items"] for code in item["rules"]}
    assert listed == {code: rule.step.value for code, rule in rules.items()}


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
