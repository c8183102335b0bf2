"""The command line through `main(argv)`: what a user types and sees, exit codes included."""

from __future__ import annotations

import json
import os
import stat
import sys

import pytest

from tests.conftest import LEGACY, LEGACY_FIXED, write

CONCISE = ["check", "--output-format", "concise"]


def test_findings_exit_1_with_concise_lines_and_a_summary(run, project):
    write(project, "app/server.py", LEGACY)
    result = run(*CONCISE, cwd=project)
    assert result.code == 1
    assert result.out.splitlines() == [
        "app/server.py:1:17: MCP801 [*] `McpError` is `MCPError` in mcp 2.x; the old name no longer imports",
        "app/server.py:5:11: MCP801 [*] `McpError(error_data)` is `MCPError(code, message, data)` in mcp 2.x",
    ]
    assert "Found 2 findings in 1 file." in result.err
    assert "[*] 2 fixable with `mcpmigrate check --fix`." in result.err


def test_clean_tree_exits_0(run, project):
    write(project, "ok.py", "from mcp import MCPError\n")
    result = run("check", cwd=project)
    assert (result.code, result.out) == (0, "")
    assert "All checks passed! (1 file checked)" in result.err


def test_full_format_shows_a_code_frame_with_the_span_marked_and_the_fix(run, project):
    write(project, "server.py", LEGACY)
    result = run("check", "server.py", cwd=project)
    lines = result.out.splitlines()
    assert lines[0] == "server.py:1:17: MCP801 [*] `McpError` is `MCPError` in mcp 2.x; the old name no longer imports"
    assert lines[1:7] == [
        "  |",
        "1 | from mcp import McpError",
        "  |                 ^^^^^^^^ MCP801",
        "2 | from mcp.types import ErrorData",
        "3 | ",
        "  |",
    ]
    assert lines[7] == "  = help: Rename to `MCPError`"


def test_full_format_does_not_treat_code_as_markup(run, project):
    write(project, "server.py", "from mcp import McpError\nx = '[bold]not markup[/bold]'\n")
    result = run("check", cwd=project)
    assert "[bold]not markup[/bold]" in result.out


def test_full_format_without_colour_writes_what_rich_prints(project):
    """Off a terminal the full format skips Rich's printing (a millisecond a finding); the text must
    be Rich's to the byte, tabs, control characters and markup-like text included."""
    import io

    from rich.console import Console

    from mcpmigrate.output import full
    from mcpmigrate.run.runner import Runner, RunOptions

    write(project, "server.py", "from mcp import McpError\nx = '\t\x1b[31m[bold]\\r\x0c'  # \x07\nraise McpError(e)\n")
    result = Runner(RunOptions(), project).run([str(project)])
    assert len(result.findings) == 2
    written = io.StringIO()
    full.render(result, written)
    printed = io.StringIO()
    console = Console(file=printed, highlight=False, markup=False, emoji=False, soft_wrap=True)
    for outcome in result.outcomes:
        for finding in outcome.findings:
            console.print(full.render_finding(finding, full.split_lines(outcome.text)))
    assert written.getvalue() == printed.getvalue()


def test_json_output_is_shaped_like_ruffs(run, project):
    write(project, "server.py", LEGACY)
    result = run("check", "--output-format", "json", cwd=project)
    assert result.code == 1
    first = json.loads(result.out)[0]
    assert first == {
        "code": "MCP801",
        "end_location": {"column": 25, "row": 1},
        "filename": "server.py",
        "fix": {
            "applicability": "safe",
            "edits": [{"content": "MCPError", "end_location": {"column": 25, "row": 1}, "location": {"column": 17, "row": 1}}],
            "message": "Rename to `MCPError`",
        },
        "help": "Rename to `MCPError`",
        "location": {"column": 17, "row": 1},
        "message": "`McpError` is `MCPError` in mcp 2.x; the old name no longer imports",
        "name": "mcperror-renamed",
        "severity": "error",
        "url": "https://github.com/mcpmigrate/mcpmigrate/blob/main/rules/MCP801.md",
    }


