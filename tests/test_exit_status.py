"""README's "Exit status" table, clause by clause: each case is one thing the table says. Its last row
(130, 143: stopped by a signal) is tested with real signals in tests/test_signals.py, and in-process
in tests/test_reliability.py."""

from __future__ import annotations

import pytest

from tests.conftest import LEGACY, write

UNFIXABLE = "from mcp import McpError\n\ndef f(args):\n    raise McpError(*args)\n"  # MCP801 twice, no fix
CLEAN = "from mcp import MCPError\n"
WARNING = "from mcp.client.sse import sse_client\n"  # MCP201, a warning whose fix is unsafe
BROKEN = "from mcp import McpError\ndef broken(:\n"  # mentions MCP: only such files are parsed

CASES = [
    # 0: nothing left to migrate that fails the run
    ("0: a clean tree", {"ok.py": CLEAN}, ["check"], 0),
    ("0: only findings below --fail-on", {"client.py": WARNING}, ["check", "--fail-on", "error"], 0),
    ("0: --fix fixed everything", {"server.py": LEGACY}, ["check", "--fix"], 0),
    ("0: --exit-zero, whatever was found", {"server.py": UNFIXABLE}, ["check", "--exit-zero"], 0),
    ("0: --write-baseline done", {"server.py": UNFIXABLE}, ["check", "--write-baseline", "baseline.json"], 0),
    ("0: --add-noqa done", {"server.py": UNFIXABLE}, ["check", "--add-noqa"], 0),
    ("0: --show-suppressions done", {"server.py": UNFIXABLE}, ["check", "--show-suppressions"], 0),
    # as ruff's --diff: nothing would change, even though findings remain
    ("0: --diff with nothing to fix", {"server.py": UNFIXABLE}, ["check", "--diff"], 0),
    ("0: --diff on a clean tree", {"ok.py": CLEAN}, ["check", "--diff"], 0),
    # 1: findings remain that fail the run
    ("1: findings remain", {"server.py": LEGACY}, ["check"], 1),
    ("1: --fix left findings it could not fix", {"server.py": UNFIXABLE}, ["check", "--fix"], 1),
    ("1: --diff, something would change", {"server.py": LEGACY}, ["check", "--diff"], 1),
    ("1: --diff, something would change, more remains", {"a.py": LEGACY, "b.py": UNFIXABLE}, ["check", "--diff"], 1),
    ("1: --exit-non-zero-on-fix, something was fixed", {"server.py": LEGACY}, ["check", "--fix", "--exit-non-zero-on-fix"], 1),
    # 2: usage and configuration errors, files that cannot be checked
    ("2: a usage error", {"ok.py": CLEAN}, ["check", "--output-format", "xml"], 2),
    ("2: a configuration error", {"ok.py": CLEAN, "pyproject.toml": "[tool.mcpmigrate]\nnope = 1\n"}, ["check"], 2),
    ("2: an unparsable file", {"broken.py": BROKEN, "ok.py": CLEAN}, ["check"], 2),
    ("2: an undecodable file", {"latin.py": b"name = '\xe9'\n", "ok.py": CLEAN}, ["check"], 2),
    ("2: an unparsable file wins over --exit-zero", {"broken.py": BROKEN}, ["check", "--exit-zero"], 2),
    ("2: an unparsable file wins over --diff", {"broken.py": BROKEN, "ok.py": CLEAN}, ["check", "--diff"], 2),
]


@pytest.mark.parametrize(("files", "argv", "code"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_each_row_of_the_exit_status_table(run, project, files, argv, code):
    for name, content in files.items():
        if isinstance(content, bytes):
            (project / name).write_bytes(content)
        else:
            (project / name).write_text(content)
    assert run(*argv, cwd=project).code == code


def test_diff_with_only_unfixable_findings_prints_no_diff_and_exits_0(run, project):
    write(project, "server.py", UNFIXABLE)
    result = run("check", "--diff", cwd=project)
    assert (result.code, result.out) == (0, "")
    assert "Would fix 0 findings (2 would remain)." in result.err


def test_an_unreadable_file_exits_2_and_the_others_are_still_checked(run, project):
    write(project, "server.py", LEGACY)
    (project / "dangling.py").symlink_to(project / "missing.py")
    result = run("check", "--output-format", "concise", cwd=project)
    assert result.code == 2
    assert "dangling.py: error: cannot read: broken symbolic link" in result.err
    assert result.out.count("server.py:") == 2
