"""`mcpmigrate probe` against servers that answer anything at all: every answer shape gets a verdict
(exit 0, 1 or 2 with a report or one line), never a traceback. The servers are scripted playback
servers (tests/fixtures/probe_servers/playback.py), in-process over HTTP or as a subprocess over stdio."""

from __future__ import annotations

import importlib.util
import json
import sys
from contextlib import contextmanager

from tests.conftest import REPO

PLAYBACK = REPO / "tests" / "fixtures" / "probe_servers" / "playback.py"
spec = importlib.util.spec_from_file_location("probe_playback", PLAYBACK)
playback = importlib.util.module_from_spec(spec)
spec.loader.exec_module(playback)

CURRENT = "2026-07-28"
SERVER_INFO = {"io.modelcontextprotocol/serverInfo": {"name": "playback", "version": "1"}}
ADD = {"name": "add", "inputSchema": {"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"]}}
# A modern server that answers every check well: the tests below break one answer at a time.
MODERN = {
    "server/discover": {"result": {"resultType": "complete", "supportedVersions": [CURRENT], "capabilities": {"tools": {}},
                                   "ttlMs": 0, "cacheScope": "public", "_meta": SERVER_INFO}},
    "tools/list": {"result": {"resultType": "complete", "tools": [ADD], "ttlMs": 0, "cacheScope": "public"}},
    "tools/call": {"result": {"resultType": "complete", "content": []}},
}


@contextmanager
def http_playback(script):
    server = playback.serve_http(script)
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/mcp"
    finally:
        server.shutdown()
        server.server_close()


def stdio_playback(script) -> list[str]:
    return [sys.executable, str(PLAYBACK), json.dumps(script)]


def probe_checks(run, *argv: str):
    result = run("probe", "--output-format", "json", "--timeout", "2", *argv, cwd=REPO)
    assert result.err == "", result.err
    return result.code, {check["id"]: (check["status"], check["detail"]) for check in json.loads(result.out)["checks"]}


def with_answers(**answers):
    return {**MODERN, **{method.replace("_", "/"): answer for method, answer in answers.items()}}


def test_the_playback_server_plays_a_modern_server(run):
    with http_playback(MODERN) as url:
        code, checks = probe_checks(run, url, "--call-tools")
    assert code == 1  # this script cannot pass the rejection checks (meta-required, ...)
    assert checks["tools-list-stable"] == ("pass", "1 tool, the same twice")
    assert checks["tool-result-type"] == ("pass", "the results of 1 tool carry resultType")


def test_a_tools_list_whose_tools_is_not_a_list(run):
    script = with_answers(tools_list={"result": {"resultType": "complete", "tools": 5, "ttlMs": 0, "cacheScope": "public"}})
    with http_playback(script) as url:
        code, checks = probe_checks(run, url)
    assert code == 1  # the rejection checks fail; tools-list-stable is a SHOULD
    assert checks["tools-list-stable"] == ("fail", "tools/list's tools is 5, not a list")


def test_a_tools_list_whose_tools_is_not_a_list_with_call_tools(run):
    script = with_answers(tools_list={"result": {"resultType": "complete", "tools": 5, "ttlMs": 0, "cacheScope": "public"}})
    with http_playback(script) as url:
        code, checks = probe_checks(run, url, "--call-tools")
    assert code == 1  # this script cannot pass the rejection checks (meta-required, ...)
    assert checks["tool-result-type"] == ("skip", "tools/list's tools is 5, not a list")
    assert checks["input-required"] == ("skip", "tools/list's tools is 5, not a list")


def test_a_tool_whose_required_is_not_a_list(run):
    tool = {"name": "add", "inputSchema": {"type": "object", "required": 1}}
    script = with_answers(tools_list={"result": {"resultType": "complete", "tools": [tool], "ttlMs": 0, "cacheScope": "public"}})
    with http_playback(script) as url:
        code, checks = probe_checks(run, url, "--call-tools")
    assert code == 1  # this script cannot pass the rejection checks (meta-required, ...)
    assert checks["tool-result-type"] == ("pass", "the results of 1 tool carry resultType "
                                                  "(add's inputSchema.required is 1, not a list: called with no arguments)")


def test_an_input_request_whose_params_is_a_string(run):
    asking = {"result": {"resultType": "input_required", "requestState": "s",
                         "inputRequests": {"confirm": {"method": "elicitation/create", "params": "yes?"}}}}
    with http_playback(with_answers(tools_call=asking)) as url:
        code, checks = probe_checks(run, url, "--call-tools")
    assert code == 1
    assert checks["input-required"] == ("fail", "input request 'confirm' has params 'yes?', not an object")


def test_an_answer_no_check_foresaw_fails_the_checks_it_stopped(run, monkeypatch):
    # The safety net, whatever the shape: a check that cannot read an answer fails, naming it.
    from mcpmigrate.probe.checks import Probe, Status

    def unreadable(self):
        self.modern("resources/read", {"uri": "x"})
        self.record("resource-not-found", Status.PASS, "x")
        raise TypeError("unhashable type: 'dict'")

    monkeypatch.setattr(Probe, "check_resource_not_found", unreadable)
    with http_playback(MODERN) as url:
        code, checks = probe_checks(run, url)
    assert code == 1
    assert checks["resource-not-found"] == ("pass", "x")
    assert checks["resource-not-found-uri"] == (
        "fail", "the answer to resources/read cannot be read (TypeError: \"unhashable type: 'dict'\"): "
                "{'jsonrpc': '2.0', 'id': 14, 'error': {'code': -32601, 'message': 'Method not found'}}")
    assert checks["removed:ping"][0] == "fail"  # the probe went on


def test_an_answer_nested_deeper_than_python_parses(run):
    script = with_answers(tools_list={"body": "[" * 100_000 + "]" * 100_000})
    with http_playback(script) as url:
        code, checks = probe_checks(run, url)
    assert code == 1
    assert checks["result-type"] == ("skip", "no list gave a result; no result from tools/list (HTTP 200, a application/json "
                                             "body that is not JSON ('" + "[" * 80 + "'))")
