"""Recall and false positives of `mcpmigrate check` on a labelled real-code corpus.

    python scripts/corpus_recall.py [--corpus sdk|protocol] [--holdout] [--work DIR] [--misses]
                                    [--unlabelled] [--enforce]

A corpus is a manifest (PyPI source distributions by exact version, and which rules answer for which
family) and hand labels (project, path inside the sdist, line or `a-b` range, family, what): the SDK
corpus is `corpus/manifest.toml` and `corpus/labels.csv`, the protocol corpus
`corpus/protocol/manifest.toml` and `corpus/protocol/labels/*.csv` (see corpus/README.md). The sdists
are third-party code: they are downloaded into the work folder (default `corpus/.work/`, ignored by
git) and never committed.

The protocol corpus labels a file whole (a `covered` row): there, a finding on no label counts as a
false positive of its rule's family. A project with `lookalike = true` must be silent as a whole. Its
held-out projects (`holdout = true`) are measured only with `--holdout`; the default measures the rest.

It runs one `check` over every project (no cache, every rule) and prints, per family, the labels
found and missed, and how many labelled look-alikes were flagged (by the family of the rule that
fired). `--misses` lists each missed label, `--unlabelled` each finding in a labelled file that no
label accounts for (a construct the labels missed, or a false positive to read). `--enforce` exits
1 when a family with enough labels is below the manifest's minimum recall or too many look-alikes
are flagged; the slow test runs it that way.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import subprocess
import sys
import tarfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

REPO = Path(__file__).resolve().parent.parent
CORPORA = {"sdk": REPO / "corpus", "protocol": REPO / "corpus" / "protocol"}
NONE = "none"
COVERED = "covered"  # a row saying the file is labelled whole
SPAN = 12  # the most lines a finding may span and still point at a label inside it (see Label.meets)


@dataclass(frozen=True)
class Label:
    project: str
    path: str
    first: int
    last: int
    family: str
    what: str

    def covers(self, line: int) -> bool:
        return self.first <= line <= self.last

    def meets(self, finding: "Finding") -> bool:
        """The finding points at the label: it starts on the label's lines, or its span (a call whose
        method argument sits on a line of its own, a multi-line dict) takes them in. A span of more than
        `SPAN` lines (a whole class or function) points at nothing in particular and counts only where
        it starts."""
        if finding.last - finding.line > SPAN:
            return self.covers(finding.line)
        return finding.line <= self.last and self.first <= finding.last

    def describe(self) -> str:
        where = f"{self.first}" if self.first == self.last else f"{self.first}-{self.last}"
        return f"{self.project}: {self.path}:{where} [{self.family}] {self.what}"


@dataclass(frozen=True)
class Finding:
    project: str
    path: str
    line: int
    code: str
    message: str
    last: int  # the line the finding's span ends on


def read_labels(path: Path) -> list[Label]:
    """The labels of one CSV file, or of every CSV file in a folder (one per project)."""
    if path.is_dir():
        return [label for file in sorted(path.glob("*.csv")) for label in read_labels(file)]
    labels = []
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.reader(line for line in handle if line.strip() and not line.startswith("#")):
            project, file, lines, family = (cell.strip() for cell in row[:4])
            first, _, last = lines.partition("-")
            labels.append(Label(project, file, int(first), int(last or first), family, ",".join(row[4:]).strip()))
    return labels


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _archive(downloads: Path, name: str, version: str) -> Path | None:
    for path in downloads.glob("*.tar.gz"):
        dist, _, release = path.name[: -len(".tar.gz")].rpartition("-")
        if _normalized(dist) == _normalized(name) and release == version:
            return path
    return None


def sdist_root(project: dict, work: Path) -> Path:
    """Download and unpack the project's sdist once; return the folder it unpacks to."""
    name, version = project["name"], project["version"]
    downloads = work / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    archive = _archive(downloads, name, version)
    if archive is None:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--ignore-requires-python", "--no-binary", name, f"{name}=={version}", "-d", str(downloads)],
            check=True,
        )
        archive = _archive(downloads, name, version)
        if archive is None:
            raise SystemExit(f"pip downloaded no sdist for {name}=={version}")
    with tarfile.open(archive) as tar:
        top = tar.getnames()[0].split("/")[0]
        target = work / "src"
        if not (target / top).is_dir():
            target.mkdir(parents=True, exist_ok=True)
            if sys.version_info >= (3, 12):
                tar.extractall(target, filter="data")
            else:  # pragma: no cover
                tar.extractall(target)
    return target / top