def test_output_format_from_environment_and_config(run, project):
    write(project, "server.py", LEGACY)
    from_env = run("check", cwd=project, env={"MCPMIGRATE_OUTPUT_FORMAT": "json"})
    assert json.loads(from_env.out)[0]["code"] == "MCP801"
    (project / "pyproject.toml").write_text('[tool.mcpmigrate]\noutput-format = "concise"\n')
    from_config = run("check", cwd=project)
    assert from_config.out.startswith("server.py:1:17: MCP801")
    flag_wins = run("check", "--output-format", "json", cwd=project, env={"MCPMIGRATE_OUTPUT_FORMAT": "concise"})
    assert flag_wins.out.startswith("[")


def test_output_file_and_statistics(run, project):
    write(project, "server.py", LEGACY)
    result = run(*CONCISE, "-o", "report.txt", cwd=project)
    assert result.code == 1 and result.out == ""
    assert (project / "report.txt").read_text().count("MCP801") == 2
    stats = run("check", "--statistics", cwd=project)
    assert stats.out == "2\tMCP801\t[*] mcperror-renamed\n"


def test_fix_writes_the_file_and_a_second_run_is_clean(run, project):
    path = write(project, "server.py", LEGACY)
    result = run("check", "--fix", "--show-fixes", cwd=project)
    assert result.code == 0
    assert path.read_text() == write(project, "expected.py", LEGACY_FIXED).read_text()
    assert "Fixed 2 findings (0 remaining)." in result.err
    assert "2 × MCP801 (mcperror-renamed)" in result.err
    again = run("check", "--fix", "server.py", cwd=project)
    assert again.code == 0 and "Fixed 0 findings" in again.err


def test_exit_non_zero_on_fix_and_exit_zero(run, project):
    write(project, "server.py", LEGACY)
    assert run("check", "--exit-zero", cwd=project).code == 0
    assert run("check", "--fix", "--exit-non-zero-on-fix", cwd=project).code == 1
    assert run("check", "--fix", "--exit-non-zero-on-fix", cwd=project).code == 0  # nothing left to fix


def test_unfixable_findings_remain_after_fix_and_exit_1(run, project):
    write(project, "server.py", "from mcp import McpError\n\ndef f(args):\n    raise McpError(*args)\n")
    result = run(*CONCISE, "--fix", cwd=project)
    assert result.code == 1
    assert result.out.splitlines() == [
        "server.py:1:17: MCP801 `McpError` is `MCPError` in mcp 2.x; the old name no longer imports",
        "server.py:4:11: MCP801 `McpError(error_data)` is `MCPError(code, message, data)` in mcp 2.x, and this call's arguments cannot be rewritten automatically",
    ]
    assert (project / "server.py").read_text().startswith("from mcp import McpError\n")


def test_diff_prints_and_writes_nothing(run, project):
    path = write(project, "server.py", LEGACY)
    before = path.read_bytes()
    result = run("check", "--diff", cwd=project)
    assert result.code == 1
    assert path.read_bytes() == before
    assert result.out.startswith("--- a/server.py\n+++ b/server.py\n@@ -1,5 +1,4 @@\n-from mcp import McpError\n-from mcp.types import ErrorData\n+from mcp import MCPError\n")
    assert "Would fix 2 findings (0 would remain)." in result.err


def test_syntax_error_next_to_legacy_file(run, project):
    broken = write(project, "broken.py", "from mcp import McpError\ndef broken(:\n    pass\n")
    write(project, "server.py", LEGACY)
    before = broken.read_bytes()
    result = run(*CONCISE, "--fix", cwd=project)
    assert result.code == 2
    assert "broken.py:2:12: error: cannot parse: invalid syntax" in result.err.splitlines()
    assert broken.read_bytes() == before
    assert (project / "server.py").read_text().startswith("from mcp import MCPError")
    check_only = run(*CONCISE, cwd=project)
    assert check_only.code == 2
    assert check_only.out == ""  # the legacy file was fixed above; the broken one is named on stderr
    assert "traceback" not in check_only.err.lower()


