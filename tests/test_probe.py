"""`mcpmigrate probe` against real servers on 127.0.0.1 and over stdio: our hand-rolled servers
(modern, handshake-era, and modern with one requirement broken at a time), and, in the slow tests,
servers written for the mcp 2.3.0 SDK. Every server is started and stopped here; every wait is
bounded by the probe's --timeout or by an explicit deadline."""

from __future__ import annotations

import re

import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Thread

import pytest

from tests.conftest import REPO
from tests.mcp2 import require_mcp2

SERVERS = REPO / "tests" / "fixtures" / "probe_servers"
HANDROLLED = SERVERS / "handrolled.py"
SDK_SERVERS = SERVERS / "sdk_servers.py"

spec = importlib.util.spec_from_file_location("probe_handrolled", HANDROLLED)
handrolled = importlib.util.module_from_spec(spec)
spec.loader.exec_module(handrolled)


@contextmanager
def http_server(mode: str = "modern", broken: str | None = None):
    server = handrolled.serve_http(handrolled.Core(mode, broken))
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/mcp"
    finally:
        server.shutdown()
        server.server_close()


def stdio_command(*args: str) -> list[str]:
    return [sys.executable, str(HANDROLLED), "--stdio", *args]


def probe_json(run, *argv: str, cwd=REPO):
    result = run("probe", "--output-format", "json", *argv, cwd=cwd)
    assert result.err == "", result.err
    data = json.loads(result.out)
    return result.code, {check["id"]: (check["status"], check["detail"]) for check in data["checks"]}, data


def statuses(checks) -> dict[str, str]:
    return {check_id: status for check_id, (status, _) in checks.items()}


REMOVED = ("ping", "logging/setLevel", "resources/subscribe", "resources/unsubscribe", "tasks/list", "tasks/result")
COMMON_PASS = ("discover", "discover-server-info", "meta-required", "unsupported-version", "result-type", "cache-hints",
               "tools-list-stable", "resource-not-found", "resource-not-found-uri", *(f"removed:{m}" for m in REMOVED),
               "tool-result-type", "input-required", "no-server-requests", "no-log-messages")
HTTP_PASS = ("header-method-missing", "header-method-mismatch", "header-name-missing", "header-name-mismatch",
             "header-version-mismatch", "header-version-missing", "no-session-id", "http-get", "http-delete")


def test_a_modern_server_over_http_passes_every_check(run):
    with http_server() as url:
        code, checks, data = probe_json(run, url, "--call-tools")
    assert code == 0 and data["passed"] is True
    assert statuses(checks) == {**{c: "pass" for c in (*COMMON_PASS, *HTTP_PASS)}, "handshake-era": "info"}
    assert checks["input-required"][1] == "confirm asked for input and completed when retried"
    assert checks["handshake-era"][1].startswith("modern-only: initialize got HTTP 400, error -32020")
    assert [check["id"] for check in data["checks"]][:3] == ["discover", "discover-server-info", "handshake-era"]


def test_a_modern_server_over_stdio_passes_every_check(run):
    code, checks, data = probe_json(run, "--call-tools", "--", *stdio_command())
    assert code == 0
    assert statuses(checks) == {**{c: "pass" for c in (*COMMON_PASS, *STDIO_ONLY)}, "handshake-era": "info"}
    assert data["transport"] == "stdio"


def test_without_call_tools_no_tool_is_called(run):
    calls = []
    with http_server() as url:
        original = handrolled.Core.call_tool
        try:
            handrolled.Core.call_tool = lambda self, params: calls.append(params) or original(self, params)
            code, checks, _ = probe_json(run, url)
        finally:
            handrolled.Core.call_tool = original
    assert code == 0
    assert calls == []  # the header checks' tools/call are rejected by their headers before any tool runs
    assert checks["tool-result-type"] == ("skip", "calls tools, which can have side effects: pass --call-tools")
    assert checks["input-required"][0] == "skip"


