"""Machine formats of `check`: each parsed back and checked against its grammar."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tarfile
from xml.etree import ElementTree

import pytest

from tests.conftest import LEGACY, write

GITHUB = re.compile(
    r"^::(error|warning|notice) file=(?P<file>[^,]+),line=\d+,endLine=\d+(,col=\d+,endColumn=\d+)?,title=[^:,]+::.+$"
)


@pytest.fixture
def legacy(project):
    write(project, "app/server.py", LEGACY)
    write(project, "app/multi.py", 'import mcp\n\ndef f(uri):\n    raise mcp.McpError(\n        mcp.ErrorData(code=1, message="a,b:c%")\n    )\n')
    return project


def test_json_lines(run, legacy):
    result = run("check", "--output-format", "json-lines", cwd=legacy)
    rows = [json.loads(line) for line in result.out.splitlines()]
    assert [(r["filename"], r["location"]["row"], r["code"]) for r in rows][:2] == [("app/multi.py", 4, "MCP801"), ("app/server.py", 1, "MCP801")]
    assert json.loads(run("check", "--output-format", "json", cwd=legacy).out) == rows


def test_github_annotations(run, legacy):
    lines = run("check", "--output-format", "github", cwd=legacy).out.splitlines()
    assert lines and all(GITHUB.match(line) for line in lines)
    assert lines[0].startswith("::error file=app/multi.py,line=4,endLine=4,col=11,endColumn=23,title=MCP801 mcperror-renamed::")
    from mcpmigrate.findings import Finding, Location, Severity
    from mcpmigrate.output.github import command

    finding = Finding("X:Y", "n,m", Severity.WARNING, "100%\ndone", "a,b.py", Location(1, 1), Location(2, 3))
    # Properties escape `,` and `:` too; no columns for a span over two lines.
    assert command(finding) == "::warning file=a%2Cb.py,line=1,endLine=2,title=X%3AY n%2Cm::100%25%0Adone"


def test_junit(run, legacy):
    root = ElementTree.fromstring(run("check", "--output-format", "junit", cwd=legacy).out)
    assert root.tag == "testsuites" and root.get("failures") == root.get("tests") == "3"
    suites = {suite.get("name"): len(suite.findall("testcase/failure")) for suite in root.findall("testsuite")}
    assert suites == {"app/multi.py": 1, "app/server.py": 2}


def test_sarif_structure(run, legacy):
    document = json.loads(run("check", "--output-format", "sarif", cwd=legacy).out)
    assert document["version"] == "2.1.0"
    (run_,) = document["runs"]
    rules = run_["tool"]["driver"]["rules"]
    assert {"id", "shortDescription", "fullDescription", "helpUri"} <= rules[0].keys()
    result = run_["results"][0]
    assert result["ruleId"] == "MCP801" and result["level"] == "error"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "app/multi.py", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 4, "startColumn": 11, "endLine": 4, "endColumn": 23}
    assert rules[result["ruleIndex"]]["id"] == "MCP801"
    assert run_["originalUriBaseIds"]["%SRCROOT%"]["uri"] == legacy.resolve().as_uri() + "/"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("npm") is None, reason="npm fetches the SARIF schema")
def test_sarif_validates_against_the_sarif_2_1_0_schema(run, legacy, tmp_path):
    """The official schema ships in Microsoft's SARIF Multitool package on the npm registry."""
    import jsonschema

    subprocess.run(["npm", "pack", "@microsoft/sarif-multitool-linux@5.7.0", "--silent"], cwd=tmp_path,
                   check=True, capture_output=True, timeout=600, env={**os.environ, "npm_config_loglevel": "silent"})
    (package,) = tmp_path.glob("*.tgz")
    with tarfile.open(package) as archive:
        schema = json.load(archive.extractfile("package/sarif-2.1.0.json"))
    document = json.loads(run("check", "--output-format", "sarif", cwd=legacy).out)
    jsonschema.validate(document, schema)
    with pytest.raises(jsonschema.ValidationError):  # the check can fail
        jsonschema.validate({**document, "version": "2.0"}, schema)
