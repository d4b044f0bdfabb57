"""The knowledge base: `rules/*.toml` (shipped as `depcheck/_rules`), validated on load.

The schema is documented in rules/README.md. Errors carry the file and the
entry's position; they are data (`KbError`), so a broken user file is reported,
not raised.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from depcheck import _toml, memo
from depcheck.model import frozen

_LIST = "list"
_STR = "str"
_SCHEMA: dict[str, Any] = {
    "id": _STR,
    "kind": _STR,
    "package": _STR,
    "summary": _STR,
    "error": _LIST,
    "references": _LIST,
    "notes": _STR,
    "detect": {"imports": _LIST, "names": _LIST, "calls": _LIST, "url-schemes": _LIST, "settings": _LIST},
    "requires": {"packages": _LIST, "specifier": _STR},
    "satisfied-by": {"extras": _LIST, "requirements": _LIST},
    "fix": {"preferred": _STR, "alternatives": _LIST},
    "applies": {"versions": _STR, "platforms": _STR},
}
_REQUIRED = ("id", "kind", "package", "summary", "error", "references", "detect", "requires", "fix")


@frozen
class Entry:
    id: str
    package: str
    summary: str
    data: dict[str, Any]
    source: str


@frozen
class KbError:
    path: str
    line: int
    message: str


def rules_dir() -> Path:
    """The packaged knowledge base; the repository's `rules/` in a source checkout."""
    packaged = Path(__file__).parent / "_rules"
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "rules"


def load(extra: tuple[Path, ...] = (), *, use_cache: bool = True) -> tuple[tuple[Entry, ...], tuple[KbError, ...]]:
    """The packaged entries, then those of `extra`; `use_cache=False` (`--no-cache`) parses even the packaged ones."""
    entries, errors = _bundled(use_cache)
    for path in extra:
        found, problems = load_file(path)
        entries.extend(found)
        errors.extend(problems)
    return tuple(entries), tuple(errors)


def _bundled(use_cache: bool) -> tuple[list[Entry], list[KbError]]:
    """The packaged knowledge base, parsed once and then read back from depcheck.memo (TOML parsing is most of a load)."""
    folder = rules_dir()
    paths = sorted(folder.glob("*.toml"))
    key = memo.stamp([__file__, *paths]) if use_cache else None  # this module too: it decides what an entry is
    name = memo.name("knowledge-base", str(folder))
    stored = memo.read(name, key) if key is not None else None
    if stored is not None:
        return [Entry(id=e[0], package=e[1], summary=e[2], data=e[3], source=e[4]) for e in stored[0]], [
            KbError(path=e[0], line=e[1], message=e[2]) for e in stored[1]
        ]
    entries: list[Entry] = []
    errors: list[KbError] = []
    for path in paths:
        found, problems = load_file(path)
        entries.extend(found)
        errors.extend(problems)
    if key is not None:
        memo.write(
            name,
            key,
            (
                [(e.id, e.package, e.summary, e.data, e.source) for e in entries],
                [(e.path, e.line, e.message) for e in errors],
            ),
        )
    return entries, errors


def load_file(path: Path) -> tuple[list[Entry], list[KbError]]:
    try:
        text = path.read_text(encoding="utf-8")
        data = _toml.loads(text)
    except (OSError, UnicodeDecodeError, _toml.TOMLDecodeError) as exc:
        return [], [KbError(path=str(path), line=_line_of(str(exc)), message=str(exc))]
    raw_entries = data.get("entry", [])
    if set(data) - {"entry"} or not isinstance(raw_entries, list):
        return [], [KbError(path=str(path), line=1, message="a knowledge-base file holds only [[entry]] tables")]
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if line.strip() == "[[entry]]"]
    entries: list[Entry] = []
    errors: list[KbError] = []
    for index, raw in enumerate(raw_entries):
        line = lines[index] if index < len(lines) else 1
        problems = list(_validate(raw, _SCHEMA, ""))
        problems += [f"missing required key `{key}`" for key in _REQUIRED if key not in raw]
        if problems:
            errors.extend(KbError(path=str(path), line=line, message=f"entry {raw.get('id', index)!s}: {p}") for p in problems)
            continue
        entries.append(Entry(id=raw["id"], package=raw["package"], summary=raw["summary"], data=raw, source=f"{path.name}:{line}"))
    return entries, errors


def _validate(value: dict[str, Any], schema: dict[str, Any], prefix: str) -> list[str]:
    problems = []
    for key, item in value.items():
        expected = schema.get(key)
        name = f"{prefix}{key}"
        if expected is None:
            problems.append(f"unknown key `{name}`")
        elif isinstance(expected, dict):
            if not isinstance(item, dict):
                problems.append(f"`{name}` must be a table")
            else:
                problems.extend(_validate(item, expected, f"{name}."))
        elif expected == _STR and not isinstance(item, str):
            problems.append(f"`{name}` must be a string")
        elif expected == _LIST and not (isinstance(item, list) and all(isinstance(x, str) for x in item)):
            problems.append(f"`{name}` must be a list of strings")
    return problems


def _line_of(message: str) -> int:
    import re

    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else 1


def describe(entry: Entry) -> str:
    """An entry for people: `depcheck rule <id>`."""
    data = entry.data
    code = "DC203 missing-driver" if data["kind"] == "driver" else "DC201 missing-companion"
    lines = [f"# {entry.id} ({code})", "", entry.summary, ""]
    detect = data.get("detect", {})
    lines.append("Detected by:")
    for key, values in detect.items():
        lines.append(f"  {key}: {', '.join(values)}")
    lines.append(f"Package: {entry.package}" + (f" ({data['applies']['versions']})" if data.get("applies", {}).get("versions") else ""))
    lines.append(f"Needs: {' or '.join(data['requires']['packages'])}" + (f" {data['requires']['specifier']}" if data["requires"].get("specifier") else ""))
    satisfied = data.get("satisfied-by", {})
    if satisfied.get("extras"):
        lines.append(f"Satisfied by the extras: {', '.join(satisfied['extras'])}")
    if satisfied.get("requirements"):
        lines.append(f"Satisfied by: {', '.join(satisfied['requirements'])}")
    if data.get("applies", {}).get("platforms"):
        lines.append(f"Where: {data['applies']['platforms']}")
    lines.append(f"Fix: {data['fix']['preferred']}" + "".join(f" | {a}" for a in data["fix"].get("alternatives", [])))
    lines += ["", "Without it:", *(f"  {e}" for e in data["error"]), "", "References:", *(f"  {r}" for r in data["references"])]
    if data.get("notes"):
        lines += ["", f"Notes: {data['notes']}"]
    lines.append(f"\nDefined at {entry.source}")
    return "\n".join(lines)
