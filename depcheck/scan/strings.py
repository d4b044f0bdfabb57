"""Strings in the code that name what it needs at run time: URL schemes, settings, calls.

From the tree `ast.parse` built (the walk is `imports.walk`, shared with the
import scan, so a file is walked once):

- "url": every `scheme://` in a string literal, f-strings' literal parts
  included; the scheme lowercased. Web and file schemes (http, https, ftp, ftps,
  file, mailto, data) are left out; the consumer picks the ones it knows.
- "setting": the string given to a Django-style `"ENGINE"` / `"BACKEND"` key (a
  dict literal, `X["ENGINE"] = ...`, `dict(ENGINE=...)`) or assigned to a name
  like `ENGINE`, `SESSION_ENGINE`, `EMAIL_BACKEND`, `CELERY_RESULT_BACKEND`,
  `result_backend`. A value read from the environment counts by its literal
  default: `os.environ.get("DB_ENGINE", "django.db.backends.postgresql")`,
  `config("X", default="...")` (the `default=` keyword, or the last of two or
  more positional arguments).
- "call": a call of a function or method whose name the caller asked for.

Docstrings and other string-only statements are skipped: an example URL in
documentation is not a need. A hit is placed at its literal (an f-string's
parts at the f-string), a call at the called name.

`read_strings` does the same over `imports.lex`'s masked text when the file
cannot be parsed: URL schemes from the string literals, `"ENGINE": "..."` pairs,
assignments of one literal, and calls by name.
"""

from __future__ import annotations

import ast
import re
import warnings
from bisect import bisect_left
from typing import TYPE_CHECKING, Callable

from depcheck.scan import StringHit
from depcheck.scan.imports import char_column, line_starts, logical_lines, position, walk

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from depcheck.scan.imports import Lexed

__all__ = ["StringCollector", "occurrences", "places", "read_strings", "scan_strings", "starts_word", "wanted"]

_WEB_SCHEMES = frozenset({"http", "https", "ftp", "ftps", "file", "mailto", "data"})
_KEYS = frozenset({"ENGINE", "BACKEND"})
_SETTING_NAME = re.compile(r"(?:[A-Z][A-Z0-9_]*_)?(?:ENGINE|BACKEND)|(?:[a-z][a-z0-9_]*_)?result_backend")


def wanted(text: str, calls: frozenset[str] = frozenset()) -> bool:
    """Can `text` hold a hit at all? A cheap test that spares the walk over expressions.

    It runs on every file, so each test is a substring search or a regex that
    starts with a literal (a leading look-behind or `^` makes `re` try every
    position: ten times slower on pandas).
    """
    return (
        any(True for _ in _foreign_schemes(text))
        or "ENGINE" in text
        or "BACKEND" in text
        or "result_backend" in text
        or _UPPER_LIST.match(text) is not None
        or _UPPER_LIST_LINE.search(text) is not None
        or any(True for _ in _dialects(text))
        or (bool(calls) and any(True for _ in _calls(text, calls)))
    )


def places(text: str, calls: frozenset[str] = frozenset()) -> list[int]:
    """Offsets in `text` of everything a hit can come from; every statement that holds a hit holds one.

    `wanted` decides whether a file's strings are read at all; in a file whose
    strings are, `skeleton` keeps only the statements that hold one of these.
    """
    found = [*_foreign_schemes(text), *_dialects(text), *_upper_assignments(text)]
    for word in ("ENGINE", "BACKEND", "result_backend"):
        found.extend(occurrences(text, word))
    if calls:
        found.extend(_calls(text, calls))
    return sorted(found)


def occurrences(text: str, word: str) -> list[int]:
    """Every offset of `word` in `text`."""
    found = []
    at = text.find(word)
    while at >= 0:
        found.append(at)
        at = text.find(word, at + len(word))
    return found


