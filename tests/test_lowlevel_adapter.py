"""End to end (slow, but for one check of the fixed text): a low-level server written for the mcp 1.x
decorators (tests/fixtures/lowlevel_project), fixed by MCP805's adapter, then run on mcp 2.3.0 and
spoken to by clients of both protocol eras, in memory, over stdio and over HTTP (and the probe). It
must answer exactly as the original did on mcp 1.26.0 (recorded below by running the original there:
input validation, error results, structured output, resources, prompts, completions), type-check, and
pass the probe. A second server holds what the adapter once got wrong (issue 27, item 10)."""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from tests.conftest import REPO
from tests.mcp2 import require_mcp2
from tests.test_probe import COMMON_PASS, HTTP_PASS, SDK_LEG, STDIO_ONLY, http_process, probe_json, statuses, unused_port

FIXTURE = REPO / "tests" / "fixtures" / "lowlevel_project"
# `python -m mcpmigrate` run in another folder: this checkout's, not whichever is installed.
THIS_MCPMIGRATE = {**os.environ, "PYTHONPATH": str(REPO)}

# What the original server answered on mcp 1.26.0 (a 2.x client in legacy mode over stdio).
ANSWERS_ON_MCP1 = {
    "tools": ["add", "fail", "stats"],
    "add{'a': 2, 'b': 3}": [False, "5", None],
    "add{'a': 'x', 'b': 3}": [True, "Input validation error: 'x' is not of type 'integer'", None],
    "fail{}": [True, "tool fail failed", None],
    "stats{}": [False, '{\n  "count": 1\n}', {"count": 1}],
    "read": "the first note",
    "missing": "MCPError: no note note://missing",
    "prompt": "Hello Ada",
    "complete": ["Ada", "Alan"],
}

CLIENT = r"""
import asyncio, json, sys
import mcp.types as types
from mcp import Client
from mcp.client.stdio import StdioServerParameters

async def main(target, mode):
    if target == "memory":
        import server
        connection = server.server
    elif target == "stdio":
        connection = StdioServerParameters(command=sys.executable, args=["server.py"])
    else:  # the URL of the server, run over Streamable HTTP
        connection = target
    async with Client(connection, mode=mode) as client:
        out = {"tools": [tool.name for tool in (await client.list_tools()).tools]}
        for name, arguments in (("add", {"a": 2, "b": 3}), ("add", {"a": "x", "b": 3}), ("fail", {}), ("stats", {})):
            result = await client.call_tool(name, arguments)
            out[f"{name}{arguments}"] = [result.is_error, result.content[0].text, result.structured_content]
        out["read"] = (await client.read_resource("note://first")).contents[0].text
        try:
            await client.read_resource("note://missing")
        except Exception as error:
            out["missing"] = f"{type(error).__name__}: {error}"
        out["prompt"] = (await client.get_prompt("hello", {"who": "Ada"})).messages[0].content.text
        reference = types.PromptReference(type="ref/prompt", name="hello")
        out["complete"] = (await client.complete(reference, {"name": "who", "value": "A"})).completion.values
        out["protocol"] = client.protocol_version
        print(json.dumps(out))

asyncio.run(main(sys.argv[1], sys.argv[2]))
"""


@pytest.fixture(scope="module")
def fixed_project(tmp_path_factory):
    require_mcp2()
    project = tmp_path_factory.mktemp("lowlevel") / "project"
    shutil.copytree(FIXTURE, project)
    command = [sys.executable, "-m", "mcpmigrate", "check", "--fix", "--unsafe-fixes", "--output-format", "concise", "."]
    first = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=120, env=THIS_MCPMIGRATE)
    # Nothing left for a human: only MCP808's note that the adapter is in place (it starts at line 13).
    assert (first.returncode, left_over(first.stdout)) == (0, [("server.py:13:5:", "MCP808")]), first.stdout + first.stderr
    text = (project / "server.py").read_text()
    second = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=120, env=THIS_MCPMIGRATE)
    assert second.returncode == 0 and (project / "server.py").read_text() == text  # a second --fix changes nothing
    return project


def left_over(concise: str) -> list[tuple[str, str]]:
    """Each finding a `--output-format concise` run printed: its place and its code."""
    return [(line.split(" ")[0], line.split(" ")[1]) for line in concise.splitlines()]


