"""Where things are in a TOML document: line/column spans for every key path.

`tomllib` returns values only, but every finding must point at a line and a
column.  This module is a small scanner over TOML text that records, for each
key path, where its value (and its key) were written.  It is meant to run on
text `tomllib` already accepted, yet it never raises: on anything it cannot
follow it stops and returns what it has recorded so far.

Key paths are tuples as `tomllib` would index the parsed document:
``("project", "dependencies", 0)`` is the first element of the
``dependencies`` array under ``[project]``; ``("tool", "x", 1, "y")`` is key
``y`` of the second ``[[tool.x]]`` table.

Conventions (all 1-based; columns count characters, not bytes):

* A value's span starts at its first character (the opening quote of a
  string, ``[`` of an array, ``{`` of an inline table) and ends just past its
  last character (``end_column`` is exclusive), so for a value on one line
  ``line_text[column - 1:end_column - 1]`` is exactly its literal.
* A table opened by a header (``[a.b]`` / ``[[a.b]]``) has as its value span
  the whole header, brackets included.  An array of tables' own path
  (``("a", "b")``) gets the span of its first header.
* Key spans cover the whole (possibly dotted, possibly quoted) key as written:
  ``a . "b.c"`` for ``a . "b.c" = 1``; for a header, the key inside brackets.
  Tables that only exist implicitly (``a`` in ``[a.b]`` or ``a.b = 1``) get
  the key span of their first mention.
* ``line_text`` is the physical line the span starts on (no line ending);
  ``comment`` is the comment (``# ...``, trailing whitespace stripped) on the
  physical line where the span ends, or ``""``.
"""

from __future__ import annotations

import bisect
import re
from typing import Dict, List, Tuple, Union

from depcheck.model import Span, frozen

KeyPath = Tuple[Union[str, int], ...]

_BARE_KEY_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_WS = " \t"
_SCALAR_STOP = frozenset(",]}#\n")  # a bare scalar (number, bool, date) ends before one of these


@frozen
class TomlPos:
    """Where a TOML value (or key) was written. See the module docstring."""

    line: int
    column: int
    end_line: int
    end_column: int
    line_text: str = ""
    comment: str = ""

    def span(self, path: str) -> Span:
        return Span(
            path=path,
            line=self.line,
            column=self.column,
            end_line=self.end_line,
            end_column=self.end_column,
        )


@frozen
class TomlPositions:
    """Everything `scan` found: value spans and key spans, by key path."""

    values: Dict[KeyPath, TomlPos]
    keys: Dict[KeyPath, TomlPos]


def locate(text: str) -> dict[KeyPath, TomlPos]:
    """The span of every value in `text`, by key path (see `scan`)."""
    return scan(text).values


def scan(text: str) -> TomlPositions:
    """Value and key spans of a TOML document. Never raises."""
    scanner = _Scanner(text)
    try:
        scanner.document()
    except Exception:  # noqa: BLE001 - documented: return what was recorded
        pass
    return scanner.result()