def test_a_handshake_era_server_fails_with_the_reasons(run):
    with http_server("legacy") as url:
        code, checks, data = probe_json(run, url, "--call-tools")
    assert code == 1 and data["passed"] is False
    assert checks["discover"] == ("fail", "no result: HTTP 200, error -32601 'Method not found'")
    assert checks["handshake-era"] == ("info", "handshake era only: initialize answered (2025-06-18), server/discover did not")
    assert checks["meta-required"] == ("fail", "expected error -32602, got HTTP 200, a result")
    assert checks["unsupported-version"] == ("fail", "expected error -32022, got HTTP 200, a result")
    assert checks["header-method-mismatch"] == ("fail", "expected error -32020, got HTTP 200, a result")
    assert checks["resource-not-found"] == ("fail", "answered -32002, the handshake era's code; 2026-07-28 uses -32602")
    assert checks["removed:ping"] == ("fail", "expected error -32601, got HTTP 200, a result")
    assert checks["removed:tasks/list"] == ("fail", "expected HTTP 404, got HTTP 200")
    assert checks["result-type"][0] == "fail" and checks["result-type"][1].startswith("tools/list: resultType is None")
    assert checks["cache-hints"] == ("fail", "tools/list: no ttlMs; tools/list: no cacheScope; resources/list: no ttlMs; "
                                             "resources/list: no cacheScope")
    assert checks["tool-result-type"] == ("fail", "add: resultType is None")
    # GET and DELETE belong to the handshake-era leg of a server that serves that era.
    assert checks["http-get"] == ("info", "GET answers 200: the handshake-era leg, which a server that serves both eras keeps")


def test_a_handshake_era_server_over_stdio(run):
    code, checks, _ = probe_json(run, "--", *stdio_command("--mode", "legacy"))
    assert code == 1
    assert checks["discover"] == ("fail", "no result: error -32601 'Method not found'")
    assert checks["resource-not-found"][0] == "fail"
    assert checks["handshake-era"][0] == "info"


# Each broken requirement and the checks it must fail, exactly (over HTTP; the stdio column leaves
# out the HTTP-only checks).
BREAKS = {
    "discover": {"discover"},
    "server-info": {"discover-server-info"},
    "meta-required": {"meta-required"},
    "unsupported-version": {"unsupported-version"},
    "header-method": {"header-method-missing", "header-method-mismatch"},
    "header-name": {"header-name-missing", "header-name-mismatch"},
    "header-version": {"header-version-missing", "header-version-mismatch"},
    "session-id": {"no-session-id"},
    "get-405": {"http-get"},
    "result-type": {"discover", "result-type", "tool-result-type", "input-required"},
    "cache-hints": {"cache-hints"},
    "tools-order": {"tools-list-stable"},
    "resource-not-found": {"resource-not-found"},
    "ping": {"removed:ping"},
    "input-required": {"input-required"},
    "server-requests": {"no-server-requests"},
    "log-messages": {"no-log-messages"},
    "stdout-noise": {"stdout-clean"},
}
STDIO_ONLY = {"stdout-clean"}
HTTP_ONLY = {"header-method-missing", "header-method-mismatch", "header-name-missing", "header-name-mismatch",
             "header-version-missing", "header-version-mismatch", "no-session-id", "http-get", "http-delete"}


def test_every_break_is_listed():
    assert set(BREAKS) == set(handrolled.BREAKS)


@pytest.mark.parametrize("broken", sorted(BREAKS))
def test_one_broken_requirement_fails_its_check_only(run, broken):
    with http_server(broken=broken) as url:
        code, checks, _ = probe_json(run, url, "--call-tools")
    failed = {check_id for check_id, (status, _) in checks.items() if status == "fail"}
    assert failed == BREAKS[broken] - STDIO_ONLY
    # A SHOULD is reported; the exit status is the MUSTs'.
    assert code == (0 if broken in ("server-info", "tools-order", "stdout-noise") else 1)


@pytest.mark.parametrize("broken", sorted(b for b, ids in BREAKS.items() if ids - HTTP_ONLY))
def test_one_broken_requirement_over_stdio(run, broken):
    code, checks, _ = probe_json(run, "--call-tools", "--", *stdio_command("--break", broken))
    failed = {check_id for check_id, (status, _) in checks.items() if status == "fail"}
    assert failed == BREAKS[broken] - HTTP_ONLY


