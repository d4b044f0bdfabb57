"""Turn fix intents into text edits, show them as a diff, apply them atomically.

Checks say *what* to change (`Fix.intent`): replace a requirement, add one to a
set, remove one. This module, at the I/O edge, reads the files and turns each
intent into byte-exact `Edit`s that keep every other byte of the file: quote
style, indentation, trailing commas, comments, CRLF, a UTF-8 BOM.

Intents:
  ("replace", path, line, column, end_line, end_column, text)   the requirement's own span
  ("add", set_path, key_line, key_column, requirement)          append to the set's file / TOML array
  ("remove", path, line, column, end_line, end_column)           drop the requirement (its line when alone)
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from depcheck.model import Applicability, Edit

if TYPE_CHECKING:
    from collections.abc import Iterable

    from depcheck.model import Diagnostic


class _File:
    """A file's text split into lines that keep their endings, and how it was encoded."""

    def __init__(self, path: Path) -> None:
        data = path.read_bytes()
        self.bom = data.startswith(b"\xef\xbb\xbf")
        self.text = data[3:].decode("utf-8") if self.bom else data.decode("utf-8")
        self.lines = self.text.splitlines(keepends=True)
        self.newline = "\r\n" if "\r\n" in self.text else "\n"

    def offset(self, line: int, column: int) -> int:
        return sum(len(x) for x in self.lines[: line - 1]) + column - 1

    def position(self, offset: int) -> tuple[int, int]:
        line = self.text.count("\n", 0, offset) + 1
        start = self.text.rfind("\n", 0, offset) + 1
        return line, offset - start + 1


