"""Adopting mcpmigrate on a large codebase: a baseline, the severity gate, suppressions with reasons
(and the rules about them), `--add-noqa`, `--show-suppressions` and the progress bar."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys

import pytest

from tests.conftest import PYPROJECT, REPO, write

SERVER = """
from mcp import McpError
from mcp.server.fastmcp import FastMCP
from mcp.types import INTERNAL_ERROR, ErrorData

server = FastMCP("demo")


@server.tool()
async def hello(name: str) -> str:
    raise McpError(ErrorData(code=INTERNAL_ERROR, message="boom"))
"""


def codes(result) -> list[str]:
    return [line.split(": ")[1].split(" ")[0] for line in result.out.splitlines() if line]


@pytest.fixture
def legacy(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\ndependencies = ['mcp>=1.26,<2']\n")
    write(tmp_path, "server.py", SERVER)
    return tmp_path


# The baseline.


def test_a_baseline_survives_inserted_lines_and_a_renamed_variable(run, legacy):
    written = run("check", "--write-baseline", "mcpmigrate-baseline.json", cwd=legacy)
    assert written.code == 0
    assert written.err.strip() == "Wrote mcpmigrate-baseline.json: 5 findings accepted (5 added, 0 pruned as fixed)."
    text = (legacy / "server.py").read_text()
    text = '"""A module docstring."""\nimport os\n\n' + text.replace("hello(name: str)", "greet(who: str)")
    text = text.replace("server = FastMCP", "app = FastMCP").replace("@server.tool", "@app.tool")
    (legacy / "server.py").write_text(text)
    result = run("check", "--baseline", "mcpmigrate-baseline.json", "--output-format", "concise", cwd=legacy)
    assert (result.code, result.out) == (0, "")
    assert "5 findings accepted in the baseline (mcpmigrate-baseline.json)." in result.err


def test_a_new_finding_fails_the_run_with_the_baseline_in_place(run, legacy):
    run("check", "--write-baseline", "baseline.json", cwd=legacy)
    (legacy / "pyproject.toml").write_text(
        "[project]\nname = 'demo'\ndependencies = ['mcp>=1.26,<2']\n[tool.mcpmigrate]\nbaseline = 'baseline.json'\n"
    )
    with (legacy / "server.py").open("a") as stream:
        stream.write("\n\nasync def probe(session) -> None:\n    raise McpError(ErrorData(code=INTERNAL_ERROR, message='again'))\n")
    result = run("check", "--output-format", "concise", cwd=legacy)
    assert result.code == 1
    assert result.out == "server.py:14:11: MCP801 `McpError(error_data)` is `MCPError(code, message, data)` in mcp 2.x\n"


def test_fixed_findings_are_counted_and_pruned(run, legacy):
    run("check", "--write-baseline", "baseline.json", cwd=legacy)
    (legacy / "server.py").write_text((legacy / "server.py").read_text().replace('raise McpError(ErrorData(code=INTERNAL_ERROR, message="boom"))', "return name"))
    result = run("check", "--baseline", "baseline.json", cwd=legacy)
    assert result.code == 0
    assert "4 findings accepted in the baseline (baseline.json); 1 entry of it fixed: prune with `--write-baseline baseline.json`." in result.err
    pruned = run("check", "--write-baseline", "baseline.json", cwd=legacy)
    assert "4 findings accepted (0 added, 1 pruned as fixed)" in pruned.err
    entries = json.loads((legacy / "baseline.json").read_text())["findings"]
    assert entries == [
        {"path": "server.py", "code": "MCP801", "text": "McpError", "count": 1},
        {"path": "server.py", "code": "MCP802", "text": "FastMCP", "count": 2},
        {"path": "server.py", "code": "MCP802", "text": "mcp.server.fastmcp", "count": 1},
    ]
    again = run("check", "--baseline", "baseline.json", cwd=legacy)
    assert "entry of it fixed" not in again.err


def test_the_baseline_is_stable_sorted_json_and_keeps_entries_of_files_not_checked(run, legacy):
    write(legacy, "other/client.py", "from mcp import McpError\n")
    run("check", "--write-baseline", "baseline.json", cwd=legacy)
    first = (legacy / "baseline.json").read_bytes()
    run("check", "--write-baseline", "baseline.json", cwd=legacy)
    assert (legacy / "baseline.json").read_bytes() == first
    run("check", "--write-baseline", "baseline.json", "server.py", cwd=legacy)  # only one file checked
    assert (legacy / "baseline.json").read_bytes() == first
    document = json.loads(first)
    keys = [(e["path"], e["code"], e["text"]) for e in document["findings"]]
    assert keys == sorted(keys) and ("other/client.py", "MCP801", "McpError") in keys


def test_the_checklist_shows_baselined_findings_as_accepted_not_done(run, legacy):
    run("check", "--write-baseline", "baseline.json", cwd=legacy)
    report = json.loads(run("report", "--format", "json", "--baseline", "baseline.json", cwd=legacy).out)
    (sdk,) = [item for item in report["items"] if item["step"] == "sdk_2"]
    assert (sdk["status"], sdk["findings"], sdk["accepted_in_baseline"]) == ("accepted in the baseline", 0, 5)
    assert all(location["accepted"] for location in sdk["locations"])
    assert report["summary"]["accepted_in_baseline"] == 5


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "error: baseline baseline.json: no such file (write one with `--write-baseline baseline.json`)"),
        ("{not json", "error: baseline baseline.json: not JSON: "),
        ('{"format": 1, "findings": [{"path": "a.py"}]}', "error: baseline baseline.json: not an mcpmigrate baseline (KeyError: 'code')"),
        ('{"format": 7, "findings": []}', "error: baseline baseline.json: not an mcpmigrate baseline (ValueError: format 7, expected 1)"),
    ],
)
def test_a_missing_or_malformed_baseline_is_one_line_and_nothing_is_written(run, legacy, content, message):
    if content is not None:
        (legacy / "baseline.json").write_text(content)
    before = (legacy / "server.py").read_bytes()
    result = run("check", "--fix", "--unsafe-fixes", "--baseline", "baseline.json", cwd=legacy)
    assert result.code == 2
    assert result.err.count("\n") == 1 and result.err.startswith(message)
    assert (legacy / "server.py").read_bytes() == before
    if content is not None:
        assert (legacy / "baseline.json").read_text() == content


def test_an_unreadable_baseline_is_one_line(run, legacy):
    if os.geteuid() == 0:
        (legacy / "baseline.json").mkdir()  # root reads any file: a folder cannot be read as one
    else:
        (legacy / "baseline.json").write_text("{}")
        (legacy / "baseline.json").chmod(0)
    result = run("check", "--baseline", "baseline.json", cwd=legacy)
    assert result.code == 2 and result.err.startswith("error: baseline baseline.json: cannot read: ")


# The severity gate.

MIXED = """
from mcp.server.fastmcp import Context, FastMCP