def test_failure_details_name_what_was_seen(run):
    details = {}
    for broken, check_id in (("resource-not-found", "resource-not-found"), ("tools-order", "tools-list-stable"),
                             ("input-required", "input-required"), ("server-requests", "no-server-requests"),
                             ("session-id", "no-session-id"), ("get-405", "http-get"), ("discover", "discover")):
        with http_server(broken=broken) as url:
            details[check_id] = probe_json(run, url, "--call-tools")[1][check_id][1]
    assert details == {
        "resource-not-found": "answered -32002, the handshake era's code; 2026-07-28 uses -32602",
        "tools-list-stable": "two calls differ: ['add', 'confirm'] then ['confirm', 'add']",
        "input-required": "still asking for input after 4 rounds",
        "no-server-requests": "the server sent elicitation/create",
        "no-session-id": details["no-session-id"],
        "http-get": "GET got HTTP 200, no JSON-RPC answer, not 405",
        "discover": "no ttlMs; no cacheScope",
    }
    assert details["no-session-id"].startswith("Mcp-Session-Id issued on logging/setLevel, ping, prompts/list, ")


def test_junit_and_text_output(run, tmp_path):
    with http_server("legacy") as url:
        junit = run("probe", url, "--output-format", "junit", cwd=tmp_path)
        text = run("probe", url, cwd=tmp_path)
        to_file = run("probe", url, "--output-format", "junit", "-o", str(tmp_path / "probe.xml"), cwd=tmp_path)
    assert junit.code == text.code == to_file.code == 1
    suite = ElementTree.fromstring(junit.out)
    cases = suite.findall(".//testcase")
    failures = [case for case in cases if case.find("failure") is not None]
    assert suite.get("tests") == str(len(cases)) and suite.get("failures") == str(len(failures))
    assert any(case.get("name").startswith("[MUST] discover: ") for case in failures)
    assert {case.find("failure").get("type") for case in failures} == {"must"}
    assert ElementTree.parse(tmp_path / "probe.xml").getroot().get("tests") == str(len(cases))
    assert "FAIL" in text.out and "discover" in text.out and re.search(r"\d+ MUST requirements? failed", text.out) and "(s)" not in text.out
    assert "FAIL" in to_file.err  # the table still goes to the terminal


def test_headers_are_sent_with_every_request(run):
    seen: list[str | None] = []
    core = handrolled.Core("modern", None)
    base = handrolled.handler_for(core)

    class Guarded(base):
        def do_POST(self):
            seen.append(self.headers.get("Authorization"))
            if self.headers.get("Authorization") != "Bearer secret":
                self.send(401, b"unauthorized", "text/plain")
                return
            super().do_POST()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Guarded)
    Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/mcp"
    try:
        refused = run("probe", url, cwd=REPO)
        code, checks, _ = probe_json(run, url, "-H", "Authorization: Bearer secret")
    finally:
        server.shutdown()
        server.server_close()
    assert refused.code == 2 and refused.out == ""
    assert refused.err == (f"error: {url} is not an MCP server: server/discover got HTTP 401, a text/plain body that is "
                           "not JSON ('unauthorized'), initialize got HTTP 401, a text/plain body that is not JSON "
                           "('unauthorized')\n")
    assert code == 0 and checks["discover"][0] == "pass"
    assert seen[-1] == "Bearer secret"


# -- bad input: one line, exit 2, bounded -------------------------------------------------------------


class Plain(BaseHTTPRequestHandler):
    """An HTTP endpoint that is not MCP: answers every POST with the same body."""

    body = b"<html>hello</html>"
    content_type = "text/html"

    def do_POST(self):
        self.send_response(200)
        self.send_header("Content-Type", self.content_type)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@contextmanager
def plain_server(body: bytes, content_type: str):
    handler = type("Handler", (Plain,), {"body": body, "content_type": content_type})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/mcp"
    finally:
        server.shutdown()
        server.server_close()


def unused_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_unreachable_url(run):
    url = f"http://127.0.0.1:{unused_port()}/mcp"
    result = run("probe", url, cwd=REPO)
    assert (result.code, result.out) == (2, "")
    assert result.err == f"error: cannot reach {url}: [Errno 111] Connection refused\n"


