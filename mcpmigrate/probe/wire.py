"""The two ways to reach a server: Streamable HTTP and stdio. Each exchange is one JSON-RPC message and
what came back for it, read under a deadline: nothing here waits longer than the probe's timeout."""

from __future__ import annotations

import base64
import collections
import http.client
import json
import os
import queue
import shlex
import signal
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Optional
from urllib.parse import urlsplit

# A response body larger than this is not read further: the probe needs the first JSON-RPC answer only.
MAX_BODY = 8 * 1024 * 1024


class ProbeAbort(Exception):
    """The probe cannot go on (the server cannot be reached, is not MCP, exits, never answers): one
    clear line for the user, exit status 2."""


@dataclass
class Reply:
    """What came back for one message. `message` is the JSON-RPC response to it, if one came."""

    status: Optional[int] = None  # the HTTP status; None on stdio
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names; empty on stdio
    message: Optional[dict[str, Any]] = None
    notifications: list[dict[str, Any]] = field(default_factory=list)
    server_requests: list[dict[str, Any]] = field(default_factory=list)
    problem: Optional[str] = None  # why there is no message: a timeout, a body that is not JSON
    noise: list[str] = field(default_factory=list)  # stdio: lines on stdout that are not JSON
    strays: list[dict[str, Any]] = field(default_factory=list)  # answers that carry another request's id
    content_type: str = ""

    @property
    def result(self) -> Optional[dict[str, Any]]:
        value = self.message.get("result") if self.message else None
        return value if isinstance(value, dict) else None

    @property
    def error(self) -> Optional[dict[str, Any]]:
        value = self.message.get("error") if self.message else None
        return value if isinstance(value, dict) else None

    @property
    def error_code(self) -> Optional[int]:
        code = self.error.get("code") if self.error else None
        return code if isinstance(code, int) else None

    def describe(self) -> str:
        """The reply in a few words, for a check's detail."""
        parts = [f"HTTP {self.status}"] if self.status is not None else []
        if self.error is not None:
            parts.append(f"error {self.error.get('code')} {str(self.error.get('message', ''))[:120]!r}")
        elif self.result is not None:
            parts.append("a result")
        elif self.problem:
            parts.append(self.problem)
        else:
            parts.append("no JSON-RPC answer")
        return ", ".join(parts)


def encode_header_value(value: str) -> str:
    """A header value as the 2026-07-28 transport sends it: plain when it is safe ASCII, else the
    `=?base64?...?=` sentinel form (also for a value that itself looks like the sentinel)."""
    safe = value.isascii() and value == value.strip() and all(32 <= ord(c) < 127 for c in value)
    if safe and not (value.startswith("=?base64?") and value.endswith("?=")):
        return value
    return "=?base64?" + base64.b64encode(value.encode("utf-8")).decode("ascii") + "?="


def _is_jsonrpc(value: Any) -> bool:
    return isinstance(value, dict) and value.get("jsonrpc") == "2.0"


def _sort(messages: list[Any], reply: Reply, request_id: Any) -> None:
    """Files each JSON-RPC message of a response under the reply: the answer, notifications, requests."""
    for message in messages:
        if not _is_jsonrpc(message):
            continue
        if "method" in message:
            (reply.server_requests if "id" in message else reply.notifications).append(message)
        elif reply.message is None and (message.get("id") == request_id or message.get("id") is None or "error" in message):
            # An error with another id is still this request's: the 1.x SDK answers a POST it
            # cannot route with the id "server-error".
            reply.message = message
        elif reply.message is None:
            reply.strays.append(message)
            reply.problem = reply.problem or f"an answer with id {json.dumps(message.get('id'))[:40]} to a request with id {json.dumps(request_id)}"


def _hashable(value: Any) -> Any:
    return value if isinstance(value, (str, int, float, bool, type(None))) else json.dumps(value)


def _bound(connection: http.client.HTTPConnection, deadline: float) -> None:
    """The next read waits no longer than the exchange has left (the socket is gone once a server
    that closes after each response has sent it all)."""
    if connection.sock is not None:
        connection.sock.settimeout(max(0.05, deadline - time.monotonic()))