server = FastMCP("demo")
ENABLED = {"search", "fetch"}


@server.tool()
async def hello(ctx: Context) -> str:
    await ctx.info("hi")
    return "x"


def handle(method, rid):
    if method == "tools/list":
        return {"jsonrpc": "2.0", "id": rid, "result": {"tools": [{"name": n} for n in set(ENABLED)]}}
"""


@pytest.mark.parametrize(
    ("selected", "fail_on", "code"),
    [
        ("MCP802", "error", 1), ("MCP802", "warning", 1), ("MCP802", "info", 1),
        ("MCP601", "error", 0), ("MCP601", "warning", 1), ("MCP601", "info", 1),
        ("MCP909", "error", 0), ("MCP909", "warning", 0), ("MCP909", "info", 1),
    ],
)
def test_fail_on_is_the_lowest_severity_that_fails(run, tmp_path, selected, fail_on, code):
    write(tmp_path, "server.py", MIXED)
    result = run("check", "--select", selected, "--fail-on", fail_on, "--output-format", "concise", cwd=tmp_path)
    assert codes(result) and set(codes(result)) == {selected}
    assert result.code == code
    assert run("check", "--select", selected, "--fail-on", fail_on, "--exit-zero", cwd=tmp_path).code == 0


def test_fail_on_from_the_configuration_and_the_default(run, tmp_path):
    write(tmp_path, "server.py", MIXED)
    assert run("check", "--select", "MCP601", cwd=tmp_path).code == 1  # the default: warnings fail
    (tmp_path / "pyproject.toml").write_text("[tool.mcpmigrate]\nfail-on = 'error'\n")
    assert run("check", "--select", "MCP601", cwd=tmp_path).code == 0
    assert run("check", "--select", "MCP601", "--fail-on", "warning", cwd=tmp_path).code == 1
    (tmp_path / "pyproject.toml").write_text("[tool.mcpmigrate]\nfail-on = 'fatal'\n")
    bad = run("check", cwd=tmp_path)
    assert bad.code == 2 and "`fail-on` must be one of error, warning, info, not 'fatal'" in bad.err


# Suppressions with reasons, and the rules about them.


def test_unused_suppressions_are_reported_and_removed_by_the_fix(run, tmp_path):
    path = write(tmp_path, "client.py", """
        import json  # noqa: MCP801 -- left from the migration
        from mcp import McpError  # noqa: MCP801, MCP103
        import os  # noqa: MCP602  # type: ignore
        import sys  # noqa
    """)
    result = run("check", "--output-format", "concise", cwd=tmp_path)
    assert result.out.splitlines() == [
        "client.py:1:14: MCP001 (warning) [*] unused suppression: `MCP801` suppresses nothing here",
        "client.py:2:27: MCP001 (warning) [*] unused suppression: `MCP103` suppresses nothing here",
        "client.py:3:12: MCP001 (warning) [*] unused suppression: `MCP602` suppresses nothing here",
    ]
    assert run("check", "--fix", cwd=tmp_path).code == 0
    assert path.read_text() == "import json\nfrom mcp import McpError  # noqa: MCP801\nimport os  # type: ignore\nimport sys  # noqa\n"
    assert run("check", "--fix", cwd=tmp_path).code == 0 and path.read_text().count("noqa") == 2
    # A rule that is not enabled cannot be judged: its suppression stays.
    write(tmp_path, "client.py", "import json  # noqa: MCP801\n")
    assert run("check", "--ignore", "MCP801", cwd=tmp_path).code == 0


def test_a_suppression_without_reason_is_a_finding_when_the_project_requires_one(run, tmp_path):
    write(tmp_path, "client.py", """
        from mcp import McpError  # noqa: MCP801
        from mcp import ClientSession  # noqa: MCP999 -- a reason does not make an unknown code right
        import os  # noqa
    """)
    assert codes(run("check", "--output-format", "concise", cwd=tmp_path)) == ["MCP001"]
    (tmp_path / "pyproject.toml").write_text("[tool.mcpmigrate]\nrequire-noqa-reason = true\n")
    result = run("check", "--output-format", "concise", cwd=tmp_path)
    assert result.out.splitlines() == [
        "client.py:1:27: MCP002 (warning) `# noqa: MCP801` gives no reason",
        "client.py:2:32: MCP001 (warning) [*] unused suppression: `MCP999` (no such rule) suppresses nothing here",
    ]


def test_show_suppressions_lists_every_comment_with_its_reason(run, tmp_path):
    write(tmp_path, "a.py", """
        # mcpmigrate: noqa: MCP103 -- sessions go in the next release
        from mcp import McpError  # noqa: MCP801 -- the gateway still speaks 1.x
        import os  # noqa
    """)
    result = run("check", "--show-suppressions", cwd=tmp_path)
    assert result.code == 0
    assert result.out.splitlines() == [
        "a.py:1:1: mcpmigrate: noqa: MCP103 -- sessions go in the next release",
        "a.py:2:27: noqa: MCP801 -- the gateway still speaks 1.x",
        "a.py:3:12: noqa (no reason)",
    ]
    assert result.err.strip() == "3 suppressions, 1 without a reason."
    listed = json.loads(run("check", "--show-suppressions", "--output-format", "json", cwd=tmp_path).out)
    assert listed[1] == {"path": "a.py", "line": 2, "column": 27, "directive": "noqa: MCP801", "codes": ["MCP801"],
                         "file_level": False, "reason": "the gateway still speaks 1.x"}


# --add-noqa.

NOQA_SOURCE = '''from mcp import McpError  # type: ignore[attr-defined]
from mcp.server.fastmcp import FastMCP  # noqa: E402 -- kept for the old layout

HELP = """a multi-line string
that mentions McpError"""
server = FastMCP(
    "demo",
)
MESSAGE = """the error is
""" + str(McpError)
'''


def test_add_noqa_keeps_comments_and_line_endings_and_a_second_run_adds_nothing(run, tmp_path):
    for newline in ("\n", "\r\n"):
        path = tmp_path / "server.py"
        path.write_bytes(NOQA_SOURCE.replace("\n", newline).encode())
        before = run("check", "--output-format", "concise", cwd=tmp_path)
        assert before.code == 1
        result = run("check", "--add-noqa", cwd=tmp_path)
        assert result.code == 0
        text = path.read_bytes().decode()
        assert text.count("\r\n") == (text.count("\n") if newline == "\r\n" else 0)
        assert text.replace("\r\n", "\n").splitlines()[:2] == [
            "from mcp import McpError  # type: ignore[attr-defined]  # noqa: MCP801",
            "from mcp.server.fastmcp import FastMCP  # noqa: E402, MCP802 -- kept for the old layout",
        ]
        ast.parse(text)
        assert 'HELP = """a multi-line string\n' in text.replace("\r\n", "\n")  # the string is untouched
        after = run("check", "--output-format", "concise", cwd=tmp_path)
        assert (after.code, after.out) == (0, "")
        again = run("check", "--add-noqa", cwd=tmp_path)
        assert again.err.strip() == "Added 0 noqa codes in 0 files."
        assert path.read_bytes().decode() == text