def starts_word(text: str, start: int) -> bool:
    """No name character just before `start` (what a leading look-behind would say, without its cost)."""
    return not start or not (text[start - 1].isalnum() or text[start - 1] == "_")


# An UPPER_CASE name (or attribute) assigned to, or annotated: `X = `, `X += `, `X: T = `, `self.X = `.
# Keyword arguments (`f(X=...)`) match too: only a parse tells them apart, and a superset is what is needed.
_UPPER_TARGET = re.compile(r"[A-Z][A-Z0-9_]*[ \t)\\\r\n]*(?::|(?:[-+*/%&|^@]|//|>>|<<|\*\*)?=(?!=))")


def _upper_assignments(text: str) -> Iterator[int]:
    """What `StringCollector._assign` reads module paths from: an UPPER_CASE target (and a string somewhere).

    The offset of the name, which is in the statement that assigns to it.
    """
    if '"' not in text and "'" not in text:
        return
    for m in _UPPER_TARGET.finditer(text):
        if starts_word(text, m.start()):
            yield m.start()


_CALL_PATTERNS: dict[frozenset[str], list[tuple[str, re.Pattern[str]]]] = {}


def _calls(text: str, calls: frozenset[str]) -> Iterator[int]:
    """Calls of one of `calls`: the (last) name, then `(` (after blanks, a comment or a line continuation).

    Not just the name: "form" is in every file that says "format".
    """
    patterns = _CALL_PATTERNS.get(calls)
    if patterns is None:
        names = {name.rpartition(".")[2] for name in calls}
        patterns = _CALL_PATTERNS[calls] = [
            (name, re.compile(re.escape(name) + r"(?:\s|\\|#[^\r\n]*)*\(")) for name in sorted(names)
        ]
    for name, pattern in patterns:
        if name in text:
            for m in pattern.finditer(text):
                if starts_word(text, m.start()):
                    yield m.start()


_SCHEME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-_")
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _foreign_schemes(text: str) -> Iterator[int]:
    """Each `scheme://` (a run of scheme characters starting with a letter) that is not a web scheme."""
    end = text.find("://")
    while end >= 0:
        start = end
        while start > 0 and text[start - 1] in _SCHEME_CHARS:
            start -= 1
        if start < end and text[start] in _LETTERS and text[start:end].lower() not in _WEB_SCHEMES:
            yield start
        end = text.find("://", end + 3)


_DIALECTS = ("postgresql", "postgres", "mysql", "mariadb", "sqlite", "mssql", "oracle", "cockroachdb", "redshift", "snowflake", "duckdb", "clickhouse")  # fmt: skip
_PLUS_WORD = re.compile(r"\+[a-z0-9_]")


def _dialects(text: str) -> Iterator[int]:
    """Where `_DIALECT` matches: a dialect name, `+`, a driver (the offset of the `+`)."""
    if "+" not in text:
        return
    for m in _PLUS_WORD.finditer(text):
        if text.endswith(_DIALECTS, 0, m.start()):
            yield m.start()


_UPPER_LIST = re.compile(r"[A-Z][A-Z0-9_]*\s*\+?=\s*[\[(]")  # at the start of a line
_UPPER_LIST_LINE = re.compile(r"\n[A-Z][A-Z0-9_]*\s*\+?=\s*[\[(]")


def scan_strings(tree: ast.AST, lines: Sequence[str], calls: frozenset[str] = frozenset()) -> tuple[StringHit, ...]:
    """Every hit in `tree` (parsed from `lines`), sorted by position."""
    collector = StringCollector(lines, calls)
    walk(tree, lines, strings=collector, dynamic=False)
    return collector.result()


_LEADING_URL = re.compile(r"\s*([a-z][a-z0-9+.\-_]*)://(\S?)", re.IGNORECASE)
_DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+")
_UPPER = re.compile(r"[A-Z][A-Z0-9_]*")
_DIALECT = re.compile(r"(?:postgresql|postgres|mysql|mariadb|sqlite|mssql|oracle|cockroachdb|redshift|snowflake|duckdb|clickhouse)\+[a-z0-9_]+")