class _Stop(Exception):
    """The text is not TOML this scanner can follow; stop scanning."""


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.n = len(text)
        self.i = 0
        self.lines = text.split("\n")
        self.line_starts: List[int] = [0] + [match.end() for match in re.finditer("\n", text)]
        self.comments: Dict[int, str] = {}  # line -> comment text
        # Spans as (start index, end index) until the end, when lines are known.
        self.values: Dict[KeyPath, Tuple[int, int]] = {}
        self.keys: Dict[KeyPath, Tuple[int, int]] = {}
        self.aot_index: Dict[KeyPath, int] = {}
        self.table: KeyPath = ()

    # ---- results -------------------------------------------------------------

    def _point(self, index: int) -> Tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, index)  # 1-based
        return line, index - self.line_starts[line - 1] + 1

    def _pos(self, start: int, end: int) -> TomlPos:
        line, column = self._point(start)
        end_line, end_column = self._point(end)
        line_text = self.lines[line - 1].rstrip("\r") if line - 1 < len(self.lines) else ""
        return TomlPos(
            line=line,
            column=column,
            end_line=end_line,
            end_column=end_column,
            line_text=line_text,
            comment=self.comments.get(end_line, ""),
        )

    def result(self) -> TomlPositions:
        return TomlPositions(
            values={path: self._pos(*span) for path, span in self.values.items()},
            keys={path: self._pos(*span) for path, span in self.keys.items()},
        )

    # ---- low level -------------------------------------------------------------

    def peek(self, offset: int = 0) -> str:
        index = self.i + offset
        return self.text[index] if index < self.n else ""

    def startswith(self, token: str) -> bool:
        return self.text.startswith(token, self.i)

    def skip_ws(self) -> None:
        while self.i < self.n and self.text[self.i] in _WS:
            self.i += 1

    def skip_comment(self) -> None:
        if self.peek() != "#":
            return
        end = self.text.find("\n", self.i)
        if end < 0:
            end = self.n
        line, _ = self._point(self.i)
        self.comments[line] = self.text[self.i : end].rstrip(" \t\r")
        self.i = end

    def skip_newline(self) -> bool:
        if self.startswith("\r\n"):
            self.i += 2
            return True
        if self.peek() == "\n":
            self.i += 1
            return True
        return False

    def skip_blank(self) -> None:
        """Whitespace, comments and newlines (inside arrays, inline tables, between lines)."""
        while self.i < self.n:
            start = self.i
            self.skip_ws()
            self.skip_comment()
            self.skip_newline()
            if self.peek() == "\r":  # a stray CR (not TOML, but never loop forever)
                self.i += 1
            if self.i == start:
                return

    def expect(self, token: str) -> None:
        if not self.startswith(token):
            raise _Stop
        self.i += len(token)

    # ---- document structure ----------------------------------------------------------

    def document(self) -> None:
        while True:
            self.skip_blank()
            if self.i >= self.n:
                return
            start = self.i
            if self.startswith("[["):
                self.array_table_header()
            elif self.peek() == "[":
                self.table_header()
            else:
                self.key_value(self.table)
            self.skip_ws()
            self.skip_comment()
            if self.i < self.n and not self.skip_newline():
                raise _Stop
            if self.i == start:
                raise _Stop

    def _resolve(self, parts: List[str]) -> KeyPath:
        """Header key parts to a path, entering the current element of any array of tables."""
        path: KeyPath = ()
        for part in parts:
            path = path + (part,)
            if path in self.aot_index:
                path = path + (self.aot_index[path],)
        return path

    def table_header(self) -> None:
        start = self.i
        self.expect("[")
        self.skip_ws()
        parts, key_start, key_end, prefixes = self.key()
        self.skip_ws()
        self.expect("]")
        path = self._resolve(parts)
        self._note_prefixes(self._resolve_prefixes(parts, prefixes))
        self.keys[path] = (key_start, key_end)
        self.values[path] = (start, self.i)
        self.table = path

    def array_table_header(self) -> None:
        start = self.i
        self.expect("[[")
        self.skip_ws()
        parts, key_start, key_end, prefixes = self.key()
        self.skip_ws()
        self.expect("]]")
        array_path = self._resolve(parts[:-1]) + (parts[-1],)
        index = self.aot_index.get(array_path, -1) + 1
        self.aot_index[array_path] = index
        self._note_prefixes(self._resolve_prefixes(parts[:-1], prefixes[:-1]))
        self.keys.setdefault(array_path, (key_start, key_end))
        self.values.setdefault(array_path, (start, self.i))
        path = array_path + (index,)
        self.keys[path] = (key_start, key_end)
        self.values[path] = (start, self.i)
        self.table = path

    def _resolve_prefixes(
        self, parts: List[str], prefixes: List[Tuple[int, int]]
    ) -> List[Tuple[KeyPath, Tuple[int, int]]]:
        return [(self._resolve(parts[: k + 1]), prefixes[k]) for k in range(min(len(parts), len(prefixes)))]

    def _note_prefixes(self, prefixes: List[Tuple[KeyPath, Tuple[int, int]]]) -> None:
        for path, span in prefixes:
            self.keys.setdefault(path, span)

    def key_value(self, table: KeyPath) -> None:
        parts, key_start, key_end, prefixes = self.key()
        self.skip_ws()
        self.expect("=")
        self.skip_ws()
        path = table + tuple(parts)
        self._note_prefixes([(table + tuple(parts[: k + 1]), prefixes[k]) for k in range(len(parts) - 1)])
        self.keys[path] = (key_start, key_end)
        self.value(path)

    def key(self) -> Tuple[List[str], int, int, List[Tuple[int, int]]]:
        """A dotted key: its parts, its span, and the span up to the end of each part."""
        start = self.i
        parts: List[str] = []
        prefixes: List[Tuple[int, int]] = []
        while True:
            parts.append(self.simple_key())
            prefixes.append((start, self.i))
            after = self.i
            self.skip_ws()
            if self.peek() == ".":
                self.i += 1
                self.skip_ws()
                continue
            self.i = after
            return parts, start, after, prefixes

    def simple_key(self) -> str:
        char = self.peek()
        if char == '"':
            start = self.i
            self.basic_string()
            return _unescape_basic(self.text[start + 1 : self.i - 1])
        if char == "'":
            start = self.i
            self.literal_string()
            return self.text[start + 1 : self.i - 1]
        start = self.i
        while self.i < self.n and self.text[self.i] in _BARE_KEY_CHARS:
            self.i += 1
        if self.i == start:
            raise _Stop
        return self.text[start : self.i]

    # ---- values --------------------------------------------------------------------

    def value(self, path: KeyPath) -> None:
        start = self.i
        char = self.peek()
        if char == '"':
            if self.startswith('"""'):
                self.multiline_string('"')
            else:
                self.basic_string()
        elif char == "'":
            if self.startswith("'''"):
                self.multiline_string("'")
            else:
                self.literal_string()
        elif char == "[":
            self.array(path)
        elif char == "{":
            self.inline_table(path)
        else:
            self.scalar()
        self.values[path] = (start, self.i)

    def basic_string(self) -> None:
        self.expect('"')
        while self.i < self.n:
            char = self.text[self.i]
            if char == "\\":
                self.i += 2
            elif char == '"':
                self.i += 1
                return
            elif char == "\n":
                raise _Stop
            else:
                self.i += 1
        raise _Stop

    def literal_string(self) -> None:
        self.expect("'")
        end = self.text.find("'", self.i)
        newline = self.text.find("\n", self.i)
        if end < 0 or (0 <= newline < end):
            raise _Stop
        self.i = end + 1

    def multiline_string(self, quote: str) -> None:
        self.expect(quote * 3)
        while self.i < self.n:
            char = self.text[self.i]
            if char == "\\" and quote == '"':
                self.i += 2
            elif char == quote:
                run = self.i
                while self.i < self.n and self.text[self.i] == quote:
                    self.i += 1
                if self.i - run >= 3:
                    # up to two quotes may sit just before the closing delimiter
                    return
            else:
                self.i += 1
        raise _Stop

    def scalar(self) -> None:
        start = self.i
        while self.i < self.n and self.text[self.i] not in _SCALAR_STOP:
            self.i += 1
        # trailing blanks (and a CR before the newline) are not part of the value
        while self.i > start and self.text[self.i - 1] in " \t\r":
            self.i -= 1
        if self.i == start:
            raise _Stop

    def array(self, path: KeyPath) -> None:
        self.expect("[")
        index = 0
        while True:
            self.skip_blank()
            if self.peek() == "]":
                self.i += 1
                return
            if self.i >= self.n:
                raise _Stop
            self.value(path + (index,))
            index += 1
            self.skip_blank()
            if self.peek() == ",":
                self.i += 1
            elif self.peek() == "]":
                self.i += 1
                return
            else:
                raise _Stop

    def inline_table(self, path: KeyPath) -> None:
        self.expect("{")
        while True:
            self.skip_blank()  # TOML 1.1 allows newlines and comments here
            if self.peek() == "}":
                self.i += 1
                return
            if self.i >= self.n:
                raise _Stop
            self.key_value(path)
            self.skip_blank()
            if self.peek() == ",":
                self.i += 1
            elif self.peek() == "}":
                self.i += 1
                return
            else:
                raise _Stop


_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\", "e": "\x1b"}


def _unescape_basic(body: str) -> str:
    """The value of a one-line basic string body (used for quoted keys)."""
    if "\\" not in body:
        return body
    out: List[str] = []
    i = 0
    while i < len(body):
        char = body[i]
        if char != "\\":
            out.append(char)
            i += 1
            continue
        code = body[i + 1 : i + 2]
        if code in _ESCAPES:
            out.append(_ESCAPES[code])
            i += 2
        elif code in ("u", "U", "x"):
            width = {"u": 4, "U": 8, "x": 2}[code]
            digits = body[i + 2 : i + 2 + width]
            try:
                out.append(chr(int(digits, 16)))
            except ValueError:
                out.append(body[i : i + 2 + width])
            i += 2 + width
        else:
            out.append(body[i : i + 2])
            i += 2
    return "".join(out)