def test_add_noqa_never_puts_a_comment_inside_a_string_or_after_a_backslash():
    from mcpmigrate.findings import Finding, Location, Severity
    from mcpmigrate.run.noqa import with_noqa

    def finding(row: int, end_row: int) -> Finding:
        return Finding("MCP801", "n", Severity.ERROR, "m", "a.py", Location(row, 1), Location(end_row, 2))

    text = 'x = """McpError\nstill the string"""\ny = 1 + \\\n    2\n'
    fixed, added, missed = with_noqa(text, [finding(1, 2), finding(3, 3)])
    assert fixed == 'x = """McpError\nstill the string"""  # noqa: MCP801\ny = 1 + \\\n    2\n'
    assert (added, missed) == (1, 1)


# The progress bar.

PROBE = """
import sys
from mcpmigrate.cli import main
sys.exit(main(["check", "--no-cache", "-j", "1", "--output-format", "concise", *sys.argv[1:], "."]))
"""


def _many_files(root, count=320):
    for index in range(count):
        (root / f"m{index}.py").write_text("from mcp import McpError\n" if index % 100 == 0 else "x = 1\n")


def _on_a_terminal(folder, *flags):
    """Run PROBE with standard error on a pseudo-terminal: what the terminal showed, and stdout."""
    import pty

    environment = {key: value for key, value in os.environ.items() if key != "CI"}
    environment.update(PYTHONPATH=str(REPO), TERM="xterm", COLUMNS="100")
    primary, secondary = pty.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, "-c", PROBE, *flags], cwd=folder, env=environment, stdout=subprocess.PIPE, stderr=secondary,
        )
        os.close(secondary)
        out, _ = process.communicate(timeout=120)
        chunks = []
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(primary)
    return b"".join(chunks).decode(errors="replace"), out.decode(), environment


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_a_progress_bar_on_a_terminal_and_none_on_a_pipe(tmp_path):
    _many_files(tmp_path)
    terminal, out, environment = _on_a_terminal(tmp_path)
    assert "Checking" in terminal and "/320" in terminal and "findings" in terminal
    assert out.count("MCP801") == 4  # the findings themselves still go to standard output
    piped = subprocess.run([sys.executable, "-c", PROBE], cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=120)
    assert "Checking" not in piped.stderr and piped.stdout == out


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_the_progress_bar_of_fix_counts_the_fixed_findings(tmp_path):
    _many_files(tmp_path)
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)  # requires mcp 2: MCP801's fixes are safe
    terminal, out, _ = _on_a_terminal(tmp_path, "--fix")
    assert "Fixing" in terminal and "320/320 files · 4 fixed, 0 left" in terminal  # its last state, before it goes
    assert "0 findings" not in terminal and out == ""
