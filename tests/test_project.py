"""The project pass: constants, wrappers and subclasses one module of the checked tree imports from
another, and the cache that must notice when what a file imports changes."""

from __future__ import annotations

from mcpmigrate.run import project as project_pass
from tests.conftest import write

PACKAGE = {
    "pkg/__init__.py": "from .transport import open_sse\n",
    "pkg/constants.py": 'SESSION_HEADER = "Mcp-Session-Id"\n\n\nclass Transport:\n    SSE = "sse"\n',
    "pkg/transport.py": (
        "from mcp.client.sse import sse_client\n\n\n"
        "async def open_sse(url):\n    async with sse_client(url) as streams:\n        return streams\n"
    ),
    "pkg/sessions.py": "from mcp import ClientSession\n\n\nclass TracedSession(ClientSession):\n    pass\n",
    "pkg/app.py": (
        "from mcp.server.fastmcp import FastMCP\n\n"
        "from pkg import open_sse\n"
        "from pkg.constants import SESSION_HEADER\n"
        "from .sessions import TracedSession\n\n\n"
        "def session_of(request):\n    return request.headers.get(SESSION_HEADER)\n\n\n"
        "async def connect(url, read, write):\n    await open_sse(url)\n"
        "    async with TracedSession(read, write) as session:\n        await session.initialize()\n"
    ),
}


def findings(run, root, *args):
    done = run("check", "--output-format", "concise", *args, "pkg", cwd=root)
    return sorted(line.split(" ", 2)[0] + " " + line.split(" ", 2)[1] for line in done.out.splitlines() if " MCP" in line)


def test_what_a_module_imports_from_the_project_is_known(run, tmp_path):
    for relative, text in PACKAGE.items():
        write(tmp_path, relative, text)
    found = [line for line in findings(run, tmp_path, "--no-cache") if line.startswith("pkg/app.py")]
    assert found == sorted([
        "pkg/app.py:1:6: MCP802", "pkg/app.py:1:32: MCP802",
        "pkg/app.py:9:32: MCP103",  # the header through a constant of another module
        "pkg/app.py:13:11: MCP201",  # a wrapper of sse_client, re-exported by the package
        "pkg/app.py:15:23: MCP101",  # a subclass of ClientSession from another module: proven, so fixed
    ])


def test_a_file_is_checked_again_when_what_it_imports_changes(run, tmp_path):
    for relative, text in PACKAGE.items():
        write(tmp_path, relative, text)
    assert "pkg/app.py:9:32: MCP103" in findings(run, tmp_path)
    write(tmp_path, "pkg/constants.py", 'SESSION_HEADER = "X-Request-Id"\n\n\nclass Transport:\n    SSE = "sse"\n')
    assert "pkg/app.py:9:32: MCP103" not in findings(run, tmp_path)  # app.py itself did not change


def test_a_warm_run_reads_the_index_from_the_cache(run, tmp_path, monkeypatch):
    for relative, text in PACKAGE.items():
        write(tmp_path, relative, text)
    cold = findings(run, tmp_path)

    def refuse(text):
        raise AssertionError("a cached module was parsed again")

    monkeypatch.setattr(project_pass, "index_module", refuse)
    assert findings(run, tmp_path) == cold


def test_module_names_follow_the_packages(tmp_path):
    write(tmp_path, "src/pkg/__init__.py", "")
    write(tmp_path, "src/pkg/sub/__init__.py", "")
    write(tmp_path, "src/pkg/sub/mod.py", "")
    assert project_pass.module_name(tmp_path / "src/pkg/sub/mod.py") == "pkg.sub.mod"
    assert project_pass.module_name(tmp_path / "src/pkg/sub/__init__.py") == "pkg.sub"
    assert project_pass.module_name(tmp_path / "script.py") == "script"