def handlers(text: str) -> dict[str, tuple[list[str], str]]:
    """Each top-level async function: its decorators and its body, as the AST has them."""
    return {
        node.name: ([ast.unparse(decorator) for decorator in node.decorator_list], ast.dump(ast.Module(node.body, [])))
        for node in ast.parse(text).body if isinstance(node, ast.AsyncFunctionDef)
    }


@pytest.mark.slow
def test_the_fix_keeps_the_function_bodies_and_registers_them(fixed_project):
    before = handlers((FIXTURE / "server.py").read_text())
    after = handlers((fixed_project / "server.py").read_text())
    assert {name: decorators for name, (decorators, _) in after.items()} == {
        name: [re.sub(r"^server\.(\w+)\(\)$", r"mcp1_handler(server, '\1')", decorator) for decorator in decorators]
        for name, (decorators, _) in before.items()
    }
    # Inside the handlers only other rules' fixes changed anything: the resource-not-found error
    # (MCP301, MCP801) and the tools' camelCase keywords (MCP807).
    changed = {name for name in before if before[name][1] != after[name][1]}
    assert changed == {"read_resource", "list_tools"}


@pytest.mark.slow
@pytest.mark.parametrize("target", ["memory", "stdio"])
@pytest.mark.parametrize("mode", ["auto", "legacy"])
def test_fixed_server_answers_both_eras_as_it_did_on_mcp1(fixed_project, target, mode):
    assert_answers_as_on_mcp1(fixed_project, target, mode)


def assert_answers_as_on_mcp1(project, target: str, mode: str) -> None:
    completed = subprocess.run([sys.executable, "-c", CLIENT, target, mode], cwd=project, capture_output=True,
                               text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(project)})
    assert completed.returncode == 0, completed.stderr[-3000:]
    answers = json.loads(completed.stdout.strip().splitlines()[-1])
    assert answers.pop("protocol") == ("2026-07-28" if mode == "auto" else "2025-11-25")
    assert answers == ANSWERS_ON_MCP1


@pytest.mark.slow
def test_fixed_server_answers_both_eras_over_http(fixed_project):
    port = unused_port()
    serve = f"import uvicorn, server; uvicorn.run(server.server.streamable_http_app(), port={port}, log_level='warning')"
    with http_process([sys.executable, "-c", serve], port, cwd=fixed_project) as url:
        for mode in ("auto", "legacy"):
            assert_answers_as_on_mcp1(fixed_project, url, mode)


@pytest.mark.slow
def test_fixed_server_type_checks(fixed_project):
    completed = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental", "--no-error-summary", "--cache-dir", os.devnull, "server.py"],
        cwd=fixed_project, capture_output=True, text=True, timeout=600,
    )
    assert completed.returncode == 0, completed.stdout


@pytest.mark.slow
def test_fixed_server_passes_the_probe(run, fixed_project):
    code, checks, _ = probe_json(run, "--call-tools", "--timeout", "20", "--", sys.executable, "server.py", cwd=fixed_project)
    expected = {**{c: "pass" for c in (*COMMON_PASS, *STDIO_ONLY)}, "handshake-era": "info", "input-required": "skip"}
    assert (code, statuses(checks)) == (0, expected)
    port = unused_port()
    serve = f"import uvicorn, server; uvicorn.run(server.server.streamable_http_app(), port={port}, log_level='warning')"
    with http_process([sys.executable, "-c", serve], port, cwd=fixed_project) as url:
        code, checks, _ = probe_json(run, url, "--call-tools", "--timeout", "20")
    expected = {**{c: "pass" for c in (*COMMON_PASS, *HTTP_PASS)}, **SDK_LEG, "input-required": "skip"}
    assert (code, statuses(checks)) == (0, expected)


# Three handlers the adapter once failed on mcp 2.3.0 (issue 27, item 10): a tool reading the request's
# headers through `server.request_context`, a `list_tools` returning a whole `ListToolsResult`, and a
# `read_resource` whose `uri: str` annotation asks for a `str` (1.x passed an `AnyUrl`).
CONTEXT_SERVER = '''\
import mcp.types as types
from mcp.server.lowlevel import Server

server = Server("tenants")


@server.list_tools()
async def list_tools() -> types.ListToolsResult:
    return types.ListToolsResult(tools=[types.Tool(name="tenant", inputSchema={"type": "object"})])


@server.call_tool()
async def call_tool(name: str, arguments: dict) -> list[types.TextContent]:
    tenant = server.request_context.request.headers["x-tenant"]
    return [types.TextContent(type="text", text=f"{name} for {tenant}")]


@server.read_resource()
async def read_resource(uri: str) -> str:
    return f"{type(uri).__name__}: {uri.removeprefix('note://')}"
'''