class HttpTarget:
    """A Streamable HTTP endpoint. One connection per exchange, so a stream left open by one check
    cannot hold up the next."""

    kind = "http"

    def __init__(self, url: str, *, headers: dict[str, str], timeout: float) -> None:
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise ProbeAbort(f"{url} is not an http:// or https:// URL")
        self.url = url
        self._parts = parts
        self._path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self.extra_headers = headers
        self.timeout = timeout

    @property
    def name(self) -> str:
        return self.url

    def _connection(self, timeout: float) -> http.client.HTTPConnection:
        factory = http.client.HTTPSConnection if self._parts.scheme == "https" else http.client.HTTPConnection
        return factory(self._parts.hostname, self._parts.port, timeout=timeout)

    def _send(self, verb: str, body: Optional[bytes], headers: dict[str, str], deadline: float):
        connection = self._connection(max(0.05, deadline - time.monotonic()))
        try:
            connection.request(verb, self._path, body=body, headers={**headers, **self.extra_headers})
            return connection, connection.getresponse()
        except (TimeoutError, socket.timeout):
            connection.close()
            return None, None
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            raise ProbeAbort(f"cannot reach {self.url}: {error}") from None

    def exchange(self, message: dict[str, Any], headers: dict[str, str]) -> Reply:
        deadline = time.monotonic() + self.timeout
        sent_headers = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream", **headers}
        connection, response = self._send("POST", json.dumps(message).encode("utf-8"), sent_headers, deadline)
        if response is None:
            return Reply(problem=f"no answer within {self.timeout:g} s")
        reply = Reply(status=response.status, headers={k.lower(): v for k, v in response.getheaders()})
        reply.content_type = reply.headers.get("content-type", "").split(";")[0].strip().lower()
        try:
            if reply.content_type == "text/event-stream":
                self._read_events(connection, response, reply, message.get("id"), deadline)
            else:
                self._read_json(connection, response, reply, message.get("id"), deadline)
        except (TimeoutError, socket.timeout):
            reply.problem = f"no complete answer within {self.timeout:g} s"
        except (OSError, http.client.HTTPException) as error:
            reply.problem = f"the connection broke: {error}"
        finally:
            connection.close()
        return reply

    def _read_json(self, connection, response, reply: Reply, request_id: Any, deadline: float) -> None:
        chunks: list[bytes] = []
        size = 0
        while size < MAX_BODY:
            _bound(connection, deadline)
            chunk = response.read1(65536)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        text = b"".join(chunks).decode("utf-8", "replace")
        if not text.strip():
            return
        try:
            value = json.loads(text)
        except (ValueError, RecursionError):  # not JSON, or nested deeper than Python parses
            shown = " ".join(text.split())[:80]
            reply.problem = f"a {reply.content_type or 'untyped'} body that is not JSON ({shown!r})"
            return
        messages = value if isinstance(value, list) else [value]
        _sort(messages, reply, request_id)
        if reply.message is None and not any(_is_jsonrpc(item) for item in messages):
            reply.problem = "JSON that is not JSON-RPC"

    def _read_events(self, connection, response, reply: Reply, request_id: Any, deadline: float) -> None:
        data: list[str] = []
        while reply.message is None:
            if time.monotonic() >= deadline:
                raise TimeoutError
            _bound(connection, deadline)
            raw = response.readline(MAX_BODY)
            if not raw:
                break
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            if line.startswith("data:"):
                data.append(line[5:].removeprefix(" "))
            elif not line and data:
                try:
                    _sort([json.loads("\n".join(data))], reply, request_id)
                except (ValueError, RecursionError):
                    reply.problem = "an event whose data is not JSON"
                data = []
        if reply.message is None and reply.problem is None:
            reply.problem = "the event stream ended without an answer"

    def plain(self, verb: str, headers: dict[str, str]) -> Reply:
        """A GET or DELETE: its status and headers only. A legacy server answers a GET with an event
        stream that never ends, so the body is never read."""
        deadline = time.monotonic() + self.timeout
        connection, response = self._send(verb, None, {"Accept": "text/event-stream", **headers}, deadline)
        if response is None:
            return Reply(problem=f"no answer within {self.timeout:g} s")
        reply = Reply(status=response.status, headers={k.lower(): v for k, v in response.getheaders()})
        connection.close()
        return reply

    def close(self) -> None:
        pass


