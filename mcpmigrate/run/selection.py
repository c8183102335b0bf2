"""Which rules run on a file: select / extend-select / ignore (ruff's vocabulary) and per-file-ignores;
and which of their fixes apply: `--fix-only` and `extend-fixable` name rules by code."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from mcpmigrate.findings import Finding, FixPolicy, RuleInfo, Severity
from mcpmigrate.run.config import ConfigError, Settings
from mcpmigrate.run.globs import matches_here_or_above

SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@dataclass(frozen=True)
class Overrides:
    """Selectors given on the command line; `select` replaces the configuration's, the rest extend it."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fix_only: tuple[str, ...] | None = None  # `--fix-only`: the rule codes whose fixes alone apply

    @property
    def explicit(self) -> tuple[str, ...]:
        return tuple(s for s in (*(self.select or ()), *self.extend_select) if s != "ALL")


def _selects(selector: str, code: str) -> bool:
    return selector == "ALL" or code.startswith(selector)


def _specificity(selector: str) -> int:
    return 0 if selector == "ALL" else len(selector)


def validate_codes(named: Iterable[str], codes: Iterable[str], where: str) -> None:
    """Rules named to have their display-only fixes applied: by full code only (as ruff's
    `explicit-preview-rules`), so `MCP6` or `ALL` never opts a whole family into them."""
    known = set(codes)
    for code in named:
        if code not in known:
            raise ConfigError(
                f"{where}: `{code}` is not a rule code: name each rule whose fixes to apply by its full code, "
                "such as MCP601 (see `mcpmigrate rules`)"
            )


def validate(selectors: Iterable[str], codes: Iterable[str], where: str) -> None:
    known = list(codes)
    for selector in selectors:
        if selector != "ALL" and not any(code.startswith(selector) for code in known):
            raise ConfigError(f"{where}: unknown rule selector `{selector}` (see `mcpmigrate rules`)")


class Selector:
    """Resolves, per file, which of `rules` are enabled."""

    def __init__(self, rules: Mapping[str, RuleInfo], overrides: Overrides) -> None:
        self.rules = rules
        self.overrides = overrides
        validate((*(overrides.select or ()), *overrides.extend_select, *overrides.ignore), rules, "command line")
        validate_codes(overrides.fix_only or (), rules, "command line: `--fix-only`")
        self._cache: dict[tuple[int, tuple[str, ...]], tuple[RuleInfo, ...]] = {}
        self._validated: set[int] = set()

    def _check_settings(self, settings: Settings) -> None:
        if id(settings) in self._validated:
            return
        where = str(settings.source) if settings.source else "configuration"
        validate((*settings.select, *settings.extend_select, *settings.ignore), self.rules, where)
        for _glob, codes in settings.per_file_ignores:
            validate(codes, self.rules, f"{where}: per-file-ignores")
        validate_codes(settings.extend_fixable, self.rules, f"{where}: `extend-fixable`")
        self._validated.add(id(settings))

    def enabled(self, settings: Settings, extra_ignores: tuple[str, ...] = ()) -> tuple[RuleInfo, ...]:
        self._check_settings(settings)
        key = (id(settings), extra_ignores)
        if key not in self._cache:
            # As in ruff, the configuration and then the command line each act as a layer on the
            # set the layer before left: `select` starts afresh, `extend-select` adds, `ignore` removes.
            layers = (
                (settings.select, settings.extend_select, settings.ignore),
                (self.overrides.select, self.overrides.extend_select, self.overrides.ignore),
                (None, (), extra_ignores),
            )
            enabled: set[str] = set()
            for select, extend_select, ignore in layers:
                enabled = _apply_layer(enabled, self.rules, select, extend_select, ignore)
            self._cache[key] = tuple(rule for code, rule in self.rules.items() if code in enabled)
        return self._cache[key]

    def for_file(self, settings: Settings, relative_path: str) -> tuple[RuleInfo, ...]:
        ignored = tuple(
            code for glob, codes in settings.per_file_ignores if matches_here_or_above(glob, relative_path) for code in codes
        )
        return self.enabled(settings, ignored)

    def fix_policy(self, settings: Settings, unsafe: bool) -> FixPolicy:
        """The fixes `--fix` applies in files under `settings`: safe ones (unsafe ones too with
        `unsafe`), and the display-only ones of the rules named in `extend-fixable` or `--fix-only`;
        with `--fix-only`, only the named rules' fixes."""
        self._check_settings(settings)
        only = self.overrides.fix_only
        named = frozenset((*settings.extend_fixable, *(only or ())))
        return FixPolicy(unsafe=unsafe, named=named, only=None if only is None else frozenset(only))

    def fails(self, finding: Finding, settings: Settings, fail_on: str | None = None) -> bool:
        """Does this finding make `check` exit 1? With `fail_on`, those of that severity or above do;
        without, errors and warnings do, and `info` findings only when selected by name or prefix."""
        if fail_on is not None:
            return SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[Severity(fail_on)]
        if finding.severity is not Severity.INFO:
            return True
        explicit = (*settings.explicit_selectors, *self.overrides.explicit)
        return any(finding.code.startswith(selector) for selector in explicit)


def _apply_layer(
    enabled: set[str],
    codes: Iterable[str],
    select: tuple[str, ...] | None,
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
) -> set[str]:
    """Within one layer the most specific matching selector decides; on a tie, ignore wins."""
    selects = (*(select or ()), *extend_select)
    result = set() if select is not None else set(enabled)
    for code in codes:
        best_select = max((_specificity(s) for s in selects if _selects(s, code)), default=-1)
        best_ignore = max((_specificity(s) for s in ignore if _selects(s, code)), default=-1)
        if best_ignore >= 0 and best_ignore >= best_select:
            result.discard(code)
        elif best_select >= 0:
            result.add(code)
    return result
