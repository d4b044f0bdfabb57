"""The fast path: parse only the statements that can hold what the scan looks for.

Most of a file is the bodies of classes and functions that import nothing and
name no driver, and `ast.parse` of whole files was three quarters of a cold run.
`skeleton` keeps the statements that hold the word `import` (outside strings and
comments) or a place the caller names (`strings.places`: where a URL, a setting
or a call of interest could be), and blanks every other line, so lines and
columns are unchanged. Inside a long `class`, `def` or `with` it
does the same again with the body's statements, keeping the header (and a
`pass` for a body of which nothing is wanted).

Why the result is what parsing the whole file gives: an import's flags come
from the statements around it (`if TYPE_CHECKING:`, `try:` with its handlers,
`def`), and those are kept whole, or as a header with the statement below it; a
string hit depends only on the statement that holds it. Blanking a whole
statement never changes another one.

A statement starts at a line whose indentation is the block's, outside strings
and comments (from `imports.mask`) and brackets (counted between candidate
lines), after a line that does not end in a backslash, with a name, keyword or
`@` (decorators stay with what they decorate); `else`, `elif`, `except` and
`finally` continue the statement before them. A line that starts something
else (a string, a bracket) belongs to the statement before it, which is always
safe. If a cut is wrong anyway, what is left does not parse, and the caller
parses the whole file.

The tests compare this path with whole-file parsing on the standard library
and generated code (`tests/unit/scan/test_imports.py`, `test_source.py`) and
pin what is kept (`test_skeleton.py`); `benchmarks/differential.py` does the
comparison file by file on the benchmark trees and any folder given to it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import TYPE_CHECKING

from depcheck.scan.imports import mask
from depcheck.scan.strings import starts_word

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["skeleton"]

_IMPORT_WORD = re.compile(r"import(?!\w)")  # and no word character before: see `_import_words`
_CONTINUES = r"(?!(?:else|elif|except|finally)(?!\w))"
_STARTS: dict[str, re.Pattern[str]] = {}  # indentation -> the line starts of statements at it
_FIRST_CODE = re.compile(r"(?:\r\n|\r|\n)([ \t\x0c]*)(?=[^ \t\x0c\r\n])")
_DEF = re.compile(r"(?:@|(?:async[ \t]+)?(?:def|with)(?!\w)|class(?!\w))")  # one body, no clauses
_NARROW = 1000  # characters: a shorter class, def or with is kept whole, its cut would cost more than it saves


def _import_words(text: str) -> Iterator[int]:
    """Offsets of the word `import` (a look-behind in the regex makes `re` try every position)."""
    for m in _IMPORT_WORD.finditer(text):
        if starts_word(text, m.start()):
            yield m.start()


def skeleton(text: str, places: list[int] | None = None) -> str | None:
    """`text` with only the statements that hold an import or one of `places` (offsets) left; lines kept.

    "" when nothing is left; None when the text could not be read for cutting.
    Strings and comments are masked only up to the first statement after the
    last offset that matters: past it, nothing is kept.
    """
    last = max(places[-1] if places else -1, max(_import_words(text), default=-1))
    if last < 0:
        return ""
    masked = mask(text, stop=last)
    end = len(masked)
    hits = [at for at in _import_words(masked) if at < end]
    if places:
        hits = sorted(hits + [at for at in places if at < end])
    if not hits:
        return ""
    cutter = _Cutter(text, masked, hits)
    cutter.cut(0, end, "")
    pieces: list[str] = []
    done = 0
    for start, stop, filler in cutter.kept:
        pieces.append("\n" * _breaks(text, done, start))
        pieces.append(text[start:stop] if filler is None else filler + "pass" + "\n" * _breaks(text, start, stop))
        done = stop
    return "".join(pieces)


class _Cutter:
    def __init__(self, text: str, masked: str, hits: list[int]) -> None:
        self.text = text
        self.masked = masked
        self.hits = hits
        self.kept: list[tuple[int, int, str | None]] = []  # (start, end, indentation of a `pass` put there)

    def cut(self, start: int, end: int, indent: str) -> None:
        """Keep the wanted statements of the block in [start, end) whose statements are indented by `indent`."""
        starts = self.statements(start, end, indent)
        starts.append(end)
        for a, b in zip(starts, starts[1:]):
            if not self.wanted(a, b):
                continue
            if b - a > _NARROW and _DEF.match(self.masked, a + len(indent)) and self.narrow(a, b, indent):
                continue
            self.kept.append((a, b, None))

    def wanted(self, start: int, end: int) -> bool:
        i = bisect_left(self.hits, start)
        return i < len(self.hits) and self.hits[i] < end

    def narrow(self, start: int, end: int, indent: str) -> bool:
        """Keep the header of the class, def or with in [start, end) and its wanted body statements.

        When no statement of the body is wanted (what is wanted is in the header:
        a decorator, a default, a context manager), the first one becomes `pass`.
        False (keep it whole) when it has no body on lines of its own.
        """
        masked = self.masked
        depth, previous = 0, start
        for m in _FIRST_CODE.finditer(masked, start, end):
            line = m.start(1)
            depth += _depth(masked, previous, line)
            previous = line
            if depth or masked[m.start() - 1 : m.start()] == "\\":
                continue
            body = m.group(1)
            if len(body) <= len(indent) or not body.startswith(indent):
                continue  # the def line after its decorators
            header = len(self.kept)
            self.kept.append((start, line, None))
            self.cut(line, end, body)
            if len(self.kept) == header + 1:
                first = self.statements(line, end, body)
                self.kept.append((line, first[1] if len(first) > 1 else end, body))
            return True
        return False

    def statements(self, start: int, end: int, indent: str) -> list[int]:
        """Where the statements indented by `indent` start in [start, end); `start` is one."""
        pattern = _STARTS.get(indent)
        if pattern is None:
            pattern = _STARTS[indent] = re.compile(r"(?:\r\n|\r|\n)" + re.escape(indent) + r"(?=[A-Za-z_@])" + _CONTINUES)
        masked = self.masked
        starts = [start]
        decorating = masked.startswith("@", start + len(indent))
        depth, previous = 0, start
        for m in pattern.finditer(masked, start, end):
            line = m.end() - len(indent)
            depth += _depth(masked, previous, line)
            previous = line
            if depth or masked[m.start() - 1 : m.start()] == "\\":
                continue
            first = masked[m.end()]
            if decorating:  # a decorator's statement runs to the end of what it decorates
                decorating = first == "@"
                continue
            decorating = first == "@"
            starts.append(line)
        return starts


def _depth(masked: str, start: int, end: int) -> int:
    count = masked.count
    return (
        count("(", start, end) + count("[", start, end) + count("{", start, end)
        - count(")", start, end) - count("]", start, end) - count("}", start, end)
    )  # fmt: skip


def _breaks(text: str, start: int, end: int) -> int:
    """Line breaks in text[start:end], as `ast` and `_NEWLINE` count them (\\r\\n is one)."""
    if start >= end:
        return 0
    return text.count("\n", start, end) + text.count("\r", start, end) - text.count("\r\n", start, end)
