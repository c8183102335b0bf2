"""Configuration: `[tool.mcpmigrate]` in the nearest `pyproject.toml`, or the file given with `--config`."""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

DEFAULT_EXCLUDE = (
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".hg",
    ".mcpmigrate_cache",
    ".mypy_cache",
    ".nox",
    ".pants.d",
    ".pytest_cache",
    ".ruff_cache",
    ".svn",
    ".tox",
    ".venv",
    "__pycache__",
    "__pypackages__",
    "_build",
    "buck-out",
    "build",
    "dist",
    "node_modules",
    "site-packages",
    "venv",
)

OUTPUT_FORMATS = ("full", "concise", "json", "json-lines", "github", "sarif", "junit")


class ConfigError(Exception):
    """A configuration the user must correct; the message names the file and the key."""


@dataclass(frozen=True)
class Settings:
    root: Path  # relative globs are matched against paths relative to this folder
    source: Path | None = None  # the configuration file, if any
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    unsafe_fixes: bool = False
    extend_fixable: tuple[str, ...] = ()  # rules whose display-only fixes `--fix` applies too (full codes)
    output_format: str | None = None
    target_sdk: int | None = None  # None: read the project's dependency on mcp
    require_noqa_reason: bool = False  # a suppression without `-- reason` is a finding (MCP002)
    fail_on: str | None = None  # the lowest severity that fails `check`; None: errors and warnings
    baseline: Path | None = None  # findings accepted for now (relative paths: to `root`)
    # selectors written explicitly (not "ALL"), so `info` findings they select count as failures
    explicit_selectors: tuple[str, ...] = field(default=())

    @property
    def all_excludes(self) -> tuple[str, ...]:
        return self.exclude + self.extend_exclude


def _strings(value: Any, key: str, source: Path) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{source}: `{key}` in [tool.mcpmigrate] must be a list of strings")
    return tuple(value)


def _bool(value: Any, key: str, source: Path) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{source}: `{key}` in [tool.mcpmigrate] must be true or false")
    return value


def _per_file_ignores(value: Any, source: Path) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise ConfigError(f"{source}: `per-file-ignores` in [tool.mcpmigrate] must be a table of glob = [codes]")
    return tuple((glob, _strings(codes, f"per-file-ignores.{glob}", source)) for glob, codes in value.items())


def _output_format(value: Any, source: Path | str) -> str:
    if value not in OUTPUT_FORMATS:
        raise ConfigError(f"{source}: `output-format` must be one of {', '.join(OUTPUT_FORMATS)}, not {value!r}")
    return value


def _target_sdk(value: Any, source: Path) -> int:
    if str(value) not in ("1", "2") or isinstance(value, bool):
        raise ConfigError(f'{source}: `target-sdk` in [tool.mcpmigrate] must be "1" or "2", not {value!r}')
    return int(value)


FAIL_ON = ("error", "warning", "info")


def _fail_on(value: Any, source: Path | str) -> str:
    if value not in FAIL_ON:
        raise ConfigError(f"{source}: `fail-on` must be one of {', '.join(FAIL_ON)}, not {value!r}")
    return value


def _path(value: Any, key: str, source: Path) -> Path:
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{source}: `{key}` in [tool.mcpmigrate] must be a path (a string)")
    return Path(value)


_KEYS = {
    "select": lambda v, s: ("select", _strings(v, "select", s)),
    "ignore": lambda v, s: ("ignore", _strings(v, "ignore", s)),
    "extend-select": lambda v, s: ("extend_select", _strings(v, "extend-select", s)),
    "exclude": lambda v, s: ("exclude", _strings(v, "exclude", s)),
    "extend-exclude": lambda v, s: ("extend_exclude", _strings(v, "extend-exclude", s)),
    "per-file-ignores": lambda v, s: ("per_file_ignores", _per_file_ignores(v, s)),
    "unsafe-fixes": lambda v, s: ("unsafe_fixes", _bool(v, "unsafe-fixes", s)),
    "extend-fixable": lambda v, s: ("extend_fixable", _strings(v, "extend-fixable", s)),
    "output-format": lambda v, s: ("output_format", _output_format(v, s)),
    "target-sdk": lambda v, s: ("target_sdk", _target_sdk(v, s)),
    "require-noqa-reason": lambda v, s: ("require_noqa_reason", _bool(v, "require-noqa-reason", s)),
    "fail-on": lambda v, s: ("fail_on", _fail_on(v, s)),
    "baseline": lambda v, s: ("baseline", _path(v, "baseline", s)),
}


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return parsed_toml(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror or error}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None