def test_undecodable_binary_and_missing_files_are_named_and_the_run_goes_on(run, project):
    (project / "latin.py").write_bytes(b"x = '\xe9'\n")
    (project / "blob.py").write_bytes(b"\x00\x01\x02")
    write(project, "server.py", LEGACY)
    result = run(*CONCISE, ".", "missing.py", cwd=project)
    assert result.code == 2
    err = result.err.splitlines()
    assert "latin.py:1:6: error: cannot decode as utf-8: invalid continuation byte" in err
    assert "blob.py: error: cannot check: the file contains NUL bytes (is it a binary file?)" in err
    assert "missing.py: error: no such file or directory" in err
    assert result.out.count("MCP801") == 2


def test_select_ignore_and_extend_select(run, project):
    write(project, "server.py", LEGACY)
    assert run("check", "--ignore", "MCP801", cwd=project).code == 0
    assert run("check", "--ignore", "MCP8", cwd=project).code == 0
    assert run("check", "--select", "MCP8", cwd=project).code == 1
    assert run("check", "--select", "mcp801", cwd=project).code == 1  # codes are case-insensitive
    assert run("check", "--select", "ALL", "--ignore", "MCP", cwd=project).code == 0
    # The more specific selector wins over the less specific one, whichever list it is in.
    assert run("check", "--select", "MCP801", "--ignore", "MCP8", cwd=project).code == 1
    (project / "pyproject.toml").write_text('[tool.mcpmigrate]\nignore = ["MCP801"]\n')
    assert run("check", cwd=project).code == 0
    assert run("check", "--extend-select", "MCP801", cwd=project).code == 1


def test_unknown_selector_is_a_usage_error(run, project):
    write(project, "server.py", LEGACY)
    result = run("check", "--select", "MCP9999", cwd=project)
    assert result.code == 2
    assert result.err.strip() == "error: command line: unknown rule selector `MCP9999` (see `mcpmigrate rules`)"


def test_unknown_config_key_and_code_are_errors_naming_the_file(run, project):
    write(project, "server.py", LEGACY)
    (project / "pyproject.toml").write_text("[tool.mcpmigrate]\nselct = ['MCP8']\n")
    result = run("check", cwd=project)
    assert result.code == 2
    assert f"{project / 'pyproject.toml'}: unknown key `selct` in [tool.mcpmigrate]" in result.err
    (project / "pyproject.toml").write_text("[tool.mcpmigrate]\nignore = ['MCP09']\n")
    result = run("check", cwd=project)
    assert result.code == 2 and "unknown rule selector `MCP09`" in result.err
    (project / "pyproject.toml").write_text("[tool.mcpmigrate]\nunsafe-fixes = 'yes'\n")
    assert "must be true or false" in run("check", cwd=project).err
    (project / "pyproject.toml").write_text("[tool.mcpmigrate\n")
    result = run("check", cwd=project)
    assert result.code == 2 and "invalid TOML" in result.err and "Traceback" not in result.err


def test_config_is_the_nearest_pyproject_with_our_table_or_the_named_one(run, project):
    write(project, "sub/server.py", LEGACY)
    (project / "pyproject.toml").write_text('[tool.mcpmigrate]\nignore = ["MCP801"]\n')
    (project / "sub" / "pyproject.toml").write_text("[project]\nname = 'no table here'\n")
    assert run("check", "sub", cwd=project).code == 0
    (project / "sub" / "pyproject.toml").write_text("[tool.mcpmigrate]\nselect = ['ALL']\n")
    assert run("check", "sub", cwd=project).code == 1
    other = project / "other.toml"
    other.write_text('ignore = ["MCP801"]\n')
    assert run("check", "--config", str(other), "sub", cwd=project).code == 0


def test_per_file_ignores(run, project):
    write(project, "tests/test_server.py", LEGACY)
    write(project, "server.py", LEGACY)
    (project / "pyproject.toml").write_text('[tool.mcpmigrate.per-file-ignores]\n"tests/**" = ["MCP801"]\n')
    result = run(*CONCISE, cwd=project)
    assert {line.split(":")[0] for line in result.out.splitlines()} == {"server.py"}


