"""Slow: the fixed examples of the SDK rules (MCP8xx) must import and run under the real mcp 2.x.

Installs `mcp==2.3.0` from PyPI into a fresh virtual environment, then executes each fixed example
and calls every function in it that takes no arguments, so a wrong name or signature fails here.
"""

from __future__ import annotations

import json
import os
import subprocess
import venv

import pytest

from mcpmigrate.rule import Invalid, registered_rules

MCP2 = "mcp==2.3.0"

RUNNER = r"""
import inspect, json, sys, asyncio
results = []
for source in json.load(sys.stdin):
    namespace = {"__name__": "example"}
    try:
        exec(compile(source, "example.py", "exec"), namespace)
        for name, value in list(namespace.items()):
            if inspect.isfunction(value) and value.__module__ == "example" and not inspect.signature(value).parameters:
                try:
                    outcome = value()
                    if inspect.iscoroutine(outcome):
                        asyncio.run(outcome)
                except Exception as error:  # raising an MCPError is what most examples do
                    if type(error).__name__ not in {"MCPError"} and not any(c.__name__ == "MCPError" for c in type(error).__mro__):
                        raise
        results.append(None)
    except Exception as error:
        results.append(f"{type(error).__name__}: {error}")
json.dump(results, sys.stdout)
"""


@pytest.fixture(scope="module")
def mcp2_python(tmp_path_factory):
    environment = tmp_path_factory.mktemp("mcp2") / "venv"
    venv.create(environment, with_pip=True)
    python = environment / ("Scripts" if os.name == "nt" else "bin") / "python"
    subprocess.run([python, "-m", "pip", "install", "-q", MCP2], check=True, timeout=900)
    return python


@pytest.mark.slow
def test_fixed_sdk_examples_run_under_mcp2(mcp2_python):
    fixed = [
        (code, example.after_unsafe)
        for code, rule in registered_rules().items()
        if code.startswith("MCP8")
        for example in rule.examples
        if isinstance(example, Invalid) and example.after_unsafe != example.code
    ]
    assert fixed
    completed = subprocess.run(
        [mcp2_python, "-c", RUNNER], input=json.dumps([source for _, source in fixed]),
        capture_output=True, text=True, timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    failures = [(code, source, error) for (code, source), error in zip(fixed, json.loads(completed.stdout)) if error]
    assert failures == []