def _leading_scheme(value: str, more: bool = False) -> str | None:
    """The scheme of a string that *is* a URL (`"redis://localhost/0"`), not prose that mentions one
    (`"use a redis:// URL"`), nor a bare prefix (`"postgresql://"` in URL rewriting)."""
    match = _LEADING_URL.match(value)
    if match is None or " " in value.strip():
        return None
    scheme = match.group(1).lower()
    # a bare "postgresql://" is a prefix being rewritten; "postgresql+psycopg://" still names its driver,
    # and sqlite:// is the in-memory database
    if not match.group(2) and not more and "+" not in scheme and not scheme.startswith("sqlite"):
        return None
    return None if scheme in _WEB_SCHEMES else scheme


def _str(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _setting_node(value: ast.AST | None) -> ast.Constant | None:
    """The literal a setting is given: itself, or the default of an environment lookup."""
    if _str(value) is not None:
        return value  # type: ignore[return-value]
    if isinstance(value, ast.Call):
        for keyword in value.keywords:
            if keyword.arg == "default":
                return keyword.value if _str(keyword.value) is not None else None  # type: ignore[return-value]
        if len(value.args) >= 2 and _str(value.args[-1]) is not None:
            return value.args[-1]  # type: ignore[return-value]
    return None


def _target_name(target: ast.AST) -> str | None:
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute):
        return target.attr
    return None