@pytest.mark.parametrize("body, content_type, said", [
    (b"<html>hello</html>", "text/html", "a text/html body that is not JSON ('<html>hello</html>')"),
    (b'{"detail": "Not Found"}', "application/json", "JSON that is not JSON-RPC"),
])
def test_an_endpoint_that_is_not_mcp(run, body, content_type, said):
    with plain_server(body, content_type) as url:
        result = run("probe", url, cwd=REPO)
    assert (result.code, result.out) == (2, "")
    assert result.err == f"error: {url} is not an MCP server: server/discover got HTTP 200, {said}, initialize got HTTP 200, {said}\n"


def test_not_a_url_nor_a_command(run):
    result = run("probe", "--", "/nonexistent/server-binary", cwd=REPO)
    assert result.code == 2
    assert result.err == "error: cannot start /nonexistent/server-binary: No such file or directory\n"


def test_a_command_that_exits_at_once(run):
    result = run("probe", "--", sys.executable, "-c", "import sys; print('boom', file=sys.stderr); sys.exit(3)", cwd=REPO)
    assert result.code == 2 and result.out == ""
    assert result.err.startswith("error: the server (") and result.err.endswith(") exited with status 3: boom\n")


def test_a_stdio_server_that_never_answers(run):
    started = time.monotonic()
    result = run("probe", "--timeout", "0.5", "--", sys.executable, "-c", "import time; time.sleep(60)", cwd=REPO)
    assert time.monotonic() - started < 10
    assert result.code == 2
    assert result.err.endswith("never answered: server/discover got no answer within 0.5 s, initialize got no answer "
                               "within 0.5 s\n")


def test_a_stdio_server_that_writes_something_else(run):
    result = run("probe", "--timeout", "0.5", "--", sys.executable, "-c",
                 "import sys, time; [print('hello there', flush=True) for _ in sys.stdin]", cwd=REPO)
    assert result.code == 2
    assert "server/discover got a line on stdout that is not JSON ('hello there')" in result.err


def test_an_http_server_that_never_answers(run):
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)  # accepts connections and never answers
    try:
        started = time.monotonic()
        result = run("probe", f"http://127.0.0.1:{listener.getsockname()[1]}/mcp", "--timeout", "0.5", cwd=REPO)
    finally:
        listener.close()
    assert time.monotonic() - started < 10
    assert result.code == 2 and result.err.endswith("never answered: server/discover got no answer within 0.5 s, "
                                                    "initialize got no answer within 0.5 s\n")


def test_a_bad_header_option(run):
    result = run("probe", "http://127.0.0.1:1/mcp", "--header", "no colon", cwd=REPO)
    assert result.code == 2 and "'no colon' is not 'Name: value'" in result.err


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0): it is dead all the same.
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[1][0] != "Z"
    except OSError:
        return False


WRAPPER = """
import subprocess, sys
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
open(sys.argv[1], "w").write(str(child.pid))
subprocess.run([sys.executable, sys.argv[2], "--stdio"])
"""


def test_the_stdio_server_and_its_children_are_stopped(run, tmp_path):
    pid_file = tmp_path / "child.pid"
    code, checks, _ = probe_json(run, "--", sys.executable, "-c", WRAPPER, str(pid_file), str(HANDROLLED))
    assert code == 0
    child = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while pid_alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not pid_alive(child)


