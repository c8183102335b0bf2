"""Deprecated but working is not broken (issue 27, item 17): a fix that only moves off a deprecated
feature is display-only. It is shown (findings, `--diff`, the checklist) and applied only to a rule
named by its code: `--fix-only CODE` or `extend-fixable` in the configuration."""

from __future__ import annotations

import json

from tests.conftest import PYPROJECT, write

# `await ctx.info(...)` still works on mcp 2.x (deprecated for 12 months, not removed); a test that
# asserts on the context's log calls breaks once it is `logger.info(...)`.
LOGS = """\
from mcp.server.mcpserver import Context, MCPServer

mcp = MCPServer("notes")


@mcp.tool()
async def save(text: str, ctx: Context) -> str:
    await ctx.info("saving")
    return text
"""
LOGS_FIXED = """\
import logging

from mcp.server.mcpserver import Context, MCPServer

logger = logging.getLogger(__name__)

mcp = MCPServer("notes")


@mcp.tool()
async def save(text: str, ctx: Context) -> str:
    logger.info("saving")
    return text
"""
# Beside it, a fix needed on mcp 2.x (the old name no longer imports): safe, applied by `--fix`.
RENAME = "from mcp import McpError\n"
RENAMED = "from mcp import MCPError\n"
DISPLAY_HEADER = "display-only fix (MCP601): applied only with --fix-only MCP601 (or extend-fixable)"


def test_unsafe_fixes_leave_deprecated_logging_alone_and_the_finding_stays(run, project):
    path = write(project, "server.py", LOGS)
    result = run("check", "--fix", "--unsafe-fixes", "--output-format", "concise", cwd=project)
    assert path.read_text() == LOGS
    assert result.code == 1  # a warning fails the run by default: the finding is still there
    assert result.out.splitlines() == [
        "server.py:8:11: MCP601 (warning) MCP logging is deprecated in 2026-07-28, and its messages are dropped "
        "unless the request asks for them",
    ]
    assert "All checks passed" not in result.err
    assert "Fixed 0 findings (1 remaining)." in result.err
    assert "1 display-only fix (MCP601) not applied: name the rule to apply it, `--fix-only MCP601`." in result.err


def test_check_offers_the_display_only_fix_by_name(run, project):
    write(project, "server.py", LOGS)
    result = run("check", cwd=project)
    assert result.code == 1
    assert "(display-only fix: applied only with --fix-only MCP601)" in result.out
    assert "1 display-only fix (MCP601): apply with `--fix-only MCP601`." in result.err


def test_fix_only_applies_the_named_rule_alone(run, project):
    logs = write(project, "server.py", LOGS)
    rename = write(project, "errors.py", RENAME)
    result = run("check", "--fix-only", "MCP601", cwd=project)
    assert logs.read_text() == LOGS_FIXED
    assert rename.read_text() == RENAME  # another rule's safe fix waits for `--fix`
    assert result.code == 1  # MCP801's finding remains
    assert "Fixed 1 finding (1 remaining)." in result.err


def test_extend_fixable_applies_display_only_fixes_with_fix(run, project):
    (project / "pyproject.toml").write_text(PYPROJECT + '\n[tool.mcpmigrate]\nextend-fixable = ["MCP601"]\n')
    logs = write(project, "server.py", LOGS)
    rename = write(project, "errors.py", RENAME)
    result = run("check", "--fix", cwd=project)
    assert (logs.read_text(), rename.read_text()) == (LOGS_FIXED, RENAMED)
    assert result.code == 0
    assert "Fixed 2 findings (0 remaining)." in result.err


def test_display_only_fixes_need_the_full_code(run, project):
    write(project, "server.py", LOGS)
    result = run("check", "--fix-only", "MCP6", cwd=project)
    assert result.code == 2
    assert "`MCP6` is not a rule code" in result.err
    (project / "pyproject.toml").write_text(PYPROJECT + '\n[tool.mcpmigrate]\nextend-fixable = ["ALL"]\n')
    result = run("check", "--fix", cwd=project)
    assert result.code == 2
    assert "`extend-fixable`" in result.err and "`ALL` is not a rule code" in result.err


def test_diff_shows_display_only_fixes_apart_and_exits_on_what_fix_would_change(run, project):
    write(project, "server.py", LOGS)
    result = run("check", "--diff", "--fail-on", "error", cwd=project)
    assert result.code == 0  # `--fix` would change nothing (and the warning left does not fail here)
    assert result.out == ""  # a patch on standard output holds only what `--fix` would apply
    assert result.err.startswith(
        DISPLAY_HEADER + "\n"
        "--- a/server.py\n"
        "+++ b/server.py\n"
        "@@ -1,9 +1,13 @@\n"
        "+import logging\n"
        "+\n"
        " from mcp.server.mcpserver import Context, MCPServer\n"
        "+\n"
        "+logger = logging.getLogger(__name__)\n"
    )
    assert "-    await ctx.info(\"saving\")\n+    logger.info(\"saving\")\n" in result.err
    assert "Would fix 0 findings (1 would remain)." in result.err
    assert (project / "server.py").read_text() == LOGS


def test_diff_with_a_safe_fix_beside_exits_1_and_keeps_the_display_only_diff_apart(run, project):
    write(project, "server.py", RENAME + LOGS)
    result = run("check", "--diff", cwd=project)
    assert result.code == 1
    assert result.out.startswith("--- a/server.py\n+++ b/server.py\n")
    assert "+from mcp import MCPError\n" in result.out and "logger" not in result.out
    assert DISPLAY_HEADER in result.err and "+    logger.info(\"saving\")" in result.err


def test_diff_with_fix_only_shows_the_named_rule_as_the_patch(run, project):
    write(project, "server.py", LOGS)
    result = run("check", "--diff", "--fix-only", "MCP601", cwd=project)
    assert result.code == 1
    assert result.out.startswith("--- a/server.py\n")
    assert "+    logger.info(\"saving\")\n" in result.out
    assert DISPLAY_HEADER not in result.err


def test_json_and_the_checklist_keep_the_step_with_its_display_only_fix(run, project):
    write(project, "server.py", LOGS)
    result = run("check", "--fix", "--unsafe-fixes", "--output-format", "json", "--report", "list.json", cwd=project)
    [finding] = json.loads(result.out)
    assert (finding["code"], finding["fix"]["applicability"]) == ("MCP601", "display-only")
    report = json.loads((project / "list.json").read_text())
    [item] = [item for item in report["items"] if item["step"] == "deprecations"]
    assert (item["status"], item["findings"], item["fixable_with_fix_only"]) == ("auto-fixable", 1, 1)
    assert item["locations"][0]["action"] == "Use `logger.info(...)` (display-only: `--fix-only MCP601`)"
    assert report["summary"]["fixable_with_fix_only"] == 1


def test_diff_after_a_cached_check_still_shows_the_display_only_fix(run, project):
    write(project, "server.py", LOGS)
    assert run("check", cwd=project).code == 1  # fills the findings cache
    result = run("check", "--diff", cwd=project)
    assert DISPLAY_HEADER in result.err and "+    logger.info(\"saving\")" in result.err


def test_two_display_only_fixes_are_fixes_not_fixs(run, project):
    write(project, "server.py", LOGS.replace('await ctx.info("saving")', 'await ctx.info("saving")\n    await ctx.debug("saved")'))
    result = run("check", "--fix", "--unsafe-fixes", cwd=project)
    assert "2 display-only fixes (MCP601) not applied" in result.err and "fixs" not in result.err