class StringCollector:
    """Receives the nodes `imports.walk` meets and keeps the hits; `handlers` says which."""

    __slots__ = ("_hits", "calls", "handlers", "lines")

    def __init__(self, lines: Sequence[str], calls: frozenset[str] = frozenset()) -> None:
        self.lines = lines
        self.calls = calls
        self._hits: dict[tuple[int, int, str, str], None] = {}
        self.handlers: dict[type, Callable[[ast.AST], None]] = {
            ast.Constant: self._constant,  # type: ignore[dict-item]
            ast.JoinedStr: self._joined,  # type: ignore[dict-item]
            ast.Dict: self._dict,  # type: ignore[dict-item]
            ast.Assign: self._assign,  # type: ignore[dict-item]
            ast.AnnAssign: self._assign,  # type: ignore[dict-item]
            ast.AugAssign: self._assign,  # type: ignore[dict-item]
            ast.Call: self._call,  # type: ignore[dict-item]
        }

    def result(self) -> tuple[StringHit, ...]:
        lines = self.lines
        return tuple(
            StringHit(kind=kind, value=value, line=line, column=column, text=_text(lines, line))
            for line, column, kind, value in sorted(self._hits)
        )

    def _add(self, kind: str, value: str, line: int, byte_col: int) -> None:
        self._hits[(line, char_column(self.lines, line, byte_col), kind, value)] = None

    def _constant(self, node: ast.Constant) -> None:
        value = node.value
        if value.__class__ is str:
            if "://" in value:
                scheme = _leading_scheme(value)
                if scheme is not None:
                    self._add("url", scheme, node.lineno, node.col_offset)
            elif "+" in value and _DIALECT.fullmatch(value):
                # PostgresDsn.build(scheme="postgresql+psycopg", ...): a scheme without its URL
                self._add("url", value.lower(), node.lineno, node.col_offset)

    def _joined(self, node: ast.JoinedStr) -> None:
        # f"postgresql+psycopg://{user}@{host}/db": the URL is the string's start
        value = _str(node.values[0]) if node.values else None
        if value is not None and "://" in value:
            scheme = _leading_scheme(value, more=len(node.values) > 1)
            if scheme is not None:
                self._add("url", scheme, node.lineno, node.col_offset)

    def _setting(self, value: ast.AST | None) -> None:
        literal = _setting_node(value)
        if literal is not None:
            self._add("setting", literal.value, literal.lineno, literal.col_offset)  # type: ignore[arg-type]

    def _dict(self, node: ast.Dict) -> None:
        for key, value in zip(node.keys, node.values):
            if _str(key) in _KEYS:
                self._setting(value)

    def _assign(self, node: ast.Assign | ast.AnnAssign | ast.AugAssign) -> None:
        if node.value is None:
            return
        targets = node.targets if isinstance(node, ast.Assign) else (node.target,)
        for target in targets:
            if isinstance(target, ast.Subscript):
                if _str(target.slice) in _KEYS:
                    self._setting(node.value)
            else:
                name = _target_name(target)
                if name is not None and _SETTING_NAME.fullmatch(name):
                    self._setting(node.value)
                if name is not None and _UPPER.fullmatch(name):
                    if name.endswith("HASHERS") and isinstance(node.value, (ast.List, ast.Tuple)) and node.value.elts:
                        # Django hashes new passwords with the first; the rest only read old hashes
                        self._dotted_paths(node.value.elts[0])
                    else:
                        self._dotted_paths(node.value)

    def _dotted_paths(self, value: ast.AST) -> None:
        """Settings that name modules: INSTALLED_APPS = ["corsheaders", "sorl.thumbnail"],
        MIDDLEWARE, PASSWORD_HASHERS, AUTHENTICATION_BACKENDS... (uses without an import)."""
        if isinstance(value, (ast.List, ast.Tuple, ast.Set)):
            elements = value.elts
        elif isinstance(value, ast.BinOp):
            elements = [value.left, value.right]
        else:
            elements = [value]
        for element in elements:
            if isinstance(element, (ast.List, ast.Tuple, ast.Set, ast.BinOp)):
                self._dotted_paths(element)
                continue
            text = _str(element)
            if text is not None and (_DOTTED.fullmatch(text) or (text.isidentifier() and text.islower())):
                self._add("setting", text, element.lineno, element.col_offset)

    def _call(self, node: ast.Call) -> None:
        for keyword in node.keywords:
            if keyword.arg in _KEYS:
                self._setting(keyword.value)
        if not self.calls:
            return
        func = node.func
        if isinstance(func, ast.Name):
            if func.id in self.calls:
                self._add("call", func.id, func.lineno, func.col_offset)
        elif isinstance(func, ast.Attribute):
            # `models.ImageField(...)` matches "ImageField" and "models.ImageField"
            dotted = f"{func.value.id}.{func.attr}" if isinstance(func.value, ast.Name) else None
            for name in (func.attr, dotted):
                if name is not None and name in self.calls:
                    line = func.end_lineno or func.lineno
                    end = func.end_col_offset if func.end_col_offset is not None else func.col_offset
                    self._add("call", name, line, max(end - len(func.attr.encode("utf-8")), 0))


def _text(lines: Sequence[str], line: int) -> str:
    return lines[line - 1].strip() if 0 < line <= len(lines) else ""


# --- the fallback ------------------------------------------------------------------------

_ONLY_STRINGS = re.compile(r'[\s()\\]*"[\s"()\\]*\Z')
_ESCAPE = re.compile(r"\\(?:N\{[^}]*\}|x[0-9a-fA-F]{0,2}|u[0-9a-fA-F]{0,4}|U[0-9a-fA-F]{0,8}|[0-7]{1,3}|[\s\S])")
_KEY_VALUE = re.compile(r'\s*(?::|\]\s*=)\s*(?=")')
_KEYWORD = re.compile(r'(?<![\w.])(ENGINE|BACKEND)\s*=\s*(?=")')
_DEFINED = re.compile(r"\bdef\s+\Z")
_ASSIGNMENT = re.compile(r'([A-Za-z_][\w.]*)\s*(?::[^=]*)?=\s*("+)\s*\Z')