def test_a_terminated_probe_stops_its_server(tmp_path):
    pid_file = tmp_path / "child.pid"
    hanging = "import subprocess, sys, time\nchild = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)'])\n" \
              "open(sys.argv[1], 'w').write(str(child.pid))\ntime.sleep(120)\n"
    probe = subprocess.Popen([sys.executable, "-m", "mcpmigrate", "probe", "--timeout", "30", "--", sys.executable, "-c",
                              hanging, str(pid_file)], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while not pid_file.exists() or not pid_file.read_text():
            assert time.monotonic() < deadline and probe.poll() is None
            time.sleep(0.05)
        probe.send_signal(signal.SIGTERM)
        _, err = probe.communicate(timeout=15)
    finally:
        probe.kill()
    assert probe.returncode == 130 and err.decode() == "error: interrupted\n"
    child = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while pid_alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not pid_alive(child)


# -- servers written for the mcp 2.3.0 SDK (slow: each starts a Python with the SDK) -----------------


@contextmanager
def http_process(command: list[str], port: int, cwd=None):
    """A server started as its own process group on `port`; yields its URL once it accepts connections."""
    import socket

    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert process.poll() is None, f"the server exited: {process.stderr.read().decode()[-2000:]}"
                assert time.monotonic() < deadline, "the server did not start within 30 s"
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def sdk_http_server(kind: str):
    port = unused_port()
    return http_process([sys.executable, str(SDK_SERVERS), kind, "http", str(port)], port)


SDK_LEG = {"handshake-era": "info", "http-get": "info", "http-delete": "info", "header-version-missing": "skip"}


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["mcpserver", "lowlevel"])
def test_mcp2_servers_over_http_pass_every_must(run, kind):
    require_mcp2()
    with sdk_http_server(kind) as url:
        code, checks, _ = probe_json(run, url, "--call-tools", "--timeout", "20")
    expected = {**{c: "pass" for c in (*COMMON_PASS, *HTTP_PASS)}, **SDK_LEG}
    if kind == "lowlevel":  # no tool asks for input
        expected["input-required"] = "skip"
    assert code == 0
    assert statuses(checks) == expected
    # mcp 2.3.0 serves both eras on one endpoint: a bare GET is the handshake-era leg, not a failure.
    assert checks["http-get"][1] == ("GET answers 400 and a session id: the handshake-era leg, which a server that "
                                     "serves both eras keeps")


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["mcpserver", "lowlevel"])
def test_mcp2_servers_over_stdio_pass_every_must(run, kind):
    require_mcp2()
    code, checks, _ = probe_json(run, "--call-tools", "--timeout", "20", "--", sys.executable, str(SDK_SERVERS), kind, "stdio")
    expected = {**{c: "pass" for c in (*COMMON_PASS, *STDIO_ONLY)}, "handshake-era": "info"}
    if kind == "lowlevel":
        expected["input-required"] = "skip"
    assert code == 0
    assert statuses(checks) == expected
    assert checks["handshake-era"][1] == "serves both eras: initialize answered too"


# -- the end-to-end projects, fixed by mcpmigrate, then probed ------------------------------------------

# Legacy projects we wrote for mcp 1.x, and how to start their server (the module and its run options).
FIXED_PROJECTS = {
    "legacy_weather": (REPO / "examples" / "legacy_weather", "server", ""),
    "sdk1_project": (REPO / "tests" / "fixtures" / "sdk1_project", "notes.server", ", json_response=True"),
}


def launcher(module: str, transport: str, options: str, port: int = 0) -> list[str]:
    run_call = "mcp.run('stdio')" if transport == "stdio" else f"mcp.run('streamable-http', port={port}{options})"
    return [sys.executable, "-c", f"from {module} import mcp; {run_call}"]


@pytest.mark.slow
@pytest.mark.parametrize("transport", ["stdio", "http"])
@pytest.mark.parametrize("name", sorted(FIXED_PROJECTS))
def test_fixed_projects_pass_the_probe(run, tmp_path, name, transport):
    require_mcp2()
    source, module, options = FIXED_PROJECTS[name]
    project = tmp_path / name
    shutil.copytree(source, project)
    # Unfixed, the server does not even start on mcp 2.x: one line, exit 2.
    before = run("probe", "--timeout", "20", "--", *launcher(module, "stdio", options), cwd=project)
    assert before.code == 2 and "exited with status 1: " in before.err and before.err.count("\n") == 1

    fixed = run("check", "--fix", "--unsafe-fixes", "-q", ".", cwd=project)
    assert fixed.code in (0, 1)  # what is left is for a human: the clients' manual steps
    if transport == "stdio":
        code, checks, _ = probe_json(run, "--call-tools", "--timeout", "20", "--", *launcher(module, "stdio", options),
                                     cwd=project)
        expected = {**{c: "pass" for c in (*COMMON_PASS, *STDIO_ONLY)}, "handshake-era": "info"}
    else:
        port = unused_port()
        with http_process(launcher(module, "http", options, port), port, cwd=project) as url:
            code, checks, _ = probe_json(run, url, "--call-tools", "--timeout", "20")
        expected = {**{c: "pass" for c in (*COMMON_PASS, *HTTP_PASS)}, **SDK_LEG}
    expected["input-required"] = "skip"  # neither server has a tool that asks for input
    assert statuses(checks) == expected
    assert code == 0