class StdioTarget:
    """A server started as a subprocess in its own process group, spoken to over its stdin and
    stdout. `close` stops the whole group, whatever state the server is in."""

    kind = "stdio"

    def __init__(self, command: list[str], *, timeout: float) -> None:
        self.command = command
        self.timeout = timeout
        self._stderr: collections.deque[str] = collections.deque(maxlen=20)
        self._lines: queue.Queue[Optional[bytes]] = queue.Queue()
        self._sent_ids: list[Any] = []  # the ids of the requests sent, to tell a late answer from a wrong one
        try:
            self.process = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
            )
        except OSError as error:
            hint = " (a URL starts with http:// or https://)" if len(command) == 1 and ":" in command[0] else ""
            raise ProbeAbort(f"cannot start {shlex.join(command)}: {error.strerror or error}{hint}") from None
        threading.Thread(target=self._pump, args=(self.process.stdout, self._lines.put), daemon=True).start()
        threading.Thread(target=self._pump, args=(self.process.stderr, self._keep_stderr), daemon=True).start()

    @property
    def name(self) -> str:
        return shlex.join(self.command)

    @staticmethod
    def _pump(stream, sink) -> None:
        for line in iter(stream.readline, b""):
            sink(line)
        sink(None)

    def _keep_stderr(self, line: Optional[bytes]) -> None:
        if line is not None and line.strip():
            self._stderr.append(line.decode("utf-8", "replace").rstrip())

    def _exited(self) -> ProbeAbort:
        try:
            status = self.process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            status = None
        time.sleep(0.05)  # let the stderr pump catch the last lines
        said = f": {self._stderr[-1]}" if self._stderr else ""
        how = f"exited with status {status}" if status is not None else "closed its standard output"
        return ProbeAbort(f"the server ({self.name}) {how}{said}")

    def exchange(self, message: dict[str, Any], headers: dict[str, str]) -> Reply:
        deadline = time.monotonic() + self.timeout
        try:
            assert self.process.stdin is not None
            self.process.stdin.write(json.dumps(message).encode("utf-8") + b"\n")
            self.process.stdin.flush()
        except OSError:
            raise self._exited() from None
        reply = Reply()
        request_id = message.get("id")
        earlier = set(self._sent_ids)
        if "id" in message:
            self._sent_ids.append(request_id)
        while reply.message is None and "id" in message:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                reply.problem = (f"a line on stdout that is not JSON ({reply.noise[0]!r})" if reply.noise
                                 else f"no answer within {self.timeout:g} s")
                break
            try:
                line = self._lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                raise self._exited()
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except (ValueError, RecursionError):
                reply.noise.append(line.decode("utf-8", "replace").strip()[:80])
                continue
            _sort(value if isinstance(value, list) else [value], reply, request_id)
            late = [stray for stray in reply.strays if _hashable(stray.get("id")) in earlier]
            if late and len(late) == len(reply.strays):
                reply.strays, reply.problem = [], None  # the late answer to a request that timed out: not this one's
            elif reply.message is None and reply.strays:
                break  # an answer, with the wrong id: waiting longer would not make it this request's
        return reply

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                assert self.process.stdin is not None
                self.process.stdin.close()  # a well-behaved stdio server exits at end of input
                self.process.wait(timeout=1)
            except (OSError, subprocess.TimeoutExpired):
                pass
        # Then the whole group, leader gone or not: a wrapper script's children go too.
        for sent in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(self.process.pid, sent)
            except (ProcessLookupError, PermissionError):
                break  # nothing is left in the group
            try:
                self.process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                pass
            time.sleep(0.05)
        # stdout and stderr are left to their reader threads, which end at end of file: closing a
        # stream another thread is reading would wait on that thread.