def test_gitignore_default_excludes_and_virtualenvs_are_skipped(run, project):
    (project / ".git").mkdir()
    (project / ".gitignore").write_text("generated/\n*.gen.py\n!keep.gen.py\n")
    for name in ("generated/a.py", "x.gen.py", "node_modules/b.py", "build/c.py", ".venv/d.py", "env1/e.py", "__pycache__/f.py"):
        write(project, name, LEGACY)
    (project / "env1" / "pyvenv.cfg").write_text("home = /usr\n")
    write(project, "keep.gen.py", LEGACY)
    write(project, "pkg/nested/.gitignore", "local.py\n")
    write(project, "pkg/nested/local.py", LEGACY)
    write(project, "pkg/nested/real.py", LEGACY)
    write(project, "pkg/notes.txt", LEGACY)
    result = run(*CONCISE, cwd=project)
    assert sorted({line.split(":")[0] for line in result.out.splitlines()}) == ["keep.gen.py", "pkg/nested/real.py"]


def test_exclude_extend_exclude_and_force_exclude(run, project):
    write(project, "legacy/old.py", LEGACY)
    write(project, "app/server.py", LEGACY)
    write(project, "app/server_test.py", LEGACY)
    (project / "pyproject.toml").write_text('[tool.mcpmigrate]\nextend-exclude = ["legacy", "app/*_test.py"]\n')
    result = run(*CONCISE, cwd=project)
    assert {line.split(":")[0] for line in result.out.splitlines()} == {"app/server.py"}
    # Named on the command line, an excluded file is still checked, unless --force-exclude (pre-commit).
    assert run("check", "legacy/old.py", cwd=project).code == 1
    forced = run("check", "--force-exclude", "legacy/old.py", "app/server_test.py", cwd=project)
    assert forced.code == 0
    (project / "pyproject.toml").write_text('[tool.mcpmigrate]\nexclude = ["app"]\n')
    assert {line.split(":")[0] for line in run(*CONCISE, cwd=project).out.splitlines()} == {"legacy/old.py"}


def test_pyi_files_are_checked_and_other_suffixes_only_when_named(run, project):
    write(project, "stubs.pyi", LEGACY)
    write(project, "script", LEGACY)
    assert {line.split(":")[0] for line in run(*CONCISE, cwd=project).out.splitlines()} == {"stubs.pyi"}
    assert run("check", "script", cwd=project).code == 1


def test_stdin_check_and_fix(run, project):
    source = write(project, "unused.py", LEGACY).read_bytes()
    checked = run(*CONCISE, "-", "--stdin-filename", "app/server.py", cwd=project, stdin=source)
    assert checked.code == 1
    assert checked.out.startswith("app/server.py:1:17: MCP801")
    implied = run(*CONCISE, "--stdin-filename", "app/server.py", cwd=project, stdin=source)
    assert implied.out == checked.out  # no path: --stdin-filename reads standard input
    fixed = run(*CONCISE, "--fix", "-", cwd=project, stdin=source)
    assert fixed.out == write(project, "expected.py", LEGACY_FIXED).read_text()
    assert fixed.code == 0
    (project / "pyproject.toml").write_text('[tool.mcpmigrate]\nextend-exclude = ["vendored"]\n')
    excluded = run("check", "--fix", "--force-exclude", "--stdin-filename", "vendored/x.py", "-", cwd=project, stdin=source)
    assert excluded.out == source.decode() and excluded.code == 0


def test_fix_keeps_bom_crlf_latin1_and_permissions(run, project):
    bom = project / "bom.py"
    bom.write_bytes(b"\xef\xbb\xbf" + LEGACY.lstrip("\n").replace("\n", "\r\n").encode())
    latin = project / "latin.py"
    latin.write_bytes(b"# -*- coding: latin-1 -*-\nNAME = '\xe9t\xe9'\nfrom mcp import McpError\n")
    os.chmod(latin, 0o754)
    assert run("check", "--fix", cwd=project).code == 0
    assert bom.read_bytes() == b"\xef\xbb\xbf" + LEGACY_FIXED.lstrip("\n").replace("\n", "\r\n").encode()
    assert latin.read_bytes() == b"# -*- coding: latin-1 -*-\nNAME = '\xe9t\xe9'\nfrom mcp import MCPError\n"
    assert stat.S_IMODE(latin.stat().st_mode) == 0o754
    assert sorted(p.name for p in project.iterdir()) == ["bom.py", "latin.py", "pyproject.toml"]  # no temp files


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks")
def test_fix_rewrites_a_symlink_target_and_keeps_the_link(run, project):
    target = write(project, "real/server.py", LEGACY)
    link = project / "link.py"
    link.symlink_to(target)
    assert run("check", "--fix", "link.py", cwd=project).code == 0
    assert link.is_symlink()
    assert target.read_text().startswith("from mcp import MCPError")