@functools.lru_cache(maxsize=64)
def parsed_toml(text: str) -> dict[str, Any]:
    """A TOML document, parsed once however many readers ask: the settings and the target SDK both
    read each `pyproject.toml` (half a warm run's TOML parsing was the second read). Keyed by the
    text, so an edited file is parsed again. Readers must not change what it returns."""
    return tomllib.loads(text)


def _section(document: dict[str, Any]) -> dict[str, Any] | None:
    tool = document.get("tool")
    section = tool.get("mcpmigrate") if isinstance(tool, dict) else None
    return section if isinstance(section, dict) else None


def load_settings(path: Path, *, required: bool = False) -> Settings:
    """Settings from a `pyproject.toml` (its `[tool.mcpmigrate]` table) or an `mcpmigrate.toml`.

    The path is read as given (not resolved: `--config <(...)` names a pipe that resolving would lose);
    globs are relative to its folder, or to the working folder when it is not a regular file."""
    path = path if path.is_absolute() else Path.cwd() / path
    document = _read_toml(path)
    section = _section(document) if path.name == "pyproject.toml" else document
    if section is None:
        if required:
            raise ConfigError(f"{path}: no [tool.mcpmigrate] table")
        section = {}
    values: dict[str, Any] = {}
    for key, value in section.items():
        parse = _KEYS.get(key)
        if parse is None:
            known = ", ".join(sorted(_KEYS))
            raise ConfigError(f"{path}: unknown key `{key}` in [tool.mcpmigrate] (known keys: {known})")
        name, parsed = parse(value, path)
        values[name] = parsed
    root = path.parent.resolve() if path.is_file() else Path.cwd().resolve()
    settings = Settings(root=root, source=path, **values)
    explicit = tuple(s for s in settings.select + settings.extend_select if s != "ALL")
    return replace(settings, explicit_selectors=explicit)


def find_config_here(folder: Path) -> Path | None:
    """`folder`'s own `pyproject.toml` if it has a `[tool.mcpmigrate]` table."""
    candidate = folder / "pyproject.toml"
    if candidate.is_file():
        try:
            if _section(_read_toml(candidate)) is not None:
                return candidate
        except ConfigError:
            # A broken pyproject.toml that may not even be ours: only fatal if it names us.
            if b"[tool.mcpmigrate" in candidate.read_bytes():
                raise
    return None


class SettingsResolver:
    """Settings for any path: the nearest configuration above it, or the one named with `--config`.

    Results are cached per folder, so a tree of thousands of files reads each pyproject.toml once.
    """

    def __init__(self, cwd: Path, config_file: Path | None = None) -> None:
        self.cwd = cwd
        self.fixed = load_settings(config_file, required=False) if config_file is not None else None
        self._by_config: dict[Path | None, Settings] = {}
        self._by_folder: dict[Path, Settings] = {}
        self._by_given: dict[Path, Settings] = {}  # by the folder as named, to resolve it once
        self._config_of: dict[Path, Path | None] = {}  # folder -> nearest configuration at or above it

    def for_path(self, path: Path) -> Settings:
        if self.fixed is not None:
            return self.fixed
        given = path if path.is_dir() else path.parent
        cached = self._by_given.get(given)
        if cached is not None:
            return cached
        folder = given.resolve()
        cached = self._by_folder.get(folder)
        if cached is None:
            config = self._nearest_config(folder)
            cached = self._by_config.get(config)
            if cached is None:
                cached = load_settings(config) if config is not None else Settings(root=self.cwd.resolve())
                self._by_config[config] = cached
            self._by_folder[folder] = cached
        self._by_given[given] = cached
        return cached

    def _nearest_config(self, folder: Path) -> Path | None:
        """The nearest `pyproject.toml` with a `[tool.mcpmigrate]` table at or above `folder`,
        remembered for every folder on the way up (each pyproject.toml of a tree is read once)."""
        unresolved: list[Path] = []
        found: Path | None = None
        for candidate_dir in (folder, *folder.parents):
            if candidate_dir in self._config_of:
                found = self._config_of[candidate_dir]
                break
            unresolved.append(candidate_dir)
            found = find_config_here(candidate_dir)
            if found is not None:
                break
        for candidate_dir in unresolved:
            self._config_of[candidate_dir] = found
        return found
