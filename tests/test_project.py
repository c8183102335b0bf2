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


def test_a_whole_module_import_gives_the_facts_of_the_names_used_through_it(tmp_path):
    constants = 'SESSION_HEADER = "mcp-session-id"\nPROTOCOL = "2025-06-18"\n'
    app = "from pkg import constants\n\nheader = constants.SESSION_HEADER\n"
    write(tmp_path, "pkg/__init__.py", "")
    write(tmp_path, "pkg/constants.py", constants)
    write(tmp_path, "pkg/app.py", app)
    index = project_pass.ProjectIndex()
    for name, text in (("__init__", ""), ("constants", constants), ("app", app)):
        index.add(tmp_path / "pkg" / f"{name}.py", project_pass.index_module(text))
    facts = index.facts_for(tmp_path / "pkg" / "app.py", app)
    # PROTOCOL is never reached as `constants.PROTOCOL`: its value would wake the version rule for nothing.
    assert facts.constants == (("pkg.constants.SESSION_HEADER", "mcp-session-id"),)
    assert facts.mentions == "mcp-session-id"


def test_only_the_sdk_names_rules_look_for_through_wrappers_stand_for_a_wrapper(tmp_path):
    transport = (
        "from mcp import types\nfrom mcp.client.sse import sse_client\n\n\n"
        "async def open_sse(url):\n    types.CallToolRequest\n    async with sse_client(url) as streams:\n        return streams\n"
    )
    app = "from pkg.transport import open_sse\n"
    write(tmp_path, "pkg/__init__.py", "")
    index = project_pass.ProjectIndex()
    index.add(tmp_path / "pkg" / "__init__.py", project_pass.index_module(""))
    index.add(tmp_path / "pkg" / "transport.py", project_pass.index_module(transport))
    index.add(tmp_path / "pkg" / "app.py", project_pass.index_module(app))
    facts = index.facts_for(tmp_path / "pkg" / "app.py", app)
    assert facts.references == (("pkg.transport.open_sse", ("mcp.client.sse.sse_client", "mcp.types.CallToolRequest")),)
    import mcpmigrate.rules  # noqa: F401 - the rules register the names they look for

    assert facts.mentions == "mcp.client.sse.sse_client"  # not `mcp.types.CallToolRequest`


def test_asking_through_wrappers_for_unregistered_names_is_refused():
    import pytest

    from mcpmigrate.rule.project import ProjectFacts

    facts = ProjectFacts(references=(("pkg.open", ("mcp.client.sse.sse_client",)),))
    with pytest.raises(ValueError, match="looked_through"):
        facts.uses("pkg.open", frozenset({"mcp.client.never.registered"}))


def test_the_index_reads_constants_classes_and_uses_off_the_lines():
    text = (
        "import mcp.types as types\nfrom .base import Base  # comment\n"
        'HEADER = "mcp-session-id"  # why\nNOT_A_CONSTANT = f"x"\n'
        "if HEADER == 'x':\n    pass\n\n\n"
        'class Transport(Base):\n    SSE = "sse"\n    nested: str = "n"\n\n\n'
        "def uses_types():\n    fastmcp.types.X\n    return types.Tool, mytypes.Y\n"
    )
    index = project_pass.index_module(text)
    assert index.imports == (("Base", ".base.Base"), ("types", "mcp.types"))
    assert index.constants == (("HEADER", "mcp-session-id"), ("Transport.SSE", "sse"), ("Transport.nested", "n"))
    assert index.bases == (("Transport", (".base.Base",)),)
    assert index.references == (("uses_types", ("mcp.types.Tool",)),)  # not `fastmcp.types.X`, `mytypes.Y`


def test_a_warm_run_works_out_no_facts_until_the_project_changes(run, tmp_path, monkeypatch):
    for relative, text in PACKAGE.items():
        write(tmp_path, relative, text)
    # An empty package `__init__` and an empty module share their text: only the package is indexed,
    # cold and warm alike (the warm run once indexed both, and worked out every file's facts again).
    write(tmp_path, "pkg/sub/__init__.py", "")
    write(tmp_path, "pkg/sub/empty.py", "")
    cold = findings(run, tmp_path)
    saved = (tmp_path / ".mcpmigrate_cache" / "project.json").read_bytes()
    worked_out = []
    real = project_pass.ProjectIndex.facts_for

    def counted(self, path, text):
        worked_out.append(path.name)
        return real(self, path, text)

    monkeypatch.setattr(project_pass.ProjectIndex, "facts_for", counted)
    assert findings(run, tmp_path) == cold
    assert worked_out == []  # every file's facts fingerprint came from the cache
    assert (tmp_path / ".mcpmigrate_cache" / "project.json").read_bytes() == saved  # nothing to add
    # A module others import changes: the project's signature with it, so facts are worked out again.
    write(tmp_path, "pkg/constants.py", 'SESSION_HEADER = "X-Request-Id"\n\n\nclass Transport:\n    SSE = "sse"\n')
    assert "pkg/app.py:9:32: MCP103" not in findings(run, tmp_path)
    assert "app.py" in worked_out