def _decode(lexed: Lexed, index: int) -> str:
    """The value of a string literal (f-strings: their literal parts), best effort."""
    start, end, prefix, parts = lexed.strings[index]
    text = lexed.text
    if "f" not in prefix and "t" not in prefix:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                value = ast.literal_eval(text[start:end])
            if isinstance(value, str):
                return value
        except (SyntaxError, ValueError, MemoryError, RecursionError):
            pass
    raw = "r" in prefix
    # Escapes become spaces: a scheme written with escapes is not worth the trouble.
    return " ".join(text[a:b] if raw else _ESCAPE.sub(" ", text[a:b]) for a, b in parts)


def read_strings(lexed: Lexed, lines: Sequence[str], calls: frozenset[str] = frozenset()) -> tuple[StringHit, ...]:
    """Hits in text `ast.parse` cannot read, from its string literals and masked code."""
    masked, strings = lexed.masked, lexed.strings
    if not strings and not calls:
        return ()
    starts = line_starts(lexed.text)
    string_starts = [s[0] for s in strings]
    hits: dict[tuple[int, int, str, str], None] = {}
    call_re = re.compile(r"(?<![\w])(" + "|".join(map(re.escape, sorted(calls))) + r")\s*\(") if calls else None

    def add(kind: str, value: str, offset: int) -> None:
        line, column = position(starts, offset)
        hits[(line, column, kind, value)] = None

    def value_at(offset: int) -> str | None:
        i = bisect_left(string_starts, offset)
        if i < len(strings) and strings[i][0] == offset and "b" not in strings[i][2]:
            return _decode(lexed, i)
        return None

    skipped: set[int] = set()
    for st in logical_lines(masked):
        start = st.colon + 1 if st.keyword else st.start
        body = masked[start : st.end]
        if _ONLY_STRINGS.match(body):
            lo, hi = bisect_left(string_starts, start), bisect_left(string_starts, st.end)
            skipped.update(range(lo, hi))
            continue
        if not st.keyword:
            m = _ASSIGNMENT.match(body)
            if m and _SETTING_NAME.fullmatch(m.group(1).rsplit(".", 1)[-1]):
                offset = start + m.start(2)
                value = value_at(offset)
                if value is not None:
                    add("setting", value, offset)
        for m in _KEYWORD.finditer(body):
            value = value_at(start + m.end())
            if value is not None:
                add("setting", value, start + m.end())
        if call_re is not None:
            for m in call_re.finditer(body):
                if not _DEFINED.search(body, max(m.start() - 12, 0), m.start()):
                    add("call", m.group(1), start + m.start(1))
    for i, (start, end, prefix, _parts) in enumerate(strings):
        if i in skipped or "b" in prefix:
            continue
        if "://" in lexed.text[start:end]:
            # "oracle+oracledb://" "user@host": an implicit concatenation continues the URL
            joined = i + 1 < len(strings) and not masked[end : strings[i + 1][0]].strip(" \t\r\n\\()")
            if "f" in prefix or "t" in prefix:
                # only the literal text before the first placeholder, if the string starts with it
                first = _parts[0] if _parts else None
                body_start = start + len(prefix) + (3 if lexed.text.startswith(('"""', "'''"), start + len(prefix)) else 1)
                value = lexed.text[first[0] : first[1]] if first is not None and first[0] == body_start else ""
            else:
                value = _decode(lexed, i)
            scheme = _leading_scheme(value, more="f" in prefix or joined)
            if scheme is not None:
                add("url", scheme, start)
        if i + 1 < len(strings) and ("ENGINE" in lexed.text[start:end] or "BACKEND" in lexed.text[start:end]):
            m = _KEY_VALUE.match(masked, end)
            if m is not None and m.end() == strings[i + 1][0] and _decode(lexed, i) in _KEYS:
                value = value_at(m.end())
                if value is not None:
                    add("setting", value, m.end())
    return tuple(
        StringHit(kind=kind, value=value, line=line, column=column, text=_text(lines, line))
        for line, column, kind, value in sorted(hits)
    )