def run_check(roots: dict[str, Path], checked: dict[str, list[Path]]) -> list[Finding]:
    paths = [str(path) for name in checked for path in checked[name]]
    done = subprocess.run(
        [sys.executable, "-m", "mcpmigrate", "check", "--no-cache", "--exit-zero", "--select", "ALL", "--output-format", "json", "-q", *paths],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    if done.returncode != 0:
        raise SystemExit(f"mcpmigrate check failed ({done.returncode}):\n{done.stderr}")
    findings = []
    for item in json.loads(done.stdout):
        file = Path(item["filename"]).resolve()
        for name, root in roots.items():
            if file.is_relative_to(root.resolve()):
                relative = file.relative_to(root.resolve()).as_posix()
                findings.append(Finding(name, relative, item["location"]["row"], item["code"], item["message"], item["end_location"]["row"]))
                break
    return findings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=sorted(CORPORA), default="sdk")
    parser.add_argument("--holdout", action="store_true", help="measure only the held-out projects (read their misses once, at the end)")
    parser.add_argument("--work", type=Path, default=CORPORA["sdk"] / ".work")
    parser.add_argument("--misses", action="store_true", help="list every missed label")
    parser.add_argument("--unlabelled", action="store_true", help="list findings in labelled files that no label accounts for")
    parser.add_argument("--enforce", action="store_true", help="exit 1 below the manifest's thresholds")
    args = parser.parse_args(argv)

    folder = CORPORA[args.corpus]
    manifest = tomllib.loads((folder / "manifest.toml").read_text(encoding="utf-8"))
    family_of = {code: family for family, codes in manifest["families"].items() for code in codes}
    labels_at = folder / "labels" if (folder / "labels").is_dir() else folder / "labels.csv"
    projects = {
        project["name"]: project
        for project in manifest["project"]
        if bool(project.get("holdout")) == args.holdout
    }
    labels = [label for label in read_labels(labels_at) if label.project in projects]
    unknown = {label.family for label in labels} - set(manifest["families"]) - {NONE, COVERED}
    if unknown:
        raise SystemExit(f"the labels name families the manifest does not define: {sorted(unknown)}")

    roots = {name: sdist_root(project, args.work) for name, project in projects.items()}
    checked = {name: [roots[name] / sub for sub in projects[name].get("check", ["."])] for name in projects}
    for label in labels:
        if not (roots[label.project] / label.path).is_file():
            raise SystemExit(f"label points at a file the sdist does not have: {label.describe()}")
    findings = run_check(roots, checked)
    excluded = {name: tuple(project.get("exclude", ())) for name, project in projects.items()}
    findings = [f for f in findings if not f.path.startswith(excluded[f.project]) or not excluded[f.project]]

    by_file: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in findings:
        by_file[(finding.project, finding.path)].append(finding)

    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    misses: list[Label] = []
    flagged: list[tuple[Label, Finding]] = []
    accounted: set[Finding] = set()
    covered = {(label.project, label.path) for label in labels if label.family == COVERED}
    for label in labels:
        if label.family == COVERED:
            continue
        here = [f for f in by_file[(label.project, label.path)] if label.meets(f)]
        if label.family == NONE:
            flagged.extend((label, f) for f in here)
            accounted.update(here)
            continue
        total[label.family] += 1
        matching = [f for f in here if family_of.get(f.code) == label.family]
        accounted.update(matching)
        if matching:
            found[label.family] += 1
        else:
            misses.append(label)
    # A look-alike project is silent as a whole; a covered file has a label for each legacy line.
    for name, project in projects.items():
        if project.get("lookalike"):
            whole = Label(name, "*", 0, 0, NONE, "a look-alike project")
            flagged.extend((whole, f) for f in findings if f.project == name and f not in accounted)
    false_positives = [f for key in sorted(covered) for f in by_file[key] if f not in accounted]

    labelled_files = {(label.project, label.path) for label in labels}
    unlabelled = [f for key in sorted(labelled_files - covered) for f in by_file[key] if f not in accounted]
    false_by_family = Counter(family_of.get(f.code, f.code) for _, f in flagged)
    false_by_family.update(family_of.get(f.code, f.code) for f in false_positives)

    thresholds = manifest["thresholds"]
    minimum = thresholds.get("holdout-min-recall", thresholds["min-recall"]) if args.holdout else thresholds["min-recall"]
    part = " (held-out part)" if args.holdout else (" (working part)" if any(p.get("holdout") for p in manifest["project"]) else "")
    print(f"corpus {args.corpus}{part}: {len(projects)} projects, {len(covered)} files labelled whole")
    print(f"{'family':<16}{'labels':>8}{'found':>8}{'recall':>9}{'false positives':>18}")
    failing = []
    for family in sorted(set(total) | set(false_by_family)):
        recall = found[family] / total[family] if total[family] else 1.0
        mark = ""
        if total[family] >= thresholds["min-labels"] and recall < minimum:
            mark = "  below threshold"
            failing.append(family)
        print(f"{family:<16}{total[family]:>8}{found[family]:>8}{recall:>9.1%}{false_by_family[family]:>18}{mark}")
    all_found, all_total = sum(found.values()), sum(total.values())
    overall = all_found / all_total if all_total else 1.0
    if args.holdout and all_total and overall < minimum:
        failing.append("all")
    negatives = sum(1 for label in labels if label.family == NONE)
    flagged_labels = len({(label, f) if label.path == "*" else label for label, f in flagged})
    print(f"{'all':<16}{all_total:>8}{all_found:>8}{overall:>9.1%}{sum(false_by_family.values()):>18}")
    print(
        f"{negatives} labelled look-alikes and {sum(1 for p in projects.values() if p.get('lookalike'))} look-alike projects, "
        f"{flagged_labels} flagged; {len(false_positives)} findings on no label in files labelled whole; "
        f"{len(unlabelled)} findings in sampled files carry no label"
    )

    if args.misses:
        print("\nmissed:")
        for label in misses:
            print("  " + label.describe())
    if flagged:
        print("\nlook-alikes flagged:")
        for label, finding in flagged:
            print(f"  {label.describe()}  <- {finding.path}:{finding.line} {finding.code} {finding.message}")
    if false_positives:
        print("\nfindings on no label in files labelled whole (false positives, or labels missed):")
        for finding in false_positives:
            print(f"  {finding.project}: {finding.path}:{finding.line} {finding.code} {finding.message}")
    if args.unlabelled:
        print("\nfindings without a label:")
        for finding in unlabelled:
            print(f"  {finding.project}: {finding.path}:{finding.line} {finding.code} {finding.message}")

    limit = thresholds["max-false-positives"]
    floor = thresholds.get("enforced-overall-recall")
    if args.enforce and floor is not None and not args.holdout:
        # A corpus whose targets are still ahead: its overall floor is enforced, the targets reported.
        print(f"\nenforced: overall recall {overall:.1%} >= {floor:.0%}, look-alikes flagged {flagged_labels} <= {limit}")
        return 1 if overall < floor or flagged_labels > limit else 0
    if args.enforce and (failing or flagged_labels > limit):
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
