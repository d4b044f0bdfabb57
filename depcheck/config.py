"""Configuration: `[tool.depcheck]` in the root pyproject.toml, or a `depcheck.toml`.

An unknown key or a value of the wrong type stops the run (exit 2) with the
key's name and place, as ruff does: a typo in a CI gate's config must not
silently turn a rule off.
"""

from __future__ import annotations

import re
from dataclasses import field
from pathlib import Path
from typing import Any

from depcheck import _toml
from depcheck.errors import DepcheckError
from depcheck.model import Severity, frozen

_CODE = re.compile(r"^DC[0-9]{0,3}$")


@frozen
class Config:
    select: tuple[str, ...] = ()  # empty: every rule
    ignore: tuple[str, ...] = ()
    fail_on: Severity = Severity.WARNING
    exclude: tuple[str, ...] = ()
    source: tuple[str, ...] = ()
    known_first_party: tuple[str, ...] = ()
    package_module_map: tuple[tuple[str, tuple[str, ...]], ...] = ()
    pairs: tuple[tuple[str, str], ...] | None = None  # None: inferred pairing
    extend_knowledge: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    python: str | None = None  # --python: interpreter whose installed packages to consult (CLI only)
    origin: str | None = field(default=None, compare=False)  # where it was read from

    def enabled(self, code: str) -> bool:
        """ruff's rule: the most specific matching prefix of select/ignore wins."""
        selected = _longest(code, self.select) if self.select else 0
        if self.select and selected < 0:
            return False
        ignored = _longest(code, self.ignore)
        return ignored < 0 or selected > ignored


def _longest(code: str, prefixes: tuple[str, ...]) -> int:
    """Length of the longest prefix of `code` in `prefixes`; -1 when none matches."""
    best = -1
    for prefix in prefixes:
        if prefix == "ALL":
            best = max(best, 0)
        elif code.startswith(prefix):
            best = max(best, len(prefix))
    return best


_KEYS = {
    "select": "codes",
    "ignore": "codes",
    "fail-on": "severity",
    "exclude": "strings",
    "source": "strings",
    "known-first-party": "strings",
    "package-module-map": "module-map",
    "pairs": "pairs",
    "extend-knowledge": "strings",
    "per-file-ignores": "per-file",
}


def parse_codes(values: list[str] | tuple[str, ...], where: str) -> tuple[str, ...]:
    codes: list[str] = []
    for value in values:
        for code in str(value).split(","):
            code = code.strip().upper()
            if not code:
                continue
            if code != "ALL" and not _CODE.match(code):
                raise DepcheckError(f"{where}: `{code}` is not a rule code or prefix (like DC2 or DC201)")
            codes.append(code)
    return tuple(codes)


def from_table(table: dict[str, Any], where: str) -> Config:
    """Validate a `[tool.depcheck]` table; `where` names it in errors."""
    values: dict[str, Any] = {}
    for key, value in table.items():
        kind = _KEYS.get(key)
        if kind is None:
            import difflib

            hint = difflib.get_close_matches(key, _KEYS, n=1)
            suggestion = f" (did you mean `{hint[0]}`?)" if hint else ""
            raise DepcheckError(f"{where}: unknown key `{key}`{suggestion}")
        values[key.replace("-", "_")] = _convert(kind, key, value, where)
    values["origin"] = where
    return Config(**values)


def _convert(kind: str, key: str, value: Any, where: str) -> Any:
    def wrong(expected: str) -> DepcheckError:
        return DepcheckError(f"{where}: `{key}` must be {expected}, not {type(value).__name__} {value!r}")

    if kind in ("codes", "strings"):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise wrong("a list of strings")
        return parse_codes(value, f"{where}: `{key}`") if kind == "codes" else tuple(value)
    if kind == "severity":
        try:
            return Severity(value)
        except ValueError:
            raise wrong('one of "error", "warning", "info"') from None
    if kind == "module-map":
        if not isinstance(value, dict) or not all(
            isinstance(modules, list) and all(isinstance(m, str) for m in modules) for modules in value.values()
        ):
            raise wrong('a table of distribution = ["module", ...]')
        return tuple(sorted((dist, tuple(modules)) for dist, modules in value.items()))
    if kind == "pairs":
        if not isinstance(value, list) or not all(
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(s, str) for s in pair) for pair in value
        ):
            raise wrong('a list of two-element lists of set ids, e.g. [["requirements.txt", "pyproject.toml:project.dependencies"]]')
        return tuple((a, b) for a, b in value)
    if kind == "per-file":
        if not isinstance(value, dict) or not all(isinstance(codes, list) for codes in value.values()):
            raise wrong('a table of "glob" = ["DC102", ...]')
        return tuple(
            (glob, parse_codes(codes, f"{where}: `{key}`")) for glob, codes in sorted(value.items())
        )
    raise AssertionError(kind)  # pragma: no cover


def load(root: Path, explicit: Path | None = None) -> Config:
    """The config for a run rooted at `root`: `--config`, else depcheck.toml, else [tool.depcheck]."""
    if explicit is not None:
        return _load_file(explicit, explicit.name == "pyproject.toml")
    candidate = root / "depcheck.toml"
    if candidate.is_file():
        return _load_file(candidate, False)
    candidate = root / "pyproject.toml"
    if candidate.is_file():
        return _load_file(candidate, True, missing_ok=True)
    return Config()


def _load_file(path: Path, in_pyproject: bool, missing_ok: bool = False) -> Config:
    # A broken root pyproject.toml is the user's file under check: the run goes on
    # without config and reports it as DC004. A broken depcheck.toml/--config stops it.
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        if missing_ok:
            return Config()
        raise DepcheckError(f"cannot read config {path}: {exc}") from None
    try:
        data = _toml.loads(text)
    except _toml.TOMLDecodeError as exc:
        if missing_ok:
            return Config()
        raise DepcheckError(f"cannot parse config {path}: {exc}") from None
    if in_pyproject:
        table = data.get("tool", {}).get("depcheck")
        if table is None:
            return Config()
        where = f"{path} [tool.depcheck]"
    else:
        table = data.get("tool", {}).get("depcheck", data) if "tool" in data else data
        where = str(path)
    if not isinstance(table, dict):
        raise DepcheckError(f"{where}: must be a table")
    return from_table(table, where)