def plan(root: Path, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """The diagnostics with their intents turned into edits (those that cannot be planned keep none)."""
    cache: dict[str, _File | None] = {}

    def load(path: str) -> _File | None:
        if path not in cache:
            try:
                cache[path] = _File(root / path)
            except (OSError, UnicodeDecodeError):
                cache[path] = None
        return cache[path]

    planned = []
    for diagnostic in diagnostics:
        fix = diagnostic.fix
        if fix is None or not fix.intent or fix.edits:
            planned.append(diagnostic)
            continue
        edits = _edits(fix.intent, load)
        planned.append(replace(diagnostic, fix=replace(fix, edits=edits)) if edits else diagnostic)
    return planned


def _edits(intent: tuple, load) -> tuple[Edit, ...]:  # type: ignore[no-untyped-def, type-arg]
    kind, path = intent[0], intent[1]
    file = load(path)
    if file is None:
        return ()
    if kind == "replace":
        _, _, line, column, end_line, end_column, text = intent
        old = file.text[file.offset(line, column) : file.offset(end_line, end_column)]
        if old[:1] in "\"'" and old[-1:] == old[:1]:  # a TOML/Python string literal: keep its quotes
            text = f"{old[0]}{text}{old[0]}"
        return (Edit(path=path, line=line, column=column, end_line=end_line, end_column=end_column, content=text),)
    if kind == "remove":
        _, _, line, column, end_line, end_column = intent
        return _remove(file, path, line, column, end_line, end_column)
    if kind == "add":
        _, _, key_line, key_column, requirement = intent
        if path.endswith(".toml"):
            return _add_to_array(file, path, key_line, key_column, requirement)
        return _append_line(file, path, requirement)
    return ()


def _append_line(file: _File, path: str, requirement: str) -> tuple[Edit, ...]:
    if not file.lines:
        return (Edit(path=path, line=1, column=1, end_line=1, end_column=1, content=requirement + file.newline),)
    last = len(file.lines)
    last_text = file.lines[-1]
    if last_text.endswith(("\n", "\r")):
        return (Edit(path=path, line=last + 1, column=1, end_line=last + 1, end_column=1, content=requirement + file.newline),)
    column = len(last_text) + 1
    return (Edit(path=path, line=last, column=column, end_line=last, end_column=column, content=file.newline + requirement + file.newline),)


def _add_to_array(file: _File, path: str, key_line: int, key_column: int, requirement: str) -> tuple[Edit, ...]:
    from depcheck.parsers.toml_positions import scan

    positions = scan(file.text)
    keypath = next((k for k, p in positions.keys.items() if (p.line, p.column) == (key_line, key_column)), None)
    array = positions.values.get(keypath) if keypath is not None else None
    if array is None:
        return ()
    elements = sorted(
        (k[-1], p) for k, p in positions.values.items() if len(k) == len(keypath) + 1 and k[:-1] == keypath and isinstance(k[-1], int)
    )
    strings = [p for _, p in elements]
    if not strings:  # `[]`: write it inline
        end = file.offset(array.end_line, array.end_column) - 1
        line, column = file.position(end)
        return (Edit(path=path, line=line, column=column, end_line=line, end_column=column, content=f'"{requirement}"'),)
    last = strings[-1]
    last_text = file.text[file.offset(last.line, last.column) : file.offset(last.end_line, last.end_column)]
    quote = last_text[0] if last_text[:1] in "\"'" else '"'
    literal = f"{quote}{requirement}{quote}"
    after_last = file.offset(last.end_line, last.end_column)
    closing = file.offset(array.end_line, array.end_column) - 1  # the `]`
    between = file.text[after_last:closing]
    comma = between.find(",")
    line, column = file.position(after_last)
    if array.line == array.end_line:  # inline: ["a", "b"] -> ["a", "b", "new"]
        return (Edit(path=path, line=line, column=column, end_line=line, end_column=column, content=f", {literal}"),)
    indent = " " * (last.column - 1)
    if comma >= 0 and "\n" not in between[:comma]:  # trailing comma style: add `"new",` on its own line
        line_end = file.text.find("\n", after_last + comma)
        if line_end == -1 or line_end > closing:
            insert_at = after_last + comma + 1
        else:
            insert_at = line_end - 1 if file.text[line_end - 1] == "\r" else line_end  # after any comment, before CRLF
        line, column = file.position(insert_at)
        return (Edit(path=path, line=line, column=column, end_line=line, end_column=column, content=f"{file.newline}{indent}{literal},"),)
    return (Edit(path=path, line=line, column=column, end_line=line, end_column=column, content=f",{file.newline}{indent}{literal}"),)


def _remove(file: _File, path: str, line: int, column: int, end_line: int, end_column: int) -> tuple[Edit, ...]:
    start = file.offset(line, column)
    end = file.offset(end_line, end_column)
    line_start = file.text.rfind("\n", 0, start) + 1
    line_end = file.text.find("\n", end)
    line_end = len(file.text) if line_end == -1 else line_end + 1
    before = file.text[line_start:start]
    after = file.text[end:line_end]
    if not before.strip() and re.fullmatch(r"\s*,?\s*(#.*)?\s*", after):
        # alone on its line (with its comma and comment): drop the whole line
        first = file.position(line_start)
        last = file.position(line_end)
        return (Edit(path=path, line=first[0], column=first[1], end_line=last[0], end_column=last[1], content=""),)
    if after.lstrip().startswith(","):  # "a", "b" -> drop `"a", `
        stop = end + (len(after) - len(after.lstrip())) + 1
        while stop < len(file.text) and file.text[stop] == " ":
            stop += 1
        s_line, s_column = file.position(stop)
        return (Edit(path=path, line=line, column=column, end_line=s_line, end_column=s_column, content=""),)
    comma = file.text.rfind(",", 0, start)
    if comma >= line_start:  # last element of an inline array: drop `, "b"`
        c_line, c_column = file.position(comma)
        return (Edit(path=path, line=c_line, column=c_column, end_line=end_line, end_column=end_column, content=""),)
    return ()


def apply_edits(root: Path, diagnostics: Iterable[Diagnostic], unsafe: bool) -> dict[str, tuple[str, str]]:
    """New texts for every file the applicable fixes touch: {path: (old, new)}. Nothing is written."""
    by_file: dict[str, list[Edit]] = {}
    for diagnostic in sorted(diagnostics, key=lambda d: d.sort_key()):
        fix = diagnostic.fix
        if fix is None or not fix.edits:
            continue
        if fix.applicability is Applicability.UNSAFE and not unsafe:
            continue
        if fix.applicability is Applicability.DISPLAY_ONLY:
            continue
        for edit in fix.edits:
            by_file.setdefault(edit.path, []).append(edit)
    changes: dict[str, tuple[str, str]] = {}
    for path, edits in by_file.items():
        try:
            file = _File(root / path)
        except (OSError, UnicodeDecodeError):
            continue
        text = file.text
        taken: list[tuple[int, int]] = []
        spans = []
        for edit in edits:
            start, end = file.offset(edit.line, edit.column), file.offset(edit.end_line, edit.end_column)
            # overlapping edits: the first in (path, line, column, code) order wins; identical ones once
            if any(start < e and s < end or (start == s == end == e) for s, e in taken):
                continue
            if any((s, e, c) == (start, end, edit.content) for s, e, c in spans):
                continue
            taken.append((start, end))
            spans.append((start, end, edit.content))
        for start, end, content in sorted(spans, key=lambda x: (x[0], x[1]), reverse=True):
            text = text[:start] + content + text[end:]
        if text != file.text:
            changes[path] = (("\ufeff" if file.bom else "") + file.text, ("\ufeff" if file.bom else "") + text)
    return changes


def unified_diff(changes: dict[str, tuple[str, str]]) -> str:
    import difflib  # only --diff needs it; plan() runs on every check

    out = []
    for path in sorted(changes):
        old, new = changes[path]
        out.extend(
            difflib.unified_diff(
                old.lstrip("\ufeff").splitlines(keepends=True),
                new.lstrip("\ufeff").splitlines(keepends=True),
                fromfile=f"a/{path}",
                tofile=f"b/{path}",
            )
        )
    return "".join(line if line.endswith("\n") else line + "\n" for line in out)


def write(root: Path, changes: dict[str, tuple[str, str]]) -> None:
    """Atomically: a temporary file beside the target, its mode kept, renamed over it."""
    import tempfile  # only --fix writes; plan() runs on every check

    for path, (_, new) in sorted(changes.items()):
        target = root / path
        mode = target.stat().st_mode
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".depcheck")
        try:
            with os.fdopen(handle, "wb") as stream:
                data = new.encode("utf-8")
                if new.startswith("\ufeff"):
                    data = b"\xef\xbb\xbf" + new[1:].encode("utf-8")
                stream.write(data)
            os.chmod(temporary, mode & 0o7777)
            os.replace(temporary, target)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise
