"""Never lose or corrupt a user's file, whatever the input: one test per guarantee."""

from __future__ import annotations

import os
import sys
import textwrap

import pytest

from mcpmigrate.rule.base import registered_rules
from mcpmigrate.run import source as source_module
from tests.conftest import LEGACY, LEGACY_FIXED, write

CONCISE = ("check", "--output-format", "concise")


def snapshot(folder):
    # open(), not Path.read_bytes, which a test below patches
    return {p.relative_to(folder).as_posix(): open(p, "rb").read() for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks")
def test_bad_files_get_one_line_each_and_the_run_goes_on(run, project, monkeypatch):
    write(project, "legacy.py", LEGACY)
    (project / "binary.py").write_bytes(b"\x7fELF\x00\x01")
    (project / "latin.py").write_bytes(b"name = '\xe9'\n")
    (project / "broken.py").symlink_to(project / "missing.py")
    (project / "loop_a.py").symlink_to(project / "loop_b.py")
    (project / "loop_b.py").symlink_to(project / "loop_a.py")
    secret = write(project, "secret.py", "from mcp import McpError\n")
    real_read = source_module.Path.read_bytes

    def read_bytes(path):  # the tests run as root, which no file mode stops: refuse like the OS would
        if path.name == "secret.py":
            raise PermissionError(13, "Permission denied")
        return real_read(path)

    monkeypatch.setattr(source_module.Path, "read_bytes", read_bytes)
    before = snapshot(project)
    result = run(*CONCISE, "--fix", cwd=project)
    assert result.code == 2
    problems = sorted(line for line in result.err.splitlines() if ": error: " in line)
    assert problems == [
        "binary.py: error: cannot check: the file contains NUL bytes (is it a binary file?)",
        "broken.py: error: cannot read: broken symbolic link (to " + str(project / "missing.py") + ", which does not exist)",
        "latin.py:1:9: error: cannot decode as utf-8: invalid continuation byte",
        "loop_a.py: error: cannot read: symbolic link loop (via " + str(project / "loop_b.py") + ")",
        "loop_b.py: error: cannot read: symbolic link loop (via " + str(project / "loop_a.py") + ")",
        "secret.py: error: cannot read: Permission denied",
    ]
    after = snapshot(project)
    assert after.pop("legacy.py") == textwrap.dedent(LEGACY_FIXED).lstrip("\n").encode()
    before.pop("legacy.py")
    assert after == before  # nothing else was written
    assert secret.exists()


def test_empty_files_and_folders_named_like_modules(run, project):
    write(project, "empty.py", "")
    write(project, "package.py/inner.py", LEGACY)  # a folder called package.py is walked like any folder
    result = run(*CONCISE, cwd=project)
    assert result.code == 1
    assert {line.split(":")[0] for line in result.out.splitlines()} == {"package.py/inner.py"}


def test_python2_and_other_unparsable_code_is_reported_and_never_written(run, project):
    path = write(project, "py2.py", 'from mcp import McpError\nprint "hello"\n')
    before = path.read_bytes()
    result = run(*CONCISE, "--fix", "--unsafe-fixes", cwd=project)
    assert result.code == 2
    assert result.err.splitlines()[0].startswith("py2.py:2:1: error: cannot parse: Missing parentheses in call to 'print'")
    assert path.read_bytes() == before


def test_mixed_line_endings_tabs_form_feeds_and_long_lines_survive_byte_for_byte(run, project):
    long_line = "x = '" + "a" * 100_000 + "'"
    original = (
        "from mcp import McpError\r\n"
        "\x0c\n"
        f"{long_line}\r"
        "if True:\n"
        "\tpass  # tab\r\n"
        "raise McpError(e)"  # no final newline
    ).encode()
    (project / "mixed.py").write_bytes(original)
    assert run("check", "--fix", cwd=project).code == 0
    fixed = (project / "mixed.py").read_bytes()
    expected = original.replace(b"import McpError", b"import MCPError").replace(
        b"raise McpError(e)", b"raise MCPError.from_error_data(e)"
    )
    assert fixed == expected


def test_a_crashing_rule_is_reported_with_its_name_and_the_rest_still_runs(run, project, monkeypatch):
    write(project, "server.py", LEGACY + "\nrequests_post = {'code': -32002}\n")
    rule = registered_rules()["MCP801"]

    def visit_ImportFrom(self, node):  # LibCST collects visitors by this name
        raise KeyError("boom")

    monkeypatch.setattr(rule, "visit_ImportFrom", visit_ImportFrom)
    result = run(*CONCISE, cwd=project)
    assert result.code == 2
    (internal,) = [line for line in result.err.splitlines() if "internal error" in line]
    assert internal.startswith("server.py: internal error: in rule MCP801 (mcperror-renamed): KeyError: 'boom'")
    assert "Please report this at" in internal
    assert "Traceback" not in result.err
    assert all(" MCP801 " not in line for line in result.out.splitlines())


def test_interrupting_fix_leaves_each_file_old_or_new_and_no_temp_files(run, project, monkeypatch):
    first = write(project, "a.py", LEGACY)
    second = write(project, "b.py", LEGACY)
    old = second.read_bytes()
    real_replace = os.replace
    calls = []

    def replace(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise KeyboardInterrupt  # Ctrl-C between writing b.py's temporary file and renaming it
        real_replace(src, dst)

    monkeypatch.setattr(source_module.os, "replace", replace)
    result = run("check", "--fix", cwd=project)
    assert result.code == 130
    assert result.err.splitlines() == ["Interrupted by SIGINT: 1 file written, the others unchanged."]
    assert first.read_text() == write(project, "want.txt", LEGACY_FIXED).read_text()
    assert second.read_bytes() == old
    assert sorted(p.name for p in project.iterdir()) == ["a.py", "b.py", "pyproject.toml", "want.txt"]


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks")
def test_fix_does_not_write_through_a_link_out_of_the_project_unless_it_is_named(run, tmp_path):
    project = tmp_path / "proj"
    project.mkdir()
    (project / "pyproject.toml").write_text("[project]\nname = 'demo'\ndependencies = ['mcp>=2.3']\n")
    outside = write(tmp_path, "outside/lib.py", LEGACY)
    before = outside.read_bytes()
    (project / "linked.py").symlink_to("../outside/lib.py")
    own = write(project, "own.py", LEGACY)
    inner = write(project, "real/inner.txt", LEGACY)  # not walked itself: not a .py file
    (project / "inner_link.py").symlink_to("real/inner.txt")  # a link within the project is followed
    fixed = textwrap.dedent(LEGACY_FIXED).lstrip("\n")
    not_fixed = (
        f"linked.py: not fixed: a symbolic link to {tmp_path}/outside/lib.py, outside the project root "
        f"{project}; name it on the command line to fix it"
    )

    diff = run("check", "--diff", cwd=project)
    assert diff.code == 1
    assert [line for line in diff.out.splitlines() if line.startswith("---")] == ["--- a/inner_link.py", "--- a/own.py"]
    assert not_fixed in diff.err.splitlines()

    result = run(*CONCISE, "--fix", ".", cwd=project)
    assert result.code == 1  # the link's findings remain
    assert not_fixed in result.err.splitlines()
    assert outside.read_bytes() == before
    assert own.read_text() == inner.read_text() == fixed
    assert [line.split(":")[0] for line in result.out.splitlines()] == ["linked.py", "linked.py"]

    for paths in ([".", "linked.py"], ["linked.py", "."]):  # walked, and named too: named wins
        both = run("check", "--diff", *paths, cwd=project)
        assert "not fixed" not in both.err and "+++ b/linked.py" in both.out

    named = run("check", "--fix", "linked.py", cwd=project)
    assert named.code == 0 and "not fixed" not in named.err
    assert (project / "linked.py").is_symlink() and outside.read_text() == fixed
    again = run("check", "--fix", ".", cwd=project)  # nothing left to fix: nothing to say about the link
    assert again.code == 0 and "not fixed" not in again.err
