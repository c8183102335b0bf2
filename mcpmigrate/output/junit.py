"""`--output-format junit`: JUnit XML, one test suite per file with findings, one failure each."""

from __future__ import annotations

from collections import defaultdict
from typing import TextIO
from xml.etree import ElementTree

from mcpmigrate.run.outcome import RunResult


def render(result: RunResult, stream: TextIO) -> None:
    by_file = defaultdict(list)
    for finding in sorted(result.findings, key=lambda f: f.sort_key):
        by_file[finding.path].append(finding)
    total = len(result.findings)
    root = ElementTree.Element("testsuites", name="mcpmigrate", tests=str(total), failures=str(total))
    for path, findings in by_file.items():
        suite = ElementTree.SubElement(
            root, "testsuite", name=path, tests=str(len(findings)), failures=str(len(findings)), errors="0"
        )
        for finding in findings:
            case = ElementTree.SubElement(
                suite, "testcase", classname=path, name=f"{finding.code} {finding.name} at {finding.location.row}:{finding.location.column}",
                file=path, line=str(finding.location.row),
            )
            failure = ElementTree.SubElement(case, "failure", message=finding.message, type=finding.code)
            failure.text = f"{path}:{finding.location.row}:{finding.location.column}: {finding.message}" + (
                f"\n{finding.help}" if finding.help else ""
            )
    ElementTree.indent(root)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ElementTree.tostring(root, encoding="unicode"))
    stream.write("\n")