CONTEXT_CLIENT = r"""
import asyncio, json, sys
import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

async def answer(call):
    try:
        return await call
    except Exception as error:
        return f"{type(error).__name__}: {error}"

async def main(url, mode):
    transport = streamable_http_client(url, http_client=httpx2.AsyncClient(headers={"X-Tenant": "acme"}, timeout=30))
    async with Client(transport, mode=mode) as client:
        tools = await answer(client.list_tools())
        result = await client.call_tool("tenant", {})
        read = await answer(client.read_resource("note://first"))
        print(json.dumps({
            "tools": tools if isinstance(tools, str) else [tool.name for tool in tools.tools],
            "call": [result.is_error, result.content[0].text],
            "read": read if isinstance(read, str) else read.contents[0].text,
        }))

asyncio.run(main(sys.argv[1], sys.argv[2]))
"""


@pytest.mark.slow
def test_the_adapter_hands_on_the_context_takes_whole_results_and_passes_the_annotated_uri(tmp_path):
    require_mcp2()
    (tmp_path / "server.py").write_text(CONTEXT_SERVER)
    command = [sys.executable, "-m", "mcpmigrate", "check", "--fix", "--unsafe-fixes", "--output-format", "concise", "."]
    fixed = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120, env=THIS_MCPMIGRATE)
    port = unused_port()
    serve = f"import uvicorn, server; uvicorn.run(server.server.streamable_http_app(), port={port}, log_level='warning')"
    with http_process([sys.executable, "-c", serve], port, cwd=tmp_path) as url:
        for mode in ("auto", "legacy"):
            completed = subprocess.run([sys.executable, "-c", CONTEXT_CLIENT, url, mode], cwd=tmp_path,
                                       capture_output=True, text=True, timeout=120)
            assert completed.returncode == 0, completed.stderr[-3000:]
            assert json.loads(completed.stdout.strip().splitlines()[-1]) == {
                "tools": ["tenant"],
                "call": [False, "tenant for acme"],
                "read": "str: first",
            }, mode
    # Nothing left for a human: only MCP808's note that the adapter is in place.
    assert (fixed.returncode, left_over(fixed.stdout)) == (0, [("server.py:5:5:", "MCP808")]), fixed.stdout + fixed.stderr


def test_reading_the_request_context_through_the_adapter_registers_no_handler(run, tmp_path):
    (tmp_path / "server.py").write_text(CONTEXT_SERVER)
    run("check", "--fix", "--unsafe-fixes", "-q", ".", cwd=tmp_path)
    text = (tmp_path / "server.py").read_text()
    assert '    tenant = mcp1_handler(server, "request_context").request.headers["x-tenant"]\n' in text
    left = run("check", "--output-format", "concise", ".", cwd=tmp_path)
    assert (left.code, left.out) == (0, (
        "server.py:5:5: MCP808 (info) `mcp1_handler` is the stopgap MCP805 wrote so 3 handlers keep their mcp 1.x "
        "form on mcp 2.x: the move to the 2.x API is in progress until they are 2.x handlers\n"
    ))


@pytest.mark.parametrize("between, after", [
    ("\n\n", "\n\n"),  # black's two blank lines stay two (were three)
    ("\n", "\n\n"),
    ("", "\n\n"),
    ("\n# the calculator\n\n", "\n\n# the calculator\n\n"),  # a comment stays, below the adapter
])
def test_the_adapter_stands_two_blank_lines_from_its_neighbours(between, after):
    from mcpmigrate.engine import checker
    from mcpmigrate.findings import FixPolicy
    from mcpmigrate.rule.base import RuleOptions
    from mcpmigrate.rules._kits import v1_handlers
    from mcpmigrate.rules.mcp805_lowlevel_handlers import LowlevelHandlers

    code = 'from mcp.server.lowlevel import Server\n{}server = Server("calc")\n\n\n@server.get_prompt()\nasync def get_prompt(name, arguments):\n    return None\n'
    fixed = checker.fix(code.format(between), "server.py", [LowlevelHandlers], policy=FixPolicy(unsafe=True), options=RuleOptions(target_sdk=2))
    adapter = v1_handlers.adapter_source({"get_prompt"}, "    ", "\n")
    assert fixed.text == code.format("\n\n" + adapter + after).replace("@server.get_prompt()", '@mcp1_handler(server, "get_prompt")')