def test_a_file_changed_on_disk_during_the_run_is_not_overwritten(run, project, monkeypatch):
    path = write(project, "server.py", LEGACY)
    from mcpmigrate.engine import checker as engine

    real_fix = engine.fix

    def fix_while_someone_edits(text, *args, **kwargs):
        path.write_text("# edited by someone else\n" + text)
        return real_fix(text, *args, **kwargs)

    monkeypatch.setattr(engine, "fix", fix_while_someone_edits)
    result = run("check", "--fix", cwd=project)
    assert result.code == 2
    assert "server.py: error: not written: the file changed on disk while it was being checked" in result.err
    assert path.read_text().startswith("# edited by someone else\n")


def test_rules_and_rule_commands(run, project):
    listing = run("rules", cwd=project)
    assert listing.code == 0
    assert "MCP801  mcperror-renamed" in listing.out
    data = {entry["code"]: entry for entry in json.loads(run("rules", "--output-format", "json", cwd=project).out)}
    assert {"name": "mcperror-renamed", "fix": "sometimes", "severity": "error"}.items() <= data["MCP801"].items()
    assert list(data) == sorted(data)
    doc = run("rule", "mcp801", cwd=project)
    assert doc.code == 0 and doc.out.startswith("# MCP801 mcperror-renamed\n")
    for heading in ("## Why it breaks", "## The fix", "## Fix safety", "## Examples", "## References"):
        assert heading in doc.out
    unknown = run("rule", "MCP000", cwd=project)
    assert unknown.code == 2 and "unknown rule code `MCP000`" in unknown.err


def test_usage_errors_exit_2_without_traceback(run, project):
    result = run("check", "--output-format", "xml", cwd=project)
    assert result.code == 2 and "Traceback" not in result.err
    assert run("check", "--no-such-flag", cwd=project).code == 2


def test_version(run, project):
    from mcpmigrate import __version__

    result = run("--version", cwd=project)
    assert (result.code, result.out) == (0, f"mcpmigrate {__version__}\n")


def test_quiet_prints_findings_only(run, project):
    write(project, "server.py", LEGACY)
    result = run(*CONCISE, "-q", cwd=project)
    assert result.code == 1 and result.err == "" and result.out.count("MCP801") == 2


def test_config_from_a_pipe(run, project):
    """`--config <(...)` gives a /dev/fd path: it is read as given, never resolved to the pipe."""
    write(project, "server.py", LEGACY)
    read, write_end = os.pipe()
    os.write(write_end, b'ignore = ["MCP801"]\n')
    os.close(write_end)
    try:
        assert run("check", "--config", f"/dev/fd/{read}", cwd=project).code == 0
    finally:
        os.close(read)


def test_deprecations_are_marked_as_warnings(run, project):
    write(project, "client.py", "from mcp.client.sse import sse_client\n")
    concise = run(*CONCISE, cwd=project)
    assert concise.out.startswith("client.py:1:28: MCP201 (warning) `sse_client` uses the deprecated HTTP+SSE transport")
    full = run("check", cwd=project)
    assert full.out.startswith("client.py:1:28: MCP201 (warning) `sse_client`")
    assert concise.code == 1  # a warning still fails the check; only `info` does not


def test_only_unsafe_fixes_are_not_called_more(run, tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\ndependencies = ["mcp>=1.10,<2"]\n')
    (tmp_path / "app.py").write_text("from mcp import McpError\n")
    result = run("check", ".", cwd=tmp_path)
    assert "1 fixable with `--fix --unsafe-fixes`." in result.err
    assert "more fixable" not in result.err and "[*]" not in result.err