SRC_LAYOUT = {
    "src/my_server/__init__.py": "",
    "src/my_server/tools/__init__.py": 'from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP("notes")\n',
    "src/my_server/app.py": "from .tools import mcp as server\n\n\ndef serve():\n    server.run(transport=\"sse\")\n",
    "src/main.py": 'from my_server.tools import mcp\n\nif __name__ == "__main__":\n    mcp.run(transport="sse")\n',
    "src/other.py": 'from my_server import tools\n\ntools.mcp.run(transport="sse")\n',
}


def test_a_server_made_in_another_module_is_known_where_it_is_imported(run, tmp_path):
    """A `src/` layout: the script imports the package from its own folder, as Python would; a relative
    import and a whole-module import reach the same object; the object's SDK class is what it was made from."""
    for relative, text in SRC_LAYOUT.items():
        write(tmp_path, relative, text)
    done = run("check", "--no-cache", "--output-format", "concise", "--select", "MCP202", "src", cwd=tmp_path)
    found = sorted(" ".join(line.split(" ")[:2]) for line in done.out.splitlines() if " MCP" in line)
    assert found == ["src/main.py:4:23: MCP202", "src/my_server/app.py:5:26: MCP202", "src/other.py:3:25: MCP202"]


def test_the_index_keeps_the_objects_a_module_makes():
    text = (
        "from mcp.server.fastmcp import FastMCP\nfrom .base import MyServer\n\n"
        'mcp = FastMCP("x")\nserver: MyServer = MyServer()\nCOUNT = len([1])\n\n\ndef f():\n    inner = FastMCP("y")\n'
    )
    index = project_pass.index_module(text)
    assert index.instances == (("mcp", "mcp.server.fastmcp.FastMCP"), ("server", ".base.MyServer"))


def test_a_look_alike_object_is_no_server(run, tmp_path):
    write(tmp_path, "pkg/__init__.py", "")
    write(tmp_path, "pkg/worker.py", "class Worker:\n    def run(self, transport):\n        pass\n\n\nmcp = Worker()\n")
    write(tmp_path, "pkg/main.py", 'from pkg.worker import mcp\n\nmcp.run(transport="sse")\n')
    done = run("check", "--no-cache", "--output-format", "concise", "--select", "MCP202", "pkg", cwd=tmp_path)
    assert " MCP" not in done.out


OWN_MODELS = {
    "models.py": "from pydantic import BaseModel\n\n\nclass Result(BaseModel):\n    isError: bool = False\n",
    "app/__init__.py": "",
    "app/schemas.py": (
        "import mcp.types\nfrom pydantic import BaseModel\n\n\nclass Page(BaseModel):\n    nextCursor: str | None = None\n\n\n"
        "class Listing(mcp.types.ListToolsResult):\n    pass\n"
    ),
    "test_models.py": (
        "import mcp; from models import Result\nfrom app.schemas import Listing, Page\n\n\n"
        "def test_result(page: Page, listing: Listing, other):\n"
        "    assert Result().isError is False\n"
        "    result = Result(isError=True)\n"
        "    assert result.isError and page.nextCursor is None\n"
        "    return listing.nextCursor, other.isError\n"
    ),
}


def test_the_projects_own_models_keep_their_camelcase_fields(run, tmp_path):
    """The project's own pydantic models (one in a module with no MCP in it, one beside an SDK model)
    are no SDK models: silent. A subclass of an SDK model is one: fixed. An unknown object: reported."""
    for relative, text in OWN_MODELS.items():
        write(tmp_path, relative, text)
    done = run("check", "--no-cache", "--output-format", "concise", "--select", "MCP807", ".", cwd=tmp_path)
    found = sorted(" ".join(line.split(" ")[:2]) for line in done.out.splitlines() if " MCP" in line)
    assert found == ["test_models.py:9:20: MCP807", "test_models.py:9:38: MCP807"]
    run("check", "--no-cache", "--select", "MCP807", "--fix", "--unsafe-fixes", ".", cwd=tmp_path)
    assert (tmp_path / "test_models.py").read_text().splitlines()[6:] == [
        "    result = Result(isError=True)",
        "    assert result.isError and page.nextCursor is None",
        "    return listing.next_cursor, other.isError",
    ]


def test_the_context_of_a_server_made_in_another_module_is_reported_where_it_is_asked_for(run, tmp_path):
    write(tmp_path, "app/__init__.py", 'from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP("notes")\n')
    write(tmp_path, "app/tools.py", (
        "from app import mcp\n\n\n@mcp.tool()\nasync def whoami() -> str:\n"
        "    return mcp.get_context().client_id or \"anonymous\"\n"
    ))
    write(tmp_path, "app/worker.py", "class Worker:\n    def get_context(self):\n        return None\n\n\nmcp = Worker()\n")
    write(tmp_path, "app/jobs.py", "from app.worker import mcp\n\nmcp.get_context()\n")
    done = run("check", "--no-cache", "--output-format", "concise", "--select", "MCP802", "app", cwd=tmp_path)
    found = sorted(" ".join(line.split(" ")[:2]) for line in done.out.splitlines() if " MCP" in line)
    assert found == sorted([
        "app/__init__.py:1:6: MCP802", "app/__init__.py:1:32: MCP802", "app/__init__.py:3:7: MCP802",
        "app/tools.py:6:16: MCP802",  # `get_context()` of the server imported from the package; not the Worker's
    ])
