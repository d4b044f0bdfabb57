"""Lock files for the lock-drift rule: `uv.lock`, `poetry.lock`, PEP 751 `pylock.toml`.

Each package entry becomes a `LockedPackage` (canonical name, version as written,
marker) located at its `name = ` line. Entries without a version (a uv workspace
member with a dynamic version, a pylock directory/VCS package) are skipped: there
is nothing to compare.

Values come from the TOML parser; positions from a small lenient scanner that
walks the same text and records where each `[[package]]`'s keys are. Recent
tools may write TOML 1.1 (multi-line inline tables, trailing commas), which
`tomllib` before Python 3.15 rejects; then the scanner's values are used, the Lock
is returned, and one INFO DC004 says so. Only when not one package can be read is
the file a DC004 error (and the Lock None).

The marker of a package: pylock `marker`; poetry `markers` (a string, or a table
per group whose distinct values are joined with `or`); uv `resolution-markers`
(the forks that chose this version, joined with `or`).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from packaging.utils import canonicalize_name

from depcheck import _toml
from depcheck.model import Lock, LockedPackage, Problem, Severity, Span

__all__ = ["parse_poetry_lock", "parse_pylock", "parse_uv_lock"]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR = re.compile(r"[^\s,\]\}#]+")
_ERROR_AT = re.compile(r"at line (\d+), column (\d+)")
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", "e": "\x1b", '"': '"', "\\": "\\"}
_MAX_DEPTH = 64


def parse_uv_lock(path: str, text: str) -> tuple[Lock | None, tuple[Problem, ...]]:
    return _parse(path, text, kind="uv.lock", table="package", marker=_uv_marker)


def parse_poetry_lock(path: str, text: str) -> tuple[Lock | None, tuple[Problem, ...]]:
    return _parse(path, text, kind="poetry.lock", table="package", marker=_poetry_marker)


def parse_pylock(path: str, text: str) -> tuple[Lock | None, tuple[Problem, ...]]:
    """PEP 751 `pylock.toml` and `pylock.<name>.toml`."""
    return _parse(path, text, kind="pylock.toml", table="packages", marker=_pylock_marker)


# --- markers -------------------------------------------------------------------


def _any_of(markers: list[str]) -> str | None:
    distinct = list(dict.fromkeys(m.strip() for m in markers if m.strip()))
    if not distinct:
        return None
    if len(distinct) == 1:
        return distinct[0]
    return " or ".join(f"({m})" for m in distinct)


def _uv_marker(entry: dict[str, Any]) -> str | None:
    markers = entry.get("resolution-markers")
    if isinstance(markers, list):
        return _any_of([m for m in markers if isinstance(m, str)])
    return None


def _poetry_marker(entry: dict[str, Any]) -> str | None:
    markers = entry.get("markers")
    if isinstance(markers, str):
        return markers.strip() or None
    if isinstance(markers, dict):
        return _any_of([m for m in markers.values() if isinstance(m, str)])
    return None


def _pylock_marker(entry: dict[str, Any]) -> str | None:
    marker = entry.get("marker")
    return marker.strip() or None if isinstance(marker, str) else None


# --- the parse -----------------------------------------------------------------


def _parse(
    path: str, text: str, *, kind: str, table: str, marker: Callable[[dict[str, Any]], str | None]
) -> tuple[Lock | None, tuple[Problem, ...]]:
    try:
        return _parse_unguarded(path, text, kind=kind, table=table, marker=marker)
    except Exception as exc:  # pragma: no cover - a bug here must not stop the run
        return None, (Problem(code="DC004", message=f"{kind} could not be read: {exc!r}", span=Span(path=path)),)


def _parse_unguarded(
    path: str, text: str, *, kind: str, table: str, marker: Callable[[dict[str, Any]], str | None]
) -> tuple[Lock | None, tuple[Problem, ...]]:
    lines = [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]
    scanned = _Scanner(text, table).scan()
    try:
        data = _toml.loads(text)
    except _toml.TOMLDecodeError as exc:
        error: Exception | None = exc
        entries = [found.values for found in scanned]
    except (RecursionError, ValueError) as exc:  # pathological nesting
        error = exc
        entries = [found.values for found in scanned]
    else:
        error = None
        listed = data.get(table)
        entries = [entry for entry in listed if isinstance(entry, dict)] if isinstance(listed, list) else []

    packages = _packages(path, lines, entries, scanned, marker)
    if error is None:
        return Lock(path=path, kind=kind, packages=packages, requires_python=_requires_python(kind, data)), ()

    line, column = _error_position(error, lines)
    reason = str(error).splitlines()[0] if str(error).strip() else type(error).__name__
    span = Span(path=path, line=line, column=column)
    line_text = lines[line - 1] if 0 < line <= len(lines) else ""
    if not packages:
        return None, (
            Problem(code="DC004", message=f"{kind} cannot be parsed: {reason}", span=span, line_text=line_text),
        )
    note = Problem(
        code="DC004",
        message=f"{kind} is not TOML 1.0 ({reason}); its packages were read by a lenient reader",
        span=span,
        line_text=line_text,
        severity=Severity.INFO,
    )
    return Lock(path=path, kind=kind, packages=packages), (note,)


def _packages(
    path: str,
    lines: list[str],
    entries: list[dict[str, Any]],
    scanned: list[_ScannedEntry],
    marker: Callable[[dict[str, Any]], str | None],
) -> tuple[LockedPackage, ...]:
    out: list[LockedPackage] = []
    used: set[int] = set()
    by_name: dict[str, list[int]] = {}
    for number, found in enumerate(scanned):
        if isinstance(found.name, str):  # `name = []` is no name to look up
            by_name.setdefault(found.name, []).append(number)
    for index, entry in enumerate(entries):
        name, version = entry.get("name"), entry.get("version")
        if not isinstance(name, str) or not name.strip() or not isinstance(version, str) or not version.strip():
            continue
        # The n-th entry is the n-th [[package]] header; else the first unused header of that name.
        if index < len(scanned) and index not in used and scanned[index].name == name:
            place: int | None = index
        else:
            place = next((i for i in by_name.get(name, ()) if i not in used), None)
        span, line_text = Span(path=path), ""
        if place is not None:
            used.add(place)
            where = scanned[place]
            span = Span(
                path=path,
                line=where.name_line,
                column=where.name_column,
                end_line=where.name_end_line,
                end_column=where.name_end_column,
            )
            line_text = lines[where.name_line - 1] if 0 < where.name_line <= len(lines) else ""
        out.append(
            LockedPackage(
                name=canonicalize_name(name),
                version=version.strip(),
                span=span,
                marker=marker(entry),
                line_text=line_text,
                from_index=_from_index(entry),
            )
        )
    return tuple(out)


def _from_index(entry: dict[str, Any]) -> bool:
    """Did the version come from a package index (not git, a path, a URL, an editable)?"""
    source = entry.get("source")
    if isinstance(source, dict):  # uv: {registry = ...} | {git = ...} | {editable = ...} | ...; poetry: {type = "git", ...}
        if "type" in source:
            return source.get("type") in ("legacy", "pypi", None)
        return "registry" in source
    return not any(key in entry for key in ("vcs", "directory", "archive"))  # pylock.toml


def _requires_python(kind: str, data: dict[str, Any]) -> str | None:
    if kind == "poetry.lock":
        metadata = data.get("metadata")
        value = metadata.get("python-versions") if isinstance(metadata, dict) else None
        if isinstance(value, str):
            from depcheck.version import poetry_to_pep440

            try:
                return poetry_to_pep440(value)
            except ValueError:
                return None
        return None
    value = data.get("requires-python")
    return value if isinstance(value, str) else None


def _error_position(error: Exception, lines: list[str]) -> tuple[int, int]:
    line = getattr(error, "lineno", None)
    column = getattr(error, "colno", None)
    if not isinstance(line, int) or not isinstance(column, int):
        found = _ERROR_AT.search(str(error))
        line, column = (int(found.group(1)), int(found.group(2))) if found else (1, 1)
    if not 0 < line <= len(lines):
        line = max(1, len(lines))
        column = len(lines[line - 1]) + 1 if lines else 1
    return line, max(1, min(column, len(lines[line - 1]) + 1))


# --- the lenient scanner ---------------------------------------------------------


class _Unreadable(Exception):
    pass


_NOTHING = object()


@dataclass
class _ScannedEntry:
    """One `[[package]]` table as the scanner saw it: its plain keys and where `name` is."""

    values: dict[str, Any] = field(default_factory=dict)
    name_line: int = 0
    name_column: int = 0
    name_end_line: int = 0
    name_end_column: int = 0

    @property
    def name(self) -> Any:
        return self.values.get("name")


class _Scanner:
    """Reads TOML leniently (1.0 and 1.1), keeping the keys of each `[[table]]` and their positions.

    Not a validator: it recovers from what it cannot read by skipping to the next
    line, so a machine-written lock with one odd construct is still read.
    """

    def __init__(self, text: str, table: str) -> None:
        self.text = text
        self.table = table
        self.i = 0
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, index: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, index)
        return line, index - self.starts[line - 1] + 1

    def scan(self) -> list[_ScannedEntry]:
        entries: list[_ScannedEntry] = []
        current: _ScannedEntry | None = None
        text, n = self.text, len(self.text)
        while True:
            self._skip_blank(newlines=True)
            if self.i >= n:
                return entries
            try:
                if text[self.i] == "[":
                    header, is_array = self._header()
                    if is_array and header == (self.table,):
                        current = _ScannedEntry()
                        entries.append(current)
                    else:
                        current = None  # a sub-table ([package.metadata]) or another table
                else:
                    start = self.i
                    key = self._key()
                    self._skip_blank()
                    if self.i >= n or text[self.i] != "=":
                        raise _Unreadable
                    self.i += 1
                    self._skip_blank()
                    value = self._value(0)
                    if current is not None and len(key) == 1 and key[0] not in current.values:
                        current.values[key[0]] = value
                        if key[0] == "name":
                            current.name_line, current.name_column = self.position(start)
                            current.name_end_line, current.name_end_column = self.position(self.i)
                self._end_of_line()
            except _Unreadable:
                self._skip_line()

    # -- lexical pieces --

    def _skip_blank(self, newlines: bool = False) -> None:
        text, n = self.text, len(self.text)
        while self.i < n:
            char = text[self.i]
            if char in " \t\r" or (newlines and char == "\n"):
                self.i += 1
            elif char == "#" and newlines:
                self._skip_line()
            else:
                return

    def _skip_line(self) -> None:
        end = self.text.find("\n", self.i)
        self.i = len(self.text) if end < 0 else end + 1

    def _end_of_line(self) -> None:
        self._skip_blank()
        if self.i < len(self.text) and self.text[self.i] not in "#\n":
            raise _Unreadable
        self._skip_line()

    def _header(self) -> tuple[tuple[str, ...], bool]:
        is_array = self.text.startswith("[[", self.i)
        self.i += 2 if is_array else 1
        self._skip_blank()
        key = self._key()
        self._skip_blank()
        closing = "]]" if is_array else "]"
        if not self.text.startswith(closing, self.i):
            raise _Unreadable
        self.i += len(closing)
        return key, is_array

    def _key(self) -> tuple[str, ...]:
        parts = []
        while True:
            self._skip_blank()
            if self.i < len(self.text) and self.text[self.i] in "\"'":
                part = self._string()
            else:
                found = _BARE_KEY.match(self.text, self.i)
                if found is None:
                    raise _Unreadable
                part = found.group()
                self.i = found.end()
            parts.append(part)
            self._skip_blank()
            if self.i < len(self.text) and self.text[self.i] == ".":
                self.i += 1
                continue
            return tuple(parts)

    def _string(self) -> str:
        text = self.text
        quote = text[self.i]
        if text.startswith(quote * 3, self.i):
            end = self._find_closing(quote * 3, self.i + 3, quote == '"')
            extra = 0
            while extra < 2 and text.startswith(quote, end + 3 + extra):
                extra += 1  # up to two quotes right before the closing ones are content
            end += extra
            raw = text[self.i + 3 : end]
            self.i = end + 3
            raw = raw[1:] if raw.startswith("\n") else raw[2:] if raw.startswith("\r\n") else raw
            return _unescape(raw, multiline=True) if quote == '"' else raw
        end = self._find_closing(quote, self.i + 1, quote == '"')
        raw = text[self.i + 1 : end]
        if "\n" in raw:
            raise _Unreadable
        self.i = end + 1
        return _unescape(raw, multiline=False) if quote == '"' else raw

    def _find_closing(self, closing: str, start: int, escapes: bool) -> int:
        text, i = self.text, start
        while True:
            end = text.find(closing, i)
            if end < 0:
                raise _Unreadable
            if not escapes:
                return end
            backslashes = 0
            while end - backslashes - 1 >= start and text[end - backslashes - 1] == "\\":
                backslashes += 1
            if backslashes % 2 == 0:
                return end
            i = end + 1

    def _value(self, depth: int) -> Any:
        if depth > _MAX_DEPTH or self.i >= len(self.text):
            raise _Unreadable
        char = self.text[self.i]
        if char in "\"'":
            return self._string()
        if char == "[":
            return self._array(depth)
        if char == "{":
            return self._inline_table(depth)
        found = _SCALAR.match(self.text, self.i)
        if found is None:
            raise _Unreadable
        self.i = found.end()
        return _NOTHING  # numbers, booleans, dates: not needed here

    def _array(self, depth: int) -> list[Any]:
        self.i += 1
        items = []
        while True:
            self._skip_blank(newlines=True)
            if self.i >= len(self.text):
                raise _Unreadable
            if self.text[self.i] == "]":
                self.i += 1
                return items
            items.append(self._value(depth + 1))
            self._skip_blank(newlines=True)
            if self.i < len(self.text) and self.text[self.i] == ",":
                self.i += 1
            elif not (self.i < len(self.text) and self.text[self.i] == "]"):
                raise _Unreadable

    def _inline_table(self, depth: int) -> dict[str, Any]:
        self.i += 1
        table: dict[str, Any] = {}
        while True:
            self._skip_blank(newlines=True)  # TOML 1.1: newlines and comments inside
            if self.i >= len(self.text):
                raise _Unreadable
            if self.text[self.i] == "}":
                self.i += 1
                return table
            key = self._key()
            self._skip_blank()
            if self.i >= len(self.text) or self.text[self.i] != "=":
                raise _Unreadable
            self.i += 1
            self._skip_blank()
            value = self._value(depth + 1)
            if len(key) == 1:
                table[key[0]] = value
            self._skip_blank(newlines=True)
            if self.i < len(self.text) and self.text[self.i] == ",":
                self.i += 1  # TOML 1.1: a trailing comma is allowed
            elif not (self.i < len(self.text) and self.text[self.i] == "}"):
                raise _Unreadable


def _unescape(raw: str, *, multiline: bool) -> str:
    if "\\" not in raw:
        return raw  # nearly every string of a lock: nothing to undo, no loop over its characters
    out: list[str] = []
    i, n = 0, len(raw)
    while i < n:
        char = raw[i]
        if char != "\\" or i + 1 >= n:
            out.append(char)
            i += 1
            continue
        nxt = raw[i + 1]
        if nxt in _ESCAPES:
            out.append(_ESCAPES[nxt])
            i += 2
        elif nxt in "uUx":
            width = {"u": 4, "U": 8, "x": 2}[nxt]
            digits = raw[i + 2 : i + 2 + width]
            try:
                out.append(chr(int(digits, 16)))
            except (ValueError, OverflowError):
                out.append(raw[i : i + 2 + width])
            i += 2 + width
        elif multiline and nxt in " \t\r\n":  # a line-ending backslash trims the following whitespace
            j = i + 1
            while j < n and raw[j] in " \t\r\n":
                j += 1
            i = j
        else:
            out.append(char)
            i += 1
    return "".join(out)