def test_a_server_that_stops_answering_ends_the_probe(run):
    # It answers server/discover, then nothing: the probe stops after three requests in a row, not
    # after every check has waited out its timeout.
    script = ("import json, sys\nfor line in sys.stdin:\n    message = json.loads(line)\n"
              "    if message.get('method') == 'server/discover':\n"
              "        print(json.dumps({'jsonrpc': '2.0', 'id': message['id'], 'result': {'resultType': 'complete', "
              "'supportedVersions': ['2026-07-28'], 'capabilities': {'tools': {}}, 'ttlMs': 0, 'cacheScope': 'public'}}), "
              "flush=True)\n")
    started = time.monotonic()
    result = run("probe", "--timeout", "0.5", "--", sys.executable, "-c", script, cwd=REPO)
    assert time.monotonic() - started < 10
    assert result.code == 2 and result.out == ""
    assert result.err.endswith(" stopped answering: tools/list, tools/list, tools/list got no answer within 0.5 s each\n")


def test_a_url_without_its_scheme(run):
    result = run("probe", "localhost:8000/mcp", cwd=REPO)
    assert result.code == 2
    assert result.err == ("error: cannot start localhost:8000/mcp: No such file or directory "
                          "(a URL starts with http:// or https://)\n")


# As an mcp 1.26.0 server over stdio answers before `initialize` (checked by hand against the real
# SDK): every request is -32602, the error some checks expect for their own reasons.
REJECTS_EVERYTHING = """
import json, sys
for line in sys.stdin:
    message = json.loads(line)
    if message.get("method") == "initialize":
        result = {"protocolVersion": "2025-11-25", "capabilities": {"tools": {}, "resources": {}}, "serverInfo": {"name": "v1", "version": "1"}}
        print(json.dumps({"jsonrpc": "2.0", "id": message["id"], "result": result}), flush=True)
    elif "id" in message:
        print(json.dumps({"jsonrpc": "2.0", "id": message["id"], "error": {"code": -32602, "message": "Invalid request parameters", "data": ""}}), flush=True)
"""


def test_a_rejection_proves_nothing_when_everything_is_rejected(run):
    code, checks, _ = probe_json(run, "--", sys.executable, "-c", REJECTS_EVERYTHING)
    assert code == 1
    assert checks["discover"] == ("fail", "no result: error -32602 'Invalid request parameters'")
    assert checks["meta-required"] == ("skip", "rejected with -32602, but a well-formed server/discover is rejected too "
                                               "(error -32602 'Invalid request parameters'), so this says nothing")
    assert checks["resource-not-found"][0] == "skip"
    assert checks["unsupported-version"] == ("fail", "expected error -32022, got error -32602 'Invalid request parameters'")
    assert checks["handshake-era"] == ("info", "handshake era only: initialize answered (2025-11-25), server/discover did not")


def test_what_a_rejection_carries_says_nothing_when_everything_is_rejected(run):
    # mcp 1.26.0's FastMCP over stdio: its -32602 for a missing resource is the one it answers
    # everything with, so neither its data nor a tools/list without a result is the server's answer.
    code, checks, _ = probe_json(run, "--", sys.executable, "-c", REJECTS_EVERYTHING)
    assert code == 1
    rejected = "but a well-formed server/discover is rejected too (error -32602 'Invalid request parameters'), so this says nothing"
    assert checks["resource-not-found-uri"] == ("skip", f"data is '', {rejected}")
    assert checks["tools-list-stable"] == ("skip", f"tools/list gave no result: error -32602 'Invalid request parameters', {rejected}")
