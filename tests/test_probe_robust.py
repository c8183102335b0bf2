"""`mcpmigrate probe` against servers that answer anything at all: every answer shape gets a verdict
(exit 0, 1 or 2 with a report or one line), never a traceback. The servers are scripted playback
servers (tests/fixtures/probe_servers/playback.py), in-process over HTTP or as a subprocess over stdio."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from contextlib import contextmanager

import pytest

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


# -- the property: any answers at all end in a report or one line --------------------------------------

# Keys the probe reads, so that random JSON reaches past the first lookup more often than not.
KEYS = ("resultType", "supportedVersions", "capabilities", "tools", "prompts", "resources", "ttlMs", "cacheScope",
        "_meta", "name", "inputSchema", "required", "properties", "type", "enum", "default", "anyOf", "inputRequests",
        "requestState", "method", "params", "requestedSchema", "uri", "data", "supported", "code", "message",
        "protocolVersion", "io.modelcontextprotocol/serverInfo", "id", "jsonrpc", "result", "error")
METHODS = ("server/discover", "initialize", "tools/list", "prompts/list", "resources/list", "resources/templates/list",
           "resources/read", "tools/call", "ping", "logging/setLevel", "tasks/list")


def json_values():
    from hypothesis import strategies as st

    scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8) | st.sampled_from(
        [CURRENT, "complete", "input_required", "public", "elicitation/create", "2.0"])
    return st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(KEYS) | st.text(max_size=4), inner, max_size=4), max_leaves=12)


# What a well-behaved server answers, for the answers that change a few fields of a good one.
GOOD = {**{method: answer["result"] for method, answer in MODERN.items()},
        "tools/call:input": {"resultType": "input_required", "requestState": "s", "inputRequests": {
            "ask": {"method": "elicitation/create", "params": {"requestedSchema": ADD["inputSchema"]}}}}}


def answers(method: str):
    from hypothesis import strategies as st

    values = json_values()
    ascii_text = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=12)
    event_lines = st.lists(st.sampled_from(["data: ", "data:", "event: message", ": ping", "", "id: 1", "retry: x"])
                           .flatmap(lambda prefix: st.just(prefix) if not prefix.startswith("data")
                                    else values.map(lambda value: prefix + json.dumps(value))), max_size=5)
    goods = [good for name, good in GOOD.items() if name.split(":")[0] == method] or [{}]
    # A good answer with a few of its fields (or others) changed, in the answer or one level down.
    changed = st.sampled_from(goods).flatmap(lambda good: st.tuples(st.just(good), st.dictionaries(
        st.sampled_from(sorted(_nested_keys(good)) or KEYS), values, min_size=1, max_size=3)))
    body = st.one_of(
        changed.map(lambda pair: {"result": {**pair[0], **pair[1]}}),
        changed.map(lambda pair: {"result": _nested_change(*pair)}),
        changed.map(lambda pair: {"result": _nested_change(*pair)}),
        st.fixed_dictionaries({"result": st.dictionaries(st.sampled_from(KEYS), values, max_size=6)}),
        st.fixed_dictionaries({"error": values}),
        st.fixed_dictionaries({"result": values, "id": values}),
        st.fixed_dictionaries({"body": st.text(max_size=30) | values.map(json.dumps)}),
        st.fixed_dictionaries({"body": event_lines.map(lambda lines: "\n".join(lines) + "\n"), "sse": st.just(True)}),
    )
    transport = st.one_of(
        st.fixed_dictionaries({"status": st.sampled_from([200, 202, 400, 404, 405, 500])}),
        st.fixed_dictionaries({"headers": st.dictionaries(st.sampled_from(["Mcp-Session-Id", "Content-Encoding", "X-Any"]),
                                                          ascii_text, min_size=1, max_size=2)}),
        st.just({"sse": True}),
        st.just({"hangup": True}),
    )
    # Most answers change the JSON only, so that more examples get past the first exchange.
    return st.builds(lambda answer, extra: {**answer, **extra}, body, st.just({}) | st.just({}) | st.just({}) | transport)


def _nested_keys(good: dict) -> set:
    nested = [*(good.get("tools") or []), *(good.get("inputRequests") or {}).values()]
    return set(good).union(*(item for item in nested if isinstance(item, dict)))


def _nested_change(good: dict, changes: dict) -> dict:
    """`good` with `changes` made one level down: in its first tool, or its first input request."""
    if isinstance(good.get("tools"), list) and good["tools"]:
        return {**good, "tools": [{**good["tools"][0], **changes}]}
    if isinstance(good.get("inputRequests"), dict):
        return {**good, "inputRequests": {key: {**request, **changes} for key, request in good["inputRequests"].items()}}
    return {**good, **changes}


def scripts():
    from hypothesis import strategies as st

    # The methods whose results the probe reads furthest come up more often.
    broken = st.lists(st.sampled_from(("tools/list", "tools/call", "server/discover", "resources/read") * 3 + METHODS),
                      unique=True, min_size=1, max_size=3).flatmap(
        lambda methods: st.fixed_dictionaries({method: answers(method) for method in methods}))
    return broken.map(lambda answered: {**MODERN, **answered})


def assert_well_formed(run, url_or_command: list[str], tmp_path) -> None:
    """Every output format: exit 0, 1 or 2, a report that parses (or one error line), no traceback."""
    import xml.etree.ElementTree as ElementTree

    for output_format in ("json", "junit", "text"):
        output = tmp_path / f"report.{output_format}"
        output.unlink(missing_ok=True)
        result = run("probe", "--timeout", "0.5", "--call-tools", "--output-format", output_format, "-o", str(output),
                     *url_or_command, cwd=REPO)
        assert "Traceback" not in result.err
        assert result.code in (0, 1, 2), result.err
        if result.code == 2:
            assert result.err.startswith("error: ") and result.err.count("\n") == 1 and not output.exists(), result.err
            return  # the probe could not go on; every format says so the same way
        text = output.read_text(encoding="utf-8")
        if output_format == "json":
            assert json.loads(text)["passed"] is (result.code == 0)
        elif output_format == "junit":
            assert ElementTree.fromstring(text).tag == "testsuites"
        else:
            assert "mcpmigrate probe:" in text and (" MUST requirement" in text)


def probe_settings(examples: int):
    from hypothesis import HealthCheck, settings

    # PROBE_EXAMPLES=300 searches longer, by hand; every probe is bounded by its --timeout.
    return settings(max_examples=int(os.environ.get("PROBE_EXAMPLES", examples)), deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.mark.slow
def test_any_answers_over_http_end_in_a_verdict(run, tmp_path):
    from hypothesis import given

    @probe_settings(30)
    @given(script=scripts())
    def check(script):
        with http_playback(script) as url:
            assert_well_formed(run, [url], tmp_path)

    check()


@pytest.mark.slow
def test_any_answers_over_stdio_end_in_a_verdict(run, tmp_path):
    from hypothesis import given

    @probe_settings(10)
    @given(script=scripts())
    def check(script):
        assert_well_formed(run, ["--", *stdio_playback(script)], tmp_path)

    check()


WRONG_IDS = {method: {**answer, "id": 99} for method, answer in {
    **MODERN, "initialize": {"result": {"protocolVersion": "2025-11-25", "capabilities": {}}}}.items()}


def test_answers_with_the_wrong_id_over_http(run):
    with http_playback(WRONG_IDS) as url:
        result = run("probe", "--timeout", "2", url, cwd=REPO)
    assert (result.code, result.out) == (2, "")
    assert result.err == (f"error: {url} is not an MCP server: server/discover got HTTP 200, an answer with id 99 to a "
                          "request with id 1, initialize got HTTP 200, an answer with id 99 to a request with id 2\n")


def test_answers_with_the_wrong_id_over_stdio(run):
    # Said at once: the probe does not wait out its timeout for an answer that came with another id.
    command = stdio_playback(WRONG_IDS)
    result = run("probe", "--timeout", "30", "--", *command, cwd=REPO)
    assert (result.code, result.out) == (2, "")
    assert result.err.endswith(" is not an MCP server: server/discover got an answer with id 99 to a request with id 1, "
                               "initialize got an answer with id 99 to a request with id 2\n")


def test_a_late_answer_to_an_earlier_request_is_not_taken_for_a_wrong_id():
    from mcpmigrate.probe.wire import StdioTarget

    # Answers each request with the previous request's answer first: a late answer, then the right one.
    script = ("import json, sys\nlast = None\nfor line in sys.stdin:\n    message = json.loads(line)\n"
              "    if last is not None: print(json.dumps({'jsonrpc': '2.0', 'id': last, 'result': {}}), flush=True)\n"
              "    print(json.dumps({'jsonrpc': '2.0', 'id': message['id'], 'result': {'n': message['id']}}), flush=True)\n"
              "    last = message['id']\n")
    target = StdioTarget([sys.executable, "-c", script], timeout=5)
    try:
        replies = [target.exchange({"jsonrpc": "2.0", "id": n, "method": "tools/list"}, {}) for n in (1, 2)]
    finally:
        target.close()
    assert [reply.result for reply in replies] == [{"n": 1}, {"n": 2}]
    assert replies[1].problem is None
