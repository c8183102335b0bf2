"""The findings cache and parallel checking change how fast a run is, never what it says."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from mcpmigrate.findings import FixPolicy
from mcpmigrate.rule.base import RuleOptions, registered_rules
from mcpmigrate.run import cache as cache_module
from mcpmigrate.run import project as project_pass
from mcpmigrate.run import runner as runner_module
from mcpmigrate.run.source import SourceFile, digest
from tests.conftest import LEGACY, write

REPO = Path(__file__).resolve().parent.parent
FIXTURES = ("handrolled", "sdk_client", "sdk1_project", "mrtr_project", "stateless_wire", "lookalikes")
JSON = ["check", "--output-format", "json", "--exit-zero"]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """Every fixture project, the example, and enough plain files to cross the parallel threshold."""
    root = tmp_path / "tree"
    for name in FIXTURES:
        shutil.copytree(REPO / "tests" / "fixtures" / name, root / name)
    shutil.copytree(REPO / "examples", root / "examples")
    for index in range(runner_module.PARALLEL_THRESHOLD + 4):
        write(root, f"plain/module_{index}.py", f"VALUE = {index}\n")
        write(root, f"legacy/module_{index}.py", LEGACY.replace("error_data", f"error_{index}"))
    (root / "pyproject.toml").write_text('[tool.mcpmigrate]\ntarget-sdk = "2"\n')
    return root


def _findings(result) -> list[dict]:
    return json.loads(result.out)


def test_two_jobs_find_exactly_what_one_job_finds(run, tree, monkeypatch):
    pools: list[int] = []
    original = runner_module.new_pool

    def recording(workers):
        pools.append(workers)
        return original(workers)

    monkeypatch.setattr(runner_module, "new_pool", recording)
    one = run(*JSON, "--no-cache", "--jobs", "1", cwd=tree)
    assert pools == []
    two = run(*JSON, "--no-cache", "--jobs", "2", cwd=tree)
    assert pools == [2]
    assert len(_findings(one)) > 40
    assert _findings(two) == _findings(one)
    assert (two.code, two.err) == (one.code, one.err)


def test_parallel_fix_writes_what_a_serial_fix_writes(run, tree, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(tree, other)
    serial = run("check", "--fix", "--unsafe-fixes", "--no-cache", "--jobs", "1", "--exit-zero", cwd=tree)
    parallel = run("check", "--fix", "--unsafe-fixes", "--no-cache", "--jobs", "2", "--exit-zero", cwd=other)
    assert parallel.err.replace(str(other), str(tree)) == serial.err
    for path in sorted(tree.rglob("*.py")):
        assert (other / path.relative_to(tree)).read_bytes() == path.read_bytes(), path


def _job(text: str, *, fix: bool = False) -> runner_module.Job:
    codes = tuple(registered_rules())
    source = SourceFile("x.py", None, text, "utf-8", digest(text.encode()))
    return runner_module.Job(source, codes, codes, RuleOptions(target_sdk=2), FixPolicy(), fix, False)


def _finished(queue: runner_module.JobQueue) -> list[tuple[object, runner_module.Processed]]:
    results: list[tuple[object, runner_module.Processed]] = []
    queue.finish(lambda owner, processed: results.append((owner, processed)))
    return results


def test_files_without_mcp_travel_in_batches_and_each_result_comes_back_with_its_owner():
    queue = runner_module.JobQueue(1)
    plain, legacy = _job("VALUE = 1\n"), _job(LEGACY)
    for index in range(runner_module.BATCH_FILES * 2 + 2):
        queue.put(index, plain, batched=True)
    queue.put("legacy", legacy)
    # Two full batches, then the MCP file on its own; the last two plain files wait for more.
    assert [len(unit) for unit in queue.waiting] == [runner_module.BATCH_FILES, runner_module.BATCH_FILES, 1]
    results = _finished(queue)
    assert sorted(str(owner) for owner, _ in results) == sorted(str(owner) for owner in [*range(130), "legacy"])
    found = dict(results)
    assert all(found[index] == runner_module.Processed((), (), (), None) for index in range(130))
    assert [finding.code for finding in found["legacy"].findings] == ["MCP801", "MCP801"]


def test_the_project_pass_indexes_in_the_workers_in_order_once_there_are_enough_modules(monkeypatch):
    pools: list[int] = []
    original = runner_module.new_pool
    monkeypatch.setattr(runner_module, "new_pool", lambda workers: pools.append(workers) or original(workers))
    texts = [f"from mcp import types\nNAME_{index} = 'tools/list'\n" for index in range(runner_module.PARALLEL_THRESHOLD)]
    few = runner_module.JobQueue(2)
    assert few.map(project_pass.index_module, texts[:3]) == [project_pass.index_module(text) for text in texts[:3]]
    assert pools == [] and few.pool is None  # too few to pay for a pool
    many = runner_module.JobQueue(2)
    indexed = many.map(project_pass.index_module, texts)
    assert [index.constants for index in indexed] == [((f"NAME_{index}", "tools/list"),) for index in range(len(texts))]
    assert pools == [2]
    many.put("legacy", _job(LEGACY))  # the jobs then go to the same pool
    ((owner, processed),) = _finished(many)
    assert owner == "legacy" and [finding.code for finding in processed.findings] == ["MCP801", "MCP801"]
    assert pools == [2]


def test_a_batch_closes_at_its_size_in_characters_too():
    queue = runner_module.JobQueue(1)
    big = _job("x = 1\n" * (runner_module.BATCH_CHARS // 6 + 1))
    queue.put("big", big, batched=True)
    queue.put("small", _job("y = 2\n"), batched=True)
    assert [len(unit) for unit in queue.waiting] == [1]


def test_a_fix_does_not_hand_a_file_no_rule_can_match_to_the_engine(monkeypatch):
    from mcpmigrate.engine import checker

    def refuse(*args, **kwargs):
        raise AssertionError("a file without any rule's tokens went to the fixer")

    monkeypatch.setattr(checker, "fix", refuse)
    assert runner_module.process(_job("VALUE = 1\n", fix=True)) == runner_module.Processed((), (), (), None)
    monkeypatch.undo()
    assert runner_module.process(_job(LEGACY, fix=True)).fixed  # ... while one that may match gets there


def test_the_jobs_environment_variable_is_read_and_checked(run, tree, monkeypatch):
    monkeypatch.setenv("MCPMIGRATE_JOBS", "1")
    assert runner_module.default_jobs() == 1
    monkeypatch.setenv("MCPMIGRATE_JOBS", "many")
    result = run("check", cwd=tree)
    assert result.code == 2
    assert "MCPMIGRATE_JOBS must be a whole number, not 'many'" in result.err


def test_a_warm_cache_gives_the_same_findings_without_parsing(run, tree, monkeypatch):
    cold = run(*JSON, cwd=tree)
    folder = tree / cache_module.CACHE_DIR
    assert (folder / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (folder / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")

    def no_parsing(job):
        raise AssertionError(f"{job.source.display} was parsed although its findings are cached")

    monkeypatch.setattr(runner_module, "process", no_parsing)
    warm = run(*JSON, cwd=tree)
    assert _findings(warm) == _findings(cold)
    assert (warm.code, warm.err) == (cold.code, cold.err)
    monkeypatch.undo()
    full_cold = run("check", "--exit-zero", "--no-cache", cwd=tree)
    assert run("check", "--exit-zero", cwd=tree).out == full_cold.out  # code frames come from the file itself


def test_the_cache_is_keyed_by_content_rules_and_target(run, tree):
    run(*JSON, cwd=tree)
    server = tree / "legacy" / "module_0.py"
    server.write_text(server.read_text() + "raise McpError(None)\n")
    edited = _findings(run(*JSON, "--select", "MCP801", cwd=tree))
    assert _findings(run(*JSON, "--select", "MCP801", "--no-cache", cwd=tree)) == edited
    assert sum(f["filename"].endswith("legacy/module_0.py") for f in edited) == 3
    assert _findings(run(*JSON, "--select", "MCP802", cwd=tree)) == _findings(
        run(*JSON, "--select", "MCP802", "--no-cache", cwd=tree)
    )
    (tree / "pyproject.toml").write_text('[tool.mcpmigrate]\ntarget-sdk = "1"\n')
    assert _findings(run(*JSON, cwd=tree)) == _findings(run(*JSON, "--no-cache", cwd=tree))


def test_fix_uses_the_cache_only_where_nothing_is_left_to_fix(run, tree):
    run("check", "--exit-zero", cwd=tree)
    fixed = run("check", "--fix", "--exit-zero", cwd=tree)
    assert "Fixed" in fixed.err
    assert "from mcp import MCPError" in (tree / "legacy" / "module_0.py").read_text()
    again = run("check", "--fix", "--exit-zero", cwd=tree)
    assert again.err.startswith("Fixed 0 findings")


def test_no_cache_writes_nothing_and_a_damaged_cache_is_a_miss(run, tree):
    run("check", "--no-cache", "--exit-zero", cwd=tree)
    assert not (tree / cache_module.CACHE_DIR).exists()
    run("check", "--exit-zero", cwd=tree)
    (tree / cache_module.CACHE_DIR / cache_module.CACHE_FILE).write_text("{not json")
    result = run(*JSON, cwd=tree)
    assert _findings(result) == _findings(run(*JSON, "--no-cache", cwd=tree))


def test_a_cache_from_another_mcpmigrate_is_ignored(run, tree, monkeypatch):
    before = _findings(run(*JSON, cwd=tree))
    path = tree / cache_module.CACHE_DIR / cache_module.CACHE_FILE
    document = json.loads(path.read_text())
    for entry in document["entries"].values():
        entry["findings"] = []  # what a stale cache would claim
    document["code"] = "another version"
    path.write_text(json.dumps(document))
    assert _findings(run(*JSON, cwd=tree)) == before


def test_clean_removes_the_cache(run, tree):
    run("check", "--exit-zero", cwd=tree)
    assert (tree / cache_module.CACHE_DIR).is_dir()
    result = run("clean", cwd=tree)
    assert result.code == 0 and "Removed" in result.err
    assert not (tree / cache_module.CACHE_DIR).exists()
    assert "No cache" in run("clean", cwd=tree).err


def test_the_cache_lives_in_the_project_root(run, tree):
    run("check", "--exit-zero", ".", cwd=tree / "legacy")
    assert (tree / cache_module.CACHE_DIR / cache_module.CACHE_FILE).is_file()
    assert not (tree / "legacy" / cache_module.CACHE_DIR).exists()


@pytest.mark.parametrize("output_format", ["concise", "sarif", "json", "github", "junit", "full"])
def test_a_fully_cached_run_does_not_import_libcst_or_the_rules(run, tree, output_format):
    import subprocess
    import sys

    run("check", "--exit-zero", cwd=tree)  # fills the cache, rule metadata included
    probe = (
        "import sys\n"
        "from mcpmigrate.cli import main\n"
        f"code = main(['check', '--exit-zero', '--output-format', {output_format!r}, '.'])\n"
        "print(code, 'libcst' in sys.modules, 'mcpmigrate.rules' in sys.modules, file=sys.stderr)\n"
    )
    completed = subprocess.run([sys.executable, "-c", probe], cwd=tree, capture_output=True, text=True, timeout=120)
    assert completed.stderr.splitlines()[-1] == "0 False False"
    # The rules' metadata (SARIF's rule descriptors) comes from the cache: the same bytes as a fresh run.
    assert completed.stdout == run("check", "--exit-zero", "--output-format", output_format, "--no-cache", cwd=tree).out
